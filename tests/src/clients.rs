//! A started simulator and clients wired to it, with retries that do not
//! slow the tests down.

use std::time::Duration;

use idp_client::{
    RetryPolicy, Secret, UnleashClient, UnleashClientBuilder, VcfClient, VcfClientBuilder,
};
use idp_sim::{SimConfigBuilder, Simulator};

/// Retries that keep tests quick: 1 ms base backoff, at most 5 ms between
/// attempts, `Retry-After` honoured up to 20 ms.
#[must_use]
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
        .with_max_retry_after(Duration::from_millis(20))
}

/// A simulator started on `127.0.0.1:0` with `config` (panics when it
/// cannot start).
pub async fn start_sim(config: SimConfigBuilder) -> Simulator {
    let config = match config.build() {
        Ok(config) => config,
        Err(e) => panic!("simulator configuration: {e}"),
    };
    match Simulator::start(config).await {
        Ok(sim) => sim,
        Err(e) => panic!("simulator start: {e}"),
    }
}

/// A VCF client builder for `sim`: its first user's credentials and
/// [`fast_retries`].
#[must_use]
pub fn vcf_client_builder(sim: &Simulator) -> VcfClientBuilder {
    VcfClient::builder(sim.vcf_url())
        .credentials(sim.vcf_username(), Secret::new(sim.vcf_password()))
        .retry_policy(fast_retries())
}

/// A VCF client for `sim` (see [`vcf_client_builder`]).
#[must_use]
pub fn vcf_client(sim: &Simulator) -> VcfClient {
    match vcf_client_builder(sim).build() {
        Ok(client) => client,
        Err(e) => panic!("VCF client: {e}"),
    }
}

/// An Unleash client builder for `sim`: its admin API key and
/// [`fast_retries`].
#[must_use]
pub fn unleash_client_builder(sim: &Simulator) -> UnleashClientBuilder {
    UnleashClient::builder(sim.unleash_url())
        .api_token(Secret::new(sim.unleash_api_key()))
        .retry_policy(fast_retries())
}

/// An Unleash client for `sim` (see [`unleash_client_builder`]).
#[must_use]
pub fn unleash_client(sim: &Simulator) -> UnleashClient {
    match unleash_client_builder(sim).build() {
        Ok(client) => client,
        Err(e) => panic!("Unleash client: {e}"),
    }
}
