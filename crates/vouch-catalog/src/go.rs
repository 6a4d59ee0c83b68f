//! Go modules: `go.mod`, with the `go.sum` beside it.
//!
//! From Go 1.17 on, `go.mod` lists every module the build needs (`// indirect` marks those the
//! main module does not import itself). Before 1.17 it lists only direct requirements, so the
//! modules whose code `go.sum` holds a hash for stand in for the transitive ones.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Purl, Relationship, RelationshipKind, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(GoMod)]
}

/// Property holding the `go.sum` `h1:` hash of a module: a hash over the module's file tree
/// (dirhash), not over one downloadable file, so it does not fit [`vouch_model::Hash`].
const GO_SUM_PROPERTY: &str = "vouch:go-sum";

/// A `go.sum` content hash and the line it is on, keyed by module path and version.
type GoSums = HashMap<(String, String), (String, usize)>;

/// Property naming the module a `replace` directive substituted, as `path@version`.
const REPLACES_PROPERTY: &str = "vouch:go-replaces";

#[derive(Debug, Clone, Copy)]
struct GoMod;

/// One `require` line.
struct Requirement {
    path: String,
    version: String,
    indirect: bool,
    line: usize,
}

/// Where a `replace` directive sends a module.
enum Replacement {
    Module { path: String, version: String },
    Directory(String),
}

struct ReplaceRule {
    path: String,
    /// `None` replaces every version.
    version: Option<String>,
    replacement: Replacement,
}

#[derive(Default)]
struct GoModFile {
    module: Option<(String, usize)>,
    /// The `go` directive as `(major, minor)`.
    go_version: Option<(u64, u64)>,
    requirements: Vec<Requirement>,
    replacements: Vec<ReplaceRule>,
}

impl Cataloger for GoMod {
    fn name(&self) -> &'static str {
        "go-mod"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "go.mod"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let file = parse_go_mod(input)?;
        let mut catalog = Catalog::default();
        let sums = read_go_sum(input, &mut catalog.warnings)?;

        let root = match &file.module {
            Some((path, line)) => {
                let mut root = module_component(path, None);
                root.kind = ComponentKind::Application;
                root.source = Source::Workspace;
                root.locations.push(input.location(Some(*line)));
                let id = root.id.clone();
                catalog.components.push(root);
                Some(id)
            }
            None => None,
        };

        let mut index_by_id: HashMap<ComponentId, usize> = HashMap::new();
        for requirement in &file.requirements {
            let component = requirement_component(input, &file, requirement, &sums);
            match index_by_id.get(&component.id) {
                // The same module required twice: direct if either line says so.
                Some(&index) => {
                    if let Some(existing) = catalog.components.get_mut(index)
                        && component.direct == Some(true)
                    {
                        existing.direct = Some(true);
                    }
                }
                None => {
                    index_by_id.insert(component.id.clone(), catalog.components.len());
                    catalog.components.push(component);
                }
            }
        }

        // Before Go 1.17, `go.mod` omits transitive modules; `go.sum` has them. A file without
        // a `go` directive is read as go 1.16, like the go command does.
        if file.go_version.is_none_or(|version| version < (1, 17)) {
            for (path, version) in highest_summed_versions(&sums) {
                if file
                    .requirements
                    .iter()
                    .any(|required| required.path == path)
                {
                    continue;
                }
                let mut component = module_component(path, Some(version));
                component.direct = Some(false);
                if let Some((hash, line)) = sums.get(&(path.to_owned(), version.to_owned())) {
                    component
                        .properties
                        .insert(GO_SUM_PROPERTY.to_owned(), hash.clone());
                    component
                        .locations
                        .push(input.sibling_location("go.sum", Some(*line)));
                }
                if !index_by_id.contains_key(&component.id) {
                    index_by_id.insert(component.id.clone(), catalog.components.len());
                    catalog.components.push(component);
                }
            }
        }

