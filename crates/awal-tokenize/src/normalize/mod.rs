//! Script-aware normalization, with one module per script family.
//!
//! # Model
//! A [`Normalizer`] runs five stages, in this order:
//!
//! 1. **character table** — one pass mapping single characters to strings (possibly
//!    empty), merged from the families: [`whitespace`] (controls, invisible format
//!    characters, exotic spaces), [`latin`] (’ → '), [`arabic`] (tatweel, harakat,
//!    letter variants, digits, presentation forms). The table is closed under itself
//!    (no output contains a mapped character), so one pass equals any sequence of
//!    per-family `Replace` passes.
//! 2. **Tifinagh look-alikes** — context rules of [`tifinagh`], run only on text that
//!    contains Tifinagh.
//! 3. **NFC** — never NFKC, which would turn ⵯ into ⵡ.
//! 4. **lowercase** (optional), per character as `tokenizers`' `Lowercase` does.
//! 5. **spaces** — runs of U+0020 collapse to one; the ends are trimmed.
//!
//! Each stage is gated: pure ASCII text without controls, double spaces or (when
//! lowercasing) capitals is returned borrowed after one byte scan, and each later stage
//! first checks whether it has anything to do.
//!
//! The same pipeline exports itself as stock `tokenizers` components with
//! [`Normalizer::to_stock`] (a `Sequence` of `Replace`, `NFC`, `Lowercase`, `Replace`,
//! `Strip`), which is what a saved `tokenizer.json` holds; a test checks both give the
//! same text.
//!
//! ```
//! use awal_tokenize::normalize::{Normalizer, Profile};
//!
//! let n = Normalizer::new(Profile::Auto.options());
//! assert_eq!(n.normalize("  l’école   كتـــاب ⴰⴳʷⵎⴰⵔ "), "l'école كتاب ⴰⴳⵯⵎⴰⵔ");
//! ```

pub mod arabic;
pub mod latin;
pub mod tifinagh;
pub mod whitespace;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use tokenizers::normalizers::replace::{Replace, ReplacePattern};
use tokenizers::normalizers::{Lowercase, Sequence, Strip, NFC};
use tokenizers::NormalizerWrapper;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use arabic::ArabicOptions;

/// A named set of defaults for one kind of text. Every profile runs every family (each
/// is gated on its script, so it costs nothing where it does not apply); profiles only
/// differ in the optional foldings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Darija: also removes harakat and unifies alef variants.
    Ary,
    /// Tamazight: the defaults.
    Zgh,
    /// French: the defaults.
    Fra,
    /// Mixed text: the defaults (conservative; nothing that changes spelling).
    Auto,
}

impl Profile {
    /// Parses `ary`, `zgh`, `fra` or `auto`.
    ///
    /// ```
    /// use awal_tokenize::normalize::Profile;
    /// assert_eq!(Profile::parse("ary"), Some(Profile::Ary));
    /// assert_eq!(Profile::parse("xx"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Profile> {
        match name {
            "ary" => Some(Profile::Ary),
            "zgh" => Some(Profile::Zgh),
            "fra" => Some(Profile::Fra),
            "auto" => Some(Profile::Auto),
            _ => None,
        }
    }

    /// The options of this profile.
    ///
    /// ```
    /// use awal_tokenize::normalize::Profile;
    /// assert!(Profile::Ary.options().arabic.remove_harakat);
    /// assert!(!Profile::Auto.options().lowercase);
    /// ```
    pub fn options(self) -> Options {
        let mut o = Options::default();
        if self == Profile::Ary {
            o.arabic.remove_harakat = true;
            o.arabic.unify_alef = true;
        }
        o
    }
}

/// What a [`Normalizer`] does beyond the always-on steps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Arabic-script options.
    pub arabic: ArabicOptions,
    /// Lowercase every character (after NFC).
    pub lowercase: bool,
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
    /// ASCII bytes that the table changes (controls).
    ascii_dirty: [bool; 128],
}

