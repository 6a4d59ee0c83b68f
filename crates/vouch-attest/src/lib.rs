//! Keys, DSSE envelopes, in-toto statements and Sigstore bundles: key-based signing and
//! verification.
//!
//! Every verification fails closed: a typed error names what did not match, and nothing is
//! returned from a payload that was not verified.

pub mod bundle;
pub mod canonical;
pub mod digest;
pub mod dsse;
mod encoding;
pub mod intoto;
pub mod keys;
pub mod model;
pub mod sigstore;
pub mod slsa;
