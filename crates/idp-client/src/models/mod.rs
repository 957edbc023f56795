//! Normalized models of what the servers return.
//!
//! Values that servers spell differently (`ACTIVE` / `active`, `Okta` /
//! `OKTA`, `AZURE` / `MICROSOFT_ENTRA_ID`) are matched without regard to
//! case or separators; values this version does not know are kept as
//! `Other(String)`, never rejected.

mod kinds;
mod provider;
mod tokens;

pub use kinds::{FederatedSource, IdentitySourceKind, ProviderKind, Status};
pub use provider::{
    FederatedDirectory, FederatedIdp, IdentityProvider, IdentitySource, Ldap, Oidc, SourceDetails,
    SyncClientTokenStatus,
};
pub use tokens::{BrokerPrecheck, ScimSettings, ScimToken, SyncClientToken};

pub(crate) use tokens::resolve_expiry;

/// A conversion from a generated (wire) type. Crate-private, unlike
/// `From`, so the generated layer stays out of the public API.
pub(crate) trait FromWire<W> {
    /// The facade's value of a decoded response part.
    fn from_wire(wire: W) -> Self;
}
