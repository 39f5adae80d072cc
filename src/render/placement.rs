//! Label placement: greedy, by priority, with candidate positions around each anchor.
//!
//! Each label's box is estimated conservatively from its font size and character count
//! ([`text_width`]). A candidate is accepted only when its box lies inside the frame and
//! intersects no placed label and no obstacle (markers, symbols). Labels that find no room
//! are skipped, so higher-priority labels are placed first.

use super::projection::Rect;

/// Average advance width of the shipped font (DejaVu Sans), in ems, rounded up so that
/// estimated boxes are never smaller than the drawn text.
const EM_WIDTH: f64 = 0.62;
/// The same for bold text.
const EM_WIDTH_BOLD: f64 = 0.68;

/// The estimated width in px of `text` at `size` px.
///
/// # Examples
/// ```
/// use bordermap::render::placement::text_width;
/// assert!(text_width("Batken", 12.0, false) >= 6.0 * 12.0 * 0.6);
/// ```
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em = if bold { EM_WIDTH_BOLD } else { EM_WIDTH };
    let n: f64 = text
        .chars()
        .map(|c| {
            if c.is_uppercase() || c == 'm' || c == 'w' || c == '—' {
                1.25
            } else if matches!(
                c,
                'i' | 'l' | 'j' | '\'' | '.' | ',' | ' ' | 't' | 'f' | 'r'
            ) {
                0.6
            } else {
                1.0
            }
        })
        .sum();
    n * size * em
}

/// What a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKind {
    /// A country name.
    Country,
    /// An enclave.
    Enclave,
    /// A town or village.
    Place,
    /// A disputed-section number.
    Section,
    /// An incident (or a group of incidents at one place).
    Incident,
}

/// A placed label: its text, box and style.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelBox {
    /// The text.
    pub text: String,
    /// What it names.
    pub kind: LabelKind,
    /// The box on the page (text plus padding).
    pub rect: Rect,
    /// Font size, px.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Text anchor point (start of the baseline), px.
    pub baseline: (f64, f64),
}

/// A label to place.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    /// The text.
    pub text: String,
    /// What it names.
    pub kind: LabelKind,
    /// The point it labels.
    pub anchor: (f64, f64),
    /// The radius around the anchor the text must clear.
    pub clearance: f64,
    /// Font size, px.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Centre the text on the anchor instead of beside it (area labels).
    pub centred: bool,
}

/// Places labels greedily.
#[derive(Debug)]
pub struct Placer {
    frame: Rect,
    obstacles: Vec<Rect>,
    /// Regions a label should keep off if it can (lines it would be drawn across).
    avoid: Vec<Rect>,
    placed: Vec<LabelBox>,
}

const PAD: f64 = 2.0;

impl Placer {
    /// A placer for labels inside `frame`.
    pub fn new(frame: Rect) -> Self {
        Placer {
            frame,
            obstacles: Vec::new(),
            avoid: Vec::new(),
            placed: Vec::new(),
        }
    }

    /// Adds a region labels must avoid.
    pub fn add_obstacle(&mut self, r: Rect) {
        self.obstacles.push(r);
    }

    /// Adds a region labels keep off when another candidate position is free: a label is
    /// drawn across it only where no position clear of it has room.
    ///
    /// # Examples
    /// ```
    /// use bordermap::render::placement::{LabelKind, LabelRequest, Placer};
    /// use bordermap::render::projection::Rect;
    /// let mut p = Placer::new(Rect { x: 0.0, y: 0.0, w: 400.0, h: 300.0 });
    /// // A line just right of the anchor: the label goes to its left instead.
    /// p.add_avoided(Rect { x: 205.0, y: 0.0, w: 2.0, h: 300.0 });
    /// let req = LabelRequest {
    ///     text: "Vorukh".into(),
    ///     kind: LabelKind::Place,
    ///     anchor: (200.0, 150.0),
    ///     clearance: 3.0,
    ///     size: 12.0,
    ///     bold: false,
    ///     centred: false,
    /// };
    /// let b = p.place(&req).unwrap();
    /// assert!(b.rect.x + b.rect.w <= 200.0);
    /// // Where only positions across the line are free, place_clear gives up; place does not.
    /// assert!(p.place_clear(&req, |r| r.x > 200.0).is_none());
    /// assert!(p.place_where(&req, |r| r.x > 200.0).is_some());
    /// ```
    pub fn add_avoided(&mut self, r: Rect) {
        self.avoid.push(r);
    }

    fn clear_of_avoided(&self, r: &Rect) -> bool {
        !self.avoid.iter().any(|o| o.intersects(r))
    }

    fn free(&self, r: &Rect) -> bool {
        self.frame.contains_rect(r)
            && !self.placed.iter().any(|p| p.rect.intersects(r))
            && !self.obstacles.iter().any(|o| o.intersects(r))
    }

    /// Tries the candidate positions of `req` in order; returns the placed label, or
    /// `None` when there is no room.
    pub fn place(&mut self, req: &LabelRequest) -> Option<LabelBox> {
        self.place_where(req, |_| true)
    }

    /// Places `req` at its anchor whatever it covers: for what must always be visible
    /// (section numbers).
    pub fn force(&mut self, req: &LabelRequest) -> LabelBox {
        let w = text_width(&req.text, req.size, req.bold) + 2.0 * PAD;
        let h = req.size * 1.3 + 2.0 * PAD;
        let (x, y) = (req.anchor.0 - w / 2.0, req.anchor.1 - h / 2.0);
        let b = LabelBox {
            text: req.text.clone(),
            kind: req.kind,
            rect: Rect { x, y, w, h },
            size: req.size,
            bold: req.bold,
            baseline: (x + PAD, y + PAD + req.size * 1.02),
        };
        self.placed.push(b.clone());
        b
    }

