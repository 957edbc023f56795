//! `cargo xtask man`: idpctl's manual pages into `target/man/`.
//!
//! The pages come from idpctl's own command definition (clap_mangen), so
//! xtask runs the hidden `idpctl generate-man DIR` instead of linking
//! idpctl's code or clap: xtask stays light and there is one definition.

use std::path::{Path, PathBuf};

use crate::bench::{cargo, target_dir};

/// Where `cargo xtask man` writes: `<target dir>/man`.
#[must_use]
pub fn default_dir(root: &Path) -> PathBuf {
    target_dir(root).join("man")
}

/// Builds idpctl (dev profile) and writes one page per command into `dir`;
/// the pages written.
///
/// # Errors
///
/// A message when idpctl cannot be built or run, or writes no page.
pub fn man(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, String> {
    let status = cargo()
        .current_dir(root)
        .args(["run", "--quiet", "-p", "idpctl", "--", "generate-man"])
        .arg(dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("idpctl generate-man: {status}"));
    }
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "1"))
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(format!("no manual page in {}", dir.display()));
    }
    Ok(pages)
}
