//! `dtlens edit`: change a tree from the command line with the same operations the browser
//! uses ([`crate::edit::Op`]), apply the checks' mechanical fixes, and write the result, the
//! changes as a U-Boot or fdtput script, or both.

use super::{load_tree, output_path, write_output, Args, CliError, Command, InputOptions, EXIT_FINDINGS, EXIT_OK};
use crate::check::{self, Config, Finding, Override};
use crate::edit::{phandle_op, History, Op};
use std::collections::HashSet;

pub const COMMAND: Command = Command {
    name: "edit",
    summary: "Edit a DTB or DTS: set, delete, rename, add nodes, apply fixes; write it or a script",
    usage: "dtlens edit [--set PATH:PROP=VALUE]... [--delete PATH[:PROP]]... [--rename PATH[:PROP]=NEW]... [--mknode PATH]... [--move PATH=NEWPARENT]... [--fix RULE|all]... [--script uboot|fdtput] [-O dtb|dts] [-o OUT] FILE",
    help: "\
Reads FILE (a .dtb or DTS source, or - for standard input), applies the edits in the order
they are given, then the mechanical fixes asked for with --fix, and writes the result to OUT.

Edits:
  --set PATH:PROP=VALUE     set property PROP of node PATH (added last when missing). VALUE
                            is DTS value syntax: '\"xen,xen-4.19\", \"xen,xen\"',
                            '<0x0 0xb0000000 0x0 0x20000>', '/bits/ 64 <1>', '[00 11]', an
                            empty VALUE for a boolean property. References: &{/path} or
                            &label (a label of /__symbols__) give the path string; inside
                            <...> they give the node's phandle, and a node without one gets
                            a new `phandle` property first.
  --delete PATH             delete node PATH with its subtree
  --delete PATH:PROP        delete property PROP of PATH
  --rename PATH=NEWNAME     rename node PATH (NEWNAME is name or name@unit)
  --rename PATH:PROP=NEW    rename property PROP of PATH
  --mknode PATH             add an empty node PATH (its parent must exist)
  --move PATH=NEWPARENT     move node PATH (with its subtree) to be the last child of NEWPARENT
  --fix RULE|all            after the edits, apply the mechanical fix of every current
                            finding of RULE (a rule id; it runs even when off by default),
                            or of every default rule that offers one. Checks re-run after
                            each fix, so fixes never work on stale findings. A fix that
                            would be refused, or that would add a finding of error
                            severity, is skipped (taken back) with a message. Repeatable.
PATHs are full node paths, exact (/hypervisor does not match /hypervisor@b0000000).

Output:
  -o, --output OUT          write the edited tree to OUT (- for standard output)
  -O, --out-format dtb|dts  write a blob (default) or DTS source
  --script uboot|fdtput     print every change (edits and fixes, in order) to standard
                            output as U-Boot `fdt` commands or as fdtput command lines on
                            FILE (fdtput edits in place). Changes these tools cannot make
                            (renames, moves; reservations for fdtput) appear as comments.
                            With --script, -o is optional: without it nothing is written.

Input:
  -I, --in-format dts|dtb   read FILE as DTS source or as a blob (default: by content)
  -i, --include DIR         where DTS /include/ files are looked for (repeatable)
  --force                   edit the readable part of a damaged blob

Each change is listed on standard error, then the findings before and after. An edit that is
refused (a missing node or property, a name with characters the spec forbids, a duplicate
name, a value that does not parse) prints why and exits with code 2; nothing is written.
Exit codes: 0 done, 1 done but findings of error severity remain (they are listed), 2 usage
error, unreadable input or a refused edit.

Examples:
  dtlens edit guest.dtb --set '/hypervisor:compatible=\"xen,xen-4.19\", \"xen,xen\"' -o fixed.dtb
  dtlens edit guest.dtb --rename /hypervisor@b0000000=hypervisor --fix all -o fixed.dtb
  dtlens edit board.dtb --set /chosen:xen,dom0-bootargs='\"console=hvc0\"' --script uboot
",
    run,
};

/// The edit options, in the order their ops apply.
const EDIT_FLAGS: &[&str] = &["--set", "--delete", "--rename", "--mknode", "--move"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Uboot,
    Fdtput,
}

