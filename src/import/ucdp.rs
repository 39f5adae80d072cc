//! UCDP GED rows: the codebook's columns, its location precision (`where_prec`), and one
//! claim per side from `deaths_a`/`deaths_b`.

use super::roles::RowCtx;
use super::table::{Row, count, country_code};
use crate::model::{Claim, Date, DatePrecision, EventType, Incident, Side, Source};

/// `where_prec` (UCDP GED) → (geo precision, radius in metres, a note for the wide ones).
/// See the table in the module docs.
///
/// # Examples
/// ```
/// use bordermap::import::ucdp_where_prec;
/// assert_eq!(ucdp_where_prec(1).0, 1);
/// assert_eq!(ucdp_where_prec(4), (3, 150_000.0, None));
/// assert!(ucdp_where_prec(6).2.unwrap().contains("country"));
/// ```
pub fn ucdp_where_prec(where_prec: u8) -> (u8, f64, Option<&'static str>) {
    match where_prec {
        1 => (1, 2_000.0, None),
        2 => (2, 25_000.0, None),
        3 => (3, 50_000.0, None),
        4 => (3, 150_000.0, None),
        5 => (
            3,
            150_000.0,
            Some(
                "UCDP where_prec 5: only a linear feature (a border, a river, a road) or an area that is not an administrative unit is known",
            ),
        ),
        6 => (
            3,
            300_000.0,
            Some("UCDP where_prec 6: only the country is known"),
        ),
        _ => (
            3,
            300_000.0,
            Some("UCDP where_prec 7: international waters or airspace (or an unknown code)"),
        ),
    }
}

