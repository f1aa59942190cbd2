//! Catalog §E: KVM and other hypervisors (`hv-*`). Scope guest: these nodes are what a
//! hypervisor hands to its guest. The KVM rules look at nodes of the KVM family (`linux,kvm`,
//! which absorbs the ePAPR fallback strings, catalog §2); the PowerPC ones skip trees that are
//! recognisably MIPS or Arm, which have their own label rules.

use super::{bytes, q, qlist, sibling_named};
use crate::check::context::{Arch, HvFamily, HvNode};
use crate::check::sources::*;
use crate::check::{Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &KVM_PPC_PATH,
    &KVM_PPC_HCALL,
    &KVM_PPC_TYPO,
    &KVM_PPC_DECORATIONS,
    &KVM_PROPOSED_PROPS,
    &KVM_MIPS,
    &KVM_ARM64,
    &JAILHOUSE,
    &GUNYAH_SCHEMA,
    &GUNYAH_VENDOR,
    &HYPERV_VMBUS,
    &ZEPHYR_XEN,
    &UNKNOWN,
    &MIXED_FAMILIES,
    &BAO_ACRN,
];

fn kvm_nodes<'c>(ctx: &'c Context) -> impl Iterator<Item = &'c HvNode> + 'c {
    ctx.hv.iter().filter(|h| h.kvm_mode())
}

/// Whether the PowerPC KVM rules apply: not a tree recognisably of another architecture.
fn ppc_like(ctx: &Context) -> bool {
    !matches!(ctx.arch(), Arch::Mips | Arch::Arm)
}

/// Property names of a node, in order.
fn prop_names<'c>(ctx: &'c Context, id: NodeId) -> Vec<&'c str> {
    ctx.node(id).map_or_else(Vec::new, |n| n.props.iter().map(|p| p.name.as_str()).collect())
}

fn children<'c>(ctx: &'c Context, id: NodeId) -> &'c [NodeId] {
    ctx.node(id).map_or(&[], |n| n.children.as_slice())
}

/// Properties every node may carry whatever its binding says.
const ALWAYS_ALLOWED: [&str; 3] = ["phandle", "linux,phandle", "status"];

pub static KVM_PPC_PATH: Rule = Rule {
    id: "hv-kvm-ppc-path",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "A `linux,kvm` node is exactly `/hypervisor`",
    explanation: "
Linux on PowerPC marks itself a KVM guest (`check_kvm_guest`) only when the node at the path
`/hypervisor` is compatible with `linux,kvm`. Linux's path lookup compares full node names, so
`hypervisor@...` or a node elsewhere is not found, and the KVM paravirt setup (magic page,
idle hcall), which depends on that flag, stays off. Trees recognisably MIPS or Arm (root or CPU
compatibles) are skipped: the PowerPC lookup does not apply there (see `hv-kvm-mips`,
`hv-kvm-arm64`).

Verified against Linux `arch/powerpc/kernel/firmware.c`, `drivers/of/base.c`, `kvm.c` and
`Documentation/virt/kvm/ppc-pv.rst`.

Fix: `/ { hypervisor { compatible = \"linux,kvm\"; hcall-instructions = <...>; }; };`",
    sources: &[S16],
    run: kvm_ppc_path,
};

fn kvm_ppc_path(ctx: &Context, out: &mut Out) {
    if !ppc_like(ctx) {
        return;
    }
    for hv in kvm_nodes(ctx) {
        let id = hv.node;
        let path = ctx.path(id);
        if path == "/hypervisor" {
            continue;
        }
        let f = out.error(
            id,
            None,
            format!("linux,kvm node is {path}, not /hypervisor; Linux/PowerPC will not know it is a KVM guest"),
        );
        if ctx.depth(id) == 1 && !sibling_named(ctx, id, "hypervisor") {
            f.with_fix(Fix::RenameNode { path, new_name: "hypervisor".into() });
        }
    }
}

