//! Secret hygiene end to end: every operation of the library, on success
//! and failure paths (a 401 answered by a refresh, fault-injected 500s and
//! 503s, a truncated body, a dropped connection, a TLS failure, wrong
//! credentials, invalid input), against the simulator, with a TRACE
//! subscriber capturing every log line (the library's, the simulator's, and
//! reqwest's and rustls's `log` records). No known secret may appear in the
//! logs, in any error's `Display` or `Debug`, or in any returned value's or
//! client's `Debug`.
//!
//! The CLI's side (`idpctl -vvv` stderr and stdout) is tested in
//! `crates/idpctl/tests/cli/secrets.rs`.

use std::fmt::Debug;
use std::time::Duration;

use idp_client::{
    AdfsSpecBuilder, ClientConfig, Error, FederatedSpecBuilder, Secret, TransportKind,
    UnleashClient, VcfClient,
};
use idp_sim::{FaultRule, Profile, SimConfig, Simulator, UnleashEdition};
use idp_testkit::{TraceCapture, ad_source_builder, fast_config, okta_builder};

const VCF_USER: &str = "administrator@vsphere.local";
const VCF_PASSWORD: &str = "vcf-password-Qm7Tz2Lk9Xw4";
const WRONG_VCF_PASSWORD: &str = "wrong-vcf-password-Hy3Rb8Nc";
const LDAP_PASSWORD: &str = "ldap-bind-password-Vb62XcQe9";
const LDAP_PASSWORD_2: &str = "ldap-bind-password-2-Ty5Ua3Hs";
const ADFS_LDAP_PASSWORD: &str = "adfs-bind-password-Pz8Kd1Mv";
const CLIENT_SECRET: &str = "oidc-client-secret-Jf83KsLq0Z";
const CLIENT_SECRET_2: &str = "oidc-client-secret-2-Wm4Np7Rt";
const ADFS_CLIENT_SECRET: &str = "adfs-client-secret-Gs5Wq2Yx";
const UNLEASH_KEY: &str = "*:*.unleash-admin-key-Rc94Fk27Hd";
const UNLEASH_READ_ONLY_KEY: &str = "*:development.read-only-key-Zt61Jm";
const WRONG_UNLEASH_KEY: &str = "*:*.wrong-unleash-key-Ln47Bz";

/// Everything the library showed during one scenario, and the secrets it
/// must not have shown.
struct Hygiene {
    log: TraceCapture,
    /// (what, text): errors' `Display` and `Debug`, values' `Debug`.
    shown: Vec<(String, String)>,
    secrets: Vec<(String, String)>,
}

impl Hygiene {
    /// Starts capturing every event and span of this thread at TRACE (a
    /// `#[tokio::test]` runs the simulator's tasks on the same thread).
    fn start() -> Self {
        Self {
            log: TraceCapture::start(),
            shown: Vec::new(),
            secrets: Vec::new(),
        }
    }

    fn secret(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        assert!(value.len() >= 12, "{name}: too short to search for");
        self.secrets.push((name.to_owned(), value));
    }

    /// Every token the simulator issued (access tokens, refresh token ids).
    fn sim_tokens(&mut self, sim: &Simulator) {
        for token in sim.issued_tokens() {
            self.secret("a token the simulator issued", token);
        }
    }

    fn value<T: Debug>(&mut self, what: &str, value: &T) {
        self.shown.push((what.to_owned(), format!("{value:?}")));
        self.shown.push((what.to_owned(), format!("{value:#?}")));
    }

    fn error(&mut self, what: &str, error: &Error) {
        self.shown
            .push((format!("{what} (Display)"), error.to_string()));
        self.shown
            .push((format!("{what} (Debug)"), format!("{error:?}")));
        self.shown
            .push((format!("{what} (alternate Debug)"), format!("{error:#?}")));
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            self.shown
                .push((format!("{what} (cause)"), cause.to_string()));
            source = cause.source();
        }
    }

    /// Records a result's value or error; returns the value.
    fn ok<T: Debug>(&mut self, what: &str, result: Result<T, Error>) -> T {
        match result {
            Ok(value) => {
                self.value(what, &value);
                value
            }
            Err(error) => panic!("{what}: {error}"),
        }
    }

    /// Records the error of a result that must fail; returns it.
    fn err<T: Debug>(&mut self, what: &str, result: Result<T, Error>) -> Error {
        match result {
            Ok(value) => panic!("{what}: expected an error, got {value:?}"),
            Err(error) => {
                self.error(what, &error);
                error
            }
        }
    }

    /// Asserts that the log holds each of `expected`, then that no secret
    /// (whole, or its last 16 characters: a JWT's signature, a password's
    /// end) shows anywhere.
    fn finish(self, expected: &[&str]) {
        let log = self.log.text();
        for needle in expected {
            assert!(log.contains(needle), "the log lacks {needle:?}:\n{log}");
        }
        assert!(!self.shown.is_empty());
        for (name, secret) in &self.secrets {
            let tail = &secret[secret.len() - 16..];
            for fragment in [secret.as_str(), tail] {
                if let Some(at) = log.find(fragment) {
                    let line = log[..at].rsplit('\n').next().unwrap_or_default();
                    panic!("{name} is in the log: {line}…");
                }
                for (what, text) in &self.shown {
                    assert!(!text.contains(fragment), "{name} shows in {what}: {text}");
                }
            }
        }
    }
}

