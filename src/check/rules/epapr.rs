//! Catalog §A: the ePAPR hypervisor node and ePAPR virtual devices (`epapr-*`). Scope
//! guest. "ePAPR mode" = ePAPR family without `linux,kvm`; "KVM mode" = `linux,kvm` present
//! (PowerPC KVM uses the ePAPR hypercall ABI, so KVM-mode nodes get the relaxed variants).
//! Rules about `hcall-instructions` itself apply to every node carrying it, as Linux's scan
//! ignores the compatible.

use super::{bytes, cells_text, q, qlist, sibling_named};
use crate::check::context::{Arch, HvNode};
use crate::check::sources::*;
use crate::check::{
    describe_bytes, string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity,
};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &NODE_NAME_LOCATION,
    &COMPATIBLE,
    &COMPATIBLE_ORDER,
    &HCALL_PRESENT,
    &HCALL_LENGTH,
    &HCALL_UNIQUE,
    &HCALL_DECODE,
    &GUEST_ID,
    &GUEST_NAME,
    &CAPABILITY_FLAGS,
    &ROOT_VERSION,
    &HV_PIC,
    &HV_PIC_SPECIFIER,
    &HV_PIC_IPI,
    &BYTE_CHANNEL,
    &BYTE_CHANNEL_EDGE,
    &BYTE_CHANNEL_CONSOLE,
    &DOORBELL_NAMES,
    &DOORBELL_SEND,
    &DOORBELL_RECEIVE,
    &HANDLE_CONSISTENCY,
    &FSL_HV,
];

fn is_epapr_generic(c: &str) -> bool {
    c.starts_with("epapr,hypervisor")
}

/// `epapr,hypervisor-<n>(.<n>)*`.
fn is_epapr_versioned(c: &str) -> bool {
    c.strip_prefix("epapr,hypervisor-")
        .is_some_and(|v| !v.is_empty() && v.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
}

fn epapr_mode_nodes<'c>(ctx: &'c Context) -> impl Iterator<Item = &'c HvNode> + 'c {
    ctx.hv.iter().filter(|h| h.epapr_mode())
}

pub static NODE_NAME_LOCATION: Rule = Rule {
    id: "epapr-node-name-location",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A node claiming `epapr,hypervisor-*` is named exactly `hypervisor` and is a child of `/`",
    explanation: "
ePAPR 1.1 §7.5 fixes the node's name and place: `/hypervisor`. Linux's KVM and Freescale
hypervisor drivers find it by the literal path `/hypervisor`, and Linux's path lookup matches the
full name exactly, so `hypervisor@...` is not found. (Linux's ePAPR hypercall patching itself
does not depend on the name: it takes `hcall-instructions` from any node; see
`epapr-hcall-instructions-unique`.)

Fix: `/ { hypervisor { compatible = \"epapr,hypervisor-1.1\"; ... }; };`",
    sources: &[S15, S16],
    run: node_name_location,
};

fn node_name_location(ctx: &Context, out: &mut Out) {
    for id in ctx.with_compatible_prefix("epapr,hypervisor") {
        if ctx.depth(id) != 1 {
            out.error(id, None, format!("node claims ePAPR but is at depth {}, not /hypervisor", ctx.depth(id)));
        } else if ctx.name(id) != "hypervisor" {
            let f = out.error(
                id,
                None,
                format!("node is named {}; ePAPR and Linux's path lookup need exactly \"hypervisor\"", q(ctx.name(id))),
            );
            if !sibling_named(ctx, id, "hypervisor") {
                f.with_fix(Fix::RenameNode { path: ctx.path(id), new_name: "hypervisor".into() });
            }
        }
    }
}

pub static COMPATIBLE: Rule = Rule {
    id: "epapr-compatible",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "In ePAPR mode, compatible contains `epapr,hypervisor-<version>`",
    explanation: "
The version suffix tells the guest which revision of the ePAPR virtualization interface it may
rely on. Real emitters use `epapr,hypervisor-1` (Freescale/NXP Topaz) and `epapr,hypervisor-0.2`
(OpenBIOS for KVM), not only `-1.1`, so any numeric version (`^epapr,hypervisor-[0-9]+(\\.[0-9]+)*$`)
is accepted. Not applied in KVM mode: QEMU's e500 node is `linux,kvm` only.

Fix: `compatible = \"epapr,hypervisor-1.1\";` (vendor string first if any).",
    sources: &[S15, S17, S18],
    run: compatible,
};

