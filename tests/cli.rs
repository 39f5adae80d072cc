//! The command line, end to end: the real binary, one temporary directory per test.
//!
//! Exit codes: 0 success; 1 data problems (or an ambiguous place under `--strict`); 2 usage
//! errors. Errors name the file, the line and column and the offending value. Outputs are
//! written atomically: a failed run leaves an existing output untouched.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use util::Dir;

/// The position of the village of Vorukh (wof:890420413) as written to GeoJSON.
const VORUKH: [f64; 2] = [70.58012, 39.85125];

fn coordinates(feature: &serde_json::Value) -> [f64; 2] {
    let c = &feature["geometry"]["coordinates"];
    [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]
}

// ---------------------------------------------------------------- success and stdin/stdout

#[test]
fn geocode_minimal_file_writes_a_located_point() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    let run = dir.run(&["geocode", "minimal.toml", "-o", "out.geojson"]);
    run.ok()
        .stdout_has("incidents: 1 (0 aggregates), placed: 1 (1 at a village, town or site, 0 at district level, 0 at region level), not placed: 0, ambiguous: 0, unresolved: 0")
        .stdout_has("wrote out.geojson");
    assert_eq!(run.stderr, "", "a clean run prints no diagnostics");
    let fc: serde_json::Value = serde_json::from_slice(&dir.read("out.geojson")).unwrap();
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["id"], "kgtj-2022-06-03-vorukh");
    assert_eq!(coordinates(&features[0]), VORUKH);
    assert_eq!(features[0]["properties"]["geo_status"], "matched");
    assert_eq!(features[0]["properties"]["geo_place_id"], "wof:890420413");
    assert_eq!(features[0]["properties"]["fatalities_best"], 1);
}

#[test]
fn geocode_reads_stdin_and_writes_stdout_with_dash() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    dir.run(&["geocode", "minimal.toml", "-o", "file.geojson"])
        .ok();
    let file = dir.read("file.geojson");

    // `-` as input; stdout is the default output.
    let run = dir
        .cmd()
        .args(&["geocode", "-"])
        .stdin(util::fixture_bytes("minimal.toml"))
        .run();
    run.ok();
    assert_eq!(run.stdout, file, "stdin → stdout differs from file → file");

    // `-o -` spelled out: only the GeoJSON goes to stdout, no summary line.
    let run = dir
        .cmd()
        .args(&["geocode", "-", "-o", "-"])
        .stdin(util::fixture_bytes("minimal.toml"))
        .run();
    run.ok();
    assert_eq!(run.stdout, file);
    assert_eq!(
        dir.entries(),
        ["file.geojson", "minimal.toml"],
        "no file named -"
    );
}

#[test]
fn stdin_errors_are_located_too() {
    let dir = Dir::new();
    dir.cmd()
        .args(&["geocode", "-"])
        .stdin(util::fixture_bytes("bad_date.toml"))
        .run()
        .expect_code(1)
        .stderr_has("-:10:14: invalid date \"2022-02-30\"");
}

#[test]
fn bom_is_accepted_and_changes_nothing() {
    let dir = Dir::new();
    dir.fixture("bom.toml");
    dir.fixture("cyrillic.toml");
    let with_bom = dir.run(&["geocode", "bom.toml"]);
    let without = dir.run(&["geocode", "cyrillic.toml"]);
    with_bom.ok();
    without.ok();
    assert_eq!(with_bom.stdout, without.stdout);
    let fc = with_bom.json();
    assert_eq!(coordinates(&fc["features"][0]), VORUKH, "Ворух is Vorukh");
}

#[test]
fn build_writes_into_a_new_out_dir() {
    let dir = Dir::new();
    let run = dir.run(&["build", "--out-dir", "nested/out"]);
    run.ok()
        .stdout_has("incidents: ")
        .stdout_has("wrote nested/out");
    assert!(dir.join("nested/out/incidents.geojson").is_file());
}

// ---------------------------------------------------------------- exit code 1: data problems

