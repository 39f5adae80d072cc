//! Spatial queries through the real binary: `near` (single, batch, border) and `within`,
//! checked against brute-force geodesic computations and a golden file.

use geo::{Distance, Geodesic};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

/// Builds the shipped data into a temp dir and returns the incident features.
fn built() -> (tempfile::TempDir, PathBuf, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["build", "--out-dir", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("incidents.geojson");
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let feats = fc["features"].as_array().unwrap().clone();
    (dir, path, feats)
}

fn lonlat(f: &Value) -> Option<(f64, f64)> {
    let c = f["geometry"].get("coordinates")?;
    Some((c[0].as_f64()?, c[1].as_f64()?))
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("BORDERMAP_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with BORDERMAP_BLESS=1", path.display()));
    assert_eq!(
        actual, want,
        "golden {name} differs; BORDERMAP_BLESS=1 regenerates it"
    );
}

const VORUKH: (f64, f64) = (70.58012, 39.85125);

#[test]
fn near_vorukh_10km_is_exact_and_complete() {
    let (_dir, path, feats) = built();
    let (code, out, err) = run(&[
        "near",
        "--place",
        "Vorukh",
        "--radius-km",
        "10",
        "--format",
        "csv",
        "--input",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    golden("near-vorukh-10km.csv", &out);

    // Brute force over every located incident.
    let q = geo::Point::new(VORUKH.0, VORUKH.1);
    let mut want: Vec<(f64, String)> = feats
        .iter()
        .filter_map(|f| {
            let (lon, lat) = lonlat(f)?;
            let d = Geodesic.distance(q, geo::Point::new(lon, lat));
            (d <= 10_000.0).then(|| (d, f["id"].as_str().unwrap().to_string()))
        })
        .collect();
    want.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let got: Vec<(f64, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[1].parse().unwrap(), r[0].to_string())
        })
        .collect();
    assert!(!got.is_empty());
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for ((gd, gid), (wd, wid)) in got.iter().zip(&want) {
        assert_eq!(gid, wid);
        assert!((gd - wd).abs() <= 0.0005, "{gid}: {gd} vs {wd}");
    }
}

