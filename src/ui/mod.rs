//! The Yew browser app (wasm32 only). The state and everything computable without a DOM
//! live in [`crate::view`]; this module holds the components and the browser glue.
//!
//! - `state`: the `use_reducer` wrapper around [`crate::view::Model`].
//! - `io`: reading files (FileReader), fetching bundled examples, downloads.
//! - `components/`: one component per file.

pub mod components;
pub mod io;
pub mod route;
pub mod state;

/// Entry point called by `main` on wasm32: installs the panic hook and mounts the app.
pub fn run() {
    install_panic_hook();
    yew::Renderer::<components::app::App>::new().render();
}

/// A panic must never leave a dead, blank page: show what happened and how to recover.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info.to_string();
        gloo::console::error!(format!("dtlens: {msg}"));
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        let Some(body) = doc.body() else { return };
        if doc.get_element_by_id("fatal").is_some() {
            return;
        }
        if let Ok(div) = doc.create_element("div") {
            div.set_id("fatal");
            let _ = div.set_attribute("role", "alert");
            div.set_text_content(Some(&format!(
                "dtlens stopped on an internal error and needs a reload (your file was not sent anywhere). \
                 Please report this message: {msg}"
            )));
            let _ = body.append_child(&div);
        }
    }));
}
