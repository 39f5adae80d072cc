//! The gazetteer: the places bordermap knows, and name lookup that ranks candidates honestly.
//!
//! The shipped gazetteer is compiled into the binary from `geodata/gazetteer.csv` (derived
//! from Who's On First / GeoNames and Natural Earth by `bordermap geodata`) and
//! `geodata/places_manual.toml` (places added by hand, each with a cited source and an
//! uncertainty). [`Gazetteer::lookup`] returns [`Status::Matched`], [`Status::Ambiguous`] or
//! [`Status::NotFound`] with ranked candidates: a name is never silently picked.
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

use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::names::{fold, skeleton};
use geo::{Distance, Geodesic};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

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

/// How a query matched a place's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The preferred name, ignoring case, diacritics and punctuation.
    Exact,
    /// One of the alternate names.
    Alternate,
    /// Through transliteration or phonetic spelling variants (Ворух, Voruh, Woruch).
    Transliterated,
    /// Within one or two edits (typos).
    Fuzzy,
    /// The query begins the name (`Batken` in `Batken Airport`): a candidate only.
    Partial,
}

impl Method {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Alternate => "alternate",
            Method::Transliterated => "transliterated",
            Method::Fuzzy => "fuzzy",
            Method::Partial => "partial",
        }
    }
}

/// The outcome of a lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One place is clearly best.
    Matched,
    /// Several places fit about equally well; see the candidates.
    Ambiguous,
    /// No place fits.
    NotFound,
}

impl Status {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Matched => "matched",
            Status::Ambiguous => "ambiguous",
            Status::NotFound => "not_found",
        }
    }
}

/// Context that helps choose between places of the same name.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// ISO2 country the place is expected in.
    pub country: Option<String>,
    /// Region the place is expected in.
    pub admin1: Option<String>,
    /// District the place is expected in.
    pub admin2: Option<String>,
    /// Positions of other places named in the same report.
    pub near: Vec<LonLat>,
}

/// One ranked candidate.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index of the place in the gazetteer.
    pub place: usize,
    /// How the name matched.
    pub method: Method,
    /// The name (preferred or alternate) that matched.
    pub matched_name: String,
    /// The name part of the score.
    pub name_score: f64,
    /// The full score, with context.
    pub score: f64,
}

/// The result of [`Gazetteer::lookup`].
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The name looked up.
    pub query: String,
    /// Matched, ambiguous or not found.
    pub status: Status,
    /// Candidates, best first (at most ten).
    pub candidates: Vec<Candidate>,
    /// 0–1: how sure the match is (0 unless matched).
    pub confidence: f64,
    /// Why the status is what it is, in words.
    pub reason: String,
}

impl Lookup {
    /// The chosen candidate, when matched.
    pub fn best(&self) -> Option<&Candidate> {
        match self.status {
            Status::Matched => self.candidates.first(),
            _ => None,
        }
    }
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

use crate::shipped::{GAZETTEER_CSV as SHIPPED_CSV, PLACES_MANUAL_TOML as SHIPPED_MANUAL};

impl Gazetteer {
    /// The gazetteer compiled into the binary: the derived places plus the hand-added ones.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// assert!(g.len() > 5000);
    /// ```
    pub fn shipped() -> Result<Self> {
        let mut places = parse_csv(Path::new("geodata/gazetteer.csv"), SHIPPED_CSV)?;
        places.extend(parse_manual(
            Path::new("geodata/places_manual.toml"),
            SHIPPED_MANUAL,
        )?);
        Ok(Gazetteer::new(places))
    }

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

