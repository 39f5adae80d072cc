//! Silent losses: every value either arrives in the output or is reported with its file,
//! line or feature, column or key, and the value.

use super::{Case, fc};

#[test]
fn property_value_serde_cannot_hold_is_named_not_emptied() {
    let c = Case::new();
    for (value, shown) in [("1e400", "1e400"), (r#""\ud800""#, r#"\ud800"#)] {
        let feature = format!(
            r#"{{"type":"Feature","id":"a","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{"title":"Vorukh","x":{value}}}}}"#
        );
        c.file("in.geojson", fc(&feature));
        let r = c.run(&[
            "export",
            "--to",
            "geojson",
            "--input",
            "in.geojson",
            "-o",
            "out.geojson",
        ]);
        assert_eq!(r.code, 1, "{value}: {}", r.stderr);
        for needle in [
            "in.geojson",
            "feature 0 (id \"a\")",
            "property \"x\"",
            shown,
        ] {
            assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
        }
        assert!(!c.path("out.geojson").exists(), "no output on failure");
    }
    // Exponents and escapes that do fit are read as before.
    let ok = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"title":"Vor\u00fckh","x":1e5}}"#;
    c.file("in.geojson", fc(ok));
    let r = c.run(&[
        "export",
        "--to",
        "geojson",
        "--input",
        "in.geojson",
        "-o",
        "out.geojson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(c.path("out.geojson")).unwrap();
    assert!(out.contains("Vorükh") && out.contains("100000"), "{out}");
}

/// The ACLED sample with its first record's `col` (0-based) set to `value`.
fn acled_with(col: usize, value: &str) -> Vec<u8> {
    let text = std::fs::read(super::fixture("acled_sample.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(reader.headers().unwrap()).unwrap();
    for (i, rec) in reader.records().enumerate() {
        let mut cells: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        if i == 0 {
            cells[col] = value.to_string();
        }
        writer.write_record(&cells).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn acled_figures_and_precisions_out_of_range_are_reported_and_kept() {
    let c = Case::new();
    // Columns of the sample: 3 time_precision, 24 geo_precision, 28 fatalities.
    for (col, value, name) in [
        (28, "-4", "fatalities"),
        (28, "4294967296", "fatalities"),
        (3, "7", "time_precision"),
        (24, "9", "geo_precision"),
    ] {
        c.file("acled.csv", acled_with(col, value));
        let r = c.run(&["import", "acled.csv", "-o", "out.geojson"]);
        assert_eq!(r.code, 0, "{value}: {}", r.stderr);
        let needle = format!("acled.csv: line 2: column {name}: \"{value}\"");
        assert!(r.stderr.contains(&needle), "{needle}: {}", r.stderr);
        let out = std::fs::read_to_string(c.path("out.geojson")).unwrap();
        assert!(
            out.contains(&format!("\"src_{name}\":\"{value}\"")),
            "{out}"
        );
    }
}

#[test]
fn claims_json_that_cannot_be_read_is_reported_and_kept() {
    let c = Case::new();
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for bad in ["[{\"claimant\":", deep.as_str()] {
        let quoted = bad.replace('"', "\"\"");
        c.file(
            "c.csv",
            format!("id,lat,lon,date,claims_json\na,39.9,70.6,2022-09-16,\"{quoted}\"\n"),
        );
        let r = c.run(&["import", "c.csv", "-o", "out.geojson"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("c.csv: line 2: column claims_json:"),
            "{}",
            r.stderr
        );
        let out = std::fs::read_to_string(c.path("out.geojson")).unwrap();
        assert!(out.contains("\"src_claims_json\":"), "{out}");
    }
}

#[test]
fn csv_header_repeated_too_wide_or_row_too_long_is_refused() {
    let c = Case::new();
    let cases = [
        (
            "id,lat,lon,date,note,Note\na,39.9,70.6,2022-09-16,x,y\n".to_string(),
            "line 1: column 6 \"Note\" repeats the name of column 5",
        ),
        (
            "id,lat,lon,date\na,39.9,70.6,2022-09-16,lost value\n".to_string(),
            "line 2: 5 fields, but the header has 4 columns; the extra value \"lost value\"",
        ),
        (
            format!("id,lat,lon,date{}\n", ",c".repeat(3000)),
            "line 1: the header has 3004 columns; the limit is 2000",
        ),
    ];
    for (text, message) in cases {
        c.file("t.csv", text);
        let r = c.run(&["import", "t.csv", "-o", "out.geojson"]);
        assert_eq!(r.code, 1, "{message}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("t.csv: {message}")),
            "{}",
            r.stderr
        );
        assert!(!c.path("out.geojson").exists());
    }
}

#[test]
fn csv_export_defuses_formulas() {
    let c = Case::new();
    let titles = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "-1+1",
        "\t=1+1",
    ];
    let features: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = serde_json::to_string(t).unwrap();
            format!(
                r#"{{"type":"Feature","id":"f{i}","geometry":{{"type":"Point","coordinates":[-70.6,-39.9]}},"properties":{{"title":{t}}}}}"#
            )
        })
        .collect();
    c.file("in.geojson", fc(&features.join(",")));
    let r = c.run(&[
        "export",
        "--to",
        "csv",
        "--input",
        "in.geojson",
        "-o",
        "out.csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(c.path("out.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let title = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "title")
        .unwrap();
    for (rec, t) in reader.records().zip(titles) {
        let rec = rec.unwrap();
        assert_eq!(&rec[title], format!("'{t}"), "{out}");
        assert_eq!(&rec[1], "-39.9", "numbers stay numbers");
    }
}

/// The query answers in CSV, one point and a batch (with and without the index), defuse
/// incident ids and query ids as `export` defuses titles: the batch writes its rows by hand.
#[test]
fn query_csv_defuses_formulas_in_ids() {
    let c = Case::new();
    let risky = [
        "=HYPERLINK(\"http://x\",\"a,b\")",
        "+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "-2+3",
    ];
    let features: Vec<String> = risky
        .iter()
        .chain(&["-7"])
        .enumerate()
        .map(|(i, id)| {
            let id = serde_json::to_string(id).unwrap();
            let lon = 70.5 + 0.01 * i as f64;
            format!(
                r#"{{"type":"Feature","id":{id},"geometry":{{"type":"Point","coordinates":[{lon},39.9]}},"properties":{{}}}}"#
            )
        })
        .collect();
    c.file("in.geojson", fc(&features.join(",")));
    c.file("q.csv", "id,lat,lon\n@SUM(A1),39.9,70.5\n-1,39.9,70.5\n");
    let safe = |cell: &str| {
        if risky.contains(&cell) {
            format!("'{cell}")
        } else {
            cell.to_string()
        }
    };
    let column = |file: &str, name: &str| -> Vec<String> {
        let text = std::fs::read_to_string(c.path(file)).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == name)
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap()[at].to_string())
            .collect()
    };
    let near = ["near", "--input", "in.geojson", "--radius-km", "10"];
    let r = c.run(
        &[
            &near[..],
            &[
                "--lat", "39.9", "--lon", "70.5", "--format", "csv", "-o", "one.csv",
            ],
        ]
        .concat(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let want: Vec<String> = risky.iter().chain(&["-7"]).map(|id| safe(id)).collect();
    assert_eq!(column("one.csv", "id"), want);
    for indexed in [false, true] {
        if indexed {
            let r = c.run(&["index", "in.geojson"]);
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        let r = c.run(&[&near[..], &["--queries", "q.csv", "-o", "batch.csv"]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(
            column("batch.csv", "incident_id"),
            [want.clone(), want.clone()].concat()
        );
        let queries = column("batch.csv", "query_id");
        assert_eq!(queries[0], "'@SUM(A1)", "indexed: {indexed}");
        assert_eq!(queries[5], "-1", "a number stays a number");
    }
}

#[test]
fn merge_ids_stay_unique_when_an_input_id_looks_prefixed() {
    let c = Case::new();
    let f = |id: &str| {
        format!(
            r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{}}}}"#
        )
    };
    c.file("a.geojson", fc(&[f("x"), f("b.geojson:x")].join(",")));
    c.file("b.geojson", fc(&f("x")));
    let r = c.run(&["merge", "a.geojson", "b.geojson", "-o", "m.geojson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = c.run(&[
        "near",
        "--input",
        "m.geojson",
        "--lat",
        "39.9",
        "--lon",
        "70.6",
        "--nearest",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "the merged file is readable: {}", r.stderr);
    let m = std::fs::read_to_string(c.path("m.geojson")).unwrap();
    assert!(m.contains("\"b.geojson:x~2\""), "{m}");
}

#[test]
fn repeated_property_key_is_refused_not_resolved_silently() {
    let c = Case::new();
    let feature = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"title":"Vorukh","fatalities_best":3,"fatalities_best":30}}"#;
    c.file("in.geojson", fc(feature));
    let r = c.run(&[
        "export",
        "--to",
        "geojson",
        "--input",
        "in.geojson",
        "-o",
        "out.geojson",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for needle in [
        "in.geojson",
        "feature 0 (id \"a\")",
        "\"fatalities_best\"",
        "more than once",
    ] {
        assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
    }
    assert!(!c.path("out.geojson").exists(), "no output on failure");
    // The same key inside a nested object, or in two features, is no repetition.
    let nested = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"title":"x","a":{"title":"y"}}}"#;
    c.file("in.geojson", fc(nested));
    let r = c.run(&[
        "export",
        "--to",
        "geojson",
        "--input",
        "in.geojson",
        "-o",
        "out.geojson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A JSON array of records is held to the same rule, with the record named.
    c.file(
        "sites.json",
        r#"[{"lat":39.9,"lon":70.6,"date":"2022-09-16"},{"lat":39.9,"lon":70.6,"date":"2022-09-16","lat":40.5}]"#,
    );
    let r = c.run(&["import", "sites.json", "-o", "sites.geojson"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for needle in ["sites.json", "record 1", "\"lat\"", "more than once"] {
        assert!(r.stderr.contains(needle), "{needle}: {}", r.stderr);
    }
    assert!(!c.path("sites.geojson").exists(), "no output on failure");
}

#[test]
fn bearing_just_west_of_north_is_written_0_not_360() {
    let c = Case::new();
    // The incident lies 11 km north and 0.1 mm west of the query point: 359.99999…°.
    let feature = r#"{"type":"Feature","id":"n","geometry":{"type":"Point","coordinates":[70.4999999999,40.1]},"properties":{"title":"north"}}"#;
    c.file("in.geojson", fc(feature));
    let base = [
        "near",
        "--input",
        "in.geojson",
        "--lat",
        "40",
        "--lon",
        "70.5",
        "--nearest",
        "1",
    ];
    let table = c.run(&base);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("    0.0  n"), "{}", table.stdout);
    for format in ["csv", "json", "geojson"] {
        let r = c.run(&[&base[..], &["--format", format]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.contains("360"), "{format}: {}", r.stdout);
    }
    c.file("q.csv", "id,lat,lon,k\nq,40,70.5,1\n");
    let r = c.run(&["near", "--input", "in.geojson", "--queries", "q.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.ends_with(",0\n") && !r.stdout.contains("360"),
        "{}",
        r.stdout
    );
}

#[test]
fn bbox_of_points_across_the_antimeridian_is_the_narrow_one() {
    let c = Case::new();
    let at = |id: &str, lon: f64| {
        format!(
            r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[{lon},1]}},"properties":{{}}}}"#
        )
    };
    c.file(
        "in.geojson",
        fc(&format!("{},{}", at("e", 179.5), at("w", -179.5))),
    );
    let r = c.run(&[
        "export",
        "--to",
        "geojson",
        "--input",
        "in.geojson",
        "-o",
        "out.geojson",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(c.path("out.geojson")).unwrap();
    assert!(out.contains(r#""bbox":[179.5,1.0,-179.5,1.0]"#), "{out}");
    // A query box given west > east crosses the antimeridian too.
    let r = c.run(&[
        "within",
        "--input",
        "in.geojson",
        "--bbox",
        "179,0,-179,2",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
}

#[test]
fn gazetteer_figures_out_of_range_are_refused_not_replaced() {
    let c = Case::new();
    let place = |props: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","geometry":{{"type":"Point","coordinates":[70.6,39.9]}},"properties":{{"name":"Xylotepa",{props}}}}}]}}"#
        )
    };
    for (props, shown) in [
        (r#""uncertainty_m":-3363"#, "-3363"),
        (r#""uncertainty_m":0"#, "0"),
        (r#""population":-5"#, "-5"),
        (r#""population":2.5"#, "2.5"),
    ] {
        c.file("g.geojson", place(props));
        let r = c.run(&["locate", "Xylotepa", "--gazetteer", "g.geojson"]);
        assert_eq!(r.code, 1, "{props}: {}", r.stderr);
        for needle in ["g.geojson", "feature 0", shown] {
            assert!(r.stderr.contains(needle), "{props}: {needle}: {}", r.stderr);
        }
    }
    c.file(
        "g.geojson",
        place(r#""uncertainty_m":1500,"population":1200"#),
    );
    let r = c.run(&["locate", "Xylotepa", "--gazetteer", "g.geojson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn spreadsheet_with_an_overlong_cell_reference_is_refused() {
    // Found by the sheet_import fuzz target: column letters too long for a cell reference.
    let c = Case::new();
    let bytes = std::fs::read(super::fixture("xlsx_overlong_column.xlsx")).unwrap();
    c.file("c.xlsx", bytes);
    let r = c.run(&["import", "c.xlsx", "-o", "c.geojson"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("c.xlsx") && r.stderr.contains("sheet"),
        "{}",
        r.stderr
    );
    assert!(!c.path("c.geojson").exists(), "no output on failure");
}
