//! SCIM 2.0 at the SCIM URLs the simulator hands out: the broker flavour
//! (SDDC Manager's `scimUrl`, the broker's directories) and Unleash's, each
//! opened only by the current token.

use idp_sim::Profile;
use idp_sim::scim::{PushError, ScimFlavour};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

const SCIM_JSON: &str = "application/scim+json";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A SCIM request with a bearer token; the status, content type and body.
async fn scim(
    env: &Env,
    method: Method,
    url: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, String, Value) {
    let mut request = env.http.request(method, url).bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header(header::CONTENT_TYPE, SCIM_JSON)
            .body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    (status, content_type, body)
}

/// A federated provider's new sync client token and SCIM URL.
async fn vcf_sync_token(env: &Env, id: &str) -> (String, String) {
    let (status, token) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{id}/sync-client"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    (
        token["token"].as_str().unwrap().to_owned(),
        token["scimUrl"].as_str().unwrap().to_owned(),
    )
}

async fn unleash_token(env: &Env) -> String {
    let url = format!(
        "{}/api/admin/scim-settings/generate-new-token",
        env.sim.unleash().url()
    );
    let (status, body) = json_of(
        env.http
            .post(url)
            .header(header::AUTHORIZATION, env.sim.unleash().api_key())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    body["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn broker_flavour_behind_the_vcf_scim_url() {
    let env = start(Profile::Vcf9).await;
    let id = env.add_provider(&okta_spec()).await;
    let (token, base) = vcf_sync_token(&env, &id).await;
    assert_eq!(base, env.sim.scim().url(ScimFlavour::Broker));
    let users = format!("{base}/Users");

    // The broker answers 200 (not 201) to a create, in SCIM's media type.
    let (status, content_type, alice) = scim(
        &env,
        Method::POST,
        &users,
        &token,
        Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "alice@example.com", "active": true, "password": "never-shown",
            "name": {"givenName": "Alice"}, "emails": [{"value": "alice@example.com", "type": "work"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{alice}");
    assert_eq!(content_type, SCIM_JSON);
    let alice_id = alice["id"].as_str().unwrap().to_owned();
    assert_eq!(alice["meta"]["location"], format!("{users}/{alice_id}"));
    assert!(alice.get("password").is_none(), "{alice}");
    // 409 for a user that exists (userName is not case-sensitive).
    let (status, _, conflict) = scim(
        &env,
        Method::POST,
        &users,
        &token,
        Some(json!({"userName": "ALICE@example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["scimType"], "uniqueness");
    for name in ["bob", "carol"] {
        let (status, _, _) = scim(
            &env,
            Method::POST,
            &users,
            &token,
            Some(json!({"userName": name})),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }

    // Filter and paging.
    let (_, _, found) = scim(
        &env,
        Method::GET,
        &format!("{users}?filter=userName%20eq%20%22alice%40example.com%22"),
        &token,
        None,
    )
    .await;
    assert_eq!(found["totalResults"], 1);
    assert_eq!(found["Resources"][0]["id"], alice_id.as_str());
    let (_, _, page) = scim(
        &env,
        Method::GET,
        &format!("{users}?startIndex=2&count=1&sortBy=userName"),
        &token,
        None,
    )
    .await;
    assert_eq!(page["totalResults"], 3);
    assert_eq!(page["itemsPerPage"], 1);
    assert_eq!(page["startIndex"], 2);
    assert_eq!(page["Resources"][0]["userName"], "bob");
    // POST /Users/.search, as the broker's reference lists it.
    let (status, _, searched) = scim(
        &env,
        Method::POST,
        &format!("{users}/.search"),
        &token,
        Some(
            json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": "userName sw \"c\"", "attributes": ["userName"]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{searched}");
    assert_eq!(searched["totalResults"], 1);
    assert_eq!(
        searched["Resources"][0],
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "id": searched["Resources"][0]["id"], "userName": "carol"})
    );
    let (status, _, bad) = scim(
        &env,
        Method::GET,
        &format!("{users}?filter=userName%20zz%20%22x%22"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["scimType"], "invalidFilter");

    // PATCH add, replace, remove.
    let (status, _, patched) = scim(
        &env,
        Method::PATCH,
        &format!("{users}/{alice_id}"),
        &token,
        Some(json!({"schemas": [PATCH], "Operations": [
            {"op": "Add", "path": "title", "value": "Engineer"},
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "remove", "path": "emails[type eq \"work\"]"},
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["title"], "Engineer");
    assert_eq!(patched["active"], false);
    assert!(patched.get("emails").is_none(), "{patched}");

    // Groups, with members, found by displayName.
    let groups = format!("{base}/Groups");
    let (status, _, group) = scim(
        &env,
        Method::POST,
        &groups,
        &token,
        Some(json!({"displayName": "vcf-admins", "members": [{"value": alice_id}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, found) = scim(
        &env,
        Method::GET,
        &format!("{groups}?filter=displayName%20eq%20%22vcf-admins%22"),
        &token,
        None,
    )
    .await;
    assert_eq!(found["Resources"][0]["id"], group["id"]);
    // A hard delete, and the member is gone from the group.
    let (status, _, _) = scim(
        &env,
        Method::DELETE,
        &format!("{users}/{alice_id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = scim(
        &env,
        Method::GET,
        &format!("{users}/{alice_id}"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(env.sim.scim().users().iter().all(|u| u.id != alice_id));
    assert_eq!(env.sim.scim().groups()[0].members, Vec::<String>::new());

    // No discovery endpoints: a SCIM 404.
    let (status, _, missing) = scim(
        &env,
        Method::GET,
        &format!("{base}/ServiceProviderConfig"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing["schemas"],
        json!(["urn:ietf:params:scim:api:messages:2.0:Error"])
    );

    // A new token: the previous one gets 401 at once; the new one opens the
    // same directory.
    let (new_token, _) = vcf_sync_token(&env, &id).await;
    let (status, _, refused) = scim(&env, Method::GET, &users, &token, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused["status"], "401");
    let (status, _, list) = scim(&env, Method::GET, &users, &new_token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["totalResults"], 2);
    // No token, another tenant.
    let response = env.http.get(&users).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let other = users.replace("/t/CUSTOMER/", "/t/OTHER/");
    let (status, _, _) = scim(&env, Method::GET, &other, &new_token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unleash_flavour_soft_deletes_and_has_discovery() {
    let env = start(Profile::Vcf52).await;
    let base = env.sim.scim().url(ScimFlavour::Unleash);
    assert_eq!(base, format!("{}/scim", env.sim.unleash().url()));
    let users = format!("{base}/Users");
    // No token generated yet: nothing opens it.
    let (status, _, _) = scim(&env, Method::GET, &users, "anything", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let token = unleash_token(&env).await;

    let (status, content_type, config) = scim(
        &env,
        Method::GET,
        &format!("{base}/ServiceProviderConfig"),
        &token,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, SCIM_JSON);
    assert_eq!(config["patch"]["supported"], true);
    let (_, _, types) = scim(
        &env,
        Method::GET,
        &format!("{base}/ResourceTypes"),
        &token,
        None,
    )
    .await;
    assert_eq!(types["totalResults"], 2);

    let (status, _, user) = scim(
        &env,
        Method::POST,
        &users,
        &token,
        Some(json!({"userName": "dora@example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = user["id"].as_str().unwrap().to_owned();
    // Deprovisioning is a soft delete: gone from SCIM, kept (inactive).
    let (status, _, _) = scim(&env, Method::DELETE, &format!("{users}/{id}"), &token, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = scim(&env, Method::GET, &format!("{users}/{id}"), &token, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stored = env.sim.scim().users();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].deleted && !stored[0].active);
    assert_eq!(stored[0].directory, "unleash");
    // The name is free again.
    let (status, _, _) = scim(
        &env,
        Method::POST,
        &users,
        &token,
        Some(json!({"userName": "dora@example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    let rotated = unleash_token(&env).await;
    let (status, _, _) = scim(&env, Method::GET, &users, &token, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, list) = scim(&env, Method::GET, &users, &rotated, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["totalResults"], 1);
}

#[tokio::test]
async fn identity_providers_push_with_the_token_they_hold() {
    let env = start(Profile::Vcf9).await;
    let app = env.sim.okta().app_id();
    assert_eq!(
        env.sim.okta().push(&app, "u", "g"),
        Err(PushError::NothingDelivered)
    );
    let id = env.add_provider(&okta_spec()).await;
    let (token, url) = vcf_sync_token(&env, &id).await;
    let pushed = env.sim.scim().push(&url, &token, "erin", "admins").unwrap();
    assert_eq!(pushed.group.members, vec![pushed.user.id.clone()]);
    assert_eq!(pushed.user.directory, format!("vcf:{id}"));
    // Pushing again reuses both.
    let again = env.sim.scim().push(&url, &token, "ERIN", "admins").unwrap();
    assert_eq!(again.user.id, pushed.user.id);
    assert_eq!(env.sim.scim().groups().len(), 1);
    // A rotated-out token and a foreign URL are refused.
    vcf_sync_token(&env, &id).await;
    assert_eq!(
        env.sim.scim().push(&url, &token, "x", "y"),
        Err(PushError::TokenRefused)
    );
    assert!(matches!(
        env.sim
            .scim()
            .push("https://scim.example.com/scim/v2", &token, "x", "y"),
        Err(PushError::NotScimUrl(_))
    ));
}
