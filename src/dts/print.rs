//! Tree → DTS. (stub: being written)

use crate::{NodeId, Tree};

/// The whole tree as a DTS file.
pub fn print(_tree: &Tree) -> String {
    String::new()
}

/// One node (and its subtree) as DTS, for the "this node" view.
pub fn print_node(_tree: &Tree, _id: NodeId) -> String {
    String::new()
}
