//! The one safety function for CSV cells: a spreadsheet opening a CSV runs a cell that
//! starts with `=`, `+`, `-` or `@` (and, in some, one that starts with a tab or a carriage
//! return followed by such a character) as a formula, so `=HYPERLINK(…)` or `+cmd|…` taken
//! from the data would run on the reader's machine.
//!
//! As OWASP recommends ("CSV Injection"), such a cell gets a leading `'`, which spreadsheets
//! show as text and hide. A cell that is a plain number (`-3.5`, `+7`) is left alone, so that
//! numeric columns stay numeric. Every CSV bordermap writes passes its cells through
//! [`defuse`].

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
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number =
        cell.trim().parse::<f64>().is_ok_and(f64::is_finite) && !cell.starts_with(['\t', '\r']);
    if risky && !number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}
