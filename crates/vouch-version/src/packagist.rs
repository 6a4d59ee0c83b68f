//! Composer versions: PHP's `version_compare` after Composer's normalisation (a leading `v` and a
//! `-stable` suffix mean nothing).
//!
//! `version_compare` is followed byte for byte (ext/standard/versioning.c) with one exception:
//! numbers compare exactly, where PHP's `strtol` saturates at 2^63 - 1.

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

/// `version_compare`'s special forms, matched as prefixes in this order; anything else ranks
/// below `dev`.
const SPECIAL_FORMS: [(&str, i8); 10] = [
    ("dev", 0),
    ("alpha", 1),
    ("a", 1),
    ("beta", 2),
    ("b", 2),
    ("RC", 3),
    ("rc", 3),
    ("#", 4),
    ("pl", 5),
    ("p", 5),
];
const UNKNOWN_FORM: i8 = -1;
/// What PHP compares a number against when the other side is a special form; it ranks as `#`,
/// between `RC` and `pl`.
const NUMBER_FORM: &str = "#N#";
/// Longer versions are refused: PHP re-canonicalises a leftover tail once per component, which
/// is quadratic in the length, and no real version comes near this.
const MAX_LENGTH: usize = 1024;

#[derive(Debug, Clone)]
pub(crate) struct ComposerVersion {
    /// The version after Composer's normalisation, as `version_compare` receives it.
    normalized: Box<str>,
}

impl ComposerVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let without_v = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let normalized = strip_stable(without_v);
        if text.len() > MAX_LENGTH {
            return Err(VersionError::invalid(
                Scheme::Packagist,
                text,
                format!("longer than {MAX_LENGTH} bytes"),
            ));
        }
        if normalized.is_empty() {
            return Err(VersionError::invalid(
                Scheme::Packagist,
                text,
                "nothing is left after Composer's normalisation",
            ));
        }
        Ok(Self {
            normalized: normalized.into(),
        })
    }
}

/// `1.0.0-stable` is Composer's spelling of `1.0.0`.
fn strip_stable(version: &str) -> &str {
    let length = version.len();
    let suffix = "stable".len();
    match version.get(length.saturating_sub(suffix)..) {
        Some(tail) if length > suffix && tail.eq_ignore_ascii_case("stable") => {
            let head = version.get(..length - suffix).unwrap_or(version);
            head.strip_suffix(['-', '_', '.', '+']).unwrap_or(head)
        }
        _ => version,
    }
}

/// `php_canonicalize_version`: `-`, `_`, `+` and other punctuation become one `.`, and a `.` is
/// put at every switch between a digit and a non-digit (`1.0rc1` is `1.0.rc.1`). The first
/// byte is kept as it is, and a non-alphanumeric byte right after a digit is kept as a component
/// of its own, as PHP does.
fn canonical(version: &str) -> String {
    let bytes = version.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return String::new();
    };
    let is_digit = |byte: u8| byte.is_ascii_digit();
    let is_non_digit = |byte: u8| !byte.is_ascii_digit() && byte != b'.';
    let mut canonical = vec![first];
    let mut previous = first;
    for &byte in rest {
        let separated = canonical.last() == Some(&b'.');
        if matches!(byte, b'-' | b'_' | b'+') {
            if !separated {
                canonical.push(b'.');
            }
        } else if (is_non_digit(previous) && is_digit(byte))
            || (is_digit(previous) && is_non_digit(byte))
        {
            if !separated {
                canonical.push(b'.');
            }
            canonical.push(byte);
        } else if !byte.is_ascii_alphanumeric() {
            if !separated {
                canonical.push(b'.');
            }
        } else {
            canonical.push(byte);
        }
        previous = byte;
    }
    // Only ASCII bytes were added or dropped around whole characters, except that a non-ASCII
    // character's bytes may be split by the separators above; lossy decoding keeps it total.
    String::from_utf8_lossy(&canonical).into_owned()
}

fn special_form(component: &str) -> i8 {
    SPECIAL_FORMS
        .iter()
        .find(|(form, _)| component.starts_with(form))
        .map_or(UNKNOWN_FORM, |(_, rank)| *rank)
}

fn starts_with_digit(text: &str) -> bool {
    text.starts_with(|character: char| character.is_ascii_digit())
}

