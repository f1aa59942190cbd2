//! Binding checks: every rule of the catalog (`../shared/bindings/CATALOG.md`), defined once.
//!
//! A rule is one static [`Rule`]: its catalog id, family, scope, default severity, a one-line
//! summary, a longer explanation, its sources and the function that runs it. The rule list
//! (`dtlens rules`), `dtlens explain`, the browser's rule pages and the per-rule toggles are
//! all generated from those values; adding a rule means adding one static to one family
//! file in [`rules`] and naming it in that file's `RULES` slice.
//!
//! [`run`] builds a [`Context`] once per tree (phandles, labels, compatible and property
//! indexes, hypervisor family and scope detection) and then runs every enabled rule. Each
//! rule visits only what it needs, so the whole run is linear in the size of the tree. No
//! rule may panic on any tree: the trees come from damaged blobs too, so rules read values
//! through the `Option`-returning accessors of [`crate::value`] and the helpers of
//! [`Context`], and never index without a bound.

pub mod context;
pub mod json;
pub mod registry;
pub mod rules;
pub mod sources;

use std::collections::HashMap;

pub use crate::diag::Severity;
use crate::tree::{NodeId, Tree};
pub use context::{hypervisor_nodes, Context, HvFamily, HvNode, IrqParent, TreeScope};
pub use registry::{all, find};

/// The catalog group a rule belongs to (its id prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleFamily {
    /// §A ePAPR hypervisor node and ePAPR virtual devices (`epapr-*`).
    Epapr,
    /// §B Xen on Arm `/hypervisor` node (`xen-*`).
    Xen,
    /// §C Xen host DT: `/chosen`, command lines, boot modules (`xenboot-*`).
    Xenboot,
    /// §D Xen dom0less domains (`dom0less-*`, `static-*`).
    Dom0less,
    /// §E KVM and other hypervisors (`hv-*`).
    Hv,
    /// §F Generic DT structure around the node (`dt-*`).
    Dt,
    /// §G dtc's generic checks (`dtc-*`).
    Dtc,
}

impl RuleFamily {
    pub const ALL: [RuleFamily; 7] = [
        RuleFamily::Epapr,
        RuleFamily::Xen,
        RuleFamily::Xenboot,
        RuleFamily::Dom0less,
        RuleFamily::Hv,
        RuleFamily::Dt,
        RuleFamily::Dtc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleFamily::Epapr => "epapr",
            RuleFamily::Xen => "xen",
            RuleFamily::Xenboot => "xenboot",
            RuleFamily::Dom0less => "dom0less",
            RuleFamily::Hv => "hv",
            RuleFamily::Dt => "dt",
            RuleFamily::Dtc => "dtc",
        }
    }

    /// Human title, as the catalog's section headings.
    pub fn title(self) -> &'static str {
        match self {
            RuleFamily::Epapr => "ePAPR hypervisor node and virtual devices",
            RuleFamily::Xen => "Xen on Arm /hypervisor node",
            RuleFamily::Xenboot => "Xen host DT: /chosen, command lines, boot modules",
            RuleFamily::Dom0less => "Xen dom0less domains",
            RuleFamily::Hv => "KVM and other hypervisors",
            RuleFamily::Dt => "Generic DT structure",
            RuleFamily::Dtc => "dtc checks",
        }
    }
}

/// Which kind of device tree a rule is about (catalog §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A DT handed by a hypervisor or toolstack to a guest OS.
    Guest,
    /// A DT handed by firmware or a bootloader to Xen.
    HostXen,
    /// A dom0less / libxl partial device tree (`/passthrough`).
    Fragment,
    /// Every DT.
    Any,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Guest => "guest",
            Scope::HostXen => "host-xen",
            Scope::Fragment => "fragment",
            Scope::Any => "any",
        }
    }

    /// Whether a rule of this scope runs on a tree detected as `tree`.
    pub fn applies_to(self, tree: TreeScope) -> bool {
        match self {
            Scope::Any => true,
            Scope::Guest => tree == TreeScope::Guest,
            Scope::HostXen => tree == TreeScope::HostXen,
            Scope::Fragment => tree == TreeScope::Fragment,
        }
    }
}

/// From which [`Level`] on a rule is on without being named (like dtc's WARNING/ERROR vs
/// CHECK, and the kernel's `W=1` / `W=2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EnabledAt {
    /// On at every level (all binding rules unless the catalog says otherwise).
    Always,
    /// Off by default, on from `w1` (the checks the kernel turns off with `-Wno-...`).
    W1,
    /// On only at `w2`.
    W2,
    /// Only when named with `-W`/`-E` (dtc's CHECK-type checks).
    Explicit,
}

