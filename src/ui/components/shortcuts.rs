//! Keyboard shortcuts, defined once: [`SHORTCUTS`] is read by the one global key handler,
//! by the tree's key handler ([`tree_nav`]), by the `?` overlay that lists them and by the
//! buttons' `aria-keyshortcuts` and tooltips ([`hint`]).
//!
//! Most actions are "click the control with this id" or "focus this element", so a
//! shortcut does exactly what its button does and is inert where the button is absent.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::ui::state::{Action, Nav};

/// One key: `key` is `KeyboardEvent.key` (so Shift is implied by "?" or "Z").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub key: &'static str,
    pub ctrl: bool,
}

const fn k(key: &'static str) -> Key {
    Key { key, ctrl: false }
}
const fn ctrl(key: &'static str) -> Key {
    Key { key, ctrl: true }
}

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Show or hide the list of shortcuts.
    Help,
    /// Click the element with this id (the shortcut does what the button does).
    Click(&'static str),
    /// Focus (and select, for a text field) the first element matching this selector.
    Focus(&'static str),
    /// Show a pane (click its tab, which matters in a narrow window) and focus it.
    Pane(&'static str, &'static str),
    /// Back to the start screen (asks first when there are edits) and focus the examples.
    Examples,
    /// Go to this fragment route.
    Go(&'static str),
    /// Handled by the tree when it has focus.
    Tree(Nav),
    /// Handled by the tree when it has focus: select the current row.
    TreeSelect,
    /// Listed only: handled by the dialog or field that has focus.
    Local,
}

/// A shortcut: its keys (any of them), what it does and how the overlay describes it.
#[derive(Debug, Clone, Copy)]
pub struct Shortcut {
    pub keys: &'static [Key],
    pub act: Act,
    pub what: &'static str,
}

const fn sc(keys: &'static [Key], act: Act, what: &'static str) -> Shortcut {
    Shortcut { keys, act, what }
}

/// Every shortcut, in groups (the overlay's sections).
pub const SHORTCUTS: &[(&str, &[Shortcut])] = &[
    (
        "Anywhere",
        &[
            sc(&[k("?")], Act::Help, "Show or hide this list"),
            sc(&[k("o")], Act::Click("open-file"), "Open a .dtb, .dts or .dtlens file"),
            sc(&[k("e")], Act::Examples, "Start screen: the bundled examples"),
            sc(&[k("l")], Act::Go("#learn"), "Learn: the bindings and every rule"),
            sc(&[k("Escape")], Act::Local, "Close this list, a menu or the filter"),
        ],
    ),
    (
        "Document",
        &[
            sc(&[k("/")], Act::Focus("#tree-filter"), "Filter the tree"),
            sc(&[k("t")], Act::Focus("[role=tree]"), "Focus the tree"),
            sc(&[k("p")], Act::Pane("show-node", ".node-pane"), "Focus the selected node's properties"),
            sc(
                &[k("f")],
                Act::Pane("show-findings", ".findings-pane"),
                "Focus the findings (Tab reaches each fix button)",
            ),
            sc(&[k("x")], Act::Click("toggle-hex"), "Raw hex on or off"),
            sc(&[ctrl("z")], Act::Click("undo"), "Undo"),
            sc(&[ctrl("Z"), ctrl("y")], Act::Click("redo"), "Redo"),
            sc(&[k("d")], Act::Click("export-dtb"), "Download the DTB"),
            sc(&[k("D")], Act::Click("export-dts"), "Download the DTS"),
            sc(&[k("s")], Act::Click("share"), "Copy a review link"),
            sc(&[k("c")], Act::Focus("#comment-text"), "Comment on the selected node"),
            sc(&[k(",")], Act::Focus("#check-level"), "Settings: check level, theme"),
        ],
    ),
    (
        "Tree (when it has focus)",
        &[
            sc(&[k("ArrowUp")], Act::Tree(Nav::Up), "Previous row"),
            sc(&[k("ArrowDown")], Act::Tree(Nav::Down), "Next row"),
            sc(&[k("ArrowLeft")], Act::Tree(Nav::Left), "Collapse, or go to the parent"),
            sc(&[k("ArrowRight")], Act::Tree(Nav::Right), "Expand, or go to the first child"),
            sc(&[k("Home")], Act::Tree(Nav::Home), "First row"),
            sc(&[k("End")], Act::Tree(Nav::End), "Last row"),
            sc(&[k("Enter"), k(" ")], Act::TreeSelect, "Show the row's node"),
        ],
    ),
];

fn all() -> impl Iterator<Item = &'static Shortcut> {
    SHORTCUTS.iter().flat_map(|(_, list)| list.iter())
}

fn matches(key: &Key, e: &KeyboardEvent) -> bool {
    e.key() == key.key && key.ctrl == (e.ctrl_key() || e.meta_key()) && !e.alt_key()
}

/// The shortcut for a key event (global ones and the tree's).
fn find(e: &KeyboardEvent) -> Option<&'static Shortcut> {
    all().find(|s| s.act != Act::Local && s.keys.iter().any(|k| matches(k, e)))
}

