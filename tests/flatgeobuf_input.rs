//! FlatGeobuf files as the input of `near` and `within`, through the real binary: every
//! answer is byte for byte the answer for the same incidents as GeoJSON (whose answers the
//! query tests check against brute force), though only the features a question needs are
//! read, through the file's index; damaged and unsuitable files are errors that say what is
//! wrong, never a panic.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod util;

use bordermap::fgb_input::FgbFile;
use bordermap::synthetic::SplitMix64;
use serde_json::{Value, json};
use std::path::Path;

const TYPES: [&str; 4] = ["armed_clash", "shelling", "protest", "arson_looting"];

/// `n` incidents around the region's towns (a few without a position, one with a text id
/// that needs quoting in CSV), with properties of every kind. The id is also a property, as
/// in the incident files bordermap writes: FlatGeobuf has no feature id apart from its
/// columns, so an `id` column is both the id and a property.
fn incidents(n: usize, seed: u64) -> Value {
    let mut rng = SplitMix64(seed);
    let towns = [
        (70.58, 39.85),
        (69.42, 40.28),
        (72.80, 40.53),
        (71.05, 39.96),
    ];
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (lon, lat) = towns[rng.below(towns.len())];
            let spread = if rng.below(5) == 0 { 0.8 } else { 0.1 };
            let geometry = if i % 97 == 13 {
                Value::Null
            } else {
                json!({"type": "Point", "coordinates": [
                    lon + rng.range(-spread, spread), lat + rng.range(-spread, spread)]})
            };
            let id = if i == 7 {
                "a, \"quoted\" id".to_string()
            } else {
                format!("inc-{i:05}")
            };
            json!({"type": "Feature", "id": id, "geometry": geometry, "properties": {
                "id": id,
                "title": format!("incident {i}, near a town"),
                "event_type": TYPES[i % TYPES.len()],
                "date_start": format!("2022-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                "fatalities_best": if i % 3 == 0 { Value::Null } else { json!(i % 40) },
                "score": (i as f64) / 7.0,
                "aggregate": i % 2 == 0,
            }})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The GeoJSON and its FlatGeobuf export (made by `bordermap export --to fgb`) in `dir`.
fn pair(dir: &util::Dir, name: &str, collection: &Value) -> (String, String) {
    let geojson = format!("{name}.geojson");
    let fgb = format!("{name}.fgb");
    dir.write(&geojson, collection.to_string());
    dir.run(&["export", "--to", "fgb", "--input", &geojson, "-o", &fgb])
        .ok();
    (geojson, fgb)
}

/// The same command on both files: the same exit code and the same bytes out.
fn same(dir: &util::Dir, geojson: &str, fgb: &str, args: &[&str]) -> String {
    let with = |input: &str| {
        let mut a = args.to_vec();
        a.extend(["--input", input]);
        dir.run(&a)
    };
    let (a, b) = (with(geojson), with(fgb));
    assert_eq!(a.code, 0, "{args:?}: {}", a.stderr);
    assert_eq!(b.code, 0, "{args:?}: {}", b.stderr);
    assert_eq!(a.stdout_str(), b.stdout_str(), "{args:?}");
    b.stdout_str().to_string()
}

#[test]
fn near_and_within_answer_a_flatgeobuf_file_as_they_answer_its_geojson() {
    let dir = util::Dir::new();
    let (geojson, fgb) = pair(&dir, "incidents", &incidents(12_000, 7));
    // a batch of radius and k-nearest questions, some far from every incident
    let mut rng = SplitMix64(9);
    let mut queries = String::from("id,lat,lon,radius_km,k\n");
    for i in 0..240 {
        let (lat, lon) = if i % 40 == 0 {
            (rng.range(-60.0, 60.0), rng.range(-180.0, 180.0))
        } else {
            (rng.range(39.2, 41.0), rng.range(69.0, 73.5))
        };
        match i % 3 {
            0 => queries += &format!("q{i},{lat},{lon},{},\n", rng.range(0.5, 30.0)),
            1 => queries += &format!("q{i},{lat},{lon},,{}\n", 1 + rng.below(15)),
            _ => {
                queries += &format!(
                    "q{i},{lat},{lon},{},{}\n",
                    rng.range(1.0, 20.0),
                    1 + rng.below(5)
                )
            }
        }
    }
    dir.write("q.csv", &queries);
    let rows = same(&dir, &geojson, &fgb, &["near", "--queries", "q.csv"]);
    assert!(rows.lines().count() > 3_000, "{}", rows.lines().count());
    for args in [
        "near --lat 39.85 --lon 70.58 --radius-km 12 --format geojson",
        "near --lat 39.85 --lon 70.58 --nearest 7 --format json",
        "near --lat -33.9 --lon 18.4 --nearest 3 --format csv",
        "near --lat 40.3 --lon 69.5 --radius-km 20 --type shelling",
        "near --lat 40.3 --lon 69.5 --radius-km 50 --from 2022-03-01 --to 2022-05-31 --format csv",
        "within --bbox 70.4,39.7,70.8,40.0 --format csv",
        "within --area Leilek --format geojson",
        "within --enclave Vorukh",
        "near --border-km 2 --format csv",
    ] {
        same(&dir, &geojson, &fgb, &args.split(' ').collect::<Vec<_>>());
    }
    // the index needs no sidecar
    dir.run(&["index", &fgb])
        .ok()
        .stdout_has("spatial index of its own");
    assert!(!dir.join("incidents.fgb.bmidx").exists());
}

#[test]
fn boxes_are_split_at_the_antimeridian_and_widened_at_the_poles() {
    let dir = util::Dir::new();
    let mut features = Vec::new();
    for (i, (lon, lat)) in [
        (179.95, 10.0),
        (-179.95, 10.02),
        (-179.7, 9.9),
        (0.0, 89.95),
        (120.0, 89.96),
        (-60.0, 89.9),
        (10.0, -89.99),
    ]
    .into_iter()
    .enumerate()
    {
        features.push(json!({"type": "Feature", "id": format!("p{i}"),
            "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {"id": format!("p{i}"), "n": i}}));
    }
    let (geojson, fgb) = pair(
        &dir,
        "edges",
        &json!({"type": "FeatureCollection", "features": features}),
    );
    for args in [
        "near --lat 10 --lon 179.99 --radius-km 40 --format csv",
        "near --lat 10 --lon -179.99 --nearest 3 --format csv",
        "near --lat 89.99 --lon 45 --radius-km 30 --format csv",
        "within --bbox 179,9,-179.8,11 --format csv",
    ] {
        let out = same(&dir, &geojson, &fgb, &args.split(' ').collect::<Vec<_>>());
        assert!(out.lines().count() >= 3, "{args:?}: {out}");
    }
}

#[test]
fn a_flatgeobuf_file_over_the_size_limit_is_asked_about_through_its_index() {
    let dir = util::Dir::new();
    let (geojson, fgb) = pair(&dir, "big", &incidents(20_000, 3));
    assert!(std::fs::metadata(dir.join(&fgb)).unwrap().len() > 1 << 20);
    // read whole, it is refused like any input over the limit ...
    dir.run(&[
        "export",
        "--to",
        "csv",
        "--input",
        &fgb,
        "--max-input-mb",
        "1",
    ])
    .expect_code(1)
    .stderr_has("over the 1048576-byte limit");
    // ... but a question about one place reads only what it needs: the GeoJSON's answer
    let question = |input: &str, cap: &str| {
        let q = "near --lat 39.85 --lon 70.58 --radius-km 1 --format csv --max-input-mb";
        let mut args: Vec<&str> = q.split(' ').collect();
        args.extend([cap, "--input", input]);
        dir.run(&args)
    };
    let r = question(&fgb, "1");
    r.ok();
    assert!(r.stdout_str().lines().count() > 5, "{}", r.stdout_str());
    assert_eq!(question(&geojson, "100").stdout_str(), r.stdout_str());

    // through the index, a damaged last feature is not read when the question is elsewhere
    let bytes = std::fs::read(dir.join(&fgb)).unwrap();
    let cut = dir.write("cut.fgb", &bytes[..bytes.len() - 10]);
    let all = FgbFile::open(&dir.join(&fgb))
        .unwrap()
        .read_all(u64::MAX, false)
        .unwrap();
    let first = all[0].position.unwrap();
    let b = [
        first.lon() - 1e-6,
        first.lat() - 1e-6,
        first.lon() + 1e-6,
        first.lat() + 1e-6,
    ];
    let mut file = FgbFile::open(&cut).unwrap();
    assert!(file.indexed());
    let near = file.read_boxes(&[b], true).unwrap();
    assert_eq!(near.iter().map(|f| &f.id).collect::<Vec<_>>(), [&all[0].id]);
    assert!(
        file.read_all(u64::MAX, false)
            .unwrap_err()
            .to_string()
            .contains("runs past the end")
    );
}

/// A FlatGeobuf file on a web server, given as `--input URL`: every question gets the bytes
/// the local file gives, a question about one place downloads a small part of the file (the
/// server counts what it sends), and a note says how much. GDAL's own HTTP reader
/// (`/vsicurl/`) reads the file from the same server, so the server is not ours alone to
/// judge.
#[test]
fn a_file_on_a_web_server_is_read_by_range_requests() {
    let dir = util::Dir::new();
    let (_, fgb) = pair(&dir, "incidents", &incidents(60_000, 21));
    let bytes = dir.read(&fgb);
    let server = util::http::Server::start();
    let url = server.put("incidents.fgb", bytes.clone());
    for (args, at_most) in [
        (
            "near --lat 39.85 --lon 70.58 --radius-km 2 --format geojson",
            0.1,
        ),
        ("near --lat 40.28 --lon 69.42 --nearest 7 --format csv", 0.1),
        ("within --bbox 72.79,40.52,72.81,40.54 --format csv", 0.05),
        ("within --enclave Vorukh --format csv", 0.3),
    ] {
        let args: Vec<&str> = args.split(' ').collect();
        let local = dir.run(&[&args[..], &["--input", &fgb]].concat());
        local.ok();
        server.take_counts();
        let remote = dir.run(&[&args[..], &["--input", &url]].concat());
        remote.ok().stderr_has("HTTP range request");
        assert_eq!(remote.stdout_str(), local.stdout_str(), "{args:?}");
        assert!(local.stdout_str().lines().count() > 5, "{args:?}");
        let (requests, sent) = server.take_counts();
        let share = sent as f64 / bytes.len() as f64;
        assert!(
            share < at_most,
            "{args:?}: {sent} of {} bytes in {requests} requests",
            bytes.len()
        );
        assert!(
            remote.stderr.contains(&format!(" {requests} HTTP")),
            "{}",
            remote.stderr
        );
    }
    // a batch of 300 questions around the towns: the same bytes as from the file, and no
    // part of the file downloaded twice (each circle of k nearest widens over the same
    // index nodes and features)
    let mut rng = SplitMix64(17);
    let mut queries = String::from("id,lat,lon,radius_km,k\n");
    for i in 0..300 {
        let (lat, lon) = (rng.range(39.7, 40.6), rng.range(69.3, 72.9));
        match i % 2 {
            0 => queries += &format!("q{i},{lat},{lon},{},\n", rng.range(0.5, 8.0)),
            _ => queries += &format!("q{i},{lat},{lon},,{}\n", 1 + rng.below(12)),
        }
    }
    dir.write("q.csv", &queries);
    let same_as_local = |args: &str| {
        let args: Vec<&str> = args.split(' ').collect();
        let local = dir.run(&[&args[..], &["--input", &fgb]].concat());
        server.take_counts();
        let remote = dir.run(&[&args[..], &["--input", &url]].concat());
        remote.ok();
        assert_eq!(remote.stdout_str(), local.stdout_str(), "{args:?}");
        assert!(local.stdout_str().lines().count() > 300, "{args:?}");
        server.take_counts()
    };
    let (requests, sent) = same_as_local("near --queries q.csv");
    assert!(
        sent <= bytes.len() as u64,
        "{sent} bytes in {requests} requests"
    );
    // a command that reads every feature: the header and the features (not the index),
    // read on in ranges that double
    let (requests, sent) = same_as_local("export --to csv -o -");
    assert!(
        sent <= bytes.len() as u64 && sent > bytes.len() as u64 / 2,
        "{sent}"
    );
    assert!(requests < 20, "{requests}");
    // the index is the file's own; none is written for a URL
    dir.run(&["index", &url])
        .expect_code(2)
        .stderr_has("is on a web server");

    if util::require_tool("ogrinfo", "ogrinfo (GDAL)") {
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-so", "-al", &format!("/vsicurl/{url}")])
            .env("GDAL_HTTP_TIMEOUT", "30")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let count = FgbFile::open(&dir.join(&fgb))
            .unwrap()
            .read_all(u64::MAX, false)
            .unwrap()
            .len();
        assert!(
            text.contains(&format!("Feature Count: {count}\n")),
            "{text}"
        );
        let (requests, sent) = server.take_counts();
        assert!(
            requests > 0 && (sent as usize) < bytes.len(),
            "{requests} {sent}"
        );
    }
}

/// The same file served by nginx, a web server in wide use (keep-alive connections that it
/// closes after a few requests, its own ETags): the same answers, CSV, map and page as from
/// the file, and what bordermap says it downloaded is what nginx logged that it sent.
#[test]
fn a_file_served_by_nginx_gives_the_same_answers_and_the_downloads_nginx_logged() {
    let dir = util::Dir::new();
    let (geojson, fgb) = pair(&dir, "incidents", &incidents(30_000, 33));
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::create_dir_all(dir.join("nginx")).unwrap();
    std::fs::copy(dir.join(&fgb), dir.join("www/incidents.fgb")).unwrap();
    std::fs::copy(dir.join(&geojson), dir.join("www/incidents.geojson")).unwrap();
    let Some(nginx) = util::nginx::Nginx::start(&dir.join("www"), &dir.join("nginx"), 3) else {
        return;
    };
    // the GeoJSON is downloaded whole, and nginx sends it gzip-compressed (as it would not
    // send a range): the same answers, and a note of both sizes
    let near = "near --lat 39.85 --lon 70.58 --radius-km 3 --format csv --input";
    let near: Vec<&str> = near.split(' ').collect();
    let local = dir.run(&[&near[..], &[&geojson]].concat());
    local.ok();
    let remote = dir.run(&[&near[..], &[&format!("{}/incidents.geojson", nginx.base)]].concat());
    remote.ok();
    assert_eq!(remote.stdout_str(), local.stdout_str());
    let len = std::fs::metadata(dir.join(&geojson)).unwrap().len();
    let sent: u64 = nginx.take_log().iter().map(|l| l.body_bytes).sum();
    assert!(sent < len / 3, "{sent} of {len}");
    remote.stderr_has(&format!("downloaded {len} bytes ("));
    remote.stderr_has(" gzip-compressed)");
    let url = format!("{}/incidents.fgb", nginx.base);
    let mut rng = SplitMix64(8);
    let mut queries = String::from("id,lat,lon,radius_km,k\n");
    for i in 0..100 {
        let (lat, lon) = (rng.range(39.7, 40.6), rng.range(69.3, 72.9));
        queries += &format!("q{i},{lat},{lon},{},{}\n", rng.range(0.5, 6.0), 1 + i % 9);
    }
    dir.write("q.csv", &queries);
    for args in [
        "near --lat 39.85 --lon 70.58 --radius-km 3 --format csv",
        "near --queries q.csv",
        "export --to csv -o -",
    ] {
        let args: Vec<&str> = args.split(' ').collect();
        let local = dir.run(&[&args[..], &["--input", &fgb]].concat());
        local.ok();
        assert!(local.stdout_str().lines().count() > 50, "{args:?}");
        nginx.take_log();
        let remote = dir.run(&[&args[..], &["--input", &url]].concat());
        remote.ok();
        assert_eq!(remote.stdout_str(), local.stdout_str(), "{args:?}");
        let log = nginx.take_log();
        let sent: u64 = log.iter().map(|l| l.body_bytes).sum();
        assert!(log.iter().all(|l| l.status == 206), "{log:?}");
        remote
            .stderr_has(&format!("read {sent} of its "))
            .stderr_has(&format!(" bytes in {} HTTP range request(s)", log.len()));
        if args[0] == "export" {
            // the whole file, its index aside, each part once
            let len = std::fs::metadata(dir.join(&fgb)).unwrap().len();
            assert!(sent > len / 2 && sent <= len, "{sent} of {len}");
        }
        // nginx closed each connection after three requests, and the next went on anew
        let mut connections: Vec<u64> = log.iter().map(|l| l.connection).collect();
        connections.dedup();
        assert_eq!(connections.len(), log.len().div_ceil(3), "{log:?}");
    }
    // the commands that draw every incident download the file too, and say so
    for args in [
        "render -o map.svg --input",
        "html --max-incidents 100000 -o map.html --input",
    ] {
        let args: Vec<&str> = args.split(' ').collect();
        let out = args[args.len() - 2];
        dir.run(&[&args[..], &[&fgb]].concat()).ok();
        let local = dir.read(out);
        nginx.take_log();
        let remote = dir.run(&[&args[..], &[&url]].concat());
        remote.ok();
        let sent: u64 = nginx.take_log().iter().map(|l| l.body_bytes).sum();
        remote.stderr_has(&format!("read {sent} of its "));
        assert!(
            dir.read(out) == local,
            "{args:?}: not the same as from the file"
        );
    }
}

/// What goes wrong over HTTP is an error naming the URL and saying what happened, and no
/// output is written: a missing file, a server that cannot be reached, and a file that
/// changes on the server while it is read. A file that is not FlatGeobuf (GeoJSON), and any
/// file from a server that ignores ranges, is downloaded whole, with a note that says so,
/// and gives the answers of the same file on disk.
#[test]
fn a_file_on_a_web_server_that_cannot_be_read_is_an_error_that_says_why() {
    let dir = util::Dir::new();
    let (geojson, fgb) = pair(&dir, "incidents", &incidents(20_000, 5));
    let bytes = dir.read(&fgb);
    let server = util::http::Server::start();
    let url = server.put("incidents.fgb", bytes.clone());
    let question = |input: &str| {
        dir.run(&[
            "near",
            "--lat",
            "39.85",
            "--lon",
            "70.58",
            "--radius-km",
            "2",
            "--format",
            "csv",
            "-o",
            "out.csv",
            "--input",
            input,
        ])
    };
    let missing = format!("{}/missing.fgb", server.base);
    question(&missing).expect_code(1).stderr_has(&format!(
        "{missing}: HTTP 404 Not Found (asked for bytes=0-65535)"
    ));
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/a.fgb", l.local_addr().unwrap())
    };
    question(&closed)
        .expect_code(1)
        .stderr_has(&format!("{closed}: HTTP request failed"));
    assert!(!dir.join("out.csv").exists());
    question(&fgb).ok();
    let local = dir.read_string("out.csv");
    let text = server.put("incidents.geojson", dir.read(&geojson));
    let size = dir.read(&geojson).len();
    question(&text)
        .ok()
        .stderr_has(&format!("note: {text}: downloaded {size} bytes"));
    assert_eq!(dir.read_string("out.csv"), local, "GeoJSON over HTTP");
    server.ignore_ranges(true);
    question(&text).ok();
    assert_eq!(
        dir.read_string("out.csv"),
        local,
        "GeoJSON, whole files only"
    );
    question(&url)
        .ok()
        .stderr_has(&format!("note: {url}: downloaded {} bytes", bytes.len()));
    assert_eq!(
        dir.read_string("out.csv"),
        local,
        "FlatGeobuf, whole files only"
    );
    let export = |input: &str| {
        dir.run(&[
            "export",
            "--to",
            "geojson",
            "--input",
            input,
            "-o",
            "export.geojson",
        ])
        .ok();
        dir.read("export.geojson")
    };
    assert!(
        export(&text) == export(&geojson),
        "export of GeoJSON over HTTP"
    );
    // a file within the first range asked for is taken whole
    let (_, small) = pair(&dir, "small", &incidents(40, 5));
    let small_url = server.put("small.fgb", dir.read(&small));
    let whole = question(&small_url);
    whole.ok();
    assert_eq!(dir.read_string("out.csv"), {
        question(&small).ok();
        dir.read_string("out.csv")
    });
    server.ignore_ranges(false);

    // a broken connection is asked again (after a second); three in a row are an error
    server.take_counts();
    question(&url).ok();
    let (plain, _) = server.take_counts();
    server.drop_after(1, 1);
    question(&url).ok();
    assert_eq!(server.take_counts().0, plain + 1);
    assert_eq!(dir.read_string("out.csv"), {
        question(&fgb).ok();
        dir.read_string("out.csv")
    });
    server.drop_after(1, 3);
    question(&url)
        .expect_code(1)
        .stderr_has(&format!("{url}: HTTP request failed"));

    // the file changes on the server after the first request
    std::fs::remove_file(dir.join("out.csv")).unwrap();
    let mut changed = bytes.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    server.change_after("incidents.fgb", changed, 1);
    question(&url).expect_code(1).stderr_has(&format!(
        "{url}: the file changed on the server while it was read"
    ));
    assert!(!dir.join("out.csv").exists());
}

/// A feature to write: longitude, latitude and its `(column, value)` properties.
type Row = (f64, f64, Vec<(usize, i64)>);

/// A FlatGeobuf file written by the `flatgeobuf` crate: `geometry` points or a line, the
/// given EPSG code, and per feature the property `(column, value)` pairs to write.
fn write_fgb(path: &Path, geometry: flatgeobuf::GeometryType, epsg: i32, rows: &[Row]) {
    use flatgeobuf::geozero::{ColumnValue, GeomProcessor, GeozeroGeometry, PropertyProcessor};
    use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions};
    struct G(f64, f64, bool);
    impl GeozeroGeometry for G {
        fn process_geom<P: GeomProcessor>(
            &self,
            p: &mut P,
        ) -> flatgeobuf::geozero::error::Result<()> {
            if self.2 {
                p.linestring_begin(true, 2, 0)?;
                p.xy(self.0, self.1, 0)?;
                p.xy(self.0 + 0.1, self.1, 1)?;
                p.linestring_end(true, 0)
            } else {
                p.point_begin(0)?;
                p.xy(self.0, self.1, 0)?;
                p.point_end(0)
            }
        }
    }
    let mut w = FgbWriter::create_with_options(
        "t",
        geometry,
        FgbWriterOptions {
            write_index: true,
            crs: FgbCrs {
                code: epsg,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    w.add_column("id", ColumnType::Long, |_, _| {});
    w.add_column("n", ColumnType::Long, |_, _| {});
    let line = geometry == flatgeobuf::GeometryType::LineString;
    for (lon, lat, props) in rows {
        w.add_feature_geom(G(*lon, *lat, line), |p| {
            for (column, v) in props {
                p.property(*column, "x", &ColumnValue::Long(*v)).unwrap();
            }
        })
        .unwrap();
    }
    let mut out = std::fs::File::create(path).unwrap();
    w.write(&mut out).unwrap();
}

fn read_error(path: &Path) -> String {
    let r = FgbFile::open(path).and_then(|mut f| f.read_all(u64::MAX, true));
    r.err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn unsuitable_and_damaged_files_are_errors_that_say_why() {
    const POINT: flatgeobuf::GeometryType = flatgeobuf::GeometryType::Point;
    const LINE: flatgeobuf::GeometryType = flatgeobuf::GeometryType::LineString;
    let dir = util::Dir::new();
    let rows: Vec<Row> = (0..50)
        .map(|i| {
            (
                70.0 + f64::from(i) * 0.01,
                40.0,
                vec![(0, i64::from(i)), (1, 5)],
            )
        })
        .collect();

    let p = dir.join("ok.fgb");
    write_fgb(&p, POINT, 4326, &rows);
    let all = FgbFile::open(&p).unwrap().read_all(u64::MAX, true).unwrap();
    assert_eq!(all.len(), 50);
    assert!(all.iter().any(|f| f.id == "17"), "the id column is the id");

    // each file: its name, geometry type, EPSG code, how its rows are spoilt, what the error says
    type Spoil = fn(&mut Vec<Row>);
    let cases: [(&str, _, i32, Spoil, &[&str]); 5] = [
        (
            "metres.fgb",
            POINT,
            3857,
            |_| {},
            &["metres.fgb: header: coordinates in EPSG:3857", "reproject"],
        ),
        (
            "lines.fgb",
            LINE,
            4326,
            |_| {},
            &["lines.fgb: header: the features are LineString; bordermap reads points"],
        ),
        (
            "column.fgb",
            POINT,
            4326,
            |r| r[3].2.push((9, 1)),
            &["column.fgb: feature ", "column 9, of 2"],
        ),
        (
            "dup.fgb",
            POINT,
            4326,
            |r| r[4].2 = vec![(0, 3)],
            &["dup.fgb: feature ", "duplicate id \"3\""],
        ),
        (
            "lat.fgb",
            POINT,
            4326,
            |r| r[5].1 = 95.0,
            &[
                "lat.fgb: feature ",
                "(id \"5\")",
                "latitude 95 is out of range",
            ],
        ),
    ];
    for (name, geometry, epsg, spoil, needles) in cases {
        let mut bad = rows.clone();
        spoil(&mut bad);
        let p = dir.join(name);
        write_fgb(&p, geometry, epsg, &bad);
        let e = read_error(&p);
        assert!(needles.iter().all(|n| e.contains(n)), "{name}: {e}");
    }

    let whole = std::fs::read(dir.join("ok.fgb")).unwrap();
    let p = dir.write("cut.fgb", &whole[..whole.len() - 30]);
    let e = read_error(&p);
    assert!(
        e.contains("cut.fgb: feature 49") && e.contains("runs past the end of the file"),
        "{e}"
    );
    let p = dir.write("header.fgb", &whole[..20]);
    assert!(read_error(&p).contains("header"), "{}", read_error(&p));
}

/// Random damage anywhere in a file, read whole and through the index: an answer or an
/// error naming the file, never a panic or an endless read.
#[test]
fn damaged_bytes_never_panic() {
    let dir = util::Dir::new();
    let (_, fgb) = pair(&dir, "small", &incidents(300, 5));
    let whole = std::fs::read(dir.join(&fgb)).unwrap();
    let mut rng = SplitMix64(1);
    let boxes = [[70.0, 39.5, 71.0, 40.5], [-180.0, -90.0, 180.0, 90.0]];
    let (mut ok, mut errors) = (0, 0);
    for round in 0..600 {
        let mut bytes = whole.clone();
        for _ in 0..1 + round % 4 {
            let at = rng.below(bytes.len());
            bytes[at] = match rng.below(3) {
                0 => 0xFF,
                1 => 0,
                _ => rng.below(256) as u8,
            };
        }
        let p = dir.write("damaged.fgb", &bytes);
        let answers = [
            FgbFile::open(&p).and_then(|mut f| f.read_all(u64::MAX, true).map(|v| v.len())),
            FgbFile::open(&p).and_then(|mut f| f.read_boxes(&boxes, true).map(|v| v.len())),
        ];
        for a in answers {
            match a {
                Ok(_) => ok += 1,
                Err(e) => {
                    errors += 1;
                    assert!(e.to_string().contains("damaged.fgb"), "{e}");
                }
            }
        }
    }
    assert!(ok > 0 && errors > 100, "{ok} answers, {errors} errors");
}

/// A FlatGeobuf file that GDAL wrote (`ogr2ogr`, as QGIS writes them), not bordermap: the
/// same answers as from the GeoJSON it was made from (GDAL writes a date as a date and time,
/// `2022-03-07T00:00:00`, which the date filters read as its date); the same file without an
/// index, read whole; and the same file reprojected to UTM, refused with the reason.
#[test]
fn a_file_that_gdal_wrote_gives_the_same_answers() {
    if !util::require_tool("ogr2ogr", "ogr2ogr (GDAL)") {
        return;
    }
    let dir = util::Dir::new();
    dir.write("in.geojson", incidents(3_000, 11).to_string());
    let ogr = |args: &[&str]| {
        let out = std::process::Command::new("ogr2ogr")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ogr(&["-f", "FlatGeobuf", "gdal.fgb", "in.geojson"]);
    ogr(&[
        "-f",
        "FlatGeobuf",
        "-lco",
        "SPATIAL_INDEX=NO",
        "plain.fgb",
        "in.geojson",
    ]);
    ogr(&[
        "-f",
        "FlatGeobuf",
        "-t_srs",
        "EPSG:32642",
        "utm.fgb",
        "in.geojson",
    ]);
    let mut queries = String::from("id,lat,lon,radius_km,k\n");
    let mut rng = SplitMix64(4);
    for i in 0..60 {
        let (lat, lon) = (rng.range(39.2, 41.0), rng.range(69.0, 73.5));
        queries += &format!("q{i},{lat},{lon},{},{}\n", rng.range(1.0, 30.0), 1 + i % 7);
    }
    dir.write("q.csv", &queries);
    let batch = |input: &str| {
        let r = dir.run(&["near", "--queries", "q.csv", "--input", input]);
        r.ok();
        r.stdout_str().to_string()
    };
    let want = batch("in.geojson");
    assert!(want.lines().count() > 100, "{want}");
    assert_eq!(batch("gdal.fgb"), want);
    assert_eq!(batch("plain.fgb"), want);
    // the date filters, and the first columns of the rows they keep
    let ids = |input: &str| {
        let q = "near --lat 40.3 --lon 69.5 --radius-km 60 --from 2022-03-01 --to 2022-05-31 --format csv --input";
        let mut args: Vec<&str> = q.split(' ').collect();
        args.push(input);
        let r = dir.run(&args);
        r.ok();
        let rows: Vec<String> = r
            .stdout_str()
            .lines()
            .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
            .collect();
        rows
    };
    let kept = ids("in.geojson");
    assert!(kept.len() > 20, "{kept:?}");
    assert_eq!(ids("gdal.fgb"), kept);
    dir.run(&["index", "plain.fgb"])
        .ok()
        .stdout_has("without a spatial index");
    // the map reads its dates too
    dir.run(&["render", "--input", "gdal.fgb", "-o", "map.svg"])
        .ok();
    // merge reads its dates: the same links as with a copy of the GeoJSON
    std::fs::copy(dir.join("in.geojson"), dir.join("copy.geojson")).unwrap();
    let links = |other: &str| {
        let r = dir.run(&["merge", "in.geojson", other, "-o", "m.geojson"]);
        r.ok();
        let line = r
            .stdout_str()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string();
        // the links; GDAL leaves out the features without a geometry, so not the count of those
        let links = line
            .split_once("records, ")
            .map_or(line.as_str(), |(_, l)| l);
        links.split(" (").next().unwrap_or_default().to_string()
    };
    let want = links("copy.geojson");
    assert!(want.contains("likely duplicate links"), "{want}");
    assert_eq!(links("gdal.fgb"), want);
    dir.run(&[
        "near",
        "--input",
        "utm.fgb",
        "--lat",
        "40",
        "--lon",
        "70",
        "--radius-km",
        "5",
    ])
    .expect_code(1)
    .stderr_has("utm.fgb: header: coordinates in EPSG:32642");
}

/// `import` and `merge` take a FlatGeobuf file as they take GeoJSON: the same incidents.
#[test]
fn import_and_merge_read_flatgeobuf() {
    let dir = util::Dir::new();
    // located incidents only: an unlocated one without a place name is not imported
    let mut collection = incidents(400, 2);
    collection["features"]
        .as_array_mut()
        .unwrap()
        .retain(|f| !f["geometry"].is_null());
    let (geojson, fgb) = pair(&dir, "i", &collection);
    let imported = |input: &str, out: &str| {
        dir.run(&["import", input, "-o", out])
            .ok()
            .stdout_has(if input.ends_with(".fgb") {
                "read as FlatGeobuf"
            } else {
                "read as GeoJSON"
            });
        let mut rows: Vec<String> = dir.geojson(out)["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let p = &f["properties"];
                format!(
                    "{} {} {} {} {}",
                    p["id"], f["geometry"], p["date_start"], p["event_type"], p["title"]
                )
            })
            .collect();
        rows.sort();
        rows
    };
    let from_fgb = imported(&fgb, "a.geojson");
    assert!(from_fgb.len() > 350, "{}", from_fgb.len());
    assert_eq!(from_fgb, imported(&geojson, "b.geojson"));
    dir.run(&["merge", &fgb, &geojson, "-o", "m.geojson"])
        .ok()
        .stdout_has("merged 2 files");
}

/// Files from the FlatGeobuf reference implementation's test data, written by other
/// writers (see `tests/fixtures/README.md`): every column type read as GDAL reads it (the
/// unsigned 64-bit value exactly), a one-feature file, a file of unknown geometry type whose
/// second feature is a line, polygons, and features without a geometry.
#[test]
fn files_from_the_reference_implementation_read_as_written() {
    let read = |name: &str| {
        let path = util::fixture(&format!("flatgeobuf/{name}"));
        FgbFile::open(&path).and_then(|mut f| f.read_all(u64::MAX, true))
    };
    let all = read("alldatatypes.fgb").unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, "0");
    assert_eq!(
        all[0].properties.raw(),
        r#"{"byte":-1,"ubyte":255,"bool":true,"short":-1,"ushort":65535,"int":-1,"uint":4294967295,"long":-1,"ulong":18446744073709551615,"float":0.0,"double":0.0,"string":"X","json":"X","datetime":"2020-02-29T12:34:56Z","binary":"0x58"}"#
    );
    let one = read("no_properties.fgb").unwrap();
    assert_eq!(one.len(), 1);
    let p = one[0].position.unwrap();
    assert_eq!(
        (p.lon(), p.lat(), one[0].properties.raw()),
        (-123.1874, 48.7902, "{}")
    );
    // through the index too
    let path = util::fixture("flatgeobuf/no_properties.fgb");
    let mut file = FgbFile::open(&path).unwrap();
    assert_eq!(
        file.read_boxes(&[[-124.0, 48.0, -123.0, 49.0]], false)
            .unwrap()
            .len(),
        1
    );
    assert!(
        file.read_boxes(&[[70.0, 39.0, 71.0, 40.0]], false)
            .unwrap()
            .is_empty()
    );
    let e = read("heterogeneous.fgb").unwrap_err().to_string();
    assert!(
        e.contains("heterogeneous.fgb: feature 1 (id \"1\"): a LineString; bordermap reads points"),
        "{e}"
    );
    let e = read("poly00.fgb").unwrap_err().to_string();
    assert!(
        e.contains("poly00.fgb: header: the features are Polygon; bordermap reads points"),
        "{e}"
    );
    let countries = read("countries_nogeo.fgb").unwrap();
    assert_eq!(countries.len(), 179);
    assert!(countries.iter().all(|f| f.position.is_none()));
    assert_eq!(
        countries[0].properties.raw(),
        r#"{"id":"ATA","name":"Antarctica"}"#
    );
}
