//! The row engine: a file read into a table, then each row through the same steps
//! (position, dates, id, its format's reader) into a draft incident; then the geocoder over
//! all drafts at once, into [`Record`]s.

use super::dates::{Span, infer_order, parse_date};
use super::read::{Read, read_fgb_file, read_sheet_file, read_text_file};
use super::roles::{Roles, RowCtx};
use super::sheet::looks_like_spreadsheet;
use super::table::{Row, Skips, Table, coordinates};
use super::{Extra, Format, Imported, Options, Record, acled, generic, ucdp};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::Gazetteer;
use crate::geocode::geocode_all;
use crate::model::{DatePrecision, EventType, Incident, LonLat, Source};
use crate::output::safe_file_stem;
use rayon::prelude::*;
use serde_json::Value;
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
    if matches!(opts.from, Some(Format::Xlsx | Format::Xls | Format::Ods)) {
        return Err(Error::Usage(format!(
            "{}: a spreadsheet is read from its bytes, not as text",
            path.display()
        )));
    }
    let read = read_text_file(path, text, opts)?;
    collect(|sink| convert(path, read, opts, gazetteer, sink))
}

/// Runs an import whose records a sink takes, and keeps them in [`Imported::records`].
fn collect(run: impl FnOnce(&mut Sink<'_>) -> Result<Imported>) -> Result<Imported> {
    let mut records = Vec::new();
    let mut out = run(&mut |block| {
        records.extend(block);
        Ok(())
    })?;
    out.records = records;
    Ok(out)
}

/// Takes the records of an import a block at a time, in file order.
pub type Sink<'a> = dyn FnMut(Vec<Record>) -> Result<()> + 'a;

/// Imports a file's bytes: a spreadsheet (`.xlsx`, `.xls`, `.ods`, known by its first
/// bytes or by `opts.from`), a FlatGeobuf file of points (known by its first bytes, and
/// read again from `path` through [`crate::fgb_input`], as GeoJSON is read), else text as
/// [`import_text`] reads it.
///
/// # Examples
/// ```
/// use bordermap::import::{Options, import_bytes};
/// let bytes = b"lat;lon;date\n39,85;70,58;9-May-20\n";
/// let out = import_bytes("t.csv".as_ref(), bytes.to_vec(), &Options::default(), &Default::default()).unwrap();
/// assert_eq!(out.records[0].geocoded.incident.date_start.to_string(), "2020-05-09");
/// ```
pub fn import_bytes(
    path: &Path,
    bytes: Vec<u8>,
    opts: &Options,
    gazetteer: &Gazetteer,
) -> Result<Imported> {
    collect(|sink| import_bytes_into(path, bytes, opts, gazetteer, sink))
}

/// [`import_bytes`], handing the records to `sink` a block at a time, in file order, as they
/// are made, so that a large import is never held whole: the [`Imported`] returned has no
/// records. An error from `sink` ends the import with that error.
///
/// # Examples
/// ```
/// use bordermap::import::{Options, import_bytes_into};
/// let bytes = b"lat,lon,date\n39.85,70.58,2022-09-16\n95,70,2022-09-16\n".to_vec();
/// let mut n = 0;
/// let out = import_bytes_into("t.csv".as_ref(), bytes, &Options::default(), &Default::default(), &mut |b| {
///     n += b.len();
///     Ok(())
/// })
/// .unwrap();
/// assert_eq!((n, out.records.len(), out.skipped), (1, 0, 1));
/// ```
pub fn import_bytes_into(
    path: &Path,
    bytes: Vec<u8>,
    opts: &Options,
    gazetteer: &Gazetteer,
    sink: &mut Sink<'_>,
) -> Result<Imported> {
    let sheet = match opts.from {
        Some(Format::Xlsx | Format::Xls | Format::Ods) => true,
        Some(_) => false,
        None => looks_like_spreadsheet(&bytes),
    };
    let read = if sheet {
        read_sheet_file(path, &bytes, opts)?
    } else if crate::fgb_input::has_magic(&bytes) {
        if path.as_os_str() == "-" {
            return Err(Error::Usage(
                "import: a FlatGeobuf file cannot come from standard input; give its path".into(),
            ));
        }
        read_fgb_file(path)?
    } else {
        // The text is dropped once it is rows.
        let text = crate::input::decode_text(path, bytes)?;
        read_text_file(path, &text, opts)?
    };
    convert(path, read, opts, gazetteer, sink)
}

impl Format {
    /// The source that every row of the file cites.
    fn shared_source(self, file_name: &str) -> Source {
        match self {
            Format::Ucdp => ucdp::source(file_name),
            Format::Acled => acled::source(file_name),
            Format::Csv
            | Format::Geojson
            | Format::Json
            | Format::Xlsx
            | Format::Xls
            | Format::Ods => generic::source(file_name),
        }
    }

    /// The date, end date and date-precision columns.
    fn date_columns(self, table: &Table) -> [Option<usize>; 3] {
        let c = |names: &[&str]| table.find(names);
        match self {
            Format::Ucdp => [c(&["date_start"]), c(&["date_end"]), c(&["date_prec"])],
            Format::Acled => [c(&["event_date"]), None, c(&["time_precision"])],
            Format::Csv
            | Format::Geojson
            | Format::Json
            | Format::Xlsx
            | Format::Xls
            | Format::Ods => [
                c(&DATE_NAMES),
                c(&["date_end", "end_date"]),
                c(&["date_precision"]),
            ],
        }
    }

    /// The dates as the format's precision code says.
    fn apply_precision(self, code: &str, (start, end, precision): Span) -> Span {
        match self {
            Format::Ucdp => (start, end, ucdp::date_precision(code, start, end)),
            Format::Acled => acled::widen(code, start, end, precision),
            Format::Csv
            | Format::Geojson
            | Format::Json
            | Format::Xlsx
            | Format::Xls
            | Format::Ods => {
                let given = serde_json::from_value::<DatePrecision>(Value::String(code.into()))
                    .ok()
                    .filter(|p| *p != DatePrecision::Unknown);
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
            Format::Csv
            | Format::Geojson
            | Format::Json
            | Format::Xlsx
            | Format::Xls
            | Format::Ods => match row.at(cols.id) {
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
            Format::Acled => acled::acled_row(cx, row, &mut draft.incident, &mut draft.sources),
            Format::Csv
            | Format::Geojson
            | Format::Json
            | Format::Xlsx
            | Format::Xls
            | Format::Ods => generic::generic_row(
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
        match self {
            Format::Geojson => "feature",
            Format::Json => "record",
            _ => "line",
        }
    }
}

/// The date columns of a file without a fixed layout, in order of preference.
const DATE_NAMES: [&str; 5] = ["date_start", "date", "event_date", "start_date", "day"];
/// The id columns of a file without a fixed layout.
const ID_NAMES: [&str; 5] = ["id", "event_id", "incident_id", "tkid", "uid"];

/// The columns the engine reads, looked up once.
struct Columns {
    lat: Option<usize>,
    lon: Option<usize>,
    place: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    id: Option<usize>,
    event_id: Option<usize>,
    date: Option<usize>,
    date_end: Option<usize>,
    date_prec: Option<usize>,
}

impl Columns {
    /// Finds the columns; a file without coordinate columns is an error that lists its
    /// columns and the flags that name them. A file without a date column is read undated.
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
        let country = match &opts.country_col {
            Some(c) => Some(table.named(c, path, "--country-col")?),
            None => None,
        };
        let admin1 = match &opts.admin1_col {
            Some(c) => Some(table.named(c, path, "--admin1-col")?),
            None => None,
        };
        let (lat, lon) = if format == Format::Geojson || place.is_some() {
            (None, None)
        } else {
            let hint = |e: Error| {
                Error::Usage(format!(
                    "{e}; name it with --lat-col/--lon-col, or geocode names with --place-col"
                ))
            };
            let lat = match &opts.lat_col {
                Some(c) => table.named(c, path, "--lat-col")?,
                None => need(&["lat", "latitude", "y"], "latitude").map_err(hint)?,
            };
            let lon = match &opts.lon_col {
                Some(c) => table.named(c, path, "--lon-col")?,
                None => {
                    need(&["lon", "lng", "long", "longitude", "x"], "longitude").map_err(hint)?
                }
            };
            (Some(lat), Some(lon))
        };
        let [date, date_end, date_prec] = format.date_columns(table);
        let id = match format {
            Format::Ucdp => table.find(&["id"]),
            _ => table.find(&ID_NAMES),
        };
        Ok(Columns {
            lat,
            lon,
            place,
            country,
            admin1,
            id,
            event_id: table.find(&["event_id_cnty"]),
            date,
            date_end,
            date_prec,
        })
    }

    /// The source's own columns kept as `src_*` properties: every column of a UCDP or ACLED
    /// file; for other files the columns not recognised nor computed by bordermap. Columns
    /// already called `src_*` keep their name and come first, so they win.
    fn kept(&self, format: Format, table: &Table, roles: &Roles) -> Vec<(usize, String)> {
        let c = |names: &[&str]| table.find(names);
        let generic = !matches!(format, Format::Ucdp | Format::Acled);
        let used: HashSet<usize> = if generic {
            let mut used: Vec<usize> = [
                self.lat,
                self.lon,
                self.place,
                self.id,
                self.date,
                self.date_end,
                self.date_prec,
                c(&["aggregate"]),
                c(&["covers"]),
                c(&["possible_duplicate_of"]),
                c(&["contradictions"]),
                c(&["allegations_json"]),
                c(&["geo_scope"]),
            ]
            .into_iter()
            .flatten()
            .collect();
            used.extend(roles.used());
            used.into_iter().collect()
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

    /// Which columns took which role, for the import summary.
    fn describe(&self, table: &Table, roles: &Roles, generic: bool) -> Vec<(String, String)> {
        let name = |i: usize| table.header[i].trim().to_string();
        let mut out: Vec<(String, String)> = Vec::new();
        for (col, role) in [
            (self.lat, "latitude"),
            (self.lon, "longitude"),
            (self.place, "place to geocode"),
            (self.date, "date"),
            (self.date_end, "end date"),
            (self.id.filter(|_| generic), "id"),
        ] {
            if let Some(i) = col {
                out.push((name(i), role.to_string()));
            }
        }
        if generic {
            out.extend(
                roles
                    .describe(table)
                    .into_iter()
                    .filter(|(c, _)| !out.iter().any(|(o, _)| o == c))
                    .map(|(c, r)| (c, r.to_string()))
                    .collect::<Vec<_>>(),
            );
        }
        out
    }
}

/// A row on its way to a record: the incident before geocoding.
struct Draft {
    incident: Incident,
    sources: Vec<Source>,
    extra: Extra,
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
    roles: Roles,
    /// The kept columns and their `src_*` names (each name once, the first column wins).
    kept: Vec<(usize, String)>,
    kept_keys: std::sync::Arc<[String]>,
    kept_index: std::sync::Arc<[usize]>,
    shared: Source,
    file_name: String,
    stem: String,
    hints: super::Hints,
    opts: &'a Options,
    decimal_comma: bool,
    /// The day order of all-numeric dates: `--date-format`, else what the column proves.
    order: Option<super::DayOrder>,
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
        coordinates(
            row.at(self.cols.lat),
            row.at(self.cols.lon),
            self.decimal_comma,
        )
        .map(Some)
        .map_err(|(kind, label, message)| (kind, label, format!("{unit} {line}: {message}")))
    }

    /// The row's dates, widened or narrowed by the format's precision code; `None` for an
    /// undated row (no date column, or an empty date) unless `--date` gives one.
    fn dates(&self, row: &Row) -> std::result::Result<Option<Span>, Skip> {
        let (unit, line) = (self.format.unit(), row.line);
        let invalid = "invalid_date";
        let label = "a date that cannot be read";
        let date_text = row.at(self.cols.date);
        if date_text.is_empty() {
            return Ok(self.opts.date);
        }
        let (start, mut end, mut precision) = parse_date(date_text, self.order)
            .map_err(|why| (invalid, label, format!("{unit} {line}: date {why}")))?;
        let end_text = row.at(self.cols.date_end);
        if !end_text.is_empty() {
            let (_, e, _) = parse_date(end_text, self.order)
                .map_err(|why| (invalid, label, format!("{unit} {line}: date_end {why}")))?;
            if e < start {
                return Err((
                    invalid,
                    label,
                    format!("{unit} {line}: date_end {e} is before the start {start}"),
                ));
            }
            end = end.max(e);
            if precision == DatePrecision::Day && end > start {
                precision = DatePrecision::Range;
            }
        }
        Ok(Some(self.format.apply_precision(
            row.at(self.cols.date_prec),
            (start, end, precision),
        )))
    }

    /// The row's `src_*` properties, with GeoJSON values keeping their JSON type; a row of
    /// text keeps its cells as they are (one buffer).
    fn extra(&self, row: &Row) -> Extra {
        match &row.values {
            Some(v) => {
                let values = self
                    .kept
                    .iter()
                    .map(|(i, _)| {
                        Some(
                            v.get(&self.table.header[*i])
                                .cloned()
                                .unwrap_or(Value::Null),
                        )
                    })
                    .collect();
                Extra::new(self.kept_keys.clone(), values)
            }
            None => Extra::cells(
                self.kept_keys.clone(),
                self.kept_index.clone(),
                row.cells.clone(),
            ),
        }
    }

    /// Turns one row into a draft incident, or says why it is skipped (a repeated id is
    /// found later, in row order, by the caller).
    fn draft(&self, row: &Row) -> std::result::Result<Draft, Skip> {
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
        let dates = self.dates(row)?;
        let id = self.format.row_id(&self.cols, row, &self.stem);
        let mut incident = Incident {
            id,
            date_precision: DatePrecision::Unknown,
            event_type: EventType::Other,
            sources: vec![self.shared.id.clone()],
            position,
            ..Incident::default()
        };
        if let Some((start, end, precision)) = dates {
            incident.date_start = start;
            incident.date_end = end;
            incident.date_precision = precision;
        }
        let mut draft = Draft {
            incident,
            sources: vec![self.shared.clone()],
            extra: self.extra(row),
            precision: None,
            warnings: Vec::new(),
        };
        let cx = RowCtx {
            table: self.table,
            shared: &self.shared,
            file_name: &self.file_name,
            roles: &self.roles,
        };
        draft.precision = self
            .format
            .fill(&cx, row, &mut draft, place_name.as_deref());
        let no_claims = draft.incident.claims.is_empty();
        draft.warnings = super::checks::row_warnings(self.format, self.table, row, no_claims);
        if let Some(name) = place_name {
            draft.incident.place = name;
            draft.precision = None;
        }
        self.place_context(row, &mut draft.incident);
        Ok(draft)
    }
}

impl Engine<'_> {
    /// The context of a row's place name: its own country and region columns (named with
    /// `--country-col`, `--admin1-col`), else the file-wide hints.
    fn place_context(&self, row: &Row, inc: &mut Incident) {
        if self.cols.country.is_some() {
            inc.country = super::table::country_code(row.at(self.cols.country));
        }
        if self.cols.admin1.is_some() {
            inc.admin1 = Some(row.at(self.cols.admin1).to_string()).filter(|s| !s.is_empty());
        }
        let h = &self.hints;
        inc.country = inc.country.take().or_else(|| h.country.clone());
        inc.admin1 = inc.admin1.take().or_else(|| h.admin1.clone());
        inc.admin2 = inc.admin2.take().or_else(|| h.admin2.clone());
        if inc.near.is_empty() {
            inc.near = h.near.clone();
        }
    }
}

/// An id column of a file without a fixed layout other than `id` itself (`tkid`,
/// `event_id`, …) is taken as the id only when its values are unique; otherwise ids come
/// from line numbers, the column is kept as `src_*`, and a note says so.
fn unique_ids(
    path: &Path,
    format: Format,
    table: &Table,
    rows: &[Row],
    cols: &mut Columns,
) -> Option<Diagnostic> {
    let i = cols.id?;
    if matches!(format, Format::Ucdp | Format::Acled)
        || table.header[i].trim().eq_ignore_ascii_case("id")
    {
        return None;
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let repeated = rows
        .iter()
        .map(|r| r.at(Some(i)))
        .filter(|v| !v.is_empty() && !seen.insert(*v))
        .count();
    if repeated == 0 {
        return None;
    }
    cols.id = None;
    let name = table.header[i].trim();
    Some(Diagnostic {
        severity: Severity::Note,
        kind: "id_not_unique",
        location: path.display().to_string(),
        message: format!(
            "column {name} is not unique ({repeated} repeated values), so it is not the id: ids are taken from line numbers, and {name} is kept as src_{name}"
        ),
    })
}

/// The file's name and a safe stem for ids (`stdin` for `-`).
fn names(path: &Path) -> (String, String) {
    let stdin = path.as_os_str() == "-";
    let file_name = match path.file_name() {
        Some(n) if !stdin => n.to_string_lossy().into_owned(),
        _ => "stdin".to_string(),
    };
    let stem = match path.file_stem() {
        Some(n) if !stdin => safe_file_stem(&n.to_string_lossy()),
        _ => "stdin".to_string(),
    };
    (file_name, stem)
}

fn convert(
    path: &Path,
    read: Read,
    opts: &Options,
    gazetteer: &Gazetteer,
    sink: &mut Sink<'_>,
) -> Result<Imported> {
    let Read {
        table,
        rows,
        layout: format,
        read_as,
        dialect,
    } = read;
    let (file_name, stem) = names(path);
    let mut cols = Columns::find(path, format, &table, opts).map_err(|e| {
        // A workbook read from its first sheet: say which sheets there are.
        if read_as.contains(" (the first of ") {
            Error::Usage(format!("{e}; read {read_as}: choose a sheet with --sheet"))
        } else {
            e
        }
    })?;
    let id_note = unique_ids(path, format, &table, &rows, &mut cols);
    let roles = Roles::find(&table, cols.place);
    let generic = !matches!(format, Format::Ucdp | Format::Acled);
    let order = opts
        .date_format
        .or_else(|| infer_order(rows.iter().map(|r| r.at(cols.date))));
    let columns = cols.describe(&table, &roles, generic);
    let mut kept = cols.kept(format, &table, &roles);
    let mut names: HashSet<String> = HashSet::new();
    kept.retain(|(_, k)| names.insert(k.clone()));
    let kept_keys: std::sync::Arc<[String]> = kept.iter().map(|(_, k)| k.clone()).collect();
    let kept_index: std::sync::Arc<[usize]> = kept.iter().map(|(i, _)| *i).collect();
    let engine = Engine {
        format,
        table: &table,
        kept,
        kept_keys,
        kept_index,
        cols,
        roles,
        shared: format.shared_source(&file_name),
        file_name,
        stem,
        hints: opts.context.clone(),
        opts,
        decimal_comma: dialect.is_some_and(|d| d.decimal_comma),
        order,
    };
    let mut skips = Skips::default();
    let mut ids: HashSet<String> = HashSet::new();
    let n_rows = rows.len();
    let mut imported = 0;
    let mut geo_diags = Vec::new();
    let mut undated_lines: Vec<usize> = Vec::new();
    let mut warnings: Vec<Diagnostic> = Vec::new();
    let bar = crate::progress::bar(n_rows as u64, "importing");
    // Rows are drafted and geocoded a block at a time on every core, then taken in row
    // order (ids must be unique in that order); each block is dropped once it is records,
    // so the file is never held twice.
    let mut rows = rows.into_iter();
    loop {
        let block: Vec<Row> = rows.by_ref().take(CONVERT_BLOCK).collect();
        if block.is_empty() {
            break;
        }
        let done: Vec<(usize, std::result::Result<Located, Skip>)> = block
            .par_iter()
            .map(|row| {
                let located = engine.draft(row).map(|mut d| {
                    let warnings = std::mem::take(&mut d.warnings);
                    let undated = d.incident.date_precision == DatePrecision::Unknown;
                    let (record, diags) = locate(d, gazetteer);
                    Located {
                        record,
                        diags,
                        warnings,
                        undated,
                    }
                });
                (row.line, located)
            })
            .collect();
        let mut records = Vec::with_capacity(done.len());
        for (line, result) in done {
            let l = match result {
                Ok(l) => l,
                Err((kind, label, message)) => {
                    skips.add(kind, label, line, message);
                    continue;
                }
            };
            let id = &l.record.geocoded.incident.id;
            if !ids.insert(id.clone()) {
                let message = format!(
                    "{} {line}: id {id:?} was used by an earlier row",
                    engine.format.unit()
                );
                skips.add("duplicate_id", "a duplicate id", line, message);
                continue;
            }
            warnings.extend(l.warnings.into_iter().map(|(kind, message)| Diagnostic {
                severity: Severity::Warning,
                kind,
                location: path.display().to_string(),
                message,
            }));
            if l.undated {
                undated_lines.push(line);
            }
            geo_diags.extend(l.diags);
            records.push(l.record);
        }
        imported += records.len();
        sink(records)?;
        bar.inc(block.len() as u64);
    }
    bar.finish_and_clear();
    let undated = undated_note(path, &engine, &undated_lines);
    let mut out = finish(path, format, n_rows, imported, skips, warnings, geo_diags);
    out.diagnostics
        .splice(0..0, undated.into_iter().chain(id_note));
    out.read_as = read_as;
    out.columns = columns;
    out.undated = undated_lines.len();
    Ok(out)
}

/// One diagnostic for the undated records: a warning when the file has no date column, a
/// note listing the lines when some rows have an empty date.
fn undated_note(path: &Path, engine: &Engine<'_>, lines: &[usize]) -> Vec<Diagnostic> {
    if lines.is_empty() {
        return Vec::new();
    }
    let n = lines.len();
    let (severity, message) = if engine.cols.date.is_none() {
        (
            Severity::Warning,
            format!(
                "no date column: the {n} records are undated (date_precision unknown); --date YYYY-MM-DD or a range dates them"
            ),
        )
    } else {
        let shown: Vec<String> = lines.iter().take(50).map(usize::to_string).collect();
        let more = if n > 50 {
            format!(" and {} more", n - 50)
        } else {
            String::new()
        };
        (
            Severity::Note,
            format!(
                "{n} record{} with an empty date {} undated (date_precision unknown): {}{} {}{more}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" },
                engine.format.unit(),
                if n == 1 { "" } else { "s" },
                shown.join(", ")
            ),
        )
    };
    vec![Diagnostic {
        severity,
        kind: "undated",
        location: path.display().to_string(),
        message,
    }]
}

/// Rows per block of [`convert`]'s parallel loop.
const CONVERT_BLOCK: usize = 8192;

/// A row drafted and geocoded, with what it has to say.
struct Located {
    record: Record,
    diags: Vec<Diagnostic>,
    warnings: Vec<(&'static str, String)>,
    undated: bool,
}

/// Geocodes a draft (its given coordinates, or its place name) into a record, with the
/// geocoder's diagnostics.
fn locate(d: Draft, gazetteer: &Gazetteer) -> (Record, Vec<Diagnostic>) {
    let (located, diags) = geocode_all(std::slice::from_ref(&d.incident), gazetteer);
    let mut g = located
        .into_iter()
        .next()
        .unwrap_or_else(|| crate::geocode::geocode_one(&d.incident, gazetteer));
    if let (Some((p, r, reason)), Some(loc)) = (d.precision, g.location.as_mut()) {
        loc.precision = p;
        loc.uncertainty_m = r;
        g.reason = reason;
    }
    let record = Record {
        geocoded: g,
        sources: d.sources,
        extra: d.extra,
    };
    (record, diags)
}

/// Gathers the records and the diagnostics.
fn finish(
    path: &Path,
    format: Format,
    n_rows: usize,
    imported: usize,
    skips: Skips,
    warnings: Vec<Diagnostic>,
    geo_diags: Vec<Diagnostic>,
) -> Imported {
    let skipped = skips.count;
    let mut diagnostics = skips.diagnostics(path, format.unit());
    diagnostics.extend(warnings);
    diagnostics.extend(geo_diags);
    Imported {
        format,
        rows: n_rows,
        skipped,
        imported,
        records: Vec::new(),
        diagnostics,
        read_as: String::new(),
        columns: Vec::new(),
        undated: 0,
    }
}
