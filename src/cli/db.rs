//! `bordermap db`: the shared PostGIS store (init, push, pull, log, delete).

use super::common::{InputOpts, db_url};
use super::{Outcome, summary};
use bordermap::Result;
use bordermap::output::{update_atomic, write_atomic};
use bordermap::store::{Base, PushReport, Store, base_path};
use clap::{Args, Subcommand};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Arguments of `bordermap db`.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The database: postgresql://user@host:port/dbname[?sslmode=require|verify-full]
    /// (default: $BORDERMAP_DB). The password comes from the URL, PGPASSWORD or ~/.pgpass.
    #[arg(long, global = true, value_name = "URL")]
    pub db: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: DbCommand,
}

/// The `db` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum DbCommand {
    /// Create or upgrade the schema (idempotent; creates PostGIS when allowed).
    Init,
    /// Upsert the incidents of an incidents GeoJSON file; report conflicts.
    Push(PushArgs),
    /// Write the store's incidents as incidents GeoJSON (and FILE.revisions.json).
    Pull(PullArgs),
    /// List changes: who (the database role), when, what.
    Log(LogArgs),
    /// Soft-delete incidents (they stay in the store, with who and when).
    Delete(DeleteArgs),
}

/// Arguments of `bordermap db push`.
#[derive(Debug, Clone, Args)]
pub struct PushArgs {
    /// An incidents GeoJSON file (`build`, `import`, `merge` or `db pull` output).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The revisions the file was pulled at (default: FILE.revisions.json, when it exists).
    #[arg(long, value_name = "FILE")]
    pub base: Option<PathBuf>,
    /// Apply conflicting changes too (the store's versions stay in the history).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub input_opts: InputOpts,
}

/// Arguments of `bordermap db pull`.
#[derive(Debug, Clone, Args)]
pub struct PullArgs {
    /// Where to write (`-` for stdout, without the revisions file).
    #[arg(short, long, value_name = "FILE", default_value = "-")]
    pub output: PathBuf,
}

/// Arguments of `bordermap db log`.
#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// Only changes at or after this time: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only changes of this incident.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
}

/// Arguments of `bordermap db delete`.
#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    /// The incident ids.
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
}

/// `bordermap db …`.
pub fn run(args: &DbArgs) -> Result<Outcome> {
    let url = db_url(args.db.as_deref())?;
    match &args.command {
        DbCommand::Init => init(&url),
        DbCommand::Push(a) => push(&url, a),
        DbCommand::Pull(a) => pull(&url, a),
        DbCommand::Log(a) => log(&url, a),
        DbCommand::Delete(a) => delete(&url, a),
    }
}

fn text(stdout: String) -> Outcome {
    Outcome {
        stdout,
        ..Outcome::default()
    }
}

fn init(url: &str) -> Result<Outcome> {
    let mut store = Store::connect(url)?;
    let r = store.init()?;
    let what = if r.from == r.to {
        format!("schema version {} (already up to date)", r.to)
    } else if r.from == 0 {
        format!("schema version {} created", r.to)
    } else {
        format!("schema upgraded from version {} to {}", r.from, r.to)
    };
    Ok(text(format!(
        "{}: {what}; PostGIS {}\n",
        store.name(),
        r.postgis
    )))
}

fn push(url: &str, args: &PushArgs) -> Result<Outcome> {
    let text_in = bordermap::input::read_text(&args.file, args.input_opts.bytes())?;
    let features = bordermap::geojson_io::read_points(&args.file, &text_in)?;
    let base_file = args
        .base
        .clone()
        .or_else(|| Some(base_path(&args.file)).filter(|p| p.exists()));
    let base = base_file.as_deref().map(Base::read).transpose()?;
    let mut store = Store::open(url)?;
    let r = store.push(&args.file, &features, base.as_ref(), args.force)?;
    if let (Some(path), Some(mut b)) = (base_file, base) {
        b.revisions.extend(r.revisions.clone());
        update_atomic(&path, b.to_json().as_bytes(), &[args.file.as_path()])?;
    }
    Ok(Outcome {
        stdout: push_text(&args.file, &r),
        failed: !r.conflicts.is_empty(),
        ..Outcome::default()
    })
}

fn push_text(file: &Path, r: &PushReport) -> String {
    let mut out = format!(
        "{}: inserted: {}, updated: {}, unchanged: {}, conflicting: {}\n",
        file.display(),
        r.inserted,
        r.updated,
        r.unchanged,
        r.conflicts.len()
    );
    if r.stale > 0 {
        let _ = writeln!(
            out,
            "  {} of the unchanged are older in the file than in the store (the store's newer versions were kept; pull to update the file)",
            r.stale
        );
    }
    for c in &r.conflicts {
        let base = c.base_revision.map_or_else(
            || "the file was not pulled from this store".to_string(),
            |b| format!("the file has revision {b}"),
        );
        let deleted = c
            .deleted_by
            .as_ref()
            .map_or_else(String::new, |by| format!(", deleted by {by}"));
        let _ = writeln!(
            out,
            "conflict: {}: the store has revision {} (by {} at {}{deleted}); {base}",
            c.id, c.store_revision, c.changed_by, c.changed_at
        );
        for (field, theirs, yours) in c.differences() {
            let _ = writeln!(
                out,
                "  {field}:\n    store: {}\n    file:  {}",
                short(&theirs),
                short(&yours)
            );
        }
    }
    if !r.conflicts.is_empty() {
        out.push_str(
            "conflicting incidents were not applied: pull, redo the edits on the store's version and push again, or push --force to overwrite (the store's version stays in the history)\n",
        );
    }
    out
}

fn short(s: &str) -> String {
    const MAX: usize = 160;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

fn pull(url: &str, args: &PullArgs) -> Result<Outcome> {
    let mut store = Store::open(url)?;
    let pulled = store.pull()?;
    write_atomic(&args.output, pulled.geojson.as_bytes(), &[])?;
    let n = pulled.base.revisions.len();
    if args.output.as_os_str() == "-" {
        return Ok(Outcome::default());
    }
    let revisions = base_path(&args.output);
    write_atomic(&revisions, pulled.base.to_json().as_bytes(), &[])?;
    Ok(text(summary(
        &args.output,
        format!(
            "pulled {n} incidents from {} (revisions in {})",
            store.name(),
            revisions.display()
        ),
    )))
}

fn log(url: &str, args: &LogArgs) -> Result<Outcome> {
    let mut store = Store::open(url)?;
    let changes = store.log(args.since.as_deref(), args.id.as_deref())?;
    let mut out = String::new();
    for c in &changes {
        let fields = if c.fields.is_empty() {
            String::new()
        } else {
            format!("  {}", c.fields.join(", "))
        };
        let _ = writeln!(
            out,
            "{}  {:<12} {:<8} {}  rev {}{fields}",
            c.at, c.by, c.action, c.id, c.revision
        );
    }
    if changes.is_empty() {
        out.push_str("no changes\n");
    }
    Ok(text(out))
}

fn delete(url: &str, args: &DeleteArgs) -> Result<Outcome> {
    let mut store = Store::open(url)?;
    let r = store.delete(&args.ids)?;
    let mut out = format!(
        "deleted: {}, already deleted: {}, unknown: {}\n",
        r.deleted.len(),
        r.already.len(),
        r.unknown.len()
    );
    for id in &r.unknown {
        let _ = writeln!(out, "unknown id: {id}");
    }
    Ok(Outcome {
        stdout: out,
        failed: !r.unknown.is_empty(),
        ..Outcome::default()
    })
}
