//! CocoaPods `Podfile.lock`: `PODS` (every pod with the requirements of each),
//! `DEPENDENCIES` (what the Podfile asks for), `SPEC CHECKSUMS`, and where non-trunk pods come
//! from (`SPEC REPOS`, `EXTERNAL SOURCES`, `CHECKOUT OPTIONS`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use saphyr::MarkedYaml;
use vouch_model::{
    Component, ComponentId, Ecosystem, Hash, HashAlgorithm, Purl, Relationship, RelationshipKind,
    Source,
};

use crate::yaml::{entries, get, get_text, items, line, load_mapping, text};
use crate::{Catalog, CatalogError, Cataloger, Input};

pub(super) struct PodfileLock;

/// The CocoaPods master spec repository, under its two names.
const TRUNK: [&str; 2] = ["trunk", "https://github.com/CocoaPods/Specs.git"];

impl Cataloger for PodfileLock {
    fn name(&self) -> &'static str {
        "podfile-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "Podfile.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(document) = load_mapping(
            input,
            "not a Podfile.lock: expected a mapping with a `PODS` key",
        )?
        else {
            return Ok(catalog);
        };
        let direct: BTreeSet<String> = get(&document, "DEPENDENCIES")
            .into_iter()
            .flat_map(items)
            .filter_map(text)
            .map(|requirement| root_name(split_requirement(&requirement).0).to_owned())
            .collect();
        let checksums: HashMap<String, String> = get(&document, "SPEC CHECKSUMS")
            .into_iter()
            .flat_map(entries)
            .filter_map(|(name, checksum)| Some((text(name)?, text(checksum)?)))
            .collect();
        let repositories: HashMap<String, String> = get(&document, "SPEC REPOS")
            .into_iter()
            .flat_map(entries)
            .filter_map(|(repository, pods)| Some((text(repository)?, pods)))
            .filter(|(repository, _)| !TRUNK.contains(&repository.as_str()))
            .flat_map(|(repository, pods)| {
                items(pods).filter_map(move |pod| Some((text(pod)?, repository.clone())))
            })
            .collect();
        let external = get(&document, "EXTERNAL SOURCES");
        let checkout = get(&document, "CHECKOUT OPTIONS");

        // Pods by root name; subspecs (`Texture/Core`) belong to their pod.
        let mut pods: BTreeMap<String, Pod> = BTreeMap::new();
        for item in get(&document, "PODS").into_iter().flat_map(items) {
            let (declaration, requirements) = match entries(item).next() {
                Some((key, requirements)) => (key, Some(requirements)),
                None => (item, None),
            };
            let Some(declaration) = text(declaration) else {
                catalog.warnings.push(format!(
                    "{}:{}: PODS entry is neither `Name (version)` nor a mapping; skipped",
                    input.path,
                    line(item)
                ));
                continue;
            };
            let (name, version) = split_requirement(&declaration);
            let Some(version) = version.filter(|version| !version.is_empty()) else {
                catalog.warnings.push(format!(
                    "{}:{}: pod `{declaration}` has no version; skipped",
                    input.path,
                    line(item)
                ));
                continue;
            };
            let root = root_name(name);
            let pod = pods.entry(root.to_owned()).or_insert_with(|| Pod {
                version: version.to_owned(),
                line: line(item),
                subspecs: BTreeSet::new(),
                requires: BTreeSet::new(),
            });
            if let Some((_, subspec)) = name.split_once('/') {
                pod.subspecs.insert(subspec.to_owned());
            }
            for requirement in requirements.into_iter().flat_map(items).filter_map(text) {
                let required = root_name(split_requirement(&requirement).0);
                if required != root {
                    pod.requires.insert(required.to_owned());
                }
            }
        }

