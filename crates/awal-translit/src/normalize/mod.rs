//! Script-aware text normalization: the one set of steps and tables of the workspace.
//!
//! # Why here
//! Corpus preparation (`awal-prep`), language identification (`awal-lid`), tokenizers
//! (`awal-tokenize`) and transliteration scoring ([`crate::eval`]) all have to agree on
//! what an invisible character, a space, a haraka or an apostrophe is; when each kept its
//! own list they disagreed (three harakat ranges, one of which deleted the `zgh-arab`
//! labialisation letter ۥ). This crate is at the bottom of the dependency graph and
//! already owns the character classes ([`crate::script`]), so the tables live here and
//! every crate above reads them. The module has no dependency beyond
//! `unicode-normalization`: `awal-tokenize` turns a [`Normalizer`] into stock
//! `tokenizers` components from [`Normalizer::stock_steps`], so the exported
//! `tokenizer.json` is built from the same tables as the Rust fast path.
//!
//! # Model
//! A [`Normalizer`] runs six stages, in this order:
//!
//! 1. **line ends** (option `line_ends`) — CRLF and lone CR become LF.
//! 2. **character table** — one pass mapping single characters to strings (possibly
//!    empty), merged from the families: [`whitespace`] (controls, invisible format and
//!    bidi characters, exotic spaces; always on), [`latin`] (’ → '), [`arabic`] (tatweel,
//!    harakat, letter variants, digits, presentation forms). The table is closed under
//!    itself (no output contains a mapped character), so one pass equals any sequence of
//!    per-family `Replace` passes.
//! 3. **Tifinagh look-alikes** — context rules of [`tifinagh`], run only on text that
//!    contains Tifinagh.
//! 4. **NFC** — never NFKC, which would turn ⵯ into ⵡ.
//! 5. **lowercase** (optional), per character as `tokenizers`' `Lowercase` does.
//! 6. **spaces** — runs of U+0020 collapse to one; the ends are trimmed. Newlines and
//!    tabs inside the text stay: a paragraph document keeps its lines.
//!
//! Each stage is gated: ASCII text without controls, double spaces or (when lowercasing)
//! capitals is returned borrowed after one scan that reads eight bytes at a time, and each
//! later stage first checks whether it has anything to do.
//!
//! # Profiles
//! [`Profile::Prepare`] is lossless in meaning — only what cannot be seen changes
//! (invisibles including ZWNJ/ZWJ, bidi controls, exotic spaces, space runs, controls,
//! line ends, NFC) — and
//! is what `awal prepare` applies to every document. The tokenizer profiles
//! ([`Profile::Auto`], `Zgh`, `Fra`, `Ary`) also fold spellings (’ → ', tatweel,
//! presentation forms, Arabic-Indic digits, Tifinagh look-alikes; `ary` removes harakat
//! and unifies alef).
//!
//! ```
//! use awal_translit::normalize::{Normalizer, Profile};
//!
//! let n = Normalizer::new(Profile::Auto.options());
//! assert_eq!(n.normalize("  l’école   كتـــاب ⴰⴳʷⵎⴰⵔ "), "l'école كتاب ⴰⴳⵯⵎⴰⵔ");
//! let p = Normalizer::new(Profile::Prepare.options());
//! assert_eq!(p.normalize("سلام\u{200F}  l’école\r\nكتـــاب\u{00A0}!"), "سلام l’école\nكتـــاب !");
//! ```

pub mod arabic;
pub mod latin;
pub mod tifinagh;
pub mod whitespace;
pub mod words;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use arabic::ArabicOptions;

use crate::script::decode_at;

/// A named set of options for one use. The tokenizer profiles run every family (each is
/// gated on its script, so it costs nothing where it does not apply) and differ only in
/// the optional foldings; `prepare` runs only the invisible clean-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Corpus preparation: invisibles (joiners included), bidi controls, controls,
    /// exotic spaces, space runs, line ends, NFC; nothing that changes spelling.
    Prepare,
    /// Darija: also removes harakat and unifies alef variants.
    Ary,
    /// Tamazight: the tokenizer defaults.
    Zgh,
    /// French: the tokenizer defaults.
    Fra,
    /// Mixed text: the tokenizer defaults (’ → ', tatweel, presentation forms, digits,
    /// Tifinagh look-alikes; no harakat removal, no letter unification).
    Auto,
}

