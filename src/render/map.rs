//! Composes a map page: panels (one, or small multiples), legend, inset, timeline, title,
//! notes and attribution.

use super::basemap::{self, Base};
use super::furniture::{self, ScaleBar, TimelineEntry};
use super::incidents::{self, Item, Layout, clip_text, date_range, distance_text, long_date};
use super::labels::{LabelBox, LabelKind, LabelRequest, Placer, text_width};
use super::legend::{self, Drawn, LegendContext};
use super::markers::{Paint, draw_marker, shape_extent};
use super::projection::{Frame, Projection, Rect, UTM_42N};
use super::style;
use super::svg::text_attrs;
use super::svg::{PathData, Svg};
use super::{ColorBy, Facet, Labels, MapOptions, SizeBy};
use crate::error::{Error, Result};
use crate::geojson_io::PointFeature;
use crate::model::{Date, EventType};
use geo::{Distance, Geodesic};
use std::collections::BTreeSet;

/// The attribution line printed on every map.
pub const ATTRIBUTION: &str = "Border: Who's On First / Quattroshapes (LSIB-derived); countries, rivers, lakes: Natural Earth; places: Who's On First / GeoNames; incidents: bordermap from cited reports";

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
    /// Incidents removed by the date, type or radius filters.
    pub filtered_out: usize,
    /// Event types listed in the legend.
    pub legend_types: Vec<EventType>,
    /// The status date of the disputed overlay.
    pub as_of: Date,
}

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

const MARGIN: f64 = 24.0;
const HEADER: f64 = 80.0;

struct PanelSpec {
    heading: Option<String>,
    from: Option<Date>,
    to: Option<Date>,
}

