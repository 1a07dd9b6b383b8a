//! Moroccan and generic PII detection and redaction.
//!
//! # What is found, and how it is told apart from numbers that are not PII
//!
//! | placeholder | what | rule |
//! |---|---|---|
//! | `<EMAIL>` | e-mail address | `local@domain.tld` |
//! | `<URL>` | URL carrying secrets | credentials (`user:pass@host`) or a token-like query key (`token=`, `api_key=`, `sig=`, …); plain URLs stay |
//! | `<IP>` | IPv4, IPv6 | four dotted octets ≤ 255; IPv6 as parsed by the standard library |
//! | `<PHONE>` | phone number | Moroccan `+212` / `00212` / `0` + `5 6 7 8` + 8 digits, any spaces, dots or dashes; `+` and 8–15 digits (E.164) |
//! | `<CIN>` | Moroccan national ID | 1–2 letters + 3–7 digits, **only** after a context word (`CIN`, `carte nationale`, `بطاقة`, `bita9a`, …) within 64 bytes |
//! | `<RIB>` | Moroccan bank account | 24 digits whose key checks: `97 − (first 22 × 100 mod 97)` |
//! | `<IBAN>` | IBAN, any country | country letters + check digits, mod-97 = 1 (`MA` must be 28 long) |
//! | `<ICE>` | company identifier | 15 digits, **only** after `ICE` / `identifiant commun` / `التعريف الموحد` |
//! | `<CARD>` | payment card | 13–19 digits with a card-network prefix and a valid Luhn digit |
//!
//! Years, prices, dates, amounts and order numbers stay: they fail the length, prefix,
//! checksum or context rules above (a random 24-digit reference passes the RIB key 1 time
//! in 97; a 15-digit number without an ICE context word is never an ICE).
//!
//! # How it is fast
//!
//! No regular expressions on the hot path. One pass over the bytes finds runs of digits
//! (ASCII and Arabic-Indic `٠–٩`, `۰–۹`) joined by at most two separators; each run is
//! split into the longest valid identifiers by the rules above. E-mails start from
//! `memchr('@')`, URLs from a `memmem("://")`, IPv6 from `memchr(':')`; context words
//! are one Aho-Corasick automaton. Text without digits, `@` or `:` costs one scan.
//! Redaction borrows the input when nothing is found. Values are never logged: only
//! counts per type leave this module.
//!
//! ```
//! use awal_prep::pii::{PiiKind, Redactor};
//! let r = Redactor::default();
//! let (out, counts) = r.redact("CIN: BE123456, tel +212 6 12-34-56-78, l3am 2024, 1 500 DH, 12/05/2024");
//! assert_eq!(out, "CIN: <CIN>, tel <PHONE>, l3am 2024, 1 500 DH, 12/05/2024");
//! assert_eq!((counts.get(PiiKind::Cin), counts.get(PiiKind::Phone)), (1, 1));
//! ```

use std::borrow::Cow;
use std::net::Ipv6Addr;
use std::str::FromStr;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use memchr::{memchr_iter, memmem};
use serde::Serialize;

/// A type of personal identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum PiiKind {
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
    /// Moroccan national identity card number.
    Cin,
    /// Moroccan bank account (relevé d'identité bancaire).
    Rib,
    /// International bank account number.
    Iban,
    /// Moroccan company identifier (identifiant commun de l'entreprise).
    Ice,
    /// Payment card number.
    Card,
    /// IP address.
    Ip,
    /// URL with credentials or tokens.
    Url,
}

impl PiiKind {
    /// All kinds, in manifest order.
    pub const ALL: [PiiKind; 9] = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Cin,
        PiiKind::Rib,
        PiiKind::Iban,
        PiiKind::Ice,
        PiiKind::Card,
        PiiKind::Ip,
        PiiKind::Url,
    ];

    /// The upper-case name used in placeholders and the manifest.
    ///
    /// ```
    /// assert_eq!(awal_prep::pii::PiiKind::Rib.code(), "RIB");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            PiiKind::Email => "EMAIL",
            PiiKind::Phone => "PHONE",
            PiiKind::Cin => "CIN",
            PiiKind::Rib => "RIB",
            PiiKind::Iban => "IBAN",
            PiiKind::Ice => "ICE",
            PiiKind::Card => "CARD",
            PiiKind::Ip => "IP",
            PiiKind::Url => "URL",
        }
    }

    /// The placeholder that replaces a value.
    ///
    /// ```
    /// assert_eq!(awal_prep::pii::PiiKind::Email.placeholder(), "<EMAIL>");
    /// ```
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "<EMAIL>",
            PiiKind::Phone => "<PHONE>",
            PiiKind::Cin => "<CIN>",
            PiiKind::Rib => "<RIB>",
            PiiKind::Iban => "<IBAN>",
            PiiKind::Ice => "<ICE>",
            PiiKind::Card => "<CARD>",
            PiiKind::Ip => "<IP>",
            PiiKind::Url => "<URL>",
        }
    }
}

/// Counts per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PiiCounts([u64; 9]);

impl From<[u64; 9]> for PiiCounts {
    /// Counts in [`PiiKind::ALL`] order.
    fn from(counts: [u64; 9]) -> Self {
        PiiCounts(counts)
    }
}

impl PiiCounts {
    /// The count of one kind.
    ///
    /// ```
    /// assert_eq!(awal_prep::pii::PiiCounts::default().get(awal_prep::pii::PiiKind::Ip), 0);
    /// ```
    pub fn get(&self, kind: PiiKind) -> u64 {
        self.0[kind as usize]
    }

    /// The counts in [`PiiKind::ALL`] order.
    ///
    /// ```
    /// use awal_prep::pii::{PiiCounts, PiiKind};
    /// let mut c = PiiCounts::default();
    /// c.bump(PiiKind::Phone);
    /// assert_eq!(c.as_array()[1], 1);
    /// assert_eq!(PiiCounts::from(c.as_array()), c);
    /// ```
    pub fn as_array(&self) -> [u64; 9] {
        self.0
    }

    /// Adds one of a kind.
    ///
    /// ```
    /// let mut c = awal_prep::pii::PiiCounts::default();
    /// c.bump(awal_prep::pii::PiiKind::Ip);
    /// assert_eq!(c.total(), 1);
    /// ```
    pub fn bump(&mut self, kind: PiiKind) {
        self.0[kind as usize] += 1;
    }

