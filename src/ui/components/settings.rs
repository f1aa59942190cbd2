//! Settings: the check level (default / W=1 / W=2, like the kernel's use of dtc),
//! "warnings are errors" and the colour theme. Per-rule toggles live on the rule page and
//! on each finding.

use std::rc::Rc;

use yew::prelude::*;

use crate::check::{Config, Level};

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub config: Rc<Config>,
    pub on_config: Callback<Config>,
}

#[function_component]
pub fn Settings(p: &SettingsProps) -> Html {
    let on_level = {
        let (config, on_config) = (p.config.clone(), p.on_config.clone());
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut c = (*config).clone();
            c.level = Level::parse(&sel.value()).unwrap_or_default();
            on_config.emit(c);
        })
    };
    let on_werror = {
        let (config, on_config) = (p.config.clone(), p.on_config.clone());
        Callback::from(move |_: Event| {
            let mut c = (*config).clone();
            c.warnings_as_errors = !c.warnings_as_errors;
            on_config.emit(c);
        })
    };
    let off = p.config.overrides.len();
    let reset = {
        let (config, on_config) = (p.config.clone(), p.on_config.clone());
        Callback::from(move |_| {
            let mut c = (*config).clone();
            c.overrides.clear();
            on_config.emit(c);
        })
    };
    let level = p.config.level;
    let opt =
        |l: Level, label: &'static str| html! { <option value={l.as_str()} selected={level == l}>{ label }</option> };
    html! {
        <div class="settings">
            <label>{ "Checks " }
                <select id="check-level" onchange={on_level} title="Which generic dtc checks run, like the kernel's W=1 / W=2">
                    { opt(Level::Default, "default") }{ opt(Level::W1, "W=1") }{ opt(Level::W2, "W=2") }
                </select>
            </label>
            <label title="Report every warning as an error">
                <input type="checkbox" id="werror" checked={p.config.warnings_as_errors} onchange={on_werror} />{ " warnings are errors" }
            </label>
            { theme_picker() }
            if off > 0 {
                <button type="button" id="reset-rules" onclick={reset}>{ format!("reset {off} rule toggle{}", if off == 1 { "" } else { "s" }) }</button>
            }
        </div>
    }
}

/// The colour theme: follow the system (the default), or always light or dark. Stored in
/// `localStorage` and applied as `data-theme` on `<html>` (boot.js applies it before the
/// app starts, so there is no flash); app.css defines every colour once with `light-dark()`.
pub mod theme {
    use wasm_bindgen::{JsCast, JsValue};

    pub const KEY: &str = "dtlens-theme";
    /// (value, label)
    pub const CHOICES: &[(&str, &str)] = &[("system", "as the system"), ("light", "light"), ("dark", "dark")];

    fn storage() -> Option<JsValue> {
        js_sys::Reflect::get(&gloo::utils::window(), &JsValue::from_str("localStorage")).ok().filter(|s| s.is_object())
    }

    fn call(target: &JsValue, method: &str, args: &[&str]) -> Option<JsValue> {
        let f: js_sys::Function = js_sys::Reflect::get(target, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
        let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
        f.apply(target, &args).ok()
    }

    /// The stored choice ("system" when none or storage is unavailable).
    pub fn current() -> String {
        storage()
            .and_then(|s| call(&s, "getItem", &[KEY]))
            .and_then(|v| v.as_string())
            .filter(|v| CHOICES.iter().any(|(c, _)| c == v))
            .unwrap_or_else(|| "system".into())
    }

    /// Applies and stores a choice.
    pub fn set(choice: &str) {
        if let Some(root) = gloo::utils::document().document_element() {
            if choice == "system" {
                let _ = root.remove_attribute("data-theme");
            } else {
                let _ = root.set_attribute("data-theme", choice);
            }
        }
        if let Some(s) = storage() {
            call(&s, "setItem", &[KEY, choice]);
        }
    }
}

/// The theme select (start screen and settings): a plain function, the choice lives in
/// `localStorage` and on `<html>`, not in app state.
pub fn theme_picker() -> Html {
    let current = theme::current();
    let onchange = Callback::from(|e: Event| {
        let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
        theme::set(&sel.value());
    });
    html! {
        <label class="theme-pick">{ "Theme " }
            <select id="theme" {onchange} title="Light or dark colours; by default as the system says">
                { for theme::CHOICES.iter().map(|&(v, label)| html! {
                    <option value={v} selected={current == v}>{ label }</option>
                }) }
            </select>
        </label>
    }
}
