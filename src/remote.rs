//! A file on a web server, read a byte range at a time with HTTP range requests
//! (RFC 9110, section 14), so that a question about a FlatGeobuf file served over HTTP reads
//! its header, the index nodes on the way down and the features found, not the whole file
//! (see [`crate::fgb_input::FgbFile::open_url`]). A reader that needs every byte of a file
//! (a CSV or a spreadsheet to import) takes it with [`download`], one plain `GET`, which
//! any server or export API answers, and which accepts the file gzip-compressed. Range
//! requests do not: a range is of the file's own bytes.
//!
//! [`RemoteFile`] is a [`Read`] + [`Seek`] over the file, through a cache of the file's
//! blocks of 64 KiB shared by every handle on it, at most 256 MiB,
//! the least recently used block leaving first. A read of a block not held asks the server
//! for it and the blocks after it up to the next one held: one block (a request costs a
//! round trip, a few more bytes cost little), or, when the read goes on from the end of the
//! last request, twice as many as that request asked for, up to 16 MiB, so a file read whole
//! takes few requests (and a block read to its end in such a run is let go, as it will not
//! be read again). A question that comes back to the same index nodes (a batch, or
//! `--nearest` widening its circle) finds them held; one that knows the ranges it will read
//! asks for them first, each run of blocks in one request.
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
//! `ALL_PROXY`, `HTTPS_PROXY` or `HTTP_PROXY`, and `NO_PROXY` is honoured. A name lookup or
//! a connection that takes more than 20 seconds, or an answer that stalls for 60, is an
//! error; a slow link is not (a request of 16 MiB may take minutes). Once the file is open,
//! a request whose connection fails or breaks, or that the server answers with 429, 502, 503
//! or 504, is made again after 1 s and after 4 s more before it is an error.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Bytes of a block: the cache's unit, and the least asked for.
const BLOCK: u64 = 64 << 10;

/// Blocks asked for at most in one request (16 MiB).
const MAX_BLOCKS: u64 = 256;

/// The kind of error of a request worth making again: the connection failed or broke, or
/// the server was busy (429, 502, 503, 504).
const TRANSIENT: io::ErrorKind = io::ErrorKind::ConnectionAborted;

/// The kind of error of a server that sends whole files only (it ignores range requests):
/// the file can still be downloaded whole (see [`ranges_unsupported`]).
const NO_RANGES: io::ErrorKind = io::ErrorKind::Unsupported;

/// Whether `e`, from [`RemoteFile::open`], says that the server ignores range requests, so
/// that the file can only be downloaded whole ([`download`]).
///
/// # Examples
/// ```
/// let e = bordermap::remote::RemoteFile::open("http://127.0.0.1:9/a.fgb").err().unwrap();
/// assert!(!bordermap::remote::ranges_unsupported(&e)); // nothing listens there
/// ```
pub fn ranges_unsupported(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == NO_RANGES)
}

/// Seconds waited before asking again, once per retry: a request is made at most three
/// times once the file is open.
const RETRY_AFTER_S: [u64; 2] = [1, 4];

/// `ask()`, and again after each wait of [`RETRY_AFTER_S`] while it fails with a
/// [`TRANSIENT`] error: the last answer.
fn with_retries<T>(mut ask: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let mut attempt = ask();
    for wait in RETRY_AFTER_S {
        match &attempt {
            Err(e) if e.kind() == TRANSIENT => {
                std::thread::sleep(Duration::from_secs(wait));
                attempt = ask();
            }
            _ => break,
        }
    }
    attempt
}

