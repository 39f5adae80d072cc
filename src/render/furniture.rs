//! Map furniture: scale bar, north arrow, graticule, inset locator, timeline strip.

use super::basemap::{self, degree_label, graticule_step};
use super::placement::text_width;
use super::projection::{Frame, Projection, Rect, UTM_42N};
use super::style;
use super::svg::text_attrs;
use super::svg::{PathData, Svg, num};
use super::text::{self, Text, fill};
use crate::Lang;
use crate::border::Layers;
use crate::error::Result;
use crate::model::Date;

/// The scale bar, with the numbers behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    /// The labelled length, km.
    pub km: f64,
    /// The drawn length, px.
    pub px: f64,
    /// Ground metres per px at the frame centre (geodesic).
    pub ground_metres_per_px: f64,
    /// Projected (grid) metres per px.
    pub grid_metres_per_px: f64,
    /// The frame centre, lon/lat.
    pub centre: (f64, f64),
    /// Where the bar is drawn (with its labels).
    pub rect: Rect,
}

const NICE_KM: [f64; 14] = [
    0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0,
];

/// Chooses the scale bar for a frame: the longest round length up to about a fifth of the
/// frame's width, measured geodesically at the frame centre.
pub fn scale_bar(frame: &Frame) -> Option<ScaleBar> {
    let mpp = frame.ground_metres_per_px()?;
    let target_km = frame.rect.w * 0.2 * mpp / 1000.0;
    let km = NICE_KM
        .iter()
        .copied()
        .rfind(|k| *k <= target_km)
        .unwrap_or(NICE_KM[0]);
    let px = km * 1000.0 / mpp;
    let (cx, cy) = frame.centre_px();
    let centre = frame.from_px(cx, cy)?;
    let rect = Rect {
        x: frame.rect.x + 10.0,
        y: frame.rect.bottom() - 44.0,
        w: px + 52.0,
        h: 36.0,
    };
    Some(ScaleBar {
        km,
        px,
        ground_metres_per_px: mpp,
        grid_metres_per_px: frame.grid_metres_per_px(),
        centre,
        rect,
    })
}

fn km_text(km: f64, t: &Text) -> String {
    if km < 1.0 {
        format!("{} {}", (km * 1000.0).round(), t.m)
    } else {
        format!("{} {}", t.number(&num(km)), t.km)
    }
}

/// A graticule label in the map's language: `70.5°E`, `70,5° в. д.`.
fn degree_text(v: f64, lon: bool, t: &Text) -> String {
    let en = degree_label(v, lon);
    let (value, hemi) = en.split_at(en.len() - 1);
    let i = ["N", "S", "E", "W"]
        .iter()
        .position(|h| *h == hemi)
        .unwrap_or(0);
    format!("{}{}", t.number(value), t.hemispheres[i])
}

/// Draws the scale bar.
pub fn draw_scale_bar(svg: &mut Svg, id: &str, s: &ScaleBar, lang: Lang) {
    let t = text::of(lang);
    svg.group(
        id,
        &[("data-km", num(s.km)), ("data-px", format!("{:.3}", s.px))],
    );
    let r = s.rect;
    svg.rect(
        r.x,
        r.y,
        r.w,
        r.h,
        &[
            ("fill", "#ffffff".into()),
            ("fill-opacity", "0.82".into()),
            ("rx", "3".into()),
        ],
    );
    let (x0, y0) = (r.x + 8.0, r.y + 20.0);
    let half = s.px / 2.0;
    svg.rect(x0, y0, half, 5.0, &[("fill", style::INK.into())]);
    svg.rect(
        x0 + half,
        y0,
        half,
        5.0,
        &[
            ("fill", "#ffffff".into()),
            ("stroke", style::INK.into()),
            ("stroke-width", "0.8".into()),
        ],
    );
    svg.rect(
        x0,
        y0,
        s.px,
        5.0,
        &[
            ("fill", "none".into()),
            ("stroke", style::INK.into()),
            ("stroke-width", "0.8".into()),
        ],
    );
    let a = text_attrs(11.0, style::INK, false, false);
    svg.text(x0 - 3.0, y0 - 5.0, "0", &a);
    let mid = km_text(s.km / 2.0, t);
    svg.text(
        x0 + half - text_width(&mid, 11.0, false) / 2.0 + 4.0,
        y0 - 5.0,
        &mid.replace(&format!(" {}", t.km), "")
            .replace(&format!(" {}", t.m), ""),
        &a,
    );
    svg.text(x0 + s.px - 4.0, y0 - 5.0, &km_text(s.km, t), &a);
    svg.text(
        x0,
        y0 + 15.0,
        t.true_at_centre,
        &text_attrs(9.0, style::INK_SOFT, false, false),
    );
    svg.close();
}

