//! Map renderer tests, through the library API: golden SVGs, XML safety, legend and scale
//! bar honesty, label collisions, PNG output and determinism.
//!
//! Golden files live in `tests/golden/`; `BORDERMAP_BLESS=1` rewrites them. Setting
//! `BORDERMAP_RENDER_DIR` to a folder makes `default_maps_are_deterministic` leave the default
//! maps there for a look.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use bordermap::geojson_io::{PointFeature, read_points};
use bordermap::render::{
    self, ColorBy, Facet, Labels, MapOptions, SizeBy, render_map, render_svg, svg_to_png,
};
use geo::{Distance, Geodesic, Point};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/render_incidents.geojson")).unwrap()
}

fn fixture() -> Vec<PointFeature> {
    read_points(Path::new("render_incidents.geojson"), &fixture_text()).unwrap()
}

fn golden(name: &str, actual: &str) {
    if let Some(dir) = std::env::var_os("BORDERMAP_RENDER_DIR") {
        let png = svg_to_png(actual).unwrap();
        std::fs::write(Path::new(&dir).join(name).with_extension("png"), png).unwrap();
    }
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("BORDERMAP_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with BORDERMAP_BLESS=1", path.display()));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |i| i + 1);
        panic!(
            "{name} differs from the golden file (first difference at line {line}); \
             rerun with BORDERMAP_BLESS=1 if the change is intended"
        );
    }
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

fn check_safe(doc: &roxmltree::Document<'_>) {
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(tag, "script" | "style" | "foreignObject" | "a" | "image"),
            "<{tag}> in the SVG"
        );
        for a in n.attributes() {
            let name = a.name().to_ascii_lowercase();
            assert!(!name.starts_with("on"), "event attribute {name}");
            assert!(name != "href", "href attribute");
        }
    }
}

#[test]
fn render_golden_default() {
    let opts = MapOptions {
        width: 1000,
        ..MapOptions::default()
    };
    let svg = render_svg(&fixture(), &opts).unwrap();
    golden("render_default.svg", &svg);
}

#[test]
fn render_golden_september_by_date() {
    let opts = MapOptions {
        bbox: [70.35, 39.75, 71.0, 40.2],
        from: Some(bordermap::Date::parse("2022-09-01").unwrap()),
        to: Some(bordermap::Date::parse("2022-09-30").unwrap()),
        color_by: ColorBy::Date,
        labels: Labels::All,
        width: 1200,
        ..MapOptions::default()
    };
    let svg = render_svg(&fixture(), &opts).unwrap();
    golden("render_september_by_date.svg", &svg);
}

#[test]
fn render_golden_phase_facets() {
    let opts = MapOptions {
        facet: Some(Facet::Phase),
        color_by: ColorBy::Claimant,
        size_by: SizeBy::None,
        width: 1000,
        ..MapOptions::default()
    };
    let svg = render_svg(&fixture(), &opts).unwrap();
    golden("render_phase_facets.svg", &svg);
}

