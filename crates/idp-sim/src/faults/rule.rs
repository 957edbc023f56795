//! Fault rules: what a rule matches (method, route) and what it does
//! (status, body, delay, dropped or truncated response).

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::SimError;

/// Identifies an added rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FaultId(pub u64);

impl fmt::Display for FaultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A body sent by a [`FaultAction::Respond`] rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum FaultBody {
    /// A JSON document, `Content-Type: application/json`.
    Json(serde_json::Value),
    /// An HTML page (like a proxy's error page), `Content-Type: text/html`.
    Html(String),
    /// Plain text, `Content-Type: text/plain`.
    Text(String),
    /// Any text sent as is with any `Content-Type`: a JSON document too deep
    /// to build as a `serde_json::Value`, or a body mislabelled by a proxy.
    /// In JSON: `{"raw": {"contentType": "application/json", "text": "..."}}`.
    Raw {
        /// The `Content-Type` header value.
        content_type: String,
        /// The body.
        text: String,
    },
    /// `chunk` repeated until `bytes` bytes have been sent (the last copy
    /// cut short), streamed without holding the whole body in memory: a
    /// 100 MB answer costs the simulator one small buffer. In JSON:
    /// `{"repeat": {"chunk": "x", "bytes": 100000000}}`.
    Repeat {
        /// The text to repeat; must not be empty when `bytes` is not zero.
        chunk: String,
        /// The total body size.
        bytes: u64,
        /// The `Content-Type` (default `application/json`).
        #[serde(default = "default_repeat_content_type")]
        content_type: String,
        /// `true` (default): `Content-Length: <bytes>` is declared up front;
        /// `false`: the body is sent chunked, its size unknown until the end.
        #[serde(default = "default_true")]
        declare_length: bool,
    },
}

fn default_repeat_content_type() -> String {
    "application/json".to_owned()
}

fn default_true() -> bool {
    true
}

impl FaultBody {
    /// Any `text` with `content_type` ([`FaultBody::Raw`]).
    #[must_use]
    pub fn raw(content_type: impl Into<String>, text: impl Into<String>) -> Self {
        FaultBody::Raw {
            content_type: content_type.into(),
            text: text.into(),
        }
    }

    /// `chunk` repeated to `bytes` bytes, labelled `application/json`, with
    /// `Content-Length` declared when `declare_length` ([`FaultBody::Repeat`]).
    #[must_use]
    pub fn repeat(chunk: impl Into<String>, bytes: u64, declare_length: bool) -> Self {
        FaultBody::Repeat {
            chunk: chunk.into(),
            bytes,
            content_type: default_repeat_content_type(),
            declare_length,
        }
    }
}

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum FaultAction {
    /// Let the real handler answer (after the rule's delay, if any). This is
    /// the "delay" fault.
    #[default]
    PassThrough,
    /// Answer with `status` and `body`; without a body, the vendor-shaped
    /// error of the route's server (VCF `ErrorResponse` or Unleash
    /// `{id, name, message}`).
    Respond {
        /// The HTTP status.
        status: u16,
        /// The body; `None` for the vendor-shaped default.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<FaultBody>,
    },
    /// Close the TCP connection without writing any response.
    DropConnection,
    /// Send a JSON body cut in the middle.
    TruncateBody {
        /// The HTTP status (default 200).
        #[serde(default = "default_truncate_status")]
        status: u16,
        /// The JSON document to cut (default: a providers list).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<serde_json::Value>,
        /// `false` (default): `Content-Length` matches the cut body, so the
        /// client receives a complete response holding invalid JSON.
        /// `true`: `Content-Length` declares the full body and the connection
        /// is closed after the first half (an incomplete message).
        #[serde(default)]
        declare_full_length: bool,
    },
}

fn default_truncate_status() -> u16 {
    200
}

impl FaultAction {
    /// The kind's name as used in JSON (`"respond"`, ...).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            FaultAction::PassThrough => "passThrough",
            FaultAction::Respond { .. } => "respond",
            FaultAction::DropConnection => "dropConnection",
            FaultAction::TruncateBody { .. } => "truncateBody",
        }
    }
}

/// A fault injection rule; (de)serializable, so the same rule can be posted
/// as JSON to `/__sim/faults`:
///
/// ```json
/// {"method": "POST", "route": "/v1/identity-providers/{id}/sync-client",
///  "action": {"kind": "respond", "status": 503, "body": {"html": "<html>Bad gateway</html>"}},
///  "retryAfter": 2, "delayMs": 100, "times": 1}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct FaultRule {
    /// The method to match (`"GET"`, ...) or `"*"` for any.
    #[serde(default = "any_method")]
    pub method: String,
    /// The route: `*`, a template with `{param}` segments, or a path prefix.
    pub route: String,
    /// What to do.
    #[serde(default)]
    pub action: FaultAction,
    /// Adds `Retry-After: <seconds>` to the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Waits this long before acting (in JSON: `delayMs`, milliseconds).
    #[serde(
        default,
        rename = "delayMs",
        with = "delay_ms",
        skip_serializing_if = "Option::is_none"
    )]
    pub delay: Option<Duration>,
    /// Applies only this many times, then the rule is removed ("fail N
    /// times, then succeed"). `None`: forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

