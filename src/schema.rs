//! The incident GeoJSON contract: every column bordermap writes for an incident, in one
//! place. `build`, `geocode`, `import` and `merge` all write their features through this
//! module, and `import` uses [`is_computed`] to know which columns to recompute rather than
//! copy, so a new column is added here once and every reader and writer follows.
//!
//! The columns, in order: [`INCIDENT_COLUMNS`] (the incident, its claims and sources, and
//! how it was geocoded), then [`BORDER_COLUMNS`] (the border analytics). `merge` adds
//! [`MERGE_COLUMNS`]; the CSV export adds [`POSITION_COLUMNS`].

use crate::border::Layers;
use crate::error::Result;
use crate::gazetteer::{Gazetteer, Place, PlaceKind, administering_country};
use crate::geocode::{Geocoded, Location};
use crate::geojson_io::{feature, feature_collection, point_geometry};
use crate::input::IncidentsFile;
use crate::model::{FATALITY_RULE, LonLat, Source};
use geo::{Distance, Geodesic};
use serde_json::{Map, Value, json};

/// The columns of [`incident_properties`], in order.
pub const INCIDENT_COLUMNS: [&str; 44] = [
    "id",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "aggregate",
    "covers",
    "location_reported",
    "place_query",
    "actors",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "fatalities_high_open",
    "fatality_rule",
    "n_claims",
    "claims",
    "claims_json",
    "source_ids",
    "sources",
    "source_urls",
    "sources_json",
    "notes",
    "possible_duplicate_of",
    "contradictions",
    "allegations",
    "allegations_json",
    "geo_status",
    "geo_scope",
    "geo_method",
    "geo_place_id",
    "geo_place_name",
    "geo_matched_name",
    "geo_kind",
    "geo_country",
    "geo_admin1",
    "geo_admin2",
    "geo_score",
    "geo_confidence",
    "geo_precision",
    "geo_uncertainty_m",
    "geo_candidates",
    "geo_reason",
];

/// The columns of [`border_properties`], in order.
pub const BORDER_COLUMNS: [&str; 11] = [
    "distance_to_border_m",
    "border_part",
    "border_side",
    "admin_country",
    "nearest_place",
    "nearest_place_m",
    "side_agrees",
    "nearest_section",
    "nearest_section_m",
    "nearest_section_status",
    "on_disputed_section",
];

/// The columns `merge` adds.
pub const MERGE_COLUMNS: [&str; 7] = [
    "merge_source",
    "merge_group",
    "duplicate_of",
    "duplicates",
    "n_duplicates",
    "link_reason",
    "merge_original_id",
];

/// The position columns of the CSV export.
pub const POSITION_COLUMNS: [&str; 3] = ["lat", "lon", "wkt"];

/// The incident columns that `import` reads back as input (everything else bordermap
/// wrote is recomputed).
pub const INPUT_COLUMNS: [&str; 20] = [
    "id",
    "title",
    "date_start",
    "date_end",
    "date_precision",
    "event_type",
    "aggregate",
    "covers",
    "possible_duplicate_of",
    "contradictions",
    "allegations_json",
    "geo_scope",
    "location_reported",
    "place_query",
    "actors",
    "claims_json",
    "source_urls",
    "notes",
    "geo_precision",
    "geo_uncertainty_m",
];

/// True for a column that bordermap computes: on import it is recomputed, not copied, so
/// an exported file imports back to the same incidents.
///
/// # Examples
/// ```
/// use bordermap::schema::is_computed;
/// assert!(is_computed("fatalities_best") && is_computed("wkt") && is_computed("merge_group"));
/// assert!(!is_computed("title") && !is_computed("claims_json") && !is_computed("src_x"));
/// ```
pub fn is_computed(column: &str) -> bool {
    !INPUT_COLUMNS.contains(&column)
        && INCIDENT_COLUMNS
            .iter()
            .chain(&BORDER_COLUMNS)
            .chain(&MERGE_COLUMNS)
            .chain(&POSITION_COLUMNS)
            .any(|c| *c == column)
}

