//! Corpora named by language: `LABEL=PATH` arguments, read as lines.

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

/// Splits a `LABEL=PATH` argument: a language label and a file (`--corpus`, `awal lid
/// --data`), or a name and a tokenizer (`--tokenizer`). Every such argument of awal is
/// read by this one rule:
///
/// * the label is what stands before the first `=`, the path is all after it, so a path
///   may itself contain `=` (`ary_Latn=runs/v=2/ary.txt`);
/// * the label must not be empty and must not contain `/` or `\`: a `=` after a path
///   separator belongs to the path, never to a label;
/// * the path must not be empty;
/// * nothing is trimmed: spaces belong to the label or the path.
///
/// ```
/// use awal_tokenize::corpus::parse_spec;
/// let (lang, path) = parse_spec("tzm_Tfng=data/tzm.txt")?;
/// assert_eq!((lang.as_str(), path.to_str()), ("tzm_Tfng", Some("data/tzm.txt")));
/// assert_eq!(parse_spec("ary=runs/v=2/ary.txt")?.1.to_str(), Some("runs/v=2/ary.txt"));
/// assert!(parse_spec("data/tzm.txt").is_err()); // no label
/// assert!(parse_spec("=data/tzm.txt").is_err()); // empty label
/// assert!(parse_spec("tzm_Tfng=").is_err()); // empty path
/// assert!(parse_spec("runs/v=2/tzm.txt").is_err()); // the `=` is in the path
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn parse_spec(spec: &str) -> Result<(String, PathBuf), Error> {
    match split_label(spec)? {
        Some(pair) => Ok(pair),
        None => Err(spec_error(spec, "no label")),
    }
}

/// Like [`parse_spec`], but the label may be left out: a bare `PATH` is labelled with
/// its file stem (`tokenizers/tekken.json` is `tekken`). The rules for a given label are
/// those of [`parse_spec`].
///
/// ```
/// use awal_tokenize::corpus::parse_spec_or_path;
/// let (name, path) = parse_spec_or_path("mine=out/tok.json")?;
/// assert_eq!((name.as_str(), path.to_str()), ("mine", Some("out/tok.json")));
/// let (name, path) = parse_spec_or_path("runs/v=2/tekken.json")?;
/// assert_eq!((name.as_str(), path.to_str()), ("tekken", Some("runs/v=2/tekken.json")));
/// assert!(parse_spec_or_path("=tok.json").is_err()); // an empty label is a mistake
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn parse_spec_or_path(spec: &str) -> Result<(String, PathBuf), Error> {
    if let Some(pair) = split_label(spec)? {
        return Ok(pair);
    }
    let path = PathBuf::from(spec);
    let label = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| spec_error(spec, "no file name"))?;
    Ok((label, path))
}

/// `Ok(None)` when `spec` carries no label (no `=`, or the first `=` is inside a path).
fn split_label(spec: &str) -> Result<Option<(String, PathBuf)>, Error> {
    let Some((label, path)) = spec.split_once('=') else {
        return Ok(None);
    };
    if label.contains(['/', '\\']) {
        return Ok(None);
    }
    if label.is_empty() {
        return Err(spec_error(spec, "empty label"));
    }
    if path.is_empty() {
        return Err(spec_error(spec, "empty path"));
    }
    Ok(Some((label.to_string(), PathBuf::from(path))))
}

fn spec_error(spec: &str, why: &str) -> Error {
    Error::Invalid(format!(
        "`{spec}`: {why}: expected LABEL=PATH (a corpus is LANG=PATH), e.g. zgh_Tfng=corpora/zgh.txt"
    ))
}

