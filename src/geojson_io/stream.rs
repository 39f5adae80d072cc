//! Reading a large FeatureCollection file a block at a time, without ever holding its text.
//!
//! The file is read [`BLOCK`] bytes at a time, into two buffers in turn; each block is cut
//! where its last line that starts a feature begins (a `{` first on its line, as in every
//! file this project writes), its features are parsed on all cores by [`split::parse_span`]
//! while the next block is read, and the rest is carried over to the next block. Only what
//! queries need is kept: ids, positions and, when asked for, a copy of the properties' text.
//! Memory then follows the number of features rather than the size of the file, and the
//! buffer's pages are reused instead of the kernel zeroing fresh ones for the whole file.
//!
//! As in `split.rs`, anything unusual (a syntax error, a feature with a problem, a duplicate
//! id, invalid UTF-8, no feature boundary within a few blocks) makes [`read_streamed`] give
//! up, and the caller reads the file whole: the one-core reader then words the error exactly
//! as it always does.

use super::read::{PointFeature, Properties};
use super::split::{self, Record, is_ws};
use rayon::prelude::*;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Bytes read at a time. The first block is read, and the last parsed, with nothing beside
/// it; blocks of 4 MiB made a million features load 7% faster than blocks of 16 MiB, and
/// blocks of 1 or 2 MiB no faster (see `bench/RESULTS.md`).
const BLOCK: usize = 4 << 20;

/// Blocks held at most without finding a feature boundary before giving up (the one-core
/// reader then reads the file whole, as before): a feature of up to 16 MiB.
const MAX_CARRY_BLOCKS: usize = 4;

/// Appends up to `want` bytes of `file` to `buf`; `Some(true)` at the end of the file.
fn fill(file: &mut File, buf: &mut Vec<u8>, want: usize) -> Option<bool> {
    let n = file.by_ref().take(want as u64).read_to_end(buf).ok()?;
    Some(n < want)
}

/// Where the last line of `b` that starts a feature has its `{`, after `from`.
fn last_boundary(b: &[u8], from: usize) -> Option<usize> {
    let mut end = b.len();
    while let Some(nl) = memchr::memrchr(b'\n', b.get(from..end)?) {
        let nl = from + nl;
        let indent = b[nl + 1..end]
            .iter()
            .take_while(|&&c| is_ws(c) && c != b'\n')
            .count();
        if b.get(nl + 1 + indent) == Some(&b'{') {
            return Some(nl + 1 + indent);
        }
        end = nl;
    }
    None
}

/// A feature from a record, its properties at `start..end` of a text set later.
fn feature(r: Record, start: usize, end: usize) -> PointFeature {
    PointFeature {
        id: r.id,
        position: r.position,
        properties: Properties {
            buf: None,
            start,
            end,
        },
    }
}

/// The features of the FeatureCollection in `file` (`size` bytes), read a block at a time:
/// the same ids and positions as the one-core reader's, and with `properties` the same
/// properties (copied into one buffer; without, every feature's are empty). `None` when the
/// file has anything the one-core reader must look at (see the module documentation).
pub(super) fn read_streamed(
    path: &Path,
    file: File,
    size: u64,
    properties: bool,
) -> Option<Vec<PointFeature>> {
    read_blocks(path, file, (size, BLOCK), properties)
}

