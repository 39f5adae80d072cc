//! Bytes to records: reading text safely, and the project's incidents file (TOML).
//!
//! Every reader goes through [`read_text`], which enforces the size cap, accepts a UTF-8 BOM,
//! refuses UTF-16 with a clear message and reports invalid UTF-8 with its line and column.
//! [`parse_incidents`] turns the hand-edited TOML into checked [`Incident`]s and [`Source`]s,
//! with errors that name the line, the record and the value.

use crate::error::{Error, Result};
use crate::model::{
    Allegation, Claim, Date, DatePrecision, EventType, Incident, LonLat, Scope, Source,
    partial_date,
};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

/// The default cap on an input file, in bytes (512 MiB). `--max-input-mb` lifts it.
pub const DEFAULT_MAX_INPUT: u64 = 512 * 1024 * 1024;

/// Reads a whole file (or stdin for `-`) as UTF-8 text, within `cap` bytes.
///
/// A leading UTF-8 BOM is dropped. CRLF is left alone: every parser here treats it as LF.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.txt");
/// std::fs::write(&p, b"\xEF\xBB\xBFVorukh").unwrap();
/// assert_eq!(bordermap::input::read_text(&p, 1000).unwrap(), "Vorukh");
/// std::fs::write(&p, b"ok\n\xC0x").unwrap();
/// let err = bordermap::input::read_text(&p, 1000).unwrap_err().to_string();
/// assert!(err.contains(":2:1:"), "{err}");
/// ```
pub fn read_text(path: &Path, cap: u64) -> Result<String> {
    let bytes = read_bytes(path, cap)?;
    decode_text(path, bytes)
}

/// Reads raw bytes (or stdin for `-`), refusing more than `cap`.
pub fn read_bytes(path: &Path, cap: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    } else {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::record(path, "input", "is a directory, not a file"));
        }
        crate::output::note_input(path, &meta);
        if meta.len() > cap {
            return Err(Error::TooLarge {
                path: path.to_path_buf(),
                size: meta.len(),
                cap,
            });
        }
        // one allocation of the right size (the file may still grow while being read);
        // `cap + 1` would wrap to 0 for a cap near u64::MAX and read nothing.
        bytes.reserve_exact(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
        file.take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
    }
    if bytes.len() as u64 > cap {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// Decodes bytes as UTF-8 text: drops a BOM, refuses UTF-16, locates invalid bytes.
pub fn decode_text(path: &Path, mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is UTF-16 (it starts with a UTF-16 byte-order mark); \
                      save it as UTF-8"
                .into(),
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = line_col_of(&prefix, prefix.len());
            let bad: Vec<String> = bytes[valid..]
                .iter()
                .take(4)
                .map(|b| format!("0x{b:02X}"))
                .collect();
            Err(Error::Encoding {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "invalid UTF-8 (bytes {}); the file may be in a legacy encoding such as \
                     Windows-1251: save it as UTF-8",
                    bad.join(" ")
                ),
            })
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
///
/// # Examples
/// ```
/// assert_eq!(bordermap::input::line_col_of("ab\ncd", 4), (2, 2));
/// ```
pub fn line_col_of(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let mut cut = at;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A [`Error::Syntax`] at byte offset `at` of `text`.
pub fn syntax_at(path: &Path, text: &str, at: usize, message: String) -> Error {
    let (line, column) = line_col_of(text, at);
    Error::Syntax {
        path: path.to_path_buf(),
        line,
        column,
        message,
    }
}

/// A TOML parse error, located in `text`.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let at = e.span().map_or(0, |s| s.start);
    syntax_at(path, text, at, e.message().trim().to_string())
}

/// A checked incidents file: the sources and the incidents that cite them.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentsFile {
    /// The publications, by id.
    pub sources: Vec<Source>,
    /// The incidents, in file order.
    pub incidents: Vec<Incident>,
}

impl IncidentsFile {
    /// The source with `id`.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: Vec<Source>,
    #[serde(default)]
    incident: Vec<RawIncident>,
}

