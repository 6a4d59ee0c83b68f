//! Typed access to JSON values that reports the JSON pointer of anything malformed.

use std::fmt;

use serde_json::{Map, Value};

/// A field that is present but has the wrong shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ShapeError {
    pub(crate) pointer: String,
    pub(crate) message: String,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.pointer, self.message)
    }
}

/// `pointer/key`, escaping `~` and `/` as RFC 6901 requires.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

pub(crate) fn index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn object<'a>(
    value: &'a Value,
    pointer: &str,
) -> Result<&'a Map<String, Value>, ShapeError> {
    value.as_object().ok_or_else(|| ShapeError {
        pointer: pointer.to_owned(),
        message: format!("expected an object, found {}", kind(value)),
    })
}

pub(crate) fn as_str<'a>(value: &'a Value, pointer: &str) -> Result<&'a str, ShapeError> {
    value.as_str().ok_or_else(|| ShapeError {
        pointer: pointer.to_owned(),
        message: format!("expected a string, found {}", kind(value)),
    })
}

/// The string at `key`, `None` when absent; any other type is an error.
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<&'a str>, ShapeError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(ShapeError {
            pointer: child(pointer, key),
            message: format!("expected a string, found {}", kind(other)),
        }),
    }
}

pub(crate) fn required_string<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<&'a str, ShapeError> {
    string(map, key, pointer)?.ok_or_else(|| ShapeError {
        pointer: pointer.to_owned(),
        message: format!("required field `{key}` is missing"),
    })
}

/// The elements of the array at `key` with their pointers (empty when absent).
pub(crate) fn array<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Vec<(String, &'a Value)>, ShapeError> {
    let pointer = child(pointer, key);
    match map.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items
            .iter()
            .enumerate()
            .map(|(position, item)| (index(&pointer, position), item))
            .collect()),
        Some(other) => Err(ShapeError {
            pointer,
            message: format!("expected an array, found {}", kind(other)),
        }),
    }
}

/// Like [`array`], but a single value stands for a one-element array. XML converted to JSON
/// cannot tell a one-element list from a lone value.
pub(crate) fn one_or_many<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Vec<(String, &'a Value)>, ShapeError> {
    match map.get(key) {
        Some(Value::Array(_)) | None => array(map, key, pointer),
        Some(single) => Ok(vec![(child(pointer, key), single)]),
    }
}

/// The strings of the array at `key` (see [`one_or_many`]); other element types are errors.
pub(crate) fn strings<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Vec<(String, &'a str)>, ShapeError> {
    one_or_many(map, key, pointer)?
        .into_iter()
        .map(|(pointer, value)| as_str(value, &pointer).map(|text| (pointer, text)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_name_the_pointer() {
        let value = json!({"name": null, "list": "x", "a/b": 1});
        let map = object(&value, "").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            string(map, "name", "/packages/0").map_err(|e| e.to_string()),
            Err("/packages/0/name: expected a string, found null".to_owned())
        );
        assert_eq!(
            array(map, "list", "").map_err(|e| e.to_string()),
            Err("/list: expected an array, found a string".to_owned())
        );
        assert_eq!(child("", "a/b~"), "/a~1b~0");
        assert_eq!(one_or_many(map, "list", "").map(|items| items.len()), Ok(1));
    }
}
