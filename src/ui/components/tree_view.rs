//! The tree: a filter box and a virtualized list following the WAI-ARIA tree pattern.
//!
//! Rows come flattened from [`crate::view::flatten`] (recomputed only when expansion or
//! the filter changes); only the rows inside the viewport (plus a margin) exist in the
//! DOM. Every row has the same height ([`ROW_HEIGHT`]), so the visible slice follows from
//! `scrollTop` alone. Sizes are set through the CSSOM, not `style` attributes, so the
//! strict Content-Security-Policy (`style-src 'self'`) holds.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::tree::NodeId;
use crate::ui::state::Action;
use crate::view::{Doc, Row, Rows, Section, ROW_HEIGHT};

/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 12;
/// Deepest indentation drawn; deeper rows show their depth instead.
const MAX_INDENT: u32 = 24;
/// Trees with more nodes filter once typing pauses for [`FILTER_DEBOUNCE_MS`] (each
/// filtering walks every node), not at every keystroke.
const DEBOUNCE_NODES: usize = 10_000;
const FILTER_DEBOUNCE_MS: u32 = 150;

#[derive(Properties, PartialEq)]
pub struct TreeProps {
    pub doc: Rc<Doc>,
    pub rows: Rc<Rows>,
    pub selected: NodeId,
    pub reveal: u64,
    pub filter: AttrValue,
    pub filter_ref: NodeRef,
    pub dispatch: Callback<Action>,
}

fn row_dom_id(id: NodeId) -> String {
    format!("tn-{}", id.0)
}

