//! Catalog §B: the Xen on Arm `/hypervisor` node (`xen-*`). Scope guest (dom0 and domU
//! DTs) unless a rule says otherwise; every rule looks only at nodes of the Xen family
//! (compatible `xen,xen` or `xen,xen-*`), so Hafnium manifests and Hyperlaunch configs
//! named `hypervisor` never get these findings.

use super::{bytes, cells_text, q, qlist, sibling_named, size_text};
use crate::check::context::{HvNode, IrqParent};
use crate::check::sources::*;
use crate::check::{string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &NODE_NAME,
    &NODE_UNIQUE,
    &COMPATIBLE_GENERIC,
    &COMPATIBLE_ORDER,
    &COMPATIBLE_COUNT,
    &VERSION_FORMAT,
    &VERSION_INFO,
    &REG_PRESENT,
    &REG_FORMAT,
    &ROOT_CELLS,
    &GNTTAB_REGION,
    &GNTTAB_NO_OVERLAP,
    &EXTREGION_ORDER,
    &EXTREGION_CONVENTIONS,
    &EXTREGION_ABSENT,
    &INTERRUPTS_PRESENT,
    &INTERRUPT_PARENT_GIC,
    &EVTCHN_PPI,
    &EVTCHN_FLAGS,
    &ALLOWED_MEMBERS,
    &STATUS_IGNORED,
    &UEFI_COMPLETE,
    &UEFI_SIZES,
    &UEFI_VALUES,
    &UEFI_RUNTIME,
    &ACPI_STUB,
    &HOST_DT_HYPERVISOR,
    &GRANT_DMA,
    &SHARED_MEMORY_RESERVED,
    &LIBXL_SIGNATURE,
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
    // A root `hypervisor@...` counts as the hypervisor node here: its name is xen-node-name's business.
    let first_is_hv = ctx.depth(first) == 1 && crate::check::context::base_name(ctx.name(first)) == "hypervisor";
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
                format!(
                    "compatible has {} string{} ({}); the binding has exactly two",
                    compat.len(),
                    if compat.len() == 1 { "" } else { "s" },
                    qlist(&compat)
                ),
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

/// Whether the reg/interrupt requirement is relaxed because the tree is Xen's ACPI stub.
fn stub_severity(ctx: &Context, hv: &HvNode, normal: Severity) -> Severity {
    if ctx.acpi_stub && hv.node == stub_hv(ctx).unwrap_or(NodeId(usize::MAX)) {
        Severity::Info
    } else {
        normal
    }
}

fn stub_hv(ctx: &Context) -> Option<NodeId> {
    ctx.node(ctx.root())?.children.iter().copied().find(|&c| ctx.name(c) == "hypervisor")
}

pub static REG_PRESENT: Rule = Rule {
    id: "xen-reg-present",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node has `reg` with at least one entry (the grant-table region)",
    explanation: "
Entry 0 of `reg` is the guest-physical window where the guest maps its grant table; entries
1..N (since 2021) are extended regions. Current Linux logs \"Xen grant table region is not
found\" and falls back to ballooned pages, but U-Boot and Unikraft hit `BUG()`. Xen's copy of
the binding says the region \"must be always present\".

Contested: with ACPI, Xen generates a stub tree whose hypervisor node has only `compatible` and
`uefi`; Xen's `guest.txt` says `reg` and `interrupts` are unnecessary then, while the 2026 Linux
schema lists both as required. In that layout (see `xen-acpi-stub`) this finding is downgraded
to info.

Fix: `reg = <0x0 0x38000000 0x0 0x1000000>;` (libxl's domU default: 16 MiB at 0x38000000).",
    sources: &[S4, S1, S3, S5, S26, S9],
    run: reg_present,
};

fn reg_present(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let sev = stub_severity(ctx, hv, Severity::Error);
        let stub_note = if sev == Severity::Info { " (ACPI stub layout: Xen's binding copy allows this)" } else { "" };
        match ctx.prop(hv.node, "reg") {
            None => {
                out.push(
                    sev,
                    hv.node,
                    None,
                    format!(
                        "no reg: the guest has no grant-table window (Linux falls back to ballooned pages; \
                         U-Boot and Unikraft BUG()){stub_note}"
                    ),
                );
            }
            Some([]) => {
                out.push(sev, hv.node, Some("reg"), format!("reg is empty: no grant-table window{stub_note}"));
            }
            Some(_) => {}
        }
    }
}

pub static REG_FORMAT: Rule = Rule {
    id: "xen-reg-format",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`reg` is a whole number of (root `#address-cells` + `#size-cells`) entries",
    explanation: "
The hypervisor node sits at the root, so its `reg` entries are sized by the root's
`#address-cells` and `#size-cells`. A length that is not a multiple of their sum times 4 bytes
cannot be split into regions.

When the root does not declare the cells, this rule sizes entries with 2/1 (the DT spec's
default and dtc's `reg_format`) and says so, because Linux falls back to 1/1 at the root and
would read a different region 0 from the same bytes (reported as a warning).

Fix: declare `#address-cells = <2>; #size-cells = <2>;` at the root (what Xen and libxl use) and
write `reg` with those cells.",
    sources: &[S19, S12, S14, S20, S8],
    run: reg_format,
};

fn reg_format(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(v) = ctx.prop(hv.node, "reg") else { continue };
        if v.is_empty() {
            continue;
        }
        let Some(parent) = ctx.parent(hv.node) else { continue };
        let (da, ds) = ctx.declared_cells(parent);
        let (a, s) = ctx.child_cells(parent);
        let per = (a as usize + s as usize) * 4;
        if per == 0 || v.len() % per != 0 {
            out.error(
                hv.node,
                Some("reg"),
                format!(
                    "reg is {} but {} has #address-cells = {a}, #size-cells = {s}{}, so entries are {} each",
                    bytes(v.len()),
                    ctx.path(parent),
                    if da.is_none() || ds.is_none() { " (defaults 2/1 used where missing)" } else { "" },
                    bytes(per)
                ),
            );
        } else if (da.is_none() || ds.is_none()) && ctx.depth(hv.node) == 1 {
            let linux = ctx.reg_with(hv.node, da.unwrap_or(1), ds.unwrap_or(1));
            let ours = ctx.reg_with(hv.node, a, s);
            let region = |r: Option<Vec<(u64, u64)>>| match r.as_deref().and_then(|r| r.first()) {
                Some(&(b, z)) => format!("0x{b:x}+0x{z:x}"),
                None => "nothing (length does not fit)".to_string(),
            };
            out.warning(
                hv.node,
                Some("reg"),
                format!(
                    "the root does not declare {}; with the DT spec's 2/1 region 0 is {}, but Linux assumes 1/1 at the \
                     root and reads {}",
                    match (da, ds) {
                        (None, None) => "#address-cells or #size-cells",
                        (None, _) => "#address-cells",
                        _ => "#size-cells",
                    },
                    region(ours),
                    region(linux)
                ),
            );
        }
    }
}

pub static ROOT_CELLS: Rule = Rule {
    id: "xen-root-cells",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Root `#address-cells`/`#size-cells` are 1 or 2 (libxl and dom0less use 2/2)",
    explanation: "
Xen's dom0 builder copies the host root cells into dom0's tree and panics (\"Cannot cope with
this size\") for values other than 1 or 2. libxl and dom0less always generate 2/2; Unikraft
(Mini-OS derived) reads the first `/memory` `reg` as two 64-bit numbers whatever the cells say.
So: other than 1 or 2 is a warning; 1 or 2 but not 2/2 is reported as info.

Fix: `#address-cells = <2>; #size-cells = <2>;` at the root.",
    sources: &[S12, S14, S26],
    run: root_cells,
};

fn root_cells(ctx: &Context, out: &mut Out) {
    if ctx.xen_nodes().next().is_none() {
        return;
    }
    let root = ctx.root();
    let (a, s) = ctx.declared_cells(root);
    let mut odd = false;
    for (name, v) in [("#address-cells", a), ("#size-cells", s)] {
        if let Some(v) = v {
            if v != 1 && v != 2 {
                odd = true;
                out.warning(
                    root,
                    Some(name),
                    format!(
                        "root {name} = {v}; Xen's dom0 builder only copes with 1 or 2 (\"Cannot cope with this size\")"
                    ),
                );
            }
        }
    }
    if let (Some(a), Some(s), false) = (a, s, odd) {
        if (a, s) != (2, 2) {
            out.info(
                root,
                Some("#address-cells"),
                format!(
                    "root cells are {a}/{s}; libxl and dom0less generate 2/2, and Unikraft reads /memory as 2/2 regardless"
                ),
            );
        }
    }
}

/// Region list of the node's `reg` (entry 0 = grant table), by the parent's cells.
fn regions(ctx: &Context, hv: &HvNode) -> Option<Vec<(u64, u64)>> {
    ctx.reg(hv.node)
}

pub static GNTTAB_REGION: Rule = Rule {
    id: "xen-gnttab-region",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Region 0 (grant table) is non-empty and 4 KiB aligned; shows its size in frames",
    explanation: "
The first `reg` entry is where the guest maps all its grant-table frames; the binding requires
it to be large enough for the whole table. A zero size is an error; a base or size that is not
4 KiB aligned is a warning (frames are 4 KiB pages); the size in 4 KiB frames is reported as
info. Reference values: libxl domU `0x38000000` + 16 MiB (`GUEST_GNTTAB_BASE/SIZE`, 4096
frames); dom0 gets a window over Xen's own text section sized for dom0's grant frames; the
binding's example uses `0x20000` (32 frames).",
    sources: &[S1, S2, S3, S4, S12],
    run: gnttab_region,
};

fn gnttab_region(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(regs) = regions(ctx, hv) else { continue };
        let Some(&(base, size)) = regs.first() else { continue };
        if size == 0 {
            out.error(hv.node, Some("reg"), format!("region 0 (grant table) at 0x{base:x} has size 0"));
            continue;
        }
        if base % 0x1000 != 0 || size % 0x1000 != 0 {
            out.warning(
                hv.node,
                Some("reg"),
                format!(
                    "region 0 (grant table) 0x{base:x}+0x{size:x} is not 4 KiB aligned; grant frames are 4 KiB pages"
                ),
            );
        }
        out.info(
            hv.node,
            Some("reg"),
            format!(
                "grant-table window 0x{base:x}+0x{size:x} ({}, {} frames of 4 KiB){}",
                size_text(size),
                size / 0x1000,
                if (base, size) == (0x3800_0000, 0x100_0000) { "; libxl's domU default" } else { "" }
            ),
        );
    }
}

/// What a window overlapping `base..size` is, for messages.
fn overlaps_text(ctx: &Context, hv: NodeId, base: u64, size: u64) -> Vec<String> {
    let mut v = Vec::new();
    for w in ctx.cpu_windows() {
        if w.node != hv && !ctx.is_under(w.node, hv) && w.overlaps(base, size) {
            v.push(format!("{} (0x{:x}+0x{:x})", ctx.path(w.node), w.base, w.size));
        }
    }
    v
}

pub static GNTTAB_NO_OVERLAP: Rule = Rule {
    id: "xen-gnttab-no-overlap",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Region 0 overlaps no RAM, reserved memory or device window",
    explanation: "
The grant-table window must be unused guest-physical space: Xen places it where nothing else is
mapped for that guest, and the guest maps grant frames there. This rule compares region 0 with
every `reg` window in the CPU address space (root children, and deeper nodes whose buses
translate through `ranges`): `/memory`, `/reserved-memory` children and devices. `/cpus` ids and
buses without `ranges` are not addresses and are skipped. (For a 32-bit dom0, Xen also requires
the window below 4 GiB.) Heuristic beyond the binding's wording.",
    sources: &[S9, S3, S12],
    run: gnttab_no_overlap,
};

fn gnttab_no_overlap(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(regs) = regions(ctx, hv) else { continue };
        let Some(&(base, size)) = regs.first() else { continue };
        let hits = overlaps_text(ctx, hv.node, base, size);
        if !hits.is_empty() {
            out.warning(
                hv.node,
                Some("reg"),
                format!("region 0 (grant table) 0x{base:x}+0x{size:x} overlaps {}", hits.join(", ")),
            );
        }
    }
}

