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

/// How deep [`plain_object_len`] follows nesting; deeper objects are left to the general
/// reader (which allows up to [`MAX_NESTING`](super::read::MAX_NESTING)).
const PLAIN_DEPTH: usize = 64;

/// The length in bytes of the JSON object at the start of `text` when it is plainly
/// fine: valid JSON, nested at most [`PLAIN_DEPTH`] deep, no top-level key repeated or
/// written with an escape, and none of the values that [`scan`] calls suspicious except a
/// `\u` escape outside the surrogates (which every reader decodes). `None` for anything
/// else, fine or not: the caller then checks the object the slow way (serde_json, then
/// [`scan`]), which words the errors.
///
/// One pass over the bytes does the work of both: it is what the parallel reader runs on
/// each feature written in the common shape, and the properties are most of its text.
/// Written by hand because serde_json's pass over an object cannot also report a repeated
/// key (it keeps the last value without a word) or the nesting, which took a second pass;
/// serde_json stays the judge of everything this does not accept.
pub(crate) fn plain_object_len(text: &str) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum Next {
        /// A key or the end of an empty object.
        KeyOrEnd,
        Key,
        Colon,
        /// A value or the end of an empty array.
        ValueOrEnd,
        Value,
        /// A comma or the end of the object or array.
        CommaOrEnd,
    }
    let b = text.as_bytes();
    if b.first() != Some(&b'{') {
        return None;
    }
    let mut keys: Vec<&str> = Vec::with_capacity(16);
    // bit d: the container at depth d is an array
    let mut arrays = 0u128;
    let (mut depth, mut i, mut next) = (1usize, 1usize, Next::KeyOrEnd);
    loop {
        while matches!(b.get(i), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            i += 1;
        }
        let c = *b.get(i)?;
        let in_array = arrays & (1 << depth) != 0;
        let closes = match (next, c) {
            (Next::KeyOrEnd, b'}') | (Next::ValueOrEnd, b']') => true,
            (Next::CommaOrEnd, b'}') => !in_array,
            (Next::CommaOrEnd, b']') => in_array,
            _ => false,
        };
        if closes {
            depth -= 1;
            i += 1;
            if depth == 0 {
                break;
            }
            next = Next::CommaOrEnd;
            continue;
        }
        match (next, c) {
            (Next::KeyOrEnd | Next::Key, b'"') => {
                let (end, escaped) = string_end(b, i + 1)?;
                if depth == 1 {
                    if escaped {
                        return None;
                    }
                    keys.push(text.get(i + 1..end)?);
                }
                i = end + 1;
                next = Next::Colon;
            }
            (Next::Colon, b':') => {
                i += 1;
                next = Next::Value;
            }
            (Next::CommaOrEnd, b',') => {
                i += 1;
                next = if in_array { Next::Value } else { Next::Key };
            }
            (Next::Value | Next::ValueOrEnd, _) => {
                match c {
                    b'"' => i = string_end(b, i + 1)?.0 + 1,
                    b'{' | b'[' => {
                        depth += 1;
                        if depth > PLAIN_DEPTH {
                            return None;
                        }
                        arrays &= !(1 << depth);
                        arrays |= u128::from(c == b'[') << depth;
                        i += 1;
                        next = if c == b'[' {
                            Next::ValueOrEnd
                        } else {
                            Next::KeyOrEnd
                        };
                        continue;
                    }
                    b'-' | b'0'..=b'9' => i = number_end(b, i)?,
                    b't' => i = literal_end(b, i, b"true")?,
                    b'f' => i = literal_end(b, i, b"false")?,
                    b'n' => i = literal_end(b, i, b"null")?,
                    _ => return None,
                }
                next = Next::CommaOrEnd;
            }
            _ => return None,
        }
    }
    match first_repeated(keys, false) {
        Some(_) => None,
        None => Some(i),
    }
}

/// Where the string whose text starts at `i` ends (its closing quote), and whether it holds
/// an escape; `None` for a control character, an unknown escape, a `\u` escape that is not
/// four hex digits or is a surrogate, or no end.
fn string_end(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        i = plain_run_end(b, i);
        match *b.get(i)? {
            b'"' => return Some((i, escaped)),
            b'\\' => {
                escaped = true;
                match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let hex = b.get(i + 2..i + 6)?;
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return None;
                        }
                        let unit = u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                        if (0xD800..=0xDFFF).contains(&unit) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                }
            }
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// Where the run of string bytes from `i` that need no attention ends: the first quote,
/// backslash or control character, or the last few bytes. Eight bytes at a time: in each,
/// a byte of `x ^ c` is zero where `x` holds `c`, and `(v − 0x01…01) & !v & 0x80…80` marks the
/// lowest byte of `v` below 1 exactly (a borrow can mark bytes above it, never below), so
/// the lowest mark of the three tests is the first byte that needs attention.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut x = [0u8; 8];
        x.copy_from_slice(chunk);
        let x = u64::from_le_bytes(x);
        let marks = (below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20))
            & HIGHS;
        if marks != 0 {
            return i + (marks.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i
}

/// Where the number starting at `i` ends: `-`, an integer without leading zeros, and a
/// fraction; `None` for anything else, an exponent included, or more than [`LONG_NUMBER`]
/// bytes.
fn number_end(b: &[u8], start: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = start + usize::from(b.get(start) == Some(&b'-'));
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i + 1),
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        let after = digits(i + 1);
        if after == i + 1 {
            return None;
        }
        i = after;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) || i - start > LONG_NUMBER {
        return None;
    }
    Some(i)
}