        if let Some(root) = root {
            catalog.relationships = catalog
                .components
                .iter()
                .filter(|component| component.direct == Some(true))
                .map(|component| {
                    Relationship::new(
                        root.clone(),
                        RelationshipKind::DependsOn,
                        component.id.clone(),
                    )
                })
                .collect();
        }
        Ok(catalog)
    }
}

/// The component a `require` line brings in, after `replace` directives.
fn requirement_component(
    input: &Input<'_>,
    file: &GoModFile,
    requirement: &Requirement,
    sums: &GoSums,
) -> Component {
    // A rule naming the exact version wins over one for every version, as in the go command.
    let rule = file
        .replacements
        .iter()
        .filter(|rule| rule.path == requirement.path)
        .filter(|rule| {
            rule.version
                .as_ref()
                .is_none_or(|version| *version == requirement.version)
        })
        .max_by_key(|rule| rule.version.is_some());
    let mut component = match rule.map(|rule| &rule.replacement) {
        None => module_component(&requirement.path, Some(&requirement.version)),
        Some(Replacement::Module { path, version }) => {
            let mut component = module_component(path, Some(version));
            component.properties.insert(
                REPLACES_PROPERTY.to_owned(),
                format!("{}@{}", requirement.path, requirement.version),
            );
            component
        }
        // The code is a local directory: no registry identity, and no version to claim.
        Some(Replacement::Directory(directory)) => {
            let mut component = module_component(&requirement.path, None);
            component.source = Source::Path {
                path: directory.clone(),
            };
            component.properties.insert(
                REPLACES_PROPERTY.to_owned(),
                format!("{}@{}", requirement.path, requirement.version),
            );
            component
        }
    };
    component.direct = Some(!requirement.indirect);
    component
        .locations
        .push(input.location(Some(requirement.line)));
    if let (Some(version), true) = (&component.version, component.source.is_registry()) {
        let key = (component.qualified_name(), version.clone());
        if let Some((hash, _)) = sums.get(&key) {
            component
                .properties
                .insert(GO_SUM_PROPERTY.to_owned(), hash.clone());
        }
    }
    component
}

/// A module as a component, `pkg:golang/<path minus last element>/<last element>@version` with
/// the module path's case kept. Golang purls need a namespace, so a one-element path (a main
/// module never meant to be fetched, such as `my-app`) is identified by its path alone.
fn module_component(path: &str, version: Option<&str>) -> Component {
    let purl = path.rsplit_once('/').and_then(|(namespace, name)| {
        Purl::from_parts(
            "golang",
            Some(namespace),
            name,
            version,
            BTreeMap::new(),
            None,
        )
        .ok()
    });
    match purl {
        Some(purl) => Component::package(Ecosystem::Go, purl),
        None => {
            let mut component =
                Component::new(ComponentKind::Library, path, version.map(str::to_owned));
            component.ecosystem = Some(Ecosystem::Go);
            component
        }
    }
}

fn parse_go_mod(input: &Input<'_>) -> Result<GoModFile, CatalogError> {
    let mut file = GoModFile::default();
    let mut block: Option<String> = None;
    for (index, raw_line) in input.contents.lines().enumerate() {
        let line_number = index + 1;
        let (code, comment) = split_comment(raw_line);
        let tokens = tokenize(code)
            .ok_or_else(|| input.error(Some(line_number), "unterminated quoted string"))?;
        let Some(first) = tokens.first() else {
            continue;
        };
        let indirect = comment.is_some_and(|comment| {
            let comment = comment.trim();
            comment == "indirect" || comment.starts_with("indirect;")
        });
        if let Some(directive) = &block {
            if tokens.len() == 1 && first == ")" {
                block = None;
                continue;
            }
            apply_directive(input, &mut file, directive, &tokens, indirect, line_number)?;
            continue;
        }
        let (directive, arguments) = (first.as_str(), &tokens[1..]);
        if arguments.len() == 1 && arguments.first().is_some_and(|token| token == "(") {
            block = Some(directive.to_owned());
            continue;
        }
        apply_directive(
            input,
            &mut file,
            directive,
            arguments,
            indirect,
            line_number,
        )?;
    }
    if block.is_some() {
        return Err(input.error(None, "a `(` block is not closed"));
    }
    Ok(file)
}

