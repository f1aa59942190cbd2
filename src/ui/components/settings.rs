//! Check settings: the level (default / W=1 / W=2, like the kernel's use of dtc) and
//! "warnings are errors". Per-rule toggles live on the rule page and on each finding.

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
            if off > 0 {
                <button type="button" id="reset-rules" onclick={reset}>{ format!("reset {off} rule toggle{}", if off == 1 { "" } else { "s" }) }</button>
            }
        </div>
    }
}
