//! What a lookup answers, in the forms the commands need: its JSON form (`locate --format
//! json`), and one point or an error that lists the candidates (`near --place`, `within`,
//! `render --around`).

use super::Gazetteer;
use super::lookup::{Candidate, Context, Lookup};
use crate::error::{Error, Result};
use crate::model::LonLat;

/// A place name resolved to one place ([`Gazetteer::resolve_place`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The place's position.
    pub position: LonLat,
    /// Metres within which the place lies around `position`.
    pub uncertainty_m: f64,
    /// The place ([`Gazetteer::describe`]).
    pub place: String,
    /// Why the name was taken to mean it (the lookup's reason).
    pub reason: String,
}

impl Gazetteer {
    /// The JSON form of a lookup: `{"query", "status", "confidence", "reason", "best",
    /// "candidates"}`, each candidate with its position, kind, admin names, id, how it
    /// matched and its score, and `region_country` when its region is another country's
    /// ([`super::Place::region_country`]).
    pub fn lookup_json(&self, l: &Lookup) -> serde_json::Value {
        let cand = |c: &Candidate| {
            let p = self.place(c.place);
            let mut v = serde_json::json!({
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
            });
            // The sources disagree about the side of the border: the region's country too.
            if let (Some(other), Some(o)) = (p.region_country(), v.as_object_mut()) {
                o.insert("region_country".into(), other.into());
            }
            v
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
        self.resolve_place(name, ctx).map(|r| r.position)
    }

    /// [`resolve`](Self::resolve), with what the name was taken to mean and why, for the
    /// commands to tell the user ("Isfana" is Razzakov, its name since 2022).
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::Context;
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let r = g.resolve_place("Isfana", &Context::default()).unwrap();
    /// assert!(r.place.starts_with("Razzakov (town, "), "{}", r.place);
    /// assert!(r.reason.starts_with("Isfana: former name of Razzakov (until 2022)"));
    /// ```
    pub fn resolve_place(&self, name: &str, ctx: &Context) -> Result<Resolved> {
        if name.trim().is_empty() {
            return Err(Error::Place("the place name is empty".into()));
        }
        let l = self.lookup(name, ctx);
        if let Some(c) = l.best() {
            let p = self.place(c.place);
            return Ok(Resolved {
                position: p.position,
                uncertainty_m: p.uncertainty_m,
                place: self.describe(c.place),
                reason: l.reason.clone(),
            });
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
