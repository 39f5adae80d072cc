//! The part of the globe a question needs, as longitude/latitude boxes. A question about one
//! place then reads only the incidents in those boxes: from a FlatGeobuf file through its
//! index ([`crate::fgb_input::FgbFile::read_regions`]), or from the positions of a sidecar
//! ([`crate::sidecar::open_regions`]).

use crate::error::Result;
use crate::geodesic::{disc_boxes, inverse};
use crate::model::LonLat;

/// The whole globe as one box, `[west, south, east, north]` in degrees.
pub const WHOLE_GLOBE: [f64; 4] = [-180.0, -90.0, 180.0, 90.0];

/// A part of the globe a question needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    /// Within this many metres (geodesic) of a point.
    Disc(LonLat, f64),
    /// The k incidents nearest to a point.
    Nearest(LonLat, usize),
    /// A lon/lat box `[west, south, east, north]`, degrees (west > east crosses the
    /// antimeridian).
    Box([f64; 4]),
}

impl Region {
    /// The lon/lat boxes that hold every incident `regions` need (none crosses the
    /// antimeridian). `holding(center, k)` gives a radius in metres within which at least
    /// `k` incidents lie, or `None` when there are fewer than `k` (see [`radius_holding`]).
    ///
    /// # Examples
    /// ```
    /// use bordermap::region::Region;
    /// use bordermap::LonLat;
    /// let vorukh = LonLat::new(70.58, 39.85).unwrap();
    /// let boxes = Region::boxes(
    ///     &[Region::Disc(vorukh, 10_000.0), Region::Box([179.0, -1.0, -179.0, 1.0])],
    ///     |_, _| Ok(None),
    /// )
    /// .unwrap();
    /// // the circle of 10 km (metres) in one box, the box across the antimeridian in two
    /// assert_eq!(boxes.len(), 3);
    /// assert!(boxes[0][0] < 70.47 && boxes[0][2] > 70.69);
    /// ```
    pub fn boxes(
        regions: &[Region],
        mut holding: impl FnMut(LonLat, usize) -> Result<Option<f64>>,
    ) -> Result<Vec<[f64; 4]>> {
        let mut boxes = Vec::new();
        for region in regions {
            match *region {
                Region::Disc(p, r) => boxes.extend(disc_boxes(p, r)),
                Region::Nearest(p, k) => match holding(p, k)? {
                    Some(r) => boxes.extend(disc_boxes(p, r)),
                    None => boxes.push(WHOLE_GLOBE),
                },
                Region::Box([w, s, e, n]) if w > e => {
                    boxes.extend([[w, s, 180.0, n], [-180.0, s, e, n]]);
                }
                Region::Box(b) => boxes.push(b),
            }
        }
        Ok(boxes)
    }
}

/// A radius (metres) within which at least `k` incidents lie around `center`: 1 km, widened
/// fourfold until the circle holds `k` of the positions that `near(boxes)` gives for the
/// circle's boxes. `None` when the circle has covered the globe with fewer than `k` in it.
///
/// # Examples
/// ```
/// use bordermap::region::{in_boxes, radius_holding};
/// use bordermap::LonLat;
/// let at = |lon| LonLat::new(lon, 39.85).unwrap();
/// let points = [at(70.58), at(70.60), at(70.70)];
/// let near = |boxes: &[[f64; 4]]| {
///     Ok(points.iter().copied().filter(|&p| in_boxes(boxes, p)).collect())
/// };
/// // 1.7 km and 10.3 km away: 4 km holds two points, 16 km all three
/// assert_eq!(radius_holding(at(70.58), 2, near).unwrap(), Some(4_000.0));
/// assert_eq!(radius_holding(at(70.58), 3, near).unwrap(), Some(16_000.0));
/// assert_eq!(radius_holding(at(70.58), 4, near).unwrap(), None);
/// ```
pub fn radius_holding(
    center: LonLat,
    k: usize,
    mut near: impl FnMut(&[[f64; 4]]) -> Result<Vec<LonLat>>,
) -> Result<Option<f64>> {
    let mut r = 1_000.0;
    loop {
        let boxes = disc_boxes(center, r);
        let inside = near(&boxes)?
            .into_iter()
            .filter(|&p| inverse(center, p).0 <= r)
            .count();
        if inside >= k {
            return Ok(Some(r));
        }
        // the circle has covered the globe, every incident was looked at: there are fewer
        // than k (it does, at the latest, once the radius passes 20,000 km)
        if boxes == [WHOLE_GLOBE] {
            return Ok(None);
        }
        r *= 4.0;
    }
}

/// True when `p` lies in one of `boxes` (edges included).
///
/// # Examples
/// ```
/// use bordermap::region::in_boxes;
/// let p = bordermap::LonLat::new(70.58, 39.85).unwrap();
/// assert!(in_boxes(&[[70.0, 39.0, 71.0, 40.0]], p));
/// assert!(!in_boxes(&[[71.0, 39.0, 72.0, 40.0]], p));
/// ```
pub fn in_boxes(boxes: &[[f64; 4]], p: LonLat) -> bool {
    holds(boxes, p.lon(), p.lat())
}

/// [`in_boxes`] for a longitude and latitude (degrees) not yet checked: a value that is not
/// a number is in no box.
///
/// # Examples
/// ```
/// use bordermap::region::holds;
/// assert!(holds(&[[70.0, 39.0, 71.0, 40.0]], 70.58, 39.85));
/// assert!(!holds(&[[70.0, 39.0, 71.0, 40.0]], f64::NAN, 39.85));
/// ```
pub fn holds(boxes: &[[f64; 4]], lon: f64, lat: f64) -> bool {
    boxes
        .iter()
        .any(|b| b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3])
}
