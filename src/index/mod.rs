//! The spatial index: radius and k-nearest queries that are exact on the WGS84 ellipsoid.
//!
//! A Euclidean metric is wrong in lon/lat degrees (a degree of longitude shrinks with
//! latitude, and the antimeridian splits neighbours). Points are therefore indexed by their
//! Earth-centred (ECEF) positions on the WGS84 ellipsoid in a static k-d tree ([`kdtree`]),
//! where the straight-line chord between two points is the Euclidean distance, which works
//! everywhere on the globe (poles and antimeridian included). Every answer is then measured
//! exactly with [`crate::geodesic`] (within 1 mm of Karney's method, which it falls back to
//! for long lines). Large radius queries measure their candidates on all cores.
//!
//! # The bounds
//! For a chord `c` between two points on the ellipsoid and their geodesic distance `s`:
//!
//! * `c ≤ s`: the straight line is the shortest path of all. So a radius search over the
//!   chord `r` finds every point within `r` metres, and a candidate with `c > r` is out
//!   without computing its geodesic.
//! * `s ≤ 2R·asin(c / 2R)` with `R` = [`MIN_RADIUS_M`] = `a(1 − e²)` = 6 335 439.327 m,
//!   the smallest radius of curvature of WGS84: a geodesic's curvature in space is a normal
//!   curvature of the ellipsoid, at most `1/R`, so by Schur's comparison theorem its chord is
//!   at least that of a circular arc of radius `R` and the same length. Used for chords up to
//!   [`UPPER_BOUND_MAX_CHORD_M`], where geodesics are far shorter than `πR`.
//!
//! The two bounds differ by `c³/24R²`: about a millimetre at 10 km. kNN uses them to find
//! the k nearest without measuring the other candidates: it walks the tree's nearest-neighbour
//! iterator (increasing chord), keeps the k smallest upper bounds, stops once a lower bound
//! exceeds the k-th, and measures only the few candidates left. [`BOUND_SLACK_M`] covers
//! rounding in the chord arithmetic and in the geodesic computation.

pub mod kdtree;

use crate::geodesic::{Origin, QueryPoint};
use crate::model::LonLat;
use kdtree::KdTree;
use rayon::prelude::*;

/// `a(1 − e²)` for WGS84, metres: the smallest radius of curvature of the ellipsoid.
pub const MIN_RADIUS_M: f64 = 6_378_137.0 * (1.0 - WGS84_E2);

/// WGS84 first eccentricity squared, `f(2 − f)` with `f` = 1/298.257223563.
const WGS84_E2: f64 = 0.006_694_379_990_141_317;

/// Slack on the chord bounds, metres: rounding in the ECEF arithmetic (nanometres) and in
/// the geodesic computation (Karney: 15 nm; Vincenty's short lines: under 0.1 µm, see
/// [`crate::geodesic`]), with a wide margin.
pub const BOUND_SLACK_M: f64 = 1e-5;

/// Chords up to this length (metres) get the upper bound; longer ones are measured exactly.
pub const UPPER_BOUND_MAX_CHORD_M: f64 = 1_000_000.0;

/// Answers closer than this (metres) to each other or to the radius are decided by Karney's
/// method alone, so that near-ties order (and the radius cuts) exactly as Karney's distances
/// do: the chord formula and Vincenty's iteration agree to under a micrometre, not to the
/// last bit.
pub const KARNEY_TIE_M: f64 = 1e-5;

/// Answers from which a query sorts them by radix (by distance) rather than by comparison.
const RADIX_SORT_MIN: usize = 256;

/// Candidates from which a radius query measures on all cores.
const PARALLEL_MEASURE_MIN: usize = 4096;

pub use crate::geodesic::ecef;

/// A lower bound (metres) on the geodesic distance of a chord, and so on Karney's result.
fn lower_bound(chord: f64) -> f64 {
    chord - BOUND_SLACK_M
}

/// An upper bound (metres) on the geodesic distance of a chord, when it is short enough.
fn upper_bound(chord: f64) -> Option<f64> {
    (chord <= UPPER_BOUND_MAX_CHORD_M)
        .then(|| 2.0 * MIN_RADIUS_M * (chord / (2.0 * MIN_RADIUS_M)).asin() + BOUND_SLACK_M)
}

/// One answer: the point's index (in the order given to [`SpatialIndex::new`]) and its
/// geodesic distance from the query in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the point.
    pub index: usize,
    /// Geodesic distance, metres.
    pub distance_m: f64,
}