impl EnabledAt {
    pub fn as_str(self) -> &'static str {
        match self {
            EnabledAt::Always => "default",
            EnabledAt::W1 => "w1",
            EnabledAt::W2 => "w2",
            EnabledAt::Explicit => "explicit",
        }
    }
}

/// What a rule's function receives: the precomputed facts and a place to put findings.
pub type RunFn = fn(&Context, &mut Out);

/// One check, defined once.
pub struct Rule {
    /// The catalog's id, exactly (`xen-compatible-order`, `dtc-unit_address_vs_reg`).
    pub id: &'static str,
    pub family: RuleFamily,
    pub scope: Scope,
    /// The catalog's headline severity. Rules with split severities ("error / warning")
    /// emit each finding at the severity the catalog gives for that case.
    pub severity: Severity,
    pub enabled_at: EnabledAt,
    /// One line, no trailing period.
    pub summary: &'static str,
    /// Why, the fix, an example; contested or unverified points said as such. Plain text
    /// with blank-line paragraphs and `code` spans.
    pub explanation: &'static str,
    /// Short citations (see [`sources`]).
    pub sources: &'static [&'static str],
    pub run: RunFn,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish_non_exhaustive()
    }
}

impl Rule {
    /// The rule's page as plain text (what `dtlens explain ID` prints).
    pub fn explain_text(&self) -> String {
        let mut s = format!(
            "{}\n{}\n\n{}\n\nfamily: {} ({})\nscope: {}\ndefault severity: {}\nenabled at: {}\n\n{}\n",
            self.id,
            "=".repeat(self.id.len()),
            self.summary,
            self.family.as_str(),
            self.family.title(),
            self.scope.as_str(),
            self.severity.as_str(),
            self.enabled_at.as_str(),
            self.explanation.trim()
        );
        if !self.sources.is_empty() {
            s.push_str("\nSources:\n");
            for src in self.sources {
                s.push_str("- ");
                s.push_str(src);
                s.push('\n');
            }
        }
        s
    }
}

/// A mechanical fix, as data. Paths are full node paths at the time of the check; the
/// editing code applies them to the same tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Give the node a new full name (`name[@unit]`).
    RenameNode { path: String, new_name: String },
    /// Set (or add) a property to exactly these bytes.
    SetProperty { path: String, property: String, value: Vec<u8> },
    /// Delete a property.
    RemoveProperty { path: String, property: String },
}

impl Fix {
    /// A short imperative sentence for a button or a tooltip.
    pub fn describe(&self) -> String {
        match self {
            Fix::RenameNode { path, new_name } => format!("rename {path} to {new_name}"),
            Fix::SetProperty { path, property, value } => {
                format!("set {path}:{property} to {}", describe_bytes(value))
            }
            Fix::RemoveProperty { path, property } => format!("delete {path}:{property}"),
        }
    }

    /// The fix as edit operations (what the UI's fix button, `dtlens edit --fix` and undo
    /// apply), so a fix is never a second kind of edit.
    pub fn to_ops(&self) -> Vec<crate::edit::Op> {
        use crate::edit::Op;
        vec![match self {
            Fix::RenameNode { path, new_name } => Op::RenameNode { path: path.clone(), name: new_name.clone() },
            Fix::SetProperty { path, property, value } => {
                Op::SetProp { path: path.clone(), name: property.clone(), value: value.clone() }
            }
            Fix::RemoveProperty { path, property } => Op::RemoveProp { path: path.clone(), name: property.clone() },
        }]
    }
}

/// Bytes as DTS-ish text: a string list, cells, or bytes.
pub fn describe_bytes(v: &[u8]) -> String {
    if v.is_empty() {
        return "<empty>".to_string();
    }
    if crate::value::looks_like_strings(v) {
        if let Some(list) = crate::value::as_string_list(v) {
            return list.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
        }
    }
    if let Some(cells) = crate::value::as_cells(v) {
        return format!("<{}>", cells.iter().map(|c| format!("0x{c:x}")).collect::<Vec<_>>().join(" "));
    }
    format!("[{}]", v.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "))
}

/// Encodes a string list the way DTS `"a", "b"` does.
pub fn string_list_bytes<S: AsRef<str>>(list: &[S]) -> Vec<u8> {
    let mut v = Vec::new();
    for s in list {
        v.extend_from_slice(s.as_ref().as_bytes());
        v.push(0);
    }
    v
}

/// One problem (or label) found in one tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule id.
    pub rule: &'static str,
    pub severity: Severity,
    /// Full path of the node it concerns.
    pub path: String,
    /// The property it concerns, if any.
    pub property: Option<String>,
    /// What is wrong in this blob, with the actual values.
    pub message: String,
    /// Byte offset of the property (when named and known) or else of the node in the blob.
    pub offset: Option<u32>,
    pub fix: Option<Fix>,
    /// The node, for the UI (select on click). Not part of the JSON form.
    pub node: NodeId,
}

