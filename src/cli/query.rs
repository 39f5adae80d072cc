//! `bordermap near` and `bordermap within`: the spatial questions.

use super::Outcome;
use super::common::{
    DatasetArgs, PlaceContext, parse_bbox, parse_date, parse_k, parse_lat, parse_lon, parse_radius,
};
use bordermap::areas::{AdminAreas, OUTLINE_CAVEAT, area_by_name};
use bordermap::border::Layers;
use bordermap::fgb_input;
use bordermap::input::read_text;
use bordermap::model::{Date, LonLat};
use bordermap::output::{check_output_early, shown_name, write_atomic_with};
use bordermap::query::{
    Dataset, Filter, Row, query_json, read_batch, read_polygon, rows_from_hits, write_batch,
    write_rows,
};
use bordermap::region::{Region, WHOLE_GLOBE};
use bordermap::remote;
use bordermap::sidecar::{self, Deferred, Opened};
use bordermap::{Diagnostic, Error, Gazetteer, Result, Severity};
use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap near`.
#[derive(Debug, Clone, Args)]
pub struct NearArgs {
    /// Latitude of the query point, degrees (with --lon).
    #[arg(long, value_name = "LAT", allow_negative_numbers = true, value_parser = parse_lat, requires = "lon", conflicts_with_all = ["place", "queries"])]
    pub lat: Option<f64>,
    /// Longitude of the query point, degrees (with --lat).
    #[arg(long, value_name = "LON", allow_negative_numbers = true, value_parser = parse_lon, requires = "lat")]
    pub lon: Option<f64>,
    /// A place name, looked up in the gazetteer (an ambiguous name is an error listing the candidates).
    #[arg(long, value_name = "NAME", conflicts_with = "queries")]
    pub place: Option<String>,
    /// Many queries at once: a CSV with columns id,lat,lon[,radius_km][,k].
    #[arg(long, value_name = "FILE.csv")]
    pub queries: Option<PathBuf>,
    /// Search radius in km.
    #[arg(long, value_name = "R", allow_negative_numbers = true, value_parser = parse_radius)]
    pub radius_km: Option<f64>,
    /// The K nearest incidents (within the radius, if one is given).
    #[arg(long, value_name = "K", value_parser = parse_k)]
    pub nearest: Option<usize>,
    /// Incidents within this many km of the KG–TJ border (no query point needed).
    #[arg(long, value_name = "KM", allow_negative_numbers = true, value_parser = parse_radius, conflicts_with_all = ["lat", "place", "queries"])]
    pub border_km: Option<f64>,
    /// With --border-km: measure to the disputed sections instead (contested on the incident's date).
    #[arg(long, requires = "border_km")]
    pub disputed: bool,
    /// With --disputed: use the sections' status on this date instead of each incident's date.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "disputed")]
    pub as_of: Option<Date>,
    /// Where the --place is (country, region, district, nearby places).
    #[command(flatten)]
    pub context: PlaceContext,
    #[command(flatten)]
    pub data: DatasetArgs,
}

/// Arguments of `bordermap within`.
#[derive(Debug, Clone, Args)]
#[command(group = clap::ArgGroup::new("area_choice").required(true).args(["area", "enclave", "polygon", "bbox"]))]
pub struct WithinArgs {
    /// An enclave, district or region by name, in any spelling or script: "Leilek District",
    /// "Isfara", "Баткенская область", "Sokh enclave" (its outline from Who's On First).
    #[arg(long, value_name = "NAME")]
    pub area: Option<String>,
    /// An enclave by name: Vorukh, Sokh, Shakhimardan, Sarvan, Western Qal'acha, Chong-Kara, Jangail.
    #[arg(long, value_name = "NAME")]
    pub enclave: Option<String>,
    /// A GeoJSON Polygon or MultiPolygon (holes honoured).
    #[arg(long, value_name = "FILE.geojson")]
    pub polygon: Option<PathBuf>,
    /// A lon/lat box W,S,E,N (W > E crosses the antimeridian).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true, value_parser = parse_bbox)]
    pub bbox: Option<[f64; 4]>,
    /// Where the --area or --enclave is (country, region, district, nearby places).
    #[command(flatten)]
    pub context: PlaceContext,
    #[command(flatten)]
    pub data: DatasetArgs,
}

/// Which of the incidents' properties a command reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Props {
    /// None: ids and positions are enough.
    None,
    /// Those of the incidents the output shows, once the question is answered.
    Shown,
    /// Every incident's, for the question itself.
    All,
}

/// The incidents of `--input` (or the shipped ones, or `--db`'s store), filtered and
/// indexed. `needs` says which part a question needs (`None`: all): a store prefilters a
/// single radius in the database, and a FlatGeobuf file reads only the features it needs
/// through its index. For a GeoJSON file, a fresh `bordermap index` sidecar is used when no
/// filter is given: only the incidents in the regions' boxes are decoded, and with
/// `Props::Shown` the properties are read later, for the rows shown only (see
/// [`emit_rows`]); a stale sidecar is rebuilt (a note says so). An `-o` that could never be
/// written is refused first, before anything is read.
fn dataset(
    args: &DatasetArgs,
    needs: Option<&[Region]>,
    properties: Props,
    notes: &mut Vec<Diagnostic>,
) -> Result<(Dataset, Option<Deferred>)> {
    let filter = Filter {
        from: args.from,
        to: args.to,
        types: args.types.clone(),
    };
    if let Some(out) = args.output.as_deref() {
        let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
        check_output_early(out, &inputs)?;
    }
    let cap = args.input_opts.bytes();
    if args.db.db.is_some() {
        let near = match needs {
            Some([Region::Disc(p, r)]) => Some((*p, *r)),
            _ => None,
        };
        let (features, _) = args.db.load(args.input.as_deref(), cap, near)?;
        return Ok((Dataset::new(features, &filter), None));
    }
    // the filters read the properties
    let with_properties = properties != Props::None || !filter.is_empty();
    if let Some(input) = args.input.as_deref().filter(|p| p.as_os_str() != "-")
        && (remote::is_url(input) || fgb_input::is_flatgeobuf(input))
    {
        let (features, downloaded) =
            bordermap::pipeline::load_points(Some(input), cap, with_properties, needs)?;
        notes.extend(downloaded);
        return Ok((Dataset::new(features, &filter), None));
    }
    if let Some(input) = args.input.as_deref().filter(|p| p.as_os_str() != "-")
        && filter.is_empty()
    {
        let (opened, deferred) = match (properties, needs) {
            (Props::All, _) => (sidecar::open(input, true, cap)?, None),
            (_, Some(regions)) => sidecar::open_regions(input, regions)?,
            (Props::Shown, None) => sidecar::open_deferred(input)?,
            (Props::None, None) => (sidecar::open(input, false, cap)?, None),
        };
        match opened {
            Opened::Fresh(d) => return Ok((d, deferred)),
            Opened::Missing => {}
            Opened::Stale(why) => {
                let (d, stamp) = sidecar::load_and_index(input, cap)?;
                let at = sidecar::sidecar_path(input).display().to_string();
                let message = match sidecar::write(input, &d, &stamp) {
                    Ok(_) => format!("{why}: index rebuilt"),
                    Err(e) => format!("{why}; rebuilding it failed: {e}"),
                };
                notes.push(Diagnostic {
                    severity: Severity::Note,
                    kind: "stale_index",
                    location: at,
                    message,
                });
                return Ok((d, None));
            }
        }
    }
    let (features, download) =
        bordermap::pipeline::load_points(args.input.as_deref(), cap, with_properties, None)?;
    notes.extend(download);
    Ok((Dataset::new(features, &filter), None))
}

/// Writes rows to `--output` (or stdout) as they are formatted, not first as one string;
/// with `deferred`, the properties of those rows are first read from the input.
fn emit_rows(
    args: &DatasetArgs,
    (mut d, deferred): (Dataset, Option<Deferred>),
    rows: &[Row],
    format: bordermap::query::OutputFormat,
    query: &serde_json::Value,
    notes: Vec<Diagnostic>,
) -> Result<Outcome> {
    if let Some(deferred) = deferred {
        deferred.fill(&mut d, rows.iter().map(|r| r.index))?;
    }
    let d = &d;
    let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
    let out = args.output.as_deref().unwrap_or(Path::new("-"));
    write_atomic_with(out, &inputs, |w| {
        write_rows(d, rows, format, query, w).map_err(|e| Error::io(shown_name(out), e))
    })?;
    Ok(Outcome {
        diagnostics: notes,
        ..Outcome::default()
    })
}

/// `bordermap near`.
pub fn near(args: &NearArgs) -> Result<Outcome> {
    let mut notes = Vec::new();
    let format = args.data.format.into();
    let radius_m = args.radius_km.map(|r| r * 1000.0);
    if let Some(km) = args.border_km {
        let (d, deferred) = dataset(&args.data, None, Props::All, &mut notes)?;
        let layers = Layers::shipped()?;
        let hits = d.near_border(&layers, km * 1000.0, args.disputed, args.as_of);
        let rows = rows_from_hits(&d, &hits, None);
        let q = json!({"border_km": km, "disputed": args.disputed, "as_of": args.as_of.map(|d| d.to_string())});
        return emit_rows(&args.data, (d, deferred), &rows, format, &q, notes);
    }
    if let Some(qfile) = &args.queries {
        let text = read_text(qfile, args.data.input_opts.bytes())?;
        let queries = read_batch(qfile, &text, radius_m, args.nearest)?;
        let needs: Vec<Region> = queries
            .iter()
            .map(|q| match (q.radius_m, q.k) {
                (Some(r), _) => Region::Disc(q.position, r),
                (None, Some(k)) => Region::Nearest(q.position, k),
                (None, None) => Region::Box(WHOLE_GLOBE),
            })
            .collect();
        let (d, _) = dataset(&args.data, Some(&needs), Props::None, &mut notes)?;
        let inputs: Vec<&Path> = args.data.input.as_deref().into_iter().collect();
        let out = args.data.output.as_deref().unwrap_or(Path::new("-"));
        write_atomic_with(out, &inputs, |w| {
            write_batch(&d, &queries, w).map_err(|e| Error::io(shown_name(out), e))
        })?;
        return Ok(Outcome {
            diagnostics: notes,
            ..Outcome::default()
        });
    }
    let (point, place) = match (args.lat, args.lon, &args.place) {
        (Some(lat), Some(lon), _) => (LonLat::new(lon, lat).map_err(Error::Usage)?, None),
        (_, _, Some(name)) => {
            let g = Gazetteer::shipped_shared()?;
            let r = g.resolve_place(name, &args.context.context(g)?)?;
            notes.push(super::common::place_note(name, &r));
            (r.position, Some(name.as_str()))
        }
        _ => {
            return Err(Error::Usage(
                "near: give --lat and --lon, --place NAME, --queries FILE or --border-km KM".into(),
            ));
        }
    };
    if radius_m.is_none() && args.nearest.is_none() {
        return Err(Error::Usage(
            "near: give --radius-km R, --nearest K, or both (or --border-km KM)".into(),
        ));
    }
    let need = match (radius_m, args.nearest) {
        (Some(r), _) => Region::Disc(point, r),
        (None, Some(k)) => Region::Nearest(point, k),
        (None, None) => Region::Box(WHOLE_GLOBE),
    };
    let (d, deferred) = dataset(&args.data, Some(&[need]), Props::Shown, &mut notes)?;
    let hits = d.near(point, radius_m, args.nearest);
    let rows = rows_from_hits(&d, &hits, Some(point));
    let q = query_json(point, place, radius_m, args.nearest);
    emit_rows(&args.data, (d, deferred), &rows, format, &q, notes)
}

/// `bordermap within`.
pub fn within(args: &WithinArgs) -> Result<Outcome> {
    use geo::BoundingRect;
    let mut notes = Vec::new();
    // the area first: a FlatGeobuf input is then read only inside its bounding box
    let (shape, q) = if let Some(name) = &args.area {
        let g = Gazetteer::shipped_shared()?;
        let ctx = args.context.context(g)?;
        let a = area_by_name(name, &ctx, g, &Layers::shipped()?, &AdminAreas::shipped()?)?;
        notes.push(Diagnostic {
            severity: Severity::Note,
            kind: "reference_outline",
            location: a.description.clone(),
            message: OUTLINE_CAVEAT.into(),
        });
        let q = json!({"area": a.description, "area_id": a.id, "area_kind": a.kind.as_str()});
        (Some(a.shape), q)
    } else if let Some(name) = &args.enclave {
        let layers = Layers::shipped()?;
        let e = enclave_name(name, &args.context)?;
        let e = layers.enclave(&e).ok_or_else(|| {
            Error::Usage(format!(
                "within: unknown enclave {name:?}; known: {}",
                layers
                    .enclaves
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        (Some(e.shape.clone()), json!({"enclave": e.name}))
    } else if let Some(p) = &args.polygon {
        let poly = read_polygon(p, &read_text(p, args.data.input_opts.bytes())?)?;
        (Some(poly), json!({"polygon": p.display().to_string()}))
    } else if let Some(b) = args.bbox {
        (None, json!({"bbox": b}))
    } else {
        return Err(Error::Usage(
            "within: give --area, --enclave, --polygon or --bbox".into(),
        ));
    };
    let need = match (&shape, args.bbox) {
        (Some(shape), _) => shape
            .bounding_rect()
            .map(|r| Region::Box([r.min().x, r.min().y, r.max().x, r.max().y])),
        (None, b) => b.map(Region::Box),
    };
    let (d, deferred) = dataset(
        &args.data,
        need.as_ref().map(std::slice::from_ref),
        Props::Shown,
        &mut notes,
    )?;
    let indices = match (&shape, args.bbox) {
        (Some(shape), _) => d.within(shape),
        (None, Some(b)) => d.within_bbox(b),
        (None, None) => Vec::new(),
    };
    let rows: Vec<Row> = indices
        .into_iter()
        .map(|index| Row {
            index,
            distance_m: None,
            bearing_deg: None,
        })
        .collect();
    emit_rows(
        &args.data,
        (d, deferred),
        &rows,
        args.data.format.into(),
        &q,
        notes,
    )
}

/// The enclave an `--enclave` name means: looked up in the gazetteer as an enclave (any
/// spelling or script, within the context given). A name the context rules out, or that
/// fits several enclaves, is an error that says why; an unknown one is left to the border
/// layers, which list the enclaves they know.
fn enclave_name(name: &str, context: &PlaceContext) -> Result<String> {
    let g = Gazetteer::shipped_shared()?;
    let ctx = context.context(g)?;
    let query = format!("{name} enclave");
    let l = g.lookup(&query, &ctx);
    match l.best() {
        Some(c) => Ok(g.place(c.place).name.clone()),
        None if l.candidates.is_empty() => Ok(name.to_string()),
        None => g.resolve(&query, &ctx).map(|_| name.to_string()),
    }
}
