//! Labels measured on the rendered SVG, with the real font: the SVG is read with roxmltree
//! (what each text is, which marker a label belongs to) and laid out with usvg and the
//! shipped DejaVu fonts (where each glyph really lands), then checked:
//!
//! - every incident label sits within a short leader's reach of its own marker, and is never
//!   nearer to another marker than to its own;
//! - no two labels overlap;
//! - no label covers a section number;
//! - the key, the notes, the legend and the subtitle are not cut off (no "…" where wrapping
//!   fits, nothing past the page edge);
//! - the timeline's texts do not overprint;
//! - no village or town name other than the key places is drawn across the KG–TJ border
//!   line (a key place, an incident or a country name may cross it where nothing else fits).
//!
//! The maps measured: a dense synthetic map (a few hundred incidents clustered around the
//! region's towns, rendered by the real binary, in English and in Russian), the zoomed map
//! around Vorukh, and the shipped maps in `output/`. A unit test feeds the measuring code a
//! deliberately broken map, so the checks are known to fail when they should.
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use resvg::usvg;
use std::sync::Arc;

/// How far past its marker's edge an incident label may sit (its leader line), px.
const MAX_LEADER_PX: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct BoxPx {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl BoxPx {
    /// Distance from a point to the box (0 inside).
    fn distance(&self, (x, y): (f64, f64)) -> f64 {
        let dx = (self.x0 - x).max(0.0).max(x - self.x1);
        let dy = (self.y0 - y).max(0.0).max(y - self.y1);
        dx.hypot(dy)
    }

    /// True when the boxes overlap by more than `tol` px both ways.
    fn overlaps(&self, o: &BoxPx, tol: f64) -> bool {
        self.x1.min(o.x1) - self.x0.max(o.x0) > tol && self.y1.min(o.y1) - self.y0.max(o.y0) > tol
    }
}

/// One text of the map, measured.
#[derive(Debug, Clone)]
struct Text {
    text: String,
    /// Drawn in bold (a key place, the ones the reports name).
    bold: bool,
    /// The id of the nearest named group around it (`labels`, `note`, `timeline-…`).
    group: String,
    /// `data-kind` of a map label (`incident`, `place`, …), else empty.
    kind: String,
    /// An incident label's marker group: centre and extent (`data-x`, `data-y`, `data-r`).
    marker: Option<(f64, f64, f64)>,
    bbox: BoxPx,
}

/// What the measuring found in one SVG.
#[derive(Debug, Default)]
struct Measured {
    width: f64,
    texts: Vec<Text>,
    /// Every drawn incident symbol (marker, count bubble, cluster): centre and extent.
    symbols: Vec<(f64, f64, f64)>,
    /// Section number badges: centre and radius.
    badges: Vec<(f64, f64, f64)>,
    /// The KG–TJ border line as drawn, px.
    border: Vec<Vec<(f64, f64)>>,
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(bordermap::render::png::REGULAR.to_vec());
    db.load_font_data(bordermap::render::png::BOLD.to_vec());
    db.set_sans_serif_family(bordermap::render::style::FONT_FAMILY);
    Arc::new(db)
}

fn collect_usvg(g: &usvg::Group, out: &mut Vec<(String, BoxPx)>) {
    for n in g.children() {
        match n {
            usvg::Node::Group(g) => collect_usvg(g, out),
            usvg::Node::Text(t) => {
                let text: String = t.chunks().iter().map(|c| c.text()).collect();
                let b = t.abs_bounding_box();
                out.push((
                    squash(&text),
                    BoxPx {
                        x0: f64::from(b.left()),
                        y0: f64::from(b.top()),
                        x1: f64::from(b.right()),
                        y1: f64::from(b.bottom()),
                    },
                ));
            }
            _ => {}
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attr_f(n: &roxmltree::Node<'_, '_>, a: &str) -> Option<f64> {
    n.attribute(a).and_then(|v| v.parse().ok())
}

/// Reads an SVG and measures every text with the shipped fonts.
fn measure(svg: &str) -> Measured {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let opt = usvg::Options {
        font_family: bordermap::render::style::FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).unwrap();
    let mut laid = Vec::new();
    collect_usvg(tree.root(), &mut laid);
    let mut m = Measured {
        width: f64::from(tree.size().width()),
        ..Measured::default()
    };
    let mut next = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        let class = n.attribute("class").unwrap_or("");
        if n.has_tag_name("g")
            && matches!(class, "incident" | "incident-group" | "cluster")
            && let (Some(x), Some(y), Some(r)) = (
                attr_f(&n, "data-x"),
                attr_f(&n, "data-y"),
                attr_f(&n, "data-r"),
            )
        {
            m.symbols.push((x, y, r));
        }
        if n.has_tag_name("g") && class == "section-badge" {
            let c = n.children().find(|c| c.has_tag_name("circle")).unwrap();
            m.badges.push((
                attr_f(&c, "cx").unwrap(),
                attr_f(&c, "cy").unwrap(),
                attr_f(&c, "r").unwrap(),
            ));
        }
        if n.has_tag_name("path") && class == "kg-tj-border" {
            m.border.extend(polylines(n.attribute("d").unwrap_or("")));
        }
        if !n.has_tag_name("text") {
            continue;
        }
        let text = squash(
            &n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect::<String>(),
        );
        if text.is_empty() {
            continue;
        }
        // usvg lays the texts out in document order; find this one among them.
        let at = laid[next..]
            .iter()
            .position(|(t, _)| *t == text)
            .unwrap_or_else(|| panic!("text {text:?} was not laid out"));
        let bbox = laid[next + at].1;
        next += at + 1;
        let group = n
            .ancestors()
            .filter(|a| a.has_tag_name("g"))
            .find_map(|a| a.attribute("id"))
            .unwrap_or("")
            .to_string();
        let marker = match (
            attr_f(&n, "data-x"),
            attr_f(&n, "data-y"),
            attr_f(&n, "data-r"),
        ) {
            (Some(x), Some(y), Some(r)) => Some((x, y, r)),
            _ => None,
        };
        m.texts.push(Text {
            text,
            bold: n.attribute("font-weight") == Some("bold"),
            group,
            kind: if class == "label" {
                n.attribute("data-kind").unwrap_or("").to_string()
            } else {
                String::new()
            },
            marker,
            bbox,
        });
    }
    m
}

/// The polylines of an SVG path made of M and L commands (Z ignored).
fn polylines(d: &str) -> Vec<Vec<(f64, f64)>> {
    d.split('M')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.split('L')
                .filter_map(|xy| {
                    let mut it = xy.trim().trim_end_matches(['Z', 'z']).split_whitespace();
                    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

/// True when the segment `a`–`b` passes through the box (sampled every 0.5 px).
fn crosses(a: (f64, f64), b: (f64, f64), r: &BoxPx) -> bool {
    let n = ((b.0 - a.0).hypot(b.1 - a.1) / 0.5).ceil().max(1.0) as usize;
    (0..=n).any(|k| {
        let t = k as f64 / n as f64;
        r.distance((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)) == 0.0
    })
}

/// Figures of one map, for the report.
#[derive(Debug, Default)]
struct Figures {
    labels: usize,
    incident_labels: usize,
    longest_leader_px: f64,
    tightest_own_margin_px: f64,
}

/// Everything wrong with the labels of a measured map, one line each (empty when fine).
fn problems(m: &Measured) -> (Vec<String>, Figures) {
    let mut out = Vec::new();
    let mut fig = Figures {
        tightest_own_margin_px: f64::INFINITY,
        ..Figures::default()
    };
    let labels: Vec<&Text> = m.texts.iter().filter(|t| !t.kind.is_empty()).collect();
    fig.labels = labels.len();
    // 1. Incident labels and their markers.
    for l in labels.iter().filter(|l| l.kind == "incident") {
        fig.incident_labels += 1;
        let Some((x, y, r)) = l.marker else {
            out.push(format!("incident label {:?} names no marker", l.text));
            continue;
        };
        let own = l.bbox.distance((x, y));
        fig.longest_leader_px = fig.longest_leader_px.max(own - r);
        if own > r + MAX_LEADER_PX {
            out.push(format!(
                "far: {:?} is {:.1} px from its marker's edge (at most {MAX_LEADER_PX})",
                l.text,
                own - r
            ));
        }
        for &(sx, sy, _) in &m.symbols {
            if (sx - x).hypot(sy - y) <= r + 0.5 {
                continue; // a member of its own group
            }
            let d = l.bbox.distance((sx, sy));
            fig.tightest_own_margin_px = fig.tightest_own_margin_px.min(d - own);
            if d < own {
                out.push(format!(
                    "nearer another marker: {:?} is {d:.1} px from the marker at ({sx:.0}, {sy:.0}) and {own:.1} px from its own",
                    l.text
                ));
            }
        }
    }
    // 2. No two labels overlap.
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            if a.bbox.overlaps(&b.bbox, 0.5) {
                out.push(format!("overlap: {:?} and {:?}", a.text, b.text));
            }
        }
    }
    // 3. Section numbers are not covered.
    for &(cx, cy, r) in &m.badges {
        for l in &labels {
            if l.bbox.distance((cx, cy)) < r - 0.5 && !l.text.chars().all(|c| c.is_ascii_digit()) {
                out.push(format!(
                    "covered: the section number at ({cx:.0}, {cy:.0}) is under {:?}",
                    l.text
                ));
            }
        }
    }
    // 4. Nothing cut off: no "…" in the key, notes, legend or subtitle (the notes' own
    //    "… and N more lines" aside), nothing past the page's edges.
    for t in &m.texts {
        let words = matches!(
            t.group.as_str(),
            "section-key" | "note" | "legend" | "title"
        );
        if words && t.text.contains('…') && !t.text.starts_with("… ") {
            out.push(format!("cut: {:?} in {}", t.text, t.group));
        }
        if t.bbox.x0 < -0.5 || t.bbox.x1 > m.width + 0.5 {
            out.push(format!(
                "past the page edge: {:?} ({:.0}–{:.0} px)",
                t.text, t.bbox.x0, t.bbox.x1
            ));
        }
    }
    // 5. Other places' names keep off the border line.
    for l in labels.iter().filter(|l| l.kind == "place" && !l.bold) {
        let across = m
            .border
            .iter()
            .any(|line| line.windows(2).any(|w| crosses(w[0], w[1], &l.bbox)));
        if across {
            out.push(format!("across the border: {:?}", l.text));
        }
    }
    // 6. The timeline's texts do not overprint.
    let timeline: Vec<&Text> = m
        .texts
        .iter()
        .filter(|t| t.group.starts_with("timeline"))
        .collect();
    for (i, a) in timeline.iter().enumerate() {
        for b in &timeline[i + 1..] {
            if a.bbox.overlaps(&b.bbox, 0.0) {
                out.push(format!("timeline overlap: {:?} and {:?}", a.text, b.text));
            }
        }
    }
    (out, fig)
}

/// Checks a map; with `BORDERMAP_RENDER_DIR` set, also leaves it there as PNG for a look.
fn assert_clean(name: &str, svg: &str) -> Figures {
    if let Some(dir) = std::env::var_os("BORDERMAP_RENDER_DIR") {
        let file: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let png = bordermap::render::svg_to_png(svg).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(file + ".png"), png).unwrap();
    }
    let m = measure(svg);
    assert!(
        !m.border.is_empty(),
        "{name}: no KG–TJ border line found to measure against"
    );
    let (p, fig) = problems(&m);
    eprintln!("{name}: {fig:?}");
    assert!(
        p.is_empty(),
        "{name}: {} problem(s):\n{}",
        p.len(),
        p.join("\n")
    );
    fig
}

// ---------------------------------------------------------------- the synthetic map

/// The same synthetic incidents on every machine.
use bordermap::synthetic::SplitMix64 as Rng;

/// `n` incidents clustered around the towns and villages of the default map area (a spread
/// of 0.3–4 km around each), over 2021–2022, with long titles among them.
fn dense_incidents(n: usize, seed: u64) -> String {
    let g = bordermap::Gazetteer::shipped().unwrap();
    let [w, s, e, no] = bordermap::render::DEFAULT_BBOX;
    let mut towns: Vec<&bordermap::gazetteer::Place> = g
        .places()
        .iter()
        .filter(|p| {
            use bordermap::gazetteer::PlaceKind::{Town, Village};
            matches!(p.kind, Town | Village)
                && (p.kind == Town || p.population > 3000)
                && (w + 0.1..e - 0.1).contains(&p.position.lon())
                && (s + 0.1..no - 0.1).contains(&p.position.lat())
        })
        .collect();
    towns.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(
        towns.len() >= 10,
        "only {} towns in the map area",
        towns.len()
    );
    let mut rng = Rng(seed);
    let types = bordermap::EventType::ALL;
    let mut features = Vec::new();
    for k in 0..n {
        let t = towns[rng.below(towns.len())];
        let spread_km = 0.3 + 3.7 * rng.f64();
        let a = rng.f64() * std::f64::consts::TAU;
        let d = spread_km * rng.f64().sqrt();
        let lat = t.position.lat() + d * a.sin() / 111.0;
        let lon = t.position.lon() + d * a.cos() / (111.0 * lat.to_radians().cos());
        let day = rng.below(730) as i64;
        let start =
            bordermap::Date::from_days(bordermap::Date::parse("2021-01-01").unwrap().days() + day);
        let end = bordermap::Date::from_days(start.days() + rng.below(3) as i64);
        let etype = types[rng.below(types.len())];
        let fat = if rng.below(3) == 0 { rng.below(40) } else { 0 };
        let title = if k % 7 == 0 {
            format!(
                "Synthetic incident {k} near {}: a deliberately long title, so that the notes under the map must wrap it over two lines instead of cutting it",
                t.name
            )
        } else {
            format!("Synthetic incident {k} near {}", t.name)
        };
        features.push(serde_json::json!({
            "type": "Feature",
            "id": format!("syn-{k:04}"),
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {
                "title": title,
                "date_start": start.to_string(),
                "date_end": end.to_string(),
                "date_precision": "day",
                "event_type": etype.as_str(),
                "fatalities_best": if fat > 0 { serde_json::json!(fat) } else { serde_json::Value::Null },
                "geo_place_id": t.id,
                "geo_place_name": t.name,
                "geo_kind": t.kind.as_str(),
                "geo_precision": 1 + rng.below(2),
                "geo_uncertainty_m": 300.0 + 2700.0 * rng.f64(),
                "side_agrees": true,
            },
        }));
    }
    // A few the sources did not place, with long titles: the notes under the map list them,
    // and must wrap a long title, not cut it.
    for k in 0..6 {
        features.push(serde_json::json!({
            "type": "Feature",
            "id": format!("syn-unplaced-{k}"),
            "geometry": null,
            "properties": {
                "title": format!("Unplaced synthetic incident {k}: the sources name no place, and this title is long enough that only wrapping it keeps every word of it on the page"),
                "date_start": "2022-09-1".to_string() + &k.to_string(),
                "date_precision": "day",
                "event_type": "shelling",
            },
        }));
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}

fn render(dir: &util::Dir, args: &[&str]) -> String {
    let run = dir.cmd().args(args).run();
    assert_eq!(run.code, 0, "{}: {}", run.command, run.stderr);
    let out = args.iter().skip_while(|a| **a != "-o").nth(1).unwrap();
    dir.read_string(out)
}

#[test]
fn labels_on_a_dense_synthetic_map_measure_clean() {
    let dir = util::Dir::new();
    dir.write("dense.geojson", dense_incidents(400, 15));
    // (name, extra arguments, the fewest labels and incident labels it must place)
    let cases: [(&str, &[&str], usize, usize); 4] = [
        ("dense, all labels", &["--labels", "all"], 12, 3),
        // The deadliest groups sit inside the thickest clusters; the next ones with room
        // take their turn.
        ("dense, automatic labels", &[], 12, 3),
        (
            "dense, Russian",
            &["--labels", "all", "--lang", "ru"],
            12,
            3,
        ),
        (
            "dense, September 2022 area",
            &["--labels", "all", "--bbox", "70.35,39.75,71.0,40.2"],
            12,
            3,
        ),
    ];
    for (name, extra, min_labels, min_incident_labels) in cases {
        let mut args = vec!["render", "--input", "dense.geojson", "-o", "dense.svg"];
        args.extend(extra);
        let svg = render(&dir, &args);
        let fig = assert_clean(name, &svg);
        assert!(
            fig.labels >= min_labels,
            "{name}: only {} labels",
            fig.labels
        );
        assert!(
            fig.incident_labels >= min_incident_labels,
            "{name}: only {} incident labels",
            fig.incident_labels
        );
    }
}

#[test]
fn labels_around_vorukh_measure_clean() {
    let dir = util::Dir::new();
    for lang in ["en", "ru"] {
        let svg = render(
            &dir,
            &[
                "render",
                "--around",
                "Vorukh",
                "--radius-km",
                "15",
                "--lang",
                lang,
                "-o",
                "vorukh.svg",
            ],
        );
        assert_clean(&format!("around Vorukh ({lang})"), &svg);
    }
}

#[test]
fn labels_on_russian_and_faceted_maps_measure_clean() {
    let dir = util::Dir::new();
    for (name, args) in [
        ("Russian default map", vec!["--lang", "ru"]),
        ("phase facets", vec!["--facet", "phase"]),
        (
            "phase facets, Russian",
            vec!["--facet", "phase", "--lang", "ru"],
        ),
    ] {
        let mut all = vec!["render", "-o", "map.svg"];
        all.extend(args);
        assert_clean(name, &render(&dir, &all));
    }
}

#[test]
fn labels_on_the_shipped_maps_measure_clean() {
    for name in ["map.svg", "map-2022-09.svg"] {
        let path = util::root().join("output").join(name);
        let svg = std::fs::read_to_string(&path).unwrap();
        let fig = assert_clean(name, &svg);
        assert!(fig.labels >= 10, "{name}: only {} labels", fig.labels);
    }
}

/// The measuring code finds each kind of fault in a map made to have them.
#[test]
fn the_measuring_finds_broken_labels() {
    let t = |x: f64, y: f64, text: &str, extra: &str| {
        format!(r#"<text x="{x}" y="{y}" font-size="12" {extra}>{text}</text>"#)
    };
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" font-family="DejaVu Sans">
<g id="incidents">
<g class="incident" data-x="50" data-y="50" data-r="5"><circle cx="50" cy="50" r="5"/></g>
<g class="incident" data-x="200" data-y="60" data-r="5"><circle cx="200" cy="60" r="5"/></g>
</g>
<g id="labels">
{far}
{nearer}
{a}{b}
<g class="section-badge"><circle cx="300" cy="200" r="7.5"/><text x="297" y="204" font-size="10">3</text></g>
{cover}
</g>
<g id="note">{cut}</g>
<g id="border"><path class="kg-tj-border" d="M100 180L140 210"/></g>
<g id="more-labels">{across}</g>
<g id="timeline">{t1}{t2}</g>
</svg>"#,
        far = t(
            120.0,
            120.0,
            "Far away",
            r#"class="label" data-kind="incident" data-x="50" data-y="50" data-r="5""#
        ),
        nearer = t(
            180.0,
            80.0,
            "Not mine",
            r#"class="label" data-kind="incident" data-x="50" data-y="50" data-r="5""#
        ),
        a = t(
            20.0,
            250.0,
            "Overlapping one",
            r#"class="label" data-kind="place""#
        ),
        b = t(
            40.0,
            254.0,
            "Overlapping two",
            r#"class="label" data-kind="place""#
        ),
        cover = t(
            280.0,
            204.0,
            "Covering",
            r#"class="label" data-kind="place""#
        ),
        cut = t(10.0, 290.0, "• 1 Sep 2022 — A title cut sho…", ""),
        t1 = t(10.0, 20.0, "1 Sep", ""),
        t2 = t(25.0, 20.0, "8 Sep", ""),
        across = t(100.0, 200.0, "Across", r#"class="label" data-kind="place""#),
    );
    let (p, _) = problems(&measure(&svg));
    let all = p.join("\n");
    for want in [
        "far: \"Far away\"",
        "nearer another marker: \"Not mine\"",
        "overlap: \"Overlapping one\" and \"Overlapping two\"",
        "covered: the section number",
        "cut: \"• 1 Sep 2022",
        "timeline overlap: \"1 Sep\" and \"8 Sep\"",
        "across the border: \"Across\"",
    ] {
        assert!(all.contains(want), "missed {want:?}; found:\n{all}");
    }
    // And a clean map passes.
    let clean = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" font-family="DejaVu Sans">
<g class="incident" data-x="50" data-y="50" data-r="5"><circle cx="50" cy="50" r="5"/></g>
<g id="labels">{}</g></svg>"#,
        t(
            58.0,
            54.0,
            "Mine",
            r#"class="label" data-kind="incident" data-x="50" data-y="50" data-r="5""#
        )
    );
    let (p, fig) = problems(&measure(&clean));
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(fig.incident_labels, 1);
}
