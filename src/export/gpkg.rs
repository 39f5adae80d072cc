//! GeoPackage (OGC 12-128, version 1.2, which every GDAL since 2.0 reads without a warning): an SQLite database that QGIS opens natively and
//! GDAL reads without a warning.
//!
//! Three feature tables in EPSG:4326: `incidents` (Points, one typed column per property:
//! `DATE` for columns whose every value is `YYYY-MM-DD`, `BOOLEAN`, `INTEGER`, `REAL`, else
//! `TEXT`; an unlocated incident keeps its row with a null geometry), `border` (the
//! reference line, one LineString per part) and `disputed_sections` (one LineString per
//! section, with its latest status and its status history). Each geometry column has its
//! R-tree spatial index (`rtree_<table>_geom`, filled here, with the triggers of the
//! standard that keep it in step with later edits) registered in `gpkg_extensions`.
//!
//! Geometries are the standard GeoPackage binary: the `GP` header (version 0, little
//! endian, an envelope for lines, none for points) then ISO WKB. Written through `rusqlite`
//! (with SQLite compiled in) to a temporary file, a row at a time, then copied; `last_change` is
//! fixed at `1970-01-01T00:00:00.000Z` so that the same input gives the same bytes.

use super::{Kind, typed_columns};
use crate::border::{Layers, SectionStatus};
use crate::error::{Error, Result};
use crate::geojson_io::{PointFeature, value_text};
use geo::LineString;
use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// The fixed `last_change` of every table (see the module docs).
const LAST_CHANGE: &str = "1970-01-01T00:00:00.000Z";

/// The WKT of EPSG:4326 as the GeoPackage standard gives it.
const WGS84_WKT: &str = r#"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]"#;

impl Kind {
    /// The SQL type of a property column of this kind.
    fn sql(self) -> &'static str {
        match self {
            Kind::Bool => "BOOLEAN",
            Kind::Integer => "INTEGER",
            Kind::Real => "REAL",
            Kind::Date => "DATE",
            Kind::Unknown | Kind::Text => "TEXT",
        }
    }

    /// A property value as this column stores it.
    fn value(self, v: Option<&Value>) -> Sql {
        match (self, v) {
            (_, None | Some(Value::Null)) => Sql::Null,
            (Kind::Bool, Some(Value::Bool(b))) => Sql::Integer(i64::from(*b)),
            (Kind::Integer, Some(Value::Number(n))) if n.is_i64() => {
                Sql::Integer(n.as_i64().unwrap_or_default())
            }
            (Kind::Real, Some(Value::Number(n))) => n.as_f64().map_or(Sql::Null, Sql::Real),
            (_, Some(v)) => Sql::Text(value_text(v)),
        }
    }
}

/// The GeoPackage binary of a point: header without envelope, then WKB.
fn gpkg_point(lon: f64, lat: f64) -> Vec<u8> {
    let mut b = Vec::with_capacity(29);
    b.extend_from_slice(b"GP");
    b.push(0); // version 1 of the binary format
    b.push(0b0000_0001); // little endian, no envelope, not empty, standard type
    b.extend_from_slice(&4326i32.to_le_bytes());
    b.push(1); // WKB little endian
    b.extend_from_slice(&1u32.to_le_bytes()); // Point
    b.extend_from_slice(&lon.to_le_bytes());
    b.extend_from_slice(&lat.to_le_bytes());
    b
}

/// The envelope `[minx, maxx, miny, maxy]` of a line.
fn envelope(ls: &LineString<f64>) -> [f64; 4] {
    let mut e = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for c in ls.coords() {
        e = [e[0].min(c.x), e[1].max(c.x), e[2].min(c.y), e[3].max(c.y)];
    }
    e
}

