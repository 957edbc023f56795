#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::SystemTime;

use tokio::net::TcpListener;

mod auth;
mod config;
mod error;
mod faults;
mod ids;
mod paths;
mod request_log;
mod routes;
mod server;
mod state;
mod tls;
mod vendor_error;

pub use config::{DEFAULT_VCF_USERNAME, Profile, SimConfig, SimConfigBuilder, UnleashEdition};
pub use error::SimError;
pub use faults::{ActiveFault, FaultAction, FaultBody, FaultId, FaultRule, Faults};
pub use paths::{
    ADMIN_PREFIX, ENTRA_GRAPH_PREFIX, ENTRA_LOGIN_PREFIX, OKTA_PREFIX, UNLEASH_PREFIX,
};
pub use request_log::{REDACTED, RecordedRequest};

use crate::server::ServerHandle;
use crate::state::{ProviderKind, Shared};

/// A token delivered to a simulated identity provider, for tests to compare
/// with the token VCF or Unleash now accepts. `Debug` redacts the token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveredToken {
    /// The SCIM bearer token as delivered.
    pub token: String,
    /// The SCIM base URL delivered with it, if any.
    pub scim_url: Option<String>,
    /// Whether the connection is active (Okta: `ENABLED`; always `true` for
    /// Entra secrets).
    pub active: bool,
}

impl std::fmt::Debug for DeliveredToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeliveredToken")
            .field("token", &REDACTED)
            .field("scim_url", &self.scim_url)
            .field("active", &self.active)
            .finish()
    }
}

/// A running simulator of SDDC Manager and Unleash. Stops on
/// [`shutdown`](Simulator::shutdown) or when dropped. Its `Debug` shows no
/// credential or token.
pub struct Simulator {
    shared: Arc<Shared>,
    local_addr: SocketAddr,
    base_url: String,
    ca_pem: Option<String>,
    server: Option<ServerHandle>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("url", &self.base_url)
            .field("profile", &self.shared.config.profile)
            .field("tls", &self.ca_pem.is_some())
            .field("running", &self.server.is_some())
            .finish()
    }
}

