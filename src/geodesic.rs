//! The inverse geodesic problem on WGS84, fast for short lines and exact everywhere.
//!
//! Karney's method (`geo::Geodesic`, via geographiclib) is exact to nanometres on any line,
//! but costs about 0.75 µs. Three methods share the work, each where it is fastest and all
//! within a micrometre of Karney's result (the oracle tests at the end of this file check
//! ≤ 0.1 mm, ten times tighter than the 1 mm promised, and measure the real agreement):
//!
//! - lines under [`CHORD_MAX_M`]: from their chord in ECEF ([`Frame`]), a subtraction, a
//!   square root and a short series (0.26 µm at worst);
//! - lines under [`VINCENTY_MAX_M`]: Vincenty's iteration (T. Vincenty, *Survey Review* 23,
//!   1975), which converges in two or three steps there (0.67 µm at worst);
//! - longer lines, near-antipodal ones, lines from a pole and any line where the iteration
//!   does not converge: Karney's method.
//!
//! A query point computes its frame and reduced latitude once ([`QueryPoint`]), so a batch
//! of lines from one point costs only the per-line work.

use crate::model::LonLat;
use geo::GeodesicBearing;

/// A lower bound on the length of a degree of latitude on WGS84, metres (the shortest, at
/// the equator, is 110,574 m): points further apart in latitude than `d / METRES_PER_DEGREE_LAT_MIN`
/// degrees are more than `d` metres apart, so a search can rule them out without measuring.
pub const METRES_PER_DEGREE_LAT_MIN: f64 = 110_500.0;

/// Lines shorter than this (metres) are solved by Vincenty's iteration, the others by
/// Karney's method.
pub const VINCENTY_MAX_M: f64 = 100_000.0;

/// WGS84 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// WGS84 flattening.
const F: f64 = 1.0 / 298.257_223_563;
/// WGS84 semi-minor axis, metres.
const B: f64 = A * (1.0 - F);
/// Convergence threshold on the auxiliary longitude, radians: the last step's size, which
/// bounds the error left in it (about 60 nm on the ground, so distances agree with
/// Karney's to well under a micrometre).
const TOLERANCE: f64 = 1e-14;
/// Iterations before giving up on Vincenty (short lines need two or three).
const MAX_ITERATIONS: usize = 12;

/// The sine and cosine of the reduced latitude `U`, `tan U = (1 − f) tan φ`; stable at the
/// poles.
fn reduced(lat_deg: f64) -> (f64, f64) {
    let (s, c) = lat_deg.to_radians().sin_cos();
    let (s, c) = ((1.0 - F) * s, c);
    let h = (s * s + c * c).sqrt();
    (s / h, c / h)
}

/// Below this angle (radians), sines, cosines and arctangents are summed from their Taylor
/// series, whose first omitted term is then under 1e-17 of the result: well under an ulp.
const SMALL: f64 = 0.05;

/// `(sin x, cos x)`: the series for small angles, the library otherwise.
#[inline]
fn sin_cos(x: f64) -> (f64, f64) {
    if x.abs() > SMALL {
        return x.sin_cos();
    }
    let x2 = x * x;
    let s = x + x * x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0 + x2 / 362_880.0)));
    let c = 1.0
        + x2 * (-0.5
            + x2 * (1.0 / 24.0 + x2 * (-1.0 / 720.0 + x2 * (1.0 / 40_320.0 - x2 / 3_628_800.0))));
    (s, c)
}

/// `atan2(y, x)` for `y ≥ 0`: the series of `atan(y / x)` for small angles, the library
/// otherwise.
#[inline]
fn atan2(y: f64, x: f64) -> f64 {
    if !(x > 0.0 && y <= SMALL * x) {
        return y.atan2(x);
    }
    let t = y / x;
    let t2 = t * t;
    t + t * t2 * (-1.0 / 3.0 + t2 * (0.2 + t2 * (-1.0 / 7.0 + t2 * (1.0 / 9.0 - t2 / 11.0))))
}

