//! The one way every operation runs: auth header, tracing span, retries,
//! the single replay after a 401, and the mapping of every progenitor error.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use http::header::{AUTHORIZATION, RETRY_AFTER};
use http::{HeaderValue, Method, StatusCode};
use idp_api::PrepareRequest;
use progenitor_client::{ByteStream, ResponseValue};
use tracing::Instrument;

use crate::auth::AuthRef;
use crate::error::parse_retry_after;
use crate::{Error, RetryPolicy, telemetry};

/// The most bytes read from a raw success body or an undeclared error body.
const MAX_RAW_BODY: usize = 1 << 20;

/// An operation as the facade knows it.
#[derive(Debug)]
pub(crate) struct Op {
    /// The OpenAPI operationId.
    pub(crate) id: &'static str,
    pub(crate) method: Method,
    /// The path template (never with ids or a query).
    pub(crate) path: &'static str,
    /// What a status means for this operation, shown with the error.
    pub(crate) hints: &'static [(u16, &'static str)],
}

impl Op {
    pub(crate) fn hint(&self, status: StatusCode) -> Option<&'static str> {
        self.hints
            .iter()
            .find(|(code, _)| *code == status.as_u16())
            .map(|(_, hint)| *hint)
    }
}

tokio::task_local! {
    /// The call being made by this task: what `prepare` stamps on the
    /// request and what `observe` saw of the response.
    static CALL: Arc<CallContext>;
}

struct CallContext {
    authorization: Option<HeaderValue>,
    state: Mutex<CallState>,
}

#[derive(Default)]
struct CallState {
    prepared: bool,
    status: Option<StatusCode>,
    retry_after: Option<HeaderValue>,
}

impl CallContext {
    fn state(&self) -> std::sync::MutexGuard<'_, CallState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The hook every generated client of this crate carries.
#[derive(Debug, Default)]
pub(crate) struct Hook;

impl PrepareRequest for Hook {
    fn prepare(&self, request: &mut reqwest::Request, _operation_id: &'static str) {
        let _ = CALL.try_with(|call| {
            call.state().prepared = true;
            if let Some(value) = &call.authorization {
                let mut value = value.clone();
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
            }
        });
    }

    fn observe(
        &self,
        result: Result<&reqwest::Response, &reqwest::Error>,
        _operation_id: &'static str,
    ) {
        if let Ok(response) = result {
            let _ = CALL.try_with(|call| {
                let mut state = call.state();
                state.status = Some(response.status());
                state.retry_after = response.headers().get(RETRY_AFTER).cloned();
            });
        }
    }
}

/// A success body as the generated method returns it, turned into a value.
pub(crate) trait Received: Sized + Send {
    /// What the operation yields.
    type Value: Send;

    /// The value of a response the generated code accepted.
    fn receive(
        response: ResponseValue<Self>,
        op: &'static Op,
    ) -> impl Future<Output = Result<Self::Value, Error>> + Send;

    /// The value of a 2xx body the generated (strict) decode rejected.
    fn undecoded(body: Bytes, status: StatusCode, op: &'static Op) -> Result<Self::Value, Error>;
}

impl Received for () {
    type Value = ();

    async fn receive(_: ResponseValue<Self>, _: &'static Op) -> Result<(), Error> {
        Ok(())
    }

    fn undecoded(_: Bytes, _: StatusCode, _: &'static Op) -> Result<(), Error> {
        Ok(())
    }
}

impl Received for ByteStream {
    type Value = Bytes;

    async fn receive(response: ResponseValue<Self>, op: &'static Op) -> Result<Bytes, Error> {
        let status = response.status();
        let mut stream = response.into_inner_stream();
        let mut body = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| read_error(op, Some(status), None, e))?;
            let room = MAX_RAW_BODY.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok(body.freeze())
    }

