//! Where places come from: the shipped CSV and hand-added TOML, GeoNames dumps and GeoJSON
//! place files given with `--gazetteer`.

use super::{FormerName, Gazetteer, Place, PlaceKind};
use crate::error::{Error, Result};
use crate::model::LonLat;
use crate::shipped::{GAZETTEER_CSV as SHIPPED_CSV, PLACES_MANUAL_TOML as SHIPPED_MANUAL};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

impl Gazetteer {
    /// The gazetteer compiled into the binary: the hand-added places, then the derived ones
    /// (a derived record of a hand-added place is merged into it). It is read from
    /// `geodata/gazetteer.bin`, where the rebuild stores it built ahead of time, when that
    /// file is up to date with the sources (see [`shipped_snapshot`]), and built from the
    /// sources otherwise.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped().unwrap();
    /// assert!(g.len() > 5000);
    /// ```
    pub fn shipped() -> Result<Self> {
        let digest = shipped_digest(SHIPPED_CSV);
        match super::snapshot::read(crate::shipped::GAZETTEER_BIN, digest) {
            Some(g) => Ok(g),
            None => Self::from_shipped_sources(SHIPPED_CSV),
        }
    }

    /// [`Gazetteer::shipped`], read once per process and shared by every part of the program
    /// that looks names up in it without adding places: a command that geocodes, draws the
    /// basemap's towns and writes a page reads it once.
    ///
    /// # Examples
    /// ```
    /// let g = bordermap::Gazetteer::shipped_shared().unwrap();
    /// assert!(std::ptr::eq(g, bordermap::Gazetteer::shipped_shared().unwrap()));
    /// ```
    pub fn shipped_shared() -> Result<&'static Gazetteer> {
        static SHIPPED: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        if let Some(g) = SHIPPED.get() {
            return Ok(g);
        }
        let g = Gazetteer::shipped()?;
        Ok(SHIPPED.get_or_init(|| g))
    }

    /// The shipped gazetteer built from its sources, with `csv` as `gazetteer.csv`: what
    /// `geodata/gazetteer.bin` holds when it is up to date, and what [`Gazetteer::shipped`]
    /// builds when it is not.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Gazetteer, shipped};
    /// let built = Gazetteer::from_shipped_sources(shipped::GAZETTEER_CSV).unwrap();
    /// assert_eq!(built.len(), Gazetteer::shipped().unwrap().len());
    /// ```
    pub fn from_shipped_sources(csv: &str) -> Result<Self> {
        let mut places = parse_manual(Path::new("geodata/places_manual.toml"), SHIPPED_MANUAL)?;
        places.extend(parse_csv(Path::new("geodata/gazetteer.csv"), csv)?);
        super::display::apply(
            Path::new("geodata/display_names.toml"),
            crate::shipped::DISPLAY_NAMES_TOML,
            &mut places,
        )?;
        let mut g = Gazetteer::new(places);
        g.keep_out_dropped_names(crate::shipped::NAME_CORRECTIONS_TOML)
            .map_err(|m| {
                Error::record(
                    Path::new("geodata/sources/name_corrections.toml"),
                    "file",
                    m,
                )
            })?;
        Ok(g)
    }
}

/// The digest of the shipped gazetteer's sources, with `csv` as `gazetteer.csv`.
pub(super) fn shipped_digest(csv: &str) -> [u8; 32] {
    super::snapshot::sources_digest(&[
        csv,
        SHIPPED_MANUAL,
        crate::shipped::DISPLAY_NAMES_TOML,
        crate::shipped::NAME_CORRECTIONS_TOML,
    ])
}

