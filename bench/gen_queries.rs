//! Writes batch query CSVs for `bordermap near --queries`, deterministically for a seed.
//!
//! ```text
//! cargo run --release --example gen_queries -- NQ SEED PREFIX
//! cargo run --release --example gen_queries -- NQ SEED PREFIX AROUND.geojson
//! ```
//!
//! Without `AROUND`: `PREFIX-radius.csv` (`id,lat,lon,radius_km`, NQ points with a 10 km
//! radius) and `PREFIX-knn.csv` (`id,lat,lon,k`, NQ points with k = 10), at positions drawn
//! uniformly over the benchmark region (lon 68–74.5, lat 38.5–41.5).
//!
//! With `AROUND` (an incidents file, say the 10k one): the heavier, realistic mix. A quarter
//! of the query points are uniform over the region; each of the others is the position of an
//! incident of that file picked at random, moved by a Gaussian of 2 km, so that most queries
//! cluster where incidents do (around the towns); radii
//! are log-uniform-like between 0.5 and 25 km with a median of about 3.7 km
//! (`0.5 km · 50^(u^0.96)`, `u` uniform); k = 10 for the k-nearest file.
//!
//! Two files, because `near` wants a default `--radius-km` or `--nearest` even when every
//! row has its own, and a default radius would turn the kNN rows into "k nearest within the
//! radius". Positions have 6 decimals, so every reader sees the same numbers.

use std::io::{BufWriter, Write};
use std::path::Path;

const REGION: [f64; 4] = [68.0, 38.5, 74.5, 41.5];
/// Standard deviation (km) of the shift of a query point from the incident it is drawn at.
const JITTER_KM: f64 = 2.0;
/// Share of the heavy mix's query points drawn uniformly over the region instead.
const UNIFORM_SHARE: f64 = 0.25;

/// A uniform number in [0, 1) from the generator whose state is `state`.
fn splitmix(state: &mut u64) -> f64 {
    let mut rng = bordermap::synthetic::SplitMix64(*state);
    let x = rng.f64();
    *state = rng.0;
    x
}

/// A standard normal deviate (Box–Muller).
fn normal(state: &mut u64) -> f64 {
    let u = 1.0 - splitmix(state);
    let v = splitmix(state);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// One query: (lat, lon, radius_km).
type Point = (f64, f64, f64);

fn uniform(nq: usize, state: &mut u64) -> Vec<Point> {
    (0..nq)
        .map(|_| {
            let lon = REGION[0] + (REGION[2] - REGION[0]) * splitmix(state);
            let lat = REGION[1] + (REGION[3] - REGION[1]) * splitmix(state);
            (lat, lon, 10.0)
        })
        .collect()
}

fn around(
    nq: usize,
    state: &mut u64,
    file: &Path,
) -> Result<Vec<Point>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(file)?;
    let feats = bordermap::geojson_io::read_points(file, &text)?;
    let pts: Vec<_> = feats.iter().filter_map(|f| f.position).collect();
    if pts.is_empty() {
        return Err("no located incidents in the AROUND file".into());
    }
    let mut out = Vec::with_capacity(nq);
    while out.len() < nq {
        let p = pts[((splitmix(state) * pts.len() as f64) as usize).min(pts.len() - 1)];
        let (lat, lon) = if splitmix(state) < UNIFORM_SHARE {
            let lon = REGION[0] + (REGION[2] - REGION[0]) * splitmix(state);
            (REGION[1] + (REGION[3] - REGION[1]) * splitmix(state), lon)
        } else {
            let dlon = JITTER_KM * normal(state) / (111.32 * p.lat().to_radians().cos());
            (p.lat() + JITTER_KM * normal(state) / 111.0, p.lon() + dlon)
        };
        let radius = 0.5 * 50f64.powf(splitmix(state).powf(0.96));
        if (REGION[0]..=REGION[2]).contains(&lon) && (REGION[1]..=REGION[3]).contains(&lat) {
            out.push((lat, lon, (radius * 1000.0).round() / 1000.0));
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (nq, seed, prefix, source) = match args.as_slice() {
        [_, nq, seed, prefix] => (nq, seed, prefix, None),
        [_, nq, seed, prefix, file] => (nq, seed, prefix, Some(Path::new(file))),
        _ => return Err("usage: gen_queries NQ SEED PREFIX [AROUND.geojson]".into()),
    };
    let nq: usize = nq.parse()?;
    let mut state: u64 = seed.parse::<u64>()? ^ 0x5155_4552_5953; // not the incidents' stream
    for (kind, column) in [("radius", "radius_km"), ("knn", "k")] {
        let points = match source {
            None => uniform(nq, &mut state),
            Some(file) => around(nq, &mut state, file)?,
        };
        let mut w = BufWriter::new(std::fs::File::create(format!("{prefix}-{kind}.csv"))?);
        writeln!(w, "id,lat,lon,{column}")?;
        let tag = &kind[..1];
        for (i, (lat, lon, radius_km)) in points.into_iter().enumerate() {
            let value = if kind == "knn" { 10.0 } else { radius_km };
            writeln!(w, "{tag}{i:05},{lat:.6},{lon:.6},{value}")?;
        }
        w.flush()?;
    }
    eprintln!("wrote {prefix}-radius.csv and {prefix}-knn.csv");
    Ok(())
}