    /// Looks a name up, ranking candidates by name and context. See the module docs.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::{Context, Status};
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let hit = g.lookup("Ворух", &Context::default());
    /// assert_eq!(hit.status, Status::Matched);
    /// let best = g.place(hit.best().unwrap().place);
    /// assert_eq!(best.name, "Vorukh");
    /// ```
    pub fn lookup(&self, query: &str, ctx: &Context) -> Lookup {
        let mut best: HashMap<usize, (Method, f64, String)> = HashMap::new();
        let mut offer = |i: usize, m: Method, s: f64, name: &str| {
            let e = best.entry(i).or_insert((m, s, name.to_string()));
            if s > e.1 {
                *e = (m, s, name.to_string());
            }
        };
        let qf = fold(query);
        let qs = skeleton(query);
        if let Some(hits) = self.by_fold.get(&qf) {
            for &(i, preferred) in hits {
                let (m, s) = if preferred {
                    (Method::Exact, 1.0)
                } else {
                    (Method::Alternate, 0.985)
                };
                offer(i, m, s, &self.name_matching(i, |n| fold(n) == qf));
            }
        }
        if let Some(hits) = self.by_skeleton.get(&qs) {
            for &i in hits {
                offer(
                    i,
                    Method::Transliterated,
                    0.97,
                    &self.name_matching(i, |n| skeleton(n) == qs),
                );
            }
        }
        let qlen = qs.chars().count();
        let qlatin = latin(query);
        if qlen >= 4 {
            for s in &self.skeletons {
                if *s == qs {
                    continue;
                }
                let slen = s.chars().count();
                let allowed = if qlen >= 8 { 2 } else { 1 };
                if qlen >= 5 && slen.abs_diff(qlen) <= allowed {
                    let d = strsim::damerau_levenshtein(&qs, s);
                    if d <= allowed {
                        let score = if d == 1 { 0.8 } else { 0.7 };
                        for &i in &self.by_skeleton[s] {
                            let name = self.name_matching(i, |n| skeleton(n) == *s);
                            // The phonetic key folds a lot (x→h, y→i, doubled letters), so a
                            // typo must also be a typo in plain Latin spelling: "Xyzzyqq" is
                            // one key-edit from "Kyzyk" but nothing like it.
                            if strsim::damerau_levenshtein(&qlatin, &latin(&name)) <= allowed + 1 {
                                offer(i, Method::Fuzzy, score, &name);
                            }
                        }
                        continue;
                    }
                }
                if slen > qlen && s.starts_with(&qs) {
                    for &i in &self.by_skeleton[s] {
                        offer(
                            i,
                            Method::Partial,
                            0.6,
                            &self.name_matching(i, |n| skeleton(n) == *s),
                        );
                    }
                }
            }
        }

        let mut candidates: Vec<Candidate> = best
            .into_iter()
            .map(|(i, (method, name_score, matched_name))| Candidate {
                place: i,
                method,
                matched_name,
                name_score,
                score: name_score + self.context_score(&self.places[i], ctx),
            })
            .collect();
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| self.places[a.place].id.cmp(&self.places[b.place].id))
        });
        candidates.truncate(10);
        self.decide(query, candidates)
    }

    fn name_matching(&self, i: usize, pred: impl Fn(&str) -> bool) -> String {
        let p = &self.places[i];
        std::iter::once(&p.name)
            .chain(&p.alternate_names)
            .find(|n| pred(n))
            .unwrap_or(&p.name)
            .clone()
    }

    fn context_score(&self, p: &Place, ctx: &Context) -> f64 {
        let mut s = 0.0;
        if let Some(c) = &ctx.country {
            s += if c.eq_ignore_ascii_case(&p.country) {
                0.1
            } else {
                -0.25
            };
        }
        let admin1 = ctx.admin1.as_deref().map(region_alias);
        if let Some(a) = &admin1
            && !p.admin1.is_empty()
        {
            s += if *a == region_alias(&p.admin1) {
                0.08
            } else {
                -0.1
            };
        }
        if let Some(a) = &ctx.admin2
            && !p.admin2.is_empty()
        {
            s += if fold(a) == fold(&p.admin2) {
                0.08
            } else {
                -0.1
            };
        }
        if !ctx.near.is_empty() {
            let d = ctx
                .near
                .iter()
                .map(|n| Geodesic.distance(n.point(), p.position.point()))
                .fold(f64::INFINITY, f64::min);
            s += if d <= 10_000.0 {
                0.15
            } else if d < 50_000.0 {
                0.15 * (50_000.0 - d) / 40_000.0
            } else {
                0.0
            };
        }
        if p.population > 0 {
            s += 0.05 * ((p.population as f64).log10() / 6.0).min(1.0);
        }
        s
    }

    /// True when area `a` contains point place `p` (by its admin names, or by distance).
    fn contains(&self, a: &Place, p: &Place) -> bool {
        match a.kind {
            PlaceKind::Region => region_alias(&a.name) == region_alias(&p.admin1),
            PlaceKind::District => {
                fold(&a.name) == fold(&p.admin2)
                    || Geodesic.distance(a.position.point(), p.position.point()) <= a.uncertainty_m
            }
            _ => Geodesic.distance(a.position.point(), p.position.point()) <= a.uncertainty_m,
        }
    }

    fn decide(&self, query: &str, candidates: Vec<Candidate>) -> Lookup {
        let lookup = |status, candidates, confidence, reason: String| Lookup {
            query: query.to_string(),
            status,
            candidates,
            confidence,
            reason,
        };
        let Some(top) = candidates.first() else {
            return lookup(
                Status::NotFound,
                candidates,
                0.0,
                format!("no place in the gazetteer is called {query:?} or anything close"),
            );
        };
        if top.method == Method::Partial {
            let names: Vec<String> = candidates
                .iter()
                .take(3)
                .map(|c| self.places[c.place].name.clone())
                .collect();
            return lookup(
                Status::NotFound,
                candidates,
                0.0,
                format!(
                    "no place is called {query:?}; names that begin with it: {}",
                    names.join(", ")
                ),
            );
        }
        let top_score = top.score;
        let top_name_score = top.name_score;
        let confidence = |margin: f64| (top_name_score * (0.6 + margin.min(0.1) * 4.0)).min(1.0);
        // Close rivals: within MARGIN of the best.
        let group: Vec<usize> = candidates
            .iter()
            .take_while(|c| top_score - c.score < MARGIN)
            .map(|c| c.place)
            .collect();
        if group.len() == 1 {
            let margin = candidates.get(1).map_or(0.1, |c| top_score - c.score);
            let reason = match candidates.get(1) {
                None => "the only candidate".to_string(),
                Some(c) => format!(
                    "leads the next candidate ({}) by {:.2}",
                    self.describe(c.place),
                    margin
                ),
            };
            return lookup(Status::Matched, candidates, confidence(margin), reason);
        }
        // Take the one point that every other close candidate contains (a town and its
        // district, region or enclave of the same name).
        let points: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| !self.places[i].kind.is_area())
            .collect();
        if let [point] = points.as_slice() {
            let pp = &self.places[*point];
            let others: Vec<usize> = group.iter().copied().filter(|i| i != point).collect();
            if others.iter().all(|&i| self.contains(&self.places[i], pp)) {
                let mut ranked = candidates;
                ranked.sort_by_key(|c| c.place != *point);
                let areas: Vec<String> = others.iter().map(|&i| self.describe(i)).collect();
                return lookup(
                    Status::Matched,
                    ranked,
                    confidence(0.05),
                    format!(
                        "the {} is taken over the areas of the same name that contain it: {}",
                        pp.kind.as_str(),
                        areas.join("; ")
                    ),
                );
            }
        }
        // Two records of one place (a GeoNames point and a hand-added one, or a locality and
        // its neighbourhood): every close rival is a point within the top's radius.
        let tp = &self.places[top.place];
        let same_place = group.iter().skip(1).all(|&i| {
            let p = &self.places[i];
            !p.kind.is_area()
                && !tp.kind.is_area()
                && Geodesic.distance(tp.position.point(), p.position.point())
                    <= tp.uncertainty_m.max(p.uncertainty_m)
        });
        if same_place {
            let others: Vec<String> = group.iter().skip(1).map(|&i| self.describe(i)).collect();
            return lookup(
                Status::Matched,
                candidates,
                confidence(0.05),
                format!(
                    "the close candidates are records of the same place within its radius: {}",
                    others.join("; ")
                ),
            );
        }
        let names: Vec<String> = group.iter().map(|&i| self.describe(i)).collect();
        lookup(
            Status::Ambiguous,
            candidates,
            0.0,
            format!(
                "{} places fit about equally well: {}; give a country, region or nearby place",
                group.len(),
                names.join("; ")
            ),
        )
    }

    /// A short description of a place: `Kek-Tash (village, Batken/Batken, KG; wof:1326925295)`.
    pub fn describe(&self, index: usize) -> String {
        let p = &self.places[index];
        let admin = [p.admin1.as_str(), p.admin2.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        format!(
            "{} ({}, {}{}{}; {})",
            p.name,
            p.kind.as_str(),
            admin,
            if admin.is_empty() { "" } else { ", " },
            p.country,
            p.id
        )
    }

    /// The JSON form of a lookup: `{"query", "status", "confidence", "reason", "best",
    /// "candidates"}`, each candidate with its position, kind, admin names, id, how it
    /// matched and its score.
    pub fn lookup_json(&self, l: &Lookup) -> serde_json::Value {
        let cand = |c: &Candidate| {
            let p = self.place(c.place);
            serde_json::json!({
                "name": p.name,
                "lat": p.position.lat(),
                "lon": p.position.lon(),
                "country": p.country,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "kind": p.kind.as_str(),
                "id": p.id,
                "method": c.method.as_str(),
                "matched_name": c.matched_name,
                "score": (c.score * 1000.0).round() / 1000.0,
                "uncertainty_m": p.uncertainty_m,
                "geo_precision": p.kind.geo_precision(p.uncertainty_m),
            })
        };
        serde_json::json!({
            "query": l.query,
            "status": l.status.as_str(),
            "confidence": (l.confidence * 1000.0).round() / 1000.0,
            "reason": l.reason,
            "best": l.best().map(cand),
            "candidates": l.candidates.iter().map(cand).collect::<Vec<_>>(),
        })
    }

    /// Resolves a place name to one point, for the commands that take a place instead of
    /// coordinates (`near --place`, `render --around`). An empty, ambiguous or unknown name
    /// is an [`Error::Place`] (exit code 1) that gives the reason and lists the candidates
    /// with their positions.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::Context;
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let p = g.resolve("Vorukh", &Context::default()).unwrap();
    /// assert!((p.lat() - 39.85).abs() < 0.01);
    /// let e = g.resolve("Kok-Tash", &Context::default()).unwrap_err().to_string();
    /// assert!(e.contains("ambiguous") && e.contains("candidates"), "{e}");
    /// ```
    pub fn resolve(&self, name: &str, ctx: &Context) -> Result<LonLat> {
        if name.trim().is_empty() {
            return Err(Error::Place("the place name is empty".into()));
        }
        let l = self.lookup(name, ctx);
        if let Some(c) = l.best() {
            return Ok(self.place(c.place).position);
        }
        let cands: Vec<String> = l
            .candidates
            .iter()
            .take(6)
            .map(|c| {
                let p = self.place(c.place);
                format!(
                    "{} at {:.4}, {:.4}",
                    self.describe(c.place),
                    p.position.lat(),
                    p.position.lon()
                )
            })
            .collect();
        Err(Error::Place(format!(
            "place {name:?} is {}: {}{}",
            l.status.as_str().replace('_', " "),
            l.reason,
            if cands.is_empty() {
                String::new()
            } else {
                format!("\ncandidates:\n  {}", cands.join("\n  "))
            }
        )))
    }
}

