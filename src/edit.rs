//! Edits as data.
//!
//! Every change to a tree is an [`Op`] value, applied by one function, [`apply`]. The UI,
//! the CLI's `edit`, the checks' mechanical fixes, undo/redo ([`History`]) and share links
//! all speak in these operations. Ops name nodes by path (not by arena id) so that they
//! can be written down, shared and replayed on a fresh read of the same blob.
//!
//! An op either applies completely or is refused with an [`EditError`] and changes nothing.
//! Applying an op returns an [`Undo`] that restores the tree exactly (detached nodes stay in
//! the arena, so undoing a removal re-attaches the very same subtree); undoing every op
//! gives back a tree that serializes to the original bytes.

use crate::tree::{NodeId, Property, Reservation, Tree};
use std::fmt;

/// One change to a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Sets a property's value, adding the property (last in its node) when missing.
    SetProp {
        path: String,
        name: String,
        value: Vec<u8>,
    },
    RemoveProp {
        path: String,
        name: String,
    },
    RenameProp {
        path: String,
        from: String,
        to: String,
    },
    /// Adds an empty child node at `index` among its siblings (`None`: last).
    AddNode {
        parent: String,
        name: String,
        index: Option<usize>,
    },
    RemoveNode {
        path: String,
    },
    RenameNode {
        path: String,
        name: String,
    },
    /// Moves a node (with its subtree) under `new_parent` at `index` (`None`: last).
    MoveNode {
        path: String,
        new_parent: String,
        index: Option<usize>,
    },
    AddReservation {
        address: u64,
        size: u64,
        index: Option<usize>,
    },
    RemoveReservation {
        index: usize,
    },
}

impl fmt::Display for Op {
    /// A short sentence for summaries and history lists, e.g. `set /chosen:bootargs = "x"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |parent: &str, name: &str| {
            if parent.ends_with('/') {
                format!("{parent}{name}")
            } else {
                format!("{parent}/{name}")
            }
        };
        match self {
            Op::SetProp { path, name, value } if value.is_empty() => write!(f, "set {path}:{name} (empty)"),
            Op::SetProp { path, name, value } => {
                write!(f, "set {path}:{name} = {}", crate::check::describe_bytes(value))
            }
            Op::RemoveProp { path, name } => write!(f, "delete {path}:{name}"),
            Op::RenameProp { path, from, to } => write!(f, "rename {path}:{from} to {to}"),
            Op::AddNode { parent, name, .. } => write!(f, "add node {}", join(parent, name)),
            Op::RemoveNode { path } => write!(f, "delete node {path}"),
            Op::RenameNode { path, name } => write!(f, "rename {path} to {name}"),
            Op::MoveNode { path, new_parent, .. } => write!(f, "move {path} under {new_parent}"),
            Op::AddReservation { address, size, .. } => write!(f, "add /memreserve/ 0x{address:x} 0x{size:x}"),
            Op::RemoveReservation { index } => write!(f, "delete /memreserve/ #{index}"),
        }
    }
}

/// The op that gives `node` a `phandle` when it has none (`phandle` or `linux,phandle`),
/// with the value one above the highest in use; `None` when it already has one. What a
/// reference editor (or `dtlens edit --set ...=<&node>`) applies before pointing at a node.
pub fn phandle_op(tree: &Tree, node: NodeId) -> Option<Op> {
    let n = tree.nodes.get(node.0)?;
    if ["phandle", "linux,phandle"].iter().any(|p| n.prop(p).is_some()) {
        return None;
    }
    // 0xffffffff is not a valid phandle, so the largest value to hand out is 0xfffffffe.
    let next = tree.phandles().keys().copied().max().unwrap_or(0).checked_add(1).filter(|&v| v != u32::MAX)?;
    Some(Op::SetProp { path: tree.path(node), name: "phandle".into(), value: next.to_be_bytes().to_vec() })
}

/// Why an op was refused. The tree is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}

fn err<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// How to take an applied op back. Holds arena ids, so it is only valid on the tree the op
/// was applied to (which [`History`] guarantees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undo {
    /// Give the property at `index` its old contents back, or remove the added one.
    RestoreProp {
        node: NodeId,
        index: usize,
        old: Option<Property>,
    },
    /// Put a removed property back at `index`.
    InsertProp {
        node: NodeId,
        index: usize,
        prop: Property,
    },
    RenameProp {
        node: NodeId,
        index: usize,
        name: String,
    },
    /// Detach the node that was added.
    Detach {
        node: NodeId,
    },
    /// Re-attach a detached node under `parent` at `index`.
    Attach {
        node: NodeId,
        parent: NodeId,
        index: usize,
    },
    RenameNode {
        node: NodeId,
        name: String,
    },
    Move {
        node: NodeId,
        parent: NodeId,
        index: usize,
    },
    RemoveReservation {
        index: usize,
    },
    InsertReservation {
        index: usize,
        reservation: Reservation,
    },
}