/// The tree's handling of a key: a move, or `Err(())` for "select the current row".
pub fn tree_nav(e: &KeyboardEvent) -> Option<Result<Nav, ()>> {
    match find(e)?.act {
        Act::Tree(n) => Some(Ok(n)),
        Act::TreeSelect => Some(Err(())),
        _ => None,
    }
}

/// How a key is written for people ("Ctrl+Shift+Z", "↑", "?").
pub fn label(key: &Key) -> String {
    let name = match key.key {
        "ArrowUp" => "↑".to_string(),
        "ArrowDown" => "↓".to_string(),
        "ArrowLeft" => "←".to_string(),
        "ArrowRight" => "→".to_string(),
        "Escape" => "Esc".to_string(),
        " " => "Space".to_string(),
        s if s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase()) => format!("Shift+{s}"),
        s if s.len() == 1 => s.to_ascii_uppercase(),
        s => s.to_string(),
    };
    if key.ctrl {
        format!("Ctrl+{name}")
    } else {
        name
    }
}

fn aria(key: &Key) -> String {
    let name = match key.key {
        " " => "Space".to_string(),
        s if s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase()) => format!("Shift+{s}"),
        s if s.len() == 1 && s.chars().all(|c| c.is_ascii_lowercase()) => s.to_ascii_uppercase(),
        s => s.to_string(),
    };
    if key.ctrl {
        format!("Control+{name}")
    } else {
        name
    }
}

/// For the control with DOM id `id`: its keys as `aria-keyshortcuts` and as a tooltip
/// suffix (" (Ctrl+Z)"); empty when no shortcut clicks it.
pub fn hint(id: &str) -> (String, String) {
    let Some(s) = all().find(|s| matches!(s.act, Act::Click(x) if x == id)) else {
        return (String::new(), String::new());
    };
    let aria: Vec<String> = s.keys.iter().map(aria).collect();
    let human: Vec<String> = s.keys.iter().map(label).collect();
    (aria.join(" "), format!(" ({})", human.join(", ")))
}

fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .is_some_and(|el| el.is_content_editable() || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn query(sel: &str) -> Option<HtmlElement> {
    gloo::utils::document().query_selector(sel).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
}

/// Focuses `sel`, selecting a text field's content.
fn focus(sel: &str) -> bool {
    let Some(el) = query(sel) else { return false };
    if el.tab_index() < 0 && !matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT" | "BUTTON" | "A") {
        el.set_tab_index(-1);
    }
    let _ = el.focus();
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.select();
    }
    // A hidden element (not rendered yet) does not take focus.
    gloo::utils::document().active_element().is_some_and(|a| &a == el.as_ref() as &web_sys::Element)
}

/// Focuses `sel` once it is rendered (after a click or a route changed the view): tries
/// again every 16 ms, for up to 3 s (a busy machine renders late), until it takes focus.
pub fn focus_later(sel: &'static str) {
    const TRIES: u32 = 180;
    fn attempt(sel: &'static str, left: u32) {
        gloo::timers::callback::Timeout::new(if left == TRIES { 0 } else { 16 }, move || {
            if !focus(sel) && left > 0 {
                attempt(sel, left - 1);
            }
        })
        .forget();
    }
    attempt(sel, TRIES);
}

/// Asks before dropping a document with edits ("Cancel" keeps it).
pub fn confirm_close(name: &str, edited: bool) -> bool {
    !edited
        || gloo::utils::window()
            .confirm_with_message(&format!(
                "Close {name} and go back to the start screen? Its edits are lost unless you downloaded them."
            ))
            .unwrap_or(true)
}

/// The shortcut list dialog, when it is open.
fn help_open() -> bool {
    query("#shortcuts").is_some_and(|d| d.has_attribute("open"))
}

/// Opens the shortcut list (a modal `<dialog>`), or closes it.
pub fn toggle_help() {
    if let Some(d) = query("#shortcuts") {
        call(&d, if d.has_attribute("open") { "close" } else { "showModal" });
    }
}

/// Shows a pane (clicks its tab, which matters in a narrow window) and focuses it.
pub fn show_pane(tab: &str, sel: &'static str) {
    if let Some(tab) = query(&format!("#{tab}")) {
        tab.click();
    }
    focus_later(sel);
}

