//! The dtc checks themselves, on a [`Context`], with dtc's prerequisite semantics.
//!
//! dtc runs each check over the whole tree; a check whose prerequisites did not all pass
//! anywhere in the tree is not run at all (dtc prints `Failed prerequisite 'X'`). [`D`] is
//! built once per rule invocation and memoises, for that invocation, the status of every
//! check it had to probe, the phandle map as dtc builds it (`phandle`, else `linux,phandle`,
//! first node wins, 0 and 0xffffffff never) and the bus type dtc's "bridge" checks attach
//! to nodes. Every piece is linear in the tree (or in the nodes carrying one property), so
//! a rule costs a small constant number of passes.
//!
//! Nothing here indexes without a bound: dtc itself reads past short values in a few places
//! (`pci_device_reg`, `simple_bus_reg` on a short `ranges`); there we report nothing.

use std::cell::{OnceCell, RefCell};
/// The checks' maps are keyed by names and numbers from the tree being checked; a collision
/// only costs time, so they use the indexes' fast hasher rather than SipHash.
type HashMap<K, V> = std::collections::HashMap<K, V, crate::check::context::FastHash>;

use crate::check::{describe_bytes, Context, Finding, Fix, Out, Severity};
use crate::dts::layout::{phandle_layout, PhandleLayout};
use crate::tree::{Node, NodeId};

/// A check's outcome over the whole tree, as dtc records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    /// Not run: a prerequisite did not pass.
    Prereq,
}

/// dtc's ERROR-type checks (everything else is a warning, or off by default).
pub const ERRORS: &[&str] = &[
    "duplicate_node_names",
    "duplicate_property_names",
    "node_name_chars",
    "node_name_format",
    "node_name_not_empty",
    "property_name_chars",
    "name_is_string",
    "name_properties",
    "explicit_phandles",
    "phandle_references",
];

/// The phandle + specifier checks: (check name prefix, property, `#…-cells` optional).
/// The `#…-cells` name comes from the printer's layout table ([`phandle_layout`]).
pub const PROVIDERS: &[(&str, &str, bool)] = &[
    ("clocks", "clocks", false),
    ("cooling_device", "cooling-device", false),
    ("dmas", "dmas", false),
    ("hwlocks", "hwlocks", false),
    ("interrupts_extended", "interrupts-extended", false),
    ("io_channels", "io-channels", false),
    ("iommus", "iommus", false),
    ("mboxes", "mboxes", false),
    ("msi_parent", "msi-parent", true),
    ("mux_controls", "mux-controls", false),
    ("phys", "phys", false),
    ("power_domains", "power-domains", false),
    ("pwms", "pwms", false),
    ("resets", "resets", false),
    ("sound_dai", "sound-dai", false),
    ("thermal_sensors", "thermal-sensors", false),
];

/// The `#…-cells` property of a phandle + specifier property, from the layout table.
pub fn cells_name(prop: &str) -> &'static str {
    match phandle_layout(prop) {
        Some(PhandleLayout::Args { cells_prop, .. }) => cells_prop,
        _ => "",
    }
}

/// dtc's prerequisites of each check (v1.8.1 table; `graph_child_address` from v1.6.1).
pub fn prereqs(name: &str) -> &'static [&'static str] {
    match name {
        "node_name_format" | "node_name_not_empty" | "node_name_vs_property_name" => &["node_name_chars"],
        "name_properties" => &["name_is_string"],
        "phandle_references" => &["duplicate_node_names", "explicit_phandles"],
        "addr_size_cells" => &["address_cells_is_cell", "size_cells_is_cell"],
        "reg_format"
        | "ranges_format"
        | "dma_ranges_format"
        | "i2c_bus_bridge"
        | "spi_bus_bridge"
        | "avoid_default_addr_size" => &["addr_size_cells"],
        "unit_address_format" => &["node_name_format", "pci_bridge", "simple_bus_bridge"],
        "pci_bridge" => &["device_type_is_string", "addr_size_cells"],
        "pci_device_reg" | "pci_device_bus_num" => &["reg_format", "pci_bridge"],
        "simple_bus_bridge" => &["addr_size_cells", "compatible_is_string_list"],
        "simple_bus_reg" => &["reg_format", "simple_bus_bridge"],
        "i2c_bus_reg" => &["reg_format", "i2c_bus_bridge"],
        "spi_bus_reg" => &["reg_format", "spi_bus_bridge"],
        "avoid_unnecessary_addr_size" | "unique_unit_address" | "unique_unit_address_if_enabled" => {
            &["avoid_default_addr_size"]
        }
        "gpios_property" | "interrupts_property" => &["phandle_references"],
        "interrupt_provider" => &["interrupts_extended_is_cell"],
        "interrupt_map" => &["phandle_references", "addr_size_cells", "interrupt_provider"],
        "graph_child_address" | "graph_port" | "graph_endpoint" => &["graph_nodes"],
        _ => match name.strip_suffix("_property") {
            Some(p) if PROVIDERS.iter().any(|(n, _, _)| *n == p) => {
                PROVIDER_PREREQS.iter().find(|(n, _)| *n == p).map_or(&["phandle_references"][..], |(_, v)| *v)
            }
            _ => &[],
        },
    }
}

macro_rules! provider_prereqs {
    ($($n:literal),*) => { &[$(($n, &[concat!($n, "_is_cell"), "phandle_references"])),*] };
}

const PROVIDER_PREREQS: &[(&str, &[&str])] = provider_prereqs!(
    "clocks",
    "cooling_device",
    "dmas",
    "hwlocks",
    "interrupts_extended",
    "io_channels",
    "iommus",
    "mboxes",
    "msi_parent",
    "mux_controls",
    "phys",
    "power_domains",
    "pwms",
    "resets",
    "sound_dai",
    "thermal_sensors"
);

/// Where a check's failures go: the rule's [`Out`], or nowhere (probing a prerequisite).
pub struct Sink<'a, 't> {
    out: Option<&'a mut Out<'t>>,
    sev: Severity,
    pub failed: bool,
}

impl<'a, 't> Sink<'a, 't> {
    fn probe() -> Self {
        Sink { out: None, sev: Severity::Warning, failed: false }
    }

    pub fn to(out: &'a mut Out<'t>, sev: Severity) -> Self {
        Sink { out: Some(out), sev, failed: false }
    }

    fn fail(&mut self, node: NodeId, prop: Option<&str>, msg: impl Into<String>) -> Option<&mut Finding> {
        self.failed = true;
        let sev = self.sev;
        self.out.as_mut().map(|o| o.push(sev, node, prop, msg))
    }

