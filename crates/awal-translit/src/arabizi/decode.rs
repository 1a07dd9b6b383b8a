//! Decoding one word: a bounded beam search over candidate rules, scored by rule
//! probabilities and the target-side character model.
//!
//! The search walks the source word left to right. At each character position it keeps
//! at most `beam` hypotheses (one per character-model history: two hypotheses that end
//! in the same last characters can never be reordered later, so only the better one is
//! kept). From each, every rule whose source matches the text ahead extends it. A
//! hypothesis is a score, a packed n-gram history and an index into an arena of back
//! pointers; the output text is written only once, for the winner. The work per word is
//! thus bounded by `length × beam × candidates`, and the buffers are reused.

use super::lm::{Lm, BOUNDARY};
use super::train::position_class;
use super::RuleCount;
use rustc_hash::FxHashMap;

/// Candidates kept per source chunk.
const MAX_CANDIDATES: usize = 8;
/// Candidates below this probability (at every position) are dropped.
const MIN_PROBABILITY: f32 = 0.003;
/// Score of copying a character no rule covers.
const COPY_PENALTY: f32 = -12.0;

/// One candidate target of a source chunk.
#[derive(Clone, Debug)]
struct Candidate {
    target: Box<str>,
    ids: Box<[u8]>,
    /// Log probability per position class; `-inf` where the rule never applies.
    logp: [f32; 4],
}

/// A compiled direction of the model.
#[derive(Clone, Debug)]
pub(crate) struct Engine {
    index: FxHashMap<Box<str>, (u32, u32)>,
    candidates: Vec<Candidate>,
    max_source: usize,
    pub(crate) lm: Lm,
    lm_weight: f32,
    char_bonus: f32,
    beam: usize,
}

#[derive(Clone, Copy, Debug)]
struct Hyp {
    score: f32,
    history: u64,
    node: u32,
}

#[derive(Clone, Copy, Debug)]
struct Node {
    parent: u32,
    /// Index into `candidates`, or `u32::MAX` for a copied character.
    candidate: u32,
    /// Byte range of the source copied, when `candidate` is `u32::MAX`.
    copy: (u32, u32),
}

/// Reusable buffers of the search.
#[derive(Default)]
pub(crate) struct Scratch {
    bounds: Vec<usize>,
    lower: String,
    columns: Vec<Vec<Hyp>>,
    nodes: Vec<Node>,
    path: Vec<u32>,
    inside: Vec<bool>,
    /// Direct-mapped memo of character-model scores, keyed by (history, next): the
    /// same few histories are scored again and again within a word and across words.
    memo: Vec<(u64, f32)>,
}

/// Slots in the score memo (a power of two).
const MEMO: usize = 1 << 12;

impl Scratch {
    #[inline]
    fn logp(&mut self, lm: &Lm, history: u64, next: u8) -> f32 {
        if self.memo.is_empty() {
            self.memo = vec![(0, 0.0); MEMO];
        }
        let key = ((history << 8) | next as u64) + 1;
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize & (MEMO - 1);
        let (k, v) = self.memo[slot];
        if k == key {
            return v;
        }
        let v = lm.logp(history, next);
        self.memo[slot] = (key, v);
        v
    }
}

/// How rules for a doubled source letter are derived when the data has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Doubling {
    /// Latin `ff` -> Arabic ف + shadda, or plain ف.
    LatinSource,
    /// Arabic ف + shadda -> Latin `ff`.
    ArabicSource,
}

const SHADDA: char = '\u{0651}';

impl Engine {
    pub fn compile(
        rules: &[RuleCount],
        lm: Lm,
        (lm_weight, char_bonus): (f32, f32),
        beam: usize,
        doubling: Doubling,
    ) -> Engine {
        let mut grouped: FxHashMap<&str, Vec<(&str, [f32; 4])>> = FxHashMap::default();
        for r in rules {
            grouped.entry(&r.0).or_default().push((&r.1, r.2));
        }
        // Doubled letters: `ff` reads as ف + shadda or ف, unless the data says otherwise.
        let mut derived: Vec<RuleCount> = Vec::new();
        for (source, targets) in &grouped {
            let Some(double) = doubled_source(source, doubling) else {
                continue;
            };
            let known = grouped.get(double.as_str());
            for (target, counts) in targets {
                for rule in doubled_rules(&double, target, *counts, doubling) {
                    if !known.is_some_and(|k| k.iter().any(|(t, _)| *t == rule.1)) {
                        derived.push(rule);
                    }
                }
            }
        }
        for r in &derived {
            grouped.entry(&r.0).or_default().push((&r.1, r.2));
        }
        let mut engine = Engine {
            index: FxHashMap::default(),
            candidates: Vec::new(),
            max_source: 1,
            lm,
            lm_weight,
            char_bonus,
            beam: beam.max(1),
        };
        let mut sources: Vec<&&str> = grouped.keys().collect();
        sources.sort();
        for source in sources {
            engine.add_source(source, &grouped[*source]);
        }
        engine
    }

