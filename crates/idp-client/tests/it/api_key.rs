//! VCF sessions of a service account: login with `apiKey`, proactive
//! refresh, refresh failure -> login with the key again, one login for many
//! concurrent callers, the key redacted.

use super::common;

use std::time::Duration;

use common::{authorization, jwt, requests_to, server};
use idp_client::{Secret, VcfClient};
use idp_testkit::fast_config;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "svc-key-7f3a9c0e5d";
const REFRESH_ID: &str = "0b9e-refresh";

fn key_session(server: &MockServer) -> VcfClient {
    VcfClient::builder(server.uri())
        .api_key(KEY)
        .config(&fast_config())
        .build()
        .unwrap()
}

async fn mount_key_login(server: &MockServer, access: &str, times: Option<u64>, delay: Duration) {
    let mock = Mock::given(method("POST"))
        .and(path("/v1/tokens"))
        .and(body_json(json!({ "apiKey": KEY })))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({
                    "accessToken": access,
                    "refreshToken": {"id": REFRESH_ID}
                }))
                .set_delay(delay),
        );
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

async fn mount_list(server: &MockServer, access: &str, status: u16) {
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .and(header("authorization", format!("Bearer {access}").as_str()))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"elements": []})))
        .mount(server)
        .await;
}

async fn mount_refresh(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("PATCH"))
        .and(path("/v1/tokens/access-token/refresh"))
        .and(body_json(json!(REFRESH_ID)))
        .respond_with(response)
        .mount(server)
        .await;
}

#[tokio::test]
async fn api_key_logs_in_with_the_key_alone() {
    let server = server().await;
    let access = jwt(3600, "a");
    mount_key_login(&server, &access, None, Duration::ZERO).await;
    mount_list(&server, &access, 200).await;
    let vcf = key_session(&server);
    vcf.list_identity_providers().await.unwrap();
    vcf.list_identity_providers().await.unwrap();
    let logins = requests_to(&server, "POST", "/v1/tokens").await;
    assert_eq!(logins.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&logins[0].body).unwrap();
    assert_eq!(body, json!({ "apiKey": KEY }));
}

#[tokio::test]
async fn api_key_sessions_refresh_before_expiry() {
    let server = server().await;
    let near = jwt(30, "near");
    let fresh = jwt(3600, "fresh");
    mount_key_login(&server, &near, None, Duration::ZERO).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(200).set_body_raw(fresh.clone(), "text/plain"),
    )
    .await;
    mount_list(&server, &near, 200).await;
    mount_list(&server, &fresh, 200).await;
    let vcf = key_session(&server);
    vcf.list_identity_providers().await.unwrap();
    vcf.list_identity_providers().await.unwrap();
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 1);
    assert_eq!(
        requests_to(&server, "PATCH", "/v1/tokens/access-token/refresh")
            .await
            .len(),
        1
    );
    let used: Vec<_> = requests_to(&server, "GET", "/v1/identity-providers")
        .await
        .iter()
        .map(authorization)
        .collect();
    assert_eq!(
        used,
        vec![format!("Bearer {near}"), format!("Bearer {fresh}")]
    );
}

#[tokio::test]
async fn api_key_sessions_log_in_again_with_the_key_when_a_refresh_fails() {
    let server = server().await;
    let first = jwt(3600, "first");
    let relogged = jwt(3600, "relogged");
    mount_key_login(&server, &first, Some(1), Duration::ZERO).await;
    mount_key_login(&server, &relogged, None, Duration::ZERO).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({"message": "refresh token expired"})),
    )
    .await;
    mount_list(&server, &first, 401).await;
    mount_list(&server, &relogged, 200).await;
    key_session(&server)
        .list_identity_providers()
        .await
        .unwrap();
    let logins = requests_to(&server, "POST", "/v1/tokens").await;
    assert_eq!(logins.len(), 2);
    for login in &logins {
        let body: serde_json::Value = serde_json::from_slice(&login.body).unwrap();
        assert_eq!(body, json!({ "apiKey": KEY }));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_concurrent_callers_cause_one_api_key_login() {
    let server = server().await;
    let access = jwt(3600, "a");
    mount_key_login(&server, &access, None, Duration::from_millis(100)).await;
    mount_list(&server, &access, 200).await;
    let vcf = key_session(&server);
    let calls = (0..16).map(|_| {
        let vcf = vcf.clone();
        tokio::spawn(async move { vcf.list_identity_providers().await })
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap().unwrap();
    }
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 1);
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        16
    );
}

#[tokio::test]
async fn a_refused_api_key_is_unauthorized_and_never_shown() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/tokens"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "errorCode": "AUTHENTICATION_FAILED",
            "message": "Authentication failed: invalid username or password"
        })))
        .mount(&server)
        .await;
    let vcf = key_session(&server);
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 1);
    for shown in [format!("{err}"), format!("{err:?}"), format!("{vcf:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}

#[test]
fn the_builder_redacts_the_key_and_refuses_an_empty_one() {
    let builder = VcfClient::builder("https://sddc.example.com").api_key(Secret::new(KEY));
    let shown = format!("{builder:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("API key <redacted>"), "{shown}");
    let err = VcfClient::builder("https://sddc.example.com")
        .api_key(" ")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("API key is empty"), "{err}");
}