/// Characters the Devicetree Specification allows in node names (before and after `@`).
fn node_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | '_' | '+' | '-')
}

/// Characters the Devicetree Specification allows in property names.
fn prop_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | '_' | '+' | '?' | '#' | '-')
}

/// Checks a node name (`name` or `name@unit`) against the spec's character set.
pub fn validate_node_name(name: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return err("a node name cannot be empty");
    }
    let (base, unit) = match name.split_once('@') {
        Some((b, u)) => (b, Some(u)),
        None => (name, None),
    };
    if base.is_empty() {
        return err(format!("node name \"{name}\" has nothing before the @"));
    }
    if let Some(c) = base.chars().find(|&c| !node_name_char(c)) {
        return err(format!("node name \"{name}\" contains '{c}'; allowed are letters, digits and , . _ + -"));
    }
    if let Some(u) = unit {
        if u.is_empty() {
            return err(format!("node name \"{name}\" has an empty unit address after the @"));
        }
        if let Some(c) = u.chars().find(|&c| !node_name_char(c)) {
            return err(format!("unit address of \"{name}\" contains '{c}'"));
        }
    }
    Ok(())
}

/// Checks a property name against the spec's character set.
pub fn validate_prop_name(name: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return err("a property name cannot be empty");
    }
    if let Some(c) = name.chars().find(|&c| !prop_name_char(c)) {
        return err(format!("property name \"{name}\" contains '{c}'; allowed are letters, digits and , . _ + ? # -"));
    }
    if name.len() > crate::dtb::MAX_PROP_NAME_BYTES {
        // The blob would not read back: the reader does not read longer names.
        return err(format!(
            "property name is {} bytes long; the limit is {}",
            name.len(),
            crate::dtb::MAX_PROP_NAME_BYTES
        ));
    }
    Ok(())
}

fn node_at(tree: &Tree, path: &str) -> Result<NodeId, EditError> {
    // Exact lookup only: an edit must not land on `name@unit` because `name` was typed.
    let Some(rest) = path.strip_prefix('/') else {
        return err(format!("\"{path}\" is not an absolute path (it must start with /)"));
    };
    let mut cur = tree.root;
    for comp in rest.split('/').filter(|c| !c.is_empty()) {
        match tree.node(cur).children.iter().copied().find(|&c| tree.node(c).name == comp) {
            Some(c) => cur = c,
            None => return err(format!("no node {path} (it may have been renamed, moved or removed)")),
        }
    }
    Ok(cur)
}

fn sibling_named(tree: &Tree, parent: NodeId, name: &str, except: Option<NodeId>) -> bool {
    tree.node(parent).children.iter().any(|&c| Some(c) != except && tree.node(c).name == name)
}

fn is_ancestor_or_self(tree: &Tree, anc: NodeId, mut node: NodeId) -> bool {
    let mut guard = tree.nodes.len();
    loop {
        if node == anc {
            return true;
        }
        match tree.node(node).parent {
            Some(p) if guard > 0 => {
                node = p;
                guard -= 1;
            }
            _ => return false,
        }
    }
}

fn detach(tree: &mut Tree, node: NodeId) -> Option<(NodeId, usize)> {
    let parent = tree.node(node).parent?;
    let index = tree.node(parent).children.iter().position(|&c| c == node)?;
    tree.node_mut(parent).children.remove(index);
    Some((parent, index))
}

fn attach(tree: &mut Tree, node: NodeId, parent: NodeId, index: usize) {
    let kids = &mut tree.node_mut(parent).children;
    let index = index.min(kids.len());
    kids.insert(index, node);
    tree.node_mut(node).parent = Some(parent);
}

