//! Catalog §F: generic DT structure around the hypervisor node (`dt-*`). Scope any.
//!
//! These rules follow the DT specification where dtc's checks (catalog §G, `dtc-*`) are
//! narrower or absent. Trees that are not complete machine descriptions are recognised and
//! spared the whole-tree requirements (`/memory`, `/cpus`, root properties): device-tree
//! overlays (`__overlay__` fragments, `__fixups__`), dom0less partial device trees
//! (`/passthrough`) and Hafnium manifests. In overlays and partial trees, interrupt parents
//! that the base tree or Xen supplies are not reported as missing.

use std::collections::{HashMap, HashSet};

use super::{bytes, q, qlist, sibling_named, unit_of};
use crate::check::context::{base_name, FastHash, HvFamily, IrqParent, TreeScope};
use crate::check::sources::*;
use crate::check::{string_list_bytes, Context, EnabledAt, Fix, Out, Rule, RuleFamily, Scope, Severity};
use crate::tree::NodeId;
use crate::value;

/// This family's rules, in catalog order.
pub static RULES: &[&Rule] = &[
    &NODE_NAME,
    &UNIT_ADDRESS,
    &PROPERTY_NAME,
    &CELLS_EXPLICIT,
    &CELLS_TYPE,
    &REG_FORMAT,
    &RANGES_FORMAT,
    &COMPATIBLE,
    &STATUS,
    &PHANDLES,
    &INTERRUPT_TREE,
    &CHOSEN,
    &ALIASES,
    &MEMORY,
    &RESERVED_MEMORY,
    &CPUS,
    &ROOT_PROPS,
    &BOOLEAN_PROPS,
    &STRINGS,
    &DUPLICATES,
    &FDT_HEADER,
    &HYPERVISOR_GENERIC_NAME,
];

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

fn children<'c>(ctx: &'c Context, id: NodeId) -> &'c [NodeId] {
    ctx.node(id).map_or(&[], |n| n.children.as_slice())
}

fn root_child(ctx: &Context, name: &str) -> Option<NodeId> {
    children(ctx, ctx.root()).iter().copied().find(|&c| ctx.name(c) == name)
}

/// dtc-generated bookkeeping nodes (`__symbols__`, `__fixups__`, `__local_fixups__`,
/// `__overlay__`): names that are not device names.
fn is_special_name(name: &str) -> bool {
    name.len() >= 4 && name.starts_with("__") && name.ends_with("__")
}

/// For every arena index: whether the node is a bookkeeping node other than `__overlay__`, or
/// lies below one (`__local_fixups__` mirrors the tree). One pre-order pass.
fn special_mask(ctx: &Context) -> Vec<bool> {
    let mut mask = vec![false; ctx.tree.nodes.len()];
    for &(id, _) in &ctx.order {
        let name = ctx.name(id);
        let own = is_special_name(name) && name != "__overlay__";
        let inherited = ctx.parent(id).and_then(|p| mask.get(p.0).copied()).unwrap_or(false);
        if let Some(slot) = mask.get_mut(id.0) {
            *slot = own || inherited;
        }
    }
    mask
}

fn masked(mask: &[bool], id: NodeId) -> bool {
    mask.get(id.0).copied().unwrap_or(false)
}

/// A device-tree overlay (`.dtbo`): root has `__fixups__`/`__local_fixups__` or a fragment with
/// an `__overlay__` child.
fn is_overlay(ctx: &Context) -> bool {
    children(ctx, ctx.root()).iter().any(|&c| {
        matches!(ctx.name(c), "__fixups__" | "__local_fixups__")
            || children(ctx, c).iter().any(|&g| ctx.name(g) == "__overlay__")
    })
}

/// Whether the tree describes a whole machine (so `/memory`, `/cpus` and the root
/// properties are expected): not an overlay, not a partial device tree, not a Hafnium manifest.
fn is_complete(ctx: &Context) -> bool {
    !is_overlay(ctx) && ctx.scope != TreeScope::Fragment && !ctx.hv.iter().any(|h| h.family == HvFamily::Hafnium)
}

/// A set of allowed (ASCII) characters, as a lookup table built at compile time.
struct Chars([bool; 128]);

const fn chars(set: &str) -> Chars {
    let b = set.as_bytes();
    let mut t = [false; 128];
    let mut i = 0;
    while i < b.len() {
        if b[i] < 128 {
            t[b[i] as usize] = true;
        }
        i += 1;
    }
    Chars(t)
}

impl Chars {
    fn has(&self, c: char) -> bool {
        (c as u32) < 128 && self.0[c as usize]
    }
}

const NAME_CHARS: Chars = chars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz,._+-");
const PROP_CHARS: Chars = chars("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz,._+?#-");
const COMPAT_CHARS: Chars = chars("0123456789abcdefghijklmnopqrstuvwxyz-,.");
const LOWER_DIGIT_DASH: Chars = chars("0123456789abcdefghijklmnopqrstuvwxyz-");

/// The characters of `s` outside `allowed`, each once, quoted and comma-separated (empty
/// when there are none).
fn bad_chars(s: &str, allowed: &Chars) -> String {
    // The usual case, without allocating: every byte is allowed ASCII.
    if s.bytes().all(|b| b < 128 && allowed.0[usize::from(b)]) {
        return String::new();
    }
    let mut seen = Vec::new();
    for ch in s.chars() {
        if !allowed.has(ch) && !seen.contains(&ch) {
            seen.push(ch);
        }
    }
    seen.iter().map(|c| format!("{:?}", c)).collect::<Vec<_>>().join(", ")
}

