//! The Learn pages: one static [`Binding`] per binding. Property meanings are written here
//! once; why a wrong value fails is the business of the rules each entry links to.

use super::NodeSel::{Any, Compatible, Path};
use super::PropType as T;
use super::Required::{Conditional, Optional, Required as Req};
use super::{Binding, Mistake, PropDoc};
use crate::check::sources::*;
use crate::check::RuleFamily;

macro_rules! example {
    ($file:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/examples/", $file))
    };
}

const fn m(rule_id: &'static str, example_file: &'static str) -> Mistake {
    Mistake { rule_id, example_file }
}

pub(super) static BINDINGS: &[Binding] = &[XEN, EPAPR, XENBOOT, DOM0LESS, HV, DT];

// ---------------------------------------------------------------------------------------
// Xen on Arm /hypervisor

const XEN: Binding = Binding {
    id: "xen",
    title: "Xen on Arm: the /hypervisor node",
    purpose: "\
A guest running on Xen on Arm (dom0 or a domU) learns from this node that it runs on Xen, \
which Xen interface version the platform has, where in its physical address space it may \
map the grant table (the shared table through which domains grant each other access to \
pages), and which interrupt Xen raises when an event channel has something pending. Xen \
writes the node for dom0, and the toolstack (libxl) or Xen's dom0less builder writes it for \
the other guests; nobody writes it by hand for a real guest, but board files, templates and \
tools copy it.

Linux looks for a direct child of the root named exactly `hypervisor` and reads the version \
from the first compatible string. When Xen also provides EFI runtime services to the guest, \
a `uefi` child carries the addresses of the EFI system table and memory map.

Since 2021, `reg` can carry extra regions after the grant-table window: extended regions, \
unused address space the guest may use to map other domains' pages.",
    properties: &[
        PropDoc {
            name: "compatible",
            node: Path("/hypervisor"),
            ty: T::StringList,
            required: Req,
            meaning: "Exactly two strings: \"xen,xen-<major>.<minor>\" (the Xen interface version of the platform) and then \"xen,xen\". The versioned string comes first: it is the more specific one, and Linux reads the version from the first string only.",
            consumer: "Linux, U-Boot, Unikraft, Zephyr",
            rules: &["xen-compatible-generic", "xen-compatible-order", "xen-compatible-count", "xen-version-format"],
        },
        PropDoc {
            name: "reg",
            node: Path("/hypervisor"),
            ty: T::Reg,
            required: Conditional("(Xen's own ACPI stub for dom0 omits it)"),
            meaning: "Region 0: the guest-physical window where the guest maps the grant table; it must be large enough for the whole table. Regions 1..N (optional, since 2021): extended regions, unused address space for mapping other domains' pages and grants. Entries use the root's #address-cells and #size-cells.",
            consumer: "Linux, U-Boot, Unikraft",
            rules: &["xen-reg-present", "xen-reg-format", "xen-gnttab-region", "xen-gnttab-no-overlap", "xen-extregion-order"],
        },
        PropDoc {
            name: "interrupts",
            node: Path("/hypervisor"),
            ty: T::Interrupts,
            required: Conditional("(Xen's own ACPI stub for dom0 omits it)"),
            meaning: "The event-channel upcall: a per-CPU interrupt (an Arm GIC PPI) that Xen raises when an event channel is pending. Xen and libxl write <1 15 0xf08>, PPI 15 = interrupt 31.",
            consumer: "Linux, Zephyr, Unikraft",
            rules: &["xen-interrupts-present", "xen-interrupt-parent-gic", "xen-evtchn-ppi", "xen-evtchn-flags"],
        },
        PropDoc {
            name: "interrupt-parent",
            node: Path("/hypervisor"),
            ty: T::Phandle,
            required: Optional,
            meaning: "The GIC that receives the event-channel interrupt, when it is not inherited from the root.",
            consumer: "Linux",
            rules: &["xen-interrupt-parent-gic"],
        },
        PropDoc {
            name: "status",
            node: Path("/hypervisor"),
            ty: T::String,
            required: Optional,
            meaning: "Not part of the binding and ignored: \"disabled\" does not turn Xen support off.",
            consumer: "nobody",
            rules: &["xen-status-ignored"],
        },
        PropDoc {
            name: "xen,uefi-system-table",
            node: Path("/hypervisor/uefi"),
            ty: T::U64,
            required: Conditional("when the uefi child is present (all five together)"),
            meaning: "Guest-physical address of the EFI system table that Xen provides.",
            consumer: "Linux (EFI parameters)",
            rules: &["xen-uefi-complete", "xen-uefi-sizes"],
        },
        PropDoc {
            name: "xen,uefi-mmap-start",
            node: Path("/hypervisor/uefi"),
            ty: T::U64,
            required: Conditional("when the uefi child is present (all five together)"),
            meaning: "Guest-physical address of the EFI memory map.",
            consumer: "Linux (EFI parameters)",
            rules: &["xen-uefi-complete", "xen-uefi-sizes"],
        },
        PropDoc {
            name: "xen,uefi-mmap-size",
            node: Path("/hypervisor/uefi"),
            ty: T::U32,
            required: Conditional("when the uefi child is present (all five together)"),
            meaning: "Size in bytes of the EFI memory map: a whole number of descriptors.",
            consumer: "Linux (EFI parameters)",
            rules: &["xen-uefi-complete", "xen-uefi-sizes", "xen-uefi-values"],
        },
        PropDoc {
            name: "xen,uefi-mmap-desc-size",
            node: Path("/hypervisor/uefi"),
            ty: T::U32,
            required: Conditional("when the uefi child is present (all five together)"),
            meaning: "Size in bytes of one memory-map descriptor.",
            consumer: "Linux (EFI parameters)",
            rules: &["xen-uefi-complete", "xen-uefi-sizes", "xen-uefi-values"],
        },
        PropDoc {
            name: "xen,uefi-mmap-desc-ver",
            node: Path("/hypervisor/uefi"),
            ty: T::U32,
            required: Conditional("when the uefi child is present (all five together)"),
            meaning: "Version of the memory-map descriptor format (1).",
            consumer: "Linux (EFI parameters)",
            rules: &["xen-uefi-complete", "xen-uefi-sizes", "xen-uefi-values"],
        },
    ],
    example: example!("learn-xen-good.dts"),
    example_file: "learn-xen-good.dtb",
    family: RuleFamily::Xen,
    mistakes: &[
        m("xen-compatible-order", "learn-xen-broken-compatible-order.dtb"),
        m("dt-compatible", "learn-xen-broken-compatible-order.dtb"),
        m("xen-node-name", "learn-xen-broken-unit-address.dtb"),
        m("xen-interrupts-present", "learn-xen-broken-no-interrupts.dtb"),
        m("xen-evtchn-ppi", "learn-xen-broken-evtchn-spi.dtb"),
        m("xen-uefi-complete", "learn-xen-broken-uefi-incomplete.dtb"),
        m("xen-uefi-sizes", "learn-xen-broken-uefi-sizes.dtb"),
    ],
    sources: &[S1, S2, S3, S4, S5, S7, S9, S12, S14],
};

