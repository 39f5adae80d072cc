//! RFC 7946 GeoJSON: writing deterministic FeatureCollections and reading point features.
//!
//! Writing: positions are `[lon, lat]`, rounded to 6 decimals (about 0.1 m), with no `crs`
//! member and a `bbox`; one Feature per line so that diffs stay readable; properties are
//! flat (strings, numbers, booleans, null) so that QGIS shows them as columns. The same
//! input always gives the same bytes.
//!
//! Reading: [`read_points`] parses a FeatureCollection of Points straight into typed structs
//! (no intermediate JSON tree for the geometry), checking every position, and reports the
//! feature index and id of anything wrong.

//! | file | what it owns |
//! |---|---|
//! | `mod.rs` | the writers: positions, geometries, features, collections |
//! | `read.rs` | [`read_points`]: the streaming reader of point features |
//! | `split.rs` | the same on all cores, for large files: the `features` array cut at feature boundaries |
//! | `stream.rs` | [`read_points_file`] for large files: a block at a time, keeping only what is asked for |
//! | `values.rs` | property values valid in syntax that serde_json cannot build (`1e400`) |
//!
//! Two GeoJSON readers live in the project, on purpose: this one for incident and place
//! files (points, the hot path: exact ids, typed positions, located errors, no tree for the
//! geometry), and the `geojson` crate for the shipped polygons and lines and `--polygon`
//! files, where a full geometry model is what is needed.

mod read;
mod split;
mod stream;
mod values;
pub(crate) use values::duplicate_key;

pub use read::{MAX_NESTING, PointFeature, Properties, read_points};

use crate::error::Result;
use crate::model::LonLat;
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde_json::{Map, Value, json};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

/// The features of a GeoJSON FeatureCollection, read by the `geojson` crate: the one reader
/// of the map layers, the area outlines and the reference bundle, whose geometries can be of
/// any type. An error names `path`.
///
/// # Examples
/// ```
/// use bordermap::geojson_io::{collection_features, feature_area};
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
///   "geometry":{"type":"Polygon","coordinates":[[[70,39],[71,39],[71,40],[70,39]]]}}]}"#;
/// let fs = collection_features("a.geojson".as_ref(), text).unwrap();
/// assert_eq!(feature_area(&fs[0]).unwrap().0.len(), 1);
/// assert!(collection_features("a.geojson".as_ref(), "[]").unwrap_err().to_string().contains("a.geojson"));
/// ```
pub fn collection_features(path: &Path, text: &str) -> Result<Vec<geojson::Feature>> {
    let fc: geojson::FeatureCollection = text.parse().map_err(|e: geojson::Error| {
        crate::Error::record(
            path,
            "file",
            format!("not a GeoJSON FeatureCollection: {e}"),
        )
    })?;
    Ok(fc.features)
}

