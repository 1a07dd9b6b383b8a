//! Symbol and emoji density.
//!
//! Counts characters that are neither letters, digits, marks, whitespace nor ordinary
//! sentence punctuation (Latin and Arabic: `. , ; : ! ? ' " ( ) - « » ، ؛ ؟`), i.e.
//! emoji, `#`, `@`, currency signs, box drawing, dingbats. A few emoji in a Darija post
//! are normal; a line of them is not text.

use super::{DocView, Filter, Verdict};
use crate::config::FilterConfig;

/// Maximum fraction of non-space characters that are symbols.
///
/// ```
/// use awal_prep::filter::symbols::is_symbol;
/// assert!(is_symbol('😂') && is_symbol('#') && !is_symbol('،') && !is_symbol('ⵣ'));
/// ```
pub struct Symbols {
    max_ratio: f64,
}

impl Symbols {
    /// From the filter configuration.
    ///
    /// ```
    /// let _ = awal_prep::filter::symbols::Symbols::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        Symbols {
            max_ratio: c.max_symbol_ratio,
        }
    }
}

/// Which ASCII characters are symbols: `#$%&*+<=>@[\]^_{|}~` and the backtick, not
/// sentence punctuation.
pub(crate) const ASCII_SYMBOL: [bool; 128] = {
    let mut table = [false; 128];
    let symbols = b"#$%&*+<=>@[\\]^_`{|}~";
    let mut i = 0;
    while i < symbols.len() {
        table[symbols[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether a character counts as a symbol for this filter.
///
/// ```
/// assert!(!awal_prep::filter::symbols::is_symbol('é'));
/// ```
#[inline]
pub fn is_symbol(c: char) -> bool {
    if c.is_ascii() {
        return ASCII_SYMBOL[c as usize];
    }
    // Arabic and Tifinagh letters and harakat: the common non-ASCII case, no table lookup.
    if matches!(c, '\u{0600}'..='\u{06FF}' | '\u{2D30}'..='\u{2D7F}') {
        return matches!(
            c,
            '\u{06D4}' | '\u{06DE}' | '\u{06E9}' | '\u{06FD}' | '\u{06FE}' | '\u{0600}'
                ..='\u{0605}' | '\u{060E}' | '\u{060F}'
        );
    }
    if c.is_alphanumeric() || c.is_whitespace() {
        return false;
    }
    !matches!(
        c,
        '«' | '»' | '،' | '؛' | '؟' | '…' | '–' | '—' | '’' | '‘' | '“' | '”' | '·' | '\u{0300}'
            ..='\u{036F}' | '\u{2D7F}' | '\u{200C}' | '\u{200D}' | '\u{00A0}' | '٫' | '٬'
    )
}

impl Filter for Symbols {
    fn name(&self) -> &'static str {
        "symbols"
    }

    fn check(&self, doc: &DocView<'_>) -> Verdict {
        if doc.non_space_chars == 0 {
            return Verdict::Keep;
        }
        if doc.symbols as f64 / doc.non_space_chars as f64 > self.max_ratio {
            Verdict::Drop("too_many_symbols")
        } else {
            Verdict::Keep
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ascii_symbol_table_is_the_list() {
        for b in 0u8..128 {
            let listed = matches!(
                b as char,
                '#' | '$'
                    | '%'
                    | '&'
                    | '*'
                    | '+'
                    | '<'
                    | '='
                    | '>'
                    | '@'
                    | '['
                    | '\\'
                    | ']'
                    | '^'
                    | '_'
                    | '`'
                    | '{'
                    | '|'
                    | '}'
                    | '~'
            );
            assert_eq!(super::ASCII_SYMBOL[b as usize], listed, "{b}");
        }
    }
}
