//! The gazetteer: the places bordermap knows, and name lookup that ranks candidates honestly.
//!
//! The shipped gazetteer is compiled into the binary from `geodata/gazetteer.csv` (derived
//! from Who's On First / GeoNames and Natural Earth by `bordermap geodata`) and
//! `geodata/places_manual.toml` (places added by hand, each with a cited source and an
//! uncertainty). [`Gazetteer::lookup`] returns [`Status::Matched`], [`Status::Ambiguous`] or
//! [`Status::NotFound`] with ranked candidates: a name is never silently picked.
//!
//! | file | what it owns |
//! |---|---|
//! | `mod.rs` | [`Place`], [`PlaceKind`], [`Gazetteer`]: the places and their name indexes |
//! | `lookup.rs` | [`Gazetteer::lookup`], [`Gazetteer::resolve`]: candidates, scores, the decision |
//! | `display.rs` | one display name per place (`geodata/display_names.toml`) |
//! | `sources.rs` | [`Gazetteer::shipped`] and the readers of CSV, TOML, GeoNames and GeoJSON places |
//!
//! # Scoring
//! A candidate's score is its name score plus context:
//! - name: exact 1.0, alternate name 0.985, transliterated or phonetic 0.97 (these three differ
//!   by less than [`MARGIN`], so spelling alone never decides between places), fuzzy 0.8 for one
//!   edit and 0.7 for two, partial (the query starts the name: `Batken` in `Batken Airport`) 0.6;
//! - country hint: +0.1 when it matches, −0.25 when it does not;
//! - admin1 / admin2 hints: +0.08 each when they match, −0.1 when they contradict;
//! - other places in the same report: up to +0.15 within 10 km, fading to 0 at 50 km;
//! - size: up to +0.05 for population (log scale), a tie-breaker only.
//!
//! The best candidate is *matched* when it leads the next by at least [`MARGIN`], or when
//! every close rival is an area (district, region, enclave) that contains it — then the more
//! precise point is taken and the areas stay listed. Otherwise the result is *ambiguous*.

mod display;
mod lookup;
mod sources;

pub use lookup::{Candidate, Context, Lookup, Method, Status};
pub use sources::{
    CSV_HEADER, GEONAMES_COLUMNS, geonames_kind, load_places, parse_csv, parse_geonames,
    parse_manual, parse_places_geojson,
};

use crate::model::LonLat;
use crate::names::{fold, skeleton};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The lead the best candidate needs over the next to count as matched.
pub const MARGIN: f64 = 0.04;

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A town or city.
    Town,
    /// A village or hamlet.
    Village,
    /// An enclave (a territory surrounded by another country).
    Enclave,
    /// A border guard post or outpost.
    BorderPost,
    /// An airport or airfield.
    Airport,
    /// A water intake, canal head or reservoir facility.
    WaterFacility,
    /// A section of road.
    RoadSection,
    /// A district (raion, nohiya).
    District,
    /// A region (oblast, viloyat).
    Region,
}

impl PlaceKind {
    /// Every kind.
    pub const ALL: [PlaceKind; 9] = [
        PlaceKind::Town,
        PlaceKind::Village,
        PlaceKind::Enclave,
        PlaceKind::BorderPost,
        PlaceKind::Airport,
        PlaceKind::WaterFacility,
        PlaceKind::RoadSection,
        PlaceKind::District,
        PlaceKind::Region,
    ];

    /// The snake_case name used in files.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::PlaceKind;
    /// assert_eq!(PlaceKind::parse("border_post"), Some(PlaceKind::BorderPost));
    /// assert_eq!(PlaceKind::BorderPost.as_str(), "border_post");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Enclave => "enclave",
            PlaceKind::BorderPost => "border_post",
            PlaceKind::Airport => "airport",
            PlaceKind::WaterFacility => "water_facility",
            PlaceKind::RoadSection => "road_section",
            PlaceKind::District => "district",
            PlaceKind::Region => "region",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// True for kinds that stand for an area rather than a point.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            PlaceKind::District | PlaceKind::Region | PlaceKind::Enclave
        )
    }

    /// The ACLED-style geo precision of a point of this kind with this uncertainty:
    /// 1 = the place itself, 2 = near it or part of a small area, 3 = a district or larger.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::PlaceKind;
    /// assert_eq!(PlaceKind::Village.geo_precision(1000.0), 1);
    /// assert_eq!(PlaceKind::RoadSection.geo_precision(5000.0), 2);
    /// assert_eq!(PlaceKind::District.geo_precision(20000.0), 3);
    /// ```
    pub fn geo_precision(self, uncertainty_m: f64) -> u8 {
        match self {
            PlaceKind::District | PlaceKind::Region => 3,
            _ if uncertainty_m > 15_000.0 => 3,
            PlaceKind::Enclave | PlaceKind::RoadSection => 2,
            _ if uncertainty_m > 3_000.0 => 2,
            _ => 1,
        }
    }
}

