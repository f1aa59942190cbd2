//! The properties the fuzz targets check, written once.
//!
//! Each `fuzz/fuzz_targets/<target>.rs` is one line around the function of the same name
//! here (it pulls this file in with `#[path]`), and `tests/fuzz_regressions.rs` replays every
//! kept input in `tests/fuzz_regressions/<target>/` through [`TARGETS`]. So a crash input
//! found by the fuzzer is checked against exactly the property that found it, in CI, and
//! the two cannot drift. A violated property is a panic, as libFuzzer expects.
//!
//! Plain Rust on purpose: no `arbitrary` or `libfuzzer-sys`, so the library and its tests
//! gain no dependency. The `edit_ops` input is decoded by [`Bytes`], a small cursor that
//! reads past the end as zeros, so every byte string is a valid program.

#![allow(dead_code)] // Each fuzz target uses one property of the four.

use dtlens::dtb::{self, write};
use dtlens::dts::{parse, print, ParseOptions};
use dtlens::edit::{History, Op};
use dtlens::{Severity, Tree};
use std::sync::OnceLock;

/// A fuzz target's property: panics when the input violates it.
pub type Check = fn(&[u8]);

/// Every target: its name (the directory under `tests/fuzz_regressions/` and the fuzz
/// target's name) and the property it checks.
pub const TARGETS: &[(&str, Check)] =
    &[("read", read), ("dts_parse", dts_parse), ("share_decode", share_decode), ("edit_ops", edit_ops)];

/// Depth, name and properties (name, value) of every reachable node, in document order.
pub type Shape = Vec<(usize, String, Vec<(String, Vec<u8>)>)>;

pub fn shape(t: &Tree) -> Shape {
    t.walk()
        .map(|(id, d)| {
            let n = t.node(id);
            (d, n.name.clone(), n.props.iter().map(|p| (p.name.clone(), p.value.clone())).collect())
        })
        .collect()
}

/// `blob` (our own `write` of `tree`) reads back without errors to the same tree, and
/// writing what was read gives the same bytes.
pub fn assert_reads_back(tree: &Tree, blob: &[u8]) {
    let back = dtb::read(blob);
    let errors: Vec<_> = back.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "re-read of our own output: {errors:?}");
    assert_eq!(shape(tree), shape(&back.tree), "the blob reads back to a different tree");
    assert_eq!(tree.reservations, back.tree.reservations);
    assert_eq!(tree.header.boot_cpuid_phys, back.tree.header.boot_cpuid_phys);
    assert_eq!(write(&back.tree), blob, "writing the tree read back gives other bytes");
}

/// Our DTS of `tree` compiles back (with our parser) to `blob`, `write(tree)`. The boot
/// CPU is set aside: DTS cannot carry it. `Err` says why, for callers that only expect it
/// to hold when it held before.
pub fn dts_roundtrip(tree: &Tree, blob: &[u8]) -> Result<(), String> {
    let dts = print(tree);
    let again = parse(&dts, &ParseOptions::default());
    let Some(t2) = again.ok() else {
        let why: Vec<String> = again.diagnostics.iter().map(|d| d.to_string()).collect();
        return Err(format!("printed DTS does not parse: {why:?}\n{dts}"));
    };
    let mut t2 = t2.clone();
    t2.header.boot_cpuid_phys = tree.header.boot_cpuid_phys;
    if write(&t2) != blob {
        return Err(format!("printed DTS compiles to other bytes:\n{dts}"));
    }
    Ok(())
}

/// Whether DTS can carry the tree as it is. dtc's compiler (and ours, which follows it)
/// rejects or drops every `name` property, and rejects a `phandle`/`linux,phandle` that is
/// not one cell other than 0 and 0xffffffff, the two differing on one node, or one value on
/// two nodes. A blob holds such trees; edits can make them; DTS cannot say them.
pub fn dts_can_carry(tree: &Tree) -> bool {
    let mut seen = std::collections::HashSet::new();
    tree.walk().all(|(id, _)| {
        let n = tree.node(id);
        if n.prop("name").is_some() {
            return false;
        }
        let cell = |name: &str| n.prop(name).map(|p| <[u8; 4]>::try_from(&p.value[..]).map(u32::from_be_bytes));
        let v = match (cell("phandle"), cell("linux,phandle")) {
            (None, None) => return true,
            (Some(Ok(a)), Some(Ok(b))) if a == b => a,
            (Some(Ok(v)), None) | (None, Some(Ok(v))) => v,
            _ => return false,
        };
        v != 0 && v != u32::MAX && seen.insert(v)
    })
}