/// The box of the north arrow.
pub fn north_arrow_rect(frame: &Frame) -> Rect {
    let (cx, cy) = (frame.rect.right() - 34.0, frame.rect.y + 38.0);
    Rect {
        x: cx - 28.0,
        y: cy - 32.0,
        w: 56.0,
        h: 62.0,
    }
}

/// Draws a north arrow pointing to true north at the frame centre.
pub fn draw_north_arrow(svg: &mut Svg, id: &str, frame: &Frame, lang: Lang) {
    let rot = frame.convergence_deg().unwrap_or(0.0);
    let rect = north_arrow_rect(frame);
    let (cx, cy) = (rect.x + 28.0, rect.y + 32.0);
    svg.group(id, &[("data-rotation-deg", format!("{rot:.3}"))]);
    svg.rect(
        rect.x,
        rect.y,
        rect.w,
        rect.h,
        &[
            ("fill", "#ffffff".into()),
            ("fill-opacity", "0.82".into()),
            ("rx", "3".into()),
        ],
    );
    svg.group_attrs(&[(
        "transform",
        format!("rotate({} {} {})", num(rot), num(cx), num(cy)),
    )]);
    let mut left = PathData::new();
    left.poly(
        &[(cx, cy - 22.0), (cx - 8.0, cy + 8.0), (cx, cy + 2.0)],
        true,
    );
    svg.path(left.finish(), &[("fill", style::INK.into())]);
    let mut right = PathData::new();
    right.poly(
        &[(cx, cy - 22.0), (cx + 8.0, cy + 8.0), (cx, cy + 2.0)],
        true,
    );
    svg.path(
        right.finish(),
        &[
            ("fill", "#ffffff".into()),
            ("stroke", style::INK.into()),
            ("stroke-width", "1".into()),
        ],
    );
    svg.close();
    svg.text(
        cx - 22.0,
        cy + 24.0,
        text::of(lang).north,
        &text_attrs(10.5, style::INK, true, false),
    );
    svg.close();
}

/// Draws graticule lines (clipped to the frame) and edge labels.
pub fn draw_graticule(svg: &mut Svg, id: &str, clip: &str, frame: &Frame, lang: Lang) {
    let tx = text::of(lang);
    let e = frame.lonlat_envelope;
    let step = graticule_step(e[2] - e[0]);
    svg.group(id, &[]);
    svg.group_attrs(&[("clip-path", format!("url(#{clip})"))]);
    let lons: Vec<f64> = steps(e[0], e[2], step);
    let lats: Vec<f64> = steps(e[1], e[3], step);
    let mut d = PathData::new();
    let mut bottom_labels = Vec::new();
    let mut left_labels = Vec::new();
    for &lon in &lons {
        let pts: Vec<(f64, f64)> = (0..=40)
            .filter_map(|i| frame.to_px(lon, e[1] - 0.2 + (e[3] - e[1] + 0.4) * i as f64 / 40.0))
            .collect();
        d.poly(&pts, false);
        if let Some(x) = crossing(&pts, frame.rect.bottom(), false) {
            bottom_labels.push((x, degree_text(lon, true, tx)));
        }
    }
    for &lat in &lats {
        let pts: Vec<(f64, f64)> = (0..=40)
            .filter_map(|i| frame.to_px(e[0] - 0.2 + (e[2] - e[0] + 0.4) * i as f64 / 40.0, lat))
            .collect();
        d.poly(&pts, false);
        if let Some(y) = crossing(&pts, frame.rect.x, true) {
            left_labels.push((y, degree_text(lat, false, tx)));
        }
    }
    svg.path(
        d.finish(),
        &[
            ("fill", "none".into()),
            ("stroke", "#7f8c99".into()),
            ("stroke-width", "0.5".into()),
            ("stroke-opacity", "0.55".into()),
        ],
    );
    svg.close();
    let a = text_attrs(10.5, style::INK_SOFT, false, false);
    let bottom = frame.rect.bottom();
    for (x, t) in bottom_labels {
        if x < frame.rect.x + 2.0 || x > frame.rect.right() - 2.0 {
            continue;
        }
        svg.line(
            (x, bottom),
            (x, bottom + 5.0),
            &[("stroke", style::INK_SOFT.into())],
        );
        svg.text(
            x - text_width(&t, 10.5, false) / 2.0 + 3.0,
            bottom + 17.0,
            &t,
            &a,
        );
    }
    for (y, t) in left_labels {
        if y < frame.rect.y + 2.0 || y > bottom - 2.0 {
            continue;
        }
        svg.line(
            (frame.rect.x - 5.0, y),
            (frame.rect.x, y),
            &[("stroke", style::INK_SOFT.into())],
        );
        svg.text(
            frame.rect.x - 7.0,
            y + 3.5,
            &t,
            &[
                ("font-size", "10.5".into()),
                ("fill", style::INK_SOFT.into()),
                ("text-anchor", "end".into()),
            ],
        );
    }
    svg.close();
}

