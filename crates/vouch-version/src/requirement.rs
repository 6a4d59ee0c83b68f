//! Declared requirements: the version ranges a manifest allows (`serde = "^1.0"` in Cargo.toml,
//! `"lodash": "~4.17"` in package.json, `requests>=2.8,<3` in pyproject.toml), each read by the
//! parser its package manager uses, so that "does this version stay inside what the manifest
//! allows?" gets the package manager's answer.
//!
//! Requirement syntaxes are not version orders: Hex and SwiftURL share SemVer's order with
//! crates.io but write requirements their own way. The mapping is therefore explicit and short,
//! see [`RequirementSyntax`]; everything else is [`RequirementError::Unsupported`].
//!
//! ```
//! use vouch_version::Scheme;
//! use vouch_version::requirement::Requirement;
//!
//! let requirement = Requirement::parse(Scheme::SemVer, "^1.2")?;
//! assert!(requirement.allows("1.9.0")?);
//! assert!(!requirement.allows("2.0.0")?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;

mod npm;

use crate::{Scheme, VersionError};

/// The requirement language of a package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequirementSyntax {
    /// Cargo's version requirements, read by the `semver` crate that Cargo itself uses: a bare
    /// version is a caret requirement, and a pre-release matches only a comparator naming a
    /// pre-release of the same `major.minor.patch`.
    Cargo,
    /// node-semver ranges (`^`, `~`, x-ranges, hyphen ranges, `||`), as `semver.satisfies`
    /// reads them without the `loose` and `includePrerelease` options: a pre-release matches
    /// only a comparator naming a pre-release of the same `major.minor.patch`.
    Npm,
    /// PEP 440 version specifier sets (`>=1.0,<2`, `~=1.4.2`, `==1.*`, `!=`, `===`). A
    /// pre-release is allowed when the specifiers allow it: for a single version there is no
    /// final release to prefer, as `packaging`'s `SpecifierSet.contains` decides since 26.0.
    Pep440,
}

impl RequirementSyntax {
    /// The syntax of the OSV ecosystem `ecosystem`: `crates.io` → Cargo, `npm` → npm, `PyPI` →
    /// PEP 440.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Result<Self, RequirementError> {
        match ecosystem {
            "crates.io" => Ok(Self::Cargo),
            "npm" => Ok(Self::Npm),
            "PyPI" => Ok(Self::Pep440),
            _ => Err(RequirementError::Unsupported {
                what: format!("the OSV ecosystem `{ecosystem}`"),
            }),
        }
    }

    /// The syntax for versions of `scheme`: [`Scheme::SemVer`] → Cargo, [`Scheme::Npm`] → npm,
    /// [`Scheme::PyPI`] → PEP 440. SemVer also orders Hex and SwiftURL versions, whose
    /// requirements are not Cargo's: callers that know the ecosystem should ask
    /// [`RequirementSyntax::for_osv_ecosystem`] instead.
    pub fn for_scheme(scheme: Scheme) -> Result<Self, RequirementError> {
        match scheme {
            Scheme::SemVer => Ok(Self::Cargo),
            Scheme::Npm => Ok(Self::Npm),
            Scheme::PyPI => Ok(Self::Pep440),
            _ => Err(RequirementError::Unsupported {
                what: format!("{scheme} versions"),
            }),
        }
    }

    /// The version scheme this syntax's versions follow.
    pub fn scheme(self) -> Scheme {
        match self {
            Self::Cargo => Scheme::SemVer,
            Self::Npm => Scheme::Npm,
            Self::Pep440 => Scheme::PyPI,
        }
    }

    /// The syntax's name, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cargo => "Cargo",
            Self::Npm => "npm",
            Self::Pep440 => "PEP 440",
        }
    }
}

