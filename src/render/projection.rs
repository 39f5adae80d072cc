//! Map projections (through proj4rs) and the frame that fits a lon/lat box onto the page.
//!
//! The main map uses UTM zone 42N on WGS84 (`EPSG:32642`): conformal, and the zone's central
//! meridian (69°E) lies just west of the Batken–Sughd border region, so scale distortion
//! there stays under 0.05 %. The inset locator uses a Lambert conformal conic projection
//! centred on Central Asia. Grid north of UTM differs from true north by the meridian
//! convergence (about 1° at Batken), which [`Frame::convergence_deg`] computes.

use crate::error::{Error, Result};
use geo::{Distance, Geodesic, Point};
use proj4rs::Proj;

/// The main map's projection: UTM zone 42N, WGS84.
pub const UTM_42N: &str = "+proj=utm +zone=42 +datum=WGS84 +units=m +no_defs";

/// The inset's projection: Lambert conformal conic for Central Asia.
pub const LCC_CENTRAL_ASIA: &str =
    "+proj=lcc +lat_1=35 +lat_2=50 +lat_0=42 +lon_0=68 +datum=WGS84 +units=m +no_defs";

const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// A projection from WGS84 lon/lat (degrees) to planar metres, and back.
#[derive(Debug)]
pub struct Projection {
    geographic: Proj,
    planar: Proj,
}

impl Projection {
    /// Builds a projection from a PROJ string.
    ///
    /// # Examples
    /// ```
    /// use bordermap::render::projection::{Projection, UTM_42N};
    /// let p = Projection::new(UTM_42N).unwrap();
    /// let (x, y) = p.forward(69.0, 0.0).unwrap();
    /// assert!((x - 500_000.0).abs() < 1e-6 && y.abs() < 1e-6);
    /// ```
    pub fn new(def: &str) -> Result<Self> {
        let make = |s: &str| {
            Proj::from_proj_string(s)
                .map_err(|e| Error::Output(format!("projection {s:?} is not usable: {e}")))
        };
        Ok(Projection {
            geographic: make(WGS84)?,
            planar: make(def)?,
        })
    }

    /// Projects lon/lat degrees to metres; `None` when the projection fails.
    pub fn forward(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.geographic, &self.planar, &mut p).ok()?;
        (p.0.is_finite() && p.1.is_finite()).then_some((p.0, p.1))
    }

    /// Unprojects metres to lon/lat degrees.
    pub fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let mut p = (x, y, 0.0);
        proj4rs::transform::transform(&self.planar, &self.geographic, &mut p).ok()?;
        let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }
}

/// A rectangle in page pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// True when the rectangles overlap (touching edges do not count).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// True when `o` lies wholly inside.
    pub fn contains_rect(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    /// True when the point lies inside (edges included).
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.right() && y >= self.y && y <= self.bottom()
    }

    /// Grown by `d` on every side.
    pub fn grow(&self, d: f64) -> Rect {
        Rect {
            x: self.x - d,
            y: self.y - d,
            w: self.w + 2.0 * d,
            h: self.h + 2.0 * d,
        }
    }
}

/// A projected map frame: a lon/lat box fitted onto a rectangle of the page.
#[derive(Debug)]
pub struct Frame {
    /// The projection.
    pub projection: Projection,
    /// Where the map sits on the page.
    pub rect: Rect,
    min_x: f64,
    max_y: f64,
    /// Page pixels per projected metre.
    scale: f64,
    /// Lon/lat envelope of the frame, `[west, south, east, north]` (for cheap pre-filters).
    pub lonlat_envelope: [f64; 4],
}

