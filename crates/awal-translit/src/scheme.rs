//! Transliteration schemes as data: the table format, its loader and its validator.
//!
//! A scheme is a UTF-8 TSV file a linguist can read and edit; the crate embeds the
//! built-in ones (`schemes/*.tsv`) and [`Scheme::parse`] loads a user's own the same way.
//!
//! # Three kinds of scheme
//!
//! * A **pivot** scheme (`@kind pivot`) is a Latin orthography such as IRCAM Latin
//!   (`zgh-latn`). Its rows are input *variants* and the canonical letter each folds to
//!   (`γ -> ɣ`). Every conversion passes through a pivot, so `zgh-tfng -> zgh-arab` is
//!   `zgh-tfng -> zgh-latn -> zgh-arab`.
//! * A **script** scheme (`@kind script`) maps its own script to its pivot and back: rows
//!   of `native  latin  direction  note`.
//! * An **engine** scheme (`@kind engine`) is converted by a trained model, not by the
//!   table alone: Darija Arabizi (`ary-latn`) and Arabic-script Darija (`ary-arab`), see
//!   [`crate::arabizi`]. Its rows are *candidate* rules `native  latin  where  note`, with
//!   `where` a [`Position`] (`any`, `initial`, `medial`, `final`, `word`, `prefix`,
//!   `suffix`, optionally ending in `?` for a rare reading); the native column may be
//!   empty (a Latin short vowel that writes nothing). Engine schemes convert only into
//!   each other.
//!
//! # File format
//!
//! ```text
//! # comment lines start with '#'
//! @name         zgh-tfng            directives: name, kind, script, pivot,
//! @kind         script              description, round-trip (yes|no), vowels
//! @pivot        zgh-latn
//! native  latin  direction  note    the header row, then one row per mapping
//! ⴰ       a      both       ya
//! ⴶ       ǧ      to-latin   read only: ǧ is written back as ⴵ
//! ```
//!
//! * `direction` is `both` (a promised round trip), `to-latin` (only read: a variant of
//!   the native script) or `from-latin` (only written: several Latin letters share one
//!   native letter). It defaults to `both`.
//! * A key may start with `^` (only at the start of a word) or end with `$` (only at the
//!   end of a word); the other column repeats the anchor or leaves it out.
//! * In a `to-latin` row the Latin column may be `c/v`, a **glide**: the consonant `c`
//!   next to a vowel (the `@vowels` list) or a twin glide, the vowel `v` otherwise —
//!   Arabic و is `w` in اوال *awal* and `u` in تودرت *tudrt*. It may also be `<repeat>`:
//!   the mark doubles the letter before it (Arabic shadda).
//! * Pivot rows are `variant  canonical  when  note`, with `when` one of `always`,
//!   `ascii` (only with ASCII fallbacks on, since `gh` may be g + h) and `ascii-in-word`
//!   (ASCII fallback only touching a letter, for Arabizi digits).
//!
//! Matching is longest-first: `ⴳⵯ` wins over `ⴳ`. Characters no row covers pass through.
//!
//! ```
//! use awal_translit::scheme::{Scheme, SchemeKind};
//!
//! let table = "@name\tdemo\n@kind\tscript\n@script\tTfng\n@pivot\tzgh-latn\n\
//!              native\tlatin\tdirection\tnote\nⴰ\ta\tboth\t\n";
//! let scheme = Scheme::parse(table, "demo.tsv").unwrap();
//! assert_eq!(scheme.kind, SchemeKind::Script);
//! assert_eq!(scheme.rows.len(), 1);
//! ```

use crate::script::Script;
use crate::Error;

/// Whether a scheme is a Latin pivot orthography or a script mapped to a pivot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// A Latin orthography; rows fold input variants to canonical letters.
    Pivot,
    /// A script mapped to and from its pivot.
    Script,
    /// A scheme converted by a trained engine rather than by the table alone (Darija
    /// Arabizi `ary-latn` and Arabic-script `ary-arab`, see [`crate::arabizi`]). Its rows
    /// are *candidate* rules: `native  latin  where  note`, where `where` is one of
    /// [`Position`]'s names; the engine learns how likely each candidate is.
    Engine,
}

/// Where in a word a candidate rule of an engine scheme may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Position {
    /// Anywhere.
    Any,
    /// At the start of a word that goes on.
    Initial,
    /// Inside a word.
    Medial,
    /// At the end of a word that started earlier.
    Final,
    /// As the whole word.
    Word,
    /// As a prefix (article or clitic) before a word the lexicon knows: `l` + `khobz`.
    Prefix,
    /// As a suffix (person ending, object pronoun) after a word the lexicon knows:
    /// `khdm` + `na`.
    Suffix,
}

