//! The word splitter: what a "word" is for language identification and every other
//! consumer that needs words of mixed-script text.
//!
//! A **word** is a maximal run of letters of one script ([`crate::script::classify`]),
//! with these rules:
//!
//! * **Arabizi digits belong to their word.** Digits touching a Latin letter are part
//!   of it, before or after: `3lach`, `m9wd`, `l7ayat` are one word each, because in
//!   Darija chat `3`, `7`, `9` are letters. A number standing alone (`2025`) is no word.
//! * **Marks stay on their letter.** Combining marks and harakat extend the word they
//!   follow (`مَرْحَبًا` is one word), since a haraka is part of the letter it sits on.
//! * **Apostrophes split elision.** `l'école`, `d'`, `c’est` are two words, `l` and
//!   `école`: the apostrophe (`'` or any of [`super::latin::APOSTROPHES`]) is not a
//!   letter, and the elided article is a word of its own for every consumer so far
//!   (language evidence, counts).
//! * **Clitics are not split.** Arabic-script proclitics (`و`, `ف`, `ب`, `ل`, `ال`) are
//!   written joined to their host (`وللدار`) and stay one word: splitting them needs a
//!   lexicon, and character n-grams (language ID, dedup shingles) see them anyway.
//! * **A change of script ends a word.** `wachواش` is two words.
//!
//! The tokenizer's pre-tokenizer (`awal_tokenize::pretokenize`) follows the same rules
//! as one regex, because it must export to a stock `tokenizers` `Split`; it keeps the
//! apostrophe on the elided article (`l'` `école`) and a leading space on each piece, as
//! byte-level BPE wants. Dedup keys (`awal_prep::dedup`) cut at every
//! character that is not a letter or digit, a key rather than words.
//!
//! ```
//! use awal_translit::normalize::words::words;
//! let text = "3lach l’école وللدار ⴰⵣⵓⵍ 2025";
//! let mut found = Vec::new();
//! words(text, |w| found.push(&text[w.start..w.end]));
//! assert_eq!(found, ["3lach", "l", "école", "وللدار", "ⴰⵣⵓⵍ"]);
//! ```

use crate::script::{class_at, CharClass, Script};

/// A word of a line: its byte range and script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset after the last character.
    pub end: usize,
    /// Script of the word's letters.
    pub script: Script,
}

/// Calls `f` for each word of `text`, in order (see the [module docs](self) for the
/// rules).
///
/// ```
/// use awal_translit::normalize::words::words;
/// use awal_translit::script::Script;
/// let mut found = Vec::new();
/// words("wach 3lik? واش ⴰⵣⵓⵍ 2025", |w| found.push(w.script));
/// assert_eq!(found, [Script::Latn, Script::Latn, Script::Arab, Script::Tfng]);
/// ```
pub fn words(text: &str, mut f: impl FnMut(Word)) {
    let mut current: Option<Word> = None;
    let mut digits_start: Option<usize> = None;
    let mut i = 0;
    while let Some((class, end)) = class_at(text, i) {
        // The modifier apostrophe ʼ is a letter to Unicode but an apostrophe in `cʼest`.
        let class = if text.as_bytes()[i] == 0xCA && text[i..].starts_with('\u{02BC}') {
            CharClass::Common
        } else {
            class
        };
        match class {
            CharClass::Letter(script) => match current.as_mut() {
                Some(w) if w.script == script && w.end == i => w.end = end,
                _ => {
                    if let Some(w) = current.take() {
                        f(w);
                    }
                    // Digits right before a Latin letter are Arabizi letters (3lach).
                    let start = match digits_start {
                        Some(d) if script == Script::Latn => d,
                        _ => i,
                    };
                    current = Some(Word { start, end, script });
                }
            },
            CharClass::Mark => {
                if let Some(w) = current.as_mut().filter(|w| w.end == i) {
                    w.end = end;
                }
            }
            CharClass::Digit => match current.as_mut() {
                Some(w) if w.script == Script::Latn && w.end == i => w.end = end,
                _ => {
                    digits_start.get_or_insert(i);
                }
            },
            CharClass::Common => {}
        }
        if class != CharClass::Digit {
            digits_start = None;
        }
        i = end;
    }
    if let Some(w) = current {
        f(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_list(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        words(text, |w| out.push(&text[w.start..w.end]));
        out
    }

    #[test]
    fn arabizi_digits_stay_in_their_word() {
        assert_eq!(
            word_list("3lach m9wd l7ayat 2025 rb3"),
            ["3lach", "m9wd", "l7ayat", "rb3"]
        );
    }

    #[test]
    fn punctuation_apostrophes_and_script_changes_split_words() {
        assert_eq!(word_list("l'école,wach?واش"), ["l", "école", "wach", "واش"]);
        assert_eq!(
            word_list("d’abord c\u{02BC}est"),
            ["d", "abord", "c", "est"]
        );
    }

    #[test]
    fn harakat_and_clitics_stay_in_the_word() {
        assert_eq!(word_list("وَلِلدَّار مشا"), ["وَلِلدَّار", "مشا"]);
    }
}
