//! Editing without a DOM: the document's edit stack ([`Edits`]), the reducer steps for
//! edits, undo/redo and whole-tree replacement, opening DTS source, and the pure parsers
//! behind the typed property editors. Everything an editor applies is an [`Op`]; nothing
//! here touches the tree any other way.

use std::collections::HashSet;
use std::rc::Rc;

use super::{Doc, Model, Status, PHANDLE_PROPS, STRING_PROPS};
use crate::edit::{EditError, History, Op};
use crate::tree::{NodeId, Tree};
use crate::value;

/// One undoable step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `n` ops applied to the current history.
    Ops(usize),
    /// The whole tree was replaced (a new history started; the old one is kept).
    Replace,
}

/// The edit stack of one document: the current [`History`] plus the histories that a
/// whole-tree replacement (the DTS editor) set aside, so a replacement is undone like any
/// other step. Cheap to clone: histories are shared until changed.
#[derive(Debug, Clone)]
pub struct Edits {
    cur: Rc<History>,
    older: Vec<Rc<History>>,
    newer: Vec<Rc<History>>,
    done: Vec<Step>,
    undone: Vec<Step>,
}

impl Edits {
    pub fn new(tree: Tree) -> Self {
        Edits {
            cur: Rc::new(History::new(tree)),
            older: Vec::new(),
            newer: Vec::new(),
            done: Vec::new(),
            undone: Vec::new(),
        }
    }

    pub fn tree(&self) -> &Tree {
        self.cur.tree()
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Whether the tree differs from the one opened (some step is in force).
    pub fn edited(&self) -> bool {
        !self.done.is_empty()
    }

    /// Whether a whole-tree replacement is among the steps in force (then [`Edits::ops`]
    /// holds only the changes since the last one).
    pub fn replaced(&self) -> bool {
        !self.older.is_empty()
    }

    /// The ops in force since the last whole-tree replacement, oldest first.
    pub fn ops(&self) -> Vec<Op> {
        self.cur.ops().cloned().collect()
    }

    /// Applies `ops` as one step: all or nothing.
    pub fn apply(&mut self, ops: Vec<Op>) -> Result<(), EditError> {
        if ops.is_empty() {
            return Ok(());
        }
        let n = Rc::make_mut(&mut self.cur).apply_all(ops)?;
        self.done.push(Step::Ops(n));
        self.undone.clear();
        self.newer.clear();
        Ok(())
    }

    /// Replaces the whole tree as one step.
    pub fn replace(&mut self, tree: Tree) {
        let old = std::mem::replace(&mut self.cur, Rc::new(History::new(tree)));
        self.older.push(old);
        self.done.push(Step::Replace);
        self.undone.clear();
        self.newer.clear();
    }

    /// Takes back the last step; `Some(true)` when it was a replacement.
    pub fn undo(&mut self) -> Option<bool> {
        let step = self.done.pop()?;
        match step {
            Step::Ops(n) => {
                let h = Rc::make_mut(&mut self.cur);
                for _ in 0..n {
                    h.undo();
                }
            }
            Step::Replace => {
                let prev = self.older.pop()?;
                self.newer.push(std::mem::replace(&mut self.cur, prev));
            }
        }
        self.undone.push(step);
        Some(step == Step::Replace)
    }

    /// Applies the last undone step again; `Some(true)` when it was a replacement.
    pub fn redo(&mut self) -> Option<bool> {
        let step = self.undone.pop()?;
        match step {
            Step::Ops(n) => {
                let h = Rc::make_mut(&mut self.cur);
                for _ in 0..n {
                    h.redo();
                }
            }
            Step::Replace => {
                let next = self.newer.pop()?;
                self.older.push(std::mem::replace(&mut self.cur, next));
            }
        }
        self.done.push(step);
        Some(step == Step::Replace)
    }
}

/// The FDT header magic.
pub(crate) const FDT_MAGIC: [u8; 4] = [0xd0, 0x0d, 0xfe, 0xed];

/// Opens a file as a blob, or as DTS source when it is text that is not a blob (a `.dts`
/// name or `/dts-v1/` in it). DTS that does not compile gives the first errors with
/// line:column. A DTS document's "original bytes" are its compiled blob.
pub fn load_any(name: String, bytes: Vec<u8>) -> Result<Doc, String> {
    if bytes.starts_with(&FDT_MAGIC) {
        return Ok(Doc::load(name, bytes));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) if name.ends_with(".dts") || t.contains("/dts-v1/") => t,
        _ => return Ok(Doc::load(name, bytes)),
    };
    let tree = parse_dts(&name, text).map_err(|e| {
        format!("{e}\n{name} is DTS source that does not compile (line:column above): fix it and open it again, or open the .dtb built from it.")
    })?;
    let blob = crate::dtb::write(&tree);
    Ok(Doc::from_tree(name, blob, tree, Vec::new()))
}

