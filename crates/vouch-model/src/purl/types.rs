//! Per-type rules of the registered purl types (purl-spec `types/*-definition.json`): whether a
//! namespace is required or prohibited, which components are case-insensitive (canonically
//! lower-cased), type-specific name normalisation and checks, and required qualifiers.
//!
//! The table is written out here rather than loaded from the definitions so that parsing needs no
//! data files; tests/purl_spec.rs proves it against the official test suite.

use std::collections::BTreeMap;

use super::{Purl, PurlError};

/// Whether a type's purls carry a namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Presence {
    Optional,
    Required,
    Prohibited,
}

/// The canonical case of a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// Case-sensitive: kept as given.
    Preserve,
    /// Case-insensitive: lower-cased (Unicode full case mapping, ECMA-427 §5.5).
    Lower,
    /// Upper-cased (CPAN author ids).
    Upper,
}

impl Case {
    fn apply(self, text: &str) -> String {
        match self {
            Self::Preserve => text.to_owned(),
            Self::Lower => text.to_lowercase(),
            Self::Upper => text.to_uppercase(),
        }
    }
}

/// Normalisation and checks of a name beyond its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameRule {
    Any,
    /// PyPI treats `_` and `-` alike; the canonical form uses `-`.
    PypiSeparators,
    /// pub names only hold `[a-z0-9_]`; anything else becomes `_`.
    PubIdentifier,
    /// MLflow names are case-insensitive on Databricks servers only, so the name is lower-cased
    /// when the `repository_url` qualifier points at Databricks.
    LowerOnDatabricks,
    /// Chrome extension ids are 32 letters `a` to `p`.
    ChromeExtensionId,
    /// A CPAN distribution name, never a `::`-separated module name.
    CpanDistribution,
}

/// Checks of a version beyond its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VersionRule {
    Any,
    /// One to four dot-separated decimal numbers.
    ChromeExtension,
}

/// The rules of one purl type.
#[derive(Debug, Clone, Copy)]
struct TypeRules {
    namespace: Presence,
    namespace_case: Case,
    name_case: Case,
    name_rule: NameRule,
    version_case: Case,
    version_rule: VersionRule,
    subpath_case: Case,
    required_qualifier: Option<&'static str>,
}

/// Rules of unregistered types and the starting point of every registered one.
const GENERIC: TypeRules = TypeRules {
    namespace: Presence::Optional,
    namespace_case: Case::Preserve,
    name_case: Case::Preserve,
    name_rule: NameRule::Any,
    version_case: Case::Preserve,
    version_rule: VersionRule::Any,
    subpath_case: Case::Preserve,
    required_qualifier: None,
};

const NO_NAMESPACE: TypeRules = TypeRules {
    namespace: Presence::Prohibited,
    ..GENERIC
};

const WITH_NAMESPACE: TypeRules = TypeRules {
    namespace: Presence::Required,
    ..GENERIC
};

/// Vendor or owner namespace plus name, both case-insensitive.
const LOWER_NAMESPACE_AND_NAME: TypeRules = TypeRules {
    namespace: Presence::Required,
    namespace_case: Case::Lower,
    name_case: Case::Lower,
    ..GENERIC
};

