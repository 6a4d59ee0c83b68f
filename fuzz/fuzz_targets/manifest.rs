//! Reads arbitrary text as a manifest: the first byte picks Cargo.toml, package.json,
//! pyproject.toml or a requirements file, the rest is its text. Whatever reads must locate every
//! declaration inside the file, and every range must parse or be refused by the requirement
//! syntax of its ecosystem without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_catalog::parse_manifest;
use vouch_version::requirement::{Requirement, RequirementSyntax};

const FILE_NAMES: [&str; 4] = [
    "Cargo.toml",
    "package.json",
    "pyproject.toml",
    "requirements.in",
];

fuzz_target!(|data: &[u8]| {
    let Some((selector, text)) = data.split_first() else {
        return;
    };
    let Ok(contents) = std::str::from_utf8(text) else {
        return;
    };
    let file_name = FILE_NAMES[usize::from(*selector) % FILE_NAMES.len()];
    let Ok(found) = parse_manifest(file_name, file_name, contents) else {
        return;
    };
    let lines = contents.lines().count().max(1);
    for location in found
        .requirements
        .iter()
        .map(|declared| &declared.location)
        .chain(found.skipped.iter().map(|skipped| &skipped.location))
    {
        assert_eq!(location.path, file_name);
        let line = location.line.expect("every declaration has a line");
        assert!(line >= 1 && line as usize <= lines, "line {line} of {lines}");
    }
    for declared in &found.requirements {
        let syntax = RequirementSyntax::for_osv_ecosystem(declared.ecosystem.osv_name())
            .expect("manifests declare crates.io, npm and PyPI requirements only");
        if let Ok(requirement) = Requirement::parse_as(syntax, &declared.requirement) {
            let _ = requirement.allows("1.0.0");
        }
    }
});
