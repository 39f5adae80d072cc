//! The legend: exactly the symbol kinds that were drawn, and nothing else.
//!
//! The map code records what it drew in a [`Drawn`]; [`draw`] turns that into legend rows.
//! Each event-type row carries `data-legend-type`, so tests can compare it with the
//! `data-type` of the drawn markers.

use super::ColorBy;
use super::incidents::{CLUSTER_CELL_PX, HALO_CAP_PX};
use super::markers::{Paint, draw_marker};
use super::placement::text_width;
use super::style::{self, ClaimantGroup};
use super::svg::Svg;
use super::text::{self, fill};
use crate::Lang;
use crate::border::SectionStatus;
use crate::model::{Date, EventType};
use std::collections::BTreeSet;

/// What the map drew, for the legend.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    /// Event types of the drawn markers and clusters.
    pub types: BTreeSet<EventType>,
    /// Claimant groups drawn (colour by claimant).
    pub claimants: BTreeSet<ClaimantGroup>,
    /// Date range for the colour ramp (colour by date).
    pub date_range: Option<(Date, Date)>,
    /// The largest best-fatality figure drawn (when sized).
    pub max_fatalities: Option<u32>,
    /// A halo for a point-located incident was drawn.
    pub precise_halo: bool,
    /// A halo too large to fill was drawn as an outline.
    pub big_halo: bool,
    /// A marker was ringed because its place's country differs from the line's side.
    pub side_disagrees: bool,
    /// Area-located incidents were drawn; the largest true uncertainty, metres.
    pub area_located: Option<f64>,
    /// Some markers were displaced onto rings.
    pub displaced: bool,
    /// Some groups were drawn as count bubbles, or the frame was clustered.
    pub bubbles: bool,
    /// Grid clusters were drawn.
    pub clusters: bool,
    /// Country fills drawn: (ISO2, name).
    pub countries: BTreeSet<(String, String)>,
    /// Neighbour fills drawn.
    pub neighbours: bool,
    /// Enclave sovereigns drawn (ISO2).
    pub enclaves: BTreeSet<String>,
    /// Rivers drawn.
    pub rivers: bool,
    /// Lakes drawn.
    pub lakes: bool,
    /// The KG–TJ border drawn.
    pub border: bool,
    /// Other boundaries drawn.
    pub boundaries: bool,
    /// Sections drawn: (number, name, status).
    pub sections: Vec<(usize, String, SectionStatus)>,
    /// Towns drawn.
    pub towns: bool,
    /// Villages drawn.
    pub villages: bool,
}

/// Legend inputs that are not about what was drawn.
#[derive(Debug, Clone, Copy)]
pub struct LegendContext {
    /// The colour mode.
    pub color_by: ColorBy,
    /// Whether markers are sized by fatalities.
    pub sized: bool,
    /// The status date of the disputed overlay.
    pub as_of: Date,
    /// The language of the rows.
    pub lang: Lang,
}

const FS: f64 = 12.0;
const LINE: f64 = 17.0;

/// Word-wraps `text` to lines of at most `width` px at `size`.
pub fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&cand, size, false) > width && !cur.is_empty() {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

struct Rows<'a> {
    svg: &'a mut Svg,
    x: f64,
    y: f64,
    w: f64,
}

impl Rows<'_> {
    fn heading(&mut self, text: &str) {
        self.y += 8.0;
        self.svg.text(
            self.x,
            self.y + 12.0,
            text,
            &crate::render::svg::text_attrs(13.0, style::INK, true, false),
        );
        self.y += 19.0;
    }

    /// Writes wrapped text beside a 28-px symbol column; returns the row's top and height.
    fn label(&mut self, text: &str) -> (f64, f64) {
        let top = self.y;
        let lines = wrap(text, self.w - 34.0, FS);
        for (i, l) in lines.iter().enumerate() {
            self.svg.text(
                self.x + 34.0,
                self.y + 12.0 + i as f64 * 15.0,
                l,
                &crate::render::svg::text_attrs(FS, style::INK, false, false),
            );
        }
        let h = (lines.len().max(1) as f64 * 15.0).max(LINE) + 3.0;
        self.y += h;
        (top, h)
    }
}

/// Draws the legend at (`x`, `y`), `w` px wide; returns its height. One section after
/// another, each listing only what was drawn.
pub fn draw(svg: &mut Svg, x: f64, y: f64, w: f64, d: &Drawn, ctx: LegendContext) -> f64 {
    svg.group("legend", &[]);
    let mut r = Rows { svg, x, y, w };
    r.svg.text(
        x,
        r.y + 14.0,
        text::of(ctx.lang).legend,
        &crate::render::svg::text_attrs(15.0, style::INK, true, false),
    );
    r.y += 18.0;
    types(&mut r, d, ctx);
    colours(&mut r, d, ctx);
    sizes(&mut r, d, ctx);
    location(&mut r, d, ctx.lang);
    base_map(&mut r, d, ctx);
    let h = r.y - y;
    svg.close();
    h
}

