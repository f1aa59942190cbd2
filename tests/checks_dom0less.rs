//! Catalog §D (dom0less-*, static-*): a failing and a passing tree for every rule, the Xen
//! documentation sample, and the corpus. Trees are DTS compiled with dtc and read back with
//! the blob reader; each failing case names the rule, the node path and a message fragment.

mod checks_support;

use checks_support::*;
use dtlens::check::{self, Config, Level, RuleFamily, Severity};
use Severity::{Error, Info, Warning};

fn host() -> String {
    fixture("dom0less-host-good.dts")
}

fn frag() -> String {
    fixture("dom0less-fragment-good.dts")
}

/// The good host tree with `text` added to the body of domain `dom` (after its compatible).
fn in_dom(dom: &str, text: &str) -> String {
    edit(
        &host(),
        &format!("{dom} {{\n\t\t\tcompatible = \"xen,domain\";"),
        &format!("{dom} {{\n\t\t\tcompatible = \"xen,domain\";\n{text}"),
    )
}

/// The good host tree with child node(s) `text` added to domU2 (before its last child).
fn in_domu2_nodes(text: &str) -> String {
    edit(&host(), "\t\t\tec3: evtchn@3 {", &format!("{text}\n\t\t\tec3: evtchn@3 {{"))
}

/// The good host tree with every domain not Xen-aware (disabled, absent, unknown value).
fn all_disabled() -> String {
    let t = edit(&host(), "xen,enhanced = \"enabled\";", "xen,enhanced = \"disabled\";");
    let t = edit(&t, "xen,enhanced = \"no-xenstore\";", "");
    edit(&t, "xen,enhanced = \"no-xenstore\";", "xen,enhanced = \"bogus\";")
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let h = host();
    vec![
        // dom0less-location
        case("dom0less-location", "good", h.clone(), Silent),
        case(
            "dom0less-location",
            "domain under a sub-node",
            edit(&h, "\tcpus {\n", "\tdomains { stray { compatible = \"xen,domain\"; cpus = <1>; memory = <0 1024>; }; };\n\tcpus {\n"),
            Fires(Error, "/domains/stray", "not a direct child of /chosen (its parent is /domains)"),
        ),
        // dom0less-cpus
        case("dom0less-cpus", "good", h.clone(), Silent),
        case("dom0less-cpus", "missing", edit(&h, "\t\t\tcpus = <1>;\n\t\t\tmemory = <0x0 0x10000>;", "\t\t\tmemory = <0x0 0x10000>;"), Fires(Error, "/chosen/domU2", "Missing property 'cpus'")),
        case("dom0less-cpus", "zero", edit(&h, "cpus = <2>;", "cpus = <0>;"), Fires(Error, "/chosen/domU1", "cpus = <0>")),
        case("dom0less-cpus", "8 bytes", edit(&h, "cpus = <2>;", "cpus = <0 2>;"), Fires(Error, "/chosen/domU1", "cpus is 8 bytes")),
        // dom0less-memory
        case("dom0less-memory", "good", h.clone(), Silent),
        case("dom0less-memory", "one cell", edit(&h, "memory = <0x0 0x10000>;", "memory = <0x10000>;"), Fires(Error, "/chosen/domU2", "memory is 4 bytes")),
        case("dom0less-memory", "12 bytes", edit(&h, "memory = <0x0 0x10000>;", "memory = <0x0 0x10000 0x5>;"), Fires(Warning, "/chosen/domU2", "only the first 8 (65536 KiB = 64 MiB)")),
        case("dom0less-memory", "missing", edit(&h, "memory = <0x0 0x10000>;", ""), Fires(Error, "/chosen/domU2", "no memory property")),
        // dom0less-cells
        case("dom0less-cells", "good", h.clone(), Silent),
        case(
            "dom0less-cells",
            "no cells with modules",
            edit(&h, "\t\t\t#address-cells = <2>;\n\t\t\t#size-cells = <2>;\n\t\t\tcpus = <1>;\n\t\t\tmemory = <0x0 0x10000>;", "\t\t\tcpus = <1>;\n\t\t\tmemory = <0x0 0x10000>;"),
            Fires(Error, "/chosen/domU2", "has child module@4d000000 but no #address-cells and #size-cells"),
        ),
        // dom0less-kernel
        case("dom0less-kernel", "good", h.clone(), Silent),
        case(
            "dom0less-kernel",
            "generic-only module",
            edit(&h, "compatible = \"multiboot,kernel\", \"multiboot,module\";\n\t\t\t\treg = <0x0 0x4d000000", "compatible = \"multiboot,module\";\n\t\t\t\treg = <0x0 0x4d000000"),
            Fires(Error, "/chosen/domU2", "no multiboot,kernel module (module@4d000000 has only generic"),
        ),
        case(
            "dom0less-kernel",
            "two ramdisks",
            in_domu2_nodes("\t\t\trd1 { compatible = \"multiboot,ramdisk\", \"multiboot,module\"; reg = <0 0x50000000 0 0x1000>; };\n\t\t\trd2 { compatible = \"multiboot,ramdisk\", \"multiboot,module\"; reg = <0 0x51000000 0 0x1000>; };"),
            Fires(Warning, "/chosen/domU2/rd2", "2 multiboot,ramdisk modules"),
        ),
        case(
            "dom0less-kernel",
            "two kernels",
            in_domu2_nodes("\t\t\tk2 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <0 0x50000000 0 0x1000>; };"),
            Fires(Error, "/chosen/domU2/k2", "2 kernel modules; this one is extra (the first is module@4d000000)"),
        ),
        // dom0less-xen-enhanced
        case("dom0less-xen-enhanced", "good", h.clone(), Clean),
        case("dom0less-xen-enhanced", "unknown value", edit(&h, "xen,enhanced = \"enabled\";", "xen,enhanced = \"yes\";"), Fires(Warning, "/chosen/ctl", "xen,enhanced = \"yes\", not one of")),
        case("dom0less-xen-enhanced", "unterminated", edit(&h, "xen,enhanced = \"enabled\";", "xen,enhanced = [65 6e];"), Fires(Warning, "/chosen/ctl", "not NUL-terminated")),
        case("dom0less-xen-enhanced", "absent is disabled (info)", edit(&h, "xen,enhanced = \"enabled\";", ""), Fires(Info, "/chosen/ctl", "xen,enhanced is absent: domain ctl is not Xen-aware")),
        // dom0less-xenstore-provider
        case("dom0less-xenstore-provider", "good", h.clone(), Silent),
        case(
            "dom0less-xenstore-provider",
            "no provider",
            edit(&h, "capabilities = <0x7>;", "capabilities = <0x3>;"),
            Fires(Warning, "/chosen/ctl", "asks for xenstore, but no domain has capability 0x4"),
        ),
        // dom0less-capabilities
        case("dom0less-capabilities", "good", h.clone(), Silent),
        case("dom0less-capabilities", "unknown bit", edit(&h, "capabilities = <0x7>;", "capabilities = <0xf>;"), Fires(Error, "/chosen/ctl", "unknown bits 0x8")),
        case("dom0less-capabilities", "two hardware domains", in_dom("domU2", "\t\t\tcapabilities = <0x2>;"), Fires(Error, "/chosen/domU2", "a second hardware (0x2) domain; /chosen/ctl")),
        case(
            "dom0less-capabilities",
            "hardware domain with passthrough and device tree",
            in_dom("domU1", "\t\t\tcapabilities = <0x2>;"),
            Fires(Error, "/chosen/domU1/module@4c000000", "partial device tree module of the hardware domain"),
        ),
        // dom0less-direct-map
        case("dom0less-direct-map", "good", h.clone(), Silent),
        case("dom0less-direct-map", "without static mem", in_dom("domU2", "\t\t\tdirect-map;"), Fires(Error, "/chosen/domU2", "direct-map but no xen,static-mem")),
        // dom0less-static-mem
        case("dom0less-static-mem", "good", h.clone(), Silent),
        case("dom0less-static-mem", "bad length", edit(&h, "xen,static-mem = <0x0 0x30000000 0x0 0x20000000>;", "xen,static-mem = <0x0 0x30000000 0x20000000>;"), Fires(Error, "/chosen/domU1", "12 bytes, not a whole number of <address size> banks of 2+2 cells")),
        case("dom0less-static-mem", "memory mismatch", edit(&h, "memory = <0x0 0x80000>;", "memory = <0x0 0x40000>;"), Fires(Warning, "/chosen/domU1", "memory = 262144 KiB (256 MiB) but xen,static-mem totals 512 MiB")),
        case("dom0less-static-mem", "legacy cells", in_dom("domU1", "\t\t\t#xen,static-mem-address-cells = <2>;"), Fires(Warning, "/chosen/domU1", "#xen,static-mem-address-cells is the pre-4.17 form")),
        // dom0less-llc-static
        case("dom0less-llc-static", "good", h.clone(), Silent),
        case("dom0less-llc-static", "both", in_dom("domU1", "\t\t\tllc-colors = \"0-3\";"), Fires(Error, "/chosen/domU1", "both llc-colors and xen,static-mem")),
        // dom0less-cpupool-ref
        case("dom0less-cpupool-ref", "good", h.clone(), Silent),
        case("dom0less-cpupool-ref", "dangling", edit(&h, "domain-cpupool = <&pool0>;", "domain-cpupool = <0x77>;"), Fires(Error, "/chosen/domU1", "phandle 0x77, which no node has")),
        case("dom0less-cpupool-ref", "not a pool", edit(&h, "domain-cpupool = <&pool0>;", "domain-cpupool = <&cpu0>;"), Fires(Error, "/chosen/domU1", "points to /cpus/cpu@0, which is not compatible with \"xen,cpupool\"")),
        // dom0less-enums
        case("dom0less-enums", "good", h.clone(), Silent),
        case("dom0less-enums", "passthrough", edit(&h, "passthrough = \"enabled\";", "passthrough = \"on\";"), Fires(Warning, "/chosen/domU1", "passthrough = \"on\", not one of \"enabled\", \"disabled\"")),
        case("dom0less-enums", "grant version", edit(&h, "max_grant_version = <2>;", "max_grant_version = <3>;"), Fires(Warning, "/chosen/domU1", "max_grant_version = <3> (0x3); it must be 1 or 2")),
        case("dom0less-enums", "sve", edit(&h, "sve = <256>;", "sve = <100>;"), Fires(Warning, "/chosen/domU1", "sve = <100>")),
        case("dom0less-enums", "mpu without direct map", in_dom("domU2", "\t\t\tv8r_el1_msa = \"mpu\";"), Fires(Warning, "/chosen/domU2", "needs both xen,static-mem and direct-map")),
        // dom0less-vpl011
        case("dom0less-vpl011", "good", h.clone(), Clean),
        case("dom0less-vpl011", "valued", edit(&h, "vpl011;", "vpl011 = <1>;"), Fires(Warning, "/chosen/domU1", "vpl011 is a flag but has a 4-byte value")),
        case("dom0less-vpl011", "no SPIs", edit(&h, "nr_spis = <32>;", "nr_spis = <0>;"), Fires(Warning, "/chosen/domU1", "nr_spis = <0> but vpl011 needs guest SPI 0")),
        case("dom0less-vpl011", "info", h.clone(), Fires(Info, "/chosen/domU1", "uses guest SPI 0 (IRQ 32)")),
        // dom0less-vcpu
        case("dom0less-vcpu", "good", h.clone(), Silent),
        case("dom0less-vcpu", "id too big", edit(&h, "id = <1>;", "id = <2>;"), Fires(Error, "/chosen/domU1/vcpu1", "id = <2> but domain domU1 has cpus = <2>")),
        case("dom0less-vcpu", "duplicate id", edit(&h, "id = <1>;", "id = <0>;"), Fires(Error, "/chosen/domU1/vcpu1", "id = <0> is also used by /chosen/domU1/vcpu0")),
        case("dom0less-vcpu", "affinity syntax", edit(&h, "hard-affinity = \"1,4-7\";", "hard-affinity = \"1;7-4\";"), Fires(Warning, "/chosen/domU1/vcpu1", "hard-affinity = \"1;7-4\" is not a CPU list")),
        // dom0less-partial-dt (scope fragment)
        case("dom0less-partial-dt", "good", frag(), Silent),
        case("dom0less-partial-dt", "no simple-bus", edit(&frag(), "compatible = \"simple-bus\";", "compatible = \"vendor,bus\";"), Fires(Warning, "/passthrough", "without \"simple-bus\"")),
        case("dom0less-partial-dt", "no ranges", edit(&frag(), "\t\tranges;\n", ""), Fires(Warning, "/passthrough", "/passthrough has no ranges")),
        case("dom0less-partial-dt", "no xen,path", edit(&frag(), "\t\t\txen,path = \"/soc/ethernet@fff51000\";\n", ""), Fires(Warning, "/passthrough/ethernet@10000000", "has no xen,path (or xen,force-assign-without-iommu)")),
        case("dom0less-partial-dt", "unaligned", edit(&frag(), "0x0 0xfff51000 0x0 0x1000", "0x0 0xfff51010 0x0 0x1000"), Fires(Warning, "/passthrough/ethernet@10000000", "not 4 KiB aligned (phys 0xfff51010)")),
        case("dom0less-partial-dt", "host tree is not a fragment", h.clone(), Silent),
        // static-evtchn
        case("static-evtchn", "good", h.clone(), Silent),
        case("static-evtchn", "asymmetric", edit(&h, "xen,evtchn = <0xb &ec2>;", "xen,evtchn = <0xb &ec3>;"), Fires(Error, "/chosen/domU1/evtchn@2", "peer /chosen/domU2/evtchn@3 points to /chosen/domU2/evtchn@3, not back")),
        case("static-evtchn", "short", edit(&h, "xen,evtchn = <0xb &ec2>;", "xen,evtchn = <0xb>;"), Fires(Error, "/chosen/domU2/evtchn@3", "xen,evtchn is 4 bytes")),
        case("static-evtchn", "unsuffixed", edit(&h, "compatible = \"xen,evtchn-v1\";\n\t\t\t\txen,evtchn = <0xb", "compatible = \"xen,evtchn\";\n\t\t\t\txen,evtchn = <0xb"), Fires(Warning, "/chosen/domU2/evtchn@3", "only looks for \"xen,evtchn-v1\"")),
        case("static-evtchn", "big port", edit(&h, "xen,evtchn = <0xb &ec2>;", "xen,evtchn = <5000 &ec2>;"), Fires(Warning, "/chosen/domU2/evtchn@3", "local port 5000 is beyond the 2-level ABI's 4096 ports")),
        case("static-evtchn", "domU without no-xenstore", edit(&h, "memory = <0x0 0x10000>;\n\t\t\txen,enhanced = \"no-xenstore\";", "memory = <0x0 0x10000>;"), Fires(Info, "/chosen/domU2", "uses static event channels; xen,enhanced is absent")),
        case("static-evtchn", "misplaced", edit(&h, "\tcpus {\n", "\tevtchn { compatible = \"xen,evtchn-v1\"; xen,evtchn = <1 &ec2>; };\n\tcpus {\n"), Fires(Error, "/evtchn", "not directly under /chosen (dom0) or a xen,domain node")),
        // static-shm
        case("static-shm", "good", h.clone(), Silent),
        case("static-shm", "long id", edit(&h, "xen,shm-id = \"other\";", "xen,shm-id = \"a-very-long-shm-id\";"), Fires(Error, "/chosen/domU1/shm@3", "is 18 characters; Xen allows at most 15")),
        case("static-shm", "bad role", edit(&h, "role = \"borrower\";", "role = \"guest\";"), Fires(Error, "/chosen/domU1/shm@2", "role = \"guest\", not \"owner\" or \"borrower\"")),
        case("static-shm", "unaligned", edit(&h, "xen,shared-mem = <0x0 0x50000000 0x0 0x1000>;", "xen,shared-mem = <0x0 0x50000000 0x0 0x1800>;"), Fires(Error, "/chosen/domU1/shm@3", "size 0x1800 is not 4 KiB aligned")),
        case("static-shm", "same id, other size", edit(&h, "0x0 0x70000000 0x0 0x70000000 0x0 0x100000>;\n\t\t\t};\n\n\t\t\tshm@3", "0x0 0x70000000 0x0 0x70000000 0x0 0x200000>;\n\t\t\t};\n\n\t\t\tshm@3"), Fires(Error, "/chosen/domU1/shm@2", "xen,shm-id \"my-shm-0\" is also at /chosen/ctl/shm@1")),
        case(
            "static-shm",
            "overlap between ids",
            in_domu2_nodes("\t\t\tshm@9 { compatible = \"xen,domain-shared-memory-v1\"; xen,shm-id = \"third\"; xen,shared-mem = <0x0 0x70080000 0x0 0x80000000 0x0 0x1000>; };"),
            Fires(Error, "/chosen/domU2/shm@9", "of xen,shm-id \"third\" overlaps 0x70000000-0x700fffff of xen,shm-id \"my-shm-0\""),
        ),
        case("static-shm", "direct map host != guest", edit(&h, "xen,shared-mem = <0x0 0x70000000 0x0 0x70000000 0x0 0x100000>;\n\t\t\t};\n\n\t\t\tshm@3", "xen,shared-mem = <0x0 0x70000000 0x0 0x60000000 0x0 0x100000>;\n\t\t\t};\n\n\t\t\tshm@3"), Fires(Error, "/chosen/domU1/shm@2", "direct-mapped, but host 0x70000000 differs from guest 0x60000000")),
        case("static-shm", "two owners", edit(&h, "role = \"borrower\";", "role = \"owner\";"), Fires(Warning, "/chosen/domU1/shm@2", "has 2 owners; the first is /chosen/ctl/shm@1")),
        case("static-shm", "bad length", edit(&h, "xen,shared-mem = <0x0 0x50000000 0x0 0x1000>;", "xen,shared-mem = <0x0 0x50000000 0x1000>;"), Fires(Error, "/chosen/domU1/shm@3", "xen,shared-mem is 12 bytes; with 2+2 cells")),
        // dom0less-generated-hypervisor
        case("dom0less-generated-hypervisor", "disabled domains get nothing", all_disabled(), Silent),
        case("dom0less-generated-hypervisor", "enhanced domain", h.clone(), Fires(Info, "/chosen/ctl", "reg = <0x0 0x38000000 0x0 0x1000000> (grant table, 16 MiB); interrupts = PPI 31")),
    ]
}

