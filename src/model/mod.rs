//! The data model: positions, incidents, casualty claims and the sources that report them.
//!
//! Everything here is plain data with checked constructors; reading it from files is
//! [`crate::input`]'s job and locating it is [`crate::geocode`]'s.

mod fatalities;

pub use fatalities::{FATALITY_RULE, Fatalities};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A WGS84 position, longitude first as in GeoJSON. Always finite and in range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LonLatFields")]
pub struct LonLat {
    lon: f64,
    lat: f64,
}

/// A [`LonLat`] as serialized, checked by [`LonLat::new`] when read back.
#[derive(Deserialize)]
struct LonLatFields {
    lon: f64,
    lat: f64,
}

impl TryFrom<LonLatFields> for LonLat {
    type Error = String;
    fn try_from(f: LonLatFields) -> Result<Self, String> {
        LonLat::new(f.lon, f.lat)
    }
}

impl LonLat {
    /// Checks and builds a position: both numbers finite, `lat` in −90..=90, `lon` in −180..=180.
    ///
    /// The error says what is wrong, and says so when the numbers only fit swapped, or look
    /// like projected metres.
    ///
    /// # Examples
    /// ```
    /// use bordermap::LonLat;
    /// let vorukh = LonLat::new(70.58012, 39.85125).unwrap();
    /// assert_eq!(vorukh.lat(), 39.85125);
    /// let err = LonLat::new(39.85, 170.58).unwrap_err();
    /// assert!(err.contains("swapped"));
    /// ```
    pub fn new(lon: f64, lat: f64) -> Result<Self, String> {
        if !lon.is_finite() || !lat.is_finite() {
            return Err(format!(
                "coordinates must be finite numbers, got lon {lon}, lat {lat}"
            ));
        }
        let lon_ok = (-180.0..=180.0).contains(&lon);
        let lat_ok = (-90.0..=90.0).contains(&lat);
        if lon_ok && lat_ok {
            return Ok(LonLat { lon, lat });
        }
        if lon.abs() > 1000.0 || lat.abs() > 1000.0 {
            return Err(format!(
                "coordinates [{lon}, {lat}] look like projected metres, not WGS84 degrees; \
                 reproject to EPSG:4326 first"
            ));
        }
        if (-90.0..=90.0).contains(&lon) && (-180.0..=180.0).contains(&lat) {
            return Err(format!(
                "latitude {lat} is out of range (−90..90); the order looks swapped: \
                 GeoJSON and bordermap expect [lon, lat], and [{lat}, {lon}] would fit"
            ));
        }
        if !lat_ok {
            Err(format!("latitude {lat} is out of range (−90..90)"))
        } else {
            Err(format!("longitude {lon} is out of range (−180..180)"))
        }
    }

    /// Longitude in degrees.
    pub fn lon(self) -> f64 {
        self.lon
    }

    /// Latitude in degrees.
    pub fn lat(self) -> f64 {
        self.lat
    }

    /// The position as a `geo` point (x = lon, y = lat).
    pub fn point(self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }
}

/// Parses a lon/lat box `W,S,E,N` in degrees: four finite numbers, each corner a valid
/// position, south not north of north. West may exceed east: the box then crosses the
/// antimeridian. The one box parser of the command line; maps add their own limits
/// (`render::parse_map_area`).
///
/// # Examples
/// ```
/// use bordermap::model::parse_lonlat_box;
/// assert_eq!(parse_lonlat_box("70,39.5,71,40.5").unwrap(), [70.0, 39.5, 71.0, 40.5]);
/// let e = parse_lonlat_box("70,39.5,71").unwrap_err();
/// assert!(e.contains("four numbers") && e.contains("3 numbers given"), "{e}");
/// ```
pub fn parse_lonlat_box(s: &str) -> Result<[f64; 4], String> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != 4 {
        return Err(format!(
            "--bbox {s:?}: four numbers W,S,E,N needed, {} numbers given",
            parts.len()
        ));
    }
    let mut b = [0.0; 4];
    for (i, p) in parts.iter().enumerate() {
        b[i] = p
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("--bbox {s:?}: {p:?} is not a finite number"))?;
    }
    LonLat::new(b[0], b[1]).map_err(|m| format!("--bbox {s:?}: south-west corner: {m}"))?;
    LonLat::new(b[2], b[3]).map_err(|m| format!("--bbox {s:?}: north-east corner: {m}"))?;
    if b[1] > b[3] {
        return Err(format!(
            "--bbox {s:?}: south {} is north of north {}",
            b[1], b[3]
        ));
    }
    Ok(b)
}

