//! From a purl to the package OSV names: ecosystem, name and version in OSV's spelling.

use std::fmt;

use serde::Serialize;
use vouch_model::Purl;

/// Drupal publishes its projects' advisories under its own Composer registry, not Packagist's.
const DRUPAL_ECOSYSTEM: &str = "Packagist:https://packages.drupal.org/8";

/// A package as OSV names it, ready to look up in the advisory store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OsvPackage {
    /// The OSV ecosystem, with a distribution's release: `crates.io`, `Debian:12`, `Alpine:v3.18`.
    pub ecosystem: String,
    /// The name in OSV's form: `@scope/name`, `group:artifact`, a Go module path, a PEP 503 name.
    pub name: String,
    /// The version in OSV's form (Go's without its `v`).
    pub version: String,
}

impl OsvPackage {
    /// The ecosystems whose advisories cover this package: its own, and for Drupal projects
    /// (`drupal/*` on Composer) also Drupal's registry-qualified one, as osv.dev matches them.
    pub fn advisory_ecosystems(&self) -> Vec<&str> {
        let mut ecosystems = vec![self.ecosystem.as_str()];
        if self.ecosystem == "Packagist" && self.name.starts_with("drupal/") {
            ecosystems.push(DRUPAL_ECOSYSTEM);
        }
        ecosystems
    }
}

/// Why a component was not matched. None of these is an error: the component is reported as
/// skipped, with this reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SkipReason {
    /// The component has no purl, so its ecosystem is unknown.
    NoPurl,
    /// Neither the purl nor the component carries a version.
    NoVersion,
    /// OSV has no ecosystem for this purl type (`generic`, `oci`, `github`, ...).
    UnsupportedType {
        /// The purl's type.
        purl_type: String,
    },
    /// The purl type needs a namespace (Maven's group, Composer's vendor) and has none.
    NoNamespace {
        /// The purl's type.
        purl_type: String,
    },
    /// A distribution package without a `distro` qualifier, or one OSV has no ecosystem for.
    UnknownDistribution {
        /// The purl's type: `deb`, `apk` or `rpm`.
        purl_type: String,
        /// The distribution, from the purl's namespace.
        namespace: Option<String>,
        /// The `distro` qualifier, if any.
        distro: Option<String>,
    },
    /// The purl maps to an OSV ecosystem whose version order vouch does not know.
    UnknownEcosystem {
        /// The OSV ecosystem.
        ecosystem: String,
    },
    /// The version is not one the ecosystem's scheme can order.
    InvalidVersion {
        /// The version, in OSV's form.
        version: String,
        /// Why the scheme refused it.
        reason: String,
    },
}

impl fmt::Display for SkipReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPurl => formatter.write_str("the component has no purl"),
            Self::NoVersion => formatter.write_str("the component has no version"),
            Self::UnsupportedType { purl_type } => {
                write!(
                    formatter,
                    "OSV has no ecosystem for purl type `{purl_type}`"
                )
            }
            Self::NoNamespace { purl_type } => {
                write!(formatter, "a `{purl_type}` purl needs a namespace")
            }
            Self::UnknownDistribution {
                purl_type,
                namespace,
                distro,
            } => write!(
                formatter,
                "no OSV ecosystem for `{purl_type}` packages of distribution `{}` release `{}`",
                namespace.as_deref().unwrap_or("(none)"),
                distro.as_deref().unwrap_or("(no distro qualifier)")
            ),
            Self::UnknownEcosystem { ecosystem } => {
                write!(
                    formatter,
                    "the OSV ecosystem `{ecosystem}` has no known version order"
                )
            }
            Self::InvalidVersion { version, reason } => {
                write!(formatter, "version `{version}` cannot be matched: {reason}")
            }
        }
    }
}