    fn undecoded(body: Bytes, _: StatusCode, _: &'static Op) -> Result<Bytes, Error> {
        Ok(body)
    }
}

/// Implements [`Received`] for generated types decoded from JSON.
macro_rules! received_json {
    ($($ty:ty),+ $(,)?) => {$(
        impl Received for $ty {
            type Value = $ty;

            async fn receive(response: ResponseValue<Self>, _: &'static Op) -> Result<$ty, Error> {
                Ok(response.into_inner())
            }

            fn undecoded(body: Bytes, status: StatusCode, op: &'static Op) -> Result<$ty, Error> {
                crate::decode::tolerant(op.id, Some(status), &body)
            }
        }
    )+};
}

received_json!(
    idp_api::vcf::types::PageOfIdentityProvider,
    idp_api::vcf::types::IdentityProvider,
    idp_api::vcf::types::SyncClientTokenInfo,
    idp_api::vcf::types::IdentityBrokerPrecheck,
    idp_api::vcf::types::TokenPair,
    idp_api::unleash::types::ScimSettings,
    idp_api::unleash::types::ScimToken,
);

/// A typed vendor error body the generated code decoded.
pub(crate) trait ErrorBody: serde::Serialize {}

impl ErrorBody for idp_api::vcf::types::VcfError {}
impl ErrorBody for idp_api::unleash::types::UnleashError {}

/// Runs one operation: authenticates, sends (via `call`), retries as the
/// policy allows, re-authenticates and replays once after a 401, and maps
/// the outcome, all inside one tracing span.
pub(crate) async fn execute<X, E, F, Fut>(
    retry: &RetryPolicy,
    auth: AuthRef<'_>,
    op: &'static Op,
    mut call: F,
) -> Result<X::Value, Error>
where
    X: Received,
    E: ErrorBody,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
{
    let span = telemetry::operation_span(op);
    let record = span.clone();
    async move {
        let started = Instant::now();
        let mut sends = 0u32;
        let mut attempts = 0u32;
        let mut replayed = false;
        let outcome = loop {
            sends += 1;
            attempts += 1;
            record.record("attempt", sends);
            let (authorization, generation) = match auth.authorization().await {
                Ok(found) => found,
                Err(error) => break Err(error),
            };
            let context = Arc::new(CallContext {
                authorization,
                state: Mutex::new(CallState::default()),
            });
            let result = CALL.scope(Arc::clone(&context), call()).await;
            let (prepared, status, retry_after) = {
                let mut state = context.state();
                (state.prepared, state.status, state.retry_after.take())
            };
            if let Some(status) = status {
                record.record("status", status.as_u16());
            }
            let result = settle::<X, E>(op, result, prepared, status, retry_after).await;
            let error = match result {
                Ok(value) => break Ok(value),
                Err(error) => error,
            };
            if error.is_unauthorized() && !replayed && auth.can_renew() {
                replayed = true;
                // The 401 proves the request was rejected: replaying it is
                // not a retry.
                attempts -= 1;
                tracing::debug!("401 Unauthorized: renewing the session and replaying once");
                if let Err(renewal) = auth.renew_after_unauthorized(generation).await {
                    break Err(renewal);
                }
                continue;
            }
            if retry.should_retry(&op.method, &error, attempts) {
                let delay = retry.delay(attempts, error.retry_after());
                tracing::debug!(
                    attempt = sends,
                    delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    error = %error,
                    "transient failure, retrying"
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            break Err(error);
        };
        telemetry::finish(&record, started, outcome.as_ref().err());
        outcome
    }
    .instrument(span)
    .await
}

/// Turns what the generated method returned into a value or an [`Error`].
async fn settle<X, E>(
    op: &'static Op,
    result: Result<ResponseValue<X>, progenitor_client::Error<E>>,
    prepared: bool,
    status: Option<StatusCode>,
    retry_after: Option<HeaderValue>,
) -> Result<X::Value, Error>
where
    X: Received,
    E: ErrorBody,
{
    use progenitor_client::Error as P;

    let retry_after = retry_after
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()));
    let error = match result {
        Ok(response) => return X::receive(response, op).await,
        Err(error) => error,
    };
    Err(match error {
        P::InvalidRequest(reason) => Error::invalid_input("request", reason),
        P::CommunicationError(e) if e.is_builder() || !prepared => Error::Other {
            operation: op.id,
            message: format!("cannot build the request: {}", e.without_url()),
        },
        P::ResponseBodyError(e) => read_error(op, status, retry_after, e),
        P::CommunicationError(e) | P::InvalidUpgrade(e) => Error::transport(op.id, e),
        P::ErrorResponse(response) => {
            let status = response.status();
            typed_error(op, status, retry_after, &response.into_inner())
        }
        P::InvalidResponsePayload(body, decode_error) => match status {
            Some(status) if status.is_success() => return X::undecoded(body, status, op),
            Some(status) => Error::from_body(op.id, status, retry_after, op.hint(status), &body),
            None => Error::Decode {
                operation: op.id,
                status: None,
                path: String::new(),
                message: crate::decode::elide_values(&decode_error.to_string()),
            },
        },
        P::UnexpectedResponse(response) if response.status().is_redirection() => {
            crate::error::redirect_error(
                op.id,
                response.status(),
                response.url(),
                response.headers(),
            )
        }
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let body = read_bounded(response).await;
            Error::from_body(op.id, status, retry_after, op.hint(status), &body)
        }
        P::Custom(message) => Error::Other {
            operation: op.id,
            message,
        },
    })
}

/// The error for a failure status whose body the generated code decoded as
/// the operation's declared error type.
pub(crate) fn typed_error<E: ErrorBody>(
    op: &'static Op,
    status: StatusCode,
    retry_after: Option<std::time::Duration>,
    body: &E,
) -> Error {
    let vendor = serde_json::to_value(body)
        .ok()
        .and_then(|v| crate::VendorError::from_json(&v));
    Error::Api {
        operation: op.id,
        status,
        vendor: vendor.map(Box::new),
        body: None,
        hint: op.hint(status),
        retry_after,
    }
}

/// The error for a response body that could not be read: one over the
/// client's `max_response_bytes` (see [`idp_api::ResponseTooLarge`]) is
/// [`Error::ResponseTooLarge`] after a success status and keeps the
/// [`Error::Api`] of a failure status (without its body); anything else is
/// a transport failure.
fn read_error(
    op: &'static Op,
    status: Option<StatusCode>,
    retry_after: Option<std::time::Duration>,
    error: reqwest::Error,
) -> Error {
    let Some(too_large) = idp_api::ResponseTooLarge::find(&error).copied() else {
        return Error::transport(op.id, error);
    };
    match status {
        Some(status) if !status.is_success() => Error::Api {
            operation: op.id,
            status,
            vendor: None,
            body: None,
            hint: op.hint(status),
            retry_after,
        },
        _ => Error::ResponseTooLarge {
            operation: op.id,
            status,
            limit: too_large.limit,
            declared: too_large.declared,
        },
    }
}

/// Reads at most [`MAX_RAW_BODY`] bytes of a response; a failure to read
/// yields what was read so far.
async fn read_bounded(mut response: reqwest::Response) -> Bytes {
    let mut body = BytesMut::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_RAW_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if room <= chunk.len() {
            break;
        }
    }
    body.freeze()
}