/// The start of geodesic lines: a point with its reduced latitude computed once.
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::Origin};
/// let vorukh = Origin::new(LonLat::new(70.58012, 39.85125).unwrap());
/// // Ak-Sai, 5.589 km to the west-north-west
/// let (metres, bearing_deg) = vorukh.inverse(LonLat::new(70.52211, 39.87438).unwrap());
/// assert!((metres - 5588.63).abs() < 0.005);
/// assert!((bearing_deg - 297.38).abs() < 0.005);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    point: LonLat,
    sin_u: f64,
    cos_u: f64,
}

impl Origin {
    /// The origin at `point`.
    pub fn new(point: LonLat) -> Self {
        let (sin_u, cos_u) = reduced(point.lat());
        Origin {
            point,
            sin_u,
            cos_u,
        }
    }

    /// The point.
    pub fn point(&self) -> LonLat {
        self.point
    }

    /// The geodesic distance to `to` (metres) and the initial bearing (degrees clockwise
    /// from north, in `[0, 360)`; 0 when the points coincide).
    pub fn inverse(&self, to: LonLat) -> (f64, f64) {
        self.inverse_to(&Origin::new(to))
    }

    /// [`inverse`](Self::inverse) to a point whose reduced latitude is known too: what an
    /// index of many points keeps, so that each line costs only the iteration.
    pub fn inverse_to(&self, to: &Origin) -> (f64, f64) {
        let (d, azimuth) = self
            .vincenty(to)
            .unwrap_or_else(|| karney(self.point, to.point));
        normalised(d, azimuth)
    }

    /// [`inverse_to`](Self::inverse_to) by Karney's method alone: for the rare answers that
    /// must be decided to the last bit as Karney's method decides them (near-ties).
    pub fn inverse_karney(&self, to: &Origin) -> (f64, f64) {
        let (d, azimuth) = karney(self.point, to.point);
        normalised(d, azimuth)
    }

    /// Vincenty's inverse: `(metres, azimuth in degrees)`, or `None` when the line is long,
    /// nearly antipodal, or the iteration does not converge.
    fn vincenty(&self, to: &Origin) -> Option<(f64, f64)> {
        if self.point.lat().abs() == 90.0 {
            return None; // the bearing from a pole is a convention: Karney's
        }
        let (s1, c1) = (self.sin_u, self.cos_u);
        let (s2, c2) = (to.sin_u, to.cos_u);
        let mut l = (to.point.lon() - self.point.lon()).to_radians();
        if l > std::f64::consts::PI {
            l -= std::f64::consts::TAU;
        } else if l < -std::f64::consts::PI {
            l += std::f64::consts::TAU;
        }
        let (s1s2, c1c2, s1c2, c1s2) = (s1 * s2, c1 * c2, s1 * c2, c1 * s2);
        // λ − L ≈ f·cos U₁·cos U₂·λ on short lines: a start that saves an iteration
        let mut lambda = l / (1.0 - F * c1c2);
        for _ in 0..MAX_ITERATIONS {
            let (sin_l, cos_l) = sin_cos(lambda);
            let (p, q) = (c2 * sin_l, c1s2 - s1c2 * cos_l);
            let sin_sigma = (p * p + q * q).sqrt();
            if sin_sigma == 0.0 {
                // the same point (an antipodal pair is far longer than the limit)
                return (s1s2 + c1c2 * cos_l > 0.0).then_some((0.0, 0.0));
            }
            let cos_sigma = s1s2 + c1c2 * cos_l;
            let sigma = atan2(sin_sigma, cos_sigma);
            let sin_alpha = c1c2 * sin_l / sin_sigma;
            let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
            // on the equator cos²α = 0 and the term vanishes
            let cos_2sm = if cos2_alpha == 0.0 {
                0.0
            } else {
                cos_sigma - 2.0 * s1s2 / cos2_alpha
            };
            let c = F / 16.0 * cos2_alpha * (4.0 + F * (4.0 - 3.0 * cos2_alpha));
            let next = l
                + (1.0 - c)
                    * F
                    * sin_alpha
                    * (sigma
                        + c * sin_sigma
                            * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
            if (next - lambda).abs() > TOLERANCE {
                lambda = next;
                continue;
            }
            if sigma > VINCENTY_MAX_M / B {
                return None;
            }
            let u2 = cos2_alpha * (A * A - B * B) / (B * B);
            let a = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)));
            let b = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)));
            let c2sm2 = cos_2sm * cos_2sm;
            let delta = b
                * sin_sigma
                * (cos_2sm
                    + b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * c2sm2)
                            - b / 6.0
                                * cos_2sm
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * c2sm2)));
            let s = B * a * (sigma - delta);
            if s > VINCENTY_MAX_M {
                return None;
            }
            // the azimuth from the converged λ
            let (sin_l, cos_l) = sin_cos(next);
            let azimuth = (c2 * sin_l).atan2(c1s2 - s1c2 * cos_l).to_degrees();
            return Some((s, azimuth));
        }
        None
    }
}

