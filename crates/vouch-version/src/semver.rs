//! SemVer 2.0 and the dialects built on it: strict SemVer, Go modules, node-semver and Dart's
//! pub_semver. They share the grammar and the precedence of <https://semver.org> §11 and differ in
//! what may surround the version and in whether build metadata orders.

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

/// node-semver refuses components above `Number.MAX_SAFE_INTEGER`.
const NPM_MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// node-semver refuses longer version strings before looking at them.
const NPM_MAX_LENGTH: usize = 256;

#[derive(Debug, Clone)]
pub(crate) struct SemVer {
    major: Number,
    minor: Number,
    patch: Number,
    pre_release: Vec<Identifier>,
    /// Kept as written: it orders only in Pub, and tells releases apart in `versions[]`.
    build: Box<str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Identifier {
    Numeric(Number),
    Text(Box<str>),
}

impl Identifier {
    /// Build identifiers: numeric when all digits (leading zeros are allowed there).
    fn classify(identifier: &str) -> Self {
        Number::parse(identifier).map_or_else(|| Self::Text(identifier.into()), Self::Numeric)
    }

    fn compare(&self, other: &Self, scheme: Scheme) -> Ordering {
        match (self, other) {
            (Self::Numeric(left), Self::Numeric(right)) if scheme == Scheme::Npm => {
                // node-semver compares numeric identifiers as JavaScript numbers, which lose
                // precision above 2^53 exactly as f64 does.
                let as_float = |number: &Number| number.as_str().parse::<f64>().unwrap_or(f64::MAX);
                as_float(left).total_cmp(&as_float(right))
            }
            (Self::Numeric(left), Self::Numeric(right)) => left.cmp(right),
            (Self::Numeric(_), Self::Text(_)) => Ordering::Less,
            (Self::Text(_), Self::Numeric(_)) => Ordering::Greater,
            (Self::Text(left), Self::Text(right)) => left.cmp(right),
        }
    }
}

impl SemVer {
    pub(crate) fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(scheme, text, reason);
        let core = match scheme {
            Scheme::Go => text.strip_prefix('v').unwrap_or(text),
            Scheme::Npm => {
                if text.len() > NPM_MAX_LENGTH {
                    return Err(invalid(
                        "node-semver refuses versions longer than 256 bytes",
                    ));
                }
                let trimmed = text.trim();
                trimmed.strip_prefix('v').unwrap_or(trimmed)
            }
            _ => match text.strip_prefix('v') {
                Some(without_v) => {
                    return Err(VersionError::LeadingV {
                        scheme,
                        version: text.to_owned(),
                        without_v: without_v.to_owned(),
                    });
                }
                None => text,
            },
        };

        let (rest, build) = core.split_once('+').unwrap_or((core, ""));
        let (main, pre_release) = match rest.split_once('-') {
            Some((main, pre_release)) => (main, Some(pre_release)),
            None => (rest, None),
        };
        let mut parts = main.split('.');
        let (Some(major), Some(minor), Some(patch), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("expected MAJOR.MINOR.PATCH"));
        };
        let [major, minor, patch] = [major, minor, patch].map(|part| {
            let number = numeric_identifier(part)
                .ok_or_else(|| invalid("a version number must be digits without a leading zero"))?;
            if scheme == Scheme::Npm && !number.at_most(NPM_MAX_SAFE_INTEGER) {
                return Err(invalid("node-semver refuses numbers above 2^53 - 1"));
            }
            Ok(number)
        });
        let (major, minor, patch) = (major?, minor?, patch?);

