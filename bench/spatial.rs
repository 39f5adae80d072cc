//! The spatial benchmark (`cargo bench --bench spatial -- FILE...`): for each GeoJSON file,
//! in a fresh process so that peak memory is its own,
//!
//! * **load**: read the file, parse it ([`read_points`]) and build the [`Dataset`] with its
//!   index — wall time, and peak RSS (`VmHWM`) against the file size;
//! * **radius**: [`Dataset::near`] with a 10 km radius around each of [`QUERIES`] positions
//!   drawn uniformly over the region — median, p90 and mean time per query, and the mean
//!   number of results (each result costs one exact geodesic distance);
//! * **knn**: [`Dataset::near`] with k = 10 around the same positions — median, p90, mean.
//!
//! Each query is timed on its own with [`Instant`], after one untimed warm-up pass. The
//! output is a markdown table; `--one FILE` prints one row as `key=value` pairs (what the
//! child processes do).
//!
//! The load is measured as `bordermap near --input` does it ([`read_text`], then
//! [`read_points`], which copies each feature's properties out of the text, then the text is
//! dropped), and again with [`read_points_owned`], which keeps the text and shares it with
//! the features instead (second table). CPU seconds (user + system) are given next to the
//! wall time, as the machine may be shared.

use bordermap::LonLat;
use bordermap::geojson_io::{read_points, read_points_owned};
use bordermap::input::read_text;
use bordermap::query::{Dataset, Filter};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Number of query positions for each kind of query.
const QUERIES: usize = 2000;
/// The benchmark region, `[west, south, east, north]`.
const REGION: [f64; 4] = [68.0, 38.5, 74.5, 41.5];

fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn positions(seed: u64, n: usize) -> Vec<LonLat> {
    let mut rng = bordermap::synthetic::SplitMix64(seed);
    let mut next = move || rng.f64();
    (0..n)
        .filter_map(|_| {
            let lon = REGION[0] + (REGION[2] - REGION[0]) * next();
            let lat = REGION[1] + (REGION[3] - REGION[1]) * next();
            LonLat::new(lon, lat).ok()
        })
        .collect()
}

struct Stats {
    median: f64,
    p90: f64,
    mean: f64,
}

fn stats(mut t: Vec<Duration>) -> Stats {
    t.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let n = t.len().max(1);
    Stats {
        median: t.get(n / 2).map_or(0.0, |d| us(*d)),
        p90: t.get(n * 9 / 10).map_or(0.0, |d| us(*d)),
        mean: t.iter().map(|d| us(*d)).sum::<f64>() / n as f64,
    }
}

fn time_queries(qs: &[LonLat], mut f: impl FnMut(LonLat) -> usize) -> (Stats, f64) {
    for q in qs {
        std::hint::black_box(f(*q));
    }
    let mut times = Vec::with_capacity(qs.len());
    let mut results = 0usize;
    for q in qs {
        let t = Instant::now();
        let n = std::hint::black_box(f(*q));
        times.push(t.elapsed());
        results += n;
    }
    (stats(times), results as f64 / qs.len().max(1) as f64)
}

/// CPU seconds (user + system) of this process so far.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // the fields after the command name, which is in parentheses
    let rest = stat.rsplit_once(')').map_or("", |r| r.1);
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    f.iter().sum::<f64>() / 100.0 // clock ticks: 100 per second on Linux
}

