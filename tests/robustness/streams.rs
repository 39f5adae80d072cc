//! Streams and signals: a closed pipe, a full disk, a closed stdout, an interrupted run, and
//! an input cap too large to compute.

use super::{Case, toml_incident};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
}

const NEAR_CSV: &[&str] = &[
    "near",
    "--lat",
    "39.9",
    "--lon",
    "70.6",
    "--radius-km",
    "20000",
    "--format",
    "csv",
];

/// The device that is always full: every write to it fails with "No space left on device".
fn dev_full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
}

#[test]
fn stdout_closed_pipe_ends_quietly_with_141() {
    closed_pipe_ends_quietly(&Case::new(), NEAR_CSV);
}

#[test]
fn closed_stdout_never_lets_an_output_file_take_its_place() {
    // Started with stdout closed (`>&-`), the runtime holds descriptor 1 on the null device,
    // so the first file the run opens cannot become "stdout": the status lines must not
    // land in the output, which stays valid GeoJSON. What was meant for stdout is
    // discarded, as with `>/dev/null` (the README says so).
    let c = Case::new();
    c.file("in.toml", toml_incident(""));
    let out = Command::new("sh")
        .args(["-c", "exec \"$0\" \"$@\" >&-"])
        .arg(env!("CARGO_BIN_EXE_bordermap"))
        .args(["geocode", "in.toml", "-o", "out.geojson"])
        .current_dir(c.path(""))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = std::fs::read_to_string(c.path("out.geojson")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid GeoJSON");
    assert_eq!(v["features"].as_array().map(Vec::len), Some(1), "{text}");
    assert!(!text.contains("wrote"), "{text}");
}

#[test]
fn stdout_on_a_full_disk_is_a_located_error() {
    let c = Case::new();
    full_disk_is_a_located_error(&c, NEAR_CSV);
}

/// Runs `args` in `c` with stdout on a full disk: exit 1, no panic, an error naming stdout.
fn full_disk_is_a_located_error(c: &Case, args: &[&str]) {
    let out = bin()
        .args(args)
        .current_dir(c.path(""))
        .stdout(dev_full())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("<stdout>") && stderr.contains("No space"),
        "{stderr}"
    );
}

/// `import -o -` writes its features as it makes them: a reader that goes away ends it
/// quietly with 141, a full disk is an error that names stdout.
#[test]
fn a_streamed_import_to_a_closed_pipe_or_a_full_disk() {
    let c = Case::new();
    let mut rows = String::from("id,lat,lon,date\n");
    for i in 0..30_000 {
        rows.push_str(&format!("r{i},39.{:04},70.5,2022-09-16\n", i % 10_000));
    }
    c.file("big.csv", &rows);
    let args = ["import", "big.csv", "-o", "-"];
    closed_pipe_ends_quietly(&c, &args);
    full_disk_is_a_located_error(&c, &args);
}

/// Runs `args` in `c` with stdout a pipe whose reader has gone: exit 141, nothing said.
fn closed_pipe_ends_quietly(c: &Case, args: &[&str]) {
    let mut child = bin()
        .args(args)
        .current_dir(c.path(""))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away before anything is written
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{args:?}, quiet: {stderr}");
}

/// The commands that write a large output as they make it (a page, an export, a merge, the
/// answers of a query): a reader that goes away ends each quietly with 141 (also when the
/// write fails inside the CSV writer), and a full disk is an error that names stdout.
#[test]
fn streamed_outputs_to_a_closed_pipe_or_a_full_disk() {
    let c = Case::new();
    let features: Vec<String> = (0..20_000)
        .map(|i| {
            format!(
                r#"{{"type":"Feature","id":"i{i}","geometry":{{"type":"Point","coordinates":[70.{:04},39.9]}},"properties":{{"title":"Incident {i}","date_start":"2022-09-16","event_type":"shelling"}}}}"#,
                i % 10_000
            )
        })
        .collect();
    c.file(
        "big.geojson",
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
            features.join(",\n")
        ),
    );
    let near = [
        "near",
        "--input",
        "big.geojson",
        "--lat",
        "39.9",
        "--lon",
        "70.5",
        "--radius-km",
        "100",
        "--format",
        "csv",
    ];
    let runs: [&[&str]; 6] = [
        &near,
        &["export", "--to", "csv", "--input", "big.geojson"],
        &["export", "--to", "geojson", "--input", "big.geojson"],
        &["export", "--to", "kml", "--input", "big.geojson"],
        &["html", "--input", "big.geojson", "-o", "-"],
        &["merge", "big.geojson"],
    ];
    for args in runs {
        closed_pipe_ends_quietly(&c, args);
        full_disk_is_a_located_error(&c, args);
    }
}

#[test]
fn interrupted_run_exits_130_and_leaves_no_temporary_file() {
    let c = Case::new();
    // Reading stdin that never ends: the run is interrupted while it waits.
    let child = bin()
        .args(["geocode", "-", "-o", "out.geojson"])
        .current_dir(c.path(""))
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(130),
        "handled, not killed: {stderr}"
    );
    assert!(stderr.contains("interrupted"), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(c.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
}

#[test]
fn max_input_mb_too_large_to_compute_still_reads_the_file() {
    let c = Case::new();
    c.file("in.toml", toml_incident(""));
    let r = c.run(&[
        "geocode",
        "in.toml",
        "-o",
        "out.geojson",
        "--max-input-mb",
        "99999999999999",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = std::fs::read_to_string(c.path("out.geojson")).unwrap();
    assert!(out.contains("\"id\":\"a\""), "{out}");
}
