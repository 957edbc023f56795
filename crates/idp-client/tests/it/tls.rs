//! TLS against a loopback HTTPS server with a certificate from a private CA.

use std::sync::Arc;

use idp_client::{ClientConfig, Error, RetryPolicy, RootCertificates, TransportKind, VcfClient};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// Starts an HTTPS server on 127.0.0.1 that answers every request with an
/// empty provider list; returns its base URL and the CA's PEM.
async fn https_server() -> (String, String) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let params = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"elements":[]}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://127.0.0.1:{port}"), ca_cert.pem())
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_error_and_nothing_was_sent() {
    let (url, _) = https_server().await;
    for roots in [RootCertificates::System, RootCertificates::Bundled] {
        let vcf = VcfClient::builder(&url)
            .bearer_token("t")
            .config(
                &ClientConfig::builder()
                    .root_certificates(roots)
                    .retry_policy(RetryPolicy::none())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let err = vcf.list_identity_providers().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::Transport {
                    kind: TransportKind::Tls,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(!err.request_may_have_been_sent());
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn a_private_ca_is_trusted_when_configured() {
    let (url, ca_pem) = https_server().await;
    for roots in [RootCertificates::System, RootCertificates::Bundled] {
        let vcf = VcfClient::builder(&url)
            .bearer_token("t")
            .config(
                &ClientConfig::builder()
                    .root_certificates(roots)
                    .ca_certificate_pem(&ca_pem)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert!(vcf.list_identity_providers().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn verification_can_be_turned_off_explicitly() {
    let (url, _) = https_server().await;
    let vcf = VcfClient::builder(&url)
        .bearer_token("t")
        .config(
            &ClientConfig::builder()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert!(vcf.list_identity_providers().await.unwrap().is_empty());
}
