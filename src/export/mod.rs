//! Real data out: incidents as GeoJSON, CSV with WKT, KML for Google Earth, or FlatGeobuf.
//!
//! The input is any GeoJSON FeatureCollection of incident Points (`--input`), by default the
//! shipped incidents, geocoded. Output is deterministic: the same input gives the same bytes.
//!
//! - **GeoJSON**: RFC 7946, as `build` writes it.
//! - **CSV**: `id`, `lat`, `lon`, `wkt` (`POINT (lon lat)`, or `POINT EMPTY` for an
//!   unlocated incident), then every property as a column, in first-seen order. Cells are
//!   quoted as RFC 4180 requires; values are written unchanged.
//! - **KML**: a Placemark per located incident with its title, an HTML description (dates,
//!   place and precision, fatalities, every claim with its claimant, the sources), a
//!   `<TimeSpan>` from `date_start` to `date_end` for Google Earth's time slider, a
//!   `<Style>` per event type and the properties as `<ExtendedData>`; then a folder with the
//!   border line and one with the disputed sections and their status history. The
//!   description is escaped HTML, not CDATA: every string from the data goes through one
//!   escaping function, [`crate::xml::escape`] (the one the maps and the page use), once
//!   for the HTML and once more for the XML around it. Data never becomes an element or
//!   attribute name, a style id or a link.
//! - **FlatGeobuf**: Points in EPSG:4326 with a spatial index, a typed column per property
//!   (bool, integer, float, date-time for columns whose every value is `YYYY-MM-DD`, else
//!   string). Unlocated incidents are left out, with a note.
//! - **GeoPackage**: the incidents with typed columns (dates as `DATE`), the
//!   border and the disputed sections as their own layers, each with its spatial index.

mod gpkg;

use gpkg::write_gpkg;

use crate::border::{Layers, SectionStatus};
use crate::error::{Error, Result};
use crate::geojson_io::{
    PointFeature, bbox_of_positions, feature, point_geometry, round6, value_text,
    write_feature_collection,
};
use crate::model::{Claim, Date, EventType};
use crate::output::csv_io_error;
use crate::xml::escape;
use geo::LineString;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 7946 GeoJSON.
    Geojson,
    /// CSV with lat, lon and a WKT column, then the properties.
    Csv,
    /// KML for Google Earth, with time spans, styles, the border and the disputed sections.
    Kml,
    /// FlatGeobuf (binary, indexed).
    Fgb,
    /// GeoPackage (an SQLite database with the OGC tables; QGIS's native format).
    Gpkg,
}

impl Format {
    /// The format's name for people: `GeoJSON`, `CSV`, `KML`, `FlatGeobuf`.
    pub fn label(self) -> &'static str {
        match self {
            Format::Geojson => "GeoJSON",
            Format::Csv => "CSV",
            Format::Kml => "KML",
            Format::Fgb => "FlatGeobuf",
            Format::Gpkg => "GeoPackage",
        }
    }
}

