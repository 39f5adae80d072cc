//! The shipped gazetteer built ahead of time: `geodata/gazetteer.bin`, which the program reads
//! at start-up instead of building the gazetteer from its four source files.
//!
//! Building the gazetteer (parsing 8,000 rows, folding and transliterating 26,000 names,
//! merging records, indexing) is most of what a short command such as `locate` does. The
//! rebuild (`bordermap geodata`) builds it once and writes it here: the places and every
//! index, in the postcard encoding, the hash maps in key order so that the same sources give
//! the same bytes.
//!
//! The file is checked, not trusted. It carries the SHA-256 of the four source texts
//! (`gazetteer.csv`, `places_manual.toml`, `display_names.toml`,
//! `sources/name_corrections.toml`), and [`read`] re-derives the index keys of one name in
//! every [`SAMPLE`] with the program's own name folding. When the sources or the folding
//! have changed since the file was written, or the file does not decode, [`read`] returns
//! `None` and the gazetteer is built from its sources as before: slower, never stale. A test
//! holds the committed file to the gazetteer built from the committed sources.

use super::{Gazetteer, NameRef, Place};
use crate::names::{fold, skeleton, skeleton_yo};
use foldhash::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The version of the layout below; a file of another version is not read.
const FORMAT: u32 = 1;

/// One name in this many has its keys re-derived when the file is read.
const SAMPLE: usize = 64;

/// The gazetteer as stored: its fields, the hash maps as lists in key order. A type of its
/// own, private, rather than `Deserialize` on [`Gazetteer`]: no other code can make a
/// gazetteer from bytes without [`read`]'s checks.
#[derive(Serialize, Deserialize)]
struct Stored {
    places: Vec<Place>,
    by_fold: Vec<(String, Vec<NameRef>)>,
    by_skeleton: Vec<(String, Vec<NameRef>)>,
    by_base_fold: Vec<(String, Vec<NameRef>)>,
    by_base_skeleton: Vec<(String, Vec<NameRef>)>,
    skeletons: Vec<String>,
    by_length: Vec<Vec<(u64, u32)>>,
    region_keys: Vec<(String, String)>,
    district_keys: Vec<(String, String)>,
    region_country: Vec<(String, String)>,
    region_skeletons: Vec<(String, String)>,
    not_its_names: Vec<(String, Vec<String>)>,
    airports: Vec<usize>,
    towns_by_lat: Vec<(f64, usize)>,
}

/// The SHA-256 of the gazetteer's four source texts, each preceded by its length in bytes.
pub(super) fn sources_digest(texts: &[&str; 4]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for t in texts {
        hash.update((t.len() as u64).to_le_bytes());
        hash.update(t.as_bytes());
    }
    hash.finalize().into()
}

/// The bytes of `g` as [`read`] takes them, for sources whose digest is `digest`.
pub(super) fn encode(g: &Gazetteer, digest: [u8; 32]) -> Result<Vec<u8>, postcard::Error> {
    // Every field by name: a field added to `Gazetteer` and not stored is a compile error.
    let Gazetteer {
        places,
        by_fold,
        by_skeleton,
        by_base_fold,
        by_base_skeleton,
        skeletons,
        by_length,
        region_keys,
        district_keys,
        region_country,
        region_skeletons,
        not_its_names,
        airports,
        towns_by_lat,
    } = g;
    let stored = Stored {
        places: places.clone(),
        by_fold: sorted(by_fold),
        by_skeleton: sorted(by_skeleton),
        by_base_fold: sorted(by_base_fold),
        by_base_skeleton: sorted(by_base_skeleton),
        skeletons: skeletons.clone(),
        by_length: by_length.clone(),
        region_keys: sorted(region_keys),
        district_keys: sorted(district_keys),
        region_country: sorted(region_country),
        region_skeletons: sorted(region_skeletons),
        not_its_names: sorted(not_its_names)
            .into_iter()
            .map(|(id, names)| {
                let mut names: Vec<String> = names.into_iter().collect();
                names.sort_unstable();
                (id, names)
            })
            .collect(),
        airports: airports.clone(),
        towns_by_lat: towns_by_lat.clone(),
    };
    let mut bytes = postcard::to_allocvec(&(FORMAT, digest))?;
    bytes.extend(postcard::to_allocvec(&stored)?);
    Ok(bytes)
}

