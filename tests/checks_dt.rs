//! Catalog §F (dt-*): a failing and a passing tree for every rule, the samples, the corpus
//! (every finding above info pinned by kind and explained), and linear time on a deep tree.
//! Trees are DTS compiled with dtc and read back with the blob reader, or built by hand where
//! dtc cannot express the fault (duplicates, header versions).

mod checks_support;

use checks_support::*;
use dtlens::check::{self, Config, Finding, Fix, Level, Override, RuleFamily, Severity};
use dtlens::{Property, Tree};
use Severity::{Error, Info, Warning};

fn good() -> String {
    fixture("dt-good.dts")
}

/// The good tree with `text` added at the end of the root node.
fn add_root(text: &str) -> String {
    let g = good();
    let end = g.rfind("};").unwrap();
    format!("{}{text}\n{}", &g[..end], &g[end..])
}

const SERIAL: &str = "reg = <0x9000000 0x1000>;";

fn cases() -> Vec<Case> {
    use Expect::*;
    let g = good();
    vec![
        // dt-node-name
        case("dt-node-name", "good", g.clone(), Silent),
        case("dt-node-name", "leading digit", add_root("\t1wire { };"), Fires(Error, "/1wire", "does not start with a letter")),
        case("dt-node-name", "too long", add_root("\tabcdefghijklmnopqrstuvwxyz-abcdef { };"), Fires(Warning, "/abcdefghijklmnopqrstuvwxyz-abcdef", "33 characters; the DT spec allows at most 31")),
        case("dt-node-name", "bad character", add_root("\tfoo#bar { };"), Fires(Error, "/foo#bar", "it contains '#'")),
        // dt-unit-address
        case("dt-unit-address", "good", g.clone(), Clean),
        case("dt-unit-address", "mismatch", edit(&g, SERIAL, "reg = <0x9001000 0x1000>;"), Fires(Warning, "/soc@0/serial@9000000", "unit address \"9000000\" (0x9000000) does not match the first reg address 0x9001000")),
        case("dt-unit-address", "0x prefix", add_root("\tsram@0x10000000 { reg = <0x0 0x10000000 0x0 0x1000>; };"), Fires(Warning, "/sram@0x10000000", "not in canonical form: write \"10000000\"")),
        case("dt-unit-address", "unit without reg", add_root("\tregulator@0 { compatible = \"regulator-fixed\"; };"), Fires(Warning, "/regulator@0", "has unit address \"0\" but no reg")),
        case("dt-unit-address", "reg without unit", add_root("\tsram { reg = <0x0 0x10000000 0x0 0x1000>; };"), Fires(Warning, "/sram", "has reg (first address 0x10000000) but no unit address")),
        case("dt-unit-address", "Xen hypervisor only info", g.clone(), Fires(Info, "/hypervisor", "Linux only finds the node without it")),
        case("dt-unit-address", "jailhouse GIC", sample("jailhouse-inmate-qemu-arm64-hypervisor.dts"), Fires(Warning, "/interrupt-controller@d1d00000", "does not match the first reg address 0x8000000")),
        // dt-property-name
        case("dt-property-name", "good", g.clone(), Silent),
        case("dt-property-name", "bad char", edit(&g, "dma-coherent;", "dma-coherent;\n\t\t\tvendor,mode*x = <1>;"), Fires(Error, "/soc@0/ethernet@a000000", "property name \"vendor,mode*x\": it contains '*'")),
        case("dt-property-name", "too long", edit(&g, "dma-coherent;", "dma-coherent;\n\t\t\tregulator-over-current-protection;"), Fires(Warning, "/soc@0/ethernet@a000000", "is 33 characters")),
        // dt-cells-explicit
        case("dt-cells-explicit", "good", g.clone(), Silent),
        case("dt-cells-explicit", "bus without cells", edit(&g, "\t\t#address-cells = <1>;\n\t\t#size-cells = <1>;\n\t\tranges = <0x0", "\t\tranges = <0x0"), Fires(Warning, "/soc@0", "has reg but this node has no #address-cells and #size-cells")),
        case("dt-cells-explicit", "root without cells", edit(&g, "\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent", "\tinterrupt-parent"), Fires(Warning, "/", "the root node has no #address-cells and #size-cells")),
        // dt-cells-type
        case("dt-cells-type", "good", g.clone(), Silent),
        case("dt-cells-type", "two cells", edit(&g, "dma-coherent;", "dma-coherent;\n\t\t\t#size-cells = [00 01];"), Fires(Error, "/soc@0/ethernet@a000000", "#size-cells is 2 bytes, not one 4-byte cell")),
        // dt-reg-format
        case("dt-reg-format", "good", g.clone(), Silent),
        case("dt-reg-format", "wrong length", edit(&g, SERIAL, "reg = <0x9000000 0x1000 0x0>;"), Fires(Error, "/soc@0/serial@9000000", "reg is 12 bytes, not a whole number of 1+1-cell entries of /soc@0")),
        case("dt-reg-format", "root reg", edit(&g, "\tinterrupt-parent = <&gic>;", "\tinterrupt-parent = <&gic>;\n\treg = <0 0 0 0>;"), Fires(Warning, "/", "the root node has reg")),
        case("dt-reg-format", "empty", edit(&g, SERIAL, "reg;"), Fires(Error, "/soc@0/serial@9000000", "reg is empty")),
        // dt-ranges-format
        case("dt-ranges-format", "good", g.clone(), Silent),
        case("dt-ranges-format", "empty with other cells", edit(&g, "ranges = <0x0 0x0 0x0 0x40000000>;", "ranges;"), Fires(Error, "/soc@0", "ranges is empty (identity) but this node has cells 1/1 and / has 2/2")),
        case("dt-ranges-format", "bad length", edit(&g, "dma-ranges = <0x0 0x0 0x0 0x40000000>;", "dma-ranges = <0x0 0x0 0x40000000>;"), Fires(Error, "/soc@0", "dma-ranges is 12 bytes, not a whole number of 1+2+1-cell")),
        // dt-compatible
        case("dt-compatible", "good", g.clone(), Clean),
        case("dt-compatible", "order", edit(&g, "\"vendor,eth-v2\", \"vendor,eth\"", "\"vendor,eth\", \"vendor,eth-v2\""), Fires(Warning, "/soc@0/ethernet@a000000", "lists \"vendor,eth\" before the more specific \"vendor,eth-v2\"")),
        case("dt-compatible", "empty entry", edit(&g, "\"vendor,eth-v2\", \"vendor,eth\"", "\"vendor,eth-v2\", \"\""), Fires(Warning, "/soc@0/ethernet@a000000", "not a list of non-empty NUL-terminated strings")),
        case("dt-compatible", "underscore is info", edit(&g, "\"vendor,eth-v2\", \"vendor,eth\"", "\"ti,davinci_mdio\""), Fires(Info, "/soc@0/ethernet@a000000", "\"ti,davinci_mdio\" contains '_'")),
        case("dt-compatible", "dotted version is info", g.clone(), Fires(Info, "/hypervisor", "\"xen,xen-4.19\" has '.' in a version suffix")),
        // dt-status
        case("dt-status", "good", g.clone(), Silent),
        case("dt-status", "enabled", edit(&g, "status = \"okay\";", "status = \"enabled\";"), Fires(Warning, "/soc@0/serial@9000000", "status = \"enabled\" is not okay/disabled/reserved/fail")),
        case("dt-status", "ok", edit(&g, "status = \"okay\";", "status = \"ok\";"), Fires(Info, "/soc@0/serial@9000000", "legacy spelling")),
        case("dt-status", "fail-sss", edit(&g, "status = \"okay\";", "status = \"fail-clock\";"), Silent),
        // dt-phandles
        case("dt-phandles", "good", g.clone(), Silent),
        case("dt-phandles", "duplicate", add_root("\ta { phandle = <1>; };\n\tb { phandle = <1>; };"), Fires(Error, "/b", "phandle 0x1 is also used by /a")),
        case("dt-phandles", "zero", add_root("\ta { phandle = <0>; };"), Fires(Error, "/a", "phandle = <0x0>")),
        case("dt-phandles", "disagree", add_root("\ta { phandle = <0x10>; linux,phandle = <0x11>; };"), Fires(Error, "/a", "phandle = <0x10> but linux,phandle = <0x11>")),
        // dt-interrupt-tree
        case("dt-interrupt-tree", "good", g.clone(), Silent),
        case("dt-interrupt-tree", "wrong count", edit(&g, "interrupts = <0 1 4>;", "interrupts = <0 1>;"), Fires(Error, "/soc@0/serial@9000000", "interrupts has 2 cells, not a multiple of #interrupt-cells = <3> of /interrupt-controller@8000000")),
        case("dt-interrupt-tree", "not a provider", edit(&g, "interrupts = <0 1 4>;", "interrupts = <0 1 4>;\n\t\t\tinterrupt-parent = <&cpu0>;"), Fires(Error, "/soc@0/serial@9000000", "interrupt parent /cpus/cpu@0 is not an interrupt-controller")),
        case("dt-interrupt-tree", "missing parent", edit(&g, "\tinterrupt-parent = <&gic>;\n", ""), Fires(Error, "/soc@0/serial@9000000", "missing interrupt parent")),
        case("dt-interrupt-tree", "dangling", edit(&g, "\tinterrupt-parent = <&gic>;\n", "\tinterrupt-parent = <0x99>;\n"), Fires(Error, "/soc@0/serial@9000000", "interrupt-parent of / is phandle 0x99, which no node has")),
        case("dt-interrupt-tree", "extended too short", edit(&g, "interrupts-extended = <&gic 0 2 4>;", "interrupts-extended = <&gic 0 2>;"), Fires(Error, "/soc@0/ethernet@a000000", "needs 3 cells, only 2 left")),
        case("dt-interrupt-tree", "both", edit(&g, "interrupts-extended = <&gic 0 2 4>;", "interrupts-extended = <&gic 0 2 4>;\n\t\t\tinterrupts = <0 2 4>;"), Fires(Info, "/soc@0/ethernet@a000000", "both interrupts and interrupts-extended")),
        case("dt-interrupt-tree", "partial DT without parent", fixture("dom0less-fragment-good.dts"), Silent),
        // dt-chosen
        case("dt-chosen", "good", g.clone(), Silent),
        case("dt-chosen", "bootargs cells", edit(&g, "bootargs = \"console=hvc0 root=/dev/vda\";", "bootargs = <1>;"), Fires(Warning, "/chosen", "bootargs is not a single string (4 bytes)")),
        case("dt-chosen", "linux,stdout-path", edit(&g, "stdout-path = ", "linux,stdout-path = "), Fires(Warning, "/chosen", "linux,stdout-path is deprecated; use stdout-path")),
        case("dt-chosen", "nested chosen", add_root("\tfirmware { chosen { }; };"), Fires(Warning, "/firmware/chosen", "only /chosen is read")),
        // dt-aliases
        case("dt-aliases", "good", g.clone(), Silent),
        case("dt-aliases", "underscore", edit(&g, "ethernet-0 =", "ethernet_0 ="), Fires(Warning, "/aliases", "alias name \"ethernet_0\" contains '_'")),
        case("dt-aliases", "missing target", edit(&g, "\"/soc@0/serial@9000000\";\n\t\tethernet", "\"/soc@0/serial@9100000\";\n\t\tethernet"), Fires(Warning, "/aliases", "alias \"serial0\" points to \"/soc@0/serial@9100000\", which does not exist")),
        case("dt-aliases", "relative", edit(&g, "\"/soc@0/serial@9000000\";\n\t\tethernet", "\"soc@0/serial@9000000\";\n\t\tethernet"), Fires(Warning, "/aliases", "is not an absolute path")),
        // dt-memory
        case("dt-memory", "good", g.clone(), Silent),
        case("dt-memory", "none", edit(&g, "device_type = \"memory\";", ""), Fires(Warning, "/", "no /memory node with device_type = \"memory\" and reg")),
        case("dt-memory", "misplaced", add_root("\tsoc2 { #address-cells = <2>; #size-cells = <2>; ram@80000000 { device_type = \"memory\"; reg = <0 0x80000000 0 0x1000>; }; };"), Fires(Warning, "/soc2/ram@80000000", "Xen only counts root children named memory")),
        case("dt-memory", "partial DT is exempt", fixture("dom0less-fragment-good.dts"), Silent),
        // dt-reserved-memory
        case("dt-reserved-memory", "good", g.clone(), Silent),
        case("dt-reserved-memory", "no-map and reusable", edit(&g, "no-map;", "no-map;\n\t\t\treusable;"), Fires(Warning, "/reserved-memory/shm@70000000", "no-map and reusable together")),
        case("dt-reserved-memory", "cells", edit(&g, "#size-cells = <2>;\n\t\tranges;", "#size-cells = <1>;\n\t\tranges;"), Fires(Warning, "/reserved-memory", "cells are 2/1 but the root's are 2/2")),
        case("dt-reserved-memory", "neither reg nor size", edit(&g, "size = <0x0 0x400000>;", ""), Fires(Warning, "/reserved-memory/pool", "has neither reg nor size")),
        // dt-cpus
        case("dt-cpus", "good", g.clone(), Silent),
        case("dt-cpus", "size cells", edit(&g, "#address-cells = <1>;\n\t\t#size-cells = <0>;\n\n\t\tcpu0", "#address-cells = <1>;\n\t\t#size-cells = <1>;\n\n\t\tcpu0"), Fires(Warning, "/cpus", "#size-cells = <1>; it must be <0>")),
        case("dt-cpus", "no device_type", edit(&g, "device_type = \"cpu\";\n\t\t\tcompatible = \"arm,cortex-a53\";\n\t\t\treg = <1>;", "compatible = \"arm,cortex-a53\";\n\t\t\treg = <1>;"), Fires(Warning, "/cpus/cpu@1", "has no device_type = \"cpu\"")),
        case("dt-cpus", "no cpus", sample("linux-loongson64v-kvm-hypervisor.dts"), Fires(Warning, "/", "no /cpus node")),
        // dt-root-props
        case("dt-root-props", "good", g.clone(), Silent),
        case("dt-root-props", "no model", edit(&g, "\tmodel = \"dtlens clean guest\";\n", ""), Fires(Info, "/", "the root node has no model")),
        // dt-boolean-props
        case("dt-boolean-props", "good", g.clone(), Silent),
        case("dt-boolean-props", "zero flag", edit(&g, "dma-coherent;", "dma-coherent = <0>;"), Fires(Warning, "/soc@0/ethernet@a000000", "dma-coherent is a flag but has a 4-byte value (= <0> does not turn it off)")),
        // dt-strings
        case("dt-strings", "good", g.clone(), Silent),
        case("dt-strings", "list", edit(&g, "label = \"eth0\";", "label = \"eth0\", \"lan\";"), Fires(Error, "/soc@0/ethernet@a000000", "label is a list of 2 strings (\"eth0\", \"lan\")")),
        case("dt-strings", "cells", edit(&g, "\tmodel = \"dtlens clean guest\";", "\tmodel = <1>;"), Fires(Error, "/", "model is not NUL-terminated")),
        // dt-duplicates: see duplicates_and_header (dtc merges duplicates in source)
        case("dt-duplicates", "good", g.clone(), Silent),
        case("dt-duplicates", "node named like a property", add_root("\tmodel { };"), Fires(Warning, "/model", "has the name of a property of its parent /")),
        // dt-fdt-header: see duplicates_and_header
        case("dt-fdt-header", "dtc output", g.clone(), Silent),
        // dt-hypervisor-generic-name: never fires
        case("dt-hypervisor-generic-name", "hypervisor node", g.clone(), Silent),
    ]
}

