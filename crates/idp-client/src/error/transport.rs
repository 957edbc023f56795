//! The opaque transport failure behind [`crate::Error::Transport`].

use std::fmt;

/// The kind of a [`crate::Error::Transport`] failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made: the request never left.
    Connect,
    /// The TLS handshake failed (an untrusted or invalid certificate, ...):
    /// the request never left.
    Tls,
    /// The connect or request timeout elapsed.
    Timeout,
    /// The response body could not be read.
    Body,
    /// Another transport failure (a connection closed mid-request, ...).
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection failed",
            Self::Tls => "TLS handshake failed",
            Self::Timeout => "timed out",
            Self::Body => "reading the response failed",
            Self::Other => "transport error",
        })
    }
}

/// A failure below HTTP. It says what kind of failure it was; the HTTP
/// stack's own error (with its causes) is its [`source`], the only way to
/// reach it, so this crate's public API does not depend on that stack.
///
/// [`source`]: std::error::Error::source
pub struct TransportError {
    kind: TransportKind,
    /// The URL in it carries no query string or fragment.
    inner: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(mut inner: reqwest::Error) -> Self {
        if let Some(url) = inner.url_mut() {
            url.set_query(None);
            url.set_fragment(None);
        }
        Self {
            kind: classify(&inner),
            inner,
        }
    }

    /// What kind of failure this was.
    #[must_use]
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// Whether a connect or request timeout elapsed.
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout || self.inner.is_timeout()
    }

    /// Whether no connection could be made (the request never left).
    #[must_use]
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect || self.inner.is_connect()
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("source", &self.inner)
            .finish()
    }
}

impl fmt::Display for TransportError {
    /// The kind only: the details are the [`source`](std::error::Error::source)'s.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.kind, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.inner)
    }
}

/// Classifies a reqwest error by the types in its source chain.
fn classify(error: &reqwest::Error) -> TransportKind {
    if is_tls(error) {
        TransportKind::Tls
    } else if error.is_timeout() {
        TransportKind::Timeout
    } else if error.is_connect() {
        TransportKind::Connect
    } else if error.is_body() || error.is_decode() {
        TransportKind::Body
    } else {
        TransportKind::Other
    }
}

/// Whether a `rustls::Error` is somewhere in the error's source chain. An
/// `io::Error` hides the error it wraps from `source()` (it returns the
/// wrapped error's source), and TLS failures come wrapped in one or more
/// of them, so wrapped errors are unwrapped too.
fn is_tls(error: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    for _ in 0..16 {
        let Some(e) = current else {
            break;
        };
        if is_rustls(e) {
            return true;
        }
        current = e.source();
    }
    false
}

/// Whether `error` is a `rustls::Error`, or `io::Error`s wrapping one.
fn is_rustls(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = error;
    for _ in 0..8 {
        if current.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        match current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => current = inner,
            None => return false,
        }
    }
    false
}
