//! Drawing the incident markers: one shape per event type, scaled to about the same visual
//! area as a circle of the given radius, painted with a fill, an outline and an optional
//! dash (for incidents placed only at an area).

use super::style::Shape;
use super::svg::{PathData, Svg};
use std::f64::consts::PI;

/// How a marker is painted.
#[derive(Debug, Clone)]
pub struct Paint {
    /// Fill colour (`none` for hollow markers).
    pub fill: String,
    /// Outline colour.
    pub stroke: String,
    /// Dashed outline (for incidents located only to an area).
    pub dashed: bool,
}

/// Draws a marker of `shape` and radius `r` centred on (x, y). The shapes are scaled to
/// about the same visual area as a circle of radius `r`.
pub fn draw_marker(svg: &mut Svg, shape: Shape, x: f64, y: f64, r: f64, paint: &Paint) {
    let mut attrs: Vec<(&'static str, String)> = vec![
        ("fill", paint.fill.clone()),
        ("stroke", paint.stroke.clone()),
        (
            "stroke-width",
            if paint.dashed { "1.6" } else { "1.2" }.into(),
        ),
    ];
    if paint.fill != "none" {
        let opacity = if paint.dashed { "0.4" } else { "0.9" };
        attrs.push(("fill-opacity", opacity.into()));
    }
    if paint.dashed {
        attrs.push(("stroke-dasharray", "3 2".into()));
    }
    if shape == Shape::Circle {
        svg.circle(x, y, r, &attrs);
        return;
    }
    svg.path(shape_path(shape, x, y, r), &attrs);
}

/// The path data of a non-circle shape.
pub fn shape_path(shape: Shape, x: f64, y: f64, r: f64) -> String {
    let mut d = PathData::new();
    let regular = |d: &mut PathData, n: usize, rr: f64, rot: f64| {
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = rot + 2.0 * PI * i as f64 / n as f64;
                (x + rr * a.sin(), y - rr * a.cos())
            })
            .collect();
        d.poly(&pts, true);
    };
    match shape {
        Shape::Circle => regular(&mut d, 24, r, 0.0),
        Shape::Square => {
            let s = r * 0.886;
            d.poly(
                &[
                    (x - s, y - s),
                    (x + s, y - s),
                    (x + s, y + s),
                    (x - s, y + s),
                ],
                true,
            );
        }
        Shape::Triangle => regular(&mut d, 3, r * 1.3, 0.0),
        Shape::TriangleDown => regular(&mut d, 3, r * 1.3, PI),
        Shape::Diamond => regular(&mut d, 4, r * 1.25, 0.0),
        Shape::Hexagon => regular(&mut d, 6, r * 1.1, PI / 6.0),
        Shape::Pentagon => regular(&mut d, 5, r * 1.15, 0.0),
        Shape::Star => {
            let pts: Vec<(f64, f64)> = (0..10)
                .map(|i| {
                    let rr = if i % 2 == 0 { r * 1.45 } else { r * 0.62 };
                    let a = PI * i as f64 / 5.0;
                    (x + rr * a.sin(), y - rr * a.cos())
                })
                .collect();
            d.poly(&pts, true);
        }
        Shape::Bar => {
            let (w, h) = (r * 1.5, r * 0.6);
            d.poly(
                &[
                    (x - w, y - h),
                    (x + w, y - h),
                    (x + w, y + h),
                    (x - w, y + h),
                ],
                true,
            );
        }
        Shape::Plus => {
            let (a, b) = (r * 1.2, r * 0.42);
            d.poly(
                &[
                    (x - b, y - a),
                    (x + b, y - a),
                    (x + b, y - b),
                    (x + a, y - b),
                    (x + a, y + b),
                    (x + b, y + b),
                    (x + b, y + a),
                    (x - b, y + a),
                    (x - b, y + b),
                    (x - a, y + b),
                    (x - a, y - b),
                    (x - b, y - b),
                ],
                true,
            );
        }
    }
    d.finish()
}

/// Half the extent of a shape of radius `r` (for collision boxes).
pub fn shape_extent(shape: Shape, r: f64) -> f64 {
    match shape {
        Shape::Star => r * 1.45,
        Shape::Triangle | Shape::TriangleDown => r * 1.3,
        Shape::Diamond => r * 1.25,
        Shape::Bar => r * 1.5,
        Shape::Plus => r * 1.2,
        Shape::Pentagon => r * 1.15,
        Shape::Hexagon => r * 1.1,
        Shape::Circle | Shape::Square => r,
    }
}