/// `(distance, bearing in [0, 360))`, the bearing 0 for coincident points.
fn normalised(d: f64, azimuth: f64) -> (f64, f64) {
    let bearing = if d == 0.0 {
        0.0
    } else if (-180.0..=180.0).contains(&azimuth) {
        // what the remainders below give in this range, without a division: 180 ≤ b ≤ 540,
        // and b − 360 is exact there
        let b = azimuth + 360.0;
        if b >= 360.0 { b - 360.0 } else { b }
    } else {
        ((azimuth + 360.0) % 360.0).rem_euclid(360.0)
    };
    (d, bearing)
}

/// WGS84 first eccentricity squared, `f(2 − f)`.
const E2: f64 = F * (2.0 - F);

/// The lon/lat boxes `[west, south, east, north]` (degrees) that together hold every point
/// within `radius_m` metres (geodesic) of `center`: one box; two when the disc crosses the
/// antimeridian; a band of every longitude when it comes near a pole or is very wide.
///
/// The boxes are safe rather than tight. A path `d` metres long changes latitude by at most
/// `d / M₀`, `M₀ = a(1 − e²)` being the smallest radius of curvature of a meridian (at the
/// equator), and longitude by at most `d / p`, `p` being the smallest radius of a parallel
/// among the latitudes it can reach; the radius is first widened by a millionth and a
/// millimetre, so that rounding never leaves out a point on the edge.
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::disc_boxes};
/// let vorukh = LonLat::new(70.58, 39.85).unwrap();
/// let b = disc_boxes(vorukh, 10_000.0); // 10 km
/// assert_eq!(b.len(), 1);
/// assert!(b[0][1] < 39.76 && b[0][3] > 39.94); // 10 km is about 0.09° of latitude
/// // near the antimeridian, two boxes
/// assert_eq!(disc_boxes(LonLat::new(179.99, 0.0).unwrap(), 5_000.0).len(), 2);
/// ```
pub fn disc_boxes(center: LonLat, radius_m: f64) -> Vec<[f64; 4]> {
    let r = radius_m.max(0.0) * (1.0 + 1e-6) + 1e-3;
    let dlat = (r / (A * (1.0 - E2))).to_degrees();
    let (south, north) = (center.lat() - dlat, center.lat() + dlat);
    if !(south > -90.0 && north < 90.0) {
        return vec![[-180.0, south.max(-90.0), 180.0, north.min(90.0)]];
    }
    let far = south.abs().max(north.abs()).to_radians();
    let parallel = A * far.cos() / (1.0 - E2 * far.sin().powi(2)).sqrt();
    let dlon = (r / parallel).to_degrees();
    if dlon >= 180.0 {
        return vec![[-180.0, south, 180.0, north]];
    }
    let (west, east) = (center.lon() - dlon, center.lon() + dlon);
    if west < -180.0 {
        vec![
            [west + 360.0, south, 180.0, north],
            [-180.0, south, east, north],
        ]
    } else if east > 180.0 {
        vec![
            [west, south, 180.0, north],
            [-180.0, south, east - 360.0, north],
        ]
    } else {
        vec![[west, south, east, north]]
    }
}

