//! `awal.Pipeline`: the per-document map of `awal prepare` over Arrow record batches,
//! and the pieces a distributed run puts around it.
//!
//! A Spark or Ray job (`awal.spark`, `awal.ray`) runs, per input file, [`Pipeline::read`]
//! (the CLI's reader: formats, compression, skips), then [`Pipeline::process`] with
//! `record=True` (normalize, scripts + language, filters, PII, dedup keys, the output
//! line); decides duplicates with a group-by on the keys; writes shards with
//! [`write_shard`]; folds each part into partial counts with [`Pipeline::account`]; and
//! merges them on the driver with [`Pipeline::manifest`]. Each step is the library code
//! the CLI runs, so both give the same documents and the same counts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    FixedSizeBinaryBuilder, Float64Builder, ListBuilder, StringBuilder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch};
use arrow_pyarrow::PyArrowType;
use arrow_schema::{DataType, Field, Schema};
use awal_prep::config::{Compression, Config};
use awal_prep::lid::named_detector;
use awal_prep::pii::PiiCounts;
use awal_prep::pipeline::{Candidate, Outcome};
use awal_prep::sink::{split_names, OutputSummary};
use awal_prep::source::{DocReader, Input, InputSummary, Item};
use awal_prep::stats::{KeptDoc, StatsPart};
use awal_prep::Record;
use pyo3::exceptions::{PyOSError, PyStopIteration, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use rayon::prelude::*;

use crate::guarded;
use crate::texts::{string_views, type_name};

/// Rows per batch from [`Pipeline::read`], and the text bytes that close a batch early.
const READ_ROWS: usize = 8192;
const READ_BYTES: usize = 1 << 20;
/// `order = file_index << ORDER_SHIFT | item index`: 2⁴⁰ items per file, 2²³ files.
const ORDER_SHIFT: u32 = 40;

fn prep_err(e: awal_prep::Error) -> PyErr {
    match e {
        awal_prep::Error::Open { .. } | awal_prep::Error::Write { .. } => {
            PyOSError::new_err(e.to_string())
        }
        _ => PyValueError::new_err(e.to_string()),
    }
}

/// Reads `config`: `None` (defaults), a dict of `awal.toml` tables, a path to an
/// `awal.toml` file, or TOML text.
fn config_from(py: Python<'_>, config: Option<&Bound<'_, PyAny>>) -> PyResult<Config> {
    let Some(config) = config.filter(|c| !c.is_none()) else {
        return Ok(Config::default());
    };
    if let Ok(dict) = config.cast::<PyDict>() {
        let json: String = py
            .import("json")?
            .call_method1("dumps", (dict,))?
            .extract()?;
        return serde_json::from_str(&json)
            .map_err(|e| PyValueError::new_err(format!("config: {e}")));
    }
    if config.is_instance_of::<PyString>() {
        let s: String = config.extract()?;
        let s = s.as_str();
        // One line ending in `.toml`, or naming a file, is a path; anything else is TOML
        // text (a TOML document of one line has `=` or `[`, a path rarely ends so).
        let path = Path::new(s);
        let looks_like_path = !s.contains('\n') && (s.ends_with(".toml") || path.is_file());
        let text = if looks_like_path {
            std::fs::read_to_string(path)
                .map_err(|e| PyOSError::new_err(format!("cannot read config {s}: {e}")))?
        } else {
            s.to_string()
        };
        return Config::from_toml(&text).map_err(prep_err);
    }
    Err(PyTypeError::new_err(format!(
        "config must be a dict, a path to an awal.toml or TOML text, got {}",
        type_name(config)
    )))
}

/// The per-document stages of `awal prepare`, configured once.
#[pyclass(frozen, module = "awal._awal")]
pub struct Pipeline {
    inner: Arc<awal_prep::pipeline::Pipeline>,
    config_json: String,
}

#[pymethods]
impl Pipeline {
    /// `config`: `None`, a dict with the `awal.toml` tables (`{"filter": {"min_words":
    /// 5}}`), a path to an `awal.toml`, or TOML text; unknown keys are a `ValueError`.
    /// `lid`: `awal` (the awal-lid model, or `lid_model` from `awal lid train`) or
    /// `script`, as `awal prepare --lid`.
    #[new]
    #[pyo3(signature = (config=None, lid="awal", lid_model=None))]
    fn new(
        py: Python<'_>,
        config: Option<&Bound<'_, PyAny>>,
        lid: &str,
        lid_model: Option<PathBuf>,
    ) -> PyResult<Self> {
        let config = config_from(py, config)?;
        if !config.unify.targets.is_empty() && lid == "script" {
            return Err(PyValueError::new_err(
                "unify needs language labels: it does not work with lid=\"script\"",
            ));
        }
        let config_json =
            serde_json::to_string(&config).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let inner = py.detach(|| {
            guarded(|| {
                let detector = named_detector(lid, lid_model.as_deref()).map_err(prep_err)?;
                let p = awal_prep::pipeline::Pipeline::new(config).map_err(prep_err)?;
                Ok(p.with_detector(detector))
            })
        })?;
        Ok(Pipeline {
            inner: Arc::new(inner),
            config_json,
        })
    }

    /// The full configuration, as `manifest.json` records it.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?
            .call_method1("loads", (&self.config_json,))
    }

    /// The language detector's name, as `manifest.json` records it.
    #[getter]
    fn detector(&self) -> String {
        self.inner.detector_name()
    }

    /// The per-document map over a record batch (see the package docs for the columns).
    #[pyo3(signature = (batch, text_field=None, record=false))]
    fn process(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        text_field: Option<String>,
        record: bool,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let batch = batch.0;
        let field = text_field.unwrap_or_else(|| self.inner.config().source.text_field.clone());
        let out = py.detach(|| {
            guarded(|| {
                if record {
                    self.process_records(&batch, &field)
                } else {
                    self.process_texts(&batch, &field)
                }
            })
        })?;
        Ok(PyArrowType(out))
    }

    /// Reads one input file as `awal prepare` does, in record batches with the columns
    /// `order, id, text, source, meta, skip_reason, skip_location`.
    fn read(&self, path: PathBuf, file_index: u64) -> PyResult<Reader> {
        if file_index >= 1 << (63 - ORDER_SHIFT) {
            return Err(PyValueError::new_err("file_index is too large"));
        }
        let reader = DocReader::open(&Input::File(path), &self.inner.config().source, None)
            .map_err(prep_err)?;
        Ok(Reader {
            reader: Some(reader),
            base: file_index << ORDER_SHIFT,
            next: 0,
        })
    }

    /// Folds a batch of `process(record=True)` rows plus a `dedup` column (null = kept,
    /// `exact`, `near`) into partial counts, returned as JSON for `manifest`.
    fn account(&self, py: Python<'_>, batch: PyArrowType<RecordBatch>) -> PyResult<String> {
        let batch = batch.0;
        py.detach(|| guarded(|| account(&batch)))
    }

    /// Merges partial counts and returns `(manifest.json, report.md)` as the CLI writes
    /// them. `inputs`: dicts `{path, bytes, sha256}` (see `input_summary`); `outputs`:
    /// dicts `{path, split, records, bytes, sha256}` (see `write_shard`).
    fn manifest(
        &self,
        py: Python<'_>,
        parts: Vec<String>,
        inputs: &Bound<'_, PyAny>,
        outputs: &Bound<'_, PyAny>,
    ) -> PyResult<(String, String)> {
        let json = py.import("json")?;
        let inputs: Vec<InputSummary> =
            serde_json::from_str(&json.call_method1("dumps", (inputs,))?.extract::<String>()?)
                .map_err(|e| PyValueError::new_err(format!("inputs: {e}")))?;
        let outputs: Vec<OutputSummary> = serde_json::from_str(
            &json
                .call_method1("dumps", (outputs,))?
                .extract::<String>()?,
        )
        .map_err(|e| PyValueError::new_err(format!("outputs: {e}")))?;
        let parts: Vec<StatsPart> = parts
            .iter()
            .map(|p| serde_json::from_str(p))
            .collect::<Result<_, _>>()
            .map_err(|e| PyValueError::new_err(format!("parts: {e}")))?;
        let stats = StatsPart::merge(&parts);
        if !stats.balance().ok {
            let b = stats.balance();
            return Err(PyValueError::new_err(format!(
                "counts do not balance: read {} != kept {} + dropped {}",
                b.read, b.kept, b.dropped
            )));
        }
        let m = awal_prep::manifest::Manifest::new(
            self.inner.detector_name(),
            self.inner.config(),
            &inputs,
            &stats,
            &outputs,
        );
        let json = m
            .to_json()
            .map_err(|e| PyValueError::new_err(format!("cannot serialize the manifest: {e}")))?;
        Ok((json, m.report()))
    }
}

