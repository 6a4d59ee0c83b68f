//! Maven `pom.xml`: the declared dependencies of one project, with `${property}` interpolation,
//! parents and `import`-scoped BOMs resolved from files in the same tree. Nothing is fetched:
//! transitive dependencies and remote parents are out of reach and reported as warnings.

use std::collections::{BTreeMap, HashSet};

use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Location, Purl, Relationship, Scope, Source,
};
use vouch_xml::{self as xml, Element};

use crate::{Catalog, CatalogError, Cataloger, Input};

/// Longest parent chain followed; real hierarchies are a handful deep.
const MAX_PARENTS: usize = 32;
/// Deepest chain of BOMs importing BOMs that is followed.
const MAX_IMPORT_DEPTH: usize = 8;
/// Deepest chain of properties referring to properties.
const MAX_INTERPOLATION_DEPTH: usize = 32;
/// Most property references expanded for one value: properties that each use another twice
/// would otherwise double the work at every level.
const MAX_SUBSTITUTIONS: usize = 4096;

pub(super) struct PomXml;

impl Cataloger for PomXml {
    fn name(&self) -> &'static str {
        "pom-xml"
    }

    fn matches(&self, file_name: &str) -> bool {
        // Not `*.pom`: those are published POMs in local repositories and caches, not projects.
        file_name == "pom.xml"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let root = xml::parse(input.contents)
            .map_err(|error| input.error(Some(error.line), error.message))?;
        if root.name != "project" {
            return Err(input.error(
                Some(root.line),
                format!("not a Maven POM: the root element is <{}>", root.name),
            ));
        }
        let mut resolver = Resolver {
            input,
            warnings: Vec::new(),
        };
        let project = resolver.load_hierarchy(Pom::read(&root, ""))?;
        Ok(resolver.catalog(&project))
    }
}

/// A dependency as written, before interpolation.
#[derive(Debug, Clone)]
struct RawDependency {
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    kind: Option<String>,
    classifier: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    line: usize,
    /// Path (relative to the catalogued file's directory) of the POM that declares it.
    declared_in: String,
}

