//! Boilerplate lines: cookie banners, JavaScript notices and markup residue, legal
//! footers, share and tag lines, navigation menus, hashtag floods and laughter; and
//! `lorem ipsum` placeholder pages.
//!
//! Lines are matched against a phrase list (French, English, Arabic) with one
//! Aho-Corasick automaton, ASCII case-insensitive, plus three shape rules: a *menu* is
//! four or more short items (≤4 words) separated by `|`, `•`, `·`, `»`, `›`, ` / ` or
//! ` > `; a *tag line* is four or more tokens, most of them `#hashtags` or `@mentions`;
//! a *noise line* is mostly words of one letter or syllable repeated (`ههههه`,
//! `hahahaha`; one `bzaaaaaf` in a sentence is expressive writing and stays). Matching
//! lines are removed (as C4 does for `javascript` lines); the document is dropped when
//! nothing is left or more than `max_boilerplate_line_fraction` of its lines went. A
//! page containing `lorem ipsum` is dropped whole: it is a template, not text.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::config::FilterConfig;

const PHRASES: &[&str] = &[
    // Cookies and JavaScript.
    "cookie policy",
    "use cookies",
    "uses cookies",
    "use of cookies",
    "accept cookies",
    "accept all cookies",
    "utilise des cookies",
    "utilisons des cookies",
    "utilisation des cookies",
    "accepter les cookies",
    "politique de cookies",
    "politique cookies",
    "ملفات تعريف الارتباط",
    "ملفات الكوكيز",
    "javascript",
    // Script and markup residue of scraped pages.
    "function(",
    "function (",
    "});",
    "document.getelementby",
    "datalayer",
    "addeventlistener",
    "console.log(",
    "<script",
    "</script",
    "<div",
    "</div>",
    "&nbsp;",
    // Legal footers.
    "all rights reserved",
    "tous droits réservés",
    "droits réservés",
    "جميع الحقوق محفوظة",
    "privacy policy",
    "politique de confidentialité",
    "terms of use",
    "terms and conditions",
    "conditions générales d'utilisation",
    "mentions légales",
    "سياسة الخصوصية",
    "شروط الاستخدام",
    "powered by wordpress",
    // Calls to action.
    "click here",
    "cliquez ici",
    "read more",
    "lire la suite",
    "اقرأ المزيد",
    "subscribe to our newsletter",
    "inscrivez-vous à notre newsletter",
    "abonnez-vous à notre",
    "share on facebook",
    "partager sur facebook",
    "partager sur twitter",
    "شارك على فيسبوك",
    "اشترك في النشرة",
    "share this:",
    "partager :",
    "partager:",
    "posted by",
    "publié par",
    "labels:",
    "tags:",
    "tags :",
    "mots-clés :",
    "lire aussi :",
    "lire aussi:",
    "اقرأ أيضا",
    "follow us",
    "suivez-nous",
    "تابعونا على",
    "tag your friends",
    "link in bio",
    "lien en bio",
    "like and share",
    "like & share",
    "الجافاسكريبت",
    "جافا سكريبت",
];

const LOREM: &str = "lorem ipsum";

/// The boilerplate cleaner.
///
/// ```
/// use awal_prep::filter::boilerplate::Boilerplate;
/// let b = Boilerplate::new(&Default::default());
/// let text = "Accueil | Actualités | Sport | Culture | Contact\nlyoum mchina l bhar m3a drari w kan zwin\nlyoum mchina l bhar m3a drari w kan zwin bzaf\n© 2024 Tous droits réservés";
/// let cleaned = b.clean(text).unwrap();
/// assert_eq!(cleaned.lines_removed, 2);
/// assert!(cleaned.text.starts_with("lyoum"));
/// assert_eq!(b.clean("Nous utilisons des cookies. Accepter").err(), Some("boilerplate"));
/// ```
pub struct Boilerplate {
    phrases: AhoCorasick,
    lorem: AhoCorasick,
    /// The phrases and `lorem ipsum` in one automaton, so that a clean document (most of
    /// them) is scanned once, not twice.
    any: AhoCorasick,
    max_fraction: f64,
}

/// A document with its boilerplate lines removed.
#[derive(Debug)]
pub struct Cleaned<'t> {
    /// The text that is left (borrowed when nothing was removed).
    pub text: Cow<'t, str>,
    /// How many lines were removed.
    pub lines_removed: usize,
}

