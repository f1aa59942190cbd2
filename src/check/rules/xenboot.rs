//! Catalog family (being filled in).

use crate::check::Rule;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[];
