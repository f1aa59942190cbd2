//! Differences between two trees ([`diff`]) and between two texts ([`text_diff`]).
//!
//! # What the tree diff normalizes
//!
//! Nodes are matched by full path and properties by name, so **the order of nodes and of
//! properties is never reported**: two trees that differ only in order are equal. (Siblings
//! with the same name, which only damaged blobs have, are matched in document order.)
//!
//! **Phandle renumbering** (what dtc does when a source is rebuilt or edited) is ignored
//! where the diff can tell which cells are phandles: such cells are compared by the *path*
//! of the node they point to, other cells by value. That covers
//! - `phandle` and `linux,phandle` themselves;
//! - properties whose every cell is a phandle: `interrupt-parent`, `memory-region`,
//!   `next-level-cache`, `cpu`, `cpu-idle-states`, `operating-points-v2`, `remote-endpoint`,
//!   `phy-handle`, `pcs-handle`, `*-supply`, `pinctrl-N`;
//! - phandle + argument lists whose argument count comes from a `#…-cells` property of the
//!   target, e.g. `clocks`/`assigned-clocks`/`assigned-clock-parents` (`#clock-cells`),
//!   `resets`, `dmas`, `phys`, `power-domains`, `pwms`, `mboxes`, `iommus`,
//!   `interrupts-extended` (`#interrupt-cells`), `io-channels`, `thermal-sensors`,
//!   `sound-dai`, `interconnects`, `hwlocks`, `cooling-device`, `msi-parent`, `nvmem-cells`,
//!   `gpios` and `*-gpios` (`#gpio-cells`) — only when the list parses exactly against the
//!   targets in that tree (a zero phandle is a placeholder without arguments).
//!
//! Everything else is compared byte for byte, so a renumbering **is** reported in
//! properties the diff does not know to hold phandles: `interrupt-map`, `iommu-map`,
//! `msi-map`, overlay `__fixups__`/`__local_fixups__`, vendor properties, and the lists
//! above when they do not parse. `/__symbols__` and `/aliases` hold paths, not phandles,
//! and are unaffected by renumbering anyway. A value that resolves differently (same
//! number, other target) is a change. Header fields that only describe the layout
//! (`version`, offsets, sizes) are not compared; `boot_cpuid_phys` and the memory
//! reservations are.
//!
//! # Text diff
//! [`text_diff`] is a line diff (Myers' O((N+M)·D) algorithm after trimming the common
//! prefix and suffix) grouped into [`Hunk`]s with context; [`unified`] renders them like
//! `diff -u`. When the two texts differ in more than [`MAX_EDIT_DISTANCE`] lines after
//! trimming, the diff anchors on lines that occur once in each text (as patience diff does)
//! and runs the bounded Myers between anchors; a gap still over the bound is reported as
//! one replaced block (correct, just not minimal), so time and memory stay bounded
//! (Myers keeps at most ~[`MAX_EDIT_DISTANCE`]² cells of trace, 16 MB).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::tree::{NodeId, Property, Reservation, Tree};
use crate::value;

/// One property difference, on a node present in both trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropDiff {
    pub path: String,
    pub name: String,
    pub change: PropChange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropChange {
    Added(Vec<u8>),
    Removed(Vec<u8>),
    Changed { before: Vec<u8>, after: Vec<u8> },
}

/// What differs between two trees (see the module documentation for what is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TreeDiff {
    /// Every node only in the first tree (descendants included), in its document order.
    pub removed_nodes: Vec<String>,
    /// Every node only in the second tree (descendants included), in its document order.
    pub added_nodes: Vec<String>,
    /// Property differences on nodes in both trees, in the second tree's node order then
    /// first-tree property order (removed and changed), then added ones.
    pub props: Vec<PropDiff>,
    /// The memory reservations, when they differ: (first, second).
    pub reservations: Option<(Vec<Reservation>, Vec<Reservation>)>,
    /// `boot_cpuid_phys`, when it differs: (first, second).
    pub boot_cpuid_phys: Option<(u32, u32)>,
}

impl TreeDiff {
    pub fn is_empty(&self) -> bool {
        self.removed_nodes.is_empty()
            && self.added_nodes.is_empty()
            && self.props.is_empty()
            && self.reservations.is_none()
            && self.boot_cpuid_phys.is_none()
    }

