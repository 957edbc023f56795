//! What differs between vcf-5.1, vcf-5.2 and vcf-9.

use chrono::{DateTime, Utc};
use idp_sim::Profile;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn token_api_per_profile() {
    for (profile, login_status, quoted) in [
        (Profile::Vcf51, StatusCode::OK, false),
        (Profile::Vcf52, StatusCode::CREATED, true),
        (Profile::Vcf9, StatusCode::CREATED, true),
    ] {
        let env = start(profile).await;
        let response = env
            .http
            .post(env.url("/v1/tokens"))
            .json(&json!({"username": env.sim.vcf().username(), "password": env.sim.vcf().password()}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), login_status, "{profile}");
        let (_, body) = json_of(response).await;
        let refresh = body["refreshToken"]["id"].as_str().unwrap();
        let response = env
            .http
            .patch(env.url("/v1/tokens/access-token/refresh"))
            .json(&refresh)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let text = response.text().await.unwrap();
        assert_eq!(
            text.starts_with('"') && text.ends_with('"'),
            quoted,
            "{profile}: {text}"
        );
        let token = text.trim_matches('"');
        assert_eq!(token.split('.').count(), 3);
        let status = env
            .http
            .get(env.url("/v1/identity-providers"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::OK);
    }
}

fn parse_expire_at(body: &Value) -> DateTime<Utc> {
    let text = body["expireAt"].as_str().unwrap();
    // ISO 8601 with milliseconds and Z, like "2023-10-02T16:18:42.681Z".
    assert_eq!(text.len(), 24, "{text}");
    assert!(text.ends_with('Z') && text.as_bytes()[19] == b'.', "{text}");
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

#[tokio::test]
async fn sync_client_response_and_ttl_per_profile() {
    // 5.1: expireAt only; the TTL comes from the provider spec, the query is ignored.
    let env = start(Profile::Vcf51).await;
    let id = env.add_provider(&okta_spec()).await;
    let before = Utc::now();
    let (status, body) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{id}/sync-client?syncClientTokenTTL=60"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["expireAt", "token", "scimUrl"]);
    let ttl = (parse_expire_at(&body) - before).num_seconds();
    assert!((499_900..=500_000).contains(&ttl), "{ttl}");

    // 5.2 and 9: expireAt and expireIn (epoch seconds of the same instant);
    // the TTL comes from the query.
    for profile in [Profile::Vcf52, Profile::Vcf9] {
        let env = start(profile).await;
        let id = env.add_provider(&okta_spec()).await;
        let before = Utc::now();
        let (status, body) = env
            .call_json(
                Method::POST,
                &format!("/v1/identity-providers/{id}/sync-client?syncClientTokenTTL=3600"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let keys: Vec<_> = body.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            ["expireAt", "expireIn", "token", "scimUrl"],
            "{profile}"
        );
        let expire_at = parse_expire_at(&body);
        assert_eq!(body["expireIn"].as_i64().unwrap(), expire_at.timestamp());
        let ttl = (expire_at - before).num_seconds();
        assert!((3500..=3600).contains(&ttl), "{ttl}");
        let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
        assert_eq!(okta["fedIdp"]["syncClientTokenTTL"], json!(3600));
        // Without the query, the provider's TTL is used.
        let (_, body) = env
            .call_json(
                Method::POST,
                &format!("/v1/identity-providers/{id}/sync-client"),
                None,
            )
            .await;
        let ttl = (parse_expire_at(&body) - before).num_seconds();
        assert!((3500..=3700).contains(&ttl), "{ttl}");
        // A bad TTL (not a number, or beyond int64) is a 400 ErrorResponse.
        for bad in ["soon", "9223372036854775808"] {
            let (status, body) = env
                .call_json(
                    Method::POST,
                    &format!("/v1/identity-providers/{id}/sync-client?syncClientTokenTTL={bad}"),
                    None,
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
            assert_error_response(&body);
            assert!(
                body["message"]
                    .as_str()
                    .unwrap()
                    .contains("syncClientTokenTTL")
            );
        }
    }
}

#[tokio::test]
async fn federated_sources_per_profile() {
    let cases = [
        (Profile::Vcf51, "okta", Some("Okta"), None),
        (Profile::Vcf51, "Microsoft Entra ID", Some("AZURE"), None),
        (Profile::Vcf51, "azure", Some("AZURE"), None),
        (Profile::Vcf51, "ping", None, None),
        (Profile::Vcf52, "okta", Some("Okta"), Some("OKTA")),
        (
            Profile::Vcf52,
            "entra",
            Some("MICROSOFT_ENTRA_ID"),
            Some("MICROSOFT_ENTRA_ID"),
        ),
        (
            Profile::Vcf52,
            "PingFederate",
            Some("PING_FEDERATE"),
            Some("PING_FEDERATE"),
        ),
        (
            Profile::Vcf9,
            "azure",
            Some("MICROSOFT_ENTRA_ID"),
            Some("MICROSOFT_ENTRA_ID"),
        ),
    ];
    for (profile, name, source, source_type) in cases {
        let env = start(profile).await;
        let spec = federated_spec(name);
        let response = env
            .call(Method::POST, "/v1/identity-providers", Some(&spec))
            .await;
        match source {
            None => {
                assert_eq!(
                    response.status(),
                    StatusCode::BAD_REQUEST,
                    "{profile} {name}"
                );
                let (_, body) = json_of(response).await;
                assert_error_shape(&body);
            }
            Some(source) => {
                assert_eq!(response.status(), StatusCode::CREATED, "{profile} {name}");
                let fed = env.provider_by_type("FEDERATED_IDP_BROKER").await["fedIdp"].clone();
                assert_eq!(fed["source"], source, "{profile} {name}");
                assert_eq!(fed["name"], name);
                assert_eq!(
                    fed["directoryList"]
                        .get("federatedIdpSourceType")
                        .and_then(Value::as_str),
                    source_type,
                    "{profile} {name}"
                );
            }
        }
    }
    // An explicit federatedIdpSourceType wins over the name.
    let env = start(Profile::Vcf52).await;
    let mut spec = federated_spec("corporate-sso");
    spec["fedIdpSpec"]["directory"]["federatedIdpSourceType"] = json!("PING_FEDERATE");
    env.add_provider(&spec).await;
    let fed = env.provider_by_type("FEDERATED_IDP_BROKER").await["fedIdp"].clone();
    assert_eq!(fed["source"], "PING_FEDERATE");
}

#[tokio::test]
async fn add_responses_per_profile() {
    for profile in [Profile::Vcf51, Profile::Vcf52] {
        let env = start(profile).await;
        let sources = format!(
            "/v1/identity-providers/{}/identity-sources",
            env.embedded_id()
        );
        let response = env
            .call(Method::POST, &sources, Some(&source_spec("a.com")))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(
            response.text().await.unwrap(),
            "Added Identity source with domain name a.com successfully"
        );
        let response = env
            .call(Method::POST, "/v1/identity-providers", Some(&adfs_spec()))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let id = response.text().await.unwrap();
        assert_eq!(Some(id), env.sim.vcf().external_provider_id());
    }
    let env = start(Profile::Vcf9).await;
    let sources = format!(
        "/v1/identity-providers/{}/identity-sources",
        env.embedded_id()
    );
    let response = env
        .call(Method::POST, &sources, Some(&source_spec("a.com")))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    assert_eq!(env.sim.vcf().identity_source_count(), 4);
    let response = env
        .call(Method::POST, "/v1/identity-providers", Some(&adfs_spec()))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(response.text().await.unwrap().is_empty());
    // Found by name.
    let found = env
        .providers()
        .await
        .into_iter()
        .find(|p| p["name"] == "My ADFS")
        .unwrap();
    assert_eq!(found["status"], "active");
}

#[tokio::test]
async fn vcf9_error_bodies_carry_more_fields() {
    for profile in Profile::ALL {
        let env = start(profile).await;
        let (_, not_found) = env
            .call_json(Method::GET, "/v1/identity-providers/missing", None)
            .await;
        let (_, invalid) = env
            .call_json(
                Method::POST,
                "/v1/identity-providers",
                Some(&json!({"type": "x"})),
            )
            .await;
        assert_error_response(&not_found);
        assert_error_shape(&invalid);
        for body in [&not_found, &invalid] {
            for field in ["label", "remediationUrl", "notifications"] {
                assert_eq!(
                    body.get(field).is_some(),
                    matches!(profile, Profile::Vcf9 | Profile::Vcf91),
                    "{profile} {field}"
                );
            }
        }
    }
}

#[tokio::test]
async fn status_is_lowercase_everywhere() {
    for profile in Profile::ALL {
        let env = start(profile).await;
        env.add_provider(&okta_spec()).await;
        let statuses: Vec<Value> = env
            .providers()
            .await
            .iter()
            .map(|p| p["status"].clone())
            .collect();
        assert_eq!(statuses, [json!("inactive"), json!("active")], "{profile}");
        let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
        assert!(okta["fedIdp"]["syncClientTokenTTL"].is_u64());
    }
}