pub static EXTREGION_ORDER: Rule = Rule {
    id: "xen-extregion-order",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Extended regions (reg 1..N) are sorted, disjoint and unused address space",
    explanation: "
Since 2021 `reg` entries 1..N describe extended regions: unused guest-physical space the guest
may use for foreign mappings. Linux builds its unused-address-space resource from them and gives
up (-EINVAL, then falls back to ballooned pages) when an entry starts at or before the previous
entry's last byte; touching regions are fine. The binding calls them \"unused address space\",
so overlapping region 0, RAM or a device window is also reported (Linux does not check that).",
    sources: &[S5, S3, S9],
    run: extregion_order,
};

fn extregion_order(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(regs) = regions(ctx, hv) else { continue };
        let Some(&(g_base, g_size)) = regs.first() else { continue };
        let mut prev_end: Option<u64> = None;
        for (i, &(base, size)) in regs.iter().enumerate().skip(1) {
            let end = base.saturating_add(size.saturating_sub(1));
            if let Some(pe) = prev_end {
                if base <= pe {
                    out.error(
                        hv.node,
                        Some("reg"),
                        format!(
                            "extended region {i} (0x{base:x}+0x{size:x}) starts at or before the end of region {} \
                             (last byte 0x{pe:x}); Linux rejects all extended regions",
                            i - 1
                        ),
                    );
                }
            }
            prev_end = Some(end);
            let g = crate::check::context::Window { node: hv.node, base: g_base, size: g_size };
            if g.overlaps(base, size) {
                out.error(
                    hv.node,
                    Some("reg"),
                    format!("extended region {i} (0x{base:x}+0x{size:x}) overlaps region 0"),
                );
            }
            let hits = overlaps_text(ctx, hv.node, base, size);
            if !hits.is_empty() {
                out.error(
                    hv.node,
                    Some("reg"),
                    format!(
                        "extended region {i} (0x{base:x}+0x{size:x}) is not unused: it overlaps {}",
                        hits.join(", ")
                    ),
                );
            }
        }
    }
}

