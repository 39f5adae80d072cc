//! Real data in: UCDP GED and ACLED exports, any table with coordinates (or place names) as
//! delimited text, JSON records or a spreadsheet, and GeoJSON points become project
//! incidents, written as the same GeoJSON that `build` writes, so `near`, `within` and the
//! map renderer read them unchanged.
//!
//! Every column of the source is kept as a property prefixed `src_` (`src_where_prec`,
//! `src_sub_event_type`, …), so nothing the source said is lost.
//!
//! | file | what it owns |
//! |---|---|
//! | `convert.rs` | the row engine: file → table → each row through its format's reader → records |
//! | `read.rs` | a file into a table: delimited text, GeoJSON, JSON records, a sheet; the HXL row; the layout |
//! | `sniff.rs` | the delimiter, `sep=` and decimal commas of delimited text |
//! | `sheet.rs` | spreadsheets (calamine) and JSON records as tables |
//! | `table.rs` | rows of cells, coordinate checks, skipped-row reports |
//! | `roles.rs` | the columns that take a role in a file without a fixed layout |
//! | `dates.rs` | dates as people write them |
//! | `ucdp.rs`, `acled.rs`, `generic.rs` | one reader per layout: columns, precision, claims |
//!
//! A new format is a file beside `ucdp.rs` with its row reader, a variant of [`Format`]
//! (the compiler then lists every `match` that must learn it), and its clap spelling in the
//! binary's `cli/common.rs`.
//!
//! # Undated records
//! A file without a date column imports with one warning, a row with an empty date with a
//! note: the records get `date_precision` unknown (and null dates in GeoJSON), unless
//! [`Options::date`] (`--date`) dates them.
//!
//! # Bad rows
//! A row whose coordinates or date cannot be used is skipped and the rest are imported. Each
//! kind of problem is reported once, with every line number (`skipped 3 rows with an
//! out-of-range latitude: lines 4, 9, 12`), and the exit code is 1 unless `--allow-skips`.
//! Kinds: an empty coordinate; a non-numeric coordinate; a non-finite one (`NaN`, `inf`,
//! `1e400`, which Rust's float parser accepts); latitude and longitude swapped (when only the
//! swapped order fits); projected metres; an out-of-range latitude or longitude; a missing or
//! invalid date; a duplicate id; an empty place name (with `--place-col`); a feature without
//! geometry (GeoJSON).
//!
//! # UCDP GED
//! Columns from the GED codebook: `id`, `date_start`, `date_end`, `date_prec`, `latitude`,
//! `longitude`, `where_prec`, `where_coordinates`, `where_description`, `adm_1`, `adm_2`,
//! `country`, `side_a`, `side_b`, `type_of_violence`, `best`, `low`, `high`, `deaths_a`,
//! `deaths_b`, `deaths_civilians`, `deaths_unknown`, `source_article`, ….
//!
//! `where_prec` → geo precision and uncertainty radius ([`ucdp_where_prec`]):
//!
//! | where_prec | meaning (codebook) | geo_precision | radius |
//! |---|---|---|---|
//! | 1 | the exact location | 1 | 2 km |
//! | 2 | within about 25 km of a known point | 2 | 25 km |
//! | 3 | a second-order administrative division (adm2) | 3 | 50 km |
//! | 4 | a first-order administrative division (adm1) | 3 | 150 km |
//! | 5 | a linear feature or an area that is not an administrative unit | 3 | 150 km, with a note |
//! | 6 | only the country | 3 | 300 km, with a note |
//! | 7 | international waters or airspace | 3 | 300 km, with a note |
//!
//! `date_prec` → date precision: 1 day, 2 range (2–6 days), 3 month, 4 year, 5 range (longer);
//! the dates are `date_start`..`date_end` as UCDP gives them.
//! `type_of_violence` 1 (state-based) and 2 (non-state) → `armed_clash`, 3 (one-sided) →
//! `other`; the original stays in `src_type_of_violence` and in the notes.
//! `low`, `best` and `high` become one claim by `UCDP GED (best, with low and high)`
//! (victims: all sides). `deaths_a` and `deaths_b` (when above 0) become a claim per side by
//! `UCDP GED (deaths per side)`, the victims `KG` or `TJ` when the side names the country (a
//! side that is not one of the two stays in the notes): the project's rule then sums the
//! sides for the best estimate, and UCDP's low and high bound it. The whole breakdown, with
//! civilian and unknown deaths, is in the notes; UCDP's own figures stay in `src_best`,
//! `src_low`, `src_high`.
//!
//! # ACLED
//! Columns: `event_id_cnty`, `event_date`, `time_precision`, `event_type`,
//! `sub_event_type`, `actor1`, `actor2`, `admin1`–`admin3`, `location`, `latitude`,
//! `longitude`, `geo_precision`, `source`, `notes`, `fatalities`, ….
//! Event types follow [`acled_event_type`]. `time_precision` 1 → day; 2 → a range of the week
//! around the date (−3..+3 days); 3 → the month. `geo_precision` is kept: 1 → 2 km, 2 → 15 km,
//! 3 → 50 km. `notes` is the description; `source` becomes the record's own source
//! (`ACLED, coded from: <source>`), and `fatalities` a claim by `ACLED (from <source>)`.
//!
//! # Any table
//! Delimited text (`,`, `;`, tab or `|`, sniffed; see `sniff.rs`), a JSON array of records,
//! or one sheet of a spreadsheet. Coordinates from the columns `lat`/`latitude`/`y` and
//! `lon`/`lng`/`long`/`longitude`/`x` (any case; `--lat-col`/`--lon-col` name others), or
//! names geocoded from `--place-col` through the gazetteer. The columns that take a role
//! (date, id, event type, category, description in each language, links, title, place,
//! context) are listed in `roles.rs` and the README; an id column other than `id` is the id
//! only when its values are unique. Dates: see [`parse_date`].
//!
//! # GeoJSON
//! A FeatureCollection of Points, read by [`crate::geojson_io::read_points`]; properties are
//! recognised as for a CSV. Columns that bordermap computes (fatalities, `geo_*` other than
//! the precision and radius, the border analytics, merge links) are recomputed, not copied, so
//! an exported file imports back to the same incidents.

