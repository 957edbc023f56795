//! The simulator against the OpenAPI specs: its answers decoded strictly
//! into the generated `idp_api` types. The simulator is written from the
//! vendors' documents and the specs are written from the same documents;
//! neither reads the other, so these tests compare two independent readings
//! and catch drift that the tolerant client would otherwise absorb. They
//! live here because only this package sees both (`idp-sim` does not depend
//! on `idp-api`).
//!
//! `vcf_unleash/`: SDDC Manager and Unleash under every profile and both
//! Unleash editions; `okta`, `entra`: the token destinations' routes;
//! `vcf_ops`: VCF Operations 9.1 (profile `vcf-9.1`), also against the
//! vendor's own schemas.

mod entra;
mod okta;
mod vcf_ops;
mod vcf_unleash;

use idp_sim::{SimConfig, Simulator};
use reqwest::{Client, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A plain HTTP client for loopback (no proxy).
fn http() -> Client {
    idp_client::ensure_crypto_provider();
    Client::builder().no_proxy().build().unwrap()
}

async fn start() -> Simulator {
    Simulator::start(SimConfig::builder().build().unwrap())
        .await
        .unwrap()
}

fn strict<T: DeserializeOwned>(body: &Value) -> T {
    serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn json(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap())
}
