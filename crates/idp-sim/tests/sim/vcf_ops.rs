//! VCF Operations 9.1 (profile `vcf-9.1`): the `OpsToken`, the state
//! behind the IAM routes, tasks, and what other profiles answer.

use idp_sim::{FaultRule, Profile, REDACTED};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

const IAM: &str = "/suite-api/api/fleet-management/iam";

async fn acquire(env: &Env, password: &str) -> (StatusCode, Value) {
    let ops = env.sim.vcf_ops();
    let response = env
        .http
        .post(env.url("/suite-api/api/auth/token/acquire"))
        .json(&json!({"username": ops.username(), "password": password}))
        .send()
        .await
        .unwrap();
    json_of(response).await
}

/// A request with `Authorization: OpsToken <token>`.
async fn ops_call(
    env: &Env,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut request = env
        .http
        .request(method, env.url(path))
        .header(header::AUTHORIZATION, format!("OpsToken {token}"));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn oidc(realm: &str) -> Value {
    json!({
        "name": "Okta", "ssoRealmId": realm, "idpType": "OKTA", "idpProtocol": "OIDC",
        "provisionType": "SCIM",
        "idpConfig": {"oidcConfiguration": {"clientId": "c", "clientSecret": "oidc-secret",
            "discoveryEndpoint": "https://okta.example.com/.well-known/openid-configuration"}},
        "directories": [{"name": "d", "domains": ["example.com"]}],
    })
}

#[tokio::test]
async fn an_opstoken_is_acquired_extended_and_released() {
    let env = start(Profile::Vcf91).await;
    let password = env.sim.vcf_ops().password();
    let (status, wrong) = acquire(&env, "wrong").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong["httpStatusCode"], 401);
    assert!(wrong["message"].as_str().is_some());

    let (status, token) = acquire(&env, &password).await;
    assert_eq!(status, StatusCode::OK);
    let value = token["token"].as_str().unwrap().to_owned();
    let validity = token["validity"].as_i64().unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let hours = (validity - now) as f64 / 3_600_000.0;
    assert!((5.9..=6.0).contains(&hours), "{hours}");
    assert!(token["expiresAt"].as_str().unwrap().ends_with("UTC"));
    assert_eq!(env.sim.vcf_ops().ops_token_count(), 1);

    let (status, realms) =
        ops_call(&env, &value, Method::GET, &format!("{IAM}/ssorealms"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        realms["ssoRealms"][0]["id"],
        env.sim.vcf_ops().realm_id().as_str()
    );
    // The request log never holds the token.
    let logged = env.sim.requests();
    assert!(
        logged
            .iter()
            .all(|r| r.header("authorization").is_none_or(|v| v == REDACTED))
    );

    let (status, _) = ops_call(
        &env,
        &value,
        Method::POST,
        "/suite-api/api/auth/token/release",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(env.sim.vcf_ops().ops_token_count(), 0);
    let (status, _) = ops_call(&env, &value, Method::GET, &format!("{IAM}/ssorealms"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An expired token is refused; a bearer token of the VCF SSO is taken.
    let (_, again) = acquire(&env, &password).await;
    env.sim.vcf_ops().expire_ops_tokens();
    let again = again["token"].as_str().unwrap();
    let (status, _) = ops_call(&env, again, Method::GET, &format!("{IAM}/ssorealms"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = env
        .call_json(Method::GET, &format!("{IAM}/ssorealms"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn only_the_vcf_9_1_profile_serves_vcf_operations() {
    for profile in [Profile::Vcf51, Profile::Vcf52, Profile::Vcf9] {
        let env = start(profile).await;
        let (status, body) = acquire(&env, &env.sim.vcf_ops().password()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{profile}");
        // SDDC Manager's 404, as a server without VCF Operations answers.
        assert!(body.get("httpStatusCode").is_none(), "{profile}: {body}");
        assert!(!env.sim.vcf_ops().served());
    }
    let env = start(Profile::Vcf91).await;
    assert!(env.sim.vcf_ops().served());
    // SDDC Manager 9 is served beside it.
    let (status, _) = env
        .call_json(Method::GET, "/v1/identity-providers", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = env
        .call_json(Method::GET, "/suite-api/api/unknown", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["httpStatusCode"], 404);
}

#[tokio::test]
async fn a_realm_has_one_provider_deleted_by_a_task() {
    let env = start(Profile::Vcf91).await;
    let realm = env.sim.vcf_ops().realm_id();
    let path = format!("{IAM}/identity-providers");
    let (status, idp) = env
        .call_json(Method::POST, &path, Some(&oidc(&realm)))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(
        idp.pointer("/idpConfig/oidcConfiguration/clientSecret")
            .is_none()
    );
    assert!(idp["directories"][0]["id"].as_str().is_some());
    let (status, _) = env
        .call_json(Method::POST, &path, Some(&oidc(&realm)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let mut missing = oidc(&realm);
    missing["idpConfig"]["oidcConfiguration"]["discoveryEndpoint"] = json!("");
    let (status, _) = env.call_json(Method::POST, &path, Some(&missing)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let id = idp["id"].as_str().unwrap();
    env.sim
        .vcf_ops()
        .fail_next_task("1500", "broker unreachable");
    let (status, failing) = env
        .call_json(Method::DELETE, &format!("{path}/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(failing["taskStatus"], "QUEUED");
    let task = format!("{IAM}/tasks/{}", failing["taskId"].as_str().unwrap());
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (_, body) = env.call_json(Method::GET, &task, None).await;
        seen.push(body["taskStatus"].as_str().unwrap().to_owned());
        if body["taskStatus"] == "FAILED" {
            assert_eq!(body["errorDetails"]["errorCode"], "1500");
        }
    }
    assert_eq!(seen, ["IN_PROGRESS", "FAILED", "FAILED"]);
    assert_eq!(env.sim.vcf_ops().identity_provider_ids(), [id]);

    let (_, done) = env
        .call_json(Method::DELETE, &format!("{path}/{id}"), None)
        .await;
    let task = format!("{IAM}/tasks/{}", done["taskId"].as_str().unwrap());
    env.call_json(Method::GET, &task, None).await;
    assert_eq!(env.sim.vcf_ops().identity_provider_ids(), [id]);
    let (_, body) = env.call_json(Method::GET, &task, None).await;
    assert_eq!(body["taskStatus"], "COMPLETED");
    assert!(env.sim.vcf_ops().identity_provider_ids().is_empty());
    let (_, realm_now) = env
        .call_json(Method::GET, &format!("{IAM}/ssorealms/{realm}"), None)
        .await;
    assert!(realm_now.get("idpId").is_none());
}

#[tokio::test]
async fn a_new_sync_client_token_replaces_the_old_one_at_the_scim_endpoint_too() {
    let env = start(Profile::Vcf91).await;
    let realm = env.sim.vcf_ops().realm_id();
    let (_, idp) = env
        .call_json(
            Method::POST,
            &format!("{IAM}/identity-providers"),
            Some(&oidc(&realm)),
        )
        .await;
    let (id, directory) = (
        idp["id"].as_str().unwrap(),
        idp["directories"][0]["id"].as_str().unwrap(),
    );
    let path = format!("{IAM}/identity-providers/{id}/directories/{directory}/sync-client");
    let body = json!({"generateToken": true});
    let (status, first) = env.call_json(Method::POST, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(first["scimClientDetails"]["tokenTtl"], 262_800);
    let first_token = first["accessTokenDetails"]["accessToken"].as_str().unwrap();
    assert_eq!(
        env.sim.vcf_ops().sync_token(id, directory).as_deref(),
        Some(first_token)
    );
    let (_, second) = env.call_json(Method::POST, &path, Some(&body)).await;
    let second_token = second["accessTokenDetails"]["accessToken"]
        .as_str()
        .unwrap();
    assert_ne!(first_token, second_token);
    assert_eq!(
        env.sim.vcf_ops().directory_sync_token(directory).as_deref(),
        Some(second_token)
    );
    assert!(env.sim.vcf_ops().scim_url().starts_with(&env.sim.url()));
    // The SCIM endpoint opens to the directory's current token only.
    let users = format!("{}/Users", env.sim.vcf_ops().scim_url());
    for (token, expected) in [
        (second_token, StatusCode::OK),
        (first_token, StatusCode::UNAUTHORIZED),
    ] {
        let status = env
            .http
            .get(&users)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, expected);
    }
    let (_, read) = env.call_json(Method::GET, &path, None).await;
    assert!(read["scimClientDetails"].get("clientSecret").is_none());
    let (status, _) = env
        .call_json(Method::POST, &path, Some(&json!({"tokenTtl": -1})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_tokens_expire_and_role_assignments_are_checked() {
    let env = start(Profile::Vcf91).await;
    let realm = env.sim.vcf_ops().realm_id();
    let tokens = format!("{IAM}/ssorealms/{realm}/api-tokens");
    let (_, token) = env
        .call_json(Method::POST, &tokens, Some(&json!({"tokenName": "t"})))
        .await;
    let id = token["id"].as_str().unwrap();
    assert_eq!(token["tokenStatus"], "ACTIVE");
    assert!(env.sim.vcf_ops().expire_api_token(&realm, id));
    let (_, read) = env
        .call_json(Method::GET, &format!("{tokens}/{id}"), None)
        .await;
    assert_eq!(read["tokenStatus"], "EXPIRED");
    assert!(read.get("token").is_none());
    let (_, expired) = env
        .call_json(
            Method::POST,
            &format!("{tokens}/query"),
            Some(&json!({"filters": {"tokenStatus": ["EXPIRED"]}})),
        )
        .await;
    assert_eq!(expired["apiTokens"].as_array().unwrap().len(), 1);

    let group = env.sim.vcf_ops().group_id(&realm, "vcf-viewers").unwrap();
    let roles = format!("{IAM}/ssorealms/{realm}/principals/{group}/roles");
    let foreign = json!({"vcfRoleAssignments": [{"roleName": "vcf_viewer",
        "roleScope": {"scopeType": "VCF_INSTANCE", "resources": [{"id": "another-instance"}]}}]});
    let (status, _) = env.call_json(Method::PUT, &roles, Some(&foreign)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let instance = env.sim.vcf_ops().vcf_instance_id(&realm).unwrap();
    let good = json!({"vcfRoleAssignments": [{"roleName": "vcf_viewer",
        "roleScope": {"scopeType": "VCF_INSTANCE", "resources": [{"id": instance}]}}]});
    let response = env.call(Method::PUT, &roles, Some(&good)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().is_empty());
    assert_eq!(env.sim.vcf_ops().role_names(&realm, &group), ["vcf_viewer"]);
    // Paging parameters are required where the vendor says so.
    let (status, _) = env
        .call_json(
            Method::POST,
            &format!("{IAM}/ssorealms/{realm}/groups/query"),
            Some(&json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, page) = env
        .call_json(
            Method::POST,
            &format!("{IAM}/ssorealms/{realm}/groups/query?page=0&pageSize=1"),
            Some(&json!({"filters": "HAS_ROLE"})),
        )
        .await;
    assert_eq!(page["vidbGroups"][0]["groupName"], "vcf-viewers");
    assert_eq!(page["pageInfo"]["totalCount"], 1);
}

#[tokio::test]
async fn faults_apply_to_the_vcf_operations_routes() {
    let env = start(Profile::Vcf91).await;
    env.sim.faults().add(
        FaultRule::new("GET", format!("{IAM}/ssorealms"))
            .respond(503)
            .times(1),
    );
    let (status, _) = env
        .call_json(Method::GET, &format!("{IAM}/ssorealms"), None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = env
        .call_json(Method::GET, &format!("{IAM}/ssorealms"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let faulted: Vec<_> = env
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.fault.is_some())
        .collect();
    assert_eq!(faulted.len(), 1);
}
