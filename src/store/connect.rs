//! Connecting to the store: the database URL, the password (URL, `PGPASSWORD` or the
//! password file), TLS as the URL's `sslmode` asks, time-outs, and errors that say what
//! went wrong without ever showing the password.

use crate::error::{Error, Result};
use native_tls::{Certificate, TlsConnector};
use postgres::config::{Host, SslMode};
use postgres::{Client, Config};
use postgres_native_tls::MakeTlsConnector;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// How long a connection attempt may take when the URL sets no `connect_timeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest one statement may run on the server (`statement_timeout`), the longest a
/// push waits for another push to finish (`lock_timeout`), and times in UTC.
const SESSION_OPTIONS: &str = "-c statement_timeout=600000 -c lock_timeout=120000 -c TimeZone=UTC";

/// How the server's certificate is checked, after libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// `disable`: plain TCP.
    Disable,
    /// `prefer` (the default): TLS when the server offers it, without checking the certificate.
    Prefer,
    /// `require`: TLS or nothing, without checking the certificate (as libpq).
    Require,
    /// `verify-ca`: TLS, and the certificate must chain to a trusted root.
    VerifyCa,
    /// `verify-full`: as `verify-ca`, and the certificate must name the host.
    VerifyFull,
}

/// A parsed database URL: the driver's configuration, the TLS mode, and a printable name.
#[derive(Debug, Clone)]
pub struct Target {
    config: Config,
    tls: Tls,
    root_cert: Option<PathBuf>,
    /// `postgresql://user@host:port/dbname`: never the password.
    pub display: String,
}

impl Target {
    /// Parses a `postgresql://user[:password]@host[:port]/dbname[?param=value&…]` URL.
    /// `sslmode` may be `disable`, `prefer`, `require`, `verify-ca` or `verify-full`;
    /// `sslrootcert` names a PEM file of trusted roots. A password missing from the URL is
    /// taken from `PGPASSWORD`, else from the password file (`PGPASSFILE` or `~/.pgpass`).
    ///
    /// # Examples
    /// ```
    /// use bordermap::store::Target;
    /// let t = Target::parse("postgresql://alice:s3cret@db.example:5433/desk?sslmode=verify-full").unwrap();
    /// assert_eq!(t.display, "postgresql://alice@db.example:5433/desk");
    /// let e = Target::parse("mysql://x").unwrap_err();
    /// assert_eq!(e.exit_code(), 2);
    /// ```
    pub fn parse(url: &str) -> Result<Target> {
        let usage = |m: String| Error::Usage(format!("--db: {m}"));
        let rest = url
            .strip_prefix("postgresql://")
            .or_else(|| url.strip_prefix("postgres://"))
            .ok_or_else(|| {
                usage(format!(
                    "{:?} is not a database URL; expected postgresql://user@host:port/dbname",
                    redact_url(url)
                ))
            })?;
        let (base, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut tls = Tls::Prefer;
        let mut root_cert = None;
        let mut kept = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "sslmode" => {
                    tls = match v {
                        "disable" => Tls::Disable,
                        "allow" | "prefer" => Tls::Prefer,
                        "require" => Tls::Require,
                        "verify-ca" => Tls::VerifyCa,
                        "verify-full" => Tls::VerifyFull,
                        other => {
                            return Err(usage(format!(
                                "sslmode={other:?} is unknown; expected disable, prefer, require, verify-ca or verify-full"
                            )));
                        }
                    }
                }
                "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(v))),
                _ => kept.push(pair),
            }
        }
        let rebuilt = if kept.is_empty() {
            format!("postgresql://{base}")
        } else {
            format!("postgresql://{base}?{}", kept.join("&"))
        };
        let mut config: Config = rebuilt
            .parse()
            .map_err(|e| usage(format!("{:?}: {e}", redact_url(url))))?;
        config.ssl_mode(match tls {
            Tls::Disable => SslMode::Disable,
            Tls::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(DEFAULT_CONNECT_TIMEOUT);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(Duration::from_secs(60));
        }
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_options().is_none() {
            config.options(SESSION_OPTIONS);
        }
        if config.get_application_name().is_none() {
            config.application_name("bordermap");
        }
        config.notice_callback(|_| {});
        let display = display_of(&config);
        let mut target = Target {
            config,
            tls,
            root_cert,
            display,
        };
        target.fill_password();
        Ok(target)
    }

