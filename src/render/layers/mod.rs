//! The map's layers, bottom to top, each drawn into its own `<g>`. The static maps
//! ([`super::panel`]) and the HTML page (`html::world`) draw the base and the disputed
//! overlay with the same functions; the incident and label layers are the static map's.
//!
//! | layer | what it draws |
//! |---|---|
//! | [`base`] | background, countries, enclaves, water (below the graticule); boundaries and the border (above it) |
//! | [`disputed`] | the disputed and agreed sections, with their status as of a date, or classed for the page |
//! | [`incidents`] | uncertainty halos, markers, count bubbles, clusters |
//! | [`labels`] | which labels go where, by priority; place dots; section badges |
//!
//! A new layer is a file here with a `draw` function, and one call in
//! [`super::panel::draw_panel`], where the z-order is visible.

pub mod base;
pub mod disputed;
pub mod incidents;
pub mod labels;

use super::basemap::Base;
use super::incidents::Item;
use super::style;
use super::{ColorBy, MapOptions};
use crate::model::{Date, EventType};

/// What every panel of one map shares.
pub struct Ctx<'a> {
    /// The base map data.
    pub base: &'static Base,
    /// Every incident of the input (panels pick theirs by index).
    pub items: &'a [Item<'a>],
    /// The map's options.
    pub opts: &'a MapOptions,
    /// The status date of the disputed sections.
    pub as_of: Date,
    /// The dates the map covers.
    pub span: Option<(Date, Date)>,
    /// Small multiples (several panels, or a facet).
    pub multi: bool,
}

impl Ctx<'_> {
    /// The colour of an incident and its stacking order in the timeline.
    pub fn colour_of(&self, it: &Item<'_>) -> (String, usize) {
        let type_order = EventType::ALL
            .iter()
            .position(|t| *t == it.etype)
            .unwrap_or(0);
        match self.opts.color_by {
            ColorBy::Type => (style::type_colour(it.etype).to_string(), type_order),
            ColorBy::Date => {
                let t = self.span.map_or(0.0, |(a, b)| {
                    let n = (b.days() - a.days()).max(1) as f64;
                    (it.start.days() - a.days()) as f64 / n
                });
                (style::date_colour(t), 0)
            }
            ColorBy::Claimant => {
                let g = it.claimant_group();
                (g.colour().to_string(), g as usize)
            }
        }
    }
}

/// How a panel's groups are named and clipped: `id-2` for the second panel of small
/// multiples, a `clip-path` for the map frame (none on the page, whose viewport clips).
pub struct Groups<'a> {
    /// Appended to every group id (`""` for a single map).
    pub suffix: &'a str,
    /// The id of the frame's clip path, if any.
    pub clip: Option<&'a str>,
}

impl Groups<'_> {
    /// The group id for `name`.
    pub fn id(&self, name: &str) -> String {
        if self.suffix.is_empty() {
            name.to_string()
        } else {
            format!("{name}-{}", self.suffix)
        }
    }

    /// The clip attribute for a clipped group (empty when there is no clip).
    pub fn clipped(&self) -> Vec<(&'static str, String)> {
        self.clip
            .map(|c| ("clip-path", format!("url(#{c})")))
            .into_iter()
            .collect()
    }
}