impl std::fmt::Display for Finding {
    /// `path[:property]: severity: message [rule-id]`, like compilers.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(p) = &self.property {
            write!(f, ":{p}")?;
        }
        write!(f, ": {}: {} [{}]", self.severity.as_str(), self.message, self.rule)
    }
}

/// Where a rule puts its findings. Knows the tree (for paths and offsets) and the rule id.
pub struct Out<'t> {
    tree: &'t Tree,
    rule: &'static str,
    findings: Vec<Finding>,
}

impl<'t> Out<'t> {
    pub fn new(tree: &'t Tree, rule: &'static str) -> Self {
        Out { tree, rule, findings: Vec::new() }
    }

    /// Adds a finding and returns it, so a fix can be attached.
    pub fn push(
        &mut self,
        severity: Severity,
        node: NodeId,
        property: Option<&str>,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push_message(severity, node, property, message.into())
    }

    /// The body of [`push`](Self::push), once (not once per message type) in the wasm.
    fn push_message(
        &mut self,
        severity: Severity,
        node: NodeId,
        property: Option<&str>,
        message: String,
    ) -> &mut Finding {
        let n = self.tree.nodes.get(node.0);
        let offset = match (property, n) {
            (Some(p), Some(n)) => n.prop(p).and_then(|p| p.offset).or(n.offset),
            (None, Some(n)) => n.offset,
            _ => None,
        };
        let path = if n.is_some() { self.tree.path(node) } else { String::from("?") };
        self.findings.push(Finding {
            rule: self.rule,
            severity,
            path,
            property: property.map(str::to_string),
            message,
            offset,
            fix: None,
            node,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    pub fn error(&mut self, node: NodeId, property: Option<&str>, message: impl Into<String>) -> &mut Finding {
        self.push(Severity::Error, node, property, message)
    }

    pub fn warning(&mut self, node: NodeId, property: Option<&str>, message: impl Into<String>) -> &mut Finding {
        self.push(Severity::Warning, node, property, message)
    }

    pub fn info(&mut self, node: NodeId, property: Option<&str>, message: impl Into<String>) -> &mut Finding {
        self.push(Severity::Info, node, property, message)
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

impl Finding {
    pub fn with_fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}

/// Which generic checks are on, like the kernel's `make dtbs` / `W=1` / `W=2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    Default,
    W1,
    W2,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "default" | "0" => Some(Level::Default),
            "w1" | "1" => Some(Level::W1),
            "w2" | "2" => Some(Level::W2),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Default => "default",
            Level::W1 => "w1",
            Level::W2 => "w2",
        }
    }

    /// Whether a rule enabled at `at` is on at this level.
    pub fn includes(self, at: EnabledAt) -> bool {
        match at {
            EnabledAt::Always => true,
            EnabledAt::W1 => self != Level::Default,
            EnabledAt::W2 => self == Level::W2,
            EnabledAt::Explicit => false,
        }
    }
}

/// A per-rule (or per-family) override: `--no ID`, `-W ID`, `-E ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Override {
    Off,
    Warning,
    Error,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub level: Level,
    /// Keyed by rule id or by family name (`xen`, `dtc`); a rule id wins over its family.
    /// Later inserts replace earlier ones, so the last flag on a command line wins.
    pub overrides: HashMap<String, Override>,
    /// Report every warning as an error (infos stay infos).
    pub warnings_as_errors: bool,
}

impl Config {
    pub fn set(&mut self, key: impl Into<String>, o: Override) -> &mut Self {
        self.overrides.insert(key.into(), o);
        self
    }

    fn override_for(&self, rule: &Rule) -> Option<Override> {
        self.overrides.get(rule.id).or_else(|| self.overrides.get(rule.family.as_str())).copied()
    }

    /// Whether the rule runs under this configuration (ignoring scope).
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        match self.override_for(rule) {
            Some(Override::Off) => false,
            Some(_) => true,
            None => self.level.includes(rule.enabled_at),
        }
    }

    /// The severity a finding of `rule` emitted at `sev` is reported with.
    pub fn effective_severity(&self, rule: &Rule, sev: Severity) -> Severity {
        let sev = match self.override_for(rule) {
            Some(Override::Warning) => Severity::Warning,
            Some(Override::Error) => Severity::Error,
            _ => sev,
        };
        if self.warnings_as_errors && sev == Severity::Warning {
            Severity::Error
        } else {
            sev
        }
    }
}

