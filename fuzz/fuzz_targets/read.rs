//! Fuzz target `read`: the property is `read` in tests/fuzz_support/mod.rs, shared with
//! tests/fuzz_regressions.rs, which replays the inputs kept in tests/fuzz_regressions/read/.

#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::read(data));
