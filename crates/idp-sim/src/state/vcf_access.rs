//! Who may use SDDC Manager: the roles, the users, groups and service users
//! granted one, and the principals of each SSO domain that can be granted
//! one. API keys are test credentials of the simulator, never logged.

use chrono::{DateTime, Utc};

use crate::ids::{new_uuid, random_hex};

/// The name of the service user every simulator starts with.
pub(crate) const SERVICE_USER: &str = "svc-automation";
/// The system SSO domain, always listed.
pub(crate) const SYSTEM_DOMAIN: &str = "vsphere.local";

/// The roles, in the order `GET /v1/roles` lists them (vendor description:
/// ADMIN, OPERATOR, VIEWER; the descriptions are assumed).
const ROLES: [(&str, &str); 3] = [
    ("ADMIN", "Administrator"),
    ("OPERATOR", "Operator"),
    ("VIEWER", "Viewer"),
];

/// The principals every simulator knows, per domain (assumed names). A
/// domain's principals can be granted only while it is an SSO domain.
const SEEDED_PRINCIPALS: [(&str, &str, &str); 9] = [
    (SYSTEM_DOMAIN, "administrator", "USER"),
    (SYSTEM_DOMAIN, "Administrators", "GROUP"),
    ("embedded-ids.com", "vcf-admins", "GROUP"),
    ("embedded-ids.com", "ops", "USER"),
    ("example.com", "vcf-admins", "GROUP"),
    ("example.com", "vcf-operators", "GROUP"),
    ("example.com", "jane", "USER"),
    ("corp.example.com", "vcf-admins", "GROUP"),
    ("corp.example.com", "jane", "USER"),
];

#[derive(Debug, Clone)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
}

/// A user or group of an SSO domain that can be granted a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Principal {
    pub(crate) domain: String,
    pub(crate) name: String,
    /// `USER` or `GROUP`.
    pub(crate) kind: String,
}

/// A user, group or service user granted a role.
#[derive(Clone)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) domain: String,
    /// `USER`, `GROUP` or `SERVICE`.
    pub(crate) kind: String,
    pub(crate) role_id: String,
    pub(crate) created: DateTime<Utc>,
    /// A service user's key (it logs in with it).
    pub(crate) api_key: Option<String>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("domain", &self.domain)
            .field("kind", &self.kind)
            .field("role_id", &self.role_id)
            .field("created", &self.created)
            .field(
                "api_key",
                &self.api_key.as_ref().map(|_| crate::request_log::REDACTED),
            )
            .finish()
    }
}

impl User {
    pub(crate) fn is(&self, name: &str, domain: &str, kind: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            && self.domain.eq_ignore_ascii_case(domain)
            && (self.kind == "SERVICE") == (kind == "SERVICE")
    }
}

/// The roles, the granted users and the known principals.
#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub(crate) roles: Vec<Role>,
    pub(crate) users: Vec<User>,
    pub(crate) principals: Vec<Principal>,
}

impl Access {
    /// The three roles; `administrator@vsphere.local` and the service user
    /// `svc-automation` as ADMIN; the seeded principals.
    pub(crate) fn seeded() -> Self {
        let roles: Vec<Role> = ROLES
            .iter()
            .map(|(name, description)| Role {
                id: new_uuid(),
                name: (*name).to_owned(),
                description: (*description).to_owned(),
            })
            .collect();
        let admin = roles[0].id.clone();
        let now = Utc::now();
        let users = vec![
            User {
                id: new_uuid(),
                name: "administrator".to_owned(),
                domain: SYSTEM_DOMAIN.to_owned(),
                kind: "USER".to_owned(),
                role_id: admin.clone(),
                created: now,
                api_key: None,
            },
            Self::service_user(SERVICE_USER, &admin, now),
        ];
        let principals = SEEDED_PRINCIPALS
            .iter()
            .map(|(domain, name, kind)| Principal {
                domain: (*domain).to_owned(),
                name: (*name).to_owned(),
                kind: (*kind).to_owned(),
            })
            .collect();
        Access {
            roles,
            users,
            principals,
        }
    }

    /// A new service user with a random API key.
    pub(crate) fn service_user(name: &str, role_id: &str, created: DateTime<Utc>) -> User {
        User {
            id: new_uuid(),
            name: name.to_owned(),
            domain: SYSTEM_DOMAIN.to_owned(),
            kind: "SERVICE".to_owned(),
            role_id: role_id.to_owned(),
            created,
            api_key: Some(random_hex(24)),
        }
    }

    pub(crate) fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }

    pub(crate) fn role_named(&self, name: &str) -> Option<&Role> {
        self.roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// The service user whose API key is `key`.
    pub(crate) fn service_user_by_key(&self, key: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.api_key.as_deref() == Some(key))
    }

    /// The principals of `domain` whose name contains `search` (all for
    /// `None`), compared without regard to case.
    pub(crate) fn search(&self, domain: &str, search: Option<&str>) -> Vec<&Principal> {
        let search = search.map(str::to_lowercase);
        self.principals
            .iter()
            .filter(|p| p.domain.eq_ignore_ascii_case(domain))
            .filter(|p| {
                search
                    .as_deref()
                    .is_none_or(|s| p.name.to_lowercase().contains(s))
            })
            .collect()
    }

    pub(crate) fn principal(&self, domain: &str, name: &str) -> Option<&Principal> {
        self.principals
            .iter()
            .find(|p| p.domain.eq_ignore_ascii_case(domain) && p.name.eq_ignore_ascii_case(name))
    }

    /// Makes a principal known; `false` when it was known already.
    pub(crate) fn add_principal(&mut self, domain: &str, name: &str, kind: &str) -> bool {
        if self.principal(domain, name).is_some() {
            return false;
        }
        self.principals.push(Principal {
            domain: domain.to_owned(),
            name: name.to_owned(),
            kind: kind.to_ascii_uppercase(),
        });
        true
    }

    /// How many users hold the ADMIN role.
    pub(crate) fn admin_count(&self) -> usize {
        let admin = self.role_named("ADMIN").map(|r| r.id.as_str());
        self.users
            .iter()
            .filter(|u| Some(u.role_id.as_str()) == admin)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_roles_users_and_principals() {
        let a = Access::seeded();
        let names: Vec<_> = a.roles.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["ADMIN", "OPERATOR", "VIEWER"]);
        assert_eq!(a.admin_count(), 2);
        let service = &a.users[1];
        assert_eq!(service.name, SERVICE_USER);
        let key = service.api_key.clone().unwrap();
        assert_eq!(
            a.service_user_by_key(&key).map(|u| u.name.as_str()),
            Some(SERVICE_USER)
        );
        assert!(!format!("{a:?}").contains(&key));
        assert_eq!(a.search("EXAMPLE.com", Some("ADMIN")).len(), 1);
        assert_eq!(a.search("example.com", None).len(), 3);
        assert!(a.search("nowhere.test", None).is_empty());
    }
}
