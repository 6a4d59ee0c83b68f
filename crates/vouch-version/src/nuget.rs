//! NuGet versions (`NuGet.Versioning.NuGetVersion`): SemVer 2.0 with one to four numeric parts,
//! case-insensitive pre-release labels, and build metadata that never orders.

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct NuGetVersion {
    /// Major, minor, patch and revision; missing parts are zero.
    parts: [Number; 4],
    labels: Vec<Label>,
}

#[derive(Debug, Clone)]
enum Label {
    Numeric(Number),
    Text(Box<str>),
}

impl Label {
    fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Numeric(left), Self::Numeric(right)) => left.cmp(right),
            (Self::Numeric(_), Self::Text(_)) => Ordering::Less,
            (Self::Text(_), Self::Numeric(_)) => Ordering::Greater,
            // NuGet compares labels with `StringComparer.OrdinalIgnoreCase`, which upper-cases.
            (Self::Text(left), Self::Text(right)) => left
                .bytes()
                .map(|byte| byte.to_ascii_uppercase())
                .cmp(right.bytes().map(|byte| byte.to_ascii_uppercase())),
        }
    }
}

impl NuGetVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(Scheme::NuGet, text, reason);
        let is_identifier = |identifier: &str| {
            !identifier.is_empty()
                && identifier
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        };
        let (rest, metadata) = match text.split_once('+') {
            Some((rest, metadata)) => (rest, Some(metadata)),
            None => (text, None),
        };
        if metadata.is_some_and(|metadata| !metadata.split('.').all(is_identifier)) {
            return Err(invalid("build metadata must be dot-separated [0-9A-Za-z-]"));
        }
        let (numbers, labels) = match rest.split_once('-') {
            Some((numbers, labels)) => (numbers, Some(labels)),
            None => (rest, None),
        };

        let mut parts: [Number; 4] = std::array::from_fn(|_| Number::zero());
        for (index, part) in numbers.split('.').enumerate() {
            let slot = parts
                .get_mut(index)
                .ok_or_else(|| invalid("a version has at most four numeric parts"))?;
            *slot = Number::parse(part).ok_or_else(|| invalid("a version part must be digits"))?;
        }

        let labels = match labels {
            Some(labels) => labels
                .split('.')
                .map(|label| {
                    if !is_identifier(label) {
                        return Err(invalid(
                            "a pre-release label must be dot-separated [0-9A-Za-z-]",
                        ));
                    }
                    Ok(Number::parse(label)
                        .map_or_else(|| Label::Text(label.into()), Label::Numeric))
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        Ok(Self { parts, labels })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self
                    .labels
                    .iter()
                    .zip(&other.labels)
                    .map(|(left, right)| left.compare(right))
                    .find(|ordering| ordering.is_ne())
                    .unwrap_or_else(|| self.labels.len().cmp(&other.labels.len())),
            }
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for NuGetVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for NuGetVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn four_part_versions_pad_with_zero_and_labels_ignore_case() {
        assert_eq!(Scheme::NuGet.compare("1.0", "1.0.0.0"), Ok(Ordering::Equal));
        assert_eq!(
            Scheme::NuGet.compare("1.0.0-BETA", "1.0.0-beta"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::NuGet.compare("1.0.0", "1.0.0.1-alpha"),
            Ok(Ordering::Less)
        );
        assert_eq!(
            Scheme::NuGet.compare("1.0.0-2", "1.0.0-10"),
            Ok(Ordering::Less)
        );
        assert_eq!(
            Scheme::NuGet.compare("1.0.0-10", "1.0.0-a"),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn malformed_versions_are_refused() {
        for text in ["1.2.3.4.5", "1..2", "v1.0", "1.0-", "1.0-a..b", "1.0+"] {
            assert!(
                Scheme::NuGet.parse(text).is_err(),
                "{text} should be refused"
            );
        }
    }
}