    /// Probing and already failed: the rest cannot change the status.
    fn done(&self) -> bool {
        self.out.is_none() && self.failed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bus {
    Pci,
    Simple,
    I2c,
    Spi,
    GraphPort,
    GraphPorts,
}

/// Bus marks as each reader sees them: dtc's bridges run in table order (pci, simple-bus,
/// i2c, spi, graph), so a reader earlier in the table sees only the earlier marks.
struct Buses {
    /// After `pci_bridge` and `simple_bus_bridge` (seen by unit_address_format, pci_*, simple_bus_reg).
    a: Vec<Option<Bus>>,
    /// After `i2c_bus_bridge`.
    b: Vec<Option<Bus>>,
    /// After `spi_bus_bridge`.
    c: Vec<Option<Bus>>,
    /// After `graph_nodes`.
    d: Vec<Option<Bus>>,
}

/// What the rules of one tree share: check statuses, dtc's phandle map, bus marks. Kept in
/// the [`Context`] (`dtc_memo`), so each is computed once per tree, not once per rule.
#[derive(Default)]
pub struct Memo {
    status: RefCell<HashMap<&'static str, Status>>,
    phandles: OnceCell<HashMap<u32, NodeId>>,
    buses: OnceCell<Buses>,
    /// Per parent (arena index): how many children carry each full name (for rename fixes).
    names: RefCell<HashMap<usize, HashMap<String, usize>>>,
}

enum MemoRef<'c> {
    Shared(&'c Memo),
    Own(Box<Memo>),
}

/// One rule's view: the context and the tree's memo.
pub struct D<'c, 't> {
    pub ctx: &'c Context<'t>,
    memo: MemoRef<'c>,
}

fn base(name: &str) -> &str {
    name.split_once('@').map_or(name, |(b, _)| b)
}

fn unit(name: &str) -> &str {
    name.split_once('@').map_or("", |(_, u)| u)
}

/// The bytes up to the first NUL (a C string view of a value).
fn cstr(v: &[u8]) -> &[u8] {
    v.iter().position(|&b| b == 0).map_or(v, |i| &v[..i])
}

fn cstr_text(v: &[u8]) -> String {
    String::from_utf8_lossy(cstr(v)).into_owned()
}

/// dtc's "one string": non-empty, NUL-terminated, no NUL before the end.
fn is_one_string(v: &[u8]) -> bool {
    match v.split_last() {
        Some((0, body)) => !body.contains(&0),
        _ => false,
    }
}

/// dtc's "string list": every entry NUL-terminated (an empty value passes).
fn is_string_list(v: &[u8]) -> bool {
    v.is_empty() || v.last() == Some(&0)
}

fn cell(v: &[u8], i: usize) -> Option<u32> {
    let b = v.get(i.checked_mul(4)?..i.checked_mul(4)?.checked_add(4)?)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn short(v: &[u8]) -> String {
    let s = describe_bytes(v);
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(57).collect::<String>())
    } else {
        s
    }
}

fn valid_phandle(p: u32) -> bool {
    p != 0 && p != u32::MAX
}

fn prop_is_gpio(name: &str) -> bool {
    if name.ends_with(",nr-gpios") {
        return false;
    }
    name.ends_with("-gpios") || name == "gpios" || name.ends_with("-gpio") || name == "gpio"
}

impl<'c, 't> D<'c, 't> {
    pub fn new(ctx: &'c Context<'t>) -> Self {
        let slot = ctx.dtc_memo.get_or_init(|| Box::new(Memo::default()));
        let memo = match slot.downcast_ref::<Memo>() {
            Some(m) => MemoRef::Shared(m),
            None => MemoRef::Own(Box::default()),
        };
        D { ctx, memo }
    }

    fn memo(&self) -> &Memo {
        match &self.memo {
            MemoRef::Shared(m) => m,
            MemoRef::Own(m) => m,
        }
    }

    fn node(&self, id: NodeId) -> Option<&'t Node> {
        self.ctx.node(id)
    }

