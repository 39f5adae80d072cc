//! The gazetteer: the places bordermap knows, and name lookup that ranks candidates honestly.
//!
//! The shipped gazetteer is compiled into the binary from `geodata/gazetteer.csv` (derived
//! from Who's On First / GeoNames and Natural Earth by `bordermap geodata`) and
//! `geodata/places_manual.toml` (places added by hand, each with a cited source and an
//! uncertainty), and read at start-up from `geodata/gazetteer.bin`, where the rebuild stores
//! it built ahead of time. [`Gazetteer::lookup`] returns [`Status::Matched`], [`Status::Ambiguous`] or
//! [`Status::NotFound`] with ranked candidates: a name is never silently picked.
//!
//! | file | what it owns |
//! |---|---|
//! | `mod.rs` | [`Place`], [`PlaceKind`], [`Gazetteer`]: the places |
//! | `index.rs` | building the gazetteer: one place per place (duplicates merged), the name indexes |
//! | `query.rs` | query understanding: feature words, airport codes, Russian adjectival names |
//! | `candidates.rs` | every place a name may mean, and how its name matched |
//! | `lookup.rs` | [`Gazetteer::lookup`]: filters, scores, the decision |
//! | `answer.rs` | a lookup's JSON form ([`Gazetteer::lookup_json`]) and one place or an error ([`Gazetteer::resolve_place`]) |
//! | `airports.rs` | the airports of a town, for "аэропорт X" when no airport is called X, and IATA codes |
//! | `display.rs` | one display name per place (`geodata/display_names.toml`) |
//! | `sources.rs` | [`Gazetteer::shipped`] and the readers of CSV, TOML, GeoNames and GeoJSON places |
//! | `snapshot.rs` | `geodata/gazetteer.bin`: the shipped gazetteer built ahead of time, read at start-up when its sources have not changed |
//!
//! # Decisions
//! - **Query.** A feature word before or after the name ("Sokh enclave", "село Ак-Сай",
//!   "Баткенская область", "аэропорт Ош") is removed and becomes a kind constraint; a Russian
//!   adjectival district or region name is also tried in the nominative; three or four
//!   capital letters that are an airport's IATA or ICAO code find the airport.
//! - **Names.** exact 1.0, alternate or former name 0.985, transliterated or phonetic 0.97
//!   (these differ by less than [`MARGIN`], so spelling alone never decides between places);
//!   a long name differing in vowels only, or by one vowel left out (a romanisation
//!   variant: "Panjkent", "Panjakent") 0.9, as is a name found only with j read as й
//!   (German, Polish and scholarly romanisations: "Kuljab", "Suljukta"), which is tried
//!   when nothing matches with j as дж; a name found only without its feature word scores
//!   0.05 less than the whole query; fuzzy 0.8 for one edit and 0.7 for two; partial (the
//!   query starts the name) 0.6.
//! - **Hard constraints.** The kind from a feature word, and the country, region and district
//!   the user gives, filter the candidates. When nothing is left, the answer is *not found*,
//!   with the places of that name listed and the reason. A place whose record and region
//!   disagree about its country (a few border villages: [`Place::region_country`]) is in
//!   either country for this, and its description names both ("TJ or KG: the sources
//!   disagree").
//! - **Context.** Among what is left: +0.1 country, +0.08 for each matching region and
//!   district, up to +0.15 for a place within 10 km of another place in the report (fading to
//!   0 at 50 km), +0.05 for the kind the word names most directly (a town for "city", a village for "село"), up to
//!   +0.05 for population (log scale, a tie-breaker only; only within [`COVERAGE`], the area
//!   the shipped gazetteer covers in full, so that a city far away cannot outrank a village
//!   of the region by size).
//! - **Decision.** A fuzzy candidate is never chosen while a real name match (exact,
//!   alternate, transliterated) exists anywhere, and is *matched* only when the context
//!   confirms it: within 25 km of another place in the report, or inside the region or
//!   district given. The best candidate is *matched* when it leads the next by at least
//!   [`MARGIN`]; or when every close rival is an area that contains it (the more precise point
//!   is taken and the areas stay listed), unless the point was found by a name it no longer
//!   bears and an area bears today ("Vose", a district and the town of Hulbuk's former name,
//!   is ambiguous); or when it is a city of 50,000 people or more and every other close rival is a place a tenth its size or an area that contains it ("Frunze"
//!   is Bishkek, not the villages named after it); or when it is a town of 10,000 or more and
//!   every other close rival is a village of its country whose name matched no better than
//!   the town's (a name spelt letter for letter as asked beats one equal only without its
//!   marks), or an area that contains it, unless a feature word asks for a village
//!   ("Talas" is the town; "Istiqlol", a Tajik town and three Uzbek villages, is ambiguous;
//!   so is "Шӯроб", the Tajik name of Shurab and, without the mark, one of Yovon's); or
//!   when every close rival is an airport and it alone has an IATA code ("Tashkent airport").
//!   A city or town beyond [`COVERAGE`] takes nothing over a place within it ("Tash-Kurgan"
//!   is not Khulm in Afghanistan over the village of Isfara district).
//!   Otherwise the result is *ambiguous*.
//! - **Airports of towns.** An airport word with a name no airport has ("аэропорт Токмак")
//!   asks for the airport of the town of that name: one within 12 km whose nearest town it is.
//! - **One place per place.** Records of the same place from several sources (the same name
//!   within the larger of their radii) are merged when the gazetteer is built, keeping every
//!   name and source, so they are never rivals; a name that
//!   `geodata/sources/name_corrections.toml` removed from a place stays out of it.

