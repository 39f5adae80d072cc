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
    let (mut in_string, mut escaped, mut digits) = (false, false, 0usize);
    for b in json.bytes() {
        if in_string {
            match (escaped, b) {
                (true, b'u') => return true,
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
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
    }
    false
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
    fn finds_the_key_and_the_value() {
        assert_eq!(unreadable_property(r#"{"a":1,"b":"x","c":true}"#), None);
        assert_eq!(unreadable_property(r#"{"a":1e5,"b":"\u00e9"}"#), None);
        let (k, v, _) = unreadable_property(r#"{"a":1,"big":1e400}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("big", "1e400"));
        let (k, v, why) = unreadable_property(r#"{"s":"\ud800"}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("s", r#""\ud800""#));
        assert!(why.contains("escape"), "{why}");
        let long = format!(r#"{{"n":[{}]}}"#, "9".repeat(400));
        assert_eq!(unreadable_property(&long).unwrap().0, "n");
    }
}