/// The country that administers a place, from its record: the country whose first-level
/// region `admin1` names when it names one of the field's regions (GeoNames codes a place
/// by the administration it belongs to), else `country`. The two differ for a few border
/// villages whose `country` was taken from an outline: the record of the Kyrgyz village of
/// Dostuk (Batken region) says `TJ`.
///
/// # Examples
/// ```
/// use bordermap::gazetteer::administering_country;
/// assert_eq!(administering_country("TJ", "Batken"), "KG");
/// assert_eq!(administering_country("TJ", "Leninabad"), "TJ");
/// assert_eq!(administering_country("KG", ""), "KG");
/// ```
pub fn administering_country(country: &str, admin1: &str) -> String {
    let region = match admin1.trim() {
        "Batken" | "Osh" | "Osh City" | "Jalal-Abad" | "Chuy" | "Naryn" | "Talas" | "Issyk-Kul"
        | "Bishkek" => "KG",
        "Leninabad"
        | "Sughd"
        | "Khatlon"
        | "Gorno-Badakhshan"
        | "Tadzhikistan Territories"
        | "Dushanbe" => "TJ",
        "Ferghana" | "Fergana" | "Andijon" | "Andijan" | "Namangan" | "Tashkent" | "Sirdaryo"
        | "Samarkand" | "Samarqand" | "Surkhandarya" | "Kashkadarya" | "Jizzakh" => "UZ",
        _ => "",
    };
    if region.is_empty() {
        country.trim().to_string()
    } else {
        region.to_string()
    }
}

/// One place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id: `wof:890420413`, `ne:1514879`, `bm-golovnoy-intake`.
    pub id: String,
    /// The preferred name.
    pub name: String,
    /// What it is.
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Region name.
    pub admin1: String,
    /// District name.
    pub admin2: String,
    /// Position (a representative point for areas).
    pub position: LonLat,
    /// Population where known, else 0.
    pub population: u64,
    /// Radius in metres within which the place (or its extent) lies around `position`.
    pub uncertainty_m: f64,
    /// Where the record comes from.
    pub source: String,
    /// Every other name: Latin variants, Russian, Kyrgyz and Tajik Cyrillic, …
    pub alternate_names: Vec<String>,
}

/// A searchable set of places.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// fold(name) → (place, is the preferred name)
    by_fold: HashMap<String, Vec<(usize, bool)>>,
    /// skeleton(name) → places
    by_skeleton: HashMap<String, Vec<usize>>,
    /// Distinct skeletons, sorted, for fuzzy and partial search.
    skeletons: Vec<String>,
}

impl Gazetteer {
    /// Builds a gazetteer from places.
    pub fn new(places: Vec<Place>) -> Self {
        let mut g = Gazetteer::default();
        for p in places {
            g.push(p);
        }
        g.finish();
        g
    }

    /// Adds places (for example from `--gazetteer`).
    pub fn extend(&mut self, places: Vec<Place>) {
        for p in places {
            self.push(p);
        }
        self.finish();
    }

    fn push(&mut self, p: Place) {
        let i = self.places.len();
        let mut folds: Vec<(String, bool)> = vec![(fold(&p.name), true)];
        let mut skels = vec![skeleton(&p.name)];
        for a in &p.alternate_names {
            folds.push((fold(a), false));
            skels.push(skeleton(a));
        }
        for (f, preferred) in folds {
            if f.is_empty() {
                continue;
            }
            let entry = self.by_fold.entry(f).or_default();
            match entry.iter_mut().find(|(j, _)| *j == i) {
                Some(e) => e.1 |= preferred,
                None => entry.push((i, preferred)),
            }
        }
        skels.sort();
        skels.dedup();
        for s in skels {
            if !s.is_empty() {
                self.by_skeleton.entry(s).or_default().push(i);
            }
        }
        self.places.push(p);
    }

    fn finish(&mut self) {
        self.skeletons = self.by_skeleton.keys().cloned().collect();
        self.skeletons.sort();
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when there are no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The place at `index`.
    pub fn place(&self, index: usize) -> &Place {
        &self.places[index]
    }

    /// All places.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with `id`.
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }
}
