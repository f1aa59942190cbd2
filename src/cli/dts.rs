//! `dtlens dts`: print a blob (or compiled DTS source) as device-tree source.

use std::io::Write;
use std::path::Path;

use super::{load_tree, output_path, Args, CliError, Command, InputOptions, EXIT_OK, EXIT_USAGE};

pub const COMMAND: Command = Command {
    name: "dts",
    summary: "Print a DTB (or DTS source, compiled) as device-tree source (DTS)",
    usage: "dtlens dts [-o OUT] [-I dts|dtb] [-i DIR]... [--force] FILE",
    help: "\
Reads FILE (a .dtb or DTS source, or - for standard input) and prints it as DTS that dtc
compiles back to the same blob. Values are decoded by what they are: reg/ranges grouped per
entry by the cells in force, interrupts per specifier, phandles as &label or &{/path}, known
64-bit properties as /bits/ 64. DTS input is compiled first, as `dtc -I dts -O dtb` would,
then printed the same way (its labels are not kept, as in dtc's blob without -@).

Options:
  -o, --output OUT   write to OUT instead of standard output
  -I, --in-format dts|dtb  read FILE as DTS source or as a blob (default: by content; the
                     FDT magic 0xd00dfeed means a blob, text mentioning /dts-v1/ is DTS)
  -i, --include DIR  look for DTS /include/ and /incbin/ files in DIR too (repeatable)
  --force            print the readable part of a damaged blob, or the tree of a DTS that
                     dtc would refuse, instead of failing

Reader diagnostics go to standard error: a blob's with their byte offset, a source's as
file:line:col with the line and a caret. Input with errors exits with code 2. DTS that uses
the C preprocessor (#include, #define) must go through cpp first; the message says how.

Examples:
  dtlens dts board.dtb | less
  dtlens dts -i include/ snippet.dts
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let out = output_path(&mut args)?;
    let input = InputOptions::from_args(&mut args)?;
    let file = args.one_file()?;
    let result = load_tree(&file, &input)?;
    // Printed straight into the output a chunk at a time: the DTS of a large tree is several
    // times the blob's size and is never held whole.
    let written = match out.as_deref() {
        Some(p) if p != Path::new("-") => std::fs::File::create(p)
            .and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                crate::dts::print::print_to(&result.tree, &mut w)?;
                w.flush()
            })
            .map_err(|e| format!("cannot write {}: {e}", p.display())),
        _ => {
            let mut w = std::io::stdout().lock();
            crate::dts::print::print_to(&result.tree, &mut w)
                .and_then(|_| w.flush())
                .map_err(|e| format!("cannot write standard output: {e}"))
        }
    };
    written.map_err(|message| CliError { code: EXIT_USAGE, message })?;
    // The process ends here: freeing the tree node by node would only cost time.
    std::mem::forget(result);
    Ok(EXIT_OK)
}