/// In a narrow window the findings side is a tab: show it before acting on its controls.
fn reveal_side(el: &HtmlElement) -> bool {
    let inside = el.closest(".findings-pane").ok().flatten().is_some();
    let tab = query("#show-findings").filter(|t| t.get_attribute("aria-selected").as_deref() != Some("true"));
    match tab {
        Some(t) if inside => {
            t.click();
            true
        }
        _ => false,
    }
}

/// Runs an action; false when it had nothing to act on.
fn run(act: Act, p: &Ctx) -> bool {
    match act {
        Act::Help => {
            toggle_help();
            true
        }
        Act::Click(id) => match query(&format!("#{id}")) {
            Some(el) => {
                reveal_side(&el);
                el.click();
                true
            }
            None => false,
        },
        Act::Focus(sel) => match query(sel) {
            Some(el) => {
                if reveal_side(&el) {
                    focus_later(sel);
                    true
                } else {
                    focus(sel)
                }
            }
            None => false,
        },
        Act::Pane(tab, sel) => {
            show_pane(tab, sel);
            query(sel).is_some()
        }
        Act::Examples => {
            if query(".start").is_none() {
                if !confirm_close(&p.name, p.edited) {
                    return true;
                }
                crate::ui::route::go(&crate::ui::route::Route::Main);
                p.dispatch.emit(Action::Close);
            }
            focus_later(".start .example");
            true
        }
        Act::Go(hash) => {
            let _ = gloo::utils::window().location().set_hash(hash);
            true
        }
        Act::Tree(_) | Act::TreeSelect | Act::Local => false,
    }
}

/// Calls a JS method without arguments on `target` (`showModal`, `close`).
fn call(target: &JsValue, method: &str) {
    if let Ok(f) = js_sys::Reflect::get(target, &JsValue::from_str(method)) {
        if let Ok(f) = f.dyn_into::<js_sys::Function>() {
            let _ = f.call0(target);
        }
    }
}

/// What the key handler needs from the app.
struct Ctx {
    dispatch: Callback<Action>,
    /// The open document's name and whether it has edits (E asks before closing it).
    name: AttrValue,
    edited: bool,
}

/// Installs the one global key handler (re-installed when the document's name or edited
/// state changes, so E asks about the right one).
#[hook]
pub fn use_shortcuts(dispatch: Callback<Action>, name: AttrValue, edited: bool) {
    use_effect_with((name, edited), move |(name, edited)| {
        let p = Ctx { dispatch, name: name.clone(), edited: *edited };
        let cb = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.default_prevented() || e.is_composing() {
                return;
            }
            let Some(s) = find(&e) else { return };
            if matches!(s.act, Act::Tree(_) | Act::TreeSelect) {
                return;
            }
            let open = help_open();
            // While the list is open only `?` works (Esc is the dialog's own).
            if (open && s.act != Act::Help) || (!open && typing(&e)) {
                return;
            }
            if run(s.act, &p) {
                e.prevent_default();
            }
        });
        let doc = gloo::utils::document();
        let _ = doc.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
        move || {
            let _ = doc.remove_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
            drop(cb);
        }
    });
}

/// The `?` overlay: a modal `<dialog>` (Esc closes it and focus returns where it was; Tab
/// stays inside while it is open), listing [`SHORTCUTS`]. A component without props, so it
/// renders once, not on every render of the app.
#[function_component]
pub fn ShortcutList() -> Html {
    let close = Callback::from(|_: MouseEvent| toggle_help());
    let row = |s: &Shortcut| {
        html! {
            <tr>
                <td class="keys">{ for s.keys.iter().enumerate().map(|(i, key)| html! {
                    <>{ if i > 0 { " or " } else { "" } }<kbd>{ label(key) }</kbd></>
                }) }</td>
                <td>{ s.what }</td>
            </tr>
        }
    };
    html! {
        <dialog id="shortcuts" class="shortcuts" aria-labelledby="shortcuts-title">
            <div class="dialog-head">
                <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                <button type="button" id="shortcuts-close" onclick={close}>{ "Close (Esc)" }</button>
            </div>
            <p class="hint">{ "Tab and Shift+Tab move between controls; buttons work with Enter or Space. \
                The single keys below work whenever no text field has focus." }</p>
            <div class="shortcut-groups">
                { for SHORTCUTS.iter().map(|(group, list)| html! {
                    <section>
                        <h3>{ *group }</h3>
                        <table><tbody>{ for list.iter().map(row) }</tbody></table>
                    </section>
                }) }
            </div>
        </dialog>
    }
}
