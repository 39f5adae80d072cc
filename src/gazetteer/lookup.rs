//! Name lookup: candidates from every spelling, scored by name and context, and an honest
//! decision (matched, ambiguous or not found). The scoring is in the module docs of
//! [`crate::gazetteer`].

use super::airports::iata_code;
use super::candidates::{Class, Hit, Hits, Method, WORD_PENALTY, class};
use super::query::{
    FeatureKind, adjective_stems, admin_key, consonants, looks_like_code, strip_feature_word,
};
use super::{Gazetteer, MARGIN, Place, PlaceKind, covered};
use crate::model::LonLat;
use crate::names::{fold, skeleton};
use geo::{Distance, Geodesic};
use serde::Serialize;

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
    /// Region the place is expected in (a place of unknown region counts as in it unless it
    /// is in another country). A region the gazetteer does not know narrows nothing, and
    /// the lookup's reason says so.
    pub admin1: Option<String>,
    /// District the place is expected in (likewise).
    pub admin2: Option<String>,
    /// Positions of other places named in the same report.
    pub near: Vec<LonLat>,
}

/// A context with the region and district it names resolved to their keys, once per lookup
/// (every candidate is tested against them).
struct Asked<'a> {
    context: &'a Context,
    region: Option<String>,
    district: Option<String>,
}

impl std::ops::Deref for Asked<'_> {
    type Target = Context;

    fn deref(&self) -> &Context {
        self.context
    }
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

