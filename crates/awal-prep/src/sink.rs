//! Output: size-bounded JSONL or Parquet shards, written atomically, and the run's
//! manifest.
//!
//! # The model
//!
//! The pipeline pushes serialized records, in input order, into a [`Sink`], each tagged
//! with its split. Each split has one open shard at a time, written to a hidden temp file
//! (`.shard-00003.jsonl.zst.tmp`) through the chosen compressor and a SHA-256 hasher.
//! When the uncompressed bytes written since the last checkpoint reach `shard_size`,
//! [`Sink::write`] says so and the pipeline calls [`Sink::close_all`]: every open shard
//! is finished and renamed to its final name, which is atomic, so a reader never sees a
//! half shard. That moment is also the pipeline's checkpoint for `--resume`. Closing all
//! splits together (rather than each at its own size) is what makes shard boundaries
//! depend only on the input, never on where a run was interrupted.
//!
//! With `format = "parquet"` (`--format parquet`) each shard is a Parquet file
//! (`shard-00000.parquet`) holding the same records as columns; see
//! [`parquet_schema`] and `sink_parquet.rs` for the columns, row groups (at most
//! 100,000 rows or about 64 MiB encoded) and compression (zstd inside the file). Records
//! reach a Parquet shard as the same JSON lines and count the same bytes towards
//! `shard_size`, so both formats cut shards at the same records.
//!
//! Without a split, shards go straight into the output folder (`shard-00000.jsonl.zst`);
//! with `--split valid=F` into `train/` and `valid/`. A document goes to `valid` when the
//! high 64 bits of its normalized-text hash, read as a fraction of 2⁶⁴, fall below `F`:
//! deterministic, and independent of file names and order.
//!
//! ```
//! use awal_prep::config::SinkConfig;
//! use awal_prep::sink::Sink;
//!
//! let dir = tempfile::tempdir()?;
//! let mut sink = Sink::create(dir.path(), &SinkConfig::default())?;
//! sink.write(0, br#"{"text":"salam"}"#)?;
//! sink.close_all()?;
//! assert_eq!(sink.outputs()[0].path, "shard-00000.jsonl.zst");
//! assert_eq!(sink.outputs()[0].records, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::{Compression, OutputFormat, SinkConfig};
use crate::resume::{test_pause, PausePoint};
pub use crate::sink_parquet::schema as parquet_schema;
use crate::sink_parquet::ParquetShard;
use crate::source::hex;
use crate::Error;

/// One finished shard, as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputSummary {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Split name.
    pub split: String,
    /// Records in the shard.
    pub records: u64,
    /// Bytes on disk.
    pub bytes: u64,
    /// SHA-256 of the bytes on disk.
    pub sha256: String,
}

struct HashingWriter {
    inner: BufWriter<File>,
    hasher: Sha256,
    bytes: u64,
}

impl Write for HashingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

enum Encoder {
    Zst(zstd::stream::write::Encoder<'static, HashingWriter>),
    Gz(flate2::write::GzEncoder<HashingWriter>),
    Plain(HashingWriter),
    Parquet(Box<ParquetShard<HashingWriter>>),
}

impl Encoder {
    /// Appends one record line (without its newline).
    fn write_record(&mut self, record: &[u8]) -> io::Result<()> {
        let w: &mut dyn Write = match self {
            Encoder::Zst(e) => e,
            Encoder::Gz(e) => e,
            Encoder::Plain(e) => e,
            Encoder::Parquet(p) => return p.append(record).map_err(io::Error::other),
        };
        w.write_all(record)?;
        w.write_all(b"\n")
    }

