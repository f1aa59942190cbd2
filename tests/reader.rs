//! Reader tests: the real-world corpus (counts from MANIFEST.tsv, diagnostics, offsets) and
//! hand-built blobs for each header and structure problem the reader reports.

use dtlens::dtb::{self, read};
use dtlens::{Severity, Tree};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

struct Row {
    file: String,
    nodes: usize,
    props: usize,
    max_depth: usize,
    version: u32,
}

fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(format!("{CORPUS}/MANIFEST.tsv")).expect("MANIFEST.tsv");
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap_or_else(|| panic!("column {name}"));
    let (f, n, p, d, v) = (col("file"), col("nodes"), col("props"), col("max_depth"), col("fdt_version"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                file: c[f].to_string(),
                nodes: c[n].parse().unwrap(),
                props: c[p].parse().unwrap(),
                max_depth: c[d].parse().unwrap(),
                version: c[v].parse().unwrap(),
            }
        })
        .collect()
}

fn corpus_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{CORPUS}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn prop_count(t: &Tree) -> usize {
    t.walk().map(|(id, _)| t.node(id).props.len()).sum()
}

fn be32(b: &[u8], off: usize) -> u32 {
    u32::from_be_bytes(b[off..off + 4].try_into().unwrap())
}

#[test]
fn corpus_counts_match_manifest_and_no_errors() {
    let rows = manifest();
    assert_eq!(rows.len(), 49, "MANIFEST rows");
    for row in &rows {
        let bytes = corpus_file(&row.file);
        let r = read(&bytes);
        let errors: Vec<_> = r.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "{}: {:?}", row.file, errors);
        assert_eq!(r.tree.node_count(), row.nodes, "{} nodes", row.file);
        assert_eq!(prop_count(&r.tree), row.props, "{} props", row.file);
        let depth = r.tree.walk().map(|(_, d)| d + 1).max().unwrap();
        assert_eq!(depth, row.max_depth, "{} depth", row.file);
        assert_eq!(r.tree.header.version, row.version, "{} version", row.file);
        assert_eq!(r.tree.header.last_comp_version, 16, "{}", row.file);
        assert_eq!(r.tree.header.boot_cpuid_phys, be32(&bytes, 28), "{}", row.file);
        assert_eq!(r.tree.node(r.tree.root).name, "", "{}", row.file);
    }
}

#[test]
fn corpus_offsets_point_at_tokens_and_names() {
    for row in manifest() {
        let bytes = corpus_file(&row.file);
        let r = read(&bytes);
        let t = &r.tree;
        let off_strings = be32(&bytes, 12) as usize;
        for (id, _) in t.walk() {
            let n = t.node(id);
            let o = n.offset.expect("node offset") as usize;
            assert_eq!(be32(&bytes, o), dtb::FDT_BEGIN_NODE, "{} {}", row.file, t.path(id));
            assert_eq!(&bytes[o + 4..o + 4 + n.name.len()], n.name.as_bytes());
            assert_eq!(bytes[o + 4 + n.name.len()], 0);
            for p in &n.props {
                let o = p.offset.expect("prop offset") as usize;
                assert_eq!(be32(&bytes, o), dtb::FDT_PROP);
                assert_eq!(be32(&bytes, o + 4) as usize, p.value.len());
                assert_eq!(&bytes[o + 12..o + 12 + p.value.len()], &p.value[..]);
                let no = off_strings + be32(&bytes, o + 8) as usize;
                assert_eq!(&bytes[no..no + p.name.len() + 1], [p.name.as_bytes(), b"\0"].concat());
            }
        }
    }
}

