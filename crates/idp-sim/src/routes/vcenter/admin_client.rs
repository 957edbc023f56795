//! The tenant's admin client: with a live session, an access token of the
//! shared store that the broker takes as an admin's.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use super::session_id;
use crate::auth;
use crate::state::Shared;
use crate::state::broker::TENANT;
use crate::vendor_error::json_response;

/// 200 `{token_type, access_token, expires_in}`; 401 without a live
/// session, 404 for another tenant.
pub(super) async fn admin_client(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
) -> Result<Response, StatusCode> {
    let session = session_id(&headers)?;
    let mut model = shared.model();
    if !model.vcenter.sessions.contains(session) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    if tenant != TENANT {
        return Err(StatusCode::NOT_FOUND);
    }
    let lifetime = shared.config.access_token_lifetime;
    let token = auth::issue_access_token(&mut model, "vcenter-admin-client", "vcenter", lifetime);
    Ok(json_response(
        StatusCode::OK,
        &json!({ "token_type": "Bearer", "access_token": token, "expires_in": lifetime.as_secs() }),
    ))
}
