//! Node editing for the selected node: rename, add a child, delete, move under another
//! parent; and, on the root, the memory reservations. Every change is an [`Op`]; a name
//! the spec forbids (or any op the tree refuses) shows the refusal next to the field.

use std::rc::Rc;

use yew::prelude::*;

use super::editor::{field_error, submit, target_value, NodePicker};
use crate::edit::Op;
use crate::tree::NodeId;
use crate::ui::state::Action;
use crate::view::Doc;

#[derive(Properties, PartialEq)]
pub struct NodeEditorProps {
    pub doc: Rc<Doc>,
    pub id: NodeId,
    pub dispatch: Callback<Action>,
}

/// Keyed by the caller on (generation, node) so the drafts restart after each edit.
#[function_component]
pub fn NodeEditor(p: &NodeEditorProps) -> Html {
    let doc = &p.doc;
    let node = doc.tree.node(p.id);
    let is_root = node.parent.is_none();
    let path = doc.path(p.id).to_string();
    let name = use_state(|| node.name.clone());
    let child = use_state(String::new);
    let dest = use_state(String::new);
    // The parent picker lists every node: built only when asked for ("Move to…").
    let moving = use_state(|| false);
    let error = use_state(|| None::<String>);
    let input = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(target_value(&e)))
    };
    let op_button = |make: Rc<dyn Fn() -> Vec<Op>>| {
        let (doc, dispatch, error) = (doc.clone(), p.dispatch.clone(), error.clone());
        Callback::from(move |_: MouseEvent| submit(&doc, make(), &dispatch, &error))
    };
    // Text fields submit with Enter.
    let on_submit = |make: Rc<dyn Fn() -> Vec<Op>>| {
        let (doc, dispatch, error) = (doc.clone(), p.dispatch.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            submit(&doc, make(), &dispatch, &error)
        })
    };
    let rename = {
        let (path, name) = (path.clone(), name.clone());
        on_submit(Rc::new(move || vec![Op::RenameNode { path: path.clone(), name: (*name).clone() }]))
    };
    let add = {
        let (path, child) = (path.clone(), child.clone());
        on_submit(Rc::new(move || vec![Op::AddNode { parent: path.clone(), name: (*child).clone(), index: None }]))
    };
    let delete = {
        let path = path.clone();
        op_button(Rc::new(move || vec![Op::RemoveNode { path: path.clone() }]))
    };
    let mv = {
        let (path, dest) = (path.clone(), dest.clone());
        op_button(Rc::new(move || vec![Op::MoveNode { path: path.clone(), new_parent: (*dest).clone(), index: None }]))
    };
    let pick = {
        let dest = dest.clone();
        Callback::from(move |s: String| dest.set(s))
    };
    html! {
        <section class="editor node-editor" aria-label="Edit node">
            <h3 class="ed-title">{ "Edit node" }</h3>
            if !is_root {
                <form class="ed-row" onsubmit={rename}>
                    <input type="text" id="node-rename" value={(*name).clone()} oninput={input(&name)} aria-label="Node name"
                        aria-describedby="node-edit-error" aria-invalid={error.is_some().then_some("true")} spellcheck="false" />
                    <button type="submit" id="node-rename-btn">{ "Rename" }</button>
                    <button type="button" id="node-delete" onclick={delete}>{ "Delete node" }</button>
                </form>
                <div class="ed-row">
                    if *moving {
                        <NodePicker doc={doc.clone()} value={AttrValue::from((*dest).clone())} id="move-parent" label="New parent" on_pick={pick} />
                        <button type="button" id="node-move" onclick={mv} disabled={dest.is_empty()}>{ "Move here" }</button>
                    } else {
                        <button type="button" id="node-move-start" aria-expanded="false"
                            onclick={{ let moving = moving.clone(); Callback::from(move |_: MouseEvent| moving.set(true)) }}>{ "Move to…" }</button>
                    }
                </div>
            }
            <form class="ed-row" onsubmit={add}>
                <input type="text" id="node-add-name" value={(*child).clone()} oninput={input(&child)} placeholder="child name, e.g. serial@1000"
                    aria-label="New child node name" aria-describedby="node-edit-error" spellcheck="false" />
                <button type="submit" id="node-add">{ "Add child" }</button>
            </form>
            { field_error("node-edit-error", &error) }
            if is_root { <Reservations doc={doc.clone()} dispatch={p.dispatch.clone()} /> }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResProps {
    doc: Rc<Doc>,
    dispatch: Callback<Action>,
}

fn parse_u64(s: &str) -> Result<u64, String> {
    let b = crate::view::editing::parse_u64s(s)?;
    if b.len() != 8 {
        return Err("enter one 64-bit number".into());
    }
    crate::value::as_u64(&b).ok_or_else(|| "not a number".into())
}

/// The memory reservation list (`/memreserve/`): remove one, add one.
#[function_component]
fn Reservations(p: &ResProps) -> Html {
    let addr = use_state(String::new);
    let size = use_state(String::new);
    let error = use_state(|| None::<String>);
    let rows = p.doc.tree.reservations.iter().enumerate().map(|(i, r)| {
        let (doc, dispatch, error) = (p.doc.clone(), p.dispatch.clone(), error.clone());
        let del = Callback::from(move |_: MouseEvent| submit(&doc, vec![Op::RemoveReservation { index: i }], &dispatch, &error));
        html! {
            <li class="resv" data-index={i.to_string()}>
                <span class="mono">{ format!("{:#x} size {:#x}", r.address, r.size) }</span>
                <button type="button" class="resv-remove" onclick={del} aria-label={format!("Remove reservation {}", i + 1)}>{ "✕" }</button>
            </li>
        }
    });
    let add = {
        let (doc, dispatch, error, addr, size) =
            (p.doc.clone(), p.dispatch.clone(), error.clone(), addr.clone(), size.clone());
        Callback::from(move |_: MouseEvent| match (parse_u64(&addr), parse_u64(&size)) {
            (Ok(address), Ok(size)) => {
                submit(&doc, vec![Op::AddReservation { address, size, index: None }], &dispatch, &error)
            }
            (Err(e), _) => error.set(Some(format!("address: {e}"))),
            (_, Err(e)) => error.set(Some(format!("size: {e}"))),
        })
    };
    let input = |h: &UseStateHandle<String>| {
        let h = h.clone();
        Callback::from(move |e: InputEvent| h.set(target_value(&e)))
    };
    html! {
        <div class="reservations">
            <h4>{ "Memory reservations" }</h4>
            if p.doc.tree.reservations.is_empty() { <p class="empty">{ "None." }</p> }
            <ul class="resv-list">{ for rows }</ul>
            <div class="ed-row">
                <input type="text" id="resv-addr" value={(*addr).clone()} oninput={input(&addr)} placeholder="address" aria-label="Reservation address" aria-describedby="resv-error" />
                <input type="text" id="resv-size" value={(*size).clone()} oninput={input(&size)} placeholder="size" aria-label="Reservation size" aria-describedby="resv-error" />
                <button type="button" id="resv-add" onclick={add}>{ "Add reservation" }</button>
            </div>
            { field_error("resv-error", &error) }
        </div>
    }
}
