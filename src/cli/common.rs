//! Options shared by several subcommands, declared once and flattened; value parsers that
//! return errors instead of panicking; and the clap spellings of the library's enums.

use bordermap::gazetteer::Context;
use bordermap::geojson_io::PointFeature;
use bordermap::model::{Date, EventType, LonLat};
use bordermap::store::Source;
use bordermap::{Diagnostic, Gazetteer};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// `--max-input-mb`: every command that reads files.
#[derive(Debug, Clone, Args)]
pub struct InputOpts {
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_input_mb: u64,
}

impl InputOpts {
    /// The cap in bytes.
    pub fn bytes(&self) -> u64 {
        self.max_input_mb.saturating_mul(1 << 20)
    }
}

/// Names the real input file in an error the drawing code reported for its features (it
/// knows them only as `incidents`): `input`, or the shipped incidents.
pub fn name_input(
    input: Option<&std::path::Path>,
) -> impl Fn(bordermap::Error) -> bordermap::Error {
    let real: PathBuf = input.map_or_else(
        || bordermap::pipeline::SHIPPED_INCIDENTS_PATH.into(),
        std::path::Path::to_path_buf,
    );
    move |e| match e {
        bordermap::Error::Record {
            path,
            record,
            message,
        } if path.as_os_str() == "incidents" => bordermap::Error::Record {
            path: real.clone(),
            record,
            message,
        },
        e => e,
    }
}

/// `--gazetteer`: more places for the commands that look names up.
#[derive(Debug, Clone, Args)]
pub struct GazetteerOpts {
    /// Add the places of a GeoNames dump (tab-separated) or a GeoJSON file of places (repeatable).
    #[arg(long = "gazetteer", value_name = "FILE")]
    pub gazetteer: Vec<PathBuf>,
}

impl GazetteerOpts {
    /// The shipped gazetteer plus the `--gazetteer` files; says on stderr what each added.
    pub fn load(
        &self,
        input: &InputOpts,
    ) -> bordermap::Result<std::borrow::Cow<'static, bordermap::Gazetteer>> {
        let (g, notes) = bordermap::pipeline::gazetteer_with(&self.gazetteer, input.bytes())?;
        for note in notes {
            eprintln!("note: {note}");
        }
        Ok(g)
    }
}

/// The environment variable that names the store when `--db` has no URL.
pub const DB_ENV: &str = "BORDERMAP_DB";

/// The store's URL: `flag` when it has one, else `$BORDERMAP_DB`.
pub fn db_url(flag: Option<&str>) -> bordermap::Result<String> {
    match flag.filter(|u| !u.is_empty()) {
        Some(u) => Ok(u.to_string()),
        None => std::env::var(DB_ENV)
            .ok()
            .filter(|u| !u.is_empty())
            .ok_or_else(|| {
                bordermap::Error::Usage(format!(
                    "no database: give --db postgresql://user@host:port/dbname or set {DB_ENV}"
                ))
            }),
    }
}

/// `--db`: the commands that read incidents can read them from a store instead of a file.
#[derive(Debug, Clone, Args)]
pub struct DbSourceOpts {
    /// Read the incidents from a bordermap store (postgresql://user@host:port/dbname) instead
    /// of a file; `--db` alone uses $BORDERMAP_DB.
    #[arg(long, value_name = "URL", num_args = 0..=1, default_missing_value = "", conflicts_with = "input")]
    pub db: Option<String>,
}

impl DbSourceOpts {
    /// The incident features: from the store when `--db` was given, else from `input` (the
    /// shipped incidents when `None`). `near` lets the store prefilter by radius.
    /// With a file on a web server, the note of how much was downloaded comes too.
    pub fn load(
        &self,
        input: Option<&Path>,
        cap: u64,
        near: Option<(LonLat, f64)>,
    ) -> bordermap::Result<(Vec<PointFeature>, Option<Diagnostic>)> {
        match &self.db {
            Some(flag) => {
                let url = db_url(Some(flag))?;
                let features = bordermap::store::load_features(Source::Store(&url), cap, near)?;
                Ok((features, None))
            }
            None => bordermap::pipeline::load_points(input, cap, true, None),
        }
    }
}

/// Where a place name is expected: `--country`, `--admin1`, `--admin2`, `--near`, for every
/// command that takes a name. The country, region and district are constraints: a place
/// outside them is never returned.
#[derive(Debug, Clone, Default, Args)]
pub struct PlaceContext {
    /// The country (ISO 3166-1 alpha-2) the place is in.
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// The region (oblast, viloyat) the place is in.
    #[arg(long, value_name = "REGION")]
    pub admin1: Option<String>,
    /// The district (raion, nohiya) the place is in.
    #[arg(long, value_name = "DISTRICT")]
    pub admin2: Option<String>,
    /// Another place named in the same report (repeatable), to disambiguate.
    #[arg(long = "near", value_name = "NAME")]
    pub near: Vec<String>,
}

