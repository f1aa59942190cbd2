//! DTB → tree + diagnostics. Never fails, never panics.
//!
//! The reader walks the blob once, front to back, with checked arithmetic and `get()`
//! everywhere. Whatever it could read before a fatal problem stays in the tree (open nodes
//! are closed implicitly); every problem becomes a [`Diagnostic`] with a byte offset.
//!
//! Choices worth knowing:
//! - A wrong magic gives an error and an empty tree, except when every other header field
//!   describes this exact input (totalsize = input length, version 16/17, an
//!   FDT_BEGIN_NODE at off_dt_struct): then the blob is read anyway, still with the error.
//! - Versions before 16 are refused (error, empty tree). Version 16 has no
//!   `size_dt_struct`: the structure block ends at the strings block (or totalsize).
//! - Nodes nested deeper than [`MAX_DEPTH`] stop the read with an error.
//! - A property whose name cannot be read from the strings block (offset out of range,
//!   no terminating NUL inside the block) is kept, named `<bad-name@0xNNN>` where `NNN`
//!   is the name offset in hex, with an error diagnostic. The angle brackets cannot occur
//!   in a valid property name, so the placeholder never collides with a real one, and the
//!   writer can still write it (so read → write → read is stable).
//! - A property name longer than [`MAX_PROP_NAME_BYTES`] is not read (error, placeholder
//!   as above): one strings-block entry can name every property, so without a bound a
//!   small blob could expand into gigabytes of names.
//! - Names that are not UTF-8 are converted lossily (U+FFFD) with an error diagnostic.
//! - The memory-reservation map ends at the first entry whose size is 0, as libfdt and
//!   dtc read it; an entry with size 0 but a non-zero address is reported.
//! - Non-zero alignment padding in the structure block (left by libfdt's in-place edits
//!   in QEMU dumps) is summarised in one info diagnostic per blob.
//! - A property name longer than 31 characters is reported once per distinct name
//!   (at its first use), not at every node that uses it.
//! - Repeated diagnostics of one kind are capped at [`MAX_SAME_KIND`]; one summary
//!   diagnostic then gives the total count.

use std::collections::{HashMap, HashSet};

use super::{
    FDT_BEGIN_NODE, FDT_END, FDT_END_NODE, FDT_MAGIC, FDT_NOP, FDT_PROP, HEADER_SIZE, HEADER_SIZE_V16, MAX_DEPTH,
    MAX_NAME_LEN, MAX_PROP_NAME_BYTES, MIN_VERSION, OUT_VERSION, RESERVATION_SIZE,
};
use crate::{Diagnostic, Header, NodeId, Property, Reservation, Severity, Tree};

/// What [`read`] returns: the tree it could read and everything it noticed.
#[derive(Debug, Clone)]
pub struct ReadResult {
    pub tree: Tree,
    pub diagnostics: Vec<Diagnostic>,
}

/// How many diagnostics of one repeated kind (long names, bad names, …) are reported
/// individually before they are only counted.
pub const MAX_SAME_KIND: usize = 20;

/// Reads a flattened device tree. Never panics; see the module documentation.
pub fn read(bytes: &[u8]) -> ReadResult {
    ChunkedRead::new(bytes).finish()
}

/// [`read`] in steps, so a caller can do something else between them (the browser yields
/// to its event loop while a 15 MB blob is read). The result is exactly [`read`]'s,
/// whatever the step sizes; like [`read`], no step fails or panics.
///
/// ```
/// let blob = dtlens::dtb::write(&dtlens::Tree::new());
/// let mut r = dtlens::dtb::read::ChunkedRead::new(&blob);
/// while !r.step(64) {
///     let (done, total) = r.progress();
///     assert!(done <= total);
/// }
/// assert!(r.finish().diagnostics.is_empty());
/// ```
pub struct ChunkedRead<'a> {
    r: Reader<'a>,
    /// The structure walk still to finish (`None` once it has ended).
    walk: Option<(Layout, Walk)>,
}

impl<'a> ChunkedRead<'a> {
    /// Reads the header and the memory reservations (both small and bounded).
    pub fn new(bytes: &'a [u8]) -> Self {
        let mut r = Reader { bytes, tree: Tree::new(), diags: Vec::new(), kind_counts: HashMap::new() };
        let walk = r.begin();
        ChunkedRead { r, walk }
    }

    /// Reads about `bytes` more bytes of the structure block (at least one token);
    /// `true` once everything is read.
    pub fn step(&mut self, bytes: usize) -> bool {
        let Some((l, w)) = &mut self.walk else { return true };
        let limit = w.pos.saturating_add(bytes.max(1));
        match self.r.structure_step(l, w, limit) {
            None => false,
            Some(stop_at) => {
                if let Some((l, w)) = self.walk.take() {
                    self.r.structure_end(&l, w, stop_at);
                }
                true
            }
        }
    }

