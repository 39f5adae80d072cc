//! The page's world: the base map in UTM zone 42N, drawn by the map renderer's own layers,
//! clipping, projection and colours, as an SVG fragment the browser pans and zooms.
//!
//! World coordinates are UTM 42N grid metres divided by [`UNIT_M`], measured from the top-left
//! corner of the mapped area (x east, y south), so the numbers stay small and exact in the
//! browser's single-precision geometry. The page converts back with
//! `E = e0 + x · unit_m`, `N = n0 − y · unit_m` (see [`World`]).

use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::render::basemap::Base;
use crate::render::layers::{Groups, base, disputed};
use crate::render::legend::Drawn;
use crate::render::projection::{Frame, Projection, UTM_42N};
use crate::render::svg::{PathData, Svg};

/// Grid metres per world unit (nominal; [`World::unit_m`] holds the exact value).
pub const UNIT_M: f64 = 10.0;

/// The largest area the page maps, `[west, south, east, north]` degrees: the extent of the
/// shipped base layers (countries, rivers, lakes). Incidents outside it are listed, not drawn.
pub const MAX_AREA: [f64; 4] = [66.5, 37.0, 75.5, 43.5];

/// UTM's scale factor on the central meridian.
pub const UTM_K0: f64 = 0.9996;

/// UTM's false easting, metres.
pub const UTM_FALSE_EASTING: f64 = 500_000.0;

/// The projected area of the page.
#[derive(Debug)]
pub struct World {
    /// The renderer's frame, fitted so that one page pixel is one world unit.
    pub frame: Frame,
    /// Grid metres per world unit.
    pub unit_m: f64,
    /// Easting of the world origin (its top-left corner), metres.
    pub e0: f64,
    /// Northing of the world origin, metres.
    pub n0: f64,
    /// The mapped area, `[west, south, east, north]` degrees.
    pub area: [f64; 4],
}

impl World {
    /// Projects `area` (`[west, south, east, north]` degrees) at [`UNIT_M`] grid metres per
    /// world unit.
    ///
    /// # Examples
    /// ```
    /// use bordermap::html::world::World;
    /// use bordermap::render::projection::{Projection, UTM_42N};
    /// let w = World::new([70.35, 39.75, 71.0, 40.2]).unwrap();
    /// assert!((w.unit_m - 10.0).abs() < 1e-9);
    /// // Vorukh converts back to its UTM 42N easting and northing (about 635 174 m E,
    /// // 4 412 442 m N) to the millimetre.
    /// let (x, y) = w.to_world(70.58012, 39.85125).unwrap();
    /// let (e, n) = (w.e0 + x * w.unit_m, w.n0 - y * w.unit_m);
    /// let (e1, n1) = Projection::new(UTM_42N).unwrap().forward(70.58012, 39.85125).unwrap();
    /// assert!((e - e1).abs() < 1e-3 && (n - n1).abs() < 1e-3, "{e} {n}");
    /// assert!((e - 635_174.0).abs() < 1.0 && (n - 4_412_442.0).abs() < 1.0);
    /// ```
    pub fn new(area: [f64; 4]) -> Result<World> {
        // First fit: learn the projected extent; second: fix the scale at UNIT_M.
        let probe = Frame::fit(Projection::new(UTM_42N)?, area, 0.0, 0.0, 1000.0, 1000.0)?;
        let m = probe.grid_metres_per_px();
        let (dx, dy) = (probe.rect.w * m, probe.rect.h * m);
        let frame = Frame::fit(
            Projection::new(UTM_42N)?,
            area,
            0.0,
            0.0,
            dx / UNIT_M,
            dy / UNIT_M,
        )?;
        let unit_m = frame.grid_metres_per_px();
        let (lon, lat) = ((area[0] + area[2]) / 2.0, (area[1] + area[3]) / 2.0);
        let origin = frame
            .projection
            .forward(lon, lat)
            .zip(frame.to_px(lon, lat))
            .ok_or_else(|| Error::Output(format!("the map area cannot be projected: {area:?}")))?;
        let ((e, n), (x, y)) = origin;
        Ok(World {
            frame,
            unit_m,
            e0: e - x * unit_m,
            n0: n + y * unit_m,
            area,
        })
    }

    /// World position of a lon/lat point.
    pub fn to_world(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        self.frame.to_px(lon, lat)
    }

    /// Width and height, world units.
    pub fn size(&self) -> (f64, f64) {
        (self.frame.rect.w, self.frame.rect.h)
    }

    /// The point scale factor of the projection at the world centre, measured rather than
    /// computed: grid metres per pixel over geodesic (WGS84, Karney) metres per pixel. The
    /// page computes the same number from a series; the browser test compares the two.
    pub fn measured_scale_factor(&self) -> Option<f64> {
        Some(self.frame.grid_metres_per_px() / self.frame.ground_metres_per_px()?)
    }