impl RawDependency {
    fn read(element: &Element, declared_in: &str) -> Self {
        let text = |name: &str| element.child_text(name).map(str::to_owned);
        Self {
            group_id: text("groupId"),
            artifact_id: text("artifactId"),
            version: text("version"),
            kind: text("type"),
            classifier: text("classifier"),
            scope: text("scope"),
            // Maven reads the text as a boolean: an empty `<optional/>` is not optional.
            optional: text("optional"),
            line: element.line,
            declared_in: declared_in.to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
struct ParentReference {
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    /// `None` when absent (Maven's default `../pom.xml`), `Some("")` for an explicit empty
    /// element, which tells Maven to skip the local lookup.
    relative_path: Option<String>,
    line: usize,
}

/// One POM file as written, with active-by-default profiles folded in.
#[derive(Debug, Clone)]
struct Pom {
    /// Path relative to the catalogued file's directory; empty for the catalogued file itself.
    path: String,
    /// Line of `<project>`.
    line: usize,
    group_id: Option<String>,
    artifact_id: Option<String>,
    version: Option<String>,
    parent: Option<ParentReference>,
    properties: Vec<(String, String)>,
    dependencies: Vec<RawDependency>,
    managed: Vec<RawDependency>,
    /// Profiles whose activation depends on the build environment.
    skipped_profiles: Vec<(String, usize)>,
}

impl Pom {
    fn read(project: &Element, path: &str) -> Self {
        let text = |name: &str| project.child_text(name).map(str::to_owned);
        let mut pom = Self {
            path: path.to_owned(),
            line: project.line,
            group_id: text("groupId"),
            artifact_id: text("artifactId"),
            version: text("version"),
            parent: project.child("parent").map(|parent| ParentReference {
                group_id: parent.child_text("groupId").map(str::to_owned),
                artifact_id: parent.child_text("artifactId").map(str::to_owned),
                version: parent.child_text("version").map(str::to_owned),
                relative_path: parent
                    .child("relativePath")
                    .map(|relative| relative.text.trim().to_owned()),
                line: parent.line,
            }),
            properties: Vec::new(),
            dependencies: Vec::new(),
            managed: Vec::new(),
            skipped_profiles: Vec::new(),
        };
        pom.read_section(project);
        for profile in project
            .descend(&["profiles"])
            .into_iter()
            .flat_map(|profiles| profiles.children_named("profile"))
        {
            let active_by_default = profile
                .descend(&["activation"])
                .and_then(|activation| activation.child_text("activeByDefault"))
                == Some("true");
            if active_by_default {
                pom.read_section(profile);
            } else if profile.child("dependencies").is_some()
                || profile.child("dependencyManagement").is_some()
            {
                let id = profile.child_text("id").unwrap_or("(unnamed)").to_owned();
                pom.skipped_profiles.push((id, profile.line));
            }
        }
        pom
    }

    /// The groupId, inherited from the parent reference when not written.
    fn group_id(&self) -> Option<&str> {
        self.group_id
            .as_deref()
            .or_else(|| self.parent.as_ref()?.group_id.as_deref())
    }

    /// The version, inherited from the parent reference when not written.
    fn version(&self) -> Option<&str> {
        self.version
            .as_deref()
            .or_else(|| self.parent.as_ref()?.version.as_deref())
    }

    /// Reads what a project and a profile have in common.
    fn read_section(&mut self, section: &Element) {
        if let Some(properties) = section.child("properties") {
            self.properties.extend(
                properties
                    .children
                    .iter()
                    .map(|property| (property.name.clone(), property.text.trim().to_owned())),
            );
        }
        let dependencies = |path: &[&str]| {
            section
                .descend(path)
                .into_iter()
                .flat_map(|list| list.children_named("dependency"))
                .map(|dependency| RawDependency::read(dependency, &self.path))
                .collect::<Vec<_>>()
        };
        let declared = dependencies(&["dependencies"]);
        let managed = dependencies(&["dependencyManagement", "dependencies"]);
        self.dependencies.extend(declared);
        self.managed.extend(managed);
    }
}

/// A POM with its local ancestors, child first.
#[derive(Debug)]
struct Hierarchy {
    poms: Vec<Pom>,
    properties: BTreeMap<String, String>,
}

impl Hierarchy {
    /// Gathers the properties visible in the hierarchy: ancestors first so that children
    /// override them, then the `project.*` model values, which always describe the child.
    fn new(poms: Vec<Pom>) -> Self {
        let mut properties: BTreeMap<String, String> = poms
            .iter()
            .rev()
            .flat_map(|pom| pom.properties.iter().cloned())
            .collect();
        let model = [
            ("groupId", poms.first().and_then(Pom::group_id)),
            (
                "artifactId",
                poms.first().and_then(|pom| pom.artifact_id.as_deref()),
            ),
            ("version", poms.first().and_then(Pom::version)),
        ];
        for (field, value) in model {
            if let Some(value) = value {
                // `pom.*` is the deprecated spelling Maven still accepts.
                properties.insert(format!("project.{field}"), value.to_owned());
                properties.insert(format!("pom.{field}"), value.to_owned());
            }
        }
        if let Some(parent) = poms.first().and_then(|pom| pom.parent.as_ref()) {
            let parent_fields = [
                ("groupId", &parent.group_id),
                ("artifactId", &parent.artifact_id),
                ("version", &parent.version),
            ];
            for (field, value) in parent_fields {
                if let Some(value) = value {
                    properties.insert(format!("project.parent.{field}"), value.clone());
                }
            }
        }
        Self { poms, properties }
    }

    fn project(&self) -> Option<&Pom> {
        self.poms.first()
    }
}

/// The key Maven uses to tell dependencies apart and to match managed versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct ManagementKey {
    group_id: String,
    artifact_id: String,
    kind: String,
    classifier: Option<String>,
}

/// A dependency after interpolation.
#[derive(Debug, Clone)]
struct Dependency {
    key: ManagementKey,
    version: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    line: usize,
    declared_in: String,
}

struct Resolver<'input, 'text> {
    input: &'input Input<'text>,
    warnings: Vec<String>,
}

impl Resolver<'_, '_> {
    fn warn(&mut self, declared_in: &str, line: usize, message: impl std::fmt::Display) {
        let path = self.display_path(declared_in);
        self.warnings.push(format!("{path}:{line}: {message}"));
    }

    /// How a file relative to the catalogued one is named to users.
    fn display_path(&self, relative: &str) -> String {
        if relative.is_empty() {
            return self.input.path.to_owned();
        }
        let directory = self
            .input
            .path
            .rsplit_once('/')
            .map(|(directory, _)| directory)
            .unwrap_or("");
        normalize_path(&join_path(directory, relative)).unwrap_or_else(|| relative.to_owned())
    }

    /// Follows `<parent>` through local files and gathers the properties of the hierarchy.
    fn load_hierarchy(&mut self, pom: Pom) -> Result<Hierarchy, CatalogError> {
        let mut visited: HashSet<String> = HashSet::from([pom.path.clone()]);
        let mut poms = vec![pom];
        while let Some(current) = poms.last() {
            let Some(parent) = current.parent.clone() else {
                break;
            };
            let current_path = current.path.clone();
            let coordinates = format!(
                "{}:{}:{}",
                parent.group_id.as_deref().unwrap_or("?"),
                parent.artifact_id.as_deref().unwrap_or("?"),
                parent.version.as_deref().unwrap_or("?"),
            );
            if poms.len() > MAX_PARENTS {
                self.warn(
                    &current_path,
                    parent.line,
                    format!(
                        "parent chain longer than {MAX_PARENTS} POMs; stopped at {coordinates}"
                    ),
                );
                break;
            }
            let relative = parent.relative_path.as_deref().unwrap_or("../pom.xml");
            if relative.is_empty() {
                self.warn(
                    &current_path,
                    parent.line,
                    format!(
                        "parent {coordinates} has an empty <relativePath> and is only in a repository; its dependencies and properties are not known"
                    ),
                );
                break;
            }
            let Some(path) = parent_file_path(&current_path, relative) else {
                self.warn(
                    &current_path,
                    parent.line,
                    format!("parent {coordinates}: relative path `{relative}` is absolute; only files in the same tree are read"),
                );
                break;
            };
            if !visited.insert(path.clone()) {
                self.warn(
                    &current_path,
                    parent.line,
                    format!("parent {coordinates} at {path} is already in the chain (a cycle)"),
                );
                break;
            }
            let Some(text) = self.input.files.read(&path)? else {
                self.warn(
                    &current_path,
                    parent.line,
                    format!(
                        "parent {coordinates} not found at {}; its dependencies and properties are not known",
                        self.display_path(&path)
                    ),
                );
                break;
            };
            let element = match xml::parse(&text) {
                Ok(element) if element.name == "project" => element,
                Ok(element) => {
                    self.warn(
                        &current_path,
                        parent.line,
                        format!(
                            "parent {coordinates}: {} is not a POM (root element <{}>)",
                            self.display_path(&path),
                            element.name
                        ),
                    );
                    break;
                }
                Err(error) => {
                    self.warn(
                        &path,
                        error.line,
                        format!("parent {coordinates} cannot be parsed: {}", error.message),
                    );
                    break;
                }
            };
            let candidate = Pom::read(&element, &path);
            let found = format!(
                "{}:{}",
                candidate.group_id().unwrap_or("?"),
                candidate.artifact_id.as_deref().unwrap_or("?"),
            );
            let wanted = format!(
                "{}:{}",
                parent.group_id.as_deref().unwrap_or("?"),
                parent.artifact_id.as_deref().unwrap_or("?"),
            );
            if found != wanted {
                self.warn(
                    &current_path,
                    parent.line,
                    format!(
                        "parent {coordinates}: {} is {found}, not the declared parent; it is ignored",
                        self.display_path(&path)
                    ),
                );
                break;
            }
            poms.push(candidate);
        }
        Ok(Hierarchy::new(poms))
    }

    /// Interpolates one field, warning (and giving `None`) when a property cannot be resolved.
    fn interpolate_field(
        &mut self,
        properties: &BTreeMap<String, String>,
        value: Option<&str>,
        field: &str,
        declared_in: &str,
        line: usize,
    ) -> Option<String> {
        let value = value?;
        match interpolate(value, properties) {
            Ok(resolved) => Some(resolved),
            Err(error) => {
                self.warn(
                    declared_in,
                    line,
                    format!("<{field}>{value}</{field}>: {error}"),
                );
                None
            }
        }
    }

    /// Interpolates a dependency; `None` (with a warning) when its identity is unknown.
    fn resolve_dependency(
        &mut self,
        properties: &BTreeMap<String, String>,
        raw: &RawDependency,
    ) -> Option<Dependency> {
        let (declared_in, line) = (raw.declared_in.as_str(), raw.line);
        let group_id = self.interpolate_field(
            properties,
            raw.group_id.as_deref(),
            "groupId",
            declared_in,
            line,
        );
        let artifact_id = self.interpolate_field(
            properties,
            raw.artifact_id.as_deref(),
            "artifactId",
            declared_in,
            line,
        );
        let (Some(group_id), Some(artifact_id)) = (group_id, artifact_id) else {
            if raw.group_id.is_none() || raw.artifact_id.is_none() {
                self.warn(
                    declared_in,
                    line,
                    "dependency without groupId or artifactId is skipped",
                );
            }
            return None;
        };
        let mut field = |value: &Option<String>, name: &str| {
            self.interpolate_field(properties, value.as_deref(), name, declared_in, line)
        };
        let kind = field(&raw.kind, "type").unwrap_or_else(|| "jar".to_owned());
        let classifier = field(&raw.classifier, "classifier");
        let version = field(&raw.version, "version");
        let scope = field(&raw.scope, "scope");
        let optional = field(&raw.optional, "optional");
        Some(Dependency {
            key: ManagementKey {
                group_id,
                artifact_id,
                kind,
                classifier,
            },
            version,
            scope,
            optional,
            line,
            declared_in: declared_in.to_owned(),
        })
    }

    /// The `<dependencyManagement>` of a hierarchy: its own entries (child first, so the child
    /// wins), then those of the BOMs it imports, which Maven ranks below declared ones.
    fn managed(
        &mut self,
        hierarchy: &Hierarchy,
        import_depth: usize,
    ) -> Result<BTreeMap<ManagementKey, Dependency>, CatalogError> {
        let mut managed = BTreeMap::new();
        let mut imports = Vec::new();
        for raw in hierarchy.poms.iter().flat_map(|pom| &pom.managed) {
            let Some(dependency) = self.resolve_dependency(&hierarchy.properties, raw) else {
                continue;
            };
            if dependency.scope.as_deref() == Some("import") {
                imports.push(dependency);
            } else {
                managed.entry(dependency.key.clone()).or_insert(dependency);
            }
        }
        for import in imports {
            for (key, dependency) in self.import_bom(&import, import_depth)? {
                managed.entry(key).or_insert(dependency);
            }
        }
        Ok(managed)
    }

    /// The managed dependencies of an imported BOM, when the BOM is a module of this tree:
    /// `<artifactId>/pom.xml` beside or below the importing POM.
    fn import_bom(
        &mut self,
        import: &Dependency,
        import_depth: usize,
    ) -> Result<BTreeMap<ManagementKey, Dependency>, CatalogError> {
        let coordinates = format!(
            "{}:{}:{}",
            import.key.group_id,
            import.key.artifact_id,
            import.version.as_deref().unwrap_or("?")
        );
        if import_depth >= MAX_IMPORT_DEPTH {
            self.warn(
                &import.declared_in,
                import.line,
                format!("BOM {coordinates} is imported more than {MAX_IMPORT_DEPTH} levels deep; not followed"),
            );
            return Ok(BTreeMap::new());
        }
        let directory = parent_directory(&import.declared_in);
        for candidate in [
            format!("../{}/pom.xml", import.key.artifact_id),
            format!("{}/pom.xml", import.key.artifact_id),
        ] {
            let Some(path) = normalize_path(&join_path(directory, &candidate)) else {
                continue;
            };
            let Some(text) = self.input.files.read(&path)? else {
                continue;
            };
            let Ok(element) = xml::parse(&text) else {
                continue;
            };
            let bom = Pom::read(&element, &path);
            let hierarchy = self.load_hierarchy(bom)?;
            let matches = hierarchy.project().and_then(Pom::group_id)
                == Some(import.key.group_id.as_str())
                && hierarchy
                    .project()
                    .and_then(|pom| pom.artifact_id.as_deref())
                    == Some(import.key.artifact_id.as_str());
            if matches {
                return self.managed(&hierarchy, import_depth + 1);
            }
        }
        self.warn(
            &import.declared_in,
            import.line,
            format!("imported BOM {coordinates} is not in this tree; the versions it manages are not known"),
        );
        Ok(BTreeMap::new())
    }

    fn catalog(mut self, hierarchy: &Hierarchy) -> Catalog {
        let mut catalog = Catalog::default();
        let skipped_profiles = hierarchy.poms.iter().flat_map(|pom| {
            pom.skipped_profiles
                .iter()
                .map(|(id, line)| (pom.path.as_str(), id, *line))
        });
        for (path, id, line) in skipped_profiles {
            self.warn(
                path,
                line,
                format!(
                    "profile `{id}` is not active by default; its dependencies are not included"
                ),
            );
        }
        let managed = match self.managed(hierarchy, 0) {
            Ok(managed) => managed,
            Err(error) => {
                self.warnings
                    .push(format!("dependency management not read: {error}"));
                BTreeMap::new()
            }
        };

        // Declared dependencies, the child's first; a later declaration of the same key in the
        // same POM replaces the earlier one, as in Maven's model builder.
        let mut dependencies: Vec<Dependency> = Vec::new();
        for pom in &hierarchy.poms {
            let mut own: Vec<Dependency> = Vec::new();
            for raw in &pom.dependencies {
                let Some(dependency) = self.resolve_dependency(&hierarchy.properties, raw) else {
                    continue;
                };
                if let Some(index) = own.iter().position(|known| known.key == dependency.key) {
                    self.warn(
                        &dependency.declared_in,
                        dependency.line,
                        format!(
                            "{}:{} is declared twice; the last declaration is used",
                            dependency.key.group_id, dependency.key.artifact_id
                        ),
                    );
                    own.remove(index);
                }
                own.push(dependency);
            }
            for dependency in own {
                if !dependencies.iter().any(|known| known.key == dependency.key) {
                    dependencies.push(dependency);
                }
            }
        }

        let root = self.root_component(hierarchy);
        let mut seen: HashSet<ComponentId> = HashSet::new();
        for mut dependency in dependencies {
            let management = managed.get(&dependency.key);
            if dependency.version.is_none() {
                dependency.version = management.and_then(|managed| managed.version.clone());
            }
            let scope_name = dependency
                .scope
                .clone()
                .or_else(|| management.and_then(|managed| managed.scope.clone()))
                .unwrap_or_else(|| "compile".to_owned());
            let optional = dependency
                .optional
                .as_deref()
                .or_else(|| management.and_then(|managed| managed.optional.as_deref()))
                == Some("true");
            let Some(component) = self.component(&dependency, &scope_name, optional) else {
                continue;
            };
            if let Some(root) = &root {
                catalog.relationships.push(Relationship::new(
                    root.id.clone(),
                    crate::relationship_kind(component.scope),
                    component.id.clone(),
                ));
            }
            if seen.insert(component.id.clone()) {
                catalog.components.push(component);
            }
        }
        if let Some(root) = root {
            catalog.components.insert(0, root);
        }
        catalog.relationships.sort();
        catalog.relationships.dedup();
        catalog.warnings = self.warnings;
        catalog
    }

    /// The project itself, when its coordinates are known.
    fn root_component(&mut self, hierarchy: &Hierarchy) -> Option<Component> {
        let project = hierarchy.project()?;
        let properties = &hierarchy.properties;
        let line = project.line;
        let group_id =
            self.interpolate_field(properties, project.group_id(), "groupId", "", line)?;
        let artifact_id = self.interpolate_field(
            properties,
            project.artifact_id.as_deref(),
            "artifactId",
            "",
            line,
        )?;
        let version = self.interpolate_field(properties, project.version(), "version", "", line);
        let purl = Purl::from_parts(
            "maven",
            Some(&group_id),
            &artifact_id,
            version.as_deref(),
            BTreeMap::new(),
            None,
        )
        .ok()?;
        let mut component = Component::package(Ecosystem::Maven, purl);
        component.kind = ComponentKind::Application;
        component.source = Source::Workspace;
        component.locations = vec![self.input.location(Some(line))];
        Some(component)
    }

    fn component(
        &mut self,
        dependency: &Dependency,
        scope_name: &str,
        optional: bool,
    ) -> Option<Component> {
        let (declared_in, line) = (dependency.declared_in.as_str(), dependency.line);
        let scope = match scope_name {
            "test" => Scope::Dev,
            "provided" => Scope::Peer,
            "compile" | "runtime" | "system" if optional => Scope::Optional,
            "compile" | "runtime" => Scope::Required,
            "system" => {
                self.warn(
                    declared_in,
                    line,
                    format!(
                        "{}:{} has system scope: it is a local file, not fetched from a repository",
                        dependency.key.group_id, dependency.key.artifact_id
                    ),
                );
                Scope::Required
            }
            other => {
                self.warn(
                    declared_in,
                    line,
                    format!(
                        "{}:{} has scope `{other}`, which is not valid for a dependency; skipped",
                        dependency.key.group_id, dependency.key.artifact_id
                    ),
                );
                return None;
            }
        };
        let mut qualifiers = BTreeMap::new();
        if dependency.key.kind != "jar" {
            qualifiers.insert("type".to_owned(), dependency.key.kind.clone());
        }
        if let Some(classifier) = &dependency.key.classifier {
            qualifiers.insert("classifier".to_owned(), classifier.clone());
        }
        // A range says what is acceptable, not what is used: it is no version.
        let (version, range) = match dependency.version.as_deref() {
            Some(version) if version.starts_with(['[', '(']) => {
                match version
                    .strip_prefix('[')
                    .and_then(|pinned| pinned.strip_suffix(']'))
                {
                    Some(pinned) if !pinned.contains(',') => (Some(pinned.trim()), None),
                    _ => (None, Some(version)),
                }
            }
            version => (version, None),
        };
        if version.is_none() && range.is_none() {
            self.warn(
                declared_in,
                line,
                format!(
                    "{}:{} has no version in the POM, its local parents or their dependency management",
                    dependency.key.group_id, dependency.key.artifact_id
                ),
            );
        }
        let purl = match Purl::from_parts(
            "maven",
            Some(&dependency.key.group_id),
            &dependency.key.artifact_id,
            version,
            qualifiers,
            None,
        ) {
            Ok(purl) => purl,
            Err(error) => {
                self.warn(declared_in, line, format!("dependency skipped: {error}"));
                return None;
            }
        };
        let mut component = Component::package(Ecosystem::Maven, purl);
        component.scope = scope;
        component.direct = Some(true);
        if let Some(range) = range {
            component
                .properties
                .insert("maven:version-range".to_owned(), range.to_owned());
        }
        component.locations = vec![Location {
            path: self.display_path(declared_in),
            line: u32::try_from(line).ok(),
        }];
        Some(component)
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum InterpolationError {
    /// Not a property of the hierarchy: `${env.X}`, `${settings.x}`, or a typo.
    #[error("property `{0}` is not defined in the POM or its local parents")]
    Undefined(String),
    #[error(
        "property `{0}` refers to itself, directly or through more than {MAX_INTERPOLATION_DEPTH} others"
    )]
    Recursive(String),
    #[error("expands to more than {MAX_SUBSTITUTIONS} property references")]
    TooLarge,
}

/// Replaces every `${name}` in `value`, following properties that refer to properties.
fn interpolate(
    value: &str,
    properties: &BTreeMap<String, String>,
) -> Result<String, InterpolationError> {
    let mut budget = MAX_SUBSTITUTIONS;
    interpolate_at_depth(value, properties, 0, &mut budget)
}

fn interpolate_at_depth(
    value: &str,
    properties: &BTreeMap<String, String>,
    depth: usize,
    budget: &mut usize,
) -> Result<String, InterpolationError> {
    let mut result = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        result.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // An unterminated `${` is literal text.
            result.push_str(&rest[start..]);
            return Ok(result);
        };
        let name = &after[..end];
        let replacement = match properties.get(name) {
            Some(_) if *budget == 0 => return Err(InterpolationError::TooLarge),
            Some(_) if depth >= MAX_INTERPOLATION_DEPTH => {
                return Err(InterpolationError::Recursive(name.to_owned()));
            }
            Some(replacement) => {
                *budget -= 1;
                interpolate_at_depth(replacement, properties, depth + 1, budget)?
            }
            None => return Err(InterpolationError::Undefined(name.to_owned())),
        };
        result.push_str(&replacement);
        rest = &after[end + 1..];
    }
    result.push_str(rest);
    Ok(result)
}

