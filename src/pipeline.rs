//! The main job and its inputs: the incidents file (or the shipped one) through the
//! geocoder to incident GeoJSON, and from there to the maps and the HTML page.
//!
//! Every command that can start from the shipped incidents gets them here
//! ([`load_features`], [`shipped_geojson`]), so there is one way to read them and one name
//! for their source in messages: `geodata/incidents.toml`.

use crate::error::{Diagnostic, Result};
use crate::gazetteer::Gazetteer;
use crate::geocode::{Counts, counts, geocode_all};
use crate::geojson_io::{PointFeature, read_points_file, read_points_owned};
use crate::input::{IncidentsFile, parse_incidents, read_text};
use crate::output::write_atomic;
use crate::schema::incidents_geojson;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The path messages name for the shipped incidents.
pub const SHIPPED_INCIDENTS_PATH: &str = "geodata/incidents.toml";

/// Loads an incidents file (within `cap` bytes), or the shipped one when `path` is `None`.
///
/// # Examples
/// ```
/// let file = bordermap::pipeline::load_incidents(None, 0).unwrap();
/// assert!(file.incidents.iter().any(|i| i.place.contains("Vorukh")));
/// ```
pub fn load_incidents(path: Option<&Path>, cap: u64) -> Result<IncidentsFile> {
    match path {
        Some(p) => parse_incidents(p, &read_text(p, cap)?),
        None => parse_incidents(
            Path::new(SHIPPED_INCIDENTS_PATH),
            crate::shipped::INCIDENTS_TOML,
        ),
    }
}

/// The shipped incidents, geocoded, as GeoJSON text (what `build` writes to
/// `output/incidents.geojson`).
pub fn shipped_geojson() -> Result<String> {
    let file = load_incidents(None, 0)?;
    let gazetteer = Gazetteer::shipped_shared()?;
    let (items, _) = geocode_all(&file.incidents, gazetteer);
    incidents_geojson(&items, &file, gazetteer)
}

/// Reads incident features from `input` (within `cap` bytes; a GeoJSON FeatureCollection of
/// Points or a FlatGeobuf file of points), or the shipped incidents, geocoded, when `input`
/// is `None`.
///
/// # Examples
/// ```
/// let features = bordermap::pipeline::load_features(None, 0).unwrap();
/// assert!(features.len() > 10);
/// ```
pub fn load_features(input: Option<&Path>, cap: u64) -> Result<Vec<PointFeature>> {
    Ok(load_points(input, cap, true, None)?.0)
}

/// [`load_features`], with the properties only when `properties` is true (without, every
/// feature's properties are empty: enough for ids, positions and distances, in less memory
/// and time; see [`read_points_file`]), and for a file on a web server the note of how much
/// was downloaded ([`FgbFile::download_note`](crate::fgb_input::FgbFile::download_note)).
/// A FlatGeobuf file, on disk or on a web server, is read through its index for `regions`
/// only, when given (see [`load_url`]); every other input is read whole.
///
/// # Examples
/// ```
/// let (features, note) = bordermap::pipeline::load_points(None, 0, false, None).unwrap();
/// assert!(features.iter().all(|f| f.properties.raw() == "{}"));
/// assert!(note.is_none()); // nothing was downloaded
/// ```
pub fn load_points(
    input: Option<&Path>,
    cap: u64,
    properties: bool,
    regions: Option<&[crate::region::Region]>,
) -> Result<(Vec<PointFeature>, Option<Diagnostic>)> {
    match input {
        Some(p) if p.as_os_str() != "-" && crate::remote::is_url(p) => {
            load_url(p, cap, properties, regions)
        }
        Some(p) if p.as_os_str() != "-" && crate::fgb_input::is_flatgeobuf(p) => {
            let features = crate::fgb_input::FgbFile::open(p)?.read(regions, cap, properties)?;
            Ok((features, None))
        }
        Some(p) => Ok((read_points_file(p, cap, properties)?, None)),
        None => {
            let mut features =
                read_points_owned(Path::new(SHIPPED_INCIDENTS_PATH), shipped_geojson()?)?;
            if !properties {
                crate::geojson_io::drop_properties(&mut features);
            }
            Ok((features, None))
        }
    }
}

/// The points of the file at `url` (`http://` or `https://`), and the note of what was
/// downloaded: a FlatGeobuf file read through its index for `regions` (all of it, within
/// `cap` bytes, without), by range requests where the server answers them; anything else
/// downloaded whole and read as GeoJSON, as a file on disk is (see
/// [`FgbFile::open_url_input`](crate::fgb_input::FgbFile::open_url_input)). Without
/// `properties`, every feature's are empty.
///
/// # Examples
/// ```
/// // nothing listens on port 9 of this machine
/// let url = std::path::Path::new("http://127.0.0.1:9/a.geojson");
/// let e = bordermap::pipeline::load_url(url, 1 << 20, false, None).unwrap_err();
/// assert!(e.to_string().starts_with("http://127.0.0.1:9/a.geojson: "), "{e}");
/// ```
pub fn load_url(
    url: &Path,
    cap: u64,
    properties: bool,
    regions: Option<&[crate::region::Region]>,
) -> Result<(Vec<PointFeature>, Option<Diagnostic>)> {
    use crate::fgb_input::{FgbFile, UrlInput};
    match FgbFile::open_url_input(&url.to_string_lossy(), cap)? {
        UrlInput::Fgb(mut file) => {
            let features = file.read(regions, cap, properties)?;
            Ok((features, file.download_note()))
        }
        UrlInput::Whole(bytes, note) => {
            Ok((points_from_bytes(url, bytes, properties)?, Some(note)))
        }
    }
}

