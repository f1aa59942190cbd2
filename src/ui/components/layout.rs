//! The main view's pane layout: the pane switch (below 1100 px the node and the findings
//! share one column as two tabs) and the splitters that resize the tree and findings panes
//! with the mouse or the keyboard (←/→, Shift for bigger steps, Home/End).
//!
//! Widths go to CSS custom properties on `.panes` through the CSSOM (the CSP forbids
//! `style` attributes); app.css uses them in `grid-template-columns`. Plain functions, not
//! components: they hold no state of their own (a drag in progress is a data attribute).

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// Two tabs, visible only in a narrow window (app.css): the node, or the findings side.
pub fn pane_switch(side: bool, on_side: &Callback<bool>) -> Html {
    let tab = |show_side: bool, id: &'static str, label: &'static str, key: &'static str| {
        let onclick = on_side.reform(move |_| show_side);
        let sel = side == show_side;
        html! {
            <button type="button" role="tab" {id} aria-selected={sel.to_string()} aria-keyshortcuts={key}
                class={classes!("tab", sel.then_some("active"))} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="pane-switch tabs" role="tablist" aria-label="Panes">
            { tab(false, "show-node", "Node", "P") }
            { tab(true, "show-findings", "Findings, review, share", "F") }
        </div>
    }
}

const MIN: i32 = 160;
/// What the other panes keep at least.
const REST: i32 = 360;
const STEP: i32 = 16;

/// `.panes` and the pane a splitter sizes (`pane` is a selector inside `.panes`).
fn elements(splitter: &web_sys::EventTarget, pane: &str) -> Option<(HtmlElement, HtmlElement)> {
    let panes = splitter.dyn_ref::<web_sys::Element>()?.parent_element()?;
    let el = panes.query_selector(pane).ok()??;
    Some((panes.dyn_into().ok()?, el.dyn_into().ok()?))
}

/// Sets the width (clamped) and reports it on the splitter.
fn set(splitter: &web_sys::EventTarget, panes: &HtmlElement, var: &str, w: i32) {
    let max = (panes.client_width() - REST).max(MIN);
    let w = w.clamp(MIN, max);
    let _ = panes.style().set_property(var, &format!("{w}px"));
    if let Some(s) = splitter.dyn_ref::<web_sys::Element>() {
        let _ = s.set_attribute("aria-valuenow", &w.to_string());
    }
}

/// A vertical splitter between panes: `pane` is the selector of the pane it sizes, `var`
/// the custom property, `left` whether that pane is on its left (dragging right widens it).
pub fn splitter(pane: &'static str, var: &'static str, left: bool, label: &'static str) -> Html {
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let Some(t) = e.target() else { return };
        let Some((panes, el)) = elements(&t, pane) else { return };
        let cur = el.offset_width();
        let step = if e.shift_key() { STEP * 4 } else { STEP };
        let grow = if left { step } else { -step };
        let w = match e.key().as_str() {
            "ArrowRight" => cur + grow,
            "ArrowLeft" => cur - grow,
            "Home" => MIN,
            "End" => panes.client_width() - REST,
            _ => return,
        };
        e.prevent_default();
        set(&t, &panes, var, w);
    });
    let onpointerdown = Callback::from(|e: PointerEvent| {
        if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = t.set_pointer_capture(e.pointer_id());
            let _ = t.set_attribute("data-drag", "");
        }
        e.prevent_default();
    });
    let onpointermove = Callback::from(move |e: PointerEvent| {
        let Some(t) = e.target() else { return };
        let dragging = t.dyn_ref::<web_sys::Element>().is_some_and(|s| s.has_attribute("data-drag"));
        let Some((panes, _)) = elements(&t, pane).filter(|_| dragging) else { return };
        // `.app` (the offset parent) starts at the viewport's left edge.
        let (l, r) = (panes.offset_left(), panes.offset_left() + panes.offset_width());
        let x = e.client_x();
        set(&t, &panes, var, if left { x - l } else { r - x });
    });
    let onpointerup = Callback::from(|e: PointerEvent| {
        if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = t.remove_attribute("data-drag");
        }
    });
    html! {
        <div class={classes!("splitter", if left { "split-left" } else { "split-right" })} role="separator" aria-orientation="vertical" tabindex="0"
            aria-label={label} title={format!("{label} (drag, or focus and use ← →)")}
            aria-valuemin={MIN.to_string()}
            {onkeydown} {onpointerdown} {onpointermove} {onpointerup} />
    }
}
