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