/// The bytes of `geodata/gazetteer.bin` for `csv` as `gazetteer.csv` (and the other sources
/// compiled into the binary): the shipped gazetteer built ahead of time, which
/// [`Gazetteer::shipped`] reads when its sources have not changed since.
///
/// # Examples
/// ```
/// use bordermap::{Gazetteer, gazetteer::shipped_snapshot, shipped};
/// let bytes = shipped_snapshot(shipped::GAZETTEER_CSV).unwrap();
/// assert_eq!(bytes, shipped::GAZETTEER_BIN); // the committed file is up to date
/// ```
pub fn shipped_snapshot(csv: &str) -> Result<Vec<u8>> {
    let g = Gazetteer::from_shipped_sources(csv)?;
    super::snapshot::encode(&g, shipped_digest(csv))
        .map_err(|e| Error::Output(format!("encoding gazetteer.bin: {e}")))
}

/// `geodata/sources/name_corrections.toml`: names the reference data gives the wrong place,
/// names it lacks, and the region it names wrongly. The rebuild applies them to
/// `gazetteer.csv`; the shipped gazetteer keeps the dropped names out of records merged
/// later.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameCorrections {
    /// One row per corrected place, with its position in the file for errors.
    pub correction: Vec<toml::Spanned<NameCorrection>>,
}

/// One row of [`NameCorrections`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameCorrection {
    /// The gazetteer id of the place.
    pub id: String,
    /// Alternate names the reference data gives the place by mistake.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Names the place is known by that the reference data lacks.
    #[serde(default)]
    pub add: Vec<String>,
    /// The name of the region (`admin1`) the place belongs to, when the reference data
    /// names a region of another country; its district is then unknown.
    #[serde(default)]
    pub region: Option<String>,
    /// Why, checkable against the reference files and the cited pages.
    pub reason: String,
}

/// Column order of `geodata/gazetteer.csv`.
pub const CSV_HEADER: [&str; 13] = [
    "id",
    "name",
    "kind",
    "country",
    "admin1",
    "admin2",
    "lat",
    "lon",
    "population",
    "uncertainty_m",
    "source",
    "alternate_names",
    "former_names",
];

