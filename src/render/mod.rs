//! Maps: incidents over the border region, as SVG (real text, layered groups) and PNG.
//!
//! | module | what it does |
//! |---|---|
//! | [`page`] | the page: select, lay out the panels, draw them, side panel, timeline, titles |
//! | [`select`] | which incidents a map shows, and where they fall: inside, outside, unlocated |
//! | [`facets`] | small multiples: one panel per phase or per month |
//! | [`panel`] | one map panel: the layers in z-order, scale bar, north arrow, frame |
//! | [`layers`] | the layers, one file each: base, disputed, incidents, labels |
//! | [`titles`] | title, subtitle, notes, attribution |
//! | [`text`] | every word the maps print, in English and Russian; dates and place names per language |
//! | [`legend`] | the legend: exactly what was drawn |
//! | [`furniture`] | scale bar, north arrow, graticule, inset, timeline |
//! | [`projection`] | UTM 42N through proj4rs; fitting a lon/lat box onto the page |
//! | [`basemap`] | the base data, clipped and projected: countries, enclaves, water, borders, places to label |
//! | [`incidents`] | typed incident views, tooltips, marker layout (rings, clusters), dates for people |
//! | [`placement`] | label boxes and greedy collision-free placement |
//! | [`markers`] | drawing a marker of each shape |
//! | [`style`] | fonts, colours, marker shapes, sizes: data only |
//! | [`svg`] | the only module that writes markup (escaping is [`crate::xml`]) |
//! | [`png`] | SVG → PNG with the shipped font |
//!
//! The entry points are [`render_svg`] (the core), [`render_map`] (the same, with the
//! numbers behind the drawing for tests) and [`default_maps`] (the maps `bordermap build`
//! writes).

pub mod basemap;
pub mod facets;
pub mod furniture;
pub mod incidents;
pub mod layers;
pub mod legend;
pub mod markers;
pub mod page;
pub mod panel;
pub mod placement;
pub mod png;
pub mod projection;
pub mod select;
pub mod style;
pub mod svg;
pub mod text;
pub mod titles;

pub use furniture::ScaleBar;
pub use page::Rendered;
pub use placement::LabelBox;
pub use png::svg_to_png;
pub use text::ATTRIBUTION;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::geojson_io::{PointFeature, read_points};
use crate::model::{Date, EventType, LonLat};
use geo::{Distance, Geodesic};
use std::path::{Path, PathBuf};

/// The default frame: the Batken–Sughd border region, `[west, south, east, north]`.
pub const DEFAULT_BBOX: [f64; 4] = [69.0, 39.4, 72.0, 40.6];

/// The September 2022 map's minimum frame: Batken, Isfara and Vorukh.
pub const SEPTEMBER_BBOX: [f64; 4] = [70.35, 39.75, 71.0, 40.2];

/// What colours the markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorBy {
    /// The event type (shape always shows it too).
    #[default]
    Type,
    /// The first day, on a sequential ramp.
    Date,
    /// Who made the casualty claims (Kyrgyz, Tajik, both, third party).
    Claimant,
}

/// What sizes the markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SizeBy {
    /// Area grows with the best fatality estimate.
    #[default]
    Fatalities,
    /// All markers the same size.
    None,
}

/// Which incidents get a text label (place names are always labelled where there is room).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Labels {
    /// The deadliest incidents and every place with several incidents, where there is room.
    #[default]
    Auto,
    /// Every incident (or group) where there is room.
    All,
    /// No incident labels.
    None,
}

/// Small multiples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// One panel per month with incidents.
    Month,
    /// One panel per phase: 2021 clashes, Jan–Jun 2022, (Jul–Aug 2022,) Sep 2022, after.
    Phase,
}

/// A place the map is centred on, with the radius incidents must lie within.
#[derive(Debug, Clone, PartialEq)]
pub struct Around {
    /// The name as given.
    pub name: String,
    /// Its position.
    pub position: LonLat,
    /// The radius, metres.
    pub radius_m: f64,
}

impl Around {
    /// True when `p` lies within the radius (geodesic distance on WGS84, metres).
    ///
    /// # Examples
    /// ```
    /// use bordermap::{LonLat, render::Around};
    /// let a = Around { name: "x".into(), position: LonLat::new(70.0, 40.0).unwrap(), radius_m: 11_104.0 };
    /// assert!(a.holds(LonLat::new(70.0, 40.1).unwrap())); // 11,103.56 m north
    /// assert!(!a.holds(LonLat::new(70.0, 40.2).unwrap()));
    /// ```
    pub fn holds(&self, p: LonLat) -> bool {
        Geodesic.distance(p.point(), self.position.point()) <= self.radius_m
    }
}

