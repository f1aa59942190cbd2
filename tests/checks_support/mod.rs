//! Shared helpers of the `checks_*` integration tests: compile DTS with dtc, read the blob
//! with dtlens's reader, run the checks.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use dtlens::check::{self, Config, Finding, Level, RuleFamily, Severity};
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

/// What a table-driven rule case expects of its rule.
pub enum Expect {
    /// A finding of the rule at this severity, on this path, whose message contains the text.
    Fires(Severity, &'static str, &'static str),
    /// No finding of the rule at all.
    Silent,
    /// No finding of the rule above info.
    Clean,
}

/// One row of a family's rule table: a rule, what the case shows, the DTS, the expectation.
pub struct Case {
    pub rule: &'static str,
    pub what: &'static str,
    pub dts: String,
    pub expect: Expect,
}

pub fn case(rule: &'static str, what: &'static str, dts: String, expect: Expect) -> Case {
    Case { rule, what, dts, expect }
}

/// Runs one case; the error says what was expected and what came out.
pub fn check_case(c: &Case) -> Result<(), String> {
    let f = findings(&c.dts);
    let mine = of_rule(&f, c.rule);
    let ok = match &c.expect {
        Expect::Fires(sev, path, text) => {
            mine.iter().any(|x| x.severity == *sev && x.path == *path && x.message.contains(text))
        }
        Expect::Silent => mine.is_empty(),
        Expect::Clean => mine.iter().all(|x| x.severity == Severity::Info),
    };
    if ok {
        return Ok(());
    }
    let want = match &c.expect {
        Expect::Fires(s, p, t) => format!("a {} on {p} containing {t:?}", s.as_str()),
        Expect::Silent => "no finding".into(),
        Expect::Clean => "nothing above info".into(),
    };
    Err(format!(
        "{} [{}]: expected {want}, got:\n{}",
        c.rule,
        c.what,
        show(&mine.into_iter().cloned().collect::<Vec<_>>())
    ))
}

/// Runs every case and asserts all passed, listing the failures.
pub fn assert_cases(cases: &[Case]) {
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The rules of `family` that lack a firing case or a quiet case in `cases`.
pub fn rules_without_both_cases(cases: &[Case], family: RuleFamily) -> Vec<String> {
    let mut missing = Vec::new();
    for r in check::registry::family(family) {
        let fires = cases.iter().any(|c| c.rule == r.id && matches!(c.expect, Expect::Fires(..)));
        let quiet = cases.iter().any(|c| c.rule == r.id && !matches!(c.expect, Expect::Fires(..)));
        if !fires || !quiet {
            missing.push(format!("{} (fires: {fires}, quiet: {quiet})", r.id));
        }
    }
    missing
}

/// Every corpus blob (`.dtb` and `.dtbo`), by file name in sorted order, read into a tree.
pub fn corpus_trees() -> Vec<(String, Tree)> {
    let mut v: Vec<(String, Tree)> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().to_string();
            (name.ends_with(".dtb") || name.ends_with(".dtbo"))
                .then(|| (name, tree_of_dtb(&std::fs::read(&p).unwrap())))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}