    fn add_source(&mut self, source: &str, targets: &[(&str, [f32; 4])]) {
        let mut totals = [0.0f32; 4];
        for (_, counts) in targets {
            for (t, c) in totals.iter_mut().zip(counts) {
                *t += c;
            }
        }
        let all: f32 = totals.iter().sum();
        let mut cands: Vec<Candidate> = targets
            .iter()
            .map(|(target, counts)| {
                let share = counts.iter().sum::<f32>() / all.max(f32::MIN_POSITIVE);
                let mut logp = [f32::NEG_INFINITY; 4];
                for p in 0..4 {
                    if counts[p] > 0.0 {
                        logp[p] = ((counts[p] + 0.1 * share) / (totals[p] + 0.1)).ln();
                    }
                }
                Candidate {
                    target: (*target).into(),
                    ids: target.chars().map(|c| self.lm.id(c)).collect(),
                    logp,
                }
            })
            .filter(|c| best(c) >= MIN_PROBABILITY.ln())
            .collect();
        cands.sort_by(|a, b| best(b).total_cmp(&best(a)).then(a.target.cmp(&b.target)));
        cands.truncate(MAX_CANDIDATES);
        if cands.is_empty() {
            return;
        }
        let start = self.candidates.len() as u32;
        self.candidates.extend(cands);
        self.index
            .insert(source.into(), (start, self.candidates.len() as u32));
        self.max_source = self.max_source.max(source.chars().count()).min(4);
    }

    fn lookup(&self, chunk: &str) -> (u32, &[Candidate]) {
        match self.index.get(chunk) {
            Some(&(a, b)) => (a, &self.candidates[a as usize..b as usize]),
            None => (0, &[]),
        }
    }

    /// Decodes one word (no spaces) and appends the best target spelling to `out`.
    pub fn decode(&self, word: &str, scratch: &mut Scratch, out: &mut String) {
        let mut memo = std::mem::take(&mut scratch.memo);
        let mut scorer = Scratch {
            memo: std::mem::take(&mut memo),
            ..Scratch::default()
        };
        self.search(word, scratch, &mut scorer, out);
        scratch.memo = scorer.memo;
    }

    fn search(&self, word: &str, scratch: &mut Scratch, scorer: &mut Scratch, out: &mut String) {
        let Scratch {
            bounds,
            lower,
            columns,
            nodes,
            path,
            inside,
            ..
        } = scratch;
        bounds.clear();
        bounds.extend(word.char_indices().map(|(i, _)| i));
        bounds.push(word.len());
        let n = bounds.len() - 1;
        if n == 0 {
            return;
        }
        lower.clear();
        lower.push_str(word);
        lower.make_ascii_lowercase();
        let has_upper = lower != word;
        if columns.len() < n + 1 {
            columns.resize_with(n + 1, Vec::new);
        }
        for column in columns.iter_mut().take(n + 1) {
            column.clear();
        }
        nodes.clear();
        nodes.push(Node {
            parent: u32::MAX,
            candidate: u32::MAX,
            copy: (0, 0),
        });
        columns[0].push(Hyp {
            score: 0.0,
            history: self.lm.start(),
            node: 0,
        });
        // `inside[e]`: a chunk may not end at `e`, between the two letters of a geminate
        // that a rule reads as one (in `ddd`, `dd` + `d` is allowed, `d` + `dd` is not).
        inside.clear();
        inside.resize(n + 1, false);
        for e in 1..n {
            inside[e] = word[bounds[e - 1]..bounds[e]] == word[bounds[e]..bounds[e + 1]]
                && !inside[e - 1]
                && !self
                    .lookup(&word[bounds[e - 1]..bounds[e + 1]])
                    .1
                    .is_empty();
        }
        // The same for a doubled digraph (`chch`, `khkh`): when a rule reads it as one
        // geminate (ش + shadda), it is not split inside.
        for s in 0..n.saturating_sub(3) {
            let b = |i: usize| &word[bounds[s + i]..bounds[s + i + 1]];
            if b(1) == "h"
                && b(3) == "h"
                && b(0) == b(2)
                && !inside[s..s + 4].iter().any(|&x| x)
                && !self.lookup(&word[bounds[s]..bounds[s + 4]]).1.is_empty()
            {
                inside[s + 1..s + 4].iter_mut().for_each(|x| *x = true);
            }
        }
        for p in 0..n {
            prune(&mut columns[p], self.beam);
            let (done, ahead) = columns.split_at_mut(p + 1);
            for &hyp in done[p].iter() {
                let mut matched = false;
                for k in 1..=self.max_source.min(n - p) {
                    if inside[p + k] {
                        // A doubled letter (`mm`) is one geminate, read by a rule that
                        // covers both letters (م + shadda): splitting it would write the
                        // letter twice (مم), which the character model barely charges.
                        matched |= k == 1;
                        continue;
                    }
                    let (a, b) = (bounds[p], bounds[p + k]);
                    let class = position_class(p, p + k, n);
                    // A capital is read as itself when the model knows it (DODa's `T`
                    // is ط), else as its lower case (a capital at a sentence start).
                    let (mut base, mut cands) = self.lookup(&word[a..b]);
                    if cands.is_empty() && has_upper {
                        (base, cands) = self.lookup(&lower[a..b]);
                    }
                    {
                        for (ci, cand) in cands.iter().enumerate() {
                            let lp = cand.logp[class];
                            if lp == f32::NEG_INFINITY {
                                continue;
                            }
                            matched |= k == 1;
                            let (lm_score, history) =
                                self.score_ids(scorer, hyp.history, &cand.ids);
                            nodes.push(Node {
                                parent: hyp.node,
                                candidate: base + ci as u32,
                                copy: (0, 0),
                            });
                            ahead[k - 1].push(Hyp {
                                score: hyp.score
                                    + lp
                                    + self.lm_weight * lm_score
                                    + self.char_bonus * cand.ids.len() as f32,
                                history,
                                node: (nodes.len() - 1) as u32,
                            });
                        }
                    }
                }
                if !matched {
                    // No rule reads this character: keep it as it is.
                    let (a, b) = (bounds[p], bounds[p + 1]);
                    let id = word[a..b]
                        .chars()
                        .next()
                        .map_or(BOUNDARY, |c| self.lm.id(c));
                    let lm_score = scorer.logp(&self.lm, hyp.history, id);
                    nodes.push(Node {
                        parent: hyp.node,
                        candidate: u32::MAX,
                        copy: (a as u32, b as u32),
                    });
                    ahead[0].push(Hyp {
                        score: hyp.score + COPY_PENALTY + self.lm_weight * lm_score,
                        history: self.lm.push(hyp.history, id),
                        node: (nodes.len() - 1) as u32,
                    });
                }
            }
        }
        let best = columns[n]
            .iter()
            .map(|h| {
                let end = self.lm_weight * scorer.logp(&self.lm, h.history, BOUNDARY);
                (h.score + end, h.node)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, mut node)) = best else {
            out.push_str(word);
            return;
        };
        path.clear();
        while node != 0 && node != u32::MAX {
            path.push(node);
            node = nodes[node as usize].parent;
        }
        for &id in path.iter().rev() {
            let n = nodes[id as usize];
            match self.candidates.get(n.candidate as usize) {
                Some(c) => out.push_str(&c.target),
                None => out.push_str(&word[n.copy.0 as usize..n.copy.1 as usize]),
            }
        }
    }

