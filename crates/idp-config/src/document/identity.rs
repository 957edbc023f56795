//! The desired identity configuration of an SDDC Manager: its external
//! identity provider, the Embedded provider's identity sources, and who may
//! use it (`access`).

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::reference::{PemRef, SecretRef};

/// The desired identity configuration of a target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Identity {
    /// The external identity provider, `none` for none (Embedded only), or
    /// absent to leave it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<External>,
    /// Identity sources of the Embedded provider. Only the sources named
    /// here are managed (matched by `domainName`); absent: sources are left
    /// as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedded_sources: Option<Vec<EmbeddedSource>>,
    /// Also remove the Embedded provider's sources this document does not
    /// name (never the built-in `vsphere.local` and local OS sources).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune_embedded_sources: bool,
    /// Who may use SDDC Manager: roles granted to groups and users of SSO
    /// domains and to service users. Only the grants named here are
    /// managed; absent: grants are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Vec<super::AccessGrant>>,
    /// Also remove the grants this document does not name (never
    /// `administrator@vsphere.local`, never the user the target logs in as).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune_access: bool,
}

impl Identity {
    /// A desired identity with this external provider setting.
    #[must_use]
    pub fn with_external(external: External) -> Self {
        Self {
            external: Some(external),
            ..Self::default()
        }
    }

    /// Sets the managed embedded sources.
    #[must_use]
    pub fn embedded_sources(mut self, sources: Vec<EmbeddedSource>) -> Self {
        self.embedded_sources = Some(sources);
        self
    }

    /// Sets the managed grants.
    #[must_use]
    pub fn access(mut self, grants: Vec<super::AccessGrant>) -> Self {
        self.access = Some(grants);
        self
    }

    /// Sets whether grants the document does not name are removed.
    #[must_use]
    pub fn prune_access(mut self, prune: bool) -> Self {
        self.prune_access = prune;
        self
    }

    /// Sets whether unnamed embedded sources are removed.
    #[must_use]
    pub fn prune_embedded_sources(mut self, prune: bool) -> Self {
        self.prune_embedded_sources = prune;
        self
    }
}

/// The external identity provider: one, or `none`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum External {
    /// `none`: no external provider (the Embedded one is used).
    None,
    /// This provider.
    Provider(Box<ExternalProvider>),
}

impl Serialize for External {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::None => serializer.serialize_str("none"),
            Self::Provider(p) => p.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for External {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExternalVisitor;
        impl<'de> Visitor<'de> for ExternalVisitor {
            type Value = External;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`none` or an external provider")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<External, E> {
                if v == "none" {
                    Ok(External::None)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<External, A::Error> {
                ExternalProvider::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|p| External::Provider(Box::new(p)))
            }
        }
        deserializer.deserialize_any(ExternalVisitor)
    }
}

impl JsonSchema for External {
    fn schema_name() -> Cow<'static, str> {
        "External".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let provider = generator.subschema_for::<ExternalProvider>();
        json_schema!({
            "description": "The external identity provider, or `none` for none.",
            "oneOf": [{ "const": "none" }, provider]
        })
    }
}

/// The kind of an external identity provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ExternalType {
    /// Okta (federated broker).
    Okta,
    /// Microsoft Entra ID (federated broker).
    EntraId,
    /// Ping Federate (federated broker).
    PingFederate,
    /// Microsoft ADFS.
    Adfs,
}

impl ExternalType {
    /// The document's spelling (`okta`, `entra-id`, ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Okta => "okta",
            Self::EntraId => "entra-id",
            Self::PingFederate => "ping-federate",
            Self::Adfs => "adfs",
        }
    }
}

/// An external identity provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct ExternalProvider {
    /// Which provider.
    #[serde(rename = "type")]
    pub kind: ExternalType,
    /// The provider's name (the federation's name for a broker).
    pub name: String,
    /// The directory users and groups are provisioned into (brokers;
    /// required for them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory: Option<Directory>,
    /// The OIDC client registration.
    pub oidc: OidcClient,
    /// The sync client token lifetime (`3600`, `12h`, `30d`; sent to VCF
    /// 5.1, which takes it in the provider spec; brokers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_client_token_ttl: Option<String>,
    /// The LDAP directory (ADFS; required for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ldap: Option<LdapDirectory>,
    /// The ADFS server's certificate chain (ADFS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_chain: Option<PemRef>,
}

