//! Fuzz target `dts_parse`: the property is `dts_parse` in tests/fuzz_support/mod.rs, shared with
//! tests/fuzz_regressions.rs, which replays the inputs kept in tests/fuzz_regressions/dts_parse/.

#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::dts_parse(data));
