#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod auth;
mod broker;
mod config;
mod decode;
mod entra;
mod error;
mod exec;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod models;
mod okta;
mod op;
mod retry;
#[cfg(test)]
mod spec_facts;
mod specs;
mod telemetry;
pub mod terminal;
mod unleash;
mod vcf;

pub use broker::{
    BrokerClient, BrokerClientBuilder, BrokerDirectory, BrokerDirectorySpec,
    BrokerIdentityProvider, BrokerIdentityProviderSummary, BrokerOAuthClient,
    BrokerOAuthClientSpec, BrokerOidcProfile, BrokerOidcProviderSpec, BrokerSyncClient,
    DEFAULT_BROKER_TENANT, DirectorySource, SyncClientCredentialKind,
};
pub use config::{
    ClientConfig, ClientConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT, RootCertificates, is_loopback_url,
};
pub use entra::{
    DEFAULT_ENTRA_GRAPH_URL, DEFAULT_ENTRA_LOGIN_URL, EntraClient, EntraClientBuilder,
};
pub use error::{Error, TransportError, TransportKind, VendorCause, VendorError};
pub use models::{
    BrokerPrecheck, FederatedDirectory, FederatedIdp, FederatedSource, IdentityProvider,
    IdentitySource, IdentitySourceKind, Ldap, Oidc, ProviderKind, ScimSettings, ScimToken,
    SourceDetails, Status, SyncClientToken, SyncClientTokenStatus,
};
pub use okta::{OktaClient, OktaClientBuilder, ProvisioningConnection};
pub use retry::RetryPolicy;
pub use specs::{
    AdfsSpecBuilder, FederatedSpecBuilder, IdentityProviderSpec, IdentitySourceSpec,
    IdentitySourceSpecBuilder,
};
pub use unleash::{UnleashClient, UnleashClientBuilder};
pub use vcf::{VcfClient, VcfClientBuilder};

/// The workspace's one secret type: redacted in `Debug` and `Display`,
/// serialized as the plain string, read with [`Secret::expose`].
pub use idp_api::Secret;
pub use idp_api::ensure_crypto_provider;

/// The generated (progenitor) layer, for anything the facade does not
/// cover. Unstable: it changes with the specs; only with the `raw` feature.
#[cfg(feature = "raw")]
pub use idp_api as raw;

/// The default margin before an access token's expiry at which it is
/// refreshed.
pub use vcf::DEFAULT_TOKEN_REFRESH_SKEW;

/// The `User-Agent` of every request: `idp-client/<version>`.
pub const USER_AGENT: &str = config::USER_AGENT;
