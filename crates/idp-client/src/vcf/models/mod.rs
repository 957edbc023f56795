//! SDDC Manager's identity providers, identity sources and tokens as
//! normalized values.
//!
//! Values that servers spell differently (`ACTIVE` / `active`, `Okta` /
//! `OKTA`, `AZURE` / `MICROSOFT_ENTRA_ID`) are matched without regard to
//! case or separators; values this version does not know are kept as
//! `Other(String)`, never rejected.

mod access;
mod kinds;
mod provider;
mod tokens;

pub use access::{Grant, Principal, Role, ServiceUser, User};
pub use kinds::{FederatedSource, IdentitySourceKind, ProviderKind, Status, UserKind};
pub use provider::{
    FederatedDirectory, FederatedIdp, IdentityProvider, IdentitySource, Ldap, Oidc, SourceDetails,
    SyncClientTokenStatus,
};
pub use tokens::{BrokerPrecheck, PrecheckDetail, SyncClientToken};

pub(crate) use tokens::resolve_expiry;