/// The flat properties of a geocoded incident, in a stable order that QGIS shows as columns.
///
/// Claims are given twice: as a readable summary (`claims`) and as JSON text
/// (`claims_json`) from which every claim, with its claimant and source, can be recovered.
pub fn incident_properties(g: &Geocoded, sources: &[Source]) -> Map<String, Value> {
    let inc = &g.incident;
    let mut p = Map::with_capacity(128);
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put("id", inc.id.clone().into());
    put("title", inc.title.clone().into());
    // An undated incident (precision `unknown`) has no dates to show: null, never a placeholder.
    let span = inc.span();
    put(
        "date_start",
        span.map_or(Value::Null, |s| s.0.to_string().into()),
    );
    put(
        "date_end",
        span.map_or(Value::Null, |s| s.1.to_string().into()),
    );
    put("date_precision", inc.date_precision.as_str().into());
    put("event_type", inc.event_type.as_str().into());
    put("aggregate", inc.aggregate.into());
    put("covers", inc.covers.join("; ").into());
    put("location_reported", inc.location.clone().into());
    put("place_query", inc.place.clone().into());
    put("actors", inc.actors.join("; ").into());
    let f = inc.fatalities();
    put("fatalities_low", f.low.into());
    put("fatalities_best", f.best.into());
    put("fatalities_high", f.high.into());
    put("fatalities_high_open", f.high_open.into());
    put("fatality_rule", FATALITY_RULE.into());
    put("n_claims", inc.claims.len().into());
    put(
        "claims",
        inc.claims
            .iter()
            .map(|c| format!("{} [{} {}]", c.summary(), c.source, c.date))
            .collect::<Vec<_>>()
            .join("; ")
            .into(),
    );
    put(
        "claims_json",
        serde_json::to_string(&inc.claims)
            .unwrap_or_default()
            .into(),
    );
    let cited: Vec<&Source> = inc
        .sources
        .iter()
        .filter_map(|id| sources.iter().find(|s| &s.id == id))
        .collect();
    put("source_ids", inc.sources.join("; ").into());
    put(
        "sources",
        cited
            .iter()
            .map(|s| s.citation())
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
    );
    put(
        "source_urls",
        cited
            .iter()
            .filter_map(|s| s.url.clone())
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
    );
    // Each citation with its own link, so that no reader has to pair them by position.
    let pairs: Vec<Value> = cited
        .iter()
        .map(|s| json!({"citation": s.citation(), "url": s.url}))
        .collect();
    put(
        "sources_json",
        serde_json::to_string(&pairs).unwrap_or_default().into(),
    );
    put("notes", inc.notes.clone().into());
    put(
        "possible_duplicate_of",
        inc.possible_duplicate_of.join("; ").into(),
    );
    put("contradictions", inc.contradictions.join(" | ").into());
    put(
        "allegations",
        inc.allegations
            .iter()
            .map(|a| format!("{}: {} [{}]", a.claimant, a.text, a.source))
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
    );
    put(
        "allegations_json",
        serde_json::to_string(&inc.allegations)
            .unwrap_or_default()
            .into(),
    );
    put("geo_status", g.status.as_str().into());
    put("geo_scope", inc.scope.as_str().into());
    let loc = g.location.as_ref();
    let s = |f: fn(&Location) -> String| loc.map_or(Value::Null, |l| f(l).into());
    put("geo_method", s(|l| l.method.clone()));
    put("geo_place_id", s(|l| l.place_id.clone()));
    put("geo_place_name", s(|l| l.place_name.clone()));
    put("geo_matched_name", s(|l| l.matched_name.clone()));
    put("geo_kind", s(|l| l.kind.clone()));
    put("geo_country", s(|l| l.country.clone()));
    put("geo_admin1", s(|l| l.admin1.clone()));
    put("geo_admin2", s(|l| l.admin2.clone()));
    put("geo_score", loc.map_or(Value::Null, |l| json!(l.score)));
    put(
        "geo_confidence",
        loc.map_or(Value::Null, |l| json!(l.confidence)),
    );
    put(
        "geo_precision",
        loc.map_or(Value::Null, |l| json!(l.precision)),
    );
    put(
        "geo_uncertainty_m",
        loc.map_or(Value::Null, |l| json!(l.uncertainty_m)),
    );
    put(
        "geo_candidates",
        g.candidates
            .iter()
            .take(5)
            .map(|c| format!("{} {} {:.3}", c.description, c.method, c.score))
            .collect::<Vec<_>>()
            .join(" | ")
            .into(),
    );
    put("geo_reason", g.reason.clone().into());
    p
}

/// The GeoJSON Feature of a geocoded incident: a Point, or `null` when it is not located.
pub fn incident_feature(g: &Geocoded, sources: &[Source], extra: Map<String, Value>) -> Value {
    incident_feature_with(g, sources, |props| props.extend(extra))
}

