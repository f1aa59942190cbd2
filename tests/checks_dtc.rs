//! Catalog §G, the `dtc-*` rules, against dtc 1.6.1 itself.
//!
//! 1. Differential: every corpus blob and every compiled sample goes through
//!    `dtc -I dtb -O dts -o /dev/null` and through our `dtc-*` rules under
//!    [`dtc_defaults`]; the (check, path) sets must be equal, up to the exceptions of
//!    [`EXCEPTIONS`], each with its reason and its exact count pinned.
//! 2. Per check: a tree where it fires and one where it stays silent, and dtc's verdict on
//!    the same blob where dtc 1.6.1 has the check with the same meaning.

mod checks_support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use checks_support::*;
use dtlens::check::rules::dtc::dtc_defaults;
use dtlens::check::{self, Config, Finding, Level, Override};
use dtlens::tree::{NodeId, Property, Tree};

/// (dtc check name, path) or (check, `prereq:NAME`) for dtc's "Failed prerequisite" lines.
type Key = (String, String);

/// dtc's warnings on a blob: key → messages.
fn dtc_report(blob: &[u8]) -> BTreeMap<Key, Vec<String>> {
    dtc_report_with(blob, &[])
}

/// [`dtc_report`] with extra dtc flags (`-W…`).
fn dtc_report_with(blob: &[u8], flags: &[&str]) -> BTreeMap<Key, Vec<String>> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "dtlens-checks-dtc-{}-{}.dtb",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::write(&path, blob).unwrap();
    // DTLENS_DTC: another dtc to compare with by hand (the pinned counts are for dtc 1.6.1).
    let dtc = std::env::var("DTLENS_DTC").unwrap_or_else(|_| "dtc".to_string());
    let out = Command::new(dtc)
        .args(["-I", "dtb", "-O", "dts", "-o", "/dev/null"])
        .args(flags)
        .arg(&path)
        .output()
        .expect("dtc");
    let _ = std::fs::remove_file(&path);
    let mut map: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    if out.status.code().is_none() {
        // Killed by a signal: dtc 1.6.1 asserts or crashes on some damaged values.
        map.insert(("CRASH".to_string(), String::new()), vec![String::from_utf8_lossy(&out.stderr).into_owned()]);
    }
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        let Some(at) = line.find("Warning (").or_else(|| line.find("ERROR (")) else { continue };
        let rest = &line[at..];
        let Some(open) = rest.find('(') else { continue };
        let Some(close) = rest.find("): ") else { continue };
        let name = rest[open + 1..close].to_string();
        let msg = &rest[close + 3..];
        let key = if let Some(p) = msg.strip_prefix("Failed prerequisite '") {
            format!("prereq:{}", p.trim_end_matches('\''))
        } else {
            let head = msg.split(": ").next().unwrap_or("");
            head.split(':').next().unwrap_or("").to_string()
        };
        map.entry((name, key)).or_default().push(msg.to_string());
    }
    map
}

/// Our `dtc-*` findings in the same keys.
fn our_report(f: &[Finding]) -> BTreeMap<Key, Vec<String>> {
    let mut map: BTreeMap<Key, Vec<String>> = BTreeMap::new();
    for x in f {
        let Some(name) = x.rule.strip_prefix("dtc-") else { continue };
        let key = match x.message.strip_prefix("not checked: prerequisite '") {
            // (An override may have raised the note from info.)
            Some(rest) => {
                format!("prereq:{}", rest.split('\'').next().unwrap_or(""))
            }
            _ => x.path.clone(),
        };
        map.entry((name.to_string(), key)).or_default().push(x.message.clone());
    }
    map
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    /// dtc 1.6.1 reports it, we do not.
    DtcOnly,
    /// We report it, dtc 1.6.1 does not.
    OursOnly,
}

/// What an exception sees: the side, the key, the messages on that side, the tree and all of
/// dtc's keys (for the ERROR short-circuit).
struct Mismatch<'a> {
    side: Side,
    check: &'a str,
    path: &'a str,
    msgs: &'a [String],
    tree: &'a Tree,
    dtc_errors: &'a [String],
    /// dtc skipped `addr_size_cells` (a `#…-cells` is not one cell).
    dtc_cells_broken: bool,
    /// All our keys for the tree.
    ours: &'a BTreeMap<Key, Vec<String>>,
}

struct Exception {
    name: &'static str,
    /// Why the difference is expected (printed with the counts).
    reason: &'static str,
    applies: fn(&Mismatch) -> bool,
}

/// dtc's check table order (1.6.1 plus v1.8.1's additions in their places).
const TABLE: &[&str] = &[
    "duplicate_node_names",
    "duplicate_property_names",
    "node_name_chars",
    "node_name_format",
    "node_name_not_empty",
    "property_name_chars",
    "name_is_string",
    "name_properties",
    "node_name_vs_property_name",
    "duplicate_label",
    "explicit_phandles",
    "phandle_references",
    "path_references",
    "omit_unused_nodes",
];

fn all_msgs(m: &Mismatch, text: &str) -> bool {
    !m.msgs.is_empty() && m.msgs.iter().all(|x| x.contains(text))
}

fn node_at<'t>(t: &'t Tree, path: &str) -> Option<(NodeId, &'t dtlens::tree::Node)> {
    let id = t.find(path)?;
    Some((id, t.node(id)))
}

