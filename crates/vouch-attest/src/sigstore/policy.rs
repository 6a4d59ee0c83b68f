//! Identity policy on a Fulcio certificate: who signed (the SAN) and which OIDC issuer vouched
//! for them.

use regex::Regex;

/// How one certificate claim is matched.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// The claim equals this string.
    Exact(String),
    /// The whole claim matches this regular expression (anchored at both ends).
    Regex(Regex),
    /// Any value, as long as the certificate carries the claim: for callers that check who
    /// signed themselves, claim by claim.
    Any,
}

/// Why a policy could not be built or a certificate does not satisfy it.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("invalid {claim} regular expression {pattern:?}: {source}")]
    InvalidRegex {
        claim: &'static str,
        pattern: String,
        #[source]
        source: Box<regex::Error>,
    },
    #[error("the signing certificate has no {claim}")]
    MissingClaim { claim: &'static str },
    #[error("the certificate {claim} {actual:?} does not match the expected {expected}")]
    Mismatch {
        claim: &'static str,
        actual: String,
        expected: String,
    },
}

impl Matcher {
    /// A regex matcher for `claim`; the pattern is anchored so that `repo` cannot match
    /// `evil-repo-fork`.
    pub fn regex(claim: &'static str, pattern: &str) -> Result<Self, PolicyError> {
        Regex::new(&format!("^(?:{pattern})$"))
            .map(Self::Regex)
            .map_err(|source| PolicyError::InvalidRegex {
                claim,
                pattern: pattern.to_owned(),
                source: Box::new(source),
            })
    }

    fn matches(&self, value: &str) -> bool {
        match self {
            Self::Exact(expected) => expected == value,
            Self::Regex(regex) => regex.is_match(value),
            Self::Any => true,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Exact(expected) => format!("{expected:?}"),
            Self::Regex(regex) => format!("pattern {:?}", regex.as_str()),
            Self::Any => "any value".to_owned(),
        }
    }
}

/// The identity a keyless bundle must have been issued to.
#[derive(Debug, Clone)]
pub struct IdentityPolicy {
    /// Matched against the certificate's subject alternative name (URI or email).
    pub identity: Matcher,
    /// Matched against the Fulcio OIDC issuer extension (`1.3.6.1.4.1.57264.1.8`, falling back to
    /// the deprecated `.1.1`).
    pub issuer: Matcher,
}

impl IdentityPolicy {
    /// Exact match on both claims (the sigstore-conformance client protocol).
    pub fn exact(identity: impl Into<String>, issuer: impl Into<String>) -> Self {
        Self {
            identity: Matcher::Exact(identity.into()),
            issuer: Matcher::Exact(issuer.into()),
        }
    }

    /// Any certificate that carries both claims.
    pub fn any() -> Self {
        Self {
            identity: Matcher::Any,
            issuer: Matcher::Any,
        }
    }

    /// Checks the claims of a certificate whose chain has already been verified.
    pub fn check(&self, identity: Option<&str>, issuer: Option<&str>) -> Result<(), PolicyError> {
        check_claim("subject alternative name", &self.identity, identity)?;
        check_claim("OIDC issuer", &self.issuer, issuer)
    }
}

fn check_claim(
    claim: &'static str,
    matcher: &Matcher,
    actual: Option<&str>,
) -> Result<(), PolicyError> {
    let actual = actual.ok_or(PolicyError::MissingClaim { claim })?;
    if matcher.matches(actual) {
        Ok(())
    } else {
        Err(PolicyError::Mismatch {
            claim,
            actual: actual.to_owned(),
            expected: matcher.describe(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKFLOW: &str =
        "https://github.com/octo/repo/.github/workflows/release.yml@refs/tags/v1";
    const ACTIONS: &str = "https://token.actions.githubusercontent.com";

    #[test]
    fn exact_policy_accepts_only_the_same_identity_and_issuer() -> Result<(), PolicyError> {
        let policy = IdentityPolicy::exact(WORKFLOW, ACTIONS);
        policy.check(Some(WORKFLOW), Some(ACTIONS))?;
        assert!(matches!(
            policy.check(Some(WORKFLOW), Some("https://accounts.google.com")),
            Err(PolicyError::Mismatch {
                claim: "OIDC issuer",
                ..
            })
        ));
        assert!(matches!(
            policy.check(None, Some(ACTIONS)),
            Err(PolicyError::MissingClaim {
                claim: "subject alternative name"
            })
        ));
        Ok(())
    }

    #[test]
    fn regex_policy_is_anchored_at_both_ends() -> Result<(), PolicyError> {
        let policy = IdentityPolicy {
            identity: Matcher::regex("identity", r"https://github\.com/octo/repo/.*")?,
            issuer: Matcher::Exact(ACTIONS.to_owned()),
        };
        policy.check(Some(WORKFLOW), Some(ACTIONS))?;
        let prefixed = format!("https://evil.example/{WORKFLOW}");
        assert!(policy.check(Some(&prefixed), Some(ACTIONS)).is_err());
        Ok(())
    }

    #[test]
    fn invalid_regex_names_the_claim() {
        assert!(matches!(
            Matcher::regex("identity", "(unclosed"),
            Err(PolicyError::InvalidRegex {
                claim: "identity",
                ..
            })
        ));
    }
}
