//! The Learn view: an index of bindings and rules, a page per binding, a page per rule and
//! the 2012 worked example. Everything is generated from `crate::learn` and the rule
//! registry (`crate::check`); all texts are rendered as text, never as HTML.

use std::rc::Rc;

use yew::prelude::*;

use crate::check::{self, Config, Override, Rule};
use crate::learn::{self, Binding};
use crate::ui::io;
use crate::ui::route::{self, Route};
use crate::ui::state::Action;

#[derive(Properties, PartialEq)]
pub struct LearnProps {
    pub route: Route,
    pub dispatch: Callback<Action>,
    /// The check configuration (for the rule page's toggles).
    pub config: Rc<Config>,
    pub on_config: Callback<Config>,
    /// Whether a document is open (the back link says where it goes).
    pub has_doc: bool,
}

/// Opens a bundled example in the main view.
pub fn open_example(file: &'static str, dispatch: &Callback<Action>) {
    io::open_example(file, dispatch.clone());
    route::go(&Route::Main);
}

fn paragraphs(text: &str) -> Html {
    html! { <>{ for text.trim().split("\n\n").map(|p| html! { <p>{ p.trim().to_string() }</p> }) }</> }
}

fn rule_link(id: &str) -> Html {
    html! { <a class="rule-link" href={Route::Rule(id.to_string()).hash()}><code>{ id.to_string() }</code></a> }
}

fn sources(list: &[&str]) -> Html {
    if list.is_empty() {
        return html! {};
    }
    html! {
        <section class="sources"><h2>{ "Sources" }</h2>
            <ul>{ for list.iter().map(|s| html! { <li>{ s.to_string() }</li> }) }</ul>
        </section>
    }
}

fn open_button(file: &'static str, label: &str, dispatch: &Callback<Action>) -> Html {
    let d = dispatch.clone();
    let onclick = Callback::from(move |_| open_example(file, &d));
    html! { <button type="button" class="open-example" data-open-example={file} {onclick}>{ label.to_string() }</button> }
}

#[function_component]
pub fn Learn(p: &LearnProps) -> Html {
    let body = match &p.route {
        Route::Binding(id) => match learn::find(id) {
            Some(b) => binding_page(b, &p.dispatch),
            None => not_found(&format!("There is no Learn page called \"{id}\".")),
        },
        Route::Rule(id) => match check::find(id) {
            Some(r) => rule_page(r, p),
            None => not_found(&format!("There is no rule with the id \"{id}\".")),
        },
        Route::History2012 => history_page(&p.dispatch),
        _ => index_page(),
    };
    let back = if p.has_doc { "← Back to the tree" } else { "← Back to the start" };
    html! {
        <main class="learn">
            <nav class="learn-nav" aria-label="Learn">
                <a href="#" id="learn-back">{ back }</a>
                <a href="#learn">{ "Learn index" }</a>
                <a href="#learn/2012">{ "2012 proposal vs today" }</a>
            </nav>
            { body }
        </main>
    }
}

fn not_found(msg: &str) -> Html {
    html! { <article><h1>{ "Not found" }</h1><p>{ msg.to_string() }</p><p><a href="#learn">{ "See the index." }</a></p></article> }
}

