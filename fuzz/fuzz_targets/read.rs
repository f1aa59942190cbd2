//! Fuzz target `read`: any bytes → tree + diagnostics (must not panic); the tree written
//! back and read again must be the same tree, without errors, and writing is idempotent.

#![no_main]

use dtlens::dtb::{read, write};
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
    let first = read(data);
    for d in &first.diagnostics {
        // Every diagnostic is a sentence and points inside the input when it has an offset.
        assert!(!d.message.is_empty());
        if let Some(o) = d.offset {
            assert!(o as usize <= data.len(), "{d} (input {} bytes)", data.len());
        }
    }
    let blob = write(&first.tree);
    let second = read(&blob);
    let errors: Vec<_> = second.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "re-read of our own output: {errors:?}");
    assert_eq!(shape(&first.tree), shape(&second.tree));
    assert_eq!(first.tree.reservations, second.tree.reservations);
    assert_eq!(first.tree.header.boot_cpuid_phys, second.tree.header.boot_cpuid_phys);
    assert_eq!(write(&second.tree), blob);
});
