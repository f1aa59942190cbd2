//! Catalog §D Xen dom0less domains, static memory/shm/evtchn, cpupools (`dom0less-*`, `static-*`).
//!
//! Scope host-xen (a tree given to Xen), except `dom0less-partial-dt`, which runs on the
//! dom0less/libxl partial device tree (scope fragment). A domain is a node with compatible
//! `xen,domain`; every rule except `dom0less-location` checks every such node wherever it
//! is, so a misplaced domain gets its content checked too.

use std::collections::{HashMap, HashSet};

use super::{cells_text, q, size_text};
use crate::check::sources::*;
use crate::check::{string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &LOCATION,
    &CPUS,
    &MEMORY,
    &CELLS,
    &KERNEL,
    &XEN_ENHANCED,
    &XENSTORE_PROVIDER,
    &CAPABILITIES,
    &DIRECT_MAP,
    &STATIC_MEM,
    &LLC_STATIC,
    &CPUPOOL_REF,
    &ENUMS,
    &VPL011,
    &VCPU,
    &PARTIAL_DT,
    &STATIC_EVTCHN,
    &STATIC_SHM,
    &GENERATED_HYPERVISOR,
];

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// Every `xen,domain` node, in document order.
fn domains<'c>(ctx: &'c Context) -> &'c [NodeId] {
    ctx.with_compatible("xen,domain")
}

fn children<'c>(ctx: &'c Context, id: NodeId) -> &'c [NodeId] {
    ctx.node(id).map_or(&[], |n| n.children.as_slice())
}

/// The domain's name for messages: its node name.
fn dname<'c>(ctx: &'c Context, id: NodeId) -> &'c str {
    ctx.name(id)
}

/// What a module child of a domain is, from its specific compatible string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModKind {
    Kernel,
    Ramdisk,
    DeviceTree,
    /// A module with only a generic string (or another kind).
    Other,
}

fn module_kind(ctx: &Context, id: NodeId) -> Option<ModKind> {
    let compat = ctx.compatible(id);
    let has = |s: &str| compat.contains(&s);
    if has("multiboot,kernel") || has("xen,linux-zimage") {
        Some(ModKind::Kernel)
    } else if has("multiboot,ramdisk") || has("xen,linux-initrd") {
        Some(ModKind::Ramdisk)
    } else if has("multiboot,device-tree") {
        Some(ModKind::DeviceTree)
    } else if compat.iter().any(|c| c.starts_with("multiboot,") || *c == "xen,multiboot-module") {
        Some(ModKind::Other)
    } else {
        None
    }
}

/// The module children of a domain with their kind.
fn modules(ctx: &Context, dom: NodeId) -> Vec<(NodeId, ModKind)> {
    children(ctx, dom).iter().filter_map(|&c| module_kind(ctx, c).map(|k| (c, k))).collect()
}

/// How Xen reads `xen,enhanced` (`dt_property_read_string` then string compares).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Enhanced {
    Absent,
    /// Present and empty: read as `enabled`.
    Empty,
    /// No NUL inside the value (`-EILSEQ`): read as `enabled`.
    Unterminated,
    Value(String),
}

impl Enhanced {
    /// The mode Xen ends up in: `enabled`, `legacy`, `no-xenstore` or `disabled`.
    fn mode(&self) -> &'static str {
        match self {
            Enhanced::Absent => "disabled",
            Enhanced::Empty | Enhanced::Unterminated => "enabled",
            Enhanced::Value(v) => match v.as_str() {
                "enabled" => "enabled",
                "legacy" => "legacy",
                "no-xenstore" => "no-xenstore",
                _ => "disabled",
            },
        }
    }

    fn wants_xenstore(&self) -> bool {
        matches!(self.mode(), "enabled" | "legacy")
    }

    fn describe(&self) -> String {
        match self {
            Enhanced::Absent => "xen,enhanced is absent".to_string(),
            Enhanced::Empty => "xen,enhanced is empty (read as \"enabled\")".to_string(),
            Enhanced::Unterminated => "xen,enhanced is not NUL-terminated (read as \"enabled\")".to_string(),
            Enhanced::Value(v) => format!("xen,enhanced = {}", q(v)),
        }
    }
}

fn enhanced(ctx: &Context, dom: NodeId) -> Enhanced {
    match ctx.prop(dom, "xen,enhanced") {
        None => Enhanced::Absent,
        Some([]) => Enhanced::Empty,
        Some(v) => match v.iter().position(|&b| b == 0) {
            None => Enhanced::Unterminated,
            Some(end) => Enhanced::Value(String::from_utf8_lossy(v.get(..end).unwrap_or(&[])).into_owned()),
        },
    }
}

/// `memory` as Xen reads it (`dt_property_read_u64`: the first 8 bytes), in KiB.
fn memory_kib(ctx: &Context, dom: NodeId) -> Option<u64> {
    ctx.prop(dom, "memory").and_then(|v| v.get(..8)).and_then(value::as_u64)
}

fn has_static_mem(ctx: &Context, dom: NodeId) -> bool {
    ctx.has(dom, "xen,static-mem")
}

/// `capabilities` when it is one cell.
fn capabilities(ctx: &Context, dom: NodeId) -> Option<u32> {
    ctx.prop_u32(dom, "capabilities")
}

const CAP_CONTROL: u32 = 0x1;
const CAP_HARDWARE: u32 = 0x2;
const CAP_XENSTORE: u32 = 0x4;

// ---------------------------------------------------------------------------------------

pub static LOCATION: Rule = Rule {
    id: "dom0less-location",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`xen,domain` nodes are direct children of `/chosen`",
    explanation: "
Xen creates dom0less domains only from the direct children of `/chosen` whose compatible is
`xen,domain` (`create_domUs` iterates `/chosen`'s children; the early scan looks for modules at
depth 2 and 3 under it). A `xen,domain` node anywhere else is ignored: the domain is never
built and its modules are not even loaded as its modules.

Fix: move the node so that its path is `/chosen/<name>`.

Example: `chosen { domU1 { compatible = \"xen,domain\"; cpus = <1>; memory = <0 131072>; ... }; };`",
    sources: &[S13, S10],
    run: location,
};

fn location(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let parent = ctx.parent(d);
        if parent.is_some() && parent == ctx.chosen {
            continue;
        }
        let where_ = match parent {
            Some(p) => format!("its parent is {}", ctx.path(p)),
            None => "it has no parent".to_string(),
        };
        out.error(
            d,
            Some("compatible"),
            format!("this xen,domain node is not a direct child of /chosen ({where_}); Xen never builds it"),
        );
    }
}

pub static CPUS: Rule = Rule {
    id: "dom0less-cpus",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A dom0less domain has `cpus`, one cell, at least 1",
    explanation: "
`cpus` is the number of vCPUs of the domain. Xen reads it as a u32 and panics at boot with
\"Missing property 'cpus'\" when it cannot (absent, or not 4 bytes). Zero vCPUs cannot be a
domain.

Fix: `cpus = <1>;`",
    sources: &[S13, S10],
    run: cpus,
};