/// Reads a text file as lines without their terminators (`\n` or `\r\n`), after a
/// leading byte-order mark; a final newline does not start another line. Every line is
/// kept, blank ones too, so that index + 1 is the line number; a line that is not UTF-8
/// is an [`Error::InvalidUtf8`] naming `FILE:LINE`. This is awal's one reader for small
/// line files (corpora, LID training data, gold sets); large inputs are streamed.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let p = dir.path().join("a.txt");
/// std::fs::write(&p, "\u{FEFF}salam\r\n\nⴰⵣⵓⵍ\n")?;
/// assert_eq!(awal_tokenize::corpus::read_lines(&p)?, ["salam", "", "ⴰⵣⵓⵍ"]);
/// std::fs::write(&p, b"ok\n\xFF\n")?;
/// let err = awal_tokenize::corpus::read_lines(&p).unwrap_err();
/// assert!(err.to_string().ends_with("a.txt:2: invalid UTF-8"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_lines(path: &Path) -> Result<Vec<String>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let body = body.strip_suffix(b"\n").unwrap_or(body);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    body.split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, raw)| {
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            std::str::from_utf8(raw)
                .map(str::to_string)
                .map_err(|_| Error::InvalidUtf8 {
                    path: path.to_path_buf(),
                    line: i + 1,
                })
        })
        .collect()
}

/// Loads `LANG=PATH` specs ([`parse_spec`]); blank lines are dropped, and several specs
/// with one label are concatenated in order. A corpus with no text is an error, so an empty or wrong file is noticed at once.
///
/// ```no_run
/// let c = awal_tokenize::corpus::load(&["zgh_Tfng=corpora/lid/zgh_Tfng.txt".to_string()])?;
/// # Ok::<(), awal_tokenize::Error>(())
/// ```
pub fn load(specs: &[String]) -> Result<Vec<Corpus>, Error> {
    let mut out: Vec<Corpus> = Vec::new();
    for spec in specs {
        let (lang, path) = parse_spec(spec)?;
        let mut lines = read_lines(&path)?;
        lines.retain(|l| !l.trim().is_empty());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a spec gives: (label, path), or a word of the reason it is refused.
    type Want = Result<(&'static str, &'static str), &'static str>;

    /// The one `LABEL=PATH` rule, as a table: spec -> (label, path) or the reason given.
    #[test]
    fn label_path_rules() {
        let cases: &[(&str, Want)] = &[
            (
                "ary_Latn=corpora/ary.txt",
                Ok(("ary_Latn", "corpora/ary.txt")),
            ),
            ("ary=runs/v=2/ary.txt", Ok(("ary", "runs/v=2/ary.txt"))),
            ("ary=a=b", Ok(("ary", "a=b"))),
            ("my label=a b.txt", Ok(("my label", "a b.txt"))),
            ("corpora/ary.txt", Err("no label")),
            ("runs/v=2/ary.txt", Err("no label")),
            (r"runs\v=2\ary.txt", Err("no label")),
            ("=corpora/ary.txt", Err("empty label")),
            ("ary=", Err("empty path")),
            ("=", Err("empty label")),
        ];
        for (spec, want) in cases {
            let got = parse_spec(spec);
            match (want, got) {
                (Ok((label, path)), Ok((l, p))) => {
                    assert_eq!((l.as_str(), p.to_str()), (*label, Some(*path)), "{spec}")
                }
                (Err(why), Err(e)) => assert!(e.to_string().contains(why), "{spec}: {e}"),
                (want, got) => panic!("{spec}: want {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn a_bare_path_is_named_by_its_stem() {
        let (name, path) = parse_spec_or_path("tokenizers/tekken.json").unwrap();
        assert_eq!(
            (name.as_str(), path.to_str()),
            ("tekken", Some("tokenizers/tekken.json"))
        );
        assert!(parse_spec_or_path("mine=").is_err());
        assert!(parse_spec_or_path("").is_err());
    }

    #[test]
    fn lines_are_numbered_from_one_and_keep_blank_ones() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        std::fs::write(&p, "a\r\n\r\nb").unwrap();
        assert_eq!(read_lines(&p).unwrap(), ["a", "", "b"]);
        std::fs::write(&p, "").unwrap();
        assert!(read_lines(&p).unwrap().is_empty());
        std::fs::write(&p, b"a\n\n\n\xC3\n").unwrap();
        let err = read_lines(&p).unwrap_err().to_string();
        assert!(err.ends_with("t.txt:4: invalid UTF-8"), "{err}");
    }
}
