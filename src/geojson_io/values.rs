//! Property values that are valid JSON syntax but that serde_json cannot build: a number
//! beyond the range of a float (`1e400`), a lone surrogate (`"\ud800"`). The reader keeps
//! properties as text and parses them later; such a value would then empty the whole
//! object, so the reader refuses it up front and names the key and the value.

use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Digits in a row past which an integer may overflow a float (1e308).
const LONG_NUMBER: usize = 300;

/// What one pass over a properties object finds: the first repeated top-level key, and
/// whether any value could be unreadable.
pub(crate) struct Scan {
    /// The first key that appears twice at the top level (see [`duplicate_key`]).
    pub(crate) duplicate: Option<String>,
    /// True when a string holds a `\u` escape, or a number has an exponent or more than
    /// [`LONG_NUMBER`] digits: the only ways a valid JSON text can hold a value that
    /// serde_json refuses to build (then see [`unreadable_value`]).
    pub(crate) suspicious: bool,
    /// How deep objects and arrays nest (the object itself is 1).
    pub(crate) depth: usize,
}

/// One byte scan of `obj` (a JSON object, syntax already checked) for both of [`Scan`]'s
/// findings: readers check every feature's properties, so the text is walked once.
pub(crate) fn scan(obj: &str) -> Scan {
    let bytes = obj.as_bytes();
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    let (mut depth, mut expect_key, mut escapes) = (0usize, false, false);
    let (mut digits, mut suspicious, mut max_depth) = (0usize, false, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let (mut j, mut escaped) = (start, false);
                // Jump to the next quote or backslash: strings are most of the text.
                while let Some(k) = bytes.get(j..).and_then(|b| memchr::memchr2(b'"', b'\\', b)) {
                    j += k;
                    if bytes[j] == b'"' {
                        break;
                    }
                    escaped = true;
                    suspicious |= bytes.get(j + 1) == Some(&b'u');
                    j += 2;
                }
                if j > bytes.len() || bytes.get(j) != Some(&b'"') {
                    j = bytes.len();
                }
                let end = j.min(bytes.len());
                if depth == 1 && expect_key {
                    keys.push(&obj[start..end]);
                    escapes |= escaped;
                    expect_key = false;
                }
                i = end + 1;
                digits = 0;
                continue;
            }
            b'0'..=b'9' => {
                digits += 1;
                suspicious |= digits > LONG_NUMBER;
            }
            b'.' => {}
            b'e' | b'E' if digits > 0 => suspicious = true,
            b'{' | b'[' => {
                depth += 1;
                max_depth = max_depth.max(depth);
                expect_key = depth == 1;
                digits = 0;
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                digits = 0;
            }
            b',' => {
                expect_key |= depth == 1;
                digits = 0;
            }
            _ => digits = 0,
        }
        i += 1;
    }
    Scan {
        duplicate: first_repeated(keys, escapes),
        suspicious,
        depth: max_depth,
    }
}

/// The first key of `keys` (as written; `escapes` when any holds one) that repeats an
/// earlier one, decoded.
fn first_repeated(keys: Vec<&str>, escapes: bool) -> Option<String> {
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

/// The first property of `props` (a JSON object, syntax already checked) whose value cannot
/// be parsed: its key, its text (shortened) and why. `None` when all can. Parses the object:
/// a reader calls it only for properties that [`scan`] found suspicious.
pub(crate) fn unreadable_value(props: &str) -> Option<(String, String, String)> {
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

/// The first key that appears twice among the top-level keys of `obj` (a JSON object, syntax
/// already checked), decoded. serde_json keeps the last value of a repeated key and drops
/// the others without a word, so a reader calls this to refuse the object instead.
///
/// One byte scan; keys are compared as written, and decoded only when one holds an escape
/// (so `"a"` and `"\u0061"` are the same key).
pub(crate) fn duplicate_key(obj: &str) -> Option<String> {
    scan(obj).duplicate
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

    /// The depth and the top-level keys the scan finds are those of the parsed value, for
    /// random objects whose strings are full of quotes, backslashes and brackets.
    #[test]
    fn scan_agrees_with_the_parsed_value() {
        fn depth(v: &Value) -> usize {
            match v {
                Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
                Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        let mut rng = crate::synthetic::SplitMix64(11);
        let pieces = ["a", "\"", "\\", "{", "]", "\u{e9}", ",", ":", " ", "ж"];
        let mut text = |rng: &mut crate::synthetic::SplitMix64| -> String {
            (0..rng.below(6))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect()
        };
        fn value(
            rng: &mut crate::synthetic::SplitMix64,
            text: &mut dyn FnMut(&mut crate::synthetic::SplitMix64) -> String,
            level: usize,
        ) -> Value {
            match rng.below(if level > 4 { 3 } else { 5 }) {
                0 => Value::String(text(rng)),
                1 => serde_json::json!(rng.below(1000)),
                2 => Value::Null,
                3 => Value::Array(
                    (0..rng.below(3))
                        .map(|_| value(rng, text, level + 1))
                        .collect(),
                ),
                _ => {
                    let mut m = Map::new();
                    for k in 0..rng.below(3) {
                        m.insert(format!("{}{k}", text(rng)), value(rng, text, level + 1));
                    }
                    Value::Object(m)
                }
            }
        }
        for _ in 0..2000 {
            let mut m = Map::new();
            for k in 0..rng.below(5) {
                m.insert(
                    format!("{}{k}", text(&mut rng)),
                    value(&mut rng, &mut text, 1),
                );
            }
            let v = Value::Object(m);
            let json = v.to_string();
            let found = scan(&json);
            assert_eq!(found.depth, depth(&v), "{json}");
            assert_eq!(found.duplicate, None, "{json}");
        }
    }

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
        let unreadable_property = |s: &str| scan(s).suspicious.then(|| unreadable_value(s))?;
        assert_eq!(unreadable_property(r#"{"a":1,"b":"x","c":true}"#), None);
        assert_eq!(unreadable_property(r#"{"a":1e5,"b":"\u00e9"}"#), None);
        let (k, v, _) = unreadable_property(r#"{"a":1,"big":1e400}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("big", "1e400"));
        let (k, v, why) = unreadable_property(r#"{"s":"\ud800"}"#).unwrap();
        assert_eq!((k.as_str(), v.as_str()), ("s", r#""\ud800""#));
        assert!(why.contains("escape"), "{why}");
        let suspicious = |s: &str| scan(s).suspicious;
        assert!(suspicious(r#"{"a":"x\\\u0041"}"#) && !suspicious(r#"{"a":"x\\u0041"}"#));
        assert!(!suspicious(r#"{"a":"1e5 \"q\""}"#) && suspicious(r#"{"a":1e5}"#));
        let long = format!(r#"{{"n":[{}]}}"#, "9".repeat(400));
        assert_eq!(unreadable_property(&long).unwrap().0, "n");
    }
}
