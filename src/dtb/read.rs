//! DTB → tree + diagnostics. Never fails, never panics. (stub: being written)

use crate::{Diagnostic, Tree};

/// What [`read`] returns: the tree it could read and everything it noticed.
#[derive(Debug, Clone)]
pub struct ReadResult {
    pub tree: Tree,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn read(_bytes: &[u8]) -> ReadResult {
    ReadResult { tree: Tree::new(), diagnostics: Vec::new() }
}
