//! Catalog §D Xen dom0less domains, static memory/shm/evtchn, cpupools (`dom0less-*`, `static-*`).
//!
//! To add a rule: define a `pub static NAME: Rule = Rule { ... }` here (see `xen.rs` for
//! examples) with the catalog id exactly, and list it in `RULES` in catalog order.

use crate::check::Rule;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[];
