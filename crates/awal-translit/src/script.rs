//! Which writing system each part of a line is in.
//!
//! Moroccan text mixes three scripts in one line: `salam 3lik, ça va? واش نتا مزيان ⴰⵣⵓⵍ`.
//! Every later stage (transliteration, normalization, language identification, filters)
//! needs to know where each script starts and ends, so this module answers that once, in
//! one pass over the bytes, and reports **byte offsets into the original text**.
//!
//! # The model
//!
//! Each character gets a class: a letter of [`Script::Arab`], [`Script::Latn`],
//! [`Script::Tfng`] or [`Script::Other`]; a digit; a combining mark (which takes the class
//! of the character it sits on); or [`Script::Common`] (spaces, punctuation, symbols,
//! emoji). Three rules then turn characters into spans:
//!
//! 1. **Arabizi digits belong to their word.** A run of ASCII digits touching a Latin
//!    letter is Latin: `3lach`, `m9wd` and `l7ayat` are single `Latn` spans, because in
//!    Darija chat `3`, `7`, `9` are letters. A free-standing number such as `2025` is
//!    `Common`.
//! 2. **Arabic is Arabic however it is encoded.** Presentation forms, tatweel (U+0640) and
//!    harakat belong to `Arab`, although Unicode gives tatweel the Common script property.
//! 3. **Spans are maximal.** Spaces and punctuation between two spans of the same script
//!    join them (`salam 3lik, ça va` is one span); at a change of script they stay a
//!    separate `Common` span, so a boundary never swallows punctuation into either side.
//!
//! Greek `γ`/`ε` (and capitals) count as Latin: in IRCAM Latin text they are look-alikes
//! typed for `ɣ`/`ɛ`, and splitting `tamaziγt` into three spans would help nobody.
//!
//! ```
//! use awal_translit::script::{spans, Script};
//!
//! let line = "salam 3lik, ça va? واش نتا ⴰⵣⵓⵍ";
//! let found: Vec<_> = spans(line).iter().map(|s| (s.script, &line[s.start..s.end])).collect();
//! assert_eq!(
//!     found,
//!     vec![
//!         (Script::Latn, "salam 3lik, ça va"),
//!         (Script::Common, "? "),
//!         (Script::Arab, "واش نتا"),
//!         (Script::Common, " "),
//!         (Script::Tfng, "ⴰⵣⵓⵍ"),
//!     ]
//! );
//! ```

use serde::Serialize;

/// A writing system, as ISO 15924 names it (`Common` and `Other` are the catch-alls).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Script {
    /// Arabic script: Darija, MSA, Amazigh in Arabic letters.
    Arab,
    /// Latin script, including Arabizi digits inside words and IRCAM Latin letters.
    Latn,
    /// Tifinagh (U+2D30–U+2D7F): IRCAM Neo-Tifinagh and Tuareg letters.
    Tfng,
    /// Letters of any other script (Cyrillic, Greek other than γ/ε, CJK, …).
    Other,
    /// Digits standing alone, spaces, punctuation, symbols and emoji.
    Common,
}

impl Script {
    /// The ISO 15924 code, as used in labels such as `ary_Latn`.
    ///
    /// ```
    /// assert_eq!(awal_translit::script::Script::Tfng.code(), "Tfng");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Script::Arab => "Arab",
            Script::Latn => "Latn",
            Script::Tfng => "Tfng",
            Script::Other => "Zyyy-Other",
            Script::Common => "Common",
        }
    }

    /// Whether this is a script of letters (not `Common`).
    ///
    /// ```
    /// use awal_translit::script::Script;
    /// assert!(Script::Arab.is_letters() && !Script::Common.is_letters());
    /// ```
    pub fn is_letters(self) -> bool {
        self != Script::Common
    }
}

/// A maximal run of one script, in byte offsets of the text it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// The script of the run.
    pub script: Script,
}

/// The class of a single character before the span rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharClass {
    /// A letter of a script.
    Letter(Script),
    /// A decimal digit (ASCII or Arabic-Indic); becomes Latin inside Arabizi words.
    Digit,
    /// A combining mark or joiner: takes the class of the character before it.
    Mark,
    /// Space, punctuation, symbol, emoji, control.
    Common,
}

