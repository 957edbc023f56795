//! `--recovery PATH|stdout`: where a rotated token goes when delivery
//! failed, so that it is never lost.

use std::io::Write;
use std::path::{Path, PathBuf};

use idp_client::Secret;

use super::file::create_private;
use crate::failure::Failure;
use crate::output::write_stdout;

/// A parsed `--recovery` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// A new file (mode 0600) at this path; never overwrites anything.
    File(PathBuf),
    /// Printed once on stdout.
    Stdout,
}

/// Where a saved token ended up, for the message on how to finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// In this file.
    File(PathBuf),
    /// Printed on stdout.
    Stdout,
}

impl Recovery {
    /// `stdout`, a path, or (without `--recovery`) a new file in the current
    /// directory named `idpctl-recovered-token-<UTC time>-<pid>`: the
    /// current directory survives reboots, unlike the temporary directory.
    pub fn parse(text: Option<&str>) -> Self {
        match text {
            Some("stdout") => Self::Stdout,
            Some(path) => Self::File(PathBuf::from(path)),
            None => Self::File(PathBuf::from(format!(
                "idpctl-recovered-token-{}-{}",
                chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
                std::process::id()
            ))),
        }
    }

    /// Checks before rotating that the recovery file can be created.
    pub fn preflight(&self) -> Result<(), Failure> {
        let Self::File(path) = self else {
            return Ok(());
        };
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(Failure::usage(format!(
                "--recovery {}: something already exists there (a recovery file is never overwritten); nothing was rotated",
                path.display()
            )));
        }
        super::file::preflight(path).map_err(|e| {
            Failure::usage(format!(
                "--recovery {}: {e}; nothing was rotated",
                path.display()
            ))
        })
    }

    /// Saves the token; if the file cannot be written either, the token is
    /// printed on stdout as the last resort.
    pub fn save(&self, token: &Secret) -> Saved {
        if let Self::File(path) = self {
            match write_new(path, token) {
                Ok(()) => return Saved::File(absolute(path)),
                Err(e) => {
                    tracing::error!(path = %path.display(), error = %e, "cannot write the recovery file; printing the token instead");
                }
            }
        }
        // A closed stdout leaves nothing else to try; the message says so.
        let _ = write_stdout(&format!("{}\n", token.expose()));
        Saved::Stdout
    }
}

impl Saved {
    /// Where the token is, in words.
    pub fn describe(&self) -> String {
        match self {
            Self::File(path) => {
                format!("the new token was saved to {} (mode 0600)", path.display())
            }
            Self::Stdout => "the new token was printed once on stdout".to_owned(),
        }
    }
}

fn write_new(path: &Path, token: &Secret) -> std::io::Result<()> {
    let mut file = create_private(path)?;
    file.write_all(token.expose().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}
