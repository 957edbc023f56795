//! The broker's handle on a running simulator.

use crate::Simulator;
use crate::state::broker::{ADMIN_CLIENT_ID, TENANT};

/// The simulated Identity Broker of a running [`Simulator`] (from
/// [`Simulator::broker`]): its URL, tenant and admin client, and the state
/// tests check.
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The broker base URL: the simulator's URL (the broker's paths sit
    /// beside the others, as on a vCenter).
    #[must_use]
    pub fn url(&self) -> String {
        self.sim.base_url.clone()
    }

    /// The broker's one tenant.
    #[must_use]
    pub fn tenant(&self) -> &'static str {
        TENANT
    }

    /// The client id of the admin OAuth 2.0 client the broker starts with.
    #[must_use]
    pub fn client_id(&self) -> &'static str {
        ADMIN_CLIENT_ID
    }

    /// The current secret of the admin OAuth 2.0 client (a test credential).
    #[must_use]
    pub fn client_secret(&self) -> String {
        self.sim
            .shared
            .model()
            .broker
            .clients
            .get(ADMIN_CLIENT_ID)
            .map(|c| c.secret.clone())
            .unwrap_or_default()
    }

    /// The sync client access token currently valid for a directory, if one
    /// was generated.
    #[must_use]
    pub fn sync_token(&self, directory_id: &str) -> Option<String> {
        let model = self.sim.shared.model();
        let token = model.broker.sync_clients.get(directory_id)?.token.clone()?;
        model.access_tokens.contains_key(&token).then_some(token)
    }

    /// How many directories exist.
    #[must_use]
    pub fn directory_count(&self) -> usize {
        self.sim.shared.model().broker.directories.len()
    }
}
