//! `yarn.lock`: Yarn classic (v1, its own line format) and Yarn Berry (v2+, YAML with a
//! `__metadata` key, read in [`super::yarn_berry`]).
//!
//! Neither says which packages the project needs directly or only for development: that is read
//! from the `package.json` files of the project (and, for Berry, of its workspace members) and
//! carried through the dependency graph.

use std::collections::{BTreeSet, HashMap};

use vouch_model::ComponentId;

use super::{
    DependencyGroup, Origin, Package, PackageSet, add_integrity, directory_name,
    read_member_manifest, sha1_fragment, split_name_spec, yarn_berry,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct YarnLockCataloger;

impl Cataloger for YarnLockCataloger {
    fn name(&self) -> &'static str {
        "yarn-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "yarn.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let is_berry = input
            .contents
            .lines()
            .any(|line| line.starts_with("__metadata:"));
        if is_berry {
            yarn_berry::catalog(input)
        } else {
            catalog_classic(input)
        }
    }
}

/// One lockfile entry in either format, read but not yet linked.
#[derive(Debug)]
pub(super) struct Entry {
    /// The `name@range` requests this entry satisfies.
    pub(super) descriptors: Vec<String>,
    pub(super) package: Package,
    /// `(group, name, range)` as the entry lists them.
    pub(super) dependencies: Vec<(DependencyGroup, String, String)>,
}

/// Links entries into a graph. `find` maps a dependency `(name, range, dependent entry)` to the
/// entry index that satisfies it.
pub(super) fn link_entries(
    input: &Input<'_>,
    set: &mut PackageSet,
    entries: Vec<Entry>,
    find: impl Fn(&str, &str, usize) -> Option<usize>,
) -> Vec<ComponentId> {
    let mut ids = Vec::with_capacity(entries.len());
    let mut dependency_lists = Vec::with_capacity(entries.len());
    for entry in entries {
        ids.push(set.add(input, entry.package));
        dependency_lists.push(entry.dependencies);
    }
    for (index, dependencies) in dependency_lists.iter().enumerate() {
        let Some(from) = ids.get(index) else { continue };
        for (group, name, range) in dependencies {
            match find(name, range, index).and_then(|target| ids.get(target)) {
                Some(to) => set.relate(from, group.relationship(), to),
                None if *group == DependencyGroup::Production => set.warn(
                    None,
                    format!("`{name}@{range}`, needed by `{from}`, is not in the lock"),
                ),
                None => {}
            }
        }
    }
    ids
}

/// An index from each `name@range` descriptor to the entry that satisfies it.
pub(super) fn descriptor_index(entries: &[Entry]) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (position, entry) in entries.iter().enumerate() {
        for descriptor in &entry.descriptors {
            index.entry(descriptor.clone()).or_insert(position);
        }
    }
    index
}

fn catalog_classic(input: &Input<'_>) -> Result<Catalog, CatalogError> {
    let mut set = PackageSet::default();
    let raw_entries = parse_classic(input)?;
    let mut entries = Vec::with_capacity(raw_entries.len());
    for raw in raw_entries {
        if let Some(entry) = classic_entry(&mut set, raw) {
            entries.push(entry);
        }
    }
    let index = descriptor_index(&entries);
    let find = |name: &str, range: &str, _: usize| index.get(&format!("{name}@{range}")).copied();
    let ids = link_entries(input, &mut set, entries, find);

    let Some(manifest) = read_member_manifest(input, ".", &mut set)? else {
        return Ok(set.finish());
    };
    let name = manifest.name.clone().or_else(|| directory_name(input));
    let Some(name) = name else {
        return Ok(set.finish());
    };
    let project = set.add(
        input,
        Package::new(
            name,
            manifest.version.clone(),
            Origin::Workspace(".".to_owned()),
        ),
    );
    for (group, dependency, range) in &manifest.dependencies {
        let target = index.get(&format!("{dependency}@{range}"));
        if let Some(to) = target.and_then(|&target| ids.get(target)) {
            set.relate(&project, group.relationship(), to);
        }
    }
    let projects = BTreeSet::from([project]);
    let reached = set.scope_from_graph(&projects);
    set.mark_direct(&projects);
    if manifest.has_workspaces {
        // What only workspace members need may be their direct dependency: unknown.
        for component in set.components_mut() {
            if !reached.contains(&component.id) && !projects.contains(&component.id) {
                component.direct = None;
            }
        }
        set.warn(
            None,
            "the project has workspaces, which yarn.lock v1 does not list: packages the root \
             does not reach are reported as required, and whether they are direct is unknown",
        );
    }
    Ok(set.finish())
}

/// A classic entry as written: its header and fields.
#[derive(Debug, Default)]
struct RawEntry {
    line: usize,
    descriptors: Vec<String>,
    fields: HashMap<String, String>,
    dependencies: Vec<(DependencyGroup, String, String)>,
}

