//! The curated sources kept in the repository, in `geodata/sources/`: the airports
//! (extracted from the `airportsdata` package), the former names (each with a citation) and
//! the corrections of names the reference data gives a place by mistake (each with a reason).
//! `geodata/README.md` says where each comes from and how it was extracted.

use super::places::Districts;
use super::source::{Row, alternates};
use crate::error::{Error, Result};
use crate::gazetteer::{NameCorrections, PlaceKind};
use crate::input::{read_text, syntax_at, toml_error};
use serde::Deserialize;
use std::path::{Path, PathBuf};

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

/// The text of `sources/<name>` and its rows, parsed.
fn read_toml<T: serde::de::DeserializeOwned>(
    sources: &Path,
    name: &str,
) -> Result<(PathBuf, String, T)> {
    let path = sources.join(name);
    let text = read_text(&path, 16 * 1024 * 1024)?;
    let file = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    Ok((path, text, file))
}

/// The row of place `id`, or the message for a curated row that names no place.
fn place_mut<'r>(rows: &'r mut [Row], id: &str) -> std::result::Result<&'r mut Row, String> {
    rows.iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| format!("no place with id {id:?} in the gazetteer"))
}

/// Attaches the former names of `former_names.toml` to their places, and gives the current
/// name to a place the reference data still calls by a former one; returns how many names
/// were attached. An unknown id or a row without a citation is an error at its line.
pub fn former_names(sources: &Path, rows: &mut [Row]) -> Result<usize> {
    let (path, text, file): (_, _, FormerFile) = read_toml(sources, "former_names.toml")?;
    let mut n = 0;
    for sp in file.former {
        let start = sp.span().start;
        let f = sp.into_inner();
        let at = |message: String| syntax_at(&path, &text, start, message);
        if f.citation.trim().is_empty() {
            return Err(at(format!("former name {:?} has no citation", f.name)));
        }
        let row = place_mut(rows, &f.id).map_err(at)?;
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

/// Removes the alternate names that `name_corrections.toml` shows the reference data gives a
/// place by mistake, and adds the names it lacks; returns how many names changed. An unknown
/// id, a row without a reason or without names, a name to drop that the place does not have
/// or a name to add that it has (a correction gone stale) is an error at its line.
pub fn name_corrections(sources: &Path, rows: &mut [Row]) -> Result<usize> {
    let (path, text, file): (_, _, NameCorrections) = read_toml(sources, "name_corrections.toml")?;
    let mut n = 0;
    for sp in file.correction {
        let start = sp.span().start;
        let c = sp.into_inner();
        let at = |message: String| syntax_at(&path, &text, start, message);
        if c.reason.trim().is_empty() {
            return Err(at(format!("the correction of {:?} has no reason", c.id)));
        }
        if c.drop.is_empty() && c.add.is_empty() {
            return Err(at(format!(
                "the correction of {:?} names nothing to drop or add",
                c.id
            )));
        }
        let row = place_mut(rows, &c.id).map_err(at)?;
        for name in &c.drop {
            let before = row.alternates.len();
            row.alternates.retain(|a| a != name);
            if row.alternates.len() == before {
                return Err(at(format!(
                    "{} ({}) has no alternate name {name:?} to drop",
                    row.name, row.id
                )));
            }
            n += 1;
        }
        for name in &c.add {
            if row.name == *name || row.alternates.contains(name) {
                return Err(at(format!(
                    "{} ({}) already has the name {name:?}",
                    row.name, row.id
                )));
            }
            row.alternates.push(name.clone());
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(id: &str, alternates: &[&str]) -> Row {
        Row {
            id: id.into(),
            name: "Salor".into(),
            kind: PlaceKind::Town,
            country: "UZ".into(),
            admin1: String::new(),
            admin2: String::new(),
            lon: 69.38,
            lat: 41.37,
            population: 0,
            uncertainty_m: 1000.0,
            source: String::new(),
            alternates: alternates.iter().map(|s| s.to_string()).collect(),
            former: vec![],
        }
    }

    fn corrections(toml: &str, rows: &mut [Row]) -> Result<usize> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("name_corrections.toml"), toml).unwrap();
        name_corrections(dir.path(), rows)
    }

    #[test]
    fn listed_names_are_dropped_and_stale_rows_are_errors_at_their_line() {
        let mut rows = vec![row("wof:1", &["Chirchiq", "Салор"])];
        let ok = "[[correction]]\nid = \"wof:1\"\ndrop = [\"Chirchiq\"]\nreason = \"copied\"\n";
        assert_eq!(corrections(ok, &mut rows).unwrap(), 1);
        assert_eq!(rows[0].alternates, vec!["Салор".to_string()]);
        // Run again: the name is gone, so the row is stale.
        let e = corrections(ok, &mut rows).unwrap_err().to_string();
        assert!(e.contains("name_corrections.toml:1:1"), "{e}");
        assert!(e.contains("has no alternate name \"Chirchiq\""), "{e}");
        let unknown = ok.replace("wof:1", "wof:2");
        let e = corrections(&unknown, &mut rows).unwrap_err().to_string();
        assert!(e.contains("no place with id \"wof:2\""), "{e}");
        let no_reason = ok.replace("\"copied\"", "\" \"");
        let e = corrections(&no_reason, &mut rows).unwrap_err().to_string();
        assert!(e.contains("has no reason"), "{e}");
        let nothing = ok.replace("drop = [\"Chirchiq\"]\n", "");
        let e = corrections(&nothing, &mut rows).unwrap_err().to_string();
        assert!(e.contains("names nothing to drop or add"), "{e}");
    }

    #[test]
    fn listed_names_are_added_once() {
        let mut rows = vec![row("wof:1", &["Салор"])];
        let add = "[[correction]]\nid = \"wof:1\"\nadd = [\"Salar\", \"Салар\"]\nreason = \"x\"\n";
        assert_eq!(corrections(add, &mut rows).unwrap(), 2);
        assert_eq!(rows[0].alternates, ["Салор", "Salar", "Салар"]);
        // Run again: the names are there, so the row is stale.
        let e = corrections(add, &mut rows).unwrap_err().to_string();
        assert!(e.contains("already has the name \"Salar\""), "{e}");
        let own = add.replace("\"Salar\", ", "\"Salor\", ");
        let e = corrections(&own, &mut [row("wof:1", &[])])
            .unwrap_err()
            .to_string();
        assert!(e.contains("already has the name \"Salor\""), "{e}");
    }
}
