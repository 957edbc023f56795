//! Identity providers, their directories and LDAP directories.

use chrono::{DateTime, Utc};
use idp_api::Secret;
use idp_api::vcf_ops::types as wire;
use serde::Serialize;

use super::{epoch, open_enum};
use crate::runtime::FromWire;

open_enum!(
    /// How users sign in through an identity provider.
    IdpProtocol {
        /// OpenID Connect.
        Oidc => "OIDC",
        /// SAML 2.0.
        Saml => "SAML",
        /// An LDAP bind (Active Directory or OpenLDAP).
        LdapBind => "LDAP_BIND",
    }
);

open_enum!(
    /// How users and groups reach the realm.
    ProvisionType {
        /// Created at first sign-in.
        Jit => "JIT",
        /// Pushed by the identity provider over SCIM (a sync client).
        Scim => "SCIM",
        /// Read from an LDAP directory.
        Ldap => "LDAP",
    }
);

open_enum!(
    /// Where an LDAP directory's sync is.
    LdapSyncStatus {
        /// Started.
        Started => "STARTED",
        /// Running.
        InProgress => "IN_PROGRESS",
        /// Failed.
        Failed => "FAILED",
        /// Done.
        Completed => "COMPLETED",
    }
);

/// A directory of an identity provider: the domains whose users it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Directory {
    /// Its id (set by the server).
    pub id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its domains.
    pub domains: Vec<String>,
    /// The default domain.
    pub default_domain: Option<String>,
}

impl Directory {
    /// A directory with a name and domains (the first is the default).
    #[must_use]
    pub fn new(name: impl Into<String>, domains: impl IntoIterator<Item = String>) -> Self {
        let domains: Vec<String> = domains.into_iter().collect();
        Self {
            id: None,
            name: name.into(),
            default_domain: domains.first().cloned(),
            domains,
        }
    }

    fn from_wire(wire: wire::IdpDirectory) -> Self {
        Self {
            id: wire.id,
            name: wire.name,
            domains: wire.domains,
            default_domain: wire.default_domain,
        }
    }

    fn wire(&self) -> wire::IdpDirectory {
        wire::IdpDirectory {
            default_domain: self.default_domain.clone(),
            domains: self.domains.clone(),
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// OpenID Connect settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OidcSettings {
    /// The client id registered at the identity provider.
    pub client_id: String,
    /// Its secret (never serialized; servers may not return it).
    #[serde(skip)]
    pub client_secret: Option<Secret>,
    /// The OpenID discovery endpoint (`.../.well-known/openid-configuration`).
    pub discovery_endpoint: String,
    /// The claim that identifies a user at the identity provider.
    pub open_id_user_identifier_attribute: Option<String>,
    /// The attribute it maps to.
    pub internal_user_identifier_attribute: Option<String>,
}

impl OidcSettings {
    /// OIDC settings with a client and its discovery endpoint.
    #[must_use]
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        discovery_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: Some(client_secret.into()),
            discovery_endpoint: discovery_endpoint.into(),
            open_id_user_identifier_attribute: None,
            internal_user_identifier_attribute: None,
        }
    }
}

/// SAML settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SamlSettings {
    /// `URL` or `XML`.
    pub metadata_source_type: String,
    /// The metadata URL (with `URL`).
    pub metadata_url: Option<String>,
    /// The metadata document (with `XML`).
    pub metadata_xml: Option<String>,
    /// The NameID format.
    pub name_id_format_type: Option<String>,
    /// The authentication context.
    pub authentication_context: Option<String>,
    /// NameID mappings: identity provider attribute, broker attribute.
    pub name_id_mappings: Vec<(String, String)>,
}

impl SamlSettings {
    /// SAML settings read from a metadata URL.
    #[must_use]
    pub fn from_metadata_url(url: impl Into<String>) -> Self {
        Self {
            metadata_source_type: "URL".into(),
            metadata_url: Some(url.into()),
            metadata_xml: None,
            name_id_format_type: None,
            authentication_context: None,
            name_id_mappings: Vec::new(),
        }
    }
}