fn steps(a: f64, b: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut k = (a / step).ceil() as i64;
    while (k as f64) * step <= b + 1e-9 && out.len() < 200 {
        out.push(k as f64 * step);
        k += 1;
    }
    out
}

/// Where a polyline crosses `x = v` (`vertical`) or `y = v`: the other coordinate.
fn crossing(pts: &[(f64, f64)], v: f64, vertical: bool) -> Option<f64> {
    pts.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let (pa, pb, qa, qb) = if vertical {
            (a.0, b.0, a.1, b.1)
        } else {
            (a.1, b.1, a.0, b.0)
        };
        if (pa - v) * (pb - v) <= 0.0 && pa != pb {
            let t = (v - pa) / (pb - pa);
            Some(qa + t * (qb - qa))
        } else {
            None
        }
    })
}

/// The inset's area, `[west, south, east, north]` degrees: inside the extent of the shipped
/// country outlines, so the inset is land and borders to its edges, never a clipped patch.
pub const INSET_AREA: [f64; 4] = [66.9, 37.3, 75.1, 43.3];

/// Draws the inset locator: the countries around the map, in the map's own projection (UTM
/// zone 42N), with the main frame(s) outlined.
pub fn draw_inset(
    svg: &mut Svg,
    rect: Rect,
    layers: &Layers,
    mains: &[&Frame],
    lang: Lang,
) -> Result<()> {
    let tx = text::of(lang);
    let frame = Frame::fit(
        Projection::new(UTM_42N)?,
        INSET_AREA,
        rect.x,
        rect.y,
        rect.w,
        rect.h,
    )?;
    let fr = frame.rect;
    svg.group("inset", &[]);
    svg.clip_rect("inset-clip", fr.x, fr.y, fr.w, fr.h);
    svg.rect(
        fr.x,
        fr.y,
        fr.w,
        fr.h,
        &[("fill", style::LAND_OTHER.into())],
    );
    svg.group_attrs(&[("clip-path", "url(#inset-clip)".into())]);
    let mut order: Vec<_> = layers.countries.iter().collect();
    order.sort_by_key(|c| (c.role == "focus", c.id.clone()));
    let mut names = Vec::new();
    for c in &order {
        let mut d = PathData::new();
        for ring in basemap::polygon_rings(&frame, &c.shape, 1.0) {
            let thin = thin(&ring, 0.8);
            if thin.len() >= 3 {
                d.poly(&thin, true);
            }
        }
        svg.path(
            d.finish(),
            &[
                ("fill", style::country_fill(&c.country, &c.role).into()),
                ("fill-rule", "evenodd".into()),
                ("stroke", "#8a8a8a".into()),
                ("stroke-width", "0.5".into()),
            ],
        );
        if let Some(anchor) = basemap::area_anchor(&frame, &c.shape) {
            names.push((tx.country(&c.country).to_uppercase(), anchor));
        }
    }
    for (n, ((x, y), room)) in names {
        let w = text_width(&n, 8.0, false);
        if room > w && fr.contains(x - w / 2.0, y) && fr.contains(x + w / 2.0, y) {
            svg.text(
                x - w / 2.0,
                y,
                &n,
                &[
                    ("font-size", "8".into()),
                    ("fill", "#555555".into()),
                    ("letter-spacing", "0.5".into()),
                ],
            );
        }
    }
    for m in mains {
        let r = m.rect;
        let mut pts = Vec::new();
        for i in 0..=40 {
            let t = i as f64 / 40.0;
            let p = if i <= 10 {
                (r.x + t * 4.0 * r.w, r.y)
            } else if i <= 20 {
                (r.right(), r.y + (t - 0.25) * 4.0 * r.h)
            } else if i <= 30 {
                (r.right() - (t - 0.5) * 4.0 * r.w, r.bottom())
            } else {
                (r.x, r.bottom() - (t - 0.75) * 4.0 * r.h)
            };
            if let Some(q) = m
                .from_px(p.0, p.1)
                .and_then(|(lon, lat)| frame.to_px(lon, lat))
            {
                pts.push(q);
            }
        }
        let mut d = PathData::new();
        d.poly(&pts, true);
        svg.path(
            d.finish(),
            &[
                ("fill", style::DISPUTED.into()),
                ("fill-opacity", "0.15".into()),
                ("stroke", style::DISPUTED.into()),
                ("stroke-width", "1.6".into()),
            ],
        );
    }
    svg.close();
    svg.rect(
        fr.x,
        fr.y,
        fr.w,
        fr.h,
        &[
            ("fill", "none".into()),
            ("stroke", "#555555".into()),
            ("stroke-width", "0.8".into()),
        ],
    );
    svg.text(
        fr.x + 4.0,
        fr.bottom() + 13.0,
        tx.locator,
        &text_attrs(10.5, style::INK_SOFT, false, false),
    );
    svg.close();
    Ok(())
}

