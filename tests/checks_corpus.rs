//! The checks over every blob of the shared corpus and every sample: no panic, findings
//! that point at real nodes, deterministic order, and the expected findings pinned on the
//! hypervisor trees (each explained by the catalog).

mod checks_support;

use checks_support::*;
use dtlens::check::{self, hypervisor_nodes, Config, HvFamily, Level, Severity};
use dtlens::Tree;

fn corpus_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(CORPUS)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dtb") || n.ends_with(".dtbo"))
        .collect();
    v.sort();
    v
}

fn corpus_tree(name: &str) -> Tree {
    tree_of_dtb(&std::fs::read(format!("{CORPUS}/{name}")).unwrap())
}

fn w2() -> Config {
    Config { level: Level::W2, ..Config::default() }
}

/// (rule, severity, path) of the A/B/C findings, for pinning.
fn abc(f: &[check::Finding]) -> Vec<(String, Severity, String)> {
    f.iter()
        .filter(|x| x.rule.starts_with("xen-") || x.rule.starts_with("epapr-") || x.rule.starts_with("xenboot-"))
        .map(|x| (x.rule.to_string(), x.severity, x.path.clone()))
        .collect()
}

fn has(f: &[check::Finding], rule: &str, sev: Severity, path: &str, text: &str) -> bool {
    f.iter().any(|x| x.rule == rule && x.severity == sev && x.path == path && x.message.contains(text))
}

#[test]
fn every_corpus_blob_checks_cleanly() {
    let files = corpus_files();
    assert!(files.len() >= 49, "corpus has {} blobs", files.len());
    for name in &files {
        let t = corpus_tree(name);
        let ctx = check::Context::new(&t);
        let f = check::run(&t, &w2());
        assert_eq!(f, check::run(&t, &w2()), "{name}: not deterministic");
        for x in &f {
            assert!(t.find(&x.path).is_some(), "{name}: finding on unknown path {}", x.path);
            if !(x.rule.starts_with("xen-") || x.rule.starts_with("epapr-") || x.rule.starts_with("xenboot-")) {
                continue;
            }
            assert!(check::find(x.rule).is_some(), "{name}: unknown rule {}", x.rule);
            if let Some(p) = &x.property {
                assert!(t.node(x.node).prop(p).is_some(), "{name}: {} has no property {p}", x.path);
            }
            assert!(x.offset.is_some(), "{name}: blob finding without offset: {x}");
        }
        for w in f.windows(2) {
            assert!(
                (ctx.doc_index(w[0].node), w[0].rule) <= (ctx.doc_index(w[1].node), w[1].rule),
                "{name}: unsorted {} / {}",
                w[0],
                w[1]
            );
        }
        // None of the corpus trees is given to Xen: no host-xen rule may fire.
        assert!(f.iter().all(|x| !x.rule.starts_with("xenboot-")), "{name}:\n{}", show(&f));
    }
}

#[test]
fn board_trees_without_hypervisor_get_no_binding_findings() {
    for name in corpus_files() {
        let t = corpus_tree(&name);
        if !hypervisor_nodes(&t).is_empty() {
            continue;
        }
        let f = check::run(&t, &w2());
        assert!(abc(&f).is_empty(), "{name}:\n{}", show(&f));
    }
}

/// Debian's build of Linux xenvm-4.2.dts: a correct 2012 domU template. Only labels.
#[test]
fn debian_xenvm_4_2() {
    let t = corpus_tree("deb32_xenvm-4.2.dtb");
    let hv = hypervisor_nodes(&t);
    assert_eq!(hv.len(), 1);
    assert_eq!((hv[0].family, hv[0].label.as_str()), (HvFamily::Xen, "Xen 4.2"));
    let f = check::run(&t, &w2());
    let s = |r: &str, p: &str| (r.to_string(), Severity::Info, p.to_string());
    assert_eq!(
        abc(&f),
        vec![
            s("xen-libxl-signature", "/"),
            s("xen-evtchn-flags", "/hypervisor"),
            s("xen-extregion-absent", "/hypervisor"),
            s("xen-gnttab-region", "/hypervisor"),
            s("xen-version-info", "/hypervisor"),
        ],
        "{}",
        show(&f)
    );
    assert!(has(&f, "xen-gnttab-region", Severity::Info, "/hypervisor", "0xb0000000+0x20000 (128 KiB, 32 frames"));
    assert!(has(&f, "xen-libxl-signature", Severity::Info, "/", "lacks GIC phandle 65000"));
}

