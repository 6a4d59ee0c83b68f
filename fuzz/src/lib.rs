//! What the cataloger targets share: run the cataloger a file name selects on fuzzed text.

use vouch_catalog::{Input, NoFiles, cataloger_for};

/// Runs the cataloger for `file_name` over `data`; any result is fine, a panic is the finding.
pub fn catalog(file_name: &str, data: &[u8]) {
    let Ok(contents) = std::str::from_utf8(data) else {
        return;
    };
    let cataloger = cataloger_for(file_name)
        .unwrap_or_else(|| panic!("no cataloger reads {file_name}: the target is misnamed"));
    let input = Input {
        path: file_name,
        contents,
        files: &NoFiles,
    };
    let _ = cataloger.catalog(&input);
}

/// A fuzz target for the cataloger of one lockfile name.
#[macro_export]
macro_rules! catalog_target {
    ($file_name:literal) => {
        libfuzzer_sys::fuzz_target!(|data: &[u8]| $crate::catalog($file_name, data));
    };
}
