//! Fault injection, in-process and over `/__sim/faults`.

use std::time::Duration;

use idp_sim::{FaultBody, FaultRule, Profile};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn respond_with_a_vendor_error_and_retry_after_then_succeed() {
    let env = start(Profile::Vcf52).await;
    env.sim.faults().add(
        FaultRule::new(Method::GET, "/v1/identity-providers")
            .respond(503)
            .retry_after(2)
            .times(2),
    );
    for _ in 0..2 {
        let response = env.call(Method::GET, "/v1/identity-providers", None).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let (_, body) = json_of(response).await;
        assert_error_response(&body);
        assert_eq!(body["errorCode"], "SERVICE_UNAVAILABLE");
    }
    let response = env.call(Method::GET, "/v1/identity-providers", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(env.sim.faults().list().is_empty());
    let log = env.sim.requests();
    let faults: Vec<_> = log.iter().map(|r| (r.status, r.fault.clone())).collect();
    assert_eq!(
        faults,
        [
            (Some(503), Some("respond".to_owned())),
            (Some(503), Some("respond".to_owned())),
            (Some(200), None)
        ]
    );
}

#[tokio::test]
async fn faults_apply_before_auth_and_the_handler_does_not_run() {
    let env = start(Profile::Vcf52).await;
    env.sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers")
            .respond_html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
    );
    // No token: the fault answers before authentication.
    let response = env
        .http
        .post(env.url("/v1/identity-providers"))
        .json(&adfs_spec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));
    // With a token: still faulted, and no provider is created.
    let response = env
        .call(Method::POST, "/v1/identity-providers", Some(&adfs_spec()))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(env.sim.vcf().identity_provider_count(), 1);
    // Other methods on the route are not affected.
    assert_eq!(env.providers().await.len(), 1);
    env.sim.faults().clear();
    env.add_provider(&adfs_spec()).await;
    assert_eq!(env.sim.vcf().identity_provider_count(), 2);
}

#[tokio::test]
async fn templates_match_one_segment_per_parameter() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    env.sim.faults().add(
        FaultRule::new("*", "/v1/identity-providers/{id}")
            .respond_json(418, json!({"teapot": true})),
    );
    let (status, body) = env
        .call_json(Method::GET, &format!("/v1/identity-providers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::IM_A_TEAPOT);
    assert_eq!(body, json!({"teapot": true}));
    // Neither the list nor the sub-routes match the template.
    assert_eq!(env.providers().await.len(), 2);
    let (status, _) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{id}/sync-client"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // A prefix matches everything below it.
    env.sim.faults().clear();
    env.sim
        .faults()
        .add(FaultRule::new("*", "/v1/identity-providers").respond(500));
    let (status, _) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{id}/sync-client"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _) = env
        .call_json(Method::GET, "/v1/identity-broker/prechecks", None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn dropped_connections_send_no_response() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    let path = format!("/v1/identity-providers/{id}/sync-client");
    env.sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .drop_connection()
            .times(1),
    );
    let error = env
        .http
        .post(env.url(&path))
        .bearer_auth(&env.token)
        .send()
        .await
        .expect_err("no response expected");
    assert!(!error.is_status());
    assert!(error.status().is_none());
    // The handler did not run: no token was generated.
    assert!(env.sim.vcf().sync_client_token(&id).is_none());
    let last = env.sim.requests().pop().unwrap();
    assert_eq!(last.status, None);
    assert_eq!(last.fault.as_deref(), Some("dropConnection"));

    // At the socket level: the connection closes without a byte.
    env.sim
        .faults()
        .add(FaultRule::new("GET", "/v1/identity-broker/prechecks").drop_connection());
    let (status, answer) = raw_call(&env, "GET", "/v1/identity-broker/prechecks").await;
    assert_eq!(status, None);
    assert!(answer.is_empty(), "{answer:?}");
    env.sim.faults().clear();

    // Afterwards everything works.
    let (status, _) = env.call_json(Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(env.sim.vcf().sync_client_token(&id).is_some());
}

#[tokio::test]
async fn truncated_bodies() {
    let env = start(Profile::Vcf52).await;
    env.sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .truncate_body()
            .times(1),
    );
    let response = env.call(Method::GET, "/v1/identity-providers", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(text.starts_with("{\"elements\""), "{text}");
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "cut JSON: {text}"
    );

    env.sim.faults().add(
        FaultRule::new(
            "POST",
            "/unleash/api/admin/scim-settings/generate-new-token",
        )
        .truncate_body_declaring_full_length()
        .times(1),
    );
    let response = env
        .http
        .post(format!(
            "{}/api/admin/scim-settings/generate-new-token",
            env.sim.unleash().url()
        ))
        .header(header::AUTHORIZATION, env.sim.unleash().api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let declared: usize = response.headers()[header::CONTENT_LENGTH]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 0);
    assert!(
        response.bytes().await.is_err(),
        "the body must be incomplete"
    );
    // The handler did not run.
    assert!(env.sim.unleash().scim_token().is_none());
}

#[tokio::test]
async fn delays_then_the_handler_answers() {
    let env = start(Profile::Vcf52).await;
    env.sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .delay(Duration::from_millis(200))
            .times(1),
    );
    let providers = env.providers().await;
    assert_eq!(providers.len(), 1);
    let last = env.sim.requests().pop().unwrap();
    assert_eq!(last.status, Some(200));
    assert_eq!(last.fault.as_deref(), Some("passThrough"));
    // A delayed POST does change state: the handler runs.
    env.sim
        .faults()
        .add(FaultRule::new("POST", "/v1/identity-providers").delay(Duration::from_millis(50)));
    env.add_provider(&adfs_spec()).await;
    assert_eq!(env.sim.vcf().identity_provider_count(), 2);
}

