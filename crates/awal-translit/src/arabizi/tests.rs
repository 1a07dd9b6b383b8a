//! Unit tests of the Arabizi engine: tables of input -> expected, and a fuzz property.

use super::*;
use proptest::prelude::*;

fn pairs(list: &[(&str, &str)]) -> Vec<TrainPair> {
    list.iter().map(|(l, a)| TrainPair::new(l, a)).collect()
}

fn small_model() -> Model {
    let list = [
        ("3lach", "علاش"),
        ("khobz", "خبز"),
        ("bzzaf", "بزاف"),
        ("mzyan", "مزيان"),
        ("dar", "دار"),
        ("ddar", "الدار"),
        ("kteb", "كتب"),
        ("ktab", "كتاب"),
        ("mdrasa", "مدرسة"),
        ("7out", "حوت"),
        ("9alb", "قلب"),
        ("ghadi", "غادي"),
        ("chwiya", "شوية"),
        ("5dma", "خدمة"),
        ("lma", "الما"),
        ("wakha", "واخا"),
    ];
    Model::train(&pairs(&list), &TrainConfig::default()).0
}

#[test]
fn lexicon_hits_win_and_non_words_are_copied() {
    let model = small_model();
    let cases = [
        ("3lach", "علاش"),
        ("3LACH", "علاش"),
        ("khobz mzyan!", "خبز مزيان!"),
        ("2025", "2025"),
        ("3 ans", "3 ".to_string().leak()),
        ("", ""),
        ("...", "..."),
        ("واش ⴰⵣⵓⵍ", "واش ⴰⵣⵓⵍ"),
    ];
    for (input, expected) in cases {
        let got = model.to_arabic(input, false);
        if input == "3 ans" {
            assert!(got.starts_with("3 "), "{input} -> {got}");
        } else {
            assert_eq!(got, expected, "{input}");
        }
    }
}

#[test]
fn unknown_words_are_spelled_by_the_rules() {
    let model = small_model();
    let cases = [("7lib", "حليب"), ("3ach", "عاش"), ("ghda", "غدا")];
    for (input, expected) in cases {
        let got = model.to_arabic(input, false);
        // The letters the rules fix must be right; the vowels are the model's choice.
        assert_eq!(
            got.chars().next(),
            expected.chars().next(),
            "{input} -> {got}"
        );
        assert!(!got.chars().any(|c| c.is_ascii()), "{input} -> {got}");
    }
}

#[test]
fn prefixes_attach_to_known_words() {
    let model = small_model();
    // The article before a known word: written ال or ل (both are usual; the rules and
    // the character model decide), the stem as the lexicon spells it.
    let got = model.to_arabic("lkhobz", false);
    assert!(got == "الخبز" || got == "لخبز", "{got}");
    let got = model.to_arabic("fddar", false);
    assert!(got.starts_with('ف') && got.ends_with("دار"), "{got}");
    // A stem + affix reading the character model clearly prefers wins.
    let got = model.to_arabic("mzyanin", false);
    assert!(got.starts_with("مزيان"), "{got}");
}

#[test]
fn loans_stay_latin_only_when_asked() {
    let model = small_model();
    assert_eq!(model.to_arabic("l'école weekend", true), "l'école weekend");
    assert!(!model.to_arabic("weekend", false).contains("weekend"));
}

#[test]
fn arabic_to_latin_uses_the_chat_alphabet() {
    let model = small_model();
    let cases = [("علاش", "3lach"), ("خبز", "khobz"), ("حوت", "7out")];
    for (input, expected) in cases {
        assert_eq!(model.to_latin(input, false), expected, "{input}");
    }
    assert_eq!(model.to_latin("علاش 12", true), "ʕlāš 12");
}

#[test]
fn models_round_trip_through_json() {
    let model = small_model();
    let json = model.to_json().unwrap();
    assert!(json.starts_with("{\"format\":\"awal-arabizi-model\",\"version\":1"));
    let again = Model::from_json(&json, "m").unwrap();
    for word in ["3lach", "7lib", "lkhobz", "mdarsa"] {
        assert_eq!(again.to_arabic(word, false), model.to_arabic(word, false));
    }
    let err = Model::from_json(&json.replace("\"version\":1", "\"version\":99"), "m").unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
}

