//! Catalog §C: the Xen host DT: `/chosen`, command lines, boot modules (`xenboot-*`).
//! Scope host-xen (a tree given to Xen), except `xenboot-hyperlaunch`, a label that runs on
//! every tree. Nodes under a Hyperlaunch `/chosen/hypervisor` are never treated as modules.

use super::{bytes, q, qlist, sibling_named, unit_of};
use crate::check::context::HvFamily;
use crate::check::sources::*;
use crate::check::{
    describe_bytes, string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity,
};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &MODULE_GENERIC,
    &MODULE_LOCATION,
    &MODULE_KIND,
    &MODULE_ORDER,
    &MODULE_GUESSING,
    &MODULE_LEGACY,
    &MODULE_REG,
    &MODULE_SIZE,
    &UEFI_BINARY,
    &CHOSEN_CELLS,
    &MODULE_UNIT_ADDRESS,
    &BOOTARGS_TYPES,
    &CMDLINE_RESOLUTION,
    &UEFI_CFG_LOAD,
    &STATIC_HEAP,
    &INITRD_PROPS,
    &PASSTHROUGH_FLAG,
    &CPUPOOL,
    &HYPERLAUNCH,
];

const GENERIC: [&str; 2] = ["multiboot,module", "xen,multiboot-module"];
const KINDS: [&str; 7] = [
    "multiboot,kernel",
    "multiboot,ramdisk",
    "xen,xsm-policy",
    "multiboot,device-tree",
    "multiboot,microcode",
    "xen,linux-zimage",
    "xen,linux-initrd",
];
const LEGACY: [&str; 3] = ["xen,multiboot-module", "xen,linux-zimage", "xen,linux-initrd"];

/// What Xen will take a module for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Kernel,
    Ramdisk,
    Xsm,
    DeviceTree,
    Microcode,
    GuestAcpi,
    /// Generic-only, guessed as XSM policy or ramdisk depending on the blob's contents.
    RamdiskOrXsm,
    /// Generic-only beyond the second: Xen gives it no role.
    Unknown,
}

impl Kind {
    fn text(self) -> &'static str {
        match self {
            Kind::Kernel => "kernel",
            Kind::Ramdisk => "ramdisk",
            Kind::Xsm => "XSM policy",
            Kind::DeviceTree => "device tree",
            Kind::Microcode => "microcode",
            Kind::GuestAcpi => "guest ACPI",
            Kind::RamdiskOrXsm => "ramdisk (or XSM policy if it carries the XSM magic)",
            Kind::Unknown => "no role",
        }
    }
}

fn kind_of_specific(c: &str) -> Option<Kind> {
    Some(match c {
        "multiboot,kernel" | "xen,linux-zimage" => Kind::Kernel,
        "multiboot,ramdisk" | "xen,linux-initrd" => Kind::Ramdisk,
        "xen,xsm-policy" => Kind::Xsm,
        "multiboot,device-tree" => Kind::DeviceTree,
        "multiboot,microcode" => Kind::Microcode,
        "xen,guest-acpi" => Kind::GuestAcpi,
        _ => return None,
    })
}

/// A boot-module node and what Xen makes of it.
struct Module {
    node: NodeId,
    /// Carries a generic string.
    generic: bool,
    kind: Kind,
    /// Only generic strings: the kind was guessed; index among such modules.
    guess_index: Option<usize>,
}

/// The Hyperlaunch containers (`/chosen/hypervisor` with `hypervisor,xen`).
fn hyperlaunch_roots(ctx: &Context) -> Vec<NodeId> {
    ctx.hv.iter().filter(|h| h.family == HvFamily::XenHyperlaunch).map(|h| h.node).collect()
}

/// Every boot-module node in document order: nodes with a generic module string, or a
/// module-kind string (`multiboot,*`, legacy Xen names), outside Hyperlaunch containers.
fn modules(ctx: &Context) -> Vec<Module> {
    let hl = hyperlaunch_roots(ctx);
    let mut ids: Vec<NodeId> = Vec::new();
    for (c, nodes) in ctx.compatibles() {
        if GENERIC.contains(&c) || KINDS.contains(&c) || c.starts_with("multiboot,") {
            ids.extend_from_slice(nodes);
        }
    }
    ctx.doc_order(&mut ids);
    ids.retain(|&n| !hl.iter().any(|&h| ctx.is_under(n, h)));
    let mut guesses = 0usize;
    ids.into_iter()
        .map(|node| {
            let compat = ctx.compatible(node);
            let generic = compat.iter().any(|c| GENERIC.contains(c));
            let specific = compat.iter().find_map(|c| kind_of_specific(c));
            let (kind, guess_index) = match specific {
                Some(k) => (k, None),
                None if generic => {
                    let i = guesses;
                    guesses += 1;
                    let k = match i {
                        0 => Kind::Kernel,
                        1 => Kind::RamdiskOrXsm,
                        _ => Kind::Unknown,
                    };
                    (k, Some(i))
                }
                None => (Kind::Unknown, None),
            };
            Module { node, generic, kind, guess_index }
        })
        .collect()
}

