//! A started simulator and the client settings every wired client uses:
//! retries that do not slow the tests down.

use std::time::Duration;

use idp_client::{ClientConfig, ClientConfigBuilder, RetryPolicy};
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