/// What [`export`] made.
#[derive(Debug)]
pub struct Exported {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Incidents left out because they have no position (KML and FlatGeobuf only; a
    /// GeoPackage keeps them with a null geometry).
    pub skipped: usize,
}

/// Writes `features` in `format`, in memory (see [`write_export`] to write a large file
/// straight to its place). The same input gives the same bytes.
///
/// # Examples
/// ```
/// use bordermap::export::{Format, export};
/// let features = bordermap::pipeline::load_features(None, 0).unwrap();
/// let csv = export(Format::Csv, &features).unwrap();
/// assert!(csv.bytes.starts_with(b"id,lat,lon,wkt"));
/// let gpkg = export(Format::Gpkg, &features).unwrap();
/// assert!(gpkg.bytes.starts_with(b"SQLite format 3\0"));
///
/// // CSV: a property `id` equal to the feature id is not repeated; cells are quoted as
/// // RFC 4180 requires.
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a",
///   "geometry":{"type":"Point","coordinates":[70.58012,39.85125]},"properties":{"id":"a","title":"a, \"b\""}}]}"#;
/// let f = bordermap::geojson_io::read_points(std::path::Path::new("x"), text).unwrap();
/// let csv = export(Format::Csv, &f).unwrap();
/// assert_eq!(
///     String::from_utf8(csv.bytes).unwrap(),
///     "id,lat,lon,wkt,title\na,39.85125,70.58012,POINT (70.58012 39.85125),\"a, \"\"b\"\"\"\n"
/// );
/// ```
pub fn export(format: Format, features: &[PointFeature]) -> Result<Exported> {
    let mut bytes = Vec::new();
    let skipped = write_export(format, features, Path::new("<memory>"), &mut bytes)?;
    Ok(Exported { bytes, skipped })
}

/// Writes `features` in `format` to `w` and returns how many incidents were left out (see
/// [`Exported`]). Each feature's properties are parsed, written and dropped in turn (CSV,
/// FlatGeobuf and GeoPackage read them once more first, to find and type the columns), so a
/// large export is never held in memory; FlatGeobuf and GeoPackage pass through a temporary file,
/// as their writers need. A failed write is an error naming `name`.
///
/// # Examples
/// ```
/// use bordermap::export::{Format, write_export};
/// let features = bordermap::pipeline::load_features(None, 0).unwrap();
/// let mut out = Vec::new();
/// let skipped = write_export(Format::Geojson, &features, "out.geojson".as_ref(), &mut out).unwrap();
/// assert_eq!(skipped, 0);
/// assert!(out.starts_with(br#"{"type":"FeatureCollection""#));
/// ```
pub fn write_export(
    format: Format,
    features: &[PointFeature],
    name: &Path,
    w: &mut dyn Write,
) -> Result<usize> {
    let io = |e| Error::io(name, e);
    match format {
        Format::Geojson => write_geojson(features, w).map(|()| 0).map_err(io),
        Format::Csv => write_csv(features, w).map(|()| 0).map_err(io),
        Format::Kml => write_kml(features, &Layers::shipped()?, w).map_err(io),
        Format::Fgb => write_fgb(features, name, w),
        Format::Gpkg => write_gpkg(features, &Layers::shipped()?, name, w).map(|()| 0),
    }
}

/// GeoJSON, as `build` writes it, written to `w` a feature at a time.
fn write_geojson(features: &[PointFeature], w: &mut dyn Write) -> std::io::Result<()> {
    let bar = crate::progress::bar(features.len() as u64, "writing GeoJSON");
    let bbox = bbox_of_positions(features.iter().filter_map(|f| f.position));
    let out = features.iter().map(|f| {
        bar.inc(1);
        feature(
            Some(f.id.as_str().into()),
            f.position.map(point_geometry),
            f.properties.to_map(),
        )
    });
    write_feature_collection(bbox, out, w)?;
    bar.finish_and_clear();
    Ok(())
}

/// CSV: `id,lat,lon,wkt`, then the properties (a property `id` equal to the feature id is
/// not repeated; other properties named like the first four get a `prop_` prefix), written to
/// `w` a row at a time. Cells a spreadsheet would run as formulas are defused
/// ([`crate::spreadsheet::defuse`]). The columns are found first, in a pass that reads only
/// the properties' keys.
fn write_csv(features: &[PointFeature], w: &mut dyn Write) -> std::io::Result<()> {
    // The property keys of all features, in first-seen order.
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<String> = Vec::new();
    let mut id_differs = false;
    for f in features {
        let mut has_id = false;
        f.properties.each_key(|k| {
            if k == "id" {
                has_id = true;
            } else if !seen.contains(k) {
                seen.insert(k.to_string());
                keep.push(k.to_string());
            }
        });
        // A property `id` that differs from the feature id is kept as `prop_id`.
        id_differs |= has_id
            && f.properties
                .get("id")
                .is_some_and(|v| value_text(&v) != f.id);
    }
    let fixed = ["id", "lat", "lon", "wkt"];
    let mut header: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    if id_differs {
        header.push("prop_id".into());
    }
    header.extend(keep.iter().map(|k| {
        if fixed.contains(&k.as_str()) {
            format!("prop_{k}")
        } else {
            k.clone()
        }
    }));
    let bar = crate::progress::bar(features.len() as u64, "writing CSV");
    let mut c = csv::WriterBuilder::new().from_writer(w);
    c.write_record(&header).map_err(csv_io_error)?;
    let mut rec: Vec<String> = Vec::with_capacity(header.len());
    for f in features {
        bar.inc(1);
        let p = f.properties.to_map();
        rec.clear();
        rec.push(f.id.to_string());
        match f.position {
            Some(pos) => {
                let (lon, lat) = (round6(pos.lon()), round6(pos.lat()));
                rec.push(lat.to_string());
                rec.push(lon.to_string());
                rec.push(format!("POINT ({lon} {lat})"));
            }
            None => {
                rec.extend([String::new(), String::new(), "POINT EMPTY".into()]);
            }
        }
        if id_differs {
            rec.push(p.get("id").map(value_text).unwrap_or_default());
        }
        for k in &keep {
            rec.push(p.get(k).map(value_text).unwrap_or_default());
        }
        for cell in &rec {
            c.write_field(crate::spreadsheet::defuse(cell).as_bytes())
                .map_err(csv_io_error)?;
        }
        c.write_record(None::<&[u8]>).map_err(csv_io_error)?;
    }
    c.flush()?;
    bar.finish_and_clear();
    Ok(())
}

/// KML colour (`aabbggrr`) of an event type: the maps' palette ([`EventType::colour`]),
/// opaque.
///
/// # Examples
/// ```
/// assert_eq!(bordermap::export::kml_colour(bordermap::EventType::Shelling), "ffb27200");
/// ```
pub fn kml_colour(t: EventType) -> String {
    let hex = t.colour().trim_start_matches('#');
    let (r, g, b) = (&hex[0..2], &hex[2..4], &hex[4..6]);
    format!("ff{b}{g}{r}")
}

fn section_colour(s: SectionStatus) -> &'static str {
    match s {
        SectionStatus::Disputed => "ff0000e0",
        SectionStatus::Undelimited => "ff00a5ff",
        SectionStatus::Agreed => "ff00a000",
    }
}