#[test]
fn dt_rules() {
    assert_cases(&cases());
}

fn run_tree(t: &Tree) -> Vec<Finding> {
    check::run(t, &Config { level: Level::W2, ..Config::default() })
}

/// Faults dtc cannot produce from source: duplicate names (dtc merges them) and header versions.
#[test]
fn duplicates_and_header() {
    let mut t = tree(&good());
    let root = t.root;
    t.add_child(root, "twin");
    t.add_child(root, "twin");
    let chosen = t.find("/chosen").unwrap();
    t.node_mut(chosen).props.push(Property::new("bootargs", b"again\0".to_vec()));
    let f = run_tree(&t);
    let d = of_rule(&f, "dt-duplicates");
    assert!(
        d.iter().any(|x| x.severity == Error
            && x.path == "/twin"
            && x.message.contains("another child of / is also named \"twin\"")),
        "{}",
        show(&f)
    );
    assert!(
        d.iter().any(|x| x.severity == Error
            && x.path == "/chosen"
            && x.message.contains("property \"bootargs\" appears more than once")),
        "{}",
        show(&f)
    );

    let mut t = tree(&good());
    assert!(of_rule(&run_tree(&t), "dt-fdt-header").is_empty());
    t.header.version = 16;
    let f = run_tree(&t);
    let h = of_rule(&f, "dt-fdt-header");
    assert!(
        h.iter().any(|x| x.severity == Error && x.path == "/" && x.message.contains("FDT version 16")),
        "{}",
        show(&f)
    );
    t.header.version = 17;
    t.header.last_comp_version = 18;
    let f = run_tree(&t);
    let h = of_rule(&f, "dt-fdt-header");
    assert!(
        h.iter().any(|x| x.severity == Error && x.message.contains("last_comp_version 18; it should be 16")),
        "{}",
        show(&f)
    );
    assert!(
        h.iter().any(|x| x.severity == Warning && x.message.contains("a version-17 client may refuse")),
        "{}",
        show(&f)
    );
    // A real v16 blob read from bytes: patch dtc's output header (version at 0x14, last_comp at 0x18).
    let mut b = compile(&good());
    b[0x14..0x18].copy_from_slice(&16u32.to_be_bytes());
    let f = run_tree(&tree_of_dtb(&b));
    assert!(of_rule(&f, "dt-fdt-header").iter().any(|x| x.message.contains("FDT version 16")), "{}", show(&f));
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = cases();
    let mut missing = Vec::new();
    // Covered by duplicates_and_header; dt-hypervisor-generic-name has no check by design.
    let elsewhere = ["dt-fdt-header", "dt-hypervisor-generic-name"];
    for r in check::registry::family(RuleFamily::Dt) {
        let fires =
            elsewhere.contains(&r.id) || cases.iter().any(|c| c.rule == r.id && matches!(c.expect, Expect::Fires(..)));
        let quiet = cases.iter().any(|c| c.rule == r.id && !matches!(c.expect, Expect::Fires(..)));
        if !fires || !quiet {
            missing.push(format!("{} (fires: {fires}, quiet: {quiet})", r.id));
        }
    }
    assert!(missing.is_empty(), "rules without both cases: {missing:?}");
    assert_eq!(check::registry::family(RuleFamily::Dt).len(), 22, "catalog §F has 22 rules");
}

