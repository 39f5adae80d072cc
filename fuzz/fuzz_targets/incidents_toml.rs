//! The incidents-file reader: any bytes give incidents or a located error, never a panic;
//! every incident's fatality range is consistent (low ≤ best ≤ high where known; no upper
//! bound only when it is open or nothing is known).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.toml");
    if let Ok(text) = bordermap::input::decode_text(path, data.to_vec()) {
        if let Ok(file) = bordermap::input::parse_incidents(path, &text) {
            for inc in &file.incidents {
                let f = inc.fatalities();
                if let (Some(low), Some(high)) = (f.low, f.high) {
                    assert!(low <= high);
                    if let Some(best) = f.best {
                        assert!(low <= best && best <= high);
                    }
                }
                if f.high.is_none() {
                    assert!(f.high_open || f.low.is_none());
                }
            }
        }
    }
});
