//! A started simulator and clients wired to it, with retries that do not
//! slow the tests down.

use std::time::Duration;

use idp_client::{
    ClientConfig, ClientConfigBuilder, RetryPolicy, Secret, UnleashClient, UnleashClientBuilder,
    VcfClient, VcfClientBuilder,
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

/// A client configuration builder with [`fast_retries`], to add test
/// settings to before `build()`.
#[must_use]
pub fn fast_config_builder() -> ClientConfigBuilder {
    ClientConfig::builder().retry_policy(fast_retries())
}

/// The default client configuration with [`fast_retries`].
#[must_use]
pub fn fast_config() -> ClientConfig {
    fast_config_builder()
        .build()
        .unwrap_or_else(|e| panic!("client configuration: {e}"))
}

/// A client configuration from `builder` (panics when it does not build).
#[must_use]
pub fn build_config(builder: ClientConfigBuilder) -> ClientConfig {
    builder
        .build()
        .unwrap_or_else(|e| panic!("client configuration: {e}"))
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

/// An Unleash client builder for `sim`: its admin API key and
/// [`fast_retries`].
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

/// A broker admin token from `sim`'s token endpoint
/// (`POST /acs/t/{tenant}/token`, client credentials of the simulator's
/// OAuth client in HTTP Basic), as a caller that brings its own token would
/// get it.
pub async fn broker_admin_token(sim: &Simulator) -> String {
    idp_client::ensure_crypto_provider();
    let url = format!(
        "{}/acs/t/{}/token",
        sim.broker().url(),
        sim.broker().tenant()
    );
    let answer = reqwest::Client::new()
        .post(&url)
        .basic_auth(sim.broker().client_id(), Some(sim.broker().client_secret()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    assert!(
        answer.status().is_success(),
        "POST {url}: {}",
        answer.status()
    );
    let body: serde_json::Value = answer
        .json()
        .await
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    match body.get("access_token").and_then(serde_json::Value::as_str) {
        Some(token) => token.to_owned(),
        None => panic!("POST {url}: no access_token"),
    }
}