/// Whether `id` is under `/chosen` (the node itself or a descendant).
fn under_chosen(ctx: &Context, id: NodeId) -> bool {
    ctx.chosen.is_some_and(|c| id != c && ctx.is_under(id, c))
}

pub static MODULE_GENERIC: Rule = Rule {
    id: "xenboot-module-generic",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Every boot-module node carries `multiboot,module` (or the legacy `xen,multiboot-module`)",
    explanation: "
Xen's early scan treats a node as a boot module only when its compatible contains
`multiboot,module` (or, from Xen 4.4 trees, `xen,multiboot-module`). A node with only
`multiboot,kernel` is ignored: Xen then boots without a dom0 kernel.

Fix: `compatible = \"multiboot,kernel\", \"multiboot,module\";`",
    sources: &[S10, S13],
    run: module_generic,
};

fn module_generic(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        if m.generic {
            continue;
        }
        let compat = ctx.compatible(m.node);
        let mut fixed = compat.clone();
        fixed.push("multiboot,module");
        out.error(
            m.node,
            Some("compatible"),
            format!(
                "compatible {} lacks \"multiboot,module\"; Xen does not treat this node as a module",
                qlist(&compat)
            ),
        )
        .with_fix(Fix::SetProperty {
            path: ctx.path(m.node),
            property: "compatible".into(),
            value: string_list_bytes(&fixed),
        });
    }
}

pub static MODULE_LOCATION: Rule = Rule {
    id: "xenboot-module-location",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Module nodes are under `/chosen`, at most at `/chosen/<domain>/<module>`",
    explanation: "
Xen ignores module nodes whose path does not start with `/chosen`, and its early scan never goes
deeper than depth 3: `/chosen/module@...` (dom0) or `/chosen/<domain>/module@...` (dom0less).",
    sources: &[S13],
    run: module_location,
};

fn module_location(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        if !m.generic {
            continue;
        }
        if !under_chosen(ctx, m.node) {
            out.error(m.node, None, "module outside /chosen: Xen ignores it");
        } else if ctx.depth(m.node) > 3 {
            out.error(
                m.node,
                None,
                format!(
                    "module at depth {}; Xen only scans /chosen/<module> and /chosen/<domain>/<module>",
                    ctx.depth(m.node)
                ),
            );
        }
    }
}

pub static MODULE_KIND: Rule = Rule {
    id: "xenboot-module-kind",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A module's specific compatible is one Xen knows",
    explanation: "
Xen maps these strings to module kinds: `multiboot,kernel`, `multiboot,ramdisk`, `xen,xsm-policy`,
`multiboot,device-tree`, `multiboot,microcode`, and the legacy `xen,linux-zimage` and
`xen,linux-initrd`. Any other string is ignored, so the module falls back to guessing (see
`xenboot-module-guessing`): warning, likely a typo. `xen,guest-acpi` is produced by the
toolstack only (info).",
    sources: &[S13, S10, S11],
    run: module_kind,
};

fn module_kind(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        for c in ctx.compatible(m.node) {
            if GENERIC.contains(&c) || KINDS.contains(&c) {
                continue;
            }
            if c == "xen,guest-acpi" {
                out.info(m.node, Some("compatible"), "\"xen,guest-acpi\" is a toolstack-only module kind");
            } else {
                out.warning(
                    m.node,
                    Some("compatible"),
                    format!("unknown module kind {}; Xen ignores it (typo for one of {}?)", q(c), qlist(&KINDS[..5])),
                );
            }
        }
    }
}

pub static MODULE_ORDER: Rule = Rule {
    id: "xenboot-module-order",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "The specific module string comes before `multiboot,module`",
    explanation: "
Compatible lists go from most to least specific, and all of Xen's examples write
`\"multiboot,kernel\", \"multiboot,module\"`. Xen matches the strings in any position, so this
is style only.",
    sources: &[S10, S19],
    run: module_order,
};

