//! A throwaway PostgreSQL + PostGIS server for the store tests: one cluster per test
//! binary, made with `initdb` in a temporary directory, started with `pg_ctl` on a free
//! local port (TCP on 127.0.0.1 only), run as an unprivileged user when the tests run as
//! root (`initdb` refuses root), and stopped and removed by a watchdog when the test process
//! ends. Each test gets its own database.
//!
//! Without the server binaries or PostGIS, [`server`] returns `None` after printing why the
//! tests are skipped, except under `CI=true`, where it panics naming what is missing.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The superuser the cluster is made with.
pub const ADMIN: &str = "bordermap_admin";

/// Analyst roles made on every server: `(role, password)`.
pub const ANALYSTS: [(&str, &str); 2] = [("alice", "alice-pw-81"), ("bob", "bob-pw-27")];

/// A role that may log in and own a database but not create PostGIS.
pub const PLAIN: (&str, &str) = ("plain_user", "plain-pw-33");

/// A role the server accepts only over TLS.
pub const TLS_ONLY: (&str, &str) = ("tls_user", "tls-pw-19");

/// A running throwaway server.
#[derive(Debug)]
pub struct Server {
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
    /// The superuser's password.
    pub password: String,
    /// The cluster's directory (data, socket, log, TLS files).
    pub dir: PathBuf,
    /// The self-signed certificate the server presents (CN=localhost).
    pub cert: PathBuf,
}

static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();

/// The shared server, started on first use; `None` (after saying why) when PostgreSQL or
/// PostGIS is missing outside CI.
pub fn server() -> Option<&'static Server> {
    match SERVER.get_or_init(start) {
        Ok(s) => Some(s),
        Err(why) => {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("the database tests cannot run on CI: {why}");
            }
            eprintln!("skipped: PostgreSQL/PostGIS not installed ({why})");
            None
        }
    }
}