/// The 2012 Xen-tree copy of xenvm-4.2.dts. Despite its age it already has the v4/v5
/// order ("xen,xen-4.2", "xen,xen"), so xen-compatible-order stays silent; its findings
/// are the same labels as Debian's build.
#[test]
fn sstabellini_2012_xenvm() {
    let t = corpus_tree("src_linux-xenvm-4.2.sstabellini-2012.dtb");
    let f = check::run(&t, &w2());
    assert!(of_rule(&f, "xen-compatible-order").is_empty(), "{}", show(&f));
    let debian = check::run(&corpus_tree("deb32_xenvm-4.2.dtb"), &w2());
    assert_eq!(abc(&f), abc(&debian));
    // The same bytes with the 2012 v1-v3 order do get the finding, with a reorder fix.
    let mut t2 = t.clone();
    let hv = t2.find("/hypervisor").unwrap();
    let p = t2.node_mut(hv).props.iter_mut().find(|p| p.name == "compatible").unwrap();
    p.value = b"xen,xen\0xen,xen-4.2\0".to_vec();
    let f2 = check::run(&t2, &Config::default());
    let order = of_rule(&f2, "xen-compatible-order");
    assert_eq!(order.len(), 1);
    assert_eq!(
        order[0].message,
        "compatible lists \"xen,xen\" first and \"xen,xen-4.2\" only at position 2; Linux reads the version from the \
         first string and will not enable Xen"
    );
    assert!(order[0].fix.is_some());
}

const ZEPHYR: [(&str, bool); 5] = [
    ("src_zephyr-boards-arm64-xenvm-xenvm.dtb", true),
    ("src_zephyr-boards-arm64-xenvm-xenvm_gicv3.dtb", true),
    ("src_zephyr-boards-xen-xenvm-xenvm.dtb", false),
    ("src_zephyr-boards-xen-xenvm-xenvm_xenvm_gicv3.dtb", false),
    ("src_zephyr-boards-xen-xenvm-xenvm_xenvm_gicv3_smp.dtb", false),
];

/// Zephyr's xenvm boards: `hypervisor@38000000` (error for Linux, contested by the schema),
/// three of them without a versioned compatible, and a 4-cell GIC that is legitimate.
#[test]
fn zephyr_xenvm_boards() {
    for (name, versioned) in ZEPHYR {
        let t = corpus_tree(name);
        let hv = hypervisor_nodes(&t);
        assert_eq!(hv.len(), 1, "{name}");
        assert_eq!(hv[0].family, HvFamily::Xen, "{name}");
        let f = check::run(&t, &w2());
        let p = "/hypervisor@38000000";
        assert!(has(&f, "xen-node-name", Severity::Error, p, "compares the full name"), "{name}:\n{}", show(&f));
        let order = of_rule(&f, "xen-compatible-order");
        if versioned {
            assert!(order.is_empty(), "{name}");
            assert_eq!(hv[0].label, "Xen 4.15");
        } else {
            assert!(
                has(&f, "xen-compatible-order", Severity::Error, p, "no \"xen,xen-<version>\" string first"),
                "{name}"
            );
            assert!(has(&f, "xen-compatible-count", Severity::Warning, p, "1 string (\"xen,xen\")"), "{name}");
            assert_eq!(hv[0].label, "Xen (no version)");
        }
        // 4-cell specifiers on a #interrupt-cells = <4> GIC are correct: no parent or PPI error.
        assert!(of_rule(&f, "xen-interrupt-parent-gic").is_empty(), "{name}:\n{}", show(&f));
        assert!(of_rule(&f, "xen-evtchn-ppi").is_empty(), "{name}");
        assert!(has(&f, "xen-evtchn-flags", Severity::Info, p, "4-cell GIC (Zephyr encoding)"), "{name}");
        // Only the name is wrong about uniqueness: no xen-node-unique on a lone hypervisor@.
        assert!(of_rule(&f, "xen-node-unique").is_empty(), "{name}");
        let errors: Vec<_> = abc(&f).into_iter().filter(|(_, s, _)| *s == Severity::Error).map(|(r, _, _)| r).collect();
        let expected: Vec<&str> =
            if versioned { vec!["xen-node-name"] } else { vec!["xen-compatible-order", "xen-node-name"] };
        assert_eq!(errors, expected, "{name}");
    }
}