/// The OSV package for `purl`, with `fallback_version` used when the purl has none (a BOM may
/// carry the version only on the component).
///
/// Names follow each ecosystem's OSV convention: npm scopes as `@scope/name`, Maven as
/// `group:artifact`, Go, Composer, SwiftURL and GitHub Actions as `namespace/name`, PyPI in
/// PEP 503 form. Go, SwiftURL and GitHub Actions versions lose a leading `v` (OSV writes tags
/// without it; `+incompatible` stays). Distribution packages take their release from the
/// `distro` qualifier and their name from `upstream` (the source package, which OSV's
/// distribution advisories name) when present.
pub fn osv_package(purl: &Purl, fallback_version: Option<&str>) -> Result<OsvPackage, SkipReason> {
    let version = purl
        .version()
        .or(fallback_version)
        .filter(|version| !version.is_empty())
        .ok_or(SkipReason::NoVersion)?;
    let purl_type = purl.purl_type();
    let name = purl.name();
    let namespace = purl.namespace();
    let joined = || match namespace {
        Some(namespace) => format!("{namespace}/{name}"),
        None => name.to_owned(),
    };
    let required_namespace = || {
        namespace.ok_or_else(|| SkipReason::NoNamespace {
            purl_type: purl_type.to_owned(),
        })
    };
    // Ecosystems whose OSV name is the purl's name and whose version is the purl's.
    let as_is = |ecosystem: &str| (ecosystem.to_owned(), name.to_owned(), version.to_owned());
    let (ecosystem, name, version) = match purl_type {
        "cargo" => as_is("crates.io"),
        "gem" => as_is("RubyGems"),
        "nuget" => as_is("NuGet"),
        "hex" => as_is("Hex"),
        "pub" => as_is("Pub"),
        "cran" => as_is("CRAN"),
        "hackage" => as_is("Hackage"),
        "conan" => as_is("ConanCenter"),
        "npm" => {
            let name = match namespace {
                Some(scope) if scope.starts_with('@') => format!("{scope}/{name}"),
                Some(scope) => format!("@{scope}/{name}"),
                None => name.to_owned(),
            };
            ("npm".to_owned(), name, version.to_owned())
        }
        "pypi" => (
            "PyPI".to_owned(),
            vouch_vulndb::normalize_package_name("PyPI", name).into_owned(),
            version.to_owned(),
        ),
        "maven" => (
            "Maven".to_owned(),
            format!("{}:{name}", required_namespace()?),
            version.to_owned(),
        ),
        "composer" => (
            "Packagist".to_owned(),
            format!("{}/{name}", required_namespace()?),
            version.to_owned(),
        ),
        "golang" => ("Go".to_owned(), joined(), without_v(version)),
        "swift" => ("SwiftURL".to_owned(), joined(), without_v(version)),
        "githubactions" => (
            "GitHub Actions".to_owned(),
            format!("{}/{name}", required_namespace()?),
            without_v(version),
        ),
        "deb" | "apk" | "rpm" => {
            let ecosystem =
                distribution_ecosystem(purl).ok_or_else(|| SkipReason::UnknownDistribution {
                    purl_type: purl_type.to_owned(),
                    namespace: namespace.map(str::to_owned),
                    distro: purl.qualifier("distro").map(str::to_owned),
                })?;
            let version = match (purl_type, purl.qualifier("epoch")) {
                ("rpm", Some(epoch)) if !version.contains(':') => format!("{epoch}:{version}"),
                _ => version.to_owned(),
            };
            (ecosystem, source_package(purl), version)
        }
        other => {
            return Err(SkipReason::UnsupportedType {
                purl_type: other.to_owned(),
            });
        }
    };
    Ok(OsvPackage {
        ecosystem,
        name,
        version,
    })
}

/// `v1.2.3` as `1.2.3`; a `v` not followed by a digit is part of the version and stays.
fn without_v(version: &str) -> String {
    match version.strip_prefix('v') {
        Some(rest) if rest.starts_with(|character: char| character.is_ascii_digit()) => {
            rest.to_owned()
        }
        _ => version.to_owned(),
    }
}

/// The source package a binary package was built from, as syft writes it in the `upstream`
/// qualifier (`openssl`, `openssl@1.1.1n-0`, `openssl (1.1.1n-0)`, and for RPMs the source RPM
/// file, `bash-5.1.8-6.el9.src.rpm`), else the name.
fn source_package(purl: &Purl) -> String {
    purl.qualifier("upstream")
        .and_then(|upstream| {
            let name = match upstream.strip_suffix(".src.rpm") {
                // `name-version-release`: the name may itself hold `-`, the other two do not.
                Some(file) => file.rsplitn(3, '-').nth(2)?,
                None => upstream.split(['@', ' ']).next()?,
            };
            Some(name).filter(|name| !name.is_empty())
        })
        .unwrap_or(purl.name())
        .to_owned()
}