impl Pipeline {
    /// `record=False`: any batch with a text column.
    fn process_texts(&self, batch: &RecordBatch, field: &str) -> PyResult<RecordBatch> {
        let texts = text_column(batch, field)?;
        let outcomes: Vec<Option<Outcome>> = texts
            .par_iter()
            .map(|t| t.map(|t| self.inner.map_text(t)))
            .collect();
        let mut cols = MapColumns::new(outcomes.len(), false);
        for (o, t) in outcomes.iter().zip(&texts) {
            match o {
                None => cols.push_dropped(None, Some("source.missing_text_field")),
                Some(o) => cols.push(o, *t, None),
            }
        }
        cols.finish(batch, field)
    }

    /// `record=True`: a batch from [`Pipeline::read`].
    fn process_records(&self, batch: &RecordBatch, field: &str) -> PyResult<RecordBatch> {
        let texts = text_column(batch, field)?;
        let ids = string_col(batch, "id")?;
        let sources = string_col(batch, "source")?;
        let metas = string_col(batch, "meta")?;
        let skips = string_col(batch, "skip_reason")?;
        let rows: Vec<usize> = (0..batch.num_rows()).collect();
        let outcomes: Vec<Result<Outcome, String>> = rows
            .par_iter()
            .map(|&i| {
                if let Some(reason) = skips[i] {
                    return Err(format!("source.{reason}"));
                }
                let Some(text) = texts[i] else {
                    return Err("source.missing_text_field".into());
                };
                let meta = match metas[i] {
                    Some(m) => serde_json::from_str(m).map_err(|_| "source.malformed_json")?,
                    None => serde_json::Map::new(),
                };
                let record = Record {
                    id: ids[i].unwrap_or_default().to_string(),
                    text: text.to_string(),
                    source: sources[i].unwrap_or_default().to_string(),
                    meta,
                };
                Ok(self.inner.process_record(&record))
            })
            .collect();
        let splits = split_names(&self.inner.config().sink);
        let mut cols = MapColumns::new(outcomes.len(), true);
        for (o, t) in outcomes.iter().zip(&texts) {
            match o {
                Err(reason) => cols.push_dropped(*t, Some(reason)),
                Ok(o) => cols.push(o, *t, Some(splits)),
            }
        }
        cols.finish(batch, field)
    }
}