/// [`incident_feature`], with `more` adding the columns after the incident's own in the
/// same map (no second map to merge).
///
/// # Examples
/// ```
/// use bordermap::{Gazetteer, model::Incident, LonLat};
/// let g = Gazetteer::default();
/// let inc = Incident { id: "x".into(), position: Some(LonLat::new(70.58, 39.85).unwrap()), ..Incident::default() };
/// let located = bordermap::geocode::geocode_one(&inc, &g);
/// let f = bordermap::schema::incident_feature_with(&located, &[], |p| {
///     p.insert("src_note".into(), "kept".into());
/// });
/// assert_eq!(f["properties"]["src_note"], "kept");
/// assert_eq!(f["geometry"]["coordinates"][0], 70.58);
/// ```
pub fn incident_feature_with(
    g: &Geocoded,
    sources: &[Source],
    more: impl FnOnce(&mut Map<String, Value>),
) -> Value {
    let mut props = incident_properties(g, sources);
    more(&mut props);
    feature(
        Some(g.incident.id.clone().into()),
        g.location.as_ref().map(|l| point_geometry(l.position)),
        props,
    )
}

/// The border analytics of a located incident, as flat properties: distance to the border,
/// the border part, the side of the reference line, the country that administers the place
/// (and whether the two agree), the nearest recorded section with its status on the
/// incident's start date (for an undated incident: its latest recorded status).
///
/// `border_side` is the side of the reference line, which is not the truth where the border
/// is undelimited: a Kyrgyz village can lie beyond it. `admin_country` is the country that
/// administers the geocoded place ([`administering_country`]), or for given coordinates that
/// of the settlement the input's place label names within [`NAMED_SETTLEMENT_M`], else of the
/// nearest settlement of the gazetteer within [`SETTLEMENT_M`] (named in `nearest_place`, at
/// `nearest_place_m`); `side_agrees` is false when the two differ, null when either is
/// unknown.
///
/// # Examples
/// ```
/// use bordermap::{border::Layers, Gazetteer, model::Incident, LonLat};
/// use bordermap::schema::{border_properties, Settlements};
/// let g = Gazetteer::shipped().unwrap();
/// let near = Settlements::new(&g);
/// let inc = Incident { position: Some(LonLat::new(70.6320, 40.0523).unwrap()), ..Incident::default() };
/// let located = bordermap::geocode::geocode_one(&inc, &g);
/// let p = border_properties(&Layers::shipped().unwrap(), &near, &located);
/// assert_eq!(p["admin_country"], "KG");
/// ```
pub fn border_properties(
    layers: &Layers,
    settlements: &Settlements<'_>,
    g: &Geocoded,
) -> Map<String, Value> {
    let mut m = Map::with_capacity(48);
    add_border_properties(&mut m, layers, settlements, g);
    m
}