async fn sim_with(config: idp_sim::SimConfigBuilder) -> Simulator {
    let config = config
        .vcf_user(VCF_USER, VCF_PASSWORD)
        .unleash_api_key(UNLEASH_KEY)
        .unleash_read_only_key(UNLEASH_READ_ONLY_KEY)
        .build()
        .unwrap();
    Simulator::start(config).await.unwrap()
}

fn session(url: &str, password: &str) -> VcfClient {
    VcfClient::builder(url)
        .credentials(VCF_USER, Secret::new(password))
        .config(&fast_config())
        .build()
        .unwrap()
}

fn unleash(url: &str, key: &str) -> UnleashClient {
    UnleashClient::builder(url)
        .api_token(Secret::new(key))
        .config(&fast_config())
        .build()
        .unwrap()
}

fn source_spec(password: &str, endpoint: &str) -> idp_client::IdentitySourceSpec {
    ad_source_builder("hygiene.example.com")
        .bind_password(Secret::new(password))
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}

fn okta_spec(secret: &str) -> idp_client::IdentityProviderSpec {
    okta_builder()
        .client_secret(Secret::new(secret))
        .sync_client_token_ttl(Duration::from_secs(3600))
        .build()
        .unwrap()
}

fn adfs_spec() -> idp_client::IdentityProviderSpec {
    AdfsSpecBuilder::new("My ADFS")
        .domain_name("external-idp.com")
        .domain_alias("external-idp")
        .bind_username("svc@external-idp.com")
        .bind_password(Secret::new(ADFS_LDAP_PASSWORD))
        .users_base_dn("users-base-dn")
        .groups_base_dn("groups-base-dn")
        .server_endpoint("ldap://dns01.domain.com")
        .client_id("dfd8b7d7-63e1-41e6-b0c0-bec38d7c3c5d")
        .client_secret(Secret::new(ADFS_CLIENT_SECRET))
        .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
        .build()
        .unwrap()
}

fn static_secrets(h: &mut Hygiene) {
    for (name, value) in [
        ("the VCF password", VCF_PASSWORD),
        ("a wrong VCF password", WRONG_VCF_PASSWORD),
        ("an LDAP bind password", LDAP_PASSWORD),
        ("an LDAP bind password", LDAP_PASSWORD_2),
        ("the ADFS bind password", ADFS_LDAP_PASSWORD),
        ("an OIDC client secret", CLIENT_SECRET),
        ("an OIDC client secret", CLIENT_SECRET_2),
        ("the ADFS client secret", ADFS_CLIENT_SECRET),
        ("the Unleash API key", UNLEASH_KEY),
        ("the Unleash read-only key", UNLEASH_READ_ONLY_KEY),
        ("a wrong Unleash key", WRONG_UNLEASH_KEY),
    ] {
        h.secret(name, value);
    }
}

