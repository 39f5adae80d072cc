//! The page: select the incidents, lay out the panels, draw them, then the side panel
//! (inset and legend), the timeline, the section key, the title and the notes.

use super::basemap;
use super::facets;
use super::furniture::{self, TimelineEntry};
use super::incidents::Item;
use super::layers::Ctx;
use super::legend::{self, Drawn, LegendContext};
use super::panel::{self, Panel};
use super::projection::{Frame, Projection, Rect, UTM_42N};
use super::select::{self, Listed};
use super::svg::Svg;
use super::titles::{self, MARGIN};
use super::{MapOptions, SizeBy};
use crate::error::Result;
use crate::geojson_io::PointFeature;
use crate::model::{Date, EventType};

/// A rendered map and the numbers behind it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The SVG document.
    pub svg: String,
    /// Page width, px.
    pub width: f64,
    /// Page height, px.
    pub height: f64,
    /// The panels (one unless faceted).
    pub panels: Vec<Panel>,
    /// The title block.
    pub title_rect: Rect,
    /// Incidents drawn (markers or counted in clusters).
    pub drawn: usize,
    /// Ids of located incidents that passed the filters but lie outside the map area.
    pub outside: Vec<String>,
    /// Ids of incidents that passed the filters but have no position.
    pub unlocated: Vec<String>,
    /// Ids of incidents placed only at a district or region, listed instead of drawn.
    pub areas: Vec<String>,
    /// Ids of aggregates (overall totals), listed instead of drawn.
    pub aggregates: Vec<String>,
    /// Ids of undated incidents: listed in the map's notes, never drawn on a date.
    pub undated: Vec<String>,
    /// Incidents removed by the date, type or radius filters.
    pub filtered_out: usize,
    /// Event types listed in the legend.
    pub legend_types: Vec<EventType>,
    /// The status date of the disputed overlay.
    pub as_of: Date,
}

/// Height of the title block, px.
const HEADER: f64 = 80.0;

/// The page's columns: where the maps go and how wide the side panel is.
struct Columns {
    width: f64,
    side_w: f64,
    map_x: f64,
    area_w: f64,
    map_y: f64,
}

impl Columns {
    fn new(width: u32) -> Self {
        let w = f64::from(width);
        let side_w = (w * 0.22).clamp(300.0, 400.0);
        let map_x = MARGIN + 58.0;
        Columns {
            width: w,
            side_w,
            map_x,
            area_w: w - map_x - side_w - MARGIN - 30.0,
            map_y: MARGIN + HEADER,
        }
    }

    /// One frame per period, in rows of up to three; returns them and the bottom of the
    /// last row.
    fn frames(&self, opts: &MapOptions, n: usize) -> Result<(Vec<Frame>, f64)> {
        let cols = match n {
            0 | 1 => 1,
            2 | 4 => 2,
            _ => 3,
        };
        let gap_x = 64.0;
        let panel_w = (self.area_w - (cols - 1) as f64 * gap_x) / cols as f64;
        let heading_h = if opts.facet.is_some() { 24.0 } else { 0.0 };
        let mut frames = Vec::new();
        let mut y = self.map_y;
        let mut row_h = 0.0;
        for k in 0..n.max(1) {
            let (c, r) = (k % cols, k / cols);
            if c == 0 && r > 0 {
                y += row_h + 34.0;
            }
            let x = self.map_x + c as f64 * (panel_w + gap_x);
            let f = Frame::fit(
                Projection::new(UTM_42N)?,
                opts.bbox,
                x,
                y + heading_h,
                panel_w,
                panel_w * 1.15,
            )?;
            row_h = heading_h + f.rect.h;
            frames.push(f);
        }
        Ok((frames, y + row_h))
    }
}

/// The smallest map, metres across in each direction: below it the scale from the ground
/// to the page is so large that the base map's coordinates overflow the rasteriser, and no
/// map of a few metres says anything a point does not.
pub const MIN_MAP_M: f64 = 50.0;

/// Refuses a map area narrower or shorter than [`MIN_MAP_M`] on the ground.
fn check_extent(bbox: [f64; 4]) -> Result<()> {
    let [w, s, e, n] = bbox;
    let mid = ((s + n) / 2.0).to_radians().cos();
    let (wide_m, high_m) = ((e - w) * 111_320.0 * mid, (n - s) * 110_574.0);
    if wide_m < MIN_MAP_M || high_m < MIN_MAP_M {
        return Err(crate::Error::Usage(format!(
            "the map area {w},{s},{e},{n} is {wide_m:.2} m by {high_m:.2} m; a map needs at \
             least {MIN_MAP_M} m each way (widen --bbox or raise --radius-km)"
        )));
    }
    Ok(())
}

