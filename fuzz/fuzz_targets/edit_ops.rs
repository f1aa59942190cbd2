//! Fuzz target `edit_ops`: the property is `edit_ops` in tests/fuzz_support/mod.rs, shared with
//! tests/fuzz_regressions.rs, which replays the inputs kept in tests/fuzz_regressions/edit_ops/.

#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::edit_ops(data));