/// The GeoPackage binary of a line: header with its envelope, then WKB.
fn gpkg_line(ls: &LineString<f64>) -> Vec<u8> {
    let mut b = Vec::with_capacity(45 + 16 * ls.0.len());
    b.extend_from_slice(b"GP");
    b.push(0);
    b.push(0b0000_0011); // little endian, envelope [minx, maxx, miny, maxy]
    b.extend_from_slice(&4326i32.to_le_bytes());
    for x in envelope(ls) {
        b.extend_from_slice(&x.to_le_bytes());
    }
    b.push(1);
    b.extend_from_slice(&2u32.to_le_bytes()); // LineString
    b.extend_from_slice(&(ls.0.len() as u32).to_le_bytes());
    for c in ls.coords() {
        b.extend_from_slice(&c.x.to_le_bytes());
        b.extend_from_slice(&c.y.to_le_bytes());
    }
    b
}

/// A quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The metadata tables every GeoPackage has.
const METADATA: &str = r#"
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10200;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE,
  max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_tile_matrix_set (
  table_name TEXT NOT NULL PRIMARY KEY, srs_id INTEGER NOT NULL, min_x DOUBLE NOT NULL,
  min_y DOUBLE NOT NULL, max_x DOUBLE NOT NULL, max_y DOUBLE NOT NULL,
  CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_tile_matrix (
  table_name TEXT NOT NULL, zoom_level INTEGER NOT NULL, matrix_width INTEGER NOT NULL,
  matrix_height INTEGER NOT NULL, tile_width INTEGER NOT NULL, tile_height INTEGER NOT NULL,
  pixel_x_size DOUBLE NOT NULL, pixel_y_size DOUBLE NOT NULL,
  CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),
  CONSTRAINT fk_tmm_table_name FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name));
CREATE TABLE gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
"#;

/// One feature table being written: its name, geometry type and columns.
struct Layer<'a> {
    name: &'a str,
    geometry: &'a str,
    description: &'a str,
    columns: Vec<(String, Kind)>,
}

/// A row: its geometry (GeoPackage binary and envelope) and its column values.
type Feature = (Option<(Vec<u8>, [f64; 4])>, Vec<Sql>);

fn fail(e: rusqlite::Error) -> Error {
    Error::Output(format!("export: cannot write GeoPackage: {e}"))
}

/// Creates `layer`, inserts its rows, fills its spatial index and registers it.
fn write_layer(
    db: &Connection,
    layer: &Layer<'_>,
    rows: impl ExactSizeIterator<Item = Feature>,
) -> Result<()> {
    let t = ident(layer.name);
    let mut create = format!(
        "CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom {}",
        layer.geometry
    );
    for (c, k) in &layer.columns {
        create.push_str(&format!(", {} {}", ident(c), k.sql()));
    }
    create.push(')');
    db.execute(&create, []).map_err(fail)?;
    let marks = vec!["?"; layer.columns.len() + 1].join(", ");
    let names: Vec<String> = layer.columns.iter().map(|(c, _)| ident(c)).collect();
    let insert = if names.is_empty() {
        format!("INSERT INTO {t} (geom) VALUES (?)")
    } else {
        format!(
            "INSERT INTO {t} (geom, {}) VALUES ({marks})",
            names.join(", ")
        )
    };
    let rtree = ident(&format!("rtree_{}_geom", layer.name));
    db.execute(
        &format!("CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy)"),
        [],
    )
    .map_err(fail)?;
    let mut bounds: Option<[f64; 4]> = None;
    {
        let mut ins = db.prepare(&insert).map_err(fail)?;
        let mut idx = db
            .prepare(&format!(
                "INSERT INTO {rtree} (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)"
            ))
            .map_err(fail)?;
        let bar = crate::progress::bar(rows.len() as u64, "writing GeoPackage");
        for (geom, values) in rows {
            bar.inc(1);
            let (blob, envelope) = match geom {
                Some((g, e)) => (Sql::Blob(g), Some(e)),
                None => (Sql::Null, None),
            };
            ins.execute(rusqlite::params_from_iter(
                std::iter::once(blob).chain(values),
            ))
            .map_err(fail)?;
            if let Some(e) = &envelope {
                let fid = db.last_insert_rowid();
                idx.execute(rusqlite::params![fid, e[0], e[1], e[2], e[3]])
                    .map_err(fail)?;
                bounds = Some(match bounds {
                    None => *e,
                    Some(b) => [
                        b[0].min(e[0]),
                        b[1].max(e[1]),
                        b[2].min(e[2]),
                        b[3].max(e[3]),
                    ],
                });
            }
        }
        bar.finish_and_clear();
    }
    let b = bounds.map(|b| [b[0], b[2], b[1], b[3]]); // min_x, min_y, max_x, max_y
    db.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, 4326)",
        rusqlite::params![
            layer.name,
            layer.name,
            layer.description,
            LAST_CHANGE,
            b.map(|b| b[0]),
            b.map(|b| b[1]),
            b.map(|b| b[2]),
            b.map(|b| b[3]),
        ],
    )
    .map_err(fail)?;
    db.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)",
        rusqlite::params![layer.name, layer.geometry],
    )
    .map_err(fail)?;
    db.execute(
        "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
        rusqlite::params![layer.name],
    )
    .map_err(fail)?;
    db.execute_batch(&rtree_triggers(layer.name))
        .map_err(fail)?;
    Ok(())
}

