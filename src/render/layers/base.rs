//! The base map: background, countries, enclaves and water below the graticule; other
//! boundaries and the Kyrgyzstan–Tajikistan border above it.

use super::Groups;
use crate::render::basemap::{self, Base};
use crate::render::legend::Drawn;
use crate::render::projection::Frame;
use crate::render::style;
use crate::render::svg::{PathData, Svg};

/// An enclave's label: its text, its anchor (px), the room around it (px), and the
/// sovereign (ISO2) that picks its colour.
pub type EnclaveLabel = (String, (f64, f64), f64, String);

/// What the land layers leave for the layers above: the country outlines the border layer
/// must not draw twice, and where the enclave names can go.
pub struct Land {
    /// Country outlines already drawn.
    pub outlines: PathData,
    /// Enclave labels to place.
    pub enclave_labels: Vec<EnclaveLabel>,
}

/// Draws the background, the countries, the enclaves and the water, recording in `drawn`
/// what the legend must list.
pub fn draw_land(
    svg: &mut Svg,
    frame: &Frame,
    base: &Base,
    g: &Groups<'_>,
    drawn: &mut Drawn,
) -> Land {
    let r = frame.rect;
    let layers = &base.layers;
    svg.group(&g.id("background"), &[]);
    svg.rect(r.x, r.y, r.w, r.h, &[("fill", style::LAND_OTHER.into())]);
    svg.close();

    svg.group(&g.id("countries"), &g.clipped());
    let outlines = basemap::draw_countries(svg, frame, layers, |c| {
        if c.role == "focus" {
            drawn.countries.insert((c.country.clone(), c.name.clone()));
        } else {
            drawn.neighbours = true;
        }
    });
    svg.close();

    let mut enclave_labels = Vec::new();
    svg.group(&g.id("enclaves"), &g.clipped());
    for e in &layers.enclaves {
        if !basemap::draw_enclave(svg, frame, e) {
            continue;
        }
        drawn.enclaves.insert(e.country.clone());
        if let Some((anchor, size)) = basemap::area_anchor(frame, &e.shape) {
            enclave_labels.push((
                format!("{} ({})", e.name, e.country),
                anchor,
                size,
                e.country.clone(),
            ));
        }
    }
    svg.close();

    svg.group(&g.id("rivers"), &g.clipped());
    (drawn.lakes, drawn.rivers) = basemap::draw_water(svg, frame, base);
    svg.close();
    Land {
        outlines,
        enclave_labels,
    }
}

/// Draws the other boundaries and the KG–TJ border above the graticule.
pub fn draw_borders(
    svg: &mut Svg,
    frame: &Frame,
    base: &Base,
    g: &Groups<'_>,
    outlines: PathData,
    drawn: &mut Drawn,
) {
    svg.group(&g.id("border"), &g.clipped());
    (drawn.boundaries, drawn.border) = basemap::draw_borders(svg, frame, &base.layers, outlines);
    svg.close();
}
