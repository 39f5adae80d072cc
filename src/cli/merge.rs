//! `bordermap merge`: combine incident files, linking likely duplicates.

use super::common::InputOpts;
use super::{Outcome, summary};
use bordermap::output::{shown_name, write_atomic_with};
use bordermap::{Error, Result};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap merge`.
#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The incident files, GeoJSON or FlatGeobuf, in order (from build, geocode, import, export or a previous merge).
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// The merged GeoJSON; `-` writes stdout.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub output: PathBuf,
    /// Dates this many days apart still count as the same day.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub days: u32,
    /// Records at most this many km apart (geodesic) can be duplicates.
    #[arg(long, value_name = "KM", default_value_t = 5.0, value_parser = parse_km)]
    pub km: f64,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

fn parse_km(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("{s:?} is not a distance ≥ 0 in km")),
    }
}

/// `bordermap merge`.
pub fn run(args: &MergeArgs) -> Result<Outcome> {
    let inputs: Vec<&Path> = args.inputs.iter().map(PathBuf::as_path).collect();
    // an output that could never be written is refused before the inputs are read
    bordermap::output::check_output_early(&args.output, &inputs)?;
    let items = bordermap::merge::load(&args.inputs, args.input_opts.bytes())?;
    let (mut n_links, mut n_groups) = (0, 0);
    write_atomic_with(&args.output, &inputs, |w| {
        (n_links, n_groups) = bordermap::merge::write_merged(&items, args.days, args.km, w)
            .map_err(|e| Error::io(shown_name(&args.output), e))?;
        Ok(())
    })?;
    let not_compared = items
        .iter()
        .filter(|i| i.position.is_none() || i.span.is_none())
        .count();
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "merged {} files: {} records, {} likely duplicate links in {} groups ({} without a position or date not compared)",
                args.inputs.len(),
                items.len(),
                n_links,
                n_groups,
                not_compared,
            ),
        ),
        ..Outcome::default()
    })
}
