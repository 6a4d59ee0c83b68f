//! Version parsing, ordering and OSV range evaluation, one [`Scheme`] per ecosystem family.
//!
//! Every ecosystem orders versions its own way (`1.0 == 1.0.0` in PyPI and Maven but not in
//! SemVer, `~` sorts before the empty string in dpkg and RPM, `1.0-dev < 1.0a1` in Composer), and
//! an advisory matcher that guesses gets both false positives and misses. Each scheme here follows
//! the ecosystem's own implementation and refuses input that implementation would refuse.
//!
//! ```
//! use std::cmp::Ordering;
//! use vouch_version::Scheme;
//!
//! let scheme = Scheme::for_osv_ecosystem("Debian:12").expect("Debian is known");
//! assert_eq!(scheme.compare("1.2.3-1~deb7u1", "1.2.3-1")?, Ordering::Less);
//! # Ok::<(), vouch_version::VersionError>(())
//! ```

mod alpine;
mod debian;
mod maven;
mod nuget;
mod number;
mod numeric;
mod packagist;
mod pypi;
mod range;
pub mod requirement;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;

pub use range::{Event, Range, RangeError, RangeKind, is_affected, range_holds};

/// The ordering rules of one family of ecosystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0 precedence, build metadata ignored: crates.io, Hex, SwiftURL and OSV `SEMVER`
    /// ranges. Strict: a leading `v` is refused with [`VersionError::LeadingV`].
    SemVer,
    /// Go module versions: SemVer with an optional leading `v` (module versions carry it, OSV
    /// events do not), `+incompatible`, and pseudo-versions, which order as pre-releases.
    Go,
    /// node-semver: SemVer 2.0 plus surrounding whitespace and one leading `v`; components above
    /// 2^53 - 1 are refused, as node-semver refuses them.
    Npm,
    /// Dart's pub_semver: SemVer precedence, then build metadata (`1.0.0 < 1.0.0+1`).
    Pub,
    /// PEP 440: epochs, pre-, post- and dev-releases, local versions.
    PyPI,
    /// Maven's `ComparableVersion`: qualifiers, `-` versus `.` items, padding.
    Maven,
    /// NuGet: SemVer 2.0 with up to four numeric parts and case-insensitive pre-release labels.
    NuGet,
    /// RubyGems' `Gem::Version`: segments, and a letter makes a pre-release.
    RubyGems,
    /// Composer's `version_compare` normalisation: `dev < alpha < beta < RC < # < pl`.
    Packagist,
    /// dpkg: epoch, upstream version, revision; `~` sorts before everything.
    Debian,
    /// rpmvercmp: epoch, version, release; `~` sorts before and `^` after the base version.
    Rpm,
    /// apk-tools: numbers, one letter, `_alpha` to `_p` suffixes, `-rN` package release.
    Alpine,
    /// R's `package_version`: numeric components separated by `.` or `-` (CRAN, Bioconductor).
    Cran,
    /// Cabal: numeric components separated by `.`.
    Hackage,
    /// No ordering at all: two versions are equal when their text is, and anything else is a
    /// [`VersionError::Unordered`] error. For ecosystems whose order is not known.
    Exact,
}

impl Scheme {
    /// Every scheme, for iteration in tests and tools.
    pub const ALL: [Self; 15] = [
        Self::SemVer,
        Self::Go,
        Self::Npm,
        Self::Pub,
        Self::PyPI,
        Self::Maven,
        Self::NuGet,
        Self::RubyGems,
        Self::Packagist,
        Self::Debian,
        Self::Rpm,
        Self::Alpine,
        Self::Cran,
        Self::Hackage,
        Self::Exact,
    ];

    /// The scheme of an OSV `affected[].package.ecosystem`, e.g. `PyPI` or `Debian:12`.
    ///
    /// Names are case-sensitive, as OSV's are. A `:release` suffix is accepted only for the
    /// distributions that scope advisories by release. Ecosystems OSV knows but whose versions
    /// have no usable order (`Linux`, `OSS-Fuzz`, `GitHub Actions`, ...) map to [`Scheme::Exact`];
    /// unknown names give `None`.
    pub fn for_osv_ecosystem(ecosystem: &str) -> Option<Self> {
        let (base, release) = match ecosystem.split_once(':') {
            Some((base, release)) => (base, Some(release)),
            None => (ecosystem, None),
        };
        let (scheme, takes_release) = match base {
            "crates.io" | "Hex" | "SwiftURL" => (Self::SemVer, false),
            "Go" => (Self::Go, false),
            "npm" => (Self::Npm, false),
            "Pub" => (Self::Pub, false),
            "PyPI" => (Self::PyPI, false),
            "Maven" => (Self::Maven, false),
            "NuGet" => (Self::NuGet, false),
            "RubyGems" => (Self::RubyGems, false),
            "Packagist" => (Self::Packagist, false),
            "CRAN" | "Bioconductor" => (Self::Cran, false),
            "Hackage" | "GHC" => (Self::Hackage, false),
            "Debian" | "Ubuntu" => (Self::Debian, true),
            "Alpine" | "Wolfi" | "Chainguard" | "MinimOS" => (Self::Alpine, true),
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "openEuler"
            | "Mageia" => (Self::Rpm, true),
            "Linux" | "OSS-Fuzz" | "GitHub Actions" | "Bitnami" | "ConanCenter" => {
                (Self::Exact, false)
            }
            _ => return None,
        };
        match release {
            Some(release) if !takes_release || release.is_empty() => None,
            _ => Some(scheme),
        }
    }