mod acled;
mod checks;
mod convert;
mod dates;
mod generic;
mod geojson_out;
mod read;
mod roles;
mod sheet;
mod sniff;
mod table;
mod ucdp;

pub use acled::{acled_event_type, acled_geo_precision};
pub use convert::{import_bytes, import_bytes_into, import_text};
pub use dates::{DayOrder, Span, TWO_DIGIT_YEARS, excel_serial_date, parse_date, parse_date_loose};
pub use geojson_out::{RecordsWriter, WRITE_BLOCK};
pub use sniff::SNIFF_LINES;
pub use ucdp::ucdp_where_prec;

use crate::error::{Diagnostic, Result};
use crate::geocode::Geocoded;
use crate::model::Source;
use serde_json::Value;

/// The formats `import` reads: three table layouts (UCDP, ACLED, any table) and the file
/// kinds they come in. A JSON array of records or a spreadsheet is read with the layout its
/// header shows, as a CSV would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A UCDP Georeferenced Event Dataset (GED) CSV.
    Ucdp,
    /// An ACLED export CSV.
    Acled,
    /// Any CSV (or `;`, tab or `|`-separated text) with coordinates, or with place names (`--place-col`).
    Csv,
    /// A GeoJSON FeatureCollection of Points.
    Geojson,
    /// A JSON array of records (or an object of arrays of records).
    Json,
    /// An Excel workbook (`.xlsx`).
    Xlsx,
    /// An Excel 97–2003 workbook (`.xls`).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ucdp => "ucdp",
            Format::Acled => "acled",
            Format::Csv => "csv",
            Format::Geojson => "geojson",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The format; detected when `None`.
    pub from: Option<Format>,
    /// The latitude column.
    pub lat_col: Option<String>,
    /// The longitude column.
    pub lon_col: Option<String>,
    /// Geocode this column's names instead of reading coordinates.
    pub place_col: Option<String>,
    /// The dates of every row that has none of its own (`--date`): a day or a range.
    pub date: Option<Span>,
    /// How to read all-numeric dates such as `09/05/2020` (`--date-format`).
    pub date_format: Option<DayOrder>,
    /// The sheet of a spreadsheet to read (`--sheet`; default the first).
    pub sheet: Option<String>,
    /// The column with each row's country (a code or an English name), a constraint on
    /// its place name.
    pub country_col: Option<String>,
    /// The column with each row's region, a constraint on its place name.
    pub admin1_col: Option<String>,
    /// The country, region, district and nearby places for rows that do not give their own.
    pub context: Hints,
}

