//! `idpctl ops sync-client get | rotate DIRECTORY --idp ID`: a directory's
//! SCIM sync client in VCF Operations, rotated and delivered by the same
//! delivery plan, pre-flight and recovery as every rotation.

use clap::{Args, Subcommand};
use idp_client::vcf_ops::SyncClient;
use serde_json::json;

use crate::commands::expiry::{not_due, rfc3339};
use crate::commands::rotation::{DeliveryArgs, Plan, Rotated, SyncRotationArgs};
use crate::confirm::Confirm;
use crate::delivery::Target;
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::{OpsSettings, Settings};

#[derive(Debug, Subcommand)]
pub enum SyncClientCommand {
    /// Show a directory's sync client (never its secret or token).
    Get {
        /// The directory's id.
        directory_id: String,
        /// The identity provider's id.
        #[arg(long = "idp", value_name = "ID")]
        idp_id: String,
    },
    /// Generate a new sync client token (the previous one stops working)
    /// and deliver it.
    Rotate(RotateArgs),
}

/// `idpctl ops sync-client rotate`.
#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    /// The directory's id.
    directory_id: String,
    /// The identity provider's id.
    #[arg(long = "idp", value_name = "ID")]
    idp_id: String,
    #[command(flatten)]
    rotation: SyncRotationArgs,
    #[command(flatten)]
    confirm: Confirm,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

pub async fn run(
    command: SyncClientCommand,
    ops: &OpsSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        SyncClientCommand::Get {
            directory_id,
            idp_id,
        } => {
            let sync = ops.client()?.sync_client(&idp_id, &directory_id).await?;
            out.emit(&sync_json(&idp_id, &directory_id, &sync), || {
                fields(&[
                    ("identity provider", idp_id.clone()),
                    ("directory", directory_id.clone()),
                    (
                        "client id",
                        sync.client_id.clone().unwrap_or_else(|| "-".into()),
                    ),
                    (
                        "token expires",
                        rfc3339(sync.token_expires_at).unwrap_or_else(|| "-".into()),
                    ),
                ])
            })
        }
        SyncClientCommand::Rotate(args) => rotate(args, ops, settings, out).await,
    }
}

/// The sync client without its secret or token.
fn sync_json(idp_id: &str, directory_id: &str, sync: &SyncClient) -> serde_json::Value {
    json!({
        "idpId": idp_id,
        "directoryId": directory_id,
        "clientId": sync.client_id,
        "tokenTtlMinutes": sync.token_ttl,
        "tokenExpiresAt": rfc3339(sync.token_expires_at),
    })
}

async fn rotate(
    args: RotateArgs,
    ops: &OpsSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    // VCF Operations returns no SCIM URL with the token: an identity
    // provider target needs one given, checked before anything is rotated.
    if matches!(plan.target, Target::Okta(_) | Target::Entra(_)) && args.delivery.scim_url.is_none()
    {
        return Err(Failure::usage(format!(
            "--deliver {}: VCF Operations returns no SCIM URL with the token; pass --scim-url (the VCF Identity Broker's SCIM endpoint of the realm); nothing was rotated",
            plan.target
        )));
    }
    if args.delivery.verify.wanted() && args.delivery.scim_url.is_none() {
        return Err(Failure::usage(
            "--verify: VCF Operations returns no SCIM URL with the token; pass --scim-url (the VCF Identity Broker's SCIM endpoint of the realm) to verify at; nothing was rotated",
        ));
    }
    let client = ops.client()?;
    let rotated = Rotated {
        id_key: "directoryId",
        id: &args.directory_id,
        what: format!(
            "the sync client token of directory {} (identity provider {})",
            args.directory_id, args.idp_id
        ),
    };
    if let Some(within) = args.rotation.if_expiring_within {
        let sync = client.sync_client(&args.idp_id, &args.directory_id).await?;
        if let Some(left) = not_due(sync.token_expires_at, within) {
            return rotated.emit_not_due(sync.token_expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    args.confirm.ask(&format!(
        "generate a new sync client token for directory {} (its current token stops working at once)",
        args.directory_id
    ))?;
    let ttl_minutes = args
        .rotation
        .ttl
        .map(|ttl| i32::try_from(ttl.as_secs().div_ceil(60).max(1)))
        .transpose()
        .map_err(|_| Failure::usage("--ttl is too long"))?;
    let sync = client
        .generate_sync_client(&args.idp_id, &args.directory_id, ttl_minutes)
        .await?;
    let Some(token) = &sync.access_token else {
        return Err(Failure::other(format!(
            "{} was rotated but VCF Operations returned no token",
            rotated.what
        )));
    };
    rotated
        .finish(&plan, token, None, sync.token_expires_at, out)
        .await
}
