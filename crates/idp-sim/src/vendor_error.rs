//! The vendor error bodies the simulated servers send (the simulator's own
//! error type is `error::SimError`).
//!
//! VCF has two shapes: `ErrorResponse` (with `cause`) and `Error` (with
//! `causes` and `errorType`); VCF 9 adds `label`, `remediationUrl` and
//! `notifications` to both. Unleash errors are `{id, name, message}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rand::Rng;
use serde_json::{Value, json};

use crate::config::Profile;
use crate::ids::new_uuid;
use crate::paths::{is_entra_graph_path, is_entra_login_path, is_okta_path, is_unleash_path};

/// `Content-Type: application/json`.
pub(crate) const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");

/// Which VCF error schema a body follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VcfShape {
    /// `ErrorResponse`: `cause`, no `errorType`.
    ErrorResponse,
    /// `Error`: `causes` and `errorType`.
    Error,
}

/// A VCF error, rendered in the shape the operation uses (boxed: errors
/// travel in `Result`s).
#[derive(Debug, Clone)]
pub(crate) struct VcfError(Box<VcfErrorInner>);

#[derive(Debug, Clone)]
struct VcfErrorInner {
    profile: Profile,
    shape: VcfShape,
    status: StatusCode,
    code: String,
    message: String,
    remediation: String,
    arguments: Vec<String>,
    cause_type: &'static str,
}

impl VcfError {
    pub(crate) fn new(
        profile: Profile,
        shape: VcfShape,
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        let cause_type = match status {
            StatusCode::UNAUTHORIZED => "AuthenticationException",
            StatusCode::NOT_FOUND => "ResourceNotFoundException",
            StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => "ValidationException",
            _ => "ServiceException",
        };
        VcfError(Box::new(VcfErrorInner {
            profile,
            shape,
            status,
            code: code.to_owned(),
            message: message.into(),
            remediation: String::new(),
            arguments: Vec::new(),
            cause_type,
        }))
    }

    #[must_use]
    pub(crate) fn remediation(mut self, text: impl Into<String>) -> Self {
        self.0.remediation = text.into();
        self
    }

    #[must_use]
    pub(crate) fn arg(mut self, arg: impl Into<String>) -> Self {
        self.0.arguments.push(arg.into());
        self
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> Value {
        let e = &self.0;
        let cause = json!([{ "type": e.cause_type, "message": e.message }]);
        let mut body = serde_json::Map::new();
        body.insert("errorCode".into(), json!(e.code));
        if e.shape == VcfShape::Error {
            let error_type = if e.status.is_client_error() {
                "VALIDATION"
            } else {
                "ERROR"
            };
            body.insert("errorType".into(), json!(error_type));
        }
        body.insert("message".into(), json!(e.message));
        body.insert("remediationMessage".into(), json!(e.remediation));
        body.insert("referenceToken".into(), json!(reference_token()));
        body.insert("arguments".into(), json!(e.arguments));
        body.insert("context".into(), json!({}));
        match e.shape {
            VcfShape::ErrorResponse => body.insert("cause".into(), cause),
            VcfShape::Error => body.insert("causes".into(), cause),
        };
        body.insert("nestedErrors".into(), json!([]));
        if e.profile.is_9() {
            body.insert(
                "label".into(),
                json!(e.status.canonical_reason().unwrap_or("Error")),
            );
            body.insert(
                "remediationUrl".into(),
                json!("https://techdocs.broadcom.com/us/en/vmware-cis/vcf.html"),
            );
            body.insert("notifications".into(), json!([]));
        }
        Value::Object(body)
    }
}

impl IntoResponse for VcfError {
    fn into_response(self) -> Response {
        json_response(self.0.status, &self.body())
    }
}

/// An Unleash error: `{id, name, message, details: [{message}]}`, or a bare
/// `{message}` (token-type and maintenance refusals) when `name` is empty.
#[derive(Debug, Clone)]
pub(crate) struct UnleashError {
    pub(crate) status: StatusCode,
    pub(crate) name: String,
    pub(crate) message: String,
}

impl UnleashError {
    pub(crate) fn new(status: StatusCode, name: &str, message: impl Into<String>) -> Self {
        UnleashError {
            status,
            name: name.to_owned(),
            message: message.into(),
        }
    }

    /// An error Unleash answers with only `{message}`.
    pub(crate) fn bare(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, "", message)
    }

