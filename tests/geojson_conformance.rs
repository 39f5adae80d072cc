//! GeoJSON conformance: the geojsonhint rules that matter (RFC 7946), applied to what
//! `bordermap build` writes, to the committed `output/incidents.geojson` and to the layers in
//! `geodata/`.
//!
//! Rules: a FeatureCollection with no `crs` and no `properties`; a `bbox` of four finite
//! numbers, west ≤ east and south ≤ north, that contains every position; every feature has
//! type Feature, an id, a valid geometry (or null) and flat properties (QGIS columns);
//! positions are [lon, lat] (2 or 3 finite numbers, in range, at most 6 decimals); polygon
//! rings are closed, have ≥ 4 positions, and wind counter-clockwise (exterior) or clockwise
//! (holes). For incidents: only Points or null, a null geometry always says why.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use serde_json::{Map, Value};
use std::path::Path;
use util::Dir;

/// What kind of file is being checked: incident outputs have extra rules.
#[derive(Clone, Copy, PartialEq)]
enum Layer {
    Incidents,
    Other,
}

/// The problems found in one GeoJSON text; empty when it conforms.
fn problems(text: &str, layer: Layer) -> Vec<String> {
    let mut out = Vec::new();
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let Some(top) = v.as_object() else {
        return vec!["the top level is not an object".into()];
    };
    if top.get("type") != Some(&Value::from("FeatureCollection")) {
        out.push(format!("top-level type is {:?}", top.get("type")));
    }
    for banned in ["crs", "properties", "geometry", "coordinates"] {
        if top.contains_key(banned) {
            out.push(format!("the FeatureCollection has a {banned:?} member"));
        }
    }
    let Some(features) = top.get("features").and_then(Value::as_array) else {
        out.push("no \"features\" array".into());
        return out;
    };

    let mut positions: Vec<[f64; 2]> = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for (i, f) in features.iter().enumerate() {
        let at = format!("feature {i} (id {})", f.get("id").unwrap_or(&Value::Null));
        check_feature(f, &at, layer, &mut positions, &mut out);
        if let Some(id) = f.get("id") {
            // 1 and "1" are the same id.
            let key = id.as_str().map_or_else(|| id.to_string(), str::to_string);
            if !ids.insert(key) {
                out.push(format!("{at}: duplicate id"));
            }
        }
    }

    match top.get("bbox") {
        None if !positions.is_empty() && layer == Layer::Incidents => {
            out.push("no bbox".into());
        }
        None => {}
        Some(b) => {
            let nums: Vec<f64> = b
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            if nums.len() != 4 || b.as_array().is_none_or(|a| a.len() != 4) {
                out.push(format!("bbox {b} is not 4 numbers"));
            } else if nums.iter().any(|x| !x.is_finite()) {
                out.push(format!("bbox {b} is not finite"));
            } else {
                let [w, s, e, n] = [nums[0], nums[1], nums[2], nums[3]];
                if w > e || s > n {
                    out.push(format!("bbox {b}: west > east or south > north"));
                }
                for p in &positions {
                    if p[0] < w || p[0] > e || p[1] < s || p[1] > n {
                        out.push(format!("bbox {b} does not contain {p:?}"));
                    }
                }
                // And it is tight: each edge touches a position.
                if !positions.is_empty() {
                    let tight = [
                        positions.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min),
                        positions.iter().map(|p| p[1]).fold(f64::INFINITY, f64::min),
                        positions
                            .iter()
                            .map(|p| p[0])
                            .fold(f64::NEG_INFINITY, f64::max),
                        positions
                            .iter()
                            .map(|p| p[1])
                            .fold(f64::NEG_INFINITY, f64::max),
                    ];
                    if tight != [w, s, e, n] {
                        out.push(format!("bbox {b} is not the extent {tight:?}"));
                    }
                }
            }
        }
    }
    out
}