impl Hit {
    /// The initial bearing from `from` to the hit's point, degrees clockwise from north, 0–360.
    pub fn bearing_deg(&self, from: LonLat, to: LonLat) -> f64 {
        if self.distance_m == 0.0 {
            return 0.0;
        }
        crate::geodesic::inverse(from, to).1
    }
}

/// One answer with its bearing, and the slot where the index stores the point (see
/// [`SpatialIndex::index_at`]): data laid out by slot is read in the order of memory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Index of the point.
    pub index: u32,
    /// Slot of the point in the index (tree order: near points have near slots).
    pub slot: u32,
    /// Geodesic distance, metres.
    pub distance_m: f64,
    /// Initial bearing from the query point, degrees (as [`Hit::bearing_deg`]).
    pub bearing_deg: f64,
}

impl Found {
    fn hit(&self) -> (Hit, f64) {
        let hit = Hit {
            index: self.index as usize,
            distance_m: self.distance_m,
        };
        (hit, self.bearing_deg)
    }
}

/// Memory for the answers of one query, kept for the next one (see
/// [`SpatialIndex::near_found_into`]).
#[derive(Debug, Default)]
pub struct QueryMemory {
    /// The answers of the last query, nearest first, ties by index.
    pub found: Vec<Found>,
    /// The slots of the points the tree gave as candidates.
    candidates: Vec<u32>,
    /// Room for sorting the answers: see [`SortRoom`].
    room: SortRoom,
}

/// Room kept for sorting many answers: their order by distance as (rounded distance,
/// position) pairs, sorted instead of the answers (a third of the bytes to move in each
/// pass of the radix sort), and the answers then copied in that order.
#[derive(Debug, Default)]
struct SortRoom {
    order: Vec<(f32, u32)>,
    sorted: Vec<Found>,
}

/// The sort key: nearest first, ties by index. (Distance, index) is a total order, so an
/// unstable sort gives the one answer; the bits of a non-negative float sort as it does.
fn sort_key(f: &Found) -> (u64, u32) {
    (f.distance_m.to_bits(), f.index)
}

/// A point's place along a Hilbert curve of order 16 over the box of longitudes and
/// latitudes `(west, south, width, height)` (degrees) that holds the points: a grid of
/// 65,536 × 65,536 cells, each under ten metres across for a region such as the Fergana
/// valley. A key of 32 bits takes a radix sort of four passes.
fn hilbert_key(p: LonLat, (west, south, width, height): (f64, f64, f64, f64)) -> u32 {
    // a cast from float saturates (the east and north edges land on the last cell), and a
    // box of no width gives 0 / 0, NaN, which casts to 0
    let cell = |x: f64, range: f64| (x / range * 65_536.0) as u16;
    fast_hilbert::xy2h(
        cell(p.lon() - west, width),
        cell(p.lat() - south, height),
        16,
    )
}

/// The box of longitudes and latitudes that holds `points`: `(west, south, width, height)`,
/// degrees; all zero for none.
fn degree_box(points: &[LonLat]) -> (f64, f64, f64, f64) {
    // the box of no points, which any point widens
    const NONE: (f64, f64, f64, f64) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let widen = |(w, s, e, n): (f64, f64, f64, f64), p: &LonLat| {
        (
            w.min(p.lon()),
            s.min(p.lat()),
            e.max(p.lon()),
            n.max(p.lat()),
        )
    };
    let (w, s, e, n) = points.par_iter().fold(|| NONE, widen).reduce(
        || NONE,
        |a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
    );
    if points.is_empty() {
        (0.0, 0.0, 0.0, 0.0)
    } else {
        (w, s, e - w, n - s)
    }
}

/// A spatial index over points. Ties in distance are broken by index, so give the points in
/// id order to get ties by id.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: KdTree,
    /// The points by slot, each with its reduced latitude for the geodesic computation.
    by_slot: Vec<Origin>,
    /// The slot of each point, by index.
    slot_of: Vec<u32>,
}

/// A kNN candidate: its lower bound, and its exact distance once measured.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    lower: f64,
    exact: Option<f64>,
    slot: u32,
}

