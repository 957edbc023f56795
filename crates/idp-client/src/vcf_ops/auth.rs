//! VCF Operations' token API, the wire side of
//! [`crate::auth::OpsSession`]: `POST /suite-api/api/auth/token/acquire`
//! to acquire an `OpsToken`, `POST /suite-api/api/auth/token/release` to
//! release it.

use std::fmt;

use futures::future::BoxFuture;
use http::HeaderValue;
use idp_api::Secret;
use idp_api::vcf_ops::types::{AuthToken, UsernamePassword};

use super::models::epoch;
use super::ops::{ACQUIRE_TOKEN, RELEASE_TOKEN};
use crate::Error;
use crate::auth::{AcquiredToken, OpsTokenEndpoint};
use crate::runtime::exec;
use crate::runtime::retry::RetryPolicy;

/// Who acquires tokens, and where.
pub(super) struct TokenApi {
    pub(super) api: idp_api::vcf_ops::Client,
    pub(super) retry: RetryPolicy,
    pub(super) username: String,
    pub(super) password: Secret,
    pub(super) auth_source: Option<String>,
}

impl OpsTokenEndpoint for TokenApi {
    fn acquire(&self) -> BoxFuture<'_, Result<AcquiredToken, Error>> {
        Box::pin(async move {
            let body = UsernamePassword {
                auth_source: self.auth_source.clone(),
                password: self.password.clone(),
                username: self.username.clone(),
            };
            let answer = exec::send(&self.retry, &ACQUIRE_TOKEN, || {
                self.api.acquire_token(&body)
            })
            .await?;
            acquired_from(answer)
        })
    }

    fn release(&self, authorization: HeaderValue) -> BoxFuture<'_, Result<(), Error>> {
        let api = self.api.clone();
        let retry = self.retry.clone();
        Box::pin(release(api, retry, authorization))
    }
}

/// Releases the token `authorization` carries.
pub(super) async fn release(
    api: idp_api::vcf_ops::Client,
    retry: RetryPolicy,
    authorization: HeaderValue,
) -> Result<(), Error> {
    exec::send(&retry, &RELEASE_TOKEN, || {
        exec::with_authorization(authorization.clone(), api.release_token())
    })
    .await
}

/// The token and its expiry (`validity`, epoch milliseconds) of an
/// acquire answer.
pub(crate) fn acquired_from(answer: AuthToken) -> Result<AcquiredToken, Error> {
    if answer.token.expose().trim().is_empty() {
        return Err(Error::Decode {
            operation: ACQUIRE_TOKEN.id(),
            status: None,
            path: "token".into(),
            message: "missing or empty".into(),
        });
    }
    Ok(AcquiredToken {
        token: answer.token,
        expires_at: epoch(answer.validity),
    })
}

impl fmt::Debug for TokenApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpsTokenApi")
            .field("username", &self.username)
            .field("auth_source", &self.auth_source)
            .field("password", &"<redacted>")
            .finish_non_exhaustive()
    }
}
