pub(crate) mod attest;
pub(crate) mod db;
pub(crate) mod model;
pub(crate) mod provenance;
pub(crate) mod sbom;
pub(crate) mod sigstore;
pub(crate) mod version;