/// Every difference between dtc 1.6.1 and our rules that is expected, with why.
const EXCEPTIONS: &[Exception] = &[
    Exception {
        name: "interrupt_provider: 1.6.1 demands #address-cells",
        reason: "dtc 1.6.1 also warns 'Missing #address-cells in interrupt provider' on every interrupt-controller \
                 without #address-cells; v1.7.0 dropped that (only interrupt-map parents need it, see interrupt_map)",
        applies: |m| {
            m.side == Side::DtcOnly
                && m.check == "interrupt_provider"
                && all_msgs(m, "Missing #address-cells in interrupt provider")
                && node_at(m.tree, m.path).is_some_and(|(_, n)| n.prop("#address-cells").is_none())
        },
    },
    Exception {
        name: "interrupt_provider: v1.7 stray #interrupt-cells",
        reason: "since v1.7.0 dtc warns about #interrupt-cells on a node that is not an interrupt provider; 1.6.1 \
                 does not",
        applies: |m| {
            m.side == Side::OursOnly
                && m.check == "interrupt_provider"
                && all_msgs(m, "not an interrupt provider")
                && node_at(m.tree, m.path)
                    .is_some_and(|(_, n)| n.prop("interrupt-controller").is_none() && n.prop("interrupt-map").is_none())
        },
    },
    Exception {
        name: "interrupt_provider: v1.7 prerequisite",
        reason: "since v1.7.0 interrupt_provider needs interrupts_extended_is_cell (every #interrupt-cells one \
                 cell); 1.6.1 runs it regardless",
        applies: |m| {
            let key = ("interrupt_provider".to_string(), "prereq:interrupts_extended_is_cell".to_string());
            m.check == "interrupt_provider" && m.ours.contains_key(&key)
        },
    },
    Exception {
        name: "interrupt_map: v1.7 check",
        reason: "interrupt_map was added in dtc v1.7.0; 1.6.1 has no such check",
        applies: |m| m.side == Side::OursOnly && m.check == "interrupt_map",
    },
    Exception {
        name: "avoid_unnecessary_addr_size: v1.8 relaxation",
        reason: "since v1.8.0 a node with dma-ranges, or with a child that has ranges, needs its cell sizes; \
                 1.6.1 still warns",
        applies: |m| {
            m.side == Side::DtcOnly
                && m.check == "avoid_unnecessary_addr_size"
                && node_at(m.tree, m.path).is_some_and(|(_, n)| {
                    n.prop("dma-ranges").is_some()
                        || n.children.iter().any(|&c| m.tree.node(c).prop("ranges").is_some())
                })
        },
    },
    Exception {
        name: "obsolete_chosen_interrupt_controller: reported on /chosen",
        reason: "dtc prints it as '/:interrupt-controller' (the root with /chosen's property); we report it on \
                 /chosen",
        applies: |m| {
            m.check == "obsolete_chosen_interrupt_controller"
                && ((m.side == Side::DtcOnly && m.path == "/") || (m.side == Side::OursOnly && m.path == "/chosen"))
        },
    },
    Exception {
        name: "source-only checks",
        reason: "duplicate_label, phandle_references, path_references and omit_unused_nodes have no meaning on a \
                 blob and are not rules; on a blob dtc can only print their 'Failed prerequisite' lines",
        applies: |m| {
            m.side == Side::DtcOnly
                && matches!(m.check, "duplicate_label" | "phandle_references" | "path_references" | "omit_unused_nodes")
        },
    },
    Exception {
        name: "graph checks without cell bookkeeping",
        reason: "when a #address-cells/#size-cells somewhere is not one cell, dtc's addr_size_cells does not run and \
                 graph_port/graph_endpoint read every parent's cells as 0 (\"'#address-cells' is 0, must be 1\"); \
                 we read the real values",
        applies: |m| m.side == Side::DtcOnly && m.dtc_cells_broken && m.check.starts_with("graph_"),
    },
    Exception {
        name: "ERROR short-circuit",
        reason: "after the first ERROR-type check fails, dtc runs no later check; we run them all",
        applies: |m| {
            m.side == Side::OursOnly
                && m.dtc_errors
                    .iter()
                    .filter_map(|e| TABLE.iter().position(|t| t == e))
                    .min()
                    .is_some_and(|first| TABLE.iter().position(|t| *t == m.check).is_none_or(|pos| pos > first))
        },
    },
];

#[derive(Default)]
struct Outcome {
    /// Trees compared, and trees dtc crashed on (not compared).
    compared: usize,
    crashed: usize,
    matched: usize,
    mismatches: Vec<String>,
    excused: BTreeMap<&'static str, usize>,
}

fn compare(label: &str, blob: &[u8], out: &mut Outcome) {
    let tree = tree_of_dtb(blob);
    let theirs = dtc_report(blob);
    let ours = our_report(&check::run(&tree, &dtc_defaults()));
    let dtc_errors: Vec<String> = theirs
        .iter()
        .filter(|(_, msgs)| msgs.iter().any(|_| true))
        .map(|((c, _), _)| c.clone())
        .filter(|c| TABLE.contains(&c.as_str()))
        .collect();
    if theirs.contains_key(&("CRASH".to_string(), String::new())) {
        out.crashed += 1;
        return;
    }
    out.compared += 1;
    let dtc_cells_broken = theirs.keys().any(|(c, k)| c == "addr_size_cells" && k.starts_with("prereq:"));
    let keys: BTreeSet<&Key> = theirs.keys().chain(ours.keys()).collect();
    for key in keys {
        let (side, msgs) = match (theirs.get(key), ours.get(key)) {
            (Some(_), Some(_)) => {
                out.matched += 1;
                continue;
            }
            (Some(m), None) => (Side::DtcOnly, m),
            (None, Some(m)) => (Side::OursOnly, m),
            (None, None) => continue,
        };
        let m = Mismatch {
            side,
            check: &key.0,
            path: &key.1,
            msgs,
            tree: &tree,
            dtc_errors: &dtc_errors,
            dtc_cells_broken,
            ours: &ours,
        };
        let hits: Vec<&Exception> = EXCEPTIONS.iter().filter(|e| (e.applies)(&m)).collect();
        // Several may apply (a v1.7 check after an ERROR): the first in the table counts.
        match hits.as_slice() {
            [e, ..] => {
                if std::env::var_os("DTLENS_SHOW_EXCEPTIONS").is_some() {
                    eprintln!("{label}: {} {side:?} ({}) {} {:?}", e.name, key.0, key.1, msgs);
                }
                *out.excused.entry(e.name).or_default() += 1
            }
            [] => out.mismatches.push(format!("{label}: {side:?} ({}) {} -- {:?}", key.0, key.1, msgs)),
        }
    }
}

