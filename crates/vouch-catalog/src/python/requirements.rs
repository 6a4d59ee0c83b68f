//! pip requirements files (`requirements*.txt`), read the way pip reads them: backslash
//! continuations are joined first, then comments stripped, then each line is an option or a
//! requirement. `-r` includes are followed through [`crate::FileSource`]; `-c` constraint files
//! only pin versions of requirements declared elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use vouch_model::{Component, Hash, Location, Source};

use super::{
    add_hash, join_relative, normalize_name, package, parse_hash, pep508, registry_source,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct RequirementsTxt;

impl Cataloger for RequirementsTxt {
    fn name(&self) -> &'static str {
        "requirements-txt"
    }

    fn matches(&self, file_name: &str) -> bool {
        let lower = file_name.to_ascii_lowercase();
        lower.ends_with(".txt") && lower.contains("requirements")
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut reader = Reader::new(input);
        let top = FileRef {
            relative: input
                .path
                .rsplit('/')
                .next()
                .unwrap_or(input.path)
                .to_owned(),
            display: input.path.to_owned(),
        };
        reader.read_file(&top, input.contents, Mode::Requirements);
        reader.finish()
    }
}

/// Property holding a requirement's environment marker.
const MARKER: &str = "vouch:marker";

/// Includes deeper than this are refused: real projects nest a few levels, not dozens.
const MAX_INCLUDE_DEPTH: usize = 32;

/// Whether a file's requirements are declared dependencies or only pins (`-c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mode {
    Requirements,
    Constraints,
}

/// A file of the include tree: `relative` to the catalogued file's directory (for
/// [`crate::FileSource::read`]) and `display` relative to the scanned root (for locations).
#[derive(Debug, Clone)]
struct FileRef {
    relative: String,
    display: String,
}

/// One requirement as declared, before duplicates are merged.
#[derive(Debug)]
struct Entry {
    name: String,
    version: Option<String>,
    /// Version specifiers when they do not pin one version.
    specifier: String,
    extras: Vec<String>,
    marker: Option<String>,
    /// `None` for a registry requirement.
    source: Option<Source>,
    hashes: Vec<Hash>,
    editable: bool,
    location: Location,
}

struct Reader<'a> {
    input: &'a Input<'a>,
    entries: Vec<Entry>,
    /// Normalised name → pinned version, from constraint files.
    constraints: BTreeMap<String, String>,
    index_url: Option<String>,
    warnings: Vec<String>,
    /// Files being read, outermost first: an include of one of them is a cycle.
    include_stack: Vec<String>,
    visited: BTreeSet<(String, Mode)>,
}

impl<'a> Reader<'a> {
    fn new(input: &'a Input<'a>) -> Self {
        Self {
            input,
            entries: Vec::new(),
            constraints: BTreeMap::new(),
            index_url: None,
            warnings: Vec::new(),
            include_stack: Vec::new(),
            visited: BTreeSet::new(),
        }
    }

    fn warn(&mut self, file: &FileRef, line: usize, message: impl std::fmt::Display) {
        if file.display == self.input.path {
            self.warnings.push(format!("line {line}: {message}"));
        } else {
            self.warnings
                .push(format!("{} line {line}: {message}", file.display));
        }
    }

    fn read_file(&mut self, file: &FileRef, contents: &str, mode: Mode) {
        self.include_stack.push(file.relative.clone());
        self.visited.insert((file.relative.clone(), mode));
        for (line, text) in logical_lines(contents) {
            self.read_line(file, line, &text, mode);
        }
        self.include_stack.pop();
    }

    fn read_line(&mut self, file: &FileRef, line: usize, text: &str, mode: Mode) {
        let text = strip_comment(text).trim();
        if text.is_empty() {
            return;
        }
        if let Some(start) = text.find("${") {
            let variable = text[start..].split('}').next().unwrap_or_default();
            self.warn(
                file,
                line,
                format!("environment variable `{variable}}}` is left unexpanded"),
            );
        }
        if text.starts_with('-') {
            return self.read_option(file, line, text, mode);
        }
        let (requirement, options) = split_requirement_options(text);
        let hashes = self.read_requirement_options(file, line, options);
        self.add_requirement(file, line, requirement, hashes, false, mode);
    }