/// Compiles DTS source (no includes) or gives its errors, one per line as
/// `line:column: message`.
pub fn parse_dts(name: &str, text: &str) -> Result<Tree, String> {
    let opts = crate::dts::parse::ParseOptions { file_name: name.to_string(), ..Default::default() };
    let res = crate::dts::parse::parse(text, &opts);
    match res.ok() {
        Some(t) => Ok(t.clone()),
        None => {
            let msgs: Vec<String> = res
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diag::Severity::Error)
                .take(10)
                .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
                .collect();
            Err(if msgs.is_empty() { "the source did not compile".into() } else { msgs.join("\n") })
        }
    }
}

/// The nodes the ops touch, as flags per arena index of `tree` (the tree after them):
/// each op's node, followed through later renames and moves; removed nodes are skipped.
pub fn changed_nodes(tree: &Tree, ops: &[Op]) -> Vec<bool> {
    fn join(parent: &str, name: &str) -> String {
        if parent == "/" {
            format!("/{name}")
        } else {
            format!("{parent}/{name}")
        }
    }
    fn base(path: &str) -> &str {
        path.rsplit('/').next().unwrap_or(path)
    }
    fn parent(path: &str) -> &str {
        match path.rfind('/') {
            Some(0) | None => "/",
            Some(i) => &path[..i],
        }
    }
    let mut paths: Vec<String> = Vec::new();
    for op in ops {
        // A rename or move carries every path marked so far under the node along.
        let moved = match op {
            Op::RenameNode { path, name } => Some((path, join(parent(path), name))),
            Op::MoveNode { path, new_parent, .. } => Some((path, join(new_parent, base(path)))),
            _ => None,
        };
        if let Some((from, to)) = &moved {
            for p in paths.iter_mut() {
                if p == *from {
                    *p = to.clone();
                } else if let Some(rest) = p.strip_prefix(from.as_str()).filter(|r| r.starts_with('/')) {
                    *p = format!("{to}{rest}");
                }
            }
        }
        match op {
            Op::SetProp { path, .. } | Op::RemoveProp { path, .. } | Op::RenameProp { path, .. } => {
                paths.push(path.clone())
            }
            Op::AddNode { parent, name, .. } => paths.push(join(parent, name)),
            Op::RemoveNode { path } => paths.push(parent(path).to_string()),
            _ => {}
        }
        if let Some((_, to)) = moved {
            paths.push(to);
        }
    }
    let mut flags = vec![false; if paths.is_empty() { 0 } else { tree.nodes.len() }];
    for p in &paths {
        if let Some(id) = tree.find(p) {
            flags[id.0] = true;
        }
    }
    flags
}

/// Largest tree (in arena nodes) whose trial copy [`check_ops`] keeps between edits.
const TRIAL_KEEP_MAX_NODES: usize = 20_000;

thread_local! {
    /// The tree of the last trial, with its ops applied when they were accepted (so it is
    /// the tree of the document the edit leads to) and taken back when refused.
    static TRIAL: std::cell::RefCell<Option<Tree>> = const { std::cell::RefCell::new(None) };
}