    /// Adds another count.
    ///
    /// ```
    /// let mut a = awal_prep::pii::PiiCounts::default();
    /// a.bump(awal_prep::pii::PiiKind::Ip);
    /// let b = a;
    /// a.add(&b);
    /// assert_eq!(a.total(), 2);
    /// ```
    pub fn add(&mut self, other: &PiiCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// The sum over kinds.
    ///
    /// ```
    /// assert_eq!(awal_prep::pii::PiiCounts::default().total(), 0);
    /// ```
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// `(kind, count)` pairs in [`PiiKind::ALL`] order.
    ///
    /// ```
    /// assert_eq!(awal_prep::pii::PiiCounts::default().iter().count(), 9);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (PiiKind, u64)> + '_ {
        PiiKind::ALL.iter().map(|k| (*k, self.get(*k)))
    }
}

/// One found identifier, in byte offsets of the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PiiMatch {
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// What it is.
    pub kind: PiiKind,
}

const CIN_CONTEXT: &[&str] = &[
    "cin",
    "c.i.n",
    "cnie",
    "cni",
    "carte nationale",
    "carte d'identité",
    "carte d'identite",
    "carte d’identité",
    "pièce d'identité",
    "identité",
    "identite",
    "هوية",
    "الهوية",
    "identity card",
    "national id",
    "la carte",
    "bita9a",
    "lbita9a",
    "btaqa",
    "bitaka",
    "لاكارط",
    "بطاقة",
    "البطاقة",
    "ب.ت.و",
];

const ICE_CONTEXT: &[&str] = &[
    "ice",
    "i.c.e",
    "identifiant commun",
    "التعريف الموحد",
    "المعرف الموحد",
];

const URL_SECRET_KEYS: &[&str] = &[
    "token=",
    "access_token=",
    "id_token=",
    "api_key=",
    "apikey=",
    "key=",
    "secret=",
    "client_secret=",
    "password=",
    "passwd=",
    "pwd=",
    "pass=",
    "auth=",
    "sig=",
    "signature=",
    "session=",
    "sessionid=",
    "sid=",
];

/// How far back (bytes) a context word may be: 64 Arabic letters, or a long French
/// phrase (`numéro de la carte nationale d'identité électronique : …`).
const CONTEXT_WINDOW: usize = 128;

/// Finds and replaces PII. Cheap to share across threads; build once.
pub struct Redactor {
    cin_ctx: AhoCorasick,
    ice_ctx: AhoCorasick,
    url_keys: AhoCorasick,
    scheme: memmem::Finder<'static>,
}

impl Default for Redactor {
    fn default() -> Self {
        Self::new()
    }
}

fn automaton(pats: &[&str]) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(pats)
        // Constant pattern lists; covered by unit tests, never fed by users.
        .expect("PII context patterns compile")
}

/// A digit value at `b[i..]`: ASCII, Arabic-Indic or Extended Arabic-Indic; with width.
#[inline]
fn digit_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let c = b[i];
    if c.is_ascii_digit() {
        return Some((c - b'0', 1));
    }
    if (c == 0xD9 || c == 0xDB) && i + 1 < b.len() {
        let d = b[i + 1];
        if c == 0xD9 && (0xA0..=0xA9).contains(&d) {
            return Some((d - 0xA0, 2));
        }
        if c == 0xDB && (0xB0..=0xB9).contains(&d) {
            return Some((d - 0xB0, 2));
        }
    }
    None
}

/// A separator inside a number at `b[i..]`, with width.
#[inline]
fn separator_at(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b' ' | b'.' | b'-' | b'\t' => Some(1),
        0xC2 if b.get(i + 1) == Some(&0xA0) => Some(2),
        0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xAF) | Some(0x89)) => {
            Some(3)
        }
        _ => None,
    }
}

#[derive(Clone, Copy)]
struct Group {
    /// Index of the group's first digit in the run's digit list.
    first: usize,
    /// Byte range.
    start: usize,
    end: usize,
    /// The separator bytes before this group were exactly one '.'.
    dot_before: bool,
}

/// Whether `ds` (digit values) is a payment card number as the scanner reads one: 13–19
/// digits, a card-network prefix and a valid Luhn check digit. Public so that tests and
/// the fuzz targets check redaction with the scanner's own rule.
///
/// ```
/// let card: Vec<u8> = "4111111111111111".bytes().map(|b| b - b'0').collect();
/// assert!(awal_prep::pii::card_number_valid(&card));
/// assert!(!awal_prep::pii::card_number_valid(&card[1..]));
/// ```
pub fn card_number_valid(ds: &[u8]) -> bool {
    (13..=19).contains(&ds.len()) && card_prefix(ds) && luhn(ds)
}