    fn finish(self) -> io::Result<HashingWriter> {
        let mut w = match self {
            Encoder::Zst(e) => e.finish()?,
            Encoder::Gz(e) => e.finish()?,
            Encoder::Plain(w) => w,
            Encoder::Parquet(p) => p.finish().map_err(io::Error::other)?,
        };
        w.flush()?;
        Ok(w)
    }
}

/// Level 3 (zstd's default): about 3× on this kind of text at several hundred MB/s.
const ZSTD_LEVEL: i32 = 3;
/// zstd worker threads per `.jsonl.zst` shard.
const ZSTD_WORKERS: u32 = 2;

/// The `.jsonl.zst` compressor: zstd in its multithreaded (streaming) mode.
///
/// Everything the pipeline does after the parallel map — dedup decisions, counts, and
/// writing — happens in input order on one thread, and compression was most of that
/// work (about 11 % of all CPU time with one thread), which capped the speed-up on many
/// cores near 6×. In multithreaded mode the compression jobs run on zstd's own worker
/// threads while the in-order walk goes on. zstd guarantees that streaming
/// multithreaded output is the same for any number of workers ≥ 1 (it differs from
/// single-threaded output), so shards stay byte-identical whatever the machine.
fn zst_encoder(
    hw: HashingWriter,
) -> io::Result<zstd::stream::write::Encoder<'static, HashingWriter>> {
    let mut encoder = zstd::stream::write::Encoder::new(hw, ZSTD_LEVEL)?;
    encoder.multithread(ZSTD_WORKERS)?;
    Ok(encoder)
}

struct Shard {
    rel: String,
    tmp: PathBuf,
    fin: PathBuf,
    encoder: Encoder,
    records: u64,
}

impl Shard {
    /// Opens `out/rel` for writing: a hidden temp file beside it, through the compressor
    /// (or the Parquet writer) and a SHA-256 hasher.
    fn open(
        out: &Path,
        rel: String,
        compress: Compression,
        format: OutputFormat,
    ) -> Result<Shard, Error> {
        let fin = out.join(&rel);
        let tmp = temp_path(&fin);
        let err = |source| Error::Write {
            path: tmp.clone(),
            source,
        };
        let file = File::create(&tmp).map_err(err)?;
        let hw = HashingWriter {
            inner: BufWriter::with_capacity(1 << 20, file),
            hasher: Sha256::new(),
            bytes: 0,
        };
        let encoder = match (format, compress) {
            (OutputFormat::Parquet, compress) => Encoder::Parquet(Box::new(
                ParquetShard::new(hw, compress != Compression::None)
                    .map_err(|e| err(io::Error::other(e)))?,
            )),
            (OutputFormat::Jsonl, Compression::Zst) => Encoder::Zst(zst_encoder(hw).map_err(err)?),
            (OutputFormat::Jsonl, Compression::Gz) => Encoder::Gz(flate2::write::GzEncoder::new(
                hw,
                flate2::Compression::new(6),
            )),
            (OutputFormat::Jsonl, Compression::None) => Encoder::Plain(hw),
        };
        Ok(Shard {
            rel,
            tmp,
            fin,
            encoder,
            records: 0,
        })
    }

    /// Appends one record.
    fn write(&mut self, record: &[u8]) -> Result<(), Error> {
        self.encoder
            .write_record(record)
            .map_err(|source| Error::Write {
                path: self.tmp.clone(),
                source,
            })?;
        self.records += 1;
        Ok(())
    }

    /// Finishes the stream, syncs and renames the temp file to the final name.
    fn finish(self, split: &str) -> Result<OutputSummary, Error> {
        let err = |source| Error::Write {
            path: self.tmp.clone(),
            source,
        };
        let hw = self.encoder.finish().map_err(err)?;
        let file = hw.inner.into_inner().map_err(|e| err(e.into_error()))?;
        file.sync_all().map_err(err)?;
        drop(file);
        test_pause(PausePoint::ShardRename);
        fs::rename(&self.tmp, &self.fin).map_err(|source| Error::Write {
            path: self.fin.clone(),
            source,
        })?;
        Ok(OutputSummary {
            path: self.rel,
            split: split.to_string(),
            records: self.records,
            bytes: hw.bytes,
            sha256: hex(&hw.hasher.finalize()),
        })
    }
}

