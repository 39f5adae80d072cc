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
//! The entry points are [`Page`] (the core: a page prepared, then written a feature at a
//! time), [`render_html`] (the same, in memory) and [`default_html`] (the page `bordermap
//! build` writes).

pub mod csp;
pub mod model;
pub mod page;
pub mod world;

use crate::error::{Diagnostic, Error, Result};
use crate::gazetteer::Gazetteer;
use crate::geojson_io::{PointFeature, read_points};
use crate::model::LonLat;
use crate::output::write_atomic;
use crate::render::DEFAULT_BBOX;
use crate::render::basemap;
use crate::render::incidents::Item;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The title when none is given.
pub const DEFAULT_TITLE: &str = "Kyrgyzstan–Tajikistan border incidents";

/// What a page holds besides its text: the incidents it draws, and those it lists only.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Incidents drawn on the map (located inside the mapped area).
    pub drawn: usize,
    /// Ids of located incidents outside the mapped area (listed on the page, not drawn).
    pub outside: Vec<String>,
    /// Ids of incidents without a position (listed on the page, not drawn).
    pub unlocated: Vec<String>,
}

/// A rendered page and what it holds.
#[derive(Debug, Clone)]
pub struct HtmlPage {
    /// The HTML document.
    pub html: String,
    /// What it holds.
    pub info: PageInfo,
}

/// A page ready to be written: everything that can fail is done, and what remains is
/// writing it, a feature at a time, with [`Page::write_to`].
pub struct Page<'a> {
    features: &'a [PointFeature],
    items: Vec<Item<'a>>,
    world: world::World,
    svg: String,
    title: String,
    model: serde_json::Map<String, serde_json::Value>,
    info: PageInfo,
}

impl<'a> Page<'a> {
    /// Prepares the interactive page for `features`: reads each one's type, dates and
    /// place, and lays out the map.
    ///
    /// # Examples
    /// ```
    /// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a",
    ///   "geometry":{"type":"Point","coordinates":[70.58,39.85]},
    ///   "properties":{"date_start":"2022-06-03","event_type":"armed_clash"}}]}"#;
    /// let points = bordermap::geojson_io::read_points("x.geojson".as_ref(), text).unwrap();
    /// let page = bordermap::html::Page::new(&points, None).unwrap();
    /// let mut bytes = Vec::new();
    /// page.write_to(&mut bytes).unwrap();
    /// assert_eq!(page.info().drawn, 1);
    /// assert!(bytes.starts_with(b"<!DOCTYPE html>"));
    /// ```
    pub fn new(features: &'a [PointFeature], title: Option<&str>) -> Result<Page<'a>> {
        Page::framed(features, title, None)
    }

    /// [`Page::new`], the map opening on `frame` (`[west, south, east, north]`, degrees; the
    /// frame of `render --around`, say) rather than on the border region: the part of it
    /// within the area the page can show ([`world::MAX_AREA`]), an error when none is.
    ///
    /// # Examples
    /// ```
    /// use bordermap::html::Page;
    /// let page = Page::framed(&[], None, Some([70.4, 39.7, 70.8, 40.0])).unwrap();
    /// assert_eq!(page.info().drawn, 0);
    /// let e = Page::framed(&[], None, Some([10.0, 45.0, 11.0, 46.0])).err().unwrap();
    /// assert!(e.to_string().contains("10.000,45.000,11.000,46.000"), "{e}");
    /// ```
    pub fn framed(
        features: &'a [PointFeature],
        title: Option<&str>,
        frame: Option<[f64; 4]>,
    ) -> Result<Page<'a>> {
        let wanted = frame.unwrap_or(DEFAULT_BBOX);
        let view = world::within_max_area(wanted);
        let [w, s, e, n] = view;
        if !(w < e && s < n) {
            return Err(Error::Usage(format!(
                "the map would open on {}, beyond the area the page can show ({})",
                wanted.map(|x| format!("{x:.3}")).join(","),
                world::MAX_AREA.map(|x| x.to_string()).join(",")
            )));
        }
        let base = basemap::base()?;
        let mut items = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            items.push(Item::from_feature(i, f)?);
        }
        let mut located: Vec<_> = items.iter().filter_map(|i| i.pos).collect();
        if frame.is_some() {
            located.extend([LonLat::new(w, s), LonLat::new(e, n)].into_iter().flatten());
        }
        let area = world::area_for(DEFAULT_BBOX, &located);
        let world = world::World::new(area)?;
        let mut info = PageInfo::default();
        for it in &items {
            match it.pos {
                None => info.unlocated.push(it.id().to_string()),
                Some(p) if !world::inside(world::MAX_AREA, p.lon(), p.lat()) => {
                    info.outside.push(it.id().to_string());
                }
                Some(_) => {}
            }
        }
        info.drawn = items.len() - info.outside.len() - info.unlocated.len();
        let title = title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(DEFAULT_TITLE)
            .to_string();
        let gazetteer = Gazetteer::shipped_shared()?;
        let model = model::view_model(&title, &world, base, gazetteer, &items, view);
        let svg = world::basemap_svg(&world, base);
        Ok(Page {
            features,
            items,
            world,
            svg,
            title,
            model,
            info,
        })
    }

    /// What the page holds.
    pub fn info(&self) -> &PageInfo {
        &self.info
    }

    /// Writes the page to `w`. Each incident's data is made, written and dropped in turn,
    /// so that the page of a large input is never held in memory.
    pub fn write_to(&self, w: &mut dyn Write) -> std::io::Result<()> {
        let data = page::Data {
            features: self.features.iter().map(model::feature),
            model: &self.model,
            views: self
                .items
                .iter()
                .map(|it| model::incident_view(&self.world, it)),
        };
        page::write_page(w, &self.title, &self.svg, data)
    }
}

/// Renders the interactive page for `features`, in memory (see [`Page`] to write a large
/// one straight to a file).
///
/// # Examples
/// ```
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a",
///   "geometry":{"type":"Point","coordinates":[70.58,39.85]},
///   "properties":{"title":"Clash at Vorukh","date_start":"2022-06-03","event_type":"armed_clash"}}]}"#;
/// let points = bordermap::geojson_io::read_points("x.geojson".as_ref(), text).unwrap();
/// let page = bordermap::html::render_html(&points, Some("Vorukh")).unwrap();
/// assert_eq!(page.info.drawn, 1);
/// assert!(page.html.starts_with("<!DOCTYPE html>"));
/// assert!(page.html.contains("<title>Vorukh</title>"));
/// ```
pub fn render_html(features: &[PointFeature], title: Option<&str>) -> Result<HtmlPage> {
    let page = Page::new(features, title)?;
    let mut bytes = Vec::new();
    page.write_to(&mut bytes)
        .map_err(|e| Error::Output(format!("the map page: {e}")))?;
    let html = String::from_utf8(bytes).map_err(|e| Error::Output(format!("the map page: {e}")))?;
    Ok(HtmlPage {
        html,
        info: page.info,
    })
}

/// Notes for the incidents the page lists but does not draw.
pub fn notes(info: &PageInfo) -> Vec<Diagnostic> {
    crate::render::not_drawn_notes(&info.unlocated, &info.outside, "on the page")
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
