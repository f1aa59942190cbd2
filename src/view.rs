//! View model for the browser app: everything the UI shows that can be computed without a
//! DOM, so it builds and tests natively.
//!
//! - [`Doc`]: one loaded blob and everything derived from it *once* (paths, search keys,
//!   phandles, labels, pinned hypervisor nodes, DTS text on first use).
//! - [`Model`] + [`Action`]: the app state and its pure reducer (`Model::apply`). The Yew
//!   side (`ui::state`) only wraps it in `Rc` for `use_reducer`.
//! - [`flatten`]: the visible rows of the tree (pinned section, expansion, filter), the
//!   input of the virtualized list.
//! - [`decode_prop`] / [`hex_dump`]: property values as typed pieces for display.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::check::{self, Finding};
use crate::diag::{Diagnostic, Severity};
use crate::tree::{NodeId, Property, Tree};
use crate::value;

pub mod editing;
pub mod load;

/// Fixed height of one tree row in CSS pixels (the virtualized list relies on it).
pub const ROW_HEIGHT: u32 = 20;

/// Largest subtree (in nodes) that "DTS: this node" prints ([`Doc::node_dts`]).
pub const NODE_DTS_MAX_NODES: usize = 5_000;
/// Most bytes of property values that "DTS: this node" prints ([`Doc::node_dts`]).
pub const NODE_DTS_MAX_BYTES: usize = 1 << 20;

/// Longest value (in bytes) decoded into pieces; the rest is summarised.
pub const MAX_DECODED_BYTES: usize = 4096;

static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

/// One loaded document and everything derived from it once. The derived data is shared
/// ([`DocData`], reached through `Deref`), so the document with its checks added
/// ([`Doc::with_checks`]) is a new value without copying the tree.
pub struct Doc {
    data: Rc<DocData>,
    /// The tree differs from the bytes opened (then "download DTB" writes the tree).
    pub edited: bool,
    /// `changed[i]`: node `i` was added, renamed, moved or had a property changed by the
    /// edits in force (tree rows mark it); empty when unedited.
    pub changed: Vec<bool>,
    /// The binding checks, once they have run ([`Doc::from_tree`] runs them at once; a
    /// large blob opened in the browser shows its tree first, see [`load`]).
    checks: Option<Rc<Checks>>,
}

/// What a document derives from its tree once.
pub struct DocData {
    /// Unique per load; documents are equal when their generations are (and both have
    /// or lack their checks).
    pub generation: u64,
    pub name: String,
    /// The bytes as opened (exported unchanged while the tree is unedited).
    pub bytes: Vec<u8>,
    pub tree: Tree,
    pub diagnostics: Vec<Diagnostic>,
    /// For each diagnostic, the node it concerns (resolved from its path).
    pub diagnostic_nodes: Vec<Option<NodeId>>,
    /// Full path per arena index (empty for nodes not reachable from the root).
    pub paths: Vec<String>,
    /// Depth per arena index (root = 0).
    pub depth: Vec<u32>,
    /// Reachable nodes in document order.
    pub order: Vec<NodeId>,
    /// Lower-case name / compatible / label text per arena index, for the filter.
    pub keys: Vec<String>,
    pub phandles: HashMap<u32, NodeId>,
    pub labels: HashMap<NodeId, Vec<String>>,
    /// Nodes named `hypervisor` / `hypervisor@…` (outermost only), shown pinned.
    pub pinned: Vec<NodeId>,
    /// `pinned_flag[i]`: node `i` is one of `pinned`.
    pub pinned_flag: Vec<bool>,
    dts: OnceCell<Rc<str>>,
}

impl std::ops::Deref for Doc {
    type Target = DocData;

    fn deref(&self) -> &DocData {
        &self.data
    }
}

/// The binding checks of a document at the default level.
#[derive(Debug, Default)]
pub struct Checks {
    /// Findings in document order.
    pub findings: Vec<Finding>,
    /// Per node: indices into `findings`.
    pub by_node: HashMap<NodeId, Vec<usize>>,
    /// Per node: the worst severity among its findings and their number (row badges).
    pub badges: HashMap<NodeId, (Severity, usize)>,
    /// Hypervisor family label per hypervisor-ish node ("Xen 4.2", "ePAPR 1.1", …).
    pub hv_labels: HashMap<NodeId, String>,
    /// What property help needs of the check context (kept, so help does not rebuild the
    /// whole-tree context per selection or edit); `None` only for `Checks::default()`.
    pub help: Option<crate::learn::HelpFacts>,
}

impl Checks {
    /// Indexes findings (already in document order) by node.
    pub fn new(findings: Vec<Finding>, hv_labels: HashMap<NodeId, String>) -> Checks {
        let mut by_node: HashMap<NodeId, Vec<usize>> = HashMap::new();
        let mut badges: HashMap<NodeId, (Severity, usize)> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            by_node.entry(f.node).or_default().push(i);
            let b = badges.entry(f.node).or_insert((f.severity, 0));
            b.0 = b.0.max(f.severity);
            b.1 += 1;
        }
        Checks { findings, by_node, badges, hv_labels, help: None }
    }

    /// [`Checks::new`] plus the help facts of the context the findings came from.
    pub fn with_context(findings: Vec<Finding>, ctx: &check::Context) -> Checks {
        let labels = ctx.hv.iter().map(|h| (h.node, h.label.clone())).collect::<HashMap<_, _>>();
        Checks { help: Some(crate::learn::HelpFacts::new(ctx)), ..Checks::new(findings, labels) }
    }

    /// Runs every check on `tree` at once.
    pub fn run(tree: &Tree) -> Checks {
        let ctx = check::Context::new(tree);
        Checks::with_context(check::run_with(&ctx, &check::Config::default()), &ctx)
    }
}

/// Documents are equal when they are the same load and both have (or lack) their checks,
/// so every view of a document re-renders when its checks arrive.
impl PartialEq for Doc {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation && self.checks().is_some() == other.checks().is_some()
    }
}

impl std::fmt::Debug for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc").field("generation", &self.generation).field("name", &self.name).finish()
    }
}

impl Doc {
    /// Reads a blob (never fails) and derives everything the views need.
    pub fn load(name: impl Into<String>, bytes: Vec<u8>) -> Doc {
        let read = crate::dtb::read(&bytes);
        Doc::from_tree(name, bytes, read.tree, read.diagnostics)
    }

    /// A document from a tree, with its checks run.
    pub fn from_tree(name: impl Into<String>, bytes: Vec<u8>, tree: Tree, diagnostics: Vec<Diagnostic>) -> Doc {
        let mut doc = Doc::unchecked(name, bytes, tree, diagnostics);
        doc.checks = Some(Rc::new(Checks::run(&doc.tree)));
        doc
    }

    /// A document whose checks have not run yet ([`Doc::with_checks`] adds them).
    pub fn unchecked(name: impl Into<String>, bytes: Vec<u8>, tree: Tree, diagnostics: Vec<Diagnostic>) -> Doc {
        let mut go = load::no_pause;
        load::run_ready(load::index(name.into(), bytes, tree, diagnostics, &mut go))
    }

    /// The checks, once they have run.
    pub fn checks(&self) -> Option<&Checks> {
        self.checks.as_deref()
    }

    /// This document with `checks` (the same load: the derived data is shared).
    pub fn with_checks(&self, checks: Rc<Checks>) -> Doc {
        Doc { data: self.data.clone(), edited: self.edited, changed: self.changed.clone(), checks: Some(checks) }
    }

    /// The findings (none while the checks have not run).
    pub fn findings(&self) -> &[Finding] {
        self.checks().map_or(&[], |c| &c.findings)
    }

    /// The findings about node `id`.
    pub fn findings_at(&self, id: NodeId) -> impl Iterator<Item = &Finding> {
        let c = self.checks();
        let idx = c.and_then(|c| c.by_node.get(&id)).map_or(&[][..], Vec::as_slice);
        idx.iter().filter_map(move |&k| c.and_then(|c| c.findings.get(k)))
    }