/// Renders the incidents of `features` as one map page. See [`super::render_map`].
pub fn render(features: &[PointFeature], opts: &MapOptions) -> Result<Rendered> {
    check_extent(opts.bbox)?;
    let base = basemap::base()?;
    let mut items = Vec::with_capacity(features.len());
    let mut undated = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let item = Item::from_feature(i, f)?;
        // An undated incident has no place on a dated map or its timeline: listed apart.
        if item.undated {
            undated.push(item.id().to_string());
        } else {
            items.push(item);
        }
    }
    let kept = select::filter(&items, opts);
    let cols = Columns::new(opts.width);
    let periods = facets::periods(opts, &items, &kept.indices)?;
    let (frames, maps_bottom) = cols.frames(opts, periods.len())?;
    let placement = select::place(&items, &kept.indices, &frames[0]);
    let shown = &placement.shown;
    let as_of = opts
        .as_of
        .or_else(|| shown.iter().map(|&i| items[i].end).max())
        .or(opts.to)
        .or_else(|| {
            base.layers
                .sections
                .iter()
                .filter_map(|s| s.history.first().map(|h| h.0))
                .max()
        })
        .unwrap_or(Date {
            year: 2022,
            month: 9,
            day: 20,
        });
    let span = select::date_span(opts, &items, &kept.indices);

    let mut svg = Svg::new();
    let mut drawn = Drawn::default();
    let ctx = Ctx {
        base,
        items: &items,
        opts,
        as_of,
        span,
        multi: periods.len() > 1 || opts.facet.is_some(),
    };
    let mut panels = Vec::new();
    let mut drawn_total = 0;
    for (k, f) in frames.iter().enumerate() {
        let period = periods.get(k);
        // Each incident in the panel of its first day, so the panels add up.
        let members: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&i| period.is_none_or(|s| items[i].starts_within(s.from, s.to)))
            .collect();
        let local: Vec<(f64, f64)> = placement
            .px
            .iter()
            .map(|p| (p.0 + f.rect.x, p.1 + f.rect.y))
            .collect();
        let suffix = if ctx.multi {
            format!("{}", k + 1)
        } else {
            String::new()
        };
        let p = panel::draw_panel(
            &mut svg,
            &ctx,
            panel::PanelSpec {
                frame: f,
                members: &members,
                px: &local,
                suffix: &suffix,
                heading: period.and_then(|s| s.heading.clone()),
            },
            &mut drawn,
        );
        drawn_total += p.drawn;
        panels.push(p);
    }
    // Shown once even when faceted: distinct incidents drawn.
    if ctx.multi {
        drawn_total = shown.len();
    }

    let side_bottom = side_panel(&mut svg, &cols, &ctx, &frames[0], &drawn)?;
    let mut y = timeline(&mut svg, &cols, &ctx, shown, maps_bottom + 30.0);
    let key_h = legend::draw_section_key(
        &mut svg,
        cols.map_x - 58.0,
        y,
        cols.area_w + 58.0,
        &drawn,
        as_of,
        opts.lang,
    );
    if key_h > 0.0 {
        y += key_h + 10.0;
    }

    let aggregates = placement
        .listed
        .iter()
        .filter(|(_, w)| *w == Listed::Aggregate)
        .count();
    let listed = placement.listed.len() - aggregates;
    let subtitle = titles::subtitle(opts, span, shown.len(), listed, aggregates, as_of);
    let title_rect = titles::draw_title(&mut svg, opts, &subtitle, cols.width);
    let mut notes = titles::notes(&items, &placement.listed, opts.lang);
    if !undated.is_empty() {
        notes.insert(
            0,
            super::text::fill(
                super::text::of(opts.lang).undated,
                &[
                    &undated.len().to_string(),
                    &titles::id_list(&undated, opts.lang),
                ],
            ),
        );
    }
    let height = titles::draw_notes_and_attribution(
        &mut svg,
        &notes,
        y,
        cols.area_w + 58.0,
        side_bottom + 10.0,
        opts.lang,
    );

    let doc = svg.finish(cols.width, height.ceil());
    Ok(Rendered {
        svg: doc,
        width: cols.width,
        height: height.ceil(),
        panels,
        title_rect,
        drawn: drawn_total,
        outside: placement.ids(&items, Listed::Outside),
        unlocated: placement.ids(&items, Listed::NotPlaced),
        areas: placement.ids(&items, Listed::Area),
        aggregates: placement.ids(&items, Listed::Aggregate),
        undated,
        filtered_out: kept.filtered_out,
        legend_types: drawn.types.iter().copied().collect(),
        as_of,
    })
}

/// The side panel: the locator inset, then the legend. Returns its bottom, px.
fn side_panel(
    svg: &mut Svg,
    cols: &Columns,
    ctx: &Ctx<'_>,
    main: &Frame,
    drawn: &Drawn,
) -> Result<f64> {
    let side_x = cols.width - MARGIN - cols.side_w;
    let inset = Rect {
        x: side_x,
        y: cols.map_y,
        w: cols.side_w,
        h: cols.side_w * 0.62,
    };
    furniture::draw_inset(svg, inset, &ctx.base.layers, &[main], ctx.opts.lang)?;
    let legend_y = inset.bottom() + 30.0;
    let legend_h = legend::draw(
        svg,
        side_x,
        legend_y,
        cols.side_w,
        drawn,
        LegendContext {
            color_by: ctx.opts.color_by,
            sized: ctx.opts.size_by == SizeBy::Fatalities,
            as_of: ctx.as_of,
            lang: ctx.opts.lang,
        },
    );
    Ok(legend_y + legend_h)
}

/// The timeline under the maps, from `y`; returns where the next block starts.
fn timeline(svg: &mut Svg, cols: &Columns, ctx: &Ctx<'_>, shown: &[usize], y: f64) -> f64 {
    let Some((d0, d1)) = ctx.span else {
        return y;
    };
    let entries: Vec<TimelineEntry> = shown
        .iter()
        .map(|&i| {
            let it = &ctx.items[i];
            let (colour, order) = ctx.colour_of(it);
            TimelineEntry {
                day: it.start,
                last: it.end,
                colour,
                order,
            }
        })
        .collect();
    let rect = Rect {
        x: cols.map_x,
        y,
        w: cols.area_w,
        h: 112.0,
    };
    furniture::draw_timeline(svg, rect, &entries, (d0, d1), ctx.opts.lang);
    rect.bottom() + 8.0
}
