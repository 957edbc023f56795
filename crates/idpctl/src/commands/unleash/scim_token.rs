//! `idpctl unleash scim-token rotate`: a new SCIM token (the current one is
//! revoked at once), delivered.

use clap::{Args, Subcommand};
use serde_json::json;

use crate::commands::rotation::{DeliveryArgs, Plan};
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
    let scim_url = format!("{}/scim", client.base_url());
    match &plan.target {
        // The token is what this command exists to produce: it is printed.
        Target::Stdout => out.emit(&json!({ "token": token.token.expose() }), || {
            format!("{}\n", token.token.expose())
        }),
        Target::File(_) | Target::Okta(_) | Target::Entra(_) => {
            plan.deliver(&token.token, Some(&scim_url), "the Unleash SCIM token")
                .await?;
            out.emit(
                &json!({ "rotated": true, "deliveredTo": plan.target.to_string() }),
                || {
                    format!(
                        "rotated the Unleash SCIM token; delivered to {}\n",
                        plan.target
                    )
                },
            )
        }
    }
}
