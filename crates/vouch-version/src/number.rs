//! Unbounded decimal numbers for version components.

use std::cmp::Ordering;

/// A non-negative integer of any size, kept as its decimal digits without leading zeros.
///
/// Ecosystems differ in how large a component may be (npm stops at 2^53, NuGet at 2^31, Go and
/// RubyGems have no limit), so components are compared as digit strings: exact at any size, and
/// never an overflow.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Number(Box<str>);

impl Number {
    /// The number spelled by `digits`, or `None` unless it is one or more ASCII digits.
    pub(crate) fn parse(digits: &str) -> Option<Self> {
        if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        Some(Self(if trimmed.is_empty() { "0" } else { trimmed }.into()))
    }

    pub(crate) fn zero() -> Self {
        Self("0".into())
    }

    pub(crate) fn is_zero(&self) -> bool {
        &*self.0 == "0"
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the number is at most `limit`.
    pub(crate) fn at_most(&self, limit: u64) -> bool {
        self.0.parse::<u64>().is_ok_and(|value| value <= limit)
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        // Without leading zeros, a longer number is a larger one.
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_do_not_change_the_value() {
        assert_eq!(Number::parse("007"), Number::parse("7"));
        assert_eq!(
            Number::parse("000").map(|number| number.is_zero()),
            Some(true)
        );
    }

    #[test]
    fn numbers_beyond_u64_compare_exactly() {
        let smaller = Number::parse("999999999999999999999999999991");
        let larger = Number::parse("999999999999999999999999999999");
        assert!(smaller < larger);
        assert!(Number::parse("10") > Number::parse("9"));
    }

    #[test]
    fn non_digits_are_not_numbers() {
        assert_eq!(Number::parse(""), None);
        assert_eq!(Number::parse("1a"), None);
        assert_eq!(Number::parse("-1"), None);
    }
}
