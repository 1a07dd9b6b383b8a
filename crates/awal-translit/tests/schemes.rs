//! The built-in scheme tables keep their promises.

use awal_translit::scheme::Scheme;
use awal_translit::{Options, Registry, Transliterator};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// The 33 IRCAM letters (31 single letters and the two labialised digraphs) with their
/// IRCAM Latin values, as in shared/schemes/ircam_tfng_latin.tsv.
const IRCAM_LETTERS: [(&str, &str); 33] = [
    ("ⴰ", "a"),
    ("ⴱ", "b"),
    ("ⴳ", "g"),
    ("ⴳⵯ", "gʷ"),
    ("ⴷ", "d"),
    ("ⴹ", "ḍ"),
    ("ⴻ", "e"),
    ("ⴼ", "f"),
    ("ⴽ", "k"),
    ("ⴽⵯ", "kʷ"),
    ("ⵀ", "h"),
    ("ⵃ", "ḥ"),
    ("ⵄ", "ɛ"),
    ("ⵅ", "x"),
    ("ⵇ", "q"),
    ("ⵉ", "i"),
    ("ⵊ", "j"),
    ("ⵍ", "l"),
    ("ⵎ", "m"),
    ("ⵏ", "n"),
    ("ⵓ", "u"),
    ("ⵔ", "r"),
    ("ⵕ", "ṛ"),
    ("ⵖ", "ɣ"),
    ("ⵙ", "s"),
    ("ⵚ", "ṣ"),
    ("ⵛ", "c"),
    ("ⵜ", "t"),
    ("ⵟ", "ṭ"),
    ("ⵡ", "w"),
    ("ⵢ", "y"),
    ("ⵣ", "z"),
    ("ⵥ", "ẓ"),
];

fn translit(from: &str, to: &str) -> Transliterator {
    Registry::builtin()
        .transliterator(from, to, Options::default())
        .unwrap()
}

#[test]
fn every_builtin_scheme_validates_clean() {
    let reg = Registry::builtin();
    for scheme in reg.schemes() {
        let pivot = reg.get(&scheme.pivot).unwrap();
        let problems = scheme.validate(Some(pivot));
        assert!(problems.is_empty(), "{}: {problems:?}", scheme.name);
    }
}

#[test]
fn every_ircam_letter_is_covered_both_ways() {
    let (to_latin, to_tfng) = (
        translit("zgh-tfng", "zgh-latn"),
        translit("zgh-latn", "zgh-tfng"),
    );
    for (tfng, latin) in IRCAM_LETTERS {
        assert_eq!(to_latin.convert(tfng), latin, "{tfng}");
        assert_eq!(to_tfng.convert(latin), tfng, "{latin}");
    }
}

#[test]
fn issue_examples() {
    assert_eq!(
        translit("zgh-tfng", "zgh-latn").convert("ⵜⴰⵎⴰⵣⵉⵖⵜ"),
        "tamaziɣt"
    );
    assert_eq!(
        translit("zgh-latn", "zgh-tfng").convert("tamaziγt"),
        "ⵜⴰⵎⴰⵣⵉⵖⵜ"
    );
    assert_eq!(translit("zgh-tfng", "zgh-latn").convert("ⴰⴳⵯⵎⴰⵔ"), "agʷmar");
    assert_eq!(translit("zgh-latn", "zgh-tfng").convert("agʷmar"), "ⴰⴳⵯⵎⴰⵔ");
}

#[test]
fn latin_input_is_folded_before_conversion() {
    let t = translit("zgh-latn", "zgh-tfng");
    // Greek look-alikes, decomposed dot below, capitals.
    assert_eq!(t.convert("TAMAZIΓT"), "ⵜⴰⵎⴰⵣⵉⵖⵜ");
    assert_eq!(t.convert("εli"), "ⵄⵍⵉ");
    assert_eq!(t.convert("ad\u{0323}ar"), "ⴰⴹⴰⵔ");
    assert_eq!(t.convert("Ḍ"), "ⴹ");
    assert_eq!(t.convert("ǧ č"), "ⴵ ⵞ");
}

