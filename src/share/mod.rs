//! Share review links: a blob, the edits made on it, comments and the selection, carried
//! in a URL fragment (which browsers never send to a server) or in a `.dtlens` file.
//!
//! The share format is its own versioned type, [`ShareV1`], with a hand-written binary
//! container (layout in [`wire`]); the edit operations travel as [`ShareOp`], the wire
//! twin of [`edit::Op`](crate::edit::Op), with explicit conversions both ways, so a change
//! to the internal model never silently changes the format.
//!
//! ```text
//! link      = BASE "#" fragment
//! fragment  = "v1." base64url(deflate_raw(container))      (what `encode` returns)
//! container = version byte 1, fields, CRC-32 (see `wire`)
//! .dtlens   = FILE_MAGIC container                           (no compression, no base64)
//! ```
//!
//! [`encode`] returns the fragment **without** the `#` (`v1.…`); [`link`] prepends a base
//! URL and the `#`. [`decode`] accepts a whole link (everything up to the last `#` is
//! ignored), a fragment with or without its `#`, and ignores ASCII whitespace (links wrapped
//! by mail or chat tools).
//!
//! A link is untrusted input. Decoding never panics and is bounded: the inflated container
//! may not exceed [`MAX_CONTAINER`], counts and string lengths have limits ([`MAX_OPS`],
//! [`MAX_COMMENTS`], [`MAX_STRING`]) checked against the bytes that remain before anything
//! is allocated, and the format has no nesting. A failure is a [`DecodeError`] with a
//! plain message. Comment text and names are plain strings: nothing here produces or
//! interprets HTML, and displaying them safely (as text) is the caller's job.

use std::fmt;

use crate::dtb::ReadResult;
use crate::edit::{History, Op};

mod base64;
mod crc32;
pub mod wire;

pub use base64::{decode as base64url_decode, encode as base64url_encode};
pub use crc32::crc32;

/// Largest container accepted after inflating (16 MiB).
pub const MAX_CONTAINER: usize = 16 * 1024 * 1024;
/// Most edit operations in one share.
pub const MAX_OPS: usize = 100_000;
/// Most comments in one share.
pub const MAX_COMMENTS: usize = 10_000;
/// Longest string (path, name, comment text, file name) in bytes.
pub const MAX_STRING: usize = 64 * 1024;
/// Longest link data (after `v1.`) worth decoding: the base64 of a [`MAX_CONTAINER`]
/// container stored without compression (deflate adds 5 bytes per 64 KiB block).
pub const MAX_LINK_DATA: usize = (MAX_CONTAINER + MAX_CONTAINER / 65535 * 5 + 64).div_ceil(3) * 4;
/// Prefix of a `.dtlens` file, followed by the container bytes.
pub const FILE_MAGIC: &[u8; 8] = b"dtlens\x1a\n";
/// Prefix of a version-1 fragment.
pub const FRAGMENT_PREFIX: &str = "v1.";
/// Where `dtlens link` points by default (what `scripts/serve` serves).
pub const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// A comment pinned to a node, or to one property of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub path: String,
    pub property: Option<String>,
    pub text: String,
}

/// One edit operation as it travels in a share (format v1). Mirrors
/// [`edit::Op`](crate::edit::Op) field for field; indices are `u64` on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareOp {
    SetProp { path: String, name: String, value: Vec<u8> },
    RemoveProp { path: String, name: String },
    RenameProp { path: String, from: String, to: String },
    AddNode { parent: String, name: String, index: Option<u64> },
    RemoveNode { path: String },
    RenameNode { path: String, name: String },
    MoveNode { path: String, new_parent: String, index: Option<u64> },
    AddReservation { address: u64, size: u64, index: Option<u64> },
    RemoveReservation { index: u64 },
}