#[test]
fn render_svg_is_well_formed_and_layered() {
    let r = render_map(&fixture(), &MapOptions::default()).unwrap();
    let doc = parse(&r.svg);
    check_safe(&doc);
    let ids: BTreeSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g"))
        .filter_map(|n| n.attribute("id"))
        .collect();
    for want in [
        "background",
        "countries",
        "enclaves",
        "rivers",
        "border",
        "disputed",
        "places",
        "incidents",
        "labels",
        "legend",
        "scalebar",
        "north-arrow",
        "graticule",
        "inset",
        "timeline",
        "title",
        "attribution",
    ] {
        assert!(ids.contains(want), "no <g id={want:?}>; have {ids:?}");
    }
    // Every incident group has data-id, data-date and a tooltip naming each claimant.
    let incidents: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("incident"))
        .collect();
    assert_eq!(
        incidents.len(),
        7,
        "7 of 11 fixture incidents are drawn: 2 are placed only at a region, 1 lies outside, 1 has no place"
    );
    for n in &incidents {
        assert!(n.attribute("data-id").is_some() && n.attribute("data-date").is_some());
        assert!(
            n.children().any(|c| c.has_tag_name("title")),
            "{:?} has no tooltip",
            n.attribute("data-id")
        );
    }
    // No marker stands at a region's centroid: those incidents are listed under the map,
    // by date (then id), and every incident of the period is accounted for.
    assert_eq!(
        r.areas,
        vec![
            "t-2022-09-incursion".to_string(),
            "t-2022-09-region".to_string()
        ]
    );
    assert_eq!(r.unlocated, vec!["t-unlocated".to_string()]);
    assert_eq!(r.outside, vec!["t-2022-09-samarkand".to_string()]);
    let note = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("note"))
        .unwrap();
    let text: String = note
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    for want in [
        "Placed only at a district or region (not drawn) (2):",
        "Fighting along the border (regi",
        "Not placed by the sources (not drawn) (1):",
        "Unlocated report",
        "Outside the map area (1):",
    ] {
        assert!(text.contains(want), "the note lacks {want:?}: {text}");
    }
    // Real text, not outlines.
    assert!(doc.descendants().filter(|n| n.has_tag_name("text")).count() > 30);
    assert!(r.svg.len() < 10_000_000);
}

#[test]
fn render_hostile_text_is_escaped_and_round_trips() {
    let hostile = [
        "</text><script>alert(1)</script>",
        "x\" onload=\"alert(1)",
        "a&b",
        "-->",
        "ctl\u{1}char",
        "bidi\u{202E}override\u{2066}",
        "it's <b>",
    ];
    let long = "Ворух ".repeat(2000); // ~10 kB
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut names: Vec<String> = hostile.iter().map(|s| s.to_string()).collect();
    names.push(long);
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let v = serde_json::json!({
            "type": "Feature", "id": name,
            "geometry": {"type": "Point", "coordinates": [70.5 + i as f64 * 0.03, 39.9]},
            "properties": {"title": name, "date_start": "2022-09-14", "event_type": "armed_clash",
                "fatalities_best": 1, "geo_place_name": name, "geo_precision": 1,
                "geo_uncertainty_m": 500,
                "claims_json": serde_json::json!([{"claimant": name, "claimant_side": "KG",
                    "victims": "KG", "killed": 1, "source": name, "date": "2022-09-14"}]).to_string(),
                "sources": name}
        });
        text.push_str(&v.to_string());
    }
    text.push_str("]}");
    let features = read_points(Path::new("hostile.geojson"), &text).unwrap();
    let opts = MapOptions {
        title: Some("</title><script>x</script> a&b --> \u{202E}".into()),
        labels: Labels::All,
        ..MapOptions::default()
    };
    let svg = render_svg(&features, &opts).unwrap();
    assert!(!svg.contains("<script"));
    assert!(!svg.contains('\u{202E}') && !svg.contains('\u{1}'));
    let doc = parse(&svg);
    check_safe(&doc);
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{1}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            .collect()
    };
    let ids: BTreeSet<String> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-id"))
        .map(str::to_string)
        .collect();
    for name in &names {
        assert!(ids.contains(&clean(name)), "id {name:?} did not round-trip");
    }
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    for name in &names {
        let c = clean(name);
        assert!(
            titles.iter().any(|t| t.starts_with(&c)),
            "tooltip for {name:?} did not round-trip"
        );
    }
    let title_text: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(title_text.contains(&"</title><script>x</script> a&b --> "));
}

