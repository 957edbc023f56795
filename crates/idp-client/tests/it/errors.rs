//! Every documented error shape, and bodies that are not JSON, normalized
//! into `idp_client::Error` with the right helpers.

use super::common;

use common::{requests_to, seed, server, unleash, vcf_bearer};
use idp_client::{ClientConfig, Error, RetryPolicy, TransportKind, VcfClient};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

#[tokio::test]
async fn vcf_error_shape_with_causes() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers"))
        .respond_with(json_response(
            400,
            &seed("addExternalIdentityProvider.reference.response-400.json"),
        ))
        .mount(&server)
        .await;
    let spec =
        serde_json::from_str(&seed("addExternalIdentityProvider.adfs.request.json")).unwrap();
    let err = vcf_bearer(&server, "t")
        .add_external_identity_provider(&spec)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.operation(), Some("addExternalIdentityProvider"));
    assert!(!err.is_retryable());
    assert!(err.request_may_have_been_sent());
    let vendor = err.vendor().unwrap();
    assert_eq!(vendor.error_type.as_deref(), Some("string"));
    assert_eq!(vendor.causes.len(), 1);
    assert_eq!(vendor.causes[0].kind.as_deref(), Some("string"));
    assert_eq!(vendor.nested[0].message.as_deref(), Some("Error Object"));
    assert_eq!(vendor.arguments, vec!["string"]);
}

#[tokio::test]
async fn vcf_error_response_shape_with_cause() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(json_response(
            401,
            &seed("getIdentityProviderById.reference.response-401.json"),
        ))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .get_identity_provider("p1")
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    assert!(!err.is_not_found() && !err.is_forbidden());
    let vendor = err.vendor().unwrap();
    assert_eq!(vendor.causes.len(), 1);
    assert_eq!(vendor.message.as_deref(), Some("string"));
    assert_eq!(vendor.remediation.as_deref(), Some("string"));
    assert_eq!(vendor.reference_token.as_deref(), Some("string"));
    // A bearer token cannot be renewed: the 401 is final, sent once.
    assert_eq!(
        requests_to(&server, "GET", "/v1/identity-providers/p1")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn vcf9_error_with_label_remediation_url_and_notifications() {
    let server = server().await;
    let body = serde_json::json!({
        "errorCode": "IDP_NOT_FOUND",
        "message": "Identity provider p1 not found",
        "remediationMessage": "List the identity providers and use one of their ids",
        "referenceToken": "K3Z5QA",
        "label": "Not found",
        "remediationUrl": "https://docs.example.com/idp",
        "notifications": [{"severity": "INFO", "text": "n"}],
        "nestedErrors": [{"message": "inner problem", "cause": [{"type": "X", "message": "root"}]}],
        "somethingNew": {"a": 1}
    });
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(&body))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .get_identity_provider("p1")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let vendor = err.vendor().unwrap();
    assert_eq!(vendor.label.as_deref(), Some("Not found"));
    assert_eq!(
        vendor.remediation_url.as_deref(),
        Some("https://docs.example.com/idp")
    );
    assert_eq!(vendor.error_code.as_deref(), Some("IDP_NOT_FOUND"));
    assert_eq!(vendor.notifications.len(), 1);
    assert_eq!(vendor.nested[0].causes[0].message.as_deref(), Some("root"));
    let text = err.to_string();
    assert!(text.contains("HTTP 404"), "{text}");
    assert!(
        text.contains("message: Identity provider p1 not found"),
        "{text}"
    );
    assert!(
        text.contains("remediation: List the identity providers"),
        "{text}"
    );
    assert!(text.contains("reference token: K3Z5QA"), "{text}");
    let json = serde_json::to_value(vendor).unwrap();
    assert_eq!(json["referenceToken"], "K3Z5QA");
}

#[tokio::test]
async fn error_bodies_the_generated_type_rejects_are_still_normalized() {
    // `context` as a string and `arguments: null` fail the generated decode.
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(json_response(
            500,
            r#"{"message": "boom", "context": "ui", "arguments": null, "referenceToken": "R1"}"#,
        ))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .get_identity_provider("p1")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.vendor().unwrap().message.as_deref(), Some("boom"));
    assert_eq!(err.vendor().unwrap().reference_token.as_deref(), Some("R1"));
}

#[tokio::test]
async fn undeclared_status_with_vendor_body() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(json_response(
            403,
            r#"{"errorCode": "FORBIDDEN", "message": "no access"}"#,
        ))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap_err();
    assert!(err.is_forbidden());
    assert_eq!(err.vendor().unwrap().message.as_deref(), Some("no access"));
}

#[tokio::test]
async fn html_502_from_a_proxy() {
    let server = server().await;
    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                <body><h1>Bad Gateway</h1><p>nginx</p></body></html>";
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .mount(&server)
        .await;
    let vcf = VcfClient::builder(server.uri())
        .bearer_token("t")
        .config(&ClientConfig::default().with_retry_policy(RetryPolicy::none()))
        .build()
        .unwrap();
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.vendor().is_none());
    // The page's visible text, not its <title>.
    assert_eq!(err.body_snippet(), Some("Bad Gateway nginx"));
    assert!(err.is_retryable());
    assert!(err.to_string().contains("Bad Gateway nginx"), "{err}");
}

