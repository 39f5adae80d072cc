//! The shared PostGIS store against a real PostgreSQL server (no mock): `db init`, `push`,
//! `pull`, `log`, `delete`, conflicts, concurrency, SQL injection, connection errors, TLS,
//! and `--db` as the source of the query and drawing commands.
//!
//! The server is a throwaway cluster (tests/util/pg.rs). Without PostgreSQL and PostGIS the
//! tests print why they are skipped and pass, except under `CI=true`, where they fail.

mod util;

use util::pg::{ANALYSTS, PLAIN, Server, TLS_ONLY, server};
use util::{Dir, Run, root};

/// The server and a fresh database named `name`, initialised, or `None` when skipped.
fn store(name: &str) -> Option<(&'static Server, String)> {
    let s = server()?;
    let db = s.database(name);
    let url = s.url(&db);
    Dir::new().run(&["db", "--db", &url, "init"]).ok();
    s.grant_analysts(&db);
    Some((s, db))
}

fn shipped() -> Vec<u8> {
    std::fs::read(root().join("output/incidents.geojson")).unwrap()
}

/// How many incidents the shipped GeoJSON holds.
fn shipped_count() -> usize {
    let fc: serde_json::Value = serde_json::from_slice(&shipped()).unwrap();
    fc["features"].as_array().unwrap().len()
}

fn count(s: &Server, db: &str, sql: &str) -> i64 {
    s.admin(db).query_one(sql, &[]).unwrap().get(0)
}

