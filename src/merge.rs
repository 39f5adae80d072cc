//! Combining incident datasets: every record is kept with its provenance, and likely
//! duplicates are linked, never deleted.
//!
//! Two records from *different* inputs are likely duplicates when all four hold:
//! - **time**: their date spans overlap once one is widened by `--days` (default 1) on both
//!   sides (for one-day events: the same day ± `--days`). A record that spans more than
//!   `--days` (a GED event known only to the month, say) links only to records it could be:
//!   those whose whole span lies inside its own, widened by `--days`;
//! - **place**: they lie within `--km` (default 5) of each other, geodesic on WGS84;
//! - **type**: the event types are compatible: equal, or either is `other` or missing, or
//!   both are kinds of fighting (`armed_clash`, `shelling`, `drone_strike`, `incursion`);
//! - **actors**: the actors are compatible ([`compatible_actors`]): either record names
//!   none, or they share an actor once names are normalised ([`actor_key`]: `Government of
//!   Kyrgyzstan` and `Military Forces of Kyrgyzstan (2010-)` are both the Kyrgyz state's
//!   forces; `Civilians (Kyrgyzstan)` are not).
//!
//! A record never gathers more than [`MAX_LINKS`] links: the candidates are taken nearest
//! first (then the smallest day gap), so a month-long record cannot collect every event of
//! its month. Each link says why in `link_reason`: the other record, the distance, the gap
//! in days, the actors shared and the two types.
//!
//! Records without a position or a date are kept but never linked. Records in one input are
//! not compared with each other: a dataset is taken to hold distinct events.
//!
//! Each output Feature gets flat properties: `merge_source` (the input's file name),
//! `merge_group` (`g1`, `g2`, …: the records linked directly or through others share a
//! group; every record has one), `duplicate_of` (the ids of earlier records it is linked
//! to, joined by `; `), `duplicates` (the ids of later records linked to it), `link_reason`
//! (one reason per link, joined by ` | `) and, when an id had to change,
//! `merge_original_id`. An id that occurs in more than one input becomes
//! `<file name>:<id>` in every input (with `~2`, `~3`… when that id is taken), so ids stay
//! unique. The order is the inputs' order, then each file's order, so the same inputs always
//! give the same bytes.

use crate::error::{Error, Result};
use crate::geojson_io::{
    Properties, bbox_of_positions, feature, point_geometry, write_feature_collection,
};
use crate::model::{Date, LonLat};
use geo::{Distance, Geodesic};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// One record to merge.
#[derive(Debug, Clone)]
pub struct Item {
    /// Which input it came from (the file name).
    pub source: String,
    /// Its id in that input.
    pub original_id: String,
    /// Its id in the output.
    pub id: String,
    /// The position, if located.
    pub position: Option<LonLat>,
    /// First and last day, if the properties give valid dates.
    pub span: Option<(Date, Date)>,
    /// `event_type`, if given.
    pub event_type: Option<String>,
    /// The actors, as given (`actors`, joined by `; ` in the file).
    pub actors: Vec<String>,
    /// The properties as read (kept as text, parsed again only to be written).
    pub properties: Properties,
}

const FIGHTING: [&str; 4] = ["armed_clash", "shelling", "drone_strike", "incursion"];

/// True when two event types may describe the same event. See the module docs.
///
/// # Examples
/// ```
/// use bordermap::merge::compatible_types;
/// assert!(compatible_types(Some("armed_clash"), Some("shelling")));
/// assert!(compatible_types(Some("agreement"), None));
/// assert!(!compatible_types(Some("agreement"), Some("armed_clash")));
/// ```
pub fn compatible_types(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            a == b
                || a == "other"
                || b == "other"
                || (FIGHTING.contains(&a) && FIGHTING.contains(&b))
        }
        _ => true,
    }
}

/// The most links one record can have (see the module docs).
pub const MAX_LINKS: usize = 3;

