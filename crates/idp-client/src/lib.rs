#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

// Shared machinery, in the order it depends on itself: errors, the
// runtime every request runs through, the transport settings, credentials.
mod auth;
mod config;
mod error;
mod runtime;
pub mod terminal;

// One module per API, each the same shape: `Client`, `ClientBuilder`, its
// models, its operation hints.
pub mod broker;
pub mod entra;
pub mod okta;
pub mod scim;
pub mod unleash;
pub mod vcenter;
pub mod vcf;
pub mod vcf_ops;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(test)]
mod spec_facts;

pub use auth::DEFAULT_TOKEN_REFRESH_SKEW;
pub use config::{
    ClientConfig, ClientConfigBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_REQUEST_TIMEOUT, RootCertificates, is_loopback_url,
};
pub use error::{
    Error, TransportError, TransportKind, VendorCause, VendorError, VendorNotification,
};
pub use runtime::retry::RetryPolicy;

// The crate-root names of the per-API items (`VcfClient` is
// `vcf::Client`), kept so that code written before the modules compiles.
#[doc(no_inline)]
pub use broker::{
    BrokerDirectory, BrokerDirectorySpec, BrokerIdentityProvider, BrokerIdentityProviderSummary,
    BrokerOAuthClient, BrokerOAuthClientSpec, BrokerOidcProfile, BrokerOidcProviderSpec,
    BrokerSyncClient, Client as BrokerClient, ClientBuilder as BrokerClientBuilder,
    DEFAULT_BROKER_TENANT, DirectorySource, SyncClientCredentialKind,
};
#[doc(no_inline)]
pub use entra::{
    Client as EntraClient, ClientBuilder as EntraClientBuilder, DEFAULT_ENTRA_GRAPH_URL,
    DEFAULT_ENTRA_LOGIN_URL,
};
#[doc(no_inline)]
pub use okta::{Client as OktaClient, ClientBuilder as OktaClientBuilder, ProvisioningConnection};
#[doc(no_inline)]
pub use scim::{
    Client as ScimClient, ClientBuilder as ScimClientBuilder, DiscoveryAnswer, ScimProbe,
    ScimVerdict,
};
#[doc(no_inline)]
pub use unleash::{
    Client as UnleashClient, ClientBuilder as UnleashClientBuilder, ScimSettings, ScimToken,
};
#[doc(no_inline)]
pub use vcf::{
    AdfsSpecBuilder, BrokerPrecheck, Client as VcfClient, ClientBuilder as VcfClientBuilder,
    FederatedDirectory, FederatedIdp, FederatedSource, FederatedSpecBuilder, IdentityProvider,
    IdentityProviderSpec, IdentitySource, IdentitySourceKind, IdentitySourceSpec,
    IdentitySourceSpecBuilder, Ldap, Oidc, PrecheckDetail, ProviderKind, SourceDetails, Status,
    SyncClientToken, SyncClientTokenStatus,
};
#[doc(no_inline)]
pub use vcf_ops::{Client as VcfOpsClient, ClientBuilder as VcfOpsClientBuilder};

/// The workspace's one secret type: redacted in `Debug` and `Display`,
/// serialized as the plain string, read with [`Secret::expose`].
pub use idp_api::Secret;
pub use idp_api::ensure_crypto_provider;

/// The generated (progenitor) layer, for anything the facade does not
/// cover. Unstable: it changes with the specs; only with the `raw` feature.
#[cfg(feature = "raw")]
pub use idp_api as raw;

/// The `User-Agent` of every request: `idp-client/<version>`.
pub const USER_AGENT: &str = config::USER_AGENT;
