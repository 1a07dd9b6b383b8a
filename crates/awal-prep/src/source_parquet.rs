//! Parquet inputs (the format of the HF hub's dumps): one document per row.
//!
//! # The model
//!
//! The file is read through the `parquet` crate's Arrow reader, [`BATCH_ROWS`] rows at a
//! time, row group by row group: memory holds one row group's column chunks and one
//! batch, whatever the file size. Rows are numbered from 1 in file order, and the row
//! number plays the part of a line number: a record's `source` is `FILE:ROW`, and skips
//! name it. Row order is the file's, so ids and output order are deterministic.
//!
//! The `--text-field` column (default `text`) is the text; every other column goes into
//! `meta`, converted to JSON by `arrow-json` (nulls kept as `null`), and an `id` column
//! (string or integer) is the record's id, exactly as for a JSONL line. The embedded
//! Arrow schema is ignored: columns are read by their Parquet types, so a string column
//! is Arrow `Utf8` whichever writer made it.
//!
//! Bad input is handled as for JSONL. A file without the text column, or whose text
//! column is not a string, gives one `missing_text_field` skip per row (as a JSONL file
//! whose objects lack the field does), read from the footer without decoding a page; a
//! null text is a `missing_text_field` skip for that row. A file that is not Parquet,
//! truncated or corrupt gives one `read_error` skip naming the file at the first row not
//! read, standing for the rest of it (as a truncated `.gz` does); `--strict` makes any of
//! these an error.

use std::collections::VecDeque;
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use memchr::memchr;
use parquet::arrow::arrow_reader::{
    ArrowReaderOptions, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder,
};

use crate::config::SourceConfig;
use crate::source::{take_id, Item, Skip, SkipReason};
use crate::{Error, Record};

/// Rows decoded at a time: small enough that a batch of long documents stays a few MiB.
const BATCH_ROWS: usize = 1024;

/// The magic bytes that start (and end) every Parquet file.
pub(crate) const MAGIC: &[u8; 4] = b"PAR1";

/// Whether `path` is read as Parquet: named `*.parquet`, or starting with `PAR1`.
pub(crate) fn is_parquet(path: &Path) -> bool {
    if path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with(".parquet"))
    {
        return true;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok_and(|()| &magic == MAGIC)
}

enum State {
    /// The text column is there and holds strings: batches are decoded.
    Reading {
        reader: ParquetRecordBatchReader,
        text_column: usize,
    },
    /// No usable text column: each of the remaining rows is a skip.
    NoText {
        rows_left: u64,
    },
    /// Reading failed; the next item is the read-error skip.
    Failed(String),
    Done,
}

/// Streams the documents of one Parquet file. See the [module docs](self).
pub(crate) struct ParquetDocs {
    name: String,
    file_len: u64,
    max_doc_bytes: usize,
    /// Rows consumed so far (the last row number handed out).
    row: u64,
    state: State,
    pending: VecDeque<Item>,
    progress: Option<Arc<AtomicU64>>,
}

impl ParquetDocs {
    /// Opens the file. Only a file that cannot be opened at all is an error; one that is
    /// not valid Parquet becomes a read-error skip when read.
    pub(crate) fn open(
        path: &Path,
        name: String,
        config: &SourceConfig,
        progress: Option<Arc<AtomicU64>>,
    ) -> Result<Self, Error> {
        let open_err = |source| Error::Open {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(open_err)?;
        let file_len = file.metadata().map_err(open_err)?.len();
        let state = match open_reader(file, &config.text_field) {
            Ok(state) => state,
            Err(e) => State::Failed(e.to_string()),
        };
        Ok(ParquetDocs {
            name,
            file_len,
            max_doc_bytes: config.max_doc_bytes,
            row: 0,
            state,
            pending: VecDeque::new(),
            progress,
        })
    }

    /// The next document or skip; `None` at the end of the file (also after a read
    /// error, which is reported once).
    pub(crate) fn next_item(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.pending.pop_front() {
                return Some(item);
            }
            match &mut self.state {
                State::Done => return None,
                State::Failed(message) => {
                    let reason = SkipReason::ReadError(format!("not valid Parquet: {message}"));
                    self.finish();
                    return Some(self.skip(self.row + 1, reason));
                }
                State::NoText { rows_left: 0 } => self.finish(),
                State::NoText { rows_left } => {
                    *rows_left -= 1;
                    self.row += 1;
                    return Some(self.skip(self.row, SkipReason::MissingTextField));
                }
                State::Reading {
                    reader,
                    text_column,
                } => {
                    let text_column = *text_column;
                    match reader.next() {
                        None => self.finish(),
                        Some(Err(e)) => self.state = State::Failed(e.to_string()),
                        Some(Ok(batch)) => {
                            if let Err(e) = self.queue_batch(&batch, text_column) {
                                self.state = State::Failed(e);
                            }
                        }
                    }
                }
            }
        }
    }

