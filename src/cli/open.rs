//! `dtlens open`: turn a review link (or `.dtlens` file) back into a blob, and show its
//! comments.

use std::fmt::Write as _;
use std::path::Path;

use super::{write_output, Args, CliError, Command, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::share::{self, ShareV1};

pub const COMMAND: Command = Command {
    name: "open",
    summary: "Open a review link or .dtlens file: write its blob, show its edits and comments",
    usage: "dtlens open [-o OUT.dtb] [--original] LINK",
    help: "\
LINK is a dtlens review link (the whole URL, or just the part from `#v1.`), or the path of
a .dtlens file. The link is decoded (a cut-off or damaged link is refused with a message),
the blob in it is read and the link's edits are applied in order.

Options:
  -o, --output OUT   write the edited blob to OUT (- for standard output)
  --original         write the blob as it was shared, without the edits

The review (file name, edits applied or refused, the findings the edits fix and introduce
with the default checks, selection, comments) is printed on
standard output, or on standard error when the blob itself goes to standard output.
Comment text is shown as plain text with control characters escaped.

Exit codes: 0 ok; 1 when some of the link's edits do not apply to its blob (the others are
applied and the blob is still written); 2 for a link that cannot be decoded.

Example:
  dtlens open 'http://127.0.0.1:8080/#v1.…' -o reviewed.dtb
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let out = super::output_path(&mut args)?;
    let original = args.flag(&["--original"]);
    let link = args.one_file()?;

    let share = load(&link)?;
    let applied = share.apply();
    let mut report = String::new();
    let _ = writeln!(report, "file: {} ({} bytes)", plain(&share.name), share.blob.len());
    for d in &applied.original.diagnostics {
        let _ = writeln!(report, "{}: {}", plain(&share.name), plain(&d.to_string()));
    }
    let ok = share.ops.len() - applied.failed.len();
    let _ = writeln!(report, "edits: {} applied, {} refused", ok, applied.failed.len());
    for f in &applied.failed {
        let _ = writeln!(report, "  edit #{} refused: {}", f.index + 1, plain(&f.reason));
    }
    if !share.ops.is_empty() {
        let delta = applied.findings_delta(&crate::check::Config::default());
        let _ = writeln!(report, "findings: the edits fix {}, introduce {}", delta.fixed.len(), delta.introduced.len());
        for f in &delta.fixed {
            let _ = writeln!(report, "  fixed: {}", plain(&f.to_string()));
        }
        for f in &delta.introduced {
            let _ = writeln!(report, "  introduced: {}", plain(&f.to_string()));
        }
    }
    if let Some((path, prop)) = &share.selection {
        let _ = writeln!(report, "selected: {}", target(path, prop.as_deref()));
    }
    let _ = writeln!(report, "comments: {}", share.comments.len());
    for c in &share.comments {
        let _ = writeln!(report, "  {}: {}", target(&c.path, c.property.as_deref()), plain(&c.text));
    }

    let to_stdout = out.as_deref().is_some_and(|p| p == Path::new("-"));
    if let Some(p) = &out {
        let bytes = if original { share.blob.clone() } else { crate::dtb::write(applied.history.tree()) };
        write_output(Some(p), &bytes)?;
    }
    if to_stdout {
        eprint!("{report}");
    } else {
        print!("{report}");
    }
    Ok(if applied.failed.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}

/// A link, a fragment, or the path of a `.dtlens` file.
fn load(arg: &str) -> Result<ShareV1, CliError> {
    let fail = |e: share::DecodeError| CliError { code: EXIT_USAGE, message: e.to_string() };
    if !arg.contains('#') && !arg.starts_with("v1.") && Path::new(arg).is_file() {
        let bytes = super::read_input(arg)?;
        return share::decode_file(&bytes).map_err(fail);
    }
    share::decode(arg).map_err(fail)
}

fn target(path: &str, prop: Option<&str>) -> String {
    match prop {
        Some(p) => format!("{} property {}", plain(path), plain(p)),
        None => plain(path),
    }
}

/// Text from an untrusted link, made safe for a terminal: control characters and
/// direction overrides are shown as `\u{…}` escapes; line breaks are kept but indented,
/// so a comment cannot pose as a line of the report.
pub fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' {
            out.push_str("\n    ");
        } else if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn untrusted_text_cannot_drive_the_terminal() {
        assert_eq!(plain("ok\u{1b}[2Jx"), "ok\\u{1b}[2Jx");
        assert_eq!(plain("a\nb"), "a\n    b");
        assert_eq!(plain("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(plain("<b>é</b>"), "<b>é</b>");
    }
}
