//! The retry policy in action: GET (and the writes the client marks
//! idempotent: Okta's connection POST, Graph's secrets PUT) retried on
//! transient failures, other POSTs never, PATCH and DELETE only when the
//! request never left.

use super::common;

use std::time::{Duration, SystemTime};

use common::{fast_retries, requests_to, server, vcf_bearer};
use idp_client::{ClientConfig, VcfClient};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn get_is_retried_after_503_with_retry_after() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": [{"id": "x"}]})))
        .mount(&server)
        .await;
    // The policy caps Retry-After at 20 ms, keeping the test fast.
    let providers = vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap();
    assert_eq!(providers[0].id, "x");
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        2
    );
}

#[tokio::test]
async fn get_retries_are_bounded() {
    let server = server().await;
    for status in [429, 502, 504] {
        Mock::given(method("GET"))
            .and(path(format!("/v1/identity-providers/s{status}")))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
    }
    let vcf = VcfClient::builder(server.uri())
        .bearer_token("t")
        .config(&ClientConfig::default().with_retry_policy(fast_retries().with_max_attempts(4)))
        .build()
        .unwrap();
    for status in [429, 502, 504] {
        let err = vcf
            .get_identity_provider(&format!("s{status}"))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let sent = requests_to(&server, "GET", &format!("/v1/identity-providers/s{status}")).await;
        assert_eq!(sent.len(), 4, "status {status}");
    }
}

#[tokio::test]
async fn non_transient_failures_are_not_retried() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = server().await;
    let in_two_minutes = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p/sync-client"))
        .respond_with(
            ResponseTemplate::new(503).insert_header("retry-after", in_two_minutes.as_str()),
        )
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .generate_sync_client_token("p", None)
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    // The HTTP-date Retry-After is read (about two minutes from now).
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
        "{wait:?}"
    );
    assert_eq!(
        requests_to(&server, "POST", "/v1/identity-providers/p/sync-client")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn patch_and_delete_are_not_retried_once_sent() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/identity-providers/p"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/identity-providers/p/identity-sources/d"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    let err = vcf
        .delete_external_identity_provider("p")
        .await
        .unwrap_err();
    assert!(err.request_may_have_been_sent());
    assert_eq!(
        requests_to(&server, "DELETE", "/v1/identity-providers/p")
            .await
            .len(),
        1
    );
    let spec = serde_json::from_str(&common::seed(
        "updateEmbeddedIdentitySource.activeDirectory.request.json",
    ))
    .unwrap();
    vcf.update_embedded_identity_source("p", "d", &spec)
        .await
        .unwrap_err();
    assert_eq!(
        requests_to(
            &server,
            "PATCH",
            "/v1/identity-providers/p/identity-sources/d"
        )
        .await
        .len(),
        1
    );
}

// The computed delays are checked in `runtime::retry`'s unit tests (the
// delay is crate-private).

#[test]
fn retry_after_parsing() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
    assert_eq!(
        idp_client::fuzzing::retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        idp_client::fuzzing::retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now),
        Some(Duration::from_secs(60))
    );
    assert_eq!(
        idp_client::fuzzing::retry_after("Tue, 20 Oct 2015 07:28:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(
        idp_client::fuzzing::retry_after(" 5 ", now),
        Some(Duration::from_secs(5))
    );
    assert_eq!(idp_client::fuzzing::retry_after("-1", now), None);
    assert_eq!(idp_client::fuzzing::retry_after("later", now), None);
}

#[tokio::test]
async fn timeouts_are_retried_for_get_only() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p/sync-client"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let vcf = VcfClient::builder(server.uri())
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .request_timeout(Duration::from_millis(100))
                .retry_policy(fast_retries())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(idp_client::TransportKind::Timeout),
        "{err:?}"
    );
    assert!(err.request_may_have_been_sent());
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers")
            .await
            .len(),
        3
    );
    let err = vcf.generate_sync_client_token("p", None).await.unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(idp_client::TransportKind::Timeout)
    );
    assert_eq!(
        requests_to(&server, "POST", "/v1/identity-providers/p/sync-client")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn idempotent_vendor_writes_are_retried_on_transient_failures_only() {
    const APP: &str = "0oa1gjh63g214q0Hq0g4";
    let connection = format!("/api/v1/apps/{APP}/connections/default");
    let server = server().await;
    // Okta's connection POST and Graph's secrets PUT: two transient
    // failures, then success; the policy's three attempts suffice.
    for (verb, route) in [("POST", connection.as_str()), ("PUT", SECRETS)] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path(connection.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"profile": {"authScheme": "TOKEN"}, "status": "ENABLED", "baseUrl": "https://scim"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(SECRETS))
        .respond_with(ResponseTemplate::new(204))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/{TENANT}/oauth2/v2.0/token")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t", "expires_in": 3600})),
        )
        .mount(&server)
        .await;
    let okta = idp_client::okta::Client::builder(server.uri())
        .api_token("00token")
        .config(&common::fast_config())
        .build()
        .unwrap();
    let entra = idp_client::entra::Client::builder(TENANT)
        .login_url(server.uri())
        .graph_url(server.uri())
        .client_id("app")
        .client_secret("secret")
        .config(&common::fast_config())
        .build()
        .unwrap();
    let token = idp_client::Secret::new("scim-token");
    okta.set_default_provisioning_connection(APP, "https://scim", &token)
        .await
        .unwrap();
    entra
        .put_synchronization_secrets(SP, "https://scim", &token)
        .await
        .unwrap();
    assert_eq!(requests_to(&server, "POST", &connection).await.len(), 3);
    assert_eq!(requests_to(&server, "PUT", SECRETS).await.len(), 3);

    // Failing every time: three attempts in all; a refusal: one.
    for (status, attempts) in [(503, 3), (400, 1)] {
        server.reset().await;
        Mock::given(method("POST"))
            .and(path(connection.as_str()))
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let error = okta
            .set_default_provisioning_connection(APP, "https://scim", &token)
            .await
            .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            requests_to(&server, "POST", &connection).await.len(),
            attempts,
            "{status}"
        );
    }
}

const TENANT: &str = "contoso.onmicrosoft.com";
const SP: &str = "6b3474d8-233e-463f-b0a3-86433d8ba889";
const SECRETS: &str =
    "/v1.0/servicePrincipals/6b3474d8-233e-463f-b0a3-86433d8ba889/synchronization/secrets";
