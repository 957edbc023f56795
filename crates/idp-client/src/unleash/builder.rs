//! Configures a [`Client`].

use std::fmt;
use std::sync::Arc;

use idp_api::Secret;

use super::client::{Client, Inner};
use crate::auth::{sensitive_header, strip_scheme};
use crate::config::{redact_url, without_trailing_slash};
use crate::{ClientConfig, Error};

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: [`ClientConfig::default`].
pub struct ClientBuilder {
    base_url: String,
    config: ClientConfig,
    api_token: Option<Secret>,
}

impl ClientBuilder {
    pub(super) fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            config: ClientConfig::default(),
            api_token: None,
        }
    }

    /// The admin API token, sent as is in `Authorization` (a `Bearer `
    /// prefix is removed: only newer servers accept it). Required.
    #[must_use]
    pub fn api_token(mut self, token: impl Into<Secret>) -> Self {
        self.api_token = Some(token.into());
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
    /// not loopback (unless allowed), invalid CA PEM, a missing or empty API
    /// token, or a TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let url = self.config.base_url(&self.base_url)?;
        let mut base_url = without_trailing_slash(&url);
        if base_url.len() >= 4 && base_url[base_url.len() - 4..].eq_ignore_ascii_case("/api") {
            base_url.truncate(base_url.len() - 4);
            base_url = base_url.trim_end_matches('/').to_owned();
        }
        let token = self
            .api_token
            .ok_or_else(|| Error::config("no API token: call api_token(token)"))?;
        let token = strip_scheme(token.expose(), "Bearer");
        if token.is_empty() {
            return Err(Error::config("the API token is empty"));
        }
        let authorization = sensitive_header(token, "API token")?;
        let client = self.config.build_client()?;
        let api = idp_api::unleash::Client::new_with_client(
            &base_url,
            client,
            self.config.request_hooks(),
        );
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                base_url,
                retry: self.config.retry,
                authorization,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnleashClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("api_token", &self.api_token.as_ref().map(|_| "<redacted>"))
            .field("config", &self.config)
            .finish()
    }
}
