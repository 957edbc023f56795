//! SDDC Manager (VMware Cloud Foundation) identity providers: [`Client`]
//! lists, reads, adds, updates and deletes identity providers and
//! identity sources, generates the SCIM sync client token, and grants
//! roles to users, groups and service users; the spec
//! builders ([`AdfsSpecBuilder`], [`FederatedSpecBuilder`],
//! [`IdentitySourceSpecBuilder`]) make the request documents it takes.

mod access;
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
    BrokerPrecheck, FederatedDirectory, FederatedIdp, FederatedSource, Grant, IdentityProvider,
    IdentitySource, IdentitySourceKind, Ldap, Oidc, PrecheckDetail, Principal, ProviderKind, Role,
    ServiceUser, SourceDetails, Status, SyncClientToken, SyncClientTokenStatus, User, UserKind,
};
pub use specs::{
    AdfsSpecBuilder, FederatedSpecBuilder, IdentityProviderSpec, IdentitySourceSpec,
    IdentitySourceSpecBuilder,
};

#[cfg(feature = "fuzzing")]
pub(crate) use auth::{access_token_from_body, tokens_from_pair};
