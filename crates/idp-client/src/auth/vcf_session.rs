//! An SDDC Manager API session: log in with a user name and password,
//! refresh the access token before it expires and after a 401, log out.
//!
//! Renewals go through [`Renewing`]: any number of concurrent callers
//! crossing an expiry cause exactly one refresh.

use std::fmt;
use std::time::Duration;

use idp_api::Secret;
use idp_api::vcf::types::{TokenCreationSpec, TokenPair};

use super::jwt;
use super::renewal::{Fresh, Renewing};
use crate::exec;
use crate::op::Op;
use crate::{Error, RetryPolicy};

pub(crate) static CREATE_TOKEN: Op = Op {
    spec: &idp_api::vcf::operations::CREATE_TOKEN,
    hints: &[(401, "the user name or password was rejected")],
};

pub(crate) static REFRESH_ACCESS_TOKEN: Op = Op {
    spec: &idp_api::vcf::operations::REFRESH_ACCESS_TOKEN,
    hints: &[],
};

pub(crate) static REVOKE_REFRESH_TOKEN: Op = Op {
    spec: &idp_api::vcf::operations::REVOKE_REFRESH_TOKEN,
    hints: &[],
};

/// Every operation of the session, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&CREATE_TOKEN, &REFRESH_ACCESS_TOKEN, &REVOKE_REFRESH_TOKEN];

/// A logged-in (or not yet logged-in) session.
pub(crate) struct VcfSession {
    api: idp_api::vcf::Client,
    retry: RetryPolicy,
    username: String,
    password: Secret,
    /// The token in use; the renewal state is the refresh token id.
    tokens: Renewing<Option<Secret>>,
}

impl VcfSession {
    pub(crate) fn new(
        api: idp_api::vcf::Client,
        retry: RetryPolicy,
        username: String,
        password: Secret,
        skew: Duration,
    ) -> Self {
        Self {
            api,
            retry,
            username,
            password,
            tokens: Renewing::new(skew, None),
        }
    }

    /// The `Authorization` value to send now, and its generation; logs in or
    /// refreshes first when there is no token or it is about to expire.
    pub(crate) async fn authorization(&self) -> Result<(http::HeaderValue, u64), Error> {
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
            match self.refresh(&refresh).await {
                Ok(access) => {
                    tracing::debug!("access token refreshed");
                    return Ok(fresh(access));
                }
                Err(error) => {
                    tracing::debug!(error = %error, "refreshing the access token failed; logging in again");
                }
            }
        }
        let (access, refresh) = self.login().await?;
        tracing::debug!("logged in");
        *refresh_token = refresh;
        Ok(fresh(access))
    }

    async fn login(&self) -> Result<(Secret, Option<Secret>), Error> {
        let body = TokenCreationSpec {
            username: self.username.clone(),
            password: self.password.clone(),
        };
        let pair = exec::send(&self.retry, &CREATE_TOKEN, || self.api.create_token(&body)).await?;
        tokens_from_pair(pair)
    }

    async fn refresh(&self, refresh_token: &Secret) -> Result<Secret, Error> {
        let body = exec::send(&self.retry, &REFRESH_ACCESS_TOKEN, || {
            self.api.refresh_access_token(refresh_token)
        })
        .await?;
        access_token_from_body(&body).ok_or_else(|| Error::Decode {
            operation: REFRESH_ACCESS_TOKEN.id(),
            status: None,
            path: String::new(),
            message: "the body holds no access token".into(),
        })
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
        exec::send(&self.retry, &REVOKE_REFRESH_TOKEN, || {
            exec::with_authorization(
                header.clone(),
                self.api.revoke_refresh_token(&refresh_token),
            )
        })
        .await
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

/// The access token and refresh token id of a login response.
pub(crate) fn tokens_from_pair(pair: TokenPair) -> Result<(Secret, Option<Secret>), Error> {
    let access = pair
        .access_token
        .filter(|t| !t.expose().trim().is_empty())
        .ok_or_else(|| Error::Decode {
            operation: CREATE_TOKEN.id(),
            status: None,
            path: "accessToken".into(),
            message: "missing or empty".into(),
        })?;
    let refresh = pair
        .refresh_token
        .and_then(|r| r.id)
        .filter(|t| !t.expose().trim().is_empty());
    Ok((access, refresh))
}

/// The new access token in a refresh response: a bare string, a JSON
/// string, or (tolerated) an object with `accessToken`.
pub(crate) fn access_token_from_body(body: &[u8]) -> Option<Secret> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let token = if text.starts_with('"') {
        serde_json::from_str::<String>(text).ok()?
    } else if text.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        ["accessToken", "access_token", "token"]
            .iter()
            .find_map(|key| value.get(*key).and_then(|v| v.as_str()).map(str::to_owned))?
    } else {
        text.to_owned()
    };
    let token = token.trim();
    (!token.is_empty() && !token.contains(char::is_whitespace)).then(|| Secret::new(token))
}

impl fmt::Debug for VcfSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let current = self.tokens.snapshot();
        f.debug_struct("VcfSession")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("logged_in", &current.is_some())
            .field("generation", &current.as_ref().map(|c| c.generation))
            .field("renew_at", &current.as_ref().and_then(|c| c.renew_at))
            .field("refresh_skew", &self.tokens.skew())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::access_token_from_body;

    #[test]
    fn refresh_bodies() {
        assert_eq!(
            access_token_from_body(b"abc.def.ghi").unwrap().expose(),
            "abc.def.ghi"
        );
        assert_eq!(
            access_token_from_body(b"\"abc.def\"\n").unwrap().expose(),
            "abc.def"
        );
        assert_eq!(
            access_token_from_body(br#"{"accessToken":"t"}"#)
                .unwrap()
                .expose(),
            "t"
        );
        assert!(access_token_from_body(b"").is_none());
        assert!(access_token_from_body(b"\"\"").is_none());
        assert!(access_token_from_body(b"<html>oops</html> x").is_none());
    }
}