pub static EXTREGION_CONVENTIONS: Rule = Rule {
    id: "xen-extregion-conventions",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Extended regions are 2 MiB aligned and at least 64 MiB, as Xen and libxl emit them",
    explanation: "
Xen (`add_ext_regions`) and libxl (`EXT_REGION_MIN_SIZE`) only emit extended regions that are
2 MiB aligned and at least 64 MiB. Other values are legal but point to a hand-made or non-Xen
producer. Not a binding requirement.",
    sources: &[S12, S14],
    run: extregion_conventions,
};

fn extregion_conventions(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(regs) = regions(ctx, hv) else { continue };
        for (i, &(base, size)) in regs.iter().enumerate().skip(1) {
            const MIB2: u64 = 2 << 20;
            let mut odd = Vec::new();
            if base % MIB2 != 0 || size % MIB2 != 0 {
                odd.push("not 2 MiB aligned");
            }
            if size < 64 << 20 {
                odd.push("smaller than 64 MiB");
            }
            if !odd.is_empty() {
                out.info(
                    hv.node,
                    Some("reg"),
                    format!(
                        "extended region {i} 0x{base:x}+0x{size:x} is {}; Xen and libxl never emit such regions",
                        odd.join(" and ")
                    ),
                );
            }
        }
    }
}

pub static EXTREGION_ABSENT: Rule = Rule {
    id: "xen-extregion-absent",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Notes when `reg` has only region 0 (no extended regions)",
    explanation: "
Extended regions \"might be absent\": Xen omits them for 32-bit guests or when disabled, and
Linux ignores them when booted with ACPI. Linux then prints \"No extended regions are found\"
and uses ballooned pages for foreign mappings (slower, uses guest RAM).",
    sources: &[S3, S9, S5, S12],
    run: extregion_absent,
};

fn extregion_absent(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        if regions(ctx, hv).is_some_and(|r| r.len() == 1) {
            out.info(
                hv.node,
                Some("reg"),
                "only region 0: no extended regions, so Linux uses ballooned pages for foreign mappings",
            );
        }
    }
}

/// Whether a compatible string names an Arm GIC.
pub fn is_gic_compatible(c: &str) -> bool {
    c.starts_with("arm,gic")
        || (c.starts_with("arm,cortex-a") && c.ends_with("-gic"))
        || matches!(
            c,
            "arm,arm11mp-gic"
                | "arm,arm1176jzf-devchip-gic"
                | "arm,eb11mp-gic"
                | "arm,tc11mp-gic"
                | "arm,pl390"
                | "qcom,msm-8660-qgic"
                | "qcom,msm-qgic2"
                | "brcm,brahma-b15-gic"
        )
}

