//! Real files in, unedited, with the real binary: Bellingcat's dataset of the September 2022
//! damage (an excerpt, CSV and JSON, and its place labels looked up), ACLED exports as people have them (re-saved by Excel,
//! `20201231` dates), UCDP GED with HDX's HXL row, `;`-separated files with decimal commas,
//! tab-separated files, `.xlsx` and `.ods`; undated records through every command; the
//! border side told with the country that administers the place; merge links with reasons;
//! GeoPackage out. Where each fixture comes from is in `tests/fixtures/README.md`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use serde_json::Value;
use util::{Dir, feature, feature_ids};

fn props<'a>(fc: &'a Value, id: &str) -> &'a Value {
    &feature(fc, id)["properties"]
}

// ---------------------------------------------------------------- Bellingcat

#[test]
fn bellingcat_sites_import_undated_with_their_roles() {
    let dir = Dir::new();
    dir.fixture("bellingcat_tj_kg_sites.csv");
    let run = dir.run(&["import", "bellingcat_tj_kg_sites.csv", "-o", "b.geojson"]);
    run.ok()
        .stdout_has("rows: 14, imported: 14")
        .stdout_has("undated: 14")
        .stdout_has("description_en, description_ru → description")
        .stdout_has("link1, link2, link3 → sources (links)")
        .stdout_has("impact → category")
        .stderr_has("no date column: the 14 records are undated")
        // Bellingcat's tkid repeats (298 twice, as in the source): not an id.
        .stderr_has("column tkid is not unique (1 repeated values), so it is not the id");
    assert_eq!(run.stderr.matches("no date column").count(), 1);
    let fc = dir.geojson("b.geojson");
    assert_eq!(feature_ids(&fc).len(), 14);
    let p = props(&fc, "bellingcat_tj_kg_sites-3");
    assert_eq!(p["date_start"], Value::Null);
    assert_eq!(p["date_end"], Value::Null);
    assert_eq!(p["date_precision"], "unknown");
    // Both languages kept.
    assert_eq!(p["notes"], "en: Kindergarten | ru: Детский сад");
    assert_eq!(
        p["source_urls"],
        "https://youtu.be/vBazRrT6tnQ?t=131 https://t.me/batken1/1392?single https://youtu.be/JvugPEjieZU?t=570"
    );
    assert_eq!(p["src_impact"], "civinfra");
    assert_eq!(p["src_tkid"], "2");
    assert_eq!(p["src_link2Time"], "43.0");
    assert!(p.get("src_description_en").is_none(), "{p}");
    // Without a title or description, the category and the place.
    assert_eq!(
        props(&fc, "bellingcat_tj_kg_sites-4")["title"],
        "privateprop at dostuk"
    );

    // --date dates every row.
    dir.run(&[
        "import",
        "bellingcat_tj_kg_sites.csv",
        "-o",
        "d.geojson",
        "--date",
        "2022-09-14/2022-09-17",
    ])
    .ok()
    .stdout_has("imported: 14");
    let fc = dir.geojson("d.geojson");
    let p = props(&fc, "bellingcat_tj_kg_sites-2");
    assert_eq!(
        (&p["date_start"], &p["date_end"], &p["date_precision"]),
        (
            &Value::from("2022-09-14"),
            &Value::from("2022-09-17"),
            &Value::from("range")
        )
    );
    dir.run(&[
        "import",
        "bellingcat_tj_kg_sites.csv",
        "--date",
        "2022-09-31",
    ])
    .expect_code(2)
    .stderr_has("2022-09-31");
}

