//! The row engine: a file read into a table, then each row through the same steps
//! (position, dates, id, its format's reader) into a draft incident; then the geocoder over
//! all drafts at once, into [`Record`]s.

use super::dates::parse_date_loose;
use super::table::{Row, RowCtx, Skips, Table, coordinates};
use super::{Format, Imported, Options, Record, acled, detect_csv, generic, ucdp};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::Gazetteer;
use crate::geocode::geocode_all;
use crate::geojson_io::{read_points, value_text};
use crate::model::{Date, DatePrecision, EventType, Incident, LonLat, Source};
use crate::output::safe_file_stem;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

/// Imports `text` (read from `path`) as incidents. See the module docs.
///
/// # Examples
/// ```
/// use bordermap::import::{Format, Options, import_text};
/// let text = "name,lat,lon,date\nclash,39.85,70.58,2022-09-16\nbad,95,70,2022-09-16\n";
/// let out = import_text("t.csv".as_ref(), text, &Options::default(), &Default::default()).unwrap();
/// assert_eq!((out.format, out.records.len(), out.skipped), (Format::Csv, 1, 1));
/// ```
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
    let (table, rows, format) = if format == Format::Geojson {
        let (table, rows) = geojson_rows(path, text)?;
        (table, rows, Format::Geojson)
    } else {
        csv_rows(path, text, opts)?
    };
    convert(path, format, &table, rows, opts, gazetteer)
}

/// A GeoJSON FeatureCollection as rows: `id`, then every property name in first-seen order.
fn geojson_rows(path: &Path, text: &str) -> Result<(Table, Vec<Row>)> {
    let features = read_points(path, text)?;
    let mut header: Vec<String> = vec!["id".into()];
    let mut seen: HashSet<String> = HashSet::from(["id".to_string()]);
    let maps: Vec<Map<String, Value>> = features.iter().map(|f| f.properties.to_map()).collect();
    for m in &maps {
        for k in m.keys() {
            if seen.insert(k.to_lowercase()) {
                header.push(k.clone());
            }
        }
    }
    let table = Table::new(header);
    let mut rows = Vec::with_capacity(features.len());
    for (n, (f, props)) in features.into_iter().zip(maps).enumerate() {
        let mut cells = vec![String::new(); table.header.len()];
        cells[0] = f.id.clone();
        for (k, v) in &props {
            if let Some(&i) = table.by_name.get(&k.to_lowercase())
                && i != 0
            {
                cells[i] = value_text(v);
            }
        }
        rows.push(Row {
            line: n,
            cells,
            position: f.position,
            values: Some(props),
        });
    }
    Ok((table, rows))
}

/// A CSV as rows, each with its line number; detects the format from the header unless
/// `opts.from` gives it.
fn csv_rows(path: &Path, text: &str, opts: &Options) -> Result<(Table, Vec<Row>, Format)> {
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
    super::checks::check_header(path, &header)?;
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
        super::checks::check_record_len(path, line, table.header.len(), &cells)?;
        cells.resize(table.header.len().max(cells.len()), String::new());
        rows.push(Row {
            line,
            cells,
            position: None,
            values: None,
        });
    }
    bar.finish_and_clear();
    Ok((table, rows, format))
}

impl Format {
    /// The source that every row of the file cites.
    fn shared_source(self, file_name: &str) -> Source {
        match self {
            Format::Ucdp => ucdp::source(file_name),
            Format::Acled => acled::source(file_name),
            Format::Csv | Format::Geojson => generic::source(file_name),
        }
    }

    /// The date, end date and date-precision columns.
    fn date_columns(self, table: &Table) -> [Option<usize>; 3] {
        let c = |names: &[&str]| table.find(names);
        match self {
            Format::Ucdp => [c(&["date_start"]), c(&["date_end"]), c(&["date_prec"])],
            Format::Acled => [c(&["event_date"]), None, c(&["time_precision"])],
            Format::Csv | Format::Geojson => [
                c(&["date_start", "date", "event_date"]),
                c(&["date_end"]),
                c(&["date_precision"]),
            ],
        }
    }

