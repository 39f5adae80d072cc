//! Real data in: UCDP GED and ACLED exports, any CSV with coordinates (or place names), and
//! GeoJSON points become project incidents, written as the same GeoJSON that `build` writes,
//! so `near`, `within` and the map renderer read them unchanged.
//!
//! Every column of the source is kept as a property prefixed `src_` (`src_where_prec`,
//! `src_sub_event_type`, …), so nothing the source said is lost.
//!
//! # Bad rows
//! A row whose coordinates or date cannot be used is skipped and the rest are imported. Each
//! kind of problem is reported once, with every line number (`skipped 3 rows with an
//! out-of-range latitude: lines 4, 9, 12`), and the exit code is 1 unless `--allow-skips`.
//! Kinds: an empty coordinate; a non-numeric coordinate; a non-finite one (`NaN`, `inf`,
//! `1e400`, which Rust's float parser accepts); latitude and longitude swapped (when only the
//! swapped order fits); projected metres; an out-of-range latitude or longitude; a missing or
//! invalid date; a duplicate id; an empty place name (with `--place-col`); a feature without
//! geometry (GeoJSON).
//!
//! # UCDP GED
//! Columns from the GED codebook: `id`, `date_start`, `date_end`, `date_prec`, `latitude`,
//! `longitude`, `where_prec`, `where_coordinates`, `where_description`, `adm_1`, `adm_2`,
//! `country`, `side_a`, `side_b`, `type_of_violence`, `best`, `low`, `high`, `deaths_a`,
//! `deaths_b`, `deaths_civilians`, `deaths_unknown`, `source_article`, ….
//!
//! `where_prec` → geo precision and uncertainty radius ([`ucdp_where_prec`]):
//!
//! | where_prec | meaning (codebook) | geo_precision | radius |
//! |---|---|---|---|
//! | 1 | the exact location | 1 | 2 km |
//! | 2 | within about 25 km of a known point | 2 | 25 km |
//! | 3 | a second-order administrative division (adm2) | 3 | 50 km |
//! | 4 | a first-order administrative division (adm1) | 3 | 150 km |
//! | 5 | a linear feature or an area that is not an administrative unit | 3 | 150 km, with a note |
//! | 6 | only the country | 3 | 300 km, with a note |
//! | 7 | international waters or airspace | 3 | 300 km, with a note |
//!
//! `date_prec` → date precision: 1 day, 2 range (2–6 days), 3 month, 4 year, 5 range (longer);
//! the dates are `date_start`..`date_end` as UCDP gives them.
//! `type_of_violence` 1 (state-based) and 2 (non-state) → `armed_clash`, 3 (one-sided) →
//! `other`; the original stays in `src_type_of_violence` and in the notes.
//! `low`, `best` and `high` become three claims by `UCDP GED (best/low/high)` (victims: all
//! sides), so the project's fatality rule gives back UCDP's low, best and high. The breakdown
//! (`deaths_a`, `deaths_b`, `deaths_civilians`, `deaths_unknown`) goes into the notes, not into
//! separate claims, because it splits the same estimate; UCDP's own figures also stay in
//! `src_best`, `src_low`, `src_high`.
//!
//! # ACLED
//! Columns: `event_id_cnty`, `event_date`, `time_precision`, `event_type`,
//! `sub_event_type`, `actor1`, `actor2`, `admin1`–`admin3`, `location`, `latitude`,
//! `longitude`, `geo_precision`, `source`, `notes`, `fatalities`, ….
//! Event types follow [`acled_event_type`]. `time_precision` 1 → day; 2 → a range of the week
//! around the date (−3..+3 days); 3 → the month. `geo_precision` is kept: 1 → 2 km, 2 → 15 km,
//! 3 → 50 km. `fatalities` becomes a claim by `ACLED (from <source>)`.
//!
//! # Any CSV
//! Coordinates from the columns `lat`/`latitude`/`y` and `lon`/`lng`/`long`/`longitude`/`x`
//! (any case; `--lat-col`/`--lon-col` name others), or names geocoded from `--place-col`
//! through the gazetteer. Recognised: a date (`date`, `event_date`, `date_start`; also
//! `date_end`), a type (`type`, `event_type`, `category`), a description (`description`,
//! `notes`), a title (`title`, `name`), a link (`url`, `link`, `source_url`, `source_urls`), `id`,
//! `actors`, `claims_json`, `country`, `admin1`, `admin2`, `geo_precision`,
//! `geo_uncertainty_m`. Dates may be `YYYY-MM-DD` (a time after it is ignored), `YYYY-MM`,
//! `YYYY` or `16 September 2022`.
//!
//! # GeoJSON
//! A FeatureCollection of Points, read by [`crate::geojson_io::read_points`]; properties are
//! recognised as for a CSV. Columns that bordermap computes (fatalities, `geo_*` other than
//! the precision and radius, the border analytics, merge links) are recomputed, not copied, so
//! an exported file imports back to the same incidents.

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::Gazetteer;
use crate::geocode::{Geocoded, geocode_all};
use crate::geojson_io::read_points;
use crate::model::{Claim, Date, DatePrecision, EventType, Incident, LonLat, Side, Source};
use crate::output::safe_file_stem;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A UCDP Georeferenced Event Dataset (GED) CSV.
    Ucdp,
    /// An ACLED export CSV.
    Acled,
    /// Any CSV with coordinates, or with place names (`--place-col`).
    Csv,
    /// A GeoJSON FeatureCollection of Points.
    Geojson,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ucdp => "ucdp",
            Format::Acled => "acled",
            Format::Csv => "csv",
            Format::Geojson => "geojson",
        }
    }
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The format; detected when `None`.
    pub from: Option<Format>,
    /// The latitude column.
    pub lat_col: Option<String>,
    /// The longitude column.
    pub lon_col: Option<String>,
    /// Geocode this column's names instead of reading coordinates.
    pub place_col: Option<String>,
}

