//! Catalog §G: dtc's generic checks, ids `dtc-<check_name>` exactly as dtc names them, so a
//! finding can be compared with dtc's `Warning (check_name): /path: ...` line by line.
//!
//! # Semantics
//! The checks follow dtc v1.8.1's `checks.c` (the catalog's version, S20), including its
//! *prerequisites*: dtc does not run a check at all when one of its prerequisites found a
//! problem anywhere in the tree, and prints `Failed prerequisite 'X'` instead. Each rule here
//! does the same and reports that as one `info` finding on `/` per failed prerequisite, so a
//! silent rule never hides a skipped one. (dtc also switches a check off when a check it
//! depends on is switched off with `-Wno-…`; per-rule toggles here are independent.)
//!
//! `graph_child_address` is dtc v1.6.1's (removed in v1.8.0) and is kept because the kernel
//! still names it. Where dtc v1.6.1 (Debian 12's, the tests' oracle) differs from v1.8.1, the
//! rule's explanation says so; `tests/checks_dtc.rs` pins every such difference on the corpus.
//!
//! Differences from dtc kept on purpose (each pinned in the tests): after an ERROR-type check
//! fails, dtc runs no later check, we run them all; `obsolete_chosen_interrupt_controller` is
//! reported on /chosen, not `/`; graph checks read real cell sizes where dtc reads 0 after a
//! skipped `addr_size_cells`; values on which dtc asserts or crashes (a `#…-cells` or
//! `interrupt-parent` that is not one cell, an empty `status`) are read without panicking.
//!
//! # Levels (the kernel's use of dtc, peers.md §1.2, `scripts/Makefile.dtbs`)
//! - `Always`: dtc's default-on checks that the kernel keeps on.
//! - `W1`: dtc default-on checks the kernel turns off unless `W=1`: `unit_address_vs_reg`,
//!   `avoid_unnecessary_addr_size`, `alias_paths`, `graph_child_address`, `simple_bus_reg`;
//!   plus `unique_unit_address_if_enabled` (dtc: off), which the kernel turns on at `W=1`.
//! - `W2`: `node_name_chars_strict`, `property_name_chars_strict` (dtc: off) and
//!   `unique_unit_address` (dtc: on, kernel: off below `W=2`).
//! - `Explicit`: `deprecated_gpio_property` (dtc: off, the kernel never turns it on).
//!
//! [`dtc_defaults`] is the configuration that reproduces plain `dtc` (no `-W` flags).
//! Severity is dtc's: ERROR-type checks are errors, the others warnings.
//!
//! # Not applicable to a blob (not implemented)
//! - `duplicate_label`: labels exist only in source; a blob keeps at most `__symbols__`,
//!   which cannot hold one label twice.
//! - `phandle_references`, `path_references`: they resolve `&label` / `&{/path}` references
//!   in source; a blob holds resolved numbers and strings, so on a blob they can only fail
//!   through their prerequisites (`duplicate_node_names`, `explicit_phandles`), which are
//!   rules here. Their effect as prerequisites of the `*_property` checks is kept.
//! - `omit_unused_nodes`: a fix-up that deletes `/omit-if-no-ref/` nodes, a source marker.
//! - `always_fail`: dtc's self-test.

mod checks;

use crate::check::sources::S20;
use crate::check::{Config, Context, EnabledAt, Out, Override, Rule, RuleFamily, Scope, Severity};
use checks::{prereqs, Sink, Status, D, ERRORS};

pub use checks::{cells_name, PROVIDERS};

const SRC_161: &str = "dtc 1.6.1 checks.c (Debian 12's dtc, the oracle of tests/checks_dtc.rs)";
const SRC_KERNEL: &str = "Linux scripts/Makefile.dtbs (formerly Makefile.lib): DTC_FLAGS for default, W=1 and W=2";
const SOURCES: &[&str] = &[S20, SRC_161, SRC_KERNEL];

/// The configuration under which the `dtc-*` rules report what plain `dtc` reports (dtc's
/// default-on checks, none of its off-by-default ones). Other families keep their levels.
pub fn dtc_defaults() -> Config {
    let mut c = Config { level: crate::check::Level::W1, ..Config::default() };
    c.set("dtc-unique_unit_address", Override::Warning);
    c.set("dtc-unique_unit_address_if_enabled", Override::Off);
    c
}

/// The dtc check name of a rule id (`dtc-reg_format` → `reg_format`).
pub fn check_name(rule_id: &str) -> Option<&str> {
    rule_id.strip_prefix("dtc-")
}

/// Runs dtc check `name` for a rule: prerequisites first, as dtc does.
fn run_check(ctx: &Context, out: &mut Out, name: &'static str) {
    let d = D::new(ctx);
    let mut blocked = false;
    for &p in prereqs(name) {
        let st = d.status(p);
        if st == Status::Passed {
            continue;
        }
        blocked = true;
        let why = match (p, st) {
            ("phandle_references", _) => "dtc-duplicate_node_names or dtc-explicit_phandles found problems".to_string(),
            (_, Status::Prereq) => format!("its own prerequisites failed (see dtc-{p})"),
            _ => format!("dtc-{p} found problems"),
        };
        out.info(
            ctx.root(),
            None,
            format!(
                "not checked: prerequisite '{p}' did not pass ({why}); dtc prints \"Failed prerequisite '{p}'\" and \
                 skips this check too"
            ),
        );
    }
    if blocked {
        return;
    }
    let sev = if ERRORS.contains(&name) { Severity::Error } else { Severity::Warning };
    let mut sink = Sink::to(out, sev);
    d.exec(name, &mut sink);
}

macro_rules! dtc_rule {
    ($stat:ident, $runf:ident, $name:literal, $sev:ident, $at:ident, $summary:expr, $expl:expr) => {
        pub static $stat: Rule = Rule {
            id: concat!("dtc-", $name),
            family: RuleFamily::Dtc,
            scope: Scope::Any,
            severity: Severity::$sev,
            enabled_at: EnabledAt::$at,
            summary: $summary,
            explanation: $expl,
            sources: SOURCES,
            run: $runf,
        };
        fn $runf(ctx: &Context, out: &mut Out) {
            run_check(ctx, out, $name)
        }
    };
}