impl ExternalProvider {
    /// A federated broker of `kind` named `name`.
    #[must_use]
    pub fn broker(
        kind: ExternalType,
        name: impl Into<String>,
        directory: Directory,
        oidc: OidcClient,
    ) -> Self {
        Self {
            kind,
            name: name.into(),
            directory: Some(directory),
            oidc,
            sync_client_token_ttl: None,
            ldap: None,
            cert_chain: None,
        }
    }
}

/// The directory of a federated broker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Directory {
    /// The directory's name.
    pub name: String,
    /// The domain used when a user name has none.
    pub default_domain: String,
    /// The directory's domains (the default domain is always one).
    #[serde(default)]
    pub domains: Vec<String>,
}

impl Directory {
    /// A directory named `name` with `default_domain` and more `domains`.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        default_domain: impl Into<String>,
        domains: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            default_domain: default_domain.into(),
            domains,
        }
    }
}

/// An OIDC client registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct OidcClient {
    /// The client id.
    pub client_id: String,
    /// The client secret: `env:NAME` or `file:PATH`.
    pub client_secret: SecretRef,
    /// The OpenID configuration URL (`https://`).
    pub discovery_endpoint: String,
}

impl OidcClient {
    /// A client registration.
    #[must_use]
    pub fn new(
        client_id: impl Into<String>,
        client_secret: SecretRef,
        discovery_endpoint: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret,
            discovery_endpoint: discovery_endpoint.into(),
        }
    }
}

/// The LDAP directory of an ADFS provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct LdapDirectory {
    /// The domain name.
    pub domain_name: String,
    /// The domain alias (NetBIOS name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_alias: Option<String>,
    /// The bind user.
    pub username: String,
    /// The bind password: `env:NAME` or `file:PATH`.
    pub password: SecretRef,
    /// The base DN of users.
    pub users_base_dn: String,
    /// The base DN of groups.
    pub groups_base_dn: String,
    /// LDAP servers (`ldap://` or `ldaps://`).
    pub server_endpoints: Vec<String>,
    /// The LDAP servers' certificate chain (required with `ldaps://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_chain: Option<PemRef>,
}

/// The kind of an embedded identity source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SourceType {
    /// Active Directory over LDAP.
    ActiveDirectory,
    /// OpenLDAP.
    OpenLdap,
}

/// An identity source of the Embedded provider, identified by its
/// `domainName`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct EmbeddedSource {
    /// The source's name.
    pub name: String,
    /// Which directory.
    #[serde(rename = "type")]
    pub kind: SourceType,
    /// The domain name (the source's identity).
    pub domain_name: String,
    /// The domain alias (NetBIOS name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_alias: Option<String>,
    /// The bind user.
    pub username: String,
    /// The bind password: `env:NAME` or `file:PATH`.
    pub password: SecretRef,
    /// The base DN of users.
    pub users_base_dn: String,
    /// The base DN of groups.
    pub groups_base_dn: String,
    /// LDAP servers (`ldap://` or `ldaps://`).
    pub server_endpoints: Vec<String>,
    /// The LDAP servers' certificate chain (required with `ldaps://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_chain: Option<PemRef>,
}

impl EmbeddedSource {
    /// A source of `kind` for `domain_name`, bound as `username`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: SourceType,
        name: impl Into<String>,
        domain_name: impl Into<String>,
        username: impl Into<String>,
        password: SecretRef,
        users_base_dn: impl Into<String>,
        groups_base_dn: impl Into<String>,
        server_endpoints: Vec<String>,
    ) -> Self {
        Self {
            name: name.into(),
            kind,
            domain_name: domain_name.into(),
            domain_alias: None,
            username: username.into(),
            password,
            users_base_dn: users_base_dn.into(),
            groups_base_dn: groups_base_dn.into(),
            server_endpoints,
            cert_chain: None,
        }
    }

    /// Sets the domain alias.
    #[must_use]
    pub fn domain_alias(mut self, alias: impl Into<String>) -> Self {
        self.domain_alias = Some(alias.into());
        self
    }

    /// Sets the certificate chain.
    #[must_use]
    pub fn cert_chain(mut self, pem: PemRef) -> Self {
        self.cert_chain = Some(pem);
        self
    }
}
