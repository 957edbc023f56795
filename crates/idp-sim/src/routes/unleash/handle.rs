//! Unleash's handle on a running simulator.

use crate::Simulator;
use crate::paths::UNLEASH_PREFIX;

/// The simulated Unleash of a running [`Simulator`] (from
/// [`Simulator::unleash`]): its URL and API keys, and the SCIM state tests
/// check.
#[derive(Debug, Clone, Copy)]
pub struct Handle<'a> {
    sim: &'a Simulator,
}

impl<'a> Handle<'a> {
    pub(crate) fn new(sim: &'a Simulator) -> Self {
        Handle { sim }
    }

    /// The Unleash base URL: the simulator's URL + `/unleash`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("{}{UNLEASH_PREFIX}", self.sim.base_url)
    }

    /// The admin API key (a test credential).
    #[must_use]
    pub fn api_key(&self) -> &'a str {
        &self.sim.shared.config.unleash_api_key
    }

    /// The read-only key, if configured.
    #[must_use]
    pub fn read_only_key(&self) -> Option<&'a str> {
        self.sim.shared.config.unleash_read_only_key.as_deref()
    }

    /// The current (only valid) SCIM token.
    #[must_use]
    pub fn scim_token(&self) -> Option<String> {
        self.sim.shared.model().unleash.token.clone()
    }

    /// Whether SCIM is enabled.
    #[must_use]
    pub fn scim_enabled(&self) -> bool {
        self.sim.shared.model().unleash.enabled
    }
}
