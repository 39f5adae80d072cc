//! Fatality estimates: low, best and high derived from an incident's claims by one stated
//! rule, [`FATALITY_RULE`], that every output quotes.

use super::{Claim, Incident, Side, partial_date};
use serde::Serialize;

/// Low, best and high fatality estimates derived from the claims by [`FATALITY_RULE`].
/// `None` means that no figure was reported: unknown, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Fatalities {
    /// The lowest total the claims support.
    pub low: Option<u64>,
    /// The best estimate.
    pub best: Option<u64>,
    /// The highest total the claims support; `None` when it is open (see `high_open`).
    pub high: Option<u64>,
    /// True when the largest figure is only a minimum ("200+"), so there is no upper bound.
    pub high_open: bool,
}

/// The rule [`Incident::fatalities`] applies, in the words every output uses (the legend,
/// tooltips, the HTML panel, the README and the `fatality_rule` column).
pub const FATALITY_RULE: &str = "Best: for each side, the most recent figure given for its dead \
(on the same date, that side's own figure first), added over the sides, unless a later report \
gives one figure for both sides; low and high: the smallest and largest totals the figures \
allow, high open when the largest is only a minimum (\"200+\"); no figure reported is unknown \
(null), never 0.";

impl Incident {
    /// Derives low/best/high fatalities from the claims by [`FATALITY_RULE`]. Totals are
    /// added in 64 bits, so no sum of `u32` figures can wrap.
    ///
    /// # Examples
    /// ```
    /// use bordermap::{Claim, Side};
    /// # use bordermap::model::Incident;
    /// let claim = |side, victims, killed, date: &str| Claim { claimant: "x".into(),
    ///     claimant_side: side, victims, killed: Some(killed), source: "s".into(),
    ///     date: date.into(), ..Claim::default() };
    /// let mut inc = Incident::default();
    /// // Kyrgyzstan's interim and later figures for its own dead, one Tajik figure.
    /// inc.claims = vec![claim(Side::Kg, Side::Kg, 24, "2022-09-17"),
    ///                   claim(Side::Kg, Side::Kg, 59, "2022-09-19"),
    ///                   claim(Side::Tj, Side::Tj, 15, "2022-09-16")];
    /// let f = inc.fatalities();
    /// assert_eq!((f.low, f.best, f.high), (Some(39), Some(74), Some(74)));
    /// // No figure reported: unknown, not zero.
    /// assert_eq!(Incident::default().fatalities().best, None);
    /// ```
    pub fn fatalities(&self) -> Fatalities {
        let mut total = Fatalities::default();
        let mut latest_side = None;
        for side in [Side::Kg, Side::Tj] {
            let figures: Vec<Figure> = self
                .claims
                .iter()
                .enumerate()
                .filter(|(_, c)| c.victims == side)
                .filter_map(|(i, c)| Figure::of(c, i, Some(side)))
                .collect();
            let Some(range) = Range::of(&figures) else {
                continue;
            };
            total.low = Some(total.low.unwrap_or(0) + range.low);
            total.high = Some(total.high.unwrap_or(0) + range.high);
            total.high_open |= range.high_open;
            total.best = Some(total.best.unwrap_or(0) + range.latest.best);
            latest_side = latest_side.max(Some((range.latest.key.0, range.latest.key.2)));
        }
        let overall: Vec<Figure> = self
            .claims
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.victims, Side::All | Side::ThirdParty | Side::Unattributed))
            .filter_map(|(i, c)| Figure::of(c, i, None))
            .collect();
        if let Some(range) = Range::of(&overall) {
            total.low = Some(total.low.map_or(range.low, |l| l.min(range.low)));
            match total.high {
                Some(h) if h > range.high => {}
                Some(h) if h == range.high => total.high_open |= range.high_open,
                _ => {
                    total.high = Some(range.high);
                    total.high_open = range.high_open;
                }
            }
            // A later report (a later date, or later in the file on the same date).
            if latest_side.is_none_or(|d| (range.latest.key.0, range.latest.key.2) > d) {
                total.best = Some(range.latest.best);
            }
        }
        if total.high_open {
            total.high = None;
        }
        total
    }
}

/// One claim's killed figure, for [`Incident::fatalities`].
#[derive(Debug, Clone, Copy)]
struct Figure {
    /// (date in days, preference on that date, position in the file): the latest is the max.
    key: (i64, u8, usize),
    low: u64,
    best: u64,
    high: u64,
    high_open: bool,
}

impl Figure {
    /// The figure of claim number `i`, if it gives one; `side` is whose dead it counts
    /// (`None` for both sides together).
    fn of(c: &Claim, i: usize, side: Option<Side>) -> Option<Self> {
        let best = u64::from(c.killed?);
        let date = partial_date(&c.date).map_or(0, |(d, _)| d.days());
        // On the same date: the side's own figure, then a neutral one, then the other side's.
        let rank = match side {
            Some(s) if c.claimant_side == s => 2,
            Some(_) if matches!(c.claimant_side, Side::Kg | Side::Tj) => 0,
            _ => 1,
        };
        Some(Figure {
            key: (date, rank, i),
            low: c.killed_low.map_or(best, u64::from).min(best),
            best,
            high: c.killed_high.map_or(best, u64::from).max(best),
            high_open: c.killed_min,
        })
    }
}

/// The smallest and largest of some figures, and the latest of them.
struct Range {
    low: u64,
    high: u64,
    high_open: bool,
    latest: Figure,
}

impl Range {
    fn of(figures: &[Figure]) -> Option<Self> {
        let latest = *figures.iter().max_by_key(|f| f.key)?;
        let top = figures.iter().max_by_key(|f| (f.high, f.high_open))?;
        Some(Range {
            low: figures.iter().map(|f| f.low).min()?,
            high: top.high,
            high_open: top.high_open,
            latest,
        })
    }
}