impl From<&Op> for ShareOp {
    fn from(op: &Op) -> Self {
        let idx = |i: &Option<usize>| i.map(|i| i as u64);
        match op {
            Op::SetProp { path, name, value } => {
                ShareOp::SetProp { path: path.clone(), name: name.clone(), value: value.clone() }
            }
            Op::RemoveProp { path, name } => ShareOp::RemoveProp { path: path.clone(), name: name.clone() },
            Op::RenameProp { path, from, to } => {
                ShareOp::RenameProp { path: path.clone(), from: from.clone(), to: to.clone() }
            }
            Op::AddNode { parent, name, index } => {
                ShareOp::AddNode { parent: parent.clone(), name: name.clone(), index: idx(index) }
            }
            Op::RemoveNode { path } => ShareOp::RemoveNode { path: path.clone() },
            Op::RenameNode { path, name } => ShareOp::RenameNode { path: path.clone(), name: name.clone() },
            Op::MoveNode { path, new_parent, index } => {
                ShareOp::MoveNode { path: path.clone(), new_parent: new_parent.clone(), index: idx(index) }
            }
            Op::AddReservation { address, size, index } => {
                ShareOp::AddReservation { address: *address, size: *size, index: idx(index) }
            }
            Op::RemoveReservation { index } => ShareOp::RemoveReservation { index: *index as u64 },
        }
    }
}

impl TryFrom<&ShareOp> for Op {
    type Error = String;

    /// Fails only when an index does not fit this platform's `usize`.
    fn try_from(op: &ShareOp) -> Result<Self, String> {
        let one = |i: u64| usize::try_from(i).map_err(|_| format!("index {i} is too large"));
        let idx = |i: &Option<u64>| i.map(one).transpose();
        Ok(match op {
            ShareOp::SetProp { path, name, value } => {
                Op::SetProp { path: path.clone(), name: name.clone(), value: value.clone() }
            }
            ShareOp::RemoveProp { path, name } => Op::RemoveProp { path: path.clone(), name: name.clone() },
            ShareOp::RenameProp { path, from, to } => {
                Op::RenameProp { path: path.clone(), from: from.clone(), to: to.clone() }
            }
            ShareOp::AddNode { parent, name, index } => {
                Op::AddNode { parent: parent.clone(), name: name.clone(), index: idx(index)? }
            }
            ShareOp::RemoveNode { path } => Op::RemoveNode { path: path.clone() },
            ShareOp::RenameNode { path, name } => Op::RenameNode { path: path.clone(), name: name.clone() },
            ShareOp::MoveNode { path, new_parent, index } => {
                Op::MoveNode { path: path.clone(), new_parent: new_parent.clone(), index: idx(index)? }
            }
            ShareOp::AddReservation { address, size, index } => {
                Op::AddReservation { address: *address, size: *size, index: idx(index)? }
            }
            ShareOp::RemoveReservation { index } => Op::RemoveReservation { index: one(*index)? },
        })
    }
}

/// Everything a review link carries (format v1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShareV1 {
    /// The original DTB bytes, as loaded (edits are not baked in).
    pub blob: Vec<u8>,
    /// The edits made on the blob, oldest first.
    pub ops: Vec<ShareOp>,
    pub comments: Vec<Comment>,
    /// The selected node path and, optionally, property.
    pub selection: Option<(String, Option<String>)>,
    /// The file name the blob was loaded from.
    pub name: String,
}

/// An op of a share that did not apply to the blob, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedOp {
    /// Position in [`ShareV1::ops`].
    pub index: usize,
    pub op: ShareOp,
    pub reason: String,
}

/// What [`ShareV1::apply`] gives back.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The blob as read (tree and reader diagnostics), without the edits.
    pub original: ReadResult,
    /// The tree with every op that applied, in order (undo steps back through them).
    pub history: History,
    /// Ops that were refused; the ones after a refused op were still tried.
    pub failed: Vec<FailedOp>,
}

impl Applied {
    /// What the link's edits changed (for marking changed nodes and properties).
    pub fn tree_diff(&self) -> crate::diff::TreeDiff {
        crate::diff::diff(&self.original.tree, self.history.tree())
    }

