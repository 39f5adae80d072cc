//! The words around the map: the title and its subtitle (the dates, the counts, the status
//! date of the sections), the notes on what is not drawn, and the attribution.

use super::MapOptions;
use super::incidents::Item;
use super::incidents::clip_text;
use super::legend;
use super::projection::Rect;
use super::select::Listed;
use super::style;
use super::svg::{Svg, text_attrs};
use super::text::{self, fill};
use crate::Lang;
use crate::model::Date;

/// The page margin, px.
pub const MARGIN: f64 = 24.0;

/// The longest incident title the notes print whole (they wrap it over lines); only a
/// longer one is cut, so a pathological title cannot fill the page.
pub const MAX_NOTE_TITLE: usize = 600;

/// The most lines of notes under a map; past it the list says how many more there are.
pub const MAX_NOTE_LINES: usize = 60;

/// The subtitle: the date range, how many incidents are drawn and how many are listed under
/// the map (the two add up to the incidents of the period), the totals records, the radius
/// around a place, and the status date of the sections.
pub fn subtitle(
    opts: &MapOptions,
    span: Option<(Date, Date)>,
    drawn: usize,
    listed: usize,
    aggregates: usize,
    as_of: Date,
) -> String {
    let t = text::of(opts.lang);
    opts.subtitle.clone().unwrap_or_else(|| {
        let range = span.map_or_else(|| t.no_dates.to_string(), |(a, b)| t.date_range(a, b));
        let mut s = format!(
            "{range} · {}",
            fill(
                t.counts,
                &[&(drawn + listed).to_string(), &drawn.to_string()]
            )
        );
        if listed > 0 {
            s.push_str(&fill(t.listed, &[&listed.to_string()]));
        }
        if aggregates == 1 {
            s.push_str(t.aggregates_one);
        } else if aggregates > 1 {
            s.push_str(&fill(t.aggregates_many, &[&aggregates.to_string()]));
        }
        if let Some(a) = &opts.around {
            s.push_str(&fill(
                t.within,
                &[
                    &t.distance(a.radius_m),
                    &clip_text(&text::place_name(opts.lang, "", &a.name), 40),
                ],
            ));
        }
        s.push_str(&fill(t.sections_as_of, &[&t.date(as_of)]));
        s
    })
}

/// Draws the title and subtitle across the top of a page `w` px wide; returns its block.
pub fn draw_title(svg: &mut Svg, opts: &MapOptions, subtitle: &str, w: f64) -> Rect {
    let title = opts
        .title
        .clone()
        .unwrap_or_else(|| text::of(opts.lang).title.to_string());
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

/// The notes under the map: every kept incident that is not drawn, by title and date, under
/// the reason it is not drawn. Nothing of the map's period goes unaccounted for.
pub fn notes(items: &[Item<'_>], listed: &[(usize, Listed)], lang: Lang) -> Vec<String> {
    let t = text::of(lang);
    let mut notes = Vec::new();
    for why in [
        Listed::Outside,
        Listed::Area,
        Listed::NotPlaced,
        Listed::Aggregate,
    ] {
        let these: Vec<usize> = listed
            .iter()
            .filter(|(_, w)| *w == why)
            .map(|(i, _)| *i)
            .collect();
        if these.is_empty() {
            continue;
        }
        notes.push(format!("{} ({}):", why.heading(lang), these.len()));
        for i in these {
            let it = &items[i];
            let name = it.place_name_in(lang);
            let place = match (why, it.place_kind().as_str()) {
                (Listed::Area, "district") => format!(" ({})", fill(t.district, &[&name])),
                (Listed::Area, "region") => format!(" ({})", fill(t.region, &[&name])),
                (Listed::Area | Listed::Outside, _) => format!(" ({name})"),
                _ => String::new(),
            };
            notes.push(format!(
                "• {} — {}{place}",
                t.date_range(it.start, it.end),
                clip_text(&it.title(), MAX_NOTE_TITLE)
            ));
        }
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
    lang: Lang,
) -> f64 {
    let t = text::of(lang);
    let mut note_lines: Vec<String> = notes
        .iter()
        .flat_map(|n| legend::wrap(n, text_w, 11.5))
        .collect();
    if note_lines.len() > MAX_NOTE_LINES {
        let more = note_lines.len() - (MAX_NOTE_LINES - 1);
        note_lines.truncate(MAX_NOTE_LINES - 1);
        note_lines.push(fill(t.more_lines, &[&more.to_string()]));
    }
    let attribution_lines = legend::wrap(&fill(t.sources, &[t.attribution]), text_w, 11.0);
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

pub(super) fn id_list(ids: &[String], lang: Lang) -> String {
    let mut s: Vec<String> = ids.iter().take(6).map(|i| clip_text(i, 40)).collect();
    if ids.len() > 6 {
        s.push(fill(
            text::of(lang).and_more,
            &[&(ids.len() - 6).to_string()],
        ));
    }
    s.join(", ")
}
