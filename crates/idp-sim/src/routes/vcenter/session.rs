//! API sessions: log in with a vCenter user's credentials (HTTP Basic) for
//! a session id; log out to end it.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::session_id;
use crate::auth;
use crate::ids::random_hex;
use crate::state::Shared;
use crate::vendor_error::json_response;

/// 201 with the new session id as a JSON string.
pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, StatusCode> {
    let (user, password) = auth::basic(&headers).ok_or(StatusCode::UNAUTHORIZED)?;
    if !auth::check_credentials(&shared.config, &user, &password) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let session = random_hex(16);
    shared.model().vcenter.sessions.insert(session.clone());
    Ok(json_response(StatusCode::CREATED, &json!(session)))
}

/// Ends a session: 204, after which the id is refused with 401; 401 for a
/// missing or unknown session id (as the reference documents).
pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
) -> Result<Response, StatusCode> {
    let session = session_id(&headers)?;
    if shared.model().vcenter.sessions.remove(session) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}
