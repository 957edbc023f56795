//! Okta's state: the API token the org accepts and its apps' default
//! provisioning connections.

use std::collections::HashMap;

use crate::ids::random_hex;

/// Okta: the API token it accepts and its apps' default provisioning
/// connections.
pub(crate) struct OktaState {
    /// The one API token (`SSWS`) or access token (`Bearer`) accepted.
    pub(crate) api_token: String,
    /// Apps by id.
    pub(crate) apps: HashMap<String, OktaApp>,
}

/// One Okta app with its default provisioning connection.
#[derive(Clone, Default)]
pub(crate) struct OktaApp {
    /// `None` until a connection is set (Okta answers `UNKNOWN`/`DISABLED`).
    pub(crate) connection: Option<OktaConnection>,
}

/// A token-based provisioning connection as set by the last update.
#[derive(Clone)]
pub(crate) struct OktaConnection {
    pub(crate) base_url: Option<String>,
    pub(crate) token: String,
    pub(crate) enabled: bool,
}

impl OktaState {
    /// One app (id `0oa` + 17 hex digits, the shape of Okta app ids) without
    /// a connection, and a generated API token.
    pub(crate) fn seeded() -> Self {
        let mut apps = HashMap::new();
        apps.insert(format!("0oa{}", &random_hex(9)[..17]), OktaApp::default());
        Self {
            api_token: format!("00{}", random_hex(20)),
            apps,
        }
    }
}

impl std::fmt::Debug for OktaState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OktaState")
            .field("apps", &self.apps.len())
            .finish_non_exhaustive()
    }
}