/// Hafnium's manifest has a root `hypervisor` node of another binding: a label, no Xen or
/// ePAPR finding.
#[test]
fn hafnium_manifest_is_only_labelled() {
    let t = corpus_tree("src_hafnium-vmapi-arch-aarch64-gicv3-manifest.dtb");
    let hv = hypervisor_nodes(&t);
    assert_eq!(hv.len(), 1);
    assert_eq!(hv[0].family, HvFamily::Hafnium);
    assert_eq!(hv[0].label, "Hafnium manifest (not a guest hypervisor node)");
    assert!(!hv[0].family.is_guest_interface());
    let f = check::run(&t, &w2());
    assert!(abc(&f).is_empty(), "{}", show(&f));
}

/// QEMU's ppce500 dump was taken under TCG, where QEMU writes no /hypervisor node (it adds
/// the `linux,kvm` node only with KVM). The same tree with the node QEMU writes under KVM is
/// detected as the KVM family, not ePAPR, and gets the KVM-mode treatment.
#[test]
fn qemu_ppce500_kvm_family() {
    let t = corpus_tree("qemu_qemu-ppc-ppce500.dtb");
    assert!(hypervisor_nodes(&t).is_empty());
    let mut t = t;
    let root = t.root;
    let hv = t.add_child(root, "hypervisor");
    t.node_mut(hv).props.push(dtlens::Property::new("compatible", b"linux,kvm\0".to_vec()));
    t.node_mut(hv).props.push(dtlens::Property::new("hcall-instructions", vec![0x3c; 16]));
    t.node_mut(hv).props.push(dtlens::Property::new("has-idle", vec![]));
    let nodes = hypervisor_nodes(&t);
    assert_eq!(nodes.len(), 1);
    assert_eq!((nodes[0].family, nodes[0].label.as_str()), (HvFamily::Kvm, "KVM"));
    assert!(nodes[0].kvm_mode() && !nodes[0].epapr_mode());
    let f = check::run(&t, &w2());
    let mine = abc(&f);
    assert!(mine.iter().all(|(_, s, _)| *s == Severity::Info), "{}", show(&f));
    assert!(has(&f, "epapr-guest-id", Severity::Info, "/hypervisor", "QEMU's KVM nodes omit it"));
    assert!(of_rule(&f, "epapr-compatible").is_empty());
    assert!(of_rule(&f, "epapr-hcall-instructions-present").is_empty());
}

