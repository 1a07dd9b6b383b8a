//! The properties the fuzz targets check, shared with the corpus replay test.
//!
//! Each `check_*` function takes the raw bytes libFuzzer generates and panics (through
//! `assert!`) when a property fails, so that libFuzzer records the input as a crash and
//! `tests/replay.rs` fails on it. Properties are those the crates promise in their docs,
//! not only "no panic":
//!
//! * every conversion keeps the number of lines (`\n` count);
//! * Tifinagh -> IRCAM Latin -> Tifinagh is the identity on IRCAM text (the one round
//!   trip the schemes promise for whole texts; `zgh-arab` loses the schwa and `taq-tfng`
//!   the vowels ə and o, as their tables say);
//! * the Darija engine copies everything that is not a Latin word;
//! * script spans cover the text without gaps, and every letter of a script is in a span
//!   of that script;
//! * redaction leaves no checksum-valid card number, RIB or IBAN standing alone;
//! * normalization is idempotent for every profile;
//! * a reader yields one item per non-blank line (or paragraph), whatever the framing,
//!   and hashes the raw bytes;
//! * a valid `awal.toml` survives the round trip through `manifest.json`.
//!
//! Inputs are decoded as UTF-8 with U+FFFD for invalid bytes where the entry point takes
//! text: the crates' line readers report invalid UTF-8 before any of these functions sees
//! a line (the source target feeds raw bytes).

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use awal_lid::Detector;
use awal_prep::config::{DocSep, SourceConfig};
use awal_prep::pii::{self, Redactor};
use awal_prep::source::{DocReader, Input, Item, SkipReason};
use awal_translit::arabizi::Model;
use awal_translit::normalize::{Normalizer, Profile};
use awal_translit::scheme::Scheme;
use awal_translit::script::{self, classify, CharClass, Script};
use awal_translit::{Options, Registry, Transliterator};
use sha2::{Digest, Sha256};

/// A property check: panics when the property fails on the input.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name: the replay test runs each corpus folder through its check.
pub const TARGETS: [(&str, Check); 12] = [
    ("translit", check_translit),
    ("translit_roundtrip", check_translit_roundtrip),
    ("darija_to_arabic", check_darija_to_arabic),
    ("darija_to_latin", check_darija_to_latin),
    ("script_spans", check_script_spans),
    ("lid", check_lid),
    ("pii", check_pii),
    ("normalize", check_normalize),
    ("source", check_source),
    ("config", check_config),
    ("scheme_file", check_scheme_file),
    ("tokenizer_file", check_tokenizer_file),
];

/// A small input each target runs once before fuzzing starts (see `fuzz_targets/`).
pub const WARM_UP: &[u8] = "\x01\x03salam 3lik ⴰⵣⵓⵍ واش".as_bytes();

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(Registry::builtin)
}

/// The table schemes: every pair of them converts through the pivots.
const TABLE_SCHEMES: [&str; 5] = ["zgh-tfng", "zgh-latn", "zgh-arab", "taq-tfng", "taq-latn"];

fn compiled(from: &str, to: &str, options: Options) -> Transliterator {
    registry()
        .transliterator(from, to, options)
        .unwrap_or_else(|e| panic!("{from} -> {to} does not compile: {e}"))
}

/// Any table scheme to any other, with or without ASCII fallbacks: lines are kept.
///
/// Byte 0 picks the pair, byte 1 the options, the rest is the text.
pub fn check_translit(data: &[u8]) {
    let [pick, opts, rest @ ..] = data else {
        return;
    };
    let n = TABLE_SCHEMES.len();
    let from = TABLE_SCHEMES[usize::from(*pick) % n];
    let to = TABLE_SCHEMES[usize::from(*pick) / n % n];
    let options = Options {
        ascii_fallbacks: opts & 1 == 1,
        ..Options::default()
    };
    let input = text(rest);
    let out = compiled(from, to, options).convert(&input);
    assert_eq!(
        newlines(&out),
        newlines(&input),
        "{from} -> {to} changed the line count: {input:?} -> {out:?}"
    );
}

