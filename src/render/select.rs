//! Which incidents a map shows, and how it accounts for the others: the filters (dates,
//! types, a radius around a place), then each kept incident is either drawn, or listed under
//! the map with the reason: outside the map area, placed only at a district or region (no
//! marker stands at a centroid as if something happened there), not placed by its sources, or
//! an aggregate (totals, not an event).

use super::MapOptions;
use super::incidents::Item;
use super::projection::Frame;
use crate::model::Date;

/// The incidents that pass the map's filters, in date order, and how many did not.
pub struct Kept {
    /// Indices into the items, by start date then id.
    pub indices: Vec<usize>,
    /// How many the date, type or radius filters removed.
    pub filtered_out: usize,
}

/// Applies the date, type and radius filters of `opts`.
pub fn filter(items: &[Item<'_>], opts: &MapOptions) -> Kept {
    let mut kept: Vec<usize> = Vec::with_capacity(items.len());
    let mut filtered_out = 0;
    for (i, it) in items.iter().enumerate() {
        let ok = it.overlaps(opts.from, opts.to)
            && (opts.types.is_empty() || opts.types.contains(&it.etype))
            && opts
                .around
                .as_ref()
                .is_none_or(|a| it.pos.is_some_and(|p| a.holds(p)));
        if ok {
            kept.push(i);
        } else {
            filtered_out += 1;
        }
    }
    kept.sort_by(|&a, &b| (items[a].start, items[a].id()).cmp(&(items[b].start, items[b].id())));
    Kept {
        indices: kept,
        filtered_out,
    }
}

/// Why a kept incident is listed under the map instead of drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Listed {
    /// Placed only at a district or region: no point to draw.
    Area,
    /// The sources give no place.
    NotPlaced,
    /// Outside the map area.
    Outside,
    /// A record of totals for a whole conflict or period.
    Aggregate,
}

impl Listed {
    /// The heading of the list under the map, in `lang`.
    pub fn heading(self, lang: crate::Lang) -> &'static str {
        let h = &super::text::of(lang).listed_headings;
        match self {
            Listed::Outside => h[0],
            Listed::Area => h[1],
            Listed::NotPlaced => h[2],
            Listed::Aggregate => h[3],
        }
    }
}

/// Where the kept incidents fall in the map area (all panels share it).
pub struct Placement {
    /// Each item's position relative to the frame's top-left corner, px (0, 0 when not drawn).
    pub px: Vec<(f64, f64)>,
    /// The kept incidents drawn, in date order.
    pub shown: Vec<usize>,
    /// The kept incidents listed under the map instead, with the reason, in date order.
    pub listed: Vec<(usize, Listed)>,
}

impl Placement {
    /// The ids listed for `why`.
    pub fn ids(&self, items: &[Item<'_>], why: Listed) -> Vec<String> {
        self.listed
            .iter()
            .filter(|(_, w)| *w == why)
            .map(|(i, _)| items[*i].id().to_string())
            .collect()
    }
}

/// Sorts the kept incidents into drawn and listed for `frame`.
pub fn place(items: &[Item<'_>], kept: &[usize], frame: &Frame) -> Placement {
    let mut px = vec![(0.0, 0.0); items.len()];
    let mut shown = Vec::new();
    let mut listed = Vec::new();
    for &i in kept {
        let it = &items[i];
        let why = match it.pos {
            _ if it.aggregate => Some(Listed::Aggregate),
            None => Some(Listed::NotPlaced),
            Some(_) if it.precision >= 3 => Some(Listed::Area),
            Some(p) => {
                let hit = frame.may_contain(p.lon(), p.lat())
                    && frame.to_px(p.lon(), p.lat()).is_some_and(|q| {
                        px[i] = (q.0 - frame.rect.x, q.1 - frame.rect.y);
                        frame.rect.contains(q.0, q.1)
                    });
                (!hit).then_some(Listed::Outside)
            }
        };
        match why {
            None => shown.push(i),
            Some(w) => listed.push((i, w)),
        }
    }
    Placement { px, shown, listed }
}

/// The date range the map covers: the filter's, else the incidents'.
pub fn date_span(opts: &MapOptions, items: &[Item<'_>], kept: &[usize]) -> Option<(Date, Date)> {
    let lo = kept.iter().map(|&i| items[i].start).min();
    let hi = kept.iter().map(|&i| items[i].end).max();
    let from = opts.from.or(lo)?;
    let to = opts.to.or(hi)?;
    Some((from, to.max(from)))
}