    fn name(&self, id: NodeId) -> &'t str {
        self.ctx.name(id)
    }

    fn prop(&self, id: NodeId, name: &str) -> Option<&'t [u8]> {
        self.ctx.prop(id, name)
    }

    fn path(&self, id: NodeId) -> String {
        self.ctx.path(id)
    }

    fn children(&self, id: NodeId) -> &'t [NodeId] {
        self.node(id).map_or(&[][..], |n| n.children.as_slice())
    }

    fn nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.ctx.order.iter().map(|&(id, _)| id)
    }

    fn is_root(&self, id: NodeId) -> bool {
        self.ctx.parent(id).is_none()
    }

    /// `#address-cells` / `#size-cells` as dtc stores them: the value as a signed int, -1
    /// when absent (or not one cell).
    fn decl(&self, id: NodeId, which: &str) -> i64 {
        self.prop(id, which).and_then(crate::value::as_u32).map_or(-1, |x| i64::from(x as i32))
    }

    fn acells(&self, id: NodeId) -> i64 {
        match self.decl(id, "#address-cells") {
            -1 => 2,
            x => x,
        }
    }

    fn scells(&self, id: NodeId) -> i64 {
        match self.decl(id, "#size-cells") {
            -1 => 1,
            x => x,
        }
    }

    /// The status of a check over the whole tree (memoised).
    pub fn status(&self, name: &'static str) -> Status {
        if let Some(&s) = self.memo().status.borrow().get(name) {
            return s;
        }
        let st = if prereqs(name).iter().any(|p| self.status(p) != Status::Passed) {
            Status::Prereq
        } else {
            let mut s = Sink::probe();
            self.exec(name, &mut s);
            if s.failed {
                Status::Failed
            } else {
                Status::Passed
            }
        };
        self.memo().status.borrow_mut().insert(name, st);
        st
    }

    fn ran(&self, name: &'static str) -> bool {
        self.status(name) != Status::Prereq
    }

    /// Phandle → node as dtc's `explicit_phandles` assigns them.
    fn phandles(&self) -> &HashMap<u32, NodeId> {
        self.memo().phandles.get_or_init(|| {
            let mut ids: Vec<NodeId> =
                self.ctx.with_prop("phandle").iter().chain(self.ctx.with_prop("linux,phandle")).copied().collect();
            self.ctx.doc_order(&mut ids);
            let mut map = HashMap::default();
            for id in ids {
                let get = |p: &str| self.prop(id, p).and_then(crate::value::as_u32).filter(|&v| valid_phandle(v));
                if let Some(ph) = get("phandle").or_else(|| get("linux,phandle")) {
                    map.entry(ph).or_insert(id);
                }
            }
            map
        })
    }

    fn is_pci_type(&self, id: NodeId) -> bool {
        self.prop(id, "device_type").is_some_and(|v| !v.is_empty() && cstr(v) == b"pci")
    }

    fn is_simple_bus(&self, id: NodeId) -> bool {
        self.prop(id, "compatible").is_some_and(|v| v.split(|&b| b == 0).any(|s| s == b"simple-bus"))
    }

    fn is_i2c(&self, id: NodeId) -> bool {
        match base(self.name(id)) {
            "i2c-bus" | "i2c-arb" => true,
            "i2c" => !self.children(id).iter().any(|&c| base(self.name(c)) == "i2c-bus"),
            _ => false,
        }
    }

    fn is_spi(&self, id: NodeId) -> bool {
        if base(self.name(id)) == "spi" {
            return true;
        }
        self.acells(id) == 1
            && self.scells(id) == 0
            && self
                .children(id)
                .iter()
                .any(|&c| self.node(c).is_some_and(|n| n.props.iter().any(|p| p.name.starts_with("spi-"))))
    }

    fn is_endpointish(&self, id: NodeId) -> bool {
        base(self.name(id)) == "endpoint" || self.prop(id, "remote-endpoint").is_some()
    }

    fn buses(&self) -> &Buses {
        self.memo().buses.get_or_init(|| self.compute_buses())
    }

    /// The bus marks; the bridges' statuses are probed first (none of them reads buses).
    fn compute_buses(&self) -> Buses {
        let n = self.ctx.tree.nodes.len();
        let mut a = vec![None; n];
        let pci = self.ran("pci_bridge");
        let simple = self.ran("simple_bus_bridge");
        for id in self.nodes() {
            if pci && self.is_pci_type(id) {
                a[id.0] = Some(Bus::Pci);
            }
        }
        for id in self.nodes() {
            if simple && self.is_simple_bus(id) {
                a[id.0] = Some(Bus::Simple);
            }
        }
        let mut b = a.clone();
        if self.ran("i2c_bus_bridge") {
            for id in self.nodes() {
                if self.is_i2c(id) {
                    b[id.0] = Some(Bus::I2c);
                }
            }
        }
        let mut c = b.clone();
        if self.ran("spi_bus_bridge") {
            for id in self.nodes() {
                if self.is_spi(id) {
                    c[id.0] = Some(Bus::Spi);
                }
            }
        }
        let mut d = c.clone();
        for id in self.nodes() {
            let Some(parent) = self.ctx.parent(id) else { continue };
            if !self.children(id).iter().any(|&ch| self.is_endpointish(ch)) {
                continue;
            }
            d[id.0] = Some(Bus::GraphPort);
            if d[parent.0].is_none() && (self.name(parent) == "ports" || self.prop(id, "reg").is_some()) {
                d[parent.0] = Some(Bus::GraphPorts);
            }
        }
        Buses { a, b, c, d }
    }

    fn parent_bus(&self, id: NodeId, stage: fn(&Buses) -> &Vec<Option<Bus>>) -> Option<Bus> {
        let p = self.ctx.parent(id)?;
        stage(self.buses()).get(p.0).copied().flatten()
    }

    /// Runs one check, reporting into `s`.
    pub fn exec(&self, name: &str, s: &mut Sink) {
        match name {
            "duplicate_node_names" => self.duplicate_node_names(s),
            "duplicate_property_names" => self.duplicate_property_names(s),
            "node_name_chars" => self.node_name_chars(s, false),
            "node_name_chars_strict" => self.node_name_chars(s, true),
            "node_name_format" => self.node_name_format(s),
            "node_name_not_empty" => self.node_name_not_empty(s),
            "property_name_chars" => self.property_name_chars(s),
            "property_name_chars_strict" => self.property_name_chars_strict(s),
            "name_is_string" => self.is_string(s, "name"),
            "name_properties" => self.name_properties(s),
            "node_name_vs_property_name" => self.node_name_vs_property_name(s),
            "explicit_phandles" => self.explicit_phandles(s),
            // Source-only on a blob: no references to resolve; only its prerequisites count.
            "phandle_references" => {}
            "address_cells_is_cell" => self.is_cell(s, "#address-cells"),
            "size_cells_is_cell" => self.is_cell(s, "#size-cells"),
            "device_type_is_string" => self.is_string(s, "device_type"),
            "model_is_string" => self.is_string(s, "model"),
            "status_is_string" => self.is_string(s, "status"),
            "label_is_string" => self.is_string(s, "label"),
            "compatible_is_string_list" => self.is_string_list(s, "compatible"),
            "names_is_string_list" => self.names_is_string_list(s),
            "addr_size_cells" | "simple_bus_bridge" => {}
            "reg_format" => self.reg_format(s),
            "ranges_format" => self.ranges_format(s, "ranges"),
            "dma_ranges_format" => self.ranges_format(s, "dma-ranges"),
            "unit_address_vs_reg" => self.unit_address_vs_reg(s),
            "unit_address_format" => self.unit_address_format(s),
            "pci_bridge" => self.pci_bridge(s),
            "pci_device_reg" => self.pci_device_reg(s),
            "pci_device_bus_num" => self.pci_device_bus_num(s),
            "simple_bus_reg" => self.simple_bus_reg(s),
            "i2c_bus_bridge" => self.i2c_bus_bridge(s),
            "i2c_bus_reg" => self.i2c_bus_reg(s),
            "spi_bus_bridge" => self.spi_bus_bridge(s),
            "spi_bus_reg" => self.spi_bus_reg(s),
            "avoid_default_addr_size" => self.avoid_default_addr_size(s),
            "avoid_unnecessary_addr_size" => self.avoid_unnecessary_addr_size(s),
            "unique_unit_address" => self.unique_unit_address(s, false),
            "unique_unit_address_if_enabled" => self.unique_unit_address(s, true),
            "obsolete_chosen_interrupt_controller" => self.obsolete_chosen(s),
            "chosen_node_is_root" => self.chosen_node_is_root(s),
            "chosen_node_bootargs" => self.chosen_node_bootargs(s),
            "chosen_node_stdout_path" => self.chosen_node_stdout_path(s),
            "deprecated_gpio_property" => self.deprecated_gpio_property(s),
            "gpios_property" => self.gpios_property(s),
            "interrupts_property" => self.interrupts_property(s),
            "interrupt_provider" => self.interrupt_provider(s),
            "interrupt_map" => self.interrupt_map(s),
            "alias_paths" => self.alias_paths(s),
            "graph_nodes" => self.graph_nodes(s),
            "graph_child_address" => self.graph_child_address(s),
            "graph_port" => self.graph_port(s),
            "graph_endpoint" => self.graph_endpoint(s),
            _ => {
                if let Some(p) = name.strip_suffix("_is_cell") {
                    if let Some(&(_, prop, _)) = PROVIDERS.iter().find(|(n, _, _)| *n == p) {
                        self.is_cell(s, cells_name(prop));
                    }
                } else if let Some(p) = name.strip_suffix("_property") {
                    if let Some(&(_, prop, optional)) = PROVIDERS.iter().find(|(n, _, _)| *n == p) {
                        for &id in self.ctx.with_prop(prop) {
                            if let Some(v) = self.prop(id, prop) {
                                self.phandle_args(s, id, prop, v, cells_name(prop), optional);
                            }
                            if s.done() {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- names -------------------------------------------------------------------------

    fn duplicate_node_names(&self, s: &mut Sink) {
        for id in self.nodes() {
            let kids = self.children(id);
            if kids.len() < 2 {
                continue;
            }
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity_and_hasher(kids.len(), Default::default());
            for &c in kids {
                let n = self.name(c);
                if let Some(&first) = seen.get(n) {
                    s.fail(
                        c,
                        None,
                        format!("another child of the same parent is also named {n:?} ({})", self.path(first)),
                    );
                    if s.done() {
                        return;
                    }
                } else {
                    seen.insert(n, c);
                }
            }
        }
    }

    fn duplicate_property_names(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(n) = self.node(id) else { continue };
            let props = &n.props;
            if props.len() < 2 {
                continue;
            }
            // Few properties per node: compare pairs (no allocation); many: count by name.
            let big = props.len() > 32;
            let counts: HashMap<&str, usize> = if big {
                let mut m = HashMap::default();
                for p in props {
                    *m.entry(p.name.as_str()).or_default() += 1;
                }
                m
            } else {
                HashMap::default()
            };
            for (i, p) in props.iter().enumerate() {
                let name = p.name.as_str();
                let k = if big {
                    counts.get(name).copied().unwrap_or(0)
                } else {
                    1 + props[i + 1..].iter().filter(|q| q.name == name).count()
                };
                if k < 2 || props[..i].iter().any(|q| q.name == name) {
                    continue;
                }
                s.fail(id, Some(name), format!("property {name:?} appears {k} times in this node"));
            }
            if s.done() {
                return;
            }
        }
    }

    fn node_name_chars(&self, s: &mut Sink, strict: bool) {
        for id in self.nodes() {
            let name = self.name(id);
            let limit = if strict { base(name).len() } else { name.len() };
            let ok = |c: char| {
                c.is_ascii_alphanumeric() || c == ',' || c == '-' || (!strict && matches!(c, '.' | '_' | '+' | '@'))
            };
            if let Some((i, c)) = name.char_indices().find(|&(_, c)| !ok(c)) {
                if i < limit {
                    let msg = if strict {
                        format!("character {c:?} in node name {name:?} is not recommended (use only letters, digits, ',' and '-')")
                    } else {
                        format!("bad character {c:?} in node name {name:?} (allowed: letters, digits, ',._+-@')")
                    };
                    s.fail(id, None, msg);
                    if s.done() {
                        return;
                    }
                }
            }
        }
    }

    fn node_name_format(&self, s: &mut Sink) {
        for id in self.nodes() {
            let name = self.name(id);
            if unit(name).contains('@') {
                s.fail(id, None, format!("node name {name:?} has more than one '@'"));
            }
        }
    }

    fn node_name_not_empty(&self, s: &mut Sink) {
        for id in self.nodes() {
            if !self.is_root(id) && base(self.name(id)).is_empty() {
                s.fail(id, None, format!("node name {:?} has an empty base name", self.name(id)));
            }
        }
    }

    fn property_name_chars(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(n) = self.node(id) else { continue };
            for p in &n.props {
                let ok = |c: char| c.is_ascii_alphanumeric() || ",._+*#?-".contains(c);
                if let Some(c) = p.name.chars().find(|&c| !ok(c)) {
                    s.fail(
                        id,
                        Some(&p.name),
                        format!(
                            "bad character {c:?} in property name {:?} (allowed: letters, digits, ',._+*#?-')",
                            p.name
                        ),
                    );
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn property_name_chars_strict(&self, s: &mut Sink) {
        let ok = |c: char| c.is_ascii_alphanumeric() || c == ',' || c == '-';
        for id in self.nodes() {
            let Some(n) = self.node(id) else { continue };
            for p in &n.props {
                let name = p.name.as_str();
                if name == "device_type" {
                    continue;
                }
                let Some(n0) = name.find(|c: char| !ok(c)) else { continue };
                let mut bad = name[n0..].chars().next();
                // '#' is fine at the start, or right after a vendor prefix's ','.
                if bad == Some('#') && (n0 == 0 || name[..n0].ends_with(',')) {
                    bad = name[n0 + 1..].chars().find(|&c| !ok(c));
                }
                if let Some(c) = bad {
                    s.fail(
                        id,
                        Some(name),
                        format!("character {c:?} in property name {name:?} is not recommended (use only letters, digits, ',' and '-')"),
                    );
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn name_properties(&self, s: &mut Sink) {
        for &id in self.ctx.with_prop("name") {
            let Some(v) = self.prop(id, "name") else { continue };
            let b = base(self.name(id));
            if v.len() != b.len() + 1 || !v.starts_with(b.as_bytes()) {
                s.fail(
                    id,
                    Some("name"),
                    format!("legacy \"name\" property is {:?}, not the node's base name {b:?}", cstr_text(v)),
                );
            }
        }
    }

    fn node_name_vs_property_name(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(p) = self.ctx.parent(id) else { continue };
            let name = self.name(id);
            if self.prop(p, name).is_some() {
                s.fail(id, None, format!("the parent {} also has a property named {name:?}", self.path(p)));
            }
        }
    }

    fn explicit_phandles(&self, s: &mut Sink) {
        let mut ids: Vec<NodeId> =
            self.ctx.with_prop("phandle").iter().chain(self.ctx.with_prop("linux,phandle")).copied().collect();
        self.ctx.doc_order(&mut ids);
        let mut seen: HashMap<u32, NodeId> = HashMap::default();
        for id in ids {
            let mut get = |name: &str| -> Option<u32> {
                let v = self.prop(id, name)?;
                let Some(x) = crate::value::as_u32(v) else {
                    s.fail(id, Some(name), format!("{name} is {} bytes, not one 32-bit cell", v.len()));
                    return None;
                };
                if !valid_phandle(x) {
                    s.fail(
                        id,
                        Some(name),
                        format!("{name} is 0x{x:x}, a reserved value (0 means none, 0xffffffff unresolved)"),
                    );
                    return None;
                }
                Some(x)
            };
            let ph = get("phandle");
            let lph = get("linux,phandle");
            if let (Some(a), Some(b)) = (ph, lph) {
                if a != b {
                    s.fail(id, None, format!("phandle 0x{a:x} and linux,phandle 0x{b:x} differ"));
                }
            }
            let Some(eff) = ph.or(lph) else { continue };
            match seen.get(&eff) {
                Some(&other) => {
                    s.fail(id, None, format!("phandle 0x{eff:x} is already used by {}", self.path(other)));
                }
                None => {
                    seen.insert(eff, id);
                }
            }
            if s.done() {
                return;
            }
        }
    }

    // ---- types -------------------------------------------------------------------------

    fn is_cell(&self, s: &mut Sink, prop: &str) {
        for &id in self.ctx.with_prop(prop) {
            if let Some(v) = self.prop(id, prop) {
                if v.len() != 4 {
                    s.fail(id, Some(prop), format!("{prop} is {} bytes, not one 32-bit cell", v.len()));
                }
            }
        }
    }

    fn is_string(&self, s: &mut Sink, prop: &str) {
        for &id in self.ctx.with_prop(prop) {
            if let Some(v) = self.prop(id, prop) {
                if !is_one_string(v) {
                    s.fail(id, Some(prop), format!("{prop} is not a single string (value {})", short(v)));
                }
            }
        }
    }

    fn string_list_at(&self, s: &mut Sink, id: NodeId, prop: &str, v: &[u8]) {
        if !is_string_list(v) {
            s.fail(
                id,
                Some(prop),
                format!("{prop} is not a list of NUL-terminated strings: it does not end in NUL (value {})", short(v)),
            );
        }
    }

    fn is_string_list(&self, s: &mut Sink, prop: &str) {
        for &id in self.ctx.with_prop(prop) {
            if let Some(v) = self.prop(id, prop) {
                self.string_list_at(s, id, prop, v);
            }
        }
    }

    fn names_is_string_list(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(n) = self.node(id) else { continue };
            for p in &n.props {
                if p.name.ends_with("-names") {
                    self.string_list_at(s, id, &p.name, &p.value);
                }
            }
            if s.done() {
                return;
            }
        }
    }

    // ---- addressing --------------------------------------------------------------------

    fn reg_format(&self, s: &mut Sink) {
        for &id in self.ctx.with_prop("reg") {
            let Some(v) = self.prop(id, "reg") else { continue };
            let Some(parent) = self.ctx.parent(id) else {
                s.fail(id, None, "the root node has a reg property; the root is not on any bus");
                continue;
            };
            if v.is_empty() {
                s.fail(id, Some("reg"), "reg is empty");
            }
            let (a, sz) = (self.acells(parent), self.scells(parent));
            let entry = (a + sz) * 4;
            let ok = if entry == 0 { v.is_empty() } else { (v.len() as i64) % entry == 0 };
            if !ok {
                s.fail(
                    id,
                    Some("reg"),
                    format!(
                        "reg is {} bytes, not a multiple of {entry} bytes (#address-cells {a} + #size-cells {sz} of {})",
                        v.len(),
                        self.path(parent)
                    ),
                );
            }
            if s.done() {
                return;
            }
        }
    }

    fn ranges_format(&self, s: &mut Sink, prop: &str) {
        for &id in self.ctx.with_prop(prop) {
            let Some(v) = self.prop(id, prop) else { continue };
            let Some(parent) = self.ctx.parent(id) else {
                s.fail(id, Some(prop), format!("the root node has a {prop} property; the root has no parent bus"));
                continue;
            };
            let (pa, ps) = (self.acells(parent), self.scells(parent));
            let (ca, cs) = (self.acells(id), self.scells(id));
            let pp = || self.path(parent);
            if v.is_empty() {
                if pa != ca {
                    s.fail(
                        id,
                        Some(prop),
                        format!("empty {prop} (identity mapping) but #address-cells is {ca} here and {pa} in {}", pp()),
                    );
                }
                if ps != cs {
                    s.fail(
                        id,
                        Some(prop),
                        format!("empty {prop} (identity mapping) but #size-cells is {cs} here and {ps} in {}", pp()),
                    );
                }
            } else {
                let entry = (pa + ca + cs) * 4;
                if entry == 0 || (v.len() as i64) % entry != 0 {
                    s.fail(
                        id,
                        Some(prop),
                        format!(
                            "{prop} is {} bytes, not a multiple of {entry} bytes (child address {ca} + parent address \
                             {pa} + size {cs} cells)",
                            v.len()
                        ),
                    );
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn unit_address_vs_reg(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.children(id).iter().any(|&c| self.name(c) == "__overlay__") {
                continue;
            }
            let name = self.name(id);
            let u = unit(name);
            let which = if self.prop(id, "reg").is_some() {
                Some("reg")
            } else if self.prop(id, "ranges").is_some_and(|v| !v.is_empty()) {
                Some("ranges")
            } else {
                None
            };
            match which {
                Some(which) if u.is_empty() => {
                    let first = if which == "reg" { self.ctx.reg(id).and_then(|r| r.first().copied()) } else { None };
                    let is_xen_hv =
                        self.ctx.depth(id) == 1 && name == "hypervisor" && self.ctx.xen_nodes().any(|h| h.node == id);
                    let mut msg = match first {
                        Some((addr, _)) => {
                            format!("node has reg (first address 0x{addr:x}) but no unit address; dtc expects {name}@{addr:x}")
                        }
                        None => format!("node has a {which} property but no unit address"),
                    };
                    if is_xen_hv {
                        msg.push_str(
                            "; expected for Xen's /hypervisor, which Linux finds only by this exact name (the kernel \
                             turns this check off by default)",
                        );
                    }
                    let f = s.fail(id, None, msg);
                    if let (Some(f), Some((addr, _)), false) = (f, first, is_xen_hv) {
                        let new_name = format!("{name}@{addr:x}");
                        if !self.sibling_named(id, &new_name) {
                            f.with_fix(Fix::RenameNode { path: self.path(id), new_name });
                        }
                    }
                }
                None if !u.is_empty() => {
                    let b = base(name);
                    let f = s.fail(id, None, format!("node has unit address {u} but no reg or ranges property"));
                    if let Some(f) = f {
                        if !b.is_empty() && !self.sibling_named(id, b) {
                            f.with_fix(Fix::RenameNode { path: self.path(id), new_name: b.to_string() });
                        }
                    }
                }
                _ => {}
            }
            if s.done() {
                return;
            }
        }
    }

    /// Whether another child of `id`'s parent is named `name` (per-parent name counts are
    /// memoised, so many fixes under one big bus stay linear).
    fn sibling_named(&self, id: NodeId, name: &str) -> bool {
        let Some(p) = self.ctx.parent(id) else { return false };
        let mut names = self.memo().names.borrow_mut();
        let counts = names.entry(p.0).or_insert_with(|| {
            let mut m: HashMap<String, usize> = HashMap::default();
            for &c in self.children(p) {
                *m.entry(self.name(c).to_string()).or_default() += 1;
            }
            m
        });
        let n = counts.get(name).copied().unwrap_or(0);
        let own = usize::from(self.name(id) == name);
        n > own
    }

    fn rename_fix(&self, f: Option<&mut Finding>, id: NodeId, new_unit: &str) {
        let Some(f) = f else { return };
        let new_name = format!("{}@{new_unit}", base(self.name(id)));
        if !self.sibling_named(id, &new_name) {
            f.with_fix(Fix::RenameNode { path: self.path(id), new_name });
        }
    }

    fn unit_address_format(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.parent_bus(id, |b| &b.a).is_some() {
                continue;
            }
            let u = unit(self.name(id));
            if u.is_empty() {
                continue;
            }
            let mut rest = u;
            if let Some(r) = u.strip_prefix("0x") {
                let f = s.fail(id, None, format!("unit address {u} starts with \"0x\" (unit addresses are bare hex)"));
                Self::format_fix(self, f, id, u);
                rest = r;
            }
            let mut it = rest.bytes();
            if it.next() == Some(b'0') && it.next().is_some_and(|c| c.is_ascii_hexdigit()) {
                let f = s.fail(id, None, format!("unit address {u} has leading zeros"));
                Self::format_fix(self, f, id, u);
            }
            if s.done() {
                return;
            }
        }
    }

    fn format_fix(&self, f: Option<&mut Finding>, id: NodeId, u: &str) {
        let digits = u.strip_prefix("0x").unwrap_or(u);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return;
        }
        let trimmed = digits.trim_start_matches('0');
        let fixed = if trimmed.is_empty() { "0".to_string() } else { trimmed.to_ascii_lowercase() };
        self.rename_fix(f, id, &fixed);
    }

    fn pci_bridge(&self, s: &mut Sink) {
        for &id in self.ctx.with_prop("device_type") {
            if !self.is_pci_type(id) {
                continue;
            }
            let b = base(self.name(id));
            if b != "pci" && b != "pcie" {
                s.fail(id, None, format!("PCI bridge node is named {b:?}; it should be \"pci\" or \"pcie\""));
            }
            if self.prop(id, "ranges").is_none() {
                s.fail(id, None, "PCI bridge without ranges (or not a bridge)");
            }
            if self.acells(id) != 3 {
                s.fail(id, None, format!("PCI bridge has #address-cells {}, not 3", self.acells(id)));
            }
            if self.scells(id) != 2 {
                s.fail(id, None, format!("PCI bridge has #size-cells {}, not 2", self.scells(id)));
            }
            if let Some(v) = self.prop(id, "bus-range") {
                match (v.len(), cell(v, 0), cell(v, 1)) {
                    (8, Some(lo), Some(hi)) => {
                        if lo > hi {
                            s.fail(
                                id,
                                Some("bus-range"),
                                format!("bus-range <{lo} {hi}>: the first bus is above the last"),
                            );
                        }
                        if hi > 0xff {
                            s.fail(id, Some("bus-range"), format!("bus-range <{lo} {hi}>: the last bus is above 255"));
                        }
                    }
                    (n, _, _) => {
                        s.fail(id, Some("bus-range"), format!("bus-range is {n} bytes, not 2 cells"));
                    }
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn pci_children(&self) -> Vec<NodeId> {
        self.ctx
            .with_prop("reg")
            .iter()
            .copied()
            .filter(|&id| self.parent_bus(id, |b| &b.a) == Some(Bus::Pci))
            .collect()
    }

    fn pci_device_reg(&self, s: &mut Sink) {
        for id in self.pci_children() {
            let Some(v) = self.prop(id, "reg") else { continue };
            let (Some(hi), Some(mid), Some(lo)) = (cell(v, 0), cell(v, 1), cell(v, 2)) else { continue };
            if mid != 0 || lo != 0 {
                s.fail(id, Some("reg"), "PCI reg: the 2nd and 3rd address cells of a config-space address must be 0");
            }
            let dev = (hi & 0xf800) >> 11;
            let func = (hi & 0x700) >> 8;
            if hi & 0xff00_0000 != 0 {
                s.fail(id, Some("reg"), format!("PCI reg 0x{hi:08x} is not a configuration-space address"));
            }
            if hi & 0xff != 0 {
                s.fail(id, Some("reg"), format!("PCI reg 0x{hi:08x}: the register number must be 0"));
            }
            let u = unit(self.name(id));
            let short_form = format!("{dev:x}");
            let long_form = format!("{dev:x},{func:x}");
            if (func == 0 && u == short_form) || u == long_form {
                continue;
            }
            let f = s.fail(
                id,
                None,
                format!(
                    "unit address {u:?} does not match PCI device {dev:x} function {func:x}; expected {long_form:?}"
                ),
            );
            self.rename_fix(f, id, if func == 0 { &short_form } else { &long_form });
            if s.done() {
                return;
            }
        }
    }

    fn pci_device_bus_num(&self, s: &mut Sink) {
        for id in self.pci_children() {
            let Some(hi) = self.prop(id, "reg").and_then(|v| cell(v, 0)) else { continue };
            let bus = (hi & 0x00ff_0000) >> 16;
            let parent = self.ctx.parent(id).unwrap_or(id);
            let (lo, max) = match self.prop(parent, "bus-range") {
                Some(r) => (cell(r, 0).unwrap_or(0), cell(r, 1).unwrap_or(0)),
                None => (0, 0),
            };
            if bus < lo || bus > max {
                s.fail(id, Some("reg"), format!("PCI bus number {bus} is outside the parent's bus-range {lo}-{max}"));
            }
        }
    }

    fn simple_bus_reg(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(parent) = self.ctx.parent(id) else { continue };
            if self.parent_bus(id, |b| &b.a) != Some(Bus::Simple) {
                continue;
            }
            let (v, skip, which) = match (self.prop(id, "reg"), self.prop(id, "ranges")) {
                (Some(r), _) => (Some(r), 0, "reg"),
                (None, Some(r)) if !r.is_empty() => (Some(r), self.acells(id).max(0) as usize, "ranges"),
                _ => (None, 0, ""),
            };
            let Some(v) = v else {
                let own_simple = self.buses().a.get(id.0).copied().flatten() == Some(Bus::Simple);
                if self.ctx.parent(parent).is_some() && !own_simple {
                    s.fail(id, None, "child of a simple-bus without reg or ranges: it has no address on the bus");
                }
                continue;
            };
            let n = self.acells(parent).max(0) as usize;
            let mut addr: u64 = 0;
            let mut ok = true;
            for i in 0..n {
                match cell(v, skip + i) {
                    Some(c) => addr = (addr << 32) | u64::from(c),
                    None => ok = false,
                }
                if !ok || i > 64 {
                    break;
                }
            }
            if !ok {
                continue;
            }
            let want = format!("{addr:x}");
            let u = unit(self.name(id));
            if u != want {
                let shown = if u.is_empty() { "no unit address".to_string() } else { format!("unit address {u}") };
                let f = s.fail(
                    id,
                    None,
                    format!(
                        "{shown} does not match the {} address 0x{addr:x} on the simple-bus; expected {}@{want}",
                        if which == "reg" { "reg" } else { "ranges parent" },
                        base(self.name(id))
                    ),
                );
                self.rename_fix(f, id, &want);
            }
            if s.done() {
                return;
            }
        }
    }

    fn i2c_bus_bridge(&self, s: &mut Sink) {
        for id in self.nodes() {
            if !self.is_i2c(id) || self.children(id).is_empty() {
                continue;
            }
            if self.acells(id) != 1 {
                s.fail(id, None, format!("I2C bus has #address-cells {}, not 1", self.acells(id)));
            }
            if self.scells(id) != 0 {
                s.fail(id, None, format!("I2C bus has #size-cells {}, not 0", self.scells(id)));
            }
            if s.done() {
                return;
            }
        }
    }

    fn i2c_bus_reg(&self, s: &mut Sink) {
        const OWN: u32 = 1 << 30;
        const TEN: u32 = 1 << 31;
        for id in self.nodes() {
            if self.parent_bus(id, |b| &b.b) != Some(Bus::I2c) {
                continue;
            }
            let Some(v) = self.prop(id, "reg") else {
                s.fail(id, None, "device on an I2C bus without reg (its bus address)");
                continue;
            };
            let Some(first) = cell(v, 0) else { continue };
            let want = format!("{:x}", first & !OWN);
            let u = unit(self.name(id));
            if u != want {
                let f = s.fail(
                    id,
                    None,
                    format!("unit address {u:?} does not match the I2C address 0x{want} in reg; expected {want:?}"),
                );
                self.rename_fix(f, id, &want);
            }
            for i in 0..v.len() / 4 {
                let Some(r) = cell(v, i).map(|c| c & !OWN) else { break };
                if r & TEN != 0 {
                    if r & !TEN > 0x3ff {
                        s.fail(id, Some("reg"), format!("10-bit I2C address 0x{:x} does not fit in 10 bits", r & !TEN));
                    }
                } else if r > 0x7f {
                    s.fail(
                        id,
                        Some("reg"),
                        format!("I2C address 0x{r:x} does not fit in 7 bits; set bit 31 (I2C_TEN_BIT_ADDRESS) for a 10-bit address"),
                    );
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn spi_bus_bridge(&self, s: &mut Sink) {
        for id in self.nodes() {
            if !self.is_spi(id) {
                continue;
            }
            if base(self.name(id)) != "spi" && self.prop(id, "reg").is_some() {
                s.fail(
                    id,
                    None,
                    format!(
                        "node looks like an SPI bus (children with spi-* properties) but is named {:?}, not \"spi\"",
                        base(self.name(id))
                    ),
                );
            }
            if self.children(id).is_empty() {
                continue;
            }
            let want = if self.prop(id, "spi-slave").is_some() { 0 } else { 1 };
            if self.acells(id) != want {
                s.fail(id, None, format!("SPI bus has #address-cells {}, not {want}", self.acells(id)));
            }
            if self.scells(id) != 0 {
                s.fail(id, None, format!("SPI bus has #size-cells {}, not 0", self.scells(id)));
            }
            if s.done() {
                return;
            }
        }
    }

    fn spi_bus_reg(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.parent_bus(id, |b| &b.c) != Some(Bus::Spi) {
                continue;
            }
            if self.ctx.parent(id).is_some_and(|p| self.prop(p, "spi-slave").is_some()) {
                continue;
            }
            let Some(v) = self.prop(id, "reg") else {
                s.fail(id, None, "device on an SPI bus without reg (its chip select)");
                continue;
            };
            let Some(cs) = cell(v, 0) else { continue };
            let want = format!("{cs:x}");
            let u = unit(self.name(id));
            if u != want {
                let f = s.fail(
                    id,
                    None,
                    format!("unit address {u:?} does not match chip select {cs} in reg; expected {want:?}"),
                );
                self.rename_fix(f, id, &want);
            }
            if s.done() {
                return;
            }
        }
    }

    fn avoid_default_addr_size(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(parent) = self.ctx.parent(id) else { continue };
            let which = if self.prop(id, "reg").is_some() {
                "reg"
            } else if self.prop(id, "ranges").is_some() {
                "ranges"
            } else {
                continue;
            };
            if self.decl(parent, "#address-cells") == -1 {
                let pp = self.path(parent);
                s.fail(id, None, format!("node has {which} but {pp} has no #address-cells (the default 2 is assumed)"));
            }
            if self.decl(parent, "#size-cells") == -1 {
                let pp = self.path(parent);
                s.fail(id, None, format!("node has {which} but {pp} has no #size-cells (the default 1 is assumed)"));
            }
            if s.done() {
                return;
            }
        }
    }

    fn avoid_unnecessary_addr_size(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.is_root(id) || self.decl(id, "#address-cells") < 0 || self.decl(id, "#size-cells") < 0 {
                continue;
            }
            if self.prop(id, "ranges").is_some() || self.prop(id, "dma-ranges").is_some() {
                continue;
            }
            let kids = self.children(id);
            if kids.is_empty()
                || kids.iter().any(|&c| self.prop(c, "reg").is_some() || self.prop(c, "ranges").is_some())
            {
                continue;
            }
            s.fail(
                id,
                None,
                "#address-cells/#size-cells are set, but there is no ranges or dma-ranges here and no child has reg or ranges",
            );
            if s.done() {
                return;
            }
        }
    }

    fn is_disabled(&self, id: NodeId) -> bool {
        self.prop(id, "status").is_some_and(|v| !v.is_empty() && cstr(v) == b"disabled")
    }

    fn unique_unit_address(&self, s: &mut Sink, if_enabled: bool) {
        for id in self.nodes() {
            if self.decl(id, "#address-cells") < 0 || self.decl(id, "#size-cells") < 0 {
                continue;
            }
            let kids = self.children(id);
            if kids.len() < 2 {
                continue;
            }
            // Units in first-seen order, each with its nodes in document order.
            let mut index: HashMap<&str, usize> = HashMap::default();
            let mut groups: Vec<(&str, Vec<NodeId>)> = Vec::new();
            for &c in kids {
                let u = unit(self.name(c));
                if u.is_empty() || (if_enabled && self.is_disabled(c)) {
                    continue;
                }
                let i = *index.entry(u).or_insert_with(|| {
                    groups.push((u, Vec::new()));
                    groups.len() - 1
                });
                groups[i].1.push(c);
            }
            let what = if if_enabled { "enabled sibling" } else { "sibling" };
            for (u, g) in &groups {
                for w in g.windows(2) {
                    s.fail(
                        w[0],
                        None,
                        format!("unit address {u} is also used by the later {what} {}", self.path(w[1])),
                    );
                }
            }
            if s.done() {
                return;
            }
        }
    }

    // ---- /chosen -------------------------------------------------------------------------

    fn chosen_nodes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes().filter(move |&id| self.name(id) == "chosen")
    }

    fn obsolete_chosen(&self, s: &mut Sink) {
        if let Some(ch) = self.ctx.chosen {
            if self.prop(ch, "interrupt-controller").is_some() {
                s.fail(ch, Some("interrupt-controller"), "/chosen has the obsolete \"interrupt-controller\" property");
            }
        }
    }

    fn chosen_node_is_root(&self, s: &mut Sink) {
        for id in self.chosen_nodes() {
            if self.ctx.parent(id) != Some(self.ctx.root()) {
                s.fail(id, None, "a chosen node must be a child of the root; this one is not read as /chosen");
            }
        }
    }

    fn chosen_string(&self, s: &mut Sink, id: NodeId, prop: &str) {
        if let Some(v) = self.prop(id, prop) {
            if !is_one_string(v) {
                s.fail(id, Some(prop), format!("{prop} is not a single string (value {})", short(v)));
            }
        }
    }

    fn chosen_node_bootargs(&self, s: &mut Sink) {
        let ids: Vec<NodeId> = self.chosen_nodes().collect();
        for id in ids {
            self.chosen_string(s, id, "bootargs");
        }
    }

    fn chosen_node_stdout_path(&self, s: &mut Sink) {
        let ids: Vec<NodeId> = self.chosen_nodes().collect();
        for id in ids {
            if self.prop(id, "stdout-path").is_some() {
                self.chosen_string(s, id, "stdout-path");
            } else if self.prop(id, "linux,stdout-path").is_some() {
                s.fail(id, Some("linux,stdout-path"), "linux,stdout-path is deprecated; use stdout-path");
                self.chosen_string(s, id, "linux,stdout-path");
            }
        }
    }

    // ---- phandle + args ----------------------------------------------------------------

    fn phandle_args(&self, s: &mut Sink, id: NodeId, prop: &str, v: &[u8], cells: &str, optional: bool) {
        if !v.len().is_multiple_of(4) {
            s.fail(id, Some(prop), format!("{prop} is {} bytes, not a whole number of 32-bit cells", v.len()));
            return;
        }
        let n = v.len() / 4;
        let mut i = 0usize;
        while i < n {
            let Some(ph) = cell(v, i) else { break };
            if !valid_phandle(ph) {
                i += 1;
                continue;
            }
            let Some(&target) = self.phandles().get(&ph) else {
                s.fail(id, Some(prop), format!("{prop} cell {i}: phandle 0x{ph:x} points to no node"));
                break;
            };
            let size: u64 = match self.prop(target, cells) {
                Some(c) => match crate::value::as_u32(c) {
                    Some(x) => u64::from(x),
                    None => break,
                },
                None if optional => 0,
                None => {
                    s.fail(
                        id,
                        Some(prop),
                        format!(
                            "{prop}[{i}] points to {}, which has no {cells} property (or the phandle is wrong)",
                            self.path(target)
                        ),
                    );
                    break;
                }
            };
            let need = i as u64 + size + 1;
            if need > n as u64 {
                s.fail(
                    id,
                    Some(prop),
                    format!(
                        "{prop} is {n} cells, too short for the entry at cell {i}: {} has {cells} = {size}, so it needs {need}",
                        self.path(target)
                    ),
                );
                break;
            }
            i = need as usize;
        }
    }

    fn gpio_props(&self, id: NodeId) -> Vec<&'t str> {
        self.node(id)
            .map_or(Vec::new(), |n| n.props.iter().map(|p| p.name.as_str()).filter(|p| prop_is_gpio(p)).collect())
    }

    fn gpios_property(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.prop(id, "gpio-hog").is_some() {
                continue;
            }
            for p in self.gpio_props(id) {
                if let Some(v) = self.prop(id, p) {
                    self.phandle_args(s, id, p, v, "#gpio-cells", false);
                }
            }
            if s.done() {
                return;
            }
        }
    }

    fn deprecated_gpio_property(&self, s: &mut Sink) {
        for id in self.nodes() {
            for p in self.gpio_props(id) {
                if p.ends_with("gpio") {
                    s.fail(id, Some(p), format!("{p}: the [*-]gpio form is deprecated; use {p}s"));
                }
            }
        }
    }

    // ---- interrupts ----------------------------------------------------------------------

    fn is_provider(&self, id: NodeId) -> bool {
        self.prop(id, "interrupt-controller").is_some() || self.prop(id, "interrupt-map").is_some()
    }

    fn interrupts_property(&self, s: &mut Sink) {
        for &id in self.ctx.with_prop("interrupts") {
            let Some(irq) = self.prop(id, "interrupts") else { continue };
            if irq.len() % 4 != 0 {
                s.fail(id, Some("interrupts"), format!("interrupts is {} bytes, not a multiple of 4", irq.len()));
            }
            let mut irq_node = None;
            let mut cur = Some(id);
            let mut guard = self.ctx.tree.nodes.len() + 1;
            let mut stop = false;
            while let Some(p) = cur {
                if guard == 0 {
                    break;
                }
                guard -= 1;
                if p != id && self.is_provider(p) {
                    irq_node = Some(p);
                    break;
                }
                if let Some(ip) = self.prop(p, "interrupt-parent") {
                    let ph = crate::value::as_u32(ip).unwrap_or(0);
                    if !valid_phandle(ph) {
                        s.fail(
                            p,
                            Some("interrupt-parent"),
                            format!("interrupt-parent is {}, not a valid phandle", short(ip)),
                        );
                        break;
                    }
                    match self.phandles().get(&ph) {
                        None => {
                            s.fail(p, Some("interrupt-parent"), format!("interrupt-parent 0x{ph:x} points to no node"));
                            stop = true;
                        }
                        Some(&t) => {
                            if !self.is_provider(t) {
                                s.fail(
                                    t,
                                    None,
                                    format!(
                                        "used as interrupt parent by {} but has no interrupt-controller or interrupt-map property",
                                        self.path(id)
                                    ),
                                );
                            }
                            irq_node = Some(t);
                        }
                    }
                    break;
                }
                cur = self.ctx.parent(p);
            }
            if stop {
                continue;
            }
            let Some(ic) = irq_node else {
                s.fail(
                    id,
                    None,
                    "interrupts without an interrupt parent: no interrupt-parent here or above, and no ancestor is an interrupt controller",
                );
                continue;
            };
            let Some(k) = self.prop(ic, "#interrupt-cells").and_then(crate::value::as_u32) else { continue };
            let unit_len = u64::from(k) * 4;
            let ok = if unit_len == 0 { irq.is_empty() } else { (irq.len() as u64).is_multiple_of(unit_len) };
            if !ok {
                s.fail(
                    id,
                    Some("interrupts"),
                    format!(
                        "interrupts is {} bytes, not a multiple of {k} cells (#interrupt-cells of {})",
                        irq.len(),
                        self.path(ic)
                    ),
                );
            }
            if s.done() {
                return;
            }
        }
    }

    fn interrupt_provider(&self, s: &mut Sink) {
        for id in self.nodes() {
            let provider = self.is_provider(id);
            let has_cells = self.prop(id, "#interrupt-cells").is_some();
            if provider && !has_cells {
                let what = if self.prop(id, "interrupt-controller").is_some() {
                    "interrupt-controller"
                } else {
                    "interrupt-map"
                };
                s.fail(id, None, format!("interrupt provider ({what}) without #interrupt-cells"));
            } else if !provider && has_cells {
                s.fail(id, Some("#interrupt-cells"), "#interrupt-cells on a node that is not an interrupt provider (no interrupt-controller or interrupt-map)");
            }
            if s.done() {
                return;
            }
        }
    }

    fn interrupt_map(&self, s: &mut Sink) {
        const P: Option<&str> = Some("interrupt-map");
        for &id in self.ctx.with_prop("interrupt-map") {
            let Some(map) = self.prop(id, "interrupt-map") else { continue };
            if self.decl(id, "#address-cells") < 0 {
                s.fail(id, None, "interrupt-map without #address-cells on the same node");
                continue;
            }
            let ic = self.prop(id, "#interrupt-cells").and_then(crate::value::as_u32).unwrap_or(0);
            let child = self.acells(id).max(0) as u64 + u64::from(ic);
            if let Some(m) = self.prop(id, "interrupt-map-mask") {
                if m.len() as u64 != child * 4 {
                    s.fail(
                        id,
                        Some("interrupt-map-mask"),
                        format!(
                            "interrupt-map-mask is {} bytes, expected {} (#address-cells + #interrupt-cells)",
                            m.len(),
                            child * 4
                        ),
                    );
                }
            }
            if map.len() % 4 != 0 {
                s.fail(id, P, format!("interrupt-map is {} bytes, not a multiple of 4", map.len()));
                continue;
            }
            let n = (map.len() / 4) as u64;
            let mut c: u64 = 0;
            let mut warned: Vec<NodeId> = Vec::new();
            while c < n {
                if c + child >= n {
                    s.fail(
                        id,
                        P,
                        format!("interrupt-map is {n} cells, too short: the row at cell {c} has no parent phandle"),
                    );
                    break;
                }
                c += child;
                let ph = cell(map, c as usize).unwrap_or(0);
                if !valid_phandle(ph) {
                    s.fail(id, P, format!("interrupt-map cell {c} should be a parent phandle but is 0x{ph:x}"));
                    break;
                }
                let Some(&parent) = self.phandles().get(&ph) else {
                    s.fail(id, P, format!("interrupt-map cell {c}: phandle 0x{ph:x} points to no node"));
                    break;
                };
                let Some(pic) = self.prop(parent, "#interrupt-cells") else {
                    s.fail(
                        id,
                        None,
                        format!("interrupt-map[{c}] points to {}, which has no #interrupt-cells", self.path(parent)),
                    );
                    break;
                };
                let mut psize = u64::from(crate::value::as_u32(pic).unwrap_or(0));
                match self.prop(parent, "#address-cells") {
                    Some(a) => psize += u64::from(crate::value::as_u32(a).unwrap_or(0)),
                    // dtc repeats this for every row; once per parent is enough.
                    None if !warned.contains(&parent) => {
                        warned.push(parent);
                        s.fail(
                            id,
                            P,
                            format!("interrupt-map parent {} has no #address-cells (0 is assumed)", self.path(parent)),
                        );
                    }
                    None => {}
                }
                c += 1 + psize;
                if c > n {
                    s.fail(id, P, format!("interrupt-map is {n} cells; its last row needs {c}"));
                }
            }
            if s.done() {
                return;
            }
        }
    }

    // ---- aliases ---------------------------------------------------------------------------

    /// dtc's path lookup: leading '/'s skipped, components are full node names.
    fn by_path(&self, path: &[u8]) -> Option<NodeId> {
        let mut cur = self.ctx.root();
        let mut rest = path;
        loop {
            while let Some(r) = rest.strip_prefix(b"/") {
                rest = r;
            }
            if rest.is_empty() {
                return Some(cur);
            }
            let (comp, next) = match rest.iter().position(|&b| b == b'/') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, &rest[rest.len()..]),
            };
            cur = self.children(cur).iter().copied().find(|&c| self.name(c).as_bytes() == comp)?;
            rest = next;
        }
    }

    fn alias_paths(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.name(id) != "aliases" {
                continue;
            }
            let Some(n) = self.node(id) else { continue };
            for p in &n.props {
                if p.name == "phandle" || p.name == "linux,phandle" {
                    continue;
                }
                if p.value.is_empty() || self.by_path(cstr(&p.value)).is_none() {
                    s.fail(
                        id,
                        Some(&p.name),
                        format!("alias {} = {:?} does not name a node", p.name, cstr_text(&p.value)),
                    );
                    continue;
                }
                if !p.name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                    s.fail(
                        id,
                        Some(&p.name),
                        format!("alias name {:?} may contain only lower-case letters, digits and '-'", p.name),
                    );
                }
            }
        }
    }

    // ---- OF graph ----------------------------------------------------------------------------

    fn graph_nodes(&self, s: &mut Sink) {
        let root = self.ctx.root();
        for &c in self.children(root) {
            if self.is_endpointish(c) {
                s.fail(
                    root,
                    None,
                    format!(
                        "the root contains endpoint node {:?}; a remote-endpoint property is probably misplaced",
                        self.name(c)
                    ),
                );
            }
        }
    }

    fn graph_bus(&self, id: NodeId) -> Option<Bus> {
        self.buses().d.get(id.0).copied().flatten()
    }

    fn graph_child_address(&self, s: &mut Sink) {
        for id in self.nodes() {
            if !matches!(self.graph_bus(id), Some(Bus::GraphPort | Bus::GraphPorts)) {
                continue;
            }
            let kids = self.children(id);
            if kids.iter().any(|&c| self.prop(c, "reg").and_then(|v| cell(v, 0)).is_some_and(|r| r != 0)) {
                continue;
            }
            if kids.len() == 1 && self.decl(id, "#address-cells") != -1 {
                s.fail(
                    id,
                    None,
                    format!(
                        "graph node has a single child {:?}; #address-cells/#size-cells are not needed",
                        self.name(kids[0])
                    ),
                );
            }
        }
    }

    fn graph_reg(&self, s: &mut Sink, id: NodeId) {
        let Some(v) = self.prop(id, "reg") else { return };
        let Some(r) = crate::value::as_u32(v) else {
            s.fail(id, None, format!("graph node reg is {} bytes, not one cell", v.len()));
            return;
        };
        let want = format!("{r:x}");
        let u = unit(self.name(id));
        if u != want {
            let f = s.fail(id, None, format!("unit address {u:?} does not match reg {r}; expected {want:?}"));
            self.rename_fix(f, id, &want);
        }
        let Some(p) = self.ctx.parent(id) else { return };
        let (a, sz) = (self.decl(p, "#address-cells"), self.decl(p, "#size-cells"));
        if a != 1 {
            s.fail(id, None, format!("{} has #address-cells {a}; graph nodes need 1", self.path(p)));
        }
        if sz != 0 {
            s.fail(id, None, format!("{} has #size-cells {sz}; graph nodes need 0", self.path(p)));
        }
    }

    fn graph_port(&self, s: &mut Sink) {
        for id in self.nodes() {
            if self.graph_bus(id) != Some(Bus::GraphPort) {
                continue;
            }
            self.graph_reg(s, id);
            if base(self.name(id)) != "port" {
                s.fail(id, None, format!("graph port node is named {:?}; it should be \"port\"", base(self.name(id))));
            }
        }
    }

    fn remote(&self, s: &mut Sink, ep: NodeId) -> Option<NodeId> {
        let v = self.prop(ep, "remote-endpoint")?;
        let ph = crate::value::as_u32(v).filter(|&p| valid_phandle(p))?;
        let t = self.phandles().get(&ph).copied();
        if t.is_none() {
            s.fail(ep, Some("remote-endpoint"), format!("remote-endpoint 0x{ph:x} points to no node"));
        }
        t
    }

    fn graph_endpoint(&self, s: &mut Sink) {
        for id in self.nodes() {
            let Some(p) = self.ctx.parent(id) else { continue };
            if self.graph_bus(p) != Some(Bus::GraphPort) {
                continue;
            }
            self.graph_reg(s, id);
            if base(self.name(id)) != "endpoint" {
                s.fail(
                    id,
                    None,
                    format!("graph endpoint node is named {:?}; it should be \"endpoint\"", base(self.name(id))),
                );
            }
            let Some(r) = self.remote(s, id) else { continue };
            if self.remote(s, r) != Some(id) {
                s.fail(id, None, format!("graph connection to {} is not bidirectional", self.path(r)));
            }
        }
    }
}
