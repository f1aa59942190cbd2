//! The tree diff: phandle renumbering and order are not differences; real changes are
//! listed by path. Plus `dtlens diff` as a user runs it, with dtc building the inputs.

use std::process::Command;

use dtlens::diff::{diff, PropChange, PropDiff, TreeDiff};
use dtlens::{NodeId, Property, Reservation, Tree};

fn be(cells: &[u32]) -> Vec<u8> {
    cells.iter().flat_map(|c| c.to_be_bytes()).collect()
}

fn prop(t: &mut Tree, id: NodeId, name: &str, value: Vec<u8>) {
    t.node_mut(id).props.push(Property::new(name, value));
}

/// A small SoC. `ph` gives the phandles of (intc, clk, gpio, regulator); `swap` builds
/// the children and properties in reverse order.
fn soc(ph: [u32; 4], reverse: bool) -> Tree {
    let [intc_ph, clk_ph, gpio_ph, reg_ph] = ph;
    let mut t = Tree::new();
    let r = t.root;
    let mut root_props = vec![("#address-cells", be(&[1])), ("#size-cells", be(&[1])), ("model", b"board\0".to_vec())];
    if reverse {
        root_props.reverse();
    }
    for (n, v) in root_props {
        prop(&mut t, r, n, v);
    }
    type Build = Box<dyn Fn(&mut Tree, NodeId)>;
    let mut nodes: Vec<(&str, Build)> = vec![
        (
            "intc@0",
            Box::new(move |t, id| {
                prop(t, id, "interrupt-controller", vec![]);
                prop(t, id, "#interrupt-cells", be(&[2]));
                prop(t, id, "phandle", be(&[intc_ph]));
            }),
        ),
        (
            "clk",
            Box::new(move |t, id| {
                prop(t, id, "#clock-cells", be(&[1]));
                prop(t, id, "phandle", be(&[clk_ph]));
                prop(t, id, "linux,phandle", be(&[clk_ph]));
            }),
        ),
        (
            "gpio@200",
            Box::new(move |t, id| {
                prop(t, id, "#gpio-cells", be(&[2]));
                prop(t, id, "gpio-controller", vec![]);
                prop(t, id, "phandle", be(&[gpio_ph]));
            }),
        ),
        (
            "regulator",
            Box::new(move |t, id| {
                prop(t, id, "regulator-name", b"vcc\0".to_vec());
                prop(t, id, "phandle", be(&[reg_ph]));
            }),
        ),
        (
            "serial@100",
            Box::new(move |t, id| {
                let mut ps = vec![
                    ("reg", be(&[0x100, 4])),
                    ("interrupt-parent", be(&[intc_ph])),
                    ("interrupts", be(&[5, 4])),
                    ("clocks", be(&[clk_ph, 3, clk_ph, 4])),
                    ("reset-gpios", be(&[gpio_ph, 7, 0])),
                    ("vdd-supply", be(&[reg_ph])),
                    ("interrupts-extended", be(&[intc_ph, 9, 1])),
                ];
                if reverse {
                    ps.reverse();
                }
                for (n, v) in ps {
                    prop(t, id, n, v);
                }
                let child = t.add_child(id, "port");
                prop(t, child, "status", b"okay\0".to_vec());
            }),
        ),
    ];
    if reverse {
        nodes.reverse();
    }
    for (name, build) in nodes {
        let id = t.add_child(r, name);
        build(&mut t, id);
    }
    t.reservations.push(Reservation { address: 0x8000_0000, size: 0x1000 });
    t
}

#[test]
fn identical_trees_have_no_diff() {
    let d = diff(&soc([1, 2, 3, 4], false), &soc([1, 2, 3, 4], false));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(d.render(), "");
}

#[test]
fn phandle_renumbering_only_is_equal() {
    let d = diff(&soc([1, 2, 3, 4], false), &soc([4, 3, 2, 1], false));
    assert!(d.is_empty(), "{}", d.render());
    let d = diff(&soc([1, 2, 3, 4], false), &soc([0x10, 0x11, 0x12, 0x13], false));
    assert!(d.is_empty(), "{}", d.render());
}

