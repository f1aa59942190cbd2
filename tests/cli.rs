//! The CLI as a user runs it: exit codes, help, messages, and the output files.

use std::process::{Command, Output};

fn dtlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtlens")).args(args).output().expect("run dtlens")
}

fn corpus(name: &str) -> String {
    format!("{}/../shared/corpus/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

#[test]
fn help_lists_every_command_and_each_has_help() {
    let out = dtlens(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for c in dtlens::cli::COMMANDS {
        assert!(text.contains(c.name), "--help misses {}", c.name);
        let sub = dtlens(&[c.name, "--help"]);
        assert!(sub.status.success(), "{} --help failed", c.name);
        let sub = String::from_utf8(sub.stdout).unwrap();
        assert!(sub.contains(c.usage), "{} --help lacks its usage line", c.name);
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(dtlens(&[]).status.code(), Some(2));
    assert_eq!(dtlens(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(dtlens(&["dts"]).status.code(), Some(2));
    assert_eq!(dtlens(&["dts", "--bogus", "x.dtb"]).status.code(), Some(2));
    let out = dtlens(&["dts", "/nonexistent/file.dtb"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/file.dtb"));
}

#[test]
fn garbage_input_is_refused_with_an_offset_and_no_panic() {
    let path = tmp("garbage.dtb");
    std::fs::write(&path, b"this is not a device tree blob at all, just text\n").unwrap();
    for cmd in ["dts", "dtb", "info"] {
        let out = dtlens(&[cmd, path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        let all = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
        assert!(all.contains("at 0x0"), "{cmd}: no offset in {all}");
        assert!(!err.contains("panicked"), "{cmd}: {err}");
    }
}

#[test]
fn dtb_round_trips_a_corpus_blob_like_dtc() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let out = tmp("xenvm-rt.dtb");
    let r = dtlens(&["dtb", &input, "-o", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // dtc-built input with no slack: the rewrite is the same bytes.
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&input).unwrap());
}

#[test]
fn dts_prints_the_hypervisor_node() {
    let r = dtlens(&["dts", &corpus("deb32_xenvm-4.2.dtb")]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.starts_with("/dts-v1/;"), "{text}");
    assert!(text.contains("hypervisor {"), "{text}");
    assert!(text.contains("\"xen,xen-4.2\", \"xen,xen\""), "{text}");
}

#[test]
fn info_reports_header_and_hypervisor() {
    let r = dtlens(&["info", &corpus("deb32_xenvm-4.2.dtb")]);
    assert!(r.status.success());
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.contains("version 17"), "{text}");
    assert!(text.contains("hypervisor node: /hypervisor [xen,xen-4.2, xen,xen]"), "{text}");
}

#[test]
fn info_compiles_dts_source_and_refuses_broken_source() {
    let good = tmp("info-good.dts");
    std::fs::write(&good, "/dts-v1/;\n/ { hypervisor { compatible = \"xen,xen-4.19\", \"xen,xen\"; }; };\n").unwrap();
    let r = dtlens(&["info", good.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let text = String::from_utf8(r.stdout).unwrap();
    assert!(text.contains("nodes: 2"), "{text}");
    assert!(text.contains("hypervisor node: /hypervisor [xen,xen-4.19, xen,xen]"), "{text}");

    let bad = tmp("info-bad.dts");
    std::fs::write(&bad, "/dts-v1/;\n/ { a = <1>\n").unwrap();
    let r = dtlens(&["info", bad.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("info-bad.dts") && !err.contains("panicked"), "{err}");
}
