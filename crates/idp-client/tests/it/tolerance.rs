//! The tolerant reader: what real servers send beyond the documents.

use super::common;

use std::time::Duration;

use common::{requests_to, server, unleash, vcf_bearer};
use idp_client::IdentityProviderSpec;
use idp_client::{Error, FederatedSource, IdentitySourceSpecBuilder, ProviderKind, Status};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

async fn list_with(body: serde_json::Value) -> Vec<idp_client::IdentityProvider> {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    vcf_bearer(&server, "t")
        .list_identity_providers()
        .await
        .unwrap()
}

#[tokio::test]
async fn status_in_any_case() {
    let providers = list_with(json!({"elements": [
        {"id": "1", "status": "ACTIVE"},
        {"id": "2", "status": "active"},
        {"id": "3", "status": "Inactive"},
        {"id": "4", "status": "DEGRADED"},
        {"id": "5"}
    ]}))
    .await;
    let statuses: Vec<_> = providers.iter().map(|p| p.status.clone()).collect();
    assert_eq!(
        statuses,
        vec![
            Some(Status::Active),
            Some(Status::Active),
            Some(Status::Inactive),
            Some(Status::Other("DEGRADED".into())),
            None
        ]
    );
    let json = serde_json::to_value(&providers[0]).unwrap();
    assert_eq!(json["status"], "active");
    assert_eq!(
        serde_json::to_value(&providers[3]).unwrap()["status"],
        "DEGRADED"
    );
}

#[tokio::test]
async fn ttl_as_number_or_string_and_unknown_values() {
    let providers = list_with(json!({"elements": [
        {"id": "1", "type": "FEDERATED_IDP_BROKER", "fedIdp": {"source": "OKTA", "syncClientTokenTTL": 500000}},
        {"id": "2", "type": "federated_idp_broker", "fedIdp": {"source": "AZURE", "syncClientTokenTTL": "86400"}},
        {"id": "3", "fedIdp": {"source": "PING_FEDERATE", "syncClientTokenTTL": "ACTIVE"}},
        {"id": "4", "type": "SAML_FEDERATION", "fedIdp": {"source": "Keycloak"}},
        {"id": "5", "type": "FEDERATED_IDP_BROKER", "fedIdp": {"directoryList": {"federatedIdpSourceType": "MICROSOFT_ENTRA_ID"}}}
    ]}))
    .await;
    let ttl = |i: usize| providers[i].fed_idp.as_ref().unwrap().sync_client_token_ttl;
    let source = |i: usize| providers[i].fed_idp.as_ref().unwrap().source.clone();
    assert_eq!(ttl(0), Some(Duration::from_secs(500_000)));
    assert_eq!(ttl(1), Some(Duration::from_secs(86_400)));
    assert_eq!(ttl(2), None);
    assert_eq!(source(0), Some(FederatedSource::Okta));
    assert_eq!(source(1), Some(FederatedSource::EntraId));
    assert_eq!(source(2), Some(FederatedSource::PingFederate));
    assert_eq!(source(3), Some(FederatedSource::Other("Keycloak".into())));
    assert_eq!(source(4), Some(FederatedSource::EntraId));
    assert_eq!(providers[1].kind, ProviderKind::FederatedBroker);
    // No type, but a federation: a broker.
    assert_eq!(providers[2].kind, ProviderKind::FederatedBroker);
    assert_eq!(
        providers[3].kind,
        ProviderKind::Other("SAML_FEDERATION".into())
    );
    assert_eq!(providers[3].raw_type.as_deref(), Some("SAML_FEDERATION"));
}

