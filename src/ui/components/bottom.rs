//! Bottom tabs: DTS of the selected node, DTS of the whole tree, reader diagnostics.

use std::rc::Rc;

use yew::prelude::*;

use super::dts_edit::DtsEdit;
use super::text_view::TextView;
use crate::tree::NodeId;
use crate::ui::state::{Action, Tab};
use crate::view::Doc;

#[derive(Properties, PartialEq)]
pub struct BottomProps {
    pub doc: Rc<Doc>,
    pub id: NodeId,
    pub tab: Tab,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn Bottom(p: &BottomProps) -> Html {
    let doc = &p.doc;
    let n = doc.diagnostics.len();
    let tab = |t: Tab, id: &'static str, label: String| {
        let onclick = p.dispatch.reform(move |_| Action::Tab(t));
        let sel = p.tab == t;
        html! {
            <button type="button" role="tab" id={id} aria-selected={sel.to_string()}
                class={classes!("tab", sel.then_some("active"))} {onclick}>{ label }</button>
        }
    };
    let body = match p.tab {
        Tab::NodeDts => html! { <NodeDts doc={doc.clone()} id={p.id} /> },
        Tab::TreeDts => html! { <TextView text={doc.dts()} id="dts-tree" label="DTS of the whole tree" /> },
        Tab::Diagnostics => diagnostics(doc, &p.dispatch),
        Tab::EditDts => html! { <DtsEdit doc={doc.clone()} dispatch={p.dispatch.clone()} /> },
    };
    html! {
        <section class="bottom" aria-label="Source and diagnostics">
            <div class="tabs" role="tablist">
                { tab(Tab::NodeDts, "tab-node-dts", "DTS: this node".into()) }
                { tab(Tab::TreeDts, "tab-tree-dts", "DTS: whole tree".into()) }
                { tab(Tab::EditDts, "tab-edit-dts", "Edit DTS".into()) }
                { tab(Tab::Diagnostics, "tab-diagnostics", format!("Reader diagnostics ({n})")) }
            </div>
            <div class="tab-body" role="tabpanel">{ body }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct NodeDtsProps {
    doc: Rc<Doc>,
    id: NodeId,
}

#[function_component]
fn NodeDts(p: &NodeDtsProps) -> Html {
    let text = {
        let doc = p.doc.clone();
        let id = p.id;
        use_memo((doc.generation, id), move |_| doc.node_dts(id))
    };
    match &*text {
        Some(t) => html! { <TextView text={t.clone()} id="dts-node" label="DTS of the selected node" /> },
        None => html! { <p class="empty" id="dts-node">{ p.doc.node_dts_notice(p.id) }</p> },
    }
}

fn diagnostics(doc: &Doc, dispatch: &Callback<Action>) -> Html {
    if doc.diagnostics.is_empty() {
        return html! { <p class="empty">{ "The reader reported nothing: the blob is well-formed." }</p> };
    }
    html! {
        <ul class="diagnostics">
            { for doc.diagnostics.iter().enumerate().map(|(i, d)| {
                let sev = d.severity.as_str();
                let off = d.offset.map(|o| format!("{o:#06x}")).unwrap_or_else(|| "—".into());
                let link = match (doc.diagnostic_target(i), &d.path) {
                    (Some(t), Some(path)) => {
                        let onclick = dispatch.reform(move |_| Action::Reveal(t));
                        html! { <button type="button" class="ref" {onclick}>{ path.clone() }</button> }
                    }
                    (None, Some(path)) => html! { <span class="path">{ path.clone() }</span> },
                    _ => html! {},
                };
                html! {
                    <li data-diagnostic={i.to_string()} class={classes!("diag", format!("sev-{sev}"))}>
                        <span class="sev">{ sev }</span>
                        <span class="off" title="byte offset in the blob">{ off }</span>
                        { link }
                        <span class="msg">{ d.message.clone() }</span>
                    </li>
                }
            }) }
        </ul>
    }
}
