//! Share links: random shares survive encode/decode exactly; cut and tampered links are
//! refused with a message, never a panic; link sizes over the corpus; the CLI.

use std::process::{Command, Output};

use dtlens::edit::{History, Op};
use dtlens::share::{
    self, decode, decode_file, encode, encode_file, Comment, DecodeErrorKind, LinkSize, ShareOp, ShareV1,
};
use dtlens::{Property, Reservation, Tree};

/// A seeded xorshift64* generator: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }
    /// Any text: ASCII, markup, controls, multi-byte characters, the empty string.
    fn text(&mut self, max: usize) -> String {
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "0",
            "/",
            "@",
            ",",
            " ",
            "<script>",
            "&amp;",
            "\"",
            "\n",
            "\u{1b}[2J",
            "\0",
            "é",
            "漢",
            "🙂",
            "\u{202e}",
        ];
        let n = self.below(max + 1);
        (0..n).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }
    fn name(&mut self) -> String {
        const C: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789,._+-";
        let n = 1 + self.below(12);
        let mut s: String = (0..n).map(|_| C[self.below(C.len())] as char).collect();
        if !s.as_bytes()[0].is_ascii_alphabetic() {
            s.insert(0, 'n');
        }
        s
    }
    fn opt_index(&mut self) -> Option<u64> {
        match self.below(4) {
            0 => None,
            1 => Some(u64::MAX),
            _ => Some(self.below(5) as u64),
        }
    }
}

/// A random tree: nodes with unique names per parent, properties of random bytes.
fn random_tree(rng: &mut Rng) -> Tree {
    let mut t = Tree::new();
    let mut ids = vec![t.root];
    for _ in 0..rng.below(40) {
        let parent = ids[rng.below(ids.len())];
        let name = format!("{}@{:x}", rng.name(), ids.len());
        let id = t.add_child(parent, name);
        ids.push(id);
    }
    for &id in &ids {
        for j in 0..rng.below(6) {
            let value = match rng.below(3) {
                0 => format!("{}\0", rng.name()).into_bytes(),
                1 => (0..rng.below(4)).flat_map(|_| (rng.next() as u32).to_be_bytes()).collect(),
                _ => rng.bytes(24),
            };
            t.node_mut(id).props.push(Property::new(format!("{}{j}", rng.name()), value));
        }
    }
    for _ in 0..rng.below(3) {
        t.reservations.push(Reservation { address: rng.next() | 1, size: rng.next() });
    }
    t
}

fn random_op(rng: &mut Rng) -> ShareOp {
    let path = |rng: &mut Rng| (0..rng.below(4)).map(|_| format!("/{}", rng.name())).collect::<String>();
    match rng.below(9) {
        0 => ShareOp::SetProp { path: path(rng), name: rng.text(8), value: rng.bytes(64) },
        1 => ShareOp::RemoveProp { path: path(rng), name: rng.name() },
        2 => ShareOp::RenameProp { path: rng.text(20), from: rng.name(), to: rng.text(6) },
        3 => ShareOp::AddNode { parent: path(rng), name: rng.name(), index: rng.opt_index() },
        4 => ShareOp::RemoveNode { path: path(rng) },
        5 => ShareOp::RenameNode { path: path(rng), name: rng.text(10) },
        6 => ShareOp::MoveNode { path: path(rng), new_parent: path(rng), index: rng.opt_index() },
        7 => ShareOp::AddReservation { address: rng.next(), size: rng.next() >> rng.below(64), index: rng.opt_index() },
        _ => ShareOp::RemoveReservation { index: rng.next() >> rng.below(64) },
    }
}

fn random_share(rng: &mut Rng) -> ShareV1 {
    let tree = random_tree(rng);
    let blob = dtlens::dtb::write(&tree);
    let ops = (0..rng.below(12)).map(|_| random_op(rng)).collect();
    let comments = (0..rng.below(6))
        .map(|_| Comment {
            path: rng.text(12),
            property: if rng.chance(50) { Some(rng.text(6)) } else { None },
            text: rng.text(60),
        })
        .collect();
    let selection =
        if rng.chance(60) { Some((rng.text(12), if rng.chance(50) { Some(rng.name()) } else { None })) } else { None };
    ShareV1 { blob, ops, comments, selection, name: rng.text(10) }
}

