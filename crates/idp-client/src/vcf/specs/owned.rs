//! The request documents the client methods take. They are this crate's
//! own types, so a change of the generated layer does not change the
//! public API: build them with the typed builders, or read them from the
//! JSON the API documents (`serde`), and the client converts them to the
//! generated types when it sends them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Generates one owned request document around a generated type.
macro_rules! owned_spec {
    ($(#[$doc:meta])* $name:ident wraps $generated:ty) => {
        $(#[$doc])*
        ///
        /// Its JSON (`serde`) and JSON Schema (`schemars`) are the API's
        /// request body. `Debug` never shows a secret.
        #[derive(Clone, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        #[non_exhaustive]
        pub struct $name(pub(crate) $generated);

        impl $name {
            /// The generated body this document is sent as.
            pub(crate) fn wire(&self) -> &$generated {
                &self.0
            }

            /// The generated body (the `raw` feature: not a stable API).
            #[cfg(feature = "raw")]
            #[must_use]
            pub fn as_raw(&self) -> &$generated {
                &self.0
            }
        }

        /// From the generated body (the `raw` feature: not a stable API).
        #[cfg(feature = "raw")]
        impl From<$generated> for $name {
            fn from(raw: $generated) -> Self {
                Self(raw)
            }
        }

        /// The schema of the API's request body, unchanged.
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                <$generated as schemars::JsonSchema>::schema_name()
            }

            fn schema_id() -> std::borrow::Cow<'static, str> {
                <$generated as schemars::JsonSchema>::schema_id()
            }

            fn inline_schema() -> bool {
                <$generated as schemars::JsonSchema>::inline_schema()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <$generated as schemars::JsonSchema>::json_schema(generator)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The generated type redacts every secret field.
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

owned_spec!(
    /// An external identity provider to add or update (Microsoft ADFS, or a
    /// federated broker: Okta, Microsoft Entra ID, Ping Federate); built by
    /// [`crate::AdfsSpecBuilder`] or [`crate::FederatedSpecBuilder`].
    IdentityProviderSpec wraps idp_api::vcf::types::IdentityProviderSpec
);

owned_spec!(
    /// An identity source (Active Directory or OpenLDAP) to add to, or
    /// update on, the embedded provider; built by
    /// [`crate::IdentitySourceSpecBuilder`].
    IdentitySourceSpec wraps idp_api::vcf::types::IdentitySourceSpec
);

impl IdentityProviderSpec {
    /// The provider type (`Oidc`, `ActiveDirectory`, ...), as sent.
    #[must_use]
    pub fn kind(&self) -> &str {
        &self.0.type_
    }

    /// The name the provider is created under: the federation's name
    /// (`fedIdpSpec.name`) or, without one, the top-level name.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.0
            .fed_idp_spec
            .as_ref()
            .and_then(|f| f.name.as_deref())
            .or(self.0.name.as_deref())
    }
}

impl IdentitySourceSpec {
    /// The source's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// The LDAP domain name, which identifies the source on the provider.
    #[must_use]
    pub fn domain_name(&self) -> Option<&str> {
        self.0.ldap.domain_name.as_deref()
    }
}
