//! Generates the VCF and Unleash clients from `openapi/*.json` into `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let openapi = idp_codegen::openapi_dir();
    println!("cargo:rerun-if-changed=build.rs");
    for api in idp_codegen::SPECS {
        let path = openapi.join(api.file);
        println!("cargo:rerun-if-changed={}", path.display());
        let code = match idp_codegen::generate_file(&path) {
            Ok(code) => code,
            Err(e) => panic!("{e}"),
        };
        let target = out_dir.join(format!("{}.rs", api.module));
        if let Err(e) = std::fs::write(&target, code) {
            panic!("cannot write {}: {e}", target.display());
        }
    }
}
