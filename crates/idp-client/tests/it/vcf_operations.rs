//! Every VCF operation against the seed payloads of the vendor documents.

use super::common;

use std::time::Duration;

use common::{authorization, requests_to, seed, seed_json, server, vcf_bearer};
use idp_client::{FederatedSource, ProviderKind, Status};
use idp_client::{IdentityProviderSpec, IdentitySourceSpec};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

const TOKEN: &str = "etYWRta-test-token";

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json")
}

#[tokio::test]
async fn list_providers_adfs_seed() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("user-agent", idp_client::USER_AGENT))
        .respond_with(json_response(
            200,
            &seed("getIdentityProviders.adfs.response-200.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let providers = vcf.list_identity_providers().await.unwrap();
    assert_eq!(providers.len(), 2);
    let embedded = &providers[0];
    assert_eq!(embedded.id, "e774bd90-472f-44d0-a015-3ad22b2f7ad9");
    assert_eq!(embedded.kind, ProviderKind::Embedded);
    assert_eq!(embedded.status, Some(Status::Inactive));
    assert_eq!(embedded.identity_sources.len(), 3);
    let ad = &embedded.identity_sources[2];
    assert_eq!(ad.kind, idp_client::IdentitySourceKind::ActiveDirectory);
    let details = ad.ldap.as_ref().unwrap().source_details.as_ref().unwrap();
    assert_eq!(details.server_endpoints.len(), 2);
    let adfs = &providers[1];
    assert_eq!(adfs.kind, ProviderKind::MicrosoftAdfs);
    assert_eq!(adfs.raw_type.as_deref(), Some("Microsoft ADFS"));
    assert!(adfs.is_active());
    assert_eq!(
        adfs.oidc.as_ref().unwrap().client_id.as_deref(),
        Some("4b347f04-836e-48af-83a2-c6365aabbbae")
    );
}

#[tokio::test]
async fn list_providers_okta_seed_and_conveniences() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(json_response(
            200,
            &seed("getIdentityProviders.okta.response-200.json"),
        ))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let providers = vcf.list_identity_providers().await.unwrap();
    let okta = &providers[1];
    assert_eq!(okta.kind, ProviderKind::FederatedBroker);
    let fed = okta.fed_idp.as_ref().unwrap();
    assert_eq!(fed.source, Some(FederatedSource::Okta));
    assert_eq!(
        fed.sync_client_token_ttl,
        Some(Duration::from_secs(500_000))
    );
    let info = fed.sync_client_token_info.as_ref().unwrap();
    assert_eq!(info.expires_at.unwrap().timestamp(), 1_696_263_522);
    assert_eq!(
        info.scim_url.as_deref(),
        Some("https://domain.com/usergroup/t/CUSTOMER/scim/v2")
    );

    // The normalized model serializes with the API's names.
    let json = serde_json::to_value(okta).unwrap();
    assert_eq!(json["status"], "active");
    assert_eq!(json["type"], "FEDERATED_IDP_BROKER");
    assert_eq!(
        json["fedIdp"]["directoryList"]["defaultDomain"],
        "external-okta-idp.com"
    );
    assert_eq!(json["fedIdp"]["syncClientTokenTTL"], 500_000);
    assert_eq!(
        json["fedIdp"]["syncClientTokenInfo"]["expireAt"],
        "2023-10-02T16:18:42.681Z"
    );
    assert_eq!(
        json["fedIdp"]["oidcInfo"]["clientId"],
        "578cbc9f-90c5-4356-9393-3a5bbf8be5f2"
    );

    let found = vcf
        .find_identity_provider_by_name("OKTA")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, "4bb0a1ba-148c-4283-b923-26f426863d49");
    assert!(
        vcf.find_identity_provider_by_name("nope")
            .await
            .unwrap()
            .is_none()
    );
    let embedded = vcf.embedded_identity_provider().await.unwrap().unwrap();
    assert_eq!(embedded.id, "232425f6-90b4-49f2-bcfc-a338446b6a25");
    let active = vcf.active_identity_provider().await.unwrap().unwrap();
    assert_eq!(active.id, "4bb0a1ba-148c-4283-b923-26f426863d49");
}

#[tokio::test]
async fn get_provider_seed() {
    let server = server().await;
    let id = "e9777f11-4d83-4ff2-9d93-a0205863af86";
    Mock::given(method("GET"))
        .and(path(format!("/v1/identity-providers/{id}")))
        .respond_with(json_response(
            200,
            &seed("getIdentityProviderById.adfs.response-200.json"),
        ))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let provider = vcf.get_identity_provider(id).await.unwrap();
    assert_eq!(provider.id, id);
    assert_eq!(provider.domain_names, vec!["external-idp.com"]);
    assert_eq!(
        provider.ldap.as_ref().unwrap().raw_type.as_deref(),
        Some("Oidc")
    );
}