    /// A plain-text report, one line per difference; removed and added subtrees are
    /// reported once, at their top node.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if let Some((a, b)) = self.boot_cpuid_phys {
            let _ = writeln!(s, "boot_cpuid_phys changed: {a} -> {b}");
        }
        if let Some((a, b)) = &self.reservations {
            let fmt = |r: &[Reservation]| {
                if r.is_empty() {
                    return "(none)".to_string();
                }
                r.iter().map(|r| format!("0x{:x} 0x{:x}", r.address, r.size)).collect::<Vec<_>>().join(", ")
            };
            let _ = writeln!(s, "memory reservations changed: {} -> {}", fmt(a), fmt(b));
        }
        for (what, list) in [("removed", &self.removed_nodes), ("added", &self.added_nodes)] {
            for (top, below) in collapse(list) {
                let _ = match below {
                    0 => writeln!(s, "node {what}: {top}"),
                    1 => writeln!(s, "node {what}: {top} (and 1 node below it)"),
                    n => writeln!(s, "node {what}: {top} (and {n} nodes below it)"),
                };
            }
        }
        for p in &self.props {
            let _ = match &p.change {
                PropChange::Removed(v) => writeln!(s, "property removed: {} {} = {}", p.path, p.name, format_value(v)),
                PropChange::Added(v) => writeln!(s, "property added: {} {} = {}", p.path, p.name, format_value(v)),
                PropChange::Changed { before, after } => writeln!(
                    s,
                    "property changed: {} {}: {} -> {}",
                    p.path,
                    p.name,
                    format_value(before),
                    format_value(after)
                ),
            };
        }
        s
    }
}

/// Top-level entries of a document-ordered path list, each with how many entries below it.
fn collapse(paths: &[String]) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for p in paths {
        if let Some((top, n)) = out.last_mut() {
            let under = if *top == "/" { true } else { p.strip_prefix(*top).is_some_and(|r| r.starts_with('/')) };
            if under {
                *n += 1;
                continue;
            }
        }
        out.push((p, 0));
    }
    out
}

/// A short DTS-like rendering of a raw value: strings, cells, or bytes.
pub fn format_value(v: &[u8]) -> String {
    if v.is_empty() {
        return "(empty)".to_string();
    }
    if value::looks_like_strings(v) {
        if let Some(list) = value::as_string_list(v) {
            return list.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
        }
    }
    if let Some(cells) = value::as_cells(v) {
        let inner: Vec<String> = cells.iter().map(|c| format!("0x{c:x}")).collect();
        return format!("<{}>", inner.join(" "));
    }
    let inner: Vec<String> = v.iter().map(|b| format!("{b:02x}")).collect();
    format!("[{}]", inner.join(" "))
}

/// Properties whose every cell is a phandle.
const PHANDLE_LISTS: &[&str] = &[
    "interrupt-parent",
    "memory-region",
    "next-level-cache",
    "cpu",
    "cpu-idle-states",
    "operating-points-v2",
    "remote-endpoint",
    "phy-handle",
    "pcs-handle",
];

/// Phandle + arguments lists: property, the target's `#…-cells`, the count to assume when
/// the target lacks it (`None`: the list cannot be parsed then).
const SPECIFIER_LISTS: &[(&str, &str, Option<u32>)] = &[
    ("clocks", "#clock-cells", None),
    ("assigned-clocks", "#clock-cells", None),
    ("assigned-clock-parents", "#clock-cells", None),
    ("resets", "#reset-cells", None),
    ("dmas", "#dma-cells", None),
    ("phys", "#phy-cells", None),
    ("power-domains", "#power-domain-cells", None),
    ("pwms", "#pwm-cells", None),
    ("mboxes", "#mbox-cells", None),
    ("iommus", "#iommu-cells", None),
    ("interrupts-extended", "#interrupt-cells", None),
    ("io-channels", "#io-channel-cells", None),
    ("thermal-sensors", "#thermal-sensor-cells", None),
    ("sound-dai", "#sound-dai-cells", None),
    ("interconnects", "#interconnect-cells", None),
    ("hwlocks", "#hwlock-cells", None),
    ("cooling-device", "#cooling-cells", None),
    ("msi-parent", "#msi-cells", Some(0)),
    ("nvmem-cells", "#nvmem-cell-cells", Some(0)),
];

