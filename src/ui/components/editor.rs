//! Property editing for the selected node: pick a property (or the one highlighted from a
//! finding or a row's edit button), edit it with the editor that fits its type, rename
//! or delete it, or add a new one. Every change is an [`Op`] dispatched as one undoable
//! step; input that does not parse, or an op the tree would refuse, shows its message next
//! to the field and dispatches nothing.

use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::edit::Op;
use crate::tree::NodeId;
use crate::ui::state::Action;
use crate::view::editing::{self, EditorKind};
use crate::view::Doc;

/// Options shown at most in a node picker (the filter narrows the rest).
const MAX_PICK: usize = 300;

/// A change to the string-list draft.
type ListChange = Box<dyn Fn(&mut Vec<String>)>;

/// The `value` of an input, select or textarea that fired `e`.
pub fn target_value(e: &Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&JsValue::from(t), &JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Checks `ops` against the tree and dispatches them, or reports why not.
pub fn submit(doc: &Doc, ops: Vec<Op>, dispatch: &Callback<Action>, error: &UseStateHandle<Option<String>>) {
    match editing::check_ops(&doc.tree, &ops) {
        Ok(()) => {
            error.set(None);
            dispatch.emit(Action::Edit(ops));
        }
        Err(e) => error.set(Some(e)),
    }
}

/// An error line tied to its field by id.
pub fn field_error(id: &str, error: &Option<String>) -> Html {
    match error {
        Some(e) => html! { <p class="field-error" id={id.to_string()} role="alert">{ e.clone() }</p> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub doc: Rc<Doc>,
    pub id: NodeId,
    /// The property to start with (from a finding or a row's edit button).
    pub focus_prop: Option<AttrValue>,
    pub dispatch: Callback<Action>,
}

#[function_component]
pub fn PropEditor(p: &EditorProps) -> Html {
    let node = p.doc.tree.node(p.id);
    let first = node.props.first().map(|pr| pr.name.clone()).unwrap_or_default();
    let chosen = use_state(|| p.focus_prop.as_deref().map(str::to_string).unwrap_or(first.clone()));
    let kind = use_state(|| None::<EditorKind>);
    {
        let (chosen, kind) = (chosen.clone(), kind.clone());
        let first = first.clone();
        // Another node or property: start from its own value with the editor that fits.
        use_effect_with((p.focus_prop.clone(), p.id), move |(f, _)| {
            chosen.set(f.as_deref().map(str::to_string).unwrap_or(first));
            kind.set(None);
        });
    }
    let name = if node.prop(&chosen).is_some() { (*chosen).clone() } else { first };
    let path = p.doc.path(p.id).to_string();

    let on_pick = {
        let chosen = chosen.clone();
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            chosen.set(target_value(&e));
            kind.set(None);
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| kind.set(EditorKind::parse(&target_value(&e))))
    };
    let current = node.prop(&name).map(|pr| pr.value.clone());
    let body = match &current {
        Some(v) => {
            let k = kind.unwrap_or_else(|| editing::default_kind(&name, v));
            let key = format!("{}/{}/{}/{}", p.doc.generation, p.id.0, name, k.as_str());
            html! {
                <>
                    <label class="ed-row">{ "edit as " }
                        <select id="edit-kind" onchange={on_kind} aria-label="Editor type">
                            { for EditorKind::ALL.iter().map(|x| html! {
                                <option value={x.as_str()} selected={*x == k}>{ x.as_str() }</option>
                            }) }
                        </select>
                    </label>
                    <ValueEditor {key} doc={p.doc.clone()} id={p.id} name={AttrValue::from(name.clone())}
                        kind={k} dispatch={p.dispatch.clone()} />
                    <PropOps key={format!("ops/{}/{}/{}", p.doc.generation, p.id.0, name)} doc={p.doc.clone()}
                        path={AttrValue::from(path.clone())} name={AttrValue::from(name.clone())} dispatch={p.dispatch.clone()} />
                </>
            }
        }
        None => html! { <p class="empty">{ "No property to edit; add one below." }</p> },
    };
    html! {
        <section class="editor prop-editor" aria-label="Edit property">
            <h3 class="ed-title">{ "Edit property " }
                if !node.props.is_empty() {
                    <select id="edit-prop" onchange={on_pick} aria-label="Property to edit">
                        { for node.props.iter().map(|pr| html! {
                            <option value={pr.name.clone()} selected={pr.name == name}>{ pr.name.clone() }</option>
                        }) }
                    </select>
                }
            </h3>
            { body }
            <AddProp key={format!("add/{}/{}", p.doc.generation, p.id.0)} doc={p.doc.clone()}
                path={AttrValue::from(path)} dispatch={p.dispatch.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ValueProps {
    doc: Rc<Doc>,
    id: NodeId,
    name: AttrValue,
    kind: EditorKind,
    dispatch: Callback<Action>,
}

/// The typed editor. Keyed by (document generation, node, property, kind), so its draft
/// starts from the current value after every edit.
#[function_component]
fn ValueEditor(p: &ValueProps) -> Html {
    let doc = &p.doc;
    let value = doc.tree.node(p.id).prop(&p.name).map(|pr| pr.value.clone()).unwrap_or_default();
    let per = editing::entry_cells(doc, p.id, &p.name);
    let error = use_state(|| None::<String>);
    let entries = {
        let v = value.clone();
        use_state(move || editing::string_entries(&v))
    };
    let hex = use_state(|| true);
    let text = {
        let (v, kind, doc) = (value.clone(), p.kind, doc.clone());
        let name = p.name.clone();
        use_state(move || match kind {
            EditorKind::Cells => editing::cells_text(&v, per, true),
            EditorKind::U64 => v
                .chunks_exact(8)
                .map(|c| format!("{:#x}", crate::value::as_u64(c).unwrap_or(0)))
                .collect::<Vec<_>>()
                .join(" "),
            EditorKind::Bytes | EditorKind::RawHex => editing::hex_text(&v),
            EditorKind::Dts => editing::dts_value_text(&v),
            EditorKind::Phandle => {
                let target = crate::value::as_u32(&v).and_then(|ph| doc.phandles.get(&ph).copied());
                target.map(|t| doc.path(t).to_string()).unwrap_or_default()
            }
            _ => {
                let _ = name;
                String::new()
            }
        })
    };
    let path = doc.path(p.id).to_string();
    let err_id = "edit-value-error";
    let invalid = error.is_some().then_some("true");

    let apply = {
        let (doc, text, entries, error, dispatch) =
            (doc.clone(), text.clone(), entries.clone(), error.clone(), p.dispatch.clone());
        let (kind, name, path) = (p.kind, p.name.to_string(), path.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let set = |value: Vec<u8>| vec![Op::SetProp { path: path.clone(), name: name.clone(), value }];
            let ops = match kind {
                EditorKind::Strings => editing::strings_value(&entries).map(set),
                EditorKind::Cells => editing::parse_cells(&text, per).map(set),
                EditorKind::U64 => editing::parse_u64s(&text).map(set),
                EditorKind::Bytes | EditorKind::RawHex => editing::parse_hex_bytes(&text).map(set),
                EditorKind::Empty => Ok(set(Vec::new())),
                EditorKind::Dts => crate::dts::parse::parse_value(&text, Some(&doc.tree))
                    .map(set)
                    .map_err(|d| format!("{}:{}: {}", d.line, d.column, d.message)),
                EditorKind::Phandle => match doc.tree.find(&text) {
                    Some(t) => editing::phandle_ops(&doc.tree, &path, &name, t),
                    None => Err(format!("pick a target node (no node {})", *text)),
                },
            };
            match ops {
                Ok(ops) => submit(&doc, ops, &dispatch, &error),
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(target_value(&e)))
    };

    let field = match p.kind {
        EditorKind::Strings => {
            let list = (*entries).clone();
            let n = list.len();
            let items = list.iter().enumerate().map(|(i, s)| {
                let upd = |f: ListChange| {
                    let entries = entries.clone();
                    Callback::from(move |_: MouseEvent| {
                        let mut v = (*entries).clone();
                        f(&mut v);
                        entries.set(v);
                    })
                };
                let oninput = {
                    let entries = entries.clone();
                    Callback::from(move |e: InputEvent| {
                        let mut v = (*entries).clone();
                        if let Some(x) = v.get_mut(i) {
                            *x = e.target_unchecked_into::<HtmlInputElement>().value();
                        }
                        entries.set(v);
                    })
                };
                let up = upd(Box::new(move |v| {
                    if i > 0 {
                        v.swap(i - 1, i)
                    }
                }));
                let down = upd(Box::new(move |v| {
                    if i + 1 < v.len() {
                        v.swap(i, i + 1)
                    }
                }));
                let del = upd(Box::new(move |v| {
                    v.remove(i);
                }));
                html! {
                    <li class="str-entry" data-index={i.to_string()}>
                        <input type="text" value={s.clone()} {oninput} aria-label={format!("Entry {}", i + 1)}
                            aria-invalid={invalid} aria-describedby={err_id} spellcheck="false" />
                        <button type="button" class="entry-up" onclick={up} disabled={i == 0}
                            aria-label={format!("Move entry {} up", i + 1)}>{ "↑" }</button>
                        <button type="button" class="entry-down" onclick={down} disabled={i + 1 == n}
                            aria-label={format!("Move entry {} down", i + 1)}>{ "↓" }</button>
                        <button type="button" class="entry-remove" onclick={del}
                            aria-label={format!("Remove entry {}", i + 1)}>{ "✕" }</button>
                    </li>
                }
            });
            let add = {
                let entries = entries.clone();
                Callback::from(move |_: MouseEvent| {
                    let mut v = (*entries).clone();
                    v.push(String::new());
                    entries.set(v);
                })
            };
            html! {
                <>
                    <ol class="str-list" aria-label="String entries">{ for items }</ol>
                    <button type="button" class="entry-add" onclick={add}>{ "+ entry" }</button>
                </>
            }
        }
        EditorKind::Cells => {
            let toggle = {
                let (hex, text) = (hex.clone(), text.clone());
                Callback::from(move |_: Event| {
                    let to_hex = !*hex;
                    if let Ok(b) = editing::parse_cells(&text, None) {
                        text.set(editing::cells_text(&b, per, to_hex));
                    }
                    hex.set(to_hex);
                })
            };
            let hint = match per {
                Some(n) => format!("one entry of {n} cells per line"),
                None => "32-bit cells, decimal or 0x hex".to_string(),
            };
            html! {
                <>
                    <textarea id="edit-value" class="cells" rows="3" value={(*text).clone()} oninput={on_text}
                        aria-label={format!("Cells ({hint})")} aria-invalid={invalid} aria-describedby={err_id} spellcheck="false" />
                    <label class="ed-row"><input type="checkbox" id="edit-decimal" checked={!*hex} onchange={toggle} />{ " decimal" }</label>
                    <span class="hint">{ hint }</span>
                </>
            }
        }
        EditorKind::Phandle => {
            html! { <NodePicker doc={doc.clone()} value={AttrValue::from((*text).clone())} id="edit-target"
            label="Target node" on_pick={{ let text = text.clone(); Callback::from(move |s: String| text.set(s)) }} /> }
        }
        EditorKind::Empty => html! { <p class="hint">{ "An empty property: true by its presence." }</p> },
        _ => {
            let label = match p.kind {
                EditorKind::U64 => "64-bit values, decimal or 0x hex",
                EditorKind::Dts => "Value in DTS syntax, e.g. \"a\", \"b\" or <0x1 &label> or [01 02]",
                _ => "Bytes in hex, e.g. 01 02 ab",
            };
            html! {
                <input type="text" id="edit-value" value={(*text).clone()} oninput={on_text} aria-label={label}
                    placeholder={label} aria-invalid={invalid} aria-describedby={err_id} spellcheck="false" />
            }
        }
    };
    html! {
        <form class="value-editor" data-kind={p.kind.as_str()} onsubmit={apply}>
            { field }
            <button type="submit" id="edit-apply" class="primary">{ "Apply" }</button>
            { field_error(err_id, &error) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct PropOpsProps {
    doc: Rc<Doc>,
    path: AttrValue,
    name: AttrValue,
    dispatch: Callback<Action>,
}

/// Rename or delete the chosen property.
#[function_component]
fn PropOps(p: &PropOpsProps) -> Html {
    let new_name = use_state(|| p.name.to_string());
    let error = use_state(|| None::<String>);
    let on_input = {
        let new_name = new_name.clone();
        Callback::from(move |e: InputEvent| new_name.set(target_value(&e)))
    };
    let rename = {
        let (doc, dispatch, error, new_name) = (p.doc.clone(), p.dispatch.clone(), error.clone(), new_name.clone());
        let (path, from) = (p.path.to_string(), p.name.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let op = Op::RenameProp { path: path.clone(), from: from.clone(), to: (*new_name).clone() };
            submit(&doc, vec![op], &dispatch, &error);
        })
    };
    let delete = {
        let (doc, dispatch, error) = (p.doc.clone(), p.dispatch.clone(), error.clone());
        let (path, name) = (p.path.to_string(), p.name.to_string());
        Callback::from(move |_: MouseEvent| {
            submit(&doc, vec![Op::RemoveProp { path: path.clone(), name: name.clone() }], &dispatch, &error);
        })
    };
    html! {
        <form class="ed-row prop-ops" onsubmit={rename}>
            <input type="text" id="prop-rename" value={(*new_name).clone()} oninput={on_input} aria-label="New property name"
                aria-describedby="prop-ops-error" spellcheck="false" />
            <button type="submit" id="prop-rename-btn">{ "Rename" }</button>
            <button type="button" id="prop-delete" onclick={delete}>{ "Delete property" }</button>
            { field_error("prop-ops-error", &error) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct AddPropProps {
    doc: Rc<Doc>,
    path: AttrValue,
    dispatch: Callback<Action>,
}

/// Add a property: a name and a value in DTS syntax (empty: a boolean property).
#[function_component]
fn AddProp(p: &AddPropProps) -> Html {
    let name = use_state(String::new);
    let value = use_state(String::new);
    let error = use_state(|| None::<String>);
    let add = {
        let (doc, dispatch, error, name, value) =
            (p.doc.clone(), p.dispatch.clone(), error.clone(), name.clone(), value.clone());
        let path = p.path.to_string();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Err(e) = crate::edit::validate_prop_name(&name) {
                error.set(Some(e.0));
                return;
            }
            if doc.tree.find(&path).and_then(|id| doc.tree.node(id).prop(&name)).is_some() {
                error.set(Some(format!("the node already has a property {}", *name)));
                return;
            }
            let bytes = if value.trim().is_empty() {
                Ok(Vec::new())
            } else {
                crate::dts::parse::parse_value(&value, Some(&doc.tree))
                    .map_err(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            };
            match bytes {
                Ok(v) => submit(
                    &doc,
                    vec![Op::SetProp { path: path.clone(), name: (*name).clone(), value: v }],
                    &dispatch,
                    &error,
                ),
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(target_value(&e)))
    };
    let on_value = {
        let value = value.clone();
        Callback::from(move |e: InputEvent| value.set(target_value(&e)))
    };
    html! {
        <form class="ed-row add-prop" onsubmit={add}>
            <input type="text" id="prop-add-name" value={(*name).clone()} oninput={on_name} placeholder="new property"
                aria-label="New property name" aria-describedby="prop-add-error" spellcheck="false" />
            <input type="text" id="prop-add-value" value={(*value).clone()} oninput={on_value} placeholder="value (DTS), empty = boolean"
                aria-label="New property value in DTS syntax" aria-describedby="prop-add-error" spellcheck="false" />
            <button type="submit" id="prop-add">{ "Add property" }</button>
            { field_error("prop-add-error", &error) }
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub struct NodePickerProps {
    pub doc: Rc<Doc>,
    /// The chosen path.
    pub value: AttrValue,
    pub id: AttrValue,
    pub label: AttrValue,
    pub on_pick: Callback<String>,
}

/// Pick a node by path: a filter box and a list of matching paths.
#[function_component]
pub fn NodePicker(p: &NodePickerProps) -> Html {
    let filter = use_state(String::new);
    let needle = filter.to_ascii_lowercase();
    let options = p
        .doc
        .order
        .iter()
        .map(|&id| p.doc.path(id))
        .filter(|path| needle.is_empty() || path.to_ascii_lowercase().contains(&needle) || *path == p.value.as_str())
        .take(MAX_PICK);
    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(target_value(&e)))
    };
    let on_change = p.on_pick.reform(|e: Event| target_value(&e));
    html! {
        <span class="node-picker">
            <input type="search" id={format!("{}-filter", p.id)} value={(*filter).clone()} oninput={on_filter}
                placeholder="filter paths" aria-label={format!("{}: filter", p.label)} />
            <select id={p.id.clone()} onchange={on_change} aria-label={p.label.clone()}>
                <option value="" selected={p.value.is_empty()}>{ "(choose a node)" }</option>
                { for options.map(|path| html! {
                    <option value={path.to_string()} selected={path == p.value.as_str()}>{ path.to_string() }</option>
                }) }
            </select>
        </span>
    }
}
