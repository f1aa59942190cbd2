//! The "Teach" half: one Learn page per binding, as plain structured data.
//!
//! A page is a [`Binding`]: what the node is for, a property table ([`PropDoc`]), an annotated
//! example tree, the rules of its [`RuleFamily`], the common mistakes and the sources. Nothing
//! here repeats the rules: the page lists the family's rules from [`crate::check::registry`]
//! and each [`Mistake`] names a rule id and a bundled example blob that triggers it, so the
//! rule's own summary and explanation say what is wrong and why. The annotated example *is*
//! the bundled good example (`static/examples/learn-<id>-good.dts`, included at compile time),
//! so the page and the blob one click opens are the same text. `tests/learn.rs` runs the
//! checks on every bundled example and asserts the findings are exactly what the page claims.
//!
//! Everything is plain text (no markup, never HTML); the UI renders it as text and the CLI
//! prints [`render_text`]. The 2012 worked example is in [`history`].

mod data;
pub mod history;
mod render;

use crate::check::context::{Context, HvFamily, TreeScope};
use crate::check::{Rule, RuleFamily};
use crate::tree::{NodeId, Tree};

pub use history::{history_2012, Difference, Form, History};
pub use render::{render_history_text, render_list_text, render_text};

/// One binding's Learn page.
#[derive(Debug)]
pub struct Binding {
    /// Short id, used in `dtlens learn ID` and in the example file names (`learn-<id>-…`).
    pub id: &'static str,
    pub title: &'static str,
    /// What the node is for, in plain words (blank-line paragraphs).
    pub purpose: &'static str,
    pub properties: &'static [PropDoc],
    /// Annotated DTS text of a realistic, finding-free tree: the bundled good example itself.
    pub example: &'static str,
    /// The bundled blob compiled from [`Binding::example`] (a file in `static/examples/`).
    pub example_file: &'static str,
    /// The rule family whose rules the page lists (from the registry, never copied).
    pub family: RuleFamily,
    pub mistakes: &'static [Mistake],
    /// Short citations, the same strings the rules use ([`crate::check::sources`]).
    pub sources: &'static [&'static str],
}

impl Binding {
    /// The rules of this page's family, in catalog order, straight from the registry.
    pub fn rules(&self) -> &'static [&'static Rule] {
        crate::check::registry::family(self.family)
    }

    /// The property entries of one node selector, in table order.
    pub fn properties_on<'a>(&'a self, node: &'a NodeSel) -> impl Iterator<Item = &'static PropDoc> + 'a {
        self.properties.iter().filter(move |p| p.node == *node)
    }
}

/// One property of a binding.
#[derive(Debug, PartialEq, Eq)]
pub struct PropDoc {
    pub name: &'static str,
    /// Which node it sits on.
    pub node: NodeSel,
    pub ty: PropType,
    pub required: Required,
    /// What the value means, in plain words.
    pub meaning: &'static str,
    /// Which software reads it (Linux, Xen, U-Boot, …).
    pub consumer: &'static str,
    /// Rule ids that check this property; their explanations say why (link, do not repeat).
    pub rules: &'static [&'static str],
}

