//! The Learn pages never lie: every mistake names a real rule and a bundled example that
//! produces exactly the findings the page claims; good examples are clean; the 2012 forms
//! compile and get their expected findings; properties the rules read are documented; the
//! hover lookups answer; `dtlens learn` prints every section.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::Command;

use dtlens::check::{self, Config, Context, RuleFamily, Severity};
use dtlens::learn::{self, NodeSel, PropType, Required};

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static/examples")
}

fn load(file: &str) -> dtlens::Tree {
    let bytes = std::fs::read(examples_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let r = dtlens::dtb::read(&bytes);
    let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{file}: {errors:?}");
    r.tree
}

/// Rule ids of the warning- and error-severity findings of the default configuration (info
/// findings label and decode; they are not mistakes).
fn problem_rules(file: &str) -> BTreeSet<&'static str> {
    let tree = load(file);
    check::run(&tree, &Config::default()).iter().filter(|f| f.severity != Severity::Info).map(|f| f.rule).collect()
}

fn dtc_compile(dts: &std::path::Path, out: &std::path::Path) -> Vec<u8> {
    let status = Command::new("dtc")
        .args(["-q", "-I", "dts", "-O", "dtb", "-o"])
        .arg(out)
        .arg(dts)
        .status()
        .expect("dtc (device-tree-compiler) must be installed");
    assert!(status.success(), "dtc failed on {}", dts.display());
    std::fs::read(out).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("learn");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn one_page_per_binding_with_its_family() {
    let ids: Vec<_> = learn::bindings().iter().map(|b| b.id).collect();
    assert_eq!(ids, ["xen", "epapr", "xenboot", "dom0less", "hv", "dt"]);
    let families: Vec<_> = learn::bindings().iter().map(|b| b.family).collect();
    assert_eq!(
        families,
        [RuleFamily::Xen, RuleFamily::Epapr, RuleFamily::Xenboot, RuleFamily::Dom0less, RuleFamily::Hv, RuleFamily::Dt]
    );
    for b in learn::bindings() {
        // The rules come from the registry, not from a copy.
        let from_registry: Vec<_> = check::all().filter(|r| r.family == b.family).map(|r| r.id).collect();
        let listed: Vec<_> = b.rules().iter().map(|r| r.id).collect();
        assert_eq!(listed, from_registry, "{}", b.id);
        assert!(!listed.is_empty(), "{}", b.id);
        assert!(!b.purpose.is_empty() && !b.properties.is_empty() && !b.mistakes.is_empty(), "{}", b.id);
        assert!(!b.sources.is_empty(), "{}", b.id);
        assert_eq!(learn::for_family(b.family).map(|p| p.id), Some(b.id));
        assert_eq!(learn::find(b.id).map(|p| p.id), Some(b.id));
    }
    assert!(learn::find("nope").is_none());
    assert!(learn::for_family(RuleFamily::Dtc).is_none());
}

#[test]
fn every_rule_link_names_a_registered_rule() {
    for b in learn::bindings() {
        for m in b.mistakes {
            let rule = m.rule().unwrap_or_else(|| panic!("{}: mistake names unknown rule {}", b.id, m.rule_id));
            assert_eq!(rule.id, m.rule_id);
        }
        for p in b.properties {
            let mut texts = Vec::new();
            for id in p.rules {
                let rule = check::find(id).unwrap_or_else(|| panic!("{}: {} links unknown rule {id}", b.id, p.name));
                texts.push(format!("{} {}", rule.summary, rule.explanation));
            }
            // The links are meaningful: at least one linked rule talks about this property
            // (for the wildcard alias entry, about aliases).
            let named = if p.name.starts_with('<') { "lias" } else { p.name };
            assert!(
                p.rules.is_empty() || texts.iter().any(|t| t.contains(named)),
                "{}: none of {:?} mentions {}",
                b.id,
                p.rules,
                p.name
            );
        }
    }
    for d in learn::history_2012().differences {
        for id in d.rules {
            assert!(check::find(id).is_some(), "2012 difference {:?} links unknown rule {id}", d.topic);
        }
    }
}

#[test]
fn every_example_exists_and_is_what_dtc_makes_of_its_dts() {
    let files = learn::example_files();
    assert!(files.len() >= 6 + 6 + 2, "{files:?}");
    for file in files {
        assert!(file.starts_with("learn-") && file.ends_with(".dtb"), "{file}");
        let stem = file.trim_end_matches(".dtb");
        let dts = examples_dir().join(format!("{stem}.dts"));
        assert!(dts.exists(), "{} missing", dts.display());
        let fresh = dtc_compile(&dts, &tmp(file));
        let committed = std::fs::read(examples_dir().join(file)).unwrap();
        assert_eq!(fresh, committed, "{file} is stale: recompile it from {stem}.dts");
    }
    for b in learn::bindings() {
        // The annotated example is the bundled good example, byte for byte.
        let on_disk = std::fs::read_to_string(examples_dir().join(b.example_file.replace(".dtb", ".dts"))).unwrap();
        assert_eq!(b.example, on_disk, "{}", b.id);
        assert_eq!(b.example_file, format!("learn-{}-good.dtb", b.id));
        let annotated = b.example.lines().skip_while(|l| l.starts_with("//")).filter(|l| l.contains("//")).count();
        assert!(annotated >= 8, "{}: only {annotated} annotated lines", b.id);
        for m in b.mistakes {
            assert!(m.example_file.starts_with(&format!("learn-{}-broken-", b.id)), "{}: {}", b.id, m.example_file);
        }
    }
}

#[test]
fn good_examples_are_clean_and_broken_ones_show_exactly_their_mistakes() {
    for b in learn::bindings() {
        let found = problem_rules(b.example_file);
        assert!(found.is_empty(), "{}: good example has problems {found:?}", b.example_file);
    }
    let mut claimed: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for b in learn::bindings() {
        for m in b.mistakes {
            claimed.entry(m.example_file).or_default().insert(m.rule_id);
        }
    }
    assert!(claimed.len() >= 20, "{} broken examples", claimed.len());
    for (file, rules) in &claimed {
        let found = problem_rules(file);
        assert_eq!(&found, rules, "{file}: findings vs the mistakes its page names");
    }
    // Every broken example on disk is named by some page.
    for entry in std::fs::read_dir(examples_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("learn-") && name.contains("-broken-") && name.ends_with(".dtb") {
            assert!(claimed.contains_key(name.as_str()), "{name} is not used by any Learn page");
        }
    }
}

#[test]
fn the_2012_forms_compile_and_get_their_findings() {
    let h = learn::history_2012();
    for form in [&h.then, &h.now] {
        // The DTS text the page shows compiles with dtc to the bundled blob.
        let dts = tmp(&form.file.replace(".dtb", ".dts"));
        std::fs::write(&dts, form.dts).unwrap();
        let fresh = dtc_compile(&dts, &tmp(form.file));
        assert_eq!(fresh, std::fs::read(examples_dir().join(form.file)).unwrap(), "{}", form.file);
        let found = problem_rules(form.file);
        let expected: BTreeSet<_> = form.expected_rules.iter().copied().collect();
        assert_eq!(found, expected, "{}", form.file);
    }
    // The 2012 order is exactly what the Xen family's compatible-order rule is about.
    let order_rule = &check::rules::xen::COMPATIBLE_ORDER;
    assert!(h.then.expected_rules.contains(&order_rule.id));
    assert!(h.then.dts.contains("compatible = \"xen,xen\", \"xen,xen-4.2\""));
    assert!(h.now.dts.contains("compatible = \"xen,xen-4.19\", \"xen,xen\""));
    let tree = load(h.then.file);
    let f = check::run(&tree, &Config::default());
    let order: Vec<_> = f.iter().filter(|f| f.rule == order_rule.id).collect();
    assert_eq!(order.len(), 1);
    assert_eq!((order[0].path.as_str(), order[0].severity), ("/hypervisor", Severity::Error));

    let topics: Vec<_> = h.differences.iter().map(|d| d.topic.to_lowercase()).collect();
    for needle in ["order", "reg and interrupts", "hcall-instructions", "guest-id"] {
        assert!(topics.iter().any(|t| t.contains(needle)), "no difference about {needle}: {topics:?}");
    }
    let all_why: String = h.differences.iter().map(|d| d.why).collect();
    for needle in ["HVC", "migrated", "first string", "most specific"] {
        assert!(all_why.contains(needle), "differences never explain {needle}");
    }
    for d in h.differences {
        assert!(!d.sources.is_empty() && !d.why.is_empty(), "{}", d.topic);
    }
}

#[test]
fn properties_the_rules_read_are_documented() {
    let has = |page: &str, prop: &str, node: NodeSel| {
        let b = learn::find(page).unwrap();
        assert!(
            b.properties.iter().any(|p| p.name == prop && p.node == node),
            "{page}: {prop} on {} is not documented",
            node.describe()
        );
    };
    use NodeSel::{Any, Compatible, Path};
    for p in ["compatible", "reg", "interrupts", "status"] {
        has("xen", p, Path("/hypervisor"));
    }
    for p in [
        "xen,uefi-system-table",
        "xen,uefi-mmap-start",
        "xen,uefi-mmap-size",
        "xen,uefi-mmap-desc-size",
        "xen,uefi-mmap-desc-ver",
    ] {
        has("xen", p, Path("/hypervisor/uefi"));
    }
    for p in ["hcall-instructions", "guest-id", "guest-name", "has-idle", "has-msgsnd-hcall"] {
        has("epapr", p, Path("/hypervisor"));
    }
    has("epapr", "priority-count", Compatible("epapr,hv-pic"));
    has("epapr", "hv-handle", Path("/hypervisor/handles/<handle>"));
    for p in ["xen,xen-bootargs", "xen,dom0-bootargs", "bootargs", "#address-cells", "#size-cells", "xen,static-heap"] {
        has("xenboot", p, Path("/chosen"));
    }
    for p in ["compatible", "reg", "xen,uefi-binary"] {
        has("xenboot", p, Path("/chosen/module@<address>"));
    }
    has("xenboot", "xen,passthrough", Any);
    for p in ["cpus", "memory", "vpl011", "xen,enhanced", "capabilities", "direct-map", "xen,static-mem"] {
        has("dom0less", p, Path("/chosen/<domain>"));
    }
    has("dom0less", "xen,evtchn", Compatible("xen,evtchn-v1"));
    has("hv", "hcall-instructions", Compatible("linux,kvm"));
    for p in ["#address-cells", "#size-cells", "reg", "interrupts", "status", "compatible"] {
        has("dt", p, Any);
    }
    // Types that matter for the hover text.
    let t = |page: &str, prop: &str| learn::prop_doc(page, prop).unwrap().ty;
    assert_eq!(t("xen", "xen,uefi-system-table"), PropType::U64);
    assert_eq!(t("xen", "xen,uefi-mmap-size"), PropType::U32);
    assert_eq!(t("dom0less", "memory"), PropType::U64);
    assert_eq!(t("dom0less", "vpl011"), PropType::Empty);
    assert_eq!(t("epapr", "hcall-instructions"), PropType::Cells);
}

#[test]
fn every_property_of_every_example_has_a_meaning_on_hover() {
    let mut files: Vec<&str> = learn::bindings().iter().map(|b| b.example_file).collect();
    files.push(learn::history_2012().now.file);
    for file in files {
        let tree = load(file);
        let ctx = Context::new(&tree);
        for &(id, _) in &ctx.order {
            for p in &tree.nodes[id.0].props {
                assert!(
                    learn::prop_doc_at(&ctx, id, &p.name).is_some(),
                    "{file}: {}:{} has no Learn entry",
                    tree.path(id),
                    p.name
                );
            }
        }
    }
}

#[test]
fn prop_doc_answers_the_hover_cases() {
    let doc = |key: &str, prop: &str| learn::prop_doc(key, prop).unwrap_or_else(|| panic!("no entry for {key} {prop}"));
    let page_of = |p: &learn::PropDoc| {
        learn::bindings().iter().find(|b| b.properties.iter().any(|q| std::ptr::eq(q, p))).unwrap().id
    };

    let c = doc("/hypervisor", "compatible");
    assert_eq!((page_of(c), c.node, c.required), ("xen", NodeSel::Path("/hypervisor"), Required::Required));
    assert!(c.meaning.contains("xen,xen-<major>.<minor>"), "{}", c.meaning);
    let r = doc("/hypervisor", "reg");
    assert_eq!((page_of(r), r.ty), ("xen", PropType::Reg));
    assert!(r.meaning.contains("grant table"));
    assert!(matches!(r.required, Required::Conditional(_)));
    assert_eq!(doc("/hypervisor@b0000000", "reg"), r, "the schema's unit-address form");
    let i = doc("/hypervisor", "interrupts");
    assert_eq!((page_of(i), i.ty), ("xen", PropType::Interrupts));
    assert!(i.meaning.contains("event-channel"));

    let u = doc("/hypervisor/uefi", "xen,uefi-system-table");
    assert_eq!((u.node, u.ty), (NodeSel::Path("/hypervisor/uefi"), PropType::U64));
    assert!(u.consumer.contains("Linux"));
    let x = doc("/chosen", "xen,xen-bootargs");
    assert_eq!((page_of(x), x.ty, x.consumer), ("xenboot", PropType::String, "Xen"));

    let m = doc("/chosen/module@80000000", "compatible");
    assert_eq!((page_of(m), m.node), ("xenboot", NodeSel::Path("/chosen/module@<address>")));
    assert!(m.meaning.contains("multiboot,module") && m.meaning.contains("multiboot,kernel"));
    let mr = doc("/chosen/module@80000000", "reg");
    assert_eq!(page_of(mr), "xenboot");
    let dm = doc("/chosen/domU1/module@88000000", "compatible");
    assert_eq!(page_of(dm), "dom0less");
    assert_eq!(doc("/chosen/domU1", "memory").ty, PropType::U64);
    assert_eq!(page_of(doc("/chosen/domU1", "compatible")), "dom0less");

    // Generic fallbacks and misses.
    let g = doc("/soc/uart@9000000", "reg");
    assert_eq!((page_of(g), g.node), ("dt", NodeSel::Any));
    assert_eq!(page_of(doc("/aliases", "serial0")), "dt");
    assert!(learn::prop_doc("/hypervisor", "no-such-property").is_none());
    assert!(learn::prop_doc("/chosen", "xen,uefi-system-table").is_none());
    assert!(learn::prop_doc("/", "serial0").is_none(), "aliases only under /aliases");
    assert!(learn::prop_doc("nope", "reg").is_none());
    // By page id, and restricted to a page.
    assert_eq!(page_of(doc("epapr", "compatible")), "epapr");
    assert_eq!(page_of(learn::prop_doc_in("epapr", "/hypervisor", "compatible").unwrap()), "epapr");
    assert!(learn::prop_doc_in("epapr", "/hypervisor", "xen,uefi-mmap-size").is_none());

    // With the tree known, the node's hypervisor family decides.
    for (file, page) in [("learn-epapr-good.dtb", "epapr"), ("learn-hv-good.dtb", "hv"), ("learn-xen-good.dtb", "xen")]
    {
        let tree = load(file);
        let ctx = Context::new(&tree);
        let hv = tree.find("/hypervisor").unwrap();
        let p = learn::prop_doc_at(&ctx, hv, "compatible").unwrap();
        assert_eq!(page_of(p), page, "{file}");
    }
    let tree = load("learn-epapr-good.dtb");
    let ctx = Context::new(&tree);
    let pic = tree.find("/interrupt-controller").unwrap();
    assert_eq!(page_of(learn::prop_doc_at(&ctx, pic, "#interrupt-cells").unwrap()), "epapr");
    let tree = load("learn-xen-good.dtb");
    let ctx = Context::new(&tree);
    let gic = tree.find("/interrupt-controller@3001000").unwrap();
    assert_eq!(page_of(learn::prop_doc_at(&ctx, gic, "#interrupt-cells").unwrap()), "dt");
}

fn dtlens(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dtlens")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn cli_learn_prints_every_section() {
    let (code, list) = dtlens(&["learn"]);
    assert_eq!(code, 0);
    for b in learn::bindings() {
        assert!(list.contains(b.id) && list.contains(b.title), "{list}");
    }
    assert!(list.contains("2012"));

    for b in learn::bindings() {
        let (code, page) = dtlens(&["learn", b.id]);
        assert_eq!(code, 0, "{}", b.id);
        assert_eq!(page, learn::render_text(b));
        for section in ["Purpose\n", "Properties\n", "Example (", "Rules of the ", "Common mistakes\n", "Sources\n"] {
            assert!(page.contains(section), "{}: no {section:?} section", b.id);
        }
        for r in b.rules() {
            let line = page.lines().find(|l| l.split_whitespace().nth(1) == Some(r.id));
            let line = line.unwrap_or_else(|| panic!("{}: rule {} not listed", b.id, r.id));
            assert!(line.trim_start().starts_with(r.severity.as_str()), "{line}");
        }
        for m in b.mistakes {
            assert!(page.contains(m.example_file), "{}: {}", b.id, m.example_file);
        }
        for p in b.properties {
            assert!(page.contains(p.name), "{}: {}", b.id, p.name);
        }
        assert!(page.contains("xen,xen") || b.id != "xen");
    }

    let (code, h) = dtlens(&["learn", "2012"]);
    assert_eq!(code, 0);
    let hist = learn::history_2012();
    assert!(h.contains(hist.then.file) && h.contains(hist.now.file));
    assert!(h.contains("compatible = \"xen,xen\", \"xen,xen-4.2\";"));
    assert!(h.contains("Differences\n"));
    for d in hist.differences {
        assert!(h.contains(d.topic), "{}", d.topic);
    }

    let (code, _) = dtlens(&["learn", "nope"]);
    assert_eq!(code, 2);
    let (code, help) = dtlens(&["--help"]);
    assert_eq!(code, 0);
    assert!(help.contains("learn"), "{help}");
}
