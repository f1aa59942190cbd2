//! Tree → DTB, byte-for-byte like `dtc -I dtb -O dtb` (dtc 1.6.1).
//!
//! Layout, as dtc writes it:
//! - a version 17 header (40 bytes): `version` 17, `last_comp_version` 16, the tree's
//!   `boot_cpuid_phys`; `totalsize` is exactly the sum of the parts (no padding);
//! - the memory-reservation map at 0x28 (the header size rounded up to 8), one entry per
//!   reservation and a (0, 0) terminator;
//! - the structure block: for each node (depth first) `FDT_BEGIN_NODE`, the name and its
//!   NUL padded with zeros to 4 bytes, every property (`FDT_PROP`, length, name offset,
//!   value, zero padding to 4), every child, `FDT_END_NODE`; then `FDT_END`;
//! - the strings block: property names in order of first use, except that a name that is
//!   a suffix of a string already in the table (or equal to one) reuses it. dtc scans the
//!   table byte by byte for the first position whose NUL-terminated string equals the name,
//!   so the reused string is the earliest entry ending with the name; [`StringTable`]
//!   gives that same answer in linear time with a trie of reversed entries.
//!
//! Names are written as C strings, as dtc does: a name containing a NUL byte is cut at
//! the NUL (the reader never produces one). The writer never fails; nodes are visited
//! iteratively, and a node reachable twice (only possible after a faulty edit) is written
//! once.

use std::collections::HashMap;

use super::{
    FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_PROP, HEADER_SIZE, OUT_LAST_COMP_VERSION, OUT_VERSION,
    RESERVATION_SIZE,
};
use crate::{NodeId, Tree};

/// The strings block under construction, deduplicated the way dtc does it.
#[derive(Debug, Default, Clone)]
pub struct StringTable {
    data: Vec<u8>,
    /// Trie of the reversed entries, flat: node 0 is the root (the empty suffix). A node
    /// is reached from its parent by one byte; children form a sibling list. Each node
    /// stores the offset of the terminating NUL of the first entry that has its suffix.
    /// No hashing and no allocation per node; a step scans at most 256 siblings.
    trie: Vec<TrieNode>,
}

#[derive(Debug, Clone, Copy)]
struct TrieNode {
    byte: u8,
    first_child: u32,
    next_sibling: u32,
    end: u32,
}

const NONE: u32 = u32::MAX;

impl StringTable {
    pub fn new() -> Self {
        StringTable::default()
    }

    /// The offset of `name` in the table, adding it if it is not already there (as a
    /// string or as the tail of one).
    pub fn insert(&mut self, name: &str) -> u32 {
        let name = c_str(name.as_bytes());
        if let Some(off) = self.find(name) {
            return off;
        }
        let off = self.data.len();
        self.data.extend_from_slice(name);
        self.data.push(0);
        let end = to_u32(off + name.len());
        if self.trie.is_empty() {
            self.trie.push(TrieNode { byte: 0, first_child: NONE, next_sibling: NONE, end });
        }
        let mut node = 0u32;
        for &b in name.iter().rev() {
            node = match self.child(node, b) {
                Some(c) => c,
                None => {
                    let c = to_u32(self.trie.len());
                    let first = self.trie.get(node as usize).map_or(NONE, |n| n.first_child);
                    self.trie.push(TrieNode { byte: b, first_child: NONE, next_sibling: first, end });
                    if let Some(n) = self.trie.get_mut(node as usize) {
                        n.first_child = c;
                    }
                    c
                }
            };
        }
        to_u32(off)
    }

    fn child(&self, node: u32, b: u8) -> Option<u32> {
        let mut c = self.trie.get(node as usize)?.first_child;
        while let Some(n) = self.trie.get(c as usize) {
            if n.byte == b {
                return Some(c);
            }
            c = n.next_sibling;
        }
        None
    }

