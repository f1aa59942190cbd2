//! Edits as boot-prompt commands: a U-Boot `fdt` script and `fdtput` command lines.
//!
//! People patch Xen boot trees at the U-Boot prompt or with `fdtput` on a host. Both tools
//! work on paths and raw values, so most [`Op`]s map one to one. What they cannot express
//! (renaming or moving a node, renaming a property) is written as a comment that says so,
//! never silently dropped.

use crate::edit::Op;
use crate::value;
use std::fmt::Write as _;

/// How a value is spelled on a command line.
enum Spelled {
    Empty,
    Strings(Vec<String>),
    Cells(Vec<u32>),
    Bytes(Vec<u8>),
}

fn spell(v: &[u8]) -> Spelled {
    if v.is_empty() {
        return Spelled::Empty;
    }
    if value::looks_like_strings(v) {
        if let Some(list) = value::as_string_list(v) {
            return Spelled::Strings(list.into_iter().map(String::from).collect());
        }
    }
    match value::as_cells(v) {
        Some(c) => Spelled::Cells(c),
        None => Spelled::Bytes(v.to_vec()),
    }
}

/// Quotes a word for a POSIX shell (fdtput) or U-Boot's hush shell; both accept
/// single quotes with no escapes inside.
fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/,._+-#@:=".contains(c)) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn uboot_value(v: &[u8]) -> String {
    match spell(v) {
        Spelled::Empty => String::new(),
        Spelled::Strings(list) => {
            list.iter().map(|s| format!(" \"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))).collect()
        }
        Spelled::Cells(c) => {
            let inner: Vec<String> = c.iter().map(|x| format!("0x{x:x}")).collect();
            format!(" \"<{}>\"", inner.join(" "))
        }
        Spelled::Bytes(b) => {
            let inner: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
            format!(" \"[{}]\"", inner.join(" "))
        }
    }
}

/// The parent path of `path` (`/` for top-level nodes).
fn parent_of(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((parent, _)) => parent,
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent == "/" {
        format!("/{name}")
    } else {
        format!("{parent}/{name}")
    }
}

/// A U-Boot script (`fdt addr` must already point at the tree). One command per line.
pub fn uboot_script(ops: &[Op]) -> String {
    let mut s =
        String::from("# U-Boot commands (run after `fdt addr <address>`; `fdt resize` first if the tree grows)\n");
    for op in ops {
        let _ = match op {
            Op::SetProp { path, name, value } => {
                writeln!(s, "fdt set {} {}{}", quote(path), quote(name), uboot_value(value))
            }
            Op::RemoveProp { path, name } => writeln!(s, "fdt rm {} {}", quote(path), quote(name)),
            Op::AddNode { parent, name, index: _ } => writeln!(s, "fdt mknode {} {}", quote(parent), quote(name)),
            Op::RemoveNode { path } => writeln!(s, "fdt rm {}", quote(path)),
            Op::AddReservation { address, size, index: _ } => {
                writeln!(s, "fdt rsvmem add 0x{address:x} 0x{size:x}")
            }
            Op::RemoveReservation { index } => writeln!(s, "fdt rsvmem delete {index}"),
            Op::RenameProp { path, from, to } => {
                writeln!(s, "# not expressible in U-Boot: rename property {from} of {path} to {to}")
            }
            Op::RenameNode { path, name } => {
                writeln!(s, "# not expressible in U-Boot: rename node {path} to {name}")
            }
            Op::MoveNode { path, new_parent, .. } => {
                writeln!(s, "# not expressible in U-Boot: move node {path} under {new_parent}")
            }
        };
    }
    s
}

/// `fdtput` command lines acting on `file`.
pub fn fdtput_lines(ops: &[Op], file: &str) -> String {
    let f = quote(file);
    let mut s = String::from("#!/bin/sh\nset -e\n");
    for op in ops {
        let _ = match op {
            Op::SetProp { path, name, value } => match spell(value) {
                Spelled::Empty => writeln!(s, "# fdtput cannot write an empty property: {path} {name}"),
                Spelled::Strings(list) => {
                    let words: Vec<String> = list.iter().map(|w| quote(w)).collect();
                    writeln!(s, "fdtput -t s {f} {} {} {}", quote(path), quote(name), words.join(" "))
                }
                Spelled::Cells(c) => {
                    let words: Vec<String> = c.iter().map(|x| format!("0x{x:x}")).collect();
                    writeln!(s, "fdtput -t x {f} {} {} {}", quote(path), quote(name), words.join(" "))
                }
                Spelled::Bytes(b) => {
                    let words: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
                    writeln!(s, "fdtput -t bx {f} {} {} {}", quote(path), quote(name), words.join(" "))
                }
            },
            Op::RemoveProp { path, name } => writeln!(s, "fdtput -d {f} {} {}", quote(path), quote(name)),
            Op::AddNode { parent, name, index: _ } => {
                writeln!(s, "fdtput -c {f} {}", quote(&join(parent, name)))
            }
            Op::RemoveNode { path } => writeln!(s, "fdtput -r {f} {}", quote(path)),
            Op::AddReservation { address, size, .. } => {
                writeln!(s, "# fdtput cannot edit the reserve map: add 0x{address:x} size 0x{size:x}")
            }
            Op::RemoveReservation { index } => {
                writeln!(s, "# fdtput cannot edit the reserve map: remove entry {index}")
            }
            Op::RenameProp { path, from, to } => {
                writeln!(s, "# fdtput cannot rename: property {from} of {path} to {to}")
            }
            Op::RenameNode { path, name } => {
                writeln!(s, "# fdtput cannot rename: node {path} to {}", join(parent_of(path), name))
            }
            Op::MoveNode { path, new_parent, .. } => {
                writeln!(s, "# fdtput cannot move: node {path} under {new_parent}")
            }
        };
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Vec<Op> {
        vec![
            Op::SetProp {
                path: "/hypervisor".into(),
                name: "compatible".into(),
                value: b"xen,xen-4.19\0xen,xen\0".to_vec(),
            },
            Op::SetProp {
                path: "/hypervisor".into(),
                name: "reg".into(),
                value: [0u32, 0xb000_0000, 0, 0x20000].iter().flat_map(|c| c.to_be_bytes()).collect(),
            },
            Op::SetProp { path: "/chosen".into(), name: "odd".into(), value: vec![1, 2, 3] },
            Op::SetProp {
                path: "/chosen".into(),
                name: "xen,xen-bootargs".into(),
                value: b"console=dtuart it's\0".to_vec(),
            },
            Op::AddNode { parent: "/chosen".into(), name: "module@0".into(), index: None },
            Op::RemoveProp { path: "/".into(), name: "model".into() },
            Op::RemoveNode { path: "/soc/serial@1000".into() },
            Op::RenameNode { path: "/hypervisor@b0000000".into(), name: "hypervisor".into() },
            Op::AddReservation { address: 0x4800_0000, size: 0x1000, index: None },
        ]
    }

    #[test]
    fn uboot() {
        let s = uboot_script(&ops());
        let lines: Vec<&str> = s.lines().skip(1).collect();
        assert_eq!(
            lines,
            vec![
                "fdt set /hypervisor compatible \"xen,xen-4.19\" \"xen,xen\"",
                "fdt set /hypervisor reg \"<0x0 0xb0000000 0x0 0x20000>\"",
                "fdt set /chosen odd \"[01 02 03]\"",
                "fdt set /chosen xen,xen-bootargs \"console=dtuart it's\"",
                "fdt mknode /chosen module@0",
                "fdt rm / model",
                "fdt rm /soc/serial@1000",
                "# not expressible in U-Boot: rename node /hypervisor@b0000000 to hypervisor",
                "fdt rsvmem add 0x48000000 0x1000",
            ]
        );
    }

    #[test]
    fn fdtput() {
        let s = fdtput_lines(&ops(), "board.dtb");
        let lines: Vec<&str> = s.lines().skip(2).collect();
        assert_eq!(
            lines,
            vec![
                "fdtput -t s board.dtb /hypervisor compatible xen,xen-4.19 xen,xen",
                "fdtput -t x board.dtb /hypervisor reg 0x0 0xb0000000 0x0 0x20000",
                "fdtput -t bx board.dtb /chosen odd 01 02 03",
                "fdtput -t s board.dtb /chosen xen,xen-bootargs 'console=dtuart it'\\''s'",
                "fdtput -c board.dtb /chosen/module@0",
                "fdtput -d board.dtb / model",
                "fdtput -r board.dtb /soc/serial@1000",
                "# fdtput cannot rename: node /hypervisor@b0000000 to /hypervisor",
                "# fdtput cannot edit the reserve map: add 0x48000000 size 0x1000",
            ]
        );
    }
}
