//! `dtlens edit` and DTS input on the command line, end to end: the resulting blobs are
//! read back and checked with dtc (and fdtput, for the script), and every refused edit
//! exits 2 with nothing written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use dtlens::Tree;

fn dtlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtlens")).args(args).output().expect("run dtlens")
}

fn corpus(name: &str) -> String {
    format!("{}/../shared/corpus/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> String {
    format!("{}/../shared/bindings/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> String {
    format!("{}/static/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A fresh path in this test's own directory (any stale file removed).
fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("edit_cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    let _ = std::fs::remove_file(&p);
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read_tree(p: &Path) -> Tree {
    let r = dtlens::dtb::read(&std::fs::read(p).unwrap());
    assert!(r.diagnostics.iter().all(|d| d.severity != dtlens::Severity::Error), "{:?}", r.diagnostics);
    r.tree
}

fn prop<'a>(t: &'a Tree, path: &str, name: &str) -> Option<&'a [u8]> {
    let id = t.find(path)?;
    t.node(id).prop(name).map(|p| p.value.as_slice())
}

/// `dtc -I <fmt> -O dtb` of a file.
fn dtc(fmt: &str, input: &Path, out: &Path) -> Vec<u8> {
    let o = Command::new("dtc").args(["-q", "-I", fmt, "-O", "dtb", "-o", s(out), s(input)]).output().unwrap();
    assert!(o.status.success(), "dtc: {}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(out).unwrap()
}

/// dtc re-writes the blob to the same bytes (it accepts it and we laid it out like dtc).
fn assert_dtc_agrees(p: &Path) {
    let again = dtc("dtb", p, &p.with_extension("dtc.dtb"));
    assert_eq!(again, std::fs::read(p).unwrap(), "dtc re-wrote {} differently", p.display());
}

fn strings(list: &[&str]) -> Vec<u8> {
    list.iter().flat_map(|s| s.bytes().chain([0])).collect()
}

fn cells(c: &[u32]) -> Vec<u8> {
    c.iter().flat_map(|x| x.to_be_bytes()).collect()
}

#[test]
fn set_delete_rename_mknode_move_in_order() {
    let out = tmp("xenvm-edited.dtb");
    let r = dtlens(&[
        "edit",
        &corpus("deb32_xenvm-4.2.dtb"),
        "--set",
        "/hypervisor:compatible=\"xen,xen-4.19\", \"xen,xen\"",
        "--set",
        "/hypervisor:reg=<0x0 0xb0000000 0x0 0x20000>",
        "--set=/chosen:xen,dom0-bootargs=\"console=hvc0\"",
        "--set",
        "/:dtlens,flag=",
        "--set",
        "/chosen:#address-cells=<2>",
        "--set",
        "/chosen:#size-cells=<2>",
        "--mknode",
        "/chosen/module@0",
        "--set",
        "/chosen/module@0:compatible=\"multiboot,kernel\", \"multiboot,module\"",
        "--set",
        "/chosen/module@0:where=&{/hypervisor}",
        "--set",
        "/chosen/module@0:reg=<0x0 0x40000000 0x0 0x800000>",
        "--rename",
        "/chosen:xen,dom0-bootargs=bootargs2",
        "--delete",
        "/chosen:bootargs",
        "--rename",
        "/chosen/module@0=module@40000000",
        "--mknode",
        "/extra",
        "--move",
        "/extra=/chosen",
        "-o",
        s(&out),
    ]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(0), "{err}");
    let t = read_tree(&out);
    assert_eq!(prop(&t, "/hypervisor", "compatible"), Some(strings(&["xen,xen-4.19", "xen,xen"]).as_slice()));
    assert_eq!(prop(&t, "/hypervisor", "reg"), Some(cells(&[0, 0xb000_0000, 0, 0x20000]).as_slice()));
    assert_eq!(prop(&t, "/", "dtlens,flag"), Some(&[][..]));
    assert_eq!(prop(&t, "/chosen", "bootargs2"), Some(strings(&["console=hvc0"]).as_slice()));
    assert_eq!(prop(&t, "/chosen", "bootargs"), None);
    assert_eq!(prop(&t, "/chosen", "xen,dom0-bootargs"), None);
    assert_eq!(prop(&t, "/chosen/module@40000000", "where"), Some(strings(&["/hypervisor"]).as_slice()));
    assert!(t.find("/chosen/module@0").is_none());
    assert!(t.find("/chosen/extra").is_some() && t.find("/extra").is_none());
    // Nothing else changed: the untouched nodes keep their bytes.
    let orig = dtlens::dtb::read(&std::fs::read(corpus("deb32_xenvm-4.2.dtb")).unwrap()).tree;
    for path in ["/cpus", "/cpus/cpu@0", "/timer", "/memory@80000000"] {
        let (a, b) = (t.find(path), orig.find(path));
        assert!(a.is_some() && b.is_some(), "{path}");
        let pv = |t: &Tree, id| t.node(id).props.iter().map(|p| (p.name.clone(), p.value.clone())).collect::<Vec<_>>();
        assert_eq!(pv(&t, a.unwrap()), pv(&orig, b.unwrap()), "{path}");
    }
    assert_dtc_agrees(&out);
    // The summary names each change, in order.
    let set = err.find("set /hypervisor:compatible = \"xen,xen-4.19\", \"xen,xen\"").expect(&err);
    let mv = err.find("move /extra under /chosen").expect(&err);
    assert!(set < mv, "{err}");
    assert!(err.contains("15 changes (0 from fixes)"), "{err}");
}

#[test]
fn a_cell_reference_gives_the_target_a_phandle() {
    let out = tmp("phandle.dtb");
    let r = dtlens(&[
        "edit",
        &corpus("deb32_xenvm-4.2.dtb"),
        "--set",
        "/timer:dtlens,ref=<&{/cpus/cpu@0} 7>",
        "-o",
        s(&out),
    ]);
    assert!(r.status.code() == Some(0), "{}", stderr(&r));
    let t = read_tree(&out);
    let ph = prop(&t, "/cpus/cpu@0", "phandle").expect("phandle added").to_vec();
    let max_before = dtlens::dtb::read(&std::fs::read(corpus("deb32_xenvm-4.2.dtb")).unwrap())
        .tree
        .phandles()
        .keys()
        .copied()
        .max()
        .unwrap();
    assert_eq!(ph, (max_before + 1).to_be_bytes());
    let mut want = ph.clone();
    want.extend(7u32.to_be_bytes());
    assert_eq!(prop(&t, "/timer", "dtlens,ref"), Some(want.as_slice()));
    assert!(stderr(&r).contains("set /cpus/cpu@0:phandle"), "{}", stderr(&r));
    assert_dtc_agrees(&out);
}

#[test]
fn fix_applies_the_rules_fixes_and_rechecks() {
    let out = tmp("order-fixed.dtb");
    let input = example("learn-xen-broken-compatible-order.dtb");
    let before = dtlens(&["check", &input]);
    assert_eq!(before.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&before.stdout).contains("[xen-compatible-order]"));

    let r = dtlens(&["edit", &input, "--fix", "xen-compatible-order", "-o", s(&out)]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(0), "{err}");
    assert!(err.contains("fix set /hypervisor:compatible = \"xen,xen-4.19\", \"xen,xen\""), "{err}");
    assert!(err.contains("1 change (1 from fixes)"), "{err}");
    let t = read_tree(&out);
    assert_eq!(prop(&t, "/hypervisor", "compatible"), Some(strings(&["xen,xen-4.19", "xen,xen"]).as_slice()));
    assert_dtc_agrees(&out);
    let after = dtlens(&["check", s(&out)]);
    assert_eq!(after.status.code(), Some(0), "{}", String::from_utf8_lossy(&after.stdout));

    // `all` on the 2012 proposal: every fix applied, each once, and the tree stays valid.
    let out = tmp("2012-fixed.dtb");
    let r = dtlens(&["edit", &example("xen-2012-proposal.dtb"), "--fix", "all", "-o", s(&out)]);
    let err = stderr(&r);
    assert!(matches!(r.status.code(), Some(0 | 1)), "{err}");
    assert!(err.contains("from fixes)"), "{err}");
    let fixes = err.lines().filter(|l| l.starts_with("dtlens edit: fix ")).count();
    assert!(fixes >= 1, "{err}");
    assert_dtc_agrees(&out);
    // A fix that would add an error is taken back: deleting /hypervisor's #size-cells
    // (not in today's binding) would break its grant_table child's reg.
    assert!(err.contains("fix skipped: delete /hypervisor:#size-cells would add"), "{err}");
    assert!(err.contains("[dt-reg-format]"), "{err}");
    let t = read_tree(&out);
    assert!(prop(&t, "/hypervisor", "#size-cells").is_some());
    assert_eq!(prop(&t, "/hypervisor", "compatible"), Some(strings(&["xen,xen-4.2", "xen,xen"]).as_slice()));
    // Exit 1 exactly when errors remain, and they are named.
    let remaining = err.lines().filter(|l| l.contains("error remains:")).count();
    assert_eq!(r.status.code(), Some(if remaining > 0 { 1 } else { 0 }), "{err}");

    // An unknown rule is a usage error.
    let r = dtlens(&["edit", &input, "--fix", "no-such-rule", "-o", s(&tmp("x.dtb"))]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("no such rule"), "{}", stderr(&r));
}

#[test]
fn remaining_errors_exit_1_and_are_named() {
    let out = tmp("noreg.dtb");
    let r = dtlens(&["edit", &corpus("deb32_xenvm-4.2.dtb"), "--delete", "/hypervisor:reg", "-o", s(&out)]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(1), "{err}");
    assert!(err.contains("error remains: /hypervisor: error:") && err.contains("[xen-reg-present]"), "{err}");
    assert!(prop(&read_tree(&out), "/hypervisor", "reg").is_none());
}

#[test]
fn refused_edits_exit_2_and_write_nothing() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let cases: &[(&[&str], &str)] = &[
        (&["--set", "/hypervisor:reg=<0x0 0xb0000000"], "bad value"),
        (&["--set", "/hypervisor:compatible=\"unterminated"], "bad value"),
        (&["--set", "/hypervisor:x=<&nolabel>"], "nolabel"),
        (&["--set", "/nonexistent:x=<1>"], "no node /nonexistent"),
        (&["--delete", "/nonexistent"], "no node /nonexistent"),
        (&["--delete", "/hypervisor:nonexistent"], "has no property nonexistent"),
        (&["--rename", "/hypervisor=bad name"], "contains ' '"),
        (&["--rename", "/hypervisor=cpus"], "already has a child named cpus"),
        (&["--mknode", "/chosen/Bad$Name"], "contains '$'"),
        (&["--mknode", "/no/such/parent"], "no node /no/such"),
        (&["--set", "/hypervisor:bad name=<1>"], "contains ' '"),
        (&["--set", "hypervisor:reg=<1>"], "not a full node path"),
        (&["--move", "/cpus=/cpus/cpu@0"], "into itself"),
        (&["--set", "/hypervisor=<1>"], "PATH:PROP=VALUE"),
        // A good edit before a refused one: still nothing written.
        (&["--set", "/:model=\"ok\"", "--delete", "/gone"], "no node /gone"),
    ];
    for (i, (args, msg)) in cases.iter().enumerate() {
        let out = tmp(&format!("refused-{i}.dtb"));
        let mut all = vec!["edit", input.as_str()];
        all.extend_from_slice(args);
        all.extend(["-o", s(&out)]);
        let r = dtlens(&all);
        let err = stderr(&r);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: expected {msg:?} in {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "{args:?} wrote {}", out.display());
    }
    // The value error points at the column, with the excerpt.
    let r = dtlens(&["edit", &input, "--set", "/hypervisor:reg=<0x0 zz>", "-o", s(&tmp("col.dtb"))]);
    let err = stderr(&r);
    assert!(err.contains("at column 6"), "{err}");
    assert!(err.contains("<0x0 zz>") && err.contains('^'), "{err}");
    // No edit at all, or no output: usage errors.
    assert_eq!(dtlens(&["edit", &input, "-o", s(&tmp("none.dtb"))]).status.code(), Some(2));
    assert_eq!(dtlens(&["edit", &input, "--delete", "/chosen"]).status.code(), Some(2));
}

#[test]
fn script_prints_the_changes_for_uboot_and_fdtput() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let edits = [
        "--set",
        "/hypervisor:compatible=\"xen,xen-4.19\", \"xen,xen\"",
        "--set",
        "/chosen:xen,xen-bootargs=\"console=dtuart dtuart=serial0\"",
        "--mknode",
        "/chosen/module@40000000",
        "--set",
        "/chosen/module@40000000:reg=<0x0 0x40000000 0x800000>",
        "--delete",
        "/chosen:bootargs",
        "--rename",
        "/hypervisor=hypervisor@b0000000",
    ];
    let mut args = vec!["edit", input.as_str()];
    args.extend(edits);
    args.extend(["--script", "uboot"]);
    let r = dtlens(&args);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let text = String::from_utf8(r.stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with("# U-Boot")).collect();
    assert_eq!(
        lines,
        [
            "fdt set /hypervisor compatible \"xen,xen-4.19\" \"xen,xen\"",
            "fdt set /chosen xen,xen-bootargs \"console=dtuart dtuart=serial0\"",
            "fdt mknode /chosen module@40000000",
            "fdt set /chosen/module@40000000 reg \"<0x0 0x40000000 0x800000>\"",
            "fdt rm /chosen bootargs",
            "# not expressible in U-Boot: rename node /hypervisor to hypervisor@b0000000",
        ]
    );
    assert!(stderr(&r).contains("nothing written"), "{}", stderr(&r));

    // fdtput: run the lines on a copy of the input; the result has the same content as
    // our edited blob for everything fdtput can express (the rename is left out).
    let copy = tmp("fdtput-copy.dtb");
    std::fs::copy(&input, &copy).unwrap();
    let ours = tmp("fdtput-ours.dtb");
    let mut args = vec!["edit", s(&copy)];
    args.extend(&edits[..edits.len() - 2]);
    args.extend(["--script", "fdtput", "-o", s(&ours)]);
    let r = dtlens(&args);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let script = String::from_utf8(r.stdout).unwrap();
    assert!(script.starts_with("#!/bin/sh\nset -e\n"), "{script}");
    assert!(script.contains(&format!("fdtput -c {} /chosen/module@40000000", s(&copy))), "{script}");
    let sh = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    assert!(sh.status.success(), "{}\n{script}", String::from_utf8_lossy(&sh.stderr));
    assert_eq!(content(&read_tree(&copy)), content(&read_tree(&ours)));
}

/// A tree's content regardless of order (fdtput inserts new properties and nodes first,
/// dtlens last): path → sorted properties.
fn content(t: &Tree) -> BTreeMap<String, Vec<(String, Vec<u8>)>> {
    t.walk()
        .map(|(id, _)| {
            let mut props: Vec<_> = t.node(id).props.iter().map(|p| (p.name.clone(), p.value.clone())).collect();
            props.sort();
            (t.path(id), props)
        })
        .collect()
}

#[test]
fn dts_input_compiles_like_dtc() {
    let src = sample("linux-xenvm-4.2.dts");
    let ours = tmp("xenvm-sample.dtb");
    let r = dtlens(&["dtb", &src, "-o", s(&ours)]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let theirs = dtc("dts", Path::new(&src), &tmp("xenvm-sample.dtc.dtb"));
    assert_eq!(std::fs::read(&ours).unwrap(), theirs);

    // `dts` on source prints DTS that compiles to the same blob.
    let r = dtlens(&["dts", &src]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let printed = tmp("xenvm-sample.printed.dts");
    std::fs::write(&printed, &r.stdout).unwrap();
    assert_eq!(dtc("dts", &printed, &tmp("xenvm-printed.dtb")), theirs);

    // Detection is by content: the same source under a .dtb name, and from stdin.
    let renamed = tmp("source-named.dtb");
    std::fs::copy(&src, &renamed).unwrap();
    let r = dtlens(&["dtb", s(&renamed), "-o", s(&tmp("renamed-out.dtb"))]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(std::fs::read(tmp_keep("renamed-out.dtb")).unwrap(), theirs);

    let mut child = Command::new(env!("CARGO_BIN_EXE_dtlens"))
        .args(["dtb", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &std::fs::read(&src).unwrap()).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success());
    assert_eq!(piped.stdout, theirs);

    // And `edit` works on source input too.
    let edited = tmp("xenvm-sample-edited.dtb");
    let r = dtlens(&["edit", &src, "--set", "/:model=\"edited\"", "-o", s(&edited)]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(prop(&read_tree(&edited), "/", "model"), Some(&b"edited\0"[..]));
    // ... and writes DTS with -O dts.
    let r = dtlens(&["edit", &src, "--set", "/:model=\"edited\"", "-O", "dts", "-o", "-"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.starts_with("/dts-v1/;") && text.contains("model = \"edited\";"), "{text}");
}

/// The path of a file created earlier in this test (not removed).
fn tmp_keep(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("edit_cli").join(name)
}

#[test]
fn dts_errors_point_at_line_and_column_and_exit_2() {
    let bad = tmp("bad.dts");
    std::fs::write(&bad, "/dts-v1/;\n\n/ {\n\tmodel = \"x\"\n\tcompatible = \"y\";\n};\n").unwrap();
    let out = tmp("bad-out.dtb");
    let r = dtlens(&["dtb", s(&bad), "-o", s(&out)]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("{}:5:", s(&bad))) && err.contains(": error: "), "{err}");
    assert!(err.contains("compatible = \"y\";") && err.contains('^'), "excerpt missing: {err}");
    assert!(!out.exists());

    // A source dtc would refuse (a duplicate node) is refused too, unless --force.
    let dup = tmp("dup.dts");
    std::fs::write(&dup, "/dts-v1/;\n/ { a { }; a { }; };\n").unwrap();
    let r = dtlens(&["dtb", s(&dup), "-o", s(&tmp("dup.dtb"))]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains(":2:12: error: duplicate node name"), "{}", stderr(&r));
    assert!(stderr(&r).contains("--force"), "{}", stderr(&r));
    assert!(!tmp_keep("dup.dtb").exists());
    assert_eq!(dtlens(&["dtb", "--force", s(&dup), "-o", s(&tmp("dup.dtb"))]).status.code(), Some(0));

    // #include: the cpp hint.
    let inc = tmp("cpp.dts");
    std::fs::write(&inc, "#include <dt-bindings/gpio/gpio.h>\n/dts-v1/;\n/ { };\n").unwrap();
    let r = dtlens(&["dts", s(&inc)]);
    let err = stderr(&r);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(err.contains("cpp"), "{err}");

    // -I dts forces source reading; -I dtb forces the blob reader.
    let r = dtlens(&["dts", "-I", "dtb", &sample("linux-xenvm-4.2.dts")]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("add -I dts"), "{}", stderr(&r));
    let r = dtlens(&["dts", "-I", "nonsense", &sample("linux-xenvm-4.2.dts")]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn include_search_path() {
    let dir = tmp("incdir-marker").parent().unwrap().join("incdir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("board-common.dtsi"), "/ { model = \"from include\"; };\n").unwrap();
    let main = tmp("with-include.dts");
    std::fs::write(&main, "/dts-v1/;\n/ { compatible = \"x\"; };\n/include/ \"board-common.dtsi\"\n").unwrap();

    let r = dtlens(&["dtb", s(&main), "-o", s(&tmp("inc-fail.dtb"))]);
    assert_eq!(r.status.code(), Some(2), "found the include without -i");
    assert!(stderr(&r).contains("board-common.dtsi"), "{}", stderr(&r));

    let out = tmp("inc.dtb");
    let r = dtlens(&["dtb", "-i", dir.to_str().unwrap(), s(&main), "-o", s(&out)]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let o = Command::new("dtc")
        .args(["-q", "-I", "dts", "-O", "dtb", "-i", dir.to_str().unwrap(), "-o", s(&tmp("inc.dtc.dtb")), s(&main)])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(tmp_keep("inc.dtc.dtb")).unwrap());
    assert_eq!(prop(&read_tree(&out), "/", "model"), Some(&b"from include\0"[..]));
}
