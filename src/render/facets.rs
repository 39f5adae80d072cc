//! Small multiples: the panels of a faceted map, one per phase of the conflict or one per
//! month with incidents (at most 12; `--from`/`--to` narrow a longer span).

use super::Facet;
use super::MapOptions;
use super::incidents::Item;
use crate::error::{Error, Result};
use crate::model::Date;
use std::collections::BTreeSet;

/// One panel's period: its heading and the dates it shows (open ends are `None`).
pub struct Period {
    /// The heading, for small multiples.
    pub heading: Option<String>,
    /// The first day shown.
    pub from: Option<Date>,
    /// The last day shown.
    pub to: Option<Date>,
}

/// The panels for `opts.facet`, given the kept incidents.
pub fn periods(opts: &MapOptions, items: &[Item<'_>], kept: &[usize]) -> Result<Vec<Period>> {
    let d = |y: i32, m: u32, day: u32| Date {
        year: y,
        month: m,
        day,
    };
    match opts.facet {
        None => Ok(vec![Period {
            heading: None,
            from: None,
            to: None,
        }]),
        Some(Facet::Phase) => {
            let ph = &super::text::of(opts.lang).phases;
            let phases = [
                (ph[0], None, Some(d(2021, 12, 31)), true),
                (ph[1], Some(d(2022, 1, 1)), Some(d(2022, 6, 30)), true),
                (ph[2], Some(d(2022, 7, 1)), Some(d(2022, 8, 31)), false),
                (ph[3], Some(d(2022, 9, 1)), Some(d(2022, 9, 30)), true),
                (ph[4], Some(d(2022, 10, 1)), None, true),
            ];
            Ok(phases
                .into_iter()
                .filter(|(_, f, t, always)| {
                    *always || kept.iter().any(|&i| items[i].overlaps(*f, *t))
                })
                .map(|(h, f, t, _)| Period {
                    heading: Some(h.to_string()),
                    from: f,
                    to: t,
                })
                .collect())
        }
        Some(Facet::Month) => {
            let mut months = BTreeSet::new();
            for &i in kept {
                let it = &items[i];
                // Only the months inside --from/--to are visited, so an incident that spans
                // centuries costs at most 13 steps.
                let start = opts.from.filter(|f| *f > it.start).unwrap_or(it.start);
                let end = opts.to.filter(|t| *t < it.end).unwrap_or(it.end);
                let (mut y, mut m) = (start.year, start.month);
                while (y, m) <= (end.year, end.month) {
                    months.insert((y, m));
                    m += 1;
                    if m > 12 {
                        m = 1;
                        y += 1;
                    }
                    if months.len() > 12 {
                        break;
                    }
                }
            }
            if months.len() > 12 {
                return Err(Error::Usage(format!(
                    "--facet month would draw more than 12 panels ({}+ months have incidents); narrow the dates with --from and --to",
                    months.len()
                )));
            }
            if months.is_empty() {
                return Ok(vec![Period {
                    heading: Some(super::text::of(opts.lang).no_incidents.into()),
                    from: None,
                    to: None,
                }]);
            }
            Ok(months
                .into_iter()
                .map(|(y, m)| {
                    let last = (1..=31)
                        .rev()
                        .find_map(|day| Date::parse(&format!("{y:04}-{m:02}-{day:02}")).ok());
                    Period {
                        heading: Some(format!("{} {y}", super::text::of(opts.lang).month(m))),
                        from: Some(d(y, m, 1)),
                        to: last,
                    }
                })
                .collect())
        }
    }
}
