//! The incident layer: uncertainty halos (to scale), markers (shape and colour by type,
//! area by fatalities, largest first), count bubbles for places with many incidents, and
//! grid clusters for dense maps.

use super::{Ctx, Groups};
use crate::model::EventType;
use crate::render::ColorBy;
use crate::render::incidents::{self, Item, Layout, date_range};
use crate::render::legend::Drawn;
use crate::render::markers::{Paint, draw_marker, shape_extent};
use crate::render::placement::text_width;
use crate::render::style;
use crate::render::svg::{Svg, num, text_attrs};
use std::collections::BTreeSet;

/// Draws the panel's incidents laid out in `lay`; `px` is each item's position on the page,
/// `mpp` the ground metres per px. Returns how many incidents were drawn.
pub fn draw(
    svg: &mut Svg,
    ctx: &Ctx<'_>,
    lay: &Layout,
    px: &[(f64, f64)],
    mpp: f64,
    g: &Groups<'_>,
    drawn: &mut Drawn,
) -> usize {
    // Clipped to the frame: a large symbol near the edge never paints over the margin.
    svg.group(&g.id("incidents"), &g.clipped());
    halos(svg, ctx, lay, px, mpp, g, drawn);
    let n = markers(svg, ctx, lay, drawn)
        + bubbles(svg, ctx, lay, drawn)
        + clusters(svg, ctx, lay, drawn);
    svg.close();
    n
}

/// The location uncertainty, to scale: a faint dashed ring (capped) for an incident placed
/// only at an area, a shaded circle for a point whose uncertainty is larger than its marker.
/// Drawn once per position and radius.
fn halos(
    svg: &mut Svg,
    ctx: &Ctx<'_>,
    lay: &Layout,
    px: &[(f64, f64)],
    mpp: f64,
    g: &Groups<'_>,
    drawn: &mut Drawn,
) {
    let sized = ctx.opts.size_by == crate::render::SizeBy::Fatalities;
    let mut halo_attrs = vec![("class", "halos".into())];
    halo_attrs.extend(g.clipped());
    svg.group_attrs(&halo_attrs);
    let mut seen = BTreeSet::new();
    let mut halo_items: Vec<usize> = lay
        .groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    halo_items.sort_unstable();
    for i in halo_items {
        let it = &ctx.items[i];
        let true_r = it.uncertainty_m / mpp;
        let (x, y) = px[i];
        if it.precision >= 3 {
            let hr = true_r.min(incidents::HALO_CAP_PX);
            if seen.insert((
                (x * 10.0) as i64,
                (y * 10.0) as i64,
                (hr * 10.0) as i64,
                3u8,
            )) {
                svg.circle(
                    x,
                    y,
                    hr,
                    &[
                        ("fill", "#808080".into()),
                        ("fill-opacity", "0.06".into()),
                        ("stroke", "#666666".into()),
                        ("stroke-width", "1".into()),
                        ("stroke-dasharray", "4 3".into()),
                    ],
                );
            }
            let m = drawn.area_located.unwrap_or(0.0).max(it.uncertainty_m);
            drawn.area_located = Some(m);
        } else if true_r > style::marker_radius(it.fatalities, sized) * 0.8 {
            let (colour, _) = ctx.colour_of(it);
            // A circle larger than a part of the map would hide what lies under it: drawn as
            // a thin outline only. Radii are bounded, so absurd uncertainties stay drawable.
            let r = true_r.min(style::MAX_HALO_PX);
            let big = r > style::BIG_HALO_PX;
            if seen.insert(((x * 10.0) as i64, (y * 10.0) as i64, (r * 10.0) as i64, 1u8)) {
                let mut attrs = vec![
                    ("stroke", colour.clone()),
                    ("stroke-opacity", "0.55".into()),
                    ("stroke-width", "0.8".into()),
                ];
                if big {
                    attrs.push(("fill", "none".into()));
                    attrs.push(("stroke-dasharray", "3 3".into()));
                    drawn.big_halo = true;
                } else {
                    attrs.push(("fill", colour));
                    attrs.push(("fill-opacity", "0.13".into()));
                    drawn.precise_halo = true;
                }
                svg.circle(x, y, r, &attrs);
            }
        }
    }
    svg.close();
}

