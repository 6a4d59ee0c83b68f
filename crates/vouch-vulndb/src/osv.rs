//! The OSV schema (1.7), read from JSON or YAML.
//!
//! Reading is lenient where the schema lets newer publishers differ: unknown fields are ignored,
//! unknown ecosystems are kept verbatim, and `null` stands for an empty list. Only a record
//! without an `id` is refused, since nothing could refer to it.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// Deeper nesting than any advisory has; a bound on the recursion of YAML conversion.
const MAX_YAML_DEPTH: usize = 128;

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Osv {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Present when the record was withdrawn; such a record reports nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub aliases: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub upstream: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub affected: Vec<Affected>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub references: Vec<Reference>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub credits: Vec<Credit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `severity[]`: a scoring system and its vector string (`CVSS:3.1/AV:N/...`), not a number.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Severity {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub score: String,
}

/// `affected[]`: one package and the versions of it the record is about.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default)]
    pub package: Package,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub severity: Vec<Severity>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub ranges: Vec<Range>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

impl Affected {
    /// RustSec's `database_specific.informational` (`unmaintained`, `unsound`, `notice`):
    /// such an entry is a warning, not a vulnerability.
    pub fn informational(&self) -> Option<&str> {
        self.database_specific
            .as_ref()?
            .get("informational")?
            .as_str()
    }
}

/// `affected[].package`. The ecosystem is kept verbatim, known to vouch or not.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Package {
    #[serde(default)]
    pub ecosystem: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
}

/// `affected[].ranges[]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
}

/// `affected[].ranges[].events[]`: the schema allows exactly one of the fields per event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

/// `references[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: String,
}

/// `credits[]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Credit {
    #[serde(default)]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub contact: Vec<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// `null` reads as the default (an empty list), as several exporters write it.
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Why a file is not an OSV record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OsvError {
    #[error("line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("line {line}: not valid YAML: {message}")]
    Yaml { line: usize, message: String },
    #[error("YAML nested deeper than {MAX_YAML_DEPTH} levels")]
    TooDeep,
    #[error("the file holds no YAML document")]
    EmptyYaml,
    #[error("a YAML mapping key at line {line} is not a scalar")]
    YamlKey { line: usize },
    #[error("the record has no `id`")]
    MissingId,
}

impl From<serde_json::Error> for OsvError {
    fn from(error: serde_json::Error) -> Self {
        Self::Json {
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        }
    }
}

/// Parses one OSV record from JSON.
pub fn parse_json(bytes: &[u8]) -> Result<Osv, OsvError> {
    checked(serde_json::from_slice(bytes)?)
}

/// Parses one OSV record from YAML (the first document), as PyPA and the R Consortium publish.
pub fn parse_yaml(text: &str) -> Result<Osv, OsvError> {
    checked(serde_json::from_value(yaml_to_json(text)?)?)
}

fn checked(record: Osv) -> Result<Osv, OsvError> {
    if record.id.trim().is_empty() {
        return Err(OsvError::MissingId);
    }
    Ok(record)
}

/// Converts the first YAML document to JSON. Scalars are kept as written: OSV's are all
/// strings, and YAML's number typing would turn a version `1.10` into `1.1`.
pub fn yaml_to_json(text: &str) -> Result<Value, OsvError> {
    use saphyr::YamlLoader;
    // saphyr builds and drops nodes recursively; refuse deep nesting before it sees the text.
    if nesting_bound(text) > MAX_YAML_DEPTH {
        return Err(OsvError::TooDeep);
    }
    let mut loader: YamlLoader<'_, saphyr::MarkedYaml<'_>> = YamlLoader::default();
    loader.early_parse(false);
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let yaml_error = |error: &saphyr::ScanError| OsvError::Yaml {
        line: error.marker().line(),
        message: error.info().to_owned(),
    };
    parser
        .load(&mut loader, true)
        .map_err(|error| yaml_error(&error))?;
    if let Some(error) = loader.error() {
        return Err(yaml_error(error));
    }
    let Some(document) = loader.into_documents().into_iter().next() else {
        return Err(OsvError::EmptyYaml);
    };
    node_to_json(&document, 0)
}

