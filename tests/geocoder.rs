//! The geocoder: every spelling and every ambiguity that the border's reports produce, through
//! the library ([`Gazetteer::lookup`]) and through `bordermap locate --format json`.
//!
//! A name is never silently picked: a name shared by several villages is *ambiguous* until the
//! report's context (a district, a nearby place) settles it.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use bordermap::Gazetteer;
use bordermap::gazetteer::{Context, Lookup, MARGIN, Method, Place, PlaceKind, Status};
use std::sync::OnceLock;

// Gazetteer ids of the places the reports name.
const VORUKH: &str = "wof:890420413";
const VORUKH_ENCLAVE: &str = "enclave:vorukh";
const AK_SAY_BATKEN: &str = "wof:1243063911";
const KOK_TASH_BATKEN: &str = "wof:1326925295";
const ISFARA_TOWN: &str = "wof:421193541";
const ISFANA_TOWN: &str = "wof:421178623";
const BATKEN_TOWN: &str = "wof:421174351";
const BATKEN_AIRPORT: &str = "bm-batken-airport";
const SAMARKANDYK: &str = "wof:1326720255";

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::shipped().unwrap())
}

fn lookup(query: &str, ctx: &Context) -> Lookup {
    gazetteer().lookup(query, ctx)
}

fn place(c: &bordermap::gazetteer::Candidate) -> &'static Place {
    gazetteer().place(c.place)
}

fn ids(l: &Lookup) -> Vec<&'static str> {
    ids_in(gazetteer(), l)
}

/// The ids of the candidates of `l`, a lookup in `g`.
fn ids_in<'g>(g: &'g Gazetteer, l: &Lookup) -> Vec<&'g str> {
    l.candidates
        .iter()
        .map(|c| g.place(c.place).id.as_str())
        .collect()
}

/// Asserts that `query` is matched to the place `id`, and returns the lookup.
fn matched(query: &str, ctx: &Context, id: &str) -> Lookup {
    matched_in(gazetteer(), query, ctx, id)
}

/// [`matched`] in gazetteer `g`.
fn matched_in(g: &Gazetteer, query: &str, ctx: &Context, id: &str) -> Lookup {
    let l = g.lookup(query, ctx);
    assert_eq!(
        l.status,
        Status::Matched,
        "{query:?}: {} — candidates {:?}",
        l.reason,
        ids_in(g, &l)
    );
    let best = g.place(l.best().unwrap().place);
    assert_eq!(
        best.id, id,
        "{query:?} matched {} ({})",
        best.name, l.reason
    );
    assert!(
        l.confidence > 0.0 && l.confidence <= 1.0,
        "{query:?}: {}",
        l.confidence
    );
    l
}

/// Asserts that `query` is ambiguous (no best, a reason, candidates) and returns the lookup.
fn ambiguous(query: &str, ctx: &Context) -> Lookup {
    let l = lookup(query, ctx);
    assert_eq!(
        l.status,
        Status::Ambiguous,
        "{query:?}: {} — {:?}",
        l.reason,
        ids(&l)
    );
    assert!(l.best().is_none());
    assert_eq!(l.confidence, 0.0);
    assert!(l.candidates.len() >= 2);
    assert!(!l.reason.is_empty());
    l
}

/// A context with the positions of other places named in the same report.
fn near(names: &[&str]) -> Context {
    let near = names
        .iter()
        .map(|n| {
            let l = lookup(n, &Context::default());
            place(l.best().unwrap_or_else(|| panic!("{n}: {}", l.reason))).position
        })
        .collect();
    Context {
        near,
        ..Context::default()
    }
}

fn admin2(district: &str) -> Context {
    Context {
        admin2: Some(district.into()),
        ..Context::default()
    }
}

trait WithAdmin1 {
    fn with_admin1(self, region: &str) -> Self;
}

impl WithAdmin1 for Context {
    fn with_admin1(mut self, region: &str) -> Self {
        self.admin1 = Some(region.into());
        self
    }
}

fn country(cc: &str) -> Context {
    Context {
        country: Some(cc.into()),
        ..Context::default()
    }
}

fn km_between(a: &Place, b: &Place) -> f64 {
    // An equirectangular estimate is plenty to tell villages 50+ km apart.
    let (la, lb) = (a.position.lat().to_radians(), b.position.lat().to_radians());
    let dx = (b.position.lon() - a.position.lon()).to_radians() * ((la + lb) / 2.0).cos();
    let dy = lb - la;
    6371.0 * (dx * dx + dy * dy).sqrt()
}

// ---------------------------------------------------------------- Vorukh

#[test]
fn vorukh_in_every_spelling_is_the_village() {
    for q in [
        "Vorukh",
        "Voruh",
        "Woruch",
        "Ворух",
        "VORUKH",
        "  vorukh  ",
        "Vo-rukh",
    ] {
        let l = matched(q, &Context::default(), VORUKH);
        let best = place(&l.candidates[0]);
        assert_eq!(
            (best.kind, best.country.as_str()),
            (PlaceKind::Village, "TJ"),
            "{q}"
        );
        // The enclave of the same name contains the village: it stays listed, below it.
        assert!(ids(&l)[1..].contains(&VORUKH_ENCLAVE), "{q}: {:?}", ids(&l));
    }
}

#[test]
fn vorukh_methods_say_how_the_name_matched() {
    let method = |q| lookup(q, &Context::default()).candidates[0].method;
    assert_eq!(method("Vorukh"), Method::Exact);
    assert_eq!(method("Ворух"), Method::Alternate);
    assert_eq!(method("Voruh"), Method::Transliterated);
}

// ---------------------------------------------------------------- Ak-Sai

#[test]
fn ak_sai_alone_is_ambiguous() {
    for q in ["Ak-Sai", "Aksay", "Ак-Сай", "Ak-Say", "Aksai"] {
        let l = ambiguous(q, &Context::default());
        assert!(ids(&l).contains(&AK_SAY_BATKEN), "{q}: {:?}", ids(&l));
        // Several distinct villages, far apart (Batken, Chuy, Talas, Jirgatol).
        let far = l
            .candidates
            .iter()
            .filter(|c| km_between(place(c), gazetteer().by_id(AK_SAY_BATKEN).unwrap()) > 100.0)
            .count();
        assert!(far >= 2, "{q}: {:?}", ids(&l));
        assert!(
            l.reason.contains("give a country, region or nearby place"),
            "{}",
            l.reason
        );
    }
}

#[test]
fn ak_sai_near_vorukh_is_the_batken_village() {
    for q in ["Ak-Sai", "Aksay", "Ак-Сай"] {
        for ctx in [near(&["Vorukh"]), near(&["Ворух"]), admin2("Batken")] {
            matched(q, &ctx, AK_SAY_BATKEN);
        }
    }
    let p = gazetteer().by_id(AK_SAY_BATKEN).unwrap();
    assert_eq!((p.country.as_str(), p.admin2.as_str()), ("KG", "Batken"));
}

#[test]
fn ak_sai_country_alone_does_not_pick_among_kyrgyz_villages() {
    // Three Ak-Says are in Kyrgyzstan: the country hint must not make the Batken one a
    // confident match on its own. The lead, if any, stays within the margin plus the small
    // alternate-vs-transliterated difference.
    let ctx = Context {
        country: Some("KG".into()),
        ..Context::default()
    };
    let l = lookup("Ак-Сай", &ctx);
    assert_eq!(l.status, Status::Ambiguous, "{} — {:?}", l.reason, ids(&l));
}

// ---------------------------------------------------------------- Kok-Tash