/// Whether `ops` would apply to `tree` (a dry run): the editors show the refusal next to
/// the field and dispatch nothing. The run is on a copy, but not a new copy per edit: the
/// last trial's tree is reused when it equals `tree` (comparing allocates nothing), which
/// it does after an accepted edit, and a refused run is undone op by op (`edit::apply` is
/// all-or-nothing per op and its undo is exact).
pub fn check_ops(tree: &Tree, ops: &[Op]) -> Result<(), String> {
    TRIAL.with(|slot| {
        let mut slot = slot.borrow_mut();
        let mut t = match slot.take() {
            Some(t) if t == *tree => t,
            _ => tree.clone(),
        };
        let mut undos = Vec::with_capacity(ops.len());
        let mut res = Ok(());
        for op in ops {
            match crate::edit::apply(&mut t, op) {
                Ok(u) => undos.push(u),
                Err(e) => {
                    res = Err(e.0);
                    break;
                }
            }
        }
        if res.is_err() {
            for u in undos.iter().rev() {
                crate::edit::undo(&mut t, u);
            }
        }
        if t.nodes.len() <= TRIAL_KEEP_MAX_NODES {
            *slot = Some(t);
        }
        res
    })
}

/// The tree the last [`check_ops`] kept (tests).
#[cfg(test)]
fn trial_tree() -> Option<Tree> {
    TRIAL.with(|slot| slot.borrow().clone())
}

impl Model {
    /// Applies ops as one undoable step and re-derives the document (checks included).
    pub(super) fn edit(&mut self, ops: Vec<Op>) {
        let Some(doc) = self.doc.clone() else { return };
        let mut edits = self.edits.take().unwrap_or_else(|| Edits::new(doc.tree.clone()));
        let res = edits.apply(ops);
        self.edits = Some(edits);
        match res {
            Ok(()) => {
                self.status = Status::Idle;
                self.refresh(&doc, false);
            }
            Err(e) => self.status = Status::Failed(format!("Edit refused: {e}")),
        }
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        let Some(doc) = self.doc.clone() else { return };
        let Some(edits) = self.edits.as_mut() else { return };
        let step = if undo { edits.undo() } else { edits.redo() };
        if let Some(replaced) = step {
            self.refresh(&doc, replaced);
        }
    }

    pub(super) fn replace_tree(&mut self, tree: Tree) {
        let Some(doc) = self.doc.clone() else { return };
        let mut edits = self.edits.take().unwrap_or_else(|| Edits::new(doc.tree.clone()));
        edits.replace(tree);
        self.edits = Some(edits);
        self.refresh(&doc, true);
    }

    /// Rebuilds the document from the edit stack's tree. Node ids survive ops (the arena
    /// keeps detached nodes), so expansion and selection carry over by id; after a
    /// whole-tree replacement they carry over by path.
    fn refresh(&mut self, old: &Doc, replaced: bool) {
        let Some(edits) = &self.edits else { return };
        let mut doc =
            Doc::from_tree(old.name.clone(), old.bytes.clone(), edits.tree().clone(), old.diagnostics.clone());
        doc.edited = edits.edited();
        doc.changed = changed_nodes(&doc.tree, &edits.ops());
        let n = doc.tree.nodes.len();
        let mut sel = self.selected.unwrap_or(doc.tree.root);
        if replaced {
            let open: HashSet<&str> =
                old.order.iter().filter(|id| self.expanded.get(id.0) == Some(&true)).map(|&id| old.path(id)).collect();
            let mut expanded = vec![false; n];
            for &id in &doc.order {
                expanded[id.0] = open.contains(doc.path(id));
            }
            self.expanded = expanded;
            // The selected path, else its nearest surviving ancestor.
            let mut path = old.path(sel).to_string();
            sel = loop {
                if let Some(id) = doc.tree.find(&path) {
                    break id;
                }
                match path.rfind('/') {
                    Some(0) | None => break doc.tree.root,
                    Some(i) => path.truncate(i),
                }
            };
        } else {
            self.expanded.resize(n, false);
            // A removed selection falls back to its old parent (or the root).
            if doc.path(sel).is_empty() {
                sel = old
                    .tree
                    .nodes
                    .get(sel.0)
                    .and_then(|nd| nd.parent)
                    .filter(|p| !doc.path(*p).is_empty())
                    .unwrap_or(doc.tree.root);
            }
        }
        self.doc = Some(Rc::new(doc));
        let focus = self.focus_prop.take();
        self.reveal_node(sel);
        self.focus_prop = focus;
    }
}