/// Where a property sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeSel {
    /// A node path pattern. Segments match a node's name before `@` (so `hypervisor` also
    /// matches `hypervisor@b0000000`); a segment in angle brackets (`<domain>`) matches any
    /// node name. `/` is the root.
    Path(&'static str),
    /// Any node whose compatible contains this string.
    Compatible(&'static str),
    /// Any node (generic properties).
    Any,
}

impl NodeSel {
    /// The selector as a short human phrase, for tables.
    pub fn describe(&self) -> String {
        match self {
            NodeSel::Path(p) => (*p).to_string(),
            NodeSel::Compatible(c) => format!("nodes with compatible \"{c}\""),
            NodeSel::Any => "any node".to_string(),
        }
    }

    /// Whether a node at `path` matches a `Path` selector (other selectors: false).
    pub fn matches_path(&self, path: &str) -> bool {
        match self {
            NodeSel::Path(p) => path_matches(p, path),
            _ => false,
        }
    }
}

fn base_name(seg: &str) -> &str {
    seg.split('@').next().unwrap_or(seg)
}

fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "/" || path == "/" {
        return pattern == path;
    }
    let mut ps = pattern.trim_start_matches('/').split('/');
    let mut ns = path.trim_start_matches('/').split('/');
    loop {
        match (ps.next(), ns.next()) {
            (None, None) => return true,
            (Some(p), Some(n)) => {
                if !(p.starts_with('<') || base_name(p) == base_name(n)) || n.is_empty() {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The value's type, as the binding states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropType {
    /// No value: presence is the information.
    Empty,
    String,
    StringList,
    U32,
    /// 8 bytes (`/bits/ 64 <…>` or two cells).
    U64,
    /// 4 or 8 bytes.
    U32OrU64,
    /// A list of 32-bit cells with a layout the meaning describes.
    Cells,
    /// `(address, size)` entries in the parent's `#address-cells`/`#size-cells`.
    Reg,
    /// Interrupt specifiers in the interrupt parent's `#interrupt-cells`.
    Interrupts,
    Phandle,
    PhandleList,
    /// One phandle followed by argument cells.
    PhandleArgs,
}

impl PropType {
    pub fn as_str(self) -> &'static str {
        match self {
            PropType::Empty => "empty (flag)",
            PropType::String => "string",
            PropType::StringList => "string list",
            PropType::U32 => "u32",
            PropType::U64 => "u64",
            PropType::U32OrU64 => "u32 or u64",
            PropType::Cells => "u32 cells",
            PropType::Reg => "(address, size) entries",
            PropType::Interrupts => "interrupt specifiers",
            PropType::Phandle => "phandle",
            PropType::PhandleList => "phandle list",
            PropType::PhandleArgs => "phandle + cells",
        }
    }
}

/// Whether a binding requires the property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    Required,
    Optional,
    /// Required only in the stated case.
    Conditional(&'static str),
}

impl Required {
    pub fn describe(&self) -> String {
        match self {
            Required::Required => "required".to_string(),
            Required::Optional => "optional".to_string(),
            Required::Conditional(when) => format!("required {when}"),
        }
    }
}

/// A common mistake: the rule that reports it and a bundled example blob that shows it.
/// The rule's summary and explanation say what is wrong and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mistake {
    pub rule_id: &'static str,
    /// A `.dtb` in `static/examples/`, next to its annotated `.dts`.
    pub example_file: &'static str,
}

impl Mistake {
    /// The rule this mistake links to (always present; `tests/learn.rs` checks it).
    pub fn rule(&self) -> Option<&'static Rule> {
        crate::check::registry::find(self.rule_id)
    }
}

/// Every Learn page, in catalog order: Xen `/hypervisor`, ePAPR, Xen boot, dom0less, KVM and
/// other hypervisors, generic structure.
pub fn bindings() -> &'static [Binding] {
    data::BINDINGS
}

/// The page with this id.
pub fn find(id: &str) -> Option<&'static Binding> {
    bindings().iter().find(|b| b.id == id)
}

/// The page that documents a rule family (the `dtc` family has none).
pub fn for_family(family: RuleFamily) -> Option<&'static Binding> {
    bindings().iter().find(|b| b.family == family)
}

/// The bundled example file names of every page (good ones first), without duplicates,
/// plus the two 2012 forms: what the start screen can list.
pub fn example_files() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for b in bindings() {
        v.push(b.example_file);
    }
    for b in bindings() {
        for m in b.mistakes {
            if !v.contains(&m.example_file) {
                v.push(m.example_file);
            }
        }
    }
    let h = history_2012();
    for f in [h.then.file, h.now.file] {
        if !v.contains(&f) {
            v.push(f);
        }
    }
    v
}

/// The meaning of a property for hover and focus: `key` is a node path (`/hypervisor/uefi`,
/// `/chosen/module@80000000`) or a binding id (`xen`, `dom0less`).
///
/// For a path, path-specific entries are looked up first, in page order (so `/hypervisor`
/// answers with the Xen page; use [`prop_doc_at`] when the tree is known), then the generic
/// ones. For a binding id, the first entry of that name on the page.
pub fn prop_doc(key: &str, prop: &str) -> Option<&'static PropDoc> {
    if key.starts_with('/') {
        lookup(bindings().iter(), key, prop, None)
    } else {
        find(key)?.properties.iter().find(|p| p.name == prop)
    }
}