#[tokio::test]
async fn unknown_fields_at_every_level_and_nulls() {
    let providers = list_with(json!({
        "elements": [{
            "id": 42,
            "name": "Embedded IDP",
            "type": "Embedded",
            "status": null,
            "domainNames": null,
            "new1": {"x": [1, 2]},
            "identitySources": [null, {
                "name": "ad", "type": "ActiveDirectory", "domainNames": null, "new2": true,
                "ldap": {"type": "ActiveDirectory", "new3": 1, "sourceDetails": {
                    "certChain": null, "serverEndpoints": null, "new4": "x", "usersBaseDn": null
                }}
            }],
            "ldap": null,
            "oidc": {"clientId": "c", "new5": [], "authMethod": "SOMETHING_NEW"},
            "fedIdp": {"new6": 1, "directoryList": {"domains": null, "new7": {}},
                       "syncClientTokenInfo": {"expireAt": null, "expireIn": null, "new8": 0}}
        }],
        "pageMetadata": {"totalElements": 1}
    }))
    .await;
    let p = &providers[0];
    assert_eq!(p.id, "42");
    assert_eq!(p.status, None);
    assert!(p.domain_names.is_empty());
    assert_eq!(p.identity_sources.len(), 1);
    let details = p.identity_sources[0]
        .ldap
        .as_ref()
        .unwrap()
        .source_details
        .as_ref()
        .unwrap();
    assert!(details.cert_chain.is_empty() && details.server_endpoints.is_empty());
    assert_eq!(
        p.oidc.as_ref().unwrap().auth_method.as_deref(),
        Some("SOMETHING_NEW")
    );
    let fed = p.fed_idp.as_ref().unwrap();
    assert_eq!(
        fed.sync_client_token_info.as_ref().unwrap().expires_at,
        None
    );
}

#[tokio::test]
async fn null_element_list_and_empty_bodies() {
    assert!(list_with(json!({"elements": null})).await.is_empty());
    assert!(list_with(json!({})).await.is_empty());
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    assert!(
        vcf_bearer(&server, "t")
            .list_identity_providers()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn undecodable_success_bodies_name_the_path() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": [{"id": "1"}, {"id": {"a": "secret-ish"}, "identitySources": [{"ldap": {"sourceDetails": {"serverEndpoints": {"a": "secret-ish"}}}}]}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-broker/prechecks"))
        .respond_with(text(200, "<html>maintenance</html>"))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    let err = vcf.list_identity_providers().await.unwrap_err();
    match &err {
        Error::Decode {
            operation,
            path,
            status,
            ..
        } => {
            assert_eq!(*operation, "getIdentityProviders");
            // An unreadable optional field is left out; an unreadable id
            // fails the page.
            assert_eq!(path, "elements[1].id");
            assert_eq!(status.map(|s| s.as_u16()), Some(200));
        }
        other => panic!("{other:?}"),
    }
    assert!(!err.to_string().contains("secret-ish"));
    let err = vcf.identity_broker_prechecks().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("not JSON"), "{err}");
}

async fn sync_token_with(body: serde_json::Value) -> idp_client::SyncClientToken {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p/sync-client"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    vcf_bearer(&server, "t")
        .generate_sync_client_token("p", None)
        .await
        .unwrap()
}

#[tokio::test]
async fn expire_at_expire_in_and_both() {
    let at = sync_token_with(json!({"token": "x", "expireAt": "2023-10-02T16:18:42.681Z"})).await;
    assert_eq!(at.expires_at.unwrap().timestamp_millis(), 1_696_263_522_681);
    let epoch_in = sync_token_with(json!({"token": "x", "expireIn": 1_696_263_522})).await;
    assert_eq!(epoch_in.expires_at.unwrap().timestamp(), 1_696_263_522);
    let epoch_in_text = sync_token_with(json!({"token": "x", "expireIn": "1696263522"})).await;
    assert_eq!(epoch_in_text.expires_at.unwrap().timestamp(), 1_696_263_522);
    let before = chrono::Utc::now();
    let relative = sync_token_with(json!({"token": "x", "expireIn": 3600})).await;
    let after = chrono::Utc::now();
    let expires = relative.expires_at.unwrap();
    assert!(expires >= before + chrono::Duration::seconds(3600));
    assert!(expires <= after + chrono::Duration::seconds(3600));
    let both = sync_token_with(
        json!({"token": "x", "expireAt": "2030-01-01T00:00:00Z", "expireIn": 1_696_263_522}),
    )
    .await;
    assert_eq!(
        both.expires_at.unwrap().to_rfc3339(),
        "2030-01-01T00:00:00+00:00"
    );
    let at_epoch = sync_token_with(json!({"token": "x", "expireAt": 1_900_000_000})).await;
    assert_eq!(at_epoch.expires_at.unwrap().timestamp(), 1_900_000_000);
    let at_epoch_text =
        sync_token_with(json!({"token": "x", "expireAt": "1900000000", "extra": {"a": 1}})).await;
    assert_eq!(at_epoch_text.expires_at.unwrap().timestamp(), 1_900_000_000);
    let neither = sync_token_with(json!({"token": "x", "scimUrl": null})).await;
    assert_eq!(neither.expires_at, None);
    assert_eq!(neither.scim_url, None);
}

