//! Bad input gets vendor-shaped 4xx errors naming the problem; never a 500.

use idp_sim::{Profile, SimConfig};
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::common::*;

fn remove(spec: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    spec.pointer_mut(parent)
        .unwrap()
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap();
}

#[tokio::test]
async fn missing_fields_are_named() {
    let env = start(Profile::Vcf52).await;
    let cases = [
        (adfs_spec(), "/ldap/password", "ldap.password"),
        (adfs_spec(), "/oidc/clientSecret", "oidc.clientSecret"),
        (
            adfs_spec(),
            "/ldap/sourceDetails/usersBaseDn",
            "ldap.sourceDetails.usersBaseDn",
        ),
        (adfs_spec(), "/name", "name"),
        (adfs_spec(), "/type", "type"),
        (okta_spec(), "/fedIdpSpec/directory", "fedIdpSpec.directory"),
        (
            okta_spec(),
            "/fedIdpSpec/oidcSpec/clientId",
            "fedIdpSpec.oidcSpec.clientId",
        ),
        (
            okta_spec(),
            "/fedIdpSpec/directory/domains",
            "fedIdpSpec.directory.domains",
        ),
    ];
    for (mut spec, pointer, field) in cases {
        remove(&mut spec, pointer);
        let (status, body) = env
            .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}");
        assert_error_shape(&body);
        assert!(
            body["message"].as_str().unwrap().contains(field),
            "{field}: {body}"
        );
        assert_eq!(body["arguments"], json!([field]));
    }
    let eid = env.embedded_id();
    for (pointer, field) in [
        ("/ldap/type", "ldap.type"),
        ("/ldap/domainName", "ldap.domainName"),
        ("/name", "name"),
    ] {
        let mut spec = source_spec("a.com");
        remove(&mut spec, pointer);
        let (status, body) = env
            .call_json(
                Method::POST,
                &format!("/v1/identity-providers/{eid}/identity-sources"),
                Some(&spec),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_error_shape(&body);
        assert!(body["message"].as_str().unwrap().contains(field), "{body}");
    }
    assert_eq!(env.sim.vcf().identity_provider_count(), 1);
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
}

