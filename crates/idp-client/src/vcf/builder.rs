//! Configures a [`Client`].

use std::fmt;
use std::time::Duration;

use idp_api::Secret;

use super::auth::{LoginCredentials, TokenApi};
use super::client::{Client, VcfAuth};
use crate::auth::{DEFAULT_TOKEN_REFRESH_SKEW, VcfSession, scheme_header};
use crate::config::redact_url;
use crate::{ClientConfig, Error};

enum Credentials {
    Bearer(Secret),
    Password { username: String, password: Secret },
    ApiKey(Secret),
}

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: [`ClientConfig::default`], tokens refreshed 60 s before they
/// expire.
pub struct ClientBuilder {
    base_url: String,
    config: ClientConfig,
    credentials: Option<Credentials>,
    refresh_skew: Duration,
}

impl ClientBuilder {
    pub(crate) fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            config: ClientConfig::default(),
            credentials: None,
            refresh_skew: DEFAULT_TOKEN_REFRESH_SKEW,
        }
    }

    /// Logs in with a user name and password (`POST /v1/tokens`) on first
    /// use, refreshes the access token before it expires and after a 401,
    /// and logs in again when a refresh fails.
    #[must_use]
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Logs in with a service account's API key (`POST /v1/tokens` with
    /// `apiKey`) on first use; refreshes and logs in again exactly as
    /// [`credentials`](Self::credentials) does. Replaces any credentials
    /// set before.
    #[must_use]
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::ApiKey(key.into()));
        self
    }

    /// Uses an access token obtained elsewhere (a `Bearer ` prefix is
    /// tolerated). It is never refreshed: once it expires, calls fail with
    /// 401.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// How long before the access token's expiry (the JWT's `exp`) it is
    /// refreshed (default 60 s).
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
    /// [`Error::Config`] for an invalid base URL, `http://` to a host that is
    /// not loopback (unless allowed), missing or empty credentials, or a TLS
    /// setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.config.endpoint(&self.base_url)?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "no credentials: call credentials(username, password), api_key(key) or bearer_token(token)",
            )
        })?;
        let client = self.config.build_client()?;
        let api =
            idp_api::vcf::Client::new_with_client(&base_url, client, self.config.request_hooks());
        let login = match credentials {
            Credentials::Bearer(token) => {
                let header = scheme_header("Bearer", &token, "bearer token")?;
                return Ok(Client::from_parts(
                    api,
                    base_url,
                    self.config.retry,
                    VcfAuth::Bearer(header),
                ));
            }
            Credentials::Password { username, password } => {
                if username.trim().is_empty() {
                    return Err(Error::config("the user name is empty"));
                }
                if password.is_empty() {
                    return Err(Error::config("the password is empty"));
                }
                LoginCredentials::Password { username, password }
            }
            Credentials::ApiKey(key) => {
                if key.expose().trim().is_empty() {
                    return Err(Error::config("the API key is empty"));
                }
                LoginCredentials::ApiKey(key)
            }
        };
        let tokens = TokenApi {
            api: api.clone(),
            retry: self.config.retry.clone(),
            credentials: login,
        };
        let auth = VcfAuth::Session(Box::new(VcfSession::new(tokens, self.refresh_skew)));
        Ok(Client::from_parts(api, base_url, self.config.retry, auth))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none".to_owned(),
            Some(Credentials::Bearer(_)) => "bearer token <redacted>".to_owned(),
            Some(Credentials::Password { username, .. }) => {
                format!("user {username:?}, password <redacted>")
            }
            Some(Credentials::ApiKey(_)) => "API key <redacted>".to_owned(),
        };
        f.debug_struct("VcfClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("credentials", &credentials)
            .field("token_refresh_skew", &self.refresh_skew)
            .field("config", &self.config)
            .finish()
    }
}
