//! Any CSV or GeoJSON: columns recognised by name, event types from free text, cited
//! sources, country names to codes.

use super::Extra;
use super::roles::{Roles, RowCtx};
use super::table::{Row, country_code};
use crate::model::{Allegation, Claim, EventType, Incident, Scope, Source};
use serde_json::Value;

/// A free-text type (a CSV `type` column) → the project's event type: a project name
/// (`shelling`, `Drone strike`), an ACLED event or sub-event type, else `other`.
pub(super) fn loose_event_type(text: &str) -> EventType {
    match_event_type(text).unwrap_or(EventType::Other)
}

/// A free-text type or category → the event type it names, if it names one.
pub(super) fn match_event_type(text: &str) -> Option<EventType> {
    let norm = text.trim().to_lowercase().replace([' ', '-'], "_");
    if let Some(t) = EventType::parse(&norm) {
        return Some(t);
    }
    for t in EventType::ALL {
        if t.label().eq_ignore_ascii_case(text.trim()) {
            return Some(t);
        }
    }
    let t = match text.trim().to_lowercase().as_str() {
        "battles" | "armed clash" | "clash" | "battle" | "firefight" | "shootout" => {
            EventType::ArmedClash
        }
        "shelling/artillery/missile attack" | "artillery" | "mortar" | "rocket attack" => {
            EventType::Shelling
        }
        "air/drone strike" | "drone" | "airstrike" | "air strike" => EventType::DroneStrike,
        "looting/property destruction" | "arson" | "looting" | "burning" => EventType::ArsonLooting,
        "non-violent transfer of territory" => EventType::Incursion,
        _ => return None,
    };
    Some(t)
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

/// The description of a row: the one description, or each language's as `en: …`, joined
/// by ` | `, so that no language is lost.
fn description(roles: &Roles, row: &Row) -> String {
    let texts: Vec<(Option<&str>, &str)> = roles
        .descriptions
        .iter()
        .map(|(i, lang)| (lang.as_deref(), row.at(Some(*i))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    match texts.as_slice() {
        [] => String::new(),
        [(_, t)] => (*t).to_string(),
        many => many
            .iter()
            .map(|(lang, t)| match lang {
                Some(l) => format!("{l}: {t}"),
                None => (*t).to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// The links of a row, in column order: each cell split on white space, and JSON arrays of
/// links (strings, or objects with `src`, `url` or `href`).
fn links(roles: &Roles, row: &Row, header: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for &i in &roles.links {
        let typed = row.values.as_ref().and_then(|v| v.get(&header[i]));
        if let Some(Value::Array(items)) = typed {
            for item in items {
                let url = match item {
                    Value::String(s) => Some(s.as_str()),
                    Value::Object(m) => ["src", "url", "href"]
                        .iter()
                        .find_map(|k| m.get(*k).and_then(Value::as_str)),
                    _ => None,
                };
                out.extend(url.map(str::to_string));
            }
            continue;
        }
        out.extend(row.at(Some(i)).split_whitespace().map(str::to_string));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|u| !u.is_empty() && seen.insert(u.clone()));
    out
}

/// Fills an incident from a row of any CSV, JSON or GeoJSON; may replace its sources (its
/// links, or the sources of a file bordermap wrote). Returns the precision, radius and reason
/// of given coordinates.
pub(super) fn generic_row(
    cx: &RowCtx<'_>,
    row: &Row,
    incident: &mut Incident,
    sources: &mut Vec<Source>,
    extra: &mut Extra,
    place_name: Option<&str>,
) -> Option<(u8, f64, String)> {
    let roles = cx.roles;
    let (shared, file_name) = (cx.shared, cx.file_name);
    let mut given = None;
    let category = row.at(roles.category);
    incident.event_type = match row.at(roles.type_col) {
        "" => match_event_type(category).unwrap_or(EventType::Other),
        t => loose_event_type(t),
    };
    let description = description(roles, row);
    let place_text = row.at(roles.place).to_string();
    let location = match row.at(roles.location) {
        "" => place_text.clone(),
        l => l.to_string(),
    };
    incident.title = match row.at(roles.title) {
        "" if !description.is_empty() => description.chars().take(80).collect(),
        "" if !category.is_empty() && !location.is_empty() => format!("{category} at {location}"),
        "" if !location.is_empty() => location.clone(),
        "" => incident.id.clone(),
        t => t.to_string(),
    };
    incident.notes = description;
    incident.location = location;
    incident.place = place_name.map_or(place_text, str::to_string);
    incident.country = country_code(row.at(roles.country));
    incident.admin1 = Some(row.at(roles.admin1).to_string()).filter(|s| !s.is_empty());
    incident.admin2 = Some(row.at(roles.admin2).to_string()).filter(|s| !s.is_empty());
    incident.actors = row
        .at(roles.actors)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    read_record_links(cx, row, incident);
    if let Some(i) = roles.claims_json {
        let text = row.at(Some(i));
        let read = serde_json::from_str::<Vec<Claim>>(text);
        if let Ok(claims) = &read {
            incident.claims.clone_from(claims);
        }
        if text.is_empty() || read.is_ok() {
            extra.remove(&format!("src_{}", cx.table.header[i].trim()));
        }
    }
    let urls = links(roles, row, &cx.table.header);
    let cited = cited_sources(
        row.at(roles.source_ids),
        row.at(roles.sources),
        &urls.join(" "),
    );
    if let Some(cited) = cited {
        incident.sources = cited.iter().map(|s| s.id.clone()).collect();
        *sources = cited;
        extra.remove("src_sources");
    } else if !urls.is_empty() {
        let date = incident
            .span()
            .map_or_else(|| "undated".to_string(), |s| s.0.to_string());
        *sources = urls
            .iter()
            .enumerate()
            .map(|(k, url)| Source {
                id: if k == 0 {
                    format!("{}#{}", shared.id, incident.id)
                } else {
                    format!("{}#{}-{}", shared.id, incident.id, k + 1)
                },
                publication: file_name.to_string(),
                title: incident.title.clone(),
                date: date.clone(),
                url: Some(url.clone()),
                author: None,
                note: None,
            })
            .collect();
        incident.sources = sources.iter().map(|s| s.id.clone()).collect();
    }
    let p = row
        .at(roles.geo_precision)
        .parse::<u8>()
        .ok()
        .filter(|p| (1..=3).contains(p));
    let r = row
        .at(roles.geo_uncertainty_m)
        .parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r >= 0.0);
    if let (Some(p), Some(r)) = (p, r) {
        let reason = match row.at(roles.geo_reason) {
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
