//! `dtlens info`: a summary of a blob: header, counts, hypervisor nodes, diagnostics.

use super::{read_input, Args, CliError, Command, EXIT_OK, EXIT_USAGE};
use std::fmt::Write as _;

pub const COMMAND: Command = Command {
    name: "info",
    summary: "Summarize a DTB: header, sizes, counts, reader diagnostics",
    usage: "dtlens info FILE",
    help: "\
Reads FILE (a .dtb, or - for standard input) and prints its header fields, the number of
nodes and properties, the memory reservations, any node named hypervisor, and every reader
diagnostic with its byte offset. Unlike the other commands it never refuses a damaged blob:
it reports what it could read. Exits with 2 when the blob has errors. DTS source (found by
content, as everywhere) is compiled first; source that does not compile is an error.

Example:
  dtlens info suspicious.dtb
",
    run,
};

fn run(args: Args) -> Result<i32, CliError> {
    let file = args.one_file()?;
    let bytes = read_input(&file)?;
    let r = if super::looks_like_dts(&bytes) {
        super::load_dts(&file, &bytes, &super::InputOptions::default())?
    } else {
        crate::dtb::read(&bytes)
    };
    let t = &r.tree;
    let mut s = String::new();
    let _ = writeln!(s, "file: {file} ({} bytes)", bytes.len());
    let _ = writeln!(
        s,
        "header: version {}, last_comp_version {}, boot_cpuid_phys {}",
        t.header.version, t.header.last_comp_version, t.header.boot_cpuid_phys
    );
    let props: usize = t.walk().map(|(id, _)| t.node(id).props.len()).sum();
    let depth = t.walk().map(|(_, d)| d + 1).max().unwrap_or(0);
    let _ = writeln!(s, "nodes: {}, properties: {props}, depth: {depth}", t.node_count());
    for r in &t.reservations {
        let _ = writeln!(s, "memreserve: 0x{:x} size 0x{:x}", r.address, r.size);
    }
    for (id, _) in t.walk() {
        let n = t.node(id);
        if n.base_name() == "hypervisor" {
            let compat = n
                .prop("compatible")
                .and_then(|p| crate::value::as_string_list(&p.value))
                .map(|v| v.join(", "))
                .unwrap_or_default();
            let _ = writeln!(s, "hypervisor node: {} [{compat}]", t.path(id));
        }
    }
    let errors = r.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).count();
    let _ = writeln!(s, "diagnostics: {} ({errors} errors)", r.diagnostics.len());
    for d in &r.diagnostics {
        let _ = writeln!(s, "  {d}");
    }
    print!("{s}");
    Ok(if errors > 0 { EXIT_USAGE } else { EXIT_OK })
}
