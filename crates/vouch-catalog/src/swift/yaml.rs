//! Navigating YAML lockfiles loaded with saphyr, keeping each node's line.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::{CatalogError, Input};

/// Deeper block nesting than any lockfile has. saphyr recurses once per level, so a few
/// thousand levels (`- - - - ...`) would exhaust the stack.
const MAX_NESTING: usize = 256;

/// The first document's root node, or `None` for a file with no document (empty, or comments
/// only).
pub(crate) fn load<'a>(input: &Input<'a>) -> Result<Option<MarkedYaml<'a>>, CatalogError> {
    if let Some(line) = input
        .contents
        .lines()
        .position(|line| nesting_bound(line) > MAX_NESTING)
    {
        return Err(input.error(
            Some(line + 1),
            format!("YAML nested deeper than {MAX_NESTING} levels"),
        ));
    }
    let documents = MarkedYaml::load_from_str(input.contents).map_err(|error| {
        input.error(
            Some(error.marker().line()),
            format!("not valid YAML: {}", error.info()),
        )
    })?;
    Ok(documents.into_iter().next())
}

/// An upper bound of the block nesting a line opens: each level is indented by at least one
/// more space, or opened by one more `- ` or `? ` indicator on the same line.
fn nesting_bound(line: &str) -> usize {
    let mut rest = line.trim_start_matches(' ');
    let indentation = line.len() - rest.len();
    let mut indicators = 0;
    while let Some(after) = rest.strip_prefix(['-', '?']) {
        if !(after.is_empty() || after.starts_with([' ', '\t'])) {
            break;
        }
        indicators += 1;
        rest = after.trim_start_matches([' ', '\t']);
    }
    indentation + indicators
}

/// A scalar as text; numbers and booleans the loader typed are given back as text, since
/// `version: 1.0` is a string to a lockfile.
pub(crate) fn text(node: &MarkedYaml<'_>) -> Option<String> {
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
pub(crate) fn entries<'a, 'input>(
    node: &'a MarkedYaml<'input>,
) -> impl Iterator<Item = (&'a MarkedYaml<'input>, &'a MarkedYaml<'input>)> {
    let mapping = match &node.data {
        YamlData::Mapping(mapping) => Some(mapping),
        _ => None,
    };
    mapping.into_iter().flat_map(|mapping| mapping.iter())
}

/// The items of a sequence node; nothing for any other node.
pub(crate) fn items<'a, 'input>(
    node: &'a MarkedYaml<'input>,
) -> impl Iterator<Item = &'a MarkedYaml<'input>> {
    let sequence = match &node.data {
        YamlData::Sequence(sequence) => Some(sequence),
        _ => None,
    };
    sequence.into_iter().flatten()
}

/// The value under `key` in a mapping node.
pub(crate) fn get<'a, 'input>(
    node: &'a MarkedYaml<'input>,
    key: &str,
) -> Option<&'a MarkedYaml<'input>> {
    entries(node)
        .find(|(candidate, _)| text(candidate).as_deref() == Some(key))
        .map(|(_, value)| value)
}

pub(crate) fn get_text(node: &MarkedYaml<'_>, key: &str) -> Option<String> {
    get(node, key).and_then(text)
}

pub(crate) fn is_mapping(node: &MarkedYaml<'_>) -> bool {
    matches!(node.data, YamlData::Mapping(_))
}

/// The 1-based line a node starts on.
pub(crate) fn line(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line()
}
