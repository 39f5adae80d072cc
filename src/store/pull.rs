//! `db pull` and the store as a command's input: the live incidents, in their stored
//! order, as incident GeoJSON (the bytes [`crate::geojson_io::feature_collection`] writes)
//! or as point features, optionally prefiltered by a radius in the database; and [`Base`],
//! the revisions a pulled file was taken at.

use super::{Store, sql_error};
use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, Properties, feature, feature_collection};
use crate::model::LonLat;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The revisions a pulled file was taken at: written next to it by `db pull` as
/// `FILE.revisions.json`, read by `db push FILE` to tell an edit from a stale copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Base {
    /// The store's identity (made by `db init`).
    pub store: String,
    /// The revision of each incident, by id.
    pub revisions: BTreeMap<String, i32>,
}

impl Base {
    /// Reads a revisions file.
    ///
    /// # Examples
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("x.geojson.revisions.json");
    /// std::fs::write(&p, r#"{"store":"s1","revisions":{"a":3}}"#).unwrap();
    /// let b = bordermap::store::Base::read(&p).unwrap();
    /// assert_eq!(b.revisions["a"], 3);
    /// ```
    pub fn read(path: &Path) -> Result<Base> {
        let text = crate::input::read_text(path, 1 << 30)?;
        serde_json::from_str(&text).map_err(|e| Error::Syntax {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: format!("not a bordermap revisions file: {e}"),
        })
    }

    /// The file's text: JSON, ids sorted, one per line.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Where `db pull -o FILE` writes the revisions of FILE: `FILE.revisions.json`.
///
/// # Examples
/// ```
/// use std::path::Path;
/// assert_eq!(bordermap::store::base_path(Path::new("team.geojson")),
///            Path::new("team.geojson.revisions.json"));
/// ```
pub fn base_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_os_string();
    s.push(".revisions.json");
    PathBuf::from(s)
}

/// What `db pull` read.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The incidents as GeoJSON text.
    pub geojson: String,
    /// Their revisions.
    pub base: Base,
}

/// One live incident as stored.
struct Stored {
    id: String,
    position: Option<(f64, f64)>,
    properties: Map<String, Value>,
    revision: i32,
}

/// Margin added to a radius before the database prefilter, so that no incident the exact
/// geodesic keeps can be missed by a difference between the two distance computations.
fn prefilter_radius(r: f64) -> f64 {
    r * 1.001 + 10.0
}

impl Store {
    /// The store's identity, made by `db init`.
    pub(super) fn store_id(&mut self) -> Result<String> {
        let t = self.target.clone();
        self.client
            .query_one(
                "SELECT value FROM bordermap_meta WHERE key = 'store_id'",
                &[],
            )
            .map(|r| r.get(0))
            .map_err(|e| sql_error(&t, "reading the store's identity", &e))
    }

    /// Calls `each` with every live incident, in stored order; within `near`'s radius only
    /// (with a margin) when given.
    fn each_stored(
        &mut self,
        near: Option<(LonLat, f64)>,
        mut each: impl FnMut(Stored) -> Result<()>,
    ) -> Result<()> {
        let t = self.target.clone();
        let near = near.filter(|(_, r)| r.is_finite() && *r >= 0.0);
        let (lon, lat, r) = near.map_or((0.0, 0.0, 0.0), |(p, r)| {
            (p.lon(), p.lat(), prefilter_radius(r))
        });
        let filter = if near.is_some() {
            "AND geom IS NOT NULL AND ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3)"
        } else {
            ""
        };
        let sql = format!(
            "SELECT id, ST_X(geom), ST_Y(geom), properties::text, revision FROM incidents
             WHERE deleted_at IS NULL {filter} ORDER BY ord"
        );
        let params: Vec<&(dyn ToSql + Sync)> = if near.is_some() {
            vec![&lon, &lat, &r]
        } else {
            Vec::new()
        };
        let mut rows = self
            .client
            .query_raw(&sql, params)
            .map_err(|e| sql_error(&t, "reading the incidents", &e))?;
        while let Some(row) = rows
            .next()
            .map_err(|e| sql_error(&t, "reading the incidents", &e))?
        {
            let id: String = row.get(0);
            let x: Option<f64> = row.get(1);
            let y: Option<f64> = row.get(2);
            let text: String = row.get(3);
            let properties = serde_json::from_str(&text).map_err(|e| {
                t.error(format!(
                    "incident {id:?}: the stored properties are not a JSON object: {e}"
                ))
            })?;
            each(Stored {
                id,
                position: x.zip(y),
                properties,
                revision: row.get(4),
            })?;
        }
        Ok(())
    }

    /// The live incidents as incident GeoJSON, in the order they were first pushed, and
    /// their revisions. Pushing a file into an empty store and pulling gives its bytes.
    pub fn pull(&mut self) -> Result<Pulled> {
        let store = self.store_id()?;
        let mut features = Vec::new();
        let mut revisions = BTreeMap::new();
        self.each_stored(None, |s| {
            let geometry = s
                .position
                .map(|(x, y)| json!({"type": "Point", "coordinates": [x, y]}));
            revisions.insert(s.id.clone(), s.revision);
            features.push(feature(Some(s.id.into()), geometry, s.properties));
            Ok(())
        })?;
        Ok(Pulled {
            geojson: feature_collection(&features),
            base: Base { store, revisions },
        })
    }

    /// The live incidents as point features: the same features as reading the pulled file.
    /// With `near` (a point and a radius in metres), only those the database finds within
    /// the radius plus a margin; an exact geodesic filter is the caller's.
    ///
    /// # Examples
    /// ```no_run
    /// use bordermap::LonLat;
    /// let mut store = bordermap::store::Store::open("postgresql://alice@localhost/desk").unwrap();
    /// let vorukh = LonLat::new(70.58, 39.85).unwrap();
    /// let some = store.features(Some((vorukh, 10_000.0))).unwrap();
    /// ```
    pub fn features(&mut self, near: Option<(LonLat, f64)>) -> Result<Vec<PointFeature>> {
        let t = self.target.clone();
        let mut out = Vec::new();
        self.each_stored(near, |s| {
            let position =
                match s.position {
                    None => None,
                    Some((x, y)) => Some(LonLat::new(x, y).map_err(|e| {
                        t.error(format!("incident {:?}: stored position: {e}", s.id))
                    })?),
                };
            out.push(PointFeature {
                id: s.id.into(),
                position,
                properties: Properties::from_map(&s.properties),
            });
            Ok(())
        })?;
        Ok(out)
    }
}
