//! Questions about incidents: what happened near a point, inside an area, or near the border.
//!
//! A [`Dataset`] is any GeoJSON FeatureCollection of Points (the incident id is the Feature
//! `id`, else `properties.id`, else the feature index), filtered by date and type, and
//! indexed with [`SpatialIndex`]. Results are sorted by distance, ties by id, and carry the
//! exact geodesic `distance_m` and the initial `bearing_deg` from the query point.

use crate::border::Layers;
use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, feature, point_geometry, round6};
use crate::index::{Hit, SpatialIndex};
use crate::model::{Date, LonLat};
use crate::prepared_area::PreparedArea;
use geo::{Coord, MultiPolygon};
use serde_json::{Value, json};
use std::path::Path;

mod batch;
mod row_text;
pub use batch::{BATCH_HEADER, BatchQuery, answer_batch, read_batch, write_batch};

/// Date and type filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep incidents that end on or after this date.
    pub from: Option<Date>,
    /// Keep incidents that start on or before this date.
    pub to: Option<Date>,
    /// Keep only these event types (empty = all).
    pub types: Vec<String>,
}

impl Filter {
    fn date(f: &PointFeature, key: &str) -> Option<Date> {
        date_of(f.properties.get(key))
    }

    /// True when the filter keeps everything (nothing to read).
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none() && self.types.is_empty()
    }

    /// True when the feature passes.
    pub fn keep(&self, f: &PointFeature) -> bool {
        if self.is_empty() {
            return true;
        }
        let [start, end, event_type, precision] =
            f.properties
                .get_many(["date_start", "date_end", "event_type", "date_precision"]);
        // An undated incident cannot be shown to fall within a date range.
        let undated = precision.as_ref().and_then(Value::as_str) == Some("unknown");
        if undated && (self.from.is_some() || self.to.is_some()) {
            return false;
        }
        let start = date_of(start);
        let end = date_of(end).or(start);
        if let (Some(from), Some(end)) = (self.from, end)
            && end < from
        {
            return false;
        }
        if let (Some(to), Some(start)) = (self.to, start)
            && start > to
        {
            return false;
        }
        if !self.types.is_empty() {
            let t = event_type
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !self.types.iter().any(|x| x == t) {
                return false;
            }
        }
        true
    }
}

/// The date of a property (see [`Date::parse_dated`]).
fn date_of(v: Option<Value>) -> Option<Date> {
    Date::parse_dated(v.as_ref().and_then(Value::as_str)?).ok()
}

/// Located, filtered incidents with their index.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The kept features that have a position, sorted by id.
    pub features: Vec<PointFeature>,
    /// How many kept features have no position (unresolved or ambiguous).
    pub unlocated: usize,
    /// The index over `features`' positions.
    pub index: SpatialIndex,
}

impl Dataset {
    /// Filters and indexes features.
    ///
    /// # Examples
    /// ```
    /// use bordermap::query::{Dataset, Filter};
    /// let text = r#"{"type":"FeatureCollection","features":[
    ///  {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{}},
    ///  {"type":"Feature","id":"a","geometry":null,"properties":{}}]}"#;
    /// let f = bordermap::geojson_io::read_points(std::path::Path::new("x"), text).unwrap();
    /// let d = Dataset::new(f, &Filter::default());
    /// assert_eq!((d.features.len(), d.unlocated), (1, 1));
    /// ```
    pub fn new(mut features: Vec<PointFeature>, filter: &Filter) -> Self {
        let mut unlocated = 0;
        // in place: nothing moves until a feature is dropped
        features.retain(|f| {
            let located = f.position.is_some();
            let kept = filter.keep(f);
            unlocated += usize::from(kept && !located);
            kept && located
        });
        let mut kept = features;
        use rayon::prelude::*;
        if !kept.par_windows(2).all(|w| w[0].id <= w[1].id) {
            kept.par_sort_by(|a, b| a.id.cmp(&b.id));
        }
        let points: Vec<LonLat> = kept.par_iter().filter_map(|f| f.position).collect();
        Dataset {
            index: SpatialIndex::from_points(points),
            features: kept,
            unlocated,
        }
    }