/// `HTTP 404 Not Found`: a status as an error message gives it.
fn status_text(status: ureq::http::StatusCode) -> String {
    format!(
        "HTTP {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    )
}

/// Blocks the cache holds at most (256 MiB): a batch of questions over a large file comes
/// back to the same blocks, and a smaller cache asked for them again and again.
const CACHED_BLOCKS: usize = 4096;

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

/// What the handles on one file share: the connection pool, what the first answer said
/// of the file, the blocks held and the counts.
struct Shared {
    url: String,
    agent: ureq::Agent,
    len: u64,
    /// The first answer's `ETag`, else its `Last-Modified`: every later answer must carry
    /// the same.
    validator: Option<String>,
    cache: Mutex<Cache>,
    requests: AtomicU64,
    bytes: AtomicU64,
}

/// Blocks of the file by their number, each with the tick of its last use.
#[derive(Default)]
struct Cache {
    blocks: HashMap<u64, (Vec<u8>, u64)>,
    tick: u64,
}

impl Cache {
    /// Copies what block `block` holds from `offset` into `buf`: the bytes copied, or `None`
    /// when the block is not held.
    fn read(&mut self, block: u64, offset: usize, buf: &mut [u8]) -> Option<usize> {
        self.tick += 1;
        let (bytes, used) = self.blocks.get_mut(&block)?;
        *used = self.tick;
        let rest = bytes.get(offset..).unwrap_or_default();
        let n = buf.len().min(rest.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Some(n)
    }

    fn holds(&self, block: u64) -> bool {
        self.blocks.contains_key(&block)
    }

    /// Holds `bytes` (whole blocks from `first`, the last one possibly short), letting the
    /// least recently used blocks go beyond [`CACHED_BLOCKS`].
    fn insert(&mut self, first: u64, bytes: &[u8]) {
        for (i, chunk) in bytes.chunks(BLOCK as usize).enumerate() {
            self.tick += 1;
            self.blocks
                .insert(first + i as u64, (chunk.to_vec(), self.tick));
        }
        while self.blocks.len() > CACHED_BLOCKS {
            let oldest = self.blocks.iter().min_by_key(|(_, (_, used))| *used);
            match oldest.map(|(&block, _)| block) {
                Some(block) => self.blocks.remove(&block),
                None => break,
            };
        }
    }
}

/// An answer to a range request, checked: the range it holds and the file's length and
/// version as it gives them.
struct Answer {
    from: u64,
    total: u64,
    validator: Option<String>,
    body: Vec<u8>,
}

/// Asks `url` for bytes `start..=last`. `first`: the opening request, which may take a
/// small file whole from a server that ignores ranges, and accepts an empty file. The error
/// says what went wrong (the caller names the URL).
fn request(
    agent: &ureq::Agent,
    url: &str,
    start: u64,
    last: u64,
    first: bool,
) -> io::Result<Answer> {
    let asked = format!("bytes={start}-{last}");
    let failed = |what: String| io::Error::other(format!("{what} (asked for {asked})"));
    // the connection failed, or the server said to come back: worth asking again
    let transient = |what: String| io::Error::new(TRANSIENT, format!("{what} (asked for {asked})"));
    let mut answer = agent
        .get(url)
        .header("Range", &asked)
        .call()
        .map_err(|e| transient(format!("HTTP request failed: {e}")))?;
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
    let want = last - start + 1;
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
                    ureq::Error::BodyExceedsLimit(_) => io::Error::new(
                        NO_RANGES,
                        format!(
                            "the server does not answer HTTP range requests (it sends the \
                             whole file, status 200) (asked for {asked})"
                        ),
                    ),
                    e => transient(format!("reading the answer failed: {e}")),
                })?;
            return Ok(Answer {
                from: 0,
                total: body.len() as u64,
                validator,
                body,
            });
        }
        200 => {
            return Err(failed(
                "the server stopped answering HTTP range requests (status 200, the whole file)"
                    .into(),
            ));
        }
        429 | 502 | 503 | 504 => {
            return Err(transient(status_text(status)));
        }
        416 if first => {
            return Ok(Answer {
                from: 0,
                total: 0,
                validator,
                body: Vec::new(),
            });
        }
        _ => {
            return Err(failed(status_text(status)));
        }
    };
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
        .map_err(|e| transient(format!("reading the answer failed: {e}")))?;
    if body.len() as u64 != expected {
        return Err(failed(format!(
            "the server sent {} bytes for a range of {expected}",
            body.len()
        )));
    }
    Ok(Answer {
        from,
        total,
        validator,
        body,
    })
}

