//! Incidents as the renderer sees them: typed views of the GeoJSON properties, the
//! tooltips, and the marker layout (same-place displacement and dense-area clusters).
//!
//! Layout is deterministic: incidents are ordered by first day, then id; incidents that
//! fall within [`GROUP_PX`] of each other are set on a small ring around the first one's
//! position, each with a leader line back to its true position; and when more than
//! [`CLUSTER_THRESHOLD`] incidents are in a frame they are counted on a screen grid of
//! [`CLUSTER_CELL_PX`] instead.

use super::style::{self, ClaimantGroup, Shape};
use crate::error::{Error, Result};
use crate::geojson_io::PointFeature;
use crate::model::{Date, EventType, LonLat};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Incidents closer than this on the page (px) are displaced onto a ring.
pub const GROUP_PX: f64 = 12.0;
/// At most this many incidents are drawn on one ring; larger groups become a count bubble.
pub const MAX_RING: usize = 16;
/// Above this many incidents in a frame, markers are aggregated into grid clusters.
pub const CLUSTER_THRESHOLD: usize = 2000;
/// The cluster grid cell, px.
pub const CLUSTER_CELL_PX: f64 = 24.0;
/// The largest uncertainty halo drawn for area-level locations (precision 3), px.
pub const HALO_CAP_PX: f64 = 38.0;

/// One incident, typed.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The feature it was read from.
    pub feature: &'a PointFeature,
    /// Position, if located.
    pub pos: Option<LonLat>,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Event type (unknown types map to `Other`).
    pub etype: EventType,
    /// Best fatality estimate.
    pub fatalities: u32,
    /// ACLED-style precision: 1 place, 2 near, 3 district or larger.
    pub precision: u8,
    /// Location uncertainty radius, metres.
    pub uncertainty_m: f64,
    /// A record of totals for a whole conflict or period, not an event.
    pub aggregate: bool,
    /// False when the reference line and the place's own country disagree about the side
    /// (`side_agrees = false`): drawn with a distinct outline.
    pub side_agrees: bool,
    /// True for an undated incident (`date_precision` unknown, no `date_start`): `start`
    /// and `end` are then placeholders, and maps and the page list it apart.
    pub undated: bool,
}

fn prop(f: &PointFeature, key: &str) -> String {
    f.properties
        .get(key)
        .map_or_else(String::new, |v| crate::geojson_io::value_text(&v))
}

