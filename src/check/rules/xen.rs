//! Catalog §B: the Xen on Arm `/hypervisor` node (`xen-*`). Scope guest (dom0 and domU
//! DTs) unless a rule says otherwise; every rule looks only at nodes of the Xen family
//! (compatible `xen,xen` or `xen,xen-*`), so Hafnium manifests and Hyperlaunch configs
//! named `hypervisor` never get these findings.

use super::{q, qlist, sibling_named};
use crate::check::sources::*;
use crate::check::{string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity};

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &NODE_NAME,
    &NODE_UNIQUE,
    &COMPATIBLE_GENERIC,
    &COMPATIBLE_ORDER,
    &COMPATIBLE_COUNT,
    &VERSION_FORMAT,
    &VERSION_INFO,
];

pub static NODE_NAME: Rule = Rule {
    id: "xen-node-name",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node must be the root's child named exactly `hypervisor`, without a unit address",
    explanation: "
Linux on arm and arm64 detects Xen by scanning the depth-1 nodes of the flattened tree and
comparing each node's *full* name with `hypervisor`. The flat-tree scan passes the name with
its unit address, so a node called `hypervisor@b0000000` is not recognised: Xen support stays
off, silently. arm64's ACPI-stub test uses the same comparison. A node that is not a direct
child of `/` is never looked at.

Contested: the 2026 DT schema (`xen.yaml`) allows `hypervisor@<hex>` and its own example uses
`hypervisor@b0000000`, because the node-name proper is only the part before `@`. The Linux
code inspected still compares the full name, and current Linux's EFI parameter lookup does
accept `hypervisor@...` (libfdt path lookup), so a unit-addressed node can have its UEFI
parameters read while Xen itself is not detected: an inconsistent boot. This rule follows the
consumer and reports the conflict. Zephyr's xenvm board files use `hypervisor@38000000`; Zephyr
itself does not care, Linux would.

Fix: rename the node to `hypervisor` (dtc then warns `unit_address_vs_reg`, which the kernel
turns off by default; every real Xen and libxl tree has that warning).

Example: `hypervisor { compatible = \"xen,xen-4.19\", \"xen,xen\"; reg = <...>; interrupts = <...>; };`",
    sources: &[S5, S6, S7, S8, S4],
    run: node_name,
};

fn node_name(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let id = hv.node;
        let name = ctx.name(id);
        if ctx.depth(id) != 1 {
            out.error(
                id,
                None,
                format!(
                    "this xen,xen node is at depth {}, not a direct child of /; Linux only looks for Xen at /hypervisor",
                    ctx.depth(id)
                ),
            );
        } else if name != "hypervisor" {
            let f = out.error(
                id,
                None,
                format!(
                    "node is named {}; Linux compares the full name with \"hypervisor\", so it will not detect Xen \
                     (the 2026 schema allows a unit address, Linux does not)",
                    q(name)
                ),
            );
            if !sibling_named(ctx, id, "hypervisor") {
                f.with_fix(Fix::RenameNode { path: ctx.path(id), new_name: "hypervisor".into() });
            }
        }
    }
}

pub static NODE_UNIQUE: Rule = Rule {
    id: "xen-node-unique",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Exactly one node has compatible `xen,xen`, and it is `/hypervisor`",
    explanation: "
Linux detects Xen through `/hypervisor`, but later reads `reg` (grant table, extended regions)
and `interrupts` (event channel) from the *first* node in tree order whose compatible contains
`xen,xen`. U-Boot and Unikraft also take the first match. A second `xen,xen` node, or one
placed before `/hypervisor`, means the values actually used are not the ones you are looking at.

Fix: keep one `xen,xen` node, `/hypervisor`, and delete or re-label the others.",
    sources: &[S5, S26],
    run: node_unique,
};