/// The markers, largest first so small ones stay visible; a displaced marker has a leader
/// line to its true position. Returns how many were drawn.
fn markers(svg: &mut Svg, ctx: &Ctx<'_>, lay: &Layout, drawn: &mut Drawn) -> usize {
    let sized = ctx.opts.size_by == crate::render::SizeBy::Fatalities;
    let mut panel_drawn = 0;
    let mut markers: Vec<&incidents::Marker> =
        lay.groups.iter().flat_map(|g| g.markers.iter()).collect();
    markers.sort_by(|a, b| {
        b.r.total_cmp(&a.r).then_with(|| {
            (ctx.items[a.item].start, ctx.items[a.item].id())
                .cmp(&(ctx.items[b.item].start, ctx.items[b.item].id()))
        })
    });
    for m in markers {
        let it = &ctx.items[m.item];
        let (colour, _) = ctx.colour_of(it);
        let mut attrs: Vec<(&'static str, String)> = vec![
            ("class", "incident".into()),
            ("data-id", it.id().to_string()),
            ("data-date", it.start.to_string()),
            ("data-type", it.etype.as_str().into()),
            ("data-fatalities", it.fatalities.to_string()),
            ("data-precision", it.precision.to_string()),
            // The drawn position and radius, for measuring labels against their markers.
            ("data-x", num(m.px.0)),
            ("data-y", num(m.px.1)),
            ("data-r", num(shape_extent(m.shape, m.r))),
        ];
        if ctx.opts.color_by == ColorBy::Claimant {
            let g = it.claimant_group();
            attrs.push(("data-claimant", g.key().into()));
            drawn.claimants.insert(g);
        }
        svg.group_attrs(&attrs);
        svg.title(&it.tooltip());
        if m.px != m.true_px {
            svg.line(
                m.true_px,
                m.px,
                &[("stroke", "#333333".into()), ("stroke-width", "0.8".into())],
            );
            svg.circle(m.true_px.0, m.true_px.1, 2.0, &[("fill", "#1a1a1a".into())]);
            drawn.displaced = true;
        }
        let paint = Paint {
            fill: colour,
            stroke: "#1a1a1a".into(),
            dashed: it.precision >= 3,
        };
        draw_marker(svg, m.shape, m.px.0, m.px.1, m.r, &paint);
        if !it.side_agrees {
            // The place's own country and the side of the reference line differ: the line
            // is not the truth there (undelimited), so the marker says so.
            svg.circle(
                m.px.0,
                m.px.1,
                shape_extent(m.shape, m.r) + 3.5,
                &[
                    ("class", "side-disagrees".into()),
                    ("fill", "none".into()),
                    ("stroke", style::SIDE_DISAGREES.into()),
                    ("stroke-width", "1.6".into()),
                    ("stroke-dasharray", "2 2".into()),
                ],
            );
            drawn.side_disagrees = true;
        }
        svg.close();
        drawn.types.insert(it.etype);
        if sized {
            drawn.max_fatalities = Some(drawn.max_fatalities.unwrap_or(0).max(it.fatalities));
        }
        panel_drawn += 1;
    }
    panel_drawn
}

/// Count bubbles for places with many incidents. Returns how many incidents they hold.
fn bubbles(svg: &mut Svg, ctx: &Ctx<'_>, lay: &Layout, drawn: &mut Drawn) -> usize {
    let mut panel_drawn = 0;
    for g in lay.groups.iter().filter(|g| g.bubble) {
        let its: Vec<&Item<'_>> = g.members.iter().map(|&i| &ctx.items[i]).collect();
        let dominant = dominant_type(its.iter().map(|i| i.etype));
        bubble(
            svg,
            g.anchor,
            g.extent,
            its.len(),
            dominant,
            ctx.opts.color_by,
            &its,
        );
        drawn.types.insert(dominant);
        drawn.bubbles = true;
        panel_drawn += its.len();
    }
    panel_drawn
}

