//! Inputs: files, folders and stdin; `.txt` and `.jsonl`, plain, `.gz` or `.zst`; and
//! `.parquet` files.
//!
//! # The model
//!
//! [`expand`] turns the paths a user gave into an ordered list of [`Input`]s: files as
//! given, folders walked recursively in byte order of their paths (so the order, and
//! hence the output, never depends on the file system), `-` for stdin. In a folder only
//! files named `*.txt`, `*.jsonl`, `*.ndjson` (optionally `.gz`/`.zst`) and `*.parquet`
//! are read, so a README or a script lying next to the data is not mistaken for data.
//!
//! A [`DocReader`] streams one input as [`Item`]s: a document, or a [`Skip`] that says
//! which line could not become one and why ([`SkipReason`]). Nothing is dropped without
//! an item, which is how the pipeline proves `kept + dropped = read`. Compression is
//! recognised by its magic bytes (gzip `1f 8b`, zstd `28 b5 2f fd`), not by the name;
//! the format (`.jsonl` or text) by the name with any compression suffix removed, and for
//! stdin by whether the first byte is `{`. A file named `*.parquet`, or starting with
//! the Parquet magic `PAR1`, is read row by row as Parquet (see `source_parquet.rs`: the
//! text column is `text_field`, the other columns are `meta`, a row number stands for
//! the line number, a truncated or corrupt file is a counted `read_error` skip). Parquet
//! needs a seekable file, so it cannot come from stdin.
//!
//! Memory is bounded by [`SourceConfig::max_doc_bytes`]: a longer line is
//! consumed in pieces and reported as `too_long` without ever being held whole.
//!
//! The raw bytes of each input are hashed (SHA-256) as they are read, for the manifest.
//!
//! ```
//! use awal_prep::source::{DocReader, Input, Item};
//! use awal_prep::config::SourceConfig;
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("a.jsonl");
//! std::fs::write(&path, "{\"text\":\"salam\",\"url\":\"u\"}\nnot json\n")?;
//! let mut reader = DocReader::open(&Input::File(path), &SourceConfig::default(), None)?;
//! let Some(Item::Doc(doc)) = reader.next_item() else { panic!() };
//! assert_eq!((doc.text.as_str(), doc.meta["url"].as_str()), ("salam", Some("u")));
//! let Some(Item::Skip(skip)) = reader.next_item() else { panic!() };
//! assert_eq!((skip.line, skip.reason.code()), (2, "malformed_json"));
//! assert!(reader.next_item().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use memchr::memchr;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::{DocSep, SourceConfig};
use crate::source_parquet::{self, is_parquet, ParquetDocs};
use crate::{Error, Record};

/// One input: a file or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// The name used in records, messages and the manifest.
    ///
    /// ```
    /// use awal_prep::source::Input;
    /// assert_eq!(Input::Stdin.name(), "<stdin>");
    /// ```
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// The size in bytes, when known before reading (for progress bars).
    ///
    /// ```
    /// assert_eq!(awal_prep::source::Input::Stdin.len_hint(), None);
    /// ```
    pub fn len_hint(&self) -> Option<u64> {
        match self {
            Input::Stdin => None,
            Input::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }
}

/// Names a folder walk reads: data files only.
fn is_data_name(name: &str) -> bool {
    if name.ends_with(".parquet") {
        return true;
    }
    let base = strip_compression(name);
    [".txt", ".jsonl", ".ndjson"]
        .iter()
        .any(|ext| base.ends_with(ext))
}

fn strip_compression(name: &str) -> &str {
    name.strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".zst"))
        .unwrap_or(name)
}

/// User paths expanded into inputs, with what folder walks passed over. Nothing inside
/// a folder is left out without being listed here, so the caller can name it.
#[derive(Debug, Default)]
pub struct Expanded {
    /// The inputs, in order.
    pub inputs: Vec<Input>,
    /// Files inside the given folders whose names are not `.txt`, `.jsonl` or
    /// `.ndjson` (plain, `.gz` or `.zst`) or `.parquet`: not read, so the caller should
    /// say so.
    pub ignored: Vec<PathBuf>,
    /// Hidden files and folders (names starting with `.`, e.g. `.git`) inside the given
    /// folders: not read or entered, and listed so the caller can say so.
    pub hidden: Vec<PathBuf>,
    /// Links to folders that lead back to a folder the walk is already inside (a loop):
    /// not followed, and listed so the caller can say so.
    pub loops: Vec<PathBuf>,
}

