//! Debian versions as dpkg parses (`parseversion`) and orders (`verrevcmp`) them.
//!
//! dpkg only warns about an upstream version that does not start with a digit or that holds a
//! character outside `[A-Za-z0-9.+~:-]`; those are refused here, since their order is whatever
//! the byte values give and no archive accepts them.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone)]
pub(crate) struct DebianVersion {
    epoch: u32,
    upstream: Box<str>,
    /// Empty when absent, which orders like `0`.
    revision: Box<str>,
}

impl DebianVersion {
    pub(crate) fn parse(text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(Scheme::Debian, text, reason);
        let version = text.trim();
        if version.is_empty() {
            return Err(invalid("the version is empty"));
        }
        if version.contains(char::is_whitespace) {
            return Err(invalid("a version has no embedded spaces"));
        }
        let (epoch, rest) = match version.split_once(':') {
            Some((epoch, rest)) => {
                if epoch.is_empty() || !epoch.bytes().all(|byte| byte.is_ascii_digit()) {
                    return Err(invalid("the epoch must be a number"));
                }
                let epoch = epoch
                    .parse::<u32>()
                    .ok()
                    .filter(|epoch| i32::try_from(*epoch).is_ok())
                    .ok_or_else(|| invalid("the epoch is too big"))?;
                if rest.is_empty() {
                    return Err(invalid("nothing after the epoch's colon"));
                }
                (epoch, rest)
            }
            None => (0, version),
        };
        let (upstream, revision) = match rest.rsplit_once('-') {
            Some((_, "")) => return Err(invalid("the revision after `-` is empty")),
            Some((upstream, revision)) => (upstream, revision),
            None => (rest, ""),
        };
        if !upstream.starts_with(|character: char| character.is_ascii_digit()) {
            return Err(invalid("the upstream version must start with a digit"));
        }
        let allowed = |part: &str, extra: &[u8]| {
            part.bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || extra.contains(&byte))
        };
        if !allowed(upstream, b".-+~:") {
            return Err(invalid(
                "the upstream version holds a character outside [A-Za-z0-9.+~:-]",
            ));
        }
        if !allowed(revision, b".+~") {
            return Err(invalid(
                "the revision holds a character outside [A-Za-z0-9.+~]",
            ));
        }
        Ok(Self {
            epoch,
            upstream: upstream.into(),
            revision: revision.into(),
        })
    }
}

/// dpkg's character weight outside digit runs: `~` first, then the end of the string, then
/// letters, then everything else.
fn weight(byte: Option<u8>) -> i32 {
    match byte {
        None => 0,
        Some(byte) if byte.is_ascii_digit() => 0,
        Some(byte) if byte.is_ascii_alphabetic() => i32::from(byte),
        Some(b'~') => -1,
        Some(byte) => i32::from(byte) + 256,
    }
}

/// dpkg's `verrevcmp`: alternate non-digit runs (compared by [`weight`]) and digit runs
/// (compared as numbers).
fn verrevcmp(left: &str, right: &str) -> Ordering {
    let (left, right) = (left.as_bytes(), right.as_bytes());
    let (mut index_left, mut index_right) = (0, 0);
    let is_digit = |byte: Option<&u8>| byte.is_some_and(u8::is_ascii_digit);
    while index_left < left.len() || index_right < right.len() {
        while left
            .get(index_left)
            .is_some_and(|byte| !byte.is_ascii_digit())
            || right
                .get(index_right)
                .is_some_and(|byte| !byte.is_ascii_digit())
        {
            let ordering =
                weight(left.get(index_left).copied()).cmp(&weight(right.get(index_right).copied()));
            if ordering.is_ne() {
                return ordering;
            }
            index_left += 1;
            index_right += 1;
        }
        while left.get(index_left) == Some(&b'0') {
            index_left += 1;
        }
        while right.get(index_right) == Some(&b'0') {
            index_right += 1;
        }
        let mut first_difference = Ordering::Equal;
        while is_digit(left.get(index_left)) && is_digit(right.get(index_right)) {
            if first_difference.is_eq() {
                first_difference = left.get(index_left).cmp(&right.get(index_right));
            }
            index_left += 1;
            index_right += 1;
        }
        if is_digit(left.get(index_left)) {
            return Ordering::Greater;
        }
        if is_digit(right.get(index_right)) {
            return Ordering::Less;
        }
        if first_difference.is_ne() {
            return first_difference;
        }
    }
    Ordering::Equal
}

impl Ord for DebianVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(&self.upstream, &other.upstream))
            .then_with(|| verrevcmp(&self.revision, &other.revision))
    }
}

impl PartialOrd for DebianVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DebianVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DebianVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn tilde_sorts_before_everything_even_the_end() {
        let ascending = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a", "1.0+", "1.0.1"];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Debian.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn epoch_outranks_upstream_and_missing_revision_is_zero() {
        assert_eq!(
            Scheme::Debian.compare("1:0.1", "9.9"),
            Ok(Ordering::Greater)
        );
        assert_eq!(
            Scheme::Debian.compare("1.0", "0:1.0-0"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Debian.compare("1.0-1", "1.0-1ubuntu1"),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn malformed_versions_are_refused() {
        for text in [
            "a1.0", "1.0-", ":1.0", "x:1.0", "1:", "1.0 1", "1.0_1", "1.0-1:2",
        ] {
            assert!(
                Scheme::Debian.parse(text).is_err(),
                "{text} should be refused"
            );
        }
    }
}