/// Event types: shape (and colour, when colour is by type).
fn types(r: &mut Rows<'_>, d: &Drawn, ctx: LegendContext) {
    let x = r.x;
    let tx = text::of(ctx.lang);
    if !d.types.is_empty() {
        r.heading(match ctx.color_by {
            ColorBy::Type => tx.type_shape_colour,
            _ => tx.type_shape,
        });
        for t in &d.types {
            r.svg.group_attrs(&[
                ("class", "legend-type".into()),
                ("data-legend-type", t.as_str().into()),
            ]);
            let cy = r.y + 8.0;
            let fill = match ctx.color_by {
                ColorBy::Type => style::type_colour(*t).to_string(),
                _ => "#8c8c8c".to_string(),
            };
            let paint = Paint {
                fill,
                stroke: "#1a1a1a".into(),
                dashed: false,
            };
            draw_marker(r.svg, style::shape(*t), x + 12.0, cy, 6.5, &paint);
            r.label(tx.event_type(*t));
            r.svg.close();
        }
    }
}

/// The colour scale when colour is by date or by claimant.
fn colours(r: &mut Rows<'_>, d: &Drawn, ctx: LegendContext) {
    let (x, w) = (r.x, r.w);
    let tx = text::of(ctx.lang);
    match ctx.color_by {
        ColorBy::Date => {
            if let Some((a, b)) = d.date_range {
                r.heading(tx.colour_date);
                let bw = w - 20.0;
                for i in 0..24 {
                    let t = i as f64 / 23.0;
                    r.svg.rect(
                        x + t * (bw - bw / 24.0),
                        r.y,
                        bw / 24.0 + 0.5,
                        12.0,
                        &[("fill", style::date_colour(t))],
                    );
                }
                r.y += 26.0;
                r.svg.text(
                    x,
                    r.y,
                    &tx.date(a),
                    &crate::render::svg::text_attrs(11.0, style::INK, false, false),
                );
                let end = tx.date(b);
                r.svg.text(
                    x + bw - text_width(&end, 11.0, false),
                    r.y,
                    &end,
                    &crate::render::svg::text_attrs(11.0, style::INK, false, false),
                );
                r.y += 8.0;
            }
        }
        ColorBy::Claimant => {
            if !d.claimants.is_empty() {
                r.heading(tx.colour_claimant);
                for g in &d.claimants {
                    let cy = r.y + 8.0;
                    r.svg.circle(
                        x + 12.0,
                        cy,
                        6.0,
                        &[("fill", g.colour().into()), ("stroke", "#1a1a1a".into())],
                    );
                    r.label(tx.claimants[*g as usize]);
                }
            }
        }
        ColorBy::Type => {}
    }
}

/// Marker sizes by fatalities, and the rule behind them.
fn sizes(r: &mut Rows<'_>, d: &Drawn, ctx: LegendContext) {
    let (x, w) = (r.x, r.w);
    let tx = text::of(ctx.lang);
    if ctx.sized
        && let Some(max) = d.max_fatalities
    {
        r.heading(tx.size);
        let cap = style::size_cap();
        let mut values: Vec<u32> = [0, 10, 50, 100, 250, 500]
            .into_iter()
            .filter(|v| *v < cap && (*v == 0 || *v <= max.max(10)))
            .collect();
        if max >= cap {
            values.push(cap);
        }
        if values.len() > 4 {
            values.drain(1..values.len() - 3);
        }
        let mut cx = x + 6.0;
        let max_r = style::marker_radius(*values.last().unwrap_or(&0), true);
        let base = r.y + 2.0 * max_r;
        for v in &values {
            let rr = style::marker_radius(*v, true);
            cx += rr;
            r.svg.circle(
                cx,
                base - rr,
                rr,
                &[("fill", "none".into()), ("stroke", "#444444".into())],
            );
            r.svg.text(
                cx - text_width(&v.to_string(), 10.0, false) / 2.0,
                base + 12.0,
                &v.to_string(),
                &crate::render::svg::text_attrs(10.0, style::INK, false, false),
            );
            cx += rr + 12.0;
        }
        r.y = base + 18.0;
        for l in wrap(
            &fill(
                tx.size_rule,
                &[&style::size_cap().to_string(), tx.fatality_rule],
            ),
            w,
            11.0,
        ) {
            r.svg.text(
                x,
                r.y + 10.0,
                &l,
                &crate::render::svg::text_attrs(11.0, style::INK_SOFT, false, false),
            );
            r.y += 14.0;
        }
    }
}

