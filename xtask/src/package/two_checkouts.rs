//! Two checkouts, one target directory: each build uses its own specs.
//!
//! Cargo names a workspace member's build outputs by the member's path
//! relative to the workspace root, so two copies of this workspace sharing
//! one `CARGO_TARGET_DIR` share `idp-api`'s build-script output folder. The
//! build script must therefore read the specs of the checkout being built
//! (from its own crate, at run time) and say so in `rerun-if-changed` with
//! paths inside the crate. This check copies the workspace's files (tracked
//! and untracked-but-not-ignored, never `target/`) twice, adds an operation
//! to the second copy's VCF spec, and builds `idp-api`'s `operations`
//! example in each against one target directory:
//!
//! 1. the first copy, by default (the committed `generated/` code): its
//!    operations, without the probe;
//! 2. the second copy, by default: the build fails, naming the edited spec
//!    (its committed code no longer matches *its* spec; had the build
//!    script read the first copy's spec, it would have passed);
//! 3. the second copy with the `codegen` feature (generated from the spec at
//!    build time): the first copy's operations plus the probe;
//! 4. the first copy with `codegen` again, after the second: no probe.
//!
//! The copies share the workspace's target directory (and so its compiled
//! dependencies) but must not overwrite the workspace's own `idp-api`
//! artifacts: they build `idp-api` with a profile override of their own
//! ([`COPY_PROFILE`]), which gives its units other names while every
//! dependency keeps the workspace's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use super::{remove_dir, set_modified};
use crate::bench::cargo;

/// Appended to each copy's `Cargo.toml`: `idp-api`'s units get names of
/// their own, shared by the two copies and distinct from the workspace's.
pub const COPY_PROFILE: &str = "\n# Added by `cargo xtask package-check`.\n[profile.dev.package.idp-api]\ndebug = \"line-tables-only\"\n";

/// The operation the second copy's VCF spec gains.
pub const PROBE_OPERATION: &str = "probeTwoCheckouts";

/// Runs the check with the copies under `target/two-checkouts/`.
///
/// # Errors
///
/// Copying or a build failed, or a copy's build printed the other copy's
/// operations.
pub fn two_checkouts(root: &Path, target: &Path) -> Result<(), String> {
    let base = target.join("two-checkouts");
    remove_dir(&base)?;
    let files = workspace_files(root)?;
    let first = base.join("first");
    let second = base.join("second");
    for copy in [&first, &second] {
        copy_files(root, copy, &files)?;
        append(&copy.join("Cargo.toml"), COPY_PROFILE)?;
    }

    // What the first copy builds must be newer than any earlier build in
    // this target directory (cargo compares modification times), as after
    // a real checkout: its specs are written now.
    for api in idp_codegen::SPECS {
        touch(&first.join(idp_codegen::SPECS_DIR).join(api.file))?;
    }
    let first_ops = operations(&first, target, Generation::Committed)?;
    if !first_ops
        .iter()
        .any(|l| l.ends_with(" getIdentityProviders"))
    {
        return Err(format!(
            "the first copy's operations lack getIdentityProviders:\n{}",
            first_ops.join("\n")
        ));
    }
    if first_ops.iter().any(|l| l.ends_with(PROBE_OPERATION)) {
        return Err(format!(
            "the first copy printed {PROBE_OPERATION}, which only the second copy's spec has"
        ));
    }

    // Then the second copy's spec changes (after the first build, as an
    // edit would) and the second copy builds in the same target directory.
    add_probe_operation(
        &second
            .join(idp_codegen::SPECS_DIR)
            .join("vcf-identity.json"),
    )?;
    match operations(&second, target, Generation::Committed) {
        Ok(lines) => {
            return Err(format!(
                "the second copy built although its committed code no longer matches its \
                 edited spec (did the build script read the first copy's spec?):\n{}",
                lines.join("\n")
            ));
        }
        Err(e) if e.contains("openapi/vcf-identity.json") && e.contains("cargo xtask regen") => {}
        Err(e) => {
            return Err(format!(
                "the second copy's build failed, but not with the stale-spec message: {e}"
            ));
        }
    }

    let second_ops = operations(&second, target, Generation::AtBuildTime)?;
    let expected = format!("vcf GET /v1/two-checkouts-probe {PROBE_OPERATION}");
    if !second_ops.contains(&expected) {
        return Err(format!(
            "the second copy built the first copy's specs: no `{expected}` among\n{}",
            second_ops.join("\n")
        ));
    }
    if second_ops.len() != first_ops.len() + 1 {
        return Err(format!(
            "the second copy has {} operations, the first {}: expected exactly one more",
            second_ops.len(),
            first_ops.len()
        ));
    }

    let first_again = operations(&first, target, Generation::AtBuildTime)?;
    if first_again != first_ops {
        return Err(format!(
            "the first copy, generating at build time after the second, printed other \
             operations than from its committed code:\n{}",
            first_again.join("\n")
        ));
    }
    remove_dir(&base)
}

