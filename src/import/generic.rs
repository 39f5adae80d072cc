//! Any CSV or GeoJSON: columns recognised by name, event types from free text, cited
//! sources, country names to codes.

use super::table::{Row, RowCtx, country_code};
use crate::model::{Allegation, Claim, EventType, Incident, Scope, Source};
use serde_json::{Map, Value};

/// A free-text type (a CSV `type` column) → the project's event type: a project name
/// (`shelling`, `Drone strike`), an ACLED event or sub-event type, else `other`.
pub(super) fn loose_event_type(text: &str) -> EventType {
    let norm = text.trim().to_lowercase().replace([' ', '-'], "_");
    if let Some(t) = EventType::parse(&norm) {
        return t;
    }
    for t in EventType::ALL {
        if t.label().eq_ignore_ascii_case(text.trim()) {
            return t;
        }
    }
    match text.trim().to_lowercase().as_str() {
        "battles" | "armed clash" | "clash" | "battle" => EventType::ArmedClash,
        "shelling/artillery/missile attack" => EventType::Shelling,
        "air/drone strike" => EventType::DroneStrike,
        "looting/property destruction" | "arson" | "looting" => EventType::ArsonLooting,
        "non-violent transfer of territory" => EventType::Incursion,
        _ => EventType::Other,
    }
}

/// The sources of a row written by bordermap: `source_ids` (`a; b`), `sources` (the
/// citations `publication, "title" (date)`, joined by ` | `) and `source_urls`. `None`
/// unless the ids and the citations match one to one.
pub(super) fn cited_sources(ids: &str, citations: &str, urls: &str) -> Option<Vec<Source>> {
    if ids.is_empty() || citations.is_empty() {
        return None;
    }
    let ids: Vec<&str> = ids.split("; ").collect();
    let citations: Vec<&str> = citations.split(" | ").collect();
    if ids.len() != citations.len() {
        return None;
    }
    let urls: Vec<&str> = urls.split_whitespace().collect();
    let mut out = Vec::with_capacity(ids.len());
    for (i, (id, c)) in ids.iter().zip(&citations).enumerate() {
        let c = c.strip_suffix(')')?;
        let open = c.rfind(" (")?;
        let (head, date) = (&c[..open], &c[open + 2..]);
        let head = head.strip_suffix('"')?;
        let quote = head.find(", \"")?;
        let url = if urls.len() == ids.len() {
            Some(urls[i].to_string())
        } else if i == 0 && !urls.is_empty() {
            Some(urls.join(" "))
        } else {
            None
        };
        out.push(Source {
            id: (*id).to_string(),
            publication: head[..quote].to_string(),
            title: head[quote + 3..].to_string(),
            date: date.to_string(),
            url,
            author: None,
            note: None,
        });
    }
    Some(out)
}

/// Fills an incident from a row of any CSV or GeoJSON; may replace its sources (a link, or
/// the sources of a file bordermap wrote). Returns the precision, radius and reason of given
/// coordinates.
pub(super) fn generic_row(
    cx: &RowCtx<'_>,
    row: &Row,
    incident: &mut Incident,
    sources: &mut Vec<Source>,
    extra: &mut Map<String, Value>,
    place_name: Option<&str>,
) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let (shared, file_name, place_col) = (cx.shared, cx.file_name, cx.place_col);
    let mut given = None;
    let type_text = row.at(c(&["event_type", "type", "category"]));
    incident.event_type = loose_event_type(type_text);
    let description = row.at(c(&["description", "notes"])).to_string();
    let place_text = row
        .at(place_col.or(c(&[
            "place_query",
            "place",
            "location",
            "location_reported",
            "name",
        ])))
        .to_string();
    let location = match row.at(c(&["location_reported", "location"])) {
        "" => place_text.clone(),
        l => l.to_string(),
    };
    incident.title = match row.at(c(&["title", "name"])) {
        "" if !description.is_empty() => description.chars().take(80).collect(),
        "" if !location.is_empty() => location.clone(),
        "" => incident.id.clone(),
        t => t.to_string(),
    };
    incident.notes = description;
    incident.location = location;
    incident.place = place_name.map_or(place_text, str::to_string);
    incident.country = country_code(row.at(c(&["country", "country_code", "geo_country"])));
    incident.admin1 =
        Some(row.at(c(&["admin1", "geo_admin1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 =
        Some(row.at(c(&["admin2", "geo_admin2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = row
        .at(c(&["actors"]))
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    read_record_links(cx, row, incident);
    let claims_text = row.at(c(&["claims_json"]));
    if !claims_text.is_empty()
        && let Ok(claims) = serde_json::from_str::<Vec<Claim>>(claims_text)
    {
        incident.claims = claims;
    }
    let link = row.at(c(&["url", "link", "source_url", "source_urls"]));
    let cited = cited_sources(row.at(c(&["source_ids"])), row.at(c(&["sources"])), link);
    if let Some(cited) = cited {
        incident.sources = cited.iter().map(|s| s.id.clone()).collect();
        *sources = cited;
        extra.remove("src_sources");
    } else if !link.is_empty() {
        let row_source = Source {
            id: format!("{}#{}", shared.id, incident.id),
            publication: file_name.to_string(),
            title: incident.title.clone(),
            date: incident.date_start.to_string(),
            url: Some(link.to_string()),
            author: None,
            note: None,
        };
        incident.sources = vec![row_source.id.clone()];
        *sources = vec![row_source];
    }
    let p = row
        .at(c(&["geo_precision"]))
        .parse::<u8>()
        .ok()
        .filter(|p| (1..=3).contains(p));
    let r = row
        .at(c(&["geo_uncertainty_m"]))
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 0.0);
    if let (Some(p), Some(r)) = (p, r) {
        let reason = match row.at(c(&["geo_reason"])) {
            "" => format!("coordinates given in {file_name}, with precision {p} and ±{r:.0} m"),
            given => given.to_string(),
        };
        given = Some((p, r, reason));
    } else if incident.position.is_some() {
        given = Some((1, 0.0, format!("coordinates given in {file_name}")));
    }
    given
}

/// Reads what a file bordermap wrote says about the record itself: whether its sources
/// place it (`geo_scope`), whether it is an aggregate, and its links, contradictions and
/// allegations, so that an exported file imports back to the same incidents.
fn read_record_links(cx: &RowCtx<'_>, row: &Row, incident: &mut Incident) {
    let c = |names: &[&str]| cx.table.find(names);
    let list = |col: &str, sep: &str| -> Vec<String> {
        row.at(c(&[col]))
            .split(sep)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    incident.scope = match row.at(c(&["geo_scope"])) {
        "border" => Scope::Border,
        "unknown" => Scope::Unknown,
        _ => Scope::Place,
    };
    incident.aggregate = row.at(c(&["aggregate"])).eq_ignore_ascii_case("true");
    incident.covers = list("covers", ";");
    incident.possible_duplicate_of = list("possible_duplicate_of", ";");
    incident.contradictions = list("contradictions", " | ");
    let allegations = row.at(c(&["allegations_json"]));
    if !allegations.is_empty()
        && let Ok(a) = serde_json::from_str::<Vec<Allegation>>(allegations)
    {
        incident.allegations = a;
    }
}

/// The source every row of a CSV or GeoJSON file cites: the file itself.
pub(super) fn source(file_name: &str) -> Source {
    Source {
        id: format!("import:{file_name}"),
        publication: file_name.to_string(),
        title: "rows imported by bordermap".into(),
        date: "undated".into(),
        url: None,
        author: None,
        note: None,
    }
}
