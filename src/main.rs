//! The `bordermap` binary: parse the arguments, run the subcommand, print its output and
//! diagnostics, exit.
//!
//! Exit codes: 0 success; 1 data problems (or any warning under `--strict`); 2 usage errors.

#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod cli;

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
