//! Reading the reference bundle: GeoJSON features, their properties, and the name and
//! radius rules every place follows.

use crate::error::{Error, Result};
use crate::gazetteer::PlaceKind;
use crate::input::read_text;
use geo::{Distance, Geodesic, MultiPolygon, Point};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Douglas–Peucker tolerance for the KG/TJ/UZ country outlines, in degrees (≈ 30 m). The maps
/// are drawn at 40 m per pixel at the most detailed default zoom, so nothing visible is lost.
pub const COUNTRY_TOLERANCE_DEG: f64 = 0.0003;

pub(super) fn load(dir: &Path, name: &str) -> Result<Vec<geojson::Feature>> {
    let path = dir.join(name);
    let text = read_text(&path, 64 * 1024 * 1024)?;
    crate::geojson_io::collection_features(&path, &text)
}

pub(super) fn prop<'a>(f: &'a geojson::Feature, key: &str) -> Option<&'a Value> {
    f.property(key).filter(|v| !v.is_null())
}

pub(super) fn prop_str(f: &geojson::Feature, key: &str) -> String {
    match prop(f, key) {
        Some(Value::String(s)) => clean(s),
        Some(v @ Value::Number(_)) => v.to_string(),
        _ => String::new(),
    }
}

pub(super) fn prop_f64(f: &geojson::Feature, key: &str) -> Option<f64> {
    prop(f, key).and_then(Value::as_f64)
}

/// Names go into a `|`-separated CSV column: drop separators and control characters.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '|' && !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

pub(super) fn geometry(f: &geojson::Feature, what: &str) -> Result<geo::Geometry<f64>> {
    let g = f
        .geometry
        .as_ref()
        .ok_or_else(|| Error::Usage(format!("{what}: feature without geometry")))?;
    geo::Geometry::<f64>::try_from(&g.value)
        .map_err(|e| Error::Usage(format!("{what}: unsupported geometry: {e}")))
}

pub(super) fn multi_polygon(g: geo::Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        geo::Geometry::Polygon(p) => Some(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// Only Latin and Cyrillic names help reporters of this region; other scripts are dropped.
pub(super) fn useful_name(s: &str) -> bool {
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

pub(super) fn iso2(iso3: &str) -> &str {
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
pub(super) fn covering_radius(p: Point<f64>, mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter()
        .flat_map(|poly| poly.exterior().points())
        .map(|v| Geodesic.distance(p, v))
        .fold(0.0, f64::max)
}

#[derive(Debug)]
pub(super) struct Row {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) kind: PlaceKind,
    pub(super) country: String,
    pub(super) admin1: String,
    pub(super) admin2: String,
    pub(super) lon: f64,
    pub(super) lat: f64,
    pub(super) population: u64,
    pub(super) uncertainty_m: f64,
    pub(super) source: String,
    pub(super) alternates: Vec<String>,
    /// Former names, `Name@YEAR` or `Name`.
    pub(super) former: Vec<String>,
}

impl Row {
    /// A settlement: a village, or a town at 10,000 people or more, with the radius of
    /// [`settlement_uncertainty`]; its id, name, source and names are left empty.
    pub(super) fn settlement(
        country: String,
        (admin1, admin2): (String, String),
        (lon, lat): (f64, f64),
        population: u64,
    ) -> Row {
        Row {
            id: String::new(),
            name: String::new(),
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
            source: String::new(),
            alternates: Vec::new(),
            former: Vec::new(),
        }
    }
}

pub(super) fn settlement_uncertainty(population: u64) -> f64 {
    // A GeoNames point marks a village's centre; its houses spread about a kilometre, a town's
    // further with its size (15 m × √population: 1.5 km at 10,000, 4.7 km at 100,000).
    (15.0 * (population as f64).sqrt()).max(1000.0).round()
}

pub(super) fn alternates(name: &str, names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    seen.insert(name.to_string());
    names
        .into_iter()
        .map(|n| clean(&n))
        .filter(|n| !n.is_empty() && useful_name(n) && seen.insert(n.clone()))
        .collect()
}

/// The ways reports name an admin unit: "Batken Region", "Batken Oblast", "Isfara District".
/// WOF calls Tajikistan's Sughd region "Leninabad", so its current names are added.
pub(super) fn admin_aliases(name: &str, kind: PlaceKind) -> Vec<String> {
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
pub(super) fn split_paren(s: &str) -> (String, Option<String>) {
    match (s.find(" ("), s.ends_with(')')) {
        (Some(i), true) => (s[..i].to_string(), Some(s[i + 2..s.len() - 1].to_string())),
        _ => (s.to_string(), None),
    }
}

/// What a GeoNames editor's note in a place's name says of the record.
#[derive(Debug, PartialEq)]
pub(super) enum EditorsNote {
    /// "Ay-Tamga (duplicate, please delete)": another record of a place, whose name is the
    /// name without the note. With the note gone, the gazetteer merges it with its twin.
    Duplicate(String),
    /// "Bulak (… not inhabited, delete?)", "Chukur (only fields... delete?)": the editors
    /// doubt that the record is a place at all.
    Doubted,
}

/// The editor's note of `name`, if it carries one that asks for the record's deletion (a
/// note in brackets with the word "delete"; "Ivanovka (geological base)" carries none).
pub(super) fn editors_note(name: &str) -> Option<EditorsNote> {
    let (base, note) = split_paren(name);
    let note = note?.to_lowercase();
    if !note.contains("delete") {
        return None;
    }
    Some(if note.contains("duplicate") {
        EditorsNote::Duplicate(base)
    } else {
        EditorsNote::Doubted
    })
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
    fn an_editors_note_asking_for_deletion_is_read() {
        assert_eq!(
            editors_note("Ay-Tamga (duplicate, please delete)"),
            Some(EditorsNote::Duplicate("Ay-Tamga".into()))
        );
        assert_eq!(
            editors_note("Bulak (Bulak = Source/Water, not inhabited, delete?)"),
            Some(EditorsNote::Doubted)
        );
        assert_eq!(editors_note("Ivanovka (geological base)"), None);
        assert_eq!(editors_note("Vorukh"), None);
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
