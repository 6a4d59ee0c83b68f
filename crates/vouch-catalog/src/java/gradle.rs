//! Gradle dependency locking: `gradle.lockfile` and `buildscript-gradle.lockfile`, one
//! `group:artifact:version=configuration,...` line per resolved module.

use std::collections::{BTreeMap, HashSet};

use vouch_model::{Component, Ecosystem, Purl, Scope};

use crate::{Catalog, CatalogError, Cataloger, Input};

pub(super) struct GradleLockfile;

impl Cataloger for GradleLockfile {
    fn name(&self) -> &'static str {
        "gradle-lockfile"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "gradle.lockfile" || file_name == "buildscript-gradle.lockfile"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        // Everything a build script's classpath holds is a build tool, never shipped.
        let build_script = input
            .path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.starts_with("buildscript-"));
        let mut catalog = Catalog::default();
        let mut seen = HashSet::new();
        for (index, line) in input.contents.lines().enumerate() {
            let line_number = index + 1;
            let line = line.trim();
            // `empty=` lists the configurations that resolved to nothing.
            if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
                continue;
            }
            let Some((coordinates, configurations)) = parse_line(line) else {
                catalog.warnings.push(format!(
                    "{}:{line_number}: not a `group:artifact:version=configurations` line: `{line}`",
                    input.path
                ));
                continue;
            };
            let (group, artifact, version) = coordinates;
            let purl = match Purl::from_parts(
                "maven",
                Some(group),
                artifact,
                Some(version),
                BTreeMap::new(),
                None,
            ) {
                Ok(purl) => purl,
                Err(error) => {
                    catalog
                        .warnings
                        .push(format!("{}:{line_number}: {error}", input.path));
                    continue;
                }
            };
            let mut component = Component::package(Ecosystem::Maven, purl);
            if !seen.insert(component.id.clone()) {
                continue;
            }
            component.scope = if build_script {
                Scope::Build
            } else {
                scope_of(&configurations)
            };
            component.locations = vec![input.location(Some(line_number))];
            if !configurations.is_empty() {
                component
                    .properties
                    .insert("gradle:configurations".to_owned(), configurations.join(","));
            }
            catalog.components.push(component);
        }
        Ok(catalog)
    }
}

type Coordinates<'a> = (&'a str, &'a str, &'a str);

/// Splits `group:artifact:version=a,b` into its coordinates and configurations.
fn parse_line(line: &str) -> Option<(Coordinates<'_>, Vec<&str>)> {
    let (coordinates, configurations) = line.split_once('=')?;
    let mut parts = coordinates.split(':');
    let (Some(group), Some(artifact), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let valid = |part: &str| !part.is_empty() && !part.contains(char::is_whitespace);
    if !(valid(group) && valid(artifact) && valid(version)) {
        return None;
    }
    let configurations = configurations
        .split(',')
        .map(str::trim)
        .filter(|configuration| !configuration.is_empty())
        .collect();
    Some(((group, artifact, version), configurations))
}

/// A module only on test classpaths (`testCompileClasspath`, `androidTestRuntimeClasspath`,
/// ...) or development-only ones is a development dependency; one only on annotation-processor
/// paths is a build tool; anything else ships.
fn scope_of(configurations: &[&str]) -> Scope {
    let is_test = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.starts_with("test") || (lower.contains("test") && lower.ends_with("classpath"))
    };
    let is_development = |name: &str| name == "developmentOnly";
    let is_build = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.contains("annotationprocessor") || lower.starts_with("kapt")
    };
    if configurations.is_empty() {
        Scope::Required
    } else if configurations
        .iter()
        .all(|name| is_test(name) || is_development(name))
    {
        Scope::Dev
    } else if configurations.iter().all(|name| is_build(name)) {
        Scope::Build
    } else {
        Scope::Required
    }
}