/// `read`: any bytes give a tree and diagnostics (no panic); every diagnostic is a sentence
/// and points inside the input; the tree written back reads back the same, without errors,
/// and writing is idempotent.
pub fn read(data: &[u8]) {
    let first = dtb::read(data);
    for d in &first.diagnostics {
        assert!(!d.message.is_empty());
        if let Some(o) = d.offset {
            assert!(o as usize <= data.len(), "{d} (input {} bytes)", data.len());
        }
    }
    let blob = write(&first.tree);
    assert_reads_back(&first.tree, &blob);
}

/// `dts_parse`: any text gives a tree or errors (no panic); every diagnostic has a 1-based
/// position inside the input. A source that compiles without errors survives the DTB round
/// trip, and our DTS print of the tree parses back to the same blob.
pub fn dts_parse(data: &[u8]) {
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
    let long_name =
        tree.walk().any(|(id, _)| tree.node(id).props.iter().any(|p| p.name.len() > dtb::MAX_PROP_NAME_BYTES));
    match tree.reservations.iter().position(|r| r.size == 0) {
        // The reader's documented bound (dtc has none): a longer property name is not read
        // but reported as an error.
        _ if long_name => assert!(dtb::read(&blob).diagnostics.iter().any(|d| d.severity == Severity::Error)),
        None => assert_reads_back(tree, &blob),
        Some(i) => {
            // `/memreserve/ A 0;` is written as dtc writes it, but every reader (libfdt,
            // dtc, ours) ends the map at the first size-0 entry: that is the format.
            let back = dtb::read(&blob);
            assert_eq!(shape(tree), shape(&back.tree));
            assert_eq!(tree.reservations[..i], back.tree.reservations[..]);
        }
    }
    if let Err(e) = dts_roundtrip(tree, &blob) {
        panic!("{e}");
    }
}

/// `share_decode`: any text gives a share or a `DecodeError` (no panic), and whatever
/// decodes re-encodes to a link that decodes to the same share. The same bytes are tried
/// as a `.dtlens` file and as a raw container behind the file magic with a valid checksum,
/// which reaches the field parser without passing the CRC by luck.
pub fn share_decode(data: &[u8]) {
    use dtlens::share;
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = share::decode(&text) {
        let again = share::decode(&share::encode(&s)).expect("re-encoded link decodes");
        assert_eq!(again, s);
    }
    let _ = share::decode_file(data);
    let mut file = share::FILE_MAGIC.to_vec();
    file.extend_from_slice(data);
    file.extend_from_slice(&share::crc32(data).to_le_bytes());
    if let Ok(s) = share::decode_file(&file) {
        assert_eq!(share::decode_file(&share::encode_file(&s)).as_ref(), Ok(&s));
        assert_eq!(s.container(), file[share::FILE_MAGIC.len()..].to_vec());
    }
}

/// Reads the fuzz input front to back; past the end it reads zeros, so any input decodes.
pub struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes(data)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(u16::from_le_bytes([self.byte(), self.byte()])) % n
        }
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        let t = self.take(8);
        b[..t.len()].copy_from_slice(t);
        u64::from_le_bytes(b)
    }
}

/// The built-in trees an `edit_ops` input can start from (its first byte picks one, or a
/// blob carried in the input). Small on purpose: labels and phandle references, unit
/// addresses, string lists, 64-bit values, reservations, a deeper chain, and an empty root.
const SEED_SOURCES: &[&str] = &[
    r#"/dts-v1/;
/memreserve/ 0x48000000 0x100000;
/ {
    #address-cells = <2>;
    #size-cells = <1>;
    compatible = "vendor,board", "vendor,soc";
    model = "fuzz board";
    chosen { bootargs = "console=ttyS0 root=/dev/vda"; stdout-path = &uart0; };
    aliases { serial0 = "/soc/serial@1000"; };
    cpus {
        #address-cells = <1>;
        #size-cells = <0>;
        cpu@0 { device_type = "cpu"; reg = <0>; enable-method = "psci"; };
        cpu@1 { device_type = "cpu"; reg = <1>; next-level-cache = <&l2>; };
        l2: l2-cache { compatible = "cache"; };
    };
    memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x20000000>; };
    intc: interrupt-controller@8000000 {
        compatible = "arm,gic-v3";
        interrupt-controller;
        #interrupt-cells = <3>;
        reg = <0x0 0x8000000 0x10000>;
    };
    soc {
        compatible = "simple-bus";
        #address-cells = <1>;
        #size-cells = <1>;
        ranges = <0x0 0x0 0x0 0x40000000>;
        interrupt-parent = <&intc>;
        uart0: serial@1000 {
            compatible = "ns16550a";
            reg = <0x1000 0x100>;
            interrupts = <0 1 4>;
            clock-frequency = /bits/ 64 <0x1c200>;
            status = "okay";
        };
        gpio@2000 { reg = <0x2000 0x100>; gpio-controller; #gpio-cells = <2>; };
    };
};
"#,
    r#"/dts-v1/;
/memreserve/ 0x1000 0x2000;
/memreserve/ 0xffffffff00000000 0x10;
/ {
    #address-cells = <2>;
    #size-cells = <2>;
    hypervisor@b0000000 {
        compatible = "xen,xen-4.17", "xen,xen";
        reg = <0x0 0xb0000000 0x0 0x20000>;
        interrupts = <1 15 0xf08>;
    };
    chosen {
        #address-cells = <1>;
        #size-cells = <1>;
        xen,xen-bootargs = "dom0_mem=512M";
        domU1 {
            compatible = "xen,domain";
            memory = <0 0x20000>;
            cpus = <1>;
            module@4a000000 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x4a000000 0xffffff>; };
        };
    };
    a { b { c { d { e { x = [01 02 03]; }; }; }; }; };
};
"#,
    "/dts-v1/;\n/ { };\n",
];