#[test]
fn the_builtin_model_knows_its_lexicon() {
    let model = Model::builtin();
    assert_eq!(model.to_arabic("khobz", false), "خبز");
    assert_eq!(model.to_arabic("9ahwa", false), "قهوة");
}

#[test]
fn a_very_long_line_is_converted() {
    let model = small_model();
    let line = "3lach khobz ".repeat(90_000);
    let got = model.to_arabic(&line, false);
    assert_eq!(got, "علاش خبز ".repeat(90_000));
    // A megabyte with no space is no Darija word: it is copied, quickly.
    let word = "a".repeat(1 << 20);
    assert_eq!(model.to_arabic(&word, false), word);
    let arabic = "ب".repeat(1 << 19);
    assert_eq!(model.to_latin(&arabic, false), arabic);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_engine_never_panics(text in "\\PC{0,40}") {
        let model = Model::builtin();
        let arabic = model.to_arabic(&text, false);
        let _ = model.to_arabic(&text, true);
        let _ = model.to_latin(&arabic, false);
        let _ = model.to_latin(&text, true);
    }

    #[test]
    fn arabizi_words_always_leave_latin(word in "[a-z0-9]{1,12}") {
        let model = Model::builtin();
        let got = model.to_arabic(&word, false);
        if word.bytes().all(|b| b.is_ascii_digit()) {
            prop_assert_eq!(got, word);
        } else {
            prop_assert!(!got.is_empty());
        }
    }
}

/// The project's everyday-phrase gold set (`gold/ary-latn__ary-arab.tsv`, written
/// by hand, not from the lexicons): the built-in model must get at least 90 % of the
/// phrases exactly right after Arabic normalisation (the acceptance bar).
#[test]
fn the_builtin_model_writes_everyday_phrases() {
    use crate::eval::normalize_arabic;
    let gold = include_str!("../../gold/ary-latn__ary-arab.tsv");
    let model = Model::builtin();
    let (mut total, mut right, mut wrong) = (0, 0, Vec::new());
    for line in gold.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(latin), Some(arabic)) = (cols.next(), cols.next()) else {
            continue;
        };
        total += 1;
        let got = model.to_arabic(latin, false);
        if normalize_arabic(&got) == normalize_arabic(arabic) {
            right += 1;
        } else {
            wrong.push(format!("{latin} -> {got} (gold {arabic})"));
        }
    }
    assert!(total >= 50, "{total} phrases");
    assert!(right * 10 >= total * 9, "{right}/{total}: {wrong:#?}");
}

#[test]
fn bad_input_gives_sensible_output() {
    let model = Model::builtin();
    for text in [
        "",
        "\n\n",
        "123 456",
        "?!... ,;",
        "١٢٣",
        "3lach واش ⴰⵣⵓⵍ ça va",
        "\u{FFFD}\u{FFFD}",
        "a\u{0301}b",
        "2",
        "'''",
    ] {
        let arabic = model.to_arabic(text, false);
        let _ = model.to_latin(&arabic, false);
        let _ = model.to_latin(text, true);
        // Digits-only and punctuation-only text is copied as it is.
        if !text.chars().any(char::is_alphabetic) && !text.contains('2') {
            assert_eq!(arabic, text, "{text:?}");
        }
    }
    assert_eq!(model.to_arabic("2025", false), "2025");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]
    /// Mixed-script lines of Arabizi, Arabic, digits, punctuation and white space: the
    /// engine keeps every non-word character in place.
    #[test]
    fn non_words_are_kept_in_place(
        parts in proptest::collection::vec(
            proptest::sample::select(vec!["3lach", "khobz", "واش", "ⴰⵣⵓⵍ", "2025", " ", ", ", "?", "\n", "l'école", "ça"]),
            0..20,
        )
    ) {
        // Joined by spaces: `20253lach` would be one word, with its digits read as letters.
        let text: String = parts.join(" ");
        let model = Model::builtin();
        let got = model.to_arabic(&text, false);
        prop_assert_eq!(got.matches('\n').count(), text.matches('\n').count());
        prop_assert_eq!(got.matches('?').count(), text.matches('?').count());
        prop_assert_eq!(got.matches("2025").count(), text.matches("2025").count());
        prop_assert_eq!(got.matches("ⴰⵣⵓⵍ").count(), text.matches("ⴰⵣⵓⵍ").count());
    }
}

