//! Display names: one name per place, today's official one, in one spelling
//! (`geodata/display_names.toml`). Applied when the gazetteer is loaded, so the GeoJSON, the
//! maps, the HTML page and KML all show the same name; the replaced name stays an alternate
//! name, so reports that use it are still found.

use super::Place;
use crate::error::Result;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    region: Vec<Region>,
    #[serde(default)]
    place: Vec<Rename>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Region {
    name: String,
    display: String,
    #[allow(dead_code)] // read for the file's readers; checked present
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    id: String,
    display: String,
    #[allow(dead_code)]
    why: String,
}

/// Renames the places and regions the table lists, keeping each old name as an alternate.
/// An id the table names that is not among `places` is an error, so the table cannot rot.
///
/// # Examples
/// ```
/// let g = bordermap::Gazetteer::shipped().unwrap();
/// let town = g.by_id("wof:890435955").unwrap(); // "Kim" in the reference gazetteer
/// assert_eq!(town.name, "Nurafshon");
/// assert!(town.alternate_names.iter().any(|a| a == "Kim"));
/// assert_eq!(town.admin1, "Sughd"); // the region's Soviet name, Leninabad, is replaced
/// ```
pub fn apply(path: &Path, text: &str, places: &mut [Place]) -> Result<()> {
    let file: File = toml::from_str(text).map_err(|e| crate::input::toml_error(path, text, &e))?;
    for r in &file.place {
        let p = places.iter_mut().find(|p| p.id == r.id).ok_or_else(|| {
            crate::Error::record(
                path,
                format!("place {:?}", r.id),
                "no gazetteer place has this id",
            )
        })?;
        if p.name != r.display {
            let old = std::mem::replace(&mut p.name, r.display.clone());
            if !p.alternate_names.contains(&old) {
                p.alternate_names.push(old);
            }
        }
    }
    for r in &file.region {
        for p in places.iter_mut().filter(|p| p.admin1 == r.name) {
            p.admin1 = r.display.clone();
        }
    }
    Ok(())
}