/// Replaces `"key":old` by `"key":new` on the line of feature `id`.
fn edit(text: &str, id: &str, key: &str, new: &str) -> String {
    text.lines()
        .map(|l| {
            if l.contains(&format!("\"id\":\"{id}\"")) {
                let start = l.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
                let end = start + l[start..].find([',', '}']).unwrap();
                format!("{}{new}{}", &l[..start], &l[end..])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

const VORUKH: &str = "kgtj-2022-06-03-vorukh";
const AK_SAI: &str = "kgtj-2022-09-14-ak-sai-burned";

#[test]
fn init_is_idempotent_and_a_newer_schema_is_refused() {
    let Some((s, db)) = store("t_init") else {
        return;
    };
    let url = s.url(&db);
    let d = Dir::new();
    d.run(&["db", "--db", &url, "init"])
        .ok()
        .stdout_has("schema version 1 (already up to date)");
    assert_eq!(count(s, &db, "SELECT count(*) FROM incidents"), 0);
    // the layer is registered for GIS clients
    let geometry_columns = count(
        s,
        &db,
        "SELECT count(*) FROM geometry_columns WHERE f_table_name = 'incidents_layer' AND type = 'POINT' AND srid = 4326",
    );
    assert_eq!(geometry_columns, 1);
    s.admin(&db)
        .batch_execute("UPDATE bordermap_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    for args in [["db", "--db", &url, "init"], ["db", "--db", &url, "log"]] {
        d.run(&args)
            .expect_code(1)
            .stderr_has("version 99, made by a newer bordermap");
    }
    let empty = s.database("t_init_empty");
    d.run(&["db", "--db", &s.url(&empty), "pull"])
        .expect_code(1)
        .stderr_has("run `bordermap db init` first");
}

#[test]
fn push_then_pull_gives_the_same_bytes_and_a_second_push_changes_nothing() {
    let Some((s, db)) = store("t_round_trip") else {
        return;
    };
    let url = s.url(&db);
    let d = Dir::new();
    d.write("incidents.geojson", shipped());
    d.run(&["db", "--db", &url, "push", "incidents.geojson"])
        .ok()
        .stdout_has(&format!(
            "inserted: {}, updated: 0, unchanged: 0, conflicting: 0",
            shipped_count()
        ));
    let changes = count(s, &db, "SELECT count(*) FROM changes");
    d.run(&["db", "--db", &url, "push", "incidents.geojson"])
        .ok()
        .stdout_has(&format!(
            "inserted: 0, updated: 0, unchanged: {}, conflicting: 0",
            shipped_count()
        ));
    assert_eq!(count(s, &db, "SELECT count(*) FROM changes"), changes);
    assert_eq!(
        count(s, &db, "SELECT max(revision)::int8 FROM incidents"),
        1
    );
    d.run(&["db", "--db", &url, "pull", "-o", "pulled.geojson"])
        .ok();
    assert!(d.read("pulled.geojson") == shipped(), "pulled bytes differ");
    assert!(
        d.read_string("pulled.geojson.revisions.json")
            .contains(VORUKH)
    );
    // stdout, and the environment variable instead of --db
    let run = d
        .cmd()
        .env("BORDERMAP_DB", &url)
        .args(&["db", "pull"])
        .run();
    assert!(run.ok().stdout == shipped());
    // typed columns, claims and sources with their keys
    let fatalities: i32 = s
        .admin(&db)
        .query_one(
            "SELECT fatalities_best FROM incidents_layer WHERE id = $1",
            &[&"kgtj-2022-09-16-mosque-drone-strike"],
        )
        .unwrap()
        .get(0);
    assert_eq!(fatalities, 15);
    assert!(count(s, &db, "SELECT count(*) FROM claims") > 0);
    assert_eq!(
        count(
            s,
            &db,
            "SELECT count(*) FROM claims c LEFT JOIN sources s ON s.id = c.source_id WHERE s.id IS NULL"
        ),
        0
    );
}

fn as_role(d: &Dir, s: &Server, db: &str, who: usize, args: &[&str]) -> Run {
    let (role, pw) = ANALYSTS[who];
    let url = s.url_as(role, pw, db);
    let mut all = vec!["db", "--db", url.as_str()];
    all.extend_from_slice(args);
    d.run(&all)
}

#[test]
fn a_push_over_a_newer_change_is_a_conflict_until_forced() {
    let Some((s, db)) = store("t_conflict") else {
        return;
    };
    let d = Dir::new();
    d.write("first.geojson", shipped());
    as_role(&d, s, &db, 0, &["push", "first.geojson"]).ok();
    as_role(&d, s, &db, 0, &["pull", "-o", "alice.geojson"]).ok();
    as_role(&d, s, &db, 1, &["pull", "-o", "bob.geojson"]).ok();
    let alice = edit(
        &d.read_string("alice.geojson"),
        VORUKH,
        "fatalities_best",
        "5",
    );
    d.write("alice.geojson", &alice);
    as_role(&d, s, &db, 0, &["push", "alice.geojson"])
        .ok()
        .stdout_has(&format!(
            "updated: 1, unchanged: {}, conflicting: 0",
            shipped_count() - 1
        ));
    let bob = edit(
        &d.read_string("bob.geojson"),
        VORUKH,
        "fatalities_best",
        "7",
    );
    d.write("bob.geojson", &bob);
    let run = as_role(&d, s, &db, 1, &["push", "bob.geojson"]);
    run.expect_code(1)
        .stdout_has("conflicting: 1")
        .stdout_has(&format!(
            "conflict: {VORUKH}: the store has revision 2 (by alice"
        ))
        .stdout_has("the file has revision 1")
        .stdout_has("fatalities_best:\n    store: 5\n    file:  7");
    let best = |s: &Server| -> i32 {
        s.admin(&db)
            .query_one(
                "SELECT fatalities_best FROM incidents WHERE id = $1",
                &[&VORUKH],
            )
            .unwrap()
            .get(0)
    };
    assert_eq!(best(s), 5, "a conflicting push must not be applied");
    as_role(&d, s, &db, 1, &["push", "--force", "bob.geojson"])
        .ok()
        .stdout_has("updated: 1");
    assert_eq!(best(s), 7);
    let history: String = s
        .admin(&db)
        .query_one(
            "SELECT properties::text FROM incidents_history WHERE id = $1 AND revision = 2",
            &[&VORUKH],
        )
        .unwrap()
        .get(0);
    assert!(history.contains("\"fatalities_best\":5"), "{history}");
    // alice's copy is now older than the store: kept, not a conflict, not applied
    as_role(&d, s, &db, 0, &["push", "alice.geojson"])
        .ok()
        .stdout_has(&format!("unchanged: {}, conflicting: 0", shipped_count()))
        .stdout_has("1 of the unchanged are older in the file");
    assert_eq!(best(s), 7);
    let log = as_role(&d, s, &db, 0, &["log", "--id", VORUKH]);
    let log = log.ok().stdout_str();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[1].contains("alice")
            && lines[1].contains("update")
            && lines[1].contains("fatalities_best"),
        "{log}"
    );
    assert!(
        lines[2].contains("bob") && lines[2].contains("rev 3"),
        "{log}"
    );
    // a file never pulled that differs from the store is a conflict too
    let foreign = edit(
        &String::from_utf8(shipped()).unwrap(),
        VORUKH,
        "fatalities_best",
        "9",
    );
    d.write("foreign.geojson", foreign);
    as_role(&d, s, &db, 0, &["push", "foreign.geojson"])
        .expect_code(1)
        .stdout_has("the file was not pulled from this store");
}

#[test]
fn delete_is_soft_and_logged() {
    let Some((s, db)) = store("t_delete") else {
        return;
    };
    let d = Dir::new();
    d.write("i.geojson", shipped());
    as_role(&d, s, &db, 0, &["push", "i.geojson"]).ok();
    as_role(&d, s, &db, 1, &["delete", VORUKH, "no-such-id"])
        .expect_code(1)
        .stdout_has("deleted: 1, already deleted: 0, unknown: 1");
    as_role(&d, s, &db, 0, &["pull", "-o", "p.geojson"]).ok();
    assert!(!d.read_string("p.geojson").contains(VORUKH));
    // a DELETE in SQL (QGIS, psql) is a soft delete too
    s.admin(&db)
        .execute("DELETE FROM incidents WHERE id = $1", &[&AK_SAI])
        .unwrap();
    let kept = count(s, &db, "SELECT count(*) FROM incidents");
    assert_eq!(kept as usize, shipped_count());
    let who: String = s
        .admin(&db)
        .query_one("SELECT deleted_by FROM incidents WHERE id = $1", &[&VORUKH])
        .unwrap()
        .get(0);
    assert_eq!(who, "bob");
    let log = as_role(&d, s, &db, 0, &["log", "--since", "2000-01-01"]);
    let text = log.ok().stdout_str();
    assert!(
        text.lines()
            .any(|l| l.contains("bob") && l.contains("delete") && l.contains(VORUKH)),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("delete") && l.contains(AK_SAI)),
        "{text}"
    );
    as_role(&d, s, &db, 0, &["log", "--since", "2999-01-01"])
        .ok()
        .stdout_has("no changes");
    as_role(&d, s, &db, 0, &["log", "--since", "yesterday-ish"])
        .expect_code(2)
        .stderr_has("--since \"yesterday-ish\"");
    // pushing the old copy back does not resurrect it silently
    as_role(&d, s, &db, 0, &["push", "i.geojson"])
        .ok()
        .stdout_has(&format!(
            "inserted: 0, updated: 0, unchanged: {}",
            shipped_count()
        ));
    assert!(
        !as_role(&d, s, &db, 0, &["pull"])
            .ok()
            .stdout_str()
            .contains(VORUKH)
    );
}

#[test]
fn hostile_text_is_stored_as_text() {
    let Some((s, db)) = store("t_injection") else {
        return;
    };
    let hostile = "'); DROP TABLE incidents;--";
    let id = "x'; DELETE FROM incidents; --";
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": id,
        "geometry": {"type": "Point", "coordinates": [70.58, 39.85]},
        "properties": {"id": id, "title": hostile, "location_reported": hostile,
                       "source_ids": "a'b; c\"d", "claims_json": "[{\"source\":\"'); DROP TABLE claims;--\"}]"}
    }]});
    let d = Dir::new();
    d.write("h.geojson", fc.to_string());
    d.run(&["db", "--db", &s.url(&db), "push", "h.geojson"])
        .ok()
        .stdout_has("inserted: 1");
    let row = s
        .admin(&db)
        .query_one(
            "SELECT id, title, location_reported FROM incidents_layer",
            &[],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), id);
    assert_eq!(row.get::<_, String>(1), hostile);
    assert_eq!(row.get::<_, String>(2), hostile);
    assert_eq!(
        count(
            s,
            &db,
            "SELECT count(*) FROM sources WHERE id IN ('a''b', 'c\"d', '''); DROP TABLE claims;--')"
        ),
        3
    );
    let pulled = d.run(&["db", "--db", &s.url(&db), "pull"]);
    assert!(pulled.ok().stdout_str().contains("DROP TABLE incidents;--"));
}

