//! Okta's error body.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::ids::random_hex;
use crate::vendor_error::json_response;

/// An Okta error answer.
pub(crate) struct OktaError {
    status: StatusCode,
    code: &'static str,
    summary: String,
    causes: Vec<String>,
}

impl OktaError {
    pub(super) fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
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

    pub(super) fn validation(cause: impl Into<String>) -> Self {
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