    /// Radius and/or kNN search around `p`: with both, the `k` nearest within the radius.
    pub fn near(&self, p: LonLat, radius_m: Option<f64>, k: Option<usize>) -> Vec<Hit> {
        match (radius_m, k) {
            (Some(r), Some(k)) => self.index.nearest_within(p, k, r),
            (Some(r), None) => self.index.within_radius(p, r),
            (None, Some(k)) => self.index.nearest(p, k),
            (None, None) => Vec::new(),
        }
    }

    /// [`near`](Self::near), with the initial bearing from `p` to each hit (degrees, as
    /// [`Hit::bearing_deg`]), from the same geodesic computation as the distance.
    pub fn near_with_bearings(
        &self,
        p: LonLat,
        radius_m: Option<f64>,
        k: Option<usize>,
    ) -> Vec<(Hit, f64)> {
        match (radius_m, k) {
            (Some(r), Some(k)) => self.index.nearest_within_with_bearings(p, k, r),
            (Some(r), None) => self.index.within_radius_with_bearings(p, r),
            (None, Some(k)) => self.index.nearest_within_with_bearings(p, k, f64::INFINITY),
            (None, None) => Vec::new(),
        }
    }

    /// Features inside `area` (holes excluded), in id order.
    pub fn within(&self, area: &MultiPolygon<f64>) -> Vec<usize> {
        use rayon::prelude::*;
        let prepared = PreparedArea::new(area);
        (0..self.features.len())
            .into_par_iter()
            .filter(|&i| {
                let p = self.index.point(i);
                prepared.contains(Coord {
                    x: p.lon(),
                    y: p.lat(),
                })
            })
            .collect()
    }

    /// Features inside a lon/lat box; `west > east` crosses the antimeridian.
    pub fn within_bbox(&self, b: [f64; 4]) -> Vec<usize> {
        (0..self.features.len())
            .filter(|&i| {
                let p = self.index.point(i);
                let lon_ok = if b[0] <= b[2] {
                    b[0] <= p.lon() && p.lon() <= b[2]
                } else {
                    p.lon() >= b[0] || p.lon() <= b[2]
                };
                lon_ok && b[1] <= p.lat() && p.lat() <= b[3]
            })
            .collect()
    }

    /// Features within `limit_m` of the border (or, with `disputed`, of a section contested
    /// on the incident's start date, or on `as_of` when given), with that distance.
    pub fn near_border(
        &self,
        layers: &Layers,
        limit_m: f64,
        disputed: bool,
        as_of: Option<Date>,
    ) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (i, f) in self.features.iter().enumerate() {
            let p = self.index.point(i);
            let date = as_of.or_else(|| Filter::date(f, "date_start"));
            let d = if disputed {
                layers
                    .sections
                    .iter()
                    .filter(|s| date.is_none_or(|d| s.status_on(d).is_contested()))
                    .filter_map(|s| s.nearest(p.point()))
                    .map(|n| n.distance_m)
                    .fold(f64::INFINITY, f64::min)
            } else {
                layers
                    .nearest_border(p)
                    .map_or(f64::INFINITY, |(n, _)| n.distance_m)
            };
            if d <= limit_m {
                hits.push(Hit {
                    index: i,
                    distance_m: d,
                });
            }
        }
        hits.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then(a.index.cmp(&b.index))
        });
        hits
    }
}

/// Output formats for query results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// An aligned text table.
    Table,
    /// A JSON object with the query and the results.
    Json,
    /// A GeoJSON FeatureCollection of the incidents, with `distance_m` and `bearing_deg`.
    Geojson,
    /// CSV, one row per incident.
    Csv,
}

fn text(f: &PointFeature, key: &str) -> String {
    f.properties
        .get(key)
        .map_or_else(String::new, |v| crate::geojson_io::value_text(&v))
}

/// One result row: a feature index and, for distance queries, distance and bearing.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Index into [`Dataset::features`].
    pub index: usize,
    /// Distance in metres, when the query measures one.
    pub distance_m: Option<f64>,
    /// Initial bearing from the query point, degrees.
    pub bearing_deg: Option<f64>,
}