/// Fills an incident from a UCDP GED row; returns the precision, radius and reason of its
/// coordinates.
pub(super) fn ucdp_row(
    cx: &RowCtx<'_>,
    row: &Row,
    incident: &mut Incident,
) -> Option<(u8, f64, String)> {
    let c = |names: &[&str]| cx.table.find(names);
    let shared = cx.shared;
    let date = incident
        .span()
        .map_or_else(String::new, |s| s.1.to_string());
    let side_a = row.at(c(&["side_a"])).to_string();
    let side_b = row.at(c(&["side_b"])).to_string();
    let place = row.at(c(&["where_coordinates"])).to_string();
    let described = row.at(c(&["where_description"])).to_string();
    let tov = row.at(c(&["type_of_violence"]));
    let (event_type, tov_label) = match tov {
        "1" => (EventType::ArmedClash, "state-based conflict"),
        "2" => (EventType::ArmedClash, "non-state conflict"),
        "3" => (EventType::Other, "one-sided violence"),
        _ => (EventType::Other, "unknown type"),
    };
    incident.event_type = event_type;
    let dyad = match row.at(c(&["dyad_name"])) {
        "" => [side_a.as_str(), side_b.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" – "),
        d => d.to_string(),
    };
    let at = if place.is_empty() { &described } else { &place };
    incident.title = format!("{dyad} ({tov_label}) at {at}");
    incident.location = if described.is_empty() {
        place.clone()
    } else {
        described.clone()
    };
    incident.place = place;
    incident.country = country_code(row.at(c(&["country"])));
    incident.admin1 = Some(row.at(c(&["adm_1"])).to_string()).filter(|s| !s.is_empty());
    incident.admin2 = Some(row.at(c(&["adm_2"])).to_string()).filter(|s| !s.is_empty());
    incident.actors = [side_a.clone(), side_b.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut notes = vec![format!("UCDP type_of_violence {tov} ({tov_label})")];
    let wp: u8 = row.at(c(&["where_prec"])).parse().unwrap_or(7);
    let (p, radius, note) = ucdp_where_prec(wp);
    if let Some(n) = note {
        notes.push(n.to_string());
    }
    let given = Some((
        p,
        radius,
        format!(
            "coordinates given by UCDP GED; where_prec {wp} → precision {p}, ±{:.0} km{}",
            radius / 1000.0,
            note.map_or(String::new(), |n| format!(" ({n})"))
        ),
    ));
    if let Some(best) = count(row.at(c(&["best"]))) {
        let low = count(row.at(c(&["low"]))).unwrap_or(best);
        let high = count(row.at(c(&["high"]))).unwrap_or(best);
        incident.claims.push(Claim {
            claimant: "UCDP GED (best, with low and high)".into(),
            claimant_side: Side::ThirdParty,
            victims: Side::All,
            killed: Some(best),
            killed_low: Some(low),
            killed_high: Some(high),
            source: shared.id.clone(),
            date: date.clone(),
            note: Some(format!(
                "UCDP's estimate of all deaths: best {best}, low {low}, high {high}"
            )),
            ..Claim::default()
        });
    }
    // deaths_a and deaths_b become one claim per side when the side is one of the two
    // countries; the project's rule then sums the sides for the best estimate (UCDP's own
    // best, which also counts civilian and unknown deaths, stays in the claim above and in
    // src_best). A side that is not a country stays in the notes.
    let part = |col: &str| count(row.at(c(&[col])));
    let shown = |x: Option<u32>| x.map_or("?".into(), |x| x.to_string());
    for (col, name) in [("deaths_a", &side_a), ("deaths_b", &side_b)] {
        let Some(k) = part(col).filter(|&k| k > 0) else {
            continue;
        };
        match side_country(name) {
            Some(victims) => incident.claims.push(Claim {
                claimant: "UCDP GED (deaths per side)".into(),
                claimant_side: Side::ThirdParty,
                victims,
                killed: Some(k),
                source: shared.id.clone(),
                date: date.clone(),
                note: Some(format!(
                    "UCDP {col}: deaths of {name}, part of UCDP's best estimate; civilians {} and unknown {} are not attributed to a side",
                    shown(part("deaths_civilians")),
                    shown(part("deaths_unknown"))
                )),
                ..Claim::default()
            }),
            None => notes.push(format!(
                "UCDP {col} {k} ({name}: not one of the two countries, so no claim per side)"
            )),
        }
    }
    notes.push(format!(
        "UCDP deaths by side: {side_a} {}, {side_b} {}, civilians {}, unknown {}",
        shown(part("deaths_a")),
        shown(part("deaths_b")),
        shown(part("deaths_civilians")),
        shown(part("deaths_unknown"))
    ));
    incident.notes = notes.join("; ");
    given
}

/// The country a UCDP side stands for (`Government of Kyrgyzstan` → KG), if it is one of the two.
fn side_country(name: &str) -> Option<Side> {
    let n = name.to_lowercase();
    match (n.contains("kyrgyz"), n.contains("tajik")) {
        (true, false) => Some(Side::Kg),
        (false, true) => Some(Side::Tj),
        _ => None,
    }
}

/// The source every UCDP row cites.
pub(super) fn source(file_name: &str) -> Source {
    Source {
        id: "ucdp-ged".into(),
        publication: "Uppsala Conflict Data Program, Georeferenced Event Dataset (UCDP GED)".into(),
        title: format!("events imported from {file_name}"),
        date: "undated".into(),
        url: Some("https://ucdp.uu.se/downloads/".into()),
        author: None,
        note: Some(
            "figures as coded by UCDP; each event's source articles are in src_source_article"
                .into(),
        ),
    }
}

/// The date precision of a GED row from its `date_prec` code (1 day … 5 more than a year).
pub(super) fn date_precision(code: &str, start: Date, end: Date) -> DatePrecision {
    match code {
        "1" => DatePrecision::Day,
        "3" => DatePrecision::Month,
        "4" => DatePrecision::Year,
        "2" | "5" => DatePrecision::Range,
        _ if end > start => DatePrecision::Range,
        _ => DatePrecision::Day,
    }
}