#[test]
fn fixes() {
    let f = findings(&edit(&good(), SERIAL, "reg = <0x9001000 0x1000>;"));
    let u: Vec<_> = of_rule(&f, "dt-unit-address").into_iter().filter(|x| x.severity == Warning).collect();
    assert_eq!(
        u[0].fix,
        Some(Fix::RenameNode { path: "/soc@0/serial@9000000".into(), new_name: "serial@9001000".into() })
    );
    let f = findings(&edit(&good(), "dma-coherent;", "dma-coherent = <0>;"));
    assert_eq!(
        of_rule(&f, "dt-boolean-props")[0].fix,
        Some(Fix::SetProperty {
            path: "/soc@0/ethernet@a000000".into(),
            property: "dma-coherent".into(),
            value: vec![]
        })
    );
    let f = findings(&edit(&good(), "status = \"okay\";", "status = \"enabled\";"));
    assert_eq!(
        of_rule(&f, "dt-status")[0].fix,
        Some(Fix::SetProperty {
            path: "/soc@0/serial@9000000".into(),
            property: "status".into(),
            value: b"okay\0".to_vec()
        })
    );
}

/// Each corpus blob: the findings of §F above info, as (file, rule, severity, path), pinned as
/// kinds with their count. Every one is a true finding about that blob (see the report in the
/// commit message and the rules' explanations); the errors are pinned individually.
#[test]
fn corpus() {
    let corpus = corpus_trees();
    let n = corpus.len();
    let mut errors: Vec<(String, &str, String)> = Vec::new();
    let mut warnings = std::collections::BTreeMap::<&str, usize>::new();
    for (name, t) in corpus {
        let f = run_tree(&t);
        for x in f.iter().filter(|x| x.rule.starts_with("dt-")) {
            match x.severity {
                Error => errors.push((name.clone(), x.rule, x.path.clone())),
                Warning => *warnings.entry(x.rule).or_default() += 1,
                Info => {}
            }
        }
    }
    assert_eq!(n, 49);
    errors.sort();
    let e = |f: &str, r: &'static str, p: &str| (f.to_string(), r, p.to_string());
    let zephyr = |f: &str| e(f, "dt-ranges-format", "/soc");
    assert_eq!(
        errors,
        vec![
            // TI names a 1-Wire controller "1w@0": a node-name must start with a letter.
            e("deb32_am572x-idk.dtb", "dt-node-name", "/ocp/interconnect@48000000/segment@0/target-module@b2000/1w@0"),
            e(
                "deb32_omap4-panda-es.dtb",
                "dt-node-name",
                "/ocp/interconnect@48000000/segment@0/target-module@b2000/1w@0"
            ),
            // QEMU's e500 i2c node has no cells; rtc@68 has a 1-cell reg (dtc reports it too).
            e("qemu_qemu-ppc-ppce500.dtb", "dt-reg-format", "/soc@fe0000000/i2c@3000/rtc@68"),
            // Zephyr's xenvm boards: /soc { ranges; } with cells 1/1 under a 2/2 root.
            zephyr("src_zephyr-boards-arm64-xenvm-xenvm.dtb"),
            zephyr("src_zephyr-boards-arm64-xenvm-xenvm_gicv3.dtb"),
            zephyr("src_zephyr-boards-xen-xenvm-xenvm.dtb"),
            zephyr("src_zephyr-boards-xen-xenvm-xenvm_xenvm_gicv3.dtb"),
            zephyr("src_zephyr-boards-xen-xenvm-xenvm_xenvm_gicv3_smp.dtb"),
        ]
    );
    // Warnings: which rules, how many (each kind explained in the rules' pages).
    let kinds: Vec<(&str, usize)> = warnings.into_iter().collect();
    assert_eq!(
        kinds,
        vec![
            ("dt-aliases", 3),
            ("dt-cells-explicit", 1),
            ("dt-chosen", 1),
            ("dt-memory", 6),
            ("dt-node-name", 7),
            ("dt-property-name", 65),
            ("dt-status", 1),
            ("dt-unit-address", 137),
        ]
    );
}