const L: CharClass = CharClass::Letter(Script::Latn);
const D: CharClass = CharClass::Digit;
const C: CharClass = CharClass::Common;

/// Classes of the 128 ASCII bytes, so the common case is one table load.
static ASCII_CLASS: [CharClass; 128] = {
    let mut table = [C; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        if byte.is_ascii_alphabetic() {
            table[b] = L;
        } else if byte.is_ascii_digit() {
            table[b] = D;
        }
        b += 1;
    }
    table
};

/// Classifies one character.
///
/// ```
/// use awal_translit::script::{classify, CharClass, Script};
/// assert_eq!(classify('ⵯ'), CharClass::Letter(Script::Tfng));
/// assert_eq!(classify('ـ'), CharClass::Letter(Script::Arab)); // tatweel
/// assert_eq!(classify('٣'), CharClass::Digit);
/// assert_eq!(classify('\u{0323}'), CharClass::Mark);
/// ```
pub fn classify(c: char) -> CharClass {
    let cp = c as u32;
    if cp < 0x80 {
        return ASCII_CLASS[cp as usize];
    }
    match cp {
        0x0660..=0x0669 | 0x06F0..=0x06F9 => CharClass::Digit,
        // Arabic punctuation (، ؛ ؟ ٪ ٫ ٬ ٭ ۔) behaves like any punctuation.
        0x060C | 0x061B | 0x061F | 0x066A..=0x066D | 0x06D4 => CharClass::Common,
        0x0600..=0x06FF
        | 0x0750..=0x077F
        | 0x0870..=0x089F
        | 0x08A0..=0x08FF
        | 0xFB50..=0xFDFF
        | 0xFE70..=0xFEFC => CharClass::Letter(Script::Arab),
        0x2D30..=0x2D7F => CharClass::Letter(Script::Tfng),
        0x0300..=0x036F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F
        | 0x200C
        | 0x200D => CharClass::Mark,
        0x00D7 | 0x00F7 => CharClass::Common,
        0x00AA
        | 0x00BA
        | 0x00C0..=0x024F
        | 0x0250..=0x02AF
        | 0x02B0..=0x02FF
        | 0x1D00..=0x1DBF
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xFF21..=0xFF3A
        | 0xFF41..=0xFF5A => L,
        // Greek gamma and epsilon are typed for IRCAM ɣ and ɛ.
        0x0393 | 0x0395 | 0x03B3 | 0x03B5 => L,
        _ if c.is_alphabetic() => CharClass::Letter(Script::Other),
        _ => CharClass::Common,
    }
}

/// Splits `text` into maximal script spans (see the [module docs](self) for the rules).
///
/// The spans cover the text without gaps or overlaps, in order; an empty text gives no
/// spans.
///
/// ```
/// use awal_translit::script::{spans, Script};
/// let s = spans("2025");
/// assert_eq!(s.len(), 1);
/// assert_eq!(s[0].script, Script::Common);
/// ```
pub fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    spans_into(text, &mut out);
    out
}

/// Like [`spans`], but reuses `out` (cleared first) to avoid an allocation per line.
///
/// ```
/// let mut buf = Vec::new();
/// awal_translit::script::spans_into("ⴰⵣⵓⵍ", &mut buf);
/// assert_eq!(buf.len(), 1);
/// ```
pub fn spans_into(text: &str, out: &mut Vec<Span>) {
    let mut letters = [0; 4];
    scan_spans(text, out, &mut letters, None);
}

