//! The shipped data: `geodata/incidents.toml` (compiled in as [`bordermap::shipped::INCIDENTS_TOML`])
//! and `geodata/places_manual.toml`.
//!
//! Checks what a curator can get wrong: sources, claims, dates, ids, the incidents the
//! project must cover, and that Kyrgyz and Tajik figures are never merged.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use bordermap::input::{IncidentsFile, parse_incidents};
use bordermap::model::{Scope, partial_date};
use bordermap::{Date, EventType, Gazetteer, Incident, Side};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn shipped() -> IncidentsFile {
    parse_incidents(
        Path::new("geodata/incidents.toml"),
        bordermap::shipped::INCIDENTS_TOML,
    )
    .unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn shipped_file_parses_and_is_not_empty() {
    let file = shipped();
    assert!(
        file.incidents.len() >= 18,
        "{} incidents",
        file.incidents.len()
    );
    assert!(file.sources.len() >= 5, "{} sources", file.sources.len());
}

#[test]
fn every_incident_cites_defined_sources() {
    let file = shipped();
    let defined: BTreeSet<&str> = file.sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(defined.len(), file.sources.len(), "duplicate source ids");
    for inc in &file.incidents {
        assert!(!inc.sources.is_empty(), "{} cites no source", inc.id);
        for s in &inc.sources {
            assert!(
                defined.contains(s.as_str()),
                "{} cites undefined {s}",
                inc.id
            );
        }
        for c in &inc.claims {
            assert!(
                defined.contains(c.source.as_str()),
                "{}: claim cites {}",
                inc.id,
                c.source
            );
        }
    }
    // And every source is used by something (an unused source is a curation slip).
    let used: BTreeSet<&str> = file
        .incidents
        .iter()
        .flat_map(|i| i.sources.iter().chain(i.claims.iter().map(|c| &c.source)))
        .map(String::as_str)
        .collect();
    let disputed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/disputed_segments.toml"),
    )
    .unwrap();
    for s in &file.sources {
        assert!(
            used.contains(s.id.as_str()) || disputed.contains(&format!("\"{}\"", s.id)),
            "source {} is never cited",
            s.id
        );
    }
}

#[test]
fn every_source_is_complete() {
    for s in shipped().sources {
        assert!(!s.publication.trim().is_empty(), "{}: no publication", s.id);
        assert!(!s.title.trim().is_empty(), "{}: no title", s.id);
        // YYYY, YYYY-MM or YYYY-MM-DD, and a real date.
        let ok = match s.date.len() {
            4 => s
                .date
                .parse::<u16>()
                .is_ok_and(|y| (1990..=2030).contains(&y)),
            7 => Date::parse(&format!("{}-01", s.date)).is_ok(),
            10 => Date::parse(&s.date).is_ok(),
            _ => false,
        };
        assert!(ok, "{}: date {:?}", s.id, s.date);
        if let Some(url) = &s.url {
            assert!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{}: {url}",
                s.id
            );
        }
    }
}

#[test]
fn every_claim_is_attributed_and_dated() {
    for inc in shipped().incidents {
        for c in &inc.claims {
            assert!(
                !c.claimant.trim().is_empty(),
                "{}: claim without claimant",
                inc.id
            );
            let (d, _) = partial_date(&c.date)
                .unwrap_or_else(|e| panic!("{}: claim by {}: {e}", inc.id, c.claimant));
            // A claim cannot be made before the events it counts began.
            assert!(
                d >= inc.date_start,
                "{}: claim by {} dated {d}",
                inc.id,
                c.claimant
            );
            // A floor flag needs a figure.
            assert!(
                !c.killed_min || c.killed.is_some(),
                "{}: {}",
                inc.id,
                c.claimant
            );
            assert!(
                !c.injured_min || c.injured.is_some(),
                "{}: {}",
                inc.id,
                c.claimant
            );
            if let (Some(civ), Some(k)) = (c.civilians_killed, c.killed) {
                assert!(
                    civ <= k,
                    "{}: {} civilians of {k} killed",
                    inc.id,
                    c.claimant
                );
            }
        }
    }
}

