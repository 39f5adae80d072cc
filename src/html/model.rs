//! The data the page embeds: the incidents as GeoJSON, and a view model with what the
//! browser should not have to recompute — each incident's world position, day numbers, type
//! and marker radius; the disputed sections with their status histories; the gazetteer places
//! inside the map for the search box; and the place labels, best first.
//!
//! Everything is computed by the same code as the static map (its projection, styles, marker
//! sizes, label priorities), and serialised in a fixed order, so the same input gives the same
//! bytes.

use super::world::{self, MAX_AREA, UTM_FALSE_EASTING, UTM_K0, World};
use crate::gazetteer::{Gazetteer, PlaceKind};
use crate::geojson_io::PointFeature;
use crate::model::{Date, EventType};
use crate::render::basemap::{self, Base};
use crate::render::incidents::{self, Item};
use crate::render::style;
use crate::render::text::{self, Text};
use serde_json::{Map, Value, json};

/// Place labels offered to the page (it shows as many as fit, best first).
pub const LABEL_LIMIT: usize = 900;

/// Rounds to `d` decimals (for compact, deterministic numbers).
fn round(x: f64, d: i32) -> f64 {
    let m = 10f64.powi(d);
    let r = (x * m).round() / m;
    if r == 0.0 { 0.0 } else { r }
}

fn xy(p: Option<(f64, f64)>) -> Value {
    match p {
        Some((x, y)) => json!([round(x, 2), round(y, 2)]),
        None => Value::Null,
    }
}

/// The incidents as an RFC 7946 FeatureCollection, in input order: id (as text), geometry
/// (a Point, or null) and every property as read.
///
/// # Examples
/// ```
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":7,
///   "geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{"title":"<b>"}}]}"#;
/// let f = bordermap::geojson_io::read_points("x.geojson".as_ref(), text).unwrap();
/// let v = bordermap::html::model::feature_collection(&f);
/// assert_eq!(v["features"][0]["id"], "7");
/// assert_eq!(v["features"][0]["properties"]["title"], "<b>");
/// ```
pub fn feature_collection(features: &[PointFeature]) -> Value {
    let features: Vec<Value> = features.iter().map(feature).collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// One incident of [`feature_collection`]: id (as text), geometry (a Point, or null) and
/// every property as read.
pub fn feature(f: &PointFeature) -> Value {
    let geometry = f.position.map_or(
        Value::Null,
        |p| json!({"type": "Point", "coordinates": [round(p.lon(), 6), round(p.lat(), 6)]}),
    );
    json!({
        "type": "Feature",
        "id": f.id,
        "geometry": geometry,
        "properties": Value::Object(f.properties.to_map()),
    })
}

/// The key of a claimant side as the page filters it: `KG`, `TJ`, `third_party`,
/// `unattributed`, or `other`.
pub fn claimant_key(side: &str) -> &'static str {
    match side {
        "KG" => "KG",
        "TJ" => "TJ",
        "third_party" => "third_party",
        "unattributed" | "" => "unattributed",
        _ => "other",
    }
}

/// One incident's view: world position (null when unlocated or outside [`MAX_AREA`]),
/// first and last day (days since 1970-01-01), type, marker radius, precision, uncertainty,
/// side of the border, and who made its claims.
pub(crate) fn incident_view(world: &World, it: &Item<'_>) -> Value {
    let pos = it
        .pos
        .filter(|p| world::inside(MAX_AREA, p.lon(), p.lat()))
        .and_then(|p| world.to_world(p.lon(), p.lat()));
    let side = it
        .feature
        .properties
        .get("border_side")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into());
    let mut claimants: Vec<&str> = it
        .claims()
        .iter()
        .map(|c| claimant_key(c.get("claimant_side").and_then(Value::as_str).unwrap_or("")))
        .collect();
    claimants.sort_unstable();
    claimants.dedup();
    if claimants.is_empty() {
        claimants.push("none");
    }
    json!({
        "xy": xy(pos),
        "outside": it.pos.is_some() && pos.is_none(),
        // An undated incident: no day, so the time slider and the histogram leave it out.
        "sd": if it.undated { Value::Null } else { it.start.days().into() },
        "ed": if it.undated { Value::Null } else { it.end.days().into() },
        "t": it.etype.as_str(),
        "f": it.fatalities,
        "r": round(style::marker_radius(it.fatalities, true), 2),
        "p": it.precision,
        "u": round(it.uncertainty_m, 1),
        "side": side,
        "cl": claimants,
    })
}