fn usage(msg: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("usage: {msg}"))
}

fn refused(flag: &str, arg: &str, why: impl std::fmt::Display) -> CliError {
    CliError::usage(format!("{flag} {arg}: refused: {why}; nothing written"))
}

/// `PATH:PROP` → (path, Some(prop)); `PATH` → (path, None).
fn split_prop(s: &str) -> (&str, Option<&str>) {
    match s.split_once(':') {
        Some((path, prop)) => (path, Some(prop)),
        None => (s, None),
    }
}

fn check_path(flag: &str, arg: &str, path: &str) -> Result<(), CliError> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(usage(format!("{flag} {arg}: \"{path}\" is not a full node path (it must start with /)")))
    }
}

/// The parent path and the last name of `path`.
fn split_last(path: &str) -> Option<(String, &str)> {
    let trimmed = path.trim_end_matches('/');
    let (parent, name) = trimmed.rsplit_once('/')?;
    if name.is_empty() {
        return None;
    }
    Some((if parent.is_empty() { "/".to_string() } else { parent.to_string() }, name))
}

/// Parses `--set`'s VALUE against the current tree; a `<&node>` whose node has no phandle
/// yet gets one first (the returned ops, applied before the set).
fn set_value(h: &mut History, flag: &str, arg: &str, text: &str) -> Result<(Vec<u8>, Vec<Op>), CliError> {
    let mut added = Vec::new();
    // Each round gives one more node a phandle; a value names finitely many.
    for _ in 0..=h.tree().node_count() {
        match crate::dts::parse_value(text, Some(h.tree())) {
            Ok(v) => return Ok((v, added)),
            Err(d) => {
                let target = d
                    .message
                    .strip_suffix(" has no phandle property to refer to")
                    .and_then(|p| h.tree().find(p))
                    .and_then(|id| phandle_op(h.tree(), id));
                match target {
                    Some(op) => {
                        h.apply(op.clone()).map_err(|e| refused(flag, arg, e))?;
                        added.push(op);
                    }
                    None => {
                        let mut msg = format!("{flag} {arg}: bad value at column {}: {}", d.column, d.message);
                        for l in d.excerpt.lines() {
                            msg.push_str("\n    ");
                            msg.push_str(l);
                        }
                        msg.push_str("\nnothing written");
                        return Err(CliError::usage(msg));
                    }
                }
            }
        }
    }
    Err(refused(flag, arg, "too many references without a phandle"))
}

/// Turns one edit option into ops and applies them; returns the ops applied.
fn apply_edit(h: &mut History, flag: &str, arg: &str) -> Result<Vec<Op>, CliError> {
    let mut ops = Vec::new();
    let op = match flag {
        "--set" => {
            let Some((target, text)) = arg.split_once('=') else {
                return Err(usage(format!("--set {arg}: expected PATH:PROP=VALUE")));
            };
            let (path, Some(prop)) = split_prop(target) else {
                return Err(usage(format!("--set {arg}: expected PATH:PROP=VALUE (no :PROP)")));
            };
            check_path(flag, arg, path)?;
            let (value, extra) = set_value(h, flag, arg, text)?;
            ops.extend(extra);
            Op::SetProp { path: path.into(), name: prop.into(), value }
        }
        "--delete" => match split_prop(arg) {
            (path, Some(prop)) => {
                check_path(flag, arg, path)?;
                Op::RemoveProp { path: path.into(), name: prop.into() }
            }
            (path, None) => {
                check_path(flag, arg, path)?;
                Op::RemoveNode { path: path.into() }
            }
        },
        "--rename" => {
            let Some((target, new)) = arg.split_once('=') else {
                return Err(usage(format!("--rename {arg}: expected PATH=NEWNAME or PATH:PROP=NEWNAME")));
            };
            match split_prop(target) {
                (path, Some(prop)) => {
                    check_path(flag, arg, path)?;
                    Op::RenameProp { path: path.into(), from: prop.into(), to: new.into() }
                }
                (path, None) => {
                    check_path(flag, arg, path)?;
                    Op::RenameNode { path: path.into(), name: new.into() }
                }
            }
        }
        "--mknode" => {
            check_path(flag, arg, arg)?;
            let Some((parent, name)) = split_last(arg) else {
                return Err(usage(format!("--mknode {arg}: expected the full path of the new node")));
            };
            Op::AddNode { parent, name: name.into(), index: None }
        }
        "--move" => {
            let Some((path, parent)) = arg.split_once('=') else {
                return Err(usage(format!("--move {arg}: expected PATH=NEWPARENT")));
            };
            check_path(flag, arg, path)?;
            check_path(flag, arg, parent)?;
            Op::MoveNode { path: path.into(), new_parent: parent.into(), index: None }
        }
        other => return Err(usage(format!("unknown edit option {other}"))),
    };
    h.apply(op.clone()).map_err(|e| refused(flag, arg, e))?;
    ops.push(op);
    Ok(ops)
}

