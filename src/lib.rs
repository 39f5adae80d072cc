//! # bordermap
//!
//! Maps border incidents: it turns reports (a place name, a date, casualty figures that each
//! side gives differently) into trustworthy points, with every claim attributed and every
//! uncertainty shown. Its first field is the Kyrgyzstan–Tajikistan border.
//!
//! Data flows one way: **read → geocode → index/query → render/write**.
//!
//! | module | what it owns |
//! |---|---|
//! | [`error`] | the one error type, and non-fatal diagnostics |
//! | [`model`] | positions, dates, incidents, claims, sources, fatality estimates |
//! | [`input`] | bytes to text (BOM, UTF-16, invalid UTF-8, size cap); the incidents TOML |
//! | [`names`] | folding and transliterating place names (Latin, Russian, Kyrgyz, Tajik) |
//! | [`gazetteer`] | the places and the ranked, honest name lookup |
//! | [`geocode`] | incidents × gazetteer → located incidents |
//! | [`geojson_io`] | RFC 7946 GeoJSON in and out |
//! | [`index`] | exact geodesic radius and k-nearest queries (rstar over unit vectors) |
//! | [`border`] | border line, enclaves, countries, disputed sections; distance to the border |
//! | [`query`] | near a point, inside an area, near the border: filters and output formats |
//! | [`output`] | atomic writes and safe file names |
//! | [`render`] | maps: SVG and PNG, with legend, scale bar, inset and timeline |
//! | [`html`] | the offline interactive map: one self-contained HTML page |
//! | [`geodata`] | rebuilding `geodata/` from the public reference bundle |
//! | [`commands`] | what each subcommand does, for the binary |
//! | [`import`] | UCDP GED, ACLED, any CSV with coordinates or names, GeoJSON → incidents |
//! | [`merge`] | combining incident datasets, linking likely duplicates |
//! | [`export`] | incidents → GeoJSON, CSV with WKT, KML for Google Earth, FlatGeobuf |
//! | [`progress`] | progress bars for long imports and exports (terminal only) |
//!
//! ```
//! use bordermap::gazetteer::{Context, Status};
//! let g = bordermap::Gazetteer::shipped().unwrap();
//! let hit = g.lookup("Көк-Таш", &Context::default());
//! // several villages are called Kök-Tash: the lookup says so instead of guessing
//! assert_eq!(hit.status, Status::Ambiguous);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `unwrap` and `expect` belong in tests only (clippy.toml allows them there).
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod border;
pub mod cli;
pub mod commands;
pub mod error;
pub mod export;
pub mod gazetteer;
pub mod geocode;
pub mod geodata;
pub mod geojson_io;
pub mod html;
pub mod import;
pub mod index;
pub mod input;
pub mod merge;
pub mod model;
pub mod names;
pub mod output;
pub mod progress;
pub mod query;
pub mod render;

pub use error::{Diagnostic, Error, Result, Severity};
pub use gazetteer::Gazetteer;
pub use model::{Claim, Date, EventType, Incident, LonLat, Side, Source};

/// The incidents file shipped with the project (`geodata/incidents.toml`), compiled in.
pub const SHIPPED_INCIDENTS: &str = include_str!("../geodata/incidents.toml");
