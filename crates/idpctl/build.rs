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
            // Rebuild when HEAD moves: HEAD itself, the branch it names and
            // packed-refs. Only files that exist are watched: cargo reruns a
            // build script on every build while a watched file is missing
            // (a checkout made by `git init` has none). A loose branch file that
            // `git pack-refs` removes still counts as a change.
            let branch = git(d, &["symbolic-ref", "-q", "HEAD"]);
            let names = ["HEAD", "packed-refs"]
                .into_iter()
                .map(str::to_owned)
                .chain(branch);
            for name in names {
                if let Some(path) = git(d, &["rev-parse", "--git-path", &name]) {
                    let path = d.join(path);
                    if path.is_file() {
                        println!("cargo:rerun-if-changed={}", path.display());
                    }
                }
            }
            Some(commit)
        });
    println!("cargo:rerun-if-changed=build.rs");
    match commit {
        Some(commit) => println!("cargo:rustc-env=IDPCTL_VERSION={version} (git {commit})"),
        None => println!("cargo:rustc-env=IDPCTL_VERSION={version}"),
    }
}
