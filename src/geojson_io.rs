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

use crate::error::{Error, Result};
use crate::geocode::{Geocoded, Location};
use crate::input::line_col_of;
use crate::model::{FATALITY_RULE, LonLat, Source};
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

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

/// The bounding box `[west, south, east, north]` of every position in `features`.
pub fn bbox_of(features: &[Value]) -> Option<[f64; 4]> {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut any = false;
    fn walk(v: &Value, b: &mut [f64; 4], any: &mut bool) {
        if let Value::Array(a) = v {
            if let [Value::Number(x), Value::Number(y), ..] = a.as_slice()
                && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64()) {
                    b[0] = b[0].min(x);
                    b[1] = b[1].min(y);
                    b[2] = b[2].max(x);
                    b[3] = b[3].max(y);
                    *any = true;
                    return;
                }
            for e in a {
                walk(e, b, any);
            }
        }
    }
    for f in features {
        if let Some(c) = f.get("geometry").and_then(|g| g.get("coordinates")) {
            walk(c, &mut b, &mut any);
        }
    }
    any.then_some(b)
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

/// One point feature read from a GeoJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct PointFeature {
    /// The id: the Feature `id`, else `properties.id`, else the feature index. Numbers are
    /// kept as their exact JSON text, so `1` and `"1"` are the same id.
    pub id: String,
    /// The position, or `None` for `geometry: null` (an unresolved incident).
    pub position: Option<LonLat>,
    /// The properties, as read.
    pub properties: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawCollection {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    features: Option<Vec<RawFeature>>,
}

#[derive(Deserialize)]
struct RawFeature {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    id: Option<Box<serde_json::value::RawValue>>,
    #[serde(default)]
    geometry: Option<RawGeometry>,
    #[serde(default)]
    properties: Option<Value>,
}

#[derive(Deserialize)]
struct RawGeometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Option<Box<serde_json::value::RawValue>>,
}

/// Reads a FeatureCollection of Points (or `geometry: null`) from GeoJSON text.
///
/// Positions may be 3D (z is ignored). Errors name the feature index and id and the value:
/// non-Point geometries, invalid positions, duplicate ids (`1` and `"1"` are the same id).
///
/// # Examples
/// ```
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[70.58,39.85,1200]},"properties":{}}]}"#;
/// let f = bordermap::geojson_io::read_points(Path::new("x.geojson"), text).unwrap();
/// assert_eq!(f[0].id, "7");
/// assert_eq!(f[0].position.unwrap().lat(), 39.85);
/// ```
pub fn read_points(path: &Path, text: &str) -> Result<Vec<PointFeature>> {
    if text.trim().is_empty() {
        return Err(Error::Syntax {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty; expected a GeoJSON FeatureCollection".into(),
        });
    }
    let raw: RawCollection = serde_json::from_str(text).map_err(|e| {
        let line = e.line();
        let column = e.column();
        let (line, column) = if line == 0 {
            line_col_of(text, text.len())
        } else {
            (line, column)
        };
        Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("invalid GeoJSON: {e}"),
        }
    })?;
    if raw.kind != "FeatureCollection" {
        return Err(Error::record(
            path,
            "the top level",
            format!("type is {:?}; expected \"FeatureCollection\"", raw.kind),
        ));
    }
    let features = raw.features.ok_or_else(|| {
        Error::record(
            path,
            "the top level",
            "the FeatureCollection has no \"features\" array",
        )
    })?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let properties = match f.properties {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(Error::record(
                    path,
                    format!("feature {i}"),
                    format!(
                        "properties must be an object or null, got {}",
                        short(&other)
                    ),
                ));
            }
        };
        let id = match &f.id {
            Some(raw) => {
                parse_id(raw.get()).map_err(|m| Error::record(path, format!("feature {i}"), m))?
            }
            None => match properties.get("id") {
                None | Some(Value::Null) => None,
                Some(v) => parse_id(&v.to_string())
                    .map_err(|m| Error::record(path, format!("feature {i}"), m))?,
            },
        }
        .unwrap_or_else(|| i.to_string());
        let at = || format!("feature {i} (id {id:?})");
        if f.kind.as_deref() != Some("Feature") {
            return Err(Error::record(
                path,
                at(),
                format!(
                    "type is {:?}; expected \"Feature\"",
                    f.kind.unwrap_or_default()
                ),
            ));
        }
        if !seen.insert(id.clone()) {
            return Err(Error::record(
                path,
                at(),
                format!("duplicate id {id:?} (ids 1 and \"1\" count as the same)"),
            ));
        }
        let position = match f.geometry {
            None => None,
            Some(g) => {
                if g.kind != "Point" {
                    return Err(Error::record(
                        path,
                        at(),
                        format!(
                            "geometry type is {:?}; an incident file holds Points (or null)",
                            g.kind
                        ),
                    ));
                }
                Some(
                    parse_position(g.coordinates.as_deref())
                        .map_err(|m| Error::record(path, at(), m))?,
                )
            }
        };
        out.push(PointFeature {
            id,
            position,
            properties,
        });
    }
    Ok(out)
}