/// Where `word` (a literal) starting at `i` ends, if it is there.
fn literal_end(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    (b.get(i..i + word.len())? == word).then_some(i + word.len())
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

    /// The repeated key found is the first that a set of the keys seen finds, over lists of
    /// keys that share lengths, heads and tails but differ in between: up to 16 keys (compared
    /// in pairs) and more (through a set).
    #[test]
    fn first_repeated_is_what_a_set_finds() {
        let pool = [
            "id",
            "date_start",
            "date_end",
            "fatalities_low",
            "fatalities_high",
            "abcdefghXstuvwxyz",
            "abcdefghYstuvwxyz",
            "abcdefghstuvwxyz",
            "",
            "ж",
        ];
        let mut rng = crate::synthetic::SplitMix64(5);
        let (mut found, mut none) = (0, 0);
        for _ in 0..20_000 {
            let keys: Vec<&str> = (0..rng.below(25))
                .map(|_| pool[rng.below(pool.len())])
                .collect();
            let mut seen = std::collections::HashSet::new();
            let want = keys
                .iter()
                .find(|k| !seen.insert(**k))
                .map(|k| k.to_string());
            if want.is_some() {
                found += 1;
            } else {
                none += 1;
            }
            assert_eq!(first_repeated(keys.clone(), false), want, "{keys:?}");
        }
        assert!(found > 1000 && none > 1000, "{found} {none}");
    }

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

    /// The one-pass check accepts an object only when serde_json reads it, to the same end,
    /// and the slow checks find no problem in it; and it accepts the objects of every day.
    /// Brute force over texts made of JSON pieces, most of them broken.
    #[test]
    fn plain_object_len_accepts_only_what_the_slow_checks_accept() {
        let slow = |t: &str| -> Option<usize> {
            let mut it = serde_json::Deserializer::from_str(t).into_iter::<serde::de::IgnoredAny>();
            it.next()?.ok()?;
            let n = it.byte_offset();
            let object = &t[..n];
            let fine = object.starts_with('{')
                && crate::geojson_io::read::properties_problem(object).is_none();
            fine.then_some(n)
        };
        // everyday objects, compact and pretty, then broken in up to three places each
        let keys = ["id", "title", "date", "n", "fatalities_best", "ж"];
        let mut rng = crate::synthetic::SplitMix64(29);
        let object = |rng: &mut crate::synthetic::SplitMix64, i: usize| -> Value {
            let mut m = Map::new();
            for k in 0..rng.below(12) {
                let value = match rng.below(7) {
                    0 => serde_json::json!(format!("Clash \"near\" Vorukh\\{i}\n\u{e9}")),
                    1 => serde_json::json!(rng.below(1000)),
                    2 => serde_json::json!(-(rng.below(1000) as f64) / 7.0),
                    3 => serde_json::json!([null, true, false, {"a": [1, "b"]}]),
                    4 => serde_json::json!({"deep": {"er": [[[]]], "e": {}}}),
                    5 => serde_json::json!("abcdefghijklmnopqrstuvwxyz"),
                    _ => Value::Null,
                };
                m.insert(format!("{}{k}", keys[rng.below(keys.len())]), value);
            }
            Value::Object(m)
        };
        let edits = [
            "}", "]", "[", "{", ",", ":", "\"", "\\", "e", "E", "0", "-", ".", "+", "u", " ",
            "\u{1}", "\u{1f}", "\\u", "\\uD834", "\\u00e9", "\\x", "t", "n", "01", "\"a\":1",
        ];
        let mut accepted = 0;
        for i in 0..100_000 {
            let v = object(&mut rng, i);
            let mut t = if i % 2 == 0 {
                v.to_string()
            } else {
                serde_json::to_string_pretty(&v).unwrap()
            };
            for _ in 0..rng.below(4) {
                let mut at = rng.below(t.len() + 1);
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                match rng.below(3) {
                    0 => t.insert_str(at, edits[rng.below(edits.len())]),
                    1 if at < t.len() => {
                        t.remove(at);
                    }
                    _ => {
                        let end = t[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                        t.replace_range(at..end, edits[rng.below(edits.len())]);
                    }
                }
            }
            if let Some(n) = plain_object_len(&t) {
                accepted += 1;
                assert_eq!(slow(&t), Some(n), "{t:?}");
            }
        }
        assert!(accepted > 10_000, "only {accepted} accepted");
        // and every everyday object, with whatever follows it
        for i in 0..2000 {
            let v = object(&mut rng, i);
            for text in [v.to_string(), serde_json::to_string_pretty(&v).unwrap()] {
                let t = format!("{text},\n{{\"type\"");
                assert_eq!(plain_object_len(&t), Some(text.len()), "{t}");
                assert_eq!(slow(&t), Some(text.len()));
            }
        }
        let nest = |d: usize| format!("{{\"a\":{}1{}}}", "[".repeat(d - 1), "]".repeat(d - 1));
        assert_eq!(
            plain_object_len(&nest(PLAIN_DEPTH)),
            Some(nest(PLAIN_DEPTH).len())
        );
        assert_eq!(plain_object_len(&nest(PLAIN_DEPTH + 1)), None);
        for refused in [
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"a":1,"\u0061":2}"#,
            r#"{"a":"\u+12F"}"#,
            r#"{"a":"\uDBFF\uDFFF"}"#,
        ] {
            assert_eq!(plain_object_len(refused), None, "{refused}");
        }
        let fine = r#"{"a":"\u00e9\/"}"#;
        assert_eq!(plain_object_len(fine), Some(fine.len()));
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
