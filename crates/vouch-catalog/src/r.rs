//! R: `renv.lock`, the packages of an renv project library with where each came from.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use vouch_model::{
    Component, ComponentId, Ecosystem, Purl, Relationship, RelationshipKind, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

/// Packages that ship with R itself: renv never locks them, so requirements on them are met.
const BASE_PACKAGES: [&str; 14] = [
    "base",
    "compiler",
    "datasets",
    "graphics",
    "grDevices",
    "grid",
    "methods",
    "parallel",
    "splines",
    "stats",
    "stats4",
    "tcltk",
    "tools",
    "utils",
];

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(RenvLock)]
}

struct RenvLock;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LockFile {
    #[serde(rename = "R")]
    r: Option<RSection>,
    #[serde(default)]
    packages: BTreeMap<String, Package>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RSection {
    #[serde(default)]
    repositories: Vec<Repository>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Repository {
    name: String,
    #[serde(rename = "URL")]
    url: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Package {
    package: Option<String>,
    version: Option<String>,
    source: Option<String>,
    repository: Option<String>,
    hash: Option<String>,
    #[serde(default)]
    requirements: Vec<String>,
    remote_type: Option<String>,
    remote_host: Option<String>,
    remote_username: Option<String>,
    remote_repo: Option<String>,
    remote_url: Option<String>,
    remote_ref: Option<String>,
    remote_sha: Option<String>,
}

impl Cataloger for RenvLock {
    fn name(&self) -> &'static str {
        "renv-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "renv.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(lock) = input.parse_json::<LockFile>("")? else {
            return Ok(catalog);
        };
        let repositories: HashMap<&str, &str> = lock
            .r
            .iter()
            .flat_map(|r| &r.repositories)
            .map(|repository| (repository.name.as_str(), repository.url.as_str()))
            .collect();
        let mut ids: HashMap<&str, ComponentId> = HashMap::new();
        for (key, package) in &lock.packages {
            let name = package.package.as_deref().unwrap_or(key);
            let line = input
                .contents
                .find(&format!("\"{key}\": {{"))
                .map(|offset| line_of_offset(input.contents, offset));
            match component(name, package, &repositories) {
                Ok(mut component) => {
                    component.locations = vec![input.location(line)];
                    ids.insert(key.as_str(), component.id.clone());
                    catalog.components.push(component);
                }
                Err(problem) => catalog.warnings.push(format!(
                    "{}:{}: package {name}: {problem}; skipped",
                    input.path,
                    line.unwrap_or(1)
                )),
            }
        }
        for (key, package) in &lock.packages {
            let Some(from) = ids.get(key.as_str()) else {
                continue;
            };
            for requirement in &package.requirements {
                match ids.get(requirement.as_str()) {
                    Some(to) => catalog.relationships.push(Relationship::new(
                        from.clone(),
                        RelationshipKind::DependsOn,
                        to.clone(),
                    )),
                    None if BASE_PACKAGES.contains(&requirement.as_str()) => {}
                    None => catalog.warnings.push(format!(
                        "{}: requirement {requirement} of {key} is not in the lockfile",
                        input.path
                    )),
                }
            }
        }
        Ok(catalog)
    }
}

fn component(
    name: &str,
    package: &Package,
    repositories: &HashMap<&str, &str>,
) -> Result<Component, String> {
    let version = package
        .version
        .as_deref()
        .filter(|version| !version.is_empty())
        .ok_or("no version")?;
    // Bioconductor is its own registry (OSV names it so); purl has no type for it yet, so it
    // gets one of its own rather than claiming to be on CRAN.
    let bioconductor = package.source.as_deref() == Some("Bioconductor");
    let (ecosystem, purl_type) = if bioconductor {
        (Ecosystem::Other("Bioconductor".to_owned()), "bioconductor")
    } else {
        (Ecosystem::Cran, "cran")
    };
    let purl = Purl::new(purl_type, name)
        .and_then(|purl| purl.with_version(version))
        .map_err(|error| error.to_string())?;
    let mut component = Component::package(ecosystem, purl);
    component.source = source(package, repositories);
    if let Some(repository) = &package.repository {
        component
            .properties
            .insert("renv:repository".to_owned(), repository.clone());
    }
    if let Some(hash) = &package.hash {
        // An MD5 of the package's DESCRIPTION file, not of any artifact.
        component
            .properties
            .insert("renv:hash".to_owned(), hash.clone());
    }
    Ok(component)
}

/// Where renv installed the package from: a repository (CRAN unless named otherwise), a
/// forge, a local directory or a URL.
fn source(package: &Package, repositories: &HashMap<&str, &str>) -> Source {
    let remote_type = package
        .remote_type
        .as_deref()
        .or(package.source.as_deref())
        .unwrap_or("Repository")
        .to_ascii_lowercase();
    let forge_host = match remote_type.as_str() {
        "github" => Some("github.com"),
        "gitlab" => Some("gitlab.com"),
        "bitbucket" => Some("bitbucket.org"),
        _ => None,
    };
    if let (Some(default_host), Some(user), Some(repo)) =
        (forge_host, &package.remote_username, &package.remote_repo)
    {
        let host = package
            .remote_host
            .as_deref()
            .filter(|host| !host.starts_with("api."))
            .unwrap_or(default_host);
        return Source::Git {
            url: format!("https://{host}/{user}/{repo}"),
            reference: package
                .remote_sha
                .clone()
                .or_else(|| package.remote_ref.clone()),
        };
    }
    match (remote_type.as_str(), &package.remote_url) {
        ("git", Some(url)) => Source::Git {
            url: url.clone(),
            reference: package
                .remote_sha
                .clone()
                .or_else(|| package.remote_ref.clone()),
        },
        ("local", Some(path)) => Source::Path { path: path.clone() },
        ("url", Some(url)) => Source::Url { url: url.clone() },
        _ => {
            // A repository the lockfile does not describe keeps only its name, as a property.
            let url = package
                .repository
                .as_deref()
                .filter(|name| *name != "CRAN")
                .and_then(|name| repositories.get(name))
                .map(|url| (*url).to_owned());
            Source::Registry { url }
        }
    }
}