/// OSV's ecosystem for a distribution package: `Debian:12`, `Ubuntu:22.04:LTS`, `Alpine:v3.18`,
/// `openSUSE:Leap 15.5`, `Rocky Linux:9`, `AlmaLinux:9`, from the purl namespace and the
/// `distro` qualifier (`debian-12`, `bookworm`, `ubuntu-22.04`, `alpine-3.18.4`,
/// `opensuse-leap-15.5`, `rocky-9.3`).
fn distribution_ecosystem(purl: &Purl) -> Option<String> {
    let namespace = purl.namespace()?.to_ascii_lowercase();
    let distro = purl.qualifier("distro")?.to_ascii_lowercase();
    // The qualifier is written with and without the distribution's name in front.
    let release = distro
        .strip_prefix(namespace.as_str())
        .map_or(distro.as_str(), |rest| rest.trim_start_matches(['-', ':']));
    let numbers = |count| leading_numbers(release, count);
    match (purl.purl_type(), namespace.as_str()) {
        ("deb", "debian") => {
            let major = numbers(1).or_else(|| debian_release(release).map(str::to_owned))?;
            Some(format!("Debian:{major}"))
        }
        ("deb", "ubuntu") => {
            let release = numbers(2)?;
            // OSV marks long-term-support releases (April releases of even years) `:LTS`.
            let long_term = match release.split_once('.') {
                Some((year, "04")) => year.parse::<u32>().is_ok_and(|year| year % 2 == 0),
                _ => false,
            };
            Some(if long_term {
                format!("Ubuntu:{release}:LTS")
            } else {
                format!("Ubuntu:{release}")
            })
        }
        ("apk", "alpine") => Some(format!("Alpine:v{}", numbers(2)?)),
        ("rpm", "opensuse") => {
            let leap = release.strip_prefix("leap")?.trim_start_matches(['-', ' ']);
            Some(format!("openSUSE:Leap {}", leading_numbers(leap, 2)?))
        }
        ("rpm", "rocky") => Some(format!("Rocky Linux:{}", numbers(1)?)),
        ("rpm", "almalinux") => Some(format!("AlmaLinux:{}", numbers(1)?)),
        _ => None,
    }
}

/// The first `count` dot-separated numbers of `release` (`3.18` of `3.18.4`), if it has them.
fn leading_numbers(release: &str, count: usize) -> Option<String> {
    let parts: Vec<&str> = release.split('.').take(count).collect();
    let all_numeric = parts
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
    (parts.len() == count && all_numeric).then(|| parts.join("."))
}

