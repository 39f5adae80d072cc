//! Building the gazetteer: one place per place, and the indexes a lookup searches.
//!
//! Records of the same place (from the shipped gazetteer, a user's GeoNames file, the
//! hand-added places) are merged as they are added: the same kind of place (a village and a
//! town count as one kind), the same country, a shared name (the preferred name of one is a
//! name of the other, by [`fold`] or [`skeleton`]; for areas, the preferred names), within
//! the larger of their radii. The first record stays (its id, position, radius), and it takes
//! every name, former name, source and id of the others, the larger population, and the
//! town kind when one of them is a town.

use super::query::{FeatureKind, strip_feature_word};
use super::{Gazetteer, NameRef, Place, PlaceKind, Role};
use crate::names::{fold, skeleton, skeleton_yo};
use foldhash::{HashMap, HashMapExt, HashSet};
use geo::{Distance, Geodesic};
use rayon::prelude::*;

/// What [`Gazetteer::extend`] did with the places it was given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extended {
    /// Places it did not hold.
    pub new: usize,
    /// Records of places it held, merged into them.
    pub merged: usize,
    /// Names a merged record gave a place that are known not to be that place's (the dropped
    /// names of `geodata/sources/name_corrections.toml`), kept out: (place id, name).
    pub kept_out: Vec<(String, String)>,
}

impl Gazetteer {
    /// Builds a gazetteer from places, merging records of the same place.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::{Gazetteer, Place, PlaceKind};
    /// use bordermap::model::LonLat;
    /// let village = |id: &str, lon: f64| Place {
    ///     id: id.into(), name: "Qoraqum".into(), kind: PlaceKind::Village, country: "TJ".into(),
    ///     admin1: String::new(), admin2: String::new(), position: LonLat::new(lon, 39.9).unwrap(),
    ///     population: 0, uncertainty_m: 2000.0, source: id.into(), alternate_names: vec![],
    ///     former_names: vec![], merged_ids: vec![],
    /// };
    /// // 0.01° apart (under 1 km): one place; 1° apart: two.
    /// let g = Gazetteer::new(vec![village("a", 70.60), village("b", 70.61), village("c", 71.6)]);
    /// assert_eq!(g.len(), 2);
    /// assert_eq!(g.place(0).merged_ids, ["b"]);
    /// ```
    pub fn new(places: Vec<Place>) -> Self {
        let mut g = Gazetteer::default();
        g.push_all(places);
        g.finish();
        g
    }

    /// Adds places (for example from `--gazetteer`), merging records of places it holds;
    /// says how many were new and which names it kept out.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::{Gazetteer, Place, PlaceKind};
    /// use bordermap::model::LonLat;
    /// let mut g = Gazetteer::shipped().unwrap();
    /// // GeoNames gives Salor the name of the city of Chirchiq, 20 km away: a known error,
    /// // corrected in the shipped gazetteer and kept out when the record is merged.
    /// let salor = Place {
    ///     id: "geonames:1512934".into(), name: "Salor".into(), kind: PlaceKind::Town,
    ///     country: "UZ".into(), admin1: String::new(), admin2: String::new(),
    ///     position: LonLat::new(69.38167, 41.37222).unwrap(), population: 26_494,
    ///     uncertainty_m: 5000.0, source: "GeoNames".into(),
    ///     alternate_names: vec!["Chirchik".into(), "Salar".into()],
    ///     former_names: vec![], merged_ids: vec![],
    /// };
    /// let added = g.extend(vec![salor]);
    /// assert_eq!((added.new, added.merged), (0, 1));
    /// assert_eq!(added.kept_out, [("wof:1125866639".to_string(), "Chirchik".to_string())]);
    /// ```
    pub fn extend(&mut self, places: Vec<Place>) -> Extended {
        let added = self.push_all(places);
        self.finish();
        added
    }

