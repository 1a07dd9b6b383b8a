#![no_main]
// Property: see `awal_fuzz::check_tokenizer_file`.
libfuzzer_sys::fuzz_target!(
    init: {
        awal_fuzz::let_tokenizers_panics_unwind();
        awal_fuzz::check_tokenizer_file(awal_fuzz::WARM_UP);
    },
    |data: &[u8]| awal_fuzz::check_tokenizer_file(data)
);
