//! Review links: opening a `#v1.…` link or a `.dtlens` file (decode, bounded; apply the
//! ops; show what changed), the comments pinned to nodes and properties, and the review
//! pane (findings delta, changed nodes and properties, before/after DTS diff, comments).
//! Nothing from a link is ever interpreted as HTML: every string is rendered as text.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::check::Finding;
use crate::diff::{Hunk, LineKind};
use crate::share::{self, Comment, ShareV1};
use crate::ui::state::Action;
use crate::view::Doc;

/// What a link brought, computed once when it is opened.
#[derive(Debug)]
pub struct Review {
    /// The link's original blob, ops and name (shared again as they came).
    pub share: ShareV1,
    pub fixed: Vec<Finding>,
    pub introduced: Vec<Finding>,
    pub kept: usize,
    /// Ops that did not apply, as sentences.
    pub failed: Vec<String>,
    /// Changed nodes and properties, one line each.
    pub changed: Vec<String>,
    pub hunks: Vec<Hunk>,
}

/// Comments and review data of the open document (`generation` says which one).
#[derive(Debug, Default)]
pub struct Annot {
    pub generation: u64,
    pub comments: Vec<Comment>,
    pub review: Option<Rc<Review>>,
}

impl PartialEq for Annot {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
            && self.comments == other.comments
            && match (&self.review, &other.review) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// What the next loaded document adopts (set just before a link's blob is opened).
#[derive(Debug, Default)]
pub struct Pending {
    pub comments: Vec<Comment>,
    pub review: Option<Rc<Review>>,
    pub selection: Option<(String, Option<String>)>,
}

pub type PendingRef = Rc<RefCell<Option<Pending>>>;

/// Opens a decoded share: applies its ops, computes the review, and loads the tree.
pub fn open_share(share: ShareV1, dispatch: &Callback<Action>, pending: &PendingRef) {
    let applied = share.apply();
    let delta = applied.findings_delta(&crate::check::Config::default());
    let has_ops = !share.ops.is_empty();
    let changed = if has_ops { applied.tree_diff().render().lines().map(str::to_string).collect() } else { Vec::new() };
    let hunks = if has_ops { applied.dts_diff(3) } else { Vec::new() };
    let failed = applied.failed.iter().map(|f| format!("edit {} was not applied: {}", f.index + 1, f.reason)).collect();
    let bytes = if has_ops { crate::dtb::write(applied.history.tree()) } else { share.blob.clone() };
    let name = if share.name.is_empty() { "shared.dtb".to_string() } else { share.name.clone() };
    let review = Review {
        fixed: delta.fixed,
        introduced: delta.introduced,
        kept: delta.kept,
        failed,
        changed,
        hunks,
        share: ShareV1 { comments: Vec::new(), selection: None, ..share.clone() },
    };
    *pending.borrow_mut() =
        Some(Pending { comments: share.comments, review: Some(Rc::new(review)), selection: share.selection });
    dispatch.emit(Action::Open { name, bytes });
}

/// Decodes a link fragment and opens it; a bad link closes any document and says why.
pub fn open_link(fragment: &str, dispatch: &Callback<Action>, pending: &PendingRef) {
    match share::decode(fragment) {
        Ok(s) => open_share(s, dispatch, pending),
        Err(e) => {
            dispatch.emit(Action::Close);
            dispatch.emit(Action::Failed(format!(
                "Could not open this review link: {e}. Ask for the link again (it may have been cut by a chat tool), \
                 or open a file below."
            )));
        }
    }
}

/// Opens a `.dtlens` file's bytes (already read).
pub fn open_file(bytes: &[u8], dispatch: &Callback<Action>, pending: &PendingRef) {
    match share::decode_file(bytes) {
        Ok(s) => open_share(s, dispatch, pending),
        Err(e) => dispatch.emit(Action::Failed(format!("Could not open this .dtlens file: {e}."))),
    }
}

/// The annotation state a freshly loaded document adopts from a link, or `None` when no link
/// left anything pending (the document then has no annotations: the app shows none for a
/// generation it has not adopted, so setting an empty state would only render it again).
pub fn adopt(doc: &Doc, pending: &PendingRef, dispatch: &Callback<Action>) -> Option<Annot> {
    let p = pending.borrow_mut().take()?;
    if let Some((path, prop)) = p.selection {
        if let Some(id) = doc.tree.find(&path) {
            dispatch.emit(Action::RevealProp(id, prop));
        }
    }
    Some(Annot { generation: doc.generation, comments: p.comments, review: p.review })
}

#[derive(Properties, PartialEq)]
pub struct ReviewPaneProps {
    pub doc: Rc<Doc>,
    pub annot: Rc<Annot>,
    pub dispatch: Callback<Action>,
}

fn finding_line(f: &Finding) -> Html {
    let place = match &f.property {
        Some(p) => format!("{}:{p}", f.path),
        None => f.path.clone(),
    };
    html! {
        <li class={format!("sev-{}", f.severity.as_str())}>
            <a class="rule-link" href={crate::view::Route::Rule(f.rule.to_string()).hash()}><code>{ f.rule }</code></a>
            { format!(" {place}: {}", f.message) }
        </li>
    }
}

pub fn hunks_view(hunks: &[Hunk]) -> Html {
    html! {
        <pre class="dts-diff">
            { for hunks.iter().map(|h| html! {
                <>
                    <span class="hunk">{ format!("@@ -{},{} +{},{} @@\n", h.old_start, h.old_len, h.new_start, h.new_len) }</span>
                    { for h.lines.iter().map(|l| {
                        let (cls, sign) = match l.kind {
                            LineKind::Same => ("same", ' '),
                            LineKind::Removed => ("del", '-'),
                            LineKind::Added => ("add", '+'),
                        };
                        html! { <span class={cls}>{ format!("{sign}{}\n", l.text) }</span> }
                    }) }
                </>
            }) }
        </pre>
    }
}

/// The review pane: shown when the document came from a link or has comments.
#[function_component]
pub fn ReviewPane(p: &ReviewPaneProps) -> Html {
    let a = &p.annot;
    let comments = a.comments.iter().map(|c| {
        let target = p.doc.tree.find(&c.path);
        let prop = c.property.clone();
        let place = match &c.property {
            Some(pr) => format!("{}:{pr}", c.path),
            None => c.path.clone(),
        };
        let onclick = match target {
            Some(id) => p.dispatch.reform(move |_| Action::RevealProp(id, prop.clone())),
            None => Callback::noop(),
        };
        html! {
            <li class="comment" data-path={c.path.clone()} data-prop={c.property.clone()}>
                <button type="button" class="where" {onclick} disabled={target.is_none()}>{ place }</button>
                <span class="text">{ c.text.clone() }</span>
            </li>
        }
    });
    html! {
        <section class="review-pane" id="review" aria-label="Review">
            if let Some(r) = &a.review {
                <h2 class="pane-title">{ format!("Review of {}", r.share.name) }</h2>
                <p class="delta" id="findings-delta">
                    { format!("{} edit{}: fixes {}, introduces {} (kept {})",
                        r.share.ops.len(), if r.share.ops.len() == 1 { "" } else { "s" },
                        r.fixed.len(), r.introduced.len(), r.kept) }
                </p>
                if !r.failed.is_empty() {
                    <ul class="failed">{ for r.failed.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ul>
                }
                if !r.fixed.is_empty() {
                    <h3>{ "Fixed" }</h3><ul class="delta-list">{ for r.fixed.iter().map(finding_line) }</ul>
                }
                if !r.introduced.is_empty() {
                    <h3>{ "Introduced" }</h3><ul class="delta-list">{ for r.introduced.iter().map(finding_line) }</ul>
                }
                if !r.changed.is_empty() {
                    <h3>{ "Changed" }</h3>
                    <ul class="changed">{ for r.changed.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ul>
                    <h3>{ "DTS before / after" }</h3>
                    { hunks_view(&r.hunks) }
                }
            }
            <h2 class="pane-title">{ format!("Comments ({})", a.comments.len()) }</h2>
            if a.comments.is_empty() {
                <p class="empty">{ "No comments yet: select a node or property and add one." }</p>
            } else {
                <ul class="comments">{ for comments }</ul>
            }
        </section>
    }
}

/// A small count of the comments pinned to a row (nothing when there are none).
pub fn comment_badge(n: usize) -> Html {
    if n == 0 {
        return html! {};
    }
    html! {
        <span class="comment-badge" data-comments={n.to_string()} title={format!("{n} review comment{}", if n == 1 { "" } else { "s" })}>
            { format!("💬 {n}") }
        </span>
    }
}