/// Grid clusters for dense maps. Returns how many incidents they hold.
fn clusters(svg: &mut Svg, ctx: &Ctx<'_>, lay: &Layout, drawn: &mut Drawn) -> usize {
    let mut panel_drawn = 0;
    for c in &lay.clusters {
        svg.group_attrs(&[
            ("class", "cluster".into()),
            ("data-count", c.count.to_string()),
            ("data-date", c.first.to_string()),
            ("data-type", c.dominant.as_str().into()),
            ("data-x", num(c.px.0)),
            ("data-y", num(c.px.1)),
            ("data-r", num(c.r)),
        ]);
        svg.title(&format!(
            "{} incidents, {} (most frequent type: {})",
            c.count,
            date_range(c.first, c.last),
            c.dominant.label()
        ));
        let fill = if ctx.opts.color_by == ColorBy::Type {
            style::type_colour(c.dominant)
        } else {
            "#8c8c8c"
        };
        svg.circle(
            c.px.0,
            c.px.1,
            c.r,
            &[
                ("fill", fill.into()),
                ("fill-opacity", "0.85".into()),
                ("stroke", "#1a1a1a".into()),
                ("stroke-width", "0.8".into()),
            ],
        );
        if c.count > 1 && c.r >= 7.0 {
            let t = c.count.to_string();
            svg.text(
                c.px.0 - text_width(&t, 9.0, true) / 2.0 + 1.0,
                c.px.1 + 3.2,
                &t,
                &text_attrs(9.0, "#ffffff", true, false),
            );
        }
        svg.close();
        drawn.types.insert(c.dominant);
        drawn.clusters = true;
        panel_drawn += c.count;
    }
    panel_drawn
}

fn dominant_type(types: impl Iterator<Item = EventType>) -> EventType {
    let mut counts = std::collections::BTreeMap::new();
    for t in types {
        *counts.entry(t).or_insert(0usize) += 1;
    }
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or(EventType::Other, |(t, _)| *t)
}

fn bubble(
    svg: &mut Svg,
    at: (f64, f64),
    r: f64,
    n: usize,
    dominant: EventType,
    color_by: ColorBy,
    its: &[&Item<'_>],
) {
    let ids: Vec<&str> = its.iter().map(|i| i.id()).collect();
    svg.group_attrs(&[
        ("class", "incident-group".into()),
        ("data-count", n.to_string()),
        ("data-ids", ids.join(" ")),
        (
            "data-date",
            its.first().map(|i| i.start.to_string()).unwrap_or_default(),
        ),
        ("data-type", dominant.as_str().into()),
        ("data-x", num(at.0)),
        ("data-y", num(at.1)),
        ("data-r", num(r)),
    ]);
    let mut t = format!("{n} incidents at one place:");
    for it in its.iter().take(40) {
        t.push_str(&format!(
            "\n • {} — {} ({})",
            date_range(it.start, it.end),
            it.title(),
            it.etype.label()
        ));
    }
    if its.len() > 40 {
        t.push_str(&format!("\n … and {} more", its.len() - 40));
    }
    svg.title(&t);
    let fill = if color_by == ColorBy::Type {
        style::type_colour(dominant)
    } else {
        "#8c8c8c"
    };
    svg.circle(
        at.0,
        at.1,
        r,
        &[
            ("fill", fill.into()),
            ("fill-opacity", "0.85".into()),
            ("stroke", "#1a1a1a".into()),
            ("stroke-width", "1.4".into()),
        ],
    );
    let s = n.to_string();
    svg.text(
        at.0 - text_width(&s, 11.0, true) / 2.0 + 1.0,
        at.1 + 4.0,
        &s,
        &[
            ("font-size", "11".into()),
            ("font-weight", "bold".into()),
            ("fill", "#ffffff".into()),
        ],
    );
    svg.close();
}
