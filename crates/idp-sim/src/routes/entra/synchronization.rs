//! Graph's synchronization routes of a service principal: its jobs, and
//! putting its secrets (the SCIM token and base address).

use std::sync::Arc;
use std::time::SystemTime;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::graph_error;
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::vendor_error::json_response;

type Ctx = State<Arc<Shared>>;

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

/// The one synchronization job of a service principal (a SCIM template
/// job), its id stable across reads.
pub(super) fn job_id(service_principal_id: &str) -> String {
    format!("scim.{}", service_principal_id.replace('-', ""))
}

fn fault_response((status, code, message): GraphFault) -> Response {
    graph_error(status, code, &message)
}

pub(super) async fn list_jobs(
    State(shared): Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(fault) = admit(&shared, &headers, &id) {
        return fault_response(fault);
    }
    json_response(
        StatusCode::OK,
        &json!({
            "value": [{
                "id": job_id(&id),
                "templateId": "scim",
                "schedule": { "interval": "PT40M", "state": "Active" },
                "status": { "code": "Active" },
            }]
        }),
    )
}

pub(super) async fn put_secrets(
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

/// `POST .../synchronization/jobs/{jobId}/validateCredentials`: Entra tests
/// the credentials against the target system. The simulator's target
/// systems are its own SCIM URLs: the token must be the current one of the
/// URL's directory, as a SCIM request with it would find.
pub(super) async fn validate_credentials(
    State(shared): Ctx,
    Path((id, job)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(fault) = admit(&shared, &headers, &id) {
        return fault_response(fault);
    }
    if job != job_id(&id) {
        return graph_error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            &format!(
                "Resource '{job}' does not exist or one of its queried reference-property objects are not present."
            ),
        );
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
    let saved = value
        .get("useSavedCredentials")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let credentials: Vec<(String, String)> = if saved {
        shared
            .model()
            .entra
            .service_principals
            .get(&id)
            .cloned()
            .unwrap_or_default()
    } else {
        value
            .get("credentials")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| {
                        Some((
                            item.get("key")?.as_str()?.to_owned(),
                            item.get("value")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let get = |key: &str| {
        credentials
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let (Some(url), Some(token)) = (get("BaseAddress"), get("SecretToken")) else {
        return bad("The credentials need BaseAddress and SecretToken.");
    };
    match crate::routes::scim::directory_at(&shared, &url, &token) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(refusal) => graph_error(
            StatusCode::BAD_REQUEST,
            "CredentialValidationUnavailable",
            &format!("Error validating credentials. {}", refusal.describe(&url)),
        ),
    }
}
