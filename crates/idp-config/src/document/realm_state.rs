//! The desired state of one SSO realm of a VCF Operations: its identity
//! provider (OIDC or SAML) with its directories, and the roles of groups.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::reference::SecretRef;

/// One SSO realm: its identity provider and the roles of groups.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RealmState {
    /// The realm, by its name or its id.
    pub realm: String,
    /// The realm's identity provider, matched by `name`. Absent: the
    /// realm's provider is left as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<RealmIdentityProvider>,
    /// The roles of groups, by group. Only the groups named here are
    /// managed; absent: roles are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_assignments: Option<Vec<GroupRole>>,
    /// Also remove the roles of groups this document does not name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune_role_assignments: bool,
}

impl RealmState {
    /// The state of the realm `realm` (a name or an id), changing nothing
    /// yet.
    #[must_use]
    pub fn new(realm: impl Into<String>) -> Self {
        Self {
            realm: realm.into(),
            ..Self::default()
        }
    }

    /// Sets the realm's identity provider.
    #[must_use]
    pub fn identity_provider(mut self, provider: RealmIdentityProvider) -> Self {
        self.identity_provider = Some(provider);
        self
    }

    /// Sets the roles of groups.
    #[must_use]
    pub fn role_assignments(mut self, roles: Vec<GroupRole>) -> Self {
        self.role_assignments = Some(roles);
        self
    }

    /// Sets whether the roles of unnamed groups are removed.
    #[must_use]
    pub fn prune_role_assignments(mut self, prune: bool) -> Self {
        self.prune_role_assignments = prune;
        self
    }
}

/// A realm's identity provider: OIDC (`oidc`) or SAML (`saml`), its
/// provisioning and its directories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RealmIdentityProvider {
    /// The provider's name (its identity).
    pub name: String,
    /// The vendor's identity provider type (`idpType`: `OKTA`, `AZURE`,
    /// `SYMANTEC_IDSP`, ...; open: sent as written).
    #[serde(rename = "type")]
    pub kind: String,
    /// How users and groups arrive: `SCIM` or `JIT` (default `SCIM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning: Option<String>,
    /// OIDC: the discovery endpoint and the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc: Option<RealmOidc>,
    /// SAML: the metadata URL and the name id mappings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saml: Option<RealmSaml>,
    /// The provider's directories, matched by `name` (at least one).
    pub directories: Vec<RealmDirectory>,
}

impl RealmIdentityProvider {
    /// An OIDC provider of type `kind` with `directories`, provisioned by
    /// SCIM.
    #[must_use]
    pub fn oidc(
        name: impl Into<String>,
        kind: impl Into<String>,
        oidc: RealmOidc,
        directories: Vec<RealmDirectory>,
    ) -> Self {
        Self {
            name: name.into(),
            kind: kind.into(),
            provisioning: None,
            oidc: Some(oidc),
            saml: None,
            directories,
        }
    }

    /// A SAML provider of type `kind` with `directories`, provisioned by
    /// SCIM.
    #[must_use]
    pub fn saml(
        name: impl Into<String>,
        kind: impl Into<String>,
        saml: RealmSaml,
        directories: Vec<RealmDirectory>,
    ) -> Self {
        Self {
            name: name.into(),
            kind: kind.into(),
            provisioning: None,
            oidc: None,
            saml: Some(saml),
            directories,
        }
    }

    /// Sets the provisioning (`SCIM` or `JIT`).
    #[must_use]
    pub fn provisioning(mut self, provisioning: impl Into<String>) -> Self {
        self.provisioning = Some(provisioning.into());
        self
    }

    /// `OIDC` or `SAML`, as the vendor names the protocol.
    #[must_use]
    pub fn protocol(&self) -> &'static str {
        if self.saml.is_some() { "SAML" } else { "OIDC" }
    }

    /// The provisioning, upper-cased (`SCIM` when not written).
    #[must_use]
    pub fn provisioning_or_default(&self) -> String {
        self.provisioning
            .as_deref()
            .map_or_else(|| "SCIM".to_owned(), |p| p.trim().to_ascii_uppercase())
    }
}

