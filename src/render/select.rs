//! Which incidents a map shows: the filters (dates, types, a radius around a place), then
//! where each one falls in the map area: inside, outside, or without a position.

use super::MapOptions;
use super::incidents::Item;
use super::projection::Frame;
use crate::model::Date;
use geo::{Distance, Geodesic};

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
            && opts.around.as_ref().is_none_or(|a| {
                it.pos
                    .is_some_and(|p| Geodesic.distance(p.point(), a.position.point()) <= a.radius_m)
            });
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

/// Where the kept incidents fall in the map area (all panels share it).
pub struct Placement {
    /// Each item's position relative to the frame's top-left corner, px (0, 0 when not drawn).
    pub px: Vec<(f64, f64)>,
    /// The kept incidents inside the frame, in date order.
    pub shown: Vec<usize>,
    /// Ids of kept incidents outside the frame.
    pub outside: Vec<String>,
    /// Ids of kept incidents without a position.
    pub unlocated: Vec<String>,
}

/// Sorts the kept incidents into inside, outside and unlocated for `frame`.
pub fn place(items: &[Item<'_>], kept: &[usize], frame: &Frame) -> Placement {
    let mut px = vec![(0.0, 0.0); items.len()];
    let mut in_frame = vec![false; items.len()];
    let mut outside = Vec::new();
    let mut unlocated = Vec::new();
    for &i in kept {
        match items[i].pos {
            None => unlocated.push(items[i].id().to_string()),
            Some(p) => {
                let hit = frame.may_contain(p.lon(), p.lat())
                    && frame.to_px(p.lon(), p.lat()).is_some_and(|q| {
                        px[i] = (q.0 - frame.rect.x, q.1 - frame.rect.y);
                        frame.rect.contains(q.0, q.1)
                    });
                if hit {
                    in_frame[i] = true;
                } else {
                    outside.push(items[i].id().to_string());
                }
            }
        }
    }
    let shown = kept.iter().copied().filter(|&i| in_frame[i]).collect();
    Placement {
        px,
        shown,
        outside,
        unlocated,
    }
}

/// The date range the map covers: the filter's, else the incidents'.
pub fn date_span(opts: &MapOptions, items: &[Item<'_>], kept: &[usize]) -> Option<(Date, Date)> {
    let lo = kept.iter().map(|&i| items[i].start).min();
    let hi = kept.iter().map(|&i| items[i].end).max();
    let from = opts.from.or(lo)?;
    let to = opts.to.or(hi)?;
    Some((from, to.max(from)))
}
