//! Progress bars for long imports, exports and downloads: shown only for more than
//! [`THRESHOLD`] rows (or [`BYTES_THRESHOLD`] bytes downloaded) and only when stderr is a
//! terminal, so pipes, logs and tests stay silent.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Above this many rows a progress bar is shown (on a terminal).
pub const THRESHOLD: u64 = 100_000;

/// A progress bar for `total` rows with `message`, or a hidden one when `total` is at most
/// [`THRESHOLD`] or stderr is not a terminal.
///
/// # Examples
/// ```
/// let bar = bordermap::progress::bar(10, "import");
/// assert!(bar.is_hidden());
/// ```
pub fn bar(total: u64, message: &'static str) -> ProgressBar {
    if total <= THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows ({eta} left)")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// Above this many bytes a download shows a progress bar (on a terminal).
pub const BYTES_THRESHOLD: u64 = 16 << 20;

/// A progress bar for a download of `total` bytes with `message`, or a hidden one when
/// `total` is at most [`BYTES_THRESHOLD`] or stderr is not a terminal.
///
/// # Examples
/// ```
/// let bar = bordermap::progress::bytes_bar(1 << 20, "downloading");
/// assert!(bar.is_hidden());
/// ```
pub fn bytes_bar(total: u64, message: &'static str) -> ProgressBar {
    if total <= BYTES_THRESHOLD || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}