    /// The dates as the format's precision code says.
    fn apply_precision(
        self,
        code: &str,
        (start, end, precision): (Date, Date, DatePrecision),
    ) -> (Date, Date, DatePrecision) {
        match self {
            Format::Ucdp => (start, end, ucdp::date_precision(code, start, end)),
            Format::Acled => acled::widen(code, start, end, precision),
            Format::Csv | Format::Geojson => {
                let given = serde_json::from_value::<DatePrecision>(Value::String(code.into()));
                (start, end, given.unwrap_or(precision))
            }
        }
    }

    /// The incident id of a row: the source's own id, prefixed for UCDP and ACLED, or the
    /// file's stem and the row's line when there is none.
    fn row_id(self, cols: &Columns, row: &Row, stem: &str) -> String {
        let line = row.line;
        match self {
            Format::Ucdp => match row.at(cols.id) {
                "" => format!("ucdp-ged:{stem}-{line}"),
                v => format!("ucdp-ged:{v}"),
            },
            Format::Acled => match row.at(cols.event_id) {
                "" => format!("acled:{stem}-{line}"),
                v => format!("acled:{v}"),
            },
            Format::Csv | Format::Geojson => match row.at(cols.id) {
                "" => format!("{stem}-{line}"),
                v => v.to_string(),
            },
        }
    }

    /// Fills the incident from the row; returns the precision, radius and reason of given
    /// coordinates.
    fn fill(
        self,
        cx: &RowCtx<'_>,
        row: &Row,
        draft: &mut Draft,
        place_name: Option<&str>,
    ) -> Option<(u8, f64, String)> {
        match self {
            Format::Ucdp => ucdp::ucdp_row(cx, row, &mut draft.incident),
            Format::Acled => acled::acled_row(cx, row, &mut draft.incident),
            Format::Csv | Format::Geojson => generic::generic_row(
                cx,
                row,
                &mut draft.incident,
                &mut draft.sources,
                &mut draft.extra,
                place_name,
            ),
        }
    }

    /// What a row is called in messages.
    pub(super) fn unit(self) -> &'static str {
        if self == Format::Geojson {
            "feature"
        } else {
            "line"
        }
    }
}

/// The columns the engine reads, looked up once.
struct Columns {
    lat: Option<usize>,
    lon: Option<usize>,
    place: Option<usize>,
    id: Option<usize>,
    event_id: Option<usize>,
    date: Option<usize>,
    date_end: Option<usize>,
    date_prec: Option<usize>,
}