/// Everything that decides what a map shows and how.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// The map area, `[west, south, east, north]` degrees.
    pub bbox: [f64; 4],
    /// Only incidents ending on or after this day.
    pub from: Option<Date>,
    /// Only incidents starting on or before this day.
    pub to: Option<Date>,
    /// Only these types (empty: all).
    pub types: Vec<EventType>,
    /// Only incidents within a radius of a place.
    pub around: Option<Around>,
    /// Title (default: "Kyrgyzstan–Tajikistan border incidents").
    pub title: Option<String>,
    /// Subtitle (default: the date range and counts).
    pub subtitle: Option<String>,
    /// Marker colours.
    pub color_by: ColorBy,
    /// Marker sizes.
    pub size_by: SizeBy,
    /// Incident labels.
    pub labels: Labels,
    /// Status date of the disputed overlay (default: the latest incident date shown).
    pub as_of: Option<Date>,
    /// Page width, px.
    pub width: u32,
    /// Small multiples.
    pub facet: Option<Facet>,
    /// The language of every word on the map, place names included.
    pub lang: crate::Lang,
}

impl Default for MapOptions {
    fn default() -> Self {
        MapOptions {
            bbox: DEFAULT_BBOX,
            from: None,
            to: None,
            types: vec![],
            around: None,
            title: None,
            subtitle: None,
            color_by: ColorBy::Type,
            size_by: SizeBy::Fatalities,
            labels: Labels::Auto,
            as_of: None,
            width: 1600,
            facet: None,
            lang: crate::Lang::En,
        }
    }
}

/// Parses a map area `W,S,E,N` (see [`crate::model::parse_lonlat_box`]) and checks that
/// the map's projection can draw it: west of east, at most 24° across, in Central Asia.
///
/// # Examples
/// ```
/// use bordermap::render::parse_map_area;
/// assert_eq!(parse_map_area("70.3,39.7,71,40.2").unwrap(), [70.3, 39.7, 71.0, 40.2]);
/// let e = parse_map_area("70,39,71").unwrap_err().to_string();
/// assert!(e.contains("--bbox") && e.contains("70,39,71"), "{e}");
/// ```
pub fn parse_map_area(s: &str) -> Result<[f64; 4]> {
    let v = crate::model::parse_lonlat_box(s).map_err(Error::Usage)?;
    let bad = |why: &str| {
        Error::Usage(format!(
            "--bbox {s:?}: {why}; expected W,S,E,N in degrees, e.g. 70.3,39.7,71.0,40.2"
        ))
    };
    let [w, so, e, n] = v;
    if w >= e || so >= n {
        return Err(bad("west must be less than east and south less than north"));
    }
    if e - w > 24.0 || n - so > 24.0 {
        return Err(bad(
            "the area is too large for the map's UTM zone 42N projection (at most 24° across)",
        ));
    }
    if e < 45.0 || w > 93.0 || so < 0.0 {
        return Err(bad(
            "the area lies outside Central Asia, where the map's UTM zone 42N projection is usable",
        ));
    }
    Ok(v)
}

/// The frame around a place: the radius plus 10 %, as a lon/lat box.
pub fn around_bbox(a: &Around) -> [f64; 4] {
    let r = a.radius_m * 1.1;
    let (lon, lat) = (a.position.lon(), a.position.lat());
    let dlat = r / 111_320.0;
    let dlon = r / (111_320.0 * lat.to_radians().cos().max(0.05));
    [
        (lon - dlon).max(-180.0),
        (lat - dlat).max(-89.0),
        (lon + dlon).min(180.0),
        (lat + dlat).min(89.0),
    ]
}

/// Renders incidents as an SVG document.
///
/// # Examples
/// ```
/// use bordermap::render::{MapOptions, render_svg};
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a",
///   "geometry":{"type":"Point","coordinates":[70.58,39.85]},
///   "properties":{"title":"Clash at Vorukh","date_start":"2022-06-03","event_type":"armed_clash",
///                 "fatalities_best":1,"geo_precision":1,"geo_uncertainty_m":1000}}]}"#;
/// let points = bordermap::geojson_io::read_points("x.geojson".as_ref(), text).unwrap();
/// let svg = render_svg(&points, &MapOptions::default()).unwrap();
/// assert!(svg.contains(r#"data-id="a""#));
/// ```
pub fn render_svg(incidents: &[PointFeature], opts: &MapOptions) -> Result<String> {
    Ok(render_map(incidents, opts)?.svg)
}

/// Renders incidents, returning the SVG with the numbers behind it (label boxes, scale
/// bar, frames, counts).
pub fn render_map(incidents: &[PointFeature], opts: &MapOptions) -> Result<Rendered> {
    page::render(incidents, opts)
}