/// An OIDC identity provider's client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RealmOidc {
    /// The OpenID discovery endpoint (`https://`).
    pub discovery_endpoint: String,
    /// The client id at the identity provider.
    pub client_id: String,
    /// The client secret at the identity provider: `env:NAME` or
    /// `file:PATH`. Sent on create, and on update only with
    /// `update_secrets`.
    pub client_secret: SecretRef,
    /// The OpenID claim that identifies a user (`sub`); absent: left to
    /// the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id_user_identifier_attribute: Option<String>,
    /// The internal attribute it maps to (`ExternalId`); absent: left to
    /// the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_user_identifier_attribute: Option<String>,
}

impl RealmOidc {
    /// A client at `discovery_endpoint`.
    #[must_use]
    pub fn new(
        discovery_endpoint: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretRef,
    ) -> Self {
        Self {
            discovery_endpoint: discovery_endpoint.into(),
            client_id: client_id.into(),
            client_secret,
            open_id_user_identifier_attribute: None,
            internal_user_identifier_attribute: None,
        }
    }
}

/// A SAML identity provider, its metadata read from a URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RealmSaml {
    /// Where the identity provider's metadata is (`https://`).
    pub metadata_url: String,
    /// The name id format; absent: left to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_id_format: Option<String>,
    /// The identity provider's attributes and the broker's attributes
    /// they fill (at least one).
    pub name_id_attribute_mappings: Vec<SamlAttributeMapping>,
    /// The authentication context; absent: left to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication_context: Option<String>,
}

impl RealmSaml {
    /// SAML metadata at `metadata_url` with `mappings`.
    #[must_use]
    pub fn new(metadata_url: impl Into<String>, mappings: Vec<SamlAttributeMapping>) -> Self {
        Self {
            metadata_url: metadata_url.into(),
            name_id_format: None,
            name_id_attribute_mappings: mappings,
            authentication_context: None,
        }
    }
}

/// One SAML attribute mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct SamlAttributeMapping {
    /// The identity provider's attribute.
    pub idp_attribute: String,
    /// The broker's attribute (`email`, `userName`, ...).
    pub vidb_attribute: String,
}

impl SamlAttributeMapping {
    /// `idp_attribute` into `vidb_attribute`.
    #[must_use]
    pub fn new(idp_attribute: impl Into<String>, vidb_attribute: impl Into<String>) -> Self {
        Self {
            idp_attribute: idp_attribute.into(),
            vidb_attribute: vidb_attribute.into(),
        }
    }
}

/// A directory of a realm's identity provider, identified by its `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct RealmDirectory {
    /// The directory's name (its identity).
    pub name: String,
    /// Its domains (at least one).
    pub domains: Vec<String>,
    /// The domain used when a user name has none; one of `domains`.
    /// Absent: left to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_domain: Option<String>,
}

impl RealmDirectory {
    /// A directory named `name` with `domains`.
    #[must_use]
    pub fn new(name: impl Into<String>, domains: Vec<String>) -> Self {
        Self {
            name: name.into(),
            domains,
            default_domain: None,
        }
    }

    /// Sets the default domain.
    #[must_use]
    pub fn default_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_domain = Some(domain.into());
        self
    }
}

/// A role of a group in a realm: the group, the role and its scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct GroupRole {
    /// The group, by its name in the realm (`vcf-admins@example.com`) or
    /// its id.
    pub group: String,
    /// The role's name (`vcf_administrator`).
    pub role: String,
    /// `SSO_REALM` (the whole realm, the default) or `VCF_INSTANCE` (the
    /// instances of `resources`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The VCF instances, by id, of a `VCF_INSTANCE` scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
}

impl GroupRole {
    /// `role` for `group` on the whole realm.
    #[must_use]
    pub fn realm_wide(group: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            group: group.into(),
            role: role.into(),
            scope: None,
            resources: Vec::new(),
        }
    }

    /// `role` for `group` on the VCF instances `instances`.
    #[must_use]
    pub fn on_instances(
        group: impl Into<String>,
        role: impl Into<String>,
        instances: Vec<String>,
    ) -> Self {
        Self {
            group: group.into(),
            role: role.into(),
            scope: Some("VCF_INSTANCE".to_owned()),
            resources: instances,
        }
    }

    /// The scope, upper-cased (`SSO_REALM` when not written).
    #[must_use]
    pub fn scope_or_default(&self) -> String {
        self.scope
            .as_deref()
            .map_or_else(|| "SSO_REALM".to_owned(), |s| s.trim().to_ascii_uppercase())
    }
}