#[test]
fn random_shares_round_trip_exactly() {
    let mut rng = Rng(0x5eed_0001_d71e_2005);
    let mut with_blob = 0;
    for i in 0..300 {
        let s = random_share(&mut rng);
        if !s.blob.is_empty() {
            with_blob += 1;
        }
        assert_eq!(s.check(), Ok(()));
        let frag = encode(&s);
        assert!(frag.starts_with("v1."));
        assert!(frag[3..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{frag}");
        assert_eq!(decode(&frag).as_ref(), Ok(&s), "share #{i}");
        let l = share::link("https://example.org/dtlens/", &s);
        assert_eq!(decode(&l).as_ref(), Ok(&s), "share #{i} as a link");
        assert_eq!(decode_file(&encode_file(&s)).as_ref(), Ok(&s), "share #{i} as a file");
        // The encoding is canonical: decoding and encoding again gives the same text.
        assert_eq!(encode(&decode(&frag).unwrap()), frag);
    }
    // The writer produced real blobs (not a stub's empty output).
    assert_eq!(with_blob, 300);
}

/// Edits made on a random tree, shared, decoded and applied give the same tree; refused
/// ops are reported with their position.
#[test]
fn applying_a_decoded_share_gives_the_edited_tree() {
    let mut rng = Rng(0xa991_7e5e_ed00_0002);
    for _ in 0..80 {
        let tree = random_tree(&mut rng);
        let blob = dtlens::dtb::write(&tree);
        let read = dtlens::dtb::read(&blob).tree;
        let paths: Vec<String> = read.walk().map(|(id, _)| read.path(id)).collect();
        let mut h = History::new(read.clone());
        let mut ops = Vec::new();
        for _ in 0..rng.below(10) {
            let p = paths[rng.below(paths.len())].clone();
            let op = match rng.below(4) {
                0 => Op::SetProp { path: p, name: rng.name(), value: rng.bytes(16) },
                1 => Op::AddNode { parent: p, name: format!("{}@{}", rng.name(), rng.below(99)), index: Some(0) },
                2 => Op::RemoveNode { path: p },
                _ => Op::AddReservation { address: 0x1000, size: 0x10, index: None },
            };
            if h.apply(op.clone()).is_ok() {
                ops.push(op);
            }
        }
        let bad = Op::RemoveNode { path: "/no/such/node".into() };
        let mut s = ShareV1::from_history("t.dtb", blob.clone(), &h);
        s.ops.insert(0, ShareOp::from(&bad));
        let decoded = decode(&encode(&s)).unwrap();
        let applied = decoded.apply();
        assert_eq!(applied.original.tree, read);
        assert_eq!(applied.history.tree(), h.tree());
        assert_eq!(applied.history.ops().cloned().collect::<Vec<_>>(), ops);
        assert_eq!(applied.failed.len(), 1);
        assert_eq!(applied.failed[0].index, 0);
        assert!(applied.failed[0].reason.contains("/no/such/node"), "{}", applied.failed[0].reason);
        assert_eq!(applied.tree_diff().is_empty(), dtlens::diff::diff(&read, h.tree()).is_empty());
        assert_eq!(applied.tree_diff(), dtlens::diff::diff(&read, h.tree()));
    }
}

fn corpus(name: &str) -> String {
    format!("{}/../shared/corpus/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn real_share() -> ShareV1 {
    let blob = std::fs::read(corpus("deb32_xenvm-4.2.dtb")).unwrap();
    ShareV1 {
        blob,
        ops: vec![
            ShareOp::SetProp {
                path: "/hypervisor".into(),
                name: "compatible".into(),
                value: b"xen,xen-4.19\0xen,xen\0".to_vec(),
            },
            ShareOp::AddNode { parent: "/hypervisor".into(), name: "uefi".into(), index: None },
        ],
        comments: vec![Comment { path: "/hypervisor".into(), property: None, text: "version string first".into() }],
        selection: Some(("/hypervisor".into(), Some("compatible".into()))),
        name: "deb32_xenvm-4.2.dtb".into(),
    }
}

#[test]
fn every_truncation_of_a_real_link_is_refused() {
    let l = share::link(share::DEFAULT_BASE, &real_share());
    let data_start = l.find("#v1.").unwrap() + 4;
    for cut in 0..l.len() {
        let e = decode(&l[..cut]).expect_err(&format!("cut at {cut} decoded"));
        if cut >= data_start {
            assert_eq!(e.kind, DecodeErrorKind::CutOff, "cut at {cut}: {e}");
            assert_eq!(e.to_string(), "the link is cut off");
        }
    }
}

#[test]
fn tampered_links_are_refused_never_accepted_changed() {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let s = real_share();
    let frag = encode(&s);
    let data = &frag.as_bytes()[3..];
    let mut rng = Rng(0x7a3e_7e5e_ed00_0003);
    let (mut refused, mut harmless) = (0, 0);
    let mut kinds = std::collections::BTreeMap::new();
    // Every single-character substitution, then random multi-character damage.
    let mut cases: Vec<Vec<u8>> = Vec::new();
    for i in 0..data.len() {
        let mut d = data.to_vec();
        let mut c = B64[rng.below(64)];
        while c == d[i] {
            c = B64[rng.below(64)];
        }
        d[i] = c;
        cases.push(d);
    }
    for _ in 0..2000 {
        let mut d = data.to_vec();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(d.len());
            match rng.below(4) {
                0 => d[i] = B64[rng.below(64)],
                1 => {
                    d.remove(i);
                }
                2 => d.insert(i, B64[rng.below(64)]),
                _ => d[i] = b"!+/=.%~"[rng.below(7)],
            }
        }
        if d != data {
            cases.push(d);
        }
    }
    for (n, d) in cases.iter().enumerate() {
        let text = format!("v1.{}", String::from_utf8(d.clone()).unwrap());
        match decode(&text) {
            Err(e) => {
                refused += 1;
                let kind = match e.kind {
                    DecodeErrorKind::CutOff => "cut off",
                    DecodeErrorKind::Damaged(_) => "damaged",
                    DecodeErrorKind::Newer(_) => "newer",
                    DecodeErrorKind::NotShare => "not a link",
                    DecodeErrorKind::TooLarge(_) => "too large",
                };
                *kinds.entry(kind).or_insert(0) += 1;
                assert!(!e.to_string().is_empty());
            }
            // The only way a changed link may decode: the change hit the unused padding
            // bits at the very end of the compressed stream, so the content is identical.
            Ok(got) => {
                assert_eq!(got, s, "case {n}: a tampered link decoded to different content");
                let first_diff = d.iter().zip(data).position(|(a, b)| a != b).unwrap_or(d.len().min(data.len()));
                assert!(first_diff + 2 >= data.len(), "case {n}: harmless change at {first_diff} of {}", data.len());
                harmless += 1;
            }
        }
    }
    eprintln!("tampered links: {refused} refused ({kinds:?}), {harmless} identical content (deflate end padding)");
    assert!(refused >= cases.len() - 4, "{refused} of {}", cases.len());
    // A checksum mismatch is reported as such.
    let mut c = s.container();
    let last = c.len() - 5;
    c[last] ^= 0x40;
    let f = format!("v1.{}", share::base64url_encode(&miniz_oxide_free_deflate(&c)));
    assert_eq!(decode(&f).unwrap_err().to_string(), "the link's data is damaged (checksum mismatch)");
}

/// Deflate `data` with stored blocks only (no compression), written here so the test does
/// not depend on the compressor: a valid raw-deflate stream of any container.
fn miniz_oxide_free_deflate(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let chunks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(65535).collect() };
    for (i, ch) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let n = ch.len() as u16;
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&(!n).to_le_bytes());
        out.extend_from_slice(ch);
    }
    out
}

