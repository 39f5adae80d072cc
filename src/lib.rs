//! # bordermap
//!
//! Maps border incidents: it turns reports (a place name, a date, casualty figures that each
//! side gives differently) into trustworthy points, with every claim attributed and every
//! uncertainty shown. Its first field is the Kyrgyzstan–Tajikistan border.
//!
//! The library knows nothing of the command line: it returns data and [`Diagnostic`]s, and
//! never prints. The binary's `src/cli/` (one file per subcommand) is the only code that
//! names clap, prints, or picks an exit code.
//!
//! Modules sit on floors, and a module uses only modules on its own floor or below, so the
//! data flows one way (read → geocode → index/query → render/write) with no cycle:
//!
//! | floor | module | what it owns |
//! |---|---|---|
//! | foundation | [`error`] | the one error type, and non-fatal diagnostics |
//! | | [`model`] | positions, dates, incidents, claims, sources, fatality estimates, the lon/lat box parser |
//! | | [`geodesic`] | the inverse geodesic problem: Vincenty for short lines, Karney for the rest |
//! | | [`region`] | the part of the globe a question needs, as lon/lat boxes |
//! | | [`lang`] | the languages of the maps and the page (English, Russian)
//! | | [`names`] | folding and transliterating place names (Latin, Russian, Kyrgyz, Tajik) |
//! | | [`xml`] | the one escaping function for SVG, KML and HTML |
//! | | [`spreadsheet`] | the one place CSV cells are made safe (formulas defused; hand-written fields quoted) |
//! | | [`output`] | atomic writes and safe file names |
//! | | [`synthetic`] | the one deterministic random-number generator of the benchmarks and tests |
//! | | [`progress`] | progress bars for long imports and exports (terminal only) |
//! | | [`shipped`] | every `geodata/` file compiled into the binary |
//! | reading | [`input`] | bytes to text (BOM, UTF-16, invalid UTF-8, size cap); the incidents TOML |
//! | | [`geojson_io`] | RFC 7946 GeoJSON in and out, knowing no incident field |
//! | | [`fgb_input`] | FlatGeobuf point files in: all features, or those in lon/lat boxes through the file's index, from a local file or over HTTP |
//! | | [`remote`] | a file on a web server, read by HTTP range requests |
//! | domain | [`gazetteer`] | the places and the ranked, honest name lookup |
//! | | [`border`] | border line, enclaves, countries, disputed sections; distance to the border |
//! | | [`areas`] | the areas a query selects by name: enclaves, districts, regions, with their outlines |
//! | | [`index`] | exact geodesic radius and k-nearest queries (a static k-d tree over ECEF positions) |
//! | | [`prepared_area`] | an area's edges binned by latitude, for many point-in-polygon tests |
//! | pipeline | [`geocode`] | incidents × gazetteer → located incidents |
//! | | [`schema`] | every incident GeoJSON column, in one place |
//! | | [`pipeline`] | the main job: incidents file → GeoJSON → maps and page; loading the shipped incidents |
//! | | [`query`] | near a point, inside an area, near the border: filters and output formats |
//! | | [`sidecar`] | the persistent index: a sidecar file that later queries open without parsing, decoding only the incidents a question needs |
//! | | [`import`] | UCDP GED, ACLED, any CSV with coordinates or names, GeoJSON → incidents |
//! | | [`merge`] | combining incident datasets, linking likely duplicates |
//! | | [`export`] | incidents → GeoJSON, CSV with WKT, KML for Google Earth, FlatGeobuf |
//! | | [`store`] | the shared PostGIS store: push, pull, history, conflicts, the store as a command's input |
//! | drawing | [`render`] | maps: SVG and PNG, with legend, scale bar, inset and timeline |
//! | | [`html`] | the offline interactive map: one self-contained HTML page |
//! | maintainers | [`rebuild`] | rebuilding `geodata/` from the public reference bundle |
//!
//! Rules kept in review: nothing in the library names clap or prints; `geojson_io` knows no
//! incident field (`schema` owns them); every markup string is escaped by `xml`, and every
//! CSV cell passes `spreadsheet`; `html` reuses `render`'s layers instead of drawing its
//! own; every `include_str!` of `geodata/` is in `shipped`.
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

pub mod areas;
pub mod border;
pub mod error;
pub mod export;
pub mod fgb_input;
pub mod gazetteer;
pub mod geocode;
pub mod geodesic;
pub mod geojson_io;
pub mod html;
pub mod import;
pub mod index;
pub mod input;
pub mod lang;
pub mod merge;
pub mod model;
pub mod names;
pub mod output;
pub mod pipeline;
pub mod prepared_area;
pub mod progress;
pub mod query;
pub mod rebuild;
pub mod region;
pub mod remote;
pub mod render;
pub mod schema;
pub mod shipped;
pub mod sidecar;
pub mod spreadsheet;
pub mod store;
pub mod synthetic;
pub mod xml;

pub use error::{Diagnostic, Error, Result, Severity};
pub use gazetteer::Gazetteer;
pub use lang::Lang;
pub use model::{Claim, Date, EventType, Incident, LonLat, Side, Source};
