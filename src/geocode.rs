//! Geocoding: incidents × gazetteer → located incidents plus diagnostics. Offline, always.
//!
//! For each incident the geocoder first resolves the other places its report names (`near`),
//! then looks up `place` with the report's country, region, district and those positions as
//! context. The outcome is recorded in full (gazetteer id, matched name, method, score,
//! ACLED-style precision and an uncertainty radius), and nothing is silently picked:
//! - *matched*: one place is clearly best;
//! - *district fallback*: the report names a district that no candidate lies in (the only
//!   Teskey in the gazetteer is in Kadamjai, but the report says Batken District), or the
//!   place is unknown: the incident is placed at the district's representative point with
//!   precision 3 and the district's radius, and the reason says so;
//! - *ambiguous*: several places fit; no position is given and the candidates are listed;
//! - *unresolved*: nothing fits; no position, with the reason;
//! - *not placed*: the sources give no place (`scope = "border"` or `"unknown"`): no position
//!   and no border analytics, never a point chosen for them.
//!
//! A report that only says "near X" or that may mean X's area gives `precision = 2` (or 3):
//! the geocoder never reports a place more precisely than the report does.

use crate::error::Diagnostic;
use crate::gazetteer::{Context, Gazetteer, Lookup, Method, PlaceKind, Status};
use crate::model::{Incident, LonLat, Scope};
use crate::names::fold;

/// The outcome of geocoding one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeoStatus {
    /// Located (possibly at district level; see the method).
    Matched,
    /// Several places fit; not located.
    Ambiguous,
    /// No place fits; not located.
    Unresolved,
    /// The sources give no place: deliberately not located.
    NotPlaced,
}

impl GeoStatus {
    /// The snake_case name written to outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            GeoStatus::Matched => "matched",
            GeoStatus::Ambiguous => "ambiguous",
            GeoStatus::Unresolved => "unresolved",
            GeoStatus::NotPlaced => "not_placed",
        }
    }
}

/// Where an incident was placed, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// The point.
    pub position: LonLat,
    /// Gazetteer id (empty for coordinates given in the input).
    pub place_id: String,
    /// The gazetteer's preferred name of the place.
    pub place_name: String,
    /// The name (preferred or alternate) that matched the query.
    pub matched_name: String,
    /// `exact`, `alternate`, `transliterated`, `fuzzy`, `district_fallback` or `given`.
    pub method: String,
    /// The place's kind.
    pub kind: String,
    /// Country, region, district of the place.
    pub country: String,
    /// Region.
    pub admin1: String,
    /// District.
    pub admin2: String,
    /// The name-and-context score of the match.
    pub score: f64,
    /// 0–1.
    pub confidence: f64,
    /// ACLED-style geo precision: 1 the place itself, 2 near it, 3 district or region.
    pub precision: u8,
    /// Radius in metres within which the event is believed to lie.
    pub uncertainty_m: f64,
}

/// A ranked alternative, kept with every result.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateInfo {
    /// Gazetteer id.
    pub id: String,
    /// A description: name, kind, admin names, country.
    pub description: String,
    /// How the name matched.
    pub method: String,
    /// The score.
    pub score: f64,
    /// The position.
    pub position: LonLat,
}

/// A geocoded incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Geocoded {
    /// The incident as read.
    pub incident: Incident,
    /// Matched, ambiguous or unresolved.
    pub status: GeoStatus,
    /// Where it was placed (only when matched).
    pub location: Option<Location>,
    /// The candidates considered, best first.
    pub candidates: Vec<CandidateInfo>,
    /// Why the status is what it is.
    pub reason: String,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Incidents read.
    pub incidents: usize,
    /// Of those, records of totals for a whole conflict or period.
    pub aggregates: usize,
    /// Located (including district fallbacks).
    pub geocoded: usize,
    /// Of those, placed at a village, a town or a site (precision 1 or 2).
    pub at_place: usize,
    /// Of those, placed only at a district (including district fallbacks).
    pub at_district: usize,
    /// Of those, placed only at a region.
    pub at_region: usize,
    /// Of the districts, placed there because the place itself could not be.
    pub district_fallback: usize,
    /// The sources give no place.
    pub not_placed: usize,
    /// Several candidates, not located.
    pub ambiguous: usize,
    /// Not located.
    pub unresolved: usize,
}

/// Counts the outcomes.
pub fn counts(items: &[Geocoded]) -> Counts {
    let mut c = Counts::default();
    for g in items {
        c.add(g);
    }
    c
}

impl Counts {
    /// Counts one more outcome.
    pub fn add(&mut self, g: &Geocoded) {
        self.incidents += 1;
        self.aggregates += usize::from(g.incident.aggregate);
        match (g.status, &g.location) {
            (GeoStatus::Matched, Some(l)) => {
                self.geocoded += 1;
                if l.method == "district_fallback" {
                    self.district_fallback += 1;
                }
                match (l.precision, l.kind.as_str()) {
                    (3, "region") => self.at_region += 1,
                    (3, _) => self.at_district += 1,
                    _ => self.at_place += 1,
                }
            }
            (GeoStatus::Matched, None) | (GeoStatus::Unresolved, _) => self.unresolved += 1,
            (GeoStatus::Ambiguous, _) => self.ambiguous += 1,
            (GeoStatus::NotPlaced, _) => self.not_placed += 1,
        }
    }
}