/// Chords shorter than this (metres) are turned into geodesic distances by [`Frame`]'s
/// chord formula; longer lines go to Vincenty's iteration or Karney's method.
pub const CHORD_MAX_M: f64 = 20_000.0;

/// The ECEF position (metres) of a geodetic position on the WGS84 ellipsoid (height 0).
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::ecef};
/// let [x, y, z] = ecef(LonLat::new(0.0, 0.0).unwrap());
/// assert_eq!((x, y, z), (6_378_137.0, 0.0, 0.0)); // metres, on the equator at Greenwich
/// ```
pub fn ecef(p: LonLat) -> [f64; 3] {
    let (sl, cl) = p.lat().to_radians().sin_cos();
    let (so, co) = p.lon().to_radians().sin_cos();
    let n = A / (1.0 - E2 * sl * sl).sqrt();
    [n * cl * co, n * cl * so, n * (1.0 - E2) * sl]
}

/// A query point's local frame, for short lines measured from their chord.
///
/// Between two points of the ellipsoid, the normal section through them is a plane curve
/// whose radius of curvature barely changes over a few kilometres; its length is then
/// `s = c + c³/(24R²) + 3c⁵/(640R⁴)`, `c` the chord and `R` Euler's radius of curvature
/// for the section's azimuth `α` (`1/R = cos²α/M + sin²α/N`, `M` and `N` the meridian and
/// prime-vertical radii at the query point). The azimuth is that of the chord seen in the
/// query point's horizontal plane: the normal section's. Under [`CHORD_MAX_M`] the normal
/// section and the geodesic differ in length and azimuth by far less than a micrometre
/// and a nanoradian, and the change of curvature along the line shifts the `c³` term by
/// under one part in 10⁴ of it (16 mm at 25 km); the oracle test below measures the
/// agreement with Karney's method. Each line then costs a subtraction, a square root and
/// a few products, against Vincenty's two or three iterations.
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::{Frame, ecef, inverse}};
/// let vorukh = LonLat::new(70.58012, 39.85125).unwrap();
/// let ak_sai = LonLat::new(70.52211, 39.87438).unwrap();
/// let (metres, bearing_deg) = Frame::new(vorukh).short_inverse(ecef(ak_sai)).unwrap();
/// let (exact, exact_bearing) = inverse(vorukh, ak_sai);
/// // metres; the azimuth is in (-180°, 180°], the bearing in [0°, 360°)
/// assert!((metres - exact).abs() < 1e-6);
/// assert!((bearing_deg + 360.0 - exact_bearing).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    xyz: [f64; 3],
    east: [f64; 3],
    north: [f64; 3],
    /// `1/M` and `1/N`, 1/metres.
    inv_m: f64,
    inv_n: f64,
    pole: bool,
}

impl Frame {
    /// The frame at `p`.
    pub fn new(p: LonLat) -> Self {
        let (sl, cl) = p.lat().to_radians().sin_cos();
        let (so, co) = p.lon().to_radians().sin_cos();
        let w2 = 1.0 - E2 * sl * sl;
        let n = A / w2.sqrt();
        let m = A * (1.0 - E2) / (w2 * w2.sqrt());
        Frame {
            xyz: ecef(p),
            east: [-so, co, 0.0],
            north: [-sl * co, -sl * so, cl],
            inv_m: 1.0 / m,
            inv_n: 1.0 / n,
            pole: p.lat().abs() == 90.0,
        }
    }

