//! The `bordermap` binary: parse the arguments, call the library, print diagnostics, exit.
//!
//! Exit codes: 0 success; 1 data problems (or any warning under `--strict`); 2 usage errors.

use bordermap::Diagnostic;
use bordermap::cli::{Cli, Command};
use bordermap::commands::{self, LocateArgs, Outcome};
use clap::Parser;
use std::collections::BTreeMap;
use std::io::Write;

fn main() {
    let cli = Cli::parse();
    let result = run(cli.command);
    let code = match result {
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

fn run(command: Command) -> bordermap::Result<Outcome> {
    match command {
        Command::Build {
            out_dir,
            incidents,
            geocode,
            input,
        } => commands::build(
            &out_dir,
            incidents.as_deref(),
            geocode.strict,
            mib(input.max_input_mb),
        ),
        Command::Geocode {
            input,
            output,
            geocode,
            input_opts,
        } => commands::geocode(
            &input,
            &output,
            geocode.strict,
            mib(input_opts.max_input_mb),
        ),
        Command::Locate {
            name,
            country,
            admin1,
            admin2,
            near,
            format,
            strict,
        } => commands::locate(&LocateArgs {
            name,
            country,
            admin1,
            admin2,
            near,
            format,
            strict,
        }),
        Command::Near(args) => commands::near(&args),
        Command::Within(args) => commands::within(&args),
        Command::Geodata { reference, out_dir } => commands::geodata(&reference, &out_dir),
    }
}

fn mib(mb: u64) -> u64 {
    mb.saturating_mul(1024 * 1024)
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