/// The entries of a hash map in key order.
fn sorted<V: Clone>(map: &HashMap<String, V>) -> Vec<(String, V)> {
    let mut v: Vec<(String, V)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    v.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The gazetteer stored in `bytes`, when they are of this [`FORMAT`], for sources whose
/// digest is `digest`, and their sampled names are indexed under the keys the program
/// derives today; otherwise `None`.
pub(super) fn read(bytes: &[u8], digest: [u8; 32]) -> Option<Gazetteer> {
    let ((format, stored_digest), rest): ((u32, [u8; 32]), _) =
        postcard::take_from_bytes(bytes).ok()?;
    if format != FORMAT || stored_digest != digest {
        return None;
    }
    let s: Stored = postcard::from_bytes(rest).ok()?;
    let g = Gazetteer {
        places: s.places,
        by_fold: s.by_fold.into_iter().collect(),
        by_skeleton: s.by_skeleton.into_iter().collect(),
        by_base_fold: s.by_base_fold.into_iter().collect(),
        by_base_skeleton: s.by_base_skeleton.into_iter().collect(),
        skeletons: s.skeletons,
        by_length: s.by_length,
        region_keys: s.region_keys.into_iter().collect(),
        district_keys: s.district_keys.into_iter().collect(),
        region_country: s.region_country.into_iter().collect(),
        region_skeletons: s.region_skeletons.into_iter().collect(),
        not_its_names: s
            .not_its_names
            .into_iter()
            .map(|(id, names)| (id, names.into_iter().collect::<HashSet<String>>()))
            .collect(),
        airports: s.airports,
        towns_by_lat: s.towns_by_lat,
    };
    sampled_keys_hold(&g).then_some(g)
}

/// True when one name in every [`SAMPLE`] (preferred, alternate and former names, place by
/// place) is indexed, for its place, under the fold and skeletons the program derives for
/// it now: the names are folded as they were when the file was written.
fn sampled_keys_hold(g: &Gazetteer) -> bool {
    let names = g.places.iter().enumerate().flat_map(|(i, p)| {
        std::iter::once(p.name.as_str())
            .chain(p.alternate_names.iter().map(String::as_str))
            .chain(p.former_names.iter().map(|f| f.name.as_str()))
            .map(move |n| (i, n))
    });
    let holds = |index: &HashMap<String, Vec<NameRef>>, key: &str, i: usize| {
        index
            .get(key)
            .is_some_and(|refs| refs.iter().any(|r| r.place == i))
    };
    names.step_by(SAMPLE).all(|(i, n)| {
        let f = fold(n);
        f.is_empty()
            || (holds(&g.by_fold, &f, i)
                && holds(&g.by_skeleton, &skeleton(n), i)
                && skeleton_yo(n).is_none_or(|yo| holds(&g.by_skeleton, &yo, i)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shipped;

    fn digest() -> [u8; 32] {
        super::super::sources::shipped_digest(shipped::GAZETTEER_CSV)
    }

    /// Also the check that the file is deterministic: this process hashes its maps with
    /// other seeds than the one that wrote the file.
    #[test]
    fn the_committed_file_is_the_gazetteer_built_from_the_committed_sources() {
        let built = Gazetteer::from_shipped_sources(shipped::GAZETTEER_CSV).unwrap();
        let fresh = encode(&built, digest()).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/gazetteer.bin");
        if std::env::var_os("BORDERMAP_BLESS").is_some() && fresh != shipped::GAZETTEER_BIN {
            std::fs::write(&path, &fresh).unwrap();
            panic!("{} rewritten: build and test again", path.display());
        }
        assert!(
            fresh == shipped::GAZETTEER_BIN,
            "{} is not the gazetteer built from its sources: rebuild it with `bordermap \
             geodata` (geodata/README.md) or BORDERMAP_BLESS=1 cargo test --lib snapshot",
            path.display()
        );
        // What the program reads is what was built: stored again, the same bytes.
        let read = read(shipped::GAZETTEER_BIN, digest()).unwrap();
        assert_eq!(encode(&read, digest()).unwrap(), fresh);
        assert_eq!(read.len(), built.len());
    }

    #[test]
    fn a_file_for_other_sources_or_other_folding_is_not_read() {
        let g = Gazetteer::from_shipped_sources(shipped::GAZETTEER_CSV).unwrap();
        let bytes = encode(&g, digest()).unwrap();
        assert!(read(&bytes, digest()).is_some());
        // The sources changed: another digest.
        let mut other = digest();
        other[0] ^= 1;
        assert!(read(&bytes, other).is_none());
        // Cut short, or of another format.
        assert!(read(&bytes[..bytes.len() / 2], digest()).is_none());
        assert!(read(&[], digest()).is_none());
        let mut newer = bytes.clone();
        newer[0] = FORMAT as u8 + 1;
        assert!(read(&newer, digest()).is_none());
        // A sampled name indexed under keys the program no longer derives (as if the
        // folding had changed since the file was written).
        let mut stale = g.clone();
        let sampled = stale.places[0].name.clone();
        let f = fold(&sampled);
        let refs = stale.by_fold.remove(&f).unwrap();
        stale.by_fold.insert(format!("{f}x"), refs);
        assert!(read(&encode(&stale, digest()).unwrap(), digest()).is_none());
    }
}
