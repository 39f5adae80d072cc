//! The `bordermap` binary: parse the arguments, run the subcommand, print its output and
//! diagnostics, exit.
//!
//! Exit codes: 0 success; 1 data problems (or any warning under `--strict`); 2 usage errors.

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod cli;

/// mimalloc instead of the system allocator: an import or export of 100,000 rows makes
/// millions of short-lived strings, and glibc's allocator spent about 40 % of the time of a
/// 150,000-row import on them (bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use bordermap::Diagnostic;
use clap::Parser;
use std::collections::BTreeMap;
use std::io::Write;

fn main() {
    let code = match cli::Cli::parse().command.run() {
        Ok(outcome) => {
            print!("{}", outcome.stdout);
            let _ = std::io::stdout().flush();
            report(&outcome.diagnostics);
            outcome.exit_code()
        }
        Err(e) => {
            eprintln!("bordermap: error: {e}");
            e.exit_code()
        }
    };
    std::process::exit(code);
}

/// Prints each diagnostic, then a count per kind.
fn report(diags: &[Diagnostic]) {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diags {
        eprintln!("{d}");
        *by_kind.entry(d.kind).or_default() += 1;
    }
    for (kind, n) in by_kind {
        eprintln!("bordermap: {n} × {kind}");
    }
}
