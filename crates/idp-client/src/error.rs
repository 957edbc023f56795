//! The one error type of the crate.

mod page;
mod redirect;
mod transport;
mod vendor;

use std::fmt;
use std::time::{Duration, SystemTime};

use http::StatusCode;

pub(crate) use redirect::redirect_error;
pub use transport::{TransportError, TransportKind};
pub use vendor::{VendorCause, VendorError, VendorNotification};

/// How many bytes of a non-JSON error body an [`Error`] keeps.
const SNIPPET_BYTES: usize = 512;

/// Everything that can go wrong when talking to any of the APIs (SDDC
/// Manager, the Identity Broker, vCenter, Unleash, Okta, Microsoft Entra).
///
/// Match on the variant for details, or use the helpers ([`Error::status`],
/// [`Error::is_not_found`], [`Error::is_retryable`], ...). No variant ever
/// holds a secret: not a token, password or API key, and not a request body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status that is not a success.
    #[non_exhaustive]
    Api {
        /// The operation (`getIdentityProviderById`, `generateScimToken`, ...).
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The vendor's error body, normalized, when the body was one.
        vendor: Option<Box<VendorError>>,
        /// A bounded, single-line summary of a body that was not a vendor
        /// error (for an HTML page, its visible text: the `<pre>` or
        /// `<body>` text); for a 3xx, where it redirected to (without the
        /// query string); `None` for an empty body.
        body: Option<String>,
        /// What the status most likely means for this operation.
        hint: Option<&'static str>,
        /// How long the server asked the client to wait (`Retry-After`).
        retry_after: Option<Duration>,
    },
    /// The request failed below HTTP: connecting, TLS, a timeout, or reading
    /// the response.
    #[non_exhaustive]
    Transport {
        /// The operation.
        operation: &'static str,
        /// What kind of failure (also [`TransportError::kind`]).
        kind: TransportKind,
        /// The failure; the HTTP stack's own error is its `source()`.
        source: TransportError,
    },
    /// A success response whose body could not be understood.
    #[non_exhaustive]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The HTTP status of the response, when known.
        status: Option<StatusCode>,
        /// Where in the body the problem is (`elements[0].id`; empty for the
        /// whole body).
        path: String,
        /// What is wrong there (values of the body are elided).
        message: String,
    },
    /// A success response whose body is larger than the client's
    /// `max_response_bytes` (default 16 MiB): refused unread when its
    /// `Content-Length` says so, else once the limit is crossed. The server
    /// may well have done what was asked.
    #[non_exhaustive]
    ResponseTooLarge {
        /// The operation.
        operation: &'static str,
        /// The HTTP status of the response, when known.
        status: Option<StatusCode>,
        /// The limit that was exceeded, in bytes.
        limit: u64,
        /// The `Content-Length` the server declared, when it was over the
        /// limit (then nothing was read).
        declared: Option<u64>,
    },
    /// An argument was rejected before anything was sent.
    #[non_exhaustive]
    InvalidInput {
        /// The argument or spec field (`domainName`, `fedIdpSpec.oidcSpec.clientSecret`).
        field: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The client could not be built as configured.
    #[non_exhaustive]
    Config {
        /// What is wrong.
        reason: String,
    },
    /// The server accepted an add operation (the object WAS created) but
    /// did not say which id the new object has, and it could not be singled
    /// out: no new external provider and none with its name, or several
    /// equally likely ones. List the providers to find it.
    #[non_exhaustive]
    IdUnknown {
        /// The operation.
        operation: &'static str,
        /// The name the object was created with.
        name: String,
        /// The ids that matched equally well (empty when none matched).
        candidates: Vec<String>,
    },
    /// An asynchronous task the server accepted (a 202 answer) ended
    /// `FAILED`: the change was not made, or only in part.
    #[non_exhaustive]
    TaskFailed {
        /// The operation that started the task.
        operation: &'static str,
        /// The task's id.
        task_id: String,
        /// The server's error code, when it gave one.
        code: Option<String>,
        /// The server's error message, bounded to one line.
        message: Option<String>,
    },
    /// An asynchronous task did not finish within the time allowed; it may
    /// still finish later (poll it by its id).
    #[non_exhaustive]
    TaskTimeout {
        /// The operation that started the task.
        operation: &'static str,
        /// The task's id.
        task_id: String,
        /// Its status when the waiting stopped (`QUEUED`, `IN_PROGRESS`).
        last_status: String,
        /// How long it was waited for.
        waited: Duration,
    },
    /// A failure the generated client reports that fits no other variant.
    #[non_exhaustive]
    Other {
        /// The operation.
        operation: &'static str,
        /// What happened.
        message: String,
    },
}