fn check_feature(
    f: &Value,
    at: &str,
    layer: Layer,
    positions: &mut Vec<[f64; 2]>,
    out: &mut Vec<String>,
) {
    let Some(obj) = f.as_object() else {
        out.push(format!("{at}: not an object"));
        return;
    };
    if obj.get("type") != Some(&Value::from("Feature")) {
        out.push(format!("{at}: type is {:?}", obj.get("type")));
    }
    match obj.get("id") {
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(Value::Number(_)) => {}
        other => out.push(format!(
            "{at}: id is {other:?}; expected a string or number"
        )),
    }
    let empty = Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(m)) => m,
        other => {
            out.push(format!("{at}: properties is {other:?}; expected an object"));
            &empty
        }
    };
    for (k, v) in props {
        if v.is_object() || v.is_array() {
            out.push(format!(
                "{at}: property {k:?} is nested ({v}); QGIS needs flat values"
            ));
        }
        if v.as_f64().is_some_and(|x| !x.is_finite()) {
            out.push(format!("{at}: property {k:?} is not finite"));
        }
    }
    let geometry = match obj.get("geometry") {
        None => {
            out.push(format!("{at}: no geometry member (use null)"));
            return;
        }
        Some(g) => g,
    };
    if layer == Layer::Incidents {
        let status = props
            .get("geo_status")
            .and_then(Value::as_str)
            .unwrap_or("");
        if geometry.is_null() {
            if !matches!(status, "ambiguous" | "unresolved" | "not_placed") {
                out.push(format!("{at}: null geometry with geo_status {status:?}"));
            }
            let reason = props
                .get("geo_reason")
                .and_then(Value::as_str)
                .unwrap_or("");
            if reason.trim().is_empty() {
                out.push(format!("{at}: null geometry without geo_reason"));
            }
        } else if status != "matched" {
            out.push(format!("{at}: a point with geo_status {status:?}"));
        }
        if props.get("id") != obj.get("id") {
            out.push(format!("{at}: properties.id differs from the feature id"));
        }
    }
    if geometry.is_null() {
        return;
    }
    let Some(kind) = geometry.get("type").and_then(Value::as_str) else {
        out.push(format!("{at}: geometry without a type"));
        return;
    };
    let Some(coords) = geometry.get("coordinates") else {
        out.push(format!("{at}: geometry without coordinates"));
        return;
    };
    if layer == Layer::Incidents && kind != "Point" {
        out.push(format!("{at}: an incident geometry is a {kind}"));
    }
    let at = format!("{at}: {kind}");
    match kind {
        "Point" => position(coords, &at, positions, out),
        "MultiPoint" => each(coords, &at, out, |p, out| position(p, &at, positions, out)),
        "LineString" => line(coords, &at, positions, out),
        "MultiLineString" => each(coords, &at, out, |l, out| line(l, &at, positions, out)),
        "Polygon" => polygon(coords, &at, positions, out),
        "MultiPolygon" => each(coords, &at, out, |p, out| polygon(p, &at, positions, out)),
        other => out.push(format!("{at}: unknown geometry type {other:?}")),
    }
}

fn each(v: &Value, at: &str, out: &mut Vec<String>, mut f: impl FnMut(&Value, &mut Vec<String>)) {
    match v.as_array() {
        Some(a) => a.iter().for_each(|x| f(x, out)),
        None => out.push(format!("{at}: {v} is not an array")),
    }
}

/// Digits after the decimal point in the shortest text form of `x`.
fn decimals(n: &serde_json::Number) -> usize {
    let s = n.to_string();
    if s.contains(['e', 'E']) {
        return usize::MAX; // 1e-7 and the like: more than 6 decimals, or odd text
    }
    s.split_once('.').map_or(0, |(_, frac)| frac.len())
}

fn position(v: &Value, at: &str, positions: &mut Vec<[f64; 2]>, out: &mut Vec<String>) {
    let Some(a) = v.as_array() else {
        out.push(format!("{at}: position {v} is not an array"));
        return;
    };
    if !(2..=3).contains(&a.len()) {
        out.push(format!("{at}: position {v} has {} numbers", a.len()));
        return;
    }
    let mut xy = [f64::NAN; 2];
    for (i, c) in a.iter().enumerate() {
        let Value::Number(n) = c else {
            out.push(format!("{at}: position {v} holds a non-number"));
            return;
        };
        let x = n.as_f64().unwrap_or(f64::NAN);
        if !x.is_finite() {
            out.push(format!("{at}: position {v} is not finite"));
            return;
        }
        if i < 2 {
            xy[i] = x;
            if decimals(n) > 6 {
                out.push(format!("{at}: {n} has more than 6 decimals"));
            }
        }
    }
    if !(-180.0..=180.0).contains(&xy[0]) {
        out.push(format!("{at}: longitude {} out of range", xy[0]));
    }
    if !(-90.0..=90.0).contains(&xy[1]) {
        out.push(format!("{at}: latitude {} out of range", xy[1]));
    }
    positions.push(xy);
}