/// Runs every enabled rule whose scope matches the tree. Findings are sorted by document
/// order of their node, then rule id; within that, in the order the rule emitted them.
pub fn run(tree: &Tree, config: &Config) -> Vec<Finding> {
    let ctx = Context::new(tree);
    run_with(&ctx, config)
}

/// [`run`] with a context the caller already built (the UI keeps one per document).
pub fn run_with(ctx: &Context, config: &Config) -> Vec<Finding> {
    let mut all_findings = Vec::new();
    for rule in registry::all() {
        if !config.is_enabled(rule) || !rule.scope.applies_to(ctx.scope) {
            continue;
        }
        let mut out = Out::new(ctx.tree, rule.id);
        (rule.run)(ctx, &mut out);
        for mut f in out.into_findings() {
            f.severity = config.effective_severity(rule, f.severity);
            all_findings.push(f);
        }
    }
    sort_findings(ctx, &mut all_findings);
    all_findings
}

/// Sorts findings into the order [`run`] returns them: by document order of their node, then
/// rule id, equal keys keeping their order. Through the crate's one shared sort
/// ([`crate::order`], no sort code of its own in the wasm): the rule id's rank among the ids
/// present (k² comparisons for k distinct rules) joins the node's position in one integer key.
pub fn sort_findings(ctx: &Context, findings: &mut Vec<Finding>) {
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for f in findings.iter() {
        rank.entry(f.rule).or_insert(0);
    }
    let ids: Vec<&str> = rank.keys().copied().collect();
    for (id, r) in rank.iter_mut() {
        *r = ids.iter().filter(|&&o| o < *id).count();
    }
    let keys: Vec<u64> = findings
        .iter()
        .map(|f| u64::from(ctx.doc_index(f.node)) << 32 | rank.get(f.rule).map_or(0, |&r| r as u64))
        .collect();
    crate::order::permute(findings, &crate::order::stable_order(&keys));
}

