//! Dates as people write them, each read with the precision it carries:
//!
//! | written | read as |
//! |---|---|
//! | `2022-09-16` (a time after it is ignored), `2022/09/16`, `20220916` | that day |
//! | `2022-09-14/2022-09-17`, `2022-09-14..2022-09-17`, `2022-09-14 to 2022-09-17` | a range |
//! | `2022-09`, `September 2022`, `Sep 2022` | the month |
//! | `2022` | the year |
//! | `16 September 2022`, `9 May 2020`, `09 May 2020`, `9-May-20`, `May 9, 2020` | that day |
//! | `16.09.2022`, `16.09.22` | that day: dotted dates are always day first |
//! | `09/05/2020`, `9/5/20` | only with [`DayOrder`] (`--date-format`), or when one order is impossible (`25/05/2020`) |
//!
//! A two-digit year is read by the rule [`TWO_DIGIT_YEARS`] states: `00`–`69` are 2000–2069,
//! `70`–`99` are 1970–1999 (the POSIX `strptime` rule). Excel serial numbers are read by the
//! spreadsheet reader, which knows which cells are dates ([`excel_serial_date`]).

use crate::model::{Date, DatePrecision, MONTH_NAMES};

/// The rule for two-digit years, in words.
pub const TWO_DIGIT_YEARS: &str = "a two-digit year 00–69 is 2000–2069 and 70–99 is 1970–1999";

/// How to read an all-numeric date with slashes, such as `09/05/2020`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// Day, month, year (`09/05/2020` is 9 May 2020).
    Dmy,
    /// Month, day, year (`09/05/2020` is 5 September 2020).
    Mdy,
    /// Year, month, day (`2020/05/09`).
    Ymd,
}

impl DayOrder {
    /// Parses `dmy`, `mdy` or `ymd` (any case).
    ///
    /// # Examples
    /// ```
    /// use bordermap::import::DayOrder;
    /// assert_eq!(DayOrder::parse("DMY"), Some(DayOrder::Dmy));
    /// assert_eq!(DayOrder::parse("dd/mm"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "dmy" => Some(DayOrder::Dmy),
            "mdy" => Some(DayOrder::Mdy),
            "ymd" => Some(DayOrder::Ymd),
            _ => None,
        }
    }
}

/// A span of days with its precision.
pub type Span = (Date, Date, DatePrecision);

pub(super) fn month_span(year: i32, month: u32) -> (Date, Date) {
    let first = Date {
        year,
        month,
        day: 1,
    };
    let next = if month == 12 {
        Date {
            year: year + 1,
            month: 1,
            day: 1,
        }
    } else {
        Date {
            year,
            month: month + 1,
            day: 1,
        }
    };
    (first, next.add_days(-1))
}

/// Parses a date as data files write it (see the module docs), with no day order for
/// all-numeric slashed dates: those are read only when one order is impossible.
///
/// # Examples
/// ```
/// use bordermap::import::parse_date_loose;
/// let (a, b, p) = parse_date_loose("2022-09").unwrap();
/// assert_eq!((a.to_string(), b.to_string(), p.as_str()), ("2022-09-01".into(), "2022-09-30".into(), "month"));
/// assert_eq!(parse_date_loose("16 September 2022").unwrap().0.to_string(), "2022-09-16");
/// assert_eq!(parse_date_loose("2021-04-29 00:00:00.000").unwrap().0.to_string(), "2021-04-29");
/// assert_eq!(parse_date_loose("9-May-20").unwrap().0.to_string(), "2020-05-09");
/// assert!(parse_date_loose("2022-02-30").is_none());
/// assert!(parse_date_loose("09/05/2020").is_none()); // ambiguous without a day order
/// ```
pub fn parse_date_loose(s: &str) -> Option<Span> {
    parse_date(s, None).ok()
}

