//! Client configuration: base URLs, plain HTTP, CA certificates, roots.

use super::common;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use idp_client::{ClientConfig, Error, RootCertificates, UnleashClient, VcfClient};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

fn is_config(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Config { reason, .. }) => reason,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn plain_http_to_a_remote_host_is_refused_at_build() {
    let reason = is_config(
        VcfClient::builder("http://sddc.example.com")
            .bearer_token("t")
            .build(),
    );
    assert!(reason.contains("allow_plain_http"), "{reason}");
    is_config(
        UnleashClient::builder("http://10.1.2.3/unleash")
            .api_token("k")
            .build(),
    );
    VcfClient::builder("http://sddc.example.com")
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .allow_plain_http(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    for loopback in [
        "http://127.0.0.1:1",
        "http://127.0.0.2",
        "http://[::1]:8080",
        "http://localhost:9",
    ] {
        VcfClient::builder(loopback)
            .bearer_token("t")
            .build()
            .unwrap();
    }
}

#[test]
fn bad_base_urls_and_missing_credentials() {
    is_config(
        VcfClient::builder("sddc.example.com")
            .bearer_token("t")
            .build(),
    );
    is_config(
        VcfClient::builder("ftp://sddc.example.com")
            .bearer_token("t")
            .build(),
    );
    is_config(
        VcfClient::builder("https://u:p@sddc.example.com")
            .bearer_token("t")
            .build(),
    );
    is_config(VcfClient::builder("https://sddc.example.com").build());
    is_config(
        VcfClient::builder("https://sddc.example.com")
            .bearer_token("")
            .build(),
    );
    is_config(
        VcfClient::builder("https://sddc.example.com")
            .credentials("", "pw")
            .build(),
    );
    is_config(
        VcfClient::builder("https://sddc.example.com")
            .credentials("u", "")
            .build(),
    );
    is_config(
        VcfClient::builder("https://sddc.example.com")
            .bearer_token("a\nb")
            .build(),
    );
    is_config(UnleashClient::builder("https://unleash.example.com").build());
}

#[test]
fn ca_certificates() {
    let roots = webpki_root_certs::TLS_SERVER_ROOT_CERTS;
    let bundle = format!("{}{}", pem(&roots[0]), pem(&roots[1]));
    VcfClient::builder("https://sddc.example.com")
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .ca_certificate_pem(&bundle)
                .ca_certificate_pem(pem(&roots[2]))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    VcfClient::builder("https://sddc.example.com")
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .ca_certificate_pem(&bundle)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    // Invalid PEM is refused where it is given: building the configuration.
    let reason = is_config(
        ClientConfig::builder()
            .ca_certificate_pem("not a certificate")
            .build(),
    );
    assert!(reason.contains("PEM"), "{reason}");
    is_config(
        ClientConfig::builder()
            .ca_certificate_pem(
                "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
            )
            .build(),
    );
    VcfClient::builder("https://sddc.example.com")
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .danger_accept_invalid_certs(true)
                .connect_timeout(Duration::from_secs(1))
                .request_timeout(Duration::from_secs(2))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
}

#[test]
fn unleash_base_url_forms() {
    for (given, expected) in [
        ("https://h/unleash", "https://h/unleash"),
        ("https://h/unleash/", "https://h/unleash"),
        ("https://h/unleash/api", "https://h/unleash"),
        ("https://h/unleash/api/", "https://h/unleash"),
        ("https://h", "https://h"),
        ("https://h/api", "https://h"),
    ] {
        let client = UnleashClient::builder(given)
            .api_token("k")
            .build()
            .unwrap();
        assert_eq!(client.base_url(), expected, "{given}");
    }
    let vcf = VcfClient::builder("https://sddc.example.com/")
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(vcf.base_url(), "https://sddc.example.com");
}

#[tokio::test]
async fn unleash_sends_the_raw_key_under_a_sub_path() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/unleash/api/admin/scim-settings/generate-new-token"))
        .and(header("authorization", "*:*.admin-key"))
        .and(header("user-agent", idp_client::USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            common::seed("generateScimToken.reference.response-200.json"),
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/unleash/api/admin/scim-settings"))
        .and(header("authorization", "*:*.admin-key"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"enabled": true, "hasToken": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/unleash/api/admin/scim-settings"))
        .and(wiremock::matchers::body_json(
            serde_json::json!({"enabled": true}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // A pasted "Bearer " prefix is removed: older servers reject it.
    let client = UnleashClient::builder(format!("{}/unleash/api/", server.uri()))
        .api_token("Bearer *:*.admin-key")
        .build()
        .unwrap();
    let token = client.generate_scim_token().await.unwrap();
    assert_eq!(token.token.expose(), "xyzrandomstring");
    let settings = client.scim_settings().await.unwrap();
    assert!(settings.enabled && settings.has_token);
    assert_eq!(
        serde_json::to_value(settings).unwrap(),
        serde_json::json!({"enabled": true, "hasToken": true})
    );
    client.set_scim_settings(true).await.unwrap();
}
