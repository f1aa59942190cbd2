//! Tree → DTS.
//!
//! The output is meant to be read by people and compiled by dtc: `dtc -I dts -O dtb` of
//! [`print()`]'s output gives the same blob as `dtc -I dtb -O dtb` of the input (the header's
//! `boot_cpuid_phys` aside, which DTS cannot express: pass it to dtc with `-b`).
//!
//! Values are decoded by what they are rather than by byte heuristics alone:
//! `reg`/`ranges`/`dma-ranges` one `<...>` per entry by the `#address-cells`/`#size-cells`
//! in force, `interrupts` one `<...>` per specifier by the interrupt parent's
//! `#interrupt-cells`, phandle + specifier lists (`clocks`, `*-gpios`, `interrupts-extended`,
//! `interrupt-map`, ...) one `<&ref args>` per entry, known string properties as strings,
//! known 64-bit quantities as `/bits/ 64`. Anything that does not decode cleanly falls back
//! to plain cells, dtc's string heuristic, or bytes. The name tables live in
//! [`super::layout`].
//!
//! Decoding details worth knowing:
//! - The interrupt parent is found as the kernel's `of_irq_find_parent` does: follow
//!   `interrupt-parent` (else the tree parent) until a node with `#interrupt-cells`.
//!   ([`Tree::interrupt_parent`] stops at an `interrupt-controller` instead; for printing,
//!   `#interrupt-cells` is what decides the grouping.)
//! - A GPIO hog's `gpios` carry no phandle; they are grouped by the parent's `#gpio-cells`.
//! - Nothing under `/__symbols__`, `/__fixups__` or `/__local_fixups__` is decoded: there
//!   the property names mirror other nodes' but the values are paths and offsets.
//! - Values with several groups that would run past column 100 are laid out one group per
//!   line, aligned under the first.
//!
//! References (`&label`, `&{/path}`) are printed only where dtc will turn them back into
//! the same number: the cell sits where the property's layout has a phandle, its value is
//! claimed by exactly one node, and that node carries it in an explicit `phandle` or
//! `linux,phandle` property (dtc keeps an explicit phandle rather than assigning one).
//!
//! Names dtc cannot lex (characters outside `[a-zA-Z0-9,._+*#?@-]`) are printed as they are,
//! after a comment saying so: there is no DTS spelling for them, and dtc refuses such a tree
//! in any input format. The root cannot carry a label in DTS, so root labels are left out
//! and references to the root are printed as `&{/}`.
//!
//! Everything per tree (phandle map, labels, cell counts) is computed once per call; the
//! walk is iterative; output time is linear in the size of the tree.

use crate::fast_hash::FastHash;
use std::collections::{HashMap, HashSet};
use std::io;

use super::layout::{self, Class, PhandleLayout};
use crate::value;
use crate::{NodeId, Property, Tree};

/// Grouped values longer than this (tabs counted as 8) get one group per line.
const WRAP_COLUMN: usize = 100;

/// The whole tree as a DTS file.
pub fn print(tree: &Tree) -> String {
    let mut p = Printer::new(tree);
    let mut out = Vec::with_capacity(p.size_hint);
    // Without a sink nothing is written anywhere, so nothing can fail.
    let _ = p.write_file(&mut out, None);
    into_string(out)
}

/// [`print()`] straight into `w`, a buffer of about [`CHUNK`] bytes at a time: the whole
/// text is never held in memory (what `dtlens dts` uses for large trees).
pub fn print_to(tree: &Tree, w: &mut dyn io::Write) -> io::Result<()> {
    let mut p = Printer::new(tree);
    let mut out = Vec::with_capacity(2 * CHUNK);
    p.write_file(&mut out, Some(w))
}

/// Output is handed to [`print_to`]'s writer in pieces of at least this many bytes.
const CHUNK: usize = 64 * 1024;

/// The printer's bytes as a string. They are UTF-8 by construction (names and strings are
/// copied from `str`s or escaped); the lossy branch only exists so this cannot panic.
fn into_string(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// One node (and its subtree) as DTS, for the "this node" view. References to nodes
/// outside the subtree are printed the same way as in [`print()`].
pub fn print_node(tree: &Tree, id: NodeId) -> String {
    if id.0 >= tree.nodes.len() {
        return String::new();
    }
    let mut p = Printer::new(tree);
    let mut out = Vec::new();
    let _ = p.write_subtree(&mut out, id, None);
    into_string(out)
}

/// One cell of a decoded value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Num(u32),
    /// A phandle known to belong to this node.
    Ref(u32, NodeId),
    /// Closes a `<...>` group.
    End,
}

/// Per-node facts the decoders need, gathered in one pass.
#[derive(Debug, Clone, Copy, Default)]
struct Info {
    /// `#address-cells` / `#size-cells` as written (absent = `None`).
    address_cells: Option<u32>,
    size_cells: Option<u32>,
    interrupt_cells: Option<u32>,
    /// `Some(..)` when the node has an `interrupt-parent` property (`Some(None)`: not 4 bytes).
    interrupt_parent: Option<Option<u32>>,
    /// The node has a `gpio-hog` property: its `gpios` are specifiers without phandles.
    gpio_hog: bool,
    /// The node is in `/__symbols__`, `/__fixups__` or `/__local_fixups__`, whose property
    /// names mirror other nodes' but whose values are paths and offsets, not phandles.
    overlay_meta: bool,
}

