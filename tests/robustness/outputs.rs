//! Outputs: a device, FIFO or socket is never replaced; no output replaces any input of any
//! command, by any name (symlink, hard link); `build` writes all its files or none.

use super::{Case, toml_incident};
use std::path::Path;

/// Asserts a refusal to overwrite `input`, which is left as it was.
fn assert_input_kept(c: &Case, args: &[&str], input: &Path, before: &[u8]) {
    let r = c.run(args);
    assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    assert!(
        r.stderr.contains("refusing to overwrite an input"),
        "{args:?}: {}",
        r.stderr
    );
    assert_eq!(std::fs::read(input).unwrap(), before, "{args:?}");
}

#[test]
fn output_device_fifo_or_socket_is_refused() {
    let c = Case::new();
    let input = c.file("in.toml", toml_incident(""));
    let fifo = c.path("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let socket = c.path("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    // A device of our own (a null device, where mknod is allowed): never /dev/null itself,
    // which a regression would replace on a machine that runs the tests as root.
    let mut outs = vec!["pipe", "sock"];
    let dev = std::process::Command::new("mknod")
        .args([c.path("dev").to_str().unwrap(), "c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status();
    if dev.is_ok_and(|s| s.success()) {
        outs.push("dev");
    }
    for out in outs {
        let r = c.run(&["geocode", input.to_str().unwrap(), "-o", out]);
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(
            r.stderr.contains(out) && r.stderr.contains("not a regular file"),
            "{out}: {}",
            r.stderr
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::metadata(&socket).unwrap().file_type().is_socket());
    if let Ok(m) = std::fs::metadata(c.path("dev")) {
        assert!(m.file_type().is_char_device());
    }
}

#[test]
fn output_never_replaces_a_query_polygon_or_gazetteer_input() {
    let c = Case::new();
    let q = c.file("q.csv", "id,lat,lon\nq1,39.9,70.6\n");
    let before = std::fs::read(&q).unwrap();
    assert_input_kept(
        &c,
        &[
            "near",
            "--queries",
            "q.csv",
            "--radius-km",
            "5",
            "-o",
            "q.csv",
        ],
        &q,
        &before,
    );
    let poly = r#"{"type":"Polygon","coordinates":[[[70,39],[71,39],[71,40],[70,40],[70,39]]]}"#;
    let p = c.file("p.geojson", poly);
    assert_input_kept(
        &c,
        &["within", "--polygon", "p.geojson", "-o", "p.geojson"],
        &p,
        poly.as_bytes(),
    );
    let tsv = std::fs::read(super::fixture("places_geonames.tsv")).unwrap();
    let g = c.file("g.tsv", &tsv);
    c.file("x.toml", toml_incident(""));
    assert_input_kept(
        &c,
        &["geocode", "x.toml", "--gazetteer", "g.tsv", "-o", "g.tsv"],
        &g,
        &tsv,
    );
}

#[test]
fn output_never_replaces_an_input_through_a_symlink_or_hard_link() {
    let c = Case::new();
    let text = toml_incident("");
    let input = c.file("in.toml", &text);
    std::os::unix::fs::symlink(&input, c.path("sym.toml")).unwrap();
    std::fs::hard_link(&input, c.path("hard.toml")).unwrap();
    for out in ["sym.toml", "hard.toml"] {
        assert_input_kept(
            &c,
            &["geocode", "in.toml", "-o", out],
            &input,
            text.as_bytes(),
        );
    }
    // The other way round: the input named by a link, the output by its real name.
    assert_input_kept(
        &c,
        &["geocode", "hard.toml", "-o", "in.toml"],
        &input,
        text.as_bytes(),
    );
}

#[test]
fn build_refuses_an_input_among_its_outputs_and_writes_nothing() {
    let c = Case::new();
    std::fs::create_dir(c.path("out")).unwrap();
    let text = toml_incident("");
    let input = c.file("out/map.svg", &text);
    let r = c.run(&["build", "--incidents", "out/map.svg", "--out-dir", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("out/map.svg: refusing to overwrite an input"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    assert!(!c.path("out/incidents.geojson").exists(), "nothing written");
}

#[test]
fn build_that_fails_part_way_keeps_every_old_output() {
    let c = Case::new();
    c.file("in.toml", toml_incident(""));
    std::fs::create_dir(c.path("out")).unwrap();
    let old = c.file("out/incidents.geojson", "old");
    // The last output cannot be written: the page's path is a directory.
    std::fs::create_dir(c.path("out/map.html")).unwrap();
    let r = c.run(&["build", "--incidents", "in.toml", "--out-dir", "out"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("map.html"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "old");
    assert!(!c.path("out/map.svg").exists(), "no map written");
    let leftovers: Vec<_> = std::fs::read_dir(c.path("out"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
