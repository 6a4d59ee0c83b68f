//! PEP 440, through uv's implementation.

use std::str::FromStr;

use crate::{Scheme, VersionError};

/// Parses like `packaging.version.Version`: surrounding whitespace, a leading `v` and the
/// alternative spellings PEP 440 normalises (`1.0-alpha1`, `1.0.post-1`, `1.0rev2`) are accepted.
pub(crate) fn parse(text: &str) -> Result<uv_pep440::Version, VersionError> {
    uv_pep440::Version::from_str(text.trim())
        .map_err(|error| VersionError::invalid(Scheme::PyPI, text, error.to_string()))
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn pep_440_orders_dev_pre_post_and_local_releases() {
        let ascending = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0b2",
            "1.0rc1",
            "1.0",
            "1.0+local",
            "1.0.post1.dev0",
            "1.0.post1",
            "1.1",
            "1!0.1",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::PyPI.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn padding_and_spelling_variants_are_equal() {
        assert_eq!(Scheme::PyPI.compare("1.0", "1.0.0"), Ok(Ordering::Equal));
        assert_eq!(
            Scheme::PyPI.compare("v1.0-ALPHA-1", "1.0a1"),
            Ok(Ordering::Equal)
        );
        assert!(Scheme::PyPI.parse("1.0-foo").is_err());
    }
}
