//! Checks that keep every value of an imported file: a header with a repeated or too many
//! columns and a row longer than the header are refused (their values would have nowhere
//! to go); a value a format reader cannot use (an ACLED figure or precision code out of
//! range, a `claims_json` cell that is not a list of claims) is reported with its line,
//! column and value, and kept under `src_*`.

use super::Format;
use super::table::{Row, Table, count};
use crate::error::{Error, Result};
use crate::model::Claim;

use std::collections::HashMap;
use std::path::Path;

/// The most columns a CSV may have: each costs memory in every row.
pub(super) const MAX_COLUMNS: usize = 2_000;

/// Refuses a header with more than [`MAX_COLUMNS`] columns, or with a name used twice
/// (any case; the second column's values would be lost).
pub(super) fn check_header(path: &Path, header: &[String]) -> Result<()> {
    if header.len() > MAX_COLUMNS {
        return Err(Error::record(
            path,
            "line 1",
            format!(
                "the header has {} columns; the limit is {MAX_COLUMNS}",
                header.len()
            ),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let key = h.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(key, i) {
            return Err(Error::record(
                path,
                "line 1",
                format!(
                    "column {} {:?} repeats the name of column {}; rename one of them",
                    i + 1,
                    h.trim(),
                    first + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a record with non-empty fields past the header's last column.
pub(super) fn check_record_len(
    path: &Path,
    line: usize,
    header_len: usize,
    cells: &[String],
) -> Result<()> {
    let extra: Vec<&String> = cells
        .iter()
        .skip(header_len)
        .filter(|c| !c.trim().is_empty())
        .collect();
    match extra.first() {
        None => Ok(()),
        Some(first) => Err(Error::record(
            path,
            format!("line {line}"),
            format!(
                "{} fields, but the header has {header_len} columns; the extra value {:?} has no column (a delimiter inside an unquoted value?)",
                cells.len(),
                shorten(first)
            ),
        )),
    }
}

/// Problems with one row's values that do not skip it, as (kind, message): each names the
/// line, the column and the value, so that nothing is lost unsaid. `no_claims`: the reader
/// found no claim in the row.
pub(super) fn row_warnings(
    format: Format,
    table: &Table,
    row: &Row,
    no_claims: bool,
) -> Vec<(&'static str, String)> {
    let cell = |name: &str| Some(row.at(table.find(&[name]))).filter(|v| !v.is_empty());
    let at = format!("{} {}", format.unit(), row.line);
    let mut out = Vec::new();
    match format {
        Format::Acled => {
            if let Some(v) = cell("fatalities").filter(|v| count(v).is_none()) {
                out.push((
                    "bad_figure",
                    format!(
                        "{at}: column fatalities: {v:?} is not a whole number from 0 to {}; no fatality claim was made (the value is kept in src_fatalities)",
                        u32::MAX
                    ),
                ));
            }
            for (col, meaning) in [
                ("time_precision", "the date is read as a day"),
                ("geo_precision", "read as 3 (±50 km)"),
            ] {
                if let Some(v) = cell(col).filter(|v| !matches!(*v, "1" | "2" | "3")) {
                    out.push((
                        "bad_precision",
                        format!(
                            "{at}: column {col}: {v:?} is not 1, 2 or 3; {meaning} (the value is kept in src_{col})"
                        ),
                    ));
                }
            }
        }
        Format::Csv | Format::Geojson | Format::Json | Format::Xlsx | Format::Xls | Format::Ods => {
            if let Some(v) = cell("claims_json").filter(|_| no_claims)
                && let Err(e) = serde_json::from_str::<Vec<Claim>>(v)
            {
                out.push((
                    "bad_claims",
                    format!(
                        "{at}: column claims_json: {} is not a list of claims ({e}); no claim was read (the value is kept in src_claims_json)",
                        shorten(v)
                    ),
                ));
            }
        }
        Format::Ucdp => {}
    }
    out
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}
