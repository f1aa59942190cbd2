//! The DTS printer against dtc 1.6.1 as the oracle: for every blob X,
//! `dtc -I dts -O dtb (dtlens print (read X))` must equal `dtc -I dtb -O dtb X`.
//!
//! DTS has no syntax for the header's `boot_cpuid_phys` (dtc guesses it from `/cpus` for
//! DTS input), so the recompile passes the tree's value with `-b`, as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bindings/samples");

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dts_roundtrip");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs dtc; `Err` carries its stderr when it exits non-zero. Warnings are silenced with
/// `-q`, errors still make dtc fail.
fn dtc(args: &[&str], input: &Path, out: &Path) -> Result<Vec<u8>, String> {
    let o = Command::new("dtc")
        .args(["-q"])
        .args(args)
        .arg("-o")
        .arg(out)
        .arg(input)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run dtc: {e}"))?;
    if !o.status.success() {
        return Err(format!("dtc {args:?} failed ({}): {}", o.status, String::from_utf8_lossy(&o.stderr)));
    }
    std::fs::read(out).map_err(|e| e.to_string())
}

/// Prints the blob at `path` with dtlens and recompiles it; compares with dtc's own
/// dtb→dtb normalisation. `Err` describes the first difference. `tag` keeps the temporary
/// files of tests running in parallel apart.
fn round_trip(path: &Path, tag: &str) -> Result<(), String> {
    let stem = format!("{tag}-{}", path.file_name().unwrap().to_string_lossy());
    let blob = std::fs::read(path).map_err(|e| e.to_string())?;
    let expected = dtc(&["-I", "dtb", "-O", "dtb"], path, &tmp(&format!("{stem}.expected.dtb")))?;

    let read = dtlens::dtb::read(&blob);
    let dts = dtlens::dts::print(&read.tree);
    let dts_path = tmp(&format!("{stem}.dts"));
    std::fs::write(&dts_path, &dts).map_err(|e| e.to_string())?;
    let cpuid = read.tree.header.boot_cpuid_phys.to_string();
    let got = dtc(&["-I", "dts", "-O", "dtb", "-b", &cpuid], &dts_path, &tmp(&format!("{stem}.got.dtb")))?;
    if got != expected {
        let at = got.iter().zip(&expected).position(|(a, b)| a != b).unwrap_or(got.len().min(expected.len()));
        return Err(format!(
            "bytes differ at offset {at:#x} (got {} bytes, dtc {} bytes); DTS in {}",
            got.len(),
            expected.len(),
            dts_path.display()
        ));
    }
    Ok(())
}

