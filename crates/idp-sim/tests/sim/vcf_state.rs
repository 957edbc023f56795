//! State transitions of the VCF Identity Providers API.

use idp_sim::Profile;
use reqwest::{Method, StatusCode, header};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn starts_with_the_documented_embedded_provider() {
    let env = start(Profile::Vcf52).await;
    let providers = env.providers().await;
    assert_eq!(providers.len(), 1);
    let embedded = &providers[0];
    assert_eq!(embedded["name"], "Embedded IDP");
    assert_eq!(embedded["type"], "Embedded");
    assert_eq!(embedded["status"], "active");
    assert_eq!(embedded["id"], env.embedded_id());
    let sources = embedded["identitySources"].as_array().unwrap();
    let names: Vec<_> = sources
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["vsphere.local", "localos", "embedded-ids-name"]);
    let types: Vec<_> = sources
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["SystemDomain", "LocalOs", "ActiveDirectory"]);
    assert_eq!(sources[0]["domainNames"], json!(["vsphere.local"]));
    assert!(sources[0].get("ldap").is_none());
    let ldap = &sources[2]["ldap"];
    assert_eq!(sources[2]["domainNames"], json!(["embedded-ids.com"]));
    assert_eq!(ldap["type"], "ActiveDirectory");
    assert_eq!(ldap["domainName"], "embedded-ids.com");
    assert_eq!(ldap["domainAlias"], "embedded-ids");
    assert_eq!(ldap["sourceDetails"]["usersBaseDn"], "users-base-dn");
    assert_eq!(ldap["sourceDetails"]["groupsBaseDn"], "groups-base-dn");
    assert_eq!(ldap["sourceDetails"]["certChain"], json!([]));
    assert_eq!(
        ldap["sourceDetails"]["serverEndpoints"],
        json!(["ldap://dns01.domain.com", "ldap://dns02.domain.com"])
    );
    assert!(ldap.get("password").is_none());

    let (status, body) = env
        .call_json(Method::GET, "/v1/identity-broker/prechecks", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "SUCCESS"}));
}

