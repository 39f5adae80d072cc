//! Real data in and out, end to end with the real binary: `import` (UCDP GED, ACLED, any CSV,
//! GeoJSON), `merge`, `export` (GeoJSON, CSV, KML, FlatGeobuf) and `--gazetteer`.
//!
//! The fixtures (`ucdp_ged_sample.csv`, `acled_sample.csv`, `sites.csv`,
//! `places_geonames.tsv`, `places.geojson`) are small files written for these tests; their
//! events and places are made up.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use serde_json::Value;
use std::str::FromStr;
use util::{Dir, feature, feature_ids};

const HOSTILE: &str = "</text><script>alert(1)</script>";

// ---------------------------------------------------------------- import

#[test]
fn ucdp_ged_is_detected_and_mapped() {
    let dir = Dir::new();
    dir.fixture("ucdp_ged_sample.csv");
    dir.run(&["import", "ucdp_ged_sample.csv", "-o", "ucdp.geojson"])
        .ok()
        .stdout_has("ucdp (detected) rows: 4, imported: 4");
    let fc = dir.geojson("ucdp.geojson");
    let f = feature(&fc, "ucdp-ged:900001");
    let p = &f["properties"];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([70.58012, 39.85125])
    );
    assert_eq!(p["event_type"], "armed_clash");
    assert_eq!(p["date_precision"], "day");
    assert_eq!(p["geo_precision"], 1);
    assert_eq!(p["geo_uncertainty_m"], 2000.0);
    assert_eq!(p["src_type_of_violence"], "1");
    assert_eq!(p["src_where_prec"], "1");
    assert!(
        p["claims"]
            .as_str()
            .unwrap()
            .contains("UCDP GED (best, with low and high): 6 killed")
    );
    // UCDP's low/best/high are one claim; deaths_a and deaths_b a claim per side (the sides
    // name the two countries), so the project's rule sums the sides for the best estimate
    // while UCDP's low and high bound it; UCDP's own best stays in its claim and src_best.
    let claims: Vec<Value> = serde_json::from_str(p["claims_json"].as_str().unwrap()).unwrap();
    assert_eq!(claims.len(), 3, "{claims:?}");
    assert_eq!(claims[0]["claimant"], "UCDP GED (best, with low and high)");
    assert_eq!(
        (
            claims[0]["killed_low"].as_u64(),
            claims[0]["killed_high"].as_u64()
        ),
        (Some(5), Some(9))
    );
    let per_side: Vec<(&str, u64)> = claims[1..]
        .iter()
        .map(|c| {
            (
                c["victims"].as_str().unwrap(),
                c["killed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(per_side, [("KG", 2), ("TJ", 3)]);
    assert!(claims[1]["claimant"] == "UCDP GED (deaths per side)");
    assert_eq!(
        (
            &p["fatalities_low"],
            &p["fatalities_best"],
            &p["fatalities_high"]
        ),
        (&Value::from(5), &Value::from(5), &Value::from(9))
    );
    assert_eq!(p["src_best"], "6");
    assert!(
        p["notes"]
            .as_str()
            .unwrap()
            .contains("UCDP deaths by side:"),
        "{}",
        p["notes"]
    );
    // The required columns of `build` are all there, so near/within/render read it.
    for key in [
        "title",
        "date_start",
        "date_end",
        "fatalities_best",
        "geo_status",
        "distance_to_border_m",
    ] {
        assert!(p.get(key).is_some(), "missing {key}");
    }

    // where_prec 3 → adm2, 50 km; date_prec 2 → a range.
    let p = &feature(&fc, "ucdp-ged:900002")["properties"];
    assert_eq!(
        (p["geo_precision"].clone(), p["geo_uncertainty_m"].clone()),
        (3.into(), 50000.0.into())
    );
    assert_eq!(p["date_precision"], "range");
    // where_prec 6 → the country: precision 3, a wide radius and a note; one-sided → other.
    let p = &feature(&fc, "ucdp-ged:900003")["properties"];
    assert_eq!(p["geo_uncertainty_m"], 300000.0);
    assert!(
        p["notes"]
            .as_str()
            .unwrap()
            .contains("only the country is known")
    );
    assert!(p["geo_reason"].as_str().unwrap().contains("where_prec 6"));
    assert_eq!(p["event_type"], "other");
    assert_eq!(p["date_precision"], "month");
    // A date with a time part is read as the day.
    assert_eq!(
        feature(&fc, "ucdp-ged:900004")["properties"]["date_start"],
        "2021-04-29"
    );
}

#[test]
fn acled_is_detected_and_mapped() {
    let dir = Dir::new();
    dir.fixture("acled_sample.csv");
    dir.run(&["import", "acled_sample.csv", "-o", "acled.geojson"])
        .ok()
        .stdout_has("acled (detected) rows: 6, imported: 6");
    let fc = dir.geojson("acled.geojson");
    let types: Vec<(String, String)> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["properties"]["event_type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expect = [
        ("acled:KGZ9001", "armed_clash"),
        ("acled:KGZ9002", "shelling"),
        ("acled:KGZ9003", "drone_strike"),
        ("acled:TJK9001", "arson_looting"),
        ("acled:TJK9002", "agreement"),
        ("acled:KGZ9005", "other"),
    ];
    assert_eq!(
        types,
        expect.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    let p = &feature(&fc, "acled:KGZ9001")["properties"];
    assert!(
        p["claims"]
            .as_str()
            .unwrap()
            .starts_with("ACLED (from Example News; Example Wire): 4 killed")
    );
    assert_eq!(p["src_sub_event_type"], "Armed clash");
    // time_precision 2: the week around the date; geo_precision 2: 15 km.
    let p = &feature(&fc, "acled:KGZ9003")["properties"];
    assert_eq!(
        (p["date_start"].as_str(), p["date_end"].as_str()),
        (Some("2022-09-14"), Some("2022-09-20"))
    );
    assert_eq!(p["geo_precision"], 2);
    // time_precision 3: the month.
    let p = &feature(&fc, "acled:TJK9002")["properties"];
    assert_eq!(
        (p["date_start"].as_str(), p["date_end"].as_str()),
        (Some("2022-09-01"), Some("2022-09-30"))
    );
    // The original type of an event mapped to `other` is kept.
    assert_eq!(
        feature(&fc, "acled:KGZ9005")["properties"]["src_event_type"],
        "Violence against civilians"
    );
}

#[test]
fn bad_rows_are_reported_once_per_kind_with_line_numbers() {
    let dir = Dir::new();
    dir.fixture("sites.csv");
    let run = dir.run(&["import", "sites.csv", "-o", "sites.geojson"]);
    run.expect_code(1)
        .stdout_has("rows: 12, imported: 4")
        .stdout_has("skipped: 8")
        .stderr_has("skipped 2 rows with an out-of-range latitude: lines 4, 10")
        .stderr_has("skipped 1 row with latitude and longitude swapped: line 5")
        .stderr_has("the order looks swapped")
        .stderr_has("skipped 1 row with an empty coordinate: line 6")
        .stderr_has("skipped 1 row with a non-numeric coordinate: line 7")
        .stderr_has(
            "skipped 2 rows with a non-finite coordinate (NaN, inf or too large): lines 8, 9",
        )
        .stderr_has("skipped 1 row with a date that cannot be read: line 11")
        .stderr_has(r#"line 11: date "2022-02-30" is not a date (2022-02 has no day 30)"#);
    assert_eq!(
        run.stderr.matches("out-of-range latitude").count(),
        1,
        "{}",
        run.stderr
    );
    // The rest is imported.
    let fc = dir.geojson("sites.geojson");
    assert_eq!(
        feature_ids(&fc),
        ["sites-2", "sites-3", "sites-12", "sites-13"]
    );
    let p = &feature(&fc, "sites-12")["properties"];
    assert_eq!(
        (p["date_precision"].as_str(), p["event_type"].as_str()),
        (Some("month"), Some("drone_strike"))
    );
    assert_eq!(
        feature(&fc, "sites-2")["properties"]["source_urls"],
        "https://example.org/reports/1"
    );

    dir.run(&[
        "import",
        "sites.csv",
        "-o",
        "sites.geojson",
        "--allow-skips",
    ])
    .ok()
    .stderr_has("out-of-range latitude");
}

#[test]
fn column_detection_and_overrides() {
    let dir = Dir::new();
    dir.write(
        "upper.csv",
        "ID,LAT,LNG,Event_Date,Category,Notes,Link,colour\nq1,39.9,70.6,2022-09-16,Shelling,n,https://example.org,red\n",
    );
    dir.run(&["import", "upper.csv", "-o", "upper.geojson"])
        .ok();
    let fc = dir.geojson("upper.geojson");
    let p = &feature(&fc, "q1")["properties"];
    assert_eq!(p["event_type"], "shelling");
    assert_eq!(p["notes"], "n");
    assert_eq!(p["source_urls"], "https://example.org");
    assert_eq!(p["src_colour"], "red", "unrecognised columns are kept");

    dir.write(
        "odd.csv",
        "name,northing,easting,date\np,39.9,70.6,2022-09-16\n",
    );
    dir.run(&["import", "odd.csv", "-o", "odd.geojson"])
        .expect_code(2)
        .stderr_has("no latitude column (looked for lat, latitude, y)")
        .stderr_has("--lat-col");
    dir.run(&[
        "import",
        "odd.csv",
        "--lat-col",
        "northing",
        "--lon-col",
        "easting",
        "-o",
        "odd.geojson",
    ])
    .ok();
    let fc = dir.geojson("odd.geojson");
    assert_eq!(
        fc["features"][0]["geometry"]["coordinates"],
        serde_json::json!([70.6, 39.9])
    );
    dir.run(&["import", "odd.csv", "--lat-col", "nope", "-o", "x.geojson"])
        .expect_code(2)
        .stderr_has("--lat-col \"nope\": no such column");
}

#[test]
fn place_column_is_geocoded_through_the_gazetteer() {
    let dir = Dir::new();
    dir.fixture("places_geonames.tsv");
    dir.write(
        "names.csv",
        "site,date\nXylotepa,2022-09-16\nVorukh,2022-09-17\n,2022-09-18\n",
    );
    dir.run(&[
        "import",
        "names.csv",
        "--place-col",
        "site",
        "--gazetteer",
        "places_geonames.tsv",
        "-o",
        "names.geojson",
    ])
    .expect_code(1)
    .stderr_has("skipped 1 row with an empty place name: line 4");
    let fc = dir.geojson("names.geojson");
    assert_eq!(
        feature(&fc, "names-2")["properties"]["geo_place_id"],
        "geonames:9990001"
    );
    assert_eq!(
        feature(&fc, "names-3")["properties"]["geo_place_id"],
        "wof:890420413"
    );
}

#[test]
fn import_export_import_round_trip_is_byte_identical() {
    let dir = Dir::new();
    for (fixture, first) in [
        ("ucdp_ged_sample.csv", "a.geojson"),
        ("acled_sample.csv", "b.geojson"),
        ("sites.csv", "c.geojson"),
    ] {
        dir.fixture(fixture);
        dir.run(&["import", fixture, "-o", first, "--allow-skips"])
            .ok();
        let exported = format!("exported-{first}");
        dir.run(&[
            "export", "--to", "geojson", "--input", first, "-o", &exported,
        ])
        .ok();
        let again = format!("again-{first}");
        dir.run(&["import", &exported, "-o", &again])
            .ok()
            .stdout_has("geojson (detected)");
        assert_eq!(dir.read_string(first), dir.read_string(&again), "{fixture}");
    }
    // The imported file works as --input for the queries.
    let run = dir.run(&[
        "near",
        "--input",
        "a.geojson",
        "--place",
        "Vorukh",
        "--radius-km",
        "1",
        "--format",
        "json",
    ]);
    run.ok().stdout_has("ucdp-ged:900001");
}

// ---------------------------------------------------------------- merge

#[test]
fn merge_links_likely_duplicates_and_keeps_every_record() {
    let dir = Dir::new();
    dir.fixture("ucdp_ged_sample.csv");
    dir.fixture("acled_sample.csv");
    dir.run(&["import", "ucdp_ged_sample.csv", "-o", "ucdp.geojson"])
        .ok();
    dir.run(&["import", "acled_sample.csv", "-o", "acled.geojson"])
        .ok();
    dir.run(&[
        "merge",
        "acled.geojson",
        "ucdp.geojson",
        "-o",
        "merged.geojson",
    ])
    .ok()
    .stdout_has("10 records, 1 likely duplicate links");
    let fc = dir.geojson("merged.geojson");
    assert_eq!(fc["features"].as_array().unwrap().len(), 10);
    // ACLED's shelling of Batken (16 Sep) and UCDP's Batken district clashes (14–17 Sep).
    let a = &feature(&fc, "acled:KGZ9002")["properties"];
    let u = &feature(&fc, "ucdp-ged:900002")["properties"];
    assert_eq!(a["duplicates"], "ucdp-ged:900002");
    assert_eq!(u["duplicate_of"], "acled:KGZ9002");
    assert_eq!(a["merge_group"], u["merge_group"]);
    assert_eq!(
        (a["merge_source"].as_str(), u["merge_source"].as_str()),
        (Some("acled.geojson"), Some("ucdp.geojson"))
    );
    // An agreement is not a duplicate of a clash at the same place.
    assert_eq!(
        feature(&fc, "acled:TJK9002")["properties"]["duplicate_of"],
        ""
    );
    // Deterministic.
    dir.run(&[
        "merge",
        "acled.geojson",
        "ucdp.geojson",
        "-o",
        "merged2.geojson",
    ])
    .ok();
    assert_eq!(dir.read("merged.geojson"), dir.read("merged2.geojson"));
    // A wider window (15 km, ±3 days) also links the clash at Ak-Sai with UCDP's at Vorukh
    // (about 14 km apart), but not ACLED's attack at Dostuk on the 20th with UCDP's Batken
    // event: an unidentified armed group against civilians is not the two states' forces.
    dir.run(&[
        "merge",
        "acled.geojson",
        "ucdp.geojson",
        "--days",
        "3",
        "--km",
        "15",
        "-o",
        "wide.geojson",
    ])
    .ok()
    .stdout_has("2 likely duplicate links in 2 groups");
    let wide = dir.geojson("wide.geojson");
    assert_eq!(
        feature(&wide, "ucdp-ged:900002")["properties"]["duplicate_of"],
        "acled:KGZ9002"
    );
    assert_eq!(
        feature(&wide, "acled:KGZ9005")["properties"]["duplicates"],
        ""
    );
    // Never over an input.
    dir.run(&[
        "merge",
        "acled.geojson",
        "ucdp.geojson",
        "-o",
        "ucdp.geojson",
    ])
    .expect_code(2)
    .stderr_has("refusing to overwrite an input file");
}

#[test]
fn merge_renames_ids_found_in_two_inputs() {
    let dir = Dir::new();
    let fc = |date: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"1","geometry":{{"type":"Point","coordinates":[70.58,39.85]}},"properties":{{"id":"1","date_start":"{date}","date_end":"{date}","event_type":"armed_clash"}}}}]}}"#
        )
    };
    dir.write("x.geojson", fc("2022-09-16"));
    dir.write("y.geojson", fc("2022-09-17"));
    dir.run(&["merge", "x.geojson", "y.geojson", "-o", "m.geojson"])
        .ok();
    let m = dir.geojson("m.geojson");
    assert_eq!(feature_ids(&m), ["x.geojson:1", "y.geojson:1"]);
    assert_eq!(
        feature(&m, "y.geojson:1")["properties"]["duplicate_of"],
        "x.geojson:1"
    );
    assert_eq!(
        feature(&m, "y.geojson:1")["properties"]["merge_original_id"],
        "1"
    );
}

