//! Findings pane: the binding checks (`crate::check`, default level) of the document,
//! computed once per load. Each finding carries `data-rule`, `data-severity`, `data-path`
//! (and `data-prop`); clicking one selects its node and highlights the property.

use std::rc::Rc;

use yew::prelude::*;

use crate::diag::Severity;
use crate::ui::state::Action;
use crate::view::Doc;

/// Findings rendered at most (the rest are counted).
const MAX_SHOWN: usize = 500;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub doc: Rc<Doc>,
    pub dispatch: Callback<Action>,
    /// The check configuration; at the default the document's own findings are shown.
    #[prop_or_default]
    pub config: Rc<crate::check::Config>,
    #[prop_or_default]
    pub on_config: Callback<crate::check::Config>,
}

#[function_component]
pub fn Findings(p: &FindingsProps) -> Html {
    let doc = &p.doc;
    // Re-run the checks when the configuration is not the default one.
    // The document compares unequal once its checks arrive, so this runs again then.
    let all = use_memo((doc.clone(), p.config.clone()), |(d, c)| {
        if **c == crate::check::Config::default() {
            d.findings().to_vec()
        } else {
            crate::check::run(&d.tree, c)
        }
    });
    let pending = doc.checks().is_none() && *p.config == crate::check::Config::default();
    let hidden = use_state(|| [false; 3]);
    let sev_index = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        _ => 2,
    };
    let shown: Vec<&crate::check::Finding> = all.iter().filter(|f| !hidden[sev_index(f.severity)]).collect();
    let (e, w, i) = crate::check::counts(&all);
    let count = |n: usize, sev: Severity, word: &str| {
        let k = sev_index(sev);
        let onclick = {
            let hidden = hidden.clone();
            Callback::from(move |_| {
                let mut h = *hidden;
                h[k] = !h[k];
                hidden.set(h);
            })
        };
        html! {
            <button type="button" class={classes!("count", format!("sev-{}", sev.as_str()))} data-count={sev.as_str()}
                aria-pressed={(!hidden[k]).to_string()} title="Show or hide these findings" {onclick}>{ format!("{n} {word}") }</button>
        }
    };
    let hv = doc.checks().and_then(|c| {
        doc.pinned
            .iter()
            .chain(c.hv_labels.keys())
            .find_map(|id| c.hv_labels.get(id).map(|l| (id, l.clone())))
            .map(|(id, l)| format!("{l} ({})", doc.path(*id)))
    });
    let items = shown.iter().take(MAX_SHOWN).map(|f| {
        let node = f.node;
        let prop = f.property.clone();
        let onclick = p.dispatch.reform(move |_| Action::RevealProp(node, prop.clone()));
        let sev = f.severity.as_str();
        let place = match &f.property {
            Some(pr) => format!("{}:{pr}", f.path),
            None => f.path.clone(),
        };
        html! {
            <li class={classes!("finding", format!("sev-{sev}"))} data-rule={f.rule} data-severity={sev}
                data-path={f.path.clone()} data-prop={f.property.clone()}>
                <button type="button" {onclick} title="Select the node">
                    <span class="line1">
                        <span class="sev">{ sev }</span>
                        <span class="rule">{ f.rule }</span>
                        <span class="where">{ place }</span>
                    </span>
                    <span class="msg">{ f.message.clone() }</span>
                </button>
                { fix_button(f, &p.dispatch) }
                <a class="rule-link" data-rule-link={f.rule} href={crate::view::Route::Rule(f.rule.to_string()).hash()}
                    title="What this rule checks and why">{ "rule" }</a>
                { rule_off(f.rule, p) }
            </li>
        }
    });
    if pending {
        // The counts (`[data-count]`) appear only once the checks have run.
        return html! {
            <div class="findings" aria-busy="true">
                <h2 class="pane-title">{ "Findings" }</h2>
                <p class="empty checking" role="status">{ "Checking the tree against every rule…" }</p>
            </div>
        };
    }
    html! {
        <div class="findings">
            <h2 class="pane-title">
                { "Findings " }
                { count(e, Severity::Error, "errors") }{ count(w, Severity::Warning, "warnings") }{ count(i, Severity::Info, "info") }
            </h2>
            if let Some(hv) = hv { <p class="family">{ "Hypervisor binding: " }<strong>{ hv }</strong></p> }
            if shown.is_empty() {
                <p class="empty">{ "No binding check reports anything for this tree at the default level." }</p>
            } else {
                <ul class="finding-list">{ for items }</ul>
                if shown.len() > MAX_SHOWN {
                    <p class="empty">{ format!("… and {} more (use `dtlens check` for the full list)", shown.len() - MAX_SHOWN) }</p>
                }
            }
        </div>
    }
}

/// Turns the finding's rule off (the rule page turns it back on).
fn rule_off(rule: &'static str, p: &FindingsProps) -> Html {
    let (config, on_config) = (p.config.clone(), p.on_config.clone());
    let onclick = Callback::from(move |_| {
        let mut c = (*config).clone();
        c.set(rule, crate::check::Override::Off);
        on_config.emit(c);
    });
    html! { <button type="button" class="rule-off" data-rule-off={rule} {onclick} title="Turn this rule off">{ "off" }</button> }
}

/// The one-click fix of a finding, when it has a mechanical one: its ops as one step.
fn fix_button(f: &crate::check::Finding, dispatch: &Callback<Action>) -> Html {
    let Some(fix) = &f.fix else { return html! {} };
    let ops = fix.to_ops();
    let what = fix.describe();
    let onclick = dispatch.reform(move |_| Action::Edit(ops.clone()));
    html! {
        <button type="button" class="fix" data-fix={f.rule} {onclick} title={what.clone()} aria-label={format!("Fix: {what}")}>{ "Fix" }</button>
    }
}