fn compatible(ctx: &Context, out: &mut Out) {
    for hv in epapr_mode_nodes(ctx) {
        let compat = ctx.compatible(hv.node);
        if !compat.iter().any(|c| is_epapr_versioned(c)) {
            out.error(
                hv.node,
                Some("compatible"),
                match compat.iter().find(|c| is_epapr_generic(c)) {
                    Some(c) => format!("{} has no numeric version (expected e.g. \"epapr,hypervisor-1.1\")", q(c)),
                    None if compat.is_empty() => {
                        "ePAPR hypervisor node (it has hcall-instructions) without a compatible; expected \
                         \"epapr,hypervisor-<version>\""
                            .to_string()
                    }
                    None => format!("compatible {} has no \"epapr,hypervisor-<version>\" entry", qlist(&compat)),
                },
            );
        }
    }
}

pub static COMPATIBLE_ORDER: Rule = Rule {
    id: "epapr-compatible-order",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Vendor strings (`fsl,embedded-hypervisor-*`, `linux,kvm`) come before `epapr,hypervisor-*`",
    explanation: "
Compatible lists go from most to least specific; both real emitters put their own string first:
Topaz writes `\"fsl,embedded-hypervisor-v2.0\", \"epapr,hypervisor-1\"`, OpenBIOS
`\"linux,kvm\", \"epapr,hypervisor-0.2\"`.

Fix: move the `epapr,hypervisor-*` string to the end.",
    sources: &[S19, S17, S18],
    run: compatible_order,
};

fn compatible_order(ctx: &Context, out: &mut Out) {
    for id in ctx.with_compatible_prefix("epapr,hypervisor") {
        let compat = ctx.compatible(id);
        let Some(g) = compat.iter().position(|c| is_epapr_generic(c)) else { continue };
        let late_vendor = compat
            .iter()
            .enumerate()
            .find(|&(i, c)| i > g && (*c == "linux,kvm" || c.starts_with("fsl,embedded-hypervisor")));
        if let Some((_, v)) = late_vendor {
            let mut fixed: Vec<&str> = compat.iter().copied().filter(|c| !is_epapr_generic(c)).collect();
            fixed.extend(compat.iter().copied().filter(|c| is_epapr_generic(c)));
            out.warning(
                id,
                Some("compatible"),
                format!("vendor string {} comes after the generic {}; most specific first", q(v), q(compat[g])),
            )
            .with_fix(Fix::SetProperty {
                path: ctx.path(id),
                property: "compatible".into(),
                value: string_list_bytes(&fixed),
            });
        }
    }
}

pub static HCALL_PRESENT: Rule = Rule {
    id: "epapr-hcall-instructions-present",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The ePAPR (or PowerPC KVM) hypervisor node has `hcall-instructions`",
    explanation: "
Without `hcall-instructions` the guest has no way to issue hypercalls: Linux only sets
`epapr_paravirt_enabled` when it finds the property, and KVM paravirt features (the magic page)
are skipped otherwise. Error in ePAPR mode (ePAPR marks it Required); warning in KVM mode, for
PowerPC. The MIPS `linux,kvm` node (Loongson64 virtio board) has none and is left alone (see
`hv-kvm-mips`); arm64 trees are left alone too.

Fix: `hcall-instructions = <0x44000022>;` (`sc 1`) for ePAPR; KVM supplies its own sequence.",
    sources: &[S15, S16],
    run: hcall_present,
};

fn hcall_present(ctx: &Context, out: &mut Out) {
    let arch = ctx.arch();
    for hv in ctx.epapr_like_nodes() {
        if ctx.has(hv.node, "hcall-instructions") {
            continue;
        }
        if hv.kvm_mode() {
            if matches!(arch, Arch::Mips | Arch::Arm) {
                continue;
            }
            out.warning(
                hv.node,
                None,
                "linux,kvm node without hcall-instructions: Linux/PowerPC will not enable KVM paravirt (magic page)",
            );
        } else {
            out.error(
                hv.node,
                None,
                "no hcall-instructions: the guest cannot make ePAPR hypercalls (paravirt stays off)",
            );
        }
    }
}

pub static HCALL_LENGTH: Rule = Rule {
    id: "epapr-hcall-instructions-length",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`hcall-instructions` is 1 to 4 cells",
    explanation: "
The spec allows up to four opcodes. Linux aborts its scan for a length that is not a multiple of
4 or is over 16 bytes, and a zero-length property marks paravirt as enabled while patching no
instruction, so every hypercall returns -1 (the default stub). Applies to every node carrying the
property, `linux,kvm` nodes included. The non-zero lower bound comes from consumer behaviour;
the spec only says \"up to 4 cells\".",
    sources: &[S15, S16],
    run: hcall_length,
};