impl Profile {
    /// Every profile, in the order error messages list them.
    pub const ALL: [Profile; 5] = [
        Profile::Prepare,
        Profile::Ary,
        Profile::Zgh,
        Profile::Fra,
        Profile::Auto,
    ];

    /// Parses `prepare`, `ary`, `zgh`, `fra` or `auto`.
    ///
    /// ```
    /// use awal_translit::normalize::Profile;
    /// assert_eq!(Profile::parse("ary"), Some(Profile::Ary));
    /// assert_eq!(Profile::parse("prepare"), Some(Profile::Prepare));
    /// assert_eq!(Profile::parse("xx"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The name [`Profile::parse`] reads.
    ///
    /// ```
    /// assert_eq!(awal_translit::normalize::Profile::Zgh.name(), "zgh");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Profile::Prepare => "prepare",
            Profile::Ary => "ary",
            Profile::Zgh => "zgh",
            Profile::Fra => "fra",
            Profile::Auto => "auto",
        }
    }

    /// The options of this profile.
    ///
    /// ```
    /// use awal_translit::normalize::Profile;
    /// assert!(Profile::Ary.options().arabic.remove_harakat);
    /// assert!(!Profile::Auto.options().lowercase);
    /// assert!(!Profile::Prepare.options().apostrophes);
    /// ```
    pub fn options(self) -> Options {
        let mut o = Options::default();
        match self {
            Profile::Prepare => {
                o.arabic = ArabicOptions {
                    remove_tatweel: false,
                    fold_presentation_forms: false,
                    ascii_digits: false,
                    ..ArabicOptions::default()
                };
                o.apostrophes = false;
                o.tifinagh_lookalikes = false;
                o.line_ends = true;
                o.remove_joiners = true;
            }
            Profile::Ary => {
                o.arabic.remove_harakat = true;
                o.arabic.unify_alef = true;
            }
            Profile::Zgh | Profile::Fra | Profile::Auto => {}
        }
        o
    }
}

/// What a [`Normalizer`] does beyond the always-on steps (controls, invisibles, bidi
/// controls, exotic spaces, NFC, space runs). The default is the `auto` profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Arabic-script options.
    pub arabic: ArabicOptions,
    /// Lowercase every character (after NFC).
    pub lowercase: bool,
    /// Typographic apostrophes (’ ʼ ＇) → `'`.
    pub apostrophes: bool,
    /// Latin and Greek look-alikes inside Tifinagh words → Tifinagh letters.
    pub tifinagh_lookalikes: bool,
    /// CRLF and lone CR → LF.
    pub line_ends: bool,
    /// Remove ZWNJ and ZWJ ([`whitespace::JOINERS`]) with the other invisibles.
    pub remove_joiners: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            arabic: ArabicOptions::default(),
            lowercase: false,
            apostrophes: true,
            tifinagh_lookalikes: true,
            line_ends: false,
            remove_joiners: false,
        }
    }
}

/// One stage of the pipeline in the vocabulary of stock `tokenizers` normalizers, so that
/// a `tokenizer.json` can hold the same pipeline ([`Normalizer::stock_steps`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StockStep {
    /// `Replace` with a regex that Oniguruma (Python) and `fancy-regex` (Rust) both read.
    Replace {
        /// The regex.
        pattern: String,
        /// What each match becomes.
        content: String,
    },
    /// `NFC`.
    Nfc,
    /// `Lowercase`.
    Lowercase,
    /// `Strip` of both ends.
    Strip,
}

/// A compiled normalizer: character table plus gated stages. Cheap to share across
/// threads (`Sync`), built once per run.
#[derive(Clone, Debug)]
pub struct Normalizer {
    options: Options,
    /// Index into `outputs` for each BMP character; 0 = unchanged.
    table: Vec<u16>,
    /// Mapped strings; slot 0 is unused.
    outputs: Vec<Box<str>>,
    /// Per ASCII byte: [`DIRTY`] (the table or the line-end stage changes it),
    /// [`LOOKALIKE`], [`UPPER`] (when lowercasing); 0 for most bytes.
    ascii_flags: [u8; 128],
    /// One bit per BMP character: mapped by the table, not NFC-inert, or a look-alike.
    /// 8 KiB, so the scan of Arabic or Tifinagh text tests a bit that stays in L1.
    notable: Box<[u64]>,
}