    /// Bytes of the structure block read so far and its size (both 0 when there is none).
    pub fn progress(&self) -> (usize, usize) {
        match &self.walk {
            Some((l, w)) => (w.pos.min(l.struct_end).saturating_sub(l.struct_start), l.struct_end - l.struct_start),
            None => (0, 0),
        }
    }

    /// Reads whatever is left and returns the tree and the diagnostics.
    pub fn finish(mut self) -> ReadResult {
        while !self.step(usize::MAX) {}
        self.r.finish_kinds();
        ReadResult { tree: self.r.tree, diagnostics: self.r.diags }
    }
}

/// The state of the structure-block walk between steps.
struct Walk {
    names: NameCache,
    /// Name offsets of long property names already reported.
    long_names: HashSet<u32>,
    /// Open nodes; the last one is the current node. Each entry also remembers whether
    /// the node already has a child (for "property after subnode").
    stack: Vec<(NodeId, bool)>,
    root_done: bool,
    pad_bytes: usize,
    pad_places: usize,
    pad_first: Option<usize>,
    /// Offset of the next token.
    pos: usize,
}

impl Walk {
    /// Checks the padding `from..to` (clamped to `send`) is zero and counts it otherwise.
    fn check_pad(&mut self, b: &[u8], send: usize, from: usize, to: usize) {
        if let Some(p) = b.get(from..to.min(send)) {
            let n = p.iter().filter(|&&c| c != 0).count();
            if n > 0 {
                self.pad_bytes += n;
                self.pad_places += 1;
                self.pad_first.get_or_insert(from);
            }
        }
    }
}

fn be32(bytes: &[u8], off: usize) -> Option<u32> {
    let end = off.checked_add(4)?;
    let b = bytes.get(off..end)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn be64(bytes: &[u8], off: usize) -> Option<u64> {
    let hi = be32(bytes, off)?;
    let lo = be32(bytes, off.checked_add(4)?)?;
    Some((u64::from(hi) << 32) | u64::from(lo))
}

/// Offset as stored in a diagnostic (blobs are addressed with u32 by their own header).
fn off32(off: usize) -> Option<u32> {
    u32::try_from(off).ok()
}

fn align4(off: usize) -> Option<usize> {
    off.checked_add(3).map(|v| v & !3)
}

/// Kinds of diagnostics that can repeat many times in one blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    LongName,
    BadUtf8,
    BadPropName,
    PropAfterNode,
    EmptyNodeName,
    ZeroSizeReservation,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::LongName => "names longer than 31 characters",
            Kind::BadUtf8 => "names that are not valid UTF-8",
            Kind::BadPropName => "property names that could not be read from the strings block",
            Kind::PropAfterNode => "properties that follow a subnode",
            Kind::EmptyNodeName => "nodes other than the root with an empty name",
            Kind::ZeroSizeReservation => "zero-size reservations",
        }
    }

    fn severity(self) -> Severity {
        match self {
            Kind::LongName | Kind::PropAfterNode | Kind::EmptyNodeName | Kind::ZeroSizeReservation => Severity::Warning,
            Kind::BadUtf8 | Kind::BadPropName => Severity::Error,
        }
    }
}

type NameResult = Result<(String, bool, usize), String>;

/// Property names already resolved, by name offset. Offsets inside the strings block are
/// looked up in a table indexed by the offset itself (memory linear in the block size, no
/// hashing, no worst case); offsets outside it, which are always errors, in a map.
struct NameCache {
    slot: Vec<u32>,
    entries: Vec<NameResult>,
    outside: HashMap<u32, usize>,
}

impl NameCache {
    fn new(strings_size: usize) -> Self {
        NameCache { slot: vec![u32::MAX; strings_size], entries: Vec::new(), outside: HashMap::new() }
    }

    fn get(&mut self, off: u32, resolve: impl FnOnce() -> NameResult) -> &NameResult {
        let idx = match self.slot.get(off as usize) {
            Some(&i) if i != u32::MAX => i as usize,
            Some(_) => {
                let i = self.entries.len();
                self.entries.push(resolve());
                if let Some(s) = self.slot.get_mut(off as usize) {
                    *s = u32::try_from(i).unwrap_or(u32::MAX);
                }
                i
            }
            None => match self.outside.get(&off) {
                Some(&i) => i,
                None => {
                    let i = self.entries.len();
                    self.entries.push(resolve());
                    self.outside.insert(off, i);
                    i
                }
            },
        };
        // `idx` always indexes an entry pushed above; the fallback is never used.
        static UNREACHABLE: NameResult = Err(String::new());
        self.entries.get(idx).unwrap_or(&UNREACHABLE)
    }
}