pub static KVM_PPC_HCALL: Rule = Rule {
    id: "hv-kvm-ppc-hcall",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A `linux,kvm` node also has `hcall-instructions` (1-4 cells)",
    explanation: "
Linux/PowerPC enables KVM paravirtualisation (the magic page and the KVM hypercalls) only when
the `linux,kvm` node is there *and* `hcall-instructions` gives the hypercall sequence (1 to 4
instructions). QEMU's e500 machine always writes 16 bytes; its pseries machine omits the
property unless KVM can hand over the sequence, so a missing property can be legitimate there:
hence a warning. MIPS and Arm trees are left to `hv-kvm-mips` / `hv-kvm-arm64`.

Verified against Linux `kvm.c` (`kvm_guest_init`), `epapr_paravirt.c` and QEMU `hw/ppc/e500.c`;
spapr from indexed excerpts.

Fix: `hcall-instructions = <0x7c000022 0x60000000 0x60000000 0x60000000>;` (what the host
reports for the guest).",
    sources: &[S16, S18],
    run: kvm_ppc_hcall,
};

fn kvm_ppc_hcall(ctx: &Context, out: &mut Out) {
    if !ppc_like(ctx) {
        return;
    }
    for hv in kvm_nodes(ctx) {
        match ctx.prop(hv.node, "hcall-instructions") {
            None => {
                out.warning(
                    hv.node,
                    None,
                    "linux,kvm node has no hcall-instructions; Linux will not enable KVM paravirtualisation",
                );
            }
            Some(v) if v.is_empty() || v.len() % 4 != 0 || v.len() > 16 => {
                out.warning(
                    hv.node,
                    Some("hcall-instructions"),
                    format!(
                        "hcall-instructions is {}, not 1-4 instructions; KVM paravirtualisation stays off",
                        bytes(v.len())
                    ),
                );
            }
            Some(_) => {}
        }
    }
}

pub static KVM_PPC_TYPO: Rule = Rule {
    id: "hv-kvm-ppc-typo",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`hypercall-instructions` is read by nobody; the property is `hcall-instructions`",
    explanation: "
Linux's `Documentation/virt/kvm/ppc-pv.rst` spells the property `hypercall-instructions`, but
Linux's code, QEMU and OpenBIOS all use `hcall-instructions`. A tree written from the document
has a property nobody reads and no hypercall sequence.

Fix: rename it to `hcall-instructions` (the dtlens fix adds `hcall-instructions` with the same
value when it is missing).",
    sources: &[S16, S18],
    run: kvm_ppc_typo,
};

fn kvm_ppc_typo(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("hypercall-instructions") {
        let has_right = ctx.has(id, "hcall-instructions");
        let msg = if has_right {
            "hypercall-instructions (the spelling of ppc-pv.rst) is read by nobody; hcall-instructions is also \
             present and is the one used"
        } else {
            "hypercall-instructions (the spelling of ppc-pv.rst) is read by nobody; Linux, QEMU and OpenBIOS use \
             hcall-instructions, which is missing"
        };
        let f = out.warning(id, Some("hypercall-instructions"), msg);
        if !has_right {
            if let Some(v) = ctx.prop(id, "hypercall-instructions") {
                f.with_fix(Fix::SetProperty {
                    path: ctx.path(id),
                    property: "hcall-instructions".into(),
                    value: v.to_vec(),
                });
            }
        }
    }
}

pub static KVM_PPC_DECORATIONS: Rule = Rule {
    id: "hv-kvm-ppc-decorations",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels the optional decorations of a KVM node (`has-idle`, the OpenBIOS form)",
    explanation: "
QEMU and OpenBIOS decorate the KVM node: `has-idle` (empty) says the host implements the
EV_IDLE hypercall; OpenBIOS writes `compatible = \"linux,kvm\", \"epapr,hypervisor-0.2\"`, a
4-cell `hcall-instructions`, a 4-byte `guest-id`, `guest-name = \"KVM guest\"` and
`device_type = \"hypervisor\"`. The DT specification deprecates `device_type` on nodes other
than `cpu` and `memory`; it is harmless here. These findings only label what is present.",
    sources: &[S18, S19],
    run: kvm_ppc_decorations,
};