/// A `#…-cells` check and its phandle + specifier check.
macro_rules! provider_rules {
    ($cell:ident, $cellf:ident, $propr:ident, $propf:ident, $n:literal, $ncell:literal, $nprop:literal, $prop:literal, $cells:literal, $extra:literal) => {
        dtc_rule!(
            $cell,
            $cellf,
            $ncell,
            Warning,
            Always,
            concat!("`", $cells, "` is one cell"),
            concat!(
                "
dtc checks that every `",
                $cells,
                "` property is exactly one 32-bit cell. Consumers read it
as a u32 to know how many argument cells follow the phandle in `",
                $prop,
                "`; any other length
makes every reference to this provider undecodable.

Fix: `",
                $cells,
                " = <N>;` with the number of specifier cells the provider's binding defines.

dtc runs `",
                $n,
                "_property` only when this check passes everywhere."
            )
        );
        dtc_rule!(
            $propr,
            $propf,
            $nprop,
            Warning,
            Always,
            concat!("`", $prop, "` entries fit their providers' `", $cells, "`"),
            concat!(
                "
dtc walks `",
                $prop,
                "` as a list of entries `<&provider arg...>`: each phandle must resolve to a
node, that node must have `",
                $cells,
                "`",
                $extra,
                ", and the value must be long enough for
that many argument cells. A phandle of 0 (or 0xffffffff) is an empty slot and skipped. dtc stops
at the first bad entry of a property. The kernel's `of_parse_phandle_with_args` reads the same
way, so a mismatch means the consumer gets the wrong resource, or none.

Fix: point the phandle at the right provider, give the provider its `",
                $cells,
                "`, or write the
number of argument cells its binding says.

Prerequisites (as dtc): `",
                $n,
                "_is_cell`, and `phandle_references` (on a blob: no
`dtc-duplicate_node_names` or `dtc-explicit_phandles` finding)."
            )
        );
    };
}

// ---- names -------------------------------------------------------------------------------

dtc_rule!(
    DUPLICATE_NODE_NAMES,
    run_duplicate_node_names,
    "duplicate_node_names",
    Error,
    Always,
    "No two siblings have the same full name",
    "
Two children of one node with the same full name (`name@unit`) cannot both be addressed by
path: path lookups, overlays and `/aliases` find only the first. dtc merges such nodes when it
compiles source, so in a blob this means the blob was built or edited by something else.

Fix: rename or merge one of them. Severity error, as in dtc (an ERROR-type check: after it
fails, dtc itself stops running later checks; dtlens runs them all)."
);

dtc_rule!(
    DUPLICATE_PROPERTY_NAMES,
    run_duplicate_property_names,
    "duplicate_property_names",
    Error,
    Always,
    "No property appears twice in one node",
    "
A property defined twice in one node: readers (libfdt, the kernel) take the first, and
tools disagree about which one counts. dtc merges duplicates in source, so in a blob this
comes from another producer or a bad edit. Reported on the first occurrence, as dtc does.

Fix: delete the copy you do not mean."
);

dtc_rule!(
    NODE_NAME_CHARS,
    run_node_name_chars,
    "node_name_chars",
    Error,
    Always,
    "Node names use only letters, digits and `,._+-@`",
    "
dtc accepts node names made of `[A-Za-z0-9,._+-@]`. Any other character (a space, `/`, `:`)
cannot be written in DTS and breaks path lookups. Prerequisite of `node_name_format`,
`node_name_not_empty` and `node_name_vs_property_name`.

Fix: rename the node."
);

dtc_rule!(
    NODE_NAME_FORMAT,
    run_node_name_format,
    "node_name_format",
    Error,
    Always,
    "A node name has at most one `@`",
    "
A node name is `name@unit-address`; a second `@` makes the unit address ambiguous.

Fix: rename the node, e.g. `serial@1000` instead of `serial@1000@0`."
);

dtc_rule!(
    NODE_NAME_NOT_EMPTY,
    run_node_name_not_empty,
    "node_name_not_empty",
    Error,
    Always,
    "Every node but the root has a non-empty name",
    "
A non-root node whose base name is empty (`@1000`, or nothing at all) cannot be addressed by
path. dtc v1.8.0 added this check; dtc v1.6.1 does not have it.

Fix: give the node a name."
);

dtc_rule!(
    PROPERTY_NAME_CHARS,
    run_property_name_chars,
    "property_name_chars",
    Error,
    Always,
    "Property names use only letters, digits and `,._+*#?-`",
    "
dtc accepts property names made of `[A-Za-z0-9,._+*#?-]`; anything else cannot be written in
DTS, so the blob cannot round-trip through source.

Fix: rename the property (and whatever reads it)."
);

dtc_rule!(
    NAME_IS_STRING,
    run_name_is_string,
    "name_is_string",
    Error,
    Always,
    "A legacy `name` property is a string",
    "
Old (version < 16) blobs and Open Firmware carry a `name` property with the node's base name.
dtc requires it to be one NUL-terminated string. Prerequisite of `name_properties`.

Fix: delete the property (the node name already says it)."
);

dtc_rule!(
    NAME_PROPERTIES,
    run_name_properties,
    "name_properties",
    Error,
    Always,
    "A legacy `name` property equals the node's base name",
    "
dtc deletes a `name` property that equals the node's base name (it is redundant) and reports
one that differs: a reader that honours `name` (Open Firmware style) would see another name
than the path says.

Fix: delete the property."
);

dtc_rule!(
    NODE_NAME_VS_PROPERTY_NAME,
    run_node_name_vs_property_name,
    "node_name_vs_property_name",
    Warning,
    Always,
    "No node is named like a property of its parent",
    "
A child node whose full name equals a property name of its parent is legal in the blob but
ambiguous in DTS and in tools that address properties and nodes by the same path syntax.

Fix: rename the node or the property."
);

dtc_rule!(
    EXPLICIT_PHANDLES,
    run_explicit_phandles,
    "explicit_phandles",
    Error,
    Always,
    "`phandle`/`linux,phandle` are one valid cell, agree, and are unique",
    "
Every `phandle` (and legacy `linux,phandle`) must be one cell, neither 0 nor 0xffffffff (both
reserved), the two must agree when both are present, and no two nodes may share a phandle.
With a duplicate, every reference to that number goes to the first node in tree order -- the
second node is unreachable by phandle. It is also a prerequisite of every `*_property` check:
dtc skips all of them when this one fails.

Fix: give each node its own phandle (dtc numbers them itself when compiling `&label`s)."
);

// ---- property types ------------------------------------------------------------------------

dtc_rule!(
    ADDRESS_CELLS_IS_CELL,
    run_address_cells_is_cell,
    "address_cells_is_cell",
    Warning,
    Always,
    "`#address-cells` is one cell",
    "
`#address-cells` is a u32. With another length nobody can split the children's `reg`. dtc's
`addr_size_cells` (and through it `reg_format`, `ranges_format`, the bus checks and the
unit-address checks) does not run while this fails.

Fix: `#address-cells = <1>;` (or 2, or 3 for PCI)."
);

