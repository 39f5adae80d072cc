//! `bordermap export`: GeoJSON, CSV with WKT, KML, FlatGeobuf.

use super::common::{DbSourceOpts, ExportFormat, InputOpts};
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
    #[command(flatten)]
    pub db: DbSourceOpts,
}

/// `bordermap export`.
pub fn run(args: &ExportArgs) -> Result<Outcome> {
    let features = args
        .db
        .load(args.input.as_deref(), args.input_opts.bytes(), None)?;
    let format: bordermap::export::Format = args.to.into();
    let exported = bordermap::export::export(format, &features)?;
    let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
    write_atomic(&args.output, &exported.bytes, &inputs)?;
    let mut diagnostics = Vec::new();
    if exported.skipped > 0 {
        diagnostics.push(Diagnostic {
            severity: Severity::Note,
            kind: "not_located",
            location: match (&args.input, &args.db.db) {
                (Some(p), _) => p.display().to_string(),
                (None, Some(_)) => "the store".into(),
                (None, None) => "the shipped incidents".into(),
            },
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