/// Applies one op. On success returns how to undo it; on refusal the tree is unchanged.
pub fn apply(tree: &mut Tree, op: &Op) -> Result<Undo, EditError> {
    match op {
        Op::SetProp { path, name, value } => {
            validate_prop_name(name)?;
            let id = node_at(tree, path)?;
            let node = tree.node_mut(id);
            match node.props.iter().position(|p| &p.name == name) {
                Some(i) => {
                    let old = node.props[i].clone();
                    node.props[i].value = value.clone();
                    Ok(Undo::RestoreProp { node: id, index: i, old: Some(old) })
                }
                None => {
                    node.props.push(Property::new(name.clone(), value.clone()));
                    Ok(Undo::RestoreProp { node: id, index: node.props.len() - 1, old: None })
                }
            }
        }
        Op::RemoveProp { path, name } => {
            let id = node_at(tree, path)?;
            let node = tree.node_mut(id);
            let Some(i) = node.props.iter().position(|p| &p.name == name) else {
                return err(format!("{path} has no property {name}"));
            };
            let prop = node.props.remove(i);
            // Not `RestoreProp`: a damaged blob can give a node two properties of one name,
            // and the one now at `i` must not be overwritten.
            Ok(Undo::InsertProp { node: id, index: i, prop })
        }
        Op::RenameProp { path, from, to } => {
            validate_prop_name(to)?;
            let id = node_at(tree, path)?;
            let node = tree.node_mut(id);
            let Some(i) = node.props.iter().position(|p| &p.name == from) else {
                return err(format!("{path} has no property {from}"));
            };
            if from != to && node.props.iter().any(|p| &p.name == to) {
                return err(format!("{path} already has a property {to}"));
            }
            let old = std::mem::replace(&mut node.props[i].name, to.clone());
            Ok(Undo::RenameProp { node: id, index: i, name: old })
        }
        Op::AddNode { parent, name, index } => {
            validate_node_name(name)?;
            let pid = node_at(tree, parent)?;
            if sibling_named(tree, pid, name, None) {
                return err(format!("{parent} already has a child named {name}"));
            }
            let id = tree.add_child(pid, name.clone());
            if let Some(i) = *index {
                detach(tree, id);
                attach(tree, id, pid, i);
            }
            Ok(Undo::Detach { node: id })
        }
        Op::RemoveNode { path } => {
            let id = node_at(tree, path)?;
            if id == tree.root {
                return err("the root node cannot be removed");
            }
            let (parent, index) = detach(tree, id).ok_or_else(|| EditError(format!("{path} has no parent")))?;
            Ok(Undo::Attach { node: id, parent, index })
        }
        Op::RenameNode { path, name } => {
            validate_node_name(name)?;
            let id = node_at(tree, path)?;
            let Some(parent) = tree.node(id).parent else {
                return err("the root node has no name to change");
            };
            if sibling_named(tree, parent, name, Some(id)) {
                return err(format!("{} already has a child named {name}", tree.path(parent)));
            }
            let old = std::mem::replace(&mut tree.node_mut(id).name, name.clone());
            Ok(Undo::RenameNode { node: id, name: old })
        }
        Op::MoveNode { path, new_parent, index } => {
            let id = node_at(tree, path)?;
            let np = node_at(tree, new_parent)?;
            if id == tree.root {
                return err("the root node cannot be moved");
            }
            if is_ancestor_or_self(tree, id, np) {
                return err(format!("{path} cannot move into itself or its own subtree"));
            }
            let name = tree.node(id).name.clone();
            if sibling_named(tree, np, &name, Some(id)) {
                return err(format!("{new_parent} already has a child named {name}"));
            }
            let (parent, old_index) = detach(tree, id).ok_or_else(|| EditError(format!("{path} has no parent")))?;
            let len = tree.node(np).children.len();
            attach(tree, id, np, index.unwrap_or(len));
            Ok(Undo::Move { node: id, parent, index: old_index })
        }
        Op::AddReservation { address, size, index } => {
            let len = tree.reservations.len();
            let i = index.unwrap_or(len);
            if i > len {
                return err(format!("reservation index {i} is past the end ({len} entries)"));
            }
            if *size == 0 {
                // Readers (libfdt, dtc, ours) end the map at the first entry of size 0, so
                // this one and every later one would be lost when the blob is read back.
                return err(format!("a reservation of size 0 (at 0x{address:x}) would end the reserve map early"));
            }
            tree.reservations.insert(i, Reservation { address: *address, size: *size });
            Ok(Undo::RemoveReservation { index: i })
        }
        Op::RemoveReservation { index } => {
            if *index >= tree.reservations.len() {
                return err(format!("no reservation #{index} ({} entries)", tree.reservations.len()));
            }
            let r = tree.reservations.remove(*index);
            Ok(Undo::InsertReservation { index: *index, reservation: r })
        }
    }
}