fn corpus_blobs() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(CORPUS)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dtb") || n.ends_with(".dtbo"))
        .map(|n| {
            let b = std::fs::read(format!("{CORPUS}/{n}")).unwrap();
            (n, b)
        })
        .collect();
    v.sort();
    v
}

fn sample_blobs() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(SAMPLES)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dts"))
        .map(|n| {
            let b = compile(&sample(&n));
            (n, b)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn differential_against_dtc_on_corpus_and_samples() {
    let mut out = Outcome::default();
    let corpus = corpus_blobs();
    assert!(corpus.len() >= 49, "corpus has {} blobs", corpus.len());
    let samples = sample_blobs();
    assert!(samples.len() >= 8);
    for (name, blob) in corpus.iter().chain(&samples) {
        compare(name, blob, &mut out);
    }
    let excused: usize = out.excused.values().sum();
    let total = out.matched + excused + out.mismatches.len();
    eprintln!(
        "dtc differential: {} of {total} (check, path) keys match exactly ({:.1}%), {excused} documented \
         exceptions, {} unexplained",
        out.matched,
        100.0 * out.matched as f64 / total.max(1) as f64,
        out.mismatches.len()
    );
    for (k, n) in &out.excused {
        let reason = EXCEPTIONS.iter().find(|e| e.name == *k).map_or("", |e| e.reason);
        eprintln!("  exception {k}: {n} ({reason})");
    }
    assert!(out.mismatches.is_empty(), "unexplained differences:\n{}", out.mismatches.join("\n"));
    assert_eq!((out.compared, out.crashed), (corpus.len() + samples.len(), 0));
    // The exceptions, exactly as they occur on this corpus (a change in either side shows up).
    let pinned: BTreeMap<&str, usize> = PINNED.iter().copied().collect();
    assert_eq!(out.excused, pinned, "exception counts changed");
    assert!(out.matched >= MIN_MATCHED, "only {} keys matched", out.matched);
}

/// Exception counts over the corpus and samples with dtc 1.6.1. (Against a dtc 1.8.1 built
/// from source, `DTLENS_DTC=.../dtc`, every key matches except the 9 `graph_child_address`
/// ones, a check v1.8.0 removed.)
const PINNED: &[(&str, usize)] = &[
    ("avoid_unnecessary_addr_size: v1.8 relaxation", 1),
    ("interrupt_map: v1.7 check", 16),
    ("interrupt_provider: 1.6.1 demands #address-cells", 197),
    ("interrupt_provider: v1.7 stray #interrupt-cells", 14),
];
const MIN_MATCHED: usize = 296;

// ---- per check: fires / stays silent, and dtc agrees -----------------------------------------

/// The flags that turn on dtc's off-by-default checks we have rules for.
const DTC_ALL: &[&str] = &[
    "-Wnode_name_chars_strict",
    "-Wproperty_name_chars_strict",
    "-Wunique_unit_address_if_enabled",
    "-Wdeprecated_gpio_property",
];

/// Every dtc-* rule on.
fn all_on() -> Config {
    let mut c = Config { level: Level::W2, ..Config::default() };
    c.set("dtc-deprecated_gpio_property", Override::Warning);
    c
}

/// A clean root (dtc 1.6.1 reports nothing on it, all checks on) with `body` inside.
fn root(body: &str) -> String {
    format!(
        "/dts-v1/;\n/ {{\n\t#address-cells = <1>;\n\t#size-cells = <1>;\n\tmodel = \"dtlens test\";\n\tcompatible = \
         \"dtlens,test\";\n{body}\n}};\n"
    )
}

/// How dtc 1.6.1 is expected to see the failing tree.
#[derive(Clone, Copy)]
enum Dtc {
    /// Reports the same check on the same key.
    Same,
    /// Reports the same check on another key (dtc's own path choice).
    At(&'static str),
    /// Not comparable, for the reason given: the check is newer than 1.6.1, or 1.6.1 cannot
    /// read the tree.
    No(#[allow(dead_code)] &'static str),
}

struct Case {
    check: &'static str,
    fire: Vec<u8>,
    /// Key of the finding: a node path, or `prereq:NAME` for a skipped check's note.
    key: &'static str,
    text: &'static str,
    silent: Vec<u8>,
    dtc: Dtc,
}

fn dts(check: &'static str, fire: &str, key: &'static str, text: &'static str, silent: &str) -> Case {
    Case { check, fire: compile(&root(fire)), key, text, silent: compile(&root(silent)), dtc: Dtc::Same }
}

fn with(mut c: Case, dtc: Dtc) -> Case {
    c.dtc = dtc;
    c
}

/// A hand-built tree (for faults dtc cannot compile from source) as a blob.
fn built(f: impl Fn(&mut Tree, NodeId)) -> Vec<u8> {
    let mut t = Tree::new();
    let r = t.root;
    for (n, v) in [("#address-cells", 1u32), ("#size-cells", 1)] {
        t.node_mut(r).props.push(Property::new(n, v.to_be_bytes()));
    }
    f(&mut t, r);
    dtlens::dtb::write(&t)
}

fn cases() -> Vec<Case> {
    let mut v = vec![
        Case {
            check: "duplicate_node_names",
            fire: built(|t, r| {
                t.add_child(r, "a");
                t.add_child(r, "a");
            }),
            key: "/a",
            text: "also named \"a\"",
            silent: built(|t, r| {
                t.add_child(r, "a");
                t.add_child(r, "b");
            }),
            dtc: Dtc::Same,
        },
        Case {
            check: "duplicate_property_names",
            fire: built(|t, r| {
                let n = t.add_child(r, "n");
                t.node_mut(n).props.push(Property::new("x", vec![]));
                t.node_mut(n).props.push(Property::new("x", vec![]));
            }),
            key: "/n",
            text: "appears 2 times",
            silent: built(|t, r| {
                let n = t.add_child(r, "n");
                t.node_mut(n).props.push(Property::new("x", vec![]));
                t.node_mut(n).props.push(Property::new("y", vec![]));
            }),
            dtc: Dtc::Same,
        },
        Case {
            check: "node_name_chars",
            fire: built(|t, r| {
                t.add_child(r, "a b");
            }),
            key: "/a b",
            text: "bad character ' '",
            silent: built(|t, r| {
                t.add_child(r, "a,b.c_d+e-f");
            }),
            dtc: Dtc::Same,
        },
        dts("node_name_format", "\tn@1@2 { reg = <1 1>; };", "/n@1@2", "more than one '@'", "\tn@1 { reg = <1 1>; };"),
        Case {
            check: "node_name_not_empty",
            fire: built(|t, r| {
                t.add_child(r, "@1");
            }),
            key: "/@1",
            text: "empty base name",
            silent: built(|t, r| {
                t.add_child(r, "n@1");
            }),
            dtc: Dtc::No("added in dtc v1.8.0"),
        },
        Case {
            check: "property_name_chars",
            fire: built(|t, r| {
                let n = t.add_child(r, "n");
                t.node_mut(n).props.push(Property::new("a=b", vec![]));
            }),
            key: "/n",
            text: "bad character '='",
            silent: built(|t, r| {
                let n = t.add_child(r, "n");
                t.node_mut(n).props.push(Property::new("a,b._+*#?-", vec![]));
            }),
            dtc: Dtc::Same,
        },
        dts("name_is_string", "\tn { name = <1>; };", "/n", "not a single string", "\tn { name = \"n\"; };"),
        dts(
            "name_properties",
            "\tn { name = \"m\"; };",
            "/n",
            "\"m\", not the node's base name \"n\"",
            "\tn { name = \"n\"; };",
        ),
        dts(
            "node_name_vs_property_name",
            "\tn = <1>;\n\tn { };",
            "/n",
            "also has a property named \"n\"",
            "\tm = <1>;\n\tn { };",
        ),
        dts(
            "explicit_phandles",
            "\ta { phandle = <1>; };\n\tb { phandle = <1>; };",
            "/b",
            "phandle 0x1 is already used by /a",
            "\ta { phandle = <1>; };\n\tb { phandle = <2>; };",
        ),
        dts(
            "address_cells_is_cell",
            "\tn { #address-cells = <1 2>; };",
            "/n",
            "8 bytes, not one 32-bit cell",
            "\tn { #address-cells = <1>; };",
        ),
        dts("size_cells_is_cell", "\tn { #size-cells = [00]; };", "/n", "1 bytes", "\tn { #size-cells = <1>; };"),
        dts(
            "device_type_is_string",
            "\tn { device_type = <1>; };",
            "/n",
            "not a single string",
            "\tn { device_type = \"x\"; };",
        ),
        dts(
            "model_is_string",
            "\tn { model = \"a\", \"b\"; };",
            "/n",
            "not a single string",
            "\tn { model = \"a\"; };",
        ),
        dts(
            "status_is_string",
            "\tn { status = [6f 6b]; };",
            "/n",
            "not a single string",
            "\tn { status = \"okay\"; };",
        ),
        dts("label_is_string", "\tn { label = <0>; };", "/n", "not a single string", "\tn { label = \"x\"; };"),
        dts(
            "compatible_is_string_list",
            "\tn { compatible = \"a\", [62]; };",
            "/n",
            "does not end in NUL",
            "\tn { compatible = \"a\", \"b\"; };",
        ),
        dts(
            "names_is_string_list",
            "\tn { clock-names = [61]; };",
            "/n",
            "clock-names",
            "\tn { clock-names = \"a\", \"b\"; };",
        ),
        dts(
            "property_name_chars_strict",
            "\tn { foo_bar = <1>; };",
            "/n",
            "character '_'",
            "\tn { foo-bar = <1>; vendor,#x-cells = <1>; device_type = \"x\"; };",
        ),
        dts(
            "node_name_chars_strict",
            "\tfoo_bar@1 { reg = <1 1>; };",
            "/foo_bar@1",
            "character '_'",
            "\tfoo-bar@a_b { };",
        ),
        dts(
            "addr_size_cells",
            "\tn { #address-cells = <1 2>; };",
            "prereq:address_cells_is_cell",
            "did not pass",
            "\tn { #address-cells = <1>; };",
        ),
        dts(
            "reg_format",
            "\tn@0 { reg = <0>; };",
            "/n@0",
            "4 bytes, not a multiple of 8 bytes",
            "\tn@0 { reg = <0 1>; };",
        ),
        dts(
            "ranges_format",
            "\tb@0 { #address-cells = <1>; #size-cells = <1>; ranges = <0 0>; };",
            "/b@0",
            "8 bytes, not a multiple of 12 bytes",
            "\tb@0 { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 1>; };",
        ),
        dts(
            "dma_ranges_format",
            "\tb { #address-cells = <2>; #size-cells = <1>; dma-ranges; };",
            "/b",
            "#address-cells is 2 here and 1 in /",
            "\tb { #address-cells = <1>; #size-cells = <1>; dma-ranges; };",
        ),
        dts("unit_address_vs_reg", "\tn@1 { };", "/n@1", "unit address 1 but no reg", "\tn@1 { reg = <1 1>; };"),
        dts("unit_address_format", "\tn@01 { reg = <1 1>; };", "/n@01", "leading zeros", "\tn@1 { reg = <1 1>; };"),
    ];
    let pci = |name: &str, extra: &str, child: &str| {
        format!(
            "\t{name} {{ device_type = \"pci\"; reg = <0 1>; #address-cells = <3>; #size-cells = <2>; ranges = <0x02000000 0 0 \
             0 0 0x1000>;{extra}\n{child}\t}};"
        )
    };
    v.extend([
        dts("pci_bridge", &pci("pcix@0", "", ""), "/pcix@0", "should be \"pci\" or \"pcie\"", &pci("pci@0", "", "")),
        dts(
            "pci_device_reg",
            &pci("pci@0", "", "\t\tdev@2 { reg = <0x0800 0 0 0 0>; };\n"),
            "/pci@0/dev@2",
            "expected \"1,0\"",
            &pci("pci@0", "", "\t\tdev@1 { reg = <0x0800 0 0 0 0>; };\n\t\tdev@1,1 { reg = <0x0900 0 0 0 0>; };\n"),
        ),
        dts(
            "pci_device_bus_num",
            &pci("pci@0", " bus-range = <0 1>;", "\t\tdev@1 { reg = <0x20800 0 0 0 0>; };\n"),
            "/pci@0/dev@1",
            "PCI bus number 2 is outside the parent's bus-range 0-1",
            &pci("pci@0", " bus-range = <0 1>;", "\t\tdev@1 { reg = <0x0800 0 0 0 0>; };\n"),
        ),
        dts(
            "simple_bus_bridge",
            "\tn { compatible = [61]; };",
            "prereq:compatible_is_string_list",
            "did not pass",
            "\tn { compatible = \"simple-bus\"; };",
        ),
        dts(
            "simple_bus_reg",
            "\tbus { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>; ranges;\n\t\tdev@10 { reg = <0x20 4>; };\n\t};",
            "/bus/dev@10",
            "expected dev@20",
            "\tbus { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>; ranges;\n\t\tdev@20 { reg = <0x20 4>; };\n\t};",
        ),
        dts(
            "i2c_bus_bridge",
            "\ti2c { #address-cells = <1>; #size-cells = <1>; dev@50 { reg = <0x50 1>; }; };",
            "/i2c",
            "#size-cells 1, not 0",
            "\ti2c { #address-cells = <1>; #size-cells = <0>; dev@50 { reg = <0x50>; }; };",
        ),
        dts(
            "i2c_bus_reg",
            "\ti2c { #address-cells = <1>; #size-cells = <0>; dev@51 { reg = <0x50>; }; };",
            "/i2c/dev@51",
            "expected \"50\"",
            "\ti2c { #address-cells = <1>; #size-cells = <0>; dev@50 { reg = <0x50>; }; };",
        ),
        dts(
            "spi_bus_bridge",
            "\tspi { #address-cells = <1>; #size-cells = <1>; dev@0 { reg = <0 1>; }; };",
            "/spi",
            "#size-cells 1, not 0",
            "\tspi { #address-cells = <1>; #size-cells = <0>; dev@0 { reg = <0>; }; };",
        ),
        dts(
            "spi_bus_reg",
            "\tspi { #address-cells = <1>; #size-cells = <0>; dev@1 { reg = <0>; }; };",
            "/spi/dev@1",
            "chip select 0",
            "\tspi { #address-cells = <1>; #size-cells = <0>; dev@0 { reg = <0>; }; };",
        ),
        dts(
            "avoid_default_addr_size",
            "\tb { n@0 { reg = <0 0 0>; }; };",
            "/b/n@0",
            "/b has no #address-cells",
            "\tb { #address-cells = <2>; #size-cells = <1>; n@0 { reg = <0 0 0>; }; };",
        ),
        dts(
            "avoid_unnecessary_addr_size",
            "\tb { #address-cells = <1>; #size-cells = <1>; c { }; };",
            "/b",
            "no child has reg or ranges",
            "\tb { #address-cells = <1>; #size-cells = <1>; c@0 { reg = <0 1>; }; };",
        ),
        dts(
            "unique_unit_address",
            "\ta@0 { reg = <0 1>; };\n\tb@0 { reg = <0 1>; };",
            "/a@0",
            "also used by the later sibling /b@0",
            "\ta@0 { reg = <0 1>; };\n\tb@1 { reg = <1 1>; };",
        ),
        dts(
            "unique_unit_address_if_enabled",
            "\ta@0 { reg = <0 1>; };\n\tb@0 { reg = <0 1>; };",
            "/a@0",
            "enabled sibling /b@0",
            "\ta@0 { reg = <0 1>; };\n\tb@0 { reg = <0 1>; status = \"disabled\"; };",
        ),
        with(
            dts(
                "obsolete_chosen_interrupt_controller",
                "\tchosen { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };",
                "/chosen",
                "obsolete",
                "\tchosen { };",
            ),
            Dtc::At("/"),
        ),
        dts("chosen_node_is_root", "\tn { chosen { }; };", "/n/chosen", "child of the root", "\tchosen { };"),
        dts("chosen_node_bootargs", "\tchosen { bootargs = <1>; };", "/chosen", "not a single string", "\tchosen { bootargs = \"x\"; };"),
        dts(
            "chosen_node_stdout_path",
            "\tchosen { linux,stdout-path = \"/\"; };",
            "/chosen",
            "deprecated",
            "\tchosen { stdout-path = \"/\"; };",
        ),
    ]);
    for &(n, prop, _) in dtlens::check::rules::dtc::PROVIDERS {
        let cells = dtlens::check::rules::dtc::cells_name(prop);
        let ic = if prop == "interrupts-extended" { " interrupt-controller; #address-cells = <0>;" } else { "" };
        let cell_check: &'static str = Box::leak(format!("{n}_is_cell").into_boxed_str());
        let prop_check: &'static str = Box::leak(format!("{n}_property").into_boxed_str());
        v.push(dts(
            cell_check,
            &format!("\tp: prov {{ {cells} = <1 2>;{ic} }};"),
            "/prov",
            "8 bytes, not one 32-bit cell",
            &format!("\tp: prov {{ {cells} = <1>;{ic} }};"),
        ));
        v.push(dts(
            prop_check,
            &format!("\tp: prov {{ {cells} = <1>;{ic} }};\n\tc {{ {prop} = <&p>; }};"),
            "/c",
            "too short for the entry at cell 0",
            &format!("\tp: prov {{ {cells} = <1>;{ic} }};\n\tc {{ {prop} = <0>, <&p 5>; }};"),
        ));
    }
    v.extend([
        dts("deprecated_gpio_property", "\tc { foo-gpio = <0>; };", "/c", "deprecated", "\tc { foo-gpios = <0>; snps,nr-gpios = <3>; };"),
        dts(
            "gpios_property",
            "\tp: g { #gpio-cells = <2>; gpio-controller; };\n\tc { foo-gpios = <&p 1>; };",
            "/c",
            "#gpio-cells = 2",
            "\tp: g { #gpio-cells = <2>; gpio-controller; };\n\tc { foo-gpios = <&p 1 2>; };\n\th { gpio-hog; gpios = <1 2>; };",
        ),
        dts(
            "interrupts_property",
            "\tc { interrupts = <1>; };",
            "/c",
            "without an interrupt parent",
            "\tp: ic { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };\n\tc { interrupt-parent = <&p>; interrupts = <1>; };",
        ),
        dts(
            "interrupt_provider",
            "\tic { interrupt-controller; #address-cells = <0>; };",
            "/ic",
            "without #interrupt-cells",
            "\tic { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };",
        ),
        with(
            dts(
                "interrupt_map",
                "\tp: ic { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };\n\tnx { #interrupt-cells = <1>; #address-cells = <0>; interrupt-map = <1 &p>; };",
                "/nx",
                "interrupt-map is 2 cells; its last row needs 3",
                "\tp: ic { interrupt-controller; #interrupt-cells = <1>; #address-cells = <0>; };\n\tnx { #interrupt-cells = <1>; #address-cells = <0>; interrupt-map = <1 &p 5>; };",
            ),
            Dtc::No("added in dtc v1.7.0"),
        ),
        dts("alias_paths", "\taliases { serial0 = \"/nope\"; };", "/aliases", "does not name a node", "\taliases { serial0 = \"/aliases\"; };"),
        Case {
            check: "graph_nodes",
            // Built by hand: dtc 1.6.1 crashes on an endpoint under the root (fixed in v1.8.0).
            fire: built(|t, r| {
                t.add_child(r, "endpoint");
            }),
            key: "/",
            text: "misplaced",
            silent: compile(&root("\tport { endpoint { }; };")),
            dtc: Dtc::No("dtc 1.6.1 crashes on an endpoint under the root"),
        },
        dts(
            "graph_child_address",
            "\td { ports { #address-cells = <1>; #size-cells = <0>; port@0 { reg = <0>; endpoint { }; }; }; };",
            "/d/ports",
            "single child \"port@0\"",
            "\td { ports { #address-cells = <1>; #size-cells = <0>; port@0 { reg = <0>; endpoint { }; }; port@1 { reg = <1>; endpoint { }; }; }; };",
        ),
        dts(
            "graph_port",
            "\td { #address-cells = <1>; #size-cells = <0>; portx@0 { reg = <0>; endpoint { }; }; };",
            "/d/portx@0",
            "should be \"port\"",
            "\td { #address-cells = <1>; #size-cells = <0>; port@0 { reg = <0>; endpoint { }; }; };",
        ),
        dts(
            "graph_endpoint",
            "\td { port { ep1: endpoint { remote-endpoint = <&ep2>; }; }; };\n\te { port { ep2: endpoint { }; }; };",
            "/d/port/endpoint",
            "not bidirectional",
            "\td { port { ep1: endpoint { remote-endpoint = <&ep2>; }; }; };\n\te { port { ep2: endpoint { remote-endpoint = <&ep1>; }; }; };",
        ),
    ]);
    v
}

fn our_keys(f: &[Finding], check: &str) -> BTreeMap<Key, Vec<String>> {
    our_report(&f.iter().filter(|x| x.rule.strip_prefix("dtc-") == Some(check)).cloned().collect::<Vec<_>>())
}

#[test]
fn every_check_fires_and_stays_silent_like_dtc() {
    let cases = cases();
    // One case per rule.
    let ids: BTreeSet<&str> = cases.iter().map(|c| c.check).collect();
    assert_eq!(ids.len(), cases.len(), "a check has two cases");
    for r in dtlens::check::registry::family(dtlens::check::RuleFamily::Dtc) {
        assert!(ids.contains(r.id.strip_prefix("dtc-").unwrap()), "no case for {}", r.id);
    }
    let mut problems = Vec::new();
    for c in &cases {
        let fire = check::run(&tree_of_dtb(&c.fire), &all_on());
        let ours = our_keys(&fire, c.check);
        match ours.get(&(c.check.to_string(), c.key.to_string())) {
            Some(msgs) if msgs.iter().any(|m| m.contains(c.text)) => {}
            other => problems.push(format!(
                "{}: expected {} with {:?}, got {other:?}\n{}",
                c.check,
                c.key,
                c.text,
                show(&fire)
            )),
        }
        let silent = check::run(&tree_of_dtb(&c.silent), &all_on());
        let quiet = our_keys(&silent, c.check);
        if !quiet.is_empty() {
            problems.push(format!("{}: silent tree has {quiet:?}", c.check));
        }
        let want = match c.dtc {
            Dtc::Same => c.key,
            Dtc::At(k) => k,
            Dtc::No(_) => continue,
        };
        let theirs = dtc_report_with(&c.fire, DTC_ALL);
        if !theirs.contains_key(&(c.check.to_string(), want.to_string())) {
            problems.push(format!("{}: dtc does not report {want}: {theirs:?}", c.check));
        }
        let theirs = dtc_report_with(&c.silent, DTC_ALL);
        if theirs.keys().any(|(k, _)| k == c.check) {
            problems.push(format!("{}: dtc reports the silent tree: {theirs:?}", c.check));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

/// A tree that uses every bus, the graph, interrupt maps and phandle + args correctly: dtc
/// (all checks on) and every dtc-* rule stay silent.
#[test]
fn good_tree_is_silent_for_dtc_and_for_us() {
    let blob = compile(&fixture("dtc-good.dts"));
    assert_eq!(dtc_report_with(&blob, DTC_ALL), BTreeMap::new());
    let f = check::run(&tree_of_dtb(&blob), &all_on());
    let ours: Vec<&Finding> = f.iter().filter(|x| x.rule.starts_with("dtc-")).collect();
    assert!(ours.is_empty(), "{ours:#?}");
    // The same tree with one mistake per family of checks is not silent.
    let broken = edit(&fixture("dtc-good.dts"), "codec@1a {", "codec@1b {");
    let broken = edit(&broken, "interrupt-map = <0 0 0 1 &gic 0 3 4>;", "interrupt-map = <0 0 0 1 &gic 0 3>;");
    let broken = edit(&broken, "remote-endpoint = <&dsi_out>;", "");
    let f = check::run(&tree(&broken), &all_on());
    let got: BTreeSet<(&str, &str)> =
        f.iter().filter(|x| x.rule.starts_with("dtc-")).map(|x| (x.rule, x.path.as_str())).collect();
    let want: BTreeSet<(&str, &str)> = [
        ("dtc-i2c_bus_reg", "/soc/i2c@4000/codec@1b"),
        ("dtc-interrupt_map", "/pci@40000000"),
        ("dtc-graph_endpoint", "/soc/display@6000/ports/port@0/endpoint"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want, "{}", show(&f));
}

/// Catalog §5 point 5: every real Xen tree has `hypervisor` without a unit address but with
/// `reg`. dtc warns; the kernel keeps the check off below W=1; the finding says it is
/// expected there and offers no rename.
#[test]
fn unit_address_vs_reg_on_xen_hypervisor_is_contested() {
    let t = tree_of_dtb(&std::fs::read(format!("{CORPUS}/deb32_xenvm-4.2.dtb")).unwrap());
    let at = |level: Level| {
        check::run(&t, &Config { level, ..Config::default() })
            .into_iter()
            .filter(|x| x.rule == "dtc-unit_address_vs_reg")
            .collect::<Vec<_>>()
    };
    assert!(at(Level::Default).is_empty(), "off at the kernel's default level");
    let f = at(Level::W1);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].path, "/hypervisor");
    assert_eq!(f[0].severity, dtlens::check::Severity::Warning);
    assert!(f[0].message.contains("expected for Xen's /hypervisor"), "{}", f[0].message);
    assert!(f[0].message.contains("0xb0000000"), "{}", f[0].message);
    assert_eq!(f[0].fix, None);
    // dtc reports exactly this line too.
    let blob = std::fs::read(format!("{CORPUS}/deb32_xenvm-4.2.dtb")).unwrap();
    assert!(dtc_report(&blob).contains_key(&("unit_address_vs_reg".to_string(), "/hypervisor".to_string())));
    // Elsewhere the same finding carries the rename dtc's rule asks for.
    let f = findings(&root("\tdev { reg = <0x2000 0x10>; };"));
    let f: Vec<_> = f.iter().filter(|x| x.rule == "dtc-unit_address_vs_reg").collect();
    assert_eq!(f[0].message, "node has reg (first address 0x2000) but no unit address; dtc expects dev@2000");
    assert_eq!(f[0].fix, Some(dtlens::check::Fix::RenameNode { path: "/dev".into(), new_name: "dev@2000".into() }));
}

/// Which checks each level turns on, as the kernel's Makefile does.
#[test]
fn levels_follow_the_kernel() {
    let dts = root(
        "\tn@1 { };\n\tfoo_bar { };\n\ta@0 { reg = <0 1>; };\n\tb@0 { reg = <0 1>; status = \"disabled\"; };\n\tc { x-gpio = <0>; };",
    );
    let t = tree(&dts);
    let rules = |c: &Config| -> BTreeSet<&'static str> {
        check::run(&t, c).into_iter().filter(|x| x.rule.starts_with("dtc-")).map(|x| x.rule).collect()
    };
    let default = rules(&Config::default());
    let w1 = rules(&Config { level: Level::W1, ..Config::default() });
    let w2 = rules(&Config { level: Level::W2, ..Config::default() });
    assert_eq!(default, BTreeSet::new());
    assert_eq!(w1, ["dtc-unit_address_vs_reg"].into_iter().collect());
    assert_eq!(
        w2,
        ["dtc-node_name_chars_strict", "dtc-unique_unit_address", "dtc-unit_address_vs_reg"].into_iter().collect()
    );
    // Plain dtc: unique_unit_address on, the strict and if_enabled ones off.
    assert_eq!(
        rules(&dtc_defaults()),
        ["dtc-unique_unit_address", "dtc-unit_address_vs_reg"].into_iter().collect::<BTreeSet<_>>()
    );
    let blob = compile(&dts);
    let theirs: BTreeSet<String> = dtc_report(&blob).into_keys().map(|(c, _)| format!("dtc-{c}")).collect();
    assert_eq!(theirs, rules(&dtc_defaults()).into_iter().map(str::to_string).collect());
    // Named explicitly, the off-by-default one runs.
    let mut c = Config::default();
    c.set("dtc-deprecated_gpio_property", Override::Warning);
    assert_eq!(rules(&c), ["dtc-deprecated_gpio_property"].into_iter().collect());
}

/// Unit-address mismatches carry the rename to the address dtc expects.
#[test]
fn unit_address_findings_offer_the_rename() {
    let f = findings(&root(
        "\tbus { compatible = \"simple-bus\"; #address-cells = <1>; #size-cells = <1>; ranges;\n\t\tdev@10 { reg = <0x20 4>; };\n\t\tx@0x30 { reg = <0x30 4>; };\n\t};\n\tm@0x40 { reg = <0x40 4>; };",
    ));
    let fix = |rule: &str, path: &str| {
        f.iter().find(|x| x.rule == rule && x.path == path).and_then(|x| x.fix.clone()).map(|x| x.describe())
    };
    assert_eq!(fix("dtc-simple_bus_reg", "/bus/dev@10"), Some("rename /bus/dev@10 to dev@20".into()));
    assert_eq!(fix("dtc-simple_bus_reg", "/bus/x@0x30"), Some("rename /bus/x@0x30 to x@30".into()));
    assert_eq!(fix("dtc-unit_address_format", "/m@0x40"), Some("rename /m@0x40 to m@40".into()));
    // Under a simple-bus dtc leaves the format to simple_bus_reg.
    assert!(f.iter().all(|x| !(x.rule == "dtc-unit_address_format" && x.path.starts_with("/bus/"))), "{}", show(&f));
}

/// Damaged blobs: every corpus blob cut short at several places reads as a partial tree; the
/// dtc-* rules run on it without panicking and only name nodes of that tree.
#[test]
fn truncated_blobs_never_panic() {
    for (name, blob) in corpus_blobs().iter().step_by(3) {
        for cut in [blob.len() / 3, blob.len() / 2, blob.len() * 9 / 10] {
            let t = tree_of_dtb(&blob[..cut]);
            for x in check::run(&t, &all_on()).iter().filter(|x| x.rule.starts_with("dtc-")) {
                assert!(t.find(&x.path).is_some(), "{name}@{cut}: {x}");
            }
        }
    }
}

/// Random damage to corpus trees (properties dropped, shortened, lengthened, bit-flipped):
/// dtc 1.6.1 and our rules agree on every tree dtc does not crash on, up to the documented
/// exceptions.
#[test]
fn random_damage_differential_against_dtc() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = Outcome::default();
    for (name, blob) in corpus_blobs() {
        let base = tree_of_dtb(&blob);
        let ids: Vec<NodeId> = base.walk().map(|(id, _)| id).collect();
        for round in 0..3 {
            let mut t = base.clone();
            for _ in 0..8 {
                let id = ids[(rnd() as usize) % ids.len()];
                let props = &mut t.node_mut(id).props;
                if props.is_empty() {
                    continue;
                }
                let k = (rnd() as usize) % props.len();
                // A damaged phandle is an ERROR, after which dtc runs no other check.
                if props[k].name.ends_with("phandle") {
                    continue;
                }
                match rnd() % 4 {
                    0 => {
                        props.remove(k);
                    }
                    1 => {
                        let l = props[k].value.len();
                        props[k].value.truncate(l.saturating_sub(4));
                    }
                    2 => props[k].value.extend_from_slice(&[0, 0, 0, 1]),
                    _ => {
                        if let Some(b) = props[k].value.get_mut(3) {
                            *b ^= 1;
                        }
                    }
                }
            }
            compare(&format!("{name} (damage {round})"), &dtlens::dtb::write(&t), &mut out);
        }
    }
    let excused: usize = out.excused.values().sum();
    eprintln!(
        "random damage: {} trees compared ({} skipped: dtc crashed), {} keys matched, {excused} documented exceptions {:?}",
        out.compared, out.crashed, out.matched, out.excused
    );
    assert!(out.mismatches.is_empty(), "unexplained differences:\n{}", out.mismatches.join("\n"));
    assert!(out.compared >= 100, "only {} trees compared", out.compared);
}