#[test]
fn corpus_specific_diagnostics() {
    // Free space after the strings block inside totalsize: silently fine (libfdt layout).
    let raw = read(&corpus_file("qemu_qemu-aarch64-virt-a57.raw.dtb"));
    let packed = read(&corpus_file("qemu_qemu-aarch64-virt-a57.dtb"));
    assert_eq!(raw.tree.nodes.len(), packed.tree.nodes.len());
    // File longer than totalsize: one info diagnostic with the count.
    let rv = read(&corpus_file("qemu_qemu-riscv64-virt.raw.dtb"));
    let past: Vec<_> = rv.diagnostics.iter().filter(|d| d.message.contains("follow the end of the blob")).collect();
    assert_eq!(past.len(), 1, "{:?}", rv.diagnostics);
    assert_eq!(past[0].severity, Severity::Info);
    assert_eq!(past[0].offset, Some(4222));
    assert!(past[0].message.contains("1044354 bytes"), "{}", past[0].message);
    // QEMU dumps: non-zero padding, reported once, at info level.
    for name in ["qemu_qemu-aarch64-virt-a57.dtb", "qemu_qemu-ppc-ppce500.dtb", "qemu_qemu-riscv64-virt.dtb"] {
        let r = read(&corpus_file(name));
        let pad: Vec<_> = r.diagnostics.iter().filter(|d| d.message.contains("padding")).collect();
        assert_eq!(pad.len(), 1, "{name}: {:?}", r.diagnostics);
        assert_eq!(pad[0].severity, Severity::Info);
        assert!(r.diagnostics.len() <= 2, "{name}: noisy: {:?}", r.diagnostics);
    }
    // dtc-built blobs pad with zeros and say nothing at all.
    for row in manifest().iter().filter(|r| r.file.starts_with("deb") || r.file.starts_with("src_")) {
        let r = read(&corpus_file(&row.file));
        let noisy: Vec<_> = r.diagnostics.iter().filter(|d| !d.message.contains("characters long")).collect();
        assert!(noisy.is_empty(), "{}: {:?}", row.file, noisy);
    }
    // Reservations.
    let fvp = read(&corpus_file("deb64_arm_fvp-base-revc.dtb"));
    assert_eq!(fvp.tree.reservations.len(), 1);
    let rpi = read(&corpus_file("deb64_broadcom_bcm2711-rpi-4-b.dtb"));
    assert_eq!(rpi.tree.reservations, vec![dtlens::Reservation { address: 0, size: 0x1000 }]);
    // The overlay reads as an ordinary tree with its special nodes.
    let ov = read(&corpus_file("deb64_renesas_salvator-panel-aa104xd12.dtbo"));
    let t = &ov.tree;
    let top: Vec<_> = t.node(t.root).children.iter().map(|&c| t.node(c).name.clone()).collect();
    assert!(top.iter().any(|n| n == "__fixups__"), "{top:?}");
    assert!(top.iter().any(|n| n == "__local_fixups__"), "{top:?}");
    assert!(t.find("/fragment@0/__overlay__").is_some());
}

// ---------------------------------------------------------------- hand-built blobs

/// Minimal blob builder with full control of every header field (for damaged inputs).
struct Blob {
    rsv: Vec<(u64, u64)>,
    structure: Vec<u8>,
    strings: Vec<u8>,
}

impl Blob {
    fn new() -> Self {
        Blob { rsv: vec![], structure: vec![], strings: vec![] }
    }
    fn tok(&mut self, t: u32) -> &mut Self {
        self.structure.extend_from_slice(&t.to_be_bytes());
        self
    }
    fn begin(&mut self, name: &[u8]) -> &mut Self {
        self.tok(dtb::FDT_BEGIN_NODE);
        self.structure.extend_from_slice(name);
        self.structure.push(0);
        while !self.structure.len().is_multiple_of(4) {
            self.structure.push(0);
        }
        self
    }
    fn end(&mut self) -> &mut Self {
        self.tok(dtb::FDT_END_NODE)
    }
    fn prop_at(&mut self, nameoff: u32, value: &[u8]) -> &mut Self {
        self.tok(dtb::FDT_PROP);
        self.structure.extend_from_slice(&(value.len() as u32).to_be_bytes());
        self.structure.extend_from_slice(&nameoff.to_be_bytes());
        self.structure.extend_from_slice(value);
        while !self.structure.len().is_multiple_of(4) {
            self.structure.push(0);
        }
        self
    }
    fn prop(&mut self, name: &str, value: &[u8]) -> &mut Self {
        let off = self.strings.len() as u32;
        self.strings.extend_from_slice(name.as_bytes());
        self.strings.push(0);
        self.prop_at(off, value)
    }
    fn build(&self) -> Vec<u8> {
        let rsv_off = 40usize;
        let struct_off = rsv_off + 16 * (self.rsv.len() + 1);
        let strings_off = struct_off + self.structure.len();
        let total = strings_off + self.strings.len();
        let mut b = Vec::new();
        for v in [
            dtb::FDT_MAGIC,
            total as u32,
            struct_off as u32,
            strings_off as u32,
            rsv_off as u32,
            17,
            16,
            0,
            self.strings.len() as u32,
            self.structure.len() as u32,
        ] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        for &(a, s) in self.rsv.iter().chain([(0, 0)].iter()) {
            b.extend_from_slice(&a.to_be_bytes());
            b.extend_from_slice(&s.to_be_bytes());
        }
        b.extend_from_slice(&self.structure);
        b.extend_from_slice(&self.strings);
        b
    }
}

