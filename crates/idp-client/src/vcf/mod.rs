//! SDDC Manager (VMware Cloud Foundation) identity providers: [`Client`]
//! lists, reads, adds, updates and deletes identity providers and
//! identity sources, and generates the SCIM sync client token; the spec
//! builders ([`AdfsSpecBuilder`], [`FederatedSpecBuilder`],
//! [`IdentitySourceSpecBuilder`]) make the request documents it takes.

mod auth;
mod builder;
pub(crate) mod client;
mod models;
mod new_id;
pub(crate) mod ops;
mod specs;

pub use builder::ClientBuilder;
pub use client::Client;
pub use models::{
    BrokerPrecheck, FederatedDirectory, FederatedIdp, FederatedSource, IdentityProvider,
    IdentitySource, IdentitySourceKind, Ldap, Oidc, PrecheckDetail, ProviderKind, SourceDetails,
    Status, SyncClientToken, SyncClientTokenStatus,
};
pub use specs::{
    AdfsSpecBuilder, FederatedSpecBuilder, IdentityProviderSpec, IdentitySourceSpec,
    IdentitySourceSpecBuilder,
};

#[cfg(feature = "fuzzing")]
pub(crate) use auth::{access_token_from_body, tokens_from_pair};
