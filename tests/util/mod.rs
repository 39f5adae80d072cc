//! Shared helpers for the integration tests, after ripgrep's `tests/util.rs`: a temporary
//! directory per test ([`Dir`]) and a small wrapper around the built `bordermap` executable
//! ([`Cmd`] → [`Run`]).
//!
//! Every run is checked for a panic: no input, however bad, may make bordermap print
//! "panicked" on stderr.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod http;
pub mod nginx;
pub mod pg;

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The crate root (where `geodata/` and `output/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The path of a file in `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests").join("fixtures").join(name)
}

/// The bytes of a file in `tests/fixtures/`.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    let path = fixture(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A temporary directory for one test, removed when dropped. Commands run inside it, so
/// that error messages name short relative paths.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// A new, empty directory.
    pub fn new() -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix("bordermap-test-")
            .tempdir()
            .unwrap();
        Dir { tmp }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    /// Writes `bytes` to `name` (creating parent directories) and returns the path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Copies `tests/fixtures/<name>` into the directory under the same name.
    pub fn fixture(&self, name: &str) -> PathBuf {
        self.write(name, fixture_bytes(name))
    }

    /// Reads `name` from the directory.
    pub fn read(&self, name: &str) -> Vec<u8> {
        let path = self.join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Reads `name` as UTF-8 text.
    pub fn read_string(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap()
    }

    /// The GeoJSON file `name`, parsed.
    pub fn geojson(&self, name: &str) -> serde_json::Value {
        serde_json::from_str(&self.read_string(name)).unwrap()
    }

    /// The names of the entries directly in the directory, sorted.
    pub fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A `bordermap` command that runs in this directory.
    pub fn cmd(&self) -> Cmd {
        Cmd::new(self.path())
    }

    /// Runs `bordermap <args>` in this directory.
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        self.cmd().args(args).run()
    }
}

/// A `bordermap` invocation being put together.
pub struct Cmd {
    cmd: Command,
    stdin: Vec<u8>,
    shown: Vec<String>,
}

impl Cmd {
    /// `bordermap` with the working directory `dir` and a neutral environment.
    pub fn new(dir: &Path) -> Cmd {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_bordermap"));
        cmd.current_dir(dir)
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LOG")
            // the tests' web servers are on this machine: never through a proxy
            .env("NO_PROXY", "127.0.0.1")
            .env("NO_COLOR", "1");
        Cmd {
            cmd,
            stdin: Vec::new(),
            shown: vec!["bordermap".into()],
        }
    }

    /// Adds arguments.
    pub fn args<S: AsRef<OsStr>>(mut self, args: &[S]) -> Cmd {
        for a in args {
            self.shown.push(a.as_ref().to_string_lossy().into_owned());
            self.cmd.arg(a);
        }
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.cmd.env(key, value);
        self
    }

    /// Feeds `bytes` to stdin (otherwise stdin is empty).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Cmd {
        self.stdin = bytes.as_ref().to_vec();
        self
    }

    /// Runs the command to completion. Panics (failing the test) when the process was killed
    /// by a signal or when stderr reports a panic.
    pub fn run(mut self) -> Run {
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let input = std::mem::take(&mut self.stdin);
        let writer = std::thread::spawn(move || {
            // The command may exit without reading stdin; a broken pipe is fine then.
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        let command = self.shown.join(" ");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let code = out
            .status
            .code()
            .unwrap_or_else(|| panic!("`{command}` was killed by a signal\n{stderr}"));
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "`{command}` panicked:\n{stderr}"
        );
        Run {
            command,
            code,
            stdout: out.stdout,
            stderr,
        }
    }
}

/// A finished run.
#[derive(Debug)]
pub struct Run {
    /// The command line, for messages.
    pub command: String,
    /// The exit code.
    pub code: i32,
    /// Raw stdout.
    pub stdout: Vec<u8>,
    /// Stderr (always UTF-8).
    pub stderr: String,
}

impl Run {
    /// Stdout as UTF-8 text.
    pub fn stdout_str(&self) -> &str {
        std::str::from_utf8(&self.stdout).unwrap()
    }

    /// Asserts the exit code, showing the run when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            code,
            "`{}` exited with {} instead of {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.command,
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        );
        self
    }

    /// Asserts success (exit code 0).
    pub fn ok(&self) -> &Run {
        self.expect_code(0)
    }

    /// Asserts that stderr contains `needle`.
    pub fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "`{}`: stderr lacks {needle:?}:\n{}",
            self.command,
            self.stderr
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    pub fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout_str().contains(needle),
            "`{}`: stdout lacks {needle:?}:\n{}",
            self.command,
            self.stdout_str()
        );
        self
    }

    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("`{}`: stdout is not JSON: {e}", self.command))
    }
}

/// Whether the external program `program` (described as `label` in messages, e.g.
/// "ogrinfo (GDAL)") can be run here, probed with `program --version`.
///
/// A test that needs the program calls this first and returns when it is `false`. When the
/// program is missing, under `CI=true` this panics (the test fails and names the tool), since
/// CI installs every tool a test needs; elsewhere it prints "skipped: … not installed" on
/// stderr and returns `false`.
pub fn require_tool(program: &str, label: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    tool_decision(found, std::env::var("CI").ok().as_deref(), label)
}

/// The decision of [`require_tool`] for a probe result and the value of `CI`.
pub fn tool_decision(found: bool, ci: Option<&str>, label: &str) -> bool {
    if found {
        return true;
    }
    if ci == Some("true") {
        panic!("{label} is required under CI=true but not installed");
    }
    eprintln!("skipped: {label} not installed");
    false
}

/// Every regular file under `dir`, as paths relative to it with `/` separators, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The feature of `fc` whose `id` is `id` (panics when there is none).
pub fn feature<'a>(fc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no feature {id}"))
}

/// The ids of the features of `fc`, in order.
pub fn feature_ids(fc: &serde_json::Value) -> Vec<String> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The text of the page's `<script type="application/json" id="{id}">` block (panics when
/// there is none).
pub fn page_block<'a>(page: &'a str, id: &str) -> &'a str {
    let open = format!(r#"<script type="application/json" id="{id}">"#);
    let start = page.find(&open).unwrap() + open.len();
    let len = page[start..].find("</script>").unwrap();
    &page[start..start + len]
}

/// The page's JSON block `id`, parsed.
pub fn page_json(page: &str, id: &str) -> serde_json::Value {
    serde_json::from_str(page_block(page, id)).unwrap()
}
