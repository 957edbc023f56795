//! `idpctl vcf ...`.

use idp_client::IdentityProvider;
use idp_client::{IdentityProviderSpec, IdentitySourceSpec};
use serde_json::json;

use crate::cli::{DeliveryArgs, SyncRotationArgs, VcfRotateArgs};
use crate::cli::{IdpCommand, SourceCommand, SyncTokenCommand, VcfCommand};
use crate::commands;
use crate::confirm::confirm;
use crate::failure::Failure;
use crate::input::read_document;
use crate::output::{Output, fields, kind_label, table};
use crate::settings::Settings;

pub async fn run(command: VcfCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    match command {
        VcfCommand::Idp { command } => idp(command, settings, out).await,
        VcfCommand::Source { command } => source(command, settings, out).await,
        VcfCommand::SyncToken {
            command: Some(SyncTokenCommand::Status),
            ..
        } => commands::status::run(settings, out).await,
        VcfCommand::SyncToken {
            command: Some(SyncTokenCommand::Rotate(args)),
            ..
        } => commands::rotate::vcf(args, settings, out).await,
        VcfCommand::SyncToken {
            command: None,
            idp_id,
            ttl,
        } => {
            let idp_id =
                idp_id.ok_or_else(|| Failure::usage("sync-token needs an identity provider id"))?;
            let args = VcfRotateArgs {
                idp_id,
                rotation: SyncRotationArgs {
                    ttl,
                    if_expiring_within: None,
                },
                delivery: DeliveryArgs {
                    deliver: None,
                    recovery: None,
                    scim_url: None,
                },
            };
            commands::rotate::vcf(args, settings, out).await
        }
    }
}

async fn idp(command: IdpCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    match command {
        IdpCommand::List => {
            let providers = settings.vcf_client()?.list_identity_providers().await?;
            out.emit(&providers, || providers_table(&providers))
        }
        IdpCommand::Get { id } => {
            let provider = settings.vcf_client()?.get_identity_provider(&id).await?;
            out.emit(&provider, || provider_details(&provider))
        }
        IdpCommand::Add(file) => {
            let spec: IdentityProviderSpec = read_document(&file.file)?;
            let id = settings
                .vcf_client()?
                .add_external_identity_provider(&spec)
                .await?;
            out.emit(&json!({ "id": id }), || {
                format!("added identity provider {id}\n")
            })
        }
        IdpCommand::Update { id, file } => {
            let spec: IdentityProviderSpec = read_document(&file.file)?;
            settings
                .vcf_client()?
                .update_external_identity_provider(&id, &spec)
                .await?;
            out.emit(&json!({ "id": id, "result": "updated" }), || {
                format!("updated identity provider {id}\n")
            })
        }
        IdpCommand::Delete { id, confirm: yes } => {
            confirm(yes.yes, &format!("delete identity provider {id}"))?;
            settings
                .vcf_client()?
                .delete_external_identity_provider(&id)
                .await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted identity provider {id}\n")
            })
        }
    }
}

async fn source(command: SourceCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    let (idp_id, domain, result) = match command {
        SourceCommand::Add { idp_id, file } => {
            let spec: IdentitySourceSpec = read_document(&file.file)?;
            let domain = spec.domain_name().map(str::to_owned).ok_or_else(|| {
                Failure::usage(format!("{}: ldap.domainName is required", file.file))
            })?;
            settings
                .vcf_client()?
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
            settings
                .vcf_client()?
                .update_embedded_identity_source(&idp_id, &domain, &spec)
                .await?;
            (idp_id, domain, "updated")
        }
        SourceCommand::Delete {
            idp_id,
            domain,
            confirm: yes,
        } => {
            confirm(
                yes.yes,
                &format!("delete identity source {domain} of {idp_id}"),
            )?;
            settings
                .vcf_client()?
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
    if let Some(oidc) = &provider.oidc {
        pairs.push(("oidc client", oidc.client_id.clone().unwrap_or_default()));
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