fn no_sources() -> toml::Spanned<Vec<String>> {
    toml::Spanned::new(0..0, Vec::new())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncident {
    id: toml::Spanned<String>,
    title: String,
    date_start: toml::Spanned<String>,
    date_end: toml::Spanned<String>,
    date_precision: DatePrecision,
    event_type: toml::Spanned<String>,
    location: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    precision: Option<toml::Spanned<u8>>,
    #[serde(default)]
    aggregate: bool,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(default)]
    possible_duplicate_of: Vec<String>,
    #[serde(default)]
    contradictions: Vec<String>,
    #[serde(default)]
    allegation: Vec<toml::Spanned<Allegation>>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    admin1: Option<String>,
    #[serde(default)]
    admin2: Option<String>,
    #[serde(default)]
    near: Vec<String>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default = "no_sources")]
    sources: toml::Spanned<Vec<String>>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    lat: Option<toml::Spanned<f64>>,
    #[serde(default)]
    lon: Option<toml::Spanned<f64>>,
    #[serde(default)]
    claim: Vec<toml::Spanned<Claim>>,
}

/// Parses and checks the project's incidents TOML.
///
/// Checks: unique ids, valid dates with start ≤ end, a known event type, at least one
/// source per incident, every cited source defined, every claim with a claimant and a valid
/// date, coordinates (when given) finite and in range. Errors carry `path:line:column`.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let toml = r#"
/// [[source]]
/// id = "afp"
/// publication = "AFP"
/// title = "Kyrgyz, Tajik leaders order forces to withdraw"
/// date = "2022-09-16"
///
/// [[incident]]
/// id = "x"
/// title = "Rockets on Batken"
/// date_start = "2022-09-16"
/// date_end = "2022-09-16"
/// date_precision = "day"
/// event_type = "shelling"
/// location = "Batken"
/// place = "Batken"
/// sources = ["afp"]
/// "#;
/// let file = bordermap::input::parse_incidents(Path::new("x.toml"), toml).unwrap();
/// assert_eq!(file.incidents[0].place, "Batken");
/// let bad = toml.replace("2022-09-16\"\ndate_end", "2022-09-31\"\ndate_end");
/// let err = bordermap::input::parse_incidents(Path::new("x.toml"), &bad).unwrap_err();
/// assert!(err.to_string().contains("2022-09-31"), "{err}");
/// ```
pub fn parse_incidents(path: &Path, text: &str) -> Result<IncidentsFile> {
    // CRLF → LF, so multi-line strings read the same as with LF (lines and columns unchanged).
    let text = &text.replace("\r\n", "\n");
    let raw: RawFile = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut source_ids = BTreeSet::new();
    for s in &raw.source {
        if s.id.trim().is_empty() {
            return Err(Error::record(path, "a [[source]]", "has an empty id"));
        }
        if !source_ids.insert(s.id.clone()) {
            return Err(Error::record(
                path,
                format!("source {:?}", s.id),
                "the id is used twice",
            ));
        }
    }

    let mut ids = BTreeSet::new();
    let mut incidents = Vec::with_capacity(raw.incident.len());
    for r in raw.incident {
        incidents.push(read_incident(path, text, r, &source_ids, &mut ids)?);
    }
    check_links(path, &incidents)?;
    Ok(IncidentsFile {
        sources: raw.source,
        incidents,
    })
}

