//! The interactive HTML map, without a browser: the page is self-contained (no address it
//! could fetch), its embedded JSON parses and round-trips hostile strings, its Content
//! Security Policy names the script it carries, it stays small, and the same input gives the
//! same bytes. The browser test (`tests/browser/check.mjs`) covers what the page does.
//!
//! Setting `BORDERMAP_HTML_DIR` to a folder makes `pages_are_deterministic` leave the shipped
//! and the hostile page there (`map.html`, `hostile.html`) for a look.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use bordermap::geojson_io::{PointFeature, read_points};
use bordermap::html::{self, csp};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const HOSTILE_TITLE: &str = "</title><script>alert(1)</script> & <b>map</b>";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| bordermap::pipeline::shipped_geojson().unwrap())
}

fn hostile_text() -> String {
    std::fs::read_to_string(root().join("tests/browser/fixtures/hostile.geojson")).unwrap()
}

fn points(text: &str) -> Vec<PointFeature> {
    read_points(Path::new("incidents.geojson"), text).unwrap()
}

fn shipped_page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| {
        html::render_html(&points(shipped_text()), None)
            .unwrap()
            .html
    })
}

fn hostile_page() -> &'static str {
    static PAGE: OnceLock<String> = OnceLock::new();
    PAGE.get_or_init(|| {
        html::render_html(&points(&hostile_text()), Some(HOSTILE_TITLE))
            .unwrap()
            .html
    })
}

/// The text of `<script type="application/json" id="{id}">…</script>`.
/// The page without the two data blocks: what the browser treats as markup, style and code.
fn markup(page: &str) -> String {
    let mut out = page.to_string();
    for id in ["bm-incidents", "bm-model"] {
        let block = util::page_block(page, id).to_string();
        out = out.replacen(&block, "", 1);
    }
    out
}

fn between<'a>(page: &'a str, open: &str, close: &str) -> &'a str {
    let start = page.find(open).unwrap() + open.len();
    let len = page[start..].find(close).unwrap();
    &page[start..start + len]
}

#[test]
fn page_has_no_address_it_could_fetch() {
    for page in [shipped_page(), hostile_page()] {
        let m = markup(page);
        let lower = m.to_ascii_lowercase();
        for bad in [
            "src=",
            "href=",
            "@import",
            "<link",
            "<img",
            "<iframe",
            "<object",
            "<embed",
            "srcset",
            "<base",
            "<form",
            "<meta http-equiv=\"refresh\"",
        ] {
            assert!(!lower.contains(bad), "the page's markup contains {bad:?}");
        }
        // No CSS or SVG reference to another resource (the script is checked below).
        let code = between(&m, "<script>", "</script>");
        assert!(
            !lower
                .replacen(&code.to_ascii_lowercase(), "", 1)
                .contains("url(")
        );
        // The only absolute URL outside the data is the SVG namespace name, which is never
        // fetched.
        let svg_ns = "http://www.w3.org/2000/svg";
        for scheme in ["http://", "https://", "ws://", "wss://", "//cdn", "ftp://"] {
            let n = lower.matches(scheme).count();
            let allowed = if scheme == "http://" {
                lower.matches(svg_ns).count()
            } else {
                0
            };
            assert_eq!(n, allowed, "{scheme} outside the data");
        }
    }
}