        let mut ids: HashMap<&str, ComponentId> = HashMap::new();
        for (name, pod) in &pods {
            let purl = match Purl::new("cocoapods", name)
                .and_then(|purl| purl.with_version(&pod.version))
            {
                Ok(purl) => purl,
                Err(error) => {
                    catalog
                        .warnings
                        .push(format!("{}:{}: pod {name}: {error}", input.path, pod.line));
                    continue;
                }
            };
            let mut component = Component::package(Ecosystem::CocoaPods, purl);
            component.direct = Some(direct.contains(name));
            if let Some(checksum) = checksums.get(name) {
                // The SHA-1 of the pod's podspec, as CocoaPods records it.
                if checksum.len() == HashAlgorithm::Sha1.hex_len()
                    && checksum.bytes().all(|byte| byte.is_ascii_hexdigit())
                {
                    component
                        .hashes
                        .push(Hash::new(HashAlgorithm::Sha1, checksum));
                } else {
                    catalog.warnings.push(format!(
                        "{}: checksum of {name} is not a SHA-1 digest: `{checksum}`",
                        input.path
                    ));
                }
            }
            component.source = source(
                external.and_then(|external| get(external, name)),
                checkout.and_then(|checkout| get(checkout, name)),
                repositories.get(name),
            );
            if !pod.subspecs.is_empty() {
                let subspecs: Vec<&str> = pod.subspecs.iter().map(String::as_str).collect();
                component
                    .properties
                    .insert("cocoapods:subspecs".to_owned(), subspecs.join(","));
            }
            component.locations = vec![input.location(Some(pod.line))];
            ids.insert(name.as_str(), component.id.clone());
            catalog.components.push(component);
        }
        for (name, pod) in &pods {
            let Some(from) = ids.get(name.as_str()) else {
                continue;
            };
            for required in &pod.requires {
                match ids.get(required.as_str()) {
                    Some(to) => catalog.relationships.push(Relationship::new(
                        from.clone(),
                        RelationshipKind::DependsOn,
                        to.clone(),
                    )),
                    None => catalog.warnings.push(format!(
                        "{}:{}: {name} requires {required}, which is not in PODS",
                        input.path, pod.line
                    )),
                }
            }
        }
        for name in direct.iter().filter(|name| !pods.contains_key(*name)) {
            catalog
                .warnings
                .push(format!("{}: dependency {name} is not in PODS", input.path));
        }
        Ok(catalog)
    }
}

struct Pod {
    version: String,
    line: usize,
    subspecs: BTreeSet<String>,
    requires: BTreeSet<String>,
}

/// `Name (constraint)` → (`Name`, `constraint`).
fn split_requirement(requirement: &str) -> (&str, Option<&str>) {
    match requirement.split_once(" (") {
        Some((name, rest)) => (
            name.trim(),
            Some(rest.trim_end().trim_end_matches(')').trim()),
        ),
        None => (requirement.trim(), None),
    }
}

/// The pod a (sub)spec belongs to: `Texture/Core` → `Texture`.
fn root_name(name: &str) -> &str {
    name.split_once('/').map_or(name, |(root, _)| root)
}

/// Where a pod comes from: an external source (`:path`, `:git`, `:podspec`), a spec repository
/// other than trunk, or trunk.
fn source(
    external: Option<&MarkedYaml<'_>>,
    checkout: Option<&MarkedYaml<'_>>,
    repository: Option<&String>,
) -> Source {
    if let Some(external) = external {
        if let Some(path) = get_text(external, ":path") {
            return Source::Path { path };
        }
        if let Some(url) = get_text(external, ":git") {
            // CHECKOUT OPTIONS pins the commit a branch or tag resolved to.
            let reference = [":commit", ":tag", ":branch"].iter().find_map(|key| {
                checkout
                    .and_then(|checkout| get_text(checkout, key))
                    .or_else(|| get_text(external, key))
            });
            return Source::Git { url, reference };
        }
        if let Some(url) = get_text(external, ":podspec") {
            return Source::Url { url };
        }
    }
    Source::Registry {
        url: repository.cloned(),
    }
}
