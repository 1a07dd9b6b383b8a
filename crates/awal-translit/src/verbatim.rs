//! Tokens that are not words of any language, copied verbatim by every conversion.
//!
//! A corpus line holds more than words: `https://hespress.com/…`, `karim@menara.ma`,
//! `@salma_93`, `www.le360.ma`, and the placeholders that PII redaction leaves
//! (`<PHONE>`). Transliterating them letter by letter breaks them (`حطبس://…`), so a
//! [`crate::Transliterator`] copies every whitespace-separated token that
//!
//! * contains `://` or starts with `www.` (a URL),
//! * contains `@` (an e-mail address or a mention), or
//! * contains a placeholder `<UPPER_CASE>`,
//!
//! and converts the text between them. Text with none of `:`, `@`, `<` or `www.` is
//! converted in one piece, so clean prose pays one byte scan.
//!
//! ```
//! use awal_translit::{Options, Registry};
//! let t = Registry::builtin().transliterator("zgh-latn", "zgh-tfng", Options::default()).unwrap();
//! assert_eq!(t.convert("azul <PHONE> www.ircam.ma @tamazight"), "ⴰⵣⵓⵍ <PHONE> www.ircam.ma @tamazight");
//! ```

/// Whether `text` may hold a verbatim token (a fast, conservative test).
pub(crate) fn may_have_verbatim(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b':' | b'@' | b'<')) || text.contains("www.")
}

/// Calls `f(segment, verbatim)` for consecutive segments covering `text`: verbatim
/// tokens, and the (possibly empty-free) runs of text between them.
pub(crate) fn for_each_segment(text: &str, mut f: impl FnMut(&str, bool)) {
    let mut pending = 0; // start of the text not yet handed out
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let token_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if token_len == 0 {
            // Whitespace: step over one character.
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let end = i + token_len;
        if is_verbatim(&text[i..end]) {
            if pending < i {
                f(&text[pending..i], false);
            }
            f(&text[i..end], true);
            pending = end;
        }
        i = end;
    }
    if pending < text.len() {
        f(&text[pending..], false);
    }
}

/// A URL, an e-mail address or mention, or a token holding a `<PLACEHOLDER>`.
fn is_verbatim(token: &str) -> bool {
    token.contains("://")
        || token.starts_with("www.")
        || token.contains('@')
        || has_placeholder(token)
}

fn has_placeholder(token: &str) -> bool {
    let b = token.as_bytes();
    let mut i = 0;
    while let Some(open) = b[i..].iter().position(|&c| c == b'<') {
        let start = i + open + 1;
        let len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase() || **c == b'_')
            .count();
        if len > 0 && b.get(start + len) == Some(&b'>') {
            return true;
        }
        i = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Vec<(String, bool)> {
        let mut v = Vec::new();
        for_each_segment(text, |s, verbatim| v.push((s.to_string(), verbatim)));
        v
    }

    #[test]
    fn urls_mails_mentions_and_placeholders_are_verbatim() {
        let text =
            "salam https://x.ma/a?b=1 w\u{a0}kteb l ali@x.ma, <PHONE>. @salma www.le360.ma <b>ok";
        let got = segments(text);
        let verbatim: Vec<&str> = got
            .iter()
            .filter(|(_, v)| *v)
            .map(|(s, _)| s.as_str())
            .collect();
        assert_eq!(
            verbatim,
            [
                "https://x.ma/a?b=1",
                "ali@x.ma,",
                "<PHONE>.",
                "@salma",
                "www.le360.ma"
            ]
        );
        assert_eq!(
            got.iter().map(|(s, _)| s.as_str()).collect::<String>(),
            text
        );
        assert!(!segments("<b>ok</b> a<b").iter().any(|(_, v)| *v));
    }

    #[test]
    fn plain_text_is_one_segment() {
        assert_eq!(
            segments(" azul\n\tfellawen "),
            [(" azul\n\tfellawen ".to_string(), false)]
        );
        assert!(segments("").is_empty());
        assert!(!may_have_verbatim("azul fellawen"));
    }
}
