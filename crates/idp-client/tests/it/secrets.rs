//! No secret in any `Debug` or `Display` output, error, or trace.

use super::common;

use common::{fast_config, jwt, server};
use idp_client::{
    AdfsSpecBuilder, FederatedSpecBuilder, IdentitySourceSpecBuilder, Secret, UnleashClient,
    VcfClient,
};
use idp_testkit::TraceCapture;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

const PASSWORD: &str = "pw-SECRET-password";
const BEARER: &str = "bearer-SECRET-token";
const REFRESH_ID: &str = "refresh-SECRET-id";
const SYNC_TOKEN: &str = "sync-SECRET-token";
const SCIM_TOKEN: &str = "scim-SECRET-token";
const UNLEASH_KEY: &str = "unleash-SECRET-key";
const CLIENT_SECRET: &str = "client-SECRET-oidc";
const LDAP_PASSWORD: &str = "ldap-SECRET-bind";

fn federated_builder() -> FederatedSpecBuilder {
    FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("example.com")
        .client_id("client-id")
        .client_secret(CLIENT_SECRET)
        .discovery_endpoint("https://example.okta.com/.well-known/openid-configuration")
}

fn source_builder() -> IdentitySourceSpecBuilder {
    IdentitySourceSpecBuilder::active_directory("ad")
        .domain_name("example.com")
        .bind_username("svc@example.com")
        .bind_password(LDAP_PASSWORD)
        .users_base_dn("ou=users,dc=example,dc=com")
        .groups_base_dn("ou=groups,dc=example,dc=com")
        .server_endpoint("ldap://dc.example.com")
}

fn adfs_builder() -> AdfsSpecBuilder {
    AdfsSpecBuilder::new("adfs")
        .domain_name("example.com")
        .bind_username("svc@example.com")
        .bind_password(LDAP_PASSWORD)
        .users_base_dn("ou=users,dc=example,dc=com")
        .groups_base_dn("ou=groups,dc=example,dc=com")
        .server_endpoint("ldap://dc.example.com")
        .client_id("client-id")
        .client_secret(CLIENT_SECRET)
        .discovery_endpoint("https://adfs.example.com/.well-known/openid-configuration")
}

#[tokio::test]
async fn no_secret_is_ever_printed_or_traced() {
    let capture = TraceCapture::start();

    let access1 = jwt(3600, "access-one");
    let access2 = jwt(3600, "access-two");
    let mut secrets: Vec<String> = [
        PASSWORD,
        BEARER,
        REFRESH_ID,
        SYNC_TOKEN,
        SCIM_TOKEN,
        UNLEASH_KEY,
        CLIENT_SECRET,
        LDAP_PASSWORD,
        "sync-SECRET-nested",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    secrets.push(access1.clone());
    secrets.push(access2.clone());

    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v1/tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "accessToken": access1, "refreshToken": {"id": REFRESH_ID}
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v1/tokens/access-token/refresh"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(access2.clone(), "text/plain"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .and(header(
            "authorization",
            format!("Bearer {access1}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .and(header(
            "authorization",
            format!("Bearer {access2}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"elements": [{"id": "a"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "bad token"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers"))
        .respond_with(ResponseTemplate::new(201).set_body_string("new-id"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/e/identity-sources"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "message": "LDAP bind failed", "referenceToken": "REF1", "causes": [{"type": "X", "message": "y"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/ok/sync-client"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token": SYNC_TOKEN, "scimUrl": "https://x/scim/v2", "expireAt": "2030-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/busy/sync-client"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_raw("<html><title>Busy</title></html>", "text/html"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/identity-providers/odd/sync-client"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"token": {"value": "sync-SECRET-nested"}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/v1/tokens/refresh-token"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/admin/scim-settings/generate-new-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"token": SCIM_TOKEN})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/admin/scim-settings"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "id": "i", "name": "AuthenticationRequired", "message": "You must log in"
        })))
        .mount(&server)
        .await;

    let vcf_builder = || {
        VcfClient::builder(server.uri())
            .credentials("admin@local", PASSWORD)
            .config(&fast_config())
    };
    let vcf = vcf_builder().build().unwrap();
    let bearer_builder = || VcfClient::builder(server.uri()).bearer_token(BEARER);
    let bearer = bearer_builder().build().unwrap();
    let unleash_builder = || UnleashClient::builder(server.uri()).api_token(UNLEASH_KEY);
    let unleash = unleash_builder().build().unwrap();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        VcfClient::builder(format!("http://127.0.0.1:{port}"))
            .bearer_token(BEARER)
            .config(&fast_config())
            .build()
            .unwrap()
    };

    let mut printed = Vec::<String>::new();
    let mut show = |debug: String, display: Option<String>| {
        printed.push(debug);
        printed.extend(display);
    };

    vcf.list_identity_providers().await.unwrap();
    let federated = federated_builder().build().unwrap();
    assert_eq!(
        vcf.add_external_identity_provider(&federated)
            .await
            .unwrap(),
        "new-id"
    );
    let adfs = adfs_builder().build().unwrap();
    vcf.add_external_identity_provider(&adfs).await.unwrap();
    let source = source_builder().build().unwrap();
    let err = vcf
        .add_embedded_identity_source("e", &source)
        .await
        .unwrap_err();
    show(format!("{err:?}"), Some(format!("{err} {err:#}")));
    let token = vcf.generate_sync_client_token("ok", None).await.unwrap();
    assert_eq!(token.token.expose(), SYNC_TOKEN);
    show(
        format!("{token:?} {:?}", token.token),
        Some(format!("{}", token.token)),
    );
    for id in ["busy", "odd"] {
        let err = vcf.generate_sync_client_token(id, None).await.unwrap_err();
        show(format!("{err:?}"), Some(err.to_string()));
    }
    show(format!("{vcf:?}"), None);
    vcf.logout().await.unwrap();

    let err = bearer.list_identity_providers().await.unwrap_err();
    show(format!("{err:?} {:?}", err.vendor()), Some(err.to_string()));
    show(format!("{bearer:?}"), None);
    let err = closed.list_identity_providers().await.unwrap_err();
    show(format!("{err:?}"), Some(err.to_string()));

    let scim = unleash.generate_scim_token().await.unwrap();
    assert_eq!(scim.token.expose(), SCIM_TOKEN);
    show(format!("{scim:?}"), None);
    let err = unleash.scim_settings().await.unwrap_err();
    show(format!("{err:?}"), Some(err.to_string()));
    show(format!("{unleash:?}"), None);

    show(format!("{:?}", vcf_builder()), None);
    show(format!("{:?}", bearer_builder()), None);
    show(format!("{:?}", unleash_builder()), None);
    show(
        format!(
            "{:?} {:?} {:?}",
            federated_builder(),
            source_builder(),
            adfs_builder()
        ),
        None,
    );
    show(format!("{federated:?} {source:?} {adfs:?}"), None);
    let secret = Secret::new(PASSWORD);
    show(format!("{secret:?}"), Some(secret.to_string()));

    let trace = capture.text();
    assert!(trace.contains("idp_client.operation"), "nothing was traced");
    assert!(trace.contains("generateSyncClientToken"));
    assert!(trace.contains("status=401"), "{trace}");
    if std::env::var_os("SHOW_TRACE").is_some() {
        eprintln!("{trace}");
    }
    let printed = printed.join("\n");
    assert!(printed.contains("<redacted>"));
    for secret in &secrets {
        assert!(
            !trace.contains(secret.as_str()),
            "trace leaks {secret}:\n{trace}"
        );
        assert!(
            !printed.contains(secret.as_str()),
            "output leaks {secret}:\n{printed}"
        );
    }
}