impl fmt::Display for RequirementSyntax {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// Why a requirement could not be read or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequirementError {
    #[error(
        "no requirement syntax is known for {what}; only Cargo (crates.io), npm and PEP 440 (PyPI) \
         requirements are read"
    )]
    Unsupported { what: String },
    #[error("`{requirement}` is not a valid {syntax} requirement: {reason}")]
    Invalid {
        syntax: RequirementSyntax,
        requirement: String,
        reason: String,
    },
}

/// A parsed requirement of one [`RequirementSyntax`].
#[derive(Debug, Clone)]
pub struct Requirement {
    syntax: RequirementSyntax,
    text: Box<str>,
    parsed: Parsed,
}

#[derive(Debug, Clone)]
enum Parsed {
    Cargo(semver::VersionReq),
    Npm(npm::Range),
    Pep440(Vec<Pep440Clause>),
}

/// One comma-separated clause of a PEP 440 specifier set.
#[derive(Debug, Clone)]
enum Pep440Clause {
    /// `===text`: string equality, case-insensitive, for versions PEP 440 cannot parse; uv
    /// refuses those, `packaging` does not.
    Arbitrary(String),
    Specifier(uv_pep440::VersionSpecifier),
}

impl Requirement {
    /// Parses `text` in the requirement syntax of `scheme` (see [`RequirementSyntax::for_scheme`]).
    pub fn parse(scheme: Scheme, text: &str) -> Result<Self, RequirementError> {
        Self::parse_as(RequirementSyntax::for_scheme(scheme)?, text)
    }

    /// Parses `text` in `syntax`.
    pub fn parse_as(syntax: RequirementSyntax, text: &str) -> Result<Self, RequirementError> {
        let invalid = |reason: String| RequirementError::Invalid {
            syntax,
            requirement: text.to_owned(),
            reason,
        };
        let parsed = match syntax {
            RequirementSyntax::Cargo => Parsed::Cargo(
                semver::VersionReq::parse(text).map_err(|error| invalid(error.to_string()))?,
            ),
            RequirementSyntax::Npm => Parsed::Npm(
                npm::Range::parse(text)
                    .map_err(|npm::Invalid| invalid("node-semver does not read it".to_owned()))?,
            ),
            RequirementSyntax::Pep440 => Parsed::Pep440(parse_pep440(text).map_err(invalid)?),
        };
        Ok(Self {
            syntax,
            text: text.into(),
            parsed,
        })
    }

    pub fn syntax(&self) -> RequirementSyntax {
        self.syntax
    }

