//! The base map: countries, enclaves, rivers and lakes, borders, the disputed overlay,
//! the graticule and the places worth labelling.
//!
//! Shapes are clipped in lon/lat to a margin around the frame before projection (so far-off
//! vertices of large neighbours are never projected), then thinned on the page: a vertex
//! closer than [`THIN_PX`] to the previous one is dropped.

use super::projection::{Frame, Rect};
use crate::border::Layers;
use crate::error::Result;
use crate::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::geojson_io::{collection_features, feature_area};
use geo::{BoundingRect, Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use std::sync::OnceLock;

/// Vertices closer than this (px) to the previous one are dropped.
pub const THIN_PX: f64 = 0.6;

use crate::shipped::{LAKES_GEOJSON, RIVERS_GEOJSON};

/// A named line (a river).
#[derive(Debug, Clone)]
pub struct NamedLines {
    /// Name.
    pub name: String,
    /// Geometry, lon/lat.
    pub lines: MultiLineString<f64>,
}

/// A named area (a lake).
#[derive(Debug, Clone)]
pub struct NamedArea {
    /// Name.
    pub name: String,
    /// Geometry, lon/lat.
    pub shape: MultiPolygon<f64>,
}

/// Everything the base map draws, loaded once per process from the shipped data.
#[derive(Debug)]
pub struct Base {
    /// Border, sections, countries, enclaves.
    pub layers: Layers,
    /// Towns and villages from the shipped gazetteer.
    pub places: Vec<Place>,
    /// Rivers.
    pub rivers: Vec<NamedLines>,
    /// Lakes and reservoirs.
    pub lakes: Vec<NamedArea>,
}

static BASE: OnceLock<Base> = OnceLock::new();

/// The shipped base data (parsed on first use, then shared).
pub fn base() -> Result<&'static Base> {
    if let Some(b) = BASE.get() {
        return Ok(b);
    }
    let layers = Layers::shipped()?;
    let places = Gazetteer::shipped_shared()?
        .places()
        .iter()
        .filter(|p| matches!(p.kind, PlaceKind::Town | PlaceKind::Village))
        .cloned()
        .collect();
    let (rivers, lakes) = water()?;
    Ok(BASE.get_or_init(|| Base {
        layers,
        places,
        rivers,
        lakes,
    }))
}