/// Parses a date (see the module docs); `order` reads all-numeric slashed dates. The error
/// says why the text is not a date.
///
/// # Examples
/// ```
/// use bordermap::import::{parse_date, DayOrder};
/// let d = |s, o| parse_date(s, o).map(|x| x.0.to_string());
/// assert_eq!(d("09/05/2020", Some(DayOrder::Dmy)).unwrap(), "2020-05-09");
/// assert_eq!(d("09/05/2020", Some(DayOrder::Mdy)).unwrap(), "2020-09-05");
/// assert_eq!(d("25/05/2020", None).unwrap(), "2020-05-25");
/// assert!(d("09/05/2020", None).unwrap_err().contains("--date-format"));
/// assert_eq!(d("20201231", None).unwrap(), "2020-12-31");
/// let r = parse_date("2022-09-14/2022-09-17", None).unwrap();
/// assert_eq!((r.1.to_string(), r.2.as_str()), ("2022-09-17".into(), "range"));
/// ```
pub fn parse_date(s: &str, order: Option<DayOrder>) -> Result<Span, String> {
    let s = s.trim();
    for sep in ["..", " to ", " – ", " — ", "/"] {
        if let Some((a, b)) = s.split_once(sep)
            && (sep != "/" || (is_iso_like(a) && is_iso_like(b)))
        {
            let (a, b) = (one_date(a.trim(), order)?, one_date(b.trim(), order)?);
            if b.1 < a.0 {
                return Err(format!("the range {s:?} ends before it starts"));
            }
            let precision = if a.0 == b.1 {
                DatePrecision::Day
            } else {
                DatePrecision::Range
            };
            return Ok((a.0, b.1, precision));
        }
    }
    one_date(s, order)
}

