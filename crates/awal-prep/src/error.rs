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
    /// A worker thread panicked: a bug, reported as an error instead of a wrong result.
    #[error("internal error in {stage}: {message} (a bug in awal: please report it)")]
    Panic {
        /// Which part of the pipeline, e.g. `the input reader`.
        stage: &'static str,
        /// The panic message.
        message: String,
    },
    /// A size such as `--shard-size 256M` is not a number of bytes that fits in 64 bits.
    #[error("not a size: `{value}`: {reason}")]
    Size {
        /// The text given.
        value: String,
        /// Why it is refused.
        reason: String,
    },
}

impl Error {
    /// Turns a thread's panic payload (from `JoinHandle::join`) into [`Error::Panic`].
    ///
    /// ```
    /// let joined = std::thread::spawn(|| -> u8 { panic!("boom") }).join();
    /// let e = awal_prep::Error::from_panic("the input reader", joined.unwrap_err());
    /// assert!(e.to_string().contains("the input reader: boom"));
    /// ```
    pub fn from_panic(stage: &'static str, payload: Box<dyn std::any::Any + Send>) -> Error {
        let message = match payload.downcast::<String>() {
            Ok(s) => *s,
            Err(payload) => match payload.downcast::<&'static str>() {
                Ok(s) => (*s).to_string(),
                Err(_) => "panic with a non-text payload".to_string(),
            },
        };
        Error::Panic { stage, message }
    }
}
