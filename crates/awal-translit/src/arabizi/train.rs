//! Training: from parallel pairs to a [`ModelFile`] of counts.
//!
//! 1. **Tokens.** Each pair is split on white space; a sentence pair whose two sides have
//!    the same number of tokens is used token by token, others are skipped (counted).
//! 2. **Alignment.** Each distinct (Latin, Arabic) token pair is segmented into units —
//!    1 to 3 Latin characters against 0 to 3 Arabic ones — by a dynamic programme that
//!    prefers the candidate rules of `ary-latn.tsv` (cheap) over any other pairing (a
//!    costly fallback, which is how new rules such as DODa's `T` = ط are discovered).
//!    Alignment is repeated with the costs learned from the previous round (hard EM).
//! 3. **Counts.** Units are counted per position in the word (initial, medial, final,
//!    whole word): these are the learned candidate rules, Latin -> Arabic and, with units
//!    that write no Arabic merged into their neighbour, Arabic -> Latin. Seed rules are
//!    added with a small prior count so that they stay candidates where data is thin.
//!    With [`TrainConfig::context_rules`], two neighbouring units also count as one
//!    longer rule, a reading in context (`na` -> نا at the end of a word). Each pair
//!    counts with its [`TrainPair::rule_weight`].
//! 4. **Language models.** Character n-grams of the distinct target-side tokens.
//! 5. **Lexicon.** Every (Latin, Arabic) token pair of a word-level pair, with its count
//!    times [`TrainPair::lexicon_weight`]; a single Latin word listed with an Arabic
//!    phrase (`inchallah`, إن شاء الله) enters the lexicon as a whole. Entries of
//!    [`TrainPair::forward_only`] pairs are kept apart, for Latin -> Arabic only.

use super::lm::NgramCounts;
use super::pairs::{has_arabic, TrainPair};
use super::{DirectionFile, LexiconEntry, ModelFile, RuleCount, Seeds, FORMAT, VERSION};
use crate::script::{classify, CharClass};
use rustc_hash::FxHashMap;

/// Knobs of [`super::Model::train`].
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Order of the character n-gram models (2..=7).
    pub order: usize,
    /// Alignment rounds (hard EM); 2 is enough in practice.
    pub iterations: usize,
    /// Weight of tokens that come from sentence pairs rather than word pairs: sentence
    /// lists are often transliterated letter by letter and should not outvote a lexicon.
    /// Measured on four held-out tenths of DODa (`benches/eval/arabizi_folds.sh`): 0.05
    /// gives a mean word exact match of 0.857 against 0.852 for 0.5 and 0.855 for 0 (the
    /// sentences still teach rare readings and inflected forms to the character model).
    pub sentence_weight: f32,
    /// Weight of the character model against the rule probabilities when decoding,
    /// Latin -> Arabic.
    pub lm_weight: f32,
    /// The same for Arabic -> Latin.
    pub backward_lm_weight: f32,
    /// Credit per character written (see [`super::ModelFile::char_bonus`]).
    pub char_bonus: f32,
    /// The same for Arabic -> Latin.
    pub backward_char_bonus: f32,
    /// Whether two neighbouring aligned units also count as one longer rule (a reading
    /// in context: `na` -> نا at the end of a word, and back, نا -> `na`), in both
    /// directions. It helps a model trained on one consistent convention (DODa: +1.2
    /// points Latin -> Arabic, CER 0.091 -> 0.072 Arabic -> Latin); the built-in model,
    /// whose casual and careful spellings disagree on such pairs (`kan` -> كن or كان),
    /// is better without.
    pub context_rules: bool,
    /// Free text stored in the model: what it was trained on.
    pub description: String,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            order: 5,
            iterations: 2,
            sentence_weight: 0.05,
            lm_weight: 0.2,
            backward_lm_weight: 0.7,
            char_bonus: 0.5,
            backward_char_bonus: 1.5,
            context_rules: true,
            description: String::new(),
        }
    }
}

/// What training saw, for the user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainStats {
    /// Input pairs.
    pub pairs: usize,
    /// Sentence pairs skipped because their token counts differ.
    pub misaligned_sentences: usize,
    /// Distinct token pairs aligned.
    pub token_pairs: usize,
    /// Token pairs the aligner could not segment (skipped).
    pub unaligned: usize,
    /// Rules in the model, Latin -> Arabic.
    pub rules: usize,
    /// Lexicon entries.
    pub lexicon: usize,
}

