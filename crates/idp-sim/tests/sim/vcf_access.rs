//! The users, roles and SSO domains of the simulated SDDC Manager over
//! HTTP: the vendor's page and error shapes under every profile, SSO
//! domains following providers and sources, the all-or-nothing add, the
//! last ADMIN, faults and the request log.

use idp_sim::{FaultRule, Profile};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

async fn role_id(env: &Env, name: &str) -> String {
    let (status, body) = env.call_json(Method::GET, "/v1/roles", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn user_count(env: &Env) -> usize {
    let (_, body) = env.call_json(Method::GET, "/v1/users", None).await;
    body["elements"].as_array().unwrap().len()
}

#[tokio::test]
async fn pages_of_users_roles_domains_and_entities_under_every_profile() {
    for profile in Profile::ALL {
        let env = start(profile).await;
        let (status, roles) = env.call_json(Method::GET, "/v1/roles", None).await;
        assert_eq!(status, StatusCode::OK);
        let names: Vec<_> = roles["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["ADMIN", "OPERATOR", "VIEWER"], "{profile}");
        for role in roles["elements"].as_array().unwrap() {
            assert!(role["id"].is_string() && role["description"].is_string());
        }

        let (_, users) = env.call_json(Method::GET, "/v1/users", None).await;
        let service = users["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == "svc-automation")
            .unwrap()
            .clone();
        assert_eq!(service["type"], "SERVICE");
        assert_eq!(service["domain"], "vsphere.local");
        assert!(
            service.get("apiKey").is_none(),
            "a listing never shows a key"
        );
        assert!(
            service["creationTimestamp"]
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
        assert_eq!(users["pageMetadata"]["totalElements"], 2);
        let (_, ui) = env.call_json(Method::GET, "/v1/users/ui", None).await;
        assert_eq!(ui, users);

        let (_, domains) = env.call_json(Method::GET, "/v1/sso-domains", None).await;
        assert_eq!(
            domains["elements"],
            json!(["vsphere.local", "embedded-ids.com"])
        );
        let (_, found) = env
            .call_json(
                Method::GET,
                "/v1/sso-domains/embedded-ids.com/entities?entityName=ADM",
                None,
            )
            .await;
        assert_eq!(
            found["elements"],
            json!([{"id": "vcf-admins@embedded-ids.com", "name": "vcf-admins", "type": "GROUP"}])
        );
        // No SSO domain, no principals (the vendor declares no 404 here).
        let (status, body) = env
            .call_json(Method::GET, "/v1/sso-domains/nowhere.test/entities", None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["elements"], json!([]));
        env.sim.shutdown().await;
    }
}

#[tokio::test]
async fn sso_domains_follow_the_federated_directory_and_the_sources() {
    let env = start(Profile::Vcf9).await;
    env.add_provider(&okta_spec()).await;
    let response = env
        .call(
            Method::POST,
            &format!(
                "/v1/identity-providers/{}/identity-sources",
                env.embedded_id()
            ),
            Some(&source_spec("corp.example.com")),
        )
        .await;
    assert!(response.status().is_success(), "{}", response.status());
    let (_, domains) = env.call_json(Method::GET, "/v1/sso-domains", None).await;
    let domains: Vec<String> = serde_json::from_value(domains["elements"].clone()).unwrap();
    assert_eq!(domains, env.sim.vcf().sso_domains());
    assert!(
        domains.contains(&"corp.example.com".to_owned()),
        "{domains:?}"
    );
    assert!(
        domains.len() >= 4,
        "the federated directory's domains: {domains:?}"
    );
    env.sim.shutdown().await;
}

#[tokio::test]
async fn add_users_is_all_or_nothing_with_the_vendor_error_body() {
    let env = start(Profile::Vcf9).await;
    let admin = role_id(&env, "ADMIN").await;
    let before = user_count(&env).await;
    let good =
        json!({"name": "ops", "domain": "embedded-ids.com", "type": "USER", "role": {"id": admin}});
    let cases: Vec<(Value, &str)> = vec![
        (
            json!([good, {"name": "nobody", "domain": "embedded-ids.com", "type": "GROUP", "role": {"id": admin}}]),
            "USER_NOT_FOUND_IN_SSO",
        ),
        (
            json!([good, {"name": "vcf-admins", "domain": "embedded-ids.com", "type": "GROUP", "role": {"id": "no-such-role"}}]),
            "ROLE_NOT_FOUND",
        ),
        (json!([good, good]), "USER_ALREADY_EXISTS"),
        (
            json!([{"name": "administrator", "domain": "vsphere.local", "type": "USER", "role": {"id": admin}}]),
            "USER_ALREADY_EXISTS",
        ),
        (
            json!([{"name": "ops", "domain": "embedded-ids.com", "type": "ROBOT", "role": {"id": admin}}]),
            "INVALID_FIELD_VALUE",
        ),
        (
            json!([{"name": "ops", "type": "USER", "role": {"id": admin}}]),
            "FIELD_REQUIRED",
        ),
        (json!({"name": "ops"}), "MALFORMED_REQUEST_BODY"),
        (json!([]), "MALFORMED_REQUEST_BODY"),
    ];
    for (body, code) in cases {
        let (status, error) = env.call_json(Method::POST, "/v1/users", Some(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
        assert_error_response(&error);
        assert_eq!(error["errorCode"], code, "{body}: {error}");
        assert_eq!(user_count(&env).await, before, "{body}: nothing added");
    }
    let service = json!({"name": "ci", "type": "SERVICE", "role": {"id": admin}});
    let (status, added) = env
        .call_json(Method::POST, "/v1/users", Some(&json!([good, service])))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let elements = added["elements"].as_array().unwrap();
    assert_eq!(elements.len(), 2);
    assert!(elements[0].get("apiKey").is_none());
    assert_eq!(elements[1]["domain"], "vsphere.local");
    assert_eq!(
        elements[1]["apiKey"].as_str(),
        env.sim.vcf().service_user_key("ci").as_deref()
    );
    assert_eq!(user_count(&env).await, before + 2);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn remove_answers_404_in_the_error_shape_and_keeps_the_last_admin() {
    let env = start(Profile::Vcf52).await;
    let (status, body) = env.call_json(Method::DELETE, "/v1/users/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);
    let (_, users) = env.call_json(Method::GET, "/v1/users", None).await;
    let ids: Vec<String> = users["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    let response = env
        .call(Method::DELETE, &format!("/v1/users/{}", ids[1]), None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (status, body) = env
        .call_json(Method::DELETE, &format!("/v1/users/{}", ids[0]), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_error_shape(&body);
    assert_eq!(body["errorCode"], "LAST_ADMIN_USER");
    assert_eq!(user_count(&env).await, 1);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn faults_the_request_log_and_the_admin_route_for_principals() {
    let env = start(Profile::Vcf9).await;
    env.sim
        .faults()
        .add(FaultRule::new("POST", "/v1/users").respond(503));
    let admin = role_id(&env, "ADMIN").await;
    let response = env
        .call(
            Method::POST,
            "/v1/users",
            Some(&json!([{"name": "ci", "type": "SERVICE", "role": {"id": admin}}])),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(env.sim.vcf().service_user_key("ci").is_none());
    env.sim.faults().clear();
    let logged = env.sim.requests();
    let post = logged.iter().find(|r| r.path == "/v1/users").unwrap();
    assert_eq!(post.fault.as_deref(), Some("respond"));
    assert_eq!(post.status, Some(503));

    // Unauthenticated: 401 before anything.
    let response = http().get(env.url("/v1/users")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let add = |body: Value| {
        http()
            .post(format!("{}/__sim/vcf/principals", env.sim.admin_url()))
            .json(&body)
            .send()
    };
    let created = add(json!({"domain": "embedded-ids.com", "name": "auditors", "type": "group"}))
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let again = add(json!({"domain": "embedded-ids.com", "name": "AUDITORS", "type": "GROUP"}))
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    let bad = add(json!({"domain": "embedded-ids.com", "name": "x", "type": "ROBOT"}))
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let (_, found) = env
        .call_json(
            Method::GET,
            "/v1/sso-domains/embedded-ids.com/entities?entityName=audit",
            None,
        )
        .await;
    assert_eq!(found["elements"][0]["type"], "GROUP");
    env.sim.shutdown().await;
}