impl PlaceContext {
    /// The library's context: the hints, and the positions of the `--near` places (each
    /// looked up within the country and region given; one that cannot be placed is an error
    /// that says why, never silently dropped).
    pub fn context(&self, g: &Gazetteer) -> bordermap::Result<Context> {
        let within = Context {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            ..Context::default()
        };
        let near = self
            .near
            .iter()
            .map(|n| {
                g.resolve(n, &within)
                    .map_err(|e| bordermap::Error::Place(format!("--near {n:?}: {e}")))
            })
            .collect::<bordermap::Result<Vec<_>>>()?;
        Ok(Context {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            admin2: self.admin2.clone(),
            near,
        })
    }

    /// The same hints for the importer, which resolves them per row.
    pub fn hints(&self) -> bordermap::import::Hints {
        bordermap::import::Hints {
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            admin2: self.admin2.clone(),
            near: self.near.clone(),
        }
    }
}

/// Where the incidents of `near` and `within` come from, and which ones count.
#[derive(Debug, Clone, Args)]
pub struct DatasetArgs {
    /// A GeoJSON FeatureCollection of Points, or a FlatGeobuf file of points, read through its
    /// index: a path, or an http:// or https:// URL (FlatGeobuf read by range requests,
    /// anything else downloaded whole) (default: the shipped incidents, geocoded).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Only incidents that end on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub from: Option<Date>,
    /// Only incidents that start on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub to: Option<Date>,
    /// Only this event type (repeatable): armed_clash, shelling, drone_strike, …
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_event_type)]
    pub types: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Write to this file instead of stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub input_opts: InputOpts,
    #[command(flatten)]
    pub db: DbSourceOpts,
}

pub fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
}

/// `import --date`: a day (`2022-09-16`) or a range (`2022-09-14/2022-09-17`).
pub fn parse_import_date(s: &str) -> Result<bordermap::import::Span, String> {
    let iso = |t: &str| Date::parse(t.trim());
    match s.split_once('/') {
        Some((a, b)) => {
            let (a, b) = (iso(a)?, iso(b)?);
            if b < a {
                return Err(format!("the range {s:?} ends before it starts"));
            }
            let p = if a == b {
                bordermap::model::DatePrecision::Day
            } else {
                bordermap::model::DatePrecision::Range
            };
            Ok((a, b, p))
        }
        None => {
            let d = iso(s)?;
            Ok((d, d, bordermap::model::DatePrecision::Day))
        }
    }
}

/// `import --date-format`: dmy, mdy or ymd.
pub fn parse_date_order(s: &str) -> Result<bordermap::import::DayOrder, String> {
    bordermap::import::DayOrder::parse(s).ok_or_else(|| format!("{s:?}: expected dmy, mdy or ymd"))
}