/// [`border_properties`], added to `m` (after what it holds), so that a feature's
/// properties are built in one map.
///
/// # Examples
/// ```
/// use bordermap::{border::Layers, Gazetteer, model::Incident, LonLat};
/// use bordermap::schema::{add_border_properties, Settlements};
/// let g = Gazetteer::shipped().unwrap();
/// let inc = Incident { position: Some(LonLat::new(70.58, 39.85).unwrap()), ..Incident::default() };
/// let located = bordermap::geocode::geocode_one(&inc, &g);
/// let mut m = serde_json::Map::new();
/// m.insert("id".into(), "x".into());
/// add_border_properties(&mut m, &Layers::shipped().unwrap(), &Settlements::new(&g), &located);
/// assert_eq!(m.keys().next().map(String::as_str), Some("id"));
/// assert!(m["distance_to_border_m"].as_f64().unwrap() >= 0.0); // metres
/// ```
pub fn add_border_properties(
    m: &mut Map<String, Value>,
    layers: &Layers,
    settlements: &Settlements<'_>,
    g: &Geocoded,
) {
    let loc = g.location.as_ref();
    // An undated incident: the sections' latest recorded status.
    let date = g.incident.span().map_or(
        crate::model::Date {
            year: 9999,
            month: 12,
            day: 31,
        },
        |s| s.0,
    );
    let facts = loc.and_then(|l| layers.facts(l.position, date));
    // A point that stands for a district or a region: the distance from it means nothing, and
    // it has a side only when the whole area (its radius) lies on one side.
    let area = loc.filter(|l| l.precision >= 3);
    let point = facts.as_ref().filter(|_| area.is_none());
    let r = |x: f64| (x * 10.0).round() / 10.0;
    m.insert(
        "distance_to_border_m".into(),
        point.map_or(Value::Null, |f| json!(r(f.distance_to_border_m))),
    );
    m.insert(
        "border_part".into(),
        point.map_or(Value::Null, |f| f.border_part.clone().into()),
    );
    let side = match (&facts, area) {
        (Some(f), Some(a)) if f.distance_to_border_m > a.uncertainty_m => Some(&f.side),
        (Some(f), None) => Some(&f.side),
        _ => None,
    };
    m.insert(
        "border_side".into(),
        side.map_or(Value::Null, |s| s.clone().into()),
    );
    let admin = loc.and_then(|l| administered_by(settlements, l));
    m.insert(
        "admin_country".into(),
        admin
            .as_ref()
            .map_or(Value::Null, |a| a.country.clone().into()),
    );
    m.insert(
        "nearest_place".into(),
        admin
            .as_ref()
            .and_then(|a| a.nearest.as_ref())
            .map_or(Value::Null, |n| n.0.clone().into()),
    );
    m.insert(
        "nearest_place_m".into(),
        admin
            .as_ref()
            .and_then(|a| a.nearest.as_ref())
            .map_or(Value::Null, |n| json!(r(n.1))),
    );
    let agrees = match (side, &admin) {
        (Some(s), Some(a)) if !s.is_empty() => Value::Bool(*s == a.country),
        _ => Value::Null,
    };
    m.insert("side_agrees".into(), agrees);
    let section = point.and_then(|f| f.nearest_section.clone());
    m.insert(
        "nearest_section".into(),
        section.as_ref().map_or(Value::Null, |s| s.0.clone().into()),
    );
    m.insert(
        "nearest_section_m".into(),
        section.as_ref().map_or(Value::Null, |s| json!(r(s.1))),
    );
    m.insert(
        "nearest_section_status".into(),
        point
            .and_then(|f| f.nearest_section_status)
            .map_or(Value::Null, |s| s.as_str().into()),
    );
    m.insert(
        "on_disputed_section".into(),
        point.map_or(Value::Null, |f| f.on_disputed_section.into()),
    );
}

/// A settlement given coordinates are attributed to: within this many metres (geodesic).
pub const SETTLEMENT_M: f64 = 3_000.0;

/// A settlement that the input names for given coordinates (its `place` label) is taken when
/// it lies within this many metres.
pub const NAMED_SETTLEMENT_M: f64 = 5_000.0;

/// Who administers a located incident's place.
struct Administered {
    country: String,
    /// For given coordinates: the nearest settlement's name and distance in metres.
    nearest: Option<(String, f64)>,
}

fn administered_by(settlements: &Settlements<'_>, l: &Location) -> Option<Administered> {
    if l.method != "given" {
        return Some(Administered {
            country: administering_country(&l.country, &l.admin1),
            nearest: None,
        })
        .filter(|a| !a.country.is_empty());
    }
    // The settlement the input names (its place label) when one of that name lies within
    // NAMED_SETTLEMENT_M, else the nearest one within SETTLEMENT_M.
    let (place, d) = settlements
        .named(&l.place_name, l.position, NAMED_SETTLEMENT_M)
        .or_else(|| settlements.nearest(l.position, SETTLEMENT_M))?;
    Some(Administered {
        country: administering_country(&place.country, &place.admin1),
        nearest: Some((place.name.clone(), d)),
    })
    .filter(|a| !a.country.is_empty())
}

/// The gazetteer's settlements (villages and towns), sorted by latitude for the nearest
/// one within a few kilometres.
pub struct Settlements<'a> {
    /// (latitude, place), sorted by latitude.
    by_lat: Vec<(f64, &'a Place)>,
    /// Folded name (and alternate names) → settlements.
    by_name: std::collections::HashMap<String, Vec<&'a Place>>,
}

