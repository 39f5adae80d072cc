//! Assembles the page from the template, the stylesheet and the script in `assets/html/`,
//! the base map fragment and the embedded data.
//!
//! Safety rules:
//! - the title is the only text placed in markup here, through
//!   [`crate::xml::escape`], the one escaping function;
//! - data goes into `<script type="application/json">` blocks, escaped by [`script_json`] so
//!   that no `</script>`, `<!--` or line separator inside a string can end the block;
//! - the template is filled in one pass, so a `{{…}}` inside a substituted value is never
//!   expanded.

use super::csp;
use crate::render::style;
use crate::xml::escape;
use serde_json::{Map, Value};
use std::io::Write;

const TEMPLATE: &str = include_str!("../../assets/html/page.html");
const CSS: &str = include_str!("../../assets/html/map.css");
const JS: &str = include_str!("../../assets/html/map.js");

/// JSON text that is safe inside a `<script>` element: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`, and U+2028/U+2029 become `\u2028`/`\u2029`. These characters can
/// only occur inside JSON strings, where the escapes mean the same characters, so the text
/// parses to the same value, less the characters [`crate::xml::escape`] drops (bidi
/// overrides and isolates, U+FFFE, U+FFFF), which the page never shows.
///
/// # Examples
/// ```
/// use bordermap::html::page::script_json;
/// let v = serde_json::json!({"t": "</script><script>alert(1)</script>\u{2028}"});
/// let s = script_json(&v);
/// assert!(!s.contains('<') && !s.contains('>') && !s.contains('\u{2028}'));
/// assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
/// let bidi = script_json(&serde_json::json!({"t": "a\u{202E}b\u{2066}c"}));
/// assert_eq!(bidi, r#"{"t":"abc"}"#);
/// ```
pub fn script_json(v: &Value) -> String {
    let mut out = String::new();
    push_script_safe(&v.to_string(), &mut out);
    out
}

/// Appends JSON text `raw` to `out`, made safe inside a `<script>` element as
/// [`script_json`] says: the one place this escaping is done.
fn push_script_safe(raw: &str, out: &mut String) {
    out.reserve(raw.len() + raw.len() / 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            // As in all markup: no bidi overrides or characters XML forbids (raw, they can
            // only be inside strings; serde_json writes C0 controls as escapes).
            c if crate::xml::is_dropped(c) => {}
            c => out.push(c),
        }
    }
}

/// Writes `v` as [`script_json`] would make it, reusing `scratch` (so that writing many
/// values one after another allocates once).
pub(crate) fn write_script_json(
    w: &mut dyn Write,
    v: &Value,
    scratch: &mut String,
) -> std::io::Result<()> {
    scratch.clear();
    push_script_safe(&v.to_string(), scratch);
    w.write_all(scratch.as_bytes())
}

/// The stylesheet: the static map's colours as CSS variables, then `assets/html/map.css`.
pub fn stylesheet() -> String {
    format!(
        ":root{{--paper:{};--ink:{};--ink-soft:{};--land-other:{};--border:{};--boundary:{};\
         --disputed:{};--agreed:{};--water:{};}}\n{CSS}",
        style::PAPER,
        style::INK,
        style::INK_SOFT,
        style::LAND_OTHER,
        style::BORDER,
        style::BOUNDARY,
        style::DISPUTED,
        style::AGREED,
        style::WATER_LINE,
    )
}

/// Fills `{{NAME}}` placeholders in one pass; unknown names are left as they are.
///
/// # Examples
/// ```
/// use bordermap::html::page::fill;
/// let out = fill("<p>{{A}}</p>{{B}}", &[("A", "{{B}}"), ("B", "b")]);
/// assert_eq!(out, "<p>{{B}}</p>b");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find("}}") {
            Some(j) => {
                let name = &after[..j];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[i..i + 2 + j + 2]),
                }
                rest = &after[j + 2..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes `items` as a JSON array, each item as [`script_json`] makes it.
fn write_array(
    w: &mut dyn Write,
    items: impl Iterator<Item = Value>,
    scratch: &mut String,
) -> std::io::Result<()> {
    w.write_all(b"[")?;
    for (i, v) in items.enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_script_json(w, &v, scratch)?;
    }
    w.write_all(b"]")
}

/// What the page embeds, written one part at a time: the incidents' GeoJSON and the view
/// model, whose `incidents` entry (left null in `model`) is written from `views`. Each
/// feature and view is made, written and dropped in turn, so a large page is never held
/// in memory.
pub(crate) struct Data<'a, F, V> {
    /// The incidents' features, in order.
    pub features: F,
    /// The view model, `incidents` null.
    pub model: &'a Map<String, Value>,
    /// The incidents' views, in order.
    pub views: V,
}

/// Writes the whole page: the template filled as [`fill`] does, with the two data blocks
/// streamed from `data`.
pub(crate) fn write_page<F, V>(
    w: &mut dyn Write,
    title: &str,
    world_svg: &str,
    data: Data<'_, F, V>,
) -> std::io::Result<()>
where
    F: Iterator<Item = Value>,
    V: Iterator<Item = Value>,
{
    let css = stylesheet();
    let policy = csp::policy(JS, &css);
    let escaped = escape(title);
    let values = [
        ("CSP", policy.as_str()),
        ("TITLE", escaped.as_str()),
        ("STYLE", css.as_str()),
        ("WORLD", world_svg),
        ("SCRIPT", JS),
    ];
    // Each placeholder is in the template once (a test checks it), so filling the parts
    // between the data blocks one by one is filling the whole in one pass.
    let (head, rest) = TEMPLATE
        .split_once("{{INCIDENTS}}")
        .unwrap_or((TEMPLATE, ""));
    let (middle, tail) = rest.split_once("{{MODEL}}").unwrap_or((rest, ""));
    let mut scratch = String::new();
    w.write_all(fill(head, &values).as_bytes())?;
    w.write_all(br#"{"type":"FeatureCollection","features":"#)?;
    write_array(w, data.features, &mut scratch)?;
    w.write_all(b"}")?;
    w.write_all(fill(middle, &values).as_bytes())?;
    w.write_all(b"{")?;
    let mut views = Some(data.views);
    for (i, (key, value)) in data.model.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_script_json(w, &Value::String(key.clone()), &mut scratch)?;
        w.write_all(b":")?;
        match views.take_if(|_| key == "incidents") {
            Some(views) => write_array(w, views, &mut scratch)?,
            None => write_script_json(w, value, &mut scratch)?,
        }
    }
    w.write_all(b"}")?;
    w.write_all(fill(tail, &values).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_cannot_end_their_elements_early() {
        let lower = JS.to_ascii_lowercase();
        assert!(!lower.contains("</script") && !lower.contains("<!--"));
        assert!(!CSS.to_ascii_lowercase().contains("</style"));
    }

    #[test]
    fn template_has_each_placeholder_once() {
        for name in [
            "CSP",
            "TITLE",
            "STYLE",
            "WORLD",
            "INCIDENTS",
            "MODEL",
            "SCRIPT",
        ] {
            let n = TEMPLATE.matches(&format!("{{{{{name}}}}}")).count();
            let want = if name == "TITLE" { 2 } else { 1 };
            assert_eq!(n, want, "{name}");
        }
    }

    #[test]
    fn script_json_escapes_separators_and_markup() {
        let v = serde_json::json!(["a&b", "<!--", "\u{2029}"]);
        assert_eq!(script_json(&v), r#"["a\u0026b","\u003c!--","\u2029"]"#);
    }
}
