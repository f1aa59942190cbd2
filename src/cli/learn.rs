//! `dtlens learn [ID]`: the Learn pages as plain text (`crate::learn`).

use super::{Args, CliError, Command, EXIT_OK, EXIT_USAGE};
use crate::learn;

pub const COMMAND: Command = Command {
    name: "learn",
    summary: "Learn a binding: purpose, properties, annotated example, rules, mistakes",
    usage: "dtlens learn [ID | 2012]",
    help: "\
Without an argument, lists the Learn pages. With a page id, prints that page: what the node
is for, its property table (type, required or optional, meaning, which software reads it),
an annotated example tree, the rules of its family with their severities, the common
mistakes (each with the rule that reports it and a bundled example that shows it) and the
sources. `dtlens learn 2012` prints the 2012 worked example: the Xen /hypervisor node as
first proposed and as it is today, with each difference explained.

The examples named on a page are in static/examples/ (DTS and DTB).

Examples:
  dtlens learn
  dtlens learn xen
  dtlens learn 2012
",
    run: run_learn,
};

fn run_learn(args: Args) -> Result<i32, CliError> {
    let words = args.positionals()?;
    match words.as_slice() {
        [] => print!("{}", learn::render_list_text()),
        [id] if id == "2012" => print!("{}", learn::render_history_text(learn::history_2012())),
        [id] => match learn::find(id) {
            Some(b) => print!("{}", learn::render_text(b)),
            None => {
                let ids: Vec<&str> = learn::bindings().iter().map(|b| b.id).collect();
                return Err(CliError {
                    code: EXIT_USAGE,
                    message: format!("no Learn page `{id}`; pages: {}, 2012", ids.join(", ")),
                });
            }
        },
        _ => return Err(CliError::usage("usage: at most one page ID expected")),
    }
    Ok(EXIT_OK)
}
