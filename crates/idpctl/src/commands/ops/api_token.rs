//! `idpctl ops api-token list | create | rotate | delete`: a realm's API
//! tokens; a created or regenerated token is delivered like any rotated
//! token (the same delivery plan, pre-flight and recovery).

use std::time::Duration;

use clap::{Args, Subcommand};
use idp_client::vcf_ops::{ApiToken, ApiTokenQuery, ApiTokenSpec};
use serde_json::json;

use super::{find_realm, realm_label};
use crate::commands::expiry::{not_due, rfc3339};
use crate::commands::rotation::{DeliveryArgs, Plan, Rotated};
use crate::confirm::Confirm;
use crate::delivery::Target;
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::{OpsSettings, Settings};

#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// List a realm's API tokens (never the tokens themselves).
    List {
        /// The realm, by name or id.
        #[arg(long, value_name = "REALM")]
        realm: String,
    },
    /// Generate a new API token and deliver it.
    Create(CreateArgs),
    /// Regenerate an API token (the previous one stops working) and
    /// deliver it.
    Rotate(RotateArgs),
    /// Delete an API token.
    Delete {
        /// The API token's id.
        id: String,
        /// The realm, by name or id.
        #[arg(long, value_name = "REALM")]
        realm: String,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// `idpctl ops api-token create`.
#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The realm, by name or id.
    #[arg(long, value_name = "REALM")]
    realm: String,
    /// The token's display name.
    #[arg(long, value_name = "NAME")]
    name: String,
    /// A description.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// The token's lifetime: seconds or with a unit (90m, 12h, 30d; kept
    /// in whole minutes). Default: the server's.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    ttl: Option<Duration>,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

/// `idpctl ops api-token rotate`.
#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    /// The API token's id.
    id: String,
    /// The realm, by name or id.
    #[arg(long, value_name = "REALM")]
    realm: String,
    /// Regenerate only when the token expires within this time (for cron);
    /// an unknown expiry counts as due.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    if_expiring_within: Option<Duration>,
    #[command(flatten)]
    confirm: Confirm,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

pub async fn run(
    command: ApiTokenCommand,
    ops: &OpsSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        ApiTokenCommand::List { realm } => {
            let client = ops.client()?;
            let realm = find_realm(&client, &realm).await?;
            let tokens = client
                .list_api_tokens(&realm.id, &ApiTokenQuery::default())
                .await?;
            out.emit(&tokens, || tokens_table(&tokens))
        }
        ApiTokenCommand::Create(args) => create(args, ops, settings, out).await,
        ApiTokenCommand::Rotate(args) => rotate(args, ops, settings, out).await,
        ApiTokenCommand::Delete { id, realm, confirm } => {
            let client = ops.client()?;
            let realm = find_realm(&client, &realm).await?;
            confirm.ask(&format!(
                "delete API token {id} of realm {} (it stops working at once)",
                realm_label(&realm)
            ))?;
            client.delete_api_token(&realm.id, &id).await?;
            out.emit(&json!({ "id": id, "result": "deleted" }), || {
                format!("deleted API token {id}\n")
            })
        }
    }
}

fn tokens_table(tokens: &[ApiToken]) -> String {
    let rows: Vec<Vec<String>> = tokens
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.name.clone(),
                t.status
                    .as_ref()
                    .map_or_else(|| "-".into(), ToString::to_string),
                t.principal_name.clone().unwrap_or_else(|| "-".into()),
                rfc3339(t.expires_at).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(&["ID", "NAME", "STATUS", "PRINCIPAL", "EXPIRES"], &rows)
}

/// An identity provider target needs a SCIM URL, which VCF Operations
/// does not return: refused before anything is generated. `--verify`
/// probes a SCIM endpoint, which an API token is not for.
fn check_delivery_options(plan: &Plan, delivery: &DeliveryArgs) -> Result<(), Failure> {
    if delivery.verify.wanted() {
        return Err(Failure::usage(
            "--verify checks a SCIM token at its SCIM endpoint; an API token opens VCF Operations' API, so there is nothing to verify; nothing was generated",
        ));
    }
    if matches!(plan.target, Target::Okta(_) | Target::Entra(_)) && delivery.scim_url.is_none() {
        return Err(Failure::usage(format!(
            "--deliver {}: pass --scim-url (the URL delivered with the token); nothing was generated",
            plan.target
        )));
    }
    Ok(())
}

async fn create(
    args: CreateArgs,
    ops: &OpsSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    check_delivery_options(&plan, &args.delivery)?;
    let client = ops.client()?;
    let realm = find_realm(&client, &args.realm).await?;
    plan.preflight(settings).await?;
    let mut spec = ApiTokenSpec::new(args.name.trim());
    spec.description = args.description.clone();
    spec.ttl = args.ttl.map(minutes).transpose()?;
    let created = client.generate_api_token(&realm.id, &spec).await?;
    deliver(&created, &plan, out).await
}

async fn rotate(
    args: RotateArgs,
    ops: &OpsSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    check_delivery_options(&plan, &args.delivery)?;
    let client = ops.client()?;
    let realm = find_realm(&client, &args.realm).await?;
    if let Some(within) = args.if_expiring_within {
        let current = client.get_api_token(&realm.id, &args.id).await?;
        if let Some(left) = not_due(current.expires_at, within) {
            let rotated = rotated(&current);
            return rotated.emit_not_due(current.expires_at, left, out);
        }
    }
    plan.preflight(settings).await?;
    args.confirm.ask(&format!(
        "regenerate API token {} of realm {} (the current token stops working at once)",
        args.id,
        realm_label(&realm)
    ))?;
    let regenerated = client.regenerate_api_token(&realm.id, &args.id).await?;
    deliver(&regenerated, &plan, out).await
}

/// A lifetime in whole minutes, the server's unit (at least one).
fn minutes(ttl: Duration) -> Result<i32, Failure> {
    let minutes = ttl.as_secs().div_ceil(60).max(1);
    i32::try_from(minutes).map_err(|_| Failure::usage("--ttl is too long"))
}

fn rotated(token: &ApiToken) -> Rotated<'_> {
    Rotated {
        id_key: "apiTokenId",
        id: &token.id,
        what: format!("API token {} ({})", token.name, token.id),
    }
}

/// Prints or delivers the token the server just generated.
async fn deliver(token: &ApiToken, plan: &Plan, out: Output) -> Result<(), Failure> {
    let rotated = rotated(token);
    let Some(secret) = &token.token else {
        return Err(Failure::other(format!(
            "{} was generated but VCF Operations returned no token",
            rotated.what
        )));
    };
    if plan.target == Target::Stdout {
        // The token is what this command exists to produce: it is printed,
        // with the id that names it.
        let expires = rfc3339(token.expires_at);
        return out.emit(
            &json!({
                "apiTokenId": token.id,
                "name": token.name,
                "token": secret.expose(),
                "expiresAt": expires,
            }),
            || {
                fields(&[
                    ("id", token.id.clone()),
                    ("name", token.name.clone()),
                    ("token", secret.expose().to_owned()),
                    (
                        "expires at",
                        expires.clone().unwrap_or_else(|| "unknown".into()),
                    ),
                ])
            },
        );
    }
    rotated
        .finish(plan, secret, None, token.expires_at, out)
        .await
}