#[test]
fn dates_are_valid_and_ordered() {
    let earliest = date("2021-01-01");
    let latest = date("2026-12-31");
    for inc in shipped().incidents {
        assert!(inc.date_start <= inc.date_end, "{}", inc.id);
        assert!(
            inc.date_start >= earliest && inc.date_end <= latest,
            "{}",
            inc.id
        );
        // The dates survive a round trip through their text form.
        assert_eq!(date(&inc.date_start.to_string()), inc.date_start);
    }
}

#[test]
fn ids_are_unique_and_stable_looking() {
    let file = shipped();
    let mut seen = BTreeSet::new();
    for inc in &file.incidents {
        assert!(seen.insert(inc.id.as_str()), "duplicate id {}", inc.id);
        let rest = inc
            .id
            .strip_prefix("kgtj-")
            .unwrap_or_else(|| panic!("{}: ids start with kgtj-", inc.id));
        assert!(rest.len() > 11 && rest.as_bytes()[10] == b'-', "{}", inc.id);
        let (day, slug) = (&rest[..10], &rest[11..]);
        // The id keeps the start date the record was first published with; a later, more
        // honest dating widens the record, so the id's day lies within its dates.
        assert!(
            date(day) >= inc.date_start && date(day) <= inc.date_end,
            "{}: the date in the id is not within {}..{}",
            inc.id,
            inc.date_start,
            inc.date_end
        );
        assert!(
            !slug.is_empty()
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !slug.starts_with('-')
                && !slug.ends_with('-')
                && !slug.contains("--"),
            "{}: the slug must be lowercase ASCII words joined by -",
            inc.id
        );
    }
}

// ---------------------------------------------------------------- the incidents the brief requires

/// The incidents that start on `day` and have `event_type`, whose place, location or title
/// mentions `word` (case-insensitive; empty matches any).
fn find<'a>(file: &'a IncidentsFile, day: &str, t: EventType, word: &str) -> Vec<&'a Incident> {
    let day = date(day);
    let word = word.to_lowercase();
    file.incidents
        .iter()
        .filter(|i| i.date_start == day && i.event_type == t)
        .filter(|i| {
            let text = format!("{} {} {}", i.place, i.location, i.title).to_lowercase();
            text.contains(&word)
        })
        .collect()
}

#[test]
fn required_incidents_exist() {
    use EventType::*;
    let file = shipped();
    let required: &[(&str, EventType, &str, &str)] = &[
        (
            "2021-04-28",
            ArmedClash,
            "golovn",
            "Golovnoy water intake clashes",
        ),
        ("2021-07-09", Other, "", "the 9 July 2021 incident"),
        ("2022-01-27", ArmedClash, "tort-kocho", "Tort-Kocho"),
        ("2022-03-10", ArmedClash, "teskey", "Teskey"),
        ("2022-06-03", ArmedClash, "vorukh", "Vorukh"),
        ("2022-06-14", ArmedClash, "", "the 14 June 2022 clash"),
        ("2022-09-14", ArmedClash, "dostuk", "Dostuk"),
        ("2022-09-14", Shelling, "airport", "Batken airport"),
        ("2022-09-14", Shelling, "rocket", "rockets on Batken town"),
        (
            "2022-09-14",
            Incursion,
            "village",
            "incursion into a village",
        ),
        ("2022-09-14", ArsonLooting, "ak-sai", "Ak-Sai arson"),
        ("2022-09-16", ArmedClash, "isfara", "Isfara casualties"),
        ("2022-09-16", DroneStrike, "mosque", "mosque drone strike"),
        ("2022-09-16", Evacuation, "", "evacuation"),
        ("2022-09-16", Ceasefire, "", "the 16 September ceasefire"),
        (
            "2022-09-20",
            Agreement,
            "peace",
            "the 20 September peace deal",
        ),
        (
            "2024-01-08",
            Other,
            "agreement",
            "the announcement of an expected land agreement",
        ),
        (
            "2021-04-29",
            ArmedClash,
            "several sections",
            "the fighting of 29–30 April 2021",
        ),
        (
            "2022-09-16",
            ArmedClash,
            "after the ceasefire",
            "firing after the ceasefire",
        ),
    ];
    let mut missing = Vec::new();
    for (day, t, word, what) in required {
        if find(&file, day, *t, word).is_empty() {
            missing.push(format!("{what} ({day}, {}, {word:?})", t.as_str()));
        }
    }
    assert!(missing.is_empty(), "missing incidents: {missing:#?}");
}

