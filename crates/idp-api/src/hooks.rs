//! The seam between generated clients and the code that drives them.

use std::fmt;
use std::sync::Arc;

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};

/// Adjusts every request a generated client sends, just before it leaves.
///
/// The `idp-client` facade implements it to add the `Authorization` header;
/// it must not block and cannot fail (credentials are obtained beforehand).
pub trait PrepareRequest: Send + Sync + 'static {
    /// Edits `request` for the operation named `operation_id`.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &'static str);

    /// Sees the outcome of every request as soon as it returns, before its
    /// body is read. The default does nothing.
    ///
    /// progenitor's `Error::InvalidResponsePayload` carries neither the
    /// status nor the headers; the facade records them here.
    fn observe(
        &self,
        result: Result<&reqwest::Response, &reqwest::Error>,
        operation_id: &'static str,
    ) {
        let _ = (result, operation_id);
    }
}

/// What every generated `Client` carries: an optional [`PrepareRequest`]
/// and an optional bound on the size of response bodies.
#[derive(Clone, Default)]
pub struct RequestHooks {
    prepare: Option<Arc<dyn PrepareRequest>>,
    max_response_bytes: Option<u64>,
}

/// The error a response body yields once it is known to exceed
/// [`RequestHooks::with_max_response_bytes`]: at once when its
/// `Content-Length` says so (nothing is read), else as soon as more bytes
/// than the limit have arrived. It is the source of the `reqwest::Error`
/// that reading the body returns; find it with [`ResponseTooLarge::find`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseTooLarge {
    /// The limit, in bytes.
    pub limit: u64,
    /// The `Content-Length` the server declared, when it was over the limit.
    pub declared: Option<u64>,
}

impl ResponseTooLarge {
    /// The `ResponseTooLarge` somewhere in `error`'s source chain.
    #[must_use]
    pub fn find<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e Self> {
        let mut current = Some(error);
        let mut depth = 0;
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<Self>() {
                return Some(found);
            }
            depth += 1;
            if depth > 16 {
                break;
            }
            current = e.source();
        }
        None
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.declared {
            Some(declared) => write!(
                f,
                "the response body ({declared} bytes declared) exceeds the limit of {} bytes",
                self.limit
            ),
            None => write!(
                f,
                "the response body exceeds the limit of {} bytes",
                self.limit
            ),
        }
    }
}

impl std::error::Error for ResponseTooLarge {}

impl RequestHooks {
    /// Hooks that leave requests as generated.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Hooks that run `prepare` on every request.
    #[must_use]
    pub fn with_prepare(prepare: Arc<dyn PrepareRequest>) -> Self {
        Self {
            prepare: Some(prepare),
            max_response_bytes: None,
        }
    }

    /// Bounds every response body to `limit` bytes: a body that declares a
    /// larger `Content-Length` fails before anything is read, and one that
    /// streams more fails once the limit is crossed, with a
    /// [`ResponseTooLarge`] as the source of the read error. Without it
    /// (the default) bodies are read whole, however large.
    #[must_use]
    pub fn with_max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The bound set by [`with_max_response_bytes`](Self::with_max_response_bytes).
    #[must_use]
    pub fn max_response_bytes(&self) -> Option<u64> {
        self.max_response_bytes
    }

    /// `response` with its body bounded as configured.
    fn bound(&self, response: reqwest::Response) -> reqwest::Response {
        match self.max_response_bytes {
            // The body's framing already bounds it: hyper reads exactly the
            // length a response is framed with (Content-Length, enforced on
            // HTTP/1 and HTTP/2; `content_length` is that framing, not the
            // header, so `Transfer-Encoding: chunked` beside a small
            // Content-Length is still wrapped). Such a body needs no
            // wrapper, which saves rebuilding every response (see
            // BENCHMARKS.md).
            Some(limit) if response.content_length().is_some_and(|n| n <= limit) => response,
            Some(limit) => bound_body(response, limit),
            None => response,
        }
    }

    fn apply(&self, request: &mut reqwest::Request, info: &OperationInfo) {
        // progenitor adds `api-version: <spec info.version>`; neither vendor
        // defines that header, so it is not sent.
        request.headers_mut().remove("api-version");
        if let Some(prepare) = &self.prepare {
            prepare.prepare(request, info.operation_id);
        }
    }

    fn observe(&self, result: &reqwest::Result<reqwest::Response>, info: &OperationInfo) {
        if let Some(prepare) = &self.prepare {
            prepare.observe(result.as_ref(), info.operation_id);
        }
    }
}

impl fmt::Debug for RequestHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestHooks")
            .field("prepare", &self.prepare.as_ref().map(|_| "<fn>"))
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Replaces the body of `response` with one that fails with
/// [`ResponseTooLarge`] beyond `limit` bytes (at once when the declared
/// `Content-Length` is over it). Status, headers and URL are kept; the
/// client's timeouts still apply to reading.
fn bound_body(response: reqwest::Response, limit: u64) -> reqwest::Response {
    use http_body_util::BodyExt as _;

    let declared = response
        .headers()
        .get(reqwest::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let body = match declared {
        Some(declared) if declared > limit => {
            // Dropping the body closes the connection without reading it.
            drop(body);
            let error = ResponseTooLarge {
                limit,
                declared: Some(declared),
            };
            reqwest::Body::wrap_stream(futures::stream::once(async move {
                Err::<bytes::Bytes, _>(error)
            }))
        }
        _ => reqwest::Body::wrap(
            http_body_util::Limited::new(body, usize_limit(limit)).map_err(
                move |error| -> Box<dyn std::error::Error + Send + Sync> {
                    if error.is::<http_body_util::LengthLimitError>() {
                        Box::new(ResponseTooLarge {
                            limit,
                            declared: None,
                        })
                    } else {
                        error
                    }
                },
            ),
        ),
    };
    // `reqwest::Response::from` reads the URL from this extension.
    if let Ok(carrier) = reqwest::ResponseBuilderExt::url(http::Response::builder(), url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

fn usize_limit(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}

macro_rules! impl_client_hooks {
    ($($client:ty),+) => {$(
        impl ClientHooks<RequestHooks> for $client {
            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                let response = self.client().execute(request).await?;
                Ok(self.inner().bound(response))
            }

            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                self.inner().apply(request, info);
                Ok(())
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<reqwest::Response>,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                self.inner().observe(result, info);
                Ok(())
            }
        }
    )+};
}

impl_client_hooks!(
    crate::vcf::Client,
    crate::unleash::Client,
    crate::broker::Client,
    crate::vcenter::Client,
    crate::okta::Client,
    crate::msidentity::Client,
    crate::msgraph::Client,
    crate::vcf_ops::Client
);