pub static INTERRUPTS_PRESENT: Rule = Rule {
    id: "xen-interrupts-present",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node has `interrupts` (or `interrupts-extended`): the event-channel upcall",
    explanation: "
The interrupt is the event-channel upcall. Without it Linux stops Xen guest initialisation
(\"Xen event channel interrupt not found\") before the shared-info page, grant table and event
IRQ are set up, although Xen was already detected. Linux's parser and dt-schema both accept
`interrupts-extended` instead. More than one specifier is a warning: the schema says
`maxItems: 1` and Linux uses the first.

Contested: downgraded to info in Xen's ACPI stub layout (see `xen-acpi-stub`).

Fix: `interrupts = <1 15 0xf08>;` (PPI 15 = hw IRQ 31, libxl's domU default).",
    sources: &[S4, S5],
    run: interrupts_present,
};

fn interrupts_present(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        if !ctx.has(hv.node, "interrupts") && !ctx.has(hv.node, "interrupts-extended") {
            let sev = stub_severity(ctx, hv, Severity::Error);
            out.push(
                sev,
                hv.node,
                None,
                if sev == Severity::Info {
                    "no interrupts (ACPI stub layout: Xen's binding copy allows this)"
                } else {
                    "no interrupts or interrupts-extended: Linux detects Xen but stops guest init \
                     (\"Xen event channel interrupt not found\")"
                },
            );
            continue;
        }
        if let Ok(specs) = ctx.irq_specs(hv.node) {
            if specs.len() > 1 {
                let prop = if ctx.has(hv.node, "interrupts-extended") { "interrupts-extended" } else { "interrupts" };
                out.warning(
                    hv.node,
                    Some(prop),
                    format!(
                        "{} interrupt specifiers; the binding has exactly one (the event channel) and Linux uses the first",
                        specs.len()
                    ),
                );
            }
        }
    }
}

pub static INTERRUPT_PARENT_GIC: Rule = Rule {
    id: "xen-interrupt-parent-gic",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The event-channel interrupt goes to an Arm GIC, with that GIC's `#interrupt-cells`",
    explanation: "
The binding states that a GIC node is required: the upcall is a GIC PPI. The interrupt parent is
resolved as `dt-interrupt-tree` does (the node's own `interrupt-parent`, else walking up: the
first interrupt-provider ancestor or the first `interrupt-parent` found). The parent must be an
`interrupt-controller` with an Arm GIC compatible (`arm,gic-*`, `arm,cortex-a*-gic`, ...), and the
specifier must have exactly its `#interrupt-cells` cells.

Note: Zephyr's xenvm board files use `#interrupt-cells = <4>` on their GIC (4th cell = priority);
a 4-cell specifier is correct there because it matches the parent's `#interrupt-cells`.",
    sources: &[S1, S2, S3, S4, S19, S20],
    run: interrupt_parent_gic,
};

fn interrupt_parent_gic(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let id = hv.node;
        let prop = if ctx.has(id, "interrupts-extended") {
            "interrupts-extended"
        } else if ctx.has(id, "interrupts") {
            "interrupts"
        } else {
            continue;
        };
        if prop == "interrupts" {
            match ctx.irq_parent(id) {
                IrqParent::Found(_) => {}
                IrqParent::Missing => {
                    out.error(id, Some(prop), "no interrupt parent: neither the node nor an ancestor names one");
                    continue;
                }
                IrqParent::Dangling { at, phandle } => {
                    out.error(
                        id,
                        Some(prop),
                        match phandle {
                            Some(p) => {
                                format!("interrupt-parent of {} is phandle 0x{p:x}, which no node has", ctx.path(at))
                            }
                            None => format!("interrupt-parent of {} is not a single cell", ctx.path(at)),
                        },
                    );
                    continue;
                }
            }
        }
        let specs = match ctx.irq_specs(id) {
            Ok(s) => s,
            Err(e) => {
                out.error(id, Some(prop), e);
                continue;
            }
        };
        let Some(spec) = specs.first() else { continue };
        let p = spec.parent;
        let compat = ctx.compatible(p);
        if !ctx.has(p, "interrupt-controller") {
            out.error(id, Some(prop), format!("interrupt parent {} is not an interrupt-controller", ctx.path(p)));
        } else if !compat.iter().any(|c| is_gic_compatible(c)) {
            out.error(
                id,
                Some(prop),
                format!(
                    "interrupt parent {} is not an Arm GIC (compatible {}); the Xen binding requires a GIC",
                    ctx.path(p),
                    if compat.is_empty() { "absent".to_string() } else { qlist(&compat) }
                ),
            );
        }
    }
}

pub static EVTCHN_PPI: Rule = Rule {
    id: "xen-evtchn-ppi",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The event-channel interrupt is a GIC PPI (cell 0 = 1, cell 1 in 0..15)",
    explanation: "
Linux requests the event-channel IRQ with `request_percpu_irq`, which only works for a per-CPU
interrupt, i.e. a GIC PPI. In the GIC specifier the first cell is the type (0 = SPI, 1 = PPI)
and the second the PPI number 0..15 (hw IRQ 16..31). Xen gives domUs PPI 15 (hw 31) and dom0 a
free PPI chosen at boot.

Fix: `interrupts = <1 15 0xf08>;`",
    sources: &[S5, S25, S12],
    run: evtchn_ppi,
};

fn gic_spec(ctx: &Context, id: NodeId) -> Option<Vec<u32>> {
    let spec = ctx.irq_specs(id).ok()?.into_iter().next()?;
    if !ctx.compatible(spec.parent).iter().any(|c| is_gic_compatible(c)) {
        return None;
    }
    Some(spec.cells)
}