fn coords(ls: &LineString<f64>) -> String {
    ls.coords()
        .map(|c| format!("{},{}", round6(c.x), round6(c.y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The HTML shown in Google Earth's balloon. Every data string is escaped here (for HTML);
/// the caller escapes the whole again for the XML it sits in.
fn description_html(p: &Map<String, Value>) -> String {
    let get = |k: &str| p.get(k).map(value_text).unwrap_or_default();
    let mut h = String::new();
    let _ = write!(h, "<h3>{}</h3>", escape(&get("title")));
    if get("date_start").is_empty() {
        let _ = write!(
            h,
            "<p>undated (the source gives no date); {}</p>",
            escape(&get("event_type"))
        );
    } else {
        let _ = write!(
            h,
            "<p>{} – {} ({}); {}</p>",
            escape(&get("date_start")),
            escape(&get("date_end")),
            escape(&get("date_precision")),
            escape(&get("event_type"))
        );
    }
    let place = get("geo_place_name");
    let _ = write!(
        h,
        "<p>Reported location: {}. Placed at: {} (precision {}, ±{} m).</p>",
        escape(&get("location_reported")),
        escape(if place.is_empty() { "—" } else { &place }),
        escape(&get("geo_precision")),
        escape(&get("geo_uncertainty_m"))
    );
    if let Some(note) = crate::schema::side_note(|k| p.get(k).cloned()) {
        let _ = write!(h, "<p>{}</p>", escape(&note));
    }
    if p.contains_key("fatalities_best") {
        let text = crate::schema::fatalities_text(|k| p.get(k).cloned());
        let _ = write!(h, "<p>Fatalities: {}</p>", escape(&text));
    }
    let claims: Vec<Claim> = p
        .get("claims_json")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    if !claims.is_empty() {
        h.push_str("<h4>Claims</h4><ul>");
        for c in &claims {
            let _ = write!(
                h,
                "<li>{} — claimant {} ({}), source {}, {}{}</li>",
                escape(&c.summary()),
                escape(&c.claimant),
                escape(c.claimant_side.as_str()),
                escape(&c.source),
                escape(&c.date),
                c.note
                    .as_deref()
                    .map_or(String::new(), |n| format!(". {}", escape(n)))
            );
        }
        h.push_str("</ul>");
    } else if !get("claims").is_empty() {
        let _ = write!(h, "<h4>Claims</h4><p>{}</p>", escape(&get("claims")));
    }
    let sources = get("sources");
    let urls = get("source_urls");
    if !sources.is_empty() || !urls.is_empty() {
        h.push_str("<h4>Sources</h4><ul>");
        for s in sources.split(" | ").filter(|s| !s.is_empty()) {
            let _ = write!(h, "<li>{}</li>", escape(s));
        }
        for u in urls.split_whitespace() {
            // Shown as text, never as a link: a link target from the data could be a script.
            let _ = write!(h, "<li>{}</li>", escape(u));
        }
        h.push_str("</ul>");
    }
    let notes = get("notes");
    if !notes.is_empty() {
        let _ = write!(h, "<p>Notes: {}</p>", escape(&notes));
    }
    h
}

/// The type of a property column, found over every feature's values: the FlatGeobuf
/// column types and the GeoPackage SQL types are named after it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// No value yet (every value null): written as text.
    Unknown,
    Bool,
    Integer,
    Real,
    /// Every value is a `YYYY-MM-DD` date.
    Date,
    Text,
}

impl Kind {
    /// The kind of one value; `None` for null, which any column holds.
    fn of(v: &Value) -> Option<Kind> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => Kind::Bool,
            Value::Number(n) if n.is_i64() => Kind::Integer,
            Value::Number(_) => Kind::Real,
            Value::String(s) if s.len() == 10 && Date::parse(s).is_ok() => Kind::Date,
            _ => Kind::Text,
        })
    }

    /// The kind of a column holding values of both kinds.
    fn merge(self, other: Kind) -> Kind {
        match (self, other) {
            (Kind::Unknown, t) => t,
            (a, b) if a == b => a,
            (Kind::Integer, Kind::Real) | (Kind::Real, Kind::Integer) => Kind::Real,
            _ => Kind::Text,
        }
    }
}

