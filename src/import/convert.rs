//! The row engine: a file read into a table, then each row through its format's reader,
//! the checks and the geocoder into a [`Record`].

use super::acled::acled_row;
use super::dates::{month_span, parse_date_loose};
use super::generic::generic_row;
use super::table::{Row, RowCtx, Skips, Table, coordinates};
use super::ucdp::ucdp_row;
use super::{Format, Imported, Options, Record, detect_csv};
use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::geocode::geocode_all;
use crate::geojson_io::read_points;
use crate::model::{DatePrecision, EventType, Incident, LonLat, Source};
use crate::output::safe_file_stem;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

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

pub(super) struct Draft {
    pub(super) incident: Incident,
    pub(super) sources: Vec<Source>,
    pub(super) extra: Map<String, Value>,
    /// (precision, radius, reason) for given coordinates.
    pub(super) precision: Option<(u8, f64, String)>,
}

/// A file read into cells: the header, the rows (for a CSV, each ends with its line
/// number), and for GeoJSON the positions and the properties as read.
pub(super) struct Parsed {
    pub(super) format: Format,
    pub(super) table: Table,
    pub(super) rows: Vec<Vec<String>>,
    pub(super) positions: Option<Vec<Option<LonLat>>>,
    pub(super) values: Option<Vec<Map<String, Value>>>,
}

pub(super) fn convert(
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
