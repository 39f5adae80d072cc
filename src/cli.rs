//! The command line (clap derive). Doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Maps border incidents: offline geocoding, attributed claims, exact geodesic queries and
/// print-ready maps. First field: the Kyrgyzstan–Tajikistan border.
#[derive(Debug, Parser)]
#[command(name = "bordermap", version, about, long_about = None)]
pub struct Cli {
    /// The task.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by commands that read files.
#[derive(Debug, Clone, Args)]
pub struct InputOpts {
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512, global = true)]
    pub max_input_mb: u64,
}

/// Options shared by commands that geocode.
#[derive(Debug, Clone, Args)]
pub struct GeocodeOpts {
    /// Exit with code 1 when any place is ambiguous or unresolved.
    #[arg(long)]
    pub strict: bool,
    /// Add the places of a GeoNames dump (tab-separated) or a GeoJSON file of places (repeatable).
    #[arg(long = "gazetteer", value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,
}

/// Output formats for `locate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LocateFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object.
    Json,
}

/// The subcommands, one per user task.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: geocode the shipped incidents and write everything to the output folder.
    Build {
        /// Where the outputs go.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out_dir: PathBuf,
        /// Use this incidents file instead of the shipped one.
        #[arg(long, value_name = "FILE")]
        incidents: Option<PathBuf>,
        #[allow(missing_docs)]
        #[command(flatten)]
        geocode: GeocodeOpts,
        #[allow(missing_docs)]
        #[command(flatten)]
        input: InputOpts,
    },
    /// Geocode an incidents file (project TOML format) into GeoJSON.
    Geocode {
        /// The incidents file; `-` reads stdin.
        input: PathBuf,
        /// The GeoJSON to write; `-` writes stdout.
        #[arg(short, long, value_name = "OUT", default_value = "-")]
        output: PathBuf,
        #[allow(missing_docs)]
        #[command(flatten)]
        geocode: GeocodeOpts,
        #[allow(missing_docs)]
        #[command(flatten)]
        input_opts: InputOpts,
    },
    /// Look a place name up in the gazetteer, in any spelling or script.
    Locate {
        /// The name: Vorukh, Voruh, Ворух, …
        name: String,
        /// The country (ISO 3166-1 alpha-2) the place is expected in.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// The region (oblast, viloyat) the place is expected in.
        #[arg(long, value_name = "REGION")]
        admin1: Option<String>,
        /// The district the place is expected in.
        #[arg(long, value_name = "DISTRICT")]
        admin2: Option<String>,
        /// Another place named in the same report (repeatable), to disambiguate.
        #[arg(long, value_name = "NAME")]
        near: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = LocateFormat::Text)]
        format: LocateFormat,
        /// Exit with code 1 when the name is ambiguous or not found.
        #[arg(long)]
        strict: bool,
        /// Add the places of a GeoNames dump (tab-separated) or a GeoJSON file of places (repeatable).
        #[arg(long = "gazetteer", value_name = "FILE")]
        gazetteer: Vec<PathBuf>,
    },
    /// What happened near a point (or near the border): exact geodesic radius and k-nearest search.
    Near(NearArgs),
    /// Incidents inside an area: an enclave, a polygon file, or a lon/lat box.
    Within(WithinArgs),
    /// Draw a map of the incidents: print-ready SVG, or PNG.
    Render(RenderCmd),
    /// Write an offline interactive map: one self-contained HTML page, no network needed.
    Html(HtmlCmd),
    /// Import real data (UCDP GED, ACLED, any CSV with coordinates or place names, GeoJSON) as incidents.
    Import(crate::import::ImportArgs),
    /// Combine incident GeoJSON files, linking likely duplicates (never deleting them).
    Merge(crate::merge::MergeArgs),
    /// Export incidents as GeoJSON, CSV (with WKT), KML (Google Earth) or FlatGeobuf.
    Export(crate::export::ExportArgs),
    /// Rebuild geodata/ from the public reference bundle (maintainers only).
    Geodata {
        /// The reference bundle: Natural Earth and Who's On First extracts (see geodata/README.md).
        #[arg(long, value_name = "DIR")]
        reference: PathBuf,
        /// Where to write.
        #[arg(long, value_name = "DIR", default_value = "geodata")]
        out_dir: PathBuf,
    },
}

/// Where the incidents come from, and which ones count.
#[derive(Debug, Clone, Args)]
pub struct DatasetArgs {
    /// A GeoJSON FeatureCollection of Points (default: the shipped incidents, geocoded).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Only incidents that end on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<crate::model::Date>,
    /// Only incidents that start on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<crate::model::Date>,
    /// Only this event type (repeatable): armed_clash, shelling, drone_strike, …
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_event_type)]
    pub types: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = crate::query::Format::Table)]
    pub format: crate::query::Format,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_input_mb: u64,
}