/// Parses the gazetteer CSV (see [`CSV_HEADER`]; alternate names are separated by `|`, and
/// so are former names, each `Name@YEAR` or `Name`).
///
/// # Examples
/// ```
/// use std::path::Path;
/// let csv = "id,name,kind,country,admin1,admin2,lat,lon,population,uncertainty_m,source,alternate_names,former_names\n\
///            wof:1,Khujand,town,TJ,Leninabad,,40.28,69.62,144865,5709,WOF,Худжанд|Xoʻjand,Leninabad@1991\n";
/// let places = bordermap::gazetteer::parse_csv(Path::new("g.csv"), csv).unwrap();
/// assert_eq!(places[0].alternate_names, ["Худжанд", "Xoʻjand"]);
/// assert_eq!(places[0].former_names[0].until, Some(1991));
/// ```
pub fn parse_csv(path: &Path, text: &str) -> Result<Vec<Place>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::record(path, "line 1", e.to_string()))?
        .clone();
    if header.iter().collect::<Vec<_>>() != CSV_HEADER {
        return Err(Error::record(
            path,
            "line 1",
            format!(
                "unexpected header {:?}; expected {}",
                header.iter().collect::<Vec<_>>().join(","),
                CSV_HEADER.join(",")
            ),
        ));
    }
    let mut places = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::record(path, format!("line {line}"), e.to_string())
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let at = format!("line {line}");
        let num = |col: usize| -> Result<f64> {
            let v = &row[col];
            let x: f64 = v.trim().parse().map_err(|_| {
                Error::record(
                    path,
                    &at,
                    format!("column {}: {v:?} is not a number", CSV_HEADER[col]),
                )
            })?;
            if !x.is_finite() {
                return Err(Error::record(
                    path,
                    &at,
                    format!("column {}: {v:?} is not a finite number", CSV_HEADER[col]),
                ));
            }
            Ok(x)
        };
        let (lat, lon) = (num(6)?, num(7)?);
        let position = LonLat::new(lon, lat).map_err(|m| Error::record(path, &at, m))?;
        let kind = PlaceKind::parse(&row[2])
            .ok_or_else(|| Error::record(path, &at, format!("unknown kind {:?}", &row[2])))?;
        let population = whole_count(num(8)?).ok_or_else(|| {
            Error::record(
                path,
                &at,
                format!("column population: {:?} is not a whole number ≥ 0", &row[8]),
            )
        })?;
        let uncertainty_m = Some(num(9)?).filter(|m| *m > 0.0).ok_or_else(|| {
            Error::record(
                path,
                &at,
                format!(
                    "column uncertainty_m: {:?} is not a number of metres > 0",
                    &row[9]
                ),
            )
        })?;
        let former_names = row[12]
            .split('|')
            .filter(|s| !s.is_empty())
            .map(FormerName::parse)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|m| Error::record(path, &at, format!("column former_names: {m}")))?;
        places.push(Place {
            id: row[0].to_string(),
            name: row[1].to_string(),
            kind,
            country: row[3].to_string(),
            admin1: row[4].to_string(),
            admin2: row[5].to_string(),
            position,
            population,
            uncertainty_m,
            source: row[10].to_string(),
            alternate_names: row[11]
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            former_names,
            merged_ids: vec![],
        });
    }
    Ok(places)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManualFile {
    #[serde(default)]
    place: Vec<toml::Spanned<ManualPlace>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManualPlace {
    id: String,
    name: String,
    kind: String,
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    admin2: String,
    lat: f64,
    lon: f64,
    uncertainty_m: f64,
    #[serde(default)]
    alternate_names: Vec<String>,
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// Parses hand-added places (`geodata/places_manual.toml`): each needs a source and an
/// uncertainty.
pub fn parse_manual(path: &Path, text: &str) -> Result<Vec<Place>> {
    let syntax = |at: usize, message: String| crate::input::syntax_at(path, text, at, message);
    let file: ManualFile =
        toml::from_str(text).map_err(|e| crate::input::toml_error(path, text, &e))?;
    let mut out = Vec::new();
    for sp in file.place {
        let start = sp.span().start;
        let m = sp.into_inner();
        let who = format!("place {:?}", m.id);
        let position =
            LonLat::new(m.lon, m.lat).map_err(|e| syntax(start, format!("{who}: {e}")))?;
        let kind = PlaceKind::parse(&m.kind)
            .ok_or_else(|| syntax(start, format!("{who}: unknown kind {:?}", m.kind)))?;
        if !(m.uncertainty_m.is_finite() && m.uncertainty_m > 0.0) {
            return Err(syntax(
                start,
                format!(
                    "{who}: uncertainty_m must be a positive number of metres, got {}",
                    m.uncertainty_m
                ),
            ));
        }
        if m.source.trim().is_empty() {
            return Err(syntax(start, format!("{who} has no source")));
        }
        out.push(Place {
            id: m.id,
            name: m.name,
            kind,
            country: m.country,
            admin1: m.admin1,
            admin2: m.admin2,
            position,
            population: 0,
            uncertainty_m: m.uncertainty_m,
            source: m.source,
            alternate_names: m.alternate_names,
            former_names: vec![],
            merged_ids: vec![],
        });
    }
    Ok(out)
}

/// The columns of a GeoNames dump (`allCountries.txt`, `KG.txt`, …), in their official order.
pub const GEONAMES_COLUMNS: [&str; 19] = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
];

/// The kind and uncertainty radius (metres) of a GeoNames feature class and code, or `None`
/// for a feature that is not a place an incident is reported at (a river, a mountain, a
/// country, a school): such rows are left out, and counted (see [`PlacesRead`]).
///
/// | class / code | kind | radius |
/// |---|---|---|
/// | `A` `ADM1` | region | 100 km |
/// | `A` `ADM2` | district | 25 km |
/// | `A` `ADM3`, `ADM4`, `ADM5`, `ADMD` (a rural municipality and its centre) | village | 2 km |
/// | `P` `PPLC`, `PPLA` (a capital), or population ≥ 10 000 | town | 5 km |
/// | `P` other (a district seat of unknown or small population is a village) | village | 2 km |
/// | `S` `AIRP`, `AIRF`, `AIRH` | airport | 2 km |
/// | `S` `PSTB`, `PSTC`, `MILB` (border post, customs post, military base) | border post | 1 km |
/// | `H` `CNL*`, `RSV`, `DAM`, `RSVI` | water facility | 1 km |
/// | `R` (roads, railways) | road section | 5 km |
/// | anything else: streams, lakes, mountains, passes, countries, other sites | left out | |
///
/// # Examples
/// ```
/// use bordermap::gazetteer::{geonames_kind, PlaceKind};
/// assert_eq!(geonames_kind("P", "PPL", 3836), Some((PlaceKind::Village, 2_000.0)));
/// assert_eq!(geonames_kind("P", "PPLA2", 0), Some((PlaceKind::Village, 2_000.0)));
/// assert_eq!(geonames_kind("A", "ADM2", 0), Some((PlaceKind::District, 25_000.0)));
/// assert_eq!(geonames_kind("H", "STM", 0), None); // a river
/// ```
pub fn geonames_kind(class: &str, code: &str, population: u64) -> Option<(PlaceKind, f64)> {
    Some(match (class, code) {
        ("A", "ADM1") => (PlaceKind::Region, 100_000.0),
        ("A", "ADM2") => (PlaceKind::District, 25_000.0),
        ("A", "ADM3" | "ADM4" | "ADM5" | "ADMD") => (PlaceKind::Village, 2_000.0),
        ("P", c) if matches!(c, "PPLC" | "PPLA") || population >= 10_000 => {
            (PlaceKind::Town, 5_000.0)
        }
        ("P", _) => (PlaceKind::Village, 2_000.0),
        ("S", "AIRP" | "AIRF" | "AIRH") => (PlaceKind::Airport, 2_000.0),
        ("S", "PSTB" | "PSTC" | "MILB") => (PlaceKind::BorderPost, 1_000.0),
        ("H", c) if c.starts_with("CNL") || matches!(c, "RSV" | "DAM" | "RSVI") => {
            (PlaceKind::WaterFacility, 1_000.0)
        }
        ("R", _) => (PlaceKind::RoadSection, 5_000.0),
        _ => return None,
    })
}

/// The places of a `--gazetteer` file, and the rows left out of it.
#[derive(Debug, Clone, Default)]
pub struct PlacesRead {
    /// The places, in the file's order.
    pub places: Vec<Place>,
    /// GeoNames rows that are no place an incident is reported at (see [`geonames_kind`]), by
    /// feature class and code (`H.STM`, a stream): how many of each.
    pub left_out: BTreeMap<String, usize>,
}

/// Parses a GeoNames dump: tab-separated, no header, the 19 columns of [`GEONAMES_COLUMNS`].
///
/// The id becomes `geonames:<geonameid>`; `asciiname` and the comma-separated
/// `alternatenames` become alternate names, except, for anything but an airport, the airport
/// codes GeoNames lists among a town's names (three or four capital letters); the kind and
/// radius follow [`geonames_kind`], and the rows it leaves out are counted in
/// [`PlacesRead::left_out`].
/// Admin codes are numbers in GeoNames, not names, so `admin1`/`admin2` are left empty (a
/// code would contradict a region hint written as a name; `--gazetteer` then fills them from
/// the outlines that contain the place, see [`crate::areas::AdminAreas::fill_admin_names`]). Blank lines are skipped. A bad
/// number is an error naming the file, the line, the column and the value.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let row = "9990001\tQoraqum\tQoraqum\tKorakum,Қорақум\t39.9\t70.6\tP\tPPL\tTJ\t\t05\t\t\t\t120\t\t900\tAsia/Dushanbe\t2024-01-01\n";
/// let places = bordermap::gazetteer::parse_geonames(Path::new("g.tsv"), row).unwrap().places;
/// assert_eq!(places[0].id, "geonames:9990001");
/// assert_eq!(places[0].alternate_names, ["Korakum", "Қорақум"]);
/// let bad = row.replace("\t39.9\t", "\t39,9\t");
/// let err = bordermap::gazetteer::parse_geonames(Path::new("g.tsv"), &bad).unwrap_err();
/// assert_eq!(err.to_string(), "g.tsv: line 1: column 5 (latitude): \"39,9\" is not a number");
/// ```
pub fn parse_geonames(path: &Path, text: &str) -> Result<PlacesRead> {
    let source = format!(
        "GeoNames ({})",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into()
        )
    );
    let mut read = PlacesRead::default();
    for (i, line) in text.lines().enumerate() {
        let at = format!("line {}", i + 1);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || (i == 0 && line.starts_with("geonameid")) {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != GEONAMES_COLUMNS.len() {
            return Err(Error::record(
                path,
                at,
                format!(
                    "expected {} tab-separated columns (the GeoNames layout: {}), got {}",
                    GEONAMES_COLUMNS.len(),
                    GEONAMES_COLUMNS.join(", "),
                    cols.len()
                ),
            ));
        }
        let number = |col: usize| -> Result<f64> {
            let v = cols[col];
            let bad = |what: &str| {
                Error::record(
                    path,
                    &at,
                    format!(
                        "column {} ({}): {v:?} is not {what}",
                        col + 1,
                        GEONAMES_COLUMNS[col]
                    ),
                )
            };
            let x: f64 = v.trim().parse().map_err(|_| bad("a number"))?;
            if x.is_finite() {
                Ok(x)
            } else {
                Err(bad("a finite number"))
            }
        };
        let (lat, lon) = (number(4)?, number(5)?);
        let position = LonLat::new(lon, lat).map_err(|m| Error::record(path, &at, m))?;
        let population = if cols[14].trim().is_empty() {
            0
        } else {
            let p = number(14)?;
            if p < 0.0 || p.fract() != 0.0 {
                return Err(Error::record(
                    path,
                    &at,
                    format!(
                        "column 15 (population): {:?} is not a whole number ≥ 0",
                        cols[14]
                    ),
                ));
            }
            p as u64
        };
        if cols[0].trim().is_empty() || cols[1].trim().is_empty() {
            return Err(Error::record(
                path,
                at,
                "the geonameid and the name must not be empty",
            ));
        }
        let (class, code) = (cols[6].trim(), cols[7].trim());
        let Some((kind, uncertainty_m)) = geonames_kind(class, code, population) else {
            *read.left_out.entry(format!("{class}.{code}")).or_default() += 1;
            continue;
        };
        let mut alternate_names: Vec<String> = Vec::new();
        // A set, not a scan of the list: a row may hold 100,000s of names.
        let mut seen = std::collections::HashSet::new();
        for a in std::iter::once(cols[2]).chain(cols[3].split(',')) {
            let a = a.trim();
            // GeoNames lists a town's airport codes among its names ("OSS" for Osh, "KIM"
            // for Kimberley): a code is an airport's name, not a town's.
            let code_of_another = kind != PlaceKind::Airport && super::looks_like_code(a);
            if !a.is_empty() && a != cols[1] && !code_of_another && seen.insert(a) {
                alternate_names.push(a.to_string());
            }
        }
        read.places.push(Place {
            id: format!("geonames:{}", cols[0].trim()),
            name: cols[1].trim().to_string(),
            kind,
            country: cols[8].trim().to_string(),
            admin1: String::new(),
            admin2: String::new(),
            position,
            population,
            uncertainty_m,
            source: source.clone(),
            alternate_names,
            former_names: vec![],
            merged_ids: vec![],
        });
    }
    Ok(read)
}

/// Parses a GeoJSON FeatureCollection of places: Point features with the properties `name`
/// (required), `alternatenames` (a comma-separated string or an array of strings),
/// `country`, `kind` (a [`PlaceKind`] name, default `village`), and optionally `admin1`,
/// `admin2`, `population` and `uncertainty_m` (default: the kind's radius in
/// [`geonames_kind`] terms, 2 km for a village). The id is the feature's id.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"post-7",
///   "geometry":{"type":"Point","coordinates":[70.6,39.9]},
///   "properties":{"name":"Qoraqum Post","alternatenames":"Qoraqum,Қорақум","country":"TJ","kind":"border_post"}}]}"#;
/// let places = bordermap::gazetteer::parse_places_geojson(Path::new("p.geojson"), text).unwrap();
/// assert_eq!(places[0].kind.as_str(), "border_post");
/// assert_eq!(places[0].alternate_names.len(), 2);
/// ```
pub fn parse_places_geojson(path: &Path, text: &str) -> Result<Vec<Place>> {
    use serde_json::Value;
    let source = format!(
        "places file {}",
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into()
        )
    );
    let features = crate::geojson_io::read_points(path, text)?;
    let mut places = Vec::with_capacity(features.len());
    for (i, f) in features.into_iter().enumerate() {
        let at = format!("feature {i} (id {:?})", f.id);
        let props = f.properties.to_map();
        let text_prop = |key: &str| -> Result<String> {
            match props.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.trim().to_string()),
                Some(other) => Err(Error::record(
                    path,
                    &at,
                    format!("property {key:?} must be a string, got {other}"),
                )),
            }
        };
        let num_prop = |key: &str| -> Result<Option<f64>> {
            match props.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => n
                    .as_f64()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        Error::record(
                            path,
                            &at,
                            format!("property {key:?}: {n} is not a number ≥ 0"),
                        )
                    }),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => s
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        Error::record(
                            path,
                            &at,
                            format!("property {key:?}: {s:?} is not a number ≥ 0"),
                        )
                    }),
                Some(other) => Err(Error::record(
                    path,
                    &at,
                    format!("property {key:?}: {other} is not a number ≥ 0"),
                )),
            }
        };
        let position = f
            .position
            .ok_or_else(|| Error::record(path, &at, "a place needs a Point geometry, got null"))?;
        let name = text_prop("name")?;
        if name.is_empty() {
            return Err(Error::record(
                path,
                &at,
                "the property \"name\" is missing or empty",
            ));
        }
        let kind_text = text_prop("kind")?;
        let kind = if kind_text.is_empty() {
            PlaceKind::Village
        } else {
            PlaceKind::parse(&kind_text).ok_or_else(|| {
                Error::record(
                    path,
                    &at,
                    format!(
                        "unknown kind {kind_text:?}; expected one of {}",
                        PlaceKind::ALL.map(PlaceKind::as_str).join(", ")
                    ),
                )
            })?
        };
        let default_radius = match kind {
            PlaceKind::Region => 100_000.0,
            PlaceKind::District => 25_000.0,
            PlaceKind::Town | PlaceKind::RoadSection | PlaceKind::Enclave => 5_000.0,
            PlaceKind::BorderPost | PlaceKind::WaterFacility => 1_000.0,
            PlaceKind::Village | PlaceKind::Airport => 2_000.0,
        };
        let uncertainty_m = match num_prop("uncertainty_m")? {
            None => default_radius,
            Some(m) if m > 0.0 => m,
            Some(m) => {
                return Err(Error::record(
                    path,
                    &at,
                    format!("property \"uncertainty_m\": {m} is not a number of metres > 0"),
                ));
            }
        };
        let population = match num_prop("population")? {
            None => 0,
            Some(x) => whole_count(x).ok_or_else(|| {
                Error::record(
                    path,
                    &at,
                    format!("property \"population\": {x} is not a whole number ≥ 0"),
                )
            })?,
        };
        let alternate_names: Vec<String> = match props.get("alternatenames") {
            None | Some(Value::Null) => vec![],
            Some(Value::String(s)) => s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.trim().to_string()),
                    other => Err(Error::record(
                        path,
                        &at,
                        format!("alternatenames must hold strings, got {other}"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?,
            Some(other) => {
                return Err(Error::record(
                    path,
                    &at,
                    format!(
                        "alternatenames must be a comma-separated string or an array, got {other}"
                    ),
                ));
            }
        };
        places.push(Place {
            id: f.id.to_string(),
            name,
            kind,
            country: text_prop("country")?.to_uppercase(),
            admin1: text_prop("admin1")?,
            admin2: text_prop("admin2")?,
            position,
            population,
            uncertainty_m,
            source: source.clone(),
            alternate_names,
            former_names: vec![],
            merged_ids: vec![],
        });
    }
    Ok(places)
}

