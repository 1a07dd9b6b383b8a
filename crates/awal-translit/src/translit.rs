//! Converting text from one scheme to another through a Latin pivot.
//!
//! A [`Registry`] holds the schemes (the built-in ones, plus any a user loads from a
//! file). A [`Transliterator`] is compiled once for a `from -> to` pair and then converts
//! any number of lines, from any number of threads (it is `Send + Sync` and immutable).
//!
//! Every conversion is a chain of at most three longest-match passes:
//!
//! 1. `from` is a script scheme: native -> its Latin pivot (`to-latin` rows).
//!    `from` is a pivot: the input is NFC-composed, lower-cased and folded (`γ -> ɣ`).
//! 2. If the target's pivot differs from the source's, the text is folded into it.
//! 3. `to` is a script scheme: Latin pivot -> native (`from-latin` rows).
//!
//! NFKC is never applied: it would turn the Tifinagh labialisation mark ⵯ into ⵡ.
//!
//! ```
//! use awal_translit::{Registry, Options};
//!
//! let reg = Registry::builtin();
//! let to_latin = reg.transliterator("zgh-tfng", "zgh-latn", Options::default()).unwrap();
//! assert_eq!(to_latin.convert("ⵜⴰⵎⴰⵣⵉⵖⵜ"), "tamaziɣt");
//! let to_tfng = reg.transliterator("zgh-latn", "zgh-tfng", Options::default()).unwrap();
//! assert_eq!(to_tfng.convert("Tamaziγt"), "ⵜⴰⵎⴰⵣⵉⵖⵜ"); // Greek γ, capital T
//! let to_arab = reg.transliterator("zgh-tfng", "zgh-arab", Options::default()).unwrap();
//! assert_eq!(to_arab.convert("ⴰⴳⵯⵎⴰⵔ"), "اڭۥمار");
//! ```

use std::borrow::Cow;
use std::sync::Arc;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::arabizi::Model;
use crate::script::Script;

use crate::matcher::{Matcher, Output, Rule};
use crate::scheme::{
    is_glide, strip_anchors, Direction, FoldWhen, RowRule, Scheme, SchemeKind, REPEAT,
};
use crate::verbatim;
use crate::Error;

/// The built-in scheme tables, embedded in the binary.
const BUILTIN: [(&str, &str); 7] = [
    ("zgh-latn", include_str!("../schemes/zgh-latn.tsv")),
    ("zgh-tfng", include_str!("../schemes/zgh-tfng.tsv")),
    ("zgh-arab", include_str!("../schemes/zgh-arab.tsv")),
    ("taq-latn", include_str!("../schemes/taq-latn.tsv")),
    ("taq-tfng", include_str!("../schemes/taq-tfng.tsv")),
    ("ary-latn", include_str!("../schemes/ary-latn.tsv")),
    ("ary-arab", include_str!("../schemes/ary-arab.tsv")),
];

/// Options that change how input is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Also apply the pivot's ASCII fallbacks (`gh -> ɣ`, `3 -> ɛ` inside words, …).
    /// Off by default because `gh` can also be g + h.
    pub ascii_fallbacks: bool,
    /// Darija Latin -> Arabic: keep the words of the loanword list (French, English) in
    /// Latin.
    pub keep_loans: bool,
    /// Darija Arabic -> Latin: write the scholarly transcription (`ʕ ḥ š`) instead of the
    /// chat alphabet (`3 7 ch`).
    pub scholarly: bool,
}

/// The set of known schemes, looked up by name.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    schemes: Vec<Scheme>,
    /// The model behind the engine schemes; `None` means [`Model::builtin`].
    arabizi: Option<Arc<Model>>,
}

