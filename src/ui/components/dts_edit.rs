//! The editable DTS pane: the whole tree as source in a textarea. Typing re-parses after a
//! pause (300 ms); errors show with line:column; a clean parse that changes the tree
//! replaces it as one undoable step. While the field has focus it keeps the user's text;
//! otherwise it follows the tree (after an undo, another edit, a fix).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::editor::target_value;
use crate::ui::state::Action;
use crate::view::editing::parse_dts;
use crate::view::Doc;

const DEBOUNCE_MS: u32 = 300;

#[derive(Properties, PartialEq)]
pub struct DtsEditProps {
    pub doc: Rc<Doc>,
    pub dispatch: Callback<Action>,
}

#[derive(Clone, PartialEq)]
enum Parse {
    Idle,
    Ok,
    Unchanged,
    Err(String),
}

#[function_component]
pub fn DtsEdit(p: &DtsEditProps) -> Html {
    let area = use_node_ref();
    let text = {
        let doc = p.doc.clone();
        use_state(move || doc.dts().to_string())
    };
    let status = use_state(|| Parse::Idle);
    let timer: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    // Follow the tree unless the user is typing in the field.
    {
        let (area, text, doc) = (area.clone(), text.clone(), p.doc.clone());
        use_effect_with(p.doc.generation, move |_| {
            let focused = gloo::utils::document()
                .active_element()
                .zip(area.cast::<HtmlElement>())
                .is_some_and(|(a, b)| a == *b.as_ref());
            if !focused {
                text.set(doc.dts().to_string());
            }
        });
    }
    let oninput = {
        let (text, status, timer, doc, dispatch) =
            (text.clone(), status.clone(), timer.clone(), p.doc.clone(), p.dispatch.clone());
        Callback::from(move |e: InputEvent| {
            let src = target_value(&e);
            text.set(src.clone());
            let (status, doc, dispatch) = (status.clone(), doc.clone(), dispatch.clone());
            // Replacing the timer cancels the pending parse.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || match parse_dts(&doc.name, &src) {
                Err(e) => status.set(Parse::Err(e)),
                Ok(tree) => {
                    if crate::dtb::write(&tree) == crate::dtb::write(&doc.tree) {
                        status.set(Parse::Unchanged);
                    } else {
                        status.set(Parse::Ok);
                        dispatch.emit(Action::ReplaceTree(Box::new(tree)));
                    }
                }
            }));
        })
    };
    let msg = match &*status {
        Parse::Idle => {
            html! { <p class="hint" id="dts-editor-status" role="status">{ "Edit the source; the tree follows when it compiles." }</p> }
        }
        Parse::Ok => {
            html! { <p class="hint ok" id="dts-editor-status" role="status">{ "Compiled: the tree was replaced (undo takes it back)." }</p> }
        }
        Parse::Unchanged => {
            html! { <p class="hint" id="dts-editor-status" role="status">{ "Compiles; same tree as before." }</p> }
        }
        Parse::Err(e) => html! { <pre class="field-error" id="dts-editor-status" role="alert">{ e.clone() }</pre> },
    };
    html! {
        <div class="dts-edit">
            { msg }
            <textarea id="dts-editor" ref={area} value={(*text).clone()} {oninput} spellcheck="false"
                aria-label="DTS source of the whole tree (editable)" aria-describedby="dts-editor-status"
                aria-invalid={matches!(*status, Parse::Err(_)).then_some("true")} />
        </div>
    }
}

/// Pasting DTS source anywhere outside a text field opens it as a document ("paste a
/// snippet from a mailing-list post"); source that does not compile says where.
#[hook]
pub fn use_paste_open(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let cb = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let typing = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()).is_some_and(|el| {
                el.is_content_editable() || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
            if typing {
                return;
            }
            let text = js_sys::Reflect::get(&e, &JsValue::from_str("clipboardData"))
                .ok()
                .filter(JsValue::is_object)
                .and_then(|d| {
                    let get = js_sys::Reflect::get(&d, &JsValue::from_str("getData")).ok()?;
                    let get: js_sys::Function = get.dyn_into().ok()?;
                    get.call1(&d, &JsValue::from_str("text/plain")).ok()?.as_string()
                });
            if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                e.prevent_default();
                dispatch.emit(Action::Open { name: "pasted.dts".into(), bytes: text.into_bytes() });
            }
        });
        let doc = gloo::utils::document();
        let _ = doc.add_event_listener_with_callback("paste", cb.as_ref().unchecked_ref());
        move || {
            let _ = doc.remove_event_listener_with_callback("paste", cb.as_ref().unchecked_ref());
            drop(cb);
        }
    });
}