#[test]
fn batken_airport_and_town_are_separate_incidents() {
    let file = shipped();
    let airport = find(&file, "2022-09-14", EventType::Shelling, "airport");
    let town = find(&file, "2022-09-14", EventType::Shelling, "rocket");
    assert_eq!(airport.len(), 1);
    assert_eq!(town.len(), 1);
    assert_ne!(airport[0].id, town[0].id);
    assert_ne!(
        airport[0].place, town[0].place,
        "the airport must be geocoded as the airport"
    );
}

// ---------------------------------------------------------------- claims are never merged

#[test]
fn kyrgyz_and_tajik_figures_are_never_merged() {
    let file = shipped();
    let mut with_claims = 0;
    for inc in &file.incidents {
        for c in &inc.claims {
            with_claims += 1;
            // A side's own government speaks for its side's casualties or the other side's,
            // never for "all": a merged KG+TJ figure would have victims = all.
            if matches!(c.claimant_side, Side::Kg | Side::Tj) {
                assert_ne!(
                    c.victims,
                    Side::All,
                    "{}: {} ({:?}) gives a merged figure",
                    inc.id,
                    c.claimant,
                    c.claimant_side
                );
            }
            assert_ne!(c.claimant_side, Side::All, "{}: claimant_side all", inc.id);
        }
        // Two claims by one claimant from one source about one side are one claim entered twice.
        let mut keys = BTreeSet::new();
        for c in &inc.claims {
            let key = (&c.claimant, c.victims, &c.source, &c.date);
            assert!(
                keys.insert(key),
                "{}: claim by {} entered twice",
                inc.id,
                c.claimant
            );
        }
    }
    assert!(with_claims >= 10, "only {with_claims} claims");
}

#[test]
fn both_sides_are_heard_on_the_september_2022_fighting() {
    let file = shipped();
    let sides: BTreeSet<Side> = file
        .incidents
        .iter()
        .filter(|i| i.date_start >= date("2022-09-14") && i.date_start <= date("2022-09-20"))
        .flat_map(|i| i.claims.iter().map(|c| c.claimant_side))
        .collect();
    assert!(
        sides.contains(&Side::Kg) && sides.contains(&Side::Tj),
        "{sides:?}"
    );
}

#[test]
fn fatalities_keep_low_best_high_in_order() {
    for inc in shipped().incidents {
        let f = inc.fatalities();
        let figures = inc.claims.iter().filter_map(|c| c.killed).count();
        if figures == 0 {
            // No figure reported: unknown, never 0.
            assert_eq!((f.low, f.best, f.high), (None, None, None), "{}", inc.id);
            continue;
        }
        let (low, best) = (f.low.unwrap(), f.best.unwrap());
        assert!(low <= best, "{}: {f:?}", inc.id);
        match f.high {
            Some(high) => assert!(best <= high && !f.high_open, "{}: {f:?}", inc.id),
            None => assert!(f.high_open, "{}: {f:?}", inc.id),
        }
    }
}

/// "200+" is a floor: the high end of the September 2022 totals is open, not 263.
#[test]
fn an_at_least_figure_leaves_the_high_end_open() {
    let file = shipped();
    let sept = file
        .incidents
        .iter()
        .find(|i| i.id == "kgtj-2022-09-14-batken-border-clashes")
        .unwrap();
    let f = sept.fatalities();
    assert!(f.high_open && f.high.is_none(), "{f:?}");
    // Best: the latest figure per side (63 for Kyrgyzstan, 83 for Tajikistan).
    assert_eq!(f.best, Some(146), "{f:?}");
    for inc in &file.incidents {
        let f = inc.fatalities();
        let top = inc
            .claims
            .iter()
            .filter(|c| c.killed.is_some())
            .max_by_key(|c| c.killed);
        if top.is_some_and(|c| c.killed_min && c.victims == bordermap::Side::All) {
            assert!(f.high_open, "{}: {f:?}", inc.id);
        }
    }
}

// ---------------------------------------------------------------- where incidents are placed

fn shipped_features() -> Vec<Value> {
    let text = bordermap::pipeline::shipped_geojson().unwrap();
    let fc: Value = serde_json::from_str(&text).unwrap();
    fc["features"].as_array().unwrap().clone()
}

