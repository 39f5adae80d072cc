//! The typed columns of the `incidents` table: one per incident GeoJSON column of
//! [`crate::schema`], with the SQL type QGIS and GDAL show (dates as `date`, figures as
//! `integer`), filled from each feature's properties when it is pushed.
//!
//! The list is frozen per schema version: a column added to [`crate::schema`] needs a new
//! migration (a unit test fails until it has one), so that a store made by an older
//! bordermap is upgraded instead of misread.

use crate::geojson_io::value_text;
use crate::model::Date;
use postgres::types::{ToSql, Type};
use serde_json::{Map, Value};

/// The SQL type of a typed column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `text`: strings as they are, other values as their JSON text.
    Text,
    /// `integer`: whole numbers that fit 32 bits; anything else is NULL.
    Integer,
    /// `double precision`: finite numbers.
    Real,
    /// `boolean`.
    Boolean,
    /// `date`: `YYYY-MM-DD` strings that are real days.
    Date,
}

impl Kind {
    /// The SQL type name.
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Integer => "integer",
            Kind::Real => "double precision",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
        }
    }

    /// The type the value travels as (dates as their ISO text, cast on the server).
    pub fn wire(self) -> Type {
        match self {
            Kind::Text | Kind::Date => Type::TEXT,
            Kind::Integer => Type::INT4,
            Kind::Real => Type::FLOAT8,
            Kind::Boolean => Type::BOOL,
        }
    }
}

use Kind::{Boolean as B, Date as D, Integer as I, Real as R, Text as T};

/// The typed columns of schema version 1, in GeoJSON order (the `id` column is the table's
/// key and is not repeated): [`crate::schema::INCIDENT_COLUMNS`],
/// [`crate::schema::BORDER_COLUMNS`], then [`crate::schema::MERGE_COLUMNS`].
pub const COLUMNS_V1: [(&str, Kind); 61] = [
    ("title", T),
    ("date_start", D),
    ("date_end", D),
    ("date_precision", T),
    ("event_type", T),
    ("aggregate", B),
    ("covers", T),
    ("location_reported", T),
    ("place_query", T),
    ("actors", T),
    ("fatalities_low", I),
    ("fatalities_best", I),
    ("fatalities_high", I),
    ("fatalities_high_open", B),
    ("fatality_rule", T),
    ("n_claims", I),
    ("claims", T),
    ("claims_json", T),
    ("source_ids", T),
    ("sources", T),
    ("source_urls", T),
    ("sources_json", T),
    ("notes", T),
    ("possible_duplicate_of", T),
    ("contradictions", T),
    ("allegations", T),
    ("allegations_json", T),
    ("geo_status", T),
    ("geo_scope", T),
    ("geo_method", T),
    ("geo_place_id", T),
    ("geo_place_name", T),
    ("geo_matched_name", T),
    ("geo_kind", T),
    ("geo_country", T),
    ("geo_admin1", T),
    ("geo_admin2", T),
    ("geo_score", R),
    ("geo_confidence", R),
    ("geo_precision", I),
    ("geo_uncertainty_m", R),
    ("geo_candidates", T),
    ("geo_reason", T),
    ("distance_to_border_m", R),
    ("border_part", T),
    ("border_side", T),
    ("admin_country", T),
    ("nearest_place", T),
    ("nearest_place_m", R),
    ("side_agrees", B),
    ("nearest_section", T),
    ("nearest_section_m", R),
    ("nearest_section_status", T),
    ("on_disputed_section", B),
    ("merge_source", T),
    ("merge_group", T),
    ("duplicate_of", T),
    ("duplicates", T),
    ("n_duplicates", I),
    ("link_reason", T),
    ("merge_original_id", T),
];

/// The typed columns of the newest schema.
pub const COLUMNS: &[(&str, Kind)] = &COLUMNS_V1;

/// The columns of `incidents` that are not incident properties.
pub const RESERVED: [&str; 12] = [
    "fid",
    "id",
    "ord",
    "revision",
    "properties",
    "geom",
    "created_at",
    "created_by",
    "changed_at",
    "changed_by",
    "deleted_at",
    "deleted_by",
];

/// The SQL type of a typed column of the newest schema.
///
/// # Examples
/// ```
/// use bordermap::store::columns::{Kind, kind_of};
/// assert_eq!(kind_of("fatalities_best"), Some(Kind::Integer));
/// assert_eq!(kind_of("date_end"), Some(Kind::Date));
/// assert_eq!(kind_of("src_x"), None);
/// ```
pub fn kind_of(name: &str) -> Option<Kind> {
    COLUMNS.iter().find(|(c, _)| *c == name).map(|(_, k)| *k)
}

/// The value of one typed column, ready to be sent.
pub type Cell = Box<dyn ToSql + Sync + Send>;

/// The typed value of `key` in `props` for a column of `kind`: NULL when the property is
/// missing, null, or not of the column's type (the exact value stays in the properties).
///
/// # Examples
/// ```
/// use bordermap::store::columns::{Kind, typed};
/// use serde_json::json;
/// let p = json!({"fatalities_best": 3, "date_start": "2022-09-14", "bad": "2022-02-30"});
/// let p = p.as_object().unwrap();
/// assert_eq!(format!("{:?}", typed(p, "fatalities_best", Kind::Integer)), "Some(3)");
/// assert_eq!(format!("{:?}", typed(p, "date_start", Kind::Date)), "Some(\"2022-09-14\")");
/// assert_eq!(format!("{:?}", typed(p, "bad", Kind::Date)), "None");
/// assert_eq!(format!("{:?}", typed(p, "missing", Kind::Text)), "None");
/// ```
pub fn typed(props: &Map<String, Value>, key: &str, kind: Kind) -> Cell {
    let v = props.get(key).filter(|v| !v.is_null());
    match kind {
        Kind::Text => Box::new(v.map(value_text)),
        Kind::Integer => Box::new(
            v.and_then(Value::as_i64)
                .and_then(|x| i32::try_from(x).ok()),
        ),
        Kind::Real => Box::new(v.and_then(Value::as_f64).filter(|x| x.is_finite())),
        Kind::Boolean => Box::new(v.and_then(Value::as_bool)),
        Kind::Date => Box::new(
            v.and_then(Value::as_str)
                .filter(|s| s.len() == 10)
                .and_then(|s| Date::parse(s).ok())
                .map(|d| d.to_string())
                .filter(|s| !s.starts_with("0000")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{BORDER_COLUMNS, INCIDENT_COLUMNS, MERGE_COLUMNS};

    /// A column added to `schema.rs` needs a migration: this fails until the store has one.
    #[test]
    fn the_store_has_every_geojson_column_in_order() {
        let geojson: Vec<&str> = INCIDENT_COLUMNS
            .iter()
            .chain(&BORDER_COLUMNS)
            .chain(&MERGE_COLUMNS)
            .copied()
            .filter(|c| *c != "id")
            .collect();
        let store: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
        assert_eq!(store, geojson);
    }

    #[test]
    fn no_typed_column_collides_with_the_bookkeeping_ones() {
        for (c, _) in COLUMNS {
            assert!(!RESERVED.contains(c), "{c}");
        }
    }
}