/// How a property is compared.
#[derive(Debug, PartialEq, Eq)]
enum Norm<'a> {
    Raw(&'a [u8]),
    Cells(Vec<Cell<'a>>),
}

#[derive(Debug, PartialEq, Eq)]
enum Cell<'a> {
    /// A phandle, by the path of its target.
    Ref(&'a str),
    Val(u32),
}

/// One side of the comparison: a tree with its paths and phandles precomputed.
struct Side<'a> {
    tree: &'a Tree,
    /// Path of every reachable node, indexed by arena id.
    paths: Vec<Option<String>>,
    phandles: HashMap<u32, NodeId>,
}

impl<'a> Side<'a> {
    fn new(tree: &'a Tree) -> Self {
        let mut paths: Vec<Option<String>> = vec![None; tree.nodes.len()];
        for (id, _) in tree.walk() {
            let node = tree.node(id);
            let p = match node.parent.and_then(|p| paths.get(p.0).cloned().flatten()) {
                None => "/".to_string(),
                Some(pp) if pp == "/" => format!("/{}", node.name),
                Some(pp) => format!("{pp}/{}", node.name),
            };
            if let Some(slot) = paths.get_mut(id.0) {
                *slot = Some(p);
            }
        }
        Side { tree, paths, phandles: tree.phandles() }
    }

    fn path(&self, id: NodeId) -> &str {
        self.paths.get(id.0).and_then(|p| p.as_deref()).unwrap_or("?")
    }

    fn target(&self, ph: u32) -> Option<NodeId> {
        self.phandles.get(&ph).copied()
    }

    fn normalize<'s>(&'s self, prop: &'s Property) -> Norm<'s> {
        let raw = Norm::Raw(&prop.value);
        let name = prop.name.as_str();
        let Some(cells) = value::as_cells(&prop.value) else { return raw };
        if cells.is_empty() {
            return raw;
        }
        let all_phandles = name == "phandle"
            || name == "linux,phandle"
            || PHANDLE_LISTS.contains(&name)
            || name.ends_with("-supply")
            || name.strip_prefix("pinctrl-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if all_phandles {
            let mut out = Vec::with_capacity(cells.len());
            for c in cells {
                match self.target(c) {
                    Some(t) => out.push(Cell::Ref(self.path(t))),
                    None => return raw,
                }
            }
            return Norm::Cells(out);
        }
        let spec = SPECIFIER_LISTS.iter().find(|(p, _, _)| *p == name).map(|&(_, c, d)| (c, d)).or_else(|| {
            (name == "gpios" || name == "gpio" || name.ends_with("-gpios") || name.ends_with("-gpio"))
                .then_some(("#gpio-cells", None))
        });
        let Some((cells_name, default)) = spec else { return raw };
        let mut out = Vec::with_capacity(cells.len());
        let mut i = 0;
        while i < cells.len() {
            let ph = cells[i];
            i += 1;
            if ph == 0 {
                out.push(Cell::Val(0));
                continue;
            }
            let Some(t) = self.target(ph) else { return raw };
            let n = self.tree.node(t).prop(cells_name).and_then(|p| value::as_u32(&p.value)).or(default);
            let Some(n) = n else { return raw };
            let n = n as usize;
            if n > cells.len() - i {
                return raw;
            }
            out.push(Cell::Ref(self.path(t)));
            out.extend(cells[i..i + n].iter().map(|&c| Cell::Val(c)));
            i += n;
        }
        Norm::Cells(out)
    }

    /// Reachable nodes keyed by (path, occurrence among same-path siblings), in document order.
    fn keyed(&self) -> Vec<((&str, usize), NodeId)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut out = Vec::new();
        for (id, _) in self.tree.walk() {
            let p = self.path(id);
            let n = seen.entry(p).or_insert(0);
            out.push(((p, *n), id));
            *n += 1;
        }
        out
    }
}

/// Properties of a node keyed by (name, occurrence).
fn keyed_props(props: &[Property]) -> Vec<((&str, usize), &Property)> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    props
        .iter()
        .map(|p| {
            let n = seen.entry(p.name.as_str()).or_insert(0);
            let k = *n;
            *n += 1;
            ((p.name.as_str(), k), p)
        })
        .collect()
}