impl SpatialIndex {
    /// Builds the index.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{LonLat, index::SpatialIndex};
    /// let pts = [LonLat::new(70.58, 39.85).unwrap(), LonLat::new(70.82, 40.06).unwrap()];
    /// let idx = SpatialIndex::new(&pts);
    /// let hits = idx.within_radius(LonLat::new(70.58, 39.86).unwrap(), 5_000.0);
    /// assert_eq!(hits.len(), 1);
    /// assert!((hits[0].distance_m - 1110.0).abs() < 5.0);
    /// ```
    pub fn new(points: &[LonLat]) -> Self {
        Self::from_points(points.to_vec())
    }

    /// Builds the index, taking the points (on all cores). The tree holds the points in
    /// their order along a Hilbert curve over the box of longitudes and latitudes that holds
    /// them (ties by index), found by one radix sort: near points then share tree nodes and
    /// memory.
    pub fn from_points(points: Vec<LonLat>) -> Self {
        let bbox = degree_box(&points);
        let mut keyed: Vec<(u32, u32)> = points
            .par_iter()
            .enumerate()
            .map(|(i, &p)| (hilbert_key(p, bbox), i as u32))
            .collect();
        // stable, so ties stay in index order
        radsort::sort_by_key(&mut keyed, |k| k.0);
        let order: Vec<u32> = keyed.into_iter().map(|k| k.1).collect();
        let mut slot_of = vec![0u32; points.len()];
        for (slot, &i) in order.iter().enumerate() {
            slot_of[i as usize] = slot as u32;
        }
        Self::in_order(&points, &order, slot_of)
    }

    /// Rebuilds the index from the points and the tree order that
    /// [`tree_order`](Self::tree_order) gave for them; `None` when the order does not fit the
    /// points.
    pub fn from_tree_order(points: Vec<LonLat>, order: &[u32]) -> Option<Self> {
        if order.len() != points.len() {
            return None;
        }
        // the slot of each point, which checks that `order` is a permutation of them
        let mut slot_of = vec![u32::MAX; points.len()];
        for (slot, &i) in order.iter().enumerate() {
            let at = slot_of.get_mut(i as usize)?;
            if *at != u32::MAX {
                return None;
            }
            *at = u32::try_from(slot).ok()?;
        }
        Some(Self::in_order(&points, order, slot_of))
    }

    /// The index whose slots hold `points` in `order`, a permutation of them whose inverse
    /// is `slot_of`.
    fn in_order(points: &[LonLat], order: &[u32], slot_of: Vec<u32>) -> Self {
        // the points in slot order: the one pass that reads them out of order
        let in_slots: Vec<LonLat> = order.par_iter().map(|&i| points[i as usize]).collect();
        let tree = KdTree::from_permutation(order, |slot| ecef(in_slots[slot]));
        SpatialIndex {
            tree,
            by_slot: in_slots.into_par_iter().map(Origin::new).collect(),
            slot_of,
        }
    }

    /// The point indices in the order of the tree's leaves: with the points, all that
    /// [`from_tree_order`](Self::from_tree_order) needs to rebuild the index without sorting.
    pub fn tree_order(&self) -> Vec<u32> {
        self.tree.order().collect()
    }