    fn read_option(&mut self, file: &FileRef, line: usize, text: &str, mode: Mode) {
        let Some((option, value)) = split_option(text) else {
            self.warn(
                file,
                line,
                format!("`{text}` is not an option pip knows; ignored"),
            );
            return;
        };
        let option = match option {
            "-r" => "--requirement",
            "-c" => "--constraint",
            "-e" => "--editable",
            "-i" => "--index-url",
            "-f" => "--find-links",
            "-Z" => "--always-unzip",
            long => long,
        };
        let takes_value = !matches!(
            option,
            "--no-index" | "--prefer-binary" | "--require-hashes" | "--pre" | "--always-unzip"
        );
        if takes_value && value.is_empty() {
            self.warn(file, line, format!("`{option}` has no value; ignored"));
            return;
        }
        match option {
            "--requirement" => self.include(file, line, value, mode),
            "--constraint" => self.include(file, line, value, Mode::Constraints),
            "--editable" => self.add_requirement(file, line, value, Vec::new(), true, mode),
            "--index-url" => self.index_url = Some(value.to_owned()),
            // Where pip may look besides the index, and how it builds or installs: nothing
            // here changes which packages are declared.
            "--extra-index-url" | "--find-links" | "--no-index" | "--trusted-host"
            | "--no-binary" | "--only-binary" | "--prefer-binary" | "--require-hashes"
            | "--pre" | "--use-feature" | "--always-unzip" => {}
            unknown => self.warn(
                file,
                line,
                format!("`{unknown}` is not an option pip knows; ignored"),
            ),
        }
    }

    /// Reads `--hash` values after a requirement; build options are understood and dropped.
    fn read_requirement_options(
        &mut self,
        file: &FileRef,
        line: usize,
        options: &str,
    ) -> Vec<Hash> {
        let mut hashes = Vec::new();
        let mut tokens = options.split_whitespace();
        while let Some(token) = tokens.next() {
            let (option, attached) = match token.split_once('=') {
                Some((option, value)) if option.starts_with("--") => (option, Some(value)),
                _ => (token, None),
            };
            let takes_value = matches!(
                option,
                "--hash" | "--global-option" | "--install-option" | "--config-settings" | "-C"
            );
            if !takes_value {
                self.warn(
                    file,
                    line,
                    format!("unexpected `{token}` after the requirement's options; ignored"),
                );
                continue;
            }
            let value = attached.or_else(|| tokens.next()).unwrap_or_default();
            if option != "--hash" {
                continue;
            }
            match parse_hash(value) {
                Some(hash) => add_hash(&mut hashes, hash),
                None => self.warn(
                    file,
                    line,
                    format!("`--hash={value}` is not `algorithm:hex digest`; ignored"),
                ),
            }
        }
        hashes
    }

    fn include(&mut self, file: &FileRef, line: usize, target: &str, mode: Mode) {
        if target.contains("://") {
            self.warn(
                file,
                line,
                format!("remote include `{target}` is not fetched"),
            );
            return;
        }
        let relative = join_relative(&file.relative, target);
        if self.include_stack.contains(&relative) {
            self.warn(
                file,
                line,
                format!("`{target}` includes itself through a cycle; not read again"),
            );
            return;
        }
        if self.visited.contains(&(relative.clone(), mode)) {
            return;
        }
        if self.include_stack.len() >= MAX_INCLUDE_DEPTH {
            self.warn(
                file,
                line,
                format!(
                    "`{target}` is nested more than {MAX_INCLUDE_DEPTH} includes deep; not read"
                ),
            );
            return;
        }
        let contents = match self.input.files.read(&relative) {
            Ok(Some(contents)) => contents,
            Ok(None) => {
                self.warn(
                    file,
                    line,
                    format!("included file `{target}` does not exist"),
                );
                return;
            }
            Err(error) => {
                self.warn(
                    file,
                    line,
                    format!("included file `{target}` not read: {error}"),
                );
                return;
            }
        };
        let included = FileRef {
            display: join_relative(self.input.path, &relative),
            relative,
        };
        self.read_file(&included, &contents, mode)
    }

    fn add_requirement(
        &mut self,
        file: &FileRef,
        line: usize,
        text: &str,
        hashes: Vec<Hash>,
        editable: bool,
        mode: Mode,
    ) {
        let parsed = match pep508::parse(text) {
            Ok(requirement) if requirement.url.is_some() || !is_url_or_path(text) => {
                Ok(named_entry(requirement))
            }
            Ok(_) => parse_unnamed(text),
            Err(_) if is_url_or_path(text) => parse_unnamed(text),
            Err(message) => Err(message),
        };
        let mut entry = match parsed {
            Ok(entry) => entry,
            Err(message) => {
                self.warn(file, line, format!("{message}; requirement skipped"));
                return;
            }
        };
        if mode == Mode::Constraints {
            if let Some(version) = entry.version {
                self.constraints
                    .insert(normalize_name(&entry.name), version);
            }
            return;
        }
        entry.hashes = hashes;
        entry.editable = editable;
        entry.location = Location {
            path: file.display.clone(),
            line: u32::try_from(line).ok(),
        };
        self.entries.push(entry);
    }

