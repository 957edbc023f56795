//! Unleash: the SCIM settings API, served under `/unleash`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
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
}

/// Authentication, authorization and edition checks shared by the SCIM routes.
fn admit(shared: &Shared, headers: &HeaderMap) -> Result<(), UnleashError> {
    match auth::check_unleash_key(&shared.config, headers) {
        UnleashAuth::Admin => {}
        UnleashAuth::Missing => {
            return Err(UnleashError::new(
                StatusCode::UNAUTHORIZED,
                "AuthenticationRequired",
                "You must log in to use Unleash. Your request had no authorization header, so we could not authorize you. Try logging in at /auth/simple/login.",
            ));
        }
        UnleashAuth::Invalid => {
            return Err(UnleashError::new(
                StatusCode::UNAUTHORIZED,
                "AuthenticationRequired",
                "You must log in to use Unleash. The API token in your authorization header is not valid, so we could not authorize you. Try logging in at /auth/simple/login.",
            ));
        }
        UnleashAuth::ReadOnly => {
            return Err(UnleashError::new(
                StatusCode::FORBIDDEN,
                "NoAccessError",
                "You need the \"ADMIN\" permission to perform this action.",
            ));
        }
    }
    if shared.config.unleash_edition == UnleashEdition::OpenSource {
        return Err(UnleashError::new(
            StatusCode::NOT_FOUND,
            "NotFoundError",
            "Could not find the SCIM settings: SCIM is only available in Unleash Enterprise.",
        ));
    }
    Ok(())
}

fn settings_json(shared: &Shared) -> Value {
    let model = shared.model();
    json!({ "enabled": model.unleash.enabled, "hasToken": model.unleash.token.is_some() })
}

async fn get_settings(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &headers)?;
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
    admit(&shared, &headers)?;
    let body = body.map_err(|e| {
        bad_data(format!(
            "The request body could not be read: {}",
            e.body_text()
        ))
    })?;
    let value = parse_json(&headers, &body).map_err(|problem| match problem {
        // Unleash's ContentTypeError is a 415.
        BodyProblem::ContentType(ct) => UnleashError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "ContentTypeError",
            format!("We do not accept the content-type you provided ({ct}). Try using one of the content-types we do accept instead (application/json) and make sure the body is in the corresponding format."),
        ),
        BodyProblem::Empty => bad_data("Request validation failed: the request body is required and must contain the `enabled` property.".into()),
        BodyProblem::Malformed(detail) => bad_data(format!("Request validation failed: the request body is not valid JSON: {detail}")),
    })?;
    let enabled = match value.get("enabled") {
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(bad_data(format!(
                "Request validation failed: the `enabled` property must be boolean. You sent {other}."
            )));
        }
        None if value.is_object() => {
            return Err(bad_data(
                "Request validation failed: the `enabled` property is required.".into(),
            ));
        }
        None => {
            return Err(bad_data(
                "Request validation failed: the request body must be a JSON object with the `enabled` property.".into(),
            ));
        }
    };
    shared.model().unleash.enabled = enabled;
    Ok(json_response(StatusCode::OK, &settings_json(&shared)))
}

async fn generate_token(State(shared): Ctx, headers: HeaderMap) -> UnleashResult {
    admit(&shared, &headers)?;
    let token = random_hex(32);
    // Replacing the token revokes the previous one at once.
    shared.model().unleash.token = Some(token.clone());
    Ok(json_response(StatusCode::OK, &json!({ "token": token })))
}