/// One imported incident: the geocoded incident, the sources it cites, and the extra
/// properties (the source's own columns, prefixed `src_`).
#[derive(Debug, Clone)]
pub struct Record {
    /// The incident, located.
    pub geocoded: Geocoded,
    /// The sources the incident cites.
    pub sources: Vec<Source>,
    /// `src_*` properties, in the source's column order.
    pub extra: Map<String, Value>,
}

/// The result of an import.
#[derive(Debug)]
pub struct Imported {
    /// The format read.
    pub format: Format,
    /// Data rows (or features) read.
    pub rows: usize,
    /// Rows skipped.
    pub skipped: usize,
    /// The incidents, in file order.
    pub records: Vec<Record>,
    /// One diagnostic per kind of skipped row, then the geocoder's.
    pub diagnostics: Vec<Diagnostic>,
}

/// Detects the format of a CSV from its header.
///
/// # Examples
/// ```
/// use bordermap::import::{detect_csv, Format};
/// let h = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
/// assert_eq!(detect_csv(&h("event_id_cnty,event_date,latitude,longitude")), Format::Acled);
/// assert_eq!(detect_csv(&h("id,date_start,date_prec,where_prec,best,latitude,longitude")), Format::Ucdp);
/// assert_eq!(detect_csv(&h("name,Lat,Lon,date")), Format::Csv);
/// ```
pub fn detect_csv(header: &[String]) -> Format {
    let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if has("event_id_cnty") || (has("event_date") && has("sub_event_type") && has("geo_precision"))
    {
        Format::Acled
    } else if has("where_prec") && has("date_prec") && (has("best") || has("type_of_violence")) {
        Format::Ucdp
    } else {
        Format::Csv
    }
}

/// `where_prec` (UCDP GED) → (geo precision, radius in metres, a note for the wide ones).
/// See the table in the module docs.
///
/// # Examples
/// ```
/// use bordermap::import::ucdp_where_prec;
/// assert_eq!(ucdp_where_prec(1).0, 1);
/// assert_eq!(ucdp_where_prec(4), (3, 150_000.0, None));
/// assert!(ucdp_where_prec(6).2.unwrap().contains("country"));
/// ```
pub fn ucdp_where_prec(where_prec: u8) -> (u8, f64, Option<&'static str>) {
    match where_prec {
        1 => (1, 2_000.0, None),
        2 => (2, 25_000.0, None),
        3 => (3, 50_000.0, None),
        4 => (3, 150_000.0, None),
        5 => (
            3,
            150_000.0,
            Some(
                "UCDP where_prec 5: only a linear feature (a border, a river, a road) or an area that is not an administrative unit is known",
            ),
        ),
        6 => (
            3,
            300_000.0,
            Some("UCDP where_prec 6: only the country is known"),
        ),
        _ => (
            3,
            300_000.0,
            Some("UCDP where_prec 7: international waters or airspace (or an unknown code)"),
        ),
    }
}

/// `geo_precision` (ACLED) → (geo precision, radius in metres).
///
/// # Examples
/// ```
/// assert_eq!(bordermap::import::acled_geo_precision(2), (2, 15_000.0));
/// ```
pub fn acled_geo_precision(geo_precision: u8) -> (u8, f64) {
    match geo_precision {
        1 => (1, 2_000.0),
        2 => (2, 15_000.0),
        _ => (3, 50_000.0),
    }
}

/// ACLED `event_type` / `sub_event_type` → the project's event type.
///
/// | ACLED | bordermap |
/// |---|---|
/// | Battles (any sub-event) | armed_clash |
/// | Explosions/Remote violence: Shelling/artillery/missile attack | shelling |
/// | Explosions/Remote violence: Air/drone strike | drone_strike |
/// | Explosions/Remote violence: other sub-events (landmine, grenade, …) | other |
/// | Violence against civilians | other |
/// | Riots, Protests | other |
/// | Strategic developments: Agreement | agreement |
/// | Strategic developments: Looting/property destruction | arson_looting |
/// | Strategic developments: Non-violent transfer of territory | incursion |
/// | Strategic developments: Headquarters or base established | incursion |
/// | anything else | other |
///
/// The original types stay in `src_event_type` and `src_sub_event_type`.
///
/// # Examples
/// ```
/// use bordermap::{import::acled_event_type, EventType};
/// assert_eq!(acled_event_type("Battles", "Armed clash"), EventType::ArmedClash);
/// assert_eq!(acled_event_type("Explosions/Remote violence", "Air/drone strike"), EventType::DroneStrike);
/// assert_eq!(acled_event_type("Strategic developments", "Looting/property destruction"), EventType::ArsonLooting);
/// ```
pub fn acled_event_type(event_type: &str, sub_event_type: &str) -> EventType {
    let t = event_type.trim().to_lowercase();
    let s = sub_event_type.trim().to_lowercase();
    match t.as_str() {
        "battles" => EventType::ArmedClash,
        "explosions/remote violence" => match s.as_str() {
            "shelling/artillery/missile attack" => EventType::Shelling,
            "air/drone strike" => EventType::DroneStrike,
            _ => EventType::Other,
        },
        "strategic developments" => match s.as_str() {
            "agreement" => EventType::Agreement,
            "looting/property destruction" => EventType::ArsonLooting,
            "non-violent transfer of territory" | "headquarters or base established" => {
                EventType::Incursion
            }
            _ => EventType::Other,
        },
        _ => EventType::Other,
    }
}

/// A free-text type (a CSV `type` column) → the project's event type: a project name
/// (`shelling`, `Drone strike`), an ACLED event or sub-event type, else `other`.
fn loose_event_type(text: &str) -> EventType {
    let norm = text.trim().to_lowercase().replace([' ', '-'], "_");
    if let Some(t) = EventType::parse(&norm) {
        return t;
    }
    for t in EventType::ALL {
        if t.label().eq_ignore_ascii_case(text.trim()) {
            return t;
        }
    }
    match text.trim().to_lowercase().as_str() {
        "battles" | "armed clash" | "clash" | "battle" => EventType::ArmedClash,
        "shelling/artillery/missile attack" => EventType::Shelling,
        "air/drone strike" => EventType::DroneStrike,
        "looting/property destruction" | "arson" | "looting" => EventType::ArsonLooting,
        "non-violent transfer of territory" => EventType::Incursion,
        _ => EventType::Other,
    }
}