    fn finish(mut self) -> Result<Catalog, CatalogError> {
        // A name pinned once in the include tree pins its unpinned mentions too; otherwise a
        // constraint file may pin it.
        let mut pins: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for entry in self.entries.iter().filter(|entry| entry.source.is_none()) {
            if let Some(version) = &entry.version {
                pins.entry(normalize_name(&entry.name))
                    .or_default()
                    .insert(version.clone());
            }
        }
        for (name, versions) in &pins {
            if versions.len() > 1 {
                let listed: Vec<&str> = versions.iter().map(String::as_str).collect();
                self.warnings.push(format!(
                    "`{name}` is pinned to several versions ({}); each is listed",
                    listed.join(", ")
                ));
            }
        }
        for entry in self
            .entries
            .iter_mut()
            .filter(|entry| entry.source.is_none())
        {
            if entry.version.is_none() {
                let name = normalize_name(&entry.name);
                entry.version = match pins.get(&name) {
                    Some(versions) if versions.len() == 1 => versions.first().cloned(),
                    _ => self.constraints.get(&name).cloned(),
                };
            }
        }

        let mut components: BTreeMap<String, Component> = BTreeMap::new();
        for entry in self.entries {
            let source = entry
                .source
                .unwrap_or_else(|| registry_source(self.index_url.as_deref()));
            let line = entry
                .location
                .line
                .and_then(|line| usize::try_from(line).ok());
            let mut component = package(
                self.input,
                &entry.name,
                entry.version.as_deref(),
                source,
                line,
            )?;
            component.locations = vec![entry.location];
            component.direct = Some(true);
            component.hashes = entry.hashes;
            if !entry.specifier.is_empty() {
                component
                    .properties
                    .insert("vouch:requirement".to_owned(), entry.specifier);
            }
            if let Some(marker) = entry.marker {
                component.properties.insert(MARKER.to_owned(), marker);
            }
            if !entry.extras.is_empty() {
                component
                    .properties
                    .insert("vouch:extras".to_owned(), entry.extras.join(","));
            }
            if entry.editable {
                component
                    .properties
                    .insert("vouch:editable".to_owned(), "true".to_owned());
            }
            match components.get_mut(component.id.as_str()) {
                Some(existing) => merge_duplicate(existing, component),
                None => {
                    components.insert(component.id.as_str().to_owned(), component);
                }
            }
        }
        Ok(Catalog {
            components: components.into_values().collect(),
            relationships: Vec::new(),
            warnings: self.warnings,
        })
    }
}

/// Folds a repeated requirement into the first one. Locations, hashes and extras add up;
/// specifiers all apply (pip intersects them); the package is selected when any of the lines'
/// markers holds, so a line without marker drops the marker.
fn merge_duplicate(existing: &mut Component, mut duplicate: Component) {
    existing.locations.append(&mut duplicate.locations);
    for hash in duplicate.hashes {
        add_hash(&mut existing.hashes, hash);
    }
    let marker = match (
        existing.properties.remove(MARKER),
        duplicate.properties.remove(MARKER),
    ) {
        (Some(first), Some(second)) if first == second => Some(first),
        (Some(first), Some(second)) => Some(format!("({first}) or ({second})")),
        _ => None,
    };
    if let Some(marker) = marker {
        existing.properties.insert(MARKER.to_owned(), marker);
    }
    for (key, value) in duplicate.properties {
        match existing.properties.get_mut(&key) {
            None => {
                existing.properties.insert(key, value);
            }
            Some(current) => {
                let mut parts: BTreeSet<&str> = current.split(',').collect();
                parts.extend(value.split(','));
                *current = parts.into_iter().collect::<Vec<_>>().join(",");
            }
        }
    }
}

