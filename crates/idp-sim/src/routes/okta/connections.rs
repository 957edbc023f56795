//! An app's default provisioning connection: read it, or set a token
//! connection (optionally activating it).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{OktaError, authenticate};
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::state::okta::OktaConnection;
use crate::vendor_error::json_response;

type Ctx = State<Arc<Shared>>;

fn connection_json(connection: Option<&OktaConnection>, app_id: &str) -> Value {
    let links = json!({
        "self": {
            "href": format!("/api/v1/apps/{app_id}/connections/default"),
            "hints": { "allow": ["GET", "POST"] }
        }
    });
    match connection {
        Some(c) => {
            let mut body = json!({
                "authScheme": "TOKEN",
                "status": if c.enabled { "ENABLED" } else { "DISABLED" },
                "profile": { "authScheme": "TOKEN" },
                "_links": links,
            });
            if let Some(url) = &c.base_url {
                body["baseUrl"] = json!(url);
            }
            body
        }
        None => json!({
            "status": "DISABLED",
            "profile": { "authScheme": "UNKNOWN" },
            "_links": links,
        }),
    }
}

pub(super) async fn get_connection(
    State(shared): Ctx,
    Path(app_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, OktaError> {
    authenticate(&shared, &headers)?;
    let model = shared.model();
    let app = model
        .okta
        .apps
        .get(&app_id)
        .ok_or_else(|| OktaError::not_found(&format!("{app_id} (AppInstance)")))?;
    Ok(json_response(
        StatusCode::OK,
        &connection_json(app.connection.as_ref(), &app_id),
    ))
}

#[derive(Deserialize)]
pub(super) struct Activate {
    activate: Option<String>,
}

pub(super) async fn set_connection(
    State(shared): Ctx,
    Path(app_id): Path<String>,
    Query(query): Query<Activate>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, OktaError> {
    authenticate(&shared, &headers)?;
    if !shared.model().okta.apps.contains_key(&app_id) {
        return Err(OktaError::not_found(&format!("{app_id} (AppInstance)")));
    }
    let body = body.map_err(|_| OktaError::validation("the request body could not be read"))?;
    let value = parse_json(&headers, &body).map_err(|problem| match problem {
        BodyProblem::ContentType(ct) => OktaError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "E0000001",
            format!("Api validation failed: unsupported content type {ct}"),
        ),
        BodyProblem::Empty => OktaError::validation("profile: the request body is required"),
        BodyProblem::Malformed(_) => OktaError::new(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        ),
    })?;
    let scheme = value.pointer("/profile/authScheme").and_then(Value::as_str);
    if scheme != Some("TOKEN") {
        return Err(OktaError::validation(
            "profile.authScheme: TOKEN is the only scheme this app supports",
        ));
    }
    let token = value
        .pointer("/profile/token")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| OktaError::validation("profile.token: the token is required"))?;
    let base_url = match value.get("baseUrl") {
        None | Some(Value::Null) => None,
        Some(Value::String(url)) if url.starts_with("https://") || url.starts_with("http://") => {
            Some(url.clone())
        }
        Some(_) => return Err(OktaError::validation("baseUrl: not a valid URL")),
    };
    let activate = match query.activate.as_deref() {
        None => false,
        Some("true") => true,
        Some("false") => false,
        Some(_) => return Err(OktaError::validation("activate: must be true or false")),
    };
    let mut model = shared.model();
    let app = model
        .okta
        .apps
        .get_mut(&app_id)
        .ok_or_else(|| OktaError::not_found(&format!("{app_id} (AppInstance)")))?;
    let enabled = activate || app.connection.as_ref().is_some_and(|c| c.enabled);
    app.connection = Some(OktaConnection {
        base_url,
        token: token.to_owned(),
        enabled,
    });
    Ok(json_response(
        StatusCode::OK,
        &connection_json(app.connection.as_ref(), &app_id),
    ))
}