dtc_rule!(
    SIZE_CELLS_IS_CELL,
    run_size_cells_is_cell,
    "size_cells_is_cell",
    Warning,
    Always,
    "`#size-cells` is one cell",
    "
`#size-cells` is a u32. With another length nobody can split the children's `reg`. Like
`address_cells_is_cell`, a prerequisite of all the addressing checks.

Fix: `#size-cells = <1>;` (or 0, or 2)."
);

dtc_rule!(
    DEVICE_TYPE_IS_STRING,
    run_device_type_is_string,
    "device_type_is_string",
    Warning,
    Always,
    "`device_type` is a string",
    "
`device_type` (`\"cpu\"`, `\"memory\"`, `\"pci\"`) is one string; the kernel compares it as
such, so anything else makes `/memory` or a PCI bridge invisible. Prerequisite of `pci_bridge`.

Fix: `device_type = \"memory\";`"
);

dtc_rule!(
    MODEL_IS_STRING,
    run_model_is_string,
    "model_is_string",
    Warning,
    Always,
    "`model` is a string",
    "
`model` is one string naming the board or device.

Fix: `model = \"Vendor Board\";`"
);

dtc_rule!(
    STATUS_IS_STRING,
    run_status_is_string,
    "status_is_string",
    Warning,
    Always,
    "`status` is a string",
    "
`status` is one string (`\"okay\"`, `\"disabled\"`, ...). The kernel compares it as a string;
anything else is read as \"not okay\" by some consumers and ignored by others.

Fix: `status = \"okay\";`"
);

dtc_rule!(
    LABEL_IS_STRING,
    run_label_is_string,
    "label_is_string",
    Warning,
    Always,
    "`label` is a string",
    "
The `label` property (a human-readable name, not a DTS label) is one string.

Fix: `label = \"...\";`"
);

dtc_rule!(
    COMPATIBLE_IS_STRING_LIST,
    run_compatible_is_string_list,
    "compatible_is_string_list",
    Warning,
    Always,
    "`compatible` is a list of NUL-terminated strings",
    "
Drivers are matched on the `compatible` strings; a value whose last entry is not NUL-terminated
is not a string list and matches nothing (or garbage). Prerequisite of `simple_bus_bridge`
(and so of `simple_bus_reg` and `unit_address_format`).

Fix: `compatible = \"vendor,device\", \"generic\";`"
);

dtc_rule!(
    NAMES_IS_STRING_LIST,
    run_names_is_string_list,
    "names_is_string_list",
    Warning,
    Always,
    "Every `*-names` property is a string list",
    "
`clock-names`, `reg-names`, `interrupt-names`... name the entries of their companion property
by position; drivers look entries up by these strings. A value that does not end in NUL is not
a string list.

Fix: `clock-names = \"bus\", \"core\";`"
);

dtc_rule!(
    PROPERTY_NAME_CHARS_STRICT,
    run_property_name_chars_strict,
    "property_name_chars_strict",
    Warning,
    W2,
    "Property names use only letters, digits, `,` and `-` (style)",
    "
A style check, off in dtc unless named and on only at the kernel's `W=2`: property names
should use `[A-Za-z0-9,-]`, with `#` allowed at the start (after a vendor prefix's `,` too) and
`device_type` exempt. It flags Xen's own `nr_spis`, `max_grant_frames`, `xen,sci_type` and
`v8r_el1_msa`: those names are Xen's binding, not mistakes.

Fix (for new bindings): use `-` instead of `_`."
);

dtc_rule!(
    NODE_NAME_CHARS_STRICT,
    run_node_name_chars_strict,
    "node_name_chars_strict",
    Warning,
    W2,
    "Node base names use only letters, digits, `,` and `-` (style)",
    "
A style check, off in dtc unless named and on only at the kernel's `W=2`: the base name (before
`@`) should use `[A-Za-z0-9,-]`. Flags `cpupool_a` in the Xen docs and many `_` names in older
trees.

Fix: use `-` instead of `_`."
);

// ---- addressing ----------------------------------------------------------------------------

dtc_rule!(
    ADDR_SIZE_CELLS,
    run_addr_size_cells,
    "addr_size_cells",
    Warning,
    Always,
    "dtc's cell-size bookkeeping can run (both `*_is_cell` checks pass)",
    "
In dtc this is a fix-up that records each node's `#address-cells`/`#size-cells` (2 and 1 when
absent). It reports nothing itself; it fails only through its prerequisites
`address_cells_is_cell` and `size_cells_is_cell`, and then every addressing check after it is
skipped. This rule exists so that skip is visible."
);

dtc_rule!(
    REG_FORMAT,
    run_reg_format,
    "reg_format",
    Warning,
    Always,
    "`reg` is non-empty, not on the root, and a whole number of (address, size) entries",
    "
`reg` is split into entries of the *parent's* `#address-cells` + `#size-cells` cells (2 and 1
when the parent does not say). A length that is not a multiple of that, an empty `reg` or a
`reg` on the root means the OS cannot find the device's registers, or finds the wrong ones.

Fix: write `reg` with as many cells per entry as the parent declares, or fix the parent's
cells. dtc skips `simple_bus_reg`, `i2c_bus_reg`, `spi_bus_reg` and the PCI device checks while
this fails anywhere."
);

dtc_rule!(
    RANGES_FORMAT,
    run_ranges_format,
    "ranges_format",
    Warning,
    Always,
    "`ranges` is a whole number of (child, parent, size) entries",
    "
Each `ranges` entry is child address (`#address-cells` of this node) + parent address
(`#address-cells` of the parent) + size (`#size-cells` of this node). An empty `ranges` means
identity mapping and then requires the same cell counts on both sides. A wrong length breaks
address translation of every child.

Fix: write entries of the right width, or make the cell counts agree for an empty `ranges`."
);

dtc_rule!(
    DMA_RANGES_FORMAT,
    run_dma_ranges_format,
    "dma_ranges_format",
    Warning,
    Always,
    "`dma-ranges` is a whole number of (child, parent, size) entries",
    "
The same layout rule as `ranges_format`, for `dma-ranges` (how bus masters below this node see
memory). A wrong length gives devices wrong DMA addresses.

Fix: as for `ranges`."
);

