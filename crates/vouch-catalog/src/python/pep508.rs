//! PEP 508 dependency specifiers (`name[extras] (>=1,<2) ; marker`, `name @ url ; marker`), as
//! written in requirements files, pyproject.toml and pdm.lock. Markers are kept as text: which
//! environment they select is not a question a source SBOM answers.

/// One parsed requirement; text fields keep the spelling of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    pub(crate) name: String,
    pub(super) extras: Vec<String>,
    /// Version specifiers joined by `,` without spaces or parentheses; empty when there are none.
    pub(crate) specifier: String,
    pub(crate) url: Option<String>,
    pub(super) marker: Option<String>,
}

impl Requirement {
    /// The one version an `==` (without wildcard) or `===` specifier pins, if that is all the
    /// specifier says.
    pub(crate) fn pinned_version(&self) -> Option<&str> {
        let version = self
            .specifier
            .strip_prefix("===")
            .or_else(|| self.specifier.strip_prefix("=="))?;
        let plain = !version.is_empty() && !version.contains([',', '*']) && !version.contains("${");
        plain.then_some(version)
    }
}

/// Comparison operators, longest first so that `===` is not read as `==`.
const OPERATORS: [&str; 8] = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// Parses one requirement; the error says what is wrong in a sentence.
pub(crate) fn parse(text: &str) -> Result<Requirement, String> {
    let (body, marker) = split_marker(text)?;
    let body = body.trim();
    let name_end = body
        .find(|character: char| !is_name_character(character))
        .unwrap_or(body.len());
    let name = &body[..name_end];
    if name.is_empty() {
        return Err(format!(
            "`{}` does not start with a package name",
            text.trim()
        ));
    }
    if !name.starts_with(|character: char| character.is_ascii_alphanumeric())
        || !name.ends_with(|character: char| character.is_ascii_alphanumeric())
    {
        return Err(format!(
            "`{name}` is not a valid package name: it must start and end with a letter or digit"
        ));
    }
    let mut rest = body[name_end..].trim_start();
    let mut extras = Vec::new();
    if let Some(after_bracket) = rest.strip_prefix('[') {
        let (list, after) = after_bracket
            .split_once(']')
            .ok_or_else(|| format!("the extras of `{name}` miss their closing `]`"))?;
        for extra in list
            .split(',')
            .map(str::trim)
            .filter(|extra| !extra.is_empty())
        {
            if !extra.chars().all(is_name_character) {
                return Err(format!("`{extra}` is not a valid extra name of `{name}`"));
            }
            extras.push(extra.to_owned());
        }
        rest = after.trim_start();
    }
    let mut requirement = Requirement {
        name: name.to_owned(),
        extras,
        specifier: String::new(),
        url: None,
        marker,
    };
    if let Some(url) = rest.strip_prefix('@') {
        let url = url.trim();
        if url.is_empty() || url.contains(char::is_whitespace) {
            return Err(format!("`{name} @` must be followed by one URL"));
        }
        requirement.url = Some(url.to_owned());
        return Ok(requirement);
    }
    let specifier = match rest.strip_prefix('(') {
        Some(inner) => inner
            .strip_suffix(')')
            .ok_or_else(|| format!("the version of `{name}` misses its closing `)`"))?,
        None => rest,
    };
    requirement.specifier = parse_specifier(name, specifier)?;
    Ok(requirement)
}

/// Splits `text` at the `;` that starts its marker. After a URL the `;` must follow whitespace,
/// since URLs may contain `;`.
fn split_marker(text: &str) -> Result<(&str, Option<String>), String> {
    let url_requirement = text.contains('@');
    let position = text.char_indices().find_map(|(index, character)| {
        let preceded_by_space = text[..index].ends_with(char::is_whitespace);
        (character == ';' && (!url_requirement || preceded_by_space)).then_some(index)
    });
    match position {
        None => Ok((text, None)),
        Some(index) => {
            let marker = text[index + 1..].trim();
            if marker.is_empty() {
                return Err(format!("`{}` has an empty marker after `;`", text.trim()));
            }
            Ok((&text[..index], Some(marker.to_owned())))
        }
    }
}

/// Checks a comma-separated specifier list and returns it without whitespace.
fn parse_specifier(name: &str, text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    let mut clauses = Vec::new();
    for clause in text.split(',').map(str::trim) {
        let operator = OPERATORS
            .iter()
            .find(|operator| clause.starts_with(**operator))
            .ok_or_else(|| {
                format!("`{clause}` in the version of `{name}` does not start with a comparison operator")
            })?;
        let version = clause[operator.len()..].trim_start();
        let valid = !version.is_empty()
            && (*operator == "==="
                || version.chars().all(|character| {
                    character.is_ascii_alphanumeric()
                        || matches!(
                            character,
                            '.' | '*' | '+' | '!' | '-' | '_' | '$' | '{' | '}'
                        )
                }))
            && !version.contains(char::is_whitespace);
        if !valid {
            return Err(format!(
                "`{clause}` in the version of `{name}` has no valid version after `{operator}`"
            ));
        }
        clauses.push(format!("{operator}{version}"));
    }
    Ok(clauses.join(","))
}

fn is_name_character(character: char) -> bool {
    character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(text: &str) -> Requirement {
        match parse(text) {
            Ok(requirement) => requirement,
            Err(error) => panic!("`{text}` should parse: {error}"),
        }
    }

    #[test]
    fn parses_extras_specifiers_and_marker() {
        let parsed =
            requirement(r#"requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7""#);
        assert_eq!(parsed.name, "requests");
        assert_eq!(parsed.extras, ["security"]);
        assert_eq!(parsed.specifier, ">=2.8.1,==2.8.*");
        assert_eq!(parsed.marker.as_deref(), Some(r#"python_version < "2.7""#));
        assert_eq!(parsed.pinned_version(), None);
    }

    #[test]
    fn parses_poetry_style_parenthesised_versions() {
        let parsed = requirement("cachecontrol[filecache] (>=0.14.0,<0.15.0)");
        assert_eq!(parsed.extras, ["filecache"]);
        assert_eq!(parsed.specifier, ">=0.14.0,<0.15.0");
    }

    #[test]
    fn parses_url_requirements_with_marker_after_whitespace() {
        let parsed = requirement("pip @ https://example.com/a;b.zip ; os_name == 'nt'");
        assert_eq!(parsed.url.as_deref(), Some("https://example.com/a;b.zip"));
        assert_eq!(parsed.marker.as_deref(), Some("os_name == 'nt'"));
    }

    #[test]
    fn pins_only_exact_versions() {
        assert_eq!(
            requirement("docopt == 0.6.1").pinned_version(),
            Some("0.6.1")
        );
        assert_eq!(requirement("yolo===1.0").pinned_version(), Some("1.0"));
        assert_eq!(requirement("asdf==0.7.*").pinned_version(), None);
        assert_eq!(requirement("qwert==${VERSION}").pinned_version(), None);
        assert_eq!(requirement("pkg<=1.2.3").pinned_version(), None);
    }

    #[test]
    fn rejects_malformed_requirements() {
        for text in [
            "asdf==",
            "==1.0",
            "asdf 1.0",
            "-foo==1.0",
            "a[b",
            "a (>=1",
            "a ;",
        ] {
            assert!(parse(text).is_err(), "`{text}` should not parse");
        }
    }
}
