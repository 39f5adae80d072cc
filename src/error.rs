//! The library's one error type, and the non-fatal [`Diagnostic`]s that travel with results.
//!
//! A fatal [`Error`] stops the command; it always says *where* (a file with a line and
//! column, or a feature index and id) and *what* (the offending value). A [`Diagnostic`] is a
//! problem with one record that does not stop the run: it is returned as data, and the
//! binary prints each kind once with a count.

use std::fmt;
use std::path::PathBuf;

/// The result type used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can stop a bordermap command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened, read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file's bytes are not UTF-8 text (or are UTF-16, which is refused with its own message).
    #[error("{path}:{line}:{column}: {message}")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file is syntactically or semantically invalid at a known line and column.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong, with the offending value.
        message: String,
    },
    /// A record (an incident, a feature, a row) is invalid.
    #[error("{path}: {record}: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// Which record: `line 12`, `feature 3 (id "x")`, `incident "kgtj-…"`.
        record: String,
        /// What is wrong, with the offending value.
        message: String,
    },
    /// The input is larger than the cap; the message names the flag that lifts it.
    #[error(
        "{path}: the file is {size} bytes, over the {cap}-byte limit; pass --max-input-mb to read it"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        cap: u64,
    },
    /// The command line asks for something impossible (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// A place name could not be turned into one point (exit code 1).
    #[error("{0}")]
    Place(String),
    /// An output could not be made: encoding a PNG, writing a CSV, KML or FlatGeobuf, or
    /// projecting a map (exit code 1: the data or the machine, not the command line).
    #[error("{0}")]
    Output(String),
    /// The shared PostGIS store could not be reached or used: no server, a refused login, a
    /// missing PostGIS extension, a schema from a newer bordermap, a failed statement
    /// (exit code 1). `target` names the database without its password.
    #[error("{target}: {message}")]
    Store {
        /// The database, as `postgresql://user@host:port/dbname` (never with a password).
        target: String,
        /// What went wrong, and what to do about it.
        message: String,
    },
}

impl Error {
    /// Builds an [`Error::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Builds an [`Error::Record`].
    pub fn record(
        path: impl Into<PathBuf>,
        record: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Record {
            path: path.into(),
            record: record.into(),
            message: message.into(),
        }
    }

    /// The process exit code for this error: 2 for usage errors, 1 for everything else.
    ///
    /// # Examples
    /// ```
    /// use bordermap::Error;
    /// assert_eq!(Error::Usage("bad flag".into()).exit_code(), 2);
    /// assert_eq!(Error::Place("unknown".into()).exit_code(), 1);
    /// // A map that cannot be encoded is not the user's typing mistake: exit 1.
    /// let e = bordermap::render::svg_to_png("not an SVG").unwrap_err();
    /// assert!(matches!(e, Error::Output(_)) && e.exit_code() == 1, "{e}");
    /// ```
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// How serious a non-fatal problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; never changes the exit code.
    Note,
    /// Something is uncertain or was skipped; `--strict` turns it into exit code 1.
    Warning,
}

/// A non-fatal problem with one record, returned as data next to a result.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short, stable kind used to group messages (`ambiguous_place`, `unresolved_place`, …).
    pub kind: &'static str,
    /// Where: a record id, a line number, a feature index.
    pub location: String,
    /// What happened, with the value.
    pub message: String,
}

impl Diagnostic {
    /// A warning of `kind` at `location`.
    pub fn warning(
        kind: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            kind,
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.location, self.message)
    }
}