fn set32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_be_bytes());
}

fn simple() -> Blob {
    let mut b = Blob::new();
    b.begin(b"").prop("compatible", b"acme,board\0").begin(b"cpus").prop("#address-cells", &[0, 0, 0, 1]);
    b.begin(b"cpu@0").prop("reg", &[0, 0, 0, 0]).end().end();
    b.begin(b"memory@0").prop("reg", &[0; 8]).end().end().tok(dtb::FDT_END);
    b
}

fn errors(r: &dtb::ReadResult) -> Vec<String> {
    r.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect()
}

#[test]
fn clean_blob_reads_silently() {
    let r = read(&simple().build());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let t = &r.tree;
    let paths: Vec<String> = t.walk().map(|(id, _)| t.path(id)).collect();
    assert_eq!(paths, ["/", "/cpus", "/cpus/cpu@0", "/memory@0"]);
    assert_eq!(t.node(t.root).props[0].value, b"acme,board\0");
    assert_eq!(t.node(t.root).offset, Some(56));
    assert_eq!(t.node(t.root).props[0].offset, Some(64));
}

#[test]
fn wrong_magic_gives_empty_tree() {
    let mut b = simple().build();
    b[0] = 0;
    b[4] ^= 0x40; // totalsize no longer matches, so no reason to try anyway
    let r = read(&b);
    assert_eq!(r.tree.nodes.len(), 1);
    assert_eq!(errors(&r).len(), 1, "{:?}", r.diagnostics);
    assert!(r.diagnostics[0].message.contains("magic is 0x000dfeed"), "{}", r.diagnostics[0]);
    // Little-endian magic is named as such.
    let mut le = simple().build();
    le[0..4].copy_from_slice(&dtb::FDT_MAGIC.to_le_bytes());
    assert!(read(&le).diagnostics[0].message.contains("byte-swapped"));
}

#[test]
fn wrong_magic_with_exact_header_is_read_anyway() {
    let mut b = simple().build();
    b[3] ^= 1;
    let r = read(&b);
    assert_eq!(r.tree.node_count(), 4);
    assert_eq!(errors(&r).len(), 1);
    assert!(errors(&r)[0].contains("read anyway"));
}

#[test]
fn short_inputs() {
    for n in 0..40 {
        let b = &simple().build()[..n];
        let r = read(b);
        assert_eq!(r.tree.nodes.len(), 1);
        assert!(!errors(&r).is_empty(), "{n} bytes");
    }
}

#[test]
fn old_versions_are_unsupported() {
    let mut b = simple().build();
    set32(&mut b, 20, 3);
    let r = read(&b);
    assert_eq!(r.tree.nodes.len(), 1);
    assert!(errors(&r)[0].contains("version 3 is not supported"), "{:?}", errors(&r));
}

#[test]
fn version_16_is_bounded_by_strings_offset() {
    let mut b = simple().build();
    set32(&mut b, 20, 16);
    set32(&mut b, 36, 0xffff_ffff); // no size_dt_struct in v16: must be ignored
    let r = read(&b);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.tree.node_count(), 4);
    assert_eq!(r.tree.header.version, 16);
}

