//! libFuzzer target: `ualign_fuzz::worker_messages` on every input (it panics when an invariant breaks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ualign_fuzz::worker_messages(data);
});
