//! The binary container of a share (format v1): writing and bounded reading.
//!
//! Layout (every integer is an unsigned LEB128 varint in its shortest form unless noted):
//!
//! ```text
//! container := version:u8 (= 1)
//!              name:str  blob:bytes
//!              op_count  op*        (op := tag:u8 fields, see below)
//!              comment_count  comment*  (comment := path:str property:opt_str text:str)
//!              selection:u8 (0 = none, 1 = some, then path:str property:opt_str)
//!              crc:u32 little-endian (CRC-32 of every byte before it)
//! str      := len bytes (UTF-8)          bytes := len bytes
//! opt_str  := 0 | 1 str                  opt_index := 0 | 1 varint
//!
//! tag 1 set-prop        path:str name:str value:bytes
//! tag 2 remove-prop     path:str name:str
//! tag 3 rename-prop     path:str from:str to:str
//! tag 4 add-node        parent:str name:str index:opt_index
//! tag 5 remove-node     path:str
//! tag 6 rename-node     path:str name:str
//! tag 7 move-node       path:str new_parent:str index:opt_index
//! tag 8 add-reservation address:varint size:varint index:opt_index
//! tag 9 remove-reservation index:varint
//! ```
//!
//! The reader never trusts a length or a count: each is checked against its limit and
//! against the bytes that remain before anything is allocated, varints longer than their
//! shortest form or wider than 64 bits are refused, and trailing bytes are an error. So
//! every accepted container has exactly one encoding, and `decode(encode(x)) == x`.

use super::{Comment, Limit, ShareOp, ShareV1, MAX_COMMENTS, MAX_OPS, MAX_STRING};

pub const VERSION: u8 = 1;

/// Why a container could not be read (mapped to a [`super::DecodeError`] by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The data ends in the middle of a field.
    Short,
    /// A field is malformed (message says which).
    Bad(String),
    /// A count or length is over its limit.
    Limit(Limit),
}

#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { buf: Vec::new() }
    }

    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn varint(&mut self, mut v: u64) {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(low);
                return;
            }
            self.buf.push(low | 0x80);
        }
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }

    pub fn opt_index(&mut self, i: Option<u64>) {
        match i {
            None => self.u8(0),
            Some(i) => {
                self.u8(1);
                self.varint(i);
            }
        }
    }
}

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn u8(&mut self) -> Result<u8, WireError> {
        let b = *self.data.get(self.pos).ok_or(WireError::Short)?;
        self.pos += 1;
        Ok(b)
    }

    pub fn varint(&mut self) -> Result<u64, WireError> {
        let mut v = 0u64;
        for i in 0..10 {
            let b = self.u8()?;
            let low = u64::from(b & 0x7f);
            if i == 9 && b > 1 {
                return Err(WireError::Bad("a number is wider than 64 bits".into()));
            }
            v |= low << (7 * i);
            if b & 0x80 == 0 {
                if b == 0 && i > 0 {
                    return Err(WireError::Bad("a number is not in its shortest form".into()));
                }
                return Ok(v);
            }
        }
        Err(WireError::Bad("a number is wider than 64 bits".into()))
    }

    /// A length or count, bounded by `limit` (reported as `what`) and by the bytes left
    /// (each item needs at least `min_item` bytes).
    fn len(&mut self, limit: usize, what: Limit, min_item: usize) -> Result<usize, WireError> {
        let v = self.varint()?;
        if v > limit as u64 {
            return Err(WireError::Limit(what));
        }
        let n = v as usize;
        if n.saturating_mul(min_item) > self.remaining() {
            return Err(WireError::Short);
        }
        Ok(n)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len()).ok_or(WireError::Short)?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub fn bytes(&mut self) -> Result<Vec<u8>, WireError> {
        let n = self.len(usize::MAX, Limit::Blob, 1)?;
        Ok(self.take(n)?.to_vec())
    }

    pub fn str(&mut self, field: &str) -> Result<String, WireError> {
        let n = self.len(MAX_STRING, Limit::String, 1)?;
        let b = self.take(n)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(WireError::Bad(format!("a {field} is not valid UTF-8"))),
        }
    }

    pub fn opt_str(&mut self, field: &str) -> Result<Option<String>, WireError> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.str(field)?)),
            t => Err(WireError::Bad(format!("unexpected marker {t} before a {field}"))),
        }
    }

    pub fn opt_index(&mut self) -> Result<Option<u64>, WireError> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.varint()?)),
            t => Err(WireError::Bad(format!("unexpected marker {t} before an index"))),
        }
    }
}

/// The container bytes of a share, checksum included.
pub fn write(share: &ShareV1) -> Vec<u8> {
    let mut w = Writer::new();
    w.u8(VERSION);
    w.str(&share.name);
    w.bytes(&share.blob);
    w.varint(share.ops.len() as u64);
    for op in &share.ops {
        write_op(&mut w, op);
    }
    w.varint(share.comments.len() as u64);
    for c in &share.comments {
        w.str(&c.path);
        w.opt_str(c.property.as_deref());
        w.str(&c.text);
    }
    match &share.selection {
        None => w.u8(0),
        Some((path, prop)) => {
            w.u8(1);
            w.str(path);
            w.opt_str(prop.as_deref());
        }
    }
    let crc = super::crc32::crc32(&w.buf);
    w.buf.extend_from_slice(&crc.to_le_bytes());
    w.buf
}

