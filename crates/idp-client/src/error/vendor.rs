//! Normalizes the vendors' error bodies: VCF `Error` (`causes`,
//! `errorType`), VCF `ErrorResponse` (`cause`), VCF 9 (`label`,
//! `remediationUrl`, `notifications`), Unleash (`id`, `name`, `message`) and
//! Okta (`errorCode`, `errorSummary`, `errorId`, `errorCauses`).

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

/// How deep `nestedErrors` are followed.
const MAX_DEPTH: usize = 32;
/// How many causes, nested errors, arguments or notifications are kept per level.
const MAX_ITEMS: usize = 64;
/// How many bytes of one text field are kept.
const MAX_TEXT: usize = 4096;

/// A vendor error body, normalized from any of the shapes servers send.
///
/// Serializes with camelCase names, for machine-readable output.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VendorError {
    /// The (localized) error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// What to do about it (`remediationMessage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation: Option<String>,
    /// The vendor's error code (`errorCode`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The vendor's error type (`errorType`, VCF `Error` shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// Correlates the error with the server's logs (`referenceToken`); quote
    /// it when reporting the problem to the vendor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_token: Option<String>,
    /// A short title (VCF 9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A link to documentation about the fix (VCF 9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation_url: Option<String>,
    /// The values the message was localized with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<String>,
    /// The underlying causes, from `causes` and `cause`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<VendorCause>,
    /// The errors a composite error is made of (`nestedErrors`), normalized
    /// the same way (to a bounded depth).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nested: Vec<VendorError>,
    /// Related notifications (VCF 9), as served.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notifications: Vec<VendorNotification>,
    /// The kind of error (Unleash `name`: `NotFoundError`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The id of this error instance (Unleash `id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One underlying cause of a [`VendorError`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VendorCause {
    /// The cause's kind (an exception class on the server), served as `type`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The cause's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A notification of a VCF 9 error body, kept as served: its shape is not
/// pinned down. It serializes as the JSON it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct VendorNotification(Value);

impl VendorNotification {
    /// The notification as compact JSON text.
    #[must_use]
    pub fn to_json(&self) -> String {
        self.0.to_string()
    }

    /// A text field of the notification (`message`, `text`, `description`),
    /// when it has one.
    #[must_use]
    pub fn text(&self) -> Option<&str> {
        ["message", "text", "description"]
            .iter()
            .find_map(|key| self.0.get(*key).and_then(Value::as_str))
    }
}

impl fmt::Display for VendorNotification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl VendorError {
    /// Normalizes an error body parsed as JSON.
    ///
    /// Returns `None` when the value carries none of the fields of any known
    /// error shape. A JSON string is taken as the message.
    pub(crate) fn from_json(value: &Value) -> Option<Self> {
        let mut budget = 4096usize;
        let error = normalize(value, 0, &mut budget)?;
        (!error.is_empty()).then_some(error)
    }

    /// The best one-line description: the message, else the label, else the
    /// Unleash error name, else the error code.
    #[must_use]
    pub fn summary(&self) -> Option<&str> {
        self.message
            .as_deref()
            .or(self.label.as_deref())
            .or(self.name.as_deref())
            .or(self.error_code.as_deref())
    }

    fn is_empty(&self) -> bool {
        self.message.is_none()
            && self.remediation.is_none()
            && self.error_code.is_none()
            && self.error_type.is_none()
            && self.reference_token.is_none()
            && self.label.is_none()
            && self.remediation_url.is_none()
            && self.causes.is_empty()
            && self.nested.is_empty()
            && self.name.is_none()
    }
}

fn normalize(value: &Value, depth: usize, budget: &mut usize) -> Option<VendorError> {
    if *budget == 0 {
        return None;
    }
    *budget -= 1;
    match value {
        Value::String(s) => Some(VendorError {
            message: Some(bounded(s)).filter(|m| !m.trim().is_empty()),
            ..VendorError::default()
        }),
        Value::Object(map) => Some(from_object(map, depth, budget)),
        _ => None,
    }
}

