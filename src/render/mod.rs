//! Maps: incidents over the border region, as SVG (real text, layered groups) and PNG.
//!
//! | module | what it does |
//! |---|---|
//! | [`projection`] | UTM 42N through proj4rs; fitting a lon/lat box onto the page |
//! | [`basemap`] | countries, enclaves, water, borders, graticule steps, places to label |
//! | [`incidents`] | typed incident views, tooltips, marker layout (rings, clusters) |
//! | [`labels`] | label boxes and greedy collision-free placement |
//! | [`legend`] | the legend: exactly what was drawn |
//! | [`furniture`] | scale bar, north arrow, graticule, inset, timeline |
//! | [`style`] | fonts, colours, marker shapes |
//! | [`svg`] | the only module that writes markup; the one escaping function |
//! | [`png`] | SVG → PNG with the shipped font |
//!
//! The entry points are [`render_svg`] (the core), [`render_map`] (the same, with the
//! numbers behind the drawing for tests), [`render_command`] (`bordermap render`) and
//! [`default_maps`] (the maps `bordermap build` writes).

pub mod basemap;
pub mod furniture;
pub mod incidents;
pub mod labels;
pub mod legend;
mod map;
pub mod png;
pub mod projection;
pub mod style;
pub mod svg;

pub use furniture::ScaleBar;
pub use labels::LabelBox;
pub use map::{ATTRIBUTION, Rendered};
pub use png::svg_to_png;

use crate::commands::Outcome;
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::{Context, Gazetteer, Status};
use crate::geojson_io::{PointFeature, read_points};
use crate::model::{Date, EventType, LonLat};
use crate::output::write_atomic;
use std::path::{Path, PathBuf};

/// The default frame: the Batken–Sughd border region, `[west, south, east, north]`.
pub const DEFAULT_BBOX: [f64; 4] = [69.0, 39.4, 72.0, 40.6];

/// The September 2022 map's minimum frame: Batken, Isfara and Vorukh.
pub const SEPTEMBER_BBOX: [f64; 4] = [70.35, 39.75, 71.0, 40.2];

/// What colours the markers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SizeBy {
    /// Area grows with the best fatality estimate.
    #[default]
    Fatalities,
    /// All markers the same size.
    None,
}

/// Which incidents get a text label (place names are always labelled where there is room).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Facet {
    /// One panel per month with incidents.
    Month,
    /// One panel per phase: 2021 clashes, Jan–Jun 2022, (Jul–Aug 2022,) Sep 2022, after.
    Phase,
}

/// The options of `bordermap render`.
#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// A GeoJSON FeatureCollection of incidents (as written by `bordermap build`); default:
    /// the shipped incidents.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The map to write: `.svg` or `.png`.
    #[arg(short, long, value_name = "FILE", default_value = "output/map.svg")]
    pub output: PathBuf,
    /// Only incidents that end on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents that start on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only these event types (repeatable): armed_clash, shelling, drone_strike, …
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Vec<String>,
    /// The map area: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Centre the map on a place from the gazetteer and keep incidents within --radius-km.
    #[arg(long, value_name = "PLACE")]
    pub around: Option<String>,
    /// The radius for --around, km (default 25).
    #[arg(long, value_name = "KM", allow_hyphen_values = true)]
    pub radius_km: Option<f64>,
    /// The map title.
    #[arg(long)]
    pub title: Option<String>,
    /// What colours the markers.
    #[arg(long, value_enum, default_value_t = ColorBy::Type)]
    pub color_by: ColorBy,
    /// What sizes the markers.
    #[arg(long, value_enum, default_value_t = SizeBy::Fatalities)]
    pub size_by: SizeBy,
    /// Which incidents get text labels.
    #[arg(long, value_enum, default_value_t = Labels::Auto)]
    pub labels: Labels,
    /// The date for the disputed sections' status (YYYY-MM-DD); default: the latest
    /// incident date shown.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The page width in px.
    #[arg(long, value_name = "PX", default_value_t = 1600)]
    pub width: u32,
    /// Small multiples: one panel per month or per phase.
    #[arg(long, value_enum)]
    pub facet: Option<Facet>,
}