    /// The before/after DTS diff of the link's edits, with `context` lines around changes.
    pub fn dts_diff(&self, context: usize) -> Vec<crate::diff::Hunk> {
        let before = crate::dts::print(&self.original.tree);
        let after = crate::dts::print(self.history.tree());
        crate::diff::text_diff(&before, &after, context)
    }
}

/// How the link's edits change the findings ("fixes 3, introduces 0").
#[derive(Debug, Clone)]
pub struct FindingsDelta {
    /// Findings of the original blob that the edits make go away.
    pub fixed: Vec<crate::check::Finding>,
    /// Findings of the edited tree that the original blob did not have.
    pub introduced: Vec<crate::check::Finding>,
    /// Findings present before and after.
    pub kept: usize,
}

impl Applied {
    /// Runs the checks before and after the edits and pairs the findings by rule, node
    /// path and property (the message may differ, since it quotes values). Findings on a
    /// node the edits renamed or moved count as fixed and introduced.
    pub fn findings_delta(&self, config: &crate::check::Config) -> FindingsDelta {
        use std::collections::HashMap;
        type Key = (&'static str, String, Option<String>);
        let before = crate::check::run(&self.original.tree, config);
        let after = crate::check::run(self.history.tree(), config);
        let key = |f: &crate::check::Finding| -> Key { (f.rule, f.path.clone(), f.property.clone()) };
        let count = |list: &[crate::check::Finding]| {
            let mut m: HashMap<Key, usize> = HashMap::new();
            for f in list {
                *m.entry(key(f)).or_insert(0) += 1;
            }
            m
        };
        let (cb, ca) = (count(&before), count(&after));
        // Per key, min(before, after) findings are the same finding; the rest changed.
        let split = |list: Vec<crate::check::Finding>, other: &HashMap<Key, usize>| {
            let mut used: HashMap<Key, usize> = HashMap::new();
            let mut rest = Vec::new();
            for f in list {
                let k = key(&f);
                let u = used.entry(k.clone()).or_insert(0);
                if *u < other.get(&k).copied().unwrap_or(0) {
                    *u += 1;
                } else {
                    rest.push(f);
                }
            }
            rest
        };
        let n_before = before.len();
        let fixed = split(before, &ca);
        FindingsDelta { kept: n_before - fixed.len(), fixed, introduced: split(after, &cb) }
    }
}

/// Which limit a share went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Container,
    Ops,
    Comments,
    String,
    Blob,
}

impl Limit {
    fn describe(self) -> String {
        match self {
            Limit::Container => format!("more than {} MiB of data", MAX_CONTAINER / (1024 * 1024)),
            Limit::Ops => format!("more than {MAX_OPS} edits"),
            Limit::Comments => format!("more than {MAX_COMMENTS} comments"),
            Limit::String => format!("a text longer than {} KiB", MAX_STRING / 1024),
            Limit::Blob => "a blob larger than the data".to_string(),
        }
    }
}

impl ShareV1 {
    /// A share of `blob` with the ops in force in `history`.
    pub fn from_history(name: impl Into<String>, blob: Vec<u8>, history: &History) -> Self {
        ShareV1 { blob, ops: history.ops().map(ShareOp::from).collect(), name: name.into(), ..Default::default() }
    }

