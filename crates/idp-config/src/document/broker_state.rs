//! The VCF Identity Brokers of a document and their desired state:
//! directories and OIDC identity providers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::reference::SecretRef;

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