/// `2022-09-16`, `2022-09`, `2022`: a year of four digits first.
fn is_iso_like(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

fn digits(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

fn day(year: i32, month: u32, d: u32, text: &str) -> Result<Span, String> {
    let iso = format!("{year:04}-{month:02}-{d:02}");
    let date =
        Date::parse(&iso).map_err(|_| format!("{text:?} is not a date ({iso} does not exist)"))?;
    Ok((date, date, DatePrecision::Day))
}

/// A year of two or four digits, by [`TWO_DIGIT_YEARS`].
fn year_of(t: &str) -> Option<i32> {
    if !digits(t) {
        return None;
    }
    let y: i32 = t.parse().ok()?;
    match t.len() {
        2 if y < 70 => Some(2000 + y),
        2 => Some(1900 + y),
        4 if (1000..=9999).contains(&y) => Some(y),
        _ => None,
    }
}

/// A month name or abbreviation of at least three letters (`Sep`, `Sept.`, `September`).
fn month_of(t: &str) -> Option<u32> {
    let m = t.trim_end_matches('.').to_lowercase();
    if m.len() < 3 || !m.chars().all(char::is_alphabetic) {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|name| name.to_lowercase().starts_with(&m))
        .map(|i| i as u32 + 1)
}

fn not_a_date(s: &str) -> String {
    format!(
        "{s:?} is not a date (YYYY-MM-DD, YYYY-MM, YYYY, 16 September 2022, 9-May-20, 16.09.2022, 20220916, or DD/MM/YYYY with --date-format)"
    )
}

fn one_date(s: &str, order: Option<DayOrder>) -> Result<Span, String> {
    if s.is_empty() {
        return Err("the date is empty".into());
    }
    // ISO day, with an optional time after it.
    if s.len() >= 10 && s.is_char_boundary(10) {
        let (head, rest) = s.split_at(10);
        if (rest.is_empty() || rest.starts_with(['T', ' ']))
            && head.as_bytes()[4] == b'-'
            && head.as_bytes()[7] == b'-'
        {
            let d = Date::parse(head).map_err(|e| {
                let why = e.rsplit(": ").next().unwrap_or(&e).to_string();
                format!("{s:?} is not a date ({why})")
            })?;
            return Ok((d, d, DatePrecision::Day));
        }
    }
    let b = s.as_bytes();
    if s.len() == 7 && b[4] == b'-' && digits(&s[..4]) && digits(&s[5..]) {
        let year: i32 = s[..4].parse().map_err(|_| not_a_date(s))?;
        let month: u32 = s[5..].parse().map_err(|_| not_a_date(s))?;
        if (1000..=9999).contains(&year) && (1..=12).contains(&month) {
            let (a, b) = month_span(year, month);
            return Ok((a, b, DatePrecision::Month));
        }
        return Err(not_a_date(s));
    }
    if s.len() == 4 && digits(s) {
        let year: i32 = s.parse().map_err(|_| not_a_date(s))?;
        if (1000..=9999).contains(&year) {
            let a = Date {
                year,
                month: 1,
                day: 1,
            };
            let b = Date {
                year,
                month: 12,
                day: 31,
            };
            return Ok((a, b, DatePrecision::Year));
        }
        return Err(not_a_date(s));
    }
    if s.len() == 8 && digits(s) {
        let (y, m, d) = (&s[..4], &s[4..6], &s[6..]);
        let num = |t: &str| t.parse::<u32>().map_err(|_| not_a_date(s));
        return day(y.parse().map_err(|_| not_a_date(s))?, num(m)?, num(d)?, s);
    }
    if let Some(span) = numeric(s, order)? {
        return Ok(span);
    }
    named_month(s).ok_or_else(|| not_a_date(s))
}

/// All-numeric dates with `/`, `.` or `-` between the parts; `None` when `s` is not one.
fn numeric(s: &str, order: Option<DayOrder>) -> Result<Option<Span>, String> {
    let Some(sep) = ['/', '.', '-'].into_iter().find(|c| s.contains(*c)) else {
        return Ok(None);
    };
    let parts: Vec<&str> = s.split(sep).collect();
    let [a, b, c] = parts.as_slice() else {
        return Ok(None);
    };
    if !(digits(a) && digits(b) && digits(c)) {
        return Ok(None);
    }
    let num = |t: &str| t.parse::<u32>().map_err(|_| not_a_date(s));
    if a.len() == 4 {
        return day(a.parse().map_err(|_| not_a_date(s))?, num(b)?, num(c)?, s).map(Some);
    }
    let year = year_of(c).ok_or_else(|| not_a_date(s))?;
    let (x, y) = (num(a)?, num(b)?);
    let dmy = match (sep, order) {
        ('.', _) => true,
        (_, Some(DayOrder::Dmy)) => true,
        (_, Some(DayOrder::Mdy)) => false,
        _ if x > 12 => true,
        _ if y > 12 || x == y => false,
        _ => {
            let m = |k: u32| MONTH_NAMES[(k - 1).min(11) as usize];
            return Err(format!(
                "{s:?} is ambiguous ({x} {} or {y} {} {year}); give --date-format dmy or mdy",
                m(y),
                m(x)
            ));
        }
    };
    let (d, m) = if dmy { (x, y) } else { (y, x) };
    day(year, m, d, s).map(Some)
}

/// `16 September 2022`, `9-May-20`, `May 9, 2020`, `September 2022`.
fn named_month(s: &str) -> Option<Span> {
    let parts: Vec<&str> = s.split([' ', '-', ',']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [d, m, y] if digits(d) => day(year_of(y)?, month_of(m)?, d.parse().ok()?, s).ok(),
        [m, d, y] if digits(d) => day(year_of(y)?, month_of(m)?, d.parse().ok()?, s).ok(),
        [m, y] => {
            let (a, b) = month_span(year_of(y)?, month_of(m)?);
            Some((a, b, DatePrecision::Month))
        }
        _ => None,
    }
}

/// The day of an Excel serial date (days since 1899-12-30 in the 1900 date system, the
/// fraction being the time of day), or `None` outside years 1000–9999.
///
/// # Examples
/// ```
/// use bordermap::import::excel_serial_date;
/// assert_eq!(excel_serial_date(43960.0).unwrap().to_string(), "2020-05-09");
/// assert_eq!(excel_serial_date(44196.75).unwrap().to_string(), "2020-12-31");
/// ```
pub fn excel_serial_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() {
        return None;
    }
    let epoch = Date {
        year: 1899,
        month: 12,
        day: 30,
    };
    let d = epoch.add_days(serial.floor() as i64);
    (1000..=9999).contains(&d.year).then_some(d)
}

/// The day order a column of dates proves: `Dmy` when some value can only be day first
/// (`25/05/2020`), `Mdy` when some value can only be month first, `None` when no value
/// decides or both do.
pub(super) fn infer_order<'a>(values: impl Iterator<Item = &'a str>) -> Option<DayOrder> {
    let (mut dmy, mut mdy) = (false, false);
    for v in values {
        let v = v.trim();
        if !v.contains('/') {
            continue;
        }
        let parts: Vec<&str> = v.split('/').collect();
        if let [a, b, c] = parts.as_slice()
            && digits(a)
            && digits(b)
            && digits(c)
            && a.len() <= 2
        {
            let (x, y) = (a.parse::<u32>().unwrap_or(0), b.parse::<u32>().unwrap_or(0));
            dmy |= x > 12 && y <= 12;
            mdy |= y > 12 && x <= 12;
        }
    }
    match (dmy, mdy) {
        (true, false) => Some(DayOrder::Dmy),
        (false, true) => Some(DayOrder::Mdy),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        let (a, b, p) = parse_date(s, None).unwrap();
        format!("{a} {b} {}", p.as_str())
    }

    #[test]
    fn forms_people_write() {
        assert_eq!(d("09 May 2020"), "2020-05-09 2020-05-09 day");
        assert_eq!(d("9 May 2020"), "2020-05-09 2020-05-09 day");
        assert_eq!(d("9-May-20"), "2020-05-09 2020-05-09 day");
        assert_eq!(d("31-Dec-99"), "1999-12-31 1999-12-31 day");
        assert_eq!(d("May 9, 2020"), "2020-05-09 2020-05-09 day");
        assert_eq!(d("Sept. 2022"), "2022-09-01 2022-09-30 month");
        assert_eq!(d("16.09.2022"), "2022-09-16 2022-09-16 day");
        assert_eq!(d("2022/09/16"), "2022-09-16 2022-09-16 day");
        assert_eq!(d("2022-09-14 to 2022-09-17"), "2022-09-14 2022-09-17 range");
        assert_eq!(d("2022-09..2022-10"), "2022-09-01 2022-10-31 range");
        assert_eq!(d("2022-09-16T10:00:00Z"), "2022-09-16 2022-09-16 day");
    }

    #[test]
    fn bad_dates_say_why() {
        assert!(
            parse_date("2022-02-30", None)
                .unwrap_err()
                .contains("no day 30")
        );
        assert!(
            parse_date("31/02/2020", None)
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(
            parse_date("soon", None)
                .unwrap_err()
                .contains("is not a date")
        );
        assert!(
            parse_date("2022-09-17/2022-09-14", None)
                .unwrap_err()
                .contains("ends before")
        );
        assert!(parse_date("Maybe 2020", None).is_err());
    }

    #[test]
    fn a_column_decides_the_order() {
        let v = ["01/02/2020", "25/02/2020"];
        assert_eq!(infer_order(v.iter().copied()), Some(DayOrder::Dmy));
        let v = ["01/02/2020", "02/25/2020"];
        assert_eq!(infer_order(v.iter().copied()), Some(DayOrder::Mdy));
        let v = ["01/02/2020", "03/04/2020"];
        assert_eq!(infer_order(v.iter().copied()), None);
    }
}
