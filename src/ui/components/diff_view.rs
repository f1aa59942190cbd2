//! The diff view: `#open-compare` opens a second blob (or DTS) and compares it with the
//! open document: the tree diff (by path; node order and phandle renumbering ignored) and
//! a unified DTS diff.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::review::hunks_view;
use crate::diff::Hunk;
use crate::view::Doc;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub doc: Rc<Doc>,
}

/// A comparison with the document of `generation`.
struct Result {
    generation: u64,
    name: String,
    lines: Vec<String>,
    hunks: Vec<Hunk>,
}

fn compare(doc: &Doc, name: String, bytes: Vec<u8>) -> std::result::Result<Result, String> {
    let other = crate::view::editing::load_any(name.clone(), bytes)?;
    let d = crate::diff::diff(&doc.tree, &other.tree);
    let lines = d.render().lines().map(str::to_string).collect();
    let hunks = crate::diff::text_diff(&doc.dts(), &other.dts(), 3);
    Ok(Result { generation: doc.generation, name, lines, hunks })
}

#[function_component]
pub fn Compare(p: &CompareProps) -> Html {
    let result = use_state(|| None::<Rc<std::result::Result<Result, String>>>);
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let onchange = {
        let (result, reader, doc) = (result.clone(), reader.clone(), p.doc.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let f = gloo::file::File::from(f);
                let name = f.name();
                let (result, doc) = (result.clone(), doc.clone());
                *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_bytes(&f, move |res| {
                    let r = match res {
                        Ok(bytes) => compare(&doc, name, bytes),
                        Err(e) => Err(format!("Could not read {name}: {e}")),
                    };
                    result.set(Some(Rc::new(r)));
                }));
            }
            input.set_value("");
        })
    };
    let body = match result.as_deref() {
        Some(Ok(r)) if r.generation == p.doc.generation => html! {
            <div class="compare-result" id="compare-result">
                <h3>{ format!("{} → {}", p.doc.name, r.name) }</h3>
                if r.lines.is_empty() {
                    <p class="same">{ "Same tree (node order and phandle numbering ignored)." }</p>
                } else {
                    <ul class="changed">{ for r.lines.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ul>
                }
                if !r.hunks.is_empty() { { hunks_view(&r.hunks) } }
            </div>
        },
        Some(Err(msg)) => html! { <p class="failed" role="alert">{ msg.clone() }</p> },
        _ => html! {},
    };
    html! {
        <div class="compare">
            <label class="compare-pick">{ "Compare with… " }
                <input type="file" id="open-compare" accept=".dtb,.dtbo,.dts,application/octet-stream" {onchange} />
            </label>
            { body }
        </div>
    }
}
