//! Unleash: the SCIM settings API and the maintenance switch, served under
//! `/unleash`.
//!
//! What these routes answer is specified by the conformance scenarios
//! (`xtask/src/conformance/scenarios.rs`), which run against a real
//! open-source Unleash server and this simulator alike: order of checks
//! (authentication, token type, maintenance mode, then routing), statuses,
//! error names and messages follow that server.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::auth::{self, UnleashAuth};
use crate::config::UnleashEdition;
use crate::ids::random_hex;
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::vendor_error::{UnleashError, json_response};

type Ctx = State<Arc<Shared>>;
type UnleashResult = Result<Response, UnleashError>;

/// The Unleash routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            "/unleash/api/admin/scim-settings",
            get(get_settings).post(set_settings),
        )
        .route(
            "/unleash/api/admin/scim-settings/generate-new-token",
            post(generate_token),
        )
        .route(
            "/unleash/api/admin/maintenance",
            get(get_maintenance).post(set_maintenance),
        )
}

/// Unleash's answer to a write in maintenance mode.
pub(crate) const MAINTENANCE_MESSAGE: &str = "Unleash is currently in maintenance mode.";

/// Authentication and token-type checks, as Unleash's middleware runs them
/// before any route.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), UnleashError> {
    match auth::check_unleash_key(&shared.config, headers) {
        UnleashAuth::Admin => Ok(()),
        UnleashAuth::Missing => Err(UnleashError::new(
            StatusCode::UNAUTHORIZED,
            "AuthenticationRequired",
            "You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /unleash/auth/simple/login",
        )),
        UnleashAuth::Invalid => Err(UnleashError::new(
            StatusCode::UNAUTHORIZED,
            "UnauthorizedError",
            "You must log in to use Unleash.",
        )),
        // A client (backend) token on an admin route: Unleash answers with a
        // bare `{message}`, no id or name.
        UnleashAuth::ReadOnly => Err(UnleashError::bare(
            StatusCode::FORBIDDEN,
            "invalid token: expected a different token type for this endpoint",
        )),
    }
}

/// The checks of the SCIM routes, in Unleash's order: authentication and
/// token type, maintenance mode (writes only), then whether the route exists
/// in this edition.
fn admit(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    path: &str,
) -> Result<(), UnleashError> {
    authenticate(shared, headers)?;
    // Unleash refuses POST, PUT and DELETE (not PATCH) in maintenance mode.
    let write = matches!(*method, Method::POST | Method::PUT | Method::DELETE);
    if write && shared.model().unleash.maintenance {
        return Err(UnleashError::bare(
            StatusCode::SERVICE_UNAVAILABLE,
            MAINTENANCE_MESSAGE,
        ));
    }
    if shared.config.unleash_edition == UnleashEdition::OpenSource {
        return Err(path_not_found(path));
    }
    Ok(())
}

/// Unleash's 404 for a path under its base path that no route serves.
pub(crate) fn path_not_found(path: &str) -> UnleashError {
    UnleashError::new(
        StatusCode::NOT_FOUND,
        "NotFoundError",
        format!("The path you were looking for ({path}) is not available."),
    )
}

fn settings_json(shared: &Shared) -> Value {
    let model = shared.model();
    json!({ "enabled": model.unleash.enabled, "hasToken": model.unleash.token.is_some() })
}

const SETTINGS_PATH: &str = "/unleash/api/admin/scim-settings";
const TOKEN_PATH: &str = "/unleash/api/admin/scim-settings/generate-new-token";

async fn get_settings(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &Method::GET, &headers, SETTINGS_PATH)?;
    Ok(json_response(StatusCode::OK, &settings_json(&shared)))
}

fn bad_data(message: String) -> UnleashError {
    UnleashError::new(StatusCode::BAD_REQUEST, "BadDataError", message)
}

async fn set_settings(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> UnleashResult {
    admit(&shared, &Method::POST, &headers, SETTINGS_PATH)?;
    let enabled = read_enabled(&headers, body)?;
    shared.model().unleash.enabled = enabled;
    Ok(json_response(StatusCode::OK, &settings_json(&shared)))
}

/// The `enabled` boolean of a `{"enabled": ...}` request body.
fn read_enabled(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<bool, UnleashError> {
    let body = body.map_err(|e| {
        bad_data(format!(
            "The request body could not be read: {}",
            e.body_text()
        ))
    })?;
    let value = parse_json(headers, &body).map_err(|problem| match problem {
        // Unleash's ContentTypeError is a 415.
        BodyProblem::ContentType(ct) => UnleashError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "ContentTypeError",
            format!("We do not accept the content-type you provided ({ct}). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format."),
        ),
        BodyProblem::Empty => bad_data("Request validation failed: the request body is required and must contain the `enabled` property.".into()),
        BodyProblem::Malformed(detail) => bad_data(format!("Request validation failed: the request body is not valid JSON: {detail}")),
    })?;
    match value.get("enabled") {
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(bad_data(format!(
            "Request validation failed: the `enabled` property must be boolean. You sent {other}."
        ))),
        None if value.is_object() => Err(bad_data(
            "Request validation failed: the `enabled` property is required.".into(),
        )),
        None => Err(bad_data(
            "Request validation failed: the request body must be a JSON object with the `enabled` property.".into(),
        )),
    }
}

/// `GET /api/admin/maintenance`: `{"enabled": bool}`.
async fn get_maintenance(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
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
async fn set_maintenance(
    State(shared): Ctx,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> UnleashResult {
    authenticate(&shared, &headers)?;
    let enabled = read_enabled(&headers, body)?;
    shared.model().unleash.maintenance = enabled;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn generate_token(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &Method::POST, &headers, TOKEN_PATH)?;
    let token = random_hex(32);
    // Replacing the token revokes the previous one at once.
    shared.model().unleash.token = Some(token.clone());
    Ok(json_response(StatusCode::OK, &json!({ "token": token })))
}