/// Largest Latin unit, in characters.
const MAX_LATIN: usize = 3;
/// Largest Arabic text a fallback pairing may write for one Latin character.
const MAX_FALLBACK: usize = 2;
/// Cost of pairing one Latin character with Arabic text no rule predicts.
const FALLBACK: f32 = 7.0;
/// Extra fallback cost per Arabic character written.
const FALLBACK_PER_CHAR: f32 = 1.5;
/// Prior count of a seed rule, and of a rare one.
const SEED_PRIOR: f32 = 0.5;
const RARE_PRIOR: f32 = 0.05;
/// Longest Latin side of a rule made of two neighbouring units.
const MAX_CONTEXT_RULE: usize = 2;
/// Least count of a rule learned from the data (not seeded).
const MIN_LEARNED: f32 = 2.0;

/// Keeps letters, digits and marks; trims quotes and punctuation around a token.
pub(crate) fn clean_token(token: &str) -> &str {
    token.trim_matches(|c: char| !is_word_char(c))
}

pub(crate) fn is_word_char(c: char) -> bool {
    matches!(
        classify(c),
        CharClass::Letter(_) | CharClass::Digit | CharClass::Mark
    )
}

/// Position class of a unit `[start, end)` in a word of `len` characters:
/// 0 initial, 1 medial, 2 final, 3 whole word.
pub(crate) fn position_class(start: usize, end: usize, len: usize) -> usize {
    match (start == 0, end == len) {
        (true, false) => 0,
        (false, false) => 1,
        (false, true) => 2,
        (true, true) => 3,
    }
}

struct TokenPair {
    latin: Vec<char>,
    arabic: Vec<char>,
    weight: f32,
}

/// Source -> targets with cost and the positions where each may apply.
type Table = FxHashMap<String, Vec<(Vec<char>, f32, [bool; 4])>>;

pub(crate) fn train(
    pairs: &[TrainPair],
    seeds: &Seeds,
    config: &TrainConfig,
) -> (ModelFile, TrainStats) {
    let mut stats = TrainStats {
        pairs: pairs.len(),
        ..TrainStats::default()
    };
    let Tokenized {
        tokens,
        lexicon: lexicon_counts,
        forward_lexicon: forward_counts,
        target_types,
        source_types,
    } = tokenize(pairs, config.sentence_weight, &mut stats);
    stats.token_pairs = tokens.len();

    let mut table = seed_table(seeds);
    let mut units: Vec<Vec<(String, String, usize)>> = Vec::new();
    for round in 0..config.iterations.max(1) {
        units = tokens.iter().map(|t| align(t, &table)).collect();
        if round + 1 < config.iterations.max(1) {
            table = learned_table(&tokens, &units, seeds);
        }
    }
    stats.unaligned = units.iter().filter(|u| u.is_empty()).count();

    let forward_rules = count_rules(&tokens, &units, seeds, false, config.context_rules);
    let backward_rules = count_rules(&tokens, &units, seeds, true, config.context_rules);
    stats.rules = forward_rules.len();

    let order = config.order.clamp(2, super::lm::MAX_ORDER);
    let forward_lm = ngrams(&target_types, order);
    let backward_lm = ngrams(&source_types, order);

    let lexicon = lexicon_entries(lexicon_counts);
    let forward_lexicon = lexicon_entries(forward_counts);
    stats.lexicon = lexicon.len() + forward_lexicon.len();

    let file = ModelFile {
        format: FORMAT.to_string(),
        version: VERSION,
        from: "ary-latn".to_string(),
        to: "ary-arab".to_string(),
        description: config.description.clone(),
        order,
        lm_weight: config.lm_weight,
        backward_lm_weight: config.backward_lm_weight,
        char_bonus: config.char_bonus,
        backward_char_bonus: config.backward_char_bonus,
        prefixes: seeds.prefixes.clone(),
        suffixes: seeds.suffixes.clone(),
        lexicon,
        forward_lexicon,
        forward: DirectionFile {
            rules: forward_rules,
            ngrams: forward_lm,
        },
        backward: DirectionFile {
            rules: backward_rules,
            ngrams: backward_lm,
        },
    };
    (file, stats)
}

/// Counted (Latin, Arabic) entries: count and order of first appearance.
type LexiconCounts = FxHashMap<(String, String), (f32, usize)>;