/// Measures one file; prints `key=value` pairs on one line.
fn one(path: &Path, owned: bool) -> Result<(), String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let rss0 = vm_kib("VmRSS:");
    let (t0, c0) = (Instant::now(), cpu_s());
    let text = read_text(path, u64::MAX / 2).map_err(|e| e.to_string())?;
    let t_read = t0.elapsed();
    let features = if owned {
        read_points_owned(path, text)
    } else {
        read_points(path, &text)
    }
    .map_err(|e| e.to_string())?;
    let t_parse = t0.elapsed();
    let d = Dataset::new(features, &Filter::default());
    let t_load = t0.elapsed();
    let load_cpu = cpu_s() - c0;
    let hwm = vm_kib("VmHWM:");
    if owned {
        println!(
            "n={} file_mb={:.1} read_s={:.3} parse_s={:.3} index_s={:.3} load_s={:.3} load_cpu_s={:.2} peak_mb={:.1}",
            d.features.len(),
            size as f64 / 1e6,
            t_read.as_secs_f64(),
            (t_parse - t_read).as_secs_f64(),
            (t_load - t_parse).as_secs_f64(),
            t_load.as_secs_f64(),
            load_cpu,
            hwm as f64 * 1024.0 / 1e6,
        );
        return Ok(());
    }
    let qs = positions(0xB0D3, QUERIES);
    let mut counts = Vec::with_capacity(qs.len());
    let (radius, mean_hits) = time_queries(&qs, |q| {
        let n = d.near(q, Some(10_000.0), None).len();
        counts.push(n);
        n
    });
    counts.sort_unstable();
    // (the warm-up pass counted too: the same counts twice, so the same median)
    let median_hits = counts.get(counts.len() / 2).copied().unwrap_or(0);
    let (knn, _) = time_queries(&qs, |q| d.near(q, None, Some(10)).len());
    println!(
        "n={} file_mb={:.1} read_s={:.3} parse_s={:.3} index_s={:.3} load_s={:.3} load_cpu_s={:.2} \
         peak_mb={:.1} base_mb={:.1} radius_median_hits={} radius_med_us={:.2} radius_p90_us={:.2} radius_mean_us={:.2} \
         radius_hits={:.1} knn_med_us={:.2} knn_p90_us={:.2} knn_mean_us={:.2}",
        d.features.len(),
        size as f64 / 1e6,
        t_read.as_secs_f64(),
        (t_parse - t_read).as_secs_f64(),
        (t_load - t_parse).as_secs_f64(),
        t_load.as_secs_f64(),
        load_cpu,
        hwm as f64 * 1024.0 / 1e6,
        rss0 as f64 * 1024.0 / 1e6,
        median_hits,
        radius.median,
        radius.p90,
        radius.mean,
        mean_hits,
        knn.median,
        knn.p90,
        knn.mean,
    );
    Ok(())
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments that start with `--` are ignored too
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--one") {
        let Some(p) = args.get(i + 1) else {
            eprintln!("--one needs a file");
            std::process::exit(2);
        };
        let owned = args.iter().any(|a| a == "--owned");
        if let Err(e) = one(Path::new(p), owned) {
            eprintln!("{p}: {e}");
            std::process::exit(1);
        }
        return;
    }
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench spatial -- FILE.geojson...");
        std::process::exit(2);
    }
    let exe = std::env::current_exe().unwrap_or_else(|_| "spatial".into());
    let run = |f: &str, owned: bool| -> Option<String> {
        let mut c = Command::new(&exe);
        c.arg("--one").arg(f);
        if owned {
            c.arg("--owned");
        }
        match c.output() {
            Ok(o) if o.status.success() => {
                let out = String::from_utf8_lossy(&o.stdout).trim().to_string();
                eprintln!("{f}{}: {out}", if owned { " (owned)" } else { "" });
                Some(out)
            }
            Ok(o) => {
                eprintln!("{f}: {}", String::from_utf8_lossy(&o.stderr).trim());
                None
            }
            Err(e) => {
                eprintln!("{f}: {e}");
                None
            }
        }
    };
    let kv = |out: &str, k: &str| -> f64 {
        out.split_whitespace()
            .find_map(|p| p.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let mut owned_rows = Vec::new();
    println!(
        "| incidents | file MB | load+index s (read / parse / index) | load CPU s | peak RSS MB (× file) \
         | radius 10 km median µs (p90) | results/query mean (median) | µs per result | kNN k=10 median µs (p90) |"
    );
    println!("|---:|---:|---|---:|---|---|---|---:|---|");
    for f in &files {
        if let Some(out) = run(f, false) {
            let kv = |k: &str| kv(&out, k);
            println!(
                "| {} | {:.1} | {:.3} ({:.3} / {:.3} / {:.3}) | {:.2} | {:.0} ({:.2}×) | {:.1} ({:.1}) | {:.0} ({:.0}) | {:.2} | {:.1} ({:.1}) |",
                kv("n"),
                kv("file_mb"),
                kv("load_s"),
                kv("read_s"),
                kv("parse_s"),
                kv("index_s"),
                kv("load_cpu_s"),
                kv("peak_mb"),
                kv("peak_mb") / kv("file_mb"),
                kv("radius_med_us"),
                kv("radius_p90_us"),
                kv("radius_hits"),
                kv("radius_median_hits"),
                kv("radius_mean_us") / kv("radius_hits").max(1.0),
                kv("knn_med_us"),
                kv("knn_p90_us"),
            );
        }
        if let Some(out) = run(f, true) {
            owned_rows.push(out);
        }
    }
    println!();
    println!(
        "With `read_points_owned` (the text is kept and shared instead of copying the properties):"
    );
    println!();
    println!(
        "| incidents | file MB | load+index s (read / parse / index) | load CPU s | peak RSS MB (× file) |"
    );
    println!("|---:|---:|---|---:|---|");
    for out in owned_rows {
        let kv = |k: &str| kv(&out, k);
        println!(
            "| {} | {:.1} | {:.3} ({:.3} / {:.3} / {:.3}) | {:.2} | {:.0} ({:.2}×) |",
            kv("n"),
            kv("file_mb"),
            kv("load_s"),
            kv("read_s"),
            kv("parse_s"),
            kv("index_s"),
            kv("load_cpu_s"),
            kv("peak_mb"),
            kv("peak_mb") / kv("file_mb"),
        );
    }
}
