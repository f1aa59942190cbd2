//! `dtlens check`, `dtlens rules`, `dtlens explain`: the binding checks on the command line.
//! Everything they print about rules comes from the rule definitions in `crate::check`.

use super::{load_tree, Args, CliError, Command, InputOptions, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::check::{self, json, Config, Level, Override, RuleFamily};
use std::fmt::Write as _;

pub const COMMAND: Command = Command {
    name: "check",
    summary: "Check a DTB against the hypervisor-node binding rules and dtc's checks",
    usage: "dtlens check [--format text|json] [--level default|w1|w2] [-W ID] [-E ID] [--no ID] [--werror] [-I dts|dtb] [-i DIR] [--force] FILE...",
    help: "\
Runs every enabled rule on each FILE (a .dtb or DTS source, or - for standard input) and prints
one line per finding, like a compiler:

  /hypervisor:compatible: error: compatible lists \"xen,xen\" first; ... [xen-compatible-order]

With several files each line starts with the file name. `--format json` prints one JSON array
of objects with the keys file, rule, severity (error, warning or info), path, property (string
or null), message, offset (number or null) and fix (object or null).

Options:
  --level LEVEL   default, w1 or w2: which generic dtc checks are on, like the kernel's
                  make dtbs / W=1 / W=2. Binding rules are on at every level.
  -W ID           turn rule ID on, reporting its findings as warnings
  -E ID           turn rule ID on, reporting its findings as errors
  --no ID         turn rule ID off
                  (ID may also be a family: epapr, xen, xenboot, dom0less, hv, dt, dtc;
                  a rule id wins over its family; for the same ID the last flag wins)
  --werror        report every warning as an error
  -I dts|dtb      read FILE as DTS source or as a blob (default: by content)
  -i DIR          look for DTS /include/ files in DIR too (repeatable)
  --force         check the readable part of a damaged blob (or a DTS dtc would refuse)

Exit codes: 0 no finding of error severity, 1 findings of error severity, 2 an input could not
be read. `dtlens rules` lists the rule ids; `dtlens explain ID` explains one.

Example:
  dtlens check --level w1 --no xen-version-info guest.dtb
",
    run,
};

pub const RULES_COMMAND: Command = Command {
    name: "rules",
    summary: "List every check: id, family, default severity, summary",
    usage: "dtlens rules [--format text|json] [--family FAMILY]",
    help: "\
Lists every rule in catalog order with its id, family, scope, default severity, the level it
is on from, and its one-line summary. `--family` keeps one family (epapr, xen, xenboot,
dom0less, hv, dt, dtc). `--format json` prints an array of objects with the keys id, family,
scope, severity, enabled_at, summary, explanation and sources.
",
    run: run_rules,
};

pub const EXPLAIN_COMMAND: Command = Command {
    name: "explain",
    summary: "Explain one check: why it matters, the fix, its sources",
    usage: "dtlens explain ID",
    help: "\
Prints the page of rule ID: its summary, family, scope, default severity, the long
explanation (why, the fix, an example, contested or unverified points) and its sources.

Example:
  dtlens explain xen-node-name
",
    run: run_explain,
};

fn parse_format(args: &mut Args) -> Result<bool, CliError> {
    match args.value(&["--format"])?.as_deref() {
        None | Some("text") => Ok(false),
        Some("json") => Ok(true),
        Some(other) => Err(CliError::usage(format!("usage: --format is text or json, not {other}"))),
    }
}

fn known_key(key: &str) -> bool {
    check::find(key).is_some() || RuleFamily::ALL.iter().any(|f| f.as_str() == key)
}

/// Builds the check configuration from the command line.
fn parse_config(args: &mut Args) -> Result<Config, CliError> {
    let mut config = Config::default();
    if let Some(l) = args.value(&["--level"])? {
        config.level =
            Level::parse(&l).ok_or_else(|| CliError::usage(format!("usage: --level is default, w1 or w2, not {l}")))?;
    }
    config.warnings_as_errors = args.flag(&["--werror"]);
    // In command-line order, so the last flag for an id wins (as with dtc's -W/-E).
    for (flag, id) in args.tagged_values(&["-W", "-E", "--no"])? {
        if !known_key(&id) {
            return Err(CliError::usage(format!("usage: no rule or family `{id}`; run `dtlens rules` for the list")));
        }
        let o = match flag.as_str() {
            "-W" => Override::Warning,
            "-E" => Override::Error,
            _ => Override::Off,
        };
        config.set(id, o);
    }
    Ok(config)
}

fn run(mut args: Args) -> Result<i32, CliError> {
    let as_json = parse_format(&mut args)?;
    let config = parse_config(&mut args)?;
    let input = InputOptions::from_args(&mut args)?;
    let files = args.positionals()?;
    if files.is_empty() {
        return Err(CliError::usage("usage: an input FILE is needed (use - for standard input)"));
    }
    let many = files.len() > 1;
    let mut code = EXIT_OK;
    let mut text = String::new();
    let mut array = Vec::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for file in &files {
        let result = match load_tree(file, &input) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("dtlens check: {}", e.message);
                code = EXIT_USAGE;
                continue;
            }
        };
        let findings = check::run(&result.tree, &config);
        let (e, w, i) = check::counts(&findings);
        errors += e;
        warnings += w;
        infos += i;
        if e > 0 && code == EXIT_OK {
            code = EXIT_FINDINGS;
        }
        for f in &findings {
            if as_json {
                let mut v = json::finding(f);
                if let Some(o) = v.as_object_mut() {
                    o.insert("file".into(), serde_json::Value::String(file.clone()));
                }
                array.push(v);
            } else if many {
                let _ = writeln!(text, "{file}: {f}");
            } else {
                let _ = writeln!(text, "{f}");
            }
        }
    }
    if as_json {
        let out = serde_json::to_string_pretty(&serde_json::Value::Array(array)).unwrap_or_default();
        println!("{out}");
    } else {
        print!("{text}");
        eprintln!(
            "{errors} error{}, {warnings} warning{}, {infos} info{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            if infos == 1 { "" } else { "s" }
        );
    }
    if code == EXIT_FINDINGS && errors == 0 {
        code = EXIT_OK;
    }
    Ok(code)
}

