//! Replays every kept fuzz input through the property its fuzz target checks.
//!
//! `tests/fuzz_regressions/<target>/` holds, for each fuzz target, every input that ever
//! crashed it (named `crash-*`, `timeout-*`, `oom-*` as libFuzzer wrote them) and a small
//! minimised set of corpus inputs that reach far into the code. The properties live in
//! `tests/fuzz_support/mod.rs`, which the fuzz targets include too, so a kept input is
//! checked exactly as the fuzzer checked it. See fuzz/README.md for how inputs are added.

mod fuzz_support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fuzz_regressions");

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(DIR).join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn replay(target: &str) {
    let (_, property) = fuzz_support::TARGETS.iter().find(|(name, _)| *name == target).expect("a known target");
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no kept inputs for {target}");
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, data)| catch_unwind(AssertUnwindSafe(|| property(data))).is_err())
        .map(|(name, _)| format!("tests/fuzz_regressions/{target}/{name}"))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs violate the property: {failed:#?}",
        failed.len(),
        inputs.len()
    );
}

#[test]
fn read_inputs_hold() {
    replay("read");
}

#[test]
fn dts_parse_inputs_hold() {
    replay("dts_parse");
}

#[test]
fn share_decode_inputs_hold() {
    replay("share_decode");
}

#[test]
fn edit_ops_inputs_hold() {
    replay("edit_ops");
}

/// Every directory is a target and every target has a directory and a fuzz target, so an
/// input kept under a misspelt name is not silently skipped.
#[test]
fn directories_match_the_targets() {
    let mut dirs: Vec<String> =
        std::fs::read_dir(DIR).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    dirs.sort();
    let mut targets: Vec<String> = fuzz_support::TARGETS.iter().map(|(n, _)| n.to_string()).collect();
    targets.sort();
    assert_eq!(dirs, targets);
    for t in &targets {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets").join(format!("{t}.rs"));
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        assert!(text.contains(&format!("support::{t}(")), "{} does not check support::{t}", src.display());
    }
}
