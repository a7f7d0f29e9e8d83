//! libFuzzer target: `ualign_fuzz::read_host_message` on every input (it panics when an invariant breaks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ualign_fuzz::read_host_message(data);
});
