//! The areas a query can select incidents by name: the enclaves (from the border layers) and
//! the regions and districts of Kyrgyzstan and Tajikistan (`geodata/admin_areas.geojson`,
//! Who's On First outlines, simplified by about 30 m). A name is looked up in the gazetteer
//! like any other, and must mean one area: a village, or a name shared by a district and a
//! region, is an error that lists the areas it could be.

use crate::border::Layers;
use crate::error::{Error, Result};
use crate::gazetteer::{Context, Gazetteer, Method, Place, PlaceKind, Status};
use crate::geojson_io::{collection_features, feature_area};
use crate::shipped::ADMIN_AREAS_GEOJSON;
use geo::MultiPolygon;
use std::collections::HashMap;
use std::path::Path;

/// What every outline shares with the reference border line: where the border is not
/// delimited, neither is the edge of a district, region or enclave along it.
pub const OUTLINE_CAVEAT: &str = "its outline follows the reference border line (Who's On First, LSIB-derived), which is not the delimited border everywhere: an incident within a few kilometres of the border may lie on either side of it";

/// Region and district outlines by the gazetteer id of their place.
#[derive(Debug, Clone, Default)]
pub struct AdminAreas {
    outlines: HashMap<String, MultiPolygon<f64>>,
}

impl AdminAreas {
    /// The outlines compiled into the binary.
    ///
    /// # Examples
    /// ```
    /// let areas = bordermap::areas::AdminAreas::shipped().unwrap();
    /// assert!(areas.outline("wof:1091690385").is_some()); // Leilek district
    /// ```
    pub fn shipped() -> Result<Self> {
        Self::parse(
            Path::new("geodata/admin_areas.geojson"),
            ADMIN_AREAS_GEOJSON,
        )
    }

    /// Reads a FeatureCollection of Polygons or MultiPolygons with string ids; `path` names
    /// the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let mut outlines = HashMap::new();
        for (i, f) in collection_features(path, text)?.into_iter().enumerate() {
            let id = match &f.id {
                Some(geojson::feature::Id::String(s)) => s.clone(),
                _ => return Err(Error::record(path, format!("feature {i}"), "no string id")),
            };
            let shape = feature_area(&f).ok_or_else(|| {
                Error::record(
                    path,
                    format!("feature {i} ({id})"),
                    "expected a Polygon or MultiPolygon",
                )
            })?;
            outlines.insert(id, shape);
        }
        Ok(AdminAreas { outlines })
    }

    /// The outline of the place with gazetteer id `id`.
    pub fn outline(&self, id: &str) -> Option<&MultiPolygon<f64>> {
        self.outlines.get(id)
    }

    /// Fills in the region and district of every place in `places` that has neither (a
    /// GeoNames row has only numeric admin codes), from the outlines of `g`'s regions and
    /// districts of the place's country that contain it. A place outside every outline, or in
    /// another country's, is left as it is.
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::{Gazetteer, Place, PlaceKind};
    /// use bordermap::model::LonLat;
    /// let g = Gazetteer::shipped().unwrap();
    /// let areas = bordermap::areas::AdminAreas::shipped().unwrap();
    /// let mut places = vec![Place {
    ///     id: "geonames:1".into(), name: "Qoraqum".into(), kind: PlaceKind::Village,
    ///     country: "KG".into(), admin1: String::new(), admin2: String::new(),
    ///     position: LonLat::new(70.8194, 40.0626).unwrap(), // in Batken town
    ///     population: 0, uncertainty_m: 2000.0, source: "GeoNames".into(),
    ///     alternate_names: vec![], former_names: vec![], merged_ids: vec![],
    /// }];
    /// areas.fill_admin_names(&g, &mut places);
    /// assert_eq!((places[0].admin1.as_str(), places[0].admin2.as_str()), ("Batken", "Batken"));
    /// ```
    pub fn fill_admin_names(&self, g: &Gazetteer, places: &mut [Place]) {
        use geo::{BoundingRect, Contains, Intersects};
        let outlines: Vec<_> = g
            .places()
            .iter()
            .filter(|a| matches!(a.kind, PlaceKind::Region | PlaceKind::District))
            .filter_map(|a| {
                let shape = self.outline(&a.id)?;
                Some((a, shape, shape.bounding_rect()?))
            })
            .collect();
        for p in places
            .iter_mut()
            .filter(|p| p.admin1.is_empty() && p.admin2.is_empty())
        {
            let point = p.position.point();
            for (a, shape, rect) in &outlines {
                // the box first: a point outside it is outside the outline
                let inside =
                    a.country == p.country && rect.intersects(&point) && shape.contains(&point);
                if inside {
                    match a.kind {
                        PlaceKind::Region => p.admin1.clone_from(&a.name),
                        _ => {
                            p.admin2.clone_from(&a.name);
                            if p.admin1.is_empty() {
                                p.admin1.clone_from(&a.admin1);
                            }
                        }
                    }
                }
            }
        }
    }

    /// How many outlines there are.
    pub fn len(&self) -> usize {
        self.outlines.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.outlines.is_empty()
    }
}