pub(super) fn render(features: &[PointFeature], opts: &MapOptions) -> Result<Rendered> {
    let base = basemap::base()?;
    let mut items = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        items.push(Item::from_feature(i, f)?);
    }
    // Filters.
    let mut kept: Vec<usize> = Vec::with_capacity(items.len());
    let mut filtered_out = 0;
    for (i, it) in items.iter().enumerate() {
        let ok = it.overlaps(opts.from, opts.to)
            && (opts.types.is_empty() || opts.types.contains(&it.etype))
            && opts.around.as_ref().is_none_or(|a| {
                it.pos
                    .is_some_and(|p| Geodesic.distance(p.point(), a.position.point()) <= a.radius_m)
            });
        if ok {
            kept.push(i);
        } else {
            filtered_out += 1;
        }
    }
    kept.sort_by(|&a, &b| (items[a].start, items[a].id()).cmp(&(items[b].start, items[b].id())));

    // Page layout.
    let w = f64::from(opts.width);
    let side_w = (w * 0.22).clamp(300.0, 400.0);
    let map_x = MARGIN + 58.0;
    let area_w = w - map_x - side_w - MARGIN - 30.0;
    let map_y = MARGIN + HEADER;
    let specs = panel_specs(opts, &items, &kept)?;
    let cols = match specs.len() {
        0 | 1 => 1,
        2 | 4 => 2,
        _ => 3,
    };
    let gap_x = 64.0;
    let panel_w = (area_w - (cols - 1) as f64 * gap_x) / cols as f64;
    let heading_h = if opts.facet.is_some() { 24.0 } else { 0.0 };
    let mut frames = Vec::new();
    let mut y = map_y;
    let mut row_h = 0.0;
    for k in 0..specs.len().max(1) {
        let (c, r) = (k % cols, k / cols);
        if c == 0 && r > 0 {
            y += row_h + 34.0;
        }
        let x = map_x + c as f64 * (panel_w + gap_x);
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
    let maps_bottom = y + row_h;

    // Which incidents are in the frame (all panels share the area).
    let first = &frames[0];
    let mut px = vec![(0.0, 0.0); items.len()];
    let mut in_frame = vec![false; items.len()];
    let mut outside = Vec::new();
    let mut unlocated = Vec::new();
    for &i in &kept {
        match items[i].pos {
            None => unlocated.push(items[i].id().to_string()),
            Some(p) => {
                let hit = first.may_contain(p.lon(), p.lat())
                    && first.to_px(p.lon(), p.lat()).is_some_and(|q| {
                        px[i] = (q.0 - first.rect.x, q.1 - first.rect.y);
                        first.rect.contains(q.0, q.1)
                    });
                if hit {
                    in_frame[i] = true;
                } else {
                    outside.push(items[i].id().to_string());
                }
            }
        }
    }
    let shown: Vec<usize> = kept.iter().copied().filter(|&i| in_frame[i]).collect();
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
    let span = date_span(opts, &items, &kept);

    let mut svg = Svg::new();
    let mut drawn = Drawn::default();
    let ctx = PanelCtx {
        base,
        items: &items,
        opts,
        as_of,
        span,
        multi: specs.len() > 1 || opts.facet.is_some(),
    };
    let mut panels = Vec::new();
    let mut drawn_total = 0;
    for (k, f) in frames.iter().enumerate() {
        let spec = specs.get(k);
        let members: Vec<usize> = shown
            .iter()
            .copied()
            .filter(|&i| spec.is_none_or(|s| items[i].overlaps(s.from, s.to)))
            .collect();
        let local: Vec<(f64, f64)> = px
            .iter()
            .map(|p| (p.0 + f.rect.x, p.1 + f.rect.y))
            .collect();
        let suffix = if ctx.multi {
            format!("{}", k + 1)
        } else {
            String::new()
        };
        let heading = spec.and_then(|s| s.heading.clone());
        let p = draw_panel(
            &mut svg, &ctx, f, &members, &local, &suffix, heading, &mut drawn,
        )?;
        drawn_total += p.drawn;
        panels.push(p);
    }
    // Shown once even when faceted: distinct incidents drawn.
    if ctx.multi {
        drawn_total = shown.len();
    }

    // Side panel: inset, then legend.
    let side_x = w - MARGIN - side_w;
    let inset = Rect {
        x: side_x,
        y: map_y,
        w: side_w,
        h: side_w * 0.62,
    };
    let frame_refs: Vec<&Frame> = frames.iter().take(1).collect();
    furniture::draw_inset(&mut svg, inset, &base.layers, &frame_refs)?;
    let legend_y = inset.bottom() + 30.0;
    let legend_h = legend::draw(
        &mut svg,
        side_x,
        legend_y,
        side_w,
        &drawn,
        LegendContext {
            color_by: opts.color_by,
            sized: opts.size_by == SizeBy::Fatalities,
            as_of,
        },
    );

    // Timeline under the maps.
    let mut y = maps_bottom + 30.0;
    if let Some((d0, d1)) = span {
        let entries: Vec<TimelineEntry> = shown
            .iter()
            .map(|&i| {
                let it = &items[i];
                let (colour, order) = colour_of(&ctx, it);
                TimelineEntry {
                    day: it.start,
                    colour,
                    order,
                }
            })
            .collect();
        let rect = Rect {
            x: map_x,
            y,
            w: area_w,
            h: 112.0,
        };
        furniture::draw_timeline(&mut svg, rect, &entries, d0, d1);
        y = rect.bottom() + 8.0;
    }
    let key_h = legend::draw_section_key(&mut svg, map_x - 58.0, y, area_w + 58.0, &drawn, as_of);
    if key_h > 0.0 {
        y += key_h + 10.0;
    }

    // Title.
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Kyrgyzstan–Tajikistan border incidents".to_string());
    let subtitle = opts.subtitle.clone().unwrap_or_else(|| {
        let range = span.map_or_else(|| "no dates".to_string(), |(a, b)| date_range(a, b));
        let mut s = format!("{range} · {drawn_total} incidents mapped");
        let missing = outside.len() + unlocated.len();
        if missing > 0 {
            s.push_str(&format!(" ({missing} not drawn, see note)"));
        }
        if let Some(a) = &opts.around {
            s.push_str(&format!(
                " · within {} of {}",
                distance_text(a.radius_m),
                clip_text(&a.name, 40)
            ));
        }
        s.push_str(&format!(
            " · border sections: status as of {}",
            long_date(as_of)
        ));
        s
    });
    let title_rect = Rect {
        x: MARGIN,
        y: MARGIN,
        w: w - 2.0 * MARGIN,
        h: 62.0,
    };
    svg.group("title", &[]);
    svg.text(
        MARGIN,
        MARGIN + 28.0,
        &clip_text(&title, 90),
        &text_attrs(28.0, style::INK, true, false),
    );
    for (i, line) in legend::wrap(&subtitle, w - 2.0 * MARGIN, 15.0)
        .iter()
        .take(2)
        .enumerate()
    {
        svg.text(
            MARGIN,
            MARGIN + 52.0 + i as f64 * 18.0,
            line,
            &text_attrs(15.0, style::INK_SOFT, false, false),
        );
    }
    svg.close();

    // Notes and attribution.
    let mut notes = Vec::new();
    if !unlocated.is_empty() {
        notes.push(format!(
            "Not drawn, no location ({}): {}.",
            unlocated.len(),
            id_list(&unlocated)
        ));
    }
    if !outside.is_empty() {
        notes.push(format!(
            "Not drawn, outside the map area ({}): {}.",
            outside.len(),
            id_list(&outside)
        ));
    }
    if drawn.area_located.is_some() {
        notes.push("Incidents that reports place only in a district or region are drawn at its centre, with a dashed outline; the true location may be anywhere in that area.".into());
    }
    let text_w = area_w + 58.0;
    let note_lines: Vec<String> = notes
        .iter()
        .flat_map(|n| legend::wrap(n, text_w, 11.5))
        .take(8)
        .collect();
    let attribution_lines = legend::wrap(
        &format!(
            "Sources — {ATTRIBUTION}. Projection: UTM zone 42N (WGS84). Casualty figures are claims; see each incident's claims and fatality_rule."
        ),
        text_w,
        11.0,
    );
    let bottom_text_h = (note_lines.len() + attribution_lines.len()) as f64 * 15.0 + 10.0;
    let height = (y + bottom_text_h).max(legend_y + legend_h + 10.0) + MARGIN;
    let mut ty = y + 12.0;
    if !note_lines.is_empty() {
        svg.group("note", &[]);
        for l in &note_lines {
            svg.text(MARGIN, ty, l, &text_attrs(11.5, style::INK, false, false));
            ty += 15.0;
        }
        svg.close();
    }
    svg.group("attribution", &[]);
    let ay = height - MARGIN - (attribution_lines.len() as f64 - 1.0) * 15.0;
    for (i, l) in attribution_lines.iter().enumerate() {
        svg.text(
            MARGIN,
            ay.max(ty + 4.0) + i as f64 * 15.0,
            l,
            &text_attrs(11.0, style::INK_SOFT, false, false),
        );
    }
    svg.close();

    let doc = svg.finish(w, height.ceil());
    Ok(Rendered {
        svg: doc,
        width: w,
        height: height.ceil(),
        panels,
        title_rect,
        drawn: drawn_total,
        outside,
        unlocated,
        filtered_out,
        legend_types: drawn.types.iter().copied().collect(),
        as_of,
    })
}