dtc_rule!(
    UNIT_ADDRESS_VS_REG,
    run_unit_address_vs_reg,
    "unit_address_vs_reg",
    Warning,
    W1,
    "A node has a unit address exactly when it has `reg` (or non-empty `ranges`)",
    "
The DT spec: the unit address is the first address of `reg` (or of `ranges` for a bus), and a
node without either has no unit address. dtc warns both ways.

Contested: the kernel turns this check off by default (`-Wno-unit_address_vs_reg`, back on at
`W=1`), because many real nodes carry a unit address for other reasons. It fires on *every*
correct Xen tree: the binding, Xen, libxl and the Linux xenvm template all write
`hypervisor { reg = <...>; }` without a unit address, and Linux finds the node only by that
exact name (see `xen-node-name`). On `/hypervisor` this finding is expected and should not be
\"fixed\"; dtlens offers no rename there. The 2026 schema allows `hypervisor@<addr>` but Linux
code does not find it.

Fix elsewhere: name the node `name@<first reg address in hex>`, or drop a unit address that
has no `reg`."
);

dtc_rule!(
    UNIT_ADDRESS_FORMAT,
    run_unit_address_format,
    "unit_address_format",
    Warning,
    Always,
    "Unit addresses have no `0x` prefix and no leading zeros",
    "
Unit addresses are bare lower-case hex: `serial@1000`, not `serial@0x1000` or `serial@01000`.
Path lookups compare the text, so `/soc/serial@0x1000` and `/soc/serial@1000` are different
nodes to every tool. Skipped under PCI and simple-bus parents (their own checks compare the
value). The Xen docs' module examples use `module@0x...` and get this warning.

Fix: rename, e.g. `module@0x10000000` → `module@10000000`."
);

dtc_rule!(
    PCI_BRIDGE,
    run_pci_bridge,
    "pci_bridge",
    Warning,
    Always,
    "A `device_type = \"pci\"` node is a well-formed PCI bridge",
    "
For a node with `device_type = \"pci\"` dtc checks: the base name is `pci` or `pcie`, it has
`ranges`, `#address-cells = <3>`, `#size-cells = <2>`, and a `bus-range` (if any) is two cells,
ordered, at most 255. PCI addressing relies on all of these.

Fix: as the message says. Note that dtc skips `unit_address_format` and the PCI device
checks while this fails anywhere."
);

dtc_rule!(
    PCI_DEVICE_REG,
    run_pci_device_reg,
    "pci_device_reg",
    Warning,
    Always,
    "PCI children: config-space `reg` and unit address `dev[,func]`",
    "
A child of a PCI bridge has a `reg` whose first entry is a configuration-space address
(phys.hi with bits 24-31 and the register number 0, phys.mid and phys.lo 0), and its unit
address is `dev` or `dev,func` in hex from that address.

Fix: rename the node to the expected unit address, or correct `reg`."
);

dtc_rule!(
    PCI_DEVICE_BUS_NUM,
    run_pci_device_bus_num,
    "pci_device_bus_num",
    Warning,
    Always,
    "PCI children's bus number is within the bridge's `bus-range`",
    "
The bus number in a PCI child's `reg` (bits 16-23 of phys.hi) must lie in the parent's
`bus-range` (0-0 when absent).

dtc 1.6.1 compared against `bus-range`'s first cell twice (fixed in v1.7.0); dtlens uses the
real range."
);

dtc_rule!(
    SIMPLE_BUS_BRIDGE,
    run_simple_bus_bridge,
    "simple_bus_bridge",
    Warning,
    Always,
    "dtc's simple-bus marking can run",
    "
In dtc this marks nodes compatible with `simple-bus` so that `simple_bus_reg` knows their
children. It reports nothing itself and fails only through its prerequisites
(`addr_size_cells`, `compatible_is_string_list`); this rule shows that skip."
);

dtc_rule!(
    SIMPLE_BUS_REG,
    run_simple_bus_reg,
    "simple_bus_reg",
    Warning,
    W1,
    "simple-bus children's unit address equals their first `reg` (or `ranges`) address",
    "
Children of a `simple-bus` are memory-mapped: the unit address must be the first `reg` address
(or, for a child bus, the parent-side address of its first `ranges` entry), in hex, and a child
without `reg`/`ranges` has no place on the bus. The kernel turns this off by default
(`-Wno-simple_bus_reg`, on at `W=1`).

Fix: rename the node to the expected unit address (dtlens offers the rename)."
);

dtc_rule!(
    I2C_BUS_BRIDGE,
    run_i2c_bus_bridge,
    "i2c_bus_bridge",
    Warning,
    Always,
    "I2C buses have `#address-cells = <1>` and `#size-cells = <0>`",
    "
dtc treats nodes named `i2c` (unless they have `i2c-bus` children), `i2c-bus` or `i2c-arb` as
I2C buses; with children they need one address cell and no size cells.

dtc 1.6.1 compared the child's name with the wrong length, so it treated an `i2c` node with an
`i2c-bus` child as a bus too (fixed in v1.8.0)."
);

dtc_rule!(
    I2C_BUS_REG,
    run_i2c_bus_reg,
    "i2c_bus_reg",
    Warning,
    Always,
    "I2C children: `reg` present, unit address = address, 7-bit (or flagged 10-bit)",
    "
A device on an I2C bus needs `reg` with its bus address; the unit address is that address in
hex (bit 30, own-slave, ignored); addresses above 0x7f need bit 31 (10-bit) set and at most
0x3ff.

dtc 1.6.1 also rejected valid 10-bit addresses (fixed in v1.7.1)."
);

dtc_rule!(
    SPI_BUS_BRIDGE,
    run_spi_bus_bridge,
    "spi_bus_bridge",
    Warning,
    Always,
    "SPI buses are named `spi` and have `#address-cells = <1>`, `#size-cells = <0>`",
    "
dtc treats nodes named `spi`, and nodes with 1/0 cells whose children have `spi-*` properties,
as SPI buses. A detected bus with `reg` should be named `spi`; with children it needs one
address cell (none with `spi-slave`) and no size cells."
);

dtc_rule!(
    SPI_BUS_REG,
    run_spi_bus_reg,
    "spi_bus_reg",
    Warning,
    Always,
    "SPI children: `reg` (chip select) present and equal to the unit address",
    "
A device on an SPI bus (not in `spi-slave` mode) needs `reg` with its chip select; the unit
address is that number in hex.

Fix: rename the node to the chip select, or fix `reg`."
);