/// Which editor fits a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorKind {
    Strings,
    Cells,
    U64,
    Bytes,
    Phandle,
    Empty,
    RawHex,
    Dts,
}

impl EditorKind {
    pub const ALL: [EditorKind; 8] = [
        EditorKind::Strings,
        EditorKind::Cells,
        EditorKind::U64,
        EditorKind::Bytes,
        EditorKind::Phandle,
        EditorKind::Empty,
        EditorKind::RawHex,
        EditorKind::Dts,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditorKind::Strings => "strings",
            EditorKind::Cells => "cells",
            EditorKind::U64 => "u64",
            EditorKind::Bytes => "bytes",
            EditorKind::Phandle => "phandle",
            EditorKind::Empty => "empty",
            EditorKind::RawHex => "raw hex",
            EditorKind::Dts => "DTS value",
        }
    }

    pub fn parse(s: &str) -> Option<EditorKind> {
        EditorKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The editor a property opens with, by the same conventions the display uses.
pub fn default_kind(name: &str, v: &[u8]) -> EditorKind {
    if v.is_empty() {
        return EditorKind::Empty;
    }
    if (STRING_PROPS.contains(&name) || name.ends_with("-names")) && value::as_string_list(v).is_some() {
        return EditorKind::Strings;
    }
    if PHANDLE_PROPS.contains(&name) && v.len() == 4 {
        return EditorKind::Phandle;
    }
    if value::KNOWN_U64_PROPS.contains(&name) && v.len() == 8 {
        return EditorKind::U64;
    }
    if v.len().is_multiple_of(4) && !value::looks_like_strings(v) {
        return EditorKind::Cells;
    }
    if value::looks_like_strings(v) && value::as_string_list(v).is_some() {
        return EditorKind::Strings;
    }
    EditorKind::Bytes
}

/// The cells per entry for `reg`, `ranges`/`dma-ranges` and `interrupts` of node `id`
/// (what the cell editor groups by), `None` for other properties.
pub fn entry_cells(doc: &Doc, id: NodeId, name: &str) -> Option<usize> {
    let tree = &doc.tree;
    let node = tree.nodes.get(id.0)?;
    let n = match name {
        "reg" => {
            let (a, s) = tree.cells_for_children(node.parent?);
            a + s
        }
        "ranges" | "dma-ranges" => {
            let (ca, cs) = tree.cells_for_children(id);
            ca + node.parent.map_or(2, |p| tree.cells_for_children(p).0) + cs
        }
        "interrupts" => {
            let ip = tree.interrupt_parent(id, &doc.phandles)?;
            super::cell_of(doc, ip, "#interrupt-cells")?
        }
        _ => return None,
    };
    usize::try_from(n).ok().filter(|&n| n > 0 && n <= 16)
}

/// Cells as editor text: one line per entry of `per` cells (all on one line when `None`
/// or when they do not divide evenly), hex or decimal.
pub fn cells_text(v: &[u8], per: Option<usize>, hex: bool) -> String {
    let cells = value::as_cells(v).unwrap_or_default();
    let fmt = |c: &u32| if hex { format!("{c:#x}") } else { c.to_string() };
    match per {
        Some(p) if !cells.is_empty() && cells.len().is_multiple_of(p) => {
            cells.chunks(p).map(|ch| ch.iter().map(fmt).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
        }
        _ => cells.iter().map(fmt).collect::<Vec<_>>().join(" "),
    }
}

fn parse_u(tok: &str) -> Result<u64, String> {
    let t = tok.trim();
    let r = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16)
    } else {
        t.parse::<u64>()
    };
    r.map_err(|_| format!("\"{t}\" is not a number (use decimal or 0x hex)"))
}