/// Parses the classic format: unindented `descriptor, descriptor:` headers, two-space-indented
/// `key value` fields, and four-space-indented `name range` lines under `dependencies:` and
/// `optionalDependencies:`. Keys and values may be JSON-style quoted.
fn parse_classic(input: &Input<'_>) -> Result<Vec<RawEntry>, CatalogError> {
    let mut entries: Vec<RawEntry> = Vec::new();
    let mut section: Option<Option<DependencyGroup>> = None;
    for (index, raw_line) in input.contents.lines().enumerate() {
        let line_number = index + 1;
        let line = raw_line.trim_end();
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        let malformed = |message: &str| input.error(Some(line_number), message.to_owned());
        match indent {
            0 => {
                let header = content
                    .strip_suffix(':')
                    .ok_or_else(|| malformed("an entry header must end with `:`"))?;
                let descriptors = split_header(header)
                    .ok_or_else(|| malformed("unterminated quote in the entry header"))?;
                entries.push(RawEntry {
                    line: line_number,
                    descriptors,
                    ..RawEntry::default()
                });
                section = None;
            }
            2 => {
                let entry = entries
                    .last_mut()
                    .ok_or_else(|| malformed("a field outside any entry"))?;
                let tokens =
                    tokenize(content).ok_or_else(|| malformed("unterminated quote in a field"))?;
                let mut tokens = tokens.into_iter();
                let key = tokens.next().unwrap_or_default();
                match (key.strip_suffix(':'), tokens.next()) {
                    (Some(section_name), None) => {
                        section = Some(match section_name {
                            "dependencies" => Some(DependencyGroup::Production),
                            "optionalDependencies" => Some(DependencyGroup::Optional),
                            _ => None,
                        });
                    }
                    (_, value) => {
                        section = None;
                        entry.fields.insert(key, value.unwrap_or_default());
                    }
                }
            }
            4 => {
                let entry = entries
                    .last_mut()
                    .ok_or_else(|| malformed("a dependency outside any entry"))?;
                let Some(group) = section else {
                    return Err(malformed("an indented line outside a dependency list"));
                };
                let tokens = tokenize(content)
                    .ok_or_else(|| malformed("unterminated quote in a dependency"))?;
                let mut tokens = tokens.into_iter();
                if let (Some(group), Some(name)) = (group, tokens.next()) {
                    entry
                        .dependencies
                        .push((group, name, tokens.next().unwrap_or_default()));
                }
            }
            _ => return Err(malformed("unexpected indentation")),
        }
    }
    Ok(entries)
}

/// Splits `a@1, "b@2"` at commas outside quotes, unquoting each descriptor.
fn split_header(header: &str) -> Option<Vec<String>> {
    let mut descriptors = Vec::new();
    let mut current = String::new();
    let mut characters = header.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' => current.push_str(&read_quoted(&mut characters)?),
            ',' => descriptors.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(character),
        }
    }
    descriptors.push(current.trim().to_owned());
    descriptors.retain(|descriptor| !descriptor.is_empty());
    Some(descriptors)
}

/// Whitespace-separated tokens, each bare or JSON-style quoted.
fn tokenize(text: &str) -> Option<Vec<String>> {
    let mut tokens = Vec::new();
    let mut characters = text.chars().peekable();
    while let Some(&character) = characters.peek() {
        if character.is_whitespace() {
            characters.next();
        } else if character == '"' {
            characters.next();
            let mut token = read_quoted(&mut characters)?;
            // A quoted key is followed by its `:` when it opens a section.
            if characters.peek() == Some(&':') {
                characters.next();
                token.push(':');
            }
            tokens.push(token);
        } else {
            let mut token = String::new();
            while let Some(&next) = characters.peek() {
                if next.is_whitespace() {
                    break;
                }
                token.push(next);
                characters.next();
            }
            tokens.push(token);
        }
    }
    Some(tokens)
}

/// Reads up to the closing quote (the opening one already consumed), resolving `\` escapes.
fn read_quoted(characters: &mut impl Iterator<Item = char>) -> Option<String> {
    let mut text = String::new();
    loop {
        match characters.next()? {
            '"' => return Some(text),
            '\\' => match characters.next()? {
                'n' => text.push('\n'),
                't' => text.push('\t'),
                other => text.push(other),
            },
            character => text.push(character),
        }
    }
}

/// The package of a classic entry. The package's real name is the entry's own unless it was
/// requested through an alias (`alias@npm:real@range`).
fn classic_entry(set: &mut PackageSet, raw: RawEntry) -> Option<Entry> {
    let line = Some(raw.line);
    let Some(first) = raw.descriptors.first() else {
        set.warn(line, "an entry with no package descriptor; skipped");
        return None;
    };
    let (requested_name, range) = split_name_spec(first).unwrap_or((first.as_str(), ""));
    let name = range
        .strip_prefix("npm:")
        .and_then(split_name_spec)
        .map_or(requested_name, |(real_name, _)| real_name);
    let Some(version) = raw.fields.get("version") else {
        set.warn(line, format!("`{first}` has no version; skipped"));
        return None;
    };
    let resolved = raw.fields.get("resolved").map(String::as_str);
    let origin = match (resolved, range) {
        (_, range) if range.starts_with("file:") || range.starts_with("link:") => {
            Origin::from_resolved(range)
        }
        (Some(resolved), _) => Origin::from_resolved(resolved),
        (None, _) => Origin::Registry(None),
    };
    let mut package = Package::new(name, Some(version.clone()), origin).at_line(line);
    if let Some(integrity) = raw.fields.get("integrity") {
        add_integrity(set, &mut package, integrity);
    }
    if let Some(resolved) = resolved {
        if let Some(hash) = sha1_fragment(resolved).filter(|hash| !package.hashes.contains(hash)) {
            package.hashes.push(hash);
        }
        if resolved.starts_with("http") {
            let without_fragment = resolved.split('#').next().unwrap_or(resolved);
            package.download_url = Some(without_fragment.to_owned());
        }
    }
    Some(Entry {
        descriptors: raw.descriptors,
        package,
        dependencies: raw.dependencies,
    })
}
