//! `idpctl vcf source add | update | delete`: identity sources of the
//! Embedded identity provider.

use clap::Subcommand;
use idp_client::IdentitySourceSpec;
use serde_json::json;

use crate::confirm::Confirm;
use crate::failure::Failure;
use crate::input::{FileArg, read_document};
use crate::output::Output;
use crate::settings::VcfSettings;

#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Add an identity source from an IdentitySourceSpec JSON file.
    Add {
        idp_id: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Update the identity source with the given domain name.
    Update {
        idp_id: String,
        domain: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Delete the identity source with the given domain name.
    Delete {
        idp_id: String,
        domain: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

impl SourceCommand {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        match self {
            Self::Add { file, .. } | Self::Update { file, .. } => file.is_stdin(),
            Self::Delete { .. } => false,
        }
    }
}

pub async fn run(
    command: SourceCommand,
    vcf: &VcfSettings<'_>,
    out: Output,
) -> Result<(), Failure> {
    let (idp_id, domain, result) = match command {
        SourceCommand::Add { idp_id, file } => {
            let spec: IdentitySourceSpec = read_document(&file.file)?;
            let domain = spec.domain_name().map(str::to_owned).ok_or_else(|| {
                Failure::usage(format!("{}: ldap.domainName is required", file.file))
            })?;
            vcf.client()?
                .add_embedded_identity_source(&idp_id, &spec)
                .await?;
            (idp_id, domain, "added")
        }
        SourceCommand::Update {
            idp_id,
            domain,
            file,
        } => {
            let spec: IdentitySourceSpec = read_document(&file.file)?;
            vcf.client()?
                .update_embedded_identity_source(&idp_id, &domain, &spec)
                .await?;
            (idp_id, domain, "updated")
        }
        SourceCommand::Delete {
            idp_id,
            domain,
            confirm,
        } => {
            confirm.ask(&format!("delete identity source {domain} of {idp_id}"))?;
            vcf.client()?
                .delete_identity_source(&idp_id, &domain)
                .await?;
            (idp_id, domain, "deleted")
        }
    };
    out.emit(
        &json!({ "idpId": idp_id, "domainName": domain, "result": result }),
        || format!("{result} identity source {domain} of identity provider {idp_id}\n"),
    )
}