/// The English month names, January first: the one month table for reading dates
/// (`16 September 2022`, `9 Sep 2022`) and writing them on maps.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date, checked (proleptic Gregorian, years 1000–9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::Date;
    /// let d = Date::parse("2022-09-16").unwrap();
    /// assert_eq!(d.to_string(), "2022-09-16");
    /// assert!(Date::parse("2022-02-30").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("invalid date {s:?}: expected YYYY-MM-DD");
        let mut parts = s.trim().splitn(3, '-');
        let (y, m, d) = (parts.next(), parts.next(), parts.next());
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(format!(
                "invalid date {s:?}: {year}-{month:02} has no day {day}"
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`, or takes the calendar date of an ISO 8601 date and time
    /// (`2022-09-14T00:00:00`, as GDAL writes a date to FlatGeobuf; the time and any zone are
    /// not read). Every reader of an incident's `date_start` and `date_end` properties (the
    /// filters, merge, the maps, KML) reads them with it.
    ///
    /// # Examples
    /// ```
    /// use bordermap::Date;
    /// assert_eq!(Date::parse_dated("2022-09-14T00:00:00").unwrap().to_string(), "2022-09-14");
    /// assert_eq!(Date::parse_dated("2022-09-14").unwrap().to_string(), "2022-09-14");
    /// assert!(Date::parse_dated("2022-09-14X").is_err());
    /// ```
    pub fn parse_dated(s: &str) -> Result<Self, String> {
        match s.as_bytes().get(10) {
            Some(b'T' | b' ') => Date::parse(s.get(..10).unwrap_or(s)),
            _ => Date::parse(s),
        }
    }

    /// Days since 1970-01-01 (negative before), for day arithmetic.
    ///
    /// # Examples
    /// ```
    /// use bordermap::Date;
    /// let a = Date::parse("2022-09-14").unwrap();
    /// let b = Date::parse("2022-09-20").unwrap();
    /// assert_eq!(b.days() - a.days(), 6);
    /// ```
    pub fn days(self) -> i64 {
        // Howard Hinnant's days-from-civil algorithm: a few lines, so no date crate is pulled in.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl Date {
    /// The date `days` after 1970-01-01 (negative before): the inverse of [`Date::days`].
    ///
    /// # Examples
    /// ```
    /// use bordermap::Date;
    /// let d = Date::parse("2022-09-16").unwrap();
    /// assert_eq!(Date::from_days(d.days()), d);
    /// assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    /// ```
    pub fn from_days(days: i64) -> Date {
        // Howard Hinnant's civil-from-days algorithm, the inverse of `days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `n` days later (earlier for negative `n`).
    ///
    /// # Examples
    /// ```
    /// use bordermap::Date;
    /// let d = Date::parse("2022-02-27").unwrap();
    /// assert_eq!(d.add_days(3).to_string(), "2022-03-02");
    /// assert_eq!(d.add_days(-58).to_string(), "2021-12-31");
    /// ```
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// How precisely an incident's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// The event happened on the day (or every day) from start to end.
    Day,
    /// The event happened at some time within start..end.
    Range,
    /// Only the month is known; start..end spans it.
    Month,
    /// Only the year is known; start..end spans it.
    Year,
    /// The source gives no date (a list of damage sites, say). The incident's `date_start`
    /// and `date_end` are then placeholders that no writer shows: GeoJSON writes `null`,
    /// and the maps and the page list the incident apart. See [`Incident::span`].
    Unknown,
}

impl DatePrecision {
    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Range => "range",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// What kind of event an incident is. [`EventType::colour`] is the one palette of the maps,
/// the page and KML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Exchange of fire between armed forces or border guards.
    ArmedClash,
    /// Artillery, mortar or rocket fire on a place.
    Shelling,
    /// A strike by an armed drone or aircraft.
    DroneStrike,
    /// Forces entering the other side's territory.
    Incursion,
    /// Deliberate burning or looting of property.
    ArsonLooting,
    /// Evacuation or displacement of civilians.
    Evacuation,
    /// A ceasefire agreed or announced.
    Ceasefire,
    /// A peace deal, protocol, treaty or expected agreement.
    Agreement,
    /// A road or crossing blocked.
    Blockade,
    /// Anything else.
    Other,
}

impl EventType {
    /// Every event type, in legend order.
    pub const ALL: [EventType; 10] = [
        EventType::ArmedClash,
        EventType::Shelling,
        EventType::DroneStrike,
        EventType::Incursion,
        EventType::ArsonLooting,
        EventType::Blockade,
        EventType::Evacuation,
        EventType::Ceasefire,
        EventType::Agreement,
        EventType::Other,
    ];

    /// The snake_case name used in files and on the command line.
    ///
    /// # Examples
    /// ```
    /// use bordermap::EventType;
    /// assert_eq!(EventType::DroneStrike.as_str(), "drone_strike");
    /// assert_eq!(EventType::parse("drone_strike"), Some(EventType::DroneStrike));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ArmedClash => "armed_clash",
            EventType::Shelling => "shelling",
            EventType::DroneStrike => "drone_strike",
            EventType::Incursion => "incursion",
            EventType::ArsonLooting => "arson_looting",
            EventType::Evacuation => "evacuation",
            EventType::Ceasefire => "ceasefire",
            EventType::Agreement => "agreement",
            EventType::Blockade => "blockade",
            EventType::Other => "other",
        }
    }

    /// A human label for legends.
    pub fn label(self) -> &'static str {
        match self {
            EventType::ArmedClash => "Armed clash",
            EventType::Shelling => "Shelling",
            EventType::DroneStrike => "Drone strike",
            EventType::Incursion => "Incursion",
            EventType::ArsonLooting => "Arson or looting",
            EventType::Evacuation => "Evacuation",
            EventType::Ceasefire => "Ceasefire",
            EventType::Agreement => "Agreement",
            EventType::Blockade => "Blockade",
            EventType::Other => "Other",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The colour of the type (`#rrggbb`; Okabe–Ito, plus two distinct extras): the one
    /// palette of the maps, the interactive page and KML.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(bordermap::EventType::Shelling.colour(), "#0072b2");
    /// ```
    pub fn colour(self) -> &'static str {
        match self {
            EventType::ArmedClash => "#d55e00",
            EventType::Shelling => "#0072b2",
            EventType::DroneStrike => "#cc79a7",
            EventType::Incursion => "#e69f00",
            EventType::ArsonLooting => "#7b3f1d",
            EventType::Evacuation => "#009e73",
            EventType::Ceasefire => "#56b4e9",
            EventType::Agreement => "#f0e442",
            EventType::Blockade => "#999933",
            EventType::Other => "#6e6e6e",
        }
    }
}

/// Which side a claimant speaks for, or whose casualties a claim counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Side {
    /// Kyrgyzstan.
    #[serde(rename = "KG")]
    Kg,
    /// Tajikistan.
    #[serde(rename = "TJ")]
    Tj,
    /// A third party (another state, an international body, a news agency).
    #[serde(rename = "third_party")]
    ThirdParty,
    /// The report gives no attribution.
    #[serde(rename = "unattributed")]
    Unattributed,
    /// Both sides together (only for `victims`).
    #[serde(rename = "all")]
    All,
}