fn text_column<'a>(batch: &'a RecordBatch, field: &str) -> PyResult<Vec<Option<&'a str>>> {
    let Some(col) = batch.column_by_name(field) else {
        return Err(PyValueError::new_err(format!(
            "the batch has no text column `{field}` (columns: {})",
            batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    match col.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(string_views(col.as_ref())),
        other => Err(PyTypeError::new_err(format!(
            "column `{field}` must hold strings, not {other}"
        ))),
    }
}

fn string_col<'a>(batch: &'a RecordBatch, name: &str) -> PyResult<Vec<Option<&'a str>>> {
    text_column(batch, name)
}

/// The columns the map adds, built row by row.
struct MapColumns {
    text: StringBuilder,
    lang: StringBuilder,
    score: Float64Builder,
    scripts: ListBuilder<StringBuilder>,
    drop_reason: StringBuilder,
    exact: FixedSizeBinaryBuilder,
    bands: ListBuilder<UInt64Builder>,
    internal: Option<Internal>,
}

/// The columns of `record=True`: what the output and the counts need.
struct Internal {
    record: StringBuilder,
    split: StringBuilder,
    dominant: StringBuilder,
    script_bytes: ListBuilder<UInt64Builder>,
    text_bytes: UInt64Builder,
    pii: ListBuilder<UInt64Builder>,
    lines_removed: UInt64Builder,
    unified_from: StringBuilder,
}