/// [`spans_into`] and [`ScriptCounts::of`] in one pass over the text.
///
/// Letters are counted by class while the runs are built: a letter of script S is
/// always inside a span of S (its run is emitted as S, and merging only joins spans of
/// S). Digits count for the script of the span they end up in (an Arabizi digit for
/// Latin, a number between two Arabic words for Arabic); a run of digits is never split
/// between spans, so each run is noted (start, digits) and credited afterwards to the
/// span that contains it.
///
/// ```
/// use awal_translit::script::{spans, spans_and_counts_into, ScriptCounts};
/// let text = "salam 3lik واش 2 نتا ⴰⵣⵓⵍ";
/// let mut buf = Vec::new();
/// let counts = spans_and_counts_into(text, &mut buf);
/// assert_eq!(buf, spans(text));
/// assert_eq!(counts, ScriptCounts::of(text, &buf));
/// ```
pub fn spans_and_counts_into(text: &str, out: &mut Vec<Span>) -> ScriptCounts {
    let mut letters = [0; 4];
    let mut digit_runs = Vec::new();
    scan_spans(text, out, &mut letters, Some(&mut digit_runs));
    let mut counts = ScriptCounts {
        arab: letters[0],
        latn: letters[1],
        tfng: letters[2],
        other: letters[3],
    };
    // Both lists are in text order: walk them together.
    let mut spans = out.iter().peekable();
    for (start, digits) in digit_runs {
        while spans.next_if(|s| s.end <= start).is_some() {}
        let Some(span) = spans.peek() else { break };
        if let Some(slot) = counts.slot_mut(span.script) {
            *slot += digits;
        }
    }
    counts
}

/// Builds the spans of `text` into `out`, counting the letters of each script (Arab,
/// Latn, Tfng, Other) into `letters` and, when asked, noting each run of digits as
/// (start byte, digits).
fn scan_spans(
    text: &str,
    out: &mut Vec<Span>,
    letters: &mut [usize; 4],
    mut digit_runs: Option<&mut Vec<(usize, usize)>>,
) {
    out.clear();
    let mut runs = RunBuilder::new(out);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some((class, mut end)) = class_at(text, i) {
        // Characters of `class` in the run (marks and the skipped gaps are not).
        let mut n = 1;
        // Extend over characters of the same class (and combining marks, which inherit
        // it) in a tight loop, so the run builder sees runs, not characters. Spaces and
        // ASCII punctuation between two letters of the same script would be absorbed by
        // rule 3 anyway, so a letter run steps over them here without building spans.
        loop {
            let (e, k) = extend_same_class(text, class, end);
            end = e;
            n += k;
            if !matches!(class, CharClass::Letter(_)) {
                break;
            }
            let mut gap = end;
            while bytes
                .get(gap)
                .is_some_and(|&b| b < 0x80 && ASCII_CLASS[b as usize] == C)
            {
                gap += 1;
            }
            match class_at(text, gap) {
                Some((next, next_end)) if gap > end && next == class => {
                    end = next_end;
                    n += 1;
                }
                _ => break,
            }
        }
        match class {
            CharClass::Letter(script) => {
                let slot = match script {
                    Script::Arab => 0,
                    Script::Latn => 1,
                    Script::Tfng => 2,
                    _ => 3,
                };
                letters[slot] += n;
            }
            CharClass::Digit => {
                if let Some(runs) = digit_runs.as_deref_mut() {
                    runs.push((i, n));
                }
            }
            _ => {}
        }
        runs.push(class, i, end);
        i = end;
    }
    runs.finish();
}

/// The end of the run of `class` (and combining marks) that continues at byte `end`,
/// and how many characters of `class` (not marks) it stepped over.
#[inline]
fn extend_same_class(text: &str, class: CharClass, mut end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut n = 0;
    while let Some(&b) = bytes.get(end) {
        if b < 0x80 {
            if ASCII_CLASS[b as usize] != class {
                break;
            }
            end += 1;
            n += 1;
            continue;
        }
        match class_at(text, end) {
            Some((next, next_end)) if next == class => {
                end = next_end;
                n += 1;
            }
            Some((CharClass::Mark, next_end)) => end = next_end,
            _ => break,
        }
    }
    (end, n)
}