fn evtchn_ppi(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(cells) = gic_spec(ctx, hv.node) else { continue };
        let prop = if ctx.has(hv.node, "interrupts-extended") { "interrupts-extended" } else { "interrupts" };
        match (cells.first(), cells.get(1)) {
            (Some(1), Some(&n)) if n <= 15 => {}
            (Some(1), Some(&n)) => {
                out.error(
                    hv.node,
                    Some(prop),
                    format!("PPI number {n} is out of range 0..15 in {}", cells_text(&cells)),
                );
            }
            (Some(&t), _) => {
                out.error(
                    hv.node,
                    Some(prop),
                    format!(
                        "specifier {} has type {t} ({}), not 1 (PPI); Linux requests the event channel as a per-CPU \
                         interrupt, which needs a PPI",
                        cells_text(&cells),
                        if t == 0 { "SPI" } else { "unknown" }
                    ),
                );
            }
            _ => {}
        }
    }
}

pub static EVTCHN_FLAGS: Rule = Rule {
    id: "xen-evtchn-flags",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Decodes the event-channel interrupt (hw IRQ, trigger, CPU mask)",
    explanation: "
Decoding of the GIC specifier: hw IRQ = PPI number + 16; flags bits 0-3 are the trigger (1 edge
rising, 2 edge falling, 4 level high, 8 level low) and bits 8-15 the CPU mask (GICv2). Xen and
libxl emit `0xf08`: CPU mask 0xf, level-triggered, active-low; domU default `<1 15 0xf08>` (hw
IRQ 31).

With a 4-cell GIC (Zephyr's encoding), the third cell uses Zephyr's own flag values (level = 2,
edge = 4) and the fourth is a priority; these are decoded as Zephyr's, not judged by Linux's
encoding.",
    sources: &[S12, S14, S25, S26],
    run: evtchn_flags,
};

fn trigger_text(f: u32) -> &'static str {
    match f & 0xf {
        1 => "edge rising",
        2 => "edge falling",
        4 => "level high",
        8 => "level low",
        0 => "no trigger type",
        _ => "a mixed trigger type",
    }
}

fn evtchn_flags(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(cells) = gic_spec(ctx, hv.node) else { continue };
        let prop = if ctx.has(hv.node, "interrupts-extended") { "interrupts-extended" } else { "interrupts" };
        let (Some(&t), Some(&n)) = (cells.first(), cells.get(1)) else { continue };
        let hw = if t == 1 { n.saturating_add(16) } else { n.saturating_add(32) };
        let msg = match cells.len() {
            3 => {
                let f = cells.get(2).copied().unwrap_or(0);
                format!(
                    "{} = hw IRQ {hw}, {}, CPU mask 0x{:x}{}",
                    cells_text(&cells),
                    trigger_text(f),
                    (f >> 8) & 0xff,
                    if f == 0xf08 { " (what Xen and libxl emit)" } else { "; Xen and libxl emit flags 0xf08" }
                )
            }
            4 => {
                let f = cells.get(2).copied().unwrap_or(0);
                let prio = cells.get(3).copied().unwrap_or(0);
                format!(
                    "{} = hw IRQ {hw} with a 4-cell GIC (Zephyr encoding): flags {} ({}), priority 0x{prio:x}",
                    cells_text(&cells),
                    f,
                    match f {
                        2 => "level",
                        4 => "edge",
                        _ => "unknown",
                    }
                )
            }
            _ => format!("{} = hw IRQ {hw}", cells_text(&cells)),
        };
        out.info(hv.node, Some(prop), msg);
    }
}

/// Properties dt-schema adds to every (sub)schema, on top of the binding's own.
fn is_implicit_prop(name: &str) -> bool {
    matches!(
        name,
        "interrupt-parent" | "interrupts-extended" | "phandle" | "status" | "secure-status" | "pinctrl-names"
    ) || name.starts_with("bootph-")
        || name.strip_prefix("pinctrl-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

const UEFI_PROPS: [&str; 5] = [
    "xen,uefi-system-table",
    "xen,uefi-mmap-start",
    "xen,uefi-mmap-size",
    "xen,uefi-mmap-desc-size",
    "xen,uefi-mmap-desc-ver",
];

pub static ALLOWED_MEMBERS: Rule = Rule {
    id: "xen-allowed-members",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The Xen node has only `compatible`, `reg`, `interrupts` (and schema-implicit properties) and only a `uefi` child",
    explanation: "
The 2026 schema sets `additionalProperties: false` on the node and on its `uefi` child. dt-schema
adds implicit properties to every such schema: `interrupt-parent`, `interrupts-extended`,
`phandle`, `status`, `secure-status`, `bootph-*`, `pinctrl-names` and `pinctrl-<n>`. libxl and
Xen do emit `interrupt-parent` on the node. Anything else is unknown to every consumer. A child
other than `uefi` (including `uefi@...`, which Linux's libfdt lookup would still find but the
schema does not allow) is reported too.",
    sources: &[S4],
    run: allowed_members,
};

fn allowed_members(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(n) = ctx.node(hv.node) else { continue };
        for p in &n.props {
            let ok = matches!(p.name.as_str(), "compatible" | "reg" | "interrupts") || is_implicit_prop(&p.name);
            if !ok {
                out.warning(hv.node, Some(&p.name), format!("property {} is not part of the Xen binding", q(&p.name)))
                    .with_fix(Fix::RemoveProperty { path: ctx.path(hv.node), property: p.name.clone() });
            }
        }
        for &c in &n.children {
            let name = ctx.name(c);
            if name != "uefi" {
                out.warning(
                    c,
                    None,
                    if name.starts_with("uefi@") {
                        format!("child {} is not allowed by the schema (only \"uefi\"); Linux's EFI lookup would still find it", q(name))
                    } else {
                        format!("child {} is not part of the Xen binding (only \"uefi\")", q(name))
                    },
                );
                continue;
            }
            for p in ctx.node(c).map_or(&[][..], |n| n.props.as_slice()) {
                if !UEFI_PROPS.contains(&p.name.as_str()) && !is_implicit_prop(&p.name) {
                    out.warning(
                        c,
                        Some(&p.name),
                        format!("property {} is not part of the uefi node's binding", q(&p.name)),
                    )
                    .with_fix(Fix::RemoveProperty { path: ctx.path(c), property: p.name.clone() });
                }
            }
        }
    }
}

pub static STATUS_IGNORED: Rule = Rule {
    id: "xen-status-ignored",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`status` on the Xen node is ignored: `disabled` does not turn Xen support off",
    explanation: "
Linux's Xen probe finds the node by name and compatible without looking at `status`
(`of_find_compatible_node` has no availability test), so `status = \"disabled\"` does not
disable Xen support in the guest. That is probably not what the author meant (from code
reading). To hide Xen from a guest, remove the node.",
    sources: &[S5],
    run: status_ignored,
};

fn status_ignored(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(v) = ctx.prop(hv.node, "status") else { continue };
        let s = value::as_string(v);
        if s != Some("okay") {
            out.warning(
                hv.node,
                Some("status"),
                format!(
                    "status is {}; Linux ignores status on the Xen node, so this does not turn Xen support off",
                    s.map_or_else(|| crate::check::describe_bytes(v), q)
                ),
            );
        }
    }
}

