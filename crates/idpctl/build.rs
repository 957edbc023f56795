//! Sets `IDPCTL_VERSION` for `idpctl --version`: the package version, with
//! the git commit when built from a git checkout. A packaged crate (it has
//! `.cargo_vcs_info.json`) or a build without git gets the version alone.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    let commit = dir
        .as_deref()
        .filter(|d| !d.join(".cargo_vcs_info.json").exists())
        .and_then(|d| {
            let commit = git(d, &["rev-parse", "--short=12", "HEAD"])?;
            // Rebuild when HEAD moves: HEAD itself and the branch it names.
            for name in ["HEAD", "packed-refs"] {
                if let Some(path) = git(d, &["rev-parse", "--git-path", name]) {
                    println!("cargo:rerun-if-changed={}", d.join(path).display());
                }
            }
            if let Some(path) = git(d, &["symbolic-ref", "-q", "HEAD"])
                .and_then(|branch| git(d, &["rev-parse", "--git-path", &branch]))
            {
                println!("cargo:rerun-if-changed={}", d.join(path).display());
            }
            Some(commit)
        });
    println!("cargo:rerun-if-changed=build.rs");
    match commit {
        Some(commit) => println!("cargo:rustc-env=IDPCTL_VERSION={version} (git {commit})"),
        None => println!("cargo:rustc-env=IDPCTL_VERSION={version}"),
    }
}