fn kvm_ppc_decorations(ctx: &Context, out: &mut Out) {
    for hv in kvm_nodes(ctx) {
        let id = hv.node;
        if ctx.has(id, "has-idle") {
            out.info(
                id,
                Some("has-idle"),
                "has-idle: the host implements the EV_IDLE hypercall (Linux uses it to idle)",
            );
        }
        let compat = ctx.compatible(id);
        if compat.contains(&"epapr,hypervisor-0.2") {
            out.info(
                id,
                Some("compatible"),
                format!("compatible {} is the OpenBIOS form (KVM with the ePAPR 0.2 fallback)", qlist(&compat)),
            );
        }
        if let Some(dt) = ctx.prop_str(id, "device_type") {
            out.info(
                id,
                Some("device_type"),
                format!(
                    "device_type = {} (OpenBIOS writes \"hypervisor\"); the DT spec deprecates device_type outside \
                     cpu and memory nodes",
                    q(dt)
                ),
            );
        }
        if let Some(gid) = ctx.prop_u32(id, "guest-id") {
            out.info(id, Some("guest-id"), format!("guest-id = <0x{gid:x}>"));
        }
        if let Some(name) = ctx.prop_str(id, "guest-name") {
            out.info(id, Some("guest-name"), format!("guest-name = {}", q(name)));
        }
    }
}

pub static KVM_PROPOSED_PROPS: Rule = Rule {
    id: "hv-kvm-proposed-props",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels `kvm,has-reset` / `kvm,has-shutdown` (a 2013 proposal)",
    explanation: "
`kvm,has-reset` and `kvm,has-shutdown` were proposed on the KVM list in 2013 to advertise reset
and shutdown hypercalls. Unverified: whether the proposal was merged anywhere; no consumer was
found. dtlens only labels them.",
    sources: &["spinics.net kvm msg93587 (2013 proposal)", HEURISTIC],
    run: kvm_proposed_props,
};

fn kvm_proposed_props(ctx: &Context, out: &mut Out) {
    for p in ["kvm,has-reset", "kvm,has-shutdown"] {
        for &id in ctx.with_prop(p) {
            out.info(id, Some(p), format!("{p}: from a 2013 proposal; no consumer is known (unverified)"));
        }
    }
}

pub static KVM_MIPS: Rule = Rule {
    id: "hv-kvm-mips",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a `linux,kvm` node without `hcall-instructions` in a MIPS tree",
    explanation: "
Linux's MIPS Loongson64 virtio board file (`loongson64v_4core_virtio.dts`) has
`hypervisor { compatible = \"linux,kvm\"; }` without `hcall-instructions`. The PowerPC rules do
not apply there. Unverified: which MIPS code, if any, reads the node. dtlens labels it.",
    sources: &[S28],
    run: kvm_mips,
};

fn kvm_mips(ctx: &Context, out: &mut Out) {
    if ctx.arch() != Arch::Mips {
        return;
    }
    for hv in kvm_nodes(ctx) {
        if !ctx.has(hv.node, "hcall-instructions") {
            out.info(
                hv.node,
                None,
                "MIPS KVM guest marker (as the Loongson64 virtio board); no hcall-instructions, no known consumer \
                 (unverified)",
            );
        }
    }
}

pub static KVM_ARM64: Rule = Rule {
    id: "hv-kvm-arm64",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Flags a `linux,kvm` node in an Arm tree as unusual",
    explanation: "
Arm and arm64 KVM (and pKVM) guests discover the hypervisor through SMCCC calls, not a device
tree node; a `linux,kvm` `/hypervisor` in an Arm tree is therefore unusual, probably copied from a
PowerPC tree. Unverified: from general knowledge, not from a source read for the catalog.",
    sources: &[HEURISTIC],
    run: kvm_arm64,
};

fn kvm_arm64(ctx: &Context, out: &mut Out) {
    if ctx.arch() != Arch::Arm {
        return;
    }
    for hv in kvm_nodes(ctx) {
        out.info(
            hv.node,
            Some("compatible"),
            "linux,kvm node in an Arm tree: Arm KVM guests find the hypervisor through SMCCC, not the device tree \
             (unverified); nothing is known to read this node",
        );
    }
}