    /// Checks the limits a decoder enforces; a share that fails this encodes to a link
    /// that [`decode`] refuses.
    pub fn check(&self) -> Result<(), Limit> {
        let long = |s: &str| s.len() > MAX_STRING;
        if self.ops.len() > MAX_OPS {
            return Err(Limit::Ops);
        }
        if self.comments.len() > MAX_COMMENTS {
            return Err(Limit::Comments);
        }
        let op_strings = self.ops.iter().any(|op| match op {
            ShareOp::SetProp { path, name, .. } | ShareOp::RemoveProp { path, name } => long(path) || long(name),
            ShareOp::RenameProp { path, from, to } => long(path) || long(from) || long(to),
            ShareOp::AddNode { parent, name, .. } => long(parent) || long(name),
            ShareOp::RemoveNode { path } => long(path),
            ShareOp::RenameNode { path, name } => long(path) || long(name),
            ShareOp::MoveNode { path, new_parent, .. } => long(path) || long(new_parent),
            ShareOp::AddReservation { .. } | ShareOp::RemoveReservation { .. } => false,
        });
        let comment_strings =
            self.comments.iter().any(|c| long(&c.path) || long(&c.text) || c.property.as_deref().is_some_and(long));
        let sel = self.selection.as_ref().is_some_and(|(p, q)| long(p) || q.as_deref().is_some_and(long));
        if op_strings || comment_strings || sel || long(&self.name) {
            return Err(Limit::String);
        }
        if self.container().len() > MAX_CONTAINER {
            return Err(Limit::Container);
        }
        Ok(())
    }

    /// The container bytes (version, fields, checksum).
    pub fn container(&self) -> Vec<u8> {
        wire::write(self)
    }

    /// Reads the blob, then applies each op in order to a [`History`] of it. An op that is
    /// refused is listed in [`Applied::failed`] with the reason, and the rest still apply.
    pub fn apply(&self) -> Applied {
        let original = crate::dtb::read(&self.blob);
        let mut history = History::new(original.tree.clone());
        let mut failed = Vec::new();
        for (index, sop) in self.ops.iter().enumerate() {
            let result = Op::try_from(sop).and_then(|op| history.apply(op).map_err(|e| e.0));
            if let Err(reason) = result {
                failed.push(FailedOp { index, op: sop.clone(), reason });
            }
        }
        Applied { original, history, failed }
    }
}

/// Where the bytes being decoded came from (only changes the wording of errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Link,
    File,
}

impl Source {
    fn noun(self) -> &'static str {
        match self {
            Source::Link => "link",
            Source::File => "file",
        }
    }
}

/// Why a link or `.dtlens` file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// No `v1.` fragment (or no file magic): not something dtlens made.
    NotShare,
    /// The data ends early.
    CutOff,
    /// Made by a newer dtlens with this format version.
    Newer(u64),
    /// The data is corrupt; the detail says how (e.g. "checksum mismatch").
    Damaged(String),
    /// The data goes over a decoding limit.
    TooLarge(Limit),
}

/// A link or file that could not be decoded. `Display` gives a plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    pub source: Source,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = self.source.noun();
        match &self.kind {
            DecodeErrorKind::NotShare => match self.source {
                Source::Link => f.write_str("this is not a dtlens link (expected #v1. followed by the data)"),
                Source::File => f.write_str("this is not a .dtlens file (it does not start with the dtlens marker)"),
            },
            DecodeErrorKind::CutOff => write!(f, "the {noun} is cut off"),
            DecodeErrorKind::Newer(v) => write!(f, "this {noun} was made by a newer dtlens (format v{v})"),
            DecodeErrorKind::Damaged(d) => write!(f, "the {noun}'s data is damaged ({d})"),
            DecodeErrorKind::TooLarge(l) => write!(f, "the {noun} holds {}, more than dtlens opens", l.describe()),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The fragment of a share, without the `#`: `v1.` + base64url(deflate_raw(container)).
pub fn encode(share: &ShareV1) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(&share.container(), 9);
    let mut s = String::from(FRAGMENT_PREFIX);
    s.push_str(&base64::encode(&deflated));
    s
}

/// A full link: `base` (any fragment it has is dropped) + `#` + [`encode`].
pub fn link(base: &str, share: &ShareV1) -> String {
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    format!("{base}#{}", encode(share))
}

