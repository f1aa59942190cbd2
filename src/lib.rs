//! dtlens core: reading, modelling, writing and printing device trees.
//!
//! Everything in this crate outside `ui` is plain Rust with no DOM and no wasm-only
//! dependency; it builds and tests natively and drives both the CLI and the browser app.
//! See ARCHITECTURE.md for the map and the invariants.

pub mod check;
pub mod diag;
pub mod diff;
pub mod dtb;
pub mod dts;
pub mod edit;
mod fast_hash;
pub mod learn;
pub mod order;
pub mod script;
pub mod share;
pub mod tree;
pub mod value;
pub mod view;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod ui;

pub use diag::{Diagnostic, Severity};
pub use tree::{Header, Node, NodeId, Property, Reservation, Tree};
