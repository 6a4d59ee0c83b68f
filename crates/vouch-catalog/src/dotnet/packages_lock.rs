//! NuGet `packages.lock.json` (versions 1 and 2): per target framework, every resolved package
//! with its type (`Direct`, `Transitive`, `CentralTransitive`, `Project`), content hash and the
//! packages it depends on.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use vouch_model::{
    Component, ComponentId, Ecosystem, Hash, HashAlgorithm, Purl, Relationship, RelationshipKind,
    Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

pub(super) struct PackagesLock;

#[derive(Deserialize)]
struct LockFile {
    version: Option<serde_json::Value>,
    /// Target framework (optionally `framework/runtime`) → package name → entry.
    #[serde(default)]
    dependencies: BTreeMap<String, BTreeMap<String, Entry>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
    /// Project references carry `version` instead of `resolved`, when anything.
    version: Option<String>,
    content_hash: Option<String>,
    /// Name → requested version range.
    #[serde(default)]
    dependencies: BTreeMap<String, String>,
}

impl Cataloger for PackagesLock {
    fn name(&self) -> &'static str {
        "packages-lock-json"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "packages.lock.json"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(lock) = input.parse_json::<LockFile>("")? else {
            return Ok(catalog);
        };
        match lock.version.as_ref().and_then(serde_json::Value::as_u64) {
            Some(1 | 2) => {}
            _ => catalog.warnings.push(format!(
                "{}: lockfile version {} is not 1 or 2; read as version 2",
                input.path,
                lock.version
                    .map(|version| version.to_string())
                    .unwrap_or_else(|| "(missing)".to_owned())
            )),
        }
        let mut index: HashMap<ComponentId, usize> = HashMap::new();
        for (framework, packages) in &lock.dependencies {
            // NuGet ids are case-insensitive; dependency maps may spell them differently.
            let ids: HashMap<String, ComponentId> = packages
                .iter()
                .filter_map(|(name, entry)| {
                    let id = package_purl(name, entry).ok()?.to_string();
                    Some((name.to_ascii_lowercase(), ComponentId::new(id)))
                })
                .collect();
            for (name, entry) in packages {
                let purl = match package_purl(name, entry) {
                    Ok(purl) => purl,
                    Err(problem) => {
                        catalog.warnings.push(format!(
                            "{}: {framework}: package {name}: {problem}; skipped",
                            input.path
                        ));
                        continue;
                    }
                };
                let direct = matches!(entry.kind.as_deref(), Some("Direct" | "Project"));
                let component_id = ComponentId::new(purl.to_string());
                match index.get(&component_id) {
                    Some(&position) => {
                        if let Some(known) = catalog.components.get_mut(position) {
                            known.direct = Some(known.direct == Some(true) || direct);
                        }
                    }
                    None => {
                        let component =
                            new_component(input, &mut catalog.warnings, name, entry, purl, direct);
                        index.insert(component_id.clone(), catalog.components.len());
                        catalog.components.push(component);
                    }
                }
                for dependency in entry.dependencies.keys() {
                    match ids.get(&dependency.to_ascii_lowercase()) {
                        Some(to) => catalog.relationships.push(Relationship::new(
                            component_id.clone(),
                            RelationshipKind::DependsOn,
                            to.clone(),
                        )),
                        None => catalog.warnings.push(format!(
                            "{}: {framework}: dependency {dependency} of {name} is not resolved in the lockfile",
                            input.path
                        )),
                    }
                }
            }
        }
        catalog.relationships.sort();
        catalog.relationships.dedup();
        Ok(catalog)
    }
}

fn package_purl(name: &str, entry: &Entry) -> Result<Purl, String> {
    let version = entry
        .resolved
        .as_deref()
        .or(entry.version.as_deref())
        .filter(|version| !version.is_empty());
    let purl = Purl::new("nuget", name).map_err(|error| error.to_string())?;
    match (version, entry.kind.as_deref()) {
        (Some(version), _) => purl
            .with_version(version)
            .map_err(|error| error.to_string()),
        // A project reference is built from source: it has no version to resolve.
        (None, Some("Project")) => Ok(purl),
        (None, _) => Err("no resolved version".to_owned()),
    }
}

fn new_component(
    input: &Input<'_>,
    warnings: &mut Vec<String>,
    name: &str,
    entry: &Entry,
    purl: Purl,
    direct: bool,
) -> Component {
    let mut component = Component::package(Ecosystem::NuGet, purl);
    component.direct = Some(direct);
    if entry.kind.as_deref() == Some("Project") {
        component.source = Source::Workspace;
    }
    if let Some(content_hash) = &entry.content_hash {
        match base64_to_hex(content_hash) {
            // NuGet's content hash is the SHA-512 of the .nupkg.
            Some(hex) if hex.len() == HashAlgorithm::Sha512.hex_len() => {
                component.hashes.push(Hash::new(HashAlgorithm::Sha512, hex));
            }
            _ => warnings.push(format!(
                "{}: contentHash of {name} is not a base64 SHA-512 digest",
                input.path
            )),
        }
    }
    let line = input
        .contents
        .find(&format!("\"{name}\": {{"))
        .map(|offset| line_of_offset(input.contents, offset));
    component.locations = vec![input.location(line)];
    component
}

/// Decodes standard base64 (padding optional) into lower-case hex; `None` when it is not base64.
fn base64_to_hex(text: &str) -> Option<String> {
    let mut hex = String::with_capacity(text.len() * 3 / 2);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.trim().trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            hex.push_str(&format!("{:02x}", (buffer >> bits) & 0xff));
        }
    }
    Some(hex)
}

#[cfg(test)]
mod tests {
    use super::base64_to_hex;

    #[test]
    fn base64_decodes_to_hex_with_or_without_padding() {
        assert_eq!(base64_to_hex("AQID/w==").as_deref(), Some("010203ff"));
        assert_eq!(base64_to_hex("AQID/w").as_deref(), Some("010203ff"));
        assert_eq!(base64_to_hex("not base64!"), None);
    }
}
