//! `file:PATH`: an atomic write with mode 0600 that never follows a symlink
//! at PATH.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use idp_client::Secret;

/// How often a failed write is tried in all (writing the same file again is
/// idempotent).
const ATTEMPTS: u32 = 3;
/// Pause before the second attempt; doubled each time.
const FIRST_PAUSE: Duration = Duration::from_millis(200);

/// Checks that `path` can be written: its directory exists and accepts a
/// new file, and `path` is neither a symlink nor a directory.
pub fn preflight(path: &Path) -> io::Result<()> {
    refuse_symlink_or_directory(path)?;
    let dir = directory(path)?;
    let meta = std::fs::metadata(&dir)
        .map_err(|e| with_context(e, &format!("directory {}", dir.display())))?;
    if !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    // Permission bits do not tell what root may do, so try it.
    let probe = dir.join(format!(
        ".{}.idpctl-probe-{}",
        file_name(path)?,
        std::process::id()
    ));
    create_private(&probe)
        .map_err(|e| with_context(e, &format!("cannot create a file in {}", dir.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Writes `token` (and a newline) to `path`, retrying a few times.
pub async fn deliver(path: &Path, token: &Secret) -> io::Result<()> {
    let mut pause = FIRST_PAUSE;
    let mut attempt = 1;
    loop {
        match write_atomically(path, token) {
            Ok(()) => return Ok(()),
            Err(e) if attempt >= ATTEMPTS => return Err(e),
            Err(e) => {
                tracing::warn!(path = %path.display(), attempt, error = %e, "writing the token failed; retrying");
                tokio::time::sleep(pause).await;
                pause *= 2;
                attempt += 1;
            }
        }
    }
}

/// The temporary file next to `path` that is renamed over it.
pub fn temporary_path(path: &Path) -> io::Result<PathBuf> {
    Ok(directory(path)?.join(format!(".{}.idpctl-new", file_name(path)?)))
}

/// Temp file in the same directory (created 0600), fsync, rename, fsync
/// of the directory.
fn write_atomically(path: &Path, token: &Secret) -> io::Result<()> {
    write_private(path, &[token.expose().as_bytes(), b"\n"])
}

/// Writes `parts` one after the other to `path` atomically: a temporary file
/// in the same directory (created 0600), fsync, rename over `path`, fsync
/// of the directory. A symlink or directory at `path` is refused.
pub fn write_private(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    refuse_symlink_or_directory(path)?;
    let temporary = temporary_path(path)?;
    // A leftover of an interrupted run; `remove_file` never removes a
    // directory, which then makes the creation below fail.
    match std::fs::remove_file(&temporary) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(with_context(
                e,
                &format!("cannot remove {}", temporary.display()),
            ));
        }
        _ => {}
    }
    let written = (|| {
        let mut file = create_private(&temporary)?;
        for part in parts {
            file.write_all(part)?;
        }
        file.sync_all()
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(with_context(
            e,
            &format!("cannot write {}", temporary.display()),
        ));
    }
    // Checked again: a symlink may have appeared since the first check.
    if let Err(e) = refuse_symlink_or_directory(path) {
        let _ = std::fs::remove_file(&temporary);
        return Err(e);
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        with_context(e, &format!("cannot rename into {}", path.display()))
    })?;
    File::open(directory(path)?).and_then(|d| d.sync_all())
}

/// A new file with mode 0600 from the start; fails if anything (a symlink
/// included) is already there.
pub fn create_private(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

fn refuse_symlink_or_directory(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(io::Error::other(format!(
            "{} is a symbolic link; refusing to follow it (give the real path)",
            path.display()
        ))),
        Ok(meta) if meta.is_dir() => Err(io::Error::other(format!(
            "{} is a directory",
            path.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(with_context(e, &path.display().to_string())),
    }
}

fn directory(path: &Path) -> io::Result<PathBuf> {
    match path.parent() {
        Some(dir) if dir.as_os_str().is_empty() => Ok(PathBuf::from(".")),
        Some(dir) => Ok(dir.to_path_buf()),
        None => Err(io::Error::other(format!(
            "{} is not a file path",
            path.display()
        ))),
    }
}

fn file_name(path: &Path) -> io::Result<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::other(format!("{} is not a file path", path.display())))
}

fn with_context(error: io::Error, context: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{context}: {error}"))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use idp_client::Secret;

    use super::{deliver, preflight, temporary_path};

    #[tokio::test]
    async fn writes_atomically_with_mode_0600_and_replaces_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        std::fs::write(&path, "old\n").unwrap();
        preflight(&path).unwrap();
        deliver(&path, &Secret::new("new-token".to_owned()))
            .await
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new-token\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(!temporary_path(&path).unwrap().exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[tokio::test]
    async fn refuses_a_symlink_a_directory_and_a_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "keep\n").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
        let error = preflight(&link).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        assert!(deliver(&link, &Secret::new("x".to_owned())).await.is_err());
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "keep\n");
        assert!(preflight(dir.path()).is_err());
        assert!(preflight(&dir.path().join("missing/token")).is_err());
    }

    #[tokio::test]
    async fn a_blocked_temporary_file_fails_after_the_retries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        preflight(&path).unwrap();
        std::fs::create_dir(temporary_path(&path).unwrap()).unwrap();
        assert!(deliver(&path, &Secret::new("x".to_owned())).await.is_err());
        assert!(!path.exists());
    }
}