/// An incident the sources do not place has no point, no side and no distance; one placed
/// only at a district or region has no distance, and a side only when its whole extent lies
/// on one side of the line.
#[test]
fn no_side_without_a_place() {
    let file = shipped();
    let features = shipped_features();
    let mut unplaced = 0;
    for (inc, f) in file.incidents.iter().zip(&features) {
        let p = &f["properties"];
        assert_eq!(p["id"], inc.id.as_str());
        if inc.scope != Scope::Place {
            unplaced += 1;
            assert!(f["geometry"].is_null(), "{}", inc.id);
            assert_eq!(p["geo_status"], "not_placed", "{}", inc.id);
            for k in [
                "border_side",
                "distance_to_border_m",
                "on_disputed_section",
                "geo_precision",
            ] {
                assert!(p[k].is_null(), "{}: {k} = {}", inc.id, p[k]);
            }
        }
        if p["geo_precision"] == 3 {
            assert!(p["distance_to_border_m"].is_null(), "{}", inc.id);
            assert!(p["on_disputed_section"].is_null(), "{}", inc.id);
            // Batken region and district reach across the line: no side.
            assert!(
                p["border_side"].is_null(),
                "{}: {}",
                inc.id,
                p["border_side"]
            );
        }
    }
    assert!(unplaced >= 8, "{unplaced} records not placed");
}

/// Totals for a whole conflict or period are aggregates: no point, linked to the events
/// they cover, and never counted as events on a map.
#[test]
fn aggregates_are_kept_apart_from_events() {
    let file = shipped();
    let by_id = |id: &str| file.incidents.iter().find(|i| i.id == id);
    let aggregates: Vec<&Incident> = file.incidents.iter().filter(|i| i.aggregate).collect();
    assert!(aggregates.len() >= 2, "{} aggregates", aggregates.len());
    for a in &aggregates {
        assert_ne!(a.scope, Scope::Place, "{}: an aggregate has no point", a.id);
        assert!(!a.covers.is_empty(), "{}", a.id);
        for id in &a.covers {
            let e = by_id(id).unwrap_or_else(|| panic!("{}: covers unknown {id}", a.id));
            assert!(!e.aggregate, "{}: covers another aggregate {id}", a.id);
            assert!(
                e.date_start <= a.date_end && e.date_end >= a.date_start,
                "{}: covers {id}, outside its dates",
                a.id
            );
        }
    }
    // The shipped September map: the aggregates are not among the drawn incidents.
    let text = bordermap::pipeline::shipped_geojson().unwrap();
    let points = bordermap::geojson_io::read_points("x.geojson".as_ref(), &text).unwrap();
    let opts = bordermap::render::default_map_options(&points).unwrap();
    for (_, o) in &opts {
        let r = bordermap::render::render_map(&points, o).unwrap();
        for a in &aggregates {
            assert!(
                !r.svg.contains(&format!("data-id=\"{}\"", a.id)),
                "{} drawn",
                a.id
            );
        }
    }
}

/// A claim cannot be dated after the publication that reports it, and an incident cannot
/// start after every source that reports it was published.
#[test]
fn every_date_is_within_what_its_sources_support() {
    let file = shipped();
    let source_end = |id: &str| {
        let s = file.source(id).unwrap();
        partial_date(&s.date).unwrap().1
    };
    for inc in &file.incidents {
        for c in &inc.claims {
            let (claimed, _) = partial_date(&c.date).unwrap();
            assert!(
                claimed <= source_end(&c.source),
                "{}: claim by {} dated {} after its source {}",
                inc.id,
                c.claimant,
                c.date,
                c.source
            );
        }
        let latest = inc.sources.iter().map(|s| source_end(s)).max().unwrap();
        assert!(
            inc.date_start <= latest,
            "{}: starts after its sources",
            inc.id
        );
        // A day-precision record spans at most two days; longer spans are ranges.
        if inc.date_precision == bordermap::model::DatePrecision::Day {
            assert!(
                inc.date_end.days() - inc.date_start.days() <= 1,
                "{}: {}..{} is not a day",
                inc.id,
                inc.date_start,
                inc.date_end
            );
        }
    }
}

