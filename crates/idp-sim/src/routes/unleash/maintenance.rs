//! The maintenance switch: while on, writes under `/api/admin` (but this
//! route) answer 503.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;

use super::{Ctx, UnleashResult, authenticate, read_enabled};
use crate::vendor_error::json_response;

/// `GET /api/admin/maintenance`: `{"enabled": bool}`.
pub(super) async fn get_maintenance(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    authenticate(&shared, &headers)?;
    let enabled = shared.model().unleash.maintenance;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "enabled": enabled }),
    ))
}

/// `POST /api/admin/maintenance {"enabled": bool}`: 204, as Unleash answers.
/// Maintenance mode makes every other write under `/api/admin` answer 503
/// (the maintenance route itself stays writable).
pub(super) async fn set_maintenance(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> UnleashResult {
    authenticate(&shared, &headers)?;
    let enabled = read_enabled(&headers, body)?;
    shared.model().unleash.maintenance = enabled;
    Ok(StatusCode::NO_CONTENT.into_response())
}
