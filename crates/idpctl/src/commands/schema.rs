//! `idpctl schema provider-spec|source-spec|config`.

use clap::ValueEnum;
use idp_client::{IdentityProviderSpec, IdentitySourceSpec};

use crate::failure::Failure;
use crate::output::write_stdout;

/// `idpctl schema ...`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaDocument {
    /// IdentityProviderSpec (vcf idp add/update --file).
    ProviderSpec,
    /// IdentitySourceSpec (vcf source add/update --file).
    SourceSpec,
    /// The declarative document of `idpctl plan` / `idpctl apply`.
    Config,
}

/// Prints the JSON Schema of a `--file` document.
pub fn run(document: SchemaDocument) -> Result<(), Failure> {
    let schema = match document {
        SchemaDocument::ProviderSpec => schemars::schema_for!(IdentityProviderSpec),
        SchemaDocument::SourceSpec => schemars::schema_for!(IdentitySourceSpec),
        SchemaDocument::Config => idp_config::document_schema(),
    };
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Failure::other(format!("cannot render the schema: {e}")))?;
    write_stdout(&format!("{text}\n"))
}