impl Position {
    /// Parses the `where` column: `any`, `initial`, `medial`, `final`, `word`, `prefix` or `suffix`.
    ///
    /// ```
    /// use awal_translit::scheme::Position;
    /// assert_eq!(Position::parse("final"), Some(Position::Final));
    /// assert_eq!(Position::parse("sideways"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Position> {
        Some(match text {
            "" | "any" => Position::Any,
            "initial" => Position::Initial,
            "medial" => Position::Medial,
            "final" => Position::Final,
            "word" => Position::Word,
            "prefix" => Position::Prefix,
            "suffix" => Position::Suffix,
            _ => return None,
        })
    }
}

/// Which way a row of a script scheme applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Native -> Latin and Latin -> native: a promised round trip.
    Both,
    /// Only native -> Latin (a native variant, read but never written).
    ToLatin,
    /// Only Latin -> native (a Latin variant, read but never written).
    FromLatin,
}

/// When a pivot folding row applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldWhen {
    /// On every input.
    Always,
    /// Only with ASCII fallbacks enabled.
    Ascii,
    /// Only with ASCII fallbacks enabled, and only touching a letter (Arabizi digits).
    AsciiInWord,
}

/// How one row applies: a direction for script schemes, a condition for pivots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowRule {
    /// A row of a script scheme.
    Map(Direction),
    /// A row of a pivot scheme.
    Fold(FoldWhen),
    /// A candidate rule of an engine scheme; `rare` rows (`where` ending in `?`) start
    /// with a lower prior.
    Candidate {
        /// Where in a word the rule applies.
        at: Position,
        /// Whether the rule is an unusual reading.
        rare: bool,
    },
}

/// One row of a scheme table, as written, with its line number for diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the file.
    pub line: usize,
    /// The native column (script schemes) or the variant column (pivots).
    pub native: String,
    /// The Latin column (script schemes) or the canonical column (pivots).
    pub latin: String,
    /// Direction or folding condition.
    pub rule: RowRule,
    /// Free text.
    pub note: String,
}

/// A parsed scheme table.
#[derive(Clone, Debug)]
pub struct Scheme {
    /// The name used on the command line, e.g. `zgh-tfng`.
    pub name: String,
    /// Pivot or script.
    pub kind: SchemeKind,
    /// The script the native column is written in.
    pub script: Script,
    /// The pivot scheme's name (a pivot names itself).
    pub pivot: String,
    /// One line for `awal translit --list`.
    pub description: String,
    /// Whether `both` rows promise a round trip (checked by [`Scheme::validate`]).
    pub round_trip: bool,
    /// Latin letters that count as vowels when reading glides.
    pub vowels: Vec<char>,
    /// The table rows in file order.
    pub rows: Vec<Row>,
    /// Where the table came from (a path, or `builtin:NAME`), for messages.
    pub origin: String,
}

/// A problem [`Scheme::validate`] found, tied to a line of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line of the offending row.
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

const SCRIPT_HEADER: [&str; 2] = ["native", "latin"];
const PIVOT_HEADER: [&str; 2] = ["variant", "canonical"];