fn node_unique(ctx: &Context, out: &mut Out) {
    let carriers = ctx.with_compatible("xen,xen");
    let Some(&first) = carriers.first() else { return };
    let first_is_hv = ctx.depth(first) == 1 && ctx.name(first) == "hypervisor";
    if !first_is_hv {
        let hv = ctx.node(ctx.root()).and_then(|r| r.children.iter().copied().find(|&c| ctx.name(c) == "hypervisor"));
        let msg = match hv {
            Some(h) if ctx.is_compatible(h, "xen,xen") => format!(
                "this is the first node with compatible \"xen,xen\" in tree order; Linux reads reg and interrupts \
                 from it, not from {}",
                ctx.path(h)
            ),
            _ => "this is the first node with compatible \"xen,xen\"; the binding expects it to be /hypervisor, \
                  and Linux reads reg and interrupts from the first such node"
                .to_string(),
        };
        out.warning(first, Some("compatible"), msg);
    }
    for &c in carriers.iter().skip(1) {
        out.warning(
            c,
            Some("compatible"),
            format!(
                "another node with compatible \"xen,xen\" (the first is {}); Linux, U-Boot and Unikraft use only the first",
                ctx.path(first)
            ),
        );
    }
}

pub static COMPATIBLE_GENERIC: Rule = Rule {
    id: "xen-compatible-generic",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node's compatible contains `xen,xen`",
    explanation: "
Linux sets its \"Xen found\" flag only when the `hypervisor` node's compatible contains the
exact string `xen,xen` (in any position). A node with only `xen,xen-4.19` is not detected.

Fix: `compatible = \"xen,xen-<version>\", \"xen,xen\";`",
    sources: &[S5, S1, S2, S3, S4],
    run: compatible_generic,
};

fn compatible_generic(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let compat = ctx.compatible(hv.node);
        if !compat.contains(&"xen,xen") {
            let mut fixed = compat.clone();
            fixed.push("xen,xen");
            out.error(
                hv.node,
                Some("compatible"),
                format!(
                    "compatible is {} without \"xen,xen\"; Linux only detects Xen by that exact string",
                    qlist(&compat)
                ),
            )
            .with_fix(Fix::SetProperty {
                path: ctx.path(hv.node),
                property: "compatible".into(),
                value: string_list_bytes(&fixed),
            });
        }
    }
}

pub static COMPATIBLE_ORDER: Rule = Rule {
    id: "xen-compatible-order",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The first compatible string is `xen,xen-<version>`, followed by `xen,xen`",
    explanation: "
Linux reads the Xen ABI version only from the *first* compatible string, which must start with
`xen,xen-`. With `\"xen,xen\"` first it logs \"Xen version not found\" (at debug level) and does
not enable Xen, although the node is otherwise correct. The 2026 schema encodes the two items in
this order.

History: the 2012 v1-v3 postings of the binding wrote `\"xen,xen\", \"xen,xen-<version>\"`; v4
flipped the order because the less specific string must come last, and Linux's parser came to
depend on it. Zephyr's xenvm board files write only `\"xen,xen\"` (Zephyr does not need the
version) -- valid for Zephyr, but a Linux guest given that tree runs without Xen support.

Fix: `compatible = \"xen,xen-4.19\", \"xen,xen\";` (the dtlens fix moves the versioned string
to the front when there is one).",
    sources: &[S5, S4, S1],
    run: compatible_order,
};