impl Registry {
    /// The schemes shipped with awal.
    ///
    /// ```
    /// let reg = awal_translit::Registry::builtin();
    /// assert!(reg.names().any(|n| n == "zgh-tfng"));
    /// ```
    pub fn builtin() -> Registry {
        let schemes = BUILTIN
            .iter()
            .map(|(name, text)| {
                // The built-in tables are checked by this crate's tests, so a failure
                // here is a build defect, never a user error.
                Scheme::parse(text, &format!("builtin:{name}"))
                    .unwrap_or_else(|e| panic!("built-in scheme {name} is broken: {e}"))
            })
            .collect();
        Registry {
            schemes,
            arabizi: None,
        }
    }

    /// Uses `model` for the Darija engine schemes (`ary-latn`, `ary-arab`) instead of the
    /// built-in model.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use awal_translit::arabizi::{Model, TrainConfig, TrainPair};
    /// use awal_translit::{Options, Registry};
    ///
    /// let pairs = vec![TrainPair::new("wakha", "واخا")];
    /// let mut reg = Registry::builtin();
    /// reg.set_arabizi_model(Arc::new(Model::train(&pairs, &TrainConfig::default()).0));
    /// let t = reg.transliterator("ary-latn", "ary-arab", Options::default()).unwrap();
    /// assert_eq!(t.convert("wakha"), "واخا");
    /// ```
    pub fn set_arabizi_model(&mut self, model: Arc<Model>) {
        self.arabizi = Some(model);
    }

    /// The model behind the engine schemes.
    pub fn arabizi_model(&self) -> Arc<Model> {
        self.arabizi.clone().unwrap_or_else(Model::builtin)
    }

    /// The raw text of a built-in table, for documentation and `--show`.
    ///
    /// ```
    /// assert!(awal_translit::Registry::builtin_table("zgh-tfng").unwrap().contains("ⴳⵯ"));
    /// ```
    pub fn builtin_table(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// Adds a scheme, replacing any scheme of the same name.
    ///
    /// ```
    /// use awal_translit::{Registry, scheme::Scheme};
    /// let mut reg = Registry::builtin();
    /// let text = "@name\tmy-tfng\n@kind\tscript\n@script\tTfng\n@pivot\tzgh-latn\nnative\tlatin\nⴰ\ta\n";
    /// reg.add(Scheme::parse(text, "my.tsv").unwrap());
    /// assert!(reg.get("my-tfng").is_ok());
    /// ```
    pub fn add(&mut self, scheme: Scheme) {
        self.schemes.retain(|s| s.name != scheme.name);
        self.schemes.push(scheme);
    }

    /// Looks a scheme up; an unknown name is an error listing the known ones.
    ///
    /// ```
    /// let err = awal_translit::Registry::builtin().get("klingon").unwrap_err();
    /// assert!(err.to_string().contains("zgh-tfng"));
    /// ```
    pub fn get(&self, name: &str) -> Result<&Scheme, Error> {
        self.schemes
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Error::UnknownScheme {
                name: name.to_string(),
                known: self.names().collect::<Vec<_>>().join(", "),
            })
    }

    /// Names of all schemes, in registration order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.schemes.iter().map(|s| s.name.as_str())
    }

    /// All schemes, in registration order.
    pub fn schemes(&self) -> &[Scheme] {
        &self.schemes
    }

    /// Compiles a converter from scheme `from` to scheme `to`.
    ///
    /// ```
    /// use awal_translit::{Registry, Options};
    /// let t = Registry::builtin().transliterator("zgh-tfng", "zgh-latn", Options::default()).unwrap();
    /// assert_eq!(t.convert("ⴰⴳⵯⵎⴰⵔ"), "agʷmar");
    /// ```
    pub fn transliterator(
        &self,
        from: &str,
        to: &str,
        options: Options,
    ) -> Result<Transliterator, Error> {
        let source = self.get(from)?;
        let target = self.get(to)?;
        if source.kind == SchemeKind::Engine || target.kind == SchemeKind::Engine {
            return self.engine_transliterator(source, target, options);
        }
        let source_pivot = self.get(&source.pivot)?;
        let target_pivot = self.get(&target.pivot)?;
        let mut stages = Vec::new();
        match source.kind {
            SchemeKind::Script => stages.push(Stage::Plain(to_latin(source))),
            SchemeKind::Pivot => stages.push(Stage::Folded(fold(source, options))),
            SchemeKind::Engine => unreachable!("engine schemes returned above"),
        }
        if target_pivot.name != source_pivot.name {
            stages.push(Stage::Plain(fold(target_pivot, options)));
        }
        if target.kind == SchemeKind::Script {
            stages.push(Stage::Plain(from_latin(target)));
        }
        Ok(Transliterator {
            from: from.to_string(),
            to: to.to_string(),
            stages,
        })
    }
}