    /// Adds `places` in order, their names' keys computed on every core first (folding and
    /// transliterating the names is most of the work of loading a gazetteer).
    fn push_all(&mut self, places: Vec<Place>) -> Extended {
        let keys: Vec<NameKeys> = places.par_iter().map(NameKeys::of).collect();
        let names = keys.iter().map(|k| k.names.len()).sum();
        self.by_fold.reserve(names);
        self.by_skeleton.reserve(names);
        let mut added = Extended::default();
        for (p, keys) in places.into_iter().zip(keys) {
            match self.push(p, keys) {
                None => added.new += 1,
                Some(kept_out) => {
                    added.merged += 1;
                    added.kept_out.extend(kept_out);
                }
            }
        }
        added
    }

    /// Keeps the names that `corrections` (the text of `name_corrections.toml`) drops from a
    /// place out of any record merged into that place later.
    pub(super) fn keep_out_dropped_names(&mut self, corrections: &str) -> Result<(), String> {
        let file: super::NameCorrections =
            toml::from_str(corrections).map_err(|e| e.to_string())?;
        for row in file.correction {
            let row = row.into_inner();
            self.not_its_names
                .entry(row.id)
                .or_default()
                .extend(row.drop.iter().map(|n| fold(n)));
        }
        Ok(())
    }

    /// Adds `p`, whose names' keys are `keys`, or merges it into the place it is another
    /// record of: then `Some` with the names kept out of the merge (place id, name).
    fn push(&mut self, p: Place, keys: NameKeys) -> Option<Vec<(String, String)>> {
        if let Some(i) = self.same_place(&p, &keys) {
            return Some(self.merge_into(i, p, keys));
        }
        let i = self.places.len();
        for (r, k) in keys.names {
            self.index_keys(NameRef { place: i, ..r }, p.kind, k);
        }
        self.places.push(p);
        None
    }

    fn index_keys(&mut self, r: NameRef, kind: PlaceKind, k: Key) {
        if k.fold.is_empty() {
            return;
        }
        add(&mut self.by_fold, k.fold, r);
        add(&mut self.by_skeleton, k.skeleton, r);
        if let Some(yo) = k.yo {
            add(&mut self.by_skeleton, yo, r);
        }
        if let Some((word, fold, skeleton)) = k.base
            && word.accepts(kind)
        {
            add(&mut self.by_base_fold, fold, r);
            add(&mut self.by_base_skeleton, skeleton, r);
        }
    }

