//! Microsoft Entra: the identity platform's token endpoint (client
//! credentials) under `/login`, and Microsoft Graph's synchronization jobs
//! and secrets of a service principal under `/graph`. Graph accepts only
//! tokens this token endpoint issued. Secrets and tokens are never answered
//! or logged.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, FormRejection};
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde_json::{Value, json};

use crate::ids::{new_uuid, random_hex};
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::vendor_error::json_response;

type Ctx = State<Arc<Shared>>;

/// How long an issued app-only token is valid.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

/// The token endpoint and the Graph routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/login/{tenant}/oauth2/v2.0/token", post(token))
        .route(
            "/graph/v1.0/servicePrincipals/{id}/synchronization/jobs",
            get(list_jobs),
        )
        .route(
            "/graph/v1.0/servicePrincipals/{id}/synchronization/secrets",
            put(put_secrets),
        )
}

/// An error of the token endpoint (`error`, `error_description`,
/// `error_codes`, ...).
pub(crate) fn token_error(status: StatusCode, error: &str, code: u32, text: &str) -> Response {
    let trace = new_uuid();
    let correlation = new_uuid();
    let timestamp = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
    json_response(
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}"),
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}

/// A Microsoft Graph error (`{"error": {"code", "message", "innerError"}}`).
pub(crate) fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        status,
        &json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "request-id": new_uuid(),
                    "client-request-id": new_uuid(),
                }
            }
        }),
    )
}

async fn token(
    State(shared): Ctx,
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

/// A Graph error not yet turned into a response.
type GraphFault = (StatusCode, &'static str, String);

/// Graph's checks: a bearer token the token endpoint issued and that has
/// not expired, then a known service principal.
fn admit(shared: &Shared, headers: &HeaderMap, id: &str) -> Result<(), GraphFault> {
    let unauthorized = |message: &str| {
        (
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message.to_owned(),
        )
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("Bearer"))
        .map(|(_, token)| token.trim().to_owned())
        .ok_or_else(|| unauthorized("Access token is empty."))?;
    let model = shared.model();
    match model.entra.access_tokens.get(&token) {
        Some(expires) if *expires > SystemTime::now() => {}
        Some(_) => {
            return Err(unauthorized(
                "Lifetime validation failed, the token is expired.",
            ));
        }
        None => {
            return Err(unauthorized(
                "Access token validation failure. Invalid audience.",
            ));
        }
    }
    if !model.entra.service_principals.contains_key(id) {
        return Err((
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        ));
    }
    Ok(())
}

fn fault_response((status, code, message): GraphFault) -> Response {
    graph_error(status, code, &message)
}

async fn list_jobs(State(shared): Ctx, Path(id): Path<String>, headers: HeaderMap) -> Response {
    if let Err(fault) = admit(&shared, &headers, &id) {
        return fault_response(fault);
    }
    json_response(
        StatusCode::OK,
        &json!({
            "value": [{
                "id": format!("scim.{}", random_hex(16)),
                "templateId": "scim",
                "schedule": { "interval": "PT40M", "state": "Active" },
                "status": { "code": "Active" },
            }]
        }),
    )
}

async fn put_secrets(
    State(shared): Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(fault) = admit(&shared, &headers, &id) {
        return fault_response(fault);
    }
    let bad = |message: &str| graph_error(StatusCode::BAD_REQUEST, "BadRequest", message);
    let Ok(body) = body else {
        return bad("The request body could not be read.");
    };
    let value = match parse_json(&headers, &body) {
        Ok(value) => value,
        Err(BodyProblem::ContentType(_)) => {
            return graph_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                "The content type is not supported.",
            );
        }
        Err(BodyProblem::Empty | BodyProblem::Malformed(_)) => {
            return bad("Invalid request body.");
        }
    };
    let Some(items) = value.get("value").and_then(Value::as_array) else {
        return bad("The property 'value' is required.");
    };
    let mut secrets = Vec::new();
    for item in items {
        match (
            item.get("key").and_then(Value::as_str),
            item.get("value").and_then(Value::as_str),
        ) {
            (Some(key), Some(value)) => secrets.push((key.to_owned(), value.to_owned())),
            _ => return bad("Each secret needs a string 'key' and 'value'."),
        }
    }
    let mut model = shared.model();
    if let Some(stored) = model.entra.service_principals.get_mut(&id) {
        // Keys given replace their old value; others stay.
        for (key, value) in secrets {
            stored.retain(|(k, _)| *k != key);
            stored.push((key, value));
        }
    }
    StatusCode::NO_CONTENT.into_response()
}
