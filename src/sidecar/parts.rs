//! Reading a sidecar a part at a time ([`open_regions`]): the positions, then the ids and
//! property places of the incidents a question needs, not the rest.

use super::{
    DAMAGED, Deferred, HEAD, Opened, Stamp, open_deferred, sidecar_path, stale_head, u64_at, u64s,
};
use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, Properties};
use crate::index::SpatialIndex;
use crate::model::LonLat;
use crate::query::Dataset;
use crate::region::{Region, holds, radius_holding};
use compact_str::CompactString;
use std::borrow::Cow;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The most regions [`open_regions`] looks for one at a time; more are read whole.
const MOST_REGIONS: usize = 16;

/// The most incidents [`open_regions`] reads one at a time; more, and the sections they lie
/// in are read whole.
const ONE_BY_ONE: usize = 4096;

/// [`open_deferred`] for a question about part of the globe. Of the sidecar, it reads the
/// positions (16 bytes an incident) and, for the incidents in the boxes of `regions` alone,
/// their ids and the places of their properties; the dataset is indexed afresh from them.
/// A question about one place among a million incidents then reads 16 MB and decodes a few
/// thousand incidents. A question about many regions, or about more than half the
/// incidents, has them all, as [`open_deferred`] gives them. What it reads is checked as
/// [`open`](super::open) checks it.
///
/// # Examples
/// ```
/// use bordermap::region::Region;
/// use bordermap::sidecar::{Opened, load_and_index, open_regions, write};
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("i.geojson");
/// let feature = |i: i32| format!(r#"{{"type":"Feature","id":"f{i}","geometry":{{"type":"Point","coordinates":[{},39.85]}},"properties":{{}}}}"#, 70 + i);
/// let all: Vec<String> = (0..10).map(feature).collect();
/// std::fs::write(&input, format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, all.join(","))).unwrap();
/// let (d, stamp) = load_and_index(&input, 1 << 20).unwrap();
/// write(&input, &d, &stamp).unwrap();
/// let vorukh = bordermap::LonLat::new(70.58, 39.85).unwrap();
/// let near = Region::Disc(vorukh, 60_000.0); // metres
/// let (Opened::Fresh(part), Some(_)) = open_regions(&input, &[near]).unwrap() else { panic!() };
/// // f0 and f1, 50 km away, are decoded, not the eight beyond
/// let ids: Vec<&str> = part.features.iter().map(|f| f.id.as_str()).collect();
/// assert_eq!(ids, ["f0", "f1"]);
/// assert_eq!(part.near(vorukh, Some(60_000.0), None), d.near(vorukh, Some(60_000.0), None));
/// ```
pub fn open_regions(input: &Path, regions: &[Region]) -> Result<(Opened, Option<Deferred>)> {
    if regions.len() > MOST_REGIONS {
        return open_deferred(input);
    }
    let stamp = Stamp::of(input)?;
    let mut parts = match Parts::open(input, &stamp)? {
        Ok(parts) => parts,
        Err(not_fresh) => return Ok((not_fresh, None)),
    };
    let damaged = || Ok((Opened::Stale(DAMAGED.into()), None));
    let n = parts.n;
    let Some(coords) = parts.read(parts.at(0), n * 16) else {
        return damaged();
    };
    // the position of incident i as written, not yet checked (NaN when missing)
    let raw = |i: usize| {
        let f = |k| u64_at(&coords, k).map_or(f64::NAN, f64::from_bits);
        (f(2 * i), f(2 * i + 1))
    };
    let inside = |boxes: &[[f64; 4]]| {
        (0..n)
            .filter(|&i| {
                let (lon, lat) = raw(i);
                holds(boxes, lon, lat)
            })
            .collect::<Vec<_>>()
    };
    let boxes = Region::boxes(regions, |center, k| {
        if n < k {
            return Ok(None);
        }
        radius_holding(center, k, |b| {
            let near = inside(b).into_iter().map(|i| {
                let (lon, lat) = raw(i);
                LonLat::new(lon, lat)
            });
            Ok(near.filter_map(std::result::Result::ok).collect())
        })
    })?;
    let rows = inside(&boxes);
    if rows.len() > n / 2 {
        return open_deferred(input);
    }
    let Some(found) = parts.rows(&rows) else {
        return damaged();
    };
    let mut features = Vec::with_capacity(rows.len());
    let mut spans = Vec::with_capacity(rows.len());
    for (&i, (id, span)) in rows.iter().zip(found) {
        let (lon, lat) = raw(i);
        let (Ok(id), Ok(position)) = (CompactString::from_utf8(&id), LonLat::new(lon, lat)) else {
            return damaged();
        };
        features.push(PointFeature {
            id,
            position: Some(position),
            properties: Properties::default(),
        });
        spans.push(span);
    }
    if !features.windows(2).all(|w| w[0].id < w[1].id) {
        return damaged();
    }
    let d = Dataset {
        index: SpatialIndex::from_points(features.iter().filter_map(|f| f.position).collect()),
        features,
        unlocated: parts.unlocated,
    };
    Ok((Opened::Fresh(d), Some(Deferred::new(input, stamp, spans))))
}