const DIRTY: u8 = 1;
const LOOKALIKE: u8 = 2;
const UPPER: u8 = 4;

impl Normalizer {
    /// Compiles the table for `options`.
    ///
    /// ```
    /// use awal_translit::normalize::{Normalizer, Options};
    /// let n = Normalizer::new(Options { lowercase: true, ..Options::default() });
    /// assert_eq!(n.normalize("Salam\u{00A0}KHOYA"), "salam khoya");
    /// ```
    pub fn new(options: Options) -> Normalizer {
        let mut raw = Vec::new();
        whitespace::mappings(options.remove_joiners, &mut raw);
        if options.apostrophes {
            latin::mappings(&mut raw);
        }
        arabic::mappings(&options.arabic, &mut raw);
        let map: HashMap<char, String> = raw.into_iter().collect();
        // Close the table under itself: ﻷ → لأ → لا when alef unification is on.
        let closed: BTreeMap<char, String> = map
            .iter()
            .map(|(&c, out)| {
                let mut s = out.clone();
                for _ in 0..4 {
                    let next: String = s
                        .chars()
                        .map(|ch| map.get(&ch).cloned().unwrap_or_else(|| ch.to_string()))
                        .collect();
                    if next == s {
                        break;
                    }
                    s = next;
                }
                (c, s)
            })
            .collect();
        let mut table = vec![0u16; 0x1_0000];
        let mut outputs: Vec<Box<str>> = vec!["".into()];
        let mut index: HashMap<String, u16> = HashMap::new();
        let mut ascii_flags = [0u8; 128];
        for (c, out) in closed {
            let slot = *index.entry(out.clone()).or_insert_with(|| {
                outputs.push(out.into_boxed_str());
                (outputs.len() - 1) as u16
            });
            table[c as usize] = slot;
            if (c as u32) < 128 {
                ascii_flags[c as usize] |= DIRTY;
            }
        }
        if options.line_ends {
            ascii_flags[usize::from(b'\r')] |= DIRTY;
        }
        for b in 0..128u8 {
            if options.tifinagh_lookalikes && tifinagh::is_lookalike(char::from(b)) {
                ascii_flags[usize::from(b)] |= LOOKALIKE;
            }
            if options.lowercase && b.is_ascii_uppercase() {
                ascii_flags[usize::from(b)] |= UPPER;
            }
        }
        let mut notable = vec![0u64; 0x1_0000 / 64].into_boxed_slice();
        for cp in 0x80..0x1_0000u32 {
            let lookalike = options.tifinagh_lookalikes
                && char::from_u32(cp).is_some_and(tifinagh::is_lookalike);
            if table[cp as usize] != 0 || !nfc_inert(cp) || lookalike {
                notable[(cp >> 6) as usize] |= 1 << (cp & 63);
            }
        }
        Normalizer {
            options,
            table,
            outputs,
            ascii_flags,
            notable,
        }
    }

    /// The options this normalizer was built with.
    ///
    /// ```
    /// use awal_translit::normalize::{Normalizer, Profile};
    /// assert_eq!(Normalizer::new(Profile::Fra.options()).options(), Profile::Fra.options());
    /// ```
    pub fn options(&self) -> Options {
        self.options
    }

    /// What the character table turns `c` into; `None` when it keeps it.
    ///
    /// ```
    /// use awal_translit::normalize::{Normalizer, Profile};
    /// let n = Normalizer::new(Profile::Prepare.options());
    /// assert_eq!(n.mapped('\u{00A0}'), Some(" "));
    /// assert_eq!(n.mapped('\u{200B}'), Some(""));
    /// assert_eq!(n.mapped('ـ'), None);
    /// ```
    #[inline]
    pub fn mapped(&self, c: char) -> Option<&str> {
        let slot = *self.table.get(c as usize)?;
        (slot != 0).then(|| &*self.outputs[slot as usize])
    }

