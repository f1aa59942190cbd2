//! Fuzz target `dts_parse`: any text → DTS parser (must not panic; every diagnostic has a
//! 1-based position inside the input). When the source compiles without errors, the tree
//! must survive the DTB round trip (write, read back without errors, same shape), and the
//! DTS printer's output of it must parse back to the same blob.

#![no_main]

use dtlens::dtb::{read, write};
use dtlens::dts::{parse, print, ParseOptions};
use dtlens::{Severity, Tree};
use libfuzzer_sys::fuzz_target;

type Shape = Vec<(usize, String, Vec<(String, Vec<u8>)>)>;

fn shape(t: &Tree) -> Shape {
    t.walk()
        .map(|(id, d)| {
            let n = t.node(id);
            (d, n.name.clone(), n.props.iter().map(|p| (p.name.clone(), p.value.clone())).collect())
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let lines = src.split('\n').count() as u32;
    let r = parse(&src, &ParseOptions::default());
    for d in &r.diagnostics {
        assert!(!d.message.is_empty());
        assert!(d.line >= 1 && d.column >= 1, "{d}");
        if d.file == "<input>" {
            assert!(d.line <= lines, "{d} (input has {lines} lines)");
        }
    }
    if r.tree.is_none() {
        assert!(r.has_errors(), "no tree and no error");
    }
    let Some(tree) = r.ok() else { return };
    let blob = write(tree);
    let back = read(&blob);
    let errors: Vec<_> = back.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "reading our own blob: {errors:?}");
    assert_eq!(shape(tree), shape(&back.tree));
    assert_eq!(tree.reservations, back.tree.reservations);

    // The printer's DTS of the tree compiles back to the same blob (boot_cpuid aside,
    // which DTS cannot carry).
    let dts = print(tree);
    let again = parse(&dts, &ParseOptions::default());
    let Some(t2) = again.ok() else {
        panic!(
            "printed DTS does not parse: {:?}\n{dts}",
            again.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>()
        )
    };
    let mut t2 = t2.clone();
    t2.header.boot_cpuid_phys = tree.header.boot_cpuid_phys;
    assert_eq!(write(&t2), blob, "printed DTS compiles differently:\n{dts}");
});
