//! RPM versions: `[epoch:]version[-release]`, each part ordered by `rpmvercmp`.

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct RpmVersion {
    epoch: Number,
    version: Box<str>,
    /// rpm orders a missing release before any release, even an empty one (`1 < 1-`).
    release: Option<Box<str>>,
}

impl RpmVersion {
    /// Splits like rpm's `rpmverParse`: the epoch is the digits before a `:` (none, or no digits,
    /// is epoch 0 and the colon stays part of the version), the release follows the last `-`.
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(Scheme::Rpm, text, reason);
        if text.contains(char::is_whitespace) {
            return Err(invalid("a version has no spaces"));
        }
        let (epoch, rest) = match text.split_once(':') {
            Some(("", rest)) => (Number::zero(), rest),
            Some((epoch, rest)) => match Number::parse(epoch) {
                Some(epoch) => (epoch, rest),
                None => (Number::zero(), text),
            },
            None => (Number::zero(), text),
        };
        let (version, release) = match rest.rsplit_once('-') {
            Some((version, release)) => (version, Some(release.into())),
            None => (rest, None),
        };
        if version.is_empty() {
            return Err(invalid("the version part is empty"));
        }
        Ok(Self {
            epoch,
            version: version.into(),
            release,
        })
    }
}

/// `~` and `^` are separators with an order of their own; every other non-alphanumeric byte just
/// separates.
fn is_separator(byte: u8) -> bool {
    !byte.is_ascii_alphanumeric() && byte != b'~' && byte != b'^'
}

/// rpm's `rpmvercmp`.
fn rpmvercmp(left: &str, right: &str) -> Ordering {
    if left == right {
        return Ordering::Equal;
    }
    let (mut left, mut right) = (left.as_bytes(), right.as_bytes());
    while !left.is_empty() || !right.is_empty() {
        left = skip_while(left, is_separator);
        right = skip_while(right, is_separator);

        // `~` sorts before everything, the end of the string included.
        match (left.first(), right.first()) {
            (Some(b'~'), Some(b'~')) => {
                left = left.get(1..).unwrap_or_default();
                right = right.get(1..).unwrap_or_default();
                continue;
            }
            (Some(b'~'), _) => return Ordering::Less,
            (_, Some(b'~')) => return Ordering::Greater,
            _ => {}
        }
        // `^` sorts after the end of the string and before everything else.
        match (left.first(), right.first()) {
            (Some(b'^'), Some(b'^')) => {
                left = left.get(1..).unwrap_or_default();
                right = right.get(1..).unwrap_or_default();
                continue;
            }
            (Some(b'^'), None) => return Ordering::Greater,
            (None, Some(b'^')) => return Ordering::Less,
            (Some(b'^'), _) => return Ordering::Less,
            (_, Some(b'^')) => return Ordering::Greater,
            _ => {}
        }
        let (Some(first), Some(_)) = (left.first(), right.first()) else {
            break;
        };

        let numeric = first.is_ascii_digit();
        let in_segment = |byte: u8| {
            if numeric {
                byte.is_ascii_digit()
            } else {
                byte.is_ascii_alphabetic()
            }
        };
        let (left_segment, left_rest) = split_while(left, in_segment);
        let (right_segment, right_rest) = split_while(right, in_segment);
        if right_segment.is_empty() {
            // A number is newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let ordering = if numeric {
            let trim = |segment: &[u8]| skip_while(segment, |byte| byte == b'0').to_vec();
            let (left_digits, right_digits) = (trim(left_segment), trim(right_segment));
            left_digits
                .len()
                .cmp(&right_digits.len())
                .then_with(|| left_digits.cmp(&right_digits))
        } else {
            left_segment.cmp(right_segment)
        };
        if ordering.is_ne() {
            return ordering;
        }
        left = left_rest;
        right = right_rest;
    }
    // Whichever has something left is newer.
    (!left.is_empty()).cmp(&!right.is_empty())
}

fn skip_while(bytes: &[u8], predicate: impl Fn(u8) -> bool) -> &[u8] {
    split_while(bytes, predicate).1
}

fn split_while(bytes: &[u8], predicate: impl Fn(u8) -> bool) -> (&[u8], &[u8]) {
    let end = bytes
        .iter()
        .position(|byte| !predicate(*byte))
        .unwrap_or(bytes.len());
    bytes.split_at(end)
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(left), Some(right)) => rpmvercmp(left, right),
                (left, right) => left.is_some().cmp(&right.is_some()),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn tilde_sorts_before_and_caret_after_the_base_version() {
        let ascending = ["1.0~rc1", "1.0", "1.0^git1", "1.0a", "1.0.1"];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Rpm.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn separators_are_interchangeable_and_numbers_beat_letters() {
        assert_eq!(Scheme::Rpm.compare("1.0_1", "1.0.1"), Ok(Ordering::Equal));
        assert_eq!(Scheme::Rpm.compare("1.1", "1.a"), Ok(Ordering::Greater));
        assert_eq!(
            Scheme::Rpm.compare("1:1.0-1.el8", "2.0-1.el8"),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            Scheme::Rpm.compare("1.0-1.el8", "1.0-1.el8_2"),
            Ok(Ordering::Less)
        );
    }
}