/// Kilometres between two (lat, lon) points, geodesic.
fn km(a: LatLon, b: LatLon) -> f64 {
    use geo::{Distance, Geodesic, Point};
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

/// A (lat, lon) pair.
type LatLon = (f64, f64);

/// A lookup's answer: its status, where its best place is, and where every candidate is.
fn located(run: &util::Run) -> (String, Option<LatLon>, Vec<LatLon>) {
    let v = run.json();
    let at = |c: &Value| (c["lat"].as_f64().unwrap(), c["lon"].as_f64().unwrap());
    let best = v.get("best").filter(|b| !b.is_null()).map(at);
    let all = v["candidates"].as_array().unwrap().iter().map(at).collect();
    (v["status"].as_str().unwrap().to_string(), best, all)
}

#[test]
fn bellingcat_place_labels_are_found_where_its_sites_are() {
    // The 16 place labels of Bellingcat's 398 sites, each with the median position of its
    // sites (tests/fixtures/README.md), looked up as written ("kapchygai", "international").
    // With no context, a label is matched near its sites or ambiguous with them among the
    // candidates, never matched elsewhere or not found. With the region of the fighting,
    // each Kyrgyz village is matched there; the Tajik ones are not in Batken region.
    let dir = Dir::new();
    let text = String::from_utf8(util::fixture_bytes("bellingcat_place_labels.csv")).unwrap();
    let tajik = ["chorkishlok", "lakkon", "ovchi-kalacha", "vorukh"];
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (label, at) = (f[0], (f[2].parse().unwrap(), f[3].parse().unwrap()));
        let (status, best, all) = located(&dir.run(&["locate", label, "--format", "json"]));
        match status.as_str() {
            // "vorukh" is the village; Bellingcat's one site of that label lies 5.5 km
            // from it, outside the enclave's outline.
            "matched" => assert!(km(best.unwrap(), at) < 6.0, "{label}: {best:?}"),
            "ambiguous" => assert!(all.iter().any(|c| km(*c, at) < 3.0), "{label}: {all:?}"),
            s => panic!("{label}: {s}"),
        }
        let batken = dir.run(&["locate", label, "--admin1", "Batken", "--format", "json"]);
        let (status, best, all) = located(&batken);
        if tajik.contains(&label) {
            assert_eq!(status, "not_found", "{label}");
        } else if label == "kok-tash" {
            // Two villages of Batken region bear the name; the sites' one is listed.
            assert_eq!(status, "ambiguous");
            assert!(all.iter().any(|c| km(*c, at) < 3.0), "{label}: {all:?}");
        } else {
            assert_eq!(status, "matched", "{label}");
            assert!(km(best.unwrap(), at) < 3.0, "{label}: {best:?}");
        }
    }
}

