//! The parser's working tree: dtc's "live tree" with its deleted entries, labels and
//! reference markers, so merges, deletions and reference fix-ups behave exactly as dtc's.
//!
//! dtc keeps deleted properties and nodes in their lists (flagged), so a later definition of
//! the same name takes the old position back; it keeps the `/delete-*/` entries of a node's
//! first definition as flagged placeholders; and it resolves references with linear
//! searches. Here the same lists are kept, with name indexes on long lists and a label
//! index, so every lookup is (amortized) constant time.
//!
//! All walks are iterative.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use crate::dts::lex::Span;

/// A fast hash for the parser's own maps (names, labels, small integers): FxHash's
/// multiply-rotate, a word at a time.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        let mut last = 0u64;
        for (i, &b) in chunks.remainder().iter().enumerate() {
            last |= u64::from(b) << (8 * i);
        }
        self.add(last ^ (bytes.len() as u64) << 56);
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FxSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// Lists longer than this get a name index.
const INDEX_FROM: usize = 8;

#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub name: String,
    pub deleted: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// `<&ref>`: a phandle cell to fill in.
    Phandle(String),
    /// `&ref` outside cells: the full path of the target is inserted here.
    Path(String),
    /// A label inside a value (`prop = <1 l: 2>`).
    Label(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub offset: usize,
    pub kind: MarkerKind,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Data {
    pub bytes: Vec<u8>,
    pub markers: Vec<Marker>,
}

impl Data {
    pub fn mark(&mut self, kind: MarkerKind, span: Span) {
        self.markers.push(Marker { offset: self.bytes.len(), kind, span });
    }
}

#[derive(Debug, Clone)]
pub(crate) struct LProp {
    pub name: String,
    pub data: Data,
    pub labels: Vec<Label>,
    pub deleted: bool,
    pub span: Span,
}

#[derive(Debug, Default)]
struct NameIndex {
    map: FxMap<String, Vec<u32>>,
}

impl NameIndex {
    fn add(&mut self, name: &str, i: u32) {
        match self.map.get_mut(name) {
            Some(v) => v.push(i),
            None => {
                self.map.insert(name.to_string(), vec![i]);
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct LNode {
    pub name: String,
    pub parent: Option<u32>,
    pub children: Vec<u32>,
    pub props: Vec<LProp>,
    pub labels: Vec<Label>,
    pub deleted: bool,
    pub omit_if_unused: bool,
    pub referenced: bool,
    pub phandle: u32,
    pub span: Span,
    child_index: Option<NameIndex>,
    prop_index: Option<NameIndex>,
}

#[derive(Debug, Default)]
pub(crate) struct Live {
    pub nodes: Vec<LNode>,
    pub root: Option<u32>,
    /// label → nodes that carry (or carried) it, in the order the label was first added.
    label_index: FxMap<String, Vec<u32>>,
}

impl Live {
    pub fn new_node(&mut self, name: String, span: Span) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(LNode { name, span, ..LNode::default() });
        id
    }

    pub fn node(&self, id: u32) -> &LNode {
        &self.nodes[id as usize]
    }

    pub fn node_mut(&mut self, id: u32) -> &mut LNode {
        &mut self.nodes[id as usize]
    }

    /// dtc's `add_label`: a label already there (even deleted) is revived, else added.
    pub fn add_node_label(&mut self, id: u32, name: &str, span: Span) {
        let n = &mut self.nodes[id as usize];
        if let Some(l) = n.labels.iter_mut().find(|l| l.name == name) {
            l.deleted = false;
            return;
        }
        n.labels.push(Label { name: name.to_string(), deleted: false, span });
        self.label_index.entry(name.to_string()).or_default().push(id);
    }

    pub fn add_prop_label(labels: &mut Vec<Label>, name: &str, span: Span) {
        if let Some(l) = labels.iter_mut().find(|l| l.name == name) {
            l.deleted = false;
            return;
        }
        labels.push(Label { name: name.to_string(), deleted: false, span });
    }

    // ---- lists with name indexes ----

    fn ensure_child_index(&mut self, id: u32) {
        if self.nodes[id as usize].child_index.is_some() {
            return;
        }
        let mut idx = NameIndex::default();
        for (i, &c) in self.nodes[id as usize].children.iter().enumerate() {
            idx.add(&self.nodes[c as usize].name, i as u32);
        }
        self.nodes[id as usize].child_index = Some(idx);
    }

    /// First child named `name`, deleted ones included when `withdel`.
    pub fn find_child(&mut self, id: u32, name: &str, withdel: bool) -> Option<u32> {
        if self.nodes[id as usize].children.len() >= INDEX_FROM {
            self.ensure_child_index(id);
            let n = &self.nodes[id as usize];
            let pos = n.child_index.as_ref()?.map.get(name)?;
            return pos.iter().map(|&p| n.children[p as usize]).find(|&c| withdel || !self.nodes[c as usize].deleted);
        }
        let n = &self.nodes[id as usize];
        n.children.iter().copied().find(|&c| {
            let cn = &self.nodes[c as usize];
            cn.name == name && (withdel || !cn.deleted)
        })
    }

    /// dtc's `add_child`: appends `child` to `parent`'s children.
    pub fn add_child(&mut self, parent: u32, child: u32) {
        self.nodes[child as usize].parent = Some(parent);
        let cname = self.nodes[child as usize].name.clone();
        let p = &mut self.nodes[parent as usize];
        p.children.push(child);
        let pos = (p.children.len() - 1) as u32;
        if let Some(ix) = p.child_index.as_mut() {
            ix.add(&cname, pos);
        }
    }

    /// Index of the first property named `name` (deleted ones included when `withdel`).
    pub fn find_prop(&mut self, id: u32, name: &str, withdel: bool) -> Option<usize> {
        let n = &mut self.nodes[id as usize];
        if n.props.len() >= INDEX_FROM {
            if n.prop_index.is_none() {
                let mut idx = NameIndex::default();
                for (i, p) in n.props.iter().enumerate() {
                    idx.add(&p.name, i as u32);
                }
                n.prop_index = Some(idx);
            }
            let pos = n.prop_index.as_ref().and_then(|ix| ix.map.get(name))?;
            return pos.iter().map(|&p| p as usize).find(|&p| withdel || !n.props[p].deleted);
        }
        n.props.iter().position(|p| p.name == name && (withdel || !p.deleted))
    }

    /// dtc's `add_property`: appends.
    pub fn add_prop(&mut self, id: u32, prop: LProp) {
        let n = &mut self.nodes[id as usize];
        if let Some(ix) = n.prop_index.as_mut() {
            ix.add(&prop.name, n.props.len() as u32);
        }
        n.props.push(prop);
    }

    pub fn remove_prop(&mut self, id: u32, index: usize) {
        let n = &mut self.nodes[id as usize];
        if index < n.props.len() {
            n.props.remove(index);
            n.prop_index = None;
        }
    }

    // ---- dtc's tree operations ----

    /// dtc's `delete_node`: flags the node, its live children (recursively), its live
    /// properties and all their labels as deleted.
    pub fn delete_node(&mut self, id: u32) {
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            let kids: Vec<u32> =
                self.nodes[n as usize].children.iter().copied().filter(|&c| !self.nodes[c as usize].deleted).collect();
            let node = &mut self.nodes[n as usize];
            node.deleted = true;
            for p in node.props.iter_mut().filter(|p| !p.deleted) {
                p.deleted = true;
                p.labels.iter_mut().for_each(|l| l.deleted = true);
            }
            node.labels.iter_mut().for_each(|l| l.deleted = true);
            stack.extend(kids);
        }
    }

    /// dtc's `delete_property_by_name`: the first property of that name (even a deleted one).
    fn delete_prop_by_name(&mut self, id: u32, name: &str) {
        if let Some(i) = self.find_prop(id, name, true) {
            let p = &mut self.nodes[id as usize].props[i];
            p.deleted = true;
            p.labels.iter_mut().for_each(|l| l.deleted = true);
        }
    }

    /// dtc's `merge_nodes(old, new)`: `new`'s labels, properties (replacing in place or
    /// appended; deletions applied) and children (merged by name, deletions applied,
    /// others appended) go into `old`, depth first and in order, as dtc does.
    pub fn merge(&mut self, old: u32, new: u32) {
        struct Frame {
            old: u32,
            kids: Vec<u32>,
            next: usize,
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut pending = Some((old, new));
        loop {
            if let Some((o, n)) = pending.take() {
                self.nodes[o as usize].deleted = false;
                let labels = std::mem::take(&mut self.nodes[n as usize].labels);
                for l in &labels {
                    self.add_node_label(o, &l.name, l.span);
                }
                let props = std::mem::take(&mut self.nodes[n as usize].props);
                self.nodes[n as usize].prop_index = None;
                for p in props {
                    if p.deleted {
                        self.delete_prop_by_name(o, &p.name);
                        continue;
                    }
                    match self.find_prop(o, &p.name, true) {
                        Some(i) => {
                            let op = &mut self.nodes[o as usize].props[i];
                            for l in &p.labels {
                                Live::add_prop_label(&mut op.labels, &l.name, l.span);
                            }
                            op.data = p.data;
                            op.deleted = false;
                            op.span = p.span;
                        }
                        None => self.add_prop(o, p),
                    }
                }
                let kids = std::mem::take(&mut self.nodes[n as usize].children);
                self.nodes[n as usize].child_index = None;
                self.nodes[n as usize].parent = None;
                stack.push(Frame { old: o, kids, next: 0 });
            }
            let Some(top) = stack.last_mut() else { break };
            if top.next >= top.kids.len() {
                stack.pop();
                continue;
            }
            let o = top.old;
            let c = top.kids[top.next];
            top.next += 1;
            self.nodes[c as usize].parent = None;
            let cname = self.nodes[c as usize].name.clone();
            if self.nodes[c as usize].deleted {
                if let Some(victim) = self.find_child(o, &cname, true) {
                    self.delete_node(victim);
                }
                continue;
            }
            match self.find_child(o, &cname, true) {
                Some(oc) => pending = Some((oc, c)),
                None => self.add_child(o, c),
            }
        }
    }

    /// Whether `id` is in the tree (reachable from the root through live nodes).
    pub fn is_live(&self, id: u32) -> bool {
        let mut cur = Some(id);
        let mut guard = self.nodes.len() + 1;
        while let Some(c) = cur {
            if guard == 0 {
                return false;
            }
            guard -= 1;
            let n = &self.nodes[c as usize];
            if n.deleted {
                return false;
            }
            if Some(c) == self.root {
                return true;
            }
            cur = n.parent;
        }
        false
    }

    /// dtc's `get_node_by_label`: a live node with a live label of that name.
    pub fn by_label(&self, label: &str) -> Option<u32> {
        let cands = self.label_index.get(label)?;
        cands.iter().copied().find(|&id| {
            self.nodes[id as usize].labels.iter().any(|l| l.name == label && !l.deleted) && self.is_live(id)
        })
    }

    /// dtc's `get_node_by_path`: exact names, live children only.
    pub fn by_path(&mut self, path: &str) -> Option<u32> {
        let mut cur = self.root?;
        for comp in path.split('/').filter(|c| !c.is_empty()) {
            cur = self.find_child(cur, comp, false)?;
        }
        Some(cur)
    }

    /// dtc's `get_node_by_ref`: `/path` or a label.
    pub fn by_ref(&mut self, r: &str) -> Option<u32> {
        if r.starts_with('/') {
            self.by_path(r)
        } else {
            self.by_label(r)
        }
    }

    /// Live nodes in document (pre-)order.
    pub fn preorder(&self) -> Vec<u32> {
        let mut out = Vec::new();
        let Some(root) = self.root else { return out };
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            out.push(n);
            for &c in self.nodes[n as usize].children.iter().rev() {
                if !self.nodes[c as usize].deleted {
                    stack.push(c);
                }
            }
        }
        out
    }

    /// Appends the full path of `id` (`/`, `/a/b`) to `out`.
    pub fn write_path(&self, id: u32, out: &mut Vec<u8>) {
        let mut parts: Vec<&str> = Vec::new();
        let mut cur = Some(id);
        let mut guard = self.nodes.len() + 1;
        while let Some(c) = cur {
            if guard == 0 || Some(c) == self.root {
                break;
            }
            guard -= 1;
            parts.push(self.nodes[c as usize].name.as_str());
            cur = self.nodes[c as usize].parent;
        }
        if parts.is_empty() {
            out.push(b'/');
        }
        for p in parts.iter().rev() {
            out.push(b'/');
            out.extend_from_slice(p.as_bytes());
        }
    }

    /// Full path (`/`, `/a/b`).
    pub fn path(&self, id: u32) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        let mut guard = self.nodes.len() + 1;
        while let Some(c) = cur {
            if guard == 0 || Some(c) == self.root {
                break;
            }
            guard -= 1;
            parts.push(self.nodes[c as usize].name.as_str());
            cur = self.nodes[c as usize].parent;
        }
        if parts.is_empty() {
            return "/".into();
        }
        let mut s = String::new();
        for p in parts.iter().rev() {
            s.push('/');
            s.push_str(p);
        }
        s
    }
}