/// Every VCF operation, on its success and failure paths, under `profile`.
async fn vcf_scenario(profile: Profile) {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(profile)).await;
    let url = sim.vcf().url();
    let vcf = session(&url, VCF_PASSWORD);
    h.value("the client", &vcf);

    // Reads (the first one logs in with the password).
    let providers = h.ok("list", vcf.list_identity_providers().await);
    assert_eq!(providers.len(), 1);
    let embedded = h.ok("embedded", vcf.embedded_identity_provider().await);
    let embedded_id = embedded.unwrap().id;
    h.ok("get", vcf.get_identity_provider(&embedded_id).await);
    h.ok("prechecks", vcf.identity_broker_prechecks().await);
    h.ok("active", vcf.active_identity_provider().await);
    h.ok("by name", vcf.find_identity_provider_by_name("x").await);
    h.err("get unknown", vcf.get_identity_provider("no-such-id").await);
    h.value("the logged-in client", &vcf);

    // Identity sources with a bind password.
    let spec = source_spec(LDAP_PASSWORD, "ldap://dc01.hygiene.example.com");
    h.value("a source spec", &spec);
    h.ok(
        "add source",
        vcf.add_embedded_identity_source(&embedded_id, &spec).await,
    );
    h.err(
        "add a duplicate source",
        vcf.add_embedded_identity_source(&embedded_id, &spec).await,
    );
    h.err(
        "add a source to an unknown provider",
        vcf.add_embedded_identity_source("no-such-id", &spec).await,
    );
    let spec_2 = source_spec(LDAP_PASSWORD_2, "ldap://dc02.hygiene.example.com");
    h.ok(
        "update source",
        vcf.update_embedded_identity_source(&embedded_id, "hygiene.example.com", &spec_2)
            .await,
    );
    h.ok(
        "get with the source",
        vcf.get_identity_provider(&embedded_id).await,
    );
    sim.faults().add(
        FaultRule::new(
            "PATCH",
            "/v1/identity-providers/{id}/identity-sources/{domainName}",
        )
        .respond(500)
        .times(1),
    );
    h.err(
        "update source, 500",
        vcf.update_embedded_identity_source(&embedded_id, "hygiene.example.com", &spec_2)
            .await,
    );
    h.ok(
        "delete source",
        vcf.delete_identity_source(&embedded_id, "hygiene.example.com")
            .await,
    );
    h.err(
        "delete a gone source",
        vcf.delete_identity_source(&embedded_id, "hygiene.example.com")
            .await,
    );

    // A federated provider with a client secret, and its sync client tokens.
    let okta = okta_spec(CLIENT_SECRET);
    h.value("an Okta spec", &okta);
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers")
            .respond(500)
            .times(1),
    );
    h.err(
        "add provider, 500 (never retried)",
        vcf.add_external_identity_provider(&okta).await,
    );
    let okta_id = h.ok(
        "add provider",
        vcf.add_external_identity_provider(&okta).await,
    );
    h.ok("get provider", vcf.get_identity_provider(&okta_id).await);
    for ttl in [Some(Duration::from_secs(600)), None] {
        let token = h.ok(
            "sync token",
            vcf.generate_sync_client_token(&okta_id, ttl).await,
        );
        h.secret("a sync client token", token.token.expose());
    }
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .respond(500)
            .times(1),
    );
    h.err(
        "sync token, 500",
        vcf.generate_sync_client_token(&okta_id, None).await,
    );
    sim.faults().add(
        FaultRule::new("POST", "/v1/identity-providers/{id}/sync-client")
            .respond_json(
                200,
                serde_json::json!({"token": {"value": "x"}, "expireAt": [1]}),
            )
            .times(1),
    );
    h.err(
        "sync token, undecodable",
        vcf.generate_sync_client_token(&okta_id, None).await,
    );
    h.err(
        "sync token of the embedded provider",
        vcf.generate_sync_client_token(&embedded_id, None).await,
    );
    h.ok(
        "list with a sync token",
        vcf.list_identity_providers().await,
    );
    h.ok(
        "update provider",
        vcf.update_external_identity_provider(&okta_id, &okta_spec(CLIENT_SECRET_2))
            .await,
    );
    h.err(
        "a second external provider",
        vcf.add_external_identity_provider(&adfs_spec()).await,
    );

    // Transient faults: retried GETs, a truncated body, a dropped connection.
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .respond(503)
            .retry_after(1)
            .times(1),
    );
    h.ok("list after a 503", vcf.list_identity_providers().await);
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .truncate_body()
            .times(1),
    );
    h.err("list, truncated", vcf.list_identity_providers().await);
    sim.faults().add(
        FaultRule::new("GET", "/v1/identity-providers")
            .drop_connection()
            .times(10),
    );
    h.err("list, dropped", vcf.list_identity_providers().await);
    sim.faults().clear();

    // A 401: the access token expired, so the session refreshes it with
    // the refresh token id and replays.
    sim.clear_requests();
    sim.expire_access_tokens();
    h.ok("list after a 401", vcf.list_identity_providers().await);
    assert!(
        sim.requests()
            .iter()
            .any(|r| r.path == "/v1/tokens/access-token/refresh"),
        "no refresh happened"
    );

    h.ok(
        "delete provider",
        vcf.delete_external_identity_provider(&okta_id).await,
    );
    h.err("get deleted", vcf.get_identity_provider(&okta_id).await);
    let adfs_id = h.ok(
        "add ADFS",
        vcf.add_external_identity_provider(&adfs_spec()).await,
    );
    h.ok("get ADFS", vcf.get_identity_provider(&adfs_id).await);
    h.ok(
        "delete ADFS",
        vcf.delete_external_identity_provider(&adfs_id).await,
    );

    // Invalid input: rejected before sending, with the secret in the spec.
    let incomplete = FederatedSpecBuilder::okta("okta")
        .client_secret(Secret::new(CLIENT_SECRET))
        .build();
    h.err("an incomplete spec", incomplete);
    h.err(
        "a bad id",
        vcf.update_external_identity_provider("..", &okta_spec(CLIENT_SECRET))
            .await,
    );

    h.ok("logout", vcf.logout().await);

    // Wrong credentials.
    let wrong = session(&url, WRONG_VCF_PASSWORD);
    h.value("a client with a wrong password", &wrong);
    h.err("wrong password", wrong.list_identity_providers().await);

    // A bearer token, then the same token expired.
    let bearer_token = sim.issue_access_token();
    let bearer = VcfClient::builder(&url)
        .bearer_token(Secret::new(bearer_token.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    h.value("a bearer client", &bearer);
    h.ok(
        "list with a bearer token",
        bearer.list_identity_providers().await,
    );
    sim.expire_access_tokens();
    let expired = h.err(
        "an expired bearer token",
        bearer.list_identity_providers().await,
    );
    assert!(expired.is_unauthorized());
    let bad_header = VcfClient::builder(&url)
        .bearer_token(Secret::new(format!("{bearer_token}\u{1}{bearer_token}")))
        .build();
    h.err("a bearer token that is not a header value", bad_header);
    h.secret("the bearer token", bearer_token);

    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&[
        "idp_client.operation",
        "createToken",
        "refreshAccessToken",
        "invalidateRefreshToken",
        "generateSyncClientToken",
        "addEmbeddedIdentitySource",
        "status=401",
        "status=500",
        "status=503",
        // reqwest's and hyper-util's `log` records, and the simulator's events.
        "hyper_util::client",
        "idp_sim::server",
    ]);
}

