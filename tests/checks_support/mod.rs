//! Shared helpers of the `checks_*` integration tests: compile DTS with dtc, read the blob
//! with dtlens's reader, run the checks.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use dtlens::check::{self, Config, Finding, Level, Severity};
use dtlens::Tree;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/checks");
pub const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bindings/samples");
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// DTS source → DTB bytes with dtc (errors forced through with `-f`, warnings quiet).
pub fn compile(dts: &str) -> Vec<u8> {
    let mut child = Command::new("dtc")
        .args(["-q", "-f", "-I", "dts", "-O", "dtb", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dtc runs");
    child.stdin.take().unwrap().write_all(dts.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.stdout.is_empty(), "dtc failed: {}\n{dts}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

pub fn tree_of_dtb(bytes: &[u8]) -> Tree {
    dtlens::dtb::read(bytes).tree
}

pub fn tree(dts: &str) -> Tree {
    tree_of_dtb(&compile(dts))
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

pub fn sample(name: &str) -> String {
    std::fs::read_to_string(format!("{SAMPLES}/{name}")).unwrap()
}

/// `base` with `from` replaced by `to`; panics when `from` does not occur (so a fixture
/// change cannot silently turn a failing case into a passing one).
pub fn edit(base: &str, from: &str, to: &str) -> String {
    assert!(base.contains(from), "fixture has no {from:?}");
    base.replacen(from, to, 1)
}

/// All findings at the w2 level (every rule on).
pub fn findings(dts: &str) -> Vec<Finding> {
    check::run(&tree(dts), &Config { level: Level::W2, ..Config::default() })
}

pub fn of_rule<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

pub fn show(f: &[Finding]) -> String {
    f.iter().map(|x| format!("  {x}\n")).collect()
}

pub fn worst(f: &[&Finding]) -> Option<Severity> {
    f.iter().map(|x| x.severity).max()
}