#[tokio::test]
async fn unleash_faults_use_the_unleash_error_shape() {
    let env = start(Profile::Vcf52).await;
    env.sim
        .faults()
        .add(FaultRule::new("*", "/unleash").respond(429).retry_after(1));
    let response = env
        .http
        .get(format!(
            "{}/api/admin/scim-settings",
            env.sim.unleash().url()
        ))
        .header(header::AUTHORIZATION, env.sim.unleash().api_key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    let (status, body) = json_of(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_unleash_error(&body, "TooManyRequests");
    // VCF routes are not affected.
    assert_eq!(env.providers().await.len(), 1);
}

#[tokio::test]
async fn faults_over_the_admin_endpoint() {
    let env = start(Profile::Vcf9).await;
    let faults_url = format!("{}/__sim/faults", env.sim.admin_url());
    let rule = json!({
        "method": "POST",
        "route": "/v1/identity-providers/{id}/identity-sources",
        "action": {"kind": "respond", "status": 503, "body": {"text": "upstream busy"}},
        "retryAfter": 7,
        "times": 1
    });
    let (status, created) =
        json_of(env.http.post(&faults_url).json(&rule).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(created["id"].is_u64());
    let (status, listed) = json_of(env.http.get(&faults_url).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        listed[0]["rule"]["route"],
        "/v1/identity-providers/{id}/identity-sources"
    );
    assert_eq!(listed[0]["id"], created["id"]);

    let sources = format!(
        "/v1/identity-providers/{}/identity-sources",
        env.embedded_id()
    );
    let response = env
        .call(Method::POST, &sources, Some(&source_spec("a.com")))
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[header::RETRY_AFTER], "7");
    assert_eq!(response.text().await.unwrap(), "upstream busy");
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
    let response = env
        .call(Method::POST, &sources, Some(&source_spec("a.com")))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // Drop-connection and delete-one over JSON.
    let (_, created) = json_of(
        env.http
            .post(&faults_url)
            .json(&json!({"route": "/v1/identity-broker/prechecks", "action": {"kind": "dropConnection"}}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        env.call_json_result("/v1/identity-broker/prechecks")
            .await
            .is_err()
    );
    let response = env
        .http
        .delete(format!("{faults_url}/{}", created["id"]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        env.call_json_result("/v1/identity-broker/prechecks")
            .await
            .is_ok()
    );

    // Invalid rules are refused with a reason.
    for bad in [
        json!({"route": "no-slash"}),
        json!({"route": "/x", "action": {"kind": "respond", "status": 99}}),
        json!({"route": "/x", "action": {"kind": "explode"}}),
        json!({"route": "/x", "unknown": 1}),
        json!({"method": "GET"}),
    ] {
        let (status, body) =
            json_of(env.http.post(&faults_url).json(&bad).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(body["error"].is_string());
    }
    let response = env.http.post(&faults_url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Clear.
    env.http
        .post(&faults_url)
        .json(&json!({"route": "*", "action": {"kind": "respond", "status": 500}}))
        .send()
        .await
        .unwrap();
    let response = env.http.delete(&faults_url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(env.sim.faults().list().is_empty());
    assert_eq!(env.providers().await.len(), 1);
}

impl Env {
    async fn call_json_result(&self, path: &str) -> Result<StatusCode, reqwest::Error> {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .map(|r| r.status())
    }
}

#[tokio::test]
async fn raw_and_repeated_bodies() {
    let env = start(Profile::Vcf52).await;
    let faults_url = format!("{}/__sim/faults", env.sim.admin_url());
    // Over JSON: a repeated body, declared length, and one sent chunked.
    for (declare, route) in [(true, "/v1/identity-broker/prechecks"), (false, "/unleash")] {
        let rule = json!({
            "route": route,
            "action": {"kind": "respond", "status": 200,
                       "body": {"repeat": {"chunk": "abc", "bytes": 200_003, "declareLength": declare}}}
        });
        let response = env.http.post(&faults_url).json(&rule).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response = env
        .call(Method::GET, "/v1/identity-broker/prechecks", None)
        .await;
    assert_eq!(response.headers()[header::CONTENT_LENGTH], "200003");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 200_003);
    assert!(body.starts_with(b"abcabc") && body.ends_with(b"abcab"));
    let response = env
        .call(Method::GET, "/unleash/api/admin/scim-settings", None)
        .await;
    assert!(response.headers().get(header::CONTENT_LENGTH).is_none());
    assert_eq!(response.bytes().await.unwrap().len(), 200_003);

    // A raw body with any content type, here JSON too deep to be a value.
    env.sim.faults().clear();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    env.sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers").respond_body(
            500,
            FaultBody::raw("application/problem+json", deep.clone()),
        ),
    );
    let response = env.call(Method::GET, "/v1/identity-providers", None).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(response.text().await.unwrap(), deep);

    // Invalid rules are refused over JSON.
    for body in [
        json!({"repeat": {"chunk": "", "bytes": 10}}),
        json!({"raw": {"contentType": "bad\nvalue", "text": "x"}}),
    ] {
        let rule =
            json!({"route": "/x", "action": {"kind": "respond", "status": 200, "body": body}});
        let response = env.http.post(&faults_url).json(&rule).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
}
