//! The FlatGeobuf reader: any bytes, read whole and through the index for two boxes, give
//! checked point features or an error naming the file, never a panic or an endless read;
//! every position it accepts is in range, and a box search keeps only positions in its boxes.
#![no_main]

use bordermap::fgb_input::FgbFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("bordermap-fuzz-{}.fgb", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let boxes = [[69.0, 39.0, 72.0, 41.0], [179.0, -10.0, 180.0, 10.0]];
    let whole = FgbFile::open(&path).and_then(|mut f| f.read_all(u64::MAX, true));
    let boxed = FgbFile::open(&path).and_then(|mut f| f.read_boxes(&boxes, true));
    for answer in [&whole, &boxed] {
        match answer {
            Ok(features) => {
                for f in features {
                    if let Some(p) = f.position {
                        assert!((-180.0..=180.0).contains(&p.lon()));
                        assert!((-90.0..=90.0).contains(&p.lat()));
                    }
                }
            }
            Err(e) => assert!(e.to_string().contains("bordermap-fuzz-")),
        }
    }
    if let Ok(features) = &boxed {
        for p in features.iter().filter_map(|f| f.position) {
            assert!(boxes.iter().any(|b| b[0] <= p.lon()
                && p.lon() <= b[2]
                && b[1] <= p.lat()
                && p.lat() <= b[3]));
        }
    }
});
