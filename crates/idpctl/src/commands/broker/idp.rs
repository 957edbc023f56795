//! `idpctl broker idp list | get | create | update | delete`: OIDC
//! identity providers of the broker.

use clap::{Args, Subcommand};
use idp_client::{BrokerIdentityProvider, BrokerOidcProfile, BrokerOidcProviderSpec, Secret};
use serde_json::{Value, json};

use crate::confirm::Confirm;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::{BrokerSettings, Settings};

/// The fields of an OIDC identity provider. The client secret comes from
/// BROKER_IDP_CLIENT_SECRET (or stdin with --secret-stdin), never a flag.
#[derive(Debug, Clone, Args)]
pub struct IdpFields {
    /// The identity provider's unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// A directory it serves (repeat for several).
    #[arg(long = "directory", value_name = "DIRECTORY_ID")]
    pub directories: Vec<String>,
    /// The OIDC discovery URL (.../.well-known/openid-configuration).
    #[arg(long, value_name = "URL")]
    pub configuration_url: Option<String>,
    /// The client id at the identity provider.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IdpCommand {
    /// List the identity providers.
    List,
    /// Show one identity provider.
    Get { id: String },
    /// Create an OIDC identity provider.
    Create(IdpFields),
    /// Change the fields given (the secret too when BROKER_IDP_CLIENT_SECRET is set).
    Update {
        id: String,
        #[command(flatten)]
        fields: IdpFields,
    },
    /// Delete an identity provider.
    Delete {
        id: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

fn idp_spec(fields: IdpFields, secret: Option<Secret>) -> BrokerOidcProviderSpec {
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = fields.name;
    spec.directory_ids = fields.directories;
    if fields.configuration_url.is_some() || fields.client_id.is_some() || secret.is_some() {
        let mut oidc = BrokerOidcProfile::default();
        oidc.configuration_url = fields.configuration_url;
        oidc.client_id = fields.client_id;
        oidc.client_secret = secret;
        spec.oidc = Some(oidc);
    }
    spec
}

fn idp_json(idp: &BrokerIdentityProvider) -> Value {
    let oidc = idp.oidc.as_ref().map(|o| {
        json!({
            "configuration_url": o.configuration_url,
            "client_id": o.client_id,
            "user_attribute_mapping": o.user_attribute_mapping,
        })
    });
    json!({
        "id": idp.id,
        "name": idp.name,
        "idp_type": idp.idp_type,
        "directory_ids": idp.directories.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "oidc": oidc,
    })
}

pub async fn run(
    command: IdpCommand,
    broker: &BrokerSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        IdpCommand::List => {
            let list = broker.client()?.list_identity_providers().await?;
            let json: Vec<Value> = list
                .iter()
                .map(|i| {
                    json!({ "id": i.id, "name": i.name, "idp_type": i.idp_type, "directory_ids": i.directory_ids })
                })
                .collect();
            out.emit(&json, || {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.clone(),
                            i.name.clone(),
                            i.idp_type.clone().unwrap_or_default(),
                            i.directory_ids.join(","),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "TYPE", "DIRECTORIES"], &rows)
            })
        }
        IdpCommand::Get { id } => {
            let idp = broker.client()?.get_identity_provider(&id).await?;
            out.emit(&idp_json(&idp), || idp_fields(&idp))
        }
        IdpCommand::Create(fields) => {
            let secret = settings.broker_idp_client_secret().ok_or_else(|| {
                Failure::usage(
                    "the OIDC client secret comes from BROKER_IDP_CLIENT_SECRET (never a flag)",
                )
            })?;
            let idp = broker
                .client()?
                .create_oidc_identity_provider(&idp_spec(fields, Some(secret)))
                .await?;
            out.emit(&idp_json(&idp), || {
                format!("created identity provider {}\n", idp.id)
            })
        }
        IdpCommand::Update { id, fields } => {
            let secret = settings.broker_idp_client_secret();
            let idp = broker
                .client()?
                .update_identity_provider(&id, &idp_spec(fields, secret))
                .await?;
            out.emit(&idp_json(&idp), || {
                format!("updated identity provider {}\n", idp.id)
            })
        }
        IdpCommand::Delete { id, confirm } => {
            confirm.ask(&format!("delete identity provider {id}"))?;
            broker.client()?.delete_identity_provider(&id).await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted identity provider {id}\n")
            })
        }
    }
}

fn idp_fields(idp: &BrokerIdentityProvider) -> String {
    let oidc = idp.oidc.clone().unwrap_or_default();
    fields(&[
        ("id", idp.id.clone()),
        ("name", idp.name.clone()),
        ("type", idp.idp_type.clone().unwrap_or_default()),
        (
            "directories",
            idp.directories
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "configuration url",
            oidc.configuration_url.unwrap_or_default(),
        ),
        ("client id", oidc.client_id.unwrap_or_default()),
    ])
}