fn apply_directive(
    input: &Input<'_>,
    file: &mut GoModFile,
    directive: &str,
    arguments: &[String],
    indirect: bool,
    line: usize,
) -> Result<(), CatalogError> {
    let wrong_arguments = |usage: &str| input.error(Some(line), format!("usage: {usage}"));
    match directive {
        "module" => match arguments {
            [path] => file.module = Some((path.clone(), line)),
            _ => return Err(wrong_arguments("module module/path")),
        },
        "go" => match arguments {
            [version] => file.go_version = parse_go_version(version),
            _ => return Err(wrong_arguments("go 1.23")),
        },
        "require" => match arguments {
            [path, version] => file.requirements.push(Requirement {
                path: path.clone(),
                version: version.clone(),
                indirect,
                line,
            }),
            _ => return Err(wrong_arguments("require module/path v1.2.3")),
        },
        "replace" => {
            let arrow = arguments
                .iter()
                .position(|token| token == "=>")
                .ok_or_else(|| {
                    wrong_arguments("replace module/path [v1.2.3] => other/path [v1.4.5]")
                })?;
            let (old, new) = (&arguments[..arrow], &arguments[arrow + 1..]);
            let (path, version) = match old {
                [path] => (path.clone(), None),
                [path, version] => (path.clone(), Some(version.clone())),
                _ => {
                    return Err(wrong_arguments(
                        "replace module/path [v1.2.3] => other/path [v1.4.5]",
                    ));
                }
            };
            let replacement = match new {
                [directory] if is_local_path(directory) => {
                    Replacement::Directory(directory.clone())
                }
                [path, version] => Replacement::Module {
                    path: path.clone(),
                    version: version.clone(),
                },
                _ => {
                    return Err(input.error(
                        Some(line),
                        "replacement must be a module path with a version, or a directory starting with ./ ../ or /",
                    ));
                }
            };
            file.replacements.push(ReplaceRule {
                path,
                version,
                replacement,
            });
        }
        // Excluded and retracted versions never enter the build; the toolchain and the Go standard
        // library are not packages of the module graph; the rest only tune the go command.
        "exclude" | "retract" | "toolchain" | "godebug" | "tool" | "ignore" => {}
        _ => {
            return Err(input.error(
                Some(line),
                format!("unknown go.mod directive `{directive}`"),
            ));
        }
    }
    Ok(())
}

/// `1.16`, `1.23.5` or `1.21rc1` → `(1, 16)`, `(1, 23)`, `(1, 21)`.
fn parse_go_version(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor_text = parts.next()?;
    let digits_end = minor_text
        .find(|character: char| !character.is_ascii_digit())
        .unwrap_or(minor_text.len());
    let minor = minor_text.get(..digits_end)?.parse().ok()?;
    Some((major, minor))
}

/// Like the go command: a replacement is a directory when it is written as a path.
fn is_local_path(target: &str) -> bool {
    target.starts_with("./")
        || target.starts_with("../")
        || target.starts_with('/')
        || target.starts_with(".\\")
        || target.starts_with("..\\")
        || target == "."
        || target == ".."
        || target.as_bytes().get(1) == Some(&b':')
}

/// Splits a line at its `//` comment, ignoring `//` inside quoted strings.
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let mut quote = None;
    let mut escaped = false;
    for (offset, character) in line.char_indices() {
        match quote {
            Some(open) => {
                if escaped {
                    escaped = false;
                } else if character == '\\' && open == '"' {
                    escaped = true;
                } else if character == open {
                    quote = None;
                }
            }
            None if character == '"' || character == '`' => quote = Some(character),
            None if line[offset..].starts_with("//") => {
                return (&line[..offset], Some(&line[offset + 2..]));
            }
            None => {}
        }
    }
    (line, None)
}

