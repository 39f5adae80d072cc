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

/// True when `name` is written in the Russian alphabet only (with spaces, hyphens, digits
/// and dots): Kyrgyz and Tajik spellings also use letters such as ң, ө, ү, ӯ, ҷ, ҳ and қ.
fn is_russian(name: &str) -> bool {
    crate::names::is_cyrillic(name)
        && name.chars().all(|c| {
            matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | ' ' | '-' | '–' | '.')
                || c.is_ascii_digit()
        })
}

/// The Russian (Cyrillic) name the reference data gives a place, if any: among its
/// alternate names written in the Russian alphabet, the enclave name of an `… анклав`
/// entry, else the one that sounds most like the display name (an adjective form such as
/// `Баткенский`, a district's name, is never taken). `None` when no alternate is close
/// enough: the map then keeps the Latin display name rather than inventing a spelling.
///
/// # Examples
/// ```
/// use bordermap::gazetteer::russian_name;
/// let g = bordermap::Gazetteer::shipped().unwrap();
/// assert_eq!(russian_name(g.by_id("enclave:vorukh").unwrap()), Some("Ворух"));
/// // Bujum's alternates include an unrelated "Москва"; the name that sounds like it wins
/// assert_eq!(russian_name(g.by_id("wof:1209298979").unwrap()), Some("Бужум"));
/// ```
pub fn russian_name(p: &Place) -> Option<&str> {
    if let Some(n) = p.alternate_names.iter().find_map(|a| {
        a.strip_suffix(" анклав")
            .filter(|n| is_russian(n) && !n.is_empty())
    }) {
        return Some(n);
    }
    let key = crate::names::skeleton(&p.name);
    let mut best: Option<(f64, &str)> = None;
    for a in &p.alternate_names {
        let lower = a.to_lowercase();
        let adjective = ["ский", "ская", "ское", "ской", "ский район"]
            .iter()
            .any(|e| lower.ends_with(e));
        if !is_russian(a) || adjective {
            continue;
        }
        let score = strsim::jaro_winkler(&crate::names::skeleton(a), &key);
        if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, a));
        }
    }
    best.map(|(_, a)| a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_names_come_from_the_reference_data() {
        let g = crate::Gazetteer::shipped().unwrap();
        let ru = |id: &str| russian_name(g.by_id(id).unwrap());
        assert_eq!(ru("wof:890420413"), Some("Ворух"));
        assert_eq!(ru("wof:421174351"), Some("Баткен"));
        assert_eq!(ru("wof:421193541"), Some("Исфара"));
        assert_eq!(ru("bm-tort-kocho"), Some("Торт-Кочо"));
        assert_eq!(ru("enclave:western-qal-acha"), Some("Западная Калача"));
        // A district is never named by its adjective.
        assert_ne!(ru("wof:1091690385"), Some("Лейлекский"));
    }

    #[test]
    fn kyrgyz_and_tajik_spellings_are_not_russian() {
        assert!(is_russian("Ак-Сай"));
        assert!(!is_russian("Көк-Таш"));
        assert!(!is_russian("Хоҷаи Аъло"));
        assert!(!is_russian("Vorukh"));
    }
}
