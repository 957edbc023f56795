//! Helpers shared by the integration tests: a loopback mock server, seed
//! payloads, JWTs and fast client settings.

#![allow(dead_code, clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idp_client::{UnleashClient, VcfClient};
use wiremock::MockServer;

pub use idp_testkit::{fast_config, fast_retries, seed, seed_json};

pub async fn server() -> MockServer {
    MockServer::start().await
}

/// A VCF client with a fixed bearer token.
pub fn vcf_bearer(server: &MockServer, token: &str) -> VcfClient {
    VcfClient::builder(server.uri())
        .bearer_token(token)
        .config(&fast_config())
        .build()
        .unwrap()
}

/// A VCF client that logs in with a user name and password.
pub fn vcf_session(server: &MockServer, username: &str, password: &str) -> VcfClient {
    VcfClient::builder(server.uri())
        .credentials(username, password)
        .config(&fast_config())
        .build()
        .unwrap()
}

/// An Unleash client for the mock server at `sub_path` (e.g. `/unleash`).
pub fn unleash(server: &MockServer, sub_path: &str, key: &str) -> UnleashClient {
    UnleashClient::builder(format!("{}{sub_path}", server.uri()))
        .api_token(key)
        .config(&fast_config())
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