/// The bonus of the kind a feature word names most directly (a town for "city").
const KIND_BONUS: f64 = 0.05;
/// A city this large is what a bare name means when every other place of that name is a
/// tenth of its size (see the module docs).
const CITY_POPULATION: u64 = 50_000;
/// A town this large is what a bare name means over villages of the same name (see the
/// module docs); the gazetteer's towns are its places of 10,000 people or more.
const TOWN_POPULATION: u64 = 10_000;
/// A fuzzy match is confirmed by a place of the report within this many metres.
const CONFIRM_NEAR_M: f64 = 25_000.0;

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
    /// // A feature word asks for a kind of place: the enclave, not the village.
    /// let hit = g.lookup("Vorukh enclave", &Context::default());
    /// assert_eq!(g.place(hit.best().unwrap().place).id, "enclave:vorukh");
    /// // A region the gazetteer does not know cannot narrow the search, and the answer says so.
    /// let ctx = Context { admin1: Some("Batkin".into()), ..Context::default() };
    /// assert!(g.lookup("Shuran", &ctx).reason.ends_with(
    ///     "the gazetteer knows no region \"Batkin\", so it did not narrow the search"));
    /// ```
    pub fn lookup(&self, query: &str, ctx: &Context) -> Lookup {
        let asked = Asked {
            context: ctx,
            region: self.region_key(ctx.admin1.as_deref()),
            district: self.district_key(ctx.admin2.as_deref()),
        };
        let mut l = self.find(query.trim(), &asked);
        // A region or district the gazetteer does not know cannot narrow the search: say so.
        for (hint, key, what) in [
            (&ctx.admin1, &asked.region, "region"),
            (&ctx.admin2, &asked.district, "district"),
        ] {
            if let Some(h) = hint.as_deref().filter(|h| !h.trim().is_empty())
                && key.is_none()
            {
                l.reason += &format!(
                    "; the gazetteer knows no {what} {:?}, so it did not narrow the search",
                    h.trim()
                );
            }
        }
        l
    }

    fn find(&self, query: &str, ctx: &Asked) -> Lookup {
        let stripped = strip_feature_word(query);
        // With a feature word, typos are looked for in the name without it.
        let mut hits = self.gather(query, false, stripped.is_none());
        let mut other_kinds = Hits::new();
        if let Some(s) = &stripped {
            // A place of another kind whose record bears the word in its name ("Leninskiy
            // Rayon", a village) is a weaker reading of "Ленинский район" than a district.
            for (&i, h) in hits.iter_mut() {
                if !s.kind.accepts(self.places[i].kind) {
                    h.score -= WORD_PENALTY;
                }
            }
            let mut names = vec![s.name.clone()];
            if matches!(s.kind, FeatureKind::District | FeatureKind::Region) {
                names.extend(adjective_stems(&s.name));
            }
            let mut found: Vec<Hits> = names.iter().map(|n| self.gather(n, true, false)).collect();
            // Typos in the name as written, only when no form of it matches for real.
            if found
                .iter()
                .all(|h| h.values().all(|h| h.method == Method::Partial))
            {
                found.push(self.gather(&s.name, true, true));
            }
            for f in found {
                for (i, mut h) in f {
                    let kind = self.places[i].kind;
                    let sink = if s.kind.accepts(kind) {
                        h.score -= WORD_PENALTY;
                        if s.kind.prefers(kind) {
                            h.score += KIND_BONUS;
                        }
                        &mut hits
                    } else {
                        &mut other_kinds
                    };
                    if sink.get(&i).is_none_or(|old| h.score > old.score) {
                        sink.insert(i, h);
                    }
                }
            }
        }
        // "Аэропорт Токмак": no airport has that name, but the town has one.
        if stripped
            .as_ref()
            .is_some_and(|s| s.kind == FeatureKind::Airport)
            && !hits.iter().any(|(&i, h)| {
                class(h.method) == Class::Real && self.places[i].kind == PlaceKind::Airport
            })
        {
            for (i, h) in self.airports_of_towns(&other_kinds) {
                if hits.get(&i).is_none_or(|old| h.score > old.score) {
                    hits.insert(i, h);
                }
            }
        }
        // Three or four capitals that are an airport's code ask for the airport.
        if looks_like_code(query)
            && hits.iter().any(|(&i, h)| {
                class(h.method) == Class::Real && self.places[i].kind == PlaceKind::Airport
            })
        {
            hits.retain(|&i, _| self.places[i].kind == PlaceKind::Airport);
        }
        let (kept, excluded): (Vec<_>, Vec<_>) = hits
            .into_iter()
            .map(|(i, h)| self.candidate(i, h, ctx))
            .partition(|c| self.allowed(&self.places[c.place], ctx));
        let word = stripped.as_ref().map(|s| s.kind);
        // Only names that merely begin with the query are left, while places of that very
        // name were ruled out: say so, rather than "no place is called".
        let only_prefixes = kept.iter().all(|c| class(c.method) == Class::Partial)
            && excluded.iter().any(|c| class(c.method) == Class::Real);
        if kept.is_empty() || only_prefixes {
            return self.nothing_left(query, word, ctx, excluded, other_kinds);
        }
        let mut candidates = kept;
        self.rank(&mut candidates);
        let lookup = match class(candidates[0].method) {
            Class::Real => self.decide(query, candidates, word),
            Class::Fuzzy => self.decide_fuzzy(query, candidates, ctx),
            Class::Partial => {
                let names: Vec<String> = candidates
                    .iter()
                    .take(3)
                    .map(|c| self.places[c.place].name.clone())
                    .collect();
                let reason = format!(
                    "no place is called {query:?}; names that begin with it: {}",
                    names.join(", ")
                );
                not_found(query, candidates, reason)
            }
        };
        self.note_former_name(lookup)
    }

    fn candidate(&self, i: usize, h: Hit, ctx: &Asked) -> Candidate {
        Candidate {
            place: i,
            method: h.method,
            name_score: h.score,
            score: h.score + self.context_score(&self.places[i], ctx),
            matched_name: h.matched_name,
        }
    }

    /// Real name matches first, then typos, then prefixes; best score first in each; at
    /// most ten.
    fn rank(&self, candidates: &mut Vec<Candidate>) {
        candidates.sort_by(|a, b| {
            class(a.method)
                .cmp(&class(b.method))
                .then(b.score.total_cmp(&a.score))
                .then_with(|| self.places[a.place].id.cmp(&self.places[b.place].id))
        });
        candidates.truncate(10);
    }

    /// The country, region and district the user gave are constraints, not bonuses.
    fn allowed(&self, p: &Place, ctx: &Asked) -> bool {
        let country = ctx
            .country
            .as_deref()
            .is_none_or(|c| p.country.is_empty() || in_country(p, c));
        // A place of unknown region is in the region given unless it is in another country.
        let admin1 = ctx.region.as_ref().is_none_or(|k| {
            if p.admin1.is_empty() {
                let country = self.region_country.get(k);
                country.is_none_or(|c| c.is_empty() || p.country.is_empty() || *c == p.country)
            } else {
                self.place_region(p) == *k
            }
        });
        let admin2 = ctx
            .district
            .as_ref()
            .is_none_or(|k| p.admin2.is_empty() || self.place_district(p) == *k);
        country && admin1 && admin2
    }

    /// The region a hint names (any of its names, with or without "Region"; a region that is
    /// no place, only its places' `admin1`, also in another spelling), or `None` when no hint
    /// is given or the gazetteer knows no such region (then it is ignored, and said so).
    fn region_key(&self, hint: Option<&str>) -> Option<String> {
        let hint = hint?;
        admin_key(&self.region_keys, hint).or_else(|| {
            let name = strip_feature_word(hint).map_or_else(|| hint.to_string(), |s| s.name);
            let forms: Vec<String> = std::iter::once(name.clone())
                .chain(adjective_stems(&name))
                .collect();
            forms.iter().find_map(|n| {
                let sound = skeleton(n);
                let by = |key: &str| self.region_skeletons.get(key).filter(|k| !k.is_empty());
                by(&sound).or_else(|| by(&consonants(&sound))).cloned()
            })
        })
    }

    fn district_key(&self, hint: Option<&str>) -> Option<String> {
        admin_key(&self.district_keys, hint?)
    }

    fn place_region(&self, p: &Place) -> String {
        admin_key(&self.region_keys, &p.admin1).unwrap_or_else(|| fold(&p.admin1))
    }

    fn place_district(&self, p: &Place) -> String {
        admin_key(&self.district_keys, &p.admin2).unwrap_or_else(|| fold(&p.admin2))
    }

    fn context_score(&self, p: &Place, ctx: &Asked) -> f64 {
        let mut s = 0.0;
        if ctx.country.as_deref().is_some_and(|c| in_country(p, c)) {
            s += 0.1;
        }
        if !p.admin1.is_empty()
            && ctx
                .region
                .as_ref()
                .is_some_and(|k| *k == self.place_region(p))
        {
            s += 0.08;
        }
        if !p.admin2.is_empty()
            && ctx
                .district
                .as_ref()
                .is_some_and(|k| *k == self.place_district(p))
        {
            s += 0.08;
        }
        let d = near_distance(p, ctx);
        s += if d <= 10_000.0 {
            0.15
        } else if d < 50_000.0 {
            0.15 * (50_000.0 - d) / 40_000.0
        } else {
            0.0
        };
        // Size counts among the places of the area the gazetteer covers; a place beyond it
        // (from a user's file) cannot outrank one within it by size alone.
        if p.population > 0 && covered(p.position) {
            s += 0.05 * ((p.population as f64).log10() / 6.0).min(1.0);
        }
        s
    }

    /// True when the report's context confirms place `p`: a place of the report within
    /// [`CONFIRM_NEAR_M`], or the region or district the user gave.
    fn confirmed(&self, p: &Place, ctx: &Asked) -> Option<String> {
        let d = near_distance(p, ctx);
        if d <= CONFIRM_NEAR_M {
            return Some(format!(
                "{:.1} km from a place named in the report",
                d / 1000.0
            ));
        }
        if !p.admin2.is_empty()
            && ctx
                .district
                .as_ref()
                .is_some_and(|k| *k == self.place_district(p))
        {
            return Some(format!("in {} district, as given", p.admin2));
        }
        if !p.admin1.is_empty()
            && ctx
                .region
                .as_ref()
                .is_some_and(|k| *k == self.place_region(p))
        {
            return Some(format!("in {} region, as given", p.admin1));
        }
        None
    }

    /// Every candidate was ruled out by a constraint (country, region, district, or the kind
    /// a feature word asks for), or there was none.
    fn nothing_left(
        &self,
        query: &str,
        word: Option<FeatureKind>,
        ctx: &Asked,
        mut excluded: Vec<Candidate>,
        other_kinds: Hits,
    ) -> Lookup {
        if !excluded.is_empty() {
            self.rank(&mut excluded);
            let mut within: Vec<String> = Vec::new();
            if let Some(c) = &ctx.country {
                within.push(format!("country {}", c.trim().to_uppercase()));
            }
            if let Some(a) = ctx.admin1.as_deref().filter(|_| ctx.region.is_some()) {
                within.push(format!("region {a}"));
            }
            if let Some(a) = ctx.admin2.as_deref().filter(|_| ctx.district.is_some()) {
                within.push(format!("district {a}"));
            }
            let names: Vec<String> = excluded
                .iter()
                .take(3)
                .map(|c| self.describe(c.place))
                .collect();
            let reason = format!(
                "no place called {query:?} or anything close lies in {}; the nearest-named places lie elsewhere: {}",
                within.join(", "),
                names.join("; ")
            );
            return not_found(query, excluded, reason);
        }
        if let (Some(word), false) = (word, other_kinds.is_empty()) {
            let mut others: Vec<Candidate> = other_kinds
                .into_iter()
                .map(|(i, h)| self.candidate(i, h, ctx))
                .collect();
            self.rank(&mut others);
            let names: Vec<String> = others
                .iter()
                .take(3)
                .map(|c| self.describe(c.place))
                .collect();
            let reason = format!(
                "no {} is called {query:?}; places of other kinds with that name: {}",
                word.as_str(),
                names.join("; ")
            );
            return not_found(query, others, reason);
        }
        not_found(
            query,
            vec![],
            format!("no place in the gazetteer is called {query:?} or anything close"),
        )
    }

    /// Only typos fit: matched only when one leads and the context confirms it.
    fn decide_fuzzy(&self, query: &str, candidates: Vec<Candidate>, ctx: &Asked) -> Lookup {
        let top = &candidates[0];
        let p = &self.places[top.place];
        // It leads every rival, or the close rivals are areas that contain it.
        let leads = candidates[1..]
            .iter()
            .take_while(|c| top.score - c.score < MARGIN)
            .all(|c| {
                let a = &self.places[c.place];
                a.kind.is_area() && !p.kind.is_area() && self.contains(a, p)
            });
        if leads && let Some(why) = self.confirmed(p, ctx) {
            let reason = format!(
                "no place is called {query:?}; the similar name {:?} ({}) is confirmed by the context: {why}",
                top.matched_name,
                self.describe(top.place)
            );
            let confidence = top.name_score * 0.6;
            return Lookup {
                query: query.to_string(),
                status: Status::Matched,
                candidates,
                confidence,
                reason,
            };
        }
        let names: Vec<String> = candidates
            .iter()
            .take(3)
            .map(|c| self.describe(c.place))
            .collect();
        let reason = format!(
            "no place is called {query:?}; similar names, not confirmed by the context: {}; give a region, district or nearby place",
            names.join("; ")
        );
        not_found(query, candidates, reason)
    }

    /// "Leninabad: former name of Khujand (until 1991); …" when the best candidate was found
    /// by a name it no longer bears.
    fn note_former_name(&self, mut l: Lookup) -> Lookup {
        let Some(top) = l.candidates.first() else {
            return l;
        };
        let p = &self.places[top.place];
        let f = fold(&top.matched_name);
        if let Some(former) = p.former_names.iter().find(|n| fold(&n.name) == f) {
            let until = former
                .until
                .map_or(String::new(), |y| format!(" (until {y})"));
            // the former name as recorded ("Isfana"), not the record's spelling that
            // matched it ("İsfana")
            l.reason = format!(
                "{}: former name of {}{until}; {}",
                former.name, p.name, l.reason
            );
        }
        l
    }

    /// True when `name` is one that place `index` no longer bears.
    fn is_former_name(&self, index: usize, name: &str) -> bool {
        let f = fold(name);
        self.places[index]
            .former_names
            .iter()
            .any(|n| fold(&n.name) == f)
    }

    /// True when point `p` was found by a name it no longer bears and one of `areas` by one it
    /// bears today: such an area is not overruled by the point ("Vose" is a district, and the
    /// former name of the town in it, Hulbuk since 2018).
    fn bore_it_once(
        &self,
        candidates: &[Candidate],
        p: usize,
        mut areas: impl Iterator<Item = usize>,
    ) -> bool {
        let by_former = |i: usize| {
            candidates
                .iter()
                .find(|c| c.place == i)
                .is_some_and(|c| self.is_former_name(i, &c.matched_name))
        };
        by_former(p) && areas.any(|i| !by_former(i))
    }

    /// True when area `a` contains point place `p` (by its admin names, or by distance).
    fn contains(&self, a: &Place, p: &Place) -> bool {
        match a.kind {
            PlaceKind::Region => self.place_region(a) == self.place_region(p),
            PlaceKind::District => {
                self.place_district(a) == self.place_district(p)
                    || Geodesic.distance(a.position.point(), p.position.point()) <= a.uncertainty_m
            }
            _ => Geodesic.distance(a.position.point(), p.position.point()) <= a.uncertainty_m,
        }
    }

    fn decide(&self, query: &str, candidates: Vec<Candidate>, word: Option<FeatureKind>) -> Lookup {
        let lookup = |status, candidates, confidence, reason: String| Lookup {
            query: query.to_string(),
            status,
            candidates,
            confidence,
            reason,
        };
        let top = &candidates[0];
        let top_score = top.score;
        let top_name_score = top.name_score;
        let confidence = |margin: f64| (top_name_score * (0.6 + margin.min(0.1) * 4.0)).min(1.0);
        // Close rivals: real name matches within MARGIN of the best.
        let group: Vec<usize> = candidates
            .iter()
            .take_while(|c| class(c.method) == Class::Real && top_score - c.score < MARGIN)
            .map(|c| c.place)
            .collect();
        if group.len() == 1 {
            let next = candidates.get(1);
            let margin = next.map_or(0.1, |c| top_score - c.score);
            let reason = match next {
                None => "the only candidate".to_string(),
                Some(c) if class(c.method) != Class::Real => format!(
                    "the only place of that name (the next candidate, {}, matched only by {})",
                    self.describe(c.place),
                    c.method.as_str()
                ),
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
            if others.iter().all(|&i| self.contains(&self.places[i], pp))
                && !self.bore_it_once(&candidates, *point, others.iter().copied())
            {
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
        // "Tashkent airport": of a city's airports, the one with an IATA code (the one
        // airlines fly to) is what a report means.
        if group
            .iter()
            .all(|&i| self.places[i].kind == PlaceKind::Airport)
        {
            let coded: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&i| iata_code(&self.places[i]).is_some())
                .collect();
            if let [airport] = coded.as_slice() {
                let others: Vec<String> = group
                    .iter()
                    .filter(|&&i| i != *airport)
                    .map(|&i| self.describe(i))
                    .collect();
                let reason = format!(
                    "the airport with an IATA code ({}) is taken over the others of that name, which have none: {}",
                    iata_code(&self.places[*airport]).unwrap_or_default(),
                    others.join("; ")
                );
                let mut ranked = candidates;
                ranked.sort_by_key(|c| c.place != *airport);
                return lookup(Status::Matched, ranked, confidence(0.05), reason);
            }
        }
        // A city and villages named after it (Frunze, Leninabad): the city is what a report
        // means unless its context says otherwise.
        if let Some(city) = self.dominant_city(query, &group, &candidates, word) {
            let mut ranked = candidates;
            ranked.sort_by_key(|c| c.place != city);
            let others: Vec<String> = group
                .iter()
                .filter(|&&i| i != city)
                .map(|&i| self.describe(i))
                .collect();
            return lookup(
                Status::Matched,
                ranked,
                confidence(0.05),
                format!(
                    "the {} of {} people is taken over the smaller places and areas of that name: {}; give a region or nearby place for another",
                    if self.places[city].population >= CITY_POPULATION {
                        "city"
                    } else {
                        "town"
                    },
                    self.places[city].population,
                    others.join("; ")
                ),
            );
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

    /// The point of `group` that a bare name means: a city of at least [`CITY_POPULATION`]
    /// people ten times larger than every other point of the group, or a town (at least
    /// [`TOWN_POPULATION`] people) whose every other point is a village of its country whose
    /// name matched no better than the town's (any current name of the town counts as its own; a
    /// village's own name beats a town's former or transliterated one), unless the
    /// query asks for a village; in both cases inside every area of the group, and within
    /// the gazetteer's [`COVERAGE`] unless every point of the group lies beyond it.
    fn dominant_city(
        &self,
        query: &str,
        group: &[usize],
        candidates: &[Candidate],
        word: Option<FeatureKind>,
    ) -> Option<usize> {
        let city = group
            .iter()
            .copied()
            .filter(|&i| !self.places[i].kind.is_area())
            .max_by_key(|&i| self.places[i].population)?;
        let c = &self.places[city];
        // A place beyond the area the shipped gazetteer covers (from a user's file) does not
        // overrule one within it: "Tash-Kurgan" is not Khulm in Afghanistan, which had that
        // name, over the village of Isfara district.
        if !covered(c.position)
            && group
                .iter()
                .any(|&i| covered(self.places[i].position) && !self.places[i].kind.is_area())
        {
            return None;
        }
        let areas_contain = group
            .iter()
            .all(|&i| !self.places[i].kind.is_area() || self.contains(&self.places[i], c));
        // The other points of the group.
        let mut others = group
            .iter()
            .copied()
            .filter(|&i| i != city && !self.places[i].kind.is_area());
        let city_over_all = c.population >= CITY_POPULATION
            && others
                .clone()
                .all(|i| self.places[i].population.saturating_mul(10) <= c.population);
        let candidate = |i: usize| candidates.iter().find(|k| k.place == i);
        let name_score = |i: usize| candidate(i).map_or(0.0, |k| k.name_score);
        // A town's current names are all its own: which spelling the reference data calls
        // preferred ("Kyzyl-Kyya" rather than "Kyzyl-Kiya") is an accident of the source.
        // A former name is not (Taboshar is a village's name today, and Istiqlol's before).
        let current_name = candidate(city).is_some_and(|k| {
            k.method == Method::Alternate && !self.is_former_name(city, &k.matched_name)
        });
        let town_score = if current_name { 1.0 } else { name_score(city) };
        let areas = group
            .iter()
            .copied()
            .filter(|&i| self.places[i].kind.is_area());
        if self.bore_it_once(candidates, city, areas) {
            return None;
        }
        // A name spelt letter for letter as asked (hyphens, spaces and apostrophes aside)
        // matches better than one equal only once marks are taken off: "Шӯроб" is the Tajik
        // name of Shurab (Isfara district), and "Шуроб" one of the town of Yovon's.
        let letters = |s: &str| -> String {
            s.chars()
                .flat_map(char::to_lowercase)
                .filter(|c| c.is_alphanumeric())
                .collect()
        };
        let asked =
            letters(&strip_feature_word(query).map_or_else(|| query.to_string(), |s| s.name));
        let as_asked = |i: usize| candidate(i).is_some_and(|k| letters(&k.matched_name) == asked);
        let town_as_asked = as_asked(city);
        let town_over_villages = word != Some(FeatureKind::Village)
            && c.kind == PlaceKind::Town
            && c.population >= TOWN_POPULATION
            && others.all(|i| {
                let v = &self.places[i];
                v.kind == PlaceKind::Village
                    && v.country == c.country
                    && name_score(i) <= town_score
                    && (town_as_asked || !as_asked(i))
            });
        (areas_contain && (city_over_all || town_over_villages)).then_some(city)
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
        let country = match p.region_country() {
            Some(other) => format!("{} or {other}: the sources disagree", p.country),
            None => p.country.clone(),
        };
        format!(
            "{} ({}, {}{}{}; {})",
            p.name,
            p.kind.as_str(),
            admin,
            if admin.is_empty() { "" } else { ", " },
            country,
            p.id
        )
    }
}

fn not_found(query: &str, candidates: Vec<Candidate>, reason: String) -> Lookup {
    Lookup {
        query: query.to_string(),
        status: Status::NotFound,
        candidates,
        confidence: 0.0,
        reason,
    }
}

/// The distance from `p` to the nearest place of the report, or infinity.
fn near_distance(p: &Place, ctx: &Context) -> f64 {
    ctx.near
        .iter()
        .map(|n| Geodesic.distance(n.point(), p.position.point()))
        .fold(f64::INFINITY, f64::min)
}

/// True when the country the user gave is `p`'s, or its region's where the sources
/// disagree ([`Place::region_country`]): such a place is offered under both.
fn in_country(p: &Place, country: &str) -> bool {
    let c = country.trim();
    c.eq_ignore_ascii_case(&p.country)
        || p.region_country()
            .is_some_and(|r| c.eq_ignore_ascii_case(r))
}