/// An actor's name normalised for comparison: the state forces of a country become
/// `state:KG` (government, military, border guards, police, army), civilians `civilians:KG`,
/// crowds `crowd:KG` (rioters, protesters, residents); any other name is lower-cased
/// without the years in brackets.
///
/// # Examples
/// ```
/// use bordermap::merge::actor_key;
/// assert_eq!(actor_key("Government of Kyrgyzstan"), "state:KG");
/// assert_eq!(actor_key("Military Forces of Kyrgyzstan (2010-)"), "state:KG");
/// assert_eq!(actor_key("Civilians (Tajikistan)"), "civilians:TJ");
/// assert_eq!(actor_key("Kyrgyz border guards"), "state:KG");
/// assert_eq!(actor_key("Unidentified Armed Group (Tajikistan)"), "unidentified armed group");
/// ```
pub fn actor_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut plain = String::new();
    let mut depth = 0usize;
    for ch in lower.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(ch),
            _ => {}
        }
    }
    let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    let country = if lower.contains("kyrgyz") {
        Some("KG")
    } else if lower.contains("tajik") {
        Some("TJ")
    } else if lower.contains("uzbek") {
        Some("UZ")
    } else {
        None
    };
    let has = |words: &[&str]| words.iter().any(|w| plain.contains(w));
    match country {
        Some(cc) if has(&["civilian"]) => format!("civilians:{cc}"),
        Some(cc) if has(&["rioter", "protester", "resident", "villager", "crowd"]) => {
            format!("crowd:{cc}")
        }
        Some(cc)
            if has(&[
                "government",
                "military",
                "forces",
                "border guard",
                "border service",
                "army",
                "police",
                "security",
                "troops",
            ]) || ["kyrgyzstan", "tajikistan", "uzbekistan"].contains(&plain.as_str()) =>
        {
            format!("state:{cc}")
        }
        _ => plain,
    }
}

/// The actor keys two records share, or `None` when their actors are incompatible. Records
/// that name no actor are compatible with any (and share nothing).
///
/// # Examples
/// ```
/// use bordermap::merge::compatible_actors;
/// let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
/// let ged = s(&["Government of Kyrgyzstan", "Government of Tajikistan"]);
/// let acled = s(&["Military Forces of Tajikistan (1994-)", "Civilians (Kyrgyzstan)"]);
/// assert_eq!(compatible_actors(&ged, &acled), Some(vec!["state:TJ".to_string()]));
/// assert_eq!(compatible_actors(&ged, &s(&["Rioters (Kyrgyzstan)"])), None);
/// assert_eq!(compatible_actors(&ged, &[]), Some(vec![]));
/// ```
pub fn compatible_actors(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.is_empty() || b.is_empty() {
        return Some(Vec::new());
    }
    let ka: Vec<String> = a.iter().map(|x| actor_key(x)).collect();
    let mut shared: Vec<String> = b
        .iter()
        .map(|x| actor_key(x))
        .filter(|k| ka.contains(k))
        .collect();
    shared.sort();
    shared.dedup();
    (!shared.is_empty()).then_some(shared)
}

/// A likely duplicate link and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The earlier item (index).
    pub a: usize,
    /// The later item (index).
    pub b: usize,
    /// Geodesic distance, metres.
    pub distance_m: f64,
    /// Days between the spans (0 when they overlap).
    pub day_gap: i64,
    /// The actor keys the two share (empty when either names none).
    pub actors: Vec<String>,
}

impl Link {
    /// Why the two are linked, seen from `from`: `<other id>: 1.2 km, 0 days apart, actors
    /// state:KG + state:TJ, types armed_clash/shelling`.
    pub fn reason(&self, items: &[Item], from: usize) -> String {
        let other = if from == self.a { self.b } else { self.a };
        let t = |i: usize| items[i].event_type.as_deref().unwrap_or("none");
        let actors = if self.actors.is_empty() {
            "actors not compared (one names none)".to_string()
        } else {
            format!("actors {}", self.actors.join(" + "))
        };
        format!(
            "{}: {:.1} km, {} day{} apart, {actors}, types {}/{}",
            items[other].id,
            self.distance_m / 1000.0,
            self.day_gap,
            if self.day_gap == 1 { "" } else { "s" },
            t(from),
            t(other)
        )
    }
}