    /// The role the connection logs in as.
    pub fn user(&self) -> String {
        self.config
            .get_user()
            .map(str::to_string)
            .or_else(|| std::env::var("PGUSER").ok())
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_default()
    }

    fn password(&self) -> Option<String> {
        self.config
            .get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    }

    /// Takes the password from `PGPASSWORD` (when not empty), else the password file, when
    /// the URL has none.
    fn fill_password(&mut self) {
        if self.config.get_password().is_some() {
            return;
        }
        if let Some(p) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
            self.config.password(p);
            return;
        }
        let Some(file) = pgpass_path() else { return };
        let Ok(text) = std::fs::read_to_string(&file) else {
            return;
        };
        if !private(&file) {
            return;
        }
        let (host, port) = self.host_port();
        let db = self
            .config
            .get_dbname()
            .map_or_else(|| self.user(), str::to_string);
        if let Some(p) = pgpass_lookup(&text, &host, &port.to_string(), &db, &self.user()) {
            self.config.password(p);
        }
    }

    fn host_port(&self) -> (String, u16) {
        let host = match self.config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            _ => "localhost".into(),
        };
        (
            host,
            self.config.get_ports().first().copied().unwrap_or(5432),
        )
    }

    /// A [`Error::Store`] about this database. Any trace of the password is removed.
    pub fn error(&self, message: impl Into<String>) -> Error {
        let mut message = message.into();
        if let Some(p) = self.password().filter(|p| !p.is_empty()) {
            message = message.replace(&p, "***");
        }
        Error::Store {
            target: self.display.clone(),
            message,
        }
    }

    /// Connects, within the connect time-out even when the server accepts the connection
    /// and then says nothing.
    pub fn connect(&self) -> Result<Client> {
        let tls = self.tls_connector()?;
        let config = self.config.clone();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(config.connect(tls));
        });
        let limit = self
            .config
            .get_connect_timeout()
            .copied()
            .unwrap_or(DEFAULT_CONNECT_TIMEOUT)
            + Duration::from_secs(2);
        match rx.recv_timeout(limit) {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(e)) => Err(self.connect_error(&e)),
            Err(_) => Err(self.error(format!(
                "the server did not answer within {} s (connect_timeout); is it running and reachable?",
                limit.as_secs()
            ))),
        }
    }

    fn tls_connector(&self) -> Result<MakeTlsConnector> {
        let mut b = TlsConnector::builder();
        match self.tls {
            Tls::Disable | Tls::Prefer | Tls::Require => {
                b.danger_accept_invalid_certs(true)
                    .danger_accept_invalid_hostnames(true);
            }
            Tls::VerifyCa => {
                b.danger_accept_invalid_hostnames(true);
            }
            Tls::VerifyFull => {}
        }
        let root = self.root_cert.clone().or_else(|| {
            home()
                .map(|h| h.join(".postgresql").join("root.crt"))
                .filter(|p| p.exists())
        });
        if let Some(path) = root.filter(|_| matches!(self.tls, Tls::VerifyCa | Tls::VerifyFull)) {
            let pem = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            let cert = Certificate::from_pem(&pem).map_err(|e| {
                self.error(format!(
                    "sslrootcert {}: not a PEM certificate: {e}",
                    path.display()
                ))
            })?;
            b.add_root_certificate(cert);
        }
        let connector = b
            .build()
            .map_err(|e| self.error(format!("TLS could not be set up: {e}")))?;
        Ok(MakeTlsConnector::new(connector))
    }

    /// A connection error in words a user can act on.
    fn connect_error(&self, e: &postgres::Error) -> Error {
        use postgres::error::SqlState;
        let user = self.user();
        let text = e.to_string();
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            let message = if *code == SqlState::INVALID_PASSWORD {
                format!(
                    "the server refused the password for role {user:?} (from the URL, PGPASSWORD or the password file)"
                )
            } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
                format!("the server refused role {user:?}: {}", db.message())
            } else if *code == SqlState::INVALID_CATALOG_NAME {
                format!("{}; create it first (createdb)", db.message())
            } else {
                format!("the server refused the connection: {}", db.message())
            };
            return self.error(message);
        }
        let cause = std::error::Error::source(e)
            .map(ToString::to_string)
            .unwrap_or(text);
        if cause.contains("password missing") {
            let hint = match pgpass_path() {
                Some(p) if p.exists() && !private(&p) => format!(
                    "; {} was ignored because others can read it (chmod 600)",
                    p.display()
                ),
                _ => String::new(),
            };
            return self.error(format!(
                "the server asks a password for role {user:?} and none was given (in the URL, PGPASSWORD or ~/.pgpass){hint}"
            ));
        }
        let tls = if matches!(self.tls, Tls::VerifyCa | Tls::VerifyFull | Tls::Require) {
            " (with TLS as sslmode asks)"
        } else {
            ""
        };
        self.error(format!(
            "cannot connect{tls}: {cause}; is the server running, and are host and port right?"
        ))
    }
}

