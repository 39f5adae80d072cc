//! ACLED rows: its event types, time and geo precision, and the fatalities it reports.

use super::dates::month_span;
use super::roles::RowCtx;
use super::table::{Row, count, country_code};
use crate::model::{Claim, Date, DatePrecision, EventType, Incident, Side, Source};

/// `geo_precision` (ACLED) → (geo precision, radius in metres).
///
/// # Examples
/// ```
/// assert_eq!(bordermap::import::acled_geo_precision(2), (2, 15_000.0));
/// ```
pub fn acled_geo_precision(geo_precision: u8) -> (u8, f64) {
    match geo_precision {
        1 => (1, 2_000.0),
        2 => (2, 15_000.0),
        _ => (3, 50_000.0),
    }
}

/// ACLED `event_type` / `sub_event_type` → the project's event type.
///
/// | ACLED | bordermap |
/// |---|---|
/// | Battles (any sub-event) | armed_clash |
/// | Explosions/Remote violence: Shelling/artillery/missile attack | shelling |
/// | Explosions/Remote violence: Air/drone strike | drone_strike |
/// | Explosions/Remote violence: other sub-events (landmine, grenade, …) | other |
/// | Violence against civilians | other |
/// | Riots, Protests | other |
/// | Strategic developments: Agreement | agreement |
/// | Strategic developments: Looting/property destruction | arson_looting |
/// | Strategic developments: Non-violent transfer of territory | incursion |
/// | Strategic developments: Headquarters or base established | incursion |
/// | anything else | other |
///
/// The original types stay in `src_event_type` and `src_sub_event_type`.
///
/// # Examples
/// ```
/// use bordermap::{import::acled_event_type, EventType};
/// assert_eq!(acled_event_type("Battles", "Armed clash"), EventType::ArmedClash);
/// assert_eq!(acled_event_type("Explosions/Remote violence", "Air/drone strike"), EventType::DroneStrike);
/// assert_eq!(acled_event_type("Strategic developments", "Looting/property destruction"), EventType::ArsonLooting);
/// ```
pub fn acled_event_type(event_type: &str, sub_event_type: &str) -> EventType {
    let t = event_type.trim().to_lowercase();
    let s = sub_event_type.trim().to_lowercase();
    match t.as_str() {
        "battles" => EventType::ArmedClash,
        "explosions/remote violence" => match s.as_str() {
            "shelling/artillery/missile attack" => EventType::Shelling,
            "air/drone strike" => EventType::DroneStrike,
            _ => EventType::Other,
        },
        "strategic developments" => match s.as_str() {
            "agreement" => EventType::Agreement,
            "looting/property destruction" => EventType::ArsonLooting,
            "non-violent transfer of territory" | "headquarters or base established" => {
                EventType::Incursion
            }
            _ => EventType::Other,
        },
        _ => EventType::Other,
    }
}

/// Fills an incident from an ACLED row; returns the precision, radius and reason of its
/// coordinates.
pub(super) fn acled_row(
    cx: &RowCtx<'_>,
    row: &Row,
    incident: &mut Incident,
    sources: &mut Vec<Source>,
) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let shared = cx.shared;
    let date = incident
        .span()
        .map_or_else(String::new, |s| s.1.to_string());
    let et = row.at(c(&["event_type"]));
    let st = row.at(c(&["sub_event_type"]));
    incident.event_type = acled_event_type(et, st);
    let actor1 = row.at(c(&["actor1"])).to_string();
    let actor2 = row.at(c(&["actor2"])).to_string();
    let location = row.at(c(&["location"])).to_string();
    let who = [actor1.as_str(), actor2.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" – ");
    incident.title = format!(
        "{}: {who} at {location}",
        if st.is_empty() { et } else { st }
    );
    incident.location = location.clone();
    incident.place = location;
    incident.country = country_code(row.at(c(&["country"])));
    incident.admin1 = Some(row.at(c(&["admin1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 = Some(row.at(c(&["admin2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = [actor1, actor2]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    // ACLED's notes are the event's description; its types stay in src_event_type and
    // src_sub_event_type.
    incident.notes = row.at(c(&["notes"])).to_string();
    let gp: u8 = row.at(c(&["geo_precision"])).parse().unwrap_or(3);
    let (p, radius) = acled_geo_precision(gp);
    let given = Some((
        p,
        radius,
        format!(
            "coordinates given by ACLED; geo_precision {gp} → precision {p}, ±{:.0} km",
            radius / 1000.0
        ),
    ));
    let source_text = row.at(c(&["source"]));
    // The publications ACLED coded the event from, as the row's own source.
    if !source_text.is_empty() {
        let own = Source {
            id: format!("{}#{}", shared.id, incident.id),
            publication: format!("ACLED, coded from: {source_text}"),
            title: incident.title.clone(),
            date: if date.is_empty() {
                "undated".into()
            } else {
                date.clone()
            },
            url: shared.url.clone(),
            author: None,
            note: Some("the publications named are ACLED's sources for the event".into()),
        };
        incident.sources = vec![own.id.clone()];
        *sources = vec![own];
    }
    if let Some(k) = count(row.at(c(&["fatalities"]))) {
        incident.claims.push(Claim {
            claimant: format!(
                "ACLED (from {})",
                if source_text.is_empty() {
                    "unnamed sources"
                } else {
                    source_text
                }
            ),
            claimant_side: Side::ThirdParty,
            victims: Side::All,
            killed: Some(k),
            source: incident
                .sources
                .first()
                .cloned()
                .unwrap_or_else(|| shared.id.clone()),
            date: date.clone(),
            note: Some("ACLED fatalities: a conservative estimate of all deaths".into()),
            ..Claim::default()
        });
    }
    given
}

/// The source every ACLED row cites.
pub(super) fn source(file_name: &str) -> Source {
    Source {
        id: "acled".into(),
        publication: "Armed Conflict Location & Event Data (ACLED)".into(),
        title: format!("events imported from {file_name}"),
        date: "undated".into(),
        url: Some("https://acleddata.com/".into()),
        author: None,
        note: Some("as coded by ACLED from the sources named in src_source".into()),
    }
}

/// Widens an ACLED date by its `time_precision`: 2 is the week around the day, 3 the month.
pub(super) fn widen(
    code: &str,
    start: Date,
    end: Date,
    precision: DatePrecision,
) -> (Date, Date, DatePrecision) {
    match code {
        "2" => (start.add_days(-3), start.add_days(3), DatePrecision::Range),
        "3" => {
            let (a, b) = month_span(start.year, start.month);
            (a, b, DatePrecision::Month)
        }
        _ => (start, end, precision),
    }
}
