//! The geocoding benchmark: how often a name is found, and how often a wrong place is
//! returned as a match, on a test set built from public sources (`bench/geocode/testset.csv`,
//! made by `bench/geocode/make_testset.py`; see `bench/geocode/README.md`); then lookup latency
//! and gazetteer load time on the shipped gazetteer and on a synthetic 8× one.
//!
//! ```text
//! cargo run --release --example geocode_bench [-- [--list] [TESTSET.csv]]
//! ```
//!
//! A lookup *finds* the place when it is matched within 3 km of the expected point; it is
//! *silently wrong* when it is matched more than 3 km away. Ambiguous and not-found answers
//! are neither: they say that they did not find it. Every lookup is made with no context. For
//! the ambiguous answers, the benchmark also counts how many list the right place among
//! their candidates (a user who adds a region or a nearby place then gets it).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark, not library code

use bordermap::Gazetteer;
use bordermap::gazetteer::{Context, Place, Status};
use bordermap::model::LonLat;
use geo::{Distance, Geodesic};
use std::collections::BTreeMap;
use std::time::Instant;

// The allocator of the `bordermap` binary, so that load times are those a command sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Row {
    place: String,
    place_kind: String,
    query: String,
    name_kind: String,
    script: String,
    expected: LonLat,
}