fn thin(pts: &[(f64, f64)], min: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &p in pts {
        if out
            .last()
            .is_none_or(|l: &(f64, f64)| (l.0 - p.0).hypot(l.1 - p.1) >= min)
        {
            out.push(p);
        }
    }
    out
}

/// One incident on the timeline: its days, a colour, and a sort key for stacking.
#[derive(Debug, Clone)]
pub struct TimelineEntry {
    /// The first day.
    pub day: Date,
    /// The last day: a multi-day event counts on every day (or week) it spans.
    pub last: Date,
    /// The colour.
    pub colour: String,
    /// Stacking order (lower at the bottom).
    pub order: usize,
}

/// Draws the timeline strip: incidents under way per day (or week, or 30 days) over
/// `from..=to`; an event of several days counts on each of them, so the bars show duration.
pub fn draw_timeline(
    svg: &mut Svg,
    rect: Rect,
    entries: &[TimelineEntry],
    (from, to): (Date, Date),
    lang: Lang,
) {
    let tx = text::of(lang);
    svg.group("timeline", &[]);
    let a = text_attrs(11.0, style::INK, true, false);
    let plot = Rect {
        x: rect.x,
        y: rect.y + 20.0,
        w: rect.w,
        h: rect.h - 44.0,
    };
    let (d0, d1) = (from.days(), to.days().max(from.days()));
    let ndays = (d1 - d0 + 1) as f64;
    let day_w = plot.w / ndays;
    // Bars per day for short spans; per week or per 30 days for long ones, so bars stay visible.
    let (bucket, unit_i) = if ndays <= 120.0 {
        (1, 0)
    } else if ndays <= 900.0 {
        (7, 1)
    } else {
        (30, 2)
    };
    svg.text(rect.x, rect.y + 11.0, tx.timeline[unit_i], &a);
    // Counts per day and colour: one bar segment per colour, however many incidents.
    type Stack<'a> = std::collections::BTreeMap<(usize, &'a str), usize>;
    let mut per_day: std::collections::BTreeMap<i64, Stack<'_>> = Default::default();
    for e in entries {
        let (a, b) = (e.day.days().max(d0), e.last.days().min(d1));
        if a > b {
            continue;
        }
        let (first, last) = ((a - d0) / bucket, (b - d0) / bucket);
        for k in first..=last {
            *per_day
                .entry(d0 + k * bucket)
                .or_default()
                .entry((e.order, e.colour.as_str()))
                .or_default() += 1;
        }
    }
    let max = per_day
        .values()
        .map(|s| s.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let unit = (plot.h - 10.0) / max as f64;
    svg.rect(
        plot.x,
        plot.y,
        plot.w,
        plot.h,
        &[("fill", "#f6f6f4".into())],
    );
    let bw = (day_w * bucket as f64 * 0.8).clamp(1.6, 24.0);
    for (d, stack) in &per_day {
        let x = plot.x + (*d - d0) as f64 * day_w + day_w * bucket as f64 / 2.0 - bw / 2.0;
        let mut top = plot.bottom();
        for ((_, colour), n) in stack {
            let h = *n as f64 * unit;
            top -= h;
            svg.rect(
                x,
                top,
                bw,
                h,
                &[
                    ("fill", (*colour).to_string()),
                    ("stroke", "#ffffff".into()),
                    ("stroke-width", "0.4".into()),
                ],
            );
        }
    }
    svg.line(
        (plot.x, plot.bottom()),
        (plot.right(), plot.bottom()),
        &[
            ("stroke", style::INK.into()),
            ("stroke-width", "0.8".into()),
        ],
    );
    // Above the plot, right-aligned on the heading's line: inside it, the text would sit
    // on the tallest bars.
    let most = fill(tx.timeline_max[unit_i], &[&max.to_string()]);
    svg.text(
        rect.right() - text_width(&most, 9.5, false),
        rect.y + 11.0,
        &most,
        &text_attrs(9.5, style::INK_SOFT, false, false),
    );
    draw_time_axis(svg, plot, (from, to), tx);
    svg.close();
}

