//! The persistent index: a sidecar file next to an incidents file, so that repeated
//! questions about one dataset skip parsing the GeoJSON and building the tree.
//!
//! `FILE.geojson.bmidx` holds, for the located incidents in id order: positions, ids, the
//! place of each one's properties in the input text, and the spatial index's tree order
//! (from which [`SpatialIndex::from_tree_order`] rebuilds the tree in one pass). Opening it
//! reads a few bytes per incident and builds no JSON.
//!
//! A sidecar is used only when it matches its input: the header records the input's size,
//! modification time and a SHA-256 of its first and last 64 KiB ([`Stamp`]), all checked on
//! opening; any difference, or a sidecar that does not read back whole and consistent, is
//! reported as [`Opened::Stale`] and never used. Filters (`--from`, `--to`, `--type`) read
//! the input itself; an output that shows properties reads those of its rows alone, at the
//! places the sidecar records ([`open_deferred`]), and checks the stamp again; the batch CSV
//! of `near --queries` needs only the sidecar. A question about one part of the globe reads
//! the positions and decodes only the incidents in that part ([`open_regions`]).
//!
//! Layout (little-endian): magic and version (8 bytes); the stamp (size u64, seconds u64,
//! nanoseconds u32, digest 32 bytes); `n` u64; unlocated u64; `n` × (lon f64, lat f64);
//! `n` × tree order u32; `n` × properties (start u64, end u64); `n` × end of the id u64; the
//! ids, UTF-8, one after the other.

use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, Properties, read_points_owned};
use crate::index::SpatialIndex;
use crate::input::read_text;
use crate::model::LonLat;
use crate::output::write_atomic;
use crate::query::{Dataset, Filter};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

mod parts;

pub use parts::open_regions;

/// The first bytes of a sidecar: a name and the format version.
const MAGIC: &[u8; 8] = b"BMIDX\0\0\x01";

/// Bytes hashed at each end of the input.
const EDGE: u64 = 64 * 1024;

/// The sidecar of `input`: the same path with `.bmidx` added.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let p = bordermap::sidecar::sidecar_path(Path::new("data/incidents.geojson"));
/// assert_eq!(p, Path::new("data/incidents.geojson.bmidx"));
/// ```
pub fn sidecar_path(input: &Path) -> PathBuf {
    let mut s = input.as_os_str().to_owned();
    s.push(".bmidx");
    PathBuf::from(s)
}

/// What identifies the content of an input file: its size in bytes, its modification
/// time, and a SHA-256 of its first and last 64 KiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    secs: u64,
    nanos: u32,
    digest: [u8; 32],
}

impl Stamp {
    /// The stamp of `input` as it is now.
    pub fn of(input: &Path) -> Result<Stamp> {
        let io = |e| Error::io(input, e);
        let mut f = std::fs::File::open(input).map_err(io)?;
        let meta = f.metadata().map_err(io)?;
        let size = meta.len();
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        let mut hash = Sha256::new();
        let mut buf = Vec::new();
        (&mut f).take(EDGE).read_to_end(&mut buf).map_err(io)?;
        hash.update(&buf);
        if size > EDGE {
            buf.clear();
            f.seek(SeekFrom::Start(size.saturating_sub(EDGE).max(EDGE)))
                .map_err(io)?;
            f.take(EDGE).read_to_end(&mut buf).map_err(io)?;
            hash.update(&buf);
        }
        hash.update(size.to_le_bytes());
        Ok(Stamp {
            size,
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
            digest: hash.finalize().into(),
        })
    }

    fn bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(52);
        b.extend(self.size.to_le_bytes());
        b.extend(self.secs.to_le_bytes());
        b.extend(self.nanos.to_le_bytes());
        b.extend(self.digest);
        b
    }
}

/// Reads `input` (within `cap` bytes) and indexes every incident, as the sidecar records
/// them; the stamp is the input's before reading, and reading fails if the input changed
/// meanwhile.
pub fn load_and_index(input: &Path, cap: u64) -> Result<(Dataset, Stamp)> {
    let before = Stamp::of(input)?;
    let features = read_points_owned(input, read_text(input, cap)?)?;
    if Stamp::of(input)? != before {
        return Err(Error::record(
            input,
            "input",
            "the file changed while it was being read; try again",
        ));
    }
    Ok((Dataset::new(features, &Filter::default()), before))
}

