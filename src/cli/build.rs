//! `bordermap build` (the main job) and `bordermap geocode` (any incidents file to GeoJSON).

use super::common::{GazetteerOpts, InputOpts};
use super::{Outcome, strict_failed, summary};
use bordermap::geocode::Counts;
use bordermap::pipeline;
use clap::Args;
use std::path::PathBuf;

/// Options shared by commands that geocode.
#[derive(Debug, Clone, Args)]
pub struct GeocodeOpts {
    /// Exit with code 1 when any place is ambiguous or unresolved.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub gazetteer: GazetteerOpts,
}

/// Arguments of `bordermap build`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Where the outputs go.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out_dir: PathBuf,
    /// Use this incidents file instead of the shipped one.
    #[arg(long, value_name = "FILE")]
    pub incidents: Option<PathBuf>,
    #[command(flatten)]
    pub geocode: GeocodeOpts,
    #[command(flatten)]
    pub input: InputOpts,
}

/// Arguments of `bordermap geocode`.
#[derive(Debug, Clone, Args)]
pub struct GeocodeArgs {
    /// The incidents file; `-` reads stdin.
    pub input: PathBuf,
    /// The GeoJSON to write; `-` writes stdout.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub output: PathBuf,
    #[command(flatten)]
    pub geocode: GeocodeOpts,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

/// The summary of a geocoding run: how many incidents, how many aggregates, at what level
/// they are placed, how many the sources do not place, how many could not be located.
fn counts_line(c: &Counts) -> String {
    format!(
        "incidents: {} ({} aggregates), placed: {} ({} at a village, town or site, {} at district level, {} at region level), not placed: {}, ambiguous: {}, unresolved: {}",
        c.incidents,
        c.aggregates,
        c.geocoded,
        c.at_place,
        c.at_district,
        c.at_region,
        c.not_placed,
        c.ambiguous,
        c.unresolved
    )
}

/// `bordermap build`.
pub fn build(a: &BuildArgs) -> bordermap::Result<Outcome> {
    let g = a.geocode.gazetteer.load(&a.input)?;
    let r = pipeline::build(&a.out_dir, a.incidents.as_deref(), a.input.bytes(), &g)?;
    let mut stdout = format!("{}\n", counts_line(&r.counts));
    for path in &r.written {
        stdout.push_str(&format!("wrote {}\n", path.display()));
    }
    Ok(Outcome {
        stdout,
        failed: strict_failed(a.geocode.strict, &r.diagnostics),
        diagnostics: r.diagnostics,
    })
}

/// `bordermap geocode`.
pub fn geocode(a: &GeocodeArgs) -> bordermap::Result<Outcome> {
    // an output that could never be written is refused before anything is read
    bordermap::output::check_output_early(&a.output, &[&a.input])?;
    let g = a.geocode.gazetteer.load(&a.input_opts)?;
    let r = pipeline::geocode_file(&a.input, &a.output, a.input_opts.bytes(), &g)?;
    Ok(Outcome {
        stdout: summary(&a.output, counts_line(&r.counts)),
        failed: strict_failed(a.geocode.strict, &r.diagnostics),
        diagnostics: r.diagnostics,
    })
}