    /// The points, in index order.
    pub fn points(&self) -> impl ExactSizeIterator<Item = LonLat> + '_ {
        self.slot_of
            .iter()
            .map(|&s| self.by_slot[s as usize].point())
    }

    /// The index of the point in `slot` (slots run from 0 to [`len`](Self::len)).
    pub fn index_at(&self, slot: u32) -> usize {
        self.tree.index_at(slot) as usize
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// The point at `index`.
    pub fn point(&self, index: usize) -> LonLat {
        self.by_slot[self.slot_of[index] as usize].point()
    }

    /// The exact distance and the initial bearing (as [`Hit::bearing_deg`] gives it), from
    /// one solution of the inverse geodesic problem.
    fn measure(&self, q: &QueryPoint, slot: u32) -> (f64, f64) {
        q.inverse_to(&self.by_slot[slot as usize], self.tree.xyz_at(slot))
    }

    /// The answer for the point in `slot`, if within `radius_m` (decided by Karney's method
    /// when within [`KARNEY_TIE_M`] of it).
    fn found(&self, q: &QueryPoint, slot: u32, radius_m: f64) -> Option<Found> {
        let (mut d, mut bearing) = self.measure(q, slot);
        if (d - radius_m).abs() < KARNEY_TIE_M {
            (d, bearing) = q.inverse_karney(&self.by_slot[slot as usize]);
        }
        (d <= radius_m).then(|| Found {
            index: self.tree.index_at(slot),
            slot,
            distance_m: d,
            bearing_deg: bearing,
        })
    }

    /// Sorts answers nearest first, ties by index; runs of answers within [`KARNEY_TIE_M`]
    /// of each other are measured again by Karney's method and sorted by that.
    fn sort_found(&self, q: &QueryPoint, found: &mut Vec<Found>, room: &mut SortRoom) {
        // by distance alone: equal distances are a run of near-ties, sorted below by
        // (Karney's distance, index)
        if found.len() >= RADIX_SORT_MIN {
            // by the distance rounded to f32 (four byte passes instead of eight); rounding
            // keeps the order of distances that round apart, so sorting each run of equal
            // rounded distances by the exact one gives what a stable sort by it gives
            let SortRoom { order, sorted } = room;
            order.clear();
            order.extend(
                (0u32..)
                    .zip(found.iter())
                    .map(|(i, f)| (f.distance_m as f32, i)),
            );
            radsort::sort_by_key(order, |&(d, _)| d);
            sorted.clear();
            sorted.extend(order.iter().map(|&(_, i)| found[i as usize]));
            std::mem::swap(found, sorted);
            for run in found.chunk_by_mut(|a, b| a.distance_m as f32 == b.distance_m as f32) {
                if run.len() > 1 {
                    run.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
                }
            }
        } else {
            found.sort_unstable_by_key(sort_key);
        }
        let mut i = 0;
        while i + 1 < found.len() {
            let mut j = i;
            while j + 1 < found.len()
                && found[j + 1].distance_m - found[j].distance_m < KARNEY_TIE_M
            {
                j += 1;
            }
            if j > i {
                for f in &mut found[i..=j] {
                    (f.distance_m, f.bearing_deg) =
                        q.inverse_karney(&self.by_slot[f.slot as usize]);
                }
                found[i..=j].sort_unstable_by_key(sort_key);
            }
            i = j + 1;
        }
    }

    /// Radius and/or kNN search around `p` (with both, the `k` nearest within the radius),
    /// nearest first, ties by index, with bearings and slots.
    pub fn near_found(&self, p: LonLat, radius_m: Option<f64>, k: Option<usize>) -> Vec<Found> {
        let mut memory = QueryMemory::default();
        self.near_found_into(p, radius_m, k, &mut memory);
        memory.found
    }

    /// [`near_found`](Self::near_found) into `memory.found` (cleared first), in memory kept
    /// from earlier queries: a batch of queries then reuses the same pages.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{LonLat, index::{QueryMemory, SpatialIndex}};
    /// let pts = [LonLat::new(70.0, 40.0).unwrap(), LonLat::new(70.1, 40.0).unwrap()];
    /// let idx = SpatialIndex::new(&pts);
    /// let mut memory = QueryMemory::default();
    /// let p = LonLat::new(70.0, 40.0).unwrap();
    /// idx.near_found_into(p, Some(10_000.0), None, &mut memory);
    /// assert_eq!(memory.found.len(), 2);
    /// assert_eq!(memory.found[0].index, 0);
    /// ```
    pub fn near_found_into(
        &self,
        p: LonLat,
        radius_m: Option<f64>,
        k: Option<usize>,
        memory: &mut QueryMemory,
    ) {
        memory.found.clear();
        match (radius_m, k) {
            (Some(r), Some(k)) => memory.found.extend(self.nearest_found(p, k, r)),
            (Some(r), None) => self.radius_found(p, r, memory),
            (None, Some(k)) => memory.found.extend(self.nearest_found(p, k, f64::INFINITY)),
            (None, None) => {}
        }
    }

    /// Every point within `radius_m` metres (geodesic) of `p`, nearest first, ties by index.
    pub fn within_radius(&self, p: LonLat, radius_m: f64) -> Vec<Hit> {
        self.within_radius_with_bearings(p, radius_m)
            .into_iter()
            .map(|(h, _)| h)
            .collect()
    }

    /// [`within_radius`](Self::within_radius), with the initial bearing from `p` to each hit
    /// (degrees, as [`Hit::bearing_deg`]): one geodesic computation per hit gives both.
    pub fn within_radius_with_bearings(&self, p: LonLat, radius_m: f64) -> Vec<(Hit, f64)> {
        self.near_found(p, Some(radius_m), None)
            .iter()
            .map(Found::hit)
            .collect()
    }

    /// The points within `radius_m` of `p` into `memory.found` (empty on entry).
    fn radius_found(&self, p: LonLat, radius_m: f64, memory: &mut QueryMemory) {
        if radius_m.is_nan() || radius_m < 0.0 || self.is_empty() {
            return;
        }
        let lim = radius_m + BOUND_SLACK_M;
        let QueryMemory {
            found,
            candidates,
            room,
        } = memory;
        candidates.clear();
        self.tree.within(ecef(p), lim * lim, candidates);
        let origin = QueryPoint::new(p);
        let measure = |&slot: &u32| self.found(&origin, slot, radius_m);
        if candidates.len() >= PARALLEL_MEASURE_MIN {
            found.par_extend(candidates.par_iter().filter_map(measure));
        } else {
            found.extend(candidates.iter().filter_map(measure));
        }
        self.sort_found(&origin, found, room);
    }

    /// The `k` points nearest to `p` (geodesic), nearest first, ties by index.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{LonLat, index::SpatialIndex};
    /// // across the antimeridian: 179.9 E is nearer to 179.9 W than 179.0 E is
    /// let pts = [LonLat::new(179.0, 0.0).unwrap(), LonLat::new(-179.9, 0.0).unwrap()];
    /// let idx = SpatialIndex::new(&pts);
    /// let hits = idx.nearest(LonLat::new(179.9, 0.0).unwrap(), 1);
    /// assert_eq!(hits[0].index, 1);
    /// ```
    pub fn nearest(&self, p: LonLat, k: usize) -> Vec<Hit> {
        self.nearest_within(p, k, f64::INFINITY)
    }

    /// The `k` nearest points within `radius_m` metres, nearest first, ties by index.
    pub fn nearest_within(&self, p: LonLat, k: usize, radius_m: f64) -> Vec<Hit> {
        self.nearest_within_with_bearings(p, k, radius_m)
            .into_iter()
            .map(|(h, _)| h)
            .collect()
    }

    /// [`nearest_within`](Self::nearest_within), with the initial bearing from `p` to each
    /// hit (degrees, as [`Hit::bearing_deg`]).
    pub fn nearest_within_with_bearings(
        &self,
        p: LonLat,
        k: usize,
        radius_m: f64,
    ) -> Vec<(Hit, f64)> {
        self.nearest_found(p, k, radius_m)
            .iter()
            .map(Found::hit)
            .collect()
    }

    fn nearest_found(&self, p: LonLat, k: usize, radius_m: f64) -> Vec<Found> {
        if k == 0 || self.is_empty() || radius_m.is_nan() || radius_m < 0.0 {
            return Vec::new();
        }
        // The k smallest upper bounds (or exact distances) of points certainly within the
        // radius, largest first: its top is the k-th, beyond which nothing can be an answer.
        let mut uppers: std::collections::BinaryHeap<Upper> = std::collections::BinaryHeap::new();
        let kth = |u: &std::collections::BinaryHeap<Upper>| {
            if u.len() == k {
                u.peek().map_or(f64::INFINITY, |x| x.0)
            } else {
                f64::INFINITY
            }
        };
        let origin = QueryPoint::new(p);
        let mut cands: Vec<Candidate> = Vec::new();
        for (slot, d2) in self.tree.nearest_iter(ecef(p)) {
            let chord = d2.sqrt();
            let lower = lower_bound(chord);
            // the tree yields increasing chords, so no later candidate can do better.
            if lower > radius_m.min(kth(&uppers)) {
                break;
            }
            let (upper, exact) = match upper_bound(chord) {
                Some(u) => (u, None),
                None => {
                    let d = self.measure(&origin, slot).0;
                    (d, Some(d))
                }
            };
            if upper <= radius_m {
                uppers.push(Upper(upper));
                if uppers.len() > k {
                    uppers.pop();
                }
            }
            cands.push(Candidate { lower, exact, slot });
        }
        let limit = radius_m.min(kth(&uppers));
        let mut best: Vec<Found> = cands
            .iter()
            .filter(|c| c.lower <= limit && c.exact.is_none_or(|d| d <= radius_m))
            .filter_map(|c| self.found(&origin, c.slot, radius_m))
            .collect();
        self.sort_found(&origin, &mut best, &mut SortRoom::default());
        best.truncate(k);
        best
    }
}

