//! `idpctl vcf idp list | get | add | update | delete`.

use clap::Subcommand;
use idp_client::{IdentityProvider, IdentityProviderSpec};
use serde_json::json;

use crate::confirm::Confirm;
use crate::failure::Failure;
use crate::input::{FileArg, read_document};
use crate::output::{Output, fields, kind_label, table};
use crate::settings::VcfSettings;

#[derive(Debug, Subcommand)]
pub enum IdpCommand {
    /// List identity providers.
    List,
    /// Show one identity provider.
    Get { id: String },
    /// Add an external identity provider from an IdentityProviderSpec JSON file.
    Add(FileArg),
    /// Update an external identity provider.
    Update {
        id: String,
        #[command(flatten)]
        file: FileArg,
    },
    /// Delete an external identity provider.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

impl IdpCommand {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        match self {
            Self::Add(file) | Self::Update { file, .. } => file.is_stdin(),
            Self::List | Self::Get { .. } | Self::Delete { .. } => false,
        }
    }
}

pub async fn run(command: IdpCommand, vcf: &VcfSettings<'_>, out: Output) -> Result<(), Failure> {
    match command {
        IdpCommand::List => {
            let providers = vcf.client()?.list_identity_providers().await?;
            out.emit(&providers, || providers_table(&providers))
        }
        IdpCommand::Get { id } => {
            let provider = vcf.client()?.get_identity_provider(&id).await?;
            out.emit(&provider, || provider_details(&provider))
        }
        IdpCommand::Add(file) => {
            let spec: IdentityProviderSpec = read_document(&file.file)?;
            let id = vcf.client()?.add_external_identity_provider(&spec).await?;
            out.emit(&json!({ "id": id }), || {
                format!("added identity provider {id}\n")
            })
        }
        IdpCommand::Update { id, file } => {
            let spec: IdentityProviderSpec = read_document(&file.file)?;
            vcf.client()?
                .update_external_identity_provider(&id, &spec)
                .await?;
            out.emit(&json!({ "id": id, "result": "updated" }), || {
                format!("updated identity provider {id}\n")
            })
        }
        IdpCommand::Delete { id, confirm } => {
            confirm.ask(&format!("delete identity provider {id}"))?;
            vcf.client()?.delete_external_identity_provider(&id).await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted identity provider {id}\n")
            })
        }
    }
}

/// `ID NAME TYPE STATUS DOMAINS`.
pub fn providers_table(providers: &[IdentityProvider]) -> String {
    let rows: Vec<Vec<String>> = providers
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                p.name.clone(),
                kind_label(p.kind.as_str()),
                p.status
                    .as_ref()
                    .map_or_else(|| "-".into(), ToString::to_string),
                domains(p).join(","),
            ]
        })
        .collect();
    table(&["ID", "NAME", "TYPE", "STATUS", "DOMAINS"], &rows)
}

fn domains(provider: &IdentityProvider) -> Vec<String> {
    if !provider.domain_names.is_empty() {
        return provider.domain_names.clone();
    }
    if let Some(directory) = provider
        .fed_idp
        .as_ref()
        .and_then(|f| f.directory_list.as_ref())
    {
        return directory.domains.clone();
    }
    provider
        .identity_sources
        .iter()
        .flat_map(|s| s.domain_names.iter().cloned())
        .collect()
}

fn provider_details(provider: &IdentityProvider) -> String {
    let mut pairs = vec![
        ("id", provider.id.clone()),
        ("name", provider.name.clone()),
        ("type", kind_label(provider.kind.as_str())),
        (
            "status",
            provider
                .status
                .as_ref()
                .map_or_else(|| "-".into(), ToString::to_string),
        ),
        ("domains", domains(provider).join(", ")),
    ];
    if let Some(message) = provider.idp_message.as_deref().filter(|m| !m.is_empty()) {
        pairs.push(("message", message.to_owned()));
    }
    // ADFS reports its OIDC settings at the top level, a federated broker
    // under `fedIdp.oidcInfo`.
    let oidc = provider
        .oidc
        .as_ref()
        .or_else(|| provider.fed_idp.as_ref().and_then(|f| f.oidc_info.as_ref()));
    if let Some(oidc) = oidc {
        pairs.push(("oidc client", oidc.client_id.clone().unwrap_or_default()));
        for (label, value) in [
            ("oidc discovery", &oidc.discovery_endpoint),
            ("oidc issuer", &oidc.issuer),
            ("oidc authorize", &oidc.auth_endpoint),
            ("oidc token", &oidc.token_endpoint),
            ("oidc logout", &oidc.logout_endpoint),
            ("oidc keys", &oidc.public_key_uri),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((label, value.to_owned()));
            }
        }
    }
    if let Some(fed) = &provider.fed_idp {
        pairs.push((
            "federation",
            fed.source
                .as_ref()
                .map_or_else(String::new, |s| kind_label(s.as_str())),
        ));
        if let Some(info) = &fed.sync_client_token_info {
            pairs.push(("scim url", info.scim_url.clone().unwrap_or_default()));
            pairs.push((
                "token expires",
                info.expires_at
                    .map_or_else(|| "unknown".into(), |t| t.to_rfc3339()),
            ));
        }
    }
    let mut text = fields(&pairs);
    if !provider.identity_sources.is_empty() {
        text.push('\n');
        let rows: Vec<Vec<String>> = provider
            .identity_sources
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    kind_label(s.kind.as_str()),
                    s.domain_names.join(","),
                ]
            })
            .collect();
        text.push_str(&table(&["SOURCE", "TYPE", "DOMAINS"], &rows));
    }
    text
}