/// Logical lines with the 1-based line each starts on: a line ending in `\` continues on the
/// next, unless the next is a comment (pip's rule). A `\` on the last line is dropped.
pub(crate) fn logical_lines(contents: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (index, line) in contents.lines().enumerate() {
        let number = index + 1;
        let is_comment = line.trim_start().starts_with('#');
        match line.strip_suffix('\\').filter(|_| !is_comment) {
            Some(continued) => {
                pending
                    .get_or_insert_with(|| (number, String::new()))
                    .1
                    .push_str(continued);
            }
            None => match pending.take() {
                Some((start, mut joined)) => {
                    if !is_comment {
                        joined.push_str(line);
                    }
                    lines.push((start, joined));
                }
                None => lines.push((number, line.to_owned())),
            },
        }
    }
    lines.extend(pending);
    lines
}

/// Cuts a `#` comment that starts the line or follows whitespace; a `#` inside a word (a URL
/// fragment) is not a comment.
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (index, character) in line.char_indices() {
        if character == '#' && previous_is_space {
            return &line[..index];
        }
        previous_is_space = character.is_whitespace();
    }
    line
}

/// `-r file`, `-rfile`, `--requirement=file` and `--requirement file` → (option, value).
fn split_option(text: &str) -> Option<(&str, &str)> {
    if text.starts_with("--") {
        let end = text
            .find(|character: char| character == '=' || character.is_whitespace())
            .unwrap_or(text.len());
        let value = text[end..].trim_start_matches('=').trim();
        return Some((&text[..end], value));
    }
    let option = text.get(..2)?;
    let value = text.get(2..)?.trim();
    Some((option, value))
}

/// Splits a requirement line at its first word starting with `-`: pip's boundary between the
/// requirement and its options (`--hash`, `--config-settings`, ...).
pub(crate) fn split_requirement_options(text: &str) -> (&str, &str) {
    let mut previous_is_space = false;
    for (index, character) in text.char_indices() {
        if character == '-' && previous_is_space {
            return (text[..index].trim(), &text[index..]);
        }
        previous_is_space = character.is_whitespace();
    }
    (text, "")
}

/// Whether a requirement is a URL or a local path rather than a name (pip's test, without
/// looking at the disk).
pub(crate) fn is_url_or_path(text: &str) -> bool {
    let text = text.trim();
    let has_scheme = text.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.len() > 1
            && scheme.starts_with(|character: char| character.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "+.-".contains(character))
            && (rest.starts_with("//") || scheme == "file")
    });
    let windows_drive = text.as_bytes().get(1..3) == Some(b":\\".as_slice());
    has_scheme
        || windows_drive
        || text.starts_with(['.', '/', '\\', '~'])
        || (!text.contains(['=', '<', '>', '!', '~', '@', ';']) && text.contains('/'))
        || ARCHIVE_SUFFIXES.iter().any(|suffix| text.ends_with(suffix))
}

/// Source distribution and wheel file endings pip installs from.
const ARCHIVE_SUFFIXES: [&str; 7] = [
    ".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar",
];

fn named_entry(mut requirement: pep508::Requirement) -> Entry {
    requirement.extras.sort();
    let version = requirement.pinned_version().map(str::to_owned);
    let mut entry = Entry {
        specifier: if version.is_some() {
            String::new()
        } else {
            requirement.specifier
        },
        name: requirement.name,
        version,
        extras: requirement.extras,
        marker: requirement.marker,
        source: None,
        hashes: Vec::new(),
        editable: false,
        location: Location {
            path: String::new(),
            line: None,
        },
    };
    if let Some(url) = requirement.url {
        let (source, _, version) = classify_location(&url);
        entry.source = Some(source);
        entry.version = version;
    }
    entry
}

/// A requirement given as a URL or path, optionally followed by `[extras]` and `; marker`.
/// The name comes from `#egg=`, a wheel or sdist file name, or the last path segment.
fn parse_unnamed(text: &str) -> Result<Entry, String> {
    let (body, marker) = match text.char_indices().find(|&(index, character)| {
        character == ';' && text[..index].ends_with(char::is_whitespace)
    }) {
        Some((index, _)) => (&text[..index], Some(text[index + 1..].trim().to_owned())),
        None => (text, None),
    };
    let body = body.trim();
    let (location, extras) = match body
        .strip_suffix(']')
        .and_then(|inner| inner.rsplit_once('['))
    {
        Some((location, extras)) => {
            let mut extras: Vec<String> = extras
                .split(',')
                .map(str::trim)
                .filter(|extra| !extra.is_empty())
                .map(str::to_owned)
                .collect();
            extras.sort();
            (location.trim_end(), extras)
        }
        None => (body, Vec::new()),
    };
    let local_fragment = location
        .split_once('#')
        .filter(|_| !location.contains("://"))
        .map(|(_, fragment)| fragment);
    if local_fragment.is_some_and(|fragment| !fragment.contains('=')) {
        return Err(format!(
            "`{location}` holds `#`: a comment must be preceded by whitespace"
        ));
    }
    let (source, name, version) = classify_location(location);
    let name = name.ok_or_else(|| format!("cannot tell the package name of `{location}`"))?;
    Ok(Entry {
        name,
        version,
        specifier: String::new(),
        extras,
        marker: marker.filter(|marker| !marker.is_empty()),
        source: Some(source),
        hashes: Vec::new(),
        editable: false,
        location: Location {
            path: String::new(),
            line: None,
        },
    })
}

