//! The list of every rule: one slice per family file, concatenated here in catalog order.
//! A rule is registered by naming it in its family file's `RULES`; nothing else lists rules.

use super::rules::{dom0less, dt, dtc, epapr, hv, xen, xenboot};
use super::{Rule, RuleFamily};

/// Per-family rule slices, in catalog order (§A–§G).
pub static FAMILIES: &[(RuleFamily, &[&Rule])] = &[
    (RuleFamily::Epapr, epapr::RULES),
    (RuleFamily::Xen, xen::RULES),
    (RuleFamily::Xenboot, xenboot::RULES),
    (RuleFamily::Dom0less, dom0less::RULES),
    (RuleFamily::Hv, hv::RULES),
    (RuleFamily::Dt, dt::RULES),
    (RuleFamily::Dtc, dtc::RULES),
];

/// Every rule, in catalog order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    FAMILIES.iter().flat_map(|(_, rules)| rules.iter().copied())
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.id == id)
}

/// The rules of one family.
pub fn family(f: RuleFamily) -> &'static [&'static Rule] {
    FAMILIES.iter().find(|(g, _)| *g == f).map_or(&[], |(_, r)| r)
}
