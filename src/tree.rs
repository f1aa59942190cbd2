//! The owned, ordered, editable device-tree model.
//!
//! Nodes live in an arena (`Tree::nodes`) and refer to each other by [`NodeId`]. The
//! arena makes traversal iterative (no recursion, so no stack overflow on deep trees),
//! gives the UI and the checks stable handles, and makes the parent of a node a field
//! rather than a search. Nodes removed by an edit stay in the arena but are no longer
//! reachable from the root; every walk starts at the root.
//!
//! Property values are raw bytes exactly as in the blob. Typed views (cells, strings,
//! `reg` entries, phandles) are computed on demand by the accessors in [`crate::value`].

use std::collections::HashMap;

/// Index of a node in [`Tree::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub usize);

/// Header fields that are not derived from the layout (those are recomputed on write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: u32,
    pub last_comp_version: u32,
    pub boot_cpuid_phys: u32,
}

impl Default for Header {
    fn default() -> Self {
        Header { version: 17, last_comp_version: 16, boot_cpuid_phys: 0 }
    }
}

/// One `/memreserve/` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    pub address: u64,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub value: Vec<u8>,
    /// Byte offset of the `FDT_PROP` token in the blob this was read from.
    pub offset: Option<u32>,
}

impl Property {
    pub fn new(name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        Property { name: name.into(), value: value.into(), offset: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Full name as in the blob: `name@unit-address` (empty for the root).
    pub name: String,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub props: Vec<Property>,
    /// Byte offset of the `FDT_BEGIN_NODE` token in the blob this was read from.
    pub offset: Option<u32>,
}

impl Node {
    /// The part of the name before `@`.
    pub fn base_name(&self) -> &str {
        self.name.split_once('@').map_or(&self.name, |(b, _)| b)
    }

    /// The unit address (after `@`), if any.
    pub fn unit_address(&self) -> Option<&str> {
        self.name.split_once('@').map(|(_, u)| u)
    }

    pub fn prop(&self, name: &str) -> Option<&Property> {
        self.props.iter().find(|p| p.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tree {
    pub header: Header,
    pub reservations: Vec<Reservation>,
    pub nodes: Vec<Node>,
    pub root: NodeId,
}

impl Default for Tree {
    fn default() -> Self {
        Tree::new()
    }
}

impl Tree {
    /// A tree with just an empty root node.
    pub fn new() -> Self {
        Tree {
            header: Header::default(),
            reservations: Vec::new(),
            nodes: vec![Node {
                name: String::new(),
                parent: None,
                children: Vec::new(),
                props: Vec::new(),
                offset: None,
            }],
            root: NodeId(0),
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.0]
    }

    /// Appends a new child node (last among its siblings) and returns its id.
    pub fn add_child(&mut self, parent: NodeId, name: impl Into<String>) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(Node {
            name: name.into(),
            parent: Some(parent),
            children: Vec::new(),
            props: Vec::new(),
            offset: None,
        });
        self.nodes[parent.0].children.push(id);
        id
    }

    /// Every node reachable from the root, in document (pre-)order, with its depth
    /// (root = 0). Iterative: safe on any depth.
    pub fn walk(&self) -> Walk<'_> {
        Walk { tree: self, stack: vec![(self.root, 0)] }
    }

    /// Number of nodes reachable from the root.
    pub fn node_count(&self) -> usize {
        self.walk().count()
    }

    /// Full path of a node: `/`, `/cpus/cpu@0`.
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        // Bounded by the arena size, so a (buggy) cycle cannot loop forever.
        let mut guard = self.nodes.len();
        while let Some(c) = cur {
            if guard == 0 {
                break;
            }
            guard -= 1;
            let n = self.node(c);
            if n.parent.is_some() {
                parts.push(n.name.as_str());
            }
            cur = n.parent;
        }
        if parts.is_empty() {
            return "/".to_string();
        }
        let mut s = String::new();
        for p in parts.iter().rev() {
            s.push('/');
            s.push_str(p);
        }
        s
    }

    /// Looks a node up by full path (`/`, `/soc/serial@1000`). A component without a unit
    /// address also matches a single child `name@…` when no child has the bare name, as
    /// dtc's path references do.
    pub fn find(&self, path: &str) -> Option<NodeId> {
        let rest = path.strip_prefix('/')?;
        let mut cur = self.root;
        for comp in rest.split('/').filter(|c| !c.is_empty()) {
            let node = self.node(cur);
            let exact = node.children.iter().copied().find(|&c| self.node(c).name == comp);
            cur = match exact {
                Some(c) => c,
                None if !comp.contains('@') => {
                    node.children.iter().copied().find(|&c| self.node(c).base_name() == comp)?
                }
                None => return None,
            };
        }
        Some(cur)
    }

    /// Map from phandle value to node (from `phandle` and the legacy `linux,phandle`).
    /// The first node to claim a value wins.
    pub fn phandles(&self) -> HashMap<u32, NodeId> {
        let mut map = HashMap::new();
        for (id, _) in self.walk() {
            let n = self.node(id);
            for name in ["phandle", "linux,phandle"] {
                if let Some(v) = n.prop(name).and_then(|p| crate::value::as_u32(&p.value)) {
                    if v != 0 && v != u32::MAX {
                        map.entry(v).or_insert(id);
                    }
                }
            }
        }
        map
    }

    /// Labels recovered from `/__symbols__` (label → node). Entries whose path does not
    /// resolve are left out.
    pub fn labels(&self) -> HashMap<NodeId, Vec<String>> {
        let mut map: HashMap<NodeId, Vec<String>> = HashMap::new();
        let Some(sym) = self.node(self.root).children.iter().copied().find(|&c| self.node(c).name == "__symbols__")
        else {
            return map;
        };
        for p in &self.node(sym).props {
            if let Some(path) = crate::value::as_string(&p.value) {
                if let Some(target) = self.find(path) {
                    map.entry(target).or_default().push(p.name.clone());
                }
            }
        }
        map
    }

    /// `#address-cells` / `#size-cells` in force for the children of `id` (defaults 2 and 1,
    /// as dtc and the kernel assume).
    pub fn cells_for_children(&self, id: NodeId) -> (u32, u32) {
        let n = self.node(id);
        let a = n.prop("#address-cells").and_then(|p| crate::value::as_u32(&p.value)).unwrap_or(2);
        let s = n.prop("#size-cells").and_then(|p| crate::value::as_u32(&p.value)).unwrap_or(1);
        (a, s)
    }

    /// The interrupt parent of `id`: its own `interrupt-parent`, else the nearest
    /// ancestor's, resolved through the phandle map; else the nearest ancestor that is an
    /// `interrupt-controller`... (the parent chain as the kernel walks it).
    pub fn interrupt_parent(&self, id: NodeId, phandles: &HashMap<u32, NodeId>) -> Option<NodeId> {
        let mut cur = Some(id);
        let mut guard = self.nodes.len();
        while let Some(c) = cur {
            if guard == 0 {
                return None;
            }
            guard -= 1;
            let n = self.node(c);
            if let Some(p) = n.prop("interrupt-parent") {
                return crate::value::as_u32(&p.value).and_then(|ph| phandles.get(&ph).copied());
            }
            cur = n.parent;
            if let Some(par) = cur {
                if self.node(par).prop("interrupt-controller").is_some() {
                    return Some(par);
                }
            }
        }
        None
    }
}

/// Iterator behind [`Tree::walk`].
pub struct Walk<'a> {
    tree: &'a Tree,
    stack: Vec<(NodeId, usize)>,
}

impl Iterator for Walk<'_> {
    type Item = (NodeId, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let (id, depth) = self.stack.pop()?;
        let node = self.tree.nodes.get(id.0)?;
        for &c in node.children.iter().rev() {
            self.stack.push((c, depth + 1));
        }
        Some((id, depth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Tree {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", 2u32.to_be_bytes()));
        let soc = t.add_child(r, "soc");
        let uart = t.add_child(soc, "serial@1000");
        t.node_mut(uart).props.push(Property::new("phandle", 7u32.to_be_bytes()));
        let _hv = t.add_child(r, "hypervisor");
        let sym = t.add_child(r, "__symbols__");
        t.node_mut(sym).props.push(Property::new("uart0", b"/soc/serial@1000\0".to_vec()));
        t
    }

    #[test]
    fn paths_and_lookup() {
        let t = sample();
        let uart = t.find("/soc/serial@1000").unwrap();
        assert_eq!(t.path(uart), "/soc/serial@1000");
        assert_eq!(t.find("/soc/serial"), Some(uart));
        assert_eq!(t.path(t.root), "/");
        assert_eq!(t.find("/"), Some(t.root));
        assert_eq!(t.find("/nope"), None);
        assert_eq!(t.find("relative"), None);
    }

    #[test]
    fn walk_is_preorder() {
        let t = sample();
        let paths: Vec<_> = t.walk().map(|(id, d)| (t.path(id), d)).collect();
        assert_eq!(
            paths,
            vec![
                ("/".into(), 0),
                ("/soc".into(), 1),
                ("/soc/serial@1000".into(), 2),
                ("/hypervisor".into(), 1),
                ("/__symbols__".into(), 1)
            ]
        );
    }

    #[test]
    fn phandles_and_labels() {
        let t = sample();
        let uart = t.find("/soc/serial@1000").unwrap();
        assert_eq!(t.phandles().get(&7), Some(&uart));
        assert_eq!(t.labels().get(&uart), Some(&vec!["uart0".to_string()]));
    }

    #[test]
    fn walk_survives_deep_nesting() {
        let mut t = Tree::new();
        let mut cur = t.root;
        for _ in 0..200_000 {
            cur = t.add_child(cur, "n");
        }
        assert_eq!(t.node_count(), 200_001);
        assert!(t.path(cur).len() > 200_000);
    }
}