fn month_span(year: i32, month: u32) -> (Date, Date) {
    let first = Date {
        year,
        month,
        day: 1,
    };
    let next = if month == 12 {
        Date {
            year: year + 1,
            month: 1,
            day: 1,
        }
    } else {
        Date {
            year,
            month: month + 1,
            day: 1,
        }
    };
    (first, next.add_days(-1))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Parses a date as data files write it: `YYYY-MM-DD` (a time after it is ignored),
/// `YYYY-MM`, `YYYY`, or `16 September 2022` / `16 Sep 2022`. Returns the span and its
/// precision.
///
/// # Examples
/// ```
/// use bordermap::import::parse_date_loose;
/// let (a, b, p) = parse_date_loose("2022-09").unwrap();
/// assert_eq!((a.to_string(), b.to_string(), p.as_str()), ("2022-09-01".into(), "2022-09-30".into(), "month"));
/// assert_eq!(parse_date_loose("16 September 2022").unwrap().0.to_string(), "2022-09-16");
/// assert_eq!(parse_date_loose("2021-04-29 00:00:00.000").unwrap().0.to_string(), "2021-04-29");
/// assert!(parse_date_loose("2022-02-30").is_none());
/// ```
pub fn parse_date_loose(s: &str) -> Option<(Date, Date, DatePrecision)> {
    let s = s.trim();
    if s.len() >= 10 && s.is_char_boundary(10) {
        let (head, rest) = s.split_at(10);
        if (rest.is_empty() || rest.starts_with(['T', ' ']))
            && let Ok(d) = Date::parse(head)
        {
            return Some((d, d, DatePrecision::Day));
        }
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if s.len() == 7 && s.as_bytes()[4] == b'-' && digits(&s[..4]) && digits(&s[5..]) {
        let year: i32 = s[..4].parse().ok()?;
        let month: u32 = s[5..].parse().ok()?;
        if (1000..=9999).contains(&year) && (1..=12).contains(&month) {
            let (a, b) = month_span(year, month);
            return Some((a, b, DatePrecision::Month));
        }
        return None;
    }
    if s.len() == 4 && digits(s) {
        let year: i32 = s.parse().ok()?;
        if (1000..=9999).contains(&year) {
            let a = Date {
                year,
                month: 1,
                day: 1,
            };
            let b = Date {
                year,
                month: 12,
                day: 31,
            };
            return Some((a, b, DatePrecision::Year));
        }
        return None;
    }
    let parts: Vec<&str> = s.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if let [day, month, year] = parts.as_slice() {
        let m = month.to_lowercase();
        let month = MONTHS
            .iter()
            .position(|name| m.len() >= 3 && name.starts_with(m.trim_end_matches('.')))?
            as u32
            + 1;
        let text = format!("{year:0>4}-{month:02}-{day:0>2}");
        let d = Date::parse(&text).ok()?;
        return Some((d, d, DatePrecision::Day));
    }
    None
}

/// ISO 3166-1 alpha-2 of a country written as a code or as an English name (the two
/// countries of the field and their neighbours), else `None`.
fn country_code(text: &str) -> Option<String> {
    let t = text.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Some(t.to_uppercase());
    }
    let code = match t.to_lowercase().as_str() {
        "kyrgyzstan" | "kyrgyz republic" | "kirghizia" => "KG",
        "tajikistan" => "TJ",
        "uzbekistan" => "UZ",
        "kazakhstan" => "KZ",
        "afghanistan" => "AF",
        "china" => "CN",
        _ => return None,
    };
    Some(code.into())
}

/// A table of text cells: a header and rows aligned with it.
struct Table {
    header: Vec<String>,
    by_name: HashMap<String, usize>,
}

impl Table {
    fn new(header: Vec<String>) -> Self {
        let mut by_name = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            by_name.entry(h.trim().to_lowercase()).or_insert(i);
        }
        Table { header, by_name }
    }

    /// The index of the first of `names` (any case) present.
    fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.by_name.get(&n.to_lowercase()).copied())
    }

    /// The index of a column named by the user: exact, else any case.
    fn named(&self, name: &str, path: &Path, flag: &str) -> Result<usize> {
        self.header
            .iter()
            .position(|h| h == name)
            .or_else(|| self.find(&[name]))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{}: {flag} {name:?}: no such column; the columns are: {}",
                    path.display(),
                    self.header.join(", ")
                ))
            })
    }
}

/// One data row.
struct Row<'a> {
    cells: &'a [String],
}

impl Row<'_> {
    fn at(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.cells.get(i)).map_or("", |s| s.trim())
    }
}

/// Skipped rows, grouped by kind, for one diagnostic per kind.
#[derive(Default)]
struct Skips {
    kinds: BTreeMap<&'static str, (&'static str, Vec<usize>, String)>,
    count: usize,
}

impl Skips {
    fn add(&mut self, kind: &'static str, label: &'static str, line: usize, message: String) {
        let e = self
            .kinds
            .entry(kind)
            .or_insert_with(|| (label, Vec::new(), message));
        e.1.push(line);
        self.count += 1;
    }

    fn diagnostics(self, path: &Path, unit: &str) -> Vec<Diagnostic> {
        let mut out: Vec<(usize, Diagnostic)> = self
            .kinds
            .into_iter()
            .map(|(kind, (label, lines, first))| {
                let n = lines.len();
                let shown: Vec<String> = lines.iter().take(50).map(usize::to_string).collect();
                let more = if n > 50 {
                    format!(" and {} more", n - 50)
                } else {
                    String::new()
                };
                let (rows, units) = if n == 1 {
                    ("row", unit.to_string())
                } else {
                    ("rows", format!("{unit}s"))
                };
                let message = format!(
                    "skipped {n} {rows} with {label}: {units} {}{more} (first: {first})",
                    shown.join(", ")
                );
                (
                    lines[0],
                    Diagnostic {
                        severity: Severity::Warning,
                        kind,
                        location: path.display().to_string(),
                        message,
                    },
                )
            })
            .collect();
        out.sort_by_key(|(first, _)| *first);
        out.into_iter().map(|(_, d)| d).collect()
    }
}

