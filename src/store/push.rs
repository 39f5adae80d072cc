//! `db push`: upserting the incidents of a GeoJSON file, with optimistic concurrency.
//!
//! The features are copied into a temporary table (binary `COPY`, every value a parameter),
//! classified against the store in SQL (see the rules in [`super`]), and the inserts and
//! updates applied in the same transaction, under a lock that serialises pushes. Triggers
//! keep the history, the log, the claims and the sources.

use super::columns::{COLUMNS, Kind, typed};
use super::migrations::LOCK_KEY;
use super::pull::Base;
use super::{Store, Target, sql_error};
use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, value_text};
use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What a push did.
#[derive(Debug, Clone, Default)]
pub struct PushReport {
    /// New incidents.
    pub inserted: usize,
    /// Incidents whose store version was replaced (the previous one is in the history).
    pub updated: usize,
    /// Incidents equal to the store's version, or older than it (see `stale`).
    pub unchanged: usize,
    /// Of `unchanged`: incidents whose copy in the file is an earlier version of the
    /// store's (the file is out of date; the store's newer version was kept).
    pub stale: usize,
    /// Incidents changed both in the store since they were pulled and in the file: not
    /// applied.
    pub conflicts: Vec<Conflict>,
    /// The store's revision of every incident of the file that now equals the store's
    /// version (inserted, updated, unchanged but not stale), for the file's [`Base`].
    pub revisions: BTreeMap<String, i32>,
    /// The store's identity.
    pub store: String,
}

/// One incident changed both in the store and in the pushed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The incident id.
    pub id: String,
    /// The revision the file was pulled at, when known.
    pub base_revision: Option<i32>,
    /// The store's revision.
    pub store_revision: i32,
    /// Who last changed it in the store (the database role), and when (UTC).
    pub changed_by: String,
    /// When, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub changed_at: String,
    /// Who deleted it, when it is deleted in the store.
    pub deleted_by: Option<String>,
    /// The store's version: position and properties.
    pub store: (Option<[f64; 2]>, Map<String, Value>),
    /// The file's version.
    pub yours: (Option<[f64; 2]>, Map<String, Value>),
}

impl Conflict {
    /// The fields that differ, in the file's column order: the name, the store's value and
    /// the file's value as text (`geometry` as `lon lat`).
    ///
    /// # Examples
    /// ```
    /// use bordermap::store::Conflict;
    /// use serde_json::json;
    /// let map = |v: serde_json::Value| v.as_object().unwrap().clone();
    /// let c = Conflict {
    ///     id: "a".into(), base_revision: Some(1), store_revision: 2,
    ///     changed_by: "bob".into(), changed_at: "2024-01-01T00:00:00Z".into(), deleted_by: None,
    ///     store: (Some([70.5, 39.8]), map(json!({"title": "x", "fatalities_best": 5}))),
    ///     yours: (Some([70.5, 39.8]), map(json!({"title": "x", "fatalities_best": 7}))),
    /// };
    /// assert_eq!(c.differences(), vec![("fatalities_best".to_string(), "5".to_string(), "7".to_string())]);
    /// ```
    pub fn differences(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        let text = |v: Option<&Value>| v.map_or_else(|| "(none)".to_string(), value_text);
        let mut keys: Vec<&String> = self.yours.1.keys().collect();
        keys.extend(
            self.store
                .1
                .keys()
                .filter(|k| !self.yours.1.contains_key(*k)),
        );
        for k in keys {
            let (a, b) = (self.store.1.get(k), self.yours.1.get(k));
            if a != b {
                out.push((k.clone(), text(a), text(b)));
            }
        }
        if self.store.0 != self.yours.0 {
            let p =
                |x: Option<[f64; 2]>| x.map_or_else(|| "null".into(), |[a, b]| format!("{a} {b}"));
            out.push(("geometry".into(), p(self.store.0), p(self.yours.0)));
        }
        out
    }
}

/// One feature, ready for the staging table.
struct Row {
    id: String,
    lon: Option<f64>,
    lat: Option<f64>,
    properties: String,
    cells: Vec<Box<dyn ToSql + Sync + Send>>,
}

fn staging_sql() -> String {
    let mut sql = String::from(
        "CREATE TEMP TABLE push_in (ord integer, id text, base_rev integer, lon float8, lat float8, properties text, action text",
    );
    for (name, kind) in COLUMNS {
        let wire = if *kind == Kind::Date {
            "text"
        } else {
            kind.sql()
        };
        let _ = write!(sql, ", {name} {wire}");
    }
    sql.push_str(") ON COMMIT DROP");
    sql
}

fn copy_sql() -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
    format!(
        "COPY push_in (ord, id, base_rev, lon, lat, properties, {}) FROM STDIN BINARY",
        names.join(", ")
    )
}

/// The typed values as the `incidents` columns take them (dates cast from their text).
fn typed_values() -> (String, String) {
    let names: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
    let values: Vec<String> = COLUMNS
        .iter()
        .map(|(c, k)| {
            if *k == Kind::Date {
                format!("p.{c}::date")
            } else {
                format!("p.{c}")
            }
        })
        .collect();
    (names.join(", "), values.join(", "))
}

