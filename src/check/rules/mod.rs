//! The rules, one file per catalog family. Each file defines its rules as `pub static`
//! [`Rule`](super::Rule) values and lists them, in catalog order, in its `RULES` slice; the
//! registry concatenates those slices. Shared helpers for rule functions live here.

pub mod dom0less;
pub mod dt;
pub mod dtc;
pub mod epapr;
pub mod hv;
pub mod xen;
pub mod xenboot;

use super::Context;
use crate::tree::NodeId;

/// `s` quoted for messages: `"` + `s.escape_debug()` + `"`, written out for ASCII (the
/// common case) so std's `str::EscapeDebug` formatter (2.6 KB of wasm) is not linked.
pub fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\\' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

/// A compatible list printed as DTS: `"a", "b"`.
pub fn qlist(list: &[&str]) -> String {
    list.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
}

/// Cells printed as DTS: `<0x1 0xf 0xf08>`.
pub fn cells_text(cells: &[u32]) -> String {
    format!("<{}>", cells.iter().map(|c| format!("0x{c:x}")).collect::<Vec<_>>().join(" "))
}

/// A byte length with its unit: `4 bytes`.
pub fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

/// The unit address a node with this first `reg` address should have (DT spec: lower-case
/// hex, no `0x`, no leading zeros).
pub fn unit_of(addr: u64) -> String {
    format!("{addr:x}")
}

/// Whether a sibling of `id` already has the full name `name`.
pub fn sibling_named(ctx: &Context, id: NodeId, name: &str) -> bool {
    let Some(parent) = ctx.parent(id) else { return false };
    let own = u32::from(ctx.name(id) == name);
    ctx.children_named(parent, name) > own
}

/// Human size: `16 MiB`, `128 KiB`, `0x1234 bytes`.
pub fn size_text(n: u64) -> String {
    const KIB: u64 = 1024;
    if n != 0 && n.is_multiple_of(KIB * KIB * KIB) {
        format!("{} GiB", n / (KIB * KIB * KIB))
    } else if n != 0 && n.is_multiple_of(KIB * KIB) {
        format!("{} MiB", n / (KIB * KIB))
    } else if n != 0 && n.is_multiple_of(KIB) {
        format!("{} KiB", n / KIB)
    } else {
        format!("0x{n:x} bytes")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn q_escapes_ascii_like_escape_debug() {
        let all: String = (0u8..128).map(char::from).collect();
        for s in [all.as_str(), "", "a'b\"c\\d", "serial@1c28000", "\u{7f}x\0"] {
            assert_eq!(super::q(s), format!("\"{}\"", s.escape_debug()), "{s:?}");
        }
        for c in (0u8..128).map(char::from) {
            let s = c.to_string();
            assert_eq!(super::q(&s), format!("\"{}\"", s.escape_debug()), "{s:?}");
        }
    }
}