impl Frame {
    /// Fits `bbox` (`[west, south, east, north]`, degrees) into at most `max_w` × `max_h`
    /// px with its top-left at (`x`, `y`). The frame covers the whole box: its edges,
    /// curved in the projection, are sampled and enveloped.
    ///
    /// # Examples
    /// ```
    /// use bordermap::render::projection::{Frame, Projection, UTM_42N};
    /// let p = Projection::new(UTM_42N).unwrap();
    /// let f = Frame::fit(p, [70.35, 39.75, 71.0, 40.2], 0.0, 0.0, 1000.0, 1000.0).unwrap();
    /// assert!((f.rect.w - 1000.0).abs() < 1e-9);
    /// let (x, y) = f.to_px(70.6, 40.0).unwrap();
    /// assert!(f.rect.contains(x, y));
    /// ```
    pub fn fit(
        projection: Projection,
        bbox: [f64; 4],
        x: f64,
        y: f64,
        max_w: f64,
        max_h: f64,
    ) -> Result<Self> {
        let [w, s, e, n] = bbox;
        let mut env = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        const STEPS: usize = 32;
        for i in 0..=STEPS {
            let t = i as f64 / STEPS as f64;
            for (lon, lat) in [
                (w + t * (e - w), s),
                (w + t * (e - w), n),
                (w, s + t * (n - s)),
                (e, s + t * (n - s)),
            ] {
                let (px, py) = projection.forward(lon, lat).ok_or_else(|| {
                    Error::Output(format!("the map area cannot be projected at {lon}, {lat}"))
                })?;
                env = [
                    env[0].min(px),
                    env[1].min(py),
                    env[2].max(px),
                    env[3].max(py),
                ];
            }
        }
        let (dx, dy) = (env[2] - env[0], env[3] - env[1]);
        if !(dx > 0.0 && dy > 0.0) {
            return Err(Error::Output("the map area is empty".into()));
        }
        let scale = (max_w / dx).min(max_h / dy);
        let rect = Rect {
            x,
            y,
            w: dx * scale,
            h: dy * scale,
        };
        let mut f = Frame {
            projection,
            rect,
            min_x: env[0],
            max_y: env[3],
            scale,
            lonlat_envelope: [w, s, e, n],
        };
        // The frame's own lon/lat envelope is a little larger than the box (curved edges).
        let mut ll = [w, s, e, n];
        for i in 0..=STEPS {
            let t = i as f64 / STEPS as f64;
            for (px, py) in [
                (rect.x + t * rect.w, rect.y),
                (rect.x + t * rect.w, rect.bottom()),
                (rect.x, rect.y + t * rect.h),
                (rect.right(), rect.y + t * rect.h),
            ] {
                if let Some((lon, lat)) = f.from_px(px, py) {
                    ll = [
                        ll[0].min(lon),
                        ll[1].min(lat),
                        ll[2].max(lon),
                        ll[3].max(lat),
                    ];
                }
            }
        }
        f.lonlat_envelope = ll;
        Ok(f)
    }

    /// Page position of a lon/lat point.
    pub fn to_px(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        let (x, y) = self.projection.forward(lon, lat)?;
        Some(self.xy_to_px(x, y))
    }

    /// Page position of a projected point.
    pub fn xy_to_px(&self, x: f64, y: f64) -> (f64, f64) {
        (
            self.rect.x + (x - self.min_x) * self.scale,
            self.rect.y + (self.max_y - y) * self.scale,
        )
    }

    /// Lon/lat of a page position.
    pub fn from_px(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let x = self.min_x + (px - self.rect.x) / self.scale;
        let y = self.max_y - (py - self.rect.y) / self.scale;
        self.projection.inverse(x, y)
    }

    /// Projected (grid) metres per page pixel.
    pub fn grid_metres_per_px(&self) -> f64 {
        1.0 / self.scale
    }

    /// True when a lon/lat point may be in the frame (cheap envelope test).
    pub fn may_contain(&self, lon: f64, lat: f64) -> bool {
        let e = self.lonlat_envelope;
        lon >= e[0] - 0.05 && lon <= e[2] + 0.05 && lat >= e[1] - 0.05 && lat <= e[3] + 0.05
    }

    /// The page centre of the frame.
    pub fn centre_px(&self) -> (f64, f64) {
        (
            self.rect.x + self.rect.w / 2.0,
            self.rect.y + self.rect.h / 2.0,
        )
    }

    /// Ground metres per page pixel at the frame centre, measured geodesically (WGS84,
    /// Karney) along a 100-px east–west segment through the centre.
    ///
    /// # Units
    /// metres per pixel.
    pub fn ground_metres_per_px(&self) -> Option<f64> {
        let (cx, cy) = self.centre_px();
        let a = self.from_px(cx - 50.0, cy)?;
        let b = self.from_px(cx + 50.0, cy)?;
        Some(Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 100.0)
    }

    /// The angle, in degrees clockwise from page-up, of true north at the frame centre
    /// (the meridian convergence seen on the page): a point 0.01° north of the centre is
    /// projected, and the direction to it measured.
    pub fn convergence_deg(&self) -> Option<f64> {
        let (cx, cy) = self.centre_px();
        let (lon, lat) = self.from_px(cx, cy)?;
        let (nx, ny) = self.to_px(lon, lat + 0.01)?;
        Some((nx - cx).atan2(cy - ny).to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convergence_east_of_central_meridian_is_negative_on_page() {
        let p = Projection::new(UTM_42N).unwrap();
        let f = Frame::fit(p, [70.35, 39.75, 71.0, 40.2], 0.0, 0.0, 800.0, 800.0).unwrap();
        // East of 69°E, grid north points east of true north, so true north leans west.
        let c = f.convergence_deg().unwrap();
        assert!(c < -0.8 && c > -1.3, "{c}");
    }
}
