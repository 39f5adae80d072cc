//! The one escaping function for every markup bordermap writes: the SVG maps, the KML
//! export and the HTML page. Data never becomes markup: it is escaped here, once per format
//! layer (KML's HTML description is escaped as HTML, then again as XML).

/// Escapes text for an XML text node or a double- or single-quoted attribute value.
///
/// Escapes `&`, `<`, `>`, `"` and `'`, and writes tab, line feed and carriage return as
/// character references so that parsers do not normalise them; drops the characters XML 1.0
/// forbids (U+0000–U+0008,
/// U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF) and the bidirectional override and
/// isolate controls (U+202A–U+202E, U+2066–U+2069), which could reorder what a reader sees.
///
/// # Examples
/// ```
/// use bordermap::xml::escape;
/// assert_eq!(escape("a&b"), "a&amp;b");
/// assert_eq!(escape("x\" onload=\"alert(1)"), "x&quot; onload=&quot;alert(1)");
/// assert_eq!(escape("</text>"), "&lt;/text&gt;");
/// assert_eq!(escape("it's"), "it&apos;s");
/// assert_eq!(escape("a\u{1}b\u{202E}c"), "abc");
/// assert_eq!(escape("a\r\nb"), "a&#13;&#10;b");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML parsers normalise these (CR and CRLF to LF; in attribute values all three
            // to spaces); character references keep them exactly.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// True for characters [`escape`] drops.
pub fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}'
        | '\u{FFFE}' | '\u{FFFF}'
        | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