/// Context for the place names of every row (a row's own columns win).
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Region.
    pub admin1: Option<String>,
    /// District.
    pub admin2: Option<String>,
    /// Other places named near it.
    pub near: Vec<String>,
}

/// One imported incident: the geocoded incident, the sources it cites, and the extra
/// properties (the source's own columns, prefixed `src_`).
#[derive(Debug, Clone)]
pub struct Record {
    /// The incident, located.
    pub geocoded: Geocoded,
    /// The sources the incident cites.
    pub sources: Vec<Source>,
    /// `src_*` properties, in the source's column order.
    pub extra: Extra,
}

/// The `src_*` properties of a record, kept compactly: the names are shared by every record
/// of a file, and a row of text keeps its cells in one buffer (a large import holds every
/// record at once).
#[derive(Debug, Clone)]
pub struct Extra {
    keys: std::sync::Arc<[String]>,
    data: ExtraData,
}

#[derive(Debug, Clone)]
enum ExtraData {
    /// A row of text: its cells, and for each key the cell it takes.
    Cells {
        cells: csv::StringRecord,
        index: std::sync::Arc<[usize]>,
    },
    /// Typed values (GeoJSON and JSON records), one per key (`None`: removed).
    Values(Vec<Option<Value>>),
}

impl Extra {
    /// The values for `keys`, in the same order (`None`: no such property).
    pub fn new(keys: std::sync::Arc<[String]>, values: Vec<Option<Value>>) -> Self {
        Extra {
            keys,
            data: ExtraData::Values(values),
        }
    }

    /// Text cells: key `k` takes `cells[index[k]]` (empty when the row is short).
    pub(crate) fn cells(
        keys: std::sync::Arc<[String]>,
        index: std::sync::Arc<[usize]>,
        cells: csv::StringRecord,
    ) -> Self {
        Extra {
            keys,
            data: ExtraData::Cells { cells, index },
        }
    }

    /// The value of a property.
    ///
    /// # Examples
    /// ```
    /// use bordermap::import::Extra;
    /// let keys: std::sync::Arc<[String]> = vec!["src_a".to_string()].into();
    /// let e = Extra::new(keys, vec![Some("x".into())]);
    /// assert_eq!(e.get("src_a").unwrap(), "x");
    /// assert!(e.get("src_b").is_none());
    /// ```
    pub fn get(&self, key: &str) -> Option<Value> {
        let k = self.keys.iter().position(|x| x == key)?;
        self.value(k)
    }

    fn value(&self, k: usize) -> Option<Value> {
        match &self.data {
            ExtraData::Cells { cells, index } => {
                Some(cells.get(index[k]).unwrap_or_default().into())
            }
            ExtraData::Values(v) => v.get(k).cloned().flatten(),
        }
    }

    /// Removes a property.
    pub fn remove(&mut self, key: &str) {
        let Some(k) = self.keys.iter().position(|x| x == key) else {
            return;
        };
        if let ExtraData::Cells { .. } = self.data {
            let values = (0..self.keys.len()).map(|i| self.value(i)).collect();
            self.data = ExtraData::Values(values);
        }
        if let ExtraData::Values(v) = &mut self.data
            && let Some(slot) = v.get_mut(k)
        {
            *slot = None;
        }
    }

    /// The properties, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, Value)> {
        self.keys
            .iter()
            .enumerate()
            .filter_map(|(k, key)| self.value(k).map(|v| (key, v)))
    }
}

/// The result of an import.
#[derive(Debug)]
pub struct Imported {
    /// The layout read: UCDP, ACLED, or any table (`csv`, `json`, `geojson`).
    pub format: Format,
    /// What the file was read as: `','-separated`, `';'-separated, decimal commas
    /// accepted`, `xlsx sheet "Sheet1"`, `JSON records`, …
    pub read_as: String,
    /// Which columns took which role: (column(s), role).
    pub columns: Vec<(String, String)>,
    /// Records imported without a date (`date_precision` unknown).
    pub undated: usize,
    /// Data rows (or features) read.
    pub rows: usize,
    /// Rows skipped.
    pub skipped: usize,
    /// Records imported (whether kept in `records` or handed to a sink).
    pub imported: usize,
    /// The incidents, in file order (empty when a sink took them: see
    /// [`import_bytes_into`]).
    pub records: Vec<Record>,
    /// One diagnostic per kind of skipped row, then the geocoder's.
    pub diagnostics: Vec<Diagnostic>,
}

