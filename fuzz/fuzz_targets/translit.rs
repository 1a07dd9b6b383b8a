#![no_main]
// Property: see `awal_fuzz::check_translit`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| awal_fuzz::check_translit(data));
