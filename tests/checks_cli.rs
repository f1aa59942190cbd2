//! `dtlens check`, `dtlens rules`, `dtlens explain` end to end: output format, JSON fields,
//! levels and toggles, exit codes.

mod checks_support;

use checks_support::*;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_dtlens");
const ZEPHYR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/src_zephyr-boards-xen-xenvm-xenvm.dtb");
const DEBIAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/deb32_xenvm-4.2.dtb");

/// Families D-G are another test file's business: exit codes here depend on A-C only.
const ONLY_ABC: [&str; 8] = ["--no", "dom0less", "--no", "hv", "--no", "dt", "--no", "dtc"];

fn dtlens(args: &[&str]) -> (i32, String, String) {
    let mut a: Vec<&str> = args.to_vec();
    if a.first() == Some(&"check") {
        a.splice(1..1, ONLY_ABC);
    }
    let o = Command::new(BIN).args(&a).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn text_output_and_exit_codes() {
    let (code, out, err) = dtlens(&["check", ZEPHYR]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.lines().any(|l| l.starts_with("/hypervisor@38000000: error: node is named \"hypervisor@38000000\"")
            && l.ends_with("[xen-node-name]")),
        "{out}"
    );
    assert!(out
        .lines()
        .any(|l| l.starts_with("/hypervisor@38000000:compatible: error: ") && l.ends_with("[xen-compatible-order]")));
    assert!(err.contains("errors,"), "{err}");

    let (code, out, _) = dtlens(&["check", DEBIAN]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("info: Xen ABI version 4.2"), "{out}");

    // Turning the two error rules off leaves no error.
    let (code, out, _) = dtlens(&["check", "--no", "xen-node-name", "--no", "xen-compatible-order", ZEPHYR]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("[xen-node-name]") && out.contains("[xen-compatible-count]"));

    // --werror turns the remaining warnings into errors.
    let (code, out, _) =
        dtlens(&["check", "--werror", "--no", "xen-node-name", "--no", "xen-compatible-order", ZEPHYR]);
    assert_eq!(code, 1);
    assert!(out.contains(": error: compatible has 1 string"), "{out}");

    // -W downgrades; --no on a family silences it.
    let (code, out, _) = dtlens(&["check", "-W", "xen-node-name", "-W", "xen-compatible-order", ZEPHYR]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("/hypervisor@38000000: warning: node is named"));
    let (_, out, _) = dtlens(&["check", "--no", "xen", ZEPHYR]);
    assert!(!out.contains("[xen-"), "{out}");

    // Several files: each line names its file.
    let (code, out, _) = dtlens(&["check", DEBIAN, ZEPHYR]);
    assert_eq!(code, 1);
    assert!(out.lines().all(|l| l.starts_with(DEBIAN) || l.starts_with(ZEPHYR)), "{out}");
}

#[test]
fn json_output() {
    let (code, out, _) = dtlens(&["check", "--format", "json", ZEPHYR]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert!(!arr.is_empty());
    for f in arr {
        let o = f.as_object().unwrap();
        for k in ["file", "rule", "severity", "path", "property", "message", "offset", "fix"] {
            assert!(o.contains_key(k), "missing {k} in {f}");
        }
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["offset"].is_u64(), "{f}");
    }
    let name = arr.iter().find(|f| f["rule"] == "xen-node-name").unwrap();
    assert_eq!(name["path"], "/hypervisor@38000000");
    assert_eq!(name["property"], serde_json::Value::Null);
    assert_eq!(name["fix"]["op"], "rename-node");
    assert_eq!(name["fix"]["new_name"], "hypervisor");
    assert_eq!(name["file"], ZEPHYR);
}

#[test]
fn unreadable_input_and_usage_errors() {
    let dir = std::env::temp_dir().join(format!("dtlens-checks-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let junk = dir.join("junk.dtb");
    std::fs::write(&junk, b"this is not a device tree").unwrap();
    let (code, _, err) = dtlens(&["check", junk.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = dtlens(&["check", dir.join("missing.dtb").to_str().unwrap()]);
    assert_eq!(code, 2);
    let (code, _, err) = dtlens(&["check", "--no", "no-such-rule", DEBIAN]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule or family `no-such-rule`"), "{err}");
    let (code, _, _) = dtlens(&["check", "--level", "w9", DEBIAN]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_input() {
    let dtb = compile(&fixture("xen-guest-good.dts"));
    let mut child = Command::new(BIN)
        .args(["check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&dtb).unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("info: Xen ABI version 4.19"), "{out}");
}

#[test]
fn rules_and_explain() {
    let (code, out, _) = dtlens(&["rules"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), dtlens::check::all().count());
    assert!(out.lines().any(|l| l.starts_with("xen-compatible-order ") && l.contains("error")));

    let (_, out, _) = dtlens(&["rules", "--format", "json", "--family", "epapr"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), dtlens::check::registry::family(dtlens::check::RuleFamily::Epapr).len());
    assert!(v.as_array().unwrap().iter().all(|r| r["family"] == "epapr" && r["sources"].is_array()));

    let (code, out, _) = dtlens(&["explain", "xen-node-name"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("xen-node-name\n"));
    assert!(
        out.contains("Contested") && out.contains("Sources:") && out.contains("S5: Linux arch/arm/xen/enlighten.c")
    );
    let (code, _, err) = dtlens(&["explain", "node-name"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean") && err.contains("xen-node-name"), "{err}");
}

#[test]
fn last_flag_wins_and_dts_input() {
    let (code, out, _) =
        dtlens(&["check", "-E", "xen-node-name", "--no", "xen-node-name", "--no", "xen-compatible-order", ZEPHYR]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("[xen-node-name]"));
    let (code, out, _) =
        dtlens(&["check", "--no", "xen-node-name", "-W", "xen-node-name", "--no", "xen-compatible-order", ZEPHYR]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("/hypervisor@38000000: warning: node is named"), "{out}");
    // A DTS file is checked directly (read by content).
    let dts = format!("{FIXTURES}/xen-guest-good.dts");
    let (code, out, err) = dtlens(&["check", &dts]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/hypervisor:compatible: info: Xen ABI version 4.19"), "{out}");
}