impl Default for RenderArgs {
    fn default() -> Self {
        RenderArgs {
            input: None,
            output: PathBuf::from("output/map.svg"),
            from: None,
            to: None,
            event_type: vec![],
            bbox: None,
            around: None,
            radius_km: None,
            title: None,
            color_by: ColorBy::Type,
            size_by: SizeBy::Fatalities,
            labels: Labels::Auto,
            as_of: None,
            width: 1600,
            facet: None,
        }
    }
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
        }
    }
}

fn parse_date(flag: &str, s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| Error::Usage(format!("{flag} {s:?}: {e}")))
}

/// Parses `W,S,E,N`.
///
/// # Examples
/// ```
/// use bordermap::render::parse_bbox;
/// assert_eq!(parse_bbox("70.3,39.7,71,40.2").unwrap(), [70.3, 39.7, 71.0, 40.2]);
/// let e = parse_bbox("70,39,71").unwrap_err().to_string();
/// assert!(e.contains("--bbox") && e.contains("70,39,71"), "{e}");
/// ```
pub fn parse_bbox(s: &str) -> Result<[f64; 4]> {
    let bad = |why: &str| {
        Error::Usage(format!(
            "--bbox {s:?}: {why}; expected W,S,E,N in degrees, e.g. 70.3,39.7,71.0,40.2"
        ))
    };
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != 4 {
        return Err(bad(&format!("{} numbers given, 4 needed", parts.len())));
    }
    let mut v = [0.0; 4];
    for (i, p) in parts.iter().enumerate() {
        v[i] = p
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| bad(&format!("{p:?} is not a finite number")))?;
    }
    let [w, so, e, n] = v;
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) {
        return Err(bad("longitudes must lie in −180..180"));
    }
    if !(-90.0..=90.0).contains(&so) || !(-90.0..=90.0).contains(&n) {
        return Err(bad("latitudes must lie in −90..90"));
    }
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

impl MapOptions {
    /// Builds options from command-line arguments, checking every flag.
    pub fn from_args(args: &RenderArgs) -> Result<Self> {
        let from = args
            .from
            .as_deref()
            .map(|s| parse_date("--from", s))
            .transpose()?;
        let to = args
            .to
            .as_deref()
            .map(|s| parse_date("--to", s))
            .transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(Error::Usage(format!("--from {f} is after --to {t}")));
        }
        let as_of = args
            .as_of
            .as_deref()
            .map(|s| parse_date("--as-of", s))
            .transpose()?;
        let mut types = Vec::new();
        for t in &args.event_type {
            let parsed = EventType::parse(t.trim()).ok_or_else(|| {
                let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                Error::Usage(format!(
                    "--type {t:?}: unknown event type; use one of {}",
                    all.join(", ")
                ))
            })?;
            if !types.contains(&parsed) {
                types.push(parsed);
            }
        }
        if !(600..=8000).contains(&args.width) {
            return Err(Error::Usage(format!(
                "--width {}: must be between 600 and 8000 px",
                args.width
            )));
        }
        if let Some(r) = args.radius_km {
            if !(r.is_finite() && r > 0.0 && r <= 1000.0) {
                return Err(Error::Usage(format!(
                    "--radius-km {r}: must be a number greater than 0 and at most 1000"
                )));
            }
            if args.around.is_none() {
                return Err(Error::Usage("--radius-km needs --around PLACE".into()));
            }
        }
        let around = match &args.around {
            None => None,
            Some(name) => Some(resolve_around(name, args.radius_km.unwrap_or(25.0))?),
        };
        let bbox = match (&args.bbox, &around) {
            (Some(b), _) => parse_bbox(b)?,
            (None, Some(a)) => around_bbox(a),
            (None, None) => DEFAULT_BBOX,
        };
        Ok(MapOptions {
            bbox,
            from,
            to,
            types,
            around,
            title: args.title.clone(),
            subtitle: None,
            color_by: args.color_by,
            size_by: args.size_by,
            labels: args.labels,
            as_of,
            width: args.width,
            facet: args.facet,
        })
    }
}