/// An upper bound, ordered for the max-heap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Upper(f64);

impl Eq for Upper {}

impl PartialOrd for Upper {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Upper {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesic::inverse;
    use geo::{Destination, Distance, Geodesic};

    use crate::synthetic::SplitMix64 as Rng;

    fn brute_radius(pts: &[LonLat], q: LonLat, r: f64) -> Vec<Hit> {
        let mut v: Vec<Hit> = pts
            .iter()
            .enumerate()
            .map(|(i, p)| Hit {
                index: i,
                distance_m: Geodesic.distance(q.point(), p.point()),
            })
            .filter(|h| h.distance_m <= r)
            .collect();
        v.sort_by(|a, b| {
            a.distance_m
                .total_cmp(&b.distance_m)
                .then(a.index.cmp(&b.index))
        });
        v
    }

    fn brute_knn(pts: &[LonLat], q: LonLat, k: usize) -> Vec<Hit> {
        let mut v = brute_radius(pts, q, f64::INFINITY);
        v.truncate(k);
        v
    }

    fn cloud(rng: &mut Rng, n: usize, lon: (f64, f64), lat: (f64, f64)) -> Vec<LonLat> {
        (0..n)
            .map(|_| {
                let mut x = rng.range(lon.0, lon.1);
                if x > 180.0 {
                    x -= 360.0;
                }
                LonLat::new(x, rng.range(lat.0, lat.1)).unwrap()
            })
            .collect()
    }

