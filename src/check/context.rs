//! Per-tree facts computed once before the rules run: document order, phandles, labels,
//! indexes by compatible string and by property name, the hypervisor nodes with their
//! family (catalog §2), and the kind of tree (host-xen / fragment / guest).
//!
//! Everything here is linear in the size of the tree, except [`Context::cpu_windows`],
//! which is computed on first use (linear times the depth of the tree).

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::tree::{Node, NodeId, Tree};
use crate::value;

/// The kind of device tree, detected as catalog §2 describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TreeScope {
    /// A DT given to Xen by firmware or a bootloader.
    HostXen,
    /// A dom0less/libxl partial device tree (has `/passthrough`).
    Fragment,
    /// Anything else: a DT given to an OS (guest, or bare-metal board).
    Guest,
}

impl TreeScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TreeScope::HostXen => "host-xen",
            TreeScope::Fragment => "fragment",
            TreeScope::Guest => "guest",
        }
    }
}

/// The binding a hypervisor-ish node belongs to (catalog §2 family table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HvFamily {
    Xen,
    Epapr,
    Kvm,
    FslTopaz,
    Jailhouse,
    Gunyah,
    HyperV,
    XenHyperlaunch,
    Hafnium,
    Unknown,
}

impl HvFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            HvFamily::Xen => "xen",
            HvFamily::Epapr => "epapr",
            HvFamily::Kvm => "kvm",
            HvFamily::FslTopaz => "fsl-topaz",
            HvFamily::Jailhouse => "jailhouse",
            HvFamily::Gunyah => "gunyah",
            HvFamily::HyperV => "hyperv",
            HvFamily::XenHyperlaunch => "xen-hyperlaunch",
            HvFamily::Hafnium => "hafnium",
            HvFamily::Unknown => "unknown",
        }
    }

    /// Whether the node is something a guest OS reads to find its hypervisor. Hafnium
    /// manifests and Hyperlaunch configs only share the name.
    pub fn is_guest_interface(self) -> bool {
        !matches!(self, HvFamily::Hafnium | HvFamily::XenHyperlaunch)
    }
}

/// One detected hypervisor node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HvNode {
    pub node: NodeId,
    /// The family the node is treated as (after the KVM-over-ePAPR precedence).
    pub family: HvFamily,
    /// Every family whose trigger the node matches, in table order (before precedence).
    pub claims: Vec<HvFamily>,
    /// The version string where the binding carries one (`4.2` for `xen,xen-4.2`).
    pub version: Option<String>,
    /// A human label for badges: "Xen 4.2", "ePAPR 1.1", "KVM", ...
    pub label: String,
}

impl HvNode {
    /// ePAPR family without `linux,kvm` (catalog §A "ePAPR mode"); a Topaz node counts.
    pub fn epapr_mode(&self) -> bool {
        !self.kvm_mode() && self.claims.iter().any(|f| matches!(f, HvFamily::Epapr | HvFamily::FslTopaz))
    }

    /// `linux,kvm` present (catalog §A "KVM mode").
    pub fn kvm_mode(&self) -> bool {
        self.claims.contains(&HvFamily::Kvm)
    }

    pub fn is_xen(&self) -> bool {
        self.claims.contains(&HvFamily::Xen)
    }

    /// Families claimed after the precedence rules: KVM absorbs ePAPR, Topaz absorbs ePAPR.
    /// More than one entry means the node mixes bindings (`hv-mixed-families`).
    pub fn distinct_families(&self) -> Vec<HvFamily> {
        let kvm = self.claims.contains(&HvFamily::Kvm);
        let topaz = self.claims.contains(&HvFamily::FslTopaz);
        self.claims.iter().copied().filter(|f| !(*f == HvFamily::Epapr && (kvm || topaz))).collect()
    }
}

/// Where `interrupts` of a node go (resolution as catalog `dt-interrupt-tree`, dtc's walk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IrqParent {
    Found(NodeId),
    /// No `interrupt-parent` on the way up and no provider ancestor.
    Missing,
    /// An `interrupt-parent` whose phandle resolves to nothing (or is not one cell).
    Dangling {
        at: NodeId,
        phandle: Option<u32>,
    },
}

/// One interrupt specifier with the provider it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IrqSpec {
    pub parent: NodeId,
    pub cells: Vec<u32>,
}