fn parse_event_type(s: &str) -> Result<String, String> {
    EventType::parse(s)
        .map(|t| t.as_str().to_string())
        .ok_or_else(|| {
            format!(
                "unknown event type {s:?}; expected one of {}",
                EventType::ALL.map(|t| t.as_str()).join(", ")
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

fn in_range(s: &str, what: &str, limit: f64) -> Result<f64, String> {
    let x = finite(s)?;
    if (-limit..=limit).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{what} {x} is out of range (−{limit}..{limit})"))
    }
}

pub fn parse_lat(s: &str) -> Result<f64, String> {
    in_range(s, "latitude", 90.0)
}

pub fn parse_lon(s: &str) -> Result<f64, String> {
    in_range(s, "longitude", 180.0)
}

pub fn parse_radius(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x >= 0.0 {
        Ok(x)
    } else {
        Err(format!("the distance must not be negative, got {x}"))
    }
}

pub fn parse_k(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(k) if k > 0 => Ok(k),
        _ => Err(format!("K must be a whole number ≥ 1, got {s:?}")),
    }
}

pub fn parse_bbox(s: &str) -> Result<[f64; 4], String> {
    bordermap::model::parse_lonlat_box(s)
}

/// A clap spelling of a library enum: the same variants with their help text, and a
/// conversion into the library's type (so the library names no clap type).
macro_rules! value_enum {
    ($(#[$m:meta])* $name:ident => $lib:ty { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl From<$name> for $lib {
            fn from(x: $name) -> Self {
                match x { $($name::$v => <$lib>::$v),+ }
            }
        }
    };
}

value_enum! {
    /// Output formats for query results.
    QueryFormat => bordermap::query::OutputFormat {
        /// An aligned text table.
        Table,
        /// A JSON object with the query and the results.
        Json,
        /// A GeoJSON FeatureCollection of the incidents, with `distance_m` and `bearing_deg`.
        Geojson,
        /// CSV, one row per incident.
        Csv,
    }
}

value_enum! {
    /// The formats `import` reads.
    ImportFormat => bordermap::import::Format {
        /// A UCDP Georeferenced Event Dataset (GED) CSV.
        Ucdp,
        /// An ACLED export CSV.
        Acled,
        /// Any CSV with coordinates, or with place names (`--place-col`).
        Csv,
        /// A GeoJSON FeatureCollection of Points.
        Geojson,
        /// A JSON array of records (or an object of arrays of records).
        Json,
        /// An Excel workbook (.xlsx).
        Xlsx,
        /// An Excel 97–2003 workbook (.xls).
        Xls,
        /// An OpenDocument spreadsheet (.ods).
        Ods,
    }
}

value_enum! {
    /// The formats `export` writes.
    ExportFormat => bordermap::export::Format {
        /// RFC 7946 GeoJSON.
        Geojson,
        /// CSV with lat, lon and a WKT column, then the properties.
        Csv,
        /// KML for Google Earth, with time spans, styles, the border and the disputed sections.
        Kml,
        /// FlatGeobuf (binary, indexed).
        Fgb,
        /// GeoPackage: the incidents, the border and the disputed sections as indexed layers.
        Gpkg,
    }
}

value_enum! {
    /// What colours the markers.
    ColorBy => bordermap::render::ColorBy {
        /// The event type (shape always shows it too).
        Type,
        /// The first day, on a sequential ramp.
        Date,
        /// Who made the casualty claims (Kyrgyz, Tajik, both, third party).
        Claimant,
    }
}

value_enum! {
    /// What sizes the markers.
    SizeBy => bordermap::render::SizeBy {
        /// Area grows with the best fatality estimate.
        Fatalities,
        /// All markers the same size.
        None,
    }
}

value_enum! {
    /// Which incidents get a text label (place names are always labelled where there is room).
    Labels => bordermap::render::Labels {
        /// The deadliest incidents and every place with several incidents, where there is room.
        Auto,
        /// Every incident (or group) where there is room.
        All,
        /// No incident labels.
        None,
    }
}

value_enum! {
    /// Small multiples.
    Facet => bordermap::render::Facet {
        /// One panel per month with incidents.
        Month,
        /// One panel per phase: 2021 clashes, Jan–Jun 2022, (Jul–Aug 2022,) Sep 2022, after.
        Phase,
    }
}

value_enum! {
    /// The language of the words on a map or page.
    Lang => bordermap::Lang {
        /// English.
        En,
        /// Russian (Cyrillic): place names as the reference gazetteer has them in Russian.
        Ru,
    }
}

/// `--around PLACE`, its context and `--radius-km`, of `render` and `html`.
#[derive(Debug, Clone, Default, Args)]
pub struct AroundArgs {
    /// Centre the map on a place from the gazetteer and keep the incidents within
    /// --radius-km of it.
    #[arg(long, value_name = "PLACE")]
    pub around: Option<String>,
    /// Where the --around place is (country, region, district, nearby places).
    #[command(flatten)]
    pub context: PlaceContext,
    /// The radius for --around, km (default 25).
    #[arg(long, value_name = "KM", allow_hyphen_values = true)]
    pub radius_km: Option<f64>,
}

impl AroundArgs {
    /// The place and radius (default 25 km, at most 1,000), and the note of what the name
    /// was taken to mean; `None` without `--around`. A radius without a place is a usage
    /// error.
    pub fn resolve(
        &self,
    ) -> bordermap::Result<Option<(bordermap::render::Around, bordermap::Diagnostic)>> {
        if let Some(r) = self.radius_km {
            if !(r.is_finite() && r > 0.0 && r <= 1000.0) {
                return Err(bordermap::Error::Usage(format!(
                    "--radius-km {r}: must be a number greater than 0 and at most 1000"
                )));
            }
            if self.around.is_none() {
                return Err(bordermap::Error::Usage(
                    "--radius-km needs --around PLACE".into(),
                ));
            }
        }
        let Some(name) = &self.around else {
            return Ok(None);
        };
        let g = Gazetteer::shipped_shared()?;
        let r = g.resolve_place(name, &self.context.context(g)?)?;
        let around = bordermap::render::Around {
            name: name.clone(),
            position: r.position,
            radius_m: self.radius_km.unwrap_or(25.0) * 1000.0,
        };
        Ok(Some((around, place_note(name, &r))))
    }
}

/// What a `--place` or `--around` name was taken to mean, and why.
pub fn place_note(name: &str, r: &bordermap::gazetteer::Resolved) -> bordermap::Diagnostic {
    bordermap::Diagnostic {
        severity: bordermap::Severity::Note,
        kind: "place",
        location: format!("{name:?}"),
        message: format!(
            "taken as {}, ±{:.0} m: {}",
            r.place, r.uncertainty_m, r.reason
        ),
    }
}