    #[inline]
    fn score_ids(&self, scorer: &mut Scratch, mut history: u64, ids: &[u8]) -> (f32, u64) {
        let mut total = 0.0;
        for &id in ids {
            total += scorer.logp(&self.lm, history, id);
            history = self.lm.push(history, id);
        }
        (total, history)
    }
}

fn best(c: &Candidate) -> f32 {
    c.logp.iter().copied().fold(f32::NEG_INFINITY, f32::max)
}

/// Keeps the `beam` best hypotheses, one per history.
fn prune(column: &mut Vec<Hyp>, beam: usize) {
    column.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept = 0;
    for i in 0..column.len() {
        if kept == beam {
            break;
        }
        let h = column[i];
        if column[..kept].iter().any(|k| k.history == h.history) {
            continue;
        }
        column[kept] = h;
        kept += 1;
    }
    column.truncate(kept);
}

/// The doubled form of a one-letter source, if doubling applies to it.
fn doubled_source(source: &str, doubling: Doubling) -> Option<String> {
    let mut chars = source.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return (doubling == Doubling::LatinSource && is_digraph(source))
            .then(|| format!("{source}{source}"));
    };
    match doubling {
        Doubling::LatinSource if c.is_ascii_alphanumeric() && !"aeiou".contains(c) => {
            Some(format!("{c}{c}"))
        }
        Doubling::ArabicSource if !"اوي".contains(c) && c != SHADDA => {
            Some(format!("{c}{SHADDA}"))
        }
        _ => None,
    }
}

/// A two-letter Latin consonant written with `h` (`ch`, `kh`, `gh`, `sh`, `th`, `dh`):
/// doubled as a whole (`chch`) for a geminate.
fn is_digraph(source: &str) -> bool {
    let b = source.as_bytes();
    b.len() == 2 && b[1] == b'h' && b[0].is_ascii_lowercase() && !b"aeiouh".contains(&b[0])
}

fn doubled_rules(
    double: &str,
    target: &str,
    counts: [f32; 4],
    doubling: Doubling,
) -> Vec<RuleCount> {
    let digraph = doubling == Doubling::LatinSource && double.len() == 4;
    if target.is_empty() || (digraph && (target.chars().count() != 1 || target == "\u{0651}")) {
        // A digraph's geminate is one letter with shadda (not `ch` -> ال or shadda).
        return Vec::new();
    }
    // A doubled letter is rarely word-final in a way that differs; keep all positions.
    let half = counts.map(|c| c * 0.5);
    match doubling {
        Doubling::LatinSource => vec![
            RuleCount(double.to_string(), format!("{target}{SHADDA}"), half),
            RuleCount(double.to_string(), target.to_string(), half),
        ],
        Doubling::ArabicSource => vec![RuleCount(
            double.to_string(),
            format!("{target}{target}"),
            counts,
        )],
    }
}
