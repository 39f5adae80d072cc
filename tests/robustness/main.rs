//! The bad-input catalogue: every case runs the real binary and asserts the message (file,
//! line/column or feature, and the value), the exit code, no panic, and no output written.
//! Each test is named after the input it covers. The cases of the second round (devices and
//! inputs as outputs, streams and signals, silent losses, resource limits) are in the
//! modules below.

mod limits;
mod markup;
mod messages;
mod outputs;
mod streams;
mod values;

use std::path::PathBuf;
use std::process::Command;

struct Case {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Case {
    fn new() -> Self {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_bordermap"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        let r = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
        r
    }

    /// Runs `near` over a GeoJSON input, writing to out.json, and asserts the failure.
    fn bad_geojson(&self, text: impl AsRef<[u8]>, expect: &[&str]) {
        let input = self.file("in.geojson", text);
        let out = self.path("out.json");
        let r = self.run(&[
            "near",
            "--input",
            input.to_str().unwrap(),
            "--lat",
            "40",
            "--lon",
            "70.5",
            "--nearest",
            "1",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("in.geojson"),
            "names the file: {}",
            r.stderr
        );
        for e in expect {
            assert!(r.stderr.contains(e), "expected {e:?} in: {}", r.stderr);
        }
        assert!(!out.exists(), "no output on failure");
    }

    /// Runs `geocode` over an incidents TOML and asserts the failure.
    fn bad_toml(&self, text: impl AsRef<[u8]>, expect: &[&str]) {
        let input = self.file("in.toml", text);
        let out = self.path("out.geojson");
        let r = self.run(&[
            "geocode",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("in.toml"), "names the file: {}", r.stderr);
        for e in expect {
            assert!(r.stderr.contains(e), "expected {e:?} in: {}", r.stderr);
        }
        assert!(!out.exists(), "no output on failure");
    }
}

/// The path of a file in `tests/fixtures/`.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fc(features: &str) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
}

fn point(coords: &str) -> String {
    fc(&format!(
        r#"{{"type":"Feature","id":"a","geometry":{{"type":"Point","coordinates":{coords}}},"properties":{{}}}}"#
    ))
}

const TOML_HEAD: &str =
    "[[source]]\nid = \"s\"\npublication = \"P\"\ntitle = \"T\"\ndate = \"2022\"\n\n";

fn toml_incident(extra: &str) -> String {
    format!(
        "{TOML_HEAD}[[incident]]\nid = \"a\"\ntitle = \"t\"\ndate_start = \"2022-01-27\"\n\
         date_end = \"2022-01-27\"\ndate_precision = \"day\"\nevent_type = \"armed_clash\"\n\
         location = \"l\"\nplace = \"Vorukh\"\nsources = [\"s\"]\n{extra}"
    )
}

// ---- JSON syntax

#[test]
fn json_truncated() {
    Case::new().bad_geojson(&point("[70,40")[..60], &["in.geojson:1:", "EOF"]);
}

#[test]
fn json_trailing_comma() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","geometry":null,"properties":{}},"#),
        &["in.geojson:1:", "trailing comma"],
    );
}

#[test]
fn json_trailing_garbage() {
    Case::new().bad_geojson(format!("{} xyz", fc("")), &["trailing characters"]);
}

#[test]
fn json_empty_file() {
    Case::new().bad_geojson("", &["in.geojson:1:1", "empty"]);
}

#[test]
fn json_nesting_deeper_than_128() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let text = fc(&format!(
        r#"{{"type":"Feature","geometry":null,"properties":{{"a":{deep}}}}}"#
    ));
    Case::new().bad_geojson(
        text,
        &["feature 0", "nest 201 levels deep; the limit is 128"],
    );
}

// ---- GeoJSON types

#[test]
fn geojson_string_coordinates() {
    Case::new().bad_geojson(point(r#"["10","20"]"#), &["feature 0", r#"["10","20"]"#]);
}

#[test]
fn geojson_geometry_is_a_number() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","geometry":3.15,"properties":{}}"#),
        &[
            "feature 0",
            "geometry must be a GeoJSON geometry object",
            "3.15",
        ],
    );
}

#[test]
fn geojson_id_is_an_object() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","id":{},"geometry":null,"properties":{}}"#),
        &["feature 0", "id must be a string or a number, got {}"],
    );
}

#[test]
fn geojson_lowercase_point_type() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","geometry":{"type":"point","coordinates":[70,40]},"properties":{}}"#),
        &["feature 0", "\"point\""],
    );
}

#[test]
fn geojson_properties_is_an_array() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","geometry":null,"properties":[1,2]}"#),
        &["feature 0", "[1,2]"],
    );
}

// ---- Coordinates

#[test]
fn coordinates_swapped_are_named_as_swapped() {
    Case::new().bad_geojson(
        point("[39.85, 170.58]"),
        &["feature 0", "170.58", "swapped"],
    );
}