// ---------------------------------------------------------------------------------------
// ePAPR 1.1 chapter 7

const EPAPR: Binding = Binding {
    id: "epapr",
    title: "ePAPR 1.1: the hypervisor node and virtual devices",
    purpose: "\
ePAPR 1.1 (Power.org, 2011) chapter 7 describes how a Power Architecture hypervisor tells a \
guest partition about itself. The `/hypervisor` node says which hypervisor it is, gives the \
exact instruction sequence for a hypercall (so one guest kernel can run on hypervisors that \
trap differently), and names the partition (`guest-id`, `guest-name`). Flags announce \
optional hypercalls.

Virtual devices hang off the node as handles: byte channels (character streams, often the \
console), doorbells (interrupts sent between partitions) and a virtual interrupt controller \
(`epapr,hv-pic`) whose specifiers are <source flags>. Freescale/NXP's embedded hypervisor \
(Topaz) is the main producer; PowerPC KVM reuses the hypercall part (see the \"hv\" page).

The chapter was removed from the Devicetree Specification in 2016; Linux still reads it.",
    properties: &[
        PropDoc {
            name: "epapr-version",
            node: Path("/"),
            ty: T::String,
            required: Optional,
            meaning: "The ePAPR revision the tree follows, \"ePAPR-<major>.<minor>\".",
            consumer: "informational",
            rules: &["epapr-root-version"],
        },
        PropDoc {
            name: "compatible",
            node: Path("/hypervisor"),
            ty: T::StringList,
            required: Req,
            meaning: "\"epapr,hypervisor-<version>\", after any vendor-specific string such as \"fsl,embedded-hypervisor-<ver>\".",
            consumer: "Linux/PowerPC, Topaz guests",
            rules: &["epapr-compatible", "epapr-compatible-order"],
        },
        PropDoc {
            name: "hcall-instructions",
            node: Path("/hypervisor"),
            ty: T::Cells,
            required: Req,
            meaning: "The hypercall instruction sequence, 1 to 4 instructions as 32-bit words; the guest patches it into its hypercall stub (e.g. <0x44000022 0x4e800020> = sc 1; blr).",
            consumer: "Linux/PowerPC (epapr_paravirt)",
            rules: &[
                "epapr-hcall-instructions-present",
                "epapr-hcall-instructions-length",
                "epapr-hcall-instructions-unique",
                "epapr-hcall-instructions-decode",
            ],
        },
        PropDoc {
            name: "guest-id",
            node: Path("/hypervisor"),
            ty: T::U32,
            required: Conditional("in ePAPR mode (relaxed for KVM)"),
            meaning: "The partition's number.",
            consumer: "partition management tools",
            rules: &["epapr-guest-id"],
        },
        PropDoc {
            name: "guest-name",
            node: Path("/hypervisor"),
            ty: T::String,
            required: Conditional("in ePAPR mode (relaxed for KVM)"),
            meaning: "The partition's name.",
            consumer: "partition management tools",
            rules: &["epapr-guest-name"],
        },
        PropDoc {
            name: "has-idle",
            node: Path("/hypervisor"),
            ty: T::Empty,
            required: Optional,
            meaning: "The hypervisor implements the idle hypercall; the guest may idle with it.",
            consumer: "Linux/PowerPC",
            rules: &["epapr-capability-flags"],
        },
        PropDoc {
            name: "has-msgsnd-hcall",
            node: Path("/hypervisor"),
            ty: T::Empty,
            required: Optional,
            meaning: "The hypervisor implements the message-send hypercall.",
            consumer: "Linux/PowerPC",
            rules: &["epapr-capability-flags"],
        },
        PropDoc {
            name: "hv-handle",
            node: Path("/hypervisor/handles/<handle>"),
            ty: T::U32,
            required: Req,
            meaning: "The handle the hypercalls name this virtual device by (byte channel, doorbell).",
            consumer: "Linux/PowerPC drivers",
            rules: &["epapr-byte-channel", "epapr-doorbell-send", "epapr-handle-consistency"],
        },
        PropDoc {
            name: "reg",
            node: Path("/hypervisor/handles/<handle>"),
            ty: T::Cells,
            required: Optional,
            meaning: "The same value as hv-handle (Topaz writes both; old Linux falls back to reg).",
            consumer: "Linux/PowerPC (old hypervisors)",
            rules: &["epapr-handle-consistency"],
        },
        PropDoc {
            name: "interrupts",
            node: Compatible("epapr,hv-byte-channel"),
            ty: T::Interrupts,
            required: Req,
            meaning: "Receive interrupt, then (optionally) transmit interrupt, as <source flags> on the virtual PIC.",
            consumer: "Linux (ehv_bytechan)",
            rules: &["epapr-byte-channel", "epapr-byte-channel-edge"],
        },
        PropDoc {
            name: "interrupts",
            node: Compatible("epapr,hv-receive-doorbell"),
            ty: T::Interrupts,
            required: Req,
            meaning: "The one interrupt raised when another partition rings this doorbell.",
            consumer: "Linux/PowerPC",
            rules: &["epapr-doorbell-receive"],
        },
        PropDoc {
            name: "#interrupt-cells",
            node: Compatible("epapr,hv-pic"),
            ty: T::U32,
            required: Req,
            meaning: "Always 2: a specifier is <source flags>.",
            consumer: "Linux/PowerPC",
            rules: &["epapr-hv-pic", "epapr-hv-pic-specifier"],
        },
        PropDoc {
            name: "priority-count",
            node: Compatible("epapr,hv-pic"),
            ty: T::U32,
            required: Req,
            meaning: "How many interrupt priorities the virtual PIC has.",
            consumer: "ePAPR guests",
            rules: &["epapr-hv-pic"],
        },
        PropDoc {
            name: "no-priority",
            node: Compatible("epapr,hv-pic"),
            ty: T::Empty,
            required: Optional,
            meaning: "The virtual PIC does not implement priorities (Topaz sets this instead of priority-count).",
            consumer: "ePAPR guests",
            rules: &["epapr-hv-pic"],
        },
    ],
    example: example!("learn-epapr-good.dts"),
    example_file: "learn-epapr-good.dtb",
    family: RuleFamily::Epapr,
    mistakes: &[
        m("epapr-hcall-instructions-present", "learn-epapr-broken-no-hcall.dtb"),
        m("epapr-guest-id", "learn-epapr-broken-guest-id.dtb"),
        m("epapr-hv-pic", "learn-epapr-broken-pic-cells.dtb"),
        m("epapr-byte-channel", "learn-epapr-broken-pic-cells.dtb"),
        m("dt-interrupt-tree", "learn-epapr-broken-pic-cells.dtb"),
        m("dtc-interrupts_property", "learn-epapr-broken-pic-cells.dtb"),
        m("epapr-doorbell-names", "learn-epapr-broken-doorbell-name.dtb"),
    ],
    sources: &[S15, S16, S17, S18],
};