/// How locations are shown: uncertainty halos, area-located markers, displaced markers,
/// counts.
fn location(r: &mut Rows<'_>, d: &Drawn, lang: Lang) {
    let x = r.x;
    let tx = text::of(lang);
    if d.precise_halo
        || d.big_halo
        || d.side_disagrees
        || d.area_located.is_some()
        || d.displaced
        || d.bubbles
        || d.clusters
    {
        r.heading(tx.location);
        if d.precise_halo {
            let cy = r.y + 8.0;
            r.svg.circle(
                x + 12.0,
                cy,
                9.0,
                &[
                    ("fill", "#d55e00".into()),
                    ("fill-opacity", "0.15".into()),
                    ("stroke", "#d55e00".into()),
                    ("stroke-opacity", "0.6".into()),
                    ("stroke-width", "0.8".into()),
                ],
            );
            r.svg
                .circle(x + 12.0, cy, 3.0, &[("fill", "#1a1a1a".into())]);
            r.label(tx.halo);
        }
        if d.big_halo {
            let cy = r.y + 8.0;
            r.svg.circle(
                x + 12.0,
                cy,
                9.0,
                &[
                    ("fill", "none".into()),
                    ("stroke", "#555555".into()),
                    ("stroke-width", "0.8".into()),
                    ("stroke-dasharray", "3 3".into()),
                ],
            );
            r.label(&fill(tx.big_halo, &[&style::BIG_HALO_PX.to_string()]));
        }
        if d.side_disagrees {
            let cy = r.y + 8.0;
            r.svg.circle(
                x + 12.0,
                cy,
                9.0,
                &[
                    ("fill", "none".into()),
                    ("stroke", style::SIDE_DISAGREES.into()),
                    ("stroke-width", "1.6".into()),
                    ("stroke-dasharray", "2 2".into()),
                ],
            );
            r.label(tx.side_disagrees);
        }
        if let Some(m) = d.area_located {
            let cy = r.y + 8.0;
            r.svg.circle(
                x + 12.0,
                cy,
                10.0,
                &[
                    ("fill", "#808080".into()),
                    ("fill-opacity", "0.06".into()),
                    ("stroke", "#666666".into()),
                    ("stroke-dasharray", "4 3".into()),
                ],
            );
            let paint = Paint {
                fill: "#ffffff".into(),
                stroke: "#444444".into(),
                dashed: true,
            };
            draw_marker(r.svg, style::Shape::Circle, x + 12.0, cy, 5.0, &paint);
            r.label(&fill(
                tx.area_located,
                &[&HALO_CAP_PX.to_string(), &tx.distance(m)],
            ));
        }
        if d.displaced {
            let cy = r.y + 8.0;
            r.svg.line(
                (x + 4.0, cy + 4.0),
                (x + 18.0, cy - 4.0),
                &[("stroke", "#333333".into()), ("stroke-width", "0.8".into())],
            );
            r.svg
                .circle(x + 4.0, cy + 4.0, 2.0, &[("fill", "#1a1a1a".into())]);
            r.label(tx.displaced);
        }
        if d.bubbles || d.clusters {
            let cy = r.y + 8.0;
            r.svg.circle(
                x + 12.0,
                cy,
                8.0,
                &[
                    ("fill", "#ffffff".into()),
                    ("stroke", "#1a1a1a".into()),
                    ("stroke-width", "1.4".into()),
                ],
            );
            r.svg.text(
                x + 8.5,
                cy + 4.0,
                "n",
                &crate::render::svg::text_attrs(11.0, style::INK, true, false),
            );
            r.label(&if d.clusters {
                fill(tx.clusters, &[&CLUSTER_CELL_PX.to_string()])
            } else {
                tx.bubbles.to_string()
            });
        }
    }
}

