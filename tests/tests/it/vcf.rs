//! idp-client's `VcfClient` against the simulator: every operation under
//! every server profile, the federated sources that differ between
//! profiles, wrong credentials (the password, and the Unleash key of the
//! same simulator), and a service user's API key. HTTPS: `tls.rs`.

use std::time::Duration;

use chrono::Utc;
use idp_client::{
    AdfsSpecBuilder, FederatedSource, FederatedSpecBuilder, ProviderKind, Secret, Status,
    UnleashClient, VcfClient,
};
use idp_sim::{Profile, SimConfig, Simulator};
use idp_testkit::{ad_source_builder, okta_builder, start_sim, vcf_client};

async fn start(profile: Profile) -> Simulator {
    start_sim(SimConfig::builder().profile(profile)).await
}

fn vcf(sim: &Simulator) -> VcfClient {
    vcf_client(sim)
}

fn okta_spec(ttl: Duration) -> idp_client::IdentityProviderSpec {
    okta_builder()
        .domain("domain2.com")
        .sync_client_token_ttl(ttl)
        .build()
        .unwrap()
}

fn ad_source(endpoint: &str) -> idp_client::IdentitySourceSpec {
    ad_source_builder("embedded-ids2.com")
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_vcf_operation_under_every_profile() {
    for profile in Profile::ALL {
        let sim = start(profile).await;
        let client = vcf(&sim);
        let label = profile.to_string();

        // List, get, prechecks.
        let providers = client.list_identity_providers().await.unwrap();
        assert_eq!(providers.len(), 1, "{label}");
        let embedded = client.embedded_identity_provider().await.unwrap().unwrap();
        assert_eq!(embedded.kind, ProviderKind::Embedded, "{label}");
        assert_eq!(embedded.status, Some(Status::Active), "{label}");
        assert_eq!(
            client.get_identity_provider(&embedded.id).await.unwrap(),
            embedded,
            "{label}"
        );
        assert!(
            client
                .identity_broker_prechecks()
                .await
                .unwrap()
                .is_success(),
            "{label}"
        );

        // Identity source lifecycle.
        client
            .add_embedded_identity_source(&embedded.id, &ad_source("ldap://dc01.example.com"))
            .await
            .unwrap();
        assert!(
            sim.vcf()
                .identity_source_domains()
                .contains(&"embedded-ids2.com".to_owned()),
            "{label}"
        );
        client
            .update_embedded_identity_source(
                &embedded.id,
                "embedded-ids2.com",
                &ad_source("ldap://dc02.example.com"),
            )
            .await
            .unwrap();
        let source = client
            .get_identity_provider(&embedded.id)
            .await
            .unwrap()
            .identity_sources
            .into_iter()
            .find(|s| s.domain_names.contains(&"embedded-ids2.com".to_owned()))
            .unwrap();
        let endpoints = source
            .ldap
            .unwrap()
            .source_details
            .unwrap()
            .server_endpoints;
        assert_eq!(endpoints, ["ldap://dc02.example.com"], "{label}");
        client
            .delete_identity_source(&embedded.id, "embedded-ids2.com")
            .await
            .unwrap();
        assert!(
            !sim.vcf()
                .identity_source_domains()
                .contains(&"embedded-ids2.com".to_owned()),
            "{label}"
        );

        // External provider: the id comes from the body (5.x) or by name (9).
        let id = client
            .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
            .await
            .unwrap();
        assert_eq!(
            sim.vcf().external_provider_id().as_deref(),
            Some(id.as_str()),
            "{label}"
        );
        let okta = client.get_identity_provider(&id).await.unwrap();
        assert_eq!(okta.kind, ProviderKind::FederatedBroker, "{label}");
        assert_eq!(okta.status, Some(Status::Active), "{label}");
        assert_eq!(
            okta.fed_idp.as_ref().unwrap().source,
            Some(FederatedSource::Okta),
            "{label}"
        );
        let embedded_now = client.get_identity_provider(&embedded.id).await.unwrap();
        assert_eq!(embedded_now.status, Some(Status::Inactive), "{label}");
        assert_eq!(
            client.active_identity_provider().await.unwrap().unwrap().id,
            id,
            "{label}"
        );
        assert_eq!(
            client
                .find_identity_provider_by_name("okta")
                .await
                .unwrap()
                .unwrap()
                .id,
            id,
            "{label}"
        );

        // Sync client token: 5.2+ take the TTL from the query, 5.1 from the spec.
        let before = Utc::now();
        let first = client
            .generate_sync_client_token(&id, Some(Duration::from_secs(3600)))
            .await
            .unwrap();
        let expected = if profile == Profile::Vcf51 {
            7200
        } else {
            3600
        };
        let lifetime = (first.expires_at.unwrap() - before).num_seconds();
        assert!(
            (expected - 120..=expected + 120).contains(&lifetime),
            "{label}: lifetime {lifetime}s"
        );
        assert!(
            first
                .scim_url
                .as_deref()
                .unwrap()
                .ends_with("/usergroup/t/CUSTOMER/scim/v2"),
            "{label}"
        );
        let second = client.generate_sync_client_token(&id, None).await.unwrap();
        assert_ne!(first.token, second.token, "{label}");
        assert_eq!(
            sim.vcf().sync_client_token(&id).as_deref(),
            Some(second.token.expose()),
            "{label}: old token revoked"
        );

        // Update, a second external provider refused, delete.
        client
            .update_external_identity_provider(&id, &okta_spec(Duration::from_secs(600)))
            .await
            .unwrap();
        let adfs = AdfsSpecBuilder::new("My ADFS")
            .domain_name("external-idp.com")
            .domain_alias("external-idp")
            .bind_username("svc@external-idp.com")
            .bind_password(Secret::new("adfs-bind-password"))
            .users_base_dn("users-base-dn")
            .groups_base_dn("groups-base-dn")
            .server_endpoint("ldap://dns01.domain.com")
            .client_id("dfd8b7d7-63e1-41e6-b0c0-bec38d7c3c5d")
            .client_secret(Secret::new("adfs-client-secret"))
            .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
            .build()
            .unwrap();
        let refused = client
            .add_external_identity_provider(&adfs)
            .await
            .unwrap_err();
        assert_eq!(
            refused.status().map(|s| s.as_u16()),
            Some(400),
            "{label}: {refused}"
        );
        assert!(refused.vendor().is_some(), "{label}");
        client.delete_external_identity_provider(&id).await.unwrap();
        let after = client.embedded_identity_provider().await.unwrap().unwrap();
        assert_eq!(after.status, Some(Status::Active), "{label}");
        let gone = client.get_identity_provider(&id).await.unwrap_err();
        assert!(gone.is_not_found(), "{label}: {gone}");

        // ADFS can be added once the broker is gone.
        let adfs_id = client.add_external_identity_provider(&adfs).await.unwrap();
        let adfs_provider = client.get_identity_provider(&adfs_id).await.unwrap();
        assert_eq!(adfs_provider.kind, ProviderKind::MicrosoftAdfs, "{label}");
        client
            .delete_external_identity_provider(&adfs_id)
            .await
            .unwrap();

        client.logout().await.unwrap();
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn entra_id_and_ping_differ_between_profiles() {
    for profile in Profile::ALL {
        let sim = start(profile).await;
        let client = vcf(&sim);
        let entra = FederatedSpecBuilder::entra_id("entra")
            .directory_name("entra_dir")
            .default_domain("example.com")
            .domain("example.com")
            .client_id("client")
            .client_secret(Secret::new("entra-secret"))
            .discovery_endpoint("https://login.example.com/.well-known/openid-configuration")
            .build()
            .unwrap();
        let id = client.add_external_identity_provider(&entra).await.unwrap();
        let fed = client
            .get_identity_provider(&id)
            .await
            .unwrap()
            .fed_idp
            .unwrap();
        assert_eq!(fed.source, Some(FederatedSource::EntraId), "{profile}");
        let raw = sim.vcf().identity_providers_json().to_string();
        if profile == Profile::Vcf51 {
            assert!(raw.contains("AZURE"), "{profile}: {raw}");
        } else {
            assert!(raw.contains("MICROSOFT_ENTRA_ID"), "{profile}: {raw}");
        }
        client.delete_external_identity_provider(&id).await.unwrap();

        let ping = FederatedSpecBuilder::ping_federate("ping")
            .directory_name("ping_dir")
            .default_domain("example.com")
            .domain("example.com")
            .client_id("client")
            .client_secret(Secret::new("ping-secret"))
            .discovery_endpoint("https://ping.example.com/.well-known/openid-configuration")
            .build()
            .unwrap();
        let result = client.add_external_identity_provider(&ping).await;
        if profile == Profile::Vcf51 {
            assert_eq!(
                result.unwrap_err().status().map(|s| s.as_u16()),
                Some(400),
                "{profile}"
            );
        } else {
            let id = result.unwrap();
            let fed = client
                .get_identity_provider(&id)
                .await
                .unwrap()
                .fed_idp
                .unwrap();
            assert_eq!(fed.source, Some(FederatedSource::PingFederate), "{profile}");
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn wrong_credentials_are_unauthorized() {
    let sim = start(Profile::Vcf52).await;
    let client = VcfClient::builder(sim.vcf().url())
        .credentials(sim.vcf().username(), Secret::new("not-the-password"))
        .build()
        .unwrap();
    let error = client.list_identity_providers().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    let bad_key = UnleashClient::builder(sim.unleash().url())
        .api_token(Secret::new("nope"))
        .build()
        .unwrap();
    assert!(bad_key.scim_settings().await.unwrap_err().is_unauthorized());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_service_users_api_key_logs_in_and_an_unknown_key_is_refused() {
    for profile in Profile::ALL {
        let sim = start(profile).await;
        let key = sim.vcf().api_key();
        assert!(!key.is_empty());
        let client = VcfClient::builder(sim.vcf().url())
            .api_key(Secret::new(key.clone()))
            .build()
            .unwrap();
        let providers = client.list_identity_providers().await.unwrap();
        assert!(!providers.is_empty(), "{profile}");
        client.logout().await.unwrap();

        let wrong_password = VcfClient::builder(sim.vcf().url())
            .credentials(sim.vcf().username(), Secret::new("not-the-password"))
            .build()
            .unwrap()
            .list_identity_providers()
            .await
            .unwrap_err();
        let unknown = VcfClient::builder(sim.vcf().url())
            .api_key(Secret::new(format!("{key}x")))
            .build()
            .unwrap()
            .list_identity_providers()
            .await
            .unwrap_err();
        assert!(unknown.is_unauthorized(), "{unknown}");
        // Refused like a wrong password: the same status and vendor body.
        assert_eq!(unknown.status(), wrong_password.status(), "{profile}");
        // The reference token is random per answer.
        let without_token = |e: &idp_client::Error| {
            let text = e.to_string();
            text.split("; ")
                .filter(|part| !part.starts_with("reference token: "))
                .collect::<Vec<_>>()
                .join("; ")
        };
        assert_eq!(
            without_token(&unknown),
            without_token(&wrong_password),
            "{profile}"
        );
        assert!(!format!("{unknown:?}").contains(&key));
        sim.shutdown().await;
    }
}
