//! Rebuilding `geodata/` from the public reference bundle (`bordermap geodata --reference DIR`).
//!
//! This is the project's documented, reproducible data command. It reads the Natural Earth
//! and Who's On First extracts described in `geodata/README.md` and writes:
//!
//! | file | from | what |
//! |---|---|---|
//! | `gazetteer.csv` | WOF KG/TJ + UZ Fergana localities, WOF regions and districts, WOF enclaves, NE populated places; the GeoNames places, airports, former names and name corrections of `geodata/sources/` | every place with its names in all scripts |
//! | `border.geojson` | WOF/Quattroshapes (LSIB-derived) KG–TJ shared edge | the border line: mainland, Vorukh ring, Western Qal'acha ring; not simplified |
//! | `enclaves.geojson` | WOF enclave polygons | Vorukh, Western Qal'acha, Sokh, Shakhimardan, Chong-Kara, Jangail, Sarvan |
//! | `countries.geojson` | WOF KG/TJ/UZ (simplified, [`COUNTRY_TOLERANCE_DEG`]) + NE neighbours | map background |
//! | `admin_areas.geojson` | WOF KG/TJ regions and districts (simplified like the countries) | the outlines `within --area` selects with |
//! | `rivers.geojson`, `lakes.geojson` | Natural Earth 1:10m | map background |
//!
//! The running program never reads the reference bundle: it reads `geodata/`, which is
//! compiled into the binary.

//!
//! | file | what it writes |
//! |---|---|
//! | `places.rs` | `gazetteer.csv` (one function per source of places) and the enclave features |
//! | `boundaries.rs` | `border.geojson`, `countries.geojson`, `admin_areas.geojson`, `rivers.geojson`, `lakes.geojson` |
//! | `source.rs` | reading the reference bundle: features, properties, names |
//! | `curated.rs` | the sources kept in `geodata/sources/`: GeoNames places, airports, former names, name corrections |

mod boundaries;
mod curated;
mod places;
mod source;

pub use source::COUNTRY_TOLERANCE_DEG;

use crate::error::Result;
use crate::geojson_io::feature_collection;
use crate::output::write_atomic;
use std::path::Path;

/// What [`rebuild`] wrote.
#[derive(Debug, Default)]
pub struct Summary {
    /// Rows in `gazetteer.csv`.
    pub places: usize,
    /// Reference records left out because GeoNames' editors doubt they are places.
    pub doubted: usize,
    /// Border features.
    pub border_parts: usize,
    /// Enclave polygons.
    pub enclaves: usize,
    /// Country polygons.
    pub countries: usize,
    /// Region and district outlines.
    pub admin_areas: usize,
}

/// Rebuilds every file of `geodata/` from the reference bundle in `reference` and the
/// curated sources in `sources` (`geodata/sources/`). The same inputs give the same bytes.
pub fn rebuild(reference: &Path, sources: &Path, out_dir: &Path) -> Result<Summary> {
    let (mut rows, districts) = places::admin_units(reference)?;
    let (localities, geonames, doubted) = places::localities(reference, &districts)?;
    rows.extend(localities);
    rows.extend(places::natural_earth_towns(
        reference, &districts, &geonames,
    )?);
    let (enclave_rows, enclave_features) = places::enclaves(reference, &districts)?;
    rows.extend(enclave_rows);
    rows.extend(curated::airports(sources, &districts)?);
    // GeoNames places the reference data lacks: ids of neither a WOF locality nor an NE town
    let mut known = geonames;
    known.extend(
        rows.iter()
            .filter_map(|r| r.id.strip_prefix("ne:")?.parse::<u64>().ok()),
    );
    rows.extend(curated::geonames(sources, &districts, &known)?);
    places::drop_neighbour_names(&mut rows);
    curated::former_names(sources, &mut rows)?;
    curated::name_corrections(sources, &mut rows)?;
    let places = places::write_gazetteer(out_dir, rows)?;
    write_atomic(
        &out_dir.join("enclaves.geojson"),
        feature_collection(&enclave_features).as_bytes(),
        &[],
    )?;
    let border_parts = boundaries::border(reference, out_dir)?;
    let countries = boundaries::countries(reference, out_dir)?;
    let admin_areas = boundaries::admin_areas(reference, out_dir)?;
    boundaries::water(reference, out_dir)?;
    Ok(Summary {
        places,
        doubted,
        border_parts,
        enclaves: enclave_features.len(),
        countries,
        admin_areas,
    })
}
