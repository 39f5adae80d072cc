//! Reading a large FeatureCollection on all cores.
//!
//! The `features` array is cut into pieces at likely feature boundaries (a line that starts
//! with `{`, as in every file this project writes); each piece is parsed on its own thread,
//! feature by feature, until it passes the start of the next piece. The pieces are then
//! joined in order, and a piece is used only if the previous one ended exactly where it
//! starts: the first piece starts at the array's opening bracket, so by induction every used
//! piece starts at a true feature boundary, and a wrong guess (a `{` line inside a pretty-
//! printed feature, say) only costs a re-parse of that piece from where the previous one
//! really ended. The result is the same as the one-core reader's.
//!
//! A feature written byte for byte in the shape this project writes (`common_feature`) is
//! read without serde's member-by-member work, its properties checked in one pass over their
//! bytes; any other feature goes through serde_json as the one-core reader does.
//!
//! Anything unusual (a syntax error, a feature with a problem, a duplicate id, a repeated
//! top-level key) makes [`read_parallel`] give up, and the one-core reader then reads the
//! file and words the error exactly as it always does.

use super::read::{Checked, PointFeature, Properties, RawFeature, check};
use super::values::plain_object_len;
use crate::model::LonLat;
use compact_str::{CompactString, ToCompactString};
use rayon::prelude::*;
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// Files smaller than this are read on one core.
pub(super) const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// Pieces per thread (more pieces balance the load better).
const PIECES_PER_THREAD: usize = 8;

/// One feature read by a piece: the properties as a byte range of the text.
pub(super) struct Record {
    pub(super) id: CompactString,
    pub(super) position: Option<LonLat>,
    pub(super) props: (usize, usize),
}

/// What one piece read.
struct Piece {
    start: usize,
    /// Just after the comma (and whitespace) that follows its last feature, or after `]`.
    end: usize,
    /// True when the piece reached the array's closing bracket.
    closed: bool,
    records: Vec<Record>,
    /// Offsets (in `records`) of features without an id, named by their index later.
    unnamed: Vec<usize>,
}

pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(text: &str, mut pos: usize) -> usize {
    let b = text.as_bytes();
    while pos < b.len() && is_ws(b[pos]) {
        pos += 1;
    }
    pos
}

/// One JSON value of type `T` starting at `pos`, and the position just after it.
fn value_at<T: DeserializeOwned>(text: &str, pos: usize) -> Option<(T, usize)> {
    let mut it = serde_json::Deserializer::from_str(text.get(pos..)?).into_iter::<T>();
    let v = it.next()?.ok()?;
    Some((v, pos + it.byte_offset()))
}

/// Where `pos` holds `byte`, the position after it (and after whitespace).
fn expect(text: &str, pos: usize, byte: u8) -> Option<usize> {
    (text.as_bytes().get(pos) == Some(&byte)).then(|| skip_ws(text, pos + 1))
}

/// The top-level object's members before `features`: the `type` if seen, and the position
/// of the first feature (after `[` and whitespace).
pub(super) fn head(text: &str) -> Option<(Option<String>, usize)> {
    let mut pos = expect(text, skip_ws(text, 0), b'{')?;
    let mut kind = None;
    loop {
        let (key, next) = value_at::<String>(text, pos)?;
        pos = expect(text, skip_ws(text, next), b':')?;
        match key.as_str() {
            "features" => return Some((kind, expect(text, pos, b'[')?)),
            "type" if kind.is_none() => {
                let (v, next) = value_at::<String>(text, pos)?;
                kind = Some(v);
                pos = next;
            }
            "type" => return None,
            _ => pos = value_at::<IgnoredAny>(text, pos)?.1,
        }
        pos = expect(text, skip_ws(text, pos), b',')?;
    }
}

/// The members after the `features` array (from `pos`, just after its `]`) to the end of
/// the text: the `type`, from here or from before.
pub(super) fn tail(text: &str, mut pos: usize, mut kind: Option<String>) -> Option<String> {
    loop {
        pos = skip_ws(text, pos);
        match text.as_bytes().get(pos) {
            Some(b'}') => break,
            Some(b',') => {}
            _ => return None,
        }
        let (key, next) = value_at::<String>(text, skip_ws(text, pos + 1))?;
        pos = skip_ws(text, expect(text, skip_ws(text, next), b':')?);
        match key.as_str() {
            "features" => return None,
            "type" if kind.is_none() => {
                let (v, next) = value_at::<String>(text, pos)?;
                kind = Some(v);
                pos = next;
            }
            "type" => return None,
            _ => pos = value_at::<IgnoredAny>(text, pos)?.1,
        }
    }
    (skip_ws(text, pos + 1) == text.len()).then_some(kind?)
}

