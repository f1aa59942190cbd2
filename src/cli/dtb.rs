//! `dtlens dtb`: serialize a tree (read from a blob or compiled from DTS source) as a blob.

use super::{load_tree, output_path, write_output, Args, CliError, Command, InputOptions, EXIT_OK};

pub const COMMAND: Command = Command {
    name: "dtb",
    summary: "Write a DTB from a DTB or DTS source (like dtc -O dtb)",
    usage: "dtlens dtb [-o OUT] [-I dts|dtb] [-i DIR]... [--force] FILE",
    help: "\
Reads FILE (a .dtb or DTS source, or - for standard input) into a tree and serializes it,
laid out exactly as dtc does (version 17 header, reserve map, structure block, strings block
with suffix sharing). For a blob this is `dtc -I dtb -O dtb`: free space and stale padding
are dropped. For DTS source it is `dtc -I dts -O dtb`: the same bytes dtc writes, with
phandles assigned for references as dtc assigns them.

Options:
  -o, --output OUT   write to OUT instead of standard output
  -I, --in-format dts|dtb  read FILE as DTS source or as a blob (default: by content; the
                     FDT magic 0xd00dfeed means a blob, text mentioning /dts-v1/ is DTS)
  -i, --include DIR  look for DTS /include/ and /incbin/ files in DIR too (repeatable)
  --force            write the readable part of a damaged blob, or the tree of a DTS that
                     dtc would refuse, instead of failing

DTS errors print as file:line:col: error: message, with the line and a caret, and exit
with code 2; nothing is written. DTS that uses the C preprocessor (#include, #define) must
go through cpp first; the message says how.

Examples:
  dtlens dtb qemu-dump.dtb -o clean.dtb
  dtlens dtb board.dts -i dts/include -o board.dtb
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let out = output_path(&mut args)?;
    let input = InputOptions::from_args(&mut args)?;
    let file = args.one_file()?;
    let result = load_tree(&file, &input)?;
    write_output(out.as_deref(), &crate::dtb::write(&result.tree))?;
    // The process ends here: freeing the tree node by node would only cost time.
    std::mem::forget(result);
    Ok(EXIT_OK)
}