#[test]
fn connection_problems_are_clear_and_never_show_the_password() {
    let Some((s, db)) = store("t_errors") else {
        return;
    };
    let d = Dir::new();
    let secret = "Wr0ng-S3cret-pw";
    let run = d.run(&["db", "--db", &s.url_as("alice", secret, &db), "log"]);
    run.expect_code(1)
        .stderr_has(&format!("postgresql://alice@127.0.0.1:{}/{db}", s.port))
        .stderr_has("refused the password for role \"alice\"");
    assert!(!run.stderr.contains(secret) && !run.stdout_str().contains(secret));
    // nothing listens on this port
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let run = d.run(&[
        "db",
        "--db",
        &format!("postgresql://alice:{secret}@127.0.0.1:{port}/x"),
        "log",
    ]);
    run.expect_code(1).stderr_has("cannot connect");
    assert!(!run.stderr.contains(secret));
    // a server that accepts and never answers: the time-out ends the wait
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let started = std::time::Instant::now();
    let run = d.run(&[
        "db",
        "--db",
        &format!(
            "postgresql://alice:{secret}@127.0.0.1:{port}/x?connect_timeout=1&sslmode=disable"
        ),
        "log",
    ]);
    run.expect_code(1).stderr_has("did not answer");
    assert!(started.elapsed().as_secs() < 20);
    drop(silent);
    // no PostGIS, and a role that may not create it
    let (role, pw) = PLAIN;
    let bare = s.database("t_errors_bare");
    s.admin("postgres")
        .batch_execute(&format!("ALTER DATABASE {bare} OWNER TO {role}"))
        .unwrap();
    d.run(&["db", "--db", &s.url_as(role, pw, &bare), "init"])
        .expect_code(1)
        .stderr_has(
            "PostGIS is not enabled in this database and role \"plain_user\" cannot enable it",
        );
    // a URL that is not one is a usage error, password hidden
    let run = d.run(&["db", "--db", &format!("mysql://u:{secret}@h/d"), "log"]);
    run.expect_code(2).stderr_has("not a database URL");
    assert!(!run.stderr.contains(secret));
    d.run(&["db", "log"])
        .expect_code(2)
        .stderr_has("BORDERMAP_DB");
}

