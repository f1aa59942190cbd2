//! What the printer knows about property names: which ones hold strings, which hold
//! cells, and where phandles sit in the cells of the phandle-bearing ones.
//!
//! The layouts follow the device-tree specification and the common bindings (the same
//! facts the kernel's `of_parse_phandle_with_args` and dtc's property checks rely on).
//! A layout is only a claim about where phandles *may* be: the printer still decodes the
//! whole value against it and falls back to plain cells when anything does not fit.

/// Where the phandles are in a phandle-bearing property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhandleLayout {
    /// `<&ctrl arg...>, ...`: each entry is a phandle followed by as many argument cells as
    /// the target's `cells_prop` says. A phandle of 0 is a one-cell empty entry. When the
    /// target lacks `cells_prop`, `default` is used if there is one, else the decode fails.
    Args { cells_prop: &'static str, default: Option<u32> },
    /// Each entry is a phandle followed by exactly this many cells (`gpio-ranges`).
    Fixed(u32),
    /// A list of bare phandles (`pinctrl-0`, `interrupt-parent`, `*-supply`).
    Bare,
    /// Entries of `per` cells with a phandle at index `at` (`rockchip,pins`:
    /// bank, pin, function, &pin-config).
    Tuple { per: u32, at: u32 },
}

const fn args(cells_prop: &'static str) -> PhandleLayout {
    PhandleLayout::Args { cells_prop, default: None }
}

/// Phandle + specifier properties, by exact name.
const ARGS_PROPS: &[(&str, PhandleLayout)] = &[
    ("clocks", args("#clock-cells")),
    ("assigned-clocks", args("#clock-cells")),
    ("assigned-clock-parents", args("#clock-cells")),
    ("resets", args("#reset-cells")),
    ("power-domains", args("#power-domain-cells")),
    ("dmas", args("#dma-cells")),
    ("phys", args("#phy-cells")),
    ("iommus", args("#iommu-cells")),
    ("mboxes", args("#mbox-cells")),
    ("pwms", args("#pwm-cells")),
    ("io-channels", args("#io-channel-cells")),
    ("thermal-sensors", args("#thermal-sensor-cells")),
    ("interconnects", args("#interconnect-cells")),
    ("sound-dai", args("#sound-dai-cells")),
    ("hwlocks", args("#hwlock-cells")),
    ("mux-controls", args("#mux-control-cells")),
    ("cooling-device", args("#cooling-cells")),
    ("interrupts-extended", args("#interrupt-cells")),
    ("msi-parent", PhandleLayout::Args { cells_prop: "#msi-cells", default: Some(0) }),
    ("gpio-ranges", PhandleLayout::Fixed(3)),
    ("rockchip,pins", PhandleLayout::Tuple { per: 4, at: 3 }),
];

/// Properties that hold one or more bare phandles, by exact name.
const BARE_PROPS: &[&str] = &[
    "interrupt-parent",
    "memory-region",
    "nvmem-cells",
    "phy-handle",
    "remote-endpoint",
    "cpu-idle-states",
    "next-level-cache",
    "operating-points-v2",
    "cpu",
    "interrupt-affinity",
    "sram",
    "trip",
    "required-opps",
    "devfreq",
    "backlight",
    "ddc-i2c-bus",
    "arm,cs-dev-assoc",
    "rockchip,grf",
];

/// The phandle layout of a property, if its name says it carries phandles.
pub fn phandle_layout(name: &str) -> Option<PhandleLayout> {
    if let Some(&(_, l)) = ARGS_PROPS.iter().find(|(n, _)| *n == name) {
        return Some(l);
    }
    if BARE_PROPS.contains(&name) || name.ends_with("-supply") || is_pinctrl_n(name) {
        return Some(PhandleLayout::Bare);
    }
    // `gpios`, `gpio`, `reset-gpios`, legacy `enable-gpio`; `nr-gpios`, `snps,nr-gpios` are
    // counts. (A GPIO hog's `gpios` has no phandle: the printer handles that case.)
    if !name.ends_with("nr-gpios")
        && (name == "gpios" || name == "gpio" || name.ends_with("-gpios") || name.ends_with("-gpio"))
    {
        return Some(args("#gpio-cells"));
    }
    None
}