#[tokio::test]
async fn external_provider_flips_status_and_only_one_is_allowed() {
    let env = start(Profile::Vcf52).await;
    let response = env
        .call(Method::POST, "/v1/identity-providers", Some(&adfs_spec()))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let id = response.text().await.unwrap();
    assert_eq!(id.len(), 36, "a bare, unquoted id: {id:?}");
    assert_eq!(env.sim.vcf().identity_provider_count(), 2);

    let providers = env.providers().await;
    assert_eq!(providers[0]["type"], "Embedded");
    assert_eq!(providers[0]["status"], "inactive");
    let adfs = &providers[1];
    assert_eq!(adfs["id"], id.as_str());
    assert_eq!(adfs["status"], "active");
    assert_eq!(adfs["name"], "My ADFS");
    assert_eq!(adfs["type"], "Microsoft ADFS");
    assert_eq!(adfs["domainNames"], json!(["external-idp.com"]));
    assert_eq!(adfs["ldap"]["type"], "Oidc");
    assert_eq!(adfs["ldap"]["domainName"], "external-idp.com");
    assert_eq!(adfs["ldap"]["domainAlias"], "external-idp");
    assert_eq!(adfs["ldap"]["username"], "admin@external-idp.com");
    assert!(adfs["ldap"]["sourceDetails"].get("certChain").is_none());
    assert_eq!(
        adfs["ldap"]["sourceDetails"]["usersBaseDn"],
        "users-base-dn"
    );
    assert_eq!(
        adfs["oidc"],
        json!({
            "clientId": "dfd8b7d7-63e1-41e6-b0c0-bec38d7c3c5d",
            "discoveryEndpoint": "https://domain.com/.well-known/openid-configuration"
        })
    );
    let (status, one) = env
        .call_json(Method::GET, &format!("/v1/identity-providers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&one, adfs);
    let text = serde_json::to_string(&providers).unwrap();
    assert!(!text.contains("xxxxxxxxx"), "password echoed: {text}");
    assert!(
        !text.contains("c35b6043-13f6-4ec6-b1b2-02f9492ff603"),
        "secret echoed"
    );
    assert!(!text.contains("password") && !text.contains("clientSecret"));

    // A second external provider is refused, with the Error shape.
    let (status, body) = env
        .call_json(Method::POST, "/v1/identity-providers", Some(&okta_spec()))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    assert_eq!(env.sim.vcf().identity_provider_count(), 2);

    // Deleting it makes the embedded provider active again.
    let response = env
        .call(
            Method::DELETE,
            &format!("/v1/identity-providers/{id}"),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.text().await.unwrap().is_empty());
    let providers = env.providers().await;
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0]["status"], "active");
    let (status, body) = env
        .call_json(Method::GET, &format!("/v1/identity-providers/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);

    // And another external provider can now be added.
    env.add_provider(&okta_spec()).await;
    assert_eq!(env.providers().await[0]["status"], "inactive");
}

#[tokio::test]
async fn federated_provider_looks_like_the_documented_okta_example() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
    assert_eq!(okta["id"], id.as_str());
    assert_eq!(okta["status"], "active");
    assert_eq!(okta["name"], "okta");
    let fed = &okta["fedIdp"];
    assert_eq!(fed["name"], "okta");
    assert_eq!(fed["source"], "Okta");
    assert_eq!(fed["directoryList"]["name"], "okta_dir");
    assert_eq!(fed["directoryList"]["defaultDomain"], "domain1.com");
    assert_eq!(
        fed["directoryList"]["domains"],
        json!(["domain1.com", "domain2.com"])
    );
    assert_eq!(fed["directoryList"]["federatedIdpSourceType"], "OKTA");
    assert_eq!(
        fed["oidcInfo"]["clientId"],
        "5c7c57d7-54dc-4d58-ad92-7fa717604cda"
    );
    assert_eq!(
        fed["oidcInfo"]["discoveryEndpoint"],
        "https://domain.com/.well-known/openid-configuration"
    );
    assert!(fed["oidcInfo"].get("clientSecret").is_none());
    assert_eq!(fed["syncClientTokenTTL"], json!(500000));
    assert!(fed.get("syncClientTokenInfo").is_none());

    let (status, token) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{id}/sync-client"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let token_text = token["token"].as_str().unwrap();
    assert_eq!(token_text.split('.').count(), 3);
    let scim_url = token["scimUrl"].as_str().unwrap();
    // The simulator's own SCIM endpoint, in its scheme.
    assert_eq!(scim_url, env.url("/usergroup/t/CUSTOMER/scim/v2"));

    let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
    let info = &okta["fedIdp"]["syncClientTokenInfo"];
    assert_eq!(info["expireAt"], token["expireAt"]);
    assert_eq!(info["scimUrl"], scim_url);
    assert!(info.get("token").is_none());
    let text = okta.to_string();
    assert!(!text.contains(token_text), "the token is never listed");
    assert!(!text.contains("4e139ec1-46e0-4f21-a806-9af7fe359896"));
}

#[tokio::test]
async fn external_providers_can_be_updated_but_not_the_embedded_one() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&adfs_spec()).await;
    let mut spec = adfs_spec();
    spec["name"] = json!("Renamed ADFS");
    spec["oidc"]["clientId"] = json!("b2d3bf4d-f688-47c0-8f34-26fc5d158759");
    let response = env
        .call(
            Method::PATCH,
            &format!("/v1/identity-providers/{id}"),
            Some(&spec),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let (_, adfs) = env
        .call_json(Method::GET, &format!("/v1/identity-providers/{id}"), None)
        .await;
    assert_eq!(adfs["name"], "Renamed ADFS");
    assert_eq!(
        adfs["oidc"]["clientId"],
        "b2d3bf4d-f688-47c0-8f34-26fc5d158759"
    );

    // The type cannot change.
    let (status, body) = env
        .call_json(
            Method::PATCH,
            &format!("/v1/identity-providers/{id}"),
            Some(&okta_spec()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);

    // The embedded provider cannot be updated or deleted.
    let embedded = env.embedded_id();
    let (status, body) = env
        .call_json(
            Method::PATCH,
            &format!("/v1/identity-providers/{embedded}"),
            Some(&adfs_spec()),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    let (status, body) = env
        .call_json(
            Method::DELETE,
            &format!("/v1/identity-providers/{embedded}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    assert_eq!(env.sim.vcf().identity_provider_count(), 2);

    // Federated update: the sync token survives, the TTL changes.
    env.call(
        Method::DELETE,
        &format!("/v1/identity-providers/{id}"),
        None,
    )
    .await;
    let id = env.add_provider(&okta_spec()).await;
    env.call(
        Method::POST,
        &format!("/v1/identity-providers/{id}/sync-client"),
        None,
    )
    .await;
    let mut spec = okta_spec();
    spec["fedIdpSpec"]["syncClientTokenTTL"] = json!(7200);
    spec["fedIdpSpec"]["oidcSpec"]["clientId"] = json!("35001985-962b-4418-9c77-06724926feb6");
    let response = env
        .call(
            Method::PATCH,
            &format!("/v1/identity-providers/{id}"),
            Some(&spec),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
    assert_eq!(okta["fedIdp"]["syncClientTokenTTL"], json!(7200));
    assert_eq!(
        okta["fedIdp"]["oidcInfo"]["clientId"],
        "35001985-962b-4418-9c77-06724926feb6"
    );
    assert!(okta["fedIdp"].get("syncClientTokenInfo").is_some());
    assert!(env.sim.vcf().sync_client_token(&id).is_some());
}

#[tokio::test]
async fn identity_sources_are_added_updated_and_deleted() {
    let env = start(Profile::Vcf52).await;
    let eid = env.embedded_id();
    let sources = format!("/v1/identity-providers/{eid}/identity-sources");

    let response = env
        .call(
            Method::POST,
            &sources,
            Some(&source_spec("corp.example.com")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(
        response.text().await.unwrap(),
        "Added Identity source with domain name corp.example.com successfully"
    );
    assert_eq!(env.sim.vcf().identity_source_count(), 4);
    let embedded = env.provider_by_type("Embedded").await;
    let added = &embedded["identitySources"][3];
    assert_eq!(added["name"], "Source corp.example.com");
    assert_eq!(added["type"], "ActiveDirectory");
    assert_eq!(added["domainNames"], json!(["corp.example.com"]));
    assert_eq!(added["ldap"]["domainName"], "corp.example.com");
    assert!(added["ldap"].get("password").is_none());

    // Duplicate domain (any case).
    let (status, body) = env
        .call_json(
            Method::POST,
            &sources,
            Some(&source_spec("CORP.example.com")),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("corp.example.com")
    );
    assert_eq!(env.sim.vcf().identity_source_count(), 4);

    // Update.
    let mut spec = source_spec("corp.example.com");
    spec["ldap"]["type"] = json!("openldap");
    spec["ldap"]["username"] = json!("binder@corp.example.com");
    let response = env
        .call(
            Method::PATCH,
            &format!("{sources}/corp.example.com"),
            Some(&spec),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let embedded = env.provider_by_type("Embedded").await;
    assert_eq!(embedded["identitySources"][3]["type"], "OpenLdap");
    assert_eq!(
        embedded["identitySources"][3]["ldap"]["username"],
        "binder@corp.example.com"
    );

    // Update with a body naming another domain.
    let (status, body) = env
        .call_json(
            Method::PATCH,
            &format!("{sources}/corp.example.com"),
            Some(&source_spec("other.com")),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("ldap.domainName")
    );

    // Unknown domain.
    let (status, body) = env
        .call_json(
            Method::PATCH,
            &format!("{sources}/nowhere.com"),
            Some(&source_spec("nowhere.com")),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);

    // Built-in sources stay.
    let (status, _) = env
        .call_json(Method::DELETE, &format!("{sources}/vsphere.local"), None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Delete, twice.
    let response = env
        .call(Method::DELETE, &format!("{sources}/corp.example.com"), None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
    let (status, body) = env
        .call_json(Method::DELETE, &format!("{sources}/corp.example.com"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);

    // Sources belong to the embedded provider only.
    let external = env.add_provider(&adfs_spec()).await;
    let (status, body) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{external}/identity-sources"),
            Some(&source_spec("x.com")),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_shape(&body);
    let (status, body) = env
        .call_json(
            Method::POST,
            "/v1/identity-providers/00000000-0000-4000-8000-000000000000/identity-sources",
            Some(&source_spec("x.com")),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_shape(&body);
}

#[tokio::test]
async fn a_new_sync_client_token_invalidates_the_previous_one() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    let path = format!("/v1/identity-providers/{id}/sync-client");
    let (_, first) = env.call_json(Method::POST, &path, None).await;
    assert_eq!(
        env.sim.vcf().sync_client_token(&id).as_deref(),
        first["token"].as_str()
    );
    let (_, second) = env.call_json(Method::POST, &path, None).await;
    assert_ne!(first["token"], second["token"]);
    assert_eq!(
        env.sim.vcf().sync_client_token(&id).as_deref(),
        second["token"].as_str()
    );

    // Only federated providers have sync clients.
    let (status, body) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{}/sync-client", env.embedded_id()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_response(&body);
    env.call(
        Method::DELETE,
        &format!("/v1/identity-providers/{id}"),
        None,
    )
    .await;
    let adfs = env.add_provider(&adfs_spec()).await;
    let (status, body) = env
        .call_json(
            Method::POST,
            &format!("/v1/identity-providers/{adfs}/sync-client"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error_response(&body);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("FEDERATED_IDP_BROKER")
    );
    let (status, body) = env.call_json(Method::POST, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error_response(&body);
}

#[tokio::test]
async fn path_parameters_are_single_decoded_segments() {
    let env = start(Profile::Vcf52).await;
    let eid = env.embedded_id();
    // `%2F` inside a domain does not split the path: it is one (unknown) domain.
    let response = env
        .call(
            Method::DELETE,
            &format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids.com%2Fx"),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (_, body) = json_of(response).await;
    assert_error_shape(&body);
    assert_eq!(env.sim.vcf().identity_source_count(), 3);
    // A percent-encoded domain that decodes to an existing one matches it.
    let response = env
        .call(
            Method::DELETE,
            &format!("/v1/identity-providers/{eid}/identity-sources/embedded-ids%2Ecom"),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(env.sim.vcf().identity_source_count(), 2);

    for id in ["%2E%2E", "%00", "%C3%A9", "%FF", "a%2Fb", "%0D%0A"] {
        let (status, body) = env
            .call_json(Method::GET, &format!("/v1/identity-providers/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{id}");
        assert_error_response(&body);
    }
    // Raw dot segments are not normalized into another route.
    for (method, path) in [
        ("GET", "/v1/identity-providers/../tokens".to_owned()),
        ("GET", "/v1/identity-providers/..".to_owned()),
        ("GET", "/v1/identity-providers/%2E%2E".to_owned()),
        (
            "DELETE",
            format!("/v1/identity-providers/{eid}/identity-sources/%2E%2E"),
        ),
        (
            "DELETE",
            format!("/v1/identity-providers/{eid}/identity-sources/../../../tokens"),
        ),
        (
            "DELETE",
            format!("/v1/identity-providers/{eid}/identity-sources/.."),
        ),
        (
            "DELETE",
            format!("/v1/identity-providers/{eid}/identity-sources/vsphere.local/.."),
        ),
    ] {
        let (status, answer) = raw_call(&env, method, &path).await;
        assert_eq!(status, Some(404), "{path}: {answer}");
        assert!(answer.contains("errorCode"), "{answer}");
    }
    assert_eq!(env.sim.vcf().identity_source_count(), 2);
}

#[tokio::test]
async fn a_sync_client_token_expiry_can_be_set_for_tests() {
    let env = start(Profile::Vcf52).await;
    let id = env.add_provider(&okta_spec()).await;
    let when = chrono::DateTime::parse_from_rfc3339("2030-01-02T03:04:05Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert!(
        !env.sim.vcf().set_sync_client_token_expiry(&id, when),
        "no token yet"
    );
    assert!(
        !env.sim
            .vcf()
            .set_sync_client_token_expiry("no-such-id", when)
    );
    env.call(
        Method::POST,
        &format!("/v1/identity-providers/{id}/sync-client"),
        None,
    )
    .await;
    let token = env.sim.vcf().sync_client_token(&id);
    assert!(env.sim.vcf().set_sync_client_token_expiry(&id, when));
    let okta = env.provider_by_type("FEDERATED_IDP_BROKER").await;
    assert_eq!(
        okta["fedIdp"]["syncClientTokenInfo"]["expireAt"],
        "2030-01-02T03:04:05.000Z"
    );
    assert_eq!(
        env.sim.vcf().sync_client_token(&id),
        token,
        "the same token"
    );
}