fn as_u64(v: Option<&Value>) -> Option<u64> {
    let v = v?;
    v.as_u64()
        .or_else(|| {
            v.as_f64()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .map(|x| x as u64)
        })
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn as_f64(v: Option<&Value>) -> Option<f64> {
    let v = v?;
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .filter(|x: &f64| x.is_finite() && *x >= 0.0)
}

fn as_str(v: &Option<Value>) -> &str {
    v.as_ref().and_then(Value::as_str).unwrap_or("")
}

impl<'a> Item<'a> {
    /// Reads the properties the renderer needs. `date_start` is required unless
    /// `date_precision` is `unknown` (an undated incident); everything else has a safe
    /// default.
    pub fn from_feature(index: usize, f: &'a PointFeature) -> Result<Self> {
        let at = || format!("feature {index} (id {:?})", f.id);
        let path = Path::new("incidents");
        let [ds, de, et, fb, gp, gu, ag, sa, dp] = f.properties.get_many([
            "date_start",
            "date_end",
            "event_type",
            "fatalities_best",
            "geo_precision",
            "geo_uncertainty_m",
            "aggregate",
            "side_agrees",
            "date_precision",
        ]);
        let start_text = as_str(&ds);
        let undated = start_text.is_empty() && as_str(&dp) == "unknown";
        let start = if undated {
            Ok(Date::from_days(0))
        } else {
            Date::parse_dated(start_text)
        }
        .map_err(|e| {
            Error::record(
                path,
                at(),
                if start_text.is_empty() {
                    "properties.date_start is missing; the map needs a date".to_string()
                } else {
                    format!("properties.date_start: {e}")
                },
            )
        })?;
        let end = match as_str(&de) {
            _ if undated => start,
            "" => start,
            s => Date::parse_dated(s)
                .map_err(|e| Error::record(path, at(), format!("properties.date_end: {e}")))?,
        };
        let end = end.max(start);
        let etype = EventType::parse(as_str(&et)).unwrap_or(EventType::Other);
        let fatalities = u32::try_from(as_u64(fb.as_ref()).unwrap_or(0)).unwrap_or(u32::MAX);
        let precision = as_u64(gp.as_ref()).map_or(1, |p| p.clamp(1, 3) as u8);
        Ok(Item {
            feature: f,
            pos: f.position,
            start,
            end,
            etype,
            fatalities,
            precision,
            uncertainty_m: as_f64(gu.as_ref()).unwrap_or(0.0),
            aggregate: ag.as_ref().and_then(Value::as_bool) == Some(true),
            side_agrees: sa.as_ref().and_then(Value::as_bool) != Some(false),
            undated,
        })
    }

    /// The id.
    pub fn id(&self) -> &str {
        &self.feature.id
    }

    /// The place name the geocoder matched (else the reported location, else the id).
    pub fn place_name(&self) -> String {
        let [a, b] = self
            .feature
            .properties
            .get_many(["geo_place_name", "location_reported"]);
        [as_str(&a), as_str(&b)]
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .unwrap_or(&self.feature.id)
            .to_string()
    }

    /// The place name in `lang`: the Russian name of the matched gazetteer place where the
    /// reference data has one, else [`Item::place_name`].
    pub fn place_name_in(&self, lang: crate::Lang) -> String {
        let latin = self.place_name();
        super::text::place_name(lang, &prop(self.feature, "geo_place_id"), &latin)
    }

    /// What kind of place the location is (`village`, `district`, `region`, …), if known.
    pub fn place_kind(&self) -> String {
        prop(self.feature, "geo_kind")
    }

    /// The title (else the id).
    pub fn title(&self) -> String {
        match prop(self.feature, "title") {
            t if t.trim().is_empty() => self.feature.id.to_string(),
            t => t,
        }
    }

    /// True when the incident overlaps the date range.
    pub fn overlaps(&self, from: Option<Date>, to: Option<Date>) -> bool {
        if self.undated {
            // No date to compare: only a filter without dates keeps it.
            return from.is_none() && to.is_none();
        }
        from.is_none_or(|f| self.end >= f) && to.is_none_or(|t| self.start <= t)
    }

    /// True when the incident starts within the date range.
    pub fn starts_within(&self, from: Option<Date>, to: Option<Date>) -> bool {
        from.is_none_or(|f| self.start >= f) && to.is_none_or(|t| self.start <= t)
    }

    /// The claims, parsed from `claims_json`.
    pub fn claims(&self) -> Vec<serde_json::Map<String, Value>> {
        serde_json::from_str::<Vec<Value>>(&prop(self.feature, "claims_json"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| match v {
                Value::Object(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    /// Who made the casualty claims.
    pub fn claimant_group(&self) -> ClaimantGroup {
        let (mut kg, mut tj, mut other) = (false, false, false);
        for c in self.claims() {
            match c.get("claimant_side").and_then(Value::as_str).unwrap_or("") {
                "KG" => kg = true,
                "TJ" => tj = true,
                _ => other = true,
            }
        }
        match (kg, tj, other) {
            (true, true, _) => ClaimantGroup::Both,
            (true, false, _) => ClaimantGroup::KgOnly,
            (false, true, _) => ClaimantGroup::TjOnly,
            (false, false, true) => ClaimantGroup::ThirdParty,
            _ => ClaimantGroup::NoClaims,
        }
    }

    /// The tooltip: title, dates, type, location and its precision, every claim with its
    /// claimant and source, and the sources.
    pub fn tooltip(&self) -> String {
        let f = self.feature;
        let mut t = String::new();
        t.push_str(&self.title());
        t.push('\n');
        t.push_str(&date_range(self.start, self.end));
        t.push_str(" · ");
        let raw_type = prop(f, "event_type");
        if EventType::parse(&raw_type).is_some() || raw_type.is_empty() {
            t.push_str(self.etype.label());
        } else {
            t.push_str("Other (");
            t.push_str(&raw_type);
            t.push(')');
        }
        t.push_str(&format!("\nid: {}", f.id));
        let kind = prop(f, "geo_kind");
        t.push_str(&format!(
            "\nLocation: {}{} — precision {}, ±{}",
            self.place_name(),
            if kind.is_empty() {
                String::new()
            } else {
                format!(" ({kind})")
            },
            self.precision,
            distance_text(self.uncertainty_m)
        ));
        let reported = prop(f, "location_reported");
        if !reported.is_empty() {
            t.push_str(&format!("; reported as: {reported}"));
        }
        if let Some(note) = crate::schema::side_note(|k| f.properties.get(k)) {
            t.push('\n');
            t.push_str(&note);
        }
        t.push_str(&format!(
            "\nFatalities: {}",
            crate::schema::fatalities_text(|k| f.properties.get(k))
        ));
        let claims = self.claims();
        if claims.is_empty() {
            let summary = prop(f, "claims");
            if !summary.is_empty() {
                t.push_str("\nClaims: ");
                t.push_str(&summary);
            }
        } else {
            t.push_str("\nClaims:");
            for c in claims {
                let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let n = |k: &str| c.get(k).and_then(Value::as_u64);
                let mut figures = Vec::new();
                if let Some(k) = n("killed") {
                    let floor = if c.get("killed_min").and_then(Value::as_bool) == Some(true) {
                        "≥"
                    } else {
                        ""
                    };
                    figures.push(format!("{floor}{k} killed"));
                }
                if let Some(i) = n("injured") {
                    let floor = if c.get("injured_min").and_then(Value::as_bool) == Some(true) {
                        "≥"
                    } else {
                        ""
                    };
                    figures.push(format!("{floor}{i} injured"));
                }
                if let Some(e) = n("evacuated") {
                    let q = if c.get("evacuated_min").and_then(Value::as_bool) == Some(true) {
                        "more than "
                    } else if c.get("evacuated_about").and_then(Value::as_bool) == Some(true) {
                        "about "
                    } else {
                        ""
                    };
                    figures.push(format!("{q}{e} evacuated"));
                }
                if figures.is_empty() {
                    figures.push("no figure".into());
                }
                t.push_str(&format!(
                    "\n • {} ({}): {} ({} casualties) [{} {}]",
                    s("claimant"),
                    s("claimant_side"),
                    figures.join(", "),
                    s("victims"),
                    s("source"),
                    s("date")
                ));
            }
        }
        let sources = prop(f, "sources");
        if !sources.is_empty() {
            t.push_str("\nSources: ");
            t.push_str(&sources);
        }
        t
    }

    /// A short label in `lang`: place and date.
    pub fn short_label(&self, lang: crate::Lang) -> String {
        format!(
            "{} · {}",
            clip_text(&self.place_name_in(lang), 28),
            super::text::of(lang).date(self.start)
        )
    }
}

/// Cuts text to `n` characters, adding an ellipsis.
///
/// # Examples
/// ```
/// use bordermap::render::incidents::clip_text;
/// assert_eq!(clip_text("Batken", 10), "Batken");
/// assert_eq!(clip_text("Khojai A'lo road", 6), "Khoja…");
/// ```
pub fn clip_text(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The month's short English name (`Sep`).
pub fn month_name(m: u32) -> &'static str {
    super::text::EN.month_short(m)
}

/// The month's English name (`September`).
pub fn full_month(m: u32) -> &'static str {
    super::text::EN.month(m)
}

/// `14 Sep 2022`.
pub fn long_date(d: Date) -> String {
    super::text::EN.date(d)
}

/// `14–16 Sep 2022`, `30 Apr – 1 May 2021`, or one day.
///
/// # Examples
/// ```
/// use bordermap::{Date, render::incidents::date_range};
/// let d = |s| Date::parse(s).unwrap();
/// assert_eq!(date_range(d("2022-09-14"), d("2022-09-16")), "14–16 Sep 2022");
/// assert_eq!(date_range(d("2021-04-28"), d("2021-05-01")), "28 Apr – 1 May 2021");
/// assert_eq!(date_range(d("2022-06-03"), d("2022-06-03")), "3 Jun 2022");
/// ```
pub fn date_range(a: Date, b: Date) -> String {
    super::text::EN.date_range(a, b)
}

/// `850 m`, `2.5 km`, `197 km`.
pub fn distance_text(m: f64) -> String {
    super::text::EN.distance(m)
}

/// A marker placed on the page.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Index into the panel's items.
    pub item: usize,
    /// True position, px.
    pub true_px: (f64, f64),
    /// Drawn position, px.
    pub px: (f64, f64),
    /// Radius, px.
    pub r: f64,
    /// Shape.
    pub shape: Shape,
}

/// Incidents drawn together: one, a ring of several, or a count bubble.
#[derive(Debug, Clone)]
pub struct Group {
    /// Anchor, px (the first member's true position).
    pub anchor: (f64, f64),
    /// Member item indices, by first day then id.
    pub members: Vec<usize>,
    /// The markers (empty for a bubble).
    pub markers: Vec<Marker>,
    /// Radius of everything drawn around the anchor, px.
    pub extent: f64,
    /// True when drawn as a count bubble.
    pub bubble: bool,
}

/// A grid cluster (dense mode).
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Centre, px.
    pub px: (f64, f64),
    /// Number of incidents.
    pub count: usize,
    /// The most frequent type.
    pub dominant: EventType,
    /// Earliest first day.
    pub first: Date,
    /// Latest last day.
    pub last: Date,
    /// Radius, px.
    pub r: f64,
}

/// The marker layout of one frame.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Groups (normal mode).
    pub groups: Vec<Group>,
    /// Clusters (dense mode).
    pub clusters: Vec<Cluster>,
}

/// Lays out `items` (positions already projected to `px`, in the frame). `order` must list
/// item indices sorted by (first day, id).
pub fn layout(items: &[Item<'_>], px: &[(f64, f64)], order: &[usize], sized: bool) -> Layout {
    if order.len() > CLUSTER_THRESHOLD {
        return Layout {
            groups: vec![],
            clusters: clusters(items, px, order),
        };
    }
    // Greedy grouping with a hash grid of anchors.
    let mut grid: BTreeMap<(i64, i64), Vec<usize>> = BTreeMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for &i in order {
        let (x, y) = px[i];
        let cell = ((x / GROUP_PX).floor() as i64, (y / GROUP_PX).floor() as i64);
        let mut found: Option<usize> = None;
        for dx in -1..=1 {
            for dy in -1..=1 {
                for &g in grid.get(&(cell.0 + dx, cell.1 + dy)).into_iter().flatten() {
                    let (ax, ay) = groups[g].anchor;
                    if (ax - x).hypot(ay - y) < GROUP_PX && found.is_none_or(|f| g < f) {
                        found = Some(g);
                    }
                }
            }
        }
        match found {
            Some(g) => groups[g].members.push(i),
            None => {
                grid.entry(cell).or_default().push(groups.len());
                groups.push(Group {
                    anchor: (x, y),
                    members: vec![i],
                    markers: vec![],
                    extent: 0.0,
                    bubble: false,
                });
            }
        }
    }
    for g in &mut groups {
        let n = g.members.len();
        let radius = |i: usize| style::marker_radius(items[i].fatalities, sized);
        if n > MAX_RING {
            g.bubble = true;
            g.extent = 10.0 + (n as f64).sqrt() * 1.5;
            continue;
        }
        if n == 1 {
            let i = g.members[0];
            let shape = style::shape(items[i].etype);
            let r = radius(i);
            g.extent = super::markers::shape_extent(shape, r);
            g.markers.push(Marker {
                item: i,
                true_px: px[i],
                px: px[i],
                r,
                shape,
            });
            continue;
        }
        let extents: Vec<f64> = g
            .members
            .iter()
            .map(|&i| super::markers::shape_extent(style::shape(items[i].etype), radius(i)))
            .collect();
        let max_e = extents.iter().copied().fold(0.0, f64::max);
        let circumference: f64 = extents.iter().map(|e| 2.0 * e + 3.0).sum();
        let ring = (circumference / std::f64::consts::TAU).max(max_e + 4.0);
        for (k, &i) in g.members.iter().enumerate() {
            let a = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * k as f64 / n as f64;
            g.markers.push(Marker {
                item: i,
                true_px: px[i],
                px: (g.anchor.0 + ring * a.cos(), g.anchor.1 + ring * a.sin()),
                r: radius(i),
                shape: style::shape(items[i].etype),
            });
        }
        g.extent = ring + max_e;
    }
    Layout {
        groups,
        clusters: vec![],
    }
}

fn clusters(items: &[Item<'_>], px: &[(f64, f64)], order: &[usize]) -> Vec<Cluster> {
    struct Acc {
        n: usize,
        sx: f64,
        sy: f64,
        types: BTreeMap<EventType, usize>,
        first: Date,
        last: Date,
    }
    let mut cells: BTreeMap<(i64, i64), Acc> = BTreeMap::new();
    for &i in order {
        let (x, y) = px[i];
        let key = (
            (x / CLUSTER_CELL_PX).floor() as i64,
            (y / CLUSTER_CELL_PX).floor() as i64,
        );
        let it = &items[i];
        let a = cells.entry(key).or_insert(Acc {
            n: 0,
            sx: 0.0,
            sy: 0.0,
            types: BTreeMap::new(),
            first: it.start,
            last: it.end,
        });
        a.n += 1;
        a.sx += x;
        a.sy += y;
        *a.types.entry(it.etype).or_default() += 1;
        a.first = a.first.min(it.start);
        a.last = a.last.max(it.end);
    }
    cells
        .into_values()
        .map(|a| {
            let dominant = a
                .types
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                .map_or(EventType::Other, |(t, _)| *t);
            Cluster {
                px: (a.sx / a.n as f64, a.sy / a.n as f64),
                count: a.n,
                dominant,
                first: a.first,
                last: a.last,
                r: (4.0 + 1.3 * (a.n as f64).sqrt()).min(CLUSTER_CELL_PX * 0.5),
            }
        })
        .collect()
}
