//! The longest-match automaton a scheme table compiles to.
//!
//! Why not `aho-corasick`? Scheme keys carry word anchors (`^اي` only at a word start),
//! conditions (an Arabizi digit only inside a word) and non-text outputs (glides, shadda
//! repetition) that a plain multi-pattern replacer cannot express. Keys are short and all
//! start with one of a few dozen characters, so a first-character index plus a
//! longest-first list per character is both simple and fast: one table load per input
//! character, and unmatched runs are copied in one `push_str`.

use crate::script::{classify, decode_at, CharClass};

/// What a matched key writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    /// Literal text.
    Text(Box<str>),
    /// A consonant/vowel pair decided after the line is written (Arabic و = w or u).
    Glide { consonant: char, vowel: char },
    /// Writes again what the previous match wrote (Arabic shadda).
    Repeat,
}

/// One compiled row.
#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub key: Box<str>,
    pub output: Output,
    /// Only where the previous character is not part of a word.
    pub at_word_start: bool,
    /// Only where the next character is not part of a word.
    pub at_word_end: bool,
    /// Only where the previous or next character is a letter.
    pub in_word: bool,
}

const NONE: u32 = u32::MAX;
/// What a `<repeat>` with nothing to repeat writes.
static NOTHING: Output = Output::Repeat;
/// Largest code point window indexed directly; wider key sets fall back to binary search.
const MAX_DENSE: u32 = 1 << 16;

/// A compiled, immutable rule set; cheap to share between threads.
#[derive(Clone, Debug)]
pub(crate) struct Matcher {
    ascii: [u32; 128],
    dense_base: u32,
    dense: Vec<u32>,
    sparse: Vec<(char, u32)>,
    /// Start of each bucket in `rules`; bucket `b` is `rules[starts[b]..starts[b + 1]]`.
    starts: Vec<u32>,
    rules: Vec<Rule>,
    /// Per bucket: the output when the bucket is one unconditional one-character text
    /// rule — the common case (ⴰ -> a), served without trying rules.
    simple: Vec<Option<Output>>,
    vowels: Vec<char>,
    has_glides: bool,
}

impl Matcher {
    /// Compiles rules; keys sharing a first character are tried longest first, anchored
    /// before unanchored. Later duplicates of a key are shadowed (the validator reports
    /// them).
    pub fn new(mut rules: Vec<Rule>, vowels: Vec<char>) -> Matcher {
        rules.retain(|r| !r.key.is_empty());
        let rules = without_redundant_rules(rules);
        Matcher::compile(rules, vowels)
    }

    fn compile(mut rules: Vec<Rule>, vowels: Vec<char>) -> Matcher {
        rules.sort_by(|a, b| {
            first_char(&a.key)
                .cmp(&first_char(&b.key))
                .then(b.key.len().cmp(&a.key.len()))
                .then(specificity(b).cmp(&specificity(a)))
        });
        let mut ascii = [NONE; 128];
        let mut firsts: Vec<(char, u32)> = Vec::new();
        let mut starts = Vec::new();
        let mut previous_first = None;
        for (i, rule) in rules.iter().enumerate() {
            let c = first_char(&rule.key);
            if previous_first != Some(c) {
                previous_first = Some(c);
                let bucket = starts.len() as u32;
                starts.push(i as u32);
                if (c as u32) < 128 {
                    ascii[c as usize] = bucket;
                } else {
                    firsts.push((c, bucket));
                }
            }
        }
        starts.push(rules.len() as u32);
        let (dense_base, dense, sparse) = index_non_ascii(firsts);
        let has_glides = rules
            .iter()
            .any(|r| matches!(r.output, Output::Glide { .. }));
        let simple = starts
            .windows(2)
            .map(|w| match &rules[w[0] as usize..w[1] as usize] {
                [rule] if rule.key.chars().count() == 1 && specificity(rule) == 0 => {
                    match &rule.output {
                        Output::Text(_) => Some(rule.output.clone()),
                        _ => None,
                    }
                }
                _ => None,
            })
            .collect();
        Matcher {
            ascii,
            dense_base,
            dense,
            sparse,
            starts,
            rules,
            simple,
            vowels,
            has_glides,
        }
    }