fn seeds() -> &'static [Tree] {
    static SEEDS: OnceLock<Vec<Tree>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        SEED_SOURCES
            .iter()
            .map(|src| {
                let r = parse(src, &ParseOptions::default());
                r.ok().unwrap_or_else(|| panic!("seed does not compile: {:?}", r.diagnostics)).clone()
            })
            .collect()
    })
}

const PROP_NAMES: &[&str] = &[
    "compatible",
    "reg",
    "status",
    "phandle",
    "linux,phandle",
    "name",
    "#address-cells",
    "#size-cells",
    "interrupts",
    "interrupt-parent",
    "ranges",
    "model",
    "bootargs",
    "x",
    "a,b.c_d+e?f#g-h",
    "",
    "bad name",
    "a/b",
    "é",
];

const NODE_NAMES: &[&str] = &[
    "soc",
    "serial@1000",
    "a",
    "x@0",
    "memory@0",
    "cpus",
    "__symbols__",
    "a,b.c_d+e-f@1,2",
    "",
    "@1",
    "x@",
    "has space",
    "a/b",
    "x@@1",
];

/// Values that mean something to the printer (strings, cells, phandles) or to nothing.
fn value(b: &mut Bytes, tree: &Tree) -> Vec<u8> {
    match b.byte() % 8 {
        0 => Vec::new(),
        1 => b"okay\0".to_vec(),
        2 => b"a\0bc\0".to_vec(),
        3 => {
            // A phandle in use (or 1), then a few cells.
            let ph = tree.phandles().keys().copied().min().unwrap_or(1);
            let mut v = ph.to_be_bytes().to_vec();
            for _ in 0..b.byte() % 4 {
                v.extend_from_slice(&u32::from(b.byte()).to_be_bytes());
            }
            v
        }
        4 => b.u64().to_be_bytes().to_vec(),
        _ => {
            let n = usize::from(b.byte() % 24);
            b.take(n).to_vec()
        }
    }
}

/// A path: mostly a reachable node's, sometimes one that does not resolve or is not
/// canonical.
fn path(b: &mut Bytes, tree: &Tree) -> String {
    let nodes: Vec<_> = tree.walk().map(|(id, _)| id).collect();
    let pick = b.byte();
    let p = tree.path(nodes[usize::from(pick) % nodes.len()]);
    match pick >> 5 {
        0..=5 => p,
        6 => format!("{p}/"),
        _ => ["", "relative", "/nope", "//", "/a//b", "/soc/serial"][usize::from(pick) % 6].to_string(),
    }
}

fn prop_name(b: &mut Bytes, tree: &Tree, path: &str) -> String {
    let pick = b.byte();
    let existing: Vec<String> =
        tree.find(path).map(|id| tree.node(id).props.iter().map(|p| p.name.clone()).collect()).unwrap_or_default();
    match pick % 4 {
        0 | 1 if !existing.is_empty() => existing[usize::from(pick >> 2) % existing.len()].clone(),
        // One byte past the reader's bound on property names.
        2 if pick >> 2 == 63 => "n".repeat(dtb::MAX_PROP_NAME_BYTES + 1),
        3 => {
            let n = usize::from(b.byte() % 12);
            String::from_utf8_lossy(b.take(n)).into_owned()
        }
        _ => PROP_NAMES[usize::from(pick >> 2) % PROP_NAMES.len()].to_string(),
    }
}