#[test]
fn last_comp_version_checks() {
    let mut b = simple().build();
    set32(&mut b, 24, 18);
    let r = read(&b);
    assert_eq!(r.tree.node_count(), 4);
    assert!(errors(&r)[0].contains("last_comp_version is 18"), "{:?}", r.diagnostics);
    let mut b = simple().build();
    set32(&mut b, 20, 20);
    let r = read(&b);
    assert!(errors(&r).is_empty());
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, Severity::Info);
}

#[test]
fn totalsize_larger_than_input() {
    let mut b = simple().build();
    let n = b.len();
    set32(&mut b, 4, n as u32 + 100);
    let r = read(&b);
    assert_eq!(r.tree.node_count(), 4);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains(&format!("totalsize is {} but the input is only {n} bytes (100 missing)", n + 100)));
}

#[test]
fn huge_property_length() {
    let mut b = simple().build();
    assert_eq!(be32(&b, 64), dtb::FDT_PROP);
    set32(&mut b, 68, 0x7fff_fff0); // length of the root's first property
    let r = read(&b);
    let e = errors(&r);
    assert!(e[0].contains("property at 0x40 claims 2147483632 bytes but only"), "{e:?}");
    assert_eq!(r.diagnostics[0].path.as_deref(), Some("/"));
    // Root kept, closed implicitly.
    assert_eq!(r.tree.node_count(), 1);
    assert!(e.iter().any(|m| m.contains("closed implicitly")), "{e:?}");
}

#[test]
fn truncated_half_way_keeps_first_half() {
    let full = simple().build();
    let whole = read(&full).tree;
    let cpu0 = whole.node(whole.find("/cpus/cpu@0").unwrap()).offset.unwrap() as usize;
    let cut = &full[..cpu0 + 8];
    let r = read(cut);
    let t = &r.tree;
    assert!(t.find("/cpus").is_some());
    assert!(t.find("/memory@0").is_none());
    assert!(errors(&r).iter().any(|m| m.contains("closed implicitly")), "{:?}", r.diagnostics);
}

#[test]
fn bad_string_offsets_use_placeholders() {
    let mut b = Blob::new();
    b.begin(b"").prop("ok", b"").prop_at(1000, b"x").end().tok(dtb::FDT_END);
    let r = read(&b.build());
    let names: Vec<_> = r.tree.node(r.tree.root).props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["ok", "<bad-name@0x3e8>"]);
    let e = errors(&r);
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("name offset 1000 is past the end of the 3-byte strings block"), "{e:?}");
    // Unterminated last string.
    let mut b = Blob::new();
    b.begin(b"").prop("ok", b"").end().tok(dtb::FDT_END);
    b.strings.extend_from_slice(b"abc");
    let mut blob = b.build();
    let r0 = read(&blob);
    assert!(r0.diagnostics.is_empty());
    // point the property at "abc" (offset 3) which has no NUL
    let poff = 56 + 4 + 4 + 4;
    set32(&mut blob, poff + 4, 3);
    let r = read(&blob);
    assert_eq!(r.tree.node(r.tree.root).props[0].name, "<bad-name@0x3>");
    assert!(errors(&r)[0].contains("no terminating NUL"));
}

#[test]
fn suffix_shared_strings() {
    let mut b = Blob::new();
    b.strings.extend_from_slice(b"#address-cells\0");
    b.begin(b"").prop_at(0, &[0, 0, 0, 1]).prop_at(9, &[0, 0, 0, 2]).end().tok(dtb::FDT_END);
    let r = read(&b.build());
    let names: Vec<_> = r.tree.node(r.tree.root).props.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["#address-cells", "cells"]);
    assert!(r.diagnostics.is_empty());
}