fn hcall_length(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("hcall-instructions") {
        let Some(v) = ctx.prop(id, "hcall-instructions") else { continue };
        let problem = if v.is_empty() {
            Some(
                "is empty: Linux marks paravirt enabled but patches nothing, so every hypercall returns -1".to_string(),
            )
        } else if v.len() % 4 != 0 {
            Some(format!("is {}, not whole 4-byte instructions; Linux stops its scan", bytes(v.len())))
        } else if v.len() > 16 {
            Some(format!(
                "is {} ({} instructions); at most 4 are allowed and Linux stops its scan",
                bytes(v.len()),
                v.len() / 4
            ))
        } else {
            None
        };
        if let Some(p) = problem {
            out.error(id, Some("hcall-instructions"), format!("hcall-instructions {p}"));
        }
    }
}

pub static HCALL_UNIQUE: Rule = Rule {
    id: "epapr-hcall-instructions-unique",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Only `/hypervisor` has `hcall-instructions`",
    explanation: "
Linux's early scan walks every node in blob order and takes the first one carrying
`hcall-instructions`, whatever its name or compatible: a stray copy elsewhere wins silently, and
a first copy with a bad length stops the scan with paravirt disabled.",
    sources: &[S16],
    run: hcall_unique,
};

fn hcall_unique(ctx: &Context, out: &mut Out) {
    let carriers = ctx.with_prop("hcall-instructions");
    let Some(&first) = carriers.first() else { return };
    for &c in carriers {
        let is_hv = ctx.depth(c) == 1 && ctx.name(c) == "hypervisor";
        if is_hv {
            continue;
        }
        let msg = if c == first {
            "hcall-instructions outside /hypervisor, and this is the first copy in blob order: Linux uses it"
                .to_string()
        } else {
            format!("another hcall-instructions (Linux uses only the first, on {})", ctx.path(first))
        };
        out.warning(c, Some("hcall-instructions"), msg);
    }
}

/// One PowerPC instruction, decoded where it is one of the few that appear in hypercall
/// sequences.
fn decode_ppc(w: u32) -> String {
    let op = w >> 26;
    if w & 0xfc00_0003 == 0x4400_0002 {
        let lev = (w >> 5) & 0x7f;
        return if lev == 0 { "sc".to_string() } else { format!("sc {lev}") };
    }
    match w {
        0x6000_0000 => return "nop".to_string(),
        0x4e80_0020 => return "blr".to_string(),
        _ => {}
    }
    if op == 14 && (w >> 16) & 0x1f == 0 {
        let rd = (w >> 21) & 0x1f;
        let imm = (w & 0xffff) as u16 as i16;
        return format!("li r{rd},{imm}");
    }
    if op == 15 && (w >> 16) & 0x1f == 0 {
        let rd = (w >> 21) & 0x1f;
        return format!("lis r{rd},0x{:x}", w & 0xffff);
    }
    format!("0x{w:08x}")
}

pub static HCALL_DECODE: Rule = Rule {
    id: "epapr-hcall-instructions-decode",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Decodes the hypercall instruction sequence",
    explanation: "
Each cell is one PowerPC instruction that Linux patches into its hypercall stub. `0x44000022` is
`sc 1` (system call with LEV=1, trapping to the hypervisor): the spec's example and what Topaz
emits. KVM supplies its own sequence from `KVM_PPC_GET_PVINFO` (QEMU copies it into the tree).
Only `sc`, `nop`, `blr`, `li` and `lis` are decoded; other words are shown in hex.",
    sources: &[S15, S17, S18],
    run: hcall_decode,
};

fn hcall_decode(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("hcall-instructions") {
        let Some(cells) = ctx.prop(id, "hcall-instructions").and_then(value::as_cells) else { continue };
        if cells.is_empty() {
            continue;
        }
        let text = cells.iter().map(|&w| decode_ppc(w)).collect::<Vec<_>>().join("; ");
        out.info(id, Some("hcall-instructions"), format!("{} = {text}", cells_text(&cells)));
    }
}

/// Whether `v` is one printable NUL-terminated string.
fn is_printable_string(v: &[u8]) -> bool {
    value::as_string(v).is_some_and(|s| s.bytes().all(|b| (0x20..0x7f).contains(&b)))
}

pub static GUEST_ID: Rule = Rule {
    id: "epapr-guest-id",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`guest-id` is present and 4 bytes (ePAPR mode; relaxed for KVM)",
    explanation: "
ePAPR 1.1 lists `guest-id` as Required: a partition number unique across partitions (Topaz writes
the LPID). In ePAPR mode a missing or wrongly sized value is an error.

Contested: QEMU's own `linux,kvm` nodes (e500, pseries) omit it, while OpenBIOS, which adds the
`epapr,hypervisor-0.2` fallback, writes a 4-byte one; no Linux code read consumes it. So in KVM
mode a missing `guest-id` is info and a wrongly sized one a warning.",
    sources: &[S15, S17, S18],
    run: guest_id,
};

