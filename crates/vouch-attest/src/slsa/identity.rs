//! Who built it: the builder identity a Fulcio certificate vouches for, checked against the
//! trusted slsa-github-generator workflows the way slsa-verifier does.

use super::SlsaError;

/// The only OIDC issuer whose certificates describe a GitHub Actions workflow.
pub(crate) const GITHUB_ACTIONS_ISSUER: &str = "https://token.actions.githubusercontent.com";

const GITHUB: &str = "https://github.com/";

/// Where the trusted reusable workflows live; a BYOB delegator may only name a builder here
/// when the caller gave no builder id.
pub(crate) const TRUSTED_BUILDER_PREFIX: &str =
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/";

/// Reusable workflows that sign the provenance of the artifact they built themselves.
const TRUSTED_ARTIFACT_BUILDERS: [&str; 3] = [
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml",
];

/// "Bring your own builder" delegators: they sign on behalf of the builder named in the
/// provenance, so the builder id comes from the provenance, not the certificate.
const TRUSTED_DELEGATORS: [&str; 2] = [
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml",
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml",
];

/// A builder id split at its `@`: `name` is the workflow URL, `version` the ref (or empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BuilderId {
    pub(crate) name: String,
    pub(crate) version: String,
}

impl BuilderId {
    /// Splits `name[@version]`; more than one `@`, or an empty version after `@`, is malformed.
    pub(crate) fn parse(id: &str) -> Option<Self> {
        let mut parts = id.split('@');
        let name = parts.next()?;
        let version = parts.next().unwrap_or_default();
        if parts.next().is_some() || (id.contains('@') && version.is_empty()) {
            return None;
        }
        Some(Self {
            name: name.to_owned(),
            version: version.to_owned(),
        })
    }

    /// `name@version`, or `name` alone when there is no version.
    pub(crate) fn full(&self) -> String {
        if self.version.is_empty() {
            self.name.clone()
        } else {
            format!("{}@{}", self.name, self.version)
        }
    }

    /// The name must match; a version, if `expected` has one, must equal this one, where a
    /// bare tag `v1.2.3` also matches the ref `refs/tags/v1.2.3`. `full` requires the
    /// versions to match even when `expected` has none.
    pub(crate) fn matches(&self, expected: &BuilderId, full: bool) -> bool {
        if self.name != expected.name {
            return false;
        }
        if expected.version.is_empty() && !full {
            return true;
        }
        self.version == expected.version
            || self.version == format!("refs/tags/{}", expected.version)
    }
}

/// The builder a certificate identifies, and whether it is a delegator whose provenance names
/// the real builder.
#[derive(Debug, Clone)]
pub(crate) struct CertificateBuilder {
    pub(crate) id: BuilderId,
    pub(crate) delegator: bool,
}

/// Checks the issuer, that the certificate's workflow is a trusted builder (or the one the
/// caller named), and that it ran at a release tag `refs/tags/vX.Y.Z`.
pub(crate) fn verify_builder_identity(
    san: &str,
    issuer: &str,
    expected: Option<&BuilderId>,
) -> Result<CertificateBuilder, SlsaError> {
    if issuer != GITHUB_ACTIONS_ISSUER {
        return Err(SlsaError::Issuer {
            expected: GITHUB_ACTIONS_ISSUER,
            found: issuer.to_owned(),
        });
    }
    let id = BuilderId::parse(san)
        .filter(|id| id.name.starts_with(GITHUB) && !id.version.is_empty())
        .ok_or_else(|| SlsaError::Certificate {
            reason: format!(
                "the subject alternative name {san:?} is not a workflow URL with a ref"
            ),
        })?;
    let delegator = is_trusted_delegator(&id.name);
    match expected {
        None => {
            if !delegator && !TRUSTED_ARTIFACT_BUILDERS.contains(&id.name.as_str()) {
                return Err(SlsaError::UntrustedBuilder { found: id.full() });
            }
        }
        // A delegator's builder id is the one in the provenance: the caller's id is matched there.
        Some(_) if delegator => {}
        Some(expected) => {
            if !id.matches(expected, false) {
                return Err(SlsaError::BuilderMismatch {
                    checked: "certificate",
                    expected: expected.full(),
                    found: id.full(),
                });
            }
        }
    }
    if !is_release_tag_ref(&id.version) {
        return Err(SlsaError::BuilderRef {
            builder: id.name.clone(),
            found: id.version.clone(),
        });
    }
    Ok(CertificateBuilder { id, delegator })
}

/// Whether `workflow` is a BYOB delegator this verifier trusts.
pub(crate) fn is_trusted_delegator(workflow: &str) -> bool {
    TRUSTED_DELEGATORS.contains(&workflow)
}