/// Draws the time axis under the timeline's `plot`: day ticks labelled weekly for spans up
/// to 92 days, month ticks otherwise; a label that would reach the previous one is left out.
fn draw_time_axis(svg: &mut Svg, plot: Rect, (from, to): (Date, Date), tx: &Text) {
    let (d0, d1) = (from.days(), to.days().max(from.days()));
    let ndays = (d1 - d0 + 1) as f64;
    let day_w = plot.w / ndays;
    // Tick labels never overprint: a label that would reach the previous one is left out.
    let mut label_end = f64::NEG_INFINITY;
    if ndays <= 92.0 {
        // Day ticks, labelled weekly.
        for k in 0..ndays as i64 {
            let x = plot.x + k as f64 * day_w;
            let day = from.days() + k;
            let date = Date::from_days(day);
            let labelled = date.day == 1 || date.day % 7 == 1 && date.day < 29;
            svg.line(
                (x, plot.bottom()),
                (x, plot.bottom() + if labelled { 5.0 } else { 2.5 }),
                &[
                    ("stroke", style::INK_SOFT.into()),
                    ("stroke-width", "0.6".into()),
                ],
            );
            let t = tx.day_month(date);
            let fits = x + 2.0 > label_end + 4.0;
            if labelled && fits && x + 40.0 <= plot.right() + 20.0 {
                label_end = x + 2.0 + text_width(&t, 10.0, false);
                svg.text(
                    x + 2.0,
                    plot.bottom() + 16.0,
                    &t,
                    &text_attrs(10.0, style::INK_SOFT, false, false),
                );
            }
        }
        return;
    }
    // Month ticks.
    let months = months_between(from, to);
    let px_per_month = plot.w / months.len().max(1) as f64;
    let every = [1usize, 2, 3, 6, 12]
        .into_iter()
        .find(|k| px_per_month * *k as f64 >= 62.0)
        .unwrap_or(12);
    for (i, (y, m)) in months.iter().enumerate() {
        let first = Date {
            year: *y,
            month: *m,
            day: 1,
        };
        let x = plot.x + (first.days() - d0).max(0) as f64 * day_w;
        let labelled = i % every == 0;
        svg.line(
            (x, plot.bottom()),
            (x, plot.bottom() + if labelled { 5.0 } else { 3.0 }),
            &[
                ("stroke", style::INK_SOFT.into()),
                ("stroke-width", "0.7".into()),
            ],
        );
        let t = format!("{} {}", tx.month_short(*m), y);
        if labelled && x + 2.0 > label_end + 4.0 && x + 40.0 <= plot.right() + 20.0 {
            label_end = x + 2.0 + text_width(&t, 10.0, false);
            svg.text(
                x + 2.0,
                plot.bottom() + 16.0,
                &t,
                &text_attrs(10.0, style::INK_SOFT, false, false),
            );
        }
    }
}

fn months_between(a: Date, b: Date) -> Vec<(i32, u32)> {
    let mut out = Vec::new();
    let (mut y, mut m) = (a.year, a.month);
    while (y, m) <= (b.year, b.month) && out.len() < 1200 {
        out.push((y, m));
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2022-09-14", "2021-12-31"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days(d.days()), d);
        }
    }
}