impl Error {
    /// The HTTP status, for [`Error::Api`], [`Error::Decode`] and
    /// [`Error::ResponseTooLarge`].
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Decode { status, .. } | Self::ResponseTooLarge { status, .. } => *status,
            _ => None,
        }
    }

    /// The vendor's error body, normalized.
    #[must_use]
    pub fn vendor(&self) -> Option<&VendorError> {
        match self {
            Self::Api { vendor, .. } => vendor.as_deref(),
            _ => None,
        }
    }

    /// The operation that failed, when the error comes from one.
    #[must_use]
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Api { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Decode { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::IdUnknown { operation, .. }
            | Self::TaskFailed { operation, .. }
            | Self::TaskTimeout { operation, .. }
            | Self::Other { operation, .. } => Some(operation),
            Self::InvalidInput { .. } | Self::Config { .. } => None,
        }
    }

    /// The snippet of a non-JSON error body.
    #[must_use]
    pub fn body_snippet(&self) -> Option<&str> {
        match self {
            Self::Api { body, .. } => body.as_deref(),
            _ => None,
        }
    }

    /// The server's `Retry-After`, when it sent one.
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The transport failure kind, for [`Error::Transport`].
    #[must_use]
    pub fn transport_kind(&self) -> Option<TransportKind> {
        match self {
            Self::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Whether the server answered 404 Not Found.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server answered 401 Unauthorized (credentials missing,
    /// expired or wrong).
    #[must_use]
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }

    /// Whether the server answered 403 Forbidden (valid credentials without
    /// the permission).
    #[must_use]
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(StatusCode::FORBIDDEN)
    }

    /// Whether the failure is transient: a connect error, a timeout, another
    /// transport failure, or 408, 429, 502, 503, 504.
    ///
    /// Whether a retry is *safe* also depends on the operation (its method,
    /// and whether repeating it has the same result); see
    /// [`RetryPolicy`](crate::RetryPolicy).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { status, .. } => matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504),
            Self::Transport { kind, .. } => *kind != TransportKind::Tls,
            Self::Decode { .. }
            | Self::ResponseTooLarge { .. }
            | Self::InvalidInput { .. }
            | Self::Config { .. }
            | Self::IdUnknown { .. }
            | Self::TaskFailed { .. }
            | Self::TaskTimeout { .. }
            | Self::Other { .. } => false,
        }
    }

    /// Whether the request may have reached the server.
    ///
    /// `false` when it certainly did not (invalid input, configuration, a
    /// connect or TLS failure); `true` once bytes may have left, including
    /// every error with a status.
    #[must_use]
    pub fn request_may_have_been_sent(&self) -> bool {
        match self {
            Self::Transport { kind, source, .. } => {
                !(matches!(kind, TransportKind::Connect | TransportKind::Tls)
                    || source.is_connect())
            }
            Self::InvalidInput { .. } | Self::Config { .. } => false,
            Self::Api { .. }
            | Self::Decode { .. }
            | Self::ResponseTooLarge { .. }
            | Self::IdUnknown { .. }
            | Self::TaskFailed { .. }
            | Self::TaskTimeout { .. }
            | Self::Other { .. } => true,
        }
    }

    pub(crate) fn invalid_input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn config(reason: impl Into<String>) -> Self {
        Self::Config {
            reason: reason.into(),
        }
    }

    /// An error for a response with a failure status and a body that the
    /// generated client could not (or did not) decode.
    pub(crate) fn from_body(
        operation: &'static str,
        status: StatusCode,
        retry_after: Option<Duration>,
        hint: Option<&'static str>,
        body: &[u8],
    ) -> Self {
        let vendor = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| VendorError::from_json(&value))
            .map(Box::new);
        let body = if vendor.is_some() {
            None
        } else {
            snippet(body)
        };
        Self::Api {
            operation,
            status,
            vendor,
            body,
            hint,
            retry_after,
        }
    }

    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        let source = TransportError::new(source);
        Self::Transport {
            operation,
            kind: source.kind(),
            source,
        }
    }
}

/// A bounded, single-line summary of a body; for HTML, its visible text.
pub(crate) fn snippet(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let out = bounded_line(&page::visible_text(&text));
    if out.is_empty() { None } else { Some(out) }
}