/// Where an incident's properties lie in the input's text: start and end, bytes.
type Span = (u64, u64);

/// A sidecar read a part at a time, for [`open_regions`].
struct Parts {
    file: std::fs::File,
    /// Located incidents.
    n: usize,
    unlocated: usize,
    /// Bytes of the ids section, the file's last.
    ids_len: u64,
}

/// A section of a sidecar as [`Parts`] reads it: whole, or an entry at a time from the file.
enum Section {
    Whole(Vec<u8>),
    InFile(u64),
}

impl Parts {
    /// The sidecar of `input`, its header checked against `stamp` and its size against the
    /// header; or what [`open`](super::open) answers (missing, stale).
    fn open(input: &Path, stamp: &Stamp) -> Result<std::result::Result<Parts, Opened>> {
        let path = sidecar_path(input);
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err(Opened::Missing));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut head = Vec::new();
        (&mut file)
            .take(HEAD as u64)
            .read_to_end(&mut head)
            .map_err(|e| Error::io(&path, e))?;
        if let Some(stale) = stale_head(&head, stamp) {
            return Ok(Err(stale));
        }
        let len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
        let mut counts = u64s(head.get(60..HEAD).unwrap_or_default());
        let (n, unlocated) = (counts.next().unwrap_or(0), counts.next().unwrap_or(0));
        let ids_len = n
            .checked_mul(44)
            .and_then(|b| len.checked_sub(HEAD as u64 + b));
        let mut parts = match (ids_len, usize::try_from(n), usize::try_from(unlocated)) {
            (Some(ids_len), Ok(n), Ok(unlocated)) if head.len() == HEAD => Parts {
                file,
                n,
                unlocated,
                ids_len,
            },
            _ => return Ok(Err(Opened::Stale(DAMAGED.into()))),
        };
        // the last id ends where the file does
        let last_end = match parts.n {
            0 => Some(0),
            _ => parts.read(parts.at(44) - 8, 8).and_then(|b| u64_at(&b, 0)),
        };
        if last_end != Some(parts.ids_len) {
            return Ok(Err(Opened::Stale(DAMAGED.into())));
        }
        Ok(Ok(parts))
    }

    /// Where the section starts after `per_incident` bytes an incident: the positions (0),
    /// the tree order (16), the spans (20), the ends of the ids (36), the ids (44).
    fn at(&self, per_incident: u64) -> u64 {
        HEAD as u64 + per_incident * self.n as u64
    }

    /// `len` bytes of the file from `at`; `None` when the file ends before.
    fn read(&mut self, at: u64, len: usize) -> Option<Vec<u8>> {
        self.file.seek(SeekFrom::Start(at)).ok()?;
        let mut buf = Vec::new();
        (&mut self.file)
            .take(len as u64)
            .read_to_end(&mut buf)
            .ok()?;
        (buf.len() == len).then_some(buf)
    }

    /// `len` bytes of `section` from `from`.
    fn bytes<'s>(&mut self, section: &'s Section, from: u64, len: usize) -> Option<Cow<'s, [u8]>> {
        match section {
            Section::Whole(b) => {
                let from = usize::try_from(from).ok()?;
                b.get(from..from.checked_add(len)?).map(Cow::Borrowed)
            }
            Section::InFile(at) => self.read(at + from, len).map(Cow::Owned),
        }
    }

    /// The id (UTF-8 not yet checked) of each of `rows`, and the place of its properties in
    /// the input; the sections are read whole for more than [`ONE_BY_ONE`] rows. `None`
    /// when the file does not hold them.
    fn rows(&mut self, rows: &[usize]) -> Option<Vec<(Vec<u8>, Span)>> {
        let (n, ids_len) = (self.n, usize::try_from(self.ids_len).ok()?);
        let whole = rows.len() > ONE_BY_ONE;
        let [spans, ends, ids] = [(20, n * 16), (36, n * 8), (44, ids_len)].map(|(k, len)| {
            let at = self.at(k);
            match whole {
                true => self.read(at, len).map(Section::Whole),
                false => Some(Section::InFile(at)),
            }
        });
        let (spans, ends, ids) = (spans?, ends?, ids?);
        let mut out = Vec::with_capacity(rows.len());
        for &i in rows {
            let span = self.bytes(&spans, 16 * i as u64, 16)?;
            let (start, end) = match i {
                0 => (0, u64_at(&self.bytes(&ends, 0, 8)?, 0)?),
                _ => {
                    let e = self.bytes(&ends, 8 * (i as u64 - 1), 16)?;
                    (u64_at(&e, 0)?, u64_at(&e, 1)?)
                }
            };
            if start > end || end > self.ids_len {
                return None;
            }
            let id = self.bytes(&ids, start, usize::try_from(end - start).ok()?)?;
            out.push((id.into_owned(), (u64_at(&span, 0)?, u64_at(&span, 1)?)));
        }
        Some(out)
    }
}