    /// The worst severity among the findings of node `id` and their number.
    pub fn badge(&self, id: NodeId) -> Option<(Severity, usize)> {
        self.checks().and_then(|c| c.badges.get(&id)).copied()
    }

    /// The binding documentation of property `prop` of node `id` (hover help), once the
    /// checks have run: from the facts kept with them, never a new whole-tree context.
    pub fn prop_doc(&self, id: NodeId, prop: &str) -> Option<&'static crate::learn::PropDoc> {
        let facts = self.checks()?.help.as_ref()?;
        crate::learn::prop_doc_with(facts, &self.tree, id, prop)
    }

    /// The hypervisor family label of node `id` ("Xen 4.2"), once the checks have run.
    pub fn hv_label(&self, id: NodeId) -> Option<&String> {
        self.checks().and_then(|c| c.hv_labels.get(&id))
    }

    pub fn path(&self, id: NodeId) -> &str {
        self.paths.get(id.0).map_or("", String::as_str)
    }

    /// Nodes in the subtree of `id` (itself included) and the bytes of their property
    /// values, counted until either passes its limit.
    pub fn subtree_size_upto(&self, id: NodeId, max_nodes: usize, max_bytes: usize) -> (usize, usize) {
        let mut stack = vec![id];
        let (mut n, mut bytes) = (0, 0);
        while let Some(x) = stack.pop() {
            let Some(node) = self.tree.nodes.get(x.0) else { continue };
            n += 1;
            bytes += node.props.iter().map(|p| p.value.len()).sum::<usize>();
            if n > max_nodes || bytes > max_bytes {
                break;
            }
            stack.extend(node.children.iter().copied());
        }
        (n, bytes)
    }

    /// "DTS: this node": node `id` and its subtree as DTS, or `None` when the subtree has
    /// more than [`NODE_DTS_MAX_NODES`] nodes or [`NODE_DTS_MAX_BYTES`] bytes of values
    /// (printing it would hold the page for a long time on every selection or edit; the
    /// whole-tree tab prints it on request).
    pub fn node_dts(&self, id: NodeId) -> Option<Rc<str>> {
        let (n, bytes) = self.subtree_size_upto(id, NODE_DTS_MAX_NODES, NODE_DTS_MAX_BYTES);
        (n <= NODE_DTS_MAX_NODES && bytes <= NODE_DTS_MAX_BYTES)
            .then(|| Rc::from(crate::dts::print_node(&self.tree, id)))
    }

    /// What "DTS: this node" says instead of a subtree too large to print.
    pub fn node_dts_notice(&self, id: NodeId) -> String {
        let who = if id == self.tree.root { "The root".to_string() } else { self.path(id).to_string() };
        let (n, _) = self.subtree_size_upto(id, NODE_DTS_MAX_NODES, NODE_DTS_MAX_BYTES);
        let what = if n > NODE_DTS_MAX_NODES {
            format!("more than {NODE_DTS_MAX_NODES} nodes below it")
        } else {
            format!("more than {} MiB of property values", NODE_DTS_MAX_BYTES >> 20)
        };
        format!("{who} has {what}, too much to print on every selection: \"DTS: whole tree\" prints the whole tree.")
    }

    /// Whole-tree DTS, printed on first use and kept.
    pub fn dts(&self) -> Rc<str> {
        self.dts.get_or_init(|| Rc::from(crate::dts::print(&self.tree))).clone()
    }

    pub fn count(&self, sev: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == sev).count()
    }

    /// A short description of the header for the top bar.
    pub fn summary(&self) -> String {
        let h = &self.tree.header;
        format!("{} bytes · v{} · {} nodes", self.bytes.len(), h.version, self.order.len())
    }

    /// The node a diagnostic should select: its own, else the deepest node read before
    /// the offset it points at.
    pub fn diagnostic_target(&self, index: usize) -> Option<NodeId> {
        if let Some(Some(id)) = self.diagnostic_nodes.get(index) {
            return Some(*id);
        }
        None
    }

    fn is_ancestor_or_self(&self, anc: NodeId, mut id: NodeId) -> bool {
        let mut guard = self.tree.nodes.len();
        loop {
            if id == anc {
                return true;
            }
            match self.tree.node(id).parent {
                Some(p) if guard > 0 => {
                    id = p;
                    guard -= 1;
                }
                _ => return false,
            }
        }
    }
}

/// Which section of the tree list a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Hypervisor,
    Tree,
}

/// One row of the flattened tree list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A section heading ("Hypervisor", "Tree").
    Heading(Section),
    /// A node. `depth` is the indentation within its section.
    Node { id: NodeId, depth: u32, expandable: bool, expanded: bool, pinned: bool, hit: bool },
    /// Where a pinned node sits in the full tree: a pointer to the pinned section, so each
    /// node has exactly one row (and one `data-path`) in the list.
    Moved { id: NodeId, depth: u32 },
}

impl Row {
    pub fn node(&self) -> Option<NodeId> {
        match self {
            Row::Node { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// The visible rows, with a generation so views compare them in O(1).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub generation: u64,
    pub items: Vec<Row>,
}

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

impl Rows {
    pub fn index_of(&self, id: NodeId) -> Option<usize> {
        self.items.iter().position(|r| r.node() == Some(id))
    }
}

/// Lower-cases and trims a filter string; empty means "no filter".
fn needle(filter: &str) -> String {
    filter.trim().to_ascii_lowercase()
}

/// Whether node `id` matches the filter: a needle with `/` matches the full path, any
/// other needle the node name, its compatible strings and its labels.
pub fn matches(doc: &Doc, id: NodeId, needle: &str) -> bool {
    if needle.contains('/') {
        doc.path(id).to_ascii_lowercase().contains(needle)
    } else {
        doc.keys.get(id.0).is_some_and(|k| k.contains(needle))
    }
}

/// Flattens the tree into visible rows: the pinned "Hypervisor" section first, then the
/// full tree. Without a filter, children of collapsed nodes are hidden; with one, exactly
/// the matching nodes and their ancestors are shown (expanded).
pub fn flatten(doc: &Doc, expanded: &[bool], filter: &str) -> Vec<Row> {
    let needle = needle(filter);
    let n = doc.tree.nodes.len();
    // keep[i]: node i is shown under the filter (matches, or has a matching descendant).
    let mut hit = vec![false; n];
    let keep: Option<Vec<bool>> = if needle.is_empty() {
        None
    } else {
        let mut keep = vec![false; n];
        for &id in doc.order.iter().rev() {
            if matches(doc, id, &needle) {
                hit[id.0] = true;
                keep[id.0] = true;
            }
            if keep[id.0] {
                if let Some(p) = doc.tree.node(id).parent {
                    keep[p.0] = true;
                }
            }
        }
        Some(keep)
    };
    let shown = |id: NodeId| keep.as_ref().is_none_or(|k| k[id.0]);
    let is_open = |id: NodeId| keep.is_some() || expanded.get(id.0).copied().unwrap_or(false);
    let expandable = |id: NodeId| {
        let ch = &doc.tree.node(id).children;
        match &keep {
            None => !ch.is_empty(),
            Some(k) => ch.iter().any(|c| k[c.0]),
        }
    };

    let mut rows = Vec::new();
    let pins: Vec<NodeId> = doc.pinned.iter().copied().filter(|&p| shown(p)).collect();
    if !pins.is_empty() {
        rows.push(Row::Heading(Section::Hypervisor));
        for p in pins {
            push_subtree(doc, p, 0, &mut rows, &shown, &is_open, &expandable, &hit, true);
        }
        rows.push(Row::Heading(Section::Tree));
    }
    if shown(doc.tree.root) {
        push_subtree(doc, doc.tree.root, 0, &mut rows, &shown, &is_open, &expandable, &hit, false);
    }
    rows
}

#[allow(clippy::too_many_arguments)]
fn push_subtree(
    doc: &Doc,
    start: NodeId,
    base_depth: u32,
    rows: &mut Vec<Row>,
    shown: &dyn Fn(NodeId) -> bool,
    is_open: &dyn Fn(NodeId) -> bool,
    expandable: &dyn Fn(NodeId) -> bool,
    hit: &[bool],
    in_pinned: bool,
) {
    // Iterative pre-order walk (no recursion: trees can be deep).
    let mut stack = vec![(start, base_depth)];
    while let Some((id, depth)) = stack.pop() {
        if !in_pinned && id != start && doc.pinned_flag.get(id.0).copied().unwrap_or(false) {
            rows.push(Row::Moved { id, depth });
            continue;
        }
        let exp = expandable(id);
        let open = exp && is_open(id);
        rows.push(Row::Node {
            id,
            depth,
            expandable: exp,
            expanded: open,
            pinned: in_pinned && id == start,
            hit: hit.get(id.0).copied().unwrap_or(false),
        });
        if open {
            for &c in doc.tree.node(id).children.iter().rev() {
                if shown(c) {
                    stack.push((c, depth + 1));
                }
            }
        }
    }
}

/// The bottom pane's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    NodeDts,
    TreeDts,
    Diagnostics,
    /// The whole tree as editable DTS source.
    EditDts,
}

/// What the app is doing apart from showing a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Idle,
    Loading(String),
    /// A large document is being read, indexed or checked in steps.
    Working(load::Progress),
    Failed(String),
}

/// Tree keyboard commands (the WAI-ARIA tree pattern).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
}