/// Registered types whose rules differ from [`GENERIC`].
const REGISTERED: &[(&str, TypeRules)] = &[
    ("alpm", LOWER_NAMESPACE_AND_NAME),
    ("apk", LOWER_NAMESPACE_AND_NAME),
    ("bazel", NO_NAMESPACE),
    ("bitbucket", LOWER_NAMESPACE_AND_NAME),
    (
        "bitnami",
        TypeRules {
            name_case: Case::Lower,
            ..NO_NAMESPACE
        },
    ),
    (
        "brew",
        TypeRules {
            namespace_case: Case::Lower,
            name_case: Case::Lower,
            ..GENERIC
        },
    ),
    ("cargo", NO_NAMESPACE),
    (
        "chrome-extension",
        TypeRules {
            name_case: Case::Lower,
            name_rule: NameRule::ChromeExtensionId,
            version_rule: VersionRule::ChromeExtension,
            ..NO_NAMESPACE
        },
    ),
    ("cocoapods", NO_NAMESPACE),
    ("composer", LOWER_NAMESPACE_AND_NAME),
    ("conda", NO_NAMESPACE),
    (
        "cpan",
        TypeRules {
            namespace_case: Case::Upper,
            name_rule: NameRule::CpanDistribution,
            ..GENERIC
        },
    ),
    ("cran", NO_NAMESPACE),
    ("deb", LOWER_NAMESPACE_AND_NAME),
    ("gem", NO_NAMESPACE),
    ("git", WITH_NAMESPACE),
    ("github", LOWER_NAMESPACE_AND_NAME),
    // The definition asks for lower case, but Go module paths are case-sensitive (the module
    // proxy escapes capitals), so golang keeps case like the definition's `case_sensitive` says.
    ("golang", WITH_NAMESPACE),
    ("hackage", NO_NAMESPACE),
    (
        "hex",
        TypeRules {
            namespace_case: Case::Lower,
            name_case: Case::Lower,
            ..GENERIC
        },
    ),
    (
        "huggingface",
        TypeRules {
            version_case: Case::Lower,
            ..WITH_NAMESPACE
        },
    ),
    (
        "julia",
        TypeRules {
            required_qualifier: Some("uuid"),
            ..NO_NAMESPACE
        },
    ),
    (
        "luarocks",
        TypeRules {
            namespace_case: Case::Lower,
            name_case: Case::Lower,
            ..GENERIC
        },
    ),
    ("maven", WITH_NAMESPACE),
    (
        "mlflow",
        TypeRules {
            name_rule: NameRule::LowerOnDatabricks,
            ..NO_NAMESPACE
        },
    ),
    ("nuget", NO_NAMESPACE),
    (
        "oci",
        TypeRules {
            name_case: Case::Lower,
            version_case: Case::Lower,
            ..NO_NAMESPACE
        },
    ),
    ("opam", NO_NAMESPACE),
    (
        "otp",
        TypeRules {
            name_case: Case::Lower,
            subpath_case: Case::Lower,
            ..NO_NAMESPACE
        },
    ),
    (
        "pub",
        TypeRules {
            name_case: Case::Lower,
            name_rule: NameRule::PubIdentifier,
            ..NO_NAMESPACE
        },
    ),
    (
        "pypi",
        TypeRules {
            name_case: Case::Lower,
            name_rule: NameRule::PypiSeparators,
            version_case: Case::Lower,
            ..NO_NAMESPACE
        },
    ),
    (
        "qpkg",
        TypeRules {
            namespace_case: Case::Lower,
            ..WITH_NAMESPACE
        },
    ),
    (
        "rpm",
        TypeRules {
            namespace_case: Case::Lower,
            ..WITH_NAMESPACE
        },
    ),
    (
        "swid",
        TypeRules {
            required_qualifier: Some("tag_id"),
            ..GENERIC
        },
    ),
    ("swift", WITH_NAMESPACE),
    ("vcpkg", NO_NAMESPACE),
    (
        "vscode-extension",
        TypeRules {
            version_case: Case::Lower,
            ..LOWER_NAMESPACE_AND_NAME
        },
    ),
    (
        "yocto",
        TypeRules {
            namespace_case: Case::Lower,
            ..GENERIC
        },
    ),
];

fn rules_for(purl_type: &str) -> TypeRules {
    REGISTERED
        .iter()
        .find(|(registered, _)| *registered == purl_type)
        .map_or(GENERIC, |(_, rules)| *rules)
}

/// The qualifier a type needs to identify a package at all (kept by `package_identity`).
pub(super) fn required_qualifier(purl_type: &str) -> Option<&'static str> {
    rules_for(purl_type).required_qualifier
}

/// Normalises `purl` in place by the rules of its type and checks it against them. Applying it
/// again to its own result changes nothing.
pub(super) fn apply(purl: &mut Purl) -> Result<(), PurlError> {
    let rules = rules_for(&purl.purl_type);
    match (rules.namespace, &purl.namespace) {
        (Presence::Required, None) => {
            return Err(PurlError::NamespaceRequired {
                purl_type: purl.purl_type.clone(),
            });
        }
        (Presence::Prohibited, Some(namespace)) => {
            return Err(PurlError::NamespaceProhibited {
                purl_type: purl.purl_type.clone(),
                namespace: namespace.clone(),
            });
        }
        _ => {}
    }
    if let Some(namespace) = &mut purl.namespace {
        *namespace = rules.namespace_case.apply(namespace);
    }
    purl.name = normalize_name(rules, &purl.name, &purl.qualifiers);
    check_name(rules.name_rule, &purl.name).map_err(|rule| PurlError::TypeRule {
        purl_type: purl.purl_type.clone(),
        component: "name",
        value: purl.name.clone(),
        rule,
    })?;
    if let Some(version) = &mut purl.version {
        *version = rules.version_case.apply(version);
        check_version(rules.version_rule, version).map_err(|rule| PurlError::TypeRule {
            purl_type: purl.purl_type.clone(),
            component: "version",
            value: version.clone(),
            rule,
        })?;
    }
    if let Some(subpath) = &mut purl.subpath {
        *subpath = rules.subpath_case.apply(subpath);
    }
    match rules.required_qualifier {
        Some(key) if !purl.qualifiers.contains_key(key) => Err(PurlError::QualifierRequired {
            purl_type: purl.purl_type.clone(),
            key,
        }),
        _ => Ok(()),
    }
}

