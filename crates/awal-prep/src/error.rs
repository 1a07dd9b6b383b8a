use std::path::PathBuf;

/// Errors of the corpus pipeline. Messages start with `FILE` or `FILE:LINE` where there
/// is one, so the CLI can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input could not be opened or listed.
    #[error("{path}: {source}")]
    Open {
        /// The input path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A record-level problem that `--strict` turns into an error.
    #[error("{file}:{line}: {reason}")]
    Record {
        /// The input name.
        file: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong, e.g. `invalid UTF-8`.
        reason: String,
    },
    /// Writing the output failed.
    #[error("{path}: {source}")]
    Write {
        /// The file or folder being written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A configuration value or file is invalid.
    #[error("config: {0}")]
    Config(String),
    /// `--resume` found an output folder that does not match this run.
    #[error("cannot resume in {path}: {reason}")]
    Resume {
        /// The output folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// `--resume` found an input that changed since the interrupted run: continuing from
    /// the checkpoint's item count would mix two versions of it.
    #[error("cannot resume: input {path} changed since the interrupted run ({what}); start over with --overwrite")]
    InputChanged {
        /// The input.
        path: PathBuf,
        /// What differs: size, content at either end, or modification time.
        what: String,
    },
}
