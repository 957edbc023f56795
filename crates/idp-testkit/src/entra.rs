//! A Microsoft Entra (identity platform + Graph) client wired to the
//! simulator.

use idp_client::{EntraClient, EntraClientBuilder};
use idp_sim::Simulator;

use crate::fast_config;

/// An Entra client builder for `sim`: its tenant, login and Graph URLs,
/// app registration (client id and secret) and
/// [`fast_retries`](crate::fast_retries).
#[must_use]
pub fn entra_client_builder(sim: &Simulator) -> EntraClientBuilder {
    EntraClient::builder(sim.entra().tenant_id())
        .login_url(sim.entra().login_url())
        .graph_url(sim.entra().graph_url())
        .client_id(sim.entra().client_id())
        .client_secret(sim.entra().client_secret())
        .config(&fast_config())
}

/// An Entra client for `sim` (see [`entra_client_builder`]).
#[must_use]
pub fn entra_client(sim: &Simulator) -> EntraClient {
    entra_client_builder(sim)
        .build()
        .unwrap_or_else(|e| panic!("Entra client: {e}"))
}