#[test]
fn long_names_warn_but_read() {
    let long = "a-very-long-node-name-that-exceeds-thirty-one";
    let mut b = Blob::new();
    b.begin(b"").begin(format!("{long}@1").as_bytes()).prop("a-property-name-longer-than-31-characters", b"").end();
    b.end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert!(errors(&r).is_empty());
    assert_eq!(r.diagnostics.len(), 2, "{:?}", r.diagnostics);
    assert!(r.diagnostics.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(r.diagnostics[0].path.as_deref(), Some(format!("/{long}@1").as_str()));
    assert!(r.tree.find(&format!("/{long}@1")).is_some());
}

#[test]
fn invalid_utf8_names_are_lossy() {
    let mut b = Blob::new();
    b.begin(b"").begin(b"n\xffode").end().end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert!(r.tree.find("/n\u{fffd}ode").is_some());
    assert_eq!(errors(&r).len(), 1);
}

#[test]
fn nop_and_nonzero_padding() {
    let mut b = Blob::new();
    b.begin(b"").tok(dtb::FDT_NOP).prop("a", b"x").tok(dtb::FDT_NOP).prop("b", b"yy").end().tok(dtb::FDT_END);
    let mut blob = b.build();
    // padding after "x": 3 bytes at struct offset 4+4+12+1
    let pad = 56 + 8 + 4 + 12 + 1;
    blob[pad] = 0xaa;
    blob[pad + 2] = 0x55;
    let r = read(&blob);
    assert_eq!(r.tree.node(r.tree.root).props.len(), 2);
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(r.diagnostics[0].severity, Severity::Info);
    assert_eq!(r.diagnostics[0].offset, Some(pad as u32));
    assert!(r.diagnostics[0].message.starts_with("2 alignment padding bytes in 1 places"));
}

#[test]
fn reservations_and_missing_terminator() {
    let mut b = simple();
    b.rsv = vec![(0x8000_0000, 0x10_0000), (0x1_0000_0000, 0x1000)];
    let blob = b.build();
    let r = read(&blob);
    assert!(r.diagnostics.is_empty());
    assert_eq!(r.tree.reservations.len(), 2);
    assert_eq!(r.tree.reservations[1].address, 0x1_0000_0000);
    // Overwrite the terminator with a non-zero entry: it runs into the structure block.
    let mut bad = blob.clone();
    bad[40 + 32 + 15] = 1;
    let r = read(&bad);
    assert!(errors(&r)[0].contains("no (0, 0) terminator"), "{:?}", r.diagnostics);
    assert_eq!(r.tree.reservations.len(), 3);
    assert_eq!(r.tree.node_count(), 4);
}

#[test]
fn end_inside_node_and_extra_root() {
    let mut b = Blob::new();
    b.begin(b"").begin(b"a").tok(dtb::FDT_END);
    let r = read(&b.build());
    assert!(r.tree.find("/a").is_some());
    assert!(errors(&r)[0].contains("with 2 nodes still open"));
    let mut b = Blob::new();
    b.begin(b"").end().begin(b"again").end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert_eq!(r.tree.node_count(), 1);
    assert!(errors(&r)[0].contains("second top-level node"));
}

#[test]
fn unknown_token() {
    let mut b = Blob::new();
    b.begin(b"").begin(b"a").tok(7).end().end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert!(errors(&r)[0].contains("unknown token 0x00000007"));
    assert_eq!(r.diagnostics[0].path.as_deref(), Some("/a"));
    assert!(r.tree.find("/a").is_some());
}

#[test]
fn depth_limit() {
    let mut b = Blob::new();
    b.begin(b"");
    for _ in 0..(dtb::MAX_DEPTH + 10) {
        b.begin(b"n");
    }
    let r = read(&b.build());
    let e = errors(&r);
    assert!(e[0].contains(&format!("more than {} deep", dtb::MAX_DEPTH)), "{e:?}");
    assert_eq!(r.tree.node_count(), dtb::MAX_DEPTH);
    // exactly at the limit is fine
    let mut b = Blob::new();
    b.begin(b"");
    for _ in 1..dtb::MAX_DEPTH {
        b.begin(b"n");
    }
    for _ in 0..dtb::MAX_DEPTH {
        b.end();
    }
    b.tok(dtb::FDT_END);
    assert!(read(&b.build()).diagnostics.is_empty());
}

#[test]
fn property_after_subnode_warns() {
    let mut b = Blob::new();
    b.begin(b"").begin(b"a").end().prop("late", b"").end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert_eq!(r.tree.node(r.tree.root).props[0].name, "late");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn many_bad_names_are_capped() {
    let mut b = Blob::new();
    b.begin(b"");
    for i in 0..100 {
        b.prop_at(5000 + i, b"");
    }
    b.end().tok(dtb::FDT_END);
    let r = read(&b.build());
    assert_eq!(r.tree.node(r.tree.root).props.len(), 100);
    assert_eq!(r.diagnostics.len(), dtb::read::MAX_SAME_KIND + 1);
    assert!(r.diagnostics.last().unwrap().message.starts_with("100 property names"));
}

#[test]
fn reads_100k_nodes_quickly() {
    let mut b = Blob::new();
    b.begin(b"");
    for i in 0..100_000u32 {
        b.begin(format!("node@{i:x}").as_bytes());
        b.prop_at(0, &i.to_be_bytes());
        b.end();
    }
    b.strings.extend_from_slice(b"reg\0");
    b.end().tok(dtb::FDT_END);
    let blob = b.build();
    let t0 = std::time::Instant::now();
    let r = read(&blob);
    let dt = t0.elapsed();
    assert_eq!(r.tree.node_count(), 100_001);
    assert!(r.diagnostics.is_empty());
    // A guard against quadratic behaviour, not a benchmark: generous for a debug build on
    // a loaded shared machine (release reads this in tens of milliseconds).
    assert!(dt.as_secs() < 30, "{dt:?}");
}

#[test]
fn empty_structure_block() {
    let mut b = simple().build();
    set32(&mut b, 36, 0);
    let r = read(&b);
    assert_eq!(r.tree.nodes.len(), 1);
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("the structure block at 0x38 is empty"), "{e:?}");
}

#[test]
fn property_name_length_bound() {
    let ok = "p".repeat(dtb::MAX_PROP_NAME_BYTES);
    let long = "q".repeat(dtb::MAX_PROP_NAME_BYTES + 1);
    let mut b = Blob::new();
    b.begin(b"").prop(&ok, b"").prop(&long, b"").end().tok(dtb::FDT_END);
    let r = read(&b.build());
    let names: Vec<_> = r.tree.node(r.tree.root).props.iter().map(|p| p.name.clone()).collect();
    assert_eq!(names[0], ok);
    assert_eq!(names[1], format!("<bad-name@0x{:x}>", dtb::MAX_PROP_NAME_BYTES + 1));
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].contains("is longer than 256 bytes"), "{e:?}");
}

