//! Configures a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use idp_api::Secret;

use super::auth::AppTokenGrant;
use super::client::{Client, Inner};
use crate::auth::{ClientCredentials, DEFAULT_TOKEN_REFRESH_SKEW};
use crate::config::redact_url;
use crate::{ClientConfig, Error};

/// The login host of the global service.
pub const DEFAULT_ENTRA_LOGIN_URL: &str = "https://login.microsoftonline.com";
/// The Microsoft Graph host of the global service.
pub const DEFAULT_ENTRA_GRAPH_URL: &str = "https://graph.microsoft.com";

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: the global service's hosts ([`DEFAULT_ENTRA_LOGIN_URL`],
/// [`DEFAULT_ENTRA_GRAPH_URL`]), [`ClientConfig::default`], the app-only
/// token renewed 60 s before it expires.
pub struct ClientBuilder {
    tenant: String,
    login_url: String,
    graph_url: String,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    refresh_skew: Duration,
    config: ClientConfig,
}

impl ClientBuilder {
    pub(super) fn new(tenant: impl Into<String>) -> Self {
        Self {
            tenant: tenant.into(),
            login_url: DEFAULT_ENTRA_LOGIN_URL.to_owned(),
            graph_url: DEFAULT_ENTRA_GRAPH_URL.to_owned(),
            client_id: None,
            client_secret: None,
            refresh_skew: DEFAULT_TOKEN_REFRESH_SKEW,
            config: ClientConfig::default(),
        }
    }

    /// The login host (a national cloud's, or a simulator's).
    #[must_use]
    pub fn login_url(mut self, url: impl Into<String>) -> Self {
        self.login_url = url.into();
        self
    }

    /// The Microsoft Graph host (a national cloud's, or a simulator's); the
    /// token is requested for its `/.default` scope.
    #[must_use]
    pub fn graph_url(mut self, url: impl Into<String>) -> Self {
        self.graph_url = url.into();
        self
    }

    /// The application (client) id. Required.
    #[must_use]
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The client secret. Required.
    #[must_use]
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// How long before the app-only token's expiry it is renewed (default
    /// 60 s).
    #[must_use]
    pub fn token_refresh_skew(mut self, skew: Duration) -> Self {
        self.refresh_skew = skew;
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
    /// [`Error::Config`] for an invalid URL, `http://` to a host that is not
    /// loopback (unless allowed), a missing tenant, client id or secret, or
    /// a TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let login_url = self.config.endpoint(&self.login_url)?;
        let graph_url = self.config.endpoint(&self.graph_url)?;
        let tenant = self.tenant.trim().to_owned();
        if tenant.is_empty()
            || !tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
        {
            return Err(Error::config(
                "the tenant is empty or not a tenant id or domain name",
            ));
        }
        let client_id = self
            .client_id
            .filter(|id| !id.trim().is_empty())
            .ok_or_else(|| Error::config("no client id: call client_id(id)"))?;
        let client_id = client_id.trim().to_owned();
        let client_secret = self
            .client_secret
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or_else(|| Error::config("no client secret: call client_secret(secret)"))?;
        let client = self.config.build_client()?;
        let identity = idp_api::msidentity::Client::new_with_client(
            &login_url,
            client.clone(),
            self.config.request_hooks(),
        );
        let graph = idp_api::msgraph::Client::new_with_client(
            &graph_url,
            client,
            self.config.request_hooks(),
        );
        let grant = AppTokenGrant {
            identity,
            retry: self.config.retry.clone(),
            tenant: tenant.clone(),
            client_id: client_id.clone(),
            client_secret,
            scope: format!("{graph_url}/.default"),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                graph,
                login_url,
                graph_url,
                tenant,
                client_id,
                retry: self.config.retry,
                token: ClientCredentials::new(grant, self.refresh_skew),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EntraClientBuilder")
            .field("tenant", &self.tenant)
            .field("login_url", &redact_url(&self.login_url))
            .field("graph_url", &redact_url(&self.graph_url))
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("token_refresh_skew", &self.refresh_skew)
            .field("config", &self.config)
            .finish()
    }
}