/// What the promised round trip covers: IRCAM letters (with the labialised ones), ⵯ,
/// digits, punctuation, spaces and line breaks (scheme `zgh-tfng`, docs/translit.md).
fn ircam_pieces() -> &'static [&'static str] {
    static PIECES: OnceLock<Vec<&'static str>> = OnceLock::new();
    PIECES.get_or_init(|| {
        let mut v = vec![
            "ⴰ", "ⴱ", "ⴳ", "ⴳⵯ", "ⴷ", "ⴹ", "ⴻ", "ⴼ", "ⴽ", "ⴽⵯ", "ⵀ", "ⵃ", "ⵄ", "ⵅ", "ⵇ", "ⵉ", "ⵊ",
            "ⵍ", "ⵎ", "ⵏ", "ⵓ", "ⵔ", "ⵕ", "ⵖ", "ⵙ", "ⵚ", "ⵛ", "ⵜ", "ⵟ", "ⵡ", "ⵢ", "ⵣ", "ⵥ", "ⵯ",
            " ", "\t", "\n", "«", "»", "…", "–", "—",
        ];
        const ASCII: &str = "0123456789!\"#%&'()*+,-./:;=?[]_{|}~";
        for i in 0..ASCII.len() {
            v.push(&ASCII[i..i + 1]);
        }
        v
    })
}

/// Tifinagh -> IRCAM Latin -> Tifinagh is the identity on IRCAM text. Each input byte
/// picks one piece of that alphabet, so every input is in the promised domain.
pub fn check_translit_roundtrip(data: &[u8]) {
    static PAIR: OnceLock<(Transliterator, Transliterator)> = OnceLock::new();
    let (there, back) = PAIR.get_or_init(|| {
        (
            compiled("zgh-tfng", "zgh-latn", Options::default()),
            compiled("zgh-latn", "zgh-tfng", Options::default()),
        )
    });
    let pieces = ircam_pieces();
    let input: String = data
        .iter()
        .map(|&b| pieces[usize::from(b) % pieces.len()])
        .collect();
    let latin = there.convert(&input);
    if latin.split(char::is_whitespace).any(reads_as_verbatim) {
        // `ⵡⵡⵡ.ⵣ` is `www.z` in Latin: a URL, copied as it is on the way back. The promise
        // excludes such tokens (docs/translit.md).
        return;
    }
    let again = back.convert(&latin);
    assert_eq!(again, input, "round trip broken through {latin:?}");
}

/// A Latin token the transliterators copy as it is (`awal_translit::verbatim`): a URL
/// (`://`, `www.`), an e-mail address or mention (`@`) or a placeholder (`<…>`; here
/// any `<`, a conservative superset).
fn reads_as_verbatim(token: &str) -> bool {
    token.contains("://") || token.starts_with("www.") || token.contains(['@', '<'])
}

fn is_latin_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && classify(c) == CharClass::Letter(Script::Latn))
}

/// Darija Arabizi -> Arabic script (`ary-latn` -> `ary-arab`, with and without
/// `keep_loans`): lines are kept, and a text without a Latin letter or digit is copied as
/// it is ("everything that is not a Latin word is copied").
pub fn check_darija_to_arabic(data: &[u8]) {
    static T: OnceLock<[Transliterator; 2]> = OnceLock::new();
    let checked = check_darija_lines(data, &T, "ary-latn", "ary-arab", |keep_loans| Options {
        keep_loans,
        ..Options::default()
    });
    if let Some((input, out)) = checked {
        if !input.chars().any(is_latin_word_char) {
            assert_eq!(out, input, "text without Latin words was changed");
        }
    }
}

/// Arabic-script Darija -> Arabizi or the scholarly transcription: lines are kept.
pub fn check_darija_to_latin(data: &[u8]) {
    static T: OnceLock<[Transliterator; 2]> = OnceLock::new();
    check_darija_lines(data, &T, "ary-arab", "ary-latn", |scholarly| Options {
        scholarly,
        ..Options::default()
    });
}

/// The Darija engine from `from` to `to`, with the option that the first byte's low bit
/// sets: the line structure is kept by the transliterator and by the model itself (no
/// URL/placeholder protection). Returns (input, output) for further checks.
fn check_darija_lines(
    data: &[u8],
    cache: &'static OnceLock<[Transliterator; 2]>,
    from: &str,
    to: &str,
    options: fn(bool) -> Options,
) -> Option<(String, String)> {
    let ts = cache.get_or_init(|| [false, true].map(|flag| compiled(from, to, options(flag))));
    let [opts, rest @ ..] = data else {
        return None;
    };
    let flag = opts & 1 == 1;
    let input = text(rest);
    let out = ts[usize::from(flag)].convert(&input);
    assert_eq!(newlines(&out), newlines(&input), "{input:?} -> {out:?}");
    let model = Model::builtin();
    let direct = if to == "ary-arab" {
        model.to_arabic(&input, flag)
    } else {
        model.to_latin(&input, flag)
    };
    assert_eq!(
        newlines(&direct),
        newlines(&input),
        "{input:?} -> {direct:?}"
    );
    Some((input, out))
}