/// Writes the sidecar of `input` for `d`, which must hold every incident of the input as
/// [`load_and_index`] read it with `stamp`. Returns the sidecar's path.
///
/// # Examples
/// ```
/// use bordermap::sidecar::{Opened, load_and_index, open, write};
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("i.geojson");
/// std::fs::write(&input, r#"{"type":"FeatureCollection","features":[
///  {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{"title":"Vorukh"}}]}"#).unwrap();
/// let (d, stamp) = load_and_index(&input, 1 << 20).unwrap();
/// write(&input, &d, &stamp).unwrap();
/// let Opened::Fresh(again) = open(&input, true, 1 << 20).unwrap() else { panic!() };
/// assert_eq!(again.features, d.features);
/// // 2 km away (metres)
/// assert_eq!(again.near(bordermap::LonLat::new(70.58, 39.87).unwrap(), Some(2_500.0), None).len(), 1);
/// ```
pub fn write(input: &Path, d: &Dataset, stamp: &Stamp) -> Result<PathBuf> {
    let n = d.features.len();
    let ids: usize = d.features.iter().map(|f| f.id.len()).sum();
    let mut b = Vec::with_capacity(100 + n * 44 + ids);
    b.extend(MAGIC);
    b.extend(stamp.bytes());
    b.extend((n as u64).to_le_bytes());
    b.extend((d.unlocated as u64).to_le_bytes());
    for p in d.index.points() {
        b.extend(p.lon().to_le_bytes());
        b.extend(p.lat().to_le_bytes());
    }
    for i in d.index.tree_order() {
        b.extend(i.to_le_bytes());
    }
    for f in &d.features {
        let (s, e) = f.properties.span();
        b.extend((s as u64).to_le_bytes());
        b.extend((e as u64).to_le_bytes());
    }
    let mut end = 0u64;
    for f in &d.features {
        end += f.id.len() as u64;
        b.extend(end.to_le_bytes());
    }
    for f in &d.features {
        b.extend(f.id.as_bytes());
    }
    let path = sidecar_path(input);
    write_atomic(&path, &b, &[input])?;
    Ok(path)
}

/// What [`open`] found.
#[derive(Debug)]
pub enum Opened {
    /// No sidecar.
    Missing,
    /// A sidecar that does not match the input (or does not read back): rebuild it.
    Stale(String),
    /// The dataset, from a sidecar that matches the input.
    Fresh(Dataset),
}

/// Opens the sidecar of `input`. With `with_properties`, the input text is read too (within
/// `cap` bytes) and the features' properties point into it; without, every feature's
/// properties are empty (enough for ids, positions and distances).
pub fn open(input: &Path, with_properties: bool, cap: u64) -> Result<Opened> {
    let (bytes, stamp) = match checked(input)? {
        Ok(found) => found,
        Err(not_fresh) => return Ok(not_fresh),
    };
    let text = if with_properties {
        let text = Arc::new(read_text(input, cap)?);
        if Stamp::of(input)? != stamp {
            return Ok(Opened::Stale("the input changed while it was read".into()));
        }
        Some(text)
    } else {
        None
    };
    Ok(match decode(&bytes[60..], text) {
        Some((d, _)) => Opened::Fresh(d),
        None => Opened::Stale(DAMAGED.into()),
    })
}

/// [`open`] without the input's text: every feature's properties are empty, and the
/// [`Deferred`] that comes with a fresh dataset reads those of the incidents a question
/// shows, and only those, from the input ([`Deferred::fill`]). A question about one place
/// in a large file then reads the sidecar and a few hundred properties, not the file.
///
/// # Examples
/// ```
/// use bordermap::sidecar::{Opened, load_and_index, open_deferred, write};
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("i.geojson");
/// std::fs::write(&input, "\u{feff}{\"type\":\"FeatureCollection\",\"features\":[
///  {\"type\":\"Feature\",\"id\":\"a\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[70.58,39.85]},\"properties\":{\"title\":\"Vorukh\"}},
///  {\"type\":\"Feature\",\"id\":\"b\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[70.52,39.87]},\"properties\":{\"title\":\"Ak-Sai\"}}]}").unwrap();
/// let (d, stamp) = load_and_index(&input, 1 << 20).unwrap();
/// write(&input, &d, &stamp).unwrap();
/// let (Opened::Fresh(mut again), Some(deferred)) = open_deferred(&input).unwrap() else { panic!() };
/// assert_eq!(again.features[1].properties.raw(), "{}");
/// deferred.fill(&mut again, [1]).unwrap(); // only b's
/// assert_eq!(again.features[1], d.features[1]);
/// assert_eq!(again.features[0].properties.raw(), "{}");
/// ```
pub fn open_deferred(input: &Path) -> Result<(Opened, Option<Deferred>)> {
    let (bytes, stamp) = match checked(input)? {
        Ok(found) => found,
        Err(not_fresh) => return Ok((not_fresh, None)),
    };
    Ok(match decode(&bytes[60..], None) {
        Some((d, spans)) => (Opened::Fresh(d), Some(Deferred::new(input, stamp, spans))),
        None => (Opened::Stale(DAMAGED.into()), None),
    })
}