    /// The geodesic distance (metres) and initial azimuth (degrees, `(-180, 180]`) to the
    /// ellipsoid point at ECEF `to` (see [`ecef`]), when their chord is under
    /// [`CHORD_MAX_M`]; `None` for longer lines and from a pole (whose bearing is a
    /// convention that Karney's method keeps).
    #[inline]
    pub fn short_inverse(&self, to: [f64; 3]) -> Option<(f64, f64)> {
        let d = [
            to[0] - self.xyz[0],
            to[1] - self.xyz[1],
            to[2] - self.xyz[2],
        ];
        let c2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        if c2 > CHORD_MAX_M * CHORD_MAX_M || self.pole {
            return None;
        }
        if c2 == 0.0 {
            return Some((0.0, 0.0));
        }
        let e = d[0] * self.east[0] + d[1] * self.east[1];
        let n = d[0] * self.north[0] + d[1] * self.north[1] + d[2] * self.north[2];
        let h2 = e * e + n * n;
        // 1/R = cos²α/M + sin²α/N
        let inv_r = (n * n * self.inv_m + e * e * self.inv_n) / h2;
        let x = c2 * inv_r * inv_r; // (c/R)²
        let c = c2.sqrt();
        let s = c * (1.0 + x * (1.0 / 24.0 + x * (3.0 / 640.0)));
        Some((s, e.atan2(n).to_degrees()))
    }
}

/// A query point for many lines: its [`Frame`] for short lines and its [`Origin`] for the
/// others.
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::{Origin, QueryPoint, ecef}};
/// let q = QueryPoint::new(LonLat::new(70.0, 40.0).unwrap());
/// let to = LonLat::new(70.0, 40.1).unwrap();
/// let (m, bearing) = q.inverse_to(&Origin::new(to), ecef(to));
/// assert!((m - 11_103.559).abs() < 0.001 && bearing == 0.0); // metres, degrees
/// ```
#[derive(Debug, Clone, Copy)]
pub struct QueryPoint {
    origin: Origin,
    frame: Frame,
}

impl QueryPoint {
    /// The query point at `p`.
    pub fn new(p: LonLat) -> Self {
        QueryPoint {
            origin: Origin::new(p),
            frame: Frame::new(p),
        }
    }

    /// The geodesic distance (metres) and initial bearing (degrees, `[0, 360)`) to the point
    /// given as its [`Origin`] and its ECEF position: the chord formula under
    /// [`CHORD_MAX_M`], else Vincenty's iteration, else Karney's method. A line along a
    /// meridian goes to Vincenty's iteration, which gives its bearing as exactly 0° or 180°.
    #[inline]
    pub fn inverse_to(&self, to: &Origin, to_xyz: [f64; 3]) -> (f64, f64) {
        if to.point.lon() == self.origin.point.lon() {
            return self.origin.inverse_to(to);
        }
        match self.frame.short_inverse(to_xyz) {
            Some((d, azimuth)) => normalised(d, azimuth),
            None => self.origin.inverse_to(to),
        }
    }

    /// [`inverse_to`](Self::inverse_to) by Karney's method alone (for near-ties).
    pub fn inverse_karney(&self, to: &Origin) -> (f64, f64) {
        self.origin.inverse_karney(to)
    }
}

/// Karney's inverse (geographiclib): `(metres, azimuth in degrees)`.
fn karney(from: LonLat, to: LonLat) -> (f64, f64) {
    let (azimuth, d) = from.point().geodesic_bearing_distance(to.point());
    (d, azimuth)
}

