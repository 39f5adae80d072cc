//! The label layer: which labels go where, by priority, so that none collides with
//! another, a marker or the map furniture: enclave names, the places the reports name, the
//! section numbers, the incident labels, the country names, then other places.

use super::Ctx;
use super::Groups;
use super::base::EnclaveLabel;
use crate::render::Labels;
use crate::render::basemap;
use crate::render::furniture::{self, ScaleBar};
use crate::render::incidents::{self, Layout, clip_text};
use crate::render::legend::{self, Drawn};
use crate::render::markers::shape_extent;
use crate::render::placement::{
    LabelBox, LabelKind, LabelRequest, Placer, box_around, distance_to_rect, nearest_point_of,
    text_width,
};
use crate::render::projection::Frame;
use crate::render::projection::Rect;
use crate::render::style;
use crate::render::svg::{Svg, text_attrs};

/// The labels placed in a panel, with what they need to be drawn.
pub struct Placed {
    /// The placer, holding every placed box.
    pub placer: Placer,
    /// Each label's box and text attributes, in priority order.
    pub styles: Vec<Styled>,
    /// Place dots: position, radius, is a town, name.
    pub dots: Vec<Dot>,
    /// Section number badges.
    pub badges: Vec<(usize, LabelBox)>,
    /// Leader lines from a marker to its label, where the label had to sit further out.
    pub leaders: Vec<Leader>,
}

/// A leader line: from the edge of a marker to the nearest point of its label, px.
pub type Leader = ((f64, f64), (f64, f64));

/// Places every label of a panel around the incidents laid out in `lay`, keeping clear of
/// the markers and the scale bar; `mpp` is the ground metres per px. By priority: enclave
/// names, the places the reports name, section numbers, incident labels, country names,
/// then other places.
#[allow(clippy::too_many_arguments)]
pub fn place(
    ctx: &Ctx<'_>,
    frame: &Frame,
    lay: &Layout,
    enclave_labels: &[EnclaveLabel],
    section_anchors: &[(usize, (f64, f64))],
    bar: Option<&ScaleBar>,
    mpp: f64,
    drawn: &mut Drawn,
) -> Placed {
    let mut placer = Placer::new(frame.rect.grow(-2.0));
    obstacles(&mut placer, lay, bar, frame);
    border_lines(&mut placer, ctx, frame);
    // Section numbers first: they must always be visible.
    let badges = place_section_numbers(&mut placer, section_anchors);
    let mut label_styles: Vec<Styled> = Vec::new();
    place_enclaves(&mut placer, ctx, enclave_labels, &mut label_styles);
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
        NamePass {
            key: true,
            limit,
            lang: ctx.opts.lang,
        },
        &mut label_styles,
        &mut dots,
        drawn,
    );
    let mut leaders = Vec::new();
    place_incidents(&mut placer, ctx, lay, &mut label_styles, &mut leaders);
    place_countries(&mut placer, ctx, frame, &mut label_styles);
    // Other places.
    place_names(
        &mut placer,
        &candidates,
        NamePass {
            key: false,
            limit,
            lang: ctx.opts.lang,
        },
        &mut label_styles,
        &mut dots,
        drawn,
    );
    Placed {
        placer,
        styles: label_styles,
        dots,
        badges,
        leaders,
    }
}

/// The KG–TJ border line (the disputed sections lie on it): labels keep off it where they
/// can, so that no name is drawn across the line. Marked as small boxes every few px.
fn border_lines(placer: &mut Placer, ctx: &Ctx<'_>, frame: &Frame) {
    const STEP_PX: f64 = 3.0;
    let area = frame.rect.grow(20.0);
    for part in &ctx.base.layers.border {
        let pts: Vec<(f64, f64)> = part
            .line
            .0
            .iter()
            .filter_map(|c| frame.to_px(c.x, c.y))
            .collect();
        for w in pts.windows(2) {
            let (a, b) = (w[0], w[1]);
            if !area.contains(a.0, a.1) && !area.contains(b.0, b.1) {
                continue;
            }
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            let n = (len / STEP_PX).ceil().max(1.0) as usize;
            for k in 0..n {
                let t = k as f64 / n as f64;
                let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                placer.add_avoided(box_around(p, 1.5));
            }
        }
    }
}

/// Markers, bubbles, clusters, the scale bar and the north arrow: no label may cover them.
fn obstacles(placer: &mut Placer, lay: &Layout, bar: Option<&ScaleBar>, frame: &Frame) {
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
    if let Some(b) = bar {
        placer.add_obstacle(b.rect);
    }
    placer.add_obstacle(furniture::north_arrow_rect(frame));
}