/// `x` as a count (a population): a whole number from 0 to 2^53, else `None`.
fn whole_count(x: f64) -> Option<u64> {
    (x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= 9_007_199_254_740_992.0)
        .then_some(x as u64)
}

/// Reads places from a `--gazetteer` file: a GeoJSON FeatureCollection of places (the text
/// starts with `{`) or a GeoNames dump (anything else). See [`parse_places_geojson`] and
/// [`parse_geonames`].
pub fn load_places(path: &Path, cap: u64) -> Result<PlacesRead> {
    let text = crate::input::read_text(path, cap)?;
    if text.trim_start().starts_with('{') {
        Ok(PlacesRead {
            places: parse_places_geojson(path, &text)?,
            left_out: BTreeMap::new(),
        })
    } else {
        parse_geonames(path, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn airport_codes_are_names_of_airports_only() {
        let row = |class: &str, code: &str| {
            format!(
                "1\tOsh\tOsh\tOSS,UCFO,Ош,Oš\t40.5\t72.8\t{class}\t{code}\tKG\t\t08\t\t\t\t0\t\t1000\tAsia/Bishkek\t2024-01-01\n"
            )
        };
        let town = parse_geonames(Path::new("KG.txt"), &row("P", "PPLA")).unwrap();
        assert_eq!(town.places[0].alternate_names, ["Ош", "Oš"]);
        let airport = parse_geonames(Path::new("KG.txt"), &row("S", "AIRP")).unwrap();
        assert_eq!(
            airport.places[0].alternate_names,
            ["OSS", "UCFO", "Ош", "Oš"]
        );
    }

    #[test]
    fn geonames_rows_that_are_no_place_are_left_out_and_counted() {
        // made-up rows in GeoNames' layout: a village, a stream, two mountains, a country
        let row = |id: u32, class: &str, code: &str| {
            format!(
                "{id}\tAk-Suu\tAk-Suu\t\t40.1\t70.7\t{class}\t{code}\tKG\t\t02\t\t\t\t0\t\t1000\tAsia/Bishkek\t2024-01-01\n"
            )
        };
        let text = [
            row(1, "P", "PPL"),
            row(2, "H", "STM"),
            row(3, "T", "MT"),
            row(4, "T", "MT"),
            row(5, "A", "PCLI"),
        ]
        .concat();
        let read = parse_geonames(Path::new("KG.txt"), &text).unwrap();
        assert_eq!(read.places.len(), 1);
        assert_eq!(read.places[0].id, "geonames:1");
        let left: Vec<(&str, usize)> = read
            .left_out
            .iter()
            .map(|(k, n)| (k.as_str(), *n))
            .collect();
        assert_eq!(left, [("A.PCLI", 1), ("H.STM", 1), ("T.MT", 2)]);
    }

    #[test]
    fn csv_figures_out_of_range_are_refused() {
        let head = CSV_HEADER.join(",");
        for (pop, unc, shown) in [
            ("0", "-3363", "-3363"),
            ("-1", "1000", "-1"),
            ("1.5", "1000", "1.5"),
        ] {
            let text = format!(
                "{head}\nwof:1,Talas,district,KG,Talas,Talas,42.4,72.9,{pop},{unc},WOF,,\n"
            );
            let e = parse_csv(Path::new("g.csv"), &text)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("g.csv") && e.contains("line 2") && e.contains(shown),
                "{e}"
            );
        }
        assert_eq!(whole_count(12.0), Some(12));
        assert_eq!(whole_count(1e300), None);
    }
}