fn run_rules(mut args: Args) -> Result<i32, CliError> {
    let as_json = parse_format(&mut args)?;
    let family = match args.value(&["--family"])? {
        None => None,
        Some(f) => Some(
            RuleFamily::ALL
                .iter()
                .copied()
                .find(|x| x.as_str() == f)
                .ok_or_else(|| CliError::usage(format!("usage: no family `{f}`")))?,
        ),
    };
    let rest = args.positionals()?;
    if let Some(extra) = rest.first() {
        return Err(CliError::usage(format!("usage: unexpected argument {extra}")));
    }
    let rules: Vec<_> = check::all().filter(|r| family.is_none_or(|f| r.family == f)).collect();
    if as_json {
        let v = serde_json::Value::Array(rules.iter().map(|r| json::rule(r)).collect());
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return Ok(EXIT_OK);
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut s = String::new();
    for r in rules {
        let _ = writeln!(
            s,
            "{:width$}  {:8}  {:8}  {:7}  {}{}",
            r.id,
            r.family.as_str(),
            r.scope.as_str(),
            r.severity.as_str(),
            r.summary,
            match r.enabled_at {
                check::EnabledAt::Always => String::new(),
                other => format!(" (on from {})", other.as_str()),
            }
        );
    }
    print!("{s}");
    Ok(EXIT_OK)
}

fn run_explain(args: Args) -> Result<i32, CliError> {
    let id = args.one_file().map_err(|_| CliError::usage("usage: one rule ID expected"))?;
    match check::find(&id) {
        Some(r) => {
            print!("{}", r.explain_text());
            Ok(EXIT_OK)
        }
        None => {
            let close: Vec<&str> = check::all().map(|r| r.id).filter(|r| r.contains(id.as_str())).take(8).collect();
            let mut msg = format!("no rule `{id}`");
            if !close.is_empty() {
                let _ = write!(msg, "; did you mean {}?", close.join(", "));
            } else {
                msg.push_str("; run `dtlens rules` for the list");
            }
            Err(CliError { code: EXIT_USAGE, message: msg })
        }
    }
}