    /// The Gaussian mean radius of curvature `sqrt(ρ·ν)` of WGS84 at the latitude of the
    /// world centre, the `R` of the page's scale-factor series
    /// `k = k0 · (1 + x²/2R² + x⁴/24R⁴)`, `x = (E − 500 000) / k0`.
    ///
    /// # Units
    /// metres.
    pub fn mean_radius_m(&self) -> f64 {
        const A: f64 = 6_378_137.0;
        const F: f64 = 1.0 / 298.257_223_563;
        let e2 = F * (2.0 - F);
        let phi = ((self.area[1] + self.area[3]) / 2.0).to_radians();
        let w = 1.0 - e2 * phi.sin().powi(2);
        let nu = A / w.sqrt();
        let rho = A * (1.0 - e2) / w.powf(1.5);
        (rho * nu).sqrt()
    }
}

/// The area to map: `core` grown to take in every located incident inside [`MAX_AREA`],
/// with a margin, and never beyond [`MAX_AREA`].
///
/// # Examples
/// ```
/// use bordermap::html::world::area_for;
/// use bordermap::LonLat;
/// let core = [69.0, 39.4, 72.0, 40.6];
/// // Samarkand widens the area westwards; a point in Spain does not.
/// let pts = [LonLat::new(66.9758, 39.6547).unwrap(), LonLat::new(-3.7, 40.4).unwrap()];
/// let a = area_for(core, &pts);
/// assert!(a[0] < 66.98 && a[0] >= 66.5 && a[2] == 72.0);
/// ```
pub fn area_for(core: [f64; 4], points: &[LonLat]) -> [f64; 4] {
    const MARGIN: f64 = 0.2;
    let mut a = core;
    for p in points {
        let (lon, lat) = (p.lon(), p.lat());
        if !inside(MAX_AREA, lon, lat) {
            continue;
        }
        a = [
            a[0].min(lon - MARGIN),
            a[1].min(lat - MARGIN),
            a[2].max(lon + MARGIN),
            a[3].max(lat + MARGIN),
        ];
    }
    within_max_area(a)
}

/// The part of a `[west, south, east, north]` box within [`MAX_AREA`] (empty, west ≥ east or
/// south ≥ north, when the box lies outside it).
pub fn within_max_area(b: [f64; 4]) -> [f64; 4] {
    [
        b[0].max(MAX_AREA[0]),
        b[1].max(MAX_AREA[1]),
        b[2].min(MAX_AREA[2]),
        b[3].min(MAX_AREA[3]),
    ]
}

/// True when a lon/lat point lies in a `[west, south, east, north]` box (edges included).
pub fn inside(b: [f64; 4], lon: f64, lat: f64) -> bool {
    lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]
}

fn attrs(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_string())).collect()
}

/// The base map as an SVG fragment in world units: background, countries, enclaves, water,
/// graticule, boundaries, the KG–TJ border, and the disputed-section overlay (one
/// `<g class="section" data-section="…">` per section; the page sets its status class).
/// Layer order, colours and line widths are the static map's; the page keeps line widths
/// constant on screen (`vector-effect: non-scaling-stroke`).
pub fn basemap_svg(world: &World, base: &Base) -> String {
    let frame = &world.frame;
    let mut svg = Svg::new();
    let g = Groups {
        suffix: "",
        clip: None,
    };
    let mut drawn = Drawn::default();
    let land = base::draw_land(&mut svg, frame, base, &g, &mut drawn);

    svg.group("graticule", &[]);
    svg.path(
        graticule(world),
        &attrs(&[
            ("fill", "none"),
            ("stroke", "#7f8c99"),
            ("stroke-width", "0.5"),
            ("stroke-opacity", "0.55"),
        ]),
    );
    svg.close();

    base::draw_borders(&mut svg, frame, base, &g, land.outlines, &mut drawn);
    disputed::draw(&mut svg, frame, &base.layers, &g, disputed::Look::Classed);

    svg.finish_fragment()
}

/// The graticule every 0.5°, as path data in world units.
fn graticule(world: &World) -> String {
    const STEP: f64 = 0.5;
    let a = world.area;
    let mut d = PathData::new();
    let ticks = |lo: f64, hi: f64| {
        let mut v = Vec::new();
        let mut k = (lo / STEP).ceil() as i64;
        while (k as f64) * STEP <= hi + 1e-9 && v.len() < 100 {
            v.push(k as f64 * STEP);
            k += 1;
        }
        v
    };
    for lon in ticks(a[0], a[2]) {
        let pts: Vec<(f64, f64)> = (0..=60)
            .filter_map(|i| world.to_world(lon, a[1] + (a[3] - a[1]) * f64::from(i) / 60.0))
            .collect();
        d.poly(&pts, false);
    }
    for lat in ticks(a[1], a[3]) {
        let pts: Vec<(f64, f64)> = (0..=60)
            .filter_map(|i| world.to_world(a[0] + (a[2] - a[0]) * f64::from(i) / 60.0, lat))
            .collect();
        d.poly(&pts, false);
    }
    d.finish()
}