/// Takes an applied op back. Only valid for the [`Undo`] that `apply` returned on this tree
/// with no other change in between (the [`History`] keeps it so).
pub fn undo(tree: &mut Tree, u: &Undo) {
    match u {
        Undo::RestoreProp { node, index, old } => {
            let props = &mut tree.node_mut(*node).props;
            match old {
                Some(p) => {
                    if let Some(slot) = props.get_mut(*index).filter(|q| q.name == p.name) {
                        *slot = p.clone();
                    } else {
                        props.insert((*index).min(props.len()), p.clone());
                    }
                }
                None => {
                    if *index < props.len() {
                        props.remove(*index);
                    }
                }
            }
        }
        Undo::InsertProp { node, index, prop } => {
            let props = &mut tree.node_mut(*node).props;
            props.insert((*index).min(props.len()), prop.clone());
        }
        Undo::RenameProp { node, index, name } => {
            if let Some(p) = tree.node_mut(*node).props.get_mut(*index) {
                p.name = name.clone();
            }
        }
        Undo::Detach { node } => {
            detach(tree, *node);
        }
        Undo::Attach { node, parent, index } => attach(tree, *node, *parent, *index),
        Undo::RenameNode { node, name } => tree.node_mut(*node).name = name.clone(),
        Undo::Move { node, parent, index } => {
            detach(tree, *node);
            attach(tree, *node, *parent, *index);
        }
        Undo::RemoveReservation { index } => {
            if *index < tree.reservations.len() {
                tree.reservations.remove(*index);
            }
        }
        Undo::InsertReservation { index, reservation } => {
            let i = (*index).min(tree.reservations.len());
            tree.reservations.insert(i, *reservation);
        }
    }
}

/// A tree with its edit history: apply, undo, redo.
#[derive(Debug, Clone)]
pub struct History {
    tree: Tree,
    done: Vec<(Op, Undo)>,
    undone: Vec<Op>,
}

impl History {
    pub fn new(tree: Tree) -> Self {
        History { tree, done: Vec::new(), undone: Vec::new() }
    }

    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// The ops in force, oldest first (what a share link or a script records).
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.done.iter().map(|(op, _)| op)
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// Applies an op; a new edit clears the redo list.
    pub fn apply(&mut self, op: Op) -> Result<(), EditError> {
        let u = apply(&mut self.tree, &op)?;
        self.done.push((op, u));
        self.undone.clear();
        Ok(())
    }

    /// Applies several ops as one step for the caller: all or nothing.
    pub fn apply_all(&mut self, ops: Vec<Op>) -> Result<usize, EditError> {
        let start = self.done.len();
        for op in ops {
            match apply(&mut self.tree, &op) {
                Ok(u) => self.done.push((op, u)),
                Err(e) => {
                    while self.done.len() > start {
                        if let Some((_, u)) = self.done.pop() {
                            undo(&mut self.tree, &u);
                        }
                    }
                    return Err(e);
                }
            }
        }
        self.undone.clear();
        Ok(self.done.len() - start)
    }

