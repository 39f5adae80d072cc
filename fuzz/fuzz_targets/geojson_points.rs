//! The GeoJSON reader: any bytes give checked point features or an error, never a panic;
//! every position it accepts is finite and in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.geojson");
    if let Ok(text) = bordermap::input::decode_text(path, data.to_vec()) {
        if let Ok(features) = bordermap::geojson_io::read_points(path, &text) {
            for f in features {
                if let Some(p) = f.position {
                    assert!(p.lon().is_finite() && p.lat().is_finite());
                    assert!((-180.0..=180.0).contains(&p.lon()));
                    assert!((-90.0..=90.0).contains(&p.lat()));
                }
            }
        }
    }
});