fn id_list(ids: &[String]) -> String {
    let mut s: Vec<String> = ids.iter().take(6).map(|i| clip_text(i, 40)).collect();
    if ids.len() > 6 {
        s.push(format!("and {} more", ids.len() - 6));
    }
    s.join(", ")
}

/// The date range the map covers: the filter's, else the incidents'.
fn date_span(opts: &MapOptions, items: &[Item<'_>], kept: &[usize]) -> Option<(Date, Date)> {
    let lo = kept.iter().map(|&i| items[i].start).min();
    let hi = kept.iter().map(|&i| items[i].end).max();
    let from = opts.from.or(lo)?;
    let to = opts.to.or(hi)?;
    Some((from, to.max(from)))
}

fn panel_specs(opts: &MapOptions, items: &[Item<'_>], kept: &[usize]) -> Result<Vec<PanelSpec>> {
    let d = |y: i32, m: u32, day: u32| Date {
        year: y,
        month: m,
        day,
    };
    match opts.facet {
        None => Ok(vec![PanelSpec {
            heading: None,
            from: None,
            to: None,
        }]),
        Some(Facet::Phase) => {
            let phases = [
                ("2021 clashes", None, Some(d(2021, 12, 31)), true),
                (
                    "January–June 2022",
                    Some(d(2022, 1, 1)),
                    Some(d(2022, 6, 30)),
                    true,
                ),
                (
                    "July–August 2022",
                    Some(d(2022, 7, 1)),
                    Some(d(2022, 8, 31)),
                    false,
                ),
                (
                    "September 2022 escalation",
                    Some(d(2022, 9, 1)),
                    Some(d(2022, 9, 30)),
                    true,
                ),
                ("After September 2022", Some(d(2022, 10, 1)), None, true),
            ];
            Ok(phases
                .into_iter()
                .filter(|(_, f, t, always)| {
                    *always || kept.iter().any(|&i| items[i].overlaps(*f, *t))
                })
                .map(|(h, f, t, _)| PanelSpec {
                    heading: Some(h.to_string()),
                    from: f,
                    to: t,
                })
                .collect())
        }
        Some(Facet::Month) => {
            let mut months = BTreeSet::new();
            for &i in kept {
                let it = &items[i];
                let (mut y, mut m) = (it.start.year, it.start.month);
                let (from, to) = (opts.from.unwrap_or(it.start), opts.to.unwrap_or(it.end));
                while (y, m) <= (it.end.year, it.end.month) {
                    if (y, m) >= (from.year, from.month) && (y, m) <= (to.year, to.month) {
                        months.insert((y, m));
                    }
                    m += 1;
                    if m > 12 {
                        m = 1;
                        y += 1;
                    }
                    if months.len() > 12 {
                        break;
                    }
                }
            }
            if months.len() > 12 {
                return Err(Error::Usage(format!(
                    "--facet month would draw more than 12 panels ({}+ months have incidents); narrow the dates with --from and --to",
                    months.len()
                )));
            }
            if months.is_empty() {
                return Ok(vec![PanelSpec {
                    heading: Some("No incidents".into()),
                    from: None,
                    to: None,
                }]);
            }
            Ok(months
                .into_iter()
                .map(|(y, m)| {
                    let last = (1..=31)
                        .rev()
                        .find_map(|day| Date::parse(&format!("{y:04}-{m:02}-{day:02}")).ok());
                    PanelSpec {
                        heading: Some(format!("{} {y}", full_month(m))),
                        from: Some(d(y, m, 1)),
                        to: last,
                    }
                })
                .collect())
        }
    }
}

fn full_month(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(m.clamp(1, 12) - 1) as usize]
}

struct PanelCtx<'a> {
    base: &'static Base,
    items: &'a [Item<'a>],
    opts: &'a MapOptions,
    as_of: Date,
    span: Option<(Date, Date)>,
    multi: bool,
}

