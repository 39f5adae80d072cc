//! nginx, the web server, started on 127.0.0.1 for a test: the files of a folder served as
//! any site serves them (range requests, `ETag`, keep-alive, gzip to a client that accepts
//! it), with an access log of each request's status, body bytes and connection, so that a
//! test can compare what bordermap says it downloaded with what the server says it sent.
//!
//! [`Nginx::start`] returns `None` when nginx is not installed (and panics under
//! `CI=true`, as [`super::require_tool`] does). The server runs in the foreground as one
//! process and is killed when the [`Nginx`] is dropped.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx.
pub struct Nginx {
    /// Its address, `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
    child: Child,
}

/// One line of the access log.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub status: u16,
    pub body_bytes: u64,
    /// The connection's serial number: requests on one connection share it.
    pub connection: u64,
}

impl Nginx {
    /// Serves the files of `root` on a free port; `prefix` (an empty folder) takes the
    /// configuration, the logs and nginx's temporary files. At most `keepalive_requests`
    /// requests go over one connection before nginx closes it, as servers do.
    pub fn start(root: &Path, prefix: &Path, keepalive_requests: u32) -> Option<Nginx> {
        let found = Command::new("nginx")
            .arg("-v")
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !super::tool_decision(found, std::env::var("CI").ok().as_deref(), "nginx") {
            return None;
        }
        // a free port may be taken by another test before nginx listens on it: try another
        let mut last_error = String::new();
        for _ in 0..5 {
            match Nginx::try_port(root, prefix, keepalive_requests) {
                Ok(server) => return Some(server),
                Err(e) => last_error = e,
            }
        }
        panic!("nginx did not start: {last_error}");
    }

    fn try_port(root: &Path, prefix: &Path, keepalive_requests: u32) -> Result<Nginx, String> {
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let log = prefix.join("access.log");
        let conf = prefix.join("nginx.conf");
        let p = |path: &Path| path.display().to_string();
        std::fs::write(
            &conf,
            format!(
                "daemon off;\nmaster_process off;\nworker_processes 1;\npid {pid};\n\
                 error_log {err};\nevents {{ worker_connections 64; }}\n\
                 http {{\n  log_format counts '$status $body_bytes_sent $connection';\n  \
                 access_log {log} counts;\n  keepalive_requests {keepalive_requests};\n  \
                 gzip on;\n  gzip_types *;\n  gzip_min_length 1;\n  \
                 server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n",
                pid = p(&prefix.join("nginx.pid")),
                err = p(&prefix.join("error.log")),
                log = p(&log),
                root = p(root),
            ),
        )
        .unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(prefix)
            .arg("-e")
            .arg(prefix.join("error.log"))
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Nginx {
            base: format!("http://127.0.0.1:{port}"),
            log,
            child,
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                let errors = std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
                return Err(format!("nginx stopped ({status}): {errors}"));
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err(format!("nginx did not listen on port {port} within 20 s"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    /// The requests logged since the last call, and the log emptied.
    pub fn take_log(&self) -> Vec<Logged> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        std::fs::write(&self.log, "").unwrap();
        text.lines()
            .map(|line| {
                let f: Vec<&str> = line.split(' ').collect();
                Logged {
                    status: f[0].parse().unwrap(),
                    body_bytes: f[1].parse().unwrap(),
                    connection: f[2].parse().unwrap(),
                }
            })
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
