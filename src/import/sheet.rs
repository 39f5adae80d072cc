//! Spreadsheets (`.xlsx`, `.xls`, `.ods`, read with the `calamine` crate) and JSON arrays of
//! records, as a header and rows of text cells for the row engine.
//!
//! A sheet's header is its first non-empty row; line numbers are the spreadsheet's own row
//! numbers, so a message points at the row the user sees. Cells become text as the user sees
//! them: whole numbers without `.0`, other numbers in the shortest form that reads back
//! exactly, date cells as `YYYY-MM-DD` (Excel serial numbers in the 1900 date system;
//! a time of day is kept after a `T`), booleans as `true`/`false`, error cells as their
//! Excel code (`#N/A`), which a coordinate or date reader then reports.

use super::dates::excel_serial_date;
use super::table::{Row, Table};
use crate::error::{Error, Result};
use crate::geojson_io::value_text;
use calamine::{Data, Reader};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::Cursor;
use std::path::Path;

/// True when `bytes` start like a spreadsheet: a ZIP archive (`.xlsx`, `.ods`) or an OLE
/// compound file (`.xls`).
pub(super) fn looks_like_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// One sheet of a workbook (the first, or `sheet`) as a table; the second value names it.
pub(super) fn sheet_rows(
    path: &Path,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(Table, Vec<Row>, String)> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::record(
            path,
            "file",
            format!("cannot read the spreadsheet (xlsx, xls or ods expected): {e}"),
        )
    })?;
    let kind = match &book {
        calamine::Sheets::Xlsx(_) => "xlsx",
        calamine::Sheets::Xls(_) => "xls",
        calamine::Sheets::Xlsb(_) => "xlsb",
        calamine::Sheets::Ods(_) => "ods",
    };
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| *n == s).cloned().ok_or_else(|| {
            Error::Usage(format!(
                "{}: --sheet {s:?}: no such sheet; the sheets are: {}",
                path.display(),
                names.join(", ")
            ))
        })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::record(path, "file", "the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Error::record(path, format!("sheet {name:?}"), format!("cannot read: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows_iter = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i + 1, cells));
    let header: Vec<String> = loop {
        match rows_iter.next() {
            Some((_, cells)) if cells.iter().all(|c| matches!(c, Data::Empty)) => {}
            Some((_, cells)) => break cells.iter().map(cell_text).collect(),
            None => {
                return Err(Error::record(
                    path,
                    format!("sheet {name:?}"),
                    "the sheet is empty or has no header row",
                ));
            }
        }
    };
    let table = Table::new(header);
    let mut rows = Vec::new();
    for (line, cells) in rows_iter {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let mut texts: Vec<String> = cells.iter().map(cell_text).collect();
        texts.resize(table.header.len().max(texts.len()), String::new());
        rows.push(Row::new(line, csv::StringRecord::from(texts)));
    }
    let others = if sheet.is_none() && names.len() > 1 {
        format!(" (the first of {}: {})", names.len(), names.join(", "))
    } else {
        String::new()
    };
    Ok((table, rows, format!("{kind} sheet {name:?}{others}")))
}

