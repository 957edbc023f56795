//! Configures a [`Client`].

use std::fmt;

use idp_api::Secret;

use super::client::Client;
use crate::config::redact_url;
use crate::{ClientConfig, Error};

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: [`ClientConfig::default`].
pub struct ClientBuilder {
    base_url: String,
    config: ClientConfig,
    credentials: Option<(String, Secret)>,
}

impl ClientBuilder {
    pub(super) fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            config: ClientConfig::default(),
            credentials: None,
        }
    }

    /// The vCenter user (with `VcIdentityProviders.Manage`) and password,
    /// sent as HTTP Basic to create each session. Required.
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some((username.into(), password.into()));
        self
    }

    /// The transport settings: timeouts, trusted CAs, the insecure
    /// opt-out, plain HTTP, `User-Agent`, response bound and retry policy
    /// (default [`ClientConfig::default`]). One [`ClientConfig`] serves any
    /// number of clients.
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        self.config = config.clone();
        self
    }

    /// Builds the client. Nothing is sent yet.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an invalid base URL, `http://` to a host that
    /// is not loopback (unless allowed), missing or empty credentials, or a
    /// TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.config.endpoint(&self.base_url)?;
        let (username, password) = self
            .credentials
            .filter(|(user, password)| !user.trim().is_empty() && !password.expose().is_empty())
            .ok_or_else(|| {
                Error::config("no vCenter credentials: call credentials(username, password)")
            })?;
        let api = idp_api::vcenter::Client::new_with_client(
            &base_url,
            self.config.build_client()?,
            self.config.request_hooks(),
        );
        Client::from_parts(api, base_url, self.config.retry, &username, &password)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VcenterClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field(
                "credentials",
                &self
                    .credentials
                    .as_ref()
                    .map(|(user, _)| format!("user {user:?}, password <redacted>")),
            )
            .field("config", &self.config)
            .finish()
    }
}
