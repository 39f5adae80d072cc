//! The spatial index: radius and k-nearest queries that are exact on the WGS84 ellipsoid.
//!
//! rstar's metric is Euclidean, which is wrong in lon/lat degrees (a degree of longitude
//! shrinks with latitude, and the antimeridian splits neighbours). Points are therefore
//! indexed as 3D unit vectors, where the Euclidean chord grows monotonically with the angle
//! between the points, everywhere on the globe (poles and antimeridian included).
//!
//! The search is then widened to cover the difference between that sphere and the
//! ellipsoid, and refined with exact geodesic distances (Karney's method, `geo::Geodesic`):
//!
//! # The bound
//! On WGS84 the line element is `ds² = M² dφ² + N² cos²φ dλ²` and on the unit sphere
//! `dθ² = dφ² + cos²φ dλ²`. The radii of curvature satisfy `M, N ≥ a(1 − e²)`
//! ([`MIN_RADIUS_M`] = 6 335 439.327 m, the meridional radius at the equator), so every path,
//! and so the geodesic, is at least `a(1 − e²)·θ` long, where θ is the angle between the
//! unit vectors of the two geodetic positions. A point within `r` metres is therefore within
//! the angle `r / a(1 − e²)`: a radius search over that chord finds every answer, and the
//! exact distance removes the rest. kNN walks candidates by increasing angle and stops
//! when `a(1 − e²)·θ` exceeds the k-th best exact distance.

use crate::model::LonLat;
use geo::{Bearing, Distance, Geodesic};
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// `a(1 − e²)` for WGS84, metres: the smallest radius of curvature of the ellipsoid.
pub const MIN_RADIUS_M: f64 = 6_378_137.0 * (1.0 - 0.006_694_379_990_141_317);

type Entry = GeomWithData<[f64; 3], u32>;

/// The unit vector of a geodetic position.
fn unit(p: LonLat) -> [f64; 3] {
    let (lat, lon) = (p.lat().to_radians(), p.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Angle (radians) subtended by a chord of the unit sphere.
fn chord_to_angle(chord: f64) -> f64 {
    2.0 * (chord / 2.0).min(1.0).asin()
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
        Geodesic.bearing(from.point(), to.point()).rem_euclid(360.0)
    }
}

/// A spatial index over points. Ties in distance are broken by index, so give the points in
/// id order to get ties by id.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
    points: Vec<LonLat>,
}

fn by_distance_then_index(a: &Hit, b: &Hit) -> std::cmp::Ordering {
    a.distance_m
        .total_cmp(&b.distance_m)
        .then(a.index.cmp(&b.index))
}

impl SpatialIndex {
    /// Builds the index (bulk load).
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
        let entries: Vec<Entry> = points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(unit(*p), i as u32))
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(entries),
            points: points.to_vec(),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The point at `index`.
    pub fn point(&self, index: usize) -> LonLat {
        self.points[index]
    }

    /// Every point within `radius_m` metres (geodesic) of `p`, nearest first, ties by index.
    pub fn within_radius(&self, p: LonLat, radius_m: f64) -> Vec<Hit> {
        let mut hits = Vec::new();
        if radius_m.is_nan() || radius_m < 0.0 {
            return hits;
        }
        let q = p.point();
        let theta = radius_m / MIN_RADIUS_M;
        let exact = |i: u32| {
            let index = i as usize;
            let d = Geodesic.distance(q, self.points[index].point());
            (d <= radius_m).then_some(Hit {
                index,
                distance_m: d,
            })
        };
        if theta >= std::f64::consts::PI {
            hits.extend((0..self.points.len() as u32).filter_map(exact));
        } else {
            // A little slack for rounding in the chord arithmetic; the exact test decides.
            let chord = 2.0 * (theta / 2.0).sin() * (1.0 + 1e-9) + 1e-12;
            hits.extend(
                self.tree
                    .locate_within_distance(unit(p), chord * chord)
                    .filter_map(|e| exact(e.data)),
            );
        }
        hits.sort_by(by_distance_then_index);
        hits
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
        if k == 0 || self.points.is_empty() {
            return Vec::new();
        }
        let q = p.point();
        let mut best: Vec<Hit> = Vec::with_capacity(k + 1);
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(unit(p)) {
            let lower = MIN_RADIUS_M * chord_to_angle(d2.sqrt()) * (1.0 - 1e-9);
            let kth = if best.len() == k {
                best[k - 1].distance_m
            } else {
                f64::INFINITY
            };
            if lower > kth.min(radius_m) {
                break;
            }
            let index = e.data as usize;
            let d = Geodesic.distance(q, self.points[index].point());
            if d > radius_m {
                continue;
            }
            let hit = Hit {
                index,
                distance_m: d,
            };
            let at = best.partition_point(|h| by_distance_then_index(h, &hit).is_lt());
            if at < k {
                best.insert(at, hit);
                best.truncate(k);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (SplitMix64), so the tests need no extra crate.
    pub(crate) struct Rng(u64);
    impl Rng {
        pub(crate) fn next_f64(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
        fn range(&mut self, lo: f64, hi: f64) -> f64 {
            lo + (hi - lo) * self.next_f64()
        }
    }

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
        v.sort_by(by_distance_then_index);
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

    fn check(pts: &[LonLat], queries: &[LonLat], radii: &[f64]) {
        let idx = SpatialIndex::new(pts);
        for q in queries {
            for &r in radii {
                let got = idx.within_radius(*q, r);
                let want = brute_radius(pts, *q, r);
                assert_eq!(got, want, "radius {r} at {q:?}");
            }
            for k in [1, 5, 17] {
                assert_eq!(idx.nearest(*q, k), brute_knn(pts, *q, k), "k {k} at {q:?}");
            }
        }
    }

    #[test]
    fn matches_brute_force_in_the_region() {
        let mut rng = Rng(42);
        let pts = cloud(&mut rng, 3000, (68.0, 74.5), (38.5, 41.5));
        let qs = cloud(&mut rng, 25, (68.0, 74.5), (38.5, 41.5));
        check(&pts, &qs, &[0.0, 1_000.0, 10_000.0, 50_000.0, 300_000.0]);
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

    #[test]
    fn points_exactly_on_the_radius_are_included() {
        let q = LonLat::new(70.0, 40.0).unwrap();
        let pts: Vec<LonLat> = (0..36)
            .map(|i| {
                let (lon, lat) = {
                    use geo::Destination;
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
