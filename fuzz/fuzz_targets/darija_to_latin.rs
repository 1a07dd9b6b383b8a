#![no_main]
// Property: see `awal_fuzz::check_darija_to_latin`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| awal_fuzz::check_darija_to_latin(data));