/// Which rules `--fix` names: `None` for all.
fn fix_rules(values: &[String]) -> Result<Option<HashSet<&'static str>>, CliError> {
    if values.iter().any(|v| v == "all") {
        return Ok(None);
    }
    let mut set = HashSet::new();
    for v in values {
        match check::find(v) {
            Some(r) => {
                set.insert(r.id);
            }
            None => return Err(usage(format!("--fix {v}: no such rule (run `dtlens rules` for the list)"))),
        }
    }
    Ok(Some(set))
}

/// Applies fixes of the selected rules until none is left to try. Returns one summary line
/// per fix tried, with the ops applied (none for a skipped fix).
fn apply_fixes(h: &mut History, rules: &Option<HashSet<&'static str>>) -> Vec<(String, Vec<Op>)> {
    let mut config = Config::default();
    if let Some(set) = rules {
        for id in set {
            if let Some(rule) = check::find(id) {
                if !config.is_enabled(rule) {
                    config.set(*id, Override::Warning);
                }
            }
        }
    }
    let wanted = |f: &Finding| rules.as_ref().is_none_or(|s| s.contains(f.rule));
    let mut tried: HashSet<(String, String)> = HashSet::new();
    let mut applied = Vec::new();
    let mut findings = check::run(h.tree(), &config);
    // Every round either applies a fix or marks one tried, and each fix is tried once.
    for _ in 0..10_000 {
        let next = findings.iter().find_map(|f| {
            let fix = f.fix.as_ref().filter(|_| wanted(f))?;
            let key = (f.rule.to_string(), fix.describe());
            (!tried.contains(&key)).then_some((f, fix, key))
        });
        let Some((f, fix, key)) = next else { break };
        tried.insert(key);
        let ops = fix.to_ops();
        let n = match h.apply_all(ops.clone()) {
            Ok(n) => n,
            Err(e) => {
                applied.push((format!("fix skipped: {} refused ({e}), for {f}", fix.describe()), Vec::new()));
                continue;
            }
        };
        let after = check::run(h.tree(), &config);
        // A fix that trades its finding for a new error is taken back.
        let added = new_errors(&findings, &after);
        if let Some(e) = added.first() {
            applied.push((format!("fix skipped: {} would add {e}, for {f}", fix.describe()), Vec::new()));
            for _ in 0..n {
                h.undo();
            }
            findings = check::run(h.tree(), &config);
            continue;
        }
        let what: Vec<String> = ops.iter().map(|o| o.to_string()).collect();
        applied.push((format!("fix {}  (for {f})", what.join("; ")), ops));
        findings = after;
    }
    applied
}