impl Boilerplate {
    /// Builds the automata.
    ///
    /// ```
    /// let _ = awal_prep::filter::boilerplate::Boilerplate::new(&Default::default());
    /// ```
    pub fn new(c: &FilterConfig) -> Self {
        let build = |pats: &[&str]| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostFirst)
                .build(pats)
                // The phrase lists are constants; a failure here is a programming error
                // caught by the unit tests, never a user-data problem.
                .expect("boilerplate phrases compile")
        };
        let mut any = PHRASES.to_vec();
        any.push(LOREM);
        Boilerplate {
            phrases: build(PHRASES),
            lorem: build(&[LOREM]),
            any: build(&any),
            max_fraction: c.max_boilerplate_line_fraction,
        }
    }

    /// Whether one line is boilerplate.
    ///
    /// ```
    /// let b = awal_prep::filter::boilerplate::Boilerplate::new(&Default::default());
    /// assert!(b.is_boilerplate_line("Home | News | Sport | Contact"));
    /// assert!(!b.is_boilerplate_line("ana w sahbi mchina l casa | kan zwin"));
    /// assert!(b.is_boilerplate_line("Home > Produits > Maroc > Page 2 of 14 > Suivant »"));
    /// assert!(b.is_boilerplate_line("Se connecter · S'inscrire · Mot de passe oublié ? · Aide"));
    /// assert!(b.is_boilerplate_line("window.dataLayer = window.dataLayer || [];"));
    /// assert!(!b.is_boilerplate_line("mchit l casa > rbat, w rje3t"));
    /// assert!(b.is_boilerplate_line("#maroc #casa #love #instagood lyoum"));
    /// assert!(!b.is_boilerplate_line("lyoum f #casa m3a @karim, kan zwin bzaf"));
    /// assert!(b.is_boilerplate_line("ههههههههه ههههههههههه هههههه"));
    /// assert!(b.is_boilerplate_line("hahahahaha hhhhhh lol"));
    /// assert!(!b.is_boilerplate_line("kan zwiiiiiin bzaaaaaf lmatch lbarh"));
    /// ```
    pub fn is_boilerplate_line(&self, line: &str) -> bool {
        self.phrases.is_match(line) || is_menu(line) || is_tag_line(line) || is_noise_line(line)
    }

    /// Removes boilerplate lines; `Err(reason)` drops the document (`lorem_ipsum`, or
    /// `boilerplate` when too little is left).
    ///
    /// ```
    /// let b = awal_prep::filter::boilerplate::Boilerplate::new(&Default::default());
    /// assert_eq!(b.clean("salam").unwrap().text, "salam");
    /// ```
    pub fn clean<'t>(&self, text: &'t str) -> Result<Cleaned<'t>, &'static str> {
        // One scan answers "neither a phrase nor lorem ipsum" for clean text; only when
        // something matched are the two asked apart.
        let phrase = match self.any.find(text) {
            None => false,
            Some(_) if self.lorem.is_match(text) => return Err("lorem_ipsum"),
            Some(_) => true,
        };
        if !phrase
            && !has_menu_separator(text)
            && memchr::memchr2(b'#', b'@', text.as_bytes()).is_none()
            && !has_elongation(text)
        {
            return Ok(Cleaned {
                text: Cow::Borrowed(text),
                lines_removed: 0,
            });
        }
        let mut kept = String::with_capacity(text.len());
        let (mut lines, mut removed) = (0usize, 0usize);
        for line in text.split('\n') {
            if line.trim().is_empty() {
                kept.push_str(line);
                kept.push('\n');
                continue;
            }
            lines += 1;
            if self.is_boilerplate_line(line) {
                removed += 1;
            } else {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        if removed == 0 {
            return Ok(Cleaned {
                text: Cow::Borrowed(text),
                lines_removed: 0,
            });
        }
        if removed == lines || removed as f64 / lines as f64 > self.max_fraction {
            return Err("boilerplate");
        }
        Ok(Cleaned {
            text: Cow::Owned(kept.trim().to_string()),
            lines_removed: removed,
        })
    }
}

/// Whether `text` contains a menu separator: `|`, `•`, `·`, `»`, `›`, ` / ` or ` > `. Searched
/// as bytes with `memchr` (`·` and `»` are `C2 B7`, `C2 BB`; `•` and `›` are `E2 80 A2`,
/// `E2 80 BA` in UTF-8), not character by character.
fn has_menu_separator(text: &str) -> bool {
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let found = memchr::memchr3_iter(b'|', b'/', 0xC2, b).any(|i| match b[i] {
        b'|' => true,
        b'/' => i > 0 && at(i - 1) == Some(b' ') && at(i + 1) == Some(b' '),
        _ => matches!(at(i + 1), Some(0xB7 | 0xBB)),
    });
    found
        || memchr::memchr_iter(0xE2, b)
            .any(|i| at(i + 1) == Some(0x80) && matches!(at(i + 2), Some(0xA2 | 0xBA)))
        || memchr::memmem::find(b, b" > ").is_some()
}

/// A line of tags: four or more tokens, most of them `#hashtags` or `@mentions`.
fn is_tag_line(line: &str) -> bool {
    let (mut tokens, mut tags) = (0usize, 0usize);
    for t in line.split_whitespace() {
        tokens += 1;
        tags += usize::from(t.len() > 1 && (t.starts_with('#') || t.starts_with('@')));
    }
    tokens >= 4 && tags * 2 > tokens
}

/// A letter written five or more times in a row (`hhhhh`, `ههههه`, `loooool`), or a
/// word that is one syllable said four or more times (`hahahaha`, `lolololo`).
fn elongated(word: &str) -> bool {
    let (mut run, mut last, mut n) = (0, '\0', 0);
    let mut period_two = true;
    let mut first_two = ['\0'; 2];
    for (i, c) in word.chars().enumerate() {
        run = if c == last { run + 1 } else { 1 };
        last = c;
        if run >= 5 && c.is_alphabetic() {
            return true;
        }
        if i < 2 {
            first_two[i] = c;
        } else {
            period_two &= c == first_two[i % 2];
        }
        n = i + 1;
    }
    period_two && n >= 8 && first_two[0] != first_two[1] && first_two[0].is_alphabetic()
}

/// Whether some word is [`elongated`]. A byte scan rules most text out first (five equal
/// ASCII letters, or eight bytes repeating with period two: `hahahaha`, `هههه`), so clean
/// text does not pay a per-word pass.
fn has_elongation(text: &str) -> bool {
    let b = text.as_bytes();
    let (mut same, mut period_two) = (0, 0);
    let mut candidate = false;
    for i in 1..b.len() {
        same = if b[i] == b[i - 1] && b[i].is_ascii_alphabetic() {
            same + 1
        } else {
            0
        };
        period_two = if i >= 2 && b[i] == b[i - 2] && b[i] != b' ' {
            period_two + 1
        } else {
            0
        };
        if same >= 4 || period_two >= 6 {
            candidate = true;
            break;
        }
    }
    candidate && text.split_whitespace().any(elongated)
}

/// Laughter and keyboard noise: most words are one letter repeated (`ههههههه hhhhhh`).
/// One elongated word in a sentence (`bzaaaaaf`) is expressive writing and stays.
fn is_noise_line(line: &str) -> bool {
    let (mut words, mut noisy) = (0usize, 0usize);
    for w in line.split_whitespace() {
        words += 1;
        noisy += usize::from(elongated(w));
    }
    noisy > 0 && noisy * 2 > words
}

/// Four or more short items (≤4 words: `Mot de passe oublié ?`) between menu
/// separators; ` > ` is the breadcrumb trail (`Home > Products > Page 2 of 14`).
fn is_menu(line: &str) -> bool {
    let items: Vec<&str> = line
        .split(['|', '•', '·', '»', '›'])
        .flat_map(|s| s.split(" / "))
        .flat_map(|s| s.split(" > "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    items.len() >= 4
        && items.iter().all(|s| {
            s.split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
                <= 4
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_separators_found_as_bytes() {
        for (text, expected) in [
            ("a | b", true),
            ("a / b", true),
            ("a/b", false),
            ("1/2 et 3 /4", false),
            ("x • y", true),
            ("x · y", true),
            ("« x » y", true),
            ("x › y", true),
            ("l’école “ok” é à", false),
            ("واش نتا ⴰⵣⵓⵍ", false),
            ("", false),
            ("/ ", false),
            ("Home > News", true),
            ("a>b", false),
        ] {
            let reference = text.contains(['|', '•', '·', '»', '›'])
                || text.contains(" / ")
                || text.contains(" > ");
            assert_eq!(reference, expected, "{text:?}");
            assert_eq!(has_menu_separator(text), expected, "{text:?}");
        }
    }
}
