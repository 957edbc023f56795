//! Credentials and tokens: JWT-shaped access tokens, refresh tokens, bearer
//! and Unleash API-key checks.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::Rng;
use serde_json::json;

use crate::config::SimConfig;
use crate::ids::new_uuid;
use crate::state::{AccessToken, Model, RefreshToken};

fn epoch_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A JWT-shaped token: `base64url(header).base64url(claims).base64url(random)`.
pub(crate) fn jwt(claims: &serde_json::Value) -> String {
    let header = json!({ "typ": "JWT", "alg": "RS256" });
    let mut signature = [0u8; 64];
    rand::rng().fill(&mut signature[..]);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// Checks a username and password against the configured users.
pub(crate) fn check_credentials(config: &SimConfig, username: &str, password: &str) -> bool {
    config
        .users
        .iter()
        .any(|u| u.username.eq_ignore_ascii_case(username) && u.password == password)
}

/// Issues a new access token for `username` in login session `session`.
pub(crate) fn issue_access_token(
    model: &mut Model,
    username: &str,
    session: &str,
    lifetime: Duration,
) -> String {
    let now = SystemTime::now();
    let expires_at = now + lifetime;
    // Forget tokens that expired long ago.
    let horizon = now.checked_sub(Duration::from_secs(600)).unwrap_or(now);
    model.access_tokens.retain(|_, t| t.expires_at > horizon);
    let exp = expires_at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    let token = jwt(&json!({
        "sub": username,
        "iss": "idp-sim",
        "iat": epoch_secs(now),
        "exp": exp,
        "jti": new_uuid(),
    }));
    model.access_tokens.insert(
        token.clone(),
        AccessToken {
            username: username.to_owned(),
            session: session.to_owned(),
            expires_at,
            revoked: false,
        },
    );
    token
}

/// Logs in: a new refresh token (returned) and its first access token.
pub(crate) fn login(model: &mut Model, username: &str, lifetime: Duration) -> (String, String) {
    let refresh_id = new_uuid();
    model.refresh_tokens.insert(
        refresh_id.clone(),
        RefreshToken {
            username: username.to_owned(),
            revoked: false,
        },
    );
    let access = issue_access_token(model, username, &refresh_id, lifetime);
    (access, refresh_id)
}

/// Why a refresh failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshFailure {
    Unknown,
    Revoked,
}

/// A new access token from a refresh token id.
pub(crate) fn refresh(
    model: &mut Model,
    refresh_id: &str,
    lifetime: Duration,
) -> Result<String, RefreshFailure> {
    let refresh = model
        .refresh_tokens
        .get(refresh_id)
        .ok_or(RefreshFailure::Unknown)?;
    if refresh.revoked {
        return Err(RefreshFailure::Revoked);
    }
    let username = refresh.username.clone();
    Ok(issue_access_token(model, &username, refresh_id, lifetime))
}

/// Revokes a refresh token and every access token of its session.
/// `false` if the id is unknown.
pub(crate) fn revoke(model: &mut Model, refresh_id: &str) -> bool {
    let Some(refresh) = model.refresh_tokens.get_mut(refresh_id) else {
        return false;
    };
    refresh.revoked = true;
    for token in model.access_tokens.values_mut() {
        if token.session == refresh_id {
            token.revoked = true;
        }
    }
    true
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BearerFailure {
    Missing,
    NotBearer,
    Unknown,
    Expired,
    Revoked,
}

impl BearerFailure {
    pub(crate) fn code(self) -> &'static str {
        match self {
            BearerFailure::Missing | BearerFailure::NotBearer => "UNAUTHORIZED",
            BearerFailure::Unknown => "INVALID_TOKEN",
            BearerFailure::Expired => "TOKEN_EXPIRED",
            BearerFailure::Revoked => "TOKEN_REVOKED",
        }
    }

    pub(crate) fn message(self) -> &'static str {
        match self {
            BearerFailure::Missing => {
                "Authentication required: the Authorization header is missing"
            }
            BearerFailure::NotBearer => {
                "Authentication required: the Authorization header must be 'Bearer <access token>'"
            }
            BearerFailure::Unknown => "The access token is invalid",
            BearerFailure::Expired => "The access token has expired",
            BearerFailure::Revoked => "The access token has been revoked",
        }
    }
}