#[test]
fn ascii_fallbacks_only_behind_the_option() {
    let reg = Registry::builtin();
    let plain = reg
        .transliterator("zgh-latn", "zgh-tfng", Options::default())
        .unwrap();
    let ascii = reg
        .transliterator(
            "zgh-latn",
            "zgh-tfng",
            Options {
                ascii_fallbacks: true,
                ..Options::default()
            },
        )
        .unwrap();
    assert_eq!(plain.convert("tamazight"), "ⵜⴰⵎⴰⵣⵉⴳⵀⵜ");
    assert_eq!(ascii.convert("tamazight"), "ⵜⴰⵎⴰⵣⵉⵖⵜ");
    assert_eq!(ascii.convert("3li 3 ans"), "ⵄⵍⵉ 3 ⴰⵏⵙ");
    assert_eq!(ascii.convert("agwmar"), "ⴰⴳⵯⵎⴰⵔ");
}

#[test]
fn nfkc_would_break_tifinagh_and_awal_never_applies_it() {
    let word = "ⴰⴳⵯⵎⴰⵔ";
    let nfkc: String = word.nfkc().collect();
    assert_ne!(nfkc, word, "NFKC rewrites ⵯ to ⵡ");
    assert!(nfkc.contains('ⵡ'));
    let there = translit("zgh-tfng", "zgh-latn").convert(word);
    assert_eq!(translit("zgh-latn", "zgh-tfng").convert(&there), word);
    // NFC, which awal does apply to Latin, leaves ⵯ and ʷ alone.
    assert_eq!(word.nfc().collect::<String>(), word);
    assert_eq!("gʷ".nfc().collect::<String>(), "gʷ");
}

#[test]
fn uncovered_characters_pass_through() {
    assert_eq!(
        translit("zgh-tfng", "zgh-latn").convert("ⵜⴷⴳⴷⴳ JAS 39C ⵖⴼ (0230 UTC) ⵰ ⴾ"),
        "tdgdg JAS 39C ɣf (0230 UTC) ⵰ ⴾ"
    );
}

#[test]
fn tifinagh_to_arabic_goes_through_latin() {
    let t = translit("zgh-tfng", "zgh-arab");
    assert_eq!(t.convert("ⴰⵡⴰⵍ"), "اوال");
    assert_eq!(t.convert("ⵉⵎⴰⵣⵉⵖⵏ"), "إمازيغن");
    assert_eq!(t.convert("ⵓⵙⵙⴰⵏ"), "أوسسان");
    assert_eq!(t.convert("ⴰⴳⵯⵎⴰⵔ"), "اڭۥمار");
    assert_eq!(t.convert("ⵜⴰⵎⴰⵣⵉⵖⵜ"), "تامازيغت");
}

#[test]
fn arabic_script_amazigh_reads_back_with_glides() {
    let t = translit("zgh-arab", "zgh-tfng");
    for word in [
        "ⴰⵡⴰⵍ",
        "ⵜⵉⵡⵉⵣⵉ",
        "ⴰⵢⵢⵓⵔ",
        "ⵉⵎⴰⵣⵉⵖⵏ",
        "ⵓⵙⵙⴰⵏ",
        "ⴰⴳⵯⵎⴰⵔ",
        "ⵜⴰⵎⴰⵣⵉⵖⵜ",
        "ⴰⵖⵢⵓⵍ",
    ] {
        let arab = translit("zgh-tfng", "zgh-arab").convert(word);
        assert_eq!(t.convert(&arab), word, "{word} via {arab}");
    }
    // Variant letters, harakat and shadda are read too.
    assert_eq!(translit("zgh-arab", "zgh-latn").convert("أرگاز"), "argaz");
    assert_eq!(
        translit("zgh-arab", "zgh-latn").convert("تاوّورت"),
        "tawwurt"
    );
}

