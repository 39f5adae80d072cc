//! Rebuilding `geodata/` from the public reference bundle (`bordermap geodata --reference DIR`).
//!
//! This is the project's documented, reproducible data command. It reads the Natural Earth
//! and Who's On First extracts described in `geodata/README.md` and writes:
//!
//! | file | from | what |
//! |---|---|---|
//! | `gazetteer.csv` | WOF KG/TJ + UZ Fergana localities, WOF regions and districts, WOF enclaves, NE populated places | every place with its names in all scripts |
//! | `border.geojson` | WOF/Quattroshapes (LSIB-derived) KG–TJ shared edge | the border line: mainland, Vorukh ring, Western Qal'acha ring; not simplified |
//! | `enclaves.geojson` | WOF enclave polygons | Vorukh, Western Qal'acha, Sokh, Shakhimardan, Chong-Kara, Jangail, Sarvan |
//! | `countries.geojson` | WOF KG/TJ/UZ (simplified, [`COUNTRY_TOLERANCE_DEG`]) + NE neighbours | map background |
//! | `rivers.geojson`, `lakes.geojson` | Natural Earth 1:10m | map background |
//!
//! The running program never reads the reference bundle: it reads `geodata/`, which is
//! compiled into the binary.

use crate::error::{Error, Result};
use crate::gazetteer::{CSV_HEADER, PlaceKind};
use crate::geojson_io::{self, feature, feature_collection, round6};
use crate::input::read_text;
use crate::output::write_atomic;
use geo::{
    BoundingRect, Contains, Coord, Distance, Geodesic, InteriorPoint, Length, LineString,
    MultiPolygon, Point, Rect, Simplify,
};
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// Douglas–Peucker tolerance for the KG/TJ/UZ country outlines, in degrees (≈ 30 m). The maps
/// are drawn at 40 m per pixel at the most detailed default zoom, so nothing visible is lost.
pub const COUNTRY_TOLERANCE_DEG: f64 = 0.0003;

/// What [`rebuild`] wrote.
#[derive(Debug, Default)]
pub struct Summary {
    /// Rows in `gazetteer.csv`.
    pub places: usize,
    /// Border features.
    pub border_parts: usize,
    /// Enclave polygons.
    pub enclaves: usize,
    /// Country polygons.
    pub countries: usize,
}

fn load(dir: &Path, name: &str) -> Result<Vec<geojson::Feature>> {
    let path = dir.join(name);
    let text = read_text(&path, 64 * 1024 * 1024)?;
    let fc: geojson::FeatureCollection = text.parse().map_err(|e: geojson::Error| {
        Error::record(
            &path,
            "file",
            format!("not a GeoJSON FeatureCollection: {e}"),
        )
    })?;
    Ok(fc.features)
}

fn prop<'a>(f: &'a geojson::Feature, key: &str) -> Option<&'a Value> {
    f.property(key).filter(|v| !v.is_null())
}

fn prop_str(f: &geojson::Feature, key: &str) -> String {
    match prop(f, key) {
        Some(Value::String(s)) => clean(s),
        Some(v @ Value::Number(_)) => v.to_string(),
        _ => String::new(),
    }
}

fn prop_f64(f: &geojson::Feature, key: &str) -> Option<f64> {
    prop(f, key).and_then(Value::as_f64)
}

/// Names go into a `|`-separated CSV column: drop separators and control characters.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '|' && !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

fn geometry(f: &geojson::Feature, what: &str) -> Result<geo::Geometry<f64>> {
    let g = f
        .geometry
        .as_ref()
        .ok_or_else(|| Error::Usage(format!("{what}: feature without geometry")))?;
    geo::Geometry::<f64>::try_from(&g.value)
        .map_err(|e| Error::Usage(format!("{what}: unsupported geometry: {e}")))
}

fn multi_polygon(g: geo::Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// Only Latin and Cyrillic names help reporters of this region; other scripts are dropped.
fn useful_name(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_ascii_alphabetic() || ('\u{0400}'..='\u{04FF}').contains(&c))
        && s.chars().all(|c| {
            !c.is_alphabetic()
                || c.is_ascii_alphabetic()
                || ('\u{00C0}'..='\u{02FF}').contains(&c)
                || ('\u{0400}'..='\u{04FF}').contains(&c)
                || ('\u{1E00}'..='\u{1EFF}').contains(&c)
        })
}

