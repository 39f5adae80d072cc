//! `bordermap render`: a map as SVG or PNG.

use super::common::{AroundArgs, ColorBy, DbSourceOpts, Facet, InputOpts, Labels, Lang, SizeBy};
use super::{Outcome, summary};
use bordermap::model::{Date, EventType};
use bordermap::output::write_atomic;
use bordermap::render::{DEFAULT_BBOX, MapOptions, around_bbox, parse_map_area};
use bordermap::{Diagnostic, Error, Result};
use clap::Args;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap render`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// A GeoJSON FeatureCollection of incidents (as written by `bordermap build`), or a
    /// FlatGeobuf file of them (a path, or an http:// or https:// URL); default: the shipped
    /// incidents.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// The map to write: `.svg`, `.png` or `.pdf` (vector, with selectable text).
    #[arg(short, long, value_name = "FILE", default_value = "output/map.svg")]
    pub output: PathBuf,
    /// Only incidents that end on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents that start on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only these event types (repeatable): armed_clash, shelling, drone_strike, …
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Vec<String>,
    /// The map area: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Only the incidents around a place, and the map framed on it.
    #[command(flatten)]
    pub around: AroundArgs,
    /// The map title.
    #[arg(long)]
    pub title: Option<String>,
    /// What colours the markers.
    #[arg(long, value_enum, default_value_t = ColorBy::Type)]
    pub color_by: ColorBy,
    /// What sizes the markers.
    #[arg(long, value_enum, default_value_t = SizeBy::Fatalities)]
    pub size_by: SizeBy,
    /// Which incidents get text labels.
    #[arg(long, value_enum, default_value_t = Labels::Auto)]
    pub labels: Labels,
    /// The date for the disputed sections' status (YYYY-MM-DD); default: the latest
    /// incident date shown.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The page width in px.
    #[arg(long, value_name = "PX", default_value_t = 1600)]
    pub width: u32,
    /// Small multiples: one panel per month or per phase.
    #[arg(long, value_enum)]
    pub facet: Option<Facet>,
    /// The language of every word on the map: titles, legend, key, notes, scale bar,
    /// timeline and place names (Russian names from the reference gazetteer; a place it has
    /// no Russian name for keeps its Latin name).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// PNG resolution in dots per inch (96 = one pixel per SVG unit; 300 for print).
    #[arg(long, value_name = "DPI", default_value_t = 96.0, value_parser = parse_dpi)]
    pub dpi: f64,
    #[command(flatten)]
    pub input_opts: InputOpts,
    #[command(flatten)]
    pub db: DbSourceOpts,
}

fn parse_dpi(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && (24.0..=1200.0).contains(&x) => Ok(x),
        _ => Err(format!("{s:?} is not a resolution between 24 and 1200 dpi")),
    }
}

fn parse_date(flag: &str, s: &str) -> Result<Date> {
    Date::parse(s).map_err(|e| Error::Usage(format!("{flag} {s:?}: {e}")))
}

/// Checks every flag and builds the library's map options.
fn map_options(args: &RenderArgs) -> Result<(MapOptions, Option<Diagnostic>)> {
    let from = args
        .from
        .as_deref()
        .map(|s| parse_date("--from", s))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|s| parse_date("--to", s))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Error::Usage(format!("--from {f} is after --to {t}")));
    }
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_date("--as-of", s))
        .transpose()?;
    let mut types = Vec::new();
    for t in &args.event_type {
        let parsed = EventType::parse(t.trim()).ok_or_else(|| {
            let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            Error::Usage(format!(
                "--type {t:?}: unknown event type; use one of {}",
                all.join(", ")
            ))
        })?;
        if !types.contains(&parsed) {
            types.push(parsed);
        }
    }
    if !(600..=8000).contains(&args.width) {
        return Err(Error::Usage(format!(
            "--width {}: must be between 600 and 8000 px",
            args.width
        )));
    }
    let (around, note) = args.around.resolve()?.unzip();
    let bbox = match (&args.bbox, &around) {
        (Some(b), _) => parse_map_area(b)?,
        (None, Some(a)) => around_bbox(a),
        (None, None) => DEFAULT_BBOX,
    };
    let opts = MapOptions {
        bbox,
        from,
        to,
        types,
        around,
        title: args.title.clone(),
        subtitle: None,
        color_by: args.color_by.into(),
        size_by: args.size_by.into(),
        labels: args.labels.into(),
        as_of,
        width: args.width,
        facet: args.facet.map(Into::into),
        lang: args.lang.into(),
    };
    Ok((opts, note))
}

/// `bordermap render`: reads the incidents (or the shipped ones), renders, and writes the
/// map atomically (`.svg` or `.png` by extension). Refuses to overwrite the input.
pub fn run(args: &RenderArgs) -> Result<Outcome> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    #[derive(PartialEq)]
    enum Kind {
        Svg,
        Png,
        Pdf,
    }
    let kind = match ext.as_str() {
        "svg" => Kind::Svg,
        "png" => Kind::Png,
        "pdf" => Kind::Pdf,
        _ if args.output.as_os_str() == "-" => Kind::Svg,
        other => {
            return Err(Error::Usage(format!(
                "--output {}: unknown extension {other:?}; use .svg, .png or .pdf",
                args.output.display()
            )));
        }
    };
    let inputs: Vec<&Path> = args.input.iter().map(PathBuf::as_path).collect();
    // an output that could never be written is refused before the input is read
    bordermap::output::check_output_early(&args.output, &inputs)?;
    let (opts, place_note) = map_options(args)?;
    let (features, download) =
        args.db
            .load(args.input.as_deref(), args.input_opts.bytes(), None)?;
    let rendered = bordermap::render::render_map(&features, &opts)
        .map_err(super::common::name_input(args.input.as_deref()))?;
    let bytes = match kind {
        Kind::Png => bordermap::render::png::svg_to_png_at(&rendered.svg, args.dpi)?,
        Kind::Pdf => bordermap::render::png::svg_to_pdf(&rendered.svg)?,
        Kind::Svg => rendered.svg.clone().into_bytes(),
    };
    write_atomic(&args.output, &bytes, &inputs)?;
    let mut diagnostics: Vec<Diagnostic> = place_note.into_iter().chain(download).collect();
    diagnostics.extend(bordermap::render::not_drawn_notes(
        &rendered.unlocated,
        &rendered.outside,
        "in the map's note",
    ));
    diagnostics.extend(bordermap::render::listed_notes(&rendered));
    Ok(Outcome {
        stdout: summary(
            &args.output,
            format!(
                "map: {} incidents drawn, {} outside the map area, {} without a location, {} placed only at a district or region, {} aggregates, {} filtered out",
                rendered.drawn,
                rendered.outside.len(),
                rendered.unlocated.len(),
                rendered.areas.len(),
                rendered.aggregates.len(),
                rendered.filtered_out,
            ),
        ),
        diagnostics,
        failed: false,
    })
}
