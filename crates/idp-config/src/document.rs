//! The document: targets and the desired identity configuration.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::reference::{PemRef, SecretRef};

/// A declarative identity configuration: the targets and what they should
/// look like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Document {
    /// The SDDC Managers this document configures.
    #[serde(default)]
    pub targets: Vec<Target>,
    /// The desired identity configuration of every target that does not
    /// override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The VCF Identity Brokers this document configures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<BrokerTarget>,
    /// The desired state of every broker that does not override it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker: Option<BrokerState>,
}

impl Document {
    /// A document for `targets`, all with `identity`.
    #[must_use]
    pub fn new(targets: Vec<Target>, identity: Option<Identity>) -> Self {
        Self {
            targets,
            identity,
            brokers: Vec::new(),
            broker: None,
        }
    }

    /// Adds broker targets, all with `state` unless they carry their own.
    #[must_use]
    pub fn with_brokers(mut self, brokers: Vec<BrokerTarget>, state: Option<BrokerState>) -> Self {
        self.brokers = brokers;
        self.broker = state;
        self
    }

    /// The desired state of `broker`: its own, or the document's.
    #[must_use]
    pub fn broker_state_of<'a>(&'a self, broker: &'a BrokerTarget) -> Option<&'a BrokerState> {
        broker.broker.as_ref().or(self.broker.as_ref())
    }

    /// The desired identity of `target`: its own, or the document's.
    #[must_use]
    pub fn identity_of<'a>(&'a self, target: &'a Target) -> Option<&'a Identity> {
        target.identity.as_ref().or(self.identity.as_ref())
    }
}

/// One SDDC Manager: an address with credentials, or a named context of the
/// caller's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Target {
    /// The target's name in plans and reports; for a `context` target the
    /// context's name is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The SDDC Manager's base URL (`https://sddc.example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The user to log in as (with `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The password: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<SecretRef>,
    /// A bearer token instead of a user: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretRef>,
    /// The CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PemRef>,
    /// A named context of the caller's configuration instead of
    /// `url` and credentials (resolved by a [`crate::ContextResolver`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// This target's desired identity, instead of the document's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
}

impl Target {
    /// A target at `url` that logs in as `username` with `password`.
    #[must_use]
    pub fn with_credentials(
        name: impl Into<String>,
        url: impl Into<String>,
        username: impl Into<String>,
        password: SecretRef,
    ) -> Self {
        Self {
            name: Some(name.into()),
            url: Some(url.into()),
            username: Some(username.into()),
            password: Some(password),
            ..Self::default()
        }
    }

    /// The target's name: `name`, else the context, else the URL.
    #[must_use]
    pub fn display_name(&self) -> &str {
        display_name(
            self.name.as_deref(),
            self.context.as_deref(),
            self.url.as_deref(),
        )
    }

    /// Sets this target's own desired identity.
    #[must_use]
    pub fn identity(mut self, identity: Identity) -> Self {
        self.identity = Some(identity);
        self
    }
}

/// `name`, else `context`, else `url`.
fn display_name<'a>(
    name: Option<&'a str>,
    context: Option<&'a str>,
    url: Option<&'a str>,
) -> &'a str {
    name.or(context).or(url).unwrap_or("")
}

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

/// One VCF Identity Broker (the vCenter that runs it): an address with
/// credentials, or a named context of the caller's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct BrokerTarget {
    /// The broker's name in plans and reports; for a `context` broker the
    /// context's name is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The broker's base URL (the vCenter: `https://vcenter.example.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The broker tenant (default `CUSTOMER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// A vCenter user with `VcIdentityProviders.Manage` (with
    /// `vcenterPassword`): the client reads the tenant admin token from
    /// vCenter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcenter_username: Option<String>,
    /// The vCenter user's password: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcenter_password: Option<SecretRef>,
    /// An OAuth 2.0 client of the broker (with `clientSecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The OAuth 2.0 client's secret: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<SecretRef>,
    /// A broker admin token instead: `env:NAME` or `file:PATH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<SecretRef>,
    /// The CA certificate(s) to trust (PEM): `file:PATH` or the PEM text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PemRef>,
    /// A named context of the caller's configuration instead of `url`,
    /// `tenant` and credentials (resolved by a [`crate::ContextResolver`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// This broker's desired state, instead of the document's `broker`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broker: Option<BrokerState>,
}

