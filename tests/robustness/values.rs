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
