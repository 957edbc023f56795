//! VCF Operations targets (VCF 9.1 fleet identity): reading each named
//! SSO realm's identity provider and the roles of its groups, and comparing
//! them with the document's `realms`.

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use idp_client::vcf_ops::{
    Client as OpsClient, Group, IdentityProvider, PrincipalQuery, RoleAssignment, SsoRealm,
};
use serde_json::{Value, json};

use crate::connection::OpsCredentials;
use crate::document::{Connection, GroupRole, OperationsTarget, RealmIdentityProvider, RealmState};
use crate::error::Error;

use super::diff::{Fields, domain_set};
use super::{
    Action, Change, Connected, FieldChange, Options, Permission, Step, TargetKind, TargetPlan,
    required_url, resolver, timed,
};

/// The object names of VCF Operations changes.
const IDP: &str = "realmIdentityProvider";
const ROLES: &str = "realmGroupRoles";

/// What carrying out a VCF Operations change does (ids as the plan read
/// them).
#[derive(Debug, Clone)]
pub(crate) enum OpsStep {
    CreateIdp {
        realm_id: String,
        desired: Box<RealmIdentityProvider>,
    },
    UpdateIdp {
        realm_id: String,
        id: String,
        desired: Box<RealmIdentityProvider>,
    },
    /// A different protocol: delete (a task, awaited), then create.
    ReplaceIdp {
        realm_id: String,
        id: String,
        desired: Box<RealmIdentityProvider>,
    },
    SetRoles {
        realm_id: String,
        principal_id: String,
        roles: Vec<GroupRole>,
    },
    RevokeRoles {
        realm_id: String,
        principal_id: String,
    },
}

pub(super) async fn plan_operations(
    index: usize,
    target: &OperationsTarget,
    options: &Options,
) -> TargetPlan {
    let read = async {
        let client = connect(index, target, options)?;
        let task_timeout = task_timeout(index, target)?;
        let changes = read_and_diff(index, &client, target, options).await;
        release(&client).await;
        let changes = changes?;
        Ok((
            Connected::Ops {
                client,
                task_timeout,
            },
            changes,
        ))
    };
    timed(target.display_name(), TargetKind::Operations, read).await
}

/// Reads every named realm and compares it with the document.
async fn read_and_diff(
    index: usize,
    client: &OpsClient,
    target: &OperationsTarget,
    options: &Options,
) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    if !target.realms.is_empty() {
        let realms = client.list_realms().await?;
        for (j, state) in target.realms.iter().enumerate() {
            let field = format!("operations[{index}].realms[{j}].realm");
            let realm = find_realm(&realms, &state.realm, &field)?;
            changes.extend(diff_realm(client, realm, state, options).await?);
        }
    }
    Ok(changes)
}

/// Releases the client's `OpsToken` (a later call acquires a new one); a
/// failed release is logged, the token lapses on its own.
pub(crate) async fn release(client: &OpsClient) {
    if let Err(error) = client.close().await {
        tracing::debug!(error = %error, "releasing the OpsToken failed");
    }
}

/// The target's `taskTimeout`, or the default.
fn task_timeout(index: usize, target: &OperationsTarget) -> Result<Duration, Error> {
    match &target.task_timeout {
        None => Ok(OperationsTarget::DEFAULT_TASK_TIMEOUT),
        Some(text) => crate::parse_duration(text)
            .map_err(|m| Error::Usage(format!("operations[{index}].taskTimeout: {m}"))),
    }
}

/// A client for `target` (its credentials resolved now).
fn connect(index: usize, target: &OperationsTarget, options: &Options) -> Result<OpsClient, Error> {
    let field = |f: &str| format!("operations[{index}].{f}");
    let written = match &target.connection {
        Connection::Context(context) => {
            return resolver(options, &field("context"), context)?.ops_client(context);
        }
        Connection::Direct(written) => written,
    };
    let url = required_url(written.endpoint.url.as_deref(), &field("url"))?;
    let ca = match &written.endpoint.ca_cert {
        Some(ca) => Some(ca.resolve(&field("caCert"))?.into_bytes()),
        None => None,
    };
    let mut builder = OpsClient::builder(url).config(&options.client_config_with_ca(ca)?);
    builder = match &written.credentials {
        Some(OpsCredentials::Password {
            username: Some(user),
            password: Some(password),
            auth_source,
        }) => {
            let mut b = builder.credentials(user.trim(), password.resolve(&field("password"))?);
            if let Some(source) = auth_source {
                b = b.auth_source(source.trim());
            }
            b
        }
        Some(OpsCredentials::Token(token)) => builder.bearer_token(token.resolve(&field("token"))?),
        _ => {
            return Err(Error::Usage(format!(
                "{}: `username` and `password`, or `token`, are required",
                field("username")
            )));
        }
    };
    Ok(builder.build()?)
}

