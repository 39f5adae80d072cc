//! A file read into rows of cells, the checks every row's coordinates go through, and the
//! record of skipped rows (each kind reported once, with every line).

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::model::LonLat;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A table of text cells: a header and rows aligned with it.
pub(super) struct Table {
    pub(super) header: Vec<String>,
    pub(super) by_name: HashMap<String, usize>,
}

impl Table {
    pub(super) fn new(header: Vec<String>) -> Self {
        let mut by_name = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            by_name.entry(h.trim().to_lowercase()).or_insert(i);
        }
        Table { header, by_name }
    }

    /// The index of the first of `names` (any case) present.
    pub(super) fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.by_name.get(&n.to_lowercase()).copied())
    }

    /// The index of a column named by the user: exact, else any case.
    pub(super) fn named(&self, name: &str, path: &Path, flag: &str) -> Result<usize> {
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

/// One data row: its cells aligned with the header, where it came from, and for GeoJSON
/// the feature's position and properties as read.
pub(super) struct Row {
    /// The 1-based line of a CSV record, or the index of a GeoJSON feature.
    pub(super) line: usize,
    /// The cells, as text, in one buffer (a large file is held as few allocations).
    pub(super) cells: csv::StringRecord,
    /// The feature's position (GeoJSON only; `None` for `geometry: null`).
    pub(super) position: Option<LonLat>,
    /// The feature's properties as read (GeoJSON only), so that kept values keep their type.
    pub(super) values: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Row {
    /// A row of text cells (no position, no typed values).
    pub(super) fn new(line: usize, cells: csv::StringRecord) -> Self {
        Row {
            line,
            cells,
            position: None,
            values: None,
        }
    }

    pub(super) fn at(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.cells.get(i)).map_or("", str::trim)
    }
}

/// Skipped rows, grouped by kind, for one diagnostic per kind.
#[derive(Default)]
pub(super) struct Skips {
    pub(super) kinds: BTreeMap<&'static str, (&'static str, Vec<usize>, String)>,
    pub(super) count: usize,
}

impl Skips {
    pub(super) fn add(
        &mut self,
        kind: &'static str,
        label: &'static str,
        line: usize,
        message: String,
    ) {
        let e = self
            .kinds
            .entry(kind)
            .or_insert_with(|| (label, Vec::new(), message));
        e.1.push(line);
        self.count += 1;
    }

    pub(super) fn diagnostics(self, path: &Path, unit: &str) -> Vec<Diagnostic> {
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

/// Checks a coordinate pair read as text; with `decimal_comma`, `39,85125` is read as
/// `39.85125`. The error is (kind, label, message).
pub(super) fn coordinates(
    lat: &str,
    lon: &str,
    decimal_comma: bool,
) -> std::result::Result<LonLat, (&'static str, &'static str, String)> {
    let number = |name: &str, v: &str| {
        let fixed;
        let v = if decimal_comma && v.matches(',').count() == 1 && !v.contains('.') {
            fixed = v.replace(',', ".");
            fixed.as_str()
        } else {
            v
        };
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

/// A whole number ≥ 0 from a cell (`12`, `12.0`), else `None`.
pub(super) fn count(cell: &str) -> Option<u32> {
    let x: f64 = cell.trim().parse().ok()?;
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)).then_some(x as u32)
}

/// ISO 3166-1 alpha-2 of a country written as a code or as an English name (the two
/// countries of the field and their neighbours), else `None`.
pub(super) fn country_code(text: &str) -> Option<String> {
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
