//! A file on a web server, read a byte range at a time with HTTP range requests
//! (RFC 9110, section 14), so that a question about a FlatGeobuf file served over HTTP reads
//! its header, the index nodes on the way down and the features found, not the whole file
//! (see [`crate::fgb_input::FgbFile::open_url`]).
//!
//! [`RemoteFile`] is a [`Read`] + [`Seek`] over the file: a read outside the bytes it holds
//! asks the server for the range from there on, at least 64 KiB (a request costs a round
//! trip; a few more bytes cost little), and reading on from the end of the last range
//! doubles the next one, up to 16 MiB, so a file read whole takes few requests.
//!
//! What is checked, since the server is not trusted:
//! - every answer is `206 Partial Content` whose `Content-Range` is the range asked for, of
//!   a file of the length of the first answer, with exactly that many bytes. A server that
//!   ignores ranges (`200 OK` with the whole file) is an error saying so, unless the whole
//!   file fits in the first range asked for;
//! - the file must not change while it is read: a later answer with another `ETag` (or,
//!   without one, another `Last-Modified`) or another length is an error;
//! - any other status is an error with the status and its reason (`HTTP 404 Not Found`).
//!
//! HTTPS is checked against the Mozilla root certificates compiled in (rustls and
//! webpki-roots, through ureq). Redirects are followed (up to 10). A proxy is taken from
//! `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY`, and `NO_PROXY` is honoured. A request that
//! takes more than 60 seconds, or a connection that takes more than 20, is an error.

use crate::error::{Error, Result};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Bytes asked for at least, per request.
const FIRST_FETCH: u64 = 64 << 10;

/// Bytes asked for at most, per request, when reading on from the end of the last range.
const MAX_FETCH: u64 = 16 << 20;

/// Whether `input` names a file on a web server (`http://` or `https://`, in any case)
/// rather than a local path.
///
/// # Examples
/// ```
/// use std::path::Path;
/// use bordermap::remote::is_url;
/// assert!(is_url(Path::new("https://example.org/incidents.fgb")));
/// assert!(is_url(Path::new("HTTP://localhost:8000/a.fgb")));
/// assert!(!is_url(Path::new("incidents.fgb")) && !is_url(Path::new("http/a.fgb")));
/// ```
pub fn is_url(input: &Path) -> bool {
    input.to_str().is_some_and(|s| {
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    })
}

/// Requests made and bytes received, shared by the handles on one file.
#[derive(Debug, Default)]
struct Counts {
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// A file on a web server, read by byte ranges (see the module's documentation).
pub struct RemoteFile {
    url: String,
    agent: ureq::Agent,
    len: u64,
    /// The first answer's `ETag`, else its `Last-Modified`: every later answer must carry
    /// the same.
    validator: Option<String>,
    /// Where the next read starts (bytes from the start of the file).
    pos: u64,
    /// The bytes held, from `held_from`.
    held: Vec<u8>,
    held_from: u64,
    /// The size of the next request made to read on from the end of `held`.
    next_fetch: u64,
    counts: Arc<Counts>,
}

impl RemoteFile {
    /// Opens the file at `url`: asks for its first 64 KiB, and learns its length from the
    /// answer. An error names the URL and what went wrong: the server could not be reached,
    /// answered with an error status, or does not answer range requests.
    ///
    /// # Examples
    /// ```
    /// // nothing listens on port 9 of this machine (the discard service is long gone)
    /// let e = bordermap::remote::RemoteFile::open("http://127.0.0.1:9/a.fgb").err().unwrap();
    /// assert!(e.to_string().starts_with("http://127.0.0.1:9/a.fgb: "), "{e}");
    /// ```
    pub fn open(url: &str) -> Result<Self> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .timeout_connect(Some(Duration::from_secs(20)))
            .user_agent(concat!("bordermap/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let mut file = RemoteFile {
            url: url.to_string(),
            agent,
            len: 0,
            validator: None,
            pos: 0,
            held: Vec::new(),
            held_from: 0,
            next_fetch: FIRST_FETCH,
            counts: Arc::default(),
        };
        file.fetch(0, FIRST_FETCH, true)
            .map_err(|e| Error::io(Path::new(url), e))?;
        Ok(file)
    }

    /// The file's length in bytes, as the server gives it.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The URL the file was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests made and bytes received so far by this handle and every handle
    /// [`another`](Self::another) made from it.
    pub fn transferred(&self) -> (u64, u64) {
        (
            self.counts.requests.load(Ordering::Relaxed),
            self.counts.bytes.load(Ordering::Relaxed),
        )
    }

    /// A second handle on the same file, at its start, holding the bytes this one holds: it
    /// shares the connection pool, the counts and the checks of this one, not its position.
    pub fn another(&self) -> RemoteFile {
        RemoteFile {
            url: self.url.clone(),
            agent: self.agent.clone(),
            len: self.len,
            validator: self.validator.clone(),
            pos: 0,
            held: self.held.clone(),
            held_from: self.held_from,
            next_fetch: FIRST_FETCH,
            counts: Arc::clone(&self.counts),
        }
    }