pub static JAILHOUSE: Rule = Rule {
    id: "hv-jailhouse",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a Jailhouse non-root cell (`jailhouse,cell`)",
    explanation: "
Jailhouse inmate device trees mark the cell with `/hypervisor { compatible = \"jailhouse,cell\"; }`.
Linux detects it (`jailhouse_paravirt()`) by searching the whole tree for that compatible, so
the node's name and place do not matter, and by convention it carries only `compatible`: Linux
reads no `reg` or `interrupts` from it (noted when present).

Example: `hypervisor { compatible = \"jailhouse,cell\"; };`",
    sources: &[S23],
    run: jailhouse,
};

fn jailhouse(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("jailhouse,cell") {
        out.info(id, Some("compatible"), "Jailhouse non-root cell marker (Linux searches the whole tree for it)");
        let extra: Vec<&str> =
            prop_names(ctx, id).into_iter().filter(|p| *p != "compatible" && !ALWAYS_ALLOWED.contains(p)).collect();
        if !extra.is_empty() {
            out.info(
                id,
                extra.first().copied(),
                format!("the Jailhouse marker carries {}; Linux reads none of them", extra.join(", ")),
            );
        }
    }
}

pub static GUNYAH_SCHEMA: Rule = Rule {
    id: "hv-gunyah-schema",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A Gunyah node follows the mainline schema (`gunyah-hypervisor`, resource-manager children)",
    explanation: "
Linux's `gunyah-hypervisor.yaml`: the node's compatible is exactly `gunyah-hypervisor`, with
`#address-cells = <2>` and `#size-cells = <0>` and no other property; its children are
`gunyah-resource-mgr[@...]` with compatible `gunyah-resource-manager`, `reg` = two capability
IDs (TX, RX) of 2 cells each and no size, and `interrupts` = two (TX full, RX empty).

Nodes with only the vendor strings (`qcom,gunyah-hypervisor...`, `qcom,haven-hypervisor`) are
labelled by `hv-gunyah-vendor` instead.

Example: `hypervisor { #address-cells = <2>; #size-cells = <0>; compatible = \"gunyah-hypervisor\";
gunyah-resource-mgr@0 { compatible = \"gunyah-resource-manager\"; interrupts = <0 3 1>,
<0 4 1>; reg = <0 0>, <0 1>; }; };`",
    sources: &["S22: Linux bindings firmware/gunyah-hypervisor.yaml (c0cad4ea), Gunyah resource manager"],
    run: gunyah_schema,
};