/// The workspace's files as git sees them: tracked, plus untracked files
/// that are not ignored (so an uncommitted new file is part of the copy).
///
/// # Errors
///
/// git failed.
pub fn workspace_files(root: &Path) -> Result<Vec<PathBuf>, String> {
    let output = Command::new("git")
        .current_dir(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .map_err(|e| format!("git ls-files: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git ls-files: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let mut files: Vec<PathBuf> = String::from_utf8_lossy(&output.stdout)
        .split('\0')
        .filter(|f| !f.is_empty())
        .map(PathBuf::from)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// Copies `files` (relative to `root`) into `to`, keeping symlinks as
/// symlinks and modification times as they are (so the workspace's compiled
/// crates stay fresh for the copies). Files deleted from the work tree are
/// skipped.
///
/// # Errors
///
/// A file could not be read or written.
pub fn copy_files(root: &Path, to: &Path, files: &[PathBuf]) -> Result<(), String> {
    for file in files {
        let from = root.join(file);
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            continue;
        };
        let dest = to.join(file);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        if meta.file_type().is_symlink() {
            let link = std::fs::read_link(&from).map_err(|e| format!("{}: {e}", from.display()))?;
            symlink(&link, &dest)?;
        } else if meta.is_file() {
            std::fs::copy(&from, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
            let modified = meta
                .modified()
                .map_err(|e| format!("{}: {e}", from.display()))?;
            set_modified(&dest, modified)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &Path, dest: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(link, dest).map_err(|e| format!("{}: {e}", dest.display()))
}

#[cfg(not(unix))]
fn symlink(_link: &Path, dest: &Path) -> Result<(), String> {
    Err(format!(
        "{}: copying symlinks needs a Unix file system",
        dest.display()
    ))
}

fn touch(file: &Path) -> Result<(), String> {
    set_modified(file, SystemTime::now())
}

fn append(file: &Path, text: &str) -> Result<(), String> {
    let mut content =
        std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    content.push_str(text);
    std::fs::write(file, content).map_err(|e| format!("{}: {e}", file.display()))
}

/// Adds a `GET /v1/two-checkouts-probe` operation, a copy of
/// `getIdentityProviders` under another id, to the spec at `path`.
///
/// # Errors
///
/// The spec could not be read, parsed or written, or lacks
/// `getIdentityProviders`.
pub fn add_probe_operation(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut spec: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut operation = spec
        .pointer("/paths/~1v1~1identity-providers/get")
        .cloned()
        .ok_or_else(|| format!("{}: no GET /v1/identity-providers", path.display()))?;
    operation["operationId"] = PROBE_OPERATION.into();
    operation["summary"] = "Added by the two-checkout check".into();
    let paths = spec
        .get_mut("paths")
        .and_then(serde_json::Value::as_object_mut)
        .ok_or_else(|| format!("{}: no paths", path.display()))?;
    paths.insert(
        "/v1/two-checkouts-probe".to_owned(),
        serde_json::json!({ "get": operation }),
    );
    let text = serde_json::to_string_pretty(&spec).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Where `idp-api`'s code comes from in a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    /// The committed `generated/` code (the default).
    Committed,
    /// Generated from the specs by the build script (`codegen`).
    AtBuildTime,
}

/// Builds and runs `idp-api`'s `operations` example in the copy at `copy`
/// with `target` as target directory; returns its lines.
fn operations(copy: &Path, target: &Path, generation: Generation) -> Result<Vec<String>, String> {
    let mut command = cargo();
    command
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "run",
            "--quiet",
            "--locked",
            "-p",
            "idp-api",
            "--example",
            "operations",
        ]);
    if generation == Generation::AtBuildTime {
        command.args(["--features", "codegen"]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cargo run in {}: {e}", copy.display()))?;
    if !output.status.success() {
        return Err(format!(
            "cargo run -p idp-api --example operations in {}: {}\n{}",
            copy.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}