/// [`read_streamed`], `block` bytes at a time.
fn read_blocks(
    path: &Path,
    mut file: File,
    (size, block): (u64, usize),
    properties: bool,
) -> Option<Vec<PointFeature>> {
    let mut buf = Vec::with_capacity(2 * block);
    let mut eof = fill(&mut file, &mut buf, block)?;
    let bom = if buf.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let head_end = memchr::memrchr(b'\n', &buf).map_or(buf.len(), |nl| nl + 1);
    let head_text = std::str::from_utf8(buf.get(bom..head_end)?).ok()?;
    let (kind, first) = split::head(head_text)?;
    let (mut pos, mut array_start) = (bom + first, true);
    let mut features: Vec<PointFeature> = Vec::new();
    let mut props_text = String::new();
    let mut records: Vec<Record> = Vec::new();
    // the next block, read while this one is parsed
    let mut next: Vec<u8> = Vec::with_capacity(2 * block);
    loop {
        let cut = if eof {
            Some(buf.len())
        } else {
            last_boundary(&buf, pos + 1)
        };
        let Some(cut) = cut else {
            if buf.len() >= MAX_CARRY_BLOCKS * block {
                return None;
            }
            eof = fill(&mut file, &mut buf, block)?;
            continue;
        };
        // checked on one core while the other waits: simdutf8 checks it in wide words
        let text = simdutf8::basic::from_utf8(&buf[..cut]).ok()?;
        records.clear();
        let (span, next_eof) = rayon::join(
            || split::parse_span(path, text, (pos, array_start), features.len(), &mut records),
            || {
                next.clear();
                if eof {
                    return Some(true);
                }
                next.extend_from_slice(&buf[cut..]);
                fill(&mut file, &mut next, block)
            },
        );
        let span = span?;
        if features.is_empty() && !records.is_empty() {
            // room for the whole file, guessed from the first block
            let scale = size as f64 / (span.end - pos).max(1) as f64;
            features.reserve((records.len() as f64 * scale * 1.05) as usize);
            if properties {
                let bytes: usize = records.iter().map(|r| r.props.1 - r.props.0).sum();
                props_text.reserve((bytes as f64 * scale * 1.05) as usize);
            }
        }
        if properties {
            for r in records.drain(..) {
                let (start, end) = match r.props {
                    (0, 0) => (0, 0),
                    (s, e) => {
                        props_text.push_str(&text[s..e]);
                        (props_text.len() - (e - s), props_text.len())
                    }
                };
                features.push(feature(r, start, end));
            }
        } else {
            // in place, on all cores: the pages of the features are new, and the kernel
            // zeroes each one as it is first written
            features.par_extend(records.par_drain(..).map(|r| feature(r, 0, 0)));
        }
        if let Some(closed) = span.closed_at {
            // what follows the array: the rest of this block, the next, and the file's end
            let mut rest = buf[closed..cut].to_vec();
            rest.extend_from_slice(&next);
            file.read_to_end(&mut rest).ok()?;
            let rest = String::from_utf8(rest).ok()?;
            if split::tail(&rest, 0, kind)? != "FeatureCollection" {
                return None;
            }
            break;
        }
        if eof {
            return None;
        }
        std::mem::swap(&mut buf, &mut next);
        (pos, array_start) = (0, false);
        eof = next_eof?;
    }
    if split::has_duplicate(&features, |f| &f.id) {
        return None;
    }
    if properties {
        props_text.shrink_to_fit();
        let text = Arc::new(props_text);
        for f in &mut features {
            f.properties.buf = Some(Arc::clone(&text));
        }
    }
    Some(features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geojson_io::read_points;

    /// Blocks of 64 KiB in the tests, so that a few megabytes make many blocks.
    const SMALL: usize = 1 << 16;

    /// A collection of `n` features; with `split_props`, each feature's properties start a
    /// line of their own (a `{` first on its line that is no feature's start).
    fn collection(n: usize, split_props: bool) -> String {
        let body: Vec<String> = (0..n)
            .map(|i| {
                let id = if i % 97 == 5 {
                    String::new()
                } else {
                    format!("\"id\":\"f{i:07}\",")
                };
                let sep = if split_props { "\n" } else { "" };
                let geometry = if i % 50 == 7 {
                    "null".to_string()
                } else {
                    format!(
                        "{{\"type\":\"Point\",\"coordinates\":[{},{}]}}",
                        70.0 + (i % 1000) as f64 / 1000.0,
                        40.0 + (i % 777) as f64 / 1000.0
                    )
                };
                let props = match i % 31 {
                    3 => "null".to_string(),
                    4 => "{}".to_string(),
                    _ => format!("{{\"title\":\"t {i} {{\\n\",\"n\":{i},\"ж\":\"é\"}}"),
                };
                format!("{{\"type\":\"Feature\",{id}\"geometry\":{geometry},\"properties\":{sep}{props}}}")
            })
            .collect();
        format!(
            "\u{feff}{{\"type\":\"FeatureCollection\",\"bbox\":[1,2,3,4],\"features\":[\n{}\n]\r\n,\"name\":\"x\"}}\n",
            body.join(",\r\n")
        )
    }

    fn streamed(bytes: &[u8], properties: bool) -> Option<Vec<PointFeature>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.geojson");
        std::fs::write(&path, bytes).unwrap();
        let file = File::open(&path).unwrap();
        read_blocks(
            Path::new("s"),
            file,
            (bytes.len() as u64, SMALL),
            properties,
        )
    }

    fn one_core(text: &str) -> Vec<PointFeature> {
        read_points(Path::new("s"), text.trim_start_matches('\u{feff}')).unwrap()
    }

    #[test]
    fn blocks_give_the_one_core_answer_with_or_without_properties() {
        let text = collection(20_000, false);
        assert!(text.len() > 20 * SMALL, "{}", text.len());
        let want = one_core(&text);
        let got = streamed(text.as_bytes(), true).expect("the streamed path applies");
        assert_eq!(got, want);
        assert_eq!(got[5].id, "5");
        assert_eq!(got[97 * 100 + 5].id, (97 * 100 + 5).to_string());
        let bare = streamed(text.as_bytes(), false).expect("the streamed path applies");
        assert_eq!(bare.len(), want.len());
        assert!(
            bare.iter().zip(&want).all(|(b, w)| b.id == w.id
                && b.position == w.position
                && b.properties.raw() == "{}")
        );
        // a `{` line inside a feature: the right answer, or the one-core reader's turn
        let text = collection(20_000, true);
        if let Some(got) = streamed(text.as_bytes(), true) {
            assert_eq!(got, one_core(&text));
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_one_core_reader() {
        let good = collection(3000, false);
        let cases = [
            good.replacen("\"f0000007\"", "\"f0000006\"", 1),
            good.replacen("[70,40]", "[700,40]", 1),
            good.replacen("\"n\":8,", "\"n\":8,\"n\":8,", 1),
            good.replacen("\"n\":2000,", "\"n\":2000,,", 1),
            format!("{}]", &good[..good.len() - 3]),
            good.replace("]\r\n,", "]x,"),
            good.replace("\"FeatureCollection\"", "\"Feature\""),
            good[..good.find("f0001500").unwrap()].to_string(),
            format!("{good}x"),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert!(streamed(text.as_bytes(), true).is_none(), "case {i}");
        }
        let mut bytes = good.into_bytes();
        let at = bytes.len() / 2;
        bytes[at] = 0xC0;
        assert!(streamed(&bytes, true).is_none());
        // one line longer than the blocks held at most
        let long = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            vec![r#"{"type":"Feature","geometry":null,"properties":{}}"#; 30_000].join(",")
        );
        assert!(long.len() > MAX_CARRY_BLOCKS * SMALL);
        assert!(streamed(long.as_bytes(), true).is_none());
    }
}