#[test]
fn doubled_digraphs_are_one_geminate_letter() {
    // `chch`, `khkh`: one letter (with or without shadda), never the letter twice or
    // `c` read on its own (شكّ).
    let small = small_model();
    for model in [&small, &*Model::builtin()] {
        for (latin, letter, wrong) in [
            ("tmechcha", 'ش', 'ك'),
            ("m9chchra", 'ش', 'ك'),
            ("dkhkhel", 'خ', 'ك'),
        ] {
            let got = model.to_arabic(latin, false);
            assert_eq!(got.matches(letter).count(), 1, "{latin} -> {got}");
            assert!(!got.contains(wrong), "{latin} -> {got}");
        }
    }
}

/// Both directions share one thread's buffers: converting one way must not change what
/// the other way gives afterwards (their character-model score memos are apart).
#[test]
fn one_direction_never_changes_the_other() {
    let lexicon = include_str!("../../lexicons/darija-content.tsv");
    let latin: String = lexicon
        .lines()
        .filter_map(|l| l.split('\t').find(|c| c.is_ascii()))
        .collect::<Vec<_>>()
        .join(" ");
    let arabic: String = lexicon
        .lines()
        .filter_map(|l| l.split('\t').find(|c| !c.is_ascii()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(latin.len() > 1000 && arabic.len() > 1000);
    let (a, l) = (arabic.clone(), latin.clone());
    // Fresh threads, so that no earlier test's buffers are involved.
    let alone = std::thread::spawn(move || Model::builtin().to_latin(&a, false))
        .join()
        .unwrap();
    let after_forward = std::thread::spawn(move || {
        let m = Model::builtin();
        let _ = m.to_arabic(&l, false);
        m.to_latin(&arabic, false)
    })
    .join()
    .unwrap();
    assert_eq!(alone, after_forward);
}

/// A list of lower standing gives way where two lists spell the same Latin word
/// differently, whatever their order; a Latin word may stand for an Arabic phrase.
#[test]
fn lexicon_weight_decides_between_lists_and_a_word_may_be_a_phrase() {
    let weak = |l: &str, a: &str| TrainPair {
        lexicon_weight: 0.5,
        ..TrainPair::new(l, a)
    };
    let mut list = vec![weak("hada", "هذا"), weak("hatha", "هذا")];
    list.extend(pairs(&[("hada", "هادا"), ("inchallah", "إن شاء الله")]));
    let (model, stats) = Model::train(&list, &TrainConfig::default());
    assert_eq!(model.to_arabic("hada", false), "هادا");
    assert_eq!(model.to_arabic("hatha", false), "هذا");
    assert_eq!(model.to_arabic("inchallah", false), "إن شاء الله");
    assert_eq!(stats.misaligned_sentences, 0);
}

/// A forward-only pair is read (Latin -> Arabic) but never written back.
#[test]
fn forward_only_pairs_are_read_but_never_written() {
    let mut list = pairs(&[("3lach", "علاش"), ("khobz", "خبز")]);
    list.push(TrainPair {
        forward_only: true,
        ..TrainPair::new("hathaa", "هذا")
    });
    let (model, stats) = Model::train(&list, &TrainConfig::default());
    assert_eq!(stats.lexicon, 3);
    assert_eq!(model.file().forward_lexicon.len(), 1);
    assert_eq!(model.to_arabic("hathaa", false), "هذا");
    assert_ne!(model.to_latin("هذا", false), "hathaa");
    // The Latin character model never saw it either.
    assert!(!model
        .file()
        .backward
        .ngrams
        .iter()
        .any(|(g, _)| g.contains("thaa")));
}
