//! Script unification: one script per language in the output (`--unify ary=arab`).
//!
//! # Model
//!
//! A rule `LANG=SCRIPT` says: every kept document whose language label is `LANG` in
//! another script is transliterated into `SCRIPT`, and relabelled. The schemes are the
//! ones of [`awal_translit`], found by name: the document `ary_Latn` under the rule
//! `ary=arab` goes through `ary-latn -> ary-arab` (the Darija engine: lexicon, candidate
//! rules and a character model), `zgh_Latn` under `zgh=tfng` through the IRCAM tables
//! `zgh-latn -> zgh-tfng`. A rule whose schemes do not exist is a configuration error
//! when the pipeline is built, not a surprise halfway through a corpus.
//!
//! Unification runs after dedup, on the redacted text: duplicates are found in the text
//! as it was written, and placeholders exist before any letter is changed. Tokens that
//! are not words of the language are copied as they are by every transliterator
//! ([`awal_translit::verbatim`]): PII placeholders (`<PHONE>`), URLs, e-mail addresses,
//! `@mentions`. With `keep_loans` (the default) French and
//! English words of the project's loanword list stay in Latin inside Darija, as people
//! write them (`l'école`, `weekend`).
//!
//! Documents whose label has no language (`und_Latn`, from `--lid script`) are left
//! alone: unification needs to know the language.
//!
//! ```
//! use awal_prep::config::UnifyConfig;
//! use awal_prep::unify::Unifier;
//!
//! let config = UnifyConfig { targets: vec!["zgh=tfng".into()], ..Default::default() };
//! let u = Unifier::new(&config)?.expect("one rule");
//! let (text, lang) = u.apply("azul fellawen <PHONE>", "zgh_Latn").expect("a rule applies");
//! assert_eq!((text.as_str(), lang.as_str()), ("ⴰⵣⵓⵍ ⴼⴻⵍⵍⴰⵡⴻⵏ <PHONE>", "zgh_Tfng"));
//! assert!(u.apply("ⴰⵣⵓⵍ", "zgh_Tfng").is_none()); // already in the target script
//! # Ok::<(), awal_prep::Error>(())
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use awal_translit::arabizi::Model;
use awal_translit::{Options, Registry, Transliterator};

use crate::config::UnifyConfig;
use crate::Error;

/// The compiled rules: for each `(language, source script)` label, its transliterator
/// and the label it gets.
pub struct Unifier {
    by_label: BTreeMap<String, (Transliterator, String)>,
}

/// The scripts a label or rule may name, as ISO 15924 codes and scheme-name suffixes.
const SCRIPTS: [(&str, &str); 3] = [("Arab", "arab"), ("Latn", "latn"), ("Tfng", "tfng")];

impl Unifier {
    /// Compiles the rules of `config`; `None` when there are none.
    ///
    /// ```
    /// use awal_prep::config::UnifyConfig;
    /// let bad = UnifyConfig { targets: vec!["ary=tfng".into()], ..Default::default() };
    /// assert!(awal_prep::unify::Unifier::new(&bad).is_err()); // no Darija in Tifinagh
    /// ```
    pub fn new(config: &UnifyConfig) -> Result<Option<Unifier>, Error> {
        Self::with_model(config, None)
    }

    /// As [`Unifier::new`], with a trained Darija model instead of the built-in one.
    pub fn with_model(
        config: &UnifyConfig,
        model: Option<Arc<Model>>,
    ) -> Result<Option<Unifier>, Error> {
        if config.targets.is_empty() {
            return Ok(None);
        }
        let mut registry = Registry::builtin();
        if let Some(model) = model {
            registry.set_arabizi_model(model);
        }
        let options = Options {
            keep_loans: config.keep_loans,
            ..Options::default()
        };
        let mut by_label = BTreeMap::new();
        for target in &config.targets {
            let (lang, script) = parse_target(target)?;
            let to_scheme = format!("{lang}-{script}");
            registry.get(&to_scheme).map_err(|_| {
                Error::Config(format!(
                    "unify `{target}`: there is no scheme `{to_scheme}` (see `awal translit --list`)"
                ))
            })?;
            let to_code = iso_code(script);
            for (code, suffix) in SCRIPTS {
                let from_scheme = format!("{lang}-{suffix}");
                if suffix == script || registry.get(&from_scheme).is_err() {
                    continue;
                }
                let t = registry
                    .transliterator(&from_scheme, &to_scheme, options)
                    .map_err(|e| Error::Config(format!("unify `{target}`: {e}")))?;
                by_label.insert(format!("{lang}_{code}"), (t, format!("{lang}_{to_code}")));
            }
        }
        Ok(Some(Unifier { by_label }))
    }

