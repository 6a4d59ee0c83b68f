//! Package names as the index keys them: each ecosystem's own notion of "the same name".

use std::borrow::Cow;

/// `name` in the form the store looks it up by, for an OSV ecosystem (`PyPI`, `Debian:12`).
///
/// PyPI follows PEP 503 (lower case, runs of `-`, `_`, `.` as one `-`); NuGet, Packagist and
/// GitHub Actions names are case-insensitive; every other ecosystem (npm with its scopes, Maven
/// `group:artifact`, Go module paths, crates.io, RubyGems, distributions) compares names as
/// written.
pub fn package_name<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    let base = ecosystem
        .split_once(':')
        .map_or(ecosystem, |(base, _)| base);
    match base {
        "PyPI" => Cow::Owned(vouch_model::pep503_normalize(name)),
        "NuGet" | "Packagist" | "GitHub Actions" if name.chars().any(char::is_uppercase) => {
            Cow::Owned(name.to_lowercase())
        }
        _ => Cow::Borrowed(name),
    }
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn names_normalise_per_ecosystem() {
        for (ecosystem, name, expected) in [
            ("PyPI", "Zope.Interface__X", "zope-interface-x"),
            ("PyPI", "requests", "requests"),
            ("NuGet", "Newtonsoft.Json", "newtonsoft.json"),
            ("Packagist", "Drupal/Core", "drupal/core"),
            (
                "Packagist:https://packages.drupal.org/8",
                "drupal/Admin",
                "drupal/admin",
            ),
            ("npm", "@Scope/Name", "@Scope/Name"),
            ("Maven", "org.Apache:Commons", "org.Apache:Commons"),
            ("Go", "github.com/Foo/bar", "github.com/Foo/bar"),
            ("crates.io", "Serde_json", "Serde_json"),
            ("Debian:12", "libssl3", "libssl3"),
        ] {
            assert_eq!(
                package_name(ecosystem, name),
                expected,
                "{ecosystem} {name}"
            );
        }
    }
}