// ---------------------------------------------------------------------------------------
// Xen host DT: /chosen, command lines, boot modules

const XENBOOT: Binding = Binding {
    id: "xenboot",
    title: "Xen on Arm boot: /chosen, command lines and boot modules",
    purpose: "\
On Arm, the bootloader (U-Boot, GRUB, or Xen's own EFI loader) starts Xen with a device tree \
of the real machine. Besides the hardware, Xen needs to know what to boot and how: its own \
command line, dom0's command line, and where in memory the bootloader put dom0's kernel, its \
ramdisk and other blobs (an XSM policy, a device-tree fragment). All of that sits in \
`/chosen`.

Each blob is a boot module: a child of `/chosen` with compatible \"multiboot,module\" plus a \
string saying its role (\"multiboot,kernel\", \"multiboot,ramdisk\", …) and a `reg` with its \
address and size. Xen reads these before it starts dom0, and then rewrites `/chosen` for \
dom0 (dom0 never sees the module nodes).",
    properties: &[
        PropDoc {
            name: "xen,xen-bootargs",
            node: Path("/chosen"),
            ty: T::String,
            required: Optional,
            meaning: "Xen's own command line.",
            consumer: "Xen",
            rules: &["xenboot-bootargs-types", "xenboot-cmdline-resolution"],
        },
        PropDoc {
            name: "xen,dom0-bootargs",
            node: Path("/chosen"),
            ty: T::String,
            required: Optional,
            meaning: "dom0's kernel command line (takes precedence over the kernel module's own bootargs).",
            consumer: "Xen (passes it to dom0)",
            rules: &["xenboot-bootargs-types", "xenboot-cmdline-resolution"],
        },
        PropDoc {
            name: "bootargs",
            node: Path("/chosen"),
            ty: T::String,
            required: Optional,
            meaning: "In a tree given to Xen: Xen's command line when xen,xen-bootargs is absent and dom0 has its own (xen,dom0-bootargs or the kernel module's bootargs); otherwise dom0's.",
            consumer: "Xen, then dom0",
            rules: &["xenboot-bootargs-types", "xenboot-cmdline-resolution"],
        },
        PropDoc {
            name: "#address-cells",
            node: Path("/chosen"),
            ty: T::U32,
            required: Conditional("when /chosen has module children"),
            meaning: "Number of cells of a module's address in reg.",
            consumer: "Xen, dtc",
            rules: &["xenboot-chosen-cells"],
        },
        PropDoc {
            name: "#size-cells",
            node: Path("/chosen"),
            ty: T::U32,
            required: Conditional("when /chosen has module children"),
            meaning: "Number of cells of a module's size in reg.",
            consumer: "Xen, dtc",
            rules: &["xenboot-chosen-cells"],
        },
        PropDoc {
            name: "xen,static-heap",
            node: Path("/chosen"),
            ty: T::Reg,
            required: Optional,
            meaning: "Banks of RAM reserved for Xen's heap, as (address, size) in the root's cells, 64 KiB aligned.",
            consumer: "Xen",
            rules: &["xenboot-static-heap"],
        },
        PropDoc {
            name: "xen,uefi-cfg-load",
            node: Path("/chosen"),
            ty: T::Empty,
            required: Optional,
            meaning: "Xen's EFI loader also reads its configuration file when booted with a device tree.",
            consumer: "Xen (EFI boot)",
            rules: &["xenboot-uefi-cfg-load"],
        },
        PropDoc {
            name: "linux,initrd-start",
            node: Path("/chosen"),
            ty: T::U32OrU64,
            required: Conditional("together with linux,initrd-end"),
            meaning: "Start of an initrd loaded the Linux way; Xen takes it as dom0's ramdisk.",
            consumer: "Xen, Linux",
            rules: &["xenboot-initrd-props"],
        },
        PropDoc {
            name: "linux,initrd-end",
            node: Path("/chosen"),
            ty: T::U32OrU64,
            required: Conditional("together with linux,initrd-start"),
            meaning: "End (exclusive) of that initrd.",
            consumer: "Xen, Linux",
            rules: &["xenboot-initrd-props"],
        },
        PropDoc {
            name: "compatible",
            node: Path("/chosen/module@<address>"),
            ty: T::StringList,
            required: Req,
            meaning: "The module's role, then \"multiboot,module\": \"multiboot,kernel\" (dom0's kernel), \"multiboot,ramdisk\", \"xen,xsm-policy\", \"multiboot,device-tree\", \"multiboot,microcode\". Xen only treats nodes with \"multiboot,module\" as modules; with the generic string alone, the order decides the role.",
            consumer: "Xen",
            rules: &[
                "xenboot-module-generic",
                "xenboot-module-kind",
                "xenboot-module-order",
                "xenboot-module-guessing",
                "xenboot-module-legacy",
            ],
        },
        PropDoc {
            name: "reg",
            node: Path("/chosen/module@<address>"),
            ty: T::Reg,
            required: Conditional("unless xen,uefi-binary names the file"),
            meaning: "Where the bootloader loaded the module: (address, size) in /chosen's cells.",
            consumer: "Xen",
            rules: &["xenboot-module-reg", "xenboot-module-size", "xenboot-module-unit-address"],
        },
        PropDoc {
            name: "bootargs",
            node: Path("/chosen/module@<address>"),
            ty: T::String,
            required: Optional,
            meaning: "On a kernel module: that kernel's command line (xen,dom0-bootargs wins for dom0).",
            consumer: "Xen (passes it to the kernel)",
            rules: &["xenboot-bootargs-types", "xenboot-cmdline-resolution"],
        },
        PropDoc {
            name: "xen,uefi-binary",
            node: Path("/chosen/module@<address>"),
            ty: T::String,
            required: Optional,
            meaning: "Under EFI boot: the file Xen's loader reads from the boot partition into this module.",
            consumer: "Xen (EFI boot)",
            rules: &["xenboot-uefi-binary"],
        },
        PropDoc {
            name: "xen,passthrough",
            node: Any,
            ty: T::Empty,
            required: Optional,
            meaning: "On a device node: hide the device from dom0 so it can be assigned to another domain.",
            consumer: "Xen",
            rules: &["xenboot-passthrough-flag"],
        },
        PropDoc {
            name: "cpupool-cpus",
            node: Compatible("xen,cpupool"),
            ty: T::PhandleList,
            required: Req,
            meaning: "The CPUs (phandles of cpu nodes) of this CPU pool.",
            consumer: "Xen",
            rules: &["xenboot-cpupool"],
        },
        PropDoc {
            name: "cpupool-sched",
            node: Compatible("xen,cpupool"),
            ty: T::String,
            required: Optional,
            meaning: "The scheduler of the pool: credit, credit2, null, rtds or arinc653.",
            consumer: "Xen",
            rules: &["xenboot-cpupool"],
        },
    ],
    example: example!("learn-xenboot-good.dts"),
    example_file: "learn-xenboot-good.dtb",
    family: RuleFamily::Xenboot,
    mistakes: &[
        m("xenboot-module-generic", "learn-xenboot-broken-no-generic.dtb"),
        m("xenboot-module-order", "learn-xenboot-broken-module-order.dtb"),
        m("xenboot-module-unit-address", "learn-xenboot-broken-unit-address.dtb"),
        m("dt-unit-address", "learn-xenboot-broken-unit-address.dtb"),
        m("dtc-unit_address_format", "learn-xenboot-broken-unit-address.dtb"),
        m("xenboot-cmdline-resolution", "learn-xenboot-broken-linux-cmdline.dtb"),
        m("xenboot-chosen-cells", "learn-xenboot-broken-chosen-cells.dtb"),
        m("dt-cells-explicit", "learn-xenboot-broken-chosen-cells.dtb"),
        m("dt-reg-format", "learn-xenboot-broken-chosen-cells.dtb"),
        m("dtc-avoid_default_addr_size", "learn-xenboot-broken-chosen-cells.dtb"),
        m("dtc-reg_format", "learn-xenboot-broken-chosen-cells.dtb"),
    ],
    sources: &[S10, S11, S13, S19],
};