    /// Transliterates `text` when a rule covers its label; returns the new text and label.
    pub fn apply(&self, text: &str, lang: &str) -> Option<(String, String)> {
        let (t, label) = self.by_label.get(lang)?;
        Some((t.convert(text), label.clone()))
    }
}

/// Parses `ary=arab` into its language and scheme-name script suffix.
fn parse_target(target: &str) -> Result<(&str, &'static str), Error> {
    let bad = |why: &str| Error::Config(format!("unify `{target}`: {why}"));
    let (lang, script) = target
        .split_once('=')
        .ok_or_else(|| bad("expected LANG=SCRIPT, e.g. ary=arab"))?;
    let lang = lang.trim();
    if lang.is_empty() || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(bad("the language is an ISO 639-3 code such as ary or zgh"));
    }
    let script = script.trim().to_ascii_lowercase();
    SCRIPTS
        .iter()
        .find(|(_, s)| *s == script)
        .map(|(_, s)| (lang, *s))
        .ok_or_else(|| bad("the script is one of arab, latn, tfng"))
}

fn iso_code(suffix: &str) -> &'static str {
    SCRIPTS
        .iter()
        .find(|(_, s)| *s == suffix)
        .map_or("Zyyy", |(code, _)| code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unifier(targets: &[&str]) -> Unifier {
        let config = UnifyConfig {
            targets: targets.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        match Unifier::new(&config) {
            Ok(Some(u)) => u,
            _ => panic!("rules {targets:?} compile"),
        }
    }

    #[test]
    fn darija_arabizi_to_arabic_keeps_placeholders_urls_and_loans() {
        let u = unifier(&["ary=arab"]);
        let (text, lang) = u
            .apply(
                "salam 3afak 3ayet liya <PHONE> wla chouf https://x.ma/a?b=1 f weekend",
                "ary_Latn",
            )
            .expect("rule applies");
        assert_eq!(lang, "ary_Arab");
        assert!(text.contains(" <PHONE> "), "{text}");
        assert!(text.contains(" https://x.ma/a?b=1 "), "{text}");
        assert!(text.contains("weekend"), "{text}");
        assert!(text.contains("سلام "), "{text}");
        assert!(u.apply("سلام", "ary_Arab").is_none());
        assert!(u.apply("salam", "fra_Latn").is_none());
        assert!(u.apply("salam", "und_Latn").is_none());
    }

    #[test]
    fn several_rules_and_directions() {
        let u = unifier(&["ary=latn", "zgh=tfng"]);
        let (text, lang) = u.apply("علاش", "ary_Arab").expect("ary rule");
        assert_eq!((text.as_str(), lang.as_str()), ("3lach", "ary_Latn"));
        let (_, lang) = u
            .apply("ⴰⵣⵓⵍ", "zgh_Tfng")
            .map_or((String::new(), String::new()), |x| x);
        assert_eq!(lang, "", "Tifinagh is already the target");
        let (text, lang) = u.apply("azul", "zgh_Latn").expect("zgh rule");
        assert_eq!((text.as_str(), lang.as_str()), ("ⴰⵣⵓⵍ", "zgh_Tfng"));
    }

    #[test]
    fn whitespace_is_kept_exactly() {
        let u = unifier(&["zgh=tfng"]);
        let (text, _) = u.apply(" azul\n\n<URL>\tad  ", "zgh_Latn").expect("rule");
        assert_eq!(text, " ⴰⵣⵓⵍ\n\n<URL>\tⴰⴷ  ");
    }

    #[test]
    fn bad_rules_are_config_errors() {
        for bad in [
            "ary", "=arab", "ARY=arab", "ary=cyrl", "xyz=arab", "ary=tfng",
        ] {
            let config = UnifyConfig {
                targets: vec![bad.to_string()],
                ..Default::default()
            };
            assert!(
                matches!(Unifier::new(&config), Err(Error::Config(_))),
                "{bad}"
            );
        }
    }
}
