//! The independent Darija phrase set (`gold/ary-latn__ary-arab.independent.tsv`) measures
//! how the engine generalises, so none of its phrases may be something the built-in model
//! simply looks up. The older set (`gold/ary-latn__ary-arab.tsv`) is a dev set: most of its
//! phrases are, word for word, pairs of the lexicons the model is trained on (issue 15).
//!
//! If this test fails, change the phrase, never the lexicons: a lexicon edited to fit the
//! phrases would make the set a dev set again.

use std::collections::HashSet;

use awal_translit::arabizi::{parse_pairs, Model};
use awal_translit::eval::normalize_arabic;

const INDEPENDENT: &str = include_str!("../gold/ary-latn__ary-arab.independent.tsv");
const DEV: &str = include_str!("../gold/ary-latn__ary-arab.tsv");
const LEXICONS: [(&str, &str); 4] = [
    (
        "darija-core.tsv",
        include_str!("../lexicons/darija-core.tsv"),
    ),
    (
        "darija-content.tsv",
        include_str!("../lexicons/darija-content.tsv"),
    ),
    (
        "darija-careful.tsv",
        include_str!("../lexicons/darija-careful.tsv"),
    ),
    ("msa-core.tsv", include_str!("../lexicons/msa-core.tsv")),
];

/// A pair as the lookup sees it: Latin in lower case, Arabic normalised for scoring.
fn key(latin: &str, arabic: &str) -> (String, String) {
    (latin.trim().to_lowercase(), normalize_arabic(arabic.trim()))
}

/// Every (Latin, Arabic) pair the built-in model knows: the lexicon files as written
/// (every `|` spelling, generated forms included) and the trained model's lexicon.
fn lexicon_pairs() -> HashSet<(String, String)> {
    let mut known = HashSet::new();
    for (name, text) in LEXICONS {
        let parsed = parse_pairs(text, name).expect("the embedded lexicons parse");
        for pair in parsed.pairs {
            known.insert(key(&pair.latin, &pair.arabic));
        }
    }
    let model = Model::builtin();
    for entry in model
        .file()
        .lexicon
        .iter()
        .chain(&model.file().forward_lexicon)
    {
        known.insert(key(&entry.0, &entry.1));
    }
    known
}

/// The gold rows: (line, Latin, Arabic).
fn rows(gold: &str) -> Vec<(usize, &str, &str)> {
    gold.lines()
        .enumerate()
        .skip(1)
        .filter_map(|(i, line)| {
            let mut cols = line.split('\t');
            Some((i + 1, cols.next()?, cols.next()?))
        })
        .collect()
}

/// Whether the phrase is a lexicon entry as a whole, or word for word a sequence of them.
fn looked_up(known: &HashSet<(String, String)>, latin: &str, arabic: &str) -> bool {
    if known.contains(&key(latin, arabic)) {
        return true;
    }
    let (latin, arabic): (Vec<&str>, Vec<&str>) = (
        latin.split_whitespace().collect(),
        arabic.split_whitespace().collect(),
    );
    latin.len() == arabic.len()
        && latin
            .iter()
            .zip(&arabic)
            .all(|(l, a)| known.contains(&key(l, a)))
}

#[test]
fn no_independent_phrase_is_a_lexicon_entry() {
    let known = lexicon_pairs();
    let rows = rows(INDEPENDENT);
    assert!(rows.len() >= 40, "{} phrases", rows.len());
    let looked: Vec<String> = rows
        .iter()
        .filter(|(_, latin, arabic)| looked_up(&known, latin, arabic))
        .map(|(line, latin, arabic)| format!("line {line}: {latin} / {arabic}"))
        .collect();
    assert!(
        looked.is_empty(),
        "lexicon pairs in the independent set: {looked:#?}"
    );
}

/// The check itself can fail: it finds the lexicon pairs of the dev set (the phrases that
/// issue 15 counted), so a broken `looked_up` could not let the test above pass.
#[test]
fn the_check_finds_the_dev_sets_lexicon_phrases() {
    let known = lexicon_pairs();
    let rows = rows(DEV);
    let looked = rows
        .iter()
        .filter(|(_, latin, arabic)| looked_up(&known, latin, arabic))
        .count();
    assert!(
        looked * 4 >= rows.len() * 3,
        "{looked} of {} dev phrases",
        rows.len()
    );
}
