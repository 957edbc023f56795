//! `idpctl unleash scim-token rotate`: a new SCIM token (the current one is
//! revoked at once), delivered.

use clap::{Args, Subcommand};
use serde_json::json;

use crate::commands::rotation::{DeliveryArgs, Plan, unleash_scim_url};
use crate::confirm::Confirm;
use crate::delivery::Target;
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{Settings, UnleashSettings};

#[derive(Debug, Subcommand)]
pub enum ScimTokenCommand {
    /// Generate a new SCIM token (the current one is revoked at once) and deliver it.
    Rotate(RotateArgs),
}

/// `idpctl unleash scim-token rotate`.
#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    #[command(flatten)]
    confirm: Confirm,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

pub async fn run(
    command: ScimTokenCommand,
    unleash: &UnleashSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        ScimTokenCommand::Rotate(args) => rotate(args, unleash, settings, out).await,
    }
}

/// Rotates the Unleash SCIM token and delivers it.
async fn rotate(
    args: RotateArgs,
    unleash: &UnleashSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let mut plan = Plan::new(&args.delivery);
    let client = unleash.client()?;
    plan.preflight(settings).await?;
    args.confirm
        .ask("generate a new Unleash SCIM token (the current one stops working at once)")?;
    let token = client.generate_scim_token().await?;
    let scim_url = unleash_scim_url(client.base_url(), &plan.target);
    let what = "the Unleash SCIM token";
    match &plan.target {
        // The token is what this command exists to produce: it is printed.
        Target::Stdout => {
            let verified = plan.verify(&token.token, Some(&scim_url), what).await;
            let shown = verified.as_ref().ok().and_then(Option::as_ref);
            let mut json = json!({ "token": token.token.expose() });
            if let Some(v) = shown {
                json["verified"] = json!(v);
            }
            out.emit(&json, || match shown {
                Some(v) => format!("{}\nverified: {}\n", token.token.expose(), v.line()),
                None => format!("{}\n", token.token.expose()),
            })?;
            verified.map(|_| ())
        }
        Target::File(_) | Target::Okta(_) | Target::Entra(_) => {
            plan.deliver(&token.token, Some(&scim_url), what).await?;
            let verified = plan.verify(&token.token, Some(&scim_url), what).await;
            let shown = verified.as_ref().ok().and_then(Option::as_ref);
            let mut json = json!({ "rotated": true, "deliveredTo": plan.target.to_string() });
            if let Some(v) = shown {
                json["verified"] = json!(v);
            }
            out.emit(&json, || {
                let mut text = format!(
                    "rotated the Unleash SCIM token; delivered to {}\n",
                    plan.target
                );
                if let Some(v) = shown {
                    text.push_str(&format!("verified: {}\n", v.line()));
                }
                text
            })?;
            verified.map(|_| ())
        }
    }
}
