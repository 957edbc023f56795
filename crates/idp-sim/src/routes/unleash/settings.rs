//! The SCIM settings (`enabled`, `hasToken`) and a new SCIM token, which
//! revokes the previous one at once.

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};

use super::{Ctx, UnleashResult, admit, read_enabled};
use crate::ids::random_hex;
use crate::state::Shared;
use crate::vendor_error::json_response;

pub(super) const SETTINGS_PATH: &str = "/unleash/api/admin/scim-settings";
pub(super) const TOKEN_PATH: &str = "/unleash/api/admin/scim-settings/generate-new-token";

fn settings_json(shared: &Shared) -> Value {
    let model = shared.model();
    json!({ "enabled": model.unleash.enabled, "hasToken": model.unleash.token.is_some() })
}

pub(super) async fn get_settings(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &Method::GET, &headers, SETTINGS_PATH)?;
    Ok(json_response(StatusCode::OK, &settings_json(&shared)))
}

pub(super) async fn set_settings(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> UnleashResult {
    admit(&shared, &Method::POST, &headers, SETTINGS_PATH)?;
    let enabled = read_enabled(&headers, body)?;
    shared.model().unleash.enabled = enabled;
    Ok(json_response(StatusCode::OK, &settings_json(&shared)))
}

pub(super) async fn generate_token(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &Method::POST, &headers, TOKEN_PATH)?;
    let token = random_hex(32);
    // Replacing the token revokes the previous one at once.
    shared.model().unleash.token = Some(token.clone());
    Ok(json_response(StatusCode::OK, &json!({ "token": token })))
}