    /// The same points in the same order as Karney's brute force, distances within 1 µm.
    fn same(got: &[Hit], want: &[Hit]) {
        let ids = |h: &[Hit]| h.iter().map(|h| h.index).collect::<Vec<_>>();
        assert_eq!(ids(got), ids(want));
        for (g, w) in got.iter().zip(want) {
            assert!((g.distance_m - w.distance_m).abs() < 1e-6, "{g:?} {w:?}");
        }
    }

    fn check(pts: &[LonLat], queries: &[LonLat], radii: &[f64]) {
        let idx = SpatialIndex::new(pts);
        for q in queries {
            for &r in radii {
                same(&idx.within_radius(*q, r), &brute_radius(pts, *q, r));
            }
            for k in [1, 5, 17] {
                same(&idx.nearest(*q, k), &brute_knn(pts, *q, k));
            }
        }
    }

    /// The tree order rebuilds an index that answers the same; orders that are not a
    /// permutation of the points are refused.
    #[test]
    fn the_tree_order_rebuilds_the_index_and_bad_orders_are_refused() {
        let mut rng = Rng(5);
        let pts = cloud(&mut rng, 5000, (68.0, 74.5), (38.5, 41.5));
        let idx = SpatialIndex::new(&pts);
        let order = idx.tree_order();
        let again = SpatialIndex::from_tree_order(pts.clone(), &order).unwrap();
        assert_eq!(again.tree_order(), order);
        let q = LonLat::new(70.58, 39.85).unwrap();
        same(
            &again.within_radius(q, 20_000.0),
            &idx.within_radius(q, 20_000.0),
        );
        same(&again.nearest(q, 9), &idx.nearest(q, 9));
        assert!(SpatialIndex::from_tree_order(pts.clone(), &order[1..]).is_none());
        let mut dup = order.clone();
        dup[0] = dup[1];
        assert!(SpatialIndex::from_tree_order(pts.clone(), &dup).is_none());
        let mut out = order;
        out[0] = 5000;
        assert!(SpatialIndex::from_tree_order(pts, &out).is_none());
    }

    #[test]
    fn matches_brute_force_in_the_region() {
        let mut rng = Rng(42);
        let pts = cloud(&mut rng, 3000, (68.0, 74.5), (38.5, 41.5));
        let qs = cloud(&mut rng, 25, (68.0, 74.5), (38.5, 41.5));
        check(&pts, &qs, &[0.0, 1_000.0, 10_000.0, 50_000.0, 300_000.0]);
    }

    #[test]
    fn matches_brute_force_on_a_deep_tree() {
        let mut rng = Rng(11);
        let pts = cloud(&mut rng, 57_000, (69.0, 72.0), (39.0, 41.0));
        let qs = cloud(&mut rng, 6, (69.0, 72.0), (39.0, 41.0));
        check(&pts, &qs, &[2_000.0, 15_000.0]);
    }

