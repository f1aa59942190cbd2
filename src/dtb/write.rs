//! Tree → DTB, byte-for-byte like `dtc -I dtb -O dtb`. (stub: being written)

use crate::Tree;

pub fn write(_tree: &Tree) -> Vec<u8> {
    Vec::new()
}