/// Precomputed facts about one tree.
pub struct Context<'t> {
    pub tree: &'t Tree,
    /// Reachable nodes in document order with their depth (root = 0).
    pub order: Vec<(NodeId, usize)>,
    doc_index: Vec<u32>,
    depth: Vec<u32>,
    pub phandles: HashMap<u32, NodeId>,
    pub labels: HashMap<NodeId, Vec<String>>,
    by_compat: HashMap<&'t str, Vec<NodeId>, FastHash>,
    by_prop: HashMap<&'t str, Vec<NodeId>, FastHash>,
    /// `/chosen` (a root child named `chosen`).
    pub chosen: Option<NodeId>,
    pub scope: TreeScope,
    /// Why the scope was chosen (for the UI and `check` verbose output).
    pub scope_reason: String,
    pub hv: Vec<HvNode>,
    /// Root children are only `chosen` and a `xen,xen` `hypervisor` (catalog `xen-acpi-stub`).
    pub acpi_stub: bool,
    windows: OnceCell<Vec<Window>>,
    /// Per-tree memo of the dtc-* rules (`rules::dtc`): check statuses, phandles and bus
    /// marks shared by its rules, built on first use.
    pub(crate) dtc_memo: OnceCell<Box<dyn std::any::Any + Send>>,
    /// How many children of a node carry a given full name, built on first use, so
    /// "is this name taken among the siblings" is O(1) even under a 20,000-child bus.
    /// Keyed by (parent, hash of the name); each entry lists (first child with that name,
    /// count), so a hash collision is told apart by comparing the first child's name. (No
    /// `&'t str` key: a borrowed key inside a `OnceCell` would make `Context` invariant.)
    child_names: OnceCell<ChildNames>,
}

pub(crate) use crate::fast_hash::FastHash;

/// (parent, hash of a child's name) → [(first child with that name, how many)].
type ChildNames = HashMap<(NodeId, u64), Vec<(NodeId, u32)>>;

/// A range of the CPU physical address space occupied by a node's `reg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub node: NodeId,
    pub base: u64,
    pub size: u64,
}

impl Window {
    /// Last byte (saturating).
    pub fn end(&self) -> u64 {
        self.base.saturating_add(self.size.saturating_sub(1))
    }

    pub fn overlaps(&self, base: u64, size: u64) -> bool {
        if self.size == 0 || size == 0 {
            return false;
        }
        let end = base.saturating_add(size - 1);
        self.base <= end && base <= self.end()
    }
}

impl<'t> Context<'t> {
    pub fn new(tree: &'t Tree) -> Self {
        let order: Vec<(NodeId, usize)> = tree.walk().collect();
        let mut doc_index = vec![u32::MAX; tree.nodes.len()];
        let mut depth = vec![0u32; tree.nodes.len()];
        let mut by_compat: HashMap<&'t str, Vec<NodeId>, FastHash> = HashMap::default();
        let mut by_prop: HashMap<&'t str, Vec<NodeId>, FastHash> = HashMap::default();
        for (i, &(id, d)) in order.iter().enumerate() {
            if let Some(slot) = doc_index.get_mut(id.0) {
                *slot = i as u32;
            }
            if let Some(slot) = depth.get_mut(id.0) {
                *slot = d as u32;
            }
            let Some(n) = tree.nodes.get(id.0) else { continue };
            for p in &n.props {
                by_prop.entry(p.name.as_str()).or_default().push(id);
                if p.name == "compatible" {
                    for c in value::as_string_list(&p.value).unwrap_or_default() {
                        let list = by_compat.entry(c).or_default();
                        if list.last() != Some(&id) {
                            list.push(id);
                        }
                    }
                }
            }
        }
        let phandles = tree.phandles();
        let labels = tree.labels();
        let root = tree.root;
        let chosen =
            tree.nodes.get(root.0).and_then(|r| r.children.iter().copied().find(|&c| name(tree, c) == "chosen"));
        let mut ctx = Context {
            tree,
            order,
            doc_index,
            depth,
            phandles,
            labels,
            by_compat,
            by_prop,
            chosen,
            scope: TreeScope::Guest,
            scope_reason: String::new(),
            hv: Vec::new(),
            acpi_stub: false,
            windows: OnceCell::new(),
            dtc_memo: OnceCell::new(),
            child_names: OnceCell::new(),
        };
        let (scope, reason) = ctx.detect_scope();
        ctx.scope = scope;
        ctx.scope_reason = reason;
        ctx.hv = ctx.detect_hypervisors();
        ctx.acpi_stub = ctx.detect_acpi_stub();
        ctx
    }

    pub fn root(&self) -> NodeId {
        self.tree.root
    }

