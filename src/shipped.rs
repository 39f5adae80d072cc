//! Every file of `geodata/` that is compiled into the binary, in one place. The modules that
//! own each kind of data parse it: [`crate::gazetteer::Gazetteer::shipped`] the places,
//! [`crate::border::Layers::shipped`] the border, enclaves, countries and disputed sections,
//! [`crate::areas::AdminAreas::shipped`] the region and district outlines,
//! `render::basemap` the water, and [`crate::pipeline`] the incidents. `geodata/README.md`
//! says where each file comes from and how it is rebuilt.

/// The incidents, hand-curated from the cited sources (`geodata/incidents.toml`).
pub const INCIDENTS_TOML: &str = include_str!("../geodata/incidents.toml");
/// The places derived from the reference bundle (`geodata/gazetteer.csv`).
pub const GAZETTEER_CSV: &str = include_str!("../geodata/gazetteer.csv");
/// The shipped gazetteer built ahead of time from its sources (`geodata/gazetteer.bin`, see
/// [`crate::gazetteer::shipped_snapshot`]).
pub const GAZETTEER_BIN: &[u8] = include_bytes!("../geodata/gazetteer.bin");
/// One display name per place (`geodata/display_names.toml`).
pub const DISPLAY_NAMES_TOML: &str = include_str!("../geodata/display_names.toml");
/// Names the reference data gives the wrong place, and names it lacks
/// (`geodata/sources/name_corrections.toml`): the rebuild applies them to `gazetteer.csv`,
/// and a merge with a user's file keeps the wrong names out again.
pub const NAME_CORRECTIONS_TOML: &str = include_str!("../geodata/sources/name_corrections.toml");
/// Places added by hand, each with a source (`geodata/places_manual.toml`).
pub const PLACES_MANUAL_TOML: &str = include_str!("../geodata/places_manual.toml");
/// The Kyrgyzstan–Tajikistan border line (`geodata/border.geojson`).
pub const BORDER_GEOJSON: &str = include_str!("../geodata/border.geojson");
/// The disputed sections and their status history (`geodata/disputed_segments.toml`).
pub const SEGMENTS_TOML: &str = include_str!("../geodata/disputed_segments.toml");
/// Country outlines (`geodata/countries.geojson`).
pub const COUNTRIES_GEOJSON: &str = include_str!("../geodata/countries.geojson");
/// The enclaves (`geodata/enclaves.geojson`).
pub const ENCLAVES_GEOJSON: &str = include_str!("../geodata/enclaves.geojson");
/// Region and district outlines (`geodata/admin_areas.geojson`).
pub const ADMIN_AREAS_GEOJSON: &str = include_str!("../geodata/admin_areas.geojson");
/// Rivers for the basemap (`geodata/rivers.geojson`).
pub const RIVERS_GEOJSON: &str = include_str!("../geodata/rivers.geojson");
/// Lakes and reservoirs for the basemap (`geodata/lakes.geojson`).
pub const LAKES_GEOJSON: &str = include_str!("../geodata/lakes.geojson");