/// Enclave names, in italics in the sovereign's colour, centred when the enclave is wide
/// enough.
fn place_enclaves(
    placer: &mut Placer,
    ctx: &Ctx<'_>,
    enclave_labels: &[EnclaveLabel],
    label_styles: &mut Vec<Styled>,
) {
    let lang = ctx.opts.lang;
    for (text, anchor, size, iso) in enclave_labels {
        // The label is "Name (ISO)"; in another language, the enclave's name in it.
        let named = ctx
            .base
            .layers
            .enclaves
            .iter()
            .find(|e| format!("{} ({})", e.name, e.country) == *text);
        let text = match named {
            Some(e) if lang != crate::Lang::En => format!(
                "{} ({})",
                crate::render::text::place_name(lang, &e.id, &e.name),
                e.country
            ),
            _ => text.clone(),
        };
        let t = clip_text(&text, 40);
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
        if let Some(b) = placer.place_on_lines(&req) {
            let mut a = text_attrs(11.5, style::enclave_stroke(iso), true, true);
            a.push(("font-style", "italic".into()));
            label_styles.push((b, a));
        }
    }
}

/// Section numbers beside their lines, a little further out when the first try collides.
fn place_section_numbers(
    placer: &mut Placer,
    section_anchors: &[(usize, (f64, f64))],
) -> Vec<(usize, LabelBox)> {
    let mut badges = Vec::new();
    for (n, anchor) in section_anchors {
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
            placer.place_on_lines(&req)
        });
        // A section number is always shown: where there is no free room, it sits on its line.
        let b = placed.unwrap_or_else(|| {
            req.clearance = 0.0;
            placer.force(&req)
        });
        badges.push((*n, b));
    }
    badges
}

/// How many incident labels `--labels auto` places at most.
const AUTO_LABELS: usize = 12;

/// How much nearer its own marker than any other an incident label must be, px.
const BELONGS_MARGIN_PX: f64 = 6.0;

/// Incident labels: every group (`--labels all`), or the deadliest and the places with
/// several incidents (`auto`), deadliest first.
fn place_incidents(
    placer: &mut Placer,
    ctx: &Ctx<'_>,
    lay: &Layout,
    label_styles: &mut Vec<Styled>,
    leaders: &mut Vec<Leader>,
) {
    // Every drawn symbol's centre: a label must be nearer its own than any of these.
    let markers: Vec<(f64, f64)> = lay
        .groups
        .iter()
        .flat_map(|g| g.markers.iter().map(|m| m.px).chain([g.anchor]))
        .chain(lay.clusters.iter().map(|c| c.px))
        .collect();
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
            v
        }
    };
    // Automatic labels: the twelve deadliest that find room (a group with no room leaves
    // its turn to the next).
    let limit = match ctx.opts.labels {
        Labels::Auto => AUTO_LABELS,
        _ => usize::MAX,
    };
    let mut labelled = 0;
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
        if labelled >= limit {
            break;
        }
        let text = incident_label(ctx, g);
        let mut req = LabelRequest {
            text,
            kind: LabelKind::Incident,
            anchor: g.anchor,
            clearance: g.extent + 2.0,
            size: 11.5,
            bold: false,
            centred: false,
        };
        // A label belongs to its marker: it must be nearer to it than to any other marker.
        let own = g.anchor;
        let others: Vec<(f64, f64)> = markers
            .iter()
            .copied()
            .filter(|p| (p.0 - own.0).hypot(p.1 - own.1) > g.extent + 0.5)
            .collect();
        // With a margin: the box is an estimate of the text's extent, and a label that is
        // only just nearer its own marker reads as another's once the glyphs are drawn.
        let belongs = |r: &Rect| {
            let d = distance_to_rect(own, r);
            others
                .iter()
                .all(|o| distance_to_rect(*o, r) > d + BELONGS_MARGIN_PX)
        };
        // Clear of the border line at any reach first; across it only if nothing else fits.
        let reaches = [2.0, 10.0, 18.0];
        let placed = reaches
            .iter()
            .find_map(|c| {
                req.clearance = g.extent + c;
                placer.place_clear(&req, belongs)
            })
            .or_else(|| {
                reaches.iter().find_map(|c| {
                    req.clearance = g.extent + c;
                    placer.place_where(&req, belongs)
                })
            });
        if let Some(b) = &placed
            && distance_to_rect(own, &b.rect) > g.extent + 6.0
        {
            let to = nearest_point_of(&b.rect, own);
            let (dx, dy) = (to.0 - own.0, to.1 - own.1);
            let len = dx.hypot(dy).max(1e-9);
            let from = (own.0 + dx / len * g.extent, own.1 + dy / len * g.extent);
            leaders.push((from, to));
        }
        if let Some(b) = placed {
            let mut a = text_attrs(11.5, style::INK, false, true);
            // Its marker group's centre and extent, for measuring the label against it.
            a.push(("data-x", crate::render::svg::num(own.0)));
            a.push(("data-y", crate::render::svg::num(own.1)));
            a.push(("data-r", crate::render::svg::num(g.extent)));
            label_styles.push((b, a));
            labelled += 1;
        }
    }
}

