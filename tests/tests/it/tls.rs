//! TLS against the simulator's HTTPS server, whose certificate a CA
//! generated at start signed for `localhost`, `127.0.0.1` and `::1`:
//! rejected by default (nothing sent), accepted with the CA, rejected for
//! another host name even with the CA, and accepted with verification
//! explicitly turned off. The CLI's side (`--ca-cert`, `--insecure` and its
//! warning, another host name) is in `crates/idpctl/tests/cli/tls.rs`.

use std::net::SocketAddr;

use idp_client::{
    ClientConfig, ClientConfigBuilder, Error, FederatedSpecBuilder, RetryPolicy, RootCertificates,
    Secret, TransportKind, UnleashClient, VcfClient,
};
use idp_sim::{SimConfig, Simulator};

async fn https_sim(listen: SocketAddr) -> Simulator {
    let config = SimConfig::builder()
        .tls(true)
        .listen(listen)
        .build()
        .unwrap();
    Simulator::start(config).await.unwrap()
}

fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// 127.0.0.2: loopback on Linux (all of 127/8 is), but not a name the
/// simulator's certificate covers.
fn other_loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 2], 0))
}

fn no_retries() -> ClientConfigBuilder {
    ClientConfig::builder().retry_policy(RetryPolicy::none())
}

fn vcf(url: &str, sim: &Simulator) -> idp_client::VcfClientBuilder {
    VcfClient::builder(url)
        .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .config(&no_retries().build().unwrap())
}

fn unleash(url: &str, sim: &Simulator) -> idp_client::UnleashClientBuilder {
    UnleashClient::builder(url)
        .api_token(Secret::new(sim.unleash().api_key()))
        .config(&no_retries().build().unwrap())
}

/// A TLS failure: nothing was sent, and it is not worth retrying.
fn assert_tls_failure(error: &Error) {
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: TransportKind::Tls,
                ..
            }
        ),
        "expected a TLS failure, got {error:?}"
    );
    assert!(!error.request_may_have_been_sent(), "{error}");
    assert!(!error.is_retryable(), "{error}");
    assert!(
        error.to_string().contains("TLS handshake failed"),
        "{error}"
    );
}

#[tokio::test]
async fn the_default_client_rejects_the_self_signed_certificate_and_sends_nothing() {
    let sim = https_sim(loopback()).await;
    assert!(sim.vcf().url().starts_with("https://localhost:"));
    let ip_url = format!("https://127.0.0.1:{}", sim.local_addr().port());
    for url in [sim.vcf().url(), ip_url] {
        for roots in [RootCertificates::System, RootCertificates::Bundled] {
            let client = vcf(&url, &sim)
                .config(&no_retries().root_certificates(roots).build().unwrap())
                .build()
                .unwrap();
            // The first call logs in: the password never left.
            assert_tls_failure(&client.list_identity_providers().await.unwrap_err());
            let bearer = VcfClient::builder(&url)
                .bearer_token(Secret::new(sim.issue_access_token()))
                .config(
                    &no_retries()
                        .root_certificates(roots)
                        .retry_policy(RetryPolicy::none())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            assert_tls_failure(
                &bearer
                    .generate_sync_client_token("some-id", None)
                    .await
                    .unwrap_err(),
            );
            let client = unleash(&format!("{url}/unleash"), &sim)
                .config(&no_retries().root_certificates(roots).build().unwrap())
                .build()
                .unwrap();
            assert_tls_failure(&client.generate_scim_token().await.unwrap_err());
        }
    }
    assert!(
        sim.requests().is_empty(),
        "a request got through the handshake"
    );
    assert_eq!(sim.unleash().scim_token(), None);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_simulator_ca_is_trusted_when_added() {
    let sim = https_sim(loopback()).await;
    let ca = sim.ca_pem().unwrap().to_owned();
    let ip_url = format!("https://127.0.0.1:{}", sim.local_addr().port());
    for url in [sim.vcf().url(), ip_url] {
        for roots in [RootCertificates::System, RootCertificates::Bundled] {
            let client = vcf(&url, &sim)
                .config(
                    &no_retries()
                        .root_certificates(roots)
                        .ca_certificate_pem(ca.as_bytes())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            assert_eq!(client.list_identity_providers().await.unwrap().len(), 1);
            client.logout().await.unwrap();
            let client = unleash(&format!("{url}/unleash"), &sim)
                .config(
                    &no_retries()
                        .root_certificates(roots)
                        .ca_certificate_pem(ca.as_bytes())
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            let token = client.generate_scim_token().await.unwrap();
            assert_eq!(
                sim.unleash().scim_token().as_deref(),
                Some(token.token.expose())
            );
        }
    }
    // A whole federation lifecycle over TLS.
    let client = vcf(&sim.vcf().url(), &sim)
        .config(
            &no_retries()
                .ca_certificate_pem(ca.as_bytes())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let spec = FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("example.com")
        .domain("example.com")
        .client_id("0oa1example")
        .client_secret(Secret::new("okta-client-secret"))
        .discovery_endpoint("https://example.okta.com/.well-known/openid-configuration")
        .build()
        .unwrap();
    let id = client.add_external_identity_provider(&spec).await.unwrap();
    let token = client.generate_sync_client_token(&id, None).await.unwrap();
    assert_eq!(
        sim.vcf().sync_client_token(&id).as_deref(),
        Some(token.token.expose())
    );
    client.delete_external_identity_provider(&id).await.unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn another_host_name_is_rejected_even_with_the_right_ca() {
    let sim = https_sim(other_loopback()).await;
    let ca = sim.ca_pem().unwrap().to_owned();
    let url = format!("https://127.0.0.2:{}", sim.local_addr().port());

    let client = vcf(&url, &sim)
        .config(
            &no_retries()
                .ca_certificate_pem(ca.as_bytes())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let error = client.list_identity_providers().await.unwrap_err();
    assert_tls_failure(&error);
    // The error's own line says TLS; its causes (as anyhow or idpctl
    // print them) say why.
    let text = with_causes(&error).to_ascii_lowercase();
    assert!(
        text.contains("not valid for") || text.contains("name"),
        "the error should say the name does not match: {text}"
    );
    let client = unleash(&format!("{url}/unleash"), &sim)
        .config(
            &no_retries()
                .ca_certificate_pem(ca.as_bytes())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_tls_failure(&client.scim_settings().await.unwrap_err());
    assert!(
        sim.requests().is_empty(),
        "a request got through the handshake"
    );

    // The same server and CA, without verification: the handshake was the
    // only obstacle.
    let insecure = vcf(&url, &sim)
        .config(
            &no_retries()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(insecure.list_identity_providers().await.unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn verification_can_be_turned_off_in_the_library() {
    let sim = https_sim(loopback()).await;
    let client = vcf(&sim.vcf().url(), &sim)
        .config(
            &no_retries()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(client.list_identity_providers().await.unwrap().len(), 1);
    let client = unleash(&sim.unleash().url(), &sim)
        .config(
            &no_retries()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    client.set_scim_settings(true).await.unwrap();
    assert!(client.scim_settings().await.unwrap().enabled);
    assert!(sim.unleash().scim_enabled());
    sim.shutdown().await;
}

/// The error's line and its `source()` chain, as `anyhow` prints them.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}
