//! The crate's error type.

use std::path::{Path, PathBuf};

/// Errors of this crate. Messages name the file involved where there is one, so the CLI
/// can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file is not valid JSON.
    #[error("{}: corrupt JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// Where and why parsing stopped.
        source: serde_json::Error,
    },
    /// A JSON file is neither a Hugging Face `tokenizer.json` nor a Mistral `tekken.json`.
    #[error("{}: unknown tokenizer format (expected a Hugging Face tokenizer.json with a \"model\" object, or a Mistral tekken.json with \"config.pattern\" and a \"vocab\" list)", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A tokenizer file is of a known kind but its content is not usable.
    #[error("{0}")]
    Format(String),
    /// A line of a text file is not valid UTF-8.
    #[error("{}:{line}: invalid UTF-8", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
    },
    /// A corpus has no text.
    #[error("corpus {lang}={}: no text (empty file)", path.display())]
    EmptyCorpus {
        /// Language label.
        lang: String,
        /// The file.
        path: PathBuf,
    },
    /// A language that the run needs has no corpus.
    #[error("{0}")]
    MissingCorpus(String),
    /// Invalid arguments (vocabulary sizes, temperatures, labels).
    #[error("{0}")]
    Invalid(String),
    /// A stock `tokenizers` component could not be built or run.
    #[error("tokenizers: {0}")]
    Stock(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn json(path: &Path, source: serde_json::Error) -> Error {
        Error::Json {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Prefixes a format error with the file it came from.
    pub(crate) fn in_file(self, path: &Path) -> Error {
        match self {
            Error::Format(m) => Error::Format(format!("{}: {m}", path.display())),
            other => other,
        }
    }
}

impl From<tokenizers::Error> for Error {
    fn from(e: tokenizers::Error) -> Error {
        Error::Stock(e.to_string())
    }
}