#[test]
fn nearest_k_and_geojson_output() {
    let (_dir, path, feats) = built();
    let (code, out, err) = run(&[
        "near",
        "--lat",
        "40.05",
        "--lon",
        "70.63",
        "--nearest",
        "3",
        "--format",
        "geojson",
        "--input",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let fc: Value = serde_json::from_str(&out).unwrap();
    let got = fc["features"].as_array().unwrap();
    assert_eq!(got.len(), 3);
    let q = geo::Point::new(70.63, 40.05);
    let mut all: Vec<f64> = feats
        .iter()
        .filter_map(lonlat)
        .map(|(lon, lat)| Geodesic.distance(q, geo::Point::new(lon, lat)))
        .collect();
    all.sort_by(f64::total_cmp);
    for (f, want) in got.iter().zip(&all) {
        let d = f["properties"]["distance_m"].as_f64().unwrap();
        assert!((d - want).abs() <= 0.0005, "{d} vs {want}");
        let b = f["properties"]["bearing_deg"].as_f64().unwrap();
        assert!((0.0..360.0).contains(&b));
    }
}

#[test]
fn batch_queries_match_brute_force() {
    let (dir, path, feats) = built();
    let qfile = dir.path().join("q.csv");
    std::fs::write(
        &qfile,
        "id,lat,lon,radius_km,k\nschool-1,39.85,70.58,8,\nschool-2,40.06,70.82,,2\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "near",
        "--queries",
        qfile.to_str().unwrap(),
        "--input",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "query_id",
            "incident_id",
            "rank",
            "distance_m",
            "bearing_deg"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let s1 = geo::Point::new(70.58, 39.85);
    let want1 = feats
        .iter()
        .filter_map(lonlat)
        .filter(|(lon, lat)| Geodesic.distance(s1, geo::Point::new(*lon, *lat)) <= 8000.0)
        .count();
    assert_eq!(rows.iter().filter(|r| &r[0] == "school-1").count(), want1);
    assert_eq!(rows.iter().filter(|r| &r[0] == "school-2").count(), 2);
}

#[test]
fn within_enclave_polygon_with_hole_and_bbox() {
    let (dir, path, _) = built();
    let input = path.to_str().unwrap();
    let (code, out, _) = run(&[
        "within",
        "--enclave",
        "Vorukh",
        "--format",
        "csv",
        "--input",
        input,
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("kgtj-2022-06-03-vorukh"), "{out}");
    assert!(
        !out.contains("ak-sai"),
        "Ak-Sai lies outside the enclave: {out}"
    );

    // A square around Vorukh village with a hole cut around the village itself.
    let poly = dir.path().join("p.geojson");
    std::fs::write(
        &poly,
        r#"{"type":"Polygon","coordinates":[
          [[70.4,39.7],[70.8,39.7],[70.8,40.0],[70.4,40.0],[70.4,39.7]],
          [[70.57,39.84],[70.57,39.86],[70.59,39.86],[70.59,39.84],[70.57,39.84]]]}"#,
    )
    .unwrap();
    let (code, out, _) = run(&[
        "within",
        "--polygon",
        poly.to_str().unwrap(),
        "--format",
        "csv",
        "--input",
        input,
    ]);
    assert_eq!(code, 0);
    assert!(!out.contains("kgtj-2022-06-03-vorukh"), "{out}");
    assert!(out.contains("ak-sai"), "{out}");

    let (code, out, _) = run(&[
        "within",
        "--bbox",
        "70.57,39.84,70.59,39.86",
        "--input",
        input,
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("kgtj-2022-06-03-vorukh"), "{out}");
    assert!(out.contains("1 incident(s)"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["near", "--lat", "39", "--lon", "70", "--radius-km", "-1"][..],
        &["near", "--lat", "39", "--lon", "70", "--nearest", "0"],
        &["near", "--lat", "91", "--lon", "70", "--nearest", "1"],
        &["within", "--bbox", "70,39,71"],
        &[
            "near",
            "--lat",
            "39",
            "--lon",
            "70",
            "--nearest",
            "1",
            "--format",
            "xml",
        ],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("error"), "{err}");
    }
}

#[test]
fn ambiguous_place_lists_candidates() {
    let (code, _, err) = run(&["near", "--place", "Kok-Tash", "--radius-km", "5"]);
    assert_eq!(code, 1);
    assert!(err.contains("ambiguous"), "{err}");
    assert!(err.contains("wof:1326925295"), "{err}");
}

/// Distance to the border, recomputed independently: densify every nearby border segment
/// to 1 m steps and take the smallest Karney distance.
#[test]
fn border_distances_match_an_independent_computation() {
    let (_dir, _path, feats) = built();
    let border: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/border.geojson"),
        )
        .unwrap(),
    )
    .unwrap();
    let lines: Vec<Vec<(f64, f64)>> = border["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["geometry"]["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
                .collect()
        })
        .collect();
    let mut checked = 0;
    for f in &feats {
        let Some((lon, lat)) = lonlat(f) else {
            continue;
        };
        // Records placed only at a district or region have no distance to report.
        let Some(reported) = f["properties"]["distance_to_border_m"].as_f64() else {
            assert_eq!(f["properties"]["geo_precision"], 3, "{}", f["id"]);
            continue;
        };
        let p = geo::Point::new(lon, lat);
        let mut best = f64::INFINITY;
        for line in &lines {
            for w in line.windows(2) {
                let (a, b) = (
                    geo::Point::new(w[0].0, w[0].1),
                    geo::Point::new(w[1].0, w[1].1),
                );
                let seg = Geodesic.distance(a, b);
                // Skip segments that cannot hold the minimum.
                if Geodesic.distance(p, a) - seg > best.min(reported + 5_000.0) {
                    continue;
                }
                let steps = (seg / 1.0).ceil().max(1.0) as usize;
                for i in 0..=steps {
                    let t = i as f64 / steps as f64;
                    let q = geo::Point::new(
                        w[0].0 + t * (w[1].0 - w[0].0),
                        w[0].1 + t * (w[1].1 - w[0].1),
                    );
                    best = best.min(Geodesic.distance(p, q));
                }
            }
        }
        // 1 m sampling and 0.1 m rounding of the output.
        assert!(
            (best - reported).abs() <= 1.0,
            "{}: reported {reported} m, independent {best} m",
            f["id"]
        );
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} incidents placed at a point");
}

#[test]
fn an_index_gives_the_same_answers_and_a_stale_one_is_rebuilt() {
    let (dir, path, _) = built();
    let input = path.to_str().unwrap();
    let qfile = dir.path().join("q.csv");
    std::fs::write(
        &qfile,
        "id,lat,lon,radius_km,k\na,39.85,70.58,20,\nb,40.06,70.82,,3\n",
    )
    .unwrap();
    let batch = [
        "near",
        "--queries",
        qfile.to_str().unwrap(),
        "--input",
        input,
    ];
    let vorukh = [
        "near",
        "--place",
        "Vorukh",
        "--radius-km",
        "10",
        "--format",
        "csv",
        "--input",
        input,
    ];
    let (code, plain, err) = run(&batch);
    assert_eq!(code, 0, "{err}");
    assert!(plain.lines().count() > 3, "{plain}");
    let (code, out, err) = run(&["index", input]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("wrote"), "{out}");
    let sidecar = dir.path().join("incidents.geojson.bmidx");
    assert!(sidecar.exists());
    let (code, indexed, err) = run(&batch);
    assert_eq!(
        (code, indexed.as_str(), err.as_str()),
        (0, plain.as_str(), "")
    );
    // the properties come from the input, the rest from the index
    let (code, out, err) = run(&vorukh);
    assert_eq!(code, 0, "{err}");
    golden("near-vorukh-10km.csv", &out);
    // the input changes: the index is stale, not used, and rebuilt
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push('\n');
    std::fs::write(&path, text).unwrap();
    let (code, again, err) = run(&batch);
    assert_eq!((code, again.as_str()), (0, plain.as_str()));
    assert!(err.contains("index rebuilt"), "{err}");
    let (code, _, err) = run(&batch);
    assert_eq!((code, err.as_str()), (0, ""));
}

