//! Fuzz target `share_decode`: the property is `share_decode` in tests/fuzz_support/mod.rs, shared with
//! tests/fuzz_regressions.rs, which replays the inputs kept in tests/fuzz_regressions/share_decode/.

#![no_main]

#[path = "../../tests/fuzz_support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::share_decode(data));