/// The samples: the catalog's §6 notes, seen through §F.
#[test]
fn samples() {
    let f = findings(&sample("jailhouse-inmate-qemu-arm64-hypervisor.dts"));
    assert!(of_rule(&f, "dt-unit-address").iter().any(|x| x.path == "/interrupt-controller@d1d00000"));
    let f = findings(&sample("xen-docs-dom0less-chosen.dts"));
    let u: Vec<&str> = of_rule(&f, "dt-unit-address").iter().map(|x| x.path.as_str()).collect();
    assert_eq!(
        u,
        vec![
            "/chosen/domU1/module@0x4a000000",
            "/chosen/domU1/module@0x4b000000",
            "/chosen/domU2/module@0x4c000000",
            "/chosen/domU2/module@0x4d000000",
            "/chosen/evtchn@1",
            "/chosen/domU3/evtchn@2",
        ]
    );
    let f = findings(&sample("linux-xenvm-4.2.dts"));
    let above: Vec<_> = f.iter().filter(|x| x.rule.starts_with("dt-") && x.severity > Info).cloned().collect();
    assert!(above.is_empty(), "{}", show(&above));
}

/// A 100,000-deep chain with `interrupts` on every node and the only provider at the root:
/// resolving each node's parent by walking up would be quadratic; the §F rules resolve them in
/// one pass and finish. Only the leaf is wrong, so only one deep path is built.
#[test]
fn deep_tree_is_linear() {
    let mut t = Tree::new();
    let root = t.root;
    t.node_mut(root).props.push(Property::new("interrupt-controller", vec![]));
    t.node_mut(root).props.push(Property::new("#interrupt-cells", 2u32.to_be_bytes()));
    let mut cur = t.add_child(root, "n");
    for _ in 0..100_000 {
        t.node_mut(cur).props.push(Property::new("interrupts", vec![0; 8]));
        cur = t.add_child(cur, "n");
    }
    // The leaf's specifier is wrong: exactly one finding, found through the whole chain.
    t.node_mut(cur).props.push(Property::new("interrupts", vec![0; 12]));
    t.node_mut(root).props.push(Property::new("#address-cells", 2u32.to_be_bytes()));
    t.node_mut(root).props.push(Property::new("#size-cells", 1u32.to_be_bytes()));
    let mut c = Config { level: Level::W2, ..Config::default() };
    for fam in ["epapr", "xen", "xenboot", "dom0less", "hv", "dtc"] {
        c.set(fam, Override::Off);
    }
    c.set("dt-interrupt-tree", Override::Error);
    let ctx = check::Context::new(&t);
    let f = check::run_with(&ctx, &c);
    let it = of_rule(&f, "dt-interrupt-tree");
    assert_eq!(it.len(), 1, "{}", it.len());
    assert!(it[0].message.contains("interrupts has 3 cells, not a multiple of #interrupt-cells = <2> of /"));
}