/// Geocodes every incident. Returns one result per incident, in order, and diagnostics for
/// the ambiguous, unresolved and imprecise ones.
///
/// # Examples
/// ```
/// use bordermap::geocode::{geocode_all, GeoStatus};
/// let g = bordermap::Gazetteer::shipped().unwrap();
/// let mut inc = bordermap::model::tests_support::incident("a");
/// inc.place = "Voruh".into();
/// let (out, diags) = geocode_all(&[inc], &g);
/// assert_eq!(out[0].status, GeoStatus::Matched);
/// assert_eq!(out[0].location.as_ref().unwrap().place_name, "Vorukh");
/// assert!(diags.is_empty());
/// ```
pub fn geocode_all(
    incidents: &[Incident],
    gazetteer: &Gazetteer,
) -> (Vec<Geocoded>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let out = incidents
        .iter()
        .map(|inc| {
            let g = geocode_one(inc, gazetteer);
            let at = format!("incident {:?}", inc.id);
            match g.status {
                GeoStatus::NotPlaced => {}
                GeoStatus::Ambiguous => diags.push(Diagnostic::warning(
                    "ambiguous_place",
                    at,
                    format!("place {:?} is ambiguous: {}", inc.place, g.reason),
                )),
                GeoStatus::Unresolved => diags.push(Diagnostic::warning(
                    "unresolved_place",
                    at,
                    format!("place {:?} is unresolved: {}", inc.place, g.reason),
                )),
                GeoStatus::Matched => {
                    if let Some(l) = g.location.as_ref().filter(|l| l.method == "fuzzy") {
                        diags.push(Diagnostic {
                            severity: crate::error::Severity::Note,
                            kind: "fuzzy_place",
                            location: at.clone(),
                            message: format!(
                                "place {:?} matched by the similar name {:?}: {}",
                                inc.place, l.matched_name, g.reason
                            ),
                        });
                    }
                    if let Some(l) = g
                        .location
                        .as_ref()
                        .filter(|l| l.method == "district_fallback")
                    {
                        diags.push(Diagnostic {
                            severity: crate::error::Severity::Note,
                            kind: "district_fallback",
                            location: at,
                            message: format!(
                                "place {:?} placed at district {} (precision 3, ±{:.0} km): {}",
                                inc.place,
                                l.place_name,
                                l.uncertainty_m / 1000.0,
                                g.reason
                            ),
                        });
                    }
                }
            }
            g
        })
        .collect();
    (out, diags)
}

fn candidates_of(lookup: &Lookup, gazetteer: &Gazetteer) -> Vec<CandidateInfo> {
    lookup
        .candidates
        .iter()
        .map(|c| {
            let p = gazetteer.place(c.place);
            CandidateInfo {
                id: p.id.clone(),
                description: gazetteer.describe(c.place),
                method: c.method.as_str().into(),
                score: (c.score * 1000.0).round() / 1000.0,
                position: p.position,
            }
        })
        .collect()
}

fn location_of(
    gazetteer: &Gazetteer,
    index: usize,
    method: &str,
    matched: &str,
    score: f64,
    confidence: f64,
) -> Location {
    let p = gazetteer.place(index);
    Location {
        position: p.position,
        place_id: p.id.clone(),
        place_name: p.name.clone(),
        matched_name: matched.to_string(),
        method: method.to_string(),
        kind: p.kind.as_str().into(),
        country: p.country.clone(),
        admin1: p.admin1.clone(),
        admin2: p.admin2.clone(),
        score: (score * 1000.0).round() / 1000.0,
        confidence: (confidence * 1000.0).round() / 1000.0,
        precision: p.kind.geo_precision(p.uncertainty_m),
        uncertainty_m: p.uncertainty_m,
    }
}

