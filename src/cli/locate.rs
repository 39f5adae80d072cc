//! `bordermap locate`: look a place name up, as text or JSON.

use super::Outcome;
use super::common::{GazetteerOpts, InputOpts, PlaceContext};
use bordermap::gazetteer::Status;
use bordermap::{Error, Result};
use clap::{Args, ValueEnum};

/// Output formats for `locate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LocateFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `bordermap locate`.
#[derive(Debug, Clone, Args)]
pub struct LocateArgs {
    /// The name: Vorukh, Voruh, Ворух, …
    pub name: String,
    #[command(flatten)]
    pub context: PlaceContext,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LocateFormat::Text)]
    pub format: LocateFormat,
    /// Exit with code 1 when the name is ambiguous or not found (a fuzzy spelling that the
    /// context does not confirm is never matched).
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub gazetteer: GazetteerOpts,
    #[command(flatten)]
    pub input: InputOpts,
}

/// `bordermap locate`.
pub fn run(a: &LocateArgs) -> Result<Outcome> {
    if a.name.trim().is_empty() {
        return Err(Error::Usage("locate: the name is empty".into()));
    }
    let g = a.gazetteer.load(&a.input)?;
    let ctx = a.context.context(&g)?;
    let l = g.lookup(&a.name, &ctx);
    let stdout = match a.format {
        LocateFormat::Json => format!("{}\n", g.lookup_json(&l)),
        LocateFormat::Text => {
            let mut s = format!("{:?}: {} — {}\n", l.query, l.status.as_str(), l.reason);
            for (i, c) in l.candidates.iter().enumerate() {
                let p = g.place(c.place);
                let mark = if i == 0 && l.status == Status::Matched {
                    "*"
                } else {
                    " "
                };
                s.push_str(&format!(
                    "{mark} {:<45} {:>10.5} {:>10.5}  {:<14} {:.3}  matched {:?}\n",
                    g.describe(c.place),
                    p.position.lat(),
                    p.position.lon(),
                    c.method.as_str(),
                    c.score,
                    c.matched_name
                ));
            }
            s
        }
    };
    Ok(Outcome {
        stdout,
        diagnostics: vec![],
        failed: a.strict && l.status != Status::Matched,
    })
}
