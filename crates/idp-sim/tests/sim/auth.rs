//! Access tokens, refresh tokens, revocation, 401 shapes.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use idp_sim::{Profile, SimConfig};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

async fn login(env: &Env) -> (String, String) {
    let (status, body) = json_of(
        env.http
            .post(env.url("/v1/tokens"))
            .json(&json!({"username": env.sim.vcf().username(), "password": env.sim.vcf().password()}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    (
        body["accessToken"].as_str().unwrap().to_owned(),
        body["refreshToken"]["id"].as_str().unwrap().to_owned(),
    )
}

async fn list_with(env: &Env, authorization: Option<&str>) -> (StatusCode, Value) {
    let mut request = env.http.get(env.url("/v1/identity-providers"));
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    json_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn login_issues_jwt_shaped_tokens() {
    let env = start_with(
        SimConfig::builder()
            .vcf_user("admin@local", "VMware1!VMware1!")
            .access_token_lifetime(Duration::from_secs(600)),
    )
    .await;
    assert_eq!(env.sim.vcf().username(), "admin@local");
    assert_eq!(env.sim.vcf().password(), "VMware1!VMware1!");
    let (access, refresh) = login(&env).await;
    assert_eq!(refresh.len(), 36);
    let parts: Vec<&str> = access.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["typ"], "JWT");
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["sub"], "admin@local");
    assert!(claims["jti"].is_string());
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert!((600..=601).contains(&lifetime), "{lifetime}");
    assert!(!URL_SAFE_NO_PAD.decode(parts[2]).unwrap().is_empty());
    let (status, _) = list_with(&env, Some(&format!("Bearer {access}"))).await;
    assert_eq!(status, StatusCode::OK);

    // Wrong credentials.
    let (status, body) = json_of(
        env.http
            .post(env.url("/v1/tokens"))
            .json(&json!({"username": "admin@local", "password": "wrong"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_response(&body);
    assert!(!body.to_string().contains("wrong"));
}

#[tokio::test]
async fn every_provider_route_needs_a_valid_bearer_token() {
    let env = start(Profile::Vcf52).await;
    let cases = [
        (None, "UNAUTHORIZED"),
        (Some("Basic YWRtaW46cGFzcw==".to_owned()), "UNAUTHORIZED"),
        (Some(format!("Bearer {}x", env.token)), "INVALID_TOKEN"),
        (Some("Bearer".to_owned()), "UNAUTHORIZED"),
        (Some(env.token.clone()), "UNAUTHORIZED"),
    ];
    for (authorization, code) in cases {
        let (status, body) = list_with(&env, authorization.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_error_response(&body);
        assert_eq!(body["errorCode"], code);
    }
    let eid = env.embedded_id();
    for (method, path) in [
        (Method::GET, "/v1/identity-broker/prechecks".to_owned()),
        (Method::GET, format!("/v1/identity-providers/{eid}")),
        (Method::POST, "/v1/identity-providers".to_owned()),
        (Method::PATCH, format!("/v1/identity-providers/{eid}")),
        (Method::DELETE, format!("/v1/identity-providers/{eid}")),
        (
            Method::POST,
            format!("/v1/identity-providers/{eid}/identity-sources"),
        ),
        (
            Method::PATCH,
            format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids.com"),
        ),
        (
            Method::DELETE,
            format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids.com"),
        ),
        (
            Method::POST,
            format!("/v1/identity-providers/{eid}/sync-client"),
        ),
    ] {
        let (status, body) = json_of(
            env.http
                .request(method.clone(), env.url(&path))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_error_response(&body);
    }
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
}

#[tokio::test]
async fn access_tokens_expire_and_refresh() {
    let env = start_with(
        SimConfig::builder()
            .profile(Profile::Vcf52)
            .access_token_lifetime(Duration::from_secs(1)),
    )
    .await;
    let (access, refresh) = login(&env).await;
    let (status, _) = list_with(&env, Some(&format!("Bearer {access}"))).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let (status, body) = list_with(&env, Some(&format!("Bearer {access}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_response(&body);
    assert_eq!(body["errorCode"], "TOKEN_EXPIRED");

    // Refresh with the id as a JSON string.
    let response = env
        .http
        .patch(env.url("/v1/tokens/access-token/refresh"))
        .json(&refresh)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let fresh: String = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_ne!(fresh, access);
    let (status, _) = list_with(&env, Some(&format!("Bearer {fresh}"))).await;
    assert_eq!(status, StatusCode::OK);

    // A bare, unquoted id is accepted too.
    let response = env
        .http
        .patch(env.url("/v1/tokens/access-token/refresh"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(refresh.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Unknown refresh ids are refused.
    let (status, body) = json_of(
        env.http
            .patch(env.url("/v1/tokens/access-token/refresh"))
            .json(&"00000000-0000-4000-8000-000000000000")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_response(&body);

    // The helper can expire every token at once.
    let token = env.sim.issue_access_token();
    env.sim.expire_access_tokens();
    let (status, _) = list_with(&env, Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_the_session() {
    let env = start(Profile::Vcf52).await;
    let (access, refresh) = login(&env).await;
    let (other_access, _) = login(&env).await;
    // Logging out needs the access token.
    let (status, body) = json_of(
        env.http
            .delete(env.url("/v1/tokens/refresh-token"))
            .json(&refresh)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error_response(&body);
    let response = env
        .http
        .delete(env.url("/v1/tokens/refresh-token"))
        .bearer_auth(&other_access)
        .json(&refresh)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, body) = list_with(&env, Some(&format!("Bearer {access}"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["errorCode"], "TOKEN_REVOKED");
    let (status, _) = json_of(
        env.http
            .patch(env.url("/v1/tokens/access-token/refresh"))
            .json(&refresh)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Other sessions are unaffected.
    let (status, _) = list_with(&env, Some(&format!("Bearer {other_access}"))).await;
    assert_eq!(status, StatusCode::OK);
    // Unknown ids: 404.
    let (status, body) = json_of(
        env.http
            .delete(env.url("/v1/tokens/refresh-token"))
            .bearer_auth(&other_access)
            .json(&"nope")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);
}