    /// The bucket number of keys starting with code point `cp`, or `NONE`.
    #[inline]
    fn bucket_of(&self, cp: u32) -> u32 {
        if cp < 128 {
            self.ascii[cp as usize]
        } else if let Some(&b) = cp
            .checked_sub(self.dense_base)
            .and_then(|i| self.dense.get(i as usize))
        {
            b
        } else {
            match self.sparse.binary_search_by(|&(f, _)| (f as u32).cmp(&cp)) {
                Ok(i) => self.sparse[i].1,
                Err(_) => NONE,
            }
        }
    }

    fn rules_of(&self, bucket: u32) -> &[Rule] {
        let (lo, hi) = (
            self.starts[bucket as usize],
            self.starts[bucket as usize + 1],
        );
        &self.rules[lo as usize..hi as usize]
    }

    /// Appends the conversion of `text` to `out`.
    pub fn apply(&self, text: &str, out: &mut String) {
        let mut glides = Vec::new();
        let base = out.len();
        self.scan(text, out, &mut glides);
        if !glides.is_empty() {
            // Glides were noted at offsets of `out`, which may already hold text (an
            // earlier segment or line); resolve them in this call's part only.
            for g in &mut glides {
                g.at -= base;
            }
            let resolved = resolve_glides(&out[base..], &glides, &self.vowels);
            out.truncate(base);
            out.push_str(&resolved);
        }
    }

    fn scan(&self, text: &str, out: &mut String, glides: &mut Vec<GlideAt>) {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut copied = 0;
        let mut last: Option<&Output> = None;
        while i < bytes.len() {
            let (cp, width) = decode_at(bytes, i);
            let bucket = self.bucket_of(cp);
            if bucket == NONE {
                last = None;
                i += width;
                continue;
            }
            if let Some(simple @ Output::Text(t)) = &self.simple[bucket as usize] {
                out.push_str(&text[copied..i]);
                out.push_str(t);
                i += width;
                copied = i;
                last = Some(simple);
                continue;
            }
            let matched = self.rules_of(bucket).iter().find(|rule| {
                // A one-character key is the character just decoded: no comparison needed.
                (rule.key.len() == width || bytes[i..].starts_with(rule.key.as_bytes()))
                    && context_holds(rule, text, i)
            });
            match matched {
                Some(rule) => {
                    out.push_str(&text[copied..i]);
                    let output = match (&rule.output, last) {
                        (Output::Repeat, Some(previous)) if copied == i => previous,
                        (Output::Repeat, _) => &NOTHING,
                        (output, _) => output,
                    };
                    self.write(output, out, glides);
                    last = Some(output);
                    i += rule.key.len();
                    copied = i;
                }
                None => {
                    last = None;
                    i += width;
                }
            }
        }
        out.push_str(&text[copied..]);
    }

    fn write(&self, output: &Output, out: &mut String, glides: &mut Vec<GlideAt>) {
        match output {
            Output::Text(t) => out.push_str(t),
            Output::Glide { consonant, vowel } if self.has_glides => {
                glides.push(GlideAt {
                    at: out.len(),
                    consonant: *consonant,
                    vowel: *vowel,
                });
                out.push(*consonant);
            }
            Output::Glide { consonant, .. } => out.push(*consonant),
            Output::Repeat => {}
        }
    }
}