dtc_rule!(
    AVOID_DEFAULT_ADDR_SIZE,
    run_avoid_default_addr_size,
    "avoid_default_addr_size",
    Warning,
    Always,
    "A parent of nodes with `reg`/`ranges` declares its cell sizes",
    "
When a node has `reg` or `ranges` but its parent has no `#address-cells`/`#size-cells`, readers
fall back to defaults that differ between implementations (dtc and the spec: 2/1; Linux's
flattened-tree code uses 1/1 at the root; Xen inherits from ancestors). Say it explicitly.
dtc skips `avoid_unnecessary_addr_size` and `unique_unit_address` while this fails.

Fix: add `#address-cells` and `#size-cells` to the parent."
);

dtc_rule!(
    AVOID_UNNECESSARY_ADDR_SIZE,
    run_avoid_unnecessary_addr_size,
    "avoid_unnecessary_addr_size",
    Warning,
    W1,
    "Cell sizes are declared only where a child has `reg`/`ranges` or the node has `ranges`",
    "
`#address-cells`/`#size-cells` on a node with children, none of which has `reg` or `ranges`,
and no `ranges`/`dma-ranges` of its own, describe nothing. The kernel turns this off by default
(`-Wno-avoid_unnecessary_addr_size`, on at `W=1`).

dtc 1.6.1 did not exempt `dma-ranges` or children with only `ranges` (relaxed in v1.8.0).

Fix: delete the two properties."
);

dtc_rule!(
    UNIQUE_UNIT_ADDRESS,
    run_unique_unit_address,
    "unique_unit_address",
    Warning,
    W2,
    "No two siblings share a unit address",
    "
Two children with the same unit address (`a@1000` and `b@1000`) claim the same place on the
bus. Sometimes legitimate (alternative configurations, one of them disabled), so the kernel
turns this off below `W=2` and uses `unique_unit_address_if_enabled` at `W=1`. dtc runs it by
default. Reported on the earlier node, naming the later one, as dtc does.

Fix: correct the address, or disable all but one of the nodes."
);

dtc_rule!(
    UNIQUE_UNIT_ADDRESS_IF_ENABLED,
    run_unique_unit_address_if_enabled,
    "unique_unit_address_if_enabled",
    Warning,
    W1,
    "No two enabled siblings share a unit address",
    "
As `unique_unit_address`, ignoring nodes with `status = \"disabled\"`. Off in dtc unless named;
the kernel turns it on at `W=1`.

Fix: correct the address, or disable all but one of the nodes."
);

// ---- /chosen ---------------------------------------------------------------------------------