fn short(v: &Value) -> String {
    shorten(&v.to_string())
}

/// Reads an id from its exact JSON text: a string, or a number kept verbatim (so that ids
/// too large for f64 survive), or null.
fn parse_id(raw: &str) -> std::result::Result<Option<String>, String> {
    let raw = raw.trim();
    if raw == "null" {
        return Ok(None);
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw)
            .map(Some)
            .map_err(|e| format!("invalid id {raw}: {e}"));
    }
    if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return Ok(Some(raw.to_string()));
    }
    Err(format!(
        "id must be a string or a number, got {}",
        shorten(raw)
    ))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

fn parse_position(v: Option<&serde_json::value::RawValue>) -> std::result::Result<LonLat, String> {
    let raw = v.map_or("nothing", |r| r.get());
    let nums: Vec<f64> = serde_json::from_str(raw).map_err(|_| {
        format!(
            "Point coordinates must be an array of numbers [lon, lat], got {}",
            shorten(raw)
        )
    })?;
    if nums.len() < 2 {
        return Err(format!(
            "a position needs at least 2 numbers, got {}",
            shorten(raw)
        ));
    }
    LonLat::new(nums[0], nums[1])
}

/// The flat properties of a geocoded incident, in a stable order that QGIS shows as columns.
///
/// Claims are given twice: as a readable summary (`claims`) and as JSON text
/// (`claims_json`) from which every claim, with its claimant and source, can be recovered.
pub fn incident_properties(g: &Geocoded, sources: &[Source]) -> Map<String, Value> {
    let inc = &g.incident;
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put("id", inc.id.clone().into());
    put("title", inc.title.clone().into());
    put("date_start", inc.date_start.to_string().into());
    put("date_end", inc.date_end.to_string().into());
    put("date_precision", inc.date_precision.as_str().into());
    put("event_type", inc.event_type.as_str().into());
    put("location_reported", inc.location.clone().into());
    put("place_query", inc.place.clone().into());
    put("actors", inc.actors.join("; ").into());
    let f = inc.fatalities();
    put("fatalities_low", f.low.into());
    put("fatalities_best", f.best.into());
    put("fatalities_high", f.high.into());
    put("fatality_rule", FATALITY_RULE.into());
    put("n_claims", inc.claims.len().into());
    put(
        "claims",
        inc.claims
            .iter()
            .map(|c| format!("{} [{} {}]", c.summary(), c.source, c.date))
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
    );
    put(
        "claims_json",
        serde_json::to_string(&inc.claims)
            .unwrap_or_default()
            .into(),
    );
    let cited: Vec<&Source> = inc
        .sources
        .iter()
        .filter_map(|id| sources.iter().find(|s| &s.id == id))
        .collect();
    put("source_ids", inc.sources.join("; ").into());
    put(
        "sources",
        cited
            .iter()
            .map(|s| s.citation())
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
    );
    put(
        "source_urls",
        cited
            .iter()
            .filter_map(|s| s.url.clone())
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
    );
    put("notes", inc.notes.clone().into());
    put("geo_status", g.status.as_str().into());
    let loc = g.location.as_ref();
    let s = |f: fn(&Location) -> String| loc.map_or(Value::Null, |l| f(l).into());
    put("geo_method", s(|l| l.method.clone()));
    put("geo_place_id", s(|l| l.place_id.clone()));
    put("geo_place_name", s(|l| l.place_name.clone()));
    put("geo_matched_name", s(|l| l.matched_name.clone()));
    put("geo_kind", s(|l| l.kind.clone()));
    put("geo_country", s(|l| l.country.clone()));
    put("geo_admin1", s(|l| l.admin1.clone()));
    put("geo_admin2", s(|l| l.admin2.clone()));
    put("geo_score", loc.map_or(Value::Null, |l| json!(l.score)));
    put(
        "geo_confidence",
        loc.map_or(Value::Null, |l| json!(l.confidence)),
    );
    put(
        "geo_precision",
        loc.map_or(Value::Null, |l| json!(l.precision)),
    );
    put(
        "geo_uncertainty_m",
        loc.map_or(Value::Null, |l| json!(l.uncertainty_m)),
    );
    put(
        "geo_candidates",
        g.candidates
            .iter()
            .take(5)
            .map(|c| format!("{} {} {:.3}", c.description, c.method, c.score))
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
    );
    put("geo_reason", g.reason.clone().into());
    p
}

