//! Where files go, and how they get there: every writer in bordermap calls [`write_atomic`]
//! (or [`write_all_atomic`] for a set of files), which writes a temporary file in the
//! target's directory and renames it into place, so a failed run never leaves a
//! half-written output and an existing file survives untouched.
//!
//! Three guards sit here, once for every command:
//!
//! - an output must be a new path or an existing regular file: a device, FIFO or socket is
//!   refused (stdout is `-`);
//! - an output never replaces an input: every file read through [`crate::input`] is noted
//!   ([`note_input`]) by device and inode, so symlinks and hard links are caught too, and
//!   each output is compared with all of them;
//! - the temporary files being written are listed, so that the binary's signal handler can
//!   remove them ([`remove_temporary_files`]) before it exits.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// The files this process has read: (device, inode, path as given).
static INPUTS: Mutex<Vec<(FileKey, PathBuf)>> = Mutex::new(Vec::new());

/// The temporary files being written now.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A file's identity: device and inode on Unix (none elsewhere; paths are compared then).
type FileKey = Option<(u64, u64)>;

fn file_key(meta: &std::fs::Metadata) -> FileKey {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Records that this process read the file at `path` (whose metadata is `meta`), so that
/// no later [`write_atomic`] replaces it, whatever name (symlink, hard link) it is given.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("in.txt");
/// std::fs::write(&p, "data").unwrap();
/// bordermap::output::note_input(&p, &std::fs::metadata(&p).unwrap());
/// assert!(bordermap::output::write_atomic(&p, b"x", &[]).is_err());
/// ```
pub fn note_input(path: &Path, meta: &std::fs::Metadata) {
    let mut inputs = INPUTS.lock().unwrap_or_else(PoisonError::into_inner);
    inputs.push((file_key(meta), path.to_path_buf()));
}

/// Removes every temporary file being written (for a signal handler, just before exit).
///
/// # Examples
/// ```
/// bordermap::output::remove_temporary_files(); // nothing being written: nothing to do
/// ```
pub fn remove_temporary_files() {
    let temps = TEMPORARY.lock().unwrap_or_else(PoisonError::into_inner);
    for p in temps.iter() {
        let _ = std::fs::remove_file(p);
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename),
/// creating missing parent directories. `-` writes to stdout.
///
/// Refuses a path that is an existing directory, device, FIFO or socket, and any file that
/// is one of `inputs` or was read by this process (so an output never overwrites an input).
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("maps/a.txt");
/// bordermap::output::write_atomic(&out, b"hello", &[]).unwrap();
/// assert_eq!(std::fs::read(&out).unwrap(), b"hello");
/// assert!(bordermap::output::write_atomic(dir.path(), b"x", &[]).is_err());
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    if path.as_os_str() == "-" {
        return write_stdout(bytes);
    }
    check_output(path, inputs, true)?;
    stage(path, bytes)?.commit()
}

/// The checks of [`write_atomic`] on `path` made before anything is read, so that a command
/// refuses an output it could never write (a directory, a device, one of `inputs`) before it
/// spends its time reading. `-` (stdout) passes. The check is made again when writing.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let dir = tempfile::tempdir().unwrap();
/// let input = dir.path().join("in.geojson");
/// assert!(bordermap::output::check_output_early(&dir.path().join("out.csv"), &[&input]).is_ok());
/// assert!(bordermap::output::check_output_early(Path::new("-"), &[]).is_ok());
/// let e = bordermap::output::check_output_early(dir.path(), &[]).unwrap_err();
/// assert!(e.to_string().contains("is a directory"), "{e}");
/// ```
pub fn check_output_early(path: &Path, inputs: &[&Path]) -> Result<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    check_output(path, inputs, false)
}

/// Replaces a file this process read in order to update it (a sidecar such as
/// `FILE.revisions.json`, read before a push and rewritten after it). The checks are those
/// of [`write_atomic`], except that `path` itself may have been read; it must still not be
/// one of `inputs`.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("state.json");
/// std::fs::write(&p, "1").unwrap();
/// bordermap::output::note_input(&p, &std::fs::metadata(&p).unwrap());
/// bordermap::output::update_atomic(&p, b"2", &[]).unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"2");
/// assert!(bordermap::output::update_atomic(&p, b"3", &[p.as_path()]).is_err());
/// ```
pub fn update_atomic(path: &Path, bytes: &[u8], inputs: &[&Path]) -> Result<()> {
    check_output(path, inputs, false)?;
    stage(path, bytes)?.commit()
}

/// Writes several files all-or-nothing: every path is checked as by [`write_atomic`], then
/// every file is written to a temporary file, and only when all are written is each renamed
/// into place. A failure before the renames leaves every existing file as it was.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let files = vec![(dir.path().join("a.txt"), b"a".to_vec()), (dir.path().to_path_buf(), b"b".to_vec())];
/// assert!(bordermap::output::write_all_atomic(&files, &[]).is_err());
/// assert!(!dir.path().join("a.txt").exists());
/// ```
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)], inputs: &[&Path]) -> Result<()> {
    for (path, _) in files {
        check_output(path, inputs, true)?;
    }
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes))
        .collect::<Result<Vec<_>>>()?;
    staged.into_iter().try_for_each(Staged::commit)
}