/// Damaged values everywhere: every property of the D/E/F fixtures replaced in turn by odd
/// byte strings. No rule panics, and every finding points at an existing node and property.
#[test]
fn odd_values_never_panic() {
    let fixtures = [
        "dt-good.dts",
        "dom0less-host-good.dts",
        "dom0less-fragment-good.dts",
        "hv-kvm-ppc-good.dts",
        "hv-others-good.dts",
    ];
    let odd: [&[u8]; 7] = [b"", b"\x01", b"\x00\x00\x01", b"\xff\xff\xff\xff", &[0xff; 12], b"x\0y\0", &[0; 28]];
    let mut runs = 0;
    for file in fixtures {
        let base = tree(&fixture(file));
        let props: Vec<(dtlens::NodeId, usize)> =
            base.walk().flat_map(|(id, _)| (0..base.node(id).props.len()).map(move |i| (id, i))).collect();
        for (id, i) in props {
            for v in odd {
                let mut t = base.clone();
                t.node_mut(id).props[i].value = v.to_vec();
                for f in run_tree(&t) {
                    assert!(t.find(&f.path).is_some(), "{file}: finding on unknown path {}", f.path);
                    if let Some(p) = &f.property {
                        assert!(t.node(f.node).prop(p).is_some(), "{file}: {} has no property {p}", f.path);
                    }
                }
                runs += 1;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