mod airports;
mod answer;
mod candidates;
mod display;
mod index;
pub use index::Extended;
mod lookup;
mod query;
mod snapshot;
mod sources;

pub use answer::Resolved;
pub use candidates::Method;
pub use display::russian_name;
pub use lookup::{Candidate, Context, Lookup, Status};
pub use query::{FeatureKind, Stripped, adjective_stems, looks_like_code, strip_feature_word};
pub use sources::{
    CSV_HEADER, GEONAMES_COLUMNS, NameCorrection, NameCorrections, PlacesRead, geonames_kind,
    load_places, parse_csv, parse_geonames, parse_manual, parse_places_geojson, shipped_snapshot,
};

use crate::model::LonLat;
use foldhash::{HashMap, HashSet};
use serde::{Deserialize, Serialize};

/// The lead the best candidate needs over the next to count as matched.
pub const MARGIN: f64 = 0.04;

/// The area the shipped gazetteer covers, `[west, south, east, north]` in degrees: the clip
/// box of the reference bundle its villages and areas come from (see `geodata/README.md`).
/// Beyond it the shipped gazetteer has only the towns and villages of 500 people or more of
/// Kyrgyzstan and Tajikistan (GeoNames) and six airports; any other place beyond it comes
/// from a user's `--gazetteer` file.
pub const COVERAGE: [f64; 4] = [66.5, 37.0, 75.5, 43.5];

/// True when `p` lies in [`COVERAGE`].
///
/// # Examples
/// ```
/// use bordermap::gazetteer::covered;
/// use bordermap::model::LonLat;
/// assert!(covered(LonLat::new(70.8194, 40.0626).unwrap())); // Batken
/// assert!(!covered(LonLat::new(67.698, 36.697).unwrap())); // Khulm, Afghanistan
/// ```
pub fn covered(p: LonLat) -> bool {
    let [w, s, e, n] = COVERAGE;
    (w..=e).contains(&p.lon()) && (s..=n).contains(&p.lat())
}

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
    region_country(admin1).unwrap_or(country.trim()).to_string()
}

/// The country whose first-level region `admin1` names, when it names one of the field's.
fn region_country(admin1: &str) -> Option<&'static str> {
    match admin1.trim() {
        "Batken" | "Osh" | "Osh City" | "Jalal-Abad" | "Chuy" | "Naryn" | "Talas" | "Issyk-Kul"
        | "Bishkek" => Some("KG"),
        "Leninabad"
        | "Sughd"
        | "Khatlon"
        | "Gorno-Badakhshan"
        | "Tadzhikistan Territories"
        | "Dushanbe" => Some("TJ"),
        "Ferghana" | "Fergana" | "Andijon" | "Andijan" | "Namangan" | "Tashkent" | "Sirdaryo"
        | "Samarkand" | "Samarqand" | "Surkhandarya" | "Kashkadarya" | "Jizzakh" => Some("UZ"),
        _ => None,
    }
}

/// One place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Names the place had before it was renamed, with the year the name ended.
    pub former_names: Vec<FormerName>,
    /// Ids of the records of the same place that were merged into this one.
    pub merged_ids: Vec<String>,
}