/// The differences from `a` to `b`; see the module documentation for what is normalized.
pub fn diff(a: &Tree, b: &Tree) -> TreeDiff {
    let sa = Side::new(a);
    let sb = Side::new(b);
    let ka = sa.keyed();
    let kb = sb.keyed();
    let ma: HashMap<(&str, usize), NodeId> = ka.iter().copied().collect();
    let mb: HashMap<(&str, usize), NodeId> = kb.iter().copied().collect();
    let mut d = TreeDiff::default();
    for (key, _) in &ka {
        if !mb.contains_key(key) {
            d.removed_nodes.push(key.0.to_string());
        }
    }
    for (key, idb) in &kb {
        let Some(&ida) = ma.get(key) else {
            d.added_nodes.push(key.0.to_string());
            continue;
        };
        let pa = keyed_props(&a.node(ida).props);
        let pb = keyed_props(&b.node(*idb).props);
        let mpb: HashMap<(&str, usize), &Property> = pb.iter().copied().collect();
        let mpa: HashMap<(&str, usize), &Property> = pa.iter().copied().collect();
        for (pk, prop_a) in &pa {
            match mpb.get(pk) {
                None => d.props.push(PropDiff {
                    path: key.0.to_string(),
                    name: prop_a.name.clone(),
                    change: PropChange::Removed(prop_a.value.clone()),
                }),
                Some(prop_b) => {
                    if sa.normalize(prop_a) != sb.normalize(prop_b) {
                        d.props.push(PropDiff {
                            path: key.0.to_string(),
                            name: prop_a.name.clone(),
                            change: PropChange::Changed { before: prop_a.value.clone(), after: prop_b.value.clone() },
                        });
                    }
                }
            }
        }
        for (pk, prop_b) in &pb {
            if !mpa.contains_key(pk) {
                d.props.push(PropDiff {
                    path: key.0.to_string(),
                    name: prop_b.name.clone(),
                    change: PropChange::Added(prop_b.value.clone()),
                });
            }
        }
    }
    if a.reservations != b.reservations {
        d.reservations = Some((a.reservations.clone(), b.reservations.clone()));
    }
    if a.header.boot_cpuid_phys != b.header.boot_cpuid_phys {
        d.boot_cpuid_phys = Some((a.header.boot_cpuid_phys, b.header.boot_cpuid_phys));
    }
    d
}

// ---------------------------------------------------------------------------------------
// Text diff

/// Above this many differing lines (after trimming the common prefix and suffix), the
/// middle is reported as one replaced block (Myers' trace would need ~D² memory).
pub const MAX_EDIT_DISTANCE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: LineKind,
    pub text: String,
}

/// A run of changes with context, like one `@@` block of `diff -u`. Line numbers are
/// 1-based; a range of length 0 starts at the line before it (0 at the very start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    Same(usize, usize),
    Del(usize),
    Ins(usize),
}

/// The line differences from `old` to `new`, as hunks with `context` unchanged lines
/// around each change. Empty when the texts have the same lines.
pub fn text_diff(old: &str, new: &str, context: usize) -> Vec<Hunk> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut ia = Vec::with_capacity(a.len());
    let mut ib = Vec::with_capacity(b.len());
    for (lines, out) in [(&a, &mut ia), (&b, &mut ib)] {
        for &l in lines.iter() {
            let n = ids.len() as u32;
            out.push(*ids.entry(l).or_insert(n));
        }
    }
    let edits = line_edits(&ia, &ib);
    hunks(&edits, &a, &b, context)
}

/// The edit script from `a` to `b` (sequences of interned lines).
fn line_edits(a: &[u32], b: &[u32]) -> Vec<Edit> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut edits: Vec<Edit> = (0..pre).map(|i| Edit::Same(i, i)).collect();
    let mid = match myers(ma, mb, MAX_EDIT_DISTANCE) {
        Some(mid) => mid,
        None => anchored(ma, mb),
    };
    edits.extend(mid.into_iter().map(|e| match e {
        Edit::Same(x, y) => Edit::Same(x + pre, y + pre),
        Edit::Del(x) => Edit::Del(x + pre),
        Edit::Ins(y) => Edit::Ins(y + pre),
    }));
    edits.extend((0..suf).map(|i| Edit::Same(a.len() - suf + i, b.len() - suf + i)));
    edits
}