#[tokio::test]
async fn vcf_5_1_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf51).await;
}

#[tokio::test]
async fn vcf_5_2_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf52).await;
}

#[tokio::test]
async fn vcf_9_operations_show_no_secret() {
    vcf_scenario(Profile::Vcf9).await;
}

#[tokio::test]
async fn vcf_api_key_logins_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(Profile::Vcf9)).await;
    let key = sim.vcf().api_key();
    h.secret("the service user's API key", key.clone());
    h.secret("a wrong API key", format!("{key}-wrong"));
    // A refresh skew longer than any token's life: every call refreshes.
    let builder = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .token_refresh_skew(Duration::from_secs(24 * 3600))
        .config(&fast_config());
    h.value("the builder", &builder);
    let vcf = builder.build().unwrap();
    h.value("the client", &vcf);
    h.ok("list", vcf.list_identity_providers().await);
    h.ok("list again", vcf.list_identity_providers().await);
    h.value("the logged-in client", &vcf);
    h.ok("logout", vcf.logout().await);
    let wrong = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(format!("{key}-wrong")))
        .config(&fast_config())
        .build()
        .unwrap();
    let error = h.err("a wrong key", wrong.list_identity_providers().await);
    assert!(error.is_unauthorized(), "{error}");
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&["createToken", "refreshAccessToken", "status=401"]);
}

#[tokio::test]
async fn vcf_service_user_keys_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder().profile(Profile::Vcf9)).await;
    let vcf = session(&sim.vcf().url(), VCF_PASSWORD);
    let added = h.ok(
        "add a service user",
        vcf.add_service_user("ci-pipeline", "OPERATOR").await,
    );
    let key = added.api_key.expose().to_owned();
    h.secret("a new service user's API key", key.clone());
    h.secret("the seeded service user's API key", sim.vcf().api_key());
    h.ok("list users", vcf.list_users().await);
    h.ok("list ui users", vcf.list_ui_users().await);
    h.ok("list roles", vcf.list_roles().await);
    h.ok("list SSO domains", vcf.list_sso_domains().await);
    h.ok(
        "search principals",
        vcf.search_principals("embedded-ids.com", None).await,
    );
    h.err(
        "a duplicate service user",
        vcf.add_service_user("ci-pipeline", "OPERATOR").await,
    );
    h.err(
        "an unknown role",
        vcf.add_service_user("other", "ROOT").await,
    );
    let as_service = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    h.ok("list users with the new key", as_service.list_users().await);
    h.ok(
        "remove the service user",
        vcf.remove_user(&added.user.id).await,
    );
    let removed = VcfClient::builder(sim.vcf().url())
        .api_key(Secret::new(key.clone()))
        .config(&fast_config())
        .build()
        .unwrap();
    let error = h.err("the removed user's key", removed.list_users().await);
    assert!(error.is_unauthorized(), "{error}");
    h.value("the removed user's client", &removed);
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&["addUsers", "getUsers", "removeUser", "getRoles"]);
}

