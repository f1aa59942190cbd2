//! `dtlens diff`: what differs between two blobs, ignoring phandle renumbering and order.

use super::{load_dtb, Args, CliError, Command, EXIT_FINDINGS, EXIT_OK};

pub const COMMAND: Command = Command {
    name: "diff",
    summary: "Compare two DTBs, ignoring phandle renumbering and node order",
    usage: "dtlens diff [--dts] [-U N] [--force] A B",
    help: "\
Compares the trees of two blobs and lists the nodes removed and added and the properties
removed, added and changed (by path), plus changed memory reservations and
boot_cpuid_phys. Like dtc's dtdiff it ignores what rebuilding a source changes without
changing its meaning:
  - the order of nodes and properties;
  - phandle numbers: phandle/linux,phandle, properties made only of phandles
    (interrupt-parent, pinctrl-N, *-supply, ...) and phandle+argument lists whose sizes
    come from #...-cells (clocks, resets, gpios, dmas, interrupts-extended, ...) are
    compared by the path of the node each phandle points to.
Phandles inside other properties (interrupt-map, iommu-map, vendor properties) are
compared as numbers, so a renumbering shows up there.

Options:
  --dts      print a unified diff of the two trees as DTS instead (not normalized)
  -U N       lines of context for --dts (default 3)
  --force    compare the readable part of damaged blobs instead of failing

Exit codes (like diff): 0 no differences, 1 differences, 2 errors.

Example:
  dtlens diff old.dtb new.dtb
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let dts = args.flag(&["--dts"]);
    let context = match args.value(&["-U"])? {
        Some(n) => n.parse::<usize>().map_err(|_| CliError::usage(format!("usage: -U {n}: expected a number")))?,
        None => 3,
    };
    let force = args.flag(&["--force"]);
    let files = args.positionals()?;
    let [a, b] = files.as_slice() else {
        return Err(CliError::usage(format!("usage: two files A and B expected, got {}", files.len())));
    };
    let ra = load_dtb(a, force)?;
    let rb = load_dtb(b, force)?;
    if dts {
        let hunks = crate::diff::text_diff(&crate::dts::print(&ra.tree), &crate::dts::print(&rb.tree), context);
        print!("{}", crate::diff::unified(a, b, &hunks));
        return Ok(if hunks.is_empty() { EXIT_OK } else { EXIT_FINDINGS });
    }
    let d = crate::diff::diff(&ra.tree, &rb.tree);
    print!("{}", d.render());
    Ok(if d.is_empty() { EXIT_OK } else { EXIT_FINDINGS })
}