/// For texts too different for a bounded Myers run: anchor on lines that occur exactly
/// once in each text (the longest run of them in the same order, as patience diff does),
/// then diff each gap between anchors with bounded Myers, replacing a gap wholesale when
/// even that is over the bound. Iterative; O(N log N) plus the bounded gap diffs.
fn anchored(a: &[u32], b: &[u32]) -> Vec<Edit> {
    // (count in a, count in b, position in a, position in b)
    let mut seen: HashMap<u32, (u32, u32, usize, usize)> = HashMap::new();
    for (i, &l) in a.iter().enumerate() {
        let e = seen.entry(l).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, &l) in b.iter().enumerate() {
        if let Some(e) = seen.get_mut(&l) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen.values().filter(|e| e.0 == 1 && e.1 == 1).map(|e| (e.2, e.3)).collect();
    // The a positions are distinct, so ordering by them alone is the tuples' order.
    crate::order::sort_by_key(&mut pairs, |&(x, _)| x as u64);
    // Longest increasing subsequence of the b positions (patience sorting with back links).
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of the smallest tail per length
    let mut back: Vec<Option<usize>> = vec![None; pairs.len()];
    for (i, &(_, y)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < y);
        back[i] = k.checked_sub(1).map(|p| tails[p]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut anchors = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        anchors.push(pairs[i]);
        cur = back[i];
    }
    anchors.reverse();
    anchors.push((a.len(), b.len())); // sentinel: the final gap
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut px, mut py) = (0, 0);
    for (x, y) in anchors {
        let (ga, gb) = (&a[px..x], &b[py..y]);
        match myers(ga, gb, MAX_EDIT_DISTANCE) {
            Some(gap) => out.extend(gap.into_iter().map(|e| match e {
                Edit::Same(i, j) => Edit::Same(i + px, j + py),
                Edit::Del(i) => Edit::Del(i + px),
                Edit::Ins(j) => Edit::Ins(j + py),
            })),
            None => {
                out.extend((px..x).map(Edit::Del));
                out.extend((py..y).map(Edit::Ins));
            }
        }
        if x < a.len() {
            out.push(Edit::Same(x, y));
        }
        (px, py) = (x + 1, y + 1);
    }
    out
}

/// Myers' greedy shortest edit script, or `None` if it needs more than `max_d` edits.
fn myers(a: &[u32], b: &[u32], max_d: usize) -> Option<Vec<Edit>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let lim = (n + m).min(max_d as isize);
    let off = lim + 1;
    let mut v = vec![0isize; (2 * lim + 3) as usize];
    // trace[d] = v[-d..=d] after round d.
    let mut trace: Vec<Vec<u32>> = Vec::new();
    let mut end_d = None;
    'rounds: for d in 0..=lim {
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if down { v[(off + k + 1) as usize] } else { v[(off + k - 1) as usize] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                trace.push(v[(off - d) as usize..=(off + d) as usize].iter().map(|&x| x as u32).collect());
                end_d = Some(d);
                break 'rounds;
            }
            k += 2;
        }
        trace.push(v[(off - d) as usize..=(off + d) as usize].iter().map(|&x| x as u32).collect());
    }
    let end_d = end_d?;
    let mut out = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (1..=end_d).rev() {
        let prev = &trace[(d - 1) as usize];
        let at = |k: isize| prev[(k + d - 1) as usize] as isize;
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let px = at(pk);
        let py = px - pk;
        // The snake after the move.
        let (sx, sy) = if down { (px, py + 1) } else { (px + 1, py) };
        while x > sx && y > sy {
            x -= 1;
            y -= 1;
            out.push(Edit::Same(x as usize, y as usize));
        }
        if down {
            out.push(Edit::Ins(py as usize));
        } else {
            out.push(Edit::Del(px as usize));
        }
        x = px;
        y = py;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        out.push(Edit::Same(x as usize, y as usize));
    }
    out.reverse();
    Some(out)
}

