//! Clients and their futures can move between threads (`tokio::spawn`).

use std::time::Duration;

use idp_client::{Error, Secret, UnleashClient, VcfClient};

fn send<T: Send>(_: &T) {}
fn send_sync<T: Send + Sync + Clone + 'static>() {}

#[test]
fn clients_and_futures_are_send() {
    send_sync::<VcfClient>();
    send_sync::<UnleashClient>();
    send_sync::<Secret>();
    fn error_is_std_error<E: std::error::Error + Send + Sync + 'static>() {}
    error_is_std_error::<Error>();

    let vcf = VcfClient::builder("https://sddc.example.com")
        .credentials("u", "p")
        .build()
        .unwrap();
    let spec = idp_client::FederatedSpecBuilder::okta("o")
        .directory_name("d")
        .default_domain("example.com")
        .client_id("c")
        .client_secret("s")
        .discovery_endpoint("https://o.example.com/.well-known/openid-configuration")
        .build()
        .unwrap();
    let source = idp_client::IdentitySourceSpecBuilder::open_ldap("s")
        .domain_name("example.com")
        .bind_username("u")
        .bind_password("p")
        .users_base_dn("ou=u")
        .groups_base_dn("ou=g")
        .server_endpoint("ldap://l")
        .build()
        .unwrap();
    send(&vcf.list_identity_providers());
    send(&vcf.get_identity_provider("x"));
    send(&vcf.add_external_identity_provider(&spec));
    send(&vcf.update_external_identity_provider("x", &spec));
    send(&vcf.delete_external_identity_provider("x"));
    send(&vcf.add_embedded_identity_source("x", &source));
    send(&vcf.update_embedded_identity_source("x", "d", &source));
    send(&vcf.delete_identity_source("x", "d"));
    send(&vcf.generate_sync_client_token("x", Some(Duration::from_secs(60))));
    send(&vcf.identity_broker_prechecks());
    send(&vcf.find_identity_provider_by_name("x"));
    send(&vcf.embedded_identity_provider());
    send(&vcf.active_identity_provider());
    send(&vcf.logout());

    let unleash = UnleashClient::builder("https://unleash.example.com")
        .api_token("k")
        .build()
        .unwrap();
    send(&unleash.generate_scim_token());
    send(&unleash.scim_settings());
    send(&unleash.set_scim_settings(true));
}