impl BrokerTarget {
    /// A broker at `url` reached with the OAuth 2.0 client `client_id`.
    #[must_use]
    pub fn with_oauth_client(
        name: impl Into<String>,
        url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretRef,
    ) -> Self {
        Self {
            name: Some(name.into()),
            url: Some(url.into()),
            client_id: Some(client_id.into()),
            client_secret: Some(client_secret),
            ..Self::default()
        }
    }

    /// A broker from the caller's context `name`.
    #[must_use]
    pub fn with_context(name: impl Into<String>) -> Self {
        Self {
            context: Some(name.into()),
            ..Self::default()
        }
    }

    /// Sets the tenant.
    #[must_use]
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// Sets this broker's own desired state.
    #[must_use]
    pub fn state(mut self, state: BrokerState) -> Self {
        self.broker = Some(state);
        self
    }

    /// The broker's name: `name`, else the context, else the URL.
    #[must_use]
    pub fn display_name(&self) -> &str {
        display_name(
            self.name.as_deref(),
            self.context.as_deref(),
            self.url.as_deref(),
        )
    }
}

/// The desired state of a broker: directories and OIDC identity providers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct BrokerState {
    /// Directories, matched by `name`. Only the directories named here are
    /// managed; absent: directories are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directories: Option<Vec<BrokerDirectoryConfig>>,
    /// OIDC identity providers, matched by `name`. Only the providers named
    /// here are managed; absent: providers are left as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_providers: Option<Vec<BrokerIdpConfig>>,
    /// Also delete the directories this document does not name (with
    /// their users, groups and sync client).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune_directories: bool,
    /// Also delete the identity providers this document does not name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub prune_identity_providers: bool,
}

impl BrokerState {
    /// A state managing these directories and identity providers.
    #[must_use]
    pub fn new(
        directories: Vec<BrokerDirectoryConfig>,
        identity_providers: Vec<BrokerIdpConfig>,
    ) -> Self {
        Self {
            directories: Some(directories),
            identity_providers: Some(identity_providers),
            ..Self::default()
        }
    }

    /// Sets whether unnamed directories are deleted.
    #[must_use]
    pub fn prune_directories(mut self, prune: bool) -> Self {
        self.prune_directories = prune;
        self
    }

    /// Sets whether unnamed identity providers are deleted.
    #[must_use]
    pub fn prune_identity_providers(mut self, prune: bool) -> Self {
        self.prune_identity_providers = prune;
        self
    }
}

/// A directory of a broker, identified by its `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct BrokerDirectoryConfig {
    /// The directory's unique name (its identity).
    pub name: String,
    /// Its domains (at least one).
    pub domains: Vec<String>,
    /// The domain used when a user name has none; one of `domains`.
    /// Absent: left to the broker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_domain: Option<String>,
    /// Where users and groups come from: `AZURE`, `PING`, `OKTA`,
    /// `ACCESS`, `GENERIC` (open: other values are sent as written).
    /// Absent: left to the broker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `PROVISIONED` or `JIT`. Absent: left to the broker
    /// (`PROVISIONED`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl BrokerDirectoryConfig {
    /// A directory named `name` with `domains`.
    #[must_use]
    pub fn new(name: impl Into<String>, domains: Vec<String>) -> Self {
        Self {
            name: name.into(),
            domains,
            default_domain: None,
            source: None,
            kind: None,
        }
    }

    /// Sets the default domain.
    #[must_use]
    pub fn default_domain(mut self, domain: impl Into<String>) -> Self {
        self.default_domain = Some(domain.into());
        self
    }

    /// Sets the source (`OKTA`, `AZURE`, ...).
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets the type (`PROVISIONED` or `JIT`).
    #[must_use]
    pub fn kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = Some(kind.into());
        self
    }
}

/// An OIDC identity provider of a broker, identified by its `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct BrokerIdpConfig {
    /// The provider's unique name (its identity).
    pub name: String,
    /// The directories it serves, by name (directories of this document
    /// or already on the broker).
    pub directories: Vec<String>,
    /// The OpenID configuration URL (`https://`).
    pub configuration_url: String,
    /// The client id at the identity provider.
    pub client_id: String,
    /// The client secret at the identity provider: `env:NAME` or
    /// `file:PATH`. Sent on create, and on update only with
    /// `update_secrets`.
    pub client_secret: SecretRef,
}

impl BrokerIdpConfig {
    /// An OIDC provider serving `directories`.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        directories: Vec<String>,
        configuration_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretRef,
    ) -> Self {
        Self {
            name: name.into(),
            directories,
            configuration_url: configuration_url.into(),
            client_id: client_id.into(),
            client_secret,
        }
    }
}