/// `script::spans` covers the text in order without gaps, on character boundaries;
/// neighbouring spans differ in script (spans are maximal); every letter of a script is
/// inside a span of that script; the one-pass counts equal the two-pass ones.
pub fn check_script_spans(data: &[u8]) {
    let input = text(data);
    let spans = script::spans(&input);
    let mut at = 0;
    for (k, s) in spans.iter().enumerate() {
        assert_eq!(s.start, at, "gap or overlap before span {k}: {spans:?}");
        assert!(s.end > s.start, "empty span {k}: {spans:?}");
        assert!(input.is_char_boundary(s.end), "span {k} ends inside a char");
        if k > 0 {
            assert_ne!(
                spans[k - 1].script,
                s.script,
                "spans {k} not maximal: {spans:?}"
            );
        }
        for c in input[s.start..s.end].chars() {
            if let CharClass::Letter(letter_script) = classify(c) {
                assert_eq!(
                    letter_script, s.script,
                    "letter {c:?} in a {:?} span",
                    s.script
                );
            }
        }
        at = s.end;
    }
    assert_eq!(at, input.len(), "spans stop before the end: {spans:?}");
    let mut again = Vec::new();
    let counts = script::spans_and_counts_into(&input, &mut again);
    assert_eq!(again, spans);
    assert_eq!(counts, script::ScriptCounts::of(&input, &spans));
    let _ = script::dominant(&input);
}

fn detector() -> &'static Detector {
    static D: OnceLock<&'static Detector> = OnceLock::new();
    D.get_or_init(|| awal_lid::default_detector().expect("the default LID model trains"))
}

fn is_probability(p: f64) -> bool {
    p.is_finite() && (0.0..=1.0 + 1e-9).contains(&p)
}

/// LID: one label per line with a probability, ranked; code-switched spans are in order,
/// inside the line, on character boundaries, with probabilities.
pub fn check_lid(data: &[u8]) {
    let input = text(data);
    let d = detector().detect(&input);
    assert!(is_probability(d.score), "score {} for {input:?}", d.score);
    assert_eq!(d.top.first().map(|t| t.0), Some(d.lang), "{d:?}");
    assert!(
        d.top.windows(2).all(|w| w[0].1 >= w[1].1),
        "top not ranked: {d:?}"
    );
    assert!(d.top.iter().all(|t| is_probability(t.1)), "{d:?}");
    let mut at = 0;
    for s in detector().spans(&input) {
        assert!(
            at <= s.start && s.start < s.end && s.end <= input.len(),
            "{s:?}"
        );
        assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end));
        assert!(is_probability(s.score), "{s:?}");
        at = s.end;
    }
}

fn redactor() -> &'static Redactor {
    static R: OnceLock<Redactor> = OnceLock::new();
    R.get_or_init(Redactor::new)
}

fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Tokens the scanner reads as one candidate: maximal runs of ASCII letters, digits
/// (any of its three digit sets) and `_`. A token glued to letters is never an
/// identifier on its own (`m9wd`), so only whole tokens are checked.
fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || digit_value(c).is_some()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// PII redaction: matches are sorted, disjoint and on character boundaries; the output
/// is the input with each match replaced by its placeholder (counts agree, lines kept);
/// and no standalone card number, RIB or IBAN whose checksum holds is left in it.
pub fn check_pii(data: &[u8]) {
    let input = text(data);
    let r = redactor();
    let found = r.find(&input);
    let mut at = 0;
    for m in &found {
        assert!(
            at <= m.start && m.start < m.end && m.end <= input.len(),
            "{m:?}"
        );
        assert!(input.is_char_boundary(m.start) && input.is_char_boundary(m.end));
        at = m.end;
    }
    let (out, counts) = r.redact(&input);
    assert_eq!(counts.total(), found.len() as u64);
    assert_eq!(newlines(&out), newlines(&input), "{input:?} -> {out:?}");
    for token in tokens(&out) {
        let digits: Option<Vec<u8>> = token.chars().map(digit_value).collect();
        if let Some(ds) = digits {
            assert!(
                !pii::card_number_valid(&ds),
                "card number left in {out:?} (input {input:?})"
            );
            assert!(
                !pii::rib_key_valid(&ds),
                "RIB left in {out:?} (input {input:?})"
            );
        } else if token.is_ascii() {
            assert!(
                !pii::iban_valid(token),
                "IBAN {token} left in {out:?} (input {input:?})"
            );
        }
    }
}