/// Parses the cell editor's text: numbers (decimal or 0x hex) separated by spaces, commas
/// or lines, optionally inside `< >`; each must fit 32 bits; when `per` is given the
/// count must be a multiple of it.
pub fn parse_cells(text: &str, per: Option<usize>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut n = 0usize;
    for tok in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '>')).filter(|t| !t.is_empty()) {
        let v = parse_u(tok)?;
        let c = u32::try_from(v).map_err(|_| format!("{tok} does not fit in 32 bits"))?;
        out.extend_from_slice(&c.to_be_bytes());
        n += 1;
    }
    if n == 0 {
        return Err("enter at least one number (use the empty editor for a boolean)".into());
    }
    if let Some(p) = per {
        if !n.is_multiple_of(p) {
            return Err(format!("{n} cells is not a whole number of entries of {p} cells"));
        }
    }
    Ok(out)
}

/// Parses one or more 64-bit numbers (decimal or 0x hex).
pub fn parse_u64s(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for tok in text.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()) {
        out.extend_from_slice(&parse_u(tok)?.to_be_bytes());
    }
    if out.is_empty() {
        return Err("enter a 64-bit number".into());
    }
    Ok(out)
}

/// Parses hex bytes (`01 ab`, `01ab`, `[01 ab]`); an empty text is an empty value.
pub fn parse_hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '[' | ']' | ',' | ':')).collect();
    let digits = digits.strip_prefix("0x").unwrap_or(&digits);
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
        return Err(format!("'{c}' is not a hex digit"));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(format!("{} hex digits: a byte needs two", digits.len()));
    }
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).map_err(|e| e.to_string())).collect()
}

