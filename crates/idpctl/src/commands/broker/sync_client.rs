//! `idpctl broker sync-client show | generate | rotate`: a directory's
//! sync client, the VCF 9 SCIM credentials.

use std::time::Duration;

use clap::{Args, Subcommand};
use idp_client::{BrokerClient, BrokerSyncClient, SyncClientCredentialKind};
use serde_json::{Value, json};

use crate::commands::expiry::not_due;
use crate::commands::rotation::{DeliveryArgs, Plan, Rotated, SyncRotationArgs};
use crate::confirm::Confirm;
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::{BrokerSettings, Settings};

#[derive(Debug, Subcommand)]
pub enum SyncClientCommand {
    /// Show a directory's sync client (never its token or secret).
    Show { directory_id: String },
    /// Generate new sync client credentials (the previous ones stop working) and print them.
    Generate {
        directory_id: String,
        /// A long-lived access token (the default).
        #[arg(long, conflicts_with = "client_credentials")]
        token: bool,
        /// A client id and secret instead of a token.
        #[arg(long)]
        client_credentials: bool,
        /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        ttl: Option<Duration>,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// Generate a new sync client token (the previous credentials stop
    /// working) and deliver it with the broker's SCIM URL.
    Rotate(RotateArgs),
}

/// `idpctl broker sync-client rotate`.
#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    /// The broker directory's id.
    directory_id: String,
    #[command(flatten)]
    rotation: SyncRotationArgs,
    #[command(flatten)]
    confirm: Confirm,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

/// The sync client; `reveal` includes the token or secret (only `generate`
/// prints them: producing them is what it is for).
fn sync_json(directory_id: &str, s: &BrokerSyncClient, reveal: bool) -> Value {
    let mut value = json!({
        "directory_id": directory_id,
        "generate_token": s.generate_token,
        "client_id": s.client_id,
        "access_token_expires_at": s.access_token_expires_at.map(|t| t.to_rfc3339()),
        "token_ttl_minutes": s.token_ttl_minutes,
    });
    if reveal {
        if let Some(token) = &s.access_token {
            value["access_token"] = json!(token.expose());
        }
        if let Some(secret) = &s.client_secret {
            value["client_secret"] = json!(secret.expose());
        }
    }
    value
}

fn sync_fields(directory_id: &str, s: &BrokerSyncClient, reveal: bool) -> String {
    let mut pairs = vec![
        ("directory", directory_id.to_owned()),
        (
            "kind",
            match s.generate_token {
                Some(false) => "client credentials".to_owned(),
                _ => "access token".to_owned(),
            },
        ),
        ("client id", s.client_id.clone().unwrap_or_default()),
        (
            "token expires",
            s.access_token_expires_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_else(|| "-".into()),
        ),
    ];
    if reveal {
        if let Some(token) = &s.access_token {
            pairs.push(("access token", token.expose().to_owned()));
        }
        if let Some(secret) = &s.client_secret {
            pairs.push(("client secret", secret.expose().to_owned()));
        }
    }
    fields(&pairs)
}

pub async fn run(
    command: SyncClientCommand,
    broker: &BrokerSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        SyncClientCommand::Rotate(args) => rotate(args, broker, settings, out).await,
        SyncClientCommand::Show { directory_id } => {
            let s = broker.client()?.sync_client(&directory_id).await?;
            out.emit(&sync_json(&directory_id, &s, false), || {
                sync_fields(&directory_id, &s, false)
            })
        }
        SyncClientCommand::Generate {
            directory_id,
            token: _,
            client_credentials,
            ttl,
            confirm,
        } => {
            confirm.ask(&format!(
                    "generate new sync client credentials for directory {directory_id} (the current ones stop working)"
                ),
            )?;
            let kind = if client_credentials {
                SyncClientCredentialKind::ClientCredentials
            } else {
                SyncClientCredentialKind::Token
            };
            let s = broker
                .client()?
                .generate_sync_client_credentials(&directory_id, kind, ttl)
                .await?;
            out.emit(&sync_json(&directory_id, &s, true), || {
                sync_fields(&directory_id, &s, true)
            })
        }
    }
}

/// Rotates a VCF Identity Broker directory's sync client token and
/// delivers it with the broker's SCIM URL ([`broker_scim_url`]).
async fn rotate(
    args: RotateArgs,
    broker: &BrokerSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    let client = broker.client()?;
    let rotated = Rotated {
        id_key: "directoryId",
        id: &args.directory_id,
        what: format!(
            "the sync client token of broker directory {}",
            args.directory_id
        ),
    };
    if let Some(within) = args.rotation.if_expiring_within {
        let sync = client.sync_client(&args.directory_id).await?;
        // Client credentials do not expire: no token expiry to go by.
        let expires_at = sync
            .access_token_expires_at
            .filter(|_| sync.generate_token != Some(false));
        if let Some(left) = not_due(expires_at, within) {
            return rotated.emit_not_due(expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    args.confirm.ask(&format!(
        "generate a new sync client token for broker directory {} (its current credentials stop working at once)",
        args.directory_id
    ))?;
    let sync = client
        .generate_sync_client_credentials(
            &args.directory_id,
            SyncClientCredentialKind::Token,
            args.rotation.ttl,
        )
        .await?;
    let Some(token) = &sync.access_token else {
        // The client checks the answer carries the token; kept as an error
        // rather than a panic all the same.
        return Err(Failure::other(format!(
            "{} was rotated but the broker returned no token",
            rotated.what
        )));
    };
    let scim_url = broker_scim_url(&client);
    rotated
        .finish(
            &plan,
            token,
            Some(&scim_url),
            sync.access_token_expires_at,
            out,
        )
        .await
}

/// The SCIM 2.0 base URL of a VCF Identity Broker tenant, which identity
/// providers push users and groups to with a directory's sync client token:
/// `<broker url>/usergroup/t/<tenant>/scim/v2` (where this comes from:
/// docs/identity-broker-api.md, "The SCIM URL").
pub fn broker_scim_url(client: &BrokerClient) -> String {
    format!(
        "{}/usergroup/t/{}/scim/v2",
        client.base_url(),
        client.tenant()
    )
}
