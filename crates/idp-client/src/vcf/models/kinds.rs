//! Open enumerations: known values normalized, unknown ones kept.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Whether two spellings are the same value once lower-cased and stripped
/// of `_`, `-`, spaces and dots: `MICROSOFT_ENTRA_ID`, `Microsoft Entra ID`
/// and `microsoft-entra-id` all match.
///
/// Every provider and identity source of a response goes through here, so
/// it allocates nothing and compares ASCII byte by byte (building a
/// lower-cased `String` per spelling was ~10% of the client's CPU time
/// per list request; see BENCHMARKS.md).
fn same_key(raw: &str, canonical: &str) -> bool {
    const fn kept(b: u8) -> bool {
        !matches!(b, b'_' | b'-' | b' ' | b'.')
    }
    if raw.is_ascii() && canonical.is_ascii() {
        let mut a = raw.bytes().filter(|b| kept(*b));
        let mut b = canonical.bytes().filter(|b| kept(*b));
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y) => {}
                _ => return false,
            }
        }
    }
    let folded = |s: &'_ str| {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    folded(raw) == folded(canonical)
}

macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $canonical:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version does not know, as served.
            Other(String),
        }

        impl $name {
            /// Normalizes a served value (case and separators do not matter).
            #[must_use]
            pub fn parse(raw: &str) -> Self {
                $(
                    if same_key(raw, $canonical) $(|| same_key(raw, $alias))* {
                        return Self::$variant;
                    }
                )+
                Self::Other(raw.trim().to_owned())
            }

            /// The canonical spelling (an unknown value as served).
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $canonical,)+
                    Self::Other(raw) => raw,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Infallible;

            fn from_str(s: &str) -> Result<Self, Infallible> {
                Ok(Self::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|s| Self::parse(&s))
            }
        }
    };
}

open_enum! {
    /// Whether an identity provider is the one used for login. Documented
    /// `ACTIVE` / `INACTIVE`, served `active` / `inactive`; serialized in
    /// lower case.
    pub enum Status {
        /// The provider in use.
        Active => "active",
        /// Configured but not in use.
        Inactive => "inactive",
    }
}

open_enum! {
    /// The kind of an identity provider, from its `type`.
    pub enum ProviderKind {
        /// The embedded provider (vCenter Single Sign-On), served `Embedded`.
        Embedded => "Embedded",
        /// Microsoft ADFS, served `Microsoft ADFS`.
        MicrosoftAdfs => "Microsoft ADFS" | "ADFS",
        /// A federated identity broker (Okta, Entra ID, Ping), served
        /// `FEDERATED_IDP_BROKER`.
        FederatedBroker => "FEDERATED_IDP_BROKER" | "FEDERATED_BROKER" | "FEDERATED",
    }
}

open_enum! {
    /// Which identity provider a federated broker federates with.
    pub enum FederatedSource {
        /// Okta (served `Okta` or `OKTA`).
        Okta => "OKTA",
        /// Microsoft Entra ID (`MICROSOFT_ENTRA_ID`; VCF 5.1 said `AZURE`).
        EntraId => "MICROSOFT_ENTRA_ID" | "AZURE" | "AZURE_AD" | "ENTRA_ID" | "ENTRA",
        /// Ping Federate (`PING_FEDERATE`).
        PingFederate => "PING_FEDERATE" | "PING" | "PINGFEDERATE",
    }
}

open_enum! {
    /// The kind of an identity source of the embedded provider.
    pub enum IdentitySourceKind {
        /// The vCenter system domain (`vsphere.local`).
        SystemDomain => "SystemDomain",
        /// The local operating system's users.
        LocalOs => "LocalOs",
        /// Active Directory over LDAP.
        ActiveDirectory => "ActiveDirectory",
        /// OpenLDAP.
        OpenLdap => "OpenLdap",
    }
}

open_enum! {
    /// The kind of a user of SDDC Manager.
    pub enum UserKind {
        /// A user of an SSO domain.
        User => "USER",
        /// A group of an SSO domain.
        Group => "GROUP",
        /// A service user (it logs in with an API key).
        Service => "SERVICE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_and_separators() {
        assert_eq!(Status::parse("ACTIVE"), Status::Active);
        assert_eq!(Status::parse("Inactive"), Status::Inactive);
        assert_eq!(Status::parse("pending"), Status::Other("pending".into()));
        assert_eq!(
            ProviderKind::parse("microsoft adfs"),
            ProviderKind::MicrosoftAdfs
        );
        assert_eq!(
            ProviderKind::parse("federated_idp_broker"),
            ProviderKind::FederatedBroker
        );
        assert_eq!(FederatedSource::parse("Okta"), FederatedSource::Okta);
        assert_eq!(FederatedSource::parse("AZURE"), FederatedSource::EntraId);
        assert_eq!(
            FederatedSource::parse("microsoft_entra_id"),
            FederatedSource::EntraId
        );
        assert_eq!(
            FederatedSource::parse("PING_FEDERATE"),
            FederatedSource::PingFederate
        );
        assert_eq!(FederatedSource::parse("Keycloak").as_str(), "Keycloak");
        assert_eq!(
            FederatedSource::parse(" Microsoft.Entra-ID "),
            FederatedSource::EntraId
        );
        assert_eq!(
            FederatedSource::parse("OKT"),
            FederatedSource::Other("OKT".into())
        );
        assert_eq!(
            FederatedSource::parse("OKTAA"),
            FederatedSource::Other("OKTAA".into())
        );
        assert_eq!(Status::parse(""), Status::Other(String::new()));
        // Outside ASCII, Unicode lower-casing applies.
        assert_eq!(Status::parse("ACTİVE"), Status::Other("ACTİVE".into()));
        assert_eq!(
            IdentitySourceKind::parse("ΑctiveDirectory"),
            IdentitySourceKind::Other("ΑctiveDirectory".into())
        );
        assert_eq!(
            serde_json::to_string(&Status::Active).unwrap(),
            "\"active\""
        );
        assert_eq!(
            serde_json::to_string(&Status::Other("X".into())).unwrap(),
            "\"X\""
        );
    }
}