/// The event types with the static map's label, colour and shape (path data of radius 100
/// around the origin; the page scales it to each marker's radius).
fn types() -> Value {
    EventType::ALL
        .iter()
        .map(|&t| {
            json!({
                "key": t.as_str(),
                "label": t.label(),
                "label_ru": text::RU.event_type(t),
                "colour": style::type_colour(t),
                "shape": crate::render::markers::shape_path(style::shape(t), 0.0, 0.0, 100.0),
            })
        })
        .collect()
}

/// The disputed sections with their status histories (`[[YYYY-MM-DD, status], …]`).
fn sections(base: &Base) -> Value {
    base.layers
        .sections
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let history: Vec<Value> = s
                .history
                .iter()
                .map(|(d, st)| json!([d.to_string(), st.as_str()]))
                .collect();
            json!({
                "n": k + 1,
                "id": s.id,
                "name": s.name,
                "name_ru": s.name_ru.as_deref().unwrap_or(&s.name),
                "description": s.description,
                "approximate": s.approximate,
                "history": history,
            })
        })
        .collect()
}

/// The gazetteer places inside the map (all kinds), with every name, for the search box.
fn places(world: &World, g: &Gazetteer) -> Value {
    let e = world.frame.lonlat_envelope;
    g.places()
        .iter()
        .filter(|p| world::inside(e, p.position.lon(), p.position.lat()))
        .filter_map(|p| {
            let (lon, lat) = (p.position.lon(), p.position.lat());
            let at = world.to_world(lon, lat)?;
            let mut alt: Vec<&str> = Vec::new();
            for a in &p.alternate_names {
                if a != &p.name && !alt.contains(&a.as_str()) {
                    alt.push(a);
                }
            }
            Some(json!({
                "n": p.name,
                "ru": crate::gazetteer::russian_name(p).unwrap_or(&p.name),
                "alt": alt,
                "k": p.kind.as_str(),
                "c": p.country,
                "a1": p.admin1,
                "a2": p.admin2,
                "ll": [round(lon, 6), round(lat, 6)],
                "xy": xy(Some(at)),
                "pop": p.population,
            }))
        })
        .collect()
}

/// The labels the page may show, best first: enclaves, country names, key places (the
/// ones the reports name), then towns and villages by population, as the static map ranks
/// them.
fn labels(world: &World, base: &Base, initial: [f64; 4]) -> Value {
    let frame = &world.frame;
    let mut out = Vec::new();
    for e in &base.layers.enclaves {
        if let Some((at, _)) = basemap::area_anchor(frame, &e.shape) {
            out.push(json!({
                "text": format!("{} ({})", e.name, e.country),
                "ru": format!(
                    "{} ({})",
                    text::place_name(crate::Lang::Ru, &e.id, &e.name),
                    e.country
                ),
                "cls": "enclave",
                "colour": style::enclave_stroke(&e.country),
                "xy": xy(Some(at)),
            }));
        }
    }
    for iso in ["KG", "TJ", "UZ"] {
        let Some(c) = base.layers.countries.iter().find(|c| c.country == iso) else {
            continue;
        };
        // The static map's rule: the grid points of the view inside the country, nearest to
        // the mean of all such points first; the page takes the first where the name fits.
        let [x0, y0, x1, y1] = initial;
        let cands = basemap::label_candidates(frame, &c.shape, (x0, y0, x1 - x0, y1 - y0));
        if cands.is_empty() {
            continue;
        }
        let alt: Vec<Value> = cands.iter().skip(1).map(|p| xy(Some(*p))).collect();
        out.push(json!({
            "text": crate::render::style::country_name(iso).to_uppercase(),
            "ru": text::RU.country(iso).to_uppercase(),
            "cls": "country",
            "xy": xy(Some(cands[0])),
            "alt": alt,
        }));
    }
    for pl in basemap::places_in_frame(frame, &base.places, LABEL_LIMIT, true) {
        let cls = if pl.key {
            "key"
        } else if pl.place.kind == PlaceKind::Town {
            "town"
        } else {
            "village"
        };
        out.push(json!({
            "text": pl.place.name,
            "ru": text::place_name(crate::Lang::Ru, &pl.place.id, &pl.place.name),
            "cls": cls,
            "pop": pl.place.population,
            "xy": xy(Some(pl.px)),
        }));
    }
    Value::Array(out)
}

