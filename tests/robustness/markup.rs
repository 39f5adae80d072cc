//! Markup from data: the HTML page keeps each source's link with its source, and drops
//! bidi controls from everything it shows (titles, aria-labels, the panel).

use super::{Case, TOML_HEAD, fc};

#[test]
fn html_drops_bidi_controls_from_titles_and_labels() {
    let c = Case::new();
    let feature = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[70.6,39.9]},"properties":{"title":"Vorukh \u202Egnp.exe\u2066x\u2069","date_start":"2022-09-16","date_end":"2022-09-16"}}"#;
    c.file("in.geojson", fc(feature));
    let r = c.run(&[
        "html",
        "--input",
        "in.geojson",
        "--title",
        "T\u{202E}x",
        "-o",
        "map.html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(c.path("map.html")).unwrap();
    assert!(
        page.contains("Vorukh gnp.exex"),
        "the title is kept, less the controls"
    );
    for ch in [
        '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
        '\u{2068}', '\u{2069}',
    ] {
        assert!(!page.contains(ch), "U+{:04X} left in the page", ch as u32);
    }
}

#[test]
fn each_source_keeps_its_own_link() {
    let c = Case::new();
    let toml = format!(
        "{TOML_HEAD}[[source]]\nid = \"kg\"\npublication = \"Kyrgyz MFA\"\ntitle = \"Statement\"\ndate = \"2022\"\nurl = \"https://kg.example/a b\"\n\n\
         [[source]]\nid = \"tj\"\npublication = \"Tajik MFA\"\ntitle = \"Statement\"\ndate = \"2022\"\n\n\
         [[incident]]\nid = \"a\"\ntitle = \"t\"\ndate_start = \"2022-01-27\"\ndate_end = \"2022-01-27\"\n\
         date_precision = \"day\"\nevent_type = \"armed_clash\"\nlocation = \"l\"\nplace = \"Vorukh\"\nsources = [\"s\", \"kg\", \"tj\"]\n"
    );
    c.file("in.toml", toml);
    let r = c.run(&["geocode", "in.toml", "-o", "out.geojson"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("out.geojson")).unwrap()).unwrap();
    let pairs: serde_json::Value = serde_json::from_str(
        out["features"][0]["properties"]["sources_json"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let pairs = pairs.as_array().unwrap();
    assert_eq!(pairs.len(), 3, "{pairs:?}");
    assert!(pairs[0]["url"].is_null());
    assert!(
        pairs[1]["citation"]
            .as_str()
            .unwrap()
            .contains("Kyrgyz MFA")
    );
    assert_eq!(pairs[1]["url"], "https://kg.example/a b");
    assert!(pairs[2]["citation"].as_str().unwrap().contains("Tajik MFA"));
    assert!(
        pairs[2]["url"].is_null(),
        "the Tajik claim gets no Kyrgyz link"
    );
    let r = c.run(&["html", "--input", "out.geojson", "-o", "map.html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = std::fs::read_to_string(c.path("map.html")).unwrap();
    assert!(page.contains("sources_json"), "the page gets the pairs");
}