/// A feature's area: its Polygon (as a MultiPolygon of one) or MultiPolygon, else `None`.
pub fn feature_area(f: &geojson::Feature) -> Option<MultiPolygon<f64>> {
    match geo::Geometry::<f64>::try_from(&f.geometry.as_ref()?.value).ok()? {
        geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// A property value as the text of a table cell: a string as it is, null as empty, any
/// other value as its JSON text. The one such conversion for CSV export, query tables, map
/// text and import.
///
/// # Examples
/// ```
/// use bordermap::geojson_io::value_text;
/// use serde_json::json;
/// assert_eq!(value_text(&json!("Vorukh")), "Vorukh");
/// assert_eq!(value_text(&json!(null)), "");
/// assert_eq!(value_text(&json!(12)), "12");
/// assert_eq!(value_text(&json!(true)), "true");
/// ```
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Decimal places written for coordinates (1e-6° ≈ 0.11 m).
pub const DECIMALS: i32 = 6;

/// Rounds a coordinate to [`DECIMALS`] places.
///
/// # Examples
/// ```
/// assert_eq!(bordermap::geojson_io::round6(70.580123456), 70.580123);
/// ```
pub fn round6(x: f64) -> f64 {
    let f = 10f64.powi(DECIMALS);
    let r = (x * f).round() / f;
    if r == 0.0 { 0.0 } else { r }
}

fn position(c: Coord<f64>) -> Value {
    json!([round6(c.x), round6(c.y)])
}

fn ring(ls: &LineString<f64>) -> Value {
    Value::Array(ls.coords().map(|c| position(*c)).collect())
}

/// A GeoJSON Point geometry.
pub fn point_geometry(p: LonLat) -> Value {
    json!({"type": "Point", "coordinates": [round6(p.lon()), round6(p.lat())]})
}

/// A GeoJSON LineString geometry.
pub fn line_geometry(ls: &LineString<f64>) -> Value {
    json!({"type": "LineString", "coordinates": ring(ls)})
}

/// A GeoJSON MultiLineString geometry.
pub fn multi_line_geometry(mls: &MultiLineString<f64>) -> Value {
    json!({"type": "MultiLineString", "coordinates": mls.0.iter().map(ring).collect::<Vec<_>>()})
}

fn polygon_coords(p: &Polygon<f64>) -> Value {
    let mut rings = vec![ring(p.exterior())];
    rings.extend(p.interiors().iter().map(ring));
    Value::Array(rings)
}

/// A GeoJSON Polygon geometry.
pub fn polygon_geometry(p: &Polygon<f64>) -> Value {
    json!({"type": "Polygon", "coordinates": polygon_coords(p)})
}

/// A GeoJSON MultiPolygon geometry.
pub fn multi_polygon_geometry(mp: &MultiPolygon<f64>) -> Value {
    json!({"type": "MultiPolygon", "coordinates": mp.0.iter().map(polygon_coords).collect::<Vec<_>>()})
}

/// A Feature with an optional id, a geometry (or null) and flat properties.
pub fn feature(
    id: Option<Value>,
    geometry: Option<Value>,
    properties: Map<String, Value>,
) -> Value {
    let mut f = Map::new();
    f.insert("type".into(), "Feature".into());
    if let Some(id) = id {
        f.insert("id".into(), id);
    }
    f.insert("geometry".into(), geometry.unwrap_or(Value::Null));
    f.insert("properties".into(), Value::Object(properties));
    Value::Object(f)
}

/// The bounding box `[west, south, east, north]` of every position in `features`; `west >
/// east` when the narrowest box crosses the antimeridian (RFC 7946 §5.2).
///
/// # Examples
/// ```
/// use bordermap::geojson_io::{bbox_of, feature, point_geometry};
/// use bordermap::LonLat;
/// let at = |lon| feature(None, Some(point_geometry(LonLat::new(lon, 0.0).unwrap())), Default::default());
/// assert_eq!(bbox_of(&[at(70.5), at(71.0)]), Some([70.5, 0.0, 71.0, 0.0]));
/// assert_eq!(bbox_of(&[at(179.5), at(-179.5)]), Some([179.5, 0.0, -179.5, 0.0]));
/// ```
pub fn bbox_of(features: &[Value]) -> Option<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut lons = Vec::new();
    fn walk(v: &Value, b: &mut [f64; 4], lons: &mut Vec<f64>) {
        if let Value::Array(a) = v {
            if let [Value::Number(x), Value::Number(y), ..] = a.as_slice()
                && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64())
            {
                b[1] = b[1].min(y);
                b[3] = b[3].max(y);
                lons.push(x);
                return;
            }
            for e in a {
                walk(e, b, lons);
            }
        }
    }
    for f in features {
        if let Some(c) = f.get("geometry").and_then(|g| g.get("coordinates")) {
            walk(c, &mut b, &mut lons);
        }
    }
    let (west, east) = lon_span(&mut lons)?;
    Some([west, b[1], east, b[3]])
}