impl Columns {
    /// Finds the columns; a file without coordinate or date columns is an error that lists
    /// its columns and the flags that name them.
    fn find(path: &Path, format: Format, table: &Table, opts: &Options) -> Result<Self> {
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
        let place = match &opts.place_col {
            Some(c) => Some(table.named(c, path, "--place-col")?),
            None => None,
        };
        let (lat, lon) = if format == Format::Geojson || place.is_some() {
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
                None => {
                    need(&["lon", "lng", "long", "longitude", "x"], "longitude").map_err(|e| {
                        Error::Usage(format!(
                            "{e}; name it with --lon-col, or geocode names with --place-col"
                        ))
                    })?
                }
            };
            (Some(lat), Some(lon))
        };
        let [date, date_end, date_prec] = format.date_columns(table);
        if date.is_none() {
            need(&["date_start", "date", "event_date"], "date")?;
        }
        Ok(Columns {
            lat,
            lon,
            place,
            id: table.find(&["id"]),
            event_id: table.find(&["event_id_cnty"]),
            date,
            date_end,
            date_prec,
        })
    }

    /// The source's own columns kept as `src_*` properties: every column of a UCDP or ACLED
    /// file; for other files the columns not recognised nor computed by bordermap. Columns
    /// already called `src_*` keep their name and come first, so they win.
    fn kept(&self, format: Format, table: &Table) -> Vec<(usize, String)> {
        let c = |names: &[&str]| table.find(names);
        let generic = matches!(format, Format::Csv | Format::Geojson);
        let used: HashSet<usize> = if generic {
            [
                self.lat,
                self.lon,
                self.place,
                self.id,
                self.date,
                self.date_end,
                self.date_prec,
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
                c(&["aggregate"]),
                c(&["covers"]),
                c(&["possible_duplicate_of"]),
                c(&["contradictions"]),
                c(&["allegations_json"]),
                c(&["geo_scope"]),
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
        keep
    }
}

/// A row on its way to a record: the incident before geocoding.
struct Draft {
    incident: Incident,
    sources: Vec<Source>,
    extra: Map<String, Value>,
    /// (precision, radius, reason) for given coordinates.
    precision: Option<(u8, f64, String)>,
    /// Values that could not be used: (kind, message).
    warnings: Vec<(&'static str, String)>,
}

/// Why a row was skipped: (kind, label, message), as [`Skips::add`] takes them.
type Skip = (&'static str, &'static str, String);

/// Everything the per-row steps share.
struct Engine<'a> {
    format: Format,
    table: &'a Table,
    cols: Columns,
    kept: Vec<(usize, String)>,
    shared: Source,
    file_name: String,
    stem: String,
}

impl Engine<'_> {
    /// The row's position: the feature's point, the coordinate columns, or none when the
    /// place column is to be geocoded.
    fn position(&self, row: &Row) -> std::result::Result<Option<LonLat>, Skip> {
        let unit = self.format.unit();
        let line = row.line;
        if self.format == Format::Geojson {
            let unplaced = matches!(
                row.at(self.table.find(&["geo_scope"])),
                "border" | "unknown"
            );
            return match (row.position, self.cols.place) {
                (_, Some(_)) => Ok(None),
                (Some(p), None) => Ok(Some(p)),
                (None, None) if unplaced => Ok(None),
                (None, None) => Err((
                    "no_geometry",
                    "no geometry (give --place-col to geocode a name property)",
                    format!("feature {line} has geometry null"),
                )),
            };
        }
        if self.cols.place.is_some() {
            return Ok(None);
        }
        coordinates(row.at(self.cols.lat), row.at(self.cols.lon))
            .map(Some)
            .map_err(|(kind, label, message)| (kind, label, format!("{unit} {line}: {message}")))
    }

    /// The row's dates, widened or narrowed by the format's precision code.
    fn dates(&self, row: &Row) -> std::result::Result<(Date, Date, DatePrecision), Skip> {
        let (unit, line) = (self.format.unit(), row.line);
        let invalid = "invalid_date";
        let label = "a missing or invalid date";
        let date_text = row.at(self.cols.date);
        let Some((start, mut end, mut precision)) = parse_date_loose(date_text) else {
            return Err((
                invalid,
                label,
                format!(
                    "{unit} {line}: date {date_text:?} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or 16 September 2022)"
                ),
            ));
        };
        if let Some((_, e, _)) = parse_date_loose(row.at(self.cols.date_end)) {
            if e < start {
                return Err((
                    invalid,
                    label,
                    format!("{unit} {line}: date_end {e} is before the start {start}"),
                ));
            }
            end = e;
            if precision == DatePrecision::Day && end > start {
                precision = DatePrecision::Range;
            }
        }
        Ok(self
            .format
            .apply_precision(row.at(self.cols.date_prec), (start, end, precision)))
    }

    /// The row's `src_*` properties, with GeoJSON values keeping their JSON type.
    fn extra(&self, row: &Row) -> Map<String, Value> {
        let mut extra = Map::new();
        for (i, key) in &self.kept {
            let value = match &row.values {
                Some(v) => v
                    .get(&self.table.header[*i])
                    .cloned()
                    .unwrap_or(Value::Null),
                None => row.cells.get(*i).cloned().unwrap_or_default().into(),
            };
            extra.entry(key.clone()).or_insert(value);
        }
        extra
    }

    /// Turns one row into a draft incident, or says why it is skipped.
    fn draft(&self, row: &Row, ids: &mut HashSet<String>) -> std::result::Result<Draft, Skip> {
        let (unit, line) = (self.format.unit(), row.line);
        let position = self.position(row)?;
        let place_name = self.cols.place.map(|i| row.at(Some(i)).to_string());
        if place_name.as_deref() == Some("") {
            return Err((
                "empty_place",
                "an empty place name",
                format!("{unit} {line}: the place column is empty"),
            ));
        }
        let (start, end, precision) = self.dates(row)?;
        let id = self.format.row_id(&self.cols, row, &self.stem);
        if !ids.insert(id.clone()) {
            return Err((
                "duplicate_id",
                "a duplicate id",
                format!("{unit} {line}: id {id:?} was used by an earlier row"),
            ));
        }
        let mut draft = Draft {
            incident: Incident {
                id,
                title: String::new(),
                date_start: start,
                date_end: end,
                date_precision: precision,
                event_type: EventType::Other,
                sources: vec![self.shared.id.clone()],
                position,
                ..Incident::default()
            },
            sources: vec![self.shared.clone()],
            extra: self.extra(row),
            precision: None,
            warnings: Vec::new(),
        };
        let cx = RowCtx {
            table: self.table,
            shared: &self.shared,
            file_name: &self.file_name,
            place_col: self.cols.place,
        };
        draft.precision = self
            .format
            .fill(&cx, row, &mut draft, place_name.as_deref());
        let no_claims = draft.incident.claims.is_empty();
        draft.warnings =
            super::checks::row_warnings(self.format, self.table, row, no_claims, &mut draft.extra);
        if let Some(name) = place_name {
            draft.incident.place = name;
            draft.precision = None;
        }
        Ok(draft)
    }
}