/// Decodes a link, or its fragment with or without the `#`.
pub fn decode(text: &str) -> Result<ShareV1, DecodeError> {
    let e = |kind| DecodeError { kind, source: Source::Link };
    let frag = text.rsplit_once('#').map_or(text, |(_, f)| f);
    let frag: String = frag.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let (version, data) = split_version(&frag).ok_or_else(|| e(DecodeErrorKind::NotShare))?;
    if version != 1 {
        return Err(e(if version == 0 { DecodeErrorKind::NotShare } else { DecodeErrorKind::Newer(version) }));
    }
    if data.is_empty() {
        return Err(e(DecodeErrorKind::CutOff));
    }
    if data.len() > MAX_LINK_DATA {
        return Err(e(DecodeErrorKind::TooLarge(Limit::Container)));
    }
    let (deflated, canonical) = match base64::decode_lenient(data) {
        Ok(x) => x,
        Err(base64::Base64Error::BadLength) => return Err(e(DecodeErrorKind::CutOff)),
        Err(base64::Base64Error::BadChar { index, ch }) => {
            return Err(e(DecodeErrorKind::Damaged(format!(
                "character {ch:?} at position {} of the data is not allowed",
                index + 1
            ))))
        }
        Err(base64::Base64Error::NonCanonical) => return Err(e(DecodeErrorKind::Damaged("bad last character".into()))),
    };
    let container = inflate(&deflated).map_err(e)?;
    if !canonical {
        return Err(e(DecodeErrorKind::Damaged("the last character has stray bits".into())));
    }
    read_container(&container, Source::Link)
}

/// The `.dtlens` file form of a share: [`FILE_MAGIC`] then the container bytes.
pub fn encode_file(share: &ShareV1) -> Vec<u8> {
    let mut out = FILE_MAGIC.to_vec();
    out.extend_from_slice(&share.container());
    out
}

/// Reads a `.dtlens` file.
pub fn decode_file(bytes: &[u8]) -> Result<ShareV1, DecodeError> {
    let Some(container) = bytes.strip_prefix(FILE_MAGIC.as_slice()) else {
        return Err(DecodeError { kind: DecodeErrorKind::NotShare, source: Source::File });
    };
    if container.len() > MAX_CONTAINER {
        return Err(DecodeError { kind: DecodeErrorKind::TooLarge(Limit::Container), source: Source::File });
    }
    read_container(container, Source::File)
}

/// True if `bytes` start like a `.dtlens` file (for "open" dialogs that take both kinds).
pub fn is_share_file(bytes: &[u8]) -> bool {
    bytes.starts_with(FILE_MAGIC)
}

/// `v<digits>.rest` → (version, rest).
fn split_version(frag: &str) -> Option<(u64, &str)> {
    let rest = frag.strip_prefix('v')?;
    let (num, data) = rest.split_once('.')?;
    if num.is_empty() || num.len() > 6 || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((num.parse().ok()?, data))
}

/// Inflates raw deflate data, refusing more than [`MAX_CONTAINER`] bytes of output and
/// any bytes after the end of the compressed stream.
fn inflate(input: &[u8]) -> Result<Vec<u8>, DecodeErrorKind> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;

    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut out = vec![0u8; input.len().saturating_mul(4).clamp(1024, MAX_CONTAINER)];
    let mut state = Box::<DecompressorOxide>::default();
    let mut in_pos = 0;
    let mut out_pos = 0;
    loop {
        let (status, used_in, used_out) = decompress(&mut state, &input[in_pos..], &mut out, out_pos, flags);
        in_pos = (in_pos + used_in).min(input.len());
        out_pos += used_out;
        match status {
            TINFLStatus::Done => {
                if in_pos != input.len() {
                    return Err(DecodeErrorKind::Damaged(format!(
                        "{} unexpected bytes after the compressed data",
                        input.len() - in_pos
                    )));
                }
                out.truncate(out_pos);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= MAX_CONTAINER {
                    return Err(DecodeErrorKind::TooLarge(Limit::Container));
                }
                let n = out.len().saturating_mul(2).min(MAX_CONTAINER);
                out.resize(n, 0);
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => return Err(DecodeErrorKind::CutOff),
            _ => return Err(DecodeErrorKind::Damaged("the compressed data is invalid".into())),
        }
    }
}