/// The narrowest longitude interval `(west, east)` that holds every longitude in `lons`
/// (degrees): `west > east` when it crosses the antimeridian, as RFC 7946 §5.2 writes such
/// a box (points at 179.5° and −179.5° give `(179.5, -179.5)`, 1° wide, not the whole
/// world). `None` for no longitudes. Reorders `lons`.
fn lon_span(lons: &mut [f64]) -> Option<(f64, f64)> {
    let (min, max) = lons
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    if lons.is_empty() {
        return None;
    }
    // Within half the globe the plain interval is the narrowest: the gap around the back,
    // 360 - (max - min) >= 180, is then wider than any gap inside it.
    if max - min <= 180.0 {
        return Some((min, max));
    }
    lons.sort_by(f64::total_cmp);
    let (mut gap, mut span) = (min + 360.0 - max, (min, max));
    for w in lons.windows(2) {
        if w[1] - w[0] > gap {
            gap = w[1] - w[0];
            span = (w[1], w[0]);
        }
    }
    Some(span)
}

/// Serialises a FeatureCollection: one Feature per line, with a `bbox` when any feature has
/// a geometry. Deterministic.
///
/// # Examples
/// ```
/// use bordermap::geojson_io::{feature, feature_collection, point_geometry};
/// use bordermap::LonLat;
/// let f = feature(Some("a".into()), Some(point_geometry(LonLat::new(70.5, 39.8).unwrap())),
///                 Default::default());
/// let text = feature_collection(&[f]);
/// assert!(text.starts_with(r#"{"type":"FeatureCollection","bbox":[70.5,39.8,70.5,39.8]"#));
/// ```
pub fn feature_collection(features: &[Value]) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection""#);
    if let Some(b) = bbox_of(features) {
        let _ = write!(
            out,
            r#","bbox":{}"#,
            json!([round6(b[0]), round6(b[1]), round6(b[2]), round6(b[3])])
        );
    }
    out.push_str(",\"features\":[");
    for (i, f) in features.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&f.to_string());
    }
    out.push_str("\n]}\n");
    out
}

/// Like [`read_points`], but takes the text and keeps it, shared by the features' properties,
/// instead of copying the properties out of it: the least memory when the text would be
/// dropped after reading anyway. Large files are read on all cores.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":"a","geometry":null,"properties":{"title":"Vorukh"}}]}"#;
/// let f = bordermap::geojson_io::read_points_owned(Path::new("x.geojson"), text.to_string()).unwrap();
/// assert_eq!(f[0].properties.get("title").unwrap(), "Vorukh");
/// ```
pub fn read_points_owned(path: &Path, text: String) -> Result<Vec<PointFeature>> {
    let src = Arc::new(text);
    // large files on all cores; the one-core reader decides (and words) every problem
    if let Some(features) = split::read_parallel(path, &src) {
        return Ok(features);
    }
    read::read_shared(path, &src)
}

/// Reads the point features of a GeoJSON file, or of stdin for `-` (within `cap` bytes):
/// what [`read_points_owned`] reads from the file's text, but a large file is read a block
/// at a time, on all cores, and its text is never held whole. Ids and positions are kept,
/// and the properties (copied out of the text) only with `properties`; without, every
/// feature's properties are empty (`{}`), which is enough for ids, positions and distances.
/// Errors are those of [`read_text`](crate::input::read_text) and [`read_points`], worded
/// the same.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("i.geojson");
/// std::fs::write(&path, r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":"a","geometry":null,"properties":{"title":"Vorukh"}}]}"#).unwrap();
/// let f = bordermap::geojson_io::read_points_file(&path, 1 << 20, true).unwrap();
/// assert_eq!(f[0].properties.get("title").unwrap(), "Vorukh");
/// let bare = bordermap::geojson_io::read_points_file(&path, 1 << 20, false).unwrap();
/// assert_eq!((bare[0].id.as_str(), bare[0].properties.raw()), ("a", "{}"));
/// ```
pub fn read_points_file(path: &Path, cap: u64, properties: bool) -> Result<Vec<PointFeature>> {
    if path.as_os_str() != "-"
        && let Ok(file) = std::fs::File::open(path)
        && let Ok(meta) = file.metadata()
        && meta.is_file()
        && (split::PARALLEL_MIN_BYTES as u64..=cap).contains(&meta.len())
        && let Some(features) = stream::read_streamed(path, file, meta.len(), properties)
    {
        crate::output::note_input(path, &meta);
        return Ok(features);
    }
    // small files, and every problem: the whole text, read and worded as always
    let mut features = read_points_owned(path, crate::input::read_text(path, cap)?)?;
    if !properties {
        drop_properties(&mut features);
    }
    Ok(features)
}

