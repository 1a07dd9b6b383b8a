#![no_main]
// Property: see `awal_fuzz::check_config`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| awal_fuzz::check_config(data));
