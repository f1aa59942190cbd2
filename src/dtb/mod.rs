//! The flattened device-tree blob format: reading ([`read()`]) and writing ([`write()`]).
//!
//! Read and write are separate: the reader borrows the input and builds an owned
//! [`Tree`](crate::Tree) plus diagnostics; the writer serializes a tree the way
//! `dtc -I dtb -O dtb` does.

pub mod read;
pub mod write;

pub use read::{read, ReadResult};
pub use write::write;

pub const FDT_MAGIC: u32 = 0xd00d_feed;
pub const FDT_BEGIN_NODE: u32 = 1;
pub const FDT_END_NODE: u32 = 2;
pub const FDT_PROP: u32 = 3;
pub const FDT_NOP: u32 = 4;
pub const FDT_END: u32 = 9;
/// Size of a version 17 header.
pub const HEADER_SIZE: usize = 40;
/// Size of a version 16 header (no `size_dt_struct` field).
pub const HEADER_SIZE_V16: usize = 36;
/// Oldest blob version the reader accepts (older ones store full paths as node names).
pub const MIN_VERSION: u32 = 16;
/// Version the writer produces (and the newest the reader knows about).
pub const OUT_VERSION: u32 = 17;
/// `last_comp_version` the writer produces.
pub const OUT_LAST_COMP_VERSION: u32 = 16;
/// Size of one memory-reservation entry (two big-endian u64).
pub const RESERVATION_SIZE: usize = 16;
/// Nesting limit of the reader: a node deeper than this (root = depth 1) stops the read
/// with an error. dtc and Linux trees never go past ~30; libfdt's own limit is similar
/// in spirit. Deep enough for anything real, small enough to make every consumer's
/// recursion (printer, UI) safe.
pub const MAX_DEPTH: usize = 1024;
/// Names (node base names and property names) longer than this are reported as a
/// warning (the devicetree specification limit); they are still read and written.
pub const MAX_NAME_LEN: usize = 31;
/// Longest property name the reader accepts (bytes). Longer ones get a placeholder name
/// and an error. Property names are shared through the strings block, so each property
/// token (12 bytes) could otherwise cost an unbounded copy of one long name; this bound
/// keeps memory linear in the input. Real names are under 64 bytes; dtc has no limit.
pub const MAX_PROP_NAME_BYTES: usize = 256;