    /// Normalizes one text; borrows it when nothing changes.
    ///
    /// ```
    /// use awal_translit::normalize::{Normalizer, Profile};
    /// use std::borrow::Cow;
    /// let n = Normalizer::new(Profile::Auto.options());
    /// assert!(matches!(n.normalize("salam khoya"), Cow::Borrowed(_)));
    /// assert_eq!(n.normalize("c’est\u{202F}!"), "c'est !");
    /// ```
    pub fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let work = self.scan(text);
        let edges = text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace);
        if !(work.map || work.nfc || work.lookalike || work.upper || work.double_space || edges) {
            return Cow::Borrowed(text);
        }
        let mut s = if work.map {
            self.map_chars(text)
        } else {
            Cow::Borrowed(text)
        };
        // Look-alike rules need a look-alike and a Tifinagh letter; most lines have neither.
        if work.lookalike && has_tifinagh(&s) {
            if let Some(folded) = tifinagh::fold(&s) {
                s = Cow::Owned(folded);
            }
        }
        // Mapping only produces NFC-inert text or text the check below catches.
        if (work.nfc || work.map) && is_nfc_quick(s.chars()) != IsNormalized::Yes {
            let nfc: String = s.nfc().collect();
            if nfc != *s {
                s = Cow::Owned(nfc);
            }
        }
        if (work.upper || work.map || work.nfc)
            && self.options.lowercase
            && s.chars().any(|c| c.to_lowercase().ne(std::iter::once(c)))
        {
            s = Cow::Owned(s.chars().flat_map(char::to_lowercase).collect());
            // Lower-casing can break NFC: `İ` becomes `i` + U+0307, which must be
            // reordered before a mark of lower combining class (found by fuzzing; without
            // this a second pass changed the text).
            if is_nfc_quick(s.chars()) != IsNormalized::Yes {
                s = Cow::Owned(s.nfc().collect());
            }
        }
        squeeze_spaces(s)
    }

    /// One pass over the bytes that says which stages have work. Eight ASCII bytes are
    /// checked at a time (most text is mostly ASCII or mostly two-byte Arabic); an
    /// all-ASCII chunk can hold no look-alike that fires, since a rule needs a Tifinagh
    /// letter on both sides.
    fn scan(&self, text: &str) -> Work {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        let bytes = text.as_bytes();
        let mut work = Work::default();
        let mut prev = 0u8;
        let mut i = 0;
        while i < bytes.len() {
            if let Some(chunk) = bytes.get(i..i + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                let v = u64::from_le_bytes(w);
                // All ASCII, none below 0x20 (their + 0x60 stays below 0x80), no DEL, no
                // capital when lowercasing (A–Z: ≥ 0x41 and < 0x5B).
                let upper = v.wrapping_add(LO * 0x3F) & !v.wrapping_add(LO * 0x25) & HI;
                if v & HI == 0
                    && v.wrapping_add(LO * 0x60) & HI == HI
                    && zero_bytes(v ^ (LO * 0x7F)) == 0
                    && (!self.options.lowercase || upper == 0)
                {
                    let spaces = zero_bytes(v ^ (LO * 0x20));
                    // A space after a space inside the chunk, or across its first byte.
                    work.double_space |=
                        spaces & (spaces << 8) != 0 || (prev == b' ' && spaces & 0x80 != 0);
                    prev = chunk[7];
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            if b < 0x80 {
                let flags = self.ascii_flags[usize::from(b)];
                if flags != 0 {
                    work.map |= flags & DIRTY != 0;
                    work.lookalike |= flags & LOOKALIKE != 0;
                    work.upper |= flags & UPPER != 0;
                }
                work.double_space |= b == b' ' && prev == b' ';
                prev = b;
                i += 1;
                continue;
            }
            let (cp, width) = decode_at(bytes, i);
            i += width;
            prev = 0;
            let notable = match self.notable.get((cp >> 6) as usize) {
                Some(bits) => bits >> (cp & 63) & 1 != 0,
                None => !nfc_inert(cp),
            };
            if notable {
                let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                work.map |= self.mapped(c).is_some();
                work.nfc |= !nfc_inert(cp);
                work.lookalike |= self.options.tifinagh_lookalikes && tifinagh::is_lookalike(c);
            }
            if self.options.lowercase {
                let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                work.upper |= !c.is_lowercase() && c.is_alphabetic();
            }
        }
        work
    }

    fn map_chars<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Option<String> = None;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let mapped = if c == '\r' && self.options.line_ends {
                // CRLF → LF, lone CR → LF: judged on the original next character, as the
                // stock `Replace` that runs before the table does.
                Some(if chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    ""
                } else {
                    "\n"
                })
            } else {
                self.mapped(c)
            };
            match (mapped, out.as_mut()) {
                (Some(m), Some(s)) => s.push_str(m),
                (Some(m), None) => {
                    let mut s = String::with_capacity(text.len());
                    s.push_str(&text[..i]);
                    s.push_str(m);
                    out = Some(s);
                }
                (None, Some(s)) => s.push(c),
                (None, None) => {}
            }
        }
        match out {
            Some(s) => Cow::Owned(s),
            None => Cow::Borrowed(text),
        }
    }

    /// The same pipeline as stock `tokenizers` steps, in order: what `awal-tokenize`
    /// writes into a `tokenizer.json`. Characters with the same output share one
    /// `Replace` whose class lists them as ranges.
    ///
    /// ```
    /// use awal_translit::normalize::{Normalizer, Profile, StockStep};
    /// let steps = Normalizer::new(Profile::Prepare.options()).stock_steps();
    /// assert_eq!(steps.last(), Some(&StockStep::Strip));
    /// assert!(steps.contains(&StockStep::Nfc));
    /// ```
    pub fn stock_steps(&self) -> Vec<StockStep> {
        let mut steps = Vec::new();
        if self.options.line_ends {
            steps.push(StockStep::Replace {
                pattern: r"\x{D}\x{A}?".into(),
                content: "\n".into(),
            });
        }
        let mut by_output: BTreeMap<&str, Vec<char>> = BTreeMap::new();
        for (c, &slot) in self.table.iter().enumerate() {
            if slot != 0 {
                if let Some(ch) = char::from_u32(c as u32) {
                    by_output
                        .entry(&self.outputs[slot as usize])
                        .or_default()
                        .push(ch);
                }
            }
        }
        for (out, chars) in by_output {
            steps.push(StockStep::Replace {
                pattern: char_class(&chars),
                content: out.to_string(),
            });
        }
        if self.options.tifinagh_lookalikes {
            for rule in tifinagh::RULES {
                steps.push(StockStep::Replace {
                    pattern: tifinagh::rule_regex(rule),
                    content: rule.to.to_string(),
                });
            }
        }
        steps.push(StockStep::Nfc);
        if self.options.lowercase {
            // NFC again: lower-casing can un-normalize (`İ` -> `i` + U+0307).
            steps.push(StockStep::Lowercase);
            steps.push(StockStep::Nfc);
        }
        steps.push(StockStep::Replace {
            pattern: " {2,}".into(),
            content: " ".into(),
        });
        steps.push(StockStep::Strip);
        steps
    }
}

