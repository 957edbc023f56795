//! A VCF (SDDC Manager) client wired to the simulator.

use idp_client::{Secret, VcfClient, VcfClientBuilder};
use idp_sim::Simulator;

use crate::fast_config;

/// A VCF client builder for `sim`: its first user's credentials and
/// [`fast_retries`](crate::fast_retries).
#[must_use]
pub fn vcf_client_builder(sim: &Simulator) -> VcfClientBuilder {
    VcfClient::builder(sim.vcf().url())
        .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .config(&fast_config())
}

/// A VCF client for `sim` (see [`vcf_client_builder`]).
#[must_use]
pub fn vcf_client(sim: &Simulator) -> VcfClient {
    match vcf_client_builder(sim).build() {
        Ok(client) => client,
        Err(e) => panic!("VCF client: {e}"),
    }
}
