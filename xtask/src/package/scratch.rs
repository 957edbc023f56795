//! Builds `idp-client` and `idpctl` from the `.crate` files alone and runs
//! them: the packaged `idpctl` starts the simulator, a packaged
//! `idp-client` example lists its identity providers.
//!
//! The scratch workspace (`target/package-check/scratch/`) holds the
//! unpacked packages and a manifest whose `[patch.crates-io]` points every
//! published crate at its unpacked package, so dependencies between them
//! resolve to the packages, exactly as they would from crates.io. It starts
//! from the workspace's `Cargo.lock`, so every other dependency has the
//! workspace's version and, built in the workspace's target directory,
//! is already compiled.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{remove_dir, set_modified};
use crate::bench::{cargo, run};

/// How long the simulator may take to print its settings.
pub const SIM_START_TIMEOUT: Duration = Duration::from_secs(60);

/// How long the example may run.
pub const EXAMPLE_TIMEOUT: Duration = Duration::from_secs(120);

/// The example run against the simulator.
pub const EXAMPLE: &str = "list_providers";

/// The settings `idpctl sim` prints that the example reads.
pub const SIM_ENV: &[&str] = &["VCF_URL", "VCF_USERNAME", "VCF_PASSWORD"];

/// Unpacks `crates`, builds, starts the simulator and runs the example.
///
/// # Errors
///
/// A step failed; the message says which.
pub fn build_and_run(root: &Path, target: &Path, crates: &[PathBuf]) -> Result<(), String> {
    let scratch = target.join("package-check").join("scratch");
    let previous = target.join("package-check").join("scratch.previous");
    remove_dir(&previous)?;
    if scratch.exists() {
        std::fs::rename(&scratch, &previous).map_err(|e| format!("{}: {e}", scratch.display()))?;
    }
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let mut patches = String::new();
    let mut members = Vec::new();
    for file in crates {
        let mut tar = Command::new("tar");
        tar.arg("-xzf").arg(file).arg("-C").arg(&scratch);
        run(&mut tar, &format!("tar -xzf {}", file.display()))?;
        let dir = file
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".crate"))
            .ok_or_else(|| format!("{}: not a .crate file", file.display()))?;
        let name = dir
            .rsplit_once('-')
            .map(|(name, _version)| name)
            .ok_or_else(|| format!("{dir}: no version in the name"))?;
        patches.push_str(&format!("{name} = {{ path = \"{dir}\" }}\n"));
        members.push(format!("\"{dir}\""));
    }
    // Every file in a `.crate` has the same old modification time, and
    // cargo decides freshness by modification times: a file that changed
    // since the last check must look newer than the last build.
    carry_mtimes(&scratch, &previous)?;
    remove_dir(&previous)?;
    let manifest = format!(
        "# Written by `cargo xtask package-check`: the packages alone.\n\
         [workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[patch.crates-io]\n{patches}",
        members.join(", ")
    );
    write(&scratch.join("Cargo.toml"), &manifest)?;
    let lock = root.join("Cargo.lock");
    std::fs::copy(&lock, scratch.join("Cargo.lock"))
        .map_err(|e| format!("{}: {e}", lock.display()))?;

    let mut build = cargo();
    build
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "build",
            "--quiet",
            "-p",
            "idp-client",
            "--example",
            EXAMPLE,
            "-p",
            "idpctl",
            "--bin",
            "idpctl",
        ]);
    run(
        &mut build,
        "cargo build of idp-client and idpctl from the packages",
    )?;

    let bin = target.join("debug");
    let idpctl = bin.join(format!("idpctl{}", std::env::consts::EXE_SUFFIX));
    let example = bin
        .join("examples")
        .join(format!("{EXAMPLE}{}", std::env::consts::EXE_SUFFIX));
    let sim = Running::start(
        Command::new(&idpctl).args(["sim", "--listen", "127.0.0.1:0"]),
        "idpctl sim",
    )?;
    let env = sim.settings(SIM_ENV)?;
    let mut command = Command::new(&example);
    command.envs(env);
    let output = wait_with_timeout(&mut command, &scratch, EXAMPLE_TIMEOUT, EXAMPLE)?;
    drop(sim);
    if !output.status.success() {
        return Err(format!(
            "example {EXAMPLE}: {}\n{}",
            output.status,
            output.stderr.trim()
        ));
    }
    if output.stdout.trim().is_empty() {
        return Err(format!(
            "example {EXAMPLE}: listed no identity providers (the simulator starts with one)"
        ));
    }
    println!("  {EXAMPLE} against the packaged simulator:");
    for line in output.stdout.lines() {
        println!("    {line}");
    }
    Ok(())
}