/// Error findings of `after` beyond those of `before`, counted per (rule, node, property)
/// since messages name values that a fix changes.
fn new_errors<'a>(before: &[Finding], after: &'a [Finding]) -> Vec<&'a Finding> {
    let key = |f: &Finding| (f.rule, f.node, f.property.clone());
    let mut budget: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for f in before.iter().filter(|f| f.severity == check::Severity::Error) {
        *budget.entry(key(f)).or_insert(0) += 1;
    }
    let mut out = Vec::new();
    for f in after.iter().filter(|f| f.severity == check::Severity::Error) {
        match budget.get_mut(&key(f)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(f),
        }
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn counts_text(findings: &[Finding]) -> String {
    let (e, w, i) = check::counts(findings);
    format!("{}, {}, {}", plural(e, "error"), plural(w, "warning"), plural(i, "info"))
}

fn run(mut args: Args) -> Result<i32, CliError> {
    // Edit options first, so a VALUE that looks like another option stays a value.
    let edits = args.tagged_values(EDIT_FLAGS)?;
    let fix_values = args.values(&["--fix"])?;
    let script = match args.value(&["--script"])?.as_deref() {
        None => None,
        Some("uboot") => Some(Script::Uboot),
        Some("fdtput") => Some(Script::Fdtput),
        Some(other) => return Err(usage(format!("--script is uboot or fdtput, not {other}"))),
    };
    let as_dts = match args.value(&["-O", "--out-format"])?.as_deref() {
        None | Some("dtb") => false,
        Some("dts") => true,
        Some(other) => return Err(usage(format!("-O is dtb or dts, not {other}"))),
    };
    let out = output_path(&mut args)?;
    let input = InputOptions::from_args(&mut args)?;
    let file = args.one_file()?;
    let rules = fix_rules(&fix_values)?;
    if edits.is_empty() && fix_values.is_empty() {
        return Err(usage("no edit given (--set, --delete, --rename, --mknode, --move or --fix)"));
    }
    match (&out, script) {
        (None, None) => return Err(usage("-o OUT is needed (or --script to print the changes only)")),
        (Some(p), Some(_)) if p.as_os_str() == "-" => {
            return Err(usage("--script prints to standard output, so -o - cannot be used with it"))
        }
        _ => {}
    }

    let tree = load_tree(&file, &input)?.tree;
    let before = check::run(&tree, &Config::default());
    let mut h = History::new(tree);
    let mut lines = Vec::new();
    let mut all_ops = Vec::new();
    for (flag, arg) in &edits {
        for op in apply_edit(&mut h, flag, arg)? {
            lines.push(op.to_string());
            all_ops.push(op);
        }
    }
    let n_edits = all_ops.len();
    if !fix_values.is_empty() {
        for (line, ops) in apply_fixes(&mut h, &rules) {
            lines.push(line);
            all_ops.extend(ops);
        }
    }
    let after = check::run(h.tree(), &Config::default());

    let mut err = String::new();
    for l in &lines {
        err.push_str(&format!("dtlens edit: {l}\n"));
    }
    let n_fix = all_ops.len() - n_edits;
    let written = match &out {
        Some(p) if p.as_os_str() == "-" => " to standard output".to_string(),
        Some(p) => format!(" to {}", p.display()),
        None => ", nothing written".to_string(),
    };
    err.push_str(&format!(
        "dtlens edit: {} ({} from fixes){written}; findings before: {}; after: {}\n",
        plural(all_ops.len(), "change"),
        n_fix,
        counts_text(&before),
        counts_text(&after)
    ));
    let errors: Vec<&Finding> = after.iter().filter(|f| f.severity == check::Severity::Error).collect();
    for f in &errors {
        err.push_str(&format!("dtlens edit: error remains: {f}\n"));
    }

    if let Some(s) = script {
        let text = match s {
            Script::Uboot => crate::script::uboot_script(&all_ops),
            Script::Fdtput => crate::script::fdtput_lines(&all_ops, if file == "-" { "board.dtb" } else { &file }),
        };
        write_output(None, text.as_bytes())?;
    }
    if let Some(p) = &out {
        let bytes = if as_dts { crate::dts::print(h.tree()).into_bytes() } else { crate::dtb::write(h.tree()) };
        write_output(Some(p), &bytes)?;
    }
    eprint!("{err}");
    Ok(if errors.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(split_prop("/a/b:c"), ("/a/b", Some("c")));
        assert_eq!(split_prop("/a/b"), ("/a/b", None));
        assert_eq!(split_last("/a/b@1"), Some(("/a".to_string(), "b@1")));
        assert_eq!(split_last("/a/"), Some(("/".to_string(), "a")));
        assert_eq!(split_last("/"), None);
    }
}
