//! Helpers shared by the integration tests.

#![allow(dead_code)]

/// Converts a non-negative decimal integer to `width` big-endian bytes.
pub(crate) fn decimal_to_be_bytes(decimal: &str, width: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; width];
    for digit in decimal.bytes() {
        assert!(digit.is_ascii_digit(), "{decimal} is not decimal");
        let mut carry = u32::from(digit - b'0');
        for byte in bytes.iter_mut().rev() {
            let value = u32::from(*byte) * 10 + carry;
            *byte = (value & 0xff) as u8;
            carry = value >> 8;
        }
        assert_eq!(carry, 0, "{decimal} does not fit in {width} bytes");
    }
    bytes
}