#[test]
fn node_and_property_order_only_is_equal() {
    let d = diff(&soc([1, 2, 3, 4], false), &soc([1, 2, 3, 4], true));
    assert!(d.is_empty(), "{}", d.render());
    // Both at once.
    let d = diff(&soc([1, 2, 3, 4], false), &soc([2, 1, 4, 3], true));
    assert!(d.is_empty(), "{}", d.render());
}

#[test]
fn a_reference_to_another_node_is_a_change_even_with_the_same_number() {
    // Same phandle numbers, but interrupt-parent now names the clock node.
    let a = soc([1, 2, 3, 4], false);
    let mut b = soc([1, 2, 3, 4], false);
    let serial = b.find("/serial@100").unwrap();
    b.node_mut(serial).props.iter_mut().find(|p| p.name == "interrupt-parent").unwrap().value = be(&[2]);
    let d = diff(&a, &b);
    assert_eq!(
        d.props,
        vec![PropDiff {
            path: "/serial@100".into(),
            name: "interrupt-parent".into(),
            change: PropChange::Changed { before: be(&[1]), after: be(&[2]) }
        }]
    );
    // And the renumbered equivalent of that change is still one change, not more.
    let mut c = soc([4, 3, 2, 1], false);
    let serial = c.find("/serial@100").unwrap();
    c.node_mut(serial).props.iter_mut().find(|p| p.name == "interrupt-parent").unwrap().value = be(&[3]);
    let d = diff(&a, &c);
    assert_eq!(d.props.len(), 1, "{}", d.render());
    assert_eq!(d.props[0].name, "interrupt-parent");
}

#[test]
fn phandles_in_unknown_properties_are_compared_as_numbers() {
    // Documented limit: a vendor property holding a phandle shows the renumbering.
    let mut a = soc([1, 2, 3, 4], false);
    let mut b = soc([4, 3, 2, 1], false);
    for (t, v) in [(&mut a, 1u32), (&mut b, 4u32)] {
        let s = t.find("/serial@100").unwrap();
        prop(t, s, "vendor,intc", be(&[v]));
    }
    let d = diff(&a, &b);
    assert_eq!(d.props.len(), 1);
    assert_eq!(d.props[0].name, "vendor,intc");
}