/// The catalog samples that compile stand-alone (none uses #include).
#[test]
fn samples() {
    let run = |name: &str| check::run(&tree(&sample(name)), &w2());

    let f = run("linux-xenvm-4.2.dts");
    assert!(abc(&f).iter().all(|(_, s, _)| *s == Severity::Info), "{}", show(&f));

    let f = run("linux-xen-yaml-example.dts");
    let p = "/hypervisor@b0000000";
    assert!(has(&f, "xen-node-name", Severity::Error, p, "compares the full name"));
    // The schema example is a fragment without a GIC.
    assert!(has(&f, "xen-interrupt-parent-gic", Severity::Error, p, "no interrupt parent"));
    assert!(has(&f, "xen-root-cells", Severity::Info, "/", "root cells are 1/1"));
    assert!(has(&f, "xen-uefi-runtime", Severity::Info, "/hypervisor@b0000000/uefi", "EFI runtime"));
    assert!(of_rule(&f, "xen-uefi-complete").is_empty() && of_rule(&f, "xen-uefi-sizes").is_empty());

    let f = run("zephyr-xenvm-hypervisor.dts");
    assert!(has(&f, "xen-compatible-order", Severity::Error, "/hypervisor@38000000", "no \"xen,xen-<version>\""));
    assert!(of_rule(&f, "xen-interrupt-parent-gic").is_empty());

    let f = run("epapr-fsl-hv-guest-RECONSTRUCTED.dts");
    let t = tree(&sample("epapr-fsl-hv-guest-RECONSTRUCTED.dts"));
    assert_eq!(hypervisor_nodes(&t)[0].family, HvFamily::FslTopaz);
    let errs: Vec<_> = abc(&f).into_iter().filter(|(_, s, _)| *s > Severity::Info).collect();
    assert_eq!(
        errs,
        vec![("epapr-hv-pic".to_string(), Severity::Warning, "/devices/vmpic".to_string())],
        "{}",
        show(&f)
    );
    assert!(has(&f, "epapr-hcall-instructions-decode", Severity::Info, "/hypervisor", "sc 1"));
    assert!(has(
        &f,
        "epapr-byte-channel-edge",
        Severity::Info,
        "/hypervisor/handles/byte-channelA",
        "RX source 16 edge"
    ));

    let f = run("linux-loongson64v-kvm-hypervisor.dts");
    assert!(of_rule(&f, "epapr-hcall-instructions-present").is_empty(), "MIPS KVM: {}", show(&f));
    assert!(abc(&f).iter().all(|(_, s, _)| *s == Severity::Info));

    for other in ["jailhouse-inmate-qemu-arm64-hypervisor.dts", "linux-gunyah-yaml-example.dts"] {
        let f = run(other);
        assert!(abc(&f).is_empty(), "{other}:\n{}", show(&f));
    }

    let f = run("xen-docs-dom0less-chosen.dts");
    for m in ["/chosen/domU1/module@0x4a000000", "/chosen/domU2/module@0x4d000000"] {
        assert!(has(&f, "xenboot-module-unit-address", Severity::Warning, m, "should be"), "{}", show(&f));
    }
    assert!(of_rule(&f, "xenboot-module-reg").is_empty());
}

/// A deep chain and a wide tree of hypervisor-looking nodes: no recursion, no panic. (A finding's path is as long as its node is
/// deep, so the chain is kept to a thousand levels: output there is quadratic anyway.)
#[test]
fn large_and_deep_trees() {
    let mut t = Tree::new();
    let mut cur = t.root;
    for i in 0..1_000 {
        cur = t.add_child(cur, if i % 2 == 0 { "hypervisor" } else { "module@0x1" });
        let v: &[u8] = if i % 3 == 0 { b"xen,xen\0" } else { b"multiboot,module\0" };
        t.node_mut(cur).props.push(dtlens::Property::new("compatible", v.to_vec()));
        t.node_mut(cur).props.push(dtlens::Property::new("interrupts", vec![0, 0, 0, 1]));
    }
    let root = t.root;
    for _ in 0..20_000 {
        let n = t.add_child(root, "hypervisor@1");
        t.node_mut(n).props.push(dtlens::Property::new("hcall-instructions", vec![]));
    }
    let f = check::run(&t, &w2());
    assert!(f.len() > 20_000);
}
