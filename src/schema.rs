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
use crate::geocode::{Geocoded, Location};
use crate::geojson_io::{feature, feature_collection, point_geometry};
use crate::input::IncidentsFile;
use crate::model::{FATALITY_RULE, Source};
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
pub const BORDER_COLUMNS: [&str; 7] = [
    "distance_to_border_m",
    "border_part",
    "border_side",
    "nearest_section",
    "nearest_section_m",
    "nearest_section_status",
    "on_disputed_section",
];

/// The columns `merge` adds.
pub const MERGE_COLUMNS: [&str; 6] = [
    "merge_source",
    "merge_group",
    "duplicate_of",
    "duplicates",
    "n_duplicates",
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
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put("id", inc.id.clone().into());
    put("title", inc.title.clone().into());
    put("date_start", inc.date_start.to_string().into());
    put("date_end", inc.date_end.to_string().into());
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
    let mut props = incident_properties(g, sources);
    props.extend(extra);
    feature(
        Some(g.incident.id.clone().into()),
        g.location.as_ref().map(|l| point_geometry(l.position)),
        props,
    )
}

/// The border analytics of a located incident, as flat properties: distance to the border,
/// the border part, the side, the nearest recorded section with its status on the
/// incident's start date.
pub fn border_properties(layers: &Layers, g: &Geocoded) -> Map<String, Value> {
    let mut m = Map::new();
    let loc = g.location.as_ref();
    let facts = loc.and_then(|l| layers.facts(l.position, g.incident.date_start));
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
    m
}

/// Serialises geocoded incidents as a GeoJSON FeatureCollection, with border analytics.
pub fn incidents_geojson(items: &[Geocoded], file: &IncidentsFile) -> Result<String> {
    let layers = Layers::shipped()?;
    let features: Vec<Value> = items
        .iter()
        .map(|g| incident_feature(g, &file.sources, border_properties(&layers, g)))
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
            "nearest_section",
            "nearest_section_m",
            "nearest_section_status",
            "on_disputed_section",
            "merge_source",
            "merge_group",
            "duplicate_of",
            "duplicates",
            "n_duplicates",
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