const POINT: &str =
    "CASE WHEN p.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) END";
const SAME_AS_STORE: &str = "i.properties::text = p.properties AND (ST_X(i.geom), ST_Y(i.geom)) IS NOT DISTINCT FROM (p.lon, p.lat)";

const CLASSIFY: &str = "
UPDATE push_in p SET action = CASE
    WHEN i.deleted_at IS NULL AND SAME THEN 'unchanged'
    WHEN i.deleted_at IS NOT NULL AND SAME AND NOT $1::boolean THEN 'stale'
    WHEN $1::boolean THEN 'update'
    WHEN i.deleted_at IS NULL AND p.base_rev = i.revision THEN 'update'
    WHEN EXISTS (
        SELECT 1 FROM incidents_history h
        WHERE h.id = p.id AND (p.base_rev IS NULL OR h.revision = p.base_rev)
          AND h.properties::text = p.properties
          AND (ST_X(h.geom), ST_Y(h.geom)) IS NOT DISTINCT FROM (p.lon, p.lat)
    ) THEN 'stale'
    ELSE 'conflict' END
FROM incidents i WHERE i.id = p.id";

const CONFLICTS: &str = "
SELECT p.id, p.base_rev, i.revision, i.changed_by,
       to_char(i.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
       i.deleted_by, i.properties::text, ST_X(i.geom), ST_Y(i.geom)
FROM push_in p JOIN incidents i ON i.id = p.id
WHERE p.action = 'conflict' ORDER BY p.ord";

impl Store {
    /// Upserts `features` (read from `path`, which names them in messages). `base` holds
    /// the revisions the file was pulled at; `force` applies conflicting changes too (the
    /// store's versions stay in the history). A second identical push changes nothing.
    ///
    /// # Examples
    /// ```no_run
    /// use std::path::Path;
    /// let path = Path::new("output/incidents.geojson");
    /// let text = std::fs::read_to_string(path).unwrap();
    /// let features = bordermap::geojson_io::read_points(path, &text).unwrap();
    /// let mut store = bordermap::store::Store::open("postgresql://alice@localhost/desk").unwrap();
    /// let r = store.push(path, &features, None, false).unwrap();
    /// println!("inserted {}, conflicting {}", r.inserted, r.conflicts.len());
    /// ```
    pub fn push(
        &mut self,
        path: &Path,
        features: &[PointFeature],
        base: Option<&Base>,
        force: bool,
    ) -> Result<PushReport> {
        let store = self.store_id()?;
        if let Some(b) = base.filter(|b| b.store != store) {
            return Err(self.target.error(format!(
                "{}: the base revisions were pulled from another store ({}, this one is {store}); pull from this store first, or push with --force",
                path.display(),
                b.store
            )));
        }
        let t = self.target.clone();
        let mut tx = self
            .client
            .transaction()
            .map_err(fail(&t, "starting the push"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
            .map_err(fail(&t, "waiting for another push to finish"))?;
        send(&mut tx, &t, path, features, base)?;
        let conflicts = apply(&mut tx, &t, force)?;
        let mut report = PushReport {
            store,
            ..PushReport::default()
        };
        count(&mut tx, &t, &mut report)?;
        tx.commit().map_err(fail(&t, "committing the push"))?;
        report.conflicts = conflicts_of(&conflicts, features);
        Ok(report)
    }
}

/// An error maker for a failed statement while `doing` something.
fn fail(t: &Target, doing: &'static str) -> impl Fn(postgres::Error) -> Error + use<> {
    let t = t.clone();
    move |e| sql_error(&t, doing, &e)
}

/// Copies the features into the staging table `push_in`, one at a time (a million
/// incidents never sit in memory twice).
fn send(
    tx: &mut Transaction<'_>,
    t: &Target,
    path: &Path,
    features: &[PointFeature],
    base: Option<&Base>,
) -> Result<()> {
    tx.batch_execute(&staging_sql())
        .map_err(fail(t, "preparing the push"))?;
    let mut types = vec![
        Type::INT4,
        Type::TEXT,
        Type::INT4,
        Type::FLOAT8,
        Type::FLOAT8,
        Type::TEXT,
    ];
    types.extend(COLUMNS.iter().map(|(_, k)| k.wire()));
    let sink = tx
        .copy_in(&copy_sql())
        .map_err(fail(t, "sending the incidents"))?;
    let mut w = BinaryCopyInWriter::new(sink, &types);
    for (i, f) in features.iter().enumerate() {
        let r = row(path, i, f)?;
        let ord = i32::try_from(i + 1).unwrap_or(i32::MAX);
        let base_rev = base.and_then(|b| b.revisions.get(&r.id).copied());
        let mut values: Vec<&(dyn ToSql + Sync)> =
            vec![&ord, &r.id, &base_rev, &r.lon, &r.lat, &r.properties];
        values.extend(r.cells.iter().map(|c| &**c as &(dyn ToSql + Sync)));
        w.write(&values).map_err(fail(t, "sending the incidents"))?;
    }
    w.finish().map_err(fail(t, "sending the incidents"))?;
    Ok(())
}

/// Classifies the staged incidents, applies the inserts and updates, and returns the
/// conflicts (as [`CONFLICTS`] reads them).
fn apply(tx: &mut Transaction<'_>, t: &Target, force: bool) -> Result<Vec<postgres::Row>> {
    tx.batch_execute(
        "ANALYZE push_in;
         UPDATE push_in p SET action = 'insert'
             WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = p.id)",
    )
    .map_err(fail(t, "comparing with the store"))?;
    tx.query(
        "SELECT 1 FROM incidents i JOIN push_in p ON p.id = i.id ORDER BY i.id FOR UPDATE OF i",
        &[],
    )
    .map_err(fail(t, "locking the incidents"))?;
    tx.execute(&CLASSIFY.replace("SAME", SAME_AS_STORE), &[&force])
        .map_err(fail(t, "comparing with the store"))?;
    let conflicts = tx
        .query(CONFLICTS, &[])
        .map_err(fail(t, "reading the conflicts"))?;
    let (names, values) = typed_values();
    tx.execute(
        &format!(
            "INSERT INTO incidents (id, ord, properties, geom, {names})
             SELECT p.id, m.top + p.ord, p.properties::json, {POINT}, {values}
             FROM push_in p CROSS JOIN (SELECT coalesce(max(ord), 0) AS top FROM incidents) m
             WHERE p.action = 'insert' ORDER BY p.ord"
        ),
        &[],
    )
    .map_err(fail(t, "inserting"))?;
    let sets: Vec<String> = names
        .split(", ")
        .zip(values.split(", "))
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    tx.execute(
        &format!(
            "UPDATE incidents i SET properties = p.properties::json, geom = {POINT},
                 deleted_at = NULL, deleted_by = NULL, {}
             FROM push_in p WHERE p.id = i.id AND p.action = 'update'",
            sets.join(", ")
        ),
        &[],
    )
    .map_err(fail(t, "updating"))?;
    Ok(conflicts)
}

/// The counts of each outcome, and the revisions the file's incidents now match.
fn count(tx: &mut Transaction<'_>, t: &Target, report: &mut PushReport) -> Result<()> {
    for r in tx
        .query("SELECT action, count(*) FROM push_in GROUP BY action", &[])
        .map_err(fail(t, "counting"))?
    {
        let n = usize::try_from(r.get::<_, i64>(1)).unwrap_or(0);
        match r.get::<_, Option<String>>(0).as_deref() {
            Some("insert") => report.inserted = n,
            Some("update") => report.updated = n,
            Some("unchanged") => report.unchanged += n,
            Some("stale") => {
                report.unchanged += n;
                report.stale = n;
            }
            _ => {}
        }
    }
    for r in tx
        .query(
            "SELECT p.id, i.revision FROM push_in p JOIN incidents i ON i.id = p.id
             WHERE p.action IN ('insert', 'update', 'unchanged')",
            &[],
        )
        .map_err(fail(t, "reading the revisions"))?
    {
        report.revisions.insert(r.get(0), r.get(1));
    }
    Ok(())
}

/// The conflicts, each with the store's version (from `rows`) and the file's.
fn conflicts_of(rows: &[postgres::Row], features: &[PointFeature]) -> Vec<Conflict> {
    if rows.is_empty() {
        return Vec::new();
    }
    let by_id: std::collections::HashMap<&str, &PointFeature> =
        features.iter().map(|f| (f.id.as_str(), f)).collect();
    rows.iter()
        .map(|c| {
            let id: String = c.get(0);
            let mine = by_id.get(id.as_str());
            let props = serde_json::from_str::<Map<String, Value>>(&c.get::<_, String>(6))
                .unwrap_or_default();
            let store_pos = c
                .get::<_, Option<f64>>(7)
                .zip(c.get::<_, Option<f64>>(8))
                .map(|(a, b)| [a, b]);
            Conflict {
                base_revision: c.get(1),
                store_revision: c.get(2),
                changed_by: c.get(3),
                changed_at: c.get(4),
                deleted_by: c.get(5),
                store: (store_pos, props),
                yours: (
                    mine.and_then(|f| f.position).map(|p| [p.lon(), p.lat()]),
                    mine.map(|f| f.properties.to_map()).unwrap_or_default(),
                ),
                id,
            }
        })
        .collect()
}

/// The staging row of feature `i`: its canonical properties text (what a pull writes back)
/// and its typed columns.
fn row(path: &Path, i: usize, f: &PointFeature) -> Result<Row> {
    let map = f.properties.to_map();
    let properties = serde_json::to_string(&map)
        .map_err(|e| Error::record(path, format!("feature {i} (id {:?})", f.id), e.to_string()))?;
    let cells = COLUMNS
        .iter()
        .map(|(name, kind)| typed(&map, name, *kind))
        .collect();
    Ok(Row {
        id: f.id.to_string(),
        lon: f.position.map(|p| p.lon()),
        lat: f.position.map(|p| p.lat()),
        properties,
        cells,
    })
}
