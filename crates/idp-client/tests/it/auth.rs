//! VCF sessions: login, proactive refresh, 401 -> refresh -> replay,
//! refresh failure -> login, one refresh for many concurrent callers, logout.

use super::common;

use std::time::Duration;

use common::{authorization, jwt, requests_to, server, vcf_session};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "administrator@vsphere.local";
const PASSWORD: &str = "VMw@re1!";
const REFRESH_ID: &str = "c1d5cbb3-refresh";

async fn mount_login(server: &MockServer, status: u16, access: &str, times: Option<u64>) {
    let mock = Mock::given(method("POST"))
        .and(path("/v1/tokens"))
        .and(body_json(json!({"username": USER, "password": PASSWORD})))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({
            "accessToken": access,
            "refreshToken": {"id": REFRESH_ID}
        })));
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

async fn mount_list(server: &MockServer, access: &str, status: u16) {
    let template = if status == 200 {
        ResponseTemplate::new(200).set_body_json(json!({"elements": []}))
    } else {
        ResponseTemplate::new(status).set_body_json(json!({"message": "token expired"}))
    };
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .and(header("authorization", format!("Bearer {access}").as_str()))
        .respond_with(template)
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
async fn login_with_200_and_201() {
    for status in [200, 201] {
        let server = server().await;
        let access = jwt(3600, "a");
        mount_login(&server, status, &access, None).await;
        mount_list(&server, &access, 200).await;
        let vcf = vcf_session(&server, USER, PASSWORD);
        vcf.list_identity_providers().await.unwrap();
        vcf.list_identity_providers().await.unwrap();
        // One login serves both calls; the login carries no Authorization.
        let logins = requests_to(&server, "POST", "/v1/tokens").await;
        assert_eq!(logins.len(), 1, "status {status}");
        assert_eq!(authorization(&logins[0]), "");
        assert_eq!(
            requests_to(&server, "GET", "/v1/identity-providers")
                .await
                .len(),
            2
        );
    }
}

#[tokio::test]
async fn bad_credentials_fail_once_with_a_hint() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/tokens"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Invalid credentials"})),
        )
        .mount(&server)
        .await;
    let err = vcf_session(&server, USER, PASSWORD)
        .list_identity_providers()
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(err.operation(), Some("createToken"));
    assert!(err.to_string().contains("user name or password"), "{err}");
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 1);
    assert!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn refreshes_before_expiry() {
    let server = server().await;
    // Expires in 30 s: within the 60 s refresh margin.
    let near = jwt(30, "near");
    let fresh = jwt(3600, "fresh");
    mount_login(&server, 200, &near, None).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(200).set_body_raw(fresh.clone(), "text/plain"),
    )
    .await;
    mount_list(&server, &near, 200).await;
    mount_list(&server, &fresh, 200).await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    vcf.list_identity_providers().await.unwrap();
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
        vec![
            format!("Bearer {near}"),
            format!("Bearer {fresh}"),
            format!("Bearer {fresh}")
        ]
    );
}

#[tokio::test]
async fn unauthorized_refreshes_and_replays_once() {
    let server = server().await;
    let rejected = jwt(3600, "rejected");
    let renewed = jwt(3600, "renewed");
    mount_login(&server, 201, &rejected, None).await;
    // The refresh answers with a quoted string.
    mount_refresh(
        &server,
        ResponseTemplate::new(200).set_body_raw(format!("\"{renewed}\""), "application/json"),
    )
    .await;
    mount_list(&server, &rejected, 401).await;
    mount_list(&server, &renewed, 200).await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    vcf.list_identity_providers().await.unwrap();
    assert_eq!(
        requests_to(&server, "PATCH", "/v1/tokens/access-token/refresh")
            .await
            .len(),
        1
    );
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn a_second_unauthorized_is_returned_not_replayed_again() {
    let server = server().await;
    let first = jwt(3600, "first");
    let second = jwt(3600, "second");
    mount_login(&server, 200, &first, None).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(200).set_body_raw(second.clone(), "text/plain"),
    )
    .await;
    mount_list(&server, &first, 401).await;
    mount_list(&server, &second, 401).await;
    // POST (never retried) is replayed once after a 401 too.
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p/sync-client"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        2
    );
    let err = vcf.generate_sync_client_token("p", None).await.unwrap_err();
    assert!(err.is_unauthorized());
    assert_eq!(
        requests_to(&server, "POST", "/v1/identity-providers/p/sync-client")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn failed_refresh_falls_back_to_login() {
    let server = server().await;
    let first = jwt(3600, "first");
    let relogged = jwt(3600, "relogged");
    mount_login(&server, 200, &first, Some(1)).await;
    mount_login(&server, 200, &relogged, None).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({"message": "refresh token expired"})),
    )
    .await;
    mount_list(&server, &first, 401).await;
    mount_list(&server, &relogged, 200).await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    vcf.list_identity_providers().await.unwrap();
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 2);
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
        vec![format!("Bearer {first}"), format!("Bearer {relogged}")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_refresh() {
    let server = server().await;
    let near = jwt(10, "near");
    let fresh = jwt(3600, "fresh");
    mount_login(&server, 200, &near, None).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(200)
            .set_body_raw(fresh.clone(), "text/plain")
            .set_delay(Duration::from_millis(100)),
    )
    .await;
    mount_list(&server, &near, 200).await;
    mount_list(&server, &fresh, 200).await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    vcf.list_identity_providers().await.unwrap();
    let calls = (0..16).map(|_| {
        let vcf = vcf.clone();
        tokio::spawn(async move { vcf.list_identity_providers().await })
    });
    for result in futures::future::join_all(calls).await {
        result.unwrap().unwrap();
    }
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 1);
    assert_eq!(
        requests_to(&server, "PATCH", "/v1/tokens/access-token/refresh")
            .await
            .len(),
        1
    );
    let lists = requests_to(&server, "GET", "/v1/identity-providers").await;
    assert_eq!(lists.len(), 17);
    assert!(
        lists[1..]
            .iter()
            .all(|r| authorization(r) == format!("Bearer {fresh}"))
    );
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let server = server().await;
    let access = jwt(3600, "a");
    mount_login(&server, 200, &access, None).await;
    mount_list(&server, &access, 200).await;
    Mock::given(method("DELETE"))
        .and(path("/v1/tokens/refresh-token"))
        .and(body_json(json!(REFRESH_ID)))
        .and(header("authorization", format!("Bearer {access}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    // Never logged in: nothing to revoke, nothing sent.
    vcf.logout().await.unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
    vcf.list_identity_providers().await.unwrap();
    vcf.logout().await.unwrap();
    vcf.logout().await.unwrap();
    // After logout the next call logs in again.
    vcf.list_identity_providers().await.unwrap();
    assert_eq!(requests_to(&server, "POST", "/v1/tokens").await.len(), 2);
    // A bearer-token client has nothing to revoke.
    common::vcf_bearer(&server, "t").logout().await.unwrap();
}

#[tokio::test]
async fn tokens_that_are_not_jwts_are_renewed_on_401_only() {
    let server = server().await;
    mount_login(&server, 200, "opaque-1", Some(1)).await;
    mount_refresh(
        &server,
        ResponseTemplate::new(200).set_body_raw("opaque-2", "text/plain"),
    )
    .await;
    mount_list(&server, "opaque-1", 200).await;
    let vcf = vcf_session(&server, USER, PASSWORD);
    for _ in 0..3 {
        vcf.list_identity_providers().await.unwrap();
    }
    assert!(
        requests_to(&server, "PATCH", "/v1/tokens/access-token/refresh")
            .await
            .is_empty()
    );
}
