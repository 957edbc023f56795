//! The token endpoint: client credentials (HTTP Basic) for an access token
//! of the shared store, answered as plain JSON.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;

use super::request::{Answer, Ctx};
use crate::auth;
use crate::state::broker::TENANT;
use crate::vendor_error::json_response;

/// The `grant_type` of a form body (`a=b&c=d`).
fn grant_type(body: &[u8]) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    body.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == "grant_type").then(|| value.to_owned())
    })
}

pub(super) async fn token(
    State(shared): Ctx,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    if tenant != TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    let grant = grant_type(&body);
    let (client_id, secret) = auth::basic(&headers).ok_or(StatusCode::UNAUTHORIZED)?;
    let mut model = shared.model();
    let client = model
        .broker
        .clients
        .get(&client_id)
        .ok_or(StatusCode::UNAUTHORIZED)?;
    if secret != client.secret && client.secondary.as_deref() != Some(secret.as_str()) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    if grant.as_deref() != Some("client_credentials") {
        return Err(StatusCode::BAD_REQUEST);
    }
    let scope = client.scope_text();
    let lifetime = shared.config.access_token_lifetime;
    let token = auth::issue_access_token(
        &mut model,
        &format!("oauth2:{client_id}"),
        "broker",
        lifetime,
    );
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs(),
            "scope": scope,
        }),
    ))
}