#[test]
fn passwords_come_from_pgpassword_or_the_password_file() {
    let Some((s, db)) = store("t_passwords") else {
        return;
    };
    let d = Dir::new();
    let (role, pw) = ANALYSTS[0];
    let url = format!(
        "postgresql://{role}@127.0.0.1:{}/{db}?sslmode=disable",
        s.port
    );
    let log = |password: &str, file: &str| {
        d.cmd()
            .env("PGPASSWORD", password)
            .env("PGPASSFILE", file)
            .args(&["db", "--db", &url, "log"])
            .run()
    };
    log(pw, "/nonexistent").ok();
    let pgpass = d.write(
        "pgpass",
        format!("# team\n127.0.0.1:{}:{db}:{role}:{pw}\n", s.port),
    );
    let file = pgpass.to_str().unwrap();
    use std::os::unix::fs::PermissionsExt;
    let mode = |m: u32| std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(m));
    mode(0o600).unwrap();
    log("", file).ok();
    mode(0o644).unwrap();
    log("", file)
        .expect_code(1)
        .stderr_has("asks a password for role \"alice\" and none was given")
        .stderr_has("chmod 600");
}

#[test]
fn tls_is_used_and_checked_as_sslmode_asks() {
    let Some((s, db)) = store("t_tls") else {
        return;
    };
    let d = Dir::new();
    let (role, pw) = TLS_ONLY;
    let url = |host: &str, query: &str| {
        format!("postgresql://{role}:{pw}@{host}:{}/{db}?{query}", s.port)
    };
    // this role is accepted only over TLS
    d.run(&["db", "--db", &url("127.0.0.1", "sslmode=disable"), "log"])
        .expect_code(1)
        .stderr_has("refused role \"tls_user\"");
    // require: encrypted, the certificate not checked (as libpq)
    d.run(&["db", "--db", &url("127.0.0.1", "sslmode=require"), "log"])
        .ok();
    // verify-full without the root certificate: refused, with a reason
    d.run(&[
        "db",
        "--db",
        &url("localhost", "sslmode=verify-full"),
        "log",
    ])
    .expect_code(1)
    .stderr_has("cannot connect (with TLS as sslmode asks)");
    // verify-full with it, and the host the certificate names
    let cert = s.cert.to_str().unwrap();
    let q = format!("sslmode=verify-full&sslrootcert={cert}");
    d.run(&["db", "--db", &url("localhost", &q), "log"]).ok();
    d.run(&["db", "--db", &url("localhost", "sslmode=sometimes"), "log"])
        .expect_code(2)
        .stderr_has("sslmode=\"sometimes\" is unknown");
}