#[test]
fn render_legend_lists_exactly_the_drawn_types() {
    for opts in [
        MapOptions::default(),
        MapOptions {
            types: vec![bordermap::EventType::Shelling],
            ..MapOptions::default()
        },
        MapOptions {
            facet: Some(Facet::Month),
            ..MapOptions::default()
        },
    ] {
        let r = render_map(&fixture(), &opts).unwrap();
        let doc = parse(&r.svg);
        let drawn: BTreeSet<&str> = doc
            .descendants()
            .filter(|n| {
                matches!(
                    n.attribute("class"),
                    Some("incident" | "incident-group" | "cluster")
                )
            })
            .filter_map(|n| n.attribute("data-type"))
            .collect();
        let legend: BTreeSet<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("data-legend-type"))
            .collect();
        assert_eq!(drawn, legend, "{opts:?}");
        assert!(!drawn.is_empty());
    }
}

#[test]
fn render_scale_bar_is_true_at_the_centre() {
    for bbox in [render::DEFAULT_BBOX, render::SEPTEMBER_BBOX] {
        let opts = MapOptions {
            bbox,
            ..MapOptions::default()
        };
        let r = render_map(&fixture(), &opts).unwrap();
        let bar = r.panels[0].scale_bar.clone().unwrap();
        // Independent check: walk the bar's length in UTM grid metres east–west through the
        // centre, unproject with proj4rs, and measure geodesically.
        let geo_def =
            proj4rs::Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").unwrap();
        let utm = proj4rs::Proj::from_proj_string(render::projection::UTM_42N).unwrap();
        let (lon, lat) = bar.centre;
        let mut c = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&geo_def, &utm, &mut c).unwrap();
        let half = bar.px * bar.grid_metres_per_px / 2.0;
        let mut a = (c.0 - half, c.1, 0.0);
        let mut b = (c.0 + half, c.1, 0.0);
        proj4rs::transform::transform(&utm, &geo_def, &mut a).unwrap();
        proj4rs::transform::transform(&utm, &geo_def, &mut b).unwrap();
        let d = Geodesic.distance(
            Point::new(a.0.to_degrees(), a.1.to_degrees()),
            Point::new(b.0.to_degrees(), b.1.to_degrees()),
        );
        let err = (d - bar.km * 1000.0).abs() / (bar.km * 1000.0);
        assert!(
            err < 0.005,
            "bar {} km drawn as {} m on the ground ({err})",
            bar.km,
            d
        );
        // The label says what the bar measures.
        let doc = parse(&r.svg);
        let g = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("scalebar"))
            .unwrap();
        let label = format!("{} km", bar.km);
        assert!(
            g.descendants().any(|n| n.text() == Some(label.as_str())),
            "no {label:?} in the scale bar"
        );
    }
}

#[test]
fn render_labels_do_not_collide_and_stay_in_frame() {
    for opts in [
        MapOptions::default(),
        MapOptions {
            bbox: render::SEPTEMBER_BBOX,
            labels: Labels::All,
            ..MapOptions::default()
        },
        MapOptions {
            facet: Some(Facet::Phase),
            ..MapOptions::default()
        },
    ] {
        let r = render_map(&fixture(), &opts).unwrap();
        for p in &r.panels {
            assert!(p.labels.len() >= 5, "too few labels: {:?}", p.labels);
            for (i, a) in p.labels.iter().enumerate() {
                assert!(
                    p.frame.contains_rect(&a.rect),
                    "{:?} leaves the frame",
                    a.text
                );
                for b in &p.labels[i + 1..] {
                    assert!(
                        !a.rect.intersects(&b.rect),
                        "{:?} overlaps {:?}",
                        a.text,
                        b.text
                    );
                }
            }
        }
    }
}

