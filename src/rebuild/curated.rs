//! The curated sources kept in the repository, in `geodata/sources/`: the airports
//! (extracted from the `airportsdata` package) and the former names (each with a citation).
//! `geodata/README.md` says where each comes from and how it was extracted.

use super::places::Districts;
use super::source::{Row, alternates};
use crate::error::{Error, Result};
use crate::gazetteer::PlaceKind;
use crate::input::{read_text, syntax_at, toml_error};
use serde::Deserialize;
use std::path::Path;

/// The columns of `airports.csv`.
const AIRPORT_COLUMNS: [&str; 7] = ["icao", "iata", "name", "city", "country", "lat", "lon"];

/// An airport's radius: its runways and buildings lie within about 2 km of its point.
const AIRPORT_RADIUS_M: f64 = 2000.0;

/// The airports of `airports.csv`: named by their name, "<city> Airport", and their IATA and
/// ICAO codes.
pub fn airports(sources: &Path, districts: &Districts) -> Result<Vec<Row>> {
    let path = sources.join("airports.csv");
    let text = read_text(&path, 16 * 1024 * 1024)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::record(&path, "line 1", e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header != AIRPORT_COLUMNS {
        return Err(Error::record(
            &path,
            "line 1",
            format!(
                "unexpected header {:?}; expected {}",
                header.join(","),
                AIRPORT_COLUMNS.join(",")
            ),
        ));
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::record(&path, "record", e.to_string()))?;
        let at = format!("line {}", rec.position().map_or(0, |p| p.line()));
        let num = |col: usize| -> Result<f64> {
            rec[col]
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Error::record(
                        &path,
                        &at,
                        format!(
                            "column {}: {:?} is not a number",
                            AIRPORT_COLUMNS[col], &rec[col]
                        ),
                    )
                })
        };
        let (lat, lon) = (num(5)?, num(6)?);
        let (icao, iata, name, city, country) = (&rec[0], &rec[1], &rec[2], &rec[3], &rec[4]);
        if icao.is_empty() || name.is_empty() {
            return Err(Error::record(
                &path,
                &at,
                "an airport needs an ICAO code and a name",
            ));
        }
        let (admin1, admin2) = districts.admin_of(lon, lat, country).unwrap_or_default();
        let names = [
            icao.to_string(),
            iata.to_string(),
            format!("{city} Airport"),
        ];
        rows.push(Row {
            id: format!("airport:{icao}"),
            name: name.to_string(),
            kind: PlaceKind::Airport,
            country: country.to_string(),
            admin1,
            admin2,
            lon,
            lat,
            population: 0,
            uncertainty_m: AIRPORT_RADIUS_M,
            source: "airportsdata (MIT)".into(),
            alternates: alternates(name, names),
            former: vec![],
        });
    }
    Ok(rows)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormerFile {
    former: Vec<toml::Spanned<FormerRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormerRow {
    id: String,
    name: String,
    #[serde(default)]
    names: Vec<String>,
    until: Option<i32>,
    /// The current name, when the reference data still calls the place by a former one.
    current: Option<String>,
    citation: String,
}

/// Attaches the former names of `former_names.toml` to their places, and gives the current
/// name to a place the reference data still calls by a former one; returns how many names
/// were attached. An unknown id or a row without a citation is an error at its line.
pub fn former_names(sources: &Path, rows: &mut [Row]) -> Result<usize> {
    let path = sources.join("former_names.toml");
    let text = read_text(&path, 16 * 1024 * 1024)?;
    let file: FormerFile = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    let mut n = 0;
    for sp in file.former {
        let start = sp.span().start;
        let f = sp.into_inner();
        if f.citation.trim().is_empty() {
            return Err(syntax_at(
                &path,
                &text,
                start,
                format!("former name {:?} has no citation", f.name),
            ));
        }
        let row = rows.iter_mut().find(|r| r.id == f.id).ok_or_else(|| {
            syntax_at(
                &path,
                &text,
                start,
                format!("no place with id {:?} in the gazetteer", f.id),
            )
        })?;
        let mut former: Vec<&String> = std::iter::once(&f.name).chain(&f.names).collect();
        let old_name = row.name.clone();
        if let Some(current) = &f.current {
            if !former.contains(&&old_name) {
                former.push(&old_name);
            }
            let fc = crate::names::fold(current);
            if row.admin1 == row.name {
                row.admin1 = current.clone();
            }
            row.name = current.clone();
            row.alternates.retain(|a| crate::names::fold(a) != fc);
        }
        for name in former {
            let entry = match f.until {
                Some(y) => format!("{name}@{y}"),
                None => name.clone(),
            };
            if !row.former.contains(&entry) {
                row.former.push(entry);
                n += 1;
            }
        }
    }
    Ok(n)
}