impl Scheme {
    /// Parses a scheme table. `origin` names it in error messages (`origin:line: reason`).
    ///
    /// Structural problems (missing directives, bad header, unknown direction, wrong
    /// column count) are errors; semantic ones (duplicates, broken round trips) are
    /// reported by [`Scheme::validate`] so that a draft can still be loaded and tried.
    ///
    /// ```
    /// let err = awal_translit::scheme::Scheme::parse("@kind\tscript\n", "x.tsv").unwrap_err();
    /// assert!(err.to_string().starts_with("x.tsv:"));
    /// ```
    pub fn parse(text: &str, origin: &str) -> Result<Scheme, Error> {
        let fail = |line: usize, reason: String| Error::Scheme {
            origin: origin.to_string(),
            line,
            reason,
        };
        let mut directives = Directives::default();
        let mut header_seen = false;
        let mut rows = Vec::new();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if raw.starts_with('#') || raw.trim().is_empty() {
                continue;
            }
            if let Some(directive) = raw.strip_prefix('@') {
                directives
                    .set(directive)
                    .map_err(|reason| fail(line, reason))?;
                continue;
            }
            let kind = directives.kind.ok_or_else(|| {
                fail(
                    line,
                    "`@kind pivot` or `@kind script` must come before the rows".into(),
                )
            })?;
            if !header_seen {
                check_header(raw, kind).map_err(|reason| fail(line, reason))?;
                header_seen = true;
                continue;
            }
            rows.push(parse_row(raw, line, kind).map_err(|reason| fail(line, reason))?);
        }
        directives
            .finish(rows, origin)
            .map_err(|reason| fail(0, reason))
    }

    /// Checks the table for problems a linguist should fix: duplicate keys, keys that can
    /// never match (input is folded first), and `both` rows whose round trip fails.
    ///
    /// `pivot` is the scheme's pivot (for script schemes), used to know how Latin input is
    /// folded. An empty result means the table is sound.
    ///
    /// ```
    /// use awal_translit::Registry;
    /// let reg = Registry::builtin();
    /// let tfng = reg.get("zgh-tfng").unwrap();
    /// let pivot = reg.get("zgh-latn").unwrap();
    /// assert!(tfng.validate(Some(pivot)).is_empty());
    /// ```
    pub fn validate(&self, pivot: Option<&Scheme>) -> Vec<Diagnostic> {
        crate::validate::validate(self, pivot)
    }
}

/// Directives collected while parsing.
#[derive(Default)]
struct Directives {
    name: Option<String>,
    kind: Option<SchemeKind>,
    script: Option<Script>,
    pivot: Option<String>,
    description: Option<String>,
    round_trip: bool,
    vowels: Vec<char>,
}

impl Directives {
    fn set(&mut self, directive: &str) -> Result<(), String> {
        let (key, value) = match directive.split_once('\t') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (directive.trim(), ""),
        };
        match key {
            "name" => self.name = Some(non_empty(key, value)?.to_string()),
            "kind" => {
                self.kind = Some(match value {
                    "pivot" => SchemeKind::Pivot,
                    "script" => SchemeKind::Script,
                    "engine" => SchemeKind::Engine,
                    other => {
                        return Err(format!("unknown @kind `{other}` (pivot, script or engine)"))
                    }
                })
            }
            "script" => {
                self.script = Some(match value {
                    "Arab" => Script::Arab,
                    "Latn" => Script::Latn,
                    "Tfng" => Script::Tfng,
                    other => return Err(format!("unknown @script `{other}` (Arab, Latn or Tfng)")),
                })
            }
            "pivot" => self.pivot = Some(non_empty(key, value)?.to_string()),
            "description" => self.description = Some(value.to_string()),
            "round-trip" => {
                self.round_trip = match value {
                    "yes" => true,
                    "no" => false,
                    other => return Err(format!("@round-trip must be yes or no, not `{other}`")),
                }
            }
            "vowels" => self.vowels = value.split_whitespace().flat_map(str::chars).collect(),
            other => return Err(format!("unknown directive `@{other}`")),
        }
        Ok(())
    }

    fn finish(self, rows: Vec<Row>, origin: &str) -> Result<Scheme, String> {
        let name = self.name.ok_or("missing `@name`")?;
        let kind = self.kind.ok_or("missing `@kind`")?;
        let pivot = match kind {
            SchemeKind::Pivot => name.clone(),
            SchemeKind::Script => self.pivot.ok_or("a script scheme needs `@pivot`")?,
            SchemeKind::Engine => self.pivot.unwrap_or_else(|| name.clone()),
        };
        let has_glides = rows.iter().any(|r| is_glide(&r.latin));
        if has_glides && self.vowels.is_empty() {
            return Err("glide rows (`w/u`) need a `@vowels` list".into());
        }
        Ok(Scheme {
            name,
            kind,
            script: self.script.unwrap_or(Script::Latn),
            pivot,
            description: self.description.unwrap_or_default(),
            round_trip: self.round_trip,
            vowels: self.vowels,
            rows,
            origin: origin.to_string(),
        })
    }
}

fn non_empty<'a>(key: &str, value: &'a str) -> Result<&'a str, String> {
    if value.is_empty() {
        Err(format!("`@{key}` needs a value"))
    } else {
        Ok(value)
    }
}

fn check_header(raw: &str, kind: SchemeKind) -> Result<(), String> {
    let expected = match kind {
        SchemeKind::Script | SchemeKind::Engine => SCRIPT_HEADER,
        SchemeKind::Pivot => PIVOT_HEADER,
    };
    let found: Vec<&str> = raw.split('\t').take(2).collect();
    if found == expected {
        Ok(())
    } else {
        Err(format!(
            "expected the header row `{}\\t{}\\t…`, found `{raw}`",
            expected[0], expected[1]
        ))
    }
}

