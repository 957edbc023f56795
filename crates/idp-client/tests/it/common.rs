//! Helpers shared by the integration tests: a loopback mock server, seed
//! payloads, JWTs and fast client settings.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idp_client::{RetryPolicy, UnleashClient, VcfClient};
use wiremock::MockServer;

/// A seed payload from the workspace's `tests/fixtures` (the vendor
/// documents' bodies, one file per operation and case).
pub fn seed(name: &str) -> String {
    let api = if name.starts_with("generateScimToken") {
        "unleash"
    } else {
        "vcf"
    };
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(api)
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A seed JSON payload, parsed.
pub fn seed_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&seed(name)).unwrap()
}

/// Retries that do not slow the tests down.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
        .with_max_retry_after(Duration::from_millis(20))
}

pub async fn server() -> MockServer {
    MockServer::start().await
}

/// A VCF client with a fixed bearer token.
pub fn vcf_bearer(server: &MockServer, token: &str) -> VcfClient {
    VcfClient::builder(server.uri())
        .bearer_token(token)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// A VCF client that logs in with a user name and password.
pub fn vcf_session(server: &MockServer, username: &str, password: &str) -> VcfClient {
    VcfClient::builder(server.uri())
        .credentials(username, password)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// An Unleash client for the mock server at `sub_path` (e.g. `/unleash`).
pub fn unleash(server: &MockServer, sub_path: &str, key: &str) -> UnleashClient {
    UnleashClient::builder(format!("{}{sub_path}", server.uri()))
        .api_token(key)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

/// An unsigned JWT whose `exp` is `exp_from_now` seconds away (negative:
/// in the past), with a `jti` to make each token distinct.
pub fn jwt(exp_from_now: i64, jti: &str) -> String {
    let exp = chrono::Utc::now().timestamp() + exp_from_now;
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"sub":"admin","exp":{exp},"jti":"{jti}"}}"#));
    format!("{header}.{payload}.c2lnbmF0dXJl")
}

/// The requests the server received for `method` and `path`.
pub async fn requests_to(server: &MockServer, method: &str, path: &str) -> Vec<wiremock::Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == path)
        .collect()
}

/// The `Authorization` header of a received request.
pub fn authorization(request: &wiremock::Request) -> String {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}