/// What [`tokenize`] gathers from the pairs.
struct Tokenized {
    tokens: Vec<TokenPair>,
    lexicon: LexiconCounts,
    /// Entries of [`TrainPair::forward_only`] pairs.
    forward_lexicon: LexiconCounts,
    target_types: FxHashMap<String, f32>,
    source_types: FxHashMap<String, f32>,
}

/// Lexicon entries in input order: on equal counts the first spelling a list gives wins.
fn lexicon_entries(counts: LexiconCounts) -> Vec<LexiconEntry> {
    let mut lexicon: Vec<(usize, LexiconEntry)> = counts
        .into_iter()
        .map(|((latin, arabic), (count, first))| (first, LexiconEntry(latin, arabic, count)))
        .collect();
    lexicon.sort_by_key(|(first, _)| *first);
    lexicon.into_iter().map(|(_, e)| e).collect()
}

fn tokenize(pairs: &[TrainPair], sentence_weight: f32, stats: &mut TrainStats) -> Tokenized {
    let mut distinct: FxHashMap<(String, String), f32> = FxHashMap::default();
    let mut lexicon = LexiconCounts::default();
    let mut forward_lexicon = LexiconCounts::default();
    let mut target_types: FxHashMap<String, f32> = FxHashMap::default();
    let mut source_types: FxHashMap<String, f32> = FxHashMap::default();
    for pair in pairs {
        let latin: Vec<&str> = pair.latin.split_whitespace().map(clean_token).collect();
        let arabic: Vec<&str> = pair.arabic.split_whitespace().map(clean_token).collect();
        let is_word = !pair.sentence;
        let lexicon = if pair.forward_only {
            &mut forward_lexicon
        } else {
            &mut lexicon
        };
        if latin.len() == 1 && arabic.len() > 1 && is_word && !pair.rules_only {
            // One Latin word for an Arabic phrase (`inchallah`, إن شاء الله): a lexicon
            // entry as a whole; its letters cannot be aligned word by word.
            add_phrase_entry(latin[0], &arabic, pair.lexicon_weight, lexicon);
            continue;
        }
        if latin.len() != arabic.len() {
            stats.misaligned_sentences += 1;
            continue;
        }
        let single = latin.len() == 1;
        let weight = if is_word { 1.0 } else { sentence_weight };
        for (l, a) in latin.into_iter().zip(arabic) {
            if l.is_empty() || a.is_empty() || has_arabic(l) || !has_arabic(a) {
                continue;
            }
            if l.chars().all(|c| c.is_ascii_digit()) {
                continue; // a number, not a word
            }
            let key = (l.to_string(), a.to_string());
            // A distinct pair counts once: a frequent sentence word must not outvote the
            // word list it disagrees with.
            let w = distinct.entry(key.clone()).or_insert(0.0);
            *w = w.max(weight * pair.rule_weight.max(0.0));
            if pair.rules_only {
                continue;
            }
            if is_word {
                // A word listed on its own is better evidence of its spelling than the
                // same token inside a phrase (`l3am jay` is written العام الجاي).
                let order = lexicon.len();
                let weight = if single { 1.0 } else { 0.1 };
                lexicon.entry(key).or_insert((0.0, order)).0 += weight * pair.lexicon_weight;
            }
            let t = target_types.entry(a.to_string()).or_insert(0.0);
            *t = t.max(weight);
            if !pair.forward_only {
                let s = source_types.entry(l.to_string()).or_insert(0.0);
                *s = s.max(weight);
            }
        }
    }
    let mut tokens: Vec<TokenPair> = distinct
        .into_iter()
        .map(|((l, a), weight)| TokenPair {
            latin: l.chars().collect(),
            arabic: a.chars().collect(),
            weight,
        })
        .collect();
    // Hash order is not stable across runs; sorting makes training reproducible.
    tokens.sort_by(|a, b| (&a.latin, &a.arabic).cmp(&(&b.latin, &b.arabic)));
    Tokenized {
        tokens,
        lexicon,
        forward_lexicon,
        target_types,
        source_types,
    }
}

/// Enters a Latin word written as an Arabic phrase in the lexicon (not in the rules or the
/// character model); a Latin side with Arabic letters or no letter at all is ignored.
fn add_phrase_entry(latin: &str, arabic: &[&str], weight: f32, lexicon: &mut LexiconCounts) {
    if latin.is_empty() || has_arabic(latin) || !arabic.iter().all(|a| has_arabic(a)) {
        return;
    }
    let key = (latin.to_string(), arabic.join(" "));
    let order = lexicon.len();
    lexicon.entry(key).or_insert((0.0, order)).0 += weight;
}