#[test]
fn damaged_containers_with_valid_checksums_never_panic() {
    // Past the checksum, the field parser sees arbitrary bytes: it must refuse cleanly, and
    // anything it accepts must be canonical (encode gives back the same bytes).
    let mut rng = Rng(0xc0de_5eed_0000_0004);
    let base = real_share().container();
    let body = &base[..base.len() - 4];
    let mut accepted = 0;
    for _ in 0..3000 {
        let mut b = body.to_vec();
        match rng.below(3) {
            0 => b.truncate(rng.below(b.len() + 1)),
            1 => {
                for _ in 0..1 + rng.below(3) {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
            }
            _ => {
                let n = b.len();
                b = rng.bytes(n);
                if !b.is_empty() {
                    b[0] = 1;
                }
            }
        }
        let mut file = share::FILE_MAGIC.to_vec();
        file.extend_from_slice(&b);
        file.extend_from_slice(&share::crc32(&b).to_le_bytes());
        let frag = format!("v1.{}", share::base64url_encode(&miniz_oxide_free_deflate(&file[8..])));
        let from_file = decode_file(&file);
        let from_link = decode(&frag);
        assert_eq!(from_file.as_ref().ok(), from_link.as_ref().ok());
        if let Ok(s) = from_file {
            accepted += 1;
            assert_eq!(s.container(), file[8..].to_vec());
        } else {
            assert_eq!(from_file.unwrap_err().kind, from_link.unwrap_err().kind);
        }
    }
    assert!(accepted > 0, "some single-byte changes keep a valid container");
}

#[test]
fn huge_counts_and_lengths_are_refused_without_allocating() {
    // A container claiming a 2^60-byte blob, and one claiming 10^6 ops.
    let mut w = share::wire::Writer::new();
    w.u8(1);
    w.str("x");
    w.varint(1 << 60);
    let mut w2 = share::wire::Writer::new();
    w2.u8(1);
    w2.str("x");
    w2.bytes(b"");
    w2.varint(1_000_000);
    for (buf, want) in [(w.buf, DecodeErrorKind::CutOff), (w2.buf, DecodeErrorKind::TooLarge(share::Limit::Ops))] {
        let mut file = share::FILE_MAGIC.to_vec();
        let crc = share::crc32(&buf);
        file.extend_from_slice(&buf);
        file.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(decode_file(&file).unwrap_err().kind, want);
    }
}

#[test]
fn corpus_link_sizes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    let mut sizes: Vec<(usize, String)> = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.ends_with(".dtb") || name.ends_with(".dtbo")) {
            continue;
        }
        let blob = std::fs::read(&path).unwrap();
        let s = ShareV1 { blob, name: name.clone(), ..Default::default() };
        let l = share::link(share::DEFAULT_BASE, &s);
        assert_eq!(decode(&l).unwrap(), s, "{name}");
        sizes.push((l.len(), name));
    }
    sizes.sort();
    assert!(sizes.len() >= 40, "corpus has {} blobs", sizes.len());
    let median = sizes[sizes.len() / 2].0;
    let (largest, largest_name) = sizes.last().unwrap().clone();
    let silent = sizes.iter().filter(|(n, _)| LinkSize::of(*n) == LinkSize::Silent).count();
    let warn = sizes.iter().filter(|(n, _)| LinkSize::of(*n) == LinkSize::Warn).count();
    eprintln!(
        "corpus link sizes over {} blobs: median {median} bytes, largest {largest} bytes ({largest_name}), \
         smallest {} bytes; {silent} under 8 KiB, {warn} warned, {} too long",
        sizes.len(),
        sizes[0].0,
        sizes.len() - silent - warn
    );
    assert!(median < 100_000, "median link {median} bytes");
}