impl Info {
    /// Cell counts for children, with the defaults dtc and the kernel assume.
    fn address(&self) -> u32 {
        self.address_cells.unwrap_or(2)
    }
    fn size(&self) -> u32 {
        self.size_cells.unwrap_or(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Memo {
    Unknown,
    Busy,
    Done(Option<NodeId>),
}

struct Printer<'t> {
    tree: &'t Tree,
    info: Vec<Info>,
    /// Phandle values dtc will reproduce for references, and their node.
    phandles: PhandleMap,
    /// Valid labels per node (by arena index), in `__symbols__` order; never on the root.
    labels: Vec<Vec<String>>,
    /// Reference text per target node (by arena index; inner `None`: print the number).
    ref_text: Vec<Option<Option<String>>>,
    /// Roughly the length of the whole file, to allocate the output once.
    size_hint: usize,
    /// Property name → what it is (few distinct names, many properties).
    classes: HashMap<&'t str, Class, FastHash>,
    /// Interrupt controller reached from a node (memo for [`Printer::controller_from`]).
    irq_memo: Vec<Memo>,
    // Reused buffers.
    cells: Vec<u32>,
    items: Vec<Item>,
    starts: Vec<usize>,
}

impl<'t> Printer<'t> {
    fn new(tree: &'t Tree) -> Self {
        let mut info = vec![Info::default(); tree.nodes.len()];
        // Value → Some(node) when exactly one node claims it consistently, None otherwise.
        let mut claims: HashMap<u32, Option<NodeId>, FastHash> = HashMap::default();
        let mut size_hint = 64usize;
        for (id, depth) in tree.walk() {
            let node = tree.node(id);
            size_hint = size_hint.saturating_add((depth + 1) * (node.props.len() + 3) + node.name.len() + 8);
            for p in &node.props {
                size_hint = size_hint.saturating_add(p.name.len() + 3 * p.value.len() + 8);
            }
            let overlay_meta = match node.parent {
                Some(p) if p == tree.root => {
                    matches!(node.name.as_str(), "__symbols__" | "__fixups__" | "__local_fixups__")
                }
                Some(p) => info[p.0].overlay_meta,
                None => false,
            };
            let inf = &mut info[id.0];
            inf.overlay_meta = overlay_meta;
            let mut ph = None;
            let mut lph = None;
            for p in &node.props {
                match p.name.as_str() {
                    "#address-cells" => inf.address_cells = value::as_u32(&p.value),
                    "#size-cells" => inf.size_cells = value::as_u32(&p.value),
                    "#interrupt-cells" => inf.interrupt_cells = value::as_u32(&p.value),
                    "interrupt-parent" => inf.interrupt_parent = Some(value::as_u32(&p.value)),
                    "phandle" => ph = value::as_u32(&p.value),
                    "linux,phandle" => lph = value::as_u32(&p.value),
                    "gpio-hog" => inf.gpio_hog = true,
                    _ => {}
                }
            }
            let consistent = match (ph, lph) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            for v in [ph, lph].into_iter().flatten() {
                if v == 0 || v == u32::MAX {
                    continue;
                }
                let claim = if consistent { Some(id) } else { None };
                claims
                    .entry(v)
                    .and_modify(|c| {
                        if *c != claim {
                            *c = None;
                        }
                    })
                    .or_insert(claim);
            }
        }
        let phandles = claims.into_iter().filter_map(|(v, c)| c.map(|id| (v, id))).collect();

        let mut found = tree.labels();
        found.remove(&tree.root);
        let mut labels = vec![Vec::new(); tree.nodes.len()];
        if !found.is_empty() {
            let mut seen = HashSet::new();
            // Deterministic de-duplication: visit nodes in document order.
            for (id, _) in tree.walk() {
                if let Some(mut ls) = found.remove(&id) {
                    ls.retain(|l| layout::is_valid_label(l) && seen.insert(l.clone()));
                    labels[id.0] = ls;
                }
            }
        }

        Printer {
            tree,
            info,
            phandles,
            labels,
            ref_text: vec![None; tree.nodes.len()],
            classes: HashMap::default(),
            size_hint,
            irq_memo: vec![Memo::Unknown; tree.nodes.len()],
            cells: Vec::new(),
            items: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// The whole file: header, reservations, the tree from the root.
    fn write_file(&mut self, out: &mut Vec<u8>, sink: Option<&mut dyn io::Write>) -> io::Result<()> {
        let tree = self.tree;
        out.extend_from_slice(b"/dts-v1/;\n");
        if !tree.reservations.is_empty() {
            out.push(b'\n');
        }
        for r in &tree.reservations {
            out.extend_from_slice(b"/memreserve/ ");
            push_hex(out, r.address);
            out.push(b' ');
            push_hex(out, r.size);
            out.extend_from_slice(b";\n");
        }
        out.push(b'\n');
        self.write_subtree(out, tree.root, sink)
    }

    /// Writes `start` and its subtree, `start` at indentation 0. Iterative. With a `sink`,
    /// `out` is emptied into it whenever it holds [`CHUNK`] bytes, and at the end.
    fn write_subtree(
        &mut self,
        out: &mut Vec<u8>,
        start: NodeId,
        mut sink: Option<&mut dyn io::Write>,
    ) -> io::Result<()> {
        enum Step {
            Open(NodeId, usize),
            Close(usize),
        }
        let tree = self.tree;
        let mut stack = vec![Step::Open(start, 0)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Open(id, depth) => {
                    let Some(node) = tree.nodes.get(id.0) else { continue };
                    if depth > 0 {
                        out.push(b'\n');
                    }
                    let is_root = node.parent.is_none();
                    if !is_root && !layout::is_expressible_name(&node.name) {
                        indent(out, depth);
                        out.extend_from_slice(b"/* dtlens: this node name has characters DTS cannot express */\n");
                    }
                    indent(out, depth);
                    for l in &self.labels[id.0] {
                        out.extend_from_slice(l.as_bytes());
                        out.extend_from_slice(b": ");
                    }
                    out.extend_from_slice(if is_root { b"/" } else { node.name.as_bytes() });
                    out.extend_from_slice(b" {\n");
                    for prop in &node.props {
                        self.write_prop(out, id, prop, depth + 1);
                    }
                    stack.push(Step::Close(depth));
                    for &c in node.children.iter().rev() {
                        stack.push(Step::Open(c, depth + 1));
                    }
                }
                Step::Close(depth) => {
                    indent(out, depth);
                    out.extend_from_slice(b"};\n");
                }
            }
            if let Some(w) = sink.as_deref_mut() {
                if out.len() >= CHUNK {
                    w.write_all(out)?;
                    out.clear();
                }
            }
        }
        if let Some(w) = sink {
            w.write_all(out)?;
            out.clear();
        }
        Ok(())
    }

    fn write_prop(&mut self, out: &mut Vec<u8>, node: NodeId, prop: &'t Property, depth: usize) {
        let class = *self.classes.entry(&prop.name).or_insert_with(|| layout::classify(&prop.name));
        if !class.expressible {
            indent(out, depth);
            out.extend_from_slice(b"/* dtlens: this property name has characters DTS cannot express */\n");
        }
        indent(out, depth);
        out.extend_from_slice(prop.name.as_bytes());
        if prop.value.is_empty() {
            out.extend_from_slice(b";\n");
            return;
        }
        out.extend_from_slice(b" = ");
        // The value goes straight into `out`, groups separated by ", "; a long one is then
        // re-laid out one group per line, aligned under the first.
        let mut starts = std::mem::take(&mut self.starts);
        starts.clear();
        let base = out.len();
        self.format_value(out, &mut starts, node, prop, class);
        let lead = prop.name.len() + 3;
        if starts.len() > 1 && depth * 8 + lead + (out.len() - base) > WRAP_COLUMN {
            let value = out.split_off(base);
            for (i, &s) in starts.iter().enumerate() {
                // Each group but the last is followed by ", ".
                let e = starts.get(i + 1).map_or(base + value.len(), |&n| n - 2);
                if i > 0 {
                    out.extend_from_slice(b",\n");
                    indent(out, depth);
                    out.resize(out.len() + lead, b' ');
                }
                out.extend_from_slice(&value[s - base..e - base]);
            }
        }
        out.extend_from_slice(b";\n");
        self.starts = starts;
    }

    /// Writes the value as groups into `buf`, recording where each group starts.
    fn format_value(
        &mut self,
        buf: &mut Vec<u8>,
        starts: &mut Vec<usize>,
        node: NodeId,
        prop: &Property,
        class: Class,
    ) {
        let name = prop.name.as_str();
        let v = prop.value.as_slice();
        if v.len().is_multiple_of(8) && class.u64 {
            open_group(buf, starts);
            buf.extend_from_slice(b"/bits/ 64 <");
            for (i, c) in v.chunks_exact(8).enumerate() {
                if i > 0 {
                    buf.push(b' ');
                }
                push_hex(buf, u64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
            }
            buf.push(b'>');
            return;
        }
        if class.string && is_known_string_value(v) {
            write_strings(buf, starts, v);
            return;
        }
        let cells_ok = v.len().is_multiple_of(4);
        if !(cells_ok && class.cells) && value::looks_like_strings(v) {
            write_strings(buf, starts, v);
            return;
        }
        if cells_ok {
            let mut cells = std::mem::take(&mut self.cells);
            let mut items = std::mem::take(&mut self.items);
            cells.clear();
            cells.extend(v.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])));
            items.clear();
            if self.decode(node, name, class.phandles, &cells, &mut items) {
                self.write_items(buf, starts, &items);
            } else {
                // Plain cells, one group (what `write_items` would print for them, without
                // an item per cell).
                open_group(buf, starts);
                buf.push(b'<');
                for (i, &c) in cells.iter().enumerate() {
                    if i > 0 {
                        buf.push(b' ');
                    }
                    push_hex32(buf, c);
                }
                buf.push(b'>');
            }
            self.items = items;
            self.cells = cells;
            return;
        }
        open_group(buf, starts);
        buf.push(b'[');
        for (i, &b) in v.iter().enumerate() {
            if i > 0 {
                buf.push(b' ');
            }
            push_byte_hex(buf, b);
        }
        buf.push(b']');
    }

    fn write_items(&mut self, buf: &mut Vec<u8>, starts: &mut Vec<usize>, items: &[Item]) {
        let mut open = false;
        for &it in items {
            if it == Item::End {
                if open {
                    buf.push(b'>');
                    open = false;
                }
                continue;
            }
            if open {
                buf.push(b' ');
            } else {
                open_group(buf, starts);
                buf.push(b'<');
                open = true;
            }
            match it {
                Item::Num(n) => push_hex32(buf, n),
                Item::Ref(ph, target) => match self.reference(target) {
                    Some(r) => buf.extend_from_slice(r.as_bytes()),
                    None => push_hex32(buf, ph),
                },
                Item::End => {}
            }
        }
        if open {
            buf.push(b'>');
        }
    }

    /// `&label` or `&{/path}` for a phandle target, or `None` when neither can be spelled.
    fn reference(&mut self, target: NodeId) -> Option<&str> {
        let tree = self.tree;
        let labels = &self.labels;
        self.ref_text[target.0]
            .get_or_insert_with(|| {
                if let Some(l) = labels[target.0].first() {
                    return Some(format!("&{l}"));
                }
                let path = tree.path(target);
                let ok = path == "/" || path.split('/').skip(1).all(layout::is_expressible_name);
                ok.then(|| format!("&{{{path}}}"))
            })
            .as_deref()
    }

    /// Structured decode of a cell value by the property's known layout. `false` (and
    /// `items` left partly filled) when the name has no layout or the value does not fit it.
    fn decode(
        &mut self,
        node: NodeId,
        name: &str,
        phandles: Option<PhandleLayout>,
        cells: &[u32],
        items: &mut Vec<Item>,
    ) -> bool {
        let parent = self.tree.node(node).parent;
        if self.info[node.0].overlay_meta {
            return false;
        }
        match name {
            "reg" => {
                let Some(p) = parent else { return false };
                let pi = self.info[p.0];
                push_groups(items, cells, u64::from(pi.address()) + u64::from(pi.size()))
            }
            "ranges" | "dma-ranges" => {
                let Some(p) = parent else { return false };
                let own = self.info[node.0];
                let per = u64::from(own.address()) + u64::from(self.info[p.0].address()) + u64::from(own.size());
                push_groups(items, cells, per)
            }
            "interrupts" => {
                let Some(ctrl) = self.interrupt_parent(node) else { return false };
                let Some(n) = self.info[ctrl.0].interrupt_cells else { return false };
                push_groups(items, cells, u64::from(n))
            }
            "interrupt-map" => self.decode_interrupt_map(node, cells, items),
            "gpios" if self.info[node.0].gpio_hog => {
                // A hog's specifiers are relative to its parent, the GPIO controller.
                let Some(p) = parent else { return false };
                let gc = self.tree.node(p).prop("#gpio-cells").and_then(|p| value::as_u32(&p.value));
                let Some(n) = gc else { return false };
                push_groups(items, cells, u64::from(n))
            }
            _ => match phandles {
                Some(l) => self.decode_phandles(l, cells, items),
                None => false,
            },
        }
    }

    fn decode_phandles(&self, layout: PhandleLayout, cells: &[u32], items: &mut Vec<Item>) -> bool {
        if let PhandleLayout::Tuple { per, at } = layout {
            let (per, at) = (per as usize, at as usize);
            if per == 0 || at >= per || !cells.len().is_multiple_of(per) {
                return false;
            }
            for entry in cells.chunks_exact(per) {
                for (k, &c) in entry.iter().enumerate() {
                    if k == at {
                        let Some(&t) = self.phandles.get(&c) else { return false };
                        items.push(Item::Ref(c, t));
                    } else {
                        items.push(Item::Num(c));
                    }
                }
                items.push(Item::End);
            }
            return true;
        }
        let mut i = 0;
        while i < cells.len() {
            let ph = cells[i];
            if layout == PhandleLayout::Bare {
                let Some(&t) = self.phandles.get(&ph) else { return false };
                items.push(Item::Ref(ph, t));
                i += 1;
                continue;
            }
            if ph == 0 {
                if let PhandleLayout::Fixed(_) = layout {
                    return false;
                }
                // An empty entry, as the kernel's phandle-list parser allows.
                items.push(Item::Num(0));
                items.push(Item::End);
                i += 1;
                continue;
            }
            let Some(&t) = self.phandles.get(&ph) else { return false };
            let n = match layout {
                PhandleLayout::Fixed(n) => n,
                PhandleLayout::Args { cells_prop, default } => {
                    match self.tree.node(t).prop(cells_prop).map(|p| value::as_u32(&p.value)) {
                        Some(Some(n)) => n,
                        Some(None) => return false,
                        None => match default {
                            Some(d) => d,
                            None => return false,
                        },
                    }
                }
                PhandleLayout::Bare | PhandleLayout::Tuple { .. } => 0,
            } as usize;
            let Some(args) = cells.get(i + 1..).and_then(|rest| rest.get(..n)) else { return false };
            items.push(Item::Ref(ph, t));
            items.extend(args.iter().map(|&c| Item::Num(c)));
            items.push(Item::End);
            i += 1 + n;
        }
        if layout == PhandleLayout::Bare {
            items.push(Item::End);
        }
        true
    }

    /// `interrupt-map`: child unit address (this node's `#address-cells`), child specifier
    /// (this node's `#interrupt-cells`), parent phandle, parent unit address (the parent's
    /// `#address-cells`, 0 when absent), parent specifier (the parent's `#interrupt-cells`).
    fn decode_interrupt_map(&self, node: NodeId, cells: &[u32], items: &mut Vec<Item>) -> bool {
        let own = self.info[node.0];
        let Some(child_irq) = own.interrupt_cells else { return false };
        let child = own.address() as usize + child_irq as usize;
        let mut i = 0;
        while i < cells.len() {
            let Some(spec) = cells.get(i..i.saturating_add(child)) else { return false };
            let Some(&ph) = cells.get(i + child) else { return false };
            let Some(&t) = self.phandles.get(&ph) else { return false };
            let ti = self.info[t.0];
            let Some(parent_irq) = ti.interrupt_cells else { return false };
            let parent = ti.address_cells.unwrap_or(0) as usize + parent_irq as usize;
            let start = i + child + 1;
            let Some(pspec) = cells.get(start..start.saturating_add(parent)) else { return false };
            items.extend(spec.iter().map(|&c| Item::Num(c)));
            items.push(Item::Ref(ph, t));
            items.extend(pspec.iter().map(|&c| Item::Num(c)));
            items.push(Item::End);
            i = start + parent;
        }
        true
    }

    /// The node whose `#interrupt-cells` governs `node`'s `interrupts`, found the way the
    /// kernel does: follow `interrupt-parent` (or else the tree parent) until a node with
    /// `#interrupt-cells`.
    fn interrupt_parent(&mut self, node: NodeId) -> Option<NodeId> {
        let first = self.step(node)?;
        self.controller_from(first)
    }

    fn step(&self, id: NodeId) -> Option<NodeId> {
        match self.info[id.0].interrupt_parent {
            Some(ph) => ph.and_then(|ph| self.phandles.get(&ph).copied()),
            None => self.tree.node(id).parent,
        }
    }

    /// First node with `#interrupt-cells` on the `step` chain from `start` (inclusive).
    /// Memoized; a cycle of `interrupt-parent`s yields `None`.
    fn controller_from(&mut self, start: NodeId) -> Option<NodeId> {
        let mut chain = Vec::new();
        let mut cur = start;
        let result = loop {
            match self.irq_memo[cur.0] {
                Memo::Done(r) => break r,
                Memo::Busy => break None,
                Memo::Unknown => {}
            }
            if self.info[cur.0].interrupt_cells.is_some() {
                break Some(cur);
            }
            self.irq_memo[cur.0] = Memo::Busy;
            chain.push(cur);
            match self.step(cur) {
                Some(next) => cur = next,
                None => break None,
            }
        };
        for c in chain {
            self.irq_memo[c.0] = Memo::Done(result);
        }
        result
    }
}

/// Groups of `per` cells, one `<...>` each; `false` if the count does not divide.
fn push_groups(items: &mut Vec<Item>, cells: &[u32], per: u64) -> bool {
    let Ok(per) = usize::try_from(per) else { return false };
    if per == 0 || per > cells.len() || !cells.len().is_multiple_of(per) {
        return false;
    }
    for g in cells.chunks_exact(per) {
        items.extend(g.iter().map(|&c| Item::Num(c)));
        items.push(Item::End);
    }
    true
}

/// Starts a new `<...>`/`"..."`/`[...]` group: a separator after the previous one, and
/// its start offset recorded (for wrapping).
fn open_group(buf: &mut Vec<u8>, starts: &mut Vec<usize>) {
    if !starts.is_empty() {
        buf.extend_from_slice(b", ");
    }
    starts.push(buf.len());
}

/// Whether the value of a known string property reads as text: a NUL-terminated list of
/// UTF-8 entries, no control characters but tab, newline and carriage return, and not
/// mostly empty entries (which would be cells that happen to end in 0).
fn is_known_string_value(v: &[u8]) -> bool {
    let Some(body) = v.strip_suffix(&[0]) else { return false };
    let (mut n, mut empty) = (0usize, 0usize);
    for e in body.split(|&b| b == 0) {
        n += 1;
        if e.is_empty() {
            empty += 1;
            continue;
        }
        let Ok(s) = std::str::from_utf8(e) else { return false };
        if s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            return false;
        }
    }
    !(n > 1 && empty * 2 > n)
}