fn write_op(w: &mut Writer, op: &ShareOp) {
    match op {
        ShareOp::SetProp { path, name, value } => {
            w.u8(1);
            w.str(path);
            w.str(name);
            w.bytes(value);
        }
        ShareOp::RemoveProp { path, name } => {
            w.u8(2);
            w.str(path);
            w.str(name);
        }
        ShareOp::RenameProp { path, from, to } => {
            w.u8(3);
            w.str(path);
            w.str(from);
            w.str(to);
        }
        ShareOp::AddNode { parent, name, index } => {
            w.u8(4);
            w.str(parent);
            w.str(name);
            w.opt_index(*index);
        }
        ShareOp::RemoveNode { path } => {
            w.u8(5);
            w.str(path);
        }
        ShareOp::RenameNode { path, name } => {
            w.u8(6);
            w.str(path);
            w.str(name);
        }
        ShareOp::MoveNode { path, new_parent, index } => {
            w.u8(7);
            w.str(path);
            w.str(new_parent);
            w.opt_index(*index);
        }
        ShareOp::AddReservation { address, size, index } => {
            w.u8(8);
            w.varint(*address);
            w.varint(*size);
            w.opt_index(*index);
        }
        ShareOp::RemoveReservation { index } => {
            w.u8(9);
            w.varint(*index);
        }
    }
}

/// Reads a container (version byte through checksum). The version byte must already be
/// known to be [`VERSION`]; the checksum is verified before any field is read.
pub fn read(container: &[u8]) -> Result<ShareV1, WireError> {
    if container.len() < 5 {
        return Err(WireError::Short);
    }
    let (body, crc) = container.split_at(container.len() - 4);
    let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if super::crc32::crc32(body) != stored {
        return Err(WireError::Bad("checksum mismatch".into()));
    }
    let mut r = Reader::new(body);
    let version = r.u8()?;
    if version != VERSION {
        return Err(WireError::Bad(format!("unexpected format version {version}")));
    }
    let name = r.str("file name")?;
    let blob = r.bytes()?;
    let n_ops = r.len(MAX_OPS, Limit::Ops, 2)?;
    let mut ops = Vec::with_capacity(n_ops);
    for _ in 0..n_ops {
        ops.push(read_op(&mut r)?);
    }
    let n_comments = r.len(MAX_COMMENTS, Limit::Comments, 3)?;
    let mut comments = Vec::with_capacity(n_comments);
    for _ in 0..n_comments {
        let path = r.str("comment path")?;
        let property = r.opt_str("comment property")?;
        let text = r.str("comment text")?;
        comments.push(Comment { path, property, text });
    }
    let selection = match r.u8()? {
        0 => None,
        1 => {
            let path = r.str("selected path")?;
            let prop = r.opt_str("selected property")?;
            Some((path, prop))
        }
        t => return Err(WireError::Bad(format!("unexpected selection marker {t}"))),
    };
    if r.remaining() != 0 {
        return Err(WireError::Bad(format!("{} unexpected bytes after the last field", r.remaining())));
    }
    Ok(ShareV1 { blob, ops, comments, selection, name })
}

fn read_op(r: &mut Reader<'_>) -> Result<ShareOp, WireError> {
    let tag = r.u8()?;
    Ok(match tag {
        1 => ShareOp::SetProp { path: r.str("path")?, name: r.str("property name")?, value: r.bytes()? },
        2 => ShareOp::RemoveProp { path: r.str("path")?, name: r.str("property name")? },
        3 => ShareOp::RenameProp { path: r.str("path")?, from: r.str("property name")?, to: r.str("property name")? },
        4 => ShareOp::AddNode { parent: r.str("path")?, name: r.str("node name")?, index: r.opt_index()? },
        5 => ShareOp::RemoveNode { path: r.str("path")? },
        6 => ShareOp::RenameNode { path: r.str("path")?, name: r.str("node name")? },
        7 => ShareOp::MoveNode { path: r.str("path")?, new_parent: r.str("path")?, index: r.opt_index()? },
        8 => ShareOp::AddReservation { address: r.varint()?, size: r.varint()?, index: r.opt_index()? },
        9 => ShareOp::RemoveReservation { index: r.varint()? },
        t => return Err(WireError::Bad(format!("unknown edit kind {t}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_are_canonical() {
        for v in [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as u64, u64::MAX - 1, u64::MAX] {
            let mut w = Writer::new();
            w.varint(v);
            let mut r = Reader::new(&w.buf);
            assert_eq!(r.varint().unwrap(), v);
            assert_eq!(r.remaining(), 0);
        }
        assert_eq!(Reader::new(&[0x80, 0x00]).varint().map_err(|_| ()), Err(()));
        assert_eq!(Reader::new(&[0xff; 10]).varint().map_err(|_| ()), Err(()));
        assert_eq!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).varint().map_err(|_| ()),
            Err(())
        );
        assert_eq!(Reader::new(&[0x80]).varint(), Err(WireError::Short));
    }

    #[test]
    fn a_count_larger_than_the_data_is_refused_before_allocating() {
        let mut w = Writer::new();
        w.varint(MAX_OPS as u64);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.len(MAX_OPS, Limit::Ops, 2), Err(WireError::Short));
        let mut w = Writer::new();
        w.varint(MAX_OPS as u64 + 1);
        assert_eq!(Reader::new(&w.buf).len(MAX_OPS, Limit::Ops, 2), Err(WireError::Limit(Limit::Ops)));
    }
}
