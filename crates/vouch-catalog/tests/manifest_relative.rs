//! A manifest named by a bare file name, as `vouch fix Cargo.toml` names it from the member's own
//! directory. Alone in its test binary: it changes the working directory of the process.

use std::path::Path;

use vouch_catalog::{CatalogOptions, declared_requirements};

#[test]
fn a_bare_cargo_toml_finds_its_workspace_root() {
    let member = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/manifests/cargo-workspace/crates/util");
    std::env::set_current_dir(&member)
        .unwrap_or_else(|error| panic!("{}: {error}", member.display()));
    let found = declared_requirements(Path::new("Cargo.toml"), &CatalogOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let inherited: Vec<(String, Option<u32>, &str)> = found
        .requirements
        .iter()
        .filter_map(|declared| {
            let root = declared.inherited_from.as_ref()?;
            Some((root.path.clone(), root.line, declared.requirement.as_str()))
        })
        .collect();
    assert_eq!(inherited, [("../../Cargo.toml".to_owned(), Some(7), "0.4")]);
}