#[test]
fn lossy_names_stay_within_the_bound_through_a_roundtrip() {
    // 100 invalid bytes become 300 bytes of U+FFFD: over the bound, so a placeholder; 80
    // become 240: kept, and written back as valid UTF-8 that reads the same.
    let mut b = Blob::new();
    b.strings.extend_from_slice(&[0xff; 100]);
    b.strings.push(0);
    b.strings.extend_from_slice(&[0xfe; 80]);
    b.strings.push(0);
    b.begin(b"").prop_at(0, b"").prop_at(101, b"").end().tok(dtb::FDT_END);
    let r = read(&b.build());
    let props = &r.tree.node(r.tree.root).props;
    assert_eq!(props[0].name, "<bad-name@0x0>");
    assert_eq!(props[1].name, "\u{fffd}".repeat(80));
    let again = read(&dtb::write(&r.tree));
    assert!(errors(&again).is_empty(), "{:?}", again.diagnostics);
    assert_eq!(again.tree.node(again.tree.root).props[1].name, props[1].name);
}

#[test]
fn one_long_string_cannot_multiply_memory() {
    // 20,000 properties whose name offsets point into one 200 KB unterminated run: every
    // name is refused after a bounded scan, so the tree holds only short placeholders.
    let mut b = Blob::new();
    b.strings.extend(std::iter::repeat_n(b'a', 200_000));
    b.strings.push(0);
    b.begin(b"");
    for i in 0..20_000 {
        b.prop_at(i, b"");
    }
    b.end().tok(dtb::FDT_END);
    let r = read(&b.build());
    let props = &r.tree.node(r.tree.root).props;
    assert_eq!(props.len(), 20_000);
    let total: usize = props.iter().map(|p| p.name.len()).sum();
    assert!(total < 20_000 * 24, "{total} bytes of names");
    assert_eq!(r.diagnostics.len(), dtb::read::MAX_SAME_KIND + 1);
}