/// The options of the two maps `bordermap build` writes: all incidents of 2021–2022 over
/// the border region, and the September 2022 escalation zoomed on Batken–Isfara–Vorukh.
pub fn default_map_options(features: &[PointFeature]) -> Result<[(String, MapOptions); 2]> {
    let d = |s: &str| Date::parse(s).map_err(Error::Usage);
    let all = MapOptions {
        from: Some(d("2021-01-01")?),
        to: Some(d("2022-12-31")?),
        title: Some("Kyrgyzstan–Tajikistan border incidents, 2021–2022".into()),
        ..MapOptions::default()
    };
    let (from, to) = (d("2022-09-01")?, d("2022-09-30")?);
    // Widen the September frame to every precisely located September incident near the border.
    let layers = &basemap::base()?.layers;
    let mut b = SEPTEMBER_BBOX;
    for (i, f) in features.iter().enumerate() {
        let item = incidents::Item::from_feature(i, f)?;
        let Some(p) = item.pos.filter(|_| !item.undated) else {
            continue;
        };
        if !item.overlaps(Some(from), Some(to)) || item.precision > 2 {
            continue;
        }
        let near = layers
            .nearest_border(p)
            .is_some_and(|(n, _)| n.distance_m < 30_000.0);
        if near {
            b = [
                b[0].min(p.lon() - 0.06),
                b[1].min(p.lat() - 0.04),
                b[2].max(p.lon() + 0.06),
                b[3].max(p.lat() + 0.04),
            ];
        }
    }
    let sep = MapOptions {
        bbox: b,
        from: Some(from),
        to: Some(to),
        title: Some("The September 2022 escalation: Batken, Isfara, Vorukh".into()),
        labels: Labels::All,
        ..MapOptions::default()
    };
    Ok([("map".to_string(), all), ("map-2022-09".to_string(), sep)])
}

/// Writes the default maps into `out_dir`: `map.svg`, `map.png`, `map-2022-09.svg` and
/// `map-2022-09.png`, all or none (see [`default_map_files`]). The same input gives the
/// same bytes.
///
/// # Examples
/// ```no_run
/// let text = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let written = bordermap::render::default_maps("output".as_ref(), &text).unwrap();
/// assert_eq!(written.len(), 4);
/// ```
pub fn default_maps(out_dir: &Path, incidents_geojson: &str) -> Result<Vec<PathBuf>> {
    let files = default_map_files(out_dir, incidents_geojson)?;
    crate::output::write_all_atomic(&files, &[])?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The default maps, rendered in memory: each path under `out_dir` with its bytes, for a
/// caller that writes them together with other files (all or none).
///
/// # Examples
/// ```no_run
/// let text = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let files = bordermap::render::default_map_files("output".as_ref(), &text).unwrap();
/// assert!(files[0].0.ends_with("map.svg"));
/// ```
pub fn default_map_files(
    out_dir: &Path,
    incidents_geojson: &str,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let features = read_points(Path::new("incidents.geojson"), incidents_geojson)?;
    let mut files = Vec::new();
    for (stem, opts) in default_map_options(&features)? {
        let svg = render_svg(&features, &opts)?;
        let png = svg_to_png(&svg)?;
        files.push((out_dir.join(format!("{stem}.svg")), svg.into_bytes()));
        files.push((out_dir.join(format!("{stem}.png")), png));
    }
    Ok(files)
}

/// Notes for the incidents a map lists under it because they have no point to draw: those
/// placed only at a district or region, and the aggregates (overall totals).
pub fn listed_notes(r: &Rendered) -> Vec<Diagnostic> {
    let note = |kind, id: &String, why: &str| Diagnostic {
        severity: Severity::Note,
        kind,
        location: format!("incident {id:?}"),
        message: format!("{why}; listed in the map's note, not drawn"),
    };
    r.areas
        .iter()
        .map(|id| note("area_only", id, "placed only at a district or region"))
        .chain(
            r.aggregates
                .iter()
                .map(|id| note("aggregate", id, "a record of overall totals, not an event")),
        )
        .collect()
}

/// Notes for the incidents a map lists but does not draw: those without a position and
/// those outside the mapped area. `listed` says where they are listed instead.
pub fn not_drawn_notes(unlocated: &[String], outside: &[String], listed: &str) -> Vec<Diagnostic> {
    let note = |kind, id: &String, why: &str| Diagnostic {
        severity: Severity::Note,
        kind,
        location: format!("incident {id:?}"),
        message: format!("{why}; listed {listed}, not drawn"),
    };
    unlocated
        .iter()
        .map(|id| note("not_drawn_no_location", id, "no position (geometry null)"))
        .chain(
            outside
                .iter()
                .map(|id| note("outside_map_area", id, "outside the map area")),
        )
        .collect()
}