    #[test]
    fn matches_brute_force_across_the_antimeridian() {
        let mut rng = Rng(7);
        let pts = cloud(&mut rng, 2000, (178.0, 182.0), (-3.0, 3.0));
        let qs = cloud(&mut rng, 20, (179.0, 181.0), (-1.0, 1.0));
        check(&pts, &qs, &[10_000.0, 100_000.0]);
    }

    #[test]
    fn matches_brute_force_near_a_pole() {
        let mut rng = Rng(99);
        let pts = cloud(&mut rng, 2000, (-180.0, 180.0), (88.0, 90.0));
        let qs = cloud(&mut rng, 20, (-180.0, 180.0), (89.0, 90.0));
        check(&pts, &qs, &[10_000.0, 100_000.0]);
    }

    #[test]
    fn matches_brute_force_globally_with_huge_radii() {
        let mut rng = Rng(3);
        let pts = cloud(&mut rng, 1500, (-180.0, 180.0), (-90.0, 90.0));
        let qs = cloud(&mut rng, 10, (-180.0, 180.0), (-90.0, 90.0));
        check(&pts, &qs, &[5_000_000.0, 20_100_000.0, 25_000_000.0]);
    }

    /// Points whose box has no width, no height or neither (one meridian, one parallel,
    /// one place) are indexed as any others: the Hilbert keys of such a box are all on its
    /// one line or cell.
    #[test]
    fn matches_brute_force_when_the_box_of_the_points_is_a_line_or_a_point() {
        let mut rng = Rng(17);
        let qs = cloud(&mut rng, 8, (70.0, 71.0), (39.5, 40.5));
        for (lon, lat) in [
            ((70.5, 70.5), (39.5, 40.5)),
            ((70.0, 71.0), (40.0, 40.0)),
            ((70.5, 70.5), (40.0, 40.0)),
        ] {
            let pts = cloud(&mut rng, 700, lon, lat);
            let bbox = degree_box(&pts);
            assert!(bbox.2 == 0.0 || bbox.3 == 0.0, "{bbox:?}");
            check(&pts, &qs, &[1_000.0, 60_000.0]);
        }
        assert_eq!(degree_box(&[]), (0.0, 0.0, 0.0, 0.0));
        let corner = LonLat::new(70.0, 39.0).unwrap();
        assert_eq!(hilbert_key(corner, (70.0, 39.0, 1.0, 1.0)), 0);
        assert_eq!(hilbert_key(corner, (70.0, 39.0, 0.0, 0.0)), 0);
    }

    #[test]
    fn points_exactly_on_the_radius_are_included() {
        let q = LonLat::new(70.0, 40.0).unwrap();
        let pts: Vec<LonLat> = (0..36)
            .map(|i| {
                let (lon, lat) = {
                    let p = Geodesic.destination(q.point(), i as f64 * 10.0, 10_000.0);
                    (p.x(), p.y())
                };
                LonLat::new(lon, lat).unwrap()
            })
            .collect();
        let idx = SpatialIndex::new(&pts);
        for h in brute_radius(&pts, q, 10_000.0) {
            assert!((h.distance_m - 10_000.0).abs() < 1e-6);
        }
        // every point is within a millimetre of the radius: a 1 mm wider search finds all
        assert_eq!(idx.within_radius(q, 10_000.001).len(), 36);
        assert_eq!(idx.within_radius(q, 9_999.999).len(), 0);
        assert_eq!(
            idx.within_radius(q, 10_000.0),
            brute_radius(&pts, q, 10_000.0)
        );
    }

    #[test]
    fn mirrored_points_order_as_karneys_distances_do() {
        // points mirrored across the query's meridian, on a 6-decimal grid: Karney's
        // distances tie to the last bit, Vincenty's need not
        let q = LonLat::new(70.123456, 40.654321).unwrap();
        let mut pts = Vec::new();
        for i in 1..400 {
            let (dx, dy) = (i as f64 * 0.000_137, (i % 17) as f64 * 0.000_211);
            pts.push(LonLat::new(70.123456 + dx, 40.654321 + dy).unwrap());
            pts.push(LonLat::new(70.123456 - dx, 40.654321 + dy).unwrap());
        }
        let idx = SpatialIndex::new(&pts);
        same(
            &idx.within_radius(q, 30_000.0),
            &brute_radius(&pts, q, 30_000.0),
        );
        for k in [1, 2, 7, 100] {
            same(&idx.nearest(q, k), &brute_knn(&pts, q, k));
        }
    }

