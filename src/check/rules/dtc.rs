//! Catalog §G dtc's generic checks, ids `dtc-<check_name>`; levels follow the kernel (peers.md §1.2): dtc's default-on checks minus the kernel's `-Wno-` list are `EnabledAt::Always`, those the kernel turns off are `EnabledAt::W1`, the `W=2` extras `EnabledAt::W2`, dtc's off-by-default checks `EnabledAt::Explicit`.
//!
//! To add a rule: define a `pub static NAME: Rule = Rule { ... }` here (see `xen.rs` for
//! examples) with the catalog id exactly, and list it in `RULES` in catalog order.

use crate::check::Rule;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[];