/// Whitespace-separated tokens, with `"..."` and `` `...` `` strings unquoted. `None` when a
/// quote is not closed.
fn tokenize(code: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut characters = code.chars().peekable();
    while let Some(&character) = characters.peek() {
        if character.is_whitespace() {
            characters.next();
            continue;
        }
        let mut token = String::new();
        if character == '"' || character == '`' {
            characters.next();
            let mut closed = false;
            while let Some(inner) = characters.next() {
                if inner == character {
                    closed = true;
                    break;
                }
                if inner == '\\' && character == '"' {
                    token.extend(characters.next());
                } else {
                    token.push(inner);
                }
            }
            if !closed {
                return None;
            }
        } else {
            while let Some(&inner) = characters.peek() {
                if inner.is_whitespace() {
                    break;
                }
                token.push(inner);
                characters.next();
            }
        }
        tokens.push(token);
    }
    Some(tokens)
}

/// `go.sum` lines `path version h1:hash` (module contents; `path version/go.mod h1:hash` lines
/// only hash the module's go.mod and are left out), keyed by `(path, version)`.
fn read_go_sum(input: &Input<'_>, warnings: &mut Vec<String>) -> Result<GoSums, CatalogError> {
    let mut sums = HashMap::new();
    let Some(text) = input.files.read("go.sum")? else {
        return Ok(sums);
    };
    for (index, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [] => {}
            [path, version, hash] if hash.contains(':') => {
                if !version.ends_with("/go.mod") {
                    sums.insert(
                        ((*path).to_owned(), (*version).to_owned()),
                        ((*hash).to_owned(), index + 1),
                    );
                }
            }
            _ => {
                warnings.push(format!(
                    "go.sum line {}: not `module version hash`; ignored go.sum",
                    index + 1
                ));
                return Ok(HashMap::new());
            }
        }
    }
    Ok(sums)
}

/// The highest version of each module `go.sum` holds the contents of: minimal version selection
/// builds with one version per module, the highest one required.
fn highest_summed_versions(sums: &GoSums) -> Vec<(&str, &str)> {
    let mut highest: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, version) in sums.keys() {
        highest
            .entry(path)
            .and_modify(|current| {
                if compare_module_versions(version, current) == Ordering::Greater {
                    *current = version;
                }
            })
            .or_insert(version);
    }
    highest.into_iter().collect()
}

/// Orders Go module versions (`v` + semantic version) by semver precedence.
fn compare_module_versions(left: &str, right: &str) -> Ordering {
    let split = |version: &'_ str| {
        let version = version.strip_prefix('v').unwrap_or(version);
        let version = version.split_once('+').map_or(version, |(core, _)| core);
        match version.split_once('-') {
            Some((core, prerelease)) => (core.to_owned(), Some(prerelease.to_owned())),
            None => (version.to_owned(), None),
        }
    };
    let (left_core, left_prerelease) = split(left);
    let (right_core, right_prerelease) = split(right);
    compare_dotted(&left_core, &right_core).then_with(|| {
        match (left_prerelease, right_prerelease) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(left), Some(right)) => compare_dotted(&left, &right),
        }
    })
}

/// Compares dot-separated identifiers: numerically when both are numbers (numbers sort first),
/// as text otherwise, and a shorter list first when one is a prefix of the other.
fn compare_dotted(left: &str, right: &str) -> Ordering {
    let mut left_parts = left.split('.');
    let mut right_parts = right.split('.');
    loop {
        match (left_parts.next(), right_parts.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(left), Some(right)) => {
                let ordering = match (left.parse::<u64>(), right.parse::<u64>()) {
                    (Ok(left), Ok(right)) => left.cmp(&right),
                    (Ok(_), Err(_)) => Ordering::Less,
                    (Err(_), Ok(_)) => Ordering::Greater,
                    (Err(_), Err(_)) => left.cmp(right),
                };
                if ordering != Ordering::Equal {
                    return ordering;
                }
            }
        }
    }
}
