//! The one renewer of tokens from a token endpoint (the OAuth 2.0 client
//! credentials grant): Microsoft Entra's app-only token, the Identity
//! Broker's OAuth client token, and the broker admin token vCenter hands
//! out (the token of the tenant's admin client, which vCenter itself
//! obtains by client credentials).
//!
//! The token is obtained on first use, renewed a skew before it expires
//! (`expires_in`, or else the JWT's `exp`) and once after a 401, by one
//! caller however many wait ([`Renewing`]). How to ask for it is the API
//! module's [`TokenEndpoint`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use http::HeaderValue;
use idp_api::Secret;

use super::jwt;
use super::renewing::{Fresh, Renewing};
use crate::Error;

/// What a token endpoint answered.
pub(crate) struct Grant {
    /// The access token (without `Bearer `).
    pub(crate) access_token: Secret,
    /// When it expires, when the answer said (see [`expires_at`]).
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

/// How an API asks for a token: one operation through the pipeline.
pub(crate) trait TokenEndpoint: Send + Sync {
    /// The operation that answers, named by an error about its answer.
    fn operation(&self) -> &'static str;

    /// Asks for a new token.
    fn request(&self) -> BoxFuture<'_, Result<Grant, Error>>;
}

/// A token from a [`TokenEndpoint`], renewed as needed.
pub(crate) struct ClientCredentials {
    endpoint: Box<dyn TokenEndpoint>,
    tokens: Renewing<()>,
}

impl ClientCredentials {
    /// No token yet; renew `skew` before each expiry.
    pub(crate) fn new(endpoint: impl TokenEndpoint + 'static, skew: Duration) -> Self {
        Self {
            endpoint: Box::new(endpoint),
            tokens: Renewing::new(skew, ()),
        }
    }

    /// The `Authorization` value to send now and its generation; asks for
    /// a token first when there is none or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        self.tokens
            .authorization(async |()| self.obtain().await)
            .await
    }

    /// Asks for a new token after a request sent with `generation`'s token
    /// got a 401, unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        self.tokens
            .renew_after_unauthorized(generation, async |()| self.obtain().await)
            .await
    }

    /// A new token, refused when empty; its expiry from the answer or else
    /// the JWT's `exp`.
    async fn obtain(&self) -> Result<Fresh, Error> {
        let grant = self.endpoint.request().await?;
        let token = grant.access_token.expose().trim();
        if token.is_empty() {
            return Err(Error::Decode {
                operation: self.endpoint.operation(),
                status: None,
                path: "access_token".into(),
                message: "empty".into(),
            });
        }
        let expires_at = grant.expires_at.or_else(|| jwt::expiry(token));
        tracing::debug!(
            operation = self.endpoint.operation(),
            "access token obtained"
        );
        Ok(Fresh {
            token: Secret::new(token.to_owned()),
            expires_at,
        })
    }
}

/// The expiry of a token that lives `expires_in` seconds from now; `None`
/// for a missing, zero or negative lifetime.
pub(crate) fn expires_at(expires_in: Option<i64>) -> Option<DateTime<Utc>> {
    expires_in
        .filter(|seconds| *seconds > 0)
        .and_then(chrono::Duration::try_seconds)
        .and_then(|lifetime| Utc::now().checked_add_signed(lifetime))
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.tokens.snapshot();
        f.debug_struct("ClientCredentials")
            .field("operation", &self.endpoint.operation())
            .field("token", &current.as_ref().map(|_| "<redacted>"))
            .field("renew_at", &current.as_ref().and_then(|c| c.renew_at))
            .field("skew", &self.tokens.skew())
            .finish()
    }
}