/// Drops multi-character rules that say nothing the one-character rules do not already
/// say (ⴳⵯ -> gʷ when ⴳ -> g and ⵯ -> ʷ exist): tables may spell digraphs out for the
/// reader, but a bucket with a single one-character rule takes the fast path.
///
/// A rule is dropped only when its output is the concatenation of its characters'
/// unconditional one-character outputs and no other multi-character rule starts with
/// one of its later characters — then matching with or without it is the same.
fn without_redundant_rules(rules: Vec<Rule>) -> Vec<Rule> {
    let single = |c: char| {
        rules.iter().find_map(|r| match &r.output {
            Output::Text(t) if specificity(r) == 0 && r.key.chars().eq(std::iter::once(c)) => {
                Some(t)
            }
            _ => None,
        })
    };
    let multi_starts: Vec<char> = rules
        .iter()
        .filter(|r| r.key.chars().count() > 1)
        .map(|r| first_char(&r.key))
        .collect();
    let redundant = |r: &Rule| {
        let Output::Text(expected) = &r.output else {
            return false;
        };
        if specificity(r) != 0 || r.key.chars().count() < 2 {
            return false;
        }
        if r.key.chars().skip(1).any(|c| multi_starts.contains(&c)) {
            return false;
        }
        let mut composed = String::new();
        for c in r.key.chars() {
            match single(c) {
                Some(t) => composed.push_str(t),
                None => return false,
            }
        }
        composed == **expected
    };
    let keep: Vec<bool> = rules.iter().map(|r| !redundant(r)).collect();
    rules
        .into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

fn first_char(key: &str) -> char {
    key.chars().next().unwrap_or('\0')
}

fn specificity(rule: &Rule) -> u8 {
    rule.at_word_start as u8 + rule.at_word_end as u8 + rule.in_word as u8
}

type NonAsciiIndex = (u32, Vec<u32>, Vec<(char, u32)>);

/// Indexes non-ASCII first characters directly when they fit a window, else for
/// binary search.
fn index_non_ascii(firsts: Vec<(char, u32)>) -> NonAsciiIndex {
    let (Some(&(lo, _)), Some(&(hi, _))) = (firsts.first(), firsts.last()) else {
        return (0, Vec::new(), Vec::new());
    };
    let (lo, hi) = (lo as u32, hi as u32);
    if hi - lo >= MAX_DENSE {
        return (0, Vec::new(), firsts);
    }
    let mut dense = vec![NONE; (hi - lo + 1) as usize];
    for (c, bucket) in firsts {
        dense[(c as u32 - lo) as usize] = bucket;
    }
    (lo, dense, Vec::new())
}

fn is_word_char(c: char) -> bool {
    matches!(classify(c), CharClass::Letter(_) | CharClass::Mark)
}

fn context_holds(rule: &Rule, text: &str, at: usize) -> bool {
    if !(rule.at_word_start || rule.at_word_end || rule.in_word) {
        return true;
    }
    let before = text[..at].chars().next_back();
    let after = text[at + rule.key.len()..].chars().next();
    if rule.at_word_start && before.is_some_and(is_word_char) {
        return false;
    }
    if rule.at_word_end && after.is_some_and(is_word_char) {
        return false;
    }
    if rule.in_word {
        let letter =
            |c: Option<char>| c.is_some_and(|c| matches!(classify(c), CharClass::Letter(_)));
        return letter(before) || letter(after);
    }
    true
}

/// A glide written as its consonant at byte `at` of the output, to be decided.
#[derive(Clone, Copy, Debug)]
struct GlideAt {
    at: usize,
    consonant: char,
    vowel: char,
}

/// Decides each glide: a consonant next to a vowel or next to its twin (gemination), a
/// vowel otherwise. Glides are decided left to right; a following glide counts as a vowel
/// when it will itself be one (its next neighbour is no vowel), so `aɣyul` keeps its `y`.
fn resolve_glides(text: &str, glides: &[GlideAt], vowels: &[char]) -> String {
    let is_vowel = |c: Option<char>| c.is_some_and(|c| vowels.contains(&c));
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut previous: Option<char> = None;
    let mut previous_end = usize::MAX;
    let mut closes_pair = false;
    for (k, g) in glides.iter().enumerate() {
        let end = g.at + g.consonant.len_utf8();
        let before = if previous_end == g.at {
            previous
        } else {
            text[..g.at].chars().next_back()
        };
        let after = text[end..].chars().next();
        let next_glide = glides.get(k + 1).filter(|n| n.at == end);
        let after_is_vowel = match next_glide {
            // The next glide becomes a vowel when what follows it is a consonant or the
            // end of the word; if a third glide follows, nothing is known yet.
            Some(n) => {
                let n_end = n.at + n.consonant.len_utf8();
                let glide_follows = glides.get(k + 2).is_some_and(|m| m.at == n_end);
                n.consonant != g.consonant
                    && !glide_follows
                    && !is_vowel(text[n_end..].chars().next())
            }
            None => is_vowel(after),
        };
        // A doubled glide is a geminate consonant: both halves take the consonant.
        let opens_pair = next_glide.is_some_and(|n| n.consonant == g.consonant);
        let letter = if is_vowel(before) || after_is_vowel || opens_pair || closes_pair {
            g.consonant
        } else {
            g.vowel
        };
        out.push_str(&text[copied..g.at]);
        out.push(letter);
        copied = end;
        previous = Some(letter);
        previous_end = end;
        closes_pair = opens_pair && !closes_pair;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(key: &str, out: &str) -> Rule {
        Rule {
            key: key.into(),
            output: Output::Text(out.into()),
            at_word_start: false,
            at_word_end: false,
            in_word: false,
        }
    }

    fn glide(key: &str, consonant: char, vowel: char) -> Rule {
        Rule {
            output: Output::Glide { consonant, vowel },
            ..rule(key, "")
        }
    }

    fn run(m: &Matcher, text: &str) -> String {
        let mut out = String::new();
        m.apply(text, &mut out);
        out
    }

    #[test]
    fn longest_key_wins_and_unknown_characters_pass_through() {
        let m = Matcher::new(vec![rule("g", "G"), rule("gʷ", "Gw")], vec![]);
        assert_eq!(run(&m, "gʷag ok"), "GwaG ok");
    }

    #[test]
    fn spelled_out_digraphs_are_pruned_only_when_compositional() {
        let m = Matcher::new(
            vec![
                rule("g", "G"),
                rule("ʷ", "W"),
                rule("gʷ", "GW"),
                rule("kʷ", "Q"),
                rule("k", "K"),
            ],
            vec![],
        );
        assert_eq!(m.rules.len(), 4, "gʷ -> GW is g + ʷ and is dropped");
        assert_eq!(run(&m, "gʷ kʷ k"), "GW Q K");
    }

    #[test]
    fn anchored_keys_only_match_at_word_start() {
        let mut start = rule("ab", "X");
        start.at_word_start = true;
        let m = Matcher::new(vec![start, rule("a", "1"), rule("b", "2")], vec![]);
        assert_eq!(run(&m, "ab cab"), "X c12");
    }

    #[test]
    fn glides_are_consonants_next_to_vowels_and_vowels_elsewhere() {
        let m = Matcher::new(
            vec![
                rule("ا", "a"),
                rule("ل", "l"),
                rule("ت", "t"),
                rule("ز", "z"),
                rule("ر", "r"),
                rule("غ", "ɣ"),
                glide("و", 'w', 'u'),
                glide("ي", 'y', 'i'),
            ],
            vec!['a', 'e', 'i', 'u'],
        );
        assert_eq!(run(&m, "اوال"), "awal");
        assert_eq!(run(&m, "تيويزي"), "tiwizi");
        assert_eq!(run(&m, "اييور"), "ayyur");
        assert_eq!(run(&m, "اغيول"), "aɣyul");
    }

    #[test]
    fn glides_resolve_when_out_already_holds_text() {
        // Found by fuzzing (fuzz/findings/translit): glide offsets were taken in the whole
        // of `out` but resolved in this call's part, so appending after earlier text read
        // past its end.
        let m = Matcher::new(
            vec![rule("ا", "a"), rule("ل", "l"), glide("و", 'w', 'u')],
            vec!['a', 'e', 'i', 'u'],
        );
        let mut out = "prefix text: ".to_string();
        m.apply("اوال", &mut out);
        assert_eq!(out, "prefix text: awal");
        m.apply(" لو", &mut out);
        assert_eq!(out, "prefix text: awal lu");
    }

    #[test]
    fn repeat_doubles_the_previous_output_only_when_adjacent() {
        let m = Matcher::new(
            vec![
                rule("ل", "l"),
                Rule {
                    output: Output::Repeat,
                    ..rule("ّ", "")
                },
            ],
            vec![],
        );
        assert_eq!(run(&m, "لّ"), "ll");
        assert_eq!(run(&m, "ّ"), "");
    }
}
