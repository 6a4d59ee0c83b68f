//! Bundler: `Gemfile.lock` and `gems.locked`.
//!
//! The lockfile is a sequence of sections. Source sections (`GEM`, `GIT`, `PATH`,
//! `PLUGIN SOURCE`) hold `remote:`-style options and a `specs:` list, where four spaces of
//! indentation introduce a locked gem `name (version[-platform])` and six its dependencies.
//! `DEPENDENCIES` lists what the Gemfile asks for (the direct dependencies; a trailing `!` means
//! the gem comes from a source other than the default one) and `CHECKSUMS` (Bundler 2.5+) their
//! SHA-256 digests.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use vouch_model::{
    Component, ComponentKind, Ecosystem, Hash, HashAlgorithm, Purl, PurlError, Relationship,
    RelationshipKind, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, hex_hash};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(GemfileLock)]
}

/// Remotes that stand for rubygems.org, the default registry.
const RUBYGEMS_REMOTES: [&str; 2] = ["https://rubygems.org/", "https://rubygems.org"];

#[derive(Debug, Clone, Copy)]
struct GemfileLock;

/// The section a line belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    Source(SourceKind),
    Dependencies,
    Checksums,
    /// `PLATFORMS`, `RUBY VERSION`, `BUNDLED WITH` and sections this reader does not know.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SourceKind {
    Gem,
    Git,
    Path,
    Plugin,
}

/// Options of one source section, collected before its specs are turned into components.
#[derive(Default)]
struct SourceOptions {
    remotes: Vec<String>,
    revision: Option<String>,
}

/// A locked gem as read from a `specs:` list.
struct Spec {
    name: String,
    version: String,
    platform: Option<String>,
    line: usize,
    /// Index into the source sections read so far.
    source_index: usize,
    dependencies: Vec<String>,
}

impl Cataloger for GemfileLock {
    fn name(&self) -> &'static str {
        "gemfile-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "Gemfile.lock" || file_name == "gems.locked"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let ParsedLock {
            sources,
            specs,
            direct,
            checksums,
        } = parse(input, &mut catalog.warnings)?;

        let mut seen = HashSet::new();
        let mut spec_ids = Vec::with_capacity(specs.len());
        for spec in &specs {
            let Some((kind, options)) = sources.get(spec.source_index) else {
                spec_ids.push(None);
                continue;
            };
            let mut component = match spec_component(input, spec, *kind, options) {
                Ok(component) => component,
                Err(error) => {
                    catalog.warnings.push(format!(
                        "line {}: skipped gem `{}`: {error}",
                        spec.line, spec.name
                    ));
                    spec_ids.push(None);
                    continue;
                }
            };
            let spelled = match &spec.platform {
                Some(platform) => format!("{} ({}-{platform})", spec.name, spec.version),
                None => format!("{} ({})", spec.name, spec.version),
            };
            if let Some(hashes) = checksums.get(&spelled) {
                component.hashes.clone_from(hashes);
            }
            component.direct = direct.as_ref().map(|direct| direct.contains(&spec.name));
            spec_ids.push(Some(component.id.clone()));
            if seen.insert(component.id.clone()) {
                catalog.components.push(component);
            }
        }

        // Dependency lines name a gem, not a version or platform: every locked variant counts.
        let mut ids_by_name: BTreeMap<&str, Vec<&vouch_model::ComponentId>> = BTreeMap::new();
        for (spec, id) in specs.iter().zip(&spec_ids) {
            if let Some(id) = id {
                ids_by_name.entry(spec.name.as_str()).or_default().push(id);
            }
        }
        let mut edges = BTreeSet::new();
        for (spec, from) in specs.iter().zip(&spec_ids) {
            let Some(from) = from else { continue };
            for dependency in &spec.dependencies {
                match ids_by_name.get(dependency.as_str()) {
                    Some(targets) => {
                        for to in targets {
                            edges.insert(Relationship::new(
                                from.clone(),
                                RelationshipKind::DependsOn,
                                (*to).clone(),
                            ));
                        }
                    }
                    // Bundler itself is never locked as a spec: `BUNDLED WITH` stands for it.
                    None if dependency == "bundler" => {}
                    None => catalog.warnings.push(format!(
                        "line {}: dependency `{dependency}` of `{}` is not locked",
                        spec.line, spec.name
                    )),
                }
            }
        }
        catalog.relationships = edges.into_iter().collect();
        Ok(catalog)
    }
}

/// What the lockfile's sections say, before it becomes components.
struct ParsedLock {
    sources: Vec<(SourceKind, SourceOptions)>,
    specs: Vec<Spec>,
    /// Gem names under `DEPENDENCIES`; `None` when the section is missing.
    direct: Option<HashSet<String>>,
    /// `CHECKSUMS` digests keyed `name (version[-platform])`.
    checksums: HashMap<String, Vec<Hash>>,
}

