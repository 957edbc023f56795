//! Generates the VCF and Unleash clients and their operation tables from
//! `openapi/*.json` into `OUT_DIR`.

use std::path::{Path, PathBuf};

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let openapi = idp_codegen::openapi_dir();
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

fn write(target: &Path, code: &str) {
    if let Err(e) = std::fs::write(target, code) {
        panic!("cannot write {}: {e}", target.display());
    }
}