fn guest_id(ctx: &Context, out: &mut Out) {
    for hv in ctx.epapr_like_nodes() {
        let kvm = hv.kvm_mode();
        match ctx.prop(hv.node, "guest-id") {
            None if kvm => {
                out.info(hv.node, None, "no guest-id (QEMU's KVM nodes omit it; ePAPR lists it as required)");
            }
            None => {
                out.error(hv.node, None, "no guest-id (required by ePAPR 1.1: the partition number)");
            }
            Some(v) if v.len() != 4 => {
                let msg = format!("guest-id is {}, not one 4-byte cell", bytes(v.len()));
                if kvm {
                    out.warning(hv.node, Some("guest-id"), msg);
                } else {
                    out.error(hv.node, Some("guest-id"), msg);
                }
            }
            Some(_) => {}
        }
    }
}

pub static GUEST_NAME: Rule = Rule {
    id: "epapr-guest-name",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`guest-name` is present and a printable string (ePAPR mode; relaxed for KVM)",
    explanation: "
ePAPR 1.1 lists `guest-name` (a string) as Required; Topaz writes the partition name. In KVM
mode a missing one is info and a malformed one a warning (OpenBIOS writes \"KVM guest\", QEMU
omits it).",
    sources: &[S15, S17],
    run: guest_name,
};

fn guest_name(ctx: &Context, out: &mut Out) {
    for hv in ctx.epapr_like_nodes() {
        let kvm = hv.kvm_mode();
        match ctx.prop(hv.node, "guest-name") {
            None if kvm => {
                out.info(hv.node, None, "no guest-name (QEMU's KVM nodes omit it; ePAPR lists it as required)");
            }
            None => {
                out.error(hv.node, None, "no guest-name (required by ePAPR 1.1)");
            }
            Some(v) if !is_printable_string(v) => {
                let msg = format!("guest-name is {}, not a printable NUL-terminated string", describe_bytes(v));
                if kvm {
                    out.warning(hv.node, Some("guest-name"), msg);
                } else {
                    out.error(hv.node, Some("guest-name"), msg);
                }
            }
            Some(_) => {}
        }
    }
}

pub static CAPABILITY_FLAGS: Rule = Rule {
    id: "epapr-capability-flags",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`has-idle` and `has-msgsnd-hcall` are empty presence flags",
    explanation: "
They announce the `EV_IDLE` and `EV_MSGSND` hypercalls by their presence; a value means someone
thought they carry data. Linux reads `has-idle` from the node where it found
`hcall-instructions`. QEMU's e500 node emits `has-idle`.

Fix: `has-idle;`",
    sources: &[S15, S16, S18],
    run: capability_flags,
};

fn capability_flags(ctx: &Context, out: &mut Out) {
    for name in ["has-idle", "has-msgsnd-hcall"] {
        for &id in ctx.with_prop(name) {
            let Some(v) = ctx.prop(id, name) else { continue };
            if !v.is_empty() {
                out.warning(
                    id,
                    Some(name),
                    format!("{name} has a value ({}); it is a presence flag", describe_bytes(v)),
                )
                .with_fix(Fix::SetProperty {
                    path: ctx.path(id),
                    property: name.into(),
                    value: Vec::new(),
                });
            }
        }
    }
}

pub static ROOT_VERSION: Rule = Rule {
    id: "epapr-root-version",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Root `epapr-version` is a string `ePAPR-<major>.<minor>`",
    explanation: "
ePAPR requires `epapr-version` at the root (the later DT specification does not); Topaz writes
`ePAPR-1.0`. Reported as info, only for trees with an ePAPR-mode hypervisor node or an
`epapr-version` property.",
    sources: &[S15, S17],
    run: root_version,
};

fn root_version(ctx: &Context, out: &mut Out) {
    let root = ctx.root();
    let v = ctx.prop(root, "epapr-version");
    if v.is_none() && epapr_mode_nodes(ctx).next().is_none() {
        return;
    }
    match v {
        None => {
            out.info(root, None, "no epapr-version at the root (ePAPR requires it, e.g. \"ePAPR-1.1\")");
        }
        Some(v) => {
            let ok = value::as_string(v).and_then(|s| s.strip_prefix("ePAPR-")).is_some_and(|mm| {
                mm.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && b.bytes().all(|c| c.is_ascii_digit())
                })
            });
            if !ok {
                out.info(
                    root,
                    Some("epapr-version"),
                    format!("epapr-version is {}, not \"ePAPR-<major>.<minor>\"", describe_bytes(v)),
                );
            }
        }
    }
}

pub static HV_PIC: Rule = Rule {
    id: "epapr-hv-pic",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "An `epapr,hv-pic` node is a 2-cell interrupt controller with `#address-cells = <0>`",
    explanation: "
ePAPR §7.6.1.1 (Table 7-7): the virtual PIC has `#interrupt-cells = <2>`, `#address-cells = <0>`
and `interrupt-controller` (errors when wrong), `priority-count` (u32, Required by the spec, but
Topaz omits it and sets `no-priority` instead: warning), optional `hv-handle` (u32), and the
presence flags `has-task-priority`, `has-external-proxy`, `no-priority` (empty).",
    sources: &[S15, S17],
    run: hv_pic,
};