#[test]
fn render_png_has_colour_and_text() {
    let svg = render_svg(&fixture(), &MapOptions::default()).unwrap();
    let png = svg_to_png(&svg).unwrap();
    let img = decode_png(&png);
    let colours: BTreeSet<[u8; 3]> = img.pixels.iter().step_by(7).copied().collect();
    assert!(colours.len() > 50, "only {} colours", colours.len());
    // The title sits at (24, 24)–(~900, 60): it must hold dark, text-like pixels.
    let dark = (30..60)
        .flat_map(|y| (24..700).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = img.pixels[y * img.width + x];
            p.iter().map(|&c| u32::from(c)).sum::<u32>() < 200
        })
        .count();
    assert!(dark > 800, "only {dark} dark pixels in the title area");
    assert_eq!(
        png,
        svg_to_png(&svg).unwrap(),
        "PNG output is not deterministic"
    );
}

struct Image {
    width: usize,
    pixels: Vec<[u8; 3]>,
}

/// Decodes the PNG with tiny-skia (re-exported by resvg), checking the header's size.
fn decode_png(png: &[u8]) -> Image {
    // PNG IHDR: width and height at bytes 16..24.
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]) as usize;
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]) as usize;
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
    assert_eq!(
        (pixmap.width() as usize, pixmap.height() as usize),
        (width, height)
    );
    let pixels = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    Image { width, pixels }
}

#[test]
fn render_is_deterministic() {
    let f = fixture();
    for opts in [
        MapOptions::default(),
        MapOptions {
            facet: Some(Facet::Month),
            color_by: ColorBy::Date,
            ..MapOptions::default()
        },
    ] {
        assert_eq!(
            render_svg(&f, &opts).unwrap(),
            render_svg(&f, &opts).unwrap()
        );
    }
}

#[test]
fn render_default_maps_are_deterministic() {
    let text = std::fs::read_to_string(root().join("output/incidents.geojson")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = render::default_maps(dir.path(), &text).unwrap();
    let first: Vec<Vec<u8>> = a.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let b = render::default_maps(dir.path(), &text).unwrap();
    assert_eq!(a, b);
    let names: Vec<String> = a
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["map.svg", "map.png", "map-2022-09.svg", "map-2022-09.png"]
    );
    for (p, bytes) in b.iter().zip(&first) {
        assert_eq!(
            &std::fs::read(p).unwrap(),
            bytes,
            "{} changed on re-run",
            p.display()
        );
    }
    if let Some(out) = std::env::var_os("BORDERMAP_RENDER_DIR") {
        render::default_maps(Path::new(&out), &text).unwrap();
    }
}

#[test]
fn render_flags_are_checked() {
    let dir = util::Dir::new();
    let err = |args: &[&str], code: i32| {
        let mut all = vec!["render", "-o", "m.svg"];
        all.extend(args);
        let run = dir.run(&all);
        run.expect_code(code);
        assert!(
            dir.entries().is_empty(),
            "{args:?} wrote {:?}",
            dir.entries()
        );
        run.stderr.clone()
    };
    let e = err(&["--bbox", "70,39,71"], 2);
    assert!(
        e.contains("--bbox") && e.contains("\"70,39,71\"") && e.contains("3 numbers"),
        "{e}"
    );
    let e = err(&["--bbox", "71,39,70,40"], 2);
    assert!(e.contains("west must be less than east"), "{e}");
    let e = err(&["--around", "Isfara", "--radius-km", "-5"], 2);
    assert!(e.contains("--radius-km -5"), "{e}");
    let e = err(&["--type", "battle"], 2);
    assert!(
        e.contains("--type \"battle\"") && e.contains("armed_clash"),
        "{e}"
    );
    let e = err(&["--from", "2022-13-01"], 2);
    assert!(e.contains("--from"), "{e}");
    // An ambiguous place is a data problem, as in `near --place`: exit 1.
    let e = err(&["--around", "Kek-Tash"], 1);
    assert!(e.contains("ambiguous") && e.contains("candidates"), "{e}");
    dir.run(&[
        "render",
        "-o",
        "m.svg",
        "--around",
        "Isfara",
        "--radius-km",
        "30",
    ])
    .ok()
    .stdout_has("wrote m.svg");
}