/// The base map: the border, other boundaries, the sections, the enclaves.
fn base_map(r: &mut Rows<'_>, d: &Drawn, ctx: LegendContext) {
    let x = r.x;
    let tx = text::of(ctx.lang);
    r.heading(tx.base_map);
    if d.border {
        let cy = r.y + 8.0;
        r.svg.line(
            (x, cy),
            (x + 26.0, cy),
            &[
                ("stroke", style::BORDER.into()),
                ("stroke-width", "1.8".into()),
            ],
        );
        r.label(tx.border);
    }
    if d.boundaries {
        let cy = r.y + 8.0;
        r.svg.line(
            (x, cy),
            (x + 26.0, cy),
            &[
                ("stroke", style::BOUNDARY.into()),
                ("stroke-width", "0.9".into()),
            ],
        );
        r.label(tx.other_boundary);
    }
    let contested: Vec<_> = d.sections.iter().filter(|s| s.2.is_contested()).collect();
    let agreed: Vec<_> = d.sections.iter().filter(|s| !s.2.is_contested()).collect();
    if !contested.is_empty() {
        let cy = r.y + 8.0;
        r.svg.line(
            (x, cy),
            (x + 26.0, cy),
            &[("stroke", "#ffffff".into()), ("stroke-width", "6".into())],
        );
        r.svg.line(
            (x, cy),
            (x + 26.0, cy),
            &[
                ("stroke", style::DISPUTED.into()),
                ("stroke-width", "2.6".into()),
                ("stroke-dasharray", "6 3".into()),
            ],
        );
        r.label(&fill(tx.disputed, &[&tx.date(ctx.as_of)]));
    }
    if !agreed.is_empty() {
        let cy = r.y + 8.0;
        r.svg.line(
            (x, cy),
            (x + 26.0, cy),
            &[
                ("stroke", style::AGREED.into()),
                ("stroke-width", "2".into()),
                ("stroke-dasharray", "2 3".into()),
            ],
        );
        r.label(&fill(tx.agreed, &[&tx.date(ctx.as_of)]));
    }
    for iso in &d.enclaves {
        let cy = r.y + 8.0;
        r.svg.rect(
            x + 3.0,
            cy - 6.0,
            18.0,
            12.0,
            &[
                ("fill", style::enclave_fill(iso).into()),
                ("stroke", style::enclave_stroke(iso).into()),
            ],
        );
        r.label(tx.enclave(iso));
    }
}

/// Draws the key to the numbered border sections at (`x`, `y`) in two columns over `w`
/// px; returns its height (0 when no section was drawn).
pub fn draw_section_key(
    svg: &mut Svg,
    x: f64,
    y: f64,
    w: f64,
    d: &Drawn,
    as_of: Date,
    lang: Lang,
) -> f64 {
    if d.sections.is_empty() {
        return 0.0;
    }
    let tx = text::of(lang);
    svg.group("section-key", &[]);
    svg.text(
        x,
        y + 12.0,
        &fill(tx.key, &[&tx.date(as_of)]),
        &crate::render::svg::text_attrs(12.0, style::INK, true, false),
    );
    let col_w = (w - 20.0) / 2.0;
    let rows = d.sections.len().div_ceil(2);
    let mut bottom: f64 = y + 20.0;
    // Entries wrap (never cut off); each column keeps its own running height.
    let mut col_y = [y + 28.0, y + 28.0];
    for (k, (n, name, status)) in d.sections.iter().enumerate() {
        let col = k / rows;
        let cx = x + col as f64 * (col_w + 20.0);
        let cy = col_y[col.min(1)];
        svg.group_attrs(&[
            ("class", "legend-section".into()),
            ("data-status", status.as_str().into()),
        ]);
        section_badge(svg, cx + 8.0, cy, *n);
        let name = match lang {
            Lang::En => name.clone(),
            _ => super::basemap::base()
                .ok()
                .and_then(|b| b.layers.sections.get(n.saturating_sub(1)))
                .and_then(|s| s.name_ru.clone())
                .unwrap_or_else(|| name.clone()),
        };
        let lines = wrap(
            &format!("{name} — {}", tx.status(*status)),
            col_w - 24.0,
            11.0,
        );
        for (i, l) in lines.iter().enumerate() {
            svg.text(
                cx + 22.0,
                cy + 4.0 + i as f64 * 14.0,
                l,
                &crate::render::svg::text_attrs(11.0, style::INK, false, false),
            );
        }
        svg.close();
        col_y[col.min(1)] = cy + 6.0 + 14.0 * lines.len().max(1) as f64;
        bottom = bottom.max(col_y[col.min(1)] - 8.0);
    }
    svg.close();
    bottom - y
}

/// A numbered badge for a disputed section.
pub fn section_badge(svg: &mut Svg, cx: f64, cy: f64, n: usize) {
    let t = n.to_string();
    svg.circle(
        cx,
        cy,
        7.5,
        &[
            ("fill", "#ffffff".into()),
            ("stroke", style::DISPUTED.into()),
            ("stroke-width", "1.5".into()),
        ],
    );
    svg.text(
        cx - text_width(&t, 10.0, true) / 2.0 + 0.6,
        cy + 3.6,
        &t,
        &crate::render::svg::text_attrs(10.0, style::DISPUTED, true, false),
    );
}