fn read_container(container: &[u8], source: Source) -> Result<ShareV1, DecodeError> {
    let e = |kind| DecodeError { kind, source };
    match container.first() {
        None => return Err(e(DecodeErrorKind::CutOff)),
        Some(&0) => return Err(e(DecodeErrorKind::Damaged("format version 0".into()))),
        Some(&v) if v != wire::VERSION => return Err(e(DecodeErrorKind::Newer(u64::from(v)))),
        _ => {}
    }
    wire::read(container).map_err(|w| {
        e(match w {
            wire::WireError::Short => DecodeErrorKind::CutOff,
            wire::WireError::Bad(m) => DecodeErrorKind::Damaged(m),
            wire::WireError::Limit(l) => DecodeErrorKind::TooLarge(l),
        })
    })
}

/// How the UI should hand a link over, by its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSize {
    /// Short enough to copy without a word (under [`LinkSize::SILENT_MAX`]).
    Silent,
    /// Copy, with a warning that some chat tools cut long links.
    Warn,
    /// Too long for a link: offer the `.dtlens` file instead.
    TooLong,
}

impl LinkSize {
    /// Links shorter than this (8 KiB) are copied silently.
    pub const SILENT_MAX: usize = 8 * 1024;
    /// Links up to this (1.5 MiB) are copied with a warning.
    pub const WARN_MAX: usize = 1536 * 1024;

