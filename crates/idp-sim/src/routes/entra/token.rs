//! The token endpoint: client credentials for an app-only Graph token.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::token_error;
use crate::ids::random_hex;
use crate::state::Shared;
use crate::vendor_error::json_response;

/// How long an issued app-only token is valid.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            900_144,
            "The request body must contain the following parameter: 'grant_type'.",
        );
    };
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let mut model = shared.model();
    let entra = &mut model.entra;
    if tenant != entra.tenant_id {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90_002,
            &format!("Tenant '{tenant}' not found."),
        );
    }
    if field("grant_type") != "client_credentials" {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70_003,
            "The app requested an unsupported grant type.",
        );
    }
    if field("client_id") != entra.client_id {
        return token_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700_016,
            &format!(
                "Application with identifier '{}' was not found in the directory.",
                field("client_id")
            ),
        );
    }
    if field("client_secret") != entra.client_secret {
        return token_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7_000_215,
            "Invalid client secret provided.",
        );
    }
    if !field("scope").ends_with("/.default") {
        return token_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1_002_012,
            "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
        );
    }
    let token = format!("eyJ0eXAiOiJKV1QifQ.{}", random_hex(32));
    entra
        .access_tokens
        .insert(token.clone(), SystemTime::now() + TOKEN_LIFETIME);
    json_response(
        StatusCode::OK,
        &json!({
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME.as_secs(),
            "ext_expires_in": TOKEN_LIFETIME.as_secs(),
            "access_token": token,
        }),
    )
}
