//! Ties the compiled code to the specs this crate carries.
//!
//! By default the crate compiles the committed `generated/<module>.rs`
//! (written by `cargo xtask regen`), and this script only checks that each
//! was generated from `openapi/<file>` as it is now (the digest in its
//! header), so an edited spec without a regeneration fails the build with
//! the fix, instead of compiling stale code. With the `codegen` feature it
//! generates the same files from the specs into `OUT_DIR` instead.
//!
//! Either way the specs are found from this crate's own directory, read
//! when the script runs (`CARGO_MANIFEST_DIR` at run time, never a path
//! compiled into a dependency), so two checkouts sharing one target
//! directory each use their own. See the README's "Where the specs come
//! from".

use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let openapi = specs_dir(&manifest_dir);
    println!("cargo:rerun-if-changed=build.rs");
    for api in idp_codegen::SPECS {
        let spec = openapi.join(api.file);
        println!("cargo:rerun-if-changed={}", spec.display());
        use_spec(&manifest_dir, api, &spec);
    }
}

/// Checks that the committed code of `api` was generated from `spec`.
#[cfg(not(feature = "codegen"))]
fn use_spec(manifest_dir: &Path, api: &idp_codegen::ApiSpec, spec: &Path) {
    let generated = manifest_dir
        .join(idp_codegen::GENERATED_DIR)
        .join(format!("{}.rs", api.module));
    println!("cargo:rerun-if-changed={}", generated.display());
    let spec_bytes = read(spec);
    let code = String::from_utf8_lossy(&read(&generated)).into_owned();
    if let Err(mismatch) = idp_codegen::check_snapshot_digest(api, &spec_bytes, &code) {
        panic!("{mismatch}");
    }
}

/// Generates the code of `api` from `spec` into `OUT_DIR`.
#[cfg(feature = "codegen")]
fn use_spec(_manifest_dir: &Path, api: &idp_codegen::ApiSpec, spec: &Path) {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let code = idp_codegen::snapshot(api, spec).unwrap_or_else(|e| panic!("{e}"));
    let target = out_dir.join(format!("{}.rs", api.module));
    if let Err(e) = std::fs::write(&target, code) {
        panic!("cannot write {}: {e}", target.display());
    }
}

/// The crate's `openapi/`: in a git checkout a symlink to the workspace's
/// `openapi/`, in a package the specs themselves. A checkout where git wrote
/// the symlink as a plain file (Windows without `core.symlinks`) falls back
/// to the workspace's `openapi/`, found relative to this crate.
fn specs_dir(manifest_dir: &Path) -> PathBuf {
    let own = manifest_dir.join(idp_codegen::SPECS_DIR);
    if own.is_dir() {
        return own;
    }
    let workspace = manifest_dir.join("../..").join(idp_codegen::SPECS_DIR);
    if workspace.is_dir() {
        return workspace;
    }
    panic!(
        "no specs: neither {} nor {} is a directory",
        own.display(),
        workspace.display()
    );
}

#[cfg(not(feature = "codegen"))]
fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