fn hunks(edits: &[Edit], a: &[&str], b: &[&str], context: usize) -> Vec<Hunk> {
    // Indices of changed edits.
    let changes: Vec<usize> =
        edits.iter().enumerate().filter(|(_, e)| !matches!(e, Edit::Same(..))).map(|(i, _)| i).collect();
    let mut out = Vec::new();
    let mut ci = 0;
    while ci < changes.len() {
        let first = changes[ci];
        let mut last = first;
        ci += 1;
        while ci < changes.len() && changes[ci] - last <= 2 * context + 1 {
            last = changes[ci];
            ci += 1;
        }
        let start = first.saturating_sub(context);
        let end = (last + context + 1).min(edits.len());
        // Positions in old/new at the hunk start.
        let (old_at, new_at) = position_before(edits, start);
        let mut lines = Vec::with_capacity(end - start);
        let (mut ol, mut nl) = (0, 0);
        for e in &edits[start..end] {
            match *e {
                Edit::Same(x, _) => {
                    lines.push(DiffLine { kind: LineKind::Same, text: a[x].to_string() });
                    ol += 1;
                    nl += 1;
                }
                Edit::Del(x) => {
                    lines.push(DiffLine { kind: LineKind::Removed, text: a[x].to_string() });
                    ol += 1;
                }
                Edit::Ins(y) => {
                    lines.push(DiffLine { kind: LineKind::Added, text: b[y].to_string() });
                    nl += 1;
                }
            }
        }
        out.push(Hunk {
            old_start: if ol == 0 { old_at } else { old_at + 1 },
            old_len: ol,
            new_start: if nl == 0 { new_at } else { new_at + 1 },
            new_len: nl,
            lines,
        });
    }
    out
}

/// (old line index, new line index) where edit `i` starts.
fn position_before(edits: &[Edit], i: usize) -> (usize, usize) {
    match edits.get(i) {
        Some(Edit::Same(x, y)) => (*x, *y),
        _ => {
            let (mut o, mut n) = (0, 0);
            for e in &edits[..i] {
                match e {
                    Edit::Same(..) => {
                        o += 1;
                        n += 1;
                    }
                    Edit::Del(_) => o += 1,
                    Edit::Ins(_) => n += 1,
                }
            }
            (o, n)
        }
    }
}

