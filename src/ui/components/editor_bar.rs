//! The editing part of the top bar: undo/redo (buttons and Ctrl+Z / Ctrl+Shift+Z /
//! Ctrl+Y outside text fields) and the exports of the list of changes as a U-Boot `fdt`
//! script and as `fdtput` lines.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::edit::Op;
use crate::ui::io;
use crate::ui::state::Action;
use crate::view::{export_name, Doc};

#[derive(Properties, PartialEq)]
pub struct EditBarProps {
    pub doc: Rc<Doc>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// The ops in force since the last whole-tree replacement.
    pub ops: Rc<Vec<Op>>,
    /// Whether a whole-tree replacement (DTS editor) is among the steps.
    pub replaced: bool,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn EditBar(p: &EditBarProps) -> Html {
    {
        let dispatch = p.dispatch.clone();
        use_effect_with((), move |_| {
            let cb = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                    return;
                }
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                    .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                if typing {
                    return;
                }
                let action = match e.key().as_str() {
                    "z" if !e.shift_key() => Action::Undo,
                    "Z" | "z" | "y" | "Y" => Action::Redo,
                    _ => return,
                };
                e.prevent_default();
                dispatch.emit(action);
            });
            let doc = gloo::utils::document();
            let _ = doc.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
            move || {
                let _ = doc.remove_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
                drop(cb);
            }
        });
    }
    let undo = p.dispatch.reform(|_| Action::Undo);
    let redo = p.dispatch.reform(|_| Action::Redo);
    let note = if p.replaced {
        "# The tree was replaced from DTS source; only the changes since then are listed.\n"
    } else {
        ""
    };
    let export_uboot = {
        let (doc, ops) = (p.doc.clone(), p.ops.clone());
        Callback::from(move |_| {
            let text = format!("{note}{}", crate::script::uboot_script(&ops));
            io::download(&export_name(&doc.name, "fdt.txt"), text.as_bytes(), "text/plain");
        })
    };
    let export_fdtput = {
        let (doc, ops) = (p.doc.clone(), p.ops.clone());
        Callback::from(move |_| {
            let file = export_name(&doc.name, "dtb");
            let text = format!("{note}{}", crate::script::fdtput_lines(&ops, &file));
            io::download(&export_name(&doc.name, "fdtput.sh"), text.as_bytes(), "text/plain");
        })
    };
    let n = p.ops.len();
    html! {
        <span class="edit-bar" role="group" aria-label="Edits">
            <button type="button" id="undo" onclick={undo} disabled={!p.can_undo} title="Undo (Ctrl+Z)"
                aria-keyshortcuts="Control+Z">{ "Undo" }</button>
            <button type="button" id="redo" onclick={redo} disabled={!p.can_redo} title="Redo (Ctrl+Shift+Z, Ctrl+Y)"
                aria-keyshortcuts="Control+Shift+Z Control+Y">{ "Redo" }</button>
            <button type="button" id="export-uboot" onclick={export_uboot}
                title={format!("Download the {n} change(s) as a U-Boot fdt command script")}>{ "fdt script" }</button>
            <button type="button" id="export-fdtput" onclick={export_fdtput}
                title={format!("Download the {n} change(s) as fdtput command lines")}>{ "fdtput" }</button>
        </span>
    }
}