/// `postgresql://user@host:port/dbname` from a configuration: never the password.
fn display_of(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or_default();
    let at = if user.is_empty() {
        String::new()
    } else {
        format!("{user}@")
    };
    format!(
        "postgresql://{at}{host}:{port}/{}",
        config.get_dbname().unwrap_or(user)
    )
}

/// The URL with any password replaced by `***`, for messages about a URL that did not parse.
///
/// # Examples
/// ```
/// use bordermap::store::redact_url;
/// assert_eq!(redact_url("postgresql://a:pw@h/d"), "postgresql://a:***@h/d");
/// assert_eq!(redact_url("postgresql://a@h/d?password=pw"), "postgresql://a@h/d?password=***");
/// ```
pub fn redact_url(url: &str) -> String {
    let (head, query) = url.split_once('?').unwrap_or((url, ""));
    let mut out = match head.split_once("://") {
        Some((scheme, rest)) => {
            let (auth, tail) = rest
                .split_once('@')
                .map_or((None, rest), |(a, t)| (Some(a), t));
            match auth {
                Some(a) => match a.split_once(':') {
                    Some((u, _)) => format!("{scheme}://{u}:***@{tail}"),
                    None => format!("{scheme}://{a}@{tail}"),
                },
                None => head.to_string(),
            }
        }
        None => head.to_string(),
    };
    if !query.is_empty() {
        let q: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some(("password", _)) => "password=***".to_string(),
                _ => p.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&q.join("&"));
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(h) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(h, 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

fn pgpass_path() -> Option<PathBuf> {
    std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".pgpass")))
}

/// True when only the owner may read the file (libpq ignores it otherwise).
fn private(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        path.exists()
    }
}

/// The password of the first line of a password file (`host:port:db:user:password`, `*`
/// matching anything, `\:` and `\\` escaped) that matches.
///
/// # Examples
/// ```
/// use bordermap::store::pgpass_lookup;
/// let text = "# comment\nother:5432:*:*:no\nlocalhost:*:desk:alice:pa\\:ss\n";
/// assert_eq!(pgpass_lookup(text, "localhost", "5433", "desk", "alice").as_deref(), Some("pa:ss"));
/// assert_eq!(pgpass_lookup(text, "localhost", "5433", "desk", "bob"), None);
/// ```
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass(line);
        let [h, p, d, u, pw] = fields.as_slice() else {
            continue;
        };
        let ok = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if ok(h, host) && ok(p, port) && ok(d, db) && ok(u, user) {
            return Some(pw.clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(last) = fields.last_mut()
                {
                    last.push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}