/// The `/hypervisor/uefi` child (exact name) of a Xen node.
fn uefi_child(ctx: &Context, hv: &HvNode) -> Option<NodeId> {
    ctx.node(hv.node)?.children.iter().copied().find(|&c| ctx.name(c) == "uefi")
}

pub static UEFI_COMPLETE: Rule = Rule {
    id: "xen-uefi-complete",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A `uefi` child has all five `xen,uefi-*` properties",
    explanation: "
Linux reads the UEFI system table and memory map from `/hypervisor/uefi`. Without
`xen,uefi-system-table` it logs \"UEFI not found.\"; without one of the other four it logs
\"Can't find property '...' in DT!\" and boots without EFI. The schema lists all five as
required: `xen,uefi-system-table`, `xen,uefi-mmap-start` (64-bit), `xen,uefi-mmap-size`,
`xen,uefi-mmap-desc-size`, `xen,uefi-mmap-desc-ver` (32-bit). (Linux's libfdt lookup would also
accept a node named `uefi@...`; the schema does not, so only `uefi` is checked here.)",
    sources: &[S7, S4, S2],
    run: uefi_complete,
};

fn uefi_complete(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(u) = uefi_child(ctx, hv) else { continue };
        for p in UEFI_PROPS {
            if !ctx.has(u, p) {
                out.error(
                    u,
                    None,
                    if p == "xen,uefi-system-table" {
                        format!("missing {p}: Linux logs \"UEFI not found.\" and boots without EFI")
                    } else {
                        format!("missing {p}: Linux logs \"Can't find property '{p}' in DT!\" and boots without EFI")
                    },
                );
            }
        }
    }
}

pub static UEFI_SIZES: Rule = Rule {
    id: "xen-uefi-sizes",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The two uefi address properties are 8 bytes, the three size/version properties 4 bytes",
    explanation: "
The binding table and the schema give `xen,uefi-system-table` and `xen,uefi-mmap-start` as
64-bit (`/bits/ 64 <...>`) and the other three as 32-bit; Xen writes u64/u64/u32/u32/u32. Current
Linux reads a 4-byte value as 32-bit and any other length as a big-endian 64-bit value from the
first 8 bytes, so 4 or 8 bytes both work (a 4-byte address just cannot exceed 4 GiB): the other
width is a warning. Any length other than 4 or 8 is misread: error. The pre-schema example
wrote one-cell placeholders, hence many 4-byte addresses in hand-made trees.",
    sources: &[S2, S4, S7, S12],
    run: uefi_sizes,
};

fn uefi_sizes(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(u) = uefi_child(ctx, hv) else { continue };
        for (i, p) in UEFI_PROPS.iter().enumerate() {
            let Some(v) = ctx.prop(u, p) else { continue };
            let want = if i < 2 { 8 } else { 4 };
            if v.len() == want {
                continue;
            }
            if v.len() == 4 || v.len() == 8 {
                out.warning(
                    u,
                    Some(p),
                    format!(
                        "{p} is {}; the binding gives {} (Linux reads either width{})",
                        bytes(v.len()),
                        bytes(want),
                        if want == 8 { ", but a 32-bit address cannot exceed 4 GiB" } else { "" }
                    ),
                );
            } else {
                out.error(u, Some(p), format!("{p} is {}; only 4 or 8 bytes are read correctly", bytes(v.len())));
            }
        }
    }
}

fn num(v: &[u8]) -> Option<u64> {
    value::as_u32(v).map(u64::from).or_else(|| value::as_u64(v))
}

pub static UEFI_VALUES: Rule = Rule {
    id: "xen-uefi-values",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The uefi memory-map values are consistent (size a multiple of desc-size, desc-size >= 40, version 1)",
    explanation: "
These properties describe a UEFI memory map: `xen,uefi-mmap-size` must be a whole number of
descriptors of `xen,uefi-mmap-desc-size` bytes; a descriptor is at least 40 bytes
(`sizeof(EFI_MEMORY_DESCRIPTOR)`, Xen writes that, the schema example 0x30); the addresses must
be non-zero (warnings). `xen,uefi-mmap-desc-ver` other than 1 is reported as info (Xen writes 1).",
    sources: &[S12, S4],
    run: uefi_values,
};