#[test]
fn tuareg_letter_values() {
    let t = translit("taq-latn", "taq-tfng");
    assert_eq!(t.convert("tamajaq"), "ⵜⴰⵎⴰⵋⴰⵈ");
    assert_eq!(t.convert("kel tamašeq"), "ⴾⴻⵍ ⵜⴰⵎⴰⵛⴻⵈ");
    assert_eq!(t.convert("tamaceq"), "ⵜⴰⵎⴰⵛⴻⵈ");
    assert_eq!(
        translit("taq-tfng", "taq-latn").convert("ⵜⴰⵎⴰⵛⴻⵈ"),
        "tamašeq"
    );
    assert_eq!(t.convert("ăhăl"), "ⴰⵂⴰⵍ");
    assert_eq!(translit("taq-tfng", "taq-latn").convert("ⴰⵎⴰⵓⴰⵍ"), "amawal");
    // ⵀ is Tuareg yab (b), not IRCAM yah.
    assert_eq!(translit("taq-tfng", "taq-latn").convert("ⵀⴰ"), "ba");
}

#[test]
fn validator_reports_problems_with_line_numbers() {
    let table = "@name\tbad\n@kind\tscript\n@script\tTfng\n@pivot\tzgh-latn\n@round-trip\tyes\n\
                 native\tlatin\tdirection\n\
                 ⴰ\ta\tboth\n\
                 ⴰ\tb\tboth\n\
                 ⵖ\tγ\tboth\n\
                 ⵙ\ts\tboth\n\
                 ⵚ\ts\tboth\n";
    let scheme = Scheme::parse(table, "bad.tsv").unwrap();
    let reg = Registry::builtin();
    let problems = scheme.validate(Some(reg.get("zgh-latn").unwrap()));
    let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
    assert!(lines.contains(&8), "duplicate native key: {problems:?}");
    assert!(lines.contains(&9), "Greek γ is unreachable: {problems:?}");
    assert!(lines.contains(&11), "duplicate Latin key s: {problems:?}");
}

#[test]
fn malformed_tables_are_errors_naming_the_line() {
    for (table, line) in [
        (
            "@name\tx\n@kind\tscript\n@pivot\tzgh-latn\nnative\tlatin\nⴰ\ta\tsideways\n",
            5,
        ),
        (
            "@name\tx\n@kind\tscript\n@pivot\tzgh-latn\nwrong\theader\n",
            4,
        ),
        (
            "@name\tx\n@kind\tscript\n@pivot\tzgh-latn\nnative\tlatin\nⴰ\n",
            5,
        ),
        ("@bogus\tx\n", 1),
    ] {
        let err = Scheme::parse(table, "t.tsv").unwrap_err().to_string();
        assert!(err.starts_with(&format!("t.tsv:{line}:")), "{err}");
    }
}

fn ircam_text() -> impl Strategy<Value = String> {
    let pieces: Vec<&'static str> = IRCAM_LETTERS
        .iter()
        .map(|(t, _)| *t)
        .chain([
            "ⵯ", " ", "  ", ",", ".", "!", "?", "-", "0", "1", "2025", "«", "»", ":", "\t",
        ])
        .collect();
    proptest::collection::vec(proptest::sample::select(pieces), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn tifinagh_latin_tifinagh_is_the_identity(text in ircam_text()) {
        let there = translit("zgh-tfng", "zgh-latn").convert(&text);
        let back = translit("zgh-latn", "zgh-tfng").convert(&there);
        prop_assert_eq!(back, text);
    }

    #[test]
    fn conversion_never_panics_on_any_string(text in any::<String>()) {
        let reg = Registry::builtin();
        for from in ["zgh-tfng", "zgh-latn", "zgh-arab", "taq-tfng", "taq-latn"] {
            for to in ["zgh-tfng", "zgh-latn", "zgh-arab", "taq-tfng"] {
                let t = reg.transliterator(from, to, Options { ascii_fallbacks: true, ..Options::default() }).unwrap();
                let _ = t.convert(&text);
            }
        }
    }
}