/// Everything the reducer can be asked to do.
#[derive(Debug, Clone)]
pub enum Action {
    /// A file started loading (name shown while it reads).
    Loading(String),
    /// A file (or example) was read: parse it and show it.
    Open {
        name: String,
        bytes: Vec<u8>,
    },
    /// A document opened in steps ([`load`]) is ready to show (its checks may follow).
    Opened(Rc<Doc>),
    /// How far an open in steps has got.
    Progress(load::Progress),
    /// The checks of the document with this generation, run after it was shown.
    Checked(u64, Rc<Checks>),
    /// Reading a file or fetching an example failed before any byte arrived.
    Failed(String),
    /// Back to the start screen.
    Close,
    /// Select a node (from a click on a row).
    Select(NodeId),
    /// Select a node from elsewhere (phandle link, diagnostic): expand its ancestors,
    /// clear a filter that hides it, and scroll it into view.
    Reveal(NodeId),
    /// Like `Reveal`, and highlight one of its properties (from a finding).
    RevealProp(NodeId, Option<String>),
    Toggle(NodeId),
    Nav(Nav),
    Filter(String),
    Tab(Tab),
    ToggleHex,
    /// Apply edit ops as one undoable step (see [`editing`]).
    Edit(Vec<crate::edit::Op>),
    Undo,
    Redo,
    /// Replace the whole tree (a clean parse of the DTS editor), undoable.
    ReplaceTree(Box<Tree>),
}

/// The whole app state. Cheap to clone: the document and the rows are shared.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub doc: Option<Rc<Doc>>,
    pub status: Status,
    /// Expansion flag per arena index.
    pub expanded: Vec<bool>,
    pub filter: String,
    pub rows: Rc<Rows>,
    pub selected: Option<NodeId>,
    /// Bumped whenever the selection should be scrolled into view.
    pub reveal: u64,
    pub tab: Tab,
    pub hex: bool,
    /// The property to highlight in the node pane (set by a finding, cleared by any
    /// other selection).
    pub focus_prop: Option<String>,
    /// The edit stack of the document (created on the first edit).
    pub edits: Option<editing::Edits>,
}

impl Model {
    /// Applies one action. Pure: no I/O, no DOM.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Loading(name) => self.status = Status::Loading(name),
            Action::Failed(msg) => self.status = Status::Failed(msg),
            Action::Opened(doc) => {
                let checking = doc.checks().is_none();
                self.open_rc(doc);
                if checking {
                    let config = check::Config::default();
                    let total = check::all().filter(|r| config.is_enabled(r)).count();
                    self.status = Status::Working(load::Progress::Checking { done: 0, total });
                }
            }
            Action::Progress(p) => self.status = Status::Working(p),
            Action::Checked(generation, checks) => {
                let Some(doc) = self.doc.as_ref().filter(|d| d.generation == generation && d.checks().is_none()) else {
                    return;
                };
                self.doc = Some(Rc::new(doc.with_checks(checks)));
                if matches!(self.status, Status::Working(_)) {
                    self.status = Status::Idle;
                }
            }
            Action::Open { name, bytes } => match editing::load_any(name, bytes) {
                Ok(doc) => self.open(doc),
                Err(msg) => self.status = Status::Failed(msg),
            },
            Action::Close => *self = Model::default(),
            Action::Select(id) => {
                if self.doc.as_ref().is_some_and(|d| id.0 < d.tree.nodes.len()) {
                    self.selected = Some(id);
                    self.focus_prop = None;
                }
            }
            Action::Reveal(id) => {
                self.focus_prop = None;
                self.reveal_node(id);
            }
            Action::RevealProp(id, prop) => {
                self.reveal_node(id);
                self.focus_prop = prop;
            }
            Action::Toggle(id) => {
                if let Some(e) = self.expanded.get_mut(id.0) {
                    *e = !*e;
                    self.rebuild();
                }
            }
            Action::Nav(nav) => self.nav(nav),
            Action::Filter(f) => {
                self.filter = f;
                self.rebuild();
            }
            Action::Tab(t) => self.tab = t,
            Action::ToggleHex => self.hex = !self.hex,
            Action::Edit(ops) => self.edit(ops),
            Action::Undo => self.undo_redo(true),
            Action::Redo => self.undo_redo(false),
            Action::ReplaceTree(tree) => self.replace_tree(*tree),
        }
    }

    /// Shows a freshly loaded document.
    pub fn open(&mut self, doc: Doc) {
        self.open_rc(Rc::new(doc));
    }

    /// Shows a freshly loaded document (shared with whoever runs its checks).
    pub fn open_rc(&mut self, doc: Rc<Doc>) {
        let mut expanded = vec![false; doc.tree.nodes.len()];
        for &id in &doc.order {
            if doc.depth[id.0] <= 1 {
                expanded[id.0] = true;
            }
        }
        // The pinned hypervisor subtrees are what users came for: open them completely.
        let mut in_pinned = vec![false; doc.tree.nodes.len()];
        for &id in &doc.order {
            let parent_in = doc.tree.node(id).parent.is_some_and(|p| in_pinned[p.0]);
            in_pinned[id.0] = parent_in || doc.pinned_flag[id.0];
            if in_pinned[id.0] {
                expanded[id.0] = true;
            }
        }
        let has_problems = doc.diagnostics.iter().any(|d| d.severity >= Severity::Warning);
        self.selected = Some(doc.pinned.first().copied().unwrap_or(doc.tree.root));
        self.tab = if has_problems { Tab::Diagnostics } else { Tab::NodeDts };
        self.expanded = expanded;
        self.filter.clear();
        self.focus_prop = None;
        self.status = Status::Idle;
        self.edits = None;
        self.doc = Some(doc);
        self.rebuild();
        self.reveal += 1;
    }

    fn rebuild(&mut self) {
        let items = match &self.doc {
            Some(d) => flatten(d, &self.expanded, &self.filter),
            None => Vec::new(),
        };
        self.rows = Rc::new(Rows { generation: next_generation(), items });
    }

    fn reveal_node(&mut self, id: NodeId) {
        let Some(doc) = self.doc.clone() else { return };
        if id.0 >= doc.tree.nodes.len() {
            return;
        }
        // Expand every ancestor.
        let mut cur = doc.tree.node(id).parent;
        let mut guard = doc.tree.nodes.len();
        while let Some(p) = cur {
            if guard == 0 {
                break;
            }
            guard -= 1;
            self.expanded[p.0] = true;
            cur = doc.tree.node(p).parent;
        }
        let n = needle(&self.filter);
        if !n.is_empty() {
            let visible = doc.order.iter().any(|&m| matches(&doc, m, &n) && doc.is_ancestor_or_self(id, m));
            if !visible {
                self.filter.clear();
            }
        }
        self.selected = Some(id);
        self.rebuild();
        self.reveal += 1;
    }

    fn nav(&mut self, nav: Nav) {
        let Some(doc) = self.doc.clone() else { return };
        let rows = self.rows.clone();
        let node_rows: Vec<usize> =
            rows.items.iter().enumerate().filter(|(_, r)| r.node().is_some()).map(|(i, _)| i).collect();
        if node_rows.is_empty() {
            return;
        }
        let cur = self.selected.and_then(|s| node_rows.iter().position(|&i| rows.items[i].node() == Some(s)));
        let pick = |k: usize| rows.items[node_rows[k]].node();
        let new = match (nav, cur) {
            (Nav::Home, _) | (Nav::Up | Nav::Down | Nav::Left | Nav::Right, None) => pick(0),
            (Nav::End, _) => pick(node_rows.len() - 1),
            (Nav::Up, Some(k)) => pick(k.saturating_sub(1)),
            (Nav::Down, Some(k)) => pick((k + 1).min(node_rows.len() - 1)),
            (Nav::Right, Some(k)) => match &rows.items[node_rows[k]] {
                Row::Node { id, expandable: true, expanded: false, .. } => {
                    self.expanded[id.0] = true;
                    self.rebuild();
                    Some(*id)
                }
                Row::Node { expandable: true, expanded: true, .. } if k + 1 < node_rows.len() => pick(k + 1),
                r => r.node(),
            },
            (Nav::Left, Some(k)) => match &rows.items[node_rows[k]] {
                Row::Node { id, expandable: true, expanded: true, .. } if needle(&self.filter).is_empty() => {
                    self.expanded[id.0] = false;
                    self.rebuild();
                    Some(*id)
                }
                Row::Node { id, pinned: false, .. } => {
                    // Move to the parent when it has a row.
                    let parent = doc.tree.node(*id).parent;
                    match parent {
                        Some(p) if rows.index_of(p).is_some() => Some(p),
                        _ => Some(*id),
                    }
                }
                r => r.node(),
            },
        };
        if let Some(n) = new {
            self.selected = Some(n);
            self.focus_prop = None;
            self.reveal += 1;
        }
    }
}