impl Expanded {
    /// What the walk passed over, one note per kind (`ignored N WHAT: a, b, c, d, e, …`,
    /// five names at most): the caller prints them, so nothing is left out silently.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("a.txt"), "salam\n").unwrap();
    /// std::fs::write(dir.path().join(".hidden.txt"), "x\n").unwrap();
    /// let e = awal_prep::source::expand_inputs(&[dir.path().to_path_buf()]).unwrap();
    /// let notes = e.passed_over_notes();
    /// assert_eq!(notes.len(), 1);
    /// assert!(notes[0].starts_with("ignored 1 hidden") && notes[0].ends_with(".hidden.txt"));
    /// ```
    pub fn passed_over_notes(&self) -> Vec<String> {
        [
            (
                "file(s) in the input folders that are not .txt, .jsonl or .ndjson (plain, .gz, .zst) or .parquet",
                &self.ignored,
            ),
            (
                "hidden file(s) or folder(s) (name starting with `.`) in the input folders",
                &self.hidden,
            ),
            (
                "link(s) to a folder that the walk was already inside (a loop), not followed",
                &self.loops,
            ),
        ]
        .into_iter()
        .filter(|(_, paths)| !paths.is_empty())
        .map(|(what, paths)| {
            let names: Vec<String> = paths
                .iter()
                .take(5)
                .map(|p| p.display().to_string())
                .collect();
            let more = if paths.len() > 5 { ", …" } else { "" };
            format!("ignored {} {what}: {}{more}", paths.len(), names.join(", "))
        })
        .collect()
    }
}

/// What a folder walk passes over, collected as it goes.
#[derive(Default)]
struct Walk {
    found: Vec<PathBuf>,
    ignored: Vec<PathBuf>,
    hidden: Vec<PathBuf>,
    loops: Vec<PathBuf>,
    /// Canonical paths of the folders from the walk's root down to the current one: a
    /// linked folder whose canonical path is among them would be walked forever.
    ancestors: Vec<PathBuf>,
}

/// Expands user paths into inputs: folders recursively, sorted; `-` is stdin; no paths
/// at all is stdin. A file named explicitly is read whatever its name; inside folders
/// only data names are, and the others are listed in [`Expanded::ignored`].
///
/// ```
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("a.txt"), "salam\n")?;
/// std::fs::write(dir.path().join("notes.md"), "# notes\n")?;
/// let e = awal_prep::source::expand_inputs(&[dir.path().to_path_buf()])?;
/// assert_eq!((e.inputs.len(), e.ignored.len()), (1, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Expanded, Error> {
    let mut out = Expanded::default();
    if paths.is_empty() {
        out.inputs.push(Input::Stdin);
        return Ok(out);
    }
    for path in paths {
        if path.as_os_str() == "-" {
            out.inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(path).map_err(|source| Error::Open {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut w = Walk::default();
            walk(path, &mut w)?;
            for list in [&mut w.found, &mut w.ignored, &mut w.hidden, &mut w.loops] {
                list.sort();
            }
            out.inputs.extend(w.found.into_iter().map(Input::File));
            out.ignored.extend(w.ignored);
            out.hidden.extend(w.hidden);
            out.loops.extend(w.loops);
        } else {
            out.inputs.push(Input::File(path.clone()));
        }
    }
    Ok(out)
}

/// [`expand_inputs`] without the list of ignored files.
///
/// ```
/// use awal_prep::source::{expand, Input};
/// let dir = tempfile::tempdir()?;
/// std::fs::create_dir(dir.path().join("b"))?;
/// for name in ["b/z.txt", "a.jsonl.gz", "README.md"] {
///     std::fs::write(dir.path().join(name), "")?;
/// }
/// let found = expand(&[dir.path().to_path_buf()])?;
/// assert_eq!(found, vec![Input::File(dir.path().join("a.jsonl.gz")), Input::File(dir.path().join("b/z.txt"))]);
/// assert_eq!(expand(&[])?, vec![Input::Stdin]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    expand_inputs(paths).map(|e| e.inputs)
}