#[tokio::test]
async fn non_json_body_on_a_declared_status() {
    // 500 is declared with a JSON schema; the body is text. The status must
    // survive the generated client's failed decode.
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_raw("Internal \u{1b}[31mError\n", "application/json"),
        )
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .get_identity_provider("p1")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    // The escape sequence is removed whole, the line break is a space.
    assert_eq!(err.body_snippet(), Some("Internal Error"));
}

#[tokio::test]
async fn empty_error_bodies() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/p1"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    let err = vcf
        .delete_external_identity_provider("p1")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.vendor().is_none() && err.body_snippet().is_none());
    assert!(err.to_string().contains("(empty body)"), "{err}");
    let err = vcf.get_identity_provider("p1").await.unwrap_err();
    assert!(err.is_not_found());
    assert!(
        err.to_string().contains("no identity provider has this id"),
        "{err}"
    );
}

#[tokio::test]
async fn deeply_nested_error_bodies_do_not_overflow() {
    let server = server().await;
    let depth = 10_000;
    let body = format!(
        "{}{{\"message\":\"leaf\"}}{}",
        "{\"message\":\"m\",\"nestedErrors\":[".repeat(depth),
        "]}".repeat(depth)
    );
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(json_response(500, &body))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    let _ = err.to_string();
    // 60 levels parse; normalization stops at a bounded depth.
    let body = format!(
        "{}{{\"message\":\"leaf\"}}{}",
        "{\"message\":\"m\",\"nestedErrors\":[".repeat(60),
        "]}".repeat(60)
    );
    let vendor = idp_client::fuzzing::vendor_error(body.as_bytes()).unwrap();
    let mut levels = 0;
    let mut cur = &vendor;
    while let Some(next) = cur.nested.first() {
        levels += 1;
        cur = next;
    }
    assert_eq!(levels, 32);
}

#[tokio::test]
async fn unleash_error_shape_and_enterprise_hint() {
    let server = server().await;
    for (route, status, fixture) in [
        (
            "/unleash/api/admin/scim-settings/generate-new-token",
            401,
            "generateScimToken.reference.response-401.json",
        ),
        (
            "/unleash/api/admin/scim-settings",
            403,
            "generateScimToken.reference.response-403.json",
        ),
    ] {
        Mock::given(path(route))
            .respond_with(json_response(status, &seed(fixture)))
            .mount(&server)
            .await;
    }
    let client = unleash(&server, "/unleash", "key");
    let err = client.generate_scim_token().await.unwrap_err();
    assert!(err.is_unauthorized());
    let vendor = err.vendor().unwrap();
    assert_eq!(vendor.name.as_deref(), Some("AuthenticationRequired"));
    assert_eq!(
        vendor.id.as_deref(),
        Some("9c40958a-daac-400e-98fb-3bb438567008")
    );
    assert!(
        vendor
            .message
            .as_deref()
            .unwrap()
            .starts_with("You must log in")
    );
    let err = client.scim_settings().await.unwrap_err();
    assert!(err.is_forbidden());
    assert_eq!(err.vendor().unwrap().name.as_deref(), Some("NoAccessError"));

    // Open source Unleash: 404 on SCIM routes, maybe with an HTML page.
    let oss = self::server().await;
    Mock::given(method("POST"))
        .respond_with(json_response(
            404,
            &seed("generateScimToken.reference.response-404.json"),
        ))
        .mount(&oss)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_raw("<html><title>Not Found</title></html>", "text/html"),
        )
        .mount(&oss)
        .await;
    let client = unleash(&oss, "", "key");
    let err = client.generate_scim_token().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.vendor().unwrap().name.as_deref(), Some("NotFoundError"));
    assert!(err.to_string().contains("Unleash Enterprise"), "{err}");
    let err = client.scim_settings().await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.body_snippet(), Some("Not Found"));
    assert!(err.to_string().contains("Unleash Enterprise"), "{err}");
}

/// A client of a loopback port nothing listens on.
fn client_of_a_closed_port(retry: RetryPolicy) -> VcfClient {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    VcfClient::builder(format!("http://127.0.0.1:{port}"))
        .bearer_token("t")
        .config(&ClientConfig::default().with_retry_policy(retry))
        .build()
        .unwrap()
}

#[tokio::test]
async fn connect_errors_never_left() {
    let vcf = client_of_a_closed_port(common::fast_retries());
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(!err.request_may_have_been_sent());
    assert!(err.status().is_none());
}

#[tokio::test]
async fn a_transport_error_prints_its_own_line_and_keeps_its_causes_in_source() {
    let vcf = client_of_a_closed_port(RetryPolicy::none());
    let err = vcf.list_identity_providers().await.unwrap_err();
    assert_eq!(err.to_string(), "getIdentityProviders: connection failed");
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(source.kind(), TransportKind::Connect);
    assert!(source.is_connect());
    assert!(!source.is_timeout());
    // The HTTP stack's error is reachable only through `source()`, and no
    // line of the chain repeats the one before it (anyhow prints them all).
    let first = std::error::Error::source(&err).expect("a cause");
    assert!(first.to_string().contains("127.0.0.1"), "{first}");
    let mut lines = vec![err.to_string()];
    let mut cause = Some(first);
    while let Some(current) = cause {
        lines.push(current.to_string());
        cause = current.source();
    }
    for pair in lines.windows(2) {
        assert!(!pair[1].contains(&pair[0]), "{lines:?}");
    }
}