    /// The policy for a link of `len` bytes (the whole link, base included).
    pub fn of(len: usize) -> Self {
        if len < Self::SILENT_MAX {
            LinkSize::Silent
        } else if len <= Self::WARN_MAX {
            LinkSize::Warn
        } else {
            LinkSize::TooLong
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ShareV1 {
        ShareV1 {
            blob: vec![0xd0, 0x0d, 0xfe, 0xed, 1, 2, 3],
            ops: vec![
                ShareOp::SetProp { path: "/".into(), name: "model".into(), value: b"x\0".to_vec() },
                ShareOp::AddNode { parent: "/".into(), name: "a".into(), index: Some(0) },
                ShareOp::AddReservation { address: u64::MAX, size: 1, index: None },
                ShareOp::RemoveReservation { index: 3 },
            ],
            comments: vec![Comment { path: "/a".into(), property: Some("reg".into()), text: "<b>é</b>".into() }],
            selection: Some(("/a".into(), None)),
            name: "board.dtb".into(),
        }
    }

    #[test]
    fn round_trip_and_forms_accepted() {
        let s = sample();
        let frag = encode(&s);
        assert!(frag.starts_with("v1."));
        assert_eq!(decode(&frag).unwrap(), s);
        assert_eq!(decode(&format!("#{frag}")).unwrap(), s);
        let l = link("http://h:1/x?y#old", &s);
        assert!(l.starts_with("http://h:1/x?y#v1."));
        assert_eq!(decode(&l).unwrap(), s);
        let wrapped: String =
            l.chars().enumerate().flat_map(|(i, c)| (i % 20 == 19).then_some('\n').into_iter().chain([c])).collect();
        assert_eq!(decode(&wrapped).unwrap(), s);
        assert_eq!(decode_file(&encode_file(&s)).unwrap(), s);
        assert!(is_share_file(&encode_file(&s)));
    }

    #[test]
    fn clear_errors() {
        let msg = |t: &str| decode(t).unwrap_err().to_string();
        assert_eq!(msg("http://x/"), "this is not a dtlens link (expected #v1. followed by the data)");
        assert_eq!(msg("#v2.AAAA"), "this link was made by a newer dtlens (format v2)");
        assert_eq!(msg("#v1."), "the link is cut off");
        let frag = encode(&sample());
        assert_eq!(msg(&frag[..frag.len() - 5]), "the link is cut off");
        assert!(
            msg(&format!("{}!{}", &frag[..10], &frag[11..])).starts_with("the link's data is damaged (character '!'")
        );
        // A container whose checksum does not match.
        let mut c = sample().container();
        let n = c.len();
        c[n - 1] ^= 1;
        let f = format!("v1.{}", base64::encode(&miniz_oxide::deflate::compress_to_vec(&c, 6)));
        assert_eq!(msg(&f), "the link's data is damaged (checksum mismatch)");
        // A container of a newer version.
        let mut c = sample().container();
        c[0] = 2;
        let f = format!("v1.{}", base64::encode(&miniz_oxide::deflate::compress_to_vec(&c, 6)));
        assert_eq!(msg(&f), "this link was made by a newer dtlens (format v2)");
        assert_eq!(
            decode_file(b"not a share").unwrap_err().to_string(),
            "this is not a .dtlens file (it does not start with the dtlens marker)"
        );
        let file = encode_file(&sample());
        assert_eq!(
            decode_file(&file[..file.len() - 1]).unwrap_err().to_string(),
            "the file's data is damaged (checksum mismatch)"
        );
    }

    #[test]
    fn inflate_is_bounded() {
        let zeros = vec![0u8; MAX_CONTAINER + 1];
        let bomb = miniz_oxide::deflate::compress_to_vec(&zeros, 1);
        assert!(bomb.len() < MAX_CONTAINER / 100, "{}", bomb.len());
        let f = format!("v1.{}", base64::encode(&bomb));
        assert_eq!(decode(&f).unwrap_err().kind, DecodeErrorKind::TooLarge(Limit::Container));
        // Text too long to hold an acceptable container is refused before decoding it.
        let long = format!("v1.{}", "A".repeat(MAX_LINK_DATA + 1));
        assert_eq!(decode(&long).unwrap_err().kind, DecodeErrorKind::TooLarge(Limit::Container));
        assert_ne!(decode(&long[..MAX_LINK_DATA + 3]).unwrap_err().kind, DecodeErrorKind::TooLarge(Limit::Container));
    }

    #[test]
    fn link_size_policy() {
        assert_eq!(LinkSize::of(100), LinkSize::Silent);
        assert_eq!(LinkSize::of(8 * 1024 - 1), LinkSize::Silent);
        assert_eq!(LinkSize::of(8 * 1024), LinkSize::Warn);
        assert_eq!(LinkSize::of(1536 * 1024), LinkSize::Warn);
        assert_eq!(LinkSize::of(1536 * 1024 + 1), LinkSize::TooLong);
    }

    #[test]
    fn limits_are_checked_before_encoding() {
        let mut s = sample();
        assert_eq!(s.check(), Ok(()));
        s.comments[0].text = "x".repeat(MAX_STRING + 1);
        assert_eq!(s.check(), Err(Limit::String));
        assert_eq!(decode(&encode(&s)).unwrap_err().kind, DecodeErrorKind::TooLarge(Limit::String));
    }

    #[test]
    fn ops_convert_both_ways() {
        let ops = vec![
            Op::SetProp { path: "/".into(), name: "a".into(), value: vec![1] },
            Op::RemoveProp { path: "/".into(), name: "a".into() },
            Op::RenameProp { path: "/".into(), from: "a".into(), to: "b".into() },
            Op::AddNode { parent: "/".into(), name: "n".into(), index: Some(2) },
            Op::RemoveNode { path: "/n".into() },
            Op::RenameNode { path: "/n".into(), name: "m".into() },
            Op::MoveNode { path: "/n".into(), new_parent: "/m".into(), index: None },
            Op::AddReservation { address: 1, size: 2, index: Some(0) },
            Op::RemoveReservation { index: 0 },
        ];
        for op in ops {
            assert_eq!(Op::try_from(&ShareOp::from(&op)).unwrap(), op);
        }
    }
}