/// The property keys of `features` in first-seen order (`id` left out, as the formats
/// give it its own column), each with the [`Kind`] of all its values. Each feature's
/// properties are parsed in turn and dropped, so that the columns of a large file are found
/// without holding its values.
fn typed_columns(features: &[PointFeature]) -> Vec<(String, Kind)> {
    let mut cols: Vec<(String, Kind)> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let bar = crate::progress::bar(features.len() as u64, "reading");
    for f in features {
        bar.inc(1);
        for (k, v) in f.properties.to_map() {
            if k == "id" {
                continue;
            }
            let i = match at.get(&k) {
                Some(&i) => i,
                None => {
                    at.insert(k.clone(), cols.len());
                    cols.push((k, Kind::Unknown));
                    cols.len() - 1
                }
            };
            if let Some(this) = Kind::of(&v) {
                cols[i].1 = cols[i].1.merge(this);
            }
        }
    }
    bar.finish_and_clear();
    cols
}

/// KML for Google Earth (see the module docs), written to `w` a placemark at a time; returns
/// the incidents left out (those without a position).
fn write_kml(
    features: &[PointFeature],
    layers: &Layers,
    w: &mut dyn Write,
) -> std::io::Result<usize> {
    let mut k = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>bordermap incidents</name>\n",
    );
    for t in EventType::ALL {
        let _ = writeln!(
            k,
            "<Style id=\"type-{}\"><IconStyle><color>{}</color><scale>1.1</scale><Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle><LabelStyle><scale>0.8</scale></LabelStyle></Style>",
            t.as_str(),
            kml_colour(t)
        );
    }
    k.push_str("<Style id=\"border\"><LineStyle><color>ff202020</color><width>2</width></LineStyle></Style>\n");
    for s in [
        SectionStatus::Disputed,
        SectionStatus::Undelimited,
        SectionStatus::Agreed,
    ] {
        let _ = writeln!(
            k,
            "<Style id=\"section-{}\"><LineStyle><color>{}</color><width>5</width></LineStyle></Style>",
            s.as_str(),
            section_colour(s)
        );
    }
    k.push_str("<Folder>\n<name>Incidents</name>\n");
    let mut skipped = 0;
    let bar = crate::progress::bar(features.len() as u64, "writing KML");
    for f in features {
        bar.inc(1);
        let Some(pos) = f.position else {
            skipped += 1;
            continue;
        };
        w.write_all(k.as_bytes())?;
        k.clear();
        let p = &f.properties.to_map();
        let get = |key: &str| p.get(key).map(value_text).unwrap_or_default();
        let title = match get("title") {
            t if t.is_empty() => f.id.to_string(),
            t => t,
        };
        k.push_str("<Placemark>\n");
        let _ = writeln!(k, "<name>{}</name>", escape(&title));
        let _ = writeln!(
            k,
            "<description>{}</description>",
            escape(&description_html(p))
        );
        let begin = Date::parse_dated(&get("date_start")).ok();
        let end = Date::parse_dated(&get("date_end")).ok().or(begin);
        if let (Some(b), Some(e)) = (begin, end) {
            let _ = writeln!(
                k,
                "<TimeSpan><begin>{b}</begin><end>{}</end></TimeSpan>",
                e.max(b)
            );
        }
        let style = EventType::parse(&get("event_type")).unwrap_or(EventType::Other);
        let _ = writeln!(k, "<styleUrl>#type-{}</styleUrl>", style.as_str());
        k.push_str("<ExtendedData>");
        let _ = write!(
            k,
            "<Data name=\"id\"><value>{}</value></Data>",
            escape(&f.id)
        );
        for (key, v) in p {
            if key == "id" || key == "claims_json" {
                continue;
            }
            let _ = write!(
                k,
                "<Data name=\"{}\"><value>{}</value></Data>",
                escape(key),
                escape(&value_text(v))
            );
        }
        k.push_str("</ExtendedData>\n");
        let _ = writeln!(
            k,
            "<Point><coordinates>{},{}</coordinates></Point>\n</Placemark>",
            round6(pos.lon()),
            round6(pos.lat())
        );
    }
    bar.finish_and_clear();
    k.push_str("</Folder>\n<Folder>\n<name>Border</name>\n");
    for part in &layers.border {
        let _ = writeln!(
            k,
            "<Placemark><name>{}</name><styleUrl>#border</styleUrl><LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString></Placemark>",
            escape(&part.name),
            coords(&part.line)
        );
    }
    k.push_str("</Folder>\n<Folder>\n<name>Disputed sections</name>\n");
    for s in &layers.sections {
        let latest = s.history.last().map_or(SectionStatus::Disputed, |h| h.1);
        let history: Vec<String> = s
            .history
            .iter()
            .map(|(d, st)| format!("{} from {d}", st.as_str()))
            .collect();
        let html = format!(
            "<p>{}</p><p>Status: {}{}.</p><p>Sources: {}</p>",
            escape(&s.description),
            escape(&history.join("; ")),
            if s.approximate {
                " (extent approximate)"
            } else {
                ""
            },
            escape(&s.sources.join(", "))
        );
        let _ = writeln!(
            k,
            "<Placemark><name>{}</name><description>{}</description><styleUrl>#section-{}</styleUrl><ExtendedData><Data name=\"status\"><value>{}</value></Data><Data name=\"status_history\"><value>{}</value></Data></ExtendedData><LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString></Placemark>",
            escape(&s.name),
            escape(&html),
            latest.as_str(),
            latest.as_str(),
            escape(&history.join("; ")),
            coords(&s.line)
        );
    }
    k.push_str("</Folder>\n</Document>\n</kml>\n");
    w.write_all(k.as_bytes())?;
    Ok(skipped)
}