/// [`write_atomic`] for output made piece by piece: `write` writes into the temporary file
/// (or stdout for `-`), so a large output is never held in memory. When `write` fails, the
/// temporary file is removed and an existing output survives.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("a.txt");
/// bordermap::output::write_atomic_with(&out, &[], |w| {
///     w.write_all(b"hel").and_then(|()| w.write_all(b"lo")).map_err(|e| bordermap::Error::io("a.txt", e))
/// }).unwrap();
/// assert_eq!(std::fs::read(&out).unwrap(), b"hello");
/// ```
pub fn write_atomic_with(
    path: &Path,
    inputs: &[&Path],
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        write(&mut out)?;
        return out.flush().map_err(|e| Error::io(shown_name(path), e));
    }
    check_output(path, inputs, true)?;
    stage_with(path, write)?.commit()
}

/// The failed write inside a CSV writer's error, as it was (so that a closed pipe is still
/// a closed pipe to the caller); any other CSV error as an I/O error of kind `Other`.
///
/// # Examples
/// ```
/// use std::io::{Error, ErrorKind};
/// let pipe = csv::Error::from(Error::from(ErrorKind::BrokenPipe));
/// assert_eq!(bordermap::output::csv_io_error(pipe).kind(), ErrorKind::BrokenPipe);
/// ```
pub fn csv_io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("CSV: {other:?}")),
    }
}

/// The name an output goes by in a message: `<stdout>` for `-`, else the path itself.
///
/// # Examples
/// ```
/// use bordermap::output::shown_name;
/// use std::path::Path;
/// assert_eq!(shown_name(Path::new("-")), Path::new("<stdout>"));
/// assert_eq!(shown_name(Path::new("a.csv")), Path::new("a.csv"));
/// ```
pub fn shown_name(path: &Path) -> &Path {
    if path.as_os_str() == "-" {
        Path::new("<stdout>")
    } else {
        path
    }
}

/// Writes to stdout; an error (a closed pipe, a full disk) is returned, named `<stdout>`.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(shown_name(Path::new("-")), e))
}

/// The checks every output path passes before anything is written. `noted`: also refuse a
/// file this process read (see [`note_input`]).
fn check_output(path: &Path, inputs: &[&Path], noted: bool) -> Result<()> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(m) = &meta {
        if m.is_dir() {
            return Err(Error::Usage(format!(
                "{}: the output is a directory; give a file name",
                path.display()
            )));
        }
        if !m.is_file() {
            return Err(Error::Usage(format!(
                "{}: the output exists and is not a regular file (a device, FIFO or socket); \
                 give a new path or a regular file (`-` writes stdout)",
                path.display()
            )));
        }
    }
    let key = meta.as_ref().and_then(file_key);
    let read = INPUTS.lock().unwrap_or_else(PoisonError::into_inner);
    let read: &[(FileKey, PathBuf)] = if noted { &read } else { &[] };
    let clash = inputs
        .iter()
        .find(|i| same_file(path, i))
        .map(|i| i.to_path_buf())
        .or_else(|| {
            read.iter()
                // The noted path must still be that file: a deleted input's inode may be reused.
                .find(|(k, p)| {
                    let still = || std::fs::metadata(p).ok().as_ref().and_then(file_key) == key;
                    (key.is_some() && *k == key && still()) || same_file(path, p)
                })
                .map(|(_, p)| p.clone())
        });
    match clash {
        Some(input) => {
            let alias = if input == path {
                String::new()
            } else {
                format!(" (the same file as the input {})", input.display())
            };
            Err(Error::Usage(format!(
                "{}: refusing to overwrite an input file; choose another output path{alias}",
                path.display()
            )))
        }
        None => Ok(()),
    }
}

/// A temporary file written next to its target, not yet renamed into place. Dropping it
/// removes the file.
struct Staged {
    tmp: Option<tempfile::NamedTempFile>,
    path: PathBuf,
}

fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    stage_with(path, |w| w.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// Stages a file whose content `write` writes (through a buffer).
fn stage_with(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<Staged> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".bordermap-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    TEMPORARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(tmp.path().to_path_buf());
    let mut staged = Staged {
        tmp: Some(tmp),
        path: path.to_path_buf(),
    };
    if let Some(tmp) = staged.tmp.as_mut() {
        let mut file = SyncingAhead::new(tmp.as_file());
        {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut file);
            write(&mut w)?;
            w.flush().map_err(|e| Error::io(path, e))?;
        }
        file.finish().map_err(|e| Error::io(path, e))?;
        tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
        #[cfg(unix)]
        {
            // tempfile creates files readable by the owner only; outputs are ordinary files.
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(|e| Error::io(path, e))?;
        }
    }
    Ok(staged)
}

/// Bytes written to a staged file between two requests that the disk take them.
const SYNC_EVERY: u64 = 32 << 20;