    /// Asks for `want` bytes from `start` (fewer at the end of the file) and holds them.
    /// `first`: the opening request, which learns the length and the validator.
    fn fetch(&mut self, start: u64, want: u64, first: bool) -> io::Result<()> {
        let last = if first {
            want - 1
        } else {
            start + want.min(self.len - start) - 1
        };
        let asked = format!("bytes={start}-{last}");
        let failed = |what: String| io::Error::other(format!("{what} (asked for {asked})"));
        let mut answer = self
            .agent
            .get(&self.url)
            .header("Range", &asked)
            .call()
            .map_err(|e| failed(format!("HTTP request failed: {e}")))?;
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let header = |name: &str| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validator = header("etag").or_else(|| header("last-modified"));
        let content_range = header("content-range");
        let status = answer.status();
        let (from, to, total) = match status.as_u16() {
            206 => {
                let range = content_range.as_deref().unwrap_or("");
                parse_content_range(range).ok_or_else(|| {
                    failed(format!(
                        "the server answered 206 with the Content-Range {range:?}, not \
                         \"bytes FIRST-LAST/LENGTH\""
                    ))
                })?
            }
            // a server that ignores ranges sends the whole file: taken only when it is small
            200 if first => {
                let body = answer
                    .body_mut()
                    .with_config()
                    .limit(want)
                    .read_to_vec()
                    .map_err(|e| match e {
                        ureq::Error::BodyExceedsLimit(_) => failed(
                            "the server does not answer HTTP range requests (it sends the \
                             whole file, status 200): download the file and give its path"
                                .into(),
                        ),
                        e => failed(format!("reading the answer failed: {e}")),
                    })?;
                self.counts
                    .bytes
                    .fetch_add(body.len() as u64, Ordering::Relaxed);
                self.len = body.len() as u64;
                self.validator = validator;
                self.held = body;
                self.held_from = 0;
                return Ok(());
            }
            200 => {
                return Err(failed(
                    "the server stopped answering HTTP range requests (status 200, the whole \
                     file)"
                        .into(),
                ));
            }
            416 if first => (0, 0, 0),
            _ => {
                return Err(failed(format!(
                    "HTTP {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )));
            }
        };
        if first {
            self.len = total;
            self.validator = validator;
        } else if total != self.len || validator != self.validator {
            return Err(failed(format!(
                "the file changed on the server while it was read (its length was {} bytes, \
                 now {total}; its version was {:?}, now {:?})",
                self.len, self.validator, validator
            )));
        }
        if total == 0 {
            self.held.clear();
            self.held_from = 0;
            return Ok(());
        }
        if from != start || to < from || to > last || to >= total {
            return Err(failed(format!(
                "the server answered with bytes {from}-{to} of {total}"
            )));
        }
        let expected = to - from + 1;
        let body = answer
            .body_mut()
            .with_config()
            .limit(expected)
            .read_to_vec()
            .map_err(|e| failed(format!("reading the answer failed: {e}")))?;
        self.counts
            .bytes
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        if body.len() as u64 != expected {
            return Err(failed(format!(
                "the server sent {} bytes for a range of {expected}",
                body.len()
            )));
        }
        self.held = body;
        self.held_from = from;
        Ok(())
    }
}

/// `bytes FIRST-LAST/LENGTH` as three numbers.
fn parse_content_range(value: &str) -> Option<(u64, u64, u64)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (from, to) = range.split_once('-')?;
    Some((
        from.trim().parse().ok()?,
        to.trim().parse().ok()?,
        total.trim().parse().ok()?,
    ))
}

impl Read for RemoteFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let held_to = self.held_from + self.held.len() as u64;
        if !(self.held_from..held_to).contains(&self.pos) {
            self.next_fetch = if self.pos == held_to && !self.held.is_empty() {
                (self.next_fetch * 2).min(MAX_FETCH)
            } else {
                FIRST_FETCH
            };
            let want = self.next_fetch.max(buf.len() as u64);
            self.fetch(self.pos, want, false)?;
        }
        let from = (self.pos - self.held_from) as usize;
        let n = buf.len().min(self.held.len() - from);
        buf[..n].copy_from_slice(&self.held[from..from + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for RemoteFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_range_is_read_as_three_numbers_or_not_at_all() {
        assert_eq!(
            parse_content_range("bytes 0-262143/249000000"),
            Some((0, 262_143, 249_000_000))
        );
        assert_eq!(parse_content_range("bytes 5-9/*"), None); // length unknown
        assert_eq!(parse_content_range("bytes */1000"), None); // the 416 form
        assert_eq!(parse_content_range("items 0-1/2"), None);
        assert_eq!(parse_content_range(""), None);
    }

    #[test]
    fn urls_are_told_from_paths() {
        for url in ["http://a/b.fgb", "https://a/b.fgb", "HTTPS://A/B.FGB"] {
            assert!(is_url(Path::new(url)), "{url}");
        }
        for path in ["b.fgb", "./http://x", "ftp://a/b.fgb", "https:/a", "-"] {
            assert!(!is_url(Path::new(path)), "{path}");
        }
    }
}