fn node_to_json(node: &saphyr::MarkedYaml<'_>, depth: usize) -> Result<Value, OsvError> {
    use saphyr::{ScalarStyle, YamlData};
    if depth > MAX_YAML_DEPTH {
        return Err(OsvError::TooDeep);
    }
    Ok(match &node.data {
        YamlData::Representation(text, ScalarStyle::Plain, _) => plain_scalar(text),
        YamlData::Representation(text, _, _) => Value::String(text.to_string()),
        YamlData::Value(scalar) => scalar_to_json(scalar),
        YamlData::Tagged(_, inner) => node_to_json(inner, depth + 1)?,
        YamlData::Sequence(items) => Value::Array(
            items
                .iter()
                .map(|item| node_to_json(item, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match &key.data {
                    YamlData::Representation(text, _, _) => text.to_string(),
                    YamlData::Value(scalar) => match scalar_to_json(scalar) {
                        Value::String(text) => text,
                        other => other.to_string(),
                    },
                    _ => {
                        return Err(OsvError::YamlKey {
                            line: key.span.start.line(),
                        });
                    }
                };
                object.insert(key, node_to_json(value, depth + 1)?);
            }
            Value::Object(object)
        }
        YamlData::Alias(_) | YamlData::BadValue => Value::Null,
    })
}

/// A scalar the loader already resolved (it does not, with early parsing off; kept total).
fn scalar_to_json(scalar: &saphyr::Scalar<'_>) -> Value {
    use saphyr::Scalar;
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(value) => Value::Bool(*value),
        Scalar::Integer(number) => Value::String(number.to_string()),
        Scalar::FloatingPoint(number) => Value::String(number.to_string()),
        Scalar::String(text) => Value::String(text.to_string()),
    }
}

/// A plain (unquoted) scalar: YAML 1.2 core-schema nulls and booleans, anything else as text.
fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => Value::String(text.to_owned()),
    }
}

/// An upper bound of the nesting depth of a YAML text: per line, its indentation plus the
/// `- `/`? ` indicators opening it; across the text, unclosed flow brackets.
fn nesting_bound(text: &str) -> usize {
    let mut flow_depth: usize = 0;
    let mut deepest = 0;
    for line in text.lines() {
        let mut rest = line.trim_start_matches(' ');
        let mut block_depth = line.len() - rest.len();
        while let Some(after) = rest.strip_prefix(['-', '?']) {
            if !(after.is_empty() || after.starts_with([' ', '\t'])) {
                break;
            }
            block_depth += 1;
            rest = after.trim_start_matches([' ', '\t']);
        }
        for byte in line.bytes() {
            match byte {
                b'[' | b'{' => flow_depth += 1,
                b']' | b'}' => flow_depth = flow_depth.saturating_sub(1),
                _ => {}
            }
            deepest = deepest.max(block_depth + flow_depth);
        }
        deepest = deepest.max(block_depth + flow_depth);
    }
    deepest
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn yaml_scalars_keep_their_text() -> Result<(), OsvError> {
        let record = parse_yaml(
            "id: PYSEC-0\naffected:\n- package: {ecosystem: PyPI, name: x}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n    - limit: 1234e5\n  versions: [1.0, '2.0']\n",
        )?;
        let affected = &record.affected[0];
        let events: Vec<_> = affected.ranges[0].events.clone();
        assert_eq!(events[0].introduced.as_deref(), Some("0"));
        assert_eq!(events[1].fixed.as_deref(), Some("1.10"));
        assert_eq!(events[2].limit.as_deref(), Some("1234e5"));
        assert_eq!(affected.versions, ["1.0", "2.0"]);
        Ok(())
    }

    #[test]
    fn unknown_fields_and_nulls_do_not_fail_a_record() -> Result<(), OsvError> {
        let record = parse_json(
            br#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","future_field":{"a":1},
                "aliases":null,"affected":[{"package":{"ecosystem":"Unheard Of","name":"p"},
                "ranges":[{"type":"NEWKIND","events":[{"introduced":"0"}],"extra":1}]}]}"#,
        )?;
        assert_eq!(record.aliases, Vec::<String>::new());
        assert_eq!(record.affected[0].package.ecosystem, "Unheard Of");
        assert_eq!(record.affected[0].ranges[0].kind, "NEWKIND");
        Ok(())
    }

    #[test]
    fn a_record_without_id_is_refused() {
        assert_eq!(parse_json(br#"{"modified":"x"}"#), Err(OsvError::MissingId));
        assert_eq!(parse_yaml("summary: no id\n"), Err(OsvError::MissingId));
        assert_eq!(parse_yaml("# only a comment\n"), Err(OsvError::EmptyYaml));
    }

    #[test]
    fn deep_yaml_is_refused_before_loading() {
        let deep = format!("id: {}1{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(parse_yaml(&deep), Err(OsvError::TooDeep));
        let block: String = (0..300)
            .map(|level| format!("{}- \n", " ".repeat(level)))
            .collect();
        assert_eq!(parse_yaml(&block), Err(OsvError::TooDeep));
    }

    proptest! {
        #[test]
        fn json_parser_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_json(&bytes);
        }

        #[test]
        fn yaml_parser_takes_any_text(text in "(?s).{0,256}") {
            let _ = parse_yaml(&text);
        }

        #[test]
        fn yaml_parser_takes_osv_shaped_text(
            text in "(id|affected|ranges|events|- |: |\\[|\\]|\\{|\\}|\n|  |introduced|'|\"|&a|\\*a|!!str|0|1\\.0){0,64}"
        ) {
            let _ = parse_yaml(&text);
        }
    }
}