fn index_page() -> Html {
    let families = check::RuleFamily::ALL.iter().map(|&f| {
        let rules = check::registry::family(f);
        html! {
            <section class="rule-family" data-family={f.as_str()}>
                <h3>{ format!("{} ({}, {} rules)", f.title(), f.as_str(), rules.len()) }</h3>
                <table class="rules">
                    <tbody>
                        { for rules.iter().map(|r| html! {
                            <tr>
                                <td>{ rule_link(r.id) }</td>
                                <td class={classes!("sev", format!("sev-{}", r.severity.as_str()))}>{ r.severity.as_str() }</td>
                                <td>{ r.summary }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </section>
        }
    });
    html! {
        <article>
            <h1>{ "Learn the bindings" }</h1>
            <p>{ "What each hypervisor device-tree binding says, the mistakes people make with it, and every rule dtlens checks." }</p>
            <h2>{ "Bindings" }</h2>
            <ul class="binding-index">
                { for learn::bindings().iter().map(|b| html! {
                    <li><a href={Route::Binding(b.id.to_string()).hash()} data-binding={b.id}>{ b.title }</a></li>
                }) }
                <li><a href="#learn/2012">{ learn::history_2012().title }</a></li>
            </ul>
            <h2>{ "Rules" }</h2>
            { for families }
        </article>
    }
}

fn binding_page(b: &'static Binding, dispatch: &Callback<Action>) -> Html {
    let props = b.properties.iter().map(|pd| {
        html! {
            <tr id={format!("prop-{}", pd.name)}>
                <td><code>{ pd.name }</code></td>
                <td><code>{ pd.node.describe() }</code></td>
                <td>{ pd.ty.as_str() }</td>
                <td>{ pd.required.describe() }</td>
                <td>{ pd.meaning }</td>
                <td>{ pd.consumer }</td>
                <td>{ for pd.rules.iter().map(|r| html! { <>{ rule_link(r) }{ " " }</> }) }</td>
            </tr>
        }
    });
    let mistakes = b.mistakes.iter().map(|m| {
        let summary = m.rule().map_or("", |r| r.summary);
        html! {
            <li>
                { rule_link(m.rule_id) }{ " — " }{ summary }{ " " }
                { open_button(m.example_file, "open example", dispatch) }
            </li>
        }
    });
    html! {
        <article class="binding-page" data-binding={b.id}>
            <h1>{ b.title }</h1>
            { paragraphs(b.purpose) }
            <h2>{ "Properties" }</h2>
            <div class="table-wrap">
                <table class="prop-doc">
                    <thead><tr><th>{ "name" }</th><th>{ "on" }</th><th>{ "type" }</th><th>{ "required" }</th><th>{ "meaning" }</th><th>{ "read by" }</th><th>{ "rules" }</th></tr></thead>
                    <tbody>{ for props }</tbody>
                </table>
            </div>
            <h2>{ "Annotated example" }</h2>
            <p>{ open_button(b.example_file, "open this example", dispatch) }</p>
            <pre class="example-dts">{ b.example }</pre>
            if !b.mistakes.is_empty() {
                <h2>{ "Common mistakes" }</h2>
                <ul class="mistakes">{ for mistakes }</ul>
            }
            <h2>{ "Rules of this binding" }</h2>
            <ul class="family-rules">
                { for b.rules().iter().map(|r| html! { <li>{ rule_link(r.id) }{ " — " }{ r.summary }</li> }) }
            </ul>
            { sources(b.sources) }
        </article>
    }
}

/// The override select's value for a rule under `config`.
fn override_value(config: &Config, r: &Rule) -> &'static str {
    match config.overrides.get(r.id) {
        Some(Override::Off) => "off",
        Some(Override::Warning) => "warning",
        Some(Override::Error) => "error",
        None => "default",
    }
}

fn rule_page(r: &'static Rule, p: &LearnProps) -> Html {
    let enabled = p.config.is_enabled(r);
    let on_select = {
        let config = p.config.clone();
        let on_config = p.on_config.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut c = (*config).clone();
            match sel.value().as_str() {
                "off" => c.set(r.id, Override::Off),
                "warning" => c.set(r.id, Override::Warning),
                "error" => c.set(r.id, Override::Error),
                _ => {
                    c.overrides.remove(r.id);
                    &mut c
                }
            };
            on_config.emit(c);
        })
    };
    let current = override_value(&p.config, r);
    let opt =
        |v: &'static str, label: &'static str| html! { <option value={v} selected={current == v}>{ label }</option> };
    let page = learn::for_family(r.family);
    html! {
        <article class="rule-page" data-rule={r.id}>
            <h1><code>{ r.id }</code></h1>
            <p class="summary">{ r.summary }</p>
            <dl class="rule-meta">
                <dt>{ "severity" }</dt><dd class={format!("sev-{}", r.severity.as_str())}>{ r.severity.as_str() }</dd>
                <dt>{ "family" }</dt><dd>{ format!("{} ({})", r.family.as_str(), r.family.title()) }</dd>
                <dt>{ "scope" }</dt><dd>{ r.scope.as_str() }</dd>
                <dt>{ "on at level" }</dt><dd>{ r.enabled_at.as_str() }</dd>
                <dt>{ "now" }</dt><dd id="rule-state">{ if enabled { "on" } else { "off" } }</dd>
            </dl>
            <label class="rule-toggle">
                { "This rule: " }
                <select id="rule-override" onchange={on_select}>
                    { opt("default", "as the level says") }{ opt("off", "off") }{ opt("warning", "on, as a warning") }{ opt("error", "on, as an error") }
                </select>
            </label>
            { paragraphs(r.explanation) }
            if let Some(b) = page {
                <p>{ "Binding: " }<a href={Route::Binding(b.id.to_string()).hash()}>{ b.title }</a></p>
            }
            { sources(r.sources) }
        </article>
    }
}

