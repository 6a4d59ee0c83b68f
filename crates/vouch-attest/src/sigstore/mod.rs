//! Keyless and key-based verification of Sigstore bundles, offline, against a pinned trusted root.
//!
//! The cryptographic checks are delegated to the `sigstore-verify` crate (sigstore-rust, 0.15): it
//! verifies bundles v0.1 to v0.3 with message signatures and DSSE envelopes, Rekor v1 entries (SET,
//! RFC 6962 inclusion proof, signed checkpoint, entry body against the bundle), Rekor v2 entries with
//! cosigned checkpoints, RFC 3161 timestamps against the trusted TSAs, the Fulcio chain at every
//! verified time and the SCTs against the CT log keys, on aws-lc-rs with no `ring`, no TUF client and
//! no network when built without default features. Reimplementing that surface (X.509 path
//! validation, CMS, signed notes) would duplicate a maintained, conformance-tested implementation.
//! This module owns what is vouch's: the embedded trusted root, the identity policy (exact or
//! anchored regex on the SAN and the OIDC issuer), the artifact input and the error vocabulary.

mod policy;
mod trust_root;
mod verifier;

pub use policy::{IdentityPolicy, Matcher, PolicyError};
pub use trust_root::{PRODUCTION_TRUSTED_ROOT, TrustRoot, TrustRootError};
pub use verifier::{
    ArtifactInput, Requirement, SigstoreError, SigstoreVerifier, VerifiedBundle, VerifiedSigner,
};
