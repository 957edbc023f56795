//! Okta's provisioning connection as an owned value, and the request that
//! sets one.

use idp_api::Secret;
use idp_api::okta::types::{
    ProvisioningConnectionTokenAuthScheme, ProvisioningConnectionTokenRequest,
    ProvisioningConnectionTokenRequestProfile,
};
use serde::Serialize;

use crate::runtime::FromWire;

/// An app's default provisioning connection as Okta answers it (Okta never
/// returns the token). Serializes with camelCase names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProvisioningConnection {
    /// `TOKEN`, `OAUTH2` or `UNKNOWN`, as served (from `profile.authScheme`).
    pub auth_scheme: String,
    /// `ENABLED`, `DISABLED` or `UNKNOWN` (provisioning not supported).
    pub status: String,
    /// The base URL the app provisions to, when Okta reports one.
    pub base_url: Option<String>,
}

impl ProvisioningConnection {
    /// Whether the connection is active (`ENABLED`).
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.status.eq_ignore_ascii_case("ENABLED")
    }
}

impl FromWire<idp_api::okta::types::ProvisioningConnection> for ProvisioningConnection {
    fn from_wire(wire: idp_api::okta::types::ProvisioningConnection) -> Self {
        Self {
            auth_scheme: wire.profile.auth_scheme,
            status: wire.status,
            base_url: wire.base_url,
        }
    }
}

/// The request that sets the token-based connection to `base_url` with
/// `token`.
pub(super) fn token_connection(
    base_url: &str,
    token: &Secret,
) -> ProvisioningConnectionTokenRequest {
    ProvisioningConnectionTokenRequest {
        base_url: Some(base_url.to_owned()),
        profile: ProvisioningConnectionTokenRequestProfile {
            auth_scheme: ProvisioningConnectionTokenAuthScheme::Token,
            token: token.clone(),
        },
    }
}