impl MapColumns {
    fn new(rows: usize, internal: bool) -> Self {
        MapColumns {
            text: StringBuilder::with_capacity(rows, 0),
            lang: StringBuilder::new(),
            score: Float64Builder::with_capacity(rows),
            scripts: ListBuilder::new(StringBuilder::new()),
            drop_reason: StringBuilder::new(),
            exact: FixedSizeBinaryBuilder::with_capacity(rows, 16),
            bands: ListBuilder::new(UInt64Builder::new()),
            internal: internal.then(|| Internal {
                record: StringBuilder::new(),
                split: StringBuilder::new(),
                dominant: StringBuilder::new(),
                script_bytes: ListBuilder::new(UInt64Builder::new()),
                text_bytes: UInt64Builder::new(),
                pii: ListBuilder::new(UInt64Builder::new()),
                lines_removed: UInt64Builder::new(),
                unified_from: StringBuilder::new(),
            }),
        }
    }

    fn push(&mut self, outcome: &Outcome, text: Option<&str>, splits: Option<&[&str]>) {
        match outcome {
            Outcome::Skip(skip) => {
                let reason = format!("source.{}", skip.reason.code());
                self.push_dropped(text, Some(&reason));
            }
            Outcome::Filtered { reason } => self.push_dropped(text, Some(reason)),
            Outcome::Candidate(c) => self.push_candidate(c, splits.unwrap_or(&["train"])),
        }
    }

    fn push_dropped(&mut self, text: Option<&str>, reason: Option<&str>) {
        self.text.append_option(text);
        self.lang.append_null();
        self.score.append_null();
        self.scripts.append_null();
        self.drop_reason.append_option(reason);
        self.exact.append_null();
        self.bands.append_null();
        if let Some(i) = &mut self.internal {
            i.record.append_null();
            i.split.append_null();
            i.dominant.append_null();
            i.script_bytes.append_null();
            i.text_bytes.append_null();
            i.pii.append_null();
            i.lines_removed.append_null();
            i.unified_from.append_null();
        }
    }

    fn push_candidate(&mut self, c: &Candidate, splits: &[&str]) {
        self.text.append_value(&c.text);
        self.lang.append_value(&c.lang);
        self.score.append_value(c.score);
        self.scripts
            .append_value(c.scripts.iter().map(|s| Some(*s)));
        self.drop_reason.append_null();
        // Big-endian, so that byte order is numeric order.
        let _ = self.exact.append_value(c.keys.exact.to_be_bytes());
        self.bands
            .append_value(c.keys.bands.iter().map(|b| Some(*b)));
        if let Some(i) = &mut self.internal {
            i.record.append_value(String::from_utf8_lossy(&c.json));
            i.split
                .append_value(splits.get(c.split).copied().unwrap_or("train"));
            i.dominant.append_value(c.dominant);
            i.script_bytes
                .append_value(c.script_bytes.iter().map(|b| Some(*b)));
            i.text_bytes.append_value(c.bytes);
            i.pii
                .append_value(c.pii.as_array().iter().map(|n| Some(*n)));
            i.lines_removed.append_value(c.lines_removed as u64);
            i.unified_from.append_option(c.unified_from.as_deref());
        }
    }

