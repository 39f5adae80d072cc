//! The one safety function for CSV cells: a spreadsheet opening a CSV runs a cell that
//! starts with `=`, `+`, `-` or `@` (and, in some, one that starts with a tab or a carriage
//! return followed by such a character) as a formula, so `=HYPERLINK(…)` or `+cmd|…` taken
//! from the data would run on the reader's machine.
//!
//! As OWASP recommends ("CSV Injection"), such a cell gets a leading `'`, which spreadsheets
//! show as text and hide. A cell that is a plain number (`-3.5`, `+7`) is left alone, so that
//! numeric columns stay numeric. Every CSV bordermap writes passes its cells through
//! [`defuse`]: through the csv crate, or through [`csv_field`] for rows written by hand.

use std::borrow::Cow;

/// The cell, made safe to open in a spreadsheet.
///
/// # Examples
/// ```
/// use bordermap::spreadsheet::defuse;
/// assert_eq!(defuse("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(defuse("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
/// assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(defuse("\t=1+1"), "'\t=1+1");
/// assert_eq!(defuse("-2+3"), "'-2+3");
/// assert_eq!(defuse("-71.25"), "-71.25");
/// assert_eq!(defuse("Vorukh"), "Vorukh");
/// ```
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if !cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return Cow::Borrowed(cell);
    }
    let number =
        cell.trim().parse::<f64>().is_ok_and(f64::is_finite) && !cell.starts_with(['\t', '\r']);
    if number {
        Cow::Borrowed(cell)
    } else {
        Cow::Owned(format!("'{cell}"))
    }
}

/// The cell as one field of a CSV row that is written byte by byte rather than through the
/// csv crate (the batch answers of `near --queries`, written whole for speed): [`defuse`]d,
/// then quoted with its quotes doubled when it holds a comma, a quote or a line break, as the
/// csv crate quotes a field.
///
/// # Examples
/// ```
/// use bordermap::spreadsheet::csv_field;
/// assert_eq!(csv_field("Vorukh"), "Vorukh");
/// assert_eq!(csv_field("Ak-Sai, Batken"), "\"Ak-Sai, Batken\"");
/// assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(csv_field("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
/// assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(csv_field("-71.25"), "-71.25");
/// ```
pub fn csv_field(cell: &str) -> Cow<'_, str> {
    let cell = defuse(cell);
    if cell
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        Cow::Owned(format!("\"{}\"", cell.replace('"', "\"\"")))
    } else {
        cell
    }
}
