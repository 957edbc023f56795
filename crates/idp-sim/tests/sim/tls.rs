//! HTTPS with the generated CA.

use idp_sim::{SimConfig, Simulator};
use reqwest::{Certificate, Client, StatusCode};
use serde_json::json;

/// reqwest's builder once rustls has a crypto provider.
fn idp_sim_client_builder() -> reqwest::ClientBuilder {
    crate::common::ensure_crypto_provider();
    Client::builder()
}

fn client_trusting(pem: &str) -> Client {
    idp_sim_client_builder()
        .no_proxy()
        .tls_certs_only([Certificate::from_pem(pem.as_bytes()).unwrap()])
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_with_the_generated_ca() {
    let sim = Simulator::start(SimConfig::builder().tls(true).build().unwrap())
        .await
        .unwrap();
    let url = sim.vcf().url();
    assert!(url.starts_with("https://localhost:"), "{url}");
    assert_eq!(sim.unleash().url(), format!("{url}/unleash"));
    let pem = sim.ca_pem().unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE"));

    let client = client_trusting(pem);
    let response = client
        .post(format!("{url}/v1/tokens"))
        .json(&json!({"username": sim.vcf().username(), "password": sim.vcf().password()}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    // The certificate is valid for 127.0.0.1 too.
    let port = sim.local_addr().port();
    let response = client
        .get(format!("https://127.0.0.1:{port}/v1/identity-providers"))
        .bearer_auth(sim.issue_access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // The control routes are served over TLS as well.
    let response = client
        .get(format!("{}/__sim/requests", sim.admin_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Without the CA (or with another one) the server is not trusted.
    let other = Simulator::start(SimConfig::builder().tls(true).build().unwrap())
        .await
        .unwrap();
    let error = client_trusting(other.ca_pem().unwrap())
        .get(format!("{url}/v1/identity-broker/prechecks"))
        .send()
        .await
        .expect_err("a certificate from an unknown CA must be rejected");
    assert!(error.is_connect() || error.is_request(), "{error:?}");
    if let Ok(default_client) = idp_sim_client_builder().no_proxy().build() {
        assert!(
            default_client
                .get(format!("{url}/v1/identity-broker/prechecks"))
                .send()
                .await
                .is_err()
        );
    }
    // Plain HTTP is not served on the TLS port.
    assert!(
        idp_sim_client_builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(format!(
                "http://127.0.0.1:{port}/v1/identity-broker/prechecks"
            ))
            .send()
            .await
            .is_err()
    );
    other.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn plain_http_has_no_ca_and_stops_on_shutdown_and_drop() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    assert!(sim.ca_pem().is_none());
    let url = sim.vcf().url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let client = idp_sim_client_builder().no_proxy().build().unwrap();
    assert!(
        client
            .get(format!("{url}/v1/identity-providers"))
            .send()
            .await
            .is_ok()
    );
    sim.shutdown().await;
    let fresh = idp_sim_client_builder().no_proxy().build().unwrap();
    assert!(
        fresh
            .get(format!("{url}/v1/identity-providers"))
            .send()
            .await
            .is_err()
    );

    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let url = sim.vcf().url();
    drop(sim);
    tokio::task::yield_now().await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let fresh = idp_sim_client_builder().no_proxy().build().unwrap();
    assert!(
        fresh
            .get(format!("{url}/v1/identity-providers"))
            .send()
            .await
            .is_err()
    );
}
