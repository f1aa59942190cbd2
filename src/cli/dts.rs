//! `dtlens dts`: print a blob as device-tree source.

use super::{load_dtb, output_path, write_output, Args, CliError, Command, EXIT_OK};

pub const COMMAND: Command = Command {
    name: "dts",
    summary: "Print a DTB as device-tree source (DTS)",
    usage: "dtlens dts [-o OUT] [--force] FILE",
    help: "\
Reads FILE (a .dtb, or - for standard input) and prints it as DTS that dtc compiles back
to the same blob. Values are decoded by what they are: reg/ranges grouped per entry by the
cells in force, interrupts per specifier, phandles as &label or &{/path}, known 64-bit
properties as /bits/ 64.

Options:
  -o, --output OUT   write to OUT instead of standard output
  --force            print the readable part of a damaged blob instead of failing

Reader diagnostics go to standard error. A blob with errors exits with code 2.

Example:
  dtlens dts board.dtb | less
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let out = output_path(&mut args)?;
    let force = args.flag(&["--force"]);
    let file = args.one_file()?;
    let result = load_dtb(&file, force)?;
    write_output(out.as_deref(), crate::dts::print(&result.tree).as_bytes())?;
    Ok(EXIT_OK)
}