/// A cell as the user sees it. See the module docs.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let serial = d.as_f64();
            match excel_serial_date(serial) {
                Some(day) => {
                    let secs = ((serial - serial.floor()) * 86_400.0).round() as u32;
                    if secs == 0 || secs >= 86_400 {
                        day.to_string()
                    } else {
                        format!(
                            "{day}T{:02}:{:02}:{:02}",
                            secs / 3600,
                            secs / 60 % 60,
                            secs % 60
                        )
                    }
                }
                None => serial.to_string(),
            }
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Refuses a JSON file of records in which an object repeats a key: serde_json would keep
/// the last value and drop the others silently. Names the record (and its group) and the key.
fn refuse_repeated_keys(path: &Path, text: &str) -> Result<()> {
    use crate::geojson_io::duplicate_key;
    use serde_json::value::RawValue;
    let Ok(top) = serde_json::from_str::<&RawValue>(text) else {
        return Ok(()); // the full parse reports the syntax error with its line
    };
    let repeated = |at: String, key: String| {
        Error::record(
            path,
            at,
            format!("key {key:?} appears more than once; one of its values would be lost"),
        )
    };
    let check_records = |group: Option<&str>, items: &str| -> Result<()> {
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(items) else {
            return Ok(());
        };
        for (i, item) in items.iter().enumerate() {
            if item.get().starts_with('{')
                && let Some(key) = duplicate_key(item.get())
            {
                let at = group.map_or(format!("record {i}"), |g| format!("{g:?} record {i}"));
                return Err(repeated(at, key));
            }
        }
        Ok(())
    };
    let raw = top.get();
    if raw.starts_with('[') {
        return check_records(None, raw);
    }
    if raw.starts_with('{') {
        if let Some(key) = duplicate_key(raw) {
            return Err(repeated("top level".into(), key));
        }
        if let Ok(groups) =
            serde_json::from_str::<std::collections::BTreeMap<String, &RawValue>>(raw)
        {
            for (group, items) in groups {
                check_records(Some(&group), items.get())?;
            }
        }
    }
    Ok(())
}

/// A JSON array of records (`[{"lat": …, "lon": …}, …]`), or an object whose values are
/// arrays of records (`{"dostuk": [{…}, …], …}`, each key given to its records as `place`,
/// or as `group` when they have a `place`), as rows that keep each value's JSON type.
pub(super) fn json_rows(path: &Path, text: &str) -> Result<(Table, Vec<Row>)> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Error::record(
            path,
            format!("line {}, column {}", e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    refuse_repeated_keys(path, text)?;
    let not_records = |what: String| {
        Error::record(
            path,
            "top level",
            format!(
                "{what}: expected a GeoJSON FeatureCollection, an array of records, or an object of arrays of records"
            ),
        )
    };
    let mut records: Vec<(Option<String>, Map<String, Value>)> = Vec::new();
    let mut take = |key: Option<&String>, items: &Vec<Value>| -> Result<()> {
        for (i, v) in items.iter().enumerate() {
            match v {
                Value::Object(m) => records.push((key.cloned(), m.clone())),
                other => {
                    let at = key.map_or(format!("record {i}"), |k| format!("{k:?} record {i}"));
                    return Err(not_records(format!(
                        "{at} is {}, not an object",
                        kind(other)
                    )));
                }
            }
        }
        Ok(())
    };
    match &value {
        Value::Array(items) => take(None, items)?,
        Value::Object(groups) if groups.values().all(Value::is_array) && !groups.is_empty() => {
            for (k, v) in groups {
                if let Value::Array(items) = v {
                    take(Some(k), items)?;
                }
            }
        }
        other => return Err(not_records(format!("the file is {}", kind(other)))),
    }
    let has_place = records.iter().any(|(_, m)| m.contains_key("place"));
    let group_col = if has_place { "group" } else { "place" };
    let mut header: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    if records.iter().any(|(k, _)| k.is_some()) {
        header.push(group_col.to_string());
        seen.insert(group_col.to_string());
    }
    for (_, m) in &records {
        for k in m.keys() {
            if seen.insert(k.to_lowercase()) {
                header.push(k.clone());
            }
        }
    }
    let table = Table::new(header);
    let mut rows = Vec::with_capacity(records.len());
    for (n, (key, mut props)) in records.into_iter().enumerate() {
        if let Some(k) = key {
            props.insert(group_col.to_string(), Value::String(k));
        }
        let mut cells = vec![String::new(); table.header.len()];
        for (k, v) in &props {
            if let Some(&i) = table.by_name.get(&k.to_lowercase()) {
                cells[i] = value_text(v);
            }
        }
        let mut row = Row::new(n, csv::StringRecord::from(cells));
        row.values = Some(props);
        rows.push(row);
    }
    Ok((table, rows))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