fn gunyah_schema(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("gunyah-hypervisor") {
        let compat = ctx.compatible(id);
        if compat != ["gunyah-hypervisor"] {
            out.warning(
                id,
                Some("compatible"),
                format!("compatible is {}; the mainline schema has exactly \"gunyah-hypervisor\"", qlist(&compat)),
            );
        }
        let (a, s) = ctx.declared_cells(id);
        if a != Some(2) {
            out.warning(
                id,
                Some("#address-cells"),
                format!("#address-cells is {}, the schema wants <2>", cell_text(a)),
            );
        }
        if s != Some(0) {
            out.warning(id, Some("#size-cells"), format!("#size-cells is {}, the schema wants <0>", cell_text(s)));
        }
        let extra: Vec<&str> = prop_names(ctx, id)
            .into_iter()
            .filter(|p| !["compatible", "#address-cells", "#size-cells"].contains(p) && !ALWAYS_ALLOWED.contains(p))
            .collect();
        if !extra.is_empty() {
            out.warning(id, extra.first().copied(), format!("properties not in the schema: {}", extra.join(", ")));
        }
        for &c in children(ctx, id) {
            let name = ctx.name(c);
            if crate::check::context::base_name(name) != "gunyah-resource-mgr" {
                out.warning(
                    c,
                    None,
                    format!("child {} is not gunyah-resource-mgr[@...]; the schema allows no other", q(name)),
                );
                continue;
            }
            let cc = ctx.compatible(c);
            if cc != ["gunyah-resource-manager"] {
                out.warning(
                    c,
                    Some("compatible"),
                    format!("compatible is {}; the schema wants \"gunyah-resource-manager\"", qlist(&cc)),
                );
            }
            match ctx.prop(c, "reg") {
                Some(v) if v.len() == 16 => {}
                Some(v) => {
                    out.warning(
                        c,
                        Some("reg"),
                        format!("reg is {}; the schema wants two 2-cell capability IDs (16 bytes)", bytes(v.len())),
                    );
                }
                None => {
                    out.warning(c, None, "no reg (the TX and RX capability IDs)");
                }
            }
            match ctx.prop(c, "interrupts") {
                None => {
                    out.warning(c, None, "no interrupts (TX full, RX empty)");
                }
                Some(_) => {
                    if let Ok(specs) = ctx.irq_specs(c) {
                        if specs.len() != 2 {
                            out.warning(
                                c,
                                Some("interrupts"),
                                format!("interrupts has {} specifier(s); the schema wants 2 (TX, RX)", specs.len()),
                            );
                        }
                    }
                }
            }
            let extra: Vec<&str> = prop_names(ctx, c)
                .into_iter()
                .filter(|p| {
                    !["compatible", "reg", "interrupts", "interrupt-parent"].contains(p) && !ALWAYS_ALLOWED.contains(p)
                })
                .collect();
            if !extra.is_empty() {
                out.warning(c, extra.first().copied(), format!("properties not in the schema: {}", extra.join(", ")));
            }
        }
    }
}

fn cell_text(v: Option<u32>) -> String {
    v.map_or_else(|| "absent".to_string(), |x| format!("<{x}>"))
}

pub static GUNYAH_VENDOR: Rule = Rule {
    id: "hv-gunyah-vendor",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels the Gunyah Resource-Manager / downstream forms that differ from the mainline schema",
    explanation: "
Gunyah's Resource Manager writes a different node than the mainline schema:
`compatible = [\"gunyah-hypervisor\",] \"qcom,gunyah-hypervisor-1.0\", \"qcom,gunyah-hypervisor\",
\"simple-bus\"` with `qcom,gunyah-vm` children (`qcom,gunyah-vm-id[-1.0]`, `qcom,vmid`,
`qcom,owner-vmid`, `qcom,vendor`); downstream kernels use `qcom,haven-hypervisor`. dtlens labels
these and notes that the mainline schema does not describe them. (`arm,gunyah-hypervisor` was
not found anywhere; it is treated as unknown.)",
    sources: &["S22: Linux bindings firmware/gunyah-hypervisor.yaml (c0cad4ea), Gunyah resource manager"],
    run: gunyah_vendor,
};

fn gunyah_vendor(ctx: &Context, out: &mut Out) {
    let mut nodes = ctx.with_compatible_prefix("qcom,gunyah-hypervisor");
    nodes.extend_from_slice(ctx.with_compatible("qcom,haven-hypervisor"));
    ctx.doc_order(&mut nodes);
    for id in nodes {
        let compat = ctx.compatible(id);
        let downstream = compat.contains(&"qcom,haven-hypervisor");
        out.info(
            id,
            Some("compatible"),
            format!(
                "{} Gunyah node ({}); the mainline schema only knows \"gunyah-hypervisor\" with resource-manager \
                 children",
                if downstream { "downstream (Haven)" } else { "Resource-Manager-generated" },
                qlist(&compat)
            ),
        );
        for &c in children(ctx, id) {
            if !ctx.compatible(c).iter().any(|s| s.starts_with("qcom,gunyah-vm")) {
                continue;
            }
            let field = |p: &str| -> String {
                match ctx.prop(c, p) {
                    Some(v) => match (value::as_u32(v), value::as_string(v)) {
                        (Some(x), _) => format!("{p} = <0x{x:x}>"),
                        (None, Some(s)) => format!("{p} = {}", q(s)),
                        _ => format!("{p} ({})", bytes(v.len())),
                    },
                    None => format!("no {p}"),
                }
            };
            out.info(
                c,
                Some("compatible"),
                format!(
                    "Gunyah VM description: {}, {}, {}",
                    field("qcom,vmid"),
                    field("qcom,owner-vmid"),
                    field("qcom,vendor")
                ),
            );
        }
    }
}

