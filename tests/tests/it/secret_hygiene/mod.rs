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

mod scim;
mod tls;
mod unleash;
mod vcf;
mod vcf_ops;