fn cpus(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        match ctx.prop(d, "cpus") {
            None => {
                out.error(
                    d,
                    None,
                    format!("domain {} has no cpus property; Xen panics \"Missing property 'cpus'\"", dname(ctx, d)),
                );
            }
            Some(v) => match value::as_u32(v) {
                None => {
                    out.error(
                        d,
                        Some("cpus"),
                        format!("cpus is {} bytes, not one 4-byte cell; Xen cannot read it and panics", v.len()),
                    );
                }
                Some(0) => {
                    out.error(d, Some("cpus"), "cpus = <0>: a domain needs at least one vCPU");
                }
                Some(_) => {}
            },
        }
    }
}

pub static MEMORY: Rule = Rule {
    id: "dom0less-memory",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A dom0less domain has `memory`, a 64-bit number of KiB (8 bytes)",
    explanation: "
`memory` is the domain's RAM in KiB as a 64-bit number; the documentation writes it as two
cells, `memory = <0 131072>;` (128 MiB). Xen reads it with `dt_property_read_u64`, which fails
for a value shorter than 8 bytes, and then refuses to build the domain (error). A longer value
is read from its first 8 bytes only (warning). A one-cell `memory = <131072>;` is the usual
mistake.

Fix: `memory = <0 131072>;` (the dtlens fix widens a one-cell value to 64 bits).",
    sources: &[S13, S10],
    run: memory,
};

fn memory(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let Some(v) = ctx.prop(d, "memory") else {
            out.error(
                d,
                None,
                format!("domain {} has no memory property; Xen cannot size it and does not build it", dname(ctx, d)),
            );
            continue;
        };
        if v.len() < 8 {
            let f = out.error(
                d,
                Some("memory"),
                format!(
                    "memory is {} bytes; Xen reads it as a 64-bit number (8 bytes, e.g. <0 131072> for 128 MiB) and \
                     fails on a shorter value",
                    v.len()
                ),
            );
            if let Some(kib) = value::as_u32(v) {
                f.with_fix(Fix::SetProperty {
                    path: ctx.path(d),
                    property: "memory".into(),
                    value: u64::from(kib).to_be_bytes().to_vec(),
                });
            }
        } else if v.len() > 8 {
            let kib = memory_kib(ctx, d).unwrap_or(0);
            out.warning(
                d,
                Some("memory"),
                format!(
                    "memory is {} bytes; Xen reads only the first 8 ({} KiB = {})",
                    v.len(),
                    kib,
                    size_text(kib.saturating_mul(1024))
                ),
            );
        }
    }
}

pub static CELLS: Rule = Rule {
    id: "dom0less-cells",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A domain with module or shared-memory children declares `#address-cells` and `#size-cells`",
    explanation: "
The `reg` of a domain's module children and the `xen,shared-mem` of its shared-memory children
are read with the domain node's `#address-cells`/`#size-cells`. The documentation requires both
on every domain node that has such children; without them the values are read with whatever
cells Xen's scan happens to inherit, which is rarely what the author meant.

Fix: `#address-cells = <2>; #size-cells = <1>;` (as the documentation's example), matching how
the children's `reg` are written.",
    sources: &[S10, S13],
    run: cells,
};

fn cells(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let kids = children(ctx, d);
        let first = kids
            .iter()
            .copied()
            .find(|&c| module_kind(ctx, c).is_some() || ctx.is_compatible(c, "xen,domain-shared-memory-v1"));
        let Some(first) = first else { continue };
        let (a, s) = ctx.declared_cells(d);
        let missing: Vec<&str> = [("#address-cells", a.is_none()), ("#size-cells", s.is_none())]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() {
            out.error(
                d,
                None,
                format!(
                    "domain {} has child {} but no {}; its reg/xen,shared-mem cannot be read as written",
                    dname(ctx, d),
                    ctx.name(first),
                    missing.join(" and ")
                ),
            );
        }
    }
}

pub static KERNEL: Rule = Rule {
    id: "dom0less-kernel",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A domain has exactly one kernel module, at most one ramdisk and one device tree",
    explanation: "
Each dom0less domain needs one module with `compatible = \"multiboot,kernel\",
\"multiboot,module\"` (error when there is none or more than one). A ramdisk
(`multiboot,ramdisk`) and a partial device tree (`multiboot,device-tree`) are optional; more
than one of either is a warning.

Unverified: which of several ramdisks or device trees Xen keeps (the catalog could not pin the
duplicate handling, §7). A module with only `multiboot,module` is not reliably a kernel: Xen
guesses the kind of such modules from a counter shared by the whole tree.

Fix: `module@4a000000 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <...>; };`",
    sources: &[S10, S13],
    run: kernel,
};

fn kernel(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let mods = modules(ctx, d);
        let of = |k: ModKind| mods.iter().filter(|(_, m)| *m == k).map(|(n, _)| *n).collect::<Vec<_>>();
        let kernels = of(ModKind::Kernel);
        match kernels.len() {
            0 => {
                let generic = of(ModKind::Other);
                let extra = if generic.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} has only generic module strings; Xen does not reliably take it for the kernel)",
                        ctx.name(generic[0])
                    )
                };
                out.error(
                    d,
                    None,
                    format!("domain {} has no multiboot,kernel module{extra}; Xen cannot build it", dname(ctx, d)),
                );
            }
            1 => {}
            n => {
                for &k in kernels.iter().skip(1) {
                    out.error(
                        k,
                        Some("compatible"),
                        format!(
                            "domain {} has {n} kernel modules; this one is extra (the first is {})",
                            dname(ctx, d),
                            ctx.name(kernels[0])
                        ),
                    );
                }
            }
        }
        for (kind, what) in [(ModKind::Ramdisk, "ramdisk"), (ModKind::DeviceTree, "device-tree")] {
            let list = of(kind);
            for &m in list.iter().skip(1) {
                out.warning(
                    m,
                    Some("compatible"),
                    format!(
                        "domain {} has {} multiboot,{what} modules; this one is extra (the first is {}); which one Xen \
                         uses is unverified",
                        dname(ctx, d),
                        list.len(),
                        ctx.name(list[0])
                    ),
                );
            }
        }
    }
}

pub static XEN_ENHANCED: Rule = Rule {
    id: "dom0less-xen-enhanced",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`xen,enhanced` is absent, empty, or one of `enabled`, `legacy`, `disabled`, `no-xenstore`",
    explanation: "
`xen,enhanced` (Xen 4.17) decides whether a dom0less domU is Xen-aware: whether Xen generates
a `/hypervisor` node for it and provides the PV interfaces. Xen reads it as a string:
`enabled` (also an empty value, and a value without NUL terminator, which the string reader
rejects with `-EILSEQ` and Xen then treats as enabled), `legacy`, `no-xenstore`, and
`disabled`. Any other string silently means disabled (warning). Absence means disabled too; an
info finding says, for each domain, what Xen will do.

Fix: `xen,enhanced = \"enabled\";` (or `\"no-xenstore\"` for a domain without xenstore).",
    sources: &[S10, S13, S27],
    run: xen_enhanced,
};