/// Writes one whole shard `out/rel` atomically (temp file, then rename) from lines
/// without their newline: what a Spark or Ray worker calls for its part of the output.
///
/// ```
/// use awal_prep::config::Compression;
/// let dir = tempfile::tempdir()?;
/// let lines: [&[u8]; 2] = [br#"{"text":"salam"}"#, br#"{"text":"azul"}"#];
/// let s = awal_prep::sink::write_shard(dir.path(), "shard-0.jsonl".into(), "train", lines, Compression::None)?;
/// assert_eq!((s.records, s.bytes), (2, 33));
/// assert_eq!(std::fs::read_to_string(dir.path().join("shard-0.jsonl"))?, "{\"text\":\"salam\"}\n{\"text\":\"azul\"}\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_shard<'a>(
    out: &Path,
    rel: String,
    split: &str,
    lines: impl IntoIterator<Item = &'a [u8]>,
    compress: Compression,
) -> Result<OutputSummary, Error> {
    if let Some(parent) = out.join(&rel).parent() {
        fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut shard = Shard::open(out, rel, compress, OutputFormat::Jsonl)?;
    for line in lines {
        shard.write(line)?;
    }
    shard.finish(split)
}

/// The shard counters of each split, for `--resume`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinkState {
    /// Next shard index per split (same order as [`Sink::split_names`]).
    pub next_index: Vec<u32>,
    /// Finished shards.
    pub outputs: Vec<OutputSummary>,
}

/// Writes shards; see the [module docs](self).
pub struct Sink {
    out: PathBuf,
    config: SinkConfig,
    splits: Vec<(String, String)>,
    open: Vec<Option<Shard>>,
    state: SinkState,
    since_checkpoint: u64,
}

impl Sink {
    /// Prepares the output folder (creating it).
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let sink = awal_prep::sink::Sink::create(&dir.path().join("new"), &Default::default())?;
    /// assert_eq!(sink.split_names(), vec!["train"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn create(out: &Path, config: &SinkConfig) -> Result<Self, Error> {
        let splits: Vec<(String, String)> = split_names(config)
            .iter()
            .map(|&name| {
                let dir = if config.valid_fraction > 0.0 {
                    format!("{name}/")
                } else {
                    String::new()
                };
                (name.to_string(), dir)
            })
            .collect();
        for (_, dir) in &splits {
            let path = out.join(dir);
            fs::create_dir_all(&path).map_err(|source| Error::Write { path, source })?;
        }
        Ok(Sink {
            out: out.to_path_buf(),
            config: config.clone(),
            open: splits.iter().map(|_| None).collect(),
            state: SinkState {
                next_index: vec![0; splits.len()],
                outputs: Vec::new(),
            },
            splits,
            since_checkpoint: 0,
        })
    }

    /// Continues from a checkpoint's state.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let mut sink = awal_prep::sink::Sink::create(dir.path(), &Default::default())?;
    /// sink.restore(awal_prep::sink::SinkState { next_index: vec![3], outputs: vec![] });
    /// sink.write(0, b"{}")?;
    /// sink.close_all()?;
    /// assert_eq!(sink.outputs()[0].path, "shard-00003.jsonl.zst");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn restore(&mut self, state: SinkState) {
        self.state = state;
    }

    /// Split names, in index order.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let c = awal_prep::config::SinkConfig { valid_fraction: 0.1, ..Default::default() };
    /// assert_eq!(awal_prep::sink::Sink::create(dir.path(), &c)?.split_names(), vec!["train", "valid"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn split_names(&self) -> Vec<&str> {
        self.splits.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// The split index of a document, from the high bits of its text hash.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let c = awal_prep::config::SinkConfig { valid_fraction: 0.5, ..Default::default() };
    /// let sink = awal_prep::sink::Sink::create(dir.path(), &c)?;
    /// assert_eq!((sink.split_of(0), sink.split_of(u128::MAX)), (1, 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn split_of(&self, text_hash: u128) -> usize {
        split_index(&self.config, text_hash)
    }

    /// Writes one record (a JSON object without newline) to a split. Returns `true` when
    /// a checkpoint is due: the caller should [`close_all`](Self::close_all).
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let c = awal_prep::config::SinkConfig { shard_size: 4, ..Default::default() };
    /// let mut sink = awal_prep::sink::Sink::create(dir.path(), &c)?;
    /// assert!(sink.write(0, b"{\"a\":1}")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&mut self, split: usize, record: &[u8]) -> Result<bool, Error> {
        if self.open[split].is_none() {
            self.open[split] = Some(self.open_shard(split)?);
        }
        let Some(shard) = self.open[split].as_mut() else {
            return Ok(false);
        };
        shard.write(record)?;
        self.since_checkpoint += record.len() as u64 + 1;
        Ok(self.since_checkpoint >= self.config.shard_size)
    }

    fn open_shard(&mut self, split: usize) -> Result<Shard, Error> {
        let index = self.state.next_index[split];
        self.state.next_index[split] += 1;
        let name = format!("shard-{index:05}{}", self.config.shard_suffix());
        let rel = format!("{}{}", self.splits[split].1, name);
        Shard::open(&self.out, rel, self.config.compress, self.config.format)
    }

    /// Finishes and renames every open shard.
    ///
    /// ```
    /// let dir = tempfile::tempdir()?;
    /// let mut sink = awal_prep::sink::Sink::create(dir.path(), &Default::default())?;
    /// sink.close_all()?; // nothing open: nothing written
    /// assert!(sink.outputs().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close_all(&mut self) -> Result<(), Error> {
        for split in 0..self.open.len() {
            let Some(shard) = self.open[split].take() else {
                continue;
            };
            let summary = shard.finish(&self.splits[split].0)?;
            self.state.outputs.push(summary);
        }
        self.since_checkpoint = 0;
        Ok(())
    }

    /// Finished shards so far.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let sink = awal_prep::sink::Sink::create(dir.path(), &Default::default())?;
    /// assert!(sink.outputs().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn outputs(&self) -> &[OutputSummary] {
        &self.state.outputs
    }

    /// The state a checkpoint saves.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// let sink = awal_prep::sink::Sink::create(dir.path(), &Default::default())?;
    /// assert_eq!(sink.state().next_index, vec![0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state(&self) -> &SinkState {
        &self.state
    }
}

