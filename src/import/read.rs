//! A file into a table of rows: CSV and other delimited text (sniffed), GeoJSON, JSON
//! records and spreadsheets; the HXL hashtag row dropped; the layout (UCDP, ACLED, any
//! table) detected from the header unless given.

use super::sheet::{json_rows, sheet_rows};
use super::sniff::{Dialect, is_hxl_row, sniff};
use super::table::{Row, Table};
use super::{Format, Options, detect_csv};
use crate::error::{Error, Result};
use crate::geojson_io::{read_points, value_text};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

/// A file read: its table, its rows, the layout to read them with, what it was read as
/// (`','-separated`, `sheet "Sheet1"`, …), and the dialect of delimited text.
pub(super) struct Read {
    pub(super) table: Table,
    pub(super) rows: Vec<Row>,
    pub(super) layout: Format,
    pub(super) read_as: String,
    pub(super) dialect: Option<Dialect>,
}

/// Reads text: GeoJSON or JSON records when it starts with `{` or `[`, else delimited text.
pub(super) fn read_text_file(path: &Path, text: &str, opts: &Options) -> Result<Read> {
    let head = text.trim_start();
    let json_records = match opts.from {
        Some(Format::Json) => true,
        Some(Format::Geojson) => false,
        Some(_) => false,
        None if head.starts_with('[') => true,
        None if head.starts_with('{') => !is_geojson(text),
        None => false,
    };
    if json_records {
        let (table, rows) = json_rows(path, text)?;
        return Ok(finish(
            table,
            rows,
            opts,
            "JSON records".into(),
            None,
            Format::Json,
        ));
    }
    let geojson =
        opts.from == Some(Format::Geojson) || (opts.from.is_none() && head.starts_with('{'));
    if geojson {
        let (table, rows) = geojson_rows(path, text)?;
        return Ok(Read {
            table,
            rows,
            layout: Format::Geojson,
            read_as: "GeoJSON".into(),
            dialect: None,
        });
    }
    let (table, rows, dialect) = csv_rows(path, text)?;
    Ok(finish(
        table,
        rows,
        opts,
        dialect.describe(),
        Some(dialect),
        Format::Csv,
    ))
}

/// Reads one sheet of a spreadsheet.
pub(super) fn read_sheet_file(path: &Path, bytes: &[u8], opts: &Options) -> Result<Read> {
    let (table, rows, name) = sheet_rows(path, bytes, opts.sheet.as_deref())?;
    Ok(finish(table, rows, opts, name, None, Format::Csv))
}

/// Drops an HXL hashtag row under the header and picks the layout.
fn finish(
    table: Table,
    mut rows: Vec<Row>,
    opts: &Options,
    mut read_as: String,
    dialect: Option<Dialect>,
    generic: Format,
) -> Read {
    if rows.first().is_some_and(|r| is_hxl_row(r.cells.iter())) {
        let hxl = rows.remove(0);
        read_as.push_str(&format!(", HXL hashtag row skipped (line {})", hxl.line));
    }
    let layout = match opts.from {
        Some(f @ (Format::Ucdp | Format::Acled | Format::Csv)) => f,
        _ => match detect_csv(&table.header) {
            Format::Csv => generic,
            f => f,
        },
    };
    Read {
        table,
        rows,
        layout,
        read_as,
        dialect,
    }
}

/// True when a JSON text that starts with `{` is GeoJSON: its top-level `type` is a
/// FeatureCollection or a Feature (an object of arrays of records has none).
fn is_geojson(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: Option<serde::de::IgnoredAny>,
    }
    // Only the top-level keys are looked at; values are skipped, not built.
    serde_json::from_str::<Head>(text).map_or(true, |h| h.kind.is_some())
}

/// A FlatGeobuf file of points, read whole from `path`, as [`geojson_rows`] reads GeoJSON:
/// the same table and rows, read as "FlatGeobuf".
pub(super) fn read_fgb_file(path: &Path) -> Result<Read> {
    let features = crate::fgb_input::FgbFile::open(path)?.read_all(u64::MAX, true)?;
    let (table, rows) = point_rows(features);
    Ok(Read {
        table,
        rows,
        layout: Format::Geojson,
        read_as: "FlatGeobuf".into(),
        dialect: None,
    })
}

/// A GeoJSON FeatureCollection as rows: `id`, then every property name in first-seen order.
fn geojson_rows(path: &Path, text: &str) -> Result<(Table, Vec<Row>)> {
    Ok(point_rows(read_points(path, text)?))
}

/// Point features as rows: `id`, then every property name in first-seen order.
fn point_rows(features: Vec<crate::geojson_io::PointFeature>) -> (Table, Vec<Row>) {
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
        cells[0] = f.id.to_string();
        for (k, v) in &props {
            if let Some(&i) = table.by_name.get(&k.to_lowercase())
                && i != 0
            {
                cells[i] = value_text(v);
            }
        }
        rows.push(Row {
            line: n,
            cells: csv::StringRecord::from(cells),
            position: f.position,
            values: Some(props),
        });
    }
    (table, rows)
}

/// Delimited text as rows, each with its line number (a `sep=` line counts, so numbers are
/// the file's own). CRLF and LF give the same rows and lines.
fn csv_rows(path: &Path, text: &str) -> Result<(Table, Vec<Row>, Dialect)> {
    let dialect = sniff(text);
    let (body, offset) = if dialect.sep_line {
        (text.split_once('\n').map_or("", |(_, rest)| rest), 1)
    } else {
        (text, 0)
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(dialect.delimiter)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            Error::record(
                path,
                format!("line {}", 1 + offset),
                format!("invalid CSV header: {e}"),
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::record(
            path,
            format!("line {}", 1 + offset),
            "the file is empty or has no header row",
        ));
    }
    super::checks::check_header(path, &header)?;
    let table = Table::new(header);
    let total = body.bytes().filter(|&b| b == b'\n').count() as u64;
    let bar = crate::progress::bar(total, "reading");
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line numbers are counted here from each record's byte offset: the csv crate's own
    // line count lags by one after a CRLF line end.
    let bytes = body.as_bytes();
    let (mut counted_to, mut line_at) = (0usize, 1usize);
    loop {
        bar.inc(1);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) as usize + offset;
                return Err(Error::record(
                    path,
                    format!("line {line}"),
                    format!("invalid CSV: {e}"),
                ));
            }
        }
        let mut at = record
            .position()
            .map_or(0, |p| p.byte() as usize)
            .min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > counted_to {
            line_at += bytes[counted_to..at]
                .iter()
                .filter(|&&c| c == b'\n')
                .count();
            counted_to = at;
        }
        let line = line_at + offset;
        // A line with nothing on it (a trailing blank line from a spreadsheet) is no row.
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() > table.header.len() {
            let cells: Vec<String> = record.iter().map(str::to_string).collect();
            super::checks::check_record_len(path, line, table.header.len(), &cells)?;
        }
        rows.push(Row::new(line, std::mem::take(&mut record)));
    }
    bar.finish_and_clear();
    Ok((table, rows, dialect))
}
