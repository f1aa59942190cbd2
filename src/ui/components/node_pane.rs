//! The selected node: breadcrumb, facts line, and the property table with values decoded
//! by type ([`crate::view::decode_prop`]) and raw hex on demand.

use std::rc::Rc;

use yew::prelude::*;

use super::editor::PropEditor;
use super::editor_node::NodeEditor;
use crate::tree::NodeId;
use crate::ui::state::Action;
use crate::view::{decode_prop, escape, facts, hex_dump, Doc, Piece, PropView};

#[derive(Properties, PartialEq)]
pub struct NodeProps {
    pub doc: Rc<Doc>,
    pub id: NodeId,
    pub hex: bool,
    /// A property to highlight (chosen from a finding).
    pub focus_prop: Option<AttrValue>,
    pub dispatch: Callback<Action>,
    /// Review comments of the document (badges on the rows they are pinned to).
    #[prop_or_default]
    pub comments: Rc<Vec<crate::share::Comment>>,
}

#[function_component]
pub fn NodePane(p: &NodeProps) -> Html {
    let doc = &p.doc;
    let id = p.id;
    // Decoded once per (document, node), not on every render.
    let props: Rc<Vec<PropView>> = {
        let doc = doc.clone();
        use_memo((doc.generation, id), move |_| {
            doc.tree.node(id).props.iter().map(|pr| decode_prop(&doc, id, pr)).collect::<Vec<_>>()
        })
    };
    let node = doc.tree.node(id);

    // Breadcrumb: each ancestor is a link.
    let mut chain = Vec::new();
    let mut cur = Some(id);
    while let Some(c) = cur {
        chain.push(c);
        cur = doc.tree.node(c).parent;
        if chain.len() > 4096 {
            break;
        }
    }
    chain.reverse();
    let crumbs = chain.iter().enumerate().map(|(i, &c)| {
        let n = doc.tree.node(c);
        let text = if n.parent.is_none() { "/".to_string() } else { n.name.clone() };
        let sep = if i > 1 { "/" } else { "" };
        let onclick = p.dispatch.reform(move |_| Action::Reveal(c));
        html! { <>{ sep }<button type="button" class="crumb" {onclick}>{ text }</button></> }
    });

    let compat = node.prop("compatible").and_then(|p| crate::value::as_string_list(&p.value)).map(|l| l.join(", "));
    let toggle_hex = p.dispatch.reform(|_| Action::ToggleHex);

    html! {
        <div class="node-view">
            <nav class="breadcrumb" aria-label="Path">{ for crumbs }{ super::review::comment_badge(p.comments.iter().filter(|c| c.property.is_none() && c.path == doc.path(id)).count()) }</nav>
            <div class="facts">
                if let Some(c) = compat { <span class="fact"><span class="k">{ "compatible " }</span><span class="v">{ c }</span></span> }
                { for facts(doc, id).into_iter().map(|(k, v)| html! {
                    <span class="fact"><span class="k">{ format!("{k} ") }</span><span class="v">{ v }</span></span>
                }) }
                <label class="hex-toggle">
                    <input type="checkbox" id="toggle-hex" checked={p.hex} onchange={toggle_hex} />
                    { " raw hex" }
                </label>
            </div>
            if props.is_empty() {
                <p class="empty">{ "This node has no properties." }</p>
            } else {
                <table class="props">
                    <thead><tr><th>{ "property" }</th><th>{ "value" }</th><th>{ "type" }</th><th class="num">{ "bytes" }</th></tr></thead>
                    <tbody>
                        { for props.iter().enumerate().map(|(i, pv)| {
                            let focus = p.focus_prop.as_deref() == Some(pv.name.as_str());
                            let noted = p.comments.iter().filter(|c| c.property.as_deref() == Some(pv.name.as_str()) && c.path == doc.path(id)).count();
                            prop_row(doc, id, i, pv, p.hex, (focus, noted), &p.dispatch)
                        }) }
                    </tbody>
                </table>
            }
            <PropEditor doc={doc.clone()} {id} focus_prop={p.focus_prop.clone()} dispatch={p.dispatch.clone()} />
            <NodeEditor key={format!("{}/{}", doc.generation, id.0)} doc={doc.clone()} {id} dispatch={p.dispatch.clone()} />
        </div>
    }
}

fn prop_row(
    doc: &Doc,
    id: NodeId,
    i: usize,
    pv: &PropView,
    hex: bool,
    (focus, noted): (bool, usize),
    dispatch: &Callback<Action>,
) -> Html {
    let pieces = pv.pieces.iter().map(|piece| match piece {
        Piece::Text(t) => html! { <span class="t">{ t.clone() }</span> },
        Piece::Str(s) => html! { <span class="str">{ format!("\"{}\"", escape(s)) }</span> },
        Piece::Ref { target, text } => {
            let t = *target;
            let onclick = dispatch.reform(move |_| Action::Reveal(t));
            html! { <button type="button" class="ref" title={doc.path(t).to_string()} {onclick}>{ text.clone() }</button> }
        }
        Piece::BadRef(t) => html! { <span class="bad">{ t.clone() }</span> },
        Piece::Break => html! { <br /> },
        Piece::Note(t) => html! { <span class="note">{ t.clone() }</span> },
    });
    let raw = if hex {
        let bytes = &doc.tree.node(id).props[i].value;
        html! { <pre class="hex">{ hex_dump(bytes) }</pre> }
    } else {
        html! {}
    };
    let off = pv.offset.map(|o| format!("property at {o:#x}")).unwrap_or_default();
    // Findings about this property, worst first, as a badge with the messages as title.
    let mine: Vec<&crate::check::Finding> =
        doc.findings_at(id).filter(|f| f.property.as_deref() == Some(pv.name.as_str())).collect();
    let badge = mine.iter().map(|f| f.severity).max().map(|worst| {
        let title: Vec<String> = mine.iter().map(|f| format!("[{}] {}", f.rule, f.message)).collect();
        html! { <span class={classes!("badge", format!("sev-{}", worst.as_str()))} title={title.join("\n")}>{ mine.len() }</span> }
    });
    let edit = {
        let name = pv.name.clone();
        dispatch.reform(move |_| Action::RevealProp(id, Some(name.clone())))
    };
    html! {
        <tr data-prop={pv.name.clone()} title={off} class={classes!(focus.then_some("focus"))}>
            <td class="pname">{ super::learn::prop_name(doc, id, &pv.name) }{ badge }{ super::review::comment_badge(noted) }
                <button type="button" class="edit-prop" onclick={edit} aria-label={format!("Edit {}", pv.name)}>{ "edit" }</button></td>
            <td class="pval">{ for pieces }{ raw }</td>
            <td class="ptype">{ pv.kind }</td>
            <td class="num">{ pv.len }</td>
        </tr>
    }
}