fn normalize_name(rules: TypeRules, name: &str, qualifiers: &BTreeMap<String, String>) -> String {
    let name = rules.name_case.apply(name);
    match rules.name_rule {
        NameRule::PypiSeparators => name.replace('_', "-"),
        NameRule::PubIdentifier => name
            .chars()
            .map(|character| match character {
                'a'..='z' | '0'..='9' | '_' => character,
                _ => '_',
            })
            .collect(),
        NameRule::LowerOnDatabricks => {
            // Databricks workspaces live under `*.azuredatabricks.net`, `*.cloud.databricks.com`
            // and `*.gcp.databricks.com`.
            let on_databricks = qualifiers
                .get("repository_url")
                .is_some_and(|url| url.contains("databricks"));
            if on_databricks {
                name.to_lowercase()
            } else {
                name
            }
        }
        NameRule::Any | NameRule::ChromeExtensionId | NameRule::CpanDistribution => name,
    }
}

/// `Err` holds the rule the name breaks, for the error message.
fn check_name(rule: NameRule, name: &str) -> Result<(), &'static str> {
    match rule {
        NameRule::ChromeExtensionId
            if name.len() != 32 || !name.bytes().all(|byte| (b'a'..=b'p').contains(&byte)) =>
        {
            Err("an extension id is 32 letters from `a` to `p`")
        }
        NameRule::CpanDistribution if name.contains("::") => {
            Err("a distribution name has no `::` (that is a module name)")
        }
        _ => Ok(()),
    }
}

/// `Err` holds the rule the version breaks, for the error message.
fn check_version(rule: VersionRule, version: &str) -> Result<(), &'static str> {
    match rule {
        VersionRule::ChromeExtension => {
            let parts: Vec<&str> = version.split('.').collect();
            let well_formed = parts.len() <= 4
                && parts
                    .iter()
                    .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()));
            if well_formed {
                Ok(())
            } else {
                Err("a version is one to four dot-separated numbers")
            }
        }
        VersionRule::Any => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_types_are_listed_once_in_order() {
        let names: Vec<&str> = REGISTERED.iter().map(|(name, _)| *name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn unregistered_types_follow_the_generic_rules() {
        let rules = rules_for("made-up");
        assert_eq!(rules.namespace, Presence::Optional);
        assert_eq!(rules.name_case, Case::Preserve);
        assert_eq!(rules.required_qualifier, None);
    }

    #[test]
    fn pub_names_keep_only_lower_case_letters_digits_and_underscores() {
        let rules = rules_for("pub");
        assert_eq!(
            normalize_name(rules, "Flutter-Web.Plugins2", &BTreeMap::new()),
            "flutter_web_plugins2"
        );
    }

    #[test]
    fn mlflow_names_are_lower_cased_only_on_databricks() {
        let rules = rules_for("mlflow");
        let databricks = BTreeMap::from([(
            "repository_url".to_owned(),
            "https://dbc-1.cloud.databricks.com".to_owned(),
        )]);
        assert_eq!(normalize_name(rules, "Fraud", &databricks), "fraud");
        assert_eq!(normalize_name(rules, "Fraud", &BTreeMap::new()), "Fraud");
    }

    #[test]
    fn chrome_extension_versions_have_one_to_four_numeric_parts() {
        let rule = VersionRule::ChromeExtension;
        assert_eq!(check_version(rule, "1"), Ok(()));
        assert_eq!(check_version(rule, "6.0.2.3611"), Ok(()));
        for version in ["1.2.3.4.5", "1.2.3-beta", "1..2", ""] {
            assert!(check_version(rule, version).is_err(), "{version}");
        }
    }
}