/// The class of the character at byte `i` of `text` (a character boundary) and the byte
/// offset after it; `None` at the end. The same answer as [`classify`], read from the
/// bytes, with ASCII, the Arabic letters and Tifinagh decided before the general lookup:
/// the fast way to walk a text character by character.
///
/// ```
/// use awal_translit::script::{class_at, CharClass, Script};
/// assert_eq!(class_at("aو", 1), Some((CharClass::Letter(Script::Arab), 3)));
/// assert_eq!(class_at("a", 1), None);
/// ```
#[inline]
pub fn class_at(text: &str, i: usize) -> Option<(CharClass, usize)> {
    let bytes = text.as_bytes();
    let b = *bytes.get(i)?;
    if b < 0x80 {
        return Some((ASCII_CLASS[b as usize], i + 1));
    }
    let (cp, width) = decode_at(bytes, i);
    let class = match cp {
        // The two blocks this crate exists for, before the general lookup.
        0x0621..=0x063A | 0x0641..=0x064A => CharClass::Letter(Script::Arab),
        0x2D30..=0x2D7F => CharClass::Letter(Script::Tfng),
        _ => classify(char::from_u32(cp).unwrap_or('\u{FFFD}')),
    };
    Some((class, i + width))
}

/// Decodes the code point starting at byte `i` of valid UTF-8, with its width.
#[inline]
pub(crate) fn decode_at(bytes: &[u8], i: usize) -> (u32, usize) {
    let b0 = bytes[i] as u32;
    let cont = |k: usize| bytes.get(i + k).map_or(0, |&b| (b & 0x3F) as u32);
    match b0 {
        0x00..=0x7F => (b0, 1),
        0xC0..=0xDF => (((b0 & 0x1F) << 6) | cont(1), 2),
        0xE0..=0xEF => (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    }
}

/// Which class a raw run has before digits are resolved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RunTag {
    Script(Script),
    Digits,
}

/// Builds spans from classified characters, resolving digit runs and absorbing
/// `Common` runs between two runs of the same script as it goes.
struct RunBuilder<'a> {
    out: &'a mut Vec<Span>,
    /// The run being extended: tag, start, end.
    current: Option<(RunTag, usize, usize)>,
    /// The script of the last non-digit run pushed or being built (for digit resolution).
    before_digits: Option<Script>,
}

impl<'a> RunBuilder<'a> {
    fn new(out: &'a mut Vec<Span>) -> Self {
        RunBuilder {
            out,
            current: None,
            before_digits: None,
        }
    }

    fn push(&mut self, class: CharClass, start: usize, end: usize) {
        let tag = match class {
            CharClass::Letter(s) => RunTag::Script(s),
            CharClass::Common => RunTag::Script(Script::Common),
            CharClass::Digit => RunTag::Digits,
            CharClass::Mark => match self.current {
                Some((tag, s, _)) => {
                    self.current = Some((tag, s, end));
                    return;
                }
                None => RunTag::Script(Script::Common),
            },
        };
        match self.current {
            Some((t, s, _)) if t == tag => self.current = Some((t, s, end)),
            Some((RunTag::Digits, s, e)) => {
                // A digit run touching a Latin letter on either side is part of the word.
                let script = if tag == RunTag::Script(Script::Latn)
                    || self.before_digits == Some(Script::Latn)
                {
                    Script::Latn
                } else {
                    Script::Common
                };
                self.emit(script, s, e);
                self.current = Some((tag, start, end));
            }
            Some((RunTag::Script(script), s, e)) => {
                self.emit(script, s, e);
                self.before_digits = Some(script);
                self.current = Some((tag, start, end));
            }
            None => self.current = Some((tag, start, end)),
        }
    }

    fn finish(mut self) {
        match self.current.take() {
            Some((RunTag::Digits, s, e)) => {
                let script = if self.before_digits == Some(Script::Latn) {
                    Script::Latn
                } else {
                    Script::Common
                };
                self.emit(script, s, e);
            }
            Some((RunTag::Script(script), s, e)) => self.emit(script, s, e),
            None => {}
        }
    }

