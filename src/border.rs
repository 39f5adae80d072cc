//! The border layers: the Kyrgyzstan–Tajikistan line, the enclaves, the countries, and the
//! disputed-segment overlay; and the border analytics computed for every incident.
//!
//! The line is `geodata/border.geojson` (WOF/Quattroshapes, LSIB-derived, not simplified).
//! Disputed sections (`geodata/disputed_segments.toml`) store no geometry of their own: each is
//! cut out of the border line between two cited anchors, snapped to the line, so a section
//! always follows the border exactly. Each section has a status history, so its status can be
//! asked for as of any date.
//!
//! Distances are geodesic on WGS84 (Karney's method through `geo::Geodesic`), measured to the
//! nearest point of the line.

use crate::error::{Error, Result};
use crate::geojson_io::{collection_features, feature_area};
use crate::model::{Date, LonLat};
use geo::algorithm::indexed::IntervalTreeMultiPolygon;
use geo::{
    BoundingRect, Contains, Coord, Distance, Geodesic, Length, LineString, MultiPolygon, Rect,
};
use serde::Deserialize;
use std::path::Path;

use crate::shipped::{BORDER_GEOJSON, COUNTRIES_GEOJSON, ENCLAVES_GEOJSON, SEGMENTS_TOML};

/// A polygon's containment index (geo's interval tree over its edges), shared.
#[derive(Clone)]
pub struct Containment(std::sync::Arc<IntervalTreeMultiPolygon<f64>>, Rect<f64>);

impl Containment {
    fn new(shape: &MultiPolygon<f64>) -> Self {
        let bbox = shape
            .bounding_rect()
            .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }));
        Containment(
            std::sync::Arc::new(IntervalTreeMultiPolygon::new(shape)),
            bbox,
        )
    }

    /// True when `c` lies inside (boundary excluded).
    pub fn contains(&self, c: Coord<f64>) -> bool {
        let b = self.1;
        b.min().x <= c.x
            && c.x <= b.max().x
            && b.min().y <= c.y
            && c.y <= b.max().y
            && self.0.contains(&c)
    }
}

impl std::fmt::Debug for Containment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Containment").field(&self.1).finish()
    }
}

/// A polygon layer feature: a country or an enclave.
#[derive(Debug, Clone)]
pub struct Area {
    /// Id (`KG`, `enclave:vorukh`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO2 of the owning country.
    pub country: String,
    /// `focus`, `neighbour` or `enclave`.
    pub role: String,
    /// The shape.
    pub shape: MultiPolygon<f64>,
    /// Fast point-in-polygon for [`Layers::side`].
    pub index: Containment,
}

/// One part of the border line.
#[derive(Debug, Clone)]
pub struct BorderPart {
    /// `mainland`, `vorukh` or `western_qalacha`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The line, lon/lat.
    pub line: LineString<f64>,
    chunks: Vec<Chunk>,
}

impl BorderPart {
    /// The nearest point of this part to `p`.
    pub fn nearest(&self, p: geo::Point<f64>) -> Option<Nearest> {
        nearest_chunked(&self.line, &self.chunks, p)
    }
}

/// The status of a border section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    /// Both sides claim it.
    Disputed,
    /// Not yet delimited by treaty.
    Undelimited,
    /// Agreed by treaty.
    Agreed,
}

impl SectionStatus {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionStatus::Disputed => "disputed",
            SectionStatus::Undelimited => "undelimited",
            SectionStatus::Agreed => "agreed",
        }
    }

    /// True unless agreed.
    pub fn is_contested(self) -> bool {
        self != SectionStatus::Agreed
    }
}

/// A disputed (or once disputed) border section.
#[derive(Debug, Clone)]
pub struct Section {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The name on Russian maps, where the file gives one.
    pub name_ru: Option<String>,
    /// The border part it lies on.
    pub part: String,
    /// The line, cut from the border between the snapped anchors.
    pub line: LineString<f64>,
    /// Status changes, oldest first: (from this date, status).
    pub history: Vec<(Date, SectionStatus)>,
    /// True when the extent is approximate.
    pub approximate: bool,
    /// Source ids.
    pub sources: Vec<String>,
    /// What it is, in words.
    pub description: String,
    chunks: Vec<Chunk>,
}

