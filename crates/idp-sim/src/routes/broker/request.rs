//! What every broker route shares: the admin checks, reading a request body
//! sent with a vendor media type, and answering with one. Errors carry no
//! body ("Operation doesn't return any data structure").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth;
use crate::state::Shared;
use crate::state::broker::{Links, TENANT};

pub(super) type Ctx = State<Arc<Shared>>;
pub(super) type Answer = Result<Response, StatusCode>;

/// A JSON answer typed `media`.
pub(super) fn vendor<T: Serialize>(status: StatusCode, media: &'static str, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    response
}

/// The `_links` of the resource at `path` on this server.
pub(super) fn links(shared: &Shared, path: &str) -> Links {
    Links::to(format!("https://{}{path}", shared.authority))
}

/// The admin checks every broker route makes, in order: a valid bearer
/// token (401), the admin scope for an OAuth 2.0 client's token (403), the
/// tenant (404).
pub(super) fn admit(shared: &Shared, headers: &HeaderMap, tenant: &str) -> Result<(), StatusCode> {
    let model = shared.model();
    let user = auth::check_bearer(&model, headers).map_err(|_| StatusCode::UNAUTHORIZED)?;
    if let Some(client_id) = user.strip_prefix("oauth2:") {
        let admin = model
            .broker
            .clients
            .get(client_id)
            .is_some_and(|c| c.is_admin());
        if !admin {
            return Err(StatusCode::FORBIDDEN);
        }
    }
    if tenant != TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    Ok(())
}

/// A request body sent with `media` as `T`: 415 for another media type,
/// 400 for a body that is not a JSON object or does not fit `T`. An empty
/// body reads as `{}` when `optional`. Fields `T` does not know are
/// ignored.
pub(super) fn body_of<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
    media: &str,
    optional: bool,
) -> Result<T, StatusCode> {
    let value = if body.is_empty() && optional {
        Value::Object(serde_json::Map::new())
    } else {
        let sent = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        if sent.as_deref() != Some(media) {
            return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE);
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(value) if value.is_object() => value,
            _ => return Err(StatusCode::BAD_REQUEST),
        }
    };
    serde_json::from_value(value).map_err(|_| StatusCode::BAD_REQUEST)
}

/// A required text field: trimmed, not empty (else 400).
pub(super) fn required(field: Option<&str>) -> Result<String, StatusCode> {
    present(field).ok_or(StatusCode::BAD_REQUEST)
}

/// A text field when given and not blank, trimmed.
pub(super) fn present(field: Option<&str>) -> Option<String> {
    field
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[derive(serde::Deserialize)]
pub(super) struct ActionQuery {
    pub(super) action: Option<String>,
}
