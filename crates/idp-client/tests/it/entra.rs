//! Microsoft Entra's app-only token through the shared client-credentials
//! renewer: one token request for any number of concurrent callers, a new
//! token and exactly one replay after Graph's 401, renewal before expiry.

use super::common;

use std::time::Duration;

use common::{authorization, fast_config, jwt, requests_to, server};
use idp_client::{Secret, entra};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TENANT: &str = "contoso.onmicrosoft.com";
const SP: &str = "6b3474d8-233e-463f-b0a3-86433d8ba889";
const TOKEN: &str = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
const JOBS: &str =
    "/v1.0/servicePrincipals/6b3474d8-233e-463f-b0a3-86433d8ba889/synchronization/jobs";
const SECRETS: &str =
    "/v1.0/servicePrincipals/6b3474d8-233e-463f-b0a3-86433d8ba889/synchronization/secrets";

fn client(server: &MockServer) -> entra::Client {
    entra::Client::builder(TENANT)
        .login_url(server.uri())
        .graph_url(server.uri())
        .client_id("app-id")
        .client_secret("app-secret")
        .config(&fast_config())
        .build()
        .unwrap()
}

/// The token endpoint answers `token` (living `expires_in` seconds), at
/// most `times` times when given.
async fn mount_token(server: &MockServer, token: &str, expires_in: i64, times: Option<u64>) {
    let mock = Mock::given(method("POST")).and(path(TOKEN)).respond_with(
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "token_type": "Bearer",
                "expires_in": expires_in,
                "access_token": token,
            }))
            // Concurrent callers arrive while the first request is open.
            .set_delay(Duration::from_millis(50)),
    );
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

/// Graph answers `status` to requests with `token`.
async fn mount_graph(server: &MockServer, token: &str, status: u16) {
    let bearer = format!("Bearer {token}");
    let answer = |body| {
        if status == 200 {
            ResponseTemplate::new(200).set_body_json(body)
        } else {
            ResponseTemplate::new(status).set_body_json(json!({
                "error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}
            }))
        }
    };
    Mock::given(method("GET"))
        .and(path(JOBS))
        .and(header("authorization", bearer.as_str()))
        .respond_with(answer(json!({"value": [{"id": "scim.1"}]})))
        .mount(server)
        .await;
    let put = if status == 200 {
        ResponseTemplate::new(204)
    } else {
        answer(json!({}))
    };
    Mock::given(method("PUT"))
        .and(path(SECRETS))
        .and(header("authorization", bearer.as_str()))
        .respond_with(put)
        .mount(server)
        .await;
}

#[tokio::test]
async fn sixteen_concurrent_callers_cause_one_token_request() {
    let server = server().await;
    let token = jwt(3600, "t1");
    mount_token(&server, &token, 3600, None).await;
    mount_graph(&server, &token, 200).await;
    let entra = client(&server);
    let calls = (0..16).map(|_| entra.synchronization_job_count(SP));
    for count in futures::future::join_all(calls).await {
        assert_eq!(count.unwrap(), 1);
    }
    assert_eq!(requests_to(&server, "POST", TOKEN).await.len(), 1);
    assert_eq!(requests_to(&server, "GET", JOBS).await.len(), 16);
}

#[tokio::test]
async fn a_graph_401_gets_one_new_token_and_one_replay() {
    for put in [false, true] {
        let server = server().await;
        let (old, new) = (jwt(3600, "old"), jwt(3600, "new"));
        mount_token(&server, &old, 3600, Some(1)).await;
        mount_token(&server, &new, 3600, None).await;
        // Graph has revoked the first token (it has not expired yet).
        mount_graph(&server, &old, 401).await;
        mount_graph(&server, &new, 200).await;
        let entra = client(&server);
        if put {
            entra
                .put_synchronization_secrets(SP, "https://scim.example/v2", &Secret::new("scim"))
                .await
                .unwrap();
        } else {
            assert_eq!(entra.synchronization_job_count(SP).await.unwrap(), 1);
        }
        assert_eq!(
            requests_to(&server, "POST", TOKEN).await.len(),
            2,
            "the first token, then exactly one new one (put: {put})"
        );
        let (verb, route) = if put { ("PUT", SECRETS) } else { ("GET", JOBS) };
        let graph = requests_to(&server, verb, route).await;
        assert_eq!(graph.len(), 2, "the rejected request and one replay");
        assert_eq!(authorization(&graph[0]), format!("Bearer {old}"));
        assert_eq!(authorization(&graph[1]), format!("Bearer {new}"));
    }
}

#[tokio::test]
async fn a_second_401_is_returned_after_one_replay() {
    let server = server().await;
    let token = jwt(3600, "rejected");
    mount_token(&server, &token, 3600, None).await;
    mount_graph(&server, &token, 401).await;
    let entra = client(&server);
    let error = entra.synchronization_job_count(SP).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert_eq!(requests_to(&server, "POST", TOKEN).await.len(), 2);
    assert_eq!(requests_to(&server, "GET", JOBS).await.len(), 2);
}

#[tokio::test]
async fn the_token_is_renewed_before_it_expires() {
    let server = server().await;
    // 30 s left is inside the 60 s skew: renewed before every call.
    let (first, second) = (jwt(30, "first"), jwt(3600, "second"));
    mount_token(&server, &first, 30, Some(1)).await;
    mount_token(&server, &second, 3600, None).await;
    mount_graph(&server, &first, 200).await;
    mount_graph(&server, &second, 200).await;
    let entra = client(&server);
    entra.synchronization_job_count(SP).await.unwrap();
    entra.synchronization_job_count(SP).await.unwrap();
    entra.synchronization_job_count(SP).await.unwrap();
    assert_eq!(requests_to(&server, "POST", TOKEN).await.len(), 2);
    let graph = requests_to(&server, "GET", JOBS).await;
    assert_eq!(authorization(&graph[0]), format!("Bearer {first}"));
    assert_eq!(authorization(&graph[2]), format!("Bearer {second}"));
}
