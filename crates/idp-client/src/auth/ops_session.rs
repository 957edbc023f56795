//! A VCF Operations `OpsToken` session: acquire a token with a user name,
//! password and authentication source, send it as
//! `Authorization: OpsToken <token>`, acquire a new one before the
//! validity the server gave runs out and once after a 401, release it on
//! close.
//!
//! Renewals go through [`Renewing`]: any number of concurrent callers
//! crossing an expiry cause exactly one acquisition. The wire calls are
//! the `vcf_ops` module's [`OpsTokenEndpoint`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use http::HeaderValue;
use idp_api::Secret;

use super::renewing::{Fresh, Renewing};
use crate::Error;

/// The `Authorization` scheme of an `OpsToken`.
pub(crate) const OPS_TOKEN_SCHEME: &str = "OpsToken";

/// What an acquisition answered.
pub(crate) struct AcquiredToken {
    /// The token.
    pub(crate) token: Secret,
    /// When it stops being valid, when the answer said.
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

/// The token calls a session makes. `Debug` shows who logs in, never a
/// secret.
pub(crate) trait OpsTokenEndpoint: fmt::Debug + Send + Sync {
    /// Acquires a token.
    fn acquire(&self) -> BoxFuture<'_, Result<AcquiredToken, Error>>;

    /// Releases the token `authorization` carries.
    fn release(&self, authorization: HeaderValue) -> BoxFuture<'_, Result<(), Error>>;
}

/// An acquired (or not yet acquired) `OpsToken`.
pub(crate) struct OpsSession {
    endpoint: Box<dyn OpsTokenEndpoint>,
    /// The token in use; the renewal state says whether one was acquired
    /// and not released.
    tokens: Renewing<bool>,
}

impl OpsSession {
    /// Nothing acquired yet; renew `skew` before each expiry.
    pub(crate) fn new(endpoint: impl OpsTokenEndpoint + 'static, skew: Duration) -> Self {
        Self {
            endpoint: Box::new(endpoint),
            tokens: Renewing::with_scheme(OPS_TOKEN_SCHEME, skew, false),
        }
    }

    /// The `Authorization` value to send now and its generation; acquires
    /// a token first when there is none or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        self.tokens
            .authorization(async |held| self.acquire(held).await)
            .await
    }

    /// Acquires a new token after a request sent with `generation`'s got a
    /// 401, unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        self.tokens
            .renew_after_unauthorized(generation, async |held| self.acquire(held).await)
            .await
    }

    async fn acquire(&self, held: &mut bool) -> Result<Fresh, Error> {
        let acquired = self.endpoint.acquire().await?;
        tracing::debug!("OpsToken acquired");
        *held = true;
        Ok(Fresh {
            token: acquired.token,
            expires_at: acquired.expires_at,
        })
    }

    /// The header of the token in use, if one is held (for a release that
    /// must not acquire one).
    pub(crate) fn held_header(&self) -> Option<HeaderValue> {
        self.tokens.snapshot().map(|current| current.header)
    }

    /// Releases the token in use and forgets it. Without one (never
    /// acquired, or released) it does nothing.
    pub(crate) async fn release(&self) -> Result<(), Error> {
        let mut renewal = self.tokens.lock().await;
        let Some(header) = self.held_header().filter(|_| renewal.state) else {
            self.tokens.forget();
            return Ok(());
        };
        renewal.state = false;
        self.tokens.forget();
        self.endpoint.release(header).await
    }
}

impl fmt::Debug for OpsSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.tokens.snapshot();
        f.debug_struct("OpsSession")
            .field("endpoint", &self.endpoint)
            .field("acquired", &current.is_some())
            .field("generation", &current.as_ref().map(|c| c.generation))
            .field("renew_at", &current.as_ref().and_then(|c| c.renew_at))
            .field("refresh_skew", &self.tokens.skew())
            .finish_non_exhaustive()
    }
}