/// One LDAP server of an LDAP configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LdapServer {
    /// Its host name.
    pub host: String,
    /// Its port.
    pub port: Option<i32>,
    /// `LDAP` or `LDAPS`.
    pub protocol: String,
    /// Its certificate (PEM), for `LDAPS`.
    pub certificate: Option<String>,
}

/// An LDAP configuration of an identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LdapSettings {
    /// Its id (set by the server).
    pub id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its domains.
    pub domains: Vec<String>,
    /// `ActiveDirectory`, `OpenLdap`, ... as the server names it.
    pub directory_type: String,
    /// The base DN searched.
    pub base_dn: String,
    /// The DN bound with.
    pub bind_dn: String,
    /// Its password (never serialized).
    #[serde(skip)]
    pub bind_password: Option<Secret>,
    /// `SECURE` or `UNSECURE`.
    pub communication_mode: Option<String>,
    /// The primary server.
    pub primary: Option<LdapServer>,
    /// The secondary server.
    pub secondary: Option<LdapServer>,
}

impl LdapServer {
    /// A server by host, port and protocol (`LDAP`, `LDAPS`).
    #[must_use]
    pub fn new(host: impl Into<String>, port: Option<i32>, protocol: impl Into<String>) -> Self {
        Self {
            host: host.into(),
            port,
            protocol: protocol.into(),
            certificate: None,
        }
    }
}