/// Directory part of a `/`-separated relative path (`""` for a bare file name).
fn parent_directory(path: &str) -> &str {
    path.rsplit_once('/')
        .map(|(directory, _)| directory)
        .unwrap_or("")
}

fn join_path(directory: &str, relative: &str) -> String {
    if directory.is_empty() {
        relative.to_owned()
    } else {
        format!("{directory}/{relative}")
    }
}

/// Resolves `.` and `..` segments; `None` for absolute paths, which would leave the tree.
fn normalize_path(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    if path.starts_with('/') || path.get(1..2) == Some(":") {
        return None;
    }
    Some(crate::collapse_dot_segments(&path).join("/"))
}

/// Where a parent POM is, relative to the catalogued file: `relative` is resolved against the
/// directory of the child, and names a directory holding `pom.xml` unless it names a file.
fn parent_file_path(child: &str, relative: &str) -> Option<String> {
    let relative = relative.trim_end_matches(['/', '\\']);
    let file = if relative.ends_with(".xml") || relative.ends_with(".pom") {
        relative.to_owned()
    } else {
        format!("{relative}/pom.xml")
    };
    normalize_path(&join_path(parent_directory(child), &file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_follows_nested_properties_and_reports_undefined_ones() {
        let properties = BTreeMap::from([
            ("base".to_owned(), "1.2".to_owned()),
            ("full".to_owned(), "${base}.3".to_owned()),
            ("loop".to_owned(), "${loop}".to_owned()),
        ]);
        assert_eq!(
            interpolate("v${full}-x", &properties),
            Ok("v1.2.3-x".to_owned())
        );
        assert_eq!(
            interpolate("${env.HOME}", &properties),
            Err(InterpolationError::Undefined("env.HOME".to_owned()))
        );
        assert_eq!(
            interpolate("${loop}", &properties),
            Err(InterpolationError::Recursive("loop".to_owned()))
        );
        assert_eq!(interpolate("${open", &properties), Ok("${open".to_owned()));
    }

    #[test]
    fn interpolation_gives_up_on_exponential_expansion() {
        let properties: BTreeMap<String, String> = (0..20)
            .map(|level| {
                (
                    format!("p{level}"),
                    format!("${{p{}}}${{p{}}}", level + 1, level + 1),
                )
            })
            .chain([("p20".to_owned(), String::new())])
            .collect();
        assert_eq!(
            interpolate("${p0}", &properties),
            Err(InterpolationError::TooLarge)
        );
    }

    #[test]
    fn parent_paths_resolve_against_the_child_directory() {
        assert_eq!(
            parent_file_path("", "../pom.xml"),
            Some("../pom.xml".to_owned())
        );
        assert_eq!(
            parent_file_path("parent/pom.xml", "./grandparent"),
            Some("parent/grandparent/pom.xml".to_owned())
        );
        assert_eq!(
            parent_file_path("a/b/pom.xml", "../../c/"),
            Some("c/pom.xml".to_owned())
        );
        assert_eq!(parent_file_path("", "/etc/pom.xml"), None);
    }
}