fn module_order(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        let compat = ctx.compatible(m.node);
        let first_generic = compat.iter().position(|c| GENERIC.contains(c));
        let last_specific = compat.iter().rposition(|c| !GENERIC.contains(c));
        if let (Some(g), Some(s)) = (first_generic, last_specific) {
            if g < s {
                let mut fixed: Vec<&str> = compat.iter().copied().filter(|c| !GENERIC.contains(c)).collect();
                fixed.extend(compat.iter().copied().filter(|c| GENERIC.contains(c)));
                out.warning(
                    m.node,
                    Some("compatible"),
                    format!("{} comes before the specific {}; most specific first", q(compat[g]), q(compat[s])),
                )
                .with_fix(Fix::SetProperty {
                    path: ctx.path(m.node),
                    property: "compatible".into(),
                    value: string_list_bytes(&fixed),
                });
            }
        }
    }
}

pub static MODULE_GUESSING: Rule = Rule {
    id: "xenboot-module-guessing",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Modules with only `multiboot,module` get their role from their order",
    explanation: "
A module with only the generic string has its kind guessed from its position among such modules
(a counter over the whole scan): the first is taken as the kernel, the second as the ramdisk (or
as the XSM policy if its contents start with the XSM magic), later ones get no role at all. This
rule warns on the second and later generic-only modules, and when a module's name says kernel or
ramdisk but its position gives it another role.

Fix: give each module its specific string (`multiboot,kernel`, `multiboot,ramdisk`, ...).",
    sources: &[S10, S13],
    run: module_guessing,
};

fn module_guessing(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        let Some(i) = m.guess_index else { continue };
        let name = ctx.name(m.node).to_ascii_lowercase();
        let looks_ramdisk = name.contains("ramdisk") || name.contains("initrd");
        let looks_kernel = name.contains("kernel") || name.contains("zimage") || name.contains("linux");
        if i >= 1 {
            out.warning(
                m.node,
                Some("compatible"),
                format!(
                    "generic-only module number {} in scan order: Xen will guess it is the {}",
                    i + 1,
                    m.kind.text()
                ),
            );
        } else if looks_ramdisk {
            out.warning(
                m.node,
                Some("compatible"),
                "named like a ramdisk but it is the first generic-only module: Xen takes it as the kernel",
            );
        }
        if i >= 1 && ((looks_kernel && m.kind != Kind::Kernel) || (looks_ramdisk && i != 1)) {
            out.warning(m.node, None, format!("the node name suggests another role than \"{}\"", m.kind.text()));
        }
    }
}

pub static MODULE_LEGACY: Rule = Rule {
    id: "xenboot-module-legacy",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Notes the Xen 4.4 module names; warns when they are combined with `xen,uefi-binary`",
    explanation: "
`xen,multiboot-module`, `xen,linux-zimage` and `xen,linux-initrd` are the Xen 4.4 compatible
names, still accepted (info). Under UEFI boot, modules loaded by Xen's EFI stub
(`xen,uefi-binary`) must use the current names: the legacy ones are not supported there
(warning).",
    sources: &[S10],
    run: module_legacy,
};

fn module_legacy(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        let compat = ctx.compatible(m.node);
        let legacy: Vec<&str> = compat.iter().copied().filter(|c| LEGACY.contains(c)).collect();
        if legacy.is_empty() {
            continue;
        }
        if ctx.has(m.node, "xen,uefi-binary") {
            out.warning(
                m.node,
                Some("compatible"),
                format!("legacy name(s) {} with xen,uefi-binary: not supported under UEFI boot", qlist(&legacy)),
            );
        } else {
            out.info(m.node, Some("compatible"), format!("{}: Xen 4.4 compatible form", qlist(&legacy)));
        }
    }
}

pub static MODULE_REG: Rule = Rule {
    id: "xenboot-module-reg",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A module's `reg` has at least one (address, size) pair of its parent's cells",
    explanation: "
Xen reads the module's address and size from the first `reg` pair, using the parent's
`#address-cells`/`#size-cells` (inherited from further up when the parent does not declare
them). It panics on a missing or short `reg`. Absent `reg` is fine (info) when
`xen,uefi-binary` names a file the EFI stub loads. Extra pairs are ignored (info).

Example: `module@42000000 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <0x0 0x42000000 0x0 0x1a00000>; };`",
    sources: &[S13, S10],
    run: module_reg,
};

fn module_reg(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        if !m.generic {
            continue;
        }
        let Some(parent) = ctx.parent(m.node) else { continue };
        let (a, s) = ctx.xen_child_cells(parent);
        let per = (a as usize + s as usize) * 4;
        match ctx.prop(m.node, "reg") {
            None if ctx.has(m.node, "xen,uefi-binary") => {
                out.info(m.node, None, "no reg: the EFI stub loads the file named by xen,uefi-binary");
            }
            None => {
                out.error(m.node, None, "module without reg: Xen panics");
            }
            Some(v) if v.len() < per || per == 0 => {
                out.error(
                    m.node,
                    Some("reg"),
                    format!(
                        "reg is {} but one address/size pair is {} (#address-cells {a}, #size-cells {s} in force): Xen panics",
                        bytes(v.len()),
                        bytes(per)
                    ),
                );
            }
            Some(v) if v.len() > per => {
                out.info(
                    m.node,
                    Some("reg"),
                    format!("reg has {} beyond the first pair; Xen ignores them", bytes(v.len() - per)),
                );
            }
            Some(_) => {}
        }
    }
}

