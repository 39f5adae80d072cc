//! Where files go, and how they get there: every writer in bordermap calls [`write_atomic`],
//! which writes a temporary file in the target's directory and renames it into place, so a
//! failed run never leaves a half-written output and an existing file survives untouched.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename),
/// creating missing parent directories. `-` writes to stdout.
///
/// Refuses a path that is an existing directory, and any path in `inputs` (so an output
/// never overwrites an input).
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
    write_atomic_with(path, inputs, |w| {
        w.write_all(bytes).map_err(|e| Error::io(path, e))
    })
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
        return out.flush().map_err(|e| Error::io("<stdout>", e));
    }
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{}: the output is a directory; give a file name",
            path.display()
        )));
    }
    for input in inputs {
        if same_file(path, input) {
            return Err(Error::Usage(format!(
                "{}: refusing to overwrite an input file; choose another output path",
                path.display()
            )));
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".bordermap-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(&dir, e))?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut w)?;
        w.flush().map_err(|e| Error::io(path, e))?;
    }
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    #[cfg(unix)]
    {
        // tempfile creates files readable by the owner only; outputs are ordinary files.
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// [`write_atomic`] for text in pieces, written one after the other (no copy into one
/// buffer).
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("a.csv");
/// bordermap::output::write_atomic_parts(&out, &["id\n", "1\n"], &[]).unwrap();
/// assert_eq!(std::fs::read(&out).unwrap(), b"id\n1\n");
/// ```
pub fn write_atomic_parts<T: AsRef<[u8]>>(
    path: &Path,
    parts: &[T],
    inputs: &[&Path],
) -> Result<()> {
    write_atomic_with(path, inputs, |w| {
        parts
            .iter()
            .try_for_each(|p| w.write_all(p.as_ref()))
            .map_err(|e| Error::io(path, e))
    })
}

/// True when two paths name the same file (after resolving what exists of them).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if a.as_os_str() == "-" || b.as_os_str() == "-" {
        return false;
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