/// An update replaces the whole object (the documents' PATCH examples send
/// every field, secrets included) and servers never return secrets, so an
/// update that leaves a secret out cannot keep the stored one: it is
/// refused, naming the field, and nothing changes. idp-config's
/// `--update-secrets` rule rests on this.
#[tokio::test]
async fn an_update_without_its_secret_is_refused_and_changes_nothing() {
    for profile in Profile::ALL {
        let env = start(profile).await;
        let id = env.add_provider(&okta_spec()).await;
        let before = env.providers().await;
        let mut spec = okta_spec();
        spec["fedIdpSpec"]["directory"]["domains"] = json!(["domain1.com", "domain3.com"]);
        remove(&mut spec, "/fedIdpSpec/oidcSpec/clientSecret");
        let (status, body) = env
            .call_json(
                Method::PATCH,
                &format!("/v1/identity-providers/{id}"),
                Some(&spec),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{profile:?}: {body}");
        assert_eq!(
            body["arguments"],
            json!(["fedIdpSpec.oidcSpec.clientSecret"]),
            "{body}"
        );
        let eid = env.embedded_id();
        let mut source = source_spec("embedded-ids.com");
        source["ldap"]["sourceDetails"]["usersBaseDn"] = json!("ou=changed");
        remove(&mut source, "/ldap/password");
        let (status, body) = env
            .call_json(
                Method::PATCH,
                &format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids.com"),
                Some(&source),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{profile:?}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains("ldap.password"),
            "{body}"
        );
        assert_eq!(env.providers().await, before, "{profile:?}");
    }
}

#[tokio::test]
async fn invalid_values_are_named() {
    let env = start(Profile::Vcf52).await;
    let mut spec = adfs_spec();
    spec["type"] = json!("SAML");
    let (status, body) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("type"));
    spec["type"] = json!("Embedded");
    let (status, _) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut spec = okta_spec();
    spec["fedIdpSpec"]["name"] = json!("keycloak");
    let (status, body) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("fedIdpSpec.name")
    );
    // Not positive, or beyond int64 (found by schemathesis).
    for ttl in [json!(-5), json!(9_223_372_036_854_775_808_u64)] {
        let mut spec = okta_spec();
        spec["fedIdpSpec"]["syncClientTokenTTL"] = ttl;
        let (status, body) = env
            .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("syncClientTokenTTL")
        );
    }
    let mut spec = okta_spec();
    spec["fedIdpSpec"]["directory"]["domains"] = json!("domain1.com");
    let (status, _) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut spec = okta_spec();
    spec["fedIdpSpec"]["directory"]["defaultDomain"] = json!("elsewhere.com");
    let (status, body) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&spec))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"].as_str().unwrap().contains("defaultDomain"));
    // Provider types are case-insensitive.
    let mut spec = adfs_spec();
    spec["type"] = json!("microsoft adfs");
    env.add_provider(&spec).await;

    let eid = env.embedded_id();
    let sources = format!("/v1/identity-providers/{eid}/identity-sources");
    for (pointer, value, field) in [
        ("/ldap/type", json!("Kerberos"), "ldap.type"),
        ("/ldap/domainName", json!("bad/domain"), "ldap.domainName"),
        ("/ldap/domainName", json!("é.com"), "ldap.domainName"),
        (
            "/ldap/sourceDetails/serverEndpoints",
            json!([]),
            "ldap.sourceDetails.serverEndpoints",
        ),
        ("/ldap/username", json!(42), "ldap.username"),
        ("/ldap", json!("ldap"), "ldap"),
    ] {
        let mut spec = source_spec("a.com");
        *spec.pointer_mut(pointer).unwrap() = value;
        let (status, body) = env.call_json(Method::POST, &sources, Some(&spec)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}");
        assert_error_shape(&body);
        assert!(
            body["message"].as_str().unwrap().contains(field),
            "{field}: {body}"
        );
    }
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
}