/// `text` on one line, made terminal-safe, at most [`SNIPPET_BYTES`] bytes
/// (then ending in `…`).
pub(crate) fn bounded_line(text: &str) -> String {
    let clean = crate::terminal::sanitize(text);
    // Removed escape sequences can leave runs of spaces.
    let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    let clean = clean.as_str();
    if clean.len() <= SNIPPET_BYTES {
        return clean.to_owned();
    }
    let mut end = SNIPPET_BYTES;
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", clean[..end].trim_end())
}

/// Parses a `Retry-After` value: delay seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

impl fmt::Display for Error {
    /// One line, terminal-safe ([`crate::terminal::sanitize`]): whatever a
    /// server sent cannot drive the terminal it is printed on.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::terminal::sanitize(&Unsanitized(self).to_string()))
    }
}

/// The text of an [`Error`] before [`crate::terminal::sanitize`].
struct Unsanitized<'e>(&'e Error);

impl fmt::Display for Unsanitized<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::Api {
                operation,
                status,
                vendor,
                body,
                hint,
                ..
            } => {
                write!(f, "{operation}: HTTP {status}")?;
                match (vendor, body) {
                    (Some(vendor), _) => write!(f, ": {vendor}")?,
                    (None, Some(body)) => write!(f, ": {body}")?,
                    (None, None) => f.write_str(" (empty body)")?,
                }
                if let Some(hint) = hint {
                    write!(f, "; hint: {hint}")?;
                }
                Ok(())
            }
            // The causes are the `source()` chain's, not repeated here.
            Error::Transport {
                operation, kind, ..
            } => write!(f, "{operation}: {kind}"),
            Error::Decode {
                operation,
                status,
                path,
                message,
            } => {
                write!(f, "{operation}: cannot decode the response")?;
                if let Some(status) = status {
                    write!(f, " (HTTP {status})")?;
                }
                if path.is_empty() {
                    write!(f, ": {message}")
                } else {
                    write!(f, " at {path}: {message}")
                }
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
                declared,
            } => {
                write!(f, "{operation}: the response body")?;
                if let Some(status) = status {
                    write!(f, " (HTTP {status}")?;
                    match declared {
                        Some(declared) => write!(f, ", {declared} bytes declared)")?,
                        None => f.write_str(")")?,
                    }
                } else if let Some(declared) = declared {
                    write!(f, " ({declared} bytes declared)")?;
                }
                write!(
                    f,
                    " exceeds the limit of {limit} bytes (max_response_bytes); it was not read whole"
                )
            }
            Error::InvalidInput { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Config { reason } => write!(f, "invalid client configuration: {reason}"),
            Error::IdUnknown {
                operation,
                name,
                candidates,
            } => {
                write!(
                    f,
                    "{operation}: the identity provider {name:?} WAS created, but the server did not return its id"
                )?;
                if candidates.is_empty() {
                    f.write_str(
                        " and no new external provider or one with its name was listed afterwards",
                    )?;
                } else {
                    write!(
                        f,
                        " and {} providers match equally ({}), so none was picked",
                        candidates.len(),
                        candidates.join(", ")
                    )?;
                }
                f.write_str("; find it with `idpctl vcf idp list` (list_identity_providers) before adding again")
            }
            Error::TaskFailed {
                operation,
                task_id,
                code,
                message,
            } => {
                write!(f, "{operation}: task {task_id} FAILED")?;
                if let Some(code) = code {
                    write!(f, " ({code})")?;
                }
                if let Some(message) = message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Error::TaskTimeout {
                operation,
                task_id,
                last_status,
                waited,
            } => write!(
                f,
                "{operation}: task {task_id} still {last_status} after {} s; it may finish later (poll it by its id)",
                waited.as_secs()
            ),
            Error::Other { operation, message } => write!(f, "{operation}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // This error's own line already says the kind, so the chain
            // goes on with the HTTP stack's error.
            Self::Transport { source, .. } => std::error::Error::source(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_the_visible_text_and_is_bounded() {
        let html = b"<!DOCTYPE html><html><head><title> 502 Bad\nGateway </title></head><body>nginx</body></html>";
        assert_eq!(snippet(html).as_deref(), Some("nginx"));
        let long = "é".repeat(1000);
        let s = snippet(long.as_bytes()).unwrap();
        assert!(s.len() <= SNIPPET_BYTES + '…'.len_utf8());
        assert!(s.ends_with('…'));
        assert_eq!(snippet(b"  \n ").as_deref(), None);
        assert_eq!(snippet(b"a\x07b\x1b[31mc").as_deref(), Some("a\\u{7}bc"));
    }

    #[test]
    fn retry_after_in_seconds_and_as_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
