//! One failing and one passing tree for every rule of catalog families A (epapr-*),
//! B (xen-*) and C (xenboot-*). Trees are DTS compiled with dtc and read back with the
//! blob reader; the expected findings are written out per case.

mod checks_support;

use checks_support::*;
use dtlens::check::{self, RuleFamily, Severity};
use Severity::{Error, Info, Warning};

enum Expect {
    /// At least one finding of the rule at this severity whose message contains the text.
    Fires(Severity, &'static str),
    /// No finding of the rule at all.
    Silent,
    /// No finding of the rule above info (for label/decode rules that always report).
    Clean,
}

struct Case {
    rule: &'static str,
    what: &'static str,
    dts: String,
    expect: Expect,
}

fn case(rule: &'static str, what: &'static str, dts: String, expect: Expect) -> Case {
    Case { rule, what, dts, expect }
}

fn xen() -> String {
    fixture("xen-guest-good.dts")
}
fn epapr() -> String {
    fixture("epapr-guest-good.dts")
}
fn host() -> String {
    fixture("xen-host-good.dts")
}

const XEN_COMPAT: &str = "compatible = \"xen,xen-4.19\", \"xen,xen\";";
const XEN_REG: &str = "reg = <0x0 0x38000000 0x0 0x1000000>, <0x1 0x0 0x0 0x40000000>;";
const XEN_IRQ: &str = "interrupts = <1 15 0xf08>;";
const XEN_END: &str = "interrupts = <1 15 0xf08>;\n\t};";

fn xen_with_uefi() -> String {
    edit(
        &xen(),
        XEN_END,
        "interrupts = <1 15 0xf08>;
		uefi {
			xen,uefi-system-table = /bits/ 64 <0x1301415>;
			xen,uefi-mmap-start = /bits/ 64 <0x7591400>;
			xen,uefi-mmap-size = <0x1800>;
			xen,uefi-mmap-desc-size = <0x30>;
			xen,uefi-mmap-desc-ver = <1>;
		};
	};",
    )
}

const ACPI_STUB: &str = "/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	chosen { };
	hypervisor {
		compatible = \"xen,xen-4.19\", \"xen,xen\";
		uefi {
			xen,uefi-system-table = /bits/ 64 <0x1301415>;
			xen,uefi-mmap-start = /bits/ 64 <0x7591400>;
			xen,uefi-mmap-size = <0x1800>;
			xen,uefi-mmap-desc-size = <0x30>;
			xen,uefi-mmap-desc-ver = <1>;
		};
	};
};";