    /// Where dtc would find `name` in the table now: the first position whose
    /// NUL-terminated string equals it.
    fn find(&self, name: &[u8]) -> Option<u32> {
        let mut node = 0u32;
        for &b in name.iter().rev() {
            node = self.child(node, b)?;
        }
        let end = self.trie.get(node as usize)?.end;
        end.checked_sub(to_u32(name.len()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.data
    }
}

/// The bytes of a name up to (not including) the first NUL.
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// Sizes in a blob are u32; anything larger cannot be represented anyway.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn push32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_be_bytes());
}

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// Serializes a tree the way `dtc -I dtb -O dtb` does; see the module documentation.
pub fn write(tree: &Tree) -> Vec<u8> {
    let mut strings = StringTable::new();
    // Offsets of names already placed: one hash per property instead of a trie walk.
    let mut placed: HashMap<&str, u32> = HashMap::new();
    let mut dt: Vec<u8> = Vec::new();
    let mut visited = vec![false; tree.nodes.len()];

    let mut begin = |id: NodeId, dt: &mut Vec<u8>, strings: &mut StringTable| -> bool {
        match (tree.nodes.get(id.0), visited.get_mut(id.0)) {
            (Some(node), Some(seen)) if !*seen => {
                *seen = true;
                push32(dt, FDT_BEGIN_NODE);
                dt.extend_from_slice(c_str(node.name.as_bytes()));
                dt.push(0);
                pad4(dt);
                for p in &node.props {
                    let nameoff = match placed.get(p.name.as_str()) {
                        Some(&o) => o,
                        None => {
                            let o = strings.insert(&p.name);
                            placed.insert(p.name.as_str(), o);
                            o
                        }
                    };
                    push32(dt, FDT_PROP);
                    push32(dt, to_u32(p.value.len()));
                    push32(dt, nameoff);
                    dt.extend_from_slice(&p.value);
                    pad4(dt);
                }
                true
            }
            _ => false,
        }
    };

    // (node, index of the next child to write)
    let mut stack: Vec<(NodeId, usize)> = Vec::new();
    if begin(tree.root, &mut dt, &mut strings) {
        stack.push((tree.root, 0));
    }
    while let Some(top) = stack.last_mut() {
        let (id, i) = *top;
        let child = tree.nodes.get(id.0).and_then(|n| n.children.get(i)).copied();
        match child {
            Some(c) => {
                top.1 += 1;
                if begin(c, &mut dt, &mut strings) {
                    stack.push((c, 0));
                }
            }
            None => {
                push32(&mut dt, FDT_END_NODE);
                stack.pop();
            }
        }
    }
    push32(&mut dt, FDT_END);

    let strings = strings.into_bytes();
    let rsv_off = HEADER_SIZE; // already a multiple of 8
    let rsv_len = (tree.reservations.len() + 1) * RESERVATION_SIZE;
    let struct_off = rsv_off + rsv_len;
    let strings_off = struct_off + dt.len();
    let total = strings_off + strings.len();

    let mut out = Vec::with_capacity(total);
    for v in [
        FDT_MAGIC,
        to_u32(total),
        to_u32(struct_off),
        to_u32(strings_off),
        to_u32(rsv_off),
        OUT_VERSION,
        OUT_LAST_COMP_VERSION,
        tree.header.boot_cpuid_phys,
        to_u32(strings.len()),
        to_u32(dt.len()),
    ] {
        push32(&mut out, v);
    }
    for r in &tree.reservations {
        out.extend_from_slice(&r.address.to_be_bytes());
        out.extend_from_slice(&r.size.to_be_bytes());
    }
    out.extend_from_slice(&[0; RESERVATION_SIZE]);
    out.extend_from_slice(&dt);
    out.extend_from_slice(&strings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_table_suffix_sharing_matches_a_byte_scan() {
        // Reference: dtc's byte-by-byte scan, written independently here.
        fn scan(table: &[u8], s: &[u8]) -> Option<usize> {
            (0..table.len()).find(|&i| {
                let rest = &table[i..];
                let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
                &rest[..end] == s && end < rest.len()
            })
        }
        let words = [
            "compatible",
            "patible",
            "reg",
            "interrupts",
            "rupts",
            "#interrupt-cells",
            "interrupt-cells",
            "cells",
            "#size-cells",
            "",
            "s",
            "ts",
            "patible",
            "a",
            "ba",
            "cba",
            "a",
        ];
        let mut st = StringTable::new();
        let mut naive: Vec<u8> = Vec::new();
        for w in words {
            let want = match scan(&naive, w.as_bytes()) {
                Some(i) => i,
                None => {
                    let i = naive.len();
                    naive.extend_from_slice(w.as_bytes());
                    naive.push(0);
                    i
                }
            };
            assert_eq!(st.insert(w) as usize, want, "{w:?}");
        }
        assert_eq!(st.as_bytes(), &naive[..]);
    }

    #[test]
    fn empty_name_in_empty_table() {
        let mut st = StringTable::new();
        assert_eq!(st.insert(""), 0);
        assert_eq!(st.as_bytes(), b"\0");
        assert_eq!(st.insert("x"), 1);
        assert_eq!(st.insert(""), 0);
    }
}