    /// Parses `text` as a version of this scheme.
    pub fn parse(self, text: &str) -> Result<Version, VersionError> {
        if text.is_empty() {
            return Err(VersionError::invalid(self, text, "the version is empty"));
        }
        let parsed = match self {
            Self::SemVer | Self::Go | Self::Npm | Self::Pub => {
                Parsed::SemVer(semver::SemVer::parse(self, text)?)
            }
            Self::PyPI => Parsed::PyPI(pypi::parse(text)?),
            Self::Maven => Parsed::Maven(maven::MavenVersion::parse(text)),
            Self::NuGet => Parsed::NuGet(nuget::NuGetVersion::parse(text)?),
            Self::RubyGems => Parsed::RubyGems(rubygems::GemVersion::parse(text)?),
            Self::Packagist => Parsed::Packagist(packagist::ComposerVersion::parse(text)?),
            Self::Debian => Parsed::Debian(debian::DebianVersion::parse(text)?),
            Self::Rpm => Parsed::Rpm(rpm::RpmVersion::parse(text)?),
            Self::Alpine => Parsed::Alpine(alpine::ApkVersion::parse(text)),
            Self::Cran | Self::Hackage => {
                Parsed::Numeric(numeric::NumericVersion::parse(self, text)?)
            }
            Self::Exact => Parsed::Exact,
        };
        Ok(Version {
            scheme: self,
            text: text.into(),
            parsed,
        })
    }

    /// Parses both versions and orders `left` against `right`.
    pub fn compare(self, left: &str, right: &str) -> Result<Ordering, VersionError> {
        self.parse(left)?.try_cmp(&self.parse(right)?)
    }

    /// The scheme's name, as used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::SemVer => "SemVer",
            Self::Go => "Go",
            Self::Npm => "npm",
            Self::Pub => "Pub",
            Self::PyPI => "PEP 440",
            Self::Maven => "Maven",
            Self::NuGet => "NuGet",
            Self::RubyGems => "RubyGems",
            Self::Packagist => "Composer",
            Self::Debian => "dpkg",
            Self::Rpm => "RPM",
            Self::Alpine => "apk",
            Self::Cran => "R package",
            Self::Hackage => "Cabal",
            Self::Exact => "exact-match",
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

/// Why a version could not be parsed or compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("`{version}` is not a valid {scheme} version: {reason}")]
    Invalid {
        scheme: Scheme,
        version: String,
        reason: String,
    },
    /// The caller may strip the `v` and retry when the ecosystem's tooling does so (Go tags,
    /// SwiftURL tags), which is a decision this crate does not take for it.
    #[error(
        "`{version}` starts with `v`, which {scheme} does not allow; `{without_v}` would parse"
    )]
    LeadingV {
        scheme: Scheme,
        version: String,
        without_v: String,
    },
    #[error(
        "cannot compare the {left} version `{left_version}` with the {right} version `{right_version}`"
    )]
    SchemeMismatch {
        left: Scheme,
        left_version: String,
        right: Scheme,
        right_version: String,
    },
    #[error("{scheme} has no order between `{left}` and `{right}`; only equal text compares")]
    Unordered {
        scheme: Scheme,
        left: String,
        right: String,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: Scheme, version: &str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            scheme,
            version: version.to_owned(),
            reason: reason.into(),
        }
    }
}

/// A parsed version of one [`Scheme`].
///
/// `Ord` orders versions of one scheme by that scheme's rules; versions of different schemes
/// order by scheme first, and [`Scheme::Exact`] versions by their text, so that collections of
/// them stay well-formed. Neither is a version order: ask [`Version::try_cmp`], which refuses
/// both.
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    text: Box<str>,
    parsed: Parsed,
}

#[derive(Debug, Clone)]
enum Parsed {
    SemVer(semver::SemVer),
    PyPI(uv_pep440::Version),
    Maven(maven::MavenVersion),
    NuGet(nuget::NuGetVersion),
    RubyGems(rubygems::GemVersion),
    Packagist(packagist::ComposerVersion),
    Debian(debian::DebianVersion),
    Rpm(rpm::RpmVersion),
    Alpine(alpine::ApkVersion),
    Numeric(numeric::NumericVersion),
    Exact,
}

