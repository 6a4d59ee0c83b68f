//! YAML documents as JSON values: SPDX YAML is the JSON serialisation spelled in YAML, so one
//! reader serves both.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Number, Value};

/// Nesting accepted in a YAML document (same bound as `serde_json`'s default recursion limit).
const MAX_DEPTH: usize = 128;

/// Parses the first YAML document of `text`; the error says what is wrong and on which line.
pub(crate) fn parse(text: &str) -> Result<Value, String> {
    let documents = Yaml::load_from_str(text)
        .map_err(|error| format!("line {}: {}", error.marker().line(), error.info()))?;
    let document = documents
        .first()
        .ok_or_else(|| "the YAML stream holds no document".to_owned())?;
    to_json(document, 0)
}

fn to_json(node: &Yaml<'_>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("YAML nested deeper than {MAX_DEPTH} levels"));
    }
    Ok(match node {
        Yaml::Value(scalar) => scalar_to_json(scalar),
        // Unresolved scalars only occur in lazily parsed documents; keep their text.
        Yaml::Representation(text, _, _) => Value::String(text.to_string()),
        Yaml::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|item| to_json(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match key {
                    Yaml::Value(scalar) => scalar_key(scalar),
                    Yaml::Representation(text, _, _) => text.to_string(),
                    _ => return Err("mapping keys must be scalars".to_owned()),
                };
                object.insert(key, to_json(value, depth + 1)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(_, inner) => to_json(inner, depth + 1)?,
        Yaml::Alias(_) => return Err("unresolved YAML alias".to_owned()),
        Yaml::BadValue => return Err("a YAML value could not be resolved".to_owned()),
    })
}

fn scalar_to_json(scalar: &Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(value) => Value::Bool(*value),
        Scalar::Integer(value) => Value::Number((*value).into()),
        Scalar::FloatingPoint(value) => Number::from_f64(value.into_inner())
            .map_or_else(|| Value::String(value.to_string()), Value::Number),
        Scalar::String(text) => Value::String(text.to_string()),
    }
}

fn scalar_key(scalar: &Scalar<'_>) -> String {
    match scalar_to_json(scalar) {
        Value::String(text) => text,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_mappings_sequences_and_scalars() {
        let value = parse("name: x\ncount: 3\nflag: true\nitems:\n  - a\n  - b\n");
        assert_eq!(
            value,
            Ok(serde_json::json!({"name": "x", "count": 3, "flag": true, "items": ["a", "b"]}))
        );
    }

    #[test]
    fn reports_the_line_of_a_syntax_error() {
        let error = parse("a: b\nc: [unterminated\n").err();
        assert!(
            error
                .as_deref()
                .is_some_and(|message| message.starts_with("line ")),
            "{error:?}"
        );
    }
}
