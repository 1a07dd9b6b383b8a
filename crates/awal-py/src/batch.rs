//! The batch functions: one call per batch of texts, the GIL released, rayon inside.
//!
//! Each is the library call of the matching `awal` command, mapped over the batch; built
//! engines (transliterators, LID models) are cached per process, so a worker that calls
//! `translit` once per batch builds the Darija model once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use arrow_array::builder::{ListBuilder, StringBuilder, StructBuilder, UInt64Builder};
use arrow_array::{Array, Float64Array, StringArray, StructArray};
use arrow_schema::{DataType, Field, Fields};
use awal_prep::pii::{PiiCounts, Redactor};
use awal_tokenize::normalize::{Normalizer, Profile};
use awal_translit::script::{spans, Script, ScriptCounts};
use awal_translit::{Options, Registry, Transliterator};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use rayon::prelude::*;

use crate::guarded;
use crate::texts::{arrow_out, Texts};

/// Maps `f` over the non-null texts in parallel, with the GIL released.
fn par_map<T: Send>(
    py: Python<'_>,
    texts: &Texts,
    f: impl Fn(&str) -> T + Sync + Send,
) -> PyResult<Vec<Option<T>>> {
    let views = texts.views();
    py.detach(|| guarded(|| Ok(views.par_iter().map(|t| t.map(&f)).collect())))
}

type TranslitKey = (String, String, Option<String>, bool, bool, bool);

/// The transliterator of a scheme pair, built once per process and options.
fn transliterator(key: TranslitKey) -> PyResult<Arc<Transliterator>> {
    static CACHE: OnceLock<Mutex<HashMap<TranslitKey, Arc<Transliterator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(t) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(t);
    }
    let (from, to, model, ascii_fallbacks, keep_loans, scholarly) = &key;
    let mut registry = Registry::builtin();
    if let Some(path) = model {
        let text = std::fs::read_to_string(path)
            .map_err(|e| PyOSError::new_err(format!("{path}: {e}")))?;
        let model = awal_translit::arabizi::Model::from_json(&text, path)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        registry.set_arabizi_model(Arc::new(model));
    }
    let options = Options {
        ascii_fallbacks: *ascii_fallbacks,
        keep_loans: *keep_loans,
        scholarly: *scholarly,
    };
    let t = Arc::new(
        registry
            .transliterator(from, to, options)
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
    );
    if let Ok(mut c) = cache.lock() {
        c.insert(key, Arc::clone(&t));
    }
    Ok(t)
}

/// Transliterates every text from scheme `src` to scheme `dst` (as `awal translit
/// --from SRC --to DST`; `schemes()` lists them). `model` is a Darija model made by
/// `awal translit train`; `keep_loans` keeps French/English loanwords in Latin (Darija
/// Latin -> Arabic); `scholarly` writes Darija Arabic -> Latin as ʕ ḥ q x ɣ š;
/// `ascii_fallbacks` reads gh/ch/kh and 3/7/9 in IRCAM Latin input.
#[pyfunction]
#[pyo3(signature = (texts, src, dst, model=None, *, keep_loans=false, scholarly=false, ascii_fallbacks=false))]
#[allow(clippy::too_many_arguments)]
pub fn translit(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    src: &str,
    dst: &str,
    model: Option<String>,
    keep_loans: bool,
    scholarly: bool,
    ascii_fallbacks: bool,
) -> PyResult<Py<PyAny>> {
    let texts = Texts::extract(texts)?;
    let t = py.detach(|| {
        guarded(|| {
            transliterator((
                src.to_string(),
                dst.to_string(),
                model,
                ascii_fallbacks,
                keep_loans,
                scholarly,
            ))
        })
    })?;
    let out = par_map(py, &texts, |s| t.convert(s))?;
    texts.strings_out(py, out)
}

/// The names of the built-in transliteration schemes.
#[pyfunction]
pub fn schemes() -> Vec<String> {
    Registry::builtin().names().map(str::to_string).collect()
}