/// An area chosen by name.
#[derive(Debug, Clone)]
pub struct Area {
    /// The gazetteer's description of it: `Leilek (district, Batken/Leilek, KG; wof:…)`.
    pub description: String,
    /// Its gazetteer id.
    pub id: String,
    /// Enclave, district or region.
    pub kind: PlaceKind,
    /// Its outline.
    pub shape: MultiPolygon<f64>,
}

/// The area `name` means: an enclave, district or region, in any spelling or script, with or
/// without its word ("Leilek District", "Лейлекский район", "Vorukh"). A name that is not an
/// area's, that fits several areas, or whose area has no outline is an error that says why
/// and lists the candidates.
///
/// # Examples
/// ```
/// use bordermap::areas::{AdminAreas, area_by_name};
/// use bordermap::gazetteer::{Context, PlaceKind};
/// let g = bordermap::Gazetteer::shipped().unwrap();
/// let layers = bordermap::border::Layers::shipped().unwrap();
/// let admin = AdminAreas::shipped().unwrap();
/// let a = area_by_name("Leilek District", &Context::default(), &g, &layers, &admin).unwrap();
/// assert_eq!(a.kind, PlaceKind::District);
/// // "Leilek" alone is also a village: the district is the one area of that name.
/// let b = area_by_name("Leilek", &Context::default(), &g, &layers, &admin).unwrap();
/// assert_eq!(a.id, b.id);
/// // "Talas" is a district and a region: say which.
/// assert!(area_by_name("Talas", &Context::default(), &g, &layers, &admin).is_err());
/// ```
pub fn area_by_name(
    name: &str,
    ctx: &Context,
    g: &Gazetteer,
    layers: &Layers,
    admin: &AdminAreas,
) -> Result<Area> {
    if name.trim().is_empty() {
        return Err(Error::Place("the area name is empty".into()));
    }
    let l = g.lookup(name, ctx);
    if l.status == Status::NotFound {
        // The candidates of a not-found answer are what the context ruled out.
        return Err(Error::Place(format!(
            "area {name:?} is not found: {}",
            l.reason
        )));
    }
    let real = |m: Method| {
        matches!(
            m,
            Method::Exact | Method::Alternate | Method::Transliterated
        )
    };
    let chosen = match l.best() {
        Some(c) if g.place(c.place).kind.is_area() => vec![c.place],
        _ => l
            .candidates
            .iter()
            .filter(|c| real(c.method) && g.place(c.place).kind.is_area())
            .map(|c| c.place)
            .collect(),
    };
    let place = match chosen.as_slice() {
        [one] => *one,
        [] => {
            let what = match l.best() {
                Some(c) => format!("it is {}", g.describe(c.place)),
                None => format!(
                    "the name is {}: {}",
                    l.status.as_str().replace('_', " "),
                    l.reason
                ),
            };
            return Err(Error::Place(format!(
                "{name:?} is not an enclave, district or region: {what}"
            )));
        }
        several => {
            let list: Vec<String> = several.iter().map(|&i| g.describe(i)).collect();
            return Err(Error::Place(format!(
                "{name:?} fits {} areas: {}; add the word (\"{name} district\", \"{name} region\") or a country or region",
                several.len(),
                list.join("; ")
            )));
        }
    };
    let p = g.place(place);
    let shape = if p.kind == PlaceKind::Enclave {
        layers.enclave(&p.name).map(|a| a.shape.clone())
    } else {
        std::iter::once(&p.id)
            .chain(&p.merged_ids)
            .find_map(|id| admin.outline(id))
            .cloned()
    };
    let shape = shape.ok_or_else(|| {
        Error::Place(format!(
            "{} has no outline in the shipped data",
            g.describe(place)
        ))
    })?;
    Ok(Area {
        description: g.describe(place),
        id: p.id.clone(),
        kind: p.kind,
        shape,
    })
}