fn points(
    v: &Value,
    at: &str,
    positions: &mut Vec<[f64; 2]>,
    out: &mut Vec<String>,
) -> Vec<[f64; 2]> {
    let before = positions.len();
    each(v, at, out, |p, out| position(p, at, positions, out));
    positions[before..].to_vec()
}

fn line(v: &Value, at: &str, positions: &mut Vec<[f64; 2]>, out: &mut Vec<String>) {
    if points(v, at, positions, out).len() < 2 {
        out.push(format!("{at}: a LineString needs at least 2 positions"));
    }
}

/// Twice the signed area of a ring (shoelace): positive when counter-clockwise.
fn signed_area2(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum()
}

fn polygon(v: &Value, at: &str, positions: &mut Vec<[f64; 2]>, out: &mut Vec<String>) {
    let Some(rings) = v.as_array() else {
        out.push(format!("{at}: polygon {v} is not an array"));
        return;
    };
    if rings.is_empty() {
        out.push(format!("{at}: a polygon without rings"));
    }
    for (i, r) in rings.iter().enumerate() {
        let ring = points(r, at, positions, out);
        let which = if i == 0 { "exterior ring" } else { "hole" };
        if ring.len() < 4 {
            out.push(format!(
                "{at}: {which} {i} has {} positions (< 4)",
                ring.len()
            ));
            continue;
        }
        if ring.first() != ring.last() {
            out.push(format!("{at}: {which} {i} is not closed (first != last)"));
            continue;
        }
        let a = signed_area2(&ring);
        if i == 0 && a <= 0.0 {
            out.push(format!(
                "{at}: exterior ring is clockwise (RFC 7946 §3.1.6: counter-clockwise)"
            ));
        }
        if i > 0 && a >= 0.0 {
            out.push(format!(
                "{at}: hole {i} is counter-clockwise (RFC 7946 §3.1.6: clockwise)"
            ));
        }
    }
}

fn assert_conforms(text: &str, layer: Layer, name: &str) {
    let p = problems(text, layer);
    assert!(
        p.is_empty(),
        "{name}: {} problems:\n{}",
        p.len(),
        p.join("\n")
    );
}

/// Every located incident of the shipped data lies in the Fergana valley region; a
/// [lat, lon] order would put it in the Indian Ocean.
fn assert_points_in_the_region(text: &str, name: &str) {
    let v: Value = serde_json::from_str(text).unwrap();
    let mut n = 0;
    for f in v["features"].as_array().unwrap() {
        if f["geometry"].is_null() {
            continue;
        }
        let c = &f["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (66.0..=76.0).contains(&lon) && (37.0..=44.0).contains(&lat),
            "{name}: {} at [{lon}, {lat}] is outside lon 66–76, lat 37–44",
            f["id"]
        );
        n += 1;
    }
    assert!(n > 0, "{name}: no located incident");
}

fn built() -> (Dir, String) {
    let dir = Dir::new();
    dir.run(&["build", "--out-dir", "out"]).ok();
    let text = dir.read_string("out/incidents.geojson");
    (dir, text)
}

// ---------------------------------------------------------------- the rules themselves

