//! Every cataloger must turn arbitrary input into a catalog or an error, never a panic.

use proptest::prelude::*;
use vouch_catalog::{Input, NoFiles, catalogers};

fn run_all(contents: &str) {
    for cataloger in catalogers() {
        let input = Input {
            path: "fuzzed",
            contents,
            files: &NoFiles,
        };
        // Either outcome is fine; only a panic fails the test.
        let _ = cataloger.catalog(&input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        run_all(&String::from_utf8_lossy(&bytes));
    }

    /// Random text made of the characters lockfile syntaxes care about reaches deeper into the
    /// parsers than uniform bytes do.
    #[test]
    fn lockfile_shaped_text_never_panics(text in r#"[a-z0-9@/:.=^~<>!*"'{}\[\](),;#\- \n\t\\]{0,400}"#) {
        run_all(&text);
    }
}

#[test]
fn every_fixture_prefix_never_panics() {
    // Truncations of real lockfiles exercise error paths at every depth of real structures. Fixture
    // names are often scenario names (`one-package`), so every cataloger reads every fixture.
    let Some(root) =
        vouch_test_support::data_path("osv-scalibr-testdata/extractor/filesystem/language")
    else {
        return;
    };
    let catalogers = catalogers();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        if !entry.file_type().is_file() || text.len() > 64 * 1024 {
            continue;
        }
        let step = 1 + text.len() / 8;
        for cut in (0..=text.len()).step_by(step) {
            let Some(prefix) = text.get(..cut) else {
                continue;
            };
            for cataloger in &catalogers {
                let input = Input {
                    path: "truncated",
                    contents: prefix,
                    files: &NoFiles,
                };
                let _ = cataloger.catalog(&input);
            }
        }
        checked += 1;
    }
    assert!(
        checked > 300,
        "only {checked} fixtures were found under {}",
        root.display()
    );
}