        let pre_release = match pre_release {
            Some(pre_release) => identifiers(pre_release)
                .map(|identifier| {
                    let identifier = identifier.ok_or_else(|| {
                        invalid("a pre-release identifier must be non-empty [0-9A-Za-z-]")
                    })?;
                    if identifier.bytes().all(|byte| byte.is_ascii_digit()) {
                        numeric_identifier(identifier)
                            .map(Identifier::Numeric)
                            .ok_or_else(|| {
                                invalid("a numeric pre-release identifier has a leading zero")
                            })
                    } else {
                        Ok(Identifier::Text(identifier.into()))
                    }
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };

        if core.contains('+') && identifiers(build).any(|identifier| identifier.is_none()) {
            return Err(invalid(
                "a build metadata identifier must be non-empty [0-9A-Za-z-]",
            ));
        }
        if scheme == Scheme::Go && !build.is_empty() {
            // Go allows one build suffix, marking a v2+ module without a go.mod.
            if build != "incompatible" || matches!(major.as_str(), "0" | "1") {
                return Err(invalid(
                    "the only Go build suffix is `+incompatible`, and only from v2 on",
                ));
            }
        }

        Ok(Self {
            major,
            minor,
            patch,
            pre_release,
            build: build.into(),
        })
    }

    /// SemVer precedence; Pub then orders build metadata (none first, then part by part).
    pub(crate) fn compare(&self, other: &Self, scheme: Scheme) -> Ordering {
        let precedence = (&self.major, &self.minor, &self.patch)
            .cmp(&(&other.major, &other.minor, &other.patch))
            .then_with(|| {
                match (self.pre_release.is_empty(), other.pre_release.is_empty()) {
                    (true, true) => Ordering::Equal,
                    // A pre-release precedes its release.
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => {
                        compare_identifiers(&self.pre_release, &other.pre_release, scheme)
                    }
                }
            });
        if scheme != Scheme::Pub {
            return precedence;
        }
        precedence.then_with(|| {
            let parts = |build: &str| {
                if build.is_empty() {
                    Vec::new()
                } else {
                    build.split('.').map(Identifier::classify).collect()
                }
            };
            compare_identifiers(&parts(&self.build), &parts(&other.build), scheme)
        })
    }

    pub(crate) fn same_build(&self, other: &Self) -> bool {
        self.build == other.build
    }
}

/// Identifier lists compare pairwise; when one is a prefix of the other, the shorter is less.
fn compare_identifiers(left: &[Identifier], right: &[Identifier], scheme: Scheme) -> Ordering {
    left.iter()
        .zip(right)
        .map(|(left, right)| left.compare(right, scheme))
        .find(|ordering| ordering.is_ne())
        .unwrap_or_else(|| left.len().cmp(&right.len()))
}

/// The dot-separated identifiers of a pre-release or build part; `None` for an empty or
/// ill-formed one.
fn identifiers(part: &str) -> impl Iterator<Item = Option<&str>> {
    part.split('.').map(|identifier| {
        let well_formed = !identifier.is_empty()
            && identifier
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
        well_formed.then_some(identifier)
    })
}

/// `0|[1-9][0-9]*`.
fn numeric_identifier(digits: &str) -> Option<Number> {
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    Number::parse(digits)
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::{Scheme, VersionError};

    #[test]
    fn strict_semver_refuses_a_leading_v_and_says_what_would_parse() {
        assert_eq!(
            Scheme::SemVer
                .parse("v1.2.3")
                .map(|version| version.to_string()),
            Err(VersionError::LeadingV {
                scheme: Scheme::SemVer,
                version: "v1.2.3".to_owned(),
                without_v: "1.2.3".to_owned(),
            })
        );
    }

    #[test]
    fn strict_semver_refuses_what_the_grammar_refuses() {
        for text in [
            "1.2",
            "1.2.3.4",
            "01.2.3",
            "1.2.3-01",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            " 1.2.3",
        ] {
            assert!(
                matches!(
                    Scheme::SemVer.parse(text),
                    Err(VersionError::Invalid { .. })
                ),
                "{text} should be refused"
            );
        }
    }

    #[test]
    fn build_metadata_is_ignored_except_in_pub() {
        assert_eq!(
            Scheme::SemVer.compare("1.0.0+a", "1.0.0+b"),
            Ok(Ordering::Equal)
        );
        assert_eq!(Scheme::Pub.compare("1.0.0", "1.0.0+b"), Ok(Ordering::Less));
        assert_eq!(
            Scheme::Pub.compare("1.0.0+2", "1.0.0+10"),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn rustsec_lowest_pre_release_sorts_before_every_release() {
        assert_eq!(
            Scheme::SemVer.compare("0.0.0-0", "0.0.0"),
            Ok(Ordering::Less)
        );
        assert_eq!(
            Scheme::SemVer.compare("0.0.0-0", "0.0.0-alpha"),
            Ok(Ordering::Less)
        );
    }

    #[test]
    fn go_accepts_the_v_prefix_incompatible_and_pseudo_versions() {
        assert_eq!(Scheme::Go.compare("v1.2.3", "1.2.3"), Ok(Ordering::Equal));
        assert_eq!(
            Scheme::Go.compare("v2.0.0+incompatible", "v2.0.1"),
            Ok(Ordering::Less)
        );
        // A pseudo-version derived from v1.2.3 is a pre-release of v1.2.4.
        let pseudo = "v1.2.4-0.20240102150405-abcdefabcdef";
        assert_eq!(Scheme::Go.compare("v1.2.3", pseudo), Ok(Ordering::Less));
        assert_eq!(Scheme::Go.compare(pseudo, "v1.2.4"), Ok(Ordering::Less));
        assert_eq!(
            Scheme::Go.compare(pseudo, "v1.2.4-0.20240102150406-000000000000"),
            Ok(Ordering::Less)
        );
        assert!(Scheme::Go.parse("v1.2.3+build").is_err());
        assert!(Scheme::Go.parse("v1.2.3+incompatible").is_err());
    }

    #[test]
    fn npm_trims_takes_one_v_and_refuses_unsafe_integers() {
        assert_eq!(
            Scheme::Npm.compare(" v1.2.3 ", "1.2.3"),
            Ok(Ordering::Equal)
        );
        assert!(Scheme::Npm.parse("V1.2.3").is_err());
        assert!(Scheme::Npm.parse("=1.2.3").is_err());
        assert!(Scheme::Npm.parse("9007199254740992.0.0").is_err());
        assert!(Scheme::Npm.parse("9007199254740991.0.0").is_ok());
    }
}
