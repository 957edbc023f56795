//! Users, groups, roles and role assignments.

use chrono::{DateTime, Utc};
use idp_api::vcf_ops::types as wire;
use serde::Serialize;

use super::{epoch, epoch_millis, open_enum};
use crate::runtime::FromWire;

open_enum!(
    /// What a role assignment applies to.
    ScopeType {
        /// Listed VCF instances (`resources`).
        VcfInstance => "VCF_INSTANCE",
        /// The whole SSO realm.
        SsoRealm => "SSO_REALM",
    }
);

/// A resource a role assignment applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ScopeResource {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: Option<String>,
}

/// Where a role assignment applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleScope {
    /// The kind of scope (`SSO_REALM` when the server leaves it out, as
    /// the vendor's example does: assumed).
    pub scope_type: ScopeType,
    /// The resources (VCF instances, or the realm).
    pub resources: Vec<ScopeResource>,
    /// The SSO name, as sent.
    pub sso_name: Option<String>,
}

impl RoleScope {
    /// The whole SSO realm the assignment is made in (no resources, as the
    /// vendor's example sends it).
    #[must_use]
    pub fn realm() -> Self {
        Self {
            scope_type: ScopeType::SsoRealm,
            resources: Vec::new(),
            sso_name: None,
        }
    }

    /// The VCF instances `ids`.
    #[must_use]
    pub fn vcf_instances(ids: impl IntoIterator<Item = String>) -> Self {
        Self {
            scope_type: ScopeType::VcfInstance,
            resources: ids
                .into_iter()
                .map(|id| ScopeResource { id, name: None })
                .collect(),
            sso_name: None,
        }
    }
}

/// One role assigned to a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RoleAssignment {
    /// The role's name (`vcf_administrator`, ...).
    pub role_name: String,
    /// Its display name.
    pub role_display_name: Option<String>,
    /// Where it applies.
    pub scope: RoleScope,
    /// When it lapses, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

impl RoleAssignment {
    /// `role_name` within `scope`, without expiry.
    #[must_use]
    pub fn new(role_name: impl Into<String>, scope: RoleScope) -> Self {
        Self {
            role_name: role_name.into(),
            role_display_name: None,
            scope,
            expires_at: None,
        }
    }

    pub(crate) fn wire(&self) -> wire::VcfRoleAssignment {
        wire::VcfRoleAssignment {
            expires_at: self.expires_at.map(epoch_millis),
            role_display_name: self.role_display_name.clone(),
            role_name: self.role_name.clone(),
            role_scope: wire::RoleScope {
                resources: self
                    .scope
                    .resources
                    .iter()
                    .map(|r| wire::RoleAssignmentResource {
                        id: r.id.clone(),
                        name: r.name.clone(),
                    })
                    .collect(),
                scope_type: Some(self.scope.scope_type.as_wire().to_owned()),
                sso_name: self.scope.sso_name.clone(),
            },
        }
    }
}

impl FromWire<wire::VcfRoleAssignment> for RoleAssignment {
    fn from_wire(wire: wire::VcfRoleAssignment) -> Self {
        Self {
            role_name: wire.role_name,
            role_display_name: wire.role_display_name,
            scope: RoleScope {
                scope_type: wire
                    .role_scope
                    .scope_type
                    .as_deref()
                    .map_or(ScopeType::SsoRealm, ScopeType::parse),
                resources: wire
                    .role_scope
                    .resources
                    .into_iter()
                    .map(|r| ScopeResource {
                        id: r.id,
                        name: r.name,
                    })
                    .collect(),
                sso_name: wire.role_scope.sso_name,
            },
            expires_at: wire.expires_at.and_then(epoch),
        }
    }
}

/// A user of a realm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct User {
    /// Its id (the principal id role assignments name).
    pub id: Option<String>,
    /// Its user name.
    pub user_name: Option<String>,
    /// Its account name.
    pub account_name: Option<String>,
    /// Its domain.
    pub domain: Option<String>,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its first name.
    pub first_name: Option<String>,
    /// Its last name.
    pub last_name: Option<String>,
    /// Whether it is active.
    pub active: Option<bool>,
    /// The roles it holds.
    pub roles: Vec<String>,
}