impl Registry {
    /// Engine schemes convert between their Latin and Arabic forms only: Darija has no
    /// letter-for-letter pivot to Tamazight schemes.
    fn engine_transliterator(
        &self,
        source: &Scheme,
        target: &Scheme,
        options: Options,
    ) -> Result<Transliterator, Error> {
        let stages = match (source.kind, target.kind) {
            _ if source.name == target.name => Vec::new(),
            (SchemeKind::Engine, SchemeKind::Engine) => {
                let model = self.arabizi_model();
                match (source.script, target.script) {
                    (Script::Latn, Script::Arab) => vec![Stage::ToArabic {
                        model,
                        keep_loans: options.keep_loans,
                    }],
                    (Script::Arab, Script::Latn) => vec![Stage::ToLatin {
                        model,
                        scholarly: options.scholarly,
                    }],
                    _ => return Err(unsupported(source, target, "both are in the same script")),
                }
            }
            _ => {
                return Err(unsupported(
                    source,
                    target,
                    "Darija schemes (ary-latn, ary-arab) convert only into each other",
                ))
            }
        };
        Ok(Transliterator {
            from: source.name.clone(),
            to: target.name.clone(),
            stages,
        })
    }
}

fn unsupported(source: &Scheme, target: &Scheme, reason: &str) -> Error {
    Error::Unsupported {
        from: source.name.clone(),
        to: target.name.clone(),
        reason: reason.to_string(),
    }
}

/// One pass of a conversion.
#[derive(Clone, Debug)]
enum Stage {
    /// Match on the text as it is.
    Plain(Matcher),
    /// NFC-compose and lower-case first, then match (Latin input).
    Folded(Matcher),
    /// Darija Arabizi -> Arabic script with a trained model.
    ToArabic { model: Arc<Model>, keep_loans: bool },
    /// Darija Arabic script -> Latin with a trained model.
    ToLatin { model: Arc<Model>, scholarly: bool },
}

impl Stage {
    fn apply(&self, input: &str, out: &mut String) {
        match self {
            Stage::Plain(m) => m.apply(input, out),
            Stage::Folded(m) => m.apply(&fold_case(input), out),
            Stage::ToArabic { model, keep_loans } => model.to_arabic_into(input, *keep_loans, out),
            Stage::ToLatin { model, scholarly } => model.to_latin_into(input, *scholarly, out),
        }
    }
}

/// A compiled `from -> to` conversion. Immutable and shareable between threads.
#[derive(Clone, Debug)]
pub struct Transliterator {
    from: String,
    to: String,
    stages: Vec<Stage>,
}

impl Transliterator {
    /// The source scheme's name.
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The target scheme's name.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// Converts one text. Line breaks and characters no table covers are kept as they are.
    ///
    /// ```
    /// use awal_translit::{Registry, Options};
    /// let t = Registry::builtin().transliterator("zgh-tfng", "zgh-latn", Options::default()).unwrap();
    /// assert_eq!(t.convert("ⴰⵣⵓⵍ Nike!"), "azul Nike!");
    /// ```
    pub fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.convert_into(text, &mut out);
        out
    }

    /// Appends the conversion of `text` to `out`, reusing its allocation. URLs, e-mail
    /// addresses, mentions and `<PLACEHOLDER>`s are copied as they are (see
    /// [`crate::verbatim`]).
    pub fn convert_into(&self, text: &str, out: &mut String) {
        if !verbatim::may_have_verbatim(text) {
            return self.convert_words_into(text, out);
        }
        verbatim::for_each_segment(text, |segment, verbatim| {
            if verbatim {
                out.push_str(segment);
            } else {
                self.convert_words_into(segment, out);
            }
        });
    }

    /// The chain of stages on text with no verbatim tokens.
    fn convert_words_into(&self, text: &str, out: &mut String) {
        let Some((last, rest)) = self.stages.split_last() else {
            out.push_str(text);
            return;
        };
        // Intermediate stages write to a scratch buffer; the last writes to `out`.
        let mut current: Option<String> = None;
        for stage in rest {
            let input = current.as_deref().unwrap_or(text);
            let mut buffer = String::with_capacity(input.len() + input.len() / 2);
            stage.apply(input, &mut buffer);
            current = Some(buffer);
        }
        last.apply(current.as_deref().unwrap_or(text), out);
    }
}