// ---------------------------------------------------------------------------------------
// dom0less

const DOM0LESS: Binding = Binding {
    id: "dom0less",
    title: "Xen dom0less: domains started at boot",
    purpose: "\
Dom0less lets Xen on Arm create guests directly at boot, from the device tree, without a \
dom0 toolstack: useful for embedded and safety systems where the domains are fixed. Each \
`xen,domain` child of `/chosen` is one guest: its number of virtual CPUs, its memory, its \
kernel and ramdisk as boot modules (the same `multiboot,*` nodes as dom0's, one level down), \
and options such as an emulated PL011 console, static memory, CPU pools, static event \
channels and shared memory.

With `xen,enhanced`, Xen also gives the guest a `/hypervisor` node (see the \"xen\" page) so \
that it can use Xen's paravirtual interfaces.",
    properties: &[
        PropDoc {
            name: "compatible",
            node: Path("/chosen/<domain>"),
            ty: T::StringList,
            required: Req,
            meaning: "\"xen,domain\": this /chosen child describes a domain Xen builds at boot.",
            consumer: "Xen",
            rules: &["dom0less-location"],
        },
        PropDoc {
            name: "cpus",
            node: Path("/chosen/<domain>"),
            ty: T::U32,
            required: Req,
            meaning: "Number of virtual CPUs, at least 1.",
            consumer: "Xen",
            rules: &["dom0less-cpus"],
        },
        PropDoc {
            name: "memory",
            node: Path("/chosen/<domain>"),
            ty: T::U64,
            required: Req,
            meaning: "Guest RAM in KiB, as a 64-bit number (<0 131072> is 128 MiB).",
            consumer: "Xen",
            rules: &["dom0less-memory", "dom0less-static-mem"],
        },
        PropDoc {
            name: "#address-cells",
            node: Path("/chosen/<domain>"),
            ty: T::U32,
            required: Conditional("when the domain has module or shared-memory children"),
            meaning: "Number of address cells in the reg of the domain's module children.",
            consumer: "Xen",
            rules: &["dom0less-cells", "xenboot-chosen-cells"],
        },
        PropDoc {
            name: "#size-cells",
            node: Path("/chosen/<domain>"),
            ty: T::U32,
            required: Conditional("when the domain has module or shared-memory children"),
            meaning: "Number of size cells in the reg of the domain's module children.",
            consumer: "Xen",
            rules: &["dom0less-cells", "xenboot-chosen-cells"],
        },
        PropDoc {
            name: "vpl011",
            node: Path("/chosen/<domain>"),
            ty: T::Empty,
            required: Optional,
            meaning: "Give the guest an emulated PL011 UART (it takes guest SPI 0, interrupt 32).",
            consumer: "Xen",
            rules: &["dom0less-vpl011"],
        },
        PropDoc {
            name: "xen,enhanced",
            node: Path("/chosen/<domain>"),
            ty: T::String,
            required: Optional,
            meaning: "Whether the guest gets a /hypervisor node and Xen's PV interfaces: \"enabled\" (or empty), \"legacy\", \"no-xenstore\" or \"disabled\" (the default when absent).",
            consumer: "Xen",
            rules: &["dom0less-xen-enhanced", "dom0less-xenstore-provider", "dom0less-generated-hypervisor"],
        },
        PropDoc {
            name: "capabilities",
            node: Path("/chosen/<domain>"),
            ty: T::U32,
            required: Optional,
            meaning: "Bits: 0x1 control domain, 0x2 hardware domain, 0x4 xenstore domain.",
            consumer: "Xen",
            rules: &["dom0less-capabilities", "dom0less-xenstore-provider"],
        },
        PropDoc {
            name: "direct-map",
            node: Path("/chosen/<domain>"),
            ty: T::Empty,
            required: Optional,
            meaning: "Map the guest's RAM 1:1 (guest address = host address); needs xen,static-mem.",
            consumer: "Xen",
            rules: &["dom0less-direct-map"],
        },
        PropDoc {
            name: "xen,static-mem",
            node: Path("/chosen/<domain>"),
            ty: T::Reg,
            required: Optional,
            meaning: "Host memory banks reserved for this guest, as (address, size) in /chosen's cells.",
            consumer: "Xen",
            rules: &["dom0less-static-mem", "dom0less-direct-map", "dom0less-llc-static"],
        },
        PropDoc {
            name: "llc-colors",
            node: Path("/chosen/<domain>"),
            ty: T::String,
            required: Optional,
            meaning: "Last-level-cache colours for the guest's memory (not with xen,static-mem).",
            consumer: "Xen",
            rules: &["dom0less-llc-static"],
        },
        PropDoc {
            name: "domain-cpupool",
            node: Path("/chosen/<domain>"),
            ty: T::Phandle,
            required: Optional,
            meaning: "The xen,cpupool node whose CPUs run this guest.",
            consumer: "Xen",
            rules: &["dom0less-cpupool-ref"],
        },
        PropDoc {
            name: "passthrough",
            node: Path("/chosen/<domain>"),
            ty: T::String,
            required: Optional,
            meaning: "\"enabled\" or \"disabled\": whether devices may be assigned to the guest.",
            consumer: "Xen",
            rules: &["dom0less-enums"],
        },
        PropDoc {
            name: "nr_spis",
            node: Path("/chosen/<domain>"),
            ty: T::U32,
            required: Optional,
            meaning: "How many shared peripheral interrupts the guest's virtual GIC has.",
            consumer: "Xen",
            rules: &["dom0less-vpl011", "dom0less-capabilities"],
        },
        PropDoc {
            name: "compatible",
            node: Path("/chosen/<domain>/module@<address>"),
            ty: T::StringList,
            required: Req,
            meaning: "The module's role, then \"multiboot,module\": \"multiboot,kernel\" (exactly one per domain), \"multiboot,ramdisk\", \"multiboot,device-tree\" (a partial device tree for passthrough).",
            consumer: "Xen",
            rules: &["dom0less-kernel", "xenboot-module-generic", "xenboot-module-order"],
        },
        PropDoc {
            name: "reg",
            node: Path("/chosen/<domain>/module@<address>"),
            ty: T::Reg,
            required: Req,
            meaning: "Where the bootloader loaded the module: (address, size) in the domain node's cells.",
            consumer: "Xen",
            rules: &["xenboot-module-reg", "xenboot-module-size"],
        },
        PropDoc {
            name: "bootargs",
            node: Path("/chosen/<domain>/module@<address>"),
            ty: T::String,
            required: Optional,
            meaning: "On the kernel module: the guest's kernel command line.",
            consumer: "Xen (passes it to the guest)",
            rules: &["xenboot-bootargs-types"],
        },
        PropDoc {
            name: "id",
            node: Compatible("xen,vcpu"),
            ty: T::U32,
            required: Req,
            meaning: "Which virtual CPU of the domain this node configures (below cpus).",
            consumer: "Xen",
            rules: &["dom0less-vcpu"],
        },
        PropDoc {
            name: "hard-affinity",
            node: Compatible("xen,vcpu"),
            ty: T::String,
            required: Optional,
            meaning: "Physical CPUs the virtual CPU may run on, as numbers and ranges (\"0-3,5\").",
            consumer: "Xen",
            rules: &["dom0less-vcpu"],
        },
        PropDoc {
            name: "xen,evtchn",
            node: Compatible("xen,evtchn-v1"),
            ty: T::PhandleArgs,
            required: Req,
            meaning: "<local-port &other-end>: a static event channel, linked to the xen,evtchn-v1 node of the other domain (which points back).",
            consumer: "Xen",
            rules: &["static-evtchn"],
        },
        PropDoc {
            name: "xen,shm-id",
            node: Compatible("xen,domain-shared-memory-v1"),
            ty: T::String,
            required: Req,
            meaning: "Name of a shared-memory region (at most 15 characters), the same in every domain that shares it.",
            consumer: "Xen",
            rules: &["static-shm"],
        },
        PropDoc {
            name: "xen,shared-mem",
            node: Compatible("xen,domain-shared-memory-v1"),
            ty: T::Cells,
            required: Req,
            meaning: "<host-address guest-address size> (or <guest-address size>) of the shared region, 4 KiB aligned.",
            consumer: "Xen",
            rules: &["static-shm"],
        },
        PropDoc {
            name: "role",
            node: Compatible("xen,domain-shared-memory-v1"),
            ty: T::String,
            required: Optional,
            meaning: "\"owner\" or \"borrower\" of the shared region.",
            consumer: "Xen",
            rules: &["static-shm"],
        },
    ],
    example: example!("learn-dom0less-good.dts"),
    example_file: "learn-dom0less-good.dtb",
    family: RuleFamily::Dom0less,
    mistakes: &[
        m("dom0less-memory", "learn-dom0less-broken-memory-u32.dtb"),
        m("dom0less-kernel", "learn-dom0less-broken-no-kernel.dtb"),
        m("dom0less-xen-enhanced", "learn-dom0less-broken-enhanced-value.dtb"),
        m("dom0less-direct-map", "learn-dom0less-broken-direct-map.dtb"),
        m("dom0less-vcpu", "learn-dom0less-broken-vcpu-id.dtb"),
    ],
    sources: &[S10, S11, S13, S27],
};

// ---------------------------------------------------------------------------------------
// KVM and other hypervisors

const HV: Binding = Binding {
    id: "hv",
    title: "KVM and other hypervisors",
    purpose: "\
Other hypervisors use the device tree much less. KVM on Arm needs no node at all: a KVM guest \
is a plain virtual board. PowerPC KVM reuses the ePAPR hypercall ABI: QEMU writes a \
`/hypervisor` node with compatible \"linux,kvm\" and `hcall-instructions`, and Linux then turns \
on KVM paravirtualisation (the magic page and KVM hypercalls). MIPS KVM guest board files \
carry a bare \"linux,kvm\" node.

Jailhouse marks a non-root cell with \"jailhouse,cell\"; Gunyah (Qualcomm) describes its \
resource manager under a \"gunyah-hypervisor\" node; Hyper-V on Arm64 describes VMBus with a \
\"microsoft,vmbus\" node rather than a `/hypervisor`. Bao and ACRN have no `/hypervisor` \
convention. The checks of this family mostly label what they recognise.",
    properties: &[
        PropDoc {
            name: "compatible",
            node: Path("/hypervisor"),
            ty: T::StringList,
            required: Req,
            meaning: "\"linux,kvm\" for a KVM guest (optionally followed by \"epapr,hypervisor-<ver>\" as OpenBIOS writes); \"jailhouse,cell\" for a Jailhouse cell; \"gunyah-hypervisor\" for Gunyah.",
            consumer: "Linux",
            rules: &["hv-kvm-ppc-path", "hv-jailhouse", "hv-gunyah-schema", "hv-unknown", "hv-mixed-families"],
        },
        PropDoc {
            name: "hcall-instructions",
            node: Compatible("linux,kvm"),
            ty: T::Cells,
            required: Conditional("for KVM paravirtualisation on PowerPC"),
            meaning: "The hypercall instruction sequence KVM wants the guest to use (1 to 4 words); QEMU's e500 machine always writes 4.",
            consumer: "Linux/PowerPC (kvm.c, epapr_paravirt.c)",
            rules: &["hv-kvm-ppc-hcall", "epapr-hcall-instructions-length"],
        },
        PropDoc {
            name: "hypercall-instructions",
            node: Compatible("linux,kvm"),
            ty: T::Cells,
            required: Optional,
            meaning: "Not a real property: the spelling of Linux's KVM documentation, read by nothing. The code reads hcall-instructions.",
            consumer: "nobody",
            rules: &["hv-kvm-ppc-typo"],
        },
        PropDoc {
            name: "has-idle",
            node: Compatible("linux,kvm"),
            ty: T::Empty,
            required: Optional,
            meaning: "The host implements the ePAPR idle hypercall.",
            consumer: "Linux/PowerPC",
            rules: &["hv-kvm-ppc-decorations", "epapr-capability-flags"],
        },
        PropDoc {
            name: "ranges",
            node: Compatible("microsoft,vmbus"),
            ty: T::Cells,
            required: Req,
            meaning: "The MMIO space VMBus devices may use.",
            consumer: "Linux (Hyper-V VMBus)",
            rules: &["hv-hyperv-vmbus"],
        },
        PropDoc {
            name: "interrupts",
            node: Compatible("microsoft,vmbus"),
            ty: T::Interrupts,
            required: Req,
            meaning: "The one interrupt VMBus messages arrive on.",
            consumer: "Linux (Hyper-V VMBus)",
            rules: &["hv-hyperv-vmbus"],
        },
    ],
    example: example!("learn-hv-good.dts"),
    example_file: "learn-hv-good.dtb",
    family: RuleFamily::Hv,
    mistakes: &[
        m("hv-kvm-ppc-typo", "learn-hv-broken-hypercall-typo.dtb"),
        m("hv-kvm-ppc-hcall", "learn-hv-broken-hypercall-typo.dtb"),
        m("epapr-hcall-instructions-present", "learn-hv-broken-hypercall-typo.dtb"),
        m("hv-kvm-ppc-path", "learn-hv-broken-path.dtb"),
        m("epapr-hcall-instructions-unique", "learn-hv-broken-path.dtb"),
        m("dt-unit-address", "learn-hv-broken-path.dtb"),
    ],
    sources: &[S16, S18, S23, S28],
};

// ---------------------------------------------------------------------------------------
// Generic structure

const DT: Binding = Binding {
    id: "dt",
    title: "Generic device-tree structure around the node",
    purpose: "\
Every hypervisor binding sits in an ordinary device tree, and most broken guests fail on the \
generic parts: cell counts that make `reg` unreadable, interrupts that resolve to no \
controller, unit addresses that disagree with `reg`, a `/chosen` or `/memory` node in the \
wrong shape. These are the Devicetree Specification's rules (and dtc's checks), applied to \
every node.

The root's `#address-cells` and `#size-cells` say how its children write addresses and sizes; \
every node with addressed children says the same for them. `interrupt-parent` and \
`#interrupt-cells` form the interrupt tree. A node name is `name@unit-address`, and the unit \
address is the first address in `reg`.",
    properties: &[
        PropDoc {
            name: "#address-cells",
            node: Any,
            ty: T::U32,
            required: Conditional("on the root and on every node whose children have reg or ranges"),
            meaning: "How many 32-bit cells a child's address takes in reg and ranges.",
            consumer: "every DT reader",
            rules: &["dt-cells-explicit", "dt-cells-type"],
        },
        PropDoc {
            name: "#size-cells",
            node: Any,
            ty: T::U32,
            required: Conditional("on the root and on every node whose children have reg or ranges"),
            meaning: "How many 32-bit cells a child's size takes in reg and ranges.",
            consumer: "every DT reader",
            rules: &["dt-cells-explicit", "dt-cells-type"],
        },
        PropDoc {
            name: "reg",
            node: Any,
            ty: T::Reg,
            required: Optional,
            meaning: "The node's address ranges, as (address, size) entries in the parent's cells; the first address is the unit address.",
            consumer: "every DT reader",
            rules: &["dt-reg-format", "dt-unit-address"],
        },
        PropDoc {
            name: "ranges",
            node: Any,
            ty: T::Cells,
            required: Optional,
            meaning: "How child addresses translate to the parent's: (child, parent, size) triplets; empty means identity.",
            consumer: "every DT reader",
            rules: &["dt-ranges-format"],
        },
        PropDoc {
            name: "compatible",
            node: Any,
            ty: T::StringList,
            required: Optional,
            meaning: "What the node is, as \"vendor,model\" strings from the most specific to the most general; drivers match on it.",
            consumer: "every DT reader",
            rules: &["dt-compatible"],
        },
        PropDoc {
            name: "model",
            node: Path("/"),
            ty: T::String,
            required: Optional,
            meaning: "A human-readable name of the machine.",
            consumer: "Linux (logs), tools",
            rules: &["dt-root-props"],
        },
        PropDoc {
            name: "status",
            node: Any,
            ty: T::String,
            required: Optional,
            meaning: "\"okay\" (or absent): the device is usable; \"disabled\", \"reserved\", \"fail\", \"fail-<code>\": it is not.",
            consumer: "Linux, Xen, U-Boot",
            rules: &["dt-status"],
        },
        PropDoc {
            name: "phandle",
            node: Any,
            ty: T::U32,
            required: Optional,
            meaning: "The node's unique number, by which other properties refer to it (dtc makes it from &labels).",
            consumer: "every DT reader",
            rules: &["dt-phandles"],
        },
        PropDoc {
            name: "interrupt-parent",
            node: Any,
            ty: T::Phandle,
            required: Optional,
            meaning: "The interrupt controller of this node and, by inheritance, of its descendants.",
            consumer: "every DT reader",
            rules: &["dt-interrupt-tree"],
        },
        PropDoc {
            name: "interrupts",
            node: Any,
            ty: T::Interrupts,
            required: Optional,
            meaning: "The node's interrupts, each a specifier of the parent controller's #interrupt-cells cells.",
            consumer: "every DT reader",
            rules: &["dt-interrupt-tree"],
        },
        PropDoc {
            name: "interrupts-extended",
            node: Any,
            ty: T::PhandleArgs,
            required: Optional,
            meaning: "Interrupts that each name their own controller: <&controller specifier…> entries.",
            consumer: "every DT reader",
            rules: &["dt-interrupt-tree"],
        },
        PropDoc {
            name: "#interrupt-cells",
            node: Any,
            ty: T::U32,
            required: Conditional("on interrupt controllers"),
            meaning: "How many cells one interrupt specifier for this controller takes (3 on an Arm GIC: type, number, flags).",
            consumer: "every DT reader",
            rules: &["dt-cells-type", "dt-interrupt-tree"],
        },
        PropDoc {
            name: "interrupt-controller",
            node: Any,
            ty: T::Empty,
            required: Conditional("on interrupt controllers"),
            meaning: "This node receives interrupts.",
            consumer: "every DT reader",
            rules: &["dt-interrupt-tree", "dt-boolean-props"],
        },
        PropDoc {
            name: "device_type",
            node: Any,
            ty: T::String,
            required: Conditional("on cpu and memory nodes"),
            meaning: "\"cpu\" or \"memory\"; deprecated elsewhere.",
            consumer: "Linux, Xen, U-Boot",
            rules: &["dt-memory", "dt-cpus"],
        },
        PropDoc {
            name: "bootargs",
            node: Path("/chosen"),
            ty: T::String,
            required: Optional,
            meaning: "The kernel command line (in a tree given to Xen, see the \"xenboot\" page).",
            consumer: "Linux, U-Boot",
            rules: &["dt-chosen", "dt-strings"],
        },
        PropDoc {
            name: "stdout-path",
            node: Path("/chosen"),
            ty: T::String,
            required: Optional,
            meaning: "The console: a path or alias, optionally followed by \":<options>\" such as \":115200n8\".",
            consumer: "Linux, Xen, U-Boot",
            rules: &["dt-chosen"],
        },
        PropDoc {
            name: "<alias name>",
            node: Path("/aliases"),
            ty: T::String,
            required: Optional,
            meaning: "An alias: the property name (lower case, digits, '-') names the full path in the value.",
            consumer: "Linux, Xen, U-Boot",
            rules: &["dt-aliases"],
        },
        PropDoc {
            name: "reg",
            node: Path("/cpus/cpu@<id>"),
            ty: T::Cells,
            required: Req,
            meaning: "The CPU's hardware id (on Arm, its MPIDR affinity bits), in /cpus' #address-cells.",
            consumer: "Linux, Xen",
            rules: &["dt-cpus"],
        },
        PropDoc {
            name: "enable-method",
            node: Path("/cpus/cpu@<id>"),
            ty: T::String,
            required: Conditional("on Arm SMP systems"),
            meaning: "How the CPU is started: \"psci\" (through the /psci node) or \"spin-table\".",
            consumer: "Linux",
            rules: &[],
        },
        PropDoc {
            name: "clock-frequency",
            node: Path("/cpus/cpu@<id>"),
            ty: T::U32OrU64,
            required: Optional,
            meaning: "The CPU's clock in Hz.",
            consumer: "Linux/PowerPC",
            rules: &[],
        },
        PropDoc {
            name: "timebase-frequency",
            node: Path("/cpus/cpu@<id>"),
            ty: T::U32OrU64,
            required: Optional,
            meaning: "The Power time-base frequency in Hz.",
            consumer: "Linux/PowerPC",
            rules: &[],
        },
        PropDoc {
            name: "reg",
            node: Path("/memory@<address>"),
            ty: T::Reg,
            required: Req,
            meaning: "The RAM banks, as (address, size) in the root's cells.",
            consumer: "Linux, Xen, U-Boot",
            rules: &["dt-memory", "dt-reg-format"],
        },
        PropDoc {
            name: "method",
            node: Path("/psci"),
            ty: T::String,
            required: Req,
            meaning: "How PSCI calls are made: \"hvc\" in a guest (the hypervisor answers), \"smc\" on the host (firmware answers).",
            consumer: "Linux, Xen",
            rules: &[],
        },
    ],
    example: example!("learn-dt-good.dts"),
    example_file: "learn-dt-good.dtb",
    family: RuleFamily::Dt,
    mistakes: &[
        m("dt-unit-address", "learn-dt-broken-unit-address.dtb"),
        m("dt-reg-format", "learn-dt-broken-reg-cells.dtb"),
        m("dtc-reg_format", "learn-dt-broken-reg-cells.dtb"),
        m("dt-interrupt-tree", "learn-dt-broken-interrupt-cells.dtb"),
        m("dtc-interrupts_property", "learn-dt-broken-interrupt-cells.dtb"),
        m("dt-status", "learn-dt-broken-status.dtb"),
    ],
    sources: &[S19, S20, S8],
};