    pub(crate) fn body(&self) -> Value {
        if self.name.is_empty() {
            return json!({ "message": self.message });
        }
        json!({
            "id": new_uuid(),
            "name": self.name,
            "message": self.message,
            "details": [{ "message": self.message }],
        })
    }
}

impl IntoResponse for UnleashError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

/// A response with a JSON body and `Content-Type: application/json`.
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    raw_json_response(status, bytes)
}

/// A response whose body is sent as is, labelled `application/json` (VCF does
/// this with bodies that are not JSON).
pub(crate) fn raw_json_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, APPLICATION_JSON);
    response
}

/// The vendor error body that a path's server would send for `status`,
/// used for fallbacks, limits and injected faults.
pub(crate) fn generic_error_body(
    profile: Profile,
    path: &str,
    status: StatusCode,
    message: &str,
) -> Value {
    if is_unleash_path(path) {
        let name = unleash_error_name(status);
        UnleashError::new(status, &name, message).body()
    } else if is_entra_graph_path(path) {
        let code = status
            .canonical_reason()
            .unwrap_or("Error")
            .split([' ', '-'])
            .collect::<String>();
        serde_json::json!({ "error": { "code": code, "message": message } })
    } else if is_entra_login_path(path) {
        serde_json::json!({
            "error": if status.as_u16() == 429 { "temporarily_unavailable" } else { "server_error" },
            "error_description": message,
        })
    } else if is_okta_path(path) {
        // Okta's shape; E0000047 is its rate-limit code, E0000009 its
        // internal server error.
        let code = match status.as_u16() {
            429 => "E0000047",
            401 => "E0000011",
            403 => "E0000006",
            404 => "E0000007",
            s if s < 500 => "E0000001",
            _ => "E0000009",
        };
        serde_json::json!({
            "errorCode": code,
            "errorSummary": message,
            "errorLink": code,
            "errorId": format!("oae{}", crate::ids::random_hex(11)),
            "errorCauses": [],
        })
    } else {
        let code = status
            .canonical_reason()
            .unwrap_or("ERROR")
            .to_ascii_uppercase()
            .replace([' ', '-'], "_");
        VcfError::new(profile, VcfShape::ErrorResponse, status, &code, message).body()
    }
}

fn unleash_error_name(status: StatusCode) -> String {
    match status {
        StatusCode::NOT_FOUND => "NotFoundError".to_owned(),
        StatusCode::UNAUTHORIZED => "AuthenticationRequired".to_owned(),
        StatusCode::FORBIDDEN => "NoAccessError".to_owned(),
        StatusCode::BAD_REQUEST => "BadDataError".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "ContentTooLargeError".to_owned(),
        other => other
            .canonical_reason()
            .unwrap_or("UnknownError")
            .split([' ', '-'])
            .collect::<String>(),
    }
}

/// A VCF-style reference token: six upper-case letters and digits.
fn reference_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::rng();
    (0..6)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_differ() {
        let e = VcfError::new(
            Profile::Vcf52,
            VcfShape::ErrorResponse,
            StatusCode::NOT_FOUND,
            "X",
            "m",
        )
        .body();
        assert!(e.get("cause").is_some());
        assert!(e.get("causes").is_none());
        assert!(e.get("errorType").is_none());
        assert!(e.get("label").is_none());
        let e = VcfError::new(
            Profile::Vcf9,
            VcfShape::Error,
            StatusCode::BAD_REQUEST,
            "X",
            "m",
        )
        .body();
        assert!(e.get("causes").is_some());
        assert_eq!(e["errorType"], "VALIDATION");
        assert_eq!(e["label"], "Bad Request");
        assert!(e["notifications"].is_array());
        assert_eq!(e["referenceToken"].as_str().unwrap().len(), 6);
    }

    #[test]
    fn generic_bodies_follow_the_server() {
        let u = generic_error_body(
            Profile::Vcf52,
            "/unleash/api/x",
            StatusCode::SERVICE_UNAVAILABLE,
            "m",
        );
        assert_eq!(u["name"], "ServiceUnavailable");
        let v = generic_error_body(
            Profile::Vcf52,
            "/v1/x",
            StatusCode::SERVICE_UNAVAILABLE,
            "m",
        );
        assert_eq!(v["errorCode"], "SERVICE_UNAVAILABLE");
        assert!(!is_unleash_path("/unleashed"));
        assert!(is_unleash_path("/unleash"));
    }
}
