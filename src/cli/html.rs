//! `bordermap html`: the offline interactive map page.

use super::common::{AroundArgs, DbSourceOpts, InputOpts};
use super::{Outcome, summary};
use bordermap::output::{shown_name, write_atomic_with};
use bordermap::pipeline::SHIPPED_INCIDENTS_PATH;
use bordermap::{Error, Result};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap html`.
#[derive(Debug, Clone, Args)]
pub struct HtmlArgs {
    /// A GeoJSON FeatureCollection of incidents (as written by `bordermap build`), or a
    /// FlatGeobuf file of them (a path, or an http:// or https:// URL); default: the shipped
    /// incidents.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The page to write (`-` for stdout).
    #[arg(short, long, value_name = "FILE", default_value = "output/map.html")]
    pub output: PathBuf,
    /// The page title (default: "Kyrgyzstan–Tajikistan border incidents").
    #[arg(long)]
    pub title: Option<String>,
    /// Refuse inputs with more incidents than this: the page holds them all, and a browser
    /// takes minutes to open the page of a million (about 500 MB).
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_incidents: usize,
    /// Only the incidents around a place, and the map opened there.
    #[command(flatten)]
    pub around: AroundArgs,
    #[command(flatten)]
    pub input_opts: InputOpts,
    #[command(flatten)]
    pub db: DbSourceOpts,
}

/// `bordermap html`: reads the incidents (or the shipped ones), prepares the page and writes
/// it atomically, a feature at a time. Refuses to overwrite the input.
pub fn run(args: &HtmlArgs) -> Result<Outcome> {
    let inputs: Vec<&Path> = args.input.iter().map(PathBuf::as_path).collect();
    // an output that could never be written is refused before the input is read
    bordermap::output::check_output_early(&args.output, &inputs)?;
    let around = args.around.resolve()?;
    let (mut features, download) =
        args.db
            .load(args.input.as_deref(), args.input_opts.bytes(), None)?;
    // as `render --around` keeps them: the incidents placed within the radius
    let left_out = match &around {
        Some((a, _)) => {
            let before = features.len();
            features.retain(|f| f.position.is_some_and(|p| a.holds(p)));
            format!(
                "; {} more lie beyond {} km of {:?} or have no place",
                before - features.len(),
                a.radius_m / 1000.0,
                a.name
            )
        }
        None => String::new(),
    };
    if features.len() > args.max_incidents {
        return Err(Error::Record {
            path: args
                .input
                .clone()
                .unwrap_or_else(|| SHIPPED_INCIDENTS_PATH.into()),
            record: "the incidents".into(),
            message: format!(
                "{} incidents, more than the page's limit of {}; pass --max-incidents {} to write it anyway, or select fewer (within, near)",
                features.len(),
                args.max_incidents,
                features.len()
            ),
        });
    }
    let frame = around
        .as_ref()
        .map(|(a, _)| bordermap::render::around_bbox(a));
    let page = bordermap::html::Page::framed(&features, args.title.as_deref(), frame)
        .map_err(super::common::name_input(args.input.as_deref()))?;
    write_atomic_with(&args.output, &inputs, |w| {
        page.write_to(w)
            .map_err(|e| Error::io(shown_name(&args.output), e))
    })?;
    let info = page.info();
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "map page: {} incidents drawn, {} outside the map area, {} without a location{}",
                info.drawn,
                info.outside.len(),
                info.unlocated.len(),
                left_out,
            ),
        ),
        diagnostics: download
            .into_iter()
            .chain(around.map(|(_, note)| note))
            .chain(bordermap::html::notes(info))
            .collect(),
        failed: false,
    })
}