/// `php_version_compare`. PHP recurses to compare a leftover tail with its number marker; the
/// tail call is a loop here, so no input can exhaust the stack.
fn version_compare(left: &str, right: &str) -> Ordering {
    let (mut left, mut right) = (left.to_owned(), right.to_owned());
    loop {
        if left.is_empty() || right.is_empty() {
            return (!left.is_empty()).cmp(&!right.is_empty());
        }
        // A version starting with `#` is compared as it is; PHP relies on it for `#N#`.
        let prepare = |version: &str| {
            if version.starts_with('#') {
                version.to_owned()
            } else {
                canonical(version)
            }
        };
        let (prepared_left, prepared_right) = (prepare(&left), prepare(&right));
        let left_parts: Vec<&str> = prepared_left.split('.').collect();
        let right_parts: Vec<&str> = prepared_right.split('.').collect();

        let mut index = 0;
        while let (Some(left_part), Some(right_part)) =
            (left_parts.get(index), right_parts.get(index))
        {
            // PHP stops at the end of the string; an empty component inside it still compares.
            let at_end = |part: &str, parts: &[&str]| part.is_empty() && index + 1 == parts.len();
            if at_end(left_part, &left_parts) || at_end(right_part, &right_parts) {
                break;
            }
            let ordering = match (starts_with_digit(left_part), starts_with_digit(right_part)) {
                (true, true) => digits(left_part).cmp(&digits(right_part)),
                (false, false) => special_form(left_part).cmp(&special_form(right_part)),
                (true, false) => special_form(NUMBER_FORM).cmp(&special_form(right_part)),
                (false, true) => special_form(left_part).cmp(&special_form(NUMBER_FORM)),
            };
            if ordering.is_ne() {
                return ordering;
            }
            index += 1;
        }
        let left_rest = left_parts.get(index..).unwrap_or_default();
        let right_rest = right_parts.get(index..).unwrap_or_default();
        // What is left after a trailing separator (`1.0-`) is nothing, which PHP orders below
        // everything but inconsistently: `version_compare("1.0-", "1.0-")` is -1. Here it is
        // below every other continuation and equal to itself, so that the order stays total.
        match (left_rest == [""], right_rest == [""]) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        // A side with components left wins when they start with a number, and is otherwise
        // compared with the number marker.
        (left, right) = match (left_rest, right_rest) {
            ([], []) => return Ordering::Equal,
            (rest @ [_, ..], _) => {
                let rest = rest.join(".");
                if starts_with_digit(&rest) {
                    return Ordering::Greater;
                }
                (rest, NUMBER_FORM.to_owned())
            }
            ([], rest) => {
                let rest = rest.join(".");
                if starts_with_digit(&rest) {
                    return Ordering::Less;
                }
                (NUMBER_FORM.to_owned(), rest)
            }
        };
    }
}

/// The leading digits of a component, as `strtol` reads them (but without its overflow).
fn digits(component: &str) -> Number {
    let end = component
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(component.len());
    component
        .get(..end)
        .and_then(Number::parse)
        .unwrap_or_else(Number::zero)
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        version_compare(&self.normalized, &other.normalized)
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ComposerVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::canonical;
    use crate::Scheme;

    #[test]
    fn canonical_form_separates_digit_letter_switches() {
        assert_eq!(canonical("1.0rc1"), "1.0.rc.1");
        assert_eq!(canonical("4.3-2RC1"), "4.3.2.RC.1");
        assert_eq!(canonical("1.25.0-beta2.1"), "1.25.0.beta.2.1");
    }

    #[test]
    fn special_forms_order_dev_alpha_beta_rc_release_patch() {
        let ascending = ["1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0pl1"];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Packagist.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn a_trailing_separator_sorts_first_and_equals_itself() {
        // PHP's own `version_compare("1.0-", "1.0-")` is -1; an order must be reflexive.
        assert_eq!(
            Scheme::Packagist.compare("1.0-", "1.0_"),
            Ok(Ordering::Equal)
        );
        assert_eq!(Scheme::Packagist.compare("1.0-", "1.0"), Ok(Ordering::Less));
        assert_eq!(
            Scheme::Packagist.compare("1.0", "1.0-"),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            Scheme::Packagist.compare("1.0.dev", "1.0."),
            Ok(Ordering::Greater)
        );
    }

    #[test]
    fn punctuation_after_a_digit_is_a_component_of_its_own() {
        assert_eq!(canonical("1.0~1"), "1.0.~.1");
        assert_eq!(canonical("1.a~1"), "1.a.1");
        assert_eq!(
            Scheme::Packagist.compare("1.0~1", "1.0-dev"),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn composer_normalisation_drops_v_and_stable() {
        assert_eq!(
            Scheme::Packagist.compare("v1.2.3", "1.2.3"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Packagist.compare("1.2.3-stable", "1.2.3"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Packagist.compare("1.2.3-STABLE", "1.2.3-dev"),
            Ok(Ordering::Greater)
        );
    }
}