/// FlatGeobuf: located incidents as Points (EPSG:4326), one typed column per property,
/// written to `w`; returns the incidents left out (those without a position). The features
/// go through the FlatGeobuf writer one at a time (it keeps them in a temporary file until it
/// writes the index). A failed write is an error naming `name`.
fn write_fgb(features: &[PointFeature], name: &Path, w: &mut dyn Write) -> Result<usize> {
    use flatgeobuf::geozero::{
        ColumnValue, GeomProcessor, GeozeroGeometry, PropertyProcessor, error::Result as GzResult,
    };
    use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};

    struct Pt(f64, f64);
    impl GeozeroGeometry for Pt {
        fn process_geom<P: GeomProcessor>(&self, p: &mut P) -> GzResult<()> {
            p.point_begin(0)?;
            p.xy(self.0, self.1, 0)?;
            p.point_end(0)
        }
    }

    let fail = |e: flatgeobuf::Error| match e {
        flatgeobuf::Error::IO(e) => Error::io(name, e),
        e => Error::Output(format!("export: cannot write FlatGeobuf: {e}")),
    };
    let typed = typed_columns(features);
    let mut cols: Vec<&str> = vec!["id"];
    let mut kinds = vec![Kind::Text];
    for (c, k) in &typed {
        cols.push(c);
        kinds.push(*k);
    }
    let mut fgb = FgbWriter::create_with_options(
        "incidents",
        GeometryType::Point,
        FgbWriterOptions {
            write_index: true,
            crs: FgbCrs {
                code: 4326,
                ..Default::default()
            },
            title: Some("bordermap incidents"),
            ..Default::default()
        },
    )
    .map_err(fail)?;
    for (c, kind) in cols.iter().zip(&kinds) {
        let t = match kind {
            Kind::Bool => ColumnType::Bool,
            Kind::Integer => ColumnType::Long,
            Kind::Real => ColumnType::Double,
            Kind::Date => ColumnType::DateTime,
            Kind::Unknown | Kind::Text => ColumnType::String,
        };
        fgb.add_column(c, t, |_, col| col.nullable = true);
    }
    let mut skipped = 0;
    let mut error: Option<String> = None;
    let bar = crate::progress::bar(features.len() as u64, "writing FlatGeobuf");
    for f in features {
        bar.inc(1);
        let Some(pos) = f.position else {
            skipped += 1;
            continue;
        };
        let p = f.properties.to_map();
        fgb.add_feature_geom(Pt(pos.lon(), pos.lat()), |w| {
            for (i, (c, kind)) in cols.iter().zip(&kinds).enumerate() {
                let v = if *c == "id" {
                    Value::String(f.id.to_string())
                } else {
                    p.get(*c).cloned().unwrap_or(Value::Null)
                };
                let text;
                let cv = match (kind, &v) {
                    (_, Value::Null) => continue,
                    (Kind::Bool, Value::Bool(b)) => ColumnValue::Bool(*b),
                    (Kind::Integer, Value::Number(n)) => ColumnValue::Long(n.as_i64().unwrap_or(0)),
                    (Kind::Real, Value::Number(n)) => {
                        ColumnValue::Double(n.as_f64().unwrap_or(f64::NAN))
                    }
                    (Kind::Date, Value::String(d)) => ColumnValue::DateTime(d),
                    (_, v) => {
                        text = value_text(v);
                        ColumnValue::String(&text)
                    }
                };
                if let Err(e) = w.property(i, c, &cv) {
                    error.get_or_insert(e.to_string());
                }
            }
        })
        .map_err(|e| Error::Output(format!("export: cannot write FlatGeobuf: {e}")))?;
    }
    bar.finish_and_clear();
    if let Some(e) = error {
        return Err(Error::Output(format!(
            "export: cannot write FlatGeobuf: {e}"
        )));
    }
    fgb.write(w).map_err(fail)?;
    Ok(skipped)
}