/// Renders hunks like `diff -u`, with `---`/`+++` header lines naming the two sides.
pub fn unified(old_name: &str, new_name: &str, hunks: &[Hunk]) -> String {
    let mut s = String::new();
    if hunks.is_empty() {
        return s;
    }
    let _ = writeln!(s, "--- {old_name}\n+++ {new_name}");
    for h in hunks {
        let _ = writeln!(s, "@@ -{},{} +{},{} @@", h.old_start, h.old_len, h.new_start, h.new_len);
        for l in &h.lines {
            let c = match l.kind {
                LineKind::Same => ' ',
                LineKind::Removed => '-',
                LineKind::Added => '+',
            };
            let _ = writeln!(s, "{c}{}", l.text);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply_hunks(old: &str, hunks: &[Hunk]) -> Vec<String> {
        let a: Vec<&str> = old.lines().collect();
        let mut out = Vec::new();
        let mut i = 0;
        for h in hunks {
            let start = if h.old_len == 0 { h.old_start } else { h.old_start - 1 };
            out.extend(a[i..start].iter().map(|s| s.to_string()));
            i = start;
            for l in &h.lines {
                match l.kind {
                    LineKind::Same => {
                        assert_eq!(a[i], l.text);
                        out.push(l.text.clone());
                        i += 1;
                    }
                    LineKind::Removed => {
                        assert_eq!(a[i], l.text);
                        i += 1;
                    }
                    LineKind::Added => out.push(l.text.clone()),
                }
            }
        }
        out.extend(a[i..].iter().map(|s| s.to_string()));
        out
    }

    #[test]
    fn myers_is_minimal_on_the_classic_example() {
        // Myers' paper: ABCABBA -> CBABAC has edit distance 5.
        let a: Vec<u32> = "ABCABBA".bytes().map(u32::from).collect();
        let b: Vec<u32> = "CBABAC".bytes().map(u32::from).collect();
        let e = myers(&a, &b, 100).unwrap();
        assert_eq!(e.iter().filter(|e| !matches!(e, Edit::Same(..))).count(), 5);
        assert!(myers(&a, &b, 4).is_none());
    }

    #[test]
    fn hunks_reconstruct_the_new_text() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n";
        let h = text_diff(old, new, 2);
        assert_eq!(h.len(), 2);
        assert_eq!(apply_hunks(old, &h), new.lines().map(String::from).collect::<Vec<_>>());
        let u = unified("a.dts", "b.dts", &h);
        assert!(u.starts_with("--- a.dts\n+++ b.dts\n@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n d\n"), "{u}");
        assert!(u.ends_with("@@ -10,2 +10,3 @@\n j\n k\n+l\n"), "{u}");
        assert!(text_diff(old, old, 3).is_empty());
        // Insert into empty and delete all.
        assert_eq!(text_diff("", "x\n", 3)[0].new_start, 1);
        assert_eq!(text_diff("", "x\n", 3)[0].old_start, 0);
        assert_eq!(apply_hunks("x\ny\n", &text_diff("x\ny\n", "", 1)), Vec::<String>::new());
    }

    #[test]
    fn over_the_bound_falls_back_to_one_block() {
        let old: String = (0..3000).map(|i| format!("o{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("n{i}\n")).collect();
        let h = text_diff(&old, &new, 3);
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].old_len, h[0].new_len), (3000, 3000));
        assert_eq!(apply_hunks(&old, &h), new.lines().map(String::from).collect::<Vec<_>>());
    }

    #[test]
    fn far_apart_texts_are_anchored_on_unique_lines() {
        // 3000 changed lines spread over 6000: over the Myers bound, but every other line
        // is unique and unchanged, so the anchored diff is still minimal.
        let old: String = (0..6000).map(|i| format!("l{i}\n")).collect();
        let new: String = (0..6000).map(|i| if i % 2 == 0 { format!("l{i}\n") } else { format!("x{i}\n") }).collect();
        let h = text_diff(&old, &new, 1);
        let removed = h.iter().flat_map(|h| &h.lines).filter(|l| l.kind == LineKind::Removed).count();
        assert_eq!(removed, 3000);
        assert_eq!(apply_hunks(&old, &h), new.lines().map(String::from).collect::<Vec<_>>());
        // Moved blocks: unique lines out of order keep the longest ordered run.
        let a: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let b: String = (1500..3000).chain(0..1500).map(|i| format!("a{i}\n")).collect();
        let h = text_diff(&a, &b, 0);
        assert_eq!(apply_hunks(&a, &h), b.lines().map(String::from).collect::<Vec<_>>());
        let removed = h.iter().flat_map(|h| &h.lines).filter(|l| l.kind == LineKind::Removed).count();
        assert_eq!(removed, 1500);
    }

    #[test]
    fn random_texts_reconstruct() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let n = (next() % 40) as usize;
            let old: Vec<String> = (0..n).map(|_| format!("l{}", next() % 6)).collect();
            let mut new = old.clone();
            for _ in 0..(next() % 6) {
                let at = if new.is_empty() { 0 } else { (next() as usize) % (new.len() + 1) };
                match next() % 3 {
                    0 if at < new.len() => {
                        new.remove(at);
                    }
                    1 if at < new.len() => new[at] = format!("x{}", next() % 6),
                    _ => new.insert(at, format!("l{}", next() % 6)),
                }
            }
            let (o, nw) = (old.join("\n"), new.join("\n"));
            let h = text_diff(&o, &nw, (next() % 4) as usize);
            assert_eq!(apply_hunks(&o, &h), new, "{old:?} -> {new:?}");
            // The anchored fallback, run directly, is a valid script too.
            let ia: Vec<u32> =
                old.iter().map(|l| l[1..].parse::<u32>().unwrap() + 100 * u32::from(l.starts_with('x'))).collect();
            let ib: Vec<u32> =
                new.iter().map(|l| l[1..].parse::<u32>().unwrap() + 100 * u32::from(l.starts_with('x'))).collect();
            let mut rebuilt = Vec::new();
            let (mut i, mut j) = (0, 0);
            for e in anchored(&ia, &ib) {
                match e {
                    Edit::Same(x, y) => {
                        assert_eq!((x, y), (i, j));
                        assert_eq!(ia[x], ib[y]);
                        rebuilt.push(ib[y]);
                        (i, j) = (i + 1, j + 1);
                    }
                    Edit::Del(x) => {
                        assert_eq!(x, i);
                        i += 1;
                    }
                    Edit::Ins(y) => {
                        assert_eq!(y, j);
                        rebuilt.push(ib[y]);
                        j += 1;
                    }
                }
            }
            assert_eq!((i, j), (ia.len(), ib.len()));
            assert_eq!(rebuilt, ib);
        }
    }

    #[test]
    fn collapse_keeps_top_nodes() {
        let v: Vec<String> = ["/a", "/a/b", "/a/b/c", "/ab", "/c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(collapse(&v), vec![("/a", 2), ("/ab", 0), ("/c", 0)]);
    }
}