impl Side {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Kg => "KG",
            Side::Tj => "TJ",
            Side::ThirdParty => "third_party",
            Side::Unattributed => "unattributed",
            Side::All => "all",
        }
    }
}

/// A publication that reports incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id used by incidents and claims.
    pub id: String,
    /// The publisher or outlet.
    pub publication: String,
    /// The title of the piece.
    pub title: String,
    /// Publication date as precisely as known (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub date: String,
    /// The address, where the document gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The author, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// A caveat about the source (for example: partisan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Source {
    /// A one-line citation: publication, title, date.
    ///
    /// # Examples
    /// ```
    /// use bordermap::Source;
    /// let s = Source { id: "afp".into(), publication: "AFP".into(),
    ///     title: "Leaders order forces to withdraw".into(), date: "2022-09-16".into(),
    ///     url: None, author: None, note: None };
    /// assert_eq!(s.citation(), "AFP, \"Leaders order forces to withdraw\" (2022-09-16)");
    /// ```
    pub fn citation(&self) -> String {
        format!("{}, \"{}\" ({})", self.publication, self.title, self.date)
    }
}

/// One casualty figure as one claimant stated it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Who made the claim.
    pub claimant: String,
    /// Which side the claimant speaks for.
    pub claimant_side: Side,
    /// Whose casualties the figures count.
    pub victims: Side,
    /// People killed, if the claim gives a figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed: Option<u32>,
    /// True when `killed` is a floor ("at least", "over").
    #[serde(default, skip_serializing_if = "is_false")]
    pub killed_min: bool,
    /// The claimant's own low estimate, when it gives a range around `killed` (UCDP's low).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed_low: Option<u32>,
    /// The claimant's own high estimate, when it gives a range around `killed` (UCDP's high).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub killed_high: Option<u32>,
    /// People injured, if the claim gives a figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    /// True when `injured` is a floor.
    #[serde(default, skip_serializing_if = "is_false")]
    pub injured_min: bool,
    /// Civilians among the killed, where the claim says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civilians_killed: Option<u32>,
    /// People evacuated or displaced, if the claim gives a figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evacuated: Option<u32>,
    /// True when `evacuated` is a floor ("more than").
    #[serde(default, skip_serializing_if = "is_false")]
    pub evacuated_min: bool,
    /// True when `evacuated` is approximate ("about").
    #[serde(default, skip_serializing_if = "is_false")]
    pub evacuated_about: bool,
    /// The id of another incident that probably reports the same casualties (a double
    /// report, linked so that nobody adds them up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub possible_duplicate_of: Option<String>,
    /// The id of the source that reports the claim.
    pub source: String,
    /// When the claim was made, as precisely as the source says (`YYYY-MM-DD`, `YYYY-MM`
    /// or `YYYY`: an undated figure carries its document's date).
    pub date: String,
    /// A caveat in the curator's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for Claim {
    fn default() -> Self {
        Claim {
            claimant: String::new(),
            claimant_side: Side::Unattributed,
            victims: Side::All,
            killed: None,
            killed_min: false,
            killed_low: None,
            killed_high: None,
            injured: None,
            injured_min: false,
            civilians_killed: None,
            evacuated: None,
            evacuated_min: false,
            evacuated_about: false,
            possible_duplicate_of: None,
            source: String::new(),
            date: String::new(),
            note: None,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Claim {
    /// A short human summary: `Kyrgyz Health Ministry (KG): ≥11 injured [KG]`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Claim, Side};
    /// let c = Claim { claimant: "Tajik SCNS".into(), claimant_side: Side::Tj, victims: Side::Tj,
    ///     injured: Some(10), source: "wp".into(), date: "2022-01-27".into(), ..Claim::default() };
    /// assert_eq!(c.summary(), "Tajik SCNS: 10 injured (TJ casualties)");
    /// let e = Claim { claimant: "Kyrgyz government".into(), claimant_side: Side::Kg,
    ///     victims: Side::Kg, evacuated: Some(137_000), evacuated_about: true,
    ///     source: "b".into(), date: "2022-10-07".into(), ..Claim::default() };
    /// assert_eq!(e.summary(), "Kyrgyz government: about 137000 evacuated (KG casualties)");
    /// ```
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(k) = self.killed {
            let floor = if self.killed_min { "≥" } else { "" };
            parts.push(format!("{floor}{k} killed"));
        }
        if let Some(c) = self.civilians_killed {
            let s = if c == 1 { "" } else { "s" };
            parts.push(format!("{c} civilian{s} killed"));
        }
        if let Some(i) = self.injured {
            let floor = if self.injured_min { "≥" } else { "" };
            parts.push(format!("{floor}{i} injured"));
        }
        if let Some(e) = self.evacuated {
            let q = if self.evacuated_min {
                "more than "
            } else if self.evacuated_about {
                "about "
            } else {
                ""
            };
            parts.push(format!("{q}{e} evacuated"));
        }
        if parts.is_empty() {
            parts.push("no figure".to_string());
        }
        let whose = match self.victims {
            Side::All => "all sides".to_string(),
            s => format!("{} casualties", s.as_str()),
        };
        format!("{}: {} ({whose})", self.claimant, parts.join(", "))
    }
}

/// Parses a claim or document date as precisely as it is given: `YYYY-MM-DD`, `YYYY-MM` or
/// `YYYY`. Returns the first and last day it can mean.
///
/// # Examples
/// ```
/// use bordermap::model::partial_date;
/// let (a, b) = partial_date("2022-09").unwrap();
/// assert_eq!((a.to_string(), b.to_string()), ("2022-09-01".into(), "2022-09-30".into()));
/// assert!(partial_date("2022-13").is_err());
/// ```
pub fn partial_date(s: &str) -> Result<(Date, Date), String> {
    let bad = || format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)");
    match s.len() {
        10 => Date::parse(s).map(|d| (d, d)),
        7 => {
            let first = Date::parse(&format!("{s}-01")).map_err(|_| bad())?;
            let next = if first.month == 12 {
                Date::parse(&format!("{:04}-01-01", first.year + 1))
            } else {
                Date::parse(&format!("{:04}-{:02}-01", first.year, first.month + 1))
            }
            .map_err(|_| bad())?;
            Ok((first, next.add_days(-1)))
        }
        4 => {
            let first = Date::parse(&format!("{s}-01-01")).map_err(|_| bad())?;
            let last = Date::parse(&format!("{s}-12-31")).map_err(|_| bad())?;
            Ok((first, last))
        }
        _ => Err(bad()),
    }
}