    #[test]
    fn empty_duplicates_and_k_beyond_n() {
        let q = LonLat::new(70.0, 40.0).unwrap();
        let empty = SpatialIndex::new(&[]);
        assert!(empty.nearest(q, 3).is_empty());
        assert!(empty.within_radius(q, 1e6).is_empty());
        let p = LonLat::new(70.1, 40.0).unwrap();
        let idx = SpatialIndex::new(&[p, p, p]);
        let hits = idx.nearest(q, 10);
        assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(idx.nearest(q, 0), []);
        assert!(idx.within_radius(q, -1.0).is_empty());
        assert!(idx.within_radius(q, f64::NAN).is_empty());
    }

    #[test]
    fn many_equal_distances_order_by_index_as_brute_force() {
        // enough answers for the radix sort, in runs of equal distance: 40 positions, each
        // held by 20 points whose indices are spread over the whole list
        let mut rng = Rng(7);
        let spots = cloud(&mut rng, 40, (70.0, 70.2), (39.9, 40.1));
        let pts: Vec<LonLat> = (0..800).map(|i| spots[(i * 7) % 40]).collect();
        let q = LonLat::new(70.1, 40.0).unwrap();
        let idx = SpatialIndex::new(&pts);
        let got = idx.within_radius(q, 50_000.0);
        assert!(got.len() >= RADIX_SORT_MIN, "{}", got.len());
        same(&got, &brute_radius(&pts, q, 50_000.0));
    }

    #[test]
    fn distances_closer_than_an_f32_step_still_order_exactly() {
        // 300 points 20 km out, their distances 0.1 mm apart (an f32 step there is about
        // 2 mm, so about 20 share each rounded distance), in scrambled index order
        let q = LonLat::new(70.5, 40.0).unwrap();
        let pts: Vec<LonLat> = (0..300)
            .map(|i| {
                let step = ((i * 37) % 300) as f64;
                let p = Geodesic.destination(q.point(), i as f64 * 1.2, 20_000.0 + step * 1e-4);
                LonLat::new(p.x(), p.y()).unwrap()
            })
            .collect();
        let idx = SpatialIndex::new(&pts);
        let got = idx.within_radius(q, 25_000.0);
        assert!(got.len() >= RADIX_SORT_MIN, "{}", got.len());
        let rounded: std::collections::HashSet<u32> = got
            .iter()
            .map(|h| (h.distance_m as f32).to_bits())
            .collect();
        assert!(
            rounded.len() < got.len() / 5,
            "{} rounded distances",
            rounded.len()
        );
        same(&got, &brute_radius(&pts, q, 25_000.0));
    }

    #[test]
    fn one_inverse_gives_the_same_distance_and_bearing_as_two() {
        let mut rng = Rng(11);
        let pts = cloud(&mut rng, 500, (-180.0, 180.0), (-90.0, 90.0));
        let idx = SpatialIndex::new(&pts);
        let q = LonLat::new(70.0, 40.0).unwrap();
        let origin = QueryPoint::new(q);
        for (i, p) in pts.iter().enumerate() {
            let (d, b) = idx.measure(&origin, idx.slot_of[i]);
            assert_eq!(d, inverse(q, *p).0);
            let hit = Hit {
                index: i,
                distance_m: d,
            };
            assert_eq!(b, hit.bearing_deg(q, *p));
        }
        let hits = idx.within_radius_with_bearings(q, 3_000_000.0);
        assert!(!hits.is_empty());
        for (h, b) in hits {
            assert_eq!(b, h.bearing_deg(q, pts[h.index]));
        }
        // slots and indices agree
        let found = idx.near_found(q, Some(3_000_000.0), None);
        for f in &found {
            assert_eq!(idx.index_at(f.slot), f.index as usize);
            assert_eq!(idx.point(f.index as usize), pts[f.index as usize]);
        }
        assert_eq!(idx.points().collect::<Vec<_>>(), pts);
    }

    #[test]
    fn bearing_is_clockwise_from_north() {
        let a = LonLat::new(70.0, 40.0).unwrap();
        let east = LonLat::new(70.1, 40.0).unwrap();
        let h = Hit {
            index: 0,
            distance_m: 1.0,
        };
        assert!((h.bearing_deg(a, east) - 90.0).abs() < 0.1);
        let south = LonLat::new(70.0, 39.9).unwrap();
        assert!((h.bearing_deg(a, south) - 180.0).abs() < 1e-6);
    }
}