#[tokio::test]
async fn get_provider_reference_template_decodes() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers/x"))
        .respond_with(json_response(
            200,
            &seed("getIdentityProviderById.reference.response-200.json"),
        ))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let provider = vcf.get_identity_provider("x").await.unwrap();
    // "One among: ACTIVE, INACTIVE" is an unknown value: kept, not rejected.
    assert_eq!(
        provider.status,
        Some(Status::Other("One among: ACTIVE, INACTIVE".into()))
    );
    let fed = provider.fed_idp.unwrap();
    assert_eq!(fed.sync_client_token_ttl, None);
    assert!(matches!(fed.source, Some(FederatedSource::Other(_))));
}

#[tokio::test]
async fn add_adfs_provider_seed() {
    let server = server().await;
    let request = seed_json("addExternalIdentityProvider.adfs.request.json");
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers"))
        .and(body_json(&request))
        .respond_with(json_response(
            201,
            &seed("addExternalIdentityProvider.adfs.response-201.txt"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let spec: IdentityProviderSpec = serde_json::from_value(request).unwrap();
    let id = vcf.add_external_identity_provider(&spec).await.unwrap();
    assert_eq!(id, "c4027bb8-3f2e-4646-9ba0-dc3b787cd4f9");
}

#[tokio::test]
async fn add_okta_provider_seed_with_prechecks() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-broker/prechecks"))
        .respond_with(json_response(
            200,
            &seed("getIdentityPrecheckResult.success.response-200.json"),
        ))
        .mount(&server)
        .await;
    let request = seed_json("addExternalIdentityProvider.okta.request.json");
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers"))
        .and(body_json(&request))
        .respond_with(json_response(
            201,
            &seed("addExternalIdentityProvider.okta.response-201.txt"),
        ))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let precheck = vcf.identity_broker_prechecks().await.unwrap();
    assert!(precheck.is_success());
    let spec: IdentityProviderSpec = serde_json::from_value(request).unwrap();
    let id = vcf.add_external_identity_provider(&spec).await.unwrap();
    assert_eq!(id, "5e6150d7-e85c-47e6-a6ae-3b00ef98478c");
}

#[tokio::test]
async fn update_and_delete_provider_seed() {
    let server = server().await;
    for (name, id) in [
        (
            "updateExternalIdentityProvider.adfs.request.json",
            "dc007a32-9361-4acc-853e-384856b492ef",
        ),
        (
            "updateExternalIdentityProvider.okta.request.json",
            "5071a16e-fe62-4b72-b945-264e35b4e3ea",
        ),
    ] {
        let request = seed_json(name);
        Mock::given(method("PATCH"))
            .and(path(format!("/v1/identity-providers/{id}")))
            .and(body_json(&request))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let spec: IdentityProviderSpec = serde_json::from_value(request).unwrap();
        vcf_bearer(&server, TOKEN)
            .update_external_identity_provider(id, &spec)
            .await
            .unwrap();
    }
    let id = "eaefe907-9189-4ac9-acef-d3ccaf090b5a";
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/identity-providers/{id}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    vcf_bearer(&server, TOKEN)
        .delete_external_identity_provider(id)
        .await
        .unwrap();
}

#[tokio::test]
async fn identity_source_operations_seed() {
    let server = server().await;
    let add = seed_json("addEmbeddedIdentitySource.activeDirectory.request.json");
    Mock::given(method("POST"))
        .and(path(
            "/v1/identity-providers/0897cc18-521c-4d30-a18e-75c7a6301f9f/identity-sources",
        ))
        .and(body_json(&add))
        .respond_with(json_response(
            201,
            &seed("addEmbeddedIdentitySource.activeDirectory.response-201.txt"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let update = seed_json("updateEmbeddedIdentitySource.activeDirectory.request.json");
    Mock::given(method("PATCH"))
        .and(path(
            "/v1/identity-providers/af3d5ca9-08e5-449e-aa4d-7f99faf3faf1/identity-sources/embedded-ids.com",
        ))
        .and(body_json(&update))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(
            "/v1/identity-providers/6685e7e0-2a5b-4180-8680-20d2f6ed0221/identity-sources/embedded-ids.com",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let spec: IdentitySourceSpec = serde_json::from_value(add).unwrap();
    vcf.add_embedded_identity_source("0897cc18-521c-4d30-a18e-75c7a6301f9f", &spec)
        .await
        .unwrap();
    let spec: IdentitySourceSpec = serde_json::from_value(update).unwrap();
    vcf.update_embedded_identity_source(
        "af3d5ca9-08e5-449e-aa4d-7f99faf3faf1",
        "embedded-ids.com",
        &spec,
    )
    .await
    .unwrap();
    vcf.delete_identity_source("6685e7e0-2a5b-4180-8680-20d2f6ed0221", "embedded-ids.com")
        .await
        .unwrap();
}

#[tokio::test]
async fn generate_sync_client_token_seed() {
    let server = server().await;
    let id = "1f89843b-ce89-45ef-990e-cd02b8284aeb";
    Mock::given(method("POST"))
        .and(path(format!("/v1/identity-providers/{id}/sync-client")))
        .and(query_param("syncClientTokenTTL", "86400"))
        .respond_with(json_response(
            200,
            &seed("generateSyncClientToken.served.response-200.json"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let token = vcf
        .generate_sync_client_token(id, Some(Duration::from_secs(86_400)))
        .await
        .unwrap();
    assert!(token.token.expose().starts_with("eyJ0eXAiOiJKV1Qi"));
    assert_eq!(
        token.scim_url.as_deref(),
        Some("https://sfo01-m01-vc01.rainpole.io/usergroup/t/tenantType/scim/v2")
    );
    // expireIn 1696263522 is epoch seconds: 2023-10-02T16:18:42Z.
    assert_eq!(token.expires_at.unwrap().timestamp(), 1_696_263_522);
}

#[tokio::test]
async fn generate_sync_client_token_without_ttl_sends_no_query() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p1/sync-client"))
        .respond_with(json_response(
            200,
            &seed("generateSyncClientToken.served.response-200.json"),
        ))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    vcf.generate_sync_client_token("p1", None).await.unwrap();
    let requests = requests_to(&server, "POST", "/v1/identity-providers/p1/sync-client").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(authorization(&requests[0]), format!("Bearer {TOKEN}"));
    // A zero TTL is refused before anything is sent.
    let err = vcf
        .generate_sync_client_token("p1", Some(Duration::ZERO))
        .await
        .unwrap_err();
    assert!(
        matches!(err, idp_client::Error::InvalidInput { ref field, .. } if field == "syncClientTokenTTL")
    );
    assert!(!err.request_may_have_been_sent());
    assert_eq!(
        requests_to(&server, "POST", "/v1/identity-providers/p1/sync-client")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn generate_sync_client_token_reference_template() {
    // The reference page's template: expireAt is a placeholder sentence.
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/p1/sync-client"))
        .respond_with(json_response(
            200,
            &seed("generateSyncClientToken.reference.response-200.json"),
        ))
        .mount(&server)
        .await;
    let token = vcf_bearer(&server, TOKEN)
        .generate_sync_client_token("p1", None)
        .await
        .unwrap();
    assert_eq!(token.expires_at, None);
    assert_eq!(token.token.expose(), "string");
}

#[tokio::test]
async fn prechecks_of_a_type_and_their_details() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-broker/prechecks"))
        .and(query_param("type", "BROKER"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "FAILED",
            "details": [
                {"type": "DNS", "message": "sso.example.com does not resolve"},
                {"type": "NTP"},
                {"message": "a detail without its type"}
            ]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-broker/prechecks"))
        .and(query_param("type", "NOPE"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "No such precheck"})),
        )
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, TOKEN);
    let precheck = vcf
        .identity_broker_prechecks_of_type("BROKER")
        .await
        .unwrap();
    assert!(!precheck.is_success());
    let types: Vec<_> = precheck
        .details
        .iter()
        .map(|d| (d.check_type.as_deref(), d.message.is_some()))
        .collect();
    assert_eq!(
        types,
        vec![(Some("DNS"), true), (Some("NTP"), false), (None, true)]
    );
    let err = vcf
        .identity_broker_prechecks_of_type("NOPE")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(
        err.to_string().contains("no precheck of this type"),
        "{err}"
    );
}

#[tokio::test]
async fn a_listing_with_page_metadata_reads_alike() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "elements": [{"id": "e1", "name": "Embedded IDP", "type": "Embedded"}],
            "pageMetadata": {"pageNumber": 0, "pageSize": 1, "totalElements": 1, "totalPages": 1}
        })))
        .mount(&server)
        .await;
    let providers = vcf_bearer(&server, TOKEN)
        .list_identity_providers()
        .await
        .unwrap();
    assert_eq!(providers.len(), 1);
}