/// Empties every feature's properties, freeing the text they held.
pub(crate) fn drop_properties(features: &mut [PointFeature]) {
    for f in features {
        f.properties = Properties::default();
    }
}

/// The bounding box `[west, south, east, north]` of some positions, rounded as
/// [`point_geometry`] writes them (the same box [`bbox_of`] finds in the features, crossing
/// the antimeridian when that is narrower).
pub fn bbox_of_positions(positions: impl Iterator<Item = LonLat>) -> Option<[f64; 4]> {
    let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut lons = Vec::new();
    for p in positions {
        let y = round6(p.lat());
        (south, north) = (south.min(y), north.max(y));
        lons.push(round6(p.lon()));
    }
    let (west, east) = lon_span(&mut lons)?;
    Some([west, south, east, north])
}

/// [`feature_collection`] for features made one at a time: each is written as it comes and
/// then dropped, so that a large collection is never held as values. `bbox` is the box of
/// every position (see [`bbox_of_positions`]). The same features give the same bytes as
/// [`feature_collection`].
///
/// # Examples
/// ```
/// use bordermap::geojson_io::*;
/// use bordermap::LonLat;
/// let p = LonLat::new(70.5, 39.8).unwrap();
/// let f = || feature(Some("a".into()), Some(point_geometry(p)), Default::default());
/// let streamed = feature_collection_streamed(bbox_of_positions([p].into_iter()), [f()].into_iter());
/// assert_eq!(streamed, feature_collection(&[f()]));
/// ```
pub fn feature_collection_streamed(
    bbox: Option<[f64; 4]>,
    features: impl Iterator<Item = Value>,
) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and serde_json writes UTF-8.
    let _ = write_feature_collection(bbox, features, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`feature_collection_streamed`], written to `w`.
pub fn write_feature_collection(
    bbox: Option<[f64; 4]>,
    features: impl Iterator<Item = Value>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    w.write_all(collection_head(bbox).as_bytes())?;
    for (i, f) in features.enumerate() {
        w.write_all(feature_separator(i))?;
        serde_json::to_writer(&mut w, &f)?;
    }
    w.write_all(COLLECTION_TAIL)?;
    w.flush()
}

/// The text of a FeatureCollection before its first feature, as [`feature_collection`]
/// writes it.
pub fn collection_head(bbox: Option<[f64; 4]>) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection""#);
    if let Some(b) = bbox {
        let _ = write!(out, r#","bbox":{}"#, json!([b[0], b[1], b[2], b[3]]));
    }
    out.push_str(",\"features\":[");
    out
}

/// What goes before the feature of index `i`: a new line, after a comma from the second on.
pub fn feature_separator(i: usize) -> &'static [u8] {
    if i == 0 { b"\n" } else { b",\n" }
}

/// The text of a FeatureCollection after its last feature.
pub const COLLECTION_TAIL: &[u8] = b"\n]}\n";

/// The text of a FeatureCollection after its last feature, with its `bbox` last (for a
/// collection written before its extent is known).
///
/// # Examples
/// ```
/// use bordermap::geojson_io::collection_tail;
/// assert_eq!(collection_tail(None), "\n]}\n");
/// assert_eq!(collection_tail(Some([70.0, 39.5, 71.0, 40.5])), "\n],\"bbox\":[70.0,39.5,71.0,40.5]}\n");
/// ```
pub fn collection_tail(bbox: Option<[f64; 4]>) -> String {
    match bbox {
        Some(b) => format!("\n],\"bbox\":{}}}\n", json!([b[0], b[1], b[2], b[3]])),
        None => "\n]}\n".to_string(),
    }
}