impl FromWire<wire::VidbUser> for User {
    fn from_wire(wire: wire::VidbUser) -> Self {
        Self {
            id: wire.user_id,
            user_name: wire.user_name,
            account_name: wire.account_name,
            domain: wire.domain_name,
            email: wire.email,
            first_name: wire.first_name,
            last_name: wire.last_name,
            active: wire.active,
            roles: wire.roles.into_iter().filter_map(|r| r.role_name).collect(),
        }
    }
}

/// A group of a realm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Group {
    /// Its id (the principal id role assignments name).
    pub id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its display name.
    pub display_name: Option<String>,
    /// Its domain.
    pub domain: Option<String>,
    /// The roles it holds.
    pub roles: Vec<String>,
}

impl FromWire<wire::VidbGroup> for Group {
    fn from_wire(wire: wire::VidbGroup) -> Self {
        Self {
            id: wire.group_id,
            name: wire.group_name,
            display_name: wire.display_name,
            domain: wire.domain_name,
            roles: wire.roles,
        }
    }
}

open_enum!(
    /// Which principals a query keeps, by role.
    PrincipalFilter {
        /// Those holding a role.
        HasRole => "HAS_ROLE",
        /// Those holding none.
        HasNoRole => "HAS_NO_ROLE",
    }
);

/// One search term: a field, an operator and its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SearchTerm {
    /// The field (`USERNAME`, `DOMAIN`, `DISPLAY_NAME`, ...; for API
    /// tokens `TOKEN_NAME`, `PRINCIPAL_NAME`, ...).
    pub field: String,
    /// `LIKE`, `EQUALS`, `EMPTY`, `NOT_EMPTY`.
    pub operator: String,
    /// The terms.
    pub terms: Vec<String>,
}

impl SearchTerm {
    /// `field` `operator` `terms`.
    #[must_use]
    pub fn new(
        field: impl Into<String>,
        operator: impl Into<String>,
        terms: impl IntoIterator<Item = String>,
    ) -> Self {
        Self {
            field: field.into(),
            operator: operator.into(),
            terms: terms.into_iter().collect(),
        }
    }
}

/// Which users or groups to list: everything by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PrincipalQuery {
    /// Keep only principals with (or without) a role.
    pub filter: Option<PrincipalFilter>,
    /// Terms every principal must match.
    pub all_of: Vec<SearchTerm>,
    /// Terms a principal must match one of.
    pub any_of: Vec<SearchTerm>,
}

impl PrincipalQuery {
    /// Principals whose `field` is like `term` (`USERNAME`, `DISPLAY_NAME`).
    #[must_use]
    pub fn like(field: impl Into<String>, term: impl Into<String>) -> Self {
        Self {
            all_of: vec![SearchTerm::new(field, "LIKE", [term.into()])],
            ..Self::default()
        }
    }

    /// This query, keeping only principals with (or without) a role.
    #[must_use]
    pub fn with_filter(mut self, filter: PrincipalFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    pub(crate) fn wire(&self) -> wire::VidbPrincipalQuery {
        let terms = |terms: &[SearchTerm]| {
            terms
                .iter()
                .map(|t| wire::VidbPrincipalSearchTerm {
                    operator: t.operator.clone(),
                    searchable_field: t.field.clone(),
                    terms: t.terms.clone(),
                })
                .collect()
        };
        wire::VidbPrincipalQuery {
            filters: self.filter.as_ref().map(|f| f.as_wire().to_owned()),
            search_terms: (!self.all_of.is_empty() || !self.any_of.is_empty()).then(|| {
                wire::VidbPrincipalSearchGroupings {
                    all_of: terms(&self.all_of),
                    any_of: terms(&self.any_of),
                }
            }),
        }
    }
}

/// A VCF role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Role {
    /// Its name (`vcf_administrator`, ...).
    pub name: String,
    /// Its display name.
    pub display_name: Option<String>,
    /// What it is for.
    pub description: Option<String>,
    /// `BUILT_IN` or `CUSTOM`.
    pub role_type: Option<String>,
    /// The component roles it grants: component type, roles.
    pub component_roles: Vec<(String, Vec<String>)>,
}

impl FromWire<wire::VcfRole> for Role {
    fn from_wire(wire: wire::VcfRole) -> Self {
        Self {
            name: wire.role_name,
            display_name: wire.role_display_name,
            description: wire.role_description,
            role_type: wire.type_,
            component_roles: wire
                .component_roles
                .into_iter()
                .map(|c| (c.component_type, c.roles))
                .collect(),
        }
    }
}
