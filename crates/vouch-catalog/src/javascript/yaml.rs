//! Reading the YAML lockfiles (pnpm, Yarn Berry) with saphyr, keeping each node's line.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::{CatalogError, Input};

/// The document's root node, or `None` for a file with no document (empty or comments only).
pub(super) fn load<'a>(input: &Input<'a>) -> Result<Option<MarkedYaml<'a>>, CatalogError> {
    let documents = MarkedYaml::load_from_str(input.contents).map_err(|error| {
        input.error(
            Some(error.marker().line()),
            format!("not valid YAML: {}", error.info()),
        )
    })?;
    Ok(documents.into_iter().next())
}

/// A scalar's text. Plain scalars the loader typed (numbers, booleans) are given back as text:
/// lockfile values such as `lockfileVersion: 5.4` or `version: 5` are strings to us.
pub(super) fn text(node: &MarkedYaml<'_>) -> Option<String> {
    match &node.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(number)) => Some(number.to_string()),
        YamlData::Value(Scalar::FloatingPoint(number)) => Some(number.to_string()),
        YamlData::Value(Scalar::Boolean(value)) => Some(value.to_string()),
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        _ => None,
    }
}

/// The key/value pairs of a mapping node; nothing for any other node.
pub(super) fn entries<'a, 'input>(
    node: &'a MarkedYaml<'input>,
) -> impl Iterator<Item = (&'a MarkedYaml<'input>, &'a MarkedYaml<'input>)> {
    let mapping = match &node.data {
        YamlData::Mapping(mapping) => Some(mapping),
        _ => None,
    };
    mapping.into_iter().flat_map(|mapping| mapping.iter())
}

/// The value under `key` in a mapping node.
pub(super) fn get<'a, 'input>(
    node: &'a MarkedYaml<'input>,
    key: &str,
) -> Option<&'a MarkedYaml<'input>> {
    entries(node)
        .find(|(candidate, _)| text(candidate).as_deref() == Some(key))
        .map(|(_, value)| value)
}

/// The text under `key` in a mapping node.
pub(super) fn get_text(node: &MarkedYaml<'_>, key: &str) -> Option<String> {
    get(node, key).and_then(text)
}

pub(super) fn is_true(node: &MarkedYaml<'_>, key: &str) -> bool {
    get_text(node, key).as_deref() == Some("true")
}

pub(super) fn is_mapping(node: &MarkedYaml<'_>) -> bool {
    matches!(node.data, YamlData::Mapping(_))
}

/// The 1-based line a node starts on.
pub(super) fn line(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line()
}
