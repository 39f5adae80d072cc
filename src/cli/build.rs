//! `bordermap build` (the main job) and `bordermap geocode` (any incidents file to GeoJSON).

use super::common::{GazetteerOpts, InputOpts};
use super::{Outcome, strict_failed, summary};
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

/// `bordermap build`.
pub fn build(a: &BuildArgs) -> bordermap::Result<Outcome> {
    let g = a.geocode.gazetteer.load(&a.input)?;
    let r = pipeline::build(&a.out_dir, a.incidents.as_deref(), a.input.bytes(), &g)?;
    let c = &r.counts;
    let mut stdout = format!(
        "incidents: {}, geocoded: {} ({} at district level), ambiguous: {}, unresolved: {}\n",
        c.incidents, c.geocoded, c.district_fallback, c.ambiguous, c.unresolved,
    );
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
    let g = a.geocode.gazetteer.load(&a.input_opts)?;
    let r = pipeline::geocode_file(&a.input, &a.output, a.input_opts.bytes(), &g)?;
    let c = &r.counts;
    Ok(Outcome {
        stdout: summary(
            &a.output,
            format!(
                "incidents: {}, geocoded: {}, ambiguous: {}, unresolved: {}",
                c.incidents, c.geocoded, c.ambiguous, c.unresolved
            ),
        ),
        failed: strict_failed(a.geocode.strict, &r.diagnostics),
        diagnostics: r.diagnostics,
    })
}