fn xen_enhanced(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let e = enhanced(ctx, d);
        match &e {
            Enhanced::Unterminated => {
                out.warning(
                    d,
                    Some("xen,enhanced"),
                    "xen,enhanced is not NUL-terminated; Xen's string reader fails with -EILSEQ and the domain is \
                     treated as \"enabled\"",
                );
            }
            Enhanced::Value(v) if !matches!(v.as_str(), "enabled" | "legacy" | "disabled" | "no-xenstore") => {
                out.warning(
                    d,
                    Some("xen,enhanced"),
                    format!(
                        "xen,enhanced = {}, not one of \"enabled\", \"legacy\", \"disabled\", \"no-xenstore\"; Xen \
                         silently treats it as disabled",
                        q(v)
                    ),
                );
            }
            _ => {}
        }
        let msg = if e.mode() == "disabled" {
            format!(
                "{}: domain {} is not Xen-aware (no /hypervisor node, no PV interfaces)",
                e.describe(),
                dname(ctx, d)
            )
        } else {
            format!(
                "{}: Xen generates a /hypervisor node for domain {} (mode {})",
                e.describe(),
                dname(ctx, d),
                e.mode()
            )
        };
        let prop = if e == Enhanced::Absent { None } else { Some("xen,enhanced") };
        out.info(d, prop, msg);
    }
}

pub static XENSTORE_PROVIDER: Rule = Rule {
    id: "dom0less-xenstore-provider",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A domain that asks for xenstore has a xenstore provider",
    explanation: "
A domain with `xen,enhanced` `enabled` or `legacy` (or an empty value) gets a xenstore
connection. Xen panics \"xenstore requested, but xenstore domain not present\" when no domain
provides xenstore: a dom0less domain with capability bit 0x4 (`capabilities`), or a classic
dom0 (a kernel module directly under `/chosen`).

Unverified: the exact condition in the classic-dom0 case (§7); dtlens takes a dom0 kernel
module under `/chosen` as a provider.

Fix: give one domain `capabilities = <0x4>;` (xenstore domain), boot a dom0, or set
`xen,enhanced = \"no-xenstore\";` on the domains that do not need xenstore.",
    sources: &[S13, S10],
    run: xenstore_provider,
};

fn has_classic_dom0(ctx: &Context) -> bool {
    let Some(ch) = ctx.chosen else { return false };
    children(ctx, ch).iter().any(|&c| matches!(module_kind(ctx, c), Some(ModKind::Kernel | ModKind::Other)))
}

fn xenstore_provider(ctx: &Context, out: &mut Out) {
    let provider = domains(ctx).iter().any(|&d| capabilities(ctx, d).is_some_and(|c| c & CAP_XENSTORE != 0));
    if provider || has_classic_dom0(ctx) {
        return;
    }
    for &d in domains(ctx) {
        let e = enhanced(ctx, d);
        if e.wants_xenstore() {
            out.warning(
                d,
                Some("xen,enhanced"),
                format!(
                    "{} asks for xenstore, but no domain has capability 0x4 and there is no dom0 kernel under \
                     /chosen; Xen panics \"xenstore requested, but xenstore domain not present\"",
                    e.describe()
                ),
            );
        }
    }
}

pub static CAPABILITIES: Rule = Rule {
    id: "dom0less-capabilities",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`capabilities` uses only bits 0x1/0x2/0x4, one hardware and one xenstore domain at most",
    explanation: "
`capabilities` (Xen 4.21) is a u32 bit set: 0x1 control domain, 0x2 hardware domain, 0x4
xenstore domain. Xen rejects unknown bits, a second hardware domain and a second xenstore
domain. The hardware domain gets the host's devices, so it must not have a `passthrough`
property, a `multiboot,device-tree` module (partial device tree) or `nr_spis`.

Fix: `capabilities = <0x3>;` on one domain (control + hardware), no other bits.",
    sources: &[S10, S13],
    run: capabilities_rule,
};

fn capabilities_rule(ctx: &Context, out: &mut Out) {
    let mut hw_first: Option<NodeId> = None;
    let mut xs_first: Option<NodeId> = None;
    for &d in domains(ctx) {
        let Some(v) = ctx.prop(d, "capabilities") else { continue };
        let Some(c) = value::as_u32(v) else {
            out.error(d, Some("capabilities"), format!("capabilities is {} bytes, not one u32 cell", v.len()));
            continue;
        };
        let unknown = c & !(CAP_CONTROL | CAP_HARDWARE | CAP_XENSTORE);
        if unknown != 0 {
            out.error(
                d,
                Some("capabilities"),
                format!("capabilities = <0x{c:x}> has unknown bits 0x{unknown:x}; only 0x1, 0x2 and 0x4 exist"),
            );
        }
        for (bit, first, what) in
            [(CAP_HARDWARE, &mut hw_first, "hardware (0x2)"), (CAP_XENSTORE, &mut xs_first, "xenstore (0x4)")]
        {
            if c & bit == 0 {
                continue;
            }
            match first {
                Some(f) => {
                    out.error(
                        d,
                        Some("capabilities"),
                        format!("a second {what} domain; {} already has that capability", ctx.path(*f)),
                    );
                }
                None => *first = Some(d),
            }
        }
        if c & CAP_HARDWARE != 0 {
            if ctx.has(d, "passthrough") {
                out.error(d, Some("passthrough"), "the hardware domain (capability 0x2) must not have passthrough");
            }
            if ctx.has(d, "nr_spis") {
                out.error(d, Some("nr_spis"), "the hardware domain (capability 0x2) must not have nr_spis");
            }
            for (m, k) in modules(ctx, d) {
                if k == ModKind::DeviceTree {
                    out.error(
                        m,
                        Some("compatible"),
                        format!(
                            "{} is a partial device tree module of the hardware domain (capability 0x2); Xen rejects it",
                            ctx.name(m)
                        ),
                    );
                }
            }
        }
    }
}

pub static DIRECT_MAP: Rule = Rule {
    id: "dom0less-direct-map",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`direct-map` only together with `xen,static-mem`",
    explanation: "
`direct-map` (empty) maps the domain's guest physical memory 1:1 onto host memory. Xen can only
do that for statically allocated memory and panics when a domain has `direct-map` without
`xen,static-mem`.

Fix: add `xen,static-mem = <...>;` with the host banks, or remove `direct-map`.",
    sources: &[S10, S13],
    run: direct_map,
};

fn direct_map(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        if ctx.has(d, "direct-map") && !has_static_mem(ctx, d) {
            out.error(
                d,
                Some("direct-map"),
                format!("domain {} has direct-map but no xen,static-mem; Xen panics", dname(ctx, d)),
            );
        }
    }
}

