//! `cargo xtask package-check`: the publishable crates package, and what is
//! in the packages is enough.
//!
//! 1. [`two_checkouts`]: two copies of the workspace with different specs
//!    build against one target directory, and each gets its own specs.
//! 2. `cargo package --no-verify` for [`PUBLISHED`] together (cargo resolves
//!    their dependencies on each other among the packages being made), then
//!    every `.crate` is checked for junk (`target/`, oversized files).
//! 3. [`scratch`]: the `.crate` files unpacked into a scratch workspace under
//!    `target/package-check/`, `[patch.crates-io]` pointing at them, builds
//!    `idp-client` (with its examples) and `idpctl` from the packages alone,
//!    starts the simulator from the packaged `idpctl` and runs one
//!    `idp-client` example against it.
//!
//! `--no-verify`: cargo's own verification builds each package again in a
//! workspace of its own; step 3 builds the same packages from the same files
//! (and runs them), so verifying would only add build time. The one thing
//! verification adds, that a build does not write into the package's source,
//! holds by construction here: `idp-api`'s build script writes nothing by
//! default (it checks the committed code against the specs) and only into
//! `OUT_DIR` with its `codegen` feature.
//!
//! Every build shares the workspace's target directory, so dependencies
//! compiled for the workspace are reused.

pub mod scratch;
pub mod two_checkouts;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use crate::bench::{cargo, run, target_dir};

/// The crates that package and would publish, in dependency order.
pub const PUBLISHED: &[&str] = &[
    "idp-codegen",
    "idp-api",
    "idp-client",
    "idp-sim",
    "idp-config",
    "idpctl",
];

/// A `.crate` file larger than this is a mistake (crates.io's limit is 10 MB;
/// ours are tens of kilobytes).
pub const MAX_CRATE_BYTES: u64 = 2 * 1024 * 1024;

/// Runs the whole package check for the workspace at `root`.
///
/// # Errors
///
/// A step failed; the message says which and why.
pub fn package_check(root: &Path) -> Result<(), String> {
    let target = target_dir(root);
    let started = Instant::now();

    let step = Instant::now();
    two_checkouts::two_checkouts(root, &target)?;
    println!(
        "package-check: two checkouts, one target directory: each built its own specs ({:.0?})",
        step.elapsed()
    );

    let step = Instant::now();
    let crates = package(root, &target)?;
    println!(
        "package-check: packaged {} crates ({:.0?})",
        crates.len(),
        step.elapsed()
    );

    let step = Instant::now();
    scratch::build_and_run(root, &target, &crates)?;
    println!(
        "package-check: built idp-client and idpctl from the packages alone and ran an example against the packaged simulator ({:.0?})",
        step.elapsed()
    );
    println!("package-check: done in {:.0?}", started.elapsed());
    Ok(())
}

/// `cargo package` for [`PUBLISHED`]; returns the `.crate` files, checked.
///
/// # Errors
///
/// Packaging failed, a `.crate` is missing, too large, or holds junk.
pub fn package(root: &Path, target: &Path) -> Result<Vec<PathBuf>, String> {
    let mut command = cargo();
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .args(["package", "--no-verify", "--allow-dirty", "--quiet"]);
    for name in PUBLISHED {
        command.args(["-p", name]);
    }
    run(&mut command, "cargo package")?;
    let version = workspace_version(root)?;
    let mut crates = Vec::new();
    for name in PUBLISHED {
        let file = target
            .join("package")
            .join(format!("{name}-{version}.crate"));
        let bytes = std::fs::metadata(&file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .len();
        if bytes > MAX_CRATE_BYTES {
            return Err(format!(
                "{}: {bytes} bytes, more than {MAX_CRATE_BYTES}: what got in?",
                file.display()
            ));
        }
        let entries = crate_entries(&file)?;
        if let Some(junk) = entries.iter().find(|e| is_junk(e)) {
            return Err(format!("{}: holds {junk}", file.display()));
        }
        println!(
            "  {name}-{version}.crate: {bytes} bytes, {} files",
            entries.len()
        );
        crates.push(file);
    }
    Ok(crates)
}

/// Whether a path inside a `.crate` (`name-version/...`) should not be there.
#[must_use]
pub fn is_junk(entry: &str) -> bool {
    let inner = entry.split_once('/').map_or(entry, |(_, rest)| rest);
    inner.split('/').any(|part| {
        matches!(part, "target" | ".git" | "node_modules" | ".venv") || part.ends_with(".crate")
    })
}

/// The file names inside a `.crate` (a gzipped tar), via `tar`.
fn crate_entries(file: &Path) -> Result<Vec<String>, String> {
    let output = std::process::Command::new("tar")
        .arg("-tzf")
        .arg(file)
        .output()
        .map_err(|e| format!("tar -tzf {}: {e}", file.display()))?;
    if !output.status.success() {
        return Err(format!(
            "tar -tzf {}: {}",
            file.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}

/// Removes `dir` and everything in it; a missing `dir` is fine.
pub(crate) fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", dir.display())),
    }
}

/// Sets `file`'s modification time.
pub(crate) fn set_modified(file: &Path, time: SystemTime) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(file)
        .and_then(|f| f.set_modified(time))
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// The workspace's `version` (`[workspace.package]`).
fn workspace_version(root: &Path) -> Result<String, String> {
    let manifest = root.join("Cargo.toml");
    let mut text = String::new();
    std::fs::File::open(&manifest)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut in_package = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value.trim_start().trim_start_matches('=').trim();
            return Ok(value.trim_matches('"').to_owned());
        }
    }
    Err(format!(
        "{}: no version in [workspace.package]",
        manifest.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::is_junk;

    #[test]
    fn junk_is_found_below_the_package_folder() {
        assert!(is_junk("idp-api-0.1.0/target/debug/x"));
        assert!(is_junk("idp-api-0.1.0/a/.git/config"));
        assert!(is_junk("idp-api-0.1.0/idp-api-0.1.0.crate"));
        assert!(!is_junk("idp-api-0.1.0/openapi/vcf-identity.json"));
        assert!(!is_junk("idp-api-0.1.0/src/target.rs"));
    }
}