    /// The input columns (the text column replaced) followed by the new ones; an input
    /// column with the name of a new one is replaced by it.
    fn finish(mut self, batch: &RecordBatch, field: &str) -> PyResult<RecordBatch> {
        let mut new: Vec<(&str, ArrayRef)> = vec![
            ("lang", Arc::new(self.lang.finish())),
            ("lang_score", Arc::new(self.score.finish())),
            ("scripts", Arc::new(self.scripts.finish())),
            ("drop_reason", Arc::new(self.drop_reason.finish())),
            ("exact_key", Arc::new(self.exact.finish())),
            ("band_keys", Arc::new(self.bands.finish())),
        ];
        if let Some(mut i) = self.internal.take() {
            new.extend([
                ("record", Arc::new(i.record.finish()) as ArrayRef),
                ("split", Arc::new(i.split.finish())),
                ("dominant_script", Arc::new(i.dominant.finish())),
                ("script_bytes", Arc::new(i.script_bytes.finish())),
                ("text_bytes", Arc::new(i.text_bytes.finish())),
                ("pii_counts", Arc::new(i.pii.finish())),
                ("lines_removed", Arc::new(i.lines_removed.finish())),
                ("unified_from", Arc::new(i.unified_from.finish())),
            ]);
        }
        let schema = batch.schema();
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (f, col) in schema.fields().iter().zip(batch.columns()) {
            if new.iter().any(|(n, _)| n == f.name()) {
                continue;
            }
            if f.name() == field {
                let text: ArrayRef = Arc::new(self.text.finish());
                fields.push(Field::new(field, DataType::Utf8, true));
                columns.push(text);
            } else {
                fields.push(f.as_ref().clone());
                columns.push(Arc::clone(col));
            }
        }
        for (name, col) in new {
            fields.push(Field::new(name, col.data_type().clone(), true));
            columns.push(col);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// The partial counts of a batch of decided rows.
fn account(batch: &RecordBatch) -> PyResult<String> {
    let need = |name: &str| {
        batch.column_by_name(name).ok_or_else(|| {
            PyValueError::new_err(format!("account: the batch has no column `{name}`"))
        })
    };
    let order = need("order")?
        .as_primitive_opt::<Int64Type>()
        .ok_or_else(|| PyTypeError::new_err("account: `order` must be int64"))?;
    let drop_reason = string_col(batch, "drop_reason")?;
    let location = string_col(batch, "skip_location")?;
    let dedup = string_col(batch, "dedup")?;
    let lang = string_col(batch, "lang")?;
    let split = string_col(batch, "split")?;
    let dominant = string_col(batch, "dominant_script")?;
    let unified_from = string_col(batch, "unified_from")?;
    let u64_list = |name: &str| -> PyResult<_> {
        need(name)?
            .as_list_opt::<i32>()
            .cloned()
            .ok_or_else(|| PyTypeError::new_err(format!("account: `{name}` must be list<uint64>")))
    };
    let script_bytes = u64_list("script_bytes")?;
    let pii = u64_list("pii_counts")?;
    let u64_col = |name: &str| -> PyResult<_> {
        need(name)?
            .as_primitive_opt::<UInt64Type>()
            .cloned()
            .ok_or_else(|| PyTypeError::new_err(format!("account: `{name}` must be uint64")))
    };
    let text_bytes = u64_col("text_bytes")?;
    let lines_removed = u64_col("lines_removed")?;
    let mut part = StatsPart::default();
    for row in 0..batch.num_rows() {
        if let Some(reason) = drop_reason[row] {
            match reason.strip_prefix("source.") {
                Some(code) => part.skip(
                    order.value(row) as u64,
                    code,
                    location[row].unwrap_or_default(),
                ),
                None => part.stats.count_filtered(reason),
            }
            continue;
        }
        if let Some(reason) = dedup[row] {
            part.stats.count_duplicate(reason);
            continue;
        }
        let fixed = |list: &arrow_array::ListArray| -> [u64; N_FIXED] { fixed_u64(list, row) };
        let sb = fixed(&script_bytes);
        let mut script_arr = [0u64; 5];
        script_arr.copy_from_slice(&sb[..5]);
        let mut pii_arr = [0u64; 9];
        pii_arr.copy_from_slice(&fixed(&pii)[..9]);
        part.stats.count_kept(&KeptDoc {
            lang: lang[row].unwrap_or_default(),
            dominant: dominant[row].unwrap_or_default(),
            script_bytes: script_arr,
            bytes: text_bytes.value(row),
            pii: PiiCounts::from(pii_arr),
            lines_removed: lines_removed.value(row),
            unified_from: unified_from[row],
            split: split[row].unwrap_or("train"),
        });
    }
    serde_json::to_string(&part).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Wide enough for both fixed lists (5 script counts, 9 PII counts).
const N_FIXED: usize = 9;

fn fixed_u64(list: &arrow_array::ListArray, row: usize) -> [u64; N_FIXED] {
    let mut out = [0u64; N_FIXED];
    if list.is_valid(row) {
        let values = list.value(row);
        if let Some(v) = values.as_primitive_opt::<UInt64Type>() {
            for (o, x) in out.iter_mut().zip(v.values().iter()) {
                *o = *x;
            }
        }
    }
    out
}

/// Streams the record batches of one input (see [`Pipeline::read`]).
#[pyclass(unsendable, module = "awal._awal")]
pub struct Reader {
    reader: Option<DocReader>,
    base: u64,
    next: u64,
}

#[pymethods]
impl Reader {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self) -> PyResult<PyArrowType<RecordBatch>> {
        let batch = guarded(|| self.next_batch())?;
        match batch {
            Some(b) => Ok(PyArrowType(b)),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}

impl Reader {
    fn next_batch(&mut self) -> PyResult<Option<RecordBatch>> {
        let Some(reader) = self.reader.as_mut() else {
            return Ok(None);
        };
        let mut order = Vec::new();
        let mut id = StringBuilder::new();
        let mut text = StringBuilder::new();
        let mut source = StringBuilder::new();
        let mut meta = StringBuilder::new();
        let mut skip_reason = StringBuilder::new();
        let mut skip_location = StringBuilder::new();
        let mut bytes = 0;
        while order.len() < READ_ROWS && bytes < READ_BYTES {
            let Some(item) = reader.next_item() else {
                self.reader = None;
                break;
            };
            order.push((self.base | self.next) as i64);
            self.next += 1;
            match item {
                Item::Doc(r) => {
                    bytes += r.text.len();
                    id.append_value(&r.id);
                    text.append_value(&r.text);
                    source.append_value(&r.source);
                    meta.append_value(serde_json::Value::Object(r.meta).to_string());
                    skip_reason.append_null();
                    skip_location.append_null();
                }
                Item::Raw(raw) => {
                    // Not produced without `defer_parsing`; parse it here all the same.
                    match raw.parse() {
                        Ok(r) => {
                            bytes += r.text.len();
                            id.append_value(&r.id);
                            text.append_value(&r.text);
                            source.append_value(&r.source);
                            meta.append_value(serde_json::Value::Object(r.meta).to_string());
                            skip_reason.append_null();
                            skip_location.append_null();
                        }
                        Err(skip) => {
                            append_skip(
                                &mut [&mut id, &mut text, &mut source, &mut meta],
                                &mut skip_reason,
                                &mut skip_location,
                                &skip,
                            );
                        }
                    }
                }
                Item::Skip(skip) => append_skip(
                    &mut [&mut id, &mut text, &mut source, &mut meta],
                    &mut skip_reason,
                    &mut skip_location,
                    &skip,
                ),
            }
        }
        if order.is_empty() {
            return Ok(None);
        }
        let schema = Schema::new(vec![
            Field::new("order", DataType::Int64, false),
            Field::new("id", DataType::Utf8, true),
            Field::new("text", DataType::Utf8, true),
            Field::new("source", DataType::Utf8, true),
            Field::new("meta", DataType::Utf8, true),
            Field::new("skip_reason", DataType::Utf8, true),
            Field::new("skip_location", DataType::Utf8, true),
        ]);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(order)),
            Arc::new(id.finish()),
            Arc::new(text.finish()),
            Arc::new(source.finish()),
            Arc::new(meta.finish()),
            Arc::new(skip_reason.finish()),
            Arc::new(skip_location.finish()),
        ];
        RecordBatch::try_new(Arc::new(schema), columns)
            .map(Some)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

fn append_skip(
    nulls: &mut [&mut StringBuilder],
    reason: &mut StringBuilder,
    location: &mut StringBuilder,
    skip: &awal_prep::source::Skip,
) {
    for b in nulls.iter_mut() {
        b.append_null();
    }
    reason.append_value(skip.reason.code());
    location.append_value(format!("{}:{}", skip.file, skip.line));
}

/// User paths expanded as `awal prepare` does: folders walked recursively and sorted,
/// only data files (`.txt`, `.jsonl`, `.ndjson`, plain, `.gz` or `.zst`) taken from
/// folders. Returns `(files, notes)`: the notes name what the walk passed over (files that
/// are not data, hidden names, folder loops), to be printed as the CLI does.
#[pyfunction]
pub fn expand_inputs(paths: Vec<PathBuf>) -> PyResult<(Vec<String>, Vec<String>)> {
    if paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(PyValueError::new_err(
            "stdin (`-`) is not an input of a distributed run: give files or folders",
        ));
    }
    if paths.is_empty() {
        return Err(PyValueError::new_err("no inputs given"));
    }
    let e = awal_prep::source::expand_inputs(&paths).map_err(prep_err)?;
    Ok((
        e.inputs.iter().map(Input::name).collect(),
        e.passed_over_notes(),
    ))
}

/// `{path, bytes, sha256}` of one input file, as `manifest.json` lists it.
#[pyfunction]
pub fn input_summary<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
    let s = py.detach(|| awal_prep::source::summarize(&path).map_err(prep_err))?;
    let d = PyDict::new(py);
    d.set_item("path", s.path)?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("sha256", s.sha256)?;
    Ok(d)
}

/// Writes the non-null strings of `records` (JSON lines) to `out_dir/rel` atomically,
/// compressed with `compress` (`zst`, `gz` or `none`); returns the manifest's
/// `{path, split, records, bytes, sha256}`.
#[pyfunction]
#[pyo3(signature = (out_dir, rel, records, compress="zst", split="train"))]
pub fn write_shard<'py>(
    py: Python<'py>,
    out_dir: PathBuf,
    rel: String,
    records: PyArrowType<arrow_data::ArrayData>,
    compress: &str,
    split: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let compress = match compress {
        "zst" => Compression::Zst,
        "gz" => Compression::Gz,
        "none" => Compression::None,
        other => {
            return Err(PyValueError::new_err(format!(
                "compress `{other}`: expected zst, gz or none"
            )))
        }
    };
    let array = arrow_array::make_array(records.0);
    if !matches!(
        array.data_type(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    ) {
        return Err(PyTypeError::new_err(format!(
            "records must be a string array, not {}",
            array.data_type()
        )));
    }
    let s = py.detach(|| {
        guarded(|| {
            let lines = string_views(array.as_ref());
            awal_prep::sink::write_shard(
                &out_dir,
                rel,
                split,
                lines.iter().flatten().map(|l| l.as_bytes()),
                compress,
            )
            .map_err(prep_err)
        })
    })?;
    let d = PyDict::new(py);
    d.set_item("path", s.path)?;
    d.set_item("split", s.split)?;
    d.set_item("records", s.records)?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("sha256", s.sha256)?;
    Ok(d)
}