pub static STATIC_MEM: Rule = Rule {
    id: "dom0less-static-mem",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`xen,static-mem` fits the cells in force; `memory` equals its total size",
    explanation: "
`xen,static-mem` lists host memory banks `<address size>` for the domain. Since Xen 4.17 (commit
`942ac5fc15`) they are read with the cells in force for the domain node, i.e. `/chosen`'s
`#address-cells`/`#size-cells` as Xen's scan inherits them; the length must be a whole number
of banks (error). `memory` must equal the total of the banks (warning: Xen rejects a mismatch
when it assigns the banks). The old private properties `#xen,static-mem-address-cells` and
`#xen,static-mem-size-cells` are no longer read (warning).

Fix: in `/chosen` `#address-cells = <2>; #size-cells = <2>;`, then
`xen,static-mem = <0x0 0x30000000 0x0 0x20000000>; memory = <0x0 0x80000>;`",
    sources: &[S10, S13],
    run: static_mem,
};

fn static_mem(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        for legacy in ["#xen,static-mem-address-cells", "#xen,static-mem-size-cells"] {
            if ctx.has(d, legacy) {
                out.warning(
                    d,
                    Some(legacy),
                    format!(
                        "{legacy} is the pre-4.17 form; Xen now reads xen,static-mem with /chosen's \
                         #address-cells/#size-cells and ignores it"
                    ),
                )
                .with_fix(Fix::RemoveProperty { path: ctx.path(d), property: legacy.into() });
            }
        }
        let Some(v) = ctx.prop(d, "xen,static-mem") else { continue };
        let (a, s) = match ctx.parent(d) {
            Some(p) => ctx.xen_child_cells(p),
            None => (2, 1),
        };
        let per = (a as usize).saturating_add(s as usize);
        let cells = value::as_cells(v);
        let banks = cells.as_deref().and_then(|c| if v.is_empty() { None } else { value::group(c, per) });
        let Some(banks) = banks else {
            out.error(
                d,
                Some("xen,static-mem"),
                format!(
                    "xen,static-mem is {} bytes, not a whole number of <address size> banks of {a}+{s} cells (the \
                     cells in force for {})",
                    v.len(),
                    ctx.path(d)
                ),
            );
            continue;
        };
        let total =
            banks.iter().fold(0u64, |t, b| t.saturating_add(value::cells_to_u64(b.get(a as usize..).unwrap_or(&[]))));
        if let Some(kib) = memory_kib(ctx, d) {
            if kib.saturating_mul(1024) != total {
                out.warning(
                    d,
                    Some("memory"),
                    format!(
                        "memory = {kib} KiB ({}) but xen,static-mem totals {} in {} bank(s)",
                        size_text(kib.saturating_mul(1024)),
                        size_text(total),
                        banks.len()
                    ),
                )
                .with_fix(Fix::SetProperty {
                    path: ctx.path(d),
                    property: "memory".into(),
                    value: (total / 1024).to_be_bytes().to_vec(),
                });
            }
        }
    }
}

pub static LLC_STATIC: Rule = Rule {
    id: "dom0less-llc-static",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`llc-colors` is not combined with `xen,static-mem`",
    explanation: "
Cache colouring (`llc-colors`, Xen 4.20) chooses the domain's pages by colour; static memory
fixes them by address. The two cannot both hold and Xen panics when a domain has both.

Fix: remove one of `llc-colors` and `xen,static-mem`.",
    sources: &[S13, S10],
    run: llc_static,
};

fn llc_static(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        if ctx.has(d, "llc-colors") && has_static_mem(ctx, d) {
            out.error(
                d,
                Some("llc-colors"),
                format!("domain {} has both llc-colors and xen,static-mem; Xen panics", dname(ctx, d)),
            );
        }
    }
}

pub static CPUPOOL_REF: Rule = Rule {
    id: "dom0less-cpupool-ref",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`domain-cpupool` is a phandle to a `xen,cpupool` node",
    explanation: "
`domain-cpupool = <&cpupool_a>;` puts the domain in a boot-time cpupool. Xen resolves the
phandle and expects a node with compatible `xen,cpupool` (under `/chosen`); anything else is a
boot failure.

Fix: point it at a `cpupool { compatible = \"xen,cpupool\"; cpupool-cpus = <...>; };` node.",
    sources: &[S10, S13, S11],
    run: cpupool_ref,
};

fn cpupool_ref(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let Some(v) = ctx.prop(d, "domain-cpupool") else { continue };
        let Some(ph) = value::as_u32(v) else {
            out.error(d, Some("domain-cpupool"), format!("domain-cpupool is {} bytes, not one phandle", v.len()));
            continue;
        };
        match ctx.phandles.get(&ph) {
            None => {
                out.error(d, Some("domain-cpupool"), format!("domain-cpupool is phandle 0x{ph:x}, which no node has"));
            }
            Some(&t) if !ctx.is_compatible(t, "xen,cpupool") => {
                out.error(
                    d,
                    Some("domain-cpupool"),
                    format!("domain-cpupool points to {}, which is not compatible with \"xen,cpupool\"", ctx.path(t)),
                );
            }
            Some(_) => {}
        }
    }
}

pub static ENUMS: Rule = Rule {
    id: "dom0less-enums",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Dom0less enumerated and bounded properties have allowed values",
    explanation: "
Values Xen accepts for the domain's option properties: `passthrough` `enabled`/`disabled`;
`xen,sci_type` `none`/`scmi_smc`; `v8r_el1_msa` `mmu`/`mpu` (and `mpu` only with
`xen,static-mem` and `direct-map`); `trap-unmapped-accesses` 0 or 1; `max_grant_version` 1 or 2;
`max_grant_frames`, `max_maptrack_frames` at most 0x7fffffff; `sve` empty, 0, or a multiple of
128 from 128 to 2048. Other values are rejected or silently ignored depending on the property.

Fix: use one of the values listed in the message.",
    sources: &[S10, S13],
    run: enums,
};