/// Whether a value is one printable NUL-terminated string (the empty string included).
fn single_printable_string(v: &[u8]) -> bool {
    match v.split_last() {
        Some((0, body)) => {
            std::str::from_utf8(body).is_ok()
                && body.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------

pub static NODE_NAME: Rule = Rule {
    id: "dt-node-name",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Node names are 1-31 characters of `[0-9A-Za-z,._+-]`, start with a letter, and have at most one `@`",
    explanation: "
DT specification §2.2.1: a node name is `node-name@unit-address`, where the node-name is 1 to
31 characters from `0-9 a-z A-Z , . _ + -` and starts with a letter, and there is at most one
`@`. dtc checks the characters (`node_name_chars`) and the `@` (`node_name_format`) but not the
length or the first character; this rule checks all of it. Names of dtc's bookkeeping nodes
(`__symbols__`, `__fixups__`, `__local_fixups__`, `__overlay__`) are exempt.

Deliberate difference from the catalog's severity: a node-name longer than 31 characters is a
warning, not an error. No consumer (libfdt, Linux, Xen, U-Boot) enforces the limit and upstream
Linux board files break it (e.g. TI's `clock-usb-phy1-always-on-clk32k-8@640`, 33 characters);
bad characters, a missing leading letter and a second `@` stay errors.

Fix: rename the node, e.g. `hypervisor` rather than `Xen Hypervisor` or `1st-uart`.",
    sources: &[S19, S20],
    run: node_name,
};

fn node_name(ctx: &Context, out: &mut Out) {
    for &(id, depth) in &ctx.order {
        if depth == 0 {
            continue;
        }
        let name = ctx.name(id);
        if is_special_name(name) {
            continue;
        }
        let ats = name.matches('@').count();
        if ats > 1 {
            out.error(id, None, format!("node name {} has {ats} '@'; at most one is allowed", q(name)));
        }
        let base = base_name(name);
        let mut problems = Vec::new();
        if base.is_empty() {
            problems.push("the node-name part is empty".to_string());
        } else {
            let len = base.chars().count();
            if len > 31 {
                out.warning(
                    id,
                    None,
                    format!(
                        "node name {}: the node-name part is {len} characters; the DT spec allows at most 31 (no consumer enforces it)",
                        q(name)
                    ),
                );
            }
            let bad = bad_chars(base, &NAME_CHARS);
            if !bad.is_empty() {
                problems.push(format!("it contains {bad}"));
            }
            if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
                problems.push("it does not start with a letter".to_string());
            }
        }
        if !problems.is_empty() {
            out.error(id, None, format!("node name {}: {}", q(name), problems.join("; ")));
        }
    }
}

pub static UNIT_ADDRESS: Rule = Rule {
    id: "dt-unit-address",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A unit address is present iff `reg` or `ranges` is, and equals the first `reg` address",
    explanation: "
DT specification §2.2.1: a node with `reg` (or a non-empty `ranges`) has a unit address, a node
without them has none, and the unit address is the first address of `reg`, written in
lower-case hex without `0x` and without leading zeros. dtc's `unit_address_vs_reg` only checks
presence, and dtc verifies the *value* only for children of simple-bus, PCI, I2C and SPI
buses, so root-level mismatches (e.g. the Jailhouse sample's GIC,
`interrupt-controller@d1d00000` with `reg = <0x0 0x08000000 ...>`) go unreported there.

dtlens compares values when the unit address is plain hex (or comma-separated hex parts, one
per address cell) and the address fits in 64 bits; PCI children (`dev,fn`) are not compared.
Deliberate relaxations, each a common convention of real bindings: a bus node with both `reg`
and a non-empty `ranges` may be named by the parent address of one of its windows (TI's
`target-module@9000` with `reg` at 0x9050 and `ranges = <0x0 0x9000 0x1000>`; QEMU's
`pcie@10000000` whose `reg` is the ECAM); with a 2-cell address whose high cell is not 0, the
unit address may be either cell (SPMI `pmic@1` with `reg = <0x1 0x0>`, Marvell MBus
`spi@10600`). Overlay `fragment@N` nodes are exempt (dtc names them so).

Contested (§5): Xen, libxl and every Linux template write `/hypervisor` without a unit address
although it has `reg`, and Linux only finds it under that exact name. For a Xen-family
`/hypervisor` the missing unit address is therefore only an info.

Fix: rename the node to `name@<first reg address>` (the dtlens fix does that).",
    sources: &[S19, S20, S4, S5],
    run: unit_address,
};

fn parse_hex(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(s, 16).ok()
}

fn is_pci_bus(ctx: &Context, id: NodeId) -> bool {
    ctx.prop_str(id, "device_type") == Some("pci") || ctx.compatible(id).iter().any(|c| c.contains("pci"))
}

fn unit_address(ctx: &Context, out: &mut Out) {
    let special = special_mask(ctx);
    let overlay = is_overlay(ctx);
    // is_pci_bus per parent, asked once per child: 0 not asked yet, 1 no, 2 yes.
    let mut pci_parent = vec![0u8; ctx.tree.nodes.len()];
    for &(id, depth) in &ctx.order {
        if depth == 0 || masked(&special, id) {
            continue;
        }
        // An overlay's `fragment@N` nodes are named by dtc's convention, not by an address.
        if overlay && depth == 1 && children(ctx, id).iter().any(|&c| ctx.name(c) == "__overlay__") {
            continue;
        }
        let name = ctx.name(id);
        let unit = name.split_once('@').map(|(_, u)| u);
        let reg = ctx.prop(id, "reg").filter(|v| !v.is_empty());
        let ranges = ctx.prop(id, "ranges").filter(|v| !v.is_empty());
        let has_addr = reg.is_some() || ranges.is_some();
        match (unit, has_addr) {
            (Some(u), false) => {
                out.warning(id, None, format!("node has unit address {} but no reg or non-empty ranges", q(u)));
            }
            (None, true) => {
                let what = if reg.is_some() { "reg" } else { "ranges" };
                let expected = if reg.is_some() { first_reg_address(ctx, id) } else { None };
                let xen_hv = depth == 1 && name == "hypervisor" && ctx.hv.iter().any(|h| h.node == id && h.is_xen());
                if xen_hv {
                    out.info(
                        id,
                        None,
                        "the Xen /hypervisor node has reg but no unit address: the DT spec wants one, Linux only finds \
                         the node without it (keep it as is)",
                    );
                    continue;
                }
                let msg = match expected {
                    Some(a) => format!("node has {what} (first address 0x{a:x}) but no unit address"),
                    None => format!("node has {what} but no unit address"),
                };
                let f = out.warning(id, Some(what), msg);
                if let Some(a) = expected {
                    let new_name = format!("{name}@{}", unit_of(a));
                    if !sibling_named(ctx, id, &new_name) {
                        f.with_fix(Fix::RenameNode { path: ctx.path(id), new_name });
                    }
                }
            }
            (Some(u), true) => {
                if u.is_empty() {
                    out.warning(id, None, format!("node name {} has an empty unit address", q(name)));
                    continue;
                }
                let Some(r) = reg else { continue };
                let Some(parent) = ctx.parent(id) else { continue };
                let pci = match pci_parent.get(parent.0) {
                    Some(0) | None => {
                        let p = is_pci_bus(ctx, parent);
                        if let Some(slot) = pci_parent.get_mut(parent.0) {
                            *slot = 1 + u8::from(p);
                        }
                        p
                    }
                    Some(&k) => k == 2,
                };
                if pci {
                    continue;
                }
                let (a, s) = ctx.child_cells(parent);
                let Some(first) = first_reg_entry(r, a, s) else { continue };
                let parts = u.split(',').count();
                if parts == 1 {
                    if first.address.len() > 2 || first.address.is_empty() {
                        continue;
                    }
                    let want = value::cells_to_u64(&first.address);
                    let canonical = unit_of(want);
                    // Also accepted: a window of the node's own ranges (bus nodes named by their
                    // window), and either cell of a 2-cell address whose high cell is an ID
                    // (SPMI, MBus, chip selects).
                    let mut accepted = ranges_parent_addresses(ctx, id, parent);
                    if let [hi, lo] = first.address[..] {
                        if hi != 0 {
                            accepted.extend([u64::from(hi), u64::from(lo)]);
                        }
                    }
                    match parse_hex(u.strip_prefix("0x").unwrap_or(u)) {
                        Some(got) if got == want && u == canonical => {}
                        Some(got) if accepted.contains(&got) && u == unit_of(got) => {}
                        Some(got) if got == want => {
                            let f = out.warning(
                                id,
                                None,
                                format!(
                                    "unit address {} is not in canonical form: write {} (lower-case hex, no 0x, no \
                                     leading zeros)",
                                    q(u),
                                    q(&canonical)
                                ),
                            );
                            fix_rename(ctx, f, id, &canonical);
                        }
                        Some(got) => {
                            let f = out.warning(
                                id,
                                Some("reg"),
                                format!(
                                    "unit address {} (0x{got:x}) does not match the first reg address 0x{want:x}",
                                    q(u)
                                ),
                            );
                            fix_rename(ctx, f, id, &canonical);
                        }
                        None => {}
                    }
                } else if parts == first.address.len() {
                    let got: Option<Vec<u64>> = u.split(',').map(parse_hex).collect();
                    let Some(got) = got else { continue };
                    let want: Vec<u64> = first.address.iter().map(|&c| u64::from(c)).collect();
                    if got != want {
                        let canonical = want.iter().map(|&w| unit_of(w)).collect::<Vec<_>>().join(",");
                        let f = out.warning(
                            id,
                            Some("reg"),
                            format!(
                                "unit address {} does not match the first reg address cells {}",
                                q(u),
                                q(&canonical)
                            ),
                        );
                        fix_rename(ctx, f, id, &canonical);
                    }
                }
            }
            (None, false) => {}
        }
    }
}

/// The first entry of `reg` split by `a`/`s` cells: what `value::reg_entries(r, a, s)?.first()`
/// gives, without building every entry (this runs for every node with a unit address).
fn first_reg_entry(r: &[u8], a: u32, s: u32) -> Option<value::RegEntry> {
    let per = (a as usize).checked_add(s as usize)?;
    let n = r.len() / 4;
    if !r.len().is_multiple_of(4) || per == 0 || per > 64 || n == 0 || !n.is_multiple_of(per) {
        return None;
    }
    let cells = |from: usize, to: usize| value::as_cells(&r[from * 4..to * 4]);
    Some(value::RegEntry { address: cells(0, a as usize)?, size: cells(a as usize, per)? })
}

/// The parent-side addresses of the `ranges` entries of `id` (its windows in the parent's
/// address space), those that fit in 64 bits.
fn ranges_parent_addresses(ctx: &Context, id: NodeId, parent: NodeId) -> Vec<u64> {
    let Some(cells) = ctx.prop(id, "ranges").and_then(value::as_cells) else { return Vec::new() };
    let (ca, cs) = ctx.child_cells(id);
    let (pa, _) = ctx.child_cells(parent);
    let (ca, pa, cs) = (ca as usize, pa as usize, cs as usize);
    let per = ca.saturating_add(pa).saturating_add(cs);
    if pa == 0 || pa > 2 || per == 0 || per > 64 {
        return Vec::new();
    }
    cells.chunks_exact(per).filter_map(|e| e.get(ca..ca + pa).map(value::cells_to_u64)).collect()
}

fn first_reg_address(ctx: &Context, id: NodeId) -> Option<u64> {
    let parent = ctx.parent(id)?;
    let (a, s) = ctx.child_cells(parent);
    if a == 0 || a > 2 {
        return None;
    }
    let entries = value::reg_entries(ctx.prop(id, "reg")?, a, s)?;
    Some(value::cells_to_u64(&entries.first()?.address))
}

fn fix_rename(ctx: &Context, f: &mut crate::check::Finding, id: NodeId, unit: &str) {
    let new_name = format!("{}@{unit}", base_name(ctx.name(id)));
    if !sibling_named(ctx, id, &new_name) {
        f.with_fix(Fix::RenameNode { path: ctx.path(id), new_name });
    }
}

pub static PROPERTY_NAME: Rule = Rule {
    id: "dt-property-name",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "Property names are 1-31 characters of `[0-9A-Za-z,._+?#-]`",
    explanation: "
DT specification §2.2.4.1: property names are 1 to 31 characters from `0-9 a-z A-Z , . _ + ? #
-`. dtc checks the characters (`property_name_chars`) but not the length. The label entries of
`__symbols__` and `__fixups__` and the mirror tree of `__local_fixups__` are exempt (they are
labels and dtc bookkeeping, not properties). A property whose name could not be read from the
blob appears as `<bad-name@0x...>` and is reported here too.

Deliberate difference from the catalog's severity: a name longer than 31 characters is a
warning, not an error. No consumer enforces the limit, and standard Linux bindings define longer
names (`regulator-over-current-protection`, 33; `simple-audio-card,bitclock-master`, 33), so
every board using them would otherwise carry errors. Bad characters stay errors.

Fix: rename the property.",
    sources: &[S19, S20],
    run: property_name,
};

fn property_name(ctx: &Context, out: &mut Out) {
    let special = special_mask(ctx);
    for &(id, _) in &ctx.order {
        if masked(&special, id) {
            continue;
        }
        let Some(n) = ctx.node(id) else { continue };
        for p in &n.props {
            let name = p.name.as_str();
            let len = name.chars().count();
            let mut problems = Vec::new();
            if len == 0 {
                problems.push("it is empty".to_string());
            } else if len > 31 {
                out.warning(
                    id,
                    Some(name),
                    format!(
                        "property name {} is {len} characters; the DT spec allows at most 31 (no consumer enforces it, and some Linux bindings define longer names)",
                        q(name)
                    ),
                );
            }
            let bad = bad_chars(name, &PROP_CHARS);
            if !bad.is_empty() {
                problems.push(format!("it contains {bad}"));
            }
            if !problems.is_empty() {
                out.error(id, Some(name), format!("property name {}: {}", q(name), problems.join("; ")));
            }
        }
    }
}

pub static CELLS_EXPLICIT: Rule = Rule {
    id: "dt-cells-explicit",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Nodes whose children have `reg` or `ranges`, and the root, define `#address-cells` and `#size-cells`",
    explanation: "
`#address-cells` and `#size-cells` are not inherited, and the consumers' defaults disagree: the
DT spec says a client should assume 2/1 and dtc uses 2/1 without looking at ancestors; Linux
walks up the ancestors and falls back to 1/1 at the root (2/1 on SPARC); Xen's boot-time scan
inherits the parent's values with a 2/1 root default. So a node whose children have `reg` or
`ranges` must say which it means, and the root must define both (spec §3.2).

The spec's \"shall\" is broader (every node with children); this rule keeps dtc's narrower
trigger and is a warning because every consumer has some default. Where the readings actually
diverge, `dt-reg-format` / `xen-reg-format` catch it. In overlays the `__overlay__` nodes and the
root are exempt (the target supplies the cells), and so is the root of a Hafnium manifest (not
an address-space description).

Fix: `#address-cells = <2>; #size-cells = <2>;` (or whatever the children's `reg` are written with).",
    sources: &[S19, S20, S8, S13],
    run: cells_explicit,
};

fn cells_explicit(ctx: &Context, out: &mut Out) {
    let special = special_mask(ctx);
    let root = ctx.root();
    let overlay = is_overlay(ctx);
    let mut parents: Vec<(NodeId, NodeId, &str)> = Vec::new();
    let mut seen: HashSet<NodeId> = HashSet::new();
    for prop in ["reg", "ranges"] {
        for &c in ctx.with_prop(prop) {
            let Some(p) = ctx.parent(c) else { continue };
            if seen.insert(p) {
                parents.push((p, c, prop));
            }
        }
    }
    let manifest = ctx.hv.iter().any(|h| h.family == HvFamily::Hafnium);
    if !overlay && !manifest {
        let (a, s) = ctx.declared_cells(root);
        let missing = missing_cells(a, s);
        if !missing.is_empty() {
            out.warning(
                root,
                None,
                format!("the root node has no {}; the DT spec requires both", missing.join(" and ")),
            );
        }
    }
    ctx.sort_by_node(&mut parents, |&(p, _, _)| p);
    for (p, child, prop) in parents {
        if p == root || ctx.name(p) == "__overlay__" || masked(&special, p) {
            continue;
        }
        let (a, s) = ctx.declared_cells(p);
        let missing = missing_cells(a, s);
        if !missing.is_empty() {
            out.warning(
                p,
                None,
                format!(
                    "child {} has {prop} but this node has no {}; dtc assumes 2/1, Linux inherits from the ancestors",
                    ctx.name(child),
                    missing.join(" and ")
                ),
            );
        }
    }
}

fn missing_cells(a: Option<u32>, s: Option<u32>) -> Vec<&'static str> {
    let mut v = Vec::new();
    if a.is_none() {
        v.push("#address-cells");
    }
    if s.is_none() {
        v.push("#size-cells");
    }
    v
}

pub static CELLS_TYPE: Rule = Rule {
    id: "dt-cells-type",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`#address-cells`, `#size-cells`, `#interrupt-cells` are single cells",
    explanation: "
The three cell-count properties are one u32 each. Any other length makes every consumer fall
back to its default (dtc, Linux, Xen), so the children's `reg` and `interrupts` are read with
numbers nobody wrote.

Fix: `#address-cells = <2>;`",
    sources: &[S20, S19],
    run: cells_type,
};

fn cells_type(ctx: &Context, out: &mut Out) {
    let mut hits: Vec<(NodeId, &str, usize)> = Vec::new();
    for p in ["#address-cells", "#size-cells", "#interrupt-cells"] {
        for &id in ctx.with_prop(p) {
            if let Some(v) = ctx.prop(id, p) {
                if v.len() != 4 {
                    hits.push((id, p, v.len()));
                }
            }
        }
    }
    ctx.sort_by_node(&mut hits, |&(id, _, _)| id);
    for (id, p, len) in hits {
        out.error(id, Some(p), format!("{p} is {}, not one 4-byte cell", bytes(len)));
    }
}

pub static REG_FORMAT: Rule = Rule {
    id: "dt-reg-format",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`reg` is non-empty and a whole number of (address, size) entries of the parent's cells",
    explanation: "
DT specification §2.3.6 and dtc's `reg_format`: `reg` is a list of (address, size) pairs, each
`#address-cells` + `#size-cells` cells of the *parent* node, with 2 and 1 when the parent does
not declare them (never the grandparent's values); `#size-cells = <0>` means no size field. An
empty `reg`, or a length that is not a whole number of entries, is an error. `reg` on the root
is a warning only (a dtc check, not a spec requirement).

Fix: write `reg` with the parent's cell counts, or give the parent the cell counts `reg` was
written for.",
    sources: &[S19, S20],
    run: reg_format,
};

fn reg_format(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("reg") {
        let Some(v) = ctx.prop(id, "reg") else { continue };
        let Some(parent) = ctx.parent(id) else {
            out.warning(id, Some("reg"), "the root node has reg (dtc warns; the DT spec does not give the root a reg)");
            continue;
        };
        if v.is_empty() {
            out.error(id, Some("reg"), "reg is empty");
            continue;
        }
        let (a, s) = ctx.child_cells(parent);
        let (da, ds) = ctx.declared_cells(parent);
        let per = u64::from(a) + u64::from(s);
        let how = if da.is_none() || ds.is_none() { " (defaults 2/1 where the parent declares none)" } else { "" };
        if per == 0 {
            out.error(
                id,
                Some("reg"),
                format!(
                    "reg is {} but {} has #address-cells = 0 and #size-cells = 0",
                    bytes(v.len()),
                    ctx.path(parent)
                ),
            );
        } else if !(v.len() as u64).is_multiple_of(per * 4) {
            out.error(
                id,
                Some("reg"),
                format!(
                    "reg is {}, not a whole number of {a}+{s}-cell entries of {}{how}",
                    bytes(v.len()),
                    ctx.path(parent)
                ),
            );
        }
    }
}

pub static RANGES_FORMAT: Rule = Rule {
    id: "dt-ranges-format",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`ranges`/`dma-ranges` are whole (child, parent, size) triplets; empty only when the cells agree",
    explanation: "
DT specification §2.3.8: each entry of `ranges` (and `dma-ranges`) is the node's
`#address-cells` child address, the parent's `#address-cells` parent address and the node's
`#size-cells` length. An empty `ranges` means identity mapping, which is only meaningful when
the node's address and size cells equal its parent's. dtc reports both (`ranges_format`).

Fix: write each entry as `<child-address parent-address size>` with those cell counts.",
    sources: &[S19, S20],
    run: ranges_format,
};

fn ranges_format(ctx: &Context, out: &mut Out) {
    let mut hits: Vec<NodeId> = Vec::new();
    for p in ["ranges", "dma-ranges"] {
        hits.extend_from_slice(ctx.with_prop(p));
    }
    ctx.doc_order(&mut hits);
    for id in hits {
        let Some(parent) = ctx.parent(id) else { continue };
        let (ca, cs) = ctx.child_cells(id);
        let (pa, ps) = ctx.child_cells(parent);
        for p in ["ranges", "dma-ranges"] {
            let Some(v) = ctx.prop(id, p) else { continue };
            if v.is_empty() {
                if ca != pa || cs != ps {
                    out.error(
                        id,
                        Some(p),
                        format!(
                            "{p} is empty (identity) but this node has cells {ca}/{cs} and {} has {pa}/{ps}",
                            ctx.path(parent)
                        ),
                    );
                }
                continue;
            }
            let per = (u64::from(ca) + u64::from(pa) + u64::from(cs)) * 4;
            if per == 0 || !(v.len() as u64).is_multiple_of(per) {
                out.error(
                    id,
                    Some(p),
                    format!(
                        "{p} is {}, not a whole number of {ca}+{pa}+{cs}-cell (child, parent, size) entries",
                        bytes(v.len())
                    ),
                );
            }
        }
    }
}

pub static COMPATIBLE: Rule = Rule {
    id: "dt-compatible",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`compatible` is a string list of `vendor,model` entries, most specific first",
    explanation: "
DT specification §2.3.1: `compatible` is a list of NUL-terminated strings with no empty entry
(dtc `compatible_is_string_list`), from most to least specific, each recommended as
`manufacturer,model` using lower-case letters, digits and `-`, starting with a letter. Generic
strings without a vendor (`simple-bus`, `syscon`) are part of the spec and accepted. A list that
is not NUL-terminated strings, or has an empty entry, is a warning; so is a list where a string
is followed by a more specific variant of itself (`\"xen,xen\", \"xen,xen-4.2\"`): the order
is wrong.

A `.` in a version suffix (`xen,xen-4.2`, `epapr,hypervisor-1.1`, `arm,psci-0.2`) is outside the
recommended set but is what those bindings prescribe: an info only, once per node.

Deliberate difference from the catalog: other entries outside the recommended form (`_`,
upper-case letters, a second `,`) are also reported as info, not warning. They are only
recommendations, and the strings are fixed by the bindings that drivers match on: Linux's
`ti,davinci_mdio`, `bosch,m_can`, `arm,vexpress,config-bus`, `samsung,K3QF2F20DB` are all
real, and \"fixing\" them would stop the driver from probing.

Fix: most specific first, e.g. `compatible = \"xen,xen-4.19\", \"xen,xen\";`",
    sources: &[S19, S20, S4, S15],
    run: compatible,
};

fn compatible(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("compatible") {
        let Some(v) = ctx.prop(id, "compatible") else { continue };
        let list = value::as_string_list(v);
        let Some(list) = list.filter(|l| l.iter().all(|s| !s.is_empty())) else {
            out.warning(
                id,
                Some("compatible"),
                format!("compatible ({}) is not a list of non-empty NUL-terminated strings", bytes(v.len())),
            );
            continue;
        };
        let mut dotted = Vec::new();
        for s in &list {
            let bad = bad_chars(s, &COMPAT_CHARS);
            let mut problems = Vec::new();
            if !bad.is_empty() {
                problems.push(format!("contains {bad}"));
            }
            if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
                problems.push("does not start with a lower-case letter".to_string());
            }
            if s.matches(',').count() > 1 {
                problems.push("has more than one ','".to_string());
            }
            if !problems.is_empty() {
                out.info(
                    id,
                    Some("compatible"),
                    format!(
                        "compatible entry {} {}: outside the recommended vendor,model form in [a-z0-9-] (keep it if \
                         the binding prescribes it)",
                        q(s),
                        problems.join(", ")
                    ),
                );
            } else if s.contains('.') {
                dotted.push(*s);
            }
        }
        for (i, s) in list.iter().enumerate() {
            if let Some(later) =
                list.iter().skip(i + 1).find(|l| l.len() > s.len() && l.starts_with(s) && l[s.len()..].starts_with('-'))
            {
                out.warning(
                    id,
                    Some("compatible"),
                    format!(
                        "compatible lists {} before the more specific {}; most specific comes first",
                        q(s),
                        q(later)
                    ),
                );
            }
        }
        if !dotted.is_empty() {
            out.info(
                id,
                Some("compatible"),
                format!(
                    "{} has '.' in a version suffix: outside the spec's recommended set, as the binding prescribes",
                    qlist(&dotted)
                ),
            );
        }
    }
}

pub static STATUS: Rule = Rule {
    id: "dt-status",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`status` is `okay`, `disabled`, `reserved`, `fail` or `fail-<sss>`",
    explanation: "
DT specification §2.3.4 lists the values of `status`. Linux and Xen also accept `ok` (info:
legacy spelling). Anything else (`enabled`, `on`, `Okay`) is treated as not available by Linux
and Xen (`device_tree_node_is_available`): the device silently disappears. A `status` that is
not a single string is reported by `dt-strings`.

Fix: `status = \"okay\";`",
    sources: &[S19, S13],
    run: status,
};

fn status(ctx: &Context, out: &mut Out) {
    for &id in ctx.with_prop("status") {
        let Some(s) = ctx.prop_str(id, "status") else { continue };
        match s {
            "okay" | "disabled" | "reserved" | "fail" => {}
            _ if s.starts_with("fail-") => {}
            "ok" => {
                out.info(id, Some("status"), "status = \"ok\": the legacy spelling, accepted by Linux and Xen")
                    .with_fix(Fix::SetProperty {
                        path: ctx.path(id),
                        property: "status".into(),
                        value: b"okay\0".to_vec(),
                    });
            }
            _ => {
                let intended = match s.to_ascii_lowercase().as_str() {
                    "enabled" | "enable" | "okay" | "on" => Some("okay"),
                    "disable" | "off" | "disabled" => Some("disabled"),
                    _ => None,
                };
                let f = out.warning(
                    id,
                    Some("status"),
                    format!(
                        "status = {} is not okay/disabled/reserved/fail/fail-<sss>; Linux and Xen treat the device as \
                         not available",
                        q(s)
                    ),
                );
                if let Some(v) = intended {
                    f.with_fix(Fix::SetProperty {
                        path: ctx.path(id),
                        property: "status".into(),
                        value: string_list_bytes(&[v]),
                    });
                }
            }
        }
    }
}

pub static PHANDLES: Rule = Rule {
    id: "dt-phandles",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`phandle`/`linux,phandle` are 4 bytes, not 0 or 0xffffffff, unique, and agree",
    explanation: "
DT specification §2.3.3 and dtc's `explicit_phandles`: a phandle is one u32, neither 0 nor
0xffffffff (both mean \"none\"), unique in the tree; when a node carries both `phandle` and the
legacy `linux,phandle`, they must be equal. A duplicate makes every reference to that value
ambiguous (the first node in tree order wins in most consumers).

Fix: give the node a fresh phandle value, or drop `linux,phandle`.",
    sources: &[S19, S20],
    run: phandles,
};

fn phandles(ctx: &Context, out: &mut Out) {
    let mut first: HashMap<u32, NodeId> = HashMap::new();
    let mut hits: Vec<NodeId> = ctx.with_prop("phandle").to_vec();
    hits.extend_from_slice(ctx.with_prop("linux,phandle"));
    ctx.doc_order(&mut hits);
    for id in hits {
        let mut vals: Vec<(&str, u32)> = Vec::new();
        for p in ["phandle", "linux,phandle"] {
            let Some(v) = ctx.prop(id, p) else { continue };
            match value::as_u32(v) {
                None => {
                    out.error(id, Some(p), format!("{p} is {}, not one 4-byte cell", bytes(v.len())));
                }
                Some(x @ (0 | 0xffff_ffff)) => {
                    out.error(id, Some(p), format!("{p} = <0x{x:x}>, a value that means \"no phandle\""));
                }
                Some(x) => vals.push((p, x)),
            }
        }
        if let [(_, a), (_, b)] = vals[..] {
            if a != b {
                out.error(id, Some("linux,phandle"), format!("phandle = <0x{a:x}> but linux,phandle = <0x{b:x}>"));
            }
        }
        let mut own: Vec<u32> = vals.iter().map(|&(_, x)| x).collect();
        own.dedup();
        for x in own {
            match first.get(&x) {
                Some(&other) if other != id => {
                    let p = vals.iter().find(|&&(_, v)| v == x).map_or("phandle", |&(p, _)| p);
                    out.error(id, Some(p), format!("phandle 0x{x:x} is also used by {}", ctx.path(other)));
                }
                Some(_) => {}
                None => {
                    first.insert(x, id);
                }
            }
        }
    }
}

pub static INTERRUPT_TREE: Rule = Rule {
    id: "dt-interrupt-tree",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "`interrupts` resolve to a provider and fit its `#interrupt-cells`; `interrupts-extended` entries too",
    explanation: "
DT specification §2.4 and dtc's `interrupts_property`: `interrupts` is whole cells, a multiple
of the interrupt parent's `#interrupt-cells`. The parent is found by walking up from the node:
its own `interrupt-parent`; then at each ancestor, the ancestor itself if it is an interrupt
provider (`interrupt-controller` or `interrupt-map`), else its `interrupt-parent` if it has
one. No result is a missing interrupt parent; a phandle that resolves to nothing, or a target
that is not a provider or has no `#interrupt-cells`, is an error. `interrupts-extended` takes
precedence over `interrupts` (having both is discouraged: info); each of its entries must name
a provider and carry that provider's `#interrupt-cells`.

Linux's `of_irq_find_parent` walks the same way but stops at the first node with
`#interrupt-cells`; dtlens follows dtc. In overlays the parent usually comes from the base tree
(references are `0xffffffff` fixups), and in a dom0less partial device tree Xen's toolstack adds
`interrupt-parent` (phandle 65000, the guest GIC): neither is reported as missing.

Fix: add `interrupt-parent = <&gic>;` (on the node or the root) or correct the specifier length.",
    sources: &[S19, S20],
    run: interrupt_tree,
};

/// `GUEST_PHANDLE_GIC`: the phandle Xen gives the guest GIC; partial trees refer to it.
const GUEST_PHANDLE_GIC: u32 = 65000;

/// For every arena index: what the interrupt-parent walk finds when it reaches this node as an
/// *ancestor* (the node itself if it is a provider, else its `interrupt-parent`, else the same
/// for its parent). One pre-order pass, so the whole rule stays linear on deep trees.
fn upward_irq_parents(ctx: &Context) -> Vec<IrqParent> {
    let mut up = vec![IrqParent::Missing; ctx.tree.nodes.len()];
    for &(id, _) in &ctx.order {
        let r = if ctx.is_irq_provider(id) {
            IrqParent::Found(id)
        } else if let Some(v) = ctx.prop(id, "interrupt-parent") {
            resolve(ctx, id, v)
        } else {
            ctx.parent(id).and_then(|p| up.get(p.0).copied()).unwrap_or(IrqParent::Missing)
        };
        if let Some(slot) = up.get_mut(id.0) {
            *slot = r;
        }
    }
    up
}

fn resolve(ctx: &Context, at: NodeId, v: &[u8]) -> IrqParent {
    let ph = value::as_u32(v);
    match ph.and_then(|p| ctx.phandles.get(&p).copied()) {
        Some(n) => IrqParent::Found(n),
        None => IrqParent::Dangling { at, phandle: ph },
    }
}

/// The interrupt parent of `id` as [`Context::irq_parent`] finds it, from the precomputed walk.
fn irq_parent_of(ctx: &Context, up: &[IrqParent], id: NodeId) -> IrqParent {
    if let Some(v) = ctx.prop(id, "interrupt-parent") {
        return resolve(ctx, id, v);
    }
    ctx.parent(id).and_then(|p| up.get(p.0).copied()).unwrap_or(IrqParent::Missing)
}

fn interrupt_tree(ctx: &Context, out: &mut Out) {
    let special = special_mask(ctx);
    let up = upward_irq_parents(ctx);
    let overlay = is_overlay(ctx);
    let fragment = ctx.scope == TreeScope::Fragment;
    let mut hits: Vec<NodeId> = ctx.with_prop("interrupts").to_vec();
    hits.extend_from_slice(ctx.with_prop("interrupts-extended"));
    ctx.doc_order(&mut hits);
    for id in hits {
        if masked(&special, id) {
            continue;
        }
        if let Some(v) = ctx.prop(id, "interrupts-extended") {
            if ctx.has(id, "interrupts") {
                out.info(
                    id,
                    Some("interrupts"),
                    "both interrupts and interrupts-extended: interrupts-extended is used, interrupts ignored",
                );
            }
            let cells = value::as_cells(v);
            let external = overlay && cells.as_ref().is_some_and(|c| c.contains(&0xffff_ffff));
            match ctx.irq_specs(id) {
                Ok(specs) => {
                    for s in specs {
                        if !ctx.is_irq_provider(s.parent) {
                            out.error(
                                id,
                                Some("interrupts-extended"),
                                format!(
                                    "interrupts-extended names {}, which is not an interrupt provider",
                                    ctx.path(s.parent)
                                ),
                            );
                        }
                    }
                }
                Err(e) if !external => {
                    out.error(id, Some("interrupts-extended"), e);
                }
                Err(_) => {}
            }
            continue;
        }
        let Some(v) = ctx.prop(id, "interrupts") else { continue };
        if v.len() % 4 != 0 {
            out.error(id, Some("interrupts"), format!("interrupts is {}, not a multiple of 4", bytes(v.len())));
            continue;
        }
        let parent = match irq_parent_of(ctx, &up, id) {
            IrqParent::Found(p) => p,
            IrqParent::Missing => {
                if !overlay && !fragment {
                    out.error(
                        id,
                        Some("interrupts"),
                        "missing interrupt parent: no interrupt-parent and no provider above",
                    );
                }
                continue;
            }
            IrqParent::Dangling { at, phandle } => {
                let excused = match phandle {
                    Some(0xffff_ffff) => overlay,
                    Some(GUEST_PHANDLE_GIC) => fragment,
                    _ => false,
                };
                if !excused {
                    let what = match phandle {
                        Some(p) => format!("phandle 0x{p:x}, which no node has"),
                        None => "not one cell".to_string(),
                    };
                    out.error(id, Some("interrupts"), format!("interrupt-parent of {} is {what}", ctx.path(at)));
                }
                continue;
            }
        };
        if !ctx.is_irq_provider(parent) {
            out.error(
                id,
                Some("interrupts"),
                format!(
                    "interrupt parent {} is not an interrupt-controller and has no interrupt-map",
                    ctx.path(parent)
                ),
            );
            continue;
        }
        let Some(n) = ctx.interrupt_cells(parent) else {
            out.error(id, Some("interrupts"), format!("interrupt parent {} has no #interrupt-cells", ctx.path(parent)));
            continue;
        };
        let cells = v.len() / 4;
        if n == 0 || cells % n as usize != 0 {
            out.error(
                id,
                Some("interrupts"),
                format!(
                    "interrupts has {cells} cells, not a multiple of #interrupt-cells = <{n}> of {}",
                    ctx.path(parent)
                ),
            );
        }
    }
}

pub static CHOSEN: Rule = Rule {
    id: "dt-chosen",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`/chosen` is a child of `/`; `bootargs`, `stdout-path`, `stdin-path` are strings",
    explanation: "
DT specification §3.6: `chosen` is a child of the root, and its `bootargs`, `stdout-path` and
`stdin-path` are strings. `linux,stdout-path` is the deprecated name of `stdout-path` (Linux
still reads it as a fallback; other consumers may not).

Fix: `chosen { bootargs = \"console=hvc0\"; stdout-path = \"serial0:115200n8\"; };`",
    sources: &[S19, S20],
    run: chosen,
};

fn chosen(ctx: &Context, out: &mut Out) {
    for &(id, depth) in &ctx.order {
        if depth > 1 && ctx.name(id) == "chosen" {
            out.warning(id, None, format!("a node named chosen at {}: only /chosen is read", ctx.path(id)));
        }
    }
    let Some(ch) = ctx.chosen else { return };
    for p in ["bootargs", "stdout-path", "stdin-path"] {
        if let Some(v) = ctx.prop(ch, p) {
            if value::as_string(v).is_none() {
                out.warning(ch, Some(p), format!("{p} is not a single string ({})", bytes(v.len())));
            }
        }
    }
    if let Some(v) = ctx.prop(ch, "linux,stdout-path") {
        let f = out.warning(
            ch,
            Some("linux,stdout-path"),
            if ctx.has(ch, "stdout-path") {
                "linux,stdout-path is deprecated (stdout-path is also present and wins)"
            } else {
                "linux,stdout-path is deprecated; use stdout-path"
            },
        );
        if !ctx.has(ch, "stdout-path") {
            f.with_fix(Fix::SetProperty { path: ctx.path(ch), property: "stdout-path".into(), value: v.to_vec() });
        }
    }
}

pub static ALIASES: Rule = Rule {
    id: "dt-aliases",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Alias names are 1-31 characters of `[a-z0-9-]`; values are paths of existing nodes",
    explanation: "
DT specification §3.3: each property of `/aliases` is an alias name (lower-case letters, digits
and `-`, at most 31 characters) whose value is the full path of a node. dtc's `alias_paths`
checks both, but the kernel build turns it off by default, so board trees often carry aliases
with `_` or to deleted nodes. An alias to a missing node silently does nothing.

Fix: `serial0 = \"/soc/serial@9000000\";`",
    sources: &[S19, S20],
    run: aliases,
};

fn aliases(ctx: &Context, out: &mut Out) {
    let Some(al) = root_child(ctx, "aliases") else { return };
    let Some(n) = ctx.node(al) else { return };
    let overlay = is_overlay(ctx);
    for p in &n.props {
        let name = p.name.as_str();
        if matches!(name, "phandle" | "linux,phandle" | "name") {
            continue;
        }
        let bad = bad_chars(name, &LOWER_DIGIT_DASH);
        if name.is_empty() || name.len() > 31 || !bad.is_empty() {
            let why = if bad.is_empty() { format!("{} characters", name.len()) } else { format!("contains {bad}") };
            out.warning(al, Some(name), format!("alias name {} {why}; aliases are 1-31 of [a-z0-9-]", q(name)));
        }
        match value::as_string(&p.value) {
            Some(path) if path.starts_with('/') => {
                if !overlay && ctx.tree.find(path).is_none() {
                    out.warning(
                        al,
                        Some(name),
                        format!("alias {} points to {}, which does not exist", q(name), q(path)),
                    );
                }
            }
            Some(path) => {
                out.warning(al, Some(name), format!("alias {} = {} is not an absolute path", q(name), q(path)));
            }
            None => {
                out.warning(
                    al,
                    Some(name),
                    format!("alias {} is not a single string ({})", q(name), bytes(p.value.len())),
                );
            }
        }
    }
}

pub static MEMORY: Rule = Rule {
    id: "dt-memory",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "A `/memory` node with `device_type = \"memory\"` and `reg` exists",
    explanation: "
DT specification §3.4: the tree has at least one memory node, named `memory[@unit]` with
`device_type = \"memory\"` and `reg`. Xen counts a RAM bank only for a root child named
`memory` or `memory@...` with that `device_type` (`device_tree_is_memory_node`); a memory node
elsewhere or with another name is ignored by Xen (warning; not for disabled nodes such as QEMU's
secure RAM, which are meant to be ignored). A bootloader often fills the node
in; a tree without one boots only if it does. Overlays, partial device trees and Hafnium
manifests are not complete machine descriptions and are not checked for it.

Example: `memory@40000000 { device_type = \"memory\"; reg = <0x0 0x40000000 0x0 0x80000000>; };`",
    sources: &[S19, S13],
    run: memory,
};

fn memory(ctx: &Context, out: &mut Out) {
    let mut found = false;
    for &id in ctx.with_prop("device_type") {
        if ctx.prop_str(id, "device_type") != Some("memory") {
            continue;
        }
        // A disabled memory node (QEMU's secure RAM, `secure-status`) is meant to be ignored.
        if ctx.prop_str(id, "status").is_some_and(|s| s != "okay" && s != "ok") {
            continue;
        }
        let at_root = ctx.depth(id) == 1 && base_name(ctx.name(id)) == "memory";
        if at_root {
            if ctx.prop(id, "reg").is_some_and(|v| !v.is_empty()) {
                found = true;
            } else {
                out.warning(id, None, "memory node without reg: it describes no RAM");
            }
        } else {
            out.warning(
                id,
                Some("device_type"),
                format!(
                    "{} has device_type \"memory\" but Xen only counts root children named memory or memory@...",
                    ctx.path(id)
                ),
            );
        }
    }
    if !found && is_complete(ctx) {
        out.warning(
            ctx.root(),
            None,
            "no /memory node with device_type = \"memory\" and reg: the bootloader must add one",
        );
    }
}

pub static RESERVED_MEMORY: Rule = Rule {
    id: "dt-reserved-memory",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`/reserved-memory` has the root's cells and empty `ranges`; children have `reg` or `size`",
    explanation: "
DT specification §3.5: `/reserved-memory` uses the same `#address-cells`/`#size-cells` as the root
and an empty `ranges`, so its children's `reg` are CPU physical addresses. Each child has `reg`
(static region) or `size` (dynamic allocation); `no-map` and `reusable` exclude each other.

Example: `reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
xen-shmem@70000000 { reg = <0x0 0x70000000 0x0 0x100000>; no-map; }; };`",
    sources: &[S19, S25],
    run: reserved_memory,
};

fn reserved_memory(ctx: &Context, out: &mut Out) {
    let Some(rm) = root_child(ctx, "reserved-memory") else { return };
    let (ra, rs) = ctx.child_cells(ctx.root());
    let (a, s) = ctx.declared_cells(rm);
    if a != Some(ra) || s != Some(rs) {
        out.warning(
            rm,
            None,
            format!(
                "cells are {}/{} but the root's are {ra}/{rs}",
                a.map_or("absent".to_string(), |x| x.to_string()),
                s.map_or("absent".to_string(), |x| x.to_string())
            ),
        );
    }
    match ctx.prop(rm, "ranges") {
        None => {
            out.warning(rm, None, "/reserved-memory has no ranges (it should be empty: ranges;)");
        }
        Some(v) if !v.is_empty() => {
            out.warning(rm, Some("ranges"), format!("ranges is {}, not empty", bytes(v.len())));
        }
        Some(_) => {}
    }
    for &c in children(ctx, rm) {
        if !ctx.has(c, "reg") && !ctx.has(c, "size") {
            out.warning(c, None, format!("reserved region {} has neither reg nor size", ctx.name(c)));
        }
        if ctx.has(c, "no-map") && ctx.has(c, "reusable") {
            out.warning(c, Some("reusable"), "no-map and reusable together: they exclude each other");
        }
    }
}

pub static CPUS: Rule = Rule {
    id: "dt-cpus",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "`/cpus` exists with `#address-cells` and `#size-cells = <0>`; cpu nodes have `device_type` and `reg`",
    explanation: "
DT specification §3.7-3.8: `/cpus` holds one node per CPU, with `#address-cells` (1 or 2) and
`#size-cells = <0>`; each cpu node has `device_type = \"cpu\"` and `reg` (its hardware ID).
Xen's cpupools refer to CPUs by phandle and read their `reg`. Overlays, partial device trees and
Hafnium manifests are not checked for a missing `/cpus`.

Example: `cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = \"cpu\";
compatible = \"arm,cortex-a53\"; reg = <0>; }; };`",
    sources: &[S19, S11],
    run: cpus,
};

fn cpus(ctx: &Context, out: &mut Out) {
    let Some(cpus) = root_child(ctx, "cpus") else {
        if is_complete(ctx) {
            out.warning(ctx.root(), None, "no /cpus node");
        }
        return;
    };
    let (a, s) = ctx.declared_cells(cpus);
    if a.is_none() {
        out.warning(cpus, None, "/cpus has no #address-cells");
    }
    match s {
        Some(0) => {}
        Some(x) => {
            out.warning(cpus, Some("#size-cells"), format!("/cpus has #size-cells = <{x}>; it must be <0>"));
        }
        None => {
            out.warning(cpus, None, "/cpus has no #size-cells (it must be <0>)");
        }
    }
    for &c in children(ctx, cpus) {
        let dt = ctx.prop_str(c, "device_type");
        if base_name(ctx.name(c)) != "cpu" && dt != Some("cpu") {
            continue;
        }
        if dt != Some("cpu") {
            out.warning(c, None, format!("cpu node {} has no device_type = \"cpu\"", ctx.name(c))).with_fix(
                Fix::SetProperty { path: ctx.path(c), property: "device_type".into(), value: b"cpu\0".to_vec() },
            );
        }
        if !ctx.has(c, "reg") {
            out.warning(c, None, format!("cpu node {} has no reg", ctx.name(c)));
        }
    }
}

pub static ROOT_PROPS: Rule = Rule {
    id: "dt-root-props",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "The root has `#address-cells`, `#size-cells`, `model` and `compatible`",
    explanation: "
DT specification §3.2: the root node has `#address-cells`, `#size-cells`, `model` and
`compatible`. Guest trees generated by hypervisors often omit `model`; nothing reads it for
booting, hence only an info. Overlays, partial device trees and Hafnium manifests are exempt.

Example: `/ { model = \"Xen guest\"; compatible = \"xen,xenvm-4.19\", \"xen,xenvm\";
#address-cells = <2>; #size-cells = <2>; ... };`",
    sources: &[S19],
    run: root_props,
};

fn root_props(ctx: &Context, out: &mut Out) {
    if !is_complete(ctx) {
        return;
    }
    let root = ctx.root();
    let missing: Vec<&str> =
        ["#address-cells", "#size-cells", "model", "compatible"].into_iter().filter(|p| !ctx.has(root, p)).collect();
    if !missing.is_empty() {
        out.info(root, None, format!("the root node has no {}", missing.join(", ")));
    }
}

pub static BOOLEAN_PROPS: Rule = Rule {
    id: "dt-boolean-props",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Warning,
    enabled_at: EnabledAt::Always,
    summary: "Known flag properties are empty",
    explanation: "
These properties are flags: their presence is the value, and the bindings define them empty:
`interrupt-controller`, `dma-coherent`, `has-idle`, `has-msgsnd-hcall`, `no-priority`,
`vpl011`, `direct-map`, `xen,passthrough`, `xen,uefi-cfg-load`,
`xen,force-assign-without-iommu`. A value (`vpl011 = <1>;`) suggests the author expected it to
be read, and `= <0>` does *not* turn the flag off.

Fix: `vpl011;` (the dtlens fix empties the value).",
    sources: &[S15, S10, S19],
    run: boolean_props,
};

const FLAGS: [&str; 10] = [
    "interrupt-controller",
    "dma-coherent",
    "has-idle",
    "has-msgsnd-hcall",
    "no-priority",
    "vpl011",
    "direct-map",
    "xen,passthrough",
    "xen,uefi-cfg-load",
    "xen,force-assign-without-iommu",
];

fn boolean_props(ctx: &Context, out: &mut Out) {
    let mut hits: Vec<(NodeId, &str, usize)> = Vec::new();
    for p in FLAGS {
        for &id in ctx.with_prop(p) {
            if let Some(v) = ctx.prop(id, p).filter(|v| !v.is_empty()) {
                hits.push((id, p, v.len()));
            }
        }
    }
    ctx.sort_by_node(&mut hits, |&(id, _, _)| id);
    for (id, p, len) in hits {
        let zero = ctx.prop(id, p).and_then(value::as_u32) == Some(0);
        let extra = if zero { " (= <0> does not turn it off)" } else { "" };
        out.warning(id, Some(p), format!("{p} is a flag but has a {}-byte value{extra}", len))
            .with_fix(Fix::SetProperty { path: ctx.path(id), property: p.into(), value: Vec::new() });
    }
}

pub static STRINGS: Rule = Rule {
    id: "dt-strings",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "String-typed properties are single printable NUL-terminated strings",
    explanation: "
Properties defined as one string (DT spec §2.2.4.2 and the bindings): `model`, `status`,
`device_type`, `label`, `bootargs`, `guest-name`, `xen,xen-bootargs`, `xen,dom0-bootargs`,
`xen,enhanced`, `xen,shm-id`, `role` (of static shared memory), `xen,path`, `xen,uefi-binary`,
`cpupool-sched`. A missing NUL, an embedded NUL (a string list), or unprintable bytes make
consumers read something else than what is displayed, or fail (Xen's string reader rejects a
value without NUL). `xen,enhanced` may also be empty (it then means `enabled`).

Fix: `model = \"My board\";`",
    sources: &[S19, S20, S10],
    run: strings,
};

const STRING_PROPS: [&str; 13] = [
    "model",
    "status",
    "device_type",
    "label",
    "bootargs",
    "guest-name",
    "xen,xen-bootargs",
    "xen,dom0-bootargs",
    "xen,enhanced",
    "xen,shm-id",
    "xen,path",
    "xen,uefi-binary",
    "cpupool-sched",
];

fn strings(ctx: &Context, out: &mut Out) {
    let mut hits: Vec<(NodeId, &str)> = Vec::new();
    for p in STRING_PROPS {
        for &id in ctx.with_prop(p) {
            hits.push((id, p));
        }
    }
    for &id in ctx.with_prop("role") {
        if ctx.is_compatible(id, "xen,domain-shared-memory-v1") {
            hits.push((id, "role"));
        }
    }
    ctx.sort_by_node(&mut hits, |&(id, _)| id);
    for (id, p) in hits {
        let Some(v) = ctx.prop(id, p) else { continue };
        if v.is_empty() && p == "xen,enhanced" {
            continue;
        }
        if single_printable_string(v) {
            continue;
        }
        let why = if v.is_empty() {
            "is empty".to_string()
        } else if v.last() != Some(&0) {
            "is not NUL-terminated".to_string()
        } else if v.iter().filter(|&&b| b == 0).count() > 1 {
            match value::as_string_list(v) {
                Some(l) => format!("is a list of {} strings ({})", l.len(), qlist(&l)),
                None => "has embedded NULs".to_string(),
            }
        } else {
            "has unprintable bytes".to_string()
        };
        out.error(id, Some(p), format!("{p} {why}; it must be one string ({})", bytes(v.len())));
    }
}

pub static DUPLICATES: Rule = Rule {
    id: "dt-duplicates",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "No duplicate sibling node names or property names; no node named like a property of its parent",
    explanation: "
DT specification §2.2.1: sibling nodes have distinct full names and a node's properties
distinct names. dtc merges duplicates in source, so they only appear in blobs written by other
tools or edited in place; consumers then see only the first. A unit-less node name equal to a
property name of its parent is legal in the blob but ambiguous in paths and in some tools
(warning; dtc `node_name_vs_property_name`).

Fix: rename or merge the duplicate.",
    sources: &[S19, S20],
    run: duplicates,
};

fn duplicates(ctx: &Context, out: &mut Out) {
    for &(id, _) in &ctx.order {
        let Some(n) = ctx.node(id) else { continue };
        let mut props: HashSet<&str, FastHash> = HashSet::with_capacity_and_hasher(n.props.len(), FastHash::default());
        for p in &n.props {
            if !props.insert(p.name.as_str()) {
                out.error(id, Some(&p.name), format!("property {} appears more than once in this node", q(&p.name)));
            }
        }
        let mut names: HashSet<&str, FastHash> =
            HashSet::with_capacity_and_hasher(n.children.len(), FastHash::default());
        for &c in &n.children {
            let name = ctx.name(c);
            if !names.insert(name) {
                out.error(c, None, format!("another child of {} is also named {}", ctx.path(id), q(name)));
            }
            if !name.contains('@') && props.contains(name) {
                out.warning(
                    c,
                    None,
                    format!("node {} has the name of a property of its parent {}", q(name), ctx.path(id)),
                );
            }
        }
    }
}

pub static FDT_HEADER: Rule = Rule {
    id: "dt-fdt-header",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Error,
    enabled_at: EnabledAt::Always,
    summary: "The blob is FDT version 17 compatible with 16, readable by any v17 client",
    explanation: "
DT specification ch. 5: boot programs shall emit a version 17 blob with `last_comp_version` 16,
and a client must accept any blob whose `last_comp_version` is at most 17 (a higher value is a
warning: a v17 client may refuse it). dtlens checks these header fields on the tree it read.

The byte-level parts of this catalog rule (magic `0xd00dfeed`, block offsets and sizes inside
`totalsize`, the memory-reservation terminator, a well-formed structure token stream,
NUL-terminated strings) are checked by the blob reader, which reports each problem as a
diagnostic with its byte offset when the file is opened; they are not repeated as findings.

Fix: rewrite the blob with a current dtc (`dtc -I dtb -O dtb -o out.dtb in.dtb` emits version 17,
last compatible 16).",
    sources: &[S19],
    run: fdt_header,
};

fn fdt_header(ctx: &Context, out: &mut Out) {
    let h = &ctx.tree.header;
    let root = ctx.root();
    if h.version < 17 {
        out.error(root, None, format!("the blob is FDT version {}; boot programs shall emit version 17", h.version));
    } else if h.version == 17 && h.last_comp_version != 16 {
        out.error(
            root,
            None,
            format!("a version 17 blob with last_comp_version {}; it should be 16", h.last_comp_version),
        );
    }
    if h.last_comp_version > 17 {
        out.warning(
            root,
            None,
            format!("last_comp_version is {}: a version-17 client may refuse this blob", h.last_comp_version),
        );
    }
}

pub static HYPERVISOR_GENERIC_NAME: Rule = Rule {
    id: "dt-hypervisor-generic-name",
    family: RuleFamily::Dt,
    scope: Scope::Any,
    severity: Severity::Info,
    enabled_at: EnabledAt::Always,
    summary: "`hypervisor` is a mandated node name, not a generic-name violation (never reported)",
    explanation: "
The DT specification's list of recommended generic node names (§2.2.2) does not contain
`hypervisor`, but ePAPR, the Xen binding and PowerPC KVM all mandate exactly that name, and
consumers find the node by it. A generic-name check must not warn about it. This rule documents
that decision and never produces a finding.",
    sources: &[S19, S15, S1],
    run: hypervisor_generic_name,
};

fn hypervisor_generic_name(_ctx: &Context, _out: &mut Out) {}