/// The likely duplicate links between items (a < b), sorted by (a, b). See the module docs.
///
/// # Examples
/// ```
/// use bordermap::{merge::{links, Item}, Date, LonLat};
/// let item = |source: &str, lon: f64, day: &str| Item {
///     source: source.into(), original_id: "x".into(), id: format!("{source}:{day}"),
///     position: Some(LonLat::new(lon, 39.85).unwrap()),
///     span: Some((Date::parse(day).unwrap(), Date::parse(day).unwrap())),
///     event_type: Some("armed_clash".into()), actors: vec![], properties: Default::default() };
/// let items = [item("a", 70.58, "2022-09-16"), item("b", 70.60, "2022-09-17"),
///              item("b", 70.58, "2022-09-20")];
/// let found = links(&items, 1, 5_000.0);
/// assert_eq!((found.len(), found[0].a, found[0].b, found[0].day_gap), (1, 0, 1, 1));
/// ```
pub fn links(items: &[Item], days: u32, max_m: f64) -> Vec<Link> {
    let start = |i: usize| items[i].span.map_or(0, |s| s.0.days());
    let end = |i: usize| items[i].span.map_or(0, |s| s.1.days());
    // Per input, the comparable items sorted by (start, index): each pair is found once,
    // from the item that sorts first, scanning only the other inputs.
    let mut by_source: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if it.position.is_none() || it.span.is_none() {
            continue;
        }
        match by_source.iter_mut().find(|(s, _)| *s == it.source) {
            Some((_, v)) => v.push(i),
            None => by_source.push((it.source.as_str(), vec![i])),
        }
    }
    for (_, v) in &mut by_source {
        v.sort_by_key(|&i| (start(i), i));
    }
    let days = i64::from(days);
    // A long record links only to records inside its span (widened by `days`).
    let could_be = |long: usize, other: usize| {
        end(long) - start(long) <= days
            || (start(other) >= start(long) - days && end(other) <= end(long) + days)
    };
    // Degrees of latitude are at least 110.5 km long: a cheap bound before the geodesic.
    let max_dlat = max_m / crate::geodesic::METRES_PER_DEGREE_LAT_MIN + 1e-9;
    let mut candidates = Vec::new();
    for (a, (_, mine)) in by_source.iter().enumerate() {
        for &i in mine {
            let Some(pi) = items[i].position else {
                continue;
            };
            let key = (start(i), i);
            let reach = end(i) + days;
            for (b, (_, theirs)) in by_source.iter().enumerate() {
                if a == b {
                    continue;
                }
                let from = theirs.partition_point(|&j| (start(j), j) <= key);
                for &j in &theirs[from..] {
                    if start(j) > reach {
                        break;
                    }
                    let Some(pj) = items[j].position else {
                        continue;
                    };
                    if (pi.lat() - pj.lat()).abs() > max_dlat
                        || !could_be(i, j)
                        || !could_be(j, i)
                        || !compatible_types(
                            items[i].event_type.as_deref(),
                            items[j].event_type.as_deref(),
                        )
                    {
                        continue;
                    }
                    let Some(actors) = compatible_actors(&items[i].actors, &items[j].actors) else {
                        continue;
                    };
                    let d = Geodesic.distance(pi.point(), pj.point());
                    if d <= max_m {
                        let gap = (start(j) - end(i)).max(start(i) - end(j)).max(0);
                        candidates.push(Link {
                            a: i.min(j),
                            b: i.max(j),
                            distance_m: d,
                            day_gap: gap,
                            actors,
                        });
                    }
                }
            }
        }
    }
    // Nearest first, then the smallest gap; no record takes more than MAX_LINKS.
    candidates.sort_by(|x, y| {
        x.distance_m
            .total_cmp(&y.distance_m)
            .then(x.day_gap.cmp(&y.day_gap))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut count = vec![0usize; items.len()];
    let mut out: Vec<Link> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for c in candidates {
        if count[c.a] < MAX_LINKS && count[c.b] < MAX_LINKS && seen.insert((c.a, c.b)) {
            count[c.a] += 1;
            count[c.b] += 1;
            out.push(c);
        }
    }
    out.sort_by_key(|l| (l.a, l.b));
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Loads the inputs into items, with unique output ids.
pub fn load(inputs: &[PathBuf], cap: u64) -> Result<Vec<Item>> {
    let names: Vec<String> = inputs
        .iter()
        .map(|p| {
            p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let mut labels = Vec::with_capacity(inputs.len());
    for (i, p) in inputs.iter().enumerate() {
        if inputs[..i].iter().any(|q| crate::output::same_file(p, q)) {
            return Err(Error::Usage(format!(
                "merge: {} is given twice",
                p.display()
            )));
        }
        let clash = names.iter().filter(|n| **n == names[i]).count() > 1;
        labels.push(if clash {
            p.display().to_string()
        } else {
            names[i].clone()
        });
    }
    let mut items = Vec::new();
    for (path, label) in inputs.iter().zip(&labels) {
        // GeoJSON or FlatGeobuf
        let features = crate::pipeline::load_features(Some(path), cap)?;
        for f in features {
            let [start, end, event_type, actors] =
                f.properties
                    .get_many(["date_start", "date_end", "event_type", "actors"]);
            let date = |v: &Option<Value>| {
                v.as_ref()
                    .and_then(Value::as_str)
                    .and_then(|s| Date::parse_dated(s).ok())
            };
            let span = match (date(&start), date(&end)) {
                (Some(a), Some(b)) if b >= a => Some((a, b)),
                (Some(a), _) => Some((a, a)),
                _ => None,
            };
            let event_type = event_type
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_string);
            let actors: Vec<String> = actors
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
            items.push(Item {
                source: label.clone(),
                original_id: f.id.to_string(),
                id: f.id.into(),
                position: f.position,
                span,
                event_type,
                actors,
                properties: f.properties,
            });
        }
    }
    // Ids found in more than one input are prefixed with the input's name.
    let mut inputs_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for it in &items {
        inputs_of
            .entry(it.original_id.as_str())
            .or_default()
            .insert(it.source.as_str());
    }
    let clashing: HashSet<String> = inputs_of
        .into_iter()
        .filter(|(_, s)| s.len() > 1)
        .map(|(id, _)| id.to_string())
        .collect();
    // A prefixed id may equal an id that an input already has (`b.geojson:x`): count on.
    let mut taken: HashSet<String> = items.iter().map(|it| it.id.clone()).collect();
    for it in &mut items {
        if clashing.contains(&it.original_id) {
            let base = format!("{}:{}", it.source, it.original_id);
            let mut id = base.clone();
            for n in 2.. {
                if taken.insert(id.clone()) {
                    break;
                }
                id = format!("{base}~{n}");
            }
            it.id = id;
        }
    }
    Ok(items)
}

/// Merges the items: writes the output FeatureCollection to `w` a feature at a time (each
/// made, written and dropped in turn) and returns (links, groups with more than one record).
pub fn write_merged(
    items: &[Item],
    days: u32,
    km: f64,
    w: &mut dyn std::io::Write,
) -> std::io::Result<(usize, usize)> {
    let pairs = links(items, days, km * 1000.0);
    let n = items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut earlier: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut later: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut reasons: Vec<Vec<String>> = vec![Vec::new(); n];
    for link in &pairs {
        let (i, j) = (link.a, link.b);
        later[i].push(j);
        earlier[j].push(i);
        reasons[i].push(link.reason(items, i));
        reasons[j].push(link.reason(items, j));
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut group_of_root: HashMap<usize, usize> = HashMap::new();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    let mut groups = Vec::with_capacity(n);
    for i in 0..n {
        let root = find(&mut parent, i);
        let next = group_of_root.len() + 1;
        let g = *group_of_root.entry(root).or_insert(next);
        *sizes.entry(g).or_default() += 1;
        groups.push(g);
    }
    let ids = |v: &[usize]| -> Value {
        v.iter()
            .map(|&k| items[k].id.as_str())
            .collect::<Vec<_>>()
            .join("; ")
            .into()
    };
    let features = items.iter().enumerate().map(|(i, it)| {
        let mut p = it.properties.to_map();
        for key in [
            "merge_source",
            "merge_group",
            "duplicate_of",
            "duplicates",
            "link_reason",
            "merge_original_id",
        ] {
            p.remove(key);
        }
        if it.id != it.original_id && p.contains_key("id") {
            p.insert("id".into(), it.id.clone().into());
        }
        p.insert("merge_source".into(), it.source.clone().into());
        p.insert("merge_group".into(), format!("g{}", groups[i]).into());
        p.insert("duplicate_of".into(), ids(&earlier[i]));
        p.insert("duplicates".into(), ids(&later[i]));
        p.insert("link_reason".into(), reasons[i].join(" | ").into());
        if it.id != it.original_id {
            p.insert("merge_original_id".into(), it.original_id.clone().into());
        }
        feature(
            Some(it.id.clone().into()),
            it.position.map(point_geometry),
            p,
        )
    });
    let bbox = bbox_of_positions(items.iter().filter_map(|it| it.position));
    write_feature_collection(bbox, features, w)?;
    let multi = sizes.values().filter(|&&s| s > 1).count();
    Ok((pairs.len(), multi))
}