fn history_page(dispatch: &Callback<Action>) -> Html {
    let h = learn::history_2012();
    let form = |f: &'static learn::Form, which: &'static str| {
        html! {
            <section class="form" data-form={which}>
                <h2>{ f.label }</h2>
                <p>{ open_button(f.file, "open this form", dispatch) }</p>
                <pre class="example-dts">{ f.dts }</pre>
            </section>
        }
    };
    html! {
        <article class="history-page">
            <h1>{ h.title }</h1>
            { paragraphs(h.intro) }
            <div class="side-by-side">{ form(&h.then, "2012") }{ form(&h.now, "today") }</div>
            <h2>{ "What changed and why" }</h2>
            { for h.differences.iter().map(|d| html! {
                <section class="difference">
                    <h3>{ d.topic }</h3>
                    <p><span class="k">{ "2012: " }</span><code>{ d.then }</code></p>
                    <p><span class="k">{ "today: " }</span><code>{ d.now }</code></p>
                    { paragraphs(d.why) }
                    if !d.rules.is_empty() {
                        <p>{ "Checked by " }{ for d.rules.iter().map(|r| html! { <>{ rule_link(r) }{ " " }</> }) }</p>
                    }
                </section>
            }) }
            { sources(h.sources) }
        </article>
    }
}

/// The start screen's list of bundled examples, grouped by binding (good one first, then
/// one per common mistake), plus the two 2012 forms.
pub fn start_examples(dispatch: &Callback<Action>) -> Html {
    let h = learn::history_2012();
    html! {
        <section class="examples by-binding" aria-label="Examples by binding">
            <h2>{ "Examples for every binding" }</h2>
            { for learn::bindings().iter().map(|b| {
                let mut seen: Vec<&'static str> = Vec::new();
                let broken = b.mistakes.iter().filter(|m| {
                    let new = !seen.contains(&m.example_file);
                    seen.push(m.example_file);
                    new
                });
                html! {
                    <div class="binding-examples" data-binding={b.id}>
                        <h3><a href={Route::Binding(b.id.to_string()).hash()}>{ b.title }</a></h3>
                        { open_button(b.example_file, "valid", dispatch) }
                        { for broken.map(|m| open_button(m.example_file, &format!("broken: {}", m.rule_id), dispatch)) }
                    </div>
                }
            }) }
            <div class="binding-examples">
                <h3><a href="#learn/2012">{ h.title }</a></h3>
                { open_button(h.then.file, h.then.label, dispatch) }
                { open_button(h.now.file, h.now.label, dispatch) }
            </div>
        </section>
    }
}

/// A property's meaning and the Learn page that documents it.
#[derive(Clone, Copy)]
struct Help {
    meaning: &'static str,
    binding: &'static str,
}

/// The meaning of property `name` of node `id`, from the help facts the document keeps with
/// its checks (none until they have run).
fn help_for(doc: &crate::view::Doc, id: crate::tree::NodeId, name: &str) -> Option<Help> {
    let pd = doc.prop_doc(id, name)?;
    let b = learn::bindings().iter().find(|b| b.properties.iter().any(|q| std::ptr::eq(q, pd)))?;
    Some(Help { meaning: pd.meaning, binding: b.id })
}

/// A property name in the node pane: when a binding documents it, its meaning on hover and
/// focus and a link to the binding's Learn page; otherwise plain text.
pub fn prop_name(doc: &crate::view::Doc, id: crate::tree::NodeId, name: &str) -> Html {
    match help_for(doc, id, name) {
        Some(h) => html! {
            <a class="prop-doc-link" href={Route::Binding(h.binding.to_string()).hash()} title={h.meaning} data-binding={h.binding}>
                { name.to_string() }
            </a>
        },
        None => html! { name.to_string() },
    }
}