#[tokio::test]
async fn malformed_bodies_and_wrong_content_types() {
    let env = start(Profile::Vcf52).await;
    let url = env.url("/v1/identity-providers");
    let cases: [(Option<&str>, &str, &str); 6] = [
        (Some("application/json"), "{\"name\": ", "not valid JSON"),
        (Some("application/json"), "", "required"),
        (Some("application/json"), "[1, 2]", "JSON object"),
        (
            Some("text/plain"),
            &adfs_spec().to_string(),
            "application/json",
        ),
        (None, &adfs_spec().to_string(), "application/json"),
        (
            Some("application/x-www-form-urlencoded"),
            "name=x",
            "application/json",
        ),
    ];
    for (content_type, body, needle) in cases {
        let mut request = env
            .http
            .post(&url)
            .bearer_auth(&env.token)
            .body(body.to_owned());
        if let Some(ct) = content_type {
            request = request.header(header::CONTENT_TYPE, ct);
        }
        let (status, value) = json_of(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{content_type:?} {body}");
        assert_error_shape(&value);
        assert!(
            value["message"].as_str().unwrap().contains(needle),
            "{value}"
        );
    }
    // application/json with parameters is fine.
    let response = env
        .http
        .post(&url)
        .bearer_auth(&env.token)
        .header(header::CONTENT_TYPE, "application/json; charset=UTF-8")
        .body(adfs_spec().to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    // The token API too (ErrorResponse shape).
    let (status, body) = json_of(
        env.http
            .post(env.url("/v1/tokens"))
            .json(&json!({"username": "administrator@vsphere.local"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_response(&body);
    assert!(body["message"].as_str().unwrap().contains("password"));
    let (status, body) = json_of(
        env.http
            .post(env.url("/v1/tokens"))
            .header(header::CONTENT_TYPE, "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_response(&body);
}

#[tokio::test]
async fn unknown_ids_routes_and_methods() {
    let env = start(Profile::Vcf52).await;
    let unknown = "/v1/identity-providers/5e6150d7-e85c-47e6-a6ae-3b00ef98478c";
    let (status, body) = env.call_json(Method::GET, unknown, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("5e6150d7-e85c-47e6-a6ae-3b00ef98478c")
    );
    let (status, body) = env
        .call_json(Method::PATCH, unknown, Some(&adfs_spec()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);
    let (status, body) = env.call_json(Method::DELETE, unknown, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);
    let (status, body) = env
        .call_json(Method::POST, &format!("{unknown}/sync-client"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);
    let (status, body) = env.call_json(Method::GET, "/v1/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);
    let (status, body) = env
        .call_json(Method::PUT, "/v1/identity-providers", None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error_response(&body);
}

#[tokio::test]
async fn oversized_bodies_get_a_vendor_413() {
    let env = start_with(SimConfig::builder().max_body_bytes(64 * 1024)).await;
    let big = json!({ "name": "x".repeat(200 * 1024), "type": "ActiveDirectory" });
    let (status, body) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&big))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_response(&body);
    let (status, body) = json_of(
        env.http
            .post(format!(
                "{}/api/admin/scim-settings",
                env.sim.unleash().url()
            ))
            .header(header::AUTHORIZATION, env.sim.unleash().api_key())
            .json(&big)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_unleash_error(&body, "ContentTooLargeError");
    assert_eq!(env.sim.vcf().identity_provider_count(), 1);
    // The default limit is 1 MiB.
    let env = start(Profile::Vcf52).await;
    let big = json!({ "name": "x".repeat(1024 * 1024 + 10) });
    let (status, _) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&big))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn garbage_never_yields_a_server_error() {
    let env = start(Profile::Vcf51).await;
    let eid = env.embedded_id();
    let paths = [
        "/v1/tokens".to_owned(),
        "/v1/tokens/access-token/refresh".to_owned(),
        "/v1/tokens/refresh-token".to_owned(),
        "/v1/identity-providers".to_owned(),
        format!("/v1/identity-providers/{eid}"),
        format!("/v1/identity-providers/{eid}/identity-sources"),
        format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids.com"),
        format!("/v1/identity-providers/{eid}/sync-client?syncClientTokenTTL=-1"),
        "/unleash/api/admin/scim-settings".to_owned(),
        "/unleash/api/admin/scim-settings/generate-new-token".to_owned(),
    ];
    let bodies = [
        "",
        "null",
        "0",
        "\"s\"",
        "[]",
        "{}",
        "{\"type\":null}",
        "{\"type\":1}",
        "{\"type\":\"FEDERATED_IDP_BROKER\",\"fedIdpSpec\":[]}",
        "{\"name\":\"n\",\"ldap\":{\"type\":\"ActiveDirectory\",\"sourceDetails\":7}}",
        "{\"enabled\":\"yes\"}",
        "\u{0}\u{1}",
        "{{{{",
    ];
    let methods = [
        Method::GET,
        Method::POST,
        Method::PATCH,
        Method::DELETE,
        Method::PUT,
    ];
    for path in &paths {
        for body in bodies {
            for method in &methods {
                for content_type in ["application/json", "text/plain"] {
                    let response = env
                        .http
                        .request(method.clone(), env.url(path))
                        .bearer_auth(&env.token)
                        .header(header::CONTENT_TYPE, content_type)
                        .body(body.to_owned())
                        .send()
                        .await
                        .unwrap();
                    let status = response.status();
                    assert!(
                        !status.is_server_error(),
                        "{method} {path} {body:?}: {status}"
                    );
                    let text = response.text().await.unwrap();
                    if status.is_client_error() {
                        let value: Value = serde_json::from_str(&text).unwrap_or_else(|_| {
                            panic!("{method} {path} {body:?}: non-JSON error {text:?}")
                        });
                        assert!(value.is_object());
                    }
                }
            }
        }
    }
}