/// The triggers of the R-tree extension (GeoPackage 1.2, F.3) that keep the index in step
/// with later inserts, updates and deletes. Made after the rows are in: they call the
/// `ST_*` functions that GeoPackage readers provide and plain SQLite lacks.
fn rtree_triggers(table: &str) -> String {
    let t = ident(table);
    let r = ident(&format!("rtree_{table}_geom"));
    let name = |suffix: &str| ident(&format!("rtree_{table}_geom_{suffix}"));
    let box_of = "ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)";
    format!(
        "CREATE TRIGGER {insert} AFTER INSERT ON {t} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) \
BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {box_of}); END;
CREATE TRIGGER {update1} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {box_of}); END;
CREATE TRIGGER {update2} AFTER UPDATE OF geom ON {t} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
CREATE TRIGGER {update3} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom)) \
BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES (NEW.fid, {box_of}); END;
CREATE TRIGGER {update4} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom)) \
BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER {delete} AFTER DELETE ON {t} WHEN old.geom NOT NULL \
BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;",
        insert = name("insert"),
        update1 = name("update1"),
        update2 = name("update2"),
        update3 = name("update3"),
        update4 = name("update4"),
        delete = name("delete"),
    )
}

/// The incidents layer: a column per property, typed over every feature, and its rows,
/// each made as it is written.
fn incidents_layer(
    features: &[PointFeature],
) -> (
    Vec<(String, Kind)>,
    impl ExactSizeIterator<Item = Feature> + '_,
) {
    let typed = typed_columns(features);
    let keys: Vec<String> = typed.iter().map(|(k, _)| k.clone()).collect();
    let mut cols: Vec<(String, Kind)> = vec![("id".into(), Kind::Text)];
    for (k, kind) in typed {
        let kind = match kind {
            // Every incident undated: the date columns are still dates.
            Kind::Unknown if k == "date_start" || k == "date_end" => Kind::Date,
            kind => kind,
        };
        // `fid` and `geom` are the table's own columns.
        let name = if matches!(k.to_lowercase().as_str(), "fid" | "geom") {
            format!("prop_{k}")
        } else {
            k
        };
        cols.push((name, kind));
    }
    let kinds: Vec<Kind> = cols[1..].iter().map(|(_, k)| *k).collect();
    let rows = features.iter().map(move |f| {
        let p = f.properties.to_map();
        let geom = f.position.map(|pos| {
            let (x, y) = (pos.lon(), pos.lat());
            (gpkg_point(x, y), [x, x, y, y])
        });
        let mut values = vec![Sql::Text(f.id.to_string())];
        values.extend(
            keys.iter()
                .zip(&kinds)
                .map(|(k, kind)| kind.value(p.get(k))),
        );
        (geom, values)
    });
    (cols, rows)
}

