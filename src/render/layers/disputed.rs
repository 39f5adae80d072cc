//! The disputed-section overlay: each recorded section of the border as a dashed red line
//! on a white casing while contested, a dotted green line once agreed.
//!
//! The static maps draw each section's status as of one date and number it; the HTML page
//! draws every section once with classes (`casing`, `line`) and sets its status itself.

use super::Groups;
use crate::border::Layers;
use crate::model::Date;
use crate::render::basemap;
use crate::render::incidents::long_date;
use crate::render::legend::Drawn;
use crate::render::projection::Frame;
use crate::render::style;
use crate::render::svg::{PathData, Svg};

/// How the sections look.
pub enum Look<'a> {
    /// Coloured by their status on this date, numbered, recorded in `Drawn` for the key.
    AsOf(Date, &'a mut Drawn),
    /// Classed for the page's style sheet, which colours them by the chosen date.
    Classed,
}

/// Draws the sections in the frame; returns each drawn section's number and a point on
/// its longest visible run (px), where its number badge can go.
pub fn draw(
    svg: &mut Svg,
    frame: &Frame,
    layers: &Layers,
    g: &Groups<'_>,
    mut look: Look<'_>,
) -> Vec<(usize, (f64, f64))> {
    let r = frame.rect;
    let mut anchors = Vec::new();
    svg.group(&g.id("disputed"), &g.clipped());
    for (k, s) in layers.sections.iter().enumerate() {
        let runs = basemap::line_runs(frame, &[&s.line], 0.02);
        let runs: Vec<_> = match look {
            Look::AsOf(..) => runs
                .into_iter()
                .filter(|run| run.iter().any(|p| r.contains(p.0, p.1)))
                .collect(),
            Look::Classed => runs,
        };
        let mut d = PathData::new();
        for run in &runs {
            d.poly(run, false);
        }
        if d.is_empty() {
            continue;
        }
        let d = d.finish();
        let Look::AsOf(as_of, drawn) = &mut look else {
            svg.group_attrs(&[("class", "section".into()), ("data-section", s.id.clone())]);
            svg.title(&s.name);
            svg.path(d.clone(), &casing(Some("casing")));
            svg.path(
                d,
                &[
                    ("class", "line".into()),
                    ("fill", "none".into()),
                    ("stroke-linejoin", "round".into()),
                ],
            );
            svg.close();
            continue;
        };
        let status = s.status_on(*as_of);
        svg.group_attrs(&[
            ("class", "section".into()),
            ("data-section", s.id.clone()),
            ("data-status", status.as_str().into()),
        ]);
        svg.title(&format!(
            "{} {} — {} as of {}{}. {}",
            k + 1,
            s.name,
            status.as_str(),
            long_date(*as_of),
            if s.approximate {
                " (extent approximate)"
            } else {
                ""
            },
            s.description
        ));
        if status.is_contested() {
            svg.path(d.clone(), &casing(None));
            svg.path(
                d,
                &[
                    ("fill", "none".into()),
                    ("stroke", style::DISPUTED.into()),
                    ("stroke-width", "2.6".into()),
                    ("stroke-dasharray", "6 3".into()),
                    ("stroke-linejoin", "round".into()),
                ],
            );
        } else {
            svg.path(
                d,
                &[
                    ("fill", "none".into()),
                    ("stroke", style::AGREED.into()),
                    ("stroke-width", "2".into()),
                    ("stroke-dasharray", "2 3".into()),
                ],
            );
        }
        svg.close();
        if !drawn.sections.iter().any(|x| x.0 == k + 1) {
            drawn.sections.push((k + 1, s.name.clone(), status));
        }
        let longest = runs
            .iter()
            .max_by_key(|r| r.len())
            .cloned()
            .unwrap_or_default();
        let mid = longest[longest.len() / 2];
        anchors.push((k + 1, mid));
    }
    if let Look::AsOf(_, drawn) = &mut look {
        drawn.sections.sort_by_key(|s| s.0);
    }
    svg.close();
    anchors
}

/// The white casing under a section line.
fn casing(class: Option<&'static str>) -> Vec<(&'static str, String)> {
    let mut a: Vec<(&'static str, String)> =
        class.map(|c| ("class", c.into())).into_iter().collect();
    a.extend([
        ("fill", "none".into()),
        ("stroke", "#ffffff".into()),
        ("stroke-width", "6".into()),
        ("stroke-linecap", "round".into()),
        ("stroke-linejoin", "round".into()),
    ]);
    a
}