impl Place {
    /// The country of the place's region ([`administering_country`]) when it is not the
    /// record's own: the sources disagree about the side of the border the place is on
    /// (the record of Dostuk says Tajikistan, its region Batken, Kyrgyzstan). `None` when
    /// they agree, or when either is unknown. A lookup offers such a place under both
    /// countries and names both.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let dostuk = g.by_id("wof:1310608465").unwrap();
    /// assert_eq!(dostuk.country, "TJ");
    /// assert_eq!(dostuk.region_country(), Some("KG"));
    /// assert_eq!(g.by_id("wof:890420413").unwrap().region_country(), None); // Vorukh
    /// ```
    pub fn region_country(&self) -> Option<&'static str> {
        region_country(&self.admin1).filter(|r| !self.country.is_empty() && *r != self.country)
    }
}

/// A name a place no longer bears: `Leninabad` for Khujand, until 1991.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerName {
    /// The name.
    pub name: String,
    /// The last year it was used, when known.
    pub until: Option<i32>,
}

impl FormerName {
    /// Parses `Leninabad@1991` (or `Leninabad`, year unknown).
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::FormerName;
    /// let f = FormerName::parse("Leninabad@1991").unwrap();
    /// assert_eq!((f.name.as_str(), f.until), ("Leninabad", Some(1991)));
    /// assert_eq!(f.to_string(), "Leninabad@1991");
    /// assert!(FormerName::parse("Frunze@19x1").is_err());
    /// ```
    pub fn parse(s: &str) -> std::result::Result<Self, String> {
        match s.rsplit_once('@') {
            None => Ok(FormerName {
                name: s.to_string(),
                until: None,
            }),
            Some((name, year)) => year
                .parse()
                .map(|y| FormerName {
                    name: name.to_string(),
                    until: Some(y),
                })
                .map_err(|_| format!("former name {s:?}: {year:?} is not a year")),
        }
    }
}

impl std::fmt::Display for FormerName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.until {
            Some(y) => write!(f, "{}@{y}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// How a name belongs to a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Role {
    /// The preferred name.
    Preferred,
    /// An alternate name.
    Alternate,
    /// A former name.
    Former,
}

/// One name of one place, as the indexes hold it: the place, the name's role and its
/// position in the place's list of that role (names are only ever appended, so it stays
/// valid as records merge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct NameRef {
    pub(crate) place: usize,
    pub(crate) role: Role,
    pub(crate) idx: u32,
}

impl Place {
    /// The name a [`NameRef`] points at.
    pub(crate) fn name_at(&self, r: NameRef) -> &str {
        let i = r.idx as usize;
        match r.role {
            Role::Preferred => &self.name,
            Role::Alternate => self.alternate_names.get(i).map_or(&self.name, |s| s),
            Role::Former => self.former_names.get(i).map_or(&self.name, |f| &f.name),
        }
    }
}

/// A searchable set of places.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// fold(name) → the names with that fold, one (the most preferred) per place
    by_fold: HashMap<String, Vec<NameRef>>,
    /// skeleton(name) → the names with that skeleton, one per place
    by_skeleton: HashMap<String, Vec<NameRef>>,
    /// fold / skeleton of a name without its feature word (`osh` for `Osh Airport`) → names;
    /// consulted only for a query that has a feature word.
    by_base_fold: HashMap<String, Vec<NameRef>>,
    by_base_skeleton: HashMap<String, Vec<NameRef>>,
    /// Distinct skeletons, sorted, for partial (prefix) search.
    skeletons: Vec<String>,
    /// The skeletons by length in characters: (letter mask, index in `skeletons`), for fuzzy
    /// search.
    by_length: Vec<Vec<(u64, u32)>>,
    /// fold of every name of a region → fold of its preferred name; the same for districts.
    region_keys: HashMap<String, String>,
    district_keys: HashMap<String, String>,
    /// fold of a region's preferred name → its country (empty when regions of two countries
    /// share the name): a place of unknown region in another country is not in it.
    region_country: HashMap<String, String>,
    /// skeleton, and consonants of the skeleton, of a region that is no place (only its
    /// places' `admin1`) → its key; empty when two such regions share one.
    region_skeletons: HashMap<String, String>,
    /// place id → the folds of names that are known not to be its own (the dropped names of
    /// `name_corrections.toml`): a record merged into the place does not bring them back.
    not_its_names: HashMap<String, HashSet<String>>,
    /// The airports, and the towns by latitude (latitude, index): the places that an airport
    /// asked for by its town's name ("аэропорт Токмак") is looked for among.
    airports: Vec<usize>,
    towns_by_lat: Vec<(f64, usize)>,
}

impl Gazetteer {
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

    /// The place with `id`, or the place a record with that id was merged into.
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id).or_else(|| {
            self.places
                .iter()
                .find(|p| p.merged_ids.iter().any(|m| m == id))
        })
    }
}