/// Writes the GeoPackage to `w`: the database is made in a temporary file, a row at a time,
/// then copied. A failed write is an error naming `name`.
pub(super) fn write_gpkg(
    features: &[PointFeature],
    layers: &Layers,
    name: &Path,
    w: &mut dyn Write,
) -> Result<()> {
    let tmp = tempfile::Builder::new()
        .prefix("bordermap-")
        .suffix(".gpkg")
        .tempfile()
        .map_err(|e| Error::Output(format!("export: cannot make a temporary GeoPackage: {e}")))?;
    {
        let mut db = Connection::open(tmp.path()).map_err(fail)?;
        let tx = db.transaction().map_err(fail)?;
        tx.execute_batch(METADATA).map_err(fail)?;
        tx.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'), ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'), ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
            [WGS84_WKT],
        )
        .map_err(fail)?;
        let (cols, rows) = incidents_layer(features);
        let incidents = Layer {
            name: "incidents",
            geometry: "POINT",
            description: "bordermap incidents: one point per located incident (null geometry when not located)",
            columns: cols,
        };
        write_layer(&tx, &incidents, rows)?;
        let border_rows: Vec<Feature> = layers
            .border
            .iter()
            .map(|p| {
                (
                    Some((gpkg_line(&p.line), envelope(&p.line))),
                    vec![Sql::Text(p.id.clone()), Sql::Text(p.name.clone())],
                )
            })
            .collect();
        let border = Layer {
            name: "border",
            geometry: "LINESTRING",
            description: "the KG–TJ reference line (not the border where it is undelimited)",
            columns: vec![("part".into(), Kind::Text), ("name".into(), Kind::Text)],
        };
        write_layer(&tx, &border, border_rows.into_iter())?;
        let section_rows: Vec<Feature> = layers
            .sections
            .iter()
            .map(|s| {
                let latest = s.history.last().map_or(SectionStatus::Disputed, |h| h.1);
                let history: Vec<String> = s
                    .history
                    .iter()
                    .map(|(d, st)| format!("{} from {d}", st.as_str()))
                    .collect();
                (
                    Some((gpkg_line(&s.line), envelope(&s.line))),
                    vec![
                        Sql::Text(s.id.clone()),
                        Sql::Text(s.name.clone()),
                        Sql::Text(s.part.clone()),
                        Sql::Text(latest.as_str().into()),
                        Sql::Text(history.join("; ")),
                        Sql::Integer(i64::from(s.approximate)),
                        Sql::Text(s.sources.join(", ")),
                        Sql::Text(s.description.clone()),
                    ],
                )
            })
            .collect();
        let sections = Layer {
            name: "disputed_sections",
            geometry: "LINESTRING",
            description: "recorded sections of the border with their status history",
            columns: [
                ("id", Kind::Text),
                ("name", Kind::Text),
                ("part", Kind::Text),
                ("status", Kind::Text),
                ("status_history", Kind::Text),
                ("approximate", Kind::Bool),
                ("sources", Kind::Text),
                ("description", Kind::Text),
            ]
            .into_iter()
            .map(|(c, k)| (c.to_string(), k))
            .collect(),
        };
        write_layer(&tx, &sections, section_rows.into_iter())?;
        tx.commit().map_err(fail)?;
        db.close().map_err(|(_, e)| fail(e))?;
    }
    let mut db = std::fs::File::open(tmp.path())
        .map_err(|e| Error::Output(format!("export: cannot read the GeoPackage back: {e}")))?;
    std::io::copy(&mut db, w).map_err(|e| Error::io(name, e))?;
    Ok(())
}