    /// Appends a resolved run, merging with equal neighbours and absorbing a `Common`
    /// run that sits between two runs of the same script.
    fn emit(&mut self, script: Script, start: usize, end: usize) {
        let n = self.out.len();
        if let Some(last) = self.out.last_mut() {
            if last.script == script {
                last.end = end;
                return;
            }
        }
        if script != Script::Common && n >= 2 {
            let (before, last) = (self.out[n - 2], self.out[n - 1]);
            if last.script == Script::Common && before.script == script {
                self.out.pop();
                if let Some(prev) = self.out.last_mut() {
                    prev.end = end;
                }
                return;
            }
        }
        self.out.push(Span { start, end, script });
    }
}

/// Characters of `text` that are letters or digits (neither `Common` nor `Mark`), read
/// from the bytes: ASCII by table, the Arabic letters and Tifinagh without the general
/// lookup (as [`class_at`] does), everything else through [`classify`].
fn letters_in(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            n += usize::from(matches!(ASCII_CLASS[b as usize], CharClass::Letter(_) | D));
            i += 1;
            continue;
        }
        let (cp, width) = decode_at(bytes, i);
        i += width;
        n += usize::from(match cp {
            0x0621..=0x063A | 0x0641..=0x064A | 0x2D30..=0x2D7F => true,
            _ => !matches!(
                classify(char::from_u32(cp).unwrap_or('\u{FFFD}')),
                CharClass::Common | CharClass::Mark
            ),
        });
    }
    n
}

/// Letter counts per script for one text, for picking the dominant script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScriptCounts {
    /// Arabic-script letters.
    pub arab: usize,
    /// Latin letters (Arabizi digits inside words count as letters).
    pub latn: usize,
    /// Tifinagh letters.
    pub tfng: usize,
    /// Letters of other scripts.
    pub other: usize,
}

impl ScriptCounts {
    /// Counts letters per script, in characters, over the given spans of `text`.
    ///
    /// ```
    /// use awal_translit::script::{spans, ScriptCounts};
    /// let text = "ⴰⵣⵓⵍ salam";
    /// let c = ScriptCounts::of(text, &spans(text));
    /// assert_eq!((c.tfng, c.latn), (4, 5));
    /// ```
    pub fn of(text: &str, spans: &[Span]) -> Self {
        let mut counts = ScriptCounts::default();
        for span in spans {
            if let Some(slot) = counts.slot_mut(span.script) {
                *slot += letters_in(&text[span.start..span.end]);
            }
        }
        counts
    }

    /// The counter of one script; `Common` has none (it holds no letters).
    fn slot_mut(&mut self, script: Script) -> Option<&mut usize> {
        match script {
            Script::Arab => Some(&mut self.arab),
            Script::Latn => Some(&mut self.latn),
            Script::Tfng => Some(&mut self.tfng),
            Script::Other => Some(&mut self.other),
            Script::Common => None,
        }
    }

    /// The script with most letters; ties go to Arab, then Latn, Tfng, Other. A text
    /// without letters is `Common`.
    ///
    /// ```
    /// use awal_translit::script::{ScriptCounts, Script};
    /// let c = ScriptCounts { arab: 3, latn: 5, tfng: 0, other: 0 };
    /// assert_eq!(c.dominant(), Script::Latn);
    /// assert_eq!(ScriptCounts::default().dominant(), Script::Common);
    /// ```
    pub fn dominant(&self) -> Script {
        let ranked = [
            (self.arab, Script::Arab),
            (self.latn, Script::Latn),
            (self.tfng, Script::Tfng),
            (self.other, Script::Other),
        ];
        let mut best = (0, Script::Common);
        for (count, script) in ranked {
            if count > best.0 {
                best = (count, script);
            }
        }
        best.1
    }
}