/// Walks `dir` recursively into `w`, following links to folders unless they loop.
fn walk(dir: &Path, w: &mut Walk) -> Result<(), Error> {
    let open_err = |source| Error::Open {
        path: dir.to_path_buf(),
        source,
    };
    w.ancestors.push(dir.canonicalize().map_err(open_err)?);
    for entry in std::fs::read_dir(dir).map_err(open_err)? {
        let entry = entry.map_err(open_err)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            w.hidden.push(path);
            continue;
        }
        let kind = entry.file_type().map_err(open_err)?;
        if kind.is_symlink() && path.is_dir() {
            let target = path.canonicalize().map_err(|source| Error::Open {
                path: path.clone(),
                source,
            })?;
            if w.ancestors.contains(&target) {
                w.loops.push(path);
            } else {
                walk(&path, w)?;
            }
        } else if kind.is_dir() {
            walk(&path, w)?;
        } else if is_data_name(&name) {
            w.found.push(path);
        } else {
            w.ignored.push(path);
        }
    }
    w.ancestors.pop();
    Ok(())
}

/// Why a line did not become a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// The line contains NUL bytes (binary data, not text).
    NulByte,
    /// Longer than `max_doc_bytes`.
    TooLong,
    /// A JSONL line that is not a JSON object.
    MalformedJson,
    /// A JSONL object without the text field, or with a non-string one; a Parquet row
    /// whose text is null, or of a file without a string column of that name.
    MissingTextField,
    /// Reading failed (truncated or corrupt `.gz`/`.zst`/`.parquet`, I/O error); the
    /// rest of the input is lost and this skip stands for it.
    ReadError(String),
}

impl SkipReason {
    /// The stable key used in the manifest.
    ///
    /// ```
    /// assert_eq!(awal_prep::source::SkipReason::NulByte.code(), "nul_byte");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            SkipReason::InvalidUtf8 => "invalid_utf8",
            SkipReason::NulByte => "nul_byte",
            SkipReason::TooLong => "too_long",
            SkipReason::MalformedJson => "malformed_json",
            SkipReason::MissingTextField => "missing_text_field",
            SkipReason::ReadError(_) => "read_error",
        }
    }

    /// A human sentence for `FILE:LINE: reason` messages.
    ///
    /// ```
    /// assert_eq!(awal_prep::source::SkipReason::InvalidUtf8.message(), "invalid UTF-8");
    /// ```
    pub fn message(&self) -> String {
        match self {
            SkipReason::InvalidUtf8 => "invalid UTF-8".into(),
            SkipReason::NulByte => "NUL byte in text".into(),
            SkipReason::TooLong => "document longer than max_doc_bytes".into(),
            SkipReason::MalformedJson => "malformed JSON line".into(),
            SkipReason::MissingTextField => "missing or non-string text field".into(),
            SkipReason::ReadError(e) => format!("read error: {e}"),
        }
    }
}

/// A line that did not become a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// The input name.
    pub file: String,
    /// 1-based line number (row number for Parquet).
    pub line: u64,
    /// Why.
    pub reason: SkipReason,
}

/// What a reader yields.
#[derive(Clone, Debug)]
pub enum Item {
    /// A document.
    Doc(Record),
    /// A line that could not become one.
    Skip(Skip),
    /// A line read but not yet checked or parsed (see [`DocReader::defer_parsing`]);
    /// [`RawLine::parse`] turns it into a document or a skip.
    Raw(RawLine),
}

/// A line of an input whose checks (NUL bytes, UTF-8) and parsing (JSON) are left to
/// whoever processes it: the pipeline's parallel workers, so that the reader thread only
/// splits lines, and each worker allocates (and frees) its own documents' memory.
#[derive(Clone, Debug)]
pub struct RawLine {
    name: Arc<str>,
    line: u64,
    json: bool,
    text_field: Arc<str>,
    bytes: Vec<u8>,
}