/// Which stages a text needs, from [`Normalizer::scan`].
#[derive(Default)]
struct Work {
    map: bool,
    nfc: bool,
    lookalike: bool,
    upper: bool,
    double_space: bool,
}

/// The high bit of each byte of `v` that is zero, exactly (no borrow between bytes).
#[inline]
fn zero_bytes(v: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((v & LOW7).wrapping_add(LOW7)) | v | LOW7)
}

/// A regex character class of `chars` with `\x{…}` escapes, which Oniguruma and
/// fancy-regex both read; consecutive code points become ranges to keep it short.
fn char_class(chars: &[char]) -> String {
    let mut class = String::from("[");
    let mut i = 0;
    while i < chars.len() {
        let start = chars[i];
        let mut end = start;
        while i + 1 < chars.len() && chars[i + 1] as u32 == end as u32 + 1 {
            i += 1;
            end = chars[i];
        }
        if start == end {
            class.push_str(&format!("\\x{{{:X}}}", start as u32));
        } else {
            class.push_str(&format!(
                "\\x{{{:X}}}-\\x{{{:X}}}",
                start as u32, end as u32
            ));
        }
        i += 1;
    }
    class.push(']');
    class
}

/// Characters that NFC leaves alone whatever their neighbours (canonical combining class
/// 0 and NFC quick-check "Yes"), in the blocks this toolkit sees most: below U+0300
/// (ASCII, Latin-1, Latin Extended, IPA: é, ɣ, ɛ), Arabic letters and digits (not harakat,
/// the combining madda and hamzas or the honorific signs U+0610–U+061A, which NFC may
/// compose or reorder), general
/// punctuation (not the en and em quads U+2000, U+2001, which NFC rewrites), currency signs, Tifinagh letters (not the joiner U+2D7F) and emoji. Text
/// made only of these skips the NFC check, which is most Moroccan text; a test checks
/// every code point against the Unicode tables.
#[inline]
fn nfc_inert(cp: u32) -> bool {
    matches!(cp,
        0..=0x2FF
        | 0x600..=0x60F
        | 0x61B..=0x64A
        | 0x660..=0x66F
        | 0x671..=0x6D5
        | 0x6EE..=0x6FF
        | 0x2002..=0x206F
        | 0x20A0..=0x20C0
        | 0x2D30..=0x2D7E
        | 0x1F000..=0x1FAFF)
}