/// The GeoJSON Feature of a geocoded incident: a Point, or `null` when it is not located.
pub fn incident_feature(g: &Geocoded, sources: &[Source], extra: Map<String, Value>) -> Value {
    let mut props = incident_properties(g, sources);
    props.extend(extra);
    feature(
        Some(g.incident.id.clone().into()),
        g.location.as_ref().map(|l| point_geometry(l.position)),
        props,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        read_points(Path::new("t.geojson"), text)
            .unwrap_err()
            .to_string()
    }

    fn fc(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    #[test]
    fn string_coordinates_are_refused_with_the_value() {
        let e = err(&fc(
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":["10","20"]},"properties":{}}"#,
        ));
        assert!(e.contains(r#"["10","20"]"#), "{e}");
        assert!(e.contains("feature 0"), "{e}");
    }

    #[test]
    fn duplicate_numeric_and_string_ids() {
        let f = r#"{"type":"Feature","id":1,"geometry":null,"properties":{}},{"type":"Feature","id":"1","geometry":null,"properties":{}}"#;
        assert!(err(&fc(f)).contains("duplicate id \"1\""));
    }

    #[test]
    fn big_ids_are_kept_exactly() {
        let f = r#"{"type":"Feature","id":123456789012345678901234567890,"geometry":null,"properties":{}}"#;
        let v = read_points(Path::new("t"), &fc(f)).unwrap();
        assert_eq!(v[0].id, "123456789012345678901234567890");
        let e = err(&fc(
            r#"{"type":"Feature","id":{},"geometry":null,"properties":{}}"#,
        ));
        assert!(e.contains("id must be a string or a number, got {}"), "{e}");
    }

    #[test]
    fn non_point_and_bad_properties() {
        let e = err(&fc(
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}"#,
        ));
        assert!(e.contains("LineString"), "{e}");
        let e = err(&fc(
            r#"{"type":"Feature","geometry":null,"properties":[1,2]}"#,
        ));
        assert!(e.contains("[1,2]"), "{e}");
    }

    #[test]
    fn collection_output_is_stable_and_rounded() {
        let f = feature(
            Some("x".into()),
            Some(point_geometry(LonLat::new(70.1234567, 39.7654321).unwrap())),
            Map::new(),
        );
        let a = feature_collection(std::slice::from_ref(&f));
        assert_eq!(a, feature_collection(&[f]));
        assert!(a.contains("[70.123457,39.765432]"), "{a}");
        assert!(!a.contains("crs"));
    }
}