/// Finds the district `name` (in region `admin1` when given).
fn district(
    gazetteer: &Gazetteer,
    name: &str,
    admin1: Option<&str>,
    country: Option<&str>,
) -> Option<usize> {
    let f = fold(name);
    let mut found: Vec<usize> = gazetteer
        .places()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PlaceKind::District && fold(&p.name) == f)
        .filter(|(_, p)| country.is_none_or(|c| c.eq_ignore_ascii_case(&p.country)))
        .map(|(i, _)| i)
        .collect();
    if found.len() > 1
        && let Some(a) = admin1
    {
        found.retain(|&i| fold(&gazetteer.place(i).admin1) == fold(a));
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Geocodes one incident. See the module docs for the rules.
pub fn geocode_one(inc: &Incident, gazetteer: &Gazetteer) -> Geocoded {
    let done = |status, location, candidates, reason: String| Geocoded {
        incident: inc.clone(),
        status,
        location,
        candidates,
        reason,
    };
    if inc.scope != Scope::Place {
        let why = match inc.scope {
            Scope::Border => {
                "the sources place it on the border as a whole, or on a part they do not name"
            }
            _ => "the sources give no place",
        };
        return done(
            GeoStatus::NotPlaced,
            None,
            vec![],
            format!("not placed: {why}"),
        );
    }
    let mut g = geocode_place(inc, gazetteer);
    if let (Some(p), Some(loc)) = (inc.precision, g.location.as_mut())
        && p > loc.precision
    {
        loc.precision = p;
        g.reason = format!(
            "{}; precision {p} as the report says (\"{}\")",
            g.reason, inc.location
        );
    }
    g
}

/// Geocodes an incident whose sources name a place.
fn geocode_place(inc: &Incident, gazetteer: &Gazetteer) -> Geocoded {
    let done = |status, location, candidates, reason: String| Geocoded {
        incident: inc.clone(),
        status,
        location,
        candidates,
        reason,
    };
    if let Some(position) = inc.position {
        return done(
            GeoStatus::Matched,
            Some(Location {
                position,
                place_id: String::new(),
                place_name: inc.place.clone(),
                matched_name: String::new(),
                method: "given".into(),
                kind: String::new(),
                country: inc.country.clone().unwrap_or_default(),
                admin1: inc.admin1.clone().unwrap_or_default(),
                admin2: inc.admin2.clone().unwrap_or_default(),
                score: 1.0,
                confidence: 1.0,
                precision: 1,
                uncertainty_m: 0.0,
            }),
            vec![],
            "coordinates given in the input".into(),
        );
    }
    // The other places of the report may lie in another region (Vorukh, named in a report
    // about Batken): each is looked up alone first, then within the report's region.
    let in_region = Context {
        admin1: inc.admin1.clone(),
        ..Context::default()
    };
    let near: Vec<LonLat> = inc
        .near
        .iter()
        .filter_map(|n| {
            [Context::default(), in_region.clone()]
                .iter()
                .find_map(|ctx| gazetteer.lookup(n, ctx).best().map(|c| c.place))
                .map(|i| gazetteer.place(i).position)
        })
        .collect();
    let ctx = Context {
        country: inc.country.clone(),
        admin1: inc.admin1.clone(),
        admin2: inc.admin2.clone(),
        near,
    };
    let lookup = gazetteer.lookup(&inc.place, &ctx);
    let candidates = candidates_of(&lookup, gazetteer);

    // Does any candidate agree with the district the report names?
    let in_hinted_district = |i: usize| {
        let p = gazetteer.place(i);
        inc.admin2
            .as_deref()
            .is_none_or(|a| p.admin2.is_empty() || fold(a) == fold(&p.admin2))
    };
    let contradicted = inc.admin2.is_some()
        && match lookup.status {
            Status::Matched => lookup.best().is_some_and(|b| !in_hinted_district(b.place)),
            Status::Ambiguous => !lookup.candidates.iter().any(|c| {
                c.method != Method::Partial
                    && c.method != Method::Fuzzy
                    && in_hinted_district(c.place)
            }),
            Status::NotFound => true,
        };
    if contradicted {
        let hint = inc.admin2.as_deref().unwrap_or_default();
        if let Some(d) = district(
            gazetteer,
            hint,
            inc.admin1.as_deref(),
            inc.country.as_deref(),
        ) {
            let why = match lookup.status {
                Status::NotFound => format!("{}; the report names {hint} district", lookup.reason),
                _ => {
                    let named: Vec<String> = lookup
                        .candidates
                        .iter()
                        .filter(|c| c.method != Method::Partial)
                        .take(3)
                        .map(|c| gazetteer.describe(c.place))
                        .collect();
                    format!(
                        "the report places {:?} in {hint} district, but no gazetteer entry of that name lies there (candidates: {})",
                        inc.place,
                        named.join("; ")
                    )
                }
            };
            return done(
                GeoStatus::Matched,
                Some(location_of(
                    gazetteer,
                    d,
                    "district_fallback",
                    hint,
                    0.0,
                    0.5,
                )),
                candidates,
                why,
            );
        }
    }
    match lookup.status {
        Status::Matched => {
            let best = &lookup.candidates[0];
            let loc = location_of(
                gazetteer,
                best.place,
                best.method.as_str(),
                &best.matched_name,
                best.score,
                lookup.confidence,
            );
            done(
                GeoStatus::Matched,
                Some(loc),
                candidates,
                lookup.reason.clone(),
            )
        }
        Status::Ambiguous => done(
            GeoStatus::Ambiguous,
            None,
            candidates,
            lookup.reason.clone(),
        ),
        Status::NotFound => done(
            GeoStatus::Unresolved,
            None,
            candidates,
            lookup.reason.clone(),
        ),
    }
}
