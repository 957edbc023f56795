//! `cargo xtask ci [--fresh [--keep]]`: runs `.ci/run`.
//!
//! Without arguments, in this checkout. With `--fresh`, as on a new
//! machine: in a clone of the committed `HEAD` (`git clone --no-local`, so
//! uncommitted changes are not part of the run) under the system's
//! temporary directory, with `../shared` beside it (a link to this
//! checkout's), an empty `CARGO_HOME` (every crate downloaded again) and
//! the clone's own, empty, target directory, `CI=true`, no standard input
//! and no variables that cargo set for this process. The clone is removed
//! after a passing run unless `--keep`; a failing run keeps it and says
//! where.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::bench::run;

/// The usage line.
pub const USAGE: &str = "usage: cargo xtask ci [--fresh [--keep]]";

/// Runs `.ci/run` here, or in a fresh clone with empty caches.
///
/// # Errors
///
/// Unknown arguments, a failed clone, or a failed CI run.
pub fn ci(root: &Path, args: &[String]) -> Result<(), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => run_ci(root, None),
        ["--fresh"] => fresh(root, false),
        ["--fresh", "--keep"] | ["--keep", "--fresh"] => fresh(root, true),
        _ => Err(USAGE.to_owned()),
    }
}

fn fresh(root: &Path, keep: bool) -> Result<(), String> {
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("git: cannot start: {e}"))?;
    if !dirty.stdout.is_empty() {
        println!("xtask ci --fresh: uncommitted changes are not part of the run (it clones HEAD)");
    }
    let base = tempfile::Builder::new()
        .prefix("idp-ci-fresh-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let clone = base.path().join("idp");
    let cargo_home = base.path().join("cargo-home");
    std::fs::create_dir(&cargo_home)
        .map_err(|e| format!("cannot create {}: {e}", cargo_home.display()))?;
    run(
        Command::new("git")
            .args(["clone", "--quiet", "--no-local"])
            .arg(root)
            .arg(&clone),
        "git clone",
    )?;
    link_shared(root, base.path())?;
    println!(
        "xtask ci --fresh: {} with CARGO_HOME={} (empty) and an empty target directory",
        clone.display(),
        cargo_home.display()
    );
    let started = Instant::now();
    let outcome = run_ci(&clone, Some(&cargo_home));
    let seconds = started.elapsed().as_secs();
    match outcome {
        Ok(()) => {
            println!(
                "xtask ci --fresh: passed in {seconds} s ({}m{:02}s)",
                seconds / 60,
                seconds % 60
            );
            if keep {
                println!("xtask ci --fresh: kept {}", base.keep().display());
            }
            Ok(())
        }
        Err(message) => {
            let kept = base.keep();
            Err(format!(
                "{message} after {seconds} s; the clone is kept in {}",
                kept.display()
            ))
        }
    }
}

/// `../shared` beside the clone, as CI lays it out.
fn link_shared(root: &Path, base: &Path) -> Result<(), String> {
    let Some(shared) = root.parent().map(|p| p.join("shared")) else {
        return Ok(());
    };
    if !shared.is_dir() {
        println!(
            "xtask ci --fresh: no {} beside this checkout; the run has none either",
            shared.display()
        );
        return Ok(());
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&shared, base.join("shared"))
            .map_err(|e| format!("cannot link {}: {e}", shared.display()))
    }
    #[cfg(not(unix))]
    {
        Err("--fresh links ../shared and runs bash: Unix only".to_owned())
    }
}

/// `bash .ci/run` in `dir`; with `cargo_home`, without cargo's variables.
fn run_ci(dir: &Path, cargo_home: Option<&Path>) -> Result<(), String> {
    let mut command = Command::new("bash");
    command
        .arg(dir.join(".ci").join("run"))
        .current_dir(dir)
        .stdin(Stdio::null());
    if let Some(home) = cargo_home {
        for (name, _) in std::env::vars_os() {
            let name_text = name.to_string_lossy();
            if name_text.starts_with("CARGO") || name_text.starts_with("RUSTC") {
                command.env_remove(&name);
            }
        }
        command.env("CARGO_HOME", home).env("CI", "true");
    }
    run(&mut command, "bash .ci/run").map(|_| ())
}
