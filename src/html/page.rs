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
use serde_json::Value;

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
    let raw = v.to_string();
    let mut out = String::with_capacity(raw.len() + raw.len() / 16);
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
    out
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

/// The whole page.
pub(crate) fn assemble(title: &str, world_svg: &str, incidents: &Value, model: &Value) -> String {
    let css = stylesheet();
    let policy = csp::policy(JS, &css);
    fill(
        TEMPLATE,
        &[
            ("CSP", &policy),
            ("TITLE", &escape(title)),
            ("STYLE", &css),
            ("WORLD", world_svg),
            ("INCIDENTS", &script_json(incidents)),
            ("MODEL", &script_json(model)),
            ("SCRIPT", JS),
        ],
    )
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
