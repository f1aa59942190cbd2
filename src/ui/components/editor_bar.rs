//! The editing part of the top bar: undo/redo (their keys are in the shortcut table,
//! `shortcuts.rs`) and the downloads: the tree as DTB or DTS, and the list of changes as a
//! U-Boot `fdt` script or as `fdtput` lines. In a narrow window the downloads fold into a
//! menu (app.css); it opens with Enter, closes with Esc and when focus leaves it.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{FocusEvent, HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::shortcuts::hint;
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
    let open = use_state(|| false);
    let toggle_ref = use_node_ref();
    let items_ref = use_node_ref();
    let undo = p.dispatch.reform(|_| Action::Undo);
    let redo = p.dispatch.reform(|_| Action::Redo);
    let note = if p.replaced {
        "# The tree was replaced from DTS source; only the changes since then are listed.\n"
    } else {
        ""
    };
    let export_dtb = {
        let doc = p.doc.clone();
        // Unedited: the original bytes go out unchanged; edited: the tree, written like dtc.
        Callback::from(move |_| {
            let bytes = if doc.edited { crate::dtb::write(&doc.tree) } else { doc.bytes.clone() };
            io::download(&export_name(&doc.name, "dtb"), &bytes, "application/octet-stream")
        })
    };
    let export_dts = {
        let doc = p.doc.clone();
        Callback::from(move |_| io::download(&export_name(&doc.name, "dts"), doc.dts().as_bytes(), "text/plain"))
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
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    // Opened: focus its first item (after the render that shows it).
    {
        let items_ref = items_ref.clone();
        use_effect_with(*open, move |&open| {
            if let Some(first) = items_ref.cast::<HtmlElement>().and_then(|el| el.first_element_child()) {
                if open {
                    let _ = first.unchecked_into::<HtmlElement>().focus();
                }
            }
        });
    }
    // Esc closes the menu and gives focus back to its button.
    let onkeydown = {
        let (open, toggle_ref) = (open.clone(), toggle_ref.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open {
                e.prevent_default();
                open.set(false);
                if let Some(b) = toggle_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    // Focus leaving the menu closes it (no keyboard trap, nothing left floating).
    let onfocusout = {
        let open = open.clone();
        Callback::from(move |e: FocusEvent| {
            let stays = e
                .related_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok())
                .zip(e.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Node>(t).ok()))
                .is_some_and(|(to, menu)| menu.contains(Some(&to)));
            if !stays && *open {
                open.set(false);
            }
        })
    };
    let close_after = |cb: Callback<MouseEvent>| {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            cb.emit(e);
            open.set(false);
        })
    };
    let n = p.ops.len();
    let button = |id: &'static str, label: &'static str, title: String, onclick: Callback<MouseEvent>| {
        let (keys, tip) = hint(id);
        html! {
            <button type="button" {id} onclick={close_after(onclick)} title={format!("{title}{tip}")}
                aria-keyshortcuts={(!keys.is_empty()).then_some(keys)}>{ label }</button>
        }
    };
    let (undo_keys, undo_tip) = hint("undo");
    let (redo_keys, redo_tip) = hint("redo");
    let dtb_title = if p.doc.edited { "Download the edited tree as a blob" } else { "Download the blob (unchanged)" };
    html! {
        <>
            <span class="edit-bar" role="group" aria-label="Edits">
                <button type="button" id="undo" onclick={undo} disabled={!p.can_undo} title={format!("Undo{undo_tip}")}
                    aria-keyshortcuts={undo_keys}>{ "Undo" }</button>
                <button type="button" id="redo" onclick={redo} disabled={!p.can_redo} title={format!("Redo{redo_tip}")}
                    aria-keyshortcuts={redo_keys}>{ "Redo" }</button>
            </span>
            <span class={classes!("downloads", open.then_some("open"))} {onkeydown} {onfocusout}>
                <button type="button" class="menu-toggle" ref={toggle_ref} onclick={toggle} aria-expanded={open.to_string()}
                    aria-controls="download-items">{ "Download ▾" }</button>
                <span class="menu-label" aria-hidden="true">{ "Download" }</span>
                <span class="menu-items" id="download-items" role="group" aria-label="Download" ref={items_ref}>
                    { button("export-dtb", "DTB", dtb_title.to_string(), export_dtb) }
                    { button("export-dts", "DTS", "Download the tree as DTS source".to_string(), export_dts) }
                    { button("export-uboot", "fdt script", format!("Download the {n} change(s) as a U-Boot fdt command script"), export_uboot) }
                    { button("export-fdtput", "fdtput", format!("Download the {n} change(s) as fdtput command lines"), export_fdtput) }
                </span>
            </span>
        </>
    }
}