/// Where a URL or path requirement comes from, and the name and version its file name tells.
fn classify_location(location: &str) -> (Source, Option<String>, Option<String>) {
    let (without_fragment, fragment) = match location.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (location, None),
    };
    let egg = fragment.and_then(|fragment| {
        fragment
            .split('&')
            .find_map(|parameter| parameter.strip_prefix("egg="))
            .map(|egg| {
                egg.split(|character: char| {
                    !(character.is_ascii_alphanumeric() || "-_.".contains(character))
                })
                .next()
                .unwrap_or_default()
                .to_owned()
            })
            .filter(|egg| !egg.is_empty())
    });
    let last_segment = without_fragment
        .split('?')
        .next()
        .unwrap_or_default()
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();

    if let Some(url) = location.strip_prefix("git+") {
        let url = url.split('#').next().unwrap_or(url);
        let path_start = url.rfind('/').unwrap_or(0);
        let (url, reference) = match url[path_start..].rfind('@') {
            Some(at) => (
                &url[..path_start + at],
                Some(url[path_start + at + 1..].to_owned()),
            ),
            None => (url, None),
        };
        let repository = url.rsplit('/').next().unwrap_or_default();
        let name = egg.or_else(|| {
            Some(repository.trim_end_matches(".git").trim().to_owned())
                .filter(|name| !name.is_empty())
        });
        let source = Source::Git {
            url: url.to_owned(),
            reference,
        };
        return (source, name, None);
    }
    let (file_name, file_version) = distribution_file_name(last_segment);
    let name = egg.or(file_name);
    if let Some(path) = location.strip_prefix("file://") {
        return (
            Source::Path {
                path: without_fragment
                    .strip_prefix("file://")
                    .unwrap_or(path)
                    .to_owned(),
            },
            name,
            file_version,
        );
    }
    if location.contains("://") {
        return (
            Source::Url {
                url: location.to_owned(),
            },
            name,
            file_version,
        );
    }
    (
        Source::Path {
            path: without_fragment.to_owned(),
        },
        name,
        file_version,
    )
}