fn water() -> Result<(Vec<NamedLines>, Vec<NamedArea>)> {
    let parse = |name: &str, text: &str| collection_features(std::path::Path::new(name), text);
    let name_of = |f: &geojson::Feature| {
        f.property("name")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut rivers = Vec::new();
    for f in parse("geodata/rivers.geojson", RIVERS_GEOJSON)? {
        let Some(g) = &f.geometry else { continue };
        let lines = match geo::Geometry::<f64>::try_from(&g.value) {
            Ok(geo::Geometry::LineString(l)) => MultiLineString(vec![l]),
            Ok(geo::Geometry::MultiLineString(m)) => m,
            _ => continue,
        };
        rivers.push(NamedLines {
            name: name_of(&f),
            lines,
        });
    }
    let mut lakes = Vec::new();
    for f in parse("geodata/lakes.geojson", LAKES_GEOJSON)? {
        let Some(shape) = feature_area(&f) else {
            continue;
        };
        lakes.push(NamedArea {
            name: name_of(&f),
            shape,
        });
    }
    Ok((rivers, lakes))
}

/// A lon/lat box `[west, south, east, north]` grown by `d` degrees.
fn grown(e: [f64; 4], d: f64) -> [f64; 4] {
    [e[0] - d, e[1] - d, e[2] + d, e[3] + d]
}

fn bbox_hits(b: Option<geo::Rect<f64>>, e: [f64; 4]) -> bool {
    b.is_some_and(|r| {
        r.min().x <= e[2] && r.max().x >= e[0] && r.min().y <= e[3] && r.max().y >= e[1]
    })
}

/// Clips a closed ring to a box (Sutherland–Hodgman).
pub fn clip_ring(ring: &[Coord<f64>], b: [f64; 4]) -> Vec<Coord<f64>> {
    let mut pts: Vec<Coord<f64>> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    // (axis, value, keep if greater)
    for (axis_x, v, greater) in [
        (true, b[0], true),
        (true, b[2], false),
        (false, b[1], true),
        (false, b[3], false),
    ] {
        if pts.is_empty() {
            break;
        }
        let inside = |c: &Coord<f64>| {
            let x = if axis_x { c.x } else { c.y };
            if greater { x >= v } else { x <= v }
        };
        let cross = |a: &Coord<f64>, c: &Coord<f64>| {
            let (pa, pc) = if axis_x { (a.x, c.x) } else { (a.y, c.y) };
            let t = (v - pa) / (pc - pa);
            Coord {
                x: a.x + t * (c.x - a.x),
                y: a.y + t * (c.y - a.y),
            }
        };
        let mut out = Vec::with_capacity(pts.len());
        for i in 0..pts.len() {
            let cur = pts[i];
            let prev = pts[(i + pts.len() - 1) % pts.len()];
            match (inside(&prev), inside(&cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(&prev, &cur)),
                (false, true) => {
                    out.push(cross(&prev, &cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        pts = out;
    }
    pts
}

/// Splits a line into the runs whose segments touch a box.
pub fn clip_line(line: &[Coord<f64>], b: [f64; 4]) -> Vec<Vec<Coord<f64>>> {
    let mut runs = Vec::new();
    let mut cur: Vec<Coord<f64>> = Vec::new();
    for w in line.windows(2) {
        let (a, c) = (w[0], w[1]);
        let hit = a.x.min(c.x) <= b[2]
            && a.x.max(c.x) >= b[0]
            && a.y.min(c.y) <= b[3]
            && a.y.max(c.y) >= b[1];
        if hit {
            if cur.is_empty() {
                cur.push(a);
            }
            cur.push(c);
        } else if !cur.is_empty() {
            runs.push(std::mem::take(&mut cur));
        }
    }
    if cur.len() > 1 {
        runs.push(cur);
    }
    runs
}

/// Projects and thins a sequence of lon/lat points.
pub fn project_thin(frame: &Frame, pts: &[Coord<f64>], closed: bool) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    let n = pts.len();
    for (i, c) in pts.iter().enumerate() {
        let Some(p) = frame.to_px(c.x, c.y) else {
            continue;
        };
        if let Some(&(lx, ly)) = out.last() {
            let last = i + 1 == n && !closed;
            if (p.0 - lx).hypot(p.1 - ly) < THIN_PX && !last {
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// The page rings of a (multi)polygon clipped to the frame (with a margin).
pub fn polygon_rings(
    frame: &Frame,
    shape: &MultiPolygon<f64>,
    margin_deg: f64,
) -> Vec<Vec<(f64, f64)>> {
    let env = grown(frame.lonlat_envelope, margin_deg);
    let mut rings = Vec::new();
    for poly in &shape.0 {
        if !bbox_hits(poly.bounding_rect(), env) {
            continue;
        }
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let clipped = clip_ring(&ring.0, env);
            if clipped.len() < 3 {
                continue;
            }
            let px = project_thin(frame, &clipped, true);
            if px.len() >= 3 {
                rings.push(px);
            }
        }
    }
    rings
}

/// The page runs of lines clipped to the frame (with a margin).
pub fn line_runs(
    frame: &Frame,
    lines: &[&LineString<f64>],
    margin_deg: f64,
) -> Vec<Vec<(f64, f64)>> {
    let env = grown(frame.lonlat_envelope, margin_deg);
    let mut runs = Vec::new();
    for l in lines {
        if !bbox_hits(l.bounding_rect(), env) {
            continue;
        }
        for run in clip_line(&l.0, env) {
            let px = project_thin(frame, &run, false);
            if px.len() >= 2 {
                runs.push(px);
            }
        }
    }
    runs
}

/// True when any ring of `shape` reaches into the frame.
pub fn area_in_frame(frame: &Frame, shape: &MultiPolygon<f64>) -> bool {
    bbox_hits(shape.bounding_rect(), frame.lonlat_envelope)
}

/// The page position of the centre of a shape's bounding box (for labels of small areas),
/// when it lies in the frame.
pub fn area_anchor(frame: &Frame, shape: &MultiPolygon<f64>) -> Option<((f64, f64), f64)> {
    let largest: &Polygon<f64> = shape.0.iter().max_by(|a, b| {
        let area = |p: &Polygon<f64>| p.bounding_rect().map_or(0.0, |r| r.width() * r.height());
        area(a).total_cmp(&area(b))
    })?;
    let r = largest.bounding_rect()?;
    let c = r.center();
    let (x, y) = frame.to_px(c.x, c.y)?;
    let (x1, y1) = frame.to_px(r.max().x, r.max().y)?;
    let (x0, _) = frame.to_px(r.min().x, r.min().y)?;
    let _ = y1;
    frame
        .rect
        .contains(x, y)
        .then_some(((x, y), (x1 - x0).abs()))
}

/// Places that must be labelled when in the frame: the ones the 2021–2022 reports name.
/// Each is (name, approximate lon, lat), so that the right one of several same-named
/// villages is chosen.
pub const KEY_PLACES: [(&str, f64, f64); 12] = [
    ("Batken", 70.819, 40.063),
    ("Isfara", 70.625, 40.126),
    ("Razzakov", 69.528, 39.839),
    ("Vorukh", 70.580, 39.851),
    ("Ak-Sai", 70.522, 39.874),
    ("Kok-Tash", 70.528, 39.949),
    ("Khojai A'lo", 70.496, 39.942),
    ("Khujand", 69.622, 40.283),
    ("Kanibadam", 70.431, 40.294),
    ("Sulukta", 69.568, 39.937),
    ("Khaydarken", 71.342, 39.943),
    ("Qo‘qon", 70.943, 40.529),
];

/// A place to label, with its priority (lower first).
#[derive(Debug, Clone)]
pub struct PlaceLabel<'a> {
    /// The place.
    pub place: &'a Place,
    /// Page position.
    pub px: (f64, f64),
    /// A key place from [`KEY_PLACES`].
    pub key: bool,
}

/// The places in the frame worth labelling, best first: key places, then towns and
/// villages by population (villages of unknown population only when `zoomed`). At most
/// `limit`.
pub fn places_in_frame<'a>(
    frame: &Frame,
    places: &'a [Place],
    limit: usize,
    zoomed: bool,
) -> Vec<PlaceLabel<'a>> {
    let mut out: Vec<(u8, u64, &str, PlaceLabel<'a>)> = Vec::new();
    let rect: Rect = frame.rect.grow(-4.0);
    for p in places {
        let (lon, lat) = (p.position.lon(), p.position.lat());
        if !frame.may_contain(lon, lat) {
            continue;
        }
        let key = KEY_PLACES.iter().any(|(n, klon, klat)| {
            *n == p.name && (klon - lon).abs() < 0.05 && (klat - lat).abs() < 0.05
        });
        if !key && p.population == 0 && !(zoomed && p.kind == PlaceKind::Village) {
            continue;
        }
        // Ruins ("razvaliny") are not places people live in or reports name.
        if p.name.to_lowercase().starts_with("razvaliny") {
            continue;
        }
        if !key && !zoomed && p.kind == PlaceKind::Town && p.population < 15_000 {
            continue;
        }
        let Some(px) = frame.to_px(lon, lat) else {
            continue;
        };
        if !rect.contains(px.0, px.1) {
            continue;
        }
        let rank = if key {
            0
        } else if p.kind == PlaceKind::Town {
            1
        } else {
            2
        };
        out.push((
            rank,
            u64::MAX - p.population,
            &p.id,
            PlaceLabel { place: p, px, key },
        ));
    }
    out.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    out.into_iter().take(limit).map(|t| t.3).collect()
}

/// Graticule step for a frame spanning `lon_span` degrees.
pub fn graticule_step(lon_span: f64) -> f64 {
    if lon_span > 6.0 {
        2.0
    } else if lon_span > 2.5 {
        0.5
    } else if lon_span > 1.0 {
        0.25
    } else {
        0.1
    }
}

/// `70.5°E`, `39.75°N`.
pub fn degree_label(v: f64, lon: bool) -> String {
    let hemi = match (lon, v < 0.0) {
        (true, false) => "E",
        (true, true) => "W",
        (false, false) => "N",
        (false, true) => "S",
    };
    let a = (v.abs() * 100.0).round() / 100.0;
    let s = if (a - a.round()).abs() < 1e-9 {
        format!("{}", a.round() as i64)
    } else {
        let t = format!("{a:.2}");
        t.trim_end_matches('0').to_string()
    };
    format!("{s}°{hemi}")
}

/// Draws one enclave (a group with a `<title>`, filled by its owner's colour) clipped to the
/// frame; false when it lies outside the frame. Used by the static maps and the HTML page.
pub fn draw_enclave(svg: &mut super::svg::Svg, frame: &Frame, e: &crate::border::Area) -> bool {
    let rings = polygon_rings(frame, &e.shape, 0.05);
    if rings.is_empty() {
        return false;
    }
    let mut d = super::svg::PathData::new();
    for ring in &rings {
        d.poly(ring, true);
    }
    svg.group_attrs(&[("class", "enclave".into()), ("data-enclave", e.id.clone())]);
    svg.title(&format!(
        "{} — enclave of {}",
        e.name,
        super::style::country_name(&e.country)
    ));
    svg.path(
        d.finish(),
        &[
            ("fill", super::style::enclave_fill(&e.country).into()),
            ("fill-rule", "evenodd".into()),
            ("stroke", super::style::enclave_stroke(&e.country).into()),
            ("stroke-width", "1.1".into()),
        ],
    );
    svg.close();
    true
}

/// Points of a 9 × 7 grid over `(x, y, w, h)` (pixels) that fall inside `shape`, nearest to
/// their centroid first, at most 12: where a country's name can go.
pub fn label_candidates(
    frame: &Frame,
    shape: &MultiPolygon<f64>,
    (x, y, w, h): (f64, f64, f64, f64),
) -> Vec<(f64, f64)> {
    use geo::Contains;
    let mut cands = Vec::new();
    for gy in 1..8 {
        for gx in 1..10 {
            let p = (x + w * f64::from(gx) / 10.0, y + h * f64::from(gy) / 8.0);
            let inside = frame
                .from_px(p.0, p.1)
                .is_some_and(|(lon, lat)| shape.contains(&Coord { x: lon, y: lat }));
            if inside {
                cands.push(p);
            }
        }
    }
    if cands.is_empty() {
        return cands;
    }
    let n = cands.len() as f64;
    let cx = cands.iter().map(|p| p.0).sum::<f64>() / n;
    let cy = cands.iter().map(|p| p.1).sum::<f64>() / n;
    cands.sort_by(|a, b| {
        (a.0 - cx)
            .hypot(a.1 - cy)
            .total_cmp(&(b.0 - cx).hypot(b.1 - cy))
    });
    cands.truncate(12);
    cands
}

/// Draws the countries, neighbours first, each a group with its name as a tooltip, and calls
/// `drawn` for each one in frame. Returns their outlines, for the boundary layer.
pub fn draw_countries(
    svg: &mut super::svg::Svg,
    frame: &Frame,
    layers: &Layers,
    mut drawn: impl FnMut(&crate::border::Area),
) -> super::svg::PathData {
    let mut countries: Vec<_> = layers.countries.iter().collect();
    countries.sort_by_key(|c| (c.role == "focus", c.id.clone()));
    let mut outlines = super::svg::PathData::new();
    for c in &countries {
        let rings = polygon_rings(frame, &c.shape, 0.3);
        if rings.is_empty() {
            continue;
        }
        let mut d = super::svg::PathData::new();
        for ring in &rings {
            d.poly(ring, true);
            outlines.poly(ring, true);
        }
        svg.group_attrs(&[
            ("class", "country".into()),
            ("data-country", c.country.clone()),
        ]);
        svg.title(&c.name);
        svg.path(
            d.finish(),
            &[
                (
                    "fill",
                    super::style::country_fill(&c.country, &c.role).into(),
                ),
                ("fill-rule", "evenodd".into()),
            ],
        );
        svg.close();
        drawn(c);
    }
    outlines
}

/// Draws the lakes and rivers in frame; returns whether any lake and any river was drawn.
pub fn draw_water(svg: &mut super::svg::Svg, frame: &Frame, base: &Base) -> (bool, bool) {
    let (mut lakes, mut rivers) = (false, false);
    for l in &base.lakes {
        let rings = polygon_rings(frame, &l.shape, 0.1);
        if rings.is_empty() {
            continue;
        }
        let mut d = super::svg::PathData::new();
        for ring in &rings {
            d.poly(ring, true);
        }
        svg.path(
            d.finish(),
            &[
                ("fill", super::style::WATER_FILL.into()),
                ("stroke", super::style::WATER_LINE.into()),
                ("stroke-width", "0.6".into()),
            ],
        );
        lakes = true;
    }
    for rv in &base.rivers {
        let lines: Vec<&LineString<f64>> = rv.lines.0.iter().collect();
        let runs = line_runs(frame, &lines, 0.1);
        if runs.is_empty() {
            continue;
        }
        let mut d = super::svg::PathData::new();
        for run in &runs {
            d.poly(run, false);
        }
        svg.path(
            d.finish(),
            &[
                ("fill", "none".into()),
                ("stroke", super::style::WATER_LINE.into()),
                ("stroke-width", "1.3".into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
        rivers = true;
    }
    (lakes, rivers)
}

/// Draws the other international boundaries (the countries' outlines) and the KG–TJ border
/// over them; returns whether each was drawn.
pub fn draw_borders(
    svg: &mut super::svg::Svg,
    frame: &Frame,
    layers: &Layers,
    outlines: super::svg::PathData,
) -> (bool, bool) {
    let others = !outlines.is_empty();
    if others {
        svg.path(
            outlines.finish(),
            &[
                ("fill", "none".into()),
                ("stroke", super::style::BOUNDARY.into()),
                ("stroke-width", "0.9".into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
    }
    let parts: Vec<&LineString<f64>> = layers.border.iter().map(|b| &b.line).collect();
    let mut d = super::svg::PathData::new();
    for run in line_runs(frame, &parts, 0.05) {
        d.poly(&run, false);
    }
    let border = !d.is_empty();
    if border {
        svg.path(
            d.finish(),
            &[
                ("class", "kg-tj-border".into()),
                ("fill", "none".into()),
                ("stroke", super::style::BORDER.into()),
                ("stroke-width", "1.8".into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
    }
    (others, border)
}