impl LdapSettings {
    /// An LDAP configuration: its name, domains, directory type
    /// (`ACTIVE_DIRECTORY_LDAP`, ...), base DN and bind DN; set the bind
    /// password and servers on the result.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        domains: impl IntoIterator<Item = String>,
        directory_type: impl Into<String>,
        base_dn: impl Into<String>,
        bind_dn: impl Into<String>,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            domains: domains.into_iter().collect(),
            directory_type: directory_type.into(),
            base_dn: base_dn.into(),
            bind_dn: bind_dn.into(),
            bind_password: None,
            communication_mode: None,
            primary: None,
            secondary: None,
        }
    }

    fn from_wire(wire: wire::LdapConfiguration) -> Self {
        let bind = wire.ldap_bind_configuration;
        Self {
            id: wire.ldap_configuration_id,
            name: wire.name,
            domains: wire.domains,
            directory_type: bind.type_,
            base_dn: bind.base_dn,
            bind_dn: bind.bind_dn,
            bind_password: bind.bind_dn_password,
            communication_mode: bind.communication_mode,
            primary: bind.primary_domain_controller.map(server_from_wire),
            secondary: bind.secondary_domain_controller.map(server_from_wire),
        }
    }

    fn wire(&self) -> wire::LdapConfiguration {
        wire::LdapConfiguration {
            domains: self.domains.clone(),
            ldap_bind_configuration: wire::LdapBindConfiguration {
                base_dn: self.base_dn.clone(),
                bind_dn: self.bind_dn.clone(),
                bind_dn_password: self.bind_password.clone(),
                communication_mode: self.communication_mode.clone(),
                directory_search_attribute: None,
                dns_lookup_certificate_chain: Vec::new(),
                domain_changed: None,
                open_ldap_configuration: None,
                primary_domain_controller: self.primary.as_ref().map(server_wire),
                secondary_domain_controller: self.secondary.as_ref().map(server_wire),
                type_: self.directory_type.clone(),
            },
            ldap_configuration_id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

fn server_from_wire(wire: wire::DomainController) -> LdapServer {
    LdapServer {
        host: wire.host,
        port: wire.port,
        protocol: wire.protocol,
        certificate: wire.certificate,
    }
}

fn server_wire(server: &LdapServer) -> wire::DomainController {
    wire::DomainController {
        certificate: server.certificate.clone(),
        certificate_name: None,
        host: server.host.clone(),
        port: server.port,
        protocol: server.protocol.clone(),
    }
}

/// A realm's identity provider as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentityProvider {
    /// Its id (`idpConfigId`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The SSO realm it serves.
    pub sso_realm_id: String,
    /// OIDC, SAML or an LDAP bind.
    pub protocol: IdpProtocol,
    /// `OKTA`, `ENTRA_ID`, `PING`, `ADFS`, ... as sent.
    pub idp_type: String,
    /// How users and groups are provisioned.
    pub provision_type: ProvisionType,
    /// Its directories.
    pub directories: Vec<Directory>,
    /// The OIDC settings, for OIDC.
    pub oidc: Option<OidcSettings>,
    /// The SAML settings, for SAML.
    pub saml: Option<SamlSettings>,
    /// The LDAP configurations, for LDAP provisioning.
    pub ldap: Vec<LdapSettings>,
    /// Groups provisioned just in time, by domain.
    pub jit_groups: Vec<(String, Vec<String>)>,
    /// The certificate chain (PEM) trusted for the provider.
    pub certificate_chain: Vec<String>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

impl FromWire<wire::FederatedIdentityProvider> for IdentityProvider {
    fn from_wire(wire: wire::FederatedIdentityProvider) -> Self {
        let config = wire.idp_config.unwrap_or_default();
        let provisioning = wire.provisioning_config.unwrap_or_default();
        Self {
            id: wire.id.unwrap_or_default(),
            name: wire.name,
            sso_realm_id: wire.sso_realm_id,
            protocol: IdpProtocol::parse(&wire.idp_protocol),
            idp_type: wire.idp_type,
            provision_type: ProvisionType::parse(&wire.provision_type),
            directories: wire
                .directories
                .into_iter()
                .map(Directory::from_wire)
                .collect(),
            oidc: config.oidc_configuration.map(|o| OidcSettings {
                client_id: o.client_id,
                client_secret: o.client_secret.filter(|s| !s.expose().is_empty()),
                discovery_endpoint: o.discovery_endpoint,
                open_id_user_identifier_attribute: o.open_id_user_identifier_attribute,
                internal_user_identifier_attribute: o.internal_user_identifier_attribute,
            }),
            saml: config.saml_configuration.map(|s| SamlSettings {
                metadata_source_type: s.metadata_source_type,
                metadata_url: s.metadata_url,
                metadata_xml: s.metadata_xml,
                name_id_format_type: s.name_id_format_type,
                authentication_context: s.authentication_context,
                name_id_mappings: s
                    .name_id_attribute_mappings
                    .into_iter()
                    .map(|m| (m.idp_attribute, m.vidb_attribute))
                    .collect(),
            }),
            ldap: provisioning
                .ldap_configurations
                .into_iter()
                .map(LdapSettings::from_wire)
                .collect(),
            jit_groups: provisioning
                .jit_configuration
                .map(|j| {
                    j.jit_provisioning_groups
                        .into_iter()
                        .map(|g| (g.domain, g.group_names))
                        .collect()
                })
                .unwrap_or_default(),
            certificate_chain: wire.certificate_chain,
            created_at: wire.created_at.and_then(epoch),
            updated_at: wire.updated_at.and_then(epoch),
        }
    }
}

impl IdentityProvider {
    /// A document to update this provider with: everything it holds, its
    /// id included (secrets the server did not return stay unset, so the
    /// server keeps them, assumed).
    #[must_use]
    pub fn to_spec(&self) -> IdentityProviderSpec {
        IdentityProviderSpec {
            id: Some(self.id.clone()),
            name: self.name.clone(),
            sso_realm_id: self.sso_realm_id.clone(),
            protocol: self.protocol.clone(),
            idp_type: self.idp_type.clone(),
            provision_type: self.provision_type.clone(),
            directories: self.directories.clone(),
            oidc: self.oidc.clone(),
            saml: self.saml.clone(),
            ldap: self.ldap.clone(),
            jit_groups: self.jit_groups.clone(),
            certificate_chain: self.certificate_chain.clone(),
        }
    }
}

/// What to configure an identity provider with (`configureIDP`), or what
/// to replace its configuration with (`updateIDPConfiguration`, which
/// needs `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IdentityProviderSpec {
    /// The provider's id: required to update, absent to create.
    pub id: Option<String>,
    /// Its name.
    pub name: String,
    /// The SSO realm it serves.
    pub sso_realm_id: String,
    /// OIDC, SAML or an LDAP bind.
    pub protocol: IdpProtocol,
    /// `OKTA`, `ENTRA_ID`, `PING`, `ADFS`, `OTHER`, ...
    pub idp_type: String,
    /// How users and groups are provisioned.
    pub provision_type: ProvisionType,
    /// Its directories (at most one, the vendor says).
    pub directories: Vec<Directory>,
    /// The OIDC settings, for OIDC.
    pub oidc: Option<OidcSettings>,
    /// The SAML settings, for SAML.
    pub saml: Option<SamlSettings>,
    /// The LDAP configurations, for LDAP provisioning.
    pub ldap: Vec<LdapSettings>,
    /// Groups provisioned just in time, by domain.
    pub jit_groups: Vec<(String, Vec<String>)>,
    /// The certificate chain (PEM) trusted for the provider.
    pub certificate_chain: Vec<String>,
}

impl IdentityProviderSpec {
    /// An OIDC provider for a realm, provisioned over SCIM through one
    /// directory.
    #[must_use]
    pub fn oidc(
        sso_realm_id: impl Into<String>,
        name: impl Into<String>,
        idp_type: impl Into<String>,
        oidc: OidcSettings,
        directory: Directory,
    ) -> Self {
        Self {
            id: None,
            name: name.into(),
            sso_realm_id: sso_realm_id.into(),
            protocol: IdpProtocol::Oidc,
            idp_type: idp_type.into(),
            provision_type: ProvisionType::Scim,
            directories: vec![directory],
            oidc: Some(oidc),
            saml: None,
            ldap: Vec::new(),
            jit_groups: Vec::new(),
            certificate_chain: Vec::new(),
        }
    }

    /// A SAML provider for a realm, provisioned over SCIM through one
    /// directory.
    #[must_use]
    pub fn saml(
        sso_realm_id: impl Into<String>,
        name: impl Into<String>,
        idp_type: impl Into<String>,
        saml: SamlSettings,
        directory: Directory,
    ) -> Self {
        Self {
            protocol: IdpProtocol::Saml,
            oidc: None,
            saml: Some(saml),
            ..Self::oidc(
                sso_realm_id,
                name,
                idp_type,
                OidcSettings::new("", "", ""),
                directory,
            )
        }
    }

    pub(crate) fn wire(&self) -> wire::FederatedIdentityProvider {
        let idp_config = (self.oidc.is_some() || self.saml.is_some()).then(|| wire::IdpConfig {
            oidc_configuration: self.oidc.as_ref().map(|o| wire::OidcConfiguration {
                client_id: o.client_id.clone(),
                client_secret: o.client_secret.clone(),
                discovery_endpoint: o.discovery_endpoint.clone(),
                internal_user_identifier_attribute: o.internal_user_identifier_attribute.clone(),
                open_id_user_identifier_attribute: o.open_id_user_identifier_attribute.clone(),
            }),
            saml_configuration: self.saml.as_ref().map(|s| wire::SamlConfiguration {
                authentication_context: s.authentication_context.clone(),
                metadata_source_type: s.metadata_source_type.clone(),
                metadata_url: s.metadata_url.clone(),
                metadata_xml: s.metadata_xml.clone(),
                name_id_attribute_mappings: s
                    .name_id_mappings
                    .iter()
                    .map(|(idp, vidb)| wire::SamlAttributeMapping {
                        idp_attribute: idp.clone(),
                        vidb_attribute: vidb.clone(),
                    })
                    .collect(),
                name_id_format_type: s.name_id_format_type.clone(),
            }),
        });
        let provisioning_config =
            (!self.ldap.is_empty() || !self.jit_groups.is_empty()).then(|| {
                wire::ProvisioningConfig {
                    jit_configuration: (!self.jit_groups.is_empty()).then(|| {
                        wire::JitConfiguration {
                            jit_provisioning_groups: self
                                .jit_groups
                                .iter()
                                .map(|(domain, groups)| wire::JitProvisioningGroups {
                                    domain: domain.clone(),
                                    group_names: groups.clone(),
                                })
                                .collect(),
                            oidc_jit_configuration: None,
                            saml_jit_configuration: None,
                        }
                    }),
                    ldap_configurations: self.ldap.iter().map(LdapSettings::wire).collect(),
                }
            });
        wire::FederatedIdentityProvider {
            certificate_chain: self.certificate_chain.clone(),
            created_at: None,
            directories: self.directories.iter().map(Directory::wire).collect(),
            id: self.id.clone(),
            idp_config,
            idp_protocol: self.protocol.as_wire().to_owned(),
            idp_type: self.idp_type.clone(),
            name: self.name.clone(),
            provision_type: self.provision_type.as_wire().to_owned(),
            provisioning_config,
            sso_realm_id: self.sso_realm_id.clone(),
            updated_at: None,
        }
    }
}

/// An LDAP directory of an identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LdapDirectory {
    /// Its LDAP configuration's id (what sync calls name).
    pub id: Option<String>,
    /// The broker directory behind it.
    pub vidb_directory_id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its domains.
    pub domains: Vec<String>,
    /// The domain controller's host and port.
    pub host: Option<String>,
    /// Its port.
    pub port: Option<i32>,
    /// The last sync's status, when the server said.
    pub last_sync_status: Option<LdapSyncStatus>,
    /// When the last sync ran.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// `INITIAL` or `COMPLETED`.
    pub setup_status: Option<String>,
    /// How many users it holds.
    pub users: Option<i64>,
    /// How many groups it holds.
    pub groups: Option<i64>,
    /// How many alerts it has.
    pub alerts: Option<i64>,
}