/// One piece of a decoded value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Plain text (numbers, punctuation).
    Text(String),
    /// A string value, shown quoted and escaped.
    Str(String),
    /// A reference to another node: a phandle or a path.
    Ref { target: NodeId, text: String },
    /// A reference that does not resolve.
    BadRef(String),
    /// End of one entry (the view may break the line here).
    Break,
    /// A note about the value (e.g. "1 MiB more bytes not shown").
    Note(String),
}

/// A property decoded for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropView {
    pub name: String,
    /// Short type tag: `empty`, `string`, `strings`, `u32`, `cells`, `reg`, `ranges`,
    /// `interrupts`, `phandle`, `ref`, `u64`, `bytes`.
    pub kind: &'static str,
    pub pieces: Vec<Piece>,
    pub len: usize,
    pub offset: Option<u32>,
}

fn hex(v: u32) -> String {
    format!("{v:#x}")
}

/// Escapes a string for display between quotes (like DTS): `\"`, `\\`, `\n`, `\t`, `\xNN`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

const STRING_PROPS: &[&str] = &["compatible", "model", "status", "device_type", "bootargs", "label", "stdout-path"];

/// phandle + specifier lists: property name → the `#…-cells` property of the provider.
const PHANDLE_ARGS: &[(&str, &str)] = &[
    ("clocks", "#clock-cells"),
    ("resets", "#reset-cells"),
    ("interrupts-extended", "#interrupt-cells"),
    ("iommus", "#iommu-cells"),
    ("phys", "#phy-cells"),
    ("dmas", "#dma-cells"),
    ("power-domains", "#power-domain-cells"),
    ("mboxes", "#mbox-cells"),
    ("pwms", "#pwm-cells"),
    ("thermal-sensors", "#thermal-sensor-cells"),
    ("gpios", "#gpio-cells"),
    ("io-channels", "#io-channel-cells"),
];

/// Properties that hold plain phandles (one or a list).
const PHANDLE_PROPS: &[&str] = &[
    "interrupt-parent",
    "msi-parent",
    "next-level-cache",
    "memory-region",
    "cpu",
    "cpu-idle-states",
    "operating-points-v2",
    "remote-endpoint",
    "phy-handle",
    "pinctrl-0",
    "pinctrl-1",
    "pinctrl-2",
    "pinctrl-3",
];

fn cell_of(doc: &Doc, id: NodeId, prop: &str) -> Option<u32> {
    doc.tree.node(id).prop(prop).and_then(|p| value::as_u32(&p.value))
}

/// Decodes a property of node `id` for display, by what the binding conventions say it
/// is (reg by the parent's cells, interrupts by the interrupt parent's cells, phandles as
/// links), falling back to dtc's string/cell/byte guess.
pub fn decode_prop(doc: &Doc, id: NodeId, prop: &Property) -> PropView {
    let full = &prop.value;
    let truncated = full.len() > MAX_DECODED_BYTES;
    let v = if truncated { &full[..MAX_DECODED_BYTES & !3] } else { &full[..] };
    let (kind, mut pieces) = decode_value(doc, id, &prop.name, v);
    if truncated {
        pieces.push(Piece::Note(format!("… {} more bytes (see raw hex)", full.len() - v.len())));
    }
    PropView { name: prop.name.clone(), kind, pieces, len: full.len(), offset: prop.offset }
}

