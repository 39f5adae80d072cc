//! A small static-file HTTP/1.1 server on 127.0.0.1 for the tests of reading files over
//! HTTP: it answers `GET` and `HEAD` with `Range: bytes=FIRST-LAST` (or `FIRST-`, or
//! `-SUFFIX`) as RFC 9110 says (206 with `Content-Range`, 416 past the end), carries an
//! `ETag` per version of a file, and counts the requests and the body bytes it sends. It can
//! be told to ignore ranges (200 with the whole file, as some servers do), and to serve a new
//! version of a file from a given request on (a file changed while it is read), and to close
//! the connection of some requests without an answer (a broken link). One thread per
//! connection, one request per connection (`Connection: close`).
//!
//! The tests check its answers with GDAL's own HTTP reader (`/vsicurl/`) where GDAL is
//! installed, and read the same files from nginx (`util::nginx`), so that bordermap's reader
//! is not tested only against this server.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A file served: its bytes and its version (1, 2, …).
type Served = (Arc<Vec<u8>>, u64);

/// What the server holds and has done.
#[derive(Default)]
struct State {
    /// The files by their path (`/name`): the bytes and their version.
    files: Mutex<HashMap<String, Served>>,
    ignore_ranges: AtomicBool,
    /// The `Content-Encoding` header of every answer, the bytes sent as they are stored.
    content_encoding: Mutex<Option<String>>,
    /// A file to serve from a given request on: its path, its bytes, and the number of
    /// requests answered before.
    change: Mutex<Option<(String, Vec<u8>, u64)>>,
    /// Requests whose connection is closed without an answer: `[from, to)` by their number.
    dropped: Mutex<(u64, u64)>,
    requests: AtomicU64,
    body_bytes: AtomicU64,
}

/// A running server; it stops when the test process ends.
pub struct Server {
    /// Its address, `http://127.0.0.1:PORT`.
    pub base: String,
    state: Arc<State>,
}

impl Server {
    /// Starts a server on a free port.
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = answer(stream, &state);
                });
            }
        });
        Server { base, state }
    }

    /// Serves `bytes` at `/name` (a new version when it was already served).
    pub fn put(&self, name: &str, bytes: Vec<u8>) -> String {
        store(&self.state, format!("/{name}"), bytes);
        format!("{}/{name}", self.base)
    }

    /// Serves `bytes` at `/name` from the request after the next `requests` on.
    pub fn change_after(&self, name: &str, bytes: Vec<u8>, requests: u64) {
        let at = self.state.requests.load(Ordering::SeqCst) + requests;
        *self.state.change.lock().unwrap() = Some((format!("/{name}"), bytes, at));
    }

    /// Closes the connection of `count` requests, without an answer, after the next
    /// `requests` are answered.
    pub fn drop_after(&self, requests: u64, count: u64) {
        let at = self.state.requests.load(Ordering::SeqCst) + requests;
        *self.state.dropped.lock().unwrap() = (at, at + count);
    }

    /// Whether `Range` is ignored from now on.
    pub fn ignore_ranges(&self, ignore: bool) {
        self.state.ignore_ranges.store(ignore, Ordering::SeqCst);
    }

    /// Answers from now on say that their bytes (sent as they are stored) are in the
    /// encoding `encoding` (`gzip`), or say nothing of it (`None`).
    pub fn content_encoding(&self, encoding: Option<&str>) {
        *self.state.content_encoding.lock().unwrap() = encoding.map(str::to_string);
    }

    /// Requests answered and body bytes sent since the last call.
    pub fn take_counts(&self) -> (u64, u64) {
        (
            self.state.requests.swap(0, Ordering::SeqCst),
            self.state.body_bytes.swap(0, Ordering::SeqCst),
        )
    }
}

/// Serves `bytes` at `path`, a new version when it was served before.
fn store(state: &State, path: String, bytes: Vec<u8>) {
    let mut files = state.files.lock().unwrap();
    let version = files.get(&path).map_or(1, |(_, v)| v + 1);
    files.insert(path, (Arc::new(bytes), version));
}

fn answer(stream: TcpStream, state: &State) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let mut range = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("range")
        {
            range = Some(value.trim().to_string());
        }
    }
    let answered = state.requests.fetch_add(1, Ordering::SeqCst);
    {
        let mut change = state.change.lock().unwrap();
        if change.as_ref().is_some_and(|(_, _, at)| answered >= *at)
            && let Some((path, bytes, _)) = change.take()
        {
            store(state, path, bytes);
        }
    }
    let (from, to) = *state.dropped.lock().unwrap();
    if (from..to).contains(&answered) {
        return Ok(());
    }
    let file = state.files.lock().unwrap().get(&target).cloned();
    let mut out = stream;
    let Some((bytes, version)) = file else {
        let body = b"not found\n";
        write!(
            out,
            "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )?;
        return out.write_all(body);
    };
    let len = bytes.len() as u64;
    let etag = format!("\"v{version}-{len}\"");
    let wanted = range
        .filter(|_| !state.ignore_ranges.load(Ordering::SeqCst))
        .map(|r| parse_range(&r, len));
    let (status, from, to) = match wanted {
        None => ("200 OK", 0, len),
        Some(Some((from, to))) => ("206 Partial Content", from, to),
        Some(None) => {
            return write!(
                out,
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{len}\r\n\
                 Content-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    };
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\n\
         Content-Type: application/octet-stream\r\nConnection: close\r\n",
        to - from
    );
    if status.starts_with("206") {
        head += &format!("Content-Range: bytes {from}-{}/{len}\r\n", to - 1);
    }
    if let Some(encoding) = state.content_encoding.lock().unwrap().as_deref() {
        head += &format!("Content-Encoding: {encoding}\r\n");
    }
    head += "\r\n";
    out.write_all(head.as_bytes())?;
    if method == "GET" {
        state.body_bytes.fetch_add(to - from, Ordering::SeqCst);
        out.write_all(&bytes[from as usize..to as usize])?;
    }
    out.flush()
}

/// `bytes=FIRST-LAST`, `bytes=FIRST-` or `bytes=-SUFFIX` as `[from, to)` within `len`;
/// `None` when it is not satisfiable (or not one range).
fn parse_range(value: &str, len: u64) -> Option<(u64, u64)> {
    let spec = value.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (from, to) = if first.is_empty() {
        let suffix: u64 = last.parse().ok()?;
        (len.saturating_sub(suffix), len)
    } else {
        let from: u64 = first.parse().ok()?;
        let to = if last.is_empty() {
            len
        } else {
            (last.parse::<u64>().ok()? + 1).min(len)
        };
        (from, to)
    };
    (from < to).then_some((from, to))
}
