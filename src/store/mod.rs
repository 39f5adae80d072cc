//! The shared store: a PostgreSQL + PostGIS database that several analysts push incidents
//! to, that QGIS and GDAL read as a layer, and that loses nothing.
//!
//! | file | what it owns |
//! |---|---|
//! | `mod.rs` | [`Store`]: connecting, the version check; [`Source`]: a file or the store as a command's input |
//! | `connect.rs` | [`Target`]: the URL, the password (URL, `PGPASSWORD`, `~/.pgpass`), TLS, time-outs, errors without the password |
//! | `migrations.rs` | the schema as numbered migrations (`db init`) |
//! | `columns.rs` | the typed columns QGIS sees, one per incident GeoJSON column |
//! | `push.rs` | [`Store::push`]: upsert with optimistic concurrency |
//! | `pull.rs` | [`Store::pull`], [`Store::features`] (the radius prefilter in the database), [`Base`] |
//! | `log.rs` | [`Store::log`] and [`Store::delete`] |
//!
//! **What is stored.** Each incident is one row of `incidents`: its id, its exact
//! properties (the JSON text, keys in file order), its point, typed copies of the GeoJSON
//! columns for GIS users, a revision number and who changed it when. Pulling writes the
//! features back through [`crate::geojson_io::feature_collection`], so pushing a file into
//! an empty store and pulling it gives the same bytes.
//!
//! **Nothing lost.** Every update keeps the previous version in `incidents_history` and
//! logs who, when and which fields in `changes` (triggers do it, whoever writes). A delete is
//! a soft delete. Pushes take a lock, so two analysts pushing at once are applied one after
//! the other and neither loses a change.
//!
//! **Conflicts.** `db pull -o FILE` also writes `FILE.revisions.json` ([`Base`]): the
//! revision of every incident pulled. Pushing FILE compares each incident with the store:
//! - equal to the store's version: *unchanged*;
//! - different, and the store's revision is still the one pulled: *updated*;
//! - different, but equal to the version that was pulled (or, without a base, to any
//!   earlier version): the file is only out of date; the store's newer version is kept
//!   (*unchanged*, counted as stale);
//! - different from both: someone changed it in the store since it was pulled, and so did
//!   the pusher: a *conflict*, reported with both versions and not applied, unless `force`.
//!
//! Every statement is parameterised; identifiers in the SQL come only from this module's
//! own constants.

pub mod columns;
mod connect;
mod log;
mod migrations;
mod pull;
mod push;

pub use connect::{DEFAULT_CONNECT_TIMEOUT, Target, Tls, pgpass_lookup, redact_url};
pub use log::{Change, DeleteReport};
pub use migrations::{InitReport, LATEST as SCHEMA_VERSION};
pub use pull::{Base, Pulled, base_path};
pub use push::{Conflict, PushReport};

use crate::error::{Error, Result};
use crate::geojson_io::PointFeature;
use crate::model::LonLat;
use postgres::Client;
use std::path::Path;

/// An open connection to a store.
pub struct Store {
    client: Client,
    target: Target,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("target", &self.target.display)
            .finish()
    }
}

impl Store {
    /// Connects to the database at `url` (see [`Target::parse`]). The schema is not
    /// checked: [`Store::open`] does that.
    pub fn connect(url: &str) -> Result<Store> {
        let target = Target::parse(url)?;
        let client = target.connect()?;
        Ok(Store { client, target })
    }

    /// Connects and checks that the schema is the one this bordermap writes: not missing
    /// (run `db init`), not older (run `db init` to upgrade), not newer (upgrade bordermap).
    ///
    /// # Examples
    /// ```no_run
    /// let mut store = bordermap::store::Store::open("postgresql://alice@localhost/desk").unwrap();
    /// let pulled = store.pull().unwrap();
    /// println!("{} incidents", pulled.base.revisions.len());
    /// ```
    pub fn open(url: &str) -> Result<Store> {
        let mut store = Store::connect(url)?;
        let v = migrations::version(&mut store.client)
            .map_err(|e| sql_error(&store.target, "reading the schema version", &e))?;
        match v {
            0 => Err(store.target.error(
                "no bordermap schema in this database; run `bordermap db init` first",
            )),
            v if v > migrations::LATEST => Err(newer_schema(&store.target, v)),
            v if v < migrations::LATEST => Err(store.target.error(format!(
                "the schema is version {v}, older than this bordermap's {}; run `bordermap db init` to upgrade it",
                migrations::LATEST
            ))),
            _ => Ok(store),
        }
    }