fn key(text: &str) -> String {
    text.trim().to_ascii_lowercase()
}

/// The realm named `wanted` (its id, else its name, case-insensitively).
fn find_realm<'a>(
    realms: &'a [SsoRealm],
    wanted: &str,
    field: &str,
) -> Result<&'a SsoRealm, Error> {
    realms
        .iter()
        .find(|r| r.id.trim() == wanted.trim())
        .or_else(|| {
            realms
                .iter()
                .find(|r| r.name.as_deref().is_some_and(|n| key(n) == key(wanted)))
        })
        .ok_or_else(|| {
            let known: Vec<&str> = realms
                .iter()
                .map(|r| r.name.as_deref().unwrap_or(&r.id))
                .collect();
            Error::Usage(format!(
                "{field}: no SSO realm `{}` (the server has: {})",
                wanted.trim(),
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
}

/// A realm's changes: its identity provider, then the roles of its groups.
async fn diff_realm(
    client: &OpsClient,
    realm: &SsoRealm,
    state: &RealmState,
    options: &Options,
) -> Result<Vec<Change>, Error> {
    let mut changes = Vec::new();
    let realm_name = realm.name.clone().unwrap_or_else(|| realm.id.clone());
    if let Some(want) = &state.identity_provider {
        let current = match realm.idp_id.as_deref().filter(|id| !id.trim().is_empty()) {
            Some(id) => Some(client.get_identity_provider(id).await?),
            None => None,
        };
        changes.extend(diff_idp(
            &realm.id,
            &realm_name,
            want,
            current.as_ref(),
            options,
        ));
    }
    if state.role_assignments.is_some() || state.prune_role_assignments {
        let groups = client
            .list_groups(&realm.id, &PrincipalQuery::default())
            .await?;
        changes.extend(diff_roles(client, &realm.id, &realm_name, state, &groups).await?);
    }
    Ok(changes)
}

/// The readable fields of a provider as the plan compares them.
fn idp_fields(
    want: &RealmIdentityProvider,
    current: Option<&IdentityProvider>,
) -> Vec<FieldChange> {
    let mut f = Fields { list: Vec::new() };
    let served = |v: Value| current.map(|_| v);
    f.compare(
        "name",
        served(json!(current.map(|c| c.name.trim()))),
        json!(want.name.trim()),
    );
    f.compare(
        "type",
        served(json!(
            current.map(|c| c.idp_type.trim().to_ascii_uppercase())
        )),
        json!(want.kind.trim().to_ascii_uppercase()),
    );
    f.compare(
        "provisioning",
        served(json!(
            current.map(|c| c.provision_type.as_wire().to_ascii_uppercase())
        )),
        json!(want.provisioning_or_default()),
    );
    if let Some(oidc) = &want.oidc {
        let have = current.and_then(|c| c.oidc.as_ref());
        f.compare(
            "oidc.discoveryEndpoint",
            served(json!(have.map(|o| o.discovery_endpoint.trim()))),
            json!(oidc.discovery_endpoint.trim()),
        );
        f.compare(
            "oidc.clientId",
            served(json!(have.map(|o| o.client_id.trim()))),
            json!(oidc.client_id.trim()),
        );
        for (field, wanted, got) in [
            (
                "oidc.openIdUserIdentifierAttribute",
                &oidc.open_id_user_identifier_attribute,
                have.and_then(|o| o.open_id_user_identifier_attribute.as_deref()),
            ),
            (
                "oidc.internalUserIdentifierAttribute",
                &oidc.internal_user_identifier_attribute,
                have.and_then(|o| o.internal_user_identifier_attribute.as_deref()),
            ),
        ] {
            if let Some(wanted) = wanted {
                f.compare(
                    field,
                    served(json!(got.map(str::trim))),
                    json!(wanted.trim()),
                );
            }
        }
    }
    if let Some(saml) = &want.saml {
        let have = current.and_then(|c| c.saml.as_ref());
        f.compare(
            "saml.metadataUrl",
            served(json!(
                have.and_then(|s| s.metadata_url.as_deref()).map(str::trim)
            )),
            json!(saml.metadata_url.trim()),
        );
        if let Some(format) = &saml.name_id_format {
            f.compare(
                "saml.nameIdFormat",
                served(json!(
                    have.and_then(|s| s.name_id_format_type.as_deref())
                        .map(str::trim)
                )),
                json!(format.trim()),
            );
        }
        if let Some(context) = &saml.authentication_context {
            f.compare(
                "saml.authenticationContext",
                served(json!(
                    have.and_then(|s| s.authentication_context.as_deref())
                        .map(str::trim)
                )),
                json!(context.trim()),
            );
        }
        let mappings = |list: Vec<(String, String)>| {
            let set: BTreeSet<(String, String)> = list
                .into_iter()
                .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
                .collect();
            json!(set.into_iter().collect::<Vec<_>>())
        };
        f.compare(
            "saml.nameIdAttributeMappings",
            served(mappings(
                have.map(|s| s.name_id_mappings.clone()).unwrap_or_default(),
            )),
            mappings(
                saml.name_id_attribute_mappings
                    .iter()
                    .map(|m| (m.idp_attribute.clone(), m.vidb_attribute.clone()))
                    .collect(),
            ),
        );
    }
    let directories = |list: Vec<(String, Value, Option<String>)>| {
        let mut list: Vec<Value> = list
            .into_iter()
            .map(|(name, domains, default)| {
                json!({ "name": name, "domains": domains, "defaultDomain": default })
            })
            .collect();
        list.sort_by_key(|v| v["name"].as_str().unwrap_or_default().to_owned());
        json!(list)
    };
    // A default domain the document leaves out is left to the server.
    let default_of = |name: &str| {
        want.directories
            .iter()
            .find(|d| key(&d.name) == key(name))
            .is_some_and(|d| d.default_domain.is_some())
    };
    f.compare(
        "directories",
        served(directories(
            current
                .map(|c| c.directories.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|d| {
                    (
                        key(&d.name),
                        domain_set(d.domains.iter().map(String::as_str)),
                        d.default_domain
                            .as_deref()
                            .filter(|_| default_of(&d.name))
                            .map(key),
                    )
                })
                .collect(),
        )),
        directories(
            want.directories
                .iter()
                .map(|d| {
                    (
                        key(&d.name),
                        domain_set(d.domains.iter().map(String::as_str)),
                        d.default_domain.as_deref().map(key),
                    )
                })
                .collect(),
        ),
    );
    f.list
}

/// The provider's change: create when the realm has none, replace when
/// the protocol differs, update when a readable field differs (or, with
/// `--update-secrets`, to resend its client secret).
fn diff_idp(
    realm_id: &str,
    realm_name: &str,
    want: &RealmIdentityProvider,
    current: Option<&IdentityProvider>,
    options: &Options,
) -> Option<Change> {
    let secrets: Vec<String> = want
        .oidc
        .as_ref()
        .map(|_| vec!["oidc.clientSecret".to_owned()])
        .unwrap_or_default();
    let name = format!("{realm_name}/{}", want.name.trim());
    let change = |action, fields, needs, note: Option<&str>, step| Change {
        action,
        object: IDP,
        name: name.clone(),
        fields,
        secrets: secrets.clone(),
        needs,
        note: note.map(str::to_owned),
        step: Step::Ops(step),
    };
    let Some(current) = current else {
        return Some(change(
            Action::Create,
            idp_fields(want, None),
            None,
            None,
            OpsStep::CreateIdp {
                realm_id: realm_id.to_owned(),
                desired: Box::new(want.clone()),
            },
        ));
    };
    if !current
        .protocol
        .as_wire()
        .eq_ignore_ascii_case(want.protocol())
    {
        return Some(change(
            Action::Replace,
            idp_fields(want, Some(current)),
            Some(Permission::AllowReplace),
            (!options.allow_replace).then_some(
                "the protocol differs: the provider is deleted, then created (users cannot log in through it meanwhile)",
            ),
            OpsStep::ReplaceIdp {
                realm_id: realm_id.to_owned(),
                id: current.id.clone(),
                desired: Box::new(want.clone()),
            },
        ));
    }
    let fields = idp_fields(want, Some(current));
    let resend = options.update_secrets && !secrets.is_empty();
    if fields.is_empty() && !resend {
        return None;
    }
    // The update (PUT) replaces the whole configuration and the server
    // never returns the client secret: resent only when asked.
    let needs = (!secrets.is_empty()).then_some(Permission::UpdateSecrets);
    Some(change(
        Action::Update,
        fields,
        needs,
        (needs.is_some() && !options.update_secrets)
            .then_some("the update replaces the whole configuration, client secret included"),
        OpsStep::UpdateIdp {
            realm_id: realm_id.to_owned(),
            id: current.id.clone(),
            desired: Box::new(want.clone()),
        },
    ))
}

/// A group's roles as a comparable set: `role@SCOPE[resources]`.
fn role_set<'a>(roles: impl IntoIterator<Item = (&'a str, String, Vec<String>)>) -> Value {
    let set: BTreeSet<String> = roles
        .into_iter()
        .map(|(role, scope, mut resources)| {
            resources.sort();
            resources.dedup();
            if resources.is_empty() {
                format!("{}@{scope}", role.trim())
            } else {
                format!("{}@{scope}[{}]", role.trim(), resources.join(","))
            }
        })
        .collect();
    json!(set.into_iter().collect::<Vec<_>>())
}

fn assigned_set(assigned: &[RoleAssignment]) -> Value {
    role_set(assigned.iter().map(|a| {
        (
            a.role_name.as_str(),
            a.scope.scope_type.as_wire().to_ascii_uppercase(),
            a.scope
                .resources
                .iter()
                .map(|r| r.id.trim().to_owned())
                .collect(),
        )
    }))
}

fn desired_set(roles: &[&GroupRole]) -> Value {
    role_set(roles.iter().map(|r| {
        (
            r.role.as_str(),
            r.scope_or_default(),
            r.resources.iter().map(|x| x.trim().to_owned()).collect(),
        )
    }))
}

/// The group `wanted` names: its id, else its name or display name.
fn find_group<'a>(groups: &'a [Group], wanted: &str) -> Option<&'a Group> {
    groups
        .iter()
        .find(|g| g.id.as_deref().is_some_and(|id| id.trim() == wanted.trim()))
        .or_else(|| {
            groups.iter().find(|g| {
                [g.name.as_deref(), g.display_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|n| key(n) == key(wanted))
            })
        })
}