/// Runs `geocode <fixture>` and checks exit code 1, the `file:line:col:` prefix and the
/// message (with its offending value).
fn data_error(fixture: &str, located: &str, message: &[&str]) {
    let dir = Dir::new();
    dir.fixture(fixture);
    let run = dir.run(&["geocode", fixture, "-o", "out.geojson"]);
    run.expect_code(1)
        .stderr_has(&format!("bordermap: error: {fixture}:{located}: "));
    for m in message {
        run.stderr_has(m);
    }
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout_str());
    assert!(
        !dir.join("out.geojson").exists(),
        "a failed run wrote output"
    );
}

#[test]
fn bad_date_names_file_line_column_and_value() {
    data_error(
        "bad_date.toml",
        "10:14",
        &["invalid date \"2022-02-30\"", "no day 30"],
    );
}

#[test]
fn unknown_key_names_file_line_column_and_key() {
    data_error("unknown_key.toml", "17:1", &["unknown field `colour`"]);
}

#[test]
fn unknown_source_names_the_source() {
    // The error points at the `sources = [...]` line; the value is the source id.
    data_error(
        "unknown_source.toml",
        "16:11",
        &[
            "incident \"kgtj-2022-06-03-unknown-source\"",
            "cites source \"no-such-source\", which no [[source]] defines",
        ],
    );
}

#[test]
fn claim_without_claimant_is_refused() {
    data_error(
        "no_claimant.toml",
        "18:1",
        &["incident \"kgtj-2022-06-03-no-claimant\": a claim has no claimant"],
    );
}

#[test]
fn nan_coordinates_are_refused() {
    data_error(
        "nan_coordinates.toml",
        "17:7",
        &["coordinates must be finite numbers", "lat NaN"],
    );
}

#[test]
fn utf16_is_refused_with_advice() {
    data_error(
        "utf16.toml",
        "1:1",
        &["the file is UTF-16", "save it as UTF-8"],
    );
}

#[test]
fn windows_1251_bytes_are_located() {
    // Line 14 is `location = "Ворух"`: the first Cyrillic byte is at column 13.
    data_error(
        "windows1251.toml",
        "14:13",
        &["invalid UTF-8 (bytes 0xC2 0xEE 0xF0 0xF3)", "Windows-1251"],
    );
}

#[test]
fn missing_input_names_the_file() {
    let dir = Dir::new();
    dir.run(&["geocode", "missing.toml"])
        .expect_code(1)
        .stderr_has("bordermap: error: missing.toml: ");
}

#[test]
fn input_that_is_a_directory_is_refused() {
    let dir = Dir::new();
    std::fs::create_dir(dir.join("sub")).unwrap();
    dir.run(&["geocode", "sub"])
        .expect_code(1)
        .stderr_has("sub: input: is a directory, not a file");
}

#[test]
fn size_cap_names_the_flag_that_lifts_it() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    dir.run(&["geocode", "--max-input-mb", "0", "minimal.toml"])
        .expect_code(1)
        .stderr_has("minimal.toml: the file is ")
        .stderr_has("pass --max-input-mb to read it");
}

#[test]
fn bad_incidents_for_build_exit_1() {
    let dir = Dir::new();
    dir.fixture("bad_date.toml");
    dir.run(&["build", "--incidents", "bad_date.toml", "--out-dir", "out"])
        .expect_code(1)
        .stderr_has("bad_date.toml:10:14: invalid date \"2022-02-30\"");
    assert!(!dir.join("out/incidents.geojson").exists());
}

#[test]
fn strict_makes_an_ambiguous_place_exit_1() {
    let dir = Dir::new();
    dir.fixture("ambiguous.toml");
    // Without --strict: a warning, exit 0, and the incident written without a point.
    let run = dir.run(&["geocode", "ambiguous.toml", "-o", "lax.geojson"]);
    run.ok()
        .stderr_has(
            "warning: incident \"kgtj-2022-09-14-kok-tash\": place \"Kok-Tash\" is ambiguous",
        )
        .stderr_has("bordermap: 1 × ambiguous_place");
    let fc: serde_json::Value = serde_json::from_slice(&dir.read("lax.geojson")).unwrap();
    assert!(fc["features"][0]["geometry"].is_null());
    assert_eq!(fc["features"][0]["properties"]["geo_status"], "ambiguous");

    dir.run(&[
        "geocode",
        "--strict",
        "ambiguous.toml",
        "-o",
        "strict.geojson",
    ])
    .expect_code(1)
    .stderr_has("ambiguous");
    dir.run(&[
        "build",
        "--strict",
        "--incidents",
        "ambiguous.toml",
        "--out-dir",
        "o",
    ])
    .expect_code(1)
    .stderr_has("bordermap: 1 × ambiguous_place");
}

