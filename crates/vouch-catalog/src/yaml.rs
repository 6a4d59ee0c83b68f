//! Reading YAML lockfiles (pnpm, Yarn Berry, pubspec, Podfile, stack) with saphyr, keeping each
//! node's line.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::{CatalogError, Input};

/// Deeper than any lockfile nests (they use five or six levels; Podfile.lock trees a few more).
/// saphyr recurses once per level when it builds and drops nodes, so a few thousand levels
/// exhaust a thread's stack.
const MAX_DEPTH: usize = 128;

/// The document's root node, or `None` for a file with no document (empty or comments only).
pub(crate) fn load<'a>(input: &Input<'a>) -> Result<Option<MarkedYaml<'a>>, CatalogError> {
    load_text(input.contents).map_err(|(line, message)| input.error(Some(line), message))
}

/// [`load`] for a lockfile whose root must be a mapping; any other root is an error that says
/// `not_a_mapping`.
pub(crate) fn load_mapping<'a>(
    input: &Input<'a>,
    not_a_mapping: &str,
) -> Result<Option<MarkedYaml<'a>>, CatalogError> {
    let Some(document) = load(input)? else {
        return Ok(None);
    };
    if !is_mapping(&document) {
        return Err(input.error(Some(line(&document)), not_a_mapping));
    }
    Ok(Some(document))
}

/// [`load`] for text that is not the catalogued file (a manifest beside it); errors are
/// `(line, message)`.
pub(crate) fn load_text(text: &str) -> Result<Option<MarkedYaml<'_>>, (usize, String)> {
    if let Some(line) = too_deep(text) {
        return Err((line, format!("YAML nested deeper than {MAX_DEPTH} levels")));
    }
    let documents = MarkedYaml::load_from_str(text).map_err(|error| {
        (
            error.marker().line(),
            format!("not valid YAML: {}", error.info()),
        )
    })?;
    Ok(documents.into_iter().next())
}

/// A scalar's text. Plain scalars the loader typed (numbers, booleans) are given back as text:
/// lockfile values such as `lockfileVersion: 5.4` or `version: 5` are strings to us.
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

/// The text under `key` in a mapping node.
pub(crate) fn get_text(node: &MarkedYaml<'_>, key: &str) -> Option<String> {
    get(node, key).and_then(text)
}

pub(crate) fn is_true(node: &MarkedYaml<'_>, key: &str) -> bool {
    get_text(node, key).as_deref() == Some("true")
}

pub(crate) fn is_mapping(node: &MarkedYaml<'_>) -> bool {
    matches!(node.data, YamlData::Mapping(_))
}

/// The 1-based line a node starts on.
pub(crate) fn line(node: &MarkedYaml<'_>) -> usize {
    node.span.start.line()
}

/// The first line where the nesting may pass [`MAX_DEPTH`]: an upper bound counting indentation,
/// `- ` sequence markers and open flow brackets (brackets inside quotes count too, which only
/// makes the bound looser).
fn too_deep(text: &str) -> Option<usize> {
    let mut flow_depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let content = line.trim_start();
        let mut depth = line.len() - content.len();
        let mut rest = content;
        while let Some(after) = rest.strip_prefix('-') {
            if !(after.is_empty() || after.starts_with([' ', '\t'])) {
                break;
            }
            depth += 1;
            rest = after.trim_start();
        }
        for byte in rest.bytes() {
            match byte {
                b'[' | b'{' => flow_depth += 1,
                b']' | b'}' => flow_depth = flow_depth.saturating_sub(1),
                _ => {}
            }
        }
        if depth + flow_depth > MAX_DEPTH {
            return Some(index + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        assert_eq!(too_deep(&"- ".repeat(MAX_DEPTH + 1)), Some(1));
        assert_eq!(too_deep(&"[\n".repeat(MAX_DEPTH + 1)), Some(MAX_DEPTH + 1));
        assert_eq!(too_deep("a:\n  b: {c: [1, 2]}\n  d: - x\n"), None);
        let nested: String = (0..=MAX_DEPTH + 1)
            .map(|level| format!("{}a:\n", " ".repeat(level)))
            .collect();
        assert_eq!(too_deep(&nested), Some(MAX_DEPTH + 2));
    }
}
