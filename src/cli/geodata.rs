//! `bordermap geodata`: rebuild `geodata/` from the public reference bundle (maintainers).

use super::Outcome;
use bordermap::{Error, Result};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `bordermap geodata`.
#[derive(Debug, Clone, Args)]
pub struct GeodataArgs {
    /// The reference bundle: Natural Earth and Who's On First extracts (see geodata/README.md).
    #[arg(long, value_name = "DIR")]
    pub reference: PathBuf,
    /// The curated sources kept in the repository: airports, former names.
    #[arg(long, value_name = "DIR", default_value = "geodata/sources")]
    pub sources: PathBuf,
    /// Where to write.
    #[arg(long, value_name = "DIR", default_value = "geodata")]
    pub out_dir: PathBuf,
}

/// `bordermap geodata`.
pub fn run(a: &GeodataArgs) -> Result<Outcome> {
    if !a.reference.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a directory; pass the reference bundle folder with --reference",
            a.reference.display()
        )));
    }
    if !a.sources.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a directory; pass the curated sources folder with --sources",
            a.sources.display()
        )));
    }
    let s = bordermap::rebuild::rebuild(&a.reference, &a.sources, &a.out_dir)?;
    Ok(Outcome {
        stdout: format!(
            "wrote {}: {} places ({} records that GeoNames' editors doubt are places left out), {} border parts, {} enclaves, {} countries, {} regions and districts\n",
            a.out_dir.display(),
            s.places,
            s.doubted,
            s.border_parts,
            s.enclaves,
            s.countries,
            s.admin_areas
        ),
        ..Outcome::default()
    })
}