/// Checks one `[[incident]]` of `path` (its text is `text`, for locating errors): its id is
/// new in `ids`, its dates, type, place, precision and position are valid, and every source
/// it, its claims and its allegations cite is in `source_ids`.
fn read_incident(
    path: &Path,
    text: &str,
    r: RawIncident,
    source_ids: &BTreeSet<String>,
    ids: &mut BTreeSet<String>,
) -> Result<Incident> {
    let at =
        |span: std::ops::Range<usize>, message: String| syntax_at(path, text, span.start, message);
    let id = r.id.get_ref().trim().to_string();
    let who = format!("incident {id:?}");
    if id.is_empty() {
        return Err(at(r.id.span(), "incident id is empty".into()));
    }
    if !ids.insert(id.clone()) {
        return Err(at(r.id.span(), format!("incident id {id:?} is used twice")));
    }
    let date_start = Date::parse(r.date_start.get_ref()).map_err(|m| at(r.date_start.span(), m))?;
    let date_end = Date::parse(r.date_end.get_ref()).map_err(|m| at(r.date_end.span(), m))?;
    if date_end < date_start {
        return Err(at(
            r.date_end.span(),
            format!("{who}: date_end {date_end} is before date_start {date_start}"),
        ));
    }
    let event_type = EventType::parse(r.event_type.get_ref()).ok_or_else(|| {
        at(
            r.event_type.span(),
            format!(
                "{who}: unknown event_type {:?}; expected one of {}",
                r.event_type.get_ref(),
                EventType::ALL.map(|t| t.as_str()).join(", ")
            ),
        )
    })?;
    if r.sources.get_ref().is_empty() {
        return Err(at(r.sources.span(), format!("{who} cites no source")));
    }
    for src in r.sources.get_ref() {
        if !source_ids.contains(src) {
            return Err(at(
                r.sources.span(),
                format!("{who} cites source {src:?}, which no [[source]] defines"),
            ));
        }
    }
    match (r.scope, r.place.trim().is_empty()) {
        (Scope::Place, true) if r.lat.is_none() => {
            return Err(at(
                r.id.span(),
                format!(
                    "{who} has an empty place; name one, or say scope = \"border\" or \"unknown\" when the sources give none"
                ),
            ));
        }
        (Scope::Border | Scope::Unknown, false) => {
            return Err(at(
                r.id.span(),
                format!(
                    "{who}: scope {:?} means the sources give no place, but place = {:?}",
                    r.scope.as_str(),
                    r.place
                ),
            ));
        }
        _ => {}
    }
    let precision = match r.precision {
        Some(p) if !(1..=3).contains(p.get_ref()) => {
            return Err(at(
                p.span(),
                format!("{who}: precision {} is not 1, 2 or 3", p.get_ref()),
            ));
        }
        p => p.map(toml::Spanned::into_inner),
    };
    if r.aggregate && r.covers.is_empty() {
        return Err(at(
            r.id.span(),
            format!("{who} is an aggregate but covers no incident (covers = [ids])"),
        ));
    }
    let allegations = read_allegations(path, text, &who, r.allegation, source_ids)?;
    let position = match (r.lon, r.lat) {
        (Some(lon), Some(lat)) => Some(
            LonLat::new(*lon.get_ref(), *lat.get_ref())
                .map_err(|m| at(lat.span(), format!("{who}: {m}")))?,
        ),
        (None, None) => None,
        (Some(s), None) | (None, Some(s)) => {
            return Err(at(
                s.span(),
                format!("{who}: give both lat and lon, or neither"),
            ));
        }
    };
    let claims = read_claims(path, text, &who, r.claim, source_ids)?;
    Ok(Incident {
        id,
        title: r.title,
        date_start,
        date_end,
        date_precision: r.date_precision,
        event_type,
        location: r.location,
        place: r.place,
        country: r.country,
        admin1: r.admin1,
        admin2: r.admin2,
        near: r.near,
        actors: r.actors,
        sources: r.sources.into_inner(),
        claims,
        notes: r.notes,
        position,
        scope: r.scope,
        precision,
        aggregate: r.aggregate,
        covers: r.covers,
        possible_duplicate_of: r.possible_duplicate_of,
        contradictions: r.contradictions,
        allegations,
    })
}

/// Checks the allegations of incident `who`: each has a claimant and cites a source in
/// `source_ids`.
fn read_allegations(
    path: &Path,
    text: &str,
    who: &str,
    raw: Vec<toml::Spanned<Allegation>>,
    source_ids: &BTreeSet<String>,
) -> Result<Vec<Allegation>> {
    let at =
        |span: std::ops::Range<usize>, message: String| syntax_at(path, text, span.start, message);
    let mut allegations = Vec::with_capacity(raw.len());
    for a in raw {
        let span = a.span();
        let a = a.into_inner();
        if a.claimant.trim().is_empty() || !source_ids.contains(&a.source) {
            return Err(at(
                span,
                format!(
                    "{who}: an allegation needs a claimant and a defined source (claimant {:?}, source {:?})",
                    a.claimant, a.source
                ),
            ));
        }
        allegations.push(a);
    }
    Ok(allegations)
}

