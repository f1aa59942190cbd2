//! The command-line tool. (stub: being written)

use std::ffi::OsString;

pub fn main(_args: Vec<OsString>) -> i32 {
    0
}
