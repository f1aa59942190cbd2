//! Catalog §E (hv-*): a failing and a passing tree for every rule, the samples, and the
//! corpus. Trees are DTS compiled with dtc and read back with the blob reader; each failing
//! case names the rule, the node path and a message fragment.

mod checks_support;

use checks_support::*;
use dtlens::check::{self, Config, Fix, Level, RuleFamily, Severity};
use Severity::{Error, Info, Warning};

fn kvm() -> String {
    fixture("hv-kvm-ppc-good.dts")
}

fn others() -> String {
    fixture("hv-others-good.dts")
}

/// A minimal tree with `body` inside the root.
fn root(compat: &str, body: &str) -> String {
    format!(
        "/dts-v1/;\n/ {{\n\tcompatible = \"{compat}\";\n\t#address-cells = <2>;\n\t#size-cells = <2>;\n{body}\n}};\n"
    )
}

const KVM_NODE: &str = "hypervisor {\n\t\tcompatible = \"linux,kvm\";";

fn cases() -> Vec<Case> {
    use Expect::*;
    let k = kvm();
    let o = others();
    let gunyah_vendor = root(
        "qcom,sm8550",
        "\thypervisor {\n\t\tcompatible = \"qcom,gunyah-hypervisor-1.0\", \"qcom,gunyah-hypervisor\", \"simple-bus\";\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n\t\tqcom,gunyah-vm {\n\t\t\tcompatible = \"qcom,gunyah-vm-id-1.0\", \"qcom,gunyah-vm-id\";\n\t\t\tqcom,vmid = <45>;\n\t\t\tqcom,owner-vmid = <3>;\n\t\t\tqcom,vendor = \"Qualcomm\";\n\t\t};\n\t};",
    );
    let zephyr = root(
        "xen,xenvm",
        "\tinterrupt-parent = <&gic>;\n\tgic: interrupt-controller@3001000 {\n\t\tcompatible = \"arm,gic-v2\";\n\t\treg = <0x0 0x3001000 0x0 0x1000>;\n\t\t#interrupt-cells = <4>;\n\t\tinterrupt-controller;\n\t};\n\thypervisor@38000000 {\n\t\tcompatible = \"xen,xen\";\n\t\treg = <0x0 0x38000000 0x0 0x1000000>;\n\t\tinterrupts = <1 15 4 0xa0>;\n\t};",
    );
    let linux_xen = root(
        "xen,xenvm-4.2",
        "\tinterrupt-parent = <&gic>;\n\tgic: interrupt-controller@2c001000 {\n\t\tcompatible = \"arm,cortex-a15-gic\";\n\t\treg = <0x0 0x2c001000 0x0 0x1000>;\n\t\t#interrupt-cells = <3>;\n\t\tinterrupt-controller;\n\t};\n\thypervisor {\n\t\tcompatible = \"xen,xen-4.2\", \"xen,xen\";\n\t\treg = <0x0 0xb0000000 0x0 0x20000>;\n\t\tinterrupts = <1 15 0xf08>;\n\t};",
    );
    vec![
        // hv-kvm-ppc-path
        case("hv-kvm-ppc-path", "good", k.clone(), Silent),
        case("hv-kvm-ppc-path", "unit address", edit(&k, "hypervisor {", "hypervisor@0 {"), Fires(Error, "/hypervisor@0", "linux,kvm node is /hypervisor@0, not /hypervisor")),
        case("hv-kvm-ppc-path", "nested", edit(&k, "\thypervisor {", "\tvirt { hypervisor {").replace("has-idle;\n\t};", "has-idle;\n\t}; };"), Fires(Error, "/virt/hypervisor", "not /hypervisor")),
        // hv-kvm-ppc-hcall
        case("hv-kvm-ppc-hcall", "good", k.clone(), Silent),
        case("hv-kvm-ppc-hcall", "missing", edit(&k, "\t\thcall-instructions = <0x7c000022 0x60000000 0x60000000 0x60000000>;\n", ""), Fires(Warning, "/hypervisor", "has no hcall-instructions")),
        case("hv-kvm-ppc-hcall", "too long", edit(&k, "0x60000000 0x60000000 0x60000000>", "0x60000000 0x60000000 0x60000000 0x60000000>"), Fires(Warning, "/hypervisor", "hcall-instructions is 20 bytes, not 1-4 instructions")),
        case("hv-kvm-ppc-hcall", "MIPS tree is not PowerPC", sample("linux-loongson64v-kvm-hypervisor.dts"), Silent),
        // hv-kvm-ppc-typo
        case("hv-kvm-ppc-typo", "good", k.clone(), Silent),
        case("hv-kvm-ppc-typo", "doc spelling", edit(&k, "hcall-instructions =", "hypercall-instructions ="), Fires(Warning, "/hypervisor", "hypercall-instructions (the spelling of ppc-pv.rst) is read by nobody")),
        // hv-kvm-ppc-decorations
        case("hv-kvm-ppc-decorations", "plain node", edit(&k, "\t\thas-idle;\n", ""), Silent),
        case("hv-kvm-ppc-decorations", "has-idle", k.clone(), Fires(Info, "/hypervisor", "EV_IDLE")),
        case(
            "hv-kvm-ppc-decorations",
            "OpenBIOS form",
            edit(&k, KVM_NODE, "hypervisor {\n\t\tcompatible = \"linux,kvm\", \"epapr,hypervisor-0.2\";\n\t\tdevice_type = \"hypervisor\";\n\t\tguest-name = \"KVM guest\";\n\t\tguest-id = <0>;"),
            Fires(Info, "/hypervisor", "is the OpenBIOS form"),
        ),
        // hv-kvm-proposed-props
        case("hv-kvm-proposed-props", "good", k.clone(), Silent),
        case("hv-kvm-proposed-props", "has-reset", edit(&k, "has-idle;", "has-idle;\n\t\tkvm,has-reset;"), Fires(Info, "/hypervisor", "kvm,has-reset: from a 2013 proposal")),
        // hv-kvm-mips
        case("hv-kvm-mips", "PowerPC", k.clone(), Silent),
        case("hv-kvm-mips", "Loongson sample", sample("linux-loongson64v-kvm-hypervisor.dts"), Fires(Info, "/hypervisor", "MIPS KVM guest marker")),
        // hv-kvm-arm64
        case("hv-kvm-arm64", "PowerPC", k.clone(), Silent),
        case("hv-kvm-arm64", "Arm tree", root("arm,vexpress", "\thypervisor { compatible = \"linux,kvm\"; };"), Fires(Info, "/hypervisor", "linux,kvm node in an Arm tree")),
        // hv-jailhouse
        case("hv-jailhouse", "other hypervisor", k.clone(), Silent),
        case("hv-jailhouse", "sample", sample("jailhouse-inmate-qemu-arm64-hypervisor.dts"), Fires(Info, "/hypervisor", "Jailhouse non-root cell marker")),
        case("hv-jailhouse", "with reg", root("vendor,board", "\thypervisor { compatible = \"jailhouse,cell\"; reg = <0 0x1000 0 0x1000>; };"), Fires(Info, "/hypervisor", "carries reg; Linux reads none of them")),
        // hv-gunyah-schema
        case("hv-gunyah-schema", "good", o.clone(), Silent),
        case("hv-gunyah-schema", "sample", sample("linux-gunyah-yaml-example.dts"), Silent),
        case("hv-gunyah-schema", "size cells", edit(&o, "#size-cells = <0>;", "#size-cells = <1>;"), Fires(Warning, "/hypervisor", "#size-cells is <1>, the schema wants <0>")),
        case("hv-gunyah-schema", "one interrupt", edit(&o, "interrupts = <0 3 1>, <0 4 1>;", "interrupts = <0 3 1>;"), Fires(Warning, "/hypervisor/gunyah-resource-mgr@0", "interrupts has 1 specifier(s); the schema wants 2")),
        case("hv-gunyah-schema", "reg with size", edit(&o, "reg = <0x0 0x0>, <0x0 0x1>;", "reg = <0x0 0x0 0x0>;"), Fires(Warning, "/hypervisor/gunyah-resource-mgr@0", "reg is 12 bytes")),
        case("hv-gunyah-schema", "RM form", edit(&o, "compatible = \"gunyah-hypervisor\";", "compatible = \"gunyah-hypervisor\", \"qcom,gunyah-hypervisor\";"), Fires(Warning, "/hypervisor", "the mainline schema has exactly \"gunyah-hypervisor\"")),
        // hv-gunyah-vendor
        case("hv-gunyah-vendor", "mainline", o.clone(), Silent),
        case("hv-gunyah-vendor", "RM form", gunyah_vendor.clone(), Fires(Info, "/hypervisor", "Resource-Manager-generated Gunyah node")),
        case("hv-gunyah-vendor", "VM child", gunyah_vendor.clone(), Fires(Info, "/hypervisor/qcom,gunyah-vm", "qcom,vmid = <0x2d>, qcom,owner-vmid = <0x3>, qcom,vendor = \"Qualcomm\"")),
        // hv-hyperv-vmbus
        case("hv-hyperv-vmbus", "good", o.clone(), Clean),
        case("hv-hyperv-vmbus", "no vmbus", k.clone(), Silent),
        case("hv-hyperv-vmbus", "cells", edit(&o, "#size-cells = <1>;\n\t\t\tranges", "#size-cells = <2>;\n\t\t\tranges"), Fires(Warning, "/soc/vmbus@ff0000000", "#size-cells is <2>, the binding wants <1>")),
        case("hv-hyperv-vmbus", "extra", edit(&o, "dma-coherent;", "dma-coherent;\n\t\t\tclocks = <1>;"), Fires(Warning, "/soc/vmbus@ff0000000", "properties not in the binding: clocks")),
        case("hv-hyperv-vmbus", "no ranges", edit(&o, "\t\t\tranges = <0x0f 0xf0000000 0x0f 0xf0000000 0x10000000>;\n", ""), Fires(Warning, "/soc/vmbus@ff0000000", "has no ranges")),
        // hv-zephyr-xen
        case("hv-zephyr-xen", "Linux template", linux_xen, Silent),
        case("hv-zephyr-xen", "Zephyr board", zephyr, Fires(Info, "/hypervisor@38000000", "Zephyr xenvm board file (named \"hypervisor@38000000\", compatible only \"xen,xen\"")),
        // hv-unknown
        case("hv-unknown", "known", k.clone(), Silent),
        case("hv-unknown", "unknown", root("vendor,board", "\thypervisor { compatible = \"arm,gunyah-hypervisor\"; };"), Fires(Info, "/hypervisor", "compatible \"arm,gunyah-hypervisor\": no known binding family")),
        // hv-mixed-families
        case("hv-mixed-families", "KVM with ePAPR fallback is one family", edit(&k, "compatible = \"linux,kvm\";", "compatible = \"linux,kvm\", \"epapr,hypervisor-0.2\";"), Silent),
        case("hv-mixed-families", "xen and kvm", edit(&k, "compatible = \"linux,kvm\";", "compatible = \"xen,xen-4.19\", \"xen,xen\", \"linux,kvm\";"), Fires(Warning, "/hypervisor", "claims 2 families (xen, kvm)")),
        // hv-bao-acrn
        case("hv-bao-acrn", "none", k.clone(), Silent),
        case("hv-bao-acrn", "bao shmem", root("vendor,board", "\tbao-ipc@f0000000 { compatible = \"bao,ipcshmem\"; reg = <0x0 0xf0000000 0x0 0x10000>; };"), Fires(Info, "/bao-ipc@f0000000", "Bao inter-VM shared-memory device")),
    ]
}