/// With a sidecar, a single question reads the properties of the rows it shows, and only
/// those, from the input: the same bytes as without a sidecar, in every format, for a file
/// that starts with a byte-order mark too (the recorded places count from after it).
#[test]
fn an_index_reads_the_properties_of_the_rows_shown_from_the_input() {
    let (dir, path, _) = built();
    for (name, bom) in [("plain.geojson", ""), ("bom.geojson", "\u{feff}")] {
        let input = dir.path().join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&input, format!("{bom}{text}")).unwrap();
        let input = input.to_str().unwrap();
        let questions = [
            "near --lat 39.85 --lon 70.58 --radius-km 15",
            "near --lat 40.06 --lon 70.82 --nearest 3",
            "within --area Leilek",
            "within --bbox 70.4,39.7,70.9,40.1",
        ];
        let answers = || -> Vec<String> {
            let mut all = Vec::new();
            for q in questions {
                for format in ["table", "csv", "json", "geojson"] {
                    let mut args: Vec<&str> = q.split(' ').collect();
                    args.extend(["--format", format, "--input", input]);
                    let (code, out, err) = run(&args);
                    assert_eq!(code, 0, "{args:?}: {err}");
                    all.push(out);
                }
            }
            all
        };
        let plain = answers();
        assert!(plain.iter().any(|a| a.contains("Vorukh")), "{plain:?}");
        let (code, _, err) = run(&["index", input]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(answers(), plain, "{name}");
    }
}

/// `within --area NAME`: the enclave, district or region a name means, checked point by
/// point against `geo`'s own point-in-polygon test on the same outline, over a grid of 2,400
/// points across the Fergana valley's border districts.
#[test]
fn within_area_by_name_is_its_outline_point_by_point() {
    use bordermap::areas::{AdminAreas, area_by_name};
    use bordermap::gazetteer::Context;
    use geo::Contains;
    let g = bordermap::Gazetteer::shipped().unwrap();
    let layers = bordermap::border::Layers::shipped().unwrap();
    let admin = AdminAreas::shipped().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut feats = Vec::new();
    let mut points = Vec::new();
    for i in 0..60 {
        for j in 0..40 {
            let (lon, lat) = (
                69.5 + 2.0 * (i as f64 + 0.5) / 60.0,
                39.6 + 0.8 * (j as f64 + 0.5) / 40.0,
            );
            let id = format!("g{i:02}-{j:02}");
            feats.push(format!(
                r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":{{"title":"grid"}}}}"#
            ));
            points.push((id, geo::Point::new(lon, lat)));
        }
    }
    let input = dir.path().join("grid.geojson");
    std::fs::write(
        &input,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        ),
    )
    .unwrap();
    for (name, kind) in [
        ("Isfara District", "district"),
        ("Лейлекский район", "district"),
        ("Leilek", "district"),
        ("Баткенская область", "region"),
        ("Sughd Region", "region"),
        ("Vorukh", "enclave"),
        ("Sokh enclave", "enclave"),
    ] {
        let area = area_by_name(name, &Context::default(), &g, &layers, &admin).unwrap();
        assert_eq!(area.kind.as_str(), kind, "{name}");
        let mut want: Vec<&str> = points
            .iter()
            .filter(|(_, p)| area.shape.contains(p))
            .map(|(id, _)| id.as_str())
            .collect();
        want.sort_unstable();
        let (code, out, err) = run(&[
            "within",
            "--area",
            name,
            "--format",
            "geojson",
            "--input",
            input.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.contains("reference border line"), "{name}: {err}");
        let fc: Value = serde_json::from_str(&out).unwrap();
        let mut got: Vec<String> = fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        got.sort_unstable();
        assert!(!want.is_empty(), "{name}: the grid misses the area");
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn within_area_refuses_a_village_and_a_name_of_two_areas_with_the_candidates() {
    let (code, _, err) = run(&["within", "--area", "Talas"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("fits 2 areas")
            && err.contains("wof:1091690143")
            && err.contains("wof:85673003"),
        "{err}"
    );
    let (code, _, err) = run(&["within", "--area", "Kok-Tash", "--admin2", "Leilek"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is not an enclave, district or region"),
        "{err}"
    );
    assert!(err.contains("village"), "{err}");
    // A context that rules the area out is obeyed, not overridden.
    let (code, _, err) = run(&["within", "--area", "Leilek", "--country", "TJ"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("is not found") && err.contains("lies in country TJ"),
        "{err}"
    );
    // With its word, the district or region is found.
    let (code, out, err) = run(&["within", "--area", "Talas region", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("id,"), "{out}");
}