/// The first likely feature start at or after `from`: a `{` first on its line.
fn boundary_after(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut pos = from;
    loop {
        pos += memchr::memchr(b'\n', b.get(pos..)?)? + 1;
        let start = skip_ws(text, pos);
        if b.get(start) == Some(&b'{') {
            return Some(start);
        }
        pos = start;
    }
}

/// Parses features from `start` (a feature, or the array's end when `first`) until past
/// `limit`; `None` on anything the one-core reader should look at.
fn parse_piece(path: &Path, text: &str, start: usize, limit: usize, first: bool) -> Option<Piece> {
    let mut piece = Piece {
        start,
        end: start,
        closed: false,
        // room for a feature every 256 bytes, so that the list rarely grows
        records: Vec::with_capacity(limit.saturating_sub(start) / 256),
        unnamed: Vec::new(),
    };
    let mut pos = start;
    if first && text.as_bytes().get(pos) == Some(&b']') {
        piece.end = pos + 1;
        piece.closed = true;
        return Some(piece);
    }
    loop {
        let (checked, after) = match common_feature(text, pos) {
            Some(read) => read,
            None => {
                let mut it =
                    serde_json::Deserializer::from_str(text.get(pos..)?).into_iter::<RawFeature>();
                let raw = it.next()?.ok()?;
                let after = pos + it.byte_offset();
                (check(path, piece.records.len(), raw).ok()?, after)
            }
        };
        let Checked {
            id,
            has_id,
            position,
            props,
        } = checked;
        if !has_id {
            piece.unnamed.push(piece.records.len());
        }
        let props = props.map_or((0, 0), |p| {
            let s = p.as_ptr() as usize - text.as_ptr() as usize;
            (s, s + p.len())
        });
        piece.records.push(Record {
            id,
            position,
            props,
        });
        pos = skip_ws(text, after);
        match text.as_bytes().get(pos) {
            Some(b',') => {
                pos = skip_ws(text, pos + 1);
                if pos >= limit {
                    piece.end = pos;
                    return Some(piece);
                }
            }
            Some(b']') => {
                piece.end = pos + 1;
                piece.closed = true;
                return Some(piece);
            }
            _ => return None,
        }
    }
}

/// How a feature written in the common shape begins, up to its id's text.
const COMMON_HEAD: &str = r#"{"type":"Feature","id":""#;
/// What comes between the id's text and the longitude.
const COMMON_GEOMETRY: &str = r#"","geometry":{"type":"Point","coordinates":["#;
/// What comes between the latitude and the properties object.
const COMMON_PROPERTIES: &str = r#"]},"properties":"#;

/// The feature at `pos` when it is written in the shape this project writes, byte for byte
/// (compact, the members in this order): `{"type":"Feature","id":"…","geometry":{"type":
/// "Point","coordinates":[lon,lat]},"properties":{…}}` with an id without escapes. It is read
/// without the general reader's member-by-member work (half the time of a feature), and the
/// position just after its closing brace comes with it. `None` for anything else, including
/// a feature with a problem: the general reader then reads it, so both ways give the same
/// answer and the same errors. The numbers are read by serde_json; the properties are
/// checked in one pass by [`plain_object_len`], and any it does not find plainly fine go to
/// the general reader too.
fn common_feature(text: &str, pos: usize) -> Option<(Checked<'_>, usize)> {
    let rest = text.get(pos..)?.strip_prefix(COMMON_HEAD)?;
    let quote = memchr::memchr(b'"', rest.as_bytes())?;
    let id = &rest[..quote];
    // a backslash starts an escape; a control character is not valid JSON
    if id.bytes().any(|b| b == b'\\' || b < 0x20) {
        return None;
    }
    let rest = rest[quote..].strip_prefix(COMMON_GEOMETRY)?;
    let comma = memchr::memchr(b',', rest.as_bytes())?;
    // serde_json's own reading of a number: the same float, to the bit
    let lon = serde_json::from_str::<f64>(&rest[..comma]).ok()?;
    let rest = &rest[comma + 1..];
    let close = memchr::memchr(b']', rest.as_bytes())?;
    let lat = serde_json::from_str::<f64>(&rest[..close]).ok()?;
    let props = rest[close..].strip_prefix(COMMON_PROPERTIES)?;
    let props = props.get(..plain_object_len(props)?)?;
    let end = props.as_ptr() as usize - text.as_ptr() as usize + props.len();
    if text.as_bytes().get(end) != Some(&b'}') {
        return None;
    }
    let position = LonLat::new(lon, lat).ok()?;
    let checked = Checked {
        id: CompactString::from(id),
        has_id: true,
        position: Some(position),
        props: Some(props),
    };
    Some((checked, end + 1))
}