pub static HYPERV_VMBUS: Rule = Rule {
    id: "hv-hyperv-vmbus",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A `microsoft,vmbus` node has `ranges`, one interrupt, cells 2/1, and only `dma-coherent` extra",
    explanation: "
Hyper-V guests on Arm describe the VMBus with a `microsoft,vmbus` node (not a `/hypervisor`
node; labelled \"Hyper-V VMBus\"). Linux's `microsoft,vmbus.yaml` requires `ranges`,
`interrupts` (one), `#address-cells = <2>` and `#size-cells = <1>`; the only optional property
is `dma-coherent`.

Example: `vmbus@ff0000000 { compatible = \"microsoft,vmbus\"; #address-cells = <2>;
#size-cells = <1>; ranges = <0x0f 0xf0000000 0x0f 0xf0000000 0x10000000>; interrupts = <...>;
dma-coherent; };`",
    sources: &["S24: Linux bindings bus/microsoft,vmbus.yaml (e65d9626)"],
    run: hyperv_vmbus,
};

fn hyperv_vmbus(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("microsoft,vmbus") {
        out.info(id, Some("compatible"), "Hyper-V VMBus (not a /hypervisor node)");
        if !ctx.has(id, "ranges") {
            out.warning(id, None, "the VMBus node has no ranges");
        }
        let (a, s) = ctx.declared_cells(id);
        if a != Some(2) {
            out.warning(
                id,
                Some("#address-cells"),
                format!("#address-cells is {}, the binding wants <2>", cell_text(a)),
            );
        }
        if s != Some(1) {
            out.warning(id, Some("#size-cells"), format!("#size-cells is {}, the binding wants <1>", cell_text(s)));
        }
        if !ctx.has(id, "interrupts") && !ctx.has(id, "interrupts-extended") {
            out.warning(id, None, "the VMBus node has no interrupts (the binding requires one)");
        } else if let Ok(specs) = ctx.irq_specs(id) {
            if specs.len() != 1 {
                out.warning(
                    id,
                    Some("interrupts"),
                    format!("{} interrupt specifiers; the binding allows one", specs.len()),
                );
            }
        }
        let allowed = [
            "compatible",
            "ranges",
            "interrupts",
            "interrupts-extended",
            "interrupt-parent",
            "#address-cells",
            "#size-cells",
            "dma-coherent",
        ];
        let extra: Vec<&str> =
            prop_names(ctx, id).into_iter().filter(|p| !allowed.contains(p) && !ALWAYS_ALLOWED.contains(p)).collect();
        if !extra.is_empty() {
            out.warning(
                id,
                extra.first().copied(),
                format!("properties not in the binding: {} (only dma-coherent is optional)", extra.join(", ")),
            );
        }
    }
}

pub static ZEPHYR_XEN: Rule = Rule {
    id: "hv-zephyr-xen",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a Zephyr xenvm board file (`hypervisor@...`, only `xen,xen`, 4-cell GIC)",
    explanation: "
Zephyr's xenvm board files describe Xen as `hypervisor@38000000 { compatible = \"xen,xen\";
reg = <...>; interrupts = <...>; }` under a GIC with `#interrupt-cells = <4>`. Zephyr's own
binding needs only `reg` and `interrupts`, and its GIC flag encoding (level = 2, edge = 4,
fourth cell = priority) differs from Linux's. The Linux-based `xen-*` findings on such a tree
(node name, compatible order, interrupt flags) are true for a Linux guest but not for Zephyr.
dtlens labels the node when at least two of the three signs are present.",
    sources: &[S26],
    run: zephyr_xen,
};

