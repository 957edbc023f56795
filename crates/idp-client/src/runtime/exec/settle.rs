//! Mapping what a generated method returned (a value or any of
//! progenitor's error variants) to a value or an [`Error`].

use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::{HeaderValue, StatusCode};
use progenitor_client::ResponseValue;

use super::received::{ErrorBody, Received};
use crate::Error;
use crate::error::parse_retry_after;
use crate::runtime::op::Op;

/// The most bytes read from a raw success body or an undeclared error body.
pub(super) const MAX_RAW_BODY: usize = 1 << 20;

/// Turns what the generated method returned into a value or an [`Error`].
pub(super) async fn settle<X, E>(
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
            operation: op.id(),
            message: format!("cannot build the request: {}", e.without_url()),
        },
        P::ResponseBodyError(e) => read_error(op, status, retry_after, e),
        P::CommunicationError(e) | P::InvalidUpgrade(e) => Error::transport(op.id(), e),
        P::ErrorResponse(response) => {
            let status = response.status();
            typed_error(op, status, retry_after, &response.into_inner())
        }
        P::InvalidResponsePayload(body, decode_error) => match status {
            Some(status) if status.is_success() => return X::undecoded(body, status, op),
            Some(status) => Error::from_body(op.id(), status, retry_after, op.hint(status), &body),
            None => Error::Decode {
                operation: op.id(),
                status: None,
                path: String::new(),
                message: crate::runtime::decode::elide_values(&decode_error.to_string()),
            },
        },
        P::UnexpectedResponse(response) if response.status().is_redirection() => {
            crate::error::redirect_error(
                op.id(),
                response.status(),
                response.url(),
                response.headers(),
            )
        }
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let body = read_bounded(response).await;
            Error::from_body(op.id(), status, retry_after, op.hint(status), &body)
        }
        P::Custom(message) => Error::Other {
            operation: op.id(),
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
        operation: op.id(),
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
pub(super) fn read_error(
    op: &'static Op,
    status: Option<StatusCode>,
    retry_after: Option<std::time::Duration>,
    error: reqwest::Error,
) -> Error {
    let Some(too_large) = idp_api::ResponseTooLarge::find(&error).copied() else {
        return Error::transport(op.id(), error);
    };
    match status {
        Some(status) if !status.is_success() => Error::Api {
            operation: op.id(),
            status,
            vendor: None,
            body: None,
            hint: op.hint(status),
            retry_after,
        },
        _ => Error::ResponseTooLarge {
            operation: op.id(),
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