fn resolve_around(name: &str, radius_km: f64) -> Result<Around> {
    if name.trim().is_empty() {
        return Err(Error::Usage("--around: the place name is empty".into()));
    }
    let g = Gazetteer::shipped()?;
    let l = g.lookup(name, &Context::default());
    match l.status {
        Status::Matched => {
            let best = l
                .best()
                .map(|c| g.place(c.place).position)
                .ok_or_else(|| Error::Usage(format!("--around {name:?}: no position")))?;
            Ok(Around {
                name: name.to_string(),
                position: best,
                radius_m: radius_km * 1000.0,
            })
        }
        Status::Ambiguous => {
            let list: Vec<String> = l
                .candidates
                .iter()
                .map(|c| {
                    let p = g.place(c.place);
                    format!(
                        "{} at {:.4}, {:.4}",
                        g.describe(c.place),
                        p.position.lat(),
                        p.position.lon()
                    )
                })
                .collect();
            Err(Error::Usage(format!(
                "--around {name:?} is ambiguous ({}); candidates:\n  {}\nadd the district or use --bbox",
                l.reason,
                list.join("\n  ")
            )))
        }
        Status::NotFound => Err(Error::Usage(format!(
            "--around {name:?}: no such place in the gazetteer ({})",
            l.reason
        ))),
    }
}

fn around_bbox(a: &Around) -> [f64; 4] {
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
    map::render(incidents, opts)
}

/// `bordermap render`: reads the incidents (or `shipped_incidents_geojson`), renders, and
/// writes the map atomically (`.svg` or `.png` by extension). Refuses to overwrite the input.
///
/// # Examples
/// ```no_run
/// use bordermap::render::{RenderArgs, render_command};
/// let shipped = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let args = RenderArgs { output: "out/map.png".into(), ..RenderArgs::default() };
/// let outcome = render_command(&args, &shipped, 512 << 20).unwrap();
/// print!("{}", outcome.stdout);
/// ```
pub fn render_command(
    args: &RenderArgs,
    shipped_incidents_geojson: &str,
    max_input: u64,
) -> Result<Outcome> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let png = match ext.as_str() {
        "svg" => false,
        "png" => true,
        _ if args.output.as_os_str() == "-" => false,
        other => {
            return Err(Error::Usage(format!(
                "--output {}: unknown extension {other:?}; use .svg or .png",
                args.output.display()
            )));
        }
    };
    let opts = MapOptions::from_args(args)?;
    let (path, text) = match &args.input {
        Some(p) => (p.clone(), crate::input::read_text(p, max_input)?),
        None => (
            PathBuf::from("output/incidents.geojson"),
            shipped_incidents_geojson.to_string(),
        ),
    };
    let features = read_points(&path, &text)?;
    let rendered = render_map(&features, &opts)?;
    let bytes = if png {
        svg_to_png(&rendered.svg)?
    } else {
        rendered.svg.clone().into_bytes()
    };
    let inputs: Vec<&Path> = args.input.iter().map(PathBuf::as_path).collect();
    write_atomic(&args.output, &bytes, &inputs)?;
    let diagnostics = not_drawn_notes(&rendered.unlocated, &rendered.outside, "in the map's note");
    let stdout = if args.output.as_os_str() == "-" {
        String::new()
    } else {
        format!(
            "map: {} incidents drawn, {} outside the map area, {} without a location, {} filtered out\nwrote {}\n",
            rendered.drawn,
            rendered.outside.len(),
            rendered.unlocated.len(),
            rendered.filtered_out,
            args.output.display()
        )
    };
    Ok(Outcome {
        stdout,
        diagnostics,
        strict_failed: false,
    })
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
        let Some(p) = item.pos else { continue };
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
/// `map-2022-09.png`. The same input gives the same bytes.
///
/// # Examples
/// ```no_run
/// let text = std::fs::read_to_string("output/incidents.geojson").unwrap();
/// let written = bordermap::render::default_maps("output".as_ref(), &text).unwrap();
/// assert_eq!(written.len(), 4);
/// ```
pub fn default_maps(out_dir: &Path, incidents_geojson: &str) -> Result<Vec<PathBuf>> {
    let features = read_points(Path::new("incidents.geojson"), incidents_geojson)?;
    let mut written = Vec::new();
    for (stem, opts) in default_map_options(&features)? {
        let svg = render_svg(&features, &opts)?;
        let png = svg_to_png(&svg)?;
        let svg_path = out_dir.join(format!("{stem}.svg"));
        let png_path = out_dir.join(format!("{stem}.png"));
        write_atomic(&svg_path, svg.as_bytes(), &[])?;
        write_atomic(&png_path, &png, &[])?;
        written.push(svg_path);
        written.push(png_path);
    }
    Ok(written)
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