/// Every profile, plus every optional fold at once.
fn normalizers() -> &'static [(String, Normalizer)] {
    static N: OnceLock<Vec<(String, Normalizer)>> = OnceLock::new();
    N.get_or_init(|| {
        let mut all: Vec<(String, Normalizer)> = Profile::ALL
            .iter()
            .map(|p| (p.name().to_string(), Normalizer::new(p.options())))
            .collect();
        let mut every = Profile::Ary.options();
        every.lowercase = true;
        every.line_ends = true;
        every.remove_joiners = true;
        every.arabic.unify_hamza = true;
        every.arabic.unify_ya = true;
        every.arabic.unify_ta_marbuta = true;
        all.push(("every-option".to_string(), Normalizer::new(every)));
        all
    })
}

fn lone_carriage_returns(s: &str) -> usize {
    let b = s.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))
        .count()
}

/// Normalization is idempotent (docs/normalize.md) for every profile, and newlines
/// inside the text stay (only the ends are trimmed; `line_ends` turns a lone CR into LF).
pub fn check_normalize(data: &[u8]) {
    let input = text(data);
    // Letters at both ends, so that the trimmed ends hold no newline.
    let framed = format!("x{input}x");
    for (name, n) in normalizers() {
        let once = n.normalize(&input).into_owned();
        let twice = n.normalize(&once);
        assert_eq!(
            twice,
            once.as_str(),
            "profile {name} is not idempotent on {input:?}"
        );
        let out = n.normalize(&framed);
        let expected = newlines(&framed)
            + if n.options().line_ends {
                lone_carriage_returns(&framed)
            } else {
                0
            };
        assert_eq!(
            newlines(&out),
            expected,
            "profile {name}: {framed:?} -> {out:?}"
        );
    }
}

fn scratch_dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        // A RAM disk where there is one: the source and tokenizer targets write a file
        // per input.
        let shm = std::path::Path::new("/dev/shm");
        let made = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        };
        made.expect("a scratch folder")
    })
}

/// One expected item of a line reader: its first line, and the text of a document.
#[derive(Debug, PartialEq)]
enum Expected {
    Doc(u64, String),
    Skip(u64),
}

