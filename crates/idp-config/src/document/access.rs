//! Who may use an SDDC Manager: the roles granted to users and groups of
//! its SSO domains and to service users (`identity.access`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One grant: a group or user of an SSO domain, or a service user, and its
/// role. Exactly one of `group`, `user` and `serviceUser`.
///
/// ```yaml
/// access:
///   - { group: vcf-admins, domain: example.com, role: ADMIN }
///   - { user: jane, domain: example.com, role: VIEWER }
///   - { serviceUser: ci-pipeline, role: OPERATOR, deliverKey: file:/run/secrets/vcf-ci-key }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct AccessGrant {
    /// A group of the SSO domain `domain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// A user of the SSO domain `domain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// A service user (it logs in with an API key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_user: Option<String>,
    /// The SSO domain of a group or user (`idpctl vcf principal search`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The role's name: ADMIN, OPERATOR, VIEWER (`idpctl vcf role list`).
    pub role: String,
    /// Where a service user's new API key goes when apply creates it
    /// (`file:PATH`, written with mode 0600); the key is shown once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deliver_key: Option<String>,
}

/// What a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GranteeKind {
    /// A group of an SSO domain.
    Group,
    /// A user of an SSO domain.
    User,
    /// A service user.
    ServiceUser,
}

impl GranteeKind {
    /// The document's key (`group`, `user`, `serviceUser`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::User => "user",
            Self::ServiceUser => "serviceUser",
        }
    }
}

impl AccessGrant {
    /// `role` for the group `name` of `domain`.
    #[must_use]
    pub fn group(
        name: impl Into<String>,
        domain: impl Into<String>,
        role: impl Into<String>,
    ) -> Self {
        Self {
            group: Some(name.into()),
            user: None,
            service_user: None,
            domain: Some(domain.into()),
            role: role.into(),
            deliver_key: None,
        }
    }

    /// `role` for the user `name` of `domain`.
    #[must_use]
    pub fn user(
        name: impl Into<String>,
        domain: impl Into<String>,
        role: impl Into<String>,
    ) -> Self {
        Self {
            user: Some(name.into()),
            group: None,
            ..Self::group("", domain, role)
        }
    }

    /// `role` for the service user `name`, its key delivered to
    /// `deliver_key`.
    #[must_use]
    pub fn service_user(
        name: impl Into<String>,
        role: impl Into<String>,
        deliver_key: impl Into<String>,
    ) -> Self {
        Self {
            group: None,
            user: None,
            service_user: Some(name.into()),
            domain: None,
            role: role.into(),
            deliver_key: Some(deliver_key.into()),
        }
    }

    /// The kind and name, when exactly one of `group`, `user` and
    /// `serviceUser` is given.
    #[must_use]
    pub fn grantee(&self) -> Option<(GranteeKind, &str)> {
        match (&self.group, &self.user, &self.service_user) {
            (Some(g), None, None) => Some((GranteeKind::Group, g.trim())),
            (None, Some(u), None) => Some((GranteeKind::User, u.trim())),
            (None, None, Some(s)) => Some((GranteeKind::ServiceUser, s.trim())),
            _ => None,
        }
    }

    /// The grant's name in plans: `group vcf-admins@example.com`,
    /// `serviceUser ci-pipeline`.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self.grantee() {
            Some((GranteeKind::ServiceUser, name)) => format!("serviceUser {name}"),
            Some((kind, name)) => format!(
                "{} {name}@{}",
                kind.as_str(),
                self.domain.as_deref().unwrap_or("").trim()
            ),
            None => "(invalid grant)".to_owned(),
        }
    }

    /// Checks the grant's fields; `(field, message)` for the first problem.
    pub(crate) fn check(&self) -> Result<(), (&'static str, String)> {
        let Some((kind, name)) = self.grantee() else {
            return Err((
                "group",
                "exactly one of `group`, `user` and `serviceUser` is required".into(),
            ));
        };
        if name.is_empty() {
            return Err((kind.as_str(), "must not be empty".into()));
        }
        if self.role.trim().is_empty() {
            return Err(("role", "must not be empty".into()));
        }
        let domain = self
            .domain
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        match kind {
            GranteeKind::ServiceUser => {
                if domain.is_some() {
                    return Err(("domain", "is not for a service user".into()));
                }
                match self.deliver_key.as_deref().map(str::trim) {
                    Some(target) if target.starts_with("file:") && target.len() > 5 => {}
                    Some(_) => {
                        return Err((
                            "deliverKey",
                            "must be file:PATH (the key is shown once and written with mode 0600)"
                                .into(),
                        ));
                    }
                    None => {
                        return Err((
                            "deliverKey",
                            "is required for a service user: its API key is shown once".into(),
                        ));
                    }
                }
            }
            GranteeKind::Group | GranteeKind::User => {
                if domain.is_none() {
                    return Err(("domain", "is required for a group or user".into()));
                }
                if self.deliver_key.is_some() {
                    return Err(("deliverKey", "is only for a service user".into()));
                }
            }
        }
        Ok(())
    }
}