impl RawLine {
    /// Bytes of the line.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let p = dir.path().join("a.txt");
    /// std::fs::write(&p, "salam")?;
    /// let mut r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p), &Default::default(), None)?.defer_parsing();
    /// let Some(awal_prep::source::Item::Raw(raw)) = r.next_item() else { panic!() };
    /// assert_eq!(raw.len(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Checks and parses the line, exactly as [`DocReader::next_item`] would have.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let p = dir.path().join("a.jsonl");
    /// std::fs::write(&p, "{\"text\":\"salam\"}\n{\"txt\":1}\n")?;
    /// let mut r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p), &Default::default(), None)?.defer_parsing();
    /// let Some(awal_prep::source::Item::Raw(a)) = r.next_item() else { panic!() };
    /// let Some(awal_prep::source::Item::Raw(b)) = r.next_item() else { panic!() };
    /// assert_eq!(a.parse().map(|d| d.text), Ok("salam".to_string()));
    /// assert_eq!(b.parse().map_err(|s| s.reason.code()), Err("missing_text_field"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(self) -> Result<Record, Skip> {
        let skip = |reason| Skip {
            file: self.name.to_string(),
            line: self.line,
            reason,
        };
        if memchr(0, &self.bytes).is_some() {
            return Err(skip(SkipReason::NulByte));
        }
        let Ok(text) = simdutf8::basic::from_utf8(&self.bytes) else {
            return Err(skip(SkipReason::InvalidUtf8));
        };
        let source = format!("{}:{}", self.name, self.line);
        if !self.json {
            return Ok(Record::new(source.clone(), text, source));
        }
        json_record(text, &self.text_field, source).map_err(skip)
    }
}

/// Size and digest of one input's raw bytes, as the manifest lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct InputSummary {
    /// The input name.
    pub path: String,
    /// Raw (possibly compressed) bytes.
    pub bytes: u64,
    /// SHA-256 of the raw bytes, hex.
    pub sha256: String,
}

#[derive(Default)]
struct HashState {
    hasher: Sha256,
    bytes: u64,
    eof: bool,
}

/// Hashes raw bytes as they pass, and reports progress.
struct HashingReader<R> {
    inner: R,
    state: Rc<RefCell<HashState>>,
    progress: Option<Arc<AtomicU64>>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self.state.borrow_mut();
        state.hasher.update(&buf[..n]);
        state.bytes += n as u64;
        if n == 0 && !buf.is_empty() {
            state.eof = true;
        }
        if let Some(p) = &self.progress {
            p.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Jsonl,
}

/// Streams the documents of one input. See the [module docs](self).
pub struct DocReader {
    name: String,
    input: Input,
    reader: Box<dyn BufRead>,
    hash: Rc<RefCell<HashState>>,
    format: Option<Format>,
    config: SourceConfig,
    line: u64,
    buf: Vec<u8>,
    done: bool,
    /// Yield lines as [`Item::Raw`] (see [`DocReader::defer_parsing`]).
    defer: bool,
    /// The input name and text field, shared by the raw lines.
    shared_name: Arc<str>,
    text_field: Arc<str>,
    /// Set for a Parquet file, which is read by rows instead of lines.
    parquet: Option<ParquetDocs>,
}

const READ_BUF: usize = 256 << 10;

impl DocReader {
    /// Opens an input. `progress`, when given, is advanced by every raw byte read.
    ///
    /// ```
    /// use awal_prep::source::{DocReader, Input};
    /// let err = DocReader::open(&Input::File("/nonexistent/x.txt".into()), &Default::default(), None);
    /// assert!(err.err().map(|e| e.to_string()).unwrap_or_default().starts_with("/nonexistent/x.txt: "));
    /// ```
    pub fn open(
        input: &Input,
        config: &SourceConfig,
        progress: Option<Arc<AtomicU64>>,
    ) -> Result<Self, Error> {
        let name = input.name();
        if let Input::File(path) = input {
            if is_parquet(path) {
                let docs = ParquetDocs::open(path, name.clone(), config, progress)?;
                return Ok(Self::for_parquet(input, name, config, docs));
            }
        }
        let raw: Box<dyn Read> = match input {
            Input::Stdin => Box::new(io::stdin()),
            Input::File(path) => {
                let file = File::open(path).map_err(|source| Error::Open {
                    path: path.clone(),
                    source,
                })?;
                Box::new(file)
            }
        };
        let hash = Rc::new(RefCell::new(HashState::default()));
        let hashing = HashingReader {
            inner: raw,
            state: Rc::clone(&hash),
            progress,
        };
        let mut buffered = BufReader::with_capacity(READ_BUF, hashing);
        let magic = match buffered.fill_buf() {
            Ok(b) => b.get(..4).map(|m| [m[0], m[1], m[2], m[3]]),
            Err(source) => {
                return Err(Error::Open {
                    path: name.into(),
                    source,
                })
            }
        };
        if input == &Input::Stdin && magic.as_ref() == Some(source_parquet::MAGIC) {
            return Err(Error::Open {
                path: name.into(),
                source: io::Error::other(
                    "Parquet cannot be read from stdin (it needs a seekable file): give the file's path",
                ),
            });
        }
        let reader: Box<dyn BufRead> = match magic {
            Some([0x1f, 0x8b, _, _]) => Box::new(BufReader::with_capacity(
                READ_BUF,
                flate2::bufread::MultiGzDecoder::new(buffered),
            )),
            Some([0x28, 0xb5, 0x2f, 0xfd]) => {
                let dec = zstd::stream::read::Decoder::with_buffer(buffered).map_err(|source| {
                    Error::Open {
                        path: name.clone().into(),
                        source,
                    }
                })?;
                Box::new(BufReader::with_capacity(READ_BUF, dec))
            }
            _ => Box::new(buffered),
        };
        let format = match input {
            Input::File(p) => {
                let file_name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                let base = file_name.as_deref().map(strip_compression).unwrap_or("");
                Some(
                    if base.ends_with(".jsonl")
                        || base.ends_with(".ndjson")
                        || base.ends_with(".json")
                    {
                        Format::Jsonl
                    } else {
                        Format::Text
                    },
                )
            }
            // Decided on the first line: `{` means JSONL.
            Input::Stdin => None,
        };
        Ok(DocReader::new(
            input, name, config, reader, hash, format, None,
        ))
    }