// ---------------------------------------------------------------------------------------
// CLI

fn dtlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dtlens")).args(args).output().expect("run dtlens")
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn cli_link_then_open_applies_the_edits() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let edits = tmp("share-edits.json");
    std::fs::write(
        &edits,
        r#"[{"op": "set-prop", "path": "/hypervisor", "name": "compatible", "strings": ["xen,xen-4.19", "xen,xen"]},
            {"op": "add-node", "parent": "/hypervisor", "name": "uefi"}]"#,
    )
    .unwrap();
    let out = dtlens(&[
        "link",
        &input,
        "--edits",
        edits.to_str().unwrap(),
        "--comment",
        "/hypervisor:compatible=version string first, see <b>§5</b>",
        "--comment=/chosen=a\u{1b}[31mred",
        "--select",
        "/hypervisor",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let link = stdout(&out).trim().to_string();
    assert!(link.starts_with("http://127.0.0.1:8080/#v1."), "{link}");
    assert_eq!(link.lines().count(), 1);

    let s = decode(&link).unwrap();
    assert_eq!(s.blob, std::fs::read(&input).unwrap());
    assert_eq!(s.ops.len(), 2);
    assert_eq!(s.name, "deb32_xenvm-4.2.dtb");
    assert_eq!(s.selection, Some(("/hypervisor".into(), None)));

    let edited = tmp("share-open.dtb");
    let out = dtlens(&["open", &link, "-o", edited.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report = stdout(&out);
    assert!(report.contains("edits: 2 applied, 0 refused"), "{report}");
    assert!(report.contains("findings: the edits fix "), "{report}");
    assert!(report.contains("/hypervisor property compatible: version string first, see <b>§5</b>"), "{report}");
    // The escape sequence is shown, not sent to the terminal.
    assert!(report.contains("/chosen: a\\u{1b}[31mred"), "{report}");
    assert!(!report.contains('\u{1b}'));
    let t = dtlens::dtb::read(&std::fs::read(&edited).unwrap()).tree;
    let hv = t.find("/hypervisor").unwrap();
    assert_eq!(t.node(hv).prop("compatible").unwrap().value, b"xen,xen-4.19\0xen,xen\0");
    assert!(t.find("/hypervisor/uefi").is_some());

    // What the review view shows: the changed paths and a before/after DTS diff.
    let applied = s.apply();
    let d = applied.tree_diff();
    assert_eq!(d.added_nodes, vec!["/hypervisor/uefi".to_string()]);
    assert_eq!(d.props.len(), 1);
    assert_eq!((d.props[0].path.as_str(), d.props[0].name.as_str()), ("/hypervisor", "compatible"));
    let hunks = applied.dts_diff(2);
    let text = dtlens::diff::unified("before", "after", &hunks);
    assert!(text.contains("+\t\tcompatible = \"xen,xen-4.19\", \"xen,xen\";"), "{text}");
    assert!(text.contains("+\t\tuefi {"), "{text}");

    let orig = tmp("share-orig.dtb");
    let out = dtlens(&["open", "--original", &link, "-o", orig.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&orig).unwrap(), std::fs::read(&input).unwrap());
}

#[test]
fn findings_delta_counts_fixed_and_introduced() {
    let blob = std::fs::read(corpus("deb32_xenvm-4.2.dtb")).unwrap();
    let config = dtlens::check::Config::default();
    let s = ShareV1 {
        blob: blob.clone(),
        ops: vec![ShareOp::RemoveProp { path: "/hypervisor".into(), name: "reg".into() }],
        ..Default::default()
    };
    let applied = decode(&encode(&s)).unwrap().apply();
    let before = dtlens::check::run(&applied.original.tree, &config);
    let after = dtlens::check::run(applied.history.tree(), &config);
    let d = applied.findings_delta(&config);
    assert_eq!(d.kept + d.fixed.len(), before.len());
    assert_eq!(d.kept + d.introduced.len(), after.len());
    // Removing the grant-table window is an error the original did not have...
    let is_new_error = |f: &dtlens::check::Finding| f.path == "/hypervisor" && f.severity == dtlens::Severity::Error;
    assert!(d.introduced.iter().any(is_new_error), "{:?}", d.introduced);
    assert!(!before.iter().any(is_new_error));
    // ...and the findings that go away are all about the edited node.
    assert!(!d.fixed.is_empty());
    assert!(d.fixed.iter().all(|f| f.path == "/hypervisor"), "{:?}", d.fixed);
    assert!(d.introduced.iter().all(|f| f.path == "/hypervisor"), "{:?}", d.introduced);

    // The reverse edit undoes exactly that: it fixes what was introduced and brings back
    // what was fixed.
    let edited = dtlens::dtb::write(applied.history.tree());
    let reg = applied.original.tree.node(applied.original.tree.find("/hypervisor").unwrap()).prop("reg").unwrap();
    let back = ShareV1 {
        blob: edited,
        ops: vec![ShareOp::SetProp { path: "/hypervisor".into(), name: "reg".into(), value: reg.value.clone() }],
        ..Default::default()
    };
    let d2 = back.apply().findings_delta(&config);
    let rules = |l: &[dtlens::check::Finding]| {
        let mut v: Vec<&str> = l.iter().map(|f| f.rule).collect();
        v.sort();
        v
    };
    assert!(d2.fixed.iter().any(is_new_error));
    assert_eq!(rules(&d2.fixed), rules(&d.introduced));
    assert_eq!(rules(&d2.introduced), rules(&d.fixed));
    // No edits: nothing changes.
    let same = ShareV1 { blob, ..Default::default() }.apply().findings_delta(&config);
    assert!(same.fixed.is_empty() && same.introduced.is_empty());
    assert_eq!(same.kept, before.len());
}

#[test]
fn cli_dtlens_file_and_refused_edits() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let file = tmp("share.dtlens");
    let out = dtlens(&["link", &input, "--dtlens", file.to_str().unwrap(), "--base", "https://x.test/app/"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("https://x.test/app/#v1."));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(share::FILE_MAGIC));
    let out = dtlens(&["open", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("file: deb32_xenvm-4.2.dtb (1220 bytes)"), "{}", stdout(&out));

    // A link whose second edit does not apply: written anyway, exit 1, reason shown.
    let mut s = decode_file(&bytes).unwrap();
    s.ops.push(ShareOp::AddNode { parent: "/".into(), name: "extra".into(), index: None });
    s.ops.push(ShareOp::RemoveNode { path: "/missing".into() });
    let link = share::link(share::DEFAULT_BASE, &s);
    let o = tmp("share-partial.dtb");
    let out = dtlens(&["open", &link, "-o", o.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains("edits: 1 applied, 1 refused"), "{report}");
    assert!(report.contains("edit #2 refused:") && report.contains("/missing"), "{report}");
    assert!(dtlens::dtb::read(&std::fs::read(&o).unwrap()).tree.find("/extra").is_some());
}

#[test]
fn cli_link_reads_standard_input() {
    use std::io::Write;
    let blob = std::fs::read(corpus("deb32_xenvm-4.2.dtb")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dtlens"))
        .args(["link", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&blob).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = decode(stdout(&out).trim()).unwrap();
    assert_eq!(s.blob, blob);
    assert_eq!(s.name, "stdin.dtb");
}

#[test]
fn cli_errors() {
    let input = corpus("deb32_xenvm-4.2.dtb");
    let link = stdout(&dtlens(&["link", &input])).trim().to_string();
    let out = dtlens(&["open", &link[..link.len() - 7]]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the link is cut off"));
    let out = dtlens(&["open", "http://127.0.0.1:8080/#v9.AAAA"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("made by a newer dtlens (format v9)"));

    let edits = tmp("share-bad-edits.json");
    std::fs::write(&edits, r#"[{"op": "remove-node", "path": "/nope"}]"#).unwrap();
    let out = dtlens(&["link", &input, "--edits", edits.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("edit #1 does not apply"));
    let out = dtlens(&["link", &input, "--comment", "/nope=x"]);
    assert_eq!(out.status.code(), Some(2));
    let out = dtlens(&["link", &input, "--comment", "no-equals-sign"]);
    assert_eq!(out.status.code(), Some(2));
    let junk = tmp("share-junk.dtb");
    std::fs::write(&junk, b"not a blob").unwrap();
    let out = dtlens(&["link", junk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a readable device-tree blob"));
}
