//! `bordermap import`: real data (UCDP GED, ACLED, any CSV, GeoJSON) as incidents.

use super::common::{GazetteerOpts, ImportFormat, InputOpts, PlaceContext};
use super::{Outcome, summary};
use bordermap::geocode::{Geocoded, counts};
use bordermap::import::records_geojson;
use bordermap::import::{Options, import_text};
use bordermap::input::read_text;
use bordermap::output::write_atomic;
use bordermap::{Gazetteer, Result};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `bordermap import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import; `-` reads stdin.
    pub file: PathBuf,
    /// The format (default: detected from the CSV header, or GeoJSON when the file starts with `{`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub from: Option<ImportFormat>,
    /// The GeoJSON to write; `-` writes stdout.
    #[arg(short, long, value_name = "OUT.geojson", default_value = "-")]
    pub output: PathBuf,
    /// The latitude column (default: lat, latitude or y, in any case).
    #[arg(long, value_name = "C")]
    pub lat_col: Option<String>,
    /// The longitude column (default: lon, lng, long, longitude or x, in any case).
    #[arg(long, value_name = "C")]
    pub lon_col: Option<String>,
    /// Geocode the names in this column through the gazetteer instead of reading coordinates.
    #[arg(long, value_name = "C")]
    pub place_col: Option<String>,
    /// With --place-col: the column with each row's country (code or English name), a
    /// constraint on its place name.
    #[arg(long, value_name = "C", requires = "place_col")]
    pub country_col: Option<String>,
    /// With --place-col: the column with each row's region, a constraint on its place name.
    #[arg(long, value_name = "C", requires = "place_col")]
    pub admin1_col: Option<String>,
    /// With --place-col: where the names are, for rows that do not say (a row's own columns win).
    #[command(flatten)]
    pub context: PlaceContext,
    /// Exit with code 0 even when bad rows were skipped.
    #[arg(long)]
    pub allow_skips: bool,
    #[command(flatten)]
    pub gazetteer: GazetteerOpts,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

/// `bordermap import`.
pub fn run(args: &ImportArgs) -> Result<Outcome> {
    let text = read_text(&args.file, args.input_opts.bytes())?;
    let gazetteer = if args.place_col.is_some() || !args.gazetteer.gazetteer.is_empty() {
        args.gazetteer.load(&args.input_opts)?
    } else {
        Gazetteer::default()
    };
    let opts = Options {
        from: args.from.map(Into::into),
        lat_col: args.lat_col.clone(),
        lon_col: args.lon_col.clone(),
        place_col: args.place_col.clone(),
        country_col: args.country_col.clone(),
        admin1_col: args.admin1_col.clone(),
        context: args.context.hints(),
    };
    let imported = import_text(&args.file, &text, &opts, &gazetteer)?;
    write_atomic(
        &args.output,
        records_geojson(&imported.records)?.as_bytes(),
        &[&args.file],
    )?;
    let located: Vec<Geocoded> = imported
        .records
        .iter()
        .map(|r| r.geocoded.clone())
        .collect();
    let c = counts(&located);
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "{}: {} ({}) rows: {}, imported: {} ({} located, {} ambiguous, {} unresolved), skipped: {}",
                args.file.display(),
                imported.format.as_str(),
                if args.from.is_some() {
                    "given"
                } else {
                    "detected"
                },
                imported.rows,
                imported.records.len(),
                c.geocoded,
                c.ambiguous,
                c.unresolved,
                imported.skipped,
            ),
        ),
        failed: imported.skipped > 0 && !args.allow_skips,
        diagnostics: imported.diagnostics,
    })
}
