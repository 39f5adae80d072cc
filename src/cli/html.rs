//! `bordermap html`: the offline interactive map page.

use super::common::{DbSourceOpts, InputOpts};
use super::{Outcome, summary};
use bordermap::Result;
use bordermap::output::write_atomic;
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap html`.
#[derive(Debug, Clone, Args)]
pub struct HtmlArgs {
    /// A GeoJSON FeatureCollection of incidents (as written by `bordermap build`); default:
    /// the shipped incidents.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The page to write (`-` for stdout).
    #[arg(short, long, value_name = "FILE", default_value = "output/map.html")]
    pub output: PathBuf,
    /// The page title (default: "Kyrgyzstan–Tajikistan border incidents").
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub input_opts: InputOpts,
    #[command(flatten)]
    pub db: DbSourceOpts,
}

/// `bordermap html`: reads the incidents (or the shipped ones), renders the page and writes
/// it atomically. Refuses to overwrite the input.
pub fn run(args: &HtmlArgs) -> Result<Outcome> {
    let features = args
        .db
        .load(args.input.as_deref(), args.input_opts.bytes(), None)?;
    let page = bordermap::html::render_html(&features, args.title.as_deref())?;
    let inputs: Vec<&Path> = args.input.iter().map(PathBuf::as_path).collect();
    write_atomic(&args.output, page.html.as_bytes(), &inputs)?;
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "map page: {} incidents drawn, {} outside the map area, {} without a location",
                page.drawn,
                page.outside.len(),
                page.unlocated.len(),
            ),
        ),
        diagnostics: bordermap::html::notes(&page),
        failed: false,
    })
}
