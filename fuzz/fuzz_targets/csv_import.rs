//! The importer (UCDP GED, ACLED, any CSV with coordinates, GeoJSON): any bytes give
//! incidents, skipped rows with reasons, or an error, never a panic; every imported position
//! is finite and in range.
#![no_main]

use bordermap::Gazetteer;
use bordermap::import::{Options, import_text};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    let Ok(text) = bordermap::input::decode_text(path, data.to_vec()) else {
        return;
    };
    let gazetteer = Gazetteer::new(Vec::new());
    let opts = Options::default();
    if let Ok(imported) = import_text(path, &text, &opts, &gazetteer) {
        for r in &imported.records {
            if let Some(l) = &r.geocoded.location {
                let p = l.position;
                assert!((-180.0..=180.0).contains(&p.lon()) && (-90.0..=90.0).contains(&p.lat()));
            }
        }
    }
});
