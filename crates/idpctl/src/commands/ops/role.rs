//! `idpctl ops role assign | list | revoke`: the VCF roles of a realm's
//! groups and users.

use clap::{Args, Subcommand, ValueEnum};
use idp_client::vcf_ops::{
    Client as OpsClient, PrincipalQuery, RoleAssignment, RoleScope, SsoRealm,
};
use serde_json::json;

use super::{find_realm, realm_label};
use crate::confirm::Confirm;
use crate::failure::{Failure, exit};
use crate::output::{Output, table};
use crate::settings::OpsSettings;

#[derive(Debug, Subcommand)]
pub enum RoleCommand {
    /// Give a principal a role (its other roles are kept).
    Assign(AssignArgs),
    /// A principal's roles; without one, the realm's groups that have roles.
    List {
        #[command(flatten)]
        realm: RealmArg,
        #[command(flatten)]
        principal: OptionalPrincipal,
    },
    /// Take a role from a principal; without --role, every role.
    Revoke {
        #[command(flatten)]
        realm: RealmArg,
        #[command(flatten)]
        principal: PrincipalArgs,
        /// The role to take (default: every role of the principal).
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// `--realm REALM`.
#[derive(Debug, Clone, Args)]
pub struct RealmArg {
    /// The realm, by name or id.
    #[arg(long, value_name = "REALM")]
    realm: String,
}

/// Who: a group by name, or a principal's id.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct PrincipalArgs {
    /// A group of the realm, by name (or display name).
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
    /// A principal (group or user) by id.
    #[arg(long, value_name = "ID")]
    principal: Option<String>,
}

/// Who, if anyone.
#[derive(Debug, Clone, Args)]
#[group(required = false, multiple = false)]
pub struct OptionalPrincipal {
    /// A group of the realm, by name (or display name).
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
    /// A principal (group or user) by id.
    #[arg(long, value_name = "ID")]
    principal: Option<String>,
}

/// A role's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    /// The whole realm.
    #[value(name = "SSO_REALM", alias = "sso-realm")]
    SsoRealm,
    /// The VCF instances named by --resource.
    #[value(name = "VCF_INSTANCE", alias = "vcf-instance")]
    VcfInstance,
}

/// `idpctl ops role assign`.
#[derive(Debug, Clone, Args)]
pub struct AssignArgs {
    #[command(flatten)]
    realm: RealmArg,
    #[command(flatten)]
    principal: PrincipalArgs,
    /// The role's name (`vcf_administrator`).
    #[arg(long, value_name = "ROLE")]
    role: String,
    /// Where the role applies.
    #[arg(long, value_enum, default_value = "SSO_REALM")]
    scope: Scope,
    /// A VCF instance's id, for `--scope VCF_INSTANCE` (repeatable).
    #[arg(long = "resource", value_name = "ID")]
    resources: Vec<String>,
}

pub async fn run(command: RoleCommand, ops: &OpsSettings<'_>, out: Output) -> Result<(), Failure> {
    match command {
        RoleCommand::Assign(args) => assign(args, ops, out).await,
        RoleCommand::List { realm, principal } => {
            let client = ops.client()?;
            let realm = find_realm(&client, &realm.realm).await?;
            match (principal.group, principal.principal) {
                (None, None) => list_groups(&client, &realm, out).await,
                (group, id) => {
                    let (id, label) = principal_id(&client, &realm, group, id).await?;
                    let roles = client.role_assignments(&realm.id, &id).await?;
                    emit_roles(&realm, &id, &label, &roles, out)
                }
            }
        }
        RoleCommand::Revoke {
            realm,
            principal,
            role,
            confirm,
        } => {
            let client = ops.client()?;
            let realm = find_realm(&client, &realm.realm).await?;
            let (id, label) =
                principal_id(&client, &realm, principal.group, principal.principal).await?;
            let what = role.as_deref().map_or_else(
                || "every role".to_owned(),
                |r| format!("the role {}", r.trim()),
            );
            confirm.ask(&format!(
                "take {what} from {label} in realm {}",
                realm_label(&realm)
            ))?;
            let current = client.role_assignments(&realm.id, &id).await?;
            let kept: Vec<RoleAssignment> = match &role {
                None => Vec::new(),
                Some(name) => {
                    if !current.iter().any(|a| same_role(a, name)) {
                        return Err(Failure::exit_with(
                            exit::NOT_FOUND,
                            format!("{label} has no role `{}` in this realm", name.trim()),
                        ));
                    }
                    current
                        .iter()
                        .filter(|a| !same_role(a, name))
                        .cloned()
                        .collect()
                }
            };
            if kept.is_empty() {
                client.delete_role_assignments(&realm.id, &id).await?;
            } else {
                client.set_role_assignments(&realm.id, &id, &kept).await?;
            }
            out.emit(
                &json!({ "realm": realm.id, "principalId": id, "result": "revoked", "remaining": kept }),
                || format!("took {what} from {label}\n"),
            )
        }
    }
}

