//! Writes N synthetic incidents as a GeoJSON FeatureCollection, deterministically for a seed.
//!
//! ```text
//! cargo run --release --example gen_incidents -- N SEED OUT.geojson
//! ```
//!
//! Positions fall in the benchmark region (lon 68–74.5, lat 38.5–41.5). A
//! [`BACKGROUND_SHARE`] of them is uniform over the region; the rest cluster around the
//! gazetteer's towns in that region (`geodata/gazetteer.csv`, `kind = town`), each town
//! drawing incidents in proportion to the square root of its population, with a Gaussian
//! spread of 1.5–6 km that is fixed per town.
//!
//! Properties are a subset of the columns of `output/incidents.geojson` (the ones the query
//! formats and filters read, plus the fatality estimates and the geocoding status), with
//! short values, so that a feature takes about 350 bytes: the full 42 columns of the shipped
//! file would make the 1M file about 1.1 GB, beyond the default `--max-input-mb`.
//! The file is written like [`bordermap::geojson_io::feature_collection`]: one Feature per
//! line, positions rounded to 6 decimals.

use bordermap::EventType;
use bordermap::geojson_io::round6;
use std::io::{BufWriter, Write};

/// The benchmark region, `[west, south, east, north]`.
const REGION: [f64; 4] = [68.0, 38.5, 74.5, 41.5];
/// Share of incidents drawn uniformly over the region instead of around a town.
const BACKGROUND_SHARE: f64 = 0.10;

/// The library's SplitMix64, with the two draws this generator adds to it.
struct Rng(bordermap::synthetic::SplitMix64);

impl Rng {
    fn f64(&mut self) -> f64 {
        self.0.f64()
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        self.0.range(lo, hi)
    }
    /// A whole number in `0..n`, from a uniform number (not the library's modulo).
    fn below(&mut self, n: usize) -> usize {
        (self.f64() * n as f64) as usize % n.max(1)
    }
    /// A standard normal deviate (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.f64();
        let v = self.f64();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

struct Town {
    name: String,
    lon: f64,
    lat: f64,
    sigma_km: f64,
}

fn towns(rng: &mut Rng) -> Result<(Vec<Town>, Vec<f64>), Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/geodata/gazetteer.csv");
    let mut r = csv::Reader::from_path(path)?;
    let h = r.headers()?.clone();
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .ok_or(format!("no column {n}"))
    };
    let (cn, ck, clat, clon, cpop) = (
        col("name")?,
        col("kind")?,
        col("lat")?,
        col("lon")?,
        col("population")?,
    );
    let mut out = Vec::new();
    let mut weights = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        if &rec[ck] != "town" {
            continue;
        }
        let (lat, lon): (f64, f64) = (rec[clat].parse()?, rec[clon].parse()?);
        if !(REGION[0]..=REGION[2]).contains(&lon) || !(REGION[1]..=REGION[3]).contains(&lat) {
            continue;
        }
        let pop: f64 = rec[cpop].parse().unwrap_or(0.0);
        weights.push(pop.max(1000.0).sqrt());
        out.push(Town {
            name: rec[cn].to_string(),
            lon,
            lat,
            sigma_km: rng.range(1.5, 6.0),
        });
    }
    if out.is_empty() {
        return Err("no towns in the region".into());
    }
    // cumulative weights for sampling
    let mut acc = 0.0;
    for w in &mut weights {
        acc += *w;
        *w = acc;
    }
    Ok((out, weights))
}

fn date(days: i64) -> String {
    bordermap::Date::from_days(days).to_string()
}

const VERBS: [&str; 10] = [
    "Clash",
    "Shelling",
    "Drone strike",
    "Incursion",
    "Arson",
    "Road blocked",
    "Evacuation",
    "Ceasefire",
    "Agreement",
    "Incident",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, n, seed, out] = args.as_slice() else {
        return Err("usage: gen_incidents N SEED OUT.geojson".into());
    };
    let n: usize = n.parse()?;
    let seed: u64 = seed.parse()?;
    let mut rng = Rng(bordermap::synthetic::SplitMix64(seed));
    let (towns, cum) = towns(&mut rng)?;
    let total = cum.last().copied().unwrap_or(1.0);
    let file = std::fs::File::create(out)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let (mut west, mut south, mut east, mut north) = (180.0f64, 90.0f64, -180.0f64, -90.0f64);
    let mut body = Vec::with_capacity(n * 360);
    let start = 14_610; // 2010-01-01
    let span = 5_479; // to 2024-12-31
    for i in 0..n {
        let (lon, lat, town) = if rng.f64() < BACKGROUND_SHARE {
            let lon = rng.range(REGION[0], REGION[2]);
            let lat = rng.range(REGION[1], REGION[3]);
            // the nearest town names the background incident
            let t = towns
                .iter()
                .min_by(|a, b| {
                    let da = (a.lon - lon).powi(2) + (a.lat - lat).powi(2);
                    let db = (b.lon - lon).powi(2) + (b.lat - lat).powi(2);
                    da.total_cmp(&db)
                })
                .unwrap_or(&towns[0]);
            (lon, lat, t)
        } else {
            let x = rng.f64() * total;
            let t = &towns[cum.partition_point(|c| *c < x).min(towns.len() - 1)];
            loop {
                let dy = rng.normal() * t.sigma_km / 111.0;
                let dx = rng.normal() * t.sigma_km / (111.32 * t.lat.to_radians().cos());
                let (lon, lat) = (t.lon + dx, t.lat + dy);
                if (REGION[0]..=REGION[2]).contains(&lon) && (REGION[1]..=REGION[3]).contains(&lat)
                {
                    break (lon, lat, t);
                }
            }
        };
        let (lon, lat) = (round6(lon), round6(lat));
        west = west.min(lon);
        east = east.max(lon);
        south = south.min(lat);
        north = north.max(lat);
        let ty = rng.below(EventType::ALL.len());
        let event = EventType::ALL[ty].as_str();
        let d0 = start + rng.below(span) as i64;
        let d1 = d0 + [0, 0, 0, 1, 2, 3][rng.below(6)];
        let (precision, status) = match rng.below(10) {
            0 => ("month", "district"),
            1 => ("year", "matched"),
            _ => ("day", "matched"),
        };
        let best = if ty < 5 {
            rng.below(4) * rng.below(4)
        } else {
            0
        };
        let low = best.saturating_sub(rng.below(2));
        let high = best + rng.below(3);
        let id = format!("syn{seed}-{i:07}");
        write!(
            body,
            ",\n{{\"type\":\"Feature\",\"id\":\"{id}\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}},\
             \"properties\":{{\"id\":\"{id}\",\"title\":\"{verb} near {town}\",\
             \"date_start\":\"{ds}\",\"date_end\":\"{de}\",\"date_precision\":\"{precision}\",\
             \"event_type\":\"{event}\",\
             \"fatalities_low\":{low},\"fatalities_best\":{best},\"fatalities_high\":{high},\
             \"geo_status\":\"{status}\"}}}}",
            verb = VERBS[ty],
            town = town.name,
            ds = date(d0),
            de = date(d1),
        )?;
    }
    write!(
        w,
        "{{\"type\":\"FeatureCollection\",\"bbox\":[{west},{south},{east},{north}],\"features\":["
    )?;
    // the first feature follows "[" with a newline, the others with ",\n"
    let body = body.get(1..).unwrap_or_default();
    w.write_all(body)?;
    w.write_all(b"\n]}\n")?;
    w.flush()?;
    eprintln!("wrote {n} incidents to {out}");
    Ok(())
}