    pub fn undo(&mut self) -> bool {
        match self.done.pop() {
            Some((op, u)) => {
                undo(&mut self.tree, &u);
                self.undone.push(op);
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        let Some(op) = self.undone.pop() else { return false };
        match apply(&mut self.tree, &op) {
            Ok(u) => {
                self.done.push((op, u));
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Tree {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", 2u32.to_be_bytes()));
        let hv = t.add_child(r, "hypervisor@b0000000");
        t.node_mut(hv).props.push(Property::new("compatible", b"xen,xen\0xen,xen-4.2\0".to_vec()));
        let soc = t.add_child(r, "soc");
        t.add_child(soc, "serial@1000");
        t.reservations.push(Reservation { address: 0x4800_0000, size: 0x10_0000 });
        t
    }

    type Shape = Vec<(String, Vec<(String, Vec<u8>)>)>;

    fn shape(t: &Tree) -> Shape {
        t.walk()
            .map(|(id, _)| (t.path(id), t.node(id).props.iter().map(|p| (p.name.clone(), p.value.clone())).collect()))
            .collect()
    }

    fn all_kinds() -> Vec<Op> {
        vec![
            Op::SetProp {
                path: "/hypervisor@b0000000".into(),
                name: "compatible".into(),
                value: b"xen,xen-4.2\0xen,xen\0".to_vec(),
            },
            Op::SetProp { path: "/".into(), name: "model".into(), value: b"x\0".to_vec() },
            Op::RenameNode { path: "/hypervisor@b0000000".into(), name: "hypervisor".into() },
            Op::AddNode { parent: "/hypervisor".into(), name: "uefi".into(), index: None },
            Op::RenameProp { path: "/".into(), from: "model".into(), to: "label".into() },
            Op::MoveNode { path: "/soc/serial@1000".into(), new_parent: "/".into(), index: Some(0) },
            Op::RemoveProp { path: "/".into(), name: "#address-cells".into() },
            Op::RemoveNode { path: "/soc".into() },
            Op::AddReservation { address: 1, size: 2, index: Some(0) },
            Op::RemoveReservation { index: 1 },
        ]
    }

    #[test]
    fn every_op_applies_and_undoes_exactly() {
        let orig = sample();
        let mut h = History::new(orig.clone());
        for op in all_kinds() {
            h.apply(op.clone()).unwrap_or_else(|e| panic!("{op:?}: {e}"));
        }
        let t = h.tree();
        assert!(t.find("/hypervisor/uefi").is_some());
        assert_eq!(t.path(t.node(t.root).children[0]), "/serial@1000");
        assert!(t.find("/soc").is_none());
        assert_eq!(t.reservations, vec![Reservation { address: 1, size: 2 }]);
        let edited = shape(h.tree());
        while h.undo() {}
        assert_eq!(shape(h.tree()), shape(&orig));
        assert_eq!(h.tree().reservations, orig.reservations);
        while h.redo() {}
        assert_eq!(shape(h.tree()), edited);
    }

    #[test]
    fn refused_ops_change_nothing() {
        let bad = vec![
            Op::SetProp { path: "/nope".into(), name: "x".into(), value: vec![] },
            Op::SetProp { path: "/".into(), name: "bad name".into(), value: vec![] },
            Op::RemoveProp { path: "/".into(), name: "missing".into() },
            Op::RenameProp { path: "/".into(), from: "#address-cells".into(), to: "a/b".into() },
            Op::AddNode { parent: "/".into(), name: "soc".into(), index: None },
            Op::AddNode { parent: "/".into(), name: "has space".into(), index: None },
            Op::AddNode { parent: "/".into(), name: "x@".into(), index: None },
            Op::AddNode { parent: "/".into(), name: "@1".into(), index: None },
            Op::RemoveNode { path: "/".into() },
            Op::RenameNode { path: "/soc".into(), name: "hypervisor@b0000000".into() },
            Op::MoveNode { path: "/soc".into(), new_parent: "/soc/serial@1000".into(), index: None },
            Op::MoveNode { path: "/".into(), new_parent: "/soc".into(), index: None },
            Op::AddReservation { address: 0, size: 0, index: None },
            Op::AddReservation { address: 0x3f000, size: 0, index: None },
            Op::SetProp { path: "/".into(), name: "x".repeat(257), value: vec![] },
            Op::AddReservation { address: 1, size: 1, index: Some(5) },
            Op::RemoveReservation { index: 3 },
            Op::SetProp { path: "relative".into(), name: "x".into(), value: vec![] },
            // A bare name must not match `hypervisor@b0000000`.
            Op::RemoveNode { path: "/hypervisor".into() },
            Op::RenameProp { path: "/hypervisor@b0000000".into(), from: "nope".into(), to: "x".into() },
            Op::RenameNode { path: "/".into(), name: "root".into() },
            Op::RenameNode { path: "/soc/serial@1000".into(), name: "a/b".into() },
            Op::MoveNode { path: "/soc/serial@1000".into(), new_parent: "/nope".into(), index: None },
            Op::MoveNode { path: "/nope".into(), new_parent: "/".into(), index: None },
            Op::AddNode { parent: "/nope".into(), name: "x".into(), index: None },
            Op::RemoveProp { path: "/nope".into(), name: "#address-cells".into() },
        ];
        for op in bad {
            let mut t = sample();
            let before = shape(&t);
            let e = apply(&mut t, &op).expect_err(&format!("{op:?} should be refused"));
            assert!(!e.0.is_empty());
            assert_eq!(shape(&t), before, "{op:?} changed the tree");
            assert_eq!(t.reservations, sample().reservations);
        }
    }

    #[test]
    fn renames_and_moves_refuse_a_name_taken_at_the_destination() {
        let mut t = sample();
        let soc = t.find("/soc").unwrap();
        t.add_child(soc, "hypervisor@b0000000");
        t.node_mut(t.root).props.push(Property::new("model", b"m\0".to_vec()));
        for op in [
            Op::MoveNode { path: "/soc/hypervisor@b0000000".into(), new_parent: "/".into(), index: None },
            Op::RenameProp { path: "/".into(), from: "model".into(), to: "#address-cells".into() },
        ] {
            let before = shape(&t);
            let e = apply(&mut t, &op).expect_err(&format!("{op:?}"));
            assert!(e.0.contains("already has"), "{e}");
            assert_eq!(shape(&t), before);
        }
        // Renaming to the same name, or moving within the same parent, is allowed.
        apply(&mut t, &Op::RenameProp { path: "/".into(), from: "model".into(), to: "model".into() }).unwrap();
        apply(&mut t, &Op::MoveNode { path: "/soc".into(), new_parent: "/".into(), index: Some(0) }).unwrap();
        assert_eq!(t.path(t.node(t.root).children[0]), "/soc");
    }

    #[test]
    fn ops_describe_themselves() {
        let texts: Vec<String> = all_kinds().iter().map(|o| o.to_string()).collect();
        assert_eq!(
            texts,
            [
                "set /hypervisor@b0000000:compatible = \"xen,xen-4.2\", \"xen,xen\"",
                "set /:model = \"x\"",
                "rename /hypervisor@b0000000 to hypervisor",
                "add node /hypervisor/uefi",
                "rename /:model to label",
                "move /soc/serial@1000 under /",
                "delete /:#address-cells",
                "delete node /soc",
                "add /memreserve/ 0x1 0x2",
                "delete /memreserve/ #1",
            ]
        );
        let empty = Op::SetProp { path: "/".into(), name: "dma-coherent".into(), value: vec![] };
        assert_eq!(empty.to_string(), "set /:dma-coherent (empty)");
    }

    #[test]
    fn phandle_op_adds_the_next_free_phandle_once() {
        let mut t = sample();
        let soc = t.find("/soc").unwrap();
        let hv = t.find("/hypervisor@b0000000").unwrap();
        t.node_mut(hv).props.push(Property::new("phandle", 7u32.to_be_bytes()));
        assert_eq!(phandle_op(&t, hv), None);
        let op = phandle_op(&t, soc).unwrap();
        assert_eq!(op, Op::SetProp { path: "/soc".into(), name: "phandle".into(), value: 8u32.to_be_bytes().to_vec() });
        apply(&mut t, &op).unwrap();
        assert_eq!(phandle_op(&t, soc), None);
        assert_eq!(t.phandles().get(&8), Some(&soc));
        // No room above the highest phandle: no op rather than an invalid value.
        t.node_mut(hv).props[1].value = 0xffff_fffeu32.to_be_bytes().to_vec();
        let serial = t.find("/soc/serial@1000").unwrap();
        assert_eq!(phandle_op(&t, serial), None);
    }

    #[test]
    fn apply_all_is_all_or_nothing() {
        let mut h = History::new(sample());
        let before = shape(h.tree());
        let r = h.apply_all(vec![
            Op::SetProp { path: "/".into(), name: "model".into(), value: b"m\0".to_vec() },
            Op::RemoveNode { path: "/missing".into() },
        ]);
        assert!(r.is_err());
        assert_eq!(shape(h.tree()), before);
        assert!(!h.can_undo());
    }

    #[test]
    fn undoing_a_removal_keeps_a_same_named_property() {
        // A damaged blob can give a node two properties of one name.
        let mut t = sample();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("model", b"a\0".to_vec()));
        t.node_mut(r).props.push(Property::new("model", b"b\0".to_vec()));
        let before = shape(&t);
        let mut h = History::new(t);
        h.apply(Op::RemoveProp { path: "/".into(), name: "model".into() }).unwrap();
        assert!(h.undo());
        assert_eq!(shape(h.tree()), before);
    }

    #[test]
    fn new_edit_clears_redo() {
        let mut h = History::new(sample());
        h.apply(Op::SetProp { path: "/".into(), name: "a".into(), value: vec![] }).unwrap();
        assert!(h.undo());
        assert!(h.can_redo());
        h.apply(Op::SetProp { path: "/".into(), name: "b".into(), value: vec![] }).unwrap();
        assert!(!h.can_redo());
        assert_eq!(h.ops().count(), 1);
    }
}