    /// A reader that hands out the rows of a Parquet file. Its raw bytes are hashed from
    /// disk by [`finish`](Self::finish), as after a read error.
    fn for_parquet(input: &Input, name: String, config: &SourceConfig, docs: ParquetDocs) -> Self {
        let hash = Rc::new(RefCell::new(HashState::default()));
        let reader = Box::new(io::empty());
        DocReader::new(input, name, config, reader, hash, None, Some(docs))
    }

    /// A reader at the start of its input, over a line reader or Parquet rows.
    fn new(
        input: &Input,
        name: String,
        config: &SourceConfig,
        reader: Box<dyn BufRead>,
        hash: Rc<RefCell<HashState>>,
        format: Option<Format>,
        parquet: Option<ParquetDocs>,
    ) -> Self {
        DocReader {
            shared_name: Arc::from(name.as_str()),
            name,
            input: input.clone(),
            reader,
            hash,
            format,
            config: config.clone(),
            line: 0,
            buf: Vec::new(),
            done: false,
            defer: false,
            text_field: Arc::from(config.text_field.as_str()),
            parquet,
        }
    }

    /// Makes [`next_item`](Self::next_item) yield one-document lines as [`Item::Raw`]:
    /// the line split off, its checks and parsing left to [`RawLine::parse`]. Paragraph
    /// documents (`--doc-sep blank-line`) are still assembled here.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let p = dir.path().join("a.txt");
    /// std::fs::write(&p, "salam\n")?;
    /// let mut r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p), &Default::default(), None)?.defer_parsing();
    /// assert!(matches!(r.next_item(), Some(awal_prep::source::Item::Raw(_))));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn defer_parsing(mut self) -> Self {
        self.defer = true;
        self
    }

