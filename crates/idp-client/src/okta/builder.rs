//! Configures a [`Client`].

use std::fmt;
use std::sync::Arc;

use idp_api::Secret;

use super::client::{Client, Inner};
use crate::auth::scheme_header;
use crate::config::redact_url;
use crate::{ClientConfig, Error};

/// The two ways Okta accepts a credential.
enum Credential {
    /// An API token: `Authorization: SSWS <token>`.
    ApiToken(Secret),
    /// An OAuth 2.0 access token: `Authorization: Bearer <token>`.
    AccessToken(Secret),
}

/// Configures and builds a [`Client`]; start with [`Client::builder`].
///
/// Defaults: [`ClientConfig::default`].
pub struct ClientBuilder {
    base_url: String,
    config: ClientConfig,
    credential: Option<Credential>,
}

impl ClientBuilder {
    pub(super) fn new(org_url: impl Into<String>) -> Self {
        Self {
            base_url: org_url.into(),
            config: ClientConfig::default(),
            credential: None,
        }
    }

    /// An Okta API token, sent as `Authorization: SSWS <token>` (an `SSWS `
    /// prefix in the value is accepted). This or
    /// [`access_token`](Self::access_token) is required.
    #[must_use]
    pub fn api_token(mut self, token: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::ApiToken(token.into()));
        self
    }

    /// An OAuth 2.0 access token (scopes `okta.apps.read` and
    /// `okta.apps.manage`), sent as `Authorization: Bearer <token>` (a
    /// `Bearer ` prefix in the value is accepted).
    #[must_use]
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.credential = Some(Credential::AccessToken(token.into()));
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
    /// loopback (unless allowed), invalid CA PEM, a missing or empty token,
    /// or a TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.config.endpoint(&self.base_url)?;
        let (scheme, token) = match &self.credential {
            Some(Credential::ApiToken(token)) => ("SSWS", token),
            Some(Credential::AccessToken(token)) => ("Bearer", token),
            None => {
                return Err(Error::config(
                    "no Okta credential: call api_token(token) or access_token(token)",
                ));
            }
        };
        let authorization = scheme_header(scheme, token, "Okta token")?;
        let client = self.config.build_client()?;
        let api =
            idp_api::okta::Client::new_with_client(&base_url, client, self.config.request_hooks());
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
        let credential = match &self.credential {
            Some(Credential::ApiToken(_)) => Some("SSWS <redacted>"),
            Some(Credential::AccessToken(_)) => Some("Bearer <redacted>"),
            None => None,
        };
        f.debug_struct("OktaClientBuilder")
            .field("base_url", &redact_url(&self.base_url))
            .field("credential", &credential)
            .field("config", &self.config)
            .finish()
    }
}
