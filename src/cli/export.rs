//! `bordermap export`: GeoJSON, CSV with WKT, KML, FlatGeobuf.

use super::common::{ExportFormat, InputOpts};
use super::{Outcome, summary};
use bordermap::output::write_atomic;
use bordermap::{Diagnostic, Result, Severity};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportFormat,
    /// A GeoJSON FeatureCollection of incident Points (default: the shipped incidents, geocoded).
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Where to write; `-` writes stdout.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub output: PathBuf,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

/// `bordermap export`.
pub fn run(args: &ExportArgs) -> Result<Outcome> {
    let features =
        bordermap::pipeline::load_features(args.input.as_deref(), args.input_opts.bytes())?;
    let format: bordermap::export::Format = args.to.into();
    let exported = bordermap::export::export(format, &features)?;
    let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
    write_atomic(&args.output, &exported.bytes, &inputs)?;
    let mut diagnostics = Vec::new();
    if exported.skipped > 0 {
        diagnostics.push(Diagnostic {
            severity: Severity::Note,
            kind: "not_located",
            location: args
                .input
                .as_ref()
                .map_or_else(|| "the shipped incidents".into(), |p| p.display().to_string()),
            message: format!(
                "{} incidents without a position are not in the {} output (they have no point to draw)",
                exported.skipped,
                format.label()
            ),
        });
    }
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!("exported {} incidents", features.len() - exported.skipped),
        ),
        diagnostics,
        failed: false,
    })
}