impl Simulator {
    /// Binds the listen address and starts serving in the background (on
    /// the current tokio runtime).
    pub async fn start(config: SimConfig) -> Result<Simulator, SimError> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.listen,
                source,
            })?;
        let local_addr = listener.local_addr()?;
        let tls = if config.tls {
            Some(tls::generate()?)
        } else {
            None
        };
        let host = if tls.is_some() {
            "localhost".to_owned()
        } else {
            match local_addr.ip() {
                IpAddr::V4(ip) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
                IpAddr::V4(ip) => ip.to_string(),
                IpAddr::V6(ip) if ip.is_unspecified() => format!("[{}]", Ipv6Addr::LOCALHOST),
                IpAddr::V6(ip) => format!("[{ip}]"),
            }
        };
        let authority = format!("{host}:{}", local_addr.port());
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = format!("{scheme}://{authority}");
        let shared = Arc::new(Shared::new(config, authority));
        let (acceptor, ca_pem) = match tls {
            Some(material) => (Some(material.acceptor), Some(material.ca_pem)),
            None => (None, None),
        };
        let server = server::spawn(listener, acceptor, Arc::clone(&shared));
        tracing::info!(url = %base_url, profile = %shared.config.profile, "idp-sim started");
        Ok(Simulator {
            shared,
            local_addr,
            base_url,
            ca_pem,
            server: Some(server),
        })
    }

    /// The VCF base URL: `http://127.0.0.1:PORT`, or `https://localhost:PORT`
    /// with TLS.
    #[must_use]
    pub fn vcf_url(&self) -> String {
        self.base_url.clone()
    }

    /// The Unleash base URL: [`vcf_url`](Self::vcf_url) + `/unleash`.
    #[must_use]
    pub fn unleash_url(&self) -> String {
        format!("{}{UNLEASH_PREFIX}", self.base_url)
    }

    /// The base URL of the control routes: append `/__sim/faults` or
    /// `/__sim/requests`.
    #[must_use]
    pub fn admin_url(&self) -> String {
        self.base_url.clone()
    }

    /// The bound address.
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The PEM of the CA that signed the server certificate (TLS only).
    #[must_use]
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The configuration in use.
    #[must_use]
    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// The server profile.
    #[must_use]
    pub fn profile(&self) -> Profile {
        self.shared.config.profile
    }

    /// The first configured VCF user's name (a test credential).
    #[must_use]
    pub fn vcf_username(&self) -> &str {
        self.shared
            .config
            .users
            .first()
            .map_or(DEFAULT_VCF_USERNAME, |u| u.username.as_str())
    }

    /// The first configured VCF user's password (a test credential).
    #[must_use]
    pub fn vcf_password(&self) -> &str {
        self.shared
            .config
            .users
            .first()
            .map_or("", |u| u.password.as_str())
    }

    /// The Unleash admin API key (a test credential).
    #[must_use]
    pub fn unleash_api_key(&self) -> &str {
        &self.shared.config.unleash_api_key
    }

    /// The Unleash read-only key, if configured.
    #[must_use]
    pub fn unleash_read_only_key(&self) -> Option<&str> {
        self.shared.config.unleash_read_only_key.as_deref()
    }

    /// The fault rules; add and clear them at any time.
    #[must_use]
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The requests seen so far (not `/__sim` ones), in arrival order.
    #[must_use]
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Forgets the requests seen so far.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// The broker base URL (the same server: the broker's paths sit beside
    /// the others, as on a vCenter).
    #[must_use]
    pub fn broker_url(&self) -> String {
        self.vcf_url()
    }

    /// The simulated broker's one tenant.
    #[must_use]
    pub fn broker_tenant(&self) -> &'static str {
        state::BROKER_TENANT
    }

    /// The client id of the broker's admin OAuth 2.0 client.
    #[must_use]
    pub fn broker_client_id(&self) -> &'static str {
        state::BROKER_ADMIN_CLIENT_ID
    }

    /// The current secret of the broker's admin OAuth 2.0 client.
    #[must_use]
    pub fn broker_client_secret(&self) -> String {
        self.shared
            .model()
            .broker
            .clients
            .get(state::BROKER_ADMIN_CLIENT_ID)
            .map(|c| c.secret.clone())
            .unwrap_or_default()
    }

    /// The sync client access token currently valid for a broker
    /// directory, if one was generated.
    #[must_use]
    pub fn broker_sync_token(&self, directory_id: &str) -> Option<String> {
        let model = self.shared.model();
        let token = model.broker.sync_clients.get(directory_id)?.token.clone()?;
        model.access_tokens.contains_key(&token).then_some(token)
    }

    /// How many broker directories exist.
    #[must_use]
    pub fn broker_directory_count(&self) -> usize {
        self.shared.model().broker.directories.len()
    }

    /// The ids of the open vCenter sessions: created by `POST /api/session`
    /// and not yet ended by `DELETE /api/session` (in no particular order).
    #[must_use]
    pub fn vcenter_sessions(&self) -> Vec<String> {
        self.shared
            .model()
            .broker
            .vcenter_sessions
            .iter()
            .cloned()
            .collect()
    }

    /// A valid access token for the first user, as `POST /v1/tokens` would
    /// issue (in a new login session).
    #[must_use]
    pub fn issue_access_token(&self) -> String {
        let username = self.vcf_username().to_owned();
        let mut model = self.shared.model();
        auth::login(
            &mut model,
            &username,
            self.shared.config.access_token_lifetime,
        )
        .0
    }

    /// Every access token and refresh token id issued so far (expired and
    /// revoked ones too), for tests that prove no token leaks.
    #[must_use]
    pub fn issued_tokens(&self) -> Vec<String> {
        let model = self.shared.model();
        model
            .access_tokens
            .keys()
            .chain(model.refresh_tokens.keys())
            .cloned()
            .collect()
    }

    /// Makes every access token issued so far expired (refresh tokens stay
    /// valid), to test a client's reaction to a 401.
    pub fn expire_access_tokens(&self) {
        let now = SystemTime::now();
        for token in self.shared.model().access_tokens.values_mut() {
            if token.expires_at > now {
                token.expires_at = now;
            }
        }
    }

    /// How many identity providers exist (the embedded one included).
    #[must_use]
    pub fn identity_provider_count(&self) -> usize {
        self.shared.model().providers.len()
    }

    /// How many identity sources the embedded provider has (three at start).
    #[must_use]
    pub fn identity_source_count(&self) -> usize {
        self.shared.model().embedded_sources().len()
    }

    /// The domain names of the embedded provider's identity sources.
    #[must_use]
    pub fn identity_source_domains(&self) -> Vec<String> {
        self.shared
            .model()
            .embedded_sources()
            .iter()
            .flat_map(|s| s.domain_names.iter().cloned())
            .collect()
    }

    /// The embedded provider's id.
    #[must_use]
    pub fn embedded_provider_id(&self) -> String {
        self.shared
            .model()
            .embedded_id()
            .unwrap_or_default()
            .to_owned()
    }

    /// The external provider's id, if one is configured.
    #[must_use]
    pub fn external_provider_id(&self) -> Option<String> {
        self.shared
            .model()
            .providers
            .iter()
            .find(|p| !p.is_embedded())
            .map(|p| p.id.clone())
    }

    /// The body `GET /v1/identity-providers` would return now.
    #[must_use]
    pub fn identity_providers_json(&self) -> serde_json::Value {
        let model = self.shared.model();
        routes::vcf::render::providers_json(&self.shared, &model)
    }

    /// The current (only valid) sync client token of a federated provider.
    #[must_use]
    pub fn sync_client_token(&self, provider_id: &str) -> Option<String> {
        match &self.shared.model().provider(provider_id)?.kind {
            ProviderKind::Federated(fed) => fed.sync_token.as_ref().map(|t| t.token.clone()),
            _ => None,
        }
    }

    /// Sets when the current sync client token of a federated provider
    /// expires (to test expiry checks and due rotation); `false` when the
    /// provider has no sync client token.
    pub fn set_sync_client_token_expiry(
        &self,
        provider_id: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let mut model = self.shared.model();
        let Some(provider) = model.provider_mut(provider_id) else {
            return false;
        };
        match &mut provider.kind {
            ProviderKind::Federated(fed) => match &mut fed.sync_token {
                Some(token) => {
                    token.expire_at = expires_at;
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// The current (only valid) Unleash SCIM token.
    #[must_use]
    pub fn unleash_scim_token(&self) -> Option<String> {
        self.shared.model().unleash.token.clone()
    }

    /// Whether Unleash SCIM is enabled.
    #[must_use]
    pub fn unleash_scim_enabled(&self) -> bool {
        self.shared.model().unleash.enabled
    }

    /// The simulated Okta org's URL (`OKTA_URL`): the simulator's URL with
    /// [`OKTA_PREFIX`].
    #[must_use]
    pub fn okta_url(&self) -> String {
        format!("{}{OKTA_PREFIX}", self.base_url)
    }

    /// The Okta API token the simulated org accepts, as `SSWS <token>` or
    /// `Bearer <token>` (`OKTA_API_TOKEN`).
    #[must_use]
    pub fn okta_api_token(&self) -> String {
        self.shared.model().okta.api_token.clone()
    }

    /// The id of the seeded Okta app (`OKTA_APP_ID`), which has no
    /// provisioning connection until one is set.
    #[must_use]
    pub fn okta_app_id(&self) -> String {
        let model = self.shared.model();
        let mut ids: Vec<&String> = model.okta.apps.keys().collect();
        ids.sort();
        ids.first().map(|id| (*id).clone()).unwrap_or_default()
    }

    /// What was delivered to an Okta app's default provisioning connection:
    /// the token and the base URL (`None` when the app is unknown or has no
    /// connection yet).
    #[must_use]
    pub fn okta_delivered(&self, app_id: &str) -> Option<DeliveredToken> {
        let model = self.shared.model();
        let connection = model.okta.apps.get(app_id)?.connection.as_ref()?;
        Some(DeliveredToken {
            token: connection.token.clone(),
            scim_url: connection.base_url.clone(),
            active: connection.enabled,
        })
    }

    /// The simulated Microsoft identity platform login host
    /// (`ENTRA_LOGIN_URL`): the simulator's URL with [`ENTRA_LOGIN_PREFIX`].
    #[must_use]
    pub fn entra_login_url(&self) -> String {
        format!("{}{ENTRA_LOGIN_PREFIX}", self.base_url)
    }

    /// The simulated Microsoft Graph host (`ENTRA_GRAPH_URL`): the
    /// simulator's URL with [`ENTRA_GRAPH_PREFIX`].
    #[must_use]
    pub fn entra_graph_url(&self) -> String {
        format!("{}{ENTRA_GRAPH_PREFIX}", self.base_url)
    }

    /// The simulated tenant's id (`ENTRA_TENANT_ID`).
    #[must_use]
    pub fn entra_tenant_id(&self) -> String {
        self.shared.model().entra.tenant_id.clone()
    }

    /// The app registration's client id (`ENTRA_CLIENT_ID`).
    #[must_use]
    pub fn entra_client_id(&self) -> String {
        self.shared.model().entra.client_id.clone()
    }

    /// The app registration's client secret (`ENTRA_CLIENT_SECRET`).
    #[must_use]
    pub fn entra_client_secret(&self) -> String {
        self.shared.model().entra.client_secret.clone()
    }

    /// The id of the seeded service principal
    /// (`ENTRA_SERVICE_PRINCIPAL_ID`), which has no synchronization secrets
    /// until some are put.
    #[must_use]
    pub fn entra_service_principal_id(&self) -> String {
        let model = self.shared.model();
        let mut ids: Vec<&String> = model.entra.service_principals.keys().collect();
        ids.sort();
        ids.first().map(|id| (*id).clone()).unwrap_or_default()
    }

    /// What was delivered to a service principal's synchronization secrets:
    /// `SecretToken` and `BaseAddress` (`None` when the service principal is
    /// unknown or has no `SecretToken`).
    #[must_use]
    pub fn entra_delivered(&self, service_principal_id: &str) -> Option<DeliveredToken> {
        let model = self.shared.model();
        let secrets = model.entra.service_principals.get(service_principal_id)?;
        let get = |key: &str| {
            secrets
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        Some(DeliveredToken {
            token: get("SecretToken")?,
            scim_url: get("BaseAddress"),
            active: true,
        })
    }

    /// Makes every app-only token the simulated token endpoint issued
    /// expire now (Graph answers them 401).
    pub fn expire_entra_tokens(&self) {
        let now = SystemTime::now();
        for expires in self.shared.model().entra.access_tokens.values_mut() {
            *expires = now;
        }
    }

    /// Stops the server and waits for it to finish; open connections are
    /// closed.
    pub async fn shutdown(mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown.send(true);
            let _ = server.task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            let _ = server.shutdown.send(true);
            server.task.abort();
        }
    }
}
