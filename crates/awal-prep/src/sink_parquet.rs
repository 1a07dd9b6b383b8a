//! Parquet shards: the records the JSONL shards hold, as columns.
//!
//! # The model
//!
//! A Parquet shard is fed the very JSON lines a JSONL shard would get, and reads each
//! back into columns, so the two formats cannot drift apart: the columns are the
//! record's fields, `id`, `text`, `lang`, `source` (strings), `lang_score` (double),
//! `scripts` (list of strings) and `meta` (the JSON object as a string, since its keys
//! differ between inputs). Rows are buffered [`BATCH_ROWS`] at a time into Arrow arrays
//! and handed to the `parquet` crate's Arrow writer, which cuts a row group at
//! [`ROW_GROUP_ROWS`] rows or about [`ROW_GROUP_BYTES`] of encoded data, whichever comes
//! first, so a reader streams a shard a row group at a time. Pages are compressed with
//! zstd (level 3), or not at all with `--compress none`.
//!
//! Every writer setting is fixed here, and a shard's bytes depend only on its rows in
//! order (the writer is fed in the sink's single, in-order thread; no time stamp is
//! written; `created_by` is the constant `parquet-rs version N`), so shards are
//! byte-identical for any thread count, and `--resume` works as for JSONL.

use std::borrow::Cow;
use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{WriterProperties, DEFAULT_CREATED_BY};
use serde::Deserialize;

/// Rows buffered before they are handed to the writer as one Arrow batch.
pub const BATCH_ROWS: usize = 1024;
/// A row group holds at most this many rows…
pub const ROW_GROUP_ROWS: usize = 100_000;
/// …and is cut once its encoded size passes this many bytes.
pub const ROW_GROUP_BYTES: usize = 64 << 20;

/// One output line, read back from its JSON (strings borrowed where no escape needs
/// undoing). Unknown fields are refused: a field added to the JSONL record must get its
/// column here too, and until it has one, writing Parquet fails loudly (an error naming
/// the field) instead of dropping it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow)]
    lang: Cow<'a, str>,
    lang_score: f64,
    #[serde(borrow)]
    scripts: Vec<Cow<'a, str>>,
    /// Present when `prepare` counts tokens (`--tokenizer`); a null cell otherwise.
    #[serde(default)]
    n_tokens: Option<u64>,
    #[serde(borrow)]
    source: Cow<'a, str>,
    #[serde(default)]
    meta: serde_json::Map<String, serde_json::Value>,
}

/// Column builders for the rows not yet handed to the writer.
struct Columns {
    id: StringBuilder,
    text: StringBuilder,
    lang: StringBuilder,
    lang_score: Float64Builder,
    scripts: ListBuilder<StringBuilder>,
    n_tokens: UInt64Builder,
    source: StringBuilder,
    meta: StringBuilder,
    rows: usize,
}

impl Columns {
    fn new() -> Self {
        Columns {
            id: StringBuilder::new(),
            text: StringBuilder::new(),
            lang: StringBuilder::new(),
            lang_score: Float64Builder::new(),
            scripts: ListBuilder::new(StringBuilder::new()),
            n_tokens: UInt64Builder::new(),
            source: StringBuilder::new(),
            meta: StringBuilder::new(),
            rows: 0,
        }
    }

    fn push(&mut self, line: &Line) {
        self.id.append_value(&line.id);
        self.text.append_value(&line.text);
        self.lang.append_value(&line.lang);
        self.lang_score.append_value(line.lang_score);
        for s in &line.scripts {
            self.scripts.values().append_value(s);
        }
        self.scripts.append(true);
        self.n_tokens.append_option(line.n_tokens);
        self.source.append_value(&line.source);
        // A map of JSON values always serializes.
        self.meta
            .append_value(serde_json::to_string(&line.meta).unwrap_or_default());
        self.rows += 1;
    }