/// Bytes as spaced hex pairs (the raw editor's text).
pub fn hex_text(v: &[u8]) -> String {
    v.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

/// A value in DTS syntax (the DTS-value editor's starting text): strings when it reads as
/// a string list, cells when it is a multiple of 4 bytes, else a byte string.
pub fn dts_value_text(v: &[u8]) -> String {
    if v.is_empty() {
        return String::new();
    }
    if value::looks_like_strings(v) {
        if let Some(list) = value::as_string_list(v) {
            return list.iter().map(|s| format!("\"{}\"", super::escape(s))).collect::<Vec<_>>().join(", ");
        }
    }
    if v.len().is_multiple_of(4) {
        return format!("<{}>", cells_text(v, None, true));
    }
    format!("[{}]", hex_text(v))
}

/// The string list as entries (empty for a value that is not a string list).
pub fn string_entries(v: &[u8]) -> Vec<String> {
    value::as_string_list(v).map(|l| l.into_iter().map(str::to_string).collect()).unwrap_or_default()
}

/// Entries to bytes; an entry may not contain NUL.
pub fn strings_value(entries: &[String]) -> Result<Vec<u8>, String> {
    if entries.iter().any(|e| e.contains('\0')) {
        return Err("a string cannot contain a NUL character".into());
    }
    Ok(crate::check::string_list_bytes(entries))
}

/// The ops that point a property at `target`: the target gets a `phandle` first when it
/// has none (one above the highest in use).
pub fn phandle_ops(tree: &Tree, node_path: &str, name: &str, target: NodeId) -> Result<Vec<Op>, String> {
    let mut ops = Vec::new();
    let ph = match crate::edit::phandle_op(tree, target) {
        Some(op) => {
            let Op::SetProp { value, .. } = &op else { return Err("no phandle".into()) };
            let v = value::as_u32(value).ok_or("no phandle")?;
            ops.push(op);
            v
        }
        None => {
            let n = tree.node(target);
            n.prop("phandle")
                .or_else(|| n.prop("linux,phandle"))
                .and_then(|p| value::as_u32(&p.value))
                .ok_or_else(|| "the target has no usable phandle".to_string())?
        }
    };
    ops.push(Op::SetProp { path: node_path.to_string(), name: name.to_string(), value: ph.to_be_bytes().to_vec() });
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trials_reuse_their_copy_and_a_refused_one_changes_nothing() {
        let bytes =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/deb32_am572x-idk.dtb")).unwrap();
        let doc = Doc::load("b.dtb", bytes);
        let t = doc.tree.clone();
        let add = |name: &str| Op::SetProp { path: "/chosen".into(), name: name.into(), value: vec![1, 2, 3, 4] };
        let bad = Op::RemoveProp { path: "/chosen".into(), name: "no-such-prop".into() };
        // Refused after a first op that applied: the same refusal as on a fresh copy, and
        // the kept copy is the tree as it was.
        let fresh = {
            let mut c = t.clone();
            crate::edit::apply(&mut c, &add("x")).unwrap();
            crate::edit::apply(&mut c, &bad).unwrap_err().0
        };
        assert_eq!(check_ops(&t, &[add("x"), bad.clone()]), Err(fresh));
        assert!(trial_tree().as_ref() == Some(&t), "the kept copy is the tree as it was");
        assert!(t == doc.tree, "the document's tree is never touched");
        // Accepted: the kept copy is the tree the edit leads to, so the next trial on that
        // document's tree reuses it, and its verdicts are still those of a fresh copy.
        assert_eq!(check_ops(&t, &[add("x")]), Ok(()));
        let mut m = Model::default();
        m.open(doc);
        m.apply(super::super::Action::Edit(vec![add("x")]));
        let edited = m.doc.as_ref().unwrap().tree.clone();
        assert!(trial_tree().as_ref() == Some(&edited), "the kept copy is the edited tree");
        assert!(check_ops(&edited, &[add("x")]).is_ok(), "setting it again is fine");
        let again = Op::AddNode { parent: "/chosen".into(), name: "n".into(), index: None };
        let r1 = check_ops(&edited, &[again.clone(), again.clone()]);
        let mut c = edited.clone();
        crate::edit::apply(&mut c, &again).unwrap();
        assert_eq!(r1, Err(crate::edit::apply(&mut c, &again).unwrap_err().0));
        // A refused node addition is taken back, but its detached node stays in the arena,
        // so that copy is not reused: later trials on the original tree still agree with a
        // fresh copy.
        let node = Op::AddNode { parent: "/".into(), name: "m".into(), index: None };
        assert!(check_ops(&t, &[node, bad.clone()]).is_err());
        assert!(trial_tree().is_some_and(|k| k.find("/m").is_none()));
        assert_eq!(
            check_ops(&t, std::slice::from_ref(&bad)),
            Err(crate::edit::apply(&mut t.clone(), &bad).unwrap_err().0)
        );
        assert_eq!(check_ops(&t, &[add("y")]), Ok(()));
    }

    fn xen_doc() -> Doc {
        let src = r#"/dts-v1/;
/ { #address-cells = <2>; #size-cells = <1>; interrupt-parent = <&gic>;
  gic: ic { interrupt-controller; #interrupt-cells = <3>; phandle = <7>; };
  hypervisor@b0000000 { compatible = "xen,xen", "xen,xen-4.2"; reg = <0 0xb0000000 0x20000>;
     interrupts = <1 15 0xf08>; };
  soc { };
};"#;
        load_any("t.dts".into(), src.as_bytes().to_vec()).unwrap()
    }

    fn ids(d: &Doc, p: &str) -> NodeId {
        d.tree.find(p).unwrap()
    }

    #[test]
    fn changed_nodes_follow_renames_and_moves() {
        let d = xen_doc();
        let ops = vec![
            Op::SetProp { path: "/hypervisor@b0000000".into(), name: "x".into(), value: vec![] },
            Op::AddNode { parent: "/".into(), name: "extra".into(), index: None },
            Op::RenameNode { path: "/hypervisor@b0000000".into(), name: "hypervisor@c0000000".into() },
        ];
        let mut t = d.tree.clone();
        for op in &ops {
            crate::edit::apply(&mut t, op).unwrap();
        }
        let flags = changed_nodes(&t, &ops);
        let marked: Vec<String> =
            t.walk().filter(|(id, _)| flags[id.0]).map(|(id, _)| t.path(id).to_string()).collect();
        assert_eq!(marked, ["/hypervisor@c0000000", "/extra"]);
        assert!(changed_nodes(&t, &[]).is_empty(), "no ops, nothing marked");
    }

    #[test]
    fn dts_files_compile_and_blobs_still_read() {
        let d = xen_doc();
        assert!(d.tree.find("/hypervisor@b0000000").is_some());
        assert_eq!(&d.bytes[..4], &FDT_MAGIC, "a DTS document's original bytes are its blob");
        let err = load_any("x.dts".into(), b"/dts-v1/;\n/ { a = <1 ; };".to_vec()).unwrap_err();
        assert!(err.starts_with("2:"), "{err}");
        // Binary junk is a blob with diagnostics, not a DTS error.
        let junk = load_any("j.bin".into(), vec![0xff; 64]).unwrap();
        assert!(!junk.diagnostics.is_empty());
    }

    #[test]
    fn edits_group_steps_and_undo_a_replacement() {
        let d = xen_doc();
        let mut e = Edits::new(d.tree.clone());
        let ops = vec![
            Op::SetProp { path: "/soc".into(), name: "a".into(), value: vec![] },
            Op::SetProp { path: "/soc".into(), name: "b".into(), value: vec![] },
        ];
        e.apply(ops).unwrap();
        assert!(e.edited());
        assert_eq!(e.undo(), Some(false));
        assert!(e.tree().node(ids(&d, "/soc")).props.is_empty(), "both ops undone as one step");
        assert!(!e.edited());
        assert_eq!(e.redo(), Some(false));
        assert_eq!(e.tree().node(ids(&d, "/soc")).props.len(), 2);
        // A refused batch changes nothing and adds no step.
        let bad = vec![Op::RemoveNode { path: "/soc".into() }, Op::RemoveNode { path: "/nope".into() }];
        assert!(e.apply(bad).is_err());
        assert!(e.tree().find("/soc").is_some());
        let mut small = Tree::new();
        small.add_child(small.root, "only");
        e.replace(small);
        assert!(e.tree().find("/soc").is_none() && e.replaced());
        assert_eq!(e.undo(), Some(true));
        assert_eq!(e.tree().node(e.tree().find("/soc").unwrap()).props.len(), 2);
        assert_eq!(e.redo(), Some(true));
        assert!(e.tree().find("/only").is_some());
        assert_eq!(e.undo(), Some(true));
        assert_eq!(e.undo(), Some(false));
        assert_eq!(e.undo(), None);
        assert_eq!(crate::dtb::write(e.tree()), d.bytes, "undo all gives the original bytes back");
    }

    #[test]
    fn model_edit_rechecks_and_undo_restores() {
        let mut m = Model::default();
        m.open(xen_doc());
        let before = m.doc.as_ref().unwrap().findings().iter().filter(|f| f.rule == "xen-compatible-order").count();
        assert_eq!(before, 1);
        let hv = "/hypervisor@b0000000".to_string();
        let v = crate::check::string_list_bytes(&["xen,xen-4.2", "xen,xen"]);
        m.apply(super::super::Action::Edit(vec![Op::SetProp { path: hv, name: "compatible".into(), value: v }]));
        let d = m.doc.clone().unwrap();
        assert!(d.edited);
        assert!(!d.findings().iter().any(|f| f.rule == "xen-compatible-order"));
        m.apply(super::super::Action::Undo);
        let d = m.doc.clone().unwrap();
        assert!(!d.edited);
        assert!(d.findings().iter().any(|f| f.rule == "xen-compatible-order"));
        // A refused edit is reported and changes nothing.
        m.apply(super::super::Action::Edit(vec![Op::RenameNode { path: "/soc".into(), name: "bad name".into() }]));
        assert!(matches!(&m.status, Status::Failed(s) if s.contains("bad name")));
        assert!(m.doc.as_ref().unwrap().tree.find("/soc").is_some());
        // Removing the selected node selects its parent.
        let soc = ids(m.doc.as_ref().unwrap(), "/soc");
        m.apply(super::super::Action::Select(soc));
        m.apply(super::super::Action::Edit(vec![Op::RemoveNode { path: "/soc".into() }]));
        assert_eq!(m.selected, Some(m.doc.as_ref().unwrap().tree.root));
    }

    #[test]
    fn value_parsers() {
        assert_eq!(parse_cells("<0x1 2>", None).unwrap(), vec![0, 0, 0, 1, 0, 0, 0, 2]);
        assert!(parse_cells("1 2 3", Some(2)).unwrap_err().contains("entries of 2"));
        assert!(parse_cells("0x100000000", None).unwrap_err().contains("32 bits"));
        assert!(parse_cells("zz", None).is_err());
        assert!(parse_cells("", None).is_err());
        assert_eq!(parse_u64s("0x100000000").unwrap(), vec![0, 0, 0, 1, 0, 0, 0, 0]);
        assert_eq!(parse_hex_bytes("[01 ab]").unwrap(), vec![1, 0xab]);
        assert!(parse_hex_bytes("abc").unwrap_err().contains("two"));
        assert!(parse_hex_bytes("xy").is_err());
        assert_eq!(parse_hex_bytes("").unwrap(), Vec::<u8>::new());
        assert_eq!(hex_text(&[1, 0xab]), "01 ab");
        assert_eq!(dts_value_text(b"a\0b\0"), "\"a\", \"b\"");
        assert_eq!(dts_value_text(&[0, 0, 0, 1]), "<0x1>");
        assert_eq!(dts_value_text(&[1, 2, 3]), "[01 02 03]");
        for v in [&b"x\"y\0"[..], &[0, 0, 0, 1, 0, 0, 0, 2], &[1, 2, 3]] {
            assert_eq!(crate::dts::parse::parse_value(&dts_value_text(v), None).unwrap(), v, "round trip");
        }
        let v = crate::check::string_list_bytes(&["a", "b"]);
        assert_eq!(string_entries(&v), vec!["a", "b"]);
        assert_eq!(strings_value(&["a".into(), "b".into()]).unwrap(), v);
        assert!(strings_value(&["a\0".into()]).is_err());
    }

    #[test]
    fn cells_grouping_and_kinds() {
        let d = xen_doc();
        let hv = ids(&d, "/hypervisor@b0000000");
        assert_eq!(entry_cells(&d, hv, "reg"), Some(3));
        assert_eq!(entry_cells(&d, hv, "interrupts"), Some(3));
        assert_eq!(entry_cells(&d, hv, "compatible"), None);
        let reg = &d.tree.node(hv).prop("reg").unwrap().value;
        assert_eq!(cells_text(reg, Some(3), true), "0x0 0xb0000000 0x20000");
        assert_eq!(cells_text(&[0, 0, 0, 1, 0, 0, 0, 2], Some(1), false), "1\n2");
        assert_eq!(default_kind("compatible", b"a\0"), EditorKind::Strings);
        assert_eq!(default_kind("reg", reg), EditorKind::Cells);
        assert_eq!(default_kind("interrupt-parent", &[0, 0, 0, 7]), EditorKind::Phandle);
        assert_eq!(default_kind("interrupt-controller", &[]), EditorKind::Empty);
        assert_eq!(default_kind("x", &[1, 2, 3]), EditorKind::Bytes);
        for k in EditorKind::ALL {
            assert_eq!(EditorKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn phandle_ops_create_a_fresh_phandle_when_missing() {
        let d = xen_doc();
        let soc = ids(&d, "/soc");
        let ops = phandle_ops(&d.tree, "/hypervisor@b0000000", "interrupt-parent", soc).unwrap();
        assert_eq!(ops.len(), 2);
        assert_eq!(
            ops[0],
            Op::SetProp { path: "/soc".into(), name: "phandle".into(), value: 8u32.to_be_bytes().to_vec() }
        );
        let gic = ids(&d, "/ic");
        let ops = phandle_ops(&d.tree, "/soc", "interrupt-parent", gic).unwrap();
        assert_eq!(
            ops,
            vec![Op::SetProp { path: "/soc".into(), name: "interrupt-parent".into(), value: vec![0, 0, 0, 7] }]
        );
        assert!(check_ops(&d.tree, &ops).is_ok());
        assert!(check_ops(&d.tree, &[Op::RenameNode { path: "/soc".into(), name: "a b".into() }]).is_err());
    }
}