fn uefi_values(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let Some(u) = uefi_child(ctx, hv) else { continue };
        let get = |p: &str| ctx.prop(u, p).and_then(num);
        for p in ["xen,uefi-system-table", "xen,uefi-mmap-start"] {
            if get(p) == Some(0) {
                out.warning(u, Some(p), format!("{p} is 0"));
            }
        }
        let size = get("xen,uefi-mmap-size");
        let desc = get("xen,uefi-mmap-desc-size");
        if let Some(d) = desc {
            if d < 40 {
                out.warning(
                    u,
                    Some("xen,uefi-mmap-desc-size"),
                    format!("descriptor size {d} is smaller than an EFI memory descriptor (40 bytes)"),
                );
            }
            if let Some(s) = size {
                if d != 0 && s % d != 0 {
                    out.warning(
                        u,
                        Some("xen,uefi-mmap-size"),
                        format!("memory map size 0x{s:x} is not a multiple of the descriptor size 0x{d:x}"),
                    );
                }
            }
        }
        if let Some(v) = get("xen,uefi-mmap-desc-ver") {
            if v != 1 {
                out.info(u, Some("xen,uefi-mmap-desc-ver"), format!("descriptor version {v}; Xen writes 1"));
            }
        }
    }
}

pub static UEFI_RUNTIME: Rule = Rule {
    id: "xen-uefi-runtime",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Notes that a `uefi` child enables EFI runtime services through Xen",
    explanation: "
When `/hypervisor/uefi` exists, Linux built with `CONFIG_XEN_EFI` enables EFI runtime services
routed through Xen hypercalls (the guest does not call the firmware directly). Xen writes this
child for dom0 booted through UEFI.",
    sources: &[S5],
    run: uefi_runtime,
};

fn uefi_runtime(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        if let Some(u) = uefi_child(ctx, hv) {
            out.info(u, None, "Linux (CONFIG_XEN_EFI) will use EFI runtime services through Xen hypercalls");
        }
    }
}

pub static ACPI_STUB: Rule = Rule {
    id: "xen-acpi-stub",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Recognises Xen's ACPI stub tree (root has only `chosen` and a Xen `hypervisor`)",
    explanation: "
For a dom0 booted with ACPI, Xen generates a stub tree: the root has only `/chosen` and a
`hypervisor` node with `compatible` and the `uefi` child, root cells 2/2. arm64 Linux treats such
a tree as a stub and boots with ACPI. In this layout `xen-reg-present` and
`xen-interrupts-present` are downgraded to info.

Contested: Xen's copy of the binding (`guest.txt`) says `reg` and `interrupts` are unnecessary
with ACPI; the Linux copy dropped that sentence in 2021 and the 2026 schema lists both as
required unconditionally.",
    sources: &[S6, S12, S9, S4],
    run: acpi_stub,
};

fn acpi_stub(ctx: &Context, out: &mut Out) {
    if ctx.acpi_stub {
        let hv = stub_hv(ctx).unwrap_or(ctx.root());
        out.info(
            hv,
            None,
            "the root has only /chosen and a Xen hypervisor node: Xen's ACPI stub layout, arm64 Linux boots with ACPI",
        );
    }
}

