//! The Unleash SCIM settings API.

use idp_sim::{Profile, SimConfig, UnleashEdition};
use reqwest::{StatusCode, header};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn scim_settings_and_token_rotation() {
    let env = start(Profile::Vcf52).await;
    let base = env.sim.unleash().url();
    let key = env.sim.unleash().api_key().to_owned();
    let settings = format!("{base}/api/admin/scim-settings");
    let generate = format!("{settings}/generate-new-token");

    let (status, body) = json_of(
        env.http
            .get(&settings)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"enabled": false, "hasToken": false}));

    let (status, first) = json_of(
        env.http
            .post(&generate)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first = first["token"].as_str().unwrap().to_owned();
    assert!(!first.is_empty());
    assert_eq!(
        env.sim.unleash().scim_token().as_deref(),
        Some(first.as_str())
    );
    let (_, second) = json_of(
        env.http
            .post(&generate)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let second = second["token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(
        env.sim.unleash().scim_token().as_deref(),
        Some(second.as_str())
    );

    let (status, body) = json_of(
        env.http
            .post(&settings)
            .header(header::AUTHORIZATION, &key)
            .json(&json!({"enabled": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"enabled": true, "hasToken": true}));
    assert!(env.sim.unleash().scim_enabled());
    let (_, body) = json_of(
        env.http
            .get(&settings)
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(body, json!({"enabled": true, "hasToken": true}));

    // Validation.
    for (content_type, body, name, needle) in [
        ("application/json", "{}", "BadDataError", "enabled"),
        (
            "application/json",
            "{\"enabled\": \"yes\"}",
            "BadDataError",
            "enabled",
        ),
        (
            "application/json",
            "{\"enabled\": tru",
            "BadDataError",
            "JSON",
        ),
        (
            "text/plain",
            "{\"enabled\": true}",
            "ContentTypeError",
            "content-type",
        ),
    ] {
        let (status, value) = json_of(
            env.http
                .post(&settings)
                .header(header::AUTHORIZATION, &key)
                .header(header::CONTENT_TYPE, content_type)
                .body(body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        let expected = if name == "ContentTypeError" {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_eq!(status, expected, "{body}");
        assert_unleash_error(&value, name);
        assert!(
            value["message"].as_str().unwrap().contains(needle),
            "{value}"
        );
    }
    assert!(env.sim.unleash().scim_enabled());

    // Unknown Unleash routes.
    let (status, body) = json_of(
        env.http
            .get(format!("{base}/api/admin/nothing"))
            .header(header::AUTHORIZATION, &key)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_unleash_error(&body, "NotFoundError");
}

#[tokio::test]
async fn unleash_authentication() {
    let env = start_with(
        SimConfig::builder()
            .unleash_api_key("*:*.admin-key")
            .unleash_read_only_key("*:development.read-only"),
    )
    .await;
    let generate = format!(
        "{}/api/admin/scim-settings/generate-new-token",
        env.sim.unleash().url()
    );
    // As the real server answers (see the conformance scenarios): an unknown
    // key is `UnauthorizedError`, a key that is not an admin key a bare
    // `{message}`.
    let cases = [
        (
            None,
            StatusCode::UNAUTHORIZED,
            Some("AuthenticationRequired"),
        ),
        (
            Some("wrong"),
            StatusCode::UNAUTHORIZED,
            Some("UnauthorizedError"),
        ),
        (
            Some("Bearer *:*.admin-key"),
            StatusCode::UNAUTHORIZED,
            Some("UnauthorizedError"),
        ),
        (Some("*:development.read-only"), StatusCode::FORBIDDEN, None),
    ];
    for (authorization, status, name) in cases {
        let mut request = env.http.post(&generate);
        if let Some(value) = authorization {
            request = request.header(header::AUTHORIZATION, value);
        }
        let (got, body) = json_of(request.send().await.unwrap()).await;
        assert_eq!(got, status, "{authorization:?}");
        match name {
            Some(name) => assert_unleash_error(&body, name),
            None => assert_eq!(
                body,
                json!({"message": "invalid token: expected a different token type for this endpoint"})
            ),
        }
    }
    let (_, body) = json_of(env.http.post(&generate).send().await.unwrap()).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("You must log in to use Unleash.")
    );
    assert!(env.sim.unleash().scim_token().is_none());
    let response = env
        .http
        .post(&generate)
        .header(header::AUTHORIZATION, "*:*.admin-key")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Newer servers accept the Bearer prefix.
    let env = start_with(
        SimConfig::builder()
            .unleash_api_key("k1")
            .unleash_accepts_bearer(true),
    )
    .await;
    let generate = format!(
        "{}/api/admin/scim-settings/generate-new-token",
        env.sim.unleash().url()
    );
    for authorization in ["Bearer k1", "k1"] {
        let response = env
            .http
            .post(&generate)
            .header(header::AUTHORIZATION, authorization)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{authorization}");
    }
}

#[tokio::test]
async fn open_source_has_no_scim() {
    let env = start_with(SimConfig::builder().unleash_edition(UnleashEdition::OpenSource)).await;
    let key = env.sim.unleash().api_key().to_owned();
    for path in [
        "/api/admin/scim-settings",
        "/api/admin/scim-settings/generate-new-token",
    ] {
        let (status, body) = json_of(
            env.http
                .post(format!("{}{path}", env.sim.unleash().url()))
                .header(header::AUTHORIZATION, &key)
                .json(&json!({"enabled": true}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_unleash_error(&body, "NotFoundError");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("The path you were looking for")
        );
    }
}