dtc_rule!(
    OBSOLETE_CHOSEN_INTERRUPT_CONTROLLER,
    run_obsolete_chosen_interrupt_controller,
    "obsolete_chosen_interrupt_controller",
    Warning,
    Always,
    "/chosen has no `interrupt-controller` property",
    "
An `interrupt-controller` property in `/chosen` is an obsolete Open Firmware convention; it also
makes `/chosen` look like an interrupt provider to tools.

dtc reports it as `/:interrupt-controller` (on the root, with /chosen's property); dtlens
reports it on /chosen, where it is.

Fix: delete it."
);

dtc_rule!(
    CHOSEN_NODE_IS_ROOT,
    run_chosen_node_is_root,
    "chosen_node_is_root",
    Warning,
    Always,
    "A node named `chosen` is a child of the root",
    "
The OS and Xen read only `/chosen`; a `chosen` node elsewhere (for example under a dom0less
domain) is not read as boot parameters.

Fix: move it to the root."
);

dtc_rule!(
    CHOSEN_NODE_BOOTARGS,
    run_chosen_node_bootargs,
    "chosen_node_bootargs",
    Warning,
    Always,
    "`bootargs` in a `chosen` node is a string",
    "
`bootargs` is the kernel command line: one NUL-terminated string. Anything else is read as
garbage or as an empty command line.

Fix: `bootargs = \"console=ttyAMA0 root=/dev/vda\";`"
);

dtc_rule!(
    CHOSEN_NODE_STDOUT_PATH,
    run_chosen_node_stdout_path,
    "chosen_node_stdout_path",
    Warning,
    Always,
    "`stdout-path` is a string; `linux,stdout-path` is deprecated",
    "
`stdout-path` (a path or alias, optionally `:options`) selects the console: one string. The old
`linux,stdout-path` is deprecated in favour of it (and then checked as a string too).

Fix: `stdout-path = \"serial0:115200n8\";`"
);

// ---- phandle + args ----------------------------------------------------------------------------

provider_rules!(
    CLOCKS_IS_CELL,
    run_clocks_is_cell,
    CLOCKS_PROPERTY,
    run_clocks_property,
    "clocks",
    "clocks_is_cell",
    "clocks_property",
    "clocks",
    "#clock-cells",
    ""
);
provider_rules!(
    COOLING_DEVICE_IS_CELL,
    run_cooling_device_is_cell,
    COOLING_DEVICE_PROPERTY,
    run_cooling_device_property,
    "cooling_device",
    "cooling_device_is_cell",
    "cooling_device_property",
    "cooling-device",
    "#cooling-cells",
    ""
);
provider_rules!(
    DMAS_IS_CELL,
    run_dmas_is_cell,
    DMAS_PROPERTY,
    run_dmas_property,
    "dmas",
    "dmas_is_cell",
    "dmas_property",
    "dmas",
    "#dma-cells",
    ""
);
provider_rules!(
    HWLOCKS_IS_CELL,
    run_hwlocks_is_cell,
    HWLOCKS_PROPERTY,
    run_hwlocks_property,
    "hwlocks",
    "hwlocks_is_cell",
    "hwlocks_property",
    "hwlocks",
    "#hwlock-cells",
    ""
);
provider_rules!(
    INTERRUPTS_EXTENDED_IS_CELL,
    run_interrupts_extended_is_cell,
    INTERRUPTS_EXTENDED_PROPERTY,
    run_interrupts_extended_property,
    "interrupts_extended",
    "interrupts_extended_is_cell",
    "interrupts_extended_property",
    "interrupts-extended",
    "#interrupt-cells",
    ""
);
provider_rules!(
    IO_CHANNELS_IS_CELL,
    run_io_channels_is_cell,
    IO_CHANNELS_PROPERTY,
    run_io_channels_property,
    "io_channels",
    "io_channels_is_cell",
    "io_channels_property",
    "io-channels",
    "#io-channel-cells",
    ""
);
provider_rules!(
    IOMMUS_IS_CELL,
    run_iommus_is_cell,
    IOMMUS_PROPERTY,
    run_iommus_property,
    "iommus",
    "iommus_is_cell",
    "iommus_property",
    "iommus",
    "#iommu-cells",
    " (Xen's grant DMA binding uses `iommus = <&xen_grant_dma domid>` with `#iommu-cells = <1>`)"
);
provider_rules!(
    MBOXES_IS_CELL,
    run_mboxes_is_cell,
    MBOXES_PROPERTY,
    run_mboxes_property,
    "mboxes",
    "mboxes_is_cell",
    "mboxes_property",
    "mboxes",
    "#mbox-cells",
    ""
);
provider_rules!(
    MSI_PARENT_IS_CELL,
    run_msi_parent_is_cell,
    MSI_PARENT_PROPERTY,
    run_msi_parent_property,
    "msi_parent",
    "msi_parent_is_cell",
    "msi_parent_property",
    "msi-parent",
    "#msi-cells",
    " (optional here: without it the entry has no argument cells)"
);
provider_rules!(
    MUX_CONTROLS_IS_CELL,
    run_mux_controls_is_cell,
    MUX_CONTROLS_PROPERTY,
    run_mux_controls_property,
    "mux_controls",
    "mux_controls_is_cell",
    "mux_controls_property",
    "mux-controls",
    "#mux-control-cells",
    ""
);
provider_rules!(
    PHYS_IS_CELL,
    run_phys_is_cell,
    PHYS_PROPERTY,
    run_phys_property,
    "phys",
    "phys_is_cell",
    "phys_property",
    "phys",
    "#phy-cells",
    ""
);
provider_rules!(
    POWER_DOMAINS_IS_CELL,
    run_power_domains_is_cell,
    POWER_DOMAINS_PROPERTY,
    run_power_domains_property,
    "power_domains",
    "power_domains_is_cell",
    "power_domains_property",
    "power-domains",
    "#power-domain-cells",
    ""
);
provider_rules!(
    PWMS_IS_CELL,
    run_pwms_is_cell,
    PWMS_PROPERTY,
    run_pwms_property,
    "pwms",
    "pwms_is_cell",
    "pwms_property",
    "pwms",
    "#pwm-cells",
    ""
);
provider_rules!(
    RESETS_IS_CELL,
    run_resets_is_cell,
    RESETS_PROPERTY,
    run_resets_property,
    "resets",
    "resets_is_cell",
    "resets_property",
    "resets",
    "#reset-cells",
    ""
);
provider_rules!(
    SOUND_DAI_IS_CELL,
    run_sound_dai_is_cell,
    SOUND_DAI_PROPERTY,
    run_sound_dai_property,
    "sound_dai",
    "sound_dai_is_cell",
    "sound_dai_property",
    "sound-dai",
    "#sound-dai-cells",
    ""
);
provider_rules!(
    THERMAL_SENSORS_IS_CELL,
    run_thermal_sensors_is_cell,
    THERMAL_SENSORS_PROPERTY,
    run_thermal_sensors_property,
    "thermal_sensors",
    "thermal_sensors_is_cell",
    "thermal_sensors_property",
    "thermal-sensors",
    "#thermal-sensor-cells",
    ""
);

dtc_rule!(
    DEPRECATED_GPIO_PROPERTY,
    run_deprecated_gpio_property,
    "deprecated_gpio_property",
    Warning,
    Explicit,
    "GPIO properties are named `*-gpios`, not `*-gpio`",
    "
`gpio` and `*-gpio` are the deprecated singular forms of `gpios`/`*-gpios`. Off in dtc and in
the kernel's builds; on only when named (`-W dtc-deprecated_gpio_property`).

Fix: rename the property (and check the driver accepts the plural form)."
);

dtc_rule!(
    GPIOS_PROPERTY,
    run_gpios_property,
    "gpios_property",
    Warning,
    Always,
    "`*-gpios` entries fit their controllers' `#gpio-cells`",
    "
Like the other phandle + specifier checks, for every property named `gpios`, `gpio`, `*-gpios`
or `*-gpio` (except `*,nr-gpios`, a count), against `#gpio-cells`. GPIO hogs (nodes with
`gpio-hog`) are skipped: their `gpios` has no phandle.

dtc applies the name pattern everywhere, so a `/__symbols__` entry for a label called `gpio`
(a path string) is reported too; so does dtlens, to match it."
);

dtc_rule!(
    INTERRUPTS_PROPERTY,
    run_interrupts_property,
    "interrupts_property",
    Warning,
    Always,
    "`interrupts` has an interrupt parent and a multiple of its `#interrupt-cells`",
    "
For a node with `interrupts` dtc finds the interrupt parent as the kernel does: the nearest
`interrupt-parent` on the node or its ancestors, unless an ancestor on the way is itself an
interrupt controller or nexus. The phandle must be valid and point to a node with
`interrupt-controller` or `interrupt-map`, and `interrupts` must be a multiple of that node's
`#interrupt-cells`. Otherwise the interrupt is not routed, or routed to the wrong line.

Fix: add or correct `interrupt-parent`, or write specifiers of the parent's width."
);

dtc_rule!(
    INTERRUPT_PROVIDER,
    run_interrupt_provider,
    "interrupt_provider",
    Warning,
    Always,
    "Interrupt providers have `#interrupt-cells`, and only they do",
    "
A node with `interrupt-controller` or `interrupt-map` must say how wide its specifiers are
(`#interrupt-cells`), and a node with `#interrupt-cells` but neither is suspicious (v1.7.0 and
later). The kernel once turned this check off and has turned it back on.

dtc 1.6.1 instead also demanded `#address-cells` on every interrupt provider (dropped in
v1.7.0, since only `interrupt-map` parents need it); that is the most frequent dtc 1.6.1
warning on real trees and dtlens does not report it (`interrupt_map` covers the real need).

Fix: add `#interrupt-cells = <N>;`, or delete a stray one."
);

dtc_rule!(
    INTERRUPT_MAP,
    run_interrupt_map,
    "interrupt_map",
    Warning,
    Always,
    "`interrupt-map` rows are well formed",
    "
Each `interrupt-map` row is child unit address (`#address-cells`) + child specifier
(`#interrupt-cells`), a parent phandle, then parent unit address (the parent's `#address-cells`,
0 if absent -- warned) + parent specifier (the parent's `#interrupt-cells`). dtc checks that the
nexus has `#address-cells`, `interrupt-map-mask` has the child width, every phandle resolves to
a node with `#interrupt-cells`, and the rows add up. A wrong row shifts every row after it.
Added in dtc v1.7.0 (not in 1.6.1).

Fix: write rows of the widths above."
);

dtc_rule!(
    ALIAS_PATHS,
    run_alias_paths,
    "alias_paths",
    Warning,
    W1,
    "Aliases point to existing nodes and have lower-case names",
    "
Every property of an `aliases` node must be a path to an existing node, and alias names use
only `[a-z0-9-]` (the OS derives device numbers like `serial0` from them). The kernel turns this
off by default (`-Wno-alias_paths`, on at `W=1`).

Fix: correct the path, or rename the alias in lower case."
);

// ---- OF graph --------------------------------------------------------------------------------

dtc_rule!(
    GRAPH_NODES,
    run_graph_nodes,
    "graph_nodes",
    Warning,
    Always,
    "OF-graph endpoints are not children of the root",
    "
dtc marks nodes with `endpoint` children (or children with `remote-endpoint`) as graph ports,
for `graph_port` and `graph_endpoint`. Since v1.8.0 it also reports an endpoint directly under
the root, usually a misplaced `remote-endpoint` (dtc 1.6.1 crashes on such a tree)."
);

dtc_rule!(
    GRAPH_CHILD_ADDRESS,
    run_graph_child_address,
    "graph_child_address",
    Warning,
    W1,
    "A graph node with a single child at address 0 needs no cell sizes",
    "
A `ports` or `port` node whose only child has `reg = <0>` (or none) does not need
`#address-cells`/`#size-cells`. dtc 1.6.1 has this check; dtc v1.8.0 removed it. The kernel
turns it off by default (`-Wno-graph_child_address`; newer kernels only at `W=2`).

Fix: drop the unit address and the two cell properties."
);

dtc_rule!(
    GRAPH_PORT,
    run_graph_port,
    "graph_port",
    Warning,
    Always,
    "Graph ports are named `port` with a matching one-cell `reg`",
    "
A node holding endpoints is a port: it should be named `port` (or `port@N`), and a `reg` must be
one cell equal to the unit address, under a parent with `#address-cells = <1>` and
`#size-cells = <0>`.

Difference: when some `#address-cells`/`#size-cells` in the tree is not one cell, dtc's cell
bookkeeping (`addr_size_cells`) does not run and this check then reads every parent's cells
as 0 (\"'#address-cells' is 0, must be 1\"); dtlens reads the real values."
);

dtc_rule!(
    GRAPH_ENDPOINT,
    run_graph_endpoint,
    "graph_endpoint",
    Warning,
    Always,
    "Graph endpoints are named `endpoint` and link both ways",
    "
Children of a port are endpoints: named `endpoint` (or `endpoint@N`, with `reg` as for ports),
and `remote-endpoint` must point to an endpoint whose `remote-endpoint` points back. A one-way
link means one side of a display or camera pipeline is never connected. (On `reg`, the same
difference from dtc as `graph_port` when cell sizes elsewhere are broken.)

Fix: add the missing `remote-endpoint` on the other side."
);

/// This family's rules, in dtc's table order (catalog §G).
pub static RULES: &[&Rule] = &[
    &DUPLICATE_NODE_NAMES,
    &DUPLICATE_PROPERTY_NAMES,
    &NODE_NAME_CHARS,
    &NODE_NAME_FORMAT,
    &NODE_NAME_NOT_EMPTY,
    &PROPERTY_NAME_CHARS,
    &NAME_IS_STRING,
    &NAME_PROPERTIES,
    &NODE_NAME_VS_PROPERTY_NAME,
    &EXPLICIT_PHANDLES,
    &ADDRESS_CELLS_IS_CELL,
    &SIZE_CELLS_IS_CELL,
    &DEVICE_TYPE_IS_STRING,
    &MODEL_IS_STRING,
    &STATUS_IS_STRING,
    &LABEL_IS_STRING,
    &COMPATIBLE_IS_STRING_LIST,
    &NAMES_IS_STRING_LIST,
    &PROPERTY_NAME_CHARS_STRICT,
    &NODE_NAME_CHARS_STRICT,
    &ADDR_SIZE_CELLS,
    &REG_FORMAT,
    &RANGES_FORMAT,
    &DMA_RANGES_FORMAT,
    &UNIT_ADDRESS_VS_REG,
    &UNIT_ADDRESS_FORMAT,
    &PCI_BRIDGE,
    &PCI_DEVICE_REG,
    &PCI_DEVICE_BUS_NUM,
    &SIMPLE_BUS_BRIDGE,
    &SIMPLE_BUS_REG,
    &I2C_BUS_BRIDGE,
    &I2C_BUS_REG,
    &SPI_BUS_BRIDGE,
    &SPI_BUS_REG,
    &AVOID_DEFAULT_ADDR_SIZE,
    &AVOID_UNNECESSARY_ADDR_SIZE,
    &UNIQUE_UNIT_ADDRESS,
    &UNIQUE_UNIT_ADDRESS_IF_ENABLED,
    &OBSOLETE_CHOSEN_INTERRUPT_CONTROLLER,
    &CHOSEN_NODE_IS_ROOT,
    &CHOSEN_NODE_BOOTARGS,
    &CHOSEN_NODE_STDOUT_PATH,
    &CLOCKS_PROPERTY,
    &CLOCKS_IS_CELL,
    &COOLING_DEVICE_PROPERTY,
    &COOLING_DEVICE_IS_CELL,
    &DMAS_PROPERTY,
    &DMAS_IS_CELL,
    &HWLOCKS_PROPERTY,
    &HWLOCKS_IS_CELL,
    &INTERRUPTS_EXTENDED_PROPERTY,
    &INTERRUPTS_EXTENDED_IS_CELL,
    &IO_CHANNELS_PROPERTY,
    &IO_CHANNELS_IS_CELL,
    &IOMMUS_PROPERTY,
    &IOMMUS_IS_CELL,
    &MBOXES_PROPERTY,
    &MBOXES_IS_CELL,
    &MSI_PARENT_PROPERTY,
    &MSI_PARENT_IS_CELL,
    &MUX_CONTROLS_PROPERTY,
    &MUX_CONTROLS_IS_CELL,
    &PHYS_PROPERTY,
    &PHYS_IS_CELL,
    &POWER_DOMAINS_PROPERTY,
    &POWER_DOMAINS_IS_CELL,
    &PWMS_PROPERTY,
    &PWMS_IS_CELL,
    &RESETS_PROPERTY,
    &RESETS_IS_CELL,
    &SOUND_DAI_PROPERTY,
    &SOUND_DAI_IS_CELL,
    &THERMAL_SENSORS_PROPERTY,
    &THERMAL_SENSORS_IS_CELL,
    &DEPRECATED_GPIO_PROPERTY,
    &GPIOS_PROPERTY,
    &INTERRUPTS_PROPERTY,
    &INTERRUPT_PROVIDER,
    &INTERRUPT_MAP,
    &ALIAS_PATHS,
    &GRAPH_NODES,
    &GRAPH_CHILD_ADDRESS,
    &GRAPH_PORT,
    &GRAPH_ENDPOINT,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{run, Level};
    use crate::dts::layout::{phandle_layout, PhandleLayout};
    use crate::tree::{Property, Tree};

    fn cells(v: &[u32]) -> Vec<u8> {
        v.iter().flat_map(|c| c.to_be_bytes()).collect()
    }

    #[test]
    fn every_rule_is_a_dtc_check_with_known_prereqs() {
        assert_eq!(RULES.len(), 85);
        for r in RULES {
            let name = check_name(r.id).unwrap();
            for p in prereqs(name) {
                let known = RULES.iter().any(|x| check_name(x.id) == Some(p)) || *p == "phandle_references";
                assert!(known, "{name}: unknown prerequisite {p}");
            }
            assert_eq!(r.severity == Severity::Error, ERRORS.contains(&name), "{name}");
        }
        // Off-by-default in dtc: only the kernel levels or an explicit -W turn them on.
        for (id, at) in [
            ("dtc-node_name_chars_strict", EnabledAt::W2),
            ("dtc-property_name_chars_strict", EnabledAt::W2),
            ("dtc-unique_unit_address", EnabledAt::W2),
            ("dtc-unique_unit_address_if_enabled", EnabledAt::W1),
            ("dtc-unit_address_vs_reg", EnabledAt::W1),
            ("dtc-simple_bus_reg", EnabledAt::W1),
            ("dtc-alias_paths", EnabledAt::W1),
            ("dtc-avoid_unnecessary_addr_size", EnabledAt::W1),
            ("dtc-graph_child_address", EnabledAt::W1),
            ("dtc-deprecated_gpio_property", EnabledAt::Explicit),
            ("dtc-reg_format", EnabledAt::Always),
        ] {
            assert_eq!(crate::check::find(id).map(|r| r.enabled_at), Some(at), "{id}");
        }
        let c = dtc_defaults();
        let on = |id: &str| c.is_enabled(crate::check::find(id).unwrap());
        assert!(on("dtc-unique_unit_address") && on("dtc-unit_address_vs_reg") && on("dtc-reg_format"));
        assert!(!on("dtc-unique_unit_address_if_enabled") && !on("dtc-node_name_chars_strict"));
        assert!(!on("dtc-deprecated_gpio_property"));
    }

    #[test]
    fn provider_cells_come_from_the_printer_layouts() {
        for &(_, prop, optional) in PROVIDERS {
            match phandle_layout(prop) {
                Some(PhandleLayout::Args { cells_prop, default }) => {
                    assert_eq!(cells_name(prop), cells_prop);
                    assert_eq!(default.is_some(), optional, "{prop}");
                }
                other => panic!("{prop}: {other:?}"),
            }
        }
    }

    #[test]
    fn failed_prerequisite_skips_and_says_so() {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", vec![0, 0, 1]));
        t.node_mut(r).props.push(Property::new("#size-cells", cells(&[1])));
        let n = t.add_child(r, "dev@0");
        t.node_mut(n).props.push(Property::new("reg", cells(&[0, 1, 2])));
        let c = Config { level: Level::W2, ..Config::default() };
        let f = run(&t, &c);
        let of = |id: &str| f.iter().filter(|x| x.rule == id).collect::<Vec<_>>();
        assert_eq!(of("dtc-address_cells_is_cell").len(), 1);
        let reg = of("dtc-reg_format");
        assert_eq!(reg.len(), 1, "{f:#?}");
        assert_eq!(reg[0].severity, Severity::Info);
        assert!(reg[0].message.contains("'addr_size_cells'"), "{}", reg[0].message);
        assert!(of("dtc-addr_size_cells")[0].message.contains("'address_cells_is_cell'"));
        // With the cells fixed, the real reg_format finding appears.
        t.node_mut(r).props[0].value = cells(&[1]);
        let f = run(&t, &c);
        let reg: Vec<_> = f.iter().filter(|x| x.rule == "dtc-reg_format").collect();
        assert_eq!(reg.len(), 1);
        assert_eq!(reg[0].severity, Severity::Warning);
        assert_eq!(
            reg[0].message,
            "reg is 12 bytes, not a multiple of 8 bytes (#address-cells 1 + #size-cells 1 of /)"
        );
    }

    #[test]
    fn never_panics_on_odd_values() {
        let mut t = Tree::new();
        let r = t.root;
        for (n, v) in [
            ("#address-cells", vec![0xff; 4]),
            ("#size-cells", vec![0x80, 0, 0, 0]),
            ("reg", vec![1]),
            ("interrupt-map", vec![0; 9]),
            ("interrupt-controller", vec![]),
            ("#interrupt-cells", cells(&[u32::MAX])),
        ] {
            t.node_mut(r).props.push(Property::new(n, v));
        }
        let pci = t.add_child(r, "pci@0");
        t.node_mut(pci).props.push(Property::new("device_type", b"pci\0".to_vec()));
        t.node_mut(pci).props.push(Property::new("bus-range", vec![1]));
        let dev = t.add_child(pci, "dev@1,2@3");
        t.node_mut(dev).props.push(Property::new("reg", vec![]));
        t.node_mut(dev).props.push(Property::new("clocks", cells(&[7, 1, 2])));
        t.node_mut(dev).props.push(Property::new("phandle", cells(&[7])));
        t.node_mut(dev).props.push(Property::new("#clock-cells", cells(&[u32::MAX])));
        t.node_mut(dev).props.push(Property::new("interrupts", vec![1, 2, 3, 4, 5]));
        t.node_mut(dev).props.push(Property::new("interrupt-parent", vec![9]));
        let a = t.add_child(r, "aliases");
        t.node_mut(a).props.push(Property::new("x", vec![b'/', 0xff]));
        t.node_mut(a).props.push(Property::new("y", vec![]));
        let ep = t.add_child(r, "endpoint");
        t.node_mut(ep).props.push(Property::new("remote-endpoint", cells(&[7])));
        t.add_child(r, "");
        t.add_child(r, "@");
        let c = Config { level: Level::W2, ..Config::default() };
        let _ = run(&t, &c);
        let mut c = c;
        c.set("dtc", Override::Warning);
        let f = run(&t, &c);
        assert!(f.iter().any(|x| x.rule == "dtc-node_name_not_empty"), "{f:#?}");
    }
}
