//! Writes N synthetic ACLED-layout CSV rows, deterministically for a seed: the input of the
//! import benchmark (`bench/import.sh`).
//!
//! ```text
//! cargo run --release --example gen_import_csv -- N SEED OUT.csv
//! ```
//!
//! The 31 columns of an ACLED export (`event_id_cnty` … `timestamp`), with positions uniform
//! over the benchmark region (lon 68–74.5, lat 38.5–41.5), dates over 2010–2024 written as
//! ACLED does (`16 September 2022`), the event types the importer maps, two actors, a source
//! and a notes sentence of about 150 characters: about 560 bytes a row, 84 MB for 150,000.

use bordermap::model::MONTH_NAMES;
use std::io::{BufWriter, Write};

use bordermap::synthetic::SplitMix64 as Rng;

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

const TYPES: [(&str, &str); 5] = [
    ("Battles", "Armed clash"),
    (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Strategic developments", "Looting/property destruction"),
    ("Protests", "Peaceful protest"),
];

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(seed), Some(out)) = (
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
        args.get(2).and_then(|s| s.parse::<u64>().ok()),
        args.get(3),
    ) else {
        eprintln!("usage: gen_import_csv N SEED OUT.csv");
        std::process::exit(2);
    };
    let mut rng = Rng(seed);
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "{HEADER}")?;
    for i in 0..n {
        let (t, st) = TYPES[rng.below(TYPES.len())];
        let year = 2010 + rng.below(15);
        let month = rng.below(12);
        let day = 1 + rng.below(28);
        let lon = 68.0 + 6.5 * rng.f64();
        let lat = 38.5 + 3.0 * rng.f64();
        let (country, iso, cc) = if rng.below(2) == 0 {
            ("Kyrgyzstan", 417, "KGZ")
        } else {
            ("Tajikistan", 762, "TJK")
        };
        writeln!(
            w,
            "{cc}{i},{day} {} {year},{year},{},Political violence,{t},{st},Military Forces of Kyrgyzstan (2017-),,1,Military Forces of Tajikistan (1994-),,8,18,,{iso},Central Asia,{country},Batken,Batken,,Site {i},{lat:.4},{lon:.4},{},24.kg; AKIpress,National,\"On {day} {} {year}, border guards of the two countries exchanged fire near site {i}; the number of casualties was not reported by either side.\",{},,1600000000",
            MONTH_NAMES[month],
            1 + rng.below(3),
            1 + rng.below(3),
            MONTH_NAMES[month],
            rng.below(4),
        )?;
    }
    w.flush()
}