/// A NUL-terminated value as `"a", "b"`, one group per entry.
fn write_strings(buf: &mut Vec<u8>, starts: &mut Vec<usize>, v: &[u8]) {
    let body = v.strip_suffix(&[0]).unwrap_or(v);
    for e in body.split(|&b| b == 0) {
        open_group(buf, starts);
        buf.push(b'"');
        escape_bytes(buf, e);
        buf.push(b'"');
    }
}

/// Like [`escape_into`] for raw bytes: bytes that are not UTF-8 become `\xNN`.
pub fn escape_bytes_into(buf: &mut String, bytes: &[u8]) {
    let mut v = Vec::new();
    escape_bytes(&mut v, bytes);
    buf.push_str(&into_string(v));
}

/// Writes `s` as the inside of a DTS string literal that dtc reads back to the same bytes:
/// `\"`, `\\`, `\t`, `\n`, `\r`, other control characters as `\xNN` (always two digits, so
/// a following hex digit is not swallowed), everything else, including non-ASCII text, as is.
pub fn escape_into(buf: &mut String, s: &str) {
    let mut v = Vec::new();
    escape_str(&mut v, s);
    buf.push_str(&into_string(v));
}

/// Printable ASCII other than `"` and `\\`: copied into a string literal as it is.
fn is_plain(b: u8) -> bool {
    (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'
}

/// [`escape_bytes_into`] on the printer's byte buffer.
fn escape_bytes(buf: &mut Vec<u8>, bytes: &[u8]) {
    // The common case in one pass: nothing to escape (and so ASCII, so UTF-8).
    if bytes.iter().all(|&b| is_plain(b)) {
        buf.extend_from_slice(bytes);
        return;
    }
    for chunk in bytes.utf8_chunks() {
        escape_str(buf, chunk.valid());
        for &b in chunk.invalid() {
            buf.extend_from_slice(b"\\x");
            push_byte_hex(buf, b);
        }
    }
}

/// [`escape_into`] on the printer's byte buffer.
fn escape_str(buf: &mut Vec<u8>, s: &str) {
    if s.bytes().all(is_plain) {
        buf.extend_from_slice(s.as_bytes());
        return;
    }
    for c in s.chars() {
        match c {
            '"' => buf.extend_from_slice(b"\\\""),
            '\\' => buf.extend_from_slice(b"\\\\"),
            '\t' => buf.extend_from_slice(b"\\t"),
            '\n' => buf.extend_from_slice(b"\\n"),
            '\r' => buf.extend_from_slice(b"\\r"),
            c if c.is_control() => {
                let mut b = [0u8; 4];
                for &byte in c.encode_utf8(&mut b).as_bytes() {
                    buf.extend_from_slice(b"\\x");
                    push_byte_hex(buf, byte);
                }
            }
            c => {
                let mut b = [0u8; 4];
                buf.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
            }
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// `0x` and the lowercase hex digits of `n`, no leading zeros (`0x0` for zero).
fn push_hex(buf: &mut Vec<u8>, n: u64) {
    // All 16 digits (a loop of fixed length, unrolled), then `0x` just before the first
    // significant one.
    let mut tmp = [0u8; 18];
    for (i, slot) in tmp[2..].iter_mut().enumerate() {
        *slot = HEX[((n >> (60 - 4 * i)) & 0xf) as usize];
    }
    let start = 16 - (67 - (n | 1).leading_zeros() as usize) / 4;
    tmp[start] = b'0';
    tmp[start + 1] = b'x';
    buf.extend_from_slice(&tmp[start..]);
}

/// [`push_hex`] for one cell.
fn push_hex32(buf: &mut Vec<u8>, n: u32) {
    let mut tmp = [0u8; 10];
    for (i, slot) in tmp[2..].iter_mut().enumerate() {
        *slot = HEX[((n >> (28 - 4 * i)) & 0xf) as usize];
    }
    let start = 8 - (35 - (n | 1).leading_zeros() as usize) / 4;
    tmp[start] = b'0';
    tmp[start + 1] = b'x';
    buf.extend_from_slice(&tmp[start..]);
}

/// Two lowercase hex digits.
fn push_byte_hex(buf: &mut Vec<u8>, b: u8) {
    buf.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
}

/// Phandle value → node, hashed with a multiplicative hash (keys are plain u32s).
type PhandleMap = HashMap<u32, NodeId, FastHash>;

fn indent(out: &mut Vec<u8>, depth: usize) {
    const TABS: &[u8; 32] = b"\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    let mut left = depth;
    while left > 0 {
        let n = left.min(TABS.len());
        out.extend_from_slice(&TABS[..n]);
        left -= n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(cells: &[u32]) -> Vec<u8> {
        cells.iter().flat_map(|c| c.to_be_bytes()).collect()
    }

    fn set(t: &mut Tree, id: NodeId, name: &str, value: impl Into<Vec<u8>>) {
        t.node_mut(id).props.push(Property::new(name, value));
    }

    /// The printed line of property `name` (trimmed), from `print_node` of `id`.
    fn line(t: &Tree, id: NodeId, name: &str) -> String {
        let out = print_node(t, id);
        let prefix_eq = format!("{name} = ");
        let prefix_empty = format!("{name};");
        let mut lines = out.lines();
        while let Some(l) = lines.next() {
            let l = l.trim_start();
            if l.starts_with(&prefix_eq) || l == prefix_empty {
                let mut s = l.to_string();
                // Continuation lines of a wrapped value.
                while !s.ends_with(';') {
                    s.push('\n');
                    s.push_str(lines.next().unwrap());
                }
                return s;
            }
        }
        panic!("no property {name} in:\n{out}");
    }

    /// Root with 2/2 cells, a GIC (phandle 1, 3 interrupt cells, label `gic`), a clock
    /// controller without label (phandle 2, 1 clock cell) and a device node.
    fn board() -> (Tree, NodeId, NodeId, NodeId) {
        let mut t = Tree::new();
        let r = t.root;
        set(&mut t, r, "#address-cells", be(&[2]));
        set(&mut t, r, "#size-cells", be(&[2]));
        set(&mut t, r, "interrupt-parent", be(&[1]));
        let gic = t.add_child(r, "interrupt-controller@8000000");
        set(&mut t, gic, "#interrupt-cells", be(&[3]));
        set(&mut t, gic, "#address-cells", be(&[0]));
        set(&mut t, gic, "interrupt-controller", Vec::new());
        set(&mut t, gic, "phandle", be(&[1]));
        let clk = t.add_child(r, "clock-controller");
        set(&mut t, clk, "#clock-cells", be(&[1]));
        set(&mut t, clk, "phandle", be(&[2]));
        let dev = t.add_child(r, "dev@b0000000");
        let sym = t.add_child(r, "__symbols__");
        set(&mut t, sym, "gic", b"/interrupt-controller@8000000\0".to_vec());
        (t, gic, clk, dev)
    }

    #[test]
    fn file_layout() {
        let mut t = Tree::new();
        t.reservations.push(crate::Reservation { address: 0x8000_0000, size: 0x10_0000 });
        let r = t.root;
        set(&mut t, r, "model", b"m\0".to_vec());
        let a = t.add_child(r, "a");
        set(&mut t, a, "flag", Vec::new());
        t.add_child(a, "b@1");
        assert_eq!(
            print(&t),
            "/dts-v1/;\n\n/memreserve/ 0x80000000 0x100000;\n\n/ {\n\tmodel = \"m\";\n\n\ta {\n\t\tflag;\n\n\t\tb@1 {\n\t\t};\n\t};\n};\n"
        );
        assert_eq!(print(&Tree::new()), "/dts-v1/;\n\n/ {\n};\n");
    }

    #[test]
    fn reg_grouped_by_parent_cells() {
        let (mut t, _, _, dev) = board();
        set(&mut t, dev, "reg", be(&[0, 0xb000_0000, 0, 0x20000, 0, 0xb100_0000, 0, 0x1000]));
        assert_eq!(line(&t, dev, "reg"), "reg = <0x0 0xb0000000 0x0 0x20000>, <0x0 0xb1000000 0x0 0x1000>;");
        // 5 cells do not fit 2+2: plain cells.
        let d2 = t.add_child(t.root, "odd@0");
        set(&mut t, d2, "reg", be(&[0, 1, 2, 3, 4]));
        assert_eq!(line(&t, d2, "reg"), "reg = <0x0 0x1 0x2 0x3 0x4>;");
        // #size-cells = 0 (cpus).
        let cpus = t.add_child(t.root, "cpus");
        set(&mut t, cpus, "#address-cells", be(&[1]));
        set(&mut t, cpus, "#size-cells", be(&[0]));
        let cpu = t.add_child(cpus, "cpu@100");
        set(&mut t, cpu, "reg", be(&[0x100, 0x101]));
        assert_eq!(line(&t, cpu, "reg"), "reg = <0x100>, <0x101>;");
    }

    #[test]
    fn ranges_grouped_by_child_parent_and_size_cells() {
        let (mut t, _, _, _) = board();
        let bus = t.add_child(t.root, "bus@0");
        set(&mut t, bus, "#address-cells", be(&[1]));
        set(&mut t, bus, "#size-cells", be(&[1]));
        set(&mut t, bus, "ranges", be(&[0, 0, 0x1000_0000, 0x100, 0x1000, 0, 0x2000_0000, 0x10]));
        set(&mut t, bus, "dma-ranges", be(&[0, 0, 0, 0x8000_0000]));
        assert_eq!(line(&t, bus, "ranges"), "ranges = <0x0 0x0 0x10000000 0x100>, <0x1000 0x0 0x20000000 0x10>;");
        assert_eq!(line(&t, bus, "dma-ranges"), "dma-ranges = <0x0 0x0 0x0 0x80000000>;");
        // 1:1 (empty) ranges.
        set(&mut t, bus, "empty-ranges-owner", Vec::new());
        let sub = t.add_child(bus, "sub");
        set(&mut t, sub, "ranges", Vec::new());
        assert_eq!(line(&t, sub, "ranges"), "ranges;");
    }

    #[test]
    fn interrupts_grouped_by_interrupt_parent() {
        let (mut t, _, _, dev) = board();
        set(&mut t, dev, "interrupts", be(&[0, 0x10, 4, 1, 0xd, 0xf08]));
        assert_eq!(line(&t, dev, "interrupts"), "interrupts = <0x0 0x10 0x4>, <0x1 0xd 0xf08>;");
        // A nested controller with 1 cell, found through the parent chain (no
        // interrupt-parent of its own on the child).
        let intc = t.add_child(t.root, "intc@1");
        set(&mut t, intc, "#interrupt-cells", be(&[1]));
        set(&mut t, intc, "interrupt-controller", Vec::new());
        let child = t.add_child(intc, "child");
        set(&mut t, child, "interrupts", be(&[5, 6]));
        assert_eq!(line(&t, child, "interrupts"), "interrupts = <0x5>, <0x6>;");
        // An explicit interrupt-parent that has no phandle target: plain cells.
        let lost = t.add_child(t.root, "lost");
        set(&mut t, lost, "interrupt-parent", be(&[0x99]));
        set(&mut t, lost, "interrupts", be(&[1, 2, 3, 4, 5, 6]));
        assert_eq!(line(&t, lost, "interrupts"), "interrupts = <0x1 0x2 0x3 0x4 0x5 0x6>;");
        assert_eq!(line(&t, lost, "interrupt-parent"), "interrupt-parent = <0x99>;");
        // A count that does not divide: plain cells.
        set(&mut t, dev, "interrupts-bad", Vec::new());
        let d2 = t.add_child(t.root, "d2");
        set(&mut t, d2, "interrupts", be(&[1, 2]));
        assert_eq!(line(&t, d2, "interrupts"), "interrupts = <0x1 0x2>;");
    }

    #[test]
    fn interrupt_parent_cycle_is_harmless() {
        let mut t = Tree::new();
        let a = t.add_child(t.root, "a");
        let b = t.add_child(t.root, "b");
        set(&mut t, a, "phandle", be(&[1]));
        set(&mut t, a, "interrupt-parent", be(&[2]));
        set(&mut t, b, "phandle", be(&[2]));
        set(&mut t, b, "interrupt-parent", be(&[1]));
        set(&mut t, a, "interrupts", be(&[1, 2]));
        assert_eq!(line(&t, a, "interrupts"), "interrupts = <0x1 0x2>;");
        assert_eq!(line(&t, a, "interrupt-parent"), "interrupt-parent = <&{/b}>;");
    }

    #[test]
    fn references_by_label_or_path() {
        let (mut t, gic, _, dev) = board();
        set(&mut t, dev, "clocks", be(&[2, 5, 2, 6]));
        set(&mut t, dev, "interrupts-extended", be(&[1, 0, 3, 4, 2, 9]));
        set(&mut t, dev, "pinctrl-0", be(&[1, 2]));
        set(&mut t, dev, "vdd-supply", be(&[2]));
        assert_eq!(line(&t, t.root, "interrupt-parent"), "interrupt-parent = <&gic>;");
        assert_eq!(line(&t, dev, "clocks"), "clocks = <&{/clock-controller} 0x5>, <&{/clock-controller} 0x6>;");
        // interrupts-extended: the clock controller has no #interrupt-cells, so the
        // second entry cannot be decoded and the whole value falls back to cells.
        assert_eq!(line(&t, dev, "interrupts-extended"), "interrupts-extended = <0x1 0x0 0x3 0x4 0x2 0x9>;");
        assert_eq!(line(&t, dev, "pinctrl-0"), "pinctrl-0 = <&gic &{/clock-controller}>;");
        assert_eq!(line(&t, dev, "vdd-supply"), "vdd-supply = <&{/clock-controller}>;");
        // Labels on the definition.
        assert!(print_node(&t, gic).starts_with("gic: interrupt-controller@8000000 {\n"));
    }

    #[test]
    fn interrupts_extended_and_holes() {
        let (mut t, _, _, dev) = board();
        set(&mut t, dev, "interrupts-extended", be(&[1, 0, 3, 4, 1, 1, 9, 4]));
        assert_eq!(
            line(&t, dev, "interrupts-extended"),
            "interrupts-extended = <&gic 0x0 0x3 0x4>, <&gic 0x1 0x9 0x4>;"
        );
        let gpio = t.add_child(t.root, "gpio");
        set(&mut t, gpio, "#gpio-cells", be(&[2]));
        set(&mut t, gpio, "gpio-controller", Vec::new());
        set(&mut t, gpio, "phandle", be(&[3]));
        set(&mut t, dev, "cs-gpios", be(&[3, 1, 0, 0, 3, 2, 1]));
        assert_eq!(line(&t, dev, "cs-gpios"), "cs-gpios = <&{/gpio} 0x1 0x0>, <0x0>, <&{/gpio} 0x2 0x1>;");
        // Truncated last entry: plain cells, no references.
        set(&mut t, dev, "reset-gpios", be(&[3, 1]));
        assert_eq!(line(&t, dev, "reset-gpios"), "reset-gpios = <0x3 0x1>;");
        // A GPIO hog's `gpios` has no phandle; grouped by the controller's #gpio-cells.
        let hog = t.add_child(gpio, "hog");
        set(&mut t, hog, "gpio-hog", Vec::new());
        set(&mut t, hog, "gpios", be(&[0, 0, 3, 1]));
        assert_eq!(line(&t, hog, "gpios"), "gpios = <0x0 0x0>, <0x3 0x1>;");
    }

    #[test]
    fn tuples_with_a_phandle_inside() {
        let (mut t, _, _, dev) = board();
        set(&mut t, dev, "rockchip,pins", be(&[0, 5, 2, 1, 1, 7, 0, 2]));
        assert_eq!(
            line(&t, dev, "rockchip,pins"),
            "rockchip,pins = <0x0 0x5 0x2 &gic>, <0x1 0x7 0x0 &{/clock-controller}>;"
        );
        // Not a phandle where one must be: plain cells.
        let d2 = t.add_child(t.root, "d2");
        set(&mut t, d2, "rockchip,pins", be(&[0, 5, 2, 0x77]));
        assert_eq!(line(&t, d2, "rockchip,pins"), "rockchip,pins = <0x0 0x5 0x2 0x77>;");
        set(&mut t, d2, "trip", be(&[1]));
        assert_eq!(line(&t, d2, "trip"), "trip = <&gic>;");
    }

    #[test]
    fn interrupt_map_decoded_per_entry() {
        let (mut t, _, _, _) = board();
        let pci = t.add_child(t.root, "pcie@10000000");
        set(&mut t, pci, "#address-cells", be(&[3]));
        set(&mut t, pci, "#size-cells", be(&[2]));
        set(&mut t, pci, "#interrupt-cells", be(&[1]));
        set(&mut t, pci, "interrupt-map-mask", be(&[0x1800, 0, 0, 7]));
        let map = [0, 0, 0, 1, 1, 0, 3, 4, 0x800, 0, 0, 1, 1, 0, 4, 4];
        set(&mut t, pci, "interrupt-map", be(&map));
        assert_eq!(
            line(&t, pci, "interrupt-map"),
            "interrupt-map = <0x0 0x0 0x0 0x1 &gic 0x0 0x3 0x4>, <0x800 0x0 0x0 0x1 &gic 0x0 0x4 0x4>;"
        );
        set(&mut t, pci, "interrupt-map-mask", Vec::new());
        // One cell short: plain.
        let pci2 = t.add_child(t.root, "pcie@2");
        set(&mut t, pci2, "#address-cells", be(&[3]));
        set(&mut t, pci2, "#interrupt-cells", be(&[1]));
        set(&mut t, pci2, "interrupt-map", be(&map[..15]));
        assert!(line(&t, pci2, "interrupt-map").starts_with("interrupt-map = <0x0 0x0 0x0 0x1 0x1 0x0"));
    }

    #[test]
    fn long_grouped_values_wrap_one_group_per_line() {
        let (mut t, _, _, dev) = board();
        let cells: Vec<u32> = (0..24).map(|i| i * 0x1000).collect();
        set(&mut t, dev, "reg", be(&cells));
        let l = line(&t, dev, "reg");
        let rows: Vec<&str> = l.lines().collect();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0], "reg = <0x0 0x1000 0x2000 0x3000>,");
        assert_eq!(rows[1], "\t      <0x4000 0x5000 0x6000 0x7000>,");
        assert_eq!(rows[5], "\t      <0x14000 0x15000 0x16000 0x17000>;");
    }

    #[test]
    fn only_explicit_unique_phandles_become_references() {
        let mut t = Tree::new();
        let r = t.root;
        let a = t.add_child(r, "a");
        set(&mut t, a, "phandle", be(&[5]));
        set(&mut t, a, "linux,phandle", be(&[6])); // inconsistent: dtc rejects, no refs
        let b = t.add_child(r, "b");
        set(&mut t, b, "phandle", be(&[7]));
        let c = t.add_child(r, "c");
        set(&mut t, c, "phandle", be(&[7])); // duplicate value: no refs
        let d = t.add_child(r, "d");
        set(&mut t, d, "linux,phandle", be(&[8])); // legacy only: fine
        let u = t.add_child(r, "user");
        set(&mut t, u, "interrupt-parent", be(&[5]));
        set(&mut t, u, "pinctrl-0", be(&[7]));
        set(&mut t, u, "pinctrl-1", be(&[8]));
        // A phandle value in a property with no known layout stays a number.
        set(&mut t, u, "vendor,thing", be(&[8]));
        // The phandle property itself is a number.
        assert_eq!(line(&t, d, "linux,phandle"), "linux,phandle = <0x8>;");
        assert_eq!(line(&t, u, "interrupt-parent"), "interrupt-parent = <0x5>;");
        assert_eq!(line(&t, u, "pinctrl-0"), "pinctrl-0 = <0x7>;");
        assert_eq!(line(&t, u, "pinctrl-1"), "pinctrl-1 = <&{/d}>;");
        assert_eq!(line(&t, u, "vendor,thing"), "vendor,thing = <0x8>;");
    }

    #[test]
    fn root_references_and_labels() {
        let mut t = Tree::new();
        let r = t.root;
        set(&mut t, r, "phandle", be(&[1]));
        let n = t.add_child(r, "n");
        set(&mut t, n, "interrupt-parent", be(&[1]));
        let sym = t.add_child(r, "__symbols__");
        set(&mut t, sym, "top", b"/\0".to_vec());
        set(&mut t, sym, "bad-label", b"/n\0".to_vec());
        set(&mut t, sym, "good_label", b"/n\0".to_vec());
        let out = print(&t);
        assert!(out.contains("\n/ {\n"), "{out}");
        assert!(!out.contains("top:"), "{out}");
        assert!(out.contains("\tgood_label: n {\n"), "{out}");
        assert!(!out.contains("bad-label:"), "{out}");
        assert_eq!(line(&t, n, "interrupt-parent"), "interrupt-parent = <&{/}>;");
    }

    #[test]
    fn overlay_metadata_is_never_decoded() {
        let (mut t, _, _, _) = board();
        let lf = t.add_child(t.root, "__local_fixups__");
        let x = t.add_child(lf, "dev@b0000000");
        set(&mut t, x, "clocks", be(&[2]));
        set(&mut t, x, "interrupt-parent", be(&[0]));
        assert_eq!(line(&t, x, "clocks"), "clocks = <0x2>;");
        assert_eq!(line(&t, x, "interrupt-parent"), "interrupt-parent = <0x0>;");
    }

    #[test]
    fn strings_and_string_lists() {
        let mut t = Tree::new();
        let r = t.root;
        set(&mut t, r, "compatible", b"xen,xen-4.2\0xen,xen\0".to_vec());
        set(&mut t, r, "model", "Grüße \"board\" C:\\x\0".as_bytes().to_vec());
        set(&mut t, r, "gpio-line-names", b"\0\0A\0\0".to_vec()); // known, mostly empty: not strings
        set(&mut t, r, "reg-names", b"ctl\0\0dbi\0".to_vec());
        set(&mut t, r, "status", b"\0".to_vec());
        set(&mut t, r, "unknown", b"hello\0world\0".to_vec());
        set(&mut t, r, "unknown-empty-entry", b"a\0\0b\0".to_vec());
        set(&mut t, r, "abc", b"abc\0".to_vec()); // dtc's heuristic: a string
        set(&mut t, r, "clock-frequency", b"abc\0".to_vec()); // known cells: not a string
        set(&mut t, r, "digit", b"a\x005V_HUB_EN\0".to_vec());
        assert_eq!(line(&t, r, "compatible"), "compatible = \"xen,xen-4.2\", \"xen,xen\";");
        assert_eq!(line(&t, r, "model"), "model = \"Grüße \\\"board\\\" C:\\\\x\";");
        assert_eq!(line(&t, r, "gpio-line-names"), "gpio-line-names = [00 00 41 00 00];");
        assert_eq!(line(&t, r, "reg-names"), "reg-names = \"ctl\", \"\", \"dbi\";");
        assert_eq!(line(&t, r, "status"), "status = \"\";");
        assert_eq!(line(&t, r, "unknown"), "unknown = \"hello\", \"world\";");
        assert_eq!(line(&t, r, "unknown-empty-entry"), "unknown-empty-entry = [61 00 00 62 00];");
        assert_eq!(line(&t, r, "abc"), "abc = \"abc\";");
        assert_eq!(line(&t, r, "clock-frequency"), "clock-frequency = <0x61626300>;");
        assert_eq!(line(&t, r, "digit"), "digit = \"a\", \"5V_HUB_EN\";");
    }

    #[test]
    fn escapes() {
        let mut s = String::new();
        escape_into(&mut s, "q\"b\\t\tn\nr\r\x07\x0b5\x7f\u{85}ü€");
        assert_eq!(s, "q\\\"b\\\\t\\tn\\nr\\r\\x07\\x0b5\\x7f\\xc2\\x85ü€");
        let mut s = String::new();
        escape_bytes_into(&mut s, b"ok\xff\xc3(\"");
        assert_eq!(s, "ok\\xff\\xc3(\\\"");
        // In a property (unknown name, so dtc's heuristic: \a and \v are printable there).
        let mut t = Tree::new();
        let r = t.root;
        set(&mut t, r, "bell", b"ring\x07\x0b5\0".to_vec());
        assert_eq!(line(&t, t.root, "bell"), "bell = \"ring\\x07\\x0b5\";");
    }

    #[test]
    fn hex_has_no_leading_zeros_at_any_width() {
        for n in [0u64, 1, 0xf, 0x10, 0xff, 0x100, 0xffff_ffff, 0x1_0000_0000, u64::MAX] {
            let mut b = Vec::new();
            push_hex(&mut b, n);
            assert_eq!(String::from_utf8(b).unwrap(), format!("{n:#x}"));
            if let Ok(m) = u32::try_from(n) {
                let mut b = Vec::new();
                push_hex32(&mut b, m);
                assert_eq!(String::from_utf8(b).unwrap(), format!("{m:#x}"));
            }
        }
    }

    #[test]
    fn numbers_bytes_and_u64() {
        let mut t = Tree::new();
        let r = t.root;
        set(&mut t, r, "xen,uefi-system-table", be(&[0, 0x1301415]));
        set(&mut t, r, "linux,initrd-start", be(&[0x4800_0000])); // 4 bytes: cells
        set(&mut t, r, "kaslr-seed", be(&[0xa8db5a6e, 0x892d3a56, 1, 2]));
        set(&mut t, r, "local-mac-address", vec![0x52, 0x54, 0, 0x12, 0x34, 0x56]);
        set(&mut t, r, "cells", be(&[0, 0xdeadbeef]));
        set(&mut t, r, "empty", Vec::new());
        set(&mut t, r, "zero", vec![0]);
        assert_eq!(line(&t, r, "xen,uefi-system-table"), "xen,uefi-system-table = /bits/ 64 <0x1301415>;");
        assert_eq!(line(&t, r, "linux,initrd-start"), "linux,initrd-start = <0x48000000>;");
        assert_eq!(line(&t, r, "kaslr-seed"), "kaslr-seed = /bits/ 64 <0xa8db5a6e892d3a56 0x100000002>;");
        assert_eq!(line(&t, r, "local-mac-address"), "local-mac-address = [52 54 00 12 34 56];");
        assert_eq!(line(&t, r, "cells"), "cells = <0x0 0xdeadbeef>;");
        assert_eq!(line(&t, r, "empty"), "empty;");
        assert_eq!(line(&t, r, "zero"), "zero = [00];");
    }

    #[test]
    fn inexpressible_names_are_flagged() {
        let mut t = Tree::new();
        let n = t.add_child(t.root, "bad name");
        set(&mut t, n, "bad=prop", be(&[1]));
        let out = print(&t);
        assert!(
            out.contains("\t/* dtlens: this node name has characters DTS cannot express */\n\tbad name {\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "\t\t/* dtlens: this property name has characters DTS cannot express */\n\t\tbad=prop = <0x1>;\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn print_node_prints_one_subtree() {
        let (mut t, gic, _, dev) = board();
        let sub = t.add_child(dev, "sub");
        set(&mut t, sub, "interrupt-parent", be(&[1]));
        let out = print_node(&t, dev);
        assert_eq!(out, "dev@b0000000 {\n\n\tsub {\n\t\tinterrupt-parent = <&gic>;\n\t};\n};\n");
        assert!(!print_node(&t, gic).contains("/dts-v1/"));
        assert_eq!(print_node(&t, NodeId(10_000)), "");
    }

    #[test]
    fn deep_tree_does_not_overflow_the_stack() {
        // Indentation makes the output quadratic in depth, so not 100k deep here.
        let mut t = Tree::new();
        let mut cur = t.root;
        for _ in 0..10_000 {
            cur = t.add_child(cur, "n");
        }
        set(&mut t, cur, "interrupts", be(&[1]));
        let out = print(&t);
        assert_eq!(out.matches(" {\n").count(), 10_001);
        assert_eq!(out.matches("};\n").count(), 10_001);
        assert!(out.contains(&format!("\n{}interrupts = <0x1>;\n", "\t".repeat(10_001))));
    }

    #[test]
    fn output_is_deterministic() {
        let (mut t, _, _, dev) = board();
        set(&mut t, dev, "clocks", be(&[2, 5]));
        let first = print(&t);
        for _ in 0..5 {
            assert_eq!(print(&t), first);
        }
    }
}
