//! The `bordermap` binary: parse the arguments, call the library, print diagnostics, exit.
//!
//! Exit codes: 0 success; 1 data problems (or any warning under `--strict`); 2 usage errors.

#![warn(clippy::unwrap_used, clippy::expect_used)]

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
        } => commands::build_with(
            &out_dir,
            incidents.as_deref(),
            geocode.strict,
            mib(input.max_input_mb),
            &commands::gazetteer_with(&geocode.gazetteer, mib(input.max_input_mb))?,
        ),
        Command::Geocode {
            input,
            output,
            geocode,
            input_opts,
        } => commands::geocode_with(
            &input,
            &output,
            geocode.strict,
            mib(input_opts.max_input_mb),
            &commands::gazetteer_with(&geocode.gazetteer, mib(input_opts.max_input_mb))?,
        ),
        Command::Locate {
            name,
            country,
            admin1,
            admin2,
            near,
            format,
            strict,
            gazetteer,
        } => commands::locate_with(
            &LocateArgs {
                name,
                country,
                admin1,
                admin2,
                near,
                format,
                strict,
            },
            &commands::gazetteer_with(&gazetteer, bordermap::input::DEFAULT_MAX_INPUT)?,
        ),
        Command::Render(args) => commands::render(&args),
        Command::Html(args) => commands::html(&args),
        Command::Near(args) => commands::near(&args),
        Command::Within(args) => commands::within(&args),
        Command::Import(args) => bordermap::import::run(&args),
        Command::Merge(args) => bordermap::merge::run(&args),
        Command::Export(args) => bordermap::export::run(&args),
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