/// Checks a coordinate pair read as text. The error is (kind, label, message).
fn coordinates(
    lat: &str,
    lon: &str,
) -> std::result::Result<LonLat, (&'static str, &'static str, String)> {
    let number = |name: &str, v: &str| {
        if v.trim().is_empty() {
            return Err((
                "empty_coordinate",
                "an empty coordinate",
                format!("the {name} is empty"),
            ));
        }
        let x: f64 = v.trim().parse().map_err(|_| {
            (
                "non_numeric_coordinate",
                "a non-numeric coordinate",
                format!("{name} {v:?} is not a number"),
            )
        })?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err((
                "non_finite_coordinate",
                "a non-finite coordinate (NaN, inf or too large)",
                format!("{name} {v:?} is not a finite number"),
            ))
        }
    };
    let lat = number("latitude", lat)?;
    let lon = number("longitude", lon)?;
    LonLat::new(lon, lat).map_err(|m| {
        if m.contains("swapped") {
            ("swapped_coordinates", "latitude and longitude swapped", m)
        } else if m.contains("projected metres") {
            (
                "projected_coordinates",
                "coordinates in projected metres",
                m,
            )
        } else if m.starts_with("latitude") {
            ("out_of_range_latitude", "an out-of-range latitude", m)
        } else {
            ("out_of_range_longitude", "an out-of-range longitude", m)
        }
    })
}

/// The sources of a row written by bordermap: `source_ids` (`a; b`), `sources` (the
/// citations `publication, "title" (date)`, joined by ` | `) and `source_urls`. `None`
/// unless the ids and the citations match one to one.
fn cited_sources(ids: &str, citations: &str, urls: &str) -> Option<Vec<Source>> {
    if ids.is_empty() || citations.is_empty() {
        return None;
    }
    let ids: Vec<&str> = ids.split("; ").collect();
    let citations: Vec<&str> = citations.split(" | ").collect();
    if ids.len() != citations.len() {
        return None;
    }
    let urls: Vec<&str> = urls.split_whitespace().collect();
    let mut out = Vec::with_capacity(ids.len());
    for (i, (id, c)) in ids.iter().zip(&citations).enumerate() {
        let c = c.strip_suffix(')')?;
        let open = c.rfind(" (")?;
        let (head, date) = (&c[..open], &c[open + 2..]);
        let head = head.strip_suffix('"')?;
        let quote = head.find(", \"")?;
        let url = if urls.len() == ids.len() {
            Some(urls[i].to_string())
        } else if i == 0 && !urls.is_empty() {
            Some(urls.join(" "))
        } else {
            None
        };
        out.push(Source {
            id: (*id).to_string(),
            publication: head[..quote].to_string(),
            title: head[quote + 3..].to_string(),
            date: date.to_string(),
            url,
            author: None,
            note: None,
        });
    }
    Some(out)
}

/// A whole number ≥ 0 from a cell (`12`, `12.0`), else `None`.
fn count(cell: &str) -> Option<u32> {
    let x: f64 = cell.trim().parse().ok()?;
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)).then_some(x as u32)
}

/// Imports `text` (read from `path`) as incidents. See the module docs.
pub fn import_text(
    path: &Path,
    text: &str,
    opts: &Options,
    gazetteer: &Gazetteer,
) -> Result<Imported> {
    let looks_json = text.trim_start().starts_with('{');
    let format = opts.from.unwrap_or(if looks_json {
        Format::Geojson
    } else {
        Format::Csv
    });
    let (table, rows, positions, values, format) = if format == Format::Geojson {
        let features = read_points(path, text)?;
        let mut header: Vec<String> = vec!["id".into()];
        let mut seen: HashSet<String> = HashSet::from(["id".to_string()]);
        let maps: Vec<Map<String, Value>> =
            features.iter().map(|f| f.properties.to_map()).collect();
        for m in &maps {
            for k in m.keys() {
                if seen.insert(k.to_lowercase()) {
                    header.push(k.clone());
                }
            }
        }
        let table = Table::new(header);
        let mut rows = Vec::with_capacity(features.len());
        let mut positions = Vec::with_capacity(features.len());
        let mut values = Vec::with_capacity(features.len());
        for (f, props) in features.into_iter().zip(maps) {
            let mut cells = vec![String::new(); table.header.len()];
            cells[0] = f.id.clone();
            for (k, v) in &props {
                if let Some(&i) = table.by_name.get(&k.to_lowercase())
                    && i != 0
                {
                    cells[i] = match v {
                        Value::Null => String::new(),
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                }
            }
            rows.push(cells);
            positions.push(f.position);
            values.push(props);
        }
        (table, rows, Some(positions), Some(values), Format::Geojson)
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| Error::record(path, "line 1", format!("invalid CSV header: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(Error::record(
                path,
                "line 1",
                "the file is empty or has no header row",
            ));
        }
        let format = opts.from.unwrap_or_else(|| detect_csv(&header));
        let table = Table::new(header);
        let total = text.bytes().filter(|&b| b == b'\n').count() as u64;
        let bar = crate::progress::bar(total, "reading");
        let mut rows = Vec::new();
        for rec in reader.records() {
            bar.inc(1);
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                Error::record(path, format!("line {line}"), format!("invalid CSV: {e}"))
            })?;
            let line = rec.position().map_or(0, |p| p.line()) as usize;
            let mut cells: Vec<String> = rec.iter().map(str::to_string).collect();
            cells.resize(table.header.len().max(cells.len()), String::new());
            cells.push(line.to_string());
            rows.push(cells);
        }
        bar.finish_and_clear();
        (table, rows, None, None, format)
    };
    let parsed = Parsed {
        format,
        table,
        rows,
        positions,
        values,
    };
    convert(path, &parsed, opts, gazetteer)
}

