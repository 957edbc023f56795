//! `idpctl vcf service-user add | rotate`: service users, which log in
//! with an API key the server shows once. The key goes through the
//! delivery engine of token rotations (`--deliver`, `--recovery`, the
//! pre-flight), so it is never lost.
//!
//! SDDC Manager has no call that makes a new key for a service user (no
//! such path in the 9.0 or 9.1 description), so `rotate` removes the user
//! and adds it again with the same role.

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCandidates;
use idp_client::Secret;
use idp_client::vcf::User;
use serde_json::json;

use super::user::{resolve, role_candidates};
use crate::commands::rotation::{DeliveryArgs, Plan};
use crate::confirm::Confirm;
use crate::delivery::Target;
use crate::failure::Failure;
use crate::output::{Output, fields};
use crate::settings::{Settings, VcfSettings};

#[derive(Debug, Subcommand)]
pub enum ServiceUserCommand {
    /// Add a service user with a role and deliver its API key.
    Add(AddArgs),
    /// Replace a service user's API key: remove the user, add it again with
    /// the same role, deliver the new key (the old key stops working).
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The service user's name.
    name: String,
    /// The role's name (ADMIN, OPERATOR, VIEWER; `idpctl vcf role list`).
    #[arg(long, value_name = "ROLE", add = ArgValueCandidates::new(role_candidates))]
    role: String,
    #[command(flatten)]
    delivery: DeliveryArgs,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The service user's name (or its id).
    name: String,
    #[command(flatten)]
    delivery: DeliveryArgs,
    #[command(flatten)]
    confirm: Confirm,
}

pub async fn run(
    command: ServiceUserCommand,
    vcf: &VcfSettings<'_>,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        ServiceUserCommand::Add(args) => {
            let mut plan = key_plan(&args.delivery)?;
            let client = vcf.client()?;
            plan.preflight(settings).await?;
            let added = client.add_service_user(&args.name, &args.role).await?;
            let what = format!("the API key of the new service user {}", added.user.name);
            deliver_key(&plan, &added.api_key, &added.user, &what, out).await
        }
        ServiceUserCommand::Rotate(args) => {
            let mut plan = key_plan(&args.delivery)?;
            let client = vcf.client()?;
            let user = resolve(&client, &args.name).await?;
            if user.kind != idp_client::vcf::UserKind::Service {
                return Err(Failure::usage(format!(
                    "{} is a {}, not a service user: only service users have API keys",
                    user.qualified_name(),
                    user.kind
                )));
            }
            let role = user.role_name.clone().ok_or_else(|| {
                Failure::other(format!(
                    "the role of {} is unknown to this client, so it could not be given back",
                    user.name
                ))
            })?;
            plan.preflight(settings).await?;
            eprintln!(
                "{}",
                idp_client::terminal::sanitize(&format!(
                    "rotating removes service user {} and adds it again with role {role}: between the two requests (usually under a second) it has no access, and its current key stops working at once",
                    user.name
                ))
            );
            args.confirm.ask(&format!(
                "replace the API key of service user {}",
                user.name
            ))?;
            client.remove_user(&user.id).await?;
            let added = client
                .add_service_user(&user.name, &role)
                .await
                .map_err(|error| {
                    let mut failure = Failure::from(error);
                    failure.message = format!(
                        "service user {} was removed but could not be added again: {}",
                        user.name, failure.message
                    );
                    failure.remediation = Some(format!(
                        "add it yourself: idpctl vcf service-user add {} --role {role}",
                        user.name
                    ));
                    failure
                })?;
            let what = format!("the API key of service user {}", added.user.name);
            deliver_key(&plan, &added.api_key, &added.user, &what, out).await
        }
    }
}

/// The delivery plan of an API key: stdout or a file (an API key of SDDC
/// Manager is no SCIM token, so identity providers are no target).
fn key_plan(args: &DeliveryArgs) -> Result<Plan, Failure> {
    let plan = Plan::new(args);
    match &plan.target {
        Target::Okta(_) | Target::Entra(_) => Err(Failure::usage(
            "--deliver okta:/entra: deliver SCIM tokens to identity providers; deliver an API key to stdout or file:PATH",
        )),
        _ => Ok(plan),
    }
}

/// Prints the key (stdout: the one secret this command exists to produce)
/// or delivers it, saving it for recovery when delivery fails.
async fn deliver_key(
    plan: &Plan,
    key: &Secret,
    user: &User,
    what: &str,
    out: Output,
) -> Result<(), Failure> {
    let role = user.role_name.clone().unwrap_or_default();
    if plan.target == Target::Stdout {
        return out.emit(
            &json!({ "id": user.id, "name": user.name, "role": role, "apiKey": key.expose() }),
            || {
                fields(&[
                    ("id", user.id.clone()),
                    ("name", user.name.clone()),
                    ("role", role.clone()),
                    ("api key", key.expose().to_owned()),
                ])
            },
        );
    }
    plan.deliver(key, None, what).await?;
    out.emit(
        &json!({ "id": user.id, "name": user.name, "role": role, "deliveredTo": plan.target.to_string() }),
        || {
            fields(&[
                ("id", user.id.clone()),
                ("name", user.name.clone()),
                ("role", role.clone()),
                ("delivered to", plan.target.to_string()),
            ])
        },
    )
}