#[test]
fn render_command_writes_svg_and_png_and_refuses_its_input() {
    let dir = util::Dir::new();
    dir.write("in.geojson", fixture_text());
    for name in ["m.svg", "m.png"] {
        dir.run(&["render", "--input", "in.geojson", "-o", name])
            .ok()
            .stdout_has("7 incidents drawn")
            .stderr_has("bordermap: 1 × ");
        assert!(std::fs::metadata(dir.join(name)).unwrap().len() > 10_000);
    }
    // An input whose name looks like a map is still an input.
    dir.write("in.svg", fixture_text());
    dir.run(&["render", "--input", "in.svg", "-o", "in.svg"])
        .expect_code(2)
        .stderr_has("refusing to overwrite an input file");
    assert_eq!(dir.read_string("in.svg"), fixture_text());
    dir.run(&["render", "--input", "in.geojson", "-o", "m.jpg"])
        .expect_code(2)
        .stderr_has("--output")
        .stderr_has("jpg");
}

#[test]
fn render_100k_incidents_quickly_and_small() {
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    // A fixed linear congruential sequence: deterministic, no random crate.
    let mut s: u64 = 42;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..100_000 {
        if i > 0 {
            text.push(',');
        }
        let (lon, lat) = (69.2 + next() * 2.7, 39.45 + next() * 1.1);
        let t = ["armed_clash", "shelling", "incursion"][i % 3];
        let day = 1 + (i % 28);
        text.push_str(&format!(
            r#"{{"type":"Feature","id":"i{i}","geometry":{{"type":"Point","coordinates":[{lon:.5},{lat:.5}]}},"properties":{{"date_start":"2022-09-{day:02}","event_type":"{t}","fatalities_best":{},"geo_precision":1,"geo_uncertainty_m":1000}}}}"#,
            i % 5
        ));
    }
    text.push_str("]}");
    let features = read_points(Path::new("big.geojson"), &text).unwrap();
    let svg = render_svg(&features, &MapOptions::default()).unwrap();
    // the page stays small: dense areas are clusters, not 100k markers (the time it takes
    // is the benchmark's business)
    assert!(svg.len() < 10_000_000, "{} bytes", svg.len());
    assert!(svg.contains("class=\"cluster\""));
    parse(&svg);
}

/// `--lang ru`: every word of the map in Russian, place names from the gazetteer's Russian
/// names, dates in the Russian form; English maps stay as they were.
#[test]
fn render_in_russian() {
    let opts = MapOptions {
        bbox: [70.35, 39.75, 71.0, 40.2],
        labels: Labels::All,
        width: 1200,
        lang: bordermap::Lang::Ru,
        ..MapOptions::default()
    };
    let svg = render_svg(&fixture(), &opts).unwrap();
    golden("render_ru.svg", &svg);
    let doc = parse(&svg);
    check_safe(&doc);
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.descendants().filter_map(|t| t.text()).collect::<String>())
        .collect();
    let has = |s: &str| texts.iter().any(|t| t.contains(s));
    for want in [
        "Условные обозначения",
        "Инциденты на кыргызско-таджикской границе",
        "Ворух",
        "Баткен",
        "Исфара",
        "КЫРГЫЗСТАН",
        "точно в центре карты",
    ] {
        assert!(has(want), "no {want:?} on the Russian map");
    }
    assert!(
        texts.iter().any(|t| t.contains("сентября 2022")),
        "no Russian date"
    );
    for english in [
        "Legend",
        "Base map",
        "true at map centre",
        "Sep 2022",
        "Vorukh",
    ] {
        assert!(!has(english), "{english:?} left in English");
    }
    // The groups of the English map are all there: only the words change.
    let en = render_svg(
        &fixture(),
        &MapOptions {
            lang: bordermap::Lang::En,
            ..opts.clone()
        },
    )
    .unwrap();
    let count = |s: &str| s.matches("<text").count();
    assert!(count(&svg) > 0 && count(&en) > 0);
}