fn any_method() -> String {
    "*".to_owned()
}

mod delay_ms {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // the signature serde's `with` requires
    pub(super) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_millis))
    }
}

impl FaultRule {
    /// A rule for `method` (`"GET"`, `Method::POST`, or `"*"`) on `route`
    /// that, until an action is chosen, lets the handler answer.
    #[must_use]
    pub fn new(method: impl AsRef<str>, route: impl Into<String>) -> Self {
        FaultRule {
            method: method.as_ref().trim().to_ascii_uppercase(),
            route: route.into(),
            action: FaultAction::PassThrough,
            retry_after: None,
            delay: None,
            times: None,
        }
    }

    /// Answer with `status` and the route server's vendor-shaped error body.
    #[must_use]
    pub fn respond(mut self, status: u16) -> Self {
        self.action = FaultAction::Respond { status, body: None };
        self
    }

    /// Answer with `status` and a JSON body.
    #[must_use]
    pub fn respond_json(mut self, status: u16, body: serde_json::Value) -> Self {
        self.action = FaultAction::Respond {
            status,
            body: Some(FaultBody::Json(body)),
        };
        self
    }

    /// Answer with `status` and an HTML page (like a proxy's 502 page).
    #[must_use]
    pub fn respond_html(mut self, status: u16, html: impl Into<String>) -> Self {
        self.action = FaultAction::Respond {
            status,
            body: Some(FaultBody::Html(html.into())),
        };
        self
    }

    /// Answer with `status` and a plain-text body.
    #[must_use]
    pub fn respond_text(mut self, status: u16, text: impl Into<String>) -> Self {
        self.action = FaultAction::Respond {
            status,
            body: Some(FaultBody::Text(text.into())),
        };
        self
    }

    /// Answer with `status` and any [`FaultBody`] ([`FaultBody::raw`],
    /// [`FaultBody::repeat`], ...).
    #[must_use]
    pub fn respond_body(mut self, status: u16, body: FaultBody) -> Self {
        self.action = FaultAction::Respond {
            status,
            body: Some(body),
        };
        self
    }

    /// Close the connection without any response.
    #[must_use]
    pub fn drop_connection(mut self) -> Self {
        self.action = FaultAction::DropConnection;
        self
    }

    /// Answer 200 with a JSON body cut in the middle (honest `Content-Length`).
    #[must_use]
    pub fn truncate_body(mut self) -> Self {
        self.action = FaultAction::TruncateBody {
            status: 200,
            body: None,
            declare_full_length: false,
        };
        self
    }

    /// Answer 200 declaring the full `Content-Length`, send half the body,
    /// then close the connection.
    #[must_use]
    pub fn truncate_body_declaring_full_length(mut self) -> Self {
        self.action = FaultAction::TruncateBody {
            status: 200,
            body: None,
            declare_full_length: true,
        };
        self
    }

    /// Sets any action.
    #[must_use]
    pub fn action(mut self, action: FaultAction) -> Self {
        self.action = action;
        self
    }

    /// Wait `delay` first. With no other action the real handler then answers.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Add `Retry-After: <seconds>`.
    #[must_use]
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Apply `n` times only, then succeed.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Checks the rule: a route, a known method form, valid status codes.
    pub fn validate(&self) -> Result<(), SimError> {
        let route = self.route.trim();
        if route.is_empty() || !(route == "*" || route.starts_with('/')) {
            return Err(SimError::InvalidFault(format!(
                "route must be \"*\" or start with '/': {:?}",
                self.route
            )));
        }
        if self.method.is_empty()
            || !(self.method == "*" || self.method.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(SimError::InvalidFault(format!(
                "method must be \"*\" or an HTTP method: {:?}",
                self.method
            )));
        }
        let status = match &self.action {
            FaultAction::Respond { status, .. } | FaultAction::TruncateBody { status, .. } => {
                Some(*status)
            }
            FaultAction::PassThrough | FaultAction::DropConnection => None,
        };
        if let Some(status) = status
            && !(100..=599).contains(&status)
        {
            return Err(SimError::InvalidFault(format!(
                "status must be between 100 and 599: {status}"
            )));
        }
        if let FaultAction::Respond {
            body: Some(FaultBody::Repeat { chunk, bytes, .. }),
            ..
        } = &self.action
            && chunk.is_empty()
            && *bytes > 0
        {
            return Err(SimError::InvalidFault(
                "a repeated body needs a non-empty chunk".into(),
            ));
        }
        if let FaultAction::Respond {
            body: Some(FaultBody::Raw { content_type, .. } | FaultBody::Repeat { content_type, .. }),
            ..
        } = &self.action
            && axum::http::HeaderValue::from_str(content_type).is_err()
        {
            return Err(SimError::InvalidFault(format!(
                "not a valid Content-Type value: {content_type:?}"
            )));
        }
        if self.times == Some(0) {
            return Err(SimError::InvalidFault("times must be at least 1".into()));
        }
        Ok(())
    }