/// The `k`-th little-endian u64 of `b`, if `b` holds it.
fn u64_at(b: &[u8], k: usize) -> Option<u64> {
    let bytes = b.get(k.checked_mul(8)?..k.checked_mul(8)?.checked_add(8)?)?;
    Some(u64::from_le_bytes(bytes.try_into().ok()?))
}

/// Why a sidecar that does not read back is stale.
const DAMAGED: &str = "the index file is damaged";

/// The sidecar's bytes and the input's stamp when the sidecar is there and matches the
/// input; else what [`open`] answers (missing or stale).
fn checked(input: &Path) -> Result<std::result::Result<(Vec<u8>, Stamp), Opened>> {
    let path = sidecar_path(input);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Err(Opened::Missing)),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let stamp = Stamp::of(input)?;
    match stale_head(&bytes, &stamp) {
        Some(stale) => Ok(Err(stale)),
        None => Ok(Ok((bytes, stamp))),
    }
}

/// Bytes of the header: magic, stamp, and the counts of located and unlocated incidents.
const HEAD: usize = 76;

/// What is wrong with a sidecar that starts with `head` for an input of `stamp`, if
/// anything: another version, or another input.
fn stale_head(head: &[u8], stamp: &Stamp) -> Option<Opened> {
    if head.get(..8) != Some(MAGIC) {
        return Some(Opened::Stale(
            "not a bordermap index of this version".into(),
        ));
    }
    if head.get(8..60) != Some(&stamp.bytes()[..]) {
        return Some(Opened::Stale(
            "the input changed since it was indexed".into(),
        ));
    }
    None
}

/// Where each incident's properties lie in the input of a sidecar opened by
/// [`open_deferred`].
#[derive(Debug)]
pub struct Deferred {
    input: PathBuf,
    /// The input's stamp, checked again after reading.
    stamp: Stamp,
    /// Bytes before the text that the spans count in: a UTF-8 byte-order mark.
    shift: u64,
    /// Per feature (in the dataset's order), its properties' place in the text.
    spans: Vec<(u64, u64)>,
}

impl Deferred {
    /// The properties of `input` (stamped `stamp`) at `spans`, which count from the text's
    /// start: after a UTF-8 byte-order mark, when it has one.
    fn new(input: &Path, stamp: Stamp, spans: Vec<(u64, u64)>) -> Deferred {
        let mut bom = [0u8; 3];
        let shift = match std::fs::File::open(input).and_then(|mut f| f.read_exact(&mut bom)) {
            Ok(()) if bom == [0xEF, 0xBB, 0xBF] => 3,
            _ => 0,
        };
        Deferred {
            input: input.to_path_buf(),
            stamp,
            shift,
            spans,
        }
    }