/// Arguments of `bordermap near`.
#[derive(Debug, Clone, Args)]
pub struct NearArgs {
    /// Latitude of the query point, degrees (with --lon).
    #[arg(long, value_name = "LAT", allow_negative_numbers = true, value_parser = parse_lat, requires = "lon", conflicts_with_all = ["place", "queries"])]
    pub lat: Option<f64>,
    /// Longitude of the query point, degrees (with --lat).
    #[arg(long, value_name = "LON", allow_negative_numbers = true, value_parser = parse_lon, requires = "lat")]
    pub lon: Option<f64>,
    /// A place name, looked up in the gazetteer (an ambiguous name is an error listing the candidates).
    #[arg(long, value_name = "NAME", conflicts_with = "queries")]
    pub place: Option<String>,
    /// Many queries at once: a CSV with columns id,lat,lon[,radius_km][,k].
    #[arg(long, value_name = "FILE.csv")]
    pub queries: Option<PathBuf>,
    /// Search radius in km.
    #[arg(long, value_name = "R", allow_negative_numbers = true, value_parser = parse_radius)]
    pub radius_km: Option<f64>,
    /// The K nearest incidents (within the radius, if one is given).
    #[arg(long, value_name = "K", value_parser = parse_k)]
    pub nearest: Option<usize>,
    /// Incidents within this many km of the KG–TJ border (no query point needed).
    #[arg(long, value_name = "KM", allow_negative_numbers = true, value_parser = parse_radius, conflicts_with_all = ["lat", "place", "queries"])]
    pub border_km: Option<f64>,
    /// With --border-km: measure to the disputed sections instead (contested on the incident's date).
    #[arg(long, requires = "border_km")]
    pub disputed: bool,
    /// With --disputed: use the sections' status on this date instead of each incident's date.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "disputed")]
    pub as_of: Option<crate::model::Date>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub data: DatasetArgs,
}

/// Arguments of `bordermap within`.
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("area").required(true).args(["enclave", "polygon", "bbox"]))]
pub struct WithinArgs {
    /// An enclave by name: Vorukh, Sokh, Shakhimardan, Sarvan, Western Qal'acha, Chong-Kara, Jangail.
    #[arg(long, value_name = "NAME")]
    pub enclave: Option<String>,
    /// A GeoJSON Polygon or MultiPolygon (holes honoured).
    #[arg(long, value_name = "FILE.geojson")]
    pub polygon: Option<PathBuf>,
    /// A lon/lat box W,S,E,N (W > E crosses the antimeridian).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true, value_parser = parse_bbox_arg)]
    pub bbox: Option<[f64; 4]>,
    #[allow(missing_docs)]
    #[command(flatten)]
    pub data: DatasetArgs,
}

fn parse_date(s: &str) -> Result<crate::model::Date, String> {
    crate::model::Date::parse(s)
}

fn parse_event_type(s: &str) -> Result<String, String> {
    crate::model::EventType::parse(s)
        .map(|t| t.as_str().to_string())
        .ok_or_else(|| {
            format!(
                "unknown event type {s:?}; expected one of {}",
                crate::model::EventType::ALL.map(|t| t.as_str()).join(", ")
            )
        })
}

fn finite(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{s:?} is not a finite number"))
}

fn parse_lat(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if (-90.0..=90.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("latitude {x} is out of range (−90..90)"))
    }
}

fn parse_lon(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if (-180.0..=180.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("longitude {x} is out of range (−180..180)"))
    }
}

fn parse_radius(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x >= 0.0 {
        Ok(x)
    } else {
        Err(format!("the distance must not be negative, got {x}"))
    }
}

fn parse_k(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(k) if k > 0 => Ok(k),
        _ => Err(format!("K must be a whole number ≥ 1, got {s:?}")),
    }
}

fn parse_bbox_arg(s: &str) -> Result<[f64; 4], String> {
    crate::query::parse_bbox(s)
}

/// Arguments of `bordermap render`.
#[derive(Debug, Clone, Args)]
pub struct RenderCmd {
    #[allow(missing_docs)]
    #[command(flatten)]
    pub map: crate::render::RenderArgs,
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_input_mb: u64,
}

/// Arguments of `bordermap html`.
#[derive(Debug, Clone, Args)]
pub struct HtmlCmd {
    #[allow(missing_docs)]
    #[command(flatten)]
    pub page: crate::html::HtmlArgs,
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_input_mb: u64,
}
