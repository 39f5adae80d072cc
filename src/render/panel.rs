//! One map panel: the layers in z-order, then the scale bar, north arrow and frame. A
//! faceted map draws one panel per period, with the same area.

use super::SizeBy;
use super::furniture::{self, ScaleBar};
use super::incidents;
use super::layers::{self, Ctx, Groups, disputed};
use super::legend::Drawn;
use super::placement::LabelBox;
use super::projection::{Frame, Rect};
use super::style;
use super::svg::{Svg, text_attrs};

/// One map panel.
#[derive(Debug, Clone)]
pub struct Panel {
    /// The heading (small multiples only).
    pub heading: Option<String>,
    /// The map frame on the page.
    pub frame: Rect,
    /// The labels placed in it.
    pub labels: Vec<LabelBox>,
    /// Its scale bar.
    pub scale_bar: Option<ScaleBar>,
    /// Incidents drawn in it.
    pub drawn: usize,
}

/// What one panel shows.
pub struct PanelSpec<'a> {
    /// The map frame.
    pub frame: &'a Frame,
    /// The incidents drawn in it (indices into the items).
    pub members: &'a [usize],
    /// Every item's position on the page, px.
    pub px: &'a [(f64, f64)],
    /// Appended to group ids (`""` for a single map).
    pub suffix: &'a str,
    /// The heading, for small multiples.
    pub heading: Option<String>,
}

/// Draws one panel, recording in `drawn` what the legend must list.
pub fn draw_panel(svg: &mut Svg, ctx: &Ctx<'_>, p: PanelSpec<'_>, drawn: &mut Drawn) -> Panel {
    let frame = p.frame;
    let r = frame.rect;
    let clip = if p.suffix.is_empty() {
        "clip".to_string()
    } else {
        format!("clip-{}", p.suffix)
    };
    let g = Groups {
        suffix: p.suffix,
        clip: Some(&clip),
    };
    let sized = ctx.opts.size_by == SizeBy::Fatalities;
    let mpp = frame
        .ground_metres_per_px()
        .unwrap_or(frame.grid_metres_per_px());

    svg.group(&g.id("panel"), &[("class", "panel".into())]);
    svg.clip_rect(&clip, r.x, r.y, r.w, r.h);
    if let Some(h) = &p.heading {
        svg.group(&g.id("heading"), &[]);
        let n = p.members.len();
        svg.text(
            r.x,
            r.y - 8.0,
            &if n == 1 {
                super::text::fill(super::text::of(ctx.opts.lang).panel_one, &[h])
            } else {
                super::text::fill(
                    super::text::of(ctx.opts.lang).panel_many,
                    &[h, &n.to_string()],
                )
            },
            &text_attrs(15.0, style::INK, true, false),
        );
        svg.close();
    }
    // The layers, bottom to top.
    let land = layers::base::draw_land(svg, frame, ctx.base, &g, drawn);
    furniture::draw_graticule(svg, &g.id("graticule"), &clip, frame, ctx.opts.lang);
    layers::base::draw_borders(svg, frame, ctx.base, &g, land.outlines, drawn);
    let anchors = disputed::draw(
        svg,
        frame,
        &ctx.base.layers,
        &g,
        disputed::Look::AsOf(ctx.as_of, drawn),
    );
    let lay = incidents::layout(ctx.items, p.px, p.members, sized);
    let bar = furniture::scale_bar(frame);
    let placed = layers::labels::place(
        ctx,
        frame,
        &lay,
        &land.enclave_labels,
        &anchors,
        bar.as_ref(),
        mpp,
        drawn,
    );
    layers::labels::draw_places(svg, &g, &placed);
    let panel_drawn = layers::incidents::draw(svg, ctx, &lay, p.px, mpp, &g, drawn);
    layers::labels::draw_labels(svg, &g, &placed);

    if let Some(b) = &bar {
        furniture::draw_scale_bar(svg, &g.id("scalebar"), b, ctx.opts.lang);
    }
    furniture::draw_north_arrow(svg, &g.id("north-arrow"), frame, ctx.opts.lang);
    svg.rect(
        r.x,
        r.y,
        r.w,
        r.h,
        &[
            ("fill", "none".into()),
            ("stroke", "#444444".into()),
            ("stroke-width", "1".into()),
        ],
    );
    svg.close();
    Panel {
        heading: p.heading,
        frame: r,
        labels: placed.placer.placed().to_vec(),
        scale_bar: bar,
        drawn: panel_drawn,
    }
}