    /// The database, as `postgresql://user@host:port/dbname` (never with the password).
    pub fn name(&self) -> &str {
        &self.target.display
    }

    /// Creates or upgrades the schema (`db init`). Idempotent; PostGIS is created when it
    /// is missing and the role may create it.
    ///
    /// # Examples
    /// ```no_run
    /// let mut store = bordermap::store::Store::connect("postgresql://admin@localhost/desk").unwrap();
    /// let r = store.init().unwrap();
    /// assert_eq!(r.to, bordermap::store::SCHEMA_VERSION);
    /// ```
    pub fn init(&mut self) -> Result<InitReport> {
        migrations::init(self)
    }

    /// The PostGIS version, after creating the extension when it is missing.
    fn ensure_postgis(&mut self) -> Result<String> {
        let installed = |c: &mut Client| -> std::result::Result<Option<String>, postgres::Error> {
            Ok(c.query_opt(
                "SELECT extversion FROM pg_extension WHERE extname = 'postgis'",
                &[],
            )?
            .map(|r| r.get(0)))
        };
        let t = self.target.clone();
        if let Some(v) =
            installed(&mut self.client).map_err(|e| sql_error(&t, "looking for PostGIS", &e))?
        {
            return Ok(v);
        }
        let available: bool = self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis')",
                &[],
            )
            .map_err(|e| sql_error(&t, "looking for PostGIS", &e))?
            .get(0);
        if !available {
            return Err(t.error(
                "the PostGIS extension is not installed on this server; install it (Debian: postgresql-15-postgis-3) and run `bordermap db init` again",
            ));
        }
        if let Err(e) = self
            .client
            .batch_execute("CREATE EXTENSION IF NOT EXISTS postgis")
        {
            return Err(t.error(format!(
                "PostGIS is not enabled in this database and role {:?} cannot enable it ({}); ask its owner to run CREATE EXTENSION postgis",
                t.user(),
                db_message(&e)
            )));
        }
        installed(&mut self.client)
            .map_err(|e| sql_error(&t, "looking for PostGIS", &e))?
            .ok_or_else(|| t.error("PostGIS could not be enabled"))
    }
}

/// What the server said, in one line.
fn db_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut m = db.message().to_string();
            if let Some(d) = db.detail() {
                m.push_str(": ");
                m.push_str(d);
            }
            m
        }
        None if e.is_closed() => "the connection to the server was lost".into(),
        None => e.to_string(),
    }
}

/// A failed statement, as an error naming the database and what was being done.
fn sql_error(target: &Target, doing: &str, e: &postgres::Error) -> Error {
    target.error(format!("{doing}: {}", db_message(e)))
}

fn newer_schema(target: &Target, v: i32) -> Error {
    target.error(format!(
        "the schema is version {v}, made by a newer bordermap (this one knows up to version {}); upgrade bordermap",
        migrations::LATEST
    ))
}

/// Where a command's incidents come from: a GeoJSON file (the shipped incidents when
/// `None`), or a store.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A GeoJSON FeatureCollection of Points, or the shipped incidents.
    File(Option<&'a Path>),
    /// The store at this URL.
    Store(&'a str),
}

/// Reads the incident features of `source`: a file within `cap` bytes, or the live
/// incidents of a store in their stored order. With `near` (a point and a radius in
/// metres), a store returns only the incidents the database finds within a slightly larger
/// radius (a GiST-indexed `ST_DWithin` on `geography`); the caller's exact geodesic filter
/// then gives the same answer as on the whole file.
///
/// # Examples
/// ```
/// use bordermap::store::{Source, load_features};
/// let all = load_features(Source::File(None), 0, None).unwrap();
/// assert!(all.len() > 10);
/// ```
pub fn load_features(
    source: Source<'_>,
    cap: u64,
    near: Option<(LonLat, f64)>,
) -> Result<Vec<PointFeature>> {
    match source {
        Source::File(path) => crate::pipeline::load_features(path, cap),
        Source::Store(url) => Store::open(url)?.features(near),
    }
}
