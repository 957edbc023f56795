//! SDDC Manager's token API, the wire side of [`crate::auth::VcfSession`]:
//! `POST /v1/tokens` to log in, `PATCH /v1/tokens/access-token/refresh`
//! to refresh, `DELETE /v1/tokens/refresh-token` to log out.

use std::fmt;

use futures::future::BoxFuture;
use http::HeaderValue;
use idp_api::Secret;
use idp_api::vcf::types::{TokenCreationSpec, TokenPair};

use super::ops::{CREATE_TOKEN, INVALIDATE_REFRESH_TOKEN, REFRESH_ACCESS_TOKEN};
use crate::Error;
use crate::auth::{Login, SessionEndpoint};
use crate::runtime::exec;
use crate::runtime::retry::RetryPolicy;

/// What a login sends.
pub(super) enum LoginCredentials {
    /// An SSO user's name and password.
    Password { username: String, password: Secret },
    /// A service account's API key.
    ApiKey(Secret),
}

impl LoginCredentials {
    fn spec(&self) -> TokenCreationSpec {
        match self {
            Self::Password { username, password } => TokenCreationSpec {
                username: Some(username.clone()),
                password: Some(password.clone()),
                ..TokenCreationSpec::default()
            },
            Self::ApiKey(key) => TokenCreationSpec {
                api_key: Some(key.clone()),
                ..TokenCreationSpec::default()
            },
        }
    }
}

impl fmt::Debug for LoginCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Password { username, .. } => {
                write!(f, "user {username:?}, password <redacted>")
            }
            Self::ApiKey(_) => f.write_str("API key <redacted>"),
        }
    }
}

/// Who logs in, and where.
pub(super) struct TokenApi {
    pub(super) api: idp_api::vcf::Client,
    pub(super) retry: RetryPolicy,
    pub(super) credentials: LoginCredentials,
}

impl SessionEndpoint for TokenApi {
    fn log_in(&self) -> BoxFuture<'_, Result<Login, Error>> {
        Box::pin(async move {
            let body = self.credentials.spec();
            let pair =
                exec::send(&self.retry, &CREATE_TOKEN, || self.api.create_token(&body)).await?;
            let (access_token, refresh_token) = tokens_from_pair(pair)?;
            Ok(Login {
                access_token,
                refresh_token,
            })
        })
    }

    fn refresh<'a>(&'a self, refresh_token: &'a Secret) -> BoxFuture<'a, Result<Secret, Error>> {
        Box::pin(async move {
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
        })
    }

    fn revoke<'a>(
        &'a self,
        authorization: HeaderValue,
        refresh_token: &'a Secret,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            exec::send(&self.retry, &INVALIDATE_REFRESH_TOKEN, || {
                exec::with_authorization(
                    authorization.clone(),
                    self.api.invalidate_refresh_token(refresh_token),
                )
            })
            .await
        })
    }
}

impl fmt::Debug for TokenApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenApi")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
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