    /// As [`Placer::place`], accepting only a position that `accept` agrees to as well.
    pub fn place_where(
        &mut self,
        req: &LabelRequest,
        accept: impl Fn(&Rect) -> bool,
    ) -> Option<LabelBox> {
        self.place_in(req, accept, &[true, false])
    }

    /// As [`Placer::place`], taking no notice of the avoided regions: for what belongs on
    /// a line (section numbers).
    pub fn place_on_lines(&mut self, req: &LabelRequest) -> Option<LabelBox> {
        self.place_in(req, |_| true, &[false])
    }

    /// As [`Placer::place_where`], only at a position clear of the avoided regions (see
    /// [`Placer::add_avoided`]): for callers that try several reaches, clear ones first.
    pub fn place_clear(
        &mut self,
        req: &LabelRequest,
        accept: impl Fn(&Rect) -> bool,
    ) -> Option<LabelBox> {
        self.place_in(req, accept, &[true])
    }

    fn place_in(
        &mut self,
        req: &LabelRequest,
        accept: impl Fn(&Rect) -> bool,
        passes: &[bool],
    ) -> Option<LabelBox> {
        let w = text_width(&req.text, req.size, req.bold) + 2.0 * PAD;
        let h = req.size * 1.3 + 2.0 * PAD;
        let (ax, ay) = req.anchor;
        let c = req.clearance + 1.5;
        let candidates: Vec<(f64, f64)> = if req.centred {
            vec![
                (ax - w / 2.0, ay - h / 2.0),
                (ax - w / 2.0, ay - h / 2.0 - h),
                (ax - w / 2.0, ay + h / 2.0),
                (ax - w / 2.0 - w / 3.0, ay - h / 2.0),
                (ax - w / 2.0 + w / 3.0, ay - h / 2.0),
            ]
        } else if req.clearance > 14.0 {
            // Around a large symbol (a ring of markers), text reads best centred above or
            // below it; beside it, a long label drifts towards other symbols.
            vec![
                (ax - w / 2.0, ay + c),     // below
                (ax - w / 2.0, ay - c - h), // above
                (ax + c, ay - h / 2.0),     // right
                (ax - c - w, ay - h / 2.0), // left
            ]
        } else {
            let d = c * std::f64::consts::FRAC_1_SQRT_2;
            vec![
                (ax + c, ay - h / 2.0),     // right
                (ax - c - w, ay - h / 2.0), // left
                (ax + d, ay - d - h),       // upper right
                (ax + d, ay + d),           // lower right
                (ax - d - w, ay - d - h),   // upper left
                (ax - d - w, ay + d),       // lower left
                (ax - w / 2.0, ay - c - h), // above
                (ax - w / 2.0, ay + c),     // below
            ]
        };
        // Per pass: positions clear of the avoided regions only, or any free one.
        let order = passes.iter().flat_map(|&strict| {
            candidates
                .iter()
                .map(move |&(x, y)| (strict, Rect { x, y, w, h }))
        });
        for (strict, rect) in order {
            let (x, y) = (rect.x, rect.y);
            if (!strict || self.clear_of_avoided(&rect)) && self.free(&rect) && accept(&rect) {
                let b = LabelBox {
                    text: req.text.clone(),
                    kind: req.kind,
                    rect,
                    size: req.size,
                    bold: req.bold,
                    baseline: (x + PAD, y + PAD + req.size * 1.02),
                };
                self.placed.push(b.clone());
                return Some(b);
            }
        }
        None
    }

    /// Every placed label, in placement order.
    pub fn placed(&self) -> &[LabelBox] {
        &self.placed
    }
}

/// The distance from a point to the nearest point of a box, px (0 inside it).
///
/// # Examples
/// ```
/// use bordermap::render::placement::distance_to_rect;
/// use bordermap::render::projection::Rect;
/// let r = Rect { x: 10.0, y: 10.0, w: 10.0, h: 5.0 };
/// assert_eq!(distance_to_rect((15.0, 12.0), &r), 0.0);
/// assert_eq!(distance_to_rect((23.0, 19.0), &r), 5.0);
/// ```
pub fn distance_to_rect(p: (f64, f64), r: &Rect) -> f64 {
    let dx = (r.x - p.0).max(p.0 - r.right()).max(0.0);
    let dy = (r.y - p.1).max(p.1 - r.bottom()).max(0.0);
    dx.hypot(dy)
}

/// The point of a box nearest to `p`, px: where a leader line from `p` meets the label.
pub fn nearest_point_of(r: &Rect, p: (f64, f64)) -> (f64, f64) {
    (p.0.clamp(r.x, r.right()), p.1.clamp(r.y, r.bottom()))
}

/// The square box of half-size `r` around `c` (px): a marker or dot as an obstacle.
pub fn box_around(c: (f64, f64), r: f64) -> Rect {
    Rect {
        x: c.0 - r,
        y: c.1 - r,
        w: 2.0 * r,
        h: 2.0 * r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_label_moves_or_is_skipped() {
        let mut p = Placer::new(Rect {
            x: 0.0,
            y: 0.0,
            w: 200.0,
            h: 100.0,
        });
        let req = LabelRequest {
            text: "Batken".into(),
            kind: LabelKind::Place,
            anchor: (100.0, 50.0),
            clearance: 3.0,
            size: 12.0,
            bold: false,
            centred: false,
        };
        let a = p.place(&req).unwrap();
        let b = p.place(&req).unwrap();
        assert!(!a.rect.intersects(&b.rect));
    }
}