/// The geodesic distance (metres) and initial bearing (degrees, `[0, 360)`) from `from` to
/// `to`, as an index query measures it ([`QueryPoint::inverse_to`]).
///
/// # Examples
/// ```
/// use bordermap::{LonLat, geodesic::inverse};
/// let (m, bearing) = inverse(LonLat::new(70.0, 40.0).unwrap(), LonLat::new(70.0, 40.1).unwrap());
/// assert!((m - 11_103.559).abs() < 0.001); // metres
/// assert_eq!(bearing, 0.0); // degrees: due north
/// ```
pub fn inverse(from: LonLat, to: LonLat) -> (f64, f64) {
    QueryPoint::new(from).inverse_to(&Origin::new(to), ecef(to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Destination, Distance, Geodesic};

    use crate::synthetic::SplitMix64 as Rng;

    fn ll(lon: f64, lat: f64) -> LonLat {
        let lon = if lon > 180.0 { lon - 360.0 } else { lon };
        LonLat::new(lon, lat.clamp(-90.0, 90.0)).unwrap()
    }

    /// The point `d` metres from `p` at azimuth `az`, on the exact geodesic.
    fn toward(p: LonLat, az: f64, d: f64) -> LonLat {
        let q = Geodesic.destination(p.point(), az, d);
        ll(q.x(), q.y())
    }

    /// Karney's distance and bearing, normalised as [`Origin::inverse`] does.
    fn oracle(a: LonLat, b: LonLat) -> (f64, f64) {
        let (az, d) = a.point().geodesic_bearing_distance(b.point());
        assert_eq!(d, Geodesic.distance(a.point(), b.point()));
        let bearing = if d == 0.0 {
            0.0
        } else {
            ((az + 360.0) % 360.0).rem_euclid(360.0)
        };
        (d, bearing)
    }

    /// The oracle: every pair against Karney. Distances within 0.1 mm (ten times tighter than
    /// the 1 mm promised); bearings within 1e-6° plus the angle that 20 nm across subtends
    /// (the rounding of the coordinates themselves on millimetre lines). Returns the largest
    /// distance and bearing differences.
    fn check(pairs: &[(LonLat, LonLat)], what: &str) -> (f64, f64) {
        let (mut dd, mut db) = (0.0f64, 0.0f64);
        for &(a, b) in pairs {
            let (d, bearing) = inverse(a, b);
            let (want, want_b) = oracle(a, b);
            let diff = (bearing - want_b).abs();
            let diff = diff.min(360.0 - diff);
            let allowed = 1e-6 + (2e-8 / want.max(1e-9)).atan().to_degrees();
            assert!(
                (d - want).abs() <= 1e-4,
                "{what}: {a:?} → {b:?}: {d} m vs {want} m"
            );
            assert!(
                diff <= allowed,
                "{what}: {a:?} → {b:?}: {bearing}° vs {want_b}° at {want} m"
            );
            if want > VINCENTY_MAX_M {
                assert_eq!(
                    (d, bearing),
                    (want, want_b),
                    "{what}: long lines are Karney's"
                );
            }
            dd = dd.max((d - want).abs());
            if want >= 1.0 {
                db = db.max(diff);
            }
        }
        eprintln!(
            "{what}: {} pairs, largest |Δdistance| {dd:e} m, |Δbearing| (lines ≥ 1 m) {db:e}°",
            pairs.len()
        );
        (dd, db)
    }

    #[test]
    fn bearings_are_the_remainder_to_the_bit() {
        let remainder = |az: f64| ((az + 360.0) % 360.0).rem_euclid(360.0);
        let mut rng = Rng(5);
        let mut azimuths = vec![
            -180.0,
            180.0,
            -0.0,
            0.0,
            -1e-300,
            1e-300,
            -f64::EPSILON,
            179.99999999999997,
            -179.99999999999997,
            -90.0,
            359.0,
            -400.0,
        ];
        azimuths.extend((0..100_000).map(|_| rng.range(-180.0, 180.0)));
        for az in azimuths {
            let (_, got) = normalised(1.0, az);
            assert_eq!(got.to_bits(), remainder(az).to_bits(), "{az}");
        }
    }

    #[test]
    fn chords_match_karney_everywhere_under_the_limit() {
        let mut rng = Rng(11);
        let (mut worst, mut worst_b) = (0.0f64, 0.0f64);
        for i in 0..200_000 {
            // every latitude short of the poles, with extra weight on the region
            let lat = if i % 2 == 0 {
                rng.range(-89.9, 89.9)
            } else {
                rng.range(36.0, 43.0)
            };
            let a = ll(rng.range(-180.0, 180.0), lat);
            let d = CHORD_MAX_M * rng.f64().powi(2);
            let b = toward(a, rng.range(-180.0, 180.0), d);
            let Some((got, az)) = Frame::new(a).short_inverse(ecef(b)) else {
                continue;
            };
            let (got, bearing) = normalised(got, az);
            let (want, want_b) = oracle(a, b);
            worst = worst.max((got - want).abs());
            if want >= 1.0 {
                let diff = (bearing - want_b).abs();
                worst_b = worst_b.max(diff.min(360.0 - diff));
            }
        }
        eprintln!("chords: largest |Δdistance| {worst:e} m, |Δbearing| {worst_b:e}°");
        assert!(worst <= 1e-6, "{worst} m");
        assert!(worst_b <= 1e-6, "{worst_b}°");
    }

    #[test]
    fn small_angle_series_match_the_library() {
        for i in 0..=20_000 {
            let x = (i as f64 / 10_000.0 - 1.0) * 0.06;
            let ((s, c), (ws, wc)) = (sin_cos(x), x.sin_cos());
            assert!((s - ws).abs() <= 2.0 * f64::EPSILON * ws.abs(), "{x}");
            assert!((c - wc).abs() <= f64::EPSILON, "{x}");
            let y = x.abs();
            for r in [1.0, 0.3, 2.0] {
                let (a, w) = (atan2(y * r, r), (y * r).atan2(r));
                assert!((a - w).abs() <= 2.0 * f64::EPSILON * w, "{y} {r}");
            }
        }
    }

    #[test]
    fn short_lines_in_the_region_match_karney() {
        let mut rng = Rng(16);
        let pairs: Vec<_> = (0..200_000)
            .map(|i| {
                let a = ll(rng.range(68.0, 74.5), rng.range(38.5, 41.5));
                // lengths from a millimetre to past the Vincenty limit, log-uniform
                let d = 10f64.powf(rng.range(-3.0, 5.3));
                let b = toward(a, rng.range(-180.0, 180.0), d);
                if i % 7 == 0 { (b, a) } else { (a, b) }
            })
            .collect();
        let (dd, db) = check(&pairs, "region");
        // far inside the promise: the chord formula and Vincenty's short lines are good to
        // under a micrometre and a microdegree
        assert!(dd < 1e-6 && db < 1e-6, "{dd} {db}");
    }

    #[test]
    fn poles_equator_meridians_and_the_antimeridian_match_karney() {
        let mut rng = Rng(17);
        let mut pairs = Vec::new();
        for _ in 0..20_000 {
            let d = 10f64.powf(rng.range(-2.0, 5.2));
            let az = rng.range(-180.0, 180.0);
            // near and at the poles
            let p = ll(rng.range(-180.0, 180.0), rng.range(89.0, 90.0));
            pairs.push((p, toward(p, az, d)));
            let p = ll(rng.range(-180.0, 180.0), -90.0);
            pairs.push((p, toward(p, az, d)));
            // on the equator, along it, and along meridians
            let p = ll(rng.range(-180.0, 180.0), 0.0);
            pairs.push((p, toward(p, az, d)));
            pairs.push((p, toward(p, 90.0, d)));
            pairs.push((p, toward(p, 0.0, d)));
            let p = ll(rng.range(-180.0, 180.0), rng.range(-80.0, 80.0));
            pairs.push((p, toward(p, 180.0, d)));
            // across the antimeridian
            let p = ll(rng.range(179.5, 180.5), rng.range(-60.0, 60.0));
            pairs.push((p, toward(p, az, d)));
        }
        // coincident points
        pairs.push((ll(70.0, 40.0), ll(70.0, 40.0)));
        pairs.push((ll(0.0, 90.0), ll(120.0, 90.0)));
        check(&pairs, "special");
    }

    #[test]
    fn long_and_near_antipodal_lines_are_karneys() {
        let mut rng = Rng(18);
        let mut pairs = Vec::new();
        for _ in 0..5_000 {
            let a = ll(rng.range(-180.0, 180.0), rng.range(-90.0, 90.0));
            pairs.push((a, ll(rng.range(-180.0, 180.0), rng.range(-90.0, 90.0))));
            let d = rng.range(100_000.0, 20_003_000.0);
            pairs.push((a, toward(a, rng.range(-180.0, 180.0), d)));
            // nearly antipodal
            let anti = ll(
                a.lon() + 180.0 + rng.range(-0.5, 0.5),
                -a.lat() + rng.range(-0.5, 0.5),
            );
            pairs.push((a, anti));
        }
        check(&pairs, "long");
    }

    #[test]
    fn the_limit_is_where_the_fallback_starts() {
        let pole = Origin::new(ll(3.0, 90.0));
        assert!(pole.vincenty(&Origin::new(ll(3.0, 89.9))).is_none());
        let a = ll(70.0, 40.0);
        let b = toward(a, 30.0, VINCENTY_MAX_M * 0.999);
        assert!(Origin::new(a).vincenty(&Origin::new(b)).is_some());
        let b = toward(a, 30.0, VINCENTY_MAX_M * 1.001);
        assert!(Origin::new(a).vincenty(&Origin::new(b)).is_none());
    }

    /// Every point on or inside a geodesic circle lies in one of [`disc_boxes`]'s boxes:
    /// points at the full radius in every direction (the edge, where a loose bound would
    /// fail first) and inside it, from centres anywhere, the poles and the antimeridian
    /// included; and the boxes are not wildly loose at mid-latitudes.
    #[test]
    fn disc_boxes_hold_every_point_of_the_disc() {
        let inside = |boxes: &[[f64; 4]], p: LonLat| {
            boxes
                .iter()
                .any(|b| b[0] <= p.lon() && p.lon() <= b[2] && b[1] <= p.lat() && p.lat() <= b[3])
        };
        let mut rng = Rng(23);
        let mut centres: Vec<LonLat> = (0..400)
            .map(|_| ll(rng.range(-180.0, 180.0), rng.range(-90.0, 90.0)))
            .collect();
        centres.extend([
            ll(179.999, 0.0),
            ll(-179.999, 45.0),
            ll(0.0, 89.99),
            ll(10.0, -89.9),
        ]);
        for c in centres {
            for r in [1.0, 950.0, 25_000.0, 480_000.0, 3_000_000.0] {
                let boxes = disc_boxes(c, r);
                for i in 0..72 {
                    let az = f64::from(i) * 5.0 + rng.range(0.0, 5.0);
                    for d in [r, r * rng.f64()] {
                        let p = toward(c, az, d);
                        assert!(
                            inside(&boxes, p),
                            "{c:?} r {r}: {p:?} at {az}° {d} m, {boxes:?}"
                        );
                    }
                }
            }
        }
        // at 40° N a 10 km disc spans about 0.180° of latitude and 0.235° of longitude
        let b = disc_boxes(ll(70.0, 40.0), 10_000.0);
        let (w, h) = (b[0][2] - b[0][0], b[0][3] - b[0][1]);
        assert!(
            (0.180..0.182).contains(&h) && (0.234..0.24).contains(&w),
            "{w} × {h}"
        );
        // a disc over a pole takes every longitude
        assert_eq!(disc_boxes(ll(0.0, 89.99), 5_000.0)[0][0], -180.0);
    }
}