#[test]
fn kok_tash_alone_is_ambiguous_between_several_villages() {
    for q in ["Kok-Tash", "Koktash", "Көк-Таш", "Kök-Tash"] {
        let l = ambiguous(q, &Context::default());
        let villages: Vec<&Place> = l
            .candidates
            .iter()
            .map(place)
            .filter(|p| p.kind == PlaceKind::Village)
            .collect();
        assert!(villages.len() >= 4, "{q}: {:?}", ids(&l));
        assert!(ids(&l).contains(&KOK_TASH_BATKEN), "{q}: {:?}", ids(&l));
        // In more than one country.
        let mut countries: Vec<&str> = villages.iter().map(|p| p.country.as_str()).collect();
        countries.sort();
        countries.dedup();
        assert!(countries.len() >= 2, "{q}: {countries:?}");
    }
}

#[test]
fn kok_tash_near_vorukh_is_the_batken_village() {
    for q in ["Kok-Tash", "Koktash", "Көк-Таш"] {
        for ctx in [
            near(&["Vorukh"]),
            near(&["Voruh", "Khojai A'lo"]),
            near(&["Ворух"]),
        ] {
            let l = matched(q, &ctx, KOK_TASH_BATKEN);
            assert!(
                l.reason.starts_with("leads the next candidate"),
                "{}",
                l.reason
            );
        }
    }
    let p = gazetteer().by_id(KOK_TASH_BATKEN).unwrap();
    assert_eq!((p.country.as_str(), p.admin1.as_str()), ("KG", "Batken"));
    // About 11 km north-west of Vorukh.
    let d = km_between(p, gazetteer().by_id(VORUKH).unwrap());
    assert!((5.0..20.0).contains(&d), "{d} km");
}

#[test]
fn kok_tash_far_context_does_not_pick_the_batken_village() {
    // Near Samarkand, the Batken Kok-Tash gets no bonus: the answer is not it.
    let l = lookup("Kok-Tash", &near(&["Samarkand"]));
    assert!(
        l.best().is_none_or(|c| place(c).id != KOK_TASH_BATKEN),
        "{:?}",
        ids(&l)
    );
}

// ---------------------------------------------------------------- Isfara and Isfana

#[test]
fn isfara_is_the_town() {
    for q in ["Isfara", "Исфара", "ISFARA"] {
        let l = matched(q, &Context::default(), ISFARA_TOWN);
        assert_eq!(place(&l.candidates[0]).kind, PlaceKind::Town);
        // Isfana may appear, but only as a clearly lower candidate.
        if let Some(c) = l.candidates.iter().find(|c| place(c).id == ISFANA_TOWN) {
            assert!(
                c.method == Method::Fuzzy,
                "{q}: Isfana matched by {:?}",
                c.method
            );
            assert!(
                l.candidates[0].score - c.score > MARGIN,
                "{q}: Isfana too close"
            );
        }
    }
}

#[test]
fn isfana_is_not_isfara() {
    for q in ["Isfana", "Исфана"] {
        let l = matched(q, &Context::default(), ISFANA_TOWN);
        let p = place(&l.candidates[0]);
        assert_eq!((p.country.as_str(), p.admin1.as_str()), ("KG", "Batken"));
    }
    // The two towns are about 100 km apart, on either side of the border.
    let d = km_between(
        gazetteer().by_id(ISFARA_TOWN).unwrap(),
        gazetteer().by_id(ISFANA_TOWN).unwrap(),
    );
    assert!(d > 80.0, "{d} km");
}

// ---------------------------------------------------------------- Batken

#[test]
fn batken_is_the_town_over_district_and_region() {
    for q in ["Batken", "Баткен"] {
        let l = matched(q, &Context::default(), BATKEN_TOWN);
        assert_eq!(place(&l.candidates[0]).kind, PlaceKind::Town);
        let kinds: Vec<PlaceKind> = l.candidates.iter().map(|c| place(c).kind).collect();
        assert!(kinds.contains(&PlaceKind::District), "{q}: {kinds:?}");
        assert!(kinds.contains(&PlaceKind::Region), "{q}: {kinds:?}");
        assert!(l.reason.contains("areas of the same name"), "{}", l.reason);
    }
    // The airport is a candidate of "Batken", but only a partial one.
    let l = lookup("Batken", &Context::default());
    let airport = l
        .candidates
        .iter()
        .find(|c| place(c).id == BATKEN_AIRPORT)
        .expect("the airport is listed among the candidates of \"Batken\"");
    assert_eq!(airport.method, Method::Partial);
}

#[test]
fn batken_airport_is_the_airport() {
    for q in [
        "Batken airport",
        "Batken Airport",
        "Аэропорт Баткен",
        "UCFB",
    ] {
        let l = matched(q, &Context::default(), BATKEN_AIRPORT);
        assert_eq!(place(&l.candidates[0]).kind, PlaceKind::Airport);
    }
}

// ---------------------------------------------------------------- Samarkand vs Samarkandyk

#[test]
fn samarkand_is_the_uzbek_city() {
    let l = lookup("Samarkand", &Context::default());
    assert_eq!(l.status, Status::Matched, "{}", l.reason);
    let p = place(l.best().unwrap());
    assert_eq!((p.country.as_str(), p.kind), ("UZ", PlaceKind::Town));
    assert!((66.8..67.1).contains(&p.position.lon()), "{:?}", p.position);
    assert!((39.5..39.8).contains(&p.position.lat()), "{:?}", p.position);
    assert_ne!(ids(&l).first(), Some(&SAMARKANDYK));
}

#[test]
fn samarkandek_is_the_kyrgyz_village_samarkandyk() {
    for q in ["Samarkandek", "Samarkandyk"] {
        let l = matched(q, &Context::default(), SAMARKANDYK);
        let p = place(&l.candidates[0]);
        assert_eq!((p.country.as_str(), p.kind), ("KG", PlaceKind::Village));
    }
}

// ---------------------------------------------------------------- typos and unknown names

#[test]
fn small_typos_match_only_when_the_context_confirms_them() {
    for (q, id, ctx) in [
        ("Vorkuh", VORUKH, admin2("Isfara")),
        ("Vorkuh", VORUKH, Context::default().with_admin1("Sughd")),
        ("Vorkuh", VORUKH, near(&["Khojai A'lo"])),
        ("Batkne", BATKEN_TOWN, admin2("Batken")),
    ] {
        // Alone, a typo is a candidate, never a match: the right place is listed first.
        let l = lookup(q, &Context::default());
        assert_eq!(l.status, Status::NotFound, "{q}: {}", l.reason);
        assert_eq!(ids(&l).first(), Some(&id), "{q}");
        assert_eq!(l.candidates[0].method, Method::Fuzzy, "{q}");
        assert!(
            l.reason.contains("not confirmed by the context"),
            "{}",
            l.reason
        );
        // With a district, region or nearby place that agrees, it is matched.
        let l = matched(q, &ctx, id);
        assert_eq!(l.candidates[0].method, Method::Fuzzy, "{q}");
        assert!(
            l.reason.contains("confirmed by the context"),
            "{}",
            l.reason
        );
    }
    // Doubled letters fold away in the phonetic key: a spelling, not a typo.
    for (q, id) in [
        ("Isfaara", ISFARA_TOWN),
        ("Isfarra", ISFARA_TOWN),
        ("Vorukhh", VORUKH),
    ] {
        let l = matched(q, &Context::default(), id);
        assert_eq!(l.candidates[0].method, Method::Transliterated, "{q}");
    }
}

#[test]
fn unknown_name_is_not_found_with_a_reason() {
    for q in ["Qwxzv", "Nowhereville", "Blorptown"] {
        let l = lookup(q, &Context::default());
        assert_eq!(l.status, Status::NotFound, "{q}: {:?}", ids(&l));
        assert!(l.best().is_none());
        assert!(l.candidates.is_empty(), "{q}: {:?}", ids(&l));
        assert_eq!(
            l.reason,
            format!("no place in the gazetteer is called {q:?} or anything close")
        );
    }
    // Context never conjures a place out of nothing.
    let l = lookup("Qwxzv", &near(&["Vorukh"]));
    assert_eq!(l.status, Status::NotFound);
}