/// Serde name of a script (`Arab`, `Latn`, `Tfng`, …), as `awal scripts` prints it.
fn script_name(script: Script) -> String {
    match serde_json::to_value(script) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{script:?}"),
    }
}

type ScriptReport = (String, Vec<(String, usize, usize)>);

/// The dominant script and the script spans (byte offsets) of every text, as `awal
/// scripts` reports them: a list of `{"dominant": str, "spans": [(script, start,
/// end), …]}`, or for Arrow input a struct array `{dominant, spans: list<{script,
/// start, end}>}`.
#[pyfunction]
pub fn scripts(py: Python<'_>, texts: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let texts = Texts::extract(texts)?;
    let out: Vec<Option<ScriptReport>> = par_map(py, &texts, |s| {
        let found = spans(s);
        let dominant = script_name(ScriptCounts::of(s, &found).dominant());
        let spans = found
            .iter()
            .map(|sp| (script_name(sp.script), sp.start, sp.end))
            .collect();
        (dominant, spans)
    })?;
    if !texts.is_arrow() {
        let list = PyList::empty(py);
        for item in out {
            match item {
                None => list.append(py.None())?,
                Some((dominant, spans)) => {
                    let d = PyDict::new(py);
                    d.set_item("dominant", dominant)?;
                    d.set_item("spans", spans)?;
                    list.append(d)?;
                }
            }
        }
        return Ok(list.into_any().unbind());
    }
    let span_fields = Fields::from(vec![
        Field::new("script", DataType::Utf8, false),
        Field::new("start", DataType::UInt64, false),
        Field::new("end", DataType::UInt64, false),
    ]);
    let mut dominant = StringBuilder::new();
    let mut spans_b = ListBuilder::new(StructBuilder::from_fields(span_fields, 0));
    for item in &out {
        match item {
            None => {
                dominant.append_null();
                spans_b.append_null();
            }
            Some((d, spans)) => {
                dominant.append_value(d);
                let sb = spans_b.values();
                for (script, start, end) in spans {
                    append_span(sb, script, *start as u64, *end as u64);
                }
                spans_b.append(true);
            }
        }
    }
    let dominant = dominant.finish();
    let spans_a = spans_b.finish();
    let fields = Fields::from(vec![
        Field::new("dominant", DataType::Utf8, true),
        Field::new("spans", spans_a.data_type().clone(), true),
    ]);
    let nulls = dominant.nulls().cloned();
    let array = StructArray::try_new(fields, vec![Arc::new(dominant), Arc::new(spans_a)], nulls)
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    arrow_out(py, &array)
}

fn append_span(sb: &mut StructBuilder, script: &str, start: u64, end: u64) {
    if let Some(b) = sb.field_builder::<StringBuilder>(0) {
        b.append_value(script);
    }
    for (i, v) in [(1, start), (2, end)] {
        if let Some(b) = sb.field_builder::<UInt64Builder>(i) {
            b.append_value(v);
        }
    }
    sb.append(true);
}

/// The language detector of `model` (a file from `awal lid train`), or the embedded one.
fn lid_detector(model: Option<&str>) -> PyResult<Arc<awal_lid::Detector>> {
    static CACHE: OnceLock<Mutex<HashMap<Option<String>, Arc<awal_lid::Detector>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = model.map(str::to_string);
    if let Some(d) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(d);
    }
    let detector = match model {
        None => awal_lid::default_detector()
            .map_err(|e| PyValueError::new_err(e.to_string()))?
            .clone(),
        Some(path) => {
            let text = std::fs::read_to_string(Path::new(path))
                .map_err(|e| PyOSError::new_err(format!("{path}: {e}")))?;
            let model = awal_lid::Model::from_json(&text)
                .map_err(|e| PyValueError::new_err(format!("{path}: {e}")))?;
            awal_lid::Detector::new(model)
        }
    };
    let detector = Arc::new(detector);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, Arc::clone(&detector));
    }
    Ok(detector)
}

