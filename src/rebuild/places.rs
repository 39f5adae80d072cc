//! The places of `gazetteer.csv`: regions and districts, localities (GeoNames points with
//! WOF's multilingual names), Natural Earth towns, and the enclaves.

use super::source::{
    EditorsNote, Row, admin_aliases, alternates, covering_radius, editors_note, geometry, iso2,
    load, multi_polygon, prop, prop_f64, prop_str, split_paren,
};
use crate::error::{Error, Result};
use crate::gazetteer::{CSV_HEADER, PlaceKind};
use crate::geojson_io::{self, feature, round6};
use crate::output::write_atomic;
use geo::{BoundingRect, Contains, Coord, InteriorPoint, MultiPolygon, Rect};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

/// A district's outline, to fill in the admin names of the points inside it.
struct District {
    name: String,
    region: String,
    country: String,
    shape: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

/// The districts, for [`Districts::admin_of`] (none by default).
#[derive(Default)]
pub struct Districts(Vec<District>);

impl Districts {
    /// The region and district containing (lon, lat), within `country` when it is given.
    pub fn admin_of(&self, lon: f64, lat: f64, country: &str) -> Option<(String, String)> {
        let pt = Coord { x: lon, y: lat };
        self.0
            .iter()
            .filter(|d| country.is_empty() || d.country == country)
            .find(|d| {
                d.bbox.min().x <= lon
                    && lon <= d.bbox.max().x
                    && d.bbox.min().y <= lat
                    && lat <= d.bbox.max().y
                    && d.shape.contains(&pt)
            })
            .map(|d| (d.region.clone(), d.name.clone()))
    }
}

/// Regions and districts: places in their own right, and the containment test that fills
/// in missing admin names.
pub fn admin_units(reference: &Path) -> Result<(Vec<Row>, Districts)> {
    let mut districts = Vec::new();
    let mut rows = Vec::new();
    for f in load(reference, "wof_admin1_admin2_kg_tj.geojson")? {
        let name = prop_str(&f, "name");
        let placetype = prop_str(&f, "placetype");
        let Some(shape) = multi_polygon(geometry(&f, &name)?) else {
            continue;
        };
        let Some(p) = shape.interior_point() else {
            continue;
        };
        let country = prop_str(&f, "iso_a2");
        let region = prop_str(&f, "region");
        let kind = if placetype == "region" {
            PlaceKind::Region
        } else {
            PlaceKind::District
        };
        let mut names: Vec<String> = ["name_en", "name_ru", "name_ky", "name_tg", "name_uz"]
            .iter()
            .map(|k| prop_str(&f, k))
            .collect();
        if let Some(Value::Array(a)) = prop(&f, "alternatenames") {
            names.extend(a.iter().filter_map(Value::as_str).map(str::to_string));
        }
        names.extend(admin_aliases(&name, kind));
        rows.push(Row {
            id: format!("wof:{}", prop_str(&f, "wof_id")),
            name: name.clone(),
            kind,
            country: country.clone(),
            admin1: if kind == PlaceKind::Region {
                name.clone()
            } else {
                region.clone()
            },
            admin2: if kind == PlaceKind::District {
                name.clone()
            } else {
                String::new()
            },
            lon: p.x(),
            lat: p.y(),
            population: 0,
            uncertainty_m: covering_radius(p, &shape).round(),
            source: "Who's On First (Mesoshapes)".into(),
            alternates: alternates(&name, names),
            former: vec![],
        });
        if kind == PlaceKind::District
            && let Some(bbox) = shape.bounding_rect()
        {
            districts.push(District {
                name,
                region,
                country,
                shape,
                bbox,
            });
        }
    }
    Ok((rows, Districts(districts)))
}

/// Localities: GeoNames points with WOF's multilingual names. Returns the rows, the
/// GeoNames ids seen, so that Natural Earth does not add them twice, and how many records
/// were left out because GeoNames' editors doubt they are places (see [`editors_note`]; a
/// record noted as a duplicate keeps its name without the note and is merged with its twin
/// when the gazetteer loads).
pub fn localities(
    reference: &Path,
    districts: &Districts,
) -> Result<(Vec<Row>, HashSet<u64>, usize)> {
    let mut rows = Vec::new();
    let mut doubted = 0;
    let mut geonames = HashSet::new();
    for file in [
        "gazetteer_wof_kg_tj.geojson",
        "gazetteer_wof_uz_fergana.geojson",
    ] {
        for f in load(reference, file)? {
            let name = prop_str(&f, "name");
            let name = match editors_note(&name) {
                None => name,
                Some(EditorsNote::Duplicate(name)) => name,
                Some(EditorsNote::Doubted) => {
                    doubted += 1;
                    continue;
                }
            };
            let (Some(lat), Some(lon)) = (prop_f64(&f, "latitude"), prop_f64(&f, "longitude"))
            else {
                continue;
            };
            if let Some(g) = prop_f64(&f, "geonameid") {
                geonames.insert(g as u64);
            }
            let population = prop_f64(&f, "population").unwrap_or(0.0).max(0.0) as u64;
            let country = prop_str(&f, "country_code");
            let mut admin1 = prop_str(&f, "admin1");
            let mut admin2 = prop_str(&f, "admin2");
            if (admin1.is_empty() || admin2.is_empty())
                && let Some((r, d)) = districts.admin_of(lon, lat, &country)
            {
                if admin1.is_empty() {
                    admin1 = r;
                }
                if admin2.is_empty() {
                    admin2 = d;
                }
            }
            let mut names: Vec<String> = [
                "asciiname",
                "name_en",
                "name_ru",
                "name_ky",
                "name_tg",
                "name_uz",
            ]
            .iter()
            .map(|k| prop_str(&f, k))
            .collect();
            if let Some(Value::Array(a)) = prop(&f, "alternatenames") {
                names.extend(a.iter().filter_map(Value::as_str).map(str::to_string));
            }
            names.retain(|n| editors_note(n).is_none());
            rows.push(Row {
                id: format!("wof:{}", prop_str(&f, "wof_id")),
                source: "Who's On First / GeoNames".into(),
                alternates: alternates(&name, names),
                name,
                ..Row::settlement(country, (admin1, admin2), (lon, lat), population)
            });
        }
    }

    Ok((rows, geonames, doubted))
}

/// Natural Earth towns that the WOF extracts do not hold (Samarkand, Tashkent, …).
pub fn natural_earth_towns(
    reference: &Path,
    districts: &Districts,
    geonames: &HashSet<u64>,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for f in load(reference, "ne10m_populated_places.geojson")? {
        // Natural Earth writes -1 where it has no GeoNames id. Such a row has no record to
        // check its position against, and the one in the box is a placeholder: "Leninobod",
        // an "Admin-1 capital" at the round 39.75° N 69.00° E, 80 km from Khujand (the city
        // that was Leninabad). It is left out, as a duplicate placed nowhere in particular.
        let Some(gid) = geonames_id(&f) else {
            continue;
        };
        if geonames.contains(&gid) {
            continue;
        }
        let name = prop_str(&f, "NAME");
        let (Some(lat), Some(lon)) = (prop_f64(&f, "LATITUDE"), prop_f64(&f, "LONGITUDE")) else {
            continue;
        };
        let population = prop_f64(&f, "POP_MAX").unwrap_or(0.0).max(0.0) as u64;
        let country = prop_str(&f, "ISO_A2");
        let (admin1, admin2) = districts
            .admin_of(lon, lat, &country)
            .unwrap_or_else(|| (prop_str(&f, "ADM1NAME"), String::new()));
        let names = [
            "NAMEALT",
            "NAMEASCII",
            "NAME_EN",
            "NAME_RU",
            "NAMEPAR",
            "LS_NAME",
        ]
        .iter()
        .flat_map(|k| {
            prop_str(&f, k)
                .split('|')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
        // a town at any population: Natural Earth lists only places that matter on a map
        rows.push(Row {
            id: format!("ne:{gid}"),
            kind: PlaceKind::Town,
            source: "Natural Earth populated places / GeoNames".into(),
            alternates: alternates(&name, names),
            name,
            ..Row::settlement(country, (admin1, admin2), (lon, lat), population)
        });
    }

    Ok(rows)
}

/// The GeoNames id of a Natural Earth row: `None` when absent or not positive (Natural
/// Earth writes -1 for none).
fn geonames_id(f: &geojson::Feature) -> Option<u64> {
    prop_f64(f, "GEONAMEID")
        .filter(|g| *g >= 1.0 && g.fract() == 0.0)
        .map(|g| g as u64)
}

/// The enclaves, from the WOF (LSIB-derived) polygons: their gazetteer rows and the
/// features of `enclaves.geojson`.
pub fn enclaves(reference: &Path, districts: &Districts) -> Result<(Vec<Row>, Vec<Value>)> {
    let mut rows = Vec::new();
    let mut enclave_features = Vec::new();
    for f in load(reference, "enclaves.geojson")? {
        if !prop_str(&f, "source").starts_with("Who's On First") {
            continue;
        }
        let full = prop_str(&f, "name");
        let full_ru = prop_str(&f, "name_ru");
        let (name, alias) = split_paren(&full);
        let (name_ru, alias_ru) = split_paren(&full_ru);
        let Some(shape) = multi_polygon(geometry(&f, &full)?) else {
            continue;
        };
        let Some(p) = shape.interior_point() else {
            continue;
        };
        let sovereign = iso2(&prop_str(&f, "sovereign_iso3")).to_string();
        let host = iso2(&prop_str(&f, "surrounded_by_iso3")).to_string();
        let id = format!(
            "enclave:{}",
            crate::output::safe_file_stem(&name).to_lowercase()
        );
        let (admin1, admin2) = districts
            .admin_of(p.x(), p.y(), &sovereign)
            .unwrap_or_default();
        let mut names = vec![
            format!("{name} enclave"),
            name_ru.clone(),
            format!("{name_ru} анклав"),
        ];
        names.extend(alias.iter().cloned());
        names.extend(alias_ru.iter().cloned());
        rows.push(Row {
            id: id.clone(),
            name: name.clone(),
            kind: PlaceKind::Enclave,
            country: sovereign.clone(),
            admin1,
            admin2,
            lon: p.x(),
            lat: p.y(),
            population: 0,
            uncertainty_m: covering_radius(p, &shape).round(),
            source: "Who's On First / Quattroshapes (LSIB-derived)".into(),
            alternates: alternates(&name, names),
            former: vec![],
        });
        let mut props = Map::new();
        props.insert("id".into(), id.clone().into());
        props.insert("name".into(), name.into());
        props.insert("name_ru".into(), name_ru.into());
        props.insert("alias".into(), alias.unwrap_or_default().into());
        props.insert("sovereign".into(), sovereign.into());
        props.insert("surrounded_by".into(), host.into());
        props.insert(
            "area_km2".into(),
            prop(&f, "area_km2").cloned().unwrap_or(Value::Null),
        );
        props.insert("source".into(), prop_str(&f, "source").into());
        enclave_features.push(feature(
            Some(id.into()),
            Some(geojson_io::multi_polygon_geometry(&shape)),
            props,
        ));
    }

    Ok((rows, enclave_features))
}

/// WOF lists neighbouring units' names among a district's alternates (Sulukta has
/// "Leylek"); an admin unit's alternate that is another unit's own name, in any spelling
/// (compared by their phonetic keys), is dropped.
pub fn drop_neighbour_names(rows: &mut [Row]) {
    let is_admin = |r: &Row| matches!(r.kind, PlaceKind::District | PlaceKind::Region);
    let admin_names: HashSet<String> = rows
        .iter()
        .filter(|r| is_admin(r))
        .map(|r| crate::names::skeleton(&r.name))
        .collect();
    for r in rows.iter_mut().filter(|r| is_admin(r)) {
        let own = crate::names::skeleton(&r.name);
        r.alternates.retain(|a| {
            let s = crate::names::skeleton(a);
            s == own || !admin_names.contains(&s)
        });
    }
}

/// Writes `gazetteer.csv`, sorted by id, one row per id, and `gazetteer.bin`, the shipped
/// gazetteer built from it; returns the number of places.
pub fn write_gazetteer(out_dir: &Path, mut rows: Vec<Row>) -> Result<usize> {
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    rows.dedup_by(|a, b| a.id == b.id);
    let mut csv = csv::WriterBuilder::new().from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Output(format!("writing gazetteer.csv: {e}"));
    csv.write_record(CSV_HEADER).map_err(csv_err)?;
    for r in &rows {
        csv.write_record([
            r.id.as_str(),
            &r.name,
            r.kind.as_str(),
            &r.country,
            &r.admin1,
            &r.admin2,
            &round6(r.lat).to_string(),
            &round6(r.lon).to_string(),
            &r.population.to_string(),
            &r.uncertainty_m.to_string(),
            &r.source,
            &r.alternates.join("|"),
            &r.former.join("|"),
        ])
        .map_err(csv_err)?;
    }
    let csv_bytes = csv
        .into_inner()
        .map_err(|e| Error::Output(format!("writing gazetteer.csv: {e}")))?;
    // The same gazetteer built ahead of time, which the program reads at start-up; built
    // before either file is written, so that a gazetteer that does not build leaves both.
    let csv_text = String::from_utf8(csv_bytes)
        .map_err(|e| Error::Output(format!("writing gazetteer.csv: {e}")))?;
    let snapshot = crate::gazetteer::shipped_snapshot(&csv_text)?;
    write_atomic(&out_dir.join("gazetteer.csv"), csv_text.as_bytes(), &[])?;
    write_atomic(&out_dir.join("gazetteer.bin"), &snapshot, &[])?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ne_row(gid: serde_json::Value) -> geojson::Feature {
        let text = serde_json::json!({"type": "Feature", "geometry": null,
            "properties": {"NAME": "Leninobod", "GEONAMEID": gid}});
        serde_json::from_value(text).unwrap()
    }

    #[test]
    fn a_natural_earth_row_without_a_geonames_id_has_none() {
        assert_eq!(
            geonames_id(&ne_row(serde_json::json!(1514879.0))),
            Some(1514879)
        );
        // Natural Earth's "none", and values that are no id
        for v in [
            serde_json::json!(-1.0),
            serde_json::json!(0),
            serde_json::json!(1.5),
        ] {
            assert_eq!(geonames_id(&ne_row(v.clone())), None, "{v}");
        }
        assert_eq!(geonames_id(&ne_row(serde_json::Value::Null)), None);
    }
}
