//! Device-tree source: the printer (tree → DTS that dtc compiles back to the same bytes).

pub mod print;

pub use print::{print, print_node};