impl Normalizer {
    /// Compiles the table for `options`.
    ///
    /// ```
    /// use awal_tokenize::normalize::{Normalizer, Options};
    /// let n = Normalizer::new(Options { lowercase: true, ..Options::default() });
    /// assert_eq!(n.normalize("Salam\u{00A0}KHOYA"), "salam khoya");
    /// ```
    pub fn new(options: Options) -> Normalizer {
        let mut raw = Vec::new();
        whitespace::mappings(&mut raw);
        latin::mappings(&mut raw);
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
        let mut ascii_dirty = [false; 128];
        for (c, out) in closed {
            let slot = *index.entry(out.clone()).or_insert_with(|| {
                outputs.push(out.into_boxed_str());
                (outputs.len() - 1) as u16
            });
            table[c as usize] = slot;
            if (c as u32) < 128 {
                ascii_dirty[c as usize] = true;
            }
        }
        Normalizer {
            options,
            table,
            outputs,
            ascii_dirty,
        }
    }

    /// The options this normalizer was built with.
    ///
    /// ```
    /// use awal_tokenize::normalize::{Normalizer, Profile};
    /// assert_eq!(Normalizer::new(Profile::Fra.options()).options(), Profile::Fra.options());
    /// ```
    pub fn options(&self) -> Options {
        self.options
    }

    fn mapped(&self, c: char) -> Option<&str> {
        let slot = *self.table.get(c as usize)?;
        (slot != 0).then(|| &*self.outputs[slot as usize])
    }

