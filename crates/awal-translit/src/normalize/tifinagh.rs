//! Tifinagh: look-alike folding inside Tifinagh words, ʷ → ⵯ after a Tifinagh letter.
//!
//! Why no NFKC here: NFKC maps the labialisation mark ⵯ (U+2D6F) to the letter ⵡ (U+2D61)
//! and so merges `ⴳⵯ` (gʷ) with `ⴳⵡ` (gw). This family only uses NFC, which leaves
//! Tifinagh untouched.
//!
//! Look-alikes are only folded when they sit *between* two Tifinagh letters (a Latin `O`
//! inside `ⴰOⵓⵍ` is a ⵔ, a Latin `O` in `OK` is not). Because a folded character's
//! neighbours are letters already, folding never makes another look-alike foldable, which
//! is what makes the rules idempotent and independent of their order.

/// Tifinagh letters that count as context: U+2D30–U+2D67 (the ⵯ mark and ⵿ joiner are
/// not letters, so `ʷ` after ⵯ stays, which keeps ʷ-folding idempotent).
pub(super) fn is_tifinagh_letter(c: char) -> bool {
    ('\u{2D30}'..='\u{2D67}').contains(&c)
}

/// Whether a character is in the Tifinagh block; used to gate the whole family.
pub(super) fn is_tifinagh(c: char) -> bool {
    ('\u{2D30}'..='\u{2D7F}').contains(&c)
}

/// Whether `c` is the source of any rule (gates the whole family). Written out rather
/// than read from [`RULES`] because the normalizer asks it of every character; a test
/// checks that both say the same.
#[inline]
pub(super) fn is_lookalike(c: char) -> bool {
    matches!(
        c,
        'O' | '|'
            | '+'
            | '\u{039F}'
            | '\u{041E}'
            | '\u{2299}'
            | '\u{0298}'
            | '\u{0196}'
            | '\u{02B7}'
    )
}

/// A look-alike rule: any of `from`, between two Tifinagh letters, becomes `to`.
///
/// ```
/// use awal_translit::normalize::tifinagh::RULES;
/// assert!(RULES.iter().any(|r| r.from.contains(&'O') && r.to == 'ⵔ'));
/// ```
pub struct LookAlike {
    /// The characters typed instead of the letter.
    pub from: &'static [char],
    /// The Tifinagh letter they stand for.
    pub to: char,
    /// `true`: needs a Tifinagh letter on both sides; `false`: only before it.
    pub both_sides: bool,
}

/// The rules, in the order they are exported (the order does not change the result).
pub const RULES: &[LookAlike] = &[
    // Latin O, Greek Omicron, Cyrillic O for yar ⵔ.
    LookAlike {
        from: &['O', '\u{039F}', '\u{041E}'],
        to: 'ⵔ',
        both_sides: true,
    },
    // Circled dot operator, Latin bilabial click for yas ⵙ.
    LookAlike {
        from: &['\u{2299}', '\u{0298}'],
        to: 'ⵙ',
        both_sides: true,
    },
    // Vertical bar and Latin iota-like letters for yi ⵉ.
    LookAlike {
        from: &['|', '\u{0196}'],
        to: 'ⵉ',
        both_sides: true,
    },
    // Plus sign for yat ⵜ.
    LookAlike {
        from: &['+'],
        to: 'ⵜ',
        both_sides: true,
    },
    // Modifier small w after a letter is the labialisation mark.
    LookAlike {
        from: &['\u{02B7}'],
        to: 'ⵯ',
        both_sides: false,
    },
];

/// Applies the rules to `text` if any rule fires; `None` means unchanged.
pub(super) fn fold(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Option<String> = None;
    for (i, &c) in chars.iter().enumerate() {
        let mut replacement = None;
        if i > 0 && is_tifinagh_letter(chars[i - 1]) {
            let next_ok = chars.get(i + 1).is_some_and(|&n| is_tifinagh_letter(n));
            replacement = RULES
                .iter()
                .find(|r| r.from.contains(&c) && (next_ok || !r.both_sides))
                .map(|r| r.to);
        }
        match (replacement, out.as_mut()) {
            (Some(to), Some(s)) => s.push(to),
            (Some(to), None) => {
                let mut s: String = chars[..i].iter().collect();
                s.push(to);
                out = Some(s);
            }
            (None, Some(s)) => s.push(c),
            (None, None) => {}
        }
    }
    out
}

/// The stock regex of one rule, in syntax that both Oniguruma (Python `tokenizers`) and
/// `fancy-regex` (Rust) read: `\x{…}` escapes and a one-character lookbehind.
///
/// ```
/// use awal_translit::normalize::tifinagh::{rule_regex, RULES};
/// assert!(rule_regex(&RULES[0]).starts_with("(?<="));
/// ```
pub fn rule_regex(rule: &LookAlike) -> String {
    let letters = r"[\x{2D30}-\x{2D67}]";
    let class: String = rule
        .from
        .iter()
        .map(|c| format!("\\x{{{:X}}}", *c as u32))
        .collect();
    if rule.both_sides {
        format!("(?<={letters})[{class}](?={letters})")
    } else {
        format!("(?<={letters})[{class}]")
    }
}

#[cfg(test)]
mod tests {
    use super::{is_lookalike, RULES};
    use crate::normalize::{Normalizer, Profile};

    #[test]
    fn lookalike_gate_is_the_rule_sources() {
        let sources: Vec<char> = RULES.iter().flat_map(|r| r.from.iter().copied()).collect();
        for c in '\u{0}'..='\u{FFFF}' {
            assert_eq!(is_lookalike(c), sources.contains(&c), "{c:?}");
        }
    }

    #[test]
    fn tifinagh_rules() {
        let n = Normalizer::new(Profile::Zgh.options());
        let cases = [
            ("ⴰⴳⵯⵎⴰⵔ", "ⴰⴳⵯⵎⴰⵔ"),
            ("ⴰⴳʷⵎⴰⵔ", "ⴰⴳⵯⵎⴰⵔ"),
            ("ⴰOⵓⵍ OK", "ⴰⵔⵓⵍ OK"),
            ("ⵜ+ⵎ a+b", "ⵜⵜⵎ a+b"),
            ("agʷmar", "agʷmar"),
        ];
        for (input, want) in cases {
            assert_eq!(n.normalize(input), want, "{input}");
        }
    }
}