#[test]
fn strict_makes_an_unresolved_place_exit_1() {
    let dir = Dir::new();
    dir.fixture("unresolved.toml");
    dir.run(&["geocode", "unresolved.toml", "-o", "a.geojson"])
        .ok()
        .stderr_has("place \"Qwxzv\" is unresolved");
    dir.run(&["geocode", "--strict", "unresolved.toml", "-o", "b.geojson"])
        .expect_code(1)
        .stderr_has("bordermap: 1 × unresolved_place");
}

#[test]
fn strict_passes_when_everything_is_located() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    dir.run(&["geocode", "--strict", "minimal.toml", "-o", "out.geojson"])
        .ok();
    // The shipped data: a district fallback is a note, not a warning, so --strict passes.
    dir.run(&["build", "--strict", "--out-dir", "out"])
        .ok()
        .stderr_has("note: incident \"kgtj-2022-03-10-teskey\"");
}

#[test]
fn locate_strict_exit_codes() {
    let dir = Dir::new();
    dir.run(&["locate", "--strict", "Vorukh"]).ok();
    dir.run(&["locate", "--strict", "Kok-Tash"])
        .expect_code(1)
        .stdout_has("ambiguous");
    dir.run(&["locate", "--strict", "Qwxzv"])
        .expect_code(1)
        .stdout_has("not_found");
    // Without --strict an honest "not found" is still a successful lookup.
    dir.run(&["locate", "Qwxzv"]).ok();
}

/// `locate --gazetteer` refused a large file with "pass --max-input-mb", then refused the
/// flag itself: both now work the same as in every other command.
#[test]
fn locate_gazetteer_accepts_max_input_mb() {
    let dir = Dir::new();
    dir.fixture("places_geonames.tsv");
    let base = ["locate", "Vorukh", "--gazetteer", "places_geonames.tsv"];
    let mut capped = base.to_vec();
    capped.extend(["--max-input-mb", "0"]);
    dir.run(&capped)
        .expect_code(1)
        .stderr_has("places_geonames.tsv")
        .stderr_has("pass --max-input-mb to read it");
    let mut lifted = base.to_vec();
    lifted.extend(["--max-input-mb", "1"]);
    dir.run(&lifted).ok().stdout_has("matched");
}

/// An ambiguous place is the same error with the same exit code (1) in every command that
/// takes one.
#[test]
fn an_ambiguous_place_exits_1_everywhere() {
    let dir = Dir::new();
    for args in [
        &["near", "--place", "Kok-Tash", "--radius-km", "5"][..],
        &["render", "--around", "Kok-Tash", "-o", "m.svg"],
    ] {
        dir.run(args)
            .expect_code(1)
            .stderr_has("place \"Kok-Tash\" is ambiguous")
            .stderr_has("candidates:");
    }
    assert!(dir.entries().is_empty());
}

// ---------------------------------------------------------------- exit code 2: usage errors

#[test]
fn unknown_subcommand_exits_2() {
    Dir::new()
        .run(&["frobnicate"])
        .expect_code(2)
        .stderr_has("unrecognized subcommand 'frobnicate'");
}

#[test]
fn unknown_flag_exits_2() {
    Dir::new()
        .run(&["build", "--no-such-flag"])
        .expect_code(2)
        .stderr_has("unexpected argument '--no-such-flag'");
}

#[test]
fn missing_argument_and_bad_values_exit_2() {
    let dir = Dir::new();
    dir.run(&["geocode"]).expect_code(2).stderr_has("<INPUT>");
    dir.run(&["locate", "Vorukh", "--format", "xml"])
        .expect_code(2)
        .stderr_has("invalid value 'xml'");
    dir.run(&["geocode", "--max-input-mb", "lots", "x.toml"])
        .expect_code(2)
        .stderr_has("invalid value 'lots'");
    dir.run(&["locate", "  "])
        .expect_code(2)
        .stderr_has("locate: the name is empty");
}

