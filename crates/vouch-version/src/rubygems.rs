//! RubyGems' `Gem::Version`.

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct GemVersion {
    /// `canonical_segments`: numbers, then from the first letter run on, the pre-release part.
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(Number),
    Letters(Box<str>),
}

impl GemVersion {
    /// Accepts what `Gem::Version.correct?` accepts:
    /// `\s*[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\s*`.
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(Scheme::RubyGems, text, reason);
        // Ruby's `\s`; `str::trim` would also drop Unicode spaces, which Ruby refuses.
        let trimmed = text.trim_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
        let (release, pre_release) = match trimmed.split_once('-') {
            Some((release, pre_release)) => (release, Some(pre_release)),
            None => (trimmed, None),
        };
        let mut release_parts = release.split('.');
        let leading_number = release_parts.next().is_some_and(|first| {
            !first.is_empty() && first.bytes().all(|byte| byte.is_ascii_digit())
        });
        if !leading_number {
            return Err(invalid("a version starts with a number"));
        }
        if !release_parts
            .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_alphanumeric()))
        {
            return Err(invalid(
                "a letter segment must follow a dot (`1.0.a1`, not `1a`), and segments are [0-9a-zA-Z]",
            ));
        }
        let pre_release_well_formed = pre_release.is_none_or(|pre_release| {
            pre_release.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            })
        });
        if !pre_release_well_formed {
            return Err(invalid(
                "the part after `-` must be dot-separated [0-9A-Za-z-]",
            ));
        }

        // RubyGems rewrites `-` as `.pre.`, then scans runs of digits and of letters.
        let rewritten = trimmed.replace('-', ".pre.");
        let mut segments = Vec::new();
        let mut rest = rewritten.as_str();
        while let Some(first) = rest.chars().next() {
            if !first.is_ascii_alphanumeric() {
                rest = rest.get(first.len_utf8()..).unwrap_or_default();
                continue;
            }
            let digits = first.is_ascii_digit();
            let end = rest
                .find(|character: char| {
                    !character.is_ascii_alphanumeric() || character.is_ascii_digit() != digits
                })
                .unwrap_or(rest.len());
            let (run, after) = rest.split_at(end);
            segments.push(
                Number::parse(run).map_or_else(|| Segment::Letters(run.into()), Segment::Number),
            );
            rest = after;
        }

        // `canonical_segments`: trailing zeros go from the release numbers and from the
        // pre-release part separately (`1.0.a.0` is `1.a`).
        let letters_at = segments
            .iter()
            .position(|segment| matches!(segment, Segment::Letters(_)))
            .unwrap_or(segments.len());
        let pre_release = segments.split_off(letters_at);
        let mut canonical = without_trailing_zeros(segments);
        canonical.extend(without_trailing_zeros(pre_release));
        Ok(Self {
            segments: canonical,
        })
    }
}

fn without_trailing_zeros(mut segments: Vec<Segment>) -> Vec<Segment> {
    while segments
        .last()
        .is_some_and(|segment| matches!(segment, Segment::Number(number) if number.is_zero()))
    {
        segments.pop();
    }
    segments
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(Number::zero());
        let length = self.segments.len().max(other.segments.len());
        (0..length)
            .map(|index| {
                let left = self.segments.get(index).unwrap_or(&zero);
                let right = other.segments.get(index).unwrap_or(&zero);
                match (left, right) {
                    (Segment::Number(left), Segment::Number(right)) => left.cmp(right),
                    // Letters make a pre-release, which precedes any number.
                    (Segment::Letters(_), Segment::Number(_)) => Ordering::Less,
                    (Segment::Number(_), Segment::Letters(_)) => Ordering::Greater,
                    (Segment::Letters(left), Segment::Letters(right)) => left.cmp(right),
                }
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn letters_make_a_pre_release_and_hyphen_means_pre() {
        assert_eq!(
            Scheme::RubyGems.compare("1.2.4.beta", "1.2.4"),
            Ok(Ordering::Less)
        );
        assert_eq!(
            Scheme::RubyGems.compare("1.0-a", "1.0.pre.a"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::RubyGems.compare("1.0.a2", "1.0.a.2"),
            Ok(Ordering::Equal)
        );
        assert_eq!(Scheme::RubyGems.compare("1.0.0", "1"), Ok(Ordering::Equal));
    }

    #[test]
    fn malformed_versions_are_refused() {
        for text in ["1beta", "a1", "1..2", "1.0-", "1.0_1", "v1.0"] {
            assert!(
                Scheme::RubyGems.parse(text).is_err(),
                "{text} should be refused"
            );
        }
    }
}