fn files_in(dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_round_trips_through_dtc() {
    let files = files_in(CORPUS, &["dtb", "dtbo"]);
    assert_eq!(files.len(), 49, "corpus should have 49 blobs");
    let mut failures = Vec::new();
    for f in &files {
        if let Err(e) = round_trip(f, "corpus") {
            failures.push(format!("{}: {e}", f.file_name().unwrap().to_string_lossy()));
        }
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files do not round-trip:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// dtc 1.6.1's own decompiler breaks this blob (`"\05V_HUB_EN"` re-parses as octal);
/// ours must not, and must print the entry as a separate string.
#[test]
fn digit_after_nul_string_list_survives() {
    let path = Path::new(CORPUS).join("deb64_hisilicon_hi6220-hikey.dtb");
    round_trip(&path, "digit").unwrap();
    let tree = dtlens::dtb::read(&std::fs::read(&path).unwrap()).tree;
    let dts = dtlens::dts::print(&tree);
    assert!(dts.contains("\"5V_HUB_EN\""), "string list entry starting with a digit not printed as its own string");
    assert!(!dts.contains("\\05V"));
}

/// Every binding sample that needs no preprocessor compiles with dtc, and printing the
/// compiled blob and recompiling gives the same bytes.
#[test]
fn binding_samples_round_trip() {
    let samples = files_in(SAMPLES, &["dts"]);
    assert!(!samples.is_empty());
    let mut checked = 0;
    let mut failures = Vec::new();
    for s in &samples {
        let text = std::fs::read_to_string(s).unwrap();
        if text.lines().any(|l| l.trim_start().starts_with("#include") || l.contains("/include/")) {
            continue;
        }
        let stem = s.file_name().unwrap().to_string_lossy().to_string();
        let blob_path = tmp(&format!("sample-{stem}.dtb"));
        let result = dtc(&["-I", "dts", "-O", "dtb"], s, &blob_path).and_then(|_| round_trip(&blob_path, "sample"));
        if let Err(e) = result {
            failures.push(format!("{stem}: {e}"));
        }
        checked += 1;
    }
    for f in &failures {
        eprintln!("FAIL {f}");
    }
    assert!(checked >= 1, "no sample without #include found");
    assert!(failures.is_empty(), "samples failing:\n{}", failures.join("\n"));
}

/// A hand-built tree with values that stress the printer: strings with quotes, backslashes,
/// control characters and non-ASCII text, a digit right after a NUL, references, `/bits/ 64`,
/// odd-length bytes, and a memory reservation.
#[test]
fn hand_built_tree_round_trips() {
    use dtlens::{Property, Reservation, Tree};
    let mut t = Tree::new();
    t.reservations.push(Reservation { address: 0x8000_0000, size: 0x1000 });
    let r = t.root;
    let be = |cells: &[u32]| cells.iter().flat_map(|c| c.to_be_bytes()).collect::<Vec<u8>>();
    t.node_mut(r).props.extend([
        Property::new("#address-cells", be(&[1])),
        Property::new("#size-cells", be(&[1])),
        Property::new("compatible", "a\"q\\b\0grüße\t\n\0".as_bytes().to_vec()),
        Property::new("bell", b"ring\x07\x0b5\0x\0".to_vec()),
        Property::new("model", b"5V\x005V_HUB_EN\0\0x\0".to_vec()),
        Property::new("weird", b"a\0\x7f\x1b5\0".to_vec()),
        Property::new("xen,uefi-system-table", vec![0, 0, 0, 1, 0, 0, 0, 2]),
        Property::new("odd", vec![1, 2, 3]),
        Property::new("flag", Vec::new()),
        Property::new("interrupt-parent", be(&[1])),
    ]);
    let gic = t.add_child(r, "gic@1000");
    t.node_mut(gic).props.extend([
        Property::new("reg", be(&[0x1000, 0x100])),
        Property::new("#interrupt-cells", be(&[3])),
        Property::new("interrupt-controller", Vec::new()),
        Property::new("phandle", be(&[1])),
    ]);
    let clk = t.add_child(r, "clk");
    t.node_mut(clk).props.extend([Property::new("#clock-cells", be(&[1])), Property::new("linux,phandle", be(&[2]))]);
    let dev = t.add_child(r, "dev@2000");
    t.node_mut(dev).props.extend([
        Property::new("reg", be(&[0x2000, 0x10, 0x3000, 0x10])),
        Property::new("interrupts", be(&[0, 1, 4, 0, 2, 4])),
        Property::new("clocks", be(&[2, 7, 2, 8])),
        Property::new("other", be(&[2, 1])),
    ]);
    let sym = t.add_child(r, "__symbols__");
    t.node_mut(sym).props.push(Property::new("gic", b"/gic@1000\0".to_vec()));

    let dts = dtlens::dts::print(&t);
    assert!(dts.contains("gic: gic@1000 {"), "{dts}");
    assert!(dts.contains("clocks = <&{/clk} 0x7>, <&{/clk} 0x8>;"), "{dts}");
    assert!(dts.contains("interrupts = <0x0 0x1 0x4>, <0x0 0x2 0x4>;"), "{dts}");
    let dts_path = tmp("hand-built.dts");
    std::fs::write(&dts_path, &dts).unwrap();
    let blob = dtc(&["-I", "dts", "-O", "dtb"], &dts_path, &tmp("hand-built.dtb")).unwrap();
    let back = dtlens::dtb::read(&blob).tree;
    let root = |t: &Tree| t.node(t.root).props.clone();
    let names_values = |ps: Vec<Property>| ps.into_iter().map(|p| (p.name, p.value)).collect::<Vec<_>>();
    assert_eq!(names_values(root(&back)), names_values(root(&t)));
    assert_eq!(back.reservations, t.reservations);
    for path in ["/gic@1000", "/clk", "/dev@2000", "/__symbols__"] {
        let a = names_values(back.node(back.find(path).unwrap()).props.clone());
        let b = names_values(t.node(t.find(path).unwrap()).props.clone());
        assert_eq!(a, b, "{path}");
    }
}

/// Joins wrapped values back onto one line (wrapping depends on the column a value starts
/// at, which differs between a node printed alone and inside the whole file).
fn unwrap_values(s: &str) -> String {
    let mut out = String::new();
    for l in s.lines() {
        if out.ends_with(",\n") {
            out.pop();
            out.push(' ');
            out.push_str(l.trim_start());
        } else {
            out.push_str(l);
        }
        out.push('\n');
    }
    out
}

/// `print_node` of a node is exactly that node's block in `print`, one level less indented.
#[test]
fn print_node_matches_the_whole_file() {
    for name in ["deb64_hisilicon_hi6220-hikey.dtb", "qemu_qemu-aarch64-virt-a57.dtb", "deb32_xenvm-4.2.dtb"] {
        let tree = dtlens::dtb::read(&std::fs::read(Path::new(CORPUS).join(name)).unwrap()).tree;
        let whole = unwrap_values(&dtlens::dts::print(&tree));
        let children = tree.node(tree.root).children.clone();
        assert!(!children.is_empty());
        for c in children {
            let one = unwrap_values(&dtlens::dts::print_node(&tree, c));
            let indented: String =
                one.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("\t{l}\n") }).collect();
            assert!(whole.contains(&indented), "{name}: block of {} differs:\n{one}", tree.path(c));
        }
        let root = unwrap_values(&dtlens::dts::print_node(&tree, tree.root));
        assert_eq!(root, whole.split_once("\n/ {\n").map(|(_, b)| format!("/ {{\n{b}")).unwrap());
    }
}
