//! Shared by `fdt_crosscheck` and `robustness`: a tree's shape as our reader sees it and as
//! the independent `fdt` crate (fallible API only) walks it, in one comparable form.
#![allow(dead_code)]

use dtlens::Tree;

/// Pre-order (depth, node name, [(property name, value)]), offsets aside.
pub type Shape = Vec<(usize, String, Vec<(String, Vec<u8>)>)>;

/// Our tree's shape.
pub fn shape(t: &Tree) -> Shape {
    t.walk()
        .map(|(id, d)| {
            let n = t.node(id);
            (d, n.name.clone(), n.props.iter().map(|p| (p.name.clone(), p.value.clone())).collect())
        })
        .collect()
}

/// Walks the whole tree with `fdt`, pre-order, iteratively. `Err` with fdt's message on the
/// first error it reports, or when a node lies deeper than `max_depth`. The root's name
/// (`/` in fdt) is normalised to `""`.
pub fn fdt_shape(bytes: &[u8], max_depth: usize) -> Result<Shape, String> {
    let fdt = fdt::Fdt::new_unaligned_fallible(bytes).map_err(|e| format!("{e:?}"))?;
    let root = fdt.find_node("/").map_err(|e| format!("{e:?}"))?.ok_or("no root")?;
    let mut out = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let name = node.name().map_err(|e| format!("{e:?}"))?.to_string();
        let name = if depth == 0 && name == "/" { String::new() } else { name };
        let mut props = Vec::new();
        for p in node.properties().map_err(|e| format!("{e:?}"))?.iter() {
            let p = p.map_err(|e| format!("{e:?}"))?;
            props.push((p.name.to_string(), p.value.to_vec()));
        }
        out.push((depth, name, props));
        let mut kids = Vec::new();
        for c in node.children().map_err(|e| format!("{e:?}"))?.iter() {
            kids.push(c.map_err(|e| format!("{e:?}"))?);
        }
        if depth > max_depth {
            return Err("too deep for the cross-check".into());
        }
        for c in kids.into_iter().rev() {
            stack.push((c, depth + 1));
        }
    }
    Ok(out)
}
