//! Writing outputs atomically: a temporary file beside the target, then a
//! rename, so that a reader never sees half a file and a failure leaves
//! nothing behind.
//!
//! An output that exists and is neither a file nor a folder (`/dev/null`,
//! `/dev/stdout`, a FIFO, a terminal) is written into, not renamed over: a
//! rename would put a regular file where the device was (and as root,
//! replace `/dev/null` for every program on the machine).
//!
//! Durability depends on whose file it is (docs/hostile-input.md, "What a
//! crash can leave"). Generated outputs (`build`, `render`, `table`,
//! `report`, `export`, `md -o`, `diff --svg`) are renamed into place
//! without an `fsync`, as compilers and build tools do: a crash of the
//! process leaves the old file or the new one, and only a crash of the
//! machine can leave an empty or partial file, which running the command
//! again rebuilds. A user's own source that tmd rewrites (`fmt`, `md
//! --in-place`) is synced before the rename: the edit cannot be lost to a
//! power cut half-way.
//!
//! A generated output that already holds exactly the new bytes is not
//! rewritten: its modification time is set to now, as a rewrite would set
//! it (so make and its kin see it built), and nothing else changes.
//! Replacing a file by a rename costs more than writing it on some file
//! systems (ext4 starts writing the new file out at once, to make the
//! rename safe), and a rebuild of unchanged models is the common case.

use std::io::Write;
use std::path::Path;

/// Whether a write waits for the data to reach the disk before renaming.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Durable {
    /// A generated output: rebuilt by running the command again.
    No,
    /// A user's source: synced before the rename.
    Yes,
}

/// Writes the generated output `contents` to `path` atomically (no
/// `fsync`; left as it is, with a new modification time, when it already
/// holds `contents`: see the module's doc).
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if unchanged(path, contents) && touch(path).is_ok() {
        return Ok(());
    }
    write_atomic_with(path, contents, None, Durable::No)
}

/// Whether `path` exists and is neither a file nor a folder (a device, a
/// FIFO, a socket; followed through symbolic links): written in place.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes `contents` into the existing special file `path`.
fn write_in_place(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .write_all(contents)
}

/// Whether the regular file `path` holds exactly `contents`.
fn unchanged(path: &Path, contents: &[u8]) -> bool {
    use std::io::Read;
    // Only a regular file is opened: opening a FIFO would wait for a writer.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() == contents.len() as u64 => {}
        _ => return false,
    }
    let mut old = Vec::with_capacity(contents.len());
    // One byte more than expected: a file that grew meanwhile differs.
    let limit = contents.len() as u64 + 1;
    file.take(limit).read_to_end(&mut old).is_ok() && old == contents
}

/// Sets the modification time of `path` to now (its owner can, even on a
/// read-only file; anyone else gets an error, and the file is rewritten).
fn touch(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.set_modified(std::time::SystemTime::now())
}

/// Replaces the user's existing file `path` atomically and durably (synced
/// before the rename), keeping its permissions (set on the temporary file
/// before the rename, so that the new contents are never readable more
/// widely than the old).
pub fn replace_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    write_atomic_with(path, contents, Some(permissions), Durable::Yes)
}

/// Writes several generated files as one: each is first written in full
/// to a temporary file beside its target, and only when every one of them
/// is written are they renamed into place (no `fsync`; a file that already
/// holds its new bytes only gets a new modification time: see the
/// module's doc). A failure before the renames
/// (a full disk, a folder where a file should be) leaves no file of the
/// set and no temporary file. Returns the path that failed with its error.
pub fn write_set_atomic(
    files: &[(std::path::PathBuf, &[u8])],
) -> Result<(), (std::path::PathBuf, std::io::Error)> {
    for (path, _) in files {
        if path.is_dir() {
            let e = std::io::Error::new(std::io::ErrorKind::IsADirectory, "is a folder");
            return Err((path.clone(), e));
        }
    }
    let mut staged: Vec<(std::path::PathBuf, &std::path::Path)> = Vec::new();
    // Devices and FIFOs are written once every file of the set is in place.
    let mut special: Vec<(&std::path::Path, &[u8])> = Vec::new();
    let cleanup = |staged: &[(std::path::PathBuf, &std::path::Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, contents) in files {
        if is_special(path) {
            special.push((path, contents));
            continue;
        }
        if unchanged(path, contents) && touch(path).is_ok() {
            continue;
        }
        let tmp = temp_path(path);
        let written = std::fs::File::create(&tmp).and_then(|mut file| file.write_all(contents));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err((path.clone(), e));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(staged.get(i..).unwrap_or(&[]));
            return Err((path.to_path_buf(), e));
        }
    }
    for (path, contents) in special {
        write_in_place(path, contents).map_err(|e| (path.to_path_buf(), e))?;
    }
    Ok(())
}

/// The temporary file beside `path` that an atomic write renames into it.
fn temp_path(path: &Path) -> std::path::PathBuf {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    dir.join(format!(".{file_name}.tmd-{}.tmp", std::process::id()))
}

fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    permissions: Option<std::fs::Permissions>,
    sync: Durable,
) -> std::io::Result<()> {
    if is_special(path) {
        return write_in_place(path, contents);
    }
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(contents)?;
        if sync == Durable::Yes {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