fn luhn(ds: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in ds.iter().rev().enumerate() {
        let mut v = u32::from(d);
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

fn card_prefix(ds: &[u8]) -> bool {
    let n = |k: usize| ds[..k].iter().fold(0u32, |a, &d| a * 10 + u32::from(d));
    let len = ds.len();
    match ds[0] {
        4 => matches!(len, 13 | 16 | 19),
        5 => (51..=55).contains(&n(2)) && len == 16,
        2 => (2221..=2720).contains(&n(4)) && len == 16,
        3 => {
            (matches!(n(2), 34 | 37) && len == 15)
                || (n(2) == 35 && len >= 16)
                || (matches!(n(2), 30 | 36 | 38) && len == 14)
        }
        6 => (n(4) == 6011 || n(2) == 65 || (644..=649).contains(&n(3)) || n(2) == 62) && len >= 16,
        _ => false,
    }
}

/// The Moroccan RIB key: `97 - (first22 * 100 mod 97)` equals the last two digits.
///
/// ```
/// let rib: Vec<u8> = "011780000012345678901296".bytes().map(|b| b - b'0').collect();
/// assert!(awal_prep::pii::rib_key_valid(&rib));
/// let mut bad = rib.clone();
/// bad[23] = (bad[23] + 1) % 10;
/// assert!(!awal_prep::pii::rib_key_valid(&bad));
/// ```
pub fn rib_key_valid(ds: &[u8]) -> bool {
    if ds.len() != 24 || ds.iter().all(|&d| d == 0) {
        return false;
    }
    let r = ds[..22]
        .iter()
        .fold(0u32, |r, &d| (r * 10 + u32::from(d)) % 97);
    let key = 97 - (r * 100) % 97;
    key == u32::from(ds[22]) * 10 + u32::from(ds[23])
}

/// IBAN mod-97 over letters and digits (already without spaces).
///
/// ```
/// assert!(awal_prep::pii::iban_valid("GB82WEST12345698765432"));
/// assert!(!awal_prep::pii::iban_valid("GB82WEST12345698765433"));
/// ```
pub fn iban_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 15
        || b.len() > 34
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    if &b[..2] == b"MA" && b.len() != 28 {
        return false;
    }
    let mut r = 0u32;
    for &c in b[4..].iter().chain(&b[..4]) {
        match c {
            b'0'..=b'9' => r = (r * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => r = (r * 100 + u32::from(c - b'A' + 10)) % 97,
            _ => return false,
        }
    }
    r == 1
}

/// Where a URL whose `://` ends at `from` stops: at white space (any, NBSP included) or
/// a quote (ASCII, `« »`, curly), then before any closing punctuation, Latin or Arabic
/// (`، ؛ ؟`). Letters outside ASCII stay part of it: a path may be Arabic.
fn url_end(text: &str, from: usize) -> usize {
    let mut e = from;
    for (i, c) in text[from..].char_indices() {
        if c.is_whitespace()
            || matches!(
                c,
                '"' | '<' | '>' | '\'' | '«' | '»' | '“' | '”' | '‘' | '’'
            )
        {
            break;
        }
        e = from + i + c.len_utf8();
    }
    while let Some(c) = text[from..e].chars().next_back() {
        if !matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '،' | '؛' | '؟' | '…'
        ) {
            break;
        }
        e -= c.len_utf8();
    }
    e
}

#[inline]
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The start of a char boundary at or after `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Redactor {
    /// Builds the automata (a few microseconds; do it once).
    ///
    /// ```
    /// let _ = awal_prep::pii::Redactor::new();
    /// ```
    pub fn new() -> Self {
        Redactor {
            cin_ctx: automaton(CIN_CONTEXT),
            ice_ctx: automaton(ICE_CONTEXT),
            url_keys: automaton(URL_SECRET_KEYS),
            scheme: memmem::Finder::new("://").into_owned(),
        }
    }

    /// Whether a context word ends within [`CONTEXT_WINDOW`] bytes before `at`; short
    /// ASCII words must stand alone (`ice` in `service` does not count).
    fn has_context(&self, ac: &AhoCorasick, text: &str, at: usize) -> bool {
        let from = floor_boundary(text, at.saturating_sub(CONTEXT_WINDOW));
        let window = &text.as_bytes()[from..at];
        // Overlapping matches: with plain iteration `cni` (rejected: glued to `e`) would
        // hide `cnie` starting at the same byte.
        ac.find_overlapping_iter(window).any(|m| {
            let s = &window[m.start()..m.end()];
            if !s.is_ascii() {
                return true;
            }
            let before = m.start().checked_sub(1).map(|i| window[i]);
            let after = window.get(m.end()).copied();
            !before.is_some_and(|c| c.is_ascii_alphabetic())
                && !after.is_some_and(|c| c.is_ascii_alphabetic())
        })
    }

    /// All identifiers in `text`, sorted, non-overlapping (an earlier or longer match wins).
    ///
    /// ```
    /// use awal_prep::pii::{PiiKind, Redactor};
    /// let m = Redactor::new().find("mail: a.b@x.ma, ip 10.0.0.1");
    /// assert_eq!(m.iter().map(|m| m.kind).collect::<Vec<_>>(), [PiiKind::Email, PiiKind::Ip]);
    /// ```
    pub fn find(&self, text: &str) -> Vec<PiiMatch> {
        let mut found = Vec::new();
        self.find_urls(text, &mut found);
        self.find_emails(text, &mut found);
        self.find_ipv6(text, &mut found);
        self.find_numbers(text, &mut found);
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out: Vec<PiiMatch> = Vec::with_capacity(found.len());
        for m in found {
            if out.last().is_some_and(|last| m.start < last.end) {
                continue;
            }
            out.push(m);
        }
        out
    }

    /// Replaces every identifier with its placeholder; counts per kind.
    ///
    /// ```
    /// let (out, n) = awal_prep::pii::Redactor::new().redact("ⴰⵣⵓⵍ 2025");
    /// assert!(matches!(out, std::borrow::Cow::Borrowed(_)) && n.total() == 0);
    /// ```
    pub fn redact<'t>(&self, text: &'t str) -> (Cow<'t, str>, PiiCounts) {
        let mut counts = PiiCounts::default();
        let found = self.find(text);
        if found.is_empty() {
            return (Cow::Borrowed(text), counts);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in found {
            out.push_str(&text[at..m.start]);
            out.push_str(m.kind.placeholder());
            counts.bump(m.kind);
            at = m.end;
        }
        out.push_str(&text[at..]);
        (Cow::Owned(out), counts)
    }

    fn find_emails(&self, text: &str, found: &mut Vec<PiiMatch>) {
        let b = text.as_bytes();
        let local =
            |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
        let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
        let mut after = 0;
        for at in memchr_iter(b'@', b) {
            if at < after {
                continue;
            }
            let mut s = at;
            while s > 0 && local(b[s - 1]) {
                s -= 1;
            }
            while s < at && b[s] == b'.' {
                s += 1;
            }
            let mut e = at + 1;
            while e < b.len() && domain(b[e]) {
                e += 1;
            }
            while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
                e -= 1;
            }
            if s == at || e == at + 1 {
                continue;
            }
            let dom = &b[at + 1..e];
            let Some(dot) = dom.iter().rposition(|&c| c == b'.') else {
                continue;
            };
            let tld = &dom[dot + 1..];
            if dot == 0 || tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
                continue;
            }
            found.push(PiiMatch {
                start: s,
                end: e,
                kind: PiiKind::Email,
            });
            after = e;
        }
    }

    fn find_urls(&self, text: &str, found: &mut Vec<PiiMatch>) {
        let b = text.as_bytes();
        let mut after = 0;
        for at in self.scheme.find_iter(b) {
            if at < after {
                continue;
            }
            let mut s = at;
            while s > 0
                && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'+' | b'.' | b'-'))
            {
                s -= 1;
            }
            if s == at {
                continue;
            }
            let e = url_end(text, at + 3);
            let url = &b[at + 3..e];
            let auth_end = url
                .iter()
                .position(|&c| matches!(c, b'/' | b'?' | b'#'))
                .unwrap_or(url.len());
            let has_creds = url[..auth_end].contains(&b'@');
            let has_token = self.url_keys.find_iter(&url[auth_end..]).any(|m| {
                let i = auth_end + m.start();
                i > 0 && matches!(url[i - 1], b'?' | b'&' | b'#' | b';')
            });
            if has_creds || has_token {
                found.push(PiiMatch {
                    start: s,
                    end: e,
                    kind: PiiKind::Url,
                });
                after = e;
            }
        }
    }

    fn find_ipv6(&self, text: &str, found: &mut Vec<PiiMatch>) {
        let b = text.as_bytes();
        let ok = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
        let mut after = 0;
        for at in memchr_iter(b':', b) {
            if at < after {
                continue;
            }
            let mut s = at;
            while s > 0 && ok(b[s - 1]) {
                s -= 1;
            }
            let mut e = at;
            while e < b.len() && ok(b[e]) {
                e += 1;
            }
            after = e;
            while e > at && b[e - 1] == b'.' {
                e -= 1;
            }
            let cand = &b[s..e];
            if cand.iter().filter(|&&c| c == b':').count() < 2 {
                continue;
            }
            if s > 0 && is_word_byte(b[s - 1]) || e < b.len() && is_word_byte(b[e]) {
                continue;
            }
            if let Ok(addr) = std::str::from_utf8(cand).map(Ipv6Addr::from_str) {
                if addr.is_ok() {
                    found.push(PiiMatch {
                        start: s,
                        end: e,
                        kind: PiiKind::Ip,
                    });
                }
            }
        }
    }

    fn find_numbers(&self, text: &str, found: &mut Vec<PiiMatch>) {
        let b = text.as_bytes();
        let mut i = 0;
        let mut digits: Vec<u8> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        while i < b.len() {
            let c = b[i];
            if !(c.is_ascii_digit() || c == 0xD9 || c == 0xDB) {
                i += 1;
                continue;
            }
            let Some(_) = digit_at(b, i) else {
                i += 1;
                continue;
            };
            // A run of digit groups joined by at most two separator characters.
            let run_start = i;
            digits.clear();
            groups.clear();
            let mut j = i;
            let mut dot_before = false;
            loop {
                let gstart = j;
                let first = digits.len();
                while j < b.len() {
                    match digit_at(b, j) {
                        Some((d, w)) => {
                            digits.push(d);
                            j += w;
                        }
                        None => break,
                    }
                }
                groups.push(Group {
                    first,
                    start: gstart,
                    end: j,
                    dot_before,
                });
                if digits.len() > 64 {
                    break;
                }
                // Look past up to two separators for another digit. `(+212) 6…` writes
                // the country code in brackets: the `)` after it joins the groups too.
                let mut k = j;
                let mut seps = 0;
                let mut only_dot = true;
                // `+212 (0)6…` puts the trunk zero in brackets.
                let bracketed_code = (digits == [2, 1, 2] || digits == [2, 1, 2, 0])
                    && run_start > 0
                    && b[run_start - 1] == b'+';
                while k < b.len() && seps < 2 {
                    let sep = match separator_at(b, k) {
                        None if bracketed_code && matches!(b[k], b'(' | b')') => Some(1),
                        other => other,
                    };
                    match sep {
                        Some(w) => {
                            only_dot &= b[k] == b'.';
                            k += w;
                            seps += 1;
                        }
                        None => break,
                    }
                }
                if seps > 0 && k < b.len() && digit_at(b, k).is_some() {
                    dot_before = only_dot && seps == 1;
                    j = k;
                } else {
                    break;
                }
            }
            let run_end = j;
            self.classify_run(text, run_start, run_end, &digits, &groups, found);
            i = run_end.max(i + 1);
        }
    }

    /// Splits one digit run into identifiers.
    fn classify_run(
        &self,
        text: &str,
        run_start: usize,
        run_end: usize,
        digits: &[u8],
        groups: &[Group],
        found: &mut Vec<PiiMatch>,
    ) {
        let b = text.as_bytes();
        let glued_right = run_end < b.len() && b[run_end].is_ascii_alphabetic();
        let left = if run_start > 0 {
            Some(b[run_start - 1])
        } else {
            None
        };

        // Groups before this index are taken (by an IBAN) or glued to a word.
        let mut first_free = 0;
        // Letters right before the digits: an IBAN or a CIN, never a plain number.
        if left.is_some_and(|c| c.is_ascii_alphabetic())
            || (left == Some(b' ') || left == Some(b'-'))
                && run_start >= 2
                && b[run_start - 2].is_ascii_alphabetic()
        {
            if let Some(m) = self.iban_at(text, run_start) {
                found.push(m);
                first_free = groups
                    .iter()
                    .position(|g| g.start >= m.end)
                    .unwrap_or(groups.len());
            } else if let Some(m) = self.cin_at(text, run_start, &groups[0]) {
                found.push(m);
            }
        }
        if first_free == 0 && left.is_some_and(is_word_byte) {
            // The first group is glued to a word (Arabizi `m9wd`, a reference `AB12`);
            // the groups after its separator still stand alone (`AB12 <a RIB>`).
            first_free = 1;
        }

        // IPv4: exactly four dot-separated groups of ≤3 digits, each ≤255.
        if first_free == 0
            && groups.len() == 4
            && groups[1..].iter().all(|g| g.dot_before)
            && !glued_right
        {
            let ok = groups.iter().enumerate().all(|(k, g)| {
                let end = groups.get(k + 1).map_or(digits.len(), |n| n.first);
                let ds = &digits[g.first..end];
                ds.len() <= 3 && ds.iter().fold(0u32, |a, &d| a * 10 + u32::from(d)) <= 255
            });
            if ok {
                found.push(PiiMatch {
                    start: run_start,
                    end: run_end,
                    kind: PiiKind::Ip,
                });
                return;
            }
        }

        let plus = run_start > 0 && b[run_start - 1] == b'+';
        let mut gi = first_free;
        while gi < groups.len() {
            let mut best: Option<(usize, PiiKind)> = None;
            for gj in gi..groups.len() {
                let end_digit = groups.get(gj + 1).map_or(digits.len(), |n| n.first);
                let ds = &digits[groups[gi].first..end_digit];
                if ds.len() > 24 {
                    break;
                }
                let last = gj + 1 == groups.len();
                if last && glued_right {
                    break;
                }
                let start = groups[gi].start;
                if let Some(kind) = self.number_kind(text, ds, gi == 0 && plus, start) {
                    best = Some((gj, kind));
                }
            }
            match best {
                Some((gj, kind)) => {
                    let start = if gi == 0 && plus && kind == PiiKind::Phone {
                        // `(+212) 6…`: the opening bracket goes with the number.
                        let bracketed = run_start >= 2
                            && b[run_start - 2] == b'('
                            && b[run_start..groups[gj].end].contains(&b')');
                        run_start - 1 - usize::from(bracketed)
                    } else {
                        groups[gi].start
                    };
                    found.push(PiiMatch {
                        start,
                        end: groups[gj].end,
                        kind,
                    });
                    gi = gj + 1;
                }
                None => gi += 1,
            }
        }
    }

    fn number_kind(&self, text: &str, ds: &[u8], plus: bool, start: usize) -> Option<PiiKind> {
        let len = ds.len();
        if len < 8 {
            return None;
        }
        if len == 24 && rib_key_valid(ds) {
            return Some(PiiKind::Rib);
        }
        if len == 15 && self.has_context(&self.ice_ctx, text, start) {
            return Some(PiiKind::Ice);
        }
        if card_number_valid(ds) {
            return Some(PiiKind::Card);
        }
        let mobile = |d: u8| (5..=8).contains(&d);
        let is_phone = if plus {
            if ds.starts_with(&[2, 1, 2]) {
                (len == 12 && mobile(ds[3])) || (len == 13 && ds[3] == 0 && mobile(ds[4]))
            } else {
                (8..=15).contains(&len) && ds[0] != 0
            }
        } else if ds.starts_with(&[0, 0, 2, 1, 2]) {
            len == 14 && mobile(ds[5])
        } else if ds[0] == 0 {
            len == 10 && mobile(ds[1])
        } else if ds.starts_with(&[2, 1, 2]) {
            len == 12 && mobile(ds[3])
        } else {
            false
        };
        is_phone.then_some(PiiKind::Phone)
    }

    /// An IBAN starting with the two letters before `digits_at`.
    fn iban_at(&self, text: &str, digits_at: usize) -> Option<PiiMatch> {
        let b = text.as_bytes();
        if digits_at < 2
            || !b[digits_at - 2].is_ascii_uppercase()
            || !b[digits_at - 1].is_ascii_uppercase()
        {
            return None;
        }
        let start = digits_at - 2;
        if start > 0 && b[start - 1].is_ascii_alphanumeric() {
            return None;
        }
        // Collect up to 34 digits and capital letters, single spaces allowed between
        // blocks. IBANs are printed in blocks of four: a longer block with letters after
        // a space is a word (`GS33438 ACCORDING`), not the rest of the number.
        let mut chars = String::new();
        let mut ends = Vec::new();
        let mut k = start;
        while k < b.len() && chars.len() < 34 {
            let block_end = b[k..]
                .iter()
                .position(|c| !(c.is_ascii_digit() || c.is_ascii_uppercase()))
                .map_or(b.len(), |n| k + n);
            let block = &b[k..block_end];
            if block.is_empty()
                || k > start && block.len() > 4 && !block.iter().all(u8::is_ascii_digit)
            {
                break;
            }
            for (n, &c) in block.iter().enumerate() {
                chars.push(c as char);
                ends.push(k + n + 1);
            }
            k = block_end;
            if b.get(k) == Some(&b' ') {
                k += 1;
            } else {
                break;
            }
        }
        let chars_len = chars.len().min(34);
        (15..=chars_len).rev().find_map(|n| {
            let end = ends[n - 1];
            let boundary = !b.get(end).is_some_and(|c| c.is_ascii_alphanumeric());
            (boundary && iban_valid(&chars[..n])).then_some(PiiMatch {
                start,
                end,
                kind: PiiKind::Iban,
            })
        })
    }

    /// A CIN: 1–2 letters (optionally a space or dash) then 3–7 digits, after a context word.
    fn cin_at(&self, text: &str, digits_at: usize, group: &Group) -> Option<PiiMatch> {
        let b = text.as_bytes();
        let ndigits = text[group.start..group.end].chars().count();
        if !(3..=7).contains(&ndigits)
            || b.get(group.end).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return None;
        }
        let mut s = digits_at;
        let spaced = s > 0 && matches!(b[s - 1], b' ' | b'-');
        if spaced {
            s -= 1;
        }
        let letters_end = s;
        while s > 0 && b[s - 1].is_ascii_alphabetic() && letters_end - (s - 1) <= 2 {
            s -= 1;
        }
        let nletters = letters_end - s;
        if nletters == 0 || (s > 0 && b[s - 1].is_ascii_alphanumeric()) {
            return None;
        }
        // Set apart from its digits, the prefix is written in capitals (`AB 123456`); a
        // lower-case letter there is a Darija clitic before a number (`tsala f 2029`).
        if spaced && !b[s..letters_end].iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        if !self.has_context(&self.cin_ctx, text, s) {
            return None;
        }
        Some(PiiMatch {
            start: s,
            end: group.end,
            kind: PiiKind::Cin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn red(s: &str) -> String {
        Redactor::new().redact(s).0.into_owned()
    }

    #[test]
    fn moroccan_phones_in_every_format() {
        for p in [
            "0612345678",
            "06 12 34 56 78",
            "06.12.34.56.78",
            "06-12-34-56-78",
            "+212612345678",
            "+212 6 12 34 56 78",
            "+212-661-234567",
            "00212 6 12 34 56 78",
            "00212612345678",
            "0522 12 34 56",
            "+212 (0)6 61 23 45 67",
            "+212 (0) 661 23 45 67",
            "(+212) 661234567",
            "+212 (0)6", // not a full number: stays
        ] {
            let out = red(&format!("3iyet l {p} daba"));
            if p.ends_with("(0)6") {
                assert_eq!(out, format!("3iyet l {p} daba"));
            } else {
                assert_eq!(out, "3iyet l <PHONE> daba", "{p}");
            }
        }
        // The bracket joins only a country code: `(2) 0612…` is a list item and a phone.
        assert_eq!(red("(2) 0612345678"), "(2) <PHONE>");
        assert_eq!(
            red("call +33 6 12 34 56 78 or +1 415 555 2671"),
            "call <PHONE> or <PHONE>"
        );
        assert_eq!(red("رقمي ٠٦١٢٣٤٥٦٧٨ عافاك"), "رقمي <PHONE> عافاك");
        assert_eq!(red("0612345678 0712345678"), "<PHONE> <PHONE>");
    }

    #[test]
    fn years_prices_dates_and_amounts_stay() {
        for s in [
            "f 2024 w 2025, 1 500 DH, 12/05/2024, 2024-05-12, 12.05.2024",
            "prix: 1.250.000,00 MAD, 3 500 000 dh, 15 mai 2024 à 10:30:45",
            "commande n° 123456789012345 du 05-12-2023",
            "réf 123456789012345678901200 payée",
            "version 1.2.3 et 2019-2024, 99.5%",
            "m9wd 3lach l7ayat 2k22 s7a7",
            "service 123456789012345 justice",
        ] {
            assert_eq!(red(s), s);
        }
    }

    #[test]
    fn identifiers_after_a_glued_group_or_an_iban_are_found() {
        // Found by fuzzing (fuzz/findings/pii): a digit run that started glued to a word
        // (`GB82`) or with an IBAN was dropped whole, with the RIB or card after it.
        let rib = "011519000001205000534921";
        assert_eq!(red(&format!("ref GB82 {rib}")), "ref GB82 <RIB>");
        assert_eq!(red(&format!("m9wd 12 {rib}")), "m9wd 12 <RIB>");
        assert_eq!(
            red("IBAN GB82 WEST 1234 5698 7654 32 4111 1111 1111 1111"),
            "IBAN <IBAN> <CARD>"
        );
        assert_eq!(red("m9wd 3lach l7ayat 2k22"), "m9wd 3lach l7ayat 2k22");
    }

    #[test]
    fn rib_key_and_iban_checksum() {
        // Key computed: 97 - (0117800000123456789012 * 100 mod 97).
        let ds: Vec<u8> = "011780000012345678901232"
            .bytes()
            .map(|c| c - b'0')
            .collect();
        let r = ds[..22]
            .iter()
            .fold(0u32, |r, &d| (r * 10 + u32::from(d)) % 97);
        let key = 97 - (r * 100) % 97;
        let rib = format!("0117800000123456789012{key:02}");
        assert_eq!(red(&format!("RIB: {rib}")), "RIB: <RIB>");
        let spaced = format!(
            "{} {} {} {}",
            &rib[..3],
            &rib[3..6],
            &rib[6..22],
            &rib[22..]
        );
        assert_eq!(red(&format!("RIB {spaced}.")), "RIB <RIB>.");
        let bad_key = format!("0117800000123456789012{:02}", (key + 1) % 100);
        assert_eq!(red(&bad_key), bad_key);
        assert_eq!(
            red("IBAN GB82 WEST 1234 5698 7654 32 merci"),
            "IBAN <IBAN> merci"
        );
        assert_eq!(
            red("GB82 WEST 1234 5698 7654 33"),
            "GB82 WEST 1234 5698 7654 33"
        );
        // `GS33438ACCORDING` passes mod-97, but a long word after a space is not a block
        // of an IBAN, and IBAN letters are capitals.
        assert_eq!(red("ref GS33438 ACCORDING TO"), "ref GS33438 ACCORDING TO");
        assert_eq!(
            red("His national ID is GS33438 according to the form"),
            "His national ID is <CIN> according to the form"
        );
    }

    #[test]
    fn cin_and_ice_need_context() {
        assert_eq!(red("CIN: J412345"), "CIN: <CIN>");
        assert_eq!(
            red("رقم البطاقة الوطنية BK 654321"),
            "رقم البطاقة الوطنية <CIN>"
        );
        assert_eq!(
            red("n° de carte nationale AB123456."),
            "n° de carte nationale <CIN>."
        );
        assert_eq!(red("modèle AB123456 en stock"), "modèle AB123456 en stock");
        // `cni` inside `cnie` must not hide `cnie`.
        assert_eq!(red("la CNIE n° A52832, Fès"), "la CNIE n° <CIN>, Fès");
        // A long Arabic context phrase still reaches the number.
        assert_eq!(
            red("رقم البطاقة الوطنية للتعريف الإلكترونية الخاصة بي: AB123456"),
            "رقم البطاقة الوطنية للتعريف الإلكترونية الخاصة بي: <CIN>"
        );
        // A clitic before a year after a context word is not a spaced CIN.
        let s = "CIN dyali ghadi tsala f 2029, w l bita9a l 2030";
        assert_eq!(red(s), s);
        assert_eq!(red("ICE 001525987000087"), "ICE <ICE>");
        assert_eq!(red("ref 001525987000087"), "ref 001525987000087");
    }

    #[test]
    fn cards_need_luhn_and_a_network_prefix() {
        assert_eq!(red("carte 4111 1111 1111 1111 exp"), "carte <CARD> exp");
        assert_eq!(
            red("carte 4111 1111 1111 1112 exp"),
            "carte 4111 1111 1111 1112 exp"
        );
        assert_eq!(red("amex 3782 822463 10005"), "amex <CARD>");
        assert_eq!(red("9111111111111111"), "9111111111111111");
    }

    #[test]
    fn emails_urls_ips() {
        assert_eq!(red("kteb l ali.b+x@gmail.com."), "kteb l <EMAIL>.");
        assert_eq!(red("see https://user:pw@host.ma/x ok"), "see <URL> ok");
        assert_eq!(red("https://api.x.ma/v1?a=1&token=abc123 ok"), "<URL> ok");
        // Found by the property tests: French quotes, Arabic punctuation and a no-break
        // space after a URL are text, not part of it; an Arabic path is.
        assert_eq!(
            red("«https://x.ma/?token=abc»، شوف https://x.ma/مقال?sig=1؟ w https://u:p@x.ma\u{a0}ok"),
            "«<URL>»، شوف <URL>؟ w <URL>\u{a0}ok"
        );
        assert_eq!(
            red("https://www.hespress.com/politique"),
            "https://www.hespress.com/politique"
        );
        assert_eq!(
            red("ip 192.168.1.20 w 2001:db8::8a2e:370:7334"),
            "ip <IP> w <IP>"
        );
        assert_eq!(
            red("l sa3a 10:30:45 w 300.1.1.1"),
            "l sa3a 10:30:45 w 300.1.1.1"
        );
    }

    #[test]
    fn never_panics_on_odd_bytes() {
        for s in [
            "@", "://", "+", "::", "a@b", "٠", "۰۱", "1.", "+212", "CIN A", "x@y.", "::1",
        ] {
            let _ = red(s);
        }
    }
}

/// Property tests: random text around identifiers that the module's own checks call
/// valid. Every identifier must come out as its placeholder, and every byte around it
/// must come out unchanged.
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// Digits as text, ASCII or Arabic-Indic (`٠–٩`).
    fn spell(ds: &[u8], arabic_indic: bool) -> String {
        ds.iter()
            .map(|&d| match arabic_indic {
                false => char::from(b'0' + d),
                true => char::from_u32(0x0660 + u32::from(d)).unwrap_or('0'),
            })
            .collect()
    }

    /// The characters of `ds` cut into groups of the given sizes, joined by `sep`.
    fn grouped(ds: &str, sizes: &[usize], sep: &str) -> String {
        let chars: Vec<char> = ds.chars().collect();
        let mut parts: Vec<String> = Vec::new();
        let mut at = 0;
        for &n in sizes {
            let end = (at + n).min(chars.len());
            parts.push(chars[at..end].iter().collect());
            at = end;
        }
        parts.join(sep)
    }

    fn digits(n: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(0u8..10, n)
    }

    /// Moroccan numbers in the ways people write them.
    fn phone() -> impl Strategy<Value = String> {
        (5u8..=8, digits(8), 0usize..7, any::<bool>()).prop_map(|(m, rest, style, indic)| {
            let national = spell(&[&[0, m][..], &rest[..]].concat(), indic);
            let international = spell(&[&[m][..], &rest[..]].concat(), false);
            match style {
                0 => national,
                1 => grouped(&national, &[2, 2, 2, 2, 2], " "),
                2 => grouped(&national, &[2, 2, 2, 2, 2], "."),
                3 => grouped(&national, &[2, 2, 2, 2, 2], "-"),
                4 => format!("+212{international}"),
                5 => format!("+212 {}", grouped(&international, &[1, 2, 2, 2, 2], " ")),
                _ => format!("00212{international}"),
            }
        })
    }

    /// Appends the digit that makes `ds` pass [`luhn`].
    fn with_luhn_digit(mut ds: Vec<u8>) -> Vec<u8> {
        ds.push(0);
        let last = ds.len() - 1;
        for d in 0..10 {
            ds[last] = d;
            if luhn(&ds) {
                break;
            }
        }
        ds
    }

    /// Card numbers of each network, printed whole or in the network's groups.
    fn card() -> impl Strategy<Value = String> {
        let networks: Vec<(&str, usize, &[usize])> = vec![
            ("4", 16, &[4, 4, 4, 4]),
            ("4", 13, &[4, 4, 5]),
            ("53", 16, &[4, 4, 4, 4]),
            ("2221", 16, &[4, 4, 4, 4]),
            ("37", 15, &[4, 6, 5]),
            ("6011", 16, &[4, 4, 4, 4]),
        ];
        (select(networks), digits(18), any::<bool>()).prop_map(
            |((prefix, len, groups), fill, spaced)| {
                let mut ds: Vec<u8> = prefix.bytes().map(|b| b - b'0').collect();
                ds.extend_from_slice(&fill[..len - 1 - ds.len()]);
                let ds = with_luhn_digit(ds);
                assert!(card_prefix(&ds) && luhn(&ds));
                let s = spell(&ds, false);
                if spaced {
                    grouped(&s, groups, " ")
                } else {
                    s
                }
            },
        )
    }

    /// RIBs: 22 digits and their key, whole or as bank, town, account, key.
    fn rib() -> impl Strategy<Value = String> {
        (digits(22), any::<bool>())
            .prop_filter("not all zero", |(ds, _)| ds.iter().any(|&d| d != 0))
            .prop_map(|(mut ds, spaced)| {
                let r = ds.iter().fold(0u32, |r, &d| (r * 10 + u32::from(d)) % 97);
                let key = 97 - (r * 100) % 97;
                ds.extend([(key / 10) as u8, (key % 10) as u8]);
                assert!(rib_key_valid(&ds));
                let s = spell(&ds, false);
                if spaced {
                    grouped(&s, &[3, 3, 16, 2], " ")
                } else {
                    s
                }
            })
    }

    /// IBANs of a few countries with their check digits, whole or in blocks of four.
    fn iban() -> impl Strategy<Value = String> {
        let countries: Vec<(&str, &str)> = vec![
            ("MA", "[0-9]{24}"),
            ("FR", "[0-9]{10}[A-Z0-9]{11}[0-9]{2}"),
            ("GB", "[A-Z]{4}[0-9]{14}"),
            ("DE", "[0-9]{18}"),
            ("ES", "[0-9]{20}"),
        ];
        (select(countries), any::<bool>())
            .prop_flat_map(|((cc, bban), spaced)| (Just(cc), bban, Just(spaced)))
            .prop_map(|(cc, bban, spaced)| {
                let check = (1..=98)
                    .map(|c| format!("{cc}{c:02}{bban}"))
                    .find(|s| iban_valid(s))
                    .unwrap_or_default();
                if spaced {
                    let chars: Vec<char> = check.chars().collect();
                    chars
                        .chunks(4)
                        .map(|c| c.iter().collect::<String>())
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    check
                }
            })
    }

    fn email() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9._+-]{0,8}[a-z0-9]@[a-z][a-z0-9-]{0,8}[a-z0-9](\\.[a-z]{2,8})?\\.[a-z]{2,5}"
    }

    fn ipv4() -> impl Strategy<Value = String> {
        proptest::array::uniform4(any::<u8>()).prop_map(|[a, b, c, d]| format!("{a}.{b}.{c}.{d}"))
    }

    fn ipv6() -> impl Strategy<Value = String> {
        proptest::array::uniform8(any::<u16>()).prop_map(|g| {
            let addr = Ipv6Addr::new(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
            addr.to_string()
        })
    }

    fn url() -> impl Strategy<Value = String> {
        let host = "[a-z]{2,8}\\.(ma|com|org)";
        let path = "(/[a-z0-9_-]{1,8}){0,2}";
        prop_oneof![
            (
                host,
                path,
                select(URL_SECRET_KEYS.to_vec()),
                "[A-Za-z0-9_-]{4,16}"
            )
                .prop_map(|(h, p, key, v)| format!("https://{h}{p}?{key}{v}")),
            ("[a-z]{2,8}", "[a-z0-9]{3,10}", host, path)
                .prop_map(|(u, pw, h, p)| format!("https://{u}:{pw}@{h}{p}")),
        ]
    }

    /// `(context kept before it, the identifier)`: CIN and ICE count only after a word
    /// that says what they are.
    fn with_context() -> impl Strategy<Value = (PiiKind, String, String)> {
        let cin_ctx = select(vec![
            "CIN: ",
            "CIN ",
            "bita9a dyali ",
            "رقم البطاقة الوطنية ",
            "carte nationale n° ",
        ]);
        let ice_ctx = select(vec!["ICE: ", "ICE ", "التعريف الموحد "]);
        prop_oneof![
            (cin_ctx, "[A-Z]{1,2}[ -]?[0-9]{3,7}").prop_map(|(c, id)| (
                PiiKind::Cin,
                c.to_string(),
                id
            )),
            (ice_ctx, digits(15)).prop_map(|(c, ds)| (
                PiiKind::Ice,
                c.to_string(),
                spell(&ds, false)
            )),
        ]
    }

    /// One identifier that needs no context word: its kind, nothing, and its text.
    fn identifier() -> impl Strategy<Value = (PiiKind, String, String)> {
        let plain = |kind: PiiKind, s: BoxedStrategy<String>| {
            s.prop_map(move |id| (kind, String::new(), id))
        };
        prop_oneof![
            plain(PiiKind::Phone, phone().boxed()),
            plain(PiiKind::Card, card().boxed()),
            plain(PiiKind::Rib, rib().boxed()),
            plain(PiiKind::Iban, iban().boxed()),
            plain(PiiKind::Email, email().boxed()),
            plain(PiiKind::Ip, ipv4().boxed()),
            plain(PiiKind::Ip, ipv6().boxed()),
            plain(PiiKind::Url, url().boxed()),
        ]
    }

    /// Words with no digits, `@`, `:` or context words: text that holds no identifier.
    fn filler() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            "[abd-z]{1,8}",
            "[\u{0627}-\u{063A}\u{0641}-\u{064A}]{1,7}",
            "[\u{2D30}-\u{2D65}]{1,6}",
            select(vec![
                "salam",
                "khoya",
                "l'école",
                "wach",
                "مرحبا",
                "ⴰⵣⵓⵍ",
                "!!",
                "…",
                "😀",
                "«",
                "»"
            ])
            .prop_map(str::to_string),
        ];
        proptest::collection::vec(word, 1..5).prop_map(|w| w.join(" "))
    }

    /// What may stand between text and an identifier: spaces and punctuation, or an
    /// Arabic or Tifinagh letter glued to it (`ب0612345678`, as clitics are written).
    fn before() -> impl Strategy<Value = &'static str> {
        select(vec![" ", "\n", ", ", " (", " «", ": ", " ب", " و", " ⵏ"])
    }

    /// One redactor for all cases: building the automata is the slow part in debug builds.
    fn redactor() -> &'static Redactor {
        static REDACTOR: std::sync::OnceLock<Redactor> = std::sync::OnceLock::new();
        REDACTOR.get_or_init(Redactor::new)
    }

    fn after() -> impl Strategy<Value = &'static str> {
        select(vec![
            " ", "\n", ", ", ". ", ") ", "» ", "! ", "? ", "، ", "؟ ",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn identifiers_are_redacted_and_the_text_around_them_is_kept(
            head in filler(),
            parts in proptest::collection::vec((before(), identifier(), after(), filler()), 1..4),
        ) {
            let mut text = head.clone();
            let mut want = head;
            let mut counts = PiiCounts::default();
            for (before, (kind, context, id), after, tail) in &parts {
                for s in [&mut text, &mut want] {
                    s.push_str(before);
                    s.push_str(context);
                }
                text.push_str(id);
                want.push_str(kind.placeholder());
                counts.bump(*kind);
                for s in [&mut text, &mut want] {
                    s.push_str(after);
                    s.push_str(tail);
                }
            }
            let (got, found) = redactor().redact(&text);
            prop_assert_eq!(got.as_ref(), want.as_str(), "input: {:?}", text);
            prop_assert_eq!(found, counts);
        }

        // Apart from the others: an ICE context word before a 15-digit Amex number
        // rightly makes it an ICE.
        #[test]
        fn identifiers_after_a_context_word_are_redacted_and_the_rest_kept(
            head in filler(),
            before in before(),
            (kind, context, id) in with_context(),
            after in after(),
            tail in filler(),
        ) {
            let text = format!("{head}{before}{context}{id}{after}{tail}");
            let want = format!("{head}{before}{context}{}{after}{tail}", kind.placeholder());
            let (got, found) = redactor().redact(&text);
            prop_assert_eq!(got.as_ref(), want.as_str(), "input: {:?}", text);
            prop_assert_eq!(found.get(kind), 1);
            prop_assert_eq!(found.total(), 1);
        }
    }
}