#[test]
fn dom0less_rules() {
    assert_cases(&cases());
}

#[test]
fn every_rule_has_a_failing_and_a_passing_case() {
    let cases = cases();
    let missing = rules_without_both_cases(&cases, RuleFamily::Dom0less);
    assert!(missing.is_empty(), "rules without both cases: {missing:?}");
    assert_eq!(check::registry::family(RuleFamily::Dom0less).len(), 19, "catalog §D has 19 rules");
    for c in &cases {
        assert!(check::find(c.rule).is_some(), "case names unknown rule {}", c.rule);
    }
}

#[test]
fn fixes_are_mechanical() {
    let f = findings(&edit(&host(), "memory = <0x0 0x10000>;", "memory = <0x10000>;"));
    let m = of_rule(&f, "dom0less-memory");
    assert_eq!(
        m[0].fix,
        Some(check::Fix::SetProperty {
            path: "/chosen/domU2".into(),
            property: "memory".into(),
            value: vec![0, 0, 0, 0, 0, 1, 0, 0]
        })
    );
    let f = findings(&edit(
        &host(),
        "compatible = \"xen,evtchn-v1\";\n\t\t\t\txen,evtchn = <0xb",
        "compatible = \"xen,evtchn\";\n\t\t\t\txen,evtchn = <0xb",
    ));
    let e: Vec<_> = of_rule(&f, "static-evtchn").into_iter().filter(|x| x.path == "/chosen/domU2/evtchn@3").collect();
    assert!(
        matches!(&e[0].fix, Some(check::Fix::SetProperty { value, .. }) if value == b"xen,evtchn-v1\0"),
        "{:?}",
        e[0].fix
    );
}