/// The directory of `initdb`, `pg_ctl` and `postgres`: `$BORDERMAP_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`, else the directory of `pg_config` on the PATH.
fn bin_dir() -> Result<PathBuf, String> {
    if let Some(d) = std::env::var_os("BORDERMAP_PG_BIN") {
        let d = PathBuf::from(d);
        return if d.join("initdb").exists() {
            Ok(d)
        } else {
            Err(format!("no initdb in BORDERMAP_PG_BIN={}", d.display()))
        };
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    dirs.sort();
    if let Some((_, d)) = dirs.pop() {
        return Ok(d);
    }
    let out = Command::new("pg_config").arg("--bindir").output();
    match out {
        Ok(o) if o.status.success() => {
            let d = PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            if d.join("initdb").exists() {
                Ok(d)
            } else {
                Err(format!("no initdb in {}", d.display()))
            }
        }
        _ => Err("no initdb in /usr/lib/postgresql/*/bin and no pg_config on the PATH (Debian: apt-get install postgresql postgresql-15-postgis-3)".into()),
    }
}

/// Runs a server program, as `nobody` when we are root.
fn as_server_user(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "nobody", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn chown_nobody(path: &Path) -> Result<(), String> {
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "nobody:nogroup"])
            .arg(path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("cannot chown {} to nobody", path.display()));
        }
    }
    Ok(())
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn start() -> Result<Server, String> {
    let bin = bin_dir()?;
    let share = Command::new(bin.join("pg_config"))
        .arg("--sharedir")
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_default();
    if !share.join("extension").join("postgis.control").exists() {
        return Err(format!(
            "PostGIS is missing: no {}/extension/postgis.control (Debian: apt-get install postgresql-15-postgis-3)",
            share.display()
        ));
    }
    let dir = tempfile::Builder::new()
        .prefix("bordermap-pg-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let password = format!("admin-{}-{}", std::process::id(), nanos());
    std::fs::write(dir.join("pwfile"), &password).map_err(|e| e.to_string())?;
    let cert = dir.join("server.crt");
    run(
        Command::new("openssl")
            .args([
                "req",
                "-new",
                "-x509",
                "-days",
                "2",
                "-nodes",
                "-subj",
                "/CN=localhost",
            ])
            .args(["-addext", "subjectAltName=DNS:localhost"])
            .arg("-keyout")
            .arg(dir.join("server.key"))
            .arg("-out")
            .arg(&cert),
        "openssl (a test certificate)",
    )?;
    chown_nobody(&dir)?;
    set_mode(&dir.join("server.key"), 0o600)?;
    run(
        as_server_user(&bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-U", ADMIN, "-E", "UTF8", "--locale=C.UTF-8"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", dir.join("pwfile").display())),
        "initdb",
    )?;
    let hba = dir.join("data").join("pg_hba.conf");
    let rules = std::fs::read_to_string(&hba).map_err(|e| e.to_string())?;
    let only_tls = format!("hostnossl all {} all reject\n{rules}", TLS_ONLY.0);
    std::fs::write(&hba, only_tls).map_err(|e| e.to_string())?;
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            dir.display(),
            cert.display(),
            dir.join("server.key").display()
        );
        let started = run(
            as_server_user(&bin.join("pg_ctl"))
                .arg("-D")
                .arg(dir.join("data"))
                .args(["-o", &opts, "-w", "-t", "60", "-l"])
                .arg(dir.join("log"))
                .arg("start"),
            "pg_ctl start",
        );
        match started {
            Ok(()) => {
                watchdog(&bin, &dir);
                let server = Server {
                    port,
                    password,
                    dir,
                    cert,
                };
                server.setup_roles()?;
                return Ok(server);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| e.to_string())
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Stops the server and removes its directory once this test process has ended.
fn watchdog(bin: &Path, dir: &Path) {
    let pg_ctl = bin.join("pg_ctl");
    let stop = if is_root() {
        format!("runuser -u nobody -- '{}'", pg_ctl.display())
    } else {
        format!("'{}'", pg_ctl.display())
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
        pid = std::process::id(),
        data = dir.join("data").display(),
        dir = dir.display(),
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

impl Server {
    /// The URL of `db` as the superuser (with the password).
    pub fn url(&self, db: &str) -> String {
        format!(
            "postgresql://{ADMIN}:{}@127.0.0.1:{}/{db}?sslmode=disable",
            self.password, self.port
        )
    }

    /// The URL of `db` as `role` with `password`.
    pub fn url_as(&self, role: &str, password: &str, db: &str) -> String {
        format!(
            "postgresql://{role}:{password}@127.0.0.1:{}/{db}?sslmode=disable",
            self.port
        )
    }

    /// A superuser connection to `db`.
    pub fn admin(&self, db: &str) -> postgres::Client {
        let mut cfg = postgres::Config::new();
        cfg.host("127.0.0.1")
            .port(self.port)
            .user(ADMIN)
            .password(&self.password)
            .dbname(db);
        cfg.connect(postgres::NoTls)
            .unwrap_or_else(|e| panic!("connecting to {db}: {e}"))
    }

    fn setup_roles(&self) -> Result<(), String> {
        let mut c = self.admin("postgres");
        for (role, pw) in ANALYSTS.iter().chain([&PLAIN, &TLS_ONLY]) {
            c.batch_execute(&format!(
                "CREATE ROLE {role} LOGIN PASSWORD '{pw}' CREATEDB"
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// A new, empty database called `name` (dropped first if a previous run left it).
    pub fn database(&self, name: &str) -> String {
        let mut c = self.admin("postgres");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
            .unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        name.to_string()
    }

    /// Lets the analyst roles read and write the bordermap tables of `db` (after `db init`).
    pub fn grant_analysts(&self, db: &str) {
        let mut roles: Vec<&str> = ANALYSTS.iter().map(|(r, _)| *r).collect();
        roles.push(TLS_ONLY.0);
        let roles = roles.join(", ");
        self.admin(db)
            .batch_execute(&format!(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {roles};
                 GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {roles};"
            ))
            .unwrap();
    }
}