#[test]
fn no_arguments_exits_2_with_usage() {
    Dir::new()
        .run::<&str>(&[])
        .expect_code(2)
        .stderr_has("Usage:");
}

#[test]
fn help_and_version_exit_0() {
    let dir = Dir::new();
    dir.run(&["--help"]).ok().stdout_has("geocode");
    dir.run(&["--version"])
        .ok()
        .stdout_has(env!("CARGO_PKG_VERSION"));
}

// ---------------------------------------------------------------- output paths

#[test]
fn refuses_to_overwrite_the_input_file() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    let before = dir.read("minimal.toml");
    for out in ["minimal.toml", "./minimal.toml", "sub/../minimal.toml"] {
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir.run(&["geocode", "minimal.toml", "-o", out])
            .expect_code(2)
            .stderr_has(&format!(
                "{out}: refusing to overwrite an input file; choose another output path"
            ));
        assert_eq!(
            dir.read("minimal.toml"),
            before,
            "-o {out} changed the input"
        );
    }
}

#[test]
fn build_refuses_to_overwrite_its_incidents_file() {
    let dir = Dir::new();
    // An incidents file that happens to sit where build writes its output.
    std::fs::create_dir(dir.join("out")).unwrap();
    dir.write("out/incidents.geojson", util::fixture_bytes("minimal.toml"));
    dir.run(&[
        "build",
        "--incidents",
        "out/incidents.geojson",
        "--out-dir",
        "out",
    ])
    .expect_code(2)
    .stderr_has("refusing to overwrite an input file");
    assert_eq!(
        dir.read("out/incidents.geojson"),
        util::fixture_bytes("minimal.toml")
    );
}

#[test]
fn output_that_is_an_existing_directory_is_refused() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    std::fs::create_dir(dir.join("maps")).unwrap();
    dir.run(&["geocode", "minimal.toml", "-o", "maps"])
        .expect_code(2)
        .stderr_has("maps: the output is a directory; give a file name");
    assert!(util::files_under(&dir.join("maps")).is_empty());
}

#[test]
fn out_dir_that_is_a_file_is_refused_and_kept() {
    let dir = Dir::new();
    dir.write("out", "not a directory");
    let run = dir.run(&["build", "--out-dir", "out"]);
    assert_ne!(run.code, 0, "build into a regular file succeeded");
    run.stderr_has("bordermap: error: out");
    assert_eq!(dir.read("out"), b"not a directory");
}

#[test]
fn failed_run_leaves_existing_output_untouched() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    for bad in [
        "bad_date.toml",
        "unknown_key.toml",
        "utf16.toml",
        "windows1251.toml",
    ] {
        dir.fixture(bad);
    }
    dir.run(&["geocode", "minimal.toml", "-o", "out.geojson"])
        .ok();
    let good = dir.read("out.geojson");
    for bad in [
        "bad_date.toml",
        "unknown_key.toml",
        "utf16.toml",
        "windows1251.toml",
    ] {
        dir.run(&["geocode", bad, "-o", "out.geojson"])
            .expect_code(1);
        assert_eq!(dir.read("out.geojson"), good, "{bad} clobbered the output");
    }
    // No temporary files are left behind either.
    let stray: Vec<String> = dir
        .entries()
        .into_iter()
        .filter(|n| n.starts_with('.') || n.ends_with(".tmp"))
        .collect();
    assert!(stray.is_empty(), "left behind: {stray:?}");
}

#[test]
fn failed_build_leaves_existing_out_dir_untouched() {
    let dir = Dir::new();
    dir.fixture("nan_coordinates.toml");
    dir.write("out/incidents.geojson", "previous build");
    dir.run(&[
        "build",
        "--incidents",
        "nan_coordinates.toml",
        "--out-dir",
        "out",
    ])
    .expect_code(1)
    .stderr_has("nan_coordinates.toml:17:7:");
    assert_eq!(util::files_under(&dir.join("out")), ["incidents.geojson"]);
    assert_eq!(dir.read("out/incidents.geojson"), b"previous build");
}

#[test]
fn successful_run_replaces_existing_output() {
    let dir = Dir::new();
    dir.fixture("minimal.toml");
    dir.write("out.geojson", "old");
    dir.run(&["geocode", "minimal.toml", "-o", "out.geojson"])
        .ok();
    assert!(
        dir.read_string("out.geojson")
            .starts_with("{\"type\":\"FeatureCollection\"")
    );
}

