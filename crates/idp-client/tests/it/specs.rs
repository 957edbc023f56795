//! The typed spec builders: the documented requests, and validation of
//! required fields before any request.

use super::common;

use std::time::Duration;

use common::seed_json;
use idp_client::{AdfsSpecBuilder, Error, FederatedSpecBuilder, IdentitySourceSpecBuilder};

/// The seed documents mangled e-mail addresses to this (with a no-break space).
const SEED_USER: &str = "[email\u{a0}protected]";

fn field_of(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn adfs() -> AdfsSpecBuilder {
    AdfsSpecBuilder::new("My ADFS")
        .domain_name("external-idp.com")
        .domain_alias("external-idp")
        .bind_username(SEED_USER)
        .bind_password("xxxxxxxxx")
        .users_base_dn("users-base-dn")
        .groups_base_dn("groups-base-dn")
        .server_endpoints(["ldap://dns01.domain.com", "ldap://dns02.domain.com"])
        .client_id("dfd8b7d7-63e1-41e6-b0c0-bec38d7c3c5d")
        .client_secret("c35b6043-13f6-4ec6-b1b2-02f9492ff603")
        .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
}

fn okta() -> FederatedSpecBuilder {
    FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("domain1.com")
        .domain("domain2.com")
        .client_id("5c7c57d7-54dc-4d58-ad92-7fa717604cda")
        .client_secret("4e139ec1-46e0-4f21-a806-9af7fe359896")
        .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
        .sync_client_token_ttl(Duration::from_secs(500_000))
}

fn active_directory() -> IdentitySourceSpecBuilder {
    IdentitySourceSpecBuilder::active_directory("My AD Identity Source")
        .domain_name("embedded-ids.com")
        .domain_alias("embedded-ids")
        .bind_username(SEED_USER)
        .bind_password("xxxxxxxxx")
        .users_base_dn("users-base-dn")
        .groups_base_dn("groups-base-dn")
        .server_endpoint("ldap://dns01.domain.com")
        .server_endpoint("ldap://dns02.domain.com")
}

#[test]
fn builders_produce_the_documented_requests() {
    let spec = serde_json::to_value(adfs().build().unwrap()).unwrap();
    assert_eq!(
        spec,
        seed_json("addExternalIdentityProvider.adfs.request.json")
    );

    let spec = serde_json::to_value(active_directory().build().unwrap()).unwrap();
    assert_eq!(
        spec,
        seed_json("addEmbeddedIdentitySource.activeDirectory.request.json")
    );

    // The documented Okta request, plus the directory's source type that
    // VCF 5.2 and later require.
    let mut expected = seed_json("addExternalIdentityProvider.okta.request.json");
    expected["fedIdpSpec"]["directory"]["federatedIdpSourceType"] = "OKTA".into();
    let spec = serde_json::to_value(okta().build().unwrap()).unwrap();
    assert_eq!(spec, expected);
}

#[test]
fn federated_sources() {
    let source_type = |b: FederatedSpecBuilder| {
        b.directory_name("d")
            .default_domain("example.com")
            .client_id("c")
            .client_secret("s")
            .discovery_endpoint("https://idp.example.com/.well-known/openid-configuration")
            .build()
            .unwrap()
            .as_raw()
            .clone()
            .fed_idp_spec
            .unwrap()
            .directory
            .unwrap()
            .federated_idp_source_type
            .unwrap()
    };
    assert_eq!(
        source_type(FederatedSpecBuilder::entra_id("entra")),
        "MICROSOFT_ENTRA_ID"
    );
    assert_eq!(
        source_type(FederatedSpecBuilder::ping_federate("ping")),
        "PING_FEDERATE"
    );
    let spec = FederatedSpecBuilder::entra_id("e")
        .directory_name("d")
        .default_domain("a.com")
        .domain("A.com")
        .domain("b.com")
        .client_id("c")
        .client_secret("s")
        .discovery_endpoint(
            "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
        )
        .build()
        .unwrap();
    let directory = spec
        .as_raw()
        .clone()
        .fed_idp_spec
        .unwrap()
        .directory
        .unwrap();
    assert_eq!(directory.domains, vec!["a.com", "b.com"]);
}

#[test]
fn required_fields_are_named() {
    assert_eq!(field_of(AdfsSpecBuilder::new("").build()), "name");
    assert_eq!(
        field_of(AdfsSpecBuilder::new("x").build()),
        "ldap.domainName"
    );
    assert_eq!(field_of(adfs().bind_password("").build()), "ldap.password");
    assert_eq!(
        field_of(adfs().client_secret("").build()),
        "oidc.clientSecret"
    );
    assert_eq!(
        field_of(adfs().discovery_endpoint("http://domain.com/x").build()),
        "oidc.discoveryEndpoint"
    );
    assert_eq!(
        field_of(adfs().server_endpoints(Vec::<String>::new()).build()),
        "ldap.sourceDetails.serverEndpoints"
    );
    assert_eq!(
        field_of(adfs().server_endpoint("https://not-ldap").build()),
        "ldap.sourceDetails.serverEndpoints"
    );
    assert_eq!(
        field_of(
            active_directory()
                .server_endpoint("ldaps://dc.example.com:636")
                .build()
        ),
        "ldap.sourceDetails.certChain"
    );
    active_directory()
        .server_endpoint("ldaps://dc.example.com:636")
        .ldap_certificate("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")
        .build()
        .unwrap();
    assert_eq!(
        field_of(IdentitySourceSpecBuilder::open_ldap("o").build()),
        "ldap.domainName"
    );
    assert_eq!(
        field_of(active_directory().users_base_dn(" ").build()),
        "ldap.sourceDetails.usersBaseDn"
    );
    assert_eq!(
        field_of(FederatedSpecBuilder::okta("").build()),
        "fedIdpSpec.name"
    );
    assert_eq!(
        field_of(FederatedSpecBuilder::okta("o").build()),
        "fedIdpSpec.directory.name"
    );
    assert_eq!(
        field_of(
            okta()
                .sync_client_token_ttl(Duration::from_millis(10))
                .build()
        ),
        "fedIdpSpec.syncClientTokenTTL"
    );
    assert_eq!(
        field_of(okta().default_domain("two words").build()),
        "fedIdpSpec.directory.defaultDomain"
    );
    let err = okta().client_id("").build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid fedIdpSpec.oidcSpec.clientId: is required"
    );
    assert!(!err.request_may_have_been_sent());
}

#[tokio::test]
async fn add_rejects_specs_without_a_name_before_sending() {
    let server = common::server().await;
    let vcf = common::vcf_bearer(&server, "t");
    let mut raw = okta().build().unwrap().as_raw().clone();
    raw.fed_idp_spec.as_mut().unwrap().name = None;
    let spec = idp_client::IdentityProviderSpec::from(raw);
    let err = vcf.add_external_identity_provider(&spec).await.unwrap_err();
    assert_eq!(field_of(Err::<(), _>(err)), "fedIdpSpec.name");
    assert!(server.received_requests().await.unwrap().is_empty());
}