fn decode_value(doc: &Doc, id: NodeId, name: &str, v: &[u8]) -> (&'static str, Vec<Piece>) {
    let tree = &doc.tree;
    let node = tree.node(id);
    if v.is_empty() {
        return ("empty", vec![Piece::Text("true (empty)".into())]);
    }
    let cells = value::as_cells(v);
    // Paths: /aliases and /__symbols__ values point at nodes.
    let in_path_node = node.parent == Some(tree.root) && matches!(node.name.as_str(), "aliases" | "__symbols__");
    if in_path_node || name == "stdout-path" || name == "linux,stdout-path" {
        if let Some(s) = value::as_string(v) {
            let path = s.split(':').next().unwrap_or(s);
            return match tree.find(path) {
                Some(t) => ("ref", vec![Piece::Ref { target: t, text: s.to_string() }]),
                None => ("string", vec![Piece::Str(s.to_string())]),
            };
        }
    }
    if name == "phandle" || name == "linux,phandle" {
        if let Some(c) = value::as_u32(v) {
            return ("phandle", vec![Piece::Text(hex(c))]);
        }
    }
    if value::KNOWN_U64_PROPS.contains(&name) && v.len().is_multiple_of(8) {
        let mut p = Vec::new();
        for (i, c) in v.chunks_exact(8).enumerate() {
            if i > 0 {
                p.push(Piece::Break);
            }
            p.push(Piece::Text(format!("{:#x}", value::as_u64(c).unwrap_or(0))));
        }
        return ("u64", p);
    }
    if STRING_PROPS.contains(&name) || name.ends_with("-names") || name == "xen,uefi-binary" {
        if let Some(list) = value::as_string_list(v) {
            return strings(&list);
        }
    }
    if let Some(cells) = &cells {
        if name == "reg" {
            if let Some(p) = node.parent {
                let (a, s) = tree.cells_for_children(p);
                if let Some(pieces) = grouped(cells, &[a, s], &["", "size "]) {
                    return ("reg", pieces);
                }
            }
        }
        if name == "ranges" || name == "dma-ranges" {
            let (ca, cs) = tree.cells_for_children(id);
            let pa = node.parent.map_or(2, |p| tree.cells_for_children(p).0);
            if let Some(pieces) = grouped(cells, &[ca, pa, cs], &["", "→ ", "size "]) {
                return ("ranges", pieces);
            }
        }
        if name == "interrupts" {
            let ic = tree
                .interrupt_parent(id, &doc.phandles)
                .and_then(|ip| cell_of(doc, ip, "#interrupt-cells"))
                .filter(|&c| c > 0);
            if let Some(ic) = ic {
                if let Some(pieces) = grouped(cells, &[ic], &[""]) {
                    return ("interrupts", pieces);
                }
            }
        }
        if PHANDLE_PROPS.contains(&name) {
            let mut p = Vec::new();
            for (i, &c) in cells.iter().enumerate() {
                if i > 0 {
                    p.push(Piece::Text(" ".into()));
                }
                p.push(phandle_piece(doc, c));
            }
            return ("phandle", p);
        }
        let provider_cells = PHANDLE_ARGS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .or_else(|| (name.ends_with("-gpios") || name.ends_with("-gpio")).then_some("#gpio-cells"));
        if let Some(cells_prop) = provider_cells {
            if let Some(p) = phandle_args(doc, cells, cells_prop) {
                return ("phandle", p);
            }
        }
    }
    if value::looks_like_strings(v) {
        if let Some(list) = value::as_string_list(v) {
            return strings(&list);
        }
    }
    match cells {
        Some(c) if c.len() == 1 => ("u32", vec![Piece::Text(format!("<{}>", hex(c[0])))]),
        Some(c) => {
            let body: Vec<String> = c.iter().map(|&x| hex(x)).collect();
            ("cells", vec![Piece::Text(format!("<{}>", body.join(" ")))])
        }
        None => {
            let body: Vec<String> = v.iter().map(|b| format!("{b:02x}")).collect();
            ("bytes", vec![Piece::Text(format!("[{}]", body.join(" ")))])
        }
    }
}

fn strings(list: &[&str]) -> (&'static str, Vec<Piece>) {
    let mut p = Vec::new();
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            p.push(Piece::Text(", ".into()));
        }
        p.push(Piece::Str(s.to_string()));
    }
    (if list.len() == 1 { "string" } else { "strings" }, p)
}

fn phandle_piece(doc: &Doc, ph: u32) -> Piece {
    match doc.phandles.get(&ph) {
        Some(&t) => {
            let text = doc
                .labels
                .get(&t)
                .and_then(|l| l.first())
                .map(|l| format!("&{l}"))
                .unwrap_or_else(|| format!("&{{{}}}", doc.path(t)));
            Piece::Ref { target: t, text }
        }
        None => Piece::BadRef(format!("{} (no such phandle)", hex(ph))),
    }
}

/// Splits cells into entries with the given group sizes, e.g. `[address, size]`, one
/// `<…>` group per field.
fn grouped(cells: &[u32], sizes: &[u32], prefixes: &[&str]) -> Option<Vec<Piece>> {
    let per: u32 = sizes.iter().try_fold(0u32, |a, &s| a.checked_add(s))?;
    if per == 0 || per > 64 {
        return None;
    }
    let entries = value::group(cells, per as usize)?;
    let mut p = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            p.push(Piece::Break);
        }
        let mut at = 0usize;
        let mut fields = Vec::new();
        for (k, &s) in sizes.iter().enumerate() {
            let f = &e[at..at + s as usize];
            at += s as usize;
            if f.is_empty() {
                continue;
            }
            let body: Vec<String> = f.iter().map(|&x| hex(x)).collect();
            fields.push(format!("{}<{}>", prefixes.get(k).copied().unwrap_or(""), body.join(" ")));
        }
        p.push(Piece::Text(fields.join(" ")));
    }
    Some(p)
}

/// phandle + args lists (`clocks = <&a 1 &b 2>`): each entry a link and its specifier,
/// using the provider's `#…-cells`. `None` when a phandle does not resolve or the cells
/// run out (then the plain cell view is used).
fn phandle_args(doc: &Doc, cells: &[u32], cells_prop: &str) -> Option<Vec<Piece>> {
    let mut p = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let ph = cells[i];
        let target = *doc.phandles.get(&ph)?;
        let n = cell_of(doc, target, cells_prop).unwrap_or(0) as usize;
        let args = cells.get(i + 1..i + 1 + n)?;
        if !p.is_empty() {
            p.push(Piece::Break);
        }
        p.push(phandle_piece(doc, ph));
        if !args.is_empty() {
            let body: Vec<String> = args.iter().map(|&x| hex(x)).collect();
            p.push(Piece::Text(format!(" <{}>", body.join(" "))));
        }
        i += 1 + n;
    }
    Some(p)
}

/// Classic hex dump: offset, 16 bytes, ASCII. At most `MAX_DECODED_BYTES` bytes.
pub fn hex_dump(v: &[u8]) -> String {
    let shown = &v[..v.len().min(MAX_DECODED_BYTES)];
    let mut out = String::new();
    for (i, chunk) in shown.chunks(16).enumerate() {
        out.push_str(&format!("{:04x}  ", i * 16));
        for k in 0..16 {
            match chunk.get(k) {
                Some(b) => out.push_str(&format!("{b:02x} ")),
                None => out.push_str("   "),
            }
            if k == 7 {
                out.push(' ');
            }
        }
        out.push(' ');
        for &b in chunk {
            out.push(if (0x20..0x7f).contains(&b) { b as char } else { '.' });
        }
        out.push('\n');
    }
    if v.len() > shown.len() {
        out.push_str(&format!("… {} more bytes\n", v.len() - shown.len()));
    }
    if v.is_empty() {
        out.push_str("(empty)\n");
    }
    out
}

/// A facts line for the node pane: unit address, phandle, labels, offset.
pub fn facts(doc: &Doc, id: NodeId) -> Vec<(&'static str, String)> {
    let node = doc.tree.node(id);
    let mut f = Vec::new();
    if let Some(u) = node.unit_address() {
        f.push(("unit address", u.to_string()));
    }
    if let Some(ph) = cell_of(doc, id, "phandle").or_else(|| cell_of(doc, id, "linux,phandle")) {
        f.push(("phandle", hex(ph)));
    }
    if let Some(ls) = doc.labels.get(&id) {
        f.push(("label", ls.join(", ")));
    }
    f.push(("children", node.children.len().to_string()));
    f.push(("properties", node.props.len().to_string()));
    if let Some(o) = node.offset {
        f.push(("offset", format!("{o:#x}")));
    }
    f
}