/// A staged file that, every [`SYNC_EVERY`] bytes, has what is written so far flushed to
/// the disk on a thread of its own while writing goes on. The `fsync` that must come
/// before the rename then waits for the last part only: at the end of a 364 MB answer it
/// otherwise waited for all of it. An error of an early flush is returned by
/// [`finish`](Self::finish) (a failed flush is reported to one caller only, which may be
/// that thread).
struct SyncingAhead<'a> {
    file: &'a std::fs::File,
    /// Bytes written since the last flush began.
    since: u64,
    flushing: Option<std::thread::JoinHandle<std::io::Result<()>>>,
    /// Flushes begun.
    begun: usize,
}

impl<'a> SyncingAhead<'a> {
    fn new(file: &'a std::fs::File) -> Self {
        SyncingAhead {
            file,
            since: 0,
            flushing: None,
            begun: 0,
        }
    }

    /// Waits for the flush under way, if any, and returns its error.
    fn finish(&mut self) -> std::io::Result<()> {
        match self.flushing.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("flushing to the disk failed"))),
            None => Ok(()),
        }
    }
}

impl Write for SyncingAhead<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.since += n as u64;
        let idle = self.flushing.as_ref().is_none_or(|t| t.is_finished());
        if self.since >= SYNC_EVERY && idle {
            self.finish()?;
            let file = self.file.try_clone()?;
            self.flushing = Some(
                std::thread::Builder::new()
                    .name("flush".into())
                    .spawn(move || file.sync_data())?,
            );
            self.since = 0;
            self.begun += 1;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Staged {
    fn commit(mut self) -> Result<()> {
        match self.tmp.take() {
            Some(tmp) => {
                let tmp_path = tmp.path().to_path_buf();
                let done = tmp.persist(&self.path).map(|_| ());
                forget_temporary(&tmp_path);
                done.map_err(|e| Error::io(&self.path, e.error))
            }
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let tmp_path = tmp.path().to_path_buf();
            drop(tmp);
            forget_temporary(&tmp_path);
        }
    }
}

fn forget_temporary(tmp_path: &Path) {
    TEMPORARY
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|p| p != tmp_path);
}

/// True when two paths name the same file: the same device and inode when both exist
/// (through symlinks and hard links), else the same path once normalised.
///
/// # Examples
/// ```
/// use std::path::Path;
/// assert!(bordermap::output::same_file(Path::new("./a.txt"), Path::new("a.txt")));
/// assert!(!bordermap::output::same_file(Path::new("-"), Path::new("-")));
/// ```
pub fn same_file(a: &Path, b: &Path) -> bool {
    if a.as_os_str() == "-" || b.as_os_str() == "-" {
        return false;
    }
    if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b))
        && let (Some(x), Some(y)) = (file_key(&x), file_key(&y))
    {
        return x == y;
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => normalise(a) == normalise(b),
    }
}

fn normalise(p: &Path) -> PathBuf {
    p.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// Turns text from the data into a safe file-name stem: ASCII letters, digits, `-` and `_`
/// only, no separators, no `..`, at most 80 characters, never empty.
///
/// # Examples
/// ```
/// use bordermap::output::safe_file_stem;
/// assert_eq!(safe_file_stem("../../etc/passwd"), "etc-passwd");
/// assert_eq!(safe_file_stem("Ак-Сай 2022/09"), "Ak-Sai-2022-09");
/// assert_eq!(safe_file_stem(".."), "unnamed");
/// ```
pub fn safe_file_stem(text: &str) -> String {
    let latin = deunicode::deunicode(text);
    let mut out = String::new();
    for c in latin.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "unnamed".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written through [`SyncingAhead`] holds every byte in place, with flushes
    /// begun on the side while it was written.
    #[test]
    fn a_file_flushed_while_written_holds_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        let file = std::fs::File::create(&path).unwrap();
        let len = 3 * SYNC_EVERY as usize + 12_345;
        let byte = |i: usize| (i % 251) as u8;
        let mut w = SyncingAhead::new(&file);
        let mut at = 0;
        while at < len {
            // pieces of uneven length, crossing every boundary
            let piece: Vec<u8> = (at..len.min(at + 1_000_003)).map(byte).collect();
            w.write_all(&piece).unwrap();
            at += piece.len();
        }
        w.finish().unwrap();
        assert!(w.begun >= 1, "no flush began");
        let back = std::fs::read(&path).unwrap();
        assert_eq!(back.len(), len);
        assert!(back.iter().enumerate().all(|(i, &b)| b == byte(i)));
    }

    #[test]
    fn temporary_files_are_listed_until_renamed_and_removed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let staged = stage(&dir.path().join("a.txt"), b"abc").unwrap();
        let tmp = staged.tmp.as_ref().unwrap().path().to_path_buf();
        assert!(tmp.exists());
        remove_temporary_files();
        assert!(!tmp.exists(), "removed as a signal handler would");
        assert!(staged.commit().is_err(), "nothing left to rename");
        assert!(!dir.path().join("a.txt").exists());
        let staged = stage(&dir.path().join("b.txt"), b"b").unwrap();
        staged.commit().unwrap();
        let listed = TEMPORARY.lock().unwrap().clone();
        assert!(
            listed.iter().all(|p| !p.starts_with(dir.path())),
            "{listed:?}"
        );
    }
}