#[test]
fn coordinates_lat_over_90() {
    Case::new().bad_geojson(point("[70.5, 91.5]"), &["latitude 91.5"]);
}

#[test]
fn coordinates_lon_over_180() {
    Case::new().bad_geojson(point("[180.5, 40]"), &["longitude 180.5"]);
}

#[test]
fn coordinates_projected_metres() {
    Case::new().bad_geojson(point("[500000, 4649776]"), &["projected metres", "500000"]);
}

#[test]
fn coordinates_1e400_overflow() {
    // A number out of f64 range is refused with the feature and the value.
    Case::new().bad_geojson(point("[1e400, 40]"), &["feature 0", "1e400"]);
}

#[test]
fn coordinates_nan_inf_in_toml() {
    let c = Case::new();
    c.bad_toml(
        toml_incident("lat = nan\nlon = 70.5\n"),
        &["in.toml:", "finite"],
    );
    c.bad_toml(
        toml_incident("lat = 40.0\nlon = inf\n"),
        &["in.toml:", "finite"],
    );
    c.bad_toml(toml_incident("lat = 1e400\nlon = 70.5\n"), &["in.toml:"]);
}

#[test]
fn coordinates_nan_inf_1e400_in_batch_csv() {
    let c = Case::new();
    for (v, msg) in [
        ("nan", "\"nan\""),
        ("inf", "\"inf\""),
        ("1e400", "\"1e400\""),
    ] {
        let q = c.file("q.csv", format!("id,lat,lon\nq1,40,70\nq2,{v},70\n"));
        let r = c.run(&["near", "--queries", q.to_str().unwrap(), "--nearest", "1"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("q.csv: line 3"), "{}", r.stderr);
        assert!(r.stderr.contains(msg), "{}", r.stderr);
    }
}

#[test]
fn coordinates_3d_are_accepted_and_z_ignored() {
    let c = Case::new();
    let input = c.file("in.geojson", point("[70.5, 40.1, 1200]"));
    let r = c.run(&[
        "near",
        "--input",
        input.to_str().unwrap(),
        "--lat",
        "40",
        "--lon",
        "70.5",
        "--nearest",
        "1",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("a,11103.559,0,40.1,70.5"), "{}", r.stdout);
}

// ---- Features

#[test]
fn features_empty_collection_is_fine() {
    let c = Case::new();
    let input = c.file("in.geojson", fc(""));
    let r = c.run(&[
        "within",
        "--bbox",
        "60,30,80,50",
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 incident(s)"), "{}", r.stdout);
}

#[test]
fn features_null_geometry_is_kept_out_of_the_index() {
    let c = Case::new();
    let input = c.file(
        "in.geojson",
        fc(r#"{"type":"Feature","id":"x","geometry":null,"properties":{"geo_status":"unresolved"}}"#),
    );
    let r = c.run(&[
        "within",
        "--bbox",
        "-180,-90,180,90",
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 incident(s)"), "{}", r.stdout);
}

#[test]
fn features_non_point_geometry() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[70,40],[71,40]]},"properties":{}}"#),
        &["feature 0", "LineString"],
    );
}

#[test]
fn features_duplicate_ids_number_and_string() {
    Case::new().bad_geojson(
        fc(r#"{"type":"Feature","id":1,"geometry":null,"properties":{}},{"type":"Feature","id":"1","geometry":null,"properties":{}}"#),
        &["feature 1", "duplicate id \"1\""],
    );
}

#[test]
fn features_id_too_large_for_f64_is_kept_exactly() {
    let c = Case::new();
    let input = c.file(
        "in.geojson",
        fc(r#"{"type":"Feature","id":123456789012345678901234567890,"geometry":{"type":"Point","coordinates":[70.5,40]},"properties":{}}"#),
    );
    let r = c.run(&[
        "near",
        "--input",
        input.to_str().unwrap(),
        "--lat",
        "40",
        "--lon",
        "70.5",
        "--nearest",
        "1",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("123456789012345678901234567890,"),
        "{}",
        r.stdout
    );
}

// ---- Encoding

#[test]
fn encoding_utf8_bom_is_accepted() {
    let c = Case::new();
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(toml_incident("").as_bytes());
    let input = c.file("in.toml", text);
    let r = c.run(&["geocode", input.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"FeatureCollection\""));
}

#[test]
fn encoding_utf16_is_refused() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in toml_incident("").encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    Case::new().bad_toml(bytes, &["in.toml:1:1", "UTF-16"]);
}

#[test]
fn encoding_windows_1251_is_located() {
    // "Ворух" in Windows-1251 on line 15 (the place line), column 10.
    let text = toml_incident("").replace("place = \"Vorukh\"", "place = \"@@@@@\"");
    let mut bytes = text.into_bytes();
    let at = bytes.windows(5).position(|w| w == b"@@@@@").unwrap();
    bytes.splice(at..at + 5, [0xC2, 0xEE, 0xF0, 0xF3, 0xF5]);
    Case::new().bad_toml(
        bytes,
        &["in.toml:15:10", "invalid UTF-8", "0xC2", "Windows-1251"],
    );
}

#[test]
fn encoding_crlf_gives_the_same_output_as_lf() {
    let c = Case::new();
    let lf = c.file("lf.toml", toml_incident(""));
    let crlf = c.file("crlf.toml", toml_incident("").replace('\n', "\r\n"));
    let a = c.run(&["geocode", lf.to_str().unwrap()]);
    let b = c.run(&["geocode", crlf.to_str().unwrap()]);
    assert_eq!((a.code, b.code), (0, 0));
    assert_eq!(a.stdout, b.stdout);
}

// ---- Hostile names (GeoJSON output escapes them as JSON strings)

#[test]
fn hostile_names_round_trip_through_geojson() {
    let c = Case::new();
    let nasty = [
        "</text><script>alert(1)</script>",
        "x\\\" onload=\\\"alert(1)",
        "a&b",
        "-->",
        "\\u0001",
        "\\u202e",
    ];
    for n in nasty {
        let input = c.file(
            "in.toml",
            toml_incident("").replace("title = \"t\"", &format!("title = \"{n}\"")),
        );
        let r = c.run(&["geocode", input.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{n}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let title = v["features"][0]["properties"]["title"].as_str().unwrap();
        let want: String = toml::from_str::<toml::Value>(&format!("t = \"{n}\"")).unwrap()["t"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(title, want);
    }
    let long = "x".repeat(10_000);
    let input = c.file(
        "in.toml",
        toml_incident("").replace("title = \"t\"", &format!("title = \"{long}\"")),
    );
    let r = c.run(&["geocode", input.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains(&long));
}

// ---- Command-line arguments

#[test]
fn cli_arguments_are_usage_errors() {
    let c = Case::new();
    for (args, msg) in [
        (
            &["near", "--lat", "40", "--lon", "70", "--radius-km", "-1"][..],
            "negative",
        ),
        (
            &["near", "--lat", "40", "--lon", "70", "--nearest", "0"],
            "≥ 1",
        ),
        (
            &["near", "--lat", "91", "--lon", "70", "--nearest", "1"],
            "latitude 91",
        ),
        (&["within", "--bbox", "70,39,71"], "four numbers"),
        (
            &[
                "near",
                "--lat",
                "40",
                "--lon",
                "70",
                "--nearest",
                "1",
                "--format",
                "xml",
            ],
            "xml",
        ),
        (&["frobnicate"], "frobnicate"),
    ] {
        let r = c.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
    }
}

// ---- Outputs

#[test]
fn output_refuses_to_overwrite_its_input() {
    let c = Case::new();
    let input = c.file("in.toml", toml_incident(""));
    let before = std::fs::read(&input).unwrap();
    let r = c.run(&[
        "geocode",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("refusing to overwrite an input"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn output_that_is_a_directory_is_named() {
    let c = Case::new();
    let input = c.file("in.toml", toml_incident(""));
    std::fs::create_dir(c.path("outdir")).unwrap();
    let r = c.run(&[
        "geocode",
        input.to_str().unwrap(),
        "-o",
        c.path("outdir").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is a directory"), "{}", r.stderr);
}

#[test]
fn output_parent_directories_are_created() {
    let c = Case::new();
    let input = c.file("in.toml", toml_incident(""));
    let out = c.path("a/b/c/out.geojson");
    let r = c.run(&[
        "geocode",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.exists());
}

#[test]
fn failed_run_leaves_existing_output_untouched() {
    let c = Case::new();
    let out = c.file("out.geojson", "precious");
    let input = c.file(
        "in.toml",
        toml_incident("").replace("2022-01-27\"\ndate_end", "2022-02-30\"\ndate_end"),
    );
    let r = c.run(&[
        "geocode",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("2022-02-30"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    let leftovers: Vec<_> = std::fs::read_dir(c.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

// ---- Size

#[test]
fn size_cap_names_the_flag() {
    let c = Case::new();
    let big = c.file("big.geojson", vec![b' '; 2 * 1024 * 1024]);
    let r = c.run(&[
        "near",
        "--input",
        big.to_str().unwrap(),
        "--lat",
        "40",
        "--lon",
        "70",
        "--nearest",
        "1",
        "--max-input-mb",
        "1",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--max-input-mb"), "{}", r.stderr);
    assert!(r.stderr.contains("big.geojson"), "{}", r.stderr);
}

#[test]
fn toml_errors_name_line_column_and_value() {
    let c = Case::new();
    c.bad_toml(
        toml_incident("colour = \"red\"\n"),
        &["in.toml:17:", "colour"],
    );
    c.bad_toml(
        toml_incident("").replace("armed_clash", "battle"),
        &["in.toml:13:", "\"battle\""],
    );
    c.bad_toml(
        toml_incident("").replace("[\"s\"]", "[\"nope\"]"),
        &["\"nope\""],
    );
}
