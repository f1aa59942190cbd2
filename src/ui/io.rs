//! Browser I/O: everything stays in the tab. Files are read with a FileReader, bundled
//! examples come from the same origin, downloads are object URLs of in-memory blobs.

use std::cell::RefCell;

use gloo::file::{callbacks::FileReader, Blob, File, ObjectUrl};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

use crate::view::Action;

/// Reads a picked or dropped file and reports through `dispatch`. The returned reader
/// must be kept alive until it finishes (dropping it cancels the read).
pub fn read_file(file: web_sys::File, dispatch: Callback<Action>) -> FileReader {
    let file = File::from(file);
    let name = file.name();
    dispatch.emit(Action::Loading(name.clone()));
    gloo::file::callbacks::read_as_bytes(&file, move |res| match res {
        Ok(bytes) => dispatch.emit(Action::Open { name, bytes }),
        Err(e) => dispatch.emit(Action::Failed(format!("Could not read {name}: {e}"))),
    })
}

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".into())
}

async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = JsFuture::from(gloo::utils::window().fetch_with_str(url)).await.map_err(js_err)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(js_err)?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(js_err)?).await.map_err(js_err)?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Fetches a bundled example from `examples/` on this origin and opens it.
pub fn open_example(file: &'static str, dispatch: Callback<Action>) {
    dispatch.emit(Action::Loading(file.to_string()));
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_bytes(&format!("examples/{file}")).await {
            Ok(bytes) => dispatch.emit(Action::Open { name: file.to_string(), bytes }),
            Err(e) => dispatch.emit(Action::Failed(format!("Could not load the example {file}: {e}"))),
        }
    });
}

thread_local! {
    /// The last download's object URL, revoked when the next one replaces it (revoking
    /// right after `click()` could cancel the download).
    static LAST_URL: RefCell<Option<ObjectUrl>> = const { RefCell::new(None) };
}

/// Starts a download of `bytes` named `name` through a temporary `<a download>`.
pub fn download(name: &str, bytes: &[u8], mime: &str) {
    let url = ObjectUrl::from(Blob::new_with_options(bytes, Some(mime)));
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a").map(|e| e.unchecked_into::<web_sys::HtmlAnchorElement>()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    LAST_URL.with(|u| *u.borrow_mut() = Some(url));
}
