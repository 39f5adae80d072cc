//! Messages name the file, the line or feature, and the value.

use super::{Case, fc};

#[test]
fn render_and_html_errors_name_the_input_file() {
    let c = Case::new();
    let feature = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"date_start":"bad"}}"#;
    c.file("x.geojson", fc(feature));
    for (cmd, out) in [("render", "m.svg"), ("html", "m.html")] {
        let r = c.run(&[cmd, "--input", "x.geojson", "-o", out]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("x.geojson: feature 0 (id \"a\")") && r.stderr.contains("\"bad\""),
            "{cmd}: {}",
            r.stderr
        );
        assert!(!c.path(out).exists());
    }
}
