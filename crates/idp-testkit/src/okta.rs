//! An Okta client wired to the simulator.

use idp_client::{OktaClient, OktaClientBuilder};
use idp_sim::Simulator;

use crate::fast_config;

/// An Okta client builder for `sim`: its org URL, its API token (`SSWS`)
/// and [`fast_retries`](crate::fast_retries).
#[must_use]
pub fn okta_client_builder(sim: &Simulator) -> OktaClientBuilder {
    OktaClient::builder(sim.okta().url())
        .api_token(sim.okta().api_token())
        .config(&fast_config())
}

/// An Okta client for `sim` (see [`okta_client_builder`]).
#[must_use]
pub fn okta_client(sim: &Simulator) -> OktaClient {
    okta_client_builder(sim)
        .build()
        .unwrap_or_else(|e| panic!("Okta client: {e}"))
}