fn from_object(map: &Map<String, Value>, depth: usize, budget: &mut usize) -> VendorError {
    // Microsoft Graph: `{"error": {"code", "message", "innerError"}}`.
    if let Some(Value::Object(inner)) = map.get("error")
        && depth < MAX_DEPTH
    {
        return from_object(inner, depth + 1, budget);
    }
    let mut error = VendorError {
        message: text(map, &["message", "errorSummary"])
            // Spring Boot's default body: {"status": 401, "error": "Unauthorized", ...}.
            .or_else(|| text(map, &["error_description", "error", "detail", "title"])),
        remediation: text(map, &["remediationMessage", "remediation"]),
        error_code: text(map, &["errorCode", "code"]),
        error_type: text(map, &["errorType"]),
        reference_token: text(map, &["referenceToken"]),
        label: text(map, &["label"]),
        remediation_url: text(map, &["remediationUrl"]),
        name: text(map, &["name"]),
        id: text(map, &["id", "errorId"]),
        ..VendorError::default()
    };
    if let Some(Value::Array(items)) = map.get("arguments") {
        error.arguments = items.iter().take(MAX_ITEMS).filter_map(scalar).collect();
    }
    // Okta: `errorCauses: [{"errorSummary": ...}]`.
    for key in ["causes", "cause", "errorCauses"] {
        match map.get(key) {
            Some(Value::Array(items)) => {
                for item in items {
                    if error.causes.len() >= MAX_ITEMS {
                        break;
                    }
                    if let Some(cause) = cause(item) {
                        error.causes.push(cause);
                    }
                }
            }
            Some(item @ (Value::Object(_) | Value::String(_))) => {
                if let Some(cause) = cause(item) {
                    error.causes.push(cause);
                }
            }
            _ => {}
        }
    }
    if depth < MAX_DEPTH
        && let Some(Value::Array(items)) = map.get("nestedErrors")
    {
        for item in items.iter().take(MAX_ITEMS) {
            if let Some(nested) = normalize(item, depth + 1, budget)
                && !nested.is_empty()
            {
                error.nested.push(nested);
            }
        }
    }
    if let Some(Value::Array(items)) = map.get("notifications") {
        error.notifications = items
            .iter()
            .take(MAX_ITEMS)
            .cloned()
            .map(VendorNotification)
            .collect();
    }
    error
}

fn cause(value: &Value) -> Option<VendorCause> {
    match value {
        Value::String(s) => Some(VendorCause {
            kind: None,
            message: Some(bounded(s)),
        }),
        Value::Object(map) => {
            let cause = VendorCause {
                kind: text(map, &["type", "kind"]),
                message: text(map, &["message", "errorSummary"]),
            };
            (cause.kind.is_some() || cause.message.is_some()).then_some(cause)
        }
        _ => None,
    }
}