/// The first (address, size) of a module's `reg` as Xen reads it.
fn module_range(ctx: &Context, id: NodeId) -> Option<(u64, u64)> {
    let parent = ctx.parent(id)?;
    let (a, s) = ctx.xen_child_cells(parent);
    let cells = value::as_cells(ctx.prop(id, "reg")?)?;
    let (a, s) = (a as usize, s as usize);
    if a + s == 0 || cells.len() < a + s || a > 2 || s > 2 {
        return None;
    }
    Some((value::cells_to_u64(&cells[..a]), value::cells_to_u64(&cells[a..a + s])))
}

pub static MODULE_SIZE: Rule = Rule {
    id: "xenboot-module-size",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Modules have a non-zero size and overlap neither each other nor reserved memory",
    explanation: "
Heuristic: a zero-sized module carries nothing, and modules that overlap each other, a
`/memreserve/` entry or a `/reserved-memory` range describe the same bytes twice. How Xen handles
each case is **unverified**; it is reported as a warning.",
    sources: &[HEURISTIC],
    run: module_size,
};

fn module_size(ctx: &Context, out: &mut Out) {
    let mut ranges: Vec<(NodeId, u64, u64)> = Vec::new();
    for m in modules(ctx) {
        if !m.generic {
            continue;
        }
        let Some((base, size)) = module_range(ctx, m.node) else { continue };
        if size == 0 {
            out.warning(m.node, Some("reg"), format!("module at 0x{base:x} has size 0"));
            continue;
        }
        let end = base.saturating_add(size - 1);
        for &(other, ob, os) in &ranges {
            if base <= ob.saturating_add(os - 1) && ob <= end {
                out.warning(
                    m.node,
                    Some("reg"),
                    format!("module 0x{base:x}+0x{size:x} overlaps {} (0x{ob:x}+0x{os:x})", ctx.path(other)),
                );
            }
        }
        for r in &ctx.tree.reservations {
            if r.size != 0 && base <= r.address.saturating_add(r.size - 1) && r.address <= end {
                out.warning(
                    m.node,
                    Some("reg"),
                    format!("module 0x{base:x}+0x{size:x} overlaps /memreserve/ 0x{:x}+0x{:x}", r.address, r.size),
                );
            }
        }
        let rm =
            ctx.node(ctx.root()).and_then(|r| r.children.iter().copied().find(|&c| ctx.name(c) == "reserved-memory"));
        if let Some(rm) = rm {
            for w in ctx.cpu_windows() {
                if ctx.parent(w.node) == Some(rm) && w.overlaps(base, size) {
                    out.warning(
                        m.node,
                        Some("reg"),
                        format!(
                            "module 0x{base:x}+0x{size:x} overlaps reserved memory {} (0x{:x}+0x{:x})",
                            ctx.path(w.node),
                            w.base,
                            w.size
                        ),
                    );
                }
            }
        }
        ranges.push((m.node, base, size));
    }
}

pub static UEFI_BINARY: Rule = Rule {
    id: "xenboot-uefi-binary",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`xen,uefi-binary` is a string on a kernel, ramdisk or device-tree module",
    explanation: "
Under UEFI boot Xen's EFI stub loads the file named by `xen,uefi-binary` (a path relative to the
Xen binary) and fills in the module's `reg`. The booting document allows it on kernel, ramdisk
and device-tree modules only.

Example: `xen,uefi-binary = \"vmlinuz-dom0\";`",
    sources: &[S10],
    run: uefi_binary,
};

fn uefi_binary(ctx: &Context, out: &mut Out) {
    let mods = modules(ctx);
    for &id in ctx.with_prop("xen,uefi-binary") {
        let Some(v) = ctx.prop(id, "xen,uefi-binary") else { continue };
        if value::as_string(v).is_none_or(str::is_empty) {
            out.warning(
                id,
                Some("xen,uefi-binary"),
                format!("xen,uefi-binary is {}, not a file name string", describe_bytes(v)),
            );
        }
        match mods.iter().find(|m| m.node == id) {
            Some(m) if matches!(m.kind, Kind::Kernel | Kind::Ramdisk | Kind::DeviceTree | Kind::RamdiskOrXsm) => {}
            Some(m) => {
                out.warning(
                    id,
                    Some("xen,uefi-binary"),
                    format!("xen,uefi-binary on a {} module; it is only supported on kernel, ramdisk and device-tree modules", m.kind.text()),
                );
            }
            None => {
                out.warning(id, Some("xen,uefi-binary"), "xen,uefi-binary on a node that is not a boot module");
            }
        }
    }
}

