//! A small non-cryptographic hasher for the per-tree indexes of the checks and the DTS
//! printer (property names, compatible strings, names within a node, phandle values).
//! The keys come from the tree being worked on and a collision only costs time, so
//! SipHash's protection against chosen keys is not needed; this is several times cheaper.

use std::hash::{BuildHasherDefault, Hasher};

/// `HashMap<K, V, FastHash>` / `HashSet<K, FastHash>`.
pub(crate) type FastHash = BuildHasherDefault<FastHasher>;

#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn mix(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(23) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The product's high bits are the well-mixed ones; fold them into the low bits
        // that pick the bucket.
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn distinct_keys_stay_distinct_and_lookups_work() {
        let names: Vec<String> = (0..5000).map(|i| format!("vendor,prop-{i}")).collect();
        let set: HashSet<&str, FastHash> = names.iter().map(String::as_str).collect();
        assert_eq!(set.len(), names.len());
        assert!(set.contains("vendor,prop-4999") && !set.contains("vendor,prop-5000"));
        // Keys that differ only past the first word, and in a partial last word.
        let mut a = FastHasher::default();
        a.write(b"0123456789abcdefX");
        let mut b = FastHasher::default();
        b.write(b"0123456789abcdefY");
        assert_ne!(a.finish(), b.finish());
    }
}