fn enums(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        for (prop, allowed) in [
            ("passthrough", &["enabled", "disabled"][..]),
            ("xen,sci_type", &["none", "scmi_smc"][..]),
            ("v8r_el1_msa", &["mmu", "mpu"][..]),
        ] {
            let Some(v) = ctx.prop(d, prop) else { continue };
            match value::as_string(v) {
                Some(s) if allowed.contains(&s) => {
                    if prop == "v8r_el1_msa" && s == "mpu" && !(has_static_mem(ctx, d) && ctx.has(d, "direct-map")) {
                        out.warning(
                            d,
                            Some(prop),
                            "v8r_el1_msa = \"mpu\" needs both xen,static-mem and direct-map on the domain",
                        );
                    }
                }
                Some(s) => {
                    out.warning(
                        d,
                        Some(prop),
                        format!(
                            "{prop} = {}, not one of {}",
                            q(s),
                            allowed.iter().map(|a| q(a)).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
                None => {
                    out.warning(d, Some(prop), format!("{prop} is not a single string ({} bytes)", v.len()));
                }
            }
        }
        for (prop, ok, want) in [
            ("trap-unmapped-accesses", (|x: u32| x <= 1) as fn(u32) -> bool, "0 or 1"),
            ("max_grant_version", |x| x == 1 || x == 2, "1 or 2"),
            ("max_grant_frames", |x| x <= 0x7fff_ffff, "at most 0x7fffffff"),
            ("max_maptrack_frames", |x| x <= 0x7fff_ffff, "at most 0x7fffffff"),
        ] {
            let Some(v) = ctx.prop(d, prop) else { continue };
            match value::as_u32(v) {
                Some(x) if ok(x) => {}
                Some(x) => {
                    out.warning(d, Some(prop), format!("{prop} = <{x}> (0x{x:x}); it must be {want}"));
                }
                None => {
                    out.warning(d, Some(prop), format!("{prop} is {} bytes, not one u32 cell", v.len()));
                }
            }
        }
        if let Some(v) = ctx.prop(d, "sve") {
            if !v.is_empty() {
                match value::as_u32(v) {
                    Some(0) => {}
                    Some(x) if x % 128 == 0 && (128..=2048).contains(&x) => {}
                    Some(x) => {
                        out.warning(
                            d,
                            Some("sve"),
                            format!("sve = <{x}>; it must be empty, 0, or a multiple of 128 from 128 to 2048"),
                        );
                    }
                    None => {
                        out.warning(
                            d,
                            Some("sve"),
                            format!("sve is {} bytes, not empty and not one u32 cell", v.len()),
                        );
                    }
                }
            }
        }
    }
}

pub static VPL011: Rule = Rule {
    id: "dom0less-vpl011",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`vpl011` is empty; it takes guest SPI 0 (IRQ 32)",
    explanation: "
`vpl011` is a flag: the domain gets an emulated PL011 UART. It must be empty (warning
otherwise). The emulated UART uses the guest's first SPI, `GUEST_VPL011_SPI` = 32 (SPI 0): a
passed-through device must not use the same SPI, and `nr_spis`, when given, must be large
enough to include it (warning for `nr_spis = <0>`; info otherwise, as a reminder).

Fix: `vpl011;`",
    sources: &[S10, S12],
    run: vpl011,
};

fn vpl011(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let Some(v) = ctx.prop(d, "vpl011") else { continue };
        if !v.is_empty() {
            out.warning(d, Some("vpl011"), format!("vpl011 is a flag but has a {}-byte value", v.len()))
                .with_fix(Fix::SetProperty { path: ctx.path(d), property: "vpl011".into(), value: Vec::new() });
        }
        match ctx.prop_u32(d, "nr_spis") {
            Some(0) => {
                out.warning(d, Some("nr_spis"), "nr_spis = <0> but vpl011 needs guest SPI 0 (IRQ 32)");
            }
            _ => {
                out.info(
                    d,
                    Some("vpl011"),
                    format!(
                        "the emulated PL011 of domain {} uses guest SPI 0 (IRQ 32); no passed-through device may use it",
                        dname(ctx, d)
                    ),
                );
            }
        }
    }
}

pub static VCPU: Rule = Rule {
    id: "dom0less-vcpu",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`xen,vcpu` children have a unique `id` below `cpus` and a valid `hard-affinity`",
    explanation: "
A domain's `xen,vcpu` children (Xen 4.21) set per-vCPU options. Each needs `id`, a u32 vCPU
number below the domain's `cpus`, unique within the domain (error otherwise: Xen fails to build
the domain). `hard-affinity` is a string of physical CPU numbers and ranges, e.g. `\"0-3,5\"`
(warning on a syntax error).

Example: `vcpu0 { compatible = \"xen,vcpu\"; id = <0>; hard-affinity = \"0-3\"; };`",
    sources: &[S10, S13],
    run: vcpu,
};

/// Whether `s` is a CPU list: `N` or `N-M` (N ≤ M), comma-separated.
fn cpu_list_ok(s: &str) -> bool {
    let num = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) && t.parse::<u32>().is_ok();
    !s.is_empty()
        && s.split(',').all(|item| match item.split_once('-') {
            Some((a, b)) => num(a) && num(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
            None => num(item),
        })
}

fn vcpu(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let ncpus = ctx.prop_u32(d, "cpus");
        let mut seen: HashMap<u32, NodeId> = HashMap::new();
        for &c in children(ctx, d) {
            if !ctx.is_compatible(c, "xen,vcpu") {
                continue;
            }
            match ctx.prop(c, "id") {
                None => {
                    out.error(c, None, format!("xen,vcpu node {} has no id", ctx.name(c)));
                }
                Some(v) => match value::as_u32(v) {
                    None => {
                        out.error(c, Some("id"), format!("id is {} bytes, not one u32 cell", v.len()));
                    }
                    Some(id) => {
                        if let Some(n) = ncpus {
                            if id >= n {
                                out.error(
                                    c,
                                    Some("id"),
                                    format!("id = <{id}> but domain {} has cpus = <{n}> (vCPUs 0..{n})", dname(ctx, d)),
                                );
                            }
                        }
                        if let Some(&prev) = seen.get(&id) {
                            out.error(c, Some("id"), format!("id = <{id}> is also used by {}", ctx.path(prev)));
                        } else {
                            seen.insert(id, c);
                        }
                    }
                },
            }
            if let Some(v) = ctx.prop(c, "hard-affinity") {
                match value::as_string(v) {
                    Some(s) if cpu_list_ok(s) => {}
                    Some(s) => {
                        out.warning(
                            c,
                            Some("hard-affinity"),
                            format!("hard-affinity = {} is not a CPU list like \"0-3,5\"", q(s)),
                        );
                    }
                    None => {
                        out.warning(c, Some("hard-affinity"), "hard-affinity is not a single string");
                    }
                }
            }
        }
    }
}