/// File name for a download derived from the opened name: `board.dtb` → `board.dts`.
pub fn export_name(name: &str, ext: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let stem = if stem.is_empty() { "tree" } else { stem };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(cells: &[u32]) -> Vec<u8> {
        cells.iter().flat_map(|c| c.to_be_bytes()).collect()
    }

    /// / { #address-cells=2 #size-cells=2; interrupt-parent=<1>;
    ///     cpus { cpu@0 }; gic: intc@2c001000 (phandle 1, #interrupt-cells 3);
    ///     hypervisor { compatible; reg; interrupts; uefi {} }; soc { serial@1000 { clocks = <1 5> } } }
    fn sample() -> Doc {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", be(&[2])));
        t.node_mut(r).props.push(Property::new("#size-cells", be(&[2])));
        t.node_mut(r).props.push(Property::new("interrupt-parent", be(&[1])));
        let cpus = t.add_child(r, "cpus");
        let _cpu = t.add_child(cpus, "cpu@0");
        let gic = t.add_child(r, "interrupt-controller@2c001000");
        t.node_mut(gic).props.push(Property::new("phandle", be(&[1])));
        t.node_mut(gic).props.push(Property::new("#interrupt-cells", be(&[3])));
        t.node_mut(gic).props.push(Property::new("#clock-cells", be(&[1])));
        t.node_mut(gic).props.push(Property::new("interrupt-controller", Vec::new()));
        let hv = t.add_child(r, "hypervisor");
        t.node_mut(hv).props.push(Property::new("compatible", b"xen,xen-4.2\0xen,xen\0".to_vec()));
        t.node_mut(hv).props.push(Property::new("reg", be(&[0, 0xb000_0000, 0, 0x20000])));
        t.node_mut(hv).props.push(Property::new("interrupts", be(&[1, 15, 0xf08])));
        t.node_mut(hv).props.push(Property::new("xen,uefi-system-table", vec![0, 0, 0, 0, 0, 0x13, 0x01, 0x41]));
        let _uefi = t.add_child(hv, "uefi");
        let soc = t.add_child(r, "soc");
        let ser = t.add_child(soc, "serial@1000");
        t.node_mut(ser).props.push(Property::new("clocks", be(&[1, 5])));
        t.node_mut(ser).props.push(Property::new("compatible", b"arm,pl011\0arm,primecell\0".to_vec()));
        t.node_mut(ser).props.push(Property::new("blob", vec![1, 2, 3]));
        let sym = t.add_child(r, "__symbols__");
        t.node_mut(sym).props.push(Property::new("gic", b"/interrupt-controller@2c001000\0".to_vec()));
        Doc::from_tree("sample.dtb", vec![0xd0, 0x0d], t, Vec::new())
    }

    fn paths(doc: &Doc, rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                Row::Heading(s) => format!("# {s:?}"),
                Row::Node { id, depth, .. } => format!("{}{}", " ".repeat(*depth as usize), doc.path(*id)),
                Row::Moved { id, depth } => format!("{}-> {}", " ".repeat(*depth as usize), doc.path(*id)),
            })
            .collect()
    }

    #[test]
    fn doc_derives_paths_pins_and_keys() {
        let d = sample();
        let hv = d.tree.find("/hypervisor").unwrap();
        assert_eq!(d.pinned, vec![hv]);
        assert_eq!(d.path(d.tree.find("/soc/serial@1000").unwrap()), "/soc/serial@1000");
        assert_eq!(d.path(d.tree.root), "/");
        assert!(d.keys[hv.0].contains("xen,xen-4.2"));
        let gic = d.tree.find("/interrupt-controller@2c001000").unwrap();
        assert!(d.keys[gic.0].contains("gic"), "labels are searchable");
        assert_eq!(d.order.len(), 9);
    }

    #[test]
    fn flatten_pins_hypervisor_and_moves_it_out_of_the_tree() {
        let mut m = Model::default();
        m.open(sample());
        let d = m.doc.clone().unwrap();
        assert_eq!(
            paths(&d, &m.rows.items),
            vec![
                "# Hypervisor",
                "/hypervisor",
                " /hypervisor/uefi",
                "# Tree",
                "/",
                " /cpus",
                "  /cpus/cpu@0",
                " /interrupt-controller@2c001000",
                " -> /hypervisor",
                " /soc",
                "  /soc/serial@1000",
                " /__symbols__",
            ]
        );
        // Each node has exactly one Node row.
        let hv = d.tree.find("/hypervisor").unwrap();
        assert_eq!(m.rows.items.iter().filter(|r| r.node() == Some(hv)).count(), 1);
        assert_eq!(m.selected, Some(hv), "the hypervisor node is selected first");
    }

    #[test]
    fn collapse_and_expand() {
        let mut m = Model::default();
        m.open(sample());
        let d = m.doc.clone().unwrap();
        let cpus = d.tree.find("/cpus").unwrap();
        m.apply(Action::Toggle(cpus));
        assert!(!paths(&d, &m.rows.items).contains(&"  /cpus/cpu@0".to_string()));
        let row = m.rows.items.iter().find(|r| r.node() == Some(cpus)).unwrap();
        assert!(matches!(row, Row::Node { expandable: true, expanded: false, .. }));
        m.apply(Action::Toggle(cpus));
        assert!(paths(&d, &m.rows.items).contains(&"  /cpus/cpu@0".to_string()));
    }

    #[test]
    fn filter_keeps_matches_and_ancestors() {
        let mut m = Model::default();
        m.open(sample());
        let d = m.doc.clone().unwrap();
        m.apply(Action::Filter("PL011".into()));
        assert_eq!(paths(&d, &m.rows.items), vec!["/", " /soc", "  /soc/serial@1000"]);
        let ser = d.tree.find("/soc/serial@1000").unwrap();
        assert!(m.rows.items.iter().any(|r| matches!(r, Row::Node { id, hit: true, .. } if *id == ser)));
        // A path needle matches full paths.
        m.apply(Action::Filter("/cpus/cpu".into()));
        assert_eq!(paths(&d, &m.rows.items), vec!["/", " /cpus", "  /cpus/cpu@0"]);
        // The pinned section survives a filter that matches inside it.
        m.apply(Action::Filter("uefi".into()));
        assert_eq!(
            paths(&d, &m.rows.items),
            vec!["# Hypervisor", "/hypervisor", " /hypervisor/uefi", "# Tree", "/", " -> /hypervisor"]
        );
        m.apply(Action::Filter("zzz".into()));
        assert!(m.rows.items.is_empty());
        // Filter finds collapsed nodes too.
        m.apply(Action::Filter(String::new()));
        let cpus = d.tree.find("/cpus").unwrap();
        m.apply(Action::Toggle(cpus));
        m.apply(Action::Filter("cpu@0".into()));
        assert!(paths(&d, &m.rows.items).contains(&"  /cpus/cpu@0".to_string()));
    }

    #[test]
    fn keyboard_navigation() {
        let mut m = Model::default();
        m.open(sample());
        let d = m.doc.clone().unwrap();
        let id = |p: &str| d.tree.find(p).unwrap();
        assert_eq!(m.selected, Some(id("/hypervisor")));
        m.apply(Action::Nav(Nav::Down));
        assert_eq!(m.selected, Some(id("/hypervisor/uefi")));
        m.apply(Action::Nav(Nav::Down));
        assert_eq!(m.selected, Some(id("/")), "headings are skipped");
        m.apply(Action::Nav(Nav::Down));
        assert_eq!(m.selected, Some(id("/cpus")));
        m.apply(Action::Nav(Nav::Left)); // collapse
        assert_eq!(m.selected, Some(id("/cpus")));
        assert!(m.rows.index_of(id("/cpus/cpu@0")).is_none());
        m.apply(Action::Nav(Nav::Left)); // to parent
        assert_eq!(m.selected, Some(id("/")));
        m.apply(Action::Nav(Nav::Down));
        m.apply(Action::Nav(Nav::Right)); // expand
        assert!(m.rows.index_of(id("/cpus/cpu@0")).is_some());
        m.apply(Action::Nav(Nav::Right)); // first child
        assert_eq!(m.selected, Some(id("/cpus/cpu@0")));
        m.apply(Action::Nav(Nav::End));
        assert_eq!(m.selected, Some(id("/__symbols__")));
        m.apply(Action::Nav(Nav::Down));
        assert_eq!(m.selected, Some(id("/__symbols__")), "stays at the end");
        m.apply(Action::Nav(Nav::Home));
        assert_eq!(m.selected, Some(id("/hypervisor")));
        m.apply(Action::Nav(Nav::Up));
        assert_eq!(m.selected, Some(id("/hypervisor")));
        let r0 = m.reveal;
        m.apply(Action::Nav(Nav::Down));
        assert!(m.reveal > r0, "keyboard moves ask for scrolling");
    }

    #[test]
    fn reveal_expands_ancestors_and_clears_hiding_filter() {
        let mut m = Model::default();
        m.open(sample());
        let d = m.doc.clone().unwrap();
        let soc = d.tree.find("/soc").unwrap();
        let ser = d.tree.find("/soc/serial@1000").unwrap();
        m.apply(Action::Toggle(soc));
        assert!(m.rows.index_of(ser).is_none());
        m.apply(Action::Filter("cpu".into()));
        m.apply(Action::Reveal(ser));
        assert_eq!(m.selected, Some(ser));
        assert!(m.filter.is_empty());
        assert!(m.rows.index_of(ser).is_some());
    }

    #[test]
    fn decodes_by_type() {
        let d = sample();
        let hv = d.tree.find("/hypervisor").unwrap();
        let get = |id: NodeId, name: &str| decode_prop(&d, id, d.tree.node(id).prop(name).unwrap());
        let c = get(hv, "compatible");
        assert_eq!(c.kind, "strings");
        assert_eq!(
            c.pieces,
            vec![Piece::Str("xen,xen-4.2".into()), Piece::Text(", ".into()), Piece::Str("xen,xen".into())]
        );
        let r = get(hv, "reg");
        assert_eq!(r.kind, "reg");
        assert_eq!(r.pieces, vec![Piece::Text("<0x0 0xb0000000> size <0x0 0x20000>".into())]);
        let i = get(hv, "interrupts");
        assert_eq!(i.kind, "interrupts");
        assert_eq!(i.pieces, vec![Piece::Text("<0x1 0xf 0xf08>".into())]);
        let u = get(hv, "xen,uefi-system-table");
        assert_eq!((u.kind, u.pieces), ("u64", vec![Piece::Text("0x130141".into())]));
        let root = d.tree.root;
        let gic = d.tree.find("/interrupt-controller@2c001000").unwrap();
        let ip = get(root, "interrupt-parent");
        assert_eq!(ip.pieces, vec![Piece::Ref { target: gic, text: "&gic".into() }]);
        let ser = d.tree.find("/soc/serial@1000").unwrap();
        let clk = get(ser, "clocks");
        assert_eq!(clk.pieces, vec![Piece::Ref { target: gic, text: "&gic".into() }, Piece::Text(" <0x5>".into())]);
        assert_eq!(get(ser, "blob").pieces, vec![Piece::Text("[01 02 03]".into())]);
        assert_eq!(get(gic, "interrupt-controller").kind, "empty");
        let sym = d.tree.find("/__symbols__").unwrap();
        assert_eq!(
            get(sym, "gic").pieces,
            vec![Piece::Ref { target: gic, text: "/interrupt-controller@2c001000".into() }]
        );
    }

    #[test]
    fn decode_never_panics_on_odd_values() {
        let d = sample();
        let hv = d.tree.find("/hypervisor").unwrap();
        for name in ["reg", "interrupts", "clocks", "interrupt-parent", "ranges", "compatible", "xen,uefi-system-table"]
        {
            for len in [0usize, 1, 3, 4, 5, 8, 12, 13, 5000] {
                let v: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
                let pv = decode_prop(&d, hv, &Property::new(name, v));
                assert_eq!(pv.len, len);
                assert!(!pv.pieces.is_empty());
            }
        }
        let big = decode_prop(&d, hv, &Property::new("x", vec![0u8; 10_000]));
        assert!(matches!(big.pieces.last(), Some(Piece::Note(_))));
        // Unresolved phandle.
        let p = decode_prop(&d, hv, &Property::new("interrupt-parent", be(&[99])));
        assert!(matches!(&p.pieces[0], Piece::BadRef(_)));
    }

    #[test]
    fn node_dts_is_printed_only_for_bounded_subtrees() {
        let mut t = Tree::new();
        let r = t.root;
        let small = t.add_child(r, "small");
        t.node_mut(small).props.push(Property::new("x", be(&[1])));
        let big = t.add_child(r, "big");
        t.node_mut(big).props.push(Property::new("blob", vec![0; NODE_DTS_MAX_BYTES + 1]));
        let many = t.add_child(r, "many");
        for i in 0..NODE_DTS_MAX_NODES {
            t.add_child(many, format!("n{i}"));
        }
        let d = Doc::from_tree("t", Vec::new(), t, Vec::new());
        assert!(
            d.node_dts(small).is_some_and(|s| s.starts_with("small {") && s.contains("x = ")),
            "{:?}",
            d.node_dts(small)
        );
        assert_eq!(d.node_dts(big), None);
        assert!(d.node_dts_notice(big).starts_with("/big has more than 1 MiB of property values"));
        assert_eq!(d.node_dts(many), None);
        assert!(d.node_dts_notice(many).starts_with("/many has more than 5000 nodes below it"));
        assert_eq!(d.node_dts(d.tree.root), None);
        assert!(d.node_dts_notice(d.tree.root).starts_with("The root has more than"));
        assert_eq!(d.subtree_size_upto(small, 10, 10), (1, 4));
    }

    #[test]
    fn kept_help_facts_give_the_help_of_a_fresh_context() {
        // Every property of a board and of the Xen and ePAPR examples: the help a document
        // gives from the facts kept with its checks is what a whole-tree context gives.
        let root = env!("CARGO_MANIFEST_DIR");
        let mut helped = 0;
        for f in [
            "../shared/corpus/deb32_am572x-idk.dtb",
            "static/examples/learn-xen-good.dtb",
            "static/examples/learn-dom0less-good.dtb",
            "static/examples/epapr-guest.dtb",
        ] {
            let bytes = std::fs::read(format!("{root}/{f}")).expect(f);
            let d = Doc::load(f, bytes);
            let ctx = check::Context::new(&d.tree);
            for &id in &d.order {
                for p in &d.tree.node(id).props {
                    let fresh = crate::learn::prop_doc_at(&ctx, id, &p.name);
                    let kept = d.prop_doc(id, &p.name);
                    assert!(
                        fresh.map(|x| x as *const _) == kept.map(|x| x as *const _),
                        "{f} {} {}",
                        d.path(id),
                        p.name
                    );
                    helped += usize::from(kept.is_some());
                }
            }
            // Not before the checks have run, and the same again once they arrive.
            let u = Doc::unchecked(f, Vec::new(), d.tree.clone(), Vec::new());
            assert!(u.order.iter().all(|&id| u.tree.node(id).props.iter().all(|p| u.prop_doc(id, &p.name).is_none())));
            let mut pause = |_: load::Progress| std::future::ready(true);
            let checks = load::run_ready(load::check(&u.tree, &mut pause)).expect("not cancelled");
            let c = u.with_checks(Rc::new(checks));
            for &id in &c.order {
                for p in &c.tree.node(id).props {
                    assert!(
                        c.prop_doc(id, &p.name).map(|x| x as *const _)
                            == d.prop_doc(id, &p.name).map(|x| x as *const _)
                    );
                }
            }
        }
        assert!(helped > 50, "{helped} properties with help");
    }

    #[test]
    fn findings_are_computed_once_and_indexed_by_node() {
        // The 2012 order ("xen,xen" first) is a binding violation the checks report.
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", be(&[2])));
        t.node_mut(r).props.push(Property::new("#size-cells", be(&[2])));
        let hv = t.add_child(r, "hypervisor");
        t.node_mut(hv).props.push(Property::new("compatible", b"xen,xen\0xen,xen-4.2\0".to_vec()));
        let d = Doc::from_tree("t", Vec::new(), t, Vec::new());
        assert!(d.findings().iter().any(|f| f.rule == "xen-compatible-order" && f.node == hv), "{:?}", d.findings());
        let mine: Vec<_> = d.findings_at(hv).collect();
        assert!(!mine.is_empty() && mine.iter().all(|f| f.node == hv));
        assert_eq!(mine.len(), d.findings().iter().filter(|f| f.node == hv).count());
        let (worst, n) = d.badge(hv).unwrap();
        assert_eq!(n, mine.len());
        assert_eq!(worst, mine.iter().map(|f| f.severity).max().unwrap());
        assert!(d.hv_label(hv).unwrap().starts_with("Xen"), "{:?}", d.checks());
        // Unchecked, the same document has no findings until they are set.
        let u = Doc::unchecked("t", Vec::new(), d.tree.clone(), Vec::new());
        assert!(u.checks().is_none() && u.findings().is_empty() && u.badge(hv).is_none());
        // Shown first, checked later: the model swaps in the checked document.
        let mut m = Model::default();
        let gen = u.generation;
        m.apply(Action::Opened(Rc::new(u)));
        assert!(matches!(m.status, Status::Working(load::Progress::Checking { done: 0, total }) if total > 100));
        let rows = m.rows.clone();
        m.apply(Action::Checked(gen + 1_000_000, Rc::new(Checks::default())));
        assert!(m.doc.as_ref().unwrap().checks().is_none(), "checks of another document are ignored");
        let checks = Rc::new(Checks::run(&m.doc.as_ref().unwrap().tree));
        m.apply(Action::Checked(gen, checks));
        let c = m.doc.as_ref().unwrap();
        assert_eq!((c.generation, c.findings()), (gen, d.findings()));
        assert_eq!(m.status, Status::Idle);
        assert_eq!(m.rows, rows, "the rows stay");
        m.apply(Action::Checked(gen, Rc::new(Checks::default())));
        assert_eq!(m.doc.as_ref().unwrap().findings(), d.findings(), "checks arrive once");

        let mut m = Model::default();
        m.open(d);
        m.apply(Action::RevealProp(hv, Some("compatible".into())));
        assert_eq!((m.selected, m.focus_prop.as_deref()), (Some(hv), Some("compatible")));
        m.apply(Action::Select(m.doc.as_ref().unwrap().tree.root));
        assert_eq!(m.focus_prop, None);
    }

    /// The app loads whatever the reader returns and runs the checks on it: damaged
    /// blobs (partial trees) must not panic anywhere in that pipeline, since a panic in
    /// wasm kills the page.
    #[test]
    fn damaged_blobs_load_and_render_without_panics() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/");
        for name in ["deb32_xenvm-4.2.dtb", "src_zephyr-boards-arm64-xenvm-xenvm.dtb", "qemu_qemu-ppc-ppce500.dtb"] {
            let good = std::fs::read(format!("{dir}{name}")).unwrap();
            let mut seed = 0x2545_f491_u32;
            let mut variants: Vec<Vec<u8>> = (0..good.len()).step_by(17).map(|n| good[..n].to_vec()).collect();
            for _ in 0..120 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let mut v = good.clone();
                let i = seed as usize % v.len();
                v[i] ^= 1 << (seed >> 29);
                variants.push(v);
            }
            for v in variants {
                let mut m = Model::default();
                m.apply(Action::Open { name: name.into(), bytes: v });
                let d = m.doc.clone().unwrap();
                for &id in &d.order {
                    for p in &d.tree.node(id).props {
                        let _ = decode_prop(&d, id, p);
                    }
                    let _ = facts(&d, id);
                }
                for k in 0..d.diagnostics.len() {
                    let _ = d.diagnostic_target(k);
                }
                m.apply(Action::Filter("a".into()));
                m.apply(Action::Nav(Nav::End));
            }
        }
    }

    #[test]
    fn hex_dump_and_names() {
        let h = hex_dump(b"ABCDEFGHIJKLMNOPQ");
        assert_eq!(h.lines().count(), 2);
        assert!(h.starts_with("0000  41 42 43"));
        assert!(h.contains("ABCDEFGHIJKLMNOP"));
        assert!(h.lines().nth(1).unwrap().starts_with("0010  51"));
        assert_eq!(export_name("board.dtb", "dts"), "board.dts");
        assert_eq!(export_name("x", "dtb"), "x.dtb");
        assert_eq!(export_name(".dtb", "dts"), "tree.dts");
        assert_eq!(escape("a\"b\\\n"), "a\\\"b\\\\\\n");
    }

    #[test]
    fn ten_thousand_nodes_flatten_quickly_and_fully() {
        let mut t = Tree::new();
        let r = t.root;
        for i in 0..100 {
            let b = t.add_child(r, format!("bus@{i:x}"));
            for k in 0..99 {
                t.add_child(b, format!("dev@{k:x}"));
            }
        }
        let mut m = Model::default();
        m.open(Doc::from_tree("big", Vec::new(), t, Vec::new()));
        assert_eq!(m.rows.items.len(), 10_001);
        m.apply(Action::Filter("bus@63/dev@62".into()));
        let d = m.doc.clone().unwrap();
        assert_eq!(paths(&d, &m.rows.items), vec!["/", " /bus@63", "  /bus@63/dev@62"]);
    }
}