fn zephyr_xen(ctx: &Context, out: &mut Out) {
    for hv in ctx.xen_nodes() {
        let id = hv.node;
        let mut signs = Vec::new();
        if ctx.name(id).starts_with("hypervisor@") {
            signs.push(format!("named {}", q(ctx.name(id))));
        }
        if ctx.compatible(id) == ["xen,xen"] {
            signs.push("compatible only \"xen,xen\"".to_string());
        }
        if let crate::check::IrqParent::Found(p) = ctx.irq_parent(id) {
            if ctx.interrupt_cells(p) == Some(4) {
                signs.push(format!("interrupt parent {} has #interrupt-cells = <4>", ctx.path(p)));
            }
        }
        if signs.len() >= 2 {
            out.info(
                id,
                None,
                format!(
                    "Zephyr xenvm board file ({}): Zephyr needs only reg and interrupts and encodes GIC flags its own \
                     way; Linux-based xen-* findings describe a Linux guest",
                    signs.join(", ")
                ),
            );
        }
    }
}

pub static UNKNOWN: Rule = Rule {
    id: "hv-unknown",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels a `/hypervisor` whose compatible matches no known family",
    explanation: "
A depth-1 node named `hypervisor` whose compatible is none of the families of catalog §2 (Xen,
ePAPR, KVM, Freescale Topaz, Jailhouse, Gunyah, Hyperlaunch, Hafnium). dtlens does not know its
binding and checks nothing on it.

Fix: if the node is meant for one of the known consumers, use that binding's compatible
(e.g. `\"xen,xen-4.19\", \"xen,xen\"` or `\"linux,kvm\"`).",
    sources: &[HEURISTIC],
    run: unknown,
};

fn unknown(ctx: &Context, out: &mut Out) {
    for hv in ctx.hv.iter().filter(|h| h.family == HvFamily::Unknown) {
        let compat = ctx.compatible(hv.node);
        let what =
            if compat.is_empty() { "no compatible".to_string() } else { format!("compatible {}", qlist(&compat)) };
        out.info(hv.node, None, format!("hypervisor node with {what}: no known binding family"));
    }
}

pub static MIXED_FAMILIES: Rule = Rule {
    id: "hv-mixed-families",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "One node claims two hypervisor families",
    explanation: "
A node that matches two families of catalog §2 (e.g. `xen,xen` and `linux,kvm`) is read
differently by each consumer; at most one of them can be right. A `linux,kvm` node that also has
`hcall-instructions` or an `epapr,hypervisor-*` string is *one* family, KVM (PowerPC KVM uses
the ePAPR hypercall ABI), and a Topaz node with ePAPR strings is one family, Topaz.

Fix: keep the compatible strings of the hypervisor that actually runs.",
    sources: &[S15, S16, S5],
    run: mixed_families,
};

fn mixed_families(ctx: &Context, out: &mut Out) {
    for hv in &ctx.hv {
        let fams = hv.distinct_families();
        if fams.len() > 1 {
            out.warning(
                hv.node,
                Some("compatible"),
                format!(
                    "this node claims {} families ({}); compatible is {}",
                    fams.len(),
                    fams.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "),
                    qlist(&ctx.compatible(hv.node))
                ),
            );
        }
    }
}

pub static BAO_ACRN: Rule = Rule {
    id: "hv-bao-acrn",
    family: RuleFamily::Hv,
    scope: Scope::Guest,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "Labels Bao shared-memory devices; Bao and ACRN have no `/hypervisor` convention",
    explanation: "
The catalog defines no check here. Bao exposes inter-VM shared memory as `bao,ipcshmem` device
nodes and no `/hypervisor` convention was found; ACRN is x86/ACPI-only. dtlens only labels
`bao,ipcshmem` nodes so that a Bao guest is recognisable. Unverified beyond code-index hits.",
    sources: &[HEURISTIC],
    run: bao_acrn,
};

fn bao_acrn(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_compatible("bao,ipcshmem") {
        out.info(id, Some("compatible"), "Bao inter-VM shared-memory device (Bao has no /hypervisor node)");
    }
}
