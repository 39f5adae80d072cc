//! `bordermap import`: real data (UCDP GED, ACLED, any CSV, GeoJSON) as incidents.

use super::common::{
    GazetteerOpts, ImportFormat, InputOpts, PlaceContext, parse_date_order, parse_import_date,
};
use super::{Outcome, summary};
use bordermap::geocode::Counts;
use bordermap::import::{DayOrder, Options, RecordsWriter, Span, import_bytes_into};
use bordermap::input::read_bytes;
use bordermap::output::{shown_name, write_atomic_with};
use bordermap::{Error, Result};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `bordermap import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The file to import: a path, an http:// or https:// URL (downloaded whole), or `-`
    /// for stdin.
    pub file: PathBuf,
    /// The format (default: a spreadsheet or a FlatGeobuf file by its first bytes; GeoJSON or JSON records when the file starts with `{` or `[`; else delimited text, its layout detected from the header).
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
    /// Date every row that has no date of its own: YYYY-MM-DD, or a range YYYY-MM-DD/YYYY-MM-DD.
    #[arg(long, value_name = "DATE", value_parser = parse_import_date)]
    pub date: Option<Span>,
    /// How to read all-numeric dates such as 09/05/2020: dmy, mdy or ymd (default: only when one order is impossible).
    #[arg(long, value_name = "ORDER", value_parser = parse_date_order)]
    pub date_format: Option<DayOrder>,
    /// The sheet of a spreadsheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
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
    // an output that could never be written is refused before the file is read
    bordermap::output::check_output_early(&args.output, &[&args.file])?;
    let (bytes, downloaded) = if bordermap::remote::is_url(&args.file) {
        let url = args.file.to_string_lossy();
        let download = bordermap::remote::download(&url, args.input_opts.bytes())?;
        let note = download.note(&url);
        (download.bytes, Some(note))
    } else {
        (read_bytes(&args.file, args.input_opts.bytes())?, None)
    };
    // The shipped places (and --gazetteer files): to geocode --place-col, and to name the
    // settlement that administers given coordinates.
    let gazetteer = args.gazetteer.load(&args.input_opts)?;
    let opts = Options {
        from: args.from.map(Into::into),
        lat_col: args.lat_col.clone(),
        lon_col: args.lon_col.clone(),
        place_col: args.place_col.clone(),
        country_col: args.country_col.clone(),
        admin1_col: args.admin1_col.clone(),
        context: args.context.hints(),
        date: args.date,
        date_format: args.date_format,
        sheet: args.sheet.clone(),
    };
    // Records are written as they are made: a large import is never held whole.
    let mut c = Counts::default();
    let mut imported = None;
    write_atomic_with(&args.output, &[&args.file], |w| {
        let mut out = RecordsWriter::new(&gazetteer, w)?.named(shown_name(&args.output));
        let done = import_bytes_into(&args.file, bytes, &opts, &gazetteer, &mut |block| {
            for r in &block {
                c.add(&r.geocoded);
            }
            out.write(&block)
        })?;
        out.finish()?;
        imported = Some(done);
        Ok(())
    })?;
    let imported = imported.ok_or_else(|| Error::Output("import: nothing was written".into()))?;
    let undated = if imported.undated > 0 {
        format!(", undated: {}", imported.undated)
    } else {
        String::new()
    };
    let columns: Vec<String> = imported
        .columns
        .iter()
        .map(|(col, role)| format!("{col} → {role}"))
        .collect();
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "{}: {} ({}) rows: {}, imported: {} ({} located, {} ambiguous, {} unresolved), skipped: {}{undated}\nread as {}; columns: {}",
                args.file.display(),
                imported.format.as_str(),
                if args.from.is_some() {
                    "given"
                } else {
                    "detected"
                },
                imported.rows,
                imported.imported,
                c.geocoded,
                c.ambiguous,
                c.unresolved,
                imported.skipped,
                imported.read_as,
                if columns.is_empty() {
                    "as the layout defines them".to_string()
                } else {
                    columns.join(", ")
                },
            ),
        ),
        failed: imported.skipped > 0 && !args.allow_skips,
        diagnostics: downloaded.into_iter().chain(imported.diagnostics).collect(),
    })
}