/// Debian's release code names, which `distro` qualifiers often carry instead of numbers. OSV
/// names unstable, which has no number, by its code name.
fn debian_release(code_name: &str) -> Option<&'static str> {
    Some(match code_name {
        "wheezy" => "7",
        "jessie" => "8",
        "stretch" => "9",
        "buster" => "10",
        "bullseye" => "11",
        "bookworm" => "12",
        "trixie" => "13",
        "forky" => "14",
        "sid" => "sid",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(purl: &str) -> Result<OsvPackage, SkipReason> {
        let purl: Purl =
            purl.parse()
                .map_err(|error: vouch_model::PurlError| SkipReason::InvalidVersion {
                    version: purl.to_owned(),
                    reason: error.to_string(),
                })?;
        osv_package(&purl, None)
    }

    fn expected(ecosystem: &str, name: &str, version: &str) -> Result<OsvPackage, SkipReason> {
        Ok(OsvPackage {
            ecosystem: ecosystem.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
        })
    }

    #[test]
    fn each_ecosystem_names_packages_its_osv_way() {
        for (purl, ecosystem, name, version) in [
            (
                "pkg:cargo/serde_json@1.0.0",
                "crates.io",
                "serde_json",
                "1.0.0",
            ),
            ("pkg:npm/%40babel/core@7.0.0", "npm", "@babel/core", "7.0.0"),
            ("pkg:npm/lodash@4.17.20", "npm", "lodash", "4.17.20"),
            (
                "pkg:pypi/Zope.Interface@5.0",
                "PyPI",
                "zope-interface",
                "5.0",
            ),
            (
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "Maven",
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
            ),
            (
                "pkg:golang/github.com/gin-gonic/gin@v1.6.0",
                "Go",
                "github.com/gin-gonic/gin",
                "1.6.0",
            ),
            (
                "pkg:golang/github.com/docker/docker@v20.10.0%2Bincompatible",
                "Go",
                "github.com/docker/docker",
                "20.10.0+incompatible",
            ),
            ("pkg:gem/rails@6.0.0", "RubyGems", "rails", "6.0.0"),
            (
                "pkg:composer/drupal/core@10.4.5",
                "Packagist",
                "drupal/core",
                "10.4.5",
            ),
            (
                "pkg:nuget/Newtonsoft.Json@12.0.1",
                "NuGet",
                "Newtonsoft.Json",
                "12.0.1",
            ),
            ("pkg:hex/plug@1.0.0", "Hex", "plug", "1.0.0"),
            ("pkg:pub/http@0.13.0", "Pub", "http", "0.13.0"),
            ("pkg:cran/commonmark@1.8.0", "CRAN", "commonmark", "1.8.0"),
            ("pkg:hackage/aeson@2.0.0.0", "Hackage", "aeson", "2.0.0.0"),
            (
                "pkg:swift/github.com/apple/swift-nio@v2.0.0",
                "SwiftURL",
                "github.com/apple/swift-nio",
                "2.0.0",
            ),
            ("pkg:conan/openssl@3.0.0", "ConanCenter", "openssl", "3.0.0"),
            (
                "pkg:githubactions/tj-actions/changed-files@v45",
                "GitHub Actions",
                "tj-actions/changed-files",
                "45",
            ),
            (
                "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3?distro=debian-11&upstream=openssl",
                "Debian:11",
                "openssl",
                "1.1.1n-0+deb11u3",
            ),
            (
                "pkg:deb/debian/curl@7.88.1-10?distro=bookworm",
                "Debian:12",
                "curl",
                "7.88.1-10",
            ),
            (
                "pkg:deb/debian/curl@8.11.1-1?distro=debian-sid",
                "Debian:sid",
                "curl",
                "8.11.1-1",
            ),
            (
                "pkg:deb/ubuntu/zlib1g@1.2.11?distro=ubuntu-22.04&upstream=zlib%401.2.11",
                "Ubuntu:22.04:LTS",
                "zlib",
                "1.2.11",
            ),
            (
                "pkg:deb/ubuntu/zlib1g@1.2.13?distro=ubuntu-23.10",
                "Ubuntu:23.10",
                "zlib1g",
                "1.2.13",
            ),
            (
                "pkg:apk/alpine/busybox@1.36.1-r2?distro=alpine-3.18.4",
                "Alpine:v3.18",
                "busybox",
                "1.36.1-r2",
            ),
            (
                "pkg:rpm/opensuse/libz1@1.2.13-1?distro=opensuse-leap-15.5&epoch=2",
                "openSUSE:Leap 15.5",
                "libz1",
                "2:1.2.13-1",
            ),
            (
                "pkg:rpm/rocky/bash@5.1.8-6.el9?distro=rocky-9.3&upstream=bash-5.1.8-6.el9.src.rpm",
                "Rocky Linux:9",
                "bash",
                "5.1.8-6.el9",
            ),
            (
                "pkg:rpm/almalinux/python3-libs@3.9.18-1.el9?distro=almalinux-9.3&upstream=python3.9-3.9.18-1.el9.src.rpm",
                "AlmaLinux:9",
                "python3.9",
                "3.9.18-1.el9",
            ),
        ] {
            assert_eq!(package(purl), expected(ecosystem, name, version), "{purl}");
        }
    }

    #[test]
    fn packages_osv_cannot_name_are_skipped_with_the_reason() {
        assert_eq!(package("pkg:cargo/serde"), Err(SkipReason::NoVersion));
        assert_eq!(
            package("pkg:generic/openssl@3.0.0"),
            Err(SkipReason::UnsupportedType {
                purl_type: "generic".to_owned()
            })
        );
        assert_eq!(
            package("pkg:deb/debian/curl@7.88.1-10"),
            Err(SkipReason::UnknownDistribution {
                purl_type: "deb".to_owned(),
                namespace: Some("debian".to_owned()),
                distro: None,
            })
        );
        assert_eq!(
            package("pkg:rpm/redhat/bash@5.1.8-6?distro=rhel-9"),
            Err(SkipReason::UnknownDistribution {
                purl_type: "rpm".to_owned(),
                namespace: Some("redhat".to_owned()),
                distro: Some("rhel-9".to_owned()),
            })
        );
    }

    proptest::proptest! {
        /// Any purl vouch can hold gives a package or a reason, never a panic.
        #[test]
        fn any_purl_gives_a_package_or_a_reason(
            purl_type in "(cargo|npm|pypi|maven|golang|gem|composer|nuget|swift|githubactions|deb|apk|rpm|generic)",
            namespace in proptest::option::of("[a-z@.0-9-]{0,8}(/[a-z0-9]{0,4})?"),
            name in "[A-Za-z0-9._-]{1,12}",
            version in proptest::option::of("v?[0-9a-z.+~:-]{0,10}"),
            distro in proptest::option::of("[a-z]{0,8}-?[0-9.]{0,6}"),
            upstream in proptest::option::of("[a-z0-9@ ().-]{0,10}"),
        ) {
            let mut qualifiers = std::collections::BTreeMap::new();
            for (key, value) in [("distro", distro), ("upstream", upstream)] {
                if let Some(value) = value {
                    qualifiers.insert(key.to_owned(), value);
                }
            }
            let built = Purl::from_parts(
                &purl_type,
                namespace.as_deref(),
                &name,
                version.as_deref(),
                qualifiers,
                None,
            );
            if let Ok(purl) = built {
                let _ = osv_package(&purl, Some("1.0.0"));
            }
        }
    }

    #[test]
    fn the_component_version_stands_in_for_a_purl_without_one() -> Result<(), vouch_model::PurlError>
    {
        let purl: Purl = "pkg:golang/golang.org/x/net".parse()?;
        assert_eq!(
            osv_package(&purl, Some("v0.0.0-20210226172049-e18ecbb05110")),
            expected(
                "Go",
                "golang.org/x/net",
                "0.0.0-20210226172049-e18ecbb05110"
            )
        );
        Ok(())
    }
}
