//! Name lookup: candidates from every spelling, scored by name and context, and an honest
//! decision (matched, ambiguous or not found). The scoring is in the module docs of
//! [`crate::gazetteer`].

use super::{Gazetteer, MARGIN, Place, PlaceKind};
use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::names::{fold, skeleton};
use geo::{Distance, Geodesic};
use serde::Serialize;
use std::collections::HashMap;

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

impl Gazetteer {
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