/// The points of a GeoJSON FeatureCollection downloaded whole (`bytes`, from `url`), read as
/// a file on disk is; without `properties`, every feature's are empty.
fn points_from_bytes(url: &Path, bytes: Vec<u8>, properties: bool) -> Result<Vec<PointFeature>> {
    let text = crate::input::decode_text(url, bytes)?;
    let mut features = read_points_owned(url, text)?;
    if !properties {
        crate::geojson_io::drop_properties(&mut features);
    }
    Ok(features)
}

/// The shipped gazetteer plus the places of every file in `extra` (GeoNames dumps or
/// GeoJSON place files, each within `cap` bytes; see [`crate::gazetteer::load_places`]), and
/// a note per file: how many of its places were new and how many merged with places the
/// gazetteer holds, which rows were left out and which names were kept out, and why. A place
/// without region or district gets those of the outlines that contain it. Without files, the
/// gazetteer is the shared one ([`Gazetteer::shipped_shared`]).
///
/// # Examples
/// ```
/// let (g, notes) = bordermap::pipeline::gazetteer_with(&[], 1 << 20).unwrap();
/// assert!(g.len() > 7_000 && notes.is_empty());
/// ```
pub fn gazetteer_with(
    extra: &[PathBuf],
    cap: u64,
) -> Result<(Cow<'static, Gazetteer>, Vec<String>)> {
    let shipped = Gazetteer::shipped_shared()?;
    let mut notes = Vec::new();
    if extra.is_empty() {
        return Ok((Cow::Borrowed(shipped), notes));
    }
    let mut g = shipped.clone();
    let areas = crate::areas::AdminAreas::shipped()?;
    for path in extra {
        let mut read = crate::gazetteer::load_places(path, cap)?;
        areas.fill_admin_names(&g, &mut read.places);
        let n = read.places.len();
        let added = g.extend(read.places);
        let mut note = format!(
            "{}: {n} {}: {} new, {} merged with places the gazetteer holds",
            path.display(),
            if n == 1 { "place" } else { "places" },
            added.new,
            added.merged
        );
        if !read.left_out.is_empty() {
            let rows: usize = read.left_out.values().sum();
            let codes: Vec<String> = read
                .left_out
                .iter()
                .map(|(code, k)| format!("{code} {k}"))
                .collect();
            note += &format!(
                "; {rows} {} left out, as no place an incident is reported at \
                 (rivers, mountains, countries, sites; GeoNames class.code: {})",
                if rows == 1 { "row" } else { "rows" },
                codes.join(", ")
            );
        }
        if !added.kept_out.is_empty() {
            let names: Vec<String> = added
                .kept_out
                .iter()
                .map(|(id, name)| match g.by_id(id) {
                    Some(p) => format!("{name:?} for {} ({id})", p.name),
                    None => format!("{name:?} for {id}"),
                })
                .collect();
            note += &format!(
                "; names kept out, known to belong to another place \
                 (geodata/sources/name_corrections.toml): {}",
                names.join(", ")
            );
        }
        notes.push(note);
    }
    Ok((Cow::Owned(g), notes))
}

/// What [`build`] and [`geocode_file`] did.
#[derive(Debug)]
pub struct Geocoding {
    /// How many incidents were read, geocoded, ambiguous and unresolved.
    pub counts: Counts,
    /// The files written, the incident GeoJSON first.
    pub written: Vec<PathBuf>,
    /// The geocoder's non-fatal problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// The main job: geocodes `incidents` (the shipped file when `None`) with `gazetteer` and
/// writes `incidents.geojson`, the maps and the HTML page into `out_dir`, all or none. The same input
/// gives the same bytes. An output never overwrites the input.
pub fn build(
    out_dir: &Path,
    incidents: Option<&Path>,
    cap: u64,
    gazetteer: &Gazetteer,
) -> Result<Geocoding> {
    let file = load_incidents(incidents, cap)?;
    let (items, diagnostics) = geocode_all(&file.incidents, gazetteer);
    let inputs: Vec<&Path> = incidents.into_iter().collect();
    let geojson = incidents_geojson(&items, &file, gazetteer)?;
    // Everything is rendered first, then written all or none.
    let mut files = crate::render::default_map_files(out_dir, &geojson)?;
    files.push(crate::html::default_html_file(out_dir, &geojson)?);
    files.insert(0, (out_dir.join("incidents.geojson"), geojson.into_bytes()));
    crate::output::write_all_atomic(&files, &inputs)?;
    let written = files.into_iter().map(|(path, _)| path).collect();
    Ok(Geocoding {
        counts: counts(&items),
        written,
        diagnostics,
    })
}

/// Geocodes the incidents file `input` with `gazetteer` and writes the GeoJSON to `output`
/// (`-` for stdout). An output never overwrites the input.
pub fn geocode_file(
    input: &Path,
    output: &Path,
    cap: u64,
    gazetteer: &Gazetteer,
) -> Result<Geocoding> {
    let file = load_incidents(Some(input), cap)?;
    let (items, diagnostics) = geocode_all(&file.incidents, gazetteer);
    write_atomic(
        output,
        incidents_geojson(&items, &file, gazetteer)?.as_bytes(),
        &[input],
    )?;
    Ok(Geocoding {
        counts: counts(&items),
        written: vec![output.to_path_buf()],
        diagnostics,
    })
}
