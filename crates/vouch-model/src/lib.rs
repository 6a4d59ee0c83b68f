//! The neutral model every vouch crate speaks: a [`Bom`] of [`Component`]s joined by
//! [`Relationship`]s, with package identity carried by [`Purl`].
//!
//! Catalogers and SBOM readers produce this model; writers and matchers consume it. Nothing here
//! knows about a file format.

mod bom;
mod purl;

pub use bom::{
    Bom, Component, ComponentId, ComponentKind, Ecosystem, Hash, HashAlgorithm, Location, Metadata,
    Relationship, RelationshipKind, Scope, Source, pep503_normalize,
};
pub use purl::{Purl, PurlError};
