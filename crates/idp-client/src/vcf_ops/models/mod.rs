//! VCF Operations' fleet identity resources as owned, normalized values,
//! and the request documents the client takes.
//!
//! They serialize with camelCase names and never with a secret: a client
//! secret, token or bind password is left out of the JSON; read it with
//! [`Secret::expose`](idp_api::Secret::expose). Values servers vary
//! (statuses, types) are open enumerations that keep an unknown value.

mod idp;
mod principals;
mod realm;
mod task;
mod tokens;

pub use idp::{
    Directory, IdentityProvider, IdentityProviderSpec, IdpProtocol, LdapDirectory, LdapServer,
    LdapSettings, LdapSyncLog, LdapSyncStatus, OidcSettings, ProvisionType, SamlSettings,
};
pub use principals::{
    Group, PrincipalFilter, PrincipalQuery, Role, RoleAssignment, RoleScope, ScopeResource,
    ScopeType, SearchTerm, User,
};
pub use realm::{RealmCoverage, RealmIssue, SsoRealm};
pub use task::{Task, TaskError, TaskStatus};
pub use tokens::{
    ApiToken, ApiTokenQuery, ApiTokenSpec, ApiTokenStatus, OAuthApp, OAuthAppSpec, SyncClient,
};

use chrono::{DateTime, Utc};

/// An instant the server sends as an `int64`: epoch milliseconds, or (as
/// some of the vendor's examples show) epoch seconds, told apart by size.
/// A value before 2001 in either reading is no instant (the vendor's
/// examples put a TTL, `180`, where an expiry belongs) and reads as `None`.
pub(crate) fn epoch(value: i64) -> Option<DateTime<Utc>> {
    if value < 1_000_000_000 {
        return None;
    }
    if value < 100_000_000_000 {
        // Below 1973-03-03 in milliseconds: seconds.
        DateTime::from_timestamp(value, 0)
    } else {
        DateTime::from_timestamp_millis(value)
    }
}

/// Epoch milliseconds of an instant.
pub(crate) fn epoch_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// Declares an open enumeration over a wire string: known values by
/// variant, anything else kept as sent.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A value this version does not know, as sent.
            Other(String),
        }

        impl $name {
            /// Reads a wire value, without regard to case.
            #[must_use]
            pub fn parse(value: &str) -> Self {
                let upper = value.trim().to_ascii_uppercase();
                $(if upper == $wire { return Self::$variant; })+
                Self::Other(value.trim().to_owned())
            }

            /// The wire value.
            #[must_use]
            pub fn as_wire(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        /// As the wire value.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_wire())
            }
        }
    };
}
pub(crate) use open_enum;