    /// The text the requirement was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether `version` satisfies the requirement. Fails when `version` is not a valid version
    /// of the syntax's [`scheme`](RequirementSyntax::scheme) as its package manager reads it.
    pub fn allows(&self, version: &str) -> Result<bool, VersionError> {
        let scheme = self.syntax.scheme();
        let invalid = |reason: &str| VersionError::invalid(scheme, version, reason);
        match &self.parsed {
            Parsed::Cargo(requirement) => {
                let version =
                    semver::Version::parse(version).map_err(|error| invalid(&error.to_string()))?;
                Ok(requirement.matches(&version))
            }
            Parsed::Npm(range) => Ok(range.satisfied_by(&Scheme::Npm.parse(version)?)),
            Parsed::Pep440(clauses) => {
                let parsed = crate::pypi::parse(version)?;
                Ok(clauses.iter().all(|clause| match clause {
                    Pep440Clause::Arbitrary(text) => text.eq_ignore_ascii_case(version.trim()),
                    Pep440Clause::Specifier(specifier) => pep440_contains(specifier, &parsed),
                }))
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

/// `packaging`'s `SpecifierSet`: clauses separated by commas, empty ones ignored.
fn parse_pep440(text: &str) -> Result<Vec<Pep440Clause>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
        .map(|clause| match clause.strip_prefix("===") {
            Some(arbitrary) => {
                let arbitrary = arbitrary.trim_start();
                if arbitrary.contains(|character: char| {
                    character.is_whitespace() || matches!(character, ';' | ')')
                }) {
                    Err(format!("`{clause}` compares with more than one word"))
                } else {
                    Ok(Pep440Clause::Arbitrary(arbitrary.to_owned()))
                }
            }
            None => uv_pep440::VersionSpecifier::from_str(clause)
                .map(Pep440Clause::Specifier)
                .map_err(|error| first_line(&error.to_string())),
        })
        .collect()
}

/// Whether `version` satisfies `specifier` as `packaging` (26.0 and later) decides, which reads
/// PEP 440's exclusions literally: `>V` excludes the post-releases of V itself (`>1.0a1` allows
/// `1.0rc1.post1`; `>1.0.dev0` allows `1.0.post1`), and `<V` the pre-releases of V itself
/// (`<1.0.post1` allows `1.0a1` but not `1.0.post1.dev0`). uv, like `packaging` before 26.0,
/// compares only the release numbers there.
fn pep440_contains(specifier: &uv_pep440::VersionSpecifier, version: &uv_pep440::Version) -> bool {
    let bound = specifier.version();
    match specifier.operator() {
        uv_pep440::Operator::GreaterThan => {
            // Past a dev- or post-release only its local versions remain V's; past a final or
            // pre-release, every post-release of it (and their local versions) does.
            let in_family = if bound.dev().is_some() || bound.post().is_some() {
                &version.clone().without_local() == bound
            } else {
                version.epoch() == bound.epoch()
                    && version.only_release() == bound.only_release()
                    && version.pre() == bound.pre()
            };
            version > bound && !in_family
        }
        uv_pep440::Operator::LessThan if !bound.any_prerelease() => {
            // V's earliest pre-release is V.dev0.
            match uv_pep440::Version::from_str(&format!("{}.dev0", bound.clone().without_local())) {
                Ok(earliest) => version < &earliest,
                Err(_) => specifier.contains(version),
            }
        }
        _ => specifier.contains(version),
    }
}

/// uv renders its parse errors over several lines, the input underlined; messages here are one
/// line and name the input themselves.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Asserts, for each `(version, allowed)`, what `requirement` in `syntax` answers.
    fn assert_allows(syntax: RequirementSyntax, requirement: &str, cases: &[(&str, bool)]) {
        let parsed = Requirement::parse_as(syntax, requirement)
            .unwrap_or_else(|error| panic!("{requirement}: {error}"));
        for (version, allowed) in cases {
            assert_eq!(
                parsed.allows(version),
                Ok(*allowed),
                "{syntax} `{requirement}` with {version}"
            );
        }
    }

    #[test]
    fn cargo_bare_versions_are_caret_requirements() {
        let cases = [
            ("1.2.0", true),
            ("1.9.9", true),
            ("1.1.9", false),
            ("2.0.0", false),
        ];
        assert_allows(RequirementSyntax::Cargo, "1.2", &cases);
        assert_allows(RequirementSyntax::Cargo, "^1.2", &cases);
        assert_allows(
            RequirementSyntax::Cargo,
            "0.2.3",
            &[("0.2.3", true), ("0.2.9", true), ("0.3.0", false)],
        );
        assert_allows(
            RequirementSyntax::Cargo,
            "0.0.3",
            &[("0.0.3", true), ("0.0.4", false)],
        );
    }

    #[test]
    fn cargo_tilde_exact_wildcard_and_comma_requirements() {
        assert_allows(
            RequirementSyntax::Cargo,
            "~1.2.3",
            &[("1.2.3", true), ("1.2.9", true), ("1.3.0", false)],
        );
        assert_allows(
            RequirementSyntax::Cargo,
            "=1",
            &[("1.0.0", true), ("1.9.0", true), ("2.0.0", false)],
        );
        assert_allows(
            RequirementSyntax::Cargo,
            ">=1, <2",
            &[
                ("0.9.0", false),
                ("1.0.0", true),
                ("1.99.0", true),
                ("2.0.0", false),
            ],
        );
        assert_allows(
            RequirementSyntax::Cargo,
            "*",
            &[("0.0.1", true), ("9.0.0", true)],
        );
    }

    #[test]
    fn cargo_pre_releases_match_only_a_pre_release_comparator_of_their_version() {
        assert_allows(
            RequirementSyntax::Cargo,
            "^1.2",
            &[("1.3.0-beta.1", false), ("1.2.0-rc.1", false)],
        );
        assert_allows(
            RequirementSyntax::Cargo,
            ">=1.2.0-alpha.1, <2",
            &[
                ("1.2.0-beta", true),
                ("1.2.0-alpha.0", false),
                ("1.3.0-beta", false),
            ],
        );
        assert_allows(RequirementSyntax::Cargo, "*", &[("1.0.0-alpha", false)]);
    }

    #[test]
    fn npm_ranges_follow_node_semver() {
        assert_allows(
            RequirementSyntax::Npm,
            "^0.2.3 || 1.x",
            &[
                ("0.2.9", true),
                ("0.3.0", false),
                ("1.4.0", true),
                ("2.0.0", false),
            ],
        );
        assert_allows(
            RequirementSyntax::Npm,
            "1.2.3 - 2.3",
            &[
                ("1.2.2", false),
                ("1.2.3", true),
                ("2.3.9", true),
                ("2.4.0", false),
            ],
        );
        assert_allows(
            RequirementSyntax::Npm,
            ">=1.2.0 <1.3.0-0",
            &[("1.2.7", true), ("1.3.0-0", false)],
        );
        assert_allows(
            RequirementSyntax::Npm,
            "~1.2.3-beta.2",
            &[
                ("1.2.3-beta.4", true),
                ("1.2.4-beta.4", false),
                ("1.2.9", true),
            ],
        );
        // An x in the upper end of a hyphen range leaves that end open.
        assert_allows(
            RequirementSyntax::Npm,
            "1.0.0 - 2.x",
            &[("2.9.9", true), ("3.0.0", false)],
        );
        assert_allows(RequirementSyntax::Npm, "<=x", &[("7.0.0", true)]);
        assert_allows(
            RequirementSyntax::Npm,
            "",
            &[("0.0.1", true), ("1.0.0-rc.1", false)],
        );
        // JavaScript white space: U+FEFF and U+3000 are space, U+0085 is not.
        assert_allows(RequirementSyntax::Npm, "\u{feff}^1.2.3", &[("1.5.0", true)]);
        assert_allows(
            RequirementSyntax::Npm,
            ">=\u{3000}1.0.0",
            &[("1.5.0", true)],
        );
        assert!(Requirement::parse_as(RequirementSyntax::Npm, "^1.2.3\u{85}").is_err());
        // `*` in a union wins over every other part, even one naming a pre-release.
        assert_allows(
            RequirementSyntax::Npm,
            "* || 1.0.0-rc.1",
            &[("1.0.0-rc.1", false)],
        );
    }

    #[test]
    fn pep440_specifier_sets() {
        assert_allows(
            RequirementSyntax::Pep440,
            ">=1.0,<2",
            &[
                ("0.9", false),
                ("1.0", true),
                ("1.9.9", true),
                ("2.0", false),
                ("2.0rc1", false),
            ],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "~=1.4.2",
            &[("1.4.2", true), ("1.4.9", true), ("1.5", false)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "==1.*, !=1.3",
            &[("1.0", true), ("1.3.0", false), ("2.0", false)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "===1.0+Local",
            &[("1.0+local", true), ("1.0", false)],
        );
        // A pre-release satisfies a range it falls into: there is no final release to prefer.
        assert_allows(RequirementSyntax::Pep440, ">=1", &[("1.1a1", true)]);
    }

    #[test]
    fn pep440_exclusive_bounds_exclude_only_the_bounds_own_post_and_pre_releases() {
        assert_allows(
            RequirementSyntax::Pep440,
            ">1.0",
            &[("1.0.post1", false), ("1.0+local", false), ("1.0.1", true)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            ">1.0a1",
            &[("1.0a1.post1", false), ("1.0rc1.post1", true)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            ">1.0.dev0",
            &[("1.0.dev0+local", false), ("1.0.post1", true)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "<1.0",
            &[("1.0rc1", false), ("1.0.dev0", false), ("0.9.post1", true)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "<1.0.post1",
            &[("1.0.post1.dev0", false), ("1.0a1", true), ("1.0", true)],
        );
        assert_allows(
            RequirementSyntax::Pep440,
            "<1.0rc1",
            &[("1.0a1", true), ("1.0rc1", false)],
        );
    }

    #[test]
    fn invalid_requirements_and_versions_say_what_and_why() {
        // Cargo separates comparators with commas, npm with spaces.
        let Err(RequirementError::Invalid {
            syntax,
            requirement,
            reason,
        }) = Requirement::parse(Scheme::SemVer, ">=1.0 <2")
        else {
            panic!("a space-separated Cargo requirement is refused");
        };
        assert_eq!(
            (syntax, requirement.as_str()),
            (RequirementSyntax::Cargo, ">=1.0 <2")
        );
        assert!(reason.contains("comma"), "{reason}");
        assert!(matches!(
            Requirement::parse(Scheme::Npm, "1.x.2"),
            Err(RequirementError::Invalid {
                syntax: RequirementSyntax::Npm,
                ..
            })
        ));
        assert!(matches!(
            Requirement::parse(Scheme::PyPI, "~=1"),
            Err(RequirementError::Invalid {
                syntax: RequirementSyntax::Pep440,
                ..
            })
        ));
        let Ok(requirement) = Requirement::parse(Scheme::SemVer, "^1") else {
            panic!("^1 is a Cargo requirement");
        };
        assert!(matches!(
            requirement.allows("v1.0.0"),
            Err(VersionError::Invalid {
                scheme: Scheme::SemVer,
                ..
            })
        ));
    }

    #[test]
    fn only_cargo_npm_and_pep440_syntaxes_are_known() {
        assert_eq!(
            RequirementSyntax::for_osv_ecosystem("crates.io"),
            Ok(RequirementSyntax::Cargo)
        );
        assert_eq!(
            RequirementSyntax::for_osv_ecosystem("npm"),
            Ok(RequirementSyntax::Npm)
        );
        assert_eq!(
            RequirementSyntax::for_osv_ecosystem("PyPI"),
            Ok(RequirementSyntax::Pep440)
        );
        for ecosystem in ["Hex", "Go", "Maven", "pypi"] {
            assert!(matches!(
                RequirementSyntax::for_osv_ecosystem(ecosystem),
                Err(RequirementError::Unsupported { .. })
            ));
        }
        for scheme in Scheme::ALL {
            let expected = match scheme {
                Scheme::SemVer => Some(RequirementSyntax::Cargo),
                Scheme::Npm => Some(RequirementSyntax::Npm),
                Scheme::PyPI => Some(RequirementSyntax::Pep440),
                _ => None,
            };
            assert_eq!(
                RequirementSyntax::for_scheme(scheme).ok(),
                expected,
                "{scheme}"
            );
            if let Some(syntax) = expected {
                assert_eq!(syntax.scheme(), scheme);
            }
        }
        assert_eq!(
            Requirement::parse(Scheme::Maven, "[1.0,2.0)").map(|requirement| requirement.text),
            Err(RequirementError::Unsupported {
                what: "Maven versions".to_owned()
            })
        );
    }

    proptest! {
        /// Any requirement and version text is read or refused, never a panic.
        #[test]
        fn any_input_parses_or_is_refused(
            requirement in "[ 0-9xX*^~<>=!,|.a-z+-]{0,24}",
            version in "[ 0-9a-z.+-]{0,12}",
        ) {
            for syntax in [RequirementSyntax::Cargo, RequirementSyntax::Npm, RequirementSyntax::Pep440] {
                if let Ok(parsed) = Requirement::parse_as(syntax, &requirement) {
                    let _ = parsed.allows(&version);
                }
            }
        }
    }
}
