//! What each subcommand does. The binary parses arguments and calls these; they return an
//! [`Outcome`] (what to print, the diagnostics, whether `--strict` failed) or an [`Error`].

use crate::border::Layers;
use crate::cli::{DatasetArgs, LocateFormat, NearArgs, WithinArgs};
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::{Context, Gazetteer, Lookup, Status};
use crate::geocode::{Geocoded, counts, geocode_all};
use crate::geojson_io::{PointFeature, read_points_owned};
use crate::geojson_io::{feature_collection, incident_feature};
use crate::input::{IncidentsFile, parse_incidents, read_text};
use crate::output::write_atomic;
use crate::query::{Dataset, Filter, Row, format_rows, query_json, rows_from_hits};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// What a command produced, for the binary to print.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Lines for stdout.
    pub stdout: String,
    /// Non-fatal problems.
    pub diagnostics: Vec<Diagnostic>,
    /// True when `--strict` was given and a warning occurred.
    pub strict_failed: bool,
}

impl Outcome {
    /// The exit code: 1 when `--strict` failed, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.strict_failed)
    }
}

/// Loads an incidents file, or the shipped one when `path` is `None`.
pub fn load_incidents(path: Option<&Path>, cap: u64) -> Result<IncidentsFile> {
    match path {
        Some(p) => parse_incidents(p, &read_text(p, cap)?),
        None => parse_incidents(
            Path::new("geodata/incidents.toml"),
            crate::SHIPPED_INCIDENTS,
        ),
    }
}

/// The border analytics of a located incident, as flat properties: distance to the border,
/// the border part, the side, the nearest recorded section with its status on the
/// incident's start date.
pub fn border_properties(layers: &Layers, g: &Geocoded) -> Map<String, Value> {
    let mut m = Map::new();
    let facts = g
        .location
        .as_ref()
        .and_then(|l| layers.facts(l.position, g.incident.date_start));
    let r = |x: f64| (x * 10.0).round() / 10.0;
    m.insert(
        "distance_to_border_m".into(),
        facts
            .as_ref()
            .map_or(Value::Null, |f| json!(r(f.distance_to_border_m))),
    );
    m.insert(
        "border_part".into(),
        facts
            .as_ref()
            .map_or(Value::Null, |f| f.border_part.clone().into()),
    );
    m.insert(
        "border_side".into(),
        facts
            .as_ref()
            .map_or(Value::Null, |f| f.side.clone().into()),
    );
    let section = facts.as_ref().and_then(|f| f.nearest_section.clone());
    m.insert(
        "nearest_section".into(),
        section.as_ref().map_or(Value::Null, |s| s.0.clone().into()),
    );
    m.insert(
        "nearest_section_m".into(),
        section.as_ref().map_or(Value::Null, |s| json!(r(s.1))),
    );
    m.insert(
        "nearest_section_status".into(),
        facts
            .as_ref()
            .and_then(|f| f.nearest_section_status)
            .map_or(Value::Null, |s| s.as_str().into()),
    );
    m.insert(
        "on_disputed_section".into(),
        facts
            .as_ref()
            .map_or(Value::Null, |f| f.on_disputed_section.into()),
    );
    m
}

/// Serialises geocoded incidents as a GeoJSON FeatureCollection, with border analytics.
pub fn incidents_geojson(items: &[Geocoded], file: &IncidentsFile) -> Result<String> {
    let layers = Layers::shipped()?;
    let features: Vec<Value> = items
        .iter()
        .map(|g| incident_feature(g, &file.sources, border_properties(&layers, g)))
        .collect();
    Ok(feature_collection(&features))
}

/// The shipped incidents, geocoded, as GeoJSON text.
pub fn shipped_geojson() -> Result<String> {
    let file = load_incidents(None, 0)?;
    let gazetteer = Gazetteer::shipped()?;
    let (items, _) = geocode_all(&file.incidents, &gazetteer);
    incidents_geojson(&items, &file)
}

/// Reads incident features from `--input`, or the shipped incidents.
pub fn load_features(input: Option<&Path>, cap: u64) -> Result<Vec<PointFeature>> {
    match input {
        Some(p) => read_points_owned(p, read_text(p, cap)?),
        None => read_points_owned(Path::new("geodata/incidents.toml"), shipped_geojson()?),
    }
}