/// The first of `keys` whose value is a non-empty scalar, as text.
fn text(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter()
        .filter_map(|key| map.get(*key))
        .filter_map(scalar)
        .find(|s| !s.trim().is_empty())
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(bounded(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// At most [`MAX_TEXT`] bytes of `s`, on one line: control characters
/// (line breaks, terminal escapes) become spaces, so a server's text cannot
/// rewrite a terminal or forge log lines when the error is printed.
fn bounded(s: &str) -> String {
    let mut end = s.len().min(MAX_TEXT);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut out: String = s[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if end < s.len() {
        out.push('…');
    }
    out
}

impl fmt::Display for VendorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(name) = &self.name
            && self.message.is_some()
        {
            parts.push(name.clone());
        }
        match (&self.label, &self.message) {
            (Some(label), Some(message)) if label != message => {
                parts.push(format!("{label}: message: {message}"));
            }
            (_, Some(message)) => parts.push(format!("message: {message}")),
            (Some(label), None) => parts.push(format!("message: {label}")),
            (None, None) => {
                if let Some(name) = &self.name {
                    parts.push(format!("message: {name}"));
                }
            }
        }
        if let Some(code) = &self.error_code {
            parts.push(format!("error code: {code}"));
        }
        for cause in self.causes.iter().take(3) {
            match (&cause.kind, &cause.message) {
                (Some(kind), Some(message)) => parts.push(format!("cause: {kind}: {message}")),
                (None, Some(message)) => parts.push(format!("cause: {message}")),
                (Some(kind), None) => parts.push(format!("cause: {kind}")),
                (None, None) => {}
            }
        }
        for nested in self.nested.iter().take(3) {
            if let Some(summary) = nested.summary() {
                parts.push(format!("nested error: {summary}"));
            }
        }
        if let Some(remediation) = &self.remediation {
            parts.push(format!("remediation: {remediation}"));
        }
        if let Some(url) = &self.remediation_url {
            parts.push(format!("see: {url}"));
        }
        if let Some(token) = &self.reference_token {
            parts.push(format!("reference token: {token}"));
        }
        if parts.is_empty() {
            f.write_str("(no details)")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_shape_with_causes() {
        let v = json!({
            "errorCode": "IDP_NOT_FOUND", "errorType": "ERROR", "message": "Not found",
            "remediationMessage": "Check the id", "referenceToken": "ABC123",
            "arguments": ["x", 5], "causes": [{"type": "java.lang.X", "message": "boom"}],
            "nestedErrors": [{"message": "inner", "nestedErrors": ["Error Object"]}]
        });
        let e = VendorError::from_json(&v).unwrap();
        assert_eq!(e.message.as_deref(), Some("Not found"));
        assert_eq!(e.arguments, vec!["x", "5"]);
        assert_eq!(e.causes[0].kind.as_deref(), Some("java.lang.X"));
        assert_eq!(e.nested[0].message.as_deref(), Some("inner"));
        assert_eq!(
            e.nested[0].nested[0].message.as_deref(),
            Some("Error Object")
        );
        let text = e.to_string();
        assert!(text.contains("message: Not found"), "{text}");
        assert!(text.contains("remediation: Check the id"), "{text}");
        assert!(text.contains("reference token: ABC123"), "{text}");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut v = json!({"message": "leaf"});
        for i in 0..100 {
            v = json!({"message": format!("level {i}"), "nestedErrors": [v]});
        }
        let e = VendorError::from_json(&v).unwrap();
        let mut depth = 0;
        let mut cur = &e;
        while let Some(next) = cur.nested.first() {
            depth += 1;
            cur = next;
        }
        assert_eq!(depth, MAX_DEPTH);
    }

    #[test]
    fn okta_error_shape() {
        let v = json!({
            "errorCode": "E0000001", "errorSummary": "Api validation failed: connection",
            "errorLink": "E0000001", "errorId": "oae123",
            "errorCauses": [{"errorSummary": "profile.token: the token is required"}]
        });
        let e = VendorError::from_json(&v).unwrap();
        assert_eq!(
            e.message.as_deref(),
            Some("Api validation failed: connection")
        );
        assert_eq!(e.error_code.as_deref(), Some("E0000001"));
        assert_eq!(e.id.as_deref(), Some("oae123"));
        assert_eq!(
            e.causes[0].message.as_deref(),
            Some("profile.token: the token is required")
        );
    }

    #[test]
    fn graph_and_token_endpoint_error_shapes() {
        let graph = json!({"error": {"code": "Request_ResourceNotFound", "message": "Resource 'x' does not exist",
            "innerError": {"request-id": "r1"}}});
        let e = VendorError::from_json(&graph).unwrap();
        assert_eq!(e.error_code.as_deref(), Some("Request_ResourceNotFound"));
        assert_eq!(e.message.as_deref(), Some("Resource 'x' does not exist"));
        let token = json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.",
            "error_codes": [7000215]});
        let e = VendorError::from_json(&token).unwrap();
        assert_eq!(
            e.message.as_deref(),
            Some("AADSTS7000215: Invalid client secret provided.")
        );
    }

    #[test]
    fn unknown_objects_are_not_vendor_errors() {
        assert!(VendorError::from_json(&json!({"foo": 1})).is_none());
        assert!(VendorError::from_json(&json!([1, 2])).is_none());
        assert!(VendorError::from_json(&json!(null)).is_none());
    }
}