    /// The input name.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let p = dir.path().join("a.txt");
    /// std::fs::write(&p, "salam")?;
    /// let r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p.clone()), &Default::default(), None)?;
    /// assert_eq!(r.name(), p.display().to_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The next document or skip; `None` at the end of the input (also after a read
    /// error, which is reported once as a [`SkipReason::ReadError`] skip).
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let p = dir.path().join("a.txt");
    /// std::fs::write(&p, "\u{FEFF}salam\r\n\nbad \x00 line\n")?;
    /// let mut r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p), &Default::default(), None)?;
    /// let mut seen = vec![];
    /// while let Some(item) = r.next_item() { seen.push(format!("{item:?}").chars().take(9).collect::<String>()); }
    /// assert_eq!(seen, ["Doc(Recor", "Skip(Skip"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_item(&mut self) -> Option<Item> {
        if let Some(parquet) = &mut self.parquet {
            return parquet.next_item();
        }
        if self.done {
            return None;
        }
        match self.config.doc_sep {
            DocSep::BlankLine if self.format != Some(Format::Jsonl) => self.next_paragraph(),
            _ => self.next_line_doc(),
        }
    }

    fn skip(&self, line: u64, reason: SkipReason) -> Item {
        Item::Skip(Skip {
            file: self.name.clone(),
            line,
            reason,
        })
    }

    /// Reads the next raw line into `self.buf`; `Ok(None)` at EOF; `Ok(Some(true))` when
    /// the line was too long (its bytes are consumed, not kept).
    fn read_line(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let max = self.config.max_doc_bytes;
        let mut too_long = false;
        let mut any = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, found) = match memchr(b'\n', avail) {
                Some(i) => (i, true),
                None => (avail.len(), false),
            };
            if !too_long {
                if self.buf.len() + take > max {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(&avail[..take]);
                }
            }
            self.reader.consume(take + usize::from(found));
            if found {
                break;
            }
        }
        self.line += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.line == 1 && self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.buf.drain(..3);
        }
        Ok(Some(too_long))
    }

    fn read_error(&mut self, e: io::Error) -> Item {
        self.done = true;
        let msg = if e.kind() == io::ErrorKind::UnexpectedEof {
            "truncated or corrupt compressed input".to_string()
        } else {
            e.to_string()
        };
        self.skip(self.line + 1, SkipReason::ReadError(msg))
    }

    fn next_line_doc(&mut self) -> Option<Item> {
        loop {
            let too_long = match self.read_line() {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(t)) => t,
                Err(e) => return Some(self.read_error(e)),
            };
            let line = self.line;
            if too_long {
                return Some(self.skip(line, SkipReason::TooLong));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if self.format.is_none() {
                let first = self.buf.iter().find(|b| !b.is_ascii_whitespace());
                self.format = Some(if first == Some(&b'{') {
                    Format::Jsonl
                } else {
                    Format::Text
                });
            }
            let raw = RawLine {
                name: Arc::clone(&self.shared_name),
                line,
                json: self.format == Some(Format::Jsonl),
                text_field: Arc::clone(&self.text_field),
                // A copy sized to the line; `buf` keeps its capacity for the next one.
                bytes: self.buf.to_vec(),
            };
            if self.defer {
                return Some(Item::Raw(raw));
            }
            return Some(match raw.parse() {
                Ok(record) => Item::Doc(record),
                Err(skip) => Item::Skip(skip),
            });
        }
    }

    fn next_paragraph(&mut self) -> Option<Item> {
        let mut doc = String::new();
        let mut first_line = 0;
        let mut bad: Option<SkipReason> = None;
        loop {
            let too_long = match self.read_line() {
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Ok(Some(t)) => t,
                // The paragraph in progress is lost with the rest of the input; the
                // read-error skip stands for all of it.
                Err(e) => return Some(self.read_error(e)),
            };
            let blank = !too_long && self.buf.iter().all(u8::is_ascii_whitespace);
            if blank {
                if first_line == 0 {
                    continue;
                }
                break;
            }
            if first_line == 0 {
                first_line = self.line;
            }
            if bad.is_some() {
                continue;
            }
            if too_long || doc.len() + self.buf.len() + 1 > self.config.max_doc_bytes {
                bad = Some(SkipReason::TooLong);
                doc = String::new();
            } else if memchr(0, &self.buf).is_some() {
                bad = Some(SkipReason::NulByte);
            } else {
                match simdutf8::basic::from_utf8(&self.buf) {
                    Ok(t) => {
                        if !doc.is_empty() {
                            doc.push('\n');
                        }
                        doc.push_str(t);
                    }
                    Err(_) => bad = Some(SkipReason::InvalidUtf8),
                }
            }
        }
        if first_line == 0 {
            return None;
        }
        if let Some(reason) = bad {
            return Some(self.skip(first_line, reason));
        }
        let source = format!("{}:{}", self.name, first_line);
        Some(Item::Doc(Record::new(source.clone(), doc, source)))
    }

    /// Finishes the input: size and SHA-256 of its raw bytes. When reading stopped early
    /// (a read error), a file is hashed again from disk so the digest is always of the
    /// whole file.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # let p = dir.path().join("a.txt");
    /// std::fs::write(&p, "abc")?;
    /// let mut r = awal_prep::source::DocReader::open(&awal_prep::source::Input::File(p), &Default::default(), None)?;
    /// while r.next_item().is_some() {}
    /// let s = r.finish();
    /// assert_eq!((s.bytes, &s.sha256[..8]), (3, "ba7816bf"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(mut self) -> InputSummary {
        // Drain what the decoder did not ask for (trailing bytes after the last frame).
        if !self.hash.borrow().eof {
            let _ = io::copy(&mut self.reader, &mut io::sink());
        }
        drop(self.reader);
        let state = Rc::try_unwrap(self.hash)
            .map(RefCell::into_inner)
            .unwrap_or_default();
        if !state.eof {
            if let Input::File(path) = &self.input {
                if let Ok(summary) = hash_file(path) {
                    return InputSummary {
                        path: self.name,
                        ..summary
                    };
                }
            }
        }
        InputSummary {
            path: self.name,
            bytes: state.bytes,
            sha256: hex(&state.hasher.finalize()),
        }
    }
}