#[test]
fn concurrent_pushes_from_two_analysts_both_land() {
    let Some((s, db)) = store("t_concurrent") else {
        return;
    };
    let d = Dir::new();
    d.write("i.geojson", shipped());
    as_role(&d, s, &db, 0, &["push", "i.geojson"]).ok();
    as_role(&d, s, &db, 0, &["pull", "-o", "a.geojson"]).ok();
    as_role(&d, s, &db, 1, &["pull", "-o", "b.geojson"]).ok();
    for round in 1..=4 {
        let a = edit(
            &d.read_string("a.geojson"),
            VORUKH,
            "fatalities_high",
            &format!("{}", 100 + round),
        );
        d.write("a.geojson", a);
        let b = edit(
            &d.read_string("b.geojson"),
            AK_SAI,
            "fatalities_high",
            &format!("{}", 200 + round),
        );
        d.write("b.geojson", b);
        let runs: Vec<Run> = std::thread::scope(|scope| {
            let ha = scope.spawn(|| as_role(&d, s, &db, 0, &["push", "a.geojson"]));
            let hb = scope.spawn(|| as_role(&d, s, &db, 1, &["push", "b.geojson"]));
            vec![ha.join().unwrap(), hb.join().unwrap()]
        });
        for r in &runs {
            r.ok().stdout_has("updated: 1").stdout_has("conflicting: 0");
        }
        let highs: Vec<i32> = s
            .admin(&db)
            .query(
                "SELECT fatalities_high FROM incidents WHERE id IN ($1, $2) ORDER BY id",
                &[&AK_SAI, &VORUKH],
            )
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(highs, vec![100 + round, 200 + round]);
    }
    assert_eq!(count(s, &db, "SELECT count(*) FROM incidents_history"), 8);
}

