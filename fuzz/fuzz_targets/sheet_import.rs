//! The importer's front door for files of any kind: spreadsheets (xlsx, xls, ods, known by
//! their first bytes), delimiter sniffing (`,` `;` tab `|`, `sep=`), decimal commas and HXL
//! rows. Any bytes give incidents, skipped rows with reasons, or an error, never a panic;
//! every imported position is finite and in range.
#![no_main]

use bordermap::Gazetteer;
use bordermap::import::{Options, import_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let gazetteer = Gazetteer::new(Vec::new());
    let opts = Options::default();
    if let Ok(imported) = import_bytes(Path::new("fuzz.xlsx"), data.to_vec(), &opts, &gazetteer) {
        for r in &imported.records {
            if let Some(l) = &r.geocoded.location {
                let p = l.position;
                assert!((-180.0..=180.0).contains(&p.lon()) && (-90.0..=90.0).contains(&p.lat()));
            }
        }
    }
});
