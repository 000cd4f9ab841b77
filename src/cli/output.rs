//! Writing outputs atomically: a temporary file beside the target, then a
//! rename, so that a reader never sees half a file and a failure leaves
//! nothing behind.

use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, contents, None)
}

/// Replaces the existing file `path` atomically, keeping its permissions
/// (set on the temporary file before the rename, so that the new contents
/// are never readable more widely than the old).
pub fn replace_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let permissions = std::fs::metadata(path)?.permissions();
    write_atomic_with(path, contents, Some(permissions))
}

/// Writes several files as one: each is first written in full to a
/// temporary file beside its target, and only when every one of them is
/// on disk are they renamed into place. A failure before the renames
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
    let cleanup = |staged: &[(std::path::PathBuf, &std::path::Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, contents) in files {
        let tmp = temp_path(path);
        let written = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(contents)?;
            file.sync_all()
        })();
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
) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions)?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
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