pub static PARTIAL_DT: Rule = Rule {
    id: "dom0less-partial-dt",
    family: RuleFamily::Dom0less,
    scope: Scope::Fragment,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A partial device tree has a well-formed `/passthrough` with `xen,reg`/`xen,path` device nodes",
    explanation: "
The partial device tree given to a dom0less domain (`multiboot,device-tree` module) or to libxl
describes passed-through devices under `/passthrough`, which must be a bus Xen can copy:
`compatible` containing `simple-bus`, `ranges`, `#address-cells`, `#size-cells`. Each device
node carries `xen,reg` (`<phys size guest>` triplets, 4 KiB aligned, read with 1-2 address and
size cells of its parent) and `xen,path` (the device's path in the host tree), or `xen,reg`
with `xen,force-assign-without-iommu` for a device that is not behind an IOMMU. Optional:
`/aliases` and a `/gic` placeholder.

Not checked here: whether `xen,path` names an existing host node (the host tree is another
blob); dtlens only checks that it is an absolute path.

Example: `passthrough { compatible = \"simple-bus\"; ranges; #address-cells = <2>;
#size-cells = <2>; ethernet@10000000 { ... xen,reg = <0x0 0xe0000000 0x0 0x1000 0x0 0x10000000>;
xen,path = \"/soc/ethernet@e0000000\"; }; };`",
    sources: &[S11, S13],
    run: partial_dt,
};

fn partial_dt(ctx: &Context, out: &mut Out) {
    let Some(pt) =
        ctx.node(ctx.root()).and_then(|r| r.children.iter().copied().find(|&c| ctx.name(c) == "passthrough"))
    else {
        return;
    };
    if !ctx.is_compatible(pt, "simple-bus") {
        let compat = ctx.compatible(pt);
        let mut fixed = compat.clone();
        fixed.push("simple-bus");
        let f = out.warning(
            pt,
            Some("compatible"),
            format!(
                "/passthrough compatible is {} without \"simple-bus\"",
                if compat.is_empty() { "absent".to_string() } else { super::qlist(&compat) }
            ),
        );
        f.with_fix(Fix::SetProperty {
            path: ctx.path(pt),
            property: "compatible".into(),
            value: string_list_bytes(&fixed),
        });
    }
    for p in ["ranges", "#address-cells", "#size-cells"] {
        if !ctx.has(pt, p) {
            out.warning(pt, None, format!("/passthrough has no {p}"));
        }
    }
    // Device nodes: every node below /passthrough that has any passthrough or device property.
    let start = ctx.doc_index(pt) as usize;
    let pt_depth = ctx.depth(pt);
    for &(id, depth) in ctx.order.iter().skip(start.saturating_add(1)) {
        // Pre-order: the subtree ends at the first node that is not deeper than /passthrough.
        if depth <= pt_depth {
            break;
        }
        let xreg = ctx.prop(id, "xen,reg");
        let xpath = ctx.prop(id, "xen,path");
        let force = ctx.has(id, "xen,force-assign-without-iommu");
        let device = xreg.is_some() || xpath.is_some() || force || ctx.has(id, "reg") || ctx.has(id, "interrupts");
        if !device {
            continue;
        }
        if xreg.is_none() || !(xpath.is_some() || force) {
            let missing = match (xreg.is_some(), xpath.is_some(), force) {
                (false, true, _) | (false, _, true) => "xen,reg",
                (false, false, false) => "xen,reg and xen,path",
                _ => "xen,path (or xen,force-assign-without-iommu)",
            };
            out.warning(id, None, format!("device node {} has no {missing}; Xen will not map it", ctx.name(id)));
        }
        if let Some(v) = xpath {
            match value::as_string(v) {
                Some(s) if s.starts_with('/') => {}
                Some(s) => {
                    out.warning(id, Some("xen,path"), format!("xen,path = {} is not an absolute host path", q(s)));
                }
                None => {
                    out.warning(id, Some("xen,path"), "xen,path is not a single string");
                }
            }
        }
        if let Some(v) = xreg {
            let Some(parent) = ctx.parent(id) else { continue };
            let (a, s) = ctx.child_cells(parent);
            if !(1..=2).contains(&a) || !(1..=2).contains(&s) {
                out.warning(
                    id,
                    Some("xen,reg"),
                    format!("xen,reg is read with #address-cells = {a}, #size-cells = {s}; Xen supports 1-2 of each"),
                );
                continue;
            }
            let per = (2 * a + s) as usize;
            let Some(trip) = value::as_cells(v).and_then(|c| {
                if c.is_empty() {
                    None
                } else {
                    value::group(&c, per).map(|g| g.into_iter().map(<[u32]>::to_vec).collect::<Vec<_>>())
                }
            }) else {
                out.warning(
                    id,
                    Some("xen,reg"),
                    format!("xen,reg is {} bytes, not whole <phys size guest> triplets of {a}+{s}+{a} cells", v.len()),
                );
                continue;
            };
            let (a, s) = (a as usize, s as usize);
            for (i, t) in trip.iter().enumerate() {
                let phys = value::cells_to_u64(t.get(..a).unwrap_or(&[]));
                let size = value::cells_to_u64(t.get(a..a + s).unwrap_or(&[]));
                let guest = value::cells_to_u64(t.get(a + s..).unwrap_or(&[]));
                let bad: Vec<String> = [("phys", phys), ("size", size), ("guest", guest)]
                    .iter()
                    .filter(|(_, x)| x % 0x1000 != 0)
                    .map(|(n, x)| format!("{n} 0x{x:x}"))
                    .collect();
                if !bad.is_empty() {
                    out.warning(
                        id,
                        Some("xen,reg"),
                        format!("xen,reg entry {} {} is not 4 KiB aligned ({})", i + 1, cells_text(t), bad.join(", ")),
                    );
                }
            }
        }
    }
}

pub static STATIC_EVTCHN: Rule = Rule {
    id: "static-evtchn",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Static event channels: `xen,evtchn-v1` nodes under `/chosen` or a domain, linked both ways",
    explanation: "
A static event channel (Xen 4.17) is a pair of nodes with compatible `xen,evtchn-v1`, one per
end: directly under `/chosen` for dom0, or directly under a `xen,domain` node. Each has
`xen,evtchn = <local-port &peer>`: at least 8 bytes (error), the phandle must resolve to the
other end, itself a `xen,evtchn-v1` node whose `xen,evtchn` points back (error if not
symmetric). Ports of the 2-level ABI are below 4096; the FIFO ABI allows up to 2^17 (warning
beyond either). A domU that uses static event channels should set
`xen,enhanced = \"no-xenstore\"` (info), because the channels are meant for domains without
xenstore.

Documentation drift: the prose of `booting.txt` says `xen,evtchn`, its example and Xen's code
(`static-evtchn.c`) use `xen,evtchn-v1`; a node with only the unsuffixed string is ignored by
Xen (warning).

Example: `ec1: evtchn@1 { compatible = \"xen,evtchn-v1\"; xen,evtchn = <0xa &ec2>; };`",
    sources: &[S10, S13],
    run: static_evtchn,
};

const EVTCHN: &str = "xen,evtchn-v1";

/// `xen,evtchn` of a node as (port, phandle).
fn evtchn_pair(ctx: &Context, id: NodeId) -> Option<(u32, u32)> {
    let v = ctx.prop(id, "xen,evtchn")?;
    let port = value::as_u32(v.get(..4)?)?;
    let ph = value::as_u32(v.get(4..8)?)?;
    Some((port, ph))
}

fn static_evtchn(ctx: &Context, out: &mut Out) {
    for &n in ctx.with_compatible("xen,evtchn") {
        if ctx.is_compatible(n, EVTCHN) {
            continue;
        }
        let compat = ctx.compatible(n);
        let fixed: Vec<&str> = compat.iter().map(|c| if *c == "xen,evtchn" { EVTCHN } else { *c }).collect();
        out.warning(
            n,
            Some("compatible"),
            "compatible \"xen,evtchn\" (as the prose of booting.txt says) is not matched by Xen, which only looks for \
             \"xen,evtchn-v1\"; this event channel is ignored",
        )
        .with_fix(Fix::SetProperty {
            path: ctx.path(n),
            property: "compatible".into(),
            value: string_list_bytes(&fixed),
        });
    }
    let mut informed: HashSet<NodeId> = HashSet::new();
    for &n in ctx.with_compatible(EVTCHN) {
        let parent = ctx.parent(n);
        let in_dom0 = parent.is_some() && parent == ctx.chosen;
        let in_domu = parent.is_some_and(|p| ctx.is_compatible(p, "xen,domain"));
        if !in_dom0 && !in_domu {
            out.error(
                n,
                Some("compatible"),
                format!(
                    "static event channel {} is under {}, not directly under /chosen (dom0) or a xen,domain node",
                    ctx.name(n),
                    parent.map_or_else(|| "nothing".to_string(), |p| ctx.path(p))
                ),
            );
        }
        let Some(v) = ctx.prop(n, "xen,evtchn") else {
            out.error(n, None, format!("static event channel {} has no xen,evtchn", ctx.name(n)));
            continue;
        };
        let Some((port, ph)) = evtchn_pair(ctx, n) else {
            out.error(
                n,
                Some("xen,evtchn"),
                format!("xen,evtchn is {} bytes; it must be <local-port &peer> (8 bytes)", v.len()),
            );
            continue;
        };
        if port >= 1 << 17 {
            out.warning(n, Some("xen,evtchn"), format!("local port {port} is beyond the FIFO ABI's 2^17 ports"));
        } else if port >= 4096 {
            out.warning(
                n,
                Some("xen,evtchn"),
                format!("local port {port} is beyond the 2-level ABI's 4096 ports; it needs the FIFO ABI"),
            );
        }
        match ctx.phandles.get(&ph) {
            None => {
                out.error(n, Some("xen,evtchn"), format!("xen,evtchn peer is phandle 0x{ph:x}, which no node has"));
            }
            Some(&peer) if !ctx.is_compatible(peer, EVTCHN) => {
                out.error(
                    n,
                    Some("xen,evtchn"),
                    format!("xen,evtchn peer {} is not a \"xen,evtchn-v1\" node", ctx.path(peer)),
                );
            }
            Some(&peer) => {
                let back = evtchn_pair(ctx, peer).and_then(|(_, p)| ctx.phandles.get(&p).copied());
                if back != Some(n) {
                    let said = match back {
                        Some(b) => format!("points to {}", ctx.path(b)),
                        None => "does not point to any node".to_string(),
                    };
                    out.error(
                        n,
                        Some("xen,evtchn"),
                        format!(
                            "xen,evtchn peer {} {said}, not back to this node: the link is not symmetric",
                            ctx.path(peer)
                        ),
                    );
                }
            }
        }
        if let (true, Some(p)) = (in_domu, parent) {
            if enhanced(ctx, p).mode() != "no-xenstore" && informed.insert(p) {
                out.info(
                    p,
                    None,
                    format!(
                        "domain {} uses static event channels; {} (\"no-xenstore\" is the intended setting)",
                        dname(ctx, p),
                        enhanced(ctx, p).describe()
                    ),
                );
            }
        }
    }
}

pub static STATIC_SHM: Rule = Rule {
    id: "static-shm",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Static shared memory nodes: id, role, aligned non-overlapping regions",
    explanation: "
Static shared memory (Xen 4.17) is described by nodes with compatible
`xen,domain-shared-memory-v1`, directly under `/chosen` (dom0) or a `xen,domain` node. Xen's
`process_shm_node` requires: `xen,shm-id`, a string of at most 15 characters; `role`, when
present, `owner` or `borrower`; `xen,shared-mem = <host guest size>` (or `<guest size>` to let
Xen choose the host memory) read with the cells in force for the node (its parent's), all 4 KiB
aligned, size > 0, no wrap-around. Regions with the same id must have the same host address
and size; regions with different ids must not overlap; in a direct-mapped domain the guest
address must equal the host address. All of these are errors. More than one `owner` for one id
is a warning.

Example: `shm@1 { compatible = \"xen,domain-shared-memory-v1\"; role = \"owner\";
xen,shm-id = \"my-shared-mem-0\"; xen,shared-mem = <0x10000000 0x10000000 0x10000000>; };`",
    sources: &[S10, S13, S25],
    run: static_shm,
};

fn static_shm(ctx: &Context, out: &mut Out) {
    // (host, size, node) per id, the first seen; owners per id.
    let mut by_id: HashMap<String, (Option<u64>, u64, NodeId)> = HashMap::new();
    let mut owners: HashMap<String, Vec<NodeId>> = HashMap::new();
    let mut hosts: Vec<(u64, u64, String, NodeId)> = Vec::new();
    for &n in ctx.with_compatible("xen,domain-shared-memory-v1") {
        let parent = ctx.parent(n);
        let in_dom0 = parent.is_some() && parent == ctx.chosen;
        let in_domu = parent.is_some_and(|p| ctx.is_compatible(p, "xen,domain"));
        if !in_dom0 && !in_domu {
            out.error(
                n,
                Some("compatible"),
                format!(
                    "shared-memory node {} is under {}, not directly under /chosen or a xen,domain node",
                    ctx.name(n),
                    parent.map_or_else(|| "nothing".to_string(), |p| ctx.path(p))
                ),
            );
        }
        let id = match ctx.prop(n, "xen,shm-id") {
            None => {
                out.error(n, None, format!("shared-memory node {} has no xen,shm-id", ctx.name(n)));
                None
            }
            Some(v) => match value::as_string(v) {
                Some(s) if s.len() <= 15 => Some(s.to_string()),
                Some(s) => {
                    out.error(
                        n,
                        Some("xen,shm-id"),
                        format!("xen,shm-id = {} is {} characters; Xen allows at most 15", q(s), s.len()),
                    );
                    Some(s.to_string())
                }
                None => {
                    out.error(n, Some("xen,shm-id"), "xen,shm-id is not a single string");
                    None
                }
            },
        };
        match ctx.prop(n, "role").map(value::as_string) {
            None | Some(Some("borrower")) => {}
            Some(Some("owner")) => {
                if let Some(id) = &id {
                    owners.entry(id.clone()).or_default().push(n);
                }
            }
            Some(Some(r)) => {
                out.error(n, Some("role"), format!("role = {}, not \"owner\" or \"borrower\"", q(r)));
            }
            Some(None) => {
                out.error(n, Some("role"), "role is not a single string");
            }
        }
        let Some(v) = ctx.prop(n, "xen,shared-mem") else {
            out.error(n, None, format!("shared-memory node {} has no xen,shared-mem", ctx.name(n)));
            continue;
        };
        let (a, s) = parent.map_or((2, 1), |p| ctx.xen_child_cells(p));
        if !(1..=2).contains(&a) || !(1..=2).contains(&s) {
            out.error(
                n,
                Some("xen,shared-mem"),
                format!("the cells in force are #address-cells = {a}, #size-cells = {s}; Xen reads 1-2 of each"),
            );
            continue;
        }
        let (au, su) = (a as usize, s as usize);
        let cells = value::as_cells(v).unwrap_or_default();
        let (host, guest, size) = if v.len() == (2 * au + su) * 4 {
            let c = &cells;
            (
                Some(value::cells_to_u64(c.get(..au).unwrap_or(&[]))),
                value::cells_to_u64(c.get(au..2 * au).unwrap_or(&[])),
                value::cells_to_u64(c.get(2 * au..).unwrap_or(&[])),
            )
        } else if v.len() == (au + su) * 4 {
            (
                None,
                value::cells_to_u64(cells.get(..au).unwrap_or(&[])),
                value::cells_to_u64(cells.get(au..).unwrap_or(&[])),
            )
        } else {
            out.error(
                n,
                Some("xen,shared-mem"),
                format!(
                    "xen,shared-mem is {} bytes; with {a}+{s} cells it must be <host guest size> ({} bytes) or \
                     <guest size> ({} bytes)",
                    v.len(),
                    (2 * au + su) * 4,
                    (au + su) * 4
                ),
            );
            continue;
        };
        let mut problems = Vec::new();
        if size == 0 {
            problems.push("size is 0".to_string());
        }
        for (what, x) in [("host", host), ("guest", Some(guest)), ("size", Some(size))] {
            if let Some(x) = x {
                if x % 0x1000 != 0 {
                    problems.push(format!("{what} 0x{x:x} is not 4 KiB aligned"));
                }
            }
        }
        for (what, x) in [("host", host), ("guest", Some(guest))] {
            if let Some(x) = x {
                if size > 0 && x.checked_add(size - 1).is_none() {
                    problems.push(format!("{what} 0x{x:x} + size 0x{size:x} wraps around"));
                }
            }
        }
        if !problems.is_empty() {
            out.error(
                n,
                Some("xen,shared-mem"),
                format!("xen,shared-mem {}: {}", cells_text(&cells), problems.join("; ")),
            );
        }
        if let (true, Some(p), Some(h)) = (in_domu, parent, host) {
            if ctx.has(p, "direct-map") && h != guest {
                out.error(
                    n,
                    Some("xen,shared-mem"),
                    format!(
                        "domain {} is direct-mapped, but host 0x{h:x} differs from guest 0x{guest:x}",
                        dname(ctx, p)
                    ),
                );
            }
        }
        let Some(id) = id else { continue };
        match by_id.get(&id) {
            Some(&(fh, fs, first)) => {
                if (host.is_some() && fh.is_some() && host != fh) || fs != size {
                    out.error(
                        n,
                        Some("xen,shared-mem"),
                        format!(
                            "xen,shm-id {} is also at {} with host {} size 0x{fs:x}; here host {} size 0x{size:x}",
                            q(&id),
                            ctx.path(first),
                            fh.map_or("(Xen-chosen)".to_string(), |x| format!("0x{x:x}")),
                            host.map_or("(Xen-chosen)".to_string(), |x| format!("0x{x:x}"))
                        ),
                    );
                }
            }
            None => {
                by_id.insert(id.clone(), (host, size, n));
                if let Some(h) = host {
                    if size > 0 {
                        hosts.push((h, h.saturating_add(size - 1), id, n));
                    }
                }
            }
        }
    }
    // Different ids must not overlap: sweep by start, keeping the furthest end seen.
    // Stable by (start, end): by end first, then stably by start.
    crate::order::sort_by_key(&mut hosts, |&(_, e, _, _)| e);
    crate::order::sort_by_key(&mut hosts, |&(b, _, _, _)| b);
    let mut reach: Option<(u64, usize)> = None;
    for i in 0..hosts.len() {
        let (b, e, ref id, n) = hosts[i];
        if let Some((end, j)) = reach {
            let (ob, oe, ref oid, on) = hosts[j];
            if b <= end && oid != id {
                out.error(
                    n,
                    Some("xen,shared-mem"),
                    format!(
                        "host region 0x{b:x}-0x{e:x} of xen,shm-id {} overlaps 0x{ob:x}-0x{oe:x} of xen,shm-id {} ({})",
                        q(id),
                        q(oid),
                        ctx.path(on)
                    ),
                );
            }
        }
        if reach.is_none_or(|(end, _)| e > end) {
            reach = Some((e, i));
        }
    }
    let mut ids: Vec<_> = owners.into_iter().filter(|(_, v)| v.len() > 1).collect();
    ctx.sort_by_node(&mut ids, |(_, v)| v[0]);
    for (id, list) in ids {
        for &n in list.iter().skip(1) {
            out.warning(
                n,
                Some("role"),
                format!("xen,shm-id {} has {} owners; the first is {}", q(&id), list.len(), ctx.path(list[0])),
            );
        }
    }
}

pub static GENERATED_HYPERVISOR: Rule = Rule {
    id: "dom0less-generated-hypervisor",
    family: RuleFamily::Dom0less,
    scope: Scope::HostXen,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Predicts the `/hypervisor` node Xen generates for a Xen-aware dom0less domU",
    explanation: "
For a domain whose `xen,enhanced` is not disabled, Xen builds the guest's device tree with a
`/hypervisor` node: compatible `\"xen,xen-X.Y\", \"xen,xen\"` (X.Y = the running Xen), root
`#address-cells`/`#size-cells` 2/2, `reg` region 0 = the grant-table window at `0x38000000`,
16 MiB (`GUEST_GNTTAB_BASE`/`SIZE`), possibly followed by extended regions, and the event
channel interrupt on PPI 31 (`GUEST_EVTCHN_PPI`). This info shows what the guest will see, to
compare with what it expects.

Example (what a Xen 4.19 domU receives): `hypervisor { compatible = \"xen,xen-4.19\",
\"xen,xen\"; reg = <0x0 0x38000000 0x0 0x1000000>; interrupts = <1 15 0xf08>; };`",
    sources: &[S13, S12],
    run: generated_hypervisor,
};

fn generated_hypervisor(ctx: &Context, out: &mut Out) {
    for &d in domains(ctx) {
        let e = enhanced(ctx, d);
        if e.mode() == "disabled" {
            continue;
        }
        out.info(
            d,
            None,
            format!(
                "domain {} ({}) gets /hypervisor {{ compatible = \"xen,xen-X.Y\", \"xen,xen\"; reg = <0x0 0x38000000 \
                 0x0 0x1000000> (grant table, 16 MiB); interrupts = PPI 31 }} with root cells 2/2",
                dname(ctx, d),
                e.describe()
            ),
        );
    }
}