fn compatible_order(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let compat = ctx.compatible(hv.node);
        let Some(&first) = compat.first() else { continue };
        let versioned = compat.iter().position(|c| c.starts_with("xen,xen-"));
        let generic = compat.iter().position(|c| *c == "xen,xen");
        if first.starts_with("xen,xen-") {
            // Right first string; `xen,xen` must follow (a missing one is xen-compatible-generic).
            continue;
        }
        let msg = match versioned {
            Some(v) => format!(
                "compatible lists {} first and {} only at position {}; Linux reads the version from the first string \
                 and will not enable Xen",
                q(first),
                q(compat.get(v).copied().unwrap_or("")),
                v + 1
            ),
            None => format!(
                "compatible is {} with no \"xen,xen-<version>\" string first; Linux reads the version from the first \
                 string and will not enable Xen",
                qlist(&compat)
            ),
        };
        let f = out.error(hv.node, Some("compatible"), msg);
        if let Some(v) = versioned {
            let mut fixed: Vec<&str> = Vec::with_capacity(compat.len());
            fixed.push(compat[v]);
            fixed.extend(compat.iter().enumerate().filter(|&(i, c)| i != v && *c != "xen,xen").map(|(_, c)| *c));
            if generic.is_some() {
                fixed.push("xen,xen");
            }
            f.with_fix(Fix::SetProperty {
                path: ctx.path(hv.node),
                property: "compatible".into(),
                value: string_list_bytes(&fixed),
            });
        }
    }
}

pub static COMPATIBLE_COUNT: Rule = Rule {
    id: "xen-compatible-count",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node's compatible has exactly two strings",
    explanation: "
The schema lists exactly two items, `xen,xen-<version>` and `xen,xen`. Linux tolerates extra
strings (it looks at the first one and searches for `xen,xen`), so this is a warning.

Fix: `compatible = \"xen,xen-<version>\", \"xen,xen\";`",
    sources: &[S4],
    run: compatible_count,
};

fn compatible_count(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let compat = ctx.compatible(hv.node);
        if compat.len() != 2 && !compat.is_empty() {
            out.warning(
                hv.node,
                Some("compatible"),
                format!("compatible has {} strings ({}); the binding has exactly two", compat.len(), qlist(&compat)),
            );
        }
    }
}

/// Whether `s` is `<digits>.<digits>`.
fn is_major_minor(s: &str) -> bool {
    let Some((a, b)) = s.split_once('.') else { return false };
    !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit())
}

pub static VERSION_FORMAT: Rule = Rule {
    id: "xen-version-format",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The version in `xen,xen-<version>` is `major.minor`",
    explanation: "
Xen writes `XEN_VERSION.XEN_SUBVERSION` and libxl `%d.%d`; the schema's pattern is `major.minor`.
Linux does not check the format: it only needs the first string to start with `xen,xen-` and the
whole property to be longer than 11 bytes, and then prints whatever follows the prefix. The 2026
hardening (merged v2, `f45ab27774aa`) keeps that whole-property test and adds only a
NUL-termination check of the first string; the earlier v1 of that patch (a first-string length
test) was not merged. So a malformed version is a warning, not an error; the failures that
matter to Linux are `xen-compatible-order` and `xen-compatible-generic`.

Fix: `\"xen,xen-4.19\"`.",
    sources: &[S4, S12, S14, S5],
    run: version_format,
};

fn version_format(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        for c in ctx.compatible(hv.node) {
            if let Some(v) = c.strip_prefix("xen,xen-") {
                if !is_major_minor(v) {
                    out.warning(
                        hv.node,
                        Some("compatible"),
                        format!("{} has version {}, not major.minor (e.g. \"xen,xen-4.19\")", q(c), q(v)),
                    );
                }
            }
        }
    }
}

pub static VERSION_INFO: Rule = Rule {
    id: "xen-version-info",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Shows the Xen ABI version the node announces",
    explanation: "
The version in `xen,xen-<version>` is the Xen interface version the tree was generated for
(Xen writes its own `major.minor`). Linux only prints it (\"Xen <version> support found\"); no
feature is gated on it.",
    sources: &[S5],
    run: version_info,
};

fn version_info(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let msg = match &hv.version {
            Some(v) => format!("Xen ABI version {v} (Linux prints \"Xen {v} support found\"; nothing is gated on it)"),
            None => "no \"xen,xen-<version>\" string: the node announces no Xen version".to_string(),
        };
        out.info(hv.node, Some("compatible"), msg);
    }
}