pub static CHOSEN_CELLS: Rule = Rule {
    id: "xenboot-chosen-cells",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`/chosen` and `xen,domain` nodes with `reg` children declare `#address-cells` and `#size-cells`",
    explanation: "
When these are missing, three readers read the same blob three ways: Xen inherits the parent's
values (the root's, 2/1 if the root has none), the DT spec and dtc assume 2/1, and Linux walks up
to the root and falls back to 1/1. Declaring them removes the ambiguity.

Fix (dtlens): add the values Xen currently uses, e.g. `#address-cells = <2>; #size-cells = <2>;`.",
    sources: &[S13, S19, S20, S8],
    run: chosen_cells,
};

fn chosen_cells(ctx: &Context, out: &mut Out) {
    let mut containers: Vec<NodeId> = ctx.chosen.into_iter().collect();
    if let Some(ch) = ctx.chosen {
        containers.extend(
            ctx.node(ch)
                .map_or(&[][..], |n| n.children.as_slice())
                .iter()
                .filter(|&&c| ctx.is_compatible(c, "xen,domain")),
        );
    }
    for c in containers {
        let has_reg_child = ctx.node(c).is_some_and(|n| n.children.iter().any(|&k| ctx.has(k, "reg")));
        if !has_reg_child {
            continue;
        }
        let (da, ds) = ctx.declared_cells(c);
        let (xa, xs) = ctx.xen_child_cells(c);
        for (name, declared, xen) in [("#address-cells", da, xa), ("#size-cells", ds, xs)] {
            if declared.is_none() {
                out.warning(
                    c,
                    None,
                    format!(
                        "{} has children with reg but no {name}: Xen inherits {xen}, dtc and the DT spec assume {}, Linux {}",
                        ctx.path(c),
                        if name == "#address-cells" { 2 } else { 1 },
                        1
                    ),
                )
                .with_fix(Fix::SetProperty { path: ctx.path(c), property: name.into(), value: xen.to_be_bytes().to_vec() });
            }
        }
    }
}

pub static MODULE_UNIT_ADDRESS: Rule = Rule {
    id: "xenboot-module-unit-address",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A module's unit address is its `reg` address in lower-case hex without `0x` or leading zeros",
    explanation: "
DT-spec naming rule. Xen's own documentation examples write `module@0xc0000000`, which dtc
reports as `unit_address_format`; Xen itself does not read the unit address.

Fix: `module@c0000000`.",
    sources: &[S19, S20, S10],
    run: module_unit_address,
};

fn module_unit_address(ctx: &Context, out: &mut Out) {
    for m in modules(ctx) {
        if !m.generic {
            continue;
        }
        let Some((addr, _)) = module_range(ctx, m.node) else { continue };
        let name = ctx.name(m.node);
        let want = unit_of(addr);
        let base = name.split_once('@').map_or(name, |(b, _)| b);
        let new_name = format!("{base}@{want}");
        let problem = match name.split_once('@') {
            None => Some(format!("module has reg address 0x{addr:x} but no unit address")),
            Some((_, u)) if u == want => None,
            Some((_, u)) => Some(format!("unit address {} should be {} (reg address 0x{addr:x})", q(u), q(&want))),
        };
        if let Some(p) = problem {
            let f = out.warning(m.node, None, p);
            if !sibling_named(ctx, m.node, &new_name) {
                f.with_fix(Fix::RenameNode { path: ctx.path(m.node), new_name });
            }
        }
    }
}

pub static BOOTARGS_TYPES: Rule = Rule {
    id: "xenboot-bootargs-types",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`xen,xen-bootargs`, `xen,dom0-bootargs` and `bootargs` are NUL-terminated strings",
    explanation: "
Xen reads these command lines as C strings; a value that is not NUL-terminated (or is a cell
list) is not a command line. Checked on `/chosen` and on module nodes. dtc's
`chosen_node_bootargs` only covers `/chosen/bootargs`.",
    sources: &[S10, S20],
    run: bootargs_types,
};

fn bootargs_types(ctx: &Context, out: &mut Out) {
    let mut nodes: Vec<NodeId> = ctx.chosen.into_iter().collect();
    nodes.extend(modules(ctx).into_iter().map(|m| m.node));
    for id in nodes {
        for p in ["xen,xen-bootargs", "xen,dom0-bootargs", "bootargs"] {
            let Some(v) = ctx.prop(id, p) else { continue };
            if value::as_string(v).is_none() {
                out.error(id, Some(p), format!("{p} is {}, not a NUL-terminated string", describe_bytes(v)));
            }
        }
    }
}

pub static CMDLINE_RESOLUTION: Rule = Rule {
    id: "xenboot-cmdline-resolution",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Shows which command line Xen and dom0 get; warns when a Linux command line goes to Xen",
    explanation: "
Xen's rules (booting.txt \"Command lines\"): `xen,xen-bootargs` is Xen's command line. If it is
absent but `xen,dom0-bootargs` exists, or the dom0 kernel module has its own `bootargs`, then
`/chosen/bootargs` is taken as *Xen's* command line. Dom0 gets `xen,dom0-bootargs`, else the
kernel module's `bootargs`, else `/chosen/bootargs` when Xen did not take it. Reported as info;
a warning when `/chosen/bootargs` looks like a Linux command line (`root=`, `console=hvc0`) but
will be consumed by Xen.

Unverified detail: when both `xen,dom0-bootargs` and the kernel module's `bootargs` exist, a
comment in Xen's dom0 builder (`write_properties`) says the module's wins, while the code read
(an indexed copy, not re-checked on master) lets `xen,dom0-bootargs` override it; dtlens follows
the code.",
    sources: &[S10, S13, S12],
    run: cmdline_resolution,
};

fn cmdline_resolution(ctx: &Context, out: &mut Out) {
    let Some(ch) = ctx.chosen else { return };
    let kernel =
        modules(ctx).into_iter().find(|m| m.kind == Kind::Kernel && ctx.parent(m.node) == Some(ch)).map(|m| m.node);
    let s = |id: NodeId, p: &str| ctx.prop(id, p).map(|v| value::as_string(v).unwrap_or("<not a string>"));
    let xen_ba = s(ch, "xen,xen-bootargs");
    let dom0_ba = s(ch, "xen,dom0-bootargs");
    let chosen_ba = s(ch, "bootargs");
    let kernel_ba = kernel.and_then(|k| s(k, "bootargs")).filter(|b| !b.is_empty());
    let chosen_to_xen = xen_ba.is_none() && (dom0_ba.is_some() || kernel_ba.is_some());
    let xen_line = xen_ba.or(if chosen_to_xen { chosen_ba } else { None });
    let (dom0_line, dom0_from) = if let Some(d) = dom0_ba {
        (Some(d), "xen,dom0-bootargs")
    } else if let Some(k) = kernel_ba {
        (Some(k), "the kernel module's bootargs")
    } else if !chosen_to_xen {
        (chosen_ba, "/chosen/bootargs")
    } else {
        (None, "")
    };
    let show = |l: Option<&str>| l.map_or_else(|| "(none)".to_string(), q);
    out.info(
        ch,
        None,
        format!(
            "Xen command line: {}{}; dom0 command line: {}{}",
            show(xen_line),
            if chosen_to_xen && xen_line.is_some() { " (from /chosen/bootargs)" } else { "" },
            show(dom0_line),
            if dom0_line.is_some() { format!(" (from {dom0_from})") } else { String::new() }
        ),
    );
    if chosen_to_xen {
        if let Some(b) = chosen_ba {
            if b.split_whitespace().any(|w| w.starts_with("root=") || w == "console=hvc0") {
                out.warning(
                    ch,
                    Some("bootargs"),
                    format!("/chosen/bootargs {} looks like a Linux command line but Xen will consume it", q(b)),
                );
            }
        }
    }
}

pub static UEFI_CFG_LOAD: Rule = Rule {
    id: "xenboot-uefi-cfg-load",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`xen,uefi-cfg-load` is an empty flag",
    explanation: "
`xen,uefi-cfg-load` in `/chosen` tells Xen's EFI stub to also load its configuration file; it is
a presence flag with no value.

Fix: `xen,uefi-cfg-load;`",
    sources: &[S10],
    run: uefi_cfg_load,
};

fn uefi_cfg_load(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("xen,uefi-cfg-load") {
        if ctx.prop(id, "xen,uefi-cfg-load").is_some_and(|v| !v.is_empty()) {
            out.warning(id, Some("xen,uefi-cfg-load"), "xen,uefi-cfg-load has a value; it is a presence flag")
                .with_fix(Fix::SetProperty {
                    path: ctx.path(id),
                    property: "xen,uefi-cfg-load".into(),
                    value: Vec::new(),
                });
        }
    }
}

pub static STATIC_HEAP: Rule = Rule {
    id: "xenboot-static-heap",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`/chosen/xen,static-heap` is whole (address, size) banks of the root's cells, 64 KiB aligned",
    explanation: "
`xen,static-heap` lists the banks Xen uses as its heap. They are sized by the *root's*
`#address-cells` + `#size-cells` (not `/chosen`'s): a length that is not a multiple is an error.
Each bank's address and size should be 64 KiB aligned (warning).",
    sources: &[S10, S13],
    run: static_heap,
};

fn static_heap(ctx: &Context, out: &mut Out) {
    let Some(ch) = ctx.chosen else { return };
    let Some(v) = ctx.prop(ch, "xen,static-heap") else { return };
    let (a, s) = ctx.child_cells(ctx.root());
    let Some(entries) = value::reg_entries(v, a, s).filter(|e| !e.is_empty()) else {
        out.error(
            ch,
            Some("xen,static-heap"),
            format!(
                "xen,static-heap is {}, not whole banks of {} (root cells {a}/{s})",
                bytes(v.len()),
                bytes((a as usize + s as usize) * 4)
            ),
        );
        return;
    };
    for (i, e) in entries.iter().enumerate() {
        let (base, size) = (value::cells_to_u64(&e.address), value::cells_to_u64(&e.size));
        if base % 0x10000 != 0 || size % 0x10000 != 0 {
            out.warning(ch, Some("xen,static-heap"), format!("bank {i} 0x{base:x}+0x{size:x} is not 64 KiB aligned"));
        }
    }
}

pub static INITRD_PROPS: Rule = Rule {
    id: "xenboot-initrd-props",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`linux,initrd-start` comes with `linux,initrd-end`, both 4 or 8 bytes, start < end",
    explanation: "
Xen reads the initrd range from `/chosen` like Linux does; when `linux,initrd-end` is missing,
either value has a length other than 4 or 8 bytes, or start is not below end, Xen aborts its
early device-tree parsing.",
    sources: &[S13],
    run: initrd_props,
};

fn initrd_props(ctx: &Context, out: &mut Out) {
    let Some(ch) = ctx.chosen else { return };
    let Some(sv) = ctx.prop(ch, "linux,initrd-start") else { return };
    let num = |v: &[u8]| value::as_u32(v).map(u64::from).or_else(|| value::as_u64(v));
    let start = num(sv);
    if start.is_none() {
        out.error(ch, Some("linux,initrd-start"), format!("linux,initrd-start is {}, not 4 or 8", bytes(sv.len())));
    }
    let Some(ev) = ctx.prop(ch, "linux,initrd-end") else {
        out.error(ch, Some("linux,initrd-start"), "linux,initrd-start without linux,initrd-end");
        return;
    };
    let end = num(ev);
    if end.is_none() {
        out.error(ch, Some("linux,initrd-end"), format!("linux,initrd-end is {}, not 4 or 8", bytes(ev.len())));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if s >= e {
            out.error(ch, Some("linux,initrd-end"), format!("initrd end 0x{e:x} is not above start 0x{s:x}"));
        }
    }
}

pub static PASSTHROUGH_FLAG: Rule = Rule {
    id: "xenboot-passthrough-flag",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`xen,passthrough` is an empty flag; notes that the device is hidden from dom0",
    explanation: "
`xen,passthrough` on a device node tells Xen not to give the device to dom0, so it can be assigned
to another domain (info). It is a presence flag: a value is a warning.

Fix: `xen,passthrough;`",
    sources: &[S11],
    run: passthrough_flag,
};

fn passthrough_flag(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("xen,passthrough") {
        let Some(v) = ctx.prop(id, "xen,passthrough") else { continue };
        if !v.is_empty() {
            out.warning(
                id,
                Some("xen,passthrough"),
                format!("xen,passthrough has a value ({}); it is a presence flag", describe_bytes(v)),
            )
            .with_fix(Fix::SetProperty {
                path: ctx.path(id),
                property: "xen,passthrough".into(),
                value: Vec::new(),
            });
        }
        out.info(id, Some("xen,passthrough"), "hidden from dom0, for assignment to another domain");
    }
}

pub static CPUPOOL: Rule = Rule {
    id: "xenboot-cpupool",
    family: RuleFamily::Xenboot,
    scope: Scope::HostXen,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`xen,cpupool` nodes sit in `/chosen` and list CPU phandles; scheduler names are known",
    explanation: "
A boot-time CPU pool is a direct child of `/chosen` with compatible `xen,cpupool` and
`cpupool-cpus`, a non-empty list of phandles to nodes with `device_type = \"cpu\"` (errors
otherwise). `cpupool-sched` optionally names a scheduler: `credit`, `credit2`, `null`, `rtds` or
`arinc653` (warning if unknown). A CPU listed in two pools is reported as a warning (what Xen does
then is **unverified**). The pool holding the boot CPU becomes Pool-0 (info).",
    sources: &[S11],
    run: cpupool,
};

fn cpupool(ctx: &Context, out: &mut Out) {
    let mut seen: Vec<(NodeId, NodeId)> = Vec::new();
    let boot = ctx.tree.header.boot_cpuid_phys;
    for &pool in ctx.with_compatible("xen,cpupool") {
        if ctx.parent(pool) != ctx.chosen || ctx.chosen.is_none() {
            out.error(pool, None, "xen,cpupool node is not a direct child of /chosen; Xen does not see it");
        }
        match ctx.prop(pool, "cpupool-cpus") {
            None => {
                out.error(pool, None, "no cpupool-cpus");
            }
            Some(v) => match value::as_cells(v).filter(|c| !c.is_empty()) {
                None => {
                    out.error(
                        pool,
                        Some("cpupool-cpus"),
                        format!("cpupool-cpus is {}, not a non-empty phandle list", describe_bytes(v)),
                    );
                }
                Some(cells) => {
                    for ph in cells {
                        match ctx.phandles.get(&ph) {
                            None => {
                                out.error(pool, Some("cpupool-cpus"), format!("phandle 0x{ph:x} refers to no node"));
                            }
                            Some(&cpu) if ctx.prop_str(cpu, "device_type") != Some("cpu") => {
                                out.error(
                                    pool,
                                    Some("cpupool-cpus"),
                                    format!("{} is not a CPU node (device_type \"cpu\")", ctx.path(cpu)),
                                );
                            }
                            Some(&cpu) => {
                                if let Some(&(_, other)) = seen.iter().find(|(c, _)| *c == cpu) {
                                    out.warning(
                                        pool,
                                        Some("cpupool-cpus"),
                                        format!(
                                            "{} is also in {} (Xen's handling unverified)",
                                            ctx.path(cpu),
                                            ctx.path(other)
                                        ),
                                    );
                                } else {
                                    seen.push((cpu, pool));
                                }
                                if ctx.prop(cpu, "reg").and_then(value::as_u32) == Some(boot) {
                                    out.info(
                                        pool,
                                        Some("cpupool-cpus"),
                                        format!("holds the boot CPU {}: this pool becomes Pool-0", ctx.path(cpu)),
                                    );
                                }
                            }
                        }
                    }
                }
            },
        }
        if let Some(v) = ctx.prop(pool, "cpupool-sched") {
            match value::as_string(v) {
                Some("credit" | "credit2" | "null" | "rtds" | "arinc653") => {}
                Some(s) => {
                    out.warning(
                        pool,
                        Some("cpupool-sched"),
                        format!("unknown scheduler {}; Xen knows credit, credit2, null, rtds, arinc653", q(s)),
                    );
                }
                None => {
                    out.warning(
                        pool,
                        Some("cpupool-sched"),
                        format!("cpupool-sched is {}, not a string", describe_bytes(v)),
                    );
                }
            }
        }
    }
}

pub static HYPERLAUNCH: Rule = Rule {
    id: "xenboot-hyperlaunch",
    family: RuleFamily::Xenboot,
    scope: Scope::Any,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a Xen Hyperlaunch `/chosen/hypervisor` boot configuration",
    explanation: "
`/chosen/hypervisor` with compatible `hypervisor,xen` is the boot configuration container of the
Hyperlaunch design (x86 and Arm), with `xen,config` and `xen,domain` children and modules
`module,<type>` located by `mb-index` or `module-addr`. There is no matching parser in Xen master:
it is labelled only. `/hypervisor` rules are never applied to it, nor the dom0less rules to its
`xen,domain` children (they sit at depth 3, and Xen's early scan only treats direct `/chosen`
children as dom0less domains). Runs on every tree (the catalog files it under host-xen, but a
Hyperlaunch tree need not match the host-xen markers).",
    sources: &[S11],
    run: hyperlaunch,
};

fn hyperlaunch(ctx: &Context, out: &mut Out) {
    for id in hyperlaunch_roots(ctx) {
        let Some(n) = ctx.node(id) else { continue };
        let count = |c: &str| n.children.iter().filter(|&&k| ctx.is_compatible(k, c)).count();
        out.info(
            id,
            None,
            format!(
                "Xen Hyperlaunch boot configuration ({} xen,config, {} xen,domain): a design document with no parser in \
                 Xen master; not a guest hypervisor node",
                count("xen,config"),
                count("xen,domain")
            ),
        );
    }
}