#[function_component]
pub fn TreeView(p: &TreeProps) -> Html {
    let scroller = use_node_ref();
    let inner = use_node_ref();
    let scroll_top = use_state(|| 0usize);
    let viewport = use_state(|| 800usize);
    let rh = ROW_HEIGHT as usize;
    let total = p.rows.items.len();

    let measure = {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        move || {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                let st = el.scroll_top().max(0) as usize;
                let h = el.client_height().max(0) as usize;
                if *scroll_top != st {
                    scroll_top.set(st);
                }
                if h > 0 && *viewport != h {
                    viewport.set(h);
                }
            }
        }
    };
    let onscroll = {
        let measure = measure.clone();
        Callback::from(move |_: Event| measure())
    };

    // Scroll the selection into view when asked (keyboard, links, diagnostics, load).
    {
        let scroller = scroller.clone();
        let rows = p.rows.clone();
        let selected = p.selected;
        let measure = measure.clone();
        use_effect_with((p.reveal, p.rows.generation), move |_| {
            if let (Some(el), Some(idx)) = (scroller.cast::<HtmlElement>(), rows.index_of(selected)) {
                let top = (idx * rh) as i32;
                let h = el.client_height();
                let st = el.scroll_top();
                if top < st {
                    el.set_scroll_top(top);
                } else if top + rh as i32 > st + h {
                    el.set_scroll_top(top + rh as i32 - h);
                }
            }
            measure();
        });
    }

    let first = (*scroll_top / rh).saturating_sub(OVERSCAN).min(total);
    let last = (first + *viewport / rh + 2 * OVERSCAN + 1).min(total);

    // Size the list and offset the visible slice through the CSSOM.
    {
        let inner = inner.clone();
        use_effect_with((total, first), move |&(total, first)| {
            if let Some(el) = inner.cast::<HtmlElement>() {
                let s = el.style();
                let _ = s.set_property("height", &format!("{}px", total * rh));
                let _ = s.set_property("padding-top", &format!("{}px", first * rh));
            }
        });
    }

    let onkeydown = {
        let dispatch = p.dispatch.clone();
        let rows = p.rows.clone();
        let selected = p.selected;
        // The keys come from the one shortcut table (`shortcuts.rs`).
        Callback::from(move |e: KeyboardEvent| match super::shortcuts::tree_nav(&e) {
            Some(Ok(n)) => {
                e.prevent_default();
                dispatch.emit(Action::Nav(n));
            }
            Some(Err(())) => {
                e.prevent_default();
                if rows.index_of(selected).is_some() {
                    dispatch.emit(Action::Select(selected));
                }
            }
            None => {}
        })
    };

    let pending_filter = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let oninput = {
        let dispatch = p.dispatch.clone();
        let large = p.doc.order.len() > DEBOUNCE_NODES;
        let pending_filter = pending_filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            if !large {
                dispatch.emit(Action::Filter(value));
                return;
            }
            // Replacing the timeout cancels the previous one.
            let dispatch = dispatch.clone();
            *pending_filter.borrow_mut() = Some(gloo::timers::callback::Timeout::new(FILTER_DEBOUNCE_MS, move || {
                dispatch.emit(Action::Filter(value))
            }));
        })
    };
    let onfilterkey = {
        let scroller = scroller.clone();
        let dispatch = p.dispatch.clone();
        let pending_filter = pending_filter.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                pending_filter.borrow_mut().take();
                dispatch.emit(Action::Filter(String::new()));
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
            "Enter" | "ArrowDown" => {
                e.prevent_default();
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
            _ => {}
        })
    };

    let doc = &p.doc;
    let focus_tree = {
        let scroller = scroller.clone();
        move || {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    let render_row = |row: &Row| -> Html {
        match row {
            Row::Heading(s) => {
                let (cls, text) = match s {
                    Section::Hypervisor => ("heading hv", "Hypervisor"),
                    Section::Tree => ("heading", "Tree"),
                };
                html! { <div class={cls} role="presentation">{ text }</div> }
            }
            Row::Moved { id, depth } => {
                let target = *id;
                let onclick = p.dispatch.reform(move |_| Action::Reveal(target));
                let node = doc.tree.node(*id);
                html! {
                    <div class="row moved" role="presentation" data-moved={doc.path(*id).to_string()} {onclick}>
                        { indent(*depth) }
                        <span class="twisty" />
                        <span class="name">{ node.name.clone() }</span>
                        <span class="note">{ "↑ pinned above" }</span>
                    </div>
                }
            }
            Row::Node { id, depth, expandable, expanded, pinned, hit } => {
                let id = *id;
                let node = doc.tree.node(id);
                let sel = id == p.selected;
                let onclick = {
                    let dispatch = p.dispatch.clone();
                    let focus_tree = focus_tree.clone();
                    Callback::from(move |_: MouseEvent| {
                        dispatch.emit(Action::Select(id));
                        focus_tree();
                    })
                };
                let ontoggle = {
                    let dispatch = p.dispatch.clone();
                    Callback::from(move |e: MouseEvent| {
                        e.stop_propagation();
                        dispatch.emit(Action::Toggle(id));
                    })
                };
                let ondblclick = p.dispatch.reform(move |_: MouseEvent| Action::Toggle(id));
                let (base, unit) = if node.parent.is_none() {
                    ("/".to_string(), None)
                } else {
                    (node.base_name().to_string(), node.unit_address().map(str::to_string))
                };
                let label = doc.labels.get(&id).and_then(|l| l.first()).cloned();
                // Pinned rows say which binding the node follows ("Xen 4.2", "ePAPR 1.1").
                let family = if *pinned { doc.hv_label(id).cloned() } else { None };
                let badge = doc.badge(id).map(|(sev, n)| {
                    let title = format!("{n} finding{} (worst: {})", if n == 1 { "" } else { "s" }, sev.as_str());
                    html! { <span class={classes!("badge", format!("sev-{}", sev.as_str()))} {title}>{ n }</span> }
                });
                let hv = doc.pinned_flag.get(id.0).copied().unwrap_or(false);
                let changed = doc.changed.get(id.0).copied().unwrap_or(false);
                html! {
                    <div
                        class={classes!("row", sel.then_some("selected"), hv.then_some("hv"), hit.then_some("hit"), changed.then_some("changed"))}
                        role="treeitem"
                        id={row_dom_id(id)}
                        data-path={doc.path(id).to_string()}
                        aria-level={(depth + 1).to_string()}
                        aria-expanded={expandable.then(|| expanded.to_string())}
                        aria-selected={sel.to_string()}
                        {onclick}
                        {ondblclick}
                    >
                        { indent(*depth) }
                        <span class="twisty" onclick={ontoggle} aria-hidden="true">
                            { if !*expandable { "" } else if *expanded { "▾" } else { "▸" } }
                        </span>
                        if let Some(l) = label { <span class="label">{ format!("{l}:") }</span> }
                        <span class="name">{ base }</span>
                        if let Some(u) = unit { <span class="unit">{ format!("@{u}") }</span> }
                        if let Some(f) = family { <span class="family-badge">{ f }</span> }
                        { badge }
                    </div>
                }
            }
        }
    };

    let active = p.rows.index_of(p.selected).filter(|&i| i >= first && i < last).map(|_| row_dom_id(p.selected));
    let shown = p.rows.items.iter().filter(|r| r.node().is_some()).count();
    html! {
        <div class="tree-view">
            <div class="filter-bar">
                <input
                    type="search"
                    id="tree-filter"
                    ref={p.filter_ref.clone()}
                    placeholder="Filter: name, compatible, label, /path   ( / )"
                    aria-label="Filter the tree by name, compatible, label or path"
                    value={p.filter.clone()}
                    {oninput}
                    onkeydown={onfilterkey}
                    spellcheck="false"
                    autocomplete="off"
                />
                <span class="filter-count" aria-live="polite">
                    { if p.filter.is_empty() { format!("{} nodes", doc.order.len()) } else { format!("{shown} shown") } }
                </span>
            </div>
            <div
                class="tree-scroller"
                ref={scroller}
                role="tree"
                aria-label="Device tree"
                tabindex="0"
                aria-activedescendant={active}
                {onscroll}
                {onkeydown}
            >
                <div class="tree-inner" ref={inner}>
                    { for p.rows.items[first..last].iter().map(render_row) }
                </div>
                if total == 0 {
                    <p class="empty">{ "No node matches the filter." }</p>
                }
            </div>
        </div>
    }
}

fn indent(depth: u32) -> Html {
    if depth > MAX_INDENT {
        return html! {
            <>
                { for (0..MAX_INDENT).map(|_| html! { <span class="indent" /> }) }
                <span class="deep">{ format!("{depth}›") }</span>
            </>
        };
    }
    html! { { for (0..depth).map(|_| html! { <span class="indent" /> }) } }
}