// ---------------------------------------------------------------- hostile inputs never panic

#[test]
fn hostile_inputs_end_in_a_message_not_a_panic() {
    let dir = Dir::new();
    let deep = format!("{}1{}", "a = [".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.toml", Vec::new()),
        ("garbage.toml", vec![0, 159, 146, 150, 255, 0, 1]),
        ("truncated.toml", b"[[incident]]\nid = \"kgtj-2022".to_vec()),
        ("deep.toml", deep.into_bytes()),
        ("wrongtype.toml", b"incident = 3.15\n".to_vec()),
        (
            "bidi.toml",
            "[[incident]]\nid = \"\u{202E}x\"\n".as_bytes().to_vec(),
        ),
        ("utf16be.toml", vec![0xFE, 0xFF, 0, b'a']),
    ];
    for (name, bytes) in cases {
        dir.write(name, &bytes);
        // Run::run asserts that stderr does not contain "panicked".
        let run = dir.run(&["geocode", name, "-o", "out.geojson"]);
        assert!(run.code == 0 || run.code == 1, "{name}: exit {}", run.code);
        if run.code == 1 {
            run.stderr_has(&format!("bordermap: error: {name}"));
        }
        let run = dir.cmd().args(&["geocode", "-"]).stdin(&bytes).run();
        assert!(
            run.code == 0 || run.code == 1,
            "{name} on stdin: exit {}",
            run.code
        );
    }
}

/// Every command that writes a file the user names refuses a directory, a device or its own
/// input as that file before it reads anything: a broken input would otherwise be the error.
#[test]
fn every_writer_refuses_an_unwritable_output_before_reading_its_input() {
    let dir = Dir::new();
    std::fs::create_dir(dir.join("maps")).unwrap();
    std::fs::create_dir(dir.join("maps.svg")).unwrap();
    dir.write(
        "bad.geojson",
        b"{\"type\":\"FeatureCollection\",\"features\":[{",
    );
    dir.write("bad.csv", b"lat,lon\n\"40,70\n");
    dir.write("q.csv", b"id,lat,lon\nq1,40,70.5\n");
    let directory = "the output is a directory; give a file name";
    for args in [
        &["near", "--lat", "40", "--lon", "70.5", "--radius-km", "5"][..],
        &["near", "--queries", "q.csv", "--radius-km", "5"][..],
        &["within", "--bbox", "70,39,71,41"][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["--input", "bad.geojson", "-o", "maps"]);
        dir.run(&all)
            .expect_code(2)
            .stderr_has(&format!("maps: {directory}"));
    }
    for (args, shown) in [
        (
            &[
                "export",
                "--to",
                "csv",
                "--input",
                "bad.geojson",
                "-o",
                "maps",
            ][..],
            "maps",
        ),
        (
            &["html", "--input", "bad.geojson", "-o", "maps"][..],
            "maps",
        ),
        (
            &["render", "--input", "bad.geojson", "-o", "maps.svg"][..],
            "maps.svg",
        ),
        (&["import", "bad.csv", "-o", "maps"][..], "maps"),
        (
            &["merge", "bad.geojson", "bad.geojson", "-o", "maps"][..],
            "maps",
        ),
        (&["geocode", "bad.geojson", "-o", "maps"][..], "maps"),
    ] {
        dir.run(args)
            .expect_code(2)
            .stderr_has(&format!("{shown}: {directory}"));
    }
    // the input named as the output: refused, and the input is left as it was
    for args in [
        &[
            "export",
            "--to",
            "geojson",
            "--input",
            "bad.geojson",
            "-o",
            "bad.geojson",
        ][..],
        &["import", "bad.csv", "-o", "bad.csv"][..],
    ] {
        dir.run(args).expect_code(2);
    }
    assert_eq!(
        std::fs::read(dir.join("bad.geojson")).unwrap(),
        b"{\"type\":\"FeatureCollection\",\"features\":[{"
    );
    assert_eq!(
        std::fs::read(dir.join("bad.csv")).unwrap(),
        b"lat,lon\n\"40,70\n"
    );
}
