//! Versions that are only numbers: R's `package_version` (CRAN, Bioconductor) and Cabal's
//! `Version` (Hackage).

use std::cmp::Ordering;

use crate::number::Number;
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumericVersion {
    components: Vec<Number>,
}

impl NumericVersion {
    /// R separates components with `.` or `-` and wants at least two; Cabal takes one or more,
    /// separated by `.`, without leading zeros.
    pub(crate) fn parse(scheme: Scheme, text: &str) -> Result<Self, VersionError> {
        let invalid = |reason: &str| VersionError::invalid(scheme, text, reason);
        let components = match scheme {
            Scheme::Cran => text
                .split(['.', '-'])
                .map(|component| {
                    Number::parse(component)
                        .ok_or_else(|| invalid("components are numbers separated by `.` or `-`"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => text
                .split('.')
                .map(|component| {
                    if component.len() > 1 && component.starts_with('0') {
                        return Err(invalid("a component has no leading zero"));
                    }
                    Number::parse(component)
                        .ok_or_else(|| invalid("components are numbers separated by `.`"))
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        if scheme == Scheme::Cran && components.len() < 2 {
            return Err(invalid("a package version has at least two components"));
        }
        Ok(Self { components })
    }
}

impl Ord for NumericVersion {
    /// Component by component; when one is a prefix of the other, the longer is greater
    /// (`1.0 < 1.0.0` in both R and Cabal).
    fn cmp(&self, other: &Self) -> Ordering {
        self.components.cmp(&other.components)
    }
}

impl PartialOrd for NumericVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn dash_and_dot_are_the_same_separator_in_r() {
        assert_eq!(Scheme::Cran.compare("0.1-2", "0.1.2"), Ok(Ordering::Equal));
        assert_eq!(Scheme::Cran.compare("0.9", "0.75"), Ok(Ordering::Less));
        assert_eq!(Scheme::Cran.compare("1.0", "1.0.0"), Ok(Ordering::Less));
        assert!(Scheme::Cran.parse("1").is_err());
        assert!(Scheme::Cran.parse("1.0a").is_err());
    }

    #[test]
    fn cabal_versions_are_dot_separated_numbers() {
        assert_eq!(Scheme::Hackage.compare("1.0", "1.0.0"), Ok(Ordering::Less));
        assert_eq!(
            Scheme::Hackage.compare("2", "1.9.9.9"),
            Ok(Ordering::Greater)
        );
        assert!(Scheme::Hackage.parse("1.01").is_err());
        assert!(Scheme::Hackage.parse("1-0").is_err());
    }
}
