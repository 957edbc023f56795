//! The VCF Identity Broker client: directories, their sync clients,
//! identity providers and OAuth 2.0 clients, with an admin token from an
//! OAuth 2.0 client, from vCenter, or given.

mod client;
mod models;
pub(crate) mod ops;

pub use client::{BrokerClient, BrokerClientBuilder, DEFAULT_BROKER_TENANT};
pub use models::{
    BrokerDirectory, BrokerDirectorySpec, BrokerIdentityProvider, BrokerIdentityProviderSummary,
    BrokerOAuthClient, BrokerOAuthClientSpec, BrokerOidcProfile, BrokerOidcProviderSpec,
    BrokerSyncClient, DirectorySource, SyncClientCredentialKind,
};
