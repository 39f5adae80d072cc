//! Property values that are valid JSON syntax but that serde_json cannot build: a number
//! beyond the range of a float (`1e400`), a lone surrogate (`"\ud800"`). The reader keeps
//! properties as text and parses them later; such a value would then empty the whole
//! object, so the reader refuses it up front and names the key and the value.

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Digits in a row past which an integer may overflow a float (1e308).
const LONG_NUMBER: usize = 300;

/// The first property of `props` (a JSON object, syntax already checked) whose value cannot
/// be parsed: its key, its text (shortened) and why. `None` when all can.
///
/// A byte scan decides first whether any value could be unreadable (a `\u` escape, an
/// exponent, a very long number); only then is the object parsed.
pub(crate) fn unreadable_property(props: &str) -> Option<(String, String, String)> {
    if !suspicious(props) {
        return None;
    }
    if serde_json::from_str::<Map<String, Value>>(props).is_ok() {
        return None;
    }
    let entries = match serde_json::from_str::<BTreeMap<String, Box<RawValue>>>(props) {
        Ok(entries) => entries,
        Err(e) => return Some(("(a key)".into(), shorten(props), e.to_string())),
    };
    entries.into_iter().find_map(|(key, value)| {
        serde_json::from_str::<Value>(value.get())
            .err()
            .map(|e| (key, shorten(value.get()), e.to_string()))
    })
}

/// True when `json` holds a `\u` escape in a string, or a number with an exponent or more
/// than [`LONG_NUMBER`] digits: the only ways a valid JSON text can hold a value that
/// serde_json refuses to build.
fn suspicious(json: &str) -> bool {
    let bytes = json.as_bytes();
    let (mut i, mut digits) = (0, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // inside a string only a `\u` escape matters: jump from backslash to backslash
                let end = string_end(bytes, i + 1);
                let mut from = i + 1;
                while from < end {
                    let Some(k) = memchr::memchr(b'\\', &bytes[from..end]) else {
                        break;
                    };
                    if bytes.get(from + k + 1) == Some(&b'u') {
                        return true;
                    }
                    from += k + 2;
                }
                i = end + 1;
                digits = 0;
                continue;
            }
            b'0'..=b'9' => {
                digits += 1;
                if digits > LONG_NUMBER {
                    return true;
                }
            }
            b'.' => {}
            b'e' | b'E' if digits > 0 => return true,
            _ => digits = 0,
        }
        i += 1;
    }
    false
}

/// The index of the quote that closes the string whose text starts at `from` (the byte
/// after its opening quote), or the length of `bytes` when it is not closed. Jumps from
/// quote to quote; a quote after an odd number of backslashes is part of the text.
fn string_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(k) = memchr::memchr(b'"', bytes.get(from..).unwrap_or_default()) {
        let q = from + k;
        let backslashes = bytes[..q].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return q;
        }
        from = q + 1;
    }
    bytes.len()
}

/// The first key that appears twice among the top-level keys of `obj` (a JSON object, syntax
/// already checked), decoded. serde_json keeps the last value of a repeated key and drops
/// the others without a word, so a reader calls this to refuse the object instead.
///
/// One byte scan; keys are compared as written, and decoded only when one holds an escape
/// (so `"a"` and `"\u0061"` are the same key).
pub(crate) fn duplicate_key(obj: &str) -> Option<String> {
    let bytes = obj.as_bytes();
    let mut keys: Vec<&str> = Vec::new();
    let (mut depth, mut expect_key, mut escapes) = (0usize, false, false);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let end = string_end(bytes, start);
                if depth == 1 && expect_key {
                    let key = &obj[start..end];
                    escapes |= memchr::memchr(b'\\', key.as_bytes()).is_some();
                    keys.push(key);
                    expect_key = false;
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        i += 1;
    }
    let decode = |k: &str| -> String {
        if escapes {
            serde_json::from_str::<String>(&format!("\"{k}\"")).unwrap_or_else(|_| k.to_string())
        } else {
            k.to_string()
        }
    };
    if keys.len() <= 16 && !escapes {
        for (n, k) in keys.iter().enumerate() {
            if keys[..n].contains(k) {
                return Some(decode(k));
            }
        }
        return None;
    }
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    keys.into_iter()
        .map(decode)
        .find(|k| !seen.insert(k.clone()))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_repeated_key() {
        assert_eq!(duplicate_key(r#"{"a":1,"b":{"a":2},"c":[{"a":3}]}"#), None);
        assert_eq!(duplicate_key(r#"{}"#), None);
        // a key ending in an escaped backslash, and a value holding escaped quotes
        assert_eq!(
            duplicate_key(r#"{"a\\":"\"x\\\"","a\\":1}"#).as_deref(),
            Some("a\\")
        );
        assert_eq!(duplicate_key(r#"{"a\\":"\"a\\\",","a":1}"#), None);
        assert_eq!(duplicate_key(r#"{"a":"x,\"a\":","b":1}"#), None);
        assert_eq!(
            duplicate_key(r#"{"a":1,"b":2,"a":3}"#).as_deref(),
            Some("a")
        );
        assert_eq!(
            duplicate_key(r#"{"t\u00e9":1,"té":2}"#).as_deref(),
            Some("té")
        );
        let many: Vec<String> = (0..100).map(|i| format!(r#""k{i}":{i}"#)).collect();
        assert_eq!(duplicate_key(&format!("{{{}}}", many.join(","))), None);
        let again = format!(r#"{{{},"k42":0}}"#, many.join(","));
        assert_eq!(duplicate_key(&again).as_deref(), Some("k42"));
    }

    #[test]
    fn finds_the_key_and_the_value() {
        assert_eq!(unreadable_property(r#"{"a":1,"b":"x","c":true}"#), None);
        assert_eq!(unreadable_property(r#"{"a":1e5,"b":"\u00e9"}"#), None);
        let (k, v, _) = unreadable_property(r#"{"a":1,"big":1e400}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("big", "1e400"));
        let (k, v, why) = unreadable_property(r#"{"s":"\ud800"}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("s", r#""\ud800""#));
        assert!(why.contains("escape"), "{why}");
        assert!(suspicious(r#"{"a":"x\\\u0041"}"#) && !suspicious(r#"{"a":"x\\u0041"}"#));
        assert!(!suspicious(r#"{"a":"1e5 \"q\""}"#) && suspicious(r#"{"a":1e5}"#));
        let long = format!(r#"{{"n":[{}]}}"#, "9".repeat(400));
        assert_eq!(unreadable_property(&long).unwrap().0, "n");
    }
}
