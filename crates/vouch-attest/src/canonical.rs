//! The canonical JSON of OLPC / securesystemslib, which classic in-toto metadata signs:
//! object keys sorted by their bytes, no insignificant whitespace, only `"` and `\` escaped in
//! strings (every other character is written as is), integers only.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CanonicalJsonError {
    #[error("canonical JSON has no floating-point numbers, found {number}")]
    NonIntegerNumber { number: String },
}

pub fn to_canonical_json(value: &Value) -> Result<Vec<u8>, CanonicalJsonError> {
    let mut output = Vec::new();
    write_value(value, &mut output)?;
    Ok(output)
}

fn write_value(value: &Value, output: &mut Vec<u8>) -> Result<(), CanonicalJsonError> {
    match value {
        Value::Null => output.extend_from_slice(b"null"),
        Value::Bool(true) => output.extend_from_slice(b"true"),
        Value::Bool(false) => output.extend_from_slice(b"false"),
        Value::Number(number) => {
            if !(number.is_i64() || number.is_u64()) {
                return Err(CanonicalJsonError::NonIntegerNumber {
                    number: number.to_string(),
                });
            }
            output.extend_from_slice(number.to_string().as_bytes());
        }
        Value::String(text) => write_string(text, output),
        Value::Array(items) => {
            output.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    output.push(b',');
                }
                write_value(item, output)?;
            }
            output.push(b']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_unstable_by(|left, right| left.0.as_bytes().cmp(right.0.as_bytes()));
            output.push(b'{');
            for (index, (key, member)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    output.push(b',');
                }
                write_string(key, output);
                output.push(b':');
                write_value(member, output)?;
            }
            output.push(b'}');
        }
    }
    Ok(())
}

fn write_string(text: &str, output: &mut Vec<u8>) {
    output.push(b'"');
    for byte in text.bytes() {
        if byte == b'"' || byte == b'\\' {
            output.push(b'\\');
        }
        output.push(byte);
    }
    output.push(b'"');
}