/// Limits of the blocks, derived from the header.
struct Layout {
    /// Bytes of the input that belong to the blob (`min(totalsize, input length)`).
    end: usize,
    struct_start: usize,
    struct_end: usize,
    /// Strings block, already clamped to `end`; `None` when it lies entirely outside.
    strings: Option<(usize, usize)>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    tree: Tree,
    diags: Vec<Diagnostic>,
    kind_counts: HashMap<Kind, usize>,
}

impl Reader<'_> {
    fn diag(&mut self, severity: Severity, off: Option<usize>, msg: String) {
        self.diags.push(Diagnostic::new(severity, off.and_then(off32), msg));
    }

    fn diag_path(&mut self, severity: Severity, off: Option<usize>, node: NodeId, msg: String) {
        let path = self.tree.path(node);
        self.diags.push(Diagnostic::new(severity, off.and_then(off32), msg).with_path(path));
    }

    /// A diagnostic of a kind that may repeat: only the first [`MAX_SAME_KIND`] are kept.
    fn diag_kind(&mut self, kind: Kind, off: usize, node: Option<NodeId>, msg: impl FnOnce() -> String) {
        let n = self.kind_counts.entry(kind).or_insert(0);
        *n += 1;
        if *n > MAX_SAME_KIND {
            return;
        }
        let msg = msg();
        match node {
            Some(id) => self.diag_path(kind.severity(), Some(off), id, msg),
            None => self.diag(kind.severity(), Some(off), msg),
        }
    }

    fn finish_kinds(&mut self) {
        let mut over: Vec<(Kind, usize)> =
            self.kind_counts.iter().filter(|(_, &n)| n > MAX_SAME_KIND).map(|(&k, &n)| (k, n)).collect();
        // By description, ranked among those present: the crate's one shared sort, not a copy of
        // std's sort in the wasm.
        let names: Vec<&str> = over.iter().map(|&(k, _)| k.describe()).collect();
        crate::order::sort_by_key(&mut over, |&(k, _)| names.iter().filter(|&&n| n < k.describe()).count() as u64);
        for (k, n) in over {
            self.diag(
                k.severity(),
                None,
                format!("{} {} in total; only the first {} are reported individually", n, k.describe(), MAX_SAME_KIND),
            );
        }
    }

    /// Header and reservations; then the structure walk, if there is one to do.
    fn begin(&mut self) -> Option<(Layout, Walk)> {
        let layout = self.header()?;
        self.reservations(&layout);
        let walk = self.structure_start(&layout)?;
        Some((layout, walk))
    }

    /// Checks the header; `None` when reading cannot continue.
    fn header(&mut self) -> Option<Layout> {
        let b = self.bytes;
        let len = b.len();
        if len < 8 {
            self.diag(
                Severity::Error,
                Some(0),
                format!("input is {len} bytes long; a device-tree header needs at least {HEADER_SIZE_V16}"),
            );
            return None;
        }
        let magic = be32(b, 0)?;
        let mut magic_ok = magic == FDT_MAGIC;
        if !magic_ok {
            if magic == FDT_MAGIC.swap_bytes() {
                self.diag(
                    Severity::Error,
                    Some(0),
                    format!(
                        "magic is 0x{magic:08x}, the byte-swapped form of 0x{FDT_MAGIC:08x}: this blob was written \
                         little-endian, which is not a valid device tree"
                    ),
                );
                return None;
            }
            // Try anyway only when the rest of the header describes this exact input.
            let plausible = len >= HEADER_SIZE
                && be32(b, 4) == off32(len)
                && matches!(be32(b, 20), Some(16 | 17))
                && be32(b, 8).and_then(|o| be32(b, o as usize)) == Some(FDT_BEGIN_NODE);
            if !plausible {
                self.diag(
                    Severity::Error,
                    Some(0),
                    format!("magic is 0x{magic:08x}, expected 0x{FDT_MAGIC:08x}: this is not a device-tree blob"),
                );
                return None;
            }
            self.diag(
                Severity::Error,
                Some(0),
                format!(
                    "magic is 0x{magic:08x}, expected 0x{FDT_MAGIC:08x}; the rest of the header matches the input \
                     exactly, so it is read anyway"
                ),
            );
            magic_ok = true;
        }
        debug_assert!(magic_ok);

        if len < HEADER_SIZE_V16 {
            self.diag(
                Severity::Error,
                Some(0),
                format!("input is {len} bytes long; a device-tree header needs at least {HEADER_SIZE_V16}"),
            );
            return None;
        }
        let totalsize = be32(b, 4)? as usize;
        let off_struct = be32(b, 8)? as usize;
        let off_strings = be32(b, 12)? as usize;
        let off_rsv = be32(b, 16)? as usize;
        let version = be32(b, 20)?;
        let last_comp = be32(b, 24)?;
        let boot_cpuid = be32(b, 28)?;
        let size_strings = be32(b, 32)? as usize;

        self.tree.header = Header { version, last_comp_version: last_comp, boot_cpuid_phys: boot_cpuid };

        if version < MIN_VERSION {
            self.diag(
                Severity::Error,
                Some(20),
                format!(
                    "version {version} is not supported: only versions {MIN_VERSION} and {OUT_VERSION} (and later \
                     versions compatible with them) can be read"
                ),
            );
            return None;
        }
        let header_size = if version >= 17 { HEADER_SIZE } else { HEADER_SIZE_V16 };
        if len < header_size {
            self.diag(
                Severity::Error,
                Some(0),
                format!("input is {len} bytes long; a version {version} header needs {header_size}"),
            );
            return None;
        }
        if last_comp > OUT_VERSION {
            self.diag(
                Severity::Error,
                Some(24),
                format!(
                    "last_comp_version is {last_comp}: the blob says it cannot be read by a version {OUT_VERSION} \
                     reader; reading it as version {OUT_VERSION} anyway"
                ),
            );
        } else if last_comp > version {
            self.diag(
                Severity::Warning,
                Some(24),
                format!("last_comp_version {last_comp} is newer than the version {version} itself"),
            );
        } else if version > OUT_VERSION {
            self.diag(
                Severity::Info,
                Some(20),
                format!("version {version} is newer than {OUT_VERSION}; it is backward compatible down to version {last_comp}, so it is read as version {OUT_VERSION}"),
            );
        }

        // Where the blob ends.
        let end = if totalsize < header_size {
            self.diag(
                Severity::Error,
                Some(4),
                format!(
                    "totalsize is {totalsize}, smaller than the {header_size}-byte header; using the input length \
                     {len} instead"
                ),
            );
            len
        } else if totalsize > len {
            self.diag(
                Severity::Error,
                Some(4),
                format!(
                    "totalsize is {totalsize} but the input is only {len} bytes ({} missing); reading what is there",
                    totalsize - len
                ),
            );
            len
        } else {
            if totalsize < len {
                self.diag(
                    Severity::Info,
                    Some(totalsize),
                    format!(
                        "{} bytes follow the end of the blob (totalsize {totalsize}); they are ignored",
                        len - totalsize
                    ),
                );
            }
            totalsize
        };

        // Memory reservation map offset.
        if !off_rsv.is_multiple_of(8) {
            self.diag(Severity::Warning, Some(16), format!("off_mem_rsvmap 0x{off_rsv:x} is not 8-byte aligned"));
        }
        if off_rsv < header_size && off_rsv < end {
            self.diag(
                Severity::Error,
                Some(16),
                format!("off_mem_rsvmap 0x{off_rsv:x} points inside the {header_size}-byte header"),
            );
        }

        // Structure block.
        if off_struct >= end {
            self.diag(
                Severity::Error,
                Some(8),
                format!("off_dt_struct 0x{off_struct:x} is outside the blob ({end} bytes); no nodes can be read"),
            );
            return Some(Layout { end, struct_start: end, struct_end: end, strings: None });
        }
        if off_struct < header_size {
            self.diag(
                Severity::Error,
                Some(8),
                format!("off_dt_struct 0x{off_struct:x} points inside the {header_size}-byte header"),
            );
        }
        if !off_struct.is_multiple_of(4) {
            self.diag(Severity::Error, Some(8), format!("off_dt_struct 0x{off_struct:x} is not 4-byte aligned"));
        }
        let struct_end = if version >= 17 {
            let size_struct = be32(b, 36)? as usize;
            match off_struct.checked_add(size_struct) {
                Some(e) if e <= end => e,
                _ => {
                    self.diag(
                        Severity::Error,
                        Some(36),
                        format!(
                            "structure block at 0x{off_struct:x} claims {size_struct} bytes but only {} remain in \
                             the blob",
                            end - off_struct
                        ),
                    );
                    end
                }
            }
        } else if off_strings > off_struct {
            off_strings.min(end)
        } else {
            end
        };

        // Strings block.
        let strings = if off_strings > end {
            self.diag(
                Severity::Error,
                Some(12),
                format!(
                    "off_dt_strings 0x{off_strings:x} is outside the blob ({end} bytes); no property name can be read"
                ),
            );
            None
        } else {
            if off_strings < header_size {
                self.diag(
                    Severity::Error,
                    Some(12),
                    format!("off_dt_strings 0x{off_strings:x} points inside the {header_size}-byte header"),
                );
            }
            let s_end = match off_strings.checked_add(size_strings) {
                Some(e) if e <= end => e,
                _ => {
                    self.diag(
                        Severity::Error,
                        Some(32),
                        format!(
                            "strings block at 0x{off_strings:x} claims {size_strings} bytes but only {} remain in \
                             the blob",
                            end - off_strings
                        ),
                    );
                    end
                }
            };
            Some((off_strings, s_end))
        };

        // Overlap of structure and strings blocks.
        if let Some((s0, s1)) = strings {
            if s0 < struct_end && off_struct < s1 {
                self.diag(
                    Severity::Error,
                    Some(12),
                    format!(
                        "strings block 0x{s0:x}..0x{s1:x} overlaps the structure block 0x{off_struct:x}..0x{struct_end:x}"
                    ),
                );
            }
        }
        Some(Layout { end, struct_start: off_struct, struct_end, strings })
    }

    fn reservations(&mut self, l: &Layout) {
        let b = self.bytes;
        let start = match be32(b, 16) {
            Some(o) => o as usize,
            None => return,
        };
        if start >= l.end {
            self.diag(
                Severity::Error,
                Some(16),
                format!("off_mem_rsvmap 0x{start:x} is outside the blob ({} bytes); no reservations read", l.end),
            );
            return;
        }
        // The map may not run into the next block that follows it.
        let mut limit = l.end;
        for next in [Some(l.struct_start), l.strings.map(|s| s.0)].into_iter().flatten() {
            if next > start && next < limit {
                limit = next;
            }
        }
        let mut pos = start;
        loop {
            let entry_end = match pos.checked_add(RESERVATION_SIZE) {
                Some(e) if e <= limit => e,
                _ => {
                    self.diag(
                        Severity::Error,
                        Some(pos),
                        format!(
                            "memory reservation map starting at 0x{start:x} has no (0, 0) terminator before 0x{limit:x}; \
                             {} entries read",
                            self.tree.reservations.len()
                        ),
                    );
                    return;
                }
            };
            let (Some(address), Some(size)) = (be64(b, pos), be64(b, pos + 8)) else { return };
            if size == 0 {
                if address != 0 {
                    self.diag_kind(Kind::ZeroSizeReservation, pos, None, || {
                        format!(
                            "memory reservation at 0x{address:x} has size 0; like libfdt and dtc, the map is taken \
                             to end here"
                        )
                    });
                }
                break;
            }
            self.tree.reservations.push(Reservation { address, size });
            pos = entry_end;
        }
        // Overlap of the map with the other blocks.
        let map_end = pos + RESERVATION_SIZE;
        if start < l.struct_end && l.struct_start < map_end {
            self.diag(
                Severity::Error,
                Some(start),
                format!(
                    "memory reservation map 0x{start:x}..0x{map_end:x} overlaps the structure block 0x{:x}..0x{:x}",
                    l.struct_start, l.struct_end
                ),
            );
        }
        if let Some((s0, s1)) = l.strings {
            if start < s1 && s0 < map_end {
                self.diag(
                    Severity::Error,
                    Some(start),
                    format!("memory reservation map 0x{start:x}..0x{map_end:x} overlaps the strings block 0x{s0:x}..0x{s1:x}"),
                );
            }
        }
    }

    /// Reads a property name from the strings block: the name, whether it was valid
    /// UTF-8, and its length in characters; or why it cannot be read.
    fn prop_name(&self, l: &Layout, nameoff: u32) -> NameResult {
        let Some((s0, s1)) = l.strings else {
            return Err(format!("name offset {nameoff} cannot be resolved: the strings block is outside the blob"));
        };
        let size = s1 - s0;
        let off = nameoff as usize;
        if off >= size {
            return Err(format!("name offset {nameoff} is past the end of the {size}-byte strings block"));
        }
        let Some(tail) = self.bytes.get(s0 + off..s1) else {
            return Err(format!("name offset {nameoff} is outside the strings block"));
        };
        // Bounded scan: one strings-block entry can name any number of properties, so a
        // long entry would multiply memory (and scanning) by its length.
        let Some(nul) = tail.iter().take(MAX_PROP_NAME_BYTES + 1).position(|&c| c == 0) else {
            if tail.len() > MAX_PROP_NAME_BYTES {
                return Err(format!(
                    "name at offset {nameoff} of the strings block is longer than {MAX_PROP_NAME_BYTES} bytes"
                ));
            }
            return Err(format!(
                "name at offset {nameoff} of the strings block has no terminating NUL before the block ends"
            ));
        };
        let raw = &tail[..nul];
        let (name, utf8) = match std::str::from_utf8(raw) {
            Ok(s) => (s.to_string(), true),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), false),
        };
        // The bound applies to the name as stored (U+FFFD takes 3 bytes), so a name that
        // is read can always be written and read back.
        if name.len() > MAX_PROP_NAME_BYTES {
            return Err(format!(
                "name at offset {nameoff} of the strings block is longer than {MAX_PROP_NAME_BYTES} bytes once \
                 invalid UTF-8 is replaced"
            ));
        }
        let chars = name.chars().count();
        Ok((name, utf8, chars))
    }

    /// Starts reading the structure block; `None` when there is nothing to read.
    fn structure_start(&mut self, l: &Layout) -> Option<Walk> {
        let (start, send) = (l.struct_start, l.struct_end);
        if start >= send {
            if start < l.end {
                self.diag(
                    Severity::Error,
                    Some(start),
                    format!("the structure block at 0x{start:x} is empty (0 bytes); there is no root node"),
                );
            }
            return None;
        }
        Some(Walk {
            // Name cache by name offset: the name and whether it was valid UTF-8, or the error.
            names: NameCache::new(l.strings.map_or(0, |(s0, s1)| s1 - s0)),
            long_names: HashSet::new(),
            stack: Vec::new(),
            root_done: false,
            pad_bytes: 0,
            pad_places: 0,
            pad_first: None,
            pos: start,
        })
    }

    /// Reads tokens of the structure block until one starts at or after `limit` (then
    /// `None`: call again) or the walk ends (then `Some(why)`: `None` = FDT_END seen, else
    /// the offset where reading stopped). Every token moves `w.pos` forward or ends the walk.
    fn structure_step(&mut self, l: &Layout, w: &mut Walk, limit: usize) -> Option<Option<usize>> {
        let b = self.bytes;
        let (start, send) = (l.struct_start, l.struct_end);
        let stop_at: Option<usize> = loop {
            if w.pos >= limit {
                return None;
            }
            let mut pos = w.pos;
            let tok_off = pos;
            let tok = match pos.checked_add(4) {
                Some(e) if e <= send => match be32(b, pos) {
                    Some(t) => t,
                    None => break Some(pos),
                },
                _ => {
                    self.diag(
                        Severity::Error,
                        Some(pos.min(send)),
                        format!("structure block ends at 0x{send:x} without an FDT_END token"),
                    );
                    break Some(pos.min(send));
                }
            };
            pos += 4;
            w.pos = pos;
            match tok {
                FDT_BEGIN_NODE => {
                    let tail = b.get(pos..send).unwrap_or(&[]);
                    let Some(nul) = tail.iter().position(|&c| c == 0) else {
                        self.diag(
                            Severity::Error,
                            Some(tok_off),
                            format!(
                                "node name at 0x{pos:x} has no terminating NUL before the structure block ends at \
                                 0x{send:x}"
                            ),
                        );
                        break Some(tok_off);
                    };
                    if w.stack.len() >= MAX_DEPTH {
                        let parent = w.stack.last().map(|e| e.0).unwrap_or(self.tree.root);
                        self.diag_path(
                            Severity::Error,
                            Some(tok_off),
                            parent,
                            format!("nodes are nested more than {MAX_DEPTH} deep; reading stops here"),
                        );
                        break Some(tok_off);
                    }
                    if w.root_done {
                        self.diag(
                            Severity::Error,
                            Some(tok_off),
                            "a second top-level node follows the end of the root node; reading stops here".to_string(),
                        );
                        break Some(tok_off);
                    }
                    let raw = &tail[..nul];
                    let (name, utf8) = match std::str::from_utf8(raw) {
                        Ok(s) => (s.to_string(), true),
                        Err(_) => (String::from_utf8_lossy(raw).into_owned(), false),
                    };
                    let id = match w.stack.last_mut() {
                        None => {
                            let root = self.tree.root;
                            let n = self.tree.node_mut(root);
                            n.name = name;
                            n.offset = off32(tok_off);
                            if !n.name.is_empty() {
                                let nm = n.name.clone();
                                self.diag_path(
                                    Severity::Warning,
                                    Some(tok_off),
                                    root,
                                    format!("the root node has the name {nm:?}; it should be empty"),
                                );
                            }
                            root
                        }
                        Some((parent, has_child)) => {
                            *has_child = true;
                            let parent = *parent;
                            let id = self.tree.add_child(parent, name);
                            self.tree.node_mut(id).offset = off32(tok_off);
                            id
                        }
                    };
                    if id != self.tree.root {
                        let node = self.tree.node(id);
                        if node.name.is_empty() {
                            self.diag_kind(Kind::EmptyNodeName, tok_off, Some(id), || "node has an empty name".into());
                        } else if node.base_name().chars().count() > MAX_NAME_LEN {
                            let n = node.base_name().chars().count();
                            self.diag_kind(Kind::LongName, tok_off, Some(id), || {
                                format!("node name is {n} characters long; the limit is {MAX_NAME_LEN}")
                            });
                        }
                    }
                    if !utf8 {
                        self.diag_kind(Kind::BadUtf8, tok_off, Some(id), || {
                            format!("node name at 0x{pos:x} is not valid UTF-8; invalid bytes are shown as U+FFFD")
                        });
                    }
                    w.stack.push((id, false));
                    let after = pos + nul + 1;
                    let Some(next) = align4(after - start).map(|v| v + start) else { break Some(tok_off) };
                    w.check_pad(b, send, after, next);
                    w.pos = next;
                }
                FDT_END_NODE => {
                    if w.stack.pop().is_none() {
                        self.diag(
                            Severity::Error,
                            Some(tok_off),
                            "FDT_END_NODE with no node open; reading stops here".to_string(),
                        );
                        break Some(tok_off);
                    }
                    if w.stack.is_empty() {
                        w.root_done = true;
                    }
                }
                FDT_PROP => {
                    let Some(&(node, has_child)) = w.stack.last() else {
                        let msg = if w.root_done {
                            "property after the end of the root node; reading stops here"
                        } else {
                            "property before any node; reading stops here"
                        };
                        self.diag(Severity::Error, Some(tok_off), msg.to_string());
                        break Some(tok_off);
                    };
                    let (len, nameoff) = match (pos.checked_add(8), be32(b, pos), be32(b, pos + 4)) {
                        (Some(e), Some(len), Some(no)) if e <= send => (len as usize, no),
                        _ => {
                            self.diag_path(
                                Severity::Error,
                                Some(tok_off),
                                node,
                                format!(
                                    "property at 0x{tok_off:x} is cut off: its length and name offset need 8 bytes but \
                                     only {} remain in the structure block",
                                    send.saturating_sub(pos)
                                ),
                            );
                            break Some(tok_off);
                        }
                    };
                    let vstart = pos + 8;
                    let remain = send - vstart;
                    if len > remain {
                        self.diag_path(
                            Severity::Error,
                            Some(tok_off),
                            node,
                            format!(
                                "property at 0x{tok_off:x} claims {len} bytes but only {remain} remain in the \
                                 structure block"
                            ),
                        );
                        break Some(tok_off);
                    }
                    let vend = vstart + len;
                    let value = b.get(vstart..vend).unwrap_or(&[]).to_vec();
                    let entry = w.names.get(nameoff, || self.prop_name(l, nameoff));
                    let name = match entry {
                        Ok((name, utf8, n)) => {
                            let (name, utf8, n) = (name.clone(), *utf8, *n);
                            if !utf8 {
                                self.diag_kind(Kind::BadUtf8, tok_off, Some(node), || {
                                    format!(
                                        "property name at offset {nameoff} of the strings block is not valid UTF-8; \
                                         invalid bytes are shown as U+FFFD"
                                    )
                                });
                            }
                            // One warning per distinct long name, at its first use.
                            if n > MAX_NAME_LEN && w.long_names.insert(nameoff) {
                                self.diag_kind(Kind::LongName, tok_off, Some(node), || {
                                    format!(
                                        "property name {name:?} is {n} characters long; the limit is {MAX_NAME_LEN}"
                                    )
                                });
                            }
                            name
                        }
                        Err(why) => {
                            let why = why.clone();
                            let placeholder = format!("<bad-name@0x{nameoff:x}>");
                            self.diag_kind(Kind::BadPropName, tok_off, Some(node), || {
                                format!("property at 0x{tok_off:x}: {why}; kept as {placeholder:?}")
                            });
                            placeholder
                        }
                    };
                    if has_child {
                        self.diag_kind(Kind::PropAfterNode, tok_off, Some(node), || {
                            format!("property {name:?} follows a subnode; properties are written before subnodes")
                        });
                    }
                    self.tree.node_mut(node).props.push(Property { name, value, offset: off32(tok_off) });
                    let Some(next) = align4(vend - start).map(|v| v + start) else { break Some(tok_off) };
                    w.check_pad(b, send, vend, next);
                    w.pos = next;
                }
                FDT_NOP => {}
                FDT_END => break None,
                other => {
                    let msg = format!("unknown token 0x{other:08x} in the structure block; reading stops here");
                    match w.stack.last() {
                        Some(&(node, _)) => self.diag_path(Severity::Error, Some(tok_off), node, msg),
                        None => self.diag(Severity::Error, Some(tok_off), msg),
                    }
                    break Some(tok_off);
                }
            }
        };
        Some(stop_at)
    }

    /// The diagnostics once the structure walk has ended (`stop_at` as from
    /// [`Reader::structure_step`]).
    fn structure_end(&mut self, l: &Layout, w: Walk, stop_at: Option<usize>) {
        let send = l.struct_end;
        match stop_at {
            None => {
                let end_off = w.pos - 4;
                if !w.stack.is_empty() {
                    let open = w.stack.len();
                    let cur = w.stack.last().map(|e| e.0).unwrap_or(self.tree.root);
                    self.diag_path(
                        Severity::Error,
                        Some(end_off),
                        cur,
                        format!("FDT_END at 0x{end_off:x} with {open} nodes still open; they are closed implicitly"),
                    );
                } else if !w.root_done {
                    self.diag(Severity::Error, Some(end_off), "the structure block has no root node".to_string());
                } else if w.pos < send {
                    // Real producers end the block exactly after FDT_END.
                    self.diag(
                        Severity::Info,
                        Some(w.pos),
                        format!(
                            "{} bytes follow FDT_END inside the structure block (which ends at 0x{send:x}); they \
                             are ignored",
                            send - w.pos
                        ),
                    );
                }
            }
            Some(at) => {
                if !w.stack.is_empty() {
                    let open = w.stack.len();
                    let cur = w.stack.last().map(|e| e.0).unwrap_or(self.tree.root);
                    self.diag_path(
                        Severity::Error,
                        Some(at),
                        cur,
                        format!("{open} nodes were still open where reading stopped; they are closed implicitly"),
                    );
                } else if !w.root_done {
                    self.diag(Severity::Error, Some(at), "no root node could be read".to_string());
                }
            }
        }
        if w.pad_places > 0 {
            self.diag(
                Severity::Info,
                w.pad_first,
                format!(
                    "{} alignment padding bytes in {} places of the structure block are not zero \
                     (typical of blobs edited in place by libfdt); they are ignored",
                    w.pad_bytes, w.pad_places
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{read, ChunkedRead};

    /// Reads `bytes` in steps of `size` bytes, checking progress only moves forward.
    fn chunked(bytes: &[u8], size: usize) -> (super::ReadResult, usize) {
        let mut r = ChunkedRead::new(bytes);
        let mut steps = 0;
        let mut last = 0;
        while !r.step(size) {
            let (done, total) = r.progress();
            assert!(done > last || size == 0, "progress went from {last} to {done}");
            assert!(done <= total, "{done} of {total}");
            last = done;
            steps += 1;
        }
        (r.finish(), steps)
    }

    fn corpus() -> Vec<Vec<u8>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "dtb"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).expect("read corpus file")).collect()
    }

    #[test]
    fn any_step_size_reads_exactly_like_read() {
        for blob in corpus() {
            let whole = read(&blob);
            for size in [3, 64, 4096] {
                let (r, steps) = chunked(&blob, size);
                assert_eq!(r.tree, whole.tree);
                assert_eq!(r.diagnostics, whole.diagnostics);
                // Small steps really split the work (every blob has more than 64 bytes of structure).
                if size <= 64 {
                    assert!(steps > 1, "{size}-byte steps took {steps} steps");
                }
            }
        }
    }

    #[test]
    fn damaged_blobs_read_in_steps_like_read() {
        let blob = corpus().into_iter().next().expect("a corpus blob");
        // Cut short at many places, and with bytes of the structure block overwritten.
        let off_struct = u32::from_be_bytes([blob[8], blob[9], blob[10], blob[11]]) as usize;
        let mut cases: Vec<Vec<u8>> = (0..blob.len()).step_by(97).map(|n| blob[..n].to_vec()).collect();
        for k in (off_struct..blob.len()).step_by(131) {
            let mut b = blob.clone();
            b[k] ^= 0x5a;
            cases.push(b);
        }
        for b in cases {
            let whole = read(&b);
            for size in [1, 33] {
                let (r, _) = chunked(&b, size);
                assert_eq!(r.tree, whole.tree);
                assert_eq!(r.diagnostics, whole.diagnostics);
            }
        }
    }

    #[test]
    fn no_structure_block_is_done_at_once() {
        let mut r = ChunkedRead::new(b"not a blob");
        assert_eq!(r.progress(), (0, 0));
        assert!(r.step(1));
        assert!(!r.finish().diagnostics.is_empty());
    }
}