#[tokio::test]
async fn unleash_operations_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder()).await;
    let url = sim.unleash().url();
    let client = unleash(&url, UNLEASH_KEY);
    h.value("the client", &client);
    h.value(
        "the builder",
        &UnleashClient::builder(&url).api_token(Secret::new(UNLEASH_KEY)),
    );

    h.ok("settings", client.scim_settings().await);
    h.ok("enable", client.set_scim_settings(true).await);
    for _ in 0..2 {
        let token = h.ok("generate", client.generate_scim_token().await);
        h.secret("a SCIM token", token.token.expose());
    }
    sim.faults().add(
        FaultRule::new(
            "POST",
            "/unleash/api/admin/scim-settings/generate-new-token",
        )
        .respond(500)
        .times(1),
    );
    h.err("generate, 500", client.generate_scim_token().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/api/admin/scim-settings")
            .respond_html(502, "<html><title>Bad Gateway</title></html>")
            .times(10),
    );
    h.err("settings, 502", client.scim_settings().await);
    sim.faults().clear();
    h.ok("disable", client.set_scim_settings(false).await);

    let wrong = unleash(&url, WRONG_UNLEASH_KEY);
    assert!(
        h.err("a wrong key", wrong.scim_settings().await)
            .is_unauthorized()
    );
    let read_only = unleash(&url, UNLEASH_READ_ONLY_KEY);
    assert!(
        h.err("a read-only key", read_only.generate_scim_token().await)
            .is_forbidden()
    );
    let bearer = unleash(&url, &format!("Bearer {UNLEASH_KEY}"));
    h.ok("a Bearer-prefixed key", bearer.scim_settings().await);
    sim.shutdown().await;

    let open_source =
        sim_with(SimConfig::builder().unleash_edition(UnleashEdition::OpenSource)).await;
    let client = unleash(&open_source.unleash().url(), UNLEASH_KEY);
    assert!(
        h.err("open source", client.generate_scim_token().await)
            .is_not_found()
    );
    open_source.shutdown().await;

    h.finish(&[
        "getScimSettings",
        "setScimSettings",
        "generateScimToken",
        "status=401",
        "status=403",
        "status=404",
        "status=500",
    ]);
}

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

#[tokio::test]
async fn scim_probe_and_entra_validation_show_no_secret() {
    let mut h = Hygiene::start();
    static_secrets(&mut h);
    let sim = sim_with(SimConfig::builder()).await;
    let client = unleash(&sim.unleash().url(), UNLEASH_KEY);
    let token = h.ok("generate", client.generate_scim_token().await).token;
    h.secret("a SCIM token", token.expose());
    let url = format!("{}/scim", sim.unleash().url());
    let probe = |url: &str, token: &Secret| {
        idp_client::ScimClient::builder(url)
            .bearer_token(token.clone())
            .config(&fast_config())
            .build()
            .unwrap()
    };
    let accepted = probe(&url, &token);
    h.value("the probe", &accepted);
    h.value(
        "the builder",
        &idp_client::ScimClient::builder(&url).bearer_token(token.clone()),
    );
    h.ok("probe", accepted.probe().await);
    let wrong = Secret::new("wrong-scim-token-Kd82Lq5Ws");
    h.secret("a wrong SCIM token", wrong.expose());
    h.ok("probe, refused", probe(&url, &wrong).probe().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/scim/Users")
            .respond(500)
            .times(1),
    );
    h.err("probe, 500", accepted.probe().await);
    sim.faults().add(
        FaultRule::new("GET", "/unleash/scim/Users")
            .drop_connection()
            .times(1),
    );
    h.err("probe, dropped", accepted.probe().await);
    sim.faults().clear();

    let secret = sim.entra().client_secret();
    h.secret("the Entra client secret", secret.clone());
    let entra = idp_testkit::entra_client_builder(&sim).build().unwrap();
    let sp = sim.entra().service_principal_id();
    h.ok(
        "validate",
        entra
            .validate_synchronization_credentials(&sp, &url, &token)
            .await,
    );
    h.err(
        "validate, refused",
        entra
            .validate_synchronization_credentials(&sp, &url, &wrong)
            .await,
    );
    h.sim_tokens(&sim);
    sim.shutdown().await;
    h.finish(&[
        "SCIM probe answer",
        "validateSynchronizationCredentials",
        "status=400",
    ]);
}