/// Xen's booting.txt examples: domU1/domU2 are complete and get no error or warning from §D;
/// domU3 is the "Static Event Channel" example, which the documentation abbreviates (no
/// `cpus`, `memory` or kernel): Xen would refuse it, and exactly those three errors fire.
#[test]
fn xen_docs_sample() {
    let f = findings(&sample("xen-docs-dom0less-chosen.dts"));
    let d: Vec<_> = f
        .iter()
        .filter(|x| x.severity > Info && check::find(x.rule).is_some_and(|r| r.family == RuleFamily::Dom0less))
        .collect();
    let got: Vec<(&str, &str)> = d.iter().map(|x| (x.rule, x.path.as_str())).collect();
    assert_eq!(
        got,
        vec![
            ("dom0less-cpus", "/chosen/domU3"),
            ("dom0less-kernel", "/chosen/domU3"),
            ("dom0less-memory", "/chosen/domU3"),
        ],
        "{}",
        show(&d.into_iter().cloned().collect::<Vec<_>>())
    );
    // The event channel pair of the example is symmetric and well placed.
    assert!(of_rule(&f, "static-evtchn").is_empty());
    // domU1 has vpl011: the SPI note is there.
    assert!(of_rule(&f, "dom0less-vpl011").iter().any(|x| x.path == "/chosen/domU1" && x.severity == Info));
}

/// No corpus blob is a host-xen or fragment tree, so §D stays silent on all 49 of them.
#[test]
fn corpus_is_silent() {
    let corpus = corpus_trees();
    let n = corpus.len();
    for (name, t) in corpus {
        let f = check::run(&t, &Config { level: Level::W2, ..Config::default() });
        let d: Vec<_> = f
            .iter()
            .filter(|x| check::find(x.rule).is_some_and(|r| r.family == RuleFamily::Dom0less))
            .cloned()
            .collect();
        assert!(d.is_empty(), "{name}:\n{}", show(&d));
    }
    assert_eq!(n, 49);
}