fn dataset(args: &DatasetArgs) -> Result<Dataset> {
    let features = load_features(
        args.input.as_deref(),
        args.max_input_mb.saturating_mul(1 << 20),
    )?;
    let filter = Filter {
        from: args.from,
        to: args.to,
        types: args.types.clone(),
    };
    Ok(Dataset::new(features, &filter))
}

fn emit(args: &DatasetArgs, text: String) -> Result<String> {
    match &args.output {
        Some(out) => {
            let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
            write_atomic(out, text.as_bytes(), &inputs)?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// `bordermap near`.
pub fn near(args: &NearArgs) -> Result<Outcome> {
    let d = dataset(&args.data)?;
    let radius_m = args.radius_km.map(|r| r * 1000.0);
    if let Some(km) = args.border_km {
        let layers = Layers::shipped()?;
        let hits = d.near_border(&layers, km * 1000.0, args.disputed, args.as_of);
        let rows = rows_from_hits(&d, &hits, None);
        let q = json!({"border_km": km, "disputed": args.disputed, "as_of": args.as_of.map(|d| d.to_string())});
        return Ok(Outcome {
            stdout: emit(&args.data, format_rows(&d, &rows, args.data.format, q))?,
            ..Outcome::default()
        });
    }
    if let Some(qfile) = &args.queries {
        let cap = args.data.max_input_mb.saturating_mul(1 << 20);
        let queries =
            crate::query::read_batch(qfile, &read_text(qfile, cap)?, radius_m, args.nearest)?;
        let text = crate::query::answer_batch(&d, &queries);
        return Ok(Outcome {
            stdout: emit(&args.data, text)?,
            ..Outcome::default()
        });
    }
    let (point, place) = match (args.lat, args.lon, &args.place) {
        (Some(lat), Some(lon), _) => (
            crate::model::LonLat::new(lon, lat).map_err(Error::Usage)?,
            None,
        ),
        (_, _, Some(name)) => (resolve_place(name)?, Some(name.as_str())),
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
    let hits = d.near(point, radius_m, args.nearest);
    let rows = rows_from_hits(&d, &hits, Some(point));
    let q = query_json(point, place, radius_m, args.nearest);
    Ok(Outcome {
        stdout: emit(&args.data, format_rows(&d, &rows, args.data.format, q))?,
        ..Outcome::default()
    })
}

/// Resolves a place name to a point; ambiguous or unknown names are errors that list the
/// candidates.
pub fn resolve_place(name: &str) -> Result<crate::model::LonLat> {
    let g = Gazetteer::shipped()?;
    let l = g.lookup(name, &Context::default());
    match l.best() {
        Some(c) => Ok(g.place(c.place).position),
        None => {
            let cands: Vec<String> = l
                .candidates
                .iter()
                .take(6)
                .map(|c| g.describe(c.place))
                .collect();
            Err(Error::Place(format!(
                "place {name:?} is {}: {}{}",
                l.status.as_str().replace('_', " "),
                l.reason,
                if cands.is_empty() {
                    String::new()
                } else {
                    format!("\ncandidates:\n  {}", cands.join("\n  "))
                }
            )))
        }
    }
}

/// `bordermap within`.
pub fn within(args: &WithinArgs) -> Result<Outcome> {
    let d = dataset(&args.data)?;
    let cap = args.data.max_input_mb.saturating_mul(1 << 20);
    let (indices, q) = if let Some(name) = &args.enclave {
        let layers = Layers::shipped()?;
        let e = layers.enclave(name).ok_or_else(|| {
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
        (d.within(&e.shape), json!({"enclave": e.name}))
    } else if let Some(p) = &args.polygon {
        let poly = crate::query::read_polygon(p, &read_text(p, cap)?)?;
        (d.within(&poly), json!({"polygon": p.display().to_string()}))
    } else if let Some(b) = args.bbox {
        (d.within_bbox(b), json!({"bbox": b}))
    } else {
        return Err(Error::Usage(
            "within: give --enclave, --polygon or --bbox".into(),
        ));
    };
    let rows: Vec<Row> = indices
        .into_iter()
        .map(|index| Row {
            index,
            distance_m: None,
            bearing_deg: None,
        })
        .collect();
    Ok(Outcome {
        stdout: emit(&args.data, format_rows(&d, &rows, args.data.format, q))?,
        ..Outcome::default()
    })
}

fn strict_failed(strict: bool, diags: &[Diagnostic]) -> bool {
    strict && diags.iter().any(|d| d.severity == Severity::Warning)
}

/// `bordermap build`: geocode the incidents and write the outputs.
pub fn build(out_dir: &Path, incidents: Option<&Path>, strict: bool, cap: u64) -> Result<Outcome> {
    build_with(out_dir, incidents, strict, cap, &Gazetteer::shipped()?)
}

/// `bordermap build` with a given gazetteer (the shipped one plus `--gazetteer` files).
pub fn build_with(
    out_dir: &Path,
    incidents: Option<&Path>,
    strict: bool,
    cap: u64,
    gazetteer: &Gazetteer,
) -> Result<Outcome> {
    let file = load_incidents(incidents, cap)?;
    let (items, diagnostics) = geocode_all(&file.incidents, gazetteer);
    let out = out_dir.join("incidents.geojson");
    let inputs: Vec<&Path> = incidents.into_iter().collect();
    let geojson = incidents_geojson(&items, &file)?;
    write_atomic(&out, geojson.as_bytes(), &inputs)?;
    let mut maps = crate::render::default_maps(out_dir, &geojson)?;
    maps.push(crate::html::default_html(out_dir, &geojson)?);
    let c = counts(&items);
    let mut stdout = format!(
        "incidents: {}, geocoded: {} ({} at district level), ambiguous: {}, unresolved: {}\nwrote {}\n",
        c.incidents,
        c.geocoded,
        c.district_fallback,
        c.ambiguous,
        c.unresolved,
        out.display()
    );
    for m in maps {
        stdout.push_str(&format!("wrote {}\n", m.display()));
    }
    Ok(Outcome {
        stdout,
        strict_failed: strict_failed(strict, &diagnostics),
        diagnostics,
    })
}

/// `bordermap geocode`: an incidents file to GeoJSON.
pub fn geocode(input: &Path, output: &Path, strict: bool, cap: u64) -> Result<Outcome> {
    geocode_with(input, output, strict, cap, &Gazetteer::shipped()?)
}

/// `bordermap geocode` with a given gazetteer (the shipped one plus `--gazetteer` files).
pub fn geocode_with(
    input: &Path,
    output: &Path,
    strict: bool,
    cap: u64,
    gazetteer: &Gazetteer,
) -> Result<Outcome> {
    let file = load_incidents(Some(input), cap)?;
    let (items, diagnostics) = geocode_all(&file.incidents, gazetteer);
    write_atomic(
        output,
        incidents_geojson(&items, &file)?.as_bytes(),
        &[input],
    )?;
    let c = counts(&items);
    let mut stdout = String::new();
    if output.as_os_str() != "-" {
        stdout = format!(
            "incidents: {}, geocoded: {}, ambiguous: {}, unresolved: {}\nwrote {}\n",
            c.incidents,
            c.geocoded,
            c.ambiguous,
            c.unresolved,
            output.display()
        );
    }
    Ok(Outcome {
        stdout,
        strict_failed: strict_failed(strict, &diagnostics),
        diagnostics,
    })
}

/// The arguments of `bordermap locate`.
#[derive(Debug, Clone)]
pub struct LocateArgs {
    /// The name.
    pub name: String,
    /// Country hint.
    pub country: Option<String>,
    /// Region hint.
    pub admin1: Option<String>,
    /// District hint.
    pub admin2: Option<String>,
    /// Other places in the same report.
    pub near: Vec<String>,
    /// Output format.
    pub format: LocateFormat,
    /// Exit 1 unless matched.
    pub strict: bool,
}

/// The JSON form of a lookup: `{"query", "status", "confidence", "reason", "best", "candidates"}`.
pub fn lookup_json(g: &Gazetteer, l: &Lookup) -> Value {
    let cand = |c: &crate::gazetteer::Candidate| {
        let p = g.place(c.place);
        json!({
            "name": p.name,
            "lat": p.position.lat(),
            "lon": p.position.lon(),
            "country": p.country,
            "admin1": p.admin1,
            "admin2": p.admin2,
            "kind": p.kind.as_str(),
            "id": p.id,
            "method": c.method.as_str(),
            "matched_name": c.matched_name,
            "score": (c.score * 1000.0).round() / 1000.0,
            "uncertainty_m": p.uncertainty_m,
            "geo_precision": p.kind.geo_precision(p.uncertainty_m),
        })
    };
    json!({
        "query": l.query,
        "status": l.status.as_str(),
        "confidence": (l.confidence * 1000.0).round() / 1000.0,
        "reason": l.reason,
        "best": l.best().map(cand),
        "candidates": l.candidates.iter().map(cand).collect::<Vec<_>>(),
    })
}

/// `bordermap locate`: look a name up.
pub fn locate(args: &LocateArgs) -> Result<Outcome> {
    locate_with(args, &Gazetteer::shipped()?)
}

/// `bordermap locate` with a given gazetteer (the shipped one plus `--gazetteer` files).
pub fn locate_with(args: &LocateArgs, g: &Gazetteer) -> Result<Outcome> {
    if args.name.trim().is_empty() {
        return Err(Error::Usage("locate: the name is empty".into()));
    }
    let near = args
        .near
        .iter()
        .filter_map(|n| {
            g.lookup(n, &Context::default())
                .best()
                .map(|c| g.place(c.place).position)
        })
        .collect();
    let ctx = Context {
        country: args.country.clone(),
        admin1: args.admin1.clone(),
        admin2: args.admin2.clone(),
        near,
    };
    let l = g.lookup(&args.name, &ctx);
    let stdout = match args.format {
        LocateFormat::Json => format!("{}\n", lookup_json(g, &l)),
        LocateFormat::Text => {
            let mut s = format!("{:?}: {} — {}\n", l.query, l.status.as_str(), l.reason);
            for (i, c) in l.candidates.iter().enumerate() {
                let p = g.place(c.place);
                let mark = if i == 0 && l.status == Status::Matched {
                    "*"
                } else {
                    " "
                };
                s.push_str(&format!(
                    "{mark} {:<45} {:>10.5} {:>10.5}  {:<14} {:.3}  matched {:?}\n",
                    g.describe(c.place),
                    p.position.lat(),
                    p.position.lon(),
                    c.method.as_str(),
                    c.score,
                    c.matched_name
                ));
            }
            s
        }
    };
    Ok(Outcome {
        stdout,
        diagnostics: vec![],
        strict_failed: args.strict && l.status != Status::Matched,
    })
}

/// `bordermap geodata`: rebuild `geodata/` from the reference bundle.
pub fn geodata(reference: &Path, out_dir: &Path) -> Result<Outcome> {
    if !reference.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a directory; pass the reference bundle folder with --reference",
            reference.display()
        )));
    }
    let s = crate::geodata::rebuild(reference, out_dir)?;
    Ok(Outcome {
        stdout: format!(
            "wrote {}: {} places, {} border parts, {} enclaves, {} countries\n",
            PathBuf::from(out_dir).display(),
            s.places,
            s.border_parts,
            s.enclaves,
            s.countries
        ),
        ..Outcome::default()
    })
}

/// The shipped gazetteer plus the places of every `--gazetteer` file (GeoNames dumps or
/// GeoJSON place files; see [`crate::gazetteer::load_places`]).
pub fn gazetteer_with(extra: &[PathBuf], cap: u64) -> Result<Gazetteer> {
    let mut g = Gazetteer::shipped()?;
    for path in extra {
        g.extend(crate::gazetteer::load_places(path, cap)?);
    }
    Ok(g)
}

/// `bordermap render`: a map of `--input` (or of the shipped incidents).
pub fn render(args: &crate::cli::RenderCmd) -> Result<Outcome> {
    let shipped = if args.map.input.is_some() {
        String::new()
    } else {
        shipped_geojson()?
    };
    crate::render::render_command(
        &args.map,
        &shipped,
        args.max_input_mb.saturating_mul(1 << 20),
    )
}

/// `bordermap html`: the offline interactive map of `--input` (or of the shipped incidents).
pub fn html(args: &crate::cli::HtmlCmd) -> Result<Outcome> {
    let shipped = if args.page.input.is_some() {
        String::new()
    } else {
        shipped_geojson()?
    };
    crate::html::html_command(
        &args.page,
        &shipped,
        args.max_input_mb.saturating_mul(1 << 20),
    )
}
