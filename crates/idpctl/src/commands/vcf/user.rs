//! `idpctl vcf user list | add | remove`: the users and groups of SSO
//! domains granted a role in SDDC Manager.

use clap::{Args, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCandidates;
use idp_client::VcfClient;
use idp_client::vcf::{Principal, User, UserKind};

use crate::confirm::Confirm;
use crate::failure::Failure;
use crate::output::{Output, fields, table};
use crate::settings::VcfSettings;

/// The roles SDDC Manager defines (vendor description), offered by shell
/// completion; the server's list decides.
pub fn role_candidates() -> Vec<clap_complete::CompletionCandidate> {
    ["ADMIN", "OPERATOR", "VIEWER"]
        .into_iter()
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Every user, group and service user with its role.
    List(ListArgs),
    /// Grant a role to a user or group of an SSO domain.
    Add(AddArgs),
    /// Remove a user's, group's or service user's role.
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the users granted access through SDDC Manager (`/v1/users/ui`).
    #[arg(long)]
    ui: bool,
}

/// Whether a principal is a user or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrincipalType {
    User,
    Group,
}

impl From<PrincipalType> for UserKind {
    fn from(kind: PrincipalType) -> Self {
        match kind {
            PrincipalType::User => UserKind::User,
            PrincipalType::Group => UserKind::Group,
        }
    }
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The user's or group's name, without the domain.
    name: String,
    /// Its SSO domain (`idpctl vcf principal search` lists them).
    #[arg(long, value_name = "DOMAIN")]
    domain: String,
    /// User or group.
    #[arg(long = "type", value_enum, default_value = "user")]
    kind: PrincipalType,
    /// The role's name (ADMIN, OPERATOR, VIEWER; `idpctl vcf role list`).
    #[arg(long, value_name = "ROLE", add = ArgValueCandidates::new(role_candidates))]
    role: String,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The user's id, or NAME@DOMAIN, or a service user's name.
    user: String,
    #[command(flatten)]
    confirm: Confirm,
}

pub async fn run(command: UserCommand, vcf: &VcfSettings<'_>, out: Output) -> Result<(), Failure> {
    let client = vcf.client()?;
    match command {
        UserCommand::List(args) => {
            let users = if args.ui {
                client.list_ui_users().await?
            } else {
                client.list_users().await?
            };
            out.emit(&users, || users_table(&users))
        }
        UserCommand::Add(args) => {
            let principal = Principal::new(args.name, args.domain, args.kind.into());
            let user = client.add_user(&principal, &args.role).await?;
            out.emit(&user, || user_fields(&user))
        }
        UserCommand::Remove(args) => {
            let user = resolve(&client, &args.user).await?;
            args.confirm.ask(&format!(
                "remove {} ({}, role {})",
                user.qualified_name(),
                user.kind,
                user.role_name.as_deref().unwrap_or("?")
            ))?;
            client.remove_user(&user.id).await?;
            out.emit(
                &serde_json::json!({ "removed": user.id, "name": user.qualified_name() }),
                || format!("removed {} ({})\n", user.qualified_name(), user.id),
            )
        }
    }
}

/// The user named by an id, `NAME@DOMAIN`, or a service user's name.
pub async fn resolve(client: &VcfClient, given: &str) -> Result<User, Failure> {
    let users = client.list_users().await?;
    let given = given.trim();
    let by_id = users.iter().find(|u| u.id == given);
    let by_name = || match given.rsplit_once('@') {
        Some((name, domain)) => users.iter().find(|u| u.is(name, Some(domain))),
        None => {
            let mut named = users.iter().filter(|u| u.is(given, None));
            match (named.next(), named.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        }
    };
    by_id.or_else(by_name).cloned().ok_or_else(|| {
        Failure::exit_with(
            crate::failure::exit::NOT_FOUND,
            format!(
                "no user is {}; `idpctl vcf user list` shows them (use the id, or NAME@DOMAIN when a name is in several domains)",
                idp_client::terminal::sanitize(given)
            ),
        )
    })
}

pub fn users_table(users: &[User]) -> String {
    let rows: Vec<Vec<String>> = users
        .iter()
        .map(|u| {
            vec![
                u.id.clone(),
                u.name.clone(),
                u.domain.clone().unwrap_or_else(|| "-".into()),
                u.kind.to_string(),
                u.role_name
                    .clone()
                    .or_else(|| u.role_id.clone())
                    .unwrap_or_else(|| "-".into()),
                u.created_at
                    .map_or_else(|| "-".into(), |t| t.format("%Y-%m-%d").to_string()),
            ]
        })
        .collect();
    table(&["ID", "NAME", "DOMAIN", "TYPE", "ROLE", "CREATED"], &rows)
}

pub fn user_fields(user: &User) -> String {
    fields(&[
        ("id", user.id.clone()),
        ("name", user.qualified_name()),
        ("type", user.kind.to_string()),
        ("role", user.role_name.clone().unwrap_or_else(|| "-".into())),
    ])
}
