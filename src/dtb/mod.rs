//! The flattened device-tree blob format: reading ([`read`]) and writing ([`write`]).
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