#[test]
fn hv_rules() {
    assert_cases(&cases());
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = cases();
    let missing = rules_without_both_cases(&cases, RuleFamily::Hv);
    assert!(missing.is_empty(), "rules without both cases: {missing:?}");
    assert_eq!(check::registry::family(RuleFamily::Hv).len(), 15, "catalog §E has 15 rules");
}

#[test]
fn fixes() {
    let f = findings(&edit(&kvm(), "hypervisor {", "hypervisor@0 {"));
    assert_eq!(
        of_rule(&f, "hv-kvm-ppc-path")[0].fix,
        Some(Fix::RenameNode { path: "/hypervisor@0".into(), new_name: "hypervisor".into() })
    );
    let f = findings(&edit(&kvm(), "hcall-instructions =", "hypercall-instructions ="));
    let t = of_rule(&f, "hv-kvm-ppc-typo");
    assert!(
        matches!(&t[0].fix, Some(Fix::SetProperty { property, value, .. }) if property == "hcall-instructions" && value.len() == 16),
        "{:?}",
        t[0].fix
    );
}

/// What §E says about each sample, pinned: only labels, no warning or error.
#[test]
fn samples() {
    let expect: &[(&str, &[(&str, &str)])] = &[
        ("jailhouse-inmate-qemu-arm64-hypervisor.dts", &[("hv-jailhouse", "/hypervisor")]),
        ("linux-loongson64v-kvm-hypervisor.dts", &[("hv-kvm-mips", "/hypervisor")]),
        ("zephyr-xenvm-hypervisor.dts", &[("hv-zephyr-xen", "/hypervisor@38000000")]),
        ("linux-gunyah-yaml-example.dts", &[]),
        ("linux-xenvm-4.2.dts", &[]),
        ("linux-xen-yaml-example.dts", &[]),
        ("epapr-fsl-hv-guest-RECONSTRUCTED.dts", &[]),
        ("xen-docs-dom0less-chosen.dts", &[]),
    ];
    for (file, want) in expect {
        let f = findings(&sample(file));
        let got: Vec<(&str, &str)> =
            f.iter().filter(|x| x.rule.starts_with("hv-")).map(|x| (x.rule, x.path.as_str())).collect();
        assert_eq!(&got, want, "{file}");
    }
}

/// On the 49 corpus blobs §E only labels the five Zephyr xenvm boards; nothing else fires.
#[test]
fn corpus() {
    let corpus = corpus_trees();
    let n = corpus.len();
    for (name, t) in corpus {
        let f = check::run(&t, &Config { level: Level::W2, ..Config::default() });
        let got: Vec<_> = f.iter().filter(|x| x.rule.starts_with("hv-")).collect();
        if name.contains("zephyr") {
            assert_eq!(got.len(), 1, "{name}: {got:?}");
            assert_eq!(
                (got[0].rule, got[0].path.as_str(), got[0].severity),
                ("hv-zephyr-xen", "/hypervisor@38000000", Info)
            );
        } else {
            assert!(got.is_empty(), "{name}: {got:?}");
        }
    }
    assert_eq!(n, 49);
}