#[test]
fn the_checker_catches_what_it_should() {
    let good = r#"{"type":"FeatureCollection","bbox":[1,2,1,2],"features":[
        {"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}]}"#;
    assert!(
        problems(good, Layer::Other).is_empty(),
        "{:?}",
        problems(good, Layer::Other)
    );
    let cases = [
        (
            good.replace(r#""bbox""#, r#""crs":{},"bbox""#),
            "\"crs\" member",
        ),
        (
            good.replace(r#""bbox""#, r#""properties":{},"bbox""#),
            "\"properties\" member",
        ),
        (good.replace("[1,2,1,2]", "[1,2,0,2]"), "west > east"),
        (good.replace("[1,2,1,2]", "[5,5,6,6]"), "does not contain"),
        (good.replace("[1,2,1,2]", "[1,2,1]"), "not 4 numbers"),
        (good.replace(r#""id":"a","#, ""), "id is None"),
        (
            good.replace("[1,2]}", "[1.1234567,2]}"),
            "more than 6 decimals",
        ),
        (good.replace("[1,2]}", "[1]}"), "has 1 numbers"),
        (
            good.replace("[1,2,1,2]", "[1,200,1,200]")
                .replace("[1,2]}", "[1,200]}"),
            "latitude 200",
        ),
        (good.replace("{}}]}", r#"{"x":{"y":1}}}]}"#), "nested"),
        (good.replace("{}}]}", r#"{"x":[1]}}]}"#), "nested"),
        (good.replace(r#""Feature""#, r#""Feat""#), "type is"),
    ];
    for (text, expected) in cases {
        let p = problems(&text, Layer::Other);
        assert!(
            p.iter().any(|m| m.contains(expected)),
            "{expected}: {p:?}\n{text}"
        );
    }
    let polygon = |rings: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":1,"geometry":{{"type":"Polygon","coordinates":{rings}}},"properties":{{}}}}]}}"#
        )
    };
    let ccw = "[[0,0],[4,0],[4,4],[0,4],[0,0]]";
    let cw_hole = "[[1,1],[1,2],[2,2],[2,1],[1,1]]";
    assert!(problems(&polygon(&format!("[{ccw},{cw_hole}]")), Layer::Other).is_empty());
    let cw = "[[0,0],[0,4],[4,4],[4,0],[0,0]]";
    let ccw_hole = "[[1,1],[2,1],[2,2],[1,2],[1,1]]";
    for (rings, expected) in [
        (format!("[{cw}]"), "exterior ring is clockwise"),
        (format!("[{ccw},{ccw_hole}]"), "hole 1 is counter-clockwise"),
        ("[[[0,0],[4,0],[4,4],[0,4]]]".to_string(), "not closed"),
        ("[[[0,0],[4,0],[0,0]]]".to_string(), "(< 4)"),
    ] {
        let p = problems(&polygon(&rings), Layer::Other);
        assert!(p.iter().any(|m| m.contains(expected)), "{expected}: {p:?}");
    }
    // Incident rules.
    let inc = |geometry: &str, props: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"a","geometry":{geometry},"properties":{{"id":"a",{props}}}}}]}}"#
        )
    };
    let p = problems(
        &inc("null", r#""geo_status":"matched","geo_reason":"x""#),
        Layer::Incidents,
    );
    assert!(
        p.iter()
            .any(|m| m.contains("null geometry with geo_status")),
        "{p:?}"
    );
    let p = problems(
        &inc("null", r#""geo_status":"ambiguous","geo_reason":"""#),
        Layer::Incidents,
    );
    assert!(p.iter().any(|m| m.contains("without geo_reason")), "{p:?}");
    let line = r#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#;
    let p = problems(&inc(line, r#""geo_status":"matched""#), Layer::Incidents);
    assert!(
        p.iter()
            .any(|m| m.contains("an incident geometry is a LineString")),
        "{p:?}"
    );
    assert!(p.iter().any(|m| m.contains("no bbox")), "{p:?}");
}

// ---------------------------------------------------------------- incident outputs

#[test]
fn built_incidents_conform() {
    let (_dir, text) = built();
    assert_conforms(&text, Layer::Incidents, "built incidents.geojson");
    assert_points_in_the_region(&text, "built incidents.geojson");
}

#[test]
fn committed_incidents_conform() {
    let path = util::root().join("output/incidents.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_conforms(&text, Layer::Incidents, "output/incidents.geojson");
    assert_points_in_the_region(&text, "output/incidents.geojson");
}

#[test]
fn every_built_geojson_file_conforms() {
    // Whatever else build writes (layers, indexes), any GeoJSON among it must conform too.
    let dir = Dir::new();
    dir.run(&["build", "--out-dir", "out"]).ok();
    let out = dir.join("out");
    let files = util::files_under(&out);
    let geojson: Vec<&String> = files.iter().filter(|f| f.ends_with(".geojson")).collect();
    assert!(!geojson.is_empty(), "build wrote no GeoJSON: {files:?}");
    for f in geojson {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        let layer = if f == "incidents.geojson" {
            Layer::Incidents
        } else {
            Layer::Other
        };
        assert_conforms(&text, layer, f);
    }
}

#[test]
fn unlocated_incidents_conform_with_null_geometry() {
    let dir = Dir::new();
    for (fixture, status) in [
        ("ambiguous.toml", "ambiguous"),
        ("unresolved.toml", "unresolved"),
    ] {
        dir.fixture(fixture);
        let run = dir.run(&["geocode", fixture]);
        run.ok();
        let text = run.stdout_str();
        assert_conforms(text, Layer::Incidents, fixture);
        let v = run.json();
        let f = &v["features"][0];
        assert!(f["geometry"].is_null(), "{fixture}");
        assert_eq!(f["properties"]["geo_status"], status);
        // No position at all: no bbox either (RFC 7946 §5 has nothing to bound).
        assert!(v.get("bbox").is_none(), "{fixture}: {}", v["bbox"]);
    }
}

#[test]
fn built_properties_are_stable_columns() {
    // QGIS takes its columns from the features: every feature has the same keys, in order.
    let (_dir, text) = built();
    let v: Value = serde_json::from_str(&text).unwrap();
    let features = v["features"].as_array().unwrap();
    let keys = |f: &Value| -> Vec<String> {
        f["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let first = keys(&features[0]);
    for f in features {
        assert_eq!(keys(f), first, "{}", f["id"]);
    }
    for k in [
        "id",
        "date_start",
        "event_type",
        "geo_status",
        "geo_reason",
        "fatalities_best",
    ] {
        assert!(first.iter().any(|x| x == k), "no {k} column");
    }
}

// ---------------------------------------------------------------- the layers in geodata/

fn geodata(name: &str) -> String {
    std::fs::read_to_string(util::root().join("geodata").join(name)).unwrap()
}

#[test]
fn border_layer_conforms() {
    let text = geodata("border.geojson");
    assert_conforms(&text, Layer::Other, "geodata/border.geojson");
    let v: Value = serde_json::from_str(&text).unwrap();
    for f in v["features"].as_array().unwrap() {
        let t = f["geometry"]["type"].as_str().unwrap();
        assert!(t.ends_with("LineString"), "{}: {t}", f["id"]);
    }
}

#[test]
fn enclaves_layer_conforms() {
    let text = geodata("enclaves.geojson");
    assert_conforms(&text, Layer::Other, "geodata/enclaves.geojson");
    assert!(text.contains("\"enclave:vorukh\""));
}

#[test]
fn countries_layer_conforms() {
    let text = geodata("countries.geojson");
    assert_conforms(&text, Layer::Other, "geodata/countries.geojson");
    for iso in ["\"KG\"", "\"TJ\"", "\"UZ\""] {
        assert!(text.contains(iso), "{iso}");
    }
}

#[test]
fn other_geodata_layers_conform() {
    for name in ["rivers.geojson", "lakes.geojson"] {
        if util::root().join("geodata").join(name).exists() {
            assert_conforms(&geodata(name), Layer::Other, name);
        }
    }
}

// ---------------------------------------------------------------- GDAL's reading

fn ogrinfo(path: &Path) -> (bool, String) {
    let o = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.success(), all)
}

#[test]
fn ogrinfo_reads_the_built_file_without_warnings() {
    if !util::require_tool("ogrinfo", "ogrinfo (GDAL)") {
        return;
    }
    let (dir, _) = built();
    let path = dir.join("out/incidents.geojson");
    let (ok, text) = ogrinfo(&path);
    assert!(ok, "ogrinfo failed:\n{text}");
    assert!(
        !text.contains("Warning") && !text.contains("ERROR"),
        "ogrinfo complained:\n{text}"
    );
    assert!(text.contains("Geometry: Point"), "{text}");
    let n = serde_json::from_str::<Value>(&std::fs::read_to_string(&path).unwrap()).unwrap()
        ["features"]
        .as_array()
        .unwrap()
        .len();
    assert!(text.contains(&format!("Feature Count: {n}")), "{text}");
    for name in ["border.geojson", "enclaves.geojson", "countries.geojson"] {
        let (ok, text) = ogrinfo(&util::root().join("geodata").join(name));
        assert!(
            ok && !text.contains("Warning") && !text.contains("ERROR"),
            "{name}:\n{text}"
        );
    }
}