/// Gives every file under `new` the modification time of the same file
/// under `old` when their contents are equal, and the current time
/// otherwise (a new or changed file).
///
/// # Errors
///
/// A file could not be read or its time set.
pub fn carry_mtimes(new: &Path, old: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(new).map_err(|e| format!("{}: {e}", new.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", new.display()))?;
        let path = entry.path();
        let twin = old.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if kind.is_dir() {
            carry_mtimes(&path, &twin)?;
        } else if kind.is_file() {
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let time = match (std::fs::read(&twin), std::fs::metadata(&twin)) {
                (Ok(previous), Ok(meta)) if previous == bytes => meta
                    .modified()
                    .map_err(|e| format!("{}: {e}", twin.display()))?,
                _ => std::time::SystemTime::now(),
            };
            set_modified(&path, time)?;
        }
    }
    Ok(())
}

fn write(file: &Path, text: &str) -> Result<(), String> {
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))
}

/// A child process killed (and reaped) when dropped, whose stdout lines
/// arrive on a channel.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    what: String,
}

impl Running {
    fn start(command: &mut Command, what: &str) -> Result<Self, String> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("{what}: cannot start: {e}"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| format!("{what}: no stdout"))?;
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Self {
            child,
            lines,
            what: what.to_owned(),
        })
    }

    /// Waits (at most [`SIM_START_TIMEOUT`]) until the process has printed
    /// `NAME=value` (or `export NAME=value`) for every name in `names`.
    fn settings(&self, names: &[&str]) -> Result<Vec<(String, String)>, String> {
        let deadline = Instant::now() + SIM_START_TIMEOUT;
        let mut found: Vec<(String, String)> = Vec::new();
        while found.len() < names.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(line) => line,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(format!(
                        "{}: did not print {} within {SIM_START_TIMEOUT:?}",
                        self.what,
                        names.join(", ")
                    ));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(format!(
                        "{}: exited before printing {}",
                        self.what,
                        names.join(", ")
                    ));
                }
            };
            if let Some((name, value)) = setting(&line)
                && names.contains(&name)
                && !found.iter().any(|(n, _)| n == name)
            {
                found.push((name.to_owned(), value));
            }
        }
        Ok(found)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `NAME=value` or `export NAME=value` (value optionally single-quoted, as
/// a POSIX shell would read it).
#[must_use]
pub fn setting(line: &str) -> Option<(&str, String)> {
    let line = line.trim();
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (name, value) = line.split_once('=')?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        return None;
    }
    let value = match value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        Some(quoted) => quoted.replace("'\\''", "'"),
        None => value.to_owned(),
    };
    Some((name, value))
}

/// What a finished command printed.
struct Finished {
    status: std::process::ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `command` to completion with its output in files under `dir`,
/// killing it after `timeout`.
fn wait_with_timeout(
    command: &mut Command,
    dir: &Path,
    timeout: Duration,
    what: &str,
) -> Result<Finished, String> {
    let out_path = dir.join(format!("{what}.stdout"));
    let err_path = dir.join(format!("{what}.stderr"));
    let open =
        |path: &Path| std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(open(&out_path)?)
        .stderr(open(&err_path)?)
        .spawn()
        .map_err(|e| format!("{what}: cannot start: {e}"))?;
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what}: still running after {timeout:?}; killed"));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what}: {e}"));
            }
        }
    };
    let read = |path: &Path| std::fs::read(path).map(|b| String::from_utf8_lossy(&b).into_owned());
    Ok(Finished {
        status,
        stdout: read(&out_path).map_err(|e| format!("{}: {e}", out_path.display()))?,
        stderr: read(&err_path).map_err(|e| format!("{}: {e}", err_path.display()))?,
    })
}

#[cfg(test)]
mod tests {
    use super::setting;

    #[test]
    fn settings_are_read_plain_exported_and_quoted() {
        assert_eq!(
            setting("VCF_URL=http://127.0.0.1:1"),
            Some(("VCF_URL", "http://127.0.0.1:1".to_owned()))
        );
        assert_eq!(
            setting("export VCF_PASSWORD='it'\\''s'"),
            Some(("VCF_PASSWORD", "it's".to_owned()))
        );
        assert_eq!(setting("admin: http://x/__sim/faults"), None);
        assert_eq!(setting("idp simulator (vcf-5.2) listening on 1"), None);
    }
}
