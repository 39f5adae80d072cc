//! The command line: the only code that names clap, prints, or decides an exit code. The
//! library below it returns data and diagnostics.
//!
//! One file per subcommand holds its arguments (doc comments are the `--help` text), calls
//! the library, and formats what is printed. Options shared by several subcommands are
//! declared once in [`common`] and flattened. To add a subcommand: a file here, a variant in
//! [`Command`], and an arm in [`Command::run`].

mod build;
mod common;
mod db;
mod export;
mod geodata;
mod html;
mod import;
mod index;
mod locate;
mod merge;
mod query;
mod render;

use bordermap::{Diagnostic, Result, Severity};
use clap::{Parser, Subcommand};

/// Maps border incidents: offline geocoding, attributed claims, exact geodesic queries and
/// print-ready maps. First field: the Kyrgyzstan–Tajikistan border.
#[derive(Debug, Parser)]
#[command(name = "bordermap", version, about, long_about = None)]
pub struct Cli {
    /// The task.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, one per user task.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: geocode the shipped incidents and write everything to the output folder.
    Build(build::BuildArgs),
    /// Geocode an incidents file (project TOML format) into GeoJSON.
    Geocode(build::GeocodeArgs),
    /// Look a place name up in the gazetteer, in any spelling or script.
    Locate(locate::LocateArgs),
    /// What happened near a point (or near the border): exact geodesic radius and k-nearest search.
    Near(query::NearArgs),
    /// Incidents inside an area: an enclave, a polygon file, or a lon/lat box.
    Within(query::WithinArgs),
    /// Index an incidents file once (a sidecar FILE.bmidx), so that near and within open it in milliseconds.
    Index(index::IndexArgs),
    /// Draw a map of the incidents: print-ready SVG, or PNG.
    Render(render::RenderArgs),
    /// Write an offline interactive map: one self-contained HTML page, no network needed.
    Html(html::HtmlArgs),
    /// Import real data (UCDP GED, ACLED, any CSV with coordinates or place names, GeoJSON) as incidents.
    Import(import::ImportArgs),
    /// Combine incident GeoJSON files, linking likely duplicates (never deleting them).
    Merge(merge::MergeArgs),
    /// Export incidents as GeoJSON, CSV (with WKT), KML (Google Earth) or FlatGeobuf.
    Export(export::ExportArgs),
    /// Rebuild geodata/ from the public reference bundle (maintainers only).
    Geodata(geodata::GeodataArgs),
    /// Work as a team: a shared PostgreSQL + PostGIS store (init, push, pull, log, delete).
    Db(db::DbArgs),
}

impl Command {
    /// Runs the subcommand.
    pub fn run(self) -> Result<Outcome> {
        match self {
            Command::Build(a) => build::build(&a),
            Command::Geocode(a) => build::geocode(&a),
            Command::Locate(a) => locate::run(&a),
            Command::Near(a) => query::near(&a),
            Command::Within(a) => query::within(&a),
            Command::Index(a) => index::run(&a),
            Command::Render(a) => render::run(&a),
            Command::Html(a) => html::run(&a),
            Command::Import(a) => import::run(&a),
            Command::Merge(a) => merge::run(&a),
            Command::Export(a) => export::run(&a),
            Command::Geodata(a) => geodata::run(&a),
            Command::Db(a) => db::run(&a),
        }
    }
}

/// What a command produced, for `main` to print.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Lines for stdout.
    pub stdout: String,
    /// Non-fatal problems.
    pub diagnostics: Vec<Diagnostic>,
    /// True when the run must end with exit code 1 although it finished: `--strict` with a
    /// warning, or skipped rows without `--allow-skips`.
    pub failed: bool,
}

impl Outcome {
    /// The exit code: 1 when the run [`failed`](Outcome::failed), else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.failed)
    }
}

/// True when `--strict` was given and a warning occurred.
fn strict_failed(strict: bool, diags: &[Diagnostic]) -> bool {
    strict && diags.iter().any(|d| d.severity == Severity::Warning)
}

/// The summary a command prints after writing `output`: nothing when the output itself
/// went to stdout (`-`), so that it is not mixed into the data.
fn summary(output: &std::path::Path, lines: String) -> String {
    if output.as_os_str() == "-" {
        String::new()
    } else {
        format!("{lines}\nwrote {}\n", output.display())
    }
}