    /// The file is done: count its bytes for the progress bar once.
    fn finish(&mut self) {
        self.state = State::Done;
        if let Some(p) = &self.progress {
            p.fetch_add(self.file_len, Ordering::Relaxed);
        }
    }

    fn skip(&self, line: u64, reason: SkipReason) -> Item {
        Item::Skip(Skip {
            file: self.name.clone(),
            line,
            reason,
        })
    }

    /// Turns one batch into items, in row order. `Err` when the other columns cannot be
    /// written as JSON (a type `arrow-json` does not know): the batch is lost with the
    /// rest of the file, and the read-error skip says why.
    fn queue_batch(&mut self, batch: &RecordBatch, text_column: usize) -> Result<(), String> {
        let texts = string_values(batch.column(text_column).as_ref())
            .ok_or_else(|| "the text column changed type".to_string())?;
        let mut metas = meta_objects(batch, text_column)?.into_iter();
        for text in texts {
            self.row += 1;
            let meta = metas.next().unwrap_or_default();
            let item = match text {
                None => self.skip(self.row, SkipReason::MissingTextField),
                Some(t) if t.len() > self.max_doc_bytes => self.skip(self.row, SkipReason::TooLong),
                Some(t) if memchr(0, t.as_bytes()).is_some() => {
                    self.skip(self.row, SkipReason::NulByte)
                }
                Some(t) => Item::Doc(self.record(t, meta)),
            };
            self.pending.push_back(item);
        }
        Ok(())
    }

    fn record(&self, text: &str, mut meta: serde_json::Map<String, serde_json::Value>) -> Record {
        let source = format!("{}:{}", self.name, self.row);
        Record {
            id: take_id(&mut meta, &source),
            text: text.to_string(),
            source,
            meta,
        }
    }
}

/// Reads the footer and schema: decodes batches when the text column is a string
/// column, else counts every row as a skip.
fn open_reader(file: File, text_field: &str) -> Result<State, parquet::errors::ParquetError> {
    let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
    let builder = ParquetRecordBatchReaderBuilder::try_new_with_options(file, options)?;
    let rows = u64::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let text_column = builder
        .schema()
        .fields()
        .iter()
        .position(|f| f.name() == text_field && is_string_type(f.data_type()));
    let Some(text_column) = text_column else {
        return Ok(State::NoText { rows_left: rows });
    };
    let reader = builder.with_batch_size(BATCH_ROWS).build()?;
    Ok(State::Reading {
        reader,
        text_column,
    })
}

fn is_string_type(t: &arrow_schema::DataType) -> bool {
    use arrow_schema::DataType;
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// The values of a string column, `None` for nulls; `None` for a column of another type.
fn string_values(column: &dyn Array) -> Option<Vec<Option<&str>>> {
    if let Some(a) = column.as_string_opt::<i32>() {
        return Some(a.iter().collect());
    }
    if let Some(a) = column.as_string_opt::<i64>() {
        return Some(a.iter().collect());
    }
    column.as_string_view_opt().map(|a| a.iter().collect())
}

/// One JSON object per row of the batch's other columns (nulls written as `null`).
fn meta_objects(
    batch: &RecordBatch,
    text_column: usize,
) -> Result<Vec<serde_json::Map<String, serde_json::Value>>, String> {
    let others: Vec<usize> = (0..batch.num_columns())
        .filter(|&i| i != text_column)
        .collect();
    if others.is_empty() {
        return Ok(vec![serde_json::Map::new(); batch.num_rows()]);
    }
    let rest = batch.project(&others).map_err(|e| e.to_string())?;
    let mut lines = Vec::new();
    let mut writer = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::LineDelimited>(&mut lines);
    writer
        .write(&rest)
        .and_then(|()| writer.finish())
        .map_err(|e| format!("cannot write the columns other than the text as JSON: {e}"))?;
    drop(writer);
    lines
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_slice(l)
                .map_err(|e| format!("cannot read back the columns written as JSON: {e}"))
        })
        .collect()
}
