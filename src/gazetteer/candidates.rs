//! Every place a name may mean, and how its name matched: exact, alternate (or former),
//! transliterated, fuzzy (a typo or two), partial (the query starts the name).
//!
//! The fuzzy search runs only when no name matches for real, and looks only at skeletons of
//! about the query's length whose letters nearly agree with the query's (see `index.rs`), so
//! it stays fast as the gazetteer grows. A long name (8 letters or more in its phonetic key)
//! that differs from the query in vowels only (`Samarkandek`, `Samarkandyk`), or by one vowel
//! left out (`Panjkent`, `Panjakent`), is a spelling variant, scored 0.9 as transliterated,
//! not a typo. Edits are counted as optimal string alignment (insertions, deletions,
//! substitutions and adjacent transpositions).

use super::index::letter_mask;
use super::{Gazetteer, NameRef, Role};
use crate::names::{fold, skeleton, skeleton_yo};
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

/// What a candidate is, for the decision: a real name match, a typo, or a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Class {
    Real,
    Fuzzy,
    Partial,
}

/// The [`Class`] of a way of matching.
pub(super) fn class(m: Method) -> Class {
    match m {
        Method::Exact | Method::Alternate | Method::Transliterated => Class::Real,
        Method::Fuzzy => Class::Fuzzy,
        Method::Partial => Class::Partial,
    }
}

/// The score a name found only without its feature word loses against the whole query.
pub(super) const WORD_PENALTY: f64 = 0.05;

/// How one place matched one name.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pub(super) method: Method,
    pub(super) score: f64,
    pub(super) matched_name: String,
}

/// Hits by place.
pub(super) type Hits = HashMap<usize, Hit>;

/// The name score of a long name that differs from the query in vowels only, or of a name
/// found with j read as й.
const VOWEL_VARIANT: f64 = 0.9;

/// `name` with every Latin j that is not part of "dj" read as y (`Kuljab` → `Kulyab`), or
/// `None` when it has no such j or is not written in Latin letters.
fn j_as_y(name: &str) -> Option<String> {
    if crate::names::is_cyrillic(name) {
        return None;
    }
    let mut out = String::with_capacity(name.len());
    let mut changed = false;
    let mut prev = ' ';
    for c in name.chars() {
        let y = match c {
            'j' if !prev.eq_ignore_ascii_case(&'d') => 'y',
            'J' if !prev.eq_ignore_ascii_case(&'d') => 'Y',
            _ => c,
        };
        changed |= y != c;
        out.push(y);
        prev = c;
    }
    changed.then_some(out)
}

/// At most this many places are taken from prefix matches.
const MAX_PARTIAL: usize = 50;

impl Gazetteer {
    /// The places `name` may mean. With `base`, names with their feature word removed
    /// ("Osh" for "Osh Airport") count too; with `typos`, fuzzy matches are searched when
    /// nothing matches for real.
    pub(super) fn gather(&self, name: &str, base: bool, typos: bool) -> Hits {
        let mut hits = Hits::new();
        let qf = fold(name);
        let qs = skeleton(name);
        if qf.is_empty() {
            return hits;
        }
        for r in self.by_fold.get(&qf).into_iter().flatten() {
            let (m, score) = match r.role {
                Role::Preferred => (Method::Exact, 1.0),
                Role::Alternate | Role::Former => (Method::Alternate, 0.985),
            };
            self.offer(&mut hits, *r, m, score);
        }
        // a query with ё in either reading (Ёвон, Yovon)
        let qyo = skeleton_yo(name);
        for key in std::iter::once(&qs).chain(&qyo) {
            for r in self.by_skeleton.get(key).into_iter().flatten() {
                self.offer(&mut hits, *r, Method::Transliterated, 0.97);
            }
        }
        if base {
            for (map, key, m, score) in [
                (&self.by_base_fold, &qf, Method::Alternate, 0.985),
                (&self.by_base_skeleton, &qs, Method::Transliterated, 0.97),
            ] {
                for r in map.get(key).into_iter().flatten() {
                    self.offer(&mut hits, *r, m, score);
                }
            }
        }
        // German, Polish and scholarly romanisations write й, я, ю as j ("Kuljab",
        // "Suljukta", "Khajdarkan"), English as y: when nothing matches with j read as the
        // English дж, it is read as й.
        if hits.is_empty()
            && let Some(yq) = j_as_y(name)
        {
            for r in self.by_skeleton.get(&skeleton(&yq)).into_iter().flatten() {
                self.offer(&mut hits, *r, Method::Transliterated, VOWEL_VARIANT);
            }
        }
        // Typos matter only when no name really matches: they are never chosen over one.
        if typos && hits.is_empty() {
            self.fuzzy(name, &qs, &mut hits);
        }
        self.partial(&qs, &mut hits);
        hits
    }