/// The features of a large FeatureCollection, read on all cores, or `None` when the file is
/// small, or has anything the one-core reader must look at (see the module documentation).
pub(super) fn read_parallel(path: &Path, src: &Arc<String>) -> Option<Vec<PointFeature>> {
    let text = src.as_str();
    if text.len() < PARALLEL_MIN_BYTES || rayon::current_num_threads() < 2 {
        return None;
    }
    let (kind, first) = head(text)?;
    let mut records = Vec::new();
    let closed_at = parse_span(path, text, (first, true), 0, &mut records)?.closed_at?;
    if tail(text, closed_at, kind)? != "FeatureCollection" || has_duplicate(&records, |r| &r.id) {
        return None;
    }
    Some(
        records
            .into_iter()
            .map(|r| PointFeature {
                id: r.id,
                position: r.position,
                properties: Properties {
                    buf: Some(Arc::clone(src)),
                    start: r.props.0,
                    end: r.props.1,
                },
            })
            .collect(),
    )
}

/// Where [`parse_span`] stopped.
pub(super) struct SpanEnd {
    /// Just after the last feature's comma (and whitespace): the end of the text, unless
    /// the array closed.
    pub(super) end: usize,
    /// Just after the array's closing bracket, when the span reached it.
    pub(super) closed_at: Option<usize>,
}

/// Parses the features of `text` from `first` (a feature start, or the array's closing
/// bracket when `array_start`) on all cores, until the array closes or the text ends (the
/// text must then end just after a feature's comma), appending them to `records`; a feature
/// without an id is named by its index in the file, `before` features having come before
/// `records`. `None` on anything the one-core reader should look at.
pub(super) fn parse_span(
    path: &Path,
    text: &str,
    (first, array_start): (usize, bool),
    before: usize,
    records: &mut Vec<Record>,
) -> Option<SpanEnd> {
    let pieces = rayon::current_num_threads() * PIECES_PER_THREAD;
    let mut starts = vec![first];
    for j in 1..pieces {
        let target = first + text.len().saturating_sub(first) * j / pieces;
        let last = starts[starts.len() - 1];
        match boundary_after(text, target.max(last)) {
            Some(s) if s > last => starts.push(s),
            _ => {}
        }
    }
    let limits: Vec<usize> = starts[1..].iter().copied().chain([text.len()]).collect();
    let parsed: Vec<Option<Piece>> = (0..starts.len())
        .into_par_iter()
        .map(|j| parse_piece(path, text, starts[j], limits[j], array_start && j == 0))
        .collect();
    let mut pos = first;
    for (j, piece) in parsed.into_iter().enumerate() {
        if pos >= limits[j] {
            continue; // the previous piece ran past this one
        }
        let piece = match piece {
            Some(p) if p.start == pos => p,
            _ => parse_piece(path, text, pos, limits[j], array_start && pos == first)?,
        };
        let base = records.len();
        records.extend(piece.records);
        for u in piece.unnamed {
            records[base + u].id = (before + base + u).to_compact_string();
        }
        pos = piece.end;
        if piece.closed {
            return Some(SpanEnd {
                end: pos,
                closed_at: Some(pos),
            });
        }
    }
    (pos == text.len()).then_some(SpanEnd {
        end: pos,
        closed_at: None,
    })
}