struct Draft {
    incident: Incident,
    sources: Vec<Source>,
    extra: Map<String, Value>,
    /// (precision, radius, reason) for given coordinates.
    precision: Option<(u8, f64, String)>,
}

/// A file read into cells: the header, the rows (for a CSV, each ends with its line
/// number), and for GeoJSON the positions and the properties as read.
struct Parsed {
    format: Format,
    table: Table,
    rows: Vec<Vec<String>>,
    positions: Option<Vec<Option<LonLat>>>,
    values: Option<Vec<Map<String, Value>>>,
}

fn convert(
    path: &Path,
    parsed: &Parsed,
    opts: &Options,
    gazetteer: &Gazetteer,
) -> Result<Imported> {
    let Parsed {
        format,
        table,
        rows,
        positions,
        values,
    } = parsed;
    let (format, positions, values) = (*format, positions.as_deref(), values.as_deref());
    let stdin = path.as_os_str() == "-";
    let file_name = match path.file_name() {
        Some(n) if !stdin => n.to_string_lossy().into_owned(),
        _ => "stdin".to_string(),
    };
    let stem = match path.file_stem() {
        Some(n) if !stdin => safe_file_stem(&n.to_string_lossy()),
        _ => "stdin".to_string(),
    };
    let need = |names: &[&str], what: &str| -> Result<usize> {
        table.find(names).ok_or_else(|| {
            Error::record(
                path,
                "line 1",
                format!(
                    "no {what} column (looked for {}); the columns are: {}",
                    names.join(", "),
                    table.header.join(", ")
                ),
            )
        })
    };
    let place_col = match &opts.place_col {
        Some(c) => Some(table.named(c, path, "--place-col")?),
        None => None,
    };
    let (lat_col, lon_col) = if positions.is_some() || place_col.is_some() {
        (None, None)
    } else {
        let lat = match &opts.lat_col {
            Some(c) => table.named(c, path, "--lat-col")?,
            None => need(&["lat", "latitude", "y"], "latitude").map_err(|e| {
                Error::Usage(format!(
                    "{e}; name it with --lat-col, or geocode names with --place-col"
                ))
            })?,
        };
        let lon = match &opts.lon_col {
            Some(c) => table.named(c, path, "--lon-col")?,
            None => need(&["lon", "lng", "long", "longitude", "x"], "longitude").map_err(|e| {
                Error::Usage(format!(
                    "{e}; name it with --lon-col, or geocode names with --place-col"
                ))
            })?,
        };
        (Some(lat), Some(lon))
    };
    let shared = match format {
        Format::Ucdp => Source {
            id: "ucdp-ged".into(),
            publication: "Uppsala Conflict Data Program, Georeferenced Event Dataset (UCDP GED)"
                .into(),
            title: format!("events imported from {file_name}"),
            date: "undated".into(),
            url: Some("https://ucdp.uu.se/downloads/".into()),
            author: None,
            note: Some(
                "figures as coded by UCDP; each event's source articles are in src_source_article"
                    .into(),
            ),
        },
        Format::Acled => Source {
            id: "acled".into(),
            publication: "Armed Conflict Location & Event Data (ACLED)".into(),
            title: format!("events imported from {file_name}"),
            date: "undated".into(),
            url: Some("https://acleddata.com/".into()),
            author: None,
            note: Some("as coded by ACLED from the sources named in src_source".into()),
        },
        Format::Csv | Format::Geojson => Source {
            id: format!("import:{file_name}"),
            publication: file_name.clone(),
            title: "rows imported by bordermap".into(),
            date: "undated".into(),
            url: None,
            author: None,
            note: None,
        },
    };
    let unit = if format == Format::Geojson {
        "feature"
    } else {
        "line"
    };
    let mut skips = Skips::default();
    let mut ids: HashSet<String> = HashSet::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(rows.len());
    let bar = crate::progress::bar(rows.len() as u64, "importing");

    // Columns, looked up once.
    let c = |names: &[&str]| table.find(names);
    let col_id = c(&["id"]);
    let (col_date, col_date_end, col_date_prec) = match format {
        Format::Ucdp => (c(&["date_start"]), c(&["date_end"]), c(&["date_prec"])),
        Format::Acled => (c(&["event_date"]), None, c(&["time_precision"])),
        _ => (
            c(&["date_start", "date", "event_date"]),
            c(&["date_end"]),
            c(&["date_precision"]),
        ),
    };
    if col_date.is_none() {
        need(&["date_start", "date", "event_date"], "date")?;
    }
    // The source's own columns kept as `src_*` properties: every column of a UCDP or ACLED
    // file; for other files the columns not recognised above nor computed by bordermap.
    // Columns already called `src_*` keep their name and come first, so they win.
    let generic = matches!(format, Format::Csv | Format::Geojson);
    let used: HashSet<usize> = if generic {
        [
            lat_col,
            lon_col,
            place_col,
            col_id,
            col_date,
            col_date_end,
            col_date_prec,
            c(&["event_type", "type", "category"]),
            c(&["description", "notes"]),
            c(&["title", "name"]),
            c(&[
                "place_query",
                "place",
                "location",
                "location_reported",
                "name",
            ]),
            c(&["location_reported", "location"]),
            c(&["country", "country_code", "geo_country"]),
            c(&["admin1", "geo_admin1"]),
            c(&["admin2", "geo_admin2"]),
            c(&["actors"]),
            c(&["claims_json"]),
            c(&["url", "link", "source_url", "source_urls"]),
            c(&["geo_precision"]),
            c(&["geo_uncertainty_m"]),
        ]
        .into_iter()
        .flatten()
        .collect()
    } else {
        HashSet::new()
    };
    let mut keep: Vec<(usize, String)> = Vec::new();
    let mut derived: Vec<(usize, String)> = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        let key = h.trim();
        let lower = key.to_lowercase();
        if key.is_empty() || used.contains(&i) {
            continue;
        }
        if key.starts_with("src_") {
            keep.push((i, key.to_string()));
        } else if generic && crate::schema::is_computed(&lower) {
            if lower == "sources" {
                derived.push((i, "src_sources".into()));
            }
        } else {
            derived.push((i, format!("src_{key}")));
        }
    }
    keep.extend(derived);

    let cx = RowCtx {
        table,
        shared: &shared,
        file_name: &file_name,
        place_col,
    };
    for (n, cells) in rows.iter().enumerate() {
        bar.inc(1);
        let (line, cells) = if positions.is_some() {
            (n, cells.as_slice())
        } else {
            let line = cells.last().and_then(|l| l.parse().ok()).unwrap_or(n + 2);
            (line, &cells[..cells.len() - 1])
        };
        let row = Row { cells };
        let mut extra = Map::new();
        for (i, key) in &keep {
            let value = match values {
                Some(v) => v[n].get(&table.header[*i]).cloned().unwrap_or(Value::Null),
                None => row.cells.get(*i).cloned().unwrap_or_default().into(),
            };
            extra.entry(key.clone()).or_insert(value);
        }

        // Position.
        let position = if let Some(p) = positions {
            match (p[n], place_col) {
                (_, Some(_)) => None,
                (Some(p), None) => Some(p),
                (None, None) => {
                    skips.add(
                        "no_geometry",
                        "no geometry (give --place-col to geocode a name property)",
                        line,
                        format!("feature {line} has geometry null"),
                    );
                    continue;
                }
            }
        } else if place_col.is_some() {
            None
        } else {
            match coordinates(row.at(lat_col), row.at(lon_col)) {
                Ok(p) => Some(p),
                Err((kind, label, message)) => {
                    skips.add(kind, label, line, format!("{unit} {line}: {message}"));
                    continue;
                }
            }
        };
        let place_name = place_col.map(|i| row.at(Some(i)).to_string());
        if place_name.as_deref() == Some("") {
            skips.add(
                "empty_place",
                "an empty place name",
                line,
                format!("{unit} {line}: the place column is empty"),
            );
            continue;
        }

        // Dates.
        let date_text = row.at(col_date);
        let Some((mut start, mut end, mut precision)) = parse_date_loose(date_text) else {
            skips.add(
                "invalid_date",
                "a missing or invalid date",
                line,
                format!("{unit} {line}: date {date_text:?} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or 16 September 2022)"),
            );
            continue;
        };
        if let Some((_, e, _)) = parse_date_loose(row.at(col_date_end)) {
            if e >= start {
                end = e;
                if precision == DatePrecision::Day && end > start {
                    precision = DatePrecision::Range;
                }
            } else {
                skips.add(
                    "invalid_date",
                    "a missing or invalid date",
                    line,
                    format!("{unit} {line}: date_end {e} is before the start {start}"),
                );
                continue;
            }
        }
        let prec_text = row.at(col_date_prec);
        match format {
            Format::Ucdp => {
                precision = match prec_text {
                    "1" => DatePrecision::Day,
                    "3" => DatePrecision::Month,
                    "4" => DatePrecision::Year,
                    "2" | "5" => DatePrecision::Range,
                    _ if end > start => DatePrecision::Range,
                    _ => DatePrecision::Day,
                };
            }
            Format::Acled => match prec_text {
                "2" => {
                    end = start.add_days(3);
                    start = start.add_days(-3);
                    precision = DatePrecision::Range;
                }
                "3" => {
                    (start, end) = month_span(start.year, start.month);
                    precision = DatePrecision::Month;
                }
                _ => {}
            },
            _ => {
                if let Ok(p) =
                    serde_json::from_value::<DatePrecision>(Value::String(prec_text.into()))
                {
                    precision = p;
                }
            }
        }

        // Id.
        let id = match format {
            Format::Ucdp => match row.at(col_id) {
                "" => format!("ucdp-ged:{stem}-{line}"),
                v => format!("ucdp-ged:{v}"),
            },
            Format::Acled => match row.at(c(&["event_id_cnty"])) {
                "" => format!("acled:{stem}-{line}"),
                v => format!("acled:{v}"),
            },
            _ => match row.at(col_id) {
                "" => format!("{stem}-{line}"),
                v => v.to_string(),
            },
        };
        if !ids.insert(id.clone()) {
            skips.add(
                "duplicate_id",
                "a duplicate id",
                line,
                format!("{unit} {line}: id {id:?} was used by an earlier row"),
            );
            continue;
        }

        let mut incident = Incident {
            id,
            title: String::new(),
            date_start: start,
            date_end: end,
            date_precision: precision,
            event_type: EventType::Other,
            location: String::new(),
            place: String::new(),
            country: None,
            admin1: None,
            admin2: None,
            near: vec![],
            actors: vec![],
            sources: vec![shared.id.clone()],
            claims: vec![],
            notes: String::new(),
            position,
        };
        let mut sources = vec![shared.clone()];
        let mut given = match format {
            Format::Ucdp => ucdp_row(&cx, &row, &mut incident),
            Format::Acled => acled_row(&cx, &row, &mut incident),
            Format::Csv | Format::Geojson => generic_row(
                &cx,
                &row,
                &mut incident,
                &mut sources,
                &mut extra,
                place_name.as_deref(),
            ),
        };
        if let Some(name) = &place_name {
            incident.place = name.clone();
            given = None;
        }
        drafts.push(Draft {
            incident,
            sources,
            extra,
            precision: given,
        });
    }
    bar.finish_and_clear();

    let incidents: Vec<Incident> = drafts.iter().map(|d| d.incident.clone()).collect();
    let (located, geo_diags) = geocode_all(&incidents, gazetteer);
    let records = drafts
        .into_iter()
        .zip(located)
        .map(|(d, mut g)| {
            if let (Some((p, r, reason)), Some(loc)) = (d.precision, g.location.as_mut()) {
                loc.precision = p;
                loc.uncertainty_m = r;
                g.reason = reason;
            }
            Record {
                geocoded: g,
                sources: d.sources,
                extra: d.extra,
            }
        })
        .collect();
    let skipped = skips.count;
    let mut diagnostics = skips.diagnostics(path, unit);
    diagnostics.extend(geo_diags);
    Ok(Imported {
        format,
        rows: rows.len(),
        skipped,
        records,
        diagnostics,
    })
}

