//! Writes a batch query CSV for `bordermap near --queries`: NQ radius queries (10 km) and NQ
//! k-nearest queries (k = 10) at positions drawn uniformly over the benchmark region
//! (lon 68–74.5, lat 38.5–41.5), deterministically for a seed.
//!
//! ```text
//! cargo run --release --example gen_queries -- NQ SEED PREFIX
//! ```
//!
//! writes `PREFIX-radius.csv` (`id,lat,lon,radius_km`, for `--radius-km 10`) and
//! `PREFIX-knn.csv` (`id,lat,lon,k`, for `--nearest 10`). Two files, because `near` wants a
//! default `--radius-km` or `--nearest` even when every row has its own, and a default radius
//! would turn the kNN rows into "k nearest within the radius". Positions have 6 decimals, so
//! every reader sees the same numbers.

use std::io::{BufWriter, Write};

const REGION: [f64; 4] = [68.0, 38.5, 74.5, 41.5];

fn splitmix(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, nq, seed, prefix] = args.as_slice() else {
        return Err("usage: gen_queries NQ SEED PREFIX".into());
    };
    let nq: usize = nq.parse()?;
    let mut state: u64 = seed.parse::<u64>()? ^ 0x5155_4552_5953; // not the incidents' stream
    for (kind, column, value) in [("radius", "radius_km", 10), ("knn", "k", 10)] {
        let mut w = BufWriter::new(std::fs::File::create(format!("{prefix}-{kind}.csv"))?);
        writeln!(w, "id,lat,lon,{column}")?;
        let tag = &kind[..1];
        for i in 0..nq {
            let lon = REGION[0] + (REGION[2] - REGION[0]) * splitmix(&mut state);
            let lat = REGION[1] + (REGION[3] - REGION[1]) * splitmix(&mut state);
            writeln!(w, "{tag}{i:05},{lat:.6},{lon:.6},{value}")?;
        }
        w.flush()?;
    }
    eprintln!("wrote {prefix}-radius.csv and {prefix}-knn.csv");
    Ok(())
}
