//! The incidents-file reader: any bytes give incidents or a located error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.toml");
    if let Ok(text) = bordermap::input::decode_text(path, data.to_vec()) {
        if let Ok(file) = bordermap::input::parse_incidents(path, &text) {
            for inc in &file.incidents {
                let f = inc.fatalities();
                assert!(f.low <= f.high);
            }
        }
    }
});