fn hv_pic(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("epapr,hv-pic") {
        let path = ctx.path(id);
        match ctx.prop_u32(id, "#interrupt-cells") {
            Some(2) => {}
            other => {
                out.error(
                    id,
                    Some("#interrupt-cells"),
                    match other {
                        Some(n) => format!("#interrupt-cells is {n}, must be 2 (source, flags)"),
                        None => "#interrupt-cells missing or not one cell; must be <2>".to_string(),
                    },
                )
                .with_fix(Fix::SetProperty {
                    path: path.clone(),
                    property: "#interrupt-cells".into(),
                    value: 2u32.to_be_bytes().to_vec(),
                });
            }
        }
        if ctx.prop_u32(id, "#address-cells") != Some(0) {
            out.error(id, Some("#address-cells"), "#address-cells must be <0> on an epapr,hv-pic").with_fix(
                Fix::SetProperty {
                    path: path.clone(),
                    property: "#address-cells".into(),
                    value: 0u32.to_be_bytes().to_vec(),
                },
            );
        }
        if !ctx.has(id, "interrupt-controller") {
            out.error(id, None, "no interrupt-controller property").with_fix(Fix::SetProperty {
                path: path.clone(),
                property: "interrupt-controller".into(),
                value: Vec::new(),
            });
        }
        match ctx.prop(id, "priority-count") {
            None => {
                out.warning(
                    id,
                    None,
                    if ctx.has(id, "no-priority") {
                        "no priority-count (required by ePAPR; Topaz also omits it and sets no-priority)"
                    } else {
                        "no priority-count (required by ePAPR)"
                    },
                );
            }
            Some(v) if v.len() != 4 => {
                out.warning(id, Some("priority-count"), format!("priority-count is {}, not one u32", bytes(v.len())));
            }
            _ => {}
        }
        if let Some(v) = ctx.prop(id, "hv-handle") {
            if v.len() != 4 {
                out.error(id, Some("hv-handle"), format!("hv-handle is {}, not one u32", bytes(v.len())));
            }
        }
        for flag in ["has-task-priority", "has-external-proxy", "no-priority"] {
            if ctx.prop(id, flag).is_some_and(|v| !v.is_empty()) {
                out.warning(id, Some(flag), format!("{flag} has a value; it is a presence flag"));
            }
        }
    }
}

pub static HV_PIC_SPECIFIER: Rule = Rule {
    id: "epapr-hv-pic-specifier",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Interrupts on an `epapr,hv-pic` are `<source flags>`, source non-zero, flags 0..3",
    explanation: "
ePAPR §7.6 and Table 7-8: a specifier is `<source-number flags>`. Source 0 is reserved for
\"spurious\" (error). Flags use only the two lowest bits, bit 31 polarity and bit 30 sense in
Power bit numbering (so values 0..3); other bits are a warning. (The table comes from an OCR-like
import of the spec; its alignment is imperfect.)",
    sources: &[S15],
    run: hv_pic_specifier,
};

fn is_hv_pic(ctx: &Context, id: NodeId) -> bool {
    ctx.is_compatible(id, "epapr,hv-pic")
}

fn hv_pic_specifier(ctx: &Context, out: &mut Out) {
    if ctx.with_compatible("epapr,hv-pic").is_empty() {
        return;
    }
    let mut nodes: Vec<NodeId> = ctx.with_prop("interrupts").to_vec();
    nodes.extend_from_slice(ctx.with_prop("interrupts-extended"));
    ctx.doc_order(&mut nodes);
    for id in nodes {
        let Ok(specs) = ctx.irq_specs(id) else { continue };
        let prop = if ctx.has(id, "interrupts-extended") { "interrupts-extended" } else { "interrupts" };
        for (i, s) in specs.iter().enumerate() {
            if !is_hv_pic(ctx, s.parent) || s.cells.len() != 2 {
                continue;
            }
            let (src, flags) = (s.cells[0], s.cells[1]);
            if src == 0 {
                out.error(
                    id,
                    Some(prop),
                    format!("specifier {i} uses source 0, which ePAPR reserves for \"spurious\""),
                );
            }
            if flags > 3 {
                out.warning(
                    id,
                    Some(prop),
                    format!("specifier {i} has flags 0x{flags:x}; only the polarity and sense bits (0..3) are defined"),
                );
            }
        }
    }
}

