//! Who may use SDDC Manager: users, groups and service users with their
//! role, the roles, and the principals of the SSO domains.

use chrono::{DateTime, Utc};
use idp_api::Secret;
use serde::Serialize;

use super::kinds::UserKind;
use crate::runtime::FromWire;

/// A user, group or service user granted a role (`GET /v1/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// The server's id (what `remove_user` takes).
    pub id: String,
    /// The name, without the domain.
    pub name: String,
    /// The SSO domain (`vsphere.local` for service users).
    pub domain: Option<String>,
    /// `USER`, `GROUP` or `SERVICE`.
    pub kind: UserKind,
    /// The role's id.
    pub role_id: Option<String>,
    /// The role's name, when the client knows the role.
    pub role_name: Option<String>,
    /// When the user was added (for a service user, when its key was made).
    pub created_at: Option<DateTime<Utc>>,
}

impl User {
    /// `name@domain` (the name alone without a domain).
    #[must_use]
    pub fn qualified_name(&self) -> String {
        match &self.domain {
            Some(domain) if !domain.is_empty() => format!("{}@{domain}", self.name),
            _ => self.name.clone(),
        }
    }

    /// Whether this is `name@domain` (compared without regard to case; a
    /// service user matches on its name alone when `domain` is `None`).
    #[must_use]
    pub fn is(&self, name: &str, domain: Option<&str>) -> bool {
        self.name.eq_ignore_ascii_case(name)
            && domain.is_none_or(|d| {
                self.domain
                    .as_deref()
                    .is_some_and(|own| own.eq_ignore_ascii_case(d))
            })
    }
}

impl FromWire<idp_api::vcf::types::User> for User {
    fn from_wire(wire: idp_api::vcf::types::User) -> Self {
        let created_at = wire
            .creation_timestamp
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
            .map(|t| t.with_timezone(&Utc));
        User {
            id: wire.id.unwrap_or_default(),
            name: wire.name,
            domain: wire.domain.filter(|d| !d.trim().is_empty()),
            kind: UserKind::parse(&wire.type_),
            role_id: Some(wire.role.id).filter(|id| !id.is_empty()),
            role_name: None,
            created_at,
        }
    }
}

/// A new service user and its API key, which the server shows this once.
///
/// `Debug` never shows the key; serializing does not include it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServiceUser {
    /// The new user.
    pub user: User,
    /// The key it logs in with (`vcf::ClientBuilder::api_key`).
    #[serde(skip)]
    pub api_key: Secret,
}

/// A role users can be granted (`GET /v1/roles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Role {
    /// The id grants name the role by.
    pub id: String,
    /// `ADMIN`, `OPERATOR`, `VIEWER`.
    pub name: String,
    /// What the role may do.
    pub description: Option<String>,
}

impl FromWire<idp_api::vcf::types::Role> for Role {
    fn from_wire(wire: idp_api::vcf::types::Role) -> Self {
        Role {
            id: wire.id,
            name: wire.name,
            description: Some(wire.description).filter(|d| !d.is_empty()),
        }
    }
}

/// A user or group of an SSO domain that can be granted a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Principal {
    /// The name, without the domain.
    pub name: String,
    /// The SSO domain.
    pub domain: String,
    /// `USER` or `GROUP` (`SERVICE` for a service user).
    pub kind: UserKind,
}

impl Principal {
    /// A user or group `name` of `domain`.
    #[must_use]
    pub fn new(name: impl Into<String>, domain: impl Into<String>, kind: UserKind) -> Self {
        Principal {
            name: name.into(),
            domain: domain.into(),
            kind,
        }
    }

    /// A user of `domain`.
    #[must_use]
    pub fn user(name: impl Into<String>, domain: impl Into<String>) -> Self {
        Self::new(name, domain, UserKind::User)
    }

    /// A group of `domain`.
    #[must_use]
    pub fn group(name: impl Into<String>, domain: impl Into<String>) -> Self {
        Self::new(name, domain, UserKind::Group)
    }

    /// `name@domain`.
    #[must_use]
    pub fn qualified_name(&self) -> String {
        format!("{}@{}", self.name, self.domain)
    }
}

/// One grant of [`Client::add_users`](crate::vcf::Client::add_users): a
/// principal and the name of its role.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Grant {
    /// Who.
    pub principal: Principal,
    /// The role's name (`ADMIN`, `OPERATOR`, `VIEWER`), looked up by the
    /// client.
    pub role: String,
}

impl Grant {
    /// `role` for `principal`.
    #[must_use]
    pub fn new(principal: Principal, role: impl Into<String>) -> Self {
        Grant {
            principal,
            role: role.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use idp_api::vcf::types;

    use super::*;

    fn wire(kind: &str, created: Option<&str>) -> types::User {
        types::User {
            api_key: Some(Secret::new("key-value-never-shown")),
            creation_timestamp: created.map(str::to_owned),
            domain: Some("  ".into()),
            id: Some("u1".into()),
            name: "ci".into(),
            role: types::RoleReference { id: String::new() },
            type_: kind.into(),
        }
    }

    #[test]
    fn users_read_what_servers_send() {
        let user = User::from_wire(wire("service", Some("2025-06-02T09:14:27.512Z")));
        assert_eq!(user.kind, UserKind::Service);
        assert_eq!(user.domain, None);
        assert_eq!(user.role_id, None);
        assert_eq!(user.qualified_name(), "ci");
        assert_eq!(user.created_at.map(|t| t.timestamp()), Some(1_748_855_667));
        assert!(user.is("CI", None) && !user.is("ci", Some("example.com")));
        let odd = User::from_wire(wire("ROBOT", Some("yesterday")));
        assert_eq!(odd.kind, UserKind::Other("ROBOT".into()));
        assert_eq!(odd.created_at, None);
    }

    #[test]
    fn a_service_users_key_never_shows() {
        let service = ServiceUser {
            user: User::from_wire(wire("SERVICE", None)),
            api_key: Secret::new("key-value-never-shown"),
        };
        assert!(!format!("{service:?}").contains("key-value-never-shown"));
        assert!(
            !serde_json::to_string(&service)
                .unwrap()
                .contains("key-value-never-shown")
        );
    }
}
