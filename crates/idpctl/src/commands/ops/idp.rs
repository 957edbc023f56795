//! `idpctl ops idp list | get | create | delete`: a realm's identity
//! provider.

use std::time::Duration;

use clap::{Args, Subcommand};
use idp_client::vcf_ops::IdentityProvider;
use idp_config::RealmIdentityProvider;
use serde_json::json;

use super::{find_realm, realm_label};
use crate::confirm::Confirm;
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::input::{FileArg, read_document};
use crate::output::{Output, fields, table};
use crate::settings::OpsSettings;

#[derive(Debug, Subcommand)]
pub enum IdpCommand {
    /// List the identity provider of each realm.
    List,
    /// Show one identity provider (never its client secret).
    Get { id: String },
    /// Create a realm's identity provider from a JSON file: the shape of a
    /// document's `identityProvider` (`idpctl schema config`), its client
    /// secret a reference (`env:NAME`, `file:PATH`) or the secret itself.
    Create(CreateArgs),
    /// Delete an identity provider and wait for the server's task.
    Delete {
        id: String,
        /// How long to wait for the server's task.
        #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
        task_timeout: Duration,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// `idpctl ops idp create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The realm, by name or id.
    #[arg(long, value_name = "REALM")]
    realm: String,
    #[command(flatten)]
    file: FileArg,
}

impl IdpCommand {
    /// Whether the command reads a `--file -` document from stdin.
    pub fn reads_stdin(&self) -> bool {
        matches!(self, Self::Create(args) if args.file.is_stdin())
    }
}

pub async fn run(command: IdpCommand, ops: &OpsSettings<'_>, out: Output) -> Result<(), Failure> {
    match command {
        IdpCommand::List => {
            let client = ops.client()?;
            let realms = client.list_realms().await?;
            let mut providers = Vec::new();
            for realm in &realms {
                if let Some(id) = realm.idp_id.as_deref().filter(|id| !id.trim().is_empty()) {
                    providers.push((realm_label(realm), client.get_identity_provider(id).await?));
                }
            }
            let json: Vec<_> = providers
                .iter()
                .map(|(realm, p)| json!({ "realm": realm, "identityProvider": p }))
                .collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = providers
                    .iter()
                    .map(|(realm, p)| {
                        vec![
                            p.id.clone(),
                            p.name.clone(),
                            realm.clone(),
                            p.protocol.to_string(),
                            p.idp_type.clone(),
                            p.provision_type.to_string(),
                            p.directories
                                .iter()
                                .map(|d| d.name.clone())
                                .collect::<Vec<_>>()
                                .join(","),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "ID",
                        "NAME",
                        "REALM",
                        "PROTOCOL",
                        "TYPE",
                        "PROVISIONING",
                        "DIRECTORIES",
                    ],
                    &rows,
                )
            })
        }
        IdpCommand::Get { id } => {
            let provider = ops.client()?.get_identity_provider(&id).await?;
            out.emit(&provider, || details(&provider))
        }
        IdpCommand::Create(args) => {
            let desired: RealmIdentityProvider = read_document(&args.file.file)?;
            let client = ops.client()?;
            let realm = find_realm(&client, &args.realm).await?;
            let spec = idp_config::realm_idp_spec(&realm.id, None, &desired)
                .map_err(|e| Failure::usage(format!("{}: {e}", args.file.file)))?;
            let created = client.create_identity_provider(&spec).await?;
            out.emit(&created, || {
                format!(
                    "created identity provider {} ({}) in realm {}\n",
                    created.name,
                    created.id,
                    realm_label(&realm)
                )
            })
        }
        IdpCommand::Delete {
            id,
            task_timeout,
            confirm,
        } => {
            confirm.ask(&format!(
                "delete identity provider {id} (users stop logging in through it)"
            ))?;
            let client = ops.client()?;
            let task = client.start_delete_identity_provider(&id, false).await?;
            let done = client.wait_task(&task.id, task_timeout).await?;
            out.emit(
                &json!({ "id": id, "result": "deleted", "taskId": done.id }),
                || format!("deleted identity provider {id} (task {})\n", done.id),
            )
        }
    }
}

fn details(p: &IdentityProvider) -> String {
    let mut pairs = vec![
        ("id", p.id.clone()),
        ("name", p.name.clone()),
        ("realm", p.sso_realm_id.clone()),
        ("protocol", p.protocol.to_string()),
        ("type", p.idp_type.clone()),
        ("provisioning", p.provision_type.to_string()),
    ];
    if let Some(oidc) = &p.oidc {
        pairs.push(("discovery endpoint", oidc.discovery_endpoint.clone()));
        pairs.push(("client id", oidc.client_id.clone()));
    }
    if let Some(saml) = &p.saml {
        pairs.push((
            "metadata url",
            saml.metadata_url.clone().unwrap_or_else(|| "-".into()),
        ));
    }
    for d in &p.directories {
        pairs.push((
            "directory",
            format!(
                "{} ({}) domains {}",
                d.name,
                d.id.as_deref().unwrap_or("-"),
                d.domains.join(",")
            ),
        ));
    }
    fields(&pairs)
}