/// Where an incident happened, as far as its sources say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The sources name a place (a village, a town, a district, a region): it is geocoded.
    #[default]
    Place,
    /// The border as a whole, or a part of it the sources do not name: not placed.
    Border,
    /// The sources give no place at all: not placed.
    Unknown,
}

impl Scope {
    /// The snake_case name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Place => "place",
            Scope::Border => "border",
            Scope::Unknown => "unknown",
        }
    }
}

/// An allegation a party made about an incident, kept with its claimant: who said what,
/// where it was reported. Allegations are recorded, never adopted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allegation {
    /// Who made it.
    pub claimant: String,
    /// Which side the claimant speaks for.
    pub claimant_side: Side,
    /// What was alleged, in the curator's words.
    pub text: String,
    /// The id of the source that reports it.
    pub source: String,
}

/// A reported incident, before geocoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// Stable id.
    pub id: String,
    /// Short headline.
    pub title: String,
    /// First day.
    pub date_start: Date,
    /// Last day (equal to `date_start` for a one-day event).
    pub date_end: Date,
    /// How precise the dates are.
    pub date_precision: DatePrecision,
    /// What happened.
    pub event_type: EventType,
    /// The location as the report wrote it.
    pub location: String,
    /// The place name the geocoder looks up.
    pub place: String,
    /// Context hint: country (ISO2) of the place.
    pub country: Option<String>,
    /// Context hint: region.
    pub admin1: Option<String>,
    /// Context hint: district.
    pub admin2: Option<String>,
    /// Other places named in the same report, for disambiguation.
    pub near: Vec<String>,
    /// Who took part.
    pub actors: Vec<String>,
    /// Ids of the sources that report it (at least one).
    pub sources: Vec<String>,
    /// The casualty claims, each with its claimant.
    pub claims: Vec<Claim>,
    /// Curator's notes.
    pub notes: String,
    /// A known position (imported data), which skips geocoding.
    pub position: Option<LonLat>,
    /// Whether the sources place it at all.
    pub scope: Scope,
    /// The ACLED-style precision the report allows at best (2: "near X"; 3: X's district or
    /// region): the geocoder never places the incident more precisely.
    pub precision: Option<u8>,
    /// True for a record of totals for a whole conflict or period: never summed with the
    /// events it covers, never given a point.
    pub aggregate: bool,
    /// The ids of the incidents an aggregate covers.
    pub covers: Vec<String>,
    /// The ids of incidents that probably report the same event.
    pub possible_duplicate_of: Vec<String>,
    /// Where the sources contradict each other about this incident, in the curator's words.
    pub contradictions: Vec<String>,
    /// Attributed allegations about the incident.
    pub allegations: Vec<Allegation>,
}