pub static HOST_DT_HYPERVISOR: Rule = Rule {
    id: "xen-host-dt-hypervisor",
    family: RuleFamily::Xen,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "In a DT given to Xen: `xen,xen` nodes are dropped; a `/hypervisor` without it ends up twice in dom0",
    explanation: "
When Xen builds dom0's tree from the host tree it skips every node compatible with `xen,xen` and
writes its own `hypervisor` node (info). A `/hypervisor` node *without* `xen,xen` is only
reported by Xen (\"Path ... is reserved\") and then copied into dom0's tree like any other node,
so dom0 ends up with two root `hypervisor` nodes (warning).

Fix: remove `/hypervisor` from the host tree, or give it the Xen compatible so Xen drops it.",
    sources: &[S12],
    run: host_dt_hypervisor,
};

fn host_dt_hypervisor(ctx: &Context, out: &mut Out) {
    for &n in ctx.with_compatible("xen,xen") {
        out.info(
            n,
            Some("compatible"),
            "Xen drops nodes compatible with \"xen,xen\" and writes its own hypervisor node for dom0",
        );
    }
    let Some(root) = ctx.node(ctx.root()) else { return };
    for &c in &root.children {
        if ctx.name(c) == "hypervisor" && !ctx.is_compatible(c, "xen,xen") {
            out.warning(
                c,
                None,
                "/hypervisor without \"xen,xen\" in a tree given to Xen: Xen only warns (\"Path /hypervisor is \
                 reserved\") and copies it, so dom0 gets two hypervisor nodes",
            );
        }
    }
}

pub static GRANT_DMA: Rule = Rule {
    id: "xen-grant-dma",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A `xen,grant-dma` IOMMU node has `#iommu-cells = <1>` and nothing else; `iommus` entries carry one cell",
    explanation: "
Xen's grant-DMA IOMMU (virtio over grants) is a node with `compatible = \"xen,grant-dma\"` and
`#iommu-cells = <1>`; the single cell of each `iommus` entry pointing to it is the backend's
domain id. libxl writes it with phandle 65001 (`GUEST_PHANDLE_IOMMU`). A wrong or missing
`#iommu-cells` is an error (every `iommus` entry is then misparsed); other properties are a
warning (the schema allows none besides `phandle`).

Example: `xen_iommu: iommu { compatible = \"xen,grant-dma\"; #iommu-cells = <1>; };` and
`iommus = <&xen_iommu 1>;` on the device (backend in domain 1).",
    sources: &[S25, S14],
    run: grant_dma,
};

fn grant_dma(ctx: &Context, out: &mut Out) {
    let nodes = ctx.with_compatible("xen,grant-dma");
    for &n in nodes {
        match ctx.prop(n, "#iommu-cells") {
            None => {
                out.error(n, None, "xen,grant-dma node without #iommu-cells (must be <1>: the backend domid)")
                    .with_fix(Fix::SetProperty {
                        path: ctx.path(n),
                        property: "#iommu-cells".into(),
                        value: 1u32.to_be_bytes().to_vec(),
                    });
            }
            Some(v) if value::as_u32(v) != Some(1) => {
                out.error(
                    n,
                    Some("#iommu-cells"),
                    format!("#iommu-cells is {}, must be <1> (the backend domid)", crate::check::describe_bytes(v)),
                )
                .with_fix(Fix::SetProperty {
                    path: ctx.path(n),
                    property: "#iommu-cells".into(),
                    value: 1u32.to_be_bytes().to_vec(),
                });
            }
            Some(_) => {}
        }
        for p in ctx.node(n).map_or(&[][..], |n| n.props.as_slice()) {
            if !matches!(p.name.as_str(), "compatible" | "#iommu-cells" | "phandle" | "linux,phandle") {
                out.warning(
                    n,
                    Some(&p.name),
                    format!("property {} is not part of the xen,grant-dma binding", q(&p.name)),
                );
            }
        }
    }
    if nodes.is_empty() {
        return;
    }
    for &dev in ctx.with_prop("iommus") {
        let Some(cells) = ctx.prop(dev, "iommus").and_then(value::as_cells) else { continue };
        let mut i = 0;
        while i < cells.len() {
            let ph = cells[i];
            let Some(&target) = ctx.phandles.get(&ph) else { break };
            let n = ctx.prop_u32(target, "#iommu-cells").unwrap_or(0) as usize;
            if nodes.contains(&target) {
                let args = cells.len() - i - 1;
                if args < 1 {
                    out.error(dev, Some("iommus"), format!("entry for {} has no backend-domid cell", ctx.path(target)));
                }
            }
            i += 1 + n.max(if nodes.contains(&target) { 1 } else { 0 });
        }
    }
}

pub static SHARED_MEMORY_RESERVED: Rule = Rule {
    id: "xen-shared-memory-reserved",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`xen,shared-memory-v1` reserved-memory nodes have `reg`, a string `xen,id` and an 8-byte `xen,offset`",
    explanation: "
Static shared memory is given to a guest as `/reserved-memory` children (Xen names them
`xen-shmem@<addr>`) with compatible `xen,shared-memory-v1`, a `reg` and a string `xen,id` naming
the region. `xen,offset` is optional: the binding defines it (a 64-bit number) for borrower VMs
only, and Xen currently writes 0 on every such node; when present it must be 8 bytes.",
    sources: &[S25, S13],
    run: shared_memory_reserved,
};

fn shared_memory_reserved(ctx: &Context, out: &mut Out) {
    for &n in ctx.with_compatible("xen,shared-memory-v1") {
        let under_rm = ctx.parent(n).is_some_and(|p| ctx.name(p) == "reserved-memory" && ctx.depth(p) == 1);
        if !under_rm {
            out.warning(n, None, "xen,shared-memory-v1 node outside /reserved-memory");
        }
        if !ctx.has(n, "reg") {
            out.warning(n, None, "no reg: the shared region has no address");
        }
        match ctx.prop(n, "xen,id") {
            None => {
                out.warning(n, None, "no xen,id: the shared region has no name");
            }
            Some(v) if value::as_string(v).is_none() => {
                out.warning(n, Some("xen,id"), format!("xen,id is {}, not a string", crate::check::describe_bytes(v)));
            }
            _ => {}
        }
        if let Some(v) = ctx.prop(n, "xen,offset") {
            if v.len() != 8 {
                out.warning(
                    n,
                    Some("xen,offset"),
                    format!("xen,offset is {}, not 8 (a 64-bit number)", bytes(v.len())),
                );
            }
        }
    }
}

pub static LIBXL_SIGNATURE: Rule = Rule {
    id: "xen-libxl-signature",
    family: RuleFamily::Xen,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Recognises a libxl-generated domU tree (`XENVM-X.Y` model, `xen,xenvm` compatible, 2/2 cells, GIC phandle 65000)",
    explanation: "
libxl writes the root of a domU tree as `model = \"XENVM-X.Y\"`,
`compatible = \"xen,xenvm-X.Y\", \"xen,xenvm\"`, `#address-cells = <2>`, `#size-cells = <2>`, and gives
the GIC phandle 65000 (`GUEST_PHANDLE_GIC`). All of these together label the tree
\"libxl-generated domU DT\"; model and compatible alone point to a template written in that
style (such as Linux's `xenvm-4.2.dts`). X.Y should equal the hypervisor node's version.",
    sources: &[S14, S12],
    run: libxl_signature,
};

fn libxl_signature(ctx: &Context, out: &mut Out) {
    let root = ctx.root();
    let model = ctx.prop_str(root, "model");
    let Some(mv) = model.and_then(|m| m.strip_prefix("XENVM-")) else { return };
    let compat = ctx.compatible(root);
    let compat_ok = compat.len() == 2 && compat[0] == format!("xen,xenvm-{mv}") && compat[1] == "xen,xenvm";
    if !compat_ok {
        return;
    }
    let cells = ctx.declared_cells(root) == (Some(2), Some(2));
    let gic65000 = ctx.phandles.get(&65000).is_some_and(|&g| ctx.compatible(g).iter().any(|c| is_gic_compatible(c)));
    let mut missing = Vec::new();
    if !cells {
        missing.push("root cells 2/2");
    }
    if !gic65000 {
        missing.push("GIC phandle 65000");
    }
    let mut msg = if missing.is_empty() {
        format!("libxl-generated domU DT (XENVM-{mv})")
    } else {
        format!("XENVM-{mv} tree in libxl's style, but not libxl output: lacks {}", missing.join(" and "))
    };
    if let Some(hv) = ctx.xen_nodes().next() {
        if let Some(v) = &hv.version {
            if v != mv {
                msg.push_str(&format!("; model says {mv} but the hypervisor node says {v}"));
            }
        }
    }
    out.info(root, Some("model"), msg);
}