pub static HV_PIC_IPI: Rule = Rule {
    id: "epapr-hv-pic-ipi",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "An `epapr,hv-pic-ipi` node has `interrupts` on an `epapr,hv-pic`",
    explanation: "
ePAPR §7.6.1.3 (Table 7-9): the IPI node lists one interrupt specifier per IPI channel, in the
interrupt domain of an `epapr,hv-pic`.",
    sources: &[S15],
    run: hv_pic_ipi,
};

fn hv_pic_ipi(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("epapr,hv-pic-ipi") {
        if !ctx.has(id, "interrupts") && !ctx.has(id, "interrupts-extended") {
            out.warning(id, None, "no interrupts (one specifier per IPI channel)");
            continue;
        }
        match ctx.irq_specs(id) {
            Ok(specs) => {
                if let Some(s) = specs.iter().find(|s| !is_hv_pic(ctx, s.parent)) {
                    out.warning(
                        id,
                        Some("interrupts"),
                        format!("interrupts go to {}, not an epapr,hv-pic", ctx.path(s.parent)),
                    );
                }
            }
            Err(e) => {
                out.warning(id, Some("interrupts"), e);
            }
        }
    }
}

pub static BYTE_CHANNEL: Rule = Rule {
    id: "epapr-byte-channel",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "An `epapr,hv-byte-channel` has a 4-byte `hv-handle` and `interrupts` `<rx [tx]>`",
    explanation: "
ePAPR §7.7.2 (Table 7-11): the handle is the argument of every byte-channel hypercall, so a
missing or wrongly sized `hv-handle` is an error (RTEMS's QorIQ console also requires 4 bytes).
`interrupts` has one or two specifiers (RX, then TX); none or more than two is an error. One is
allowed by the spec (no TX interrupt) but Linux's tty driver (`ehv_bytechan`) requires both and
refuses the channel: warning.",
    sources: &[S15, S16],
    run: byte_channel,
};

fn byte_channel(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("epapr,hv-byte-channel") {
        match ctx.prop(id, "hv-handle") {
            None => {
                out.error(id, None, "no hv-handle: byte-channel hypercalls have no channel to name");
            }
            Some(v) if v.len() != 4 => {
                out.error(id, Some("hv-handle"), format!("hv-handle is {}, not one 4-byte cell", bytes(v.len())));
            }
            _ => {}
        }
        if !ctx.has(id, "interrupts") && !ctx.has(id, "interrupts-extended") {
            out.error(id, None, "no interrupts (expected <rx tx>)");
            continue;
        }
        match ctx.irq_specs(id) {
            Ok(s) if s.len() == 1 => {
                out.warning(
                    id,
                    Some("interrupts"),
                    "only an RX interrupt; Linux's byte-channel tty driver needs RX and TX",
                );
            }
            Ok(s) if s.len() > 2 => {
                out.error(
                    id,
                    Some("interrupts"),
                    format!("{} interrupt specifiers; a byte channel has RX and TX only", s.len()),
                );
            }
            Ok(s) if s.is_empty() => {
                out.error(id, Some("interrupts"), "interrupts is empty (expected <rx tx>)");
            }
            Ok(_) => {}
            Err(e) => {
                out.error(id, Some("interrupts"), e);
            }
        }
    }
}

pub static BYTE_CHANNEL_EDGE: Rule = Rule {
    id: "epapr-byte-channel-edge",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Decodes the byte-channel interrupt triggers (the spec says edge)",
    explanation: "
ePAPR §7.7.2 says both byte-channel interrupts are edge-triggered. With an `epapr,hv-pic` parent
the sense bit (value 2) clear means edge, set means level; polarity is value 1. (Bit meanings from
the OCR-like import of Table 7-8.) Other parents are shown undecoded.",
    sources: &[S15],
    run: byte_channel_edge,
};

fn byte_channel_edge(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("epapr,hv-byte-channel") {
        let Ok(specs) = ctx.irq_specs(id) else { continue };
        let mut parts = Vec::new();
        for (i, s) in specs.iter().enumerate() {
            let which = match i {
                0 => "RX",
                1 => "TX",
                _ => "extra",
            };
            if is_hv_pic(ctx, s.parent) && s.cells.len() == 2 {
                let f = s.cells[1];
                parts.push(format!(
                    "{which} source {} {}{}",
                    s.cells[0],
                    if f & 2 != 0 { "level" } else { "edge" },
                    if f & 2 != 0 { " (the spec says edge)" } else { "" }
                ));
            } else {
                parts.push(format!("{which} {}", cells_text(&s.cells)));
            }
        }
        if !parts.is_empty() {
            out.info(id, Some("interrupts"), parts.join("; "));
        }
    }
}

pub static BYTE_CHANNEL_CONSOLE: Rule = Rule {
    id: "epapr-byte-channel-console",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A byte channel used as `stdout-path` has `hv-handle` and `interrupts`",
    explanation: "
Linux only registers the byte-channel console when `/chosen/stdout-path` points to an
`epapr,hv-byte-channel` node that has both `hv-handle` and `interrupts`; otherwise the console
silently stays on another device (or none).",
    sources: &[S16],
    run: byte_channel_console,
};

fn byte_channel_console(ctx: &Context, out: &mut Out) {
    let Some(ch) = ctx.chosen else { return };
    let Some(p) = ctx.prop_str(ch, "stdout-path").or_else(|| ctx.prop_str(ch, "linux,stdout-path")) else { return };
    let Some(target) = ctx.resolve_path_or_alias(p) else { return };
    if !ctx.is_compatible(target, "epapr,hv-byte-channel") {
        return;
    }
    let missing: Vec<&str> = ["hv-handle", "interrupts"].into_iter().filter(|n| !ctx.has(target, n)).collect();
    if !missing.is_empty() {
        out.warning(
            ch,
            Some("stdout-path"),
            format!(
                "stdout-path {} is a byte channel without {}; Linux will not use it as the console",
                q(p),
                missing.join(" and ")
            ),
        );
    }
}

const SPEC_SEND: &str = "epapr,hv-doorbell-send-handle";
const SPEC_RECV: &str = "epapr,hv-doorbell-receive-handle";
const IMPL_SEND: &str = "epapr,hv-send-doorbell";
const IMPL_RECV: &str = "epapr,hv-receive-doorbell";
const OLD_RECV: &str = "fsl,hv-doorbell-receive-handle";

pub static DOORBELL_NAMES: Rule = Rule {
    id: "epapr-doorbell-names",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Doorbell endpoints use the names Linux matches (`epapr,hv-{send,receive}-doorbell`)",
    explanation: "
Documentation and code drift: ePAPR §7.8.2-7.8.3 names the endpoints
`epapr,hv-doorbell-send-handle` / `epapr,hv-doorbell-receive-handle`; Topaz and Linux use
`epapr,hv-send-doorbell` / `epapr,hv-receive-doorbell` (old Linux also
`fsl,hv-doorbell-receive-handle`). All are recognised as doorbells here; a node with only a spec
name gets a warning because Linux matches the implementation name.

Fix: add the implementation name, e.g.
`compatible = \"epapr,hv-receive-doorbell\", \"epapr,hv-doorbell-receive-handle\";`",
    sources: &[S15, S17, S16],
    run: doorbell_names,
};

fn doorbell_names(ctx: &Context, out: &mut Out) {
    for (spec, imp) in [(SPEC_SEND, IMPL_SEND), (SPEC_RECV, IMPL_RECV)] {
        for &id in ctx.with_compatible(spec) {
            let compat = ctx.compatible(id);
            if compat.contains(&imp) || (spec == SPEC_RECV && compat.contains(&OLD_RECV)) {
                continue;
            }
            let mut fixed = vec![imp];
            fixed.extend(compat.iter().copied());
            out.warning(
                id,
                Some("compatible"),
                format!("doorbell named only by the spec's {}; Linux and Topaz match {}", q(spec), q(imp)),
            )
            .with_fix(Fix::SetProperty {
                path: ctx.path(id),
                property: "compatible".into(),
                value: string_list_bytes(&fixed),
            });
        }
    }
}

pub static DOORBELL_SEND: Rule = Rule {
    id: "epapr-doorbell-send",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A send-doorbell endpoint has a 4-byte `hv-handle`",
    explanation: "
ePAPR §7.8.2: the sending side rings the doorbell with `EV_DOORBELL_SEND(handle)`; without a
4-byte `hv-handle` it cannot name the doorbell.",
    sources: &[S15, S17],
    run: doorbell_send,
};

fn doorbell_send(ctx: &Context, out: &mut Out) {
    let mut nodes: Vec<NodeId> = ctx.with_compatible(SPEC_SEND).to_vec();
    nodes.extend_from_slice(ctx.with_compatible(IMPL_SEND));
    ctx.doc_order(&mut nodes);
    for id in nodes {
        match ctx.prop(id, "hv-handle") {
            None => {
                out.error(id, None, "send doorbell without hv-handle");
            }
            Some(v) if v.len() != 4 => {
                out.error(id, Some("hv-handle"), format!("hv-handle is {}, not one 4-byte cell", bytes(v.len())));
            }
            _ => {}
        }
    }
}

pub static DOORBELL_RECEIVE: Rule = Rule {
    id: "epapr-doorbell-receive",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A receive-doorbell endpoint has exactly one interrupt specifier",
    explanation: "
ePAPR §7.8.3: a receive doorbell is an interrupt. Linux's Freescale hypervisor driver takes the
first cell of `interrupts` as the doorbell number and maps the IRQ from it, so there must be
exactly one specifier.",
    sources: &[S15, S16],
    run: doorbell_receive,
};

fn doorbell_receive(ctx: &Context, out: &mut Out) {
    let mut nodes: Vec<NodeId> = Vec::new();
    for c in [SPEC_RECV, IMPL_RECV, OLD_RECV] {
        nodes.extend_from_slice(ctx.with_compatible(c));
    }
    ctx.doc_order(&mut nodes);
    for id in nodes {
        if !ctx.has(id, "interrupts") && !ctx.has(id, "interrupts-extended") {
            out.error(id, None, "receive doorbell without interrupts");
            continue;
        }
        match ctx.irq_specs(id) {
            Ok(s) if s.len() == 1 => {}
            Ok(s) => {
                out.error(
                    id,
                    Some("interrupts"),
                    format!("{} interrupt specifiers; a receive doorbell has exactly one", s.len()),
                );
            }
            Err(e) => {
                out.error(id, Some("interrupts"), e);
            }
        }
    }
}

pub static HANDLE_CONSISTENCY: Rule = Rule {
    id: "epapr-handle-consistency",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Handle nodes with both `reg` and `hv-handle` agree; the `handles` container is 1/0 cells",
    explanation: "
Topaz writes each handle both as `hv-handle` and as `reg`, under a `handles` container with
`#address-cells = <1>` and `#size-cells = <0>`; Linux falls back to `reg` for old hypervisors.
The two must be the same 4-byte value. (dtc reports `unit_address_vs_reg` on these nodes because
Topaz names them without unit addresses; that is expected.)",
    sources: &[S17, S16],
    run: handle_consistency,
};

fn handle_consistency(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("hv-handle") {
        let (Some(h), Some(r)) = (ctx.prop(id, "hv-handle"), ctx.prop(id, "reg")) else { continue };
        if h.len() != 4 || r.len() != 4 {
            out.warning(
                id,
                Some("reg"),
                format!("hv-handle is {} and reg {}; both should be one 4-byte handle", bytes(h.len()), bytes(r.len())),
            );
        } else if h != r {
            out.warning(
                id,
                Some("reg"),
                format!(
                    "reg {} differs from hv-handle {}; old-hypervisor fallbacks read reg",
                    describe_bytes(r),
                    describe_bytes(h)
                ),
            );
        }
    }
    for hv in &ctx.hv {
        let Some(n) = ctx.node(hv.node) else { continue };
        for &c in &n.children {
            if ctx.name(c) != "handles" {
                continue;
            }
            if ctx.declared_cells(c) != (Some(1), Some(0)) {
                let (a, s) = ctx.declared_cells(c);
                let show = |v: Option<u32>| v.map_or_else(|| "absent".to_string(), |v| v.to_string());
                out.warning(
                    c,
                    None,
                    format!(
                        "handles container has #address-cells {} and #size-cells {}; expected <1> and <0>",
                        show(a),
                        show(s)
                    ),
                );
            }
        }
    }
}

pub static FSL_HV: Rule = Rule {
    id: "epapr-fsl-hv",
    family: RuleFamily::Epapr,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a Freescale/NXP embedded hypervisor (Topaz) node and decodes its `fsl,hv-*` properties",
    explanation: "
`/hypervisor` with `fsl,hv-version` is the Freescale/NXP embedded hypervisor (\"Topaz\"); Linux's
Freescale management driver only loads when `/hypervisor/fsl,hv-version` exists. Topaz writes
16 bytes: major, minor, API version, API compatibility version. Also shown:
`fsl,hv-sys-reset-status`, `fsl,hv-stopped-by`, `fsl,hv-reason-stopped`.",
    sources: &[S16, S17],
    run: fsl_hv,
};

fn fsl_hv(ctx: &Context, out: &mut Out) {
    let Some(root) = ctx.node(ctx.root()) else { return };
    for &c in &root.children {
        if ctx.name(c) != "hypervisor" {
            continue;
        }
        let Some(v) = ctx.prop(c, "fsl,hv-version") else { continue };
        let mut msg = match value::as_cells(v).as_deref() {
            Some([a, b, api, compat]) => {
                format!("Freescale/NXP embedded hypervisor {a}.{b}, API {api} (compatible with API {compat})")
            }
            _ => format!(
                "Freescale/NXP embedded hypervisor, fsl,hv-version {} (Topaz writes 16 bytes: major minor api api-compat)",
                describe_bytes(v)
            ),
        };
        for p in ["fsl,hv-sys-reset-status", "fsl,hv-stopped-by", "fsl,hv-reason-stopped"] {
            if let Some(v) = ctx.prop(c, p) {
                msg.push_str(&format!("; {p} = {}", describe_bytes(v)));
            }
        }
        out.info(c, Some("fsl,hv-version"), msg);
    }
}
