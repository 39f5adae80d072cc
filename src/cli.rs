//! The command line (clap derive). Doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Maps border incidents: offline geocoding, attributed claims, exact geodesic queries and
/// print-ready maps. First field: the Kyrgyzstan–Tajikistan border.
#[derive(Debug, Parser)]
#[command(name = "bordermap", version, about, long_about = None)]
pub struct Cli {
    /// The task.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by commands that read files.
#[derive(Debug, Clone, Args)]
pub struct InputOpts {
    /// Refuse input files larger than this many MiB.
    #[arg(long, value_name = "MB", default_value_t = 512, global = true)]
    pub max_input_mb: u64,
}

/// Options shared by commands that geocode.
#[derive(Debug, Clone, Args)]
pub struct GeocodeOpts {
    /// Exit with code 1 when any place is ambiguous or unresolved.
    #[arg(long)]
    pub strict: bool,
}

/// Output formats for `locate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LocateFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object.
    Json,
}

/// The subcommands, one per user task.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: geocode the shipped incidents and write everything to the output folder.
    Build {
        /// Where the outputs go.
        #[arg(long, value_name = "DIR", default_value = "output")]
        out_dir: PathBuf,
        /// Use this incidents file instead of the shipped one.
        #[arg(long, value_name = "FILE")]
        incidents: Option<PathBuf>,
        #[allow(missing_docs)]
        #[command(flatten)]
        geocode: GeocodeOpts,
        #[allow(missing_docs)]
        #[command(flatten)]
        input: InputOpts,
    },
    /// Geocode an incidents file (project TOML format) into GeoJSON.
    Geocode {
        /// The incidents file; `-` reads stdin.
        input: PathBuf,
        /// The GeoJSON to write; `-` writes stdout.
        #[arg(short, long, value_name = "OUT", default_value = "-")]
        output: PathBuf,
        #[allow(missing_docs)]
        #[command(flatten)]
        geocode: GeocodeOpts,
        #[allow(missing_docs)]
        #[command(flatten)]
        input_opts: InputOpts,
    },
    /// Look a place name up in the gazetteer, in any spelling or script.
    Locate {
        /// The name: Vorukh, Voruh, Ворух, …
        name: String,
        /// The country (ISO 3166-1 alpha-2) the place is expected in.
        #[arg(long, value_name = "CC")]
        country: Option<String>,
        /// The region (oblast, viloyat) the place is expected in.
        #[arg(long, value_name = "REGION")]
        admin1: Option<String>,
        /// The district the place is expected in.
        #[arg(long, value_name = "DISTRICT")]
        admin2: Option<String>,
        /// Another place named in the same report (repeatable), to disambiguate.
        #[arg(long, value_name = "NAME")]
        near: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = LocateFormat::Text)]
        format: LocateFormat,
        /// Exit with code 1 when the name is ambiguous or not found.
        #[arg(long)]
        strict: bool,
    },
    /// Rebuild geodata/ from the public reference bundle (maintainers only).
    Geodata {
        /// The reference bundle: Natural Earth and Who's On First extracts (see geodata/README.md).
        #[arg(long, value_name = "DIR")]
        reference: PathBuf,
        /// Where to write.
        #[arg(long, value_name = "DIR", default_value = "geodata")]
        out_dir: PathBuf,
    },
}