/// The lines of `plain` as the reader cuts them: `\n` ends a line, a final `\r` is
/// dropped, a BOM opens the first line; `(line number, bytes, too long)`.
fn split_lines(plain: &[u8], max: usize) -> Vec<(u64, Vec<u8>, bool)> {
    let mut lines = Vec::new();
    let mut pieces: Vec<&[u8]> = plain.split(|&b| b == b'\n').collect();
    if plain.is_empty() || plain.ends_with(b"\n") {
        pieces.pop();
    }
    for (i, piece) in pieces.into_iter().enumerate() {
        let too_long = piece.len() > max;
        let mut bytes = piece.to_vec();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        if i == 0 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        lines.push((i as u64 + 1, bytes, too_long));
    }
    lines
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// What a `.txt` reader must yield, one document per line.
fn expected_line_docs(plain: &[u8], max: usize) -> Vec<Expected> {
    split_lines(plain, max)
        .into_iter()
        .filter(|(_, bytes, too_long)| *too_long || !is_blank(bytes))
        .map(|(n, bytes, too_long)| {
            match (too_long || bytes.contains(&0), String::from_utf8(bytes)) {
                (false, Ok(t)) => Expected::Doc(n, t),
                _ => Expected::Skip(n),
            }
        })
        .collect()
}

/// What a `.txt` reader must yield with `doc_sep = blank-line`: paragraphs joined by
/// `\n`, a paragraph with a bad line skipped whole at its first line.
fn expected_paragraphs(plain: &[u8], max: usize) -> Vec<Expected> {
    let mut out = Vec::new();
    let mut para: Vec<(u64, Vec<u8>, bool)> = Vec::new();
    let mut flush = |para: &mut Vec<(u64, Vec<u8>, bool)>| {
        let Some(first) = para.first().map(|p| p.0) else {
            return;
        };
        let mut doc = Vec::new();
        let mut bad = false;
        for (_, bytes, too_long) in para.drain(..) {
            if bad {
                continue;
            }
            // The reader counts a separator for every line, the first included.
            if too_long || doc.len() + bytes.len() + 1 > max || bytes.contains(&0) {
                bad = true;
                continue;
            }
            if std::str::from_utf8(&bytes).is_err() {
                bad = true;
                continue;
            }
            if !doc.is_empty() {
                doc.push(b'\n');
            }
            doc.extend_from_slice(&bytes);
        }
        out.push(if bad {
            Expected::Skip(first)
        } else {
            Expected::Doc(first, String::from_utf8(doc).unwrap_or_default())
        });
    };
    for line in split_lines(plain, max) {
        if !line.2 && is_blank(&line.1) {
            flush(&mut para);
        } else {
            para.push(line);
        }
    }
    flush(&mut para);
    out
}

/// Source parsing: byte 0 picks the format (`.txt` or `.jsonl`), the document separator,
/// a small `max_doc_bytes`, and the framing (plain, gzip, zstd, or the raw bytes as they
/// are, which may start with a compression magic and be corrupt). With valid framing the
/// reader yields exactly one item per non-blank line (per paragraph), in order, text
/// documents byte for byte; JSONL documents only from valid JSON lines; a read error is
/// the last item; the summary's size and SHA-256 are those of the raw file.
pub fn check_source(data: &[u8]) {
    let [opts, plain @ ..] = data else {
        return;
    };
    let jsonl = opts & 1 == 1;
    let paragraphs = opts & 2 == 2;
    let max = if opts & 4 == 4 { 16 } else { 8 << 20 };
    let framing = (opts >> 3) & 3;
    let raw: Vec<u8> = match framing {
        1 => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = enc.write_all(plain);
            enc.finish().unwrap_or_default()
        }
        2 => zstd::encode_all(plain, 1).unwrap_or_default(),
        _ => plain.to_vec(),
    };
    let name = if jsonl { "in.jsonl" } else { "in.txt" };
    let path: PathBuf = scratch_dir().path().join(name);
    std::fs::write(&path, &raw).expect("scratch file written");
    let config = SourceConfig {
        doc_sep: if paragraphs {
            DocSep::BlankLine
        } else {
            DocSep::Line
        },
        max_doc_bytes: max,
        ..SourceConfig::default()
    };
    let mut reader =
        DocReader::open(&Input::File(path.clone()), &config, None).expect("scratch file opens");
    let compressed_magic =
        raw.starts_with(&[0x1f, 0x8b]) || raw.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]);
    // Raw bytes with a compression magic are whatever they decompress to: only "no
    // panic, at most one read error, last" is checked, on at most this many items.
    let unchecked_framing = matches!(framing, 0 | 3) && compressed_magic;
    let mut items = Vec::new();
    while let Some(item) = reader.next_item() {
        items.push(item);
        if unchecked_framing && items.len() > 100_000 {
            return;
        }
        assert!(
            unchecked_framing || items.len() <= plain.len() + 1,
            "more items than lines"
        );
    }
    let summary = reader.finish();
    assert_eq!(summary.bytes, raw.len() as u64);
    assert_eq!(
        summary.sha256,
        awal_prep::source::hex(&Sha256::digest(&raw))
    );

    let read_errors = items
        .iter()
        .filter(|i| matches!(i, Item::Skip(s) if matches!(s.reason, SkipReason::ReadError(_))))
        .count();
    assert!(read_errors <= 1, "more than one read error");
    if read_errors == 1 {
        assert!(
            matches!(items.last(), Some(Item::Skip(s)) if matches!(s.reason, SkipReason::ReadError(_))),
            "a read error is not the last item"
        );
    }
    if unchecked_framing {
        return;
    }
    assert_eq!(read_errors, 0, "read error on valid framing");
    let got: Vec<Expected> = items
        .iter()
        .map(|item| match item {
            Item::Doc(d) => {
                let line = d
                    .source
                    .rsplit(':')
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("a document source ends in :LINE");
                Expected::Doc(line, d.text.clone())
            }
            Item::Skip(s) => Expected::Skip(s.line),
            Item::Raw(_) => panic!("raw line without defer_parsing"),
        })
        .collect();
    if jsonl {
        let expected = expected_line_docs(plain, max);
        assert_eq!(got.len(), expected.len(), "one item per non-blank line");
        for (g, e) in got.iter().zip(&expected) {
            match (g, e) {
                (Expected::Doc(gl, text), Expected::Doc(el, line)) => {
                    assert_eq!(gl, el);
                    let value: serde_json::Value =
                        serde_json::from_str(line).expect("a document from valid JSON");
                    assert_eq!(value["text"].as_str(), Some(text.as_str()));
                }
                (Expected::Skip(gl), Expected::Doc(el, _) | Expected::Skip(el)) => {
                    assert_eq!(gl, el)
                }
                (Expected::Doc(..), Expected::Skip(_)) => {
                    panic!("a document from a bad line: {g:?} for {e:?}")
                }
            }
        }
    } else if paragraphs {
        assert_eq!(got, expected_paragraphs(plain, max));
    } else {
        assert_eq!(got, expected_line_docs(plain, max));
    }
}