/// True when two items have the same id.
pub(super) fn has_duplicate<T: Sync>(items: &[T], id: impl Fn(&T) -> &str + Sync) -> bool {
    let increasing = items.par_windows(2).all(|w| id(&w[0]) < id(&w[1]));
    if increasing {
        return false;
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(items.len());
    !items.iter().all(|r| seen.insert(id(r)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geojson_io::read_points;

    /// The general reader's answer for the feature at the start of `text`: what it checked,
    /// and where the feature ends.
    fn general(text: &str) -> Option<(Checked<'_>, usize)> {
        let mut it = serde_json::Deserializer::from_str(text).into_iter::<RawFeature>();
        let raw = it.next()?.ok()?;
        let after = it.byte_offset();
        Some((check(Path::new("t"), 0, raw).ok()?, after))
    }

    /// A feature in the common shape, with `end` after its properties (`}` when well made).
    fn shape(id: &str, lon: &str, lat: &str, props: &str, end: &str) -> String {
        format!(
            r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":{props}{end}"#
        )
    }

    /// Whether the common path reads `text`; when it does, its answer is asserted to be the
    /// general reader's, to the bit and the byte.
    fn read_alike(text: &str) -> bool {
        let Some((c, after)) = common_feature(text, 0) else {
            return false;
        };
        let (w, want_after) = general(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(
            (c.id, c.has_id, c.props, after),
            (w.id, w.has_id, w.props, want_after),
            "{text}"
        );
        let (got, want) = (c.position.expect("placed"), w.position.expect("placed"));
        assert_eq!(got.lon().to_bits(), want.lon().to_bits(), "{text}");
        assert_eq!(got.lat().to_bits(), want.lat().to_bits(), "{text}");
        true
    }

    /// Random features near the common shape, some in it and some not: whenever the common
    /// path reads one, the general reader reads it the same way, to the bit and the byte.
    #[test]
    fn random_features_read_the_same_either_way() {
        let mut rng = crate::synthetic::SplitMix64(29);
        let mut pick = |items: &[&str]| items[rng.below(items.len())].to_string();
        let ids = [
            "a1",
            "",
            "Ворух-7",
            "x\\\"y",
            "tab\there",
            "\\u0041",
            "a b",
            "é",
            "1",
        ];
        let numbers = [
            "70",
            "-0",
            "0.0",
            "70.5",
            "1e1",
            "-4E-1",
            "1e400",
            "070",
            "+1",
            "1.",
            ".5",
            "-",
            "69.9705970000000000000000001",
            " 40",
            "40 ",
            "NaN",
            "1e-400",
            "180",
            "-180.0",
            "180.0000001",
            "12345678901234567890",
            "40,1",
        ];
        let props = [
            "{}",
            "null",
            "[]",
            "{\"a\":1}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1e400}",
            "{\"b\":\"\\ud800\"}",
            "{\"c\":[1,{\"d\":null}],\"e\":\"x\\\"y\"}",
            "{",
            "{\"a\":}",
            "{\"id\":\"z\"}",
        ];
        let tails = ["}", "}", "}", " }", ",\"bbox\":[0,0,1,1]}", "}}"];
        let mut taken = 0;
        for _ in 0..60_000 {
            let (id, lon, lat) = (pick(&ids), pick(&numbers), pick(&numbers));
            let text = shape(&id, &lon, &lat, &pick(&props), &pick(&tails));
            taken += usize::from(read_alike(&text));
        }
        // the common path was taken often enough to mean something
        assert!(taken > 1000, "{taken}");
    }

    #[test]
    fn the_common_shape_reads_as_the_general_reader_reads_it() {
        let shape = |id: &str, lon: &str, lat: &str, props: &str| shape(id, lon, lat, props, "}");
        let plain = r#"{"title":"Ворух \"x\"","n":1,"a":[1,{"b":null}]}"#;
        // read by the common path, and the same as the general reader's answer
        let taken = [
            shape("a1", "70.1", "40.2", plain),
            shape("", "-0", "0", "{}"),
            shape("Ворух-1", "1e1", "-4E-1", plain),
            shape(
                "x",
                "69.970597000000000000001",
                "40.64877300000000000000000001",
                plain,
            ),
            shape("x", "180", "-90", plain),
            shape("x", "70", " 40", plain),
            shape("x", "70.12345678901234567", "40.5", r#"{"id":"other"}"#),
        ];
        for text in &taken {
            assert!(read_alike(text), "{text}");
        }
        // left to the general reader: another shape, or anything it would refuse
        let left = [
            shape("a\\u0041", "70", "40", plain),
            shape("a\tb", "70", "40", plain),
            shape("x", "70", "40", "null"),
            shape("x", "70", "40", r#"{"a":1,"a":2}"#),
            shape("x", "70", "40", r#"{"a":1e400}"#),
            shape("x", "70", "40,5", plain),
            shape("x", "700", "40", plain),
            shape("x", "070", "40", plain),
            shape("x", "+70", "40", plain),
            shape("x", "70.", "40", plain),
            shape("x", "70", "40", "{}").replacen("{}}", r#"{},"bbox":[1,2,3,4]}"#, 1),
            shape("x", "70", "40", "{").replacen("{}", "{", 1),
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[70,40]},"properties":{}}"#
                .to_string(),
            r#"{"id":"x","type":"Feature","geometry":null,"properties":{}}"#.to_string(),
        ];
        for text in &left {
            assert!(common_feature(text, 0).is_none(), "{text}");
        }
    }

    fn feature(i: usize, pretty: bool) -> String {
        let id = if i % 97 == 5 {
            String::new()
        } else {
            format!("\"id\":\"f{i:06}\",")
        };
        let sep = if pretty { "\n  " } else { "" };
        format!(
            "{{{sep}\"type\":\"Feature\",{id}\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},{}]}},{sep}\"properties\":{sep}{{\"title\":\"t {i} {{\\n\",\"n\":{i}}}}}",
            70.0 + (i % 1000) as f64 / 1000.0,
            40.0 + (i % 777) as f64 / 1000.0
        )
    }

    fn collection(n: usize, pretty: bool, before: &str, after: &str) -> String {
        let body: Vec<String> = (0..n).map(|i| feature(i, pretty)).collect();
        format!(
            "{{{before}\"type\":\"FeatureCollection\",\"features\":[\n{}\n]{after}}}\n",
            body.join(",\n")
        )
    }

    fn same_as_one_core(text: &str) -> Option<Vec<PointFeature>> {
        let src = Arc::new(text.to_string());
        let got = read_parallel(Path::new("t"), &src);
        if let Some(got) = &got {
            assert_eq!(got, &read_points(Path::new("t"), text).unwrap());
        }
        got
    }

    #[test]
    fn large_files_read_in_parallel_give_the_one_core_answer() {
        for (pretty, before, after) in [
            (false, "", ""),
            (true, "\"bbox\":[1,2,3,4],", ",\"name\":\"x\""),
            (false, "\"crs\":null, ", " , \"k\" : [1,{\"a\":2}]"),
        ] {
            let text = collection(12_000, pretty, before, after);
            assert!(text.len() > PARALLEL_MIN_BYTES);
            let got = same_as_one_core(&text).expect("the parallel path applies");
            assert_eq!(got.len(), 12_000);
            // features without an id are named by their index in the whole file
            assert_eq!(got[5].id, "5");
            assert_eq!(got[97 * 60 + 5].id, (97 * 60 + 5).to_string());
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_one_core_reader() {
        let good = collection(12_000, false, "", "");
        let cases = [
            good.replace("\"type\":\"FeatureCollection\"", "\"type\":\"Feature\""),
            good.replacen("\"f000007\"", "\"f000006\"", 1),
            good.replacen("[70,40]", "[700,40]", 1),
            good.replacen(
                "},\n{\"type\":\"Feature\",\"id\":\"f006000\"",
                "},,{\"id\":\"x\"",
                1,
            ),
            format!("{}]", &good[..good.len() - 3]),
            good.replace("]}\n", "]}x"),
            good.replace("\"features\":[", "\"features\":[],\"features\":["),
            good.replacen(
                "{\"type\":\"FeatureCollection\",",
                "{\"type\":\"x\",\"type\":\"FeatureCollection\",",
                1,
            ),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert!(
                read_parallel(Path::new("t"), &Arc::new(text.clone())).is_none(),
                "case {i}"
            );
        }
        // small files stay on one core
        assert!(read_parallel(Path::new("t"), &Arc::new(collection(10, false, "", ""))).is_none());
        // an empty array
        let empty = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[ ]{}}}",
            " ".repeat(PARALLEL_MIN_BYTES)
        );
        assert_eq!(same_as_one_core(&empty).map(|v| v.len()), Some(0));
    }
}