#[tokio::test]
async fn sync_token_without_a_token_is_a_decode_error() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p/sync-client"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"scimUrl": "https://x"})))
        .mount(&server)
        .await;
    let err = vcf_bearer(&server, "t")
        .generate_sync_client_token("p", None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode { ref path, .. } if path == "token"),
        "{err:?}"
    );
}

fn okta_spec() -> IdentityProviderSpec {
    serde_json::from_value(idp_testkit::okta_spec_json()).unwrap()
}

async fn add_with(server: &MockServer, response: ResponseTemplate) -> Result<String, Error> {
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers"))
        .respond_with(response)
        .mount(server)
        .await;
    vcf_bearer(server, "t")
        .add_external_identity_provider(&okta_spec())
        .await
}

#[tokio::test]
async fn add_answered_with_text_or_quoted_id() {
    let server = server().await;
    assert_eq!(
        add_with(&server, text(201, "abc-123\n")).await.unwrap(),
        "abc-123"
    );
    let server = self::server().await;
    assert_eq!(
        add_with(&server, text(201, "\"abc-456\"")).await.unwrap(),
        "abc-456"
    );
    let server = self::server().await;
    assert_eq!(
        add_with(&server, text(200, "abc-789")).await.unwrap(),
        "abc-789"
    );
}

#[tokio::test]
async fn add_answered_without_a_body_finds_the_provider_by_name() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": [
            {"id": "embedded-1", "name": "Embedded IDP", "type": "Embedded"},
            {"id": "new-okta-id", "name": "Okta", "type": "FEDERATED_IDP_BROKER", "fedIdp": {"name": "OKTA"}}
        ]})))
        .mount(&server)
        .await;
    // The spec's name is "okta": found without regard to case.
    assert_eq!(
        add_with(&server, ResponseTemplate::new(201)).await.unwrap(),
        "new-okta-id"
    );
    assert_eq!(
        requests_to(&server, "POST", "/v1/identity-providers")
            .await
            .len(),
        1
    );

    let server = self::server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"elements": [
                {"id": "embedded-1", "name": "Embedded IDP", "type": "Embedded"}
            ]})),
        )
        .mount(&server)
        .await;
    let err = add_with(&server, ResponseTemplate::new(204))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::IdUnknown { ref name, .. } if name == "okta"),
        "{err:?}"
    );
    assert!(err.to_string().contains("WAS created"), "{err}");
}

#[tokio::test]
async fn no_content_where_created_was_documented_and_the_reverse() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/e1/identity-sources"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/identity-providers/e1/identity-sources/d.com"))
        .respond_with(text(201, "Updated identity source successfully"))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/identity-providers/e1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "ok"})))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    let spec = IdentitySourceSpecBuilder::open_ldap("src")
        .domain_name("d.com")
        .bind_username("cn=admin,dc=d,dc=com")
        .bind_password("pw")
        .users_base_dn("ou=users,dc=d,dc=com")
        .groups_base_dn("ou=groups,dc=d,dc=com")
        .server_endpoint("ldap://ldap.d.com")
        .build()
        .unwrap();
    vcf.add_embedded_identity_source("e1", &spec).await.unwrap();
    vcf.update_embedded_identity_source("e1", "d.com", &spec)
        .await
        .unwrap();
    vcf.delete_external_identity_provider("e1").await.unwrap();
}

#[tokio::test]
async fn unleash_tolerance() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/api/admin/scim-settings"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"enabled": "true", "hasToken": null, "extra": 1})),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/admin/scim-settings"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"enabled": false})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/admin/scim-settings/generate-new-token"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"token": "tok", "createdAt": "now"})),
        )
        .mount(&server)
        .await;
    let client = unleash(&server, "/api/", "key");
    let settings = client.scim_settings().await.unwrap();
    assert!(settings.enabled);
    assert!(!settings.has_token);
    client.set_scim_settings(false).await.unwrap();
    assert_eq!(
        client.generate_scim_token().await.unwrap().token.expose(),
        "tok"
    );
}
