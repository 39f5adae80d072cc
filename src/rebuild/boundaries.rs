//! The lines and areas: the KG–TJ border, the countries of the map's background, the
//! outlines of the regions and districts, and the rivers and lakes.

use super::source::{COUNTRY_TOLERANCE_DEG, geometry, iso2, load, multi_polygon, prop_str};
use crate::error::Result;
use crate::geojson_io::{self, feature, feature_collection};
use crate::output::write_atomic;
use geo::{Coord, Geodesic, Length, LineString, Simplify};
use serde_json::{Map, json};
use std::path::Path;

/// Writes `border.geojson`: the WOF shared edge, unsimplified, so distances to it are exact
/// to the data. Returns the number of parts.
pub fn border(reference: &Path, out_dir: &Path) -> Result<usize> {
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
    write_atomic(
        &out_dir.join("border.geojson"),
        feature_collection(&border).as_bytes(),
        &[],
    )?;
    Ok(border.len())
}

/// Writes `countries.geojson`: detailed WOF outlines for the three, simplified; Natural
/// Earth for the neighbours. Returns the number of countries.
pub fn countries(reference: &Path, out_dir: &Path) -> Result<usize> {
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
    write_atomic(
        &out_dir.join("countries.geojson"),
        feature_collection(&countries).as_bytes(),
        &[],
    )?;
    Ok(countries.len())
}

/// Writes `admin_areas.geojson`: the WOF regions and districts of Kyrgyzstan and
/// Tajikistan, simplified like the countries, each with the gazetteer id of its place.
/// Returns the number of areas.
pub fn admin_areas(reference: &Path, out_dir: &Path) -> Result<usize> {
    let mut areas = Vec::new();
    for f in load(reference, "wof_admin1_admin2_kg_tj.geojson")? {
        let name = prop_str(&f, "name");
        let Some(shape) = multi_polygon(geometry(&f, &name)?) else {
            continue;
        };
        let id = format!("wof:{}", prop_str(&f, "wof_id"));
        let kind = if prop_str(&f, "placetype") == "region" {
            "region"
        } else {
            "district"
        };
        let mut props = Map::new();
        props.insert("name".into(), name.into());
        props.insert("kind".into(), kind.into());
        props.insert("country".into(), prop_str(&f, "iso_a2").into());
        props.insert("region".into(), prop_str(&f, "region").into());
        props.insert("source".into(), "Who's On First (Mesoshapes)".into());
        props.insert("simplified_deg".into(), json!(COUNTRY_TOLERANCE_DEG));
        areas.push(feature(
            Some(id.into()),
            Some(geojson_io::multi_polygon_geometry(
                &shape.simplify(COUNTRY_TOLERANCE_DEG),
            )),
            props,
        ));
    }
    write_atomic(
        &out_dir.join("admin_areas.geojson"),
        feature_collection(&areas).as_bytes(),
        &[],
    )?;
    Ok(areas.len())
}

/// Writes `rivers.geojson` and `lakes.geojson` from Natural Earth.
pub fn water(reference: &Path, out_dir: &Path) -> Result<()> {
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
    Ok(())
}