/// [`prop_doc`] restricted to one page, by node path.
pub fn prop_doc_in(binding: &str, path: &str, prop: &str) -> Option<&'static PropDoc> {
    lookup(find(binding).into_iter(), path, prop, None)
}

/// The meaning of property `prop` of `node` in an actual tree: entries selected by
/// compatible are considered, and the pages of the hypervisor family the node belongs to
/// (and of Xen boot and dom0less in a DT given to Xen) are tried first.
pub fn prop_doc_at(ctx: &Context, node: NodeId, prop: &str) -> Option<&'static PropDoc> {
    prop_doc_with(&HelpFacts::new(ctx), ctx.tree, node, prop)
}

/// What [`prop_doc_at`] needs of a tree's check context: its hypervisor nodes with their
/// family, and its scope. Small and owned, so a document keeps it (the view's `Checks`)
/// instead of building the whole-tree context again for every selection or edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpFacts {
    hv: Vec<(NodeId, HvFamily)>,
    scope: TreeScope,
}

impl HelpFacts {
    pub fn new(ctx: &Context) -> HelpFacts {
        HelpFacts { hv: ctx.hv.iter().map(|h| (h.node, h.family)).collect(), scope: ctx.scope }
    }
}

/// [`prop_doc_at`] with the facts a document kept ([`HelpFacts`]) and its tree.
pub fn prop_doc_with(facts: &HelpFacts, tree: &Tree, node: NodeId, prop: &str) -> Option<&'static PropDoc> {
    let n = tree.nodes.get(node.0)?;
    let path = tree.path(node);
    let compat = n.prop("compatible").and_then(|p| crate::value::as_string_list(&p.value)).unwrap_or_default();
    let preferred = preferred_pages(facts, tree, node);
    let order =
        preferred.iter().filter_map(|id| find(id)).chain(bindings().iter().filter(|b| !preferred.contains(&b.id)));
    lookup(order, &path, prop, Some(&compat))
}

/// Whether `anc` is `id` or one of its ancestors (bounded by the arena size).
fn is_under(tree: &Tree, id: NodeId, anc: NodeId) -> bool {
    let mut cur = Some(id);
    for _ in 0..=tree.nodes.len() {
        match cur {
            Some(c) if c == anc => return true,
            Some(c) => cur = tree.nodes.get(c.0).and_then(|n| n.parent),
            None => return false,
        }
    }
    false
}

fn preferred_pages(facts: &HelpFacts, tree: &Tree, node: NodeId) -> Vec<&'static str> {
    let mut v = Vec::new();
    for &(hv, family) in &facts.hv {
        if is_under(tree, node, hv) {
            let page = match family {
                HvFamily::Xen => "xen",
                HvFamily::Epapr | HvFamily::FslTopaz => "epapr",
                HvFamily::Kvm | HvFamily::Jailhouse | HvFamily::Gunyah | HvFamily::HyperV | HvFamily::Unknown => "hv",
                HvFamily::XenHyperlaunch => "xenboot",
                HvFamily::Hafnium => continue,
            };
            if !v.contains(&page) {
                v.push(page);
            }
        }
    }
    if facts.scope == TreeScope::HostXen {
        for page in ["xenboot", "dom0less"] {
            if !v.contains(&page) {
                v.push(page);
            }
        }
    }
    v
}

fn lookup(
    pages: impl Iterator<Item = &'static Binding> + Clone,
    path: &str,
    prop: &str,
    compatible: Option<&[&str]>,
) -> Option<&'static PropDoc> {
    let specific = |p: &PropDoc| match p.node {
        NodeSel::Path(_) => p.node.matches_path(path),
        NodeSel::Compatible(c) => compatible.is_some_and(|list| list.contains(&c)),
        NodeSel::Any => false,
    };
    let first = |pred: &dyn Fn(&PropDoc) -> bool| {
        pages.clone().flat_map(|b| b.properties.iter()).find(|p| name_matches(p.name, prop) && pred(p))
    };
    first(&specific).or_else(|| first(&|p: &PropDoc| p.node == NodeSel::Any))
}

/// A documented name in angle brackets (`<alias name>`) stands for any property name.
fn name_matches(doc: &str, prop: &str) -> bool {
    doc == prop || (doc.starts_with('<') && !prop.is_empty())
}