/// The repository (`owner/name`) the certificate says the build ran for: the Source Repository
/// URI extension, or the deprecated Workflow Repository one on certificates older than it.
/// When both are present they must agree.
pub(crate) fn certificate_repository(
    source_repository_uri: Option<&str>,
    workflow_repository: Option<&str>,
) -> Result<String, SlsaError> {
    let from_uri = source_repository_uri.map(|uri| uri.strip_prefix(GITHUB).unwrap_or(uri));
    match (from_uri, workflow_repository) {
        (Some(new), Some(old)) if new != old => Err(SlsaError::Certificate {
            reason: format!(
                "the source repository extensions disagree: {new:?} and deprecated {old:?}"
            ),
        }),
        (Some(repository), _) | (None, Some(repository)) => Ok(repository.to_owned()),
        (None, None) => Err(SlsaError::Certificate {
            reason: "the certificate names no source repository".to_owned(),
        }),
    }
}

/// `refs/tags/vX.Y.Z` with three numeric parts and no pre-release or build suffix: builders
/// are only trusted at release tags, never at a branch that can move.
pub(crate) fn is_release_tag_ref(reference: &str) -> bool {
    reference
        .strip_prefix("refs/tags/v")
        .is_some_and(|version| {
            let parts: Vec<&str> = version.split('.').collect();
            parts.len() == 3 && parts.iter().all(|part| is_semver_number(part))
        })
}

fn is_semver_number(part: &str) -> bool {
    !part.is_empty()
        && part.bytes().all(|byte| byte.is_ascii_digit())
        && (part == "0" || !part.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERIC: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml";

    fn id(text: &str) -> Result<BuilderId, String> {
        BuilderId::parse(text).ok_or_else(|| format!("{text} does not parse"))
    }

    #[test]
    fn release_tags_are_exactly_three_numbers() {
        assert!(is_release_tag_ref("refs/tags/v1.10.0"));
        assert!(is_release_tag_ref("refs/tags/v0.0.2"));
        for rejected in [
            "refs/heads/main",
            "refs/tags/v1.2",
            "refs/tags/v1.2.3-rc.1",
            "refs/tags/v1.2.3+build",
            "refs/tags/v01.2.3",
            "refs/tags/1.2.3",
            "v1.2.3",
        ] {
            assert!(!is_release_tag_ref(rejected), "{rejected}");
        }
    }

    #[test]
    fn builder_id_without_ref_matches_any_ref_but_a_given_ref_must_match() -> Result<(), String> {
        let certificate = id(&format!("{GENERIC}@refs/tags/v1.2.0"))?;
        for accepted in [
            GENERIC.to_owned(),
            format!("{GENERIC}@v1.2.0"),
            format!("{GENERIC}@refs/tags/v1.2.0"),
        ] {
            assert!(certificate.matches(&id(&accepted)?, false), "{accepted}");
        }
        assert!(!certificate.matches(&id(&format!("{GENERIC}@v1.3.0"))?, false));
        // A full match needs the ref even when the expected id has none.
        assert!(!certificate.matches(&id(GENERIC)?, true));
        Ok(())
    }

    #[test]
    fn malformed_builder_ids_are_rejected() {
        assert_eq!(BuilderId::parse("a@b@c"), None);
        assert_eq!(BuilderId::parse("name@"), None);
    }

    #[test]
    fn untrusted_workflow_and_branch_ref_are_rejected() {
        let forked = "https://github.com/evil/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.2.0";
        assert!(matches!(
            verify_builder_identity(forked, GITHUB_ACTIONS_ISSUER, None),
            Err(SlsaError::UntrustedBuilder { .. })
        ));
        let branch = format!("{GENERIC}@refs/heads/main");
        assert!(matches!(
            verify_builder_identity(&branch, GITHUB_ACTIONS_ISSUER, None),
            Err(SlsaError::BuilderRef { .. })
        ));
        let tagged = format!("{GENERIC}@refs/tags/v1.2.0");
        assert!(matches!(
            verify_builder_identity(&tagged, "https://accounts.google.com", None),
            Err(SlsaError::Issuer { .. })
        ));
    }

    #[test]
    fn certificate_repository_prefers_the_source_repository_extension() -> Result<(), SlsaError> {
        assert_eq!(
            certificate_repository(Some("https://github.com/octo/repo"), Some("octo/repo"))?,
            "octo/repo"
        );
        assert_eq!(
            certificate_repository(None, Some("octo/repo"))?,
            "octo/repo"
        );
        assert!(certificate_repository(Some("https://github.com/octo/a"), Some("octo/b")).is_err());
        assert!(certificate_repository(None, None).is_err());
        Ok(())
    }
}
