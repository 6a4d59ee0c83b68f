//! Declared licences in the shapes the formats accept: SPDX licence ids, SPDX licence
//! expressions, or free text that is neither.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{digest, id_characters};

/// One declared licence, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum License {
    /// A single id of the SPDX licence list, in the list's spelling.
    Id(String),
    /// A valid SPDX expression (ids from the list or `LicenseRef-`), normalised: canonical id
    /// spelling, upper-case operators, single spaces.
    Expression(String),
    /// Anything else, verbatim.
    Text(String),
}

impl License {
    pub(crate) fn classify(text: &str) -> Self {
        match normalize_expression(text) {
            Some(tokens) => match tokens.as_slice() {
                [Token::License(id)] if known_id(id).is_some() => Self::Id(id.clone()),
                _ => Self::Expression(render(&tokens)),
            },
            None => Self::Text(text.to_owned()),
        }
    }

    /// The licence as an SPDX expression; free text becomes a `LicenseRef-` derived from it,
    /// which the SPDX writers declare with the text.
    pub(crate) fn spdx_expression(&self) -> String {
        match self {
            Self::Id(id) | Self::Expression(id) => id.clone(),
            Self::Text(text) => license_ref(text),
        }
    }
}

/// `LicenseRef-<readable>-<digest>` for free licence text: valid and distinct per text.
pub(crate) fn license_ref(text: &str) -> String {
    let readable: String = id_characters(text).chars().take(40).collect();
    let readable = readable.trim_end_matches('-');
    let digest = digest(text, 8);
    if readable.is_empty() {
        format!("LicenseRef-{digest}")
    } else {
        format!("LicenseRef-{readable}-{digest}")
    }
}

/// The `LicenseRef-` ids an SPDX expression uses (not those of other documents, which carry a
/// `DocumentRef-` prefix).
pub(crate) fn license_refs(expression: &str) -> impl Iterator<Item = &str> {
    expression
        .split(|character: char| character.is_whitespace() || matches!(character, '(' | ')'))
        .filter(|word| word.starts_with("LicenseRef-"))
}