/// Turns hits around `from` into rows with bearings.
pub fn rows_from_hits(d: &Dataset, hits: &[Hit], from: Option<LonLat>) -> Vec<Row> {
    hits.iter()
        .map(|h| Row {
            index: h.index,
            distance_m: Some(h.distance_m),
            bearing_deg: from.map(|q| h.bearing_deg(q, d.index.point(h.index))),
        })
        .collect()
}

fn mm(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
fn centi(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A bearing (degrees) rounded to `decimals` places for output, kept in `[0, 360)`: a
/// bearing of 359.996° is north, written `0`, never `360`.
fn round_bearing(b: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    let r = (b * scale).round() / scale;
    if r >= 360.0 { r - 360.0 } else { r }
}

/// Formats rows. `query` describes the question for JSON output. See [`write_rows`], which
/// writes the same bytes as it makes them.
pub fn format_rows(d: &Dataset, rows: &[Row], format: OutputFormat, query: Value) -> String {
    let mut out = Vec::new();
    // writing into a Vec cannot fail, and every format is UTF-8
    let _ = write_rows(d, rows, format, &query, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes rows to `w` in `format`, one row at a time: memory holds the rows' indices and
/// one row's text, never the whole output (a million GeoJSON features would otherwise be
/// held as JSON values, ten times the size of the file written). `query` describes the
/// question for JSON output.
///
/// # Examples
/// ```
/// use bordermap::query::{Dataset, Filter, OutputFormat, format_rows, rows_from_hits, write_rows};
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///  {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{"title":"Vorukh"}}]}"#;
/// let d = Dataset::new(bordermap::geojson_io::read_points(Path::new("x"), text).unwrap(), &Filter::default());
/// let q = bordermap::LonLat::new(70.58, 39.86).unwrap();
/// let rows = rows_from_hits(&d, &d.near(q, Some(5000.0), None), Some(q)); // 5 km, in metres
/// let mut out = Vec::new();
/// write_rows(&d, &rows, OutputFormat::Geojson, &serde_json::json!({}), &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(r#""distance_m":1110.318"#));
/// assert_eq!(text, format_rows(&d, &rows, OutputFormat::Geojson, serde_json::json!({})));
/// ```
pub fn write_rows(
    d: &Dataset,
    rows: &[Row],
    format: OutputFormat,
    query: &Value,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    match format {
        OutputFormat::Table => {
            let header = format!(
                "{:>10} {:>7}  {:<42} {:<10} {:<14} {}\n",
                "dist_km", "bearing", "id", "date", "type", "title"
            );
            w.write_all(header.as_bytes())?;
            for r in rows {
                let f = &d.features[r.index];
                writeln!(
                    w,
                    "{:>10} {:>7}  {:<42} {:<10} {:<14} {}",
                    r.distance_m
                        .map_or("-".into(), |m| format!("{:.3}", m / 1000.0)),
                    r.bearing_deg
                        .map_or("-".into(), |b| format!("{:.1}", round_bearing(b, 1))),
                    f.id,
                    text(f, "date_start"),
                    text(f, "event_type"),
                    text(f, "title")
                )?;
            }
            writeln!(w, "{} incident(s)", rows.len())?;
        }
        OutputFormat::Json => {
            write!(w, r#"{{"query":{query},"count":{},"results":["#, rows.len())?;
            for (i, r) in rows.iter().enumerate() {
                let f = &d.features[r.index];
                let p = d.index.point(r.index);
                let result = json!({
                    "id": f.id,
                    "distance_m": r.distance_m.map(mm),
                    "bearing_deg": r.bearing_deg.map(|b| round_bearing(b, 2)),
                    "lat": round6(p.lat()),
                    "lon": round6(p.lon()),
                    "date_start": text(f, "date_start"),
                    "date_end": text(f, "date_end"),
                    "event_type": text(f, "event_type"),
                    "title": text(f, "title"),
                });
                if i > 0 {
                    w.write_all(b",")?;
                }
                serde_json::to_writer(&mut w, &result)?;
            }
            w.write_all(b"]}\n")?;
        }
        OutputFormat::Geojson => {
            let bbox =
                crate::geojson_io::bbox_of_positions(rows.iter().map(|r| d.index.point(r.index)));
            let features = rows.iter().map(|r| {
                let f = &d.features[r.index];
                let mut props = f.properties.to_map();
                if let Some(m) = r.distance_m {
                    props.insert("distance_m".into(), json!(mm(m)));
                }
                if let Some(b) = r.bearing_deg {
                    props.insert("bearing_deg".into(), json!(round_bearing(b, 2)));
                }
                feature(
                    Some(f.id.as_str().into()),
                    Some(point_geometry(d.index.point(r.index))),
                    props,
                )
            });
            crate::geojson_io::write_feature_collection(bbox, features, &mut w)?;
        }
        OutputFormat::Csv => {
            use crate::output::csv_io_error;
            let mut c = csv::Writer::from_writer(&mut w);
            c.write_record([
                "id",
                "distance_m",
                "bearing_deg",
                "lat",
                "lon",
                "date_start",
                "date_end",
                "event_type",
                "title",
            ])
            .map_err(csv_io_error)?;
            for r in rows {
                let f = &d.features[r.index];
                let p = d.index.point(r.index);
                c.write_record(
                    [
                        f.id.to_string(),
                        r.distance_m.map_or(String::new(), |m| mm(m).to_string()),
                        r.bearing_deg
                            .map_or(String::new(), |b| round_bearing(b, 2).to_string()),
                        round6(p.lat()).to_string(),
                        round6(p.lon()).to_string(),
                        text(f, "date_start"),
                        text(f, "date_end"),
                        text(f, "event_type"),
                        text(f, "title"),
                    ]
                    .map(|cell| crate::spreadsheet::defuse(&cell).into_owned()),
                )
                .map_err(csv_io_error)?;
            }
            c.flush()?;
        }
    }
    w.flush()
}

/// Reads a polygon file (GeoJSON Geometry, Feature or FeatureCollection of Polygons or
/// MultiPolygons; holes honoured) into one MultiPolygon.
pub fn read_polygon(path: &Path, text: &str) -> Result<MultiPolygon<f64>> {
    let gj: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| {
        Error::record(path, "file", format!("invalid GeoJSON: {e}"))
    })?;
    let geoms: Vec<geojson::Geometry> = match gj {
        geojson::GeoJson::Geometry(g) => vec![g],
        geojson::GeoJson::Feature(f) => f.geometry.into_iter().collect(),
        geojson::GeoJson::FeatureCollection(fc) => {
            fc.features.into_iter().filter_map(|f| f.geometry).collect()
        }
    };
    let mut polys = Vec::new();
    for (i, g) in geoms.iter().enumerate() {
        match geo::Geometry::<f64>::try_from(&g.value) {
            Ok(geo::Geometry::Polygon(p)) => polys.push(p),
            Ok(geo::Geometry::MultiPolygon(mp)) => polys.extend(mp.0),
            _ => {
                return Err(Error::record(
                    path,
                    format!("geometry {i}"),
                    "expected a Polygon or MultiPolygon",
                ));
            }
        }
    }
    if polys.is_empty() {
        return Err(Error::record(
            path,
            "file",
            "no Polygon or MultiPolygon found",
        ));
    }
    for p in &polys {
        for c in p
            .exterior()
            .coords()
            .chain(p.interiors().iter().flat_map(|r| r.coords()))
        {
            LonLat::new(c.x, c.y).map_err(|m| Error::record(path, "polygon", m))?;
        }
    }
    Ok(MultiPolygon(polys))
}

/// The JSON description of a point query, for JSON output.
pub fn query_json(
    p: LonLat,
    place: Option<&str>,
    radius_m: Option<f64>,
    k: Option<usize>,
) -> Value {
    json!({
        "lat": p.lat(),
        "lon": p.lon(),
        "place": place,
        "radius_km": radius_m.map(|r| r / 1000.0),
        "k": k,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearings_round_into_0_to_360() {
        assert_eq!(round_bearing(359.996, 2), 0.0);
        assert_eq!(round_bearing(359.994, 2), 359.99);
        assert_eq!(round_bearing(359.96, 1), 0.0);
        assert_eq!(round_bearing(0.004, 2), 0.0);
        assert_eq!(round_bearing(180.0, 2), 180.0);
    }
}
