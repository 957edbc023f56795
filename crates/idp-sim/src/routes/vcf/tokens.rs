//! The token API: log in (`POST /v1/tokens`, a user name and password or
//! a service user's `apiKey`), refresh an access token, log out (revoke a
//! refresh token).

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::request::{Ctx, VcfResult, authorize, body_bytes, error, json_body};
use crate::auth;
use crate::routes::validate::Obj;
use crate::state::Shared;
use crate::vendor_error::{VcfError, VcfShape, json_response, raw_json_response};

pub(super) async fn login(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    let body = body_bytes(&shared, shape, body)?;
    let value = json_body(&shared, shape, &headers, &body)?;
    let spec = Obj::root(&value).map_err(|e| e.into_error(&shared, shape))?;
    let api_key = spec
        .opt_str("apiKey")
        .map_err(|e| e.into_error(&shared, shape))?;
    let known = match api_key {
        // An unknown key is refused like a wrong password (assumed: the
        // reference shows no API-key failure).
        Some(key) => shared
            .model()
            .vcf
            .access
            .service_user_by_key(&key)
            .map(|u| u.name.clone()),
        None => {
            let (username, password) = spec
                .str("username")
                .and_then(|u| Ok((u, spec.str("password")?)))
                .map_err(|e| e.into_error(&shared, shape))?;
            auth::check_credentials(&shared.config, &username, &password).then_some(username)
        }
    };
    let Some(username) = known else {
        return Err(error(
            &shared,
            shape,
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILED",
            "Authentication failed: invalid username or password",
        )
        .remediation("Check the username and password"));
    };
    let (access, refresh_id) = {
        let mut model = shared.model();
        auth::login(&mut model, &username, shared.config.access_token_lifetime)
    };
    let status = if shared.config.profile.is_52_or_later() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(
        status,
        &json!({ "accessToken": access, "refreshToken": { "id": refresh_id } }),
    ))
}

/// The refresh token id from a body that is a JSON string, a bare string, or
/// `{"id": "..."}`.
fn refresh_id_from_body(shared: &Shared, body: &[u8]) -> Result<String, VcfError> {
    let shape = VcfShape::ErrorResponse;
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let bad = |message: &str| {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_REFRESH_TOKEN_REQUEST",
            message,
        )
        .remediation("Send the refresh token id as a JSON string")
    };
    if text.is_empty() {
        return Err(bad("The refresh token id is required in the request body"));
    }
    let id = if text.starts_with('"') || text.starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::String(s)) => s,
            Ok(Value::Object(map)) => match map.get("id") {
                Some(Value::String(s)) => s.clone(),
                _ => return Err(bad("id is required")),
            },
            Ok(_) | Err(_) => {
                return Err(bad(
                    "The request body must be the refresh token id as a JSON string",
                ));
            }
        }
    } else {
        text.to_owned()
    };
    if id.trim().is_empty() {
        return Err(bad("The refresh token id must not be empty"));
    }
    Ok(id.trim().to_owned())
}

pub(super) async fn refresh(State(shared): Ctx, body: Result<Bytes, BytesRejection>) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    let body = body_bytes(&shared, shape, body)?;
    let id = refresh_id_from_body(&shared, &body)?;
    let result = {
        let mut model = shared.model();
        auth::refresh(&mut model, &id, shared.config.access_token_lifetime)
    };
    let token = result.map_err(|failure| {
        let message = match failure {
            auth::RefreshFailure::Unknown => "The refresh token is invalid",
            auth::RefreshFailure::Revoked => "The refresh token has been revoked",
        };
        error(
            &shared,
            shape,
            StatusCode::UNAUTHORIZED,
            "INVALID_REFRESH_TOKEN",
            message,
        )
        .remediation("Log in again with POST /v1/tokens")
    })?;
    let body = if shared.config.profile.is_52_or_later() {
        Value::String(token).to_string()
    } else {
        token
    };
    Ok(raw_json_response(StatusCode::OK, body))
}

pub(super) async fn revoke(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> VcfResult {
    let shape = VcfShape::ErrorResponse;
    // Unlike logging in and refreshing, logging out needs the access token.
    authorize(&shared, &headers)?;
    let body = body_bytes(&shared, shape, body)?;
    let id = refresh_id_from_body(&shared, &body)?;
    let known = {
        let mut model = shared.model();
        auth::revoke(&mut model, &id)
    };
    if known {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(error(
            &shared,
            shape,
            StatusCode::NOT_FOUND,
            "REFRESH_TOKEN_NOT_FOUND",
            "The refresh token was not found",
        ))
    }
}