/// Fragment routes of the app. A share link is `#v1.…`; every other route is a word that
/// can never start with `v1.`, so the two cannot be mistaken for each other.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    /// No route (or an unknown one): the start screen or the loaded document.
    #[default]
    Main,
    /// `#learn`: the index of bindings and rules.
    LearnIndex,
    /// `#learn/<binding id>`.
    Binding(String),
    /// `#learn/2012`: the 2012 proposal next to today's form.
    History2012,
    /// `#rule/<rule id>`.
    Rule(String),
    /// `#v1.…`: a review link (the fragment without `#`).
    Share(String),
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let h = hash.strip_prefix('#').unwrap_or(hash);
        if h.starts_with(crate::share::FRAGMENT_PREFIX) {
            return Route::Share(h.to_string());
        }
        let word = |s: &str| {
            !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_,.+".contains(&b))
        };
        match h.split_once('/') {
            None if h == "learn" => Route::LearnIndex,
            Some(("learn", "2012")) => Route::History2012,
            Some(("learn", id)) if word(id) => Route::Binding(id.to_string()),
            Some(("rule", id)) if word(id) => Route::Rule(id.to_string()),
            _ => Route::Main,
        }
    }

    /// The fragment (with `#`) that shows this route.
    pub fn hash(&self) -> String {
        match self {
            Route::Main => "#".to_string(),
            Route::LearnIndex => "#learn".to_string(),
            Route::Binding(id) => format!("#learn/{id}"),
            Route::History2012 => "#learn/2012".to_string(),
            Route::Rule(id) => format!("#rule/{id}"),
            Route::Share(f) => format!("#{f}"),
        }
    }

    /// Whether the route shows a Learn page instead of the document.
    pub fn is_learn(&self) -> bool {
        matches!(self, Route::LearnIndex | Route::Binding(_) | Route::History2012 | Route::Rule(_))
    }
}

