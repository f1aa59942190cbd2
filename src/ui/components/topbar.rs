//! The top bar: home, the file and its header facts, the counts of findings by severity
//! (each shows the findings) and of reader diagnostics, then open, the editing and export
//! controls, Learn and the keyboard-shortcut list.

use std::rc::Rc;

use yew::prelude::*;

use super::shortcuts;
use crate::check::Config;
use crate::diag::Severity;
use crate::ui::state::{Action, Tab};
use crate::view::Doc;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub doc: Rc<Doc>,
    pub on_pick: Callback<MouseEvent>,
    pub dispatch: Callback<Action>,
    /// The editing controls (undo/redo, downloads).
    #[prop_or_default]
    pub edit: Html,
    /// The check configuration (the counts are those of the findings pane).
    #[prop_or_default]
    pub config: Rc<Config>,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[function_component]
pub fn TopBar(p: &TopBarProps) -> Html {
    let doc = &p.doc;
    // The same findings as the pane: the document's own at the default configuration.
    let counts = use_memo((doc.clone(), p.config.clone()), |(d, c)| {
        if **c == Config::default() {
            crate::check::counts(d.findings())
        } else {
            crate::check::counts(&crate::check::run(&d.tree, c))
        }
    });
    let (fe, fw, fi) = *counts;
    let close = {
        let (dispatch, doc) = (p.dispatch.clone(), doc.clone());
        Callback::from(move |_| {
            if shortcuts::confirm_close(&doc.name, doc.edited) {
                dispatch.emit(Action::Close);
            }
        })
    };
    let (de, dw) = (doc.count(Severity::Error), doc.count(Severity::Warning));
    let show_diags = p.dispatch.reform(|_| Action::Tab(Tab::Diagnostics));
    let show_findings = Callback::from(|_| shortcuts::show_pane("show-findings", ".findings-pane"));
    let count = |n: usize, sev: Severity, word: &str| {
        html! {
            <button type="button" class={classes!("sev-count", format!("sev-{}", sev.as_str()))} data-topcount={sev.as_str()}
                onclick={show_findings.clone()} title="Show the findings (F)">{ if sev == Severity::Info { format!("{n} info") } else { plural(n, word) } }</button>
        }
    };
    let (open_keys, open_tip) = shortcuts::hint("open-file");
    let help = Callback::from(|_| shortcuts::toggle_help());
    html! {
        <>
        <header class="topbar">
            <button type="button" id="home" class="brand-btn" onclick={close} title="Back to the start screen and the examples (E)">{ "dtlens" }</button>
            <span class="file" title={format!("{} — {}", doc.name, doc.summary())}>{ doc.name.clone() }</span>
            <span class="summary">{ doc.summary() }</span>
            if doc.checks().is_none() && *p.config == Config::default() {
                // A large blob shows its tree before its checks are done.
                <span class="counts checking" role="status">{ "checking…" }</span>
            } else {
                <span class="counts" role="group" aria-label="Findings by severity">
                    { count(fe, Severity::Error, "error") }{ count(fw, Severity::Warning, "warning") }{ count(fi, Severity::Info, "info") }
                </span>
            }
            if de + dw > 0 {
                <button type="button" class="diag-count" onclick={show_diags} title="The reader found damage: show its diagnostics">
                    { format!("{} reader diagnostic{}", de + dw, if de + dw == 1 { "" } else { "s" }) }
                </button>
            }
            <span class="spacer" />
            <button type="button" id="open-btn" onclick={p.on_pick.clone()} aria-keyshortcuts={open_keys}
                title={format!("Open another .dtb, .dts or .dtlens file{open_tip}")}>{ "Open…" }</button>
            { p.edit.clone() }
            <a class="btn" id="learn-link" href="#learn" aria-keyshortcuts="L" title="The bindings and every rule (L)">{ "Learn" }</a>
            <button type="button" id="show-shortcuts" onclick={help} aria-keyshortcuts="?" title="Keyboard shortcuts (?)">{ "?" }</button>
        </header>
        { notice(doc, &p.dispatch) }
        </>
    }
}

/// What happened to a file that did not read cleanly, and what to do (a row under the top
/// bar; empty for a clean blob, so the workspace grid keeps its rows).
fn notice(doc: &Doc, dispatch: &Callback<Action>) -> Html {
    let errors = doc.count(Severity::Error);
    let empty = doc.order.len() <= 1 && doc.tree.node(doc.tree.root).props.is_empty();
    let magic = doc.bytes.len() >= 4 && doc.bytes[..4] == crate::dtb::FDT_MAGIC.to_be_bytes();
    let show = dispatch.reform(|_| Action::Tab(Tab::Diagnostics));
    let text = if empty && !magic {
        let head: String = doc.bytes.iter().take(4).map(|b| format!("{b:02x} ")).collect();
        format!(
            "{} is not a device-tree blob: a blob starts with the bytes d0 0d fe ed, this file with {}. \
             Open a .dtb (built with dtc -O dtb, or /sys/firmware/fdt from a running board) or DTS source (.dts), \
             or pick an example from the start screen (E).",
            doc.name,
            if head.is_empty() { "nothing (it is empty)".to_string() } else { head.trim_end().to_string() }
        )
    } else if empty && errors > 0 {
        format!(
            "{} is a device-tree blob, but damaged before its first node: nothing could be read. \
             The reader diagnostics say where it broke; check that the file was copied whole.",
            doc.name
        )
    } else if errors > 0 {
        format!(
            "{} is damaged: {} reader error{}; everything that could be read is shown. \
             The reader diagnostics give the byte offset of each problem.",
            doc.name,
            errors,
            if errors == 1 { "" } else { "s" }
        )
    } else {
        return html! { <div class="doc-notice" hidden=true /> };
    };
    html! {
        <div class="doc-notice" role="alert">
            <span>{ text }</span>
            <button type="button" id="notice-diagnostics" onclick={show}>{ "Show the reader diagnostics" }</button>
        </div>
    }
}