/// Every allegation and every claim names who made it and where it was reported; every
/// link between records points at a record.
#[test]
fn no_claim_or_allegation_without_claimant_and_source() {
    let file = shipped();
    for inc in &file.incidents {
        for a in &inc.allegations {
            assert!(
                !a.claimant.trim().is_empty() && !a.text.trim().is_empty(),
                "{}",
                inc.id
            );
            assert!(file.source(&a.source).is_some(), "{}: {}", inc.id, a.source);
        }
        for c in &inc.claims {
            assert!(file.source(&c.source).is_some(), "{}: {}", inc.id, c.source);
            if let Some(d) = &c.possible_duplicate_of {
                assert!(file.incidents.iter().any(|i| &i.id == d), "{}: {d}", inc.id);
            }
        }
    }
    // The allegations the audit found missing are there.
    let all: String = file
        .incidents
        .iter()
        .flat_map(|i| i.allegations.iter().map(|a| a.text.clone()))
        .collect();
    for needle in ["jets", "Afghan mujahids", "periodically fires"] {
        assert!(all.contains(needle), "no allegation mentions {needle:?}");
    }
}

/// The names users see come from the one display-name table: today's names, one spelling.
#[test]
fn display_names_come_from_one_table() {
    let shown: String = shipped_features()
        .iter()
        .map(|f| {
            let p = &f["properties"];
            format!(
                "{} {} {} | ",
                p["geo_place_name"], p["geo_admin1"], p["geo_admin2"]
            )
        })
        .collect();
    for old in [
        "Leninabad",
        "Kek-Tash",
        "Ak-Say",
        "Qal'acha",
        "Chkalov",
        "Ŭroteppa",
    ] {
        assert!(!shown.contains(old), "{old} is shown: {shown}");
    }
    // The old names still find the places.
    let g = Gazetteer::shipped().unwrap();
    let ctx = bordermap::gazetteer::Context::default();
    let hit = g.lookup("Leninabad Region", &ctx);
    let best = hit.best().map(|c| g.place(c.place).name.clone());
    assert_eq!(best.as_deref(), Some("Sughd"), "{}", hit.reason);
}

/// Every item the documents date that is not an incident is listed with a reason.
#[test]
fn excluded_items_are_listed_with_a_reason() {
    #[derive(serde::Deserialize)]
    struct File {
        item: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        source: String,
        date: String,
        what: String,
        reason: String,
    }
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/excluded.toml"),
    )
    .unwrap();
    let excluded: File = toml::from_str(&text).unwrap();
    let file = shipped();
    for i in &excluded.item {
        assert!(file.source(&i.source).is_some(), "{}", i.source);
        assert!(!i.date.is_empty() && !i.what.is_empty() && !i.reason.is_empty());
    }
    for needle in ["armoured SUVs", "Bayraktar TB-2", "Kalkan-2022", "Kok-Tash"] {
        assert!(
            excluded.item.iter().any(|i| i.what.contains(needle)),
            "{needle} is neither an incident nor excluded"
        );
    }
    // The photo caption is no longer an incident.
    assert!(
        !file
            .incidents
            .iter()
            .any(|i| i.title.contains("photograph"))
    );
}

// ---------------------------------------------------------------- places_manual.toml

#[test]
fn the_shipped_gazetteer_loads_with_the_manual_places() {
    // The loader refuses a manual place without a source or an uncertainty.
    let g = Gazetteer::shipped().unwrap();
    let manual = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/places_manual.toml"),
    )
    .unwrap();
    let ids: Vec<&str> = manual
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    assert!(ids.len() >= 5, "{ids:?}");
    for id in ids {
        let p = g
            .by_id(id)
            .unwrap_or_else(|| panic!("manual place {id} is not in the gazetteer"));
        assert!(!p.source.trim().is_empty(), "{id}: no source");
        assert!(
            p.uncertainty_m > 0.0,
            "{id}: uncertainty {}",
            p.uncertainty_m
        );
        // The border area: within the map of the project.
        let (lon, lat) = (p.position.lon(), p.position.lat());
        assert!(
            (66.0..=76.0).contains(&lon) && (37.0..=44.0).contains(&lat),
            "{id}"
        );
    }
    for id in [
        "bm-golovnoy-intake",
        "bm-tort-kocho",
        "bm-batken-airport",
        "bm-dostuk-post",
    ] {
        assert!(g.by_id(id).is_some(), "{id}");
    }
}
