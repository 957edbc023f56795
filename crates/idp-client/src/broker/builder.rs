//! Configures a [`Client`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use idp_api::Secret;

use super::auth::{OAuthClientGrant, VcenterAdminGrant};
use super::client::{BrokerAuth, Client, Inner};
use crate::auth::{ClientCredentials, DEFAULT_TOKEN_REFRESH_SKEW, scheme_header};
use crate::config::redact_url;
use crate::runtime::input::path_segment;
use crate::{ClientConfig, Error, vcenter};

/// The default broker tenant on vCenter.
pub const DEFAULT_BROKER_TENANT: &str = "CUSTOMER";

enum Credentials {
    Bearer(Secret),
    OAuthClient(String, Secret),
    Vcenter(String, Secret),
}

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Exactly one of [`bearer_token`](Self::bearer_token),
/// [`oauth_client`](Self::oauth_client) and
/// [`vcenter_credentials`](Self::vcenter_credentials) is needed (the last
/// one set wins). Defaults: tenant `CUSTOMER`, [`ClientConfig::default`],
/// tokens renewed 60 s before they expire.
pub struct ClientBuilder {
    base_url: String,
    tenant: String,
    config: ClientConfig,
    credentials: Option<Credentials>,
    refresh_skew: Duration,
}

impl ClientBuilder {
    pub(super) fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            tenant: DEFAULT_BROKER_TENANT.to_owned(),
            config: ClientConfig::default(),
            credentials: None,
            refresh_skew: DEFAULT_TOKEN_REFRESH_SKEW,
        }
    }

    /// The broker tenant (default `CUSTOMER`).
    #[must_use]
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = tenant.into();
        self
    }

    /// A broker admin token to send as is (a `Bearer ` prefix is removed).
    /// It is not renewed.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// An OAuth 2.0 client of the broker: the client gets its admin token
    /// from the token endpoint (client credentials) and renews it.
    #[must_use]
    pub fn oauth_client(mut self, client_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::OAuthClient(client_id.into(), secret.into()));
        self
    }

    /// A vCenter user with `VcIdentityProviders.Manage`: the client reads
    /// the tenant admin client's token from vCenter (through
    /// [`vcenter::Client`]) and does so again before it expires.
    #[must_use]
    pub fn vcenter_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.credentials = Some(Credentials::Vcenter(username.into(), password.into()));
        self
    }

    /// How long before a token's expiry it is renewed (default 60 s).
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
    /// [`Error::Config`] for an invalid base URL, `http://` to a host that
    /// is not loopback (unless allowed), an empty or invalid tenant, no or
    /// empty credentials, or a TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.config.endpoint(&self.base_url)?;
        let tenant = self.tenant.trim().to_owned();
        path_segment("tenant", &tenant).map_err(|e| Error::config(format!("the tenant {e}")))?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config("no credentials: call bearer_token, oauth_client or vcenter_credentials")
        })?;
        let client = self.config.build_client()?;
        let api = idp_api::broker::Client::new_with_client(
            &base_url,
            client.clone(),
            self.config.request_hooks(),
        );
        let retry = self.config.retry.clone();
        let auth = match credentials {
            Credentials::Bearer(token) => {
                BrokerAuth::Bearer(scheme_header("Bearer", &token, "bearer token")?)
            }
            Credentials::OAuthClient(client_id, secret) => {
                if client_id.trim().is_empty() || secret.expose().is_empty() {
                    return Err(Error::config("the OAuth client id or secret is empty"));
                }
                let grant = OAuthClientGrant {
                    api: api.clone(),
                    tenant: tenant.clone(),
                    retry: retry.clone(),
                    client_id,
                    secret,
                };
                BrokerAuth::Token(Box::new(ClientCredentials::new(grant, self.refresh_skew)))
            }
            Credentials::Vcenter(username, password) => {
                if username.trim().is_empty() || password.expose().is_empty() {
                    return Err(Error::config("the vCenter user name or password is empty"));
                }
                let vcenter = idp_api::vcenter::Client::new_with_client(
                    &base_url,
                    client,
                    self.config.request_hooks(),
                );
                let grant = VcenterAdminGrant {
                    vcenter: vcenter::Client::from_parts(
                        vcenter,
                        base_url.clone(),
                        retry.clone(),
                        &username,
                        &password,
                    )?,
                    tenant: tenant.clone(),
                };
                BrokerAuth::Token(Box::new(ClientCredentials::new(grant, self.refresh_skew)))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                base_url,
                tenant,
                retry,
                auth,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none",
            Some(Credentials::Bearer(_)) => "bearer <redacted>",
            Some(Credentials::OAuthClient(..)) => "oauth-client <redacted>",
            Some(Credentials::Vcenter(..)) => "vcenter <redacted>",
        };
        f.debug_struct("BrokerClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("tenant", &self.tenant)
            .field("credentials", &credentials)
            .field("config", &self.config)
            .finish()
    }
}
