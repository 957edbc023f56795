//! What every VCF handler does with a request: authorize the bearer token,
//! read path parameters and the JSON body, and render failures in the
//! operation's error shape.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::auth;
use crate::routes::validate::{BodyProblem, Invalid, parse_json};
use crate::state::Shared;
use crate::vendor_error::{VcfError, VcfShape};

/// The handlers' state.
pub(super) type Ctx = State<Arc<Shared>>;
/// What a handler returns: a response or a VCF error.
pub(super) type VcfResult = Result<Response, VcfError>;

/// A VCF error in the simulated server's profile.
pub(super) fn error(
    shared: &Shared,
    shape: VcfShape,
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
) -> VcfError {
    VcfError::new(shared.config.profile, shape, status, code, message)
}

pub(super) fn authorize(shared: &Shared, headers: &HeaderMap) -> Result<(), VcfError> {
    let model = shared.model();
    auth::check_bearer(&model, headers).map(drop).map_err(|failure| {
        error(
            shared,
            VcfShape::ErrorResponse,
            StatusCode::UNAUTHORIZED,
            failure.code(),
            failure.message(),
        )
        .remediation("Obtain a new access token with POST /v1/tokens and send it as 'Authorization: Bearer <token>'")
    })
}

pub(super) fn provider_not_found(shared: &Shared, shape: VcfShape, id: &str) -> VcfError {
    error(
        shared,
        shape,
        StatusCode::NOT_FOUND,
        "IDENTITY_PROVIDER_NOT_FOUND",
        format!("Identity provider with id {id} not found"),
    )
    .arg(id)
    .remediation(
        "Get the identity providers with GET /v1/identity-providers and use one of their ids",
    )
}

/// A path parameter, or 404 when it cannot be decoded (invalid UTF-8 ...).
pub(super) fn path_param<T>(
    shared: &Shared,
    shape: VcfShape,
    path: Result<Path<T>, PathRejection>,
) -> Result<T, VcfError> {
    path.map(|Path(p)| p).map_err(|_| {
        error(
            shared,
            shape,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "The requested resource was not found",
        )
    })
}

pub(super) fn body_bytes(
    shared: &Shared,
    shape: VcfShape,
    body: Result<Bytes, BytesRejection>,
) -> Result<Bytes, VcfError> {
    body.map_err(|e| {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "UNREADABLE_REQUEST_BODY",
            format!("The request body could not be read: {}", e.body_text()),
        )
    })
}

pub(super) fn json_body(
    shared: &Shared,
    shape: VcfShape,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, VcfError> {
    let value = parse_json(headers, body).map_err(|problem| match problem {
        BodyProblem::ContentType(ct) => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "INVALID_CONTENT_TYPE",
            format!(
                "Content type '{ct}' is not supported; send the request body as application/json"
            ),
        )
        .arg(ct),
        BodyProblem::Empty => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MISSING_REQUEST_BODY",
            "The request body is required",
        ),
        BodyProblem::Malformed(detail) => error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            format!("The request body is not valid JSON: {detail}"),
        ),
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            "MALFORMED_REQUEST_BODY",
            "The request body must be a JSON object",
        ))
    }
}

impl Invalid {
    /// The 400 in the operation's error shape.
    pub(super) fn into_error(self, shared: &Shared, shape: VcfShape) -> VcfError {
        error(
            shared,
            shape,
            StatusCode::BAD_REQUEST,
            self.code,
            self.message,
        )
        .arg(self.field)
        .remediation("Correct the request body and retry")
    }
}