/// The record of one JSONL line: the text field, `id` (string or number) and the other
/// fields as metadata; `Err` for a line that is not such an object.
fn json_record(text: &str, text_field: &str, source: String) -> Result<Record, SkipReason> {
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str(text) else {
        return Err(SkipReason::MalformedJson);
    };
    let body = match map.remove(text_field) {
        Some(serde_json::Value::String(s)) => s,
        _ => return Err(SkipReason::MissingTextField),
    };
    let id = take_id(&mut map, &source);
    Ok(Record {
        id,
        text: body,
        source,
        meta: map,
    })
}

/// The record id from an input's `id` field (string or number), removed from `meta`;
/// `source` (`FILE:LINE`) when there is none. Shared by JSONL lines and Parquet rows.
pub(crate) fn take_id(
    meta: &mut serde_json::Map<String, serde_json::Value>,
    source: &str,
) -> String {
    match meta.remove("id") {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(other) => {
            // Not an identifier we can use; keep it as metadata, do not lose it.
            meta.insert("id".into(), other);
            source.to_string()
        }
        None => source.to_string(),
    }
}

/// Size and SHA-256 of one input file's raw bytes, as the manifest lists it, without
/// parsing it (a distributed run hashes its inputs apart from reading them).
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let p = dir.path().join("a.txt");
/// std::fs::write(&p, "abc")?;
/// let s = awal_prep::source::summarize(&p)?;
/// assert_eq!((s.bytes, &s.sha256[..8]), (3, "ba7816bf"));
/// assert!(awal_prep::source::summarize(&dir.path().join("nope")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summarize(path: &Path) -> Result<InputSummary, Error> {
    hash_file(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })
}

fn hash_file(path: &Path) -> io::Result<InputSummary> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let bytes = io::copy(&mut file, &mut hasher)?;
    Ok(InputSummary {
        path: path.display().to_string(),
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

/// Lower-case hex of a digest.
///
/// ```
/// assert_eq!(awal_prep::source::hex(&[0xab, 0x01]), "ab01");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: a link back to an enclosing folder was followed forever (until the path
    /// was too long); dot-files were skipped without a word. Both are listed now, and a
    /// link to a folder outside the walk is still followed.
    #[cfg(unix)]
    #[test]
    fn folder_walks_list_loops_and_hidden_entries() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let other = tmp.path().join("other");
        for dir in [root.join("sub/deeper"), root.join(".git"), other.clone()] {
            std::fs::create_dir_all(dir).unwrap();
        }
        for file in ["a.txt", "sub/b.jsonl", ".hidden.txt", ".git/c.txt"] {
            std::fs::write(root.join(file), "salam\n").unwrap();
        }
        std::fs::write(other.join("d.txt"), "salam\n").unwrap();
        symlink(&root, root.join("sub/deeper/up")).unwrap();
        symlink("..", root.join("sub/self")).unwrap();
        symlink(&other, root.join("sub/elsewhere")).unwrap();

        let e = expand_inputs(std::slice::from_ref(&root)).unwrap();
        let files: Vec<PathBuf> = e
            .inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.clone(),
                Input::Stdin => PathBuf::from("-"),
            })
            .collect();
        assert_eq!(
            files,
            [
                root.join("a.txt"),
                root.join("sub/b.jsonl"),
                root.join("sub/elsewhere/d.txt")
            ]
        );
        assert_eq!(e.loops, [root.join("sub/deeper/up"), root.join("sub/self")]);
        assert_eq!(e.hidden, [root.join(".git"), root.join(".hidden.txt")]);
        assert!(e.ignored.is_empty());
    }
}
