//! Standard Arabic words typed in Latin inside Darija (`hatha`, `l7okouma`, `3amal`) are
//! written in their Standard spelling, without the long vowels a Darija reading would
//! give them (issue 15, item 5), while Darija words keep their Darija spelling.
//!
//! `gold/ary-latn__ary-arab.msa.tsv` is a **dev set**: the Standard Arabic lexicon
//! (`lexicons/msa-core.tsv`) was completed after reading its errors.

mod common;

use std::collections::HashMap;

use awal_translit::arabizi::parse_pairs;
use common::{arabic, exact_and_rows};

const MSA_GOLD: &str = include_str!("../gold/ary-latn__ary-arab.msa.tsv");
const MSA_LEXICON: &str = include_str!("../lexicons/msa-core.tsv");

#[test]
fn standard_arabic_words_get_their_standard_spelling() {
    assert_eq!(arabic("hatha"), "هذا");
    assert_eq!(arabic("3amal"), "عمل");
    assert_eq!(arabic("l7okouma"), "الحكومة");
    assert_eq!(arabic("el 7okouma"), "الحكومة");
    assert_eq!(arabic("ta3lim"), "تعليم");
    // One Latin word for an Arabic phrase.
    assert_eq!(arabic("al7amdolillah"), "الحمد لله");
}

#[test]
fn darija_words_keep_their_darija_spelling() {
    assert_eq!(arabic("daba"), "دابا");
    assert_eq!(arabic("bzaf"), "بزاف");
    assert_eq!(arabic("3afak"), "عافاك");
    // Listed by both lexicons, with different spellings: the Darija one wins.
    assert_eq!(arabic("hada"), "هادا");
    assert_eq!(arabic("ba3d"), "بعد");
}

#[test]
fn the_msa_lexicon_gives_each_latin_spelling_one_arabic_word() {
    let parsed = parse_pairs(MSA_LEXICON, "msa-core.tsv").expect("msa-core.tsv parses");
    assert!(parsed.header);
    assert_eq!(parsed.skipped, 0);
    assert!(parsed.pairs.len() > 3000, "{} pairs", parsed.pairs.len());
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for pair in &parsed.pairs {
        let first = *seen.entry(&pair.latin).or_insert(&pair.arabic);
        assert_eq!(first, pair.arabic, "`{}` is listed twice", pair.latin);
    }
}

#[test]
fn the_msa_dev_set_stays_above_90_percent_exact() {
    let (exact, rows) = exact_and_rows(MSA_GOLD);
    assert!(rows >= 80, "{rows} rows");
    assert!(exact * 100 >= rows * 90, "{exact} of {rows} exact");
}

#[test]
fn an_article_typed_with_a_hyphen_is_joined() {
    assert_eq!(arabic("al-7okouma"), "الحكومة");
    assert_eq!(arabic("ach-cha3b"), "الشعب");
    assert_eq!(arabic("w al-maktaba"), "والمكتبة");
    // Without the hyphen the sun-letter form is a word of its own (Darija `ach`, what).
    assert_eq!(
        arabic("ach cha3b"),
        format!("{} {}", arabic("ach"), arabic("cha3b"))
    );
    // A hyphen after a word that is no article is copied.
    assert!(arabic("3lach-cha3b").contains('-'));
}