impl<'a> Settlements<'a> {
    /// The villages and towns of `gazetteer`.
    pub fn new(gazetteer: &'a Gazetteer) -> Self {
        let mut by_lat: Vec<(f64, &Place)> = gazetteer
            .places()
            .iter()
            .filter(|p| matches!(p.kind, PlaceKind::Village | PlaceKind::Town))
            .map(|p| (p.position.lat(), p))
            .collect();
        by_lat.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let mut by_name: std::collections::HashMap<String, Vec<&Place>> = Default::default();
        for &(_, p) in &by_lat {
            for n in std::iter::once(&p.name).chain(&p.alternate_names) {
                let list = by_name.entry(crate::names::fold(n)).or_default();
                if !list.iter().any(|q| q.id == p.id) {
                    list.push(p);
                }
            }
        }
        Settlements { by_lat, by_name }
    }

    /// The nearest settlement called `name` (any spelling the gazetteer knows) within
    /// `max_m` metres of `p`, with its distance.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let s = bordermap::schema::Settlements::new(&g);
    /// let site = bordermap::LonLat::new(69.6934, 40.1279).unwrap();
    /// assert_eq!(s.named("maksat", site, 5_000.0).unwrap().0.country, "KG");
    /// assert!(s.named("maksat", site, 1_000.0).is_none());
    /// ```
    pub fn named(&self, name: &str, p: LonLat, max_m: f64) -> Option<(&'a Place, f64)> {
        let key = crate::names::fold(name);
        if key.is_empty() {
            return None;
        }
        self.by_name
            .get(&key)?
            .iter()
            .map(|place| (*place, Geodesic.distance(p.point(), place.position.point())))
            .filter(|(_, d)| *d <= max_m)
            .min_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id.cmp(&b.0.id)))
    }

    /// The nearest settlement within `max_m` metres of `p` (geodesic), with its distance;
    /// ties go to the smaller id.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// let s = bordermap::schema::Settlements::new(&g);
    /// let vorukh = bordermap::LonLat::new(70.58012, 39.85125).unwrap();
    /// assert_eq!(s.nearest(vorukh, 3_000.0).unwrap().0.name, "Vorukh");
    /// ```
    pub fn nearest(&self, p: LonLat, max_m: f64) -> Option<(&'a Place, f64)> {
        // A degree of latitude is at least 110.5 km long.
        let dlat = max_m / crate::geodesic::METRES_PER_DEGREE_LAT_MIN;
        let from = self.by_lat.partition_point(|e| e.0 < p.lat() - dlat);
        // A degree of longitude is at least cos(lat + dlat) × 111.3 km long here.
        let cos = (p.lat().abs() + dlat).min(89.0).to_radians().cos();
        let dlon = max_m / (111_320.0 * cos);
        let mut best: Option<(&Place, f64)> = None;
        for &(lat, place) in &self.by_lat[from..] {
            if lat > p.lat() + dlat {
                break;
            }
            let gap = (place.position.lon() - p.lon() + 540.0).rem_euclid(360.0) - 180.0;
            if gap.abs() > dlon {
                continue;
            }
            let d = Geodesic.distance(p.point(), place.position.point());
            if d <= max_m && best.is_none_or(|(b, bd)| d < bd || (d == bd && place.id < b.id)) {
                best = Some((place, d));
            }
        }
        best
    }
}

/// Serialises geocoded incidents as a GeoJSON FeatureCollection, with border analytics.
pub fn incidents_geojson(
    items: &[Geocoded],
    file: &IncidentsFile,
    gazetteer: &Gazetteer,
) -> Result<String> {
    let layers = Layers::shipped()?;
    let settlements = Settlements::new(gazetteer);
    let features: Vec<Value> = items
        .iter()
        .map(|g| {
            incident_feature(
                g,
                &file.sources,
                border_properties(&layers, &settlements, g),
            )
        })
        .collect();
    Ok(feature_collection(&features))
}

/// The fatality columns of an incident for people, in one wording for tooltips, the KML
/// description and the page: the best estimate with its low and high ("open" when the
/// largest figure is only a minimum), then [`FATALITY_RULE`]; "no figure reported" when there
/// is none, never 0. `get` reads a property.
///
/// # Examples
/// ```
/// use bordermap::schema::fatalities_text;
/// use serde_json::json;
/// let none = fatalities_text(|_| None);
/// assert!(none.starts_with("no figure reported"), "{none}");
/// let p = json!({"fatalities_low": 100, "fatalities_best": 146, "fatalities_high": null,
///                "fatalities_high_open": true});
/// let open = fatalities_text(|k| p.get(k).cloned());
/// assert!(open.starts_with("best 146 (low 100, high open)."), "{open}");
/// ```
pub fn fatalities_text(get: impl Fn(&str) -> Option<Value>) -> String {
    let n = |k: &str| get(k).and_then(|v| v.as_u64());
    let Some(best) = n("fatalities_best") else {
        return "no figure reported".to_string();
    };
    let shown = |v: Option<u64>| v.map_or_else(|| "unknown".to_string(), |x| x.to_string());
    let high = if get("fatalities_high_open").and_then(|v| v.as_bool()) == Some(true) {
        "open".to_string()
    } else {
        shown(n("fatalities_high"))
    };
    format!(
        "best {best} (low {}, high {high}). {FATALITY_RULE}",
        shown(n("fatalities_low"))
    )
}