/// `awal.toml`: parsing never panics; a file that parses and validates is written into
/// `manifest.json` and read back unchanged (a run can be repeated from its manifest).
pub fn check_config(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = awal_prep::Config::from_toml(input) else {
        return;
    };
    if config.validate().is_err() {
        return;
    }
    let json = serde_json::to_string(&config).expect("a valid config serializes");
    let back: awal_prep::Config = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("manifest config unreadable: {e}: {json}"));
    let (written, read) = (
        serde_json::to_value(&config).expect("serializes"),
        serde_json::to_value(&back).expect("serializes"),
    );
    assert!(
        same_json(&written, &read),
        "manifest round trip changed the config: {written} -> {read}"
    );
}

/// JSON equality, with floats equal to the last bit or two: serde_json's default float
/// parser (without its `float_roundtrip` feature) may read a 17-digit number one ulp
/// off, which exact readers of `manifest.json` do not.
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => {
                x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
            }
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// `--scheme-file`: a table parses or fails with an error naming a line; a parsed one
/// validates, registers, and converts (its own text, to and from its pivot) keeping
/// lines.
pub fn check_scheme_file(data: &[u8]) {
    let input = text(data);
    let scheme = match Scheme::parse(&input, "fuzz.tsv") {
        Ok(s) => s,
        Err(e) => {
            assert!(
                e.to_string().starts_with("fuzz.tsv:"),
                "error without origin: {e}"
            );
            return;
        }
    };
    let mut reg = registry().clone();
    let pivot = reg.get(&scheme.pivot).ok().cloned();
    let _ = scheme.validate(pivot.as_ref());
    let name = scheme.name.clone();
    let pivot_name = scheme.pivot.clone();
    reg.add(scheme);
    for (from, to) in [(&name, &pivot_name), (&pivot_name, &name), (&name, &name)] {
        for ascii_fallbacks in [false, true] {
            let options = Options {
                ascii_fallbacks,
                ..Options::default()
            };
            if let Ok(t) = reg.transliterator(from, to, options) {
                let out = t.convert(&input);
                assert_eq!(newlines(&out), newlines(&input), "{from} -> {to}");
            }
        }
    }
}

/// Lets a panic raised inside the `tokenizers` library unwind, so that awal-tokenize's
/// `catch_unwind` turns it into an error as it does outside the fuzzer; every other panic
/// still goes to the hook already set (libFuzzer's, which aborts and records a crash).
/// Called once from the tokenizer target's `init`.
pub fn let_tokenizers_panics_unwind() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let inside_tokenizers = info
            .location()
            .is_some_and(|l| l.file().contains("/tokenizers-"));
        if !inside_tokenizers {
            previous(info);
        }
    }));
}

/// Tokenizer files (`tokenizer.json`, `tekken.json`, told apart by content): loading
/// never panics; a loaded tokenizer encodes text, and Tekken ids are in its vocabulary.
pub fn check_tokenizer_file(data: &[u8]) {
    use awal_tokenize::model::AnyTokenizer;
    let path = scratch_dir().path().join("tokenizer.json");
    std::fs::write(&path, data).expect("scratch file written");
    let Ok(tok) = AnyTokenizer::from_file(&path) else {
        return;
    };
    for sample in ["ⴰⵣⵓⵍ salam 3lik, سلام عليكم! 2025", "", " \n\t"] {
        let encoded = tok.encode(sample);
        if let (AnyTokenizer::Tekken(_), Ok(ids)) = (&tok, &encoded) {
            let vocab = tok.vocab_size();
            assert!(
                ids.iter().all(|&id| (id as usize) < vocab),
                "id beyond vocab {vocab}"
            );
        }
        let _ = tok.count(sample);
    }
}