/// A name in plain lower-case Latin letters and digits (transliterated, nothing folded).
fn latin(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Region names differ between sources: WOF calls Sughd "Leninabad".
fn region_alias(name: &str) -> String {
    let f = fold(name);
    match f.as_str() {
        "sughd" | "sugd" | "soghd" | "leninobod" | "leninabad" | "sughdregion" => {
            "leninabad".into()
        }
        "batkenregion" => "batken".into(),
        _ => f,
    }
}

/// Column order of `geodata/gazetteer.csv`.
pub const CSV_HEADER: [&str; 12] = [
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "uncertainty_m",
    "source",
    "alternate_names",
];

/// Parses the gazetteer CSV (see [`CSV_HEADER`]; alternate names are separated by `|`).
///
/// # Examples
/// ```
/// use std::path::Path;
/// let csv = "id,name,kind,country,admin1,admin2,lat,lon,population,uncertainty_m,source,alternate_names\n\
///            wof:1,Vorukh,village,TJ,Leninabad,Isfara,39.85125,70.58012,3836,1500,WOF,Ворух|Voruh\n";
/// let places = bordermap::gazetteer::parse_csv(Path::new("g.csv"), csv).unwrap();
/// assert_eq!(places[0].alternate_names, ["Ворух", "Voruh"]);
/// ```
pub fn parse_csv(path: &Path, text: &str) -> Result<Vec<Place>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::record(path, "line 1", e.to_string()))?
        .clone();
    if header.iter().collect::<Vec<_>>() != CSV_HEADER {
        return Err(Error::record(
            path,
            "line 1",
            format!(
                "unexpected header {:?}; expected {}",
                header.iter().collect::<Vec<_>>().join(","),
                CSV_HEADER.join(",")
            ),
        ));
    }
    let mut places = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::record(path, format!("line {line}"), e.to_string())
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let at = format!("line {line}");
        let num = |col: usize| -> Result<f64> {
            let v = &row[col];
            let x: f64 = v.trim().parse().map_err(|_| {
                Error::record(
                    path,
                    &at,
                    format!("column {}: {v:?} is not a number", CSV_HEADER[col]),
                )
            })?;
            if !x.is_finite() {
                return Err(Error::record(
                    path,
                    &at,
                    format!("column {}: {v:?} is not a finite number", CSV_HEADER[col]),
                ));
            }
            Ok(x)
        };
        let (lat, lon) = (num(6)?, num(7)?);
        let position = LonLat::new(lon, lat).map_err(|m| Error::record(path, &at, m))?;
        let kind = PlaceKind::parse(&row[2])
            .ok_or_else(|| Error::record(path, &at, format!("unknown kind {:?}", &row[2])))?;
        let population = num(8)?.max(0.0) as u64;
        let uncertainty_m = num(9)?;
        places.push(Place {
            id: row[0].to_string(),
            name: row[1].to_string(),
            kind,
            country: row[3].to_string(),
            admin1: row[4].to_string(),
            admin2: row[5].to_string(),
            position,
            population,
            uncertainty_m,
            source: row[10].to_string(),
            alternate_names: row[11]
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(places)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManualFile {
    #[serde(default)]
    place: Vec<toml::Spanned<ManualPlace>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManualPlace {
    id: String,
    name: String,
    kind: String,
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    admin2: String,
    lat: f64,
    lon: f64,
    uncertainty_m: f64,
    #[serde(default)]
    alternate_names: Vec<String>,
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// Parses hand-added places (`geodata/places_manual.toml`): each needs a source and an
/// uncertainty.
pub fn parse_manual(path: &Path, text: &str) -> Result<Vec<Place>> {
    let syntax = |at: usize, message: String| crate::input::syntax_at(path, text, at, message);
    let file: ManualFile =
        toml::from_str(text).map_err(|e| crate::input::toml_error(path, text, &e))?;
    let mut out = Vec::new();
    for sp in file.place {
        let start = sp.span().start;
        let m = sp.into_inner();
        let who = format!("place {:?}", m.id);
        let position =
            LonLat::new(m.lon, m.lat).map_err(|e| syntax(start, format!("{who}: {e}")))?;
        let kind = PlaceKind::parse(&m.kind)
            .ok_or_else(|| syntax(start, format!("{who}: unknown kind {:?}", m.kind)))?;
        if !(m.uncertainty_m.is_finite() && m.uncertainty_m > 0.0) {
            return Err(syntax(
                start,
                format!(
                    "{who}: uncertainty_m must be a positive number of metres, got {}",
                    m.uncertainty_m
                ),
            ));
        }
        if m.source.trim().is_empty() {
            return Err(syntax(start, format!("{who} has no source")));
        }
        out.push(Place {
            id: m.id,
            name: m.name,
            kind,
            country: m.country,
            admin1: m.admin1,
            admin2: m.admin2,
            position,
            population: 0,
            uncertainty_m: m.uncertainty_m,
            source: m.source,
            alternate_names: m.alternate_names,
        });
    }
    Ok(out)
}

/// The columns of a GeoNames dump (`allCountries.txt`, `KG.txt`, …), in their official order.
pub const GEONAMES_COLUMNS: [&str; 19] = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
];

/// The kind and uncertainty radius (metres) of a GeoNames feature class and code.
///
/// | class / code | kind | radius |
/// |---|---|---|
/// | `A` `ADM1` | region | 100 km |
/// | `A` `ADM2` | district | 25 km |
/// | `P` `PPLC`, `PPLA*`, or population ≥ 10 000 | town | 5 km |
/// | `P` other | village | 2 km |
/// | `S` `AIRP`, `AIRF`, `AIRH` | airport | 2 km |
/// | `S` `PSTB`, `PSTC`, `MILB` (border post, customs post, military base) | border post | 1 km |
/// | `H` `CNL*`, `RSV`, `DAM`, `RSVI` | water facility | 1 km |
/// | `R` (roads, railways) | road section | 5 km |
/// | anything else | village | 2 km |
///
/// # Examples
/// ```
/// use bordermap::gazetteer::{geonames_kind, PlaceKind};
/// assert_eq!(geonames_kind("P", "PPL", 3836), (PlaceKind::Village, 2_000.0));
/// assert_eq!(geonames_kind("A", "ADM2", 0), (PlaceKind::District, 25_000.0));
/// ```
pub fn geonames_kind(class: &str, code: &str, population: u64) -> (PlaceKind, f64) {
    match (class, code) {
        ("A", "ADM1") => (PlaceKind::Region, 100_000.0),
        ("A", "ADM2") => (PlaceKind::District, 25_000.0),
        ("P", c) if c == "PPLC" || c.starts_with("PPLA") || population >= 10_000 => {
            (PlaceKind::Town, 5_000.0)
        }
        ("P", _) => (PlaceKind::Village, 2_000.0),
        ("S", "AIRP" | "AIRF" | "AIRH") => (PlaceKind::Airport, 2_000.0),
        ("S", "PSTB" | "PSTC" | "MILB") => (PlaceKind::BorderPost, 1_000.0),
        ("H", c) if c.starts_with("CNL") || matches!(c, "RSV" | "DAM" | "RSVI") => {
            (PlaceKind::WaterFacility, 1_000.0)
        }
        ("R", _) => (PlaceKind::RoadSection, 5_000.0),
        _ => (PlaceKind::Village, 2_000.0),
    }
}

/// Parses a GeoNames dump: tab-separated, no header, the 19 columns of [`GEONAMES_COLUMNS`].
///
/// The id becomes `geonames:<geonameid>`; `asciiname` and the comma-separated
/// `alternatenames` become alternate names; the kind and radius follow [`geonames_kind`].
/// Admin codes are numbers in GeoNames, not names, so `admin1`/`admin2` are left empty (a
/// code would contradict a region hint written as a name). Blank lines are skipped. A bad
/// number is an error naming the file, the line, the column and the value.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let row = "9990001\tQoraqum\tQoraqum\tKorakum,Қорақум\t39.9\t70.6\tP\tPPL\tTJ\t\t05\t\t\t\t120\t\t900\tAsia/Dushanbe\t2024-01-01\n";
/// let places = bordermap::gazetteer::parse_geonames(Path::new("g.tsv"), row).unwrap();
/// assert_eq!(places[0].id, "geonames:9990001");
/// assert_eq!(places[0].alternate_names, ["Korakum", "Қорақум"]);
/// let bad = row.replace("\t39.9\t", "\t39,9\t");
/// let err = bordermap::gazetteer::parse_geonames(Path::new("g.tsv"), &bad).unwrap_err();
/// assert_eq!(err.to_string(), "g.tsv: line 1: column 5 (latitude): \"39,9\" is not a number");
/// ```
pub fn parse_geonames(path: &Path, text: &str) -> Result<Vec<Place>> {
    let source = format!(
        "GeoNames ({})",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into()
        )
    );
    let mut places = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("line {}", i + 1);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || (i == 0 && line.starts_with("geonameid")) {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != GEONAMES_COLUMNS.len() {
            return Err(Error::record(
                path,
                at,
                format!(
                    "expected {} tab-separated columns (the GeoNames layout: {}), got {}",
                    GEONAMES_COLUMNS.len(),
                    GEONAMES_COLUMNS.join(", "),
                    cols.len()
                ),
            ));
        }
        let number = |col: usize| -> Result<f64> {
            let v = cols[col];
            let bad = |what: &str| {
                Error::record(
                    path,
                    &at,
                    format!(
                        "column {} ({}): {v:?} is not {what}",
                        col + 1,
                        GEONAMES_COLUMNS[col]
                    ),
                )
            };
            let x: f64 = v.trim().parse().map_err(|_| bad("a number"))?;
            if x.is_finite() {
                Ok(x)
            } else {
                Err(bad("a finite number"))
            }
        };
        let (lat, lon) = (number(4)?, number(5)?);
        let position = LonLat::new(lon, lat).map_err(|m| Error::record(path, &at, m))?;
        let population = if cols[14].trim().is_empty() {
            0
        } else {
            let p = number(14)?;
            if p < 0.0 || p.fract() != 0.0 {
                return Err(Error::record(
                    path,
                    &at,
                    format!(
                        "column 15 (population): {:?} is not a whole number ≥ 0",
                        cols[14]
                    ),
                ));
            }
            p as u64
        };
        if cols[0].trim().is_empty() || cols[1].trim().is_empty() {
            return Err(Error::record(
                path,
                at,
                "the geonameid and the name must not be empty",
            ));
        }
        let (kind, uncertainty_m) = geonames_kind(cols[6].trim(), cols[7].trim(), population);
        let mut alternate_names: Vec<String> = Vec::new();
        for a in std::iter::once(cols[2]).chain(cols[3].split(',')) {
            let a = a.trim();
            if !a.is_empty() && a != cols[1] && !alternate_names.iter().any(|x| x == a) {
                alternate_names.push(a.to_string());
            }
        }
        places.push(Place {
            id: format!("geonames:{}", cols[0].trim()),
            name: cols[1].trim().to_string(),
            kind,
            country: cols[8].trim().to_string(),
            admin1: String::new(),
            admin2: String::new(),
            position,
            population,
            uncertainty_m,
            source: source.clone(),
            alternate_names,
        });
    }
    Ok(places)
}

/// Parses a GeoJSON FeatureCollection of places: Point features with the properties `name`
/// (required), `alternatenames` (a comma-separated string or an array of strings),
/// `country`, `kind` (a [`PlaceKind`] name, default `village`), and optionally `admin1`,
/// `admin2`, `population` and `uncertainty_m` (default: the kind's radius in
/// [`geonames_kind`] terms, 2 km for a village). The id is the feature's id.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"post-7",
///   "geometry":{"type":"Point","coordinates":[70.6,39.9]},
///   "properties":{"name":"Qoraqum Post","alternatenames":"Qoraqum,Қорақум","country":"TJ","kind":"border_post"}}]}"#;
/// let places = bordermap::gazetteer::parse_places_geojson(Path::new("p.geojson"), text).unwrap();
/// assert_eq!(places[0].kind.as_str(), "border_post");
/// assert_eq!(places[0].alternate_names.len(), 2);
/// ```
pub fn parse_places_geojson(path: &Path, text: &str) -> Result<Vec<Place>> {
    use serde_json::Value;
    let source = format!(
        "places file {}",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into()
        )
    );
    let features = crate::geojson_io::read_points(path, text)?;
    let mut places = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let at = format!("feature {i} (id {:?})", f.id);
        let props = f.properties.to_map();
        let text_prop = |key: &str| -> Result<String> {
            match props.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.trim().to_string()),
                Some(other) => Err(Error::record(
                    path,
                    &at,
                    format!("property {key:?} must be a string, got {other}"),
                )),
            }
        };
        let num_prop = |key: &str| -> Result<Option<f64>> {
            match props.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_f64().filter(|x| x.is_finite() && *x >= 0.0)),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        Error::record(
                            path,
                            &at,
                            format!("property {key:?}: {s:?} is not a number ≥ 0"),
                        )
                    }),
                Some(other) => Err(Error::record(
                    path,
                    &at,
                    format!("property {key:?}: {other} is not a number ≥ 0"),
                )),
            }
        };
        let position = f
            .position
            .ok_or_else(|| Error::record(path, &at, "a place needs a Point geometry, got null"))?;
        let name = text_prop("name")?;
        if name.is_empty() {
            return Err(Error::record(
                path,
                &at,
                "the property \"name\" is missing or empty",
            ));
        }
        let kind_text = text_prop("kind")?;
        let kind = if kind_text.is_empty() {
            PlaceKind::Village
        } else {
            PlaceKind::parse(&kind_text).ok_or_else(|| {
                Error::record(
                    path,
                    &at,
                    format!(
                        "unknown kind {kind_text:?}; expected one of {}",
                        PlaceKind::ALL.map(PlaceKind::as_str).join(", ")
                    ),
                )
            })?
        };
        let default_radius = match kind {
            PlaceKind::Region => 100_000.0,
            PlaceKind::District => 25_000.0,
            PlaceKind::Town | PlaceKind::RoadSection | PlaceKind::Enclave => 5_000.0,
            PlaceKind::BorderPost | PlaceKind::WaterFacility => 1_000.0,
            PlaceKind::Village | PlaceKind::Airport => 2_000.0,
        };
        let uncertainty_m = num_prop("uncertainty_m")?
            .filter(|x| *x > 0.0)
            .unwrap_or(default_radius);
        let population = num_prop("population")?.unwrap_or(0.0) as u64;
        let alternate_names: Vec<String> = match props.get("alternatenames") {
            None | Some(Value::Null) => vec![],
            Some(Value::String(s)) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    other => Err(Error::record(
                        path,
                        &at,
                        format!("alternatenames must hold strings, got {other}"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(Error::record(
                    path,
                    &at,
                    format!(
                        "alternatenames must be a comma-separated string or an array, got {other}"
                    ),
                ));
            }
        };
        places.push(Place {
            id: f.id.clone(),
            name,
            kind,
            country: text_prop("country")?.to_uppercase(),
            admin1: text_prop("admin1")?,
            admin2: text_prop("admin2")?,
            position,
            population,
            uncertainty_m,
            source: source.clone(),
            alternate_names,
        });
    }
    Ok(places)
}

/// Reads places from a `--gazetteer` file: a GeoJSON FeatureCollection of places (the text
/// starts with `{`) or a GeoNames dump (anything else). See [`parse_places_geojson`] and
/// [`parse_geonames`].
pub fn load_places(path: &Path, cap: u64) -> Result<Vec<Place>> {
    let text = crate::input::read_text(path, cap)?;
    if text.trim_start().starts_with('{') {
        parse_places_geojson(path, &text)
    } else {
        parse_geonames(path, &text)
    }
}