impl Version {
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The text the version was parsed from.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Orders `self` against `other` by their scheme's rules.
    ///
    /// Fails when the schemes differ, or when [`Scheme::Exact`] is asked to order different texts.
    pub fn try_cmp(&self, other: &Self) -> Result<Ordering, VersionError> {
        if self.scheme != other.scheme {
            return Err(VersionError::SchemeMismatch {
                left: self.scheme,
                left_version: self.text.to_string(),
                right: other.scheme,
                right_version: other.text.to_string(),
            });
        }
        match (&self.parsed, &other.parsed) {
            (Parsed::Exact, Parsed::Exact) if self.text != other.text => {
                Err(VersionError::Unordered {
                    scheme: self.scheme,
                    left: self.text.to_string(),
                    right: other.text.to_string(),
                })
            }
            _ => Ok(self.cmp(other)),
        }
    }

    /// Whether `self` and `other` name the same release: they order as equal and, where the
    /// scheme ignores build metadata when ordering (`1.0.0+a` and `1.0.0+b`), carry the same one.
    /// This is the per-scheme normalisation behind OSV's exact `versions[]` match.
    pub fn same_release(&self, other: &Self) -> Result<bool, VersionError> {
        match self.try_cmp(other) {
            Ok(Ordering::Equal) => {}
            // `Exact` orders nothing, and texts that differ are different releases.
            Ok(_) | Err(VersionError::Unordered { .. }) => return Ok(false),
            Err(error) => return Err(error),
        }
        Ok(match (&self.parsed, &other.parsed) {
            (Parsed::SemVer(left), Parsed::SemVer(right)) => left.same_build(right),
            _ => true,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let scheme = self.scheme;
        match (&self.parsed, &other.parsed) {
            _ if scheme != other.scheme => scheme.cmp(&other.scheme),
            (Parsed::SemVer(left), Parsed::SemVer(right)) => left.compare(right, scheme),
            (Parsed::PyPI(left), Parsed::PyPI(right)) => left.cmp(right),
            (Parsed::Maven(left), Parsed::Maven(right)) => left.cmp(right),
            (Parsed::NuGet(left), Parsed::NuGet(right)) => left.cmp(right),
            (Parsed::RubyGems(left), Parsed::RubyGems(right)) => left.cmp(right),
            (Parsed::Packagist(left), Parsed::Packagist(right)) => left.cmp(right),
            (Parsed::Debian(left), Parsed::Debian(right)) => left.cmp(right),
            (Parsed::Rpm(left), Parsed::Rpm(right)) => left.cmp(right),
            (Parsed::Alpine(left), Parsed::Alpine(right)) => left.cmp(right),
            (Parsed::Numeric(left), Parsed::Numeric(right)) => left.cmp(right),
            // Same scheme means same variant; text order keeps `Ord` total for `Exact`.
            _ => self.text.cmp(&other.text),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl fmt::Display for Version {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn osv_ecosystems_map_to_their_schemes() {
        for (ecosystem, scheme) in [
            ("crates.io", Some(Scheme::SemVer)),
            ("npm", Some(Scheme::Npm)),
            ("Go", Some(Scheme::Go)),
            ("PyPI", Some(Scheme::PyPI)),
            ("Maven", Some(Scheme::Maven)),
            ("Pub", Some(Scheme::Pub)),
            ("Bioconductor", Some(Scheme::Cran)),
            ("Debian:12", Some(Scheme::Debian)),
            ("Ubuntu:22.04:LTS", Some(Scheme::Debian)),
            ("Alpine:v3.20", Some(Scheme::Alpine)),
            ("Red Hat:enterprise_linux:9::appstream", Some(Scheme::Rpm)),
            ("Rocky Linux:9", Some(Scheme::Rpm)),
            ("Linux", Some(Scheme::Exact)),
            // Only distributions take a release suffix, and it is never empty.
            ("PyPI:3", None),
            ("Debian:", None),
            // Names are case-sensitive.
            ("pypi", None),
            ("Unheard Of", None),
        ] {
            assert_eq!(Scheme::for_osv_ecosystem(ecosystem), scheme, "{ecosystem}");
        }
    }

    #[test]
    fn versions_of_different_schemes_do_not_compare() {
        let (Ok(semver), Ok(npm)) = (Scheme::SemVer.parse("1.0.0"), Scheme::Npm.parse("1.0.0"))
        else {
            panic!("1.0.0 is valid in both");
        };
        assert!(matches!(
            semver.try_cmp(&npm),
            Err(VersionError::SchemeMismatch { .. })
        ));
        assert_eq!(Scheme::Exact.compare("a", "a"), Ok(Ordering::Equal));
        assert!(matches!(
            Scheme::Exact.compare("a", "b"),
            Err(VersionError::Unordered { .. })
        ));
    }

    proptest! {
        /// Any input parses or is refused, without panicking, and orders antisymmetrically.
        #[test]
        fn every_scheme_takes_any_input(left in ".{0,12}", right in "[0-9a-zA-Z.+~^_:-]{0,12}") {
            for scheme in Scheme::ALL {
                let (Ok(left), Ok(right)) = (scheme.parse(&left), scheme.parse(&right)) else {
                    continue;
                };
                if let Ok(ordering) = left.try_cmp(&right) {
                    prop_assert_eq!(right.try_cmp(&left), Ok(ordering.reverse()), "{}", scheme);
                }
            }
        }
    }
}
