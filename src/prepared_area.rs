//! An area (a MultiPolygon in lon/lat) prepared for many point-in-polygon tests.
//!
//! `within --polygon` asks the same question of every incident: is this point inside? A
//! plain test walks every edge of the polygon, so a district outline of 100,000 vertices
//! over a million incidents costs 10¹¹ edge checks. Here the edges are binned once by
//! latitude, and a test looks only at the edges that cross the point's latitude band: a few
//! dozen, whatever the size of the outline.
//!
//! The answers are those of `geo`'s `Contains` for a point: inside the interior, so a point
//! on an edge or a vertex is not contained, and a point in a hole is not contained. The test
//! counts the edges crossed by a ray towards the east (even–odd rule, which for valid
//! polygons, holes and disjoint parts gives the interior), and answers "not contained" as
//! soon as the point lies on an edge. `geo` is kept as the oracle in the tests below.
//!
//! Hand-written because the crates of the field (geo, rstar) offer a per-call test or a
//! general spatial index, not this one-dimensional binning, which is a few lines.

use geo::kernels::{Kernel, RobustKernel};
use geo::{BoundingRect, Coord, MultiPolygon, Orientation, Rect};

/// One edge of a ring, `a` to `b`, in lon/lat degrees.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
}

/// An area ready for point-in-polygon tests.
///
/// # Examples
/// ```
/// use bordermap::prepared_area::PreparedArea;
/// use geo::{Coord, MultiPolygon, polygon};
/// // a square, 1° on a side, with a hole in the middle (degrees)
/// let square = polygon!(
///     exterior: [(x: 70.0, y: 39.0), (x: 71.0, y: 39.0), (x: 71.0, y: 40.0), (x: 70.0, y: 40.0)],
///     interiors: [[(x: 70.4, y: 39.4), (x: 70.6, y: 39.4), (x: 70.6, y: 39.6), (x: 70.4, y: 39.6)]],
/// );
/// let area = PreparedArea::new(&MultiPolygon::new(vec![square]));
/// assert!(area.contains(Coord { x: 70.2, y: 39.2 }));
/// assert!(!area.contains(Coord { x: 70.5, y: 39.5 })); // in the hole
/// assert!(!area.contains(Coord { x: 70.0, y: 39.5 })); // on the edge
/// assert!(!area.contains(Coord { x: 72.0, y: 39.5 }));
/// ```
#[derive(Debug, Clone)]
pub struct PreparedArea {
    bbox: Option<Rect<f64>>,
    /// The south edge of the first band and the height of a band, degrees.
    y0: f64,
    dy: f64,
    /// The edges that reach into each band.
    bands: Vec<Vec<Edge>>,
}

/// Edges per band, on average, that the band count aims at.
const EDGES_PER_BAND: usize = 4;

/// The most bands: enough for outlines of millions of vertices.
const MAX_BANDS: usize = 1 << 16;

