//! Cross-check of our reader against the independent `fdt` crate (0.2.0-alpha3, fallible
//! API only): for every corpus blob, the tree `fdt` walks (all nodes, all properties, in
//! order) equals ours, and so do the header fields and the reservation map. Our writer's
//! output goes through the same check.

mod fdt_support;
use dtlens::dtb::{read, write};
use dtlens::{Reservation, Severity};
use fdt::Fdt;
use fdt_support::{fdt_shape, shape};

/// Deeper trees are left out of the cross-check.
const MAX_FDT_DEPTH: usize = 64;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The reservation map read by hand from fdt's header (fdt has no iterator for it).
fn fdt_reservations(bytes: &[u8]) -> Vec<Reservation> {
    let fdt = Fdt::new_unaligned_fallible(bytes).unwrap();
    let mut off = fdt.header().memory_reserve_map_offset as usize;
    let u64_at = |o: usize| u64::from_be_bytes(bytes[o..o + 8].try_into().unwrap());
    let mut v = Vec::new();
    loop {
        let (address, size) = (u64_at(off), u64_at(off + 8));
        if size == 0 {
            return v;
        }
        v.push(Reservation { address, size });
        off += 16;
    }
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(CORPUS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dtb" || e == "dtbo"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_trees_equal_fdt_crate() {
    let files = corpus();
    assert_eq!(files.len(), 49);
    for (name, bytes) in &files {
        let ours = read(bytes);
        let theirs = fdt_shape(bytes, MAX_FDT_DEPTH).unwrap_or_else(|e| panic!("{name}: fdt failed: {e}"));
        let mine = shape(&ours.tree);
        assert_eq!(mine.len(), theirs.len(), "{name}: node count");
        for (a, b) in mine.iter().zip(&theirs) {
            assert_eq!(a, b, "{name}");
        }
        let fdt = Fdt::new_unaligned_fallible(bytes).unwrap();
        let h = fdt.header();
        assert_eq!(ours.tree.header.version, h.version, "{name}");
        assert_eq!(ours.tree.header.last_comp_version, h.last_compatible_version, "{name}");
        assert_eq!(ours.tree.header.boot_cpuid_phys, h.boot_cpuid, "{name}");
        assert_eq!(ours.tree.reservations, fdt_reservations(bytes), "{name}");
        // Our own output reads the same in fdt.
        let out = write(&ours.tree);
        assert_eq!(fdt_shape(&out, MAX_FDT_DEPTH).unwrap(), theirs, "{name}: written blob");
        assert_eq!(fdt_reservations(&out), ours.tree.reservations, "{name}: written blob");
    }
}

/// A small seeded PRNG (xorshift64*), so the damaged inputs are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn damaged_blobs_agree_where_both_readers_succeed() {
    // On bit-flipped blobs, whenever our reader reports no error and fdt walks the whole
    // tree without error, the two trees must be equal. (Where one of them reports an
    // error they are allowed to differ: fdt stops at the first error, we keep going.)
    let mut rng = Rng(0x5eed_f00d_1234_5678);
    let mut agreed = 0;
    for (name, bytes) in corpus().iter().filter(|(n, b)| b.len() < 10_000 && !n.contains("raw")) {
        for _ in 0..60 {
            let mut m = bytes.clone();
            let i = rng.below(m.len());
            m[i] ^= 1 << rng.below(8);
            let ours = read(&m);
            if ours.diagnostics.iter().any(|d| d.severity == Severity::Error) {
                continue;
            }
            if let Ok(theirs) = fdt_shape(&m, MAX_FDT_DEPTH) {
                assert_eq!(shape(&ours.tree), theirs, "{name} with byte {i} flipped");
                agreed += 1;
            }
        }
    }
    assert!(agreed > 200, "too few comparable cases: {agreed}");
}