/// NFC-composes and lower-cases Latin input (Tifinagh and Arabic have no case, and NFC
/// leaves them alone). Text already composed and lower-case is borrowed, not copied.
fn fold_case(text: &str) -> Cow<'_, str> {
    let composed = is_nfc_quick(text.chars()) == IsNormalized::Yes;
    if composed && !text.chars().any(char::is_uppercase) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.nfc().flat_map(char::to_lowercase).collect())
}

fn rule_for(key: &str, output: Output, in_word: bool) -> Rule {
    let (bare, at_word_start, at_word_end) = strip_anchors(key);
    Rule {
        key: bare.into(),
        output,
        at_word_start,
        at_word_end,
        in_word,
    }
}

fn text_output(value: &str) -> Output {
    Output::Text(strip_anchors(value).0.into())
}

/// Native -> Latin rules of a script scheme.
pub(crate) fn to_latin(scheme: &Scheme) -> Matcher {
    let rules = scheme
        .rows
        .iter()
        .filter(|r| matches!(r.rule, RowRule::Map(Direction::Both | Direction::ToLatin)))
        .map(|r| {
            let output = if r.latin == REPEAT {
                Output::Repeat
            } else if is_glide(&r.latin) {
                let mut chars = r.latin.chars();
                match (chars.next(), chars.nth(1)) {
                    (Some(consonant), Some(vowel)) => Output::Glide { consonant, vowel },
                    _ => text_output(&r.latin),
                }
            } else {
                text_output(&r.latin)
            };
            rule_for(&r.native, output, false)
        })
        .collect();
    Matcher::new(rules, scheme.vowels.clone())
}

/// Latin -> native rules of a script scheme.
pub(crate) fn from_latin(scheme: &Scheme) -> Matcher {
    let rules = scheme
        .rows
        .iter()
        .filter(|r| matches!(r.rule, RowRule::Map(Direction::Both | Direction::FromLatin)))
        .map(|r| rule_for(&r.latin, text_output(&r.native), false))
        .collect();
    Matcher::new(rules, Vec::new())
}

/// Folding rules of a pivot scheme.
pub(crate) fn fold(pivot: &Scheme, options: Options) -> Matcher {
    let rules = pivot
        .rows
        .iter()
        .filter_map(|r| match r.rule {
            RowRule::Fold(FoldWhen::Always) => {
                Some(rule_for(&r.native, text_output(&r.latin), false))
            }
            RowRule::Fold(FoldWhen::Ascii) if options.ascii_fallbacks => {
                Some(rule_for(&r.native, text_output(&r.latin), false))
            }
            RowRule::Fold(FoldWhen::AsciiInWord) if options.ascii_fallbacks => {
                Some(rule_for(&r.native, text_output(&r.latin), true))
            }
            _ => None,
        })
        .collect();
    Matcher::new(rules, Vec::new())
}

/// The Latin form a user's Latin input reaches after folding (NFC, lower case, `always`
/// rows): used by the validator to find keys that can never match.
pub(crate) fn folded_form(pivot: &Scheme, text: &str) -> String {
    let mut out = String::new();
    Stage::Folded(fold(pivot, Options::default())).apply(text, &mut out);
    out
}
