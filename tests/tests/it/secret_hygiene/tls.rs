//! TLS failures.

use super::*;

#[tokio::test]
async fn tls_failures_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().tls(true)).await;

    // No CA: the handshake fails before any credential is sent.
    let vcf = session(&sim.vcf().url(), VCF_PASSWORD);
    let error = h.err("VCF without the CA", vcf.list_identity_providers().await);
    assert_eq!(error.transport_kind(), Some(TransportKind::Tls), "{error}");
    let bearer_token = sim.issue_access_token();
    let bearer = VcfClient::builder(sim.vcf().url())
        .bearer_token(Secret::new(bearer_token.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    let error = h.err(
        "a bearer token without the CA",
        bearer.list_identity_providers().await,
    );
    assert_eq!(error.transport_kind(), Some(TransportKind::Tls), "{error}");
    h.secret("the bearer token", bearer_token);
    let client = unleash(&sim.unleash().url(), UNLEASH_KEY);
    let error = h.err("Unleash without the CA", client.generate_scim_token().await);
    assert_eq!(error.transport_kind(), Some(TransportKind::Tls), "{error}");

    // With the CA: the same calls succeed over TLS.
    let ca = sim.ca_pem().unwrap().to_owned();
    let trusted = VcfClient::builder(sim.vcf().url())
        .credentials(VCF_USER, Secret::new(VCF_PASSWORD))
        .config(
            &ClientConfig::builder()
                .ca_certificate_pem(ca.as_bytes())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    h.ok("VCF with the CA", trusted.list_identity_providers().await);
    h.ok("logout", trusted.logout().await);
    let trusted = UnleashClient::builder(sim.unleash().url())
        .api_token(Secret::new(UNLEASH_KEY))
        .config(
            &ClientConfig::builder()
                .ca_certificate_pem(ca.as_bytes())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let token = h.ok("Unleash with the CA", trusted.generate_scim_token().await);
    h.secret("a SCIM token", token.token.expose());

    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&[
        "TLS handshake failed",
        "createToken",
        "generateScimToken",
        "rustls::",
    ]);
}
