//! What every writer shares: the BOM checked and put in a stable order, identifiers derived from
//! component ids, and the document-level values (timestamp, namespace, tools).

pub(crate) mod license;

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use vouch_model::{Bom, Component, ComponentId, Relationship, RelationshipKind, Source};

use crate::{Format, FormatError, WriteOptions};

/// A BOM ready to be written: checked, sorted and deduplicated.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    /// The described component (`Metadata.subject`).
    pub(crate) subject: Option<&'a Component>,
    /// Every other component, sorted by id, each id once.
    pub(crate) components: Vec<&'a Component>,
    /// Sorted and deduplicated; both ends name the subject or a component. Writers add no edges
    /// of their own: which project a direct dependency belongs to is the catalog's knowledge.
    pub(crate) relationships: Vec<Relationship>,
    /// Creation time as `YYYY-MM-DDThh:mm:ssZ`.
    pub(crate) created: String,
}

impl<'a> Prepared<'a> {
    pub(crate) fn new(
        bom: &'a Bom,
        format: Format,
        options: &WriteOptions,
    ) -> Result<Self, FormatError> {
        let fail = |message: String| FormatError::Write { format, message };
        let created = utc_seconds(&options.created).ok_or_else(|| {
            fail(format!(
                "creation time `{}` is not an RFC 3339 timestamp",
                options.created
            ))
        })?;
        let subject = bom.metadata.subject.as_ref();
        let mut components: Vec<&Component> = bom
            .components
            .iter()
            .filter(|component| subject.is_none_or(|subject| subject.id != component.id))
            .collect();
        components.sort_by(|a, b| a.id.cmp(&b.id));
        components.dedup_by(|a, b| a == b);
        let clash = components.windows(2).find_map(|pair| match pair {
            [first, second] if first.id == second.id => Some(&first.id),
            _ => None,
        });
        if let Some(id) = clash {
            return Err(fail(format!(
                "component id `{id}` is used by two different components"
            )));
        }
        for component in subject.into_iter().chain(components.iter().copied()) {
            check_hashes(component).map_err(fail)?;
        }

        let known: BTreeSet<&ComponentId> = subject
            .into_iter()
            .chain(components.iter().copied())
            .map(|component| &component.id)
            .collect();
        let mut relationships = bom.relationships.clone();
        for relationship in &relationships {
            for end in [&relationship.from, &relationship.to] {
                if !known.contains(end) {
                    return Err(fail(format!(
                        "relationship `{}` {} `{}` refers to `{end}`, which is no component of the BOM",
                        relationship.from,
                        relationship_slug(relationship.kind),
                        relationship.to
                    )));
                }
            }
        }
        relationships.sort();
        relationships.dedup();
        Ok(Self {
            subject,
            components,
            relationships,
            created,
        })
    }

    /// The subject first, then the other components.
    pub(crate) fn all(&self) -> impl Iterator<Item = &'a Component> + '_ {
        self.subject
            .into_iter()
            .chain(self.components.iter().copied())
    }

    /// Components the document describes: the subject, or else every component nothing else
    /// depends on or contains (all of them if cycles leave none).
    pub(crate) fn roots(&self) -> Vec<&'a Component> {
        if let Some(subject) = self.subject {
            return vec![subject];
        }
        let targets: BTreeSet<&ComponentId> = self
            .relationships
            .iter()
            .map(|relationship| &relationship.to)
            .collect();
        let roots: Vec<&Component> = self
            .components
            .iter()
            .copied()
            .filter(|component| !targets.contains(&component.id))
            .collect();
        if roots.is_empty() {
            self.components.clone()
        } else {
            roots
        }
    }
}

/// The model's own spelling of a relationship kind, as in its serialised form.
fn relationship_slug(kind: RelationshipKind) -> &'static str {
    match kind {
        RelationshipKind::DependsOn => "depends-on",
        RelationshipKind::DevDependsOn => "dev-depends-on",
        RelationshipKind::OptionalDependsOn => "optional-depends-on",
        RelationshipKind::PeerDependsOn => "peer-depends-on",
        RelationshipKind::BuildDependsOn => "build-depends-on",
        RelationshipKind::Contains => "contains",
    }
}

