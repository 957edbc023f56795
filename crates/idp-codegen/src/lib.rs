#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod operations;

pub use operations::{
    OperationFacts, SuccessKind, constant_name, operation_facts, operation_table,
};

use std::fmt;
use std::path::{Path, PathBuf};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

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

/// The generation settings: the only place they are spelled out.
#[must_use]
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // Every client carries `crate::RequestHooks`, and idp-api implements
        // `ClientHooks` for it, so the facade can stamp credentials on each
        // request without regenerating anything.
        .with_inner_type(inner_type())
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_replacement(
            SECRET_SCHEMA,
            SECRET_REPLACEMENT,
            [TypeImpl::Display].into_iter(),
        );
    settings
}

/// The type every generated `Client` carries (see `idp_api::RequestHooks`).
fn inner_type() -> proc_macro2::TokenStream {
    let path: syn::Path = syn::parse_quote!(crate::RequestHooks);
    quote::quote!(#path)
}

/// Why a spec could not be turned into code.
#[derive(Debug)]
#[non_exhaustive]
pub enum CodegenError {
    /// The spec file could not be read.
    Read {
        /// The spec file.
        path: PathBuf,
        /// Why reading failed.
        source: std::io::Error,
    },
    /// The spec is not a valid OpenAPI 3.0 document.
    Parse {
        /// The spec file.
        path: PathBuf,
        /// Where and why parsing failed.
        source: serde_json::Error,
    },
    /// progenitor rejected the spec.
    Generate {
        /// The spec file.
        path: PathBuf,
        /// progenitor's error, or the message it panicked with.
        message: String,
    },
    /// progenitor produced tokens that are not a Rust file.
    Format {
        /// The spec file.
        path: PathBuf,
        /// The parse error of the generated tokens.
        message: String,
    },
    /// The operation table cannot be built (an operation without id or tag,
    /// success responses of mixed kinds, two ids with one constant name).
    OperationTable {
        /// The spec file.
        path: PathBuf,
        /// Which operation is at fault, and how.
        message: String,
    },
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { path, source } => write!(f, "{}: cannot read: {source}", path.display()),
            Self::Parse { path, source } => {
                write!(
                    f,
                    "{}: not an OpenAPI 3.0 document: {source}",
                    path.display()
                )
            }
            Self::Generate { path, message } => {
                write!(f, "{}: progenitor failed: {message}", path.display())
            }
            Self::Format { path, message } => {
                write!(
                    f,
                    "{}: generated code does not parse: {message}",
                    path.display()
                )
            }
            Self::OperationTable { path, message } => {
                write!(f, "{}: operation table: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Read { source, .. } => Some(source),
            Self::Parse { source, .. } => Some(source),
            Self::Generate { .. } | Self::Format { .. } | Self::OperationTable { .. } => None,
        }
    }
}

/// Reads and parses one spec.
pub fn load_spec(path: &Path) -> Result<openapiv3::OpenAPI, CodegenError> {
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| CodegenError::Parse {
        path: path.to_owned(),
        source,
    })
}

/// Generates the client for one parsed spec, formatted with prettyplease.
pub fn generate(path: &Path, spec: &openapiv3::OpenAPI) -> Result<String, CodegenError> {
    // progenitor panics, rather than erring, on some specs it cannot handle
    // (success responses of mixed kinds, for one): report those as errors too.
    let generated = std::panic::catch_unwind(|| Generator::new(&settings()).generate_tokens(spec));
    let tokens = match generated {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => {
            return Err(CodegenError::Generate {
                path: path.to_owned(),
                message: e.to_string(),
            });
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "progenitor panicked".to_owned());
            return Err(CodegenError::Generate {
                path: path.to_owned(),
                message,
            });
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| CodegenError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Reads, parses and generates one spec file.
pub fn generate_file(path: &Path) -> Result<String, CodegenError> {
    let spec = load_spec(path)?;
    generate(path, &spec)
}

/// The committed snapshot of everything generated from one spec: a header,
/// the progenitor client, and the operation table as `mod operations`,
/// formatted as one file. `cargo xtask regen` writes it to
/// `crates/idp-api/generated/<module>.rs`; nothing compiles it.
pub fn snapshot(api: &ApiSpec, path: &Path) -> Result<String, CodegenError> {
    let spec = load_spec(path)?;
    let client = generate(path, &spec)?;
    let table = operation_table(path, &spec)?;
    let combined = format!("{client}\npub mod operations {{\n{table}}}\n");
    let file = syn::parse_file(&combined).map_err(|e| CodegenError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "// @generated by `cargo xtask regen` from openapi/{}; do not edit\n\
         // (`idp_api::{}`: the client, and `operations`, the operation table).\n\n{}",
        api.file,
        api.module,
        prettyplease::unparse(&file)
    ))
}

/// Where [`snapshot`] is committed, relative to the workspace root.
#[must_use]
pub fn snapshot_path(api: &ApiSpec) -> PathBuf {
    Path::new("crates/idp-api/generated").join(format!("{}.rs", api.module))
}
