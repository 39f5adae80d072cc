//! `bordermap index`: the persistent index of an incidents file.

use super::Outcome;
use super::common::InputOpts;
use bordermap::sidecar::{load_and_index, write};
use bordermap::{Error, Result};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `bordermap index`.
#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    /// The incidents file (a GeoJSON FeatureCollection of Points); the index is written next
    /// to it as FILE.bmidx, and `near`/`within --input FILE` then use it while FILE is unchanged.
    /// A FlatGeobuf file needs none: its own index is used.
    #[arg(value_name = "FILE")]
    pub input: PathBuf,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

/// `bordermap index`.
pub fn run(args: &IndexArgs) -> Result<Outcome> {
    if args.input.as_os_str() == "-" {
        return Err(Error::Usage(
            "index: give a file; standard input cannot have an index next to it".into(),
        ));
    }
    if bordermap::remote::is_url(&args.input) {
        return Err(Error::Usage(format!(
            "index: {} is on a web server, and an index is written next to a local file; \
             near and within read a FlatGeobuf file on a web server through its own index",
            args.input.display()
        )));
    }
    if bordermap::fgb_input::is_flatgeobuf(&args.input) {
        let file = bordermap::fgb_input::FgbFile::open(&args.input)?;
        let stdout = if file.indexed() {
            format!(
                "{} is FlatGeobuf with a spatial index of its own, which near and within use: \
                 nothing to write\n",
                args.input.display()
            )
        } else {
            format!(
                "{} is FlatGeobuf without a spatial index: near and within read all of it; \
                 write it again with one (`bordermap export --to fgb`, or `ogr2ogr \
                 -lco SPATIAL_INDEX=YES`)\n",
                args.input.display()
            )
        };
        return Ok(Outcome {
            stdout,
            ..Outcome::default()
        });
    }
    let (d, stamp) = load_and_index(&args.input, args.input_opts.bytes())?;
    let path = write(&args.input, &d, &stamp)?;
    Ok(Outcome {
        stdout: format!(
            "indexed {} located incident(s) ({} without a position)\nwrote {}\n",
            d.features.len(),
            d.unlocated,
            path.display()
        ),
        ..Outcome::default()
    })
}
