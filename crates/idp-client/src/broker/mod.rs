//! The VCF Identity Broker: [`Client`] manages directories, their sync
//! clients, identity providers and OAuth 2.0 clients, with an admin token
//! from an OAuth 2.0 client, from vCenter ([`crate::vcenter`]), or given.

mod auth;
mod builder;
mod client;
mod models;
pub(crate) mod ops;

pub use builder::{ClientBuilder, DEFAULT_BROKER_TENANT};
pub use client::Client;
pub use models::{
    BrokerDirectory, BrokerDirectorySpec, BrokerIdentityProvider, BrokerIdentityProviderSummary,
    BrokerOAuthClient, BrokerOAuthClientSpec, BrokerOidcProfile, BrokerOidcProviderSpec,
    BrokerSyncClient, DirectorySource, SyncClientCredentialKind,
};