    /// Normalizes one text; borrows it when nothing changes.
    ///
    /// ```
    /// use awal_tokenize::normalize::{Normalizer, Profile};
    /// use std::borrow::Cow;
    /// let n = Normalizer::new(Profile::Auto.options());
    /// assert!(matches!(n.normalize("salam khoya"), Cow::Borrowed(_)));
    /// assert_eq!(n.normalize("c’est\u{202F}!"), "c'est !");
    /// ```
    pub fn normalize<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.is_clean_ascii(text) {
            return Cow::Borrowed(text);
        }
        // One decoding pass says which stages have work; most lines need none or one.
        let mut needs_map = false;
        let mut needs_nfc = false;
        let mut lookalike = false;
        let mut upper = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // ASCII inside non-ASCII text: no decoding, two table reads.
                needs_map |= self.ascii_dirty[b as usize];
                lookalike |= matches!(b, b'O' | b'|' | b'+');
                upper |= self.options.lowercase && b.is_ascii_uppercase();
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            needs_map |= self.mapped(c).is_some();
            needs_nfc |= !nfc_inert(c);
            lookalike |= tifinagh::is_lookalike(c);
            upper |= self.options.lowercase && !c.is_lowercase() && c.is_alphabetic();
        }
        let mut s = if needs_map {
            self.map_chars(text)
        } else {
            Cow::Borrowed(text)
        };
        // Look-alike rules need a look-alike and a Tifinagh letter; most lines have neither.
        if lookalike && has_tifinagh(&s) {
            if let Some(folded) = tifinagh::fold(&s) {
                s = Cow::Owned(folded);
            }
        }
        // Mapping only produces NFC-inert text or text the check below catches.
        if (needs_nfc || needs_map) && is_nfc_quick(s.chars()) != IsNormalized::Yes {
            let nfc: String = s.nfc().collect();
            if nfc != *s {
                s = Cow::Owned(nfc);
            }
        }
        if (upper || needs_map || needs_nfc)
            && self.options.lowercase
            && s.chars().any(|c| c.to_lowercase().ne(std::iter::once(c)))
        {
            s = Cow::Owned(s.chars().flat_map(char::to_lowercase).collect());
        }
        squeeze_spaces(s)
    }

    /// One byte scan: ASCII, nothing the table maps, no double space, no space at the
    /// ends, nothing to lowercase.
    fn is_clean_ascii(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        if let (Some(first), Some(last)) = (bytes.first(), bytes.last()) {
            if first.is_ascii_whitespace() || last.is_ascii_whitespace() {
                return false;
            }
        }
        let mut prev = 0u8;
        for &b in bytes {
            if b >= 0x80
                || self.ascii_dirty[b as usize]
                || (b == b' ' && prev == b' ')
                || (self.options.lowercase && b.is_ascii_uppercase())
            {
                return false;
            }
            prev = b;
        }
        true
    }

    fn map_chars<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Option<String> = None;
        for (i, c) in text.char_indices() {
            match (self.mapped(c), out.as_mut()) {
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

    /// The same pipeline as stock `tokenizers` components, for a `tokenizer.json`.
    ///
    /// ```
    /// use awal_tokenize::normalize::{Normalizer, Profile};
    /// use tokenizers::{NormalizedString, Normalizer as _};
    /// let n = Normalizer::new(Profile::Auto.options());
    /// let stock = n.to_stock()?;
    /// let mut s = NormalizedString::from(" l’école  ⴰⴳʷⵎⴰⵔ");
    /// stock.normalize(&mut s)?;
    /// assert_eq!(s.get(), n.normalize(" l’école  ⴰⴳʷⵎⴰⵔ"));
    /// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    /// ```
    pub fn to_stock(&self) -> Result<NormalizerWrapper, crate::Error> {
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
        let mut steps: Vec<NormalizerWrapper> = Vec::new();
        for (out, chars) in by_output {
            steps.push(replace(&char_class(&chars), out)?);
        }
        for rule in tifinagh::RULES {
            steps.push(replace(&tifinagh::rule_regex(rule), &rule.to.to_string())?);
        }
        steps.push(NFC.into());
        if self.options.lowercase {
            steps.push(Lowercase.into());
        }
        steps.push(replace(" {2,}", " ")?);
        steps.push(Strip::new(true, true).into());
        Ok(Sequence::new(steps).into())
    }
}

fn replace(regex: &str, content: &str) -> Result<NormalizerWrapper, crate::Error> {
    Replace::new(ReplacePattern::Regex(regex.to_string()), content)
        .map(Into::into)
        .map_err(|e| crate::Error::Stock(e.to_string()))
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

/// Characters that NFC leaves alone whatever their neighbours: canonical combining class
/// 0 and NFC quick-check "Yes", in the blocks this toolkit sees most. A line made only of
/// these skips the NFC check entirely.
fn nfc_inert(c: char) -> bool {
    matches!(c as u32,
        0..=0x2FF
        | 0x600..=0x64A
        | 0x660..=0x66F
        | 0x671..=0x6D5
        | 0x6EE..=0x6FF
        | 0x2000..=0x206F
        | 0x20A0..=0x20C0
        | 0x2D30..=0x2D7E)
}

/// Tifinagh is U+2D30–U+2D7F: UTF-8 `E2 B4 B0`–`E2 B5 BF`; a byte search gates stage 2.
fn has_tifinagh(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(0xE2, b).any(|i| {
        matches!(b.get(i + 1), Some(0xB4) | Some(0xB5))
            && s.get(i..)
                .and_then(|t| t.chars().next())
                .is_some_and(tifinagh::is_tifinagh)
    })
}

/// Stage 5: collapse runs of spaces, trim the ends (Unicode whitespace, as `Strip`).
fn squeeze_spaces(s: Cow<'_, str>) -> Cow<'_, str> {
    let trimmed = s.trim_matches(char::is_whitespace);
    if !trimmed.contains("  ") {
        return match s {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim_matches(char::is_whitespace)),
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
    use tokenizers::{NormalizedString, Normalizer as _};

    fn stock(n: &Normalizer, text: &str) -> String {
        let mut s = NormalizedString::from(text);
        n.to_stock().unwrap().normalize(&mut s).unwrap();
        s.get().to_string()
    }

    /// Characters that exercise every stage.
    fn tricky() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "aOo|+ lLé'’ \u{A0}\u{202F}\u{200B}\t\u{0}\u{301}\u{654}\u{653}اأإـَُِّىيةه٣ﻻﻷﺑⴰⴳⵯⵔʷ⊙ⵉⵜ\u{2D7F}ΟО"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..24)
            .prop_map(|v| v.into_iter().collect())
    }

    fn all_options() -> Vec<Options> {
        let mut all = vec![Profile::Auto.options(), Profile::Ary.options()];
        let mut o = Options {
            lowercase: true,
            ..Options::default()
        };
        o.arabic = ArabicOptions {
            remove_harakat: true,
            unify_alef: true,
            unify_hamza: true,
            unify_ya: true,
            unify_ta_marbuta: true,
            ascii_digits: true,
        };
        all.push(o);
        o.arabic.unify_alef = false;
        o.arabic.remove_harakat = false;
        all.push(o);
        all
    }

    proptest! {
        // Each case builds four stock pipelines (dozens of regexes): keep the count modest.
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn idempotent(text in tricky()) {
            for o in all_options() {
                let n = Normalizer::new(o);
                let once = n.normalize(&text).into_owned();
                prop_assert_eq!(n.normalize(&once), once.as_str());
            }
        }

        #[test]
        fn stock_pipeline_agrees(text in tricky()) {
            for o in all_options() {
                let n = Normalizer::new(o);
                prop_assert_eq!(stock(&n, &text), n.normalize(&text));
            }
        }
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
}