    /// The place already held that `p` is another record of, if any.
    fn same_place(&self, p: &Place, keys: &NameKeys) -> Option<usize> {
        let mut seen: Vec<usize> = Vec::new();
        let Key { fold, skeleton, .. } = &keys.names[0].1;
        // p's preferred name is a name of the other record ...
        for hits in [self.by_fold.get(fold), self.by_skeleton.get(skeleton)]
            .into_iter()
            .flatten()
        {
            seen.extend(hits.iter().map(|r| r.place));
        }
        // ... or the other record's preferred name is one of p's names.
        for (_, k) in &keys.names[1..] {
            if let Some(hits) = self.by_fold.get(&k.fold) {
                seen.extend(
                    hits.iter()
                        .filter(|r| r.role == Role::Preferred)
                        .map(|r| r.place),
                );
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.into_iter().find(|&i| same_record(&self.places[i], p))
    }

    fn merge_into(&mut self, i: usize, p: Place, keys: NameKeys) -> Vec<(String, String)> {
        let kind = self.places[i].kind;
        let q = &self.places[i];
        let mut known: HashSet<String> = std::iter::once(&q.name)
            .chain(&q.alternate_names)
            .map(|n| fold(n))
            .collect();
        let not_its = self.not_its_names.get(&q.id);
        let mut new_names = Vec::new();
        let mut kept_out = Vec::new();
        let mut keys = keys.names.into_iter().map(|(_, k)| k);
        let names = std::iter::once(p.name).chain(p.alternate_names);
        for (n, k) in names.zip(keys.by_ref()) {
            if not_its.is_some_and(|set| set.contains(&k.fold)) {
                if known.insert(k.fold) {
                    kept_out.push((q.id.clone(), n));
                }
            } else if known.insert(k.fold.clone()) {
                new_names.push((n, k));
            }
        }
        for (n, k) in new_names {
            let idx = self.places[i].alternate_names.len() as u32;
            let r = NameRef {
                place: i,
                role: Role::Alternate,
                idx,
            };
            self.index_keys(r, kind, k);
            self.places[i].alternate_names.push(n);
        }
        for (former, k) in p.former_names.into_iter().zip(keys) {
            if self.places[i].former_names.contains(&former) {
                continue;
            }
            let idx = self.places[i].former_names.len() as u32;
            let r = NameRef {
                place: i,
                role: Role::Former,
                idx,
            };
            self.index_keys(r, kind, k);
            self.places[i].former_names.push(former);
        }
        let q = &mut self.places[i];
        q.merged_ids.push(p.id);
        q.merged_ids.extend(p.merged_ids);
        if !q.source.split("; ").any(|s| s == p.source) {
            q.source = format!("{}; {}", q.source, p.source);
        }
        q.population = q.population.max(p.population);
        // A town's record makes the place a town (WOF files Kokand twice: as a village
        // without population and as a town of 187,000).
        if q.kind == PlaceKind::Village && p.kind == PlaceKind::Town {
            q.kind = PlaceKind::Town;
            q.uncertainty_m = q.uncertainty_m.max(p.uncertainty_m);
        }
        for (mine, theirs) in [
            (&mut q.country, p.country),
            (&mut q.admin1, p.admin1),
            (&mut q.admin2, p.admin2),
        ] {
            if mine.is_empty() {
                *mine = theirs;
            }
        }
        kept_out
    }

    pub(super) fn finish(&mut self) {
        self.skeletons = self.by_skeleton.keys().cloned().collect();
        self.skeletons.par_sort_unstable(); // distinct: unstable is the same order
        self.by_length.clear();
        for (k, s) in self.skeletons.iter().enumerate() {
            let len = s.chars().count();
            if self.by_length.len() <= len {
                self.by_length.resize(len + 1, Vec::new());
            }
            self.by_length[len].push((letter_mask(s), k as u32));
        }
        self.airports.clear();
        self.towns_by_lat.clear();
        for (i, p) in self.places.iter().enumerate() {
            match p.kind {
                PlaceKind::Airport => self.airports.push(i),
                PlaceKind::Town => self.towns_by_lat.push((p.position.lat(), i)),
                _ => {}
            }
        }
        self.towns_by_lat
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.region_keys.clear();
        self.district_keys.clear();
        self.region_country.clear();
        for p in &self.places {
            if p.kind == PlaceKind::Region {
                self.region_country
                    .entry(fold(&p.name))
                    .and_modify(|c| {
                        if *c != p.country {
                            c.clear();
                        }
                    })
                    .or_insert_with(|| p.country.clone());
            }
            let keys = match p.kind {
                PlaceKind::Region => &mut self.region_keys,
                PlaceKind::District => &mut self.district_keys,
                _ => continue,
            };
            let own = fold(&p.name);
            let former = p.former_names.iter().map(|f| &f.name);
            for n in std::iter::once(&p.name)
                .chain(&p.alternate_names)
                .chain(former)
            {
                keys.entry(fold(n)).or_insert_with(|| own.clone());
                if let Some(base) = strip_feature_word(n) {
                    keys.entry(fold(&base.name)).or_insert_with(|| own.clone());
                }
            }
            keys.insert(own.clone(), own);
        }
        // Regions that are no place of the gazetteer (Uzbekistan's: the reference data has
        // none) are still their places' `admin1`: a hint with that name, or the same name in
        // another spelling ("Fergana", "Ferghana"), selects them.
        let mut named: HashMap<String, (String, String)> = HashMap::new();
        for p in &self.places {
            let own = fold(&p.admin1);
            if own.is_empty() || super::query::admin_key(&self.region_keys, &p.admin1).is_some() {
                continue;
            }
            named
                .entry(own)
                .and_modify(|(_, c)| {
                    if *c != p.country {
                        c.clear();
                    }
                })
                .or_insert_with(|| (skeleton(&p.admin1), p.country.clone()));
        }
        self.region_skeletons.clear();
        for (own, (skel, country)) in named {
            for key in [super::query::consonants(&skel), skel] {
                self.region_skeletons
                    .entry(key)
                    .and_modify(|o| {
                        if *o != own {
                            o.clear(); // two such regions sound alike: neither by its sound
                        }
                    })
                    .or_insert_with(|| own.clone());
            }
            self.region_country.insert(own.clone(), country);
            self.region_keys.insert(own.clone(), own);
        }
    }
}

/// Every name of a place with its reference (place index not yet known) and its keys: the
/// preferred name, then the alternate names, then the former names.
struct NameKeys {
    names: Vec<(NameRef, Key)>,
}

impl NameKeys {
    fn of(p: &Place) -> Self {
        let at = |role, idx: usize| NameRef {
            place: usize::MAX,
            role,
            idx: idx as u32,
        };
        let names = std::iter::once((p.name.as_str(), at(Role::Preferred, 0)))
            .chain(
                p.alternate_names
                    .iter()
                    .enumerate()
                    .map(|(k, a)| (a.as_str(), at(Role::Alternate, k))),
            )
            .chain(
                p.former_names
                    .iter()
                    .enumerate()
                    .map(|(k, f)| (f.name.as_str(), at(Role::Former, k))),
            );
        NameKeys {
            names: names.map(|(n, r)| (r, Key::of(n))).collect(),
        }
    }
}

/// The keys one name is indexed under.
struct Key {
    fold: String,
    skeleton: String,
    /// The skeleton of a name with ё read as "yo" (Сомониён, Somoniyon), when it differs.
    yo: Option<String>,
    /// The feature word of a name and the fold and skeleton of the rest: "Osh Airport" is
    /// also "Osh" for a query that asks for an airport.
    base: Option<(FeatureKind, String, String)>,
}

impl Key {
    fn of(name: &str) -> Key {
        let base = strip_feature_word(name).map(|b| (b.kind, fold(&b.name), skeleton(&b.name)));
        let own = skeleton(name);
        Key {
            fold: fold(name),
            yo: skeleton_yo(name).filter(|yo| *yo != own),
            skeleton: own,
            base,
        }
    }
}

/// Adds `r` to the index bucket of `key`, keeping one name per place: the most preferred.
fn add(index: &mut HashMap<String, Vec<NameRef>>, key: String, r: NameRef) {
    let bucket = index.entry(key).or_default();
    match bucket.iter_mut().find(|x| x.place == r.place) {
        Some(x) if r.role < x.role => *x = r,
        Some(_) => {}
        None => bucket.push(r),
    }
}

/// True when `a` and `b` are records of one place: compatible kinds, the same country, and
/// within the larger of their radii. Areas (whose radii are large) must also share their
/// preferred name: Osh City is not Osh Region.
fn same_record(a: &Place, b: &Place) -> bool {
    let settlement = |k: PlaceKind| matches!(k, PlaceKind::Village | PlaceKind::Town);
    let kinds = a.kind == b.kind || (settlement(a.kind) && settlement(b.kind));
    let country = a.country.is_empty() || b.country.is_empty() || a.country == b.country;
    let names = !a.kind.is_area() || skeleton(&a.name) == skeleton(&b.name);
    let radius = a.uncertainty_m.max(b.uncertainty_m);
    // A cheap bound first: a degree of latitude is at least 110.5 km.
    let dlat_m =
        (a.position.lat() - b.position.lat()).abs() * crate::geodesic::METRES_PER_DEGREE_LAT_MIN;
    kinds
        && country
        && names
        && dlat_m <= radius
        && Geodesic.distance(a.position.point(), b.position.point()) <= radius
}

/// One bit per letter (a–z) and digit of a skeleton: two skeletons `d` edits apart differ in
/// at most `2 d` bits, which rules most of the gazetteer out of a fuzzy search cheaply.
pub(super) fn letter_mask(s: &str) -> u64 {
    s.bytes().fold(0u64, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + b - b'0'),
        _ => m | 1 << 63,
    })
}