    /// Typos: one edit (two for long names) in the phonetic key, and also in plain Latin
    /// spelling.
    fn fuzzy(&self, query: &str, qs: &str, hits: &mut Hits) {
        let qlen = qs.chars().count();
        if qlen < 5 {
            return;
        }
        let allowed = if qlen >= 8 { 2 } else { 1 };
        let qmask = letter_mask(qs);
        let qlatin = latin(query);
        for len in qlen.saturating_sub(allowed)..=qlen + allowed {
            for &(mask, k) in self.by_length.get(len).into_iter().flatten() {
                if (mask ^ qmask).count_ones() as usize > 2 * allowed {
                    continue;
                }
                let s = &self.skeletons[k as usize];
                if s == qs {
                    continue;
                }
                let d = strsim::osa_distance(qs, s);
                if d > allowed {
                    continue;
                }
                // Vowels are what romanisations disagree on most (Kyrgyz ы, ө, ү as y, e, i,
                // o, u): in a long name, vowels alone differing is a spelling, not a typo.
                let (method, score) = if qlen >= 8 && vowels_only(qs, s, d) {
                    (Method::Transliterated, VOWEL_VARIANT)
                } else if d == 1 {
                    (Method::Fuzzy, 0.8)
                } else {
                    (Method::Fuzzy, 0.7)
                };
                for r in &self.by_skeleton[s] {
                    let name = self.places[r.place].name_at(*r);
                    // The phonetic key folds a lot (x→h, y→i, doubled letters), so a typo
                    // must also be a typo in plain Latin spelling: "Xyzzyqq" is one key-edit
                    // from "Kyzyk" but nothing like it.
                    if strsim::osa_distance(&qlatin, &latin(name)) <= allowed + 1 {
                        self.offer(hits, *r, method, score);
                    }
                }
            }
        }
    }

    /// Names that the query begins (`Batken` in `Batken Airport`): candidates only.
    fn partial(&self, qs: &str, hits: &mut Hits) {
        if qs.chars().count() < 4 {
            return;
        }
        let start = self.skeletons.partition_point(|s| s.as_str() < qs);
        let mut taken = 0;
        for s in self.skeletons[start..]
            .iter()
            .take_while(|s| s.starts_with(qs))
        {
            if s == qs {
                continue;
            }
            for r in &self.by_skeleton[s] {
                if taken >= MAX_PARTIAL {
                    return;
                }
                if !hits.contains_key(&r.place) {
                    taken += 1;
                    self.offer(hits, *r, Method::Partial, 0.6);
                }
            }
        }
    }

    fn offer(&self, hits: &mut Hits, r: NameRef, method: Method, score: f64) {
        if hits.get(&r.place).is_none_or(|h| score > h.score) {
            let matched_name = self.places[r.place].name_at(r).to_string();
            hits.insert(
                r.place,
                Hit {
                    method,
                    score,
                    matched_name,
                },
            );
        }
    }
}

/// True when `a` and `b` (`edits` apart) differ only in vowels: the same consonants in the
/// same order, and vowels changed, or one vowel added or left out and nothing else
/// (`Panjkent`, `Panjakent`: Tajik and Persian short vowels are often not written).
fn vowels_only(a: &str, b: &str, edits: usize) -> bool {
    let consonants = |s: &str| {
        s.bytes()
            .filter(|c| !b"aeiou".contains(c))
            .collect::<Vec<_>>()
    };
    (a.len() == b.len() || edits == 1) && consonants(a) == consonants(b)
}

/// A name in plain lower-case Latin letters and digits (transliterated, nothing folded).
fn latin(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::j_as_y;

    #[test]
    fn j_is_read_as_y_except_in_dj() {
        assert_eq!(j_as_y("Kuljab").as_deref(), Some("Kulyab"));
        assert_eq!(j_as_y("Jany-Jol").as_deref(), Some("Yany-Yol"));
        assert_eq!(j_as_y("Djalal-Abad"), None);
        assert_eq!(j_as_y("Batken"), None);
        assert_eq!(j_as_y("Джалал-Абад"), None);
    }
}