/// The roles of each named group (one change per group whose set of roles
/// differs), and with `pruneRoleAssignments` the removal of every other
/// group's roles.
async fn diff_roles(
    client: &OpsClient,
    realm_id: &str,
    realm_name: &str,
    state: &RealmState,
    groups: &[Group],
) -> Result<Vec<Change>, Error> {
    let mut wanted: Vec<(String, Vec<&GroupRole>)> = Vec::new();
    for role in state.role_assignments.iter().flatten() {
        match wanted.iter_mut().find(|(g, _)| key(g) == key(&role.group)) {
            Some((_, list)) => list.push(role),
            None => wanted.push((role.group.trim().to_owned(), vec![role])),
        }
    }
    let mut changes = Vec::new();
    let mut managed: HashSet<String> = HashSet::new();
    for (group_name, roles) in &wanted {
        let group = find_group(groups, group_name).ok_or_else(|| {
            Error::Usage(format!(
                "realms `{realm_name}`: roleAssignments: no group `{group_name}` in the realm (groups arrive through the identity provider's directory; apply again once it has synchronized)"
            ))
        })?;
        let Some(principal_id) = group.id.clone() else {
            return Err(Error::Usage(format!(
                "realms `{realm_name}`: the server gave group `{group_name}` no id"
            )));
        };
        managed.insert(principal_id.clone());
        let current = client.role_assignments(realm_id, &principal_id).await?;
        let mut f = Fields { list: Vec::new() };
        let had = assigned_set(&current);
        let empty = had.as_array().is_none_or(Vec::is_empty);
        f.compare("roles", (!empty).then_some(had), desired_set(roles));
        if f.list.is_empty() {
            continue;
        }
        changes.push(Change {
            action: if empty {
                Action::Create
            } else {
                Action::Update
            },
            object: ROLES,
            name: format!("{realm_name}/{group_name}"),
            fields: f.list,
            secrets: Vec::new(),
            needs: None,
            note: None,
            step: Step::Ops(OpsStep::SetRoles {
                realm_id: realm_id.to_owned(),
                principal_id,
                roles: roles.iter().map(|r| (*r).clone()).collect(),
            }),
        });
    }
    if state.prune_role_assignments {
        for group in groups {
            let Some(id) = &group.id else { continue };
            if group.roles.is_empty() || managed.contains(id) {
                continue;
            }
            let name = group
                .name
                .clone()
                .or_else(|| group.display_name.clone())
                .unwrap_or_else(|| id.clone());
            changes.push(Change {
                action: Action::Delete,
                object: ROLES,
                name: format!("{realm_name}/{name}"),
                fields: Vec::new(),
                secrets: Vec::new(),
                needs: None,
                note: None,
                step: Step::Ops(OpsStep::RevokeRoles {
                    realm_id: realm_id.to_owned(),
                    principal_id: id.clone(),
                }),
            });
        }
    }
    Ok(changes)
}
