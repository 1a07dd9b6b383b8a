//! Corpora named by language: `LANG=PATH` arguments, read as lines.

use std::path::{Path, PathBuf};

use crate::Error;

/// One language's text: a label such as `tzm_Tfng` and its non-empty lines.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// Language label (ISO 639-3 + ISO 15924, e.g. `ary_Arab`).
    pub lang: String,
    /// Files the lines came from.
    pub paths: Vec<PathBuf>,
    /// Lines without terminators, in file order; empty lines are dropped.
    pub lines: Vec<String>,
}

impl Corpus {
    /// Total UTF-8 bytes of the lines.
    ///
    /// ```
    /// let c = awal_tokenize::corpus::Corpus { lang: "x".into(), paths: vec![],
    ///     lines: vec!["ab".into(), "ⴰ".into()] };
    /// assert_eq!(c.bytes(), 5);
    /// ```
    pub fn bytes(&self) -> usize {
        self.lines.iter().map(String::len).sum()
    }
}

/// Splits a `LANG=PATH` argument.
///
/// ```
/// use awal_tokenize::corpus::parse_spec;
/// let (lang, path) = parse_spec("tzm_Tfng=data/tzm.txt")?;
/// assert_eq!((lang.as_str(), path.to_str()), ("tzm_Tfng", Some("data/tzm.txt")));
/// assert!(parse_spec("data/tzm.txt").is_err());
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn parse_spec(spec: &str) -> Result<(String, PathBuf), Error> {
    match spec.split_once('=') {
        Some((lang, path)) if !lang.is_empty() && !path.is_empty() => {
            Ok((lang.to_string(), PathBuf::from(path)))
        }
        _ => Err(Error::Invalid(format!(
            "`{spec}`: expected LANG=PATH, e.g. tzm_Tfng=corpus/tzm.txt"
        ))),
    }
}

/// Reads the lines of one file (a trailing `\r` is dropped; empty lines are skipped).
///
/// ```no_run
/// let lines = awal_tokenize::corpus::read_lines("corpora/lid/zgh_Tfng.txt".as_ref())?;
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn read_lines(path: &Path) -> Result<Vec<String>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect())
}

/// Loads `LANG=PATH` specs; several specs with one label are concatenated in order. A
/// corpus with no text is an error, so an empty or wrong file is noticed at once.
///
/// ```no_run
/// let c = awal_tokenize::corpus::load(&["zgh_Tfng=corpora/lid/zgh_Tfng.txt".to_string()])?;
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn load(specs: &[String]) -> Result<Vec<Corpus>, Error> {
    let mut out: Vec<Corpus> = Vec::new();
    for spec in specs {
        let (lang, path) = parse_spec(spec)?;
        let lines = read_lines(&path)?;
        if lines.is_empty() {
            return Err(Error::EmptyCorpus { lang, path });
        }
        match out.iter_mut().find(|c| c.lang == lang) {
            Some(c) => {
                c.paths.push(path);
                c.lines.extend(lines);
            }
            None => out.push(Corpus {
                lang,
                paths: vec![path],
                lines,
            }),
        }
    }
    Ok(out)
}