fn xen_cases() -> Vec<Case> {
    let x = xen();
    vec![
        case("xen-node-name", "unit address", edit(&x, "hypervisor {", "hypervisor@38000000 {"), Expect::Fires(Error, "compares the full name")),
        case("xen-node-name", "nested", edit(&x, "bootargs = \"console=hvc0\";", "bootargs = \"console=hvc0\";\n\t\tinner { compatible = \"xen,xen-4.19\", \"xen,xen\"; };"), Expect::Fires(Error, "not a direct child")),
        case("xen-node-name", "good", x.clone(), Expect::Silent),
        case("xen-node-unique", "second node", edit(&x, "chosen {", "xen2 { compatible = \"xen,xen\"; };\n\tchosen {"), Expect::Fires(Warning, "first node with compatible")),
        case("xen-node-unique", "good", x.clone(), Expect::Silent),
        case("xen-compatible-generic", "versioned only", edit(&x, XEN_COMPAT, "compatible = \"xen,xen-4.19\";"), Expect::Fires(Error, "without \"xen,xen\"")),
        case("xen-compatible-generic", "good", x.clone(), Expect::Silent),
        case("xen-compatible-order", "2012 v1 order", edit(&x, XEN_COMPAT, "compatible = \"xen,xen\", \"xen,xen-4.2\";"), Expect::Fires(Error, "compatible lists \"xen,xen\" first and \"xen,xen-4.2\" only at position 2; Linux reads the version from the first string and will not enable Xen")),
        case("xen-compatible-order", "zephyr generic only", edit(&x, XEN_COMPAT, "compatible = \"xen,xen\";"), Expect::Fires(Error, "no \"xen,xen-<version>\" string first")),
        case("xen-compatible-order", "good", x.clone(), Expect::Silent),
        case("xen-compatible-count", "three strings", edit(&x, XEN_COMPAT, "compatible = \"xen,xen-4.19\", \"xen,xen\", \"vendor,extra\";"), Expect::Fires(Warning, "3 strings")),
        case("xen-compatible-count", "good", x.clone(), Expect::Silent),
        case("xen-version-format", "word version", edit(&x, XEN_COMPAT, "compatible = \"xen,xen-four\", \"xen,xen\";"), Expect::Fires(Warning, "not major.minor")),
        case("xen-version-format", "good", x.clone(), Expect::Silent),
        case("xen-version-info", "good", x.clone(), Expect::Fires(Info, "Xen ABI version 4.19")),
        case("xen-version-info", "no xen node", epapr(), Expect::Silent),
        case("xen-reg-present", "no reg", edit(&x, XEN_REG, ""), Expect::Fires(Error, "no reg")),
        case("xen-reg-present", "acpi stub", ACPI_STUB.to_string(), Expect::Fires(Info, "ACPI stub")),
        case("xen-reg-present", "good", x.clone(), Expect::Silent),
        case("xen-reg-format", "three cells", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x1000000>;"), Expect::Fires(Error, "reg is 12 bytes")),
        case("xen-reg-format", "root without cells, 2/2 reg", edit(&x, "#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent", "interrupt-parent"), Expect::Fires(Error, "(defaults 2/1 used where missing), so entries are 12 bytes each")),
        case("xen-reg-format", "root without cells, 2/1 reg", edit(&edit(&x, "#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent", "interrupt-parent"), XEN_REG, "reg = <0x0 0x38000000 0x1000000 0x1 0x0 0x40000000>;"), Expect::Fires(Warning, "region 0 is 0x38000000+0x1000000, but Linux assumes 1/1 at the root and reads 0x0+0x38000000")),
        case("xen-reg-format", "good", x.clone(), Expect::Silent),
        case("xen-root-cells", "three address cells", edit(&edit(&x, "#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent", "#address-cells = <3>;\n\t#size-cells = <2>;\n\tinterrupt-parent"), XEN_REG, "reg = <0x0 0x0 0x38000000 0x0 0x1000000>;"), Expect::Fires(Warning, "only copes with 1 or 2")),
        case("xen-root-cells", "1/1", edit(&edit(&edit(&x, "#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent", "#address-cells = <1>;\n\t#size-cells = <1>;\n\tinterrupt-parent"), XEN_REG, "reg = <0x38000000 0x1000000>;"), "reg = <0x0 0x80000000 0x0 0x8000000>;", "reg = <0x80000000 0x8000000>;"), Expect::Fires(Info, "root cells are 1/1")),
        case("xen-root-cells", "good", x.clone(), Expect::Silent),
        case("xen-gnttab-region", "zero size", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x0 0x0>;"), Expect::Fires(Error, "has size 0")),
        case("xen-gnttab-region", "unaligned", edit(&x, XEN_REG, "reg = <0x0 0x38000800 0x0 0x1000000>;"), Expect::Fires(Warning, "not 4 KiB aligned")),
        case("xen-gnttab-region", "good", x.clone(), Expect::Clean),
        case("xen-gnttab-no-overlap", "inside RAM", edit(&x, XEN_REG, "reg = <0x0 0x80000000 0x0 0x20000>;"), Expect::Fires(Warning, "overlaps /memory@80000000")),
        case("xen-gnttab-no-overlap", "good", x.clone(), Expect::Silent),
        case("xen-extregion-order", "unsorted", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x0 0x1000000>, <0x2 0x0 0x0 0x40000000>, <0x1 0x0 0x0 0x40000000>;"), Expect::Fires(Error, "starts at or before the end of region 1")),
        case("xen-extregion-order", "over RAM", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x0 0x1000000>, <0x0 0x80000000 0x0 0x4000000>;"), Expect::Fires(Error, "overlaps /memory@80000000")),
        case("xen-extregion-order", "good", x.clone(), Expect::Silent),
        case("xen-extregion-conventions", "small region", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x0 0x1000000>, <0x1 0x1000 0x0 0x1000>;"), Expect::Fires(Info, "not 2 MiB aligned and smaller than 64 MiB")),
        case("xen-extregion-conventions", "good", x.clone(), Expect::Silent),
        case("xen-extregion-absent", "region 0 only", edit(&x, XEN_REG, "reg = <0x0 0x38000000 0x0 0x1000000>;"), Expect::Fires(Info, "no extended regions")),
        case("xen-extregion-absent", "good", x.clone(), Expect::Silent),
        case("xen-interrupts-present", "none", edit(&x, XEN_IRQ, ""), Expect::Fires(Error, "Xen event channel interrupt not found")),
        case("xen-interrupts-present", "two", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08>, <1 14 0xf08>;"), Expect::Fires(Warning, "2 interrupt specifiers")),
        case("xen-interrupts-present", "acpi stub", ACPI_STUB.to_string(), Expect::Fires(Info, "ACPI stub")),
        case("xen-interrupts-present", "good", x.clone(), Expect::Silent),
        case("xen-interrupt-parent-gic", "not a gic", edit(&x, XEN_IRQ, "interrupts = <1 15>;\n\t\tinterrupt-parent = <&other>;\n\t};\n\tother: other-ic { compatible = \"vendor,ic\"; interrupt-controller; #interrupt-cells = <2>; };\n\tdummy {"), Expect::Fires(Error, "not an Arm GIC")),
        case("xen-interrupt-parent-gic", "wrong cell count", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08 0>;"), Expect::Fires(Error, "not a multiple of #interrupt-cells = 3")),
        case("xen-interrupt-parent-gic", "dangling parent", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08>;\n\t\tinterrupt-parent = <0x99>;"), Expect::Fires(Error, "phandle 0x99, which no node has")),
        case("xen-interrupt-parent-gic", "good", x.clone(), Expect::Silent),
        case("xen-evtchn-ppi", "spi", edit(&x, XEN_IRQ, "interrupts = <0 15 4>;"), Expect::Fires(Error, "type 0 (SPI)")),
        case("xen-evtchn-ppi", "ppi out of range", edit(&x, XEN_IRQ, "interrupts = <1 31 0xf08>;"), Expect::Fires(Error, "out of range 0..15")),
        case("xen-evtchn-ppi", "good", x.clone(), Expect::Silent),
        case("xen-evtchn-flags", "good", x.clone(), Expect::Fires(Info, "hw IRQ 31, level low, CPU mask 0xf (what Xen and libxl emit)")),
        case("xen-evtchn-flags", "other flags", edit(&x, XEN_IRQ, "interrupts = <1 15 4>;"), Expect::Fires(Info, "Xen and libxl emit flags 0xf08")),
        case("xen-evtchn-flags", "no xen node", epapr(), Expect::Silent),
        case("xen-allowed-members", "extra property", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08>;\n\t\tvendor,magic = <1>;"), Expect::Fires(Warning, "\"vendor,magic\" is not part of the Xen binding")),
        case("xen-allowed-members", "extra child", edit(&x, XEN_END, "interrupts = <1 15 0xf08>;\n\t\tmagic-pages { };\n\t};"), Expect::Fires(Warning, "child \"magic-pages\"")),
        case("xen-allowed-members", "implicit props ok", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08>;\n\t\tinterrupt-parent = <&gic>;\n\t\tstatus = \"okay\";\n\t\tbootph-all;"), Expect::Silent),
        case("xen-allowed-members", "good", xen_with_uefi(), Expect::Silent),
        case("xen-status-ignored", "disabled", edit(&x, XEN_IRQ, "interrupts = <1 15 0xf08>;\n\t\tstatus = \"disabled\";"), Expect::Fires(Warning, "status is \"disabled\"")),
        case("xen-status-ignored", "good", x.clone(), Expect::Silent),
        case("xen-uefi-complete", "missing two", edit(&edit(&xen_with_uefi(), "xen,uefi-mmap-desc-ver = <1>;", ""), "xen,uefi-system-table = /bits/ 64 <0x1301415>;", ""), Expect::Fires(Error, "UEFI not found.")),
        case("xen-uefi-complete", "missing desc-ver", edit(&xen_with_uefi(), "xen,uefi-mmap-desc-ver = <1>;", ""), Expect::Fires(Error, "Can't find property 'xen,uefi-mmap-desc-ver'")),
        case("xen-uefi-complete", "good", xen_with_uefi(), Expect::Silent),
        case("xen-uefi-sizes", "32-bit address", edit(&xen_with_uefi(), "xen,uefi-system-table = /bits/ 64 <0x1301415>;", "xen,uefi-system-table = <0x1301415>;"), Expect::Fires(Warning, "is 4 bytes; the binding gives 8 bytes")),
        case("xen-uefi-sizes", "6 bytes", edit(&xen_with_uefi(), "xen,uefi-mmap-size = <0x1800>;", "xen,uefi-mmap-size = [00 00 00 00 18 00];"), Expect::Fires(Error, "only 4 or 8 bytes")),
        case("xen-uefi-sizes", "good", xen_with_uefi(), Expect::Silent),
        case("xen-uefi-values", "tiny descriptors", edit(&xen_with_uefi(), "xen,uefi-mmap-desc-size = <0x30>;", "xen,uefi-mmap-desc-size = <0x20>;"), Expect::Fires(Warning, "smaller than an EFI memory descriptor")),
        case("xen-uefi-values", "ragged map", edit(&xen_with_uefi(), "xen,uefi-mmap-size = <0x1800>;", "xen,uefi-mmap-size = <0x1810>;"), Expect::Fires(Warning, "not a multiple of the descriptor size")),
        case("xen-uefi-values", "version 2", edit(&xen_with_uefi(), "xen,uefi-mmap-desc-ver = <1>;", "xen,uefi-mmap-desc-ver = <2>;"), Expect::Fires(Info, "descriptor version 2")),
        case("xen-uefi-values", "good", xen_with_uefi(), Expect::Silent),
        case("xen-uefi-runtime", "uefi child", xen_with_uefi(), Expect::Fires(Info, "EFI runtime services")),
        case("xen-uefi-runtime", "no uefi", x.clone(), Expect::Silent),
        case("xen-acpi-stub", "stub", ACPI_STUB.to_string(), Expect::Fires(Info, "ACPI stub layout")),
        case("xen-acpi-stub", "good", x.clone(), Expect::Silent),
        case("xen-host-dt-hypervisor", "foreign /hypervisor", edit(&host(), "cpus {", "hypervisor { compatible = \"vendor,hv\"; };\n\tcpus {"), Expect::Fires(Warning, "two hypervisor nodes")),
        case("xen-host-dt-hypervisor", "xen node", edit(&host(), "cpus {", "hypervisor { compatible = \"xen,xen-4.19\", \"xen,xen\"; };\n\tcpus {"), Expect::Fires(Info, "Xen drops nodes")),
        case("xen-host-dt-hypervisor", "good", host(), Expect::Silent),
        case("xen-grant-dma", "two cells", edit(&x, "chosen {", "iommu { compatible = \"xen,grant-dma\"; #iommu-cells = <2>; };\n\tchosen {"), Expect::Fires(Error, "#iommu-cells is <0x2>")),
        case("xen-grant-dma", "good", edit(&x, "chosen {", "xen_iommu: iommu { compatible = \"xen,grant-dma\"; #iommu-cells = <1>; };\n\tvirtio@2000000 { reg = <0x0 0x2000000 0x0 0x200>; iommus = <&xen_iommu 1>; };\n\tchosen {"), Expect::Silent),
        case("xen-shared-memory-reserved", "no id", edit(&x, "chosen {", "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; xen-shmem@50000000 { compatible = \"xen,shared-memory-v1\"; reg = <0x0 0x50000000 0x0 0x1000000>; }; };\n\tchosen {"), Expect::Fires(Warning, "no xen,id")),
        case("xen-shared-memory-reserved", "good", edit(&x, "chosen {", "reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; xen-shmem@50000000 { compatible = \"xen,shared-memory-v1\"; reg = <0x0 0x50000000 0x0 0x1000000>; xen,id = \"my-shm\"; xen,offset = /bits/ 64 <0>; }; };\n\tchosen {"), Expect::Silent),
        case("xen-libxl-signature", "libxl tree", edit(&edit(&x, "interrupt-parent = <&gic>;", "interrupt-parent = <&gic>;\n\tmodel = \"XENVM-4.19\";\n\tcompatible = \"xen,xenvm-4.19\", \"xen,xenvm\";"), "interrupt-controller;", "interrupt-controller;\n\t\tphandle = <65000>;"), Expect::Fires(Info, "libxl-generated domU DT (XENVM-4.19)")),
        case("xen-libxl-signature", "good", x.clone(), Expect::Silent),
    ]
}

fn epapr_cases() -> Vec<Case> {
    let e = epapr();
    let topaz = "compatible = \"fsl,embedded-hypervisor-v2.0\", \"epapr,hypervisor-1\";";
    let kvm_ppc = "/dts-v1/;
/ {
	compatible = \"fsl,qemu-e500\";
	#address-cells = <2>;
	#size-cells = <2>;
	hypervisor {
		compatible = \"linux,kvm\";
	};
};";
    vec![
        case(
            "epapr-node-name-location",
            "unit address",
            edit(&edit(&e, "hypervisor {", "hypervisor@0 {"), "/hypervisor/handles", "/hypervisor@0/handles"),
            Expect::Fires(Error, "need exactly \"hypervisor\""),
        ),
        case("epapr-node-name-location", "good", e.clone(), Expect::Silent),
        case(
            "epapr-compatible",
            "no version",
            edit(&e, topaz, "compatible = \"epapr,hypervisor\";"),
            Expect::Fires(Error, "no numeric version"),
        ),
        case("epapr-compatible", "good", e.clone(), Expect::Silent),
        case("epapr-compatible", "kvm mode", kvm_ppc.to_string(), Expect::Silent),
        case(
            "epapr-compatible-order",
            "generic first",
            edit(&e, topaz, "compatible = \"epapr,hypervisor-1\", \"fsl,embedded-hypervisor-v2.0\";"),
            Expect::Fires(Warning, "comes after the generic"),
        ),
        case("epapr-compatible-order", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hcall-instructions-present",
            "missing",
            edit(&e, "hcall-instructions = <0x44000022>;", ""),
            Expect::Fires(Error, "cannot make ePAPR hypercalls"),
        ),
        case(
            "epapr-hcall-instructions-present",
            "kvm ppc",
            kvm_ppc.to_string(),
            Expect::Fires(Warning, "will not enable KVM paravirt"),
        ),
        case(
            "epapr-hcall-instructions-present",
            "kvm mips",
            sample("linux-loongson64v-kvm-hypervisor.dts"),
            Expect::Silent,
        ),
        case("epapr-hcall-instructions-present", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hcall-instructions-length",
            "five",
            edit(&e, "hcall-instructions = <0x44000022>;", "hcall-instructions = <1 2 3 4 5>;"),
            Expect::Fires(Error, "at most 4 are allowed"),
        ),
        case(
            "epapr-hcall-instructions-length",
            "empty",
            edit(&e, "hcall-instructions = <0x44000022>;", "hcall-instructions;"),
            Expect::Fires(Error, "every hypercall returns -1"),
        ),
        case("epapr-hcall-instructions-length", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hcall-instructions-unique",
            "stray copy",
            edit(&e, "chosen {", "early { hcall-instructions = <0x60000000>; };\n\tchosen {"),
            Expect::Fires(Warning, "first copy in blob order"),
        ),
        case(
            "epapr-guest-id",
            "stray hcall node is no hypervisor",
            edit(&e, "chosen {", "early { hcall-instructions = <0x60000000>; };\n\tchosen {"),
            Expect::Silent,
        ),
        case("epapr-hcall-instructions-unique", "good", e.clone(), Expect::Silent),
        case("epapr-hcall-instructions-decode", "sc 1", e.clone(), Expect::Fires(Info, "<0x44000022> = sc 1")),
        case("epapr-hcall-instructions-decode", "no hcall", xen(), Expect::Silent),
        case("epapr-guest-id", "missing", edit(&e, "guest-id = <1>;", ""), Expect::Fires(Error, "no guest-id")),
        case("epapr-guest-id", "kvm missing", kvm_ppc.to_string(), Expect::Fires(Info, "no guest-id")),
        case(
            "epapr-guest-id",
            "kvm wrong size",
            edit(kvm_ppc, "\"linux,kvm\";", "\"linux,kvm\";\n\t\tguest-id = /bits/ 64 <1>;"),
            Expect::Fires(Warning, "guest-id is 8 bytes"),
        ),
        case("epapr-guest-id", "good", e.clone(), Expect::Silent),
        case(
            "epapr-guest-name",
            "not a string",
            edit(&e, "guest-name = \"part1\";", "guest-name = <1>;"),
            Expect::Fires(Error, "not a printable"),
        ),
        case("epapr-guest-name", "good", e.clone(), Expect::Silent),
        case(
            "epapr-capability-flags",
            "valued",
            edit(&e, "has-idle;", "has-idle = <1>;"),
            Expect::Fires(Warning, "presence flag"),
        ),
        case("epapr-capability-flags", "good", e.clone(), Expect::Silent),
        case(
            "epapr-root-version",
            "bad format",
            edit(&e, "epapr-version = \"ePAPR-1.1\";", "epapr-version = \"1.1\";"),
            Expect::Fires(Info, "not \"ePAPR-<major>.<minor>\""),
        ),
        case(
            "epapr-root-version",
            "missing",
            edit(&e, "epapr-version = \"ePAPR-1.1\";", ""),
            Expect::Fires(Info, "no epapr-version"),
        ),
        case("epapr-root-version", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hv-pic",
            "one cell",
            edit(
                &e,
                "#interrupt-cells = <2>;\n\t\t#address-cells = <0>;",
                "#interrupt-cells = <1>;\n\t\t#address-cells = <0>;",
            ),
            Expect::Fires(Error, "#interrupt-cells is 1"),
        ),
        case(
            "epapr-hv-pic",
            "topaz style",
            edit(&e, "priority-count = <16>;", "no-priority;"),
            Expect::Fires(Warning, "Topaz also omits it"),
        ),
        case("epapr-hv-pic", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hv-pic-specifier",
            "source 0",
            edit(&e, "interrupts = <0x10 1 0x11 1>;", "interrupts = <0 1 0x11 1>;"),
            Expect::Fires(Error, "source 0"),
        ),
        case(
            "epapr-hv-pic-specifier",
            "flags",
            edit(&e, "interrupts = <0x10 1 0x11 1>;", "interrupts = <0x10 8 0x11 1>;"),
            Expect::Fires(Warning, "flags 0x8"),
        ),
        case("epapr-hv-pic-specifier", "good", e.clone(), Expect::Silent),
        case(
            "epapr-hv-pic-ipi",
            "no interrupts",
            edit(&e, "interrupts = <0x20 0>, <0x21 0>;", ""),
            Expect::Fires(Warning, "no interrupts"),
        ),
        case("epapr-hv-pic-ipi", "good", e.clone(), Expect::Silent),
        case(
            "epapr-byte-channel",
            "rx only",
            edit(&e, "interrupts = <0x10 1 0x11 1>;", "interrupts = <0x10 1>;"),
            Expect::Fires(Warning, "only an RX interrupt"),
        ),
        case("epapr-byte-channel", "no handle", edit(&e, "hv-handle = <1>;", ""), Expect::Fires(Error, "no hv-handle")),
        case("epapr-byte-channel", "good", e.clone(), Expect::Silent),
        case(
            "epapr-byte-channel-edge",
            "level",
            edit(&e, "interrupts = <0x10 1 0x11 1>;", "interrupts = <0x10 2 0x11 1>;"),
            Expect::Fires(Info, "RX source 16 level (the spec says edge)"),
        ),
        case("epapr-byte-channel-edge", "good", e.clone(), Expect::Clean),
        case("epapr-byte-channel-edge", "no channel", xen(), Expect::Silent),
        case(
            "epapr-byte-channel-console",
            "console without handle",
            edit(&e, "hv-handle = <1>;", ""),
            Expect::Fires(Warning, "will not use it as the console"),
        ),
        case("epapr-byte-channel-console", "good", e.clone(), Expect::Silent),
        case(
            "epapr-doorbell-names",
            "spec name only",
            edit(
                &e,
                "\"fsl,hv-shutdown-doorbell\", \"epapr,hv-receive-doorbell\"",
                "\"epapr,hv-doorbell-receive-handle\"",
            ),
            Expect::Fires(Warning, "Linux and Topaz match \"epapr,hv-receive-doorbell\""),
        ),
        case("epapr-doorbell-names", "good", e.clone(), Expect::Silent),
        case(
            "epapr-doorbell-send",
            "no handle",
            edit(&e, "hv-handle = <3>;", ""),
            Expect::Fires(Error, "send doorbell without hv-handle"),
        ),
        case("epapr-doorbell-send", "good", e.clone(), Expect::Silent),
        case(
            "epapr-doorbell-receive",
            "two",
            edit(&e, "interrupts = <0x12 1>;", "interrupts = <0x12 1 0x13 1>;"),
            Expect::Fires(Error, "2 interrupt specifiers"),
        ),
        case("epapr-doorbell-receive", "good", e.clone(), Expect::Silent),
        case(
            "epapr-handle-consistency",
            "reg differs",
            edit(&e, "reg = <3>;", "reg = <4>;"),
            Expect::Fires(Warning, "reg <0x4> differs from hv-handle <0x3>"),
        ),
        case(
            "epapr-handle-consistency",
            "container cells",
            edit(
                &e,
                "#address-cells = <1>;\n\t\t\t#size-cells = <0>;",
                "#address-cells = <1>;\n\t\t\t#size-cells = <1>;",
            ),
            Expect::Fires(Warning, "expected <1> and <0>"),
        ),
        case("epapr-handle-consistency", "good", e.clone(), Expect::Silent),
        case(
            "epapr-fsl-hv",
            "topaz",
            e.clone(),
            Expect::Fires(Info, "Freescale/NXP embedded hypervisor 2.0, API 2 (compatible with API 1)"),
        ),
        case("epapr-fsl-hv", "no fsl", xen(), Expect::Silent),
    ]
}

fn xenboot_cases() -> Vec<Case> {
    let h = host();
    let kernel = "compatible = \"multiboot,kernel\", \"multiboot,module\";";
    let ramdisk = "compatible = \"multiboot,ramdisk\", \"multiboot,module\";";
    let kreg = "reg = <0x0 0x42000000 0x0 0x1a00000>;";
    let hyperlaunch = "/dts-v1/;
/ {
	chosen {
		hypervisor {
			compatible = \"hypervisor,xen\";
			config { compatible = \"xen,config\"; };
			dom0 { compatible = \"xen,domain\"; kernel { compatible = \"module,kernel\", \"multiboot,module\"; mb-index = <1>; }; };
		};
	};
};";
    vec![
        case("xenboot-module-generic", "kernel only", edit(&h, kernel, "compatible = \"multiboot,kernel\";"), Expect::Fires(Error, "lacks \"multiboot,module\"")),
        case("xenboot-module-generic", "good", h.clone(), Expect::Silent),
        case("xenboot-module-location", "at root", edit(&h, "cpus {", "module@50000000 { compatible = \"multiboot,module\"; reg = <0x0 0x50000000 0x0 0x1000>; };\n\tcpus {"), Expect::Fires(Error, "outside /chosen")),
        case("xenboot-module-location", "too deep", edit(&h, "pool0 {", "dom1 { compatible = \"xen,domain\"; #address-cells = <2>; #size-cells = <2>; sub { m { compatible = \"multiboot,module\"; }; }; };\n\t\tpool0 {"), Expect::Fires(Error, "module at depth 4")),
        case("xenboot-module-location", "good", h.clone(), Expect::Silent),
        case("xenboot-module-kind", "typo", edit(&h, kernel, "compatible = \"multiboot,kernal\", \"multiboot,module\";"), Expect::Fires(Warning, "unknown module kind \"multiboot,kernal\"")),
        case("xenboot-module-kind", "guest acpi", edit(&h, kernel, "compatible = \"xen,guest-acpi\", \"multiboot,kernel\", \"multiboot,module\";"), Expect::Fires(Info, "toolstack-only")),
        case("xenboot-module-kind", "good", h.clone(), Expect::Silent),
        case("xenboot-module-order", "generic first", edit(&h, kernel, "compatible = \"multiboot,module\", \"multiboot,kernel\";"), Expect::Fires(Warning, "comes before the specific")),
        case("xenboot-module-order", "good", h.clone(), Expect::Silent),
        case("xenboot-module-guessing", "two generic", edit(&edit(&h, kernel, "compatible = \"multiboot,module\";"), ramdisk, "compatible = \"multiboot,module\";"), Expect::Fires(Warning, "Xen will guess it is the ramdisk (or XSM policy")),
        case("xenboot-module-guessing", "one generic", edit(&h, kernel, "compatible = \"multiboot,module\";"), Expect::Silent),
        case("xenboot-module-guessing", "good", h.clone(), Expect::Silent),
        case("xenboot-module-legacy", "xen 4.4 names", edit(&h, kernel, "compatible = \"xen,linux-zimage\", \"xen,multiboot-module\";"), Expect::Fires(Info, "Xen 4.4 compatible form")),
        case("xenboot-module-legacy", "with uefi-binary", edit(&h, kernel, "compatible = \"xen,linux-zimage\", \"xen,multiboot-module\";\n\t\t\txen,uefi-binary = \"vmlinuz\";"), Expect::Fires(Warning, "not supported under UEFI boot")),
        case("xenboot-module-legacy", "good", h.clone(), Expect::Silent),
        case("xenboot-module-reg", "short", edit(&h, kreg, "reg = <0x0 0x42000000>;"), Expect::Fires(Error, "Xen panics")),
        case("xenboot-module-reg", "missing", edit(&h, kreg, ""), Expect::Fires(Error, "module without reg")),
        case("xenboot-module-reg", "uefi-binary", edit(&h, kreg, "xen,uefi-binary = \"vmlinuz\";"), Expect::Fires(Info, "EFI stub loads")),
        case("xenboot-module-reg", "good", h.clone(), Expect::Silent),
        case("xenboot-module-size", "overlap", edit(&h, "reg = <0x0 0x44000000 0x0 0x800000>;", "reg = <0x0 0x43000000 0x0 0x800000>;"), Expect::Fires(Warning, "overlaps /chosen/module@42000000")),
        case("xenboot-module-size", "zero", edit(&h, "reg = <0x0 0x44000000 0x0 0x800000>;", "reg = <0x0 0x44000000 0x0 0x0>;"), Expect::Fires(Warning, "has size 0")),
        case("xenboot-module-size", "memreserve", format!("/memreserve/ 0x42100000 0x1000;\n{}", h.replacen("/dts-v1/;", "", 1)).replacen("/memreserve/", "/dts-v1/;\n/memreserve/", 1), Expect::Fires(Warning, "overlaps /memreserve/ 0x42100000+0x1000")),
        case("xenboot-module-size", "good", h.clone(), Expect::Silent),
        case("xenboot-uefi-binary", "on xsm", edit(&h, kernel, "compatible = \"xen,xsm-policy\", \"multiboot,module\";\n\t\t\txen,uefi-binary = \"xsm.cfg\";"), Expect::Fires(Warning, "on a XSM policy module")),
        case("xenboot-uefi-binary", "kernel", edit(&h, kreg, "xen,uefi-binary = \"vmlinuz\";"), Expect::Silent),
        case("xenboot-chosen-cells", "missing", edit(&h, "#address-cells = <2>;\n\t\t#size-cells = <2>;\n\t\txen,xen-bootargs", "xen,xen-bootargs"), Expect::Fires(Warning, "no #address-cells: Xen inherits 2")),
        case("xenboot-chosen-cells", "good", h.clone(), Expect::Silent),
        case("xenboot-module-unit-address", "0x prefix", edit(&h, "module@42000000", "module@0x42000000"), Expect::Fires(Warning, "unit address \"0x42000000\" should be \"42000000\"")),
        case("xenboot-module-unit-address", "good", h.clone(), Expect::Silent),
        case("xenboot-bootargs-types", "cells", edit(&h, "xen,xen-bootargs = \"console=dtuart dom0_mem=1G\";", "xen,xen-bootargs = <1>;"), Expect::Fires(Error, "not a NUL-terminated string")),
        case("xenboot-bootargs-types", "good", h.clone(), Expect::Silent),
        case(
            "xenboot-cmdline-resolution",
            "module bootargs",
            edit(
                &edit(
                    &h,
                    "xen,xen-bootargs = \"console=dtuart dom0_mem=1G\";\n\t\txen,dom0-bootargs = \"console=hvc0 root=/dev/mmcblk0p2\";",
                    "bootargs = \"console=dtuart\";",
                ),
                kreg,
                "reg = <0x0 0x42000000 0x0 0x1a00000>;\n\t\t\tbootargs = \"console=hvc0\";",
            ),
            Expect::Fires(
                Info,
                "Xen command line: \"console=dtuart\" (from /chosen/bootargs); dom0 command line: \"console=hvc0\" (from the kernel module's bootargs)",
            ),
        ),
        case("xenboot-cmdline-resolution", "good", h.clone(), Expect::Fires(Info, "Xen command line: \"console=dtuart dom0_mem=1G\"; dom0 command line: \"console=hvc0 root=/dev/mmcblk0p2\" (from xen,dom0-bootargs)")),
        case("xenboot-cmdline-resolution", "linux line to xen", edit(&h, "xen,xen-bootargs = \"console=dtuart dom0_mem=1G\";", "bootargs = \"console=hvc0 root=/dev/xvda\";"), Expect::Fires(Warning, "looks like a Linux command line but Xen will consume it")),
        case("xenboot-cmdline-resolution", "good has no warning", h.clone(), Expect::Clean),
        case("xenboot-uefi-cfg-load", "valued", edit(&h, "xen,xen-bootargs", "xen,uefi-cfg-load = \"yes\";\n\t\txen,xen-bootargs"), Expect::Fires(Warning, "presence flag")),
        case("xenboot-uefi-cfg-load", "empty", edit(&h, "xen,xen-bootargs", "xen,uefi-cfg-load;\n\t\txen,xen-bootargs"), Expect::Silent),
        case("xenboot-static-heap", "three cells", edit(&h, "xen,xen-bootargs", "xen,static-heap = <0x0 0x30000000 0x1000>;\n\t\txen,xen-bootargs"), Expect::Fires(Error, "not whole banks")),
        case("xenboot-static-heap", "unaligned", edit(&h, "xen,xen-bootargs", "xen,static-heap = <0x0 0x30001000 0x0 0x10000>;\n\t\txen,xen-bootargs"), Expect::Fires(Warning, "not 64 KiB aligned")),
        case("xenboot-static-heap", "good", edit(&h, "xen,xen-bootargs", "xen,static-heap = <0x0 0x30000000 0x0 0x10000000>;\n\t\txen,xen-bootargs"), Expect::Silent),
        case("xenboot-initrd-props", "no end", edit(&h, "xen,xen-bootargs", "linux,initrd-start = <0x48000000>;\n\t\txen,xen-bootargs"), Expect::Fires(Error, "without linux,initrd-end")),
        case("xenboot-initrd-props", "reversed", edit(&h, "xen,xen-bootargs", "linux,initrd-start = <0x48000000>;\n\t\tlinux,initrd-end = /bits/ 64 <0x47000000>;\n\t\txen,xen-bootargs"), Expect::Fires(Error, "not above start")),
        case("xenboot-initrd-props", "good", edit(&h, "xen,xen-bootargs", "linux,initrd-start = <0x48000000>;\n\t\tlinux,initrd-end = /bits/ 64 <0x49000000>;\n\t\txen,xen-bootargs"), Expect::Silent),
        case("xenboot-passthrough-flag", "valued", edit(&h, "cpus {", "eth@ff0e0000 { reg = <0x0 0xff0e0000 0x0 0x1000>; xen,passthrough = \"yes\"; };\n\tcpus {"), Expect::Fires(Warning, "presence flag")),
        case("xenboot-passthrough-flag", "flag", edit(&h, "cpus {", "eth@ff0e0000 { reg = <0x0 0xff0e0000 0x0 0x1000>; xen,passthrough; };\n\tcpus {"), Expect::Fires(Info, "hidden from dom0")),
        case("xenboot-passthrough-flag", "good", h.clone(), Expect::Silent),
        case("xenboot-cpupool", "not a cpu", edit(&edit(&h, "cpupool-cpus = <&cpu0 &cpu1>;", "cpupool-cpus = <&mem>;"), "memory@40000000 {", "mem: memory@40000000 {"), Expect::Fires(Error, "is not a CPU node")),
        case("xenboot-cpupool", "unknown scheduler", edit(&h, "\"credit2\"", "\"fair\""), Expect::Fires(Warning, "unknown scheduler \"fair\"")),
        case("xenboot-cpupool", "boot cpu", h.clone(), Expect::Fires(Info, "this pool becomes Pool-0")),
        case("xenboot-cpupool", "good", h.clone(), Expect::Clean),
        case("xenboot-hyperlaunch", "config", hyperlaunch.to_string(), Expect::Fires(Info, "Hyperlaunch boot configuration (1 xen,config, 1 xen,domain)")),
        case("xenboot-hyperlaunch", "good", h.clone(), Expect::Silent),
    ]
}

fn all_cases() -> Vec<Case> {
    let mut v = xen_cases();
    v.extend(epapr_cases());
    v.extend(xenboot_cases());
    v
}

fn check_case(c: &Case) -> Result<(), String> {
    let f = findings(&c.dts);
    let mine = of_rule(&f, c.rule);
    let ok = match &c.expect {
        Expect::Fires(sev, text) => mine.iter().any(|x| x.severity == *sev && x.message.contains(text)),
        Expect::Silent => mine.is_empty(),
        Expect::Clean => mine.iter().all(|x| x.severity == Severity::Info),
    };
    if ok {
        Ok(())
    } else {
        let want = match &c.expect {
            Expect::Fires(s, t) => format!("a {} containing {t:?}", s.as_str()),
            Expect::Silent => "no finding".into(),
            Expect::Clean => "nothing above info".into(),
        };
        Err(format!(
            "{} [{}]: expected {want}, got:\n{}",
            c.rule,
            c.what,
            show(&mine.into_iter().cloned().collect::<Vec<_>>())
        ))
    }
}

fn run_family(cases: Vec<Case>) {
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn xen_rules() {
    run_family(xen_cases());
}

#[test]
fn epapr_rules() {
    run_family(epapr_cases());
}

#[test]
fn xenboot_rules() {
    run_family(xenboot_cases());
}

/// Every rule of families A, B and C has at least one tree it fires on and one it does not.
#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = all_cases();
    let mut missing = Vec::new();
    for fam in [RuleFamily::Epapr, RuleFamily::Xen, RuleFamily::Xenboot] {
        for r in check::registry::family(fam) {
            let fires = cases.iter().any(|c| c.rule == r.id && matches!(c.expect, Expect::Fires(..)));
            let quiet = cases.iter().any(|c| c.rule == r.id && !matches!(c.expect, Expect::Fires(..)));
            if !fires || !quiet {
                missing.push(format!("{} (fires: {fires}, quiet: {quiet})", r.id));
            }
        }
    }
    assert!(missing.is_empty(), "rules without both cases: {missing:?}");
    for c in &cases {
        assert!(check::find(c.rule).is_some(), "case names unknown rule {}", c.rule);
    }
}

/// The clean fixtures have no finding above info from their own family.
#[test]
fn good_fixtures_are_clean() {
    for (file, prefix) in
        [("xen-guest-good.dts", "xen-"), ("epapr-guest-good.dts", "epapr-"), ("xen-host-good.dts", "xenboot-")]
    {
        let f = findings(&fixture(file));
        let bad: Vec<_> =
            f.iter().filter(|x| x.rule.starts_with(prefix) && x.severity > Severity::Info).cloned().collect();
        assert!(bad.is_empty(), "{file}:\n{}", show(&bad));
    }
}

/// A Hyperlaunch `/chosen/hypervisor` is only labelled: no `/hypervisor` rule applies to it,
/// and its `module,*` children are not boot modules, even in a tree given to Xen.
#[test]
fn hyperlaunch_gets_only_its_label() {
    let dts = "/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	chosen {
		xen,xen-bootargs = \"console=dtuart\";
		hypervisor {
			compatible = \"hypervisor,xen\";
			config { compatible = \"xen,config\"; };
			dom0 {
				compatible = \"xen,domain\";
				kernel { compatible = \"module,kernel\", \"multiboot,module\"; mb-index = <1>; };
			};
		};
	};
};";
    let t = tree(dts);
    let hv = check::hypervisor_nodes(&t);
    assert_eq!(hv.len(), 1);
    assert_eq!(hv[0].family, check::HvFamily::XenHyperlaunch);
    assert_eq!(t.path(hv[0].node), "/chosen/hypervisor");
    assert_eq!(check::Context::new(&t).scope, check::TreeScope::HostXen);
    let f = findings(dts);
    let abc: Vec<_> = f
        .iter()
        .filter(|x| x.rule.starts_with("xen-") || x.rule.starts_with("epapr-") || x.rule.starts_with("xenboot-"))
        .filter(|x| x.rule != "xenboot-hyperlaunch" && x.rule != "xenboot-cmdline-resolution")
        .cloned()
        .collect();
    assert!(abc.is_empty(), "{}", show(&abc));
    assert_eq!(of_rule(&f, "xenboot-hyperlaunch").len(), 1);
}