/// Detects the format of a CSV from its header.
///
/// # Examples
/// ```
/// use bordermap::import::{detect_csv, Format};
/// let h = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
/// assert_eq!(detect_csv(&h("event_id_cnty,event_date,latitude,longitude")), Format::Acled);
/// assert_eq!(detect_csv(&h("id,date_start,date_prec,where_prec,best,latitude,longitude")), Format::Ucdp);
/// assert_eq!(detect_csv(&h("name,Lat,Lon,date")), Format::Csv);
/// ```
pub fn detect_csv(header: &[String]) -> Format {
    let has = |name: &str| header.iter().any(|h| h.trim().eq_ignore_ascii_case(name));
    if has("event_id_cnty") || (has("event_date") && has("sub_event_type") && has("geo_precision"))
    {
        Format::Acled
    } else if has("where_prec") && has("date_prec") && (has("best") || has("type_of_violence")) {
        Format::Ucdp
    } else {
        Format::Csv
    }
}

/// The GeoJSON of imported records: the columns of `bordermap build` (with the border
/// analytics; `gazetteer` names the settlement nearest to given coordinates), then the
/// `src_*` columns.
pub fn records_geojson(records: &[Record], gazetteer: &crate::Gazetteer) -> Result<String> {
    let mut out = Vec::new();
    write_records_geojson(records, gazetteer, &mut out)?;
    String::from_utf8(out).map_err(|e| crate::Error::Output(format!("import: {e}")))
}

/// [`records_geojson`], written to `w` (see [`RecordsWriter`]).
pub fn write_records_geojson(
    records: &[Record],
    gazetteer: &crate::Gazetteer,
    w: &mut dyn std::io::Write,
) -> Result<()> {
    let mut out = RecordsWriter::new(gazetteer, w)?;
    // A few blocks per call: the text made at once stays a few tens of megabytes.
    for block in records.chunks(WRITE_BLOCK * 8) {
        out.write(block)?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Gazetteer;
    use std::path::Path;

    fn import(text: &str, opts: &Options) -> Imported {
        import_text(Path::new("t.csv"), text, opts, &Gazetteer::default()).unwrap()
    }

    #[test]
    fn bad_rows_are_grouped_by_kind_with_lines() {
        let text = "name,lat,lon,date\n\
                    a,39.85,70.58,2022-09-16\n\
                    b,95,170.58,2022-09-16\n\
                    c,,70.58,2022-09-16\n\
                    d,NaN,70.58,2022-09-16\n\
                    e,1e400,70.58,2022-09-16\n\
                    f,139.85,70.58,2022-09-16\n\
                    g,96,-170,2022-09-16\n\
                    h,39.8,70.5,2022-02-30\n";
        let out = import(text, &Options::default());
        assert_eq!(out.records.len(), 1);
        assert_eq!(out.skipped, 7);
        let msgs: Vec<String> = out.diagnostics.iter().map(|d| d.message.clone()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("skipped 2 rows with an out-of-range latitude: lines 3, 8")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("swapped")), "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("skipped 2 rows with a non-finite coordinate")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("line 9")), "{msgs:?}");
    }

    #[test]
    fn acled_week_and_month_precision() {
        let text = "event_id_cnty,event_date,time_precision,event_type,sub_event_type,latitude,longitude,geo_precision,fatalities,source\n\
                    KGZ1,2022-09-16,2,Battles,Armed clash,39.85,70.58,1,3,AKIpress\n\
                    KGZ2,16 September 2022,3,Battles,Armed clash,39.85,70.58,2,0,24.kg\n";
        let out = import(text, &Options::default());
        assert_eq!(out.format, Format::Acled);
        let a = &out.records[0].geocoded.incident;
        assert_eq!(
            (a.date_start.to_string(), a.date_end.to_string()),
            ("2022-09-13".into(), "2022-09-19".into())
        );
        let b = &out.records[1].geocoded.incident;
        assert_eq!(b.date_end.to_string(), "2022-09-30");
        assert_eq!(b.claims[0].claimant, "ACLED (from 24.kg)");
        assert_eq!(
            out.records[1].geocoded.location.as_ref().unwrap().precision,
            2
        );
    }
}
