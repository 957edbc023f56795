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
pub use routes::operation::Operation;
pub use routes::{broker, entra, okta, scim, unleash, vcenter, vcf, vcf_ops};

use crate::server::ServerHandle;
use crate::state::Shared;

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

/// A running simulator of every API (see the [crate] docs), on one address.
/// Each API has a handle ([`vcf`](Simulator::vcf),
/// [`unleash`](Simulator::unleash), [`broker`](Simulator::broker),
/// [`vcenter`](Simulator::vcenter), [`okta`](Simulator::okta),
/// [`entra`](Simulator::entra)) with its URL, test credentials and state;
/// what spans the APIs (the address, TLS, faults, the request log, the
/// bearer tokens they share) is here. Stops on
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

    /// The simulator's base URL, which every API's URL starts with:
    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` with TLS.
    #[must_use]
    pub fn url(&self) -> String {
        self.base_url.clone()
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

    /// SDDC Manager: its URL and user, identity providers and sources, sync
    /// client tokens.
    #[must_use]
    pub fn vcf(&self) -> vcf::Handle<'_> {
        vcf::Handle::new(self)
    }

    /// Unleash: its URL, API keys and SCIM state.
    #[must_use]
    pub fn unleash(&self) -> unleash::Handle<'_> {
        unleash::Handle::new(self)
    }

    /// The VCF Identity Broker: its URL, tenant, admin client, directories
    /// and sync client tokens.
    #[must_use]
    pub fn broker(&self) -> broker::Handle<'_> {
        broker::Handle::new(self)
    }

    /// vCenter: its URL and open sessions.
    #[must_use]
    pub fn vcenter(&self) -> vcenter::Handle<'_> {
        vcenter::Handle::new(self)
    }

    /// Okta: its URL, API token, app and what was delivered to it.
    #[must_use]
    pub fn okta(&self) -> okta::Handle<'_> {
        okta::Handle::new(self)
    }

    /// VCF Operations 9.1 fleet identity (profile `vcf-9.1`): its URL and
    /// local user, realms, identity providers, sync client tokens, API
    /// tokens, OAuth apps and tasks.
    #[must_use]
    pub fn vcf_ops(&self) -> vcf_ops::Handle<'_> {
        vcf_ops::Handle::new(self)
    }

    /// Microsoft Entra (identity platform and Graph): URLs, tenant, app
    /// registration, service principal and what was delivered to it.
    #[must_use]
    pub fn entra(&self) -> entra::Handle<'_> {
        entra::Handle::new(self)
    }

    /// The SCIM 2.0 directories behind every SCIM URL the simulator hands
    /// out: their URLs, the provisioned users and groups, and a push as an
    /// identity provider makes it.
    #[must_use]
    pub fn scim(&self) -> scim::Handle<'_> {
        scim::Handle::new(self)
    }

    /// A valid access token for the first VCF user, as `POST /v1/tokens`
    /// would issue (in a new login session). The broker accepts it too.
    #[must_use]
    pub fn issue_access_token(&self) -> String {
        let username = self.vcf().username().to_owned();
        let mut model = self.shared.model();
        auth::login(
            &mut model,
            &username,
            self.shared.config.access_token_lifetime,
        )
        .0
    }

    /// Every access token and refresh token id issued so far by SDDC
    /// Manager, the broker and vCenter (expired and revoked ones too), for
    /// tests that prove no token leaks.
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

    /// Makes every access token SDDC Manager, the broker and vCenter issued
    /// so far expired (refresh tokens stay valid), to test a client's
    /// reaction to a 401.
    pub fn expire_access_tokens(&self) {
        let now = SystemTime::now();
        for token in self.shared.model().access_tokens.values_mut() {
            if token.expires_at > now {
                token.expires_at = now;
            }
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
