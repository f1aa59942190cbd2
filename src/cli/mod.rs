//! The command-line tool: `dtlens <command> [options] FILE`.
//!
//! Every subcommand is defined once, as a [`Command`] value in its own file (name, one-line
//! summary, usage, long help, and the function that runs it). The command list, `--help`
//! and `dtlens help COMMAND` are generated from [`COMMANDS`]; adding a command touches its
//! own file and one line in that table.
//!
//! Exit codes, shared by every command: 0 success, 1 the command ran and found problems
//! of error severity (e.g. `check`), 2 usage errors and unreadable input.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod args;
mod check;
mod diff;
mod dtb;
mod dts;
mod edit;
mod info;
mod learn;
mod link;
mod open;

pub use args::Args;

/// One subcommand, defined in one place.
pub struct Command {
    pub name: &'static str,
    /// One line, shown in the command list.
    pub summary: &'static str,
    /// The synopsis, e.g. `dtlens dts [-o OUT] FILE`.
    pub usage: &'static str,
    /// What it does, its options, and an example.
    pub help: &'static str,
    pub run: fn(Args) -> Result<i32, CliError>,
}

/// Every subcommand, in the order `--help` lists them.
pub const COMMANDS: &[&Command] = &[
    &dts::COMMAND,
    &dtb::COMMAND,
    &edit::COMMAND,
    &info::COMMAND,
    &link::COMMAND,
    &open::COMMAND,
    &diff::COMMAND,
    &check::COMMAND,
    &check::RULES_COMMAND,
    &check::EXPLAIN_COMMAND,
    &learn::COMMAND,
];

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// An error that ends a command: printed on stderr as `dtlens: <message>`.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError { code: EXIT_USAGE, message: message.into() }
    }
}

fn top_help() -> String {
    let mut s = String::from(
        "dtlens: read, check, edit and re-export device trees (DTB, or DTS source)\n\nUsage: dtlens <COMMAND> [OPTIONS] FILE\n\nCommands:\n",
    );
    let width = COMMANDS.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in COMMANDS {
        s.push_str(&format!("  {:width$}  {}\n", c.name, c.summary));
    }
    s.push_str("  help     Show help for a command\n\nRun `dtlens <COMMAND> --help` for a command's options.\n");
    s.push_str("Exit codes: 0 ok, 1 problems of error severity found, 2 usage error or unreadable input.\n");
    s
}

fn command_help(c: &Command) -> String {
    format!("{}\n\nUsage: {}\n\n{}\n", c.summary, c.usage, c.help.trim_end())
}

/// Runs the CLI with the arguments after the program name; returns the exit code.
pub fn main(raw: Vec<OsString>) -> i32 {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let mut words = Vec::with_capacity(raw.len());
    for w in raw {
        match w.into_string() {
            Ok(s) => words.push(s),
            Err(w) => {
                let _ = writeln!(err, "dtlens: argument is not valid UTF-8: {}", w.to_string_lossy());
                return EXIT_USAGE;
            }
        }
    }
    let Some(first) = words.first().cloned() else {
        let _ = write!(err, "{}", top_help());
        return EXIT_USAGE;
    };
    match first.as_str() {
        "-h" | "--help" => {
            let _ = write!(out, "{}", top_help());
            return EXIT_OK;
        }
        "-V" | "--version" => {
            let _ = writeln!(out, "dtlens {}", env!("CARGO_PKG_VERSION"));
            return EXIT_OK;
        }
        "help" => {
            return match words.get(1) {
                None => {
                    let _ = write!(out, "{}", top_help());
                    EXIT_OK
                }
                Some(name) => match find(name) {
                    Some(c) => {
                        let _ = write!(out, "{}", command_help(c));
                        EXIT_OK
                    }
                    None => {
                        let _ = writeln!(err, "dtlens: no command `{name}`; run `dtlens --help` for the list");
                        EXIT_USAGE
                    }
                },
            };
        }
        _ => {}
    }
    let Some(cmd) = find(&first) else {
        let _ = writeln!(err, "dtlens: no command `{first}`; run `dtlens --help` for the list");
        return EXIT_USAGE;
    };
    let rest = words[1..].to_vec();
    if rest.iter().any(|w| w == "-h" || w == "--help") {
        let _ = write!(out, "{}", command_help(cmd));
        return EXIT_OK;
    }
    drop(out);
    match (cmd.run)(Args::new(rest)) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "dtlens {}: {}", cmd.name, e.message);
            if e.code == EXIT_USAGE && e.message.starts_with("usage") {
                let _ = writeln!(err, "Usage: {}", cmd.usage);
            }
            e.code
        }
    }
}

fn find(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().copied().find(|c| c.name == name)
}

/// Reads an input file (`-` for stdin).
pub fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::usage(format!("cannot read standard input: {e}")))?;
        return Ok(buf);
    }
    std::fs::read(path).map_err(|e| CliError::usage(format!("cannot read {path}: {e}")))
}

/// Writes output to `-o FILE`, or to stdout when none is given.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), CliError> {
    match path {
        Some(p) if p != Path::new("-") => std::fs::write(p, bytes)
            .map_err(|e| CliError { code: EXIT_USAGE, message: format!("cannot write {}: {e}", p.display()) }),
        _ => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)
                .and_then(|_| out.flush())
                .map_err(|e| CliError { code: EXIT_USAGE, message: format!("cannot write standard output: {e}") })
        }
    }
}