    pub(super) fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method))
            && route_matches(self.route.trim(), path)
    }
}

/// Whether a rule's route matches a raw path (see the module docs).
fn route_matches(route: &str, path: &str) -> bool {
    if route == "*" {
        return true;
    }
    if route.contains('{') {
        let r: Vec<&str> = route.split('/').collect();
        let p: Vec<&str> = path.split('/').collect();
        return r.len() == p.len()
            && r.iter().zip(&p).all(|(r, p)| {
                if r.starts_with('{') && r.ends_with('}') {
                    !p.is_empty()
                } else {
                    r == p
                }
            });
    }
    let prefix = route.trim_end_matches('/');
    if prefix.is_empty() {
        return true;
    }
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_prefixes() {
        let t = "/v1/identity-providers/{id}";
        assert!(route_matches(t, "/v1/identity-providers/abc"));
        assert!(!route_matches(t, "/v1/identity-providers/abc/sync-client"));
        assert!(!route_matches(t, "/v1/identity-providers/"));
        assert!(!route_matches(t, "/v1/identity-providers"));
        let t = "/v1/identity-providers/{id}/identity-sources/{domainName}";
        assert!(route_matches(
            t,
            "/v1/identity-providers/a/identity-sources/x%2Fy"
        ));
        let p = "/v1/identity-providers";
        assert!(route_matches(p, "/v1/identity-providers"));
        assert!(route_matches(p, "/v1/identity-providers/a/sync-client"));
        assert!(!route_matches(p, "/v1/identity-providers-x"));
        assert!(route_matches("*", "/anything"));
        assert!(route_matches("/", "/anything"));
    }

    #[test]
    fn json_form() {
        let rule: FaultRule = serde_json::from_str(
            r#"{"method":"POST","route":"/v1/x/{id}","action":{"kind":"respond","status":502,
                "body":{"html":"<html>bad gateway</html>"}},"retryAfter":3,"delayMs":250,"times":1}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new("POST", "/v1/x/{id}")
                .respond_html(502, "<html>bad gateway</html>")
                .retry_after(3)
                .delay(Duration::from_millis(250))
                .times(1)
        );
        let back: FaultRule = serde_json::from_value(serde_json::to_value(&rule).unwrap()).unwrap();
        assert_eq!(back, rule);
        let rule: FaultRule = serde_json::from_str(
            r#"{"route":"*","action":{"kind":"truncateBody","declareFullLength":true}}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new("*", "*").truncate_body_declaring_full_length()
        );
        let rule: FaultRule = serde_json::from_str(
            r#"{"route":"/x","action":{"kind":"respond","status":200,
                "body":{"repeat":{"chunk":"x","bytes":100000000}}}}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new("*", "/x").respond_body(200, FaultBody::repeat("x", 100_000_000, true))
        );
        let rule: FaultRule = serde_json::from_str(
            r#"{"route":"/x","action":{"kind":"respond","status":500,
                "body":{"raw":{"contentType":"application/json","text":"[[["}}}}"#,
        )
        .unwrap();
        assert_eq!(
            rule,
            FaultRule::new("*", "/x").respond_body(500, FaultBody::raw("application/json", "[[["))
        );
        let back: FaultRule = serde_json::from_value(serde_json::to_value(&rule).unwrap()).unwrap();
        assert_eq!(back, rule);
        assert!(
            FaultRule::new("*", "/x")
                .respond_body(200, FaultBody::repeat("", 10, true))
                .validate()
                .is_err()
        );
        assert!(
            FaultRule::new("*", "/x")
                .respond_body(200, FaultBody::raw("a\nb", "x"))
                .validate()
                .is_err()
        );
        let rule: FaultRule =
            serde_json::from_str(r#"{"route":"/x","action":{"kind":"dropConnection"}}"#).unwrap();
        assert_eq!(rule.action, FaultAction::DropConnection);
        assert!(serde_json::from_str::<FaultRule>(r#"{"route":"/x","bogus":1}"#).is_err());
        assert!(FaultRule::new("*", "x").validate().is_err());
        assert!(FaultRule::new("*", "/x").respond(1000).validate().is_err());
        assert!(FaultRule::new("G T", "/x").validate().is_err());
    }
}
