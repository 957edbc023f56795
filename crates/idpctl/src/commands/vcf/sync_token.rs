//! `idpctl vcf sync-token status | rotate` (and `sync-token ID`, which is
//! `rotate ID`): the SCIM sync client tokens of the federated identity
//! providers.

use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use idp_client::{IdentityProvider, VcfClient};
use serde::Serialize;

use crate::commands::expiry::{human_duration, not_due, rfc3339, time_left};
use crate::commands::rotation::{DeliveryArgs, Plan, Rotated, SyncRotationArgs};
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, table};
use crate::settings::{Settings, VcfSettings};

/// `idpctl vcf sync-token`: a subcommand, or the id of the provider whose
/// token to rotate.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SyncTokenArgs {
    #[command(subcommand)]
    command: Option<SyncTokenCommand>,
    /// The federated identity provider's id (generates a new token and prints it).
    #[arg(required = true)]
    idp_id: Option<String>,
    /// Token lifetime: seconds (3600) or with a unit (90m, 12h, 30d).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    ttl: Option<Duration>,
}

#[derive(Debug, Subcommand)]
enum SyncTokenCommand {
    /// Every federated provider with its SCIM URL, token expiry and time left.
    Status,
    /// Generate a new token (the previous one stops working) and deliver it.
    Rotate(RotateArgs),
}

/// `idpctl vcf sync-token rotate`.
#[derive(Debug, Clone, Args)]
struct RotateArgs {
    /// The federated identity provider's id.
    idp_id: String,
    #[command(flatten)]
    rotation: SyncRotationArgs,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

pub async fn run(
    args: SyncTokenArgs,
    vcf: &VcfSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match (args.command, args.idp_id) {
        (Some(SyncTokenCommand::Status), _) => status(vcf, out).await,
        (Some(SyncTokenCommand::Rotate(args)), _) => rotate(args, vcf, settings, out).await,
        (None, Some(idp_id)) => {
            let args = RotateArgs {
                idp_id,
                rotation: SyncRotationArgs {
                    ttl: args.ttl,
                    if_expiring_within: None,
                },
                delivery: DeliveryArgs::default(),
            };
            rotate(args, vcf, settings, out).await
        }
        (None, None) => Err(Failure::usage("sync-token needs an identity provider id")),
    }
}

/// Rotates a VCF sync client token and delivers it.
async fn rotate(
    args: RotateArgs,
    vcf: &VcfSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    let client = vcf.client()?;
    let rotated = Rotated {
        id_key: "idpId",
        id: &args.idp_id,
        what: format!("the sync client token of identity provider {}", args.idp_id),
    };
    if let Some(within) = args.rotation.if_expiring_within {
        let provider = client.get_identity_provider(&args.idp_id).await?;
        let expires_at = provider
            .fed_idp
            .and_then(|f| f.sync_client_token_info)
            .and_then(|i| i.expires_at);
        if let Some(left) = not_due(expires_at, within) {
            return rotated.emit_not_due(expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    let token = client
        .generate_sync_client_token(&args.idp_id, args.rotation.ttl)
        .await?;
    rotated
        .finish(
            &plan,
            &token.token,
            token.scim_url.as_deref(),
            token.expires_at,
            out,
        )
        .await
}

/// One federated provider's sync client token, as listed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenStatus {
    pub id: String,
    pub name: String,
    pub scim_url: Option<String>,
    /// `None` when the server does not say (or no token was generated yet).
    pub expires_at: Option<String>,
    /// Seconds until expiry; 0 when expired, `None` when unknown.
    pub seconds_left: Option<u64>,
    #[serde(skip)]
    pub expiry: Option<DateTime<Utc>>,
}

impl TokenStatus {
    fn of(provider: &IdentityProvider) -> Option<Self> {
        let fed = provider.fed_idp.as_ref()?;
        let info = fed.sync_client_token_info.as_ref();
        let expiry = info.and_then(|i| i.expires_at);
        Some(Self {
            id: provider.id.clone(),
            name: provider.name.clone(),
            scim_url: info.and_then(|i| i.scim_url.clone()),
            expires_at: rfc3339(expiry),
            seconds_left: time_left(expiry).map(|d| d.as_secs()),
            expiry,
        })
    }

    /// Time left, when known.
    pub fn left(&self) -> Option<Duration> {
        time_left(self.expiry)
    }
}

/// The token status of every federated provider.
pub async fn federated_tokens(client: &VcfClient) -> Result<Vec<TokenStatus>, idp_client::Error> {
    let providers = client.list_identity_providers().await?;
    Ok(providers.iter().filter_map(TokenStatus::of).collect())
}

/// `idpctl vcf sync-token status`.
async fn status(vcf: &VcfSettings<'_>, out: Output) -> Result<(), Failure> {
    let tokens = federated_tokens(&vcf.client()?).await?;
    out.emit(&tokens, || {
        let rows: Vec<Vec<String>> = tokens
            .iter()
            .map(|t| {
                vec![
                    t.id.clone(),
                    t.name.clone(),
                    t.scim_url.clone().unwrap_or_else(|| "-".into()),
                    t.expires_at.clone().unwrap_or_else(|| "unknown".into()),
                    t.left().map_or_else(|| "unknown".into(), human_duration),
                ]
            })
            .collect();
        table(&["ID", "NAME", "SCIM URL", "EXPIRES", "LEFT"], &rows)
    })
}
