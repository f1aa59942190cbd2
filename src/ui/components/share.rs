//! The share and comment controls: `#share` builds a [`ShareV1`] of what the user sees
//! (original blob, edits, comments, selection), copies the link (or offers a `.dtlens`
//! file when it is too long for a link), and `#add-comment` pins a comment to the
//! selected node or property.

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::review::Annot;
use crate::share::{self, Comment, LinkSize, ShareV1};
use crate::tree::NodeId;
use crate::ui::io;
use crate::view::{export_name, Doc};

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub doc: Rc<Doc>,
    pub selected: NodeId,
    pub focus_prop: Option<AttrValue>,
    pub annot: Rc<Annot>,
    pub on_comments: Callback<Vec<Comment>>,
    /// The document's edit stack (its ops travel in the link).
    #[prop_or_default]
    pub edits: EditsProp,
}

/// The edit stack as a prop (never equal: the bar is cheap to re-render).
#[derive(Clone, Default)]
pub struct EditsProp(pub Option<crate::view::editing::Edits>);

impl PartialEq for EditsProp {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// What a share is built from (cheap clones), so the blob is only copied on a click.
#[derive(Clone)]
struct Src {
    doc: Rc<Doc>,
    selected: NodeId,
    focus_prop: Option<AttrValue>,
    annot: Rc<Annot>,
    edits: EditsProp,
}

/// The share of the current view.
fn build(p: &Src) -> ShareV1 {
    let doc = &p.doc;
    let mut base = match &p.annot.review {
        // Opened from a link: share its original blob and edits again.
        Some(r) => r.share.clone(),
        None => ShareV1 { blob: doc.bytes.clone(), name: doc.name.clone(), ..Default::default() },
    };
    match &p.edits.0 {
        // A whole-tree replacement (DTS editor) is not a list of ops: share the tree as it is.
        Some(e) if e.replaced() => {
            base.blob = crate::dtb::write(e.tree());
            base.ops.clear();
        }
        Some(e) => base.ops.extend(e.ops().iter().map(share::ShareOp::from)),
        None => {}
    }
    ShareV1 {
        comments: p.annot.comments.clone(),
        selection: Some((doc.path(p.selected).to_string(), p.focus_prop.as_ref().map(|s| s.to_string()))),
        ..base
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Out {
    /// A link, its size class and whether the clipboard took it (None while pending).
    Link {
        link: String,
        size: LinkSize,
        copied: Option<bool>,
    },
    TooLong {
        len: usize,
    },
    /// The browser could not compress (no `CompressionStream`).
    Failed,
}

/// deflate-raw through the browser's own `CompressionStream` (the share format's
/// compression; doing it in the browser keeps a deflate encoder out of the wasm).
async fn deflate_raw(data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"CompressionStream".into())?.dyn_into()?;
    let cs = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(&"deflate-raw".into()))?;
    let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(data)))?;
    let stream = blob.stream().pipe_through(cs.unchecked_ref::<web_sys::ReadableWritablePair>());
    let resp = web_sys::Response::new_with_opt_readable_stream(Some(&stream))?;
    let buf = JsFuture::from(resp.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

#[function_component]
pub fn ShareBar(p: &ShareBarProps) -> Html {
    let out = use_state(|| None::<Out>);
    let text_ref = use_node_ref();
    let src = Src {
        doc: p.doc.clone(),
        selected: p.selected,
        focus_prop: p.focus_prop.clone(),
        annot: p.annot.clone(),
        edits: p.edits.clone(),
    };
    let onshare = {
        let out = out.clone();
        let src = src.clone();
        Callback::from(move |_| {
            let share = build(&src);
            let loc = gloo::utils::window().location();
            let base = format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default());
            let container = share.container();
            let out = out.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(deflated) = deflate_raw(&container).await else {
                    out.set(Some(Out::Failed));
                    return;
                };
                let link = format!("{base}#{}{}", share::FRAGMENT_PREFIX, share::base64url_encode(&deflated));
                let size = LinkSize::of(link.len());
                if size == LinkSize::TooLong {
                    out.set(Some(Out::TooLong { len: link.len() }));
                    return;
                }
                out.set(Some(Out::Link { link: link.clone(), size, copied: None }));
                let clip = gloo::utils::window().navigator().clipboard();
                let ok = JsFuture::from(clip.write_text(&link)).await.is_ok();
                out.set(Some(Out::Link { link, size, copied: Some(ok) }));
            });
        })
    };
    let download = {
        Callback::from(move |_| {
            let share = build(&src);
            io::download(&export_name(&share.name, "dtlens"), &share::encode_file(&share), "application/octet-stream")
        })
    };
    let add_comment = {
        let text_ref = text_ref.clone();
        let doc = p.doc.clone();
        let sel = p.selected;
        let prop = p.focus_prop.clone();
        let comments = p.annot.comments.clone();
        let on_comments = p.on_comments.clone();
        Callback::from(move |_| {
            let Some(t) = text_ref.cast::<HtmlTextAreaElement>() else { return };
            let text = t.value().trim().to_string();
            if text.is_empty() || text.len() > share::MAX_STRING {
                return;
            }
            let mut v = comments.clone();
            v.push(Comment { path: doc.path(sel).to_string(), property: prop.as_ref().map(|s| s.to_string()), text });
            t.set_value("");
            on_comments.emit(v);
        })
    };
    let target = match &p.focus_prop {
        Some(pr) => format!("{}:{pr}", p.doc.path(p.selected)),
        None => p.doc.path(p.selected).to_string(),
    };
    let result = match &*out {
        None => html! {},
        Some(Out::Link { link, size, copied }) => {
            let note = match (copied, size) {
                (None, _) => "Copying…",
                (Some(false), _) => "Copy the link from the field (the clipboard is not available here).",
                (Some(true), LinkSize::Warn) => {
                    "Link copied. It is long: some chat tools cut long links; the .dtlens file is safer."
                }
                (Some(true), _) => "Link copied.",
            };
            let onfocus = Callback::from(|e: FocusEvent| {
                let i: web_sys::HtmlInputElement = e.target_unchecked_into();
                i.select();
            });
            html! {
                <div class="share-out" role="status">
                    <span class={classes!("note", (*size == LinkSize::Warn).then_some("warn"))}>{ note }</span>
                    <input id="share-link" type="text" readonly=true value={link.clone()} {onfocus} aria-label="Review link" />
                    <span class="size">{ format!("{} KB", link.len().div_ceil(1024)) }</span>
                </div>
            }
        }
        Some(Out::Failed) => html! {
            <div class="share-out warn" role="alert">{ "This browser cannot compress a link; download the .dtlens file instead." }</div>
        },
        Some(Out::TooLong { len }) => html! {
            <div class="share-out warn" role="status">
                { format!("This review is too large for a link ({} KB). Download it as a .dtlens file and send that; it opens like a DTB. ", len / 1024) }
            </div>
        },
    };
    html! {
        <div class="share-bar">
            <label class="comment-box">
                <span class="visually-hidden">{ format!("Comment on {target}") }</span>
                <textarea id="comment-text" rows="1" placeholder={format!("Comment on {target}")} ref={text_ref} />
            </label>
            <button type="button" id="add-comment" onclick={add_comment} title="Pin the comment to the selected node or property">{ "Add comment" }</button>
            <button type="button" id="share" onclick={onshare} title="Copy a link with the blob, edits, comments and selection (all in the # part, never sent to a server)">{ "Share" }</button>
            <button type="button" id="share-file" onclick={download} title="Download the same review as a .dtlens file">{ ".dtlens" }</button>
            { result }
        </div>
    }
}
