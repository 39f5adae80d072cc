//! The columns that take a role in a file without a fixed layout (any CSV, JSON records,
//! GeoJSON properties), found once per file, and what the per-format row readers share.

use super::table::Table;
use crate::model::Source;

/// What the per-format row readers share.
pub(super) struct RowCtx<'a> {
    pub(super) table: &'a Table,
    pub(super) shared: &'a Source,
    pub(super) file_name: &'a str,
    /// The role columns of a CSV, JSON or GeoJSON file.
    pub(super) roles: &'a Roles,
}

/// The columns of a CSV, JSON or GeoJSON file that take a role, found once per file.
#[derive(Debug, Default)]
pub(super) struct Roles {
    /// `event_type` or `type`: the project's type, read loosely.
    pub(super) type_col: Option<usize>,
    /// `category`, `impact`, `sub_event_type`: an event type when its value names one
    /// (also kept as `src_*`).
    pub(super) category: Option<usize>,
    /// Description columns with their language: `description`, `notes`, `summary` (no
    /// language), `description_en`, `description_ru`, …
    pub(super) descriptions: Vec<(usize, Option<String>)>,
    pub(super) title: Option<usize>,
    /// Link columns: `url`, `link`, `links`, `source_url`, `link1`, `link2`, …
    pub(super) links: Vec<usize>,
    pub(super) place: Option<usize>,
    pub(super) location: Option<usize>,
    pub(super) country: Option<usize>,
    pub(super) admin1: Option<usize>,
    pub(super) admin2: Option<usize>,
    pub(super) actors: Option<usize>,
    pub(super) claims_json: Option<usize>,
    pub(super) source_ids: Option<usize>,
    pub(super) sources: Option<usize>,
    pub(super) geo_precision: Option<usize>,
    pub(super) geo_uncertainty_m: Option<usize>,
    pub(super) geo_reason: Option<usize>,
}

/// `description_en` → (`description`, `en`): a base name and a language suffix of two or
/// three letters.
fn language_suffix(name: &str) -> Option<(&str, &str)> {
    let (base, lang) = name.rsplit_once('_')?;
    ((2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase()))
        .then_some((base, lang))
}

const DESCRIPTION: [&str; 5] = ["description", "notes", "summary", "details", "comment"];
const LINK: [&str; 8] = [
    "url",
    "urls",
    "link",
    "links",
    "source_url",
    "source_urls",
    "source_link",
    "href",
];

impl Roles {
    /// Finds the role columns of `table`; `place_col` is the `--place-col` column.
    pub(super) fn find(table: &Table, place_col: Option<usize>) -> Self {
        let c = |names: &[&str]| table.find(names);
        let mut descriptions: Vec<(usize, Option<String>)> = Vec::new();
        let mut links = Vec::new();
        for (i, h) in table.header.iter().enumerate() {
            let name = h.trim().to_lowercase();
            if DESCRIPTION.contains(&name.as_str()) {
                descriptions.push((i, None));
            } else if let Some((base, lang)) = language_suffix(&name)
                && DESCRIPTION.contains(&base)
            {
                descriptions.push((i, Some(lang.to_string())));
            }
            let base = name.trim_end_matches(|ch: char| ch.is_ascii_digit());
            if LINK.contains(&base) {
                links.push(i);
            }
        }
        // The description without a language, then English, then the others as found.
        descriptions.sort_by_key(|(i, lang)| match lang.as_deref() {
            None => (0, *i),
            Some("en") => (1, *i),
            Some(_) => (2, *i),
        });
        Roles {
            type_col: c(&["event_type", "type"]),
            category: c(&["category", "impact", "sub_event_type", "subtype"]),
            descriptions,
            title: c(&["title", "headline", "name"]),
            links,
            place: place_col.or(c(&[
                "place_query",
                "place",
                "location",
                "location_reported",
                "name",
            ])),
            location: c(&["location_reported", "location"]),
            country: c(&["country", "country_code", "geo_country"]),
            admin1: c(&["admin1", "geo_admin1"]),
            admin2: c(&["admin2", "geo_admin2"]),
            actors: c(&["actors"]),
            claims_json: c(&["claims_json"]),
            source_ids: c(&["source_ids"]),
            sources: c(&["sources"]),
            geo_precision: c(&["geo_precision"]),
            geo_uncertainty_m: c(&["geo_uncertainty_m"]),
            geo_reason: c(&["geo_reason"]),
        }
    }

    /// The columns that a role consumes (not kept as `src_*`). The category column is kept
    /// too, since its value may name no event type, and so is `claims_json` until it is read
    /// (a cell that is not a list of claims stays as `src_claims_json`).
    pub(super) fn used(&self) -> Vec<usize> {
        let mut v: Vec<usize> = [
            self.type_col,
            self.title,
            self.place,
            self.location,
            self.country,
            self.admin1,
            self.admin2,
            self.actors,
            self.geo_precision,
            self.geo_uncertainty_m,
        ]
        .into_iter()
        .flatten()
        .collect();
        v.extend(self.descriptions.iter().map(|d| d.0));
        v.extend(&self.links);
        v
    }

    /// Which columns took which role, for the import summary: (columns, role).
    pub(super) fn describe(&self, table: &Table) -> Vec<(String, &'static str)> {
        let name = |i: usize| table.header[i].trim().to_string();
        let many = |cols: &[usize]| cols.iter().map(|&i| name(i)).collect::<Vec<_>>().join(", ");
        let mut out = Vec::new();
        let mut one = |col: Option<usize>, role: &'static str| {
            if let Some(i) = col {
                out.push((name(i), role));
            }
        };
        one(self.type_col, "event type");
        one(self.category, "category (event type when it names one)");
        one(self.title, "title");
        one(self.place, "place");
        one(
            self.location.filter(|l| Some(*l) != self.place),
            "reported location",
        );
        let d: Vec<usize> = self.descriptions.iter().map(|d| d.0).collect();
        if !d.is_empty() {
            out.push((many(&d), "description"));
        }
        if !self.links.is_empty() {
            out.push((many(&self.links), "sources (links)"));
        }
        out
    }
}