impl PreparedArea {
    /// Prepares `area`: one pass over its edges.
    pub fn new(area: &MultiPolygon<f64>) -> Self {
        let edges: Vec<Edge> = area
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| {
                ring.lines().map(|l| Edge {
                    a: l.start,
                    b: l.end,
                })
            })
            .filter(|e| e.a != e.b)
            .collect();
        let bbox = area.bounding_rect();
        let Some(bb) = bbox else {
            return PreparedArea {
                bbox,
                y0: 0.0,
                dy: 1.0,
                bands: Vec::new(),
            };
        };
        let n = (edges.len() / EDGES_PER_BAND).clamp(1, MAX_BANDS);
        let height = bb.height();
        let dy = if height > 0.0 { height / n as f64 } else { 1.0 };
        let mut area = PreparedArea {
            bbox,
            y0: bb.min().y,
            dy,
            bands: vec![Vec::new(); n],
        };
        for e in edges {
            let (lo, hi) = (area.band(e.a.y.min(e.b.y)), area.band(e.a.y.max(e.b.y)));
            for band in &mut area.bands[lo..=hi] {
                band.push(e);
            }
        }
        area
    }

    /// The band that latitude `y` falls in (clamped to the bands).
    fn band(&self, y: f64) -> usize {
        let i = ((y - self.y0) / self.dy).floor();
        if i <= 0.0 {
            0
        } else {
            (i as usize).min(self.bands.len().saturating_sub(1))
        }
    }

    /// True when `c` (lon/lat degrees) lies in the interior of the area.
    pub fn contains(&self, c: Coord<f64>) -> bool {
        let Some(bb) = self.bbox else {
            return false;
        };
        if c.x < bb.min().x || c.x > bb.max().x || c.y < bb.min().y || c.y > bb.max().y {
            return false;
        }
        let mut inside = false;
        for e in &self.bands[self.band(c.y)] {
            let (a, b) = (e.a, e.b);
            if on_segment(a, b, c) {
                return false;
            }
            // the ray from c towards the east crosses an edge that spans c's latitude
            // (half-open, so a vertex is counted once) when c lies on the edge's left
            // going up, or on its right going down: decided by the exact orientation test
            if (a.y > c.y) != (b.y > c.y) {
                let side = RobustKernel::orient2d(a, b, c);
                let wanted = if b.y > a.y {
                    Orientation::CounterClockwise
                } else {
                    Orientation::Clockwise
                };
                if side == wanted {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// True when `c` lies on the segment from `a` to `b` (exactly, as `geo` decides it).
fn on_segment(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> bool {
    let within =
        c.x >= a.x.min(b.x) && c.x <= a.x.max(b.x) && c.y >= a.y.min(b.y) && c.y <= a.y.max(b.y);
    within && RobustKernel::orient2d(a, b, c) == Orientation::Collinear
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, LineString, Polygon};

    use crate::synthetic::SplitMix64 as Rng;

    /// A star-shaped ring of `n` vertices around (cx, cy), radii between r/3 and r.
    fn star(rng: &mut Rng, n: usize, cx: f64, cy: f64, r: f64) -> LineString<f64> {
        let mut pts: Vec<Coord<f64>> = (0..n)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / n as f64;
                let rr = r * (1.0 + 2.0 * rng.f64()) / 3.0;
                Coord {
                    x: cx + rr * t.cos(),
                    y: cy + rr * t.sin(),
                }
            })
            .collect();
        pts.push(pts[0]);
        LineString::new(pts)
    }

    #[test]
    fn agrees_with_geo_everywhere_including_vertices_and_edges() {
        let mut rng = Rng(5);
        for case in 0..40 {
            let n = [3, 4, 7, 50, 400, 5000][case % 6];
            let outer = star(&mut rng, n, 70.5, 39.8, 0.4);
            // a hole, well inside the smallest radius of the outer ring
            let hole = star(&mut rng, n.min(60), 70.5, 39.8, 0.1);
            let second = Polygon::new(star(&mut rng, n, 72.0, 39.8, 0.3), vec![]);
            let area = MultiPolygon::new(vec![
                Polygon::new(outer.clone(), vec![hole.clone()]),
                second,
            ]);
            let prepared = PreparedArea::new(&area);
            let mut points: Vec<Coord<f64>> = (0..4000)
                .map(|_| Coord {
                    x: 69.9 + 2.6 * rng.f64(),
                    y: 39.3 + 1.0 * rng.f64(),
                })
                .collect();
            // every vertex, and points on edges
            points.extend(outer.0.iter().chain(hole.0.iter()).copied());
            points.extend(outer.lines().map(|l| Coord {
                x: (l.start.x + l.end.x) / 2.0,
                y: (l.start.y + l.end.y) / 2.0,
            }));
            for c in points {
                assert_eq!(
                    prepared.contains(c),
                    area.contains(&c),
                    "case {case}: {c:?}"
                );
            }
        }
    }

    #[test]
    fn empty_and_flat_areas_contain_nothing() {
        let empty = PreparedArea::new(&MultiPolygon::new(vec![]));
        assert!(!empty.contains(Coord { x: 0.0, y: 0.0 }));
        let flat = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (0.0, 0.0)]),
            vec![],
        );
        let area = PreparedArea::new(&MultiPolygon::new(vec![flat]));
        assert!(!area.contains(Coord { x: 0.5, y: 0.0 }));
    }
}