/// The HTTP client of every request: the timeouts, proxy and certificates of the module's
/// documentation; error statuses are answers, checked by the caller.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_resolve(Some(Duration::from_secs(20)))
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("bordermap/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A file downloaded whole by [`download`].
#[derive(Debug)]
pub struct Download {
    /// The file's bytes (decompressed, when the server sent them gzip-compressed).
    pub bytes: Vec<u8>,
    /// The bytes the server sent: fewer than the file's when it compressed them.
    pub sent: u64,
}

impl Download {
    /// The note of this download from `url` (see [`download_note`]).
    ///
    /// # Examples
    /// ```
    /// use bordermap::remote::Download;
    /// let d = Download { bytes: vec![b'x'; 1200], sent: 310 };
    /// assert_eq!(
    ///     d.note("https://example.org/a.csv").to_string(),
    ///     "note: https://example.org/a.csv: downloaded 1200 bytes (310 gzip-compressed)"
    /// );
    /// ```
    pub fn note(&self, url: &str) -> crate::error::Diagnostic {
        download_note(url, self.bytes.len() as u64, self.sent)
    }
}

/// The whole file at `url`, downloaded with one plain `GET` (no range requests, so any web
/// server or export API will do), for readers that need all of a file's bytes (a CSV or a
/// spreadsheet to import). The request accepts gzip (`Accept-Encoding: gzip`), which many
/// servers apply to text such as CSV and GeoJSON (nginx sent a GeoJSON of 35.5 MB as
/// 4.9 MB); a compressed answer is decompressed as it arrives. At most `cap` bytes of the
/// file: a larger one is an error naming the limit's flag. The timeouts, proxy, certificates
/// and retries are those of the module's documentation; an error names the URL and what
/// went wrong (`HTTP 404 Not Found`).
///
/// # Examples
/// ```
/// // nothing listens on port 9 of this machine
/// let e = bordermap::remote::download("http://127.0.0.1:9/acled.csv", 1 << 20).unwrap_err();
/// assert!(e.to_string().starts_with("http://127.0.0.1:9/acled.csv: "), "{e}");
/// ```
pub fn download(url: &str, cap: u64) -> Result<Download> {
    let agent = agent();
    with_retries(|| get_whole(&agent, url, cap)).map_err(|e| Error::io(Path::new(url), e))
}

/// The note of a file of `bytes` bytes downloaded whole, of which the server sent `sent`:
/// "downloaded BYTES bytes", and "(SENT gzip-compressed)" when it sent fewer.
///
/// # Examples
/// ```
/// let note = bordermap::remote::download_note("https://example.org/a.csv", 1200, 1200);
/// assert_eq!(note.to_string(), "note: https://example.org/a.csv: downloaded 1200 bytes");
/// let note = bordermap::remote::download_note("https://example.org/a.csv", 1200, 310);
/// assert_eq!(
///     note.to_string(),
///     "note: https://example.org/a.csv: downloaded 1200 bytes (310 gzip-compressed)"
/// );
/// ```
pub fn download_note(url: &str, bytes: u64, sent: u64) -> crate::error::Diagnostic {
    let compressed = if sent == bytes {
        String::new()
    } else {
        format!(" ({sent} gzip-compressed)")
    };
    crate::error::Diagnostic {
        severity: crate::error::Severity::Note,
        kind: "http_download",
        location: url.to_string(),
        message: format!("downloaded {bytes} bytes{compressed}"),
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// One `GET` of the whole of `url`, at most `cap` bytes of the file (see [`download`]).
fn get_whole(agent: &ureq::Agent, url: &str, cap: u64) -> io::Result<Download> {
    let transient = |what: String| io::Error::new(TRANSIENT, what);
    let mut answer = agent
        .get(url)
        .header("Accept-Encoding", "gzip")
        .call()
        .map_err(|e| transient(format!("HTTP request failed: {e}")))?;
    let status = answer.status();
    let reason = status_text(status);
    match status.as_u16() {
        200 => {}
        429 | 502 | 503 | 504 => return Err(transient(reason)),
        _ => return Err(io::Error::other(reason)),
    }
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let gzip = match header("content-encoding").as_deref() {
        None | Some("" | "identity") => false,
        Some("gzip" | "x-gzip") => true,
        Some(other) => {
            return Err(io::Error::other(format!(
                "the server sent the file in the encoding \"{other}\", which was not asked for"
            )));
        }
    };
    let over = |size: String| {
        io::Error::other(format!(
            "the file is {size} bytes, over the {cap}-byte limit; pass --max-input-mb to read it"
        ))
    };
    // the length of what is sent: the file's own, unless it comes compressed
    let length = header("content-length").and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = length.filter(|&n| n > cap && !gzip) {
        return Err(over(n.to_string()));
    }
    let bar = crate::progress::bytes_bar(length.unwrap_or(0), "downloading");
    let mut sent = Counted {
        inner: bar.wrap_read(answer.body_mut().as_reader()),
        count: 0,
    };
    let mut body = Vec::with_capacity(usize::try_from(length.unwrap_or(0).min(cap)).unwrap_or(0));
    let read = if gzip {
        flate2::read::MultiGzDecoder::new(&mut sent)
            .take(cap.saturating_add(1))
            .read_to_end(&mut body)
    } else {
        (&mut sent)
            .take(cap.saturating_add(1))
            .read_to_end(&mut body)
    };
    let compressed = if gzip { " (gzip-compressed)" } else { "" };
    read.map_err(|e| {
        let what = format!("reading the answer{compressed} failed: {e}");
        // a stream that does not decompress is as corrupt when asked for again
        match e.kind() {
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData if gzip => {
                io::Error::other(what)
            }
            _ => transient(what),
        }
    })?;
    bar.finish_and_clear();
    if body.len() as u64 > cap {
        return Err(over(format!("more than {cap}")));
    }
    Ok(Download {
        bytes: body,
        sent: sent.count,
    })
}

/// A file on a web server, read by byte ranges (see the module's documentation).
pub struct RemoteFile {
    shared: Arc<Shared>,
    /// Where the next read starts (bytes from the start of the file).
    pos: u64,
    /// The block after the last one this handle asked for, and how many it asked for.
    last_end: u64,
    last_blocks: u64,
    /// Whether this handle reads the file straight on (each request going on from the
    /// last): a block read to its end is then let go, as it will not be read again.
    streaming: bool,
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
        let agent = agent();
        let first =
            request(&agent, url, 0, BLOCK - 1, true).map_err(|e| Error::io(Path::new(url), e))?;
        let mut cache = Cache::default();
        cache.insert(0, &first.body);
        Ok(RemoteFile {
            shared: Arc::new(Shared {
                url: url.to_string(),
                agent,
                len: first.total,
                validator: first.validator,
                cache: Mutex::new(cache),
                requests: AtomicU64::new(1),
                bytes: AtomicU64::new(first.body.len() as u64),
            }),
            pos: 0,
            last_end: first.body.len().div_ceil(BLOCK as usize) as u64,
            last_blocks: 1,
            streaming: false,
        })
    }

    /// The file's length in bytes, as the server gives it.
    pub(crate) fn len(&self) -> u64 {
        self.shared.len
    }

    /// Requests made and bytes received so far by this handle and every handle
    /// [`another`](Self::another) made from it.
    pub(crate) fn transferred(&self) -> (u64, u64) {
        (
            self.shared.requests.load(Ordering::Relaxed),
            self.shared.bytes.load(Ordering::Relaxed),
        )
    }

    /// A second handle on the same file, at its start: it shares the connection pool, the
    /// blocks held, the counts and the checks of this one, not its position.
    pub(crate) fn another(&self) -> RemoteFile {
        RemoteFile {
            shared: Arc::clone(&self.shared),
            pos: 0,
            last_end: 0,
            last_blocks: 0,
            streaming: false,
        }
    }

    /// Asks for the blocks of `ranges` (`[start, end)` bytes, in the order of the file)
    /// that are not held, each run of them in one request (of at most 16 MiB), so that the
    /// reads that follow find them held. Only the first half of the cache's worth of
    /// missing blocks is asked for (the rest would push the first out before they are
    /// read); a read past them asks for its own.
    ///
    /// # Errors
    /// As for a read: the server's answer is not the range asked for, or the file changed.
    pub(crate) fn prefetch(&mut self, ranges: &[(u64, u64)]) -> io::Result<()> {
        let len = self.shared.len;
        let mut wanted: Vec<u64> = ranges
            .iter()
            .filter(|(start, end)| start < end && *start < len)
            .flat_map(|&(start, end)| start / BLOCK..end.min(len).div_ceil(BLOCK))
            .collect();
        wanted.dedup();
        let missing: Vec<u64> = {
            let cache = self.cache();
            wanted
                .into_iter()
                .filter(|b| !cache.holds(*b))
                .take(CACHED_BLOCKS / 2)
                .collect()
        };
        let mut i = 0;
        while i < missing.len() {
            let first = missing[i];
            let mut n = 1;
            while i + (n as usize) < missing.len()
                && missing[i + n as usize] == first + n
                && n < MAX_BLOCKS
            {
                n += 1;
            }
            self.fetch(first, n)?;
            self.streaming = false;
            i += n as usize;
        }
        Ok(())
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.shared
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks for `blocks` blocks from `first` (fewer at the end of the file) and holds them.
    fn fetch(&mut self, first: u64, blocks: u64) -> io::Result<()> {
        let shared = Arc::clone(&self.shared);
        let start = first * BLOCK;
        let last = ((first + blocks) * BLOCK).min(shared.len) - 1;
        let answer = with_retries(|| request(&shared.agent, &shared.url, start, last, false))?;
        shared.requests.fetch_add(1, Ordering::Relaxed);
        shared
            .bytes
            .fetch_add(answer.body.len() as u64, Ordering::Relaxed);
        if answer.total != shared.len || answer.validator != shared.validator {
            return Err(io::Error::other(format!(
                "the file changed on the server while it was read (its length was {} bytes, \
                 now {}; its version was {:?}, now {:?})",
                shared.len, answer.total, shared.validator, answer.validator
            )));
        }
        if answer.from != start || answer.body.len() as u64 != last - start + 1 {
            return Err(io::Error::other(format!(
                "the server answered with {} bytes from byte {} for bytes {start}-{last}",
                answer.body.len(),
                answer.from
            )));
        }
        self.cache().insert(first, &answer.body);
        self.last_end = first + blocks;
        self.last_blocks = blocks;
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
        let len = self.shared.len;
        if self.pos >= len || buf.is_empty() {
            return Ok(0);
        }
        let block = self.pos / BLOCK;
        let offset = (self.pos % BLOCK) as usize;
        let held = self.cache().read(block, offset, buf);
        let n = match held {
            Some(n) => n,
            None => {
                // going on from the last request: twice as many blocks; else one, or as
                // many as a read of more than a block spans; never past the file's end or
                // a block already held
                let spanned = if buf.len() as u64 > BLOCK {
                    (self.pos + buf.len() as u64).min(len).div_ceil(BLOCK) - block
                } else {
                    1
                };
                self.streaming = block == self.last_end;
                let mut blocks = if self.streaming {
                    (self.last_blocks * 2).min(MAX_BLOCKS)
                } else {
                    1
                }
                .max(spanned)
                .min(len.div_ceil(BLOCK) - block)
                .min(CACHED_BLOCKS as u64 / 2);
                {
                    let cache = self.cache();
                    if let Some(k) = (1..blocks).find(|k| cache.holds(block + k)) {
                        blocks = k;
                    }
                }
                self.fetch(block, blocks)?;
                self.cache()
                    .read(block, offset, buf)
                    .ok_or_else(|| io::Error::other("a block just read is not held"))?
            }
        };
        self.pos += n as u64;
        if self.streaming && self.pos.is_multiple_of(BLOCK) {
            self.cache().blocks.remove(&block);
        }
        Ok(n)
    }
}

impl Seek for RemoteFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.shared.len.checked_add_signed(d),
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