fn read(path: &str) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let lat: f64 = rec[5].parse().unwrap();
            let lon: f64 = rec[6].parse().unwrap();
            Row {
                place: rec[0].to_string(),
                place_kind: rec[1].to_string(),
                query: rec[2].to_string(),
                name_kind: rec[3].to_string(),
                script: rec[4].to_string(),
                expected: LonLat::new(lon, lat).unwrap(),
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Tally {
    n: usize,
    found: usize,
    wrong: usize,
}

impl Tally {
    fn cell(&self) -> String {
        let pct = |k: usize| 100.0 * k as f64 / self.n.max(1) as f64;
        format!(
            "{:>3}/{:<3} ({:>5.1}%) | {:>2} ({:.1}%)",
            self.found,
            self.n,
            pct(self.found),
            self.wrong,
            pct(self.wrong)
        )
    }
}

fn accuracy(g: &Gazetteer, rows: &[Row], list: bool) {
    let mut by: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    // Ambiguous answers, and those among them that list the right place.
    let (mut ambiguous, mut with_truth) = (0, 0);
    for r in rows {
        let l = g.lookup(&r.query, &Context::default());
        if l.status == Status::Ambiguous {
            ambiguous += 1;
            with_truth += usize::from(l.candidates.iter().any(|c| {
                Geodesic.distance(g.place(c.place).position.point(), r.expected.point()) <= 3000.0
            }));
        }
        let d = l.best().map(|c| {
            Geodesic.distance(g.place(c.place).position.point(), r.expected.point()) / 1000.0
        });
        let found = d.is_some_and(|d| d <= 3.0);
        let wrong = d.is_some_and(|d| d > 3.0);
        for t in [
            by.entry((r.name_kind.clone(), r.script.clone()))
                .or_default(),
            by_kind.entry(r.place_kind.clone()).or_default(),
            &mut all,
        ] {
            t.n += 1;
            t.found += usize::from(found);
            t.wrong += usize::from(wrong);
        }
        if list && !found {
            let got = l.best().map_or(String::new(), |c| g.describe(c.place));
            println!(
                "{:<10} {:<32} {:<34} {:<10} {} {}",
                if wrong { "WRONG" } else { l.status.as_str() },
                r.query,
                r.place,
                r.place_kind,
                got,
                d.map_or(String::new(), |d| format!("{d:.1} km"))
            );
        }
    }
    println!("\n| name kind | script | found within 3 km | silently wrong |");
    println!("|---|---|---:|---:|");
    for ((k, s), t) in &by {
        println!("| {k} | {s} | {} |", t.cell());
    }
    println!("| **all** | | {} |", all.cell());
    println!(
        "\nambiguous: {ambiguous}, of which {with_truth} list the right place (within 3 km) among their candidates"
    );
    println!("\n| place kind | found within 3 km | silently wrong |");
    println!("|---|---:|---:|");
    for (k, t) in &by_kind {
        println!("| {k} | {} |", t.cell());
    }
}

/// A synthetic gazetteer `factor` times the size: copies of every place, moved and renamed
/// so that they neither merge with nor shadow the originals.
fn scaled(g: &Gazetteer, factor: usize) -> Vec<Place> {
    const SUFFIX: [&str; 9] = [
        "", "-Bolo", "-Poyon", "abad", "-Say", "kent", "-Tepa", "ovka", "-Bulak",
    ];
    let mut out = Vec::with_capacity(g.len() * factor);
    for (k, suffix) in SUFFIX.iter().enumerate().take(factor) {
        for p in g.places() {
            let mut q = p.clone();
            if k > 0 {
                q.id = format!("{}#{k}", p.id);
                q.name = format!("{}{suffix}", p.name);
                q.alternate_names = p
                    .alternate_names
                    .iter()
                    .map(|a| format!("{a}{suffix}"))
                    .collect();
                let lon = (p.position.lon() + 0.37 * k as f64).min(179.0);
                q.position = LonLat::new(lon, p.position.lat()).unwrap();
            }
            out.push(q);
        }
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn latency(g: &Gazetteer, rows: &[Row], label: &str, list: bool) {
    let mut times = Vec::new();
    let mut slowest: Vec<(f64, &str)> = Vec::new();
    for _ in 0..5 {
        for r in rows {
            let t = Instant::now();
            std::hint::black_box(g.lookup(&r.query, &Context::default()));
            let us = t.elapsed().as_secs_f64() * 1e6;
            times.push(us);
            slowest.push((us, &r.query));
        }
    }
    if list {
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (us, q) in slowest.iter().take(8) {
            println!("  slow ({label}): {us:.0} µs {q}");
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "| {label} | {} | {:.0} µs | {:.0} µs | {:.0} µs |",
        g.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let list = args.iter().any(|a| a == "--list");
    // `--gazetteer FILE`: a user's gazetteer (a GeoNames dump, say) added to the shipped one,
    // as `locate --gazetteer` adds it; the accuracy tables are then made on both together.
    let extra = args
        .iter()
        .position(|a| a == "--gazetteer")
        .map(|i| args.get(i + 1).expect("--gazetteer needs a file").clone());
    let path = args
        .iter()
        .enumerate()
        .find(|&(i, a)| !a.starts_with("--") && (i == 0 || args[i - 1] != "--gazetteer"))
        .map_or("bench/geocode/testset.csv", |(_, a)| a.as_str());
    let rows = read(path);

    // The load alone: each gazetteer is dropped after its timing.
    let time_loads = |n: usize, load: &dyn Fn() -> Gazetteer| {
        let mut times: Vec<f64> = (0..n)
            .map(|_| {
                let t = Instant::now();
                let g = load();
                let ms = t.elapsed().as_secs_f64() * 1e3;
                drop(g);
                ms
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[n / 2]
    };
    let load = time_loads(9, &|| Gazetteer::shipped().unwrap());
    let build = time_loads(5, &|| {
        Gazetteer::from_shipped_sources(bordermap::shipped::GAZETTEER_CSV).unwrap()
    });
    let g = Gazetteer::shipped().unwrap();
    println!(
        "test set: {} queries of {} places",
        rows.len(),
        rows.iter()
            .map(|r| (&r.place, &r.place_kind))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    if let Some(file) = &extra {
        let (with, notes) = bordermap::pipeline::gazetteer_with(&[file.into()], u64::MAX).unwrap();
        println!(
            "\nwith {file} added (the gazetteer grows from {} to {} places)",
            g.places().len(),
            with.places().len()
        );
        for note in notes {
            println!("note: {note}");
        }
        accuracy(&with, &rows, list);
        println!("\nthe shipped gazetteer alone:");
    }
    accuracy(&g, &rows, list);

    let big_places = scaled(&g, 8);
    let mut big_loads = Vec::new();
    let mut big = Gazetteer::default();
    for _ in 0..3 {
        let places = big_places.clone();
        let t = Instant::now();
        big = Gazetteer::new(places);
        big_loads.push(t.elapsed().as_secs_f64() * 1e3);
    }
    big_loads.sort_by(f64::total_cmp);
    println!("\n| gazetteer | places | lookup median | p99 | max |");
    println!("|---|---:|---:|---:|---:|");
    latency(&g, &rows, "shipped (1×)", list);
    latency(&big, &rows, "synthetic 8×", list);
    if list {
        let path = std::path::Path::new("geodata/gazetteer.csv");
        let t = Instant::now();
        let places =
            bordermap::gazetteer::parse_csv(path, bordermap::shipped::GAZETTEER_CSV).unwrap();
        let parse = t.elapsed().as_secs_f64() * 1e3;
        let names: Vec<String> = places
            .iter()
            .flat_map(|p| std::iter::once(&p.name).chain(&p.alternate_names))
            .cloned()
            .collect();
        let t = Instant::now();
        names.iter().for_each(|n| {
            std::hint::black_box(bordermap::names::fold(n));
        });
        let fold = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        names.iter().for_each(|n| {
            std::hint::black_box(bordermap::names::skeleton(n));
        });
        let skel = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        std::hint::black_box(Gazetteer::new(places));
        let build = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "load breakdown: parse {parse:.1} ms, index {build:.1} ms ({} names: fold {fold:.1} ms, skeleton {skel:.1} ms)",
            names.len()
        );
    }
    println!(
        "\nload: shipped gazetteer (read from geodata/gazetteer.bin) median {load:.1} ms; \
         built from its sources (parse + merge + index) median {build:.1} ms; \
         8× index build median {:.1} ms",
        big_loads[big_loads.len() / 2]
    );
}
