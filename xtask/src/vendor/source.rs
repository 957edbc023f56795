//! Where `vendor-extract` reads the vendor's descriptions: a git repository
//! (bare, like the maintainers' mirror, or a clone), read at a commit with
//! `git show`, or a plain directory of files (an unpacked release archive).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of `vmware/vcf-api-specs`.
#[derive(Debug, Clone)]
pub enum Source {
    /// A git repository: files are read at a commit.
    Git(PathBuf),
    /// A directory of files, read as they are.
    Directory(PathBuf),
}

impl Source {
    /// Looks at `path`: a git repository if `git rev-parse` says so.
    ///
    /// # Errors
    ///
    /// `path` is not a directory.
    pub fn open(path: &Path) -> Result<Self, String> {
        if !path.is_dir() {
            return Err(format!("{}: not a directory", path.display()));
        }
        let is_git = Command::new("git")
            .arg("-C")
            .arg(path)
            .args(["rev-parse", "--git-dir"])
            .output()
            .is_ok_and(|out| out.status.success());
        Ok(if is_git {
            Self::Git(path.to_owned())
        } else {
            Self::Directory(path.to_owned())
        })
    }

    /// The full commit id `commit` names (a short id, a tag, a branch).
    ///
    /// # Errors
    ///
    /// Not a git source, or git does not know the commit.
    pub fn resolve_commit(&self, commit: &str) -> Result<String, String> {
        let Self::Git(dir) = self else {
            return Err("not a git repository".to_owned());
        };
        let out = git(
            dir,
            &["rev-parse", "--verify", &format!("{commit}^{{commit}}")],
        )?;
        let id = String::from_utf8_lossy(&out).trim().to_owned();
        if id.len() == 40 && id.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(id)
        } else {
            Err(format!(
                "{}: `git rev-parse {commit}` gave `{id}`, not a commit id",
                dir.display()
            ))
        }
    }

    /// The bytes of `path` (relative to the repository root) at `commit`
    /// (git sources) or as the directory holds it.
    ///
    /// # Errors
    ///
    /// The file is missing or unreadable; the message names it.
    pub fn read(&self, commit: &str, path: &str) -> Result<Vec<u8>, String> {
        match self {
            Self::Git(dir) => git(dir, &["show", &format!("{commit}:{path}")]),
            Self::Directory(dir) => {
                let file = dir.join(path);
                std::fs::read(&file).map_err(|e| format!("{}: cannot read: {e}", file.display()))
            }
        }
    }

    /// Where the files come from, for messages.
    #[must_use]
    pub fn describe(&self, commit: &str, path: &str) -> String {
        match self {
            Self::Git(dir) => format!("{}: {commit}:{path}", dir.display()),
            Self::Directory(dir) => dir.join(path).display().to_string(),
        }
    }
}

/// Runs `git -C dir ARGS` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "{}: git {}: {}",
            dir.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