#[test]
fn a_prefix_alone_is_not_a_match() {
    // "Dostuk border" begins "Dostuk border post" but names nothing: a candidate, no match.
    for (q, id) in [
        ("Dostuk border", "bm-dostuk-post"),
        ("Golovnoy water", "bm-golovnoy-intake"),
    ] {
        let l = lookup(q, &Context::default());
        assert_eq!(l.status, Status::NotFound, "{q}: {:?}", ids(&l));
        assert!(l.best().is_none());
        assert_eq!(ids(&l).first(), Some(&id), "{q}");
        assert_eq!(l.candidates[0].method, Method::Partial);
        assert!(
            l.reason.contains("names that begin with it"),
            "{}",
            l.reason
        );
    }
}

// ---------------------------------------------------------------- through the binary

fn locate(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["locate", "--format", "json"];
    all.extend_from_slice(args);
    let run = util::Dir::new().run(&all);
    run.ok();
    assert!(
        run.stdout_str().ends_with("}\n"),
        "one JSON object and a newline"
    );
    run.json()
}

/// Checks the shape of one candidate object.
fn check_candidate(c: &serde_json::Value) {
    for key in ["name", "country", "admin1", "kind", "id", "method"] {
        assert!(c[key].is_string(), "{key} in {c}");
    }
    for key in ["lat", "lon", "score"] {
        assert!(c[key].as_f64().is_some_and(f64::is_finite), "{key} in {c}");
    }
    let lat = c["lat"].as_f64().unwrap();
    let lon = c["lon"].as_f64().unwrap();
    assert!(
        (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
        "{c}"
    );
    let kinds = PlaceKind::ALL.map(PlaceKind::as_str);
    assert!(kinds.contains(&c["kind"].as_str().unwrap()), "{c}");
    let methods = ["exact", "alternate", "transliterated", "fuzzy", "partial"];
    assert!(methods.contains(&c["method"].as_str().unwrap()), "{c}");
}

#[test]
fn locate_json_shape_for_a_match() {
    let v = locate(&["Ворух"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["query", "status", "best", "candidates"] {
        assert!(keys.contains(&key), "{key} missing: {keys:?}");
    }
    assert_eq!(v["query"], "Ворух");
    assert_eq!(v["status"], "matched");
    let best = &v["best"];
    check_candidate(best);
    assert_eq!(best["id"], VORUKH);
    assert_eq!(best["name"], "Vorukh");
    assert_eq!(best["country"], "TJ");
    assert_eq!(best["kind"], "village");
    assert_eq!(best["method"], "alternate");
    // [lat, lon] are not swapped: Vorukh is at 39.85 N, 70.58 E.
    assert_eq!(
        (best["lat"].as_f64(), best["lon"].as_f64()),
        (Some(39.85125), Some(70.58012))
    );
    let cands = v["candidates"].as_array().unwrap();
    assert_eq!(&cands[0], best, "best is the first candidate");
    cands.iter().for_each(check_candidate);
    assert!(cands.iter().any(|c| c["id"] == VORUKH_ENCLAVE));
    // Candidates are ranked best first.
    let scores: Vec<f64> = cands.iter().map(|c| c["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn locate_json_ambiguous_and_resolved() {
    let v = locate(&["Ак-Сай"]);
    assert_eq!(v["status"], "ambiguous");
    assert!(v["best"].is_null());
    let cands = v["candidates"].as_array().unwrap();
    assert!(cands.len() >= 2);
    cands.iter().for_each(check_candidate);
    assert!(cands.iter().any(|c| c["id"] == AK_SAY_BATKEN));

    for ctx in [["--near", "Vorukh"], ["--admin2", "Batken"]] {
        let v = locate(&["Ак-Сай", ctx[0], ctx[1]]);
        assert_eq!(v["status"], "matched", "{ctx:?}");
        assert_eq!(v["best"]["id"], AK_SAY_BATKEN, "{ctx:?}");
    }
    let v = locate(&["Koktash", "--near", "Vorukh"]);
    assert_eq!(v["best"]["id"], KOK_TASH_BATKEN);
    let v = locate(&["Koktash"]);
    assert_eq!(v["status"], "ambiguous");
}

#[test]
fn locate_json_not_found() {
    let v = locate(&["Qwxzv"]);
    assert_eq!(v["query"], "Qwxzv");
    assert_eq!(v["status"], "not_found");
    assert!(v["best"].is_null());
    assert_eq!(v["candidates"], serde_json::json!([]));
    assert!(
        v["reason"].as_str().is_some_and(|r| r.contains("Qwxzv")),
        "{v}"
    );
}

#[test]
fn locate_json_batken_and_airport() {
    let v = locate(&["Batken"]);
    assert_eq!(v["best"]["id"], BATKEN_TOWN);
    assert_eq!(v["best"]["kind"], "town");
    let cands = v["candidates"].as_array().unwrap();
    assert!(
        cands
            .iter()
            .any(|c| c["id"] == BATKEN_AIRPORT && c["method"] == "partial")
    );
    let v = locate(&["Batken airport"]);
    assert_eq!(v["best"]["id"], BATKEN_AIRPORT);
    assert_eq!(v["best"]["kind"], "airport");
}

#[test]
fn locate_agrees_with_the_library() {
    for q in [
        "Vorukh",
        "Isfara",
        "Samarkand",
        "Samarkandek",
        "Isfaara",
        "Batken",
    ] {
        let v = locate(&[q]);
        let l = lookup(q, &Context::default());
        assert_eq!(v["status"], l.status.as_str(), "{q}");
        assert_eq!(v["best"]["id"], place(l.best().unwrap()).id.as_str(), "{q}");
        assert_eq!(
            v["candidates"].as_array().unwrap().len(),
            l.candidates.len(),
            "{q}"
        );
    }
}

// ---------------------------------------------------------------- feature words

#[test]
fn feature_words_before_or_after_the_name_ask_for_a_kind() {
    for (q, ctx, id) in [
        ("Vorukh enclave", Context::default(), VORUKH_ENCLAVE),
        ("анклав Ворух", Context::default(), VORUKH_ENCLAVE),
        ("Ворух анклав", Context::default(), VORUKH_ENCLAVE),
        ("Vorukh village", Context::default(), VORUKH),
        ("кишлак Ворух", Context::default(), VORUKH),
        ("деҳаи Ворух", Context::default(), VORUKH),
        ("Ak-Sai village", near(&["Vorukh"]), AK_SAY_BATKEN),
        ("село Ак-Сай", admin2("Batken"), AK_SAY_BATKEN),
        ("Ак-Сай айылы", admin2("Batken"), AK_SAY_BATKEN),
        ("Isfara town", Context::default(), ISFARA_TOWN),
        ("город Исфара", Context::default(), ISFARA_TOWN),
        ("шаҳри Исфара", Context::default(), ISFARA_TOWN),
    ] {
        matched(q, &ctx, id);
    }
}

#[test]
fn a_district_or_region_word_returns_the_area() {
    let batken = |kind| {
        gazetteer()
            .places()
            .iter()
            .find(|p| p.name == "Batken" && p.kind == kind)
            .unwrap()
            .id
            .as_str()
    };
    for q in [
        "Batken District",
        "Batken rayon",
        "Баткенский район",
        "Баткен району",
    ] {
        matched(q, &Context::default(), batken(PlaceKind::District));
    }
    for q in [
        "Batken Region",
        "Batken oblast",
        "Баткенская область",
        "Баткен облусу",
    ] {
        matched(q, &Context::default(), batken(PlaceKind::Region));
    }
    // Bare, the name is the town, which the district and region contain.
    matched("Batken", &Context::default(), BATKEN_TOWN);
}

#[test]
fn the_former_barak_enclave_is_found_by_its_word() {
    // A hand-added village (places_manual.toml): "Barak" alone is also an alternate name
    // of an Uzbek village 90 km away, so only the word settles it.
    for q in ["Barak enclave", "анклав Барак", "Barak exclave"] {
        matched(q, &Context::default(), "bm-barak");
    }
    let l = ambiguous("Barak", &Context::default());
    assert!(ids(&l).contains(&"bm-barak"), "{:?}", ids(&l));
    matched("Barak", &country("KG"), "bm-barak");
}

#[test]
fn sokh_enclave_is_the_enclave_not_the_village() {
    for q in [
        "Sokh enclave",
        "анклав Сох",
        "Сохский район",
        "Sokh District",
    ] {
        let l = matched(q, &Context::default(), "enclave:sokh");
        assert_eq!(place(&l.candidates[0]).kind, PlaceKind::Enclave, "{q}");
    }
    // The bare name may mean the village: it is not the enclave without the word.
    let l = lookup("Sokh", &Context::default());
    assert!(l.best().is_none_or(|c| place(c).kind != PlaceKind::Enclave));
}

#[test]
fn a_word_with_no_place_of_its_kind_is_not_found_with_the_others_listed() {
    // Isfara has no airport: the town is not returned for "Isfara airport".
    let l = lookup("Isfara airport", &Context::default());
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
    assert!(l.reason.contains("no airport is called"), "{}", l.reason);
    assert!(ids(&l).contains(&ISFARA_TOWN), "{:?}", ids(&l));
    // No border crossings are in the gazetteer: the village of the crossing's name is
    // listed, not returned.
    for q in ["Kyzyl-Bel border crossing", "КПП Кызыл-Бел"] {
        let l = lookup(q, &Context::default());
        assert_eq!(l.status, Status::NotFound, "{q}: {}", l.reason);
        assert!(
            l.reason.contains("no border post is called"),
            "{}",
            l.reason
        );
        assert_eq!(ids(&l), ["wof:1226734313"], "{q}");
    }
}

// ---------------------------------------------------------------- airports

#[test]
fn airports_by_name_city_code_and_in_cyrillic() {
    for (q, id) in [
        ("Osh Airport", "airport:UCFO"),
        ("Osh airport", "airport:UCFO"),
        ("аэропорт Ош", "airport:UCFO"),
        ("OSS", "airport:UCFO"),
        ("UCFO", "airport:UCFO"),
        ("Manas International Airport", "airport:UCFM"),
        ("Manas airport", "airport:UCFM"),
        ("Bishkek airport", "airport:UCFM"),
        ("Khujand airport", "airport:UTDL"),
        ("аэропорт Худжанд", "airport:UTDL"),
        ("LBD", "airport:UTDL"),
        ("UTDL", "airport:UTDL"),
        ("DYU", "airport:UTDD"),
    ] {
        let l = matched(q, &Context::default(), id);
        assert_eq!(place(&l.candidates[0]).kind, PlaceKind::Airport, "{q}");
    }
    // A town name in capitals is still the town when no airport has that code.
    matched("OSH", &Context::default(), "wof:421195751");
}

#[test]
fn a_town_name_without_an_airport_of_that_name_finds_the_towns_airport() {
    // No airport is called "Токмак"; the town of Tokmok is, and its airport lies 3 km away.
    let l = matched("аэропорт Токмак", &Context::default(), "airport:UAFF");
    assert!(
        l.candidates[0]
            .matched_name
            .contains("an airport of Tokmok"),
        "{}",
        l.candidates[0].matched_name
    );
    // A village of that name (Tokmak, Sughd) has no airport: nothing is made up for it.
    let l = lookup("аэропорт Токмак", &country("TJ"));
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
    // By a town's former name: the airport named after the town is the town's, though
    // Khujand's lies nearer Buston and Bishkek's (Manas) 25 km out.
    for (q, id, town) in [
        ("Leninabad airport", "airport:UTDL", "Khujand"),
        ("аэропорт Ленинабад", "airport:UTDL", "Khujand"),
        ("Frunze airport", "airport:UCFM", "Bishkek"),
        ("Stalinabad airport", "airport:UTDD", "Dushanbe"),
    ] {
        let l = matched(q, &Context::default(), id);
        let m = &l.candidates[0].matched_name;
        assert!(m.contains(&format!("an airport of {town}")), "{q}: {m}");
    }
}

#[test]
fn of_a_citys_airports_the_one_with_an_iata_code_is_taken_and_the_other_listed() {
    for q in ["Tashkent airport", "аэропорт Ташкент"] {
        let l = matched(q, &Context::default(), "airport:UZTT");
        assert!(l.reason.contains("IATA code (TAS)"), "{}", l.reason);
        assert!(ids(&l).contains(&"airport:UZTP"), "{:?}", ids(&l));
    }
    // Asked for by its own name, the other one is found.
    matched("Tashkent East Airport", &Context::default(), "airport:UZTP");
}

#[test]
fn batken_airport_records_are_one_place() {
    // The hand-added airport and the airportsdata record (UAFB, 2.7 km away, within the
    // hand-added radius) are merged: one place, both ids, both sources, no rivals.
    let p = gazetteer().by_id("airport:UAFB").unwrap();
    assert_eq!(p.id, BATKEN_AIRPORT);
    assert!(
        p.merged_ids.iter().any(|m| m == "airport:UAFB"),
        "{:?}",
        p.merged_ids
    );
    assert!(p.source.contains("airportsdata"), "{}", p.source);
    for q in ["UAFB", "UCFB", "Batken Airport", "аэропорт Баткен"] {
        matched(q, &Context::default(), BATKEN_AIRPORT);
    }
}

// ---------------------------------------------------------------- towns and villages

#[test]
fn a_bare_town_name_is_the_town_over_villages_and_its_own_areas() {
    // Talas: a town of 35,172 people, its district and region, and a village in Manas
    // district 70 km away. The town is taken; the others stay listed, and the reason says so.
    let l = matched("Talas", &Context::default(), "wof:421188271");
    assert!(l.reason.contains("town of 35172 people"), "{}", l.reason);
    assert!(ids(&l).contains(&"wof:1326928219"), "{:?}", ids(&l));
    matched("Талас", &Context::default(), "wof:421188271");
    matched("Toktogul", &Context::default(), "wof:421195445");
    // Asked for as a village, the town is no longer taken over the villages (the one in
    // Manas district, and GeoNames' seat of Talas district); with its district, the village
    // is found.
    let l = ambiguous("Talas village", &Context::default());
    assert_eq!(
        place(&l.candidates[0]).kind,
        PlaceKind::Village,
        "{:?}",
        ids(&l)
    );
    assert!(ids(&l).contains(&"wof:1326928219"), "{:?}", ids(&l));
    matched("Talas", &admin2("Manas"), "wof:1326928219");
    // A former name shared with villages: Chkalovsk is Buston (21,537 people).
    matched("Chkalovsk", &Context::default(), "wof:421198689");
}

#[test]
fn a_towns_current_spelling_is_its_own_name_over_villages() {
    // Kyzyl-Kiya is how reports spell the town the reference data calls Kyzyl-Kyya
    // (32,000 people); four villages bear it as their own name. The town is taken, the
    // villages stay listed.
    let l = matched("Kyzyl-Kiya", &Context::default(), "wof:421167473");
    assert!(l.reason.contains("town of 32000 people"), "{}", l.reason);
    assert!(ids(&l).contains(&"wof:1243078095"), "{:?}", ids(&l));
    matched("Kara-Suu", &Context::default(), "wof:421167475");
    // Hyphens, spaces and apostrophes aside, "Kyzyl Kiya" and "Kyzylkiya" are spelt as
    // the town's name is, as much as the villages' (Kyzylkiya is a village's own name).
    for q in ["Kyzyl Kiya", "Kyzylkiya"] {
        matched(q, &Context::default(), "wof:421167473");
    }
    // Asked for as a village, it is the villages' name again.
    ambiguous("Kyzyl-Kiya village", &Context::default());
}

#[test]
fn a_villages_own_name_is_not_beaten_by_a_towns_former_name() {
    // Taboshar is the name of a village in Khatlon and the former name of the town of
    // Istiqlol: the village's own name weighs as much as the town's history.
    let l = ambiguous("Taboshar", &Context::default());
    assert!(ids(&l).contains(&"wof:421196461"), "{:?}", ids(&l));
    assert!(ids(&l).contains(&"wof:1327038783"), "{:?}", ids(&l));
    // The village of Shurab (Isfara) is "Shŭrob"; the town of Yovon only transliterates to it.
    let l = ambiguous("Shŭrob", &Context::default());
    assert!(ids(&l).contains(&"wof:421193269"), "{:?}", ids(&l));
    // Two towns of one name are never settled by size alone unless one is ten times the other.
    ambiguous("Kurgan-Tyube", &Context::default());
    // "Шӯроб" is the village's Tajik name letter for letter; the town has "Шуроб", equal only
    // once the mark is taken off, so the town does not take it over (it did, 232 km away).
    let l = ambiguous("Шӯроб", &Context::default());
    assert!(ids(&l).contains(&"wof:421193269"), "{:?}", ids(&l));
    // Spelt as the town's name is, the town is taken over the village again.
    matched("Шуроб", &Context::default(), "wof:421193265");
}

#[test]
fn places_renamed_in_2018_are_found_by_both_names() {
    // The Majlisi Milli renamed Sarband, the settlement of Vose, Bokhtar district and a
    // village of Vose district in February 2018 (geodata/sources/former_names.toml); the
    // reference data has the old names.
    for (q, id) in [
        ("Levakand", "wof:1276131487"),
        ("Qurbonshahid", "wof:1343371675"),
        ("Леваканд", "wof:1276131487"),
        ("Hulbuk", "wof:421178609"),
        ("Ҳулбук", "wof:421178609"),
        ("Kushoniyon", "wof:1091916455"),
        ("Kushoniyon district", "wof:1091916455"),
    ] {
        matched(q, &Context::default(), id);
    }
    let l = matched("Bokhtar District", &Context::default(), "wof:1091916455");
    assert!(
        l.reason
            .starts_with("Bokhtar District: former name of Kushoniyon (until 2018)"),
        "{}",
        l.reason
    );
    // The district's places are in Kushoniyon now, and a hint by either name finds them.
    let levakand = gazetteer().by_id("wof:1276131487").unwrap();
    assert_eq!(levakand.admin2, "Kushoniyon");
    for district in ["Kushoniyon", "Bokhtar District"] {
        let ctx = Context {
            admin2: Some(district.into()),
            ..Context::default()
        };
        matched("Alchin", &ctx, "wof:1193026049");
    }
    // "Bokhtar" alone is the city, which bears the name today.
    matched("Bokhtar", &Context::default(), "wof:1125820273");
    let vose = Context {
        admin2: Some("Vose".into()),
        ..Context::default()
    };
    matched("Mehrobod", &vose, "wof:1343371675");
}

#[test]
fn j_for_the_russian_short_i_is_read_when_nothing_matches_as_written() {
    // German, Polish and scholarly spellings write й, я, ю with a j.
    for (q, id) in [
        ("Kuljab", "wof:890439899"),
        ("Suljukta", "wof:421200411"),
        ("Khajdarkan", "wof:421193253"),
    ] {
        let l = matched(q, &Context::default(), id);
        assert_eq!(l.candidates[0].method, Method::Transliterated, "{q}");
    }
    // A j that matches as the English дж is read so, and never also as й. "Jalal-Abad" is
    // the region's name today, and was the city's until 2025 (now Manas): both, as written.
    let l = ambiguous("Jalal-Abad", &Context::default());
    assert_eq!(
        ids(&l)[..2],
        ["wof:421168897", "wof:85672997"],
        "{}",
        l.reason
    );
    assert!(
        l.candidates[..2]
            .iter()
            .all(|c| c.method != Method::Transliterated && c.name_score >= 0.97),
        "{:?}",
        l.candidates
    );
    let l = ambiguous("Jany-Jol", &Context::default());
    assert!(
        l.candidates
            .iter()
            .filter(|c| c.method != Method::Partial)
            .all(|c| c.name_score >= 0.97),
        "{:?}",
        l.candidates
    );
}

#[test]
fn yo_and_ye_are_read_as_every_romanisation_writes_them() {
    // Somoniyon in Jabbor Rasulov district is known to the reference data only as Сомониён
    // (and by its former name, Uzbekqishloq); the seat of Rudaki district is Somoniyon too.
    for q in ["Somoniyon", "Сомониён"] {
        let l = ambiguous(q, &Context::default());
        let ids = ids(&l);
        assert!(
            ids.contains(&"wof:1276774953") && ids.contains(&"wof:1327369767"),
            "{q}: {ids:?}"
        );
    }
    // ё as e still matches the Russian reading (Кёк-Таш, Kek-Tash).
    let l = ambiguous("Кёк-Таш", &Context::default());
    assert!(ids(&l).contains(&"wof:1293891257"), "{:?}", ids(&l));
    // Russian е after a vowel is "ye" in English romanisation: the Imeni Chapayeva of Nookat
    // district, which has no Cyrillic name in the reference data, is among the places
    // "Имени Чапаева" may mean.
    let l = ambiguous("Имени Чапаева", &Context::default());
    assert!(ids(&l).contains(&"wof:1293385459"), "{:?}", ids(&l));
}

#[test]
fn a_short_vowel_left_out_is_a_spelling_not_a_typo() {
    // Tajik and Persian short vowels are often not written: Panjkent is Panjakent.
    let l = matched("Panjkent", &Context::default(), "wof:421178611");
    assert_eq!(l.candidates[0].method, Method::Transliterated);
    // A vowel left out and another changed is a typo: Kara-Gendzha (Karakenja, which the
    // gazetteer lacks) is not the village of Kargandzha, 220 km from it.
    let l = lookup("Kara-Gendzha", &Context::default());
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
}

#[test]
fn geonames_places_the_reference_data_lacks_are_found() {
    // Towns of Uzbekistan beyond the Fergana Valley, from GeoNames' cities500
    // (geodata/sources/geonames_cities500.csv).
    matched("Chelak", &Context::default(), "geonames:1217569");
    matched("Zomin", &Context::default(), "geonames:1215694");
    // "Chelek" had been a village in Naryn 667 km away, the only place of that name.
    let l = ambiguous("Chelek", &Context::default());
    assert!(ids(&l).contains(&"geonames:1217569"), "{:?}", ids(&l));
    assert!(ids(&l).contains(&"wof:1259880331"), "{:?}", ids(&l));
    // A district seat that the reference data has only as a district is the point in it.
    let l = matched("Sokuluk", &Context::default(), "geonames:1527360");
    assert!(ids(&l).contains(&"wof:1091691613"), "{:?}", ids(&l));
    // Its region and district come from the district outline that contains it.
    let sokuluk = gazetteer().by_id("geonames:1527360").unwrap();
    assert_eq!(
        (sokuluk.admin1.as_str(), sokuluk.admin2.as_str()),
        ("Chuy", "Sokuluk")
    );
}

#[test]
fn a_place_whose_sources_disagree_about_its_country_is_offered_under_both() {
    // The record of Dostuk (Batken district) says Tajikistan; its region, Batken, is
    // Kyrgyzstan's. Asked for in Kyrgyzstan, it was left out, and asked for in Batken region
    // of Kyrgyzstan it was not found; now it is a candidate under both countries, and every
    // description of it names both.
    let dostuk = "wof:1310608465";
    let l = ambiguous("Dostuk", &country("KG"));
    assert!(ids(&l).contains(&dostuk), "{:?}", ids(&l));
    matched("Dostuk", &country("KG").with_admin1("Batken"), dostuk);
    matched("Dostuk", &country("TJ"), dostuk);
    let g = gazetteer();
    let i = g.places().iter().position(|p| p.id == dostuk).unwrap();
    assert!(
        g.describe(i).contains("TJ or KG: the sources disagree"),
        "{}",
        g.describe(i)
    );
    let json = g.lookup_json(&lookup("Dostuk", &country("TJ")));
    assert_eq!(json["best"]["country"], "TJ");
    assert_eq!(json["best"]["region_country"], "KG");
    // A place whose sources agree has no such member.
    let json = g.lookup_json(&lookup("Vorukh", &Context::default()));
    assert!(json["best"].get("region_country").is_none(), "{json}");
    // Where the record's region is known to be wrong, name_corrections.toml sets it:
    // Shohimardon, the Uzbek exclave inside Batken region, and Quvasoy are Uzbek only.
    for id in ["wof:890452375", "wof:890443857"] {
        let p = g.by_id(id).unwrap();
        assert_eq!(
            (p.admin1.as_str(), p.region_country()),
            ("Ferghana", None),
            "{id}"
        );
    }
}

#[test]
fn towns_of_kyrgyzstan_and_tajikistan_beyond_the_reference_box_are_found() {
    // The reference bundle ends at 75.5° E and 37° N; GeoNames' cities500 rows of the two
    // countries beyond it are places too, with their region left unknown (the district
    // outlines end at the box).
    let tyup = matched("Tyup", &Context::default(), "geonames:1527121");
    let karakol = gazetteer().by_id("geonames:1528121").unwrap();
    assert_eq!((karakol.admin1.as_str(), karakol.admin2.as_str()), ("", ""));
    assert_eq!(tyup.candidates.len(), 1, "{:?}", ids(&tyup));
    // A town beyond the box takes nothing over the villages of that name within it, but it
    // is among the candidates: before, the answer did not hold the town at all.
    for (q, id) in [
        ("Naryn", "geonames:1527592"),
        ("Karakol", "geonames:1528121"),
    ] {
        let l = ambiguous(q, &Context::default());
        assert_eq!(ids(&l).first(), Some(&id), "{q}: {:?}", ids(&l));
    }
    // Ishkashim (Ishkoshim), below 37° N, is the town, not only its district.
    matched("Ishkashim", &Context::default(), "geonames:1221614");
}

#[test]
fn former_names_of_towns_beyond_the_field_are_found() {
    for (q, id, until) in [
        (
            "Kirovabad",
            "wof:421188311",
            "former name of Pianj (until 1963)",
        ),
        (
            "Mirzachul",
            "ne:1513966",
            "former name of Guliston (until 1961)",
        ),
        (
            "Dmitriyevskoye",
            "wof:421188271",
            "former name of Talas (until 1944)",
        ),
        (
            "Куйбышевск",
            "wof:421196459",
            "former name of Abdurahmoni Jomi (until 2012)",
        ),
    ] {
        let l = matched(q, &Context::default(), id);
        assert!(
            l.reason.starts_with(&format!("{q}: {until}")),
            "{}",
            l.reason
        );
    }
}

#[test]
fn places_renamed_since_soviet_times_bear_their_new_names_and_answer_to_the_old() {
    // geodata/sources/former_names.toml, each row cited there.
    for (q, id, says) in [
        (
            "Isfana",
            "wof:421178623",
            "Isfana: former name of Razzakov (until 2022)",
        ),
        (
            "Исфана",
            "wof:421178623",
            "Исфана: former name of Razzakov (until 2022)",
        ),
        (
            "Proletarsk",
            "wof:421203431",
            "Proletarsk: former name of Mehrobod (until 2016)",
        ),
        (
            "Przhevalsk",
            "geonames:1528121",
            "Przhevalsk: former name of Karakol (until 1991)",
        ),
        (
            "Ordzhonikidzeabad",
            "wof:421182033",
            "Ordzhonikidzeabad: former name of Vakhdat (until 1991)",
        ),
        (
            "FRU",
            "airport:UCFM",
            "FRU: former name of Manas International Airport (until 2025)",
        ),
        (
            "Qumsangir District",
            "wof:1091917135",
            "Qumsangir District: former name of Jayhun (until 2016)",
        ),
        (
            "Churbek",
            "wof:1293119763",
            "Churbek: former name of Uch-Bulak (until 2023)",
        ),
    ] {
        let l = matched(q, &Context::default(), id);
        assert!(l.reason.starts_with(says), "{q}: {}", l.reason);
    }
    matched("Razzakov", &Context::default(), "wof:421178623");
    matched("Үч-Булак", &Context::default(), "wof:1293119763");
    // The Isfara village of the September 2022 fighting, in the spellings reports use
    // (Chorqishloq in the reference data); "Chorkishlak" was also Churk-Kishlak in Hisor.
    for q in ["Chorkishlok", "Чоркишлок", "Chorkishlak", "Чоркишлак"] {
        let l = matched(q, &Context::default(), "wof:1360092657");
        assert_eq!(l.candidates[0].method, Method::Alternate, "{q}");
    }
    matched("Mehrobod", &Context::default(), "wof:421203431");
    // The villages of a renamed district are in it under its new name.
    let by_id = |id: &str| gazetteer().places().iter().find(|p| p.id == id).unwrap();
    assert_eq!(by_id("wof:421178615").admin2, "Dusti"); // Dzhilikul', Jilikul until 2016
    // A name that is a village's today and a town's former one is both ("Karavan": a village
    // of Nookat district, and Kerben until it was renamed).
    let l = ambiguous("Karavan", &Context::default());
    assert!(ids(&l).contains(&"wof:890438561"), "{:?}", ids(&l));
    assert!(ids(&l).contains(&"wof:1226450091"), "{:?}", ids(&l));
    // Natural Earth's "Leninobod" has no GeoNames id and sits at the round 39.75° N 69° E,
    // 80 km from Khujand: a placeholder, not a place.
    assert!(
        gazetteer()
            .places()
            .iter()
            .all(|p| p.id != "ne:0" && p.id != "ne:Leninobod")
    );
}

#[test]
fn the_pamir_highway_crossing_is_found_by_its_name_and_its_words() {
    // geodata/places_manual.toml: the Kyzyl-Art pass (English Wikipedia's coordinate), where
    // the Tajik post stands.
    for q in [
        "Kyzyl-Art",
        "Kyzylart Pass",
        "Kyzyl-Art checkpoint",
        "КПП Кызыл-Арт",
        "перевал Кызыл-Арт",
    ] {
        matched(q, &Context::default(), "bm-kyzyl-art");
    }
    // Asked for as a village, it is not one.
    let l = lookup("Kyzyl-Art village", &Context::default());
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
}

#[test]
fn an_area_that_bears_a_name_today_is_not_overruled_by_a_town_that_bore_it_once() {
    // Vose is a district, and the former name of the town in it: both are candidates.
    let l = ambiguous("Vose", &Context::default());
    assert!(ids(&l).contains(&"wof:1091918261"), "{:?}", ids(&l));
    assert!(ids(&l).contains(&"wof:421178609"), "{:?}", ids(&l));
    // Asked for by its word, each is one place.
    matched("Vose district", &Context::default(), "wof:1091918261");
    matched("Vose town", &Context::default(), "wof:421178609");
    // A town found by its current name is still taken over the areas named after it.
    matched("Isfara", &Context::default(), "wof:421193541");
}

#[test]
fn names_copied_onto_another_place_by_the_reference_data_are_corrected() {
    // Who's On First gave the town of Salor the city of Chirchiq's names
    // (geodata/sources/name_corrections.toml): Chirchik is one place again.
    for q in ["Chirchik", "Chirchiq", "Чирчик"] {
        matched(q, &Context::default(), "wof:421198751");
    }
    matched("Salor", &Context::default(), "wof:1125866639");
    // It gave a village in Ghonchi district Khujand's names: "Khodjent" has no rival there.
    // A neighbour's name in another spelling (Lailak, the Tajik Leilek, on Sulukta district)
    // and a surrounding district's names (Nooken's on Mailuu-Suu) made two districts.
    matched("Lailak", &Context::default(), "wof:1091690385");
    // It gave the Western Qal'acha enclave's Russian name to two villages called Kayragach,
    // one of them 260 km away in Khatlon.
    matched(
        "Западная Калача",
        &Context::default(),
        "enclave:western-qal-acha",
    );
    matched("Nooken District", &Context::default(), "wof:1091690981");
    let l = matched("Khodjent", &Context::default(), "wof:421175587");
    assert!(
        l.candidates.iter().all(|c| place(c).name != "Leninobod"),
        "{:?}",
        ids(&l)
    );
}

#[test]
fn records_that_the_reference_editors_flagged_are_neither_rivals_nor_answers() {
    // "Ay-Tamga (duplicate, please delete)" lies 160 m from an Ay-Tamga of Nookat district:
    // without its note it is that place, not a third Ay-Tamga.
    let l = ambiguous("Ay-Tamga", &Context::default());
    assert_eq!(ids(&l)[..2], ["wof:1260001943", "wof:1293903591"]);
    assert!(
        l.candidates.iter().all(|c| !place(c).name.contains('(')),
        "{:?}",
        ids(&l)
    );
    let twin = matched("Kypchak-Talaa", &Context::default(), "wof:1226657729");
    assert!(
        gazetteer()
            .place(twin.best().unwrap().place)
            .merged_ids
            .contains(&"wof:1259384743".to_string())
    );
    // "Bulak (Bulak = Source/Water, not inhabited, delete?)" is no place: "Bulak" finds none.
    let l = lookup("Bulak", &Context::default());
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
    assert!(
        gazetteer()
            .places()
            .iter()
            .all(|p| !p.name.contains("delete") && !p.id.ends_with(":1276562735")),
    );
    // Dushanbe's region is not Karategin, the historic region of the Rasht valley.
    let l = lookup("Karategin", &Context::default());
    assert!(!ids(&l).contains(&"wof:85678917"), "{:?}", ids(&l));
}

// ---------------------------------------------------------------- former names

#[test]
fn former_names_say_so() {
    for (q, id, until) in [
        (
            "Leninabad",
            "wof:421175587",
            "former name of Khujand (until 1991)",
        ),
        (
            "Ленинабад",
            "wof:421175587",
            "former name of Khujand (until 1991)",
        ),
        (
            "Frunze",
            "wof:421168899",
            "former name of Bishkek (until 1991)",
        ),
        (
            "Stalinabad",
            "wof:421187321",
            "former name of Dushanbe (until 1961)",
        ),
        (
            "Ura-Tyube",
            "wof:421201123",
            "former name of Istaravshan (until 2000)",
        ),
        (
            "Kurgan-Tyube",
            "wof:1125820273",
            "former name of Bokhtar (until 2018)",
        ),
    ] {
        // Kurgantepa in Uzbekistan shares the name: the country settles it.
        let ctx = if q == "Kurgan-Tyube" {
            country("TJ")
        } else {
            Context::default()
        };
        let l = matched(q, &ctx, id);
        assert!(
            l.reason.starts_with(&format!("{q}: {until}")),
            "{q}: {}",
            l.reason
        );
    }
    // The region: a region word asks for it.
    let l = matched("Ленинабадская область", &Context::default(), "wof:85678913");
    assert!(
        l.reason.contains("former name of Sughd (until 2000)"),
        "{}",
        l.reason
    );
    // Villages named after a city stay candidates, and context picks them.
    let l = lookup("Frunze", &Context::default());
    assert!(
        l.candidates
            .iter()
            .filter(|c| place(c).kind == PlaceKind::Village)
            .count()
            >= 2
    );
    let l = lookup("Frunze", &country("TJ"));
    assert!(
        l.best().is_none_or(|c| place(c).country == "TJ"),
        "{}",
        l.reason
    );
}

// ---------------------------------------------------------------- honest decisions

#[test]
fn tamdyk_is_never_taldyk() {
    let taldyk = gazetteer()
        .places()
        .iter()
        .find(|p| p.name == "Taldyk")
        .unwrap();
    for ctx in [
        Context::default(),
        country("KG"),
        near(&["Vorukh"]).with_admin1("Batken"),
    ] {
        let l = lookup("Tamdyk", &ctx);
        assert!(
            l.best().is_none_or(|c| place(c).id != taldyk.id),
            "{:?}: {}",
            ctx,
            l.reason
        );
        assert_ne!(l.status, Status::Matched, "{}", l.reason);
    }
}

#[test]
fn a_prefix_left_after_the_context_rules_the_name_out_is_not_the_answer() {
    // Vorukh is in Sughd; in Batken region only the Vorukh–Khojai A'lo road begins with
    // the name. The answer says that Vorukh lies elsewhere, and lists it.
    let l = lookup("Vorukh", &Context::default().with_admin1("Batken"));
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
    assert!(l.reason.contains("lies in region Batken"), "{}", l.reason);
    assert!(ids(&l).contains(&VORUKH), "{:?}", ids(&l));
}

#[test]
fn a_country_given_is_a_constraint() {
    // Isfana is in Kyrgyzstan: asked for in Tajikistan it is not found, and the reason
    // lists the Kyrgyz one.
    let l = lookup("Isfana", &country("TJ"));
    assert_eq!(l.status, Status::NotFound, "{}", l.reason);
    assert!(l.reason.contains("country TJ"), "{}", l.reason);
    assert_eq!(ids(&l).first(), Some(&ISFANA_TOWN));
    // Every answer lies in the country given.
    for q in ["Ak-Sai", "Kok-Tash", "Guliston", "Frunze", "Sokh"] {
        for cc in ["KG", "TJ", "UZ"] {
            let l = lookup(q, &country(cc));
            if let Some(c) = l.best() {
                assert_eq!(place(c).country, cc, "{q} in {cc}: {}", l.reason);
            }
        }
    }
    // A region or district given is a constraint too.
    let l = lookup("Ak-Sai", &Context::default().with_admin1("Chuy"));
    assert!(
        l.best().is_none_or(|c| place(c).admin1 == "Chuy"),
        "{}",
        l.reason
    );
}

#[test]
fn a_user_geonames_file_adds_no_rivals() {
    // Real places in GeoNames' layout, at their GeoNames positions: they merge with the
    // shipped records instead of becoming rivals of them.
    let path = util::fixture("places_geonames_dupes.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let extra = bordermap::gazetteer::parse_geonames(&path, &text)
        .unwrap()
        .places;
    let mut g = Gazetteer::shipped().unwrap();
    let n = g.len();
    let added = g.extend(extra);
    assert_eq!(g.len(), n, "every row is a place the gazetteer holds");
    assert_eq!((added.new, added.merged), (0, 4));
    for (q, ctx, id) in [
        ("Vorukh", Context::default(), VORUKH),
        ("Kok-Tash", near(&["Vorukh"]), KOK_TASH_BATKEN),
        ("Isfara", Context::default(), ISFARA_TOWN),
        ("Bishkek", Context::default(), "wof:421168899"),
    ] {
        matched_in(&g, q, &ctx, id);
    }
    let v = g.by_id("geonames:1220164").unwrap();
    assert_eq!(v.id, VORUKH);
    assert!(
        v.source.contains("GeoNames (places_geonames_dupes.tsv)"),
        "{}",
        v.source
    );
}

#[test]
fn real_geonames_rows_bring_back_no_wrong_name_and_no_rival_town() {
    // Seven rows of GeoNames' cities1000 dump, as published (see tests/fixtures/README.md).
    let path = util::fixture("geonames_cities1000_rows.tsv");
    let (g, notes) = bordermap::pipeline::gazetteer_with(&[path], 1 << 20).unwrap();
    // GeoNames gives Salor the name of Chirchiq, 20 km away; the shipped correction keeps it
    // out of the merged record, and the note says so.
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].contains("7 places: 0 new, 7 merged")
            && notes[0].contains(r#""Chirchik" for Salor (wof:1125866639)"#),
        "{}",
        notes[0]
    );
    let salor = g.by_id("geonames:1512934").unwrap();
    assert!(!salor.alternate_names.iter().any(|n| n == "Chirchik"));
    assert!(salor.alternate_names.iter().any(|n| n == "Salar"));
    // The seat of Talas district, of unknown population, is a village with the district of
    // the outline it lies in: no rival to the city of 35,000. (The shipped gazetteer has it
    // and the Uzbek town of Sirdaryo from GeoNames too: the file's records merge with them.)
    let seat = g.by_id("geonames:7649203").unwrap();
    assert_eq!(seat.kind, PlaceKind::Village);
    assert_eq!(
        (seat.admin1.as_str(), seat.admin2.as_str()),
        ("Talas", "Talas")
    );
    for (q, id) in [
        ("Chirchik", "wof:421198751"),
        ("Chirchiq", "wof:421198751"),
        ("Talas", "wof:421188271"),
        ("Isfana", ISFANA_TOWN),
        ("Salor", "wof:1125866639"),
    ] {
        matched_in(&g, q, &Context::default(), id);
    }
    // The Uzbek town (26,816 people in the file) takes nothing over the Tajik village of its
    // name: a town is what a bare name means over the villages of its own country only.
    let l = g.lookup("Sirdaryo", &Context::default());
    assert_eq!(l.status, Status::Ambiguous, "{}", l.reason);
    let ids = ids_in(&g, &l);
    assert_eq!(ids, ["geonames:1512770", "wof:1226755205"]);
    // A region given rules out a place of unknown region in another country: the Uzbek town
    // is no candidate in Sughd.
    let l = g.lookup("Sirdaryo", &Context::default().with_admin1("Sughd"));
    let ids = ids_in(&g, &l);
    assert_eq!(ids, ["wof:1226755205"], "{}", l.reason);
}

#[test]
fn uzbek_regions_are_known_by_their_places_names_for_them() {
    // The reference data has no Uzbek region as a place, but its places name theirs.
    let l = lookup("Oqtosh", &Context::default().with_admin1("Namangan"));
    assert_eq!(
        place(l.best().unwrap()).id,
        "wof:1259877351",
        "{}",
        l.reason
    );
    // The same region spelt otherwise, or in Russian: a constraint all the same.
    for region in [
        "Andijan",
        "Андижанская область",
        "Ферганская область",
        "Fergana",
    ] {
        let l = gazetteer().lookup("Oqtosh", &Context::default().with_admin1(region));
        assert_eq!(l.status, Status::NotFound, "{region}: {}", l.reason);
        assert!(
            l.reason.contains(&format!("lies in region {region}")),
            "{}",
            l.reason
        );
    }
    // An unknown region narrows nothing, and the answer says so.
    let l = gazetteer().lookup("Oqtosh", &Context::default().with_admin1("Nowhere"));
    assert_eq!(l.status, Status::Ambiguous);
    assert!(
        l.reason.ends_with(
            "the gazetteer knows no region \"Nowhere\", so it did not narrow the search"
        ),
        "{}",
        l.reason
    );
}

#[test]
fn places_beyond_the_covered_area_do_not_overrule_places_within_it() {
    // Five rows of GeoNames' cities1000 dump from far away, as published (see
    // tests/fixtures/README.md): Khulm (Afghanistan), formerly Tashkurgan; Nakhon Si
    // Thammarat, also "Lakon"; Oshkosh and Kimberley, whose airport codes OSH and KIM
    // GeoNames lists among their names; Auch, also "Osh".
    let path = util::fixture("geonames_cities1000_world_rows.tsv");
    let (g, _) = bordermap::pipeline::gazetteer_with(&[path], 1 << 20).unwrap();
    for (q, id) in [("Osh", "wof:421195751"), ("Kim village", "wof:890435955")] {
        matched_in(&g, q, &Context::default(), id);
    }
    for (q, village, far) in [
        ("Tash-Kurgan", "wof:1259989379", "geonames:1136575"),
        ("Таш-Курган", "wof:1259989379", "geonames:1136575"),
        ("Lakkon", "wof:1242585165", "geonames:1151933"),
    ] {
        let l = g.lookup(q, &Context::default());
        assert_eq!(l.status, Status::Ambiguous, "{q}: {}", l.reason);
        let ids = ids_in(&g, &l);
        assert!(ids.contains(&village) && ids.contains(&far), "{q}: {ids:?}");
    }
    let kimberley = g.by_id("geonames:990930").unwrap();
    assert!(!kimberley.alternate_names.iter().any(|n| n == "KIM"));
}

#[test]
fn bellingcats_village_names_find_the_villages_they_mapped() {
    // Bellingcat's own rows (tests/fixtures/README.md): each names its village by a slug
    // ("ak-sai", "chorkishlok") and gives the point of the damage it geolocated there. With
    // Batken as the report's other place, every slug is the village, within 3 km of every
    // one of its points; with no context, a name several villages share is ambiguous with
    // the village among the candidates, never another place.
    let path = util::fixture("bellingcat_tj_kg_sites.csv");
    let mut rows = csv::Reader::from_path(&path).unwrap();
    let g = gazetteer();
    let mut checked = 0;
    for row in rows.records() {
        let row = row.unwrap();
        let (slug, lat, lon) = (&row[1], row[2].parse().unwrap(), row[3].parse().unwrap());
        let site = bordermap::model::LonLat::new(lon, lat).unwrap();
        let km = |p: &Place| {
            use geo::{Distance, Geodesic};
            Geodesic.distance(p.position.point(), site.point()) / 1000.0
        };
        let l = g.lookup(slug, &near(&["Batken"]));
        assert_eq!(l.status, Status::Matched, "{slug}: {}", l.reason);
        let best = g.place(l.best().unwrap().place);
        assert!(
            km(best) <= 3.0,
            "{slug}: {} is {:.1} km away",
            best.name,
            km(best)
        );
        let bare = g.lookup(slug, &Context::default());
        match bare.status {
            Status::Matched => assert_eq!(g.place(bare.best().unwrap().place).id, best.id),
            _ => assert!(
                bare.candidates
                    .iter()
                    .any(|c| g.place(c.place).id == best.id),
                "{slug}: {}",
                bare.reason
            ),
        }
        checked += 1;
    }
    assert_eq!(checked, 14);
}

#[test]
fn the_fixture_geonames_place_is_found_in_its_country() {
    let path = util::fixture("places_geonames.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut g = Gazetteer::shipped().unwrap();
    g.extend(
        bordermap::gazetteer::parse_geonames(&path, &text)
            .unwrap()
            .places,
    );
    let l = matched_in(&g, "Xylotepa", &country("TJ"), "geonames:9990001");
    assert!(
        l.candidates
            .iter()
            .all(|c| g.place(c.place).country == "TJ")
    );
}
