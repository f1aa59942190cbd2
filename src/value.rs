//! Typed views of raw property bytes, shared by the DTS printer, the UI and the checks.
//!
//! Every function here takes bytes and returns `Option`/`Vec`; none of them panics on
//! any input.

/// The value as one big-endian u32, if it is exactly 4 bytes.
pub fn as_u32(v: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(v.try_into().ok()?))
}

/// The value as one big-endian u64, if it is exactly 8 bytes.
pub fn as_u64(v: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(v.try_into().ok()?))
}

/// The value as big-endian u32 cells, if its length is a multiple of 4.
pub fn as_cells(v: &[u8]) -> Option<Vec<u32>> {
    if !v.len().is_multiple_of(4) {
        return None;
    }
    Some(v.chunks_exact(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]])).collect())
}

/// The value as a single NUL-terminated UTF-8 string without embedded NULs.
pub fn as_string(v: &[u8]) -> Option<&str> {
    let body = v.strip_suffix(&[0])?;
    if body.contains(&0) {
        return None;
    }
    std::str::from_utf8(body).ok()
}

/// The value as a list of NUL-terminated UTF-8 strings (`"a\0b\0"`). Empty entries are
/// allowed (dtc prints them as `""`). `None` if the value is empty, does not end in NUL,
/// or is not UTF-8.
pub fn as_string_list(v: &[u8]) -> Option<Vec<&str>> {
    let body = v.strip_suffix(&[0])?;
    body.split(|&b| b == 0).map(|s| std::str::from_utf8(s).ok()).collect()
}

/// dtc's heuristic for "this is a string list": ends in NUL, every entry non-empty and
/// made of printable characters. (dtc `guess_value_type`: printable, NUL-terminated, and
/// not mostly NULs.) Used where no binding tells the type.
pub fn looks_like_strings(v: &[u8]) -> bool {
    if v.is_empty() || v[v.len() - 1] != 0 {
        return false;
    }
    let mut nnotstring = 0usize;
    let mut nnul = 0usize;
    let mut i = 0;
    while i < v.len() {
        let start = i;
        while i < v.len() && v[i] != 0 && is_printable(v[i]) {
            i += 1;
        }
        if i >= v.len() || v[i] != 0 {
            return false;
        }
        if i == start {
            nnotstring += 1;
        }
        nnul += 1;
        i += 1;
    }
    // dtc: `(p == end) && (nnotstring == 0 || (nnotstring * 3 <= nnul ...))`; an entry of
    // only NUL is not a string list. dtc rejects any empty string in the list.
    nnotstring == 0 && nnul > 0
}

fn is_printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || (b'\x07'..=b'\x0d').contains(&b)
}

/// Splits `cells` into entries of `per` cells each. `None` if `per` is 0 or the count is
/// not a multiple.
pub fn group(cells: &[u32], per: usize) -> Option<Vec<&[u32]>> {
    if per == 0 || !cells.len().is_multiple_of(per) {
        return None;
    }
    Some(cells.chunks(per).collect())
}

/// Combines 1 or 2 cells into a number (more cells: the low 64 bits).
pub fn cells_to_u64(cells: &[u32]) -> u64 {
    cells.iter().fold(0u64, |acc, &c| (acc << 32) | u64::from(c))
}

/// One `reg` entry split by `#address-cells` / `#size-cells`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegEntry {
    pub address: Vec<u32>,
    pub size: Vec<u32>,
}

/// Splits a `reg` value by the parent's cell counts. `None` when the length does not fit.
pub fn reg_entries(v: &[u8], address_cells: u32, size_cells: u32) -> Option<Vec<RegEntry>> {
    let cells = as_cells(v)?;
    let (a, s) = (address_cells as usize, size_cells as usize);
    let per = a.checked_add(s)?;
    if per == 0 || per > 64 {
        return None;
    }
    Some(
        group(&cells, per)?.into_iter().map(|e| RegEntry { address: e[..a].to_vec(), size: e[a..].to_vec() }).collect(),
    )
}

/// Properties whose value is known to be a 64-bit quantity, printed as `/bits/ 64`.
pub const KNOWN_U64_PROPS: &[&str] = &[
    "xen,uefi-system-table",
    "xen,uefi-mmap-start",
    "linux,uefi-system-table",
    "linux,uefi-mmap-start",
    "linux,initrd-start",
    "linux,initrd-end",
    "linux,elfcorehdr",
    "linux,usable-memory-range",
    "kaslr-seed",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(as_u32(&[0, 0, 1, 0]), Some(256));
        assert_eq!(as_u32(&[0, 0, 1]), None);
        assert_eq!(as_u64(&[0, 0, 0, 1, 0, 0, 0, 2]), Some((1 << 32) | 2));
        assert_eq!(as_cells(&[0, 0, 0, 1, 0, 0, 0, 2]), Some(vec![1, 2]));
        assert_eq!(as_cells(&[0, 0, 0]), None);
        assert_eq!(cells_to_u64(&[1, 2]), (1 << 32) | 2);
    }

    #[test]
    fn strings() {
        assert_eq!(as_string(b"xen\0"), Some("xen"));
        assert_eq!(as_string(b"xen"), None);
        assert_eq!(as_string(b"a\0b\0"), None);
        assert_eq!(as_string_list(b"xen,xen-4.2\0xen,xen\0"), Some(vec!["xen,xen-4.2", "xen,xen"]));
        assert_eq!(as_string_list(b""), None);
        assert!(looks_like_strings(b"okay\0"));
        assert!(looks_like_strings(b"a\0b\0"));
        assert!(!looks_like_strings(b"\0"));
        assert!(!looks_like_strings(b"a\0\0b\0"));
        assert!(!looks_like_strings(&[0, 0, 0, 1]));
        assert!(!looks_like_strings(b"a\x01\0"));
    }

    #[test]
    fn reg_split() {
        let v: Vec<u8> = [0u32, 0xb000_0000, 0, 0x20000].iter().flat_map(|c| c.to_be_bytes()).collect();
        let e = reg_entries(&v, 2, 2).unwrap();
        assert_eq!(e, vec![RegEntry { address: vec![0, 0xb000_0000], size: vec![0, 0x20000] }]);
        assert_eq!(reg_entries(&v, 3, 0), None);
        assert_eq!(reg_entries(&v, 0, 0), None);
        assert_eq!(reg_entries(&v, u32::MAX, 2), None);
    }
}
