//! Unleash: the SCIM settings API and the maintenance switch, served under
//! `/unleash` (`sim.unleash().url()`). [`Handle`] (from
//! [`Simulator::unleash`]) reads the SCIM state.
//!
//! What these routes answer is specified by the conformance scenarios
//! (`xtask/src/conformance/scenarios.rs`), which run against a real
//! open-source Unleash server and this simulator alike: order of checks
//! (authentication, token type, maintenance mode, then routing), statuses,
//! error names and messages follow that server.
//!
//! [`Simulator::unleash`]: crate::Simulator::unleash

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;

use crate::auth::{self, UnleashAuth};
use crate::config::UnleashEdition;
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::vendor_error::UnleashError;

mod handle;
mod maintenance;
mod settings;

pub use handle::Handle;

type Ctx = State<Arc<Shared>>;
type UnleashResult = Result<Response, UnleashError>;

/// The Unleash routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route(
            settings::SETTINGS_PATH,
            get(settings::get_settings).post(settings::set_settings),
        )
        .route(settings::TOKEN_PATH, post(settings::generate_token))
        .route(
            "/unleash/api/admin/maintenance",
            get(maintenance::get_maintenance).post(maintenance::set_maintenance),
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

fn bad_data(message: String) -> UnleashError {
    UnleashError::new(StatusCode::BAD_REQUEST, "BadDataError", message)
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
