//! Generates the VCF and Unleash clients and their operation tables from
//! the specs this crate carries (`openapi/*.json`) into `OUT_DIR`.
//!
//! The specs are found from this crate's own directory, read when the build
//! script runs (`CARGO_MANIFEST_DIR` at run time, never a path compiled into
//! a dependency), so two checkouts sharing one target directory each build
//! their own specs. See the README's "Where the specs come from".

use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest_dir = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let openapi = specs_dir(&manifest_dir);
    println!("cargo:rerun-if-changed=build.rs");
    for api in idp_codegen::SPECS {
        let path = openapi.join(api.file);
        println!("cargo:rerun-if-changed={}", path.display());
        let spec = idp_codegen::load_spec(&path).unwrap_or_else(|e| panic!("{e}"));
        let client = idp_codegen::generate(&path, &spec).unwrap_or_else(|e| panic!("{e}"));
        write(&out_dir.join(format!("{}.rs", api.module)), &client);
        let table = idp_codegen::operation_table(&path, &spec).unwrap_or_else(|e| panic!("{e}"));
        write(
            &out_dir.join(format!("{}_operations.rs", api.module)),
            &table,
        );
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

fn write(target: &Path, code: &str) {
    if let Err(e) = std::fs::write(target, code) {
        panic!("cannot write {}: {e}", target.display());
    }
}
