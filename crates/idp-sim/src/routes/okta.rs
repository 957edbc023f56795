//! Okta: an app's default provisioning connection, served under `/okta`
//! (`GET`/`POST /okta/api/v1/apps/{appId}/connections/default`), with Okta's
//! error body (`errorCode`, `errorSummary`, `errorLink`, `errorId`,
//! `errorCauses`). The token set on a connection is never answered (Okta
//! answers only the scheme) and never logged.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::ids::random_hex;
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::{OktaConnection, Shared};
use crate::vendor_error::json_response;

type Ctx = State<Arc<Shared>>;

/// The Okta routes.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new().route(
        "/okta/api/v1/apps/{app_id}/connections/default",
        get(get_connection).post(set_connection),
    )
}

/// An Okta error answer.
pub(crate) struct OktaError {
    status: StatusCode,
    code: &'static str,
    summary: String,
    causes: Vec<String>,
}

impl OktaError {
    fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
        }
    }

    /// Okta's 404 for an unknown resource or path.
    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {what}"),
        )
    }

    fn validation(cause: impl Into<String>) -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            "E0000001",
            "Api validation failed: connection",
        );
        error.causes.push(cause.into());
        error
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let causes: Vec<Value> = self
            .causes
            .iter()
            .map(|c| json!({ "errorSummary": c }))
            .collect();
        let body = json!({
            "errorCode": self.code,
            "errorSummary": self.summary,
            "errorLink": self.code,
            "errorId": format!("oae{}", random_hex(11)),
            "errorCauses": causes,
        });
        let mut response = json_response(self.status, &body);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("SSWS"),
            );
        }
        response
    }
}

/// `Authorization: SSWS <token>` or `Bearer <token>` with the seeded token.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<(), OktaError> {
    let invalid = || {
        OktaError::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    };
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(invalid)?;
    let (scheme, token) = value.split_once(' ').ok_or_else(invalid)?;
    let known = scheme.eq_ignore_ascii_case("SSWS") || scheme.eq_ignore_ascii_case("Bearer");
    if known && token.trim() == shared.model().okta.api_token {
        Ok(())
    } else {
        Err(invalid())
    }
}

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

async fn get_connection(
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
struct Activate {
    activate: Option<String>,
}

async fn set_connection(
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