fn parse_row(raw: &str, line: usize, kind: SchemeKind) -> Result<Row, String> {
    let cols: Vec<&str> = raw.split('\t').collect();
    if cols.len() < 2 || cols.len() > 4 {
        return Err(format!(
            "expected 2 to 4 tab-separated columns, found {}",
            cols.len()
        ));
    }
    let third = cols.get(2).map(|s| s.trim()).unwrap_or("");
    let rule = match kind {
        SchemeKind::Script => RowRule::Map(match third {
            "" | "both" => Direction::Both,
            "to-latin" => Direction::ToLatin,
            "from-latin" => Direction::FromLatin,
            other => {
                return Err(format!(
                    "unknown direction `{other}` (both, to-latin or from-latin)"
                ))
            }
        }),
        SchemeKind::Engine => {
            let (at, rare) = match third.strip_suffix('?') {
                Some(at) => (at, true),
                None => (third, false),
            };
            let at = Position::parse(at).ok_or_else(|| {
                format!("unknown position `{third}` (any, initial, medial, final, word, prefix or suffix, optionally ending in `?`)")
            })?;
            RowRule::Candidate { at, rare }
        }
        SchemeKind::Pivot => RowRule::Fold(match third {
            "" | "always" => FoldWhen::Always,
            "ascii" => FoldWhen::Ascii,
            "ascii-in-word" => FoldWhen::AsciiInWord,
            other => {
                return Err(format!(
                    "unknown condition `{other}` (always, ascii or ascii-in-word)"
                ))
            }
        }),
    };
    let row = Row {
        line,
        native: cols[0].to_string(),
        latin: cols[1].to_string(),
        rule,
        note: cols.get(3).unwrap_or(&"").to_string(),
    };
    check_row_shape(&row)?;
    Ok(row)
}

/// Rejects rows the matcher could not apply: empty keys, glides or repeats in the wrong
/// direction.
fn check_row_shape(row: &Row) -> Result<(), String> {
    let reads_native = matches!(
        row.rule,
        RowRule::Map(Direction::Both | Direction::ToLatin) | RowRule::Fold(_)
    );
    let reads_latin = matches!(
        row.rule,
        RowRule::Map(Direction::Both | Direction::FromLatin)
    );
    if let RowRule::Candidate { .. } = row.rule {
        // The Arabic side may be empty: a Latin short vowel often writes nothing.
        return if row.latin.is_empty() {
            Err("empty Latin key in the second column".into())
        } else {
            Ok(())
        };
    }
    if reads_native && strip_anchors(&row.native).0.is_empty() {
        return Err("empty key in the first column".into());
    }
    if reads_latin && strip_anchors(&row.latin).0.is_empty() {
        return Err("empty key in the second column".into());
    }
    let special = is_glide(&row.latin) || row.latin == REPEAT;
    if special && row.rule != RowRule::Map(Direction::ToLatin) {
        return Err("glides (`w/u`) and `<repeat>` are only allowed in to-latin rows".into());
    }
    if let Some((consonant, vowel)) = row.latin.split_once('/') {
        if consonant.chars().count() != 1 || vowel.chars().count() != 1 {
            return Err("a glide is one consonant letter, `/`, one vowel letter".into());
        }
    }
    Ok(())
}

/// The Latin column value meaning "double the previous letter".
pub(crate) const REPEAT: &str = "<repeat>";

/// Whether a Latin column is a glide `c/v`.
pub(crate) fn is_glide(latin: &str) -> bool {
    latin.len() > 1 && latin.contains('/')
}

/// Splits `^key$` into the bare key and its start/end anchors.
///
/// ```
/// use awal_translit::scheme::strip_anchors;
/// assert_eq!(strip_anchors("^اي"), ("اي", true, false));
/// assert_eq!(strip_anchors("e"), ("e", false, false));
/// ```
pub fn strip_anchors(key: &str) -> (&str, bool, bool) {
    let (key, start) = match key.strip_prefix('^') {
        Some(rest) => (rest, true),
        None => (key, false),
    };
    let (key, end) = match key.strip_suffix('$') {
        Some(rest) if !rest.is_empty() => (rest, true),
        _ => (key, false),
    };
    (key, start, end)
}