/// Where the side of the reference line and the administering country differ, the words
/// the maps, the page and KML show (one wording for all): `Kyrgyz village beyond the
/// reference line (on its Tajik side); section undelimited. …`. `None` unless
/// `side_agrees` is false. `get` reads a property.
///
/// # Examples
/// ```
/// use bordermap::schema::side_note;
/// use serde_json::json;
/// let p = json!({"side_agrees": false, "admin_country": "KG", "border_side": "TJ",
///                "geo_kind": "border_post", "nearest_section_status": "undelimited"});
/// let note = side_note(|k| p.get(k).cloned()).unwrap();
/// assert!(note.starts_with("Kyrgyz place beyond the reference line (on its Tajik side); section undelimited."), "{note}");
/// assert!(side_note(|_| None).is_none());
/// ```
pub fn side_note(get: impl Fn(&str) -> Option<Value>) -> Option<String> {
    if get("side_agrees").and_then(|v| v.as_bool()) != Some(false) {
        return None;
    }
    let text = |k: &str| {
        get(k)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    };
    let adjective = |cc: &str| -> String {
        match cc {
            "KG" => "Kyrgyz".into(),
            "TJ" => "Tajik".into(),
            "UZ" => "Uzbek".into(),
            _ => cc.to_string(),
        }
    };
    let kind = match text("geo_kind").as_str() {
        k @ ("village" | "town") => k.to_string(),
        _ if !text("nearest_place").is_empty() => "settlement".into(),
        _ => "place".into(),
    };
    let status = text("nearest_section_status");
    Some(format!(
        "{} {kind} beyond the reference line (on its {} side){}. Where the border is undelimited, the reference line is not the border.",
        adjective(&text("admin_country")),
        adjective(&text("border_side")),
        if status.is_empty() {
            String::new()
        } else {
            format!("; section {status}")
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list the importer used before the columns had one home: behaviour is kept.
    #[test]
    fn computed_columns_are_the_ones_import_recomputed() {
        let before = [
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "fatality_rule",
            "n_claims",
            "claims",
            "source_ids",
            "geo_status",
            "geo_method",
            "geo_place_id",
            "geo_place_name",
            "geo_matched_name",
            "geo_kind",
            "geo_country",
            "geo_admin1",
            "geo_admin2",
            "geo_score",
            "geo_confidence",
            "geo_candidates",
            "geo_reason",
            "distance_to_border_m",
            "border_part",
            "border_side",
            "admin_country",
            "nearest_place",
            "nearest_place_m",
            "side_agrees",
            "nearest_section",
            "nearest_section_m",
            "nearest_section_status",
            "on_disputed_section",
            "merge_source",
            "merge_group",
            "duplicate_of",
            "duplicates",
            "n_duplicates",
            "link_reason",
            "merge_original_id",
            "lat",
            "lon",
            "wkt",
            "sources",
            "sources_json",
            "fatalities_high_open",
            "allegations",
        ];
        let all: Vec<&str> = INCIDENT_COLUMNS
            .iter()
            .chain(&BORDER_COLUMNS)
            .chain(&MERGE_COLUMNS)
            .chain(&POSITION_COLUMNS)
            .copied()
            .filter(|c| is_computed(c))
            .collect();
        let mut a = all.clone();
        let mut b = before.to_vec();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn the_written_columns_are_the_listed_ones() {
        let text = crate::pipeline::shipped_geojson().unwrap();
        let fc: Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = fc["features"][0]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let listed: Vec<&str> = INCIDENT_COLUMNS
            .iter()
            .chain(&BORDER_COLUMNS)
            .copied()
            .collect();
        assert_eq!(keys, listed);
    }
}
