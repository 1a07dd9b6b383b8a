//! Batches of texts in and out: a Python list of `str`/`None`, or a pyarrow string
//! array read in place through the Arrow C data interface.
//!
//! A list is copied into Rust strings (Python's strings cannot be borrowed across a
//! released GIL); an Arrow array is not copied: the workers read the strings in the
//! array's own buffers. Results come back as the same kind: a list for a list, an Arrow
//! array for an Arrow array, and a null stays null.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray};
use arrow_data::ArrayData;
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

/// The texts of one call, as given.
pub enum Texts {
    /// From a Python list or tuple.
    List(Vec<Option<String>>),
    /// From a pyarrow string array (`string`, `large_string` or `string_view`).
    Arrow(ArrayRef),
}

impl Texts {
    /// Reads `texts`: a list/tuple of `str` or `None`, or an object with
    /// `__arrow_c_array__` holding strings.
    pub fn extract(texts: &Bound<'_, PyAny>) -> PyResult<Texts> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "texts must be a list of str or a pyarrow string array, not one str: wrap it in a list",
            ));
        }
        if texts.hasattr("__arrow_c_array__")? {
            let data = ArrayData::from_pyarrow_bound(texts)?;
            let array = arrow_array::make_array(data);
            return match array.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
                    Ok(Texts::Arrow(array))
                }
                other => Err(PyTypeError::new_err(format!(
                    "texts: expected a pyarrow string array, got one of type {other}"
                ))),
            };
        }
        if texts.is_instance_of::<PyList>() || texts.is_instance_of::<PyTuple>() {
            let mut out = Vec::with_capacity(texts.len()?);
            for (i, item) in texts.try_iter()?.enumerate() {
                let item = item?;
                if item.is_none() {
                    out.push(None);
                } else {
                    let s: String = item.extract().map_err(|_| {
                        PyTypeError::new_err(format!(
                            "texts[{i}]: expected str or None, got {}",
                            type_name(&item)
                        ))
                    })?;
                    out.push(Some(s));
                }
            }
            return Ok(Texts::List(out));
        }
        Err(PyTypeError::new_err(format!(
            "texts must be a list of str or a pyarrow string array, got {}",
            type_name(texts)
        )))
    }

    /// Borrowed views of every text, in order (`None` for nulls).
    pub fn views(&self) -> Vec<Option<&str>> {
        match self {
            Texts::List(v) => v.iter().map(|t| t.as_deref()).collect(),
            Texts::Arrow(array) => string_views(array.as_ref()),
        }
    }

    /// Whether the input was Arrow.
    pub fn is_arrow(&self) -> bool {
        matches!(self, Texts::Arrow(_))
    }

    /// Converts result strings back into the caller's kind.
    pub fn strings_out(&self, py: Python<'_>, out: Vec<Option<String>>) -> PyResult<Py<PyAny>> {
        match self {
            Texts::List(_) => Ok(PyList::new(py, out)?.into_any().unbind()),
            Texts::Arrow(array) => {
                let array: ArrayRef = if matches!(array.data_type(), DataType::LargeUtf8) {
                    std::sync::Arc::new(LargeStringArray::from(out))
                } else {
                    std::sync::Arc::new(StringArray::from(out))
                };
                arrow_out(py, array.as_ref())
            }
        }
    }
}

/// Borrowed views of a string column of any of the three Arrow string layouts; an array
/// of another type gives no rows (callers check the type first).
pub fn string_views(array: &dyn Array) -> Vec<Option<&str>> {
    if let Some(a) = array.as_string_opt::<i32>() {
        a.iter().collect()
    } else if let Some(a) = array.as_string_opt::<i64>() {
        a.iter().collect()
    } else if let Some(a) = array.as_string_view_opt() {
        a.iter().collect()
    } else {
        Vec::new()
    }
}

/// Exports an Arrow array to a pyarrow array.
pub fn arrow_out(py: Python<'_>, array: &dyn Array) -> PyResult<Py<PyAny>> {
    Ok(array.to_data().to_pyarrow(py)?.unbind())
}

/// The Python type name of an object, for error messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}
