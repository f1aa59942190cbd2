//! `dtlens dtb`: re-serialize a blob from the tree.

use super::{load_dtb, output_path, write_output, Args, CliError, Command, EXIT_OK};

pub const COMMAND: Command = Command {
    name: "dtb",
    summary: "Re-write a DTB from its tree (like dtc -I dtb -O dtb)",
    usage: "dtlens dtb [-o OUT] [--force] FILE",
    help: "\
Reads FILE (a .dtb, or - for standard input) into a tree and serializes the tree again,
laid out exactly as `dtc -I dtb -O dtb` does (version 17 header, reserve map, structure
block, strings block with suffix sharing). Free space and stale padding are dropped.

Options:
  -o, --output OUT   write to OUT instead of standard output
  --force            write the readable part of a damaged blob instead of failing

Example:
  dtlens dtb qemu-dump.dtb -o clean.dtb
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let out = output_path(&mut args)?;
    let force = args.flag(&["--force"]);
    let file = args.one_file()?;
    let result = load_dtb(&file, force)?;
    write_output(out.as_deref(), &crate::dtb::write(&result.tree))?;
    Ok(EXIT_OK)
}