#[test]
fn queries_and_maps_from_the_store_equal_those_from_the_pulled_file() {
    let Some((s, db)) = store("t_db_source") else {
        return;
    };
    let url = s.url(&db);
    let d = Dir::new();
    d.write("i.geojson", shipped());
    d.run(&["db", "--db", &url, "push", "i.geojson"]).ok();
    d.run(&["db", "--db", &url, "pull", "-o", "p.geojson"]).ok();
    let cases: Vec<Vec<&str>> = vec![
        vec!["near", "--place", "Vorukh", "--radius-km", "10"],
        vec![
            "near",
            "--lat",
            "39.95",
            "--lon",
            "70.6",
            "--radius-km",
            "25",
            "--format",
            "json",
        ],
        vec![
            "near",
            "--lat",
            "39.95",
            "--lon",
            "70.6",
            "--radius-km",
            "30",
            "--nearest",
            "3",
            "--format",
            "csv",
        ],
        vec![
            "near",
            "--lat",
            "39.95",
            "--lon",
            "70.6",
            "--radius-km",
            "0.001",
        ],
        vec![
            "near",
            "--lat",
            "39.95",
            "--lon",
            "70.6",
            "--nearest",
            "4",
            "--from",
            "2022-01-01",
            "--format",
            "geojson",
        ],
        vec!["near", "--border-km", "2"],
        vec![
            "within",
            "--bbox",
            "70,39.5,71,40.5",
            "--type",
            "armed_clash",
        ],
        vec!["export", "--to", "csv"],
        vec!["render", "-o", "-"],
        vec!["html", "-o", "-"],
    ];
    for case in cases {
        let mut from_db = case.clone();
        from_db.extend(["--db", url.as_str()]);
        let mut from_file = case.clone();
        from_file.extend(["--input", "p.geojson"]);
        let a = d.run(&from_db);
        let b = d.run(&from_file);
        a.ok();
        b.ok();
        assert!(a.stdout == b.stdout, "{:?}: --db and --input differ", case);
        assert!(!a.stdout.is_empty(), "{case:?}");
    }
    // the radius query runs in the database, on the geography index
    let mut admin = s.admin(&db);
    admin.batch_execute("SET enable_seqscan = off").unwrap();
    let plan: Vec<String> = admin
        .query(
            "EXPLAIN SELECT id FROM incidents WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint(70.6, 39.95), 4326)::geography, 1000)",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("incidents_geog_idx"), "{plan}");
    d.run(&[
        "near",
        "--db",
        &url,
        "--input",
        "p.geojson",
        "--nearest",
        "1",
        "--lat",
        "1",
        "--lon",
        "1",
    ])
    .expect_code(2);
}

#[test]
fn gdal_reads_the_layer_without_warnings() {
    let Some((s, db)) = store("t_gdal") else {
        return;
    };
    let d = Dir::new();
    d.write("i.geojson", shipped());
    d.run(&["db", "--db", &s.url(&db), "push", "i.geojson"])
        .ok();
    let conn = format!(
        "PG:host=127.0.0.1 port={} dbname={db} user={} password={}",
        s.port,
        util::pg::ADMIN,
        s.password
    );
    let out = match std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so", &conn])
        .env("PG_LIST_ALL_TABLES", "YES")
        .output()
    {
        Ok(o) => o,
        Err(_) if std::env::var("CI").is_err() => {
            eprintln!("skipped: ogrinfo (gdal-bin) not installed");
            return;
        }
        Err(e) => panic!("ogrinfo: {e}"),
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(
        !text.contains("Warning") && !text.contains("ERROR"),
        "{text}"
    );
    let layer = text.split("Layer name: incidents_layer").nth(1).unwrap();
    assert!(
        layer.contains("Geometry: Point")
            && layer.contains(&format!("Feature Count: {}", shipped_count())),
        "{layer}"
    );
    for column in [
        "date_start: Date",
        "fatalities_best: Integer",
        "geo_uncertainty_m: Real",
        "on_disputed_section: Integer(Boolean)",
        "title: String",
    ] {
        assert!(layer.contains(column), "{column}\n{layer}");
    }
}