/// The colour of an incident and its stacking order in the timeline.
fn colour_of(ctx: &PanelCtx<'_>, it: &Item<'_>) -> (String, usize) {
    let type_order = EventType::ALL
        .iter()
        .position(|t| *t == it.etype)
        .unwrap_or(0);
    match ctx.opts.color_by {
        ColorBy::Type => (style::type_colour(it.etype).to_string(), type_order),
        ColorBy::Date => {
            let t = ctx.span.map_or(0.0, |(a, b)| {
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

fn box_around(c: (f64, f64), r: f64) -> Rect {
    Rect {
        x: c.0 - r,
        y: c.1 - r,
        w: 2.0 * r,
        h: 2.0 * r,
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_panel(
    svg: &mut Svg,
    ctx: &PanelCtx<'_>,
    frame: &Frame,
    members: &[usize],
    px: &[(f64, f64)],
    suffix: &str,
    heading: Option<String>,
    drawn: &mut Drawn,
) -> Result<Panel> {
    let gid = |name: &str| {
        if suffix.is_empty() {
            name.to_string()
        } else {
            format!("{name}-{suffix}")
        }
    };
    let r = frame.rect;
    let clip = gid("clip");
    let clip_attr = || ("clip-path", format!("url(#{clip})"));
    let layers = &ctx.base.layers;
    let sized = ctx.opts.size_by == SizeBy::Fatalities;
    let mpp = frame
        .ground_metres_per_px()
        .unwrap_or(frame.grid_metres_per_px());

    svg.group(&gid("panel"), &[("class", "panel".into())]);
    svg.clip_rect(&clip, r.x, r.y, r.w, r.h);
    if let Some(h) = &heading {
        svg.group(&gid("heading"), &[]);
        let n = members.len();
        svg.text(
            r.x,
            r.y - 8.0,
            &format!("{h} · {n} incident{}", if n == 1 { "" } else { "s" }),
            &text_attrs(15.0, style::INK, true, false),
        );
        svg.close();
    }
    svg.group(&gid("background"), &[]);
    svg.rect(r.x, r.y, r.w, r.h, &[("fill", style::LAND_OTHER.into())]);
    svg.close();

    // Countries.
    svg.group(&gid("countries"), &[clip_attr()]);
    let outlines = basemap::draw_countries(svg, frame, layers, |c| {
        if c.role == "focus" {
            drawn.countries.insert((c.country.clone(), c.name.clone()));
        } else {
            drawn.neighbours = true;
        }
    });
    svg.close();

    // Enclaves.
    let mut enclave_labels = Vec::new();
    svg.group(&gid("enclaves"), &[clip_attr()]);
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

    // Water.
    svg.group(&gid("rivers"), &[clip_attr()]);
    (drawn.lakes, drawn.rivers) = basemap::draw_water(svg, frame, ctx.base);
    svg.close();

    furniture::draw_graticule(svg, &gid("graticule"), &clip, frame);

    // Borders.
    svg.group(&gid("border"), &[clip_attr()]);
    (drawn.boundaries, drawn.border) = basemap::draw_borders(svg, frame, layers, outlines);
    svg.close();

    // Disputed overlay.
    let mut section_anchors = Vec::new();
    svg.group(&gid("disputed"), &[clip_attr()]);
    for (k, s) in layers.sections.iter().enumerate() {
        let runs = basemap::line_runs(frame, &[&s.line], 0.02);
        let runs: Vec<_> = runs
            .into_iter()
            .filter(|run| run.iter().any(|p| r.contains(p.0, p.1)))
            .collect();
        if runs.is_empty() {
            continue;
        }
        let status = s.status_on(ctx.as_of);
        let mut d = PathData::new();
        for run in &runs {
            d.poly(run, false);
        }
        let d = d.finish();
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
            long_date(ctx.as_of),
            if s.approximate {
                " (extent approximate)"
            } else {
                ""
            },
            s.description
        ));
        if status.is_contested() {
            svg.path(
                d.clone(),
                &[
                    ("fill", "none".into()),
                    ("stroke", "#ffffff".into()),
                    ("stroke-width", "6".into()),
                    ("stroke-linecap", "round".into()),
                    ("stroke-linejoin", "round".into()),
                ],
            );
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
        section_anchors.push((k + 1, mid));
    }
    drawn.sections.sort_by_key(|s| s.0);
    svg.close();

    // Markers.
    let order: Vec<usize> = members.to_vec();
    let lay: Layout = incidents::layout(ctx.items, px, &order, sized);
    let mut placer = Placer::new(r.grow(-2.0));
    for g in &lay.groups {
        if g.bubble {
            placer.add_obstacle(box_around(g.anchor, g.extent));
        }
        for m in &g.markers {
            placer.add_obstacle(box_around(m.px, shape_extent(m.shape, m.r) + 1.0));
            if m.px != m.true_px {
                placer.add_obstacle(box_around(m.true_px, 3.0));
            }
        }
    }
    for c in &lay.clusters {
        placer.add_obstacle(box_around(c.px, c.r + 1.0));
    }
    let bar = furniture::scale_bar(frame);
    if let Some(b) = &bar {
        placer.add_obstacle(b.rect);
    }
    placer.add_obstacle(furniture::north_arrow_rect(frame));

    // Labels, by priority.
    let mut label_styles: Vec<Styled> = Vec::new();
    for (text, anchor, size, iso) in &enclave_labels {
        let t = clip_text(text, 40);
        let centred = *size > text_width(&t, 11.5, true) + 8.0;
        let req = LabelRequest {
            text: t,
            kind: LabelKind::Enclave,
            anchor: *anchor,
            clearance: 4.0,
            size: 11.5,
            bold: true,
            centred,
        };
        if let Some(b) = placer.place(&req) {
            let mut a = text_attrs(11.5, style::enclave_stroke(iso), true, true);
            a.push(("font-style", "italic".into()));
            label_styles.push((b, a));
        }
    }
    // Key places (the ones the reports name), before incident labels.
    let zoomed = mpp < 120.0;
    let limit = if ctx.multi {
        14
    } else if zoomed {
        60
    } else {
        40
    };
    let candidates = basemap::places_in_frame(frame, &ctx.base.places, limit * 4, zoomed);
    let mut dots = Vec::new();
    place_names(
        &mut placer,
        &candidates,
        true,
        limit,
        &mut label_styles,
        &mut dots,
        drawn,
    );
    let mut badges = Vec::new();
    for (n, anchor) in &section_anchors {
        let mut req = LabelRequest {
            text: n.to_string(),
            kind: LabelKind::Section,
            anchor: *anchor,
            clearance: 5.0,
            size: 10.0,
            bold: true,
            centred: false,
        };
        let placed = [5.0, 12.0, 20.0].iter().find_map(|c| {
            req.clearance = *c;
            placer.place(&req)
        });
        if let Some(b) = placed {
            badges.push((*n, b));
        }
    }
    let mut label_groups: Vec<&incidents::Group> = match ctx.opts.labels {
        Labels::None => vec![],
        Labels::All => lay.groups.iter().collect(),
        Labels::Auto => {
            let mut v: Vec<&incidents::Group> = lay
                .groups
                .iter()
                .filter(|g| {
                    g.members.len() > 1
                        || g.members
                            .iter()
                            .any(|&i| ctx.items[i].fatalities > 0 || ctx.items[i].precision >= 3)
                })
                .collect();
            v.sort_by_key(|g| {
                std::cmp::Reverse(
                    g.members
                        .iter()
                        .map(|&i| ctx.items[i].fatalities)
                        .max()
                        .unwrap_or(0),
                )
            });
            v.truncate(12);
            v
        }
    };
    label_groups.sort_by_key(|g| {
        (
            std::cmp::Reverse(
                g.members
                    .iter()
                    .map(|&i| ctx.items[i].fatalities)
                    .max()
                    .unwrap_or(0),
            ),
            g.members
                .first()
                .map(|&i| (ctx.items[i].start, ctx.items[i].id().to_string())),
        )
    });
    for g in label_groups {
        let Some(&first) = g.members.first() else {
            continue;
        };
        let it = &ctx.items[first];
        let text = if g.members.len() == 1 && it.precision >= 3 {
            let kind = it.place_kind();
            let kind = if kind.is_empty() {
                "area".to_string()
            } else {
                kind
            };
            format!(
                "{} ({kind} centre) · {}",
                clip_text(&it.place_name(), 24),
                long_date(it.start)
            )
        } else if g.members.len() == 1 {
            it.short_label()
        } else {
            let place = clip_text(&it.place_name(), 24);
            let area = if it.precision >= 3 {
                match it.place_kind().as_str() {
                    "" => " (area centre)".to_string(),
                    k => format!(" ({k} centre)"),
                }
            } else {
                String::new()
            };
            format!("{place}{area}: {} incidents", g.members.len())
        };
        let mut req = LabelRequest {
            text,
            kind: LabelKind::Incident,
            anchor: g.anchor,
            clearance: g.extent + 2.0,
            size: 11.5,
            bold: false,
            centred: false,
        };
        let placed = [2.0, 10.0, 18.0].iter().find_map(|c| {
            req.clearance = g.extent + c;
            placer.place(&req)
        });
        if let Some(b) = placed {
            label_styles.push((b, text_attrs(11.5, style::INK, false, true)));
        }
    }
    // Country names.
    for iso in ["KG", "TJ", "UZ"] {
        let Some(c) = layers.countries.iter().find(|c| c.country == iso) else {
            continue;
        };
        let name = c.name.to_uppercase();
        let cands = basemap::label_candidates(frame, &c.shape, (r.x, r.y, r.w, r.h));
        for p in &cands {
            let req = LabelRequest {
                text: name.clone(),
                kind: LabelKind::Country,
                anchor: *p,
                clearance: 0.0,
                size: 16.0,
                bold: true,
                centred: true,
            };
            if let Some(b) = placer.place(&req) {
                label_styles.push((b, text_attrs(16.0, "#9b9486", true, false)));
                break;
            }
        }
    }
    // Other places.
    place_names(
        &mut placer,
        &candidates,
        false,
        limit,
        &mut label_styles,
        &mut dots,
        drawn,
    );

    // Emit places, incidents, labels.
    svg.group(&gid("places"), &[]);
    for (p, dr, town, name) in &dots {
        let attrs: Vec<(&'static str, String)> = if *town {
            vec![
                ("fill", "#333333".into()),
                ("stroke", "#ffffff".into()),
                ("stroke-width", "1".into()),
            ]
        } else {
            vec![("fill", "#555555".into())]
        };
        svg.group_attrs(&[("class", "place".into())]);
        svg.title(name);
        svg.circle(p.0, p.1, *dr, &attrs);
        svg.close();
    }
    svg.close();

    let mut panel_drawn = 0;
    svg.group(&gid("incidents"), &[]);
    // Halos first, deduplicated.
    svg.group_attrs(&[("class", "halos".into()), clip_attr()]);
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
            let (colour, _) = colour_of(ctx, it);
            if seen.insert((
                (x * 10.0) as i64,
                (y * 10.0) as i64,
                (true_r * 10.0) as i64,
                1u8,
            )) {
                svg.circle(
                    x,
                    y,
                    true_r,
                    &[
                        ("fill", colour.clone()),
                        ("fill-opacity", "0.13".into()),
                        ("stroke", colour),
                        ("stroke-opacity", "0.55".into()),
                        ("stroke-width", "0.8".into()),
                    ],
                );
            }
            drawn.precise_halo = true;
        }
    }
    svg.close();
    // Markers, largest first so small ones stay visible.
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
        let (colour, _) = colour_of(ctx, it);
        let mut attrs: Vec<(&'static str, String)> = vec![
            ("class", "incident".into()),
            ("data-id", it.id().to_string()),
            ("data-date", it.start.to_string()),
            ("data-type", it.etype.as_str().into()),
            ("data-fatalities", it.fatalities.to_string()),
            ("data-precision", it.precision.to_string()),
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
        svg.close();
        drawn.types.insert(it.etype);
        if sized {
            drawn.max_fatalities = Some(drawn.max_fatalities.unwrap_or(0).max(it.fatalities));
        }
        panel_drawn += 1;
    }
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
    for c in &lay.clusters {
        svg.group_attrs(&[
            ("class", "cluster".into()),
            ("data-count", c.count.to_string()),
            ("data-date", c.first.to_string()),
            ("data-type", c.dominant.as_str().into()),
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
    svg.close();

    svg.group(&gid("labels"), &[]);
    for (b, attrs) in &label_styles {
        let mut a = attrs.clone();
        a.push(("class", "label".into()));
        a.push(("data-kind", kind_name(b.kind).into()));
        svg.text(b.baseline.0, b.baseline.1, &b.text, &a);
    }
    for (n, b) in &badges {
        svg.group_attrs(&[("class", "section-badge".into())]);
        legend::section_badge(
            svg,
            b.rect.x + b.rect.w / 2.0,
            b.rect.y + b.rect.h / 2.0,
            *n,
        );
        svg.close();
    }
    svg.close();

    if let Some(b) = &bar {
        furniture::draw_scale_bar(svg, &gid("scalebar"), b);
    }
    furniture::draw_north_arrow(svg, &gid("north-arrow"), frame);
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
    Ok(Panel {
        heading,
        frame: r,
        labels: placer.placed().to_vec(),
        scale_bar: bar,
        drawn: panel_drawn,
    })
}

type Styled = (LabelBox, Vec<(&'static str, String)>);
type Dot = ((f64, f64), f64, bool, String);

/// Places place-name labels (key places only, or the others) with their dots.
fn place_names(
    placer: &mut Placer,
    candidates: &[basemap::PlaceLabel<'_>],
    key: bool,
    limit: usize,
    label_styles: &mut Vec<Styled>,
    dots: &mut Vec<Dot>,
    drawn: &mut Drawn,
) {
    for pl in candidates.iter().filter(|p| p.key == key) {
        if dots.len() >= limit {
            break;
        }
        let town = pl.place.kind == crate::gazetteer::PlaceKind::Town;
        let dot_r = if town { 3.2 } else { 2.2 };
        let dot = box_around(pl.px, dot_r);
        if placer.placed().iter().any(|b| b.rect.intersects(&dot)) {
            continue;
        }
        let size = if pl.key || town { 12.5 } else { 11.0 };
        let mut req = LabelRequest {
            text: clip_text(&pl.place.name, 32),
            kind: LabelKind::Place,
            anchor: pl.px,
            clearance: dot_r + 1.0,
            size,
            bold: pl.key,
            centred: false,
        };
        // Key places may sit under incident markers: try further out before giving up.
        let reaches: &[f64] = if pl.key {
            &[0.0, 10.0, 16.0, 26.0]
        } else {
            &[0.0]
        };
        let placed = reaches.iter().find_map(|extra| {
            req.clearance = dot_r + 1.0 + extra;
            placer.place(&req)
        });
        if let Some(b) = placed {
            placer.add_obstacle(dot);
            let colour = if pl.key { style::INK } else { "#3d3d3d" };
            label_styles.push((b, text_attrs(size, colour, pl.key, true)));
            dots.push((pl.px, dot_r, town, pl.place.name.clone()));
            if town {
                drawn.towns = true;
            } else {
                drawn.villages = true;
            }
        }
    }
}

fn kind_name(k: LabelKind) -> &'static str {
    match k {
        LabelKind::Country => "country",
        LabelKind::Enclave => "enclave",
        LabelKind::Place => "place",
        LabelKind::Section => "section",
        LabelKind::Incident => "incident",
    }
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
