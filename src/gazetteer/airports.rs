//! Airports as answers for a town's name: the airports of a town ("аэропорт Токмак" when no
//! airport has that name, "Leninabad airport" by a former name of Khujand) and an airport's
//! IATA code, for "the city's airport" among several.

use super::candidates::{Class, Hit, Hits, WORD_PENALTY, class};
use super::query::{FeatureKind, strip_feature_word};
use super::{Gazetteer, Place, PlaceKind};
use crate::names::skeleton;
use geo::{Distance, Geodesic};

/// "аэропорт X", when no airport is called X, means an airport within this many metres of
/// a town called X, when X is the town nearest to it (Osh airport is 10.5 km from Osh; Isfara,
/// 20 km from Batken's airport, has none).
const AIRPORT_OF_TOWN_M: f64 = 12_000.0;
/// An airport named after a town ("Bishkek Airport") is that town's within this many metres,
/// whatever town lies nearer it (Manas is 25 km from Bishkek).
const AIRPORT_NAMED_FOR_TOWN_M: f64 = 40_000.0;

impl Gazetteer {
    /// The airports of the towns among `hits` that matched for real (within
    /// [`AIRPORT_OF_TOWN_M`] and nearer that town than any other, or named after it within
    /// [`AIRPORT_NAMED_FOR_TOWN_M`]), as hits on the airports
    /// (the word's penalty taken).
    pub(super) fn airports_of_towns(&self, hits: &Hits) -> Vec<(usize, Hit)> {
        let mut towns: Vec<(&usize, &Hit)> = hits.iter().collect();
        towns.sort_by_key(|(t, _)| **t);
        let mut found = Vec::new();
        for (&t, h) in towns {
            let town = &self.places[t];
            if class(h.method) != Class::Real || town.kind != PlaceKind::Town {
                continue;
            }
            // the town's names by phonetic key ("Khudzhand Airport" is named after Khujand),
            // made only when an airport lies near enough to need them
            let mut town_names: Option<Vec<String>> = None;
            for &a in &self.airports {
                let airport = &self.places[a];
                // A degree of latitude is at least 110.5 km: most airports are ruled out
                // without measuring.
                if (airport.position.lat() - town.position.lat()).abs()
                    * crate::geodesic::METRES_PER_DEGREE_LAT_MIN
                    > AIRPORT_NAMED_FOR_TOWN_M
                {
                    continue;
                }
                let d = Geodesic.distance(town.position.point(), airport.position.point());
                let names = town_names.get_or_insert_with(|| {
                    std::iter::once(&town.name)
                        .chain(&town.alternate_names)
                        .map(|n| skeleton(n))
                        .collect()
                });
                let of_town = if named_after(airport, names) {
                    d <= AIRPORT_NAMED_FOR_TOWN_M
                } else {
                    d <= AIRPORT_OF_TOWN_M && !self.town_nearer_than(airport, d, t)
                };
                if of_town {
                    let hit = Hit {
                        method: h.method,
                        score: h.score - WORD_PENALTY,
                        matched_name: format!("{} (an airport of {})", h.matched_name, town.name),
                    };
                    found.push((a, hit));
                }
            }
        }
        found
    }

    /// True when a town other than `except` lies nearer to `p` than `d_m` metres. A degree
    /// of latitude is at least 110.5 km, so only the towns in a narrow band of latitude are
    /// measured.
    fn town_nearer_than(&self, p: &Place, d_m: f64, except: usize) -> bool {
        let band = d_m / crate::geodesic::METRES_PER_DEGREE_LAT_MIN;
        let lat = p.position.lat();
        let from = self.towns_by_lat.partition_point(|(t, _)| *t < lat - band);
        self.towns_by_lat[from..]
            .iter()
            .take_while(|(t, _)| *t <= lat + band)
            .any(|&(_, i)| {
                i != except
                    && Geodesic.distance(p.position.point(), self.places[i].position.point()) < d_m
            })
    }
}

/// True when one of the airport's names is a town's name (`town_names`, phonetic keys) with
/// an airport word ("Khudzhand Airport" for Khujand): the airport is that town's even where
/// another town lies nearer it (Khujand's airport is in Buston).
fn named_after(airport: &Place, town_names: &[String]) -> bool {
    std::iter::once(&airport.name)
        .chain(&airport.alternate_names)
        .filter_map(|n| strip_feature_word(n))
        .any(|s| s.kind == FeatureKind::Airport && town_names.contains(&skeleton(&s.name)))
}

/// The IATA code of an airport: its three-capital alternate name.
pub(super) fn iata_code(p: &Place) -> Option<&str> {
    (p.kind == PlaceKind::Airport)
        .then(|| {
            p.alternate_names
                .iter()
                .find(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_uppercase()))
        })
        .flatten()
        .map(String::as_str)
}
