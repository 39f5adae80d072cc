//! Dates as sources write them: `YYYY-MM-DD` (a time after it is ignored), `YYYY-MM`,
//! `YYYY` and `16 September 2022`, each with the precision it carries.

use crate::model::{Date, DatePrecision};

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

/// Parses a date as data files write it: `YYYY-MM-DD` (a time after it is ignored),
/// `YYYY-MM`, `YYYY`, or `16 September 2022` / `16 Sep 2022`. Returns the span and its
/// precision.
///
/// # Examples
/// ```
/// use bordermap::import::parse_date_loose;
/// let (a, b, p) = parse_date_loose("2022-09").unwrap();
/// assert_eq!((a.to_string(), b.to_string(), p.as_str()), ("2022-09-01".into(), "2022-09-30".into(), "month"));
/// assert_eq!(parse_date_loose("16 September 2022").unwrap().0.to_string(), "2022-09-16");
/// assert_eq!(parse_date_loose("2021-04-29 00:00:00.000").unwrap().0.to_string(), "2021-04-29");
/// assert!(parse_date_loose("2022-02-30").is_none());
/// ```
pub fn parse_date_loose(s: &str) -> Option<(Date, Date, DatePrecision)> {
    let s = s.trim();
    if s.len() >= 10 && s.is_char_boundary(10) {
        let (head, rest) = s.split_at(10);
        if (rest.is_empty() || rest.starts_with(['T', ' ']))
            && let Ok(d) = Date::parse(head)
        {
            return Some((d, d, DatePrecision::Day));
        }
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if s.len() == 7 && s.as_bytes()[4] == b'-' && digits(&s[..4]) && digits(&s[5..]) {
        let year: i32 = s[..4].parse().ok()?;
        let month: u32 = s[5..].parse().ok()?;
        if (1000..=9999).contains(&year) && (1..=12).contains(&month) {
            let (a, b) = month_span(year, month);
            return Some((a, b, DatePrecision::Month));
        }
        return None;
    }
    if s.len() == 4 && digits(s) {
        let year: i32 = s.parse().ok()?;
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
            return Some((a, b, DatePrecision::Year));
        }
        return None;
    }
    let parts: Vec<&str> = s.split([' ', '-']).filter(|p| !p.is_empty()).collect();
    if let [day, month, year] = parts.as_slice() {
        let m = month.to_lowercase();
        let month = crate::model::MONTH_NAMES.iter().position(|name| {
            m.len() >= 3 && name.to_lowercase().starts_with(m.trim_end_matches('.'))
        })? as u32
            + 1;
        let text = format!("{year:0>4}-{month:02}-{day:0>2}");
        let d = Date::parse(&text).ok()?;
        return Some((d, d, DatePrecision::Day));
    }
    None
}
