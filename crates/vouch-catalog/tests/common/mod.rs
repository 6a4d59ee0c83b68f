//! Plumbing shared by the cataloger tests: run a cataloger on a fixture or on text, and reduce
//! a catalog to sorted tuples that compare directly against expected values.

// Every test binary compiles this module on its own and uses a different subset of it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use vouch_catalog::{
    Catalog, CatalogError, Cataloger, FileSource, Input, NoFiles, catalog_file, cataloger_for,
};
use vouch_model::{Component, RelationshipKind, Scope};

/// The cataloger that claims the file name `name`; panics when none does.
pub(crate) fn cataloger(name: &str) -> Box<dyn Cataloger> {
    cataloger_for(name).unwrap_or_else(|| panic!("no cataloger claims {name}"))
}

/// Catalogs the test-data file `relative` with the cataloger chosen by `as_name`, whatever the
/// fixture's own file name. `None` when the test data is absent (the test is skipped).
pub(crate) fn catalog_fixture(
    relative: &str,
    as_name: &str,
) -> Option<Result<Catalog, CatalogError>> {
    let path = vouch_test_support::data_path(relative)?;
    Some(catalog_file(cataloger(as_name).as_ref(), &path, relative))
}

/// Like [`catalog_fixture`], for a fixture that must parse.
pub(crate) fn parsed_fixture(relative: &str, as_name: &str) -> Option<Catalog> {
    catalog_fixture(relative, as_name)
        .map(|result| result.unwrap_or_else(|error| panic!("{relative} should parse: {error}")))
}

/// Catalogs `contents` as the file at `path`, with no other files beside it.
pub(crate) fn catalog_text(path: &str, contents: &str) -> Result<Catalog, CatalogError> {
    catalog_text_with(path, contents, &NoFiles)
}

/// Catalogs `contents` as the file at `path`, with `files` standing in for the files beside it.
/// The cataloger is chosen by the last component of `path`.
pub(crate) fn catalog_text_with(
    path: &str,
    contents: &str,
    files: &dyn FileSource,
) -> Result<Catalog, CatalogError> {
    let name = path.rsplit('/').next().unwrap_or(path);
    catalog_text_as(name, path, contents, files)
}

/// Catalogs `contents` as the file at `path` with the cataloger chosen by `as_name`.
pub(crate) fn catalog_text_as(
    as_name: &str,
    path: &str,
    contents: &str,
    files: &dyn FileSource,
) -> Result<Catalog, CatalogError> {
    cataloger(as_name).catalog(&Input {
        path,
        contents,
        files,
    })
}

/// Files held in memory, for manifests and trees that no fixture has.
pub(crate) struct MemoryFiles(BTreeMap<String, String>);

impl<const N: usize> From<[(&str, &str); N]> for MemoryFiles {
    fn from(files: [(&str, &str); N]) -> Self {
        Self::from(files.as_slice())
    }
}

impl From<&[(&str, &str)]> for MemoryFiles {
    fn from(files: &[(&str, &str)]) -> Self {
        Self(
            files
                .iter()
                .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
                .collect(),
        )
    }
}

impl FileSource for MemoryFiles {
    fn read(&self, relative: &str) -> Result<Option<String>, CatalogError> {
        Ok(self.0.get(relative).cloned())
    }
}

/// `project(component)` of every component, sorted.
pub(crate) fn sorted_by<'a, T: Ord>(
    catalog: &'a Catalog,
    project: impl Fn(&'a Component) -> T,
) -> Vec<T> {
    let mut rows: Vec<T> = catalog.components.iter().map(project).collect();
    rows.sort();
    rows
}

/// The purl of every component, in catalog order.
pub(crate) fn purls(catalog: &Catalog) -> Vec<&str> {
    catalog
        .components
        .iter()
        .map(|component| component.id.as_str())
        .collect()
}

/// The purl of every component, sorted.
pub(crate) fn sorted_purls(catalog: &Catalog) -> Vec<&str> {
    sorted_by(catalog, |component| component.id.as_str())
}

/// `(purl, scope, direct)` of a component.
pub(crate) type PurlScopeDirect<'a> = (&'a str, Scope, Option<bool>);

/// Expected `(purl, scope, direct)` of one component.
pub(crate) fn package(purl: &str, scope: Scope, direct: Option<bool>) -> PurlScopeDirect<'_> {
    (purl, scope, direct)
}

/// `(purl, scope, direct)` of every component, sorted.
pub(crate) fn purl_scope_direct(catalog: &Catalog) -> Vec<PurlScopeDirect<'_>> {
    sorted_by(catalog, |component| {
        (component.id.as_str(), component.scope, component.direct)
    })
}

/// `(purl, direct)` of every component, sorted.
pub(crate) fn purl_direct(catalog: &Catalog) -> Vec<(&str, Option<bool>)> {
    sorted_by(catalog, |component| {
        (component.id.as_str(), component.direct)
    })
}

/// `(from, kind, to)` of every relationship, sorted.
pub(crate) fn edges(catalog: &Catalog) -> Vec<(String, RelationshipKind, String)> {
    let mut edges: Vec<_> = catalog
        .relationships
        .iter()
        .map(|edge| (edge.from.to_string(), edge.kind, edge.to.to_string()))
        .collect();
    edges.sort();
    edges
}

/// The component with purl `id`; panics, listing what was catalogued, when there is none.
pub(crate) fn component<'a>(catalog: &'a Catalog, id: &str) -> &'a Component {
    catalog
        .components
        .iter()
        .find(|component| component.id.as_str() == id)
        .unwrap_or_else(|| panic!("{id} not catalogued; catalogued: {:?}", purls(catalog)))
}
