//! The root component: owns the state, the hidden file input and drag-and-drop over the
//! whole page; lays out the start screen or the main view. Keyboard shortcuts are in
//! `shortcuts.rs`, the pane switch and splitters in `layout.rs`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use super::bottom::Bottom;
use super::editor_bar::EditBar;
use super::findings::Findings;
use super::layout::{pane_switch, splitter};
use super::learn::Learn;
use super::node_pane::NodePane;
use super::review::{self, Annot, PendingRef, ReviewPane};
use super::settings::Settings;
use super::share::ShareBar;
use super::start::Start;
use super::topbar::TopBar;
use super::tree_view::TreeView;
use crate::ui::io;
use crate::ui::route;
use crate::ui::state::{Action, AppState, Status};

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    // Stable callbacks (created once), so children whose props did not change skip
    // re-rendering: a fresh Callback would compare unequal on every render.
    let dispatch: Callback<Action> = {
        let d = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a| d.dispatch(a)))).clone()
    };
    let reader: Rc<RefCell<Option<FileReader>>> = use_mut_ref(|| None);
    let file_input = use_node_ref();
    let filter_ref = use_node_ref();
    let dragging = use_state(|| false);
    // Below 1100 px the node and the findings side are tabs: whether the side is shown.
    let side = use_state(|| false);
    let on_side = {
        let side = side.clone();
        Callback::from(move |v| side.set(v))
    };
    super::shortcuts::use_shortcuts(
        dispatch.clone(),
        state.doc.as_ref().map(|d| AttrValue::from(d.name.clone())).unwrap_or_default(),
        state.doc.as_ref().is_some_and(|d| d.edited),
    );
    super::dts_edit::use_paste_open(dispatch.clone());
    let route = route::use_route();
    let config: UseStateHandle<Rc<crate::check::Config>> = use_state(Default::default);
    let on_config: Callback<crate::check::Config> = {
        let config = config.clone();
        Callback::from(move |c| config.set(Rc::new(c)))
    };
    // Review links: what a link brings is adopted by the document it loads.
    let pending: PendingRef = use_mut_ref(|| None);
    let annot: UseStateHandle<Rc<Annot>> = use_state(Default::default);
    {
        let (annot, pending, dispatch, doc) = (annot.clone(), pending.clone(), dispatch.clone(), state.doc.clone());
        use_effect_with(state.doc.as_ref().map(|d| d.generation), move |_| {
            // Only what a link brought: each edit is a new document too, and re-rendering the
            // whole app a second time for an empty state would be wasted.
            if let Some(a) = doc.and_then(|doc| review::adopt(&doc, &pending, &dispatch)) {
                annot.set(Rc::new(a));
            }
        });
    }
    {
        let (pending, dispatch) = (pending.clone(), dispatch.clone());
        use_effect_with(route.clone(), move |r| {
            if let route::Route::Share(frag) = r {
                review::open_link(frag, &dispatch, &pending);
            }
        });
    }
    // A review opened from a link is what the user came for: in a narrow window, show the
    // findings side (where the review is) rather than the node.
    {
        let side = side.clone();
        use_effect_with((annot.generation, annot.review.is_some()), move |&(_, review)| {
            if review {
                side.set(true);
            }
        });
    }
    let on_comments: Callback<Vec<crate::share::Comment>> = {
        let annot = annot.clone();
        let generation = state.doc.as_ref().map_or(0, |d| d.generation);
        Callback::from(move |comments| {
            // Annotations of an earlier document (before an edit) are not carried over.
            let a = &**annot;
            let review = if a.generation == generation { a.review.clone() } else { None };
            annot.set(Rc::new(Annot { generation, comments, review }));
        })
    };

    let open_file = {
        let dispatch = dispatch.clone();
        let reader = reader.clone();
        let pending = pending.clone();
        Callback::from(move |f: web_sys::File| {
            // A `.dtlens` file opens as a review; anything else as a blob.
            let (d, pending) = (dispatch.clone(), pending.clone());
            let intercept = Callback::from(move |a: Action| match a {
                Action::Open { bytes, .. } if crate::share::is_share_file(&bytes) => {
                    review::open_file(&bytes, &d, &pending)
                }
                // Read, indexed and checked in steps, so a large blob never freezes the page.
                Action::Open { name, bytes } => io::open_in_steps(name, bytes, d.clone()),
                a => d.emit(a),
            });
            *reader.borrow_mut() = Some(io::read_file(f, intercept));
        })
    };

    let onchange = {
        let open_file = open_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                open_file.emit(f);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };

    let pick: Callback<MouseEvent> = {
        let file_input = file_input.clone();
        (*use_memo((), move |_| {
            Callback::from(move |_| {
                if let Some(i) = file_input.cast::<HtmlInputElement>() {
                    i.click();
                }
            })
        }))
        .clone()
    };

    // Drag-and-drop anywhere on the page.
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            if e.related_target().is_none() {
                dragging.set(false);
            }
        })
    };
    let ondrop = {
        let dragging = dragging.clone();
        let open_file = open_file.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
                open_file.emit(f);
            }
        })
    };

    // Checks still running for a document no longer shown stop (see `io::open_in_steps`).
    io::showing(state.doc.as_ref().map_or(0, |d| d.generation));
    let status = match &state.status {
        Status::Idle => html! {},
        Status::Working(p) => {
            let (done, total) = p.fraction();
            html! {
                <div class="banner loading" role="status">
                    <span class="progress-text">{ p.text() }</span>
                    <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Progress" />
                </div>
            }
        }
        Status::Loading(name) => html! {
            <div class="banner loading" role="status">{ format!("Reading {name}…") }</div>
        },
        Status::Failed(msg) => html! {
            <div class="banner failed" role="alert">{ msg.clone() }</div>
        },
    };

    let body = match &state.doc {
        _ if route.is_learn() => html! {
            <Learn route={route.clone()} dispatch={dispatch.clone()} config={(*config).clone()}
                on_config={on_config.clone()} has_doc={state.doc.is_some()} />
        },
        None => html! { <Start on_pick={pick.clone()} dispatch={dispatch.clone()} /> },
        Some(doc) => {
            let selected = state.selected.filter(|s| s.0 < doc.tree.nodes.len()).unwrap_or(doc.tree.root);
            let cur_annot: Rc<Annot> =
                if annot.generation == doc.generation { (*annot).clone() } else { Default::default() };
            let show_review = cur_annot.review.is_some() || !cur_annot.comments.is_empty();
            html! {
                <div class="workspace">
                    <TopBar doc={doc.clone()} on_pick={pick.clone()} dispatch={dispatch.clone()} edit={edit_bar(&state, doc, &dispatch)}
                        config={(*config).clone()} />
                    <div class={classes!("panes", side.then_some("show-side"))}>
                        { pane_switch(*side, &on_side) }
                        <section class="pane tree-pane" aria-label="Tree">
                            <TreeView
                                doc={doc.clone()}
                                rows={state.rows.clone()}
                                selected={selected}
                                reveal={state.reveal}
                                filter={AttrValue::from(state.filter.clone())}
                                filter_ref={filter_ref.clone()}
                                dispatch={dispatch.clone()}
                            />
                        </section>
                        { splitter(".tree-pane", "--tree-w", true, "Resize the tree pane") }
                        <section class="pane node-pane" aria-label="Node" tabindex="-1">
                            <NodePane doc={doc.clone()} id={selected} hex={state.hex}
                                focus_prop={state.focus_prop.clone().map(AttrValue::from)} dispatch={dispatch.clone()}
                                comments={Rc::new(cur_annot.comments.clone())} />
                        </section>
                        { splitter(".findings-pane", "--side-w", false, "Resize the findings pane") }
                        <section class="pane findings-pane" aria-label="Findings" tabindex="-1">
                            <ShareBar doc={doc.clone()} selected={selected} focus_prop={state.focus_prop.clone().map(AttrValue::from)}
                                annot={cur_annot.clone()} on_comments={on_comments.clone()}
                                edits={super::share::EditsProp(state.edits.clone())} />
                            <super::diff_view::Compare doc={doc.clone()} />
                            if show_review {
                                <ReviewPane doc={doc.clone()} annot={cur_annot.clone()} dispatch={dispatch.clone()} />
                            }
                            <Settings config={(*config).clone()} on_config={on_config.clone()} />
                            <Findings doc={doc.clone()} dispatch={dispatch.clone()} config={(*config).clone()} on_config={on_config.clone()} />
                        </section>
                    </div>
                    <Bottom doc={doc.clone()} id={selected} tab={state.tab} dispatch={dispatch.clone()} />
                </div>
            }
        }
    };

    html! {
        <div class={classes!("app", dragging.then_some("dragging"))} {ondragover} {ondragleave} {ondrop}>
            <input type="file" id="open-file" class="visually-hidden" accept=".dtb,.dtbo,.dts,.dtlens,application/octet-stream"
                ref={file_input} {onchange} aria-label="Open a device-tree blob" tabindex="-1" />
            { status }
            { body }
            if *dragging {
                <div class="drop-overlay" aria-hidden="true"><div>{ "Drop the file to open it here (nothing is uploaded)" }</div></div>
            }
            <super::shortcuts::ShortcutList />
        </div>
    }
}

/// The top bar's editing controls for the open document.
fn edit_bar(state: &AppState, doc: &Rc<crate::view::Doc>, dispatch: &Callback<Action>) -> Html {
    let e = state.edits.as_ref();
    html! {
        <EditBar doc={doc.clone()} can_undo={e.is_some_and(|e| e.can_undo())} can_redo={e.is_some_and(|e| e.can_redo())}
            ops={Rc::new(e.map(|e| e.ops()).unwrap_or_default())} replaced={e.is_some_and(|e| e.replaced())}
            dispatch={dispatch.clone()} />
    }
}