/// The split names of a configuration, in index order: `train`, and `valid` when a
/// validation fraction is set.
///
/// ```
/// let c = awal_prep::config::SinkConfig { valid_fraction: 0.1, ..Default::default() };
/// assert_eq!(awal_prep::sink::split_names(&c), ["train", "valid"]);
/// ```
pub fn split_names(config: &SinkConfig) -> &'static [&'static str] {
    if config.valid_fraction > 0.0 {
        &["train", "valid"]
    } else {
        &["train"]
    }
}

/// The split index of a document, from the high bits of its exact dedup key: the same
/// text always lands in the same split, on any machine.
///
/// ```
/// let c = awal_prep::config::SinkConfig { valid_fraction: 0.5, ..Default::default() };
/// assert_eq!((awal_prep::sink::split_index(&c, 0), awal_prep::sink::split_index(&c, u128::MAX)), (1, 0));
/// ```
pub fn split_index(config: &SinkConfig, text_hash: u128) -> usize {
    if config.valid_fraction <= 0.0 {
        return 0;
    }
    let x = (text_hash >> 64) as u64 as f64 / 18_446_744_073_709_551_616.0;
    usize::from(x < config.valid_fraction)
}

/// The temporary file that stands in for `path` while it is written: a hidden file in
/// the same folder, `.NAME.tmp`, so the final rename stays on one file system and is
/// atomic. This is the only temp-name scheme in awal: every whole-file write and every
/// shard goes through it, so `--resume` can clear leftovers by name (`.*.tmp`).
///
/// ```
/// use std::path::Path;
/// let tmp = awal_prep::sink::temp_path(Path::new("out/train/shard-00000.jsonl"));
/// assert_eq!(tmp, Path::new("out/train/.shard-00000.jsonl.tmp"));
/// ```
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes a whole file atomically: [`temp_path`], flushed to disk, then renamed over
/// `path`, so a reader (or a crash) never sees a half-written file. Used for manifests,
/// checkpoints and reports here, and for every model and tokenizer file the CLI writes.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let p = dir.path().join("manifest.json");
/// awal_prep::sink::write_atomic(&p, b"{}")?;
/// assert_eq!(std::fs::read(&p)?, b"{}");
/// assert!(!awal_prep::sink::temp_path(&p).exists());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    write_atomic_then(path, bytes, || {})
}

/// [`write_atomic`], calling `before_rename` once the temp file is complete and synced:
/// the checkpoint's test-only pause point (see `resume.rs`).
pub(crate) fn write_atomic_then(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(),
) -> Result<(), Error> {
    let tmp = temp_path(path);
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::create(&tmp).map_err(err)?;
    file.write_all(bytes).map_err(err)?;
    file.sync_all().map_err(err)?;
    drop(file);
    before_rename();
    fs::rename(&tmp, path).map_err(err)
}
