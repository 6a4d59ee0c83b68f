//! `cabal.project.freeze`: a cabal project file whose `constraints` field pins every package of
//! the build plan (`any.aeson ==2.2.1.0`), mixed with flag settings (`aeson +ordered-keymap`).

use vouch_model::Scope;

use super::hackage_package;
use crate::{Catalog, CatalogError, Cataloger, Input};

pub(super) struct CabalFreeze;

impl Cataloger for CabalFreeze {
    fn name(&self) -> &'static str {
        "cabal-freeze"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "cabal.project.freeze"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let mut in_constraints = false;
        for (index, raw_line) in input.contents.lines().enumerate() {
            let line_number = index + 1;
            let line = raw_line.trim_end();
            if line.trim_start().starts_with("--") || line.trim().is_empty() {
                continue;
            }
            // Fields start in the first column; indented lines continue the field above.
            let value = if line.starts_with([' ', '\t']) {
                if !in_constraints {
                    continue;
                }
                line
            } else {
                // Stanzas (`package aeson`, `source-repository-package`) hold settings of
                // their own, never the project's constraints.
                if line.starts_with("package ") || line.starts_with("source-repository-package") {
                    in_constraints = false;
                    continue;
                }
                let Some((field, value)) = line.split_once(':') else {
                    catalog.warnings.push(format!(
                        "{}:{line_number}: `{line}` is not a `field: value` line; ignored",
                        input.path
                    ));
                    in_constraints = false;
                    continue;
                };
                in_constraints = field.trim().eq_ignore_ascii_case("constraints");
                if !in_constraints {
                    continue;
                }
                value
            };
            for constraint in value
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
            {
                match parse_constraint(constraint) {
                    Constraint::Pinned {
                        name,
                        version,
                        setup,
                    } => match hackage_package(name, version) {
                        Ok(mut component) => {
                            if catalog.contains(&component.id) {
                                continue;
                            }
                            if setup {
                                component.scope = Scope::Build;
                            }
                            component.locations = vec![input.location(Some(line_number))];
                            catalog.components.push(component);
                        }
                        Err(problem) => catalog
                            .warnings
                            .push(format!("{}:{line_number}: {problem}", input.path)),
                    },
                    // Flags and stanzas choose how a package builds, not which one.
                    Constraint::Setting => {}
                    Constraint::Other(problem) => catalog.warnings.push(format!(
                        "{}:{line_number}: constraint `{constraint}` {problem}; skipped",
                        input.path
                    )),
                }
            }
        }
        Ok(catalog)
    }
}

enum Constraint<'a> {
    Pinned {
        name: &'a str,
        version: &'a str,
        /// Pinned for custom `Setup.hs` scripts only (`setup.` qualifier).
        setup: bool,
    },
    Setting,
    Other(&'static str),
}

/// One constraint: `[qualifier.]name ==version`, `name +flag -flag`, `name test`, or
/// `name installed`.
fn parse_constraint(constraint: &str) -> Constraint<'_> {
    let (target, rest) = constraint
        .split_once(char::is_whitespace)
        .map_or((constraint, ""), |(target, rest)| (target, rest.trim()));
    // Qualifiers: `any.pkg`, `setup.pkg`, `pkg:setup.dep`.
    let (setup, name) = match target.rsplit_once(':') {
        Some((_, qualified)) => (qualified.starts_with("setup."), qualified),
        None => (target.starts_with("setup."), target),
    };
    let name = ["any.", "setup.", "exe."]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name);
    if let Some(version) = rest.strip_prefix("==") {
        let version = version.trim();
        if version.is_empty() || name.is_empty() {
            return Constraint::Other("has no version");
        }
        return Constraint::Pinned {
            name,
            version,
            setup,
        };
    }
    if rest.starts_with(['+', '-']) || matches!(rest, "test" | "bench" | "source") {
        return Constraint::Setting;
    }
    if rest == "installed" {
        return Constraint::Other(
            "uses the compiler's installed version, which the file does not say",
        );
    }
    Constraint::Other("pins no exact version")
}
