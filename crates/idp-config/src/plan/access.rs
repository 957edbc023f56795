//! The comparison of a target's grants with `identity.access`: which
//! roles to grant, change or revoke, and the principals checked against
//! the SSO domains before anything is applied.

use idp_client::VcfClient;
use idp_client::vcf::{Principal, User, UserKind};
use serde_json::json;

use crate::document::{AccessGrant, External, GranteeKind, Identity};
use crate::error::Error;

use super::{Action, Change, FieldChange, Step};

/// The user whose grant pruning never removes: the system administrator.
const ADMINISTRATOR: (&str, &str) = ("administrator", "vsphere.local");

/// Who a target logs in as, so that pruning never removes its grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// A user name and password: `name@domain`.
    User { name: String, domain: String },
    /// An API key, a bearer token or a context: not known by name.
    Unknown,
}

impl Caller {
    /// The caller of a target logging in as `username` (`name@domain`;
    /// without a domain, `vsphere.local`).
    pub(crate) fn user(username: &str) -> Self {
        let (name, domain) = username
            .trim()
            .rsplit_once('@')
            .unwrap_or((username.trim(), "vsphere.local"));
        Self::User {
            name: name.to_owned(),
            domain: domain.to_owned(),
        }
    }
}

/// Delivers a new service user's API key (the server shows it once) to a
/// grant's `deliverKey`. The caller supplies it: `idpctl` delivers through
/// its delivery engine, with recovery when delivery fails.
pub trait KeyDelivery: Send + Sync {
    /// Checks, before any change of the target, that `target` can take a
    /// key.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when it cannot.
    fn preflight(&self, target: &str) -> Result<(), Error>;

    /// Delivers the key of service user `user` to `target`, once. When
    /// delivery fails, the key must be kept where the caller can recover it
    /// (the error says where).
    ///
    /// # Errors
    ///
    /// Any [`Error`]; the key was made but not delivered.
    fn deliver<'a>(
        &'a self,
        target: &'a str,
        user: &'a str,
        key: &'a idp_client::Secret,
    ) -> futures::future::BoxFuture<'a, Result<(), Error>>;
}

/// What executing an access change does.
#[derive(Debug, Clone)]
pub(crate) enum AccessStep {
    Grant(AccessGrant),
    ChangeRole { id: String, grant: AccessGrant },
    Revoke { id: String },
}

impl AccessGrant {
    fn principal(&self) -> Option<Principal> {
        let (kind, name) = self.grantee()?;
        let domain = self.domain.as_deref().unwrap_or("").trim();
        Some(match kind {
            GranteeKind::Group => Principal::group(name, domain),
            GranteeKind::User => Principal::user(name, domain),
            GranteeKind::ServiceUser => Principal::new(name, domain, UserKind::Service),
        })
    }

    fn matches(&self, user: &User) -> bool {
        let Some((kind, name)) = self.grantee() else {
            return false;
        };
        let kind_matches = match kind {
            GranteeKind::Group => user.kind == UserKind::Group,
            GranteeKind::User => user.kind == UserKind::User,
            GranteeKind::ServiceUser => user.kind == UserKind::Service,
        };
        let domain = match kind {
            GranteeKind::ServiceUser => None,
            _ => self.domain.as_deref().map(str::trim),
        };
        kind_matches && user.is(name, domain)
    }
}

/// The domains the plan's own provider and source changes bring: a grant
/// in one of them cannot be checked before apply creates it.
fn pending_domains(identity: &Identity) -> Vec<String> {
    let mut domains = Vec::new();
    if let Some(External::Provider(provider)) = &identity.external {
        if let Some(directory) = &provider.directory {
            domains.extend(directory.domains.iter().cloned());
            domains.push(directory.default_domain.clone());
        }
        if let Some(ldap) = &provider.ldap {
            domains.push(ldap.domain_name.clone());
        }
    }
    for source in identity.embedded_sources.iter().flatten() {
        domains.push(source.domain_name.clone());
    }
    domains
}

fn role_field(from: Option<&str>, to: Option<&str>) -> FieldChange {
    FieldChange {
        field: "role".into(),
        from: from.map_or(serde_json::Value::Null, |r| json!(r)),
        to: to.map_or(serde_json::Value::Null, |r| json!(r)),
    }
}

fn change(
    action: Action,
    name: String,
    field: FieldChange,
    step: AccessStep,
    note: Option<String>,
) -> Change {
    Change {
        action,
        object: "access",
        name,
        fields: vec![field],
        secrets: Vec::new(),
        needs: None,
        note,
        step: Step::Access(Box::new(step)),
    }
}

