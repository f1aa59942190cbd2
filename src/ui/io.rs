//! Browser I/O: everything stays in the tab. Files are read with a FileReader, bundled
//! examples come from the same origin, downloads are object URLs of in-memory blobs.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::file::{callbacks::FileReader, Blob, File, ObjectUrl};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::Callback;

use crate::view::load::{self, Progress};
use crate::view::Action;

/// Main-thread time an open in steps may use before it yields to the event loop (ms):
/// well under the 50 ms that counts as a long task, so input and painting keep up.
const SLICE_MS: f64 = 25.0;
/// Blobs smaller than this (a typical board is 10 to 200 KB) are read, indexed and checked
/// in one go when that takes under [`SMALL_SLICE_MS`]: pausing would only add frames.
const SMALL_BLOB: usize = 512 * 1024;
const SMALL_SLICE_MS: f64 = 90.0;
/// Documents with more nodes show their tree before their checks run.
const TREE_FIRST_NODES: usize = 2000;

thread_local! {
    /// Bumped by every open in steps: an older one that sees a newer number stops.
    static OPEN_TOKEN: Cell<u64> = const { Cell::new(0) };
    /// Generation of the document on screen (the app reports it): checks of another stop.
    static SHOWN: Cell<u64> = const { Cell::new(0) };
}

/// The app reports which document it shows, so checks of a replaced one stop.
pub fn showing(generation: u64) {
    SHOWN.with(|s| s.set(generation));
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Yields to the event loop with a zero-delay timeout: queued behind what is already
/// waiting (input, the filter's debounce timer, painting), unlike `scheduler.yield()`,
/// whose continuation would go first and starve the page's own timers while checking.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}

/// Opens `bytes` in steps ([`load`]): reads and indexes the blob in slices of about
/// [`SLICE_MS`], showing progress, then runs the checks the same way; a tree of more than
/// [`TREE_FIRST_NODES`] nodes is shown before its checks run.
/// Performance marks (`dtlens:read+index`, `dtlens:checks`) time the phases.
pub fn open_in_steps(name: String, bytes: Vec<u8>, dispatch: Callback<Action>) {
    let token = OPEN_TOKEN.with(|t| {
        t.set(t.get() + 1);
        t.get()
    });
    let slice_ms = if bytes.len() < SMALL_BLOB { SMALL_SLICE_MS } else { SLICE_MS };
    wasm_bindgen_futures::spawn_local(async move {
        let slice_start = Rc::new(Cell::new(now()));
        let current = Rc::new(Cell::new(true));
        // Once the tree is on screen: the generation of its document, whose checks stop when
        // the app shows another. One pause closure for both phases, so `load::check` is
        // compiled once into the wasm, not once per closure type.
        let watch: Rc<Cell<Option<u64>>> = Rc::new(Cell::new(None));
        let mut pause = {
            let (slice_start, current, dispatch) = (slice_start.clone(), current.clone(), dispatch.clone());
            let watch = watch.clone();
            move |p: Progress| {
                if let Some(generation) = watch.get() {
                    current.set(SHOWN.with(|s| s.get()) == generation || SHOWN.with(|s| s.get()) == 0);
                }
                let (slice_start, current, dispatch) = (slice_start.clone(), current.clone(), dispatch.clone());
                async move {
                    if now() - slice_start.get() >= slice_ms {
                        dispatch.emit(Action::Progress(p));
                        yield_now().await;
                        slice_start.set(now());
                    }
                    current.get() && OPEN_TOKEN.with(|t| t.get()) == token
                }
            }
        };
        mark("dtlens:read+index:start");
        let Some(res) = load::open(name, bytes, &mut pause).await else { return };
        measure("dtlens:read+index");
        let mut doc = match res {
            Ok(doc) => doc,
            Err(msg) => return dispatch.emit(Action::Failed(msg)),
        };
        if doc.checks().is_none() && doc.order.len() <= TREE_FIRST_NODES {
            // A small tree is shown once, with its findings.
            mark("dtlens:checks:start");
            let Some(checks) = load::check(&doc.tree, &mut pause).await else { return };
            measure("dtlens:checks");
            doc = doc.with_checks(Rc::new(checks));
        }
        if OPEN_TOKEN.with(|t| t.get()) != token {
            return;
        }
        let doc = Rc::new(doc);
        dispatch.emit(Action::Opened(doc.clone()));
        if doc.checks().is_some() {
            return;
        }
        // Let the tree paint before the checks start.
        yield_now().await;
        slice_start.set(now());
        // From here on, the checks stop when the app shows another document.
        let generation = doc.generation;
        watch.set(Some(generation));
        mark("dtlens:checks:start");
        if let Some(checks) = load::check(&doc.tree, &mut pause).await {
            measure("dtlens:checks");
            dispatch.emit(Action::Checked(generation, Rc::new(checks)));
        }
    });
}

/// `performance.mark(name)`; [`measure`] ends what it starts (both show in the profiler).
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// `performance.measure(name)` from the mark `name` + ":start" to now.
fn measure(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, &format!("{name}:start"));
    }
}

/// Reads a picked or dropped file and reports through `dispatch`. The returned reader
/// must be kept alive until it finishes (dropping it cancels the read).
pub fn read_file(file: web_sys::File, dispatch: Callback<Action>) -> FileReader {
    let file = File::from(file);
    let name = file.name();
    dispatch.emit(Action::Loading(name.clone()));
    gloo::file::callbacks::read_as_bytes(&file, move |res| match res {
        Ok(bytes) => dispatch.emit(Action::Open { name, bytes }),
        Err(e) => dispatch.emit(Action::Failed(format!(
            "Could not read {name} ({e}). Check that the file still exists and is readable, then open it again."
        ))),
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
            Err(e) => dispatch.emit(Action::Failed(format!(
                "Could not load the example {file} ({e}). Reload the page and try again; if it keeps failing, \
                 the server is not serving the examples/ directory (scripts/serve does)."
            ))),
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
