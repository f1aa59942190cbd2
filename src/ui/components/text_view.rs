//! A virtualized read-only text view (the DTS panes): the text is split into lines once
//! per text, and only the lines in the viewport exist in the DOM, so a 700 KB DTS does
//! not cost a giant layout. Line height is fixed ([`LINE_HEIGHT`]); sizes go through the
//! CSSOM (the CSP forbids `style` attributes).

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

/// Longest part of one line put in the DOM (bytes): a 1 MiB property prints as one line of
/// several megabytes, whose layout alone would hold the page for seconds.
const MAX_LINE_BYTES: usize = 4096;

/// A line as shown: cut at [`MAX_LINE_BYTES`] with a note of what is left out.
fn shown_line(line: &str) -> String {
    if line.len() <= MAX_LINE_BYTES {
        return line.to_string();
    }
    let mut end = MAX_LINE_BYTES;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} … ({} more bytes on this line)", &line[..end], line.len() - end)
}

/// Fixed line height in CSS pixels (must match `.text-line` in app.css).
pub const LINE_HEIGHT: usize = 16;
const OVERSCAN: usize = 20;

#[derive(Properties, PartialEq)]
pub struct TextViewProps {
    pub text: Rc<str>,
    /// DOM id of the scroller (tests and links use it).
    pub id: AttrValue,
    #[prop_or_default]
    pub label: AttrValue,
}

#[function_component]
pub fn TextView(p: &TextViewProps) -> Html {
    let scroller = use_node_ref();
    let inner = use_node_ref();
    let scroll_top = use_state(|| 0usize);
    let viewport = use_state(|| 400usize);
    // Line start offsets, once per text.
    let starts: Rc<Vec<usize>> = {
        let text = p.text.clone();
        use_memo(text, |t| {
            let mut v = vec![0];
            v.extend(t.match_indices('\n').map(|(i, _)| i + 1).filter(|&i| i < t.len()));
            v
        })
    };
    let total = starts.len();

    // A new text starts at the top.
    {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        use_effect_with(p.text.clone(), move |_| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0);
        });
    }
    let onscroll = {
        let scroller = scroller.clone();
        let scroll_top = scroll_top.clone();
        let viewport = viewport.clone();
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                scroll_top.set(el.scroll_top().max(0) as usize);
                let h = el.client_height().max(0) as usize;
                if h > 0 && *viewport != h {
                    viewport.set(h);
                }
            }
        })
    };
    let first = (*scroll_top / LINE_HEIGHT).saturating_sub(OVERSCAN).min(total);
    let last = (first + *viewport / LINE_HEIGHT + 2 * OVERSCAN + 1).min(total);
    {
        let inner = inner.clone();
        use_effect_with((total, first), move |&(total, first)| {
            if let Some(el) = inner.cast::<HtmlElement>() {
                let s = el.style();
                let _ = s.set_property("height", &format!("{}px", total * LINE_HEIGHT));
                let _ = s.set_property("padding-top", &format!("{}px", first * LINE_HEIGHT));
            }
        });
    }
    let text = &p.text;
    let line = |i: usize| -> &str {
        let a = starts[i];
        let b = starts.get(i + 1).copied().unwrap_or(text.len());
        text[a..b].strip_suffix('\n').unwrap_or(&text[a..b])
    };
    html! {
        <div class="text-view" id={p.id.clone()} ref={scroller} tabindex="0" role="document"
            aria-label={p.label.clone()} {onscroll}>
            <div class="text-inner" ref={inner}>
                { for (first..last).map(|i| html! { <div class="text-line">{ shown_line(line(i)) }</div> }) }
            </div>
        </div>
    }
}
