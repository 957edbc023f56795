//! An Unleash client wired to the simulator.

use idp_client::{Secret, UnleashClient, UnleashClientBuilder};
use idp_sim::Simulator;

use crate::fast_config;

/// An Unleash client builder for `sim`: its admin API key and
/// [`fast_retries`](crate::fast_retries).
#[must_use]
pub fn unleash_client_builder(sim: &Simulator) -> UnleashClientBuilder {
    UnleashClient::builder(sim.unleash().url())
        .api_token(Secret::new(sim.unleash().api_key()))
        .config(&fast_config())
}

/// An Unleash client for `sim` (see [`unleash_client_builder`]).
#[must_use]
pub fn unleash_client(sim: &Simulator) -> UnleashClient {
    match unleash_client_builder(sim).build() {
        Ok(client) => client,
        Err(e) => panic!("Unleash client: {e}"),
    }
}
