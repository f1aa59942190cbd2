//! The top bar: file, header facts, reader-diagnostic counts, open and export.

use std::rc::Rc;

use yew::prelude::*;

use crate::diag::Severity;
use crate::ui::io;
use crate::ui::state::{Action, Tab};
use crate::view::{export_name, Doc};

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub doc: Rc<Doc>,
    pub on_pick: Callback<MouseEvent>,
    pub dispatch: Callback<Action>,
    /// The editing controls (undo/redo, change-list exports).
    #[prop_or_default]
    pub edit: Html,
}

#[function_component]
pub fn TopBar(p: &TopBarProps) -> Html {
    let doc = &p.doc;
    let export_dtb = {
        let doc = doc.clone();
        // Unedited: the original bytes go out unchanged; edited: the tree, written like dtc.
        Callback::from(move |_| {
            let bytes = if doc.edited { crate::dtb::write(&doc.tree) } else { doc.bytes.clone() };
            io::download(&export_name(&doc.name, "dtb"), &bytes, "application/octet-stream")
        })
    };
    let export_dts = {
        let doc = doc.clone();
        Callback::from(move |_| io::download(&export_name(&doc.name, "dts"), doc.dts().as_bytes(), "text/plain"))
    };
    let close = p.dispatch.reform(|_| Action::Close);
    let (e, w) = (doc.count(Severity::Error), doc.count(Severity::Warning));
    let show_diags = p.dispatch.reform(|_| Action::Tab(Tab::Diagnostics));
    html! {
        <header class="topbar">
            <button type="button" class="brand-btn" onclick={close} title="Back to the start screen">{ "dtlens" }</button>
            <span class="file" title={doc.name.clone()}>{ doc.name.clone() }</span>
            <span class="summary">{ doc.summary() }</span>
            if e + w > 0 {
                <button type="button" class="counts" onclick={show_diags} title="Reader diagnostics">
                    if e > 0 { <span class="sev-error">{ format!("{e} error{}", if e == 1 { "" } else { "s" }) }</span> }
                    if w > 0 { <span class="sev-warning">{ format!("{w} warning{}", if w == 1 { "" } else { "s" }) }</span> }
                </button>
            }
            <span class="spacer" />
            { p.edit.clone() }
            <button type="button" id="open-btn" onclick={p.on_pick.clone()}>{ "Open…" }</button>
            <button type="button" id="export-dtb" onclick={export_dtb} title={if doc.edited { "Download the edited tree as a blob" } else { "Download the blob (unchanged)" }}>{ "Download DTB" }</button>
            <button type="button" id="export-dts" onclick={export_dts} title="Download the tree as DTS">{ "Download DTS" }</button>
        </header>
    }
}
