//! The words around the map: the title and its subtitle (the dates, the counts, the status
//! date of the sections), the notes on what is not drawn, and the attribution.

use super::MapOptions;
use super::incidents::{clip_text, date_range, distance_text, long_date};
use super::legend;
use super::projection::Rect;
use super::style;
use super::svg::{Svg, text_attrs};
use crate::model::Date;

/// The attribution line printed on every map.
pub const ATTRIBUTION: &str = "Border: Who's On First / Quattroshapes (LSIB-derived); countries, rivers, lakes: Natural Earth; places: Who's On First / GeoNames; incidents: bordermap from cited reports";

/// The page margin, px.
pub const MARGIN: f64 = 24.0;

/// The subtitle: the date range, how many incidents are mapped and how many are not, the
/// radius around a place, and the status date of the sections.
pub fn subtitle(
    opts: &MapOptions,
    span: Option<(Date, Date)>,
    drawn_total: usize,
    missing: usize,
    as_of: Date,
) -> String {
    opts.subtitle.clone().unwrap_or_else(|| {
        let range = span.map_or_else(|| "no dates".to_string(), |(a, b)| date_range(a, b));
        let mut s = format!("{range} · {drawn_total} incidents mapped");
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
    })
}

/// Draws the title and subtitle across the top of a page `w` px wide; returns its block.
pub fn draw_title(svg: &mut Svg, opts: &MapOptions, subtitle: &str, w: f64) -> Rect {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| "Kyrgyzstan–Tajikistan border incidents".to_string());
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
    for (i, line) in legend::wrap(subtitle, w - 2.0 * MARGIN, 15.0)
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
    title_rect
}

/// The notes under the map: what is not drawn and why, and how area-located incidents are
/// shown.
pub fn notes(unlocated: &[String], outside: &[String], area_located: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if !unlocated.is_empty() {
        notes.push(format!(
            "Not drawn, no location ({}): {}.",
            unlocated.len(),
            id_list(unlocated)
        ));
    }
    if !outside.is_empty() {
        notes.push(format!(
            "Not drawn, outside the map area ({}): {}.",
            outside.len(),
            id_list(outside)
        ));
    }
    if area_located {
        notes.push("Incidents that reports place only in a district or region are drawn at its centre, with a dashed outline; the true location may be anywhere in that area.".into());
    }
    notes
}

/// Draws the notes from `y` down and the attribution at the foot of the page, `text_w` px
/// wide; the page is at least `min_height` tall. Returns the page height.
pub fn draw_notes_and_attribution(
    svg: &mut Svg,
    notes: &[String],
    y: f64,
    text_w: f64,
    min_height: f64,
) -> f64 {
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
    let height = (y + bottom_text_h).max(min_height) + MARGIN;
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
    height
}

pub(super) fn id_list(ids: &[String]) -> String {
    let mut s: Vec<String> = ids.iter().take(6).map(|i| clip_text(i, 40)).collect();
    if ids.len() > 6 {
        s.push(format!("and {} more", ids.len() - 6));
    }
    s.join(", ")
}
