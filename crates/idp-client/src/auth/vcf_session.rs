//! An SDDC Manager API session: log in (a user name and password, or a
//! service account's API key),
//! refresh the access token (with the refresh token the login gave) before
//! it expires and after a 401, log in again when a refresh fails, log out
//! (revoke the refresh token).
//!
//! Renewals go through [`Renewing`]: any number of concurrent callers
//! crossing an expiry cause exactly one refresh. The wire calls are the
//! VCF module's [`SessionEndpoint`].

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use http::HeaderValue;
use idp_api::Secret;

use super::jwt;
use super::renewing::{Fresh, Renewing};
use crate::Error;

/// What a login answered.
pub(crate) struct Login {
    /// The access token.
    pub(crate) access_token: Secret,
    /// The refresh token id, when the server gave one.
    pub(crate) refresh_token: Option<Secret>,
}

/// The token API calls a session makes. `Debug` shows who logs in, never
/// a secret.
pub(crate) trait SessionEndpoint: fmt::Debug + Send + Sync {
    /// Logs in.
    fn log_in(&self) -> BoxFuture<'_, Result<Login, Error>>;

    /// A new access token for `refresh_token`.
    fn refresh<'a>(&'a self, refresh_token: &'a Secret) -> BoxFuture<'a, Result<Secret, Error>>;

    /// Revokes `refresh_token`, authorized by `authorization`.
    fn revoke<'a>(
        &'a self,
        authorization: HeaderValue,
        refresh_token: &'a Secret,
    ) -> BoxFuture<'a, Result<(), Error>>;
}

/// A logged-in (or not yet logged-in) session.
pub(crate) struct VcfSession {
    endpoint: Box<dyn SessionEndpoint>,
    /// The token in use; the renewal state is the refresh token id.
    tokens: Renewing<Option<Secret>>,
}

impl VcfSession {
    /// Not logged in yet; renew `skew` before each expiry.
    pub(crate) fn new(endpoint: impl SessionEndpoint + 'static, skew: Duration) -> Self {
        Self {
            endpoint: Box::new(endpoint),
            tokens: Renewing::new(skew, None),
        }
    }

    /// The `Authorization` value to send now, and its generation; logs in or
    /// refreshes first when there is no token or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        self.tokens
            .authorization(async |refresh_token| self.renew(refresh_token).await)
            .await
    }

    /// Renews after a request sent with `generation`'s token got a 401,
    /// unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        self.tokens
            .renew_after_unauthorized(generation, async |refresh_token| {
                self.renew(refresh_token).await
            })
            .await
    }

    /// Refreshes with the refresh token when there is one; logs in when
    /// there is none or the refresh fails.
    async fn renew(&self, refresh_token: &mut Option<Secret>) -> Result<Fresh, Error> {
        if let Some(refresh) = refresh_token.clone() {
            match self.endpoint.refresh(&refresh).await {
                Ok(access) => {
                    tracing::debug!("access token refreshed");
                    return Ok(fresh(access));
                }
                Err(error) => {
                    tracing::debug!(error = %error, "refreshing the access token failed; logging in again");
                }
            }
        }
        let login = self.endpoint.log_in().await?;
        tracing::debug!("logged in");
        *refresh_token = login.refresh_token;
        Ok(fresh(login.access_token))
    }

    /// Revokes the refresh token and forgets the access token. Without a
    /// session (never logged in, or logged out) it does nothing.
    pub(crate) async fn logout(&self) -> Result<(), Error> {
        if self.tokens.lock().await.state.is_none() {
            self.tokens.forget();
            return Ok(());
        }
        let (header, _) = self.authorization().await?;
        let mut renewal = self.tokens.lock().await;
        let Some(refresh_token) = renewal.state.take() else {
            return Ok(());
        };
        self.tokens.forget();
        self.endpoint.revoke(header, &refresh_token).await
    }
}

/// An access token with the expiry its JWT `exp` claim gives (`None` when
/// it is no readable JWT).
fn fresh(access: Secret) -> Fresh {
    let expires_at = jwt::expiry(access.expose());
    Fresh {
        token: access,
        expires_at,
    }
}

impl fmt::Debug for VcfSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.tokens.snapshot();
        f.debug_struct("VcfSession")
            .field("endpoint", &self.endpoint)
            .field("logged_in", &current.is_some())
            .field("generation", &current.as_ref().map(|c| c.generation))
            .field("renew_at", &current.as_ref().and_then(|c| c.renew_at))
            .field("refresh_skew", &self.tokens.skew())
            .finish_non_exhaustive()
    }
}