/// Name and version from a wheel (`name-version-tags.whl`) or sdist (`name-version.tar.gz`)
/// file name; a directory's name is taken as the package name, without version.
fn distribution_file_name(segment: &str) -> (Option<String>, Option<String>) {
    let segment = segment.trim();
    // `.`, `..` and `C:` name no package: the name is only known after building it.
    if segment.is_empty() || segment == "." || segment == ".." || segment.contains(':') {
        return (None, None);
    }
    if let Some(stem) = segment.strip_suffix(".whl") {
        let mut parts = stem.split('-');
        let name = parts
            .next()
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        let version = parts
            .next()
            .filter(|version| !version.is_empty())
            .map(str::to_owned);
        return (name, version);
    }
    if let Some(stem) = ARCHIVE_SUFFIXES
        .iter()
        .find_map(|suffix| segment.strip_suffix(suffix))
    {
        return match stem.rsplit_once('-') {
            Some((name, version))
                if !name.trim().is_empty() && version.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                (Some(name.to_owned()), Some(version.to_owned()))
            }
            // `1.26.8.zip` names a tag, not a distribution.
            _ => (None, None),
        };
    }
    let directory = segment.trim_end_matches(".git").trim();
    (
        Some(directory.to_owned()).filter(|name| !name.is_empty()),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::catalog_beside;

    fn catalog(contents: &str, files: &[(&'static str, &'static str)]) -> Catalog {
        catalog_beside(&RequirementsTxt, "app/requirements.txt", contents, files)
    }

    fn versions(catalog: &Catalog) -> Vec<(String, Option<String>)> {
        catalog
            .components
            .iter()
            .map(|component| (component.name.clone(), component.version.clone()))
            .collect()
    }

    #[test]
    fn constraints_pin_requirements_declared_in_includes_and_cycles_stop() {
        let catalog = catalog(
            "-r sub/a.txt\n-c constraints.txt\nflask\n",
            &[
                (
                    "sub/a.txt",
                    "-r ../requirements.txt\n\nRequests[socks]>=2\n",
                ),
                (
                    "constraints.txt",
                    "flask==2.0.1\nrequests==2.31.0\nunused==1.0\n",
                ),
            ],
        );
        assert_eq!(
            versions(&catalog),
            [
                ("flask".to_owned(), Some("2.0.1".to_owned())),
                ("requests".to_owned(), Some("2.31.0".to_owned())),
            ]
        );
        let requests = &catalog.components[1];
        assert_eq!(requests.id.as_str(), "pkg:pypi/requests@2.31.0");
        assert_eq!(requests.direct, Some(true));
        assert_eq!(
            requests.locations,
            [Location {
                path: "app/sub/a.txt".to_owned(),
                line: Some(3)
            }]
        );
        assert_eq!(requests.properties["vouch:requirement"], ">=2");
        assert_eq!(requests.properties["vouch:extras"], "socks");
        assert_eq!(
            catalog.warnings,
            [
                "app/sub/a.txt line 1: `../requirements.txt` includes itself through a cycle; not read again"
            ]
        );
    }

    #[test]
    fn index_url_marks_every_registry_requirement() {
        let catalog = catalog(
            "--index-url https://mirror.example/simple/\nsix==1.16.0\n",
            &[],
        );
        let six = &catalog.components[0];
        assert_eq!(
            six.source,
            Source::Registry {
                url: Some("https://mirror.example/simple".to_owned())
            }
        );
        assert_eq!(
            six.id.as_str(),
            "pkg:pypi/six@1.16.0?repository_url=https:%2F%2Fmirror.example%2Fsimple"
        );
    }

    #[test]
    fn vcs_and_archive_requirements_keep_their_source() {
        let catalog = catalog(
            "-e git+https://github.com/pallets/click.git@8.1.7#egg=click\n\
             pip @ https://example.com/pip-24.0.tar.gz\n",
            &[],
        );
        let [click, pip] = catalog.components.as_slice() else {
            panic!("two components expected: {:?}", catalog.components);
        };
        assert_eq!(
            click.source,
            Source::Git {
                url: "https://github.com/pallets/click.git".to_owned(),
                reference: Some("8.1.7".to_owned())
            }
        );
        assert_eq!(
            click.id.as_str(),
            "pkg:pypi/click?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpallets%2Fclick.git%408.1.7"
        );
        assert_eq!(click.properties["vouch:editable"], "true");
        assert_eq!(pip.version.as_deref(), Some("24.0"));
        assert_eq!(
            pip.download_url.as_deref(),
            Some("https://example.com/pip-24.0.tar.gz")
        );
    }

    #[test]
    fn windows_line_endings_read_like_unix_ones() {
        let catalog = catalog(
            "numpy==1.24.2\r\npandas==2.0.0 \\\r\n  --hash=sha256:x\r\n",
            &[],
        );
        assert_eq!(
            versions(&catalog),
            [
                ("numpy".to_owned(), Some("1.24.2".to_owned())),
                ("pandas".to_owned(), Some("2.0.0".to_owned())),
            ]
        );
        assert_eq!(
            catalog.warnings,
            ["line 2: `--hash=sha256:x` is not `algorithm:hex digest`; ignored"]
        );
    }

    #[test]
    fn odd_lines_are_warnings_never_errors() {
        let lines = [
            "/.git",
            " -1.0.whl",
            "-r",
            "-e",
            "--hash",
            "${",
            "\\",
            "é==1",
            "a @",
            "[",
            "#egg=",
            "git+",
            "git+@",
            "file://",
            "http://",
            "-e .",
            "./x#egg=",
            "é/ü.whl",
            "-rnested.txt",
        ];
        for line in lines {
            let result = RequirementsTxt.catalog(&Input {
                path: "requirements.txt",
                contents: line,
                files: &crate::NoFiles,
            });
            assert!(result.is_ok(), "`{line}`: {result:?}");
        }
    }

    #[test]
    fn continuation_lines_join_before_comments_are_stripped() {
        let lines = logical_lines("a==1 \\\n  --hash=x \\\n# c\nb\\\nc==2\nd \\");
        assert_eq!(
            lines,
            [
                (1, "a==1   --hash=x ".to_owned()),
                (4, "bc==2".to_owned()),
                (6, "d ".to_owned()),
            ]
        );
    }
}