#[cfg(test)]
mod route_tests {
    use super::Route;

    #[test]
    fn learn_and_rule_routes_round_trip() {
        for r in [
            Route::LearnIndex,
            Route::Binding("xen".into()),
            Route::History2012,
            Route::Rule("xen-compatible-order".into()),
            Route::Rule("dtc-unit_address_vs_reg".into()),
        ] {
            assert_eq!(Route::parse(&r.hash()), r);
            assert!(r.is_learn());
        }
        assert_eq!(Route::parse("learn/xen"), Route::Binding("xen".into()));
    }

    #[test]
    fn share_links_are_never_learn_routes() {
        assert_eq!(Route::parse("#v1.AAAA"), Route::Share("v1.AAAA".into()));
        assert!(!Route::parse("#v1.").is_learn());
        // A rule id that looks like a link is still a rule route, and vice versa.
        assert_eq!(Route::parse("#rule/v1.x"), Route::Rule("v1.x".into()));
    }

    #[test]
    fn unknown_or_hostile_fragments_are_main() {
        for h in ["", "#", "#learn/", "#rule/", "#rule/<script>", "#learnx", "#rule/a/b", "#foo", "#learn/a b"] {
            assert_eq!(Route::parse(h), Route::Main, "{h}");
        }
        assert_eq!(Route::parse(&format!("#rule/{}", "a".repeat(200))), Route::Main);
    }
}