/// Number of findings at each severity: (errors, warnings, infos).
pub fn counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings.iter().fold((0, 0, 0), |(e, w, i), f| match f.severity {
        Severity::Error => (e + 1, w, i),
        Severity::Warning => (e, w + 1, i),
        Severity::Info => (e, w, i + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Property;

    fn xen_tree(compat: &[&str]) -> Tree {
        let mut t = Tree::new();
        let r = t.root;
        t.node_mut(r).props.push(Property::new("#address-cells", 2u32.to_be_bytes()));
        t.node_mut(r).props.push(Property::new("#size-cells", 2u32.to_be_bytes()));
        let hv = t.add_child(r, "hypervisor");
        t.node_mut(hv).props.push(Property::new("compatible", string_list_bytes(compat)));
        t
    }

    #[test]
    fn rule_ids_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for r in all() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            let prefix_ok = match r.family {
                RuleFamily::Epapr => r.id.starts_with("epapr-"),
                RuleFamily::Xen => r.id.starts_with("xen-"),
                RuleFamily::Xenboot => r.id.starts_with("xenboot-"),
                RuleFamily::Dom0less => r.id.starts_with("dom0less-") || r.id.starts_with("static-"),
                RuleFamily::Hv => r.id.starts_with("hv-"),
                RuleFamily::Dt => r.id.starts_with("dt-"),
                RuleFamily::Dtc => r.id.starts_with("dtc-"),
            };
            assert!(prefix_ok, "{} is filed under {:?}", r.id, r.family);
            assert!(!r.summary.is_empty() && !r.explanation.is_empty() && !r.sources.is_empty(), "{}", r.id);
            assert!(!r.summary.ends_with('.'), "summary of {} ends with a period", r.id);
        }
        assert!(find("xen-compatible-order").is_some());
        assert!(find("no-such-rule").is_none());
    }

    #[test]
    fn overrides_and_levels() {
        let rule = find("xen-compatible-order").unwrap();
        let mut c = Config::default();
        assert!(c.is_enabled(rule));
        assert_eq!(c.effective_severity(rule, Severity::Warning), Severity::Warning);
        c.warnings_as_errors = true;
        assert_eq!(c.effective_severity(rule, Severity::Warning), Severity::Error);
        assert_eq!(c.effective_severity(rule, Severity::Info), Severity::Info);
        c.set("xen", Override::Off);
        assert!(!c.is_enabled(rule));
        c.set("xen-compatible-order", Override::Warning);
        assert!(c.is_enabled(rule));
        assert_eq!(c.effective_severity(rule, Severity::Error), Severity::Error, "werror still applies");
        c.warnings_as_errors = false;
        assert_eq!(c.effective_severity(rule, Severity::Error), Severity::Warning);
        assert!(Level::W1.includes(EnabledAt::W1) && !Level::Default.includes(EnabledAt::W1));
        assert!(Level::W2.includes(EnabledAt::W2) && !Level::W1.includes(EnabledAt::W2));
        assert!(!Level::W2.includes(EnabledAt::Explicit));
    }

    #[test]
    fn run_reports_wrong_order_with_fix_and_respects_off() {
        let t = xen_tree(&["xen,xen", "xen,xen-4.2"]);
        let f = run(&t, &Config::default());
        let order: Vec<_> = f.iter().filter(|f| f.rule == "xen-compatible-order").collect();
        assert_eq!(order.len(), 1, "{f:#?}");
        assert_eq!(order[0].severity, Severity::Error);
        assert_eq!(order[0].path, "/hypervisor");
        assert!(order[0].message.contains("\"xen,xen\" first"), "{}", order[0].message);
        assert_eq!(
            order[0].fix,
            Some(Fix::SetProperty {
                path: "/hypervisor".into(),
                property: "compatible".into(),
                value: string_list_bytes(&["xen,xen-4.2", "xen,xen"])
            })
        );
        let mut c = Config::default();
        c.set("xen-compatible-order", Override::Off);
        assert!(run(&t, &c).iter().all(|f| f.rule != "xen-compatible-order"));
    }

    #[test]
    fn sort_findings_is_std_stable_sort_even_with_interleaved_rules() {
        let mut t = xen_tree(&["xen,xen"]);
        let r = t.root;
        let a = t.add_child(r, "a");
        let b = t.add_child(r, "b");
        let ctx = Context::new(&t);
        let rules = ["xen-b", "dt-a", "xen-a", "dt-a", "dt-b"];
        let nodes = [b, r, a, b, a, r, NodeId(999)];
        let mut v: Vec<Finding> = (0..70)
            .map(|i| Finding {
                rule: rules[i % rules.len()],
                severity: Severity::Info,
                path: String::new(),
                property: None,
                message: i.to_string(),
                offset: None,
                fix: None,
                node: nodes[i % nodes.len()],
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by(|x, y| ctx.doc_index(x.node).cmp(&ctx.doc_index(y.node)).then_with(|| x.rule.cmp(y.rule)));
        sort_findings(&ctx, &mut v);
        assert_eq!(v, expected);
    }

    #[test]
    fn findings_sorted_by_document_order_then_rule() {
        let mut t = xen_tree(&["xen,xen"]);
        let r = t.root;
        let other = t.add_child(r, "second");
        t.node_mut(other).props.push(Property::new("compatible", string_list_bytes(&["xen,xen-4.2", "xen,xen"])));
        let f = run(&t, &Config::default());
        let ctx = Context::new(&t);
        for w in f.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            assert!((ctx.doc_index(a.node), a.rule) <= (ctx.doc_index(b.node), b.rule), "{a} before {b}");
        }
        assert!(f.iter().any(|x| x.path == "/second"));
    }

    #[test]
    fn never_panics_on_odd_values() {
        let mut t = xen_tree(&["xen,xen-4.2", "xen,xen"]);
        let r = t.root;
        let hv = t.find("/hypervisor").unwrap();
        for (name, v) in [
            ("reg", vec![1u8, 2, 3]),
            ("interrupts", vec![0xff; 7]),
            ("interrupt-parent", vec![0xff; 4]),
            ("hcall-instructions", vec![]),
            ("status", vec![0xff]),
        ] {
            t.node_mut(hv).props.push(Property::new(name, v));
        }
        t.node_mut(r).props[0].value = vec![0xff, 0xff, 0xff, 0xff];
        let c = Config { level: Level::W2, ..Config::default() };
        let _ = run(&t, &c);
        let chosen = t.add_child(r, "chosen");
        t.node_mut(chosen).props.push(Property::new("xen,xen-bootargs", vec![1, 2]));
        let m = t.add_child(chosen, "module@zz");
        t.node_mut(m).props.push(Property::new("compatible", b"multiboot,module\0".to_vec()));
        t.node_mut(m).props.push(Property::new("reg", vec![0; 5]));
        assert_eq!(Context::new(&t).scope, TreeScope::HostXen);
        let f = run(&t, &c);
        assert!(f.iter().any(|f| f.rule == "xenboot-module-reg" && f.severity == Severity::Error), "{f:#?}");
    }
}