impl Default for Incident {
    fn default() -> Self {
        let d = Date {
            year: 1970,
            month: 1,
            day: 1,
        };
        Incident {
            id: String::new(),
            title: String::new(),
            date_start: d,
            date_end: d,
            date_precision: DatePrecision::Day,
            event_type: EventType::Other,
            location: String::new(),
            place: String::new(),
            country: None,
            admin1: None,
            admin2: None,
            near: vec![],
            actors: vec![],
            sources: vec![],
            claims: vec![],
            notes: String::new(),
            position: None,
            scope: Scope::Place,
            precision: None,
            aggregate: false,
            covers: vec![],
            possible_duplicate_of: vec![],
            contradictions: vec![],
            allegations: vec![],
        }
    }
}

impl Incident {
    /// The first and last day, or `None` for an undated incident
    /// ([`DatePrecision::Unknown`]), whose stored dates are placeholders.
    ///
    /// # Examples
    /// ```
    /// use bordermap::model::{DatePrecision, Incident};
    /// let mut inc = Incident::default();
    /// assert!(inc.span().is_some());
    /// inc.date_precision = DatePrecision::Unknown;
    /// assert!(inc.span().is_none());
    /// ```
    pub fn span(&self) -> Option<(Date, Date)> {
        (self.date_precision != DatePrecision::Unknown).then_some((self.date_start, self.date_end))
    }
}

/// Helpers for doc examples and tests: a minimal valid incident.
#[doc(hidden)]
pub mod tests_support {
    use super::*;

    /// A minimal incident with the given id: 16 Sep 2022, an armed clash at Vorukh.
    pub fn incident(id: &str) -> Incident {
        let d = Date {
            year: 2022,
            month: 9,
            day: 16,
        };
        Incident {
            id: id.to_string(),
            title: "t".into(),
            date_start: d,
            date_end: d,
            event_type: EventType::ArmedClash,
            location: "Vorukh".into(),
            place: "Vorukh".into(),
            sources: vec!["s".into()],
            ..Incident::default()
        }
    }
}

#[cfg(test)]
mod tests;