/// A group's label: the incident's short label, or the place with the number of incidents;
/// an area-located place says it is the area's centre.
fn incident_label(ctx: &Ctx<'_>, g: &incidents::Group) -> String {
    let Some(&first) = g.members.first() else {
        return String::new();
    };
    let it = &ctx.items[first];
    if g.members.len() == 1 {
        return it.short_label(ctx.opts.lang);
    }
    // Every place of the group, in one spelling each: "Batken Airport, Batken: 2 incidents".
    let mut places: Vec<String> = Vec::new();
    for &i in &g.members {
        let name = ctx.items[i].place_name_in(ctx.opts.lang);
        if !places.contains(&name) {
            places.push(name);
        }
    }
    let t = crate::render::text::of(ctx.opts.lang);
    let shown = if places.len() > 2 {
        crate::render::text::fill(
            t.places_and_more,
            &[&places[0], &places[1], &(places.len() - 2).to_string()],
        )
    } else {
        places.join(", ")
    };
    crate::render::text::fill(
        t.group_label,
        &[&clip_text(&shown, 40), &g.members.len().to_string()],
    )
}

/// Country names in capitals, at the first candidate position with room.
fn place_countries(
    placer: &mut Placer,
    ctx: &Ctx<'_>,
    frame: &Frame,
    label_styles: &mut Vec<Styled>,
) {
    let r = frame.rect;
    let layers = &ctx.base.layers;
    for iso in ["KG", "TJ", "UZ"] {
        let Some(c) = layers.countries.iter().find(|c| c.country == iso) else {
            continue;
        };
        let name = match ctx.opts.lang {
            crate::Lang::En => c.name.to_uppercase(),
            lang => crate::render::text::of(lang).country(iso).to_uppercase(),
        };
        let cands = basemap::label_candidates(frame, &c.shape, (r.x, r.y, r.w, r.h));
        let req = |p: (f64, f64)| LabelRequest {
            text: name.clone(),
            kind: LabelKind::Country,
            anchor: p,
            clearance: 0.0,
            size: 16.0,
            bold: true,
            centred: true,
        };
        // Any candidate clear of the border line first, then the first with room.
        let placed = cands
            .iter()
            .find_map(|p| placer.place_clear(&req(*p), |_| true))
            .or_else(|| cands.iter().find_map(|p| placer.place(&req(*p))));
        if let Some(b) = placed {
            label_styles.push((b, text_attrs(16.0, "#9b9486", true, true)));
        }
    }
}

/// Draws the place dots (under the incidents).
pub fn draw_places(svg: &mut Svg, g: &Groups<'_>, placed: &Placed) {
    svg.group(&g.id("places"), &[]);
    for (p, dr, town, name) in &placed.dots {
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
}

/// Draws the label texts and section badges (above the incidents).
pub fn draw_labels(svg: &mut Svg, g: &Groups<'_>, placed: &Placed) {
    svg.group(&g.id("labels"), &[]);
    for (from, to) in &placed.leaders {
        svg.line(
            *from,
            *to,
            &[
                ("class", "leader".into()),
                ("stroke", style::INK_SOFT.into()),
                ("stroke-width", "0.8".into()),
            ],
        );
    }
    for (b, attrs) in &placed.styles {
        let mut a = attrs.clone();
        a.push(("class", "label".into()));
        a.push(("data-kind", kind_name(b.kind).into()));
        svg.text(b.baseline.0, b.baseline.1, &b.text, &a);
    }
    for (n, b) in &placed.badges {
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
}

/// A placed label and its text attributes.
pub type Styled = (LabelBox, Vec<(&'static str, String)>);
/// A place dot: position (px), radius, is a town, name.
pub type Dot = ((f64, f64), f64, bool, String);

/// Places place-name labels (key places only, or the others) with their dots.
/// One pass of place names: key places or the others, up to `limit` dots, in `lang`.
struct NamePass {
    key: bool,
    limit: usize,
    lang: crate::Lang,
}

fn place_names(
    placer: &mut Placer,
    candidates: &[basemap::PlaceLabel<'_>],
    NamePass { key, limit, lang }: NamePass,
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
        let name = crate::render::text::place_name(lang, &pl.place.id, &pl.place.name);
        let mut req = LabelRequest {
            text: clip_text(&name, 32),
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
        // Near the dot first (clear of the border line if it can be), further out only if
        // nothing fits: a place's name belongs next to it.
        // Other places are labelled only clear of the border line: a village name across
        // the line reads as being on the wrong side of it.
        let placed = reaches.iter().find_map(|extra| {
            req.clearance = dot_r + 1.0 + extra;
            if key {
                placer.place(&req)
            } else {
                placer.place_clear(&req, |_| true)
            }
        });
        if let Some(b) = placed {
            placer.add_obstacle(dot);
            let colour = if pl.key { style::INK } else { "#3d3d3d" };
            label_styles.push((b, text_attrs(size, colour, pl.key, true)));
            dots.push((pl.px, dot_r, town, name));
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