/// Every format requires hex digests of the algorithm's length.
fn check_hashes(component: &Component) -> Result<(), String> {
    for hash in &component.hashes {
        let valid = hash.value.len() == hash.algorithm.hex_len()
            && hash.value.bytes().all(|byte| byte.is_ascii_hexdigit());
        if !valid {
            return Err(format!(
                "component `{}`: {:?} digest `{}` is not {} hex digits",
                component.id,
                hash.algorithm,
                hash.value,
                hash.algorithm.hex_len()
            ));
        }
    }
    Ok(())
}

/// `text` (RFC 3339, any offset) as UTC `YYYY-MM-DDThh:mm:ssZ`, the one form SPDX 2.3 accepts.
fn utc_seconds(text: &str) -> Option<String> {
    let time = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    time.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .ok()
}

/// Lower-case hex SHA-256 of `text`, cut to `length` digits.
pub(crate) fn digest(text: &str, length: usize) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect::<String>()
        .chars()
        .take(length)
        .collect()
}

/// `text` reduced to `[A-Za-z0-9.-]`: other characters become `-`, runs of `-` collapse.
pub(crate) fn id_characters(text: &str) -> String {
    let mut result = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_ascii_alphanumeric() || character == '.' {
            result.push(character);
        } else if !result.ends_with('-') {
            result.push('-');
        }
    }
    result.trim_matches('-').to_owned()
}

/// SPDX element ids (`SPDXRef-Package-serde-1.0.210-1a2b3c4d`): readable, valid (`[A-Za-z0-9.-]`)
/// and unique, because the suffix is a digest of the component id. Should two short digests
/// collide, those components get the full digest.
pub(crate) fn spdx_ids(prepared: &Prepared<'_>) -> BTreeMap<ComponentId, String> {
    let candidate = |component: &Component, digest_length: usize| {
        let readable = id_characters(&match &component.version {
            Some(version) => format!("{}-{version}", component.qualified_name()),
            None => component.qualified_name(),
        });
        let digest = digest(component.id.as_str(), digest_length);
        if readable.is_empty() {
            format!("SPDXRef-Package-{digest}")
        } else {
            format!("SPDXRef-Package-{readable}-{digest}")
        }
    };
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for component in prepared.all() {
        *uses.entry(candidate(component, 8)).or_default() += 1;
    }
    prepared
        .all()
        .map(|component| {
            let short = candidate(component, 8);
            let id = if uses.get(&short).is_some_and(|count| *count > 1) {
                candidate(component, 64)
            } else {
                short
            };
            (component.id.clone(), id)
        })
        .collect()
}

/// The SPDX document namespace: unique per document through `document_id`.
pub(crate) fn document_namespace(options: &WriteOptions) -> String {
    let name = id_characters(&options.document_name);
    let name = if name.is_empty() { "sbom" } else { &name };
    format!("https://spdx.org/spdxdocs/{name}-{}", options.document_id)
}

/// A `name-version` tool string split at the last `-` that precedes a digit.
pub(crate) fn split_tool(tool: &str) -> (&str, Option<&str>) {
    match tool.rsplit_once('-') {
        Some((name, version))
            if !name.is_empty() && version.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            (name, Some(version))
        }
        _ => (tool, None),
    }
}

/// A repository URL as an absolute URL: scp-like `git@host:owner/repo` becomes
/// `ssh://git@host/owner/repo`, which URL and IRI parsers accept.
pub(crate) fn repository_url(url: &str) -> String {
    if url.contains("://") {
        return url.to_owned();
    }
    match url.split_once(':') {
        Some((host, path)) if !host.is_empty() && !host.contains('/') && !path.is_empty() => {
            format!("ssh://{host}/{}", path.trim_start_matches('/'))
        }
        _ => url.to_owned(),
    }
}

/// The SPDX VCS locator `git+<url>[@<reference>]`.
fn git_locator(url: &str, reference: Option<&str>) -> String {
    let url = repository_url(url);
    let mut locator = if url.starts_with("git+") {
        url
    } else {
        format!("git+{url}")
    };
    if let Some(reference) = reference {
        locator.push('@');
        locator.push_str(reference);
    }
    locator
}