#[test]
fn script_uses_no_network_or_markup_apis() {
    let page = shipped_page();
    let code = between(page, "<script>", "</script>");
    for bad in [
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "EventSource",
        "sendBeacon",
        "importScripts",
        "Worker(",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute('style'",
        "window.open",
        "localStorage",
    ] {
        assert!(!code.contains(bad), "the script uses {bad}");
    }
    // The stylesheet uses system fonts only.
    let css = between(page, "<style>", "</style>");
    assert!(!css.contains("@font-face") && !css.contains("url("));
}

#[test]
fn csp_names_the_page_script_and_style_and_forbids_the_network() {
    for page in [shipped_page(), hostile_page()] {
        let policy = between(
            page,
            r#"<meta http-equiv="Content-Security-Policy" content=""#,
            "\"",
        );
        let code = between(page, "<script>", "</script>");
        let style = between(page, "<style>", "</style>");
        assert_eq!(policy, csp::policy(code, style));
        assert!(policy.starts_with("default-src 'none';"));
        assert!(policy.contains("connect-src 'none'") && policy.contains("img-src 'none'"));
        assert!(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"));
        // The hash is of exactly the text between the tags.
        let hash = csp::hash(code);
        assert!(policy.contains(&format!("script-src 'sha256-{hash}'")));
    }
}

#[test]
fn embedded_geojson_holds_every_incident_and_the_model_lines_up() {
    let page = shipped_page();
    let fc = util::page_json(page, "bm-incidents");
    let input: Value = serde_json::from_str(shipped_text()).unwrap();
    let features = fc["features"].as_array().unwrap();
    let expected = input["features"].as_array().unwrap();
    assert_eq!(features.len(), expected.len());
    for (a, b) in features.iter().zip(expected) {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["properties"], b["properties"]);
        assert_eq!(a["geometry"], b["geometry"]);
    }
    let model = util::page_json(page, "bm-model");
    let incidents = model["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), features.len());
    // Every located incident of the shipped data is drawn (Samarkand widens the area).
    for (v, f) in incidents.iter().zip(features) {
        assert_eq!(v["xy"].is_null(), f["geometry"].is_null(), "{}", f["id"]);
    }
    // The sections carry their status histories, the places their Cyrillic names.
    let sections = model["sections"].as_array().unwrap();
    assert!(sections.len() >= 5);
    for s in sections {
        assert!(page.contains(&format!(r#"data-section="{}""#, s["id"].as_str().unwrap())));
        assert!(!s["history"].as_array().unwrap().is_empty());
    }
    let places = model["places"].as_array().unwrap();
    let vorukh = places
        .iter()
        .find(|p| p["n"] == "Vorukh" && p["k"] == "village")
        .unwrap();
    assert!(
        vorukh["alt"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Ворух")
    );
}

#[test]
fn scale_factor_series_matches_the_geodesic_measurement() {
    // The page's scale bar uses k = k0 (1 + q²/2R² + q⁴/24R⁴); the model carries the value
    // measured geodesically at the world centre. Recompute the series here, as the page does.
    let model = util::page_json(shipped_page(), "bm-model");
    let w = &model["world"];
    let f = |k: &str| w[k].as_f64().unwrap();
    let x = f("w") / 2.0;
    let q = (f("e0") + x * f("unit_m") - f("false_easting")) / f("k0");
    let r2 = f("r_m") * f("r_m");
    let k = f("k0") * (1.0 + q * q / (2.0 * r2) + q.powi(4) / (24.0 * r2 * r2));
    assert!(
        (k - f("k_measured")).abs() < 2e-6,
        "{k} vs {}",
        f("k_measured")
    );
}

#[test]
fn hostile_strings_round_trip_and_never_become_markup() {
    let page = hostile_page();
    let m = markup(page);
    // Exactly the page's own three script elements, no element made from data.
    assert_eq!(page.matches("<script").count(), 3);
    assert_eq!(page.matches("</script>").count(), 3);
    for bad in [
        "<img",
        "<iframe",
        "<svg onload",
        "<svg/onload",
        "<details",
        "<style>body",
    ] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
    assert!(!page.contains('\u{2028}') && !page.contains('\u{2029}'));
    // The hostile title is escaped where it is markup, and carried as data.
    assert!(m.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;map&lt;/b&gt;</title>"));
    let model = util::page_json(page, "bm-model");
    assert_eq!(model["title"], HOSTILE_TITLE);
    // Every string comes back exactly, less the bidi controls the page drops (as all markup
    // does: they could reorder what a reader sees).
    assert!(!page.contains('\u{202E}') && !page.contains('\u{2066}'));
    let fc = util::page_json(page, "bm-incidents");
    let input: Value = serde_json::from_str(&hostile_text().replace(
        |c: char| bordermap::xml::is_dropped(c) && !c.is_ascii_control(),
        "",
    ))
    .unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), 4);
    for (a, b) in fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(input["features"].as_array().unwrap())
    {
        assert_eq!(a["id"], b["id"]);
        assert_eq!(a["properties"], b["properties"]);
    }
    assert_eq!(
        fc["features"][0]["id"],
        "</script><script>alert(1)</script>"
    );
    assert_eq!(
        fc["features"][0]["properties"]["title"],
        "<img src=x onerror=alert(1)>"
    );
    // Template placeholders inside the data are not expanded.
    assert!(
        fc["features"][0]["properties"]["notes"]
            .as_str()
            .unwrap()
            .contains("{{SCRIPT}} {{WORLD}}")
    );
    // Unlocated and far-away incidents are listed, not drawn.
    let incidents = model["incidents"].as_array().unwrap();
    assert!(incidents[2]["xy"].is_null() && incidents[2]["outside"] == false);
    assert!(incidents[3]["xy"].is_null() && incidents[3]["outside"] == true);
}

#[test]
fn shipped_page_is_small() {
    let n = shipped_page().len();
    assert!(n < 5 << 20, "{n} bytes");
    assert!(n > 100_000, "{n} bytes: the base map is missing?");
}

#[test]
fn pages_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let a = html::default_html(dir.path(), shipped_text()).unwrap();
    let first = std::fs::read(&a).unwrap();
    let b = html::default_html(dir.path(), shipped_text()).unwrap();
    assert_eq!(a, b);
    assert_eq!(first, std::fs::read(&b).unwrap());
    assert_eq!(first, shipped_page().as_bytes());
    let again = html::render_html(&points(&hostile_text()), Some(HOSTILE_TITLE)).unwrap();
    assert_eq!(again.html, hostile_page());
    if let Some(out) = std::env::var_os("BORDERMAP_HTML_DIR") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("map.html"), shipped_page()).unwrap();
        std::fs::write(out.join("hostile.html"), hostile_page()).unwrap();
    }
}

#[test]
fn html_command_writes_the_page_and_never_its_input() {
    let dir = util::Dir::new();
    dir.write("hostile.geojson", hostile_text());
    let args = [
        "html",
        "--input",
        "hostile.geojson",
        "-o",
        "out/map.html",
        "--title",
        HOSTILE_TITLE,
    ];
    let run = dir.run(&args);
    run.ok()
        .stdout_has("map page: 2 incidents drawn, 1 outside the map area, 1 without a location\n")
        .stderr_has("bordermap: 1 × not_drawn_no_location")
        .stderr_has("bordermap: 1 × outside_map_area");
    assert_eq!(dir.read_string("out/map.html"), hostile_page());

    dir.run(&[
        "html",
        "--input",
        "hostile.geojson",
        "-o",
        "hostile.geojson",
    ])
    .expect_code(2)
    .stderr_has("refusing to overwrite an input file");
    assert_eq!(dir.read_string("hostile.geojson"), hostile_text());

    let mut tiny = args.to_vec();
    tiny.extend(["--max-input-mb", "0"]);
    dir.run(&tiny).expect_code(1).stderr_has("--max-input-mb");
}

#[test]
fn a_missing_date_is_an_error_that_names_the_feature() {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"x",
      "geometry":{"type":"Point","coordinates":[70.5,39.9]},"properties":{"title":"no date"}}]}"#;
    let e = html::render_html(&points(text), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("date_start") && e.contains("\"x\""), "{e}");
}