/// Which reader an input goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By content: the FDT magic means a blob; text that reads as DTS (it mentions
    /// `/dts-v1/`, `/plugin/`, `/include/` or starts a line with `#include`) is source;
    /// anything else goes to the blob reader, whose errors say what is wrong.
    #[default]
    Auto,
    Dtb,
    Dts,
}

/// How to read an input file: its format, DTS include directories and `--force`.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    pub format: InputFormat,
    /// `-i DIR`: where `/include/` and `/incbin/` look after the file's own directory.
    pub include_dirs: Vec<PathBuf>,
    /// Use what could be read despite errors (a damaged blob's readable part, or a DTS
    /// tree dtc would refuse).
    pub force: bool,
}

impl InputOptions {
    /// Takes `-I`/`--in-format`, `-i`/`--include` (repeatable) and `--force` out of `args`.
    pub fn from_args(args: &mut Args) -> Result<Self, CliError> {
        let format = match args.value(&["-I", "--in-format"])?.as_deref() {
            None => InputFormat::Auto,
            Some("dtb") => InputFormat::Dtb,
            Some("dts") => InputFormat::Dts,
            Some(other) => return Err(CliError::usage(format!("usage: -I is dts or dtb, not {other}"))),
        };
        let include_dirs = args.values(&["-i", "--include"])?.into_iter().map(PathBuf::from).collect();
        let force = args.flag(&["--force"]);
        Ok(InputOptions { format, include_dirs, force })
    }
}

/// Whether input bytes are DTS source rather than a blob (see [`InputFormat::Auto`]).
pub fn looks_like_dts(bytes: &[u8]) -> bool {
    if bytes.len() >= 4 && u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) == crate::dtb::FDT_MAGIC {
        return false;
    }
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    text.contains("/dts-v1/")
        || text.contains("/plugin/")
        || text.contains("/include/")
        || text.lines().any(|l| l.trim_start().starts_with("#include"))
}

/// Reads an input file (`-` for standard input) as a blob or as DTS source and reports its
/// diagnostics on stderr: a blob's as `FILE: severity at 0xOFFSET: ...`, a source's as
/// `file:line:col: severity: message` with the source line and a caret. Errors end the
/// command with exit code 2 unless `force` is set and something could be read.
pub fn load_tree(path: &str, opts: &InputOptions) -> Result<crate::dtb::ReadResult, CliError> {
    let bytes = read_input(path)?;
    let is_dts = match opts.format {
        InputFormat::Dts => true,
        InputFormat::Dtb => false,
        InputFormat::Auto => looks_like_dts(&bytes),
    };
    if is_dts {
        return load_dts(path, &bytes, opts);
    }
    let result = crate::dtb::read(&bytes);
    let mut err = std::io::stderr().lock();
    let mut errors = 0;
    for d in &result.diagnostics {
        let _ = writeln!(err, "{path}: {d}");
        if d.severity == crate::Severity::Error {
            errors += 1;
        }
    }
    if errors > 0 && !opts.force {
        let text = std::str::from_utf8(&bytes).is_ok_and(|t| !t.contains('\0'));
        return Err(CliError {
            code: EXIT_USAGE,
            message: format!(
                "{path} is not a readable device-tree blob ({errors} error{} above); use --force to use the part that could be read{}",
                if errors == 1 { "" } else { "s" },
                if text { " (it is text: if it is DTS source, add -I dts)" } else { "" }
            ),
        });
    }
    Ok(result)
}

fn load_dts(path: &str, bytes: &[u8], opts: &InputOptions) -> Result<crate::dtb::ReadResult, CliError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| CliError::usage(format!("{path} is not UTF-8 text, so not DTS source ({e})")))?;
    let popts = crate::dts::ParseOptions {
        include_dirs: opts.include_dirs.clone(),
        file_name: if path == "-" { "<stdin>".into() } else { path.to_string() },
        allow_includes: true,
    };
    let parsed = crate::dts::parse(text, &popts);
    let mut err = std::io::stderr().lock();
    for d in &parsed.diagnostics {
        let _ = writeln!(err, "{d}");
    }
    let errors = parsed.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).count();
    match parsed.tree {
        Some(tree) if errors == 0 || opts.force => Ok(crate::dtb::ReadResult { tree, diagnostics: Vec::new() }),
        Some(_) => Err(CliError::usage(format!(
            "{path}: dtc would refuse this source ({errors} error{} above); use --force to use its tree anyway",
            if errors == 1 { "" } else { "s" }
        ))),
        None => Err(CliError::usage(format!("{path} could not be parsed as DTS (see above)"))),
    }
}

/// Reads a DTB (or, by content, DTS source) and reports its diagnostics on stderr.
/// Error-severity diagnostics end the command with exit code 2 unless `force` is set (then
/// the readable part is used). See [`load_tree`].
pub fn load_dtb(path: &str, force: bool) -> Result<crate::dtb::ReadResult, CliError> {
    load_tree(path, &InputOptions { force, ..InputOptions::default() })
}

/// `-o OUT` as a path.
pub fn output_path(args: &mut Args) -> Result<Option<PathBuf>, CliError> {
    Ok(args.value(&["-o", "--output"])?.map(PathBuf::from))
}