    /// Reads from the input the properties of the features `which` (indices into
    /// `d.features`), in the order they lie in the file, and sets them; the others stay
    /// empty. An input changed since it was indexed is an error that says so.
    pub fn fill(&self, d: &mut Dataset, which: impl IntoIterator<Item = usize>) -> Result<()> {
        let io = |e| Error::io(&self.input, e);
        let changed = || {
            Error::record(
                &self.input,
                "input",
                "the file changed while it was being read; try again",
            )
        };
        let mut wanted: Vec<usize> = which
            .into_iter()
            .filter(|&i| self.spans.get(i).is_some_and(|&(s, e)| e > s))
            .collect();
        wanted.sort_unstable_by_key(|&i| self.spans[i].0);
        wanted.dedup();
        let mut file = std::io::BufReader::new(std::fs::File::open(&self.input).map_err(io)?);
        let (mut at, mut text, mut buf) = (0u64, String::new(), Vec::new());
        let mut placed = Vec::with_capacity(wanted.len());
        for &i in &wanted {
            let (s, e) = self.spans[i];
            let from = self.shift + s;
            // forward within the buffer when the next one is near
            match from
                .checked_sub(at)
                .and_then(|ahead| i64::try_from(ahead).ok())
            {
                Some(ahead) => file.seek_relative(ahead).map_err(io)?,
                None => _ = file.seek(SeekFrom::Start(from)).map_err(io)?,
            }
            buf.resize(usize::try_from(e - s).map_err(|_| changed())?, 0);
            file.read_exact(&mut buf).map_err(|_| changed())?;
            at = from + (e - s);
            let piece = std::str::from_utf8(&buf).map_err(|_| changed())?;
            let start = text.len();
            text.push_str(piece);
            placed.push((i, start, text.len()));
        }
        if Stamp::of(&self.input)? != self.stamp {
            return Err(changed());
        }
        let text = Arc::new(text);
        for (i, start, end) in placed {
            d.features[i].properties =
                Properties::shared(Arc::clone(&text), start, end).ok_or_else(changed)?;
        }
        Ok(())
    }
}

/// Splits `n` bytes off the front of `b`.
fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = b.split_at_checked(n)?;
    *b = rest;
    Some(head)
}

fn u64s(b: &[u8]) -> impl Iterator<Item = u64> + '_ {
    b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
}

fn f64s(b: &[u8]) -> impl Iterator<Item = f64> + '_ {
    u64s(b).map(f64::from_bits)
}

/// The sections of a sidecar's body (after the header), their lengths checked.
struct Body<'a> {
    unlocated: usize,
    points: Vec<LonLat>,
    order: &'a [u8],
    spans: &'a [u8],
    ends: &'a [u8],
    ids: &'a [u8],
}

