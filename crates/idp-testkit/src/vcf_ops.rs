//! A VCF Operations client wired to the simulator (profile `vcf-9.1`).

use std::time::Duration;

use idp_client::{VcfOpsClient, VcfOpsClientBuilder};
use idp_sim::{Profile, SimConfig, Simulator};

use crate::{fast_config, start_sim};

/// A simulator serving VCF Operations (profile `vcf-9.1`).
pub async fn start_ops_sim() -> Simulator {
    start_sim(SimConfig::builder().profile(Profile::Vcf91)).await
}

/// A VCF Operations client builder for `sim`: its URL, the local user's
/// credentials (an `OpsToken` session), [`fast_retries`](crate::fast_retries)
/// and task polling every 1 to 5 ms.
#[must_use]
pub fn ops_client_builder(sim: &Simulator) -> VcfOpsClientBuilder {
    VcfOpsClient::builder(sim.vcf_ops().url())
        .credentials(sim.vcf_ops().username(), sim.vcf_ops().password())
        .task_polling(Duration::from_millis(1), Duration::from_millis(5))
        .config(&fast_config())
}

/// A VCF Operations client for `sim` (see [`ops_client_builder`]).
#[must_use]
pub fn ops_client(sim: &Simulator) -> VcfOpsClient {
    ops_client_builder(sim)
        .build()
        .unwrap_or_else(|e| panic!("VCF Operations client: {e}"))
}