/// What the per-format row readers share.
struct RowCtx<'a> {
    table: &'a Table,
    shared: &'a Source,
    file_name: &'a str,
    place_col: Option<usize>,
}

/// Fills an incident from a UCDP GED row; returns the precision, radius and reason of its
/// coordinates.
fn ucdp_row(cx: &RowCtx<'_>, row: &Row<'_>, incident: &mut Incident) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let shared = cx.shared;
    let date = incident.date_end.to_string();
    let side_a = row.at(c(&["side_a"])).to_string();
    let side_b = row.at(c(&["side_b"])).to_string();
    let place = row.at(c(&["where_coordinates"])).to_string();
    let described = row.at(c(&["where_description"])).to_string();
    let tov = row.at(c(&["type_of_violence"]));
    let (event_type, tov_label) = match tov {
        "1" => (EventType::ArmedClash, "state-based conflict"),
        "2" => (EventType::ArmedClash, "non-state conflict"),
        "3" => (EventType::Other, "one-sided violence"),
        _ => (EventType::Other, "unknown type"),
    };
    incident.event_type = event_type;
    let dyad = match row.at(c(&["dyad_name"])) {
        "" => [side_a.as_str(), side_b.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" – "),
        d => d.to_string(),
    };
    let at = if place.is_empty() { &described } else { &place };
    incident.title = format!("{dyad} ({tov_label}) at {at}");
    incident.location = if described.is_empty() {
        place.clone()
    } else {
        described.clone()
    };
    incident.place = place;
    incident.country = country_code(row.at(c(&["country"])));
    incident.admin1 = Some(row.at(c(&["adm_1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 = Some(row.at(c(&["adm_2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = [side_a.clone(), side_b.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut notes = vec![format!("UCDP type_of_violence {tov} ({tov_label})")];
    let wp: u8 = row.at(c(&["where_prec"])).parse().unwrap_or(7);
    let (p, radius, note) = ucdp_where_prec(wp);
    if let Some(n) = note {
        notes.push(n.to_string());
    }
    let given = Some((
        p,
        radius,
        format!(
            "coordinates given by UCDP GED; where_prec {wp} → precision {p}, ±{:.0} km{}",
            radius / 1000.0,
            note.map_or(String::new(), |n| format!(" ({n})"))
        ),
    ));
    if let Some(best) = count(row.at(c(&["best"]))) {
        let low = count(row.at(c(&["low"]))).unwrap_or(best);
        let high = count(row.at(c(&["high"]))).unwrap_or(best);
        for (figure, what) in [(low, "low"), (best, "best"), (high, "high")] {
            incident.claims.push(Claim {
                claimant: "UCDP GED (best/low/high)".into(),
                claimant_side: Side::ThirdParty,
                victims: Side::All,
                killed: Some(figure),
                killed_min: false,
                injured: None,
                injured_min: false,
                civilians_killed: None,
                source: shared.id.clone(),
                date: date.clone(),
                note: Some(format!(
                    "UCDP's {what} estimate of all deaths (low {low}, best {best}, high {high})"
                )),
            });
        }
    }
    // The per-side breakdown is part of the same UCDP estimate, not a separate claim: as
    // side claims it would make the project's rule sum deaths_a + deaths_b and drop the
    // civilian and unknown deaths that UCDP's best includes. It is kept in the notes.
    let part = |col: &str| count(row.at(c(&[col]))).map_or("?".into(), |x| x.to_string());
    notes.push(format!(
        "UCDP deaths by side: {side_a} {}, {side_b} {}, civilians {}, unknown {}",
        part("deaths_a"),
        part("deaths_b"),
        part("deaths_civilians"),
        part("deaths_unknown")
    ));
    incident.notes = notes.join("; ");
    given
}

/// Fills an incident from an ACLED row; returns the precision, radius and reason of its
/// coordinates.
fn acled_row(cx: &RowCtx<'_>, row: &Row<'_>, incident: &mut Incident) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let shared = cx.shared;
    let date = incident.date_end.to_string();
    let et = row.at(c(&["event_type"]));
    let st = row.at(c(&["sub_event_type"]));
    incident.event_type = acled_event_type(et, st);
    let actor1 = row.at(c(&["actor1"])).to_string();
    let actor2 = row.at(c(&["actor2"])).to_string();
    let location = row.at(c(&["location"])).to_string();
    let who = [actor1.as_str(), actor2.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" – ");
    incident.title = format!(
        "{}: {who} at {location}",
        if st.is_empty() { et } else { st }
    );
    incident.location = location.clone();
    incident.place = location;
    incident.country = country_code(row.at(c(&["country"])));
    incident.admin1 = Some(row.at(c(&["admin1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 = Some(row.at(c(&["admin2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = [actor1, actor2]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut notes = vec![format!("ACLED event type: {et} / {st}")];
    let n = row.at(c(&["notes"]));
    if !n.is_empty() {
        notes.push(n.to_string());
    }
    incident.notes = notes.join("; ");
    let gp: u8 = row.at(c(&["geo_precision"])).parse().unwrap_or(3);
    let (p, radius) = acled_geo_precision(gp);
    let given = Some((
        p,
        radius,
        format!(
            "coordinates given by ACLED; geo_precision {gp} → precision {p}, ±{:.0} km",
            radius / 1000.0
        ),
    ));
    let source_text = row.at(c(&["source"]));
    if let Some(k) = count(row.at(c(&["fatalities"]))) {
        incident.claims.push(Claim {
            claimant: format!(
                "ACLED (from {})",
                if source_text.is_empty() {
                    "unnamed sources"
                } else {
                    source_text
                }
            ),
            claimant_side: Side::ThirdParty,
            victims: Side::All,
            killed: Some(k),
            killed_min: false,
            injured: None,
            injured_min: false,
            civilians_killed: None,
            source: shared.id.clone(),
            date: date.clone(),
            note: Some("ACLED fatalities: a conservative estimate of all deaths".into()),
        });
    }
    given
}

/// Fills an incident from a row of any CSV or GeoJSON; may replace its sources (a link, or
/// the sources of a file bordermap wrote). Returns the precision, radius and reason of given
/// coordinates.
fn generic_row(
    cx: &RowCtx<'_>,
    row: &Row<'_>,
    incident: &mut Incident,
    sources: &mut Vec<Source>,
    extra: &mut Map<String, Value>,
    place_name: Option<&str>,
) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let (shared, file_name, place_col) = (cx.shared, cx.file_name, cx.place_col);
    let mut given = None;
    let type_text = row.at(c(&["event_type", "type", "category"]));
    incident.event_type = loose_event_type(type_text);
    let description = row.at(c(&["description", "notes"])).to_string();
    let place_text = row
        .at(place_col.or(c(&[
            "place_query",
            "place",
            "location",
            "location_reported",
            "name",
        ])))
        .to_string();
    let location = match row.at(c(&["location_reported", "location"])) {
        "" => place_text.clone(),
        l => l.to_string(),
    };
    incident.title = match row.at(c(&["title", "name"])) {
        "" if !description.is_empty() => description.chars().take(80).collect(),
        "" if !location.is_empty() => location.clone(),
        "" => incident.id.clone(),
        t => t.to_string(),
    };
    incident.notes = description;
    incident.location = location;
    incident.place = place_name.map_or(place_text, str::to_string);
    incident.country = country_code(row.at(c(&["country", "country_code", "geo_country"])));
    incident.admin1 =
        Some(row.at(c(&["admin1", "geo_admin1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 =
        Some(row.at(c(&["admin2", "geo_admin2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = row
        .at(c(&["actors"]))
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let claims_text = row.at(c(&["claims_json"]));
    if !claims_text.is_empty()
        && let Ok(claims) = serde_json::from_str::<Vec<Claim>>(claims_text)
    {
        incident.claims = claims;
    }
    let link = row.at(c(&["url", "link", "source_url", "source_urls"]));
    let cited = cited_sources(row.at(c(&["source_ids"])), row.at(c(&["sources"])), link);
    if let Some(cited) = cited {
        incident.sources = cited.iter().map(|s| s.id.clone()).collect();
        *sources = cited;
        extra.remove("src_sources");
    } else if !link.is_empty() {
        let row_source = Source {
            id: format!("{}#{}", shared.id, incident.id),
            publication: file_name.to_string(),
            title: incident.title.clone(),
            date: incident.date_start.to_string(),
            url: Some(link.to_string()),
            author: None,
            note: None,
        };
        incident.sources = vec![row_source.id.clone()];
        *sources = vec![row_source];
    }
    let p = row
        .at(c(&["geo_precision"]))
        .parse::<u8>()
        .ok()
        .filter(|p| (1..=3).contains(p));
    let r = row
        .at(c(&["geo_uncertainty_m"]))
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 0.0);
    if let (Some(p), Some(r)) = (p, r) {
        let reason = match row.at(c(&["geo_reason"])) {
            "" => format!("coordinates given in {file_name}, with precision {p} and ±{r:.0} m"),
            given => given.to_string(),
        };
        given = Some((p, r, reason));
    } else if incident.position.is_some() {
        given = Some((1, 0.0, format!("coordinates given in {file_name}")));
    }
    given
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str, opts: &Options) -> Imported {
        import_text(Path::new("t.csv"), text, opts, &Gazetteer::default()).unwrap()
    }

    #[test]
    fn bad_rows_are_grouped_by_kind_with_lines() {
        let text = "name,lat,lon,date\n\
                    a,39.85,70.58,2022-09-16\n\
                    b,95,170.58,2022-09-16\n\
                    c,,70.58,2022-09-16\n\
                    d,NaN,70.58,2022-09-16\n\
                    e,1e400,70.58,2022-09-16\n\
                    f,139.85,70.58,2022-09-16\n\
                    g,96,-170,2022-09-16\n\
                    h,39.8,70.5,2022-02-30\n";
        let out = import(text, &Options::default());
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.skipped, 7);
        let msgs: Vec<String> = out.diagnostics.iter().map(|d| d.message.clone()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("skipped 2 rows with an out-of-range latitude: lines 3, 8")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("swapped")), "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("skipped 2 rows with a non-finite coordinate")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("line 9")), "{msgs:?}");
    }

    #[test]
    fn acled_week_and_month_precision() {
        let text = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,latitude,longitude,geo_precision,fatalities,source\n\
                    KGZ1,2022-09-16,2,Battles,Armed clash,39.85,70.58,1,3,AKIpress\n\
                    KGZ2,16 September 2022,3,Battles,Armed clash,39.85,70.58,2,0,24.kg\n";
        let out = import(text, &Options::default());
        assert_eq!(out.format, Format::Acled);
        let a = &out.records[0].geocoded.incident;
        assert_eq!(
            (a.date_start.to_string(), a.date_end.to_string()),
            ("2022-09-13".into(), "2022-09-19".into())
        );
        let b = &out.records[1].geocoded.incident;
        assert_eq!(b.date_end.to_string(), "2022-09-30");
        assert_eq!(b.claims[0].claimant, "ACLED (from 24.kg)");
        assert_eq!(
            out.records[1].geocoded.location.as_ref().unwrap().precision,
            2
        );
    }
}