fn iso2(iso3: &str) -> &str {
    match iso3 {
        "KGZ" => "KG",
        "TJK" => "TJ",
        "UZB" => "UZ",
        "KAZ" => "KZ",
        "CHN" => "CN",
        "AFG" => "AF",
        "TKM" => "TM",
        "PAK" => "PK",
        other => other,
    }
}

/// The farthest exterior vertex from `p`, in metres: a radius that covers the whole area.
fn covering_radius(p: Point<f64>, mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter()
        .flat_map(|poly| poly.exterior().points())
        .map(|v| Geodesic.distance(p, v))
        .fold(0.0, f64::max)
}

struct District {
    name: String,
    region: String,
    country: String,
    shape: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

struct Row {
    id: String,
    name: String,
    kind: PlaceKind,
    country: String,
    admin1: String,
    admin2: String,
    lon: f64,
    lat: f64,
    population: u64,
    uncertainty_m: f64,
    source: String,
    alternates: Vec<String>,
}

fn settlement_uncertainty(population: u64) -> f64 {
    // A GeoNames point marks a village's centre; its houses spread about a kilometre, a town's
    // further with its size (15 m × √population: 1.5 km at 10,000, 4.7 km at 100,000).
    (15.0 * (population as f64).sqrt()).max(1000.0).round()
}

fn alternates(name: &str, names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    seen.insert(name.to_string());
    names
        .into_iter()
        .map(|n| clean(&n))
        .filter(|n| !n.is_empty() && useful_name(n) && seen.insert(n.clone()))
        .collect()
}

/// Rebuilds every file of `geodata/` from the reference bundle in `reference`.
pub fn rebuild(reference: &Path, out_dir: &Path) -> Result<Summary> {
    let mut summary = Summary::default();

    // Districts and regions: places in their own right, and the containment test that fills
    // in missing admin names.
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
    let admin_of = |lon: f64, lat: f64, country: &str| -> Option<(String, String)> {
        let pt = Coord { x: lon, y: lat };
        districts
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
    };

    // Localities (GeoNames points with WOF's multilingual names).
    let mut geonames = HashSet::new();
    for file in [
        "gazetteer_wof_kg_tj.geojson",
        "gazetteer_wof_uz_fergana.geojson",
    ] {
        for f in load(reference, file)? {
            let name = prop_str(&f, "name");
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
                && let Some((r, d)) = admin_of(lon, lat, &country)
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
            rows.push(Row {
                id: format!("wof:{}", prop_str(&f, "wof_id")),
                name: name.clone(),
                kind: if population >= 10_000 {
                    PlaceKind::Town
                } else {
                    PlaceKind::Village
                },
                country,
                admin1,
                admin2,
                lon,
                lat,
                population,
                uncertainty_m: settlement_uncertainty(population),
                source: "Who's On First / GeoNames".into(),
                alternates: alternates(&name, names),
            });
        }
    }

    // Natural Earth towns that the WOF extracts do not hold (Samarkand, Tashkent, …).
    for f in load(reference, "ne10m_populated_places.geojson")? {
        let gid = prop_f64(&f, "GEONAMEID").map(|g| g as u64);
        if gid.is_some_and(|g| geonames.contains(&g)) {
            continue;
        }
        let name = prop_str(&f, "NAME");
        let (Some(lat), Some(lon)) = (prop_f64(&f, "LATITUDE"), prop_f64(&f, "LONGITUDE")) else {
            continue;
        };
        let population = prop_f64(&f, "POP_MAX").unwrap_or(0.0).max(0.0) as u64;
        let country = prop_str(&f, "ISO_A2");
        let (admin1, admin2) = admin_of(lon, lat, &country)
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
        rows.push(Row {
            id: gid.map_or_else(|| format!("ne:{name}"), |g| format!("ne:{g}")),
            name: name.clone(),
            kind: PlaceKind::Town,
            country,
            admin1,
            admin2,
            lon,
            lat,
            population,
            uncertainty_m: settlement_uncertainty(population),
            source: "Natural Earth populated places / GeoNames".into(),
            alternates: alternates(&name, names),
        });
    }

    // Enclaves: the WOF (LSIB-derived) polygons.
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
        let (admin1, admin2) = admin_of(p.x(), p.y(), &sovereign).unwrap_or_default();
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

    // WOF lists neighbouring units' names among a district's alternates (Sulukta has
    // "Leylek"); an admin unit's alternate that is another unit's own name is dropped.
    let admin_names: HashSet<String> = rows
        .iter()
        .filter(|r| matches!(r.kind, PlaceKind::District | PlaceKind::Region))
        .map(|r| crate::names::fold(&r.name))
        .collect();
    for r in rows
        .iter_mut()
        .filter(|r| matches!(r.kind, PlaceKind::District | PlaceKind::Region))
    {
        let own = crate::names::fold(&r.name);
        r.alternates.retain(|a| {
            let f = crate::names::fold(a);
            f == own || !admin_names.contains(&f)
        });
    }
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
        ])
        .map_err(csv_err)?;
    }
    let csv_bytes = csv
        .into_inner()
        .map_err(|e| Error::Output(format!("writing gazetteer.csv: {e}")))?;
    write_atomic(&out_dir.join("gazetteer.csv"), &csv_bytes, &[])?;
    summary.places = rows.len();
    summary.enclaves = enclave_features.len();
    write_atomic(
        &out_dir.join("enclaves.geojson"),
        feature_collection(&enclave_features).as_bytes(),
        &[],
    )?;

    // The border: the WOF shared edge, unsimplified, so distances to it are exact to the data.
    let mut border = Vec::new();
    for f in load(reference, "kg_tj_border.geojson")? {
        if !prop_str(&f, "source").starts_with("Who's On First") {
            continue;
        }
        let segment = prop_str(&f, "segment");
        let part = if segment == "mainland" {
            "mainland"
        } else if segment.starts_with("Vorukh") {
            "vorukh"
        } else {
            "western_qalacha"
        };
        let geo::Geometry::LineString(ls) = geometry(&f, &segment)? else {
            continue;
        };
        let ls: LineString<f64> = ls.coords().map(|c| Coord { x: c.x, y: c.y }).collect();
        let mut props = Map::new();
        props.insert("part".into(), part.into());
        props.insert("name".into(), segment.into());
        props.insert("left".into(), "KG".into());
        props.insert("right".into(), "TJ".into());
        props.insert(
            "length_km".into(),
            json!((Geodesic.length(&ls) / 10.0).round() / 100.0),
        );
        props.insert("n_vertices".into(), json!(ls.0.len()));
        props.insert("simplified".into(), "no (tolerance 0)".into());
        props.insert("source".into(), prop_str(&f, "source").into());
        border.push(feature(
            Some(part.into()),
            Some(geojson_io::line_geometry(&ls)),
            props,
        ));
    }
    summary.border_parts = border.len();
    write_atomic(
        &out_dir.join("border.geojson"),
        feature_collection(&border).as_bytes(),
        &[],
    )?;

    // Countries: detailed WOF outlines for the three, simplified; NE for the neighbours.
    let mut countries = Vec::new();
    for f in load(reference, "wof_admin0_kg_tj_uz.geojson")? {
        let name = prop_str(&f, "name");
        let Some(shape) = multi_polygon(geometry(&f, &name)?) else {
            continue;
        };
        let shape = shape.simplify(COUNTRY_TOLERANCE_DEG);
        let iso = prop_str(&f, "iso_a2");
        let mut props = Map::new();
        props.insert("iso2".into(), iso.clone().into());
        props.insert("name".into(), name.into());
        props.insert("role".into(), "focus".into());
        props.insert(
            "source".into(),
            "Who's On First / Quattroshapes (LSIB-derived)".into(),
        );
        props.insert("simplified_deg".into(), json!(COUNTRY_TOLERANCE_DEG));
        countries.push(feature(
            Some(iso.into()),
            Some(geojson_io::multi_polygon_geometry(&shape)),
            props,
        ));
    }
    for f in load(reference, "ne10m_admin0_countries.geojson")? {
        let iso3 = prop_str(&f, "adm0_a3");
        if matches!(iso3.as_str(), "KGZ" | "TJK" | "UZB") {
            continue;
        }
        let name = prop_str(&f, "name");
        let Some(shape) = multi_polygon(geometry(&f, &name)?) else {
            continue;
        };
        let iso = iso2(&iso3).to_string();
        let mut props = Map::new();
        props.insert("iso2".into(), iso.clone().into());
        props.insert("name".into(), name.into());
        props.insert("role".into(), "neighbour".into());
        props.insert(
            "source".into(),
            "Natural Earth 1:10m admin 0 countries".into(),
        );
        props.insert("simplified_deg".into(), json!(0.0));
        countries.push(feature(
            Some(iso.into()),
            Some(geojson_io::multi_polygon_geometry(&shape)),
            props,
        ));
    }
    summary.countries = countries.len();
    write_atomic(
        &out_dir.join("countries.geojson"),
        feature_collection(&countries).as_bytes(),
        &[],
    )?;

    for (file, out) in [
        ("ne10m_rivers_lake_centerlines.geojson", "rivers.geojson"),
        ("ne10m_lakes.geojson", "lakes.geojson"),
    ] {
        let mut feats = Vec::new();
        for (i, f) in load(reference, file)?.iter().enumerate() {
            let name = prop_str(f, "name_en");
            let name = if name.is_empty() {
                prop_str(f, "name")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            } else {
                name
            };
            let geom = match geometry(f, &name)? {
                geo::Geometry::LineString(ls) => geojson_io::line_geometry(&ls),
                geo::Geometry::MultiLineString(m) => geojson_io::multi_line_geometry(&m),
                geo::Geometry::Polygon(p) => geojson_io::polygon_geometry(&p),
                geo::Geometry::MultiPolygon(m) => geojson_io::multi_polygon_geometry(&m),
                _ => continue,
            };
            let mut props = Map::new();
            props.insert("name".into(), name.into());
            props.insert("source".into(), "Natural Earth 1:10m".into());
            feats.push(feature(Some(json!(i)), Some(geom), props));
        }
        write_atomic(
            &out_dir.join(out),
            feature_collection(&feats).as_bytes(),
            &[],
        )?;
    }
    Ok(summary)
}