/// The dominant script of a text: the script with most letters, `Common` if none.
///
/// ```
/// use awal_translit::script::{dominant, Script};
/// assert_eq!(dominant("ⴰⵣⵓⵍ ok"), Script::Tfng);
/// ```
pub fn dominant(text: &str) -> Script {
    ScriptCounts::of(text, &spans(text)).dominant()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(text: &str) -> Vec<(Script, &str)> {
        spans(text)
            .iter()
            .map(|s| (s.script, &text[s.start..s.end]))
            .collect()
    }

    #[test]
    fn arabizi_words_with_digits_are_single_latin_spans() {
        for word in ["3lach", "m9wd", "l7ayat", "ana2", "s7a7"] {
            assert_eq!(tagged(word), vec![(Script::Latn, word)], "{word}");
        }
    }

    #[test]
    fn free_standing_numbers_are_common() {
        assert_eq!(tagged("2025"), vec![(Script::Common, "2025")]);
        assert_eq!(
            tagged("3 ans"),
            vec![(Script::Common, "3 "), (Script::Latn, "ans")]
        );
    }

    #[test]
    fn the_issue_example_has_three_scripts_and_3lik_inside_latin() {
        let line = "salam 3lik, ça va? واش نتا مزيان ⴰⵣⵓⵍ";
        let got = tagged(line);
        let scripts: Vec<Script> = got.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            scripts,
            vec![
                Script::Latn,
                Script::Common,
                Script::Arab,
                Script::Common,
                Script::Tfng
            ]
        );
        assert!(got[0].1.contains("3lik"));
    }

    #[test]
    fn arabic_presentation_forms_tatweel_and_harakat_are_arabic() {
        let text = "ﻻ مـرحبـاً";
        assert_eq!(tagged(text), vec![(Script::Arab, text)]);
    }

    #[test]
    fn combining_marks_stay_with_their_base() {
        let text = "d\u{0323}ar";
        assert_eq!(tagged(text), vec![(Script::Latn, text)]);
    }

    #[test]
    fn greek_lookalikes_count_as_latin() {
        assert_eq!(tagged("tamaziγt"), vec![(Script::Latn, "tamaziγt")]);
    }

    #[test]
    fn spans_cover_the_text_without_gaps() {
        let text = "«ok» ⵣ, 12 كتاب! 😀 да";
        let s = spans(text);
        assert_eq!(s.first().map(|s| s.start), Some(0));
        assert_eq!(s.last().map(|s| s.end), Some(text.len()));
        for pair in s.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert_ne!(pair[0].script, pair[1].script);
        }
    }

    #[test]
    fn empty_text_has_no_spans_and_no_dominant_script() {
        assert!(spans("").is_empty());
        assert_eq!(dominant(""), Script::Common);
        assert_eq!(dominant("!!! 2025"), Script::Common);
    }

    proptest::proptest! {
        #[test]
        fn spans_always_tile_the_text(text in "[a-z3 ,.?!ⴰⵣⵓⵍⵯواشنت2025😀\u{0323}-]{0,40}") {
            let s = spans(&text);
            let mut at = 0;
            for (k, span) in s.iter().enumerate() {
                proptest::prop_assert_eq!(span.start, at);
                proptest::prop_assert!(span.end > span.start);
                if k > 0 {
                    proptest::prop_assert_ne!(s[k - 1].script, span.script);
                }
                at = span.end;
            }
            proptest::prop_assert_eq!(at, text.len());
        }

        /// One pass gives the same spans and counts as the two passes.
        #[test]
        fn spans_and_counts_agree(text in "[a-zA-Z3 ,.?!ⴰⵣⵓⵍⵯواشنت؟،ـً2025٣۵😀é\u{0323}\u{200D}Жγ-]{0,40}") {
            let mut buf = Vec::new();
            let counts = spans_and_counts_into(&text, &mut buf);
            proptest::prop_assert_eq!(&buf, &spans(&text));
            proptest::prop_assert_eq!(counts, ScriptCounts::of(&text, &buf));
        }

        /// The byte-level letter count is the character-level definition.
        #[test]
        fn letters_in_counts_letters_and_digits(text in "[a-zA-Z3 ,.?!ⴰⵣⵓⵍⵯواشنت؟،ـً2025٣😀é\u{0323}\u{200D}Жγ-]{0,40}") {
            let reference = text
                .chars()
                .filter(|&c| !matches!(classify(c), CharClass::Common | CharClass::Mark))
                .count();
            proptest::prop_assert_eq!(letters_in(&text), reference);
        }
    }

    #[test]
    fn bom_is_not_arabic() {
        assert_eq!(classify('\u{FEFF}'), CharClass::Common);
    }
}