impl FromWire<wire::LdapDirectory> for LdapDirectory {
    fn from_wire(wire: wire::LdapDirectory) -> Self {
        Self {
            id: wire.ldap_configuration_id,
            vidb_directory_id: wire.vidb_directory_id,
            name: wire.name,
            domains: wire.domains,
            host: wire.domain_controller_host,
            port: wire.domain_controller_port,
            last_sync_status: wire.last_sync_status.as_deref().map(LdapSyncStatus::parse),
            last_sync_at: wire.last_sync_date_time.and_then(epoch),
            setup_status: wire.setup_status,
            users: wire.number_of_users,
            groups: wire.number_of_groups,
            alerts: wire.number_of_alerts,
        }
    }
}

/// One sync of an LDAP directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LdapSyncLog {
    /// Its id.
    pub id: Option<String>,
    /// Whether it succeeded.
    pub success: Option<bool>,
    /// What started it, as sent.
    pub sync_type: Option<String>,
    /// Its result, as sent.
    pub result: Option<String>,
    /// The message key of its result.
    pub message_key: Option<String>,
    /// When it ran.
    pub at: Option<DateTime<Utc>>,
    /// Users added, updated, removed.
    pub users: (i64, i64, i64),
    /// Groups added, updated, removed.
    pub groups: (i64, i64, i64),
}

impl FromWire<wire::LdapSyncLog> for LdapSyncLog {
    fn from_wire(wire: wire::LdapSyncLog) -> Self {
        let details = wire.sync_details.unwrap_or_default();
        Self {
            id: wire.id,
            success: wire.success,
            sync_type: wire.sync_type,
            result: wire.sync_result,
            message_key: wire.sync_result_message_key,
            at: wire.time_stamp.and_then(epoch),
            users: (
                details.users_added.unwrap_or(0),
                details.users_updated.unwrap_or(0),
                details.users_removed.unwrap_or(0),
            ),
            groups: (
                details.groups_added.unwrap_or(0),
                details.groups_updated.unwrap_or(0),
                details.groups_removed.unwrap_or(0),
            ),
        }
    }
}