/// The ways reports name an admin unit: "Batken Region", "Batken Oblast", "Isfara District".
/// WOF calls Tajikistan's Sughd region "Leninabad", so its current names are added.
fn admin_aliases(name: &str, kind: PlaceKind) -> Vec<String> {
    let mut out = Vec::new();
    let mut bases = vec![name.to_string()];
    if name == "Leninabad" {
        out.extend(
            [
                "Sughd",
                "Sugd",
                "Soghd",
                "Sogd",
                "Согд",
                "Суғд",
                "Согдийская область",
            ]
            .map(str::to_string),
        );
        bases.extend(["Sughd", "Sogd"].map(str::to_string));
    }
    for b in bases {
        if kind == PlaceKind::Region {
            for suffix in ["Region", "Oblast", "Province", "Viloyat"] {
                out.push(format!("{b} {suffix}"));
            }
        } else {
            for suffix in ["District", "Raion", "Rayon", "Nohiya"] {
                out.push(format!("{b} {suffix}"));
            }
        }
    }
    out
}

/// `Western Qal'acha (Kayragach)` → (`Western Qal'acha`, Some(`Kayragach`)).
fn split_paren(s: &str) -> (String, Option<String>) {
    match (s.find(" ("), s.ends_with(')')) {
        (Some(i), true) => (s[..i].to_string(), Some(s[i + 2..s.len() - 1].to_string())),
        _ => (s.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paren_names_split() {
        assert_eq!(
            split_paren("Sarvan (Sarvak)"),
            ("Sarvan".to_string(), Some("Sarvak".to_string()))
        );
        assert_eq!(split_paren("Vorukh"), ("Vorukh".to_string(), None));
    }

    #[test]
    fn only_latin_and_cyrillic_names_are_kept() {
        assert!(useful_name("Ворух"));
        assert!(useful_name("Qal’acha"));
        assert!(useful_name("Kök-Tash"));
        assert!(!useful_name("قزل عسكر"));
        assert!(!useful_name("克孜勒阿斯卡尔"));
    }

    #[test]
    fn settlement_radius_grows_with_population() {
        assert_eq!(settlement_uncertainty(0), 1000.0);
        assert_eq!(settlement_uncertainty(10_000), 1500.0);
    }
}