fn seed_table(seeds: &Seeds) -> Table {
    let mut table: Table = FxHashMap::default();
    for seed in &seeds.forward {
        let cost = if seed.rare { 2.5 } else { 1.0 };
        table.entry(seed.source.clone()).or_default().push((
            seed.target.chars().collect(),
            cost,
            seed.positions,
        ));
    }
    table
}

/// Costs `-ln P(target | source)` from the units of the previous round plus the seeds.
fn learned_table(
    tokens: &[TokenPair],
    units: &[Vec<(String, String, usize)>],
    seeds: &Seeds,
) -> Table {
    let rules = count_rules(tokens, units, seeds, false, false);
    let mut totals: FxHashMap<&str, f32> = FxHashMap::default();
    for r in &rules {
        *totals.entry(&r.0).or_insert(0.0) += r.2.iter().sum::<f32>();
    }
    let mut table: Table = FxHashMap::default();
    for r in &rules {
        let count: f32 = r.2.iter().sum();
        let total = totals.get(r.0.as_str()).copied().unwrap_or(1.0);
        let cost = -(count / total).ln() + 0.5;
        let positions = [r.2[0] > 0.0, r.2[1] > 0.0, r.2[2] > 0.0, r.2[3] > 0.0];
        table
            .entry(r.0.clone())
            .or_default()
            .push((r.1.chars().collect(), cost, positions));
    }
    table
}

