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
}

#[function_component]
pub fn Findings(p: &FindingsProps) -> Html {
    let doc = &p.doc;
    let (e, w, i) = crate::check::counts(&doc.findings);
    let count = |n: usize, sev: Severity, word: &str| {
        html! { <span class={classes!("count", format!("sev-{}", sev.as_str()))}>{ format!("{n} {word}") }</span> }
    };
    let hv = doc
        .pinned
        .iter()
        .chain(doc.hv_labels.keys())
        .find_map(|id| doc.hv_labels.get(id).map(|l| (id, l.clone())))
        .map(|(id, l)| format!("{l} ({})", doc.path(*id)));
    let items = doc.findings.iter().take(MAX_SHOWN).map(|f| {
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
            </li>
        }
    });
    html! {
        <div class="findings">
            <h2 class="pane-title">
                { "Findings " }
                { count(e, Severity::Error, "errors") }{ count(w, Severity::Warning, "warnings") }{ count(i, Severity::Info, "info") }
            </h2>
            if let Some(hv) = hv { <p class="family">{ "Hypervisor binding: " }<strong>{ hv }</strong></p> }
            if doc.findings.is_empty() {
                <p class="empty">{ "No binding check reports anything for this tree at the default level." }</p>
            } else {
                <ul class="finding-list">{ for items }</ul>
                if doc.findings.len() > MAX_SHOWN {
                    <p class="empty">{ format!("… and {} more (use `dtlens check` for the full list)", doc.findings.len() - MAX_SHOWN) }</p>
                }
            }
        </div>
    }
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