/// Who an author or supplier string names: `Organization: Acme`, `Person: Jane Doe`,
/// `Tool: syft-1.0` (SPDX's agent syntax), or a bare name of unknown kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgentKind {
    Organization,
    Person,
    Tool,
}

impl AgentKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Organization => "Organization",
            Self::Person => "Person",
            Self::Tool => "Tool",
        }
    }
}

/// The kind an agent string states, if any, and its name.
pub(crate) fn parse_agent(agent: &str) -> (Option<AgentKind>, &str) {
    [AgentKind::Organization, AgentKind::Person, AgentKind::Tool]
        .into_iter()
        .find_map(|kind| {
            agent
                .strip_prefix(kind.as_str())
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|name| (Some(kind), name.trim()))
        })
        .unwrap_or((None, agent.trim()))
}

/// Where the component can be fetched, in SPDX `downloadLocation` form; `None` when unknown
/// (local paths and workspace members have no location another party could use).
pub(crate) fn download_location(component: &Component) -> Option<String> {
    match &component.source {
        Source::Git { url, reference } => Some(git_locator(url, reference.as_deref())),
        Source::Path { .. } | Source::Workspace => None,
        Source::Url { url } => Some(url.clone()),
        Source::Registry { .. } => component.download_url.clone(),
    }
}

/// `found in path:line, path` for the component's locations, sorted; `None` without any.
pub(crate) fn locations_text(component: &Component) -> Option<String> {
    let mut locations: Vec<String> = component
        .locations
        .iter()
        .map(ToString::to_string)
        .collect();
    locations.sort();
    locations.dedup();
    (!locations.is_empty()).then(|| format!("found in {}", locations.join(", ")))
}

/// Pretty-printed JSON with a trailing newline.
pub(crate) fn json_bytes(
    value: &serde_json::Value,
    format: Format,
) -> Result<Vec<u8>, FormatError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|error| FormatError::Write {
        format,
        message: error.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_become_utc_seconds() {
        assert_eq!(
            utc_seconds("2026-01-02T05:04:05.678+02:00").as_deref(),
            Some("2026-01-02T03:04:05Z")
        );
        assert_eq!(utc_seconds("2026-01-02"), None);
    }

    #[test]
    fn id_characters_keep_only_spdx_idstring_characters() {
        assert_eq!(id_characters("@babel/core_x+y 1.0"), "babel-core-x-y-1.0");
        assert_eq!(id_characters("__"), "");
    }

    #[test]
    fn tools_split_before_the_version() {
        assert_eq!(split_tool("syft-1.2.3"), ("syft", Some("1.2.3")));
        assert_eq!(
            split_tool("cargo-cyclonedx-0.5.0"),
            ("cargo-cyclonedx", Some("0.5.0"))
        );
        assert_eq!(split_tool("cargo-cyclonedx"), ("cargo-cyclonedx", None));
        assert_eq!(split_tool("-1"), ("-1", None));
    }

    #[test]
    fn agents_split_into_kind_and_name() {
        assert_eq!(
            parse_agent("Organization: Acme Inc."),
            (Some(AgentKind::Organization), "Acme Inc.")
        );
        assert_eq!(
            parse_agent("Person:Jane"),
            (Some(AgentKind::Person), "Jane")
        );
        assert_eq!(parse_agent(" Jane "), (None, "Jane"));
        assert_eq!(parse_agent("Personal Ltd"), (None, "Personal Ltd"));
    }

    #[test]
    fn scp_like_repositories_become_ssh_urls() {
        assert_eq!(
            repository_url("git@github.com:owner/repo.git"),
            "ssh://git@github.com/owner/repo.git"
        );
        assert_eq!(
            repository_url("https://github.com/owner/repo"),
            "https://github.com/owner/repo"
        );
        assert_eq!(
            git_locator("https://github.com/owner/repo", Some("v1.0")),
            "git+https://github.com/owner/repo@v1.0"
        );
        assert_eq!(
            git_locator("git+ssh://git@host/repo", None),
            "git+ssh://git@host/repo"
        );
    }
}
