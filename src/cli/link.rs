//! `dtlens link`: make a review link (or a `.dtlens` file) for a blob, its edits and comments.

use serde_json::Value;

use super::{read_input, Args, CliError, Command, EXIT_OK, EXIT_USAGE};
use crate::edit::{History, Op};
use crate::share::{self, Comment, LinkSize, ShareOp, ShareV1};

pub const COMMAND: Command = Command {
    name: "link",
    summary: "Make a review link: the blob, its edits and comments, in a URL fragment",
    usage: "dtlens link [--edits EDITS.json] [--comment PATH[:PROP]=TEXT]... [--select PATH[:PROP]] [--base URL] [--dtlens OUT] [--force] FILE",
    help: "\
Prints a link that opens FILE (a .dtb, or - for standard input) in the dtlens browser app with the given edits
applied, the comments pinned and the selection made. Everything is in the part after `#`,
which browsers never send to a server: `#v1.` + base64url of the deflate-compressed share
container. The original blob is carried unchanged; the edits travel as operations.

Options:
  --edits FILE       a JSON list of edit operations (format below); - reads standard input
  --comment PATH[:PROP]=TEXT
                     pin a comment to the node PATH (or its property PROP); repeatable
  --select PATH[:PROP]
                     the node (and property) selected when the link is opened
  --base URL         where the app is served (default http://127.0.0.1:8080/)
  --dtlens OUT       also write the same content as a .dtlens file (for links too long to
                     paste; `dtlens open` and the app read it)
  --force            use the readable part of a damaged blob instead of failing

Edits (JSON): a list of objects, each with an \"op\" and its fields. Numbers may be JSON
numbers or strings such as \"0x1000\"; \"index\" is optional (default: last).
  {\"op\": \"set-prop\", \"path\": \"/chosen\", \"name\": \"bootargs\", \"string\": \"console=hvc0\"}
      the value is one of: \"string\": S, \"strings\": [S, ...], \"cells\": [N, ...] (32-bit),
      \"bytes\": \"0a0b0c\" (hex); none of them gives an empty value
  {\"op\": \"remove-prop\", \"path\": P, \"name\": N}
  {\"op\": \"rename-prop\", \"path\": P, \"from\": N, \"to\": N}
  {\"op\": \"add-node\", \"parent\": P, \"name\": N, \"index\": I}
  {\"op\": \"remove-node\", \"path\": P}
  {\"op\": \"rename-node\", \"path\": P, \"name\": N}
  {\"op\": \"move-node\", \"path\": P, \"new-parent\": P, \"index\": I}
  {\"op\": \"add-reservation\", \"address\": A, \"size\": S, \"index\": I}
  {\"op\": \"remove-reservation\", \"index\": I}
The edits must apply to FILE in order; the first one that does not is an error.

The link length decides how to share it: under 8 KiB it is fine anywhere; up to 1.5 MiB a
warning is printed (some chat tools cut long links); beyond that, use --dtlens.

Example:
  dtlens link board.dtb --edits fix.json --comment '/hypervisor:compatible=version first'
",
    run,
};

fn run(mut args: Args) -> Result<i32, CliError> {
    let edits = args.value(&["--edits"])?;
    let comments = args.values(&["--comment"])?;
    let select = args.value(&["--select"])?;
    let base = args.value(&["--base"])?.unwrap_or_else(|| share::DEFAULT_BASE.to_string());
    let dtlens_out = args.value(&["--dtlens"])?;
    let force = args.flag(&["--force"]);
    let file = args.one_file()?;

    // Read once (FILE may be standard input), then report like every other command.
    let blob = read_input(&file)?;
    let read = crate::dtb::read(&blob);
    let errors = read.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).count();
    for d in &read.diagnostics {
        eprintln!("{file}: {d}");
    }
    if errors > 0 && !force {
        return Err(CliError::usage(format!(
            "{file} is not a readable device-tree blob ({errors} error{} above); use --force to share it anyway",
            if errors == 1 { "" } else { "s" }
        )));
    }
    let ops = match &edits {
        Some(path) => {
            let text = read_input(path)?;
            let json: Value =
                serde_json::from_slice(&text).map_err(|e| CliError::usage(format!("{path} is not valid JSON: {e}")))?;
            parse_ops(&json).map_err(|e| CliError::usage(format!("{path}: {e}")))?
        }
        None => Vec::new(),
    };
    let mut history = History::new(read.tree);
    for (i, op) in ops.iter().enumerate() {
        history
            .apply(op.clone())
            .map_err(|e| CliError::usage(format!("edit #{} does not apply to {file}: {e}", i + 1)))?;
    }
    let name = match std::path::Path::new(&file).file_name() {
        Some(n) if file != "-" => n.to_string_lossy().into_owned(),
        _ => "stdin.dtb".to_string(),
    };
    let mut s = ShareV1::from_history(name, blob, &history);
    for c in &comments {
        let (target, text) = c
            .split_once('=')
            .ok_or_else(|| CliError::usage(format!("usage: --comment {c}: expected PATH[:PROP]=TEXT")))?;
        let (path, property) = split_target(target);
        check_path(&history, path)?;
        s.comments.push(Comment { path: path.to_string(), property, text: text.to_string() });
    }
    if let Some(sel) = &select {
        let (path, property) = split_target(sel);
        check_path(&history, path)?;
        s.selection = Some((path.to_string(), property));
    }
    s.check()
        .map_err(|l| CliError { code: EXIT_USAGE, message: format!("cannot share this: {l:?} limit exceeded") })?;

    if let Some(out) = &dtlens_out {
        super::write_output(Some(std::path::Path::new(out)), &share::encode_file(&s))?;
    }
    let link = share::link(&base, &s);
    match LinkSize::of(link.len()) {
        LinkSize::Silent => {}
        LinkSize::Warn => eprintln!(
            "dtlens link: the link is {} bytes long; some chat tools cut long links (--dtlens OUT writes a file instead)",
            link.len()
        ),
        LinkSize::TooLong => eprintln!(
            "dtlens link: the link is {} bytes long, too long to paste reliably; share a .dtlens file (--dtlens OUT) instead",
            link.len()
        ),
    }
    println!("{link}");
    Ok(EXIT_OK)
}

/// `PATH[:PROP]` → (path, property).
fn split_target(t: &str) -> (&str, Option<String>) {
    match t.split_once(':') {
        Some((p, prop)) => (p, Some(prop.to_string())),
        None => (t, None),
    }
}

/// Comments and the selection must name a node of the edited tree.
fn check_path(h: &History, path: &str) -> Result<(), CliError> {
    if h.tree().find(path).is_none() {
        return Err(CliError::usage(format!("no node {path} in the (edited) tree")));
    }
    Ok(())
}

/// Parses the JSON edit list documented in the help.
pub fn parse_ops(json: &Value) -> Result<Vec<Op>, String> {
    let list = json.as_array().ok_or("the edits must be a JSON list of objects")?;
    let mut ops = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let op = parse_op(item).map_err(|e| format!("edit #{}: {e}", i + 1))?;
        // Through the wire form and back: exactly what a link will carry.
        ops.push(Op::try_from(&ShareOp::from(&op))?);
    }
    Ok(ops)
}

fn parse_op(v: &Value) -> Result<Op, String> {
    let obj = v.as_object().ok_or("expected an object")?;
    let kind = obj.get("op").and_then(Value::as_str).ok_or("missing \"op\"")?;
    let s = |k: &str| -> Result<String, String> {
        obj.get(k).and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("{kind}: missing string \"{k}\""))
    };
    let num = |k: &str| -> Result<u64, String> {
        number(obj.get(k).ok_or_else(|| format!("{kind}: missing \"{k}\""))?)
            .map_err(|e| format!("{kind}: \"{k}\": {e}"))
    };
    let index = || -> Result<Option<usize>, String> {
        match obj.get("index") {
            None | Some(Value::Null) => Ok(None),
            Some(v) => {
                let n = number(v).map_err(|e| format!("{kind}: \"index\": {e}"))?;
                usize::try_from(n).map(Some).map_err(|_| format!("{kind}: index {n} is too large"))
            }
        }
    };
    Ok(match kind {
        "set-prop" => Op::SetProp { path: s("path")?, name: s("name")?, value: prop_value(obj)? },
        "remove-prop" => Op::RemoveProp { path: s("path")?, name: s("name")? },
        "rename-prop" => Op::RenameProp { path: s("path")?, from: s("from")?, to: s("to")? },
        "add-node" => Op::AddNode { parent: s("parent")?, name: s("name")?, index: index()? },
        "remove-node" => Op::RemoveNode { path: s("path")? },
        "rename-node" => Op::RenameNode { path: s("path")?, name: s("name")? },
        "move-node" => Op::MoveNode { path: s("path")?, new_parent: s("new-parent")?, index: index()? },
        "add-reservation" => Op::AddReservation { address: num("address")?, size: num("size")?, index: index()? },
        "remove-reservation" => {
            Op::RemoveReservation { index: index()?.ok_or_else(|| format!("{kind}: missing \"index\""))? }
        }
        other => return Err(format!("unknown op {other:?}")),
    })
}

/// A JSON number, or a string in decimal or `0x` hex.
fn number(v: &Value) -> Result<u64, String> {
    if let Some(n) = v.as_u64() {
        return Ok(n);
    }
    let Some(s) = v.as_str() else { return Err(format!("expected a number, got {v}")) };
    let t = s.trim();
    let r = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => t.parse(),
    };
    r.map_err(|_| format!("{s:?} is not a number"))
}

fn prop_value(obj: &serde_json::Map<String, Value>) -> Result<Vec<u8>, String> {
    let kinds: Vec<&str> =
        ["string", "strings", "cells", "bytes"].into_iter().filter(|k| obj.contains_key(*k)).collect();
    if kinds.len() > 1 {
        return Err(format!("set-prop: give one of string/strings/cells/bytes, not {}", kinds.join(" and ")));
    }
    let Some(&kind) = kinds.first() else { return Ok(Vec::new()) };
    let v = &obj[kind];
    let mut out = Vec::new();
    match kind {
        "string" => {
            let s = v.as_str().ok_or("set-prop: \"string\" must be a string")?;
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        "strings" => {
            for s in v.as_array().ok_or("set-prop: \"strings\" must be a list")? {
                out.extend_from_slice(s.as_str().ok_or("set-prop: \"strings\" must hold strings")?.as_bytes());
                out.push(0);
            }
        }
        "cells" => {
            for c in v.as_array().ok_or("set-prop: \"cells\" must be a list")? {
                let n = number(c).map_err(|e| format!("set-prop: cell: {e}"))?;
                let n = u32::try_from(n).map_err(|_| format!("set-prop: cell {n} does not fit 32 bits"))?;
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        _ => {
            let h = v.as_str().ok_or("set-prop: \"bytes\" must be a hex string")?;
            let h: String = h.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            if !h.len().is_multiple_of(2) || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("set-prop: \"bytes\" must be an even number of hex digits".into());
            }
            for i in (0..h.len()).step_by(2) {
                out.push(u8::from_str_radix(&h[i..i + 2], 16).map_err(|e| e.to_string())?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ops_parse() {
        let json: Value = serde_json::from_str(
            r#"[
              {"op": "set-prop", "path": "/", "name": "a", "string": "x"},
              {"op": "set-prop", "path": "/", "name": "b", "strings": ["x", "yz"]},
              {"op": "set-prop", "path": "/", "name": "c", "cells": [1, "0x10"]},
              {"op": "set-prop", "path": "/", "name": "d", "bytes": "0a ff"},
              {"op": "set-prop", "path": "/", "name": "e"},
              {"op": "move-node", "path": "/a", "new-parent": "/b", "index": 0},
              {"op": "add-reservation", "address": "0x1000", "size": 4096},
              {"op": "remove-reservation", "index": 1}
            ]"#,
        )
        .unwrap();
        let ops = parse_ops(&json).unwrap();
        let val = |i: usize| match &ops[i] {
            Op::SetProp { value, .. } => value.clone(),
            _ => panic!(),
        };
        assert_eq!(val(0), b"x\0");
        assert_eq!(val(1), b"x\0yz\0");
        assert_eq!(val(2), vec![0, 0, 0, 1, 0, 0, 0, 0x10]);
        assert_eq!(val(3), vec![0x0a, 0xff]);
        assert_eq!(val(4), Vec::<u8>::new());
        assert_eq!(ops[5], Op::MoveNode { path: "/a".into(), new_parent: "/b".into(), index: Some(0) });
        assert_eq!(ops[6], Op::AddReservation { address: 0x1000, size: 4096, index: None });
        assert_eq!(ops[7], Op::RemoveReservation { index: 1 });
    }

    #[test]
    fn json_errors_name_the_edit() {
        let bad = [
            (r#"{"op": "x"}"#, "the edits must be a JSON list"),
            (r#"[{"op": "frob"}]"#, "edit #1: unknown op \"frob\""),
            (r#"[{"op": "remove-node"}]"#, "edit #1: remove-node: missing string \"path\""),
            (r#"[{"op": "set-prop", "path": "/", "name": "a", "cells": [4294967296]}]"#, "does not fit 32 bits"),
            (r#"[{"op": "set-prop", "path": "/", "name": "a", "string": "x", "cells": []}]"#, "not string and cells"),
            (r#"[{"op": "set-prop", "path": "/", "name": "a", "bytes": "abc"}]"#, "even number of hex digits"),
        ];
        for (text, want) in bad {
            let e = parse_ops(&serde_json::from_str(text).unwrap()).unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
    }
}