impl<'a> Body<'a> {
    fn parse(mut b: &'a [u8]) -> Option<Body<'a>> {
        let mut counts = u64s(take(&mut b, 16)?);
        let n = usize::try_from(counts.next()?).ok()?;
        let unlocated = usize::try_from(counts.next()?).ok()?;
        if n > b.len() / 44 {
            return None;
        }
        let points = take(&mut b, n * 16)?
            .par_chunks_exact(16)
            .map(|c| {
                let mut xy = f64s(c);
                LonLat::new(xy.next()?, xy.next()?).ok()
            })
            .collect::<Option<_>>()?;
        Some(Body {
            unlocated,
            points,
            order: take(&mut b, n * 4)?,
            spans: take(&mut b, n * 16)?,
            ends: take(&mut b, n * 8)?,
            ids: b,
        })
    }

    /// Where the id of incident `i` ends in the ids (0 before the first).
    fn id_end(&self, i: Option<usize>) -> Option<usize> {
        i.map_or(Some(0), |i| usize::try_from(u64_at(self.ends, i)?).ok())
    }

    /// Incident `i` without its properties (`text`: with them), and their place in the
    /// input's text.
    fn feature(&self, i: usize, text: Option<&Arc<String>>) -> Option<(PointFeature, (u64, u64))> {
        let (start, end) = (self.id_end(i.checked_sub(1))?, self.id_end(Some(i))?);
        let id = std::str::from_utf8(self.ids.get(start..end)?).ok()?;
        let span = (u64_at(self.spans, 2 * i)?, u64_at(self.spans, 2 * i + 1)?);
        let properties = match text {
            Some(t) => Properties::shared(
                Arc::clone(t),
                usize::try_from(span.0).ok()?,
                usize::try_from(span.1).ok()?,
            )?,
            None => Properties::default(),
        };
        let f = PointFeature {
            id: id.into(),
            position: Some(*self.points.get(i)?),
            properties,
        };
        Some((f, span))
    }
}

/// The dataset from a sidecar's body (after the header) and the place of each feature's
/// properties in the input's text, or `None` when anything in it does not fit.
fn decode(b: &[u8], text: Option<Arc<String>>) -> Option<(Dataset, Vec<(u64, u64)>)> {
    let body = Body::parse(b)?;
    let n = body.points.len();
    // on all cores, each incident straight into its place; one that does not fit leaves a
    // blank there and the whole is refused below
    let damaged = AtomicBool::new(false);
    let (mut features, mut spans) = (Vec::with_capacity(n), Vec::with_capacity(n));
    (0..n)
        .into_par_iter()
        .map(|i| {
            body.feature(i, text.as_ref()).unwrap_or_else(|| {
                damaged.store(true, Ordering::Relaxed);
                let blank = PointFeature {
                    id: Default::default(),
                    position: None,
                    properties: Properties::default(),
                };
                (blank, (0, 0))
            })
        })
        .unzip_into_vecs(&mut features, &mut spans);
    // the ids in order, and the ids section holds them and nothing else
    let sorted = || features.par_windows(2).all(|w| w[0].id < w[1].id);
    if damaged.into_inner() || !sorted() || body.id_end(n.checked_sub(1))? != body.ids.len() {
        return None;
    }
    let order: Vec<u32> = body
        .order
        .par_chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default()))
        .collect();
    let d = Dataset {
        index: SpatialIndex::from_tree_order(body.points, &order)?,
        features,
        unlocated: body.unlocated,
    };
    Some((d, spans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;

    fn collection(n: usize) -> String {
        let feats: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"type":"Feature","id":"x{i:04}","geometry":{{"type":"Point","coordinates":[{},{}]}},"properties":{{"title":"t{i}"}}}}"#,
                    70.0 + (i % 50) as f64 * 0.01,
                    40.0 + (i / 50) as f64 * 0.01
                )
            })
            .collect();
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{{"type":"Feature","id":"z","geometry":null,"properties":null}}]}}"#,
            feats.join(",\n")
        )
    }

    fn opened(input: &Path, with_properties: bool) -> Opened {
        open(input, with_properties, 1 << 30).unwrap()
    }

    #[test]
    fn a_fresh_sidecar_gives_the_same_dataset_and_answers() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("i.geojson");
        std::fs::write(&input, collection(3000)).unwrap();
        assert!(matches!(opened(&input, false), Opened::Missing));
        let (d, stamp) = load_and_index(&input, 1 << 30).unwrap();
        write(&input, &d, &stamp).unwrap();
        let Opened::Fresh(with) = opened(&input, true) else {
            panic!("fresh")
        };
        assert_eq!(with.features, d.features);
        assert_eq!(with.unlocated, 1);
        assert_eq!(with.index.tree_order(), d.index.tree_order());
        let Opened::Fresh(bare) = opened(&input, false) else {
            panic!("fresh")
        };
        assert_eq!(bare.features[7].properties.raw(), "{}");
        let q = LonLat::new(70.2, 40.3).unwrap();
        for (r, k) in [
            (Some(5_000.0), None),
            (None, Some(9)),
            (Some(900.0), Some(3)),
        ] {
            assert_eq!(
                bare.near_with_bearings(q, r, k),
                d.near_with_bearings(q, r, k)
            );
        }
    }

    #[test]
    fn a_question_about_part_of_the_globe_decodes_its_part_and_answers_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("i.geojson");
        // 50 × 400 incidents, 0.01° apart, from (70°, 40°) to (70.49°, 43.99°)
        std::fs::write(&input, collection(20_000)).unwrap();
        let (d, stamp) = load_and_index(&input, 1 << 30).unwrap();
        let side = write(&input, &d, &stamp).unwrap();
        let ids = |d: &Dataset, hits: Vec<crate::index::Hit>| -> Vec<(String, f64)> {
            hits.iter()
                .map(|h| (d.features[h.index].id.to_string(), h.distance_m))
                .collect()
        };
        let at = |lon, lat| LonLat::new(lon, lat).unwrap();
        // (region, radius m, k, decoded at most): one by one, then whole sections (over
        // 4096 rows), then everything (over half)
        let cases = [
            (
                Region::Disc(at(70.2, 41.0), 2_500.0),
                Some(2_500.0),
                None,
                300,
            ),
            (Region::Nearest(at(70.7, 40.5), 7), None, Some(7), 6_000),
            (Region::Nearest(at(170.0, -40.0), 3), None, Some(3), 20_000),
            (
                Region::Disc(at(70.25, 41.0), 60_000.0),
                Some(60_000.0),
                None,
                7_000,
            ),
            (
                Region::Disc(at(70.25, 42.0), 150_000.0),
                Some(150_000.0),
                None,
                20_000,
            ),
        ];
        for (region, r, k, most) in cases {
            let (Opened::Fresh(mut part), Some(deferred)) =
                open_regions(&input, &[region]).unwrap()
            else {
                panic!("fresh")
            };
            assert!(
                part.features.len() <= most,
                "{region:?}: {}",
                part.features.len()
            );
            let q = match region {
                Region::Disc(p, _) | Region::Nearest(p, _) => p,
                Region::Box(_) => unreachable!(),
            };
            let want = ids(&d, d.near(q, r, k));
            let hits = part.near(q, r, k);
            assert!(!want.is_empty());
            assert_eq!(ids(&part, hits.clone()), want, "{region:?}");
            // the properties of the rows shown, from the input at the places recorded
            deferred
                .fill(&mut part, hits.iter().map(|h| h.index))
                .unwrap();
            for h in &hits {
                let f = &part.features[h.index];
                let whole = d.features.iter().find(|g| g.id == f.id).unwrap();
                assert_eq!(f.properties.raw(), whole.properties.raw());
            }
        }
        let bbox = [70.1, 40.5, 70.3, 40.7];
        let (Opened::Fresh(part), _) = open_regions(&input, &[Region::Box(bbox)]).unwrap() else {
            panic!("fresh")
        };
        let names = |d: &Dataset, rows: Vec<usize>| -> Vec<String> {
            rows.into_iter()
                .map(|i| d.features[i].id.to_string())
                .collect()
        };
        assert_eq!(
            names(&part, part.within_bbox(bbox)),
            names(&d, d.within_bbox(bbox))
        );
        assert_eq!(part.features.len(), 21 * 21);
        // a sidecar cut short, or of another input, is stale
        let good = std::fs::read(&side).unwrap();
        let near = [Region::Disc(at(70.2, 41.0), 2_500.0)];
        for cut in [good.len() - 1, 76 + 16 * 20_000 + 5, 70, 7] {
            std::fs::write(&side, &good[..cut]).unwrap();
            let (opened, _) = open_regions(&input, &near).unwrap();
            assert!(matches!(opened, Opened::Stale(_)), "cut {cut}");
        }
        // a byte changed anywhere: stale, or fresh with what it reads still whole; no panic
        let mut rng = crate::synthetic::SplitMix64(7);
        for _ in 0..300 {
            let mut bad = good.clone();
            let k = 60 + rng.below(bad.len() - 60);
            bad[k] ^= 1 << rng.below(8);
            std::fs::write(&side, &bad).unwrap();
            for region in [near[0], Region::Disc(at(70.25, 41.0), 60_000.0)] {
                if let (Opened::Fresh(d), _) = open_regions(&input, &[region]).unwrap() {
                    assert!(d.features.windows(2).all(|w| w[0].id < w[1].id));
                }
            }
        }
        std::fs::remove_file(&side).unwrap();
        assert!(matches!(
            open_regions(&input, &near).unwrap().0,
            Opened::Missing
        ));
    }

    #[test]
    fn a_changed_input_or_a_damaged_sidecar_is_stale_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("i.geojson");
        let text = collection(200);
        std::fs::write(&input, &text).unwrap();
        let (d, stamp) = load_and_index(&input, 1 << 30).unwrap();
        let side = write(&input, &d, &stamp).unwrap();
        let good = std::fs::read(&side).unwrap();
        // the same size, one byte changed in the middle: the modification time differs
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&input, text.replacen("x0100", "y0100", 1)).unwrap();
        assert!(matches!(opened(&input, false), Opened::Stale(_)));
        // a damaged body under a matching header
        std::fs::write(&input, &text).unwrap();
        let (d, stamp) = load_and_index(&input, 1 << 30).unwrap();
        write(&input, &d, &stamp).unwrap();
        let fresh = std::fs::read(&side).unwrap();
        assert_eq!(fresh.len(), good.len());
        for cut in [fresh.len() - 1, 100, 61] {
            std::fs::write(&side, &fresh[..cut]).unwrap();
            assert!(
                matches!(opened(&input, false), Opened::Stale(_)),
                "cut {cut}"
            );
        }
        let mut bad = fresh.clone();
        let order_at = 60 + 16 + 200 * 16;
        bad[order_at] ^= 1; // the tree order no longer a permutation
        std::fs::write(&side, &bad).unwrap();
        assert!(matches!(opened(&input, false), Opened::Stale(_)));
        std::fs::write(&side, b"something else").unwrap();
        assert!(matches!(opened(&input, false), Opened::Stale(_)));
    }
}
