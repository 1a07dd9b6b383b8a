#![no_main]
// Property: see `awal_fuzz::check_script_spans`. The init runs the check once, so that models
// trained on first use are ready before libFuzzer starts timing units.
libfuzzer_sys::fuzz_target!(
    init: awal_fuzz::check_script_spans(awal_fuzz::WARM_UP),
    |data: &[u8]| awal_fuzz::check_script_spans(data)
);