/// Whether `s` holds a Tifinagh character: U+2D30–U+2D7F is UTF-8 `E2 B4 B0`–`E2 B5 BF`,
/// so a byte test gates stage 3.
fn has_tifinagh(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &x)| {
        x == 0xE2
            && matches!(b.get(i + 1), Some(0xB4) | Some(0xB5))
            && s.get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(tifinagh::is_tifinagh)
    })
}

/// Stage 6: collapse runs of spaces, trim the ends (Unicode whitespace, as `Strip`).
fn squeeze_spaces(s: Cow<'_, str>) -> Cow<'_, str> {
    let trimmed = s.trim_matches(char::is_whitespace);
    if !trimmed.contains("  ") {
        return match s {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim_matches(char::is_whitespace)),
            Cow::Owned(o) if o.len() == trimmed.len() => Cow::Owned(o),
            Cow::Owned(o) => Cow::Owned(o.trim_matches(char::is_whitespace).to_string()),
        };
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut prev_space = false;
    for c in trimmed.chars() {
        if c == ' ' && prev_space {
            continue;
        }
        prev_space = c == ' ';
        out.push(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::char::canonical_combining_class;

    /// Characters that exercise every stage, with runs of ASCII long enough for the
    /// eight-byte scan.
    fn tricky() -> impl Strategy<Value = String> {
        let alphabet: Vec<&str> = vec![
            "a",
            "O",
            "o",
            "|",
            "+",
            " ",
            "  ",
            "l",
            "L",
            "é",
            "'",
            "’",
            "\u{A0}",
            "\u{202F}",
            "\u{200B}",
            "\u{200C}",
            "\u{200D}",
            "\u{200F}",
            "\u{202B}",
            "\u{2067}",
            "\u{FEFF}",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "\u{0}",
            "\u{7F}",
            "\u{85}",
            "\u{301}",
            "\u{654}",
            "\u{653}",
            "ا",
            "أ",
            "إ",
            "ـ",
            "َ",
            "ُ",
            "ِ",
            "ّ",
            "ى",
            "ي",
            "ة",
            "ه",
            "٣",
            "ﻻ",
            "ﻷ",
            "ﺑ",
            "ۥ",
            "ⴰ",
            "ⴳ",
            "ⵯ",
            "ⵔ",
            "ʷ",
            "⊙",
            "ⵉ",
            "ⵜ",
            "\u{2D7F}",
            "Ο",
            "О",
            "salam khoya",
            "ABCDEFGH",
            "abc  defgh",
            "abcdefg ",
            " bcdefgh",
        ];
        proptest::collection::vec(proptest::sample::select(alphabet), 0..16)
            .prop_map(|v| v.concat())
    }

    fn all_options() -> Vec<Options> {
        let mut all: Vec<Options> = Profile::ALL.iter().map(|p| p.options()).collect();
        let mut o = Options {
            lowercase: true,
            line_ends: true,
            ..Options::default()
        };
        o.arabic.unify_hamza = true;
        o.arabic.unify_ya = true;
        o.arabic.unify_ta_marbuta = true;
        all.push(o);
        all
    }

    /// The stages run one after the other on the whole text, with no gate: what
    /// [`Normalizer::normalize`] must equal.
    fn reference(n: &Normalizer, text: &str) -> String {
        let mut s = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' && n.options.line_ends {
                if chars.peek() != Some(&'\n') {
                    s.push('\n');
                }
            } else {
                s.push_str(n.mapped(c).unwrap_or(&c.to_string()));
            }
        }
        if n.options.tifinagh_lookalikes {
            s = tifinagh::fold(&s).unwrap_or(s);
        }
        s = s.nfc().collect();
        if n.options.lowercase {
            s = s.chars().flat_map(char::to_lowercase).collect();
            s = s.nfc().collect();
        }
        squeeze_spaces(Cow::Owned(s)).into_owned()
    }

    proptest! {
        #[test]
        fn gated_stages_equal_the_plain_pipeline(text in tricky()) {
            for o in all_options() {
                let n = Normalizer::new(o);
                prop_assert_eq!(n.normalize(&text), reference(&n, &text), "{:?}", o);
            }
        }

        #[test]
        fn idempotent(text in tricky()) {
            for o in all_options() {
                let n = Normalizer::new(o);
                let once = n.normalize(&text).into_owned();
                prop_assert_eq!(n.normalize(&once), once.as_str());
            }
        }
    }

    #[test]
    fn nfc_inert_is_true_to_the_unicode_tables() {
        let mut wrong = Vec::new();
        for cp in 0..0x2_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if !nfc_inert(cp) {
                continue;
            }
            // Class 0, NFC as it is, and nothing composes with it as a second character.
            let alone = canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
            let composes = ['a', 'e', 'ا', 'و', 'ي', 'ⴳ'].iter().any(|&base| {
                let pair: String = [base, c].iter().collect();
                pair.nfc().collect::<String>() != pair
            });
            if !alone || composes {
                wrong.push(format!("{cp:04X}"));
            }
        }
        assert!(wrong.is_empty(), "not NFC-inert: {wrong:?}");
    }

    #[test]
    fn lowercasing_keeps_the_text_nfc_so_normalizing_is_idempotent() {
        // Found by fuzzing (fuzz/findings/normalize): `İ` lower-cases to `i` + U+0307,
        // which NFC orders after the Tifinagh joiner U+2D7F (combining class 9).
        let n = Normalizer::new(Options {
            lowercase: true,
            ..Options::default()
        });
        let once = n.normalize("aİ\u{2D7F}b").into_owned();
        assert_eq!(once, "ai\u{2D7F}\u{307}b");
        assert_eq!(n.normalize(&once), once.as_str());
        assert!(n.stock_steps().ends_with(&[
            StockStep::Lowercase,
            StockStep::Nfc,
            StockStep::Replace {
                pattern: " {2,}".into(),
                content: " ".into()
            },
            StockStep::Strip
        ]));
    }

    #[test]
    fn nfkc_would_break_labialisation_but_we_keep_it() {
        let n = Normalizer::new(Profile::Zgh.options());
        assert_eq!(n.normalize("ⴰⴳⵯⵎⴰⵔ"), "ⴰⴳⵯⵎⴰⵔ");
        assert_ne!("ⴰⴳⵯⵎⴰⵔ".nfkc().collect::<String>(), "ⴰⴳⵯⵎⴰⵔ");
    }

    #[test]
    fn whitespace_table() {
        let n = Normalizer::new(Profile::Auto.options());
        assert_eq!(
            n.normalize("\u{FEFF}a\u{200B}b\u{0}c  d\u{3000}e \t"),
            "abc d e"
        );
    }

    /// What `awal prepare` relies on: nothing invisible survives, lines stay, spelling
    /// does not change.
    #[test]
    fn prepare_profile_removes_only_what_cannot_be_seen() {
        let n = Normalizer::new(Profile::Prepare.options());
        let cases = [
            ("سلام\u{200F} خويا", "سلام خويا"),
            ("Bonjour\u{200B} ça va\u{00A0}?", "Bonjour ça va ?"),
            ("\u{202B}واش\u{202C}  \u{2067}ⴰⵣⵓⵍ\u{2069}", "واش ⴰⵣⵓⵍ"),
            (
                "line one\r\nline two\rthree\n\nfour",
                "line one\nline two\nthree\n\nfour",
            ),
            (
                "\u{FEFF}  kidayr\u{85}  a\u{0} sahbi \u{3000}",
                "kidayr a sahbi",
            ),
            ("ok\u{200C}\u{200D}\u{200E}\u{2060} !", "ok !"),
            (
                "كتـــاب l’école ٢٠٢٤ ﻻ ⴰOⵓⵍ مَدْرَسَة",
                "كتـــاب l’école ٢٠٢٤ ﻻ ⴰOⵓⵍ مَدْرَسَة",
            ),
            ("\u{0627}\u{0653} e\u{0301}", "\u{0622} é"),
        ];
        for (input, want) in cases {
            assert_eq!(n.normalize(input), want, "{input:?}");
        }
        assert!(matches!(
            n.normalize("salam khoya, kidayr? واش نتا مزيان ⴰⵣⵓⵍ\nline 2"),
            Cow::Borrowed(_)
        ));
    }
}
