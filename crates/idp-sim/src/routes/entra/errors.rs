//! The two error bodies: the token endpoint's (`error`,
//! `error_description`, `error_codes`, ...) and Graph's
//! (`{"error": {"code", "message", "innerError"}}`).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::ids::new_uuid;
use crate::vendor_error::json_response;

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