fn same_role(assignment: &RoleAssignment, name: &str) -> bool {
    assignment
        .role_name
        .trim()
        .eq_ignore_ascii_case(name.trim())
}

async fn assign(args: AssignArgs, ops: &OpsSettings<'_>, out: Output) -> Result<(), Failure> {
    let scope = match args.scope {
        Scope::SsoRealm if !args.resources.is_empty() => {
            return Err(Failure::usage(
                "--resource is only for --scope VCF_INSTANCE",
            ));
        }
        Scope::VcfInstance if args.resources.is_empty() => {
            return Err(Failure::usage(
                "--scope VCF_INSTANCE needs at least one --resource VCF_INSTANCE_ID",
            ));
        }
        Scope::SsoRealm => RoleScope::realm(),
        Scope::VcfInstance => {
            RoleScope::vcf_instances(args.resources.iter().map(|r| r.trim().to_owned()))
        }
    };
    let client = ops.client()?;
    let realm = find_realm(&client, &args.realm.realm).await?;
    let (id, label) = principal_id(
        &client,
        &realm,
        args.principal.group,
        args.principal.principal,
    )
    .await?;
    let mut roles = client.role_assignments(&realm.id, &id).await?;
    let wanted = RoleAssignment::new(args.role.trim(), scope);
    let present = roles.iter().any(|a| {
        same_role(a, &args.role)
            && a.scope.scope_type == wanted.scope.scope_type
            && a.scope.resources.iter().map(|r| &r.id).collect::<Vec<_>>()
                == wanted
                    .scope
                    .resources
                    .iter()
                    .map(|r| &r.id)
                    .collect::<Vec<_>>()
    });
    if !present {
        roles.retain(|a| !same_role(a, &args.role));
        roles.push(wanted);
        client.set_role_assignments(&realm.id, &id, &roles).await?;
    }
    let result = if present { "unchanged" } else { "assigned" };
    out.emit(
        &json!({ "realm": realm.id, "principalId": id, "role": args.role.trim(), "result": result, "roles": roles }),
        || format!("{result}: {} to {label} in realm {}\n", args.role.trim(), realm_label(&realm)),
    )
}

/// The principal's id and how to name it: a group found by name, or the
/// id as given.
async fn principal_id(
    client: &OpsClient,
    realm: &SsoRealm,
    group: Option<String>,
    id: Option<String>,
) -> Result<(String, String), Failure> {
    if let Some(id) = id {
        return Ok((id.trim().to_owned(), format!("principal {}", id.trim())));
    }
    let Some(group) = group else {
        return Err(Failure::usage("give --group GROUP or --principal ID"));
    };
    let groups = client
        .list_groups(&realm.id, &PrincipalQuery::default())
        .await?;
    let wanted = group.trim();
    groups
        .iter()
        .find(|g| {
            [g.name.as_deref(), g.display_name.as_deref()]
                .into_iter()
                .flatten()
                .any(|n| n.trim().eq_ignore_ascii_case(wanted))
        })
        .and_then(|g| g.id.clone())
        .map(|id| (id, format!("group {wanted}")))
        .ok_or_else(|| {
            Failure::exit_with(
                exit::NOT_FOUND,
                format!(
                    "no group `{wanted}` in realm {} (groups arrive through the identity provider's directory)",
                    realm_label(realm)
                ),
            )
        })
}

fn emit_roles(
    realm: &SsoRealm,
    id: &str,
    label: &str,
    roles: &[RoleAssignment],
    out: Output,
) -> Result<(), Failure> {
    out.emit(
        &json!({ "realm": realm.id, "principalId": id, "roles": roles }),
        || {
            let rows: Vec<Vec<String>> = roles
                .iter()
                .map(|a| {
                    vec![
                        label.to_owned(),
                        a.role_name.clone(),
                        a.scope.scope_type.to_string(),
                        a.scope
                            .resources
                            .iter()
                            .map(|r| r.name.clone().unwrap_or_else(|| r.id.clone()))
                            .collect::<Vec<_>>()
                            .join(","),
                    ]
                })
                .collect();
            table(&["PRINCIPAL", "ROLE", "SCOPE", "RESOURCES"], &rows)
        },
    )
}

/// The realm's groups that have roles.
async fn list_groups(client: &OpsClient, realm: &SsoRealm, out: Output) -> Result<(), Failure> {
    let groups = client
        .list_groups(&realm.id, &PrincipalQuery::default())
        .await?;
    let with_roles: Vec<_> = groups.iter().filter(|g| !g.roles.is_empty()).collect();
    out.emit(&with_roles, || {
        let rows: Vec<Vec<String>> = with_roles
            .iter()
            .map(|g| {
                vec![
                    g.id.clone().unwrap_or_else(|| "-".into()),
                    g.name
                        .clone()
                        .or_else(|| g.display_name.clone())
                        .unwrap_or_else(|| "-".into()),
                    g.roles.join(","),
                ]
            })
            .collect();
        table(&["ID", "GROUP", "ROLES"], &rows)
    })
}