    /// The buffered rows as a batch of [`schema`], leaving the builders empty.
    fn take_batch(&mut self, schema: &SchemaRef) -> Result<RecordBatch, String> {
        self.rows = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.text.finish()),
            Arc::new(self.lang.finish()),
            Arc::new(self.lang_score.finish()),
            Arc::new(self.scripts.finish()),
            Arc::new(self.n_tokens.finish()),
            Arc::new(self.source.finish()),
            Arc::new(self.meta.finish()),
        ];
        RecordBatch::try_new(Arc::clone(schema), columns).map_err(|e| e.to_string())
    }
}

/// The shard schema: the JSONL record's fields, in the same order; `n_tokens`, which a
/// JSONL record only has when `prepare` counts tokens, is a nullable column here (null
/// without `--tokenizer`), so every shard has one schema.
///
/// ```
/// let names: Vec<String> = awal_prep::sink::parquet_schema().fields().iter().map(|f| f.name().clone()).collect();
/// assert_eq!(names, ["id", "text", "lang", "lang_score", "scripts", "n_tokens", "source", "meta"]);
/// ```
pub fn schema() -> SchemaRef {
    let string = |name: &str| Field::new(name, DataType::Utf8, false);
    Arc::new(Schema::new(vec![
        string("id"),
        string("text"),
        string("lang"),
        Field::new("lang_score", DataType::Float64, false),
        Field::new(
            "scripts",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            false,
        ),
        Field::new("n_tokens", DataType::UInt64, true),
        string("source"),
        string("meta"),
    ]))
}

/// An open Parquet shard over the sink's (hashing) file writer.
pub(crate) struct ParquetShard<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    columns: Columns,
}

impl<W: Write + Send> ParquetShard<W> {
    /// Starts a shard; `zstd` false writes uncompressed pages.
    pub(crate) fn new(inner: W, zstd: bool) -> Result<Self, String> {
        let compression = if zstd {
            Compression::ZSTD(ZstdLevel::try_new(3).map_err(|e| e.to_string())?)
        } else {
            Compression::UNCOMPRESSED
        };
        let props = WriterProperties::builder()
            .set_compression(compression)
            .set_created_by(DEFAULT_CREATED_BY.to_string())
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
            .build();
        let schema = schema();
        let writer = ArrowWriter::try_new(inner, Arc::clone(&schema), Some(props))
            .map_err(|e| e.to_string())?;
        Ok(ParquetShard {
            writer,
            schema,
            columns: Columns::new(),
        })
    }

    /// Appends one record, given as its JSONL line.
    pub(crate) fn append(&mut self, json: &[u8]) -> Result<(), String> {
        let line: Line =
            serde_json::from_slice(json).map_err(|e| format!("not an awal record: {e}"))?;
        self.columns.push(&line);
        if self.columns.rows >= BATCH_ROWS {
            self.write_buffered()?;
        }
        Ok(())
    }

    fn write_buffered(&mut self) -> Result<(), String> {
        if self.columns.rows == 0 {
            return Ok(());
        }
        let batch = self.columns.take_batch(&self.schema)?;
        self.writer.write(&batch).map_err(|e| e.to_string())
    }

    /// Writes the last rows and the footer; returns the inner writer.
    pub(crate) fn finish(mut self) -> Result<W, String> {
        self.write_buffered()?;
        self.writer.into_inner().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field added to the JSONL record without a Parquet column must not vanish from
    /// the Parquet shards: the write fails, naming it.
    #[test]
    fn a_record_field_without_a_column_is_an_error_not_a_loss() {
        let mut shard = ParquetShard::new(Vec::new(), true).unwrap();
        let line = r#"{"id":"1","text":"salam","lang":"ary_Latn","lang_score":0.9,"scripts":["Latn"],"source":"a:1","meta":{}"#;
        shard.append(format!("{line}}}").as_bytes()).unwrap();
        let err = shard
            .append(format!("{line},\"n_tokens\":3,\"quality\":0.5}}").as_bytes())
            .unwrap_err();
        assert!(err.contains("quality"), "{err}");
        let bytes = shard.finish().unwrap();
        assert!(bytes.starts_with(MAGIC_BYTES) && bytes.ends_with(MAGIC_BYTES));
    }

    const MAGIC_BYTES: &[u8] = b"PAR1";
}