/// The words the page shares with the static maps, per language (`en`, `ru`): month names,
/// how dates are written, units, section statuses, country names and the attribution. The
/// page's own words are in `assets/html/map.js`.
fn words() -> Value {
    let one = |t: &Text| {
        json!({
            "months_short": t.months_short,
            "months_in_date": if t.full_month_in_dates { t.months_in_date } else { t.months_short },
            "km": t.km,
            "m": t.m,
            "decimal": t.decimal.to_string(),
            "statuses": {
                "disputed": t.statuses[0],
                "undelimited": t.statuses[1],
                "agreed": t.statuses[2],
            },
            "countries": {
                "KG": t.country("KG"),
                "TJ": t.country("TJ"),
                "UZ": t.country("UZ"),
            },
            "true_at_centre": t.true_at_centre,
            "attribution": t.attribution,
            "legend": t.legend,
            "title": t.title,
        })
    };
    let mut m = Map::new();
    for lang in crate::Lang::ALL {
        m.insert(lang.code().into(), one(text::of(lang)));
    }
    Value::Object(m)
}

/// The world rectangle of a lon/lat box (its projected edges, sampled and enveloped).
pub fn world_box(world: &World, b: [f64; 4]) -> [f64; 4] {
    let mut env = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for i in 0..=16 {
        let t = f64::from(i) / 16.0;
        for (lon, lat) in [
            (b[0] + t * (b[2] - b[0]), b[1]),
            (b[0] + t * (b[2] - b[0]), b[3]),
            (b[0], b[1] + t * (b[3] - b[1])),
            (b[2], b[1] + t * (b[3] - b[1])),
        ] {
            if let Some((x, y)) = world.to_world(lon, lat) {
                env = [env[0].min(x), env[1].min(y), env[2].max(x), env[3].max(y)];
            }
        }
    }
    env.map(|v| round(v, 2))
}

/// Everything the page needs besides the incidents' GeoJSON. Its `incidents` entry is null:
/// the page writer puts each incident's [`incident_view`] there as it writes, so that the
/// views of a large input are never held together.
pub(crate) fn view_model(
    title: &str,
    world: &World,
    base: &Base,
    gazetteer: &Gazetteer,
    items: &[Item<'_>],
    initial_bbox: [f64; 4],
) -> Map<String, Value> {
    let initial = world_box(world, initial_bbox);
    let (w, h) = world.size();
    let first = items.iter().filter(|i| !i.undated).map(|i| i.start).min();
    let last = items.iter().filter(|i| !i.undated).map(|i| i.end).max();
    let day = |d: Option<Date>| d.map_or(Value::Null, |d| json!(d.days()));
    let legend_sizes: Vec<Value> = [0u32, 10, 50, 100]
        .iter()
        .map(|&f| json!([f, round(style::marker_radius(f, true), 2)]))
        .collect();
    let mut world_json = Map::new();
    for (k, v) in [
        ("unit_m", json!(round(world.unit_m, 9))),
        ("e0", json!(round(world.e0, 3))),
        ("n0", json!(round(world.n0, 3))),
        ("w", json!(round(w, 2))),
        ("h", json!(round(h, 2))),
        ("k0", json!(UTM_K0)),
        ("false_easting", json!(UTM_FALSE_EASTING)),
        ("r_m", json!(round(world.mean_radius_m(), 1))),
        (
            "k_measured",
            json!(world.measured_scale_factor().map(|k| round(k, 9))),
        ),
        ("initial", json!(initial)),
        ("area", json!(world.area)),
    ] {
        world_json.insert(k.into(), v);
    }
    let mut model = Map::new();
    for (k, v) in [
        ("title", json!(title)),
        ("projection", json!(crate::render::projection::UTM_42N)),
        ("attribution", json!(crate::render::ATTRIBUTION)),
        ("world", Value::Object(world_json)),
        ("days", json!([day(first), day(last)])),
        (
            "style",
            json!({
                "disputed": style::DISPUTED,
                "agreed": style::AGREED,
                "halo_cap_px": incidents::HALO_CAP_PX,
                "group_px": incidents::GROUP_PX,
                "max_ring": incidents::MAX_RING,
                "legend_sizes": legend_sizes,
            }),
        ),
        ("types", types()),
        ("words", words()),
        ("incidents", Value::Null),
        ("sections", sections(base)),
        ("places", places(world, gazetteer)),
        ("labels", labels(world, base, initial)),
    ] {
        model.insert(k.into(), v);
    }
    model
}