fn convert(
    path: &Path,
    format: Format,
    table: &Table,
    rows: Vec<Row>,
    opts: &Options,
    gazetteer: &Gazetteer,
) -> Result<Imported> {
    let stdin = path.as_os_str() == "-";
    let file_name = match path.file_name() {
        Some(n) if !stdin => n.to_string_lossy().into_owned(),
        _ => "stdin".to_string(),
    };
    let stem = match path.file_stem() {
        Some(n) if !stdin => safe_file_stem(&n.to_string_lossy()),
        _ => "stdin".to_string(),
    };
    let cols = Columns::find(path, format, table, opts)?;
    let engine = Engine {
        format,
        table,
        kept: cols.kept(format, table),
        cols,
        shared: format.shared_source(&file_name),
        file_name,
        stem,
    };
    let mut skips = Skips::default();
    let mut ids: HashSet<String> = HashSet::new();
    let mut drafts: Vec<Draft> = Vec::with_capacity(rows.len());
    let bar = crate::progress::bar(rows.len() as u64, "importing");
    for row in &rows {
        bar.inc(1);
        match engine.draft(row, &mut ids) {
            Ok(d) => drafts.push(d),
            Err((kind, label, message)) => skips.add(kind, label, row.line, message),
        }
    }
    bar.finish_and_clear();
    Ok(finish(path, format, rows.len(), drafts, skips, gazetteer))
}

/// Geocodes the drafts together and gathers the records and the diagnostics.
fn finish(
    path: &Path,
    format: Format,
    n_rows: usize,
    mut drafts: Vec<Draft>,
    skips: Skips,
    gazetteer: &Gazetteer,
) -> Imported {
    let incidents: Vec<Incident> = drafts.iter().map(|d| d.incident.clone()).collect();
    let warnings: Vec<Diagnostic> = drafts
        .iter_mut()
        .flat_map(|d| std::mem::take(&mut d.warnings))
        .map(|(kind, message)| Diagnostic {
            severity: Severity::Warning,
            kind,
            location: path.display().to_string(),
            message,
        })
        .collect();
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
    let mut diagnostics = skips.diagnostics(path, format.unit());
    diagnostics.extend(warnings);
    diagnostics.extend(geo_diags);
    Imported {
        format,
        rows: n_rows,
        skipped,
        records,
        diagnostics,
    }
}