/// The language of every text, as `awal detect`: `(label, score)` with labels such as
/// `ary_Arab`, `ary_Latn`, `zgh_Tfng`, `fra_Latn`, `und`. For Arrow input a struct
/// array `{lang, score}`. `model` is a file made by `awal lid train`.
#[pyfunction]
#[pyo3(signature = (texts, model=None))]
pub fn detect(
    py: Python<'_>,
    texts: &Bound<'_, PyAny>,
    model: Option<String>,
) -> PyResult<Py<PyAny>> {
    let texts = Texts::extract(texts)?;
    let detector = py.detach(|| guarded(|| lid_detector(model.as_deref())))?;
    let out = par_map(py, &texts, |s| {
        let d = detector.detect(s);
        // Four decimals, as `awal detect` prints them.
        (d.lang.to_string(), (d.score * 1e4).round() / 1e4)
    })?;
    if !texts.is_arrow() {
        let list = PyList::empty(py);
        for item in out {
            match item {
                None => list.append(py.None())?,
                Some((lang, score)) => list.append(PyTuple::new(
                    py,
                    [
                        lang.into_pyobject(py)?.into_any(),
                        score.into_pyobject(py)?.into_any(),
                    ],
                )?)?,
            }
        }
        return Ok(list.into_any().unbind());
    }
    let lang: StringArray = out
        .iter()
        .map(|o| o.as_ref().map(|(l, _)| l.as_str()))
        .collect();
    let score: Float64Array = out.iter().map(|o| o.as_ref().map(|(_, s)| *s)).collect();
    let nulls = lang.nulls().cloned();
    let array = StructArray::try_new(
        Fields::from(vec![
            Field::new("lang", DataType::Utf8, true),
            Field::new("score", DataType::Float64, true),
        ]),
        vec![Arc::new(lang), Arc::new(score)],
        nulls,
    )
    .map_err(|e| PyValueError::new_err(e.to_string()))?;
    arrow_out(py, &array)
}

/// Redacts Moroccan and generic PII (as `awal redact`): returns the texts with typed
/// placeholders (`<PHONE>`, `<CIN>`, `<EMAIL>`, …) and the number of redactions per
/// type over the batch (types with none are left out).
#[pyfunction]
pub fn redact(py: Python<'_>, texts: &Bound<'_, PyAny>) -> PyResult<(Py<PyAny>, Py<PyDict>)> {
    static REDACTOR: OnceLock<Redactor> = OnceLock::new();
    let redactor = REDACTOR.get_or_init(Redactor::new);
    let texts = Texts::extract(texts)?;
    let out = par_map(py, &texts, |s| {
        let (text, counts) = redactor.redact(s);
        (text.into_owned(), counts)
    })?;
    let mut total = PiiCounts::default();
    let mut strings = Vec::with_capacity(out.len());
    for item in out {
        strings.push(item.map(|(text, counts)| {
            total.add(&counts);
            text
        }));
    }
    let counts = PyDict::new(py);
    for (kind, n) in total.iter().filter(|(_, n)| *n > 0) {
        counts.set_item(kind.code(), n)?;
    }
    Ok((texts.strings_out(py, strings)?, counts.unbind()))
}

/// Normalizes every text with a profile of `awal normalize`: `auto` (conservative:
/// invisible characters, spaces, NFC, Arabic letter variants and digits, Tifinagh
/// look-alikes), `ary`, `zgh`, `fra`, or `prepare` (what `awal prepare` applies:
/// nothing that changes spelling).
#[pyfunction]
#[pyo3(signature = (texts, profile="auto"))]
pub fn normalize(py: Python<'_>, texts: &Bound<'_, PyAny>, profile: &str) -> PyResult<Py<PyAny>> {
    let Some(p) = Profile::parse(profile) else {
        let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
        return Err(PyValueError::new_err(format!(
            "unknown normalization profile `{profile}` (expected one of {})",
            names.join(", ")
        )));
    };
    let texts = Texts::extract(texts)?;
    let normalizer = Normalizer::new(p.options());
    let out = par_map(py, &texts, |s| normalizer.normalize(s).into_owned())?;
    texts.strings_out(py, out)
}