fn node_name(b: &mut Bytes) -> String {
    let pick = b.byte();
    if pick % 4 == 3 {
        let n = usize::from(b.byte() % 12);
        String::from_utf8_lossy(b.take(n)).into_owned()
    } else {
        NODE_NAMES[usize::from(pick >> 2) % NODE_NAMES.len()].to_string()
    }
}

fn index(b: &mut Bytes) -> Option<usize> {
    match b.byte() {
        0..=99 => None,
        255 => Some(usize::MAX),
        i => Some(usize::from(i - 100) % 8),
    }
}

/// One op for the current tree, decoded from the input.
pub fn op(b: &mut Bytes, tree: &Tree) -> Op {
    match b.byte() % 9 {
        0 => {
            let path = path(b, tree);
            Op::SetProp { name: prop_name(b, tree, &path), value: value(b, tree), path }
        }
        1 => {
            let path = path(b, tree);
            Op::RemoveProp { name: prop_name(b, tree, &path), path }
        }
        2 => {
            let path = path(b, tree);
            Op::RenameProp { from: prop_name(b, tree, &path), to: prop_name(b, tree, &path), path }
        }
        3 => Op::AddNode { parent: path(b, tree), name: node_name(b), index: index(b) },
        4 => Op::RemoveNode { path: path(b, tree) },
        5 => Op::RenameNode { path: path(b, tree), name: node_name(b) },
        6 => Op::MoveNode { path: path(b, tree), new_parent: path(b, tree), index: index(b) },
        7 => {
            let small = b.byte();
            let (address, size) =
                if small & 1 == 0 { (u64::from(small >> 1) << 12, u64::from(b.byte())) } else { (b.u64(), b.u64()) };
            Op::AddReservation { address, size, index: index(b) }
        }
        _ => Op::RemoveReservation { index: usize::from(b.byte() % 6) },
    }
}

/// Most ops one input tries (keeps each run short).
pub const MAX_OPS: usize = 32;

/// `edit_ops`: a tree (a built-in seed or a blob carried in the input) and a sequence of
/// ops decoded from the input. Every op either is refused with a message and changes
/// nothing, or applies, and then the edited tree written as a blob reads back the same
/// (as in `read`). At the end, when the starting tree's DTS round trip held and DTS can
/// carry the edited tree ([`dts_can_carry`]), our DTS print of it parses back to the same
/// bytes. Undoing step by step gives back each earlier blob, ending with the original
/// bytes; redoing everything gives the edited blob again.
pub fn edit_ops(data: &[u8]) {
    let mut b = Bytes::new(data);
    let pick = usize::from(b.byte());
    let tree = match seeds().get(pick % (SEED_SOURCES.len() + 1)) {
        Some(t) => t.clone(),
        None => {
            let n = usize::from(u16::from_le_bytes([b.byte(), b.byte()]));
            dtb::read(b.take(n)).tree
        }
    };
    let orig = write(&tree);
    assert_reads_back(&tree, &orig);
    let dts_holds = dts_roundtrip(&tree, &orig).is_ok();
    if pick % (SEED_SOURCES.len() + 1) < SEED_SOURCES.len() {
        assert!(dts_holds, "a built-in seed must survive the DTS round trip");
    }

    let mut h = History::new(tree);
    // The blob after each applied op, oldest first: what each undo must give back.
    let mut blobs = vec![orig];
    let mut tried = 0;
    while !b.is_empty() && tried < MAX_OPS {
        let op = op(&mut b, h.tree());
        tried += 1;
        let before = blobs.last().expect("never empty");
        match h.apply(op.clone()) {
            Ok(()) => {
                let blob = write(h.tree());
                assert_reads_back(h.tree(), &blob);
                blobs.push(blob);
            }
            Err(e) => {
                assert!(!e.0.is_empty(), "{op:?} refused without a message");
                assert_eq!(&write(h.tree()), before, "refused {op:?} ({e}) changed the tree");
            }
        }
    }
    let edited = blobs.last().expect("never empty").clone();
    // Once, at the end: printing and parsing after every op made runs ten times slower.
    if dts_holds && dts_can_carry(h.tree()) {
        if let Err(e) = dts_roundtrip(h.tree(), &edited) {
            panic!("after {:?}: {e}", h.ops().collect::<Vec<_>>());
        }
    }
    let steps = blobs.len() - 1;
    while h.undo() {
        blobs.pop();
        assert_eq!(&write(h.tree()), blobs.last().expect("one undo per applied op"), "undo is not exact");
    }
    assert_eq!(blobs.len(), 1, "fewer undo steps than applied ops");
    for _ in 0..steps {
        assert!(h.redo(), "redo of an op that applied before was refused");
    }
    assert!(!h.redo());
    assert_eq!(write(h.tree()), edited, "redoing everything gives other bytes");
}
