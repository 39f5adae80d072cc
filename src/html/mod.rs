//! The offline interactive map: one self-contained HTML file that works from `file://` with
//! no network at all.
//!
//! | module | what it does |
//! |---|---|
//! | [`world`] | the base map in UTM 42N world units, drawn with the map renderer's layers |
//! | [`model`] | the embedded data: incidents GeoJSON, positions, sections, gazetteer, labels |
//! | [`page`] | the template, the script-safe JSON, filling the page in one pass |
//! | [`csp`] | the Content Security Policy (SHA-256 of the one script and style block) |
//!
//! The page's behaviour (pan and zoom, filters, time slider, side panel, search, disputed
//! overlay, shareable URL hash) is plain JavaScript in `assets/html/map.js`, inlined; its
//! look is `assets/html/map.css`. Every data string reaches the page's DOM as text.
//!
//! The entry points are [`render_html`] (the core) and [`default_html`] (the page
//! `bordermap build` writes).

pub mod csp;
pub mod model;
pub mod page;
pub mod world;

use crate::error::{Diagnostic, Result};
use crate::gazetteer::Gazetteer;
use crate::geojson_io::{PointFeature, read_points};
use crate::output::write_atomic;
use crate::render::DEFAULT_BBOX;
use crate::render::basemap;
use crate::render::incidents::Item;
use std::path::{Path, PathBuf};

/// The title when none is given.
pub const DEFAULT_TITLE: &str = "Kyrgyzstan–Tajikistan border incidents";

/// A rendered page and what it holds.
#[derive(Debug, Clone)]
pub struct HtmlPage {
    /// The HTML document.
    pub html: String,
    /// Incidents drawn on the map (located inside the mapped area).
    pub drawn: usize,
    /// Ids of located incidents outside the mapped area (listed on the page, not drawn).
    pub outside: Vec<String>,
    /// Ids of incidents without a position (listed on the page, not drawn).
    pub unlocated: Vec<String>,
}

/// Renders the interactive page for `features`.
///
/// # Examples
/// ```
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a",
///   "geometry":{"type":"Point","coordinates":[70.58,39.85]},
///   "properties":{"title":"Clash at Vorukh","date_start":"2022-06-03","event_type":"armed_clash"}}]}"#;
/// let points = bordermap::geojson_io::read_points("x.geojson".as_ref(), text).unwrap();
/// let page = bordermap::html::render_html(&points, Some("Vorukh")).unwrap();
/// assert_eq!(page.drawn, 1);
/// assert!(page.html.starts_with("<!DOCTYPE html>"));
/// assert!(page.html.contains("<title>Vorukh</title>"));
/// ```
pub fn render_html(features: &[PointFeature], title: Option<&str>) -> Result<HtmlPage> {
    let base = basemap::base()?;
    let mut items = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        items.push(Item::from_feature(i, f)?);
    }
    let located: Vec<_> = items.iter().filter_map(|i| i.pos).collect();
    let area = world::area_for(DEFAULT_BBOX, &located);
    let world = world::World::new(area)?;
    let mut outside = Vec::new();
    let mut unlocated = Vec::new();
    for it in &items {
        match it.pos {
            None => unlocated.push(it.id().to_string()),
            Some(p) if !world::inside(world::MAX_AREA, p.lon(), p.lat()) => {
                outside.push(it.id().to_string());
            }
            Some(_) => {}
        }
    }
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_TITLE);
    let gazetteer = Gazetteer::shipped()?;
    let model = model::view_model(title, &world, base, &gazetteer, &items, DEFAULT_BBOX);
    let svg = world::basemap_svg(&world, base);
    let html = page::assemble(title, &svg, &model::feature_collection(features), &model);
    Ok(HtmlPage {
        html,
        drawn: items.len() - outside.len() - unlocated.len(),
        outside,
        unlocated,
    })
}

/// Notes for the incidents the page lists but does not draw.
pub fn notes(page: &HtmlPage) -> Vec<Diagnostic> {
    crate::render::not_drawn_notes(&page.unlocated, &page.outside, "on the page")
}

/// Writes the interactive page `bordermap build` makes, `out_dir/map.html`, and returns its
/// path. The same input gives the same bytes.
///
/// # Examples
/// ```no_run
/// let text = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let path = bordermap::html::default_html("output".as_ref(), &text).unwrap();
/// assert!(path.ends_with("map.html"));
/// ```
pub fn default_html(out_dir: &Path, incidents_geojson: &str) -> Result<PathBuf> {
    let (path, bytes) = default_html_file(out_dir, incidents_geojson)?;
    write_atomic(&path, &bytes, &[])?;
    Ok(path)
}

/// The page of [`default_html`], rendered in memory: its path under `out_dir` and its bytes.
///
/// # Examples
/// ```no_run
/// let text = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let (path, _) = bordermap::html::default_html_file("output".as_ref(), &text).unwrap();
/// assert!(path.ends_with("map.html"));
/// ```
pub fn default_html_file(out_dir: &Path, incidents_geojson: &str) -> Result<(PathBuf, Vec<u8>)> {
    let features = read_points(Path::new("incidents.geojson"), incidents_geojson)?;
    let page = render_html(&features, None)?;
    Ok((out_dir.join("map.html"), page.html.into_bytes()))
}