/// Checks the claims of incident `who`: each has a claimant, cites a source in
/// `source_ids` and has a valid (possibly partial) date.
fn read_claims(
    path: &Path,
    text: &str,
    who: &str,
    raw: Vec<toml::Spanned<Claim>>,
    source_ids: &BTreeSet<String>,
) -> Result<Vec<Claim>> {
    let at =
        |span: std::ops::Range<usize>, message: String| syntax_at(path, text, span.start, message);
    let mut claims = Vec::with_capacity(raw.len());
    for c in raw {
        let span = c.span();
        let c = c.into_inner();
        if c.claimant.trim().is_empty() {
            return Err(at(span, format!("{who}: a claim has no claimant")));
        }
        if !source_ids.contains(&c.source) {
            return Err(at(
                span,
                format!(
                    "{who}: claim by {:?} cites source {:?}, which no [[source]] defines",
                    c.claimant, c.source
                ),
            ));
        }
        partial_date(&c.date).map_err(|m| {
            at(
                span.clone(),
                format!("{who}: claim by {:?}: {m}", c.claimant),
            )
        })?;
        claims.push(c);
    }
    Ok(claims)
}

/// Every id an incident or a claim links to (`covers`, `possible_duplicate_of`) is an
/// incident of the file.
fn check_links(path: &Path, incidents: &[Incident]) -> Result<()> {
    let ids: BTreeSet<&str> = incidents.iter().map(|i| i.id.as_str()).collect();
    for inc in incidents {
        let claimed = inc
            .claims
            .iter()
            .filter_map(|c| c.possible_duplicate_of.as_deref());
        let linked = inc
            .covers
            .iter()
            .chain(&inc.possible_duplicate_of)
            .map(String::as_str)
            .chain(claimed);
        for id in linked {
            if !ids.contains(id) || id == inc.id {
                return Err(Error::record(
                    path,
                    format!("incident {:?}", inc.id),
                    format!("links to {id:?}, which is not another incident of the file"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "[[source]]\nid = \"s\"\npublication = \"P\"\ntitle = \"T\"\ndate = \"2022\"\n";

    fn incident(extra: &str) -> String {
        format!(
            "{HEAD}\n[[incident]]\nid = \"a\"\ntitle = \"t\"\ndate_start = \"2022-01-27\"\n\
             date_end = \"2022-01-27\"\ndate_precision = \"day\"\nevent_type = \"armed_clash\"\n\
             location = \"l\"\nplace = \"Vorukh\"\nsources = [\"s\"]\n{extra}"
        )
    }

    fn err(text: &str) -> String {
        parse_incidents(Path::new("f.toml"), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn accepts_a_minimal_incident() {
        let f = parse_incidents(Path::new("f.toml"), &incident("")).unwrap();
        assert_eq!(f.incidents.len(), 1);
        assert_eq!(f.source("s").unwrap().publication, "P");
    }

    #[test]
    fn unknown_key_is_located() {
        let e = err(&incident("colour = \"red\"\n"));
        assert!(e.starts_with("f.toml:17:"), "{e}");
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn nan_and_inf_coordinates_are_refused() {
        let e = err(&incident("lat = nan\nlon = 70.5\n"));
        assert!(e.contains("finite"), "{e}");
        let e = err(&incident("lat = 39.8\nlon = inf\n"));
        assert!(e.contains("finite"), "{e}");
    }

    #[test]
    fn unknown_source_and_event_type_are_named() {
        let e = err(&incident("").replace("[\"s\"]", "[\"nope\"]"));
        assert!(e.contains("\"nope\""), "{e}");
        let e = err(&incident("").replace("armed_clash", "battle"));
        assert!(e.contains("unknown event_type \"battle\""), "{e}");
    }

    #[test]
    fn claim_without_claimant_is_refused() {
        let e = err(&incident(
            "[[incident.claim]]\nclaimant = \" \"\nclaimant_side = \"KG\"\nvictims = \"KG\"\n\
             source = \"s\"\ndate = \"2022-01-27\"\n",
        ));
        assert!(e.contains("no claimant"), "{e}");
    }

    #[test]
    fn utf16_and_crlf() {
        let p = Path::new("u.toml");
        let e = decode_text(p, vec![0xFF, 0xFE, b'a', 0]).unwrap_err();
        assert!(e.to_string().contains("UTF-16"));
        let crlf = incident("").replace('\n', "\r\n");
        let a = parse_incidents(p, &crlf).unwrap();
        let b = parse_incidents(p, &incident("")).unwrap();
        assert_eq!(a, b);
    }
}
