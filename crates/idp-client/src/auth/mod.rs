//! Credentials, on top of the pipeline ([`crate::runtime::exec`]): a
//! static `Authorization` value ([`header`]), or a token renewed by one
//! discipline ([`renewing`]: before it expires, once after a 401 with the
//! request replayed once, one renewal for any number of concurrent
//! callers) for the SDDC Manager session ([`VcfSession`]) and for
//! client-credentials grants ([`ClientCredentials`]: Microsoft Entra, the
//! Identity Broker's OAuth clients and its vCenter-issued admin token) and
//! VCF Operations' `OpsToken` ([`OpsSession`]).
//!
//! This module knows no API: each API module supplies its own wire calls
//! ([`TokenEndpoint`], [`SessionEndpoint`]).

pub(crate) mod client_credentials;
pub(crate) mod header;
pub(crate) mod jwt;
pub(crate) mod ops_session;
pub(crate) mod renewing;
pub(crate) mod vcf_session;

use std::future::Future;
use std::time::Duration;

use http::HeaderValue;
use progenitor_client::ResponseValue;

use crate::Error;
use crate::runtime::exec::{self, Attempts, ErrorBody, Received};
use crate::runtime::op::Op;
use crate::runtime::retry::RetryPolicy;

pub(crate) use client_credentials::{ClientCredentials, Grant, TokenEndpoint, expires_at};
pub(crate) use header::{basic_header, scheme_header, sensitive_header, strip_scheme};
pub(crate) use ops_session::{AcquiredToken, OpsSession, OpsTokenEndpoint};
pub(crate) use vcf_session::{Login, SessionEndpoint, VcfSession};

/// The default margin before an access token's expiry at which it is
/// renewed.
pub const DEFAULT_TOKEN_REFRESH_SKEW: Duration = Duration::from_secs(60);

/// Which credentials one execution uses.
#[derive(Clone, Copy)]
pub(crate) enum AuthRef<'a> {
    /// A fixed header: a bearer token, an API key.
    Fixed(&'a HeaderValue),
    /// An SDDC Manager session, renewed as needed.
    Session(&'a VcfSession),
    /// A client-credentials grant, renewed as needed.
    Grant(&'a ClientCredentials),
    /// A VCF Operations `OpsToken`, acquired again as needed.
    Ops(&'a OpsSession),
}

/// Runs one operation with credentials: stamps the `Authorization` header
/// on [`exec`]'s attempts and, for renewing credentials, renews them and
/// replays the operation once after a 401 (the 401 proves the request was
/// rejected, so the replay is not a retry), all in the operation's one
/// span.
pub(crate) async fn execute<X, E, F, Fut>(
    retry: &RetryPolicy,
    auth: AuthRef<'_>,
    op: &'static Op,
    mut call: F,
) -> Result<X::Value, Error>
where
    X: Received,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
{
    exec::traced(op, |span| async move {
        let mut attempts = Attempts::new(span);
        let (header, generation) = auth.authorization().await?;
        let first = attempts
            .run(retry, op, || {
                exec::with_authorization(header.clone(), call())
            })
            .await;
        let renewable = match &first {
            Err(error) if error.is_unauthorized() => !matches!(auth, AuthRef::Fixed(_)),
            _ => false,
        };
        if !renewable {
            return first;
        }
        tracing::debug!("401 Unauthorized: renewing the credentials and replaying once");
        attempts.replaying();
        auth.renew_after_unauthorized(generation).await?;
        let (header, _) = auth.authorization().await?;
        attempts
            .run(retry, op, || {
                exec::with_authorization(header.clone(), call())
            })
            .await
    })
    .await
}

impl AuthRef<'_> {
    /// The header to send and the generation it belongs to.
    async fn authorization(&self) -> Result<(HeaderValue, u64), Error> {
        match self {
            Self::Fixed(value) => Ok(((*value).clone(), 0)),
            Self::Session(session) => session.authorization().await,
            Self::Grant(grant) => grant.authorization().await,
            Self::Ops(session) => session.authorization().await,
        }
    }

    /// Renews after a 401 of `generation`'s token (a fixed header cannot be).
    async fn renew_after_unauthorized(&self, generation: u64) -> Result<(), Error> {
        match self {
            Self::Fixed(_) => Ok(()),
            Self::Session(session) => session.renew_after_unauthorized(generation).await,
            Self::Grant(grant) => grant.renew_after_unauthorized(generation).await,
            Self::Ops(session) => session.renew_after_unauthorized(generation).await,
        }
    }
}