/// Compares the grants of `client`'s SDDC Manager with `identity.access`:
/// grants first, then role changes, then revokes (so a new grant is in
/// place before an old one goes).
///
/// # Errors
///
/// A role name the server does not have, or a group or user its SSO domain
/// does not know (a domain the plan itself brings is checked at apply);
/// any [`Error`] of reading the users, roles and domains.
pub(crate) async fn diff_access(
    client: &VcfClient,
    identity: &Identity,
    caller: &Caller,
    prefix: &str,
) -> Result<Vec<Change>, Error> {
    if identity.access.is_none() && !identity.prune_access {
        return Ok(Vec::new());
    }
    let desired = identity.access.as_deref().unwrap_or_default();
    let users = client.list_users().await?;
    let mut domains: Option<Vec<String>> = None;
    let pending = pending_domains(identity);
    let mut changes = Vec::new();
    for (i, grant) in desired.iter().enumerate() {
        let here = format!("{prefix}.access[{i}]");
        let role = client
            .role_by_name(&grant.role)
            .await
            .map_err(|e| Error::Usage(format!("{here}.role: {e}")))?;
        let current = users.iter().find(|u| grant.matches(u));
        match current {
            Some(user) if user.role_name.as_deref().is_some_and(|r| r.eq_ignore_ascii_case(&role.name)) => {}
            Some(user) => changes.push(change(
                Action::ChangeRole,
                grant.display_name(),
                role_field(user.role_name.as_deref().or(user.role_id.as_deref()), Some(&role.name)),
                AccessStep::ChangeRole {
                    id: user.id.clone(),
                    grant: grant.clone(),
                },
                Some(match grant.grantee() {
                    Some((GranteeKind::ServiceUser, _)) => "removed and added again: a new API key is made and delivered; no access between the two requests".to_owned(),
                    _ => "removed and added again with the new role: no access between the two requests".to_owned(),
                }),
            )),
            None => {
                let note = check_principal(client, grant, &mut domains, &pending, &here).await?;
                changes.push(change(
                    Action::Grant,
                    grant.display_name(),
                    role_field(None, Some(&role.name)),
                    AccessStep::Grant(grant.clone()),
                    note,
                ));
            }
        }
    }
    if identity.prune_access {
        for user in &users {
            if desired.iter().any(|g| g.matches(user)) || protected(user, caller) {
                continue;
            }
            let name = match user.kind {
                UserKind::Service => format!("serviceUser {}", user.name),
                UserKind::Group => format!("group {}", user.qualified_name()),
                _ => format!("user {}", user.qualified_name()),
            };
            changes.push(change(
                Action::Revoke,
                name,
                role_field(user.role_name.as_deref().or(user.role_id.as_deref()), None),
                AccessStep::Revoke {
                    id: user.id.clone(),
                },
                None,
            ));
        }
    }
    Ok(changes)
}

/// Whether pruning must keep `user`: the system administrator, and the
/// caller (when the caller is not known by name, every user and service
/// user: any of them could be the caller).
fn protected(user: &User, caller: &Caller) -> bool {
    if user.kind == UserKind::User && user.is(ADMINISTRATOR.0, Some(ADMINISTRATOR.1)) {
        return true;
    }
    match caller {
        Caller::User { name, domain } => user.kind == UserKind::User && user.is(name, Some(domain)),
        Caller::Unknown => user.kind != UserKind::Group,
    }
}

/// Checks that a group or user is known to its SSO domain; a note when the
/// domain comes with this plan and so is checked at apply.
async fn check_principal(
    client: &VcfClient,
    grant: &AccessGrant,
    domains: &mut Option<Vec<String>>,
    pending: &[String],
    here: &str,
) -> Result<Option<String>, Error> {
    let Some(principal) = grant.principal() else {
        return Ok(None);
    };
    if principal.kind == UserKind::Service {
        return Ok(None);
    }
    if domains.is_none() {
        *domains = Some(client.list_sso_domains().await?);
    }
    let known_domain = domains
        .iter()
        .flatten()
        .any(|d| d.eq_ignore_ascii_case(&principal.domain));
    if !known_domain {
        if pending
            .iter()
            .any(|d| d.trim().eq_ignore_ascii_case(&principal.domain))
        {
            return Ok(Some(format!(
                "{} comes with this plan's identity provider or source: the {} is checked when apply grants it",
                principal.domain,
                principal.kind.as_str().to_ascii_lowercase()
            )));
        }
        return Err(Error::Usage(format!(
            "{here}: `{}` is not an SSO domain of the target (`idpctl vcf principal search` lists them)",
            principal.domain
        )));
    }
    if !client.principal_exists(&principal).await? {
        return Err(Error::Usage(format!(
            "{here}: SSO domain {} knows no {} named `{}` (`idpctl vcf principal search --domain {} {}`)",
            principal.domain,
            principal.kind.as_str().to_ascii_lowercase(),
            principal.name,
            principal.domain,
            principal.name
        )));
    }
    Ok(None)
}

impl AccessStep {
    /// The `deliverKey` of a step that makes a new service-user key.
    pub(crate) fn key_target(&self) -> Option<&str> {
        let grant = match self {
            Self::Grant(grant) | Self::ChangeRole { grant, .. } => grant,
            Self::Revoke { .. } => return None,
        };
        match grant.grantee() {
            Some((GranteeKind::ServiceUser, _)) => grant.deliver_key.as_deref().map(str::trim),
            _ => None,
        }
    }
}

/// Carries out an access change; a new service user's key goes to its
/// `deliverKey` through `delivery`, once.
pub(crate) async fn execute_access(
    client: &VcfClient,
    step: &AccessStep,
    delivery: Option<&dyn KeyDelivery>,
) -> Result<(), Error> {
    let grant = match step {
        AccessStep::Revoke { id } => return Ok(client.remove_user(id).await?),
        AccessStep::ChangeRole { id, grant } => {
            // No call changes a role: the grant is removed and added again
            // at once (the role is looked up before the removal, so an
            // unknown role removes nothing).
            client.role_by_name(&grant.role).await?;
            client.remove_user(id).await?;
            grant
        }
        AccessStep::Grant(grant) => grant,
    };
    let principal = grant
        .principal()
        .ok_or_else(|| Error::Usage(format!("{}: not a valid grant", grant.display_name())))?;
    if principal.kind != UserKind::Service {
        client.add_user(&principal, &grant.role).await?;
        return Ok(());
    }
    let (Some(delivery), Some(target)) = (delivery, step.key_target()) else {
        return Err(Error::Usage(format!(
            "{}: no key delivery: the new API key would be lost",
            grant.display_name()
        )));
    };
    let added = client
        .add_service_user(&principal.name, &grant.role)
        .await?;
    delivery
        .deliver(target, &added.user.name, &added.api_key)
        .await
}