/// `pinctrl-0`, `pinctrl-1`, ...
fn is_pinctrl_n(name: &str) -> bool {
    name.strip_prefix("pinctrl-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

const STRING_PROPS: &[&str] = &[
    "compatible",
    "model",
    "status",
    "device_type",
    "name",
    "bootargs",
    "xen,xen-bootargs",
    "xen,dom0-bootargs",
    "stdout-path",
    "linux,stdout-path",
    "label",
    "enable-method",
    "method",
    "entry-method",
    "phy-mode",
    "phy-connection-type",
    "dr_mode",
    "regulator-name",
    "firmware-name",
    "linux,default-trigger",
    "function",
    "groups",
    "pins",
    "manufacturer",
    "serial-number",
    "epapr-version",
];

/// Properties whose value is a string or string list by definition. The printer shows
/// them as strings when the bytes parse as such.
pub fn is_string_prop(name: &str) -> bool {
    STRING_PROPS.contains(&name) || name.ends_with("-names")
}

const CELL_PROPS: &[&str] = &[
    "reg",
    "ranges",
    "dma-ranges",
    "interrupts",
    "interrupt-map",
    "interrupt-map-mask",
    "phandle",
    "linux,phandle",
    "bus-range",
    "cpu-release-addr",
    "reg-shift",
    "reg-io-width",
    "virtual-reg",
];

/// Properties whose value is cells by definition: never guessed to be strings.
pub fn is_cell_prop(name: &str) -> bool {
    CELL_PROPS.contains(&name)
        || name.starts_with('#')
        || name.ends_with("-frequency")
        || phandle_layout(name).is_some()
}

/// Everything the printer needs to know about a property name, computed once per name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// dtc can lex the name.
    pub expressible: bool,
    /// A string or string list by definition ([`is_string_prop`]).
    pub string: bool,
    /// Cells by definition ([`is_cell_prop`]).
    pub cells: bool,
    /// A 64-bit quantity ([`crate::value::KNOWN_U64_PROPS`]).
    pub u64: bool,
    pub phandles: Option<PhandleLayout>,
}

pub fn classify(name: &str) -> Class {
    Class {
        expressible: is_expressible_name(name),
        string: is_string_prop(name),
        cells: is_cell_prop(name),
        u64: crate::value::KNOWN_U64_PROPS.contains(&name),
        phandles: phandle_layout(name),
    }
}

/// Characters dtc's lexer accepts in node and property names.
pub fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ',' | '.' | '_' | '+' | '*' | '#' | '?' | '@' | '-')
}

/// Whether dtc can read `name` back as a node or property name.
pub fn is_expressible_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii() && is_name_char(char::from(b)))
}

/// Whether `label` is a valid DTS label (`[a-zA-Z_][a-zA-Z0-9_]*`).
pub fn is_valid_label(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_by_name() {
        assert_eq!(phandle_layout("clocks"), Some(args("#clock-cells")));
        assert_eq!(phandle_layout("reset-gpios"), Some(args("#gpio-cells")));
        assert_eq!(phandle_layout("gpios"), Some(args("#gpio-cells")));
        assert_eq!(phandle_layout("nr-gpios"), None);
        assert_eq!(phandle_layout("snps,nr-gpios"), None);
        assert_eq!(phandle_layout("ngpios"), None);
        assert_eq!(phandle_layout("#gpio-cells"), None);
        assert_eq!(phandle_layout("pinctrl-0"), Some(PhandleLayout::Bare));
        assert_eq!(phandle_layout("pinctrl-12"), Some(PhandleLayout::Bare));
        assert_eq!(phandle_layout("pinctrl-names"), None);
        assert_eq!(phandle_layout("pinctrl-"), None);
        assert_eq!(phandle_layout("vdd-supply"), Some(PhandleLayout::Bare));
        assert_eq!(phandle_layout("gpio-ranges"), Some(PhandleLayout::Fixed(3)));
        assert_eq!(phandle_layout("reg"), None);
    }

    #[test]
    fn kinds_by_name() {
        assert!(is_string_prop("compatible"));
        assert!(is_string_prop("clock-names"));
        assert!(!is_string_prop("clocks"));
        assert!(is_cell_prop("#address-cells"));
        assert!(is_cell_prop("clock-frequency"));
        assert!(is_cell_prop("clocks"));
        assert!(!is_cell_prop("compatible"));
    }

    #[test]
    fn names_and_labels() {
        assert!(is_expressible_name("serial@1000"));
        assert!(is_expressible_name("#address-cells"));
        assert!(is_expressible_name("3d@0,1"));
        assert!(is_expressible_name("a?b*c+d"));
        assert!(!is_expressible_name(""));
        assert!(!is_expressible_name("a b"));
        assert!(!is_expressible_name("a=b"));
        assert!(!is_expressible_name("grüße"));
        assert!(is_valid_label("gic"));
        assert!(is_valid_label("_x1"));
        assert!(!is_valid_label("1x"));
        assert!(!is_valid_label("a-b"));
        assert!(!is_valid_label(""));
    }
}
