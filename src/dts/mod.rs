//! Device-tree source: the printer (tree → DTS that dtc compiles back to the same bytes).

pub mod layout;
mod lex;
pub mod parse;
pub mod print;

pub use parse::{parse, parse_value, ParseOptions, ParseResult, SourceDiagnostic};
pub use print::{print, print_node};