#[test]
fn the_border_side_is_told_with_the_administering_country() {
    let dir = Dir::new();
    dir.fixture("bellingcat_tj_kg_sites.csv");
    dir.run(&[
        "import",
        "bellingcat_tj_kg_sites.csv",
        "-o",
        "b.geojson",
        "--date",
        "2022-09-16",
    ])
    .ok();
    let fc = dir.geojson("b.geojson");
    // Sites in the Kyrgyz villages Dostuk, Maksat, Min-Oruk and Arka: beyond the reference
    // line. (Line numbers of the excerpt: see tests/fixtures/README.md.)
    for (line, village) in [(2, "Dostuk"), (5, "Maksat"), (9, "Min-Oruk"), (11, "Arka")] {
        let id = format!("bellingcat_tj_kg_sites-{line}");
        let id = id.as_str();
        let p = props(&fc, id);
        assert_eq!(p["border_side"], "TJ", "{id}: {p}");
        assert_eq!(p["admin_country"], "KG", "{id}: {p}");
        assert_eq!(p["nearest_place"], village, "{id}: {p}");
        assert!(p["nearest_place_m"].as_f64().unwrap() <= 3000.0);
        assert_eq!(p["side_agrees"], false, "{id}: {p}");
    }
    // A site in the Tajik village Chorkishlok: the two agree.
    let p = props(&fc, "bellingcat_tj_kg_sites-7");
    assert_eq!(
        (&p["border_side"], &p["admin_country"], &p["side_agrees"]),
        (&Value::from("TJ"), &Value::from("TJ"), &Value::from(true))
    );
    // The shipped Dostuk record: the border post of a Kyrgyz village beyond the line.
    let shipped: Value = serde_json::from_str(
        &std::fs::read_to_string(util::root().join("output/incidents.geojson")).unwrap(),
    )
    .unwrap();
    let dostuk = shipped["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["geo_place_id"] == "bm-dostuk-post")
        .expect("a shipped incident at the Dostuk post");
    let p = &dostuk["properties"];
    assert_eq!(
        (&p["border_side"], &p["admin_country"], &p["side_agrees"]),
        (&Value::from("TJ"), &Value::from("KG"), &Value::from(false))
    );
    // Records placed only at a district or region have no side, so no agreement either.
    for f in shipped["features"].as_array().unwrap() {
        let p = &f["properties"];
        if p["geo_precision"] == 3 && p["border_side"].is_null() {
            assert!(p["side_agrees"].is_null(), "{p}");
        }
    }
    // Maps and the page say so in words.
    dir.run(&["html", "--input", "b.geojson", "-o", "b.html"])
        .ok();
    let html = dir.read_string("b.html");
    assert!(
        html.contains("beyond the reference line"),
        "the page's script words it"
    );
    dir.run(&[
        "render",
        "--input",
        "b.geojson",
        "-o",
        "b.svg",
        "--bbox",
        "69.5,39.8,71,40.4",
    ])
    .ok();
    let svg = dir.read_string("b.svg");
    assert!(
        svg.contains("Kyrgyz settlement beyond the reference line (on its Tajik side)"),
        "tooltips"
    );
}

#[test]
fn the_json_twin_imports_like_the_csv() {
    let dir = Dir::new();
    dir.fixture("bellingcat_tj_kg_sites.json");
    dir.run(&["import", "bellingcat_tj_kg_sites.json", "-o", "j.geojson"])
        .ok()
        .stdout_has("json (detected) rows: 3, imported: 3")
        .stdout_has("read as JSON records")
        .stdout_has("links → sources (links)")
        .stdout_has("tkid → id")
        .stderr_has("no date column: the 3 records are undated");
    let fc = dir.geojson("j.geojson");
    assert_eq!(feature_ids(&fc), ["298", "309", "1"]);
    assert_eq!(props(&fc, "1")["notes"], "en: School | ru: Школа");
    assert_eq!(props(&fc, "1")["side_agrees"], false);
    let p = props(&fc, "309");
    assert_eq!(p["location_reported"], "ak-sai");
    assert_eq!(p["source_urls"], "https://youtu.be/raWjX-jtYkU?t=677");
    // An array of records too; a bare value is refused with a clear message.
    dir.write(
        "a.json",
        r#"[{"lat": 39.85, "lon": 70.58, "date": "9 May 2020"}]"#,
    );
    dir.run(&["import", "a.json", "-o", "a.geojson"])
        .ok()
        .stdout_has("imported: 1");
    dir.write("bad.json", r#"[{"lat": 39.85, "lon": 70.58}, 7]"#);
    dir.run(&["import", "bad.json"])
        .expect_code(1)
        .stderr_has("record 1 is a number, not an object");
}

// ---------------------------------------------------------------- ACLED, UCDP

#[test]
fn acled_exports_as_people_have_them() {
    let dir = Dir::new();
    dir.fixture("acled_excel_resave.csv");
    // CRLF, 9-May-20 dates, a truncated last row.
    let run = dir.run(&["import", "acled_excel_resave.csv", "-o", "a.geojson"]);
    run.expect_code(1)
        .stdout_has("acled (detected) rows: 4, imported: 3")
        .stderr_has("skipped 1 row with an empty coordinate: line 5");
    let fc = dir.geojson("a.geojson");
    let p = props(&fc, "acled:KGZ9001");
    assert_eq!(p["date_start"], "2020-05-09");
    assert_eq!(
        p["notes"],
        "On 9 May 2020, Kyrgyz and Tajik border guards exchanged fire near Min-Oruk (Batken, Batken). No casualties."
    );
    assert!(
        p["sources"]
            .as_str()
            .unwrap()
            .starts_with("ACLED, coded from: 24.kg; AKIpress"),
        "{p}"
    );
    // 31-Dec-99: two-digit years 70–99 are 1970–1999; time_precision 2 widens to the week.
    assert_eq!(props(&fc, "acled:KGZ9003")["date_start"], "1999-12-28");

    dir.fixture("acled_yyyymmdd.csv");
    let run = dir.run(&["import", "acled_yyyymmdd.csv", "-o", "b.geojson"]);
    run.expect_code(1)
        .stdout_has("imported: 3")
        .stderr_has(r#"line 5: date "2020-13-01" is not a date"#);
    let fc = dir.geojson("b.geojson");
    let day = |id: &str| props(&fc, id)["date_start"].as_str().unwrap().to_string();
    assert_eq!(
        [
            day("acled:TJK9101"),
            day("acled:TJK9102"),
            day("acled:TJK9103")
        ],
        ["2020-12-31", "2020-05-09", "2020-05-09"]
    );
}

#[test]
fn ucdp_from_hdx_skips_the_hxl_row_and_claims_per_side() {
    let dir = Dir::new();
    dir.fixture("ucdp_ged_hdx.csv");
    dir.run(&["import", "ucdp_ged_hdx.csv", "-o", "u.geojson"])
        .ok()
        .stdout_has("ucdp (detected) rows: 2, imported: 2")
        .stdout_has("HXL hashtag row skipped (line 2)");
    let fc = dir.geojson("u.geojson");
    let p = props(&fc, "ucdp-ged:990001");
    let claims: Vec<Value> = serde_json::from_str(p["claims_json"].as_str().unwrap()).unwrap();
    let sides: Vec<(&str, u64)> = claims
        .iter()
        .filter(|c| c["claimant"] == "UCDP GED (deaths per side)")
        .map(|c| {
            (
                c["victims"].as_str().unwrap(),
                c["killed"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(sides, [("KG", 4), ("TJ", 2)]);
    assert_eq!(p["fatalities_best"], 6);
    assert_eq!(p["src_best"], "7");
}

// ---------------------------------------------------------------- delimiters, sheets

#[test]
fn semicolons_decimal_commas_sep_line_and_tabs() {
    let dir = Dir::new();
    dir.fixture("sites_semicolon.csv");
    dir.run(&["import", "sites_semicolon.csv", "-o", "s.geojson"])
        .ok()
        .stdout_has("';'-separated (sep= line), decimal commas accepted")
        .stderr_has("1 record with an empty date is undated")
        .stderr_has("undated (date_precision unknown): line 5");
    let fc = dir.geojson("s.geojson");
    // Line numbers count the sep= line; the ids are the file's own lines.
    assert_eq!(
        feature_ids(&fc),
        [
            "sites_semicolon-3",
            "sites_semicolon-4",
            "sites_semicolon-5"
        ]
    );
    let f = &fc["features"][0];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([70.58012, 39.85125])
    );
    assert_eq!(f["properties"]["date_start"], "2022-09-16");
    assert_eq!(f["properties"]["notes"], "Fire at the checkpoint; two hurt");
    assert_eq!(props(&fc, "sites_semicolon-4")["date_start"], "2022-09-17");
    assert_eq!(props(&fc, "sites_semicolon-5")["date_precision"], "unknown");

    dir.fixture("sites_tab.tsv");
    dir.run(&["import", "sites_tab.tsv", "-o", "t.geojson"])
        .ok()
        .stdout_has("tab-separated");
    let p = props(&dir.geojson("t.geojson"), "sites_tab-2").clone();
    assert_eq!(
        (p["date_end"].as_str(), p["date_precision"].as_str()),
        (Some("2022-09-17"), Some("range"))
    );
}

#[test]
fn crlf_gives_the_same_ids_and_lines_as_lf() {
    let dir = Dir::new();
    let lf = "name,lat,lon,date\na,39.85,70.58,2022-09-16\nb,,70.58,2022-09-16\nc,39.9,70.6,2022-09-17\n";
    dir.write("lf.csv", lf);
    dir.write("crlf.csv", lf.replace('\n', "\r\n"));
    let a = dir.run(&["import", "lf.csv", "-o", "lf.geojson"]);
    let b = dir.run(&["import", "crlf.csv", "-o", "crlf.geojson"]);
    a.stderr_has("line 3");
    b.stderr_has("line 3");
    let norm = |s: String, stem: &str| s.replace(stem, "X");
    assert_eq!(
        norm(dir.read_string("lf.geojson"), "lf"),
        norm(dir.read_string("crlf.geojson"), "crlf")
    );
}

#[test]
fn ambiguous_day_first_dates_need_a_date_format() {
    let dir = Dir::new();
    dir.write(
        "d.csv",
        "lat,lon,date\n39.85,70.58,09/05/2020\n39.85,70.58,10/05/2020\n",
    );
    dir.run(&["import", "d.csv", "-o", "x.geojson"])
        .expect_code(1)
        .stderr_has(r#"line 2: date "09/05/2020" is ambiguous (9 May or 5 September 2020); give --date-format dmy or mdy"#);
    dir.run(&["import", "d.csv", "-o", "x.geojson", "--date-format", "mdy"])
        .ok();
    assert_eq!(
        props(&dir.geojson("x.geojson"), "d-2")["date_start"],
        "2020-09-05"
    );
    // One value that only fits day first decides the column.
    dir.write(
        "e.csv",
        "lat,lon,date\n39.85,70.58,09/05/2020\n39.85,70.58,25/05/2020\n",
    );
    dir.run(&["import", "e.csv", "-o", "y.geojson"]).ok();
    assert_eq!(
        props(&dir.geojson("y.geojson"), "e-2")["date_start"],
        "2020-05-09"
    );
}

#[test]
fn spreadsheets_are_read_with_their_dates() {
    let dir = Dir::new();
    dir.fixture("spreadsheet_incidents.xlsx");
    dir.run(&["import", "spreadsheet_incidents.xlsx"])
        .expect_code(2)
        .stderr_has("the first of 2: About, Incidents")
        .stderr_has("--sheet");
    dir.run(&["import", "spreadsheet_incidents.xlsx", "--sheet", "Nope"])
        .expect_code(2)
        .stderr_has("the sheets are: About, Incidents");
    let run = dir.run(&[
        "import",
        "spreadsheet_incidents.xlsx",
        "--sheet",
        "Incidents",
        "-o",
        "x.geojson",
    ]);
    run.expect_code(1)
        .stdout_has(r#"xlsx sheet "Incidents", HXL hashtag row skipped (line 2)"#)
        .stdout_has("imported: 3")
        .stderr_has(r##"line 6: latitude "#N/A" is not a number"##)
        .stderr_has("1 record with an empty date is undated");
    let fc = dir.geojson("x.geojson");
    let p = props(&fc, "x1");
    assert_eq!(
        (&p["date_start"], &p["event_type"]),
        (&Value::from("2022-09-16"), &Value::from("shelling"))
    );
    assert_eq!(p["src_fatalities"], "2");
    assert_eq!(props(&fc, "x2")["date_start"], "2022-09-14");
    assert_eq!(props(&fc, "x2")["event_type"], "armed_clash");
    assert_eq!(props(&fc, "x3")["event_type"], "other");

    dir.fixture("spreadsheet_sites.ods");
    dir.run(&["import", "spreadsheet_sites.ods", "-o", "o.geojson"])
        .ok()
        .stdout_has(r#"ods sheet "Sites""#)
        .stdout_has("imported: 2");
    let fc = dir.geojson("o.geojson");
    assert_eq!(
        props(&fc, "spreadsheet_sites-3")["event_type"],
        "drone_strike"
    );
    assert_eq!(
        props(&fc, "spreadsheet_sites-3")["date_start"],
        "2022-09-17"
    );
}

// ---------------------------------------------------------------- undated everywhere

#[test]
fn undated_records_work_in_every_command() {
    let dir = Dir::new();
    dir.fixture("sites_semicolon.csv");
    dir.run(&["import", "sites_semicolon.csv", "-o", "s.geojson"])
        .ok();
    dir.run(&[
        "near",
        "--input",
        "s.geojson",
        "--lat",
        "40.0523",
        "--lon",
        "70.6328",
        "--radius-km",
        "1",
        "--format",
        "csv",
    ])
    .ok()
    .stdout_has("sites_semicolon-5");
    // A date filter cannot keep a record without a date.
    let run = dir.run(&[
        "near",
        "--input",
        "s.geojson",
        "--lat",
        "40.0523",
        "--lon",
        "70.6328",
        "--radius-km",
        "1",
        "--from",
        "2022-01-01",
        "--format",
        "csv",
    ]);
    assert!(
        !run.stdout_str().contains("sites_semicolon-5"),
        "{}",
        run.stdout_str()
    );
    dir.run(&[
        "within",
        "--input",
        "s.geojson",
        "--bbox",
        "70,39,71,41",
        "--format",
        "csv",
    ])
    .ok()
    .stdout_has("sites_semicolon-5");
    dir.run(&["render", "--input", "s.geojson", "-o", "m.svg"])
        .ok();
    let svg = dir.read_string("m.svg");
    assert!(
        svg.contains("Not drawn, undated (1): sites_semicolon-5"),
        "the map's note"
    );
    assert!(!svg.contains("1970"), "no placeholder date on the map");
    dir.run(&["html", "--input", "s.geojson", "-o", "m.html"])
        .ok();
    assert!(dir.read_string("m.html").contains(r#""sd":null"#));
    for to in ["csv", "kml", "fgb", "gpkg", "geojson"] {
        dir.run(&[
            "export",
            "--to",
            to,
            "--input",
            "s.geojson",
            "-o",
            &format!("out.{to}"),
        ])
        .ok();
    }
    let kml = dir.read_string("out.kml");
    assert_eq!(
        kml.matches("<TimeSpan>").count(),
        2,
        "the undated site has no time span"
    );
    assert!(kml.contains("undated (the source gives no date)"));
    // Imported back, an undated record stays undated.
    dir.run(&["import", "s.geojson", "-o", "back.geojson"]).ok();
    assert_eq!(
        props(&dir.geojson("back.geojson"), "sites_semicolon-5")["date_precision"],
        "unknown"
    );
}

// ---------------------------------------------------------------- merge

/// A GED-like and an ACLED-like file with known answers: one true pair per place, decoys
/// with other actors, and a month-long record with six events inside its month.
fn merge_inputs(dir: &Dir) {
    let ged = "id,lat,lon,date_start,date_end,event_type,actors\n\
               g1,39.8770,70.4961,2022-09-16,2022-09-16,armed_clash,Government of Kyrgyzstan; Government of Tajikistan\n\
               g2,40.0626,70.8194,2022-09-01,2022-09-30,armed_clash,Government of Kyrgyzstan; Government of Tajikistan\n\
               g3,40.1978,69.8881,2022-09-17,2022-09-17,shelling,Government of Kyrgyzstan; Government of Tajikistan\n";
    let mut acled = String::from(
        "id,lat,lon,date,event_type,actors\n\
         a1,39.8800,70.5000,2022-09-16,armed_clash,Military Forces of Kyrgyzstan (2017-); Military Forces of Tajikistan (1994-)\n\
         a2,39.8780,70.4970,2022-09-16,other,Rioters (Kyrgyzstan); Civilians (Tajikistan)\n\
         a9,40.0630,70.8190,2022-10-05,armed_clash,Military Forces of Kyrgyzstan (2017-)\n\
         a10,40.1980,69.8880,2022-09-17,shelling,Military Forces of Tajikistan (1994-); Civilians (Kyrgyzstan)\n",
    );
    for k in 3..=8 {
        acled.push_str(&format!(
            "a{k},{:.4},70.8194,2022-09-0{k},armed_clash,Military Forces of Kyrgyzstan (2017-); Military Forces of Tajikistan (1994-)\n",
            40.0626 + f64::from(k) * 0.002
        ));
    }
    dir.write("ged.csv", ged);
    dir.write("acled.csv", acled);
    dir.run(&["import", "ged.csv", "-o", "ged.geojson"]).ok();
    dir.run(&["import", "acled.csv", "-o", "acled.geojson"])
        .ok();
}

#[test]
fn merge_needs_compatible_actors_caps_long_records_and_says_why() {
    let dir = Dir::new();
    merge_inputs(&dir);
    dir.run(&["merge", "ged.geojson", "acled.geojson", "-o", "m.geojson"])
        .ok();
    let fc = dir.geojson("m.geojson");
    let linked = |id: &str| -> Vec<String> {
        let p = props(&fc, id);
        [
            p["duplicate_of"].as_str().unwrap(),
            p["duplicates"].as_str().unwrap(),
        ]
        .iter()
        .flat_map(|s| s.split("; "))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
    };
    assert_eq!(
        linked("g1"),
        ["a1"],
        "a2 is at the same place and day, but rioters and civilians"
    );
    assert_eq!(linked("g3"), ["a10"], "a10 shares the Tajik forces");
    assert!(linked("a2").is_empty() && linked("a9").is_empty());
    let g2 = linked("g2");
    assert_eq!(
        g2.len(),
        merge_cap(),
        "the month-long record gathers at most a handful: {g2:?}"
    );
    // Nearest first: a3, a4, a5 are the three nearest of a3..a8.
    assert_eq!(g2, ["a3", "a4", "a5"]);
    let reason = props(&fc, "g1")["link_reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.starts_with(
            "a1: 0.5 km, 0 days apart, actors state:KG + state:TJ, types armed_clash/armed_clash"
        ),
        "{reason}"
    );
    // Precision on this labelled set: every link is a true pair or one of the records the
    // month-long event could be.
    let truth = |a: &str, b: &str| {
        matches!((a, b), ("g1", "a1") | ("g3", "a10"))
            || (a == "g2" && ["a3", "a4", "a5", "a6", "a7", "a8"].contains(&b))
    };
    for id in ["g1", "g2", "g3"] {
        for other in linked(id) {
            assert!(truth(id, &other), "{id}–{other}");
        }
    }
}

fn merge_cap() -> usize {
    bordermap::merge::MAX_LINKS
}

// ---------------------------------------------------------------- GeoPackage

#[test]
fn geopackage_has_typed_columns_three_layers_and_indexes() {
    let dir = Dir::new();
    dir.run(&["export", "--to", "gpkg", "-o", "i.gpkg"])
        .ok()
        .stdout_has("exported 25 incidents");
    let bytes = dir.read("i.gpkg");
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    // application_id 'GPKG' at offset 68 of the SQLite header.
    assert_eq!(&bytes[68..72], b"GPKG");
    // The same input gives the same bytes.
    dir.run(&["export", "--to", "gpkg", "-o", "j.gpkg"]).ok();
    assert_eq!(bytes, dir.read("j.gpkg"));
    let Ok(out) = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(dir.join("i.gpkg"))
        .output()
    else {
        eprintln!("ogrinfo is not installed: the GeoPackage was checked without GDAL");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("Warning") && !stderr.contains("ERROR"),
        "{stderr}"
    );
    for needle in [
        "Layer name: incidents",
        "Layer name: border",
        "Layer name: disputed_sections",
        "Feature Count: 25",
        "date_start: Date",
        "fatalities_best: Integer64",
        "geo_score: Real",
        "side_agrees: Integer(Boolean)",
    ] {
        assert!(
            stdout.contains(needle),
            "ogrinfo lacks {needle:?}:\n{stdout}"
        );
    }
}