#[test]
fn real_changes_are_listed_by_path() {
    let a = soc([1, 2, 3, 4], false);
    let mut b = soc([4, 3, 2, 1], true);
    let r = b.root;
    let serial = b.find("/serial@100").unwrap();
    let port = b.find("/serial@100/port").unwrap();
    // Remove a subtree, add one, change/add/remove properties, change reservations.
    let gpio = b.find("/gpio@200").unwrap();
    b.node_mut(r).children.retain(|&c| c != gpio);
    let extra = b.add_child(r, "extra@1");
    b.add_child(extra, "inner");
    b.node_mut(port).props[0].value = b"disabled\0".to_vec();
    b.node_mut(serial).props.retain(|p| p.name != "interrupts");
    prop(&mut b, serial, "status", b"okay\0".to_vec());
    b.reservations.clear();
    b.header.boot_cpuid_phys = 1;

    let d = diff(&a, &b);
    assert_eq!(d.removed_nodes, vec!["/gpio@200".to_string()]);
    assert_eq!(d.added_nodes, vec!["/extra@1".to_string(), "/extra@1/inner".to_string()]);
    let mut got: Vec<(String, String, &str)> = d
        .props
        .iter()
        .map(|p| {
            let k = match p.change {
                PropChange::Added(_) => "added",
                PropChange::Removed(_) => "removed",
                PropChange::Changed { .. } => "changed",
            };
            (p.path.clone(), p.name.clone(), k)
        })
        .collect();
    got.sort();
    // reset-gpios now points at a node that is gone: it no longer resolves, so it changed.
    assert_eq!(
        got,
        vec![
            ("/serial@100".into(), "interrupts".into(), "removed"),
            ("/serial@100".into(), "reset-gpios".into(), "changed"),
            ("/serial@100".into(), "status".into(), "added"),
            ("/serial@100/port".into(), "status".into(), "changed"),
        ]
    );
    assert_eq!(d.reservations, Some((vec![Reservation { address: 0x8000_0000, size: 0x1000 }], vec![])));
    assert_eq!(d.boot_cpuid_phys, Some((0, 1)));
    let text = d.render();
    for line in [
        "node removed: /gpio@200\n",
        "node added: /extra@1 (and 1 node below it)\n",
        "property changed: /serial@100/port status: \"okay\" -> \"disabled\"\n",
        "property removed: /serial@100 interrupts = <0x5 0x4>\n",
        "property added: /serial@100 status = \"okay\"\n",
        "memory reservations changed: 0x80000000 0x1000 -> (none)\n",
        "boot_cpuid_phys changed: 0 -> 1\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

/// A seeded xorshift generator (tests only).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random trees, renumbered and shuffled, are equal; one more real change is seen.
#[test]
fn random_renumbering_and_shuffling_is_equal() {
    let mut rng = Rng(0x00d1_ff5e_ed00_0001);
    for round in 0..60 {
        let n = 3 + rng.below(30);
        // Node i gets phandle i + 1; references are interrupt-parent and clocks.
        let mut a = Tree::new();
        let mut ids = vec![a.root];
        for i in 1..n {
            let parent = ids[rng.below(ids.len())];
            let id = a.add_child(parent, format!("n{i}@{:x}", rng.next() % 0x1000));
            ids.push(id);
        }
        let refs: Vec<(usize, usize, u32)> = (0..n).map(|_| (rng.below(n), rng.below(n), rng.next() as u32)).collect();
        let build = |perm: &[u32], rev: bool| {
            let mut t = a.clone();
            for (i, &id) in ids.iter().enumerate() {
                let (ip, ck, arg) = refs[i];
                let mut ps = vec![
                    Property::new("phandle", perm[i].to_be_bytes()),
                    Property::new("#clock-cells", be(&[1])),
                    Property::new("interrupt-parent", perm[ip].to_be_bytes()),
                    Property::new("clocks", be(&[perm[ck], arg])),
                    Property::new("data", arg.to_be_bytes()),
                ];
                if rev {
                    ps.reverse();
                }
                t.node_mut(id).props = ps;
                if rev {
                    t.node_mut(id).children.reverse();
                }
            }
            t
        };
        let ident: Vec<u32> = (1..=n as u32).collect();
        let mut perm = ident.clone();
        for i in (1..perm.len()).rev() {
            let j = rng.below(i + 1);
            perm.swap(i, j);
        }
        let perm: Vec<u32> = perm.iter().map(|p| p * 7 + round).collect();
        let ta = build(&ident, false);
        let tb = build(&perm, round % 2 == 0);
        let d = diff(&ta, &tb);
        assert!(d.is_empty(), "round {round}: {}", d.render());
        // One real change: a node's data.
        let mut tc = tb.clone();
        let victim = ids[rng.below(n)];
        let p = tc.node_mut(victim).props.iter_mut().find(|p| p.name == "data").unwrap();
        p.value = (u32::from_be_bytes(p.value[..4].try_into().unwrap()) ^ 1).to_be_bytes().to_vec();
        let d = diff(&ta, &tc);
        assert_eq!(d.props.len(), 1, "round {round}: {}", d.render());
        assert_eq!(d.props[0].path, ta.path(victim));
        assert_eq!(d.props[0].name, "data");
    }
}

#[test]
fn corpus_blob_against_itself_and_a_changed_copy() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/deb64_arm_juno-r2.dtb")).unwrap();
    let a = dtlens::dtb::read(&bytes).tree;
    assert_eq!(diff(&a, &a.clone()), TreeDiff::default());
    let mut b = a.clone();
    let mut h = dtlens::edit::History::new(b.clone());
    h.apply(dtlens::edit::Op::SetProp { path: "/".into(), name: "model".into(), value: b"other\0".to_vec() }).unwrap();
    b = h.tree().clone();
    let d = diff(&a, &b);
    assert_eq!(d.props.len(), 1);
    assert_eq!((d.props[0].path.as_str(), d.props[0].name.as_str()), ("/", "model"));
}

// ---------------------------------------------------------------------------------------
// The CLI, with dtc compiling the inputs.

fn tmp(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn dtc(name: &str, src: &str) -> String {
    let dts = tmp(&format!("{name}.dts"));
    let dtb = tmp(&format!("{name}.dtb"));
    std::fs::write(&dts, src).unwrap();
    let st = Command::new("dtc")
        .args(["-q", "-I", "dts", "-O", "dtb", "-o", dtb.to_str().unwrap(), dts.to_str().unwrap()])
        .status()
        .expect("run dtc");
    assert!(st.success());
    dtb.to_str().unwrap().to_string()
}

fn dtlens(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dtlens")).args(args).output().expect("run dtlens")
}

const A: &str = "/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  intc: intc@0 { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; reg = <0 4>; };
  clk: clk { #clock-cells = <1>; };
  uart@100 { reg = <0x100 4>; interrupt-parent = <&intc>; clocks = <&clk 3>; };
};
";

/// The same tree with the nodes in another order, so dtc numbers the phandles differently.
const B: &str = "/dts-v1/;
/ { #address-cells = <1>; #size-cells = <1>;
  uart@100 { clocks = <&clk 3>; interrupt-parent = <&intc>; reg = <0x100 4>; };
  clk: clk { #clock-cells = <1>; };
  intc: intc@0 { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; reg = <0 4>; };
};
";

#[test]
fn cli_diff_exit_codes_like_diff() {
    let a = dtc("diff-a", A);
    let b = dtc("diff-b", B);
    // Precondition: dtc really did number the phandles differently.
    let ta = dtlens::dtb::read(&std::fs::read(&a).unwrap()).tree;
    let tb = dtlens::dtb::read(&std::fs::read(&b).unwrap()).tree;
    let ph = |t: &Tree| t.node(t.find("/intc@0").unwrap()).prop("phandle").unwrap().value.clone();
    assert_ne!(ph(&ta), ph(&tb));

    let out = dtlens(&["diff", &a, &b]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());

    let c = dtc("diff-c", &B.replace("clocks = <&clk 3>", "clocks = <&clk 4>").replace("reg = <0 4>", "reg = <0 8>"));
    let out = dtlens(&["diff", &a, &c]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("property changed: /uart@100 clocks: <0x2 0x3> -> <0x1 0x4>"), "{text}");
    assert!(text.contains("property changed: /intc@0 reg: <0x0 0x4> -> <0x0 0x8>"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");

    let out = dtlens(&["diff", &a, "/nonexistent.dtb"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dtlens(&["diff", &a]).status.code(), Some(2));
}

#[test]
fn cli_diff_dts_prints_a_unified_diff() {
    let a = dtc("dts-a", A);
    let c = dtc("dts-c", &A.replace("clocks = <&clk 3>", "clocks = <&clk 4>"));
    let out = dtlens(&["diff", "--dts", "-U", "1", &a, &c]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("--- {a}\n+++ {c}\n@@ ")), "{text}");
    let minus: Vec<&str> = text.lines().filter(|l| l.starts_with('-') && !l.starts_with("---")).collect();
    let plus: Vec<&str> = text.lines().filter(|l| l.starts_with('+') && !l.starts_with("+++")).collect();
    assert_eq!((minus.len(), plus.len()), (1, 1), "{text}");
    assert!(minus[0].contains("clocks") && plus[0].contains("clocks"), "{text}");
    assert_eq!(dtlens(&["diff", "--dts", &a, &a]).status.code(), Some(0));
}
