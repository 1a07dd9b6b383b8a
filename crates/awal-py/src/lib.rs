//! # awal-py: the awal engine from Python
//!
//! Bindings only: every function here converts its arguments, releases the GIL, runs the
//! library crates (`awal-translit`, `awal-lid`, `awal-prep`, `awal-tokenize`) over the
//! batch with rayon, and converts the results back. No text logic lives here, so Python
//! and the `awal` command give the same answers by construction.
//!
//! * Batch functions ([`translit`], [`scripts`], [`detect`], [`redact`], [`normalize`])
//!   take a list of `str`/`None` or a pyarrow string array and return the same kind
//!   ([`texts`]).
//! * [`pipeline::Pipeline`] is the per-document **map** of `awal prepare` over Arrow
//!   record batches, plus the reader, the partial counts and the manifest that the
//!   Spark and Ray jobs (`awal.spark`, `awal.ray`, pure Python) put around it.
//!
//! Errors become Python exceptions (`ValueError` for bad values, `TypeError` for wrong
//! types, `OSError` for files); a panic inside the engine becomes a `RuntimeError`
//! instead of aborting the interpreter.

mod batch;
mod pipeline;
mod texts;

use pyo3::prelude::*;

/// The native module `awal._awal`; the `awal` package re-exports it.
#[pymodule]
fn _awal(m: &Bound<'_, PyModule>) -> PyResult<()> {
    install_builtin_models();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(batch::translit, m)?)?;
    m.add_function(wrap_pyfunction!(batch::schemes, m)?)?;
    m.add_function(wrap_pyfunction!(batch::scripts, m)?)?;
    m.add_function(wrap_pyfunction!(batch::detect, m)?)?;
    m.add_function(wrap_pyfunction!(batch::redact, m)?)?;
    m.add_function(wrap_pyfunction!(batch::normalize, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::expand_inputs, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::input_summary, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::write_shard, m)?)?;
    m.add_class::<pipeline::Pipeline>()?;
    m.add_class::<pipeline::Reader>()?;
    Ok(())
}

/// Runs `f`, turning a panic into a `RuntimeError`: no input may abort the interpreter.
pub(crate) fn guarded<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                "awal internal error (please report it): {what}"
            )))
        }
    }
}

/// Hands the libraries the models `build.rs` compiled (a no-op for one already
/// installed), unless `AWAL_TRAIN_MODELS` is set: then they are trained on first use, as
/// the `awal` binary does with the same variable.
fn install_builtin_models() {
    if std::env::var_os("AWAL_TRAIN_MODELS").is_some() {
        return;
    }
    awal_translit::arabizi::install_builtin(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/ary-translit.bin"
    )));
    awal_lid::install_default_model(include_bytes!(concat!(env!("OUT_DIR"), "/lid-default.bin")));
}
