#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod digest;
#[cfg(feature = "generate")]
mod generate;
#[cfg(feature = "generate")]
mod operations;

pub use digest::{SnapshotMismatch, check_snapshot_digest, digest_line, spec_digest};
#[cfg(feature = "generate")]
pub use generate::{CodegenError, generate, generate_file, load_spec, settings, snapshot};
#[cfg(feature = "generate")]
pub use operations::{
    OperationFacts, SuccessKind, constant_name, operation_facts, operation_table,
};

use std::path::{Path, PathBuf};

/// One API the workspace generates a client for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiSpec {
    /// The Rust module the generated code lives in (`idp_api::vcf`).
    pub module: &'static str,
    /// The spec's file name under `openapi/`.
    pub file: &'static str,
}

/// Every spec under `openapi/`, in generation order.
pub const SPECS: &[ApiSpec] = &[
    ApiSpec {
        module: "vcf",
        file: "vcf-identity.json",
    },
    ApiSpec {
        module: "unleash",
        file: "unleash-scim.json",
    },
    ApiSpec {
        module: "broker",
        file: "vcf-identity-broker.json",
    },
    ApiSpec {
        module: "vcenter",
        file: "vcenter-session.json",
    },
    ApiSpec {
        module: "okta",
        file: "okta-apps.json",
    },
    ApiSpec {
        module: "msidentity",
        file: "microsoft-identity.json",
    },
    ApiSpec {
        module: "msgraph",
        file: "microsoft-graph-sync.json",
    },
    ApiSpec {
        module: "vcf_ops",
        file: "vcf-operations-identity.json",
    },
];

/// The schema every secret field refers to; generated code uses
/// [`SECRET_REPLACEMENT`] in its place so secrets never print in `Debug`.
pub const SECRET_SCHEMA: &str = "Secret";

/// The hand-written type that replaces [`SECRET_SCHEMA`] in generated code.
pub const SECRET_REPLACEMENT: &str = "crate::Secret";

/// The folder, relative to the workspace root (and to `idp-api`'s package
/// root, where it travels with the package), that holds every spec in
/// [`SPECS`].
///
/// There is deliberately no function returning an absolute path: a path
/// compiled into this crate would be the path of whichever checkout built
/// it, and two checkouts sharing one target directory would then generate
/// from each other's specs. Callers join this to a root they find at run
/// time (`idp-api`'s build script: its `CARGO_MANIFEST_DIR`; xtask: the
/// workspace root).
pub const SPECS_DIR: &str = "openapi";

/// The folder of `idp-api`'s generated code, relative to its package root.
pub const GENERATED_DIR: &str = "generated";

/// Where the generated code of `api` (the snapshot) is committed, relative
/// to the workspace root.
#[must_use]
pub fn snapshot_path(api: &ApiSpec) -> PathBuf {
    Path::new("crates/idp-api")
        .join(GENERATED_DIR)
        .join(format!("{}.rs", api.module))
}
