//! The only module that writes markup. Every other render module describes what to draw
//! through [`Svg`]; this one turns it into SVG text.
//!
//! Safety rules, enforced by the types here:
//! - element and attribute names are `&'static str`: data never becomes a name;
//! - every attribute value and every text node goes through [`escape`] (from
//!   [`crate::xml`]), the one escaping function: it escapes the five XML characters and drops characters XML forbids and
//!   bidirectional override and isolate controls;
//! - there is no way to write a comment, `<style>`, `<script>` or `href` from here.
//!
//! Why not the `svg` crate: its writer (0.18) escapes only `&`, `<` and `>`, also inside
//! attribute values, so a name such as `x" onload="alert(1)` would add an attribute to the
//! map; and it passes through the characters XML forbids. Markup safety has to live in one
//! place, so the writer is this small module.
//!
//! Numbers are written with at most two decimals ([`num`]), so output is deterministic and
//! compact.

use std::fmt::Write as _;

pub use crate::xml::escape;

/// Formats a number with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`).
///
/// Non-finite numbers are written as `0`, so a bad value can never produce invalid markup.
///
/// # Examples
/// ```
/// use bordermap::render::svg::num;
/// assert_eq!(num(12.499), "12.5");
/// assert_eq!(num(3.0), "3");
/// assert_eq!(num(-0.001), "0");
/// assert_eq!(num(f64::NAN), "0");
/// ```
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let mut s = format!("{x:.2}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// Builds path data (`d`) from points; coordinates are written with [`num`].
#[derive(Debug, Default, Clone)]
pub struct PathData {
    d: String,
}

impl PathData {
    /// An empty path.
    pub fn new() -> Self {
        PathData::default()
    }

    /// Starts a subpath.
    pub fn move_to(&mut self, x: f64, y: f64) {
        let _ = write!(self.d, "M{} {}", num(x), num(y));
    }

    /// Adds a straight segment.
    pub fn line_to(&mut self, x: f64, y: f64) {
        let _ = write!(self.d, "L{} {}", num(x), num(y));
    }

    /// Closes the subpath.
    pub fn close(&mut self) {
        self.d.push('Z');
    }

    /// A polyline (or a closed ring) through `points`.
    pub fn poly(&mut self, points: &[(f64, f64)], closed: bool) {
        for (i, &(x, y)) in points.iter().enumerate() {
            if i == 0 {
                self.move_to(x, y);
            } else {
                self.line_to(x, y);
            }
        }
        if closed && !points.is_empty() {
            self.close();
        }
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.d.is_empty()
    }

    /// The `d` attribute value.
    pub fn finish(self) -> String {
        self.d
    }
}

/// An attribute list: static names, values escaped when written.
pub type Attrs<'a> = &'a [(&'static str, String)];

/// A streaming SVG writer. Open and close calls must pair up; [`Svg::finish`] closes
/// whatever is still open, so the document is always well-formed.
#[derive(Debug)]
pub struct Svg {
    out: String,
    open: Vec<&'static str>,
}

impl Svg {
    /// Starts a document; its size is given when it is finished.
    pub fn new() -> Self {
        Svg {
            out: String::with_capacity(1 << 20),
            open: Vec::new(),
        }
    }

    fn start_tag(&mut self, tag: &'static str, attrs: Attrs<'_>) {
        for _ in 0..self.open.len() {
            self.out.push(' ');
        }
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", escape(v));
        }
    }

    /// Opens an element; close it with [`Svg::close`].
    pub fn open(&mut self, tag: &'static str, attrs: Attrs<'_>) {
        self.start_tag(tag, attrs);
        self.out.push_str(">\n");
        self.open.push(tag);
    }

    /// Opens a group with an id (built from fixed names, never from data).
    pub fn group(&mut self, id: &str, attrs: Attrs<'_>) {
        let mut all: Vec<(&'static str, String)> = vec![("id", id.to_string())];
        all.extend(attrs.iter().cloned());
        self.open("g", &all);
    }

    /// Opens a group without an id.
    pub fn group_attrs(&mut self, attrs: Attrs<'_>) {
        self.open("g", attrs);
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            for _ in 0..self.open.len() {
                self.out.push(' ');
            }
            let _ = writeln!(self.out, "</{tag}>");
        }
    }

    /// An empty element (`<path …/>`).
    pub fn empty(&mut self, tag: &'static str, attrs: Attrs<'_>) {
        self.start_tag(tag, attrs);
        self.out.push_str("/>\n");
    }

    /// An element holding escaped text (`<text …>…</text>`, `<title>…</title>`).
    pub fn text_element(&mut self, tag: &'static str, attrs: Attrs<'_>, text: &str) {
        self.start_tag(tag, attrs);
        self.out.push('>');
        self.out.push_str(&escape(text));
        let _ = writeln!(self.out, "</{tag}>");
    }

    /// A `<text>` element at (x, y).
    pub fn text(&mut self, x: f64, y: f64, text: &str, attrs: Attrs<'_>) {
        let mut all: Vec<(&'static str, String)> = vec![("x", num(x)), ("y", num(y))];
        all.extend(attrs.iter().cloned());
        self.text_element("text", &all, text);
    }

    /// A `<title>` tooltip for the enclosing element.
    pub fn title(&mut self, text: &str) {
        self.text_element("title", &[], text);
    }

    /// A path.
    pub fn path(&mut self, d: String, attrs: Attrs<'_>) {
        if d.is_empty() {
            return;
        }
        let mut all: Vec<(&'static str, String)> = vec![("d", d)];
        all.extend(attrs.iter().cloned());
        self.empty("path", &all);
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: Attrs<'_>) {
        let mut all: Vec<(&'static str, String)> =
            vec![("cx", num(cx)), ("cy", num(cy)), ("r", num(r))];
        all.extend(attrs.iter().cloned());
        self.empty("circle", &all);
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: Attrs<'_>) {
        let mut all: Vec<(&'static str, String)> = vec![
            ("x", num(x)),
            ("y", num(y)),
            ("width", num(w.max(0.0))),
            ("height", num(h.max(0.0))),
        ];
        all.extend(attrs.iter().cloned());
        self.empty("rect", &all);
    }

    /// A straight line.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), attrs: Attrs<'_>) {
        let mut all: Vec<(&'static str, String)> = vec![
            ("x1", num(a.0)),
            ("y1", num(a.1)),
            ("x2", num(b.0)),
            ("y2", num(b.1)),
        ];
        all.extend(attrs.iter().cloned());
        self.empty("line", &all);
    }

    /// A rectangular clip path with a fixed id.
    pub fn clip_rect(&mut self, id: &str, x: f64, y: f64, w: f64, h: f64) {
        self.open("defs", &[]);
        self.open("clipPath", &[("id", id.to_string())]);
        self.rect(x, y, w, h, &[]);
        self.close();
        self.close();
    }

    /// Closes everything still open and returns the markup written so far, without the
    /// document wrapper: an SVG fragment for embedding in another document (the interactive
    /// HTML map puts it inside its own `<svg>` element).
    pub fn finish_fragment(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    /// Closes everything still open and returns the document, `width` × `height` px, on a
    /// white page, with the shipped font as the default.
    pub fn finish(mut self, width: f64, height: f64) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        let mut doc = Svg::new();
        doc.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        doc.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg".into()),
                ("version", "1.1".into()),
                ("width", num(width)),
                ("height", num(height)),
                ("viewBox", format!("0 0 {} {}", num(width), num(height))),
                ("font-family", super::style::FONT_FAMILY.into()),
            ],
        );
        doc.rect(
            0.0,
            0.0,
            width,
            height,
            &[("fill", super::style::PAPER.into())],
        );
        let mut out = doc.out;
        out.reserve(self.out.len() + 8);
        out.push_str(&self.out);
        out.push_str("</svg>\n");
        out
    }
}

impl Default for Svg {
    fn default() -> Self {
        Svg::new()
    }
}

/// A text attribute list: size, fill, optional weight and anchor, with a white halo.
pub fn text_attrs(size: f64, fill: &str, bold: bool, halo: bool) -> Vec<(&'static str, String)> {
    let mut a = vec![("font-size", num(size)), ("fill", fill.to_string())];
    if bold {
        a.push(("font-weight", "bold".into()));
    }
    if halo {
        a.push(("stroke", "#ffffff".into()));
        a.push(("stroke-width", "3".into()));
        a.push(("stroke-linejoin", "round".into()));
        a.push(("paint-order", "stroke".into()));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_drops_forbidden_and_bidi() {
        let s =
            "a\u{0}\u{8}\u{B}\u{C}\u{E}\u{1F}\u{FFFE}\u{FFFF}\u{202A}\u{202E}\u{2066}\u{2069}b\t\n";
        assert_eq!(escape(s), "ab&#9;&#10;");
        assert_eq!(escape("-->"), "--&gt;");
    }

    #[test]
    fn writer_closes_everything() {
        let mut s = Svg::new();
        s.group("a", &[]);
        s.text(1.0, 2.0, "<x>", &[("class", "t\"".into())]);
        let out = s.finish(10.0, 10.0);
        assert!(out.ends_with("</svg>\n"));
        assert!(out.contains("class=\"t&quot;\">&lt;x&gt;</text>"));
    }
}
