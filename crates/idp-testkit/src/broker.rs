//! Identity Broker clients wired to the simulator, by each kind of
//! credentials: an OAuth 2.0 client, the vCenter user, a token.

use idp_client::{BrokerClient, BrokerClientBuilder};
use idp_sim::Simulator;

use crate::fast_config;

/// A broker client builder for `sim`: its URL, tenant and
/// [`fast_retries`](crate::fast_retries), without credentials.
#[must_use]
pub fn broker_client_builder(sim: &Simulator) -> BrokerClientBuilder {
    BrokerClient::builder(sim.broker().url())
        .tenant(sim.broker().tenant())
        .config(&fast_config())
}

/// A broker client for `sim` that logs in with the simulator's OAuth 2.0
/// client (client credentials at the token endpoint).
#[must_use]
pub fn broker_client(sim: &Simulator) -> BrokerClient {
    broker_client_builder(sim)
        .oauth_client(sim.broker().client_id(), sim.broker().client_secret())
        .build()
        .unwrap_or_else(|e| panic!("broker client: {e}"))
}

/// A broker client for `sim` whose admin token comes through vCenter: a
/// session as the simulator's vCenter user, the tenant admin client's
/// token, the session ended.
#[must_use]
pub fn broker_vcenter_client(sim: &Simulator) -> BrokerClient {
    broker_client_builder(sim)
        .vcenter_credentials(sim.vcf().username(), sim.vcf().password())
        .build()
        .unwrap_or_else(|e| panic!("broker client (vCenter): {e}"))
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