/// Checks `Authorization: Bearer <access token>`; returns the user.
pub(crate) fn check_bearer(model: &Model, headers: &HeaderMap) -> Result<String, BearerFailure> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(BearerFailure::Missing)?;
    let value = value.to_str().map_err(|_| BearerFailure::NotBearer)?.trim();
    let (scheme, token) = value.split_once(' ').ok_or(BearerFailure::NotBearer)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(BearerFailure::NotBearer);
    }
    let token = model
        .access_tokens
        .get(token.trim())
        .ok_or(BearerFailure::Unknown)?;
    if token.revoked {
        return Err(BearerFailure::Revoked);
    }
    if SystemTime::now() >= token.expires_at {
        return Err(BearerFailure::Expired);
    }
    Ok(token.username.clone())
}

/// `Authorization: Basic` as (user, secret), as the broker's token endpoint
/// and vCenter's session login take them.
pub(crate) fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (user, secret) = decoded.split_once(':')?;
    Some((user.to_owned(), secret.to_owned()))
}

/// What an Unleash `Authorization` header amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnleashAuth {
    Admin,
    ReadOnly,
    Missing,
    Invalid,
}

/// Checks Unleash's `Authorization: <api key>` (or `Bearer <api key>` when
/// the configuration accepts it).
pub(crate) fn check_unleash_key(config: &SimConfig, headers: &HeaderMap) -> UnleashAuth {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return UnleashAuth::Missing;
    };
    let Ok(value) = value.to_str() else {
        return UnleashAuth::Invalid;
    };
    let value = value.trim();
    if value.is_empty() {
        return UnleashAuth::Missing;
    }
    let key = match value.split_once(' ') {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("bearer") && config.unleash_accepts_bearer =>
        {
            rest.trim()
        }
        _ => value,
    };
    if key == config.unleash_api_key {
        UnleashAuth::Admin
    } else if config.unleash_read_only_key.as_deref() == Some(key) {
        UnleashAuth::ReadOnly
    } else {
        UnleashAuth::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn model() -> Model {
        Model::seeded()
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        h
    }

    #[test]
    fn token_lifecycle() {
        let mut m = model();
        let (access, refresh_id) = login(&mut m, "u", Duration::from_secs(60));
        assert_eq!(access.split('.').count(), 3);
        let claims = access.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
        assert_eq!(claims["sub"], "u");
        assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());
        assert!(claims["jti"].is_string());
        assert_eq!(check_bearer(&m, &bearer(&access)), Ok("u".into()));
        assert_eq!(
            check_bearer(&m, &HeaderMap::new()),
            Err(BearerFailure::Missing)
        );
        assert_eq!(
            check_bearer(&m, &bearer("x.y.z")),
            Err(BearerFailure::Unknown)
        );
        let second = refresh(&mut m, &refresh_id, Duration::from_secs(60)).unwrap();
        assert_ne!(second, access);
        assert!(revoke(&mut m, &refresh_id));
        assert_eq!(
            check_bearer(&m, &bearer(&second)),
            Err(BearerFailure::Revoked)
        );
        assert_eq!(
            refresh(&mut m, &refresh_id, Duration::from_secs(60)),
            Err(RefreshFailure::Revoked)
        );
        assert_eq!(
            refresh(&mut m, "nope", Duration::from_secs(60)),
            Err(RefreshFailure::Unknown)
        );
        assert!(!revoke(&mut m, "nope"));
    }

    #[test]
    fn unleash_keys() {
        let config = SimConfig::builder()
            .unleash_api_key("admin")
            .unleash_read_only_key("ro")
            .build()
            .unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(check_unleash_key(&config, &h), UnleashAuth::Missing);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("admin"));
        assert_eq!(check_unleash_key(&config, &h), UnleashAuth::Admin);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer admin"),
        );
        assert_eq!(check_unleash_key(&config, &h), UnleashAuth::Invalid);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("ro"));
        assert_eq!(check_unleash_key(&config, &h), UnleashAuth::ReadOnly);
        let config = SimConfig::builder()
            .unleash_api_key("admin")
            .unleash_accepts_bearer(true)
            .build()
            .unwrap();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer admin"),
        );
        assert_eq!(check_unleash_key(&config, &h), UnleashAuth::Admin);
    }
}