impl Section {
    /// The status on `date`: the latest change on or before it (the first status before
    /// any change).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Date, border::{Layers, SectionStatus}};
    /// let layers = Layers::shipped().unwrap();
    /// let s = layers.section("vorukh-perimeter").unwrap();
    /// assert_eq!(s.status_on(Date::parse("2022-09-16").unwrap()), SectionStatus::Disputed);
    /// assert_eq!(s.status_on(Date::parse("2025-06-01").unwrap()), SectionStatus::Agreed);
    /// ```
    pub fn status_on(&self, date: Date) -> SectionStatus {
        let mut status = self.history[0].1;
        for (d, s) in &self.history {
            if *d <= date {
                status = *s;
            }
        }
        status
    }

    /// The nearest point of this section to `p`.
    pub fn nearest(&self, p: geo::Point<f64>) -> Option<Nearest> {
        nearest_chunked(&self.line, &self.chunks, p)
    }

    /// Geodesic length in metres.
    pub fn length_m(&self) -> f64 {
        Geodesic.length(&self.line)
    }
}

/// The nearest point of a line to a query point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    /// Geodesic distance in metres.
    pub distance_m: f64,
    /// The nearest point on the line.
    pub point: Coord<f64>,
    /// Index of the segment (from vertex `segment` to `segment + 1`).
    pub segment: usize,
    /// Position along that segment, 0–1.
    pub fraction: f64,
}

/// Finds the nearest point of `line` to `p`.
///
/// Each segment is short (tens to hundreds of metres), so the foot of the perpendicular is
/// found in a local equirectangular plane around the query, and the distance to it is then
/// measured geodesically. Written here because the cut-out of sections needs the segment
/// index and fraction, which geo's closest-point algorithms do not return.
///
/// # Examples
/// ```
/// use bordermap::border::nearest_on_line;
/// use geo::LineString;
/// let line = LineString::from(vec![(70.0, 40.0), (70.0, 40.1)]);
/// let n = nearest_on_line(&line, geo::Point::new(70.01, 40.05)).unwrap();
/// assert!((n.distance_m - 853.0).abs() < 2.0, "{}", n.distance_m);
/// assert!((n.fraction - 0.5).abs() < 1e-6);
/// ```
pub fn nearest_on_line(line: &LineString<f64>, p: geo::Point<f64>) -> Option<Nearest> {
    nearest_chunked(line, &chunks(line), p)
}

/// Segments per chunk: the scan skips a chunk whose bounding box is farther than the best
/// segment found so far.
const CHUNK: usize = 32;

/// The bounding box of a run of segments: vertices `start..=end`.
#[derive(Debug, Clone, Copy)]
struct Chunk {
    min: Coord<f64>,
    max: Coord<f64>,
    start: usize,
    end: usize,
}

fn chunks(line: &LineString<f64>) -> Vec<Chunk> {
    let n = line.0.len();
    (0..n.saturating_sub(1))
        .step_by(CHUNK)
        .map(|start| {
            let end = (start + CHUNK).min(n - 1);
            let mut min = line.0[start];
            let mut max = line.0[start];
            for c in &line.0[start..=end] {
                min = Coord {
                    x: min.x.min(c.x),
                    y: min.y.min(c.y),
                };
                max = Coord {
                    x: max.x.max(c.x),
                    y: max.y.max(c.y),
                };
            }
            Chunk {
                min,
                max,
                start,
                end,
            }
        })
        .collect()
}

fn nearest_chunked(
    line: &LineString<f64>,
    chunks: &[Chunk],
    p: geo::Point<f64>,
) -> Option<Nearest> {
    let (point, segment, fraction) = foot(line, chunks, p)?;
    Some(Nearest {
        distance_m: Geodesic.distance(p, geo::Point::from(point)),
        point,
        segment,
        fraction,
    })
}

/// The foot of the perpendicular from a point to a line in the local plane: the point, its
/// segment and the fraction along it.
type Foot = (Coord<f64>, usize, f64);