fn parse(input: &Input<'_>, warnings: &mut Vec<String>) -> Result<ParsedLock, CatalogError> {
    let mut sources: Vec<(SourceKind, SourceOptions)> = Vec::new();
    let mut specs: Vec<Spec> = Vec::new();
    let mut direct: Option<HashSet<String>> = None;
    let mut checksums: HashMap<String, Vec<Hash>> = HashMap::new();
    let mut section = Section::Other;
    for (index, line) in input.contents.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let text = line.trim_start_matches(' ');
        if indent == 0 {
            section = match text {
                "GEM" => Section::Source(SourceKind::Gem),
                "GIT" => Section::Source(SourceKind::Git),
                "PATH" => Section::Source(SourceKind::Path),
                "PLUGIN SOURCE" => Section::Source(SourceKind::Plugin),
                "DEPENDENCIES" => {
                    direct.get_or_insert_with(HashSet::new);
                    Section::Dependencies
                }
                "CHECKSUMS" => Section::Checksums,
                "PLATFORMS" | "RUBY VERSION" | "BUNDLED WITH" => Section::Other,
                _ => {
                    warnings.push(format!(
                        "line {line_number}: skipped unknown section `{text}`"
                    ));
                    Section::Other
                }
            };
            if let Section::Source(kind) = section {
                sources.push((kind, SourceOptions::default()));
            }
            continue;
        }
        match &section {
            Section::Source(_) => {
                let source_index = sources.len().saturating_sub(1);
                match indent {
                    2 => {
                        if let (Some((key, value)), Some((_, options))) =
                            (text.split_once(": "), sources.last_mut())
                        {
                            match key {
                                "remote" => options.remotes.push(value.to_owned()),
                                "revision" => options.revision = Some(value.to_owned()),
                                _ => {}
                            }
                        }
                    }
                    4 => match parse_name_version(text) {
                        Some((name, Some(version))) => {
                            let (version, platform) = split_platform(version);
                            specs.push(Spec {
                                name: name.to_owned(),
                                version: version.to_owned(),
                                platform: platform.map(str::to_owned),
                                line: line_number,
                                source_index,
                                dependencies: Vec::new(),
                            });
                        }
                        _ => warnings.push(format!(
                            "line {line_number}: skipped spec `{text}`: no version in parentheses"
                        )),
                    },
                    6 => match (parse_name_version(text), specs.last_mut()) {
                        (Some((name, _)), Some(spec)) => {
                            spec.dependencies.push(name.to_owned());
                        }
                        _ => warnings.push(format!(
                            "line {line_number}: skipped dependency `{text}` outside any spec"
                        )),
                    },
                    _ => {
                        return Err(input.error(
                            Some(line_number),
                            format!(
                                "unexpected indentation of {indent} spaces in a source section"
                            ),
                        ));
                    }
                }
            }
            Section::Dependencies if indent == 2 => {
                if let (Some((name, _)), Some(direct)) = (parse_name_version(text), direct.as_mut())
                {
                    direct.insert(name.trim_end_matches('!').to_owned());
                }
            }
            Section::Checksums if indent == 2 => {
                if let Some((entry, digests)) = text.split_once(") ") {
                    let hashes = digests
                        .split(',')
                        .filter_map(|digest| digest.strip_prefix("sha256="))
                        .filter_map(|hex| hex_hash(HashAlgorithm::Sha256, hex))
                        .collect();
                    checksums.insert(format!("{entry})"), hashes);
                }
            }
            _ => {}
        }
    }
    Ok(ParsedLock {
        sources,
        specs,
        direct,
        checksums,
    })
}

fn spec_component(
    input: &Input<'_>,
    spec: &Spec,
    kind: SourceKind,
    options: &SourceOptions,
) -> Result<Component, PurlError> {
    let mut purl = Purl::new("gem", &spec.name)?.with_version(&spec.version)?;
    if let Some(platform) = &spec.platform {
        purl = purl.with_qualifier("platform", platform)?;
    }
    let remote = options.remotes.first().cloned().unwrap_or_default();
    let mut component_kind = ComponentKind::Library;
    let source = match kind {
        SourceKind::Gem
            if options.remotes.is_empty()
                || options
                    .remotes
                    .iter()
                    .any(|remote| RUBYGEMS_REMOTES.contains(&remote.as_str())) =>
        {
            Source::Registry { url: None }
        }
        // Another gem server, or a Bundler source plugin serving gems from `remote`.
        SourceKind::Gem | SourceKind::Plugin => {
            purl = purl.with_qualifier("repository_url", &remote)?;
            Source::Registry { url: Some(remote) }
        }
        SourceKind::Git => {
            let vcs_url = match &options.revision {
                Some(revision) => format!("git+{remote}@{revision}"),
                None => format!("git+{remote}"),
            };
            purl = purl.with_qualifier("vcs_url", &vcs_url)?;
            Source::Git {
                url: remote,
                reference: options.revision.clone(),
            }
        }
        // `remote: .` is the gemspec of the project that owns the Gemfile.
        SourceKind::Path if remote == "." || remote == "./" => {
            component_kind = ComponentKind::Application;
            Source::Workspace
        }
        SourceKind::Path => Source::Path { path: remote },
    };
    let mut component = Component::package(Ecosystem::RubyGems, purl);
    component.kind = component_kind;
    component.source = source;
    component.locations.push(input.location(Some(spec.line)));
    Ok(component)
}

/// `name`, `name (requirements)` or `name!` → name and the text in parentheses.
fn parse_name_version(text: &str) -> Option<(&str, Option<&str>)> {
    match text.split_once(" (") {
        Some((name, rest)) => Some((name, Some(rest.strip_suffix(')')?))),
        None if !text.contains(' ') => Some((text, None)),
        None => None,
    }
}

/// `1.15.0-x86_64-linux` → version `1.15.0`, platform `x86_64-linux` (gem versions hold no `-`).
fn split_platform(version: &str) -> (&str, Option<&str>) {
    match version.split_once('-') {
        Some((version, platform)) => (version, Some(platform)),
        None => (version, None),
    }
}
