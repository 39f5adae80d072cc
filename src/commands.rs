//! What each subcommand does. The binary parses arguments and calls these; they return an
//! [`Outcome`] (what to print, the diagnostics, whether `--strict` failed) or an [`Error`].

use crate::cli::LocateFormat;
use crate::error::{Diagnostic, Error, Result, Severity};
use crate::gazetteer::{Context, Gazetteer, Lookup, Status};
use crate::geocode::{Geocoded, counts, geocode_all};
use crate::geojson_io::{feature_collection, incident_feature};
use crate::input::{IncidentsFile, parse_incidents, read_text};
use crate::output::write_atomic;
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
        None => parse_incidents(Path::new("geodata/incidents.toml"), crate::SHIPPED_INCIDENTS),
    }
}

/// Serialises geocoded incidents as a GeoJSON FeatureCollection.
pub fn incidents_geojson(items: &[Geocoded], file: &IncidentsFile) -> String {
    let features: Vec<Value> = items
        .iter()
        .map(|g| incident_feature(g, &file.sources, Map::new()))
        .collect();
    feature_collection(&features)
}

fn strict_failed(strict: bool, diags: &[Diagnostic]) -> bool {
    strict && diags.iter().any(|d| d.severity == Severity::Warning)
}

/// `bordermap build`: geocode the incidents and write the outputs.
pub fn build(out_dir: &Path, incidents: Option<&Path>, strict: bool, cap: u64) -> Result<Outcome> {
    let file = load_incidents(incidents, cap)?;
    let gazetteer = Gazetteer::shipped()?;
    let (items, diagnostics) = geocode_all(&file.incidents, &gazetteer);
    let out = out_dir.join("incidents.geojson");
    let inputs: Vec<&Path> = incidents.into_iter().collect();
    write_atomic(&out, incidents_geojson(&items, &file).as_bytes(), &inputs)?;
    let c = counts(&items);
    let stdout = format!(
        "incidents: {}, geocoded: {} ({} at district level), ambiguous: {}, unresolved: {}\nwrote {}\n",
        c.incidents,
        c.geocoded,
        c.district_fallback,
        c.ambiguous,
        c.unresolved,
        out.display()
    );
    Ok(Outcome {
        stdout,
        strict_failed: strict_failed(strict, &diagnostics),
        diagnostics,
    })
}

/// `bordermap geocode`: an incidents file to GeoJSON.
pub fn geocode(input: &Path, output: &Path, strict: bool, cap: u64) -> Result<Outcome> {
    let file = load_incidents(Some(input), cap)?;
    let gazetteer = Gazetteer::shipped()?;
    let (items, diagnostics) = geocode_all(&file.incidents, &gazetteer);
    write_atomic(output, incidents_geojson(&items, &file).as_bytes(), &[input])?;
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
    if args.name.trim().is_empty() {
        return Err(Error::Usage("locate: the name is empty".into()));
    }
    let g = Gazetteer::shipped()?;
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
        LocateFormat::Json => format!("{}\n", lookup_json(&g, &l)),
        LocateFormat::Text => {
            let mut s = format!("{:?}: {} — {}\n", l.query, l.status.as_str(), l.reason);
            for (i, c) in l.candidates.iter().enumerate() {
                let p = g.place(c.place);
                let mark = if i == 0 && l.status == Status::Matched { "*" } else { " " };
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