    /// The node, if the id is in the arena.
    pub fn node(&self, id: NodeId) -> Option<&'t Node> {
        self.tree.nodes.get(id.0)
    }

    /// Position in document order (`u32::MAX` for unreachable nodes).
    pub fn doc_index(&self, id: NodeId) -> u32 {
        self.doc_index.get(id.0).copied().unwrap_or(u32::MAX)
    }

    /// Depth below the root (root = 0).
    pub fn depth(&self, id: NodeId) -> usize {
        self.depth.get(id.0).copied().unwrap_or(0) as usize
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).and_then(|n| n.parent)
    }

    pub fn name(&self, id: NodeId) -> &'t str {
        self.node(id).map_or("", |n| n.name.as_str())
    }

    pub fn path(&self, id: NodeId) -> String {
        self.tree.path(id)
    }

    /// Number of children of `parent` whose full name is `name`.
    pub fn children_named(&self, parent: NodeId, name: &str) -> u32 {
        fn hash(name: &str) -> u64 {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            name.hash(&mut h);
            h.finish()
        }
        let map = self.child_names.get_or_init(|| {
            let mut m = ChildNames::new();
            for &(id, _) in &self.order {
                let Some(p) = self.parent(id) else { continue };
                let name = self.name(id);
                let slot = m.entry((p, hash(name))).or_default();
                match slot.iter_mut().find(|(first, _)| self.name(*first) == name) {
                    Some((_, n)) => *n += 1,
                    None => slot.push((id, 1)),
                }
            }
            m
        });
        map.get(&(parent, hash(name)))
            .and_then(|v| v.iter().find(|(first, _)| self.name(*first) == name))
            .map_or(0, |&(_, n)| n)
    }

    /// Raw value of a property.
    pub fn prop(&self, id: NodeId, name: &str) -> Option<&'t [u8]> {
        self.node(id).and_then(|n| n.prop(name)).map(|p| p.value.as_slice())
    }

    pub fn has(&self, id: NodeId, name: &str) -> bool {
        self.prop(id, name).is_some()
    }

    pub fn prop_u32(&self, id: NodeId, name: &str) -> Option<u32> {
        self.prop(id, name).and_then(value::as_u32)
    }

    pub fn prop_str(&self, id: NodeId, name: &str) -> Option<&'t str> {
        self.prop(id, name).and_then(value::as_string)
    }

    /// The `compatible` strings (empty when absent or not a string list).
    pub fn compatible(&self, id: NodeId) -> Vec<&'t str> {
        self.prop(id, "compatible").and_then(value::as_string_list).unwrap_or_default()
    }

    pub fn is_compatible(&self, id: NodeId, c: &str) -> bool {
        self.compatible(id).contains(&c)
    }

    /// Reachable nodes whose compatible contains `c`, in document order.
    pub fn with_compatible(&self, c: &str) -> &[NodeId] {
        self.by_compat.get(c).map_or(&[], Vec::as_slice)
    }

    /// Reachable nodes carrying property `name`, in document order.
    pub fn with_prop(&self, name: &str) -> &[NodeId] {
        self.by_prop.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every compatible string present in the tree with its nodes (for prefix searches).
    pub fn compatibles(&self) -> impl Iterator<Item = (&'t str, &[NodeId])> + '_ {
        self.by_compat.iter().map(|(k, v)| (*k, v.as_slice()))
    }

    /// Reachable nodes whose compatible has an entry starting with `prefix`, in document order.
    pub fn with_compatible_prefix(&self, prefix: &str) -> Vec<NodeId> {
        let mut v: Vec<NodeId> =
            self.compatibles().filter(|(c, _)| c.starts_with(prefix)).flat_map(|(_, n)| n.iter().copied()).collect();
        self.doc_order(&mut v);
        v
    }

    /// Sorts `nodes` into document order and drops repeats (a stable sort by
    /// [`doc_index`](Self::doc_index), then `dedup`).
    pub fn doc_order(&self, nodes: &mut Vec<NodeId>) {
        self.sort_by_node(nodes, |&n| n);
        nodes.dedup();
    }

    /// Sorts `v` stably by the document position of each item's node, through the crate's one
    /// shared sort ([`crate::order`]).
    pub fn sort_by_node<T>(&self, v: &mut Vec<T>, node: impl Fn(&T) -> NodeId) {
        crate::order::sort_by_key(v, |x| u64::from(self.doc_index(node(x))));
    }

    /// Whether `id` is `anc` or below it.
    pub fn is_under(&self, id: NodeId, anc: NodeId) -> bool {
        let mut cur = Some(id);
        let mut guard = self.tree.nodes.len() + 1;
        while let Some(c) = cur {
            if c == anc {
                return true;
            }
            if guard == 0 {
                return false;
            }
            guard -= 1;
            cur = self.parent(c);
        }
        false
    }

    /// `#address-cells`/`#size-cells` declared on `id` itself, each `None` when absent or
    /// not one cell.
    pub fn declared_cells(&self, id: NodeId) -> (Option<u32>, Option<u32>) {
        (self.prop_u32(id, "#address-cells"), self.prop_u32(id, "#size-cells"))
    }

    /// Cells for the children of `id` as dtc and the DT spec read them: the node's own
    /// values, 2/1 when absent (never the grandparent's).
    pub fn child_cells(&self, id: NodeId) -> (u32, u32) {
        let (a, s) = self.declared_cells(id);
        (a.unwrap_or(2), s.unwrap_or(1))
    }

    /// Cells for the children of `id` as Xen's boot-time scan reads them: the nearest
    /// ancestor-or-self that declares each, else 2/1.
    pub fn xen_child_cells(&self, id: NodeId) -> (u32, u32) {
        let (mut a, mut s) = (None, None);
        let mut cur = Some(id);
        let mut guard = self.tree.nodes.len() + 1;
        while let Some(c) = cur {
            if guard == 0 || (a.is_some() && s.is_some()) {
                break;
            }
            guard -= 1;
            let (da, ds) = self.declared_cells(c);
            a = a.or(da);
            s = s.or(ds);
            cur = self.parent(c);
        }
        (a.unwrap_or(2), s.unwrap_or(1))
    }

    /// `reg` of `id` split into (address, size) numbers by its parent's cells (dtc reading).
    /// `None` when absent, empty, or the length does not fit.
    pub fn reg(&self, id: NodeId) -> Option<Vec<(u64, u64)>> {
        let parent = self.parent(id)?;
        let (a, s) = self.child_cells(parent);
        self.reg_with(id, a, s)
    }

    pub fn reg_with(&self, id: NodeId, a: u32, s: u32) -> Option<Vec<(u64, u64)>> {
        let v = self.prop(id, "reg")?;
        if v.is_empty() {
            return None;
        }
        let entries = value::reg_entries(v, a, s)?;
        Some(entries.iter().map(|e| (value::cells_to_u64(&e.address), value::cells_to_u64(&e.size))).collect())
    }

    /// Whether a node is an interrupt provider (`interrupt-controller` or `interrupt-map`).
    pub fn is_irq_provider(&self, id: NodeId) -> bool {
        self.has(id, "interrupt-controller") || self.has(id, "interrupt-map")
    }

    /// `#interrupt-cells` of a node, if it is one cell.
    pub fn interrupt_cells(&self, id: NodeId) -> Option<u32> {
        self.prop_u32(id, "#interrupt-cells")
    }

    fn resolve_parent_prop(&self, at: NodeId) -> Option<IrqParent> {
        let v = self.prop(at, "interrupt-parent")?;
        let ph = value::as_u32(v);
        Some(match ph.and_then(|p| self.phandles.get(&p).copied()) {
            Some(n) => IrqParent::Found(n),
            None => IrqParent::Dangling { at, phandle: ph },
        })
    }

    /// The interrupt parent of `id`: its own `interrupt-parent`; else walking up, the first
    /// ancestor that is a provider, or the first `interrupt-parent` found on the way.
    pub fn irq_parent(&self, id: NodeId) -> IrqParent {
        if let Some(r) = self.resolve_parent_prop(id) {
            return r;
        }
        let mut cur = self.parent(id);
        let mut guard = self.tree.nodes.len() + 1;
        while let Some(a) = cur {
            if guard == 0 {
                break;
            }
            guard -= 1;
            if self.is_irq_provider(a) {
                return IrqParent::Found(a);
            }
            if let Some(r) = self.resolve_parent_prop(a) {
                return r;
            }
            cur = self.parent(a);
        }
        IrqParent::Missing
    }

    /// The interrupt specifiers of a node: from `interrupts-extended` when present (it takes
    /// precedence), else from `interrupts` split by the parent's `#interrupt-cells`.
    /// `Err` with a sentence when they cannot be split.
    pub fn irq_specs(&self, id: NodeId) -> Result<Vec<IrqSpec>, String> {
        if let Some(v) = self.prop(id, "interrupts-extended") {
            let cells = value::as_cells(v)
                .ok_or_else(|| format!("interrupts-extended is {} bytes, not whole cells", v.len()))?;
            let mut out = Vec::new();
            let mut i = 0;
            while i < cells.len() {
                let ph = cells[i];
                let parent = *self
                    .phandles
                    .get(&ph)
                    .ok_or_else(|| format!("interrupts-extended refers to phandle 0x{ph:x}, which no node has"))?;
                let n = self.interrupt_cells(parent).ok_or_else(|| {
                    format!("interrupts-extended refers to {}, which has no #interrupt-cells", self.path(parent))
                })? as usize;
                let end = i + 1 + n;
                let spec = cells.get(i + 1..end).ok_or_else(|| {
                    format!(
                        "interrupts-extended entry for {} needs {n} cells, only {} left",
                        self.path(parent),
                        cells.len() - i - 1
                    )
                })?;
                out.push(IrqSpec { parent, cells: spec.to_vec() });
                i = end;
            }
            return Ok(out);
        }
        let Some(v) = self.prop(id, "interrupts") else { return Ok(Vec::new()) };
        let cells = value::as_cells(v).ok_or_else(|| format!("interrupts is {} bytes, not whole cells", v.len()))?;
        let parent = match self.irq_parent(id) {
            IrqParent::Found(p) => p,
            IrqParent::Missing => return Err("no interrupt parent can be found".to_string()),
            IrqParent::Dangling { at, phandle } => {
                return Err(match phandle {
                    Some(p) => format!("interrupt-parent of {} is phandle 0x{p:x}, which no node has", self.path(at)),
                    None => format!("interrupt-parent of {} is not one cell", self.path(at)),
                })
            }
        };
        let n = self
            .interrupt_cells(parent)
            .ok_or_else(|| format!("interrupt parent {} has no #interrupt-cells", self.path(parent)))?;
        let groups = value::group(&cells, n as usize).ok_or_else(|| {
            format!(
                "interrupts has {} cells, not a multiple of #interrupt-cells = {n} of {}",
                cells.len(),
                self.path(parent)
            )
        })?;
        Ok(groups.into_iter().map(|g| IrqSpec { parent, cells: g.to_vec() }).collect())
    }

    /// Resolves a path or alias reference (`/soc/serial@1000`, `serial0`, `serial0:115200n8`).
    pub fn resolve_path_or_alias(&self, s: &str) -> Option<NodeId> {
        let s = s.split(':').next().unwrap_or(s);
        if s.starts_with('/') {
            return self.tree.find(s);
        }
        let (alias, rest) = s.split_once('/').map_or((s, ""), |(a, r)| (a, r));
        let root = self.root();
        let aliases = self.node(root)?.children.iter().copied().find(|&c| self.name(c) == "aliases")?;
        let target = self.prop_str(aliases, alias)?;
        if rest.is_empty() {
            self.tree.find(target)
        } else {
            self.tree.find(&format!("{}/{}", target.trim_end_matches('/'), rest))
        }
    }

    /// Address windows in the CPU physical address space: `reg` of root children, and of
    /// deeper nodes whose ancestors translate through `ranges` (empty or with a matching
    /// entry). Nodes under a `#size-cells = <0>` parent and `/cpus` are left out.
    pub fn cpu_windows(&self) -> &[Window] {
        self.windows.get_or_init(|| self.compute_windows())
    }

    fn compute_windows(&self) -> Vec<Window> {
        let mut out = Vec::new();
        for &id in self.with_prop("reg") {
            let Some(parent) = self.parent(id) else { continue };
            let (a, s) = self.child_cells(parent);
            if s == 0 || a > 2 || s > 2 {
                continue;
            }
            let Some(regs) = self.reg(id) else { continue };
            for (base, size) in regs {
                if let Some(b) = self.translate(parent, base) {
                    out.push(Window { node: id, base: b, size });
                }
            }
        }
        out
    }

    /// Translates an address in the child space of `bus` up to the root.
    fn translate(&self, bus: NodeId, addr: u64) -> Option<u64> {
        let mut addr = addr;
        let mut cur = bus;
        let mut guard = self.tree.nodes.len() + 1;
        while cur != self.root() {
            if guard == 0 || self.name(cur) == "cpus" {
                return None;
            }
            guard -= 1;
            let parent = self.parent(cur)?;
            let ranges = self.prop(cur, "ranges")?;
            if !ranges.is_empty() {
                let (ca, cs) = self.child_cells(cur);
                let (pa, _) = self.child_cells(parent);
                let cells = value::as_cells(ranges)?;
                let per = (ca + pa + cs) as usize;
                if ca > 2 || pa > 2 || cs > 2 || per == 0 {
                    return None;
                }
                let mut hit = None;
                for e in cells.chunks(per) {
                    if e.len() != per {
                        return None;
                    }
                    let c = value::cells_to_u64(&e[..ca as usize]);
                    let p = value::cells_to_u64(&e[ca as usize..(ca + pa) as usize]);
                    let l = value::cells_to_u64(&e[(ca + pa) as usize..]);
                    if addr >= c && addr - c < l {
                        hit = Some(p.wrapping_add(addr - c));
                        break;
                    }
                }
                addr = hit?;
            }
            cur = parent;
        }
        Some(addr)
    }

    fn detect_scope(&self) -> (TreeScope, String) {
        if let Some(ch) = self.chosen {
            for p in ["xen,xen-bootargs", "xen,dom0-bootargs"] {
                if self.has(ch, p) {
                    return (TreeScope::HostXen, format!("/chosen has {p}"));
                }
            }
            for &c in self.node(ch).map_or(&[][..], |n| n.children.as_slice()) {
                for compat in ["multiboot,module", "xen,multiboot-module", "xen,domain", "xen,cpupool"] {
                    if self.is_compatible(c, compat) {
                        return (TreeScope::HostXen, format!("{} is compatible with {compat}", self.path(c)));
                    }
                }
            }
        }
        let root = self.root();
        if let Some(pt) =
            self.node(root).and_then(|r| r.children.iter().copied().find(|&c| self.name(c) == "passthrough"))
        {
            return (TreeScope::Fragment, format!("{} exists (partial device tree)", self.path(pt)));
        }
        (TreeScope::Guest, "no host-xen or fragment marker".to_string())
    }

    fn claims(&self, id: NodeId) -> Vec<HvFamily> {
        let compat = self.compatible(id);
        let has = |f: &dyn Fn(&str) -> bool| compat.iter().any(|c| f(c));
        let is_root_hv = self.depth(id) == 1 && base_name(self.name(id)) == "hypervisor";
        let mut v = Vec::new();
        if has(&|c| c == "xen,xen" || c.starts_with("xen,xen-")) {
            v.push(HvFamily::Xen);
        }
        // `hcall-instructions` marks the root hypervisor node as ePAPR; elsewhere only the
        // compatible does (catalog §2: "any node anywhere carrying these compatibles").
        if has(&|c| c.starts_with("epapr,hypervisor")) || (is_root_hv && self.has(id, "hcall-instructions")) {
            v.push(HvFamily::Epapr);
        }
        if has(&|c| c == "linux,kvm") {
            v.push(HvFamily::Kvm);
        }
        if (is_root_hv && self.has(id, "fsl,hv-version")) || has(&|c| c.starts_with("fsl,embedded-hypervisor")) {
            v.push(HvFamily::FslTopaz);
        }
        if has(&|c| c == "jailhouse,cell") {
            v.push(HvFamily::Jailhouse);
        }
        if has(&|c| c == "gunyah-hypervisor" || c.starts_with("qcom,gunyah-hypervisor") || c == "qcom,haven-hypervisor")
        {
            v.push(HvFamily::Gunyah);
        }
        if has(&|c| c == "microsoft,vmbus") {
            v.push(HvFamily::HyperV);
        }
        if has(&|c| c == "hypervisor,xen") {
            v.push(HvFamily::XenHyperlaunch);
        }
        if has(&|c| c == "hafnium,hafnium") {
            v.push(HvFamily::Hafnium);
        }
        v
    }

    fn detect_hypervisors(&self) -> Vec<HvNode> {
        let mut out = Vec::new();
        for &(id, depth) in &self.order {
            let claims = self.claims(id);
            let named = depth == 1 && base_name(self.name(id)) == "hypervisor";
            if claims.is_empty() && !named {
                continue;
            }
            let probe = HvNode { node: id, family: HvFamily::Unknown, claims, version: None, label: String::new() };
            let family = probe.distinct_families().first().copied().unwrap_or(HvFamily::Unknown);
            let claims = probe.claims;
            let compat = self.compatible(id);
            let version = match family {
                HvFamily::Xen => compat.iter().find_map(|c| c.strip_prefix("xen,xen-")).map(str::to_string),
                HvFamily::Epapr | HvFamily::FslTopaz | HvFamily::Kvm => {
                    compat.iter().find_map(|c| c.strip_prefix("epapr,hypervisor-")).map(str::to_string)
                }
                _ => None,
            };
            let label = match family {
                HvFamily::Xen => match &version {
                    Some(v) => format!("Xen {v}"),
                    None => "Xen (no version)".to_string(),
                },
                HvFamily::Epapr => match &version {
                    Some(v) => format!("ePAPR {v}"),
                    None => "ePAPR".to_string(),
                },
                HvFamily::Kvm => "KVM".to_string(),
                HvFamily::FslTopaz => "Freescale/NXP embedded hypervisor (ePAPR)".to_string(),
                HvFamily::Jailhouse => "Jailhouse non-root cell".to_string(),
                HvFamily::Gunyah => "Gunyah".to_string(),
                HvFamily::HyperV => "Hyper-V VMBus (not a /hypervisor node)".to_string(),
                HvFamily::XenHyperlaunch => "Xen Hyperlaunch config (not a guest hypervisor node)".to_string(),
                HvFamily::Hafnium => "Hafnium manifest (not a guest hypervisor node)".to_string(),
                HvFamily::Unknown => "unknown hypervisor binding".to_string(),
            };
            out.push(HvNode { node: id, family, claims, version, label });
        }
        out
    }

    fn detect_acpi_stub(&self) -> bool {
        let Some(root) = self.node(self.root()) else { return false };
        let mut hv = false;
        for &c in &root.children {
            match self.name(c) {
                "chosen" => {}
                "hypervisor" if self.is_compatible(c, "xen,xen") => hv = true,
                _ => return false,
            }
        }
        hv
    }

    /// Xen-family hypervisor nodes that are guest interfaces, in document order.
    pub fn xen_nodes(&self) -> impl Iterator<Item = &HvNode> {
        self.hv.iter().filter(|h| h.is_xen())
    }

    /// Nodes of the ePAPR or KVM families (anything with the ePAPR hypercall interface).
    pub fn epapr_like_nodes(&self) -> impl Iterator<Item = &HvNode> {
        self.hv.iter().filter(|h| h.epapr_mode() || h.kvm_mode())
    }

    /// A coarse CPU architecture guess from `/cpus` and the root compatible (for rules that
    /// differ between PowerPC, MIPS and Arm KVM guests).
    pub fn arch(&self) -> Arch {
        let mut texts: Vec<&str> = self.compatible(self.root());
        if let Some(cpus) =
            self.node(self.root()).and_then(|r| r.children.iter().copied().find(|&c| self.name(c) == "cpus"))
        {
            for &c in self.node(cpus).map_or(&[][..], |n| n.children.as_slice()) {
                texts.extend(self.compatible(c));
                if base_name(self.name(c)).starts_with("PowerPC") {
                    return Arch::Power;
                }
            }
        }
        for t in texts {
            let vendor = t.split(',').next().unwrap_or("");
            match vendor {
                "arm" => return Arch::Arm,
                "mti" | "loongson" | "img" => return Arch::Mips,
                "fsl" | "ibm" | "qemu" if t.contains("e500") || t.contains("ppc") || t.starts_with("ibm,") => {
                    return Arch::Power
                }
                _ => {}
            }
        }
        Arch::Unknown
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    Arm,
    Power,
    Mips,
    Unknown,
}

fn name(tree: &Tree, id: NodeId) -> &str {
    tree.nodes.get(id.0).map_or("", |n| n.name.as_str())
}

/// The part of a node name before `@`.
pub fn base_name(name: &str) -> &str {
    name.split_once('@').map_or(name, |(b, _)| b)
}

/// Every hypervisor-ish node with its family and a human label, in document order, for the
/// UI to pin and badge. Includes nodes that only share the name (Hafnium manifests, the
/// Xen Hyperlaunch `/chosen/hypervisor`), labelled as such.
pub fn hypervisor_nodes(tree: &Tree) -> Vec<HvNode> {
    Context::new(tree).hv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::string_list_bytes;
    use crate::tree::Property;

    fn with_hv(compat: &[&str], extra: &[(&str, Vec<u8>)]) -> Tree {
        let mut t = Tree::new();
        let r = t.root;
        let hv = t.add_child(r, "hypervisor");
        t.node_mut(hv).props.push(Property::new("compatible", string_list_bytes(compat)));
        for (n, v) in extra {
            t.node_mut(hv).props.push(Property::new(*n, v.clone()));
        }
        t
    }

    #[test]
    fn family_detection_and_precedence() {
        let t = with_hv(&["xen,xen-4.19", "xen,xen"], &[]);
        let hv = hypervisor_nodes(&t);
        assert_eq!(hv.len(), 1);
        assert_eq!((hv[0].family, hv[0].label.as_str()), (HvFamily::Xen, "Xen 4.19"));

        let t = with_hv(&["linux,kvm", "epapr,hypervisor-0.2"], &[("hcall-instructions", vec![0; 16])]);
        let hv = &hypervisor_nodes(&t)[0];
        assert_eq!(hv.family, HvFamily::Kvm);
        assert!(hv.kvm_mode() && !hv.epapr_mode());
        assert_eq!(hv.distinct_families(), vec![HvFamily::Kvm]);

        let t = with_hv(&["epapr,hypervisor-1.1"], &[]);
        let hv = &hypervisor_nodes(&t)[0];
        assert_eq!((hv.family, hv.label.as_str()), (HvFamily::Epapr, "ePAPR 1.1"));
        assert!(hv.epapr_mode());

        let t = with_hv(&["fsl,embedded-hypervisor-v2.0", "epapr,hypervisor-1"], &[]);
        let hv = &hypervisor_nodes(&t)[0];
        assert_eq!(hv.family, HvFamily::FslTopaz);
        assert!(hv.epapr_mode());

        let t = with_hv(&["hafnium,hafnium"], &[]);
        let hv = &hypervisor_nodes(&t)[0];
        assert_eq!(hv.family, HvFamily::Hafnium);
        assert!(!hv.is_xen() && !hv.epapr_mode() && !hv.family.is_guest_interface());

        let t = with_hv(&["xen,xen", "linux,kvm"], &[]);
        assert_eq!(hypervisor_nodes(&t)[0].distinct_families(), vec![HvFamily::Xen, HvFamily::Kvm]);

        let t = with_hv(&["vendor,thing"], &[]);
        assert_eq!(hypervisor_nodes(&t)[0].family, HvFamily::Unknown);
        // xen,xenvm is a root compatible, not a hypervisor one.
        let t = with_hv(&["xen,xenvm-4.2"], &[]);
        assert_eq!(hypervisor_nodes(&t)[0].family, HvFamily::Unknown);
    }

    #[test]
    fn hyperlaunch_and_scope() {
        let mut t = Tree::new();
        let r = t.root;
        let ch = t.add_child(r, "chosen");
        let hl = t.add_child(ch, "hypervisor");
        t.node_mut(hl).props.push(Property::new("compatible", string_list_bytes(&["hypervisor,xen"])));
        let ctx = Context::new(&t);
        assert_eq!(ctx.scope, TreeScope::Guest);
        assert_eq!(ctx.hv.len(), 1);
        assert_eq!(ctx.hv[0].family, HvFamily::XenHyperlaunch);

        t.node_mut(ch).props.push(Property::new("xen,xen-bootargs", b"console=dtuart\0".to_vec()));
        assert_eq!(Context::new(&t).scope, TreeScope::HostXen);

        let mut t = Tree::new();
        let r = t.root;
        t.add_child(r, "passthrough");
        assert_eq!(Context::new(&t).scope, TreeScope::Fragment);
    }

    #[test]
    fn irq_parent_walk_prefers_nearer_controller() {
        let mut t = Tree::new();
        let r = t.root;
        let gic = t.add_child(r, "gic");
        t.node_mut(gic).props.push(Property::new("phandle", 1u32.to_be_bytes()));
        t.node_mut(gic).props.push(Property::new("interrupt-controller", vec![]));
        t.node_mut(gic).props.push(Property::new("#interrupt-cells", 3u32.to_be_bytes()));
        t.node_mut(r).props.push(Property::new("interrupt-parent", 1u32.to_be_bytes()));
        let bus = t.add_child(r, "bus");
        let ic = t.add_child(bus, "ic");
        t.node_mut(ic).props.push(Property::new("interrupt-controller", vec![]));
        t.node_mut(ic).props.push(Property::new("#interrupt-cells", 1u32.to_be_bytes()));
        let dev = t.add_child(ic, "dev");
        t.node_mut(dev)
            .props
            .push(Property::new("interrupts", [5u32, 6].iter().flat_map(|c| c.to_be_bytes()).collect::<Vec<_>>()));
        let other = t.add_child(bus, "other");
        let ctx = Context::new(&t);
        assert_eq!(ctx.irq_parent(dev), IrqParent::Found(ic));
        assert_eq!(ctx.irq_parent(other), IrqParent::Found(gic));
        assert_eq!(ctx.irq_specs(dev).unwrap().len(), 2);
        assert_eq!(ctx.irq_parent(r), IrqParent::Found(gic));
    }

    #[test]
    fn windows_translate_through_ranges() {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", 1u32.to_be_bytes()));
        t.node_mut(r).props.push(Property::new("#size-cells", 1u32.to_be_bytes()));
        let bus = t.add_child(r, "bus@10000000");
        for (n, v) in
            [("#address-cells", vec![1u32]), ("#size-cells", vec![1]), ("ranges", vec![0, 0x1000_0000, 0x1000])]
        {
            t.node_mut(bus).props.push(Property::new(n, v.iter().flat_map(|c| c.to_be_bytes()).collect::<Vec<_>>()));
        }
        let dev = t.add_child(bus, "dev@100");
        t.node_mut(dev)
            .props
            .push(Property::new("reg", [0x100u32, 0x10].iter().flat_map(|c| c.to_be_bytes()).collect::<Vec<_>>()));
        let ctx = Context::new(&t);
        assert_eq!(ctx.cpu_windows(), &[Window { node: dev, base: 0x1000_0100, size: 0x10 }]);
    }
}
