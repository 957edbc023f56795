//! Code generation with progenitor (the `generate` feature): the settings,
//! the client, and the snapshot `idp-api` compiles.

use std::fmt;
use std::path::{Path, PathBuf};

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

use crate::{ApiSpec, SECRET_REPLACEMENT, SECRET_SCHEMA, digest_line, operation_table};

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

/// Everything generated from one spec, as `idp-api` compiles it: a header
/// (with the spec's digest, see [`crate::check_snapshot_digest`]), the
/// progenitor client, and the operation table as `mod operations`,
/// formatted as one file. `cargo xtask regen` commits it as
/// `crates/idp-api/generated/<module>.rs`; `idp-api`'s build script writes
/// the same text to `OUT_DIR` with the `codegen` feature.
pub fn snapshot(api: &ApiSpec, path: &Path) -> Result<String, CodegenError> {
    let bytes = std::fs::read(path).map_err(|source| CodegenError::Read {
        path: path.to_owned(),
        source,
    })?;
    let spec: openapiv3::OpenAPI =
        serde_json::from_slice(&bytes).map_err(|source| CodegenError::Parse {
            path: path.to_owned(),
            source,
        })?;
    let client = generate(path, &spec)?;
    let table = operation_table(path, &spec)?;
    let combined = format!(
        "{client}
         /// Every operation of this spec: its id, method, path template, tag,
         /// declared statuses and success body, with [`find`](operations::find) by id.
         #[deny(missing_docs)]
         #[warn(clippy::all)]
         pub mod operations {{
         pub use crate::{{Operation, SuccessBody}};
         {table}}}
"
    );
    let file = syn::parse_file(&combined).map_err(|e| CodegenError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "// @generated by idp-codegen from openapi/{} (`cargo xtask regen`); do not edit\n\
         // (`idp_api::{}`: the client, and `operations`, the operation table).\n\
         {}\n\n{}",
        api.file,
        api.module,
        digest_line(&bytes),
        prettyplease::unparse(&file)
    ))
}
