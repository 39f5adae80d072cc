//! `bordermap export`: GeoJSON, CSV with WKT, KML, FlatGeobuf.

use super::common::{DbSourceOpts, ExportFormat, InputOpts};
use super::{Outcome, summary};
use bordermap::export::write_export;
use bordermap::output::{check_output_early, shown_name, write_atomic_with};
use bordermap::{Diagnostic, Result, Severity};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The format to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: ExportFormat,
    /// A GeoJSON FeatureCollection of incident Points, or a FlatGeobuf file of points (a
    /// path, or an http:// or https:// URL) (default: the shipped incidents, geocoded).
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
    let inputs: Vec<&Path> = args.input.as_deref().into_iter().collect();
    // an output that could never be written is refused before the input is read
    check_output_early(&args.output, &inputs)?;
    let (features, download) =
        args.db
            .load(args.input.as_deref(), args.input_opts.bytes(), None)?;
    let format: bordermap::export::Format = args.to.into();
    let mut skipped = 0;
    write_atomic_with(&args.output, &inputs, |w| {
        skipped = write_export(format, &features, shown_name(&args.output), w)?;
        Ok(())
    })?;
    let mut diagnostics: Vec<Diagnostic> = download.into_iter().collect();
    if skipped > 0 {
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
                skipped,
                format.label()
            ),
        });
    }
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!("exported {} incidents", features.len() - skipped),
        ),
        diagnostics,
        failed: false,
    })
}