/// The SPDX expression for all of a component's declared licences: they all apply, so they are
/// joined with `AND`. `None` when none is declared.
pub(crate) fn combined_expression(licenses: &[License]) -> Option<String> {
    let expressions: Vec<String> = licenses.iter().map(License::spdx_expression).collect();
    match expressions.as_slice() {
        [] => None,
        [single] => Some(single.clone()),
        _ => Some(
            expressions
                .iter()
                .map(|expression| {
                    if expression.contains(' ') {
                        format!("({expression})")
                    } else {
                        expression.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    With,
    License(String),
    Exception(String),
}

/// Parses `text` as an SPDX licence expression (SPDX 2.3 annex D) and returns its tokens with
/// ids in canonical spelling, or `None` when it is not one or names a licence that is neither
/// on the SPDX list nor a `LicenseRef-`.
fn normalize_expression(text: &str) -> Option<Vec<Token>> {
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let mut tokens = Vec::new();
    // Grammar: expression = term (("AND" | "OR") term)*;
    //          term = "(" expression ")" | licence ["WITH" exception].
    let mut expect_term = true;
    let mut depth = 0usize;
    let mut after_with = false;
    for word in spaced.split_whitespace() {
        let token = match word {
            "(" if expect_term => {
                depth += 1;
                Token::Open
            }
            ")" if !expect_term && depth > 0 => {
                depth -= 1;
                Token::Close
            }
            _ if after_with => {
                after_with = false;
                if !is_idstring(word) {
                    return None;
                }
                expect_term = false;
                Token::Exception(word.to_owned())
            }
            "AND" | "and" if !expect_term => {
                expect_term = true;
                Token::And
            }
            "OR" | "or" if !expect_term => {
                expect_term = true;
                Token::Or
            }
            "WITH" | "with" if !expect_term && matches!(tokens.last(), Some(Token::License(_))) => {
                after_with = true;
                Token::With
            }
            _ if expect_term => {
                expect_term = false;
                Token::License(license_id(word)?)
            }
            _ => return None,
        };
        tokens.push(token);
    }
    (!expect_term && depth == 0 && !after_with).then_some(tokens)
}

/// A licence reference in canonical spelling: a listed id (optionally with `+`), a
/// `LicenseRef-`, or a `DocumentRef-…:LicenseRef-…`.
fn license_id(word: &str) -> Option<String> {
    let (reference, document) = match word.split_once(':') {
        Some((document, reference)) => (reference, Some(document)),
        None => (word, None),
    };
    if let Some(document) = document {
        let valid = document
            .strip_prefix("DocumentRef-")
            .is_some_and(is_idstring)
            && reference
                .strip_prefix("LicenseRef-")
                .is_some_and(is_idstring);
        return valid.then(|| word.to_owned());
    }
    if reference
        .strip_prefix("LicenseRef-")
        .is_some_and(is_idstring)
    {
        return Some(word.to_owned());
    }
    if let Some(id) = known_id(word) {
        return Some(id.to_owned());
    }
    let base = word.strip_suffix('+')?;
    known_id(base).map(|id| format!("{id}+"))
}

fn is_idstring(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-'))
}

fn render(tokens: &[Token]) -> String {
    let mut text = String::new();
    for token in tokens {
        let word = match token {
            Token::Open => "(",
            Token::Close => ")",
            Token::And => "AND",
            Token::Or => "OR",
            Token::With => "WITH",
            Token::License(id) | Token::Exception(id) => id,
        };
        if !text.is_empty() && !text.ends_with('(') && word != ")" {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

/// An id of the SPDX licence list (matched ignoring case, as SPDX specifies), in the list's
/// spelling. The list is the one bundled with the CycloneDX schemas.
fn known_id(id: &str) -> Option<&'static str> {
    static IDS: OnceLock<HashMap<String, String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schemas/cyclonedx/spdx.schema.json"))
                .unwrap_or_default();
        schema["enum"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .map(|id| (id.to_ascii_lowercase(), id.to_owned()))
            .collect()
    })
    .get(&id.to_ascii_lowercase())
    .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_licence_list_is_loaded() {
        assert_eq!(known_id("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(known_id("MIT"), Some("MIT"));
        assert_eq!(known_id("Not-A-Licence"), None);
    }

    #[test]
    fn single_listed_ids_are_ids() {
        assert_eq!(License::classify("mit"), License::Id("MIT".into()));
    }

    #[test]
    fn expressions_are_normalised() {
        assert_eq!(
            License::classify("(mit or apache-2.0)  AND   BSD-3-Clause"),
            License::Expression("(MIT OR Apache-2.0) AND BSD-3-Clause".into())
        );
        assert_eq!(
            License::classify("GPL-2.0-only WITH Classpath-exception-2.0"),
            License::Expression("GPL-2.0-only WITH Classpath-exception-2.0".into())
        );
        assert_eq!(
            License::classify("LicenseRef-Custom"),
            License::Expression("LicenseRef-Custom".into())
        );
        assert_eq!(
            License::classify("Apache-2.0+"),
            License::Expression("Apache-2.0+".into())
        );
    }

    #[test]
    fn text_that_is_no_expression_stays_text() {
        for text in [
            "Custom licence",
            "MIT OR",
            "(MIT",
            "MIT)",
            "MIT AND AND BSD-3-Clause",
            "Not-A-Licence",
            "MIT WITH",
            "",
        ] {
            assert_eq!(
                License::classify(text),
                License::Text(text.into()),
                "{text}"
            );
        }
    }

    #[test]
    fn free_text_becomes_a_licence_ref() {
        let reference = License::Text("Custom licence, v2".into()).spdx_expression();
        assert_eq!(
            reference,
            format!(
                "LicenseRef-Custom-licence-v2-{}",
                digest("Custom licence, v2", 8)
            )
        );
    }

    #[test]
    fn licence_refs_of_this_document_are_found() {
        let refs: Vec<&str> =
            license_refs("(LicenseRef-A OR MIT) AND DocumentRef-x:LicenseRef-B AND LicenseRef-C")
                .collect();
        assert_eq!(refs, ["LicenseRef-A", "LicenseRef-C"]);
    }

    #[test]
    fn several_licences_all_apply() {
        let licenses = [
            License::classify("MIT OR Apache-2.0"),
            License::classify("BSD-3-Clause"),
        ];
        assert_eq!(
            combined_expression(&licenses).as_deref(),
            Some("(MIT OR Apache-2.0) AND BSD-3-Clause")
        );
        assert_eq!(combined_expression(&[]), None);
    }
}