/// The [`Foot`] of `p` on `line`.
fn foot(line: &LineString<f64>, chunks: &[Chunk], p: geo::Point<f64>) -> Option<Foot> {
    let k = p.y().to_radians().cos();
    // Squared distance in the local plane (x scaled by cos φ) from p to a chunk's box.
    let box_d2 = |c: &Chunk| {
        let dx = (c.min.x - p.x()).max(p.x() - c.max.x).max(0.0) * k;
        let dy = (c.min.y - p.y()).max(p.y() - c.max.y).max(0.0);
        dx * dx + dy * dy
    };
    let mut best: Option<(f64, Coord<f64>, usize, f64)> = None;
    let scan = |chunk: &Chunk, best: &mut Option<(f64, Coord<f64>, usize, f64)>| {
        for i in chunk.start..chunk.end {
            let (s, e) = (line.0[i], line.0[i + 1]);
            let (ax, ay) = ((s.x - p.x()) * k, s.y - p.y());
            let (bx, by) = ((e.x - p.x()) * k, e.y - p.y());
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 {
                (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (cx, cy) = (ax + t * dx, ay + t * dy);
            let d2 = cx * cx + cy * cy;
            // Ties go to the earlier segment, as a plain scan would.
            if best.is_none_or(|b| d2 < b.0 || (d2 == b.0 && i < b.2)) {
                let c = Coord {
                    x: s.x + t * (e.x - s.x),
                    y: s.y + t * (e.y - s.y),
                };
                *best = Some((d2, c, i, t));
            }
        }
    };
    // The chunk whose box is nearest gives a first bound; then every chunk whose box is no
    // farther than the best segment so far is scanned (no sorting needed).
    let lower: Vec<f64> = chunks.iter().map(box_d2).collect();
    let first = (0..chunks.len()).min_by(|&a, &b| lower[a].total_cmp(&lower[b]))?;
    scan(&chunks[first], &mut best);
    for (j, chunk) in chunks.iter().enumerate() {
        if j != first && best.is_none_or(|b| lower[j] <= b.0) {
            scan(chunk, &mut best);
        }
    }
    best.map(|(_, c, segment, fraction)| (c, segment, fraction))
}

/// Of several lines, the one whose nearest point (its [`foot`]) is nearest to `p` on the
/// ellipsoid, with that point: the same answer as measuring every foot by Karney's method
/// and taking the first smallest, but a foot whose chord (the straight line through the
/// Earth, never longer than the geodesic) already exceeds the best distance found is never
/// measured.
fn nearest_of<T>(
    p: geo::Point<f64>,
    feet: impl Iterator<Item = (T, Option<Foot>)>,
) -> Option<(T, Nearest)> {
    let xyz = |x: f64, y: f64| LonLat::new(x, y).ok().map(crate::geodesic::ecef);
    let from = xyz(p.x(), p.y());
    let mut feet: Vec<(usize, f64, T, Foot)> = feet
        .enumerate()
        .filter_map(|(i, (t, f))| {
            let f = f?;
            let chord = match (from, xyz(f.0.x, f.0.y)) {
                (Some(a), Some(b)) => {
                    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
                }
                _ => 0.0,
            };
            Some((i, chord, t, f))
        })
        .collect();
    feet.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut best: Option<(usize, T, Nearest)> = None;
    for (i, chord, t, (point, segment, fraction)) in feet {
        if best
            .as_ref()
            .is_some_and(|(bi, _, b)| chord > b.distance_m || (chord == b.distance_m && i > *bi))
        {
            continue;
        }
        let distance_m = Geodesic.distance(p, geo::Point::from(point));
        if best.as_ref().is_none_or(|(bi, _, b)| {
            distance_m < b.distance_m || (distance_m == b.distance_m && i < *bi)
        }) {
            let n = Nearest {
                distance_m,
                point,
                segment,
                fraction,
            };
            best = Some((i, t, n));
        }
    }
    best.map(|(_, t, n)| (t, n))
}

/// Cuts the part of `line` between two positions given as (segment, fraction).
fn cut(line: &LineString<f64>, a: (usize, f64), b: (usize, f64)) -> LineString<f64> {
    let (a, b) = if (a.0, a.1) <= (b.0, b.1) {
        (a, b)
    } else {
        (b, a)
    };
    let at = |(i, t): (usize, f64)| {
        let s = line.0[i];
        let e = line.0[(i + 1).min(line.0.len() - 1)];
        Coord {
            x: s.x + t * (e.x - s.x),
            y: s.y + t * (e.y - s.y),
        }
    };
    let mut coords = vec![at(a)];
    coords.extend(line.0[a.0 + 1..=b.0].iter().copied());
    coords.push(at(b));
    coords.dedup();
    LineString(coords)
}

/// Border analytics of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct BorderFacts {
    /// Geodesic distance to the nearest point of the KG–TJ border, metres.
    pub distance_to_border_m: f64,
    /// The border part that point lies on.
    pub border_part: String,
    /// The country (ISO2) whose territory contains the point, per the map layer.
    pub side: String,
    /// The nearest recorded section, and its distance in metres.
    pub nearest_section: Option<(String, f64)>,
    /// True when the point lies within [`ON_SECTION_M`] of the border and the nearest border
    /// point lies on a section that is contested on the date.
    pub on_disputed_section: bool,
    /// The status of the nearest section on the date.
    pub nearest_section_status: Option<SectionStatus>,
}

/// How near the border a point must be to count as on a disputed section, metres: the
/// scale of a border village and its fields.
pub const ON_SECTION_M: f64 = 3_000.0;

/// All the border layers.
#[derive(Debug, Clone)]
pub struct Layers {
    /// The border line parts.
    pub border: Vec<BorderPart>,
    /// The disputed-section overlay.
    pub sections: Vec<Section>,
    /// Countries (focus and neighbours).
    pub countries: Vec<Area>,
    /// Enclaves.
    pub enclaves: Vec<Area>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentsFile {
    #[serde(default)]
    segment: Vec<toml::Spanned<RawSegment>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    id: String,
    name: String,
    #[serde(default)]
    name_ru: Option<String>,
    border_part: String,
    #[serde(default)]
    whole_ring: bool,
    #[serde(default)]
    from: Option<[f64; 2]>,
    #[serde(default)]
    to: Option<[f64; 2]>,
    status: SectionStatus,
    as_of: String,
    #[serde(default)]
    approximate: bool,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    status_change: Vec<RawChange>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChange {
    date: String,
    status: SectionStatus,
    #[allow(dead_code)]
    source: String,
}

fn prop(f: &geojson::Feature, key: &str) -> String {
    f.property(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn areas(path: &Path, text: &str, enclaves: bool) -> Result<Vec<Area>> {
    let mut out = Vec::new();
    for (i, f) in collection_features(path, text)?.into_iter().enumerate() {
        if f.geometry.is_none() {
            continue;
        }
        let shape = feature_area(&f).ok_or_else(|| {
            Error::record(
                path,
                format!("feature {i}"),
                "expected a Polygon or MultiPolygon",
            )
        })?;
        let index = Containment::new(&shape);
        out.push(if enclaves {
            Area {
                id: prop(&f, "id"),
                name: prop(&f, "name"),
                country: prop(&f, "sovereign"),
                role: "enclave".into(),
                shape,
                index,
            }
        } else {
            Area {
                id: prop(&f, "iso2"),
                name: prop(&f, "name"),
                country: prop(&f, "iso2"),
                role: prop(&f, "role"),
                shape,
                index,
            }
        });
    }
    Ok(out)
}

impl Layers {
    /// The layers compiled into the binary from `geodata/`.
    pub fn shipped() -> Result<Self> {
        let path = Path::new("geodata/border.geojson");
        let mut border = Vec::new();
        for (i, f) in collection_features(path, BORDER_GEOJSON)?
            .into_iter()
            .enumerate()
        {
            let line = f
                .geometry
                .as_ref()
                .and_then(|g| LineString::<f64>::try_from(&g.value).ok())
                .ok_or_else(|| {
                    Error::record(path, format!("feature {i}"), "expected a LineString")
                })?;
            border.push(BorderPart {
                id: prop(&f, "part"),
                name: prop(&f, "name"),
                chunks: chunks(&line),
                line,
            });
        }
        let sections = parse_sections(
            Path::new("geodata/disputed_segments.toml"),
            SEGMENTS_TOML,
            &border,
        )?;
        Ok(Layers {
            border,
            sections,
            countries: areas(
                Path::new("geodata/countries.geojson"),
                COUNTRIES_GEOJSON,
                false,
            )?,
            enclaves: areas(
                Path::new("geodata/enclaves.geojson"),
                ENCLAVES_GEOJSON,
                true,
            )?,
        })
    }

    /// The section with `id`.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The enclave whose name (or id) matches `name`, ignoring case and punctuation.
    pub fn enclave(&self, name: &str) -> Option<&Area> {
        let f = crate::names::fold(name);
        self.enclaves.iter().find(|a| {
            crate::names::fold(&a.name) == f
                || crate::names::fold(&a.id) == f
                || crate::names::fold(a.id.trim_start_matches("enclave:")) == f
        })
    }

    /// The nearest point of the KG–TJ border to `p`, with the part it lies on.
    pub fn nearest_border(&self, p: LonLat) -> Option<(Nearest, &BorderPart)> {
        let p = p.point();
        nearest_of(
            p,
            self.border.iter().map(|b| (b, foot(&b.line, &b.chunks, p))),
        )
        .map(|(b, n)| (n, b))
    }

    /// The country whose territory contains `p` (enclaves first), or an empty string.
    pub fn side(&self, p: LonLat) -> String {
        let c = Coord {
            x: p.lon(),
            y: p.lat(),
        };
        if let Some(e) = self.enclaves.iter().find(|e| e.index.contains(c)) {
            return e.country.clone();
        }
        self.countries
            .iter()
            .filter(|a| a.role == "focus")
            .chain(self.countries.iter().filter(|a| a.role != "focus"))
            .find(|a| a.index.contains(c))
            .map(|a| a.country.clone())
            .unwrap_or_default()
    }

    /// Distance to the border, side, and the nearest section with its status on `date`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Date, LonLat, border::Layers};
    /// let layers = Layers::shipped().unwrap();
    /// let vorukh = LonLat::new(70.58012, 39.85125).unwrap();
    /// let f = layers.facts(vorukh, Date::parse("2022-06-03").unwrap()).unwrap();
    /// assert_eq!(f.side, "TJ");
    /// assert!(f.distance_to_border_m < 5_000.0);
    /// ```
    pub fn facts(&self, p: LonLat, date: Date) -> Option<BorderFacts> {
        let (n, part) = self.nearest_border(p)?;
        let q = p.point();
        let section = nearest_of(
            q,
            self.sections
                .iter()
                .map(|s| (s, foot(&s.line, &s.chunks, q))),
        )
        .map(|(s, n)| (s, n.distance_m));
        let on_section = n.distance_m <= ON_SECTION_M
            && section.is_some_and(|(s, d)| {
                s.part == part.id && d - n.distance_m < 1.0 && s.status_on(date).is_contested()
            });
        Some(BorderFacts {
            distance_to_border_m: n.distance_m,
            border_part: part.id.clone(),
            side: self.side(p),
            nearest_section: section.map(|(s, d)| (s.id.clone(), d)),
            on_disputed_section: on_section,
            nearest_section_status: section.map(|(s, _)| s.status_on(date)),
        })
    }
}

/// Parses the disputed-segments file and cuts each section out of `border`.
pub fn parse_sections(path: &Path, text: &str, border: &[BorderPart]) -> Result<Vec<Section>> {
    let syntax = |at: usize, message: String| crate::input::syntax_at(path, text, at, message);
    let file: SegmentsFile =
        toml::from_str(text).map_err(|e| crate::input::toml_error(path, text, &e))?;
    let mut out = Vec::new();
    for sp in file.segment {
        let at = sp.span().start;
        let r = sp.into_inner();
        let who = format!("segment {:?}", r.id);
        let part = border
            .iter()
            .find(|b| b.id == r.border_part)
            .ok_or_else(|| {
                syntax(
                    at,
                    format!("{who}: unknown border_part {:?}", r.border_part),
                )
            })?;
        let line = if r.whole_ring {
            part.line.clone()
        } else {
            let (Some(from), Some(to)) = (r.from, r.to) else {
                return Err(syntax(
                    at,
                    format!("{who}: give from and to, or whole_ring = true"),
                ));
            };
            let snap = |a: [f64; 2]| -> Result<Nearest> {
                let p = LonLat::new(a[0], a[1]).map_err(|m| syntax(at, format!("{who}: {m}")))?;
                let n = nearest_on_line(&part.line, p.point())
                    .ok_or_else(|| syntax(at, format!("{who}: empty border part")))?;
                if n.distance_m > 3_000.0 {
                    return Err(syntax(
                        at,
                        format!(
                            "{who}: anchor [{}, {}] is {:.0} m from the {} border; anchors must lie within 3 km of it",
                            a[0], a[1], n.distance_m, part.id
                        ),
                    ));
                }
                Ok(n)
            };
            let (a, b) = (snap(from)?, snap(to)?);
            cut(&part.line, (a.segment, a.fraction), (b.segment, b.fraction))
        };
        let mut history = vec![(
            Date::parse(&r.as_of).map_err(|m| syntax(at, format!("{who}: as_of: {m}")))?,
            r.status,
        )];
        for c in &r.status_change {
            let d = Date::parse(&c.date)
                .map_err(|m| syntax(at, format!("{who}: status_change: {m}")))?;
            history.push((d, c.status));
        }
        history.sort_by_key(|h| h.0);
        out.push(Section {
            id: r.id,
            name: r.name,
            name_ru: r.name_ru,
            part: part.id.clone(),
            chunks: chunks(&line),
            line,
            history,
            approximate: r.approximate,
            sources: r.sources,
            description: r.description,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chord-pruned search gives what measuring every part and section by Karney's
    /// method and taking the first smallest gives, at 20,000 points from the border's
    /// villages to 1,500 km away.
    #[test]
    fn pruned_nearest_is_the_brute_force_nearest() {
        let layers = Layers::shipped().unwrap();
        let mut rng = crate::synthetic::SplitMix64(7);
        for k in 0..20_000 {
            let spread: f64 = [0.05, 0.5, 3.0, 15.0][k % 4];
            let lon = 70.5 + (rng.f64() - 0.5) * 2.0 * spread;
            let lat = (40.0 + (rng.f64() - 0.5) * spread).clamp(-89.0, 89.0);
            let p = LonLat::new(lon, lat).unwrap();
            let brute = |lines: Vec<(String, Option<Nearest>)>| {
                lines
                    .into_iter()
                    .filter_map(|(id, n)| n.map(|n| (id, n)))
                    .min_by(|a, b| a.1.distance_m.total_cmp(&b.1.distance_m))
            };
            let want = brute(
                layers
                    .border
                    .iter()
                    .map(|b| (b.id.clone(), b.nearest(p.point())))
                    .collect(),
            );
            let got = layers.nearest_border(p).map(|(n, b)| (b.id.clone(), n));
            assert_eq!(got, want, "{p:?}");
            let want = brute(
                layers
                    .sections
                    .iter()
                    .map(|s| (s.id.clone(), s.nearest(p.point())))
                    .collect(),
            );
            let date = crate::model::Date {
                year: 2022,
                month: 9,
                day: 16,
            };
            let got = layers.facts(p, date).and_then(|f| f.nearest_section);
            assert_eq!(got, want.map(|(id, n)| (id, n.distance_m)), "{p:?}");
        }
    }

    #[test]
    fn sections_follow_the_border_exactly() {
        let layers = Layers::shipped().unwrap();
        assert!(layers.sections.len() >= 6);
        for s in &layers.sections {
            let part = layers.border.iter().find(|b| b.id == s.part).unwrap();
            for c in s.line.coords() {
                let n = nearest_on_line(&part.line, geo::Point::from(*c)).unwrap();
                assert!(
                    n.distance_m < 0.01,
                    "{}: vertex {:?} is {} m off",
                    s.id,
                    c,
                    n.distance_m
                );
            }
            assert!(s.length_m() > 1000.0, "{} is {} m", s.id, s.length_m());
        }
    }

    #[test]
    fn cut_keeps_order_and_endpoints() {
        let line = LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (3.0, 0.0)]);
        let c = cut(&line, (2, 0.5), (0, 0.5));
        assert_eq!(
            c,
            LineString::from(vec![(0.5, 0.0), (1.0, 0.0), (2.0, 0.0), (2.5, 0.0)])
        );
    }

    #[test]
    fn sides_of_known_places() {
        let layers = Layers::shipped().unwrap();
        let batken = LonLat::new(70.81939, 40.06259).unwrap();
        let isfara = LonLat::new(70.62526, 40.12648).unwrap();
        assert_eq!(layers.side(batken), "KG");
        assert_eq!(layers.side(isfara), "TJ");
        assert_eq!(layers.enclave("Vorukh").unwrap().country, "TJ");
    }
}