/// Segments one token pair into (latin, arabic, position) units; empty if impossible.
fn align(pair: &TokenPair, table: &Table) -> Vec<(String, String, usize)> {
    let (lat, ar) = (&pair.latin, &pair.arabic);
    let (n, m) = (lat.len(), ar.len());
    if n == 0 || m == 0 || n > 64 || m > 64 {
        return Vec::new();
    }
    let width = m + 1;
    let mut cost = vec![f32::INFINITY; (n + 1) * width];
    let mut back = vec![(0u8, 0u8); (n + 1) * width];
    cost[0] = 0.0;
    let mut key = String::new();
    for i in 0..n {
        for k in 1..=MAX_LATIN.min(n - i) {
            key.clear();
            key.extend(&lat[i..i + k]);
            let pos = position_class(i, i + k, n);
            let rules = table.get(&key);
            for j in 0..=m {
                let here = cost[i * width + j];
                if !here.is_finite() {
                    continue;
                }
                let mut relax = |tl: usize, c: f32| {
                    let at = (i + k) * width + j + tl;
                    if here + c < cost[at] {
                        cost[at] = here + c;
                        back[at] = (k as u8, tl as u8);
                    }
                };
                if let Some(rules) = rules {
                    for (target, c, allowed) in rules {
                        if allowed[pos] && ar[j..].starts_with(target) {
                            relax(target.len(), *c);
                        }
                    }
                }
                if k == 1 {
                    for tl in 0..=MAX_FALLBACK.min(m - j) {
                        relax(tl, FALLBACK + FALLBACK_PER_CHAR * tl as f32);
                    }
                }
            }
        }
    }
    if !cost[n * width + m].is_finite() {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 {
        let (k, tl) = back[i * width + j];
        let (k, tl) = (k as usize, tl as usize);
        if k == 0 {
            return Vec::new();
        }
        spans.push((i - k, i, j - tl, j));
        i -= k;
        j -= tl;
    }
    spans.reverse();
    spans
        .into_iter()
        .map(|(a, b, c, d)| {
            (
                lat[a..b].iter().collect(),
                ar[c..d].iter().collect(),
                position_class(a, b, n),
            )
        })
        .collect()
}

/// Counts rules from aligned units, plus seed priors. `backward` reverses them (Arabic
/// source), merging units that write no Arabic into a neighbour.
fn count_rules(
    tokens: &[TokenPair],
    units: &[Vec<(String, String, usize)>],
    seeds: &Seeds,
    backward: bool,
    context: bool,
) -> Vec<RuleCount> {
    let mut counts: FxHashMap<(String, String), [f32; 4]> = FxHashMap::default();
    for (token, units) in tokens.iter().zip(units) {
        if units.is_empty() {
            continue;
        }
        if backward {
            let merged = merge_empty(units);
            let len = merged.len();
            if context {
                for (i, pair) in merged.windows(2).enumerate() {
                    let ((l1, a1), (l2, a2)) = (&pair[0], &pair[1]);
                    if a1.chars().count() + a2.chars().count() > MAX_CONTEXT_RULE {
                        continue;
                    }
                    let pos = position_class(i, i + 2, len);
                    let key = (format!("{a1}{a2}"), format!("{l1}{l2}"));
                    counts.entry(key).or_insert([0.0; 4])[pos] += token.weight;
                }
            }
            for (i, (lat, ar)) in merged.into_iter().enumerate() {
                let pos = position_class(i, i + 1, len);
                counts.entry((ar, lat)).or_insert([0.0; 4])[pos] += token.weight;
            }
        } else {
            for (lat, ar, pos) in units {
                counts.entry((lat.clone(), ar.clone())).or_insert([0.0; 4])[*pos] += token.weight;
            }
            if context {
                // Two neighbouring units also count as one longer rule (`na` -> نا at
                // the end, `3a` -> عا at the start): a reading in context, which the
                // decoder weighs against the two readings on their own.
                for pair in units.windows(2) {
                    let ((l1, a1, p1), (l2, a2, p2)) = (&pair[0], &pair[1]);
                    if l1.chars().count() + l2.chars().count() > MAX_CONTEXT_RULE {
                        continue;
                    }
                    let (first, last) = (matches!(p1, 0 | 3), matches!(p2, 2 | 3));
                    let pos = match (first, last) {
                        (true, false) => 0,
                        (false, false) => 1,
                        (false, true) => 2,
                        (true, true) => 3,
                    };
                    let key = (format!("{l1}{l2}"), format!("{a1}{a2}"));
                    counts.entry(key).or_insert([0.0; 4])[pos] += token.weight;
                }
            }
        }
    }
    let seed_rules = if backward {
        &seeds.backward
    } else {
        &seeds.forward
    };
    for seed in seed_rules {
        let prior = if seed.rare { RARE_PRIOR } else { SEED_PRIOR };
        let entry = counts
            .entry((seed.source.clone(), seed.target.clone()))
            .or_insert([0.0; 4]);
        for (slot, allowed) in entry.iter_mut().zip(seed.positions) {
            if allowed {
                *slot += prior;
            }
        }
    }
    // A learned rule must be seen twice (one-off alignments are mostly noise), and only
    // sources the seeds allow to write nothing (short vowels) may learn to: otherwise the
    // character model, which charges every letter written, would learn to drop letters.
    let silent: Vec<&str> = seed_rules
        .iter()
        .filter(|s| s.target.is_empty())
        .map(|s| s.source.as_str())
        .collect();
    let seeded: std::collections::HashSet<(&str, &str)> = seed_rules
        .iter()
        .map(|s| (s.source.as_str(), s.target.as_str()))
        .collect();
    let mut rules: Vec<RuleCount> = counts
        .into_iter()
        .filter(|((source, target), c)| {
            if source.is_empty() {
                return false;
            }
            if seeded.contains(&(source.as_str(), target.as_str())) {
                return true;
            }
            c.iter().sum::<f32>() >= MIN_LEARNED
                && (!target.is_empty() || silent.contains(&source.as_str()))
        })
        .map(|((source, target), c)| RuleCount(source, target, c))
        .collect();
    rules.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rules
}

/// Units with no Arabic join the unit before them (or after, at the start), so that an
/// Arabic -> Latin rule always consumes Arabic: `ghleb` / غلب gives ل -> `le`.
fn merge_empty(units: &[(String, String, usize)]) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = Vec::with_capacity(units.len());
    let mut pending = String::new();
    for (lat, ar, _) in units {
        if ar.is_empty() {
            match merged.last_mut() {
                Some(last) => last.0.push_str(lat),
                None => pending.push_str(lat),
            }
        } else {
            let mut l = std::mem::take(&mut pending);
            l.push_str(lat);
            merged.push((l, ar.clone()));
        }
    }
    merged
}

fn ngrams(types: &FxHashMap<String, f32>, order: usize) -> Vec<(String, f32)> {
    let mut counts = NgramCounts::default();
    let mut words: Vec<(&String, &f32)> = types.iter().collect();
    words.sort_by(|a, b| a.0.cmp(b.0));
    for (word, weight) in words {
        counts.add_word(word, order, *weight);
    }
    let mut grams: Vec<(String, f32)> = counts.counts.into_iter().collect();
    grams.sort_by(|a, b| a.0.cmp(&b.0));
    grams
}
