//! The renew-once discipline every renewing credential shares (the SDDC
//! Manager session and the client-credentials grants of Entra and the
//! Identity Broker): the bearer header in use, read
//! without waiting; one `tokio` mutex that serializes renewals; and a
//! generation counter that tells a caller who waited on the mutex whether
//! somebody renewed meanwhile, so any number of concurrent callers crossing
//! an expiry (or getting the same 401) cause exactly one renewal.
//!
//! How a token is obtained (log in, refresh, a token endpoint) stays with
//! each credential: it passes that step in as an async closure over its
//! own renewal state `S`, which only the renewer touches.

use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use http::HeaderValue;
use idp_api::Secret;

use super::header::sensitive_header;
use crate::Error;

/// A newly obtained access token and when it expires, when known.
pub(crate) struct Fresh {
    /// The access token (without `Bearer `).
    pub(crate) token: Secret,
    /// Its expiry; `None` when neither the answer nor the token says (then
    /// only a 401 renews it).
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

/// The token in use and its one-at-a-time renewal.
pub(crate) struct Renewing<S> {
    /// The `Authorization` scheme the token is sent with (`Bearer`,
    /// VCF Operations' `OpsToken`).
    scheme: &'static str,
    skew: Duration,
    renewal: tokio::sync::Mutex<Renewal<S>>,
    current: RwLock<Option<Current>>,
}

/// What only the renewer touches: the generation counter and the
/// session's own state (a refresh token, say).
pub(crate) struct Renewal<S> {
    generation: u64,
    /// The session's renewal state.
    pub(crate) state: S,
}

/// The access token in use.
#[derive(Clone)]
pub(crate) struct Current {
    pub(crate) header: HeaderValue,
    /// When to renew proactively: the expiry minus the skew; `None` when
    /// the expiry is unknown (then only a 401 renews it).
    pub(crate) renew_at: Option<DateTime<Utc>>,
    /// Which renewal installed it.
    pub(crate) generation: u64,
}

impl Current {
    fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        self.renew_at.is_none_or(|at| now < at)
    }
}

impl<S> Renewing<S> {
    /// No token yet; renew `skew` before each expiry; sent as `Bearer`.
    pub(crate) fn new(skew: Duration, state: S) -> Self {
        Self::with_scheme("Bearer", skew, state)
    }

    /// As [`new`](Self::new), sent as `<scheme> <token>`.
    pub(crate) fn with_scheme(scheme: &'static str, skew: Duration, state: S) -> Self {
        Self {
            scheme,
            skew,
            renewal: tokio::sync::Mutex::new(Renewal {
                generation: 0,
                state,
            }),
            current: RwLock::new(None),
        }
    }

    /// How long before an expiry the token is renewed.
    pub(crate) fn skew(&self) -> Duration {
        self.skew
    }

    /// The token in use, if any.
    pub(crate) fn snapshot(&self) -> Option<Current> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Forgets the token in use (after a log-out).
    pub(crate) fn forget(&self) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Waits for the renewal lock (for a log-out, which must not overlap a
    /// renewal).
    pub(crate) async fn lock(&self) -> tokio::sync::MutexGuard<'_, Renewal<S>> {
        self.renewal.lock().await
    }

    /// The `Authorization` value to send now and its generation; runs
    /// `obtain` first when there is no token or it is about to expire,
    /// unless another caller renewed while this one waited for the lock.
    pub(crate) async fn authorization<F>(&self, obtain: F) -> Result<(HeaderValue, u64), Error>
    where
        F: AsyncFnOnce(&mut S) -> Result<Fresh, Error>,
    {
        let seen = self.snapshot();
        if let Some(current) = &seen
            && current.is_fresh(Utc::now())
        {
            return Ok((current.header.clone(), current.generation));
        }
        let mut renewal = self.renewal.lock().await;
        if let Some(current) = self.snapshot()
            && seen.as_ref().map(|s| s.generation) != Some(current.generation)
        {
            // Renewed by another caller while this one waited.
            return Ok((current.header, current.generation));
        }
        let current = self.renew(&mut renewal, obtain).await?;
        Ok((current.header, current.generation))
    }

    /// Runs `obtain` after a request sent with `generation`'s token got a
    /// 401, unless another caller has renewed since.
    pub(crate) async fn renew_after_unauthorized<F>(
        &self,
        generation: u64,
        obtain: F,
    ) -> Result<(), Error>
    where
        F: AsyncFnOnce(&mut S) -> Result<Fresh, Error>,
    {
        let mut renewal = self.renewal.lock().await;
        if let Some(current) = self.snapshot()
            && current.generation != generation
        {
            return Ok(());
        }
        self.renew(&mut renewal, obtain).await.map(|_| ())
    }

    async fn renew<F>(&self, renewal: &mut Renewal<S>, obtain: F) -> Result<Current, Error>
    where
        F: AsyncFnOnce(&mut S) -> Result<Fresh, Error>,
    {
        let fresh = obtain(&mut renewal.state).await?;
        let header = sensitive_header(
            &format!("{} {}", self.scheme, fresh.token.expose()),
            "access token",
        )?;
        let skew = chrono::Duration::from_std(self.skew).unwrap_or(chrono::Duration::MAX);
        renewal.generation += 1;
        let current = Current {
            header,
            renew_at: fresh.expires_at.map(|at| {
                at.checked_sub_signed(skew)
                    .unwrap_or(DateTime::<Utc>::MIN_UTC)
            }),
            generation: renewal.generation,
        };
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Some(current.clone());
        Ok(current)
    }
}
