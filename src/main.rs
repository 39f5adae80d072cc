//! The `bordermap` binary: parse the arguments, run the subcommand, print its output and
//! diagnostics, exit.
//!
//! Exit codes: 0 success; 1 data problems (or any warning under `--strict`), or an output
//! that could not be written (a full disk, a closed stdout); 2 usage errors; 130 when
//! interrupted (SIGINT, SIGTERM or SIGHUP: the temporary files being written are removed
//! first); 141 when the reader of stdout went away (a closed pipe, as in `… | head -1`),
//! which ends quietly with the status a shell reports for a process ended by SIGPIPE.

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod cli;

/// mimalloc instead of the system allocator: an import or export of 100,000 rows makes
/// millions of short-lived strings, and glibc's allocator spent about 40 % of the time of a
/// 150,000-row import on them (bench/RESULTS.md). Built without asking the kernel for
/// transparent huge pages (the `no_thp` feature): each first touch of one clears 2 MiB,
/// and on the benchmark machine the radius batch over a million incidents spent half as
/// much system time without them (bench/RESULTS.md, 2026-12-02).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bordermap::{Diagnostic, Error};
use clap::Parser;
use std::collections::BTreeMap;
use std::io::Write;

/// The exit status for a closed stdout pipe: 128 + SIGPIPE, as a shell reports it.
const BROKEN_PIPE_EXIT: i32 = 141;

/// The exit status after SIGINT, SIGTERM or SIGHUP: 128 + SIGINT.
const INTERRUPTED_EXIT: i32 = 130;

fn main() {
    // On a termination signal, remove the temporary files being written, then exit: the
    // handler runs on its own thread (the `ctrlc` crate), and the library keeps the list.
    let _ = ctrlc::set_handler(|| {
        bordermap::output::remove_temporary_files();
        let _ = writeln!(std::io::stderr(), "bordermap: interrupted");
        std::process::exit(INTERRUPTED_EXIT);
    });
    let code = match cli::Cli::parse().command.run() {
        Ok(outcome) => {
            match bordermap::output::write_atomic("-".as_ref(), outcome.stdout.as_bytes(), &[]) {
                Ok(()) => {
                    report(&outcome.diagnostics);
                    outcome.exit_code()
                }
                Err(e) => fail(&e),
            }
        }
        Err(e) => fail(&e),
    };
    std::process::exit(code);
}

/// Prints the error (unless stdout's reader went away: then quietly) and returns the code.
fn fail(e: &Error) -> i32 {
    if let Error::Io { source, .. } = e
        && source.kind() == std::io::ErrorKind::BrokenPipe
    {
        return BROKEN_PIPE_EXIT;
    }
    let _ = writeln!(std::io::stderr(), "bordermap: error: {e}");
    e.exit_code()
}

/// Prints each diagnostic, then a count per kind.
fn report(diags: &[Diagnostic]) {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
        *by_kind.entry(d.kind).or_default() += 1;
    }
    for (kind, n) in by_kind {
        let _ = writeln!(err, "bordermap: {n} × {kind}");
    }
}
