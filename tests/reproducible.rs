//! Reproducibility: `bordermap build` gives the same bytes every time, in any working
//! directory and environment, and those bytes are the committed `output/` directory. CRLF
//! input gives the same output as LF.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use std::path::Path;
use util::Dir;

/// Every file under `dir` with its bytes, sorted by relative path.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    util::files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Describes the first difference between two byte strings.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let line = a[..at].iter().filter(|&&c| c == b'\n').count() + 1;
    let show = |s: &[u8]| {
        String::from_utf8_lossy(&s[at.saturating_sub(40)..(at + 40).min(s.len())]).into_owned()
    };
    format!(
        "sizes {} and {}; first difference at byte {at} (line {line}):\n  {:?}\n  {:?}",
        a.len(),
        b.len(),
        show(a),
        show(b)
    )
}

fn assert_same_tree(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)], what: &str) {
    let names = |s: &[(String, Vec<u8>)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: different files");
    for ((name, x), (_, y)) in a.iter().zip(b) {
        assert!(x == y, "{what}: {name} differs: {}", first_difference(x, y));
    }
}

#[test]
fn build_twice_gives_identical_bytes() {
    let first = Dir::new();
    first.run(&["build", "--out-dir", "out"]).ok();
    // A second run from another working directory, with an absolute --out-dir and another
    // locale and time zone: nothing of the environment may leak into the output.
    let second = Dir::new();
    let abs = second.join("elsewhere/out");
    second
        .cmd()
        .args(&["build", "--out-dir"])
        .args(&[&abs])
        .env("TZ", "Asia/Bishkek")
        .env("LC_ALL", "ru_RU.UTF-8")
        .env("LANG", "ru_RU.UTF-8")
        .run()
        .ok();
    let a = snapshot(&first.join("out"));
    let b = snapshot(&abs);
    assert!(!a.is_empty(), "build wrote nothing");
    assert_same_tree(&a, &b, "two builds");
}

#[test]
fn build_matches_the_committed_output() {
    let dir = Dir::new();
    dir.run(&["build", "--out-dir", "out"]).ok();
    let built = snapshot(&dir.join("out"));
    assert!(
        built.iter().any(|(n, _)| n == "incidents.geojson"),
        "{:?}",
        util::files_under(&dir.join("out"))
    );
    let committed = util::root().join("output");
    for (name, bytes) in &built {
        let path = committed.join(name);
        let want = std::fs::read(&path).unwrap_or_else(|e| {
            panic!("build writes {name} but output/{name} is not committed ({e}); run `bordermap build`")
        });
        assert!(
            *bytes == want,
            "output/{name} is stale (run `bordermap build` and commit): {}",
            first_difference(&want, bytes)
        );
    }
}

#[test]
fn output_ends_with_a_newline_and_has_no_crlf() {
    let dir = Dir::new();
    dir.run(&["build", "--out-dir", "out"]).ok();
    for (name, bytes) in snapshot(&dir.join("out")) {
        if name.ends_with(".geojson") || name.ends_with(".csv") || name.ends_with(".svg") {
            assert!(bytes.ends_with(b"\n"), "{name}");
            assert!(!bytes.windows(2).any(|w| w == b"\r\n"), "{name} has CRLF");
        }
    }
}

/// `text` with every LF turned into CRLF.
fn crlf(text: &[u8]) -> Vec<u8> {
    assert!(!text.windows(2).any(|w| w == b"\r\n"), "already CRLF");
    let mut out = Vec::with_capacity(text.len() * 2);
    for &b in text {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

fn geocode_lf_and_crlf(name: &str, lf: &[u8]) {
    let dir = Dir::new();
    dir.write("lf.toml", lf);
    dir.write("crlf.toml", crlf(lf));
    let a = dir.run(&["geocode", "lf.toml"]);
    let b = dir.run(&["geocode", "crlf.toml"]);
    a.ok();
    b.ok();
    assert!(
        a.stdout.starts_with(b"{\"type\":\"FeatureCollection\""),
        "{name}"
    );
    assert!(
        a.stdout == b.stdout,
        "{name}: CRLF input changes the GeoJSON: {}",
        first_difference(&a.stdout, &b.stdout)
    );
    assert_eq!(
        a.stderr, b.stderr,
        "{name}: CRLF input changes the diagnostics"
    );
    assert!(
        !b.stdout.contains(&b'\r'),
        "{name}: a carriage return reached the output"
    );
}

#[test]
fn crlf_input_gives_identical_geojson() {
    geocode_lf_and_crlf("minimal.toml", &util::fixture_bytes("minimal.toml"));
}

#[test]
fn crlf_in_multiline_strings_gives_identical_geojson() {
    // Multi-line strings (notes = """…""") and arrays split over lines.
    geocode_lf_and_crlf("multiline.toml", &util::fixture_bytes("multiline.toml"));
}

#[test]
fn crlf_shipped_incidents_give_identical_geojson() {
    geocode_lf_and_crlf(
        "geodata/incidents.toml",
        bordermap::shipped::INCIDENTS_TOML.as_bytes(),
    );
}

#[test]
fn crlf_errors_point_at_the_same_line_and_column() {
    let dir = Dir::new();
    let lf = util::fixture_bytes("bad_date.toml");
    dir.write("bad_date.toml", &lf);
    let a = dir.run(&["geocode", "bad_date.toml"]);
    dir.write("bad_date.toml", crlf(&lf));
    let b = dir.run(&["geocode", "bad_date.toml"]);
    a.expect_code(1).stderr_has("bad_date.toml:10:14:");
    b.expect_code(1);
    assert_eq!(a.stderr, b.stderr);
}

/// Every other writer (export to CSV, KML and FlatGeobuf; query results in every format;
/// merge; import) gives the same bytes twice, whatever the locale and time zone: no hash-map
/// order and no locale-dependent float formatting can leak into an output.
#[test]
fn every_writer_is_deterministic() {
    let jobs: &[&[&str]] = &[
        &["export", "--to", "csv", "-o", "out.csv"],
        &["export", "--to", "kml", "-o", "out.kml"],
        &["export", "--to", "fgb", "-o", "out.fgb"],
        &["export", "--to", "geojson", "-o", "out.geojson"],
        &[
            "near",
            "--place",
            "Vorukh",
            "--radius-km",
            "50",
            "--format",
            "json",
            "-o",
            "near.json",
        ],
        &[
            "near",
            "--place",
            "Vorukh",
            "--nearest",
            "8",
            "--format",
            "geojson",
            "-o",
            "near.geojson",
        ],
        &[
            "near",
            "--place",
            "Isfara",
            "--radius-km",
            "40",
            "--format",
            "csv",
            "-o",
            "near.csv",
        ],
        &[
            "near",
            "--border-km",
            "5",
            "--format",
            "json",
            "-o",
            "border.json",
        ],
        &[
            "within",
            "--enclave",
            "Vorukh",
            "--format",
            "csv",
            "-o",
            "within.csv",
        ],
        &["render", "-o", "map.svg", "--color-by", "claimant"],
    ];
    let run_all = |tz: &str, locale: &str| {
        let dir = Dir::new();
        for job in jobs {
            dir.cmd()
                .args(job)
                .env("TZ", tz)
                .env("LC_ALL", locale)
                .env("LANG", locale)
                .run()
                .ok();
        }
        let snap = snapshot(dir.path());
        (dir, snap)
    };
    let (_a, first) = run_all("UTC", "C.UTF-8");
    let (_b, second) = run_all("Asia/Dushanbe", "de_DE.UTF-8");
    assert_eq!(
        first.len(),
        jobs.len(),
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    assert_same_tree(&first, &second, "two runs of every writer");
}
