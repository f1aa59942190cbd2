//! Findings pane: binding-check results. The check engine (`crate::check`) is not part of
//! this build yet; this pane is where its findings go (rule id, severity, path, message;
//! a click selects the node), with row badges in the tree.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::state::Action;
use crate::view::Doc;

#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    pub doc: Rc<Doc>,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn Findings(p: &FindingsProps) -> Html {
    let pinned = p.doc.pinned.len();
    html! {
        <div class="findings">
            <h2 class="pane-title">{ "Findings" }</h2>
            <p class="empty">
                { "Binding checks (ePAPR, Xen, dom0less, generic dtc checks) arrive in the next version. " }
                { match pinned {
                    0 => "This tree has no hypervisor node.".to_string(),
                    1 => "The hypervisor node is pinned at the top of the tree.".to_string(),
                    n => format!("{n} hypervisor nodes are pinned at the top of the tree."),
                } }
            </p>
        </div>
    }
}
