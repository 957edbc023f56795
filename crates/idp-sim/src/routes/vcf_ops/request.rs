//! What every VCF Operations handler shares: authentication (`OpsToken` or
//! `Bearer`), JSON bodies, the error body and pages.

use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth;
use crate::routes::validate::{BodyProblem, parse_json};
use crate::state::Shared;
use crate::state::vcf_ops::OPS_TOKEN_VALIDITY;
use crate::vendor_error::json_response;

pub(super) type Ctx = State<Arc<Shared>>;
pub(super) type Answer = Result<Response, OpsError>;

/// An error answer: `{message, httpStatusCode, apiErrorCode}` (assumed:
/// the vendor's description declares no error bodies for these paths).
#[derive(Debug)]
pub(crate) struct OpsError {
    status: StatusCode,
    message: String,
}

impl OpsError {
    pub(super) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        OpsError {
            status,
            message: message.into(),
        }
    }

    pub(super) fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    pub(super) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(super) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "The request is not authenticated: send Authorization: OpsToken <token> or Bearer <token>",
        )
    }
}

impl IntoResponse for OpsError {
    fn into_response(self) -> Response {
        let code = self.status.as_u16();
        json_response(
            self.status,
            &json!({"message": self.message, "httpStatusCode": code, "apiErrorCode": code}),
        )
    }
}

/// A `/suite-api` path the simulator does not serve.
pub(crate) fn path_not_found(path: &str) -> Response {
    OpsError::not_found(&format!("resource {path}")).into_response()
}

/// A JSON answer.
pub(super) fn answer(status: StatusCode, body: &Value) -> Response {
    json_response(status, body)
}

/// No body.
pub(super) fn empty(status: StatusCode) -> Response {
    status.into_response()
}

/// Admits `Authorization: OpsToken <token>` (a valid one's validity is
/// extended to 6 hours from now) or `Bearer <token>` (an access token of
/// the simulated VCF single sign-on).
pub(super) fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<String, OpsError> {
    let mut model = shared.model();
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .ok_or_else(OpsError::unauthorized)?;
    let (scheme, token) = value.split_once(' ').ok_or_else(OpsError::unauthorized)?;
    if scheme.eq_ignore_ascii_case("OpsToken") {
        let now = SystemTime::now();
        let held = model
            .vcf_ops
            .tokens
            .get_mut(token.trim())
            .filter(|t| t.valid_until > now)
            .ok_or_else(OpsError::unauthorized)?;
        held.valid_until = now + OPS_TOKEN_VALIDITY;
        return Ok(held.username.clone());
    }
    auth::check_bearer(&model, headers).map_err(|_| OpsError::unauthorized())
}

/// A JSON request body.
pub(super) fn body(headers: &HeaderMap, bytes: &[u8]) -> Result<Value, OpsError> {
    parse_json(headers, bytes).map_err(|problem| match problem {
        BodyProblem::ContentType(media) => OpsError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content type '{media}' not supported"),
        ),
        BodyProblem::Empty => OpsError::bad_request("Required request body is missing"),
        BodyProblem::Malformed(why) => OpsError::bad_request(format!("JSON parse error: {why}")),
    })
}

/// A required non-empty string field of `value`.
pub(super) fn required_str<'a>(value: &'a Value, field: &str) -> Result<&'a str, OpsError> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OpsError::bad_request(format!("{field} must not be empty")))
}

/// `page` and `pageSize` query parameters (and, for some listings,
/// `last` and `type`).
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct Paging {
    pub(super) page: Option<i64>,
    pub(super) page_size: Option<i64>,
    pub(super) last: Option<bool>,
    #[serde(rename = "type")]
    pub(super) role_type: Option<String>,
}

impl Paging {
    /// `page` and `pageSize`, which the vendor's description requires for
    /// some listings.
    pub(super) fn required(&self) -> Result<&Self, OpsError> {
        if self.page.is_some() && self.page_size.is_some() {
            Ok(self)
        } else {
            Err(OpsError::bad_request("page and pageSize are required"))
        }
    }

    /// One page of `items` (pages from 0; 20 per page by default, assumed)
    /// with its `pageInfo`.
    pub(super) fn page(&self, items: Vec<Value>) -> Result<(Vec<Value>, Value), OpsError> {
        let page = self.page.unwrap_or(0);
        let size = self.page_size.unwrap_or(20);
        if page < 0 || size < 1 {
            return Err(OpsError::bad_request(
                "page must be at least 0 and pageSize at least 1",
            ));
        }
        let total = items.len();
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        let size_usize = usize::try_from(size).unwrap_or(usize::MAX);
        let items: Vec<Value> = items.into_iter().skip(start).take(size_usize).collect();
        let info = json!({"page": page, "pageSize": size, "totalCount": total});
        Ok((items, info))
    }
}