// ---------------------------------------------------------------- export

fn kml_folders(k: &kml::Kml) -> Vec<kml::types::Folder> {
    let mut out = Vec::new();
    fn walk(k: &kml::Kml, out: &mut Vec<kml::types::Folder>) {
        match k {
            kml::Kml::KmlDocument(d) => d.elements.iter().for_each(|e| walk(e, out)),
            kml::Kml::Document { elements, .. } => elements.iter().for_each(|e| walk(e, out)),
            kml::Kml::Folder(f) => out.push(f.clone()),
            _ => {}
        }
    }
    walk(k, &mut out);
    out
}

fn placemarks(f: &kml::types::Folder) -> Vec<kml::types::Placemark> {
    f.elements
        .iter()
        .filter_map(|e| match e {
            kml::Kml::Placemark(p) => Some(p.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn kml_has_time_spans_styles_escaped_text_and_the_border_folders() {
    let dir = Dir::new();
    dir.fixture("sites.csv");
    dir.run(&[
        "import",
        "sites.csv",
        "-o",
        "sites.geojson",
        "--allow-skips",
    ])
    .ok();
    dir.run(&[
        "export",
        "--to",
        "kml",
        "--input",
        "sites.geojson",
        "-o",
        "sites.kml",
    ])
    .ok();
    let text = dir.read_string("sites.kml");
    assert!(!text.contains("<script>"), "raw markup from the data");
    assert!(!text.contains("CDATA"));
    let doc = kml::Kml::<f64>::from_str(&text).unwrap();
    let folders = kml_folders(&doc);
    let names: Vec<&str> = folders.iter().map(|f| f.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["Incidents", "Border", "Disputed sections"]);
    let incidents = placemarks(&folders[0]);
    assert_eq!(incidents.len(), 4);
    let hostile = incidents
        .iter()
        .find(|p| p.name.as_deref() == Some(HOSTILE))
        .expect("the hostile name survives as text");
    // The description is HTML in which the data is escaped: the script is text, not markup.
    let html = hostile.description.as_deref().unwrap();
    assert!(html.contains("&lt;/text&gt;&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("a&amp;b"), "{html}");
    assert_eq!(hostile.style_url.as_deref(), Some("#type-shelling"));
    let span = hostile
        .children
        .iter()
        .find(|e| e.name == "TimeSpan")
        .expect("a TimeSpan");
    let part = |n: &str| {
        span.children
            .iter()
            .find(|e| e.name == n)
            .and_then(|e| e.content.clone())
    };
    assert_eq!(part("begin").as_deref(), Some("2022-09-17"));
    assert_eq!(part("end").as_deref(), Some("2022-09-17"));
    // The month-precision row spans its month.
    let month = incidents
        .iter()
        .find(|p| p.name.as_deref() == Some("Month only"))
        .unwrap();
    let span = month
        .children
        .iter()
        .find(|e| e.name == "TimeSpan")
        .unwrap();
    let end = span.children.iter().find(|e| e.name == "end").unwrap();
    assert_eq!(end.content.as_deref(), Some("2022-09-30"));
    // Border parts and sections with their status.
    assert!(!placemarks(&folders[1]).is_empty());
    let sections = placemarks(&folders[2]);
    assert!(!sections.is_empty());
    assert!(sections.iter().all(|s| {
        s.style_url
            .as_deref()
            .is_some_and(|u| u.starts_with("#section-"))
    }));
    assert!(sections.iter().all(|s| {
        s.description
            .as_deref()
            .is_some_and(|d| d.contains("Status: "))
    }));
    // One <Style> per event type.
    for t in bordermap::EventType::ALL {
        assert!(
            text.contains(&format!("<Style id=\"type-{}\">", t.as_str())),
            "{}",
            t.as_str()
        );
    }
}

#[test]
fn kml_of_the_shipped_incidents_has_claims_with_claimants() {
    let dir = Dir::new();
    dir.run(&["export", "--to", "kml", "-o", "shipped.kml"])
        .ok();
    let text = dir.read_string("shipped.kml");
    let doc = kml::Kml::<f64>::from_str(&text).unwrap();
    let folders = kml_folders(&doc);
    let incidents = placemarks(&folders[0]);
    // Every placed incident is a placemark; the ones the sources do not place are left out.
    assert!(incidents.len() >= 13, "{} placemarks", incidents.len());
    assert!(incidents.iter().any(|p| {
        p.description
            .as_deref()
            .is_some_and(|d| d.contains("<h4>Claims</h4>") && d.contains("claimant"))
    }));
    assert!(
        incidents
            .iter()
            .all(|p| p.children.iter().any(|e| e.name == "TimeSpan"))
    );
}

#[test]
fn csv_export_quotes_hostile_text_and_has_wkt() {
    let dir = Dir::new();
    dir.fixture("sites.csv");
    dir.run(&[
        "import",
        "sites.csv",
        "-o",
        "sites.geojson",
        "--allow-skips",
    ])
    .ok();
    dir.run(&[
        "export",
        "--to",
        "csv",
        "--input",
        "sites.geojson",
        "-o",
        "out.csv",
    ])
    .ok();
    let text = dir.read_string("out.csv");
    assert!(text.starts_with("id,lat,lon,wkt,title,"), "{text}");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let hostile = rows.iter().find(|r| &r[0] == "sites-3").unwrap();
    assert_eq!(&hostile[col("title")], HOSTILE);
    assert_eq!(&hostile[col("notes")], "a&b");
    assert_eq!(&hostile[col("wkt")], "POINT (70.6 39.9)");
    assert_eq!(
        (&hostile[col("lat")], &hostile[col("lon")]),
        ("39.9", "70.6")
    );
    let quoted = rows.iter().find(|r| &r[0] == "sites-13").unwrap();
    assert_eq!(&quoted[col("title")], "Kok-Tash, upper");
    assert_eq!(&quoted[col("notes")], "a name with a comma, and \"quotes\"");
    // And the CSV imports back (lat/lon detected, WKT kept as a property).
    dir.run(&["import", "out.csv", "-o", "back.geojson"]).ok();
    let fc = dir.geojson("back.geojson");
    assert_eq!(feature(&fc, "sites-3")["properties"]["title"], HOSTILE);
}

#[test]
fn fgb_export_reads_back() {
    let dir = Dir::new();
    dir.fixture("acled_sample.csv");
    dir.run(&["import", "acled_sample.csv", "-o", "acled.geojson"])
        .ok();
    dir.run(&[
        "export",
        "--to",
        "fgb",
        "--input",
        "acled.geojson",
        "-o",
        "acled.fgb",
    ])
    .ok();
    let bytes = dir.read("acled.fgb");
    let mut cursor = std::io::Cursor::new(bytes);
    let reader = flatgeobuf::FgbReader::open(&mut cursor).unwrap();
    assert_eq!(reader.header().features_count(), 6);
    let mut it = reader.select_all().unwrap();
    let mut ids = Vec::new();
    use flatgeobuf::FallibleStreamingIterator as _;
    use flatgeobuf::geozero::FeatureProperties as _;
    while let Some(f) = it.next().unwrap() {
        let props = f.properties().unwrap();
        ids.push(props["id"].clone());
        assert!(props.contains_key("event_type"));
    }
    ids.sort();
    assert_eq!(ids[0], "acled:KGZ9001");
    // Deterministic bytes.
    dir.run(&[
        "export",
        "--to",
        "fgb",
        "--input",
        "acled.geojson",
        "-o",
        "again.fgb",
    ])
    .ok();
    assert_eq!(dir.read("acled.fgb"), dir.read("again.fgb"));
}

#[test]
fn export_refuses_to_overwrite_its_input() {
    let dir = Dir::new();
    dir.fixture("sites.csv");
    dir.run(&[
        "import",
        "sites.csv",
        "-o",
        "sites.geojson",
        "--allow-skips",
    ])
    .ok();
    dir.run(&[
        "export",
        "--to",
        "geojson",
        "--input",
        "sites.geojson",
        "-o",
        "sites.geojson",
    ])
    .expect_code(2)
    .stderr_has("refusing to overwrite an input file");
}

// ---------------------------------------------------------------- --gazetteer

#[test]
fn gazetteer_adds_places_that_locate_finds() {
    let dir = Dir::new();
    dir.fixture("places_geonames.tsv");
    dir.fixture("places.geojson");
    let without = dir.run(&["locate", "Ксилотепа", "--format", "json"]);
    assert_ne!(without.json()["best"]["id"], "geonames:9990001");
    let with = dir.run(&[
        "locate",
        "Ксилотепа",
        "--format",
        "json",
        "--gazetteer",
        "places_geonames.tsv",
    ]);
    let j = with.ok().json();
    assert_eq!(j["best"]["id"], "geonames:9990001");
    assert_eq!(j["best"]["name"], "Xylotepa");
    let j = dir
        .run(&[
            "locate",
            "Пелоркент",
            "--format",
            "json",
            "--gazetteer",
            "places_geonames.tsv",
            "--gazetteer",
            "places.geojson",
        ])
        .ok()
        .json();
    assert_eq!(j["best"]["id"], "fixture-hamlet");
    assert_eq!(j["best"]["uncertainty_m"], 1500.0);
}

#[test]
fn gazetteer_says_what_it_added_and_what_it_left_out() {
    // A GeoNames dump holds streams and mountains as well as villages: they are left out and
    // counted, by class and code, in the note on stderr.
    let dir = Dir::new();
    let row = |id: u32, name: &str, class: &str, code: &str| {
        format!(
            "{id}\t{name}\t{name}\t\t40.0800\t70.5500\t{class}\t{code}\tTJ\t\t05\t\t\t\t0\t\t1000\tAsia/Dushanbe\t2024-01-01\n"
        )
    };
    let text = [
        row(9990201, "Xylokum", "P", "PPL"),
        row(9990202, "Xylokum", "H", "STM"),
        row(9990203, "Kuhi Xylokum", "T", "MT"),
        row(9990204, "Kuhi Safed", "T", "MT"),
    ]
    .concat();
    dir.write("KG.txt", text);
    let run = dir.run(&[
        "locate",
        "Xylokum",
        "--format",
        "json",
        "--gazetteer",
        "KG.txt",
    ]);
    run.stderr_has(
        "note: KG.txt: 1 place: 1 new, 0 merged with places the gazetteer holds; 3 rows left out, \
         as no place an incident is reported at (rivers, mountains, countries, sites; \
         GeoNames class.code: H.STM 1, T.MT 2)",
    );
    let j = run.ok().json();
    assert_eq!(j["status"], "matched");
    assert_eq!(j["best"]["id"], "geonames:9990201");
    // the village's region and district, from the outlines that contain it
    assert_eq!(j["best"]["admin1"], "Sughd");
    assert_eq!(j["best"]["admin2"], "Isfara");
}

#[test]
fn gazetteer_bad_numbers_name_the_file_line_and_value() {
    let dir = Dir::new();
    let good = String::from_utf8(util::fixture_bytes("places_geonames.tsv")).unwrap();
    dir.write("bad.tsv", good.replace("\t40.1010\t", "\t40.1O10\t"));
    dir.run(&["locate", "Xylotepa", "--gazetteer", "bad.tsv"])
        .expect_code(1)
        .stderr_has("bad.tsv: line 3: column 5 (latitude): \"40.1O10\" is not a number");
    dir.write("bad.geojson", r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"name":"P","uncertainty_m":"wide"}}]}"#);
    dir.run(&["locate", "P", "--gazetteer", "bad.geojson"])
        .expect_code(1)
        .stderr_has("bad.geojson: feature 0 (id \"p\"): property \"uncertainty_m\": \"wide\" is not a number");
    // build and geocode take --gazetteer too.
    dir.run(&["build", "--out-dir", "out", "--gazetteer", "bad.tsv"])
        .expect_code(1)
        .stderr_has("bad.tsv: line 3");
}

/// A large import is written a block of rows at a time (8,192 rows per block): across block
/// boundaries the rows keep their order, a repeated id is found in an earlier block, bad
/// rows keep their line numbers, and the collection's `bbox` (written last) is the box of
/// every feature.
#[test]
fn a_large_import_is_streamed_in_row_order_across_blocks() {
    let dir = Dir::new();
    let mut csv = String::from("id,lat,lon,date\n");
    for i in 0..20_000u32 {
        let lat = 39.0 + f64::from(i % 1000) / 1000.0;
        let lon = 69.0 + f64::from(i / 1000) / 10.0;
        let id = match i {
            // The id of row 3 again, in the third block.
            17_000 => "r3".to_string(),
            _ => format!("r{i}"),
        };
        let lat = if i == 9_000 {
            "95".to_string()
        } else {
            lat.to_string()
        };
        csv.push_str(&format!("{id},{lat},{lon},2022-09-16\n"));
    }
    dir.write("big.csv", &csv);
    dir.run(&["import", "big.csv", "-o", "big.geojson", "--allow-skips"])
        .ok()
        .stdout_has("rows: 20000, imported: 19998")
        .stderr_has("line 9002")
        .stderr_has("line 17002");
    let fc = dir.geojson("big.geojson");
    let ids = feature_ids(&fc);
    let want: Vec<String> = (0..20_000u32)
        .filter(|i| *i != 9_000 && *i != 17_000)
        .map(|i| format!("r{i}"))
        .collect();
    assert_eq!(ids, want);
    let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for f in fc["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        (w, s, e, n) = (w.min(x), s.min(y), e.max(x), n.max(y));
    }
    assert_eq!(fc["bbox"], serde_json::json!([w, s, e, n]));
    let text = dir.read_string("big.geojson");
    assert!(
        text.ends_with(&format!("],\"bbox\":{}}}\n", fc["bbox"])),
        "bbox last"
    );
}

#[test]
fn an_import_refused_as_a_whole_writes_nothing_even_to_stdout() {
    let dir = Dir::new();
    dir.write("nothing.csv", "name,notes\na,b\n");
    let run = dir.run(&["import", "nothing.csv", "-o", "-"]);
    run.expect_code(2).stderr_has("no latitude column");
    assert_eq!(run.stdout_str(), "", "nothing on stdout");
}

/// `import` takes a URL: the file is downloaded whole with one plain GET (from a server that
/// ignores ranges, as export APIs do) and imported as the same file on disk is; a missing
/// file and one over the size limit are errors naming the URL.
#[test]
fn import_reads_a_url_as_it_reads_the_file() {
    let dir = Dir::new();
    dir.fixture("acled_sample.csv");
    dir.run(&["import", "acled_sample.csv", "-o", "local.geojson"])
        .expect_code(0);
    let server = util::http::Server::start();
    server.ignore_ranges(true);
    let url = server.put("acled_sample.csv", util::fixture_bytes("acled_sample.csv"));
    dir.run(&["import", &url, "-o", "remote.geojson"])
        .expect_code(0)
        .stderr_has(&format!(
            "note: {url}: downloaded {} bytes",
            util::fixture_bytes("acled_sample.csv").len()
        ));
    assert_eq!(dir.read("remote.geojson"), dir.read("local.geojson"));
    assert_eq!(server.take_counts().0, 1, "one request");
    let missing = format!("{}/missing.csv", server.base);
    dir.run(&["import", &missing, "-o", "missing.geojson"])
        .expect_code(1)
        .stderr_has(&format!("{missing}: HTTP 404 Not Found"));
    let big = server.put("big.csv", vec![b'x'; (1 << 20) + 1]);
    dir.run(&["import", &big, "--max-input-mb", "1", "-o", "big.geojson"])
        .expect_code(1)
        .stderr_has("bytes, over the 1048576-byte limit; pass --max-input-mb");
    assert!(!dir.join("missing.geojson").exists() && !dir.join("big.geojson").exists());
    // sent gzip-compressed: the same file, and the note gives both sizes; a corrupt stream, an
    // encoding not asked for, or more than the limit once decompressed is an error, at once
    let csv = util::fixture_bytes("acled_sample.csv");
    let gzip = |bytes: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut e, bytes).unwrap();
        e.finish().unwrap()
    };
    let packed = gzip(&csv);
    server.content_encoding(Some("gzip"));
    let url = server.put("packed.csv", packed.clone());
    dir.run(&["import", &url, "-o", "packed.geojson"])
        .expect_code(0)
        .stderr_has(&format!(
            "note: {url}: downloaded {} bytes ({} gzip-compressed)",
            csv.len(),
            packed.len()
        ));
    assert_eq!(dir.read("packed.geojson"), dir.read("local.geojson"));
    server.take_counts();
    let corrupt = server.put("corrupt.csv", csv.clone());
    let bomb = server.put("bomb.csv", gzip(&vec![b'x'; 4 << 20]));
    for (url, limit, message) in [
        (
            &corrupt,
            "64",
            "reading the answer (gzip-compressed) failed: ",
        ),
        (
            &bomb,
            "1",
            "bytes, over the 1048576-byte limit; pass --max-input-mb",
        ),
    ] {
        dir.run(&["import", url, "--max-input-mb", limit, "-o", "bad.geojson"])
            .expect_code(1)
            .stderr_has(&format!("{url}: "))
            .stderr_has(message);
        assert_eq!(server.take_counts().0, 1, "{url}: asked once");
    }
    server.content_encoding(Some("br"));
    dir.run(&["import", &url, "-o", "bad.geojson"])
        .expect_code(1)
        .stderr_has(&format!(
            "{url}: the server sent the file in the encoding \"br\", which was not asked for"
        ));
    assert!(!dir.join("bad.geojson").exists());
    server.content_encoding(None);
    // and from nginx, a real web server (where it is installed; CI installs it)
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("nginx")).unwrap();
    std::fs::copy(dir.join("acled_sample.csv"), dir.join("www/acled.csv")).unwrap();
    let Some(nginx) = util::nginx::Nginx::start(&dir.join("www"), &dir.join("nginx"), 3) else {
        return;
    };
    let url = format!("{}/acled.csv", nginx.base);
    let run = dir.run(&["import", &url, "-o", "nginx.geojson"]);
    run.expect_code(0);
    assert_eq!(dir.read("nginx.geojson"), dir.read("local.geojson"));
    // nginx compressed the file, as sites do for a client that accepts gzip
    let log = nginx.take_log();
    let len = util::fixture_bytes("acled_sample.csv").len();
    assert!(
        log.len() == 1 && log[0].status == 200 && (log[0].body_bytes as usize) < len / 2,
        "{log:?} of {len}"
    );
    // the note counts the compressed bytes; nginx's count adds the framing of the chunked
    // transfer (a few bytes a chunk)
    let note = format!("note: {url}: downloaded {len} bytes (");
    let sent: u64 = run.stderr[run.stderr.find(&note).expect(&run.stderr) + note.len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect(&run.stderr);
    assert!(
        sent <= log[0].body_bytes && log[0].body_bytes - sent < 64,
        "{sent} {log:?}"
    );
    run.stderr_has(&format!("({sent} gzip-compressed)"));
}
